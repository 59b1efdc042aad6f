/*
 * render: the composition. The ramp cache is a small array searched by the
 * filter's bytes: a wall screen or a planner uses a handful of filters at a
 * time, and every tile of one filter must share one colour scale.
 *
 * The planner's layers take their analyses from the results cache the API
 * shares: a shift's hotspots (~15 ms to find, too much per tile), their
 * coverage and dosage, and the hotspots' drawable form, each computed once
 * per key however many tiles ask at once. A render holds the shapes it
 * draws for as long as it holds results computed on them.
 */
#include "render.h"

#include "civil.h"

#include "areas.h"
#include "basemap.h"
#include "changemap.h"
#include "changes.h"
#include "choropleth.h"
#include "coverage.h"
#include "dosage.h"
#include "err.h"
#include "gistarlayer.h"
#include "ground.h"
#include "heatmap.h"
#include "hotspot.h"
#include "labels.h"
#include "planmap.h"
#include "pngenc.h"
#include "points.h"
#include "shapes.h"
#include "tilemath.h"
#include "tracks.h"
#include "trendslayer.h"
#include "zones.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
	RAMP_CACHE = 16,
};

/* Gi* grids and trends weeks kept for the tiles and the API: a district's
 * grids are a few MiB; a city's, asked in several cell sizes, tens. */
#define RESULTS_BUDGET ((size_t)128 << 20)

struct ramp_entry {
	struct dataset_filter filter;
	int fit;
	style_ramp *ramp;
	unsigned long used;
};

/* What renders read while a reload may replace it: the style, the shapes
 * and the ground. Each render and request holds the one it started with; a
 * reload retires the old one, and its last holder frees it. */
enum held_kind { HELD_STYLE, HELD_SHAPES, HELD_GROUND, HELD_KINDS };

struct held {
	unsigned long users; /* under the renderer's lock */
	int retired;
	unsigned long generation; /* the renderer's reloads of its kind when installed */
	void (*drop)(struct held *h);
};

/* Each kind begins with its struct held: a struct held * of the kind is a
 * pointer to it. */
struct held_style {
	struct held h;
	style *sty;
};

struct held_shapes {
	struct held h;
	shapes *sh; /* boundaries, zones and tracks in Web Mercator */
};

struct held_ground {
	struct held h;
	ground *g; /* the reference layers the basemap draws */
};

struct renderer {
	dataset *ds;
	struct held *held[HELD_KINDS];        /* under lock */
	unsigned long generation[HELD_KINDS]; /* under lock; grows with every reload */
	/* The style's heatmap weight per dataset category: fixed in place, so
	 * that a sync adding categories never moves what renders read. */
	double weights[DATASET_MAX_CATEGORIES];
	size_t n_weights;
	pthread_mutex_t lock; /* ramps and weights */
	struct ramp_entry ramps[RAMP_CACHE];
	unsigned long clock;
	/* The generations and versions start again with every process, and a
	 * disk cache outlives it: this run's own number keeps its tags apart
	 * from the last run's, whose style and data may have been others. */
	uint64_t epoch;
	atomic_ulong version;
	changes *changes;    /* where offences changed, by version */
	results *results;    /* Gi* grids and trends, for the layers and the API */
	gistarlayer *gistar; /* the Gi* layer, its analyses in results */
	trendslayer *trends; /* the trends layer, its analyses in results */
	atomic_ulong tracks_version;
};

static const struct {
	const char *name;
	unsigned bit;
} layer_names[] = {
    {"districts", RENDER_DISTRICTS},   {"mahallas", RENDER_MAHALLAS},
    {"choropleth", RENDER_CHOROPLETH}, {"heatmap", RENDER_HEATMAP},
    {"offences", RENDER_OFFENCES},     {"zones", RENDER_ZONES},
    {"tracks", RENDER_TRACKS},         {"gistar", RENDER_GISTAR},
    {"hotspots", RENDER_HOTSPOTS},     {"coverage", RENDER_COVERAGE},
    {"dosage", RENDER_DOSAGE},         {"change", RENDER_CHANGE},
    {"trends", RENDER_TRENDS},         {"base", RENDER_BASE},
};

int render_layers_parse(const char *text, unsigned *mask)
{
	*mask = 0;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "+, ");
		unsigned bit = 0;
		for (size_t i = 0; i < sizeof layer_names / sizeof layer_names[0]; i++)
			if (strlen(layer_names[i].name) == n &&
			    strncmp(layer_names[i].name, p, n) == 0)
				bit = layer_names[i].bit;
		if (!bit)
			return err_set_field(
			    ERR_INVALID, "layers",
			    "layers: '%.*s' is not a layer (districts, mahallas, "
			    "choropleth, heatmap, offences, zones, tracks, gistar, "
			    "hotspots, coverage, dosage, change, trends)",
			    (int)n, p);
		*mask |= bit;
		p += n;
		p += strspn(p, "+, ");
	}
	if (!*mask)
		return err_set_field(ERR_INVALID, "layers", "layers: none named");
	return 0;
}

const char *render_layer_name(size_t i, unsigned *bit)
{
	if (i >= sizeof layer_names / sizeof layer_names[0])
		return NULL;
	if (bit)
		*bit = layer_names[i].bit;
	return layer_names[i].name;
}

/* The current style (under the lock). */
static const style *style_now(const renderer *r)
{
	return ((const struct held_style *)r->held[HELD_STYLE])->sty;
}

