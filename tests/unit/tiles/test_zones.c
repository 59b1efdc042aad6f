/* zones and tracks: service fills, hatched overlaps and joint patrols, shift
 * filters, outlines, tracks with casing and time windows, and seamless
 * tiles, drawn from a real store with the default style and checked on
 * decoded pixels. */
#include "testutil.h"

#include "labels.h"
#include "shapes.h"
#include "store.h"
#include "style.h"
#include "tilemath.h"
#include "tracks.h"
#include "view.h"
#include "zones.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Like test_areas: geometry in pixels of the z15 tile TX at 256 px. */
#define Z  15
#define TX 22690
#define TY 12120
#define T0 1772431200LL /* Monday 2026-03-02 06:00 UTC */

struct zone_def {
	const char *id, *name;
	double x0, y0, x1, y1;
	struct store_assignment as[2];
	size_t n_as;
};

/* Z1 (ppx) and Z2 (youth) overlap across the edge of tiles TX and TX + 1
 * on Friday evenings; Z4 (ppx too) overlaps Z1 without mixing services;
 * Z3 is a joint patrol on Saturdays. */
static const struct zone_def zones[] = {
    {"Z1", "Bozor atrofi", -100, 30, 320, 200, {{"ppx", "PPX-1", {480, 1200, 0x1F}}}, 1},
    {"Z2", "Yoshlar markazi", 200, 60, 500, 230, {{"youth", "Y-2", {1200, 120, 0x10}}}, 1},
    {"Z3",
     "Qoʻshma post",
     540,
     40,
     700,
     220,
     {{"ppx", "PPX-3", {600, 1080, 0x20}}, {"youth", "Y-1", {600, 1080, 0x20}}},
     2},
    {"Z4", "Eski zona", -80, 100, 40, 180, {{"ppx", "PPX-2", {480, 1200, 0x1F}}}, 1},
};
#define N_ZONES 4

struct fixture {
	char *dir;
	store *st;
	style *style;
	shapes *sh;
};

static void lonlat_of(double px, double py, double *lon, double *lat)
{
	double mx, my;
	tile_pixel_to_merc(Z, TX, TY, 256, px, py, &mx, &my);
	tile_merc_to_lonlat(mx, my, lon, lat);
}

