/*
 * suggest: forecast grid, units, plan.h, suggested zones and the current
 * zones' figures.
 *
 * One walk over the offences of the period keeps the points of those in
 * the shift with their aoristic weights: they are counted per cell and
 * category on the grid, and tested against the current zones (a
 * point-in-polygon test per zone, after its bounding box). The grid lives
 * in a frame: Web Mercator for the counts forecast, the Gi* run's UTM zone
 * for gistar (the points are projected there in one batch, so that the
 * counts are Gi*'s own). The optimiser works in ground metres: the frame's
 * metres over its scale at the district's centre, which is exact enough
 * for walking distances inside a district. A unit's cells are joined by
 * GEOS into its zone; the squares share their corners exactly (one
 * conversion per grid corner), so the union is clean.
 */
#include "suggest.h"

#include "civil.h"

#include "err.h"
#include "gistar.h"
#include "hotspot.h"
#include "numtext.h"
#include "plan.h"
#include "tilemath.h"
#include "utm.h"

#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SERVICES 16
#define MAX_UNITS    200

/* Cells x categories of the forecast's counts. */
#define MAX_GRID_VALUES 5e7

struct unit_def {
	char service[32], name[48];
	int sv;         /* index among the plan's services */
	double minutes; /* on duty in the shift */
	double x, y;    /* start, EPSG:3857 */
};

/* An offence of the shift: Web Mercator point, aoristic weight. */
struct point {
	double x, y, w;
	uint16_t category;
};

struct work {
	const struct suggest_params *p;
	const dataset *ds;
	const shapes *sh;
	double cell, visit, every, speed;
	int shift_minutes;
	/* the grid, in its frame: Web Mercator (u NULL) or the UTM zone of u */
	utm *u;
	double x0, y0, cell_frame, scale; /* scale: frame metres per ground metre */
	int width, height;
	struct gistar_result gi; /* the gistar forecast's run; its bins choose */
	size_t n_cat;
	double *counts; /* per cell and category */
	/* the offences of the shift */
	struct point *pts;
	size_t n_pts, cap_pts;
	double offences; /* their weights' sum */
	/* services and units */
	char services[MAX_SERVICES][32];
	size_t n_services;
	double *relevance; /* [service * n_cat + category] */
	struct unit_def units[MAX_UNITS];
	size_t n_units;
	double shifts; /* shifts in the period */
};

/* weight: the offence's share of the shift (the filter is restricted to
 * it), 0 < weight <= 1. */
static int take_offence(void *ctx, const struct dataset_offence *o, double weight)
{
	struct work *w = ctx;
	if (w->n_pts == w->cap_pts) {
		size_t cap = w->cap_pts ? 2 * w->cap_pts : 4096;
		struct point *b = realloc(w->pts, cap * sizeof *b);
		if (!b)
			return err_set(ERR_NOMEM, "plan: out of memory");
		w->pts = b, w->cap_pts = cap;
	}
	w->pts[w->n_pts++] = (struct point){o->x, o->y, weight, o->category};
	w->offences += weight;
	return 0;
}

/* Web Mercator points to the grid's frame, in place. */
static int to_frame(const struct work *w, double *x, double *y, size_t n)
{
	if (!w->u)
		return 0;
	for (size_t k = 0; k < n; k++)
		tile_merc_to_lonlat(x[k], y[k], &x[k], &y[k]);
	return utm_forward(w->u, x, y, n);
}

/* Counts the points per cell and category; those on the grid's east or
 * south edge go to the last cells, as gistar_count() puts them. */
static int bin_points(struct work *w)
{
	double *x = malloc((w->n_pts + 1) * sizeof *x), *y = malloc((w->n_pts + 1) * sizeof *y);
	w->counts =
	    calloc((size_t)w->width * w->height * (w->n_cat ? w->n_cat : 1), sizeof *w->counts);
	int rc = 0;
	if (!x || !y || !w->counts) {
		rc = err_set(ERR_NOMEM, "plan: out of memory for the grid");
		goto out;
	}
	for (size_t k = 0; k < w->n_pts; k++)
		x[k] = w->pts[k].x, y[k] = w->pts[k].y;
	if ((rc = to_frame(w, x, y, w->n_pts)) < 0)
		goto out;
	for (size_t k = 0; k < w->n_pts; k++) {
		double fi = floor((x[k] - w->x0) / w->cell_frame),
		       fj = floor((w->y0 - y[k]) / w->cell_frame);
		if (!(fi >= 0 && fj >= 0 && fi <= w->width && fj <= w->height) ||
		    w->pts[k].category >= w->n_cat)
			continue;
		size_t i = fi < w->width ? (size_t)fi : (size_t)w->width - 1,
		       j = fj < w->height ? (size_t)fj : (size_t)w->height - 1;
		w->counts[(j * w->width + i) * w->n_cat + w->pts[k].category] += w->pts[k].w;
	}
out:
	free(x);
	free(y);
	return rc;
}

