/* tilemath: Web Mercator projection, tile bounds, pixels, scales, cover. */
#include "testutil.h"

#include "err.h"
#include "tilemath.h"

#include <math.h>
#include <string.h>

#define PI 3.14159265358979323846

static void assert_near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.12f, want %.12f (tolerance %g)", got, want, tol);
}

/* Great-circle distance on the EPSG:3857 sphere (haversine), metres. */
static double sphere_distance(double lon1, double lat1, double lon2, double lat2)
{
	double p1 = lat1 * PI / 180, p2 = lat2 * PI / 180;
	double dp = p2 - p1, dl = (lon2 - lon1) * PI / 180;
	double h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
	return 2 * TILE_EARTH_RADIUS * asin(sqrt(h));
}

static void test_tashkent_projects_within_a_millimetre(void **state)
{
	(void)state;
	double x, y, lon, lat;
	assert_int_equal(tile_lonlat_to_merc(69.2797, 41.3111, &x, &y), 0);
	assert_near(x, 7712180.926, 0.001);
	assert_near(y, 5058337.705, 0.001);
	tile_merc_to_lonlat(x, y, &lon, &lat);
	assert_near(lon, 69.2797, 1e-10);
	assert_near(lat, 41.3111, 1e-10);

	/* The square's corners and edges. */
	assert_int_equal(tile_lonlat_to_merc(-180, TILE_MAX_LAT, &x, &y), 0);
	assert_near(x, -TILE_ORIGIN_SHIFT, 1e-6);
	assert_near(y, TILE_ORIGIN_SHIFT, 1e-3);
	assert_int_equal(tile_lonlat_to_merc(0, 0, &x, &y), 0);
	assert_near(x, 0, 1e-9);
	assert_near(y, 0, 1e-9);
	/* Beyond the edge latitude clamps to it; beyond the pole is an error. */
	assert_int_equal(tile_lonlat_to_merc(10, 89.9, &x, &y), 0);
	assert_near(y, TILE_ORIGIN_SHIFT, 1e-3);
	assert_int_equal(tile_lonlat_to_merc(10, 90.5, &x, &y), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "90.5"));
	assert_int_equal(tile_lonlat_to_merc(181, 0, &x, &y), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "181"));
	assert_int_equal(tile_lonlat_to_merc(NAN, 0, &x, &y), ERR_INVALID);
}

static void test_check_names_the_bad_value(void **state)
{
	(void)state;
	assert_int_equal(tile_check(0, 0, 0), 0);
	assert_int_equal(tile_check(22, (1L << 22) - 1, (1L << 22) - 1), 0);
	assert_int_equal(tile_check(23, 0, 0), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "zoom 23"));
	assert_int_equal(tile_check(-1, 0, 0), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "zoom -1"));
	assert_int_equal(tile_check(4, 16, 3), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "x 16"));
	assert_non_null(strstr(err_msg(), "0..15"));
	assert_int_equal(tile_check(4, 3, -1), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "y -1"));
	assert_int_equal(tile_check(0, 0, 1), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "y 1"));
	assert_int_equal(tile_check_size(256), 0);
	assert_int_equal(tile_check_size(512), 0);
	assert_int_equal(tile_check_size(0), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "size 0"));
	assert_int_equal(tile_check_size(TILE_MAX_SIZE + 1), ERR_INVALID);
}

static void test_bounds(void **state)
{
	(void)state;
	struct tile_bounds b;
	tile_bounds_merc(0, 0, 0, &b);
	assert_near(b.minx, -TILE_ORIGIN_SHIFT, 1e-9);
	assert_near(b.maxx, TILE_ORIGIN_SHIFT, 1e-9);
	assert_near(b.miny, -TILE_ORIGIN_SHIFT, 1e-9);
	assert_near(b.maxy, TILE_ORIGIN_SHIFT, 1e-9);
	assert_near(TILE_ORIGIN_SHIFT, PI * TILE_EARTH_RADIUS, 1e-8);

	/* z 1: tile (1, 0) is the north-east quarter. */
	tile_bounds_merc(1, 1, 0, &b);
	assert_near(b.minx, 0, 1e-9);
	assert_near(b.miny, 0, 1e-9);
	assert_near(b.maxx, TILE_ORIGIN_SHIFT, 1e-9);
	assert_near(b.maxy, TILE_ORIGIN_SHIFT, 1e-9);

	tile_bounds_lonlat(0, 0, 0, &b);
	assert_near(b.minx, -180, 1e-12);
	assert_near(b.maxx, 180, 1e-12);
	assert_near(b.miny, -TILE_MAX_LAT, 1e-9);
	assert_near(b.maxy, TILE_MAX_LAT, 1e-9);

	/* The z 14 tile holding Tashkent's sample point, from the textbook
	 * formulas, and its bounds hold the point. */
	double lon = 69.2797, lat = 41.3111, phi = lat * PI / 180;
	long n = 1L << 14;
	long tx = (long)floor((lon + 180) / 360 * (double)n);
	long ty = (long)floor((1 - log(tan(phi) + 1 / cos(phi)) / PI) / 2 * (double)n);
	assert_int_equal(tile_check(14, tx, ty), 0);
	assert_int_equal(tx, 11344); /* used by the tests below */
	assert_int_equal(ty, 6123);
	tile_bounds_lonlat(14, tx, ty, &b);
	assert_true(b.minx <= lon && lon < b.maxx);
	assert_true(b.miny <= lat && lat < b.maxy);
	/* Adjacent tiles share their edges exactly. */
	struct tile_bounds right, below;
	tile_bounds_merc(14, tx, ty, &b);
	tile_bounds_merc(14, tx + 1, ty, &right);
	tile_bounds_merc(14, tx, ty + 1, &below);
	assert_true(b.maxx == right.minx);
	assert_true(b.miny == below.maxy);
}

