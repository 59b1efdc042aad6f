/*
 * print: printed maps of a district or a mahalla for mahalla meetings and
 * briefings, laid out as a cartographic product.
 *
 * A page is drawn in the district's UTM zone (utm.h) at a true scale: a
 * round scale (1:2 000, 1:5 000, 1:10 000, 1:25 000 ...) that fits the area
 * into the map frame unless one is asked for; a printed millimetre is the
 * scale's number of ground millimetres at the centre of the map (the UTM
 * point scale factor is taken out). Boundaries, zones, tracks, offence dots,
 * labels and every text are vector graphics; the heatmap is an embedded
 * raster at the request's dpi, coloured through the same absolute ramp as
 * the tiles (renderer_heatmap_ramp()). Around the map: the title (the area's
 * name), the period, the date of printing, the prevention inspector of a
 * mahalla, a north arrow turned by the grid convergence, the scale as a ratio
 * and as a bar, the legend built from the style, and tables of the offences
 * by category against the previous period of equal length and of the top
 * hotspots: the highest peaks of the density surface inside the area, at
 * least one bandwidth apart, numbered on the map, with the offences within
 * one bandwidth, their mahalla and their most frequent street.
 *
 * Neighbouring areas are drawn lighter (a veil outside the printed area) and
 * keep their names. Table columns are fitted to their texts, a cell wraps
 * to a second line before it is cut around an ellipsis in its middle
 * (typeset.h), and rows that do not fit are summed up in a last row, so long
 * names and many categories never overlap anything.
 *
 * An atlas is a district's overview page followed by one page per mahalla
 * of the district in code order, in one PDF, and the hotspot-methods page
 * when a backtest is given. A PNG is the page rendered at the dpi.
 *
 * A mahalla meeting's pack is a mahalla's map page followed by table pages
 * (printpack.h): the activities since the last meeting by service, the
 * open tasks, the standing and its history, the responsible officials and
 * the at-risk counts, small ones withheld.
 *
 * The hotspot-methods page prints a rolling backtest (backtest.h) that the
 * caller ran: the district, the backtest's span and shift, the hit-rate
 * curves as vector drawing (chart.h) and the table of each method's
 * measures (btpage.h).
 *
 * Threading: as render.h for the renderer; st, the PDF and the Pango context
 * belong to the calling thread.
 */
#ifndef POSBON_PRINT_H
#define POSBON_PRINT_H

#include "backtest.h"
#include "civil.h"
#include "dataset.h"
#include "render.h"
#include "shift.h"
#include "standing.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

enum print_paper { PRINT_A4, PRINT_A3 };
enum print_format { PRINT_PDF, PRINT_PNG, PRINT_CSV };

/* What is printed: the map of an area; the coverage of a shift's hotspots
 * by the services' zones (a map page with the hotspots by status and the
 * tables, then the mahallas' responsibility table); the roster of a shift
 * (every unit on duty with its zone, the hotspots its zone covers and the
 * minutes to spend in them), as PDF or CSV; the hotspot methods of a
 * backtest; the comparison table of the filter's districts, or of a
 * district's mahallas (compare.h), with the territory's offences by
 * category. */
enum print_kind { PRINT_AREA, PRINT_COVERAGE, PRINT_ROSTER, PRINT_BACKTEST, PRINT_COMPARE };
enum print_lang { PRINT_UZ, PRINT_RU, PRINT_EN };

#define PRINT_MIN_DPI     72
#define PRINT_MAX_DPI     600
#define PRINT_DEFAULT_DPI 200 /* the heatmap raster in a PDF */
#define PRINT_MIN_SCALE   500
#define PRINT_MAX_SCALE   2000000
#define PRINT_MIN_VISIT   1 /* minutes of a roster's visit */
#define PRINT_MAX_VISIT   600
#define PRINT_MIN_EVERY   10 /* minutes between a roster's visits */
#define PRINT_MAX_EVERY   CIVIL_MINUTES_PER_DAY

