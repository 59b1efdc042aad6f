/* styleramp: linear and step ramps, the pixel table, scaling, bad stops. */
#include "testutil.h"

#include "err.h"
#include "stylecolour.h"
#include "styleramp.h"

#include <math.h>

static void assert_pixel_near(uint32_t got, const struct style_colour *c)
{
	if (!testutil_pixel_is(got, c, 1))
		fail_msg("pixel %08x, expected about %08x", got, style_colour_pixel(c));
}

static void test_ramp_linear(void **state)
{
	(void)state;
	const double values[] = {10, 20, 40};
	const struct style_colour colours[] = {{1, 0, 0, 1}, {0, 1, 0, 0.5}, {0, 0, 1, 1}};
	style_ramp *r = NULL;
	struct style_colour c;
	assert_int_equal(style_ramp_new(values, colours, 3, STYLE_INTERP_LINEAR, &r), 0);

	/* Below the lowest break (and NaN): transparent. */
	style_ramp_colour(r, 9.999, &c);
	testutil_assert_colour(&c, 0, 0, 0, 0);
	style_ramp_colour(r, NAN, &c);
	testutil_assert_colour(&c, 0, 0, 0, 0);
	assert_int_equal(style_ramp_pixel(r, 9.999), 0);
	assert_int_equal(style_ramp_pixel(r, -INFINITY), 0);
	assert_int_equal(style_ramp_pixel(r, NAN), 0);

	/* At the breaks: the stops' colours, exactly. */
	for (size_t i = 0; i < 3; i++) {
		style_ramp_colour(r, values[i], &c);
		testutil_assert_colour(&c, colours[i].r, colours[i].g, colours[i].b, colours[i].a);
		assert_int_equal(style_ramp_pixel(r, values[i]), style_colour_pixel(&colours[i]));
	}
	/* Between: interpolated, the table within one step. */
	style_ramp_colour(r, 15, &c);
	testutil_assert_colour(&c, 0.5, 0.5, 0, 0.75);
	assert_pixel_near(style_ramp_pixel(r, 15), &c);
	style_ramp_colour(r, 35, &c);
	testutil_assert_colour(&c, 0, 0.25, 0.75, 0.875);
	assert_pixel_near(style_ramp_pixel(r, 35), &c);
	for (double v = 10; v < 45; v += 0.37) {
		style_ramp_colour(r, v, &c);
		assert_pixel_near(style_ramp_pixel(r, v), &c);
	}
	/* Above the last: the last colour. */
	style_ramp_colour(r, 1e9, &c);
	testutil_assert_colour(&c, 0, 0, 1, 1);
	assert_int_equal(style_ramp_pixel(r, INFINITY), 0xff0000ffu);

	/* Scaled: the same colours at twice the values. */
	style_ramp *r2 = NULL;
	assert_int_equal(style_ramp_scaled(r, 2, &r2), 0);
	style_ramp_colour(r2, 30, &c);
	testutil_assert_colour(&c, 0.5, 0.5, 0, 0.75);
	style_ramp_colour(r2, 19, &c);
	testutil_assert_colour(&c, 0, 0, 0, 0);
	style_ramp_free(r2);
	assert_int_equal(style_ramp_scaled(r, 0, &r2), ERR_INVALID);
	assert_null(r2);
	style_ramp_free(r);
}

static void test_ramp_step_and_invalid(void **state)
{
	(void)state;
	const double values[] = {1, 2, 4};
	const struct style_colour colours[] = {{1, 0, 0, 1}, {0, 1, 0, 1}, {0, 0, 1, 1}};
	style_ramp *r = NULL;
	struct style_colour c;
	assert_int_equal(style_ramp_new(values, colours, 3, STYLE_INTERP_STEP, &r), 0);
	style_ramp_colour(r, 0.5, &c);
	testutil_assert_colour(&c, 0, 0, 0, 0);
	style_ramp_colour(r, 1.99, &c);
	testutil_assert_colour(&c, 1, 0, 0, 1);
	style_ramp_colour(r, 2, &c);
	testutil_assert_colour(&c, 0, 1, 0, 1);
	assert_int_equal(style_ramp_pixel(r, 3.9), 0xff00ff00u);
	assert_int_equal(style_ramp_pixel(r, 4), 0xff0000ffu);
	style_ramp_free(r);

	const double flat[] = {1, 1, 4};
	assert_int_equal(style_ramp_new(flat, colours, 3, STYLE_INTERP_LINEAR, &r), ERR_INVALID);
	assert_null(r);
	assert_int_equal(style_ramp_new(values, colours, 1, STYLE_INTERP_LINEAR, &r), ERR_INVALID);
	const struct style_colour over[] = {{1, 0, 0, 1}, {0, 1.5, 0, 1}, {0, 0, 1, 1}};
	assert_int_equal(style_ramp_new(values, over, 3, STYLE_INTERP_LINEAR, &r), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ramp_linear),
	    cmocka_unit_test(test_ramp_step_and_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
