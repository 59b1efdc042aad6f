/* shapes: loading from a real store, projection (Web Mercator and UTM),
 * simplification that keeps shared boundaries shared, queries and shifts. */
#include "testutil.h"

#include "err.h"
#include "import.h"
#include "shapes.h"
#include "store.h"
#include "tilemath.h"
#include "view.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixture: three mahallas side by side between four north-south
 * boundaries that wiggle (with sub-metre jitter, which the coarse bands
 * drop), a district around them sharing their outer vertices, three zones
 * and a track. */
#define PI      3.14159265358979323846
#define TOP     41.33
#define BOTTOM  41.29
#define N_EDGE  240
#define N_BOUND 4

static const double bound_lon[N_BOUND] = {69.24, 69.26, 69.28, 69.30};

/* 2026-03-02 is a Monday; times in UTC seconds. */
#define T0 1772431200LL /* 2026-03-02 06:00 UTC */

struct fixture {
	char *dir;
	store *st;
	double edge[N_BOUND][N_EDGE][2]; /* boundary i from north to south, lon/lat */
};

static uint64_t rng_state;

static double uniform(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* WKB of a polygon with one ring through the n points xy (closed here). */
static unsigned char *polygon_wkb(const double *xy, size_t n, size_t *len)
{
	uint32_t head[3] = {3, 1, (uint32_t)n + 1};
	*len = 1 + sizeof head + (n + 1) * 16;
	unsigned char *b = malloc(*len);
	b[0] = 1;
	memcpy(b + 1, head, sizeof head);
	memcpy(b + 13, xy, n * 16);
	memcpy(b + 13 + n * 16, xy, 16);
	return b;
}

static void put_area(store *st, int district, const char *code, const char *uz, const char *ru,
                     const double *xy, size_t n)
{
	struct store_put_info info;
	size_t len;
	unsigned char *wkb = polygon_wkb(xy, n, &len);
	struct store_area a = {.code = code,
	                       .name_uz = uz,
	                       .name_ru = ru,
	                       .district_code = district ? NULL : "D1",
	                       .population = district ? -1 : 4200,
	                       .households = -1,
	                       .inspector = district ? NULL : "Karimov A.",
	                       .wkb = wkb,
	                       .wkb_len = len};
	if (district)
		assert_int_equal(store_put_district(st, &a, &info), 0);
	else
		assert_int_equal(store_put_mahalla(st, &a, &info), 0);
	free(wkb);
}

static void put_zone(store *st, const char *id, const char *name, const char *valid_to, double w,
                     double s, double e, double n, const struct store_assignment *as, size_t n_as)
{
	struct store_put_info info;
	size_t len;
	const double xy[] = {w, s, e, s, e, n, w, n};
	unsigned char *wkb = polygon_wkb(xy, 4, &len);
	struct store_zone z = {.external_id = id,
	                       .name = name,
	                       .valid_to = valid_to,
	                       .wkb = wkb,
	                       .wkb_len = len,
	                       .assignments = as,
	                       .n_assignments = n_as};
	assert_int_equal(store_put_zone(st, &z, "test", &info), 0);
	free(wkb);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[600];
	double ring[4 * N_EDGE][2];
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "d.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	rng_state = 7;
	for (int b = 0; b < N_BOUND; b++)
		for (int i = 0; i < N_EDGE; i++) {
			double t = (double)i / (N_EDGE - 1);
			double wiggle = 0.0015 * sin(PI * t * (5 + b)) * sin(PI * t);
			double jitter = i && i < N_EDGE - 1 ? 2e-6 * (uniform() - 0.5) : 0;
			f->edge[b][i][0] = bound_lon[b] + wiggle + jitter;
			f->edge[b][i][1] = TOP - t * (TOP - BOTTOM);
		}
	static const char *const code[] = {"M1", "M2", "M3"};
	static const char *const uz[] = {"Bogʻishamol", "Oqtepa", "Qoʻyliq"};
	static const char *const ru[] = {"Боғишамол", "Оқтепа", "Қўйлиқ"};
	for (int m = 0; m < 3; m++) {
		size_t n = 0;
		for (int i = 0; i < N_EDGE; i++, n++)
			memcpy(ring[n], f->edge[m][i], 16);
		for (int i = N_EDGE - 1; i >= 0; i--, n++)
			memcpy(ring[n], f->edge[m + 1][i], 16);
		put_area(f->st, 0, code[m], uz[m], ru[m], ring[0], n);
	}
	size_t n = 0;
	for (int i = 0; i < N_EDGE; i++, n++)
		memcpy(ring[n], f->edge[0][i], 16);
	for (int b = 1; b < N_BOUND - 1; b++, n++)
		memcpy(ring[n], f->edge[b][N_EDGE - 1], 16);
	for (int i = N_EDGE - 1; i >= 0; i--, n++)
		memcpy(ring[n], f->edge[N_BOUND - 1][i], 16);
	for (int b = N_BOUND - 2; b >= 1; b--, n++)
		memcpy(ring[n], f->edge[b][0], 16);
	put_area(f->st, 1, "D1", "Yunusobod tumani", "Юнусободский район", ring[0], n);

	assert_int_equal(store_ensure_service(f->st, "ppx", "Patrol"), 0);
	assert_int_equal(store_ensure_service(f->st, "youth", "Youth"), 0);
	const struct store_assignment day = {"ppx", "PPX-1", {8 * 60, 20 * 60, 0x1F}};
	const struct store_assignment night = {"youth", "Y-2", {20 * 60, 2 * 60, 0x10}};
	const struct store_assignment joint[] = {{"ppx", "PPX-3", {600, 1080, 0x20}},
	                                         {"youth", "Y-1", {600, 1080, 0x20}}};
	put_zone(f->st, "Z1", "Bozor atrofi", NULL, 69.245, 41.30, 69.27, 41.32, &day, 1);
	put_zone(f->st, "Z2", "Yoshlar markazi", NULL, 69.265, 41.305, 69.29, 41.325, &night, 1);
	put_zone(f->st, "Z3", "Qoʻshma post", "2026-03-01", 69.285, 41.292, 69.295, 41.298, joint,
	         2);

	const struct store_fix fixes[] = {
	    {69.2797, 41.3111, T0}, {69.25, 41.30, T0 + 600}, {69.26, 41.31, T0 + 1200}};
	struct store_track t = {
	    .external_id = "T1", .unit = "PPX-1", .service = "ppx", .fixes = fixes, .n_fixes = 3};
	struct store_put_info info;
	assert_int_equal(store_put_track(f->st, &t, &info), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

/* Even-odd point-in-polygon over the rings of a band. */
static int inside(const struct shapes_rings *r, double x, double y)
{
	int in = 0;
	for (size_t k = 0; k < r->n_rings; k++) {
		uint32_t s = r->ring_start[k], e = r->ring_start[k + 1];
		for (uint32_t i = s, j = e - 1; i < e; j = i++) {
			const double *a = r->xy + 2 * i, *b = r->xy + 2 * j;
			if ((a[1] > y) != (b[1] > y) &&
			    x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0])
				in = !in;
		}
	}
	return in;
}

static double seg_dist(const double *p, const double *a, const double *b)
{
	double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy, t = 0;
	if (len2 > 0)
		t = fmax(0, fmin(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
	return hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
}

/* Every band of g is made of stored vertices, ring by ring, and no stored
 * vertex is further than the band's tolerance from its simplified ring. */
static void check_bands(const shapes *sh, const struct shapes_geom *g)
{
	const struct shapes_rings *full = &g->band[SHAPES_BANDS - 1];
	size_t prev = 0;
	for (int b = 0; b < SHAPES_BANDS; b++) {
		const struct shapes_rings *r = &g->band[b];
		double tol = shapes_band_tolerance(sh, b);
		assert_int_equal(r->n_rings, full->n_rings);
		assert_true(r->ring_start[r->n_rings] >= prev);
		prev = r->ring_start[r->n_rings];
		for (size_t k = 0; k < r->n_rings; k++) {
			uint32_t s = r->ring_start[k], e = r->ring_start[k + 1];
			assert_true(e - s >= 2);
			for (uint32_t i = full->ring_start[k]; i < full->ring_start[k + 1]; i++) {
				double best = INFINITY;
				for (uint32_t j = s; j < e; j++)
					best = fmin(best,
					            seg_dist(full->xy + 2 * i, r->xy + 2 * j,
					                     r->xy + 2 * (j + 1 < e ? j + 1 : s)));
				assert_true(best <= tol * (1 + 1e-9) + 1e-9);
			}
		}
	}
}

static int point_order(const void *pa, const void *pb)
{
	const double *a = pa, *b = pb;
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return (a[1] > b[1]) - (a[1] < b[1]);
}

/* The points of band b of g that are also stored vertices of other, sorted;
 * returns how many (out has room for all of g's). */
static size_t shared_points(const struct shapes_geom *g, const struct shapes_geom *other, int b,
                            double *out)
{
	const struct shapes_rings *r = &g->band[b], *o = &other->band[SHAPES_BANDS - 1];
	size_t n = 0;
	for (uint32_t i = 0; i < r->ring_start[r->n_rings]; i++)
		for (uint32_t j = 0; j < o->ring_start[o->n_rings]; j++)
			if (r->xy[2 * i] == o->xy[2 * j] && r->xy[2 * i + 1] == o->xy[2 * j + 1]) {
				memcpy(out + 2 * n++, r->xy + 2 * i, 16);
				break;
			}
	qsort(out, n, 16, point_order);
	return n;
}

/* Along a boundary two shapes share, both keep the same simplified
 * vertices in every band: no gaps or slivers open between them. Returns
 * how many stored vertices they share. */
static size_t check_shared(const struct shapes_geom *a, const struct shapes_geom *b)
{
	const struct shapes_rings *fa = &a->band[SHAPES_BANDS - 1];
	size_t cap = 2 * fa->ring_start[fa->n_rings], common = 0;
	double *pa = malloc(cap * sizeof *pa), *pb = malloc(cap * sizeof *pb);
	const struct shapes_rings *fb = &b->band[SHAPES_BANDS - 1];
	for (uint32_t i = 0; i < fa->ring_start[fa->n_rings]; i++)
		for (uint32_t j = 0; j < fb->ring_start[fb->n_rings]; j++)
			common += fa->xy[2 * i] == fb->xy[2 * j] &&
			          fa->xy[2 * i + 1] == fb->xy[2 * j + 1];
	for (int band = 0; band < SHAPES_BANDS; band++) {
		size_t na = shared_points(a, b, band, pa);
		size_t nb = shared_points(b, a, band, pb);
		assert_int_equal(na, nb);
		assert_memory_equal(pa, pb, na * 2 * sizeof *pa);
	}
	free(pa);
	free(pb);
	return common;
}

static void merc(double lon, double lat, double *x, double *y)
{
	assert_int_equal(tile_lonlat_to_merc(lon, lat, x, y), 0);
}

static void test_loads_areas_with_anchors_inside(void **state)
{
	struct fixture *f = *state;
	shapes *sh = NULL;
	assert_int_equal(shapes_load(f->st, NULL, &sh), 0);
	assert_int_equal(shapes_count(sh, SHAPES_DISTRICTS), 1);
	assert_int_equal(shapes_count(sh, SHAPES_MAHALLAS), 3);
	assert_int_equal(shapes_count(sh, SHAPES_ZONES), 3);
	assert_int_equal(shapes_count(sh, SHAPES_TRACKS), 1);

	const struct shapes_area *m1 = shapes_area(sh, SHAPES_MAHALLAS, 0);
	assert_string_equal(m1->code, "M1");
	assert_string_equal(m1->name_uz, "Bogʻishamol");
	assert_string_equal(m1->name_ru, "Боғишамол");
	assert_null(m1->name_en);
	assert_string_equal(m1->district_code, "D1");
	assert_int_equal(m1->population, 4200);
	assert_int_equal(m1->households, -1);
	assert_string_equal(m1->inspector, "Karimov A.");
	const struct shapes_area *d = shapes_area(sh, SHAPES_DISTRICTS, 0);
	assert_string_equal(d->name_ru, "Юнусободский район");
	assert_int_equal(d->population, -1);

	/* Bounding boxes in Web Mercator metres. */
	double x0, y0, x1, y1, wmin = INFINITY, wmax = -INFINITY;
	for (int i = 0; i < N_EDGE; i++) {
		wmin = fmin(wmin, f->edge[0][i][0]);
		wmax = fmax(wmax, f->edge[1][i][0]);
	}
	merc(wmin, BOTTOM, &x0, &y0);
	merc(wmax, TOP, &x1, &y1);
	assert_float_equal(m1->geom.bbox[0], x0, 1e-6);
	assert_float_equal(m1->geom.bbox[1], y0, 1e-6);
	assert_float_equal(m1->geom.bbox[2], x1, 1e-6);
	assert_float_equal(m1->geom.bbox[3], y1, 1e-6);

	/* Anchors: inside, with a circle about half the strip's width (the
	 * wiggles take some), well inside the district's too. */
	double strip = (bound_lon[1] - bound_lon[0]) * TILE_ORIGIN_SHIFT / 180;
	for (size_t i = 0; i < 3; i++) {
		const struct shapes_area *m = shapes_area(sh, SHAPES_MAHALLAS, i);
		assert_true(inside(&m->geom.band[SHAPES_BANDS - 1], m->anchor.x, m->anchor.y));
		assert_true(m->anchor.r > 0.3 * strip && m->anchor.r < 0.6 * strip);
		check_bands(sh, &m->geom);
	}
	assert_true(inside(&d->geom.band[SHAPES_BANDS - 1], d->anchor.x, d->anchor.y));
	check_bands(sh, &d->geom);

	/* Coarser bands have fewer vertices: the jitter and then the wiggles go. */
	const struct shapes_rings *b0 = &m1->geom.band[0], *b3 = &m1->geom.band[3];
	assert_int_equal(b3->ring_start[1], 2 * N_EDGE);
	assert_true(b0->ring_start[1] < b3->ring_start[1] / 4);

	/* Shared boundaries keep the same vertices in every band. */
	assert_int_equal(check_shared(&m1->geom, &shapes_area(sh, SHAPES_MAHALLAS, 1)->geom),
	                 N_EDGE);
	assert_int_equal(check_shared(&shapes_area(sh, SHAPES_MAHALLAS, 1)->geom,
	                              &shapes_area(sh, SHAPES_MAHALLAS, 2)->geom),
	                 N_EDGE);
	assert_int_equal(check_shared(&m1->geom, &d->geom), N_EDGE + 2);

	/* Bands by resolution: z10, z12, z14 tiles and finer. */
	assert_int_equal(shapes_band(sh, tile_merc_per_pixel(9, 256)), 0);
	assert_int_equal(shapes_band(sh, tile_merc_per_pixel(10, 256)), 0);
	assert_int_equal(shapes_band(sh, tile_merc_per_pixel(11, 256)), 1);
	assert_int_equal(shapes_band(sh, tile_merc_per_pixel(14, 256)), 2);
	assert_int_equal(shapes_band(sh, tile_merc_per_pixel(14, 512)), 3);
	assert_float_equal(shapes_band_tolerance(sh, 0), tile_merc_per_pixel(10, 256) / 2, 1e-9);
	shapes_free(sh);
}

static void test_find_overlaps_and_tracks(void **state)
{
	struct fixture *f = *state;
	struct shapes_list found = {0};
	shapes *sh = NULL;
	double box[4];
	assert_int_equal(shapes_load(f->st, NULL, &sh), 0);

	/* A box in the western strip meets M1 only. */
	merc(69.241, 41.31, &box[0], &box[1]);
	merc(69.245, 41.311, &box[2], &box[3]);
	assert_int_equal(shapes_find(sh, SHAPES_MAHALLAS, box, &found), 0);
	assert_int_equal(found.n, 1);
	assert_int_equal(found.idx[0], 0);
	assert_int_equal(shapes_find(sh, SHAPES_DISTRICTS, box, &found), 0);
	assert_int_equal(found.n, 1);
	assert_int_equal(shapes_find(sh, SHAPES_ZONES, box, &found), 0);
	assert_int_equal(found.n, 1); /* Z1 */
	merc(70.0, 42.0, &box[0], &box[1]);
	merc(70.1, 42.1, &box[2], &box[3]);
	assert_int_equal(shapes_find(sh, SHAPES_MAHALLAS, box, &found), 0);
	assert_int_equal(found.n, 0);

	/* Z1 and Z2 overlap; Z3 lies apart. */
	assert_int_equal(shapes_count(sh, SHAPES_OVERLAPS), 1);
	const struct shapes_overlap *o = shapes_overlap(sh, 0);
	assert_int_equal(o->zone_a, 0);
	assert_int_equal(o->zone_b, 1);
	double x0, y0, x1, y1;
	merc(69.265, 41.305, &x0, &y0);
	merc(69.27, 41.32, &x1, &y1);
	assert_float_equal(o->geom.bbox[0], x0, 1e-6);
	assert_float_equal(o->geom.bbox[1], y0, 1e-6);
	assert_float_equal(o->geom.bbox[2], x1, 1e-6);
	assert_float_equal(o->geom.bbox[3], y1, 1e-6);
	check_bands(sh, &o->geom);

	const struct shapes_zone *z3 = shapes_zone(sh, 2);
	assert_string_equal(z3->name, "Qoʻshma post");
	assert_string_equal(z3->valid_to, "2026-03-01");
	assert_null(z3->valid_from);
	assert_int_equal(z3->n_assignments, 2);
	assert_string_equal(z3->assignments[1].service, "youth");
	assert_string_equal(z3->assignments[1].unit, "Y-1");
	assert_int_equal(z3->assignments[1].shift.start, 600);
	assert_int_equal(z3->assignments[1].shift.weekdays, 0x20);

	/* The track keeps its fixes and their times. */
	const struct shapes_track *t = shapes_track(sh, 0);
	assert_string_equal(t->unit, "PPX-1");
	assert_string_equal(t->service, "ppx");
	assert_int_equal(t->n_fixes, 3);
	assert_int_equal(t->started, T0);
	assert_int_equal(t->ended, T0 + 1200);
	assert_int_equal(t->t[1], T0 + 600);
	merc(69.25, 41.30, &x0, &y0);
	assert_float_equal(t->xy[2], x0, 1e-6);
	assert_float_equal(t->xy[3], y0, 1e-6);
	shapes_free(sh);

	/* Only the tracks of a window are loaded. */
	struct shapes_options later = {.tracks_from = T0 + 1201, .tracks_to = STORE_NO_TIME};
	assert_int_equal(shapes_load(f->st, &later, &sh), 0);
	assert_int_equal(shapes_count(sh, SHAPES_TRACKS), 0);
	shapes_free(sh);
	struct shapes_options during = {.tracks_from = T0 + 1200, .tracks_to = T0 + 5000};
	assert_int_equal(shapes_load(f->st, &during, &sh), 0);
	assert_int_equal(shapes_count(sh, SHAPES_TRACKS), 1);
	shapes_free(sh);
	shapes_list_free(&found);
}

static void test_utm_frame(void **state)
{
	struct fixture *f = *state;
	shapes *sh = NULL, *web = NULL;
	struct shapes_options utm = {
	    .crs = "EPSG:32642", .tracks_from = STORE_NO_TIME, .tracks_to = STORE_NO_TIME};
	assert_int_equal(shapes_load(f->st, &utm, &sh), 0);
	const struct shapes_track *t = shapes_track(sh, 0);
	assert_float_equal(t->xy[0], 523412.258, 1e-3);
	assert_float_equal(t->xy[1], 4573330.773, 1e-3);
	/* Metres on the ground: the middle strip is ~1.9 km wide. */
	const struct shapes_area *m2 = shapes_area(sh, SHAPES_MAHALLAS, 1);
	assert_true(inside(&m2->geom.band[SHAPES_BANDS - 1], m2->anchor.x, m2->anchor.y));
	double lon0 = INFINITY, lon1 = -INFINITY;
	for (int i = 0; i < N_EDGE; i++) {
		lon0 = fmin(lon0, f->edge[1][i][0]);
		lon1 = fmax(lon1, f->edge[2][i][0]);
	}
	assert_float_equal(m2->geom.bbox[2] - m2->geom.bbox[0],
	                   (lon1 - lon0) * 111320 * cos(41.31 * PI / 180), 20);
	/* Tolerances follow the frame's scale: cos(41.31 deg) of Web Mercator's. */
	assert_int_equal(shapes_load(f->st, NULL, &web), 0);
	assert_float_equal(shapes_band_tolerance(sh, 1) / shapes_band_tolerance(web, 1),
	                   cos(41.31 * PI / 180), 0.003);
	check_shared(&shapes_area(sh, SHAPES_MAHALLAS, 0)->geom, &m2->geom);
	shapes_free(web);
	shapes_free(sh);

	struct shapes_options bad = {.crs = "EPSG:999999"};
	assert_int_equal(shapes_load(f->st, &bad, &sh), ERR_PROJ);
	assert_null(sh);
	assert_non_null(strstr(err_msg(), "EPSG:999999"));
}

static size_t services(const struct shapes_zone *z, const char *date, int start, int end,
                       const char **out)
{
	struct shapes_shift s;
	assert_int_equal(shapes_shift_on(date, start, end, &s), 0);
	return shapes_zone_services(z, &s, out, 4);
}

static void test_zones_on_shifts(void **state)
{
	struct fixture *f = *state;
	shapes *sh = NULL;
	const char *svc[4];
	struct shapes_shift s;
	assert_int_equal(shapes_load(f->st, NULL, &sh), 0);
	const struct shapes_zone *z1 = shapes_zone(sh, 0), *z2 = shapes_zone(sh, 1),
	                         *z3 = shapes_zone(sh, 2);
	/* Friday 2026-03-06, 22:00-23:00: the youth night shift only. */
	assert_int_equal(services(z1, "2026-03-06", 1320, 1380, svc), 0);
	assert_int_equal(services(z2, "2026-03-06", 1320, 1380, svc), 1);
	assert_string_equal(svc[0], "youth");
	/* Saturday 01:00-03:00 is still Friday's night shift (until 02:00)... */
	assert_int_equal(services(z2, "2026-03-07", 60, 180, svc), 1);
	/* ... 02:30 is not, nor is the next Friday's day shift before 08:00. */
	assert_int_equal(services(z2, "2026-03-07", 150, 180, svc), 0);
	assert_int_equal(services(z1, "2026-03-06", 0, 480, svc), 0);
	/* A night shift 20:00-08:00 meets the youth shift, not ppx's 08:00-20:00. */
	assert_int_equal(services(z2, "2026-03-06", 1200, 480, svc), 1);
	assert_int_equal(services(z1, "2026-03-06", 1200, 480, svc), 0);
	assert_int_equal(services(z1, "2026-03-06", 1199, 480, svc), 1);
	/* Z3 is a joint patrol on Saturdays but expired on 2026-03-01. */
	assert_int_equal(services(z3, "2026-02-28", 0, 1440, svc), 2);
	assert_string_equal(svc[0], "ppx");
	assert_string_equal(svc[1], "youth");
	assert_int_equal(services(z3, "2026-03-07", 0, 1440, svc), 0);
	assert_int_equal(shapes_shift_weekly(5, 700, 800, &s), 0);
	assert_int_equal(shapes_zone_services(z3, &s, svc, 4), 2);
	assert_true(shapes_zone_active(z3, &s));
	assert_false(shapes_zone_active(z1, &s));
	/* No shift: every zone with all its services. */
	assert_true(shapes_zone_active(z1, NULL));
	assert_int_equal(shapes_zone_services(z3, NULL, svc, 1), 2);

	assert_int_equal(shapes_shift_on("2026-02-30", 0, 60, &s), ERR_INVALID);
	assert_int_equal(shapes_shift_on("2026-03-06", 1440, 60, &s), ERR_INVALID);
	assert_int_equal(shapes_shift_weekly(7, 0, 60, &s), ERR_INVALID);
	shapes_free(sh);
}

/* Whether minute m of the week (0 = Monday 00:00) lies in the window of
 * weekday d from start to end (past midnight when end <= start). */
static int covers(int d, int start, int end, int m)
{
	int len = end > start ? end - start : end + 1440 - start;
	return ((m - d * 1440 - start) % 10080 + 10080) % 10080 < len;
}

/* On-duty checks agree with a minute-by-minute walk over the week. */
static void test_shift_windows_match_brute_force(void **state)
{
	(void)state;
	rng_state = 99;
	for (int trial = 0; trial < 3000; trial++) {
		struct shapes_assignment a = {.service = "ppx"};
		a.shift.start = (int)(uniform() * 1440);
		a.shift.end = (int)(uniform() * 1441);
		a.shift.weekdays = 1 + (unsigned)(uniform() * 127);
		struct shapes_zone z = {.from_day = LONG_MIN,
		                        .to_day = LONG_MAX,
		                        .assignments = &a,
		                        .n_assignments = 1};
		/* One weekday (as shapes_shift_weekly() makes) or several. */
		struct shapes_shift s;
		int start = (int)(uniform() * 1440), end = (int)(uniform() * 1441);
		if (trial % 2)
			assert_int_equal(shapes_shift_weekly((int)(uniform() * 7), start, end, &s),
			                 0);
		else
			s = (struct shapes_shift){SHAPES_ANY_DAY,
			                          {start, end, 1 + (unsigned)(uniform() * 127)}};
		int want = 0;
		for (int m = 0; m < 10080 && !want; m++)
			for (int w = 0; w < 7 && !want; w++) {
				if (!(s.shift.weekdays >> w & 1) || !covers(w, start, end, m))
					continue;
				for (int d = 0; d < 7 && !want; d++)
					want = (a.shift.weekdays >> d & 1) &&
					       covers(d, a.shift.start, a.shift.end, m);
			}
		assert_int_equal(shapes_zone_services(&z, &s, NULL, 0), (size_t)want);
	}
}

/* The 12 districts of Tashkent city, read through the importer: every
 * anchor inside its district, every band within its tolerance, and the
 * boundaries neighbours share (the data shares their vertices) identical in
 * every band. */
static void test_tashkent_districts(void **state)
{
	struct fixture *f = *state;
	const char *data = testutil_shared_data();
	char path[1200];
	struct import_report rep;
	shapes *sh = NULL;
	if (!data)
		skip();
	snprintf(path, sizeof path, "%s/tashkent/districts.geojson", data);
	struct import_options o = {.layer = IMPORT_DISTRICTS, .path = path};
	assert_int_equal(import_run(f->st, &o, &rep), 0);
	import_report_free(&rep);
	assert_int_equal(shapes_load(f->st, NULL, &sh), 0);
	assert_int_equal(shapes_count(sh, SHAPES_DISTRICTS), 13); /* and the fixture's D1 */
	size_t pairs = 0, before = 0, after = 0;
	for (size_t i = 0; i < shapes_count(sh, SHAPES_DISTRICTS); i++) {
		const struct shapes_area *a = shapes_area(sh, SHAPES_DISTRICTS, i);
		const struct shapes_rings *full = &a->geom.band[SHAPES_BANDS - 1];
		assert_true(inside(full, a->anchor.x, a->anchor.y));
		assert_true(a->anchor.r > 1000);
		check_bands(sh, &a->geom);
		before += full->ring_start[full->n_rings];
		after += a->geom.band[0].ring_start[a->geom.band[0].n_rings];
		for (size_t j = i + 1; j < shapes_count(sh, SHAPES_DISTRICTS); j++) {
			const struct shapes_geom *b = &shapes_area(sh, SHAPES_DISTRICTS, j)->geom;
			if (a->geom.bbox[0] <= b->bbox[2] && b->bbox[0] <= a->geom.bbox[2] &&
			    a->geom.bbox[1] <= b->bbox[3] && b->bbox[1] <= a->geom.bbox[3])
				pairs += check_shared(&a->geom, b) > 1;
		}
	}
	assert_true(pairs >= 15); /* neighbouring pairs */
	assert_true(after < before / 4);
	shapes_free(sh);
}

/* M1's outline in view v stroked 1.5 px wide, its path built with box (or
 * without); *lines counts the path's edges. */
static cairo_surface_t *stroked(const shapes *sh, const struct view *v, const double *box,
                                int *lines)
{
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 256, 256);
	cairo_t *cr = cairo_create(img);
	shapes_path(sh, cr, v, &shapes_area(sh, SHAPES_MAHALLAS, 0)->geom, box);
	cairo_path_t *path = cairo_copy_path(cr);
	*lines = 0;
	for (int i = 0; i < path->num_data; i += path->data[i].header.length)
		*lines += path->data[i].header.type == CAIRO_PATH_LINE_TO;
	cairo_path_destroy(path);
	cairo_set_line_width(cr, 1.5);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_stroke(cr);
	cairo_destroy(cr);
	return img;
}

static void test_path_leaves_out_edges_outside_the_box(void **state)
{
	struct fixture *f = *state;
	shapes *sh = NULL;
	assert_int_equal(shapes_load(f->st, NULL, &sh), 0);
	double x, y, box[4];
	merc(f->edge[0][0][0], f->edge[0][0][1], &x, &y); /* its north-west corner */
	struct view v;
	assert_int_equal(view_for_merc(x - 300, y - 300, x + 300, y + 300, 256, 256, 1, &v), 0);
	view_frame_box(&v, 1.5, box);
	int all, kept;
	cairo_surface_t *whole = stroked(sh, &v, NULL, &all);
	cairo_surface_t *culled = stroked(sh, &v, box, &kept);
	/* the view holds a few of the ring's 2 x 240 edges */
	assert_true(kept > 0);
	assert_true(kept * 10 < all);
	int drawn = 0;
	for (int py = 0; py < 256; py++)
		for (int px = 0; px < 256; px++) {
			uint32_t a = testutil_pixel(whole, px, py),
			         b = testutil_pixel(culled, px, py);
			/* Cairo's rasteriser steps rows by other means when other edges
			 * are about: a few levels of antialiasing */
			if (!testutil_pixels_close(a, b, 24))
				fail_msg("pixel %d,%d: %08x without the box, %08x with it", px, py,
				         a, b);
			drawn += (a >> 24) > 128;
		}
	assert_true(drawn > 200);
	cairo_surface_destroy(whole);
	cairo_surface_destroy(culled);
	shapes_free(sh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_loads_areas_with_anchors_inside, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_find_overlaps_and_tracks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_utm_frame, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_path_leaves_out_edges_outside_the_box, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_zones_on_shifts, setup, teardown),
	    cmocka_unit_test(test_shift_windows_match_brute_force),
	    cmocka_unit_test_setup_teardown(test_tashkent_districts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
