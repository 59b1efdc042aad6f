#include "typeset.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FAMILY "Noto Sans,DejaVu Sans"

const struct typeset_font typeset_title = {17, 1, 0.10, 0.12, 0.16};
const struct typeset_font typeset_sub = {8.5, 0, 0.25, 0.27, 0.30};
const struct typeset_font typeset_head = {8.5, 1, 0.10, 0.12, 0.16};
const struct typeset_font typeset_body = {7, 0, 0.15, 0.16, 0.18};
const struct typeset_font typeset_bold = {7, 1, 0.15, 0.16, 0.18};
const struct typeset_font typeset_small = {6, 0, 0.35, 0.36, 0.38};
const struct typeset_font typeset_column = {6.3, 1, 0.15, 0.16, 0.18};

PangoLayout *typeset_layout(const struct typeset *t, const struct typeset_font *f, const char *text,
                            double width, int lines)
{
	PangoLayout *l = pango_cairo_create_layout(t->cr);
	PangoFontDescription *d = pango_font_description_from_string(FAMILY);
	pango_font_description_set_absolute_size(d, f->size * t->unit * PANGO_SCALE);
	pango_font_description_set_weight(d, f->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, d);
	pango_font_description_free(d);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
		if (lines == 1)
			pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		else if (lines > 1)
			pango_layout_set_height(l, -lines);
	}
	pango_layout_set_text(l, text, -1);
	return l;
}

double typeset_text(const struct typeset *t, const struct typeset_font *f, const char *text,
                    double x, double y, double width, int lines, enum typeset_align a)
{
	PangoLayout *l = typeset_layout(t, f, text, width, lines);
	PangoRectangle ink, logical;
	pango_layout_get_extents(l, &ink, &logical);
	double w = logical.width / (double)PANGO_SCALE, h = logical.height / (double)PANGO_SCALE;
	double left = a == TYPESET_LEFT ? x : a == TYPESET_CENTRE ? x - w / 2 : x - w;
	cairo_save(t->cr);
	cairo_set_source_rgb(t->cr, f->r, f->g, f->b);
	cairo_move_to(t->cr, left - logical.x / (double)PANGO_SCALE, y);
	pango_cairo_show_layout(t->cr, l);
	cairo_restore(t->cr);
	g_object_unref(l);
	return h;
}

double typeset_width(const struct typeset *t, const struct typeset_font *f, const char *text)
{
	PangoLayout *l = typeset_layout(t, f, text, 0, 0);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	g_object_unref(l);
	return w / (double)PANGO_SCALE;
}

double typeset_line_height(const struct typeset *t, const struct typeset_font *f)
{
	PangoLayout *l = typeset_layout(t, f, "Ag", 0, 0);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	g_object_unref(l);
	return h / (double)PANGO_SCALE;
}

double typeset_row_height(const struct typeset *t)
{
	return typeset_line_height(t, &typeset_body) + 2.2 * t->unit;
}

void typeset_heading(const struct typeset *t, struct typeset_column *c, const char *text)
{
	c->y +=
	    typeset_text(t, &typeset_head, text, c->x, c->y, c->w, 2, TYPESET_LEFT) + 3 * t->unit;
}

void typeset_row(const struct typeset *t, struct typeset_column *c, const struct typeset_table *tb,
                 const char *const *cells, const struct typeset_font *f)
{
	for (int i = 0; i < tb->n; i++) {
		double x = c->x + tb->x[i] + (tb->align[i] == TYPESET_RIGHT ? tb->w[i] : 0);
		typeset_text(t, f, cells[i] ? cells[i] : "", x, c->y + 1.1 * t->unit,
		             tb->w[i] - 2 * t->unit, 1, tb->align[i]);
	}
	c->y += typeset_row_height(t);
}

void typeset_rule(const struct typeset *t, const struct typeset_column *c)
{
	cairo_move_to(t->cr, c->x, c->y - 0.6 * t->unit);
	cairo_line_to(t->cr, c->x + c->w, c->y - 0.6 * t->unit);
	cairo_set_source_rgb(t->cr, 0.7, 0.7, 0.7);
	cairo_set_line_width(t->cr, 0.4 * t->unit);
	cairo_stroke(t->cr);
}

size_t typeset_rows_left(const struct typeset *t, const struct typeset_column *c)
{
	double left = floor((c->bottom - c->y) / typeset_row_height(t));
	return left > 0 ? (size_t)left : 0;
}

/* Appends the bytes of s to out[n] at *k while they fit. */
static void put_bytes(char *out, size_t n, size_t *k, const char *s)
{
	size_t len = strlen(s);
	if (*k + len < n) {
		memcpy(out + *k, s, len);
		*k += len;
	}
}

void typeset_decimal(double v, int decimals, enum msg_lang lang, char *out, size_t n)
{
	char digits[48];
	if (n == 0)
		return;
	if (decimals < 0)
		decimals = 0;
	snprintf(digits, sizeof digits, "%.*f", decimals, fabs(v));
	size_t whole = strcspn(digits, "."), k = 0;
	/* -0.04 to one decimal is 0.0, not a negative. */
	int negative = v < 0 && strspn(digits, "0.") != strlen(digits);
	out[0] = 0;
	if (negative)
		put_bytes(out, n, &k, "\xe2\x88\x92"); /* U+2212 MINUS SIGN */
	/* U+2009 THIN SPACE between groups in Uzbek and Russian. */
	const char *group = lang == MSG_EN ? "," : "\xe2\x80\x89";
	for (size_t i = 0; i < whole; i++) {
		if (i > 0 && (whole - i) % 3 == 0)
			put_bytes(out, n, &k, group);
		char d[2] = {digits[i], 0};
		put_bytes(out, n, &k, d);
	}
	if (digits[whole] == '.') {
		put_bytes(out, n, &k, lang == MSG_EN ? "." : ",");
		put_bytes(out, n, &k, digits + whole + 1);
	}
	out[k] = 0;
}

void typeset_count(double v, enum msg_lang lang, char *out, size_t n)
{
	typeset_decimal(v, 0, lang, out, n);
}

void typeset_value(double v, enum msg_lang lang, char *out, size_t n)
{
	double a = fabs(v);
	int decimals = a >= 100 || a == 0 ? 0 : a >= 10 ? 1 : (int)fmax(1, 1 - floor(log10(a)));
	typeset_decimal(v, decimals, lang, out, n);
}
