/* pngenc: round trip through Cairo's own PNG reader, translucent pixels
 * included. */
#include "testutil.h"

#include "err.h"
#include "pngenc.h"

#include <stdlib.h>
#include <string.h>

static void test_round_trip(void **state)
{
	(void)state;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 300, 200);
	cairo_t *cr = cairo_create(img);
	cairo_set_source_rgba(cr, 0.9, 0.3, 0.1, 0.35);
	cairo_arc(cr, 120, 90, 70, 0, 6.3);
	cairo_fill(cr);
	cairo_set_source_rgba(cr, 0.1, 0.2, 0.8, 1);
	cairo_set_line_width(cr, 3);
	cairo_move_to(cr, 0, 0);
	cairo_line_to(cr, 300, 200);
	cairo_stroke(cr);
	cairo_destroy(cr);

	unsigned char *png;
	size_t len;
	assert_int_equal(pngenc_encode(img, &png, &len), 0);
	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	cairo_surface_t *back = testutil_png_decode(png, len);
	assert_int_equal(cairo_surface_status(back), CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_image_surface_get_width(back), 300);
	assert_int_equal(cairo_image_surface_get_height(back), 200);
	int translucent = 0;
	for (int y = 0; y < 200; y++)
		for (int x = 0; x < 300; x++) {
			uint32_t a = testutil_pixel(img, x, y), b = testutil_pixel(back, x, y);
			/* premultiplied -> straight -> premultiplied loses at most a level */
			if (!testutil_pixels_close(a, b, 1))
				fail_msg("pixel %d,%d: %08x became %08x", x, y, a, b);
			translucent += (a >> 24) > 0 && (a >> 24) < 255;
		}
	assert_true(translucent > 1000);
	cairo_surface_destroy(back);
	free(png);
	cairo_surface_t *a8 = cairo_image_surface_create(CAIRO_FORMAT_A8, 4, 4);
	assert_int_equal(pngenc_encode(a8, &png, &len), ERR_INVALID);
	cairo_surface_destroy(a8);
	cairo_surface_destroy(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
