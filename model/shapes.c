/*
 * shapes: loading, projection, junction-aware simplification and queries.
 *
 * Loading reads each table once. Polygons come from SpatiaLite as WKB, are
 * read by GEOS, projected point by point (GEOSGeom_transformXY_r with
 * tilemath or PROJ) and flattened into rings in one arena that also holds
 * every string, so freeing is a walk over a few large chunks. The projected
 * GEOS geometries live only during loading: for the inscribed circles and
 * the zone overlaps.
 *
 * Simplification runs over all rings of all polygons together (districts,
 * mahallas, zones and their overlaps), so a district border, the mahallas
 * along it and a zone drawn on it all keep the same simplified vertices:
 *  1. every distinct point is hashed with the neighbours it was first seen
 *     with; a later visit with other neighbours makes it a junction;
 *  2. each ring is cut at its junctions into arcs (a ring without any is one
 *     closed arc, started at its smallest point);
 *  3. each arc is simplified by Douglas-Peucker in its canonical direction
 *     (the lexicographically smaller of the two), with ties broken by order,
 *     so the same arc met from two rings, in either direction, keeps the
 *     same points.
 */
#include "shapes.h"

#include "arena.h"
#include "civil.h"
#include "err.h"
#include "tilemath.h"

#include <geos_c.h>
#include <math.h>
#include <proj.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most detailed zoom of each simplified band (see shapes.h). */
static const int band_zoom[SHAPES_BANDS - 1] = {10, 12, 14};

#define WEEK_MINUTES  (7 * CIVIL_MINUTES_PER_DAY)
#define LONLAT_STEP   0.001 /* degrees, for the frame's scale at the data */
#define MIC_PRECISION 1000  /* inscribed circle to 1/1000 of the shape's size */

/* ---- the shapes -------------------------------------------------------- */

struct shapes {
	struct arena arena;
	struct shapes_area *areas[2]; /* SHAPES_DISTRICTS, SHAPES_MAHALLAS */
	struct shapes_zone *zones;
	struct shapes_overlap *overlaps;
	struct shapes_track *tracks;
	size_t n[SHAPES_KINDS];
	double tol[SHAPES_BANDS];
};

/* Rings being read, before they go to the arena. */
struct ringbuf {
	double *xy;
	uint32_t *start;
	size_t n_pts, cap_pts, n_rings, cap_rings;
};

/* Work arrays of the simplification, grown to the largest geometry. */
struct scratch {
	uint32_t *seq;
	size_t *stack;
	unsigned char *keep, *junction;
	size_t cap;
};

struct loader {
	shapes *sh;
	store *st;
	GEOSContextHandle_t geos;
	GEOSWKBReader *wkb;
	char geos_msg[256];
	PJ_CONTEXT *pj_ctx;
	PJ *pj; /* NULL: Web Mercator through tilemath */
	int proj_rc;
	double lon_min, lat_min, lon_max, lat_max; /* of every point projected */
	struct ringbuf rb;
	size_t cap[SHAPES_KINDS];
	GEOSGeometry **zone_geoms; /* projected, one per zone, during loading */
	size_t n_zone_geoms, cap_zone_geoms;
};

static int nomem(void)
{
	return err_set(ERR_NOMEM, "shapes: out of memory");
}

/* v with room for need elements of size (capacity *cap), or NULL with v
 * untouched when memory runs out. */
static void *reserve(void *v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return v;
	size_t c = *cap ? *cap * 2 : 16;
	if (c < need)
		c = need;
	void *p = realloc(v, c * size);
	if (p)
		*cap = c;
	return p;
}

/* A copy of t (may be NULL) in the shapes' arena; on failure *rc is set. */
static const char *dup_text(struct loader *L, const char *t, int *rc)
{
	char *p = arena_strdup(&L->sh->arena, t);
	if (t && !p)
		*rc = nomem();
	return p;
}

static void geos_message(const char *msg, void *ud)
{
	struct loader *L = ud;
	snprintf(L->geos_msg, sizeof L->geos_msg, "%s", msg);
}

static void geos_notice(const char *msg, void *ud)
{
	(void)msg; /* notices about input come back as our own errors */
	(void)ud;
}

static int geos_error(struct loader *L, const char *what, const char *doing)
{
	return err_set(ERR_GEOMETRY, "%s: %s%s%s", what, doing, L->geos_msg[0] ? ": " : "",
	               L->geos_msg);
}

/* ---- projection -------------------------------------------------------- */

static int project(struct loader *L, double lon, double lat, double *x, double *y)
{
	if (!L->pj) {
		int rc = tile_lonlat_to_merc(lon, lat, x, y);
		if (rc < 0)
			return rc;
	} else {
		PJ_COORD c = proj_trans(L->pj, PJ_FWD, proj_coord(lon, lat, 0, 0));
		if (!isfinite(c.xy.x) || !isfinite(c.xy.y) || c.xy.x == HUGE_VAL)
			return err_set(ERR_PROJ, "(%g, %g) cannot be projected: %s", lon, lat,
			               proj_context_errno_string(L->pj_ctx, proj_errno(L->pj)));
		*x = c.xy.x;
		*y = c.xy.y;
	}
	L->lon_min = fmin(L->lon_min, lon);
	L->lon_max = fmax(L->lon_max, lon);
	L->lat_min = fmin(L->lat_min, lat);
	L->lat_max = fmax(L->lat_max, lat);
	return 0;
}

static int project_cb(double *x, double *y, void *ud)
{
	struct loader *L = ud;
	int rc = project(L, *x, *y, x, y);
	if (rc < 0)
		L->proj_rc = rc;
	return rc == 0;
}