/* Index of service code among the plan's, added when new; -1 when full. */
static int service_index(struct work *w, const char *code)
{
	for (size_t i = 0; i < w->n_services; i++)
		if (strcmp(w->services[i], code) == 0)
			return (int)i;
	if (w->n_services == MAX_SERVICES)
		return -1;
	snprintf(w->services[w->n_services], sizeof w->services[0], "%s", code);
	return (int)w->n_services++;
}

/* Minutes of the assignment's hours inside the shift's on a common day. */
static int overlap_minutes(const struct shift *s, const struct shapes_assignment *a)
{
	if (!(a->shift.weekdays & s->weekdays))
		return 0;
	int s1 = s->start, s2 = s1 + shift_minutes(s);
	int a1 = a->shift.start, a2 = a1 + shift_minutes(&a->shift);
	int best = 0;
	for (int shift = -CIVIL_MINUTES_PER_DAY; shift <= CIVIL_MINUTES_PER_DAY;
	     shift += CIVIL_MINUTES_PER_DAY) {
		int lo = a1 + shift > s1 ? a1 + shift : s1, hi = a2 + shift < s2 ? a2 + shift : s2;
		if (hi - lo > best)
			best = hi - lo;
	}
	return best;
}

/* Whether zone z is current for the plan: of the filter's territory (a
 * district's plan starts from its own zones), valid on day and with an
 * assignment on duty in the shift. */
static int zone_current(const struct work *w, const struct shapes_zone *z, long day)
{
	const struct shift *s = &w->p->shift;
	if (day < z->from_day || day > z->to_day ||
	    !dataset_filter_holds(w->ds, &w->p->filter, z->district_code))
		return 0;
	for (size_t i = 0; i < z->n_assignments; i++)
		if (overlap_minutes(s, &z->assignments[i]) > 0)
			return 1;
	return 0;
}

static int add_unit(struct work *w, const char *service, const char *name, double minutes, double x,
                    double y)
{
	if (w->n_units == MAX_UNITS)
		return err_set_field(ERR_INVALID, "units", "units: more than %d units", MAX_UNITS);
	int sv = service_index(w, service);
	if (sv < 0)
		return err_set_field(ERR_INVALID, "units", "units: more than %d services",
		                     MAX_SERVICES);
	if (!(minutes > 0))
		return err_set_field(ERR_INVALID, "units",
		                     "units: %s has %g minutes on duty; hours must be positive",
		                     name, minutes);
	if (minutes > w->shift_minutes)
		return err_set_field(ERR_INVALID, "units",
		                     "units: %s has %g minutes on duty, more than the shift's %d",
		                     name, minutes, w->shift_minutes);
	struct unit_def *u = &w->units[w->n_units++];
	snprintf(u->service, sizeof u->service, "%s", service);
	snprintf(u->name, sizeof u->name, "%s", name);
	u->sv = sv, u->minutes = minutes, u->x = x, u->y = y;
	return 0;
}

/* The units of the current zones' assignments on duty in the shift. */
static int units_from_zones(struct work *w, long day)
{
	for (size_t i = 0; w->sh && i < shapes_count(w->sh, SHAPES_ZONES); i++) {
		const struct shapes_zone *z = shapes_zone(w->sh, i);
		if (!zone_current(w, z, day))
			continue;
		for (size_t k = 0; k < z->n_assignments; k++) {
			const struct shapes_assignment *a = &z->assignments[k];
			int m = overlap_minutes(&w->p->shift, a);
			int rc = m > 0 ? add_unit(w, a->service, a->unit ? a->unit : z->name, m,
			                          z->anchor.x, z->anchor.y)
			               : 0;
			if (rc < 0)
				return rc;
		}
	}
	if (!w->n_units)
		return err_set_field(ERR_INVALID, "units",
		                     "units: no current zone has a unit on duty in this shift; "
		                     "give the units (e.g. ppx:4:480)");
	return 0;
}

