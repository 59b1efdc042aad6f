/*
 * render: pictures of the map, composed from layers through one view.
 *
 * A renderer holds what drawing needs in memory, loaded once from a store
 * (the offences as a dataset) and a style, and answers render requests for
 * tiles or any box: the layers asked for, drawn in a fixed order from fills
 * to labels whatever order the request names them in, on a transparent
 * background unless the style sets one. The heatmap's colour ramp is computed
 * once per filter and cached, so every tile of a filter shares one scale.
 *
 * Threading: any number of threads may render at once with one renderer;
 * renderer_sync() may run concurrently with them.
 */
#ifndef POSBON_RENDER_H
#define POSBON_RENDER_H

#include "basemap.h"
#include "choropleth.h"
#include "dataset.h"
#include "gistarlayer.h"
#include "results.h"
#include "shapes.h"
#include "shift.h"
#include "store.h"
#include "style.h"
#include "view.h"

#include <cairo.h>
#include <stddef.h>

typedef struct renderer renderer;

enum render_layer {
	RENDER_DISTRICTS = 1 << 0,
	RENDER_MAHALLAS = 1 << 1,
	RENDER_CHOROPLETH = 1 << 2,
	RENDER_HEATMAP = 1 << 3,
	RENDER_OFFENCES = 1 << 4,
	RENDER_ZONES = 1 << 5,
	RENDER_TRACKS = 1 << 6,
	RENDER_GISTAR = 1 << 7,   /* Gi* hot and cold cells (gistarlayer.h) */
	RENDER_HOTSPOTS = 1 << 8, /* the planner's layers: a shift's hotspots, */
	RENDER_COVERAGE = 1 << 9, /* their coverage by the zones in play */
	RENDER_DOSAGE = 1 << 10,  /* and their patrol dosage on a day */
	RENDER_CHANGE = 1 << 11,  /* density change from the previous period (changemap.h) */
	RENDER_TRENDS = 1 << 12,  /* emerging hot and cold spot categories (trendslayer.h) */
	RENDER_BASE = 1 << 13,    /* the ground: streets, buildings, water, places (basemap.h) */
};

/* The layers whose names follow a request's language (render_request's
 * names.lang): the ground's and the areas' labels. */
#define RENDER_NAMED (RENDER_BASE | RENDER_MAHALLAS | RENDER_DISTRICTS)

#define RENDER_PLANNING (RENDER_HOTSPOTS | RENDER_COVERAGE | RENDER_DOSAGE)

/* Layer names joined by '+' or ',' ("heatmap+mahallas") into a mask of the
 * layers this build draws. ERR_INVALID naming an unknown layer. */
int render_layers_parse(const char *text, unsigned *mask);

/* The name of layer i, 0 up, and its bit into *bit (may be NULL); NULL
 * past the last layer. For listing them (WMS capabilities). */
const char *render_layer_name(size_t i, unsigned *bit);

/* Loads the data of st and the style file at style_path (NULL: the
 * default style, as style_load()); local hours in the
 * zone tzname (NULL: Asia/Tashkent). *out is new; free with renderer_free().
 * st is only used during the call and by renderer_sync(). */
int renderer_open(store *st, const char *style_path, const char *tzname, renderer **out);

void renderer_free(renderer *r);

/* Takes in offences added to st since the last load or sync. */
int renderer_sync(renderer *r, store *st, size_t *added);

/* Takes in a correction or deletion of offence id (a store id). */
int renderer_reload(renderer *r, store *st, int64_t id);

/* Replaces the style with the file at style_path (NULL: the default), for renders that start
 * from now on (running ones finish with the old style, which the last of
 * them frees). On any error the old style stays. */
int renderer_reload_style(renderer *r, const char *style_path);

/* Replaces the districts, mahallas, zones and tracks with those of st now,
 * for renders that start from now on (running ones finish with the old
 * shapes, which the last of them frees), and changes the ETags of tiles
 * with zones. On any error the old shapes stay. */
int renderer_reload_shapes(renderer *r, store *st);

/* After an import while serving: the districts and regions of st now for
 * the filters (dataset_refresh_areas()), its shapes (as
 * renderer_reload_shapes()) and the offences added since (as
 * renderer_sync(); *added how many). */