static int open_frame(struct loader *L, const char *crs)
{
	if (!crs)
		return 0;
	if (!(L->pj_ctx = proj_context_create()))
		return nomem();
	proj_log_level(L->pj_ctx, PJ_LOG_NONE);
	PJ *p = proj_create_crs_to_crs(L->pj_ctx, "EPSG:4326", crs, NULL);
	if (!p)
		return err_set(ERR_PROJ, "CRS '%s': %s", crs,
		               proj_context_errno_string(L->pj_ctx, proj_context_errno(L->pj_ctx)));
	L->pj = proj_normalize_for_visualization(L->pj_ctx, p);
	proj_destroy(p);
	if (!L->pj)
		return err_set(ERR_PROJ, "CRS '%s': %s", crs,
		               proj_context_errno_string(L->pj_ctx, proj_context_errno(L->pj_ctx)));
	return 0;
}

/* Frame units per Web Mercator metre at the middle of the data: 1 for Web
 * Mercator, about cos(latitude) for a UTM zone. */
static double frame_scale(struct loader *L)
{
	double x0, y0, x1, y1;
	if (!L->pj || !(L->lon_min <= L->lon_max))
		return 1;
	double lon = (L->lon_min + L->lon_max) / 2, lat = (L->lat_min + L->lat_max) / 2;
	if (project(L, lon, lat, &x0, &y0) < 0 || project(L, lon + LONLAT_STEP, lat, &x1, &y1) < 0)
		return 1;
	return hypot(x1 - x0, y1 - y0) / (TILE_ORIGIN_SHIFT * LONLAT_STEP / 180);
}

/* ---- rings ------------------------------------------------------------- */

static int add_ring(struct loader *L, const GEOSGeometry *ring)
{
	struct ringbuf *rb = &L->rb;
	const GEOSCoordSequence *cs = ring ? GEOSGeom_getCoordSeq_r(L->geos, ring) : NULL;
	unsigned int n = 0;
	if (!cs || !GEOSCoordSeq_getSize_r(L->geos, cs, &n) || n == 0)
		return 0;
	double *xy = reserve(rb->xy, &rb->cap_pts, 2 * (rb->n_pts + n), sizeof *xy);
	if (xy)
		rb->xy = xy;
	uint32_t *start = reserve(rb->start, &rb->cap_rings, rb->n_rings + 2, sizeof *start);
	if (start)
		rb->start = start;
	if (!xy || !start)
		return nomem();
	double *p = rb->xy + 2 * rb->n_pts;
	if (!GEOSCoordSeq_copyToBuffer_r(L->geos, cs, p, 0, 0))
		return 0;
	/* Drop repeated points and the closing point. */
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && p[2 * i] == p[2 * (m - 1)] && p[2 * i + 1] == p[2 * (m - 1) + 1])
			continue;
		p[2 * m] = p[2 * i];
		p[2 * m + 1] = p[2 * i + 1];
		m++;
	}
	while (m > 1 && p[0] == p[2 * (m - 1)] && p[1] == p[2 * (m - 1) + 1])
		m--;
	if (m < 3)
		return 0;
	rb->start[rb->n_rings++] = (uint32_t)rb->n_pts;
	rb->n_pts += m;
	rb->start[rb->n_rings] = (uint32_t)rb->n_pts;
	return 0;
}

/* Adds the rings of every polygon in g (other parts are ignored). */
static int collect_rings(struct loader *L, const GEOSGeometry *g)
{
	int type = GEOSGeomTypeId_r(L->geos, g), rc = 0;
	if (type == GEOS_POLYGON) {
		rc = add_ring(L, GEOSGetExteriorRing_r(L->geos, g));
		int holes = GEOSGetNumInteriorRings_r(L->geos, g);
		for (int i = 0; rc == 0 && i < holes; i++)
			rc = add_ring(L, GEOSGetInteriorRingN_r(L->geos, g, i));
	} else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
		int parts = GEOSGetNumGeometries_r(L->geos, g);
		for (int i = 0; rc == 0 && i < parts; i++)
			rc = collect_rings(L, GEOSGetGeometryN_r(L->geos, g, i));
	}
	return rc;
}

/* Copies rings into the arena. */
static int keep_rings(struct loader *L, const double *xy, const uint32_t *start, size_t n_rings,
                      struct shapes_rings *out)
{
	size_t n_pts = start[n_rings];
	double *pxy = arena_alloc(&L->sh->arena, 2 * n_pts * sizeof *pxy);
	uint32_t *pstart = arena_alloc(&L->sh->arena, (n_rings + 1) * sizeof *pstart);
	if (!pxy || !pstart)
		return nomem();
	memcpy(pxy, xy, 2 * n_pts * sizeof *pxy);
	memcpy(pstart, start, (n_rings + 1) * sizeof *pstart);
	*out = (struct shapes_rings){pxy, pstart, n_rings};
	return 0;
}

static void bbox_of_points(const double *xy, size_t n, double bbox[4])
{
	bbox[0] = bbox[1] = INFINITY;
	bbox[2] = bbox[3] = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		bbox[0] = fmin(bbox[0], xy[2 * i]);
		bbox[1] = fmin(bbox[1], xy[2 * i + 1]);
		bbox[2] = fmax(bbox[2], xy[2 * i]);
		bbox[3] = fmax(bbox[3], xy[2 * i + 1]);
	}
}

/* The polygons of the projected g as g's stored band; *found is 0 when g has
 * no polygon. */
static int keep_polygons(struct loader *L, const GEOSGeometry *g, struct shapes_geom *out,
                         int *found)
{
	L->rb.n_pts = L->rb.n_rings = 0;
	int rc = collect_rings(L, g);
	*found = L->rb.n_rings > 0;
	if (rc < 0 || !*found)
		return rc;
	rc = keep_rings(L, L->rb.xy, L->rb.start, L->rb.n_rings, &out->band[SHAPES_BANDS - 1]);
	bbox_of_points(L->rb.xy, L->rb.n_pts, out->bbox);
	return rc;
}