struct print_request {
	enum print_kind kind;
	const char *district; /* code of the district to print (coverage, roster: the
	                         first district when NULL), or */
	const char *mahalla;  /* code of the mahalla */
	int atlas;            /* a district's overview and one page per mahalla */
	enum print_paper paper;
	int landscape;
	double scale;                 /* denominator; 0: the round scale that fits */
	struct dataset_filter filter; /* from and to bound the period when set */
	unsigned layers;              /* enum render_layer bits; 0: print_default_layers */
	enum print_lang lang;
	enum print_format format;
	double dpi;         /* raster resolution; 0: PRINT_DEFAULT_DPI (PDF), 150 (PNG) */
	int64_t printed_at; /* UTC seconds of the "printed on" date */
	double bandwidth;   /* heatmap bandwidth in metres; 0: the style's */
	int hotspots;       /* how many hotspots to number; 0: 5, < 0: none */
	/* Coverage and roster: the shift (NULL: every hour of every day), the
	 * planning date zones must be valid on (NULL: any), the minutes of a
	 * visit (0: 15) and between visits (0: 120). Without from and to the
	 * hotspots come from the 8 weeks up to the latest offence. */
	const struct shift *shift;
	const char *date;
	double visit, every;
	/* The backtest of the hotspot-methods page (borrowed): the page of
	 * PRINT_BACKTEST, or a PDF's page after the maps (an atlas's last)
	 * when set with PRINT_AREA. date names the zones' day it used. */
	const struct backtest *backtest;
	/* The comparison table: its order (compare_sort(); NULL: by code). Its
	 * period is the filter's (compare_period()), its territory the
	 * filter's districts, and district names the one whose mahallas are
	 * the rows. */
	const char *sort;
	/* The mahalla meeting's pack (a mahalla's PDF): its activities from
	 * the local day since ("YYYY-MM-DD"; NULL: the period's first day), its
	 * standing by the rules standing (borrowed; NULL: the defaults), whose
	 * suppress_below withholds the small at-risk counts. */
	int pack;
	const char *since;
	const struct standing_rules *standing;
};

/* Layers of a page when the request names none. */
#define PRINT_DEFAULT_LAYERS                                                                       \
	(RENDER_BASE | RENDER_HEATMAP | RENDER_ZONES | RENDER_MAHALLAS | RENDER_DISTRICTS)

/* What was printed. */
struct print_result {
	unsigned char *data; /* the PDF or PNG; free() */
	size_t len;
	int pages;
	double scale;     /* denominator of the first page */
	int64_t from, to; /* the period printed, UTC seconds */
	int epsg;         /* the UTM zone */
	/* For a file's name: the place printed in the page's language (a
	 * plan's page: its district), and the period's local dates,
	 * "2026-09-09_2026-12-07". */
	char place[160], dates[32];
};

/* "a4"/"a3", "uz"/"ru"/"en", "pdf"/"png"/"csv" (case-insensitive). ERR_INVALID
 * naming the field and the value. */
int print_paper_parse(const char *text, enum print_paper *out);
int print_lang_parse(const char *text, enum print_lang *out);
int print_format_parse(const char *text, enum print_format *out);

/* Prints q with the data of r and st into *out (free out->data). When the
 * filter's period is open the last 90 days up to the latest offence are
 * printed (from or to alone extends 90 days the other way). ERR_NOTFOUND
 * naming a district or mahalla code that does not exist; ERR_INVALID for a
 * request that cannot be printed (an atlas of a mahalla or as PNG, a CSV of
 * anything but a roster, a pack but of a mahalla as PDF, a bad since, a scale or dpi out of range,
 * a page raster too large, a bad planning date, a backtest page without a backtest); ERR_NOMEM,
 * ERR_PROJ, ERR_DB. */
int print_make(renderer *r, store *st, const struct print_request *q, struct print_result *out);

/* The layers a printed map draws (print_request's layers may name no other). */
#define PRINT_MAP_LAYERS                                                                           \
	(RENDER_BASE | RENDER_DISTRICTS | RENDER_MAHALLAS | RENDER_CHOROPLETH | RENDER_HEATMAP |   \
	 RENDER_CHANGE | RENDER_GISTAR | RENDER_TRENDS | RENDER_OFFENCES | RENDER_ZONES |          \
	 RENDER_TRACKS)

/* One layer's legend alone, as a picture for GIS clients (WMS
 * GetLegendGraphic): the layer's title, then the page legend's block of
 * that layer (printlegend.c), listing every service and
 * category of the district rather than a frame's. */
struct print_legend_request {
	unsigned layer;               /* one layer (enum render_layer), any */
	struct dataset_filter filter; /* as the tiles': the ramps depend on the period */
	int metric;                   /* the choropleth's, as render_request's (0: the style's) */
	enum print_lang lang;
	int width, height;   /* pixels; 0: fitted to the content (190 pt wide) */
	double zoom;         /* the boundaries' widths are the style's at it; 0: 14 */
	double scale;        /* pixels per 1/96 inch; 0: 1 */
	int opaque;          /* else a transparent background */
	unsigned background; /* 0xRRGGBB when opaque */
};

/* A legend picture. */
struct print_legend {
	unsigned char *png; /* free() */
	size_t len;
	int width, height; /* pixels */
};

/* 1 when the layer (one enum render_layer bit) has a legend picture. */
int print_legend_exists(unsigned layer);

/* Draws q's legend into *out. ERR_INVALID unless q names exactly one
 * layer; ERR_NOTFOUND when the style lacks the ramp's layer; ERR_DB,
 * ERR_NOMEM. */
int print_legend(renderer *r, store *st, const struct print_legend_request *q,
                 struct print_legend *out);

#endif
