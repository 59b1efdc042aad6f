/* planmap through the renderer: the hotspots, coverage and dosage layers of
 * a hand-built district in a real SpatiaLite store, rendered to PNG and
 * decoded. Two clusters of Friday-evening offences make two hotspots:
 *   A (40 offences) inside zone ZA of ppx on Friday evenings -> covered
 *   D (36) in no zone                                        -> gap
 * and a unit lingers 20 minutes at A that Friday evening: A's dosage is
 * met, D is unvisited. */
#include "testutil.h"

#include "err.h"
#include "render.h"
#include "store.h"
#include "style.h"
#include "tilemath.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W     69.200
#define S     41.300
#define E     69.224
#define N     41.318
#define A_LON 69.205
#define A_LAT 41.305
#define D_LON 69.219
#define D_LAT 41.313
#define STEP  0.00004

/* 2026-03-06, a Friday, 00:00 in Tashkent (UTC+5), in UTC seconds. */
#define FRIDAY  (1772409600LL + 4 * 86400 - 5 * 3600)
#define EVENING (FRIDAY + 20 * 3600 + 30 * 60)
#define ZOOM    16

struct fixture {
	char *dir;
	store *st;
	renderer *r;
	style *sty;
	int seq;
};

static void cluster(struct fixture *f, double lon, double lat, int n)
{
	for (int k = 0; k < n; k++) {
		char id[32];
		snprintf(id, sizeof id, "o%d", f->seq++);
		testutil_put_offence(f->st, id, lon + (k % 6 - 2.5) * STEP,
		                     lat + (k / 6 - 3) * STEP, EVENING, EVENING, "theft");
	}
}

