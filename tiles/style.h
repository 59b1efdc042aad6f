/*
 * style: map styles, loaded from JSON and read by the layer painters.
 *
 * A style file (styles/NAME.json, schema in docs/styles.md) says how each
 * layer looks: boundaries, labels, the choropleth, the heatmap and its colour
 * ramp, offence points, patrol zones and tracks, the colours of categories and
 * services and the heatmap weights of categories. style_load() validates the
 * whole file at once and either returns a complete style or fails with the
 * file, line, column and JSON path of the first thing that is wrong; unknown
 * keys are errors, so a misspelt key never passes silently. After loading,
 * nothing reads JSON again: the painters get typed, read-only structs.
 *
 * Units: sizes and widths are pixels at scale 1 (CSS pixels, 1/96 inch on
 * paper); @2x tiles and print multiply them by their scale. Every pixel size
 * is a zoom function (struct style_zfunc): one number, or stops interpolated
 * by zoom. Zooms are Web Mercator zoom levels 0..22, fractional allowed (a
 * print at true scale has a fractional zoom). Colours are sRGB components
 * 0..1 with straight (not premultiplied) alpha (stylecolour.h); colour
 * ramps are styleramp.h's.
 *
 * Ownership: a style owns everything its getters return; all of it is valid
 * until style_free(). A style_ramp made by style_heatmap_ramp() belongs to
 * the caller.
 *
 * Threading: a loaded style and its ramps are immutable; any number of
 * threads may read them at once. Loading is thread-safe (errors go to the
 * calling thread's err_msg()).
 */
#ifndef POSBON_STYLE_H
#define POSBON_STYLE_H

#include "kde.h"
#include "stylecolour.h"
#include "styleramp.h"

#include <stddef.h>

typedef struct style style;

/* Limits of the schema, so that fixed arrays hold every valid file. */
#define STYLE_ZOOM_MIN    0.0
#define STYLE_ZOOM_MAX    22.0
#define STYLE_DASH_MAX    8 /* entries of a dash pattern */
#define STYLE_CLASSES_MAX 9 /* choropleth classes */
#define STYLE_FILE_MAX    (1024 * 1024)

/* ---- zoom functions and ranges ----------------------------------------- */

/* A pixel size that depends on zoom: n >= 1 stops with strictly increasing
 * zooms and values > 0. A plain number in the file is one stop. */
struct style_zfunc {
	size_t n;
	double zoom[STYLE_STOPS_MAX];
	double value[STYLE_STOPS_MAX];
};

/* The value at zoom: linear between the stops around it, the first stop's
 * value below the first stop, the last stop's above the last. */
double style_zfunc_eval(const struct style_zfunc *f, double zoom);

/* Zooms at which a layer or label is drawn, both ends included. */
struct style_zoom {
	double min, max;
};

/* 1 when zoom is within the range, else 0. */
int style_zoom_contains(const struct style_zoom *z, double zoom);

/* ---- fonts and labels -------------------------------------------------- */

/* A named font of the style. family is the families joined by commas
 * ("Noto Sans,DejaVu Sans"), ready for pango_font_description_set_family():
 * Pango tries them in order. weight is a PangoWeight value (400 regular,
 * 500 medium, 600 semibold, 700 bold). */
struct style_font {
	const char *name;
	const char *family;
	const char *const *families;
	size_t n_families;
	int weight;
	int italic;
};

/* The attribute a label shows. Areas (districts, mahallas) have name_uz,
 * name_ru, name_en and code; zones have name; hotspots their rank. */
enum style_field {
	STYLE_FIELD_NAME_UZ,
	STYLE_FIELD_NAME_RU,
	STYLE_FIELD_NAME_EN,
	STYLE_FIELD_CODE,
	STYLE_FIELD_NAME,
	STYLE_FIELD_RANK,
};

struct style_halo {
	struct style_colour colour;
	struct style_zfunc width; /* px around each glyph */
};

