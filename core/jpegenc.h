/*
 * jpegenc: opaque image surfaces to JPEG bytes, for WMS clients that ask
 * for JPEG (GDAL's WMS driver does unless told otherwise; desktop GIS
 * users choose it for opaque maps). JPEG has no alpha: the caller paints
 * the background first. Encoded by GDAL's JPEG driver (libjpeg) in memory,
 * which posbon already links for import and export.
 *
 * Threading: re-entrant.
 */
#ifndef POSBON_JPEGENC_H
#define POSBON_JPEGENC_H

#include <cairo.h>
#include <stddef.h>

/* Encodes the colour of an ARGB32 or RGB24 surface (alpha is ignored: the
 * surface should be opaque) at quality 1-100: *out is a new buffer of *len
 * bytes; free(). ERR_INVALID for another format or quality, ERR_NOMEM,
 * ERR_IO when GDAL fails. */
int jpegenc_encode(cairo_surface_t *surface, int quality, unsigned char **out, size_t *len);

#endif