/* "ppx:4:480,youth:2:360". */
static int units_from_text(struct work *w, const char *text, long day, const double centre[2])
{
	const char *p = text;
	while (*p) {
		const char *q = p;
		char service[32];
		int used = 0;
		double count, minutes;
		if (sscanf(p, "%31[^:,]:%n", service, &used) == 1 && used)
			q = p + used;
		if (q == p || numtext_next(&q, &count) < 0 || *q++ != ':' ||
		    numtext_next(&q, &minutes) < 0 || (*q && *q != ','))
			return err_set_field(ERR_INVALID, "units",
			                     "units: '%s' is not SERVICE:COUNT:MINUTES[,...] "
			                     "(e.g. ppx:4:480,youth:2:360)",
			                     text);
		if (!(count >= 1 && count <= MAX_UNITS) || count != floor(count))
			return err_set_field(ERR_INVALID, "units", "units: %g units of %s; 1 to %d",
			                     count, service, MAX_UNITS);
		/* The start: the centre of the service's current zones. */
		double x = 0, y = 0;
		int n = 0;
		for (size_t i = 0; w->sh && i < shapes_count(w->sh, SHAPES_ZONES); i++) {
			const struct shapes_zone *z = shapes_zone(w->sh, i);
			int has = 0;
			for (size_t k = 0; k < z->n_assignments; k++)
				has |= strcmp(z->assignments[k].service, service) == 0 &&
				       overlap_minutes(&w->p->shift, &z->assignments[k]) > 0;
			if (has && zone_current(w, z, day))
				x += z->anchor.x, y += z->anchor.y, n++;
		}
		for (int k = 0; k < (int)count; k++) {
			char name[48];
			snprintf(name, sizeof name, "%s-plan-%d", service, k + 1);
			int rc = add_unit(w, service, name, minutes, n ? x / n : centre[0],
			                  n ? y / n : centre[1]);
			if (rc < 0)
				return rc;
		}
		p = q + (*q == ',');
	}
	if (!w->n_units)
		return err_set_field(ERR_INVALID, "units", "units: no unit given");
	return 0;
}

/* "ypx:road_traffic=3,ppx:hooliganism=2" over 1 everywhere. */
static int parse_relevance(struct work *w, const char *text)
{
	w->relevance = malloc(MAX_SERVICES * (w->n_cat ? w->n_cat : 1) * sizeof *w->relevance);
	if (!w->relevance)
		return err_set(ERR_NOMEM, "plan: out of memory");
	for (size_t i = 0; i < MAX_SERVICES * w->n_cat; i++)
		w->relevance[i] = 1;
	for (const char *p = text ? text : ""; *p;) {
		char service[32], category[64];
		double weight;
		int used = 0;
		if (sscanf(p, "%31[^:,]:%63[^=,]=%lf%n", service, category, &weight, &used) != 3 ||
		    (p[used] && p[used] != ',') || !(weight >= 0 && weight <= 100))
			return err_set_field(
			    ERR_INVALID, "relevance",
			    "relevance: '%s' is not SERVICE:CATEGORY=WEIGHT[,...] with "
			    "weights 0 to 100 (e.g. ypx:road_traffic=3)",
			    text);
		int c = dataset_category_index(w->ds, category);
		if (c < 0)
			return err_set_field(ERR_INVALID, "relevance",
			                     "relevance: no category '%s'", category);
		int s = service_index(w, service);
		if (s < 0)
			return err_set_field(ERR_INVALID, "relevance",
			                     "relevance: more than %d services", MAX_SERVICES);
		w->relevance[(size_t)s * w->n_cat + (size_t)c] = weight;
		p += used + (p[used] == ',');
	}
	return 0;
}