struct style_label {
	enum style_field field;
	const struct style_font *font;
	struct style_zfunc size; /* px, see style_label_size() */
	struct style_colour colour;
	const struct style_halo *halo; /* NULL: no halo */
	struct style_zoom zoom;        /* drawn where this and the layer's range hold */
};

/* The label's font size in px at zoom (interpolated between its stops). */
double style_label_size(const struct style_label *label, double zoom);

/* ---- strokes and fills ------------------------------------------------- */

struct style_stroke {
	struct style_colour colour; /* zones and tracks: unused, colour of the service */
	struct style_zfunc width;
	size_t n_dash; /* 0: solid */
	double dash[STYLE_DASH_MAX];
};

struct style_fill {
	struct style_colour colour;
	double opacity; /* multiplies colour.a */
};

/* ---- layers ------------------------------------------------------------ */

/* districts and mahallas: boundaries with optional fill and label. */
struct style_area {
	struct style_zoom zoom;
	struct style_stroke stroke;
	const struct style_fill *fill;   /* NULL: not filled */
	const struct style_label *label; /* NULL: no labels */
};

/* An area style whose labels show names in another field: the style and
 * its label copied (a label showing codes keeps them). */
struct style_area_copy {
	struct style_area area;
	struct style_label label;
};

/* st with its labels in field names (STYLE_FIELD_NAME_UZ, _RU, _EN;
 * STYLE_FIELD_CODE keeps the style's) and their size times scale (the wall
 * screen's larger names) in *out, which the result points into; NULL for
 * NULL. */
const struct style_area *style_area_in(const struct style_area *st, enum style_field names,
                                       double scale, struct style_area_copy *out);

enum style_metric {
	STYLE_METRIC_COUNT,  /* offences in the period */
	STYLE_METRIC_RATE,   /* offences per 1,000 residents */
	STYLE_METRIC_CHANGE, /* relative change against the previous equal period */
};

enum style_classify {
	STYLE_CLASSIFY_QUANTILE,
	STYLE_CLASSIFY_EQUAL,
	STYLE_CLASSIFY_JENKS,
};

/* Mahallas filled by a figure in classes computed from the data. */
struct style_choropleth {
	struct style_zoom zoom;
	enum style_metric metric;
	enum style_classify classify;
	size_t classes;                                 /* 2..STYLE_CLASSES_MAX */
	struct style_colour colours[STYLE_CLASSES_MAX]; /* one per class, lowest first */
	double opacity;
	const struct style_stroke *outline; /* NULL: no outline */
};

enum style_breaks {
	STYLE_BREAKS_FIXED, /* ramp values: offences per km² per year */
	STYLE_BREAKS_AUTO,  /* ramp values: multiples of the mean density */
};

struct style_heatmap {
	struct style_zoom zoom;
	enum kde_kernel kernel; /* named as kde_kernel_name() names it */
	double bandwidth;       /* metres on the ground */
	double opacity;         /* of the whole layer */
	enum style_breaks breaks;
	const style_ramp *ramp; /* values as breaks says; see style_heatmap_ramp() */
};

/* The ramp to colour a density surface with, in the units the KDE gives:
 * weighted offences per km² over the selected period. With fixed breaks the
 * style's values (per year) are multiplied by period_days / 365.25; with auto
 * breaks by mean_density, the weighted offences of the dataset and filter
 * divided by the district's area in km², computed once per dataset and
 * filter (never per tile). The argument the mode does not use is ignored.
 * Returns a new ramp in *out; free with style_ramp_free(). ERR_INVALID when
 * the argument used is not finite and > 0; ERR_NOMEM. */
int style_heatmap_ramp(const struct style_heatmap *h, double mean_density, double period_days,
                       style_ramp **out);

/* The change layer (layers.change in the file) is a struct style_heatmap
 * whose breaks are always fixed: ramp values in offences per km² per year,
 * negative for decreases and positive for increases (a loaded change ramp
 * has both), scaled to a period by style_heatmap_ramp() as the heatmap's. */

