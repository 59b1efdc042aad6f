/*
 * stylecolour: colour parsing, pixels and the fallback palette.
 */
#include "stylecolour.h"

#include "err.h"

#include <string.h>

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int style_colour_parse(const char *text, struct style_colour *out)
{
	double c[4] = {0, 0, 0, 1};
	size_t len = text ? strlen(text) : 0;
	if ((len != 7 && len != 9) || text[0] != '#')
		return ERR_INVALID;
	for (size_t i = 0; i < (len - 1) / 2; i++) {
		int hi = hex_digit(text[1 + 2 * i]), lo = hex_digit(text[2 + 2 * i]);
		if (hi < 0 || lo < 0)
			return ERR_INVALID;
		c[i] = (hi * 16 + lo) / 255.0;
	}
	*out = (struct style_colour){c[0], c[1], c[2], c[3]};
	return 0;
}

static uint32_t to_byte(double x)
{
	x = x * 255.0 + 0.5;
	if (!(x > 0))
		return 0;
	return x >= 255 ? 255 : (uint32_t)x;
}

uint32_t style_colour_pixel(const struct style_colour *c)
{
	double a = c->a < 0 ? 0 : c->a > 1 ? 1 : c->a;
	return to_byte(a) << 24 | to_byte(c->r * a) << 16 | to_byte(c->g * a) << 8 |
	       to_byte(c->b * a);
}

void style_colour_lerp(const struct style_colour *p, const struct style_colour *q, double t,
                       struct style_colour *out)
{
	out->r = p->r + (q->r - p->r) * t;
	out->g = p->g + (q->g - p->g) * t;
	out->b = p->b + (q->b - p->b) * t;
	out->a = p->a + (q->a - p->a) * t;
}

/* ColorBrewer Dark2 (qualitative, 8 colours). */
static const struct style_colour fallback_palette[] = {
    {0x1b / 255.0, 0x9e / 255.0, 0x77 / 255.0, 1}, {0xd9 / 255.0, 0x5f / 255.0, 0x02 / 255.0, 1},
    {0x75 / 255.0, 0x70 / 255.0, 0xb3 / 255.0, 1}, {0xe7 / 255.0, 0x29 / 255.0, 0x8a / 255.0, 1},
    {0x66 / 255.0, 0xa6 / 255.0, 0x1e / 255.0, 1}, {0xe6 / 255.0, 0xab / 255.0, 0x02 / 255.0, 1},
    {0xa6 / 255.0, 0x76 / 255.0, 0x1d / 255.0, 1}, {0x66 / 255.0, 0x66 / 255.0, 0x66 / 255.0, 1},
};

void style_colour_fallback(const char *code, struct style_colour *out)
{
	if (!code || !code[0]) {
		*out = (struct style_colour){0.6, 0.6, 0.6, 1};
		return;
	}
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)code; *p; p++)
		h = (h ^ *p) * 16777619u;
	*out = fallback_palette[h % (sizeof fallback_palette / sizeof fallback_palette[0])];
}