static int check_params(struct work *w, const struct suggest_params *p)
{
	w->cell = p->cell, w->visit = p->visit, w->every = p->every, w->speed = p->speed;
	w->shift_minutes = shift_minutes(&p->shift);
	if (!(w->cell >= 25 && w->cell <= 2000))
		return err_set_field(ERR_INVALID, "cell",
		                     "cell: %g is not a cell of 25 to 2000 metres", w->cell);
	if (!(w->visit >= 1 && w->visit <= w->shift_minutes))
		return err_set_field(
		    ERR_INVALID, "visit",
		    "visit: %g is not a visit of at least a minute within the shift", w->visit);
	/* At least a minute: the rounds of a shift are counted in an int. */
	if (!(w->every >= w->visit && w->every >= 1 && w->every <= CIVIL_MINUTES_PER_DAY))
		return err_set_field(
		    ERR_INVALID, "every",
		    "every: %g is not an interval of minutes from the visit's %g (and "
		    "1) to 1440",
		    w->every, w->visit);
	/* 0 ignores travel; a crawl would make every walk endless. */
	if (!(w->speed == 0 || (w->speed >= 0.1 && w->speed <= 200)))
		return err_set_field(ERR_INVALID, "speed",
		                     "speed: %g is not 0 or a speed of 0.1 to 200 km/h", p->speed);
	if (p->shared < 1 || p->shared > 10)
		return err_set_field(ERR_INVALID, "shared",
		                     "shared: %d is not 1 to 10 units per cell", p->shared);
	if (p->candidates > PLAN_MAX_PLACES)
		return err_set_field(ERR_INVALID, "candidates", "candidates: %zu; at most %d",
		                     p->candidates, PLAN_MAX_PLACES);
	if (p->filter.from == STORE_NO_TIME || p->filter.to == STORE_NO_TIME ||
	    p->filter.from > p->filter.to)
		return err_set_field(ERR_INVALID, "from",
		                     "from: the period is empty or open: give from <= to");
	return 0;
}

/* The shifts of the period: its local days that are shift days. */
static double count_shifts(const dataset *ds, const struct suggest_params *p)
{
	long d1 = tz_local_day(dataset_zone(ds), p->filter.from),
	     d2 = tz_local_day(dataset_zone(ds), p->filter.to);
	double n = 0;
	for (long d = d1; d <= d2; d++)
		n += p->shift.weekdays >> ((d % 7 + 7 + 3) % 7) & 1; /* 1970-01-01 was a Thursday */
	return n;
}

struct cand {
	double offences;
	size_t cell;
};

static int by_offences(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->offences != y->offences)
		return x->offences < y->offences ? 1 : -1;
	return (x->cell > y->cell) - (x->cell < y->cell);
}

/* Even-odd test of (x, y) against the rings of g as stored. */
static int inside(const struct shapes_geom *g, double x, double y)
{
	if (x < g->bbox[0] || x > g->bbox[2] || y < g->bbox[1] || y > g->bbox[3])
		return 0;
	const struct shapes_rings *r = &g->band[SHAPES_BANDS - 1];
	int in = 0;
	for (size_t k = 0; k < r->n_rings; k++) {
		uint32_t a = r->ring_start[k], n = r->ring_start[k + 1] - a;
		for (uint32_t i = 0, j = n - 1; i < n; j = i++) {
			const double *p = &r->xy[2 * (a + i)], *q = &r->xy[2 * (a + j)];
			if ((p[1] > y) != (q[1] > y) &&
			    x < (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]) + p[0])
				in = !in;
		}
	}
	return in;
}

/* The current zones' figures: per assignment on duty and together. */
static json_t *current_json(const struct work *w, long day)
{
	json_t *units = json_array();
	unsigned char *hit = calloc(w->n_pts ? w->n_pts : 1, 1);
	double covered = 0;
	for (size_t i = 0; hit && w->sh && i < shapes_count(w->sh, SHAPES_ZONES); i++) {
		const struct shapes_zone *z = shapes_zone(w->sh, i);
		if (!zone_current(w, z, day))
			continue;
		double in = 0;
		for (size_t k = 0; k < w->n_pts; k++)
			if (inside(&z->geom, w->pts[k].x, w->pts[k].y)) {
				in += w->pts[k].w;
				covered += hit[k] ? 0 : w->pts[k].w;
				hit[k] = 1;
			}
		for (size_t k = 0; k < z->n_assignments; k++) {
			const struct shapes_assignment *a = &z->assignments[k];
			int m = overlap_minutes(&w->p->shift, a);
			if (m > 0)
				json_array_append_new(
				    units,
				    json_pack("{s:s, s:s, s:s, s:s?, s:i, s:f, s:f}", "zone",
				              z->external_id, "name", z->name ? z->name : "",
				              "service", a->service, "unit", a->unit, "minutes", m,
				              "expected_offences", in / w->shifts, "share",
				              w->offences > 0 ? in / w->offences : 0));
		}
	}
	free(hit);
	return json_pack("{s:f, s:f, s:o}", "expected_offences", covered / w->shifts, "share",
	                 w->offences > 0 ? covered / w->offences : 0, "units", units);
}

