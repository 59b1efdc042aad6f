#include "jpegenc.h"

#include "err.h"

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t registered = PTHREAD_ONCE_INIT;

static void register_drivers(void)
{
	GDALAllRegister();
}

/* The byte of a native-endian 0xAARRGGBB pixel that holds channel shift
 * (16 red, 8 green, 0 blue). */
static int byte_of(int shift)
{
	const uint32_t probe = 0x03020100u;
	const unsigned char *b = (const unsigned char *)&probe;
	for (int i = 0; i < 4; i++)
		if (b[i] == shift / 8)
			return i;
	return 0;
}

int jpegenc_encode(cairo_surface_t *surface, int quality, unsigned char **out, size_t *len)
{
	cairo_format_t f = cairo_image_surface_get_format(surface);
	GDALDatasetH mem = NULL, jpeg = NULL;
	char path[64], q[16];
	int rc = 0;
	*out = NULL;
	*len = 0;
	if (f != CAIRO_FORMAT_ARGB32 && f != CAIRO_FORMAT_RGB24)
		return err_set_field(ERR_INVALID, "jpegenc",
		                     "jpegenc: only ARGB32 and RGB24 surfaces");
	if (quality < 1 || quality > 100)
		return err_set_field(ERR_INVALID, "jpegenc", "jpegenc: quality %d is not 1-100",
		                     quality);
	pthread_once(&registered, register_drivers);
	cairo_surface_flush(surface);
	int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
	int stride = cairo_image_surface_get_stride(surface);
	unsigned char *data = cairo_image_surface_get_data(surface);
	GDALDriverH mem_driver = GDALGetDriverByName("MEM"),
	            jpeg_driver = GDALGetDriverByName("JPEG");
	if (!mem_driver || !jpeg_driver)
		return err_set(ERR_IO, "jpegenc: GDAL has no MEM or JPEG driver");
	if (!(mem = GDALCreate(mem_driver, "", w, h, 3, GDT_Byte, NULL))) {
		rc = err_set(ERR_NOMEM, "jpegenc: %s", CPLGetLastErrorMsg());
		goto out;
	}
	/* Each band straight from the surface: every 4th byte, a row a stride. */
	static const int shifts[3] = {16, 8, 0};
	for (int b = 0; b < 3 && rc == 0; b++)
		if (GDALRasterIO(GDALGetRasterBand(mem, b + 1), GF_Write, 0, 0, w, h,
		                 data + byte_of(shifts[b]), w, h, GDT_Byte, 4, stride) != CE_None)
			rc = err_set(ERR_IO, "jpegenc: %s", CPLGetLastErrorMsg());
	if (rc < 0)
		goto out;
	/* A name of this call's own in GDAL's in-memory file system. */
	snprintf(path, sizeof path, "/vsimem/posbon-%p.jpg", (void *)&mem);
	snprintf(q, sizeof q, "QUALITY=%d", quality);
	char *options[] = {q, NULL};
	if (!(jpeg = GDALCreateCopy(jpeg_driver, path, mem, FALSE, options, NULL, NULL))) {
		rc = err_set(ERR_IO, "jpegenc: %s", CPLGetLastErrorMsg());
		VSIUnlink(path); /* what a failed copy may have left */
		goto out;
	}
	GDALClose(jpeg);
	jpeg = NULL;
	vsi_l_offset n = 0;
	GByte *bytes = VSIGetMemFileBuffer(path, &n, FALSE);
	if (!bytes || !(*out = malloc((size_t)n)))
		rc = err_set(ERR_NOMEM, "jpegenc: out of memory");
	else {
		memcpy(*out, bytes, (size_t)n);
		*len = (size_t)n;
	}
	VSIUnlink(path);
out:
	if (jpeg)
		GDALClose(jpeg);
	if (mem)
		GDALClose(mem);
	return rc;
}
