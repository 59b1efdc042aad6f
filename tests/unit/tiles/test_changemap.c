/* changemap: a hand-built store in a real SpatiaLite file with three places
 * 1 km apart whose offences doubled, halved and stayed from February to
 * March 2026, drawn through the renderer with the default style: red, blue
 * and transparent; the change is the difference of two heatmap densities;
 * neighbouring tiles agree on their edge; ETags follow new offences. */
#include "testutil.h"

#include "changemap.h"
#include "err.h"
#include "heatmap.h"
#include "render.h"
#include "store.h"
#include "styleramp.h"
#include "tilemath.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FEB1  1769904000LL /* 2026-02-01 00:00 UTC */
#define MAR1  1772323200LL /* 2026-03-01: February has 28 days */
#define MAR29 (MAR1 + 28 * 86400LL)
#define LAT   41.309

/* The places and their offences before (February) and now (March). */
static const struct {
	double lon;
	int before, now;
} places[] = {{69.206, 20, 40}, {69.218, 40, 20}, {69.230, 30, 30}};

struct fixture {
	void *db;  /* struct testutil_db */
	store *st; /* borrowed from db */
	renderer *r;
	struct dataset_filter feb, mar; /* the two periods, written by hand */
};

/* Offences spread over days 2..27 of the month starting at month. */
static void put_month(store *st, int place, int n, int64_t month)
{
	for (int k = 0; k < n; k++) {
		char id[32];
		snprintf(id, sizeof id, "p%d-%lld-%d", place, (long long)month, k);
		int64_t t = month + 86400 + (int64_t)k * (25 * 86400 / n);
		testutil_put_offence(st, id, places[place].lon, LAT, t, t, "theft");
	}
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char style[700];
	const char *src = getenv("POSBON_SOURCE_DIR");
	*state = f;
	if (!src || testutil_db_open(&f->db) < 0)
		return -1;
	snprintf(style, sizeof style, "%s/styles/default.json", src);
	f->st = ((struct testutil_db *)f->db)->st;
	testutil_l_district(f->st);
	for (int p = 0; p < 3; p++) {
		put_month(f->st, p, places[p].before, FEB1);
		put_month(f->st, p, places[p].now, MAR1);
	}
	/* The latest offence, so that an open period is exactly March. */
	testutil_put_offence(f->st, "last", 69.240, 41.302, MAR29 - 60, MAR29 - 60, "theft");
	if (renderer_open(f->st, style, NULL, &f->r) < 0) {
		fprintf(stderr, "setup: %s\n", err_msg());
		return -1;
	}
	dataset_filter_all(&f->feb);
	f->mar = f->feb;
	f->feb.from = FEB1;
	f->feb.to = MAR1 - 1;
	f->mar.from = MAR1;
	f->mar.to = MAR29 - 1;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	renderer_free(f->r);
	if (f->db)
		testutil_db_close(&f->db);
	free(f);
	return 0;
}

static struct heatmap_opts opts_of(renderer *r)
{
	const struct style_heatmap *c = style_change(renderer_style(r));
	return (struct heatmap_opts){.kernel = c->kernel, .bandwidth = c->bandwidth};
}

/* The pixel of place p in view v. */
static void place_px(const struct view *v, int p, int *i, int *j)
{
	double mx, my, px, py;
	tile_lonlat_to_merc(places[p].lon, LAT, &mx, &my);
	view_to_px(v, mx, my, &px, &py);
	*i = (int)px;
	*j = (int)py;
}

static void test_periods(void **state)
{
	struct fixture *f = *state;
	const dataset *ds = renderer_dataset(f->r);
	struct dataset_filter now, before, open;
	changemap_periods(ds, &f->mar, &now, &before);
	assert_true(now.from == MAR1 && now.to == MAR29 - 1);
	assert_true(before.from == FEB1 && before.to == MAR1 - 1);
	/* Open: the 4 weeks up to the latest offence (a minute before 29 Mar). */
	dataset_filter_all(&open);
	changemap_periods(ds, &open, &now, &before);
	assert_true(now.to == MAR29 - 60 && now.from == MAR29 - 60 - 28 * 86400 + 1);
	assert_true(before.to == now.from - 1 && before.from == now.from - 28 * 86400);
	/* Only an end: 4 weeks up to it. */
	open.to = MAR1 - 1;
	changemap_periods(ds, &open, &now, &before);
	assert_true(now.from == FEB1 && before.from == FEB1 - 28 * 86400);
}

