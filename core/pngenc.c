#include "pngenc.h"

#include "err.h"

#include <png.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sink {
	unsigned char *data;
	size_t len, cap;
	int failed;
};

static void sink_write(png_structp png, png_bytep data, size_t length)
{
	struct sink *s = png_get_io_ptr(png);
	if (s->failed)
		return;
	if (s->len + length > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16384;
		while (cap < s->len + length)
			cap *= 2;
		unsigned char *d = realloc(s->data, cap);
		if (!d) {
			s->failed = 1;
			return;
		}
		s->data = d;
		s->cap = cap;
	}
	memcpy(s->data + s->len, data, length);
	s->len += length;
}

static void sink_flush(png_structp png)
{
	(void)png;
}

/* The smallest PNG colour type that holds every pixel exactly: grey when
 * every pixel is grey (boundary and label tiles are drawn in greys, and grey
 * with alpha is half the bytes to compress), without alpha when every pixel
 * is opaque. Premultiplying keeps a grey pixel grey and a colour a colour. */
static int colour_type(const unsigned char *data, int w, int h, int stride)
{
	uint32_t colour = 0, translucent = 0;
	for (int y = 0; y < h && !(colour && translucent); y++) {
		const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
		for (int x = 0; x < w; x++) {
			uint32_t p = row[x];
			colour |= ((p >> 16) ^ p) & 255;
			colour |= ((p >> 8) ^ p) & 255;
			translucent |= ~p >> 24;
		}
	}
	return (colour ? PNG_COLOR_MASK_COLOR : 0) | (translucent ? PNG_COLOR_MASK_ALPHA : 0);
}

/* One premultiplied ARGB32 row as straight bytes of the colour type: grey
 * or R, G, B, then alpha if the type has it. */
static void unpremultiply(const uint32_t *in, unsigned char *out, int width, int type)
{
	int colour = type & PNG_COLOR_MASK_COLOR, alpha = type & PNG_COLOR_MASK_ALPHA;
	for (int i = 0; i < width; i++) {
		uint32_t p = in[i];
		unsigned a = p >> 24;
		unsigned r = p >> 16 & 255, g = p >> 8 & 255, b = p & 255;
		if (a && a != 255) {
			r = (r * 255 + a / 2) / a;
			g = (g * 255 + a / 2) / a;
			b = (b * 255 + a / 2) / a;
		}
		if (colour) {
			*out++ = (unsigned char)r;
			*out++ = (unsigned char)g;
		}
		*out++ = (unsigned char)b;
		if (alpha)
			*out++ = (unsigned char)a;
	}
}

/* The libpng calls, apart: libpng reports errors by longjmp back to here,
 * so nothing below the setjmp may change a local that lives on after it. */
static int write_rows(png_structp png, png_infop info, struct sink *s, cairo_surface_t *surface,
                      unsigned char *row)
{
	int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
	int stride = cairo_image_surface_get_stride(surface);
	const unsigned char *data = cairo_image_surface_get_data(surface);
	if (setjmp(png_jmpbuf(png)))
		return err_set(ERR_NOMEM, "pngenc: encoding failed");
	png_set_write_fn(png, s, sink_write, sink_flush);
	png_set_compression_level(png, 1);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
	int type = colour_type(data, w, h, stride);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, type, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		unpremultiply((const uint32_t *)(data + (size_t)y * stride), row, w, type);
		png_write_row(png, row);
	}
	png_write_end(png, info);
	return 0;
}

int pngenc_encode(cairo_surface_t *surface, unsigned char **out, size_t *len)
{
	struct sink s = {0};
	png_structp png = NULL;
	png_infop info = NULL;
	unsigned char *row = NULL;
	int rc = 0;
	*out = NULL;
	*len = 0;
	if (cairo_image_surface_get_format(surface) != CAIRO_FORMAT_ARGB32)
		return err_set_field(ERR_INVALID, "pngenc", "pngenc: only ARGB32 surfaces");
	cairo_surface_flush(surface);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	row = malloc((size_t)cairo_image_surface_get_width(surface) * 4 + 4);
	if (!png || !info || !row)
		rc = err_set(ERR_NOMEM, "pngenc: out of memory");
	else if ((rc = write_rows(png, info, &s, surface, row)) == 0 && s.failed)
		rc = err_set(ERR_NOMEM, "pngenc: out of memory");
	png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
	free(row);
	if (rc < 0) {
		free(s.data);
		return rc;
	}
	/* The buffer doubled as it grew: give back what the PNG did not use,
	 * as callers keep it (cached tiles, documents in memory). */
	unsigned char *fit = s.len < s.cap ? realloc(s.data, s.len ? s.len : 1) : NULL;
	*out = fit ? fit : s.data;
	*len = s.len;
	return 0;
}