static void test_resolution_and_scale(void **state)
{
	(void)state;
	assert_near(tile_merc_per_pixel(0, 256), 156543.03392804097, 1e-8);
	assert_near(tile_merc_per_pixel(0, 512), 78271.51696402048, 1e-8);
	assert_near(tile_merc_per_pixel(14, 256), 9.554628535647032, 1e-12);
	assert_near(tile_merc_per_pixel(14, 512), tile_merc_per_pixel(15, 256), 1e-12);
	assert_near(tile_ground_resolution(14, 256, 60), 9.554628535647032 / 2, 1e-9);
	assert_near(tile_ground_resolution(3, 256, 0), tile_merc_per_pixel(3, 256), 1e-9);

	/* Scale factor from latitude and from northing agree. */
	double x, y;
	assert_int_equal(tile_lonlat_to_merc(69.2797, 41.3111, &x, &y), 0);
	assert_near(tile_scale_factor(41.3111), cos(41.3111 * PI / 180), 1e-15);
	assert_near(tile_scale_factor_merc(y), tile_scale_factor(41.3111), 1e-14);
	assert_near(tile_scale_factor(0), 1, 1e-15);

	/* Ground metres = Mercator metres x cos(lat), against great-circle
	 * distances on the same sphere, east-west and north-south over 100 m. */
	double lat = 41.3111, lon = 69.2797, dl = 0.0012, dp = 0.0009;
	double x1, y1, x2, y2;
	assert_int_equal(tile_lonlat_to_merc(lon, lat, &x1, &y1), 0);
	assert_int_equal(tile_lonlat_to_merc(lon + dl, lat, &x2, &y2), 0);
	double ground = sphere_distance(lon, lat, lon + dl, lat);
	assert_near((x2 - x1) * tile_scale_factor(lat) / ground, 1, 1e-7);
	assert_int_equal(tile_lonlat_to_merc(lon, lat + dp, &x2, &y2), 0);
	ground = sphere_distance(lon, lat, lon, lat + dp);
	assert_near((y2 - y1) * tile_scale_factor(lat + dp / 2) / ground, 1, 1e-7);
}

static void test_pixels(void **state)
{
	(void)state;
	const int sizes[] = {TILE_SIZE, TILE_SIZE_2X};
	for (int s = 0; s < 2; s++) {
		int px = sizes[s];
		struct tile_bounds b;
		double mx, my, fx, fy;
		tile_bounds_merc(14, 11344, 6123, &b);
		tile_pixel_to_merc(14, 11344, 6123, px, 0, 0, &mx, &my);
		assert_near(mx, b.minx, 1e-6);
		assert_near(my, b.maxy, 1e-6);
		tile_pixel_to_merc(14, 11344, 6123, px, px, px, &mx, &my);
		assert_near(mx, b.maxx, 1e-6);
		assert_near(my, b.miny, 1e-6);
		/* Centre of the first pixel, and back. */
		tile_pixel_to_merc(14, 11344, 6123, px, 0.5, 0.5, &mx, &my);
		assert_near(mx, b.minx + tile_merc_per_pixel(14, px) / 2, 1e-6);
		assert_near(my, b.maxy - tile_merc_per_pixel(14, px) / 2, 1e-6);
		tile_merc_to_pixel(14, 11344, 6123, px, mx, my, &fx, &fy);
		assert_near(fx, 0.5, 1e-6);
		assert_near(fy, 0.5, 1e-6);
		/* A point west of the tile comes out negative. */
		tile_merc_to_pixel(14, 11344, 6123, px, b.minx - 100, my, &fx, &fy);
		assert_true(fx < 0);
	}
}