/* lon/lat of grid corner (i, j). ERR_PROJ. */
static int corner(const struct work *w, double i, double j, double *lon, double *lat)
{
	double x = w->x0 + i * w->cell_frame, y = w->y0 - j * w->cell_frame;
	if (!w->u) {
		tile_merc_to_lonlat(x, y, lon, lat);
		return 0;
	}
	int rc = utm_inverse(w->u, &x, &y, 1);
	*lon = x, *lat = y;
	return rc;
}

/* The union of the cells as a GeoJSON geometry (null for none). */
static json_t *cells_geometry(GEOSContextHandle_t gh, const struct work *w, const size_t *cells,
                              size_t n)
{
	if (!n)
		return json_null();
	GEOSGeometry **sq = calloc(n, sizeof *sq), *all = NULL, *u = NULL;
	json_t *out = NULL;
	for (size_t k = 0; sq && k < n; k++) {
		double i = (double)(cells[k] % (size_t)w->width),
		       j = (double)(cells[k] / (size_t)w->width);
		double xy[10];
		if (corner(w, i, j, &xy[0], &xy[1]) < 0 ||
		    corner(w, i, j + 1, &xy[2], &xy[3]) < 0 ||
		    corner(w, i + 1, j + 1, &xy[4], &xy[5]) < 0 ||
		    corner(w, i + 1, j, &xy[6], &xy[7]) < 0)
			goto out;
		xy[8] = xy[0], xy[9] = xy[1];
		GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(gh, xy, 5, 0, 0);
		GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(gh, seq) : NULL;
		sq[k] = ring ? GEOSGeom_createPolygon_r(gh, ring, NULL, 0) : NULL;
		if (!sq[k])
			goto out;
	}
	all = sq ? GEOSGeom_createCollection_r(gh, GEOS_GEOMETRYCOLLECTION, sq, (unsigned)n) : NULL;
	if (all) {
		free(sq); /* the collection owns the squares */
		sq = NULL;
	}
	u = all ? GEOSUnaryUnion_r(gh, all) : NULL;
	GEOSGeometry *multi = u && GEOSGeomTypeId_r(gh, u) == GEOS_POLYGON
	                          ? GEOSGeom_createCollection_r(gh, GEOS_MULTIPOLYGON, &u, 1)
	                          : NULL;
	if (multi)
		u = multi; /* owns the polygon */
	GEOSGeoJSONWriter *wr = u ? GEOSGeoJSONWriter_create_r(gh) : NULL;
	char *text = wr ? GEOSGeoJSONWriter_writeGeometry_r(gh, wr, u, -1) : NULL;
	out = text ? json_loads(text, 0, NULL) : NULL;
	if (text)
		GEOSFree_r(gh, text);
	if (wr)
		GEOSGeoJSONWriter_destroy_r(gh, wr);
out:
	for (size_t k = 0; sq && k < n; k++)
		if (sq[k])
			GEOSGeom_destroy_r(gh, sq[k]);
	free(sq);
	if (all)
		GEOSGeom_destroy_r(gh, all);
	if (u)
		GEOSGeom_destroy_r(gh, u);
	return out;
}

/* UTC seconds as ISO 8601 into buf (the period's ends are never open here). */
static const char *utc_text(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&tt, &tm));
	return buf;
}

/* The Gi* run behind the gistar forecast. */
static json_t *gistar_json(const struct work *w)
{
	char crs[24];
	snprintf(crs, sizeof crs, "EPSG:%d", w->gi.epsg);
	return json_pack("{s:s, s:f, s:s, s:I}", "crs", crs, "band_m", w->gi.band, "band_source",
	                 gistar_band_source_name(w->gi.band_source), "hot_cells",
	                 (json_int_t)(w->gi.bins[5] + w->gi.bins[6]));
}

