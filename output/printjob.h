/*
 * printjob: what every printed document shares (print.h): the job of one
 * print_make() or print_legend() call (the request, the renderer's data
 * and style, the UTM zone, the period and the previous one, names in the
 * page's language, the analyses a page draws) and the page being laid out,
 * with the texts, dates and shifts in the page's language.
 *
 * The modules of print (printframe, printmap, printlegend, printarea,
 * printcover, printbacktest, printcompare) are its parts and share these
 * structures; nothing outside output/ includes this header.
 *
 * Units: the page is laid out in PDF points (1/72 inch), top-left origin;
 * the map is drawn by the tile painters in style pixels of 1/96 inch (a
 * one-pixel line of the style prints 0.26 mm wide, a 12-px label at 9 pt),
 * through a view in the UTM frame whose resolution is the scale's. Sizes of
 * texts and gaps are given for A4 and grow with the paper (A3 by sqrt 2).
 *
 * Threading: a job and its page belong to the calling thread.
 */
#ifndef POSBON_PRINTJOB_H
#define POSBON_PRINTJOB_H

#include "compare.h"
#include "coverage.h"
#include "gistar.h"
#include "hotspot.h"
#include "msg.h"
#include "print.h"
#include "storeprint.h"
#include "trends.h"
#include "typeset.h"
#include "utm.h"

#include <stddef.h>
#include <stdint.h>

#define PRINTJOB_PT_PER_INCH  72.0
#define PRINTJOB_M_PER_INCH   0.0254
#define PRINTJOB_PX_PER_PT    (96.0 / 72.0) /* style px per pt */
#define PRINTJOB_MAX_HOTSPOTS 20
#define PRINTJOB_PI           3.14159265358979323846

/* A numbered hotspot of a page. */
struct printjob_peak {
	double x, y;    /* UTM */
	double density; /* per km2 over the period */
	double offences;
	char place[160];
};

/* One document being printed. */
struct printjob {
	renderer *r;
	store *st;
	const struct print_request *q;
	const dataset *ds;
	const style *sty; /* held in held_style until the job closes */
	struct held_style *held_style;
	utm *u;
	shapes *sh;
	struct dataset_filter filter, previous;
	char *territory; /* filter's districts for zones and tracks (NULL: all); owned */
	int64_t from, to;
	struct storeprint_names categories, services;
	double *weights;         /* heatmap weight per dataset category */
	style_ramp *ramp;        /* the heatmap's */
	style_ramp *change_ramp; /* the change layer's, when it is drawn */
	const struct style_heatmap *hm, *change;
	int metric; /* the choropleth's, as render_request's */
	double bandwidth;
	double dpi;
	unsigned layers;
	int n_hotspots;
	double pw, ph; /* page size, pt */
	int page_no, pages;
	struct typeset ts; /* the page being drawn */
	/* Coverage and roster: the shift's hotspots and their coverage, found
	 * on the renderer's shapes (held until the job closes). */
	int has_set, has_cov;
	struct held_shapes *held;
	const shapes *merc; /* the renderer's shapes, once acquired (held) */
	/* The gistar layer: Gi* of the job's filter on the district, held from
	 * the renderer's results (the tiles' analysis of the same filter), its
	 * grid's UTM zone opened; has_gi is 0 when there was nothing to test. */
	int has_gi;
	const struct gistar_result *gi;
	results_hold *gi_hold;
	utm *gi_u;
	/* The trends layer alike: the emerging hot and cold spots of the
	 * filter's weeks. */
	int has_tr;
	const struct trends_result *tr;
	results_hold *tr_hold;
	utm *tr_u;
	struct hotspot_set set;
	struct coverage cov;
	struct shift shift;
	/* The comparison table's page: its table (has_cmp once computed). */
	int has_cmp;
	struct compare cmp;
	/* The base layer: the renderer's ground (held until the job closes),
	 * each page drawing its own part of it in its UTM frame. */
	const ground *ground;
	struct held_ground *held_ground;
};

/* One page: which area, where the map goes, at what scale. */
struct printjob_page {
	enum shapes_kind kind;
	const struct shapes_area *area;
	double fx, fy, fw, fh; /* map frame on the page, pt */
	double scale;          /* denominator */
	double k;              /* UTM metres per ground metre at the centre */
	double convergence;    /* radians from grid north to true north */
	struct view view;      /* style px of the frame */
	struct printjob_peak hot[PRINTJOB_MAX_HOTSPOTS];
	size_t n_hot;
	double *density; /* raster of the frame at job->dpi, or NULL */
	double *change;  /* the change layer's, the same cells, or NULL */
	int rw, rh;
	double cell; /* frame metres per raster cell */
	struct dataset_points pts;
	ground *ground; /* the job's ground under the frame, in its UTM zone, or NULL */
};

/* A cell ranked by its value (printjob_by_value()). */
struct printjob_candidate {
	int i, j;
	double v;
};

/* The margin of a page, pt. */
double printjob_margin(const struct printjob *j);

/* The text of m in the page's language (static). */
const char *printjob_text(const struct printjob *j, enum msg m);

/* The page's language, for typeset_decimal() and the like. */
enum msg_lang printjob_lang(const struct printjob *j);

/* The name of a in the page's language, else in another, else its code
 * (borrowed from the shapes). */
const char *printjob_area_name(const struct printjob *j, const struct shapes_area *a);

/* The local date (YYYY-MM-DD) in the dataset's time zone of utc. */
void printjob_date(const struct printjob *j, int64_t utc, char *out, size_t n);

/* The rings of g at full detail. */
const struct shapes_rings *printjob_full_rings(const struct shapes_geom *g);

/* qsort() order of struct printjob_candidate: the highest value first. */
int printjob_by_value(const void *a, const void *b);

/* c as the source of cr, its alpha times alpha. */
void printjob_colour(cairo_t *cr, const struct style_colour *c, double alpha);

/* Appends to out (n bytes, holding len) what fmt makes, cut at the end at
 * a character (half a Cyrillic letter would make invalid UTF-8, which
 * Pango refuses); returns the new length. */
size_t printjob_append(char *out, size_t n, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "Ju–Ya 18:00–02:00": days, then the hours. */
void printjob_shift_text(const struct printjob *j, const struct shift *s, char *out, size_t n);

/* The renderer's shapes, in Web Mercator, as the analyses take them: held
 * from the first call until the job closes. */
const shapes *printjob_merc_shapes(struct printjob *j);

/* Opens j for j->r, j->st and j->q (the caller zeroes the rest): the
 * page size, the period, the UTM zone, the shapes in it, the names, the
 * ramps and an area's analyses. ERR_NOMEM, ERR_PROJ, ERR_DB and the
 * analyses' errors; close with printjob_close() either way. */
int printjob_open(struct printjob *j);

/* Frees what printjob_open() and the documents took. */
void printjob_close(struct printjob *j);

#endif