/* Heatmap weights of categories the dataset gained since the last call. */
static void refresh_weights(renderer *r)
{
	size_t n = dataset_category_count(r->ds);
	for (size_t i = r->n_weights; i < n; i++)
		r->weights[i] = style_category_weight(style_now(r), dataset_category(r->ds, i));
	r->n_weights = n;
}

static void drop_shapes(struct held *h)
{
	shapes_free(((struct held_shapes *)h)->sh);
	free(h);
}

static void drop_style(struct held *h)
{
	style_free(((struct held_style *)h)->sty);
	free(h);
}

static void drop_ground(struct held *h)
{
	ground_free(((struct held_ground *)h)->g);
	free(h);
}

/* A new zeroed holder of size bytes that drop frees. */
static void *held_new(size_t size, void (*drop)(struct held *h))
{
	struct held *h = calloc(1, size);
	if (h)
		h->drop = drop;
	return h;
}

/* The shapes of st as the renderer draws them: a new held_shapes. */
static int load_shapes(store *st, struct held **out)
{
	struct shapes_options so = {.tracks_from = STORE_NO_TIME, .tracks_to = STORE_NO_TIME};
	struct held_shapes *h = held_new(sizeof *h, drop_shapes);
	int rc;
	*out = NULL;
	if (!h)
		return err_set(ERR_NOMEM, "render: out of memory");
	if ((rc = shapes_load(st, &so, &h->sh)) < 0) {
		free(h);
		return rc;
	}
	*out = &h->h;
	return 0;
}

static int load_style(const char *path, struct held **out)
{
	struct held_style *h = held_new(sizeof *h, drop_style);
	*out = NULL;
	if (!h)
		return err_set(ERR_NOMEM, "render: out of memory for a style");
	int rc = style_load(path, &h->sty);
	if (rc < 0) {
		free(h);
		return rc;
	}
	*out = &h->h;
	return 0;
}

static int load_ground(store *st, struct held **out)
{
	struct held_ground *h = held_new(sizeof *h, drop_ground);
	*out = NULL;
	if (!h)
		return err_set(ERR_NOMEM, "render: out of memory");
	int rc = ground_load(st, &h->g);
	if (rc < 0) {
		free(h);
		return rc;
	}
	*out = &h->h;
	return 0;
}

/* The current one of kind, kept alive for the caller until let_go(). */
static struct held *hold(renderer *r, enum held_kind kind)
{
	pthread_mutex_lock(&r->lock);
	struct held *h = r->held[kind];
	h->users++;
	pthread_mutex_unlock(&r->lock);
	return h;
}

static void let_go(renderer *r, struct held *h)
{
	pthread_mutex_lock(&r->lock);
	int last = --h->users == 0 && h->retired;
	pthread_mutex_unlock(&r->lock);
	if (last)
		h->drop(h);
}

/* Makes fresh the current one of kind for renders that start from now on;
 * also (may be NULL) runs under the same hold of the lock. */
static void install(renderer *r, enum held_kind kind, struct held *fresh, void (*also)(renderer *r))
{
	pthread_mutex_lock(&r->lock);
	struct held *old = r->held[kind];
	r->held[kind] = fresh;
	fresh->generation = ++r->generation[kind];
	if (also)
		also(r);
	int unused = old && old->users == 0;
	if (old)
		old->retired = 1;
	pthread_mutex_unlock(&r->lock);
	if (unused)
		old->drop(old);
}

static struct held_style *style_acquire(renderer *r)
{
	return (struct held_style *)hold(r, HELD_STYLE);
}

static void style_release(renderer *r, struct held_style *h)
{
	let_go(r, &h->h);
}

static struct held_shapes *shapes_acquire(renderer *r)
{
	return (struct held_shapes *)hold(r, HELD_SHAPES);
}

/* The results state of the shapes held. */
static struct results_state state_of(renderer *r, const struct held_shapes *held)
{
	return (struct results_state){r->ds, held->sh, atomic_load(&r->version),
	                              held->h.generation};
}

static void shapes_release(renderer *r, struct held_shapes *h)
{
	let_go(r, &h->h);
}

