/* jpegenc: an opaque picture to JPEG and back through GDAL's own reader:
 * the size, the colours of flat areas within JPEG's loss, nothing left in
 * GDAL's in-memory files, and the refusals. */
#include "testutil.h"

#include "err.h"
#include "jpegenc.h"

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <stdlib.h>

/* The red, green and blue of pixel (x, y) of the JPEG in bytes. */
static void pixel_of(GDALDatasetH ds, int x, int y, int rgb[3])
{
	for (int b = 0; b < 3; b++) {
		GByte v;
		assert_int_equal(GDALRasterIO(GDALGetRasterBand(ds, b + 1), GF_Read, x, y, 1, 1, &v,
		                              1, 1, GDT_Byte, 0, 0),
		                 CE_None);
		rgb[b] = v;
	}
}

static void test_round_trip(void **state)
{
	(void)state;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 120, 80);
	cairo_t *cr = cairo_create(img);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.8, 0.1, 0.1);
	cairo_rectangle(cr, 0, 0, 60, 80);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0.1, 0.3, 0.7);
	cairo_rectangle(cr, 60, 40, 60, 40);
	cairo_fill(cr);
	cairo_destroy(cr);

	unsigned char *jpeg;
	size_t len;
	assert_int_equal(jpegenc_encode(img, 90, &jpeg, &len), 0);
	assert_true(len > 100);
	assert_memory_equal(jpeg, "\xff\xd8\xff", 3);
	char **left = VSIReadDir("/vsimem/");
	assert_int_equal(CSLCount(left), 0);
	CSLDestroy(left);

	VSILFILE *f = VSIFileFromMemBuffer("/vsimem/test.jpg", jpeg, len, FALSE);
	VSIFCloseL(f);
	GDALDatasetH ds = GDALOpen("/vsimem/test.jpg", GA_ReadOnly);
	assert_non_null(ds);
	assert_int_equal(GDALGetRasterXSize(ds), 120);
	assert_int_equal(GDALGetRasterYSize(ds), 80);
	assert_int_equal(GDALGetRasterCount(ds), 3);
	static const struct {
		int x, y, rgb[3];
	} spots[] = {{20, 40, {204, 26, 26}}, {100, 20, {255, 255, 255}}, {100, 60, {26, 77, 178}}};
	for (size_t i = 0; i < sizeof spots / sizeof *spots; i++) {
		int got[3];
		pixel_of(ds, spots[i].x, spots[i].y, got);
		for (int b = 0; b < 3; b++)
			if (abs(got[b] - spots[i].rgb[b]) > 6)
				fail_msg("pixel %d,%d band %d: %d, expected %d", spots[i].x,
				         spots[i].y, b + 1, got[b], spots[i].rgb[b]);
	}
	GDALClose(ds);
	VSIUnlink("/vsimem/test.jpg");
	free(jpeg);
	cairo_surface_destroy(img);
}

static void test_refusals(void **state)
{
	(void)state;
	unsigned char *jpeg;
	size_t len;
	cairo_surface_t *a8 = cairo_image_surface_create(CAIRO_FORMAT_A8, 4, 4);
	assert_int_equal(jpegenc_encode(a8, 90, &jpeg, &len), ERR_INVALID);
	cairo_surface_destroy(a8);
	cairo_surface_t *rgb = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 4);
	assert_int_equal(jpegenc_encode(rgb, 0, &jpeg, &len), ERR_INVALID);
	assert_int_equal(jpegenc_encode(rgb, 101, &jpeg, &len), ERR_INVALID);
	assert_null(jpeg);
	cairo_surface_destroy(rgb);
}

int main(void)
{
	GDALAllRegister();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_refusals),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	GDALDestroyDriverManager();
	return rc;
}
