/*
 * coverage: zones on a grid, one walk over the shift's offences, GEOS for
 * areas and for which zones meet which mahallas.
 *
 * Workload: hundreds of zones of tens to hundreds of vertices, tens of
 * mahallas, up to a million offences of which a shift over eight weeks
 * keeps a few thousand. The index puts every zone's bounding box on a
 * uniform grid, so an offence is tested (by crossing number over the
 * zone's stored rings, even-odd as they are drawn) only against the few
 * zones whose boxes hold its cell. An offence counts once per unit and
 * service however many of their zones hold it, through a stamp per group.
 * Each (hotspot, zone) pair of an offence is recorded and the pairs are
 * sorted, so no hotspot-by-zone table is ever allocated.
 *
 * Areas are on the sphere: a ring's ground area in Web Mercator is
 * |sum over its edges of dx * R tanh(y_mid / R)| (Green's theorem with
 * the scale 1 / cosh(y / R) squared), exact along parallels; a group's
 * zones are joined by GEOS only when their boxes overlap.
 */
#include "coverage.h"

#include "civil.h"
#include "csv.h"

#include "err.h"
#include "tilemath.h"

#include <geos_c.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GRID_MAX 256 /* cells per side of the zones' grid */

/* A zone as the index keeps it. */
struct zone_ix {
	const struct shapes_rings *rings; /* the stored geometry (finest band) */
	const double *bbox;
	GEOSGeometry *geom; /* the even-odd region of its rings */
	double area_m2;
	size_t *mahallas; /* indices of the mahallas its interior meets */
	size_t n_mahallas;
	size_t first; /* its assignments in assign_unit/assign_service */
};

/* A unit: (service, unit), in code order. */
struct unit_key {
	const char *service, *unit;
};

struct coverage_index {
	GEOSContextHandle_t gh;
	struct zone_ix *zones;
	size_t n_zones, n_mahallas;
	size_t *assign_unit, *assign_service; /* per assignment, all zones in order */
	size_t n_assign;
	struct unit_key *units;
	const char **services;
	size_t n_units, n_services;
	double gx0, gy0, gcell; /* grid origin (min x, min y) and cell, Mercator */
	int gw, gh_;
	uint32_t *cell_start; /* gw * gh_ + 1 entries into cell_zones */
	uint32_t *cell_zones;
};