/* Offence points: colours come from the categories. */
struct style_offences {
	struct style_zoom zoom;
	struct style_zfunc radius;
	double opacity;
	const struct style_stroke *stroke; /* NULL: no outline; never dashed */
};

enum style_overlap {
	STYLE_OVERLAP_HATCH,   /* stripes in the colours of the services */
	STYLE_OVERLAP_OUTLINE, /* no extra fill, outlined in the services' colours */
};

/* Patrol zones: colours come from the services. The overlap style applies
 * where zones of different services overlap and to joint zones. */
struct style_zones {
	struct style_zoom zoom;
	double fill_opacity;
	struct style_stroke stroke; /* colour unused */
	enum style_overlap overlap;
	struct style_zfunc overlap_spacing; /* px between hatch lines */
	struct style_zfunc overlap_width;   /* px of hatch lines or overlap outline */
	const struct style_label *label;    /* NULL: no labels */
};

/* Patrol tracks: colours come from the services. */
struct style_tracks {
	struct style_zoom zoom;
	struct style_zfunc width;
	double opacity;
	const struct style_stroke *casing; /* NULL: none; drawn under the track,
	                                      width px wider on each side */
};

/* The looks of the planner's layers (hotspots, coverage, dosage), which
 * draw one shift's hotspots: the colour of each kind of hotspot. */
enum style_hotspot_look {
	STYLE_HOTSPOT,           /* hotspots layer: every hotspot */
	STYLE_HOTSPOT_GAP,       /* coverage: covered by no zone in play */
	STYLE_HOTSPOT_JOINT,     /* coverage: a joint patrol; fill under its dashed outline */
	STYLE_HOTSPOT_OVERLAP,   /* coverage: several services unplanned; outline over the hatch */
	STYLE_HOTSPOT_UNVISITED, /* dosage: nobody present */
	STYLE_HOTSPOT_SHORT,     /* dosage: present, short of the target */
	STYLE_HOTSPOT_MET,       /* dosage: the target met */
	STYLE_HOTSPOT_COVERED,   /* coverage: by one service; its colour on the map, this
	                            one in legends, tables and the viewer's panel
	                            (optional, green by default) */
	STYLE_HOTSPOT_LOOKS
};

/* The key of a look in the style's hotspots.colours ("gap"). */
const char *style_hotspot_look_name(enum style_hotspot_look look);

/* Hotspots in the colour of their look (a covered hotspot in its service's):
 * filled at fill_opacity and outlined; overlaps hatched in the services'
 * colours as zones hatch them; labelled with their rank. */
struct style_hotspots {
	struct style_zoom zoom;
	double fill_opacity;
	struct style_stroke stroke; /* colour unused: the look's */
	struct style_colour colours[STYLE_HOTSPOT_LOOKS];
	struct style_zfunc hatch_spacing; /* px between hatch lines */
	struct style_zfunc hatch_width;   /* px of hatch lines */
	const struct style_label *label;  /* field rank; NULL: no numbers */
};

/* The trends layer: the emerging hot and cold spot categories of
 * trends.h, each cell filled in its category's colour (layers.trends.colours
 * keyed by trends_category_name(), every category but "no pattern", which
 * stays transparent), at opacity. */
#define STYLE_TREND_CATEGORIES 17 /* category c (-8 .. 8) at c + 8, as trends.h counts */

struct style_trends {
	struct style_zoom zoom;
	double opacity;
	struct style_colour colours[STYLE_TREND_CATEGORIES]; /* [8], no pattern: transparent */
};

/* The basemap (layers.base): the reference layers (model/ground.h) under
 * every thematic layer, in colours muted enough to keep them readable.
 * Areas are filled in their kind's colour (NULL: not drawn), lines of water
 * and railways stroked, buildings and places from their own zooms, and
 * streets by class group, each over an optional casing (width px wider on
 * each side, drawn under every street of the tile first). */