/* The plan as GeoJSON. cand[c].cell is the grid cell of place c. */
static int plan_json(const struct work *w, const struct plan_problem *pp,
                     const struct plan_result *r, const struct cand *cand, size_t n_cand, long day,
                     json_t **out)
{
	GEOSContextHandle_t gh = GEOS_init_r();
	json_t *features = json_array();
	double covered = 0;
	unsigned char *seen = calloc(n_cand ? n_cand : 1, 1);
	size_t *cells = malloc((r->first[r->n_units] + 1) * sizeof *cells);
	int rc = 0;
	if (!gh || !features || !seen || !cells) {
		rc = err_set(ERR_NOMEM, "plan: out of memory");
		goto out;
	}
	for (size_t u = 0; u < r->n_units; u++) {
		const struct unit_def *d = &w->units[u];
		json_t *list = json_array();
		double expected = 0;
		size_t n = r->first[u + 1] - r->first[u];
		for (size_t i = 0; i < n; i++) {
			size_t c = r->order[r->first[u] + i];
			int ci = (int)(cand[c].cell % (size_t)w->width),
			    cj = (int)(cand[c].cell / (size_t)w->width);
			double lon, lat, e = cand[c].offences / w->shifts;
			cells[i] = cand[c].cell;
			if ((rc = corner(w, ci + 0.5, cj + 0.5, &lon, &lat)) < 0) {
				json_decref(list);
				goto out;
			}
			expected += e;
			if (!seen[c])
				covered += e, seen[c] = 1;
			json_array_append_new(
			    list,
			    json_pack("{s:i, s:i, s:i, s:f, s:f, s:f, s:f}", "order", (int)i + 1,
			              "i", ci, "j", cj, "lon", lon, "lat", lat, "expected_offences",
			              e, "value", pp->value[c * pp->n_services + (size_t)d->sv]));
		}
		json_t *geom = cells_geometry(gh, w, cells, n);
		if (!geom) {
			json_decref(list);
			rc = err_set(ERR_GEOMETRY, "plan: GEOS could not join the cells of %s",
			             d->name);
			goto out;
		}
		json_t *props =
		    json_pack("{s:s, s:s, s:f, s:f, s:f, s:i, s:I, s:f, s:f, s:f, s:o}", "service",
		              d->service, "unit", d->name, "minutes", d->minutes, "minutes_used",
		              r->minutes[u], "travel_km", r->travel[u] / 1000, "rounds", pp->rounds,
		              "visits", (json_int_t)(n * pp->rounds), "expected_offences", expected,
		              "share", w->offences > 0 ? expected * w->shifts / w->offences : 0,
		              "value", r->value[u], "cells", list);
		json_array_append_new(features, json_pack("{s:s, s:o, s:o}", "type", "Feature",
		                                          "properties", props, "geometry", geom));
	}
	char shift[64], from[32], to[32];
	shift_format(&w->p->shift, shift, sizeof shift);
	double total = w->offences / w->shifts;
	*out = json_pack("{s:s, s:o, s:s, s:o, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:I, s:b, "
	                 "s:s, s:s, s:s, s:o}",
	                 "type", "FeatureCollection", "features", features, "forecast",
	                 suggest_forecast_name(w->p->forecast), "offences",
	                 hotspot_count_json(w->offences), "shifts", w->shifts, "expected_offences",
	                 total, "covered", covered, "share", total > 0 ? covered / total : 0,
	                 "cell_m", w->cell, "visit", w->visit, "every", w->every, "speed_kmh",
	                 w->speed, "candidates", (json_int_t)n_cand, "stopped", r->stopped, "from",
	                 utc_text(w->p->filter.from, from), "to", utc_text(w->p->filter.to, to),
	                 "shift", shift, "current", current_json(w, day));
	features = NULL;
	if (*out && w->u && json_object_set_new(*out, "gistar", gistar_json(w)) < 0)
		json_decref(*out), *out = NULL;
	if (!*out)
		rc = err_set(ERR_NOMEM, "plan: out of memory for the GeoJSON");
out:
	json_decref(features);
	free(seen);
	free(cells);
	if (gh)
		GEOS_finish_r(gh);
	return rc;
}

