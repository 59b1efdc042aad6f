/* areas: district and mahalla boundaries, fills and labels drawn from a real
 * store with the default style, checked on decoded pixels. */
#include "testutil.h"

#include "areas.h"
#include "err.h"
#include "labels.h"
#include "shapes.h"
#include "store.h"
#include "style.h"
#include "tilemath.h"
#include "view.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixture lies on the z15 tiles TX - 1 .. TX + 2 of row TY; its corners
 * are given in pixels of tile TX at 256 px (x may leave the tile). The
 * middle mahalla, Oqtepa, is a square centred near the edge between tiles
 * TX and TX + 1, so its label crosses that edge. */
#define Z  15
#define TX 22690
#define TY 12120

struct area_def {
	const char *code, *uz, *ru;
	double x0, x1; /* tile pixels; every area spans rows 20 .. 236 */
};

static const struct area_def mahallas[] = {
    {"M1", "Bogʻishamol", "Боғишамол", -200, 150},
    {"M2", "Oqtepa", "Оқтепа", 150, 366},
    {"M3", "Qoʻyliq", "Қўйлиқ", 366, 580},
    {"M4", "Choshtepa qoʻrgʻoni", "Чоштепа қўрғони", 580, 600}, /* too thin for its name */
};
#define N_MAHALLAS 4
#define ROW0       20.0
#define ROW1       236.0

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

/* WKB of the polygon through the tile pixels xy[0 .. n-1] (closed here). */
static unsigned char *polygon_wkb(const double *xy, size_t n, size_t *len)
{
	uint32_t head[3] = {3, 1, (uint32_t)n + 1};
	*len = 13 + (n + 1) * 16;
	unsigned char *b = malloc(*len);
	b[0] = 1;
	memcpy(b + 1, head, sizeof head);
	for (size_t i = 0; i <= n; i++) {
		double ll[2];
		lonlat_of(xy[2 * (i % n)], xy[2 * (i % n) + 1], &ll[0], &ll[1]);
		memcpy(b + 13 + 16 * i, ll, 16);
	}
	return b;
}

static style *load_style(const char *replace, const char *with)
{
	char path[1024];
	style *s = NULL;
	snprintf(path, sizeof path, "%s/styles/default.json", getenv("POSBON_SOURCE_DIR"));
	if (!replace) {
		assert_int_equal(style_load(path, &s), 0);
		return s;
	}
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char text[1 << 16], edited[1 << 16];
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
	size_t len;
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "d.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	for (int i = 0; i < N_MAHALLAS; i++) {
		const struct area_def *m = &mahallas[i];
		const double xy[] = {m->x0, ROW0, m->x0, ROW1, m->x1, ROW1, m->x1, ROW0};
		unsigned char *wkb = polygon_wkb(xy, 4, &len);
		struct store_area a = {.code = m->code,
		                       .name_uz = m->uz,
		                       .name_ru = m->ru,
		                       .population = -1,
		                       .households = -1,
		                       .wkb = wkb,
		                       .wkb_len = len};
		assert_int_equal(store_put_mahalla(f->st, &a, &info), 0);
		free(wkb);
	}
	/* The district through every corner of its mahallas. */
	double ring[4 * (N_MAHALLAS + 1)];
	size_t n = 0;
	for (int i = 0; i <= N_MAHALLAS; i++, n++) {
		ring[2 * n] = i < N_MAHALLAS ? mahallas[i].x0 : mahallas[N_MAHALLAS - 1].x1;
		ring[2 * n + 1] = ROW0;
	}
	for (int i = N_MAHALLAS; i >= 0; i--, n++) {
		ring[2 * n] = i < N_MAHALLAS ? mahallas[i].x0 : mahallas[N_MAHALLAS - 1].x1;
		ring[2 * n + 1] = ROW1;
	}
	unsigned char *wkb = polygon_wkb(ring, n, &len);
	struct store_area d = {.code = "D1",
	                       .name_uz = "Olmazor",
	                       .name_ru = "Олмазор",
	                       .population = -1,
	                       .households = -1,
	                       .wkb = wkb,
	                       .wkb_len = len};
	assert_int_equal(store_put_district(f->st, &d, &info), 0);
	free(wkb);
	assert_int_equal(shapes_load(f->st, NULL, &f->sh), 0);
	f->style = load_style(NULL, NULL);
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

/* Tiles TX + dx .. TX + dx + ntx - 1 at zoom z (the fixture's tiles' parent
 * at lower zooms) and tile_px pixels, as one picture. */
static struct view tiles_view(int z, int dx, int ntx, int tile_px)
{
	struct view v;
	int shift = Z - z;
	assert_int_equal(view_for_tile(z, (TX >> shift) + dx, TY >> shift, tile_px, &v), 0);
	v.width = ntx * tile_px;
	return v;
}