static int inscribed_circle(struct loader *L, const char *what, const GEOSGeometry *g,
                            const double bbox[4], struct shapes_anchor *out)
{
	double tol = fmax(bbox[2] - bbox[0], bbox[3] - bbox[1]) / MIC_PRECISION;
	GEOSGeometry *mic = GEOSMaximumInscribedCircle_r(L->geos, g, tol);
	const GEOSCoordSequence *cs = mic ? GEOSGeom_getCoordSeq_r(L->geos, mic) : NULL;
	double x0, y0, x1, y1;
	int ok = cs && GEOSCoordSeq_getXY_r(L->geos, cs, 0, &x0, &y0) &&
	         GEOSCoordSeq_getXY_r(L->geos, cs, 1, &x1, &y1);
	if (mic)
		GEOSGeom_destroy_r(L->geos, mic);
	if (!ok)
		return geos_error(L, what, "no inscribed circle");
	*out = (struct shapes_anchor){x0, y0, hypot(x1 - x0, y1 - y0)};
	return 0;
}

/* Reads polygonal WKB of the row named what into out and its anchor; with
 * keep, *keep receives the projected GEOS geometry (the caller frees it). */
static int read_polygon(struct loader *L, const char *what, const void *blob, size_t len,
                        struct shapes_geom *out, struct shapes_anchor *anchor, GEOSGeometry **keep)
{
	GEOSGeometry *ll = NULL, *g = NULL;
	int rc = 0, found;
	L->geos_msg[0] = 0;
	if (!blob || len == 0)
		return err_set(ERR_GEOMETRY, "%s: no geometry", what);
	if (!(ll = GEOSWKBReader_read_r(L->geos, L->wkb, blob, len))) {
		rc = geos_error(L, what, "unreadable WKB");
		goto out;
	}
	L->proj_rc = 0;
	if (!(g = GEOSGeom_transformXY_r(L->geos, ll, project_cb, L))) {
		rc = L->proj_rc ? err_set(L->proj_rc, "%s: %s", what, err_msg())
		                : geos_error(L, what, "cannot project");
		goto out;
	}
	if ((rc = keep_polygons(L, g, out, &found)) < 0)
		goto out;
	if (!found) {
		rc = err_set(ERR_GEOMETRY, "%s: no polygon with an area", what);
		goto out;
	}
	if ((rc = inscribed_circle(L, what, g, out->bbox, anchor)) < 0)
		goto out;
	if (keep) {
		*keep = g;
		g = NULL;
	}
out:
	if (g)
		GEOSGeom_destroy_r(L->geos, g);
	if (ll)
		GEOSGeom_destroy_r(L->geos, ll);
	return rc;
}

/* ---- tables ------------------------------------------------------------ */

/* What a walk of the store loads into. */
struct loading {
	struct loader *L;
	enum shapes_kind kind;
};

static int load_area(void *arg, const struct store_area_record *r)
{
	struct loading *g = arg;
	struct loader *L = g->L;
	shapes *sh = L->sh;
	enum shapes_kind kind = g->kind;
	char what[160];
	int rc = 0;
	struct shapes_area *v = reserve(sh->areas[kind], &L->cap[kind], sh->n[kind] + 1, sizeof *v);
	if (!v)
		return nomem();
	sh->areas[kind] = v;
	struct shapes_area *a = &sh->areas[kind][sh->n[kind]];
	memset(a, 0, sizeof *a);
	a->code = dup_text(L, r->area.code, &rc);
	a->name_uz = dup_text(L, r->area.name_uz, &rc);
	a->name_ru = dup_text(L, r->area.name_ru, &rc);
	a->name_en = dup_text(L, r->area.name_en, &rc);
	a->district_code = dup_text(L, r->area.district_code, &rc);
	a->population = r->area.population;
	a->households = r->area.households;
	a->inspector = dup_text(L, r->area.inspector, &rc);
	if (rc < 0)
		return rc;
	snprintf(what, sizeof what, "%s %s", kind == SHAPES_DISTRICTS ? "district" : "mahalla",
	         a->code);
	rc = read_polygon(L, what, r->area.wkb, r->area.wkb_len, &a->geom, &a->anchor, NULL);
	if (rc == 0)
		sh->n[kind]++;
	return rc;
}

static int load_areas(struct loader *L, enum shapes_kind kind)
{
	struct loading g = {L, kind};
	return store_list_areas(L->st, kind == SHAPES_DISTRICTS ? STORE_DISTRICTS : STORE_MAHALLAS,
	                        NULL, 0, load_area, &g);
}

/* "YYYY-MM-DD" to days since 1970-01-01; -1 when malformed. */
static int parse_day(const char *text, long *day)
{
	int y, m, d;
	char extra;
	if (!text || strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 ||
	    m < 1 || m > 12 || d < 1 || d > civil_days_in_month(y, m))
		return -1;
	*day = civil_days_from_date(y, m, d);
	return 0;
}

static int load_assignments(struct loader *L, const struct store_zone *in, struct shapes_zone *z)
{
	int rc = 0;
	if (!in->n_assignments)
		return 0;
	struct shapes_assignment *v = arena_alloc(&L->sh->arena, in->n_assignments * sizeof *v);
	if (!v)
		return nomem();
	for (size_t i = 0; i < in->n_assignments; i++) {
		const struct store_assignment *a = &in->assignments[i];
		v[i] = (struct shapes_assignment){.service = dup_text(L, a->service, &rc),
		                                  .unit = dup_text(L, a->unit, &rc),
		                                  .shift = a->shift};
	}
	z->assignments = v;
	z->n_assignments = in->n_assignments;
	return rc;
}