static style *load_style(const char *replace, const char *with)
{
	char path[1024];
	static char text[1 << 16], edited[1 << 16];
	style *s = NULL;
	snprintf(path, sizeof path, "%s/styles/default.json", getenv("POSBON_SOURCE_DIR"));
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = 0;
	char *at = strstr(text, replace);
	assert_non_null(at);
	snprintf(edited, sizeof edited, "%.*s%s%s", (int)(at - text), text, with,
	         at + strlen(replace));
	assert_int_equal(style_parse(edited, "edited", &s), 0);
	return s;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[600];
	struct store_put_info info;
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "d.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	assert_int_equal(store_ensure_service(f->st, "ppx", "Patrol"), 0);
	assert_int_equal(store_ensure_service(f->st, "youth", "Youth"), 0);
	for (int i = 0; i < N_ZONES; i++) {
		const struct zone_def *z = &zones[i];
		const double xy[5][2] = {
		    {z->x0, z->y0}, {z->x1, z->y0}, {z->x1, z->y1}, {z->x0, z->y1}, {z->x0, z->y0}};
		unsigned char wkb[13 + 5 * 16];
		uint32_t head[3] = {3, 1, 5};
		wkb[0] = 1;
		memcpy(wkb + 1, head, sizeof head);
		for (int k = 0; k < 5; k++) {
			double ll[2];
			lonlat_of(xy[k][0], xy[k][1], &ll[0], &ll[1]);
			memcpy(wkb + 13 + 16 * k, ll, 16);
		}
		struct store_zone sz = {.external_id = z->id,
		                        .name = z->name,
		                        .wkb = wkb,
		                        .wkb_len = sizeof wkb,
		                        .assignments = z->as,
		                        .n_assignments = z->n_as};
		assert_int_equal(store_put_zone(f->st, &sz, "test", &info), 0);
	}
	struct store_fix fixes[4];
	for (int i = 0; i < 4; i++) {
		lonlat_of(-50 + 180 * i, 240, &fixes[i].lon, &fixes[i].lat);
		fixes[i].t = T0 + 600 * i;
	}
	struct store_track t = {
	    .external_id = "T1", .unit = "PPX-1", .service = "ppx", .fixes = fixes, .n_fixes = 4};
	assert_int_equal(store_put_track(f->st, &t, &info), 0);
	assert_int_equal(shapes_load(f->st, NULL, &f->sh), 0);
	f->style = load_style("\"version\"", "\"version\""); /* the default style as it is */
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	shapes_free(f->sh);
	style_free(f->style);
	store_close(f->st);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

static struct view tiles_view(int dx, int ntx, int tile_px)
{
	struct view v;
	assert_int_equal(view_for_tile(Z, TX + dx, TY, tile_px, &v), 0);
	v.width = ntx * tile_px;
	return v;
}

/* Paints zones for shift (NULL: all), then tracks, then labels. */
static cairo_surface_t *render(struct fixture *f, const style *s, const struct view *v,
                               const struct shapes_shift *shift, labels **lb_out)
{
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, v->width, v->height);
	cairo_t *cr = cairo_create(img);
	labels *lb = NULL;
	assert_int_equal(labels_new(v, LABELS_SEAMLESS, &lb), 0);
	assert_int_equal(zones_paint(cr, v, f->sh, s, shift, NULL, lb), 0);
	assert_int_equal(tracks_paint(cr, v, f->sh, s, STORE_NO_TIME, STORE_NO_TIME, NULL), 0);
	assert_int_equal(labels_draw(lb, cr), 0);
	assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_flush(img);
	if (lb_out)
		*lb_out = lb;
	else
		labels_free(lb);
	return img;
}

/* Pixels of colour c in the rectangle of tile pixels x0..x1, y0..y1 drawn at
 * scale 2 in a view starting at tile TX. */
static int count(cairo_surface_t *img, const struct style_colour *c, int tol, int x0, int y0,
                 int x1, int y1)
{
	int n = 0, w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
	for (int y = 2 * y0 > 0 ? 2 * y0 : 0; y < 2 * y1 && y < h; y++)
		for (int x = 2 * x0 > 0 ? 2 * x0 : 0; x < 2 * x1 && x < w; x++)
			n += testutil_pixel_is(testutil_pixel(img, x, y), c, tol);
	return n;
}

static struct style_colour service(const struct fixture *f, const char *code, double alpha)
{
	struct style_colour c;
	assert_int_equal(style_service_colour(f->style, code, &c), 1);
	c.a *= alpha;
	return c;
}

static struct shapes_shift shift_on(const char *date, int start, int end)
{
	struct shapes_shift s;
	assert_int_equal(shapes_shift_on(date, start, end, &s), 0);
	return s;
}