/* Paints districts over mahallas with their labels, as a map does. */
static cairo_surface_t *render(struct fixture *f, const style *s, const struct view *v,
                               labels **lb_out)
{
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, v->width, v->height);
	cairo_t *cr = cairo_create(img);
	labels *lb = NULL;
	assert_int_equal(labels_new(v, LABELS_SEAMLESS, &lb), 0);
	assert_int_equal(areas_paint(cr, v, f->sh, SHAPES_MAHALLAS, style_mahallas(s), lb), 0);
	assert_int_equal(areas_paint(cr, v, f->sh, SHAPES_DISTRICTS, style_districts(s), lb), 0);
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

static void test_boundaries_where_they_are_and_nothing_else(void **state)
{
	struct fixture *f = *state;
	struct view v = tiles_view(Z, 0, 2, 512); /* @2x: strokes of 2.1 and 4.8 px */
	labels *lb;
	cairo_surface_t *img = render(f, f->style, &v, &lb);
	const struct style_colour *mc = &style_mahallas(f->style)->stroke.colour;
	const struct style_colour *dc = &style_districts(f->style)->stroke.colour;
	/* The M1|M2 boundary at tile x 150 covers device columns 299 and 300,
	 * M2|M3 at 366 columns 731 and 732; the district's top edge at row 20
	 * covers rows 38 .. 41, its bottom at 236 rows 470 .. 473. */
	for (int y = 60; y < 400; y += 7) {
		assert_true(testutil_pixel_is(testutil_pixel(img, 299, y), mc, 3));
		assert_true(testutil_pixel_is(testutil_pixel(img, 300, y), mc, 3));
		assert_true(testutil_pixel_is(testutil_pixel(img, 731, y), mc, 3));
		assert_int_equal(testutil_pixel(img, 296, y), 0);
		assert_int_equal(testutil_pixel(img, 303, y), 0);
	}
	for (int x = 10; x < 1024; x += 13) {
		for (int y = 38; y <= 41; y++)
			assert_true(testutil_pixel_is(testutil_pixel(img, x, y), dc, 3));
		for (int y = 470; y <= 473; y++)
			assert_true(testutil_pixel_is(testutil_pixel(img, x, y), dc, 3));
		assert_int_equal(testutil_pixel(img, x, 34), 0);
		assert_int_equal(testutil_pixel(img, x, 477), 0);
	}
	/* Inside the mahallas, away from lines and labels: transparent. */
	const struct labels_placed *p;
	size_t np = labels_placed(lb, &p);
	for (int y = 50; y < 460; y += 3)
		for (int x = 320; x < 720; x += 3) {
			int in_label = 0;
			for (size_t i = 0; i < np; i++)
				in_label |= x >= p[i].x0 - 1 && x <= p[i].x1 + 1 &&
				            y >= p[i].y0 - 1 && y <= p[i].y1 + 1;
			if (!in_label)
				assert_int_equal(testutil_pixel(img, x, y), 0);
		}
	cairo_surface_destroy(img);
	labels_free(lb);

	/* With a fill, the mahallas are filled up to their shared boundaries. */
	style *filled = load_style("\"minzoom\": 11,\n      \"stroke\": { \"colour\": \"#9e9e9e\"",
	                           "\"minzoom\": 11,\n      \"fill\": { \"colour\": \"#ffcc00\", "
	                           "\"opacity\": 0.5 },\n      \"stroke\": { \"colour\": "
	                           "\"#9e9e9e\"");
	img = render(f, filled, &v, NULL);
	struct style_colour half = {1, 0.8, 0, 0.5};
	assert_true(testutil_pixel_is(testutil_pixel(img, 400, 420), &half, 1));
	assert_true(testutil_pixel_is(testutil_pixel(img, 290, 420), &half, 1));
	assert_true(testutil_pixel_is(testutil_pixel(img, 310, 420), &half, 1));
	assert_true(testutil_pixel_is(testutil_pixel(img, 300, 420), mc, 3));
	cairo_surface_destroy(img);
	style_free(filled);
}