static void test_row_scales(void **state)
{
	(void)state;
	double scale[TILE_SIZE_2X];
	long tx = 11344, ty = 6123;
	tile_row_scales(14, ty, TILE_SIZE, scale);
	for (int j = 0; j < TILE_SIZE; j++) {
		double mx, my, lon, lat;
		tile_pixel_to_merc(14, tx, ty, TILE_SIZE, 0.5, j + 0.5, &mx, &my);
		tile_merc_to_lonlat(mx, my, &lon, &lat);
		assert_near(scale[j], tile_scale_factor(lat), 1e-13);
		/* Northern hemisphere: rows going south have larger scales. */
		if (j > 0)
			assert_true(scale[j] > scale[j - 1]);
	}
	/* Over one z 14 tile at 41 N the scale varies by ~0.03 %. */
	assert_true(scale[TILE_SIZE - 1] / scale[0] - 1 < 5e-4);
	tile_row_scales(14, ty, TILE_SIZE_2X, scale);
	double lon, lat, mx, my;
	tile_pixel_to_merc(14, tx, ty, TILE_SIZE_2X, 0, 0.5, &mx, &my);
	tile_merc_to_lonlat(mx, my, &lon, &lat);
	assert_near(scale[0], tile_scale_factor(lat), 1e-13);
}

static void test_cover(void **state)
{
	(void)state;
	struct tile_range r;
	struct tile_bounds b;

	/* A tile's own box covers exactly that tile, and four at the next zoom. */
	tile_bounds_lonlat(14, 11344, 6123, &b);
	assert_int_equal(tile_cover(14, b.minx, b.miny, b.maxx, b.maxy, &r), 0);
	assert_int_equal(r.x0, 11344);
	assert_int_equal(r.x1, 11344);
	assert_int_equal(r.y0, 6123);
	assert_int_equal(r.y1, 6123);
	assert_int_equal(tile_range_count(&r), 1);
	assert_int_equal(tile_cover(15, b.minx, b.miny, b.maxx, b.maxy, &r), 0);
	assert_int_equal(r.x0, 2 * 11344);
	assert_int_equal(r.x1, 2 * 11344 + 1);
	assert_int_equal(r.y0, 2 * 6123);
	assert_int_equal(r.y1, 2 * 6123 + 1);
	assert_int_equal(tile_range_count(&r), 4);

	/* A point box is the tile holding it. */
	assert_int_equal(tile_cover(14, 69.2797, 41.3111, 69.2797, 41.3111, &r), 0);
	assert_int_equal(tile_range_count(&r), 1);
	tile_bounds_lonlat(14, r.x0, r.y0, &b);
	assert_true(b.minx <= 69.2797 && 69.2797 < b.maxx);
	assert_true(b.miny <= 41.3111 && 41.3111 < b.maxy);

	/* The world, and a polar box clamped to the square. */
	assert_int_equal(tile_cover(2, -180, -90, 180, 90, &r), 0);
	assert_int_equal(tile_range_count(&r), 16);
	assert_int_equal(tile_cover(3, 0, 89, 10, 90, &r), 0);
	assert_int_equal(r.y0, 0);
	assert_int_equal(r.y1, 0);

	/* A 10 km district around Tashkent at z 14: about 6 x 6 tiles of
	 * 0.022 deg by 0.0165 deg. */
	assert_int_equal(tile_cover(14, 69.22, 41.27, 69.34, 41.36, &r), 0);
	assert_true(r.x1 - r.x0 + 1 >= 6 && r.x1 - r.x0 + 1 <= 7);
	assert_true(r.y1 - r.y0 + 1 >= 6 && r.y1 - r.y0 + 1 <= 7);
	for (long x = r.x0; x <= r.x1; x++)
		assert_int_equal(tile_check(14, x, r.y0), 0);

	assert_int_equal(tile_cover(23, 0, 0, 1, 1, &r), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "zoom 23"));
	assert_int_equal(tile_cover(5, 10, 0, 9, 1, &r), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "antimeridian"));
	assert_int_equal(tile_cover(5, 0, 2, 1, 1, &r), ERR_INVALID);
	assert_int_equal(tile_cover(5, 0, 0, 1, 91, &r), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "latitude 91"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tashkent_projects_within_a_millimetre),
	    cmocka_unit_test(test_check_names_the_bad_value),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_resolution_and_scale),
	    cmocka_unit_test(test_pixels),
	    cmocka_unit_test(test_row_scales),
	    cmocka_unit_test(test_cover),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