static void test_overlap_of_two_services_is_hatched(void **state)
{
	struct fixture *f = *state;
	struct view v = tiles_view(0, 3, 512);
	const double fill = style_zones(f->style)->fill_opacity;
	struct style_colour ppx = service(f, "ppx", 1), youth = service(f, "youth", 1);
	struct style_colour ppx_fill = service(f, "ppx", fill);
	struct style_colour twice = service(f, "ppx", fill + fill * (1 - fill));
	/* Friday 19:00-21:00: ppx until 20:00, youth from 20:00. */
	struct shapes_shift fri = shift_on("2026-03-06", 1140, 1260);
	labels *lb;
	cairo_surface_t *img = render(f, f->style, &v, &fri, &lb);
	/* Z1 alone: its fill; the overlap: stripes of both colours, ~1/4 each. */
	assert_true(testutil_pixel_is(testutil_pixel(img, 2 * 100, 2 * 60), &ppx_fill, 2));
	assert_int_equal(count(img, &ppx, 60, 60, 50, 190, 190), 0);
	int area = 2 * 90 * 2 * 120;
	int np = count(img, &ppx, 10, 210, 70, 300, 190),
	    ny = count(img, &youth, 10, 210, 70, 300, 190);
	assert_true(np > area / 16 && np < area / 4);
	assert_true(ny > area / 16 && ny < area / 4);
	/* Z4 over Z1, both ppx: no stripes, two fills. */
	assert_true(testutil_pixel_is(testutil_pixel(img, 2 * 0, 2 * 140), &twice, 2));
	assert_int_equal(count(img, &ppx, 30, 5, 110, 30, 170), 0);
	/* Z1's outline (5.5 px at z15 @2x) along its top edge at tile row 30. */
	for (int x = 2 * 10; x < 2 * 190; x += 5)
		for (int y = 58; y <= 61; y++)
			assert_true(testutil_pixel_is(testutil_pixel(img, x, y), &ppx, 2));
	/* Z3 is not on duty on Fridays. */
	assert_int_equal(testutil_pixel(img, 2 * 620, 2 * 130), 0);
	/* Zone names as labels inside their zones. */
	const struct labels_placed *p;
	size_t n = labels_placed(lb, &p), named = 0;
	for (size_t i = 0; i < n; i++)
		named += strcmp(p[i].text, "Bozor atrofi") == 0 ||
		         strcmp(p[i].text, "Yoshlar markazi") == 0;
	assert_int_equal(named, 2);
	cairo_surface_destroy(img);
	labels_free(lb);

	/* Friday 10:00-12:00: no youth anywhere, Z2 not drawn. */
	struct shapes_shift morning = shift_on("2026-03-06", 600, 720);
	img = render(f, f->style, &v, &morning, NULL);
	assert_int_equal(count(img, &youth, 40, -100, 0, 512, 256), 0);
	assert_int_equal(testutil_pixel(img, 2 * 400, 2 * 150), 0);
	assert_true(testutil_pixel_is(testutil_pixel(img, 2 * 250, 2 * 130), &ppx_fill, 2));
	cairo_surface_destroy(img);
}

static void test_joint_patrol_is_hatched(void **state)
{
	struct fixture *f = *state;
	struct view v = tiles_view(1, 2, 512); /* tiles TX + 1 and TX + 2 */
	struct style_colour ppx = service(f, "ppx", 1), youth = service(f, "youth", 1);
	struct shapes_shift sat = shift_on("2026-03-07", 660, 720);
	cairo_surface_t *img = render(f, f->style, &v, &sat, NULL);
	int np = 0, ny = 0;
	for (int y = 2 * 60; y < 2 * 200; y++)
		for (int x = 2 * (560 - 256); x < 2 * (680 - 256); x++) {
			np += testutil_pixel_is(testutil_pixel(img, x, y), &ppx, 10);
			ny += testutil_pixel_is(testutil_pixel(img, x, y), &youth, 10);
		}
	assert_true(np > 2000 && ny > 2000);
	/* Z1 and Z2 are off duty on Saturday. */
	assert_int_equal(testutil_pixel(img, 2 * (400 - 256), 2 * 150), 0);
	cairo_surface_destroy(img);

	/* With no shift, every zone with all its services: Z2 alone there,
	 * in youth's fill. */
	img = render(f, f->style, &v, NULL, NULL);
	struct style_colour youth_fill = service(f, "youth", style_zones(f->style)->fill_opacity);
	assert_true(
	    testutil_pixel_is(testutil_pixel(img, 2 * (400 - 256), 2 * 150), &youth_fill, 2));
	cairo_surface_destroy(img);
}

