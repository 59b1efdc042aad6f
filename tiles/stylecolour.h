/*
 * stylecolour: the colours of map styles - parsing "#rrggbb[aa]", Cairo
 * pixels, blending two colours, and the fallback palette for category and
 * service codes a style does not name.
 *
 * Colours are sRGB components 0..1 with straight (not premultiplied) alpha;
 * only a Cairo pixel is premultiplied.
 *
 * Ownership: plain values; nothing is allocated.
 * Threading: pure functions; any thread.
 */
#ifndef POSBON_STYLECOLOUR_H
#define POSBON_STYLECOLOUR_H

#include <stdint.h>

struct style_colour {
	double r, g, b, a; /* 0..1, sRGB, straight alpha */
};

/* Parses "#rrggbb" or "#rrggbbaa" (hex digits in either case; alpha ff when
 * absent). Short forms (#rgb, #rgba), names and anything else are refused,
 * so a dropped digit is an error rather than another colour. Returns 0, or
 * ERR_INVALID without setting a message (callers say where the text was). */
int style_colour_parse(const char *text, struct style_colour *out);

/* The colour as a Cairo CAIRO_FORMAT_ARGB32 pixel: premultiplied alpha in
 * the top byte, then red, green, blue, each rounded to 0..255. */
uint32_t style_colour_pixel(const struct style_colour *c);

/* p blended towards q by t (0: p, 1: q), component-wise in straight alpha. */
void style_colour_lerp(const struct style_colour *p, const struct style_colour *q, double t,
                       struct style_colour *out);

/* A colour for a code a style does not name: one of a fixed qualitative
 * palette (ColorBrewer Dark2) chosen by a hash of the code, so the same code
 * always gets the same colour; neutral grey for NULL or "" (no code). */
void style_colour_fallback(const char *code, struct style_colour *out);

#endif
