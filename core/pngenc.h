/*
 * pngenc: image surfaces to PNG bytes, fast.
 *
 * Cairo's own PNG writer compresses at zlib's default level, which made
 * encoding about 70% of the time of a boundary tile. Tiles are small and
 * served from a cache, so this writer trades a few percent of size for a
 * several times faster encode: zlib level 1 and the Sub filter, through
 * libpng (the library Cairo itself writes PNGs with). Premultiplied ARGB32
 * becomes straight colour, as the PNG format requires, in the smallest
 * colour type that holds it exactly: grey for grey images (boundary tiles:
 * half the bytes of RGBA to compress), no alpha channel for opaque ones.
 *
 * Threading: re-entrant.
 */
#ifndef POSBON_PNGENC_H
#define POSBON_PNGENC_H

#include <cairo.h>
#include <stddef.h>

/* Encodes an ARGB32 image surface: *out is a new buffer of *len bytes;
 * free(). ERR_NOMEM, or ERR_INVALID for another surface format. */
int pngenc_encode(cairo_surface_t *surface, unsigned char **out, size_t *len);

#endif
