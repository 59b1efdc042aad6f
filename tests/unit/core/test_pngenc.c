/* pngenc: round trip through Cairo's own PNG reader, translucent pixels
 * included, in each colour type the encoder chooses. */
#include "testutil.h"

#include "err.h"
#include "pngenc.h"

#include <stdlib.h>
#include <string.h>

/* Draws a translucent disc and an opaque line on a background, in colour
 * or in greys; background alpha 0 leaves it transparent. */
static cairo_surface_t *picture(int colour, double background_alpha)
{
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 300, 200);
	cairo_t *cr = cairo_create(img);
	cairo_set_source_rgba(cr, 1, 1, colour ? 0.9 : 1, background_alpha);
	cairo_paint(cr);
	cairo_set_source_rgba(cr, 0.9, colour ? 0.3 : 0.9, colour ? 0.1 : 0.9, 0.35);
	cairo_arc(cr, 120, 90, 70, 0, 6.3);
	cairo_fill(cr);
	cairo_set_source_rgba(cr, 0.1, colour ? 0.2 : 0.1, colour ? 0.8 : 0.1, 1);
	cairo_set_line_width(cr, 3);
	cairo_move_to(cr, 0, 0);
	cairo_line_to(cr, 300, 200);
	cairo_stroke(cr);
	cairo_destroy(cr);
	return img;
}

/* Encodes img, checks the colour type in IHDR (byte 25) and that decoding
 * gives the pixels back (premultiplied -> straight -> premultiplied loses at
 * most a level); the number of translucent pixels. */
static int round_trip(cairo_surface_t *img, int want_type)
{
	unsigned char *png;
	size_t len;
	assert_int_equal(pngenc_encode(img, &png, &len), 0);
	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	assert_int_equal(png[24], 8);
	assert_int_equal(png[25], want_type);
	cairo_surface_t *back = testutil_png_decode(png, len);
	assert_int_equal(cairo_surface_status(back), CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_image_surface_get_width(back), 300);
	assert_int_equal(cairo_image_surface_get_height(back), 200);
	int translucent = 0;
	for (int y = 0; y < 200; y++)
		for (int x = 0; x < 300; x++) {
			uint32_t a = testutil_pixel(img, x, y), b = testutil_pixel(back, x, y);
			if (!testutil_pixels_close(a, b, 1))
				fail_msg("pixel %d,%d: %08x became %08x", x, y, a, b);
			translucent += (a >> 24) > 0 && (a >> 24) < 255;
		}
	cairo_surface_destroy(back);
	free(png);
	return translucent;
}

static void test_colour_types(void **state)
{
	(void)state;
	static const struct {
		int colour;
		double background_alpha;
		int type; /* PNG: 0 grey, 2 RGB, 4 grey + alpha, 6 RGBA */
		int translucent;
	} cases[] = {{1, 0, 6, 1}, {1, 0.5, 6, 1}, {0, 0, 4, 1}, {1, 1, 2, 0}, {0, 1, 0, 0}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		cairo_surface_t *img = picture(cases[i].colour, cases[i].background_alpha);
		int translucent = round_trip(img, cases[i].type);
		if (cases[i].translucent)
			assert_true(translucent > 1000);
		else
			assert_int_equal(translucent, 0);
		cairo_surface_destroy(img);
	}
}

static void test_refuses_other_formats(void **state)
{
	(void)state;
	unsigned char *png;
	size_t len;
	cairo_surface_t *a8 = cairo_image_surface_create(CAIRO_FORMAT_A8, 4, 4);
	assert_int_equal(pngenc_encode(a8, &png, &len), ERR_INVALID);
	cairo_surface_destroy(a8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_colour_types),
	    cmocka_unit_test(test_refuses_other_formats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