int renderer_reload_areas(renderer *r, store *st, size_t *added);

/* Replaces the reference layers the base layer draws with those of st now
 * (after an import), as renderer_reload_shapes() does the shapes, and
 * changes the ETags of base tiles. On any error the old ones stay. */
int renderer_reload_ground(renderer *r, store *st);

/* The number of reference features the base layer draws now. */
size_t renderer_ground_count(renderer *r);

/* Says that tracks changed in the store (live fixes, an import): dosage
 * tiles get new ETags and their dosage is read again. */
void renderer_tracks_changed(renderer *r);

/* A number that grows whenever a sync or reload changes the offences. */
unsigned long renderer_version(const renderer *r);

/* The Gi* analysis and the trends of p on the offences and shapes now,
 * from the results cache the map layers draw from: the API's answer and
 * the tiles of the same parameters share one computation. *out borrowed
 * until results_release(*hold). Errors as gistar_run(), trends_run(). */
int renderer_gistar(renderer *r, const struct gistar_params *p, const struct gistar_result **out,
                    results_hold **hold);
int renderer_trends(renderer *r, const struct trends_params *p, const struct trends_result **out,
                    results_hold **hold);

/* A shift's hotspots (p's filter after hotspot_default_period()), their
 * coverage by the zones valid on date (NULL: any) and their dosage by the
 * tracks of st (the calling thread's connection), from the results cache
 * the planner's layers draw from. They are computed on the shapes the
 * caller holds (renderer_shapes_acquire()), which it keeps until it has
 * released the result. *out borrowed until results_release(*hold). Errors
 * as hotspot_find(), coverage_compute(), dosage_from_store(). */
struct held_shapes;
int renderer_hotspots(renderer *r, struct held_shapes *held, const struct hotspot_params *p,
                      const struct hotspot_set **out, results_hold **hold);
int renderer_coverage(renderer *r, struct held_shapes *held, const struct hotspot_params *p,
                      const char *date, const struct coverage **out, results_hold **hold);
int renderer_dosage(renderer *r, struct held_shapes *held, const struct hotspot_params *p,
                    const struct dosage_params *dp, store *st, const struct dosage_result **out,
                    results_hold **hold);

/* The counters of those analyses' cache, for /metrics. */
void renderer_results_stats(renderer *r, struct results_stats *out);

/* The renderer's dataset, borrowed for its lifetime. */
const dataset *renderer_dataset(const renderer *r);

/* The current style, kept alive for the caller, even across
 * renderer_reload_style(), until it hands *held back to
 * renderer_style_release(): a retired style is freed by its last holder,
 * so reloads may come without end. */
struct held_style;
const style *renderer_style_acquire(renderer *r, struct held_style **held);
void renderer_style_release(renderer *r, struct held_style *held);

/* The heatmap style's kernel and bandwidth (quartic and 0 when the style
 * has no heatmap layer): what hotspots, backtests and dosage smooth with. */
void renderer_kernel(renderer *r, enum kde_kernel *kernel, double *bandwidth);

/* The current style without a hold: valid until the next
 * renderer_reload_style(), so only for callers that never reload it (the
 * commands, tests, benchmarks). The daemon's code holds it. */
const style *renderer_style(const renderer *r);

/* The renderer's districts, mahallas, zones and tracks (Web Mercator),
 * kept alive for the caller, even across renderer_reload_shapes(), until
 * it hands *held back to renderer_shapes_release(). */
const shapes *renderer_shapes_acquire(renderer *r, struct held_shapes **held);
void renderer_shapes_release(renderer *r, struct held_shapes *held);

/* The reference layers the base layer draws, kept alive alike until
 * renderer_ground_release(), even across renderer_reload_ground(). */
struct held_ground;
const ground *renderer_ground_acquire(renderer *r, struct held_ground **held);
void renderer_ground_release(renderer *r, struct held_ground *held);