/* The change at every pixel is March's density minus February's. */
static void test_change_is_the_difference_of_two_densities(void **state)
{
	struct fixture *f = *state;
	const dataset *ds = renderer_dataset(f->r);
	struct view v;
	assert_int_equal(view_for_bbox(69.198, 41.302, 69.238, 41.316, 320, 160, 1, &v), 0);
	size_t cells = (size_t)v.width * v.height;
	double *change = malloc(cells * sizeof *change), *open = malloc(cells * sizeof *open),
	       *mar = malloc(cells * sizeof *mar), *feb = malloc(cells * sizeof *feb);
	struct heatmap_opts o = opts_of(f->r);
	struct dataset_points pts = {0};
	struct dataset_filter all;
	dataset_filter_all(&all);
	assert_int_equal(changemap_density(&v, ds, &f->mar, &o, &pts, change), 0);
	assert_int_equal(changemap_density(&v, ds, &all, &o, &pts, open), 0);
	assert_int_equal(heatmap_density(&v, ds, &f->mar, &o, &pts, mar), 0);
	assert_int_equal(heatmap_density(&v, ds, &f->feb, &o, &pts, feb), 0);
	double top = 0;
	for (size_t k = 0; k < cells; k++) {
		assert_true(fabs(change[k] - (mar[k] - feb[k])) <= 1e-9 * (mar[k] + feb[k]));
		assert_true(fabs(open[k] - change[k]) <= 1e-9 * (mar[k] + feb[k]));
		top = fmax(top, fabs(change[k]));
	}
	/* At a place: 20 offences more or fewer, 3 / (pi r^2) each at the
	 * peak, 70.7 per km² for r = 300 m; the pixel is a few metres off. */
	double peak = 20 * 3 / (M_PI * 0.3 * 0.3);
	for (int p = 0; p < 3; p++) {
		int i, j;
		place_px(&v, p, &i, &j);
		double d = change[(size_t)j * v.width + i];
		double want = places[p].now > places[p].before   ? peak
		              : places[p].now < places[p].before ? -peak
		                                                 : 0;
		assert_true(fabs(d - want) < 0.02 * peak);
	}
	assert_true(top <= peak * 1.0001);
	dataset_points_free(&pts);
	free(change);
	free(open);
	free(mar);
	free(feb);
}

static void test_rise_is_red_fall_is_blue_no_change_transparent(void **state)
{
	struct fixture *f = *state;
	struct render_request q = {.layers = RENDER_CHANGE, .filter = f->mar};
	assert_int_equal(view_for_bbox(69.198, 41.302, 69.238, 41.316, 320, 160, 1, &q.view), 0);
	cairo_surface_t *img;
	assert_int_equal(render_image(f->r, &q, &img), 0);
	double *change = malloc((size_t)q.view.width * q.view.height * sizeof *change);
	struct heatmap_opts o = opts_of(f->r);
	struct dataset_points pts = {0};
	assert_int_equal(
	    changemap_density(&q.view, renderer_dataset(f->r), &f->mar, &o, &pts, change), 0);
	style_ramp *ramp;
	assert_int_equal(renderer_change_ramp(f->r, &f->mar, &ramp), 0);
	double opacity = style_change(renderer_style(f->r))->opacity;
	for (int p = 0; p < 3; p++) {
		int i, j;
		place_px(&q.view, p, &i, &j);
		uint32_t px = testutil_pixel(img, i, j);
		struct style_colour c;
		style_ramp_colour(ramp, change[(size_t)j * q.view.width + i], &c);
		c.a *= opacity;
		assert_true(testutil_pixel_is(px, &c, 2));
		int a = px >> 24, red = (px >> 16) & 255, blue = px & 255;
		if (places[p].now > places[p].before)
			assert_true(a > 100 && red > 2 * blue);
		else if (places[p].now < places[p].before)
			assert_true(a > 100 && blue > 2 * red);
		else
			assert_int_equal(px, 0);
	}
	/* The legend's stops: 28 days of the style's yearly breaks. */
	double lo, hi;
	style_ramp_stop(ramp, 0, &lo, NULL);
	style_ramp_stop(ramp, style_ramp_size(ramp) - 1, &hi, NULL);
	assert_true(fabs(lo + 8000 * 28 / 365.25) < 1e-9 && fabs(hi - 8000 * 28 / 365.25) < 1e-9);
	style_ramp_free(ramp);
	dataset_points_free(&pts);
	free(change);
	cairo_surface_destroy(img);
}