/* Counts the offences, makes the candidates and their values, plans. */
static int solve(struct work *w, long day, json_t **out)
{
	size_t cells = (size_t)w->width * w->height, n = 0;
	struct cand *cand = malloc((cells ? cells : 1) * sizeof *cand);
	double *xy = NULL, *value = NULL;
	struct plan_unit *pu = calloc(w->n_units, sizeof *pu);
	struct plan_result r = {0};
	int rc = 0;
	if (!cand || !pu) {
		rc = err_set(ERR_NOMEM, "plan: out of memory");
		goto out;
	}
	for (size_t c = 0; c < cells; c++) {
		double sum = 0;
		for (size_t k = 0; k < w->n_cat; k++)
			sum += w->counts[c * w->n_cat + k];
		/* A hot cell without offences has nothing to cover. */
		if (sum > 0 && (!w->u || w->gi.bin[c] >= 2))
			cand[n++] = (struct cand){sum, c};
	}
	qsort(cand, n, sizeof *cand, by_offences);
	size_t most = w->p->candidates ? w->p->candidates : SUGGEST_DEFAULT_CANDIDATES;
	n = n < most ? n : most;
	xy = malloc((n ? n : 1) * 2 * sizeof *xy);
	value = malloc((n ? n : 1) * w->n_services * sizeof *value);
	if (!xy || !value) {
		rc = err_set(ERR_NOMEM, "plan: out of memory");
		goto out;
	}
	/* Ground metres: the frame's metres over its scale at the centre. */
	for (size_t c = 0; c < n; c++) {
		size_t i = cand[c].cell % (size_t)w->width, j = cand[c].cell / (size_t)w->width;
		xy[2 * c] = (w->x0 + (i + 0.5) * w->cell_frame) / w->scale;
		xy[2 * c + 1] = (w->y0 - (j + 0.5) * w->cell_frame) / w->scale;
		for (size_t s = 0; s < w->n_services; s++) {
			double v = 0;
			for (size_t k = 0; k < w->n_cat; k++)
				v += w->counts[cand[c].cell * w->n_cat + k] *
				     w->relevance[s * w->n_cat + k];
			value[c * w->n_services + s] = v / w->shifts;
		}
	}
	for (size_t u = 0; u < w->n_units && rc == 0; u++) {
		double x = w->units[u].x, y = w->units[u].y;
		rc = to_frame(w, &x, &y, 1);
		pu[u] = (struct plan_unit){w->units[u].sv, w->units[u].minutes, x / w->scale,
		                           y / w->scale};
	}
	if (rc < 0)
		goto out;
	struct plan_problem pp = {.n_places = n,
	                          .n_units = w->n_units,
	                          .n_services = w->n_services,
	                          .xy = xy,
	                          .value = value,
	                          .units = pu,
	                          .visit = w->visit,
	                          .rounds = (int)ceil(w->shift_minutes / w->every - 1e-9),
	                          .speed = w->speed * 1000 / 60,
	                          .max_units = w->p->shared,
	                          .seconds = w->p->seconds};
	if ((rc = plan_solve(&pp, &r)) == 0)
		rc = plan_json(w, &pp, &r, cand, n, day, out);
out:
	plan_result_free(&r);
	free(cand);
	free(xy);
	free(value);
	free(pu);
	return rc;
}

void suggest_defaults(struct suggest_params *p)
{
	*p = (struct suggest_params){.cell = SUGGEST_DEFAULT_CELL,
	                             .visit = PLAN_DEFAULT_VISIT,
	                             .every = PLAN_DEFAULT_EVERY,
	                             .speed = PLAN_DEFAULT_SPEED,
	                             .shared = 1};
	dataset_filter_all(&p->filter);
	p->shift = SHIFT_WHOLE_DAY;
}

int suggest_forecast_parse(const char *text, enum suggest_forecast *out)
{
	if (!text || !*text || strcmp(text, "counts") == 0)
		*out = SUGGEST_FORECAST_COUNTS;
	else if (strcmp(text, "gistar") == 0)
		*out = SUGGEST_FORECAST_GISTAR;
	else
		return err_set_field(ERR_INVALID, "forecast",
		                     "forecast: '%s' is not counts or gistar", text);
	return 0;
}

const char *suggest_forecast_name(enum suggest_forecast f)
{
	return f == SUGGEST_FORECAST_GISTAR ? "gistar" : "counts";
}