struct render_request {
	unsigned layers; /* enum render_layer bits */
	struct view view;
	struct dataset_filter filter;
	double bandwidth; /* heatmap bandwidth in metres; 0: the style's */
	int fit;          /* heatmap: 1 a ramp fitted to the filter (heatmap_ramp()) */
	int metric;       /* choropleth figure: 0 the style's, else 1 + enum style_metric */
	struct basemap_names names; /* the names' language (RENDER_NAMED), the ground's size */
	struct render_plan {
		/* The shift of the planner's layers and of the zones layer (zones on
		 * duty in it); has_shift 0: every hour of every day, every zone.
		 * The planner's layers take the filter's period, categories and
		 * services; its hours and weekdays are the shift's to choose.
		 * Fields are laid out without padding: the plan is hashed and
		 * compared as bytes. */
		int has_shift;
		int has_day; /* a planning date: zones valid on it; the day the
		                dosage layer doses (which needs one) */
		struct shift shift;
		int visits;    /* dosage: full visits per occurrence; 0 the default */
		long day;      /* days since 1970-01-01 */
		double share;  /* hotspots: share of the district; 0 the default */
		double cell;   /* hotspots: grid cell metres; 0 the default */
		double target; /* dosage: full visit minutes; 0 the default */
	} plan;
	struct render_trends {
		/* The trends layer's analysis (trends.h): 0 for trends_run()'s
		 * defaults; weeks needs the filter's start open. */
		int weeks;
		double cell, band; /* metres */
	} trends;
	store *st; /* the dosage layer reads the tracks from it (borrowed; the
	              calling thread's connection); NULL: no dosage layer */
};

/* Draws q into a new ARGB32 image surface of the view's size (*out; the
 * caller destroys it). */
int render_image(renderer *r, const struct render_request *q, cairo_surface_t **out);

/* The entity tag of q's picture into out: it changes when anything the
 * picture depends on changes (layers, view, filter, the heatmap's colour
 * ramp, offences within reach of the view; for the planner's layers the
 * plan, any offence, the shapes and, for dosage, the tracks; for trends its
 * analysis, any offence and the shapes) and only then,
 * so tiles far from a new offence keep theirs. Tags are the renderer's own:
 * another renderer (a restarted daemon) makes other ones, so a tile cache
 * that outlives a process never answers with a picture of another style or
 * other data. */
int render_etag(renderer *r, const struct render_request *q, char *out, size_t n);

/* How many seconds q's picture may be used without asking again (its
 * Cache-Control max-age; the ETag answers whoever asks): a day when it
 * shows only what changes with the shapes or the style, an hour when
 * every layer that follows the offences is of a period that ended before
 * today (now, local), ten seconds when offences may still come in or it
 * shows zones or the planner's layers. */
unsigned render_max_age(const renderer *r, const struct render_request *q, int64_t now);

/* The heatmap's colour ramp for filter f, in density units (see
 * heatmap_ramp()): a new copy in *out, free with style_ramp_free().
 * ERR_NOTFOUND when the style has no heatmap layer. */
int renderer_heatmap_ramp(renderer *r, const struct dataset_filter *f, int fit, style_ramp **out);

/* The Gi* cell under lon/lat as the gistar layer draws it for filter f
 * (gistarlayer_cell_at()): 1 and *out, or 0 where no cell was analysed. */
int renderer_gistar_at(renderer *r, const struct dataset_filter *f, double lon, double lat,
                       struct gistarlayer_cell *out);

/* The trends cell under lon/lat as the trends layer draws it for q (its
 * filter, weeks, cell, band; trendslayer_feature_at()): 1 and a new
 * GeoJSON Feature in *out, or 0 where no cell was analysed. */
int renderer_trends_at(renderer *r, const struct render_request *q, double lon, double lat,
                       json_t **out);

/* The change layer's colour ramp for filter f, in density units of its
 * period (see changemap_ramp()): a new ramp in *out, free with
 * style_ramp_free(). ERR_NOTFOUND when the style has no change layer. */
int renderer_change_ramp(renderer *r, const struct dataset_filter *f, style_ramp **out);

/* The choropleth's classes for filter f and metric (as in render_request): fills
 * *out; free with choropleth_classes_free(). ERR_NOTFOUND when the style
 * has no choropleth layer. */
int renderer_choropleth(renderer *r, const struct dataset_filter *f, int metric,
                        struct choropleth_classes *out);

/* Draws q as PNG bytes: *png is a new buffer of *len bytes; free(). */
int render_png(renderer *r, const struct render_request *q, unsigned char **png, size_t *len);

#endif