static int load_zone(void *arg, const struct store_zone_record *r)
{
	struct loader *L = arg;
	shapes *sh = L->sh;
	char what[160];
	int rc = 0;
	size_t n = sh->n[SHAPES_ZONES];
	struct shapes_zone *zv = reserve(sh->zones, &L->cap[SHAPES_ZONES], n + 1, sizeof *zv);
	if (zv)
		sh->zones = zv;
	GEOSGeometry **gv = reserve(L->zone_geoms, &L->cap_zone_geoms, n + 1, sizeof *gv);
	if (gv)
		L->zone_geoms = gv;
	if (!zv || !gv)
		return nomem();
	struct shapes_zone *z = &sh->zones[n];
	memset(z, 0, sizeof *z);
	z->external_id = dup_text(L, r->zone.external_id, &rc);
	z->name = dup_text(L, r->zone.name, &rc);
	z->valid_from = dup_text(L, r->zone.valid_from, &rc);
	z->valid_to = dup_text(L, r->zone.valid_to, &rc);
	z->district_code = dup_text(L, r->zone.district_code, &rc);
	if (rc < 0)
		return rc;
	snprintf(what, sizeof what, "zone %s", z->external_id);
	z->from_day = LONG_MIN;
	z->to_day = LONG_MAX;
	if ((z->valid_from && *z->valid_from && parse_day(z->valid_from, &z->from_day) < 0) ||
	    (z->valid_to && *z->valid_to && parse_day(z->valid_to, &z->to_day) < 0))
		return err_set(ERR_INVALID, "%s: validity dates must be YYYY-MM-DD", what);
	if ((rc = load_assignments(L, &r->zone, z)) < 0)
		return rc;
	GEOSGeometry *g = NULL;
	rc = read_polygon(L, what, r->zone.wkb, r->zone.wkb_len, &z->geom, &z->anchor, &g);
	if (rc < 0)
		return rc;
	L->zone_geoms[L->n_zone_geoms++] = g;
	sh->n[SHAPES_ZONES]++;
	return 0;
}

static int load_zones(struct loader *L)
{
	return store_list_zones(L->st, NULL, NULL, load_zone, L);
}

/* A track with its fixes projected and their times. */
static int load_track(void *arg, const struct store_track *in)
{
	struct loader *L = arg;
	shapes *sh = L->sh;
	char what[160];
	int rc = 0;
	size_t n = sh->n[SHAPES_TRACKS], k = in->n_fixes;
	struct shapes_track *v = reserve(sh->tracks, &L->cap[SHAPES_TRACKS], n + 1, sizeof *v);
	if (!v)
		return nomem();
	sh->tracks = v;
	struct shapes_track *t = &sh->tracks[n];
	memset(t, 0, sizeof *t);
	t->external_id = dup_text(L, in->external_id, &rc);
	t->unit = dup_text(L, in->unit, &rc);
	t->service = dup_text(L, in->service, &rc);
	t->district_code = dup_text(L, in->district_code, &rc);
	if (rc < 0)
		return rc;
	snprintf(what, sizeof what, "track %s", t->external_id);
	if (k < 2)
		return err_set(ERR_GEOMETRY, "%s: %zu fixes", what, k);
	double *xy = arena_alloc(&L->sh->arena, 2 * k * sizeof *xy);
	int64_t *times = arena_alloc(&L->sh->arena, k * sizeof *times);
	if (!xy || !times)
		return nomem();
	for (size_t i = 0; i < k; i++) {
		const struct store_fix *f = &in->fixes[i];
		if ((rc = project(L, f->lon, f->lat, &xy[2 * i], &xy[2 * i + 1])) < 0)
			return err_set(rc, "%s: fix %zu: %s", what, i + 1, err_msg());
		times[i] = f->t;
	}
	t->xy = xy;
	t->t = times;
	t->n_fixes = k;
	t->started = times[0];
	t->ended = times[k - 1];
	bbox_of_points(xy, k, t->bbox);
	sh->n[SHAPES_TRACKS]++;
	return 0;
}

static int load_tracks(struct loader *L, int64_t from, int64_t to)
{
	return store_list_tracks(L->st, from, to, load_track, L);
}

static int boxes_meet(const double a[4], const double b[4])
{
	return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

/* The polygonal intersection of every pair of zones that overlap. */
static int compute_overlaps(struct loader *L)
{
	shapes *sh = L->sh;
	char what[300];
	int rc = 0;
	for (size_t i = 0; i < sh->n[SHAPES_ZONES]; i++) {
		for (size_t j = i + 1; j < sh->n[SHAPES_ZONES]; j++) {
			if (!boxes_meet(sh->zones[i].geom.bbox, sh->zones[j].geom.bbox))
				continue;
			snprintf(what, sizeof what, "zones %s and %s", sh->zones[i].external_id,
			         sh->zones[j].external_id);
			L->geos_msg[0] = 0;
			char meet = GEOSIntersects_r(L->geos, L->zone_geoms[i], L->zone_geoms[j]);
			if (meet == 2)
				return geos_error(L, what, "cannot intersect");
			if (!meet)
				continue;
			GEOSGeometry *g =
			    GEOSIntersection_r(L->geos, L->zone_geoms[i], L->zone_geoms[j]);
			if (!g)
				return geos_error(L, what, "cannot intersect");
			size_t n = sh->n[SHAPES_OVERLAPS];
			int found = 0;
			struct shapes_overlap *v =
			    reserve(sh->overlaps, &L->cap[SHAPES_OVERLAPS], n + 1, sizeof *v);
			rc = v ? 0 : nomem();
			if (v) {
				sh->overlaps = v;
				struct shapes_overlap *o = &v[n];
				memset(o, 0, sizeof *o);
				o->zone_a = i;
				o->zone_b = j;
				rc = keep_polygons(L, g, &o->geom, &found);
			}
			GEOSGeom_destroy_r(L->geos, g);
			if (rc < 0)
				return rc;
			sh->n[SHAPES_OVERLAPS] += found; /* zones that only touch have none */
		}
	}
	return 0;
}

/* ---- simplification ---------------------------------------------------- */

struct jslot {
	double x, y, nb[4]; /* the point and its neighbours at the first visit */
	unsigned char used, junction;
};

struct junctions {
	struct jslot *slot;
	size_t mask;
};

static size_t point_hash(const double *p)
{
	uint64_t a, b;
	memcpy(&a, &p[0], 8);
	memcpy(&b, &p[1], 8);
	uint64_t h = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL);
	h ^= h >> 31;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 29;
	return (size_t)h;
}