/* The counts forecast's grid: Web Mercator over the district's extent. */
static int mercator_grid(struct work *w, const double ext[4], double centre_y)
{
	/* tilemath's factor is ground metres per Mercator metre. */
	w->scale = 1 / tile_scale_factor_merc(centre_y);
	w->cell_frame = w->cell * w->scale;
	w->x0 = ext[0], w->y0 = ext[3];
	double gw = fmax(1, ceil((ext[2] - ext[0]) / w->cell_frame));
	double gh = fmax(1, ceil((ext[3] - ext[1]) / w->cell_frame));
	if (gw * gh * (double)(w->n_cat ? w->n_cat : 1) > MAX_GRID_VALUES)
		return err_set_field(ERR_INVALID, "cell",
		                     "cell: a grid of %.0f x %.0f cells of %g m is too large", gw,
		                     gh, w->cell);
	w->width = (int)gw, w->height = (int)gh;
	return 0;
}

/* The gistar forecast's grid and bins: Gi* of the offences f passes (the
 * plan's, weighted alike) on gistar.h's UTM grid of the plan's cell, with
 * its default band. */
static int gistar_grid(struct work *w, const struct dataset_filter *f, const double centre[2])
{
	struct gistar_params gp = {
	    .filter = *f,
	    .cell = w->cell,
	    .max_cells = (size_t)(MAX_GRID_VALUES / (double)(w->n_cat ? w->n_cat : 1))};
	int rc = gistar_run(w->ds, w->sh, &gp, &w->gi);
	if (rc == ERR_INVALID && strncmp(err_msg(), "cell:", 5) != 0)
		return err_set_field(ERR_INVALID, "forecast",
		                     "forecast: Gi* cannot test the shift's offences: %s",
		                     err_msg());
	if (rc < 0 || (rc = utm_open(w->gi.epsg, &w->u)) < 0)
		return rc;
	double lon, lat;
	tile_merc_to_lonlat(centre[0], centre[1], &lon, &lat);
	w->scale = utm_point_scale(w->u, lon, lat);
	w->x0 = w->gi.x0, w->y0 = w->gi.y0, w->cell_frame = w->gi.cell;
	w->width = w->gi.width, w->height = w->gi.height;
	return 0;
}

int suggest_plan(const dataset *ds, const shapes *sh, const struct suggest_params *p, json_t **out)
{
	struct work w = {.p = p, .ds = ds, .sh = sh, .n_cat = dataset_category_count(ds)};
	double ext[4];
	int rc;
	*out = NULL;
	if ((rc = check_params(&w, p)) < 0)
		return rc;
	dataset_extent(ds, ext);
	const double centre[2] = {(ext[0] + ext[2]) / 2, (ext[1] + ext[3]) / 2};
	long day = tz_local_day(dataset_zone(ds), p->filter.to);
	if (p->forecast == SUGGEST_FORECAST_COUNTS && (rc = mercator_grid(&w, ext, centre[1])) < 0)
		return rc;
	w.shifts = count_shifts(ds, p);
	if ((rc = p->units && *p->units ? units_from_text(&w, p->units, day, centre)
	                                : units_from_zones(&w, day)) < 0 ||
	    (rc = parse_relevance(&w, p->relevance)) < 0)
		goto out;
	/* Each offence weighs its share of the shift, as everywhere. */
	struct dataset_filter f = p->filter;
	dataset_filter_shift(&f, &p->shift);
	const double world[4] = {-TILE_ORIGIN_SHIFT, -TILE_ORIGIN_SHIFT, TILE_ORIGIN_SHIFT,
	                         TILE_ORIGIN_SHIFT};
	if ((rc = dataset_each_weighted(ds, world, &f, take_offence, &w)) < 0)
		goto out;
	if (!(w.offences > 0) || !(w.shifts > 0)) {
		rc = err_set_field(ERR_INVALID, "from",
		                   "from: the period holds no offence of the shift");
		goto out;
	}
	if ((p->forecast == SUGGEST_FORECAST_GISTAR && (rc = gistar_grid(&w, &f, centre)) < 0) ||
	    (rc = bin_points(&w)) < 0)
		goto out;
	rc = solve(&w, day, out);
out:
	free(w.counts);
	free(w.pts);
	free(w.relevance);
	gistar_result_free(&w.gi);
	utm_free(w.u);
	return rc;
}