static void box_zone(store *st, const char *id, double x0, double y0, double x1, double y1,
                     const struct store_assignment *a)
{
	unsigned char wkb[128];
	struct store_put_info info;
	struct store_zone z = {
	    .external_id = id, .name = id, .wkb = wkb, .assignments = a, .n_assignments = 1};
	z.wkb_len = testutil_square_wkb(wkb, x0, y0, x1, y1);
	assert_int_equal(store_put_zone(st, &z, "test", &info), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	const char *src = getenv("POSBON_SOURCE_DIR");
	char path[700], style_path[1024];
	unsigned char wkb[128];
	struct store_put_info info;
	if (!src)
		return -1;
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "p.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	struct store_area d = {
	    .code = "D1", .name_uz = "D1", .population = -1, .households = -1, .wkb = wkb};
	d.wkb_len = testutil_square_wkb(wkb, W, S, E, N);
	assert_int_equal(store_put_district(f->st, &d, &info), 0);
	assert_int_equal(store_ensure_category(f->st, "theft", "Theft"), 0);
	assert_int_equal(store_ensure_service(f->st, "ppx", "Public order"), 0);
	cluster(f, A_LON, A_LAT, 40);
	cluster(f, D_LON, D_LAT, 36);
	const struct store_assignment fri = {"ppx", "p1", {18 * 60, 2 * 60, 1u << 4}};
	box_zone(f->st, "ZA", A_LON - 0.004, A_LAT - 0.004, A_LON + 0.004, A_LAT + 0.004, &fri);
	snprintf(style_path, sizeof style_path, "%s/styles/default.json", src);
	if (renderer_open(f->st, style_path, NULL, &f->r) < 0 ||
	    style_load(style_path, &f->sty) < 0) {
		fprintf(stderr, "setup: %s\n", err_msg());
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	renderer_free(f->r);
	style_free(f->sty);
	store_close(f->st);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

/* A request for layers on a tile-sized view of ZOOM centred on (lon, lat),
 * at whole world pixels as tiles are, for the shift Friday 18:00-02:00 on
 * 2026-03-06; the point's pixel in *px, *py. */
static struct render_request request(struct fixture *f, unsigned layers, double lon, double lat,
                                     int *px, int *py)
{
	struct render_request q = {.layers = layers, .st = f->st};
	double mx, my, fx, fy;
	assert_int_equal(tile_lonlat_to_merc(lon, lat, &mx, &my), 0);
	assert_int_equal(view_for_tile(ZOOM, 0, 0, 256, &q.view), 0);
	q.view.x0 += (round((mx - q.view.x0) / q.view.res) - 128) * q.view.res;
	q.view.y0 -= (round((q.view.y0 - my) / q.view.res) - 128) * q.view.res;
	view_to_px(&q.view, mx, my, &fx, &fy);
	*px = (int)fx;
	*py = (int)fy;
	dataset_filter_all(&q.filter);
	assert_int_equal(shift_parse("18:00-02:00", "fri", &q.plan.shift), 0);
	q.plan.has_shift = 1;
	q.plan.has_day = 1;
	q.plan.day = (long)((FRIDAY + 5 * 3600) / 86400);
	return q;
}

static cairo_surface_t *render(renderer *r, const struct render_request *q)
{
	cairo_surface_t *img;
	assert_int_equal(render_image(r, q, &img), 0);
	return img;
}

static const struct style_colour *look(struct fixture *f, enum style_hotspot_look l,
                                       struct style_colour *buf)
{
	*buf = style_hotspots(f->sty)->colours[l];
	buf->a *= style_hotspots(f->sty)->fill_opacity;
	return buf;
}

/* Whether a dark pixel (the number's text) lies within 12 px of (x, y). */
static int number_near(cairo_surface_t *img, int x, int y)
{
	for (int j = y - 12; j <= y + 12; j++)
		for (int i = x - 12; i <= x + 12; i++) {
			uint32_t p = testutil_pixel(img, i, j);
			if (p >> 24 > 0xc0 && (p >> 16 & 0xff) < 0x50 && (p >> 8 & 0xff) < 0x50 &&
			    (p & 0xff) < 0x50)
				return 1;
		}
	return 0;
}

static void test_gap_is_red_and_covered_is_not(void **state)
{
	struct fixture *f = *state;
	struct style_colour c;
	int ax, ay, dx, dy;
	struct render_request qa = request(f, RENDER_COVERAGE, A_LON, A_LAT, &ax, &ay);
	struct render_request qd = request(f, RENDER_COVERAGE, D_LON, D_LAT, &dx, &dy);
	cairo_surface_t *ia = render(f->r, &qa), *id = render(f->r, &qd);
	/* Beside the number, inside the hotspot: the gap's fill, nothing on
	 * the covered one (outlined only). */
	assert_true(
	    testutil_pixel_is(testutil_pixel(id, dx + 25, dy), look(f, STYLE_HOTSPOT_GAP, &c), 3));
	assert_int_equal(testutil_pixel(ia, ax + 25, ay) >> 24, 0);
	assert_true(number_near(ia, ax, ay));
	assert_true(number_near(id, dx, dy));
	cairo_surface_destroy(ia);
	cairo_surface_destroy(id);

	/* The hotspots layer fills both alike. */
	qd.layers = RENDER_HOTSPOTS;
	id = render(f->r, &qd);
	assert_true(
	    testutil_pixel_is(testutil_pixel(id, dx + 25, dy), look(f, STYLE_HOTSPOT, &c), 3));
	cairo_surface_destroy(id);
}

static void test_tiles_are_seamless(void **state)
{
	struct fixture *f = *state;
	int x, y;
	/* The tile left of D's, whose right edge D's hotspot or number may
	 * cross, and one wide picture of both. */
	struct render_request b = request(f, RENDER_COVERAGE, D_LON, D_LAT, &x, &y), a = b;
	a.view.x0 -= 256 * a.view.res;
	struct render_request wide = a;
	wide.view.width = 512;
	/* Move D's hotspot onto the edge: the view, not the data. */
	double shift = (x - 4) * b.view.res;
	a.view.x0 += shift;
	b.view.x0 += shift;
	wide.view.x0 += shift;
	cairo_surface_t *ia = render(f->r, &a), *ib = render(f->r, &b), *iw = render(f->r, &wide);
	int differ = 0, painted = 0;
	for (int j = 0; j < 256; j++)
		for (int i = 0; i < 256; i++) {
			differ += !testutil_pixels_close(testutil_pixel(ia, i, j),
			                                 testutil_pixel(iw, i, j), 1);
			differ += !testutil_pixels_close(testutil_pixel(ib, i, j),
			                                 testutil_pixel(iw, 256 + i, j), 1);
			painted += testutil_pixel(iw, 255, j) != 0;
		}
	assert_int_equal(differ, 0);
	assert_true(painted > 0);
	assert_true(number_near(iw, 256 + 4, y));
	cairo_surface_destroy(ia);
	cairo_surface_destroy(ib);
	cairo_surface_destroy(iw);
}

static void test_dosage_met_and_unvisited(void **state)
{
	struct fixture *f = *state;
	struct style_colour c;
	struct store_fix fixes[21];
	struct store_put_info info;
	int ax, ay, dx, dy;
	struct render_request qa = request(f, RENDER_DOSAGE, A_LON, A_LAT, &ax, &ay);
	struct render_request qd = request(f, RENDER_DOSAGE, D_LON, D_LAT, &dx, &dy);
	char before[64], after[64];
	assert_int_equal(render_etag(f->r, &qa, before, sizeof before), 0);
	cairo_surface_t *ia = render(f->r, &qa);
	assert_true(testutil_pixel_is(testutil_pixel(ia, ax + 25, ay),
	                              look(f, STYLE_HOTSPOT_UNVISITED, &c), 3));
	cairo_surface_destroy(ia);
	/* 20 minutes at A: a full visit. */
	for (int i = 0; i < 21; i++)
		fixes[i] = (struct store_fix){A_LON, A_LAT, EVENING + 60 * i};
	struct store_track t = {
	    .external_id = "t1", .unit = "p1", .service = "ppx", .fixes = fixes, .n_fixes = 21};
	assert_int_equal(store_append_fixes(f->st, &t, &info), 0);
	renderer_tracks_changed(f->r);
	assert_int_equal(render_etag(f->r, &qa, after, sizeof after), 0);
	assert_string_not_equal(before, after);
	ia = render(f->r, &qa);
	cairo_surface_t *id = render(f->r, &qd);
	assert_true(
	    testutil_pixel_is(testutil_pixel(ia, ax + 25, ay), look(f, STYLE_HOTSPOT_MET, &c), 3));
	assert_true(testutil_pixel_is(testutil_pixel(id, dx + 25, dy),
	                              look(f, STYLE_HOTSPOT_UNVISITED, &c), 3));
	cairo_surface_destroy(ia);
	cairo_surface_destroy(id);
}

/* A zone drawn over D turns it from a gap into a covered hotspot after
 * renderer_reload_shapes(), with a new ETag; a new offence changes the
 * ETag too. */
static void test_etag_follows_zones_and_offences(void **state)
{
	struct fixture *f = *state;
	char e0[64], e1[64], e2[64];
	int dx, dy;
	struct style_colour c;
	struct render_request q = request(f, RENDER_COVERAGE, D_LON, D_LAT, &dx, &dy);
	assert_int_equal(render_etag(f->r, &q, e0, sizeof e0), 0);
	cairo_surface_t *id = render(f->r, &q);
	assert_true(
	    testutil_pixel_is(testutil_pixel(id, dx + 25, dy), look(f, STYLE_HOTSPOT_GAP, &c), 3));
	cairo_surface_destroy(id);
	const struct store_assignment fri = {"ppx", "p2", {18 * 60, 2 * 60, 1u << 4}};
	box_zone(f->st, "ZD", D_LON - 0.004, D_LAT - 0.004, D_LON + 0.004, D_LAT + 0.004, &fri);
	assert_int_equal(renderer_reload_shapes(f->r, f->st), 0);
	assert_int_equal(render_etag(f->r, &q, e1, sizeof e1), 0);
	assert_string_not_equal(e0, e1);
	/* D was a gap; now covered: no fill, still numbered (the hotspot
	 * stays, only its coverage changed). */
	id = render(f->r, &q);
	assert_int_equal(testutil_pixel(id, dx + 25, dy) >> 24, 0);
	assert_true(number_near(id, dx, dy));
	cairo_surface_destroy(id);

	testutil_put_offence(f->st, "late", D_LON, D_LAT, EVENING, EVENING, "theft");
	size_t added;
	assert_int_equal(renderer_sync(f->r, f->st, &added), 0);
	assert_int_equal(added, 1);
	assert_int_equal(render_etag(f->r, &q, e2, sizeof e2), 0);
	assert_string_not_equal(e1, e2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gap_is_red_and_covered_is_not),
	    cmocka_unit_test(test_tiles_are_seamless),
	    cmocka_unit_test(test_dosage_met_and_unvisited),
	    cmocka_unit_test(test_etag_follows_zones_and_offences),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