/* The z 16 tile holding place p and its east or west neighbour, whichever
 * edge is nearer to p; *west is the western of the two. */
static void tile_pair(int p, long *west, long *y)
{
	double mx, my;
	struct tile_bounds world;
	tile_lonlat_to_merc(places[p].lon, LAT, &mx, &my);
	tile_bounds_merc(0, 0, 0, &world);
	double size = (world.maxx - world.minx) / 65536; /* a z 16 tile */
	double fx = (mx - world.minx) / size;
	*y = (long)((world.maxy - my) / size);
	*west = fx - floor(fx) < 0.5 ? (long)fx - 1 : (long)fx;
}

static void test_neighbouring_tiles_are_seamless(void **state)
{
	struct fixture *f = *state;
	struct render_request q = {.layers = RENDER_CHANGE, .filter = f->mar};
	for (int p = 0; p < 2; p++) {
		long x, y;
		tile_pair(p, &x, &y);
		assert_true(testutil_seam(f->r, &q, 16, x, y) > 0);
	}
}

/* A new offence in February near a place changes that tile's ETag, not a
 * far one's; another filter's ETag differs. */
static void test_etag_follows_offences_of_either_period(void **state)
{
	struct fixture *f = *state;
	struct render_request near = {.layers = RENDER_CHANGE, .filter = f->mar}, far, other;
	long x, y;
	tile_pair(0, &x, &y);
	assert_int_equal(view_for_tile(16, x, y, 256, &near.view), 0);
	far = near;
	assert_int_equal(view_for_tile(16, x + 40, y, 256, &far.view), 0);
	other = near;
	other.filter.from = FEB1;
	const struct render_request *qs[3] = {&near, &far, &other};
	char tags[3][160], after[160];
	for (int k = 0; k < 3; k++)
		assert_int_equal(render_etag(f->r, qs[k], tags[k], sizeof tags[k]), 0);
	assert_string_not_equal(tags[0], tags[2]);
	const dataset *ds = renderer_dataset(f->r);
	struct heatmap_opts o = opts_of(f->r);
	struct dataset_points pts = {0};
	static double was[256 * 256], is[256 * 256];
	assert_int_equal(changemap_density(&near.view, ds, &near.filter, &o, &pts, was), 0);
	const double at[2] = {places[0].lon + 0.001, LAT};
	testutil_put_offence(f->st, "new", at[0], at[1], FEB1 + 86400 * 3, FEB1 + 86400 * 3,
	                     "theft");
	size_t added;
	assert_int_equal(renderer_sync(f->r, f->st, &added), 0);
	assert_int_equal(added, 1);
	/* One more offence in February, the period March is compared with:
	 * the change falls by its kernel around it, and nowhere else. */
	assert_int_equal(changemap_density(&near.view, ds, &near.filter, &o, &pts, is), 0);
	dataset_points_free(&pts);
	double ox, oy, top = 1;
	tile_lonlat_to_merc(at[0], at[1], &ox, &oy);
	for (int k = 0; k < 256 * 256; k++)
		top = fmax(top, fabs(was[k]));
	int fell = 0;
	for (int j = 0; j < 256; j++)
		for (int i = 0; i < 256; i++) {
			double x = near.view.x0 + (i + 0.5) * near.view.res;
			double y = near.view.y0 - (j + 0.5) * near.view.res;
			double k =
			    kde_kernel_density(o.kernel, o.bandwidth,
			                       hypot(x - ox, y - oy) * tile_scale_factor_merc(y));
			if (fabs(is[j * 256 + i] - (was[j * 256 + i] - k)) > 1e-9 * top)
				fail_msg("pixel %d,%d: change %.12g, was %.12g, one February theft "
				         "%.12g",
				         i, j, is[j * 256 + i], was[j * 256 + i], k);
			fell += k > 0;
		}
	assert_true(fell > 100);
	/* Changed: the near tile's tag only. */
	for (int k = 0; k < 2; k++) {
		assert_int_equal(render_etag(f->r, qs[k], after, sizeof after), 0);
		assert_int_equal(strcmp(after, tags[k]) != 0, k == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_periods, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_change_is_the_difference_of_two_densities, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_rise_is_red_fall_is_blue_no_change_transparent,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_neighbouring_tiles_are_seamless, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_etag_follows_offences_of_either_period, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