int renderer_open(store *st, const char *style_path, const char *tzname, renderer **out)
{
	renderer *r = calloc(1, sizeof *r);
	int rc;
	*out = NULL;
	if (!r)
		return err_set(ERR_NOMEM, "render: out of memory");
	pthread_mutex_init(&r->lock, NULL);
	struct held *fresh[HELD_KINDS];
	if ((rc = load_style(style_path, &fresh[HELD_STYLE])) == 0)
		install(r, HELD_STYLE, fresh[HELD_STYLE], NULL);
	if (rc == 0 && (rc = load_shapes(st, &fresh[HELD_SHAPES])) == 0)
		install(r, HELD_SHAPES, fresh[HELD_SHAPES], NULL);
	if (rc == 0 && (rc = load_ground(st, &fresh[HELD_GROUND])) == 0)
		install(r, HELD_GROUND, fresh[HELD_GROUND], NULL);
	if (rc < 0 || (rc = dataset_load(st, tzname, &r->ds)) < 0 ||
	    (rc = results_new(RESULTS_BUDGET, &r->results)) < 0 ||
	    (rc = gistarlayer_new(r->results, &r->gistar)) < 0 ||
	    (rc = trendslayer_new(r->results, &r->trends)) < 0) {
		renderer_free(r);
		return rc;
	}
	refresh_weights(r);
	atomic_init(&r->version, 1);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	r->epoch = ((uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec) ^
	           ((uint64_t)getpid() << 40);
	double extent[4];
	dataset_extent(r->ds, extent);
	if ((rc = changes_new(extent, 1, &r->changes)) < 0) {
		renderer_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

static void drop_ramps(renderer *r)
{
	for (int i = 0; i < RAMP_CACHE; i++) {
		style_ramp_free(r->ramps[i].ramp);
		r->ramps[i].ramp = NULL;
	}
}

void renderer_free(renderer *r)
{
	if (!r)
		return;
	drop_ramps(r);
	gistarlayer_free(r->gistar);
	trendslayer_free(r->trends);
	results_free(r->results);
	changes_free(r->changes);
	for (int k = 0; k < HELD_KINDS; k++)
		if (r->held[k])
			r->held[k]->drop(r->held[k]);
	dataset_free(r->ds);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

struct mark_ctx {
	changes *changes;
	unsigned long version;
};

static void mark_change(void *ctx, const struct dataset_offence *o)
{
	struct mark_ctx *m = ctx;
	changes_mark(m->changes, o->x, o->y, m->version);
}

/* After the dataset changed: new weights, ramps recomputed, version up. */
static void after_change(renderer *r)
{
	pthread_mutex_lock(&r->lock);
	refresh_weights(r);
	/* Auto breaks follow the data: recompute them for the new offences. */
	drop_ramps(r);
	pthread_mutex_unlock(&r->lock);
}

int renderer_sync(renderer *r, store *st, size_t *added)
{
	size_t n = 0;
	/* Marks carry the next version, published once the data is in. */
	struct mark_ctx m = {r->changes, atomic_load(&r->version) + 1};
	int rc = dataset_sync(r->ds, st, mark_change, &m, &n);
	if (added)
		*added = n;
	if (rc < 0 || n == 0)
		return rc;
	after_change(r);
	atomic_store(&r->version, m.version);
	return 0;
}

int renderer_reload(renderer *r, store *st, int64_t id)
{
	struct mark_ctx m = {r->changes, atomic_load(&r->version) + 1};
	int rc = dataset_reload(r->ds, st, id, mark_change, &m);
	if (rc < 0)
		return rc;
	after_change(r);
	atomic_store(&r->version, m.version);
	return 0;
}

/* What a new style changes beyond itself (under the lock). */
static void style_changed(renderer *r)
{
	r->n_weights = 0;
	refresh_weights(r);
	drop_ramps(r);
}

int renderer_reload_style(renderer *r, const char *style_path)
{
	struct held *fresh;
	int rc = load_style(style_path, &fresh);
	if (rc == 0)
		install(r, HELD_STYLE, fresh, style_changed);
	return rc;
}

int renderer_reload_shapes(renderer *r, store *st)
{
	struct held *fresh;
	int rc = load_shapes(st, &fresh);
	if (rc == 0)
		install(r, HELD_SHAPES, fresh, NULL);
	return rc;
}

int renderer_reload_areas(renderer *r, store *st, size_t *added)
{
	int rc = dataset_refresh_areas(r->ds, st);
	if (rc == 0)
		rc = renderer_reload_shapes(r, st);
	return rc < 0 ? rc : renderer_sync(r, st, added);
}

size_t renderer_ground_count(renderer *r)
{
	struct held_ground *h = (struct held_ground *)hold(r, HELD_GROUND);
	size_t n = ground_count(h->g);
	let_go(r, &h->h);
	return n;
}

const ground *renderer_ground_acquire(renderer *r, struct held_ground **held)
{
	*held = (struct held_ground *)hold(r, HELD_GROUND);
	return (*held)->g;
}

void renderer_ground_release(renderer *r, struct held_ground *held)
{
	let_go(r, &held->h);
}

int renderer_reload_ground(renderer *r, store *st)
{
	struct held *fresh;
	int rc = load_ground(st, &fresh);
	if (rc == 0)
		install(r, HELD_GROUND, fresh, NULL);
	return rc;
}

void renderer_tracks_changed(renderer *r)
{
	atomic_fetch_add(&r->tracks_version, 1);
}

unsigned long renderer_version(const renderer *r)
{
	return atomic_load(&((renderer *)r)->version);
}

const dataset *renderer_dataset(const renderer *r)
{
	return r->ds;
}

const style *renderer_style(const renderer *r)
{
	renderer *w = (renderer *)r;
	pthread_mutex_lock(&w->lock);
	const style *s = style_now(w);
	pthread_mutex_unlock(&w->lock);
	return s;
}

void renderer_kernel(renderer *r, enum kde_kernel *kernel, double *bandwidth)
{
	pthread_mutex_lock(&r->lock);
	const struct style_heatmap *hm = style_heatmap(style_now(r));
	*kernel = hm ? hm->kernel : KDE_QUARTIC;
	*bandwidth = hm ? hm->bandwidth : 0;
	pthread_mutex_unlock(&r->lock);
}

const style *renderer_style_acquire(renderer *r, struct held_style **held)
{
	*held = style_acquire(r);
	return (*held)->sty;
}

void renderer_style_release(renderer *r, struct held_style *held)
{
	style_release(r, held);
}

const shapes *renderer_shapes_acquire(renderer *r, struct held_shapes **held)
{
	*held = shapes_acquire(r);
	return (*held)->sh;
}

void renderer_shapes_release(renderer *r, struct held_shapes *held)
{
	shapes_release(r, held);
}

/* The cached ramp of a filter, fitted to it or not (under r->lock),
 * computed on a miss. */
static int ramp_for(renderer *r, const struct style_heatmap *h, const struct dataset_filter *f,
                    int fit, const style_ramp **out)
{
	struct ramp_entry *victim = &r->ramps[0];
	r->clock++;
	for (int i = 0; i < RAMP_CACHE; i++) {
		struct ramp_entry *e = &r->ramps[i];
		if (e->ramp && e->fit == fit && memcmp(&e->filter, f, sizeof *f) == 0) {
			e->used = r->clock;
			*out = e->ramp;
			return 0;
		}
		if (!e->ramp || e->used < victim->used)
			victim = e;
	}
	style_ramp *ramp;
	int rc = heatmap_ramp(h, r->ds, f, r->weights, fit, &ramp);
	if (rc < 0)
		return rc;
	style_ramp_free(victim->ramp);
	victim->ramp = ramp;
	victim->filter = *f;
	victim->fit = fit;
	victim->used = r->clock;
	*out = ramp;
	return 0;
}

int renderer_heatmap_ramp(renderer *r, const struct dataset_filter *f, int fit, style_ramp **out)
{
	struct held_style *hs = style_acquire(r);
	const struct style_heatmap *h = style_heatmap(hs->sty);
	const style_ramp *cached;
	int rc;
	*out = NULL;
	if (!h) {
		rc = err_set(ERR_NOTFOUND, "the style has no heatmap layer");
	} else {
		pthread_mutex_lock(&r->lock);
		rc = ramp_for(r, h, f, fit, &cached);
		if (rc == 0)
			rc = style_ramp_scaled(cached, 1.0, out);
		pthread_mutex_unlock(&r->lock);
	}
	style_release(r, hs);
	return rc;
}

/* The hotspots of q's planner layers on s: as GET /api/hotspots, the
 * shift chooses the times; the bandwidth is q's or the style's. p borrows
 * q's shift. */
static void plan_params(const style *sty, const struct results_state *s,
                        const struct render_request *q, struct hotspot_params *p)
{
	const struct style_heatmap *hm = style_heatmap(sty);
	*p = (struct hotspot_params){.filter = q->filter,
	                             .shift = q->plan.has_shift ? &q->plan.shift : NULL,
	                             .share = q->plan.share,
	                             .cell = q->plan.cell,
	                             .kernel = hm ? hm->kernel : KDE_QUARTIC,
	                             .bandwidth = q->bandwidth > 0 ? q->bandwidth
	                                          : hm             ? hm->bandwidth
	                                                           : 0};
	if (q->plan.has_shift)
		dataset_filter_any_time(&p->filter);
	hotspot_default_period(s->ds, &p->filter);
}

/* A shift's hotspots as the layers draw them, holding the hotspots. */
struct drawing {
	results_hold *set_hold;
	planmap *pm;
};

struct drawing_ctx {
	results *c;
	const struct results_state *s;
	const struct hotspot_params *p;
};

static void drawing_free(void *value)
{
	struct drawing *d = value;
	planmap_free(d->pm);
	results_release(d->set_hold);
	free(d);
}

static int drawing_compute(void *ctx, void **value, size_t *bytes)
{
	const struct drawing_ctx *x = ctx;
	const struct hotspot_set *set;
	struct drawing *d = calloc(1, sizeof *d);
	if (!d)
		return err_set(ERR_NOMEM, "render: out of memory for a plan");
	int rc = results_hotspots(x->c, x->s, x->p, &set, &d->set_hold);
	if (rc == 0)
		rc = planmap_new(set, &d->pm);
	if (rc < 0) {
		drawing_free(d);
		return rc;
	}
	*value = d;
	*bytes = sizeof *d + planmap_bytes(d->pm);
	return 0;
}

/* The dosage of q's one day (the layer doses a day) into *out. */
static int plan_dose(renderer *r, const struct results_state *s, const struct hotspot_params *p,
                     const struct render_request *q, const struct dosage_result **out,
                     results_hold **hold)
{
	const struct render_plan *pl = &q->plan;
	if (!pl->has_day)
		return err_set_field(ERR_INVALID, "date",
		                     "date: the dosage layer doses one day; give its date");
	if (!q->st)
		return err_set_field(ERR_INVALID, "dosage",
		                     "dosage: no store to read the tracks from");
	struct dosage_params dp = {.shift = p->shift,
	                           .from_day = pl->day,
	                           .to_day = pl->day,
	                           .zone = dataset_zone(s->ds),
	                           .target_minutes = pl->target,
	                           .target_visits = pl->visits};
	return results_dosage(r->results, s, p, &dp, q->st, atomic_load(&r->tracks_version), out,
	                      hold);
}

static int draw_plan(renderer *r, const style *sty, cairo_t *cr, const struct render_request *q,
                     labels *lb)
{
	static const struct {
		unsigned bit;
		enum planmap_layer layer;
	} order[] = {{RENDER_HOTSPOTS, PLANMAP_HOTSPOTS},
	             {RENDER_COVERAGE, PLANMAP_COVERAGE},
	             {RENDER_DOSAGE, PLANMAP_DOSAGE}};
	struct held_shapes *held = shapes_acquire(r);
	struct results_state s = state_of(r, held);
	struct hotspot_params p;
	plan_params(sty, &s, q, &p);
	struct results_key k;
	results_key_hotspots(&k, "planmap", &s, &p);
	struct drawing_ctx x = {r->results, &s, &p};
	results_hold *hold = NULL, *cov_hold = NULL, *dose_hold = NULL;
	const void *v;
	struct planmap_data d = {0};
	int rc = results_get(r->results, &k, drawing_compute, &x, drawing_free, &v, &hold);
	if (rc == 0)
		d.pm = ((const struct drawing *)v)->pm;
	if (rc == 0 && (q->layers & RENDER_COVERAGE)) {
		char date[16];
		if (q->plan.has_day)
			dosage_day_text(q->plan.day, date, sizeof date);
		rc = results_coverage(r->results, &s, &p, q->plan.has_day ? date : NULL,
		                      &d.coverage, &cov_hold);
	}
	if (rc == 0 && (q->layers & RENDER_DOSAGE))
		rc = plan_dose(r, &s, &p, q, &d.dose, &dose_hold);
	/* Numbers once, however many of the layers are drawn. */
	for (size_t i = 0; rc == 0 && i < sizeof order / sizeof order[0]; i++)
		if (q->layers & order[i].bit) {
			rc = planmap_paint(cr, &q->view, sty, order[i].layer, &d, lb);
			lb = NULL;
		}
	results_release(dose_hold);
	results_release(cov_hold);
	results_release(hold);
	shapes_release(r, held);
	return rc;
}

/* The zones layer's shift: the plan's shift on its weekdays, zones valid
 * on its date; NULL (every zone) when it has neither. */
static const struct shapes_shift *zones_shift(const struct render_plan *pl,
                                              struct shapes_shift *buf)
{
	if (!pl->has_shift && !pl->has_day)
		return NULL;
	*buf = (struct shapes_shift){pl->has_day ? pl->day : SHAPES_ANY_DAY,
	                             pl->has_shift ? pl->shift : SHIFT_WHOLE_DAY};
	return buf;
}

static int draw_heatmap(renderer *r, const style *sty, cairo_t *cr, const struct render_request *q)
{
	const struct style_heatmap *h = style_heatmap(sty);
	struct dataset_points scratch = {0};
	const style_ramp *cached;
	style_ramp *ramp = NULL;
	int rc;
	if (!h || !style_zoom_contains(&h->zoom, q->view.zoom))
		return 0;
	/* A copy of the cached ramp, so that painting needs no lock while a
	 * sync may drop the cache. */
	pthread_mutex_lock(&r->lock);
	rc = ramp_for(r, h, &q->filter, q->fit, &cached);
	if (rc == 0)
		rc = style_ramp_scaled(cached, 1.0, &ramp);
	pthread_mutex_unlock(&r->lock);
	if (rc == 0) {
		struct heatmap_opts o = {.kernel = h->kernel,
		                         .bandwidth =
		                             q->bandwidth > 0 ? q->bandwidth : h->bandwidth,
		                         .weights = r->weights,
		                         .ramp = ramp,
		                         .opacity = h->opacity};
		rc = heatmap_paint(cr, &q->view, r->ds, &q->filter, &o, &scratch);
	}
	style_ramp_free(ramp);
	dataset_points_free(&scratch);
	return rc;
}

int renderer_change_ramp(renderer *r, const struct dataset_filter *f, style_ramp **out)
{
	struct held_style *hs = style_acquire(r);
	const struct style_heatmap *c = style_change(hs->sty);
	*out = NULL;
	int rc = c ? changemap_ramp(c, r->ds, f, out)
	           : err_set(ERR_NOTFOUND, "the style has no change layer");
	style_release(r, hs);
	return rc;
}

/* The change ramp costs two time lookups and a scaling: made per tile, no
 * cache. */
static int draw_change(renderer *r, const style *sty, cairo_t *cr, const struct render_request *q)
{
	const struct style_heatmap *c = style_change(sty);
	struct dataset_points scratch = {0};
	style_ramp *ramp = NULL;
	if (!c || !style_zoom_contains(&c->zoom, q->view.zoom))
		return 0;
	int rc = changemap_ramp(c, r->ds, &q->filter, &ramp);
	if (rc == 0) {
		struct heatmap_opts o = {.kernel = c->kernel,
		                         .bandwidth =
		                             q->bandwidth > 0 ? q->bandwidth : c->bandwidth,
		                         .weights = r->weights,
		                         .ramp = ramp,
		                         .opacity = c->opacity};
		rc = changemap_paint(cr, &q->view, r->ds, &q->filter, &o, &scratch);
	}
	style_ramp_free(ramp);
	dataset_points_free(&scratch);
	return rc;
}

int renderer_choropleth(renderer *r, const struct dataset_filter *f, int metric,
                        struct choropleth_classes *out)
{
	struct held_style *hs = style_acquire(r);
	const struct style_choropleth *st = style_choropleth(hs->sty);
	int rc;
	if (!st) {
		rc = err_set(ERR_NOTFOUND, "the style has no choropleth layer");
	} else {
		struct held_shapes *h = shapes_acquire(r);
		rc = choropleth_classify(r->ds, h->sh, st, metric - 1, f, out);
		shapes_release(r, h);
	}
	style_release(r, hs);
	return rc;
}

static int draw_choropleth(renderer *r, const shapes *sh, const style *sty, cairo_t *cr,
                           const struct render_request *q)
{
	const struct style_choropleth *st = style_choropleth(sty);
	struct choropleth_classes c;
	if (!st || !style_zoom_contains(&st->zoom, q->view.zoom))
		return 0;
	int rc = choropleth_classify(r->ds, sh, st, q->metric - 1, &q->filter, &c);
	if (rc == 0)
		rc = choropleth_paint(cr, &q->view, sh, st, &c);
	choropleth_classes_free(&c);
	return rc;
}

/* The trends analysis a request asks for: its filter, weeks, cell, band. */
static struct trends_params trends_of(const struct render_request *q)
{
	return (struct trends_params){.filter = q->filter,
	                              .weeks = q->trends.weeks,
	                              .cell = q->trends.cell,
	                              .band = q->trends.band};
}

static int draw_trends(renderer *r, const struct held_shapes *held, unsigned long version,
                       const style *sty, cairo_t *cr, const struct render_request *q)
{
	const struct style_trends *st = style_trends(sty);
	if (!st || !style_zoom_contains(&st->zoom, q->view.zoom))
		return 0;
	struct trends_params p = trends_of(q);
	return trendslayer_paint(r->trends, cr, &q->view, r->ds, held->sh, &p, st, version,
	                         held->h.generation);
}

int renderer_trends_at(renderer *r, const struct render_request *q, double lon, double lat,
                       json_t **out)
{
	*out = NULL;
	pthread_mutex_lock(&r->lock);
	int drawn = style_trends(style_now(r)) != NULL;
	pthread_mutex_unlock(&r->lock);
	if (!drawn)
		return 0; /* no layer is drawn, so nothing answers */
	struct held_shapes *held = shapes_acquire(r);
	struct trends_params p = trends_of(q);
	int rc = trendslayer_feature_at(r->trends, r->ds, held->sh, &p, atomic_load(&r->version),
	                                held->h.generation, lon, lat, out);
	shapes_release(r, held);
	return rc;
}

int renderer_gistar_at(renderer *r, const struct dataset_filter *f, double lon, double lat,
                       struct gistarlayer_cell *out)
{
	struct held_shapes *held = shapes_acquire(r);
	int rc = gistarlayer_cell_at(r->gistar, r->ds, held->sh, f, atomic_load(&r->version),
	                             held->h.generation, lon, lat, out);
	shapes_release(r, held);
	return rc;
}

int renderer_gistar(renderer *r, const struct gistar_params *p, const struct gistar_result **out,
                    results_hold **hold)
{
	struct held_shapes *held = shapes_acquire(r);
	struct results_state s = state_of(r, held);
	int rc = results_gistar(r->results, &s, p, out, hold);
	shapes_release(r, held);
	return rc;
}

int renderer_trends(renderer *r, const struct trends_params *p, const struct trends_result **out,
                    results_hold **hold)
{
	struct held_shapes *held = shapes_acquire(r);
	struct results_state s = state_of(r, held);
	int rc = results_trends(r->results, &s, p, out, hold);
	shapes_release(r, held);
	return rc;
}

int renderer_hotspots(renderer *r, struct held_shapes *held, const struct hotspot_params *p,
                      const struct hotspot_set **out, results_hold **hold)
{
	struct results_state s = state_of(r, held);
	return results_hotspots(r->results, &s, p, out, hold);
}

int renderer_coverage(renderer *r, struct held_shapes *held, const struct hotspot_params *p,
                      const char *date, const struct coverage **out, results_hold **hold)
{
	struct results_state s = state_of(r, held);
	return results_coverage(r->results, &s, p, date, out, hold);
}

int renderer_dosage(renderer *r, struct held_shapes *held, const struct hotspot_params *p,
                    const struct dosage_params *dp, store *st, const struct dosage_result **out,
                    results_hold **hold)
{
	struct results_state s = state_of(r, held);
	return results_dosage(r->results, &s, p, dp, st, atomic_load(&r->tracks_version), out,
	                      hold);
}

void renderer_results_stats(renderer *r, struct results_stats *out)
{
	results_stats(r->results, out);
}

/* An area style with its labels in q's language, when one is asked for
 * (the areas have names in uz, ru and en; Uzbek Cyrillic: the Uzbek), at
 * q's label scale. */
static const struct style_area *area_names(const struct render_request *q,
                                           const struct style_area *st, struct style_area_copy *out)
{
	static const enum style_field fields[GROUND_LANGS] = {[GROUND_UZ] = STYLE_FIELD_NAME_UZ,
	                                                      [GROUND_UZ_CYRL] =
	                                                          STYLE_FIELD_NAME_UZ,
	                                                      [GROUND_RU] = STYLE_FIELD_NAME_RU,
	                                                      [GROUND_EN] = STYLE_FIELD_NAME_EN};
	double scale = q->names.scale > 0 ? q->names.scale : 1;
	if (q->names.lang == GROUND_NAME && scale == 1)
		return st;
	return style_area_in(
	    st, q->names.lang == GROUND_NAME ? STYLE_FIELD_CODE : fields[q->names.lang], scale,
	    out);
}

int render_image(renderer *r, const struct render_request *q, cairo_surface_t **out)
{
	struct style_colour bg;
	int rc = 0;
	*out = NULL;
	cairo_surface_t *surface =
	    cairo_image_surface_create(CAIRO_FORMAT_ARGB32, q->view.width, q->view.height);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surface);
		return err_set(ERR_NOMEM, "render: no image of %dx%d", q->view.width,
		               q->view.height);
	}
	/* One style and one set of shapes for the whole picture, even if a
	 * reload comes meanwhile. */
	struct held_style *hs = style_acquire(r);
	const style *sty = hs->sty;
	cairo_t *cr = cairo_create(surface);
	labels *lb = NULL;
	struct shapes_shift zs;
	struct style_area_copy named;
	struct held_shapes *held = shapes_acquire(r);
	const shapes *sh = held->sh;
	unsigned long version = atomic_load(&r->version);
	if (style_background(sty, &bg)) {
		cairo_set_source_rgba(cr, bg.r, bg.g, bg.b, bg.a);
		cairo_paint(cr);
	}
	/* The ground, then fills, lines, dots and the labels of every layer on top. */
	rc = labels_new(&q->view, LABELS_SEAMLESS, &lb);
	if (rc == 0 && (q->layers & RENDER_BASE)) {
		struct held_ground *hg = (struct held_ground *)hold(r, HELD_GROUND);
		rc = basemap_paint(cr, &q->view, hg->g, sty, &q->names, lb);
		let_go(r, &hg->h);
	}
	if (rc == 0 && (q->layers & RENDER_CHOROPLETH))
		rc = draw_choropleth(r, sh, sty, cr, q);
	if (rc == 0 && (q->layers & RENDER_HEATMAP))
		rc = draw_heatmap(r, sty, cr, q);
	if (rc == 0 && (q->layers & RENDER_CHANGE))
		rc = draw_change(r, sty, cr, q);
	if (rc == 0 && (q->layers & RENDER_GISTAR))
		rc = gistarlayer_paint(r->gistar, cr, &q->view, r->ds, sh, &q->filter, version,
		                       held->h.generation);
	if (rc == 0 && (q->layers & RENDER_TRENDS))
		rc = draw_trends(r, held, version, sty, cr, q);
	/* Zones and tracks of the filter's districts only: a scoped token's
	 * tiles show nothing of other districts. */
	char *territory = dataset_filter_territory(r->ds, &q->filter);
	if (rc == 0 && (q->layers & RENDER_ZONES))
		rc = zones_paint(cr, &q->view, sh, sty, zones_shift(&q->plan, &zs), territory, lb);
	if (rc == 0 && (q->layers & RENDER_PLANNING))
		rc = draw_plan(r, sty, cr, q, lb);
	if (rc == 0 && (q->layers & RENDER_TRACKS))
		rc = tracks_paint(cr, &q->view, sh, sty, q->filter.from, q->filter.to, territory);
	free(territory);
	if (rc == 0 && (q->layers & RENDER_MAHALLAS))
		rc = areas_paint(cr, &q->view, sh, SHAPES_MAHALLAS,
		                 area_names(q, style_mahallas(sty), &named), lb);
	if (rc == 0 && (q->layers & RENDER_DISTRICTS))
		rc = areas_paint(cr, &q->view, sh, SHAPES_DISTRICTS,
		                 area_names(q, style_districts(sty), &named), lb);
	if (rc == 0 && (q->layers & RENDER_OFFENCES))
		rc = points_paint(cr, &q->view, r->ds, &q->filter, sty, NULL);
	if (rc == 0)
		rc = labels_draw(lb, cr);
	labels_free(lb);
	shapes_release(r, held);
	style_release(r, hs);
	if (rc == 0 && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		rc = err_set(ERR_NOMEM, "render: %s", cairo_status_to_string(cairo_status(cr)));
	cairo_destroy(cr);
	if (rc < 0) {
		cairo_surface_destroy(surface);
		return rc;
	}
	cairo_surface_flush(surface);
	*out = surface;
	return 0;
}

int render_png(renderer *r, const struct render_request *q, unsigned char **png, size_t *len)
{
	cairo_surface_t *surface;
	*png = NULL;
	*len = 0;
	int rc = render_image(r, q, &surface);
	if (rc < 0)
		return rc;
	rc = pngenc_encode(surface, png, len);
	cairo_surface_destroy(surface);
	return rc;
}

/* Folds n bytes at p into h, eight at a time: the filter, view and plan
 * of a request are hundreds of bytes, hashed on every tile request, cached
 * or not. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, b + i, 8);
		h = (h ^ w) * 1099511628211ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

/* The later of version and the last change of offences within reach of
 * q's view for the density layer d (its bandwidth unless q sets one). */
static unsigned long reach_version(renderer *r, const struct render_request *q,
                                   const struct style_heatmap *d, unsigned long version)
{
	double reach = (q->bandwidth > 0 ? q->bandwidth : d->bandwidth) /
	               fmax(q->view.ground, 1e-6) / q->view.res;
	double box[4];
	view_frame_box(&q->view, reach * 1.01 + 1, box);
	unsigned long v = changes_version(r->changes, box);
	return v > version ? v : version;
}

/* Layers drawn from the offences of the filter's period alone (with the
 * shapes): once the period is over they change only with a late report or
 * a correction. */
#define PERIOD_LAYERS                                                                              \
	(RENDER_HEATMAP | RENDER_OFFENCES | RENDER_CHOROPLETH | RENDER_GISTAR | RENDER_CHANGE |    \
	 RENDER_TRENDS)
/* Layers of what changes at any time: zones and plans, patrols. */
#define PLAN_LAYERS (RENDER_ZONES | RENDER_PLANNING)

unsigned render_max_age(const renderer *r, const struct render_request *q, int64_t now)
{
	enum { LIVE = 10, CLOSED = 3600, STILL = 86400 };
	if (!(q->layers & (PERIOD_LAYERS | PLAN_LAYERS)))
		return STILL;
	const tz *z = dataset_zone(r->ds);
	if (!(q->layers & PLAN_LAYERS) && q->filter.to != STORE_NO_TIME &&
	    tz_local_day(z, q->filter.to) < tz_local_day(z, now))
		return CLOSED;
	return LIVE;
}

int render_etag(renderer *r, const struct render_request *q, char *out, size_t n)
{
	unsigned long version = 1;
	uint64_t h = mix(1469598103934665603ULL, &r->epoch, sizeof r->epoch);
	h = mix(h, &q->filter, sizeof q->filter);
	h = mix(h, &q->bandwidth, sizeof q->bandwidth);
	h = mix(h, &q->view, sizeof q->view);
	h = mix(h, &q->layers, sizeof q->layers);
	h = mix(h, &q->plan, sizeof q->plan);
	if (q->layers & RENDER_TRENDS) {
		h = mix(h, &q->trends.weeks, sizeof q->trends.weeks);
		h = mix(h, &q->trends.cell, sizeof q->trends.cell);
		h = mix(h, &q->trends.band, sizeof q->trends.band);
	}
	/* One hold of the lock for the generations, the style and the ramp: a
	 * reload swaps them under it, and frees the old style only after. What
	 * the rest needs of the style is copied out. */
	pthread_mutex_lock(&r->lock);
	h = mix(h, &r->generation[HELD_STYLE], sizeof r->generation[HELD_STYLE]);
	/* Zones change only through reloads of the shapes; the district's Gi*
	 * analyses and hotspots also with the district's boundaries. */
	if (q->layers & (RENDER_ZONES | RENDER_GISTAR | RENDER_PLANNING | RENDER_TRENDS))
		h = mix(h, &r->generation[HELD_SHAPES], sizeof r->generation[HELD_SHAPES]);
	if (q->layers & RENDER_BASE)
		h = mix(h, &r->generation[HELD_GROUND], sizeof r->generation[HELD_GROUND]);
	if (q->layers & RENDER_NAMED) {
		h = mix(h, &q->names.lang, sizeof q->names.lang);
		h = mix(h, &q->names.scale, sizeof q->names.scale);
	}
	const struct style_heatmap *hs = style_heatmap(style_now(r));
	const struct style_heatmap *cs = style_change(style_now(r));
	struct style_heatmap hm = hs ? *hs : (struct style_heatmap){0};
	struct style_heatmap cm = cs ? *cs : (struct style_heatmap){0};
	int rc = 0;
	if ((q->layers & RENDER_HEATMAP) && hs) {
		/* The ramp of the filter. */
		const style_ramp *cached;
		rc = ramp_for(r, hs, &q->filter, q->fit, &cached);
		for (size_t i = 0; rc == 0 && i < style_ramp_size(cached); i++) {
			double value;
			struct style_colour c;
			style_ramp_stop(cached, i, &value, &c);
			h = mix(h, &value, sizeof value);
			h = mix(h, &c, sizeof c);
		}
	}
	pthread_mutex_unlock(&r->lock);
	if (rc < 0)
		return rc;
	if (q->layers & RENDER_DOSAGE) {
		unsigned long t = atomic_load(&r->tracks_version);
		h = mix(h, &t, sizeof t);
	}
	if ((q->layers & RENDER_HEATMAP) && hs) /* the changes within one bandwidth */
		version = reach_version(r, q, &hm, version);
	if ((q->layers & RENDER_CHANGE) && cs) {
		/* Both periods (an open one follows the latest offence) and the
		 * changes within one bandwidth; the ramp follows from the periods. */
		struct dataset_filter now, before;
		changemap_periods(r->ds, &q->filter, &now, &before);
		h = mix(h, &now, sizeof now);
		h = mix(h, &before, sizeof before);
		version = reach_version(r, q, &cm, version);
	}
	if (q->layers & RENDER_OFFENCES) {
		double box[4];
		view_frame_box(&q->view, 32, box); /* dots and their outlines */
		unsigned long v = changes_version(r->changes, box);
		version = v > version ? v : version;
	}
	h = mix(h, &q->metric, sizeof q->metric);
	if (q->layers & (RENDER_CHOROPLETH | RENDER_GISTAR | RENDER_PLANNING | RENDER_TRENDS)) {
		/* Classes depend on every mahalla's figures, Gi* on every cell's, the
		 * hotspots' threshold on every offence of the period. */
		unsigned long v = atomic_load(&r->version);
		version = v > version ? v : version;
	}
	/* "VERSION-HASH" by hand: printf's family is slow here (log_access()) */
	char digits[24];
	size_t nd = 0, o = 0;
	do {
		digits[nd++] = (char)('0' + version % 10);
		version /= 10;
	} while (version);
	if (n < nd + 20)
		return err_set_field(ERR_INVALID, "etag", "etag: %zu bytes are too few", n);
	out[o++] = '"';
	while (nd)
		out[o++] = digits[--nd];
	out[o++] = '-';
	for (int shift = 60; shift >= 0; shift -= 4)
		out[o++] = "0123456789abcdef"[(h >> shift) & 15];
	out[o++] = '"';
	out[o] = '\0';
	return 0;
}