static int nomem(void)
{
	return err_set(ERR_NOMEM, "coverage: out of memory");
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int by_unit(const void *x, const void *y)
{
	const struct unit_key *a = x, *b = y;
	int c = cmp_str(a->service, b->service);
	return c ? c : cmp_str(a->unit, b->unit);
}

static int by_service(const void *x, const void *y)
{
	return cmp_str(*(const char *const *)x, *(const char *const *)y);
}

/* ---- geometry ---------------------------------------------------------- */

/* Ground square metres inside a ring of GEOS coordinates (Web Mercator). */
static double ring_area(GEOSContextHandle_t gh, const GEOSGeometry *ring)
{
	const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(gh, ring);
	unsigned n = 0;
	double sum = 0, px = 0, py = 0;
	if (!seq || !GEOSCoordSeq_getSize_r(gh, seq, &n))
		return 0;
	for (unsigned k = 0; k < n; k++) {
		double x, y;
		GEOSCoordSeq_getXY_r(gh, seq, k, &x, &y);
		if (k)
			sum +=
			    (x - px) * TILE_EARTH_RADIUS * tanh((y + py) / (2 * TILE_EARTH_RADIUS));
		px = x;
		py = y;
	}
	return fabs(sum);
}

/* Ground square metres of a polygon, multipolygon or collection. */
static double ground_area(GEOSContextHandle_t gh, const GEOSGeometry *g)
{
	double a = 0;
	if (GEOSGeomTypeId_r(gh, g) == GEOS_POLYGON) {
		a = ring_area(gh, GEOSGetExteriorRing_r(gh, g));
		for (int h = 0; h < GEOSGetNumInteriorRings_r(gh, g); h++)
			a -= ring_area(gh, GEOSGetInteriorRingN_r(gh, g, h));
		return a;
	}
	int parts = GEOSGetNumGeometries_r(gh, g);
	for (int p = 0; p < parts; p++) {
		const GEOSGeometry *part = GEOSGetGeometryN_r(gh, g, p);
		if (part != g)
			a += ground_area(gh, part);
	}
	return a;
}

/* The region inside an odd number of the rings, as drawn with the even-odd
 * rule: a new geometry, or NULL (err set). */
static GEOSGeometry *rings_geom(GEOSContextHandle_t gh, const struct shapes_rings *r)
{
	GEOSGeometry *acc = NULL;
	for (size_t i = 0; i < r->n_rings; i++) {
		uint32_t a = r->ring_start[i], n = r->ring_start[i + 1] - a;
		if (n < 3)
			continue;
		GEOSCoordSequence *seq = GEOSCoordSeq_create_r(gh, n + 1, 2);
		for (uint32_t k = 0; seq && k <= n; k++)
			GEOSCoordSeq_setXY_r(gh, seq, k, r->xy[2 * (a + k % n)],
			                     r->xy[2 * (a + k % n) + 1]);
		GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(gh, seq) : NULL;
		GEOSGeometry *poly = ring ? GEOSGeom_createPolygon_r(gh, ring, NULL, 0) : NULL;
		GEOSGeometry *next = poly && acc ? GEOSSymDifference_r(gh, acc, poly) : poly;
		if (acc && next != acc)
			GEOSGeom_destroy_r(gh, acc);
		if (poly && next != poly)
			GEOSGeom_destroy_r(gh, poly);
		if (!next) {
			err_set(ERR_GEOMETRY, "coverage: GEOS cannot read ring %zu", i);
			return NULL;
		}
		acc = next;
	}
	if (!acc)
		acc = GEOSGeom_createEmptyPolygon_r(gh);
	if (!acc)
		err_set(ERR_NOMEM, "coverage: out of memory");
	return acc;
}

static int boxes_meet(const double *a, const double *b)
{
	return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/* ---- the index --------------------------------------------------------- */

/* Distinct units and services of every assignment, and each assignment's. */
static int index_groups(coverage_index *ix, const shapes *sh)
{
	size_t n = 0;
	for (size_t z = 0; z < ix->n_zones; z++) {
		ix->zones[z].first = n;
		n += shapes_zone(sh, z)->n_assignments;
	}
	ix->n_assign = n;
	ix->units = malloc((n ? n : 1) * sizeof *ix->units);
	ix->services = malloc((n ? n : 1) * sizeof *ix->services);
	ix->assign_unit = malloc((n ? n : 1) * sizeof *ix->assign_unit);
	ix->assign_service = malloc((n ? n : 1) * sizeof *ix->assign_service);
	if (!ix->units || !ix->services || !ix->assign_unit || !ix->assign_service)
		return nomem();
	for (size_t z = 0, k = 0; z < ix->n_zones; z++)
		for (size_t i = 0; i < shapes_zone(sh, z)->n_assignments; i++, k++) {
			const struct shapes_assignment *a = &shapes_zone(sh, z)->assignments[i];
			ix->units[k] = (struct unit_key){a->service, a->unit};
			ix->services[k] = a->service;
		}
	qsort(ix->units, n, sizeof *ix->units, by_unit);
	qsort(ix->services, n, sizeof *ix->services, by_service);
	for (size_t i = 0; i < n; i++) {
		if (!i || by_unit(&ix->units[i], &ix->units[ix->n_units - 1]))
			ix->units[ix->n_units++] = ix->units[i];
		if (!i || by_service(&ix->services[i], &ix->services[ix->n_services - 1]))
			ix->services[ix->n_services++] = ix->services[i];
	}
	for (size_t z = 0, k = 0; z < ix->n_zones; z++)
		for (size_t i = 0; i < shapes_zone(sh, z)->n_assignments; i++, k++) {
			const struct shapes_assignment *a = &shapes_zone(sh, z)->assignments[i];
			struct unit_key key = {a->service, a->unit};
			const struct unit_key *u =
			    bsearch(&key, ix->units, ix->n_units, sizeof key, by_unit);
			const char **s = bsearch(&a->service, ix->services, ix->n_services,
			                         sizeof *ix->services, by_service);
			ix->assign_unit[k] = (size_t)(u - ix->units);
			ix->assign_service[k] = (size_t)(s - ix->services);
		}
	return 0;
}

/* The zones' boxes on a uniform grid of at most GRID_MAX cells a side. */
static int index_grid(coverage_index *ix)
{
	double b[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
	for (size_t z = 0; z < ix->n_zones; z++) {
		const double *zb = ix->zones[z].bbox;
		b[0] = fmin(b[0], zb[0]), b[1] = fmin(b[1], zb[1]);
		b[2] = fmax(b[2], zb[2]), b[3] = fmax(b[3], zb[3]);
	}
	if (!ix->n_zones)
		b[0] = b[1] = 0, b[2] = b[3] = 1;
	double side = fmax(b[2] - b[0], b[3] - b[1]);
	int per_side = (int)fmin(GRID_MAX, fmax(1, ceil(4 * sqrt((double)ix->n_zones))));
	ix->gcell = side > 0 ? side / per_side : 1;
	ix->gx0 = b[0];
	ix->gy0 = b[1];
	ix->gw = (int)fmax(1, ceil((b[2] - b[0]) / ix->gcell));
	ix->gh_ = (int)fmax(1, ceil((b[3] - b[1]) / ix->gcell));
	size_t cells = (size_t)ix->gw * ix->gh_, total = 0;
	ix->cell_start = calloc(cells + 1, sizeof *ix->cell_start);
	if (!ix->cell_start)
		return nomem();
	/* Two passes over the boxes: count per cell, then fill. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t z = 0; z < ix->n_zones; z++) {
			const double *zb = ix->zones[z].bbox;
			int i0 = (int)fmax(0, floor((zb[0] - ix->gx0) / ix->gcell));
			int j0 = (int)fmax(0, floor((zb[1] - ix->gy0) / ix->gcell));
			int i1 = (int)fmin(ix->gw - 1, floor((zb[2] - ix->gx0) / ix->gcell));
			int j1 = (int)fmin(ix->gh_ - 1, floor((zb[3] - ix->gy0) / ix->gcell));
			for (int j = j0; j <= j1; j++)
				for (int i = i0; i <= i1; i++) {
					size_t c = (size_t)j * ix->gw + i;
					if (pass == 0)
						ix->cell_start[c + 1]++;
					else
						ix->cell_zones[ix->cell_start[c]++] = (uint32_t)z;
				}
		}
		if (pass == 0) {
			for (size_t c = 0; c < cells; c++)
				ix->cell_start[c + 1] += ix->cell_start[c];
			total = ix->cell_start[cells];
			ix->cell_zones = malloc((total ? total : 1) * sizeof *ix->cell_zones);
			if (!ix->cell_zones)
				return nomem();
		}
	}
	/* The fill advanced every start to the next cell's: shift them back. */
	memmove(ix->cell_start + 1, ix->cell_start, cells * sizeof *ix->cell_start);
	ix->cell_start[0] = 0;
	return 0;
}

/* Which zones' interiors meet each mahalla's. */
static int index_mahallas(coverage_index *ix, const shapes *sh)
{
	GEOSContextHandle_t gh = ix->gh;
	int rc = 0;
	for (size_t m = 0; m < ix->n_mahallas && rc == 0; m++) {
		const struct shapes_area *a = shapes_area(sh, SHAPES_MAHALLAS, m);
		GEOSGeometry *g = rings_geom(gh, &a->geom.band[SHAPES_BANDS - 1]);
		const GEOSPreparedGeometry *pg = g ? GEOSPrepare_r(gh, g) : NULL;
		if (!pg) {
			rc = g ? err_set(ERR_GEOMETRY,
			                 "coverage: mahalla %s: GEOS cannot prepare it", a->code)
			       : ERR_GEOMETRY;
		}
		for (size_t z = 0; z < ix->n_zones && rc == 0; z++) {
			struct zone_ix *zi = &ix->zones[z];
			if (!boxes_meet(zi->bbox, a->geom.bbox) ||
			    GEOSPreparedIntersects_r(gh, pg, zi->geom) != 1 ||
			    GEOSPreparedTouches_r(gh, pg, zi->geom) != 0)
				continue;
			size_t *v = realloc(zi->mahallas, (zi->n_mahallas + 1) * sizeof *v);
			if (!v) {
				rc = nomem();
				break;
			}
			zi->mahallas = v;
			v[zi->n_mahallas++] = m;
		}
		if (pg)
			GEOSPreparedGeom_destroy_r(gh, pg);
		if (g)
			GEOSGeom_destroy_r(gh, g);
	}
	return rc;
}

int coverage_index_new(const shapes *sh, coverage_index **out)
{
	coverage_index *ix = calloc(1, sizeof *ix);
	int rc = 0;
	*out = NULL;
	if (!ix)
		return nomem();
	ix->n_zones = shapes_count(sh, SHAPES_ZONES);
	ix->n_mahallas = shapes_count(sh, SHAPES_MAHALLAS);
	ix->gh = GEOS_init_r();
	ix->zones = calloc(ix->n_zones ? ix->n_zones : 1, sizeof *ix->zones);
	if (!ix->gh || !ix->zones) {
		rc = nomem();
		goto out;
	}
	for (size_t z = 0; z < ix->n_zones; z++) {
		const struct shapes_zone *sz = shapes_zone(sh, z);
		struct zone_ix *zi = &ix->zones[z];
		zi->rings = &sz->geom.band[SHAPES_BANDS - 1];
		zi->bbox = sz->geom.bbox;
		if (!(zi->geom = rings_geom(ix->gh, zi->rings))) {
			rc = err_set(err_last(), "zone %s: %s", sz->external_id, err_msg());
			goto out;
		}
		zi->area_m2 = ground_area(ix->gh, zi->geom);
	}
	if ((rc = index_groups(ix, sh)) < 0 || (rc = index_grid(ix)) < 0 ||
	    (rc = index_mahallas(ix, sh)) < 0)
		goto out;
	*out = ix;
out:
	if (rc < 0)
		coverage_index_free(ix);
	return rc;
}

void coverage_index_free(coverage_index *ix)
{
	if (!ix)
		return;
	for (size_t z = 0; ix->zones && z < ix->n_zones; z++) {
		if (ix->zones[z].geom)
			GEOSGeom_destroy_r(ix->gh, ix->zones[z].geom);
		free(ix->zones[z].mahallas);
	}
	if (ix->gh)
		GEOS_finish_r(ix->gh);
	free(ix->zones);
	free(ix->assign_unit);
	free(ix->assign_service);
	free(ix->units);
	free(ix->services);
	free(ix->cell_start);
	free(ix->cell_zones);
	free(ix);
}

/* ---- one shift --------------------------------------------------------- */

/* A hotspot's offence inside a zone in play. */
struct hit {
	uint32_t hotspot, zone;
	double w; /* the offence's aoristic share of the shift */
};

/* The computation's scratch, freed at the end of coverage_compute(). */
struct work {
	const dataset *ds;
	const coverage_index *ix;
	const struct hotspot_set *set;
	const struct shift *shift;
	struct coverage *c;
	size_t *zone_first;             /* per zone: its on-duty assignments in c->assignments */
	size_t *zone_end;               /* (first == end: not in play) */
	size_t *unit_out, *service_out; /* index groups -> c->units / c->services */
	size_t *unit_stamp, *service_stamp;
	size_t seq;
	struct hit *hits;
	size_t n_hits, cap_hits;
	size_t *found; /* zones_at()'s answer, room for every zone */
};

static int by_hit(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;
	if (a->hotspot != b->hotspot)
		return a->hotspot < b->hotspot ? -1 : 1;
	return (a->zone > b->zone) - (a->zone < b->zone);
}

/* Writes the zones in play containing (x, y) to w->found; returns how many. */
static size_t zones_at(struct work *w, double x, double y)
{
	const coverage_index *ix = w->ix;
	size_t n = 0;
	double fi = floor((x - ix->gx0) / ix->gcell), fj = floor((y - ix->gy0) / ix->gcell);
	if (!(fi >= 0 && fj >= 0 && fi < ix->gw && fj < ix->gh_))
		return 0;
	size_t c = (size_t)fj * ix->gw + (size_t)fi;
	for (uint32_t k = ix->cell_start[c]; k < ix->cell_start[c + 1]; k++) {
		size_t z = ix->cell_zones[k];
		const double *b = ix->zones[z].bbox;
		if (w->zone_first[z] != w->zone_end[z] && x >= b[0] && x <= b[2] && y >= b[1] &&
		    y <= b[3] && shapes_rings_contain(ix->zones[z].rings, x, y))
			w->found[n++] = z;
	}
	return n;
}

/* Counts an offence inside zone z (in hotspot index hotspot, or -1) for
 * the zone's units and services, once per offence each. */
static int count_in_zone(struct work *w, size_t z, int hotspot, double share)
{
	struct coverage *c = w->c;
	for (size_t k = w->zone_first[z]; k < w->zone_end[z]; k++) {
		const struct coverage_assignment *a = &c->assignments[k];
		struct coverage_group *g[2] = {&c->units[a->unit], &c->services[a->service]};
		size_t *stamp[2] = {&w->unit_stamp[a->unit], &w->service_stamp[a->service]};
		for (int i = 0; i < 2; i++) {
			if (*stamp[i] == w->seq)
				continue;
			*stamp[i] = w->seq;
			g[i]->offences += share;
			g[i]->hotspot_offences += hotspot >= 0 ? share : 0;
		}
	}
	if (hotspot < 0)
		return 0;
	if (w->n_hits == w->cap_hits) {
		size_t cap = w->cap_hits ? 2 * w->cap_hits : 1024;
		struct hit *h = realloc(w->hits, cap * sizeof *h);
		if (!h)
			return nomem();
		w->hits = h;
		w->cap_hits = cap;
	}
	w->hits[w->n_hits++] = (struct hit){(uint32_t)hotspot, (uint32_t)z, share};
	return 0;
}

static int take_offence(void *ctx, const struct dataset_offence *o, double share)
{
	struct work *w = ctx;
	w->c->offences += share;
	w->seq++;
	int h = hotspot_index_at(w->set, o->x, o->y);
	w->c->hotspot_offences += h >= 0 ? share : 0;
	size_t n = zones_at(w, o->x, o->y);
	w->c->offences_in_zones += n > 0 ? share : 0;
	for (size_t i = 0; i < n; i++) {
		int rc = count_in_zone(w, w->found[i], h, share);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The assignments on duty during the shift, of the zones valid on day in
 * the set's territory (a district's coverage counts its own zones, not a
 * neighbour's reaching over the boundary), and the units and services they
 * make. */
static int select_duty(struct work *w, const shapes *sh, long day)
{
	const coverage_index *ix = w->ix;
	struct coverage *c = w->c;
	size_t *flat = malloc((ix->n_assign ? ix->n_assign : 1) * sizeof *flat);
	c->assignments = malloc((ix->n_assign ? ix->n_assign : 1) * sizeof *c->assignments);
	if (!flat || !c->assignments) {
		free(flat);
		return nomem();
	}
	for (size_t z = 0; z < ix->n_zones; z++) {
		const struct shapes_zone *sz = shapes_zone(sh, z);
		int valid = (day == SHAPES_ANY_DAY || (day >= sz->from_day && day <= sz->to_day)) &&
		            dataset_filter_holds(w->ds, &w->set->filter, sz->district_code);
		w->zone_first[z] = c->n_assignments;
		for (size_t i = 0; valid && i < sz->n_assignments; i++) {
			struct shapes_shift s = {SHAPES_ANY_DAY, *w->shift};
			if (!shapes_assignment_on_duty(&sz->assignments[i], &s))
				continue;
			flat[c->n_assignments] = ix->zones[z].first + i;
			c->assignments[c->n_assignments++] = (struct coverage_assignment){
			    .zone = z, .z = sz, .a = &sz->assignments[i]};
		}
		w->zone_end[z] = c->n_assignments;
		c->zones += w->zone_end[z] > w->zone_first[z];
	}
	for (size_t k = 0; k < c->n_assignments; k++) {
		w->unit_out[ix->assign_unit[flat[k]]] = 1;
		w->service_out[ix->assign_service[flat[k]]] = 1;
	}
	/* Output groups keep the index's (code) order. */
	for (size_t u = 0; u < ix->n_units; u++)
		w->unit_out[u] = w->unit_out[u] ? c->n_units++ : SIZE_MAX;
	for (size_t s = 0; s < ix->n_services; s++)
		w->service_out[s] = w->service_out[s] ? c->n_services++ : SIZE_MAX;
	c->units = calloc(c->n_units ? c->n_units : 1, sizeof *c->units);
	c->services = calloc(c->n_services ? c->n_services : 1, sizeof *c->services);
	if (!c->units || !c->services) {
		free(flat);
		return nomem();
	}
	for (size_t u = 0; u < ix->n_units; u++)
		if (w->unit_out[u] != SIZE_MAX)
			c->units[w->unit_out[u]] = (struct coverage_group){
			    .service = ix->units[u].service, .unit = ix->units[u].unit};
	for (size_t s = 0; s < ix->n_services; s++)
		if (w->service_out[s] != SIZE_MAX)
			c->services[w->service_out[s]] =
			    (struct coverage_group){.service = ix->services[s]};
	for (size_t k = 0; k < c->n_assignments; k++) {
		c->assignments[k].unit = w->unit_out[ix->assign_unit[flat[k]]];
		c->assignments[k].service = w->service_out[ix->assign_service[flat[k]]];
	}
	free(flat);
	return 0;
}

/* Zones, ground area of their union, shares and PAI of every group. */
static int group_figures(struct work *w, GEOSContextHandle_t gh, int units)
{
	const coverage_index *ix = w->ix;
	struct coverage *c = w->c;
	struct coverage_group *groups = units ? c->units : c->services;
	size_t n_groups = units ? c->n_units : c->n_services;
	int rc = 0;
	for (size_t g = 0; g < n_groups && rc == 0; g++) {
		struct coverage_group *gr = &groups[g];
		size_t n = 0;
		double sum = 0;
		int meet = 0;
		for (size_t z = 0; z < ix->n_zones; z++) {
			int mine = 0;
			for (size_t k = w->zone_first[z]; k < w->zone_end[z] && !mine; k++)
				mine = (units ? c->assignments[k].unit
				              : c->assignments[k].service) == g;
			if (!mine)
				continue;
			for (size_t i = 0; i < n && !meet; i++)
				meet = boxes_meet(ix->zones[w->found[i]].bbox, ix->zones[z].bbox);
			w->found[n++] = z;
			sum += ix->zones[z].area_m2;
		}
		gr->zones = n;
		gr->zone_area_m2 = sum;
		if (meet) {
			GEOSGeometry **parts = malloc(n * sizeof *parts), *all = NULL, *u = NULL;
			size_t made = 0;
			while (parts && made < n &&
			       (parts[made] = GEOSGeom_clone_r(gh, ix->zones[w->found[made]].geom)))
				made++;
			if (parts && made == n)
				all = GEOSGeom_createCollection_r(gh, GEOS_GEOMETRYCOLLECTION,
				                                  parts, (unsigned)n);
			if (all)
				made = 0; /* the collection owns them */
			u = all ? GEOSUnaryUnion_r(gh, all) : NULL;
			if (u)
				gr->zone_area_m2 = ground_area(gh, u);
			else
				rc = err_set(
				    ERR_GEOMETRY, "coverage: GEOS cannot join the zones of %s%s%s",
				    gr->service, gr->unit ? " " : "", gr->unit ? gr->unit : "");
			for (size_t i = 0; parts && i < made; i++)
				GEOSGeom_destroy_r(gh, parts[i]);
			free(parts);
			if (all)
				GEOSGeom_destroy_r(gh, all);
			if (u)
				GEOSGeom_destroy_r(gh, u);
		}
		gr->offence_share = c->offences > 0 ? gr->offences / c->offences : 0;
		gr->hotspot_offence_share =
		    c->hotspot_offences ? (double)gr->hotspot_offences / (double)c->hotspot_offences
		                        : 0;
		double district = w->set->district_area_m2;
		gr->area_share = district > 0 ? gr->zone_area_m2 / district : 0;
		gr->pai = gr->area_share > 0 ? gr->offence_share / gr->area_share : NAN;
	}
	return rc;
}

/* covered_by and status of hotspot i from the zones covering it. */
static int hotspot_status(struct work *w, size_t i, const size_t *zones, size_t n_zones)
{
	struct coverage *c = w->c;
	struct coverage_hotspot *ch = &c->hotspots[i];
	size_t n = 0;
	for (size_t k = 0; k < n_zones; k++)
		n += w->zone_end[zones[k]] - w->zone_first[zones[k]];
	ch->covered_by = malloc((n ? n : 1) * sizeof *ch->covered_by);
	if (!ch->covered_by)
		return nomem();
	for (size_t k = 0; k < n_zones; k++)
		for (size_t a = w->zone_first[zones[k]]; a < w->zone_end[zones[k]]; a++) {
			size_t s = c->assignments[a].service, seen = 0;
			for (size_t j = 0; j < ch->n_covered_by && !seen; j++)
				seen = c->assignments[ch->covered_by[j]].service == s;
			ch->services += !seen;
			ch->covered_by[ch->n_covered_by++] = a;
		}
	ch->status = ch->services == 0   ? COVERAGE_GAP
	             : ch->services == 1 ? COVERAGE_COVERED
	                                 : COVERAGE_OVERLAP;
	/* Joint: one covering zone has every covering service on duty. */
	for (size_t k = 0; k < n_zones && ch->status == COVERAGE_OVERLAP; k++) {
		size_t has = 0;
		size_t z = zones[k];
		for (size_t j = 0; j < ch->n_covered_by; j++) {
			size_t s = c->assignments[ch->covered_by[j]].service, first = 1;
			for (size_t p = 0; p < j && first; p++)
				first = c->assignments[ch->covered_by[p]].service != s;
			for (size_t a = w->zone_first[z]; first && a < w->zone_end[z]; a++)
				if (c->assignments[a].service == s) {
					has++;
					break;
				}
		}
		if (has == ch->services)
			ch->status = COVERAGE_JOINT;
	}
	c->counts[ch->status]++;
	return 0;
}

/* Which zones cover each hotspot, from the sorted (hotspot, zone) hits. */
static int hotspot_statuses(struct work *w)
{
	struct coverage *c = w->c;
	int rc = 0;
	if (w->n_hits) /* hits is NULL when no zone holds an offence */
		qsort(w->hits, w->n_hits, sizeof *w->hits, by_hit);
	size_t *zones = malloc((w->ix->n_zones ? w->ix->n_zones : 1) * sizeof *zones);
	if (!zones)
		return nomem();
	size_t h0 = 0;
	for (size_t i = 0; i < c->n_hotspots && rc == 0; i++) {
		const struct hotspot *h = &w->set->items[i];
		size_t n = 0;
		c->hotspots[i].h = h;
		if (h->offences == 0) {
			double x, y;
			tile_lonlat_to_merc(h->peak_lon, h->peak_lat, &x, &y);
			n = zones_at(w, x, y);
			memcpy(zones, w->found, n * sizeof *zones);
		}
		while (h0 < w->n_hits && w->hits[h0].hotspot == i) {
			size_t run = h0;
			double inside = 0;
			while (run < w->n_hits && w->hits[run].hotspot == i &&
			       w->hits[run].zone == w->hits[h0].zone)
				inside += w->hits[run++].w;
			if (2 * inside >= h->offences)
				zones[n++] = w->hits[h0].zone;
			h0 = run;
		}
		rc = hotspot_status(w, i, zones, n);
	}
	free(zones);
	return rc;
}

/* The on-duty assignments of the zones in play meeting each mahalla. */
static int mahalla_lists(struct work *w, const shapes *sh)
{
	const coverage_index *ix = w->ix;
	struct coverage *c = w->c;
	c->n_mahallas = ix->n_mahallas;
	c->mahallas = calloc(c->n_mahallas ? c->n_mahallas : 1, sizeof *c->mahallas);
	if (!c->mahallas)
		return nomem();
	for (int pass = 0; pass < 2; pass++) {
		for (size_t z = 0; z < ix->n_zones; z++)
			for (size_t m = 0; m < ix->zones[z].n_mahallas; m++) {
				struct coverage_mahalla *cm =
				    &c->mahallas[ix->zones[z].mahallas[m]];
				for (size_t a = w->zone_first[z]; a < w->zone_end[z]; a++)
					if (pass == 0)
						cm->n++;
					else
						cm->assignments[cm->n++] = a;
			}
		for (size_t m = 0; pass == 0 && m < c->n_mahallas; m++) {
			struct coverage_mahalla *cm = &c->mahallas[m];
			cm->area = shapes_area(sh, SHAPES_MAHALLAS, m);
			cm->assignments = malloc((cm->n ? cm->n : 1) * sizeof *cm->assignments);
			if (!cm->assignments)
				return nomem();
			cm->n = 0;
		}
	}
	return 0;
}

int coverage_compute(const dataset *ds, const shapes *sh, const struct hotspot_set *set,
                     const struct coverage_params *p, struct coverage *out)
{
	struct coverage c = {.set = set, .date = p->date, .n_hotspots = set->n};
	const struct shift whole = {0, CIVIL_MINUTES_PER_DAY, CIVIL_ALL_WEEKDAYS};
	struct work w = {
	    .ds = ds, .set = set, .shift = set->has_shift ? &set->shift : &whole, .c = &c};
	coverage_index *own = NULL;
	GEOSContextHandle_t gh = NULL;
	long day = SHAPES_ANY_DAY;
	int rc = 0;

	*out = (struct coverage){0};
	if (p->date) {
		struct shapes_shift on;
		if (shapes_shift_on(p->date, 0, CIVIL_MINUTES_PER_DAY, &on) < 0)
			return err_set_field(ERR_INVALID, "date",
			                     "date: '%s' is not a date YYYY-MM-DD", p->date);
		day = on.day;
	}
	if (!p->index && (rc = coverage_index_new(sh, &own)) < 0)
		return rc;
	w.ix = p->index ? p->index : own;
	size_t nz = w.ix->n_zones ? w.ix->n_zones : 1;
	size_t nu = w.ix->n_units ? w.ix->n_units : 1, ns = w.ix->n_services ? w.ix->n_services : 1;
	w.zone_first = malloc(nz * sizeof *w.zone_first);
	w.zone_end = malloc(nz * sizeof *w.zone_end);
	w.found = malloc(nz * sizeof *w.found);
	w.unit_out = calloc(nu, sizeof *w.unit_out);
	w.service_out = calloc(ns, sizeof *w.service_out);
	w.unit_stamp = calloc(nu, sizeof *w.unit_stamp);
	w.service_stamp = calloc(ns, sizeof *w.service_stamp);
	c.hotspots = calloc(set->n ? set->n : 1, sizeof *c.hotspots);
	gh = GEOS_init_r();
	if (!w.zone_first || !w.zone_end || !w.found || !w.unit_out || !w.service_out ||
	    !w.unit_stamp || !w.service_stamp || !c.hotspots || !gh) {
		rc = nomem();
		goto out;
	}
	/* The offences the hotspots were found from: their filter and shift
	 * (without one, every offence, its hour known or not). */
	struct dataset_filter f = set->filter;
	dataset_filter_shift(&f, w.shift);
	const double world[4] = {-TILE_ORIGIN_SHIFT, -TILE_ORIGIN_SHIFT, TILE_ORIGIN_SHIFT,
	                         TILE_ORIGIN_SHIFT};
	if ((rc = select_duty(&w, sh, day)) < 0 ||
	    (rc = dataset_each_weighted(ds, world, &f, take_offence, &w)) < 0 ||
	    (rc = hotspot_statuses(&w)) < 0 ||
	    (!p->statuses_only &&
	     ((rc = group_figures(&w, gh, 1)) < 0 || (rc = group_figures(&w, gh, 0)) < 0 ||
	      (rc = mahalla_lists(&w, sh)) < 0)))
		goto out;
	*out = c;
out:
	if (rc < 0)
		coverage_free(&c);
	if (gh)
		GEOS_finish_r(gh);
	coverage_index_free(own);
	free(w.zone_first);
	free(w.zone_end);
	free(w.found);
	free(w.unit_out);
	free(w.service_out);
	free(w.unit_stamp);
	free(w.service_stamp);
	free(w.hits);
	return rc;
}

void coverage_free(struct coverage *c)
{
	for (size_t i = 0; c->hotspots && i < c->n_hotspots; i++)
		free(c->hotspots[i].covered_by);
	for (size_t m = 0; c->mahallas && m < c->n_mahallas; m++)
		free(c->mahallas[m].assignments);
	free(c->hotspots);
	free(c->mahallas);
	free(c->assignments);
	free(c->units);
	free(c->services);
	*c = (struct coverage){0};
}

const char *coverage_status_name(enum coverage_status s)
{
	static const char *const names[] = {"gap", "covered", "joint", "overlap"};
	return (unsigned)s < 4 ? names[s] : "?";
}

/* ---- output ------------------------------------------------------------ */

static json_t *text_or_null(const char *t)
{
	return t ? json_string(t) : json_null();
}

static json_t *number_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* {zone, service, unit, shift} of assignment k. */
static json_t *assignment_json(const struct coverage *c, size_t k)
{
	const struct coverage_assignment *a = &c->assignments[k];
	char shift[64];
	shift_format(&a->a->shift, shift, sizeof shift);
	return json_pack("{s:s, s:s, s:o, s:s}", "zone", a->z->external_id, "service",
	                 a->a->service, "unit", text_or_null(a->a->unit), "shift", shift);
}

/* [assignment_json(), ...] of the assignments idx[0 .. n - 1]. */
static json_t *assignments_json(const struct coverage *c, const size_t *idx, size_t n)
{
	json_t *a = json_array();
	for (size_t j = 0; a && j < n; j++)
		json_array_append_new(a, assignment_json(c, idx[j]));
	return a;
}

static json_t *groups_json(const struct coverage_group *g, size_t n, int units)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		json_t *o = json_pack(
		    "{s:s, s:I, s:o, s:o, s:f, s:f, s:f, s:f, s:o}", "service", g[i].service,
		    "zones", (json_int_t)g[i].zones, "offences", hotspot_count_json(g[i].offences),
		    "hotspot_offences", hotspot_count_json(g[i].hotspot_offences), "zone_area_m2",
		    g[i].zone_area_m2, "offence_share", g[i].offence_share, "hotspot_offence_share",
		    g[i].hotspot_offence_share, "area_share", g[i].area_share, "pai",
		    number_or_null(g[i].pai));
		if (o && units)
			json_object_set_new(o, "unit", text_or_null(g[i].unit));
		json_array_append_new(arr, o);
	}
	return arr;
}

int coverage_json(const struct coverage *c, json_t **out)
{
	char shift[64];
	json_t *hotspots = json_array(), *mahallas = json_array();
	for (size_t i = 0; hotspots && i < c->n_hotspots; i++) {
		const struct coverage_hotspot *ch = &c->hotspots[i];
		json_array_append_new(
		    hotspots, json_pack("{s:i, s:o, s:f, s:s, s:I, s:o}", "rank", ch->h->rank,
		                        "offences", hotspot_count_json(ch->h->offences), "area_m2",
		                        ch->h->area_m2, "status", coverage_status_name(ch->status),
		                        "services", (json_int_t)ch->services, "covered_by",
		                        assignments_json(c, ch->covered_by, ch->n_covered_by)));
	}
	for (size_t m = 0; mahallas && m < c->n_mahallas; m++) {
		const struct coverage_mahalla *cm = &c->mahallas[m];
		json_array_append_new(mahallas,
		                      json_pack("{s:o, s:o, s:o, s:o, s:o}", "code",
		                                text_or_null(cm->area->code), "name_uz",
		                                text_or_null(cm->area->name_uz), "name_ru",
		                                text_or_null(cm->area->name_ru), "name_en",
		                                text_or_null(cm->area->name_en), "assignments",
		                                assignments_json(c, cm->assignments, cm->n)));
	}
	if (c->set->has_shift)
		shift_format(&c->set->shift, shift, sizeof shift);
	*out =
	    hotspots && mahallas
	        ? json_pack("{s:{s:o, s:o}, s:o, s:o, s:o, s:o, s:o, s:I, s:f, s:o, s:o, s:o, "
	                    "s:o, s:I, s:I, s:I, s:I}",
	                    "period", "from", hotspot_time_json(c->set->filter.from), "to",
	                    hotspot_time_json(c->set->filter.to), "shift",
	                    c->set->has_shift ? json_string(shift) : json_null(), "date",
	                    text_or_null(c->date), "offences", hotspot_count_json(c->offences),
	                    "hotspot_offences", hotspot_count_json(c->hotspot_offences),
	                    "offences_in_zones", hotspot_count_json(c->offences_in_zones), "zones",
	                    (json_int_t)c->zones, "district_area_m2", c->set->district_area_m2,
	                    "hotspots", hotspots, "units", groups_json(c->units, c->n_units, 1),
	                    "services", groups_json(c->services, c->n_services, 0), "mahallas",
	                    mahallas, "gaps", (json_int_t)c->counts[COVERAGE_GAP], "covered",
	                    (json_int_t)c->counts[COVERAGE_COVERED], "joint",
	                    (json_int_t)c->counts[COVERAGE_JOINT], "overlaps",
	                    (json_int_t)c->counts[COVERAGE_OVERLAP])
	        : NULL;
	if (!*out) {
		json_decref(hotspots);
		json_decref(mahallas);
		return err_set(ERR_NOMEM, "coverage: out of memory for the JSON");
	}
	return 0;
}

int coverage_csv(const struct coverage *c, FILE *f)
{
	fputs("rank,status,offences,area_m2,zone,service,unit\r\n", f);
	for (size_t i = 0; i < c->n_hotspots; i++) {
		const struct coverage_hotspot *ch = &c->hotspots[i];
		for (size_t j = 0; j < (ch->n_covered_by ? ch->n_covered_by : 1); j++) {
			const struct coverage_assignment *a =
			    ch->n_covered_by ? &c->assignments[ch->covered_by[j]] : NULL;
			fprintf(f, "%d,%s,%.10g,%.1f,", ch->h->rank,
			        coverage_status_name(ch->status), ch->h->offences, ch->h->area_m2);
			csv_field(f, a ? a->z->external_id : NULL, ",");
			csv_field(f, a ? a->a->service : NULL, ",");
			csv_field(f, a ? a->a->unit : NULL, "\r\n");
		}
	}
	return ferror(f) ? err_set(ERR_IO, "coverage: cannot write the CSV") : 0;
}
