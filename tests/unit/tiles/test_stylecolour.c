/* stylecolour: parsing, pixels, blending and the fallback palette. */
#include "testutil.h"

#include "err.h"
#include "stylecolour.h"

#include <math.h>
#include <stdio.h>

static void test_colour_parse(void **state)
{
	(void)state;
	struct style_colour c;
	assert_int_equal(style_colour_parse("#ff8000", &c), 0);
	testutil_assert_colour(&c, 1, 128 / 255.0, 0, 1);
	assert_int_equal(style_colour_parse("#FF800080", &c), 0);
	testutil_assert_colour(&c, 1, 128 / 255.0, 0, 128 / 255.0);
	assert_int_equal(style_colour_parse("#00000000", &c), 0);
	testutil_assert_colour(&c, 0, 0, 0, 0);
	/* Short forms, names and near misses are refused, never guessed. */
	const char *bad[] = {"#fff",    "#ffff",   "ff8000", "#ff800", "#ff80000", "#ff8000800",
	                     "#gg8000", "#ff 800", "red",    "",       "#",        " #ff8000"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(style_colour_parse(bad[i], &c), ERR_INVALID);
	assert_int_equal(style_colour_parse(NULL, &c), ERR_INVALID);

	/* Premultiplied ARGB32, as Cairo's image surfaces want. */
	struct style_colour half = {1, 0.5, 0, 0.5};
	assert_int_equal(style_colour_pixel(&half), 0x80804000u);
	struct style_colour opaque = {0, 0, 1, 1};
	assert_int_equal(style_colour_pixel(&opaque), 0xff0000ffu);
}

static void test_colour_lerp(void **state)
{
	(void)state;
	const struct style_colour p = {1, 0, 0.5, 1}, q = {0, 1, 0.5, 0};
	struct style_colour c;
	style_colour_lerp(&p, &q, 0, &c);
	testutil_assert_colour(&c, 1, 0, 0.5, 1);
	style_colour_lerp(&p, &q, 1, &c);
	testutil_assert_colour(&c, 0, 1, 0.5, 0);
	/* Straight alpha: a fading colour keeps its hue. */
	style_colour_lerp(&p, &q, 0.25, &c);
	testutil_assert_colour(&c, 0.75, 0.25, 0.5, 0.75);
}

static void test_fallback_palette(void **state)
{
	(void)state;
	struct style_colour a, b;
	style_colour_fallback("arson", &a);
	style_colour_fallback("arson", &b);
	testutil_assert_colour(&a, b.r, b.g, b.b, b.a); /* stable */
	/* No code: neutral grey. */
	style_colour_fallback(NULL, &a);
	testutil_assert_colour(&a, 0.6, 0.6, 0.6, 1);
	style_colour_fallback("", &a);
	testutil_assert_colour(&a, 0.6, 0.6, 0.6, 1);
	/* Codes take the colours of one fixed qualitative palette (ColorBrewer
	 * Dark2, opaque) and spread over all of it: 256 codes give each of its 8
	 * colours at least 8 times. */
	static const char *const dark2[8] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a",
	                                     "#66a61e", "#e6ab02", "#a6761d", "#666666"};
	int uses[8] = {0};
	for (int i = 0; i < 256; i++) {
		char code[16];
		snprintf(code, sizeof code, "code-%d", i);
		style_colour_fallback(code, &a);
		int k = 0;
		while (k < 8 && !(style_colour_parse(dark2[k], &b) == 0 && fabs(a.r - b.r) < 1e-9 &&
		                  fabs(a.g - b.g) < 1e-9 && fabs(a.b - b.b) < 1e-9 && a.a == 1))
			k++;
		if (k == 8)
			fail_msg("%s: %g,%g,%g,%g is not a Dark2 colour", code, a.r, a.g, a.b, a.a);
		uses[k]++;
	}
	for (int k = 0; k < 8; k++)
		if (uses[k] < 8)
			fail_msg("Dark2 %s: %d of 256 codes", dark2[k], uses[k]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_colour_parse),
	    cmocka_unit_test(test_colour_lerp),
	    cmocka_unit_test(test_fallback_palette),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