enum style_street {
	STYLE_STREET_MAJOR,  /* motorway, trunk, primary, secondary */
	STYLE_STREET_MEDIUM, /* tertiary */
	STYLE_STREET_MINOR,  /* residential, service, pedestrian, track */
	STYLE_STREET_PATH,   /* footways, paths, cycleways, steps */
	STYLE_STREETS
};

/* The group of a street class ("primary"), STYLE_STREET_MINOR for others. */
enum style_street style_street_of(const char *cls);

struct style_street_look {
	struct style_zoom zoom;
	struct style_stroke line;
	const struct style_stroke *casing; /* NULL: none */
};

struct style_basemap {
	struct style_zoom zoom;
	const struct style_colour *land, *landuse, *park, *water; /* NULL: not drawn */
	const struct style_stroke *waterways, *railways;          /* NULL: not drawn */
	struct style_zoom building_zoom;
	const struct style_colour *building_fill, *building_outline;
	const struct style_street_look *streets[STYLE_STREETS]; /* NULL: not drawn */
	struct style_zoom place_zoom;
	const struct style_colour *place; /* NULL: no place dots */
	struct style_zfunc place_radius;  /* px */
	/* Names of streets (along their straightest stretch) and of places
	 * (under their dot); NULL: none. Field "name". */
	const struct style_label *label;
};

/* ---- categories and services ------------------------------------------- */

struct style_category {
	const char *code;
	struct style_colour colour;
	double weight; /* heatmap weight, >= 0 */
};

struct style_service {
	const char *code;
	struct style_colour colour;
};

/* ---- loading ----------------------------------------------------------- */

/* Reads and parses the style file at path (at most STYLE_FILE_MAX bytes;
 * NULL: the default style, found by datapath_find()). *out is a new style; free with style_free().
 * ERR_IO when the file cannot be read; ERR_INVALID with "path:line:column: json.path: what" for the
 * first problem found; ERR_NOMEM. *out is NULL on failure. */
int style_load(const char *path, style **out);

/* Parses a style from NUL-terminated JSON text; name is used in messages in
 * place of the path (NULL: "style"). Same results as style_load(). */
int style_parse(const char *text, const char *name, style **out);

/* Frees a style and everything its getters returned; accepts NULL. */
void style_free(style *s);

/* ---- getters ----------------------------------------------------------- */

/* The style's name ("" when the file gives none). */
const char *style_name(const style *s);

/* 1 and the colour when the style has a background; 0 and transparent black
 * when it has none (tiles then overlay any basemap). */
int style_background(const style *s, struct style_colour *out);

/* The named font, or NULL. */
const struct style_font *style_font(const style *s, const char *name);

/* Each layer's style, or NULL when the style does not draw that layer. */
const struct style_area *style_districts(const style *s);
const struct style_area *style_mahallas(const style *s);
const struct style_choropleth *style_choropleth(const style *s);
const struct style_heatmap *style_heatmap(const style *s);
const struct style_heatmap *style_change(const style *s);
const struct style_offences *style_offences(const style *s);
const struct style_zones *style_zones(const style *s);
const struct style_tracks *style_tracks(const style *s);
const struct style_hotspots *style_hotspots(const style *s);
const struct style_trends *style_trends(const style *s);
const struct style_basemap *style_basemap(const style *s);

/* The colour of a category code. Returns 1 when the style names the code.
 * Otherwise returns 0 with a fallback: a colour of a fixed qualitative
 * palette chosen by a hash of the code (the same code always gets the same
 * colour), or neutral grey for NULL or "" (no category). */
int style_category_colour(const style *s, const char *code, struct style_colour *out);

/* The heatmap weight of a category code: the style's, or 1 for codes it
 * does not name (and for NULL). */
double style_category_weight(const style *s, const char *code);

/* The colour of a service code, with the same fallbacks as categories. */
int style_service_colour(const style *s, const char *code, struct style_colour *out);

/* The categories and services the style names, in file order, for legends:
 * returns the count and points *out at a borrowed array. */
size_t style_categories(const style *s, const struct style_category **out);
size_t style_services(const style *s, const struct style_service **out);

#endif