static struct jslot *jslot_of(const struct junctions *J, const double *p)
{
	size_t i = point_hash(p) & J->mask;
	while (J->slot[i].used && (J->slot[i].x != p[0] || J->slot[i].y != p[1]))
		i = (i + 1) & J->mask;
	return &J->slot[i];
}

static int same_point(const double *a, const double *b)
{
	return a[0] == b[0] && a[1] == b[1];
}

static void visit(struct junctions *J, const double *p, const double *prev, const double *next)
{
	struct jslot *s = jslot_of(J, p);
	if (!s->used) {
		*s = (struct jslot){p[0], p[1], {prev[0], prev[1], next[0], next[1]}, 1, 0};
		return;
	}
	const double *a = s->nb, *b = s->nb + 2;
	if (!((same_point(a, prev) && same_point(b, next)) ||
	      (same_point(a, next) && same_point(b, prev))))
		s->junction = 1;
}

static int point_cmp(const double *a, const double *b)
{
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	if (a[1] != b[1])
		return a[1] < b[1] ? -1 : 1;
	return 0;
}

static double seg_dist2(const double *p, const double *a, const double *b)
{
	double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy, t = 0;
	if (len2 > 0)
		t = fmax(0, fmin(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
	double ex = a[0] + t * dx - p[0], ey = a[1] + t * dy - p[1];
	return ex * ex + ey * ey;
}

/* Douglas-Peucker over the points seq[0 .. m-1] of xy: marks the points kept
 * at squared tolerance tol2 in keep (by point index), endpoints included.
 * The first farthest point wins a tie, so the result depends only on seq. */
static void douglas_peucker(const double *xy, const uint32_t *seq, size_t m, double tol2,
                            unsigned char *keep, size_t *stack)
{
	size_t sp = 0;
	keep[seq[0]] = keep[seq[m - 1]] = 1;
	stack[sp++] = 0;
	stack[sp++] = m - 1;
	while (sp) {
		size_t b = stack[--sp], a = stack[--sp], far = 0;
		double best = -1;
		for (size_t i = a + 1; i < b; i++) {
			double d = seg_dist2(xy + 2 * seq[i], xy + 2 * seq[a], xy + 2 * seq[b]);
			if (d > best) {
				best = d;
				far = i;
			}
		}
		if (best > tol2) {
			keep[seq[far]] = 1;
			stack[sp++] = a;
			stack[sp++] = far;
			stack[sp++] = far;
			stack[sp++] = b;
		}
	}
}

/* Simplifies the arc seq[0 .. m-1] in its canonical direction. */
static void simplify_arc(const double *xy, uint32_t *seq, size_t m, double tol2,
                         unsigned char *keep, size_t *stack)
{
	for (size_t t = 0; t < m / 2; t++) {
		int c = point_cmp(xy + 2 * seq[t], xy + 2 * seq[m - 1 - t]);
		if (c > 0)
			for (size_t i = 0; i < m / 2; i++) {
				uint32_t tmp = seq[i];
				seq[i] = seq[m - 1 - i];
				seq[m - 1 - i] = tmp;
			}
		if (c)
			break;
	}
	douglas_peucker(xy, seq, m, tol2, keep, stack);
}

/* Marks the points of one ring (n points of xy, junction flags) to keep. */
static void simplify_ring(const double *xy, size_t n, const unsigned char *junction, double tol2,
                          unsigned char *keep, struct scratch *S)
{
	size_t first = n;
	memset(keep, 0, n);
	for (size_t i = 0; i < n && first == n; i++)
		if (junction[i])
			first = i;
	if (first == n) {
		/* One closed arc: from the smallest point towards its smaller
		 * neighbour, so any ring with these points gives the same. */
		size_t s = 0;
		for (size_t i = 1; i < n; i++)
			if (point_cmp(xy + 2 * i, xy + 2 * s) < 0)
				s = i;
		int fwd = point_cmp(xy + 2 * ((s + 1) % n), xy + 2 * ((s + n - 1) % n)) < 0;
		for (size_t t = 0; t <= n; t++)
			S->seq[t] = (uint32_t)(fwd ? (s + t) % n : (s + n - t % n) % n);
		douglas_peucker(xy, S->seq, n + 1, tol2, keep, S->stack);
		return;
	}
	size_t k = first;
	do {
		size_t m = 1;
		S->seq[0] = (uint32_t)k;
		do {
			S->seq[m] = (uint32_t)((k + m) % n);
		} while (!junction[S->seq[m++]]);
		k = S->seq[m - 1]; /* before simplify_arc() may reverse seq */
		simplify_arc(xy, S->seq, m, tol2, keep, S->stack);
	} while (k != first);
}

static int scratch_reserve(struct scratch *S, size_t n)
{
	if (n + 1 <= S->cap)
		return 0;
	size_t cap = n + 1;
	uint32_t *seq = realloc(S->seq, cap * sizeof *seq);
	if (seq)
		S->seq = seq;
	size_t *stack = realloc(S->stack, 2 * cap * sizeof *stack);
	if (stack)
		S->stack = stack;
	unsigned char *keep = realloc(S->keep, cap);
	if (keep)
		S->keep = keep;
	unsigned char *junction = realloc(S->junction, cap);
	if (junction)
		S->junction = junction;
	if (!seq || !stack || !keep || !junction)
		return nomem();
	S->cap = cap;
	return 0;
}

/* Fills the simplified bands of g. */
static int simplify_geom(struct loader *L, const struct junctions *J, struct shapes_geom *g,
                         struct scratch *S)
{
	const struct shapes_rings *full = &g->band[SHAPES_BANDS - 1];
	size_t n_pts = full->ring_start[full->n_rings];
	int rc = scratch_reserve(S, n_pts);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n_pts; i++)
		S->junction[i] = jslot_of(J, full->xy + 2 * i)->junction;
	for (int b = 0; b < SHAPES_BANDS - 1; b++) {
		double tol = L->sh->tol[b];
		for (size_t r = 0; r < full->n_rings; r++) {
			uint32_t s = full->ring_start[r];
			simplify_ring(full->xy + 2 * s, full->ring_start[r + 1] - s,
			              S->junction + s, tol * tol, S->keep + s, S);
		}
		size_t kept = 0;
		for (size_t i = 0; i < n_pts; i++)
			kept += S->keep[i];
		double *xy = arena_alloc(&L->sh->arena, 2 * kept * sizeof *xy);
		uint32_t *start = arena_alloc(&L->sh->arena, (full->n_rings + 1) * sizeof *start);
		if (!xy || !start)
			return nomem();
		size_t m = 0;
		for (size_t r = 0; r < full->n_rings; r++) {
			start[r] = (uint32_t)m;
			for (uint32_t i = full->ring_start[r]; i < full->ring_start[r + 1]; i++)
				if (S->keep[i]) {
					xy[2 * m] = full->xy[2 * i];
					xy[2 * m + 1] = full->xy[2 * i + 1];
					m++;
				}
		}
		start[full->n_rings] = (uint32_t)m;
		g->band[b] = (struct shapes_rings){xy, start, full->n_rings};
	}
	return 0;
}

/* Every polygon geometry of sh, to walk them all alike: out has room for
 * the districts, mahallas, zones and overlaps. */
static void all_geoms(shapes *sh, struct shapes_geom **out)
{
	size_t n = 0;
	for (int k = SHAPES_DISTRICTS; k <= SHAPES_MAHALLAS; k++)
		for (size_t i = 0; i < sh->n[k]; i++)
			out[n++] = &sh->areas[k][i].geom;
	for (size_t i = 0; i < sh->n[SHAPES_ZONES]; i++)
		out[n++] = &sh->zones[i].geom;
	for (size_t i = 0; i < sh->n[SHAPES_OVERLAPS]; i++)
		out[n++] = &sh->overlaps[i].geom;
}

static int simplify_all(struct loader *L)
{
	shapes *sh = L->sh;
	struct junctions J = {0};
	struct scratch S = {0};
	size_t n_geoms = sh->n[SHAPES_DISTRICTS] + sh->n[SHAPES_MAHALLAS] + sh->n[SHAPES_ZONES] +
	                 sh->n[SHAPES_OVERLAPS];
	size_t total = 0, size = 16;
	struct shapes_geom **geoms = malloc((n_geoms ? n_geoms : 1) * sizeof *geoms);
	int rc = 0;
	if (!geoms)
		return nomem();
	all_geoms(sh, geoms);
	for (size_t i = 0; i < n_geoms; i++) {
		const struct shapes_rings *f = &geoms[i]->band[SHAPES_BANDS - 1];
		total += f->ring_start[f->n_rings];
	}
	while (size < 2 * total)
		size *= 2;
	if (!(J.slot = calloc(size, sizeof *J.slot))) {
		rc = nomem();
		goto out;
	}
	J.mask = size - 1;
	for (size_t i = 0; i < n_geoms; i++) {
		const struct shapes_rings *f = &geoms[i]->band[SHAPES_BANDS - 1];
		for (size_t r = 0; r < f->n_rings; r++) {
			const double *p = f->xy + 2 * f->ring_start[r];
			size_t n = f->ring_start[r + 1] - f->ring_start[r];
			for (size_t k = 0; k < n; k++)
				visit(&J, p + 2 * k, p + 2 * ((k + n - 1) % n),
				      p + 2 * ((k + 1) % n));
		}
	}
	for (size_t i = 0; i < n_geoms && rc == 0; i++)
		rc = simplify_geom(L, &J, geoms[i], &S);
out:
	free(J.slot);
	free(S.seq);
	free(S.stack);
	free(S.keep);
	free(S.junction);
	free(geoms);
	return rc;
}

/* ---- loading ----------------------------------------------------------- */

int shapes_load(store *st, const struct shapes_options *opt, shapes **out)
{
	struct loader L = {.st = st,
	                   .lon_min = INFINITY,
	                   .lat_min = INFINITY,
	                   .lon_max = -INFINITY,
	                   .lat_max = -INFINITY};
	int rc = 0;
	*out = NULL;
	if (!(L.sh = calloc(1, sizeof *L.sh)))
		return nomem();
	if (!(L.geos = GEOS_init_r())) {
		rc = nomem();
		goto out;
	}
	GEOSContext_setErrorMessageHandler_r(L.geos, geos_message, &L);
	GEOSContext_setNoticeMessageHandler_r(L.geos, geos_notice, NULL);
	if (!(L.wkb = GEOSWKBReader_create_r(L.geos))) {
		rc = nomem();
		goto out;
	}
	if (opt && opt->tracks_only) {
		if ((rc = open_frame(&L, opt->crs)) == 0 &&
		    (rc = load_tracks(&L, opt->tracks_from, opt->tracks_to)) == 0) {
			*out = L.sh;
			L.sh = NULL;
		}
		goto out;
	}
	if ((rc = open_frame(&L, opt ? opt->crs : NULL)) < 0 ||
	    (rc = load_areas(&L, SHAPES_DISTRICTS)) < 0 ||
	    (rc = load_areas(&L, SHAPES_MAHALLAS)) < 0 || (rc = load_zones(&L)) < 0 ||
	    (rc = load_tracks(&L, opt ? opt->tracks_from : STORE_NO_TIME,
	                      opt ? opt->tracks_to : STORE_NO_TIME)) < 0 ||
	    (rc = compute_overlaps(&L)) < 0)
		goto out;
	double k = frame_scale(&L);
	for (int b = 0; b < SHAPES_BANDS - 1; b++)
		L.sh->tol[b] = 0.5 * tile_merc_per_pixel(band_zoom[b], TILE_SIZE) * k;
	if ((rc = simplify_all(&L)) < 0)
		goto out;
	*out = L.sh;
	L.sh = NULL;
out:
	for (size_t i = 0; i < L.n_zone_geoms; i++)
		GEOSGeom_destroy_r(L.geos, L.zone_geoms[i]);
	free(L.zone_geoms);
	free(L.rb.xy);
	free(L.rb.start);
	if (L.wkb)
		GEOSWKBReader_destroy_r(L.geos, L.wkb);
	if (L.geos)
		GEOS_finish_r(L.geos);
	proj_destroy(L.pj);
	if (L.pj_ctx)
		proj_context_destroy(L.pj_ctx);
	shapes_free(L.sh);
	return rc;
}

void shapes_free(shapes *sh)
{
	if (!sh)
		return;
	arena_free(&sh->arena);
	free(sh->areas[SHAPES_DISTRICTS]);
	free(sh->areas[SHAPES_MAHALLAS]);
	free(sh->zones);
	free(sh->overlaps);
	free(sh->tracks);
	free(sh);
}

/* ---- access and queries ------------------------------------------------ */

size_t shapes_count(const shapes *sh, enum shapes_kind kind)
{
	return (unsigned)kind < SHAPES_KINDS ? sh->n[kind] : 0;
}

const struct shapes_area *shapes_area(const shapes *sh, enum shapes_kind kind, size_t i)
{
	return &sh->areas[kind][i];
}

const struct shapes_zone *shapes_zone(const shapes *sh, size_t i)
{
	return &sh->zones[i];
}

const struct shapes_overlap *shapes_overlap(const shapes *sh, size_t i)
{
	return &sh->overlaps[i];
}

const struct shapes_track *shapes_track(const shapes *sh, size_t i)
{
	return &sh->tracks[i];
}

static const double *bbox_at(const shapes *sh, enum shapes_kind kind, size_t i)
{
	switch (kind) {
	case SHAPES_DISTRICTS:
	case SHAPES_MAHALLAS:
		return sh->areas[kind][i].geom.bbox;
	case SHAPES_ZONES:
		return sh->zones[i].geom.bbox;
	case SHAPES_OVERLAPS:
		return sh->overlaps[i].geom.bbox;
	default:
		return sh->tracks[i].bbox;
	}
}

int shapes_find(const shapes *sh, enum shapes_kind kind, const double box[4],
                struct shapes_list *out)
{
	out->n = 0;
	for (size_t i = 0; i < shapes_count(sh, kind); i++) {
		if (!boxes_meet(bbox_at(sh, kind, i), box))
			continue;
		size_t *v = reserve(out->idx, &out->cap, out->n + 1, sizeof *v);
		if (!v)
			return nomem();
		out->idx = v;
		out->idx[out->n++] = i;
	}
	return 0;
}

void shapes_list_free(struct shapes_list *l)
{
	free(l->idx);
	*l = (struct shapes_list){0};
}

int shapes_band(const shapes *sh, double res)
{
	for (int b = 0; b < SHAPES_BANDS - 1; b++)
		if (sh->tol[b] <= 0.5 * res * (1 + 1e-9))
			return b;
	return SHAPES_BANDS - 1;
}

double shapes_band_tolerance(const shapes *sh, int band)
{
	return band >= 0 && band < SHAPES_BANDS ? sh->tol[band] : 0;
}

/* Whether the edge from a to b (x, y pairs) may reach box: it does not when
 * both ends are beyond the same side. */
static int edge_may_reach(const double *a, const double *b, const double *box)
{
	return !((a[0] < box[0] && b[0] < box[0]) || (a[0] > box[2] && b[0] > box[2]) ||
	         (a[1] < box[1] && b[1] < box[1]) || (a[1] > box[3] && b[1] > box[3]));
}

void shapes_path(const shapes *sh, cairo_t *cr, const struct view *v, const struct shapes_geom *g,
                 const double *box)
{
	const struct shapes_rings *r = &g->band[shapes_band(sh, v->res)];
	for (size_t k = 0; k < r->n_rings; k++) {
		uint32_t first = r->ring_start[k], end = r->ring_start[k + 1];
		int pen_down = 0, broken = 0;
		for (uint32_t i = first; i < end; i++) {
			uint32_t j = i + 1 < end ? i + 1 : first;
			const double *a = &r->xy[2 * i], *b = &r->xy[2 * j];
			double px, py;
			if (box && !edge_may_reach(a, b, box)) {
				pen_down = 0;
				broken = 1;
				continue;
			}
			if (!pen_down) {
				view_to_px(v, a[0], a[1], &px, &py);
				cairo_move_to(cr, px, py);
				pen_down = 1;
			}
			if (j == first && !broken)
				break; /* the closing edge: close_path joins it */
			view_to_px(v, b[0], b[1], &px, &py);
			cairo_line_to(cr, px, py);
		}
		if (!broken)
			cairo_close_path(cr);
	}
}

/* ---- shifts ------------------------------------------------------------ */

static int check_minutes(int start, int end)
{
	if (start < 0 || start >= CIVIL_MINUTES_PER_DAY || end < 0 || end > CIVIL_MINUTES_PER_DAY)
		return err_set(ERR_INVALID,
		               "shift %d-%d: start must be 0..1439 and end 0..1440 minutes", start,
		               end);
	return 0;
}

int shapes_shift_on(const char *date, int start, int end, struct shapes_shift *out)
{
	long day;
	if (parse_day(date, &day) < 0)
		return err_set(ERR_INVALID, "date '%s' is not YYYY-MM-DD", date ? date : "");
	int rc = check_minutes(start, end);
	if (rc < 0)
		return rc;
	*out = (struct shapes_shift){day, {start, end, 1u << (((day + 3) % 7 + 7) % 7)}};
	return 0;
}

int shapes_shift_weekly(int weekday, int start, int end, struct shapes_shift *out)
{
	if (weekday < 0 || weekday > 6)
		return err_set(ERR_INVALID, "weekday %d: must be 0 (Monday) to 6 (Sunday)",
		               weekday);
	int rc = check_minutes(start, end);
	if (rc < 0)
		return rc;
	*out = (struct shapes_shift){SHAPES_ANY_DAY, {start, end, 1u << weekday}};
	return 0;
}

/* Whether [a0, a1) and [b0, b1) meet on the circle of a week. */
static int windows_meet(long a0, long a1, long b0, long b1)
{
	for (long k = -WEEK_MINUTES; k <= WEEK_MINUTES; k += WEEK_MINUTES)
		if (a0 < b1 + k && b0 + k < a1)
			return 1;
	return 0;
}

static int on_duty(const struct shapes_assignment *a, const struct shapes_shift *s)
{
	/* Windows in minutes of the week, from the start day's midnight: past
	 * a day when they cross midnight. */
	const long day = CIVIL_MINUTES_PER_DAY;
	for (int w = 0; w < 7; w++) {
		long q0 = w * day + s->shift.start, q1 = q0 + shift_minutes(&s->shift);
		for (int d = 0; s->shift.weekdays >> w & 1 && d < 7; d++) {
			long a0 = d * day + a->shift.start;
			if (a->shift.weekdays >> d & 1 &&
			    windows_meet(a0, a0 + shift_minutes(&a->shift), q0, q1))
				return 1;
		}
	}
	return 0;
}

size_t shapes_zone_services(const struct shapes_zone *z, const struct shapes_shift *shift,
                            const char **out, size_t max)
{
	size_t n = 0;
	if (shift && shift->day != SHAPES_ANY_DAY &&
	    (shift->day < z->from_day || shift->day > z->to_day))
		return 0;
	for (size_t i = 0; i < z->n_assignments; i++) {
		const struct shapes_assignment *a = &z->assignments[i];
		int seen = 0;
		if (shift && !on_duty(a, shift))
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = (!shift || on_duty(&z->assignments[j], shift)) &&
			       strcmp(z->assignments[j].service, a->service) == 0;
		if (seen)
			continue;
		if (n < max)
			out[n] = a->service;
		n++;
	}
	return n;
}

int shapes_territory_has(const char *territory, const char *code)
{
	if (!territory || !territory[0])
		return 1;
	if (!code || !*code)
		return 0;
	size_t n = strlen(code);
	for (const char *p = territory; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, code, n) == 0)
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

int shapes_area_in(const struct shapes_area *a, enum shapes_kind kind, const char *territory)
{
	return shapes_territory_has(territory,
	                            kind == SHAPES_DISTRICTS ? a->code : a->district_code);
}

enum shapes_kind shapes_territory_kind(const shapes *sh)
{
	return shapes_count(sh, SHAPES_DISTRICTS) ? SHAPES_DISTRICTS : SHAPES_MAHALLAS;
}

int shapes_territory_box(const shapes *sh, const char *territory, double box[4])
{
	enum shapes_kind kind = shapes_territory_kind(sh);
	double b[4];
	int any = 0;
	for (size_t i = 0; i < shapes_count(sh, kind); i++) {
		const struct shapes_area *a = shapes_area(sh, kind, i);
		if (!shapes_area_in(a, kind, territory))
			continue;
		for (int k = 0; k < 4; k++)
			b[k] = !any    ? a->geom.bbox[k]
			       : k < 2 ? fmin(b[k], a->geom.bbox[k])
			               : fmax(b[k], a->geom.bbox[k]);
		any = 1;
	}
	if (any)
		memcpy(box, b, sizeof b);
	return any;
}

int shapes_zone_active(const struct shapes_zone *z, const struct shapes_shift *shift)
{
	return !shift || shapes_zone_services(z, shift, NULL, 0) > 0;
}

int shapes_assignment_on_duty(const struct shapes_assignment *a, const struct shapes_shift *shift)
{
	return on_duty(a, shift);
}

int shapes_rings_contain(const struct shapes_rings *r, double x, double y)
{
	int inside = 0;
	for (size_t i = 0; i < r->n_rings; i++) {
		uint32_t a = r->ring_start[i], b = r->ring_start[i + 1];
		for (uint32_t k = a, j = b - 1; k < b; j = k++) {
			double xk = r->xy[2 * k], yk = r->xy[2 * k + 1];
			double xj = r->xy[2 * j], yj = r->xy[2 * j + 1];
			if ((yk > y) != (yj > y) && x < (xj - xk) * (y - yk) / (yj - yk) + xk)
				inside = !inside;
		}
	}
	return inside;
}