static void test_labels_sit_inside_their_mahallas(void **state)
{
	struct fixture *f = *state;
	struct view v = tiles_view(Z, -1, 4, 512);
	labels *lb;
	cairo_surface_t *img = render(f, f->style, &v, &lb);
	const struct labels_placed *p;
	size_t np = labels_placed(lb, &p);
	const struct style_label *st = style_mahallas(f->style)->label;
	int found[N_MAHALLAS] = {0};
	for (size_t i = 0; i < np; i++) {
		int m = 0;
		while (m < N_MAHALLAS && strcmp(p[i].text, mahallas[m].uz) != 0)
			m++;
		assert_true(m < N_MAHALLAS);
		found[m] = 1;
		/* Inside the mahalla: view columns start at tile TX - 1. */
		assert_true(p[i].x0 > (mahallas[m].x0 + 256) * 2 &&
		            p[i].x1 < (mahallas[m].x1 + 256) * 2);
		assert_true(p[i].y0 > ROW0 * 2 && p[i].y1 < ROW1 * 2);
		/* Text and halo around the anchor. */
		int text = 0, halo = 0;
		for (int y = (int)p[i].y0; y < (int)p[i].y1; y++)
			for (int x = (int)p[i].x0; x < (int)p[i].x1; x++) {
				text +=
				    testutil_pixel_is(testutil_pixel(img, x, y), &st->colour, 40);
				halo += testutil_pixel_is(testutil_pixel(img, x, y),
				                          &st->halo->colour, 8);
			}
		assert_true(text > 20 && halo > 20);
		assert_true(p[i].ax > p[i].x0 && p[i].ax < p[i].x1);
		for (size_t j = 0; j < i; j++)
			assert_false(p[i].x0 < p[j].x1 && p[j].x0 < p[i].x1 && p[i].y0 < p[j].y1 &&
			             p[j].y0 < p[i].y1);
	}
	assert_true(found[0] && found[1] && found[2]);
	assert_false(found[3]); /* 20 px wide: its name would spill over M3 */
	cairo_surface_destroy(img);
	labels_free(lb);

	/* At z13 the district's name comes first and the rest avoid it. */
	v = tiles_view(13, 0, 1, 256);
	img = render(f, f->style, &v, &lb);
	np = labels_placed(lb, &p);
	assert_true(np >= 2);
	assert_string_equal(p[0].text, "Olmazor");
	for (size_t i = 1; i < np; i++)
		assert_false(p[i].x0 < p[0].x1 && p[0].x0 < p[i].x1 && p[i].y0 < p[0].y1 &&
		             p[0].y0 < p[i].y1);
	cairo_surface_destroy(img);
	labels_free(lb);
}

static void test_zoom_ranges(void **state)
{
	struct fixture *f = *state;
	/* z10: mahallas start at z11 and district labels at z9, but the
	 * district (~1 km) is too small for its name. */
	struct view v = tiles_view(10, 0, 1, 256);
	labels *lb;
	cairo_surface_t *img = render(f, f->style, &v, &lb);
	const struct labels_placed *p;
	assert_int_equal(labels_placed(lb, &p), 0);
	cairo_surface_t *alone = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 256, 256);
	cairo_t *cr = cairo_create(alone);
	assert_int_equal(
	    areas_paint(cr, &v, f->sh, SHAPES_DISTRICTS, style_districts(f->style), NULL), 0);
	cairo_destroy(cr);
	cairo_surface_flush(alone);
	int lit = 0;
	for (int y = 0; y < 256; y++)
		for (int x = 0; x < 256; x++) {
			assert_int_equal(testutil_pixel(img, x, y), testutil_pixel(alone, x, y));
			lit += testutil_pixel(img, x, y) != 0;
		}
	assert_true(lit > 0);
	cairo_surface_destroy(alone);
	cairo_surface_destroy(img);
	labels_free(lb);
	assert_int_equal(areas_paint(NULL, &v, f->sh, SHAPES_ZONES, style_mahallas(f->style), NULL),
	                 ERR_INVALID);
}

/* Tiles TX and TX + 1 drawn one by one have the pixels of both drawn as one
 * picture, the label across their edge included. */
static void test_two_tiles_match_one_wide_picture(void **state)
{
	struct fixture *f = *state;
	for (int scale = 1; scale <= 2; scale++) {
		int px = 256 * scale;
		struct view wide = tiles_view(Z, 0, 2, px), left = tiles_view(Z, 0, 1, px),
		            right = tiles_view(Z, 1, 1, px);
		labels *lb;
		cairo_surface_t *iw = render(f, f->style, &wide, &lb);
		cairo_surface_t *il = render(f, f->style, &left, NULL);
		cairo_surface_t *ir = render(f, f->style, &right, NULL);
		const struct labels_placed *p;
		size_t np = labels_placed(lb, &p), crossing = 0;
		for (size_t i = 0; i < np; i++)
			crossing +=
			    strcmp(p[i].text, "Oqtepa") == 0 && p[i].x0 < px && p[i].x1 > px;
		assert_int_equal(crossing, 1);
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
		labels_free(lb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_boundaries_where_they_are_and_nothing_else, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_labels_sit_inside_their_mahallas, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_zoom_ranges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_two_tiles_match_one_wide_picture, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