static void test_outline_style(void **state)
{
	struct fixture *f = *state;
	style *s = load_style("\"style\": \"hatch\"", "\"style\": \"outline\"");
	struct view v = tiles_view(0, 2, 512);
	struct style_colour ppx = service(f, "ppx", 1), youth = service(f, "youth", 1);
	struct shapes_shift fri = shift_on("2026-03-06", 1140, 1260);
	cairo_surface_t *img = render(f, s, &v, &fri, NULL);
	/* No stripes inside the overlap; its edge in dashes of both colours
	 * over the zones' own outlines: Z2's left edge (youth) at tile column
	 * 200 shows ppx dashes along the overlap (rows 60-200), not below. */
	assert_int_equal(count(img, &ppx, 10, 215, 75, 300, 185), 0);
	assert_int_equal(count(img, &youth, 10, 215, 75, 300, 185), 0);
	assert_true(count(img, &ppx, 10, 199, 70, 201, 190) > 50);
	assert_true(count(img, &youth, 10, 199, 70, 201, 190) > 50);
	assert_int_equal(count(img, &ppx, 10, 199, 205, 201, 228), 0);
	assert_true(count(img, &youth, 10, 199, 205, 201, 228) > 50);
	cairo_surface_destroy(img);
	style_free(s);
}

static void test_tracks(void **state)
{
	struct fixture *f = *state;
	const struct style_tracks *st = style_tracks(f->style);
	struct view v = tiles_view(0, 2, 512);
	struct style_colour ppx = service(f, "ppx", 1);
	/* The track at tile row 240 (device 480, 4.8 px wide) over its white
	 * casing (2 px more each side). */
	double a = st->opacity, under = st->casing->colour.a * (1 - st->opacity);
	struct style_colour want = {(ppx.r * a + under) / (a + under),
	                            (ppx.g * a + under) / (a + under),
	                            (ppx.b * a + under) / (a + under), a + under};
	for (int window = 0; window < 2; window++) {
		cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1024, 512);
		cairo_t *cr = cairo_create(img);
		/* The whole track, then only from the third fix on. */
		int64_t from = window ? T0 + 1300 : STORE_NO_TIME;
		assert_int_equal(tracks_paint(cr, &v, f->sh, f->style, from, T0 + 5000, NULL), 0);
		cairo_destroy(cr);
		cairo_surface_flush(img);
		for (int y = 478; y <= 481; y++) {
			assert_true(testutil_pixel_is(testutil_pixel(img, 2 * 400, y), &want, 3));
			if (window)
				assert_int_equal(testutil_pixel(img, 2 * 220, y), 0);
			else
				assert_true(
				    testutil_pixel_is(testutil_pixel(img, 2 * 220, y), &want, 3));
		}
		assert_true(
		    testutil_pixel_is(testutil_pixel(img, 2 * 400, 476), &st->casing->colour, 2));
		assert_true(
		    testutil_pixel_is(testutil_pixel(img, 2 * 400, 483), &st->casing->colour, 2));
		assert_int_equal(testutil_pixel(img, 2 * 400, 486), 0);
		cairo_surface_destroy(img);
	}
}

/* Hatching, outlines, tracks and labels continue across the tile edge. */
static void test_two_tiles_match_one_wide_picture(void **state)
{
	struct fixture *f = *state;
	struct shapes_shift fri = shift_on("2026-03-06", 1140, 1260);
	for (int scale = 1; scale <= 2; scale++) {
		int px = 256 * scale;
		struct view wide = tiles_view(0, 2, px), left = tiles_view(0, 1, px),
		            right = tiles_view(1, 1, px);
		cairo_surface_t *iw = render(f, f->style, &wide, &fri, NULL);
		cairo_surface_t *il = render(f, f->style, &left, &fri, NULL);
		cairo_surface_t *ir = render(f, f->style, &right, &fri, NULL);
		int worst = 0;
		for (int y = 0; y < px; y++)
			for (int x = 0; x < 2 * px; x++) {
				uint32_t a = testutil_pixel(iw, x, y);
				uint32_t b = x < px ? testutil_pixel(il, x, y)
				                    : testutil_pixel(ir, x - px, y);
				for (int sh = 0; sh < 32; sh += 8) {
					int d = abs((int)(a >> sh & 0xff) - (int)(b >> sh & 0xff));
					worst = d > worst ? d : worst;
				}
			}
		assert_true(worst <= 2);
		cairo_surface_destroy(iw);
		cairo_surface_destroy(il);
		cairo_surface_destroy(ir);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_overlap_of_two_services_is_hatched, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_joint_patrol_is_hatched, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_outline_style, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tracks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_two_tiles_match_one_wide_picture, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
