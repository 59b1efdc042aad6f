#include "typeset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAMILY "Noto Sans,DejaVu Sans"

const struct typeset_font typeset_title = {17, 1, 0.10, 0.12, 0.16};
const struct typeset_font typeset_sub = {8.5, 0, 0.25, 0.27, 0.30};
const struct typeset_font typeset_head = {8.5, 1, 0.10, 0.12, 0.16};
const struct typeset_font typeset_body = {7, 0, 0.15, 0.16, 0.18};
const struct typeset_font typeset_bold = {7, 1, 0.15, 0.16, 0.18};
const struct typeset_font typeset_small = {6, 0, 0.35, 0.36, 0.38};
const struct typeset_font typeset_column = {6.3, 1, 0.15, 0.16, 0.18};

/* A layout of text in f, width pt wide (0: unbounded), wrapped at word
 * boundaries, or also inside words when words is 0. */
static PangoLayout *plain_layout(const struct typeset *t, const struct typeset_font *f,
                                 const char *text, double width, int words)
{
	PangoLayout *l = pango_cairo_create_layout(t->cr);
	/* Glyphs where the font puts them: rounded to whole points (Pango's
	 * default, for screens), a 7-pt text would measure in steps of a
	 * seventh of its size, and a table's widths would not scale with its
	 * type. */
	pango_context_set_round_glyph_positions(pango_layout_get_context(l), FALSE);
	pango_layout_context_changed(l);
	PangoFontDescription *d = pango_font_description_from_string(FAMILY);
	pango_font_description_set_absolute_size(d, f->size * t->unit * PANGO_SCALE);
	pango_font_description_set_weight(d, f->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, d);
	pango_font_description_free(d);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, words ? PANGO_WRAP_WORD : PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text, -1);
	return l;
}

/* Whether text wrapped between words takes at most lines lines of width,
 * none wider (a word too long for a line overflows it). */
static int fits(const struct typeset *t, const struct typeset_font *f, const char *text,
                double width, int lines)
{
	PangoLayout *l = plain_layout(t, f, text, width, 1);
	int n = pango_layout_get_line_count(l), ok = n <= lines;
	for (int i = 0; ok && i < n; i++) {
		PangoRectangle logical;
		pango_layout_line_get_extents(pango_layout_get_line_readonly(l, i), NULL, &logical);
		ok = logical.width <= width * PANGO_SCALE + 1;
	}
	g_object_unref(l);
	return ok;
}

/* Into out (room for text and 7 bytes) text's start up to head_end and
 * its end from tail_start, joined by an ellipsis held to the end by a word
 * joiner (lines may break after an ellipsis), after a space when words
 * are left out, without one when a word is cut. */
static void join(const char *text, const char *head_end, const char *tail_start, int words,
                 char *out)
{
	while (head_end > text && head_end[-1] == ' ')
		head_end--;
	while (*tail_start == ' ')
		tail_start++;
	size_t h = (size_t)(head_end - text);
	memcpy(out, text, h);
	if (words && h)
		out[h++] = ' ';
	memcpy(out + h, "\xe2\x80\xa6\xe2\x81\xa0", 6); /* U+2026, U+2060 */
	memmove(out + h + 6, tail_start, strlen(tail_start) + 1);
}

/* Whole words around the ellipsis, into out: of the cuts that fit, the one
 * keeping most of both the start and the end (the start says what a name
 * is, the end often which one), then most of all; 0 when none fit. */
static int cut_words(const struct typeset *t, const struct typeset_font *f, const char *text,
                     double width, int lines, char *out)
{
	const char *start[64];
	int n = 0;
	for (const char *p = text; *p && n < 64; p++)
		if (*p != ' ' && (p == text || p[-1] == ' '))
			start[n++] = p;
	size_t best = 0, len = strlen(text);
	const char *best_head = NULL, *best_tail = NULL;
	for (int tail = 1; tail < n; tail++) {
		/* The most words of the start (fewer than those left) that fit. */
		int lo = -1, hi = n - tail - 1;
		while (lo < hi) {
			int h = (lo + hi + 1) / 2;
			join(text, start[h + 1], start[n - tail], 1, out);
			if (fits(t, f, out, width, lines))
				lo = h;
			else
				hi = h - 1;
		}
		const char *head = lo >= 0 ? start[lo + 1] : text;
		size_t front = (size_t)(head - text), back = len - (size_t)(start[n - tail] - text);
		size_t score = (front < back ? front : back) * (len + 1) + front + back;
		join(text, head, start[n - tail], 1, out);
		if (score > best && fits(t, f, out, width, lines)) {
			best = score;
			best_head = head;
			best_tail = start[n - tail];
		}
	}
	if (best_tail)
		join(text, best_head, best_tail, 1, out);
	return best_tail != NULL;
}

void typeset_fit(const struct typeset *t, const struct typeset_font *f, const char *text,
                 double width, int lines, char *out, size_t n)
{
	size_t len = strlen(text);
	if (n < len + 7) {
		if (n)
			*out = 0;
		return;
	}
	memcpy(out, text, len + 1);
	if (width <= 0 || lines <= 0 || fits(t, f, text, width, lines) ||
	    cut_words(t, f, text, width, lines, out))
		return;
	/* Inside a word: the most characters that fit, three of the start
	 * for two of the end (a name's start says what it is, its end often
	 * which one: D02-YOUTH-04). */
	long chars = g_utf8_strlen(text, -1), k = chars - 1;
	for (; k > 0; k--) {
		join(text, g_utf8_offset_to_pointer(text, k - k * 2 / 5),
		     g_utf8_offset_to_pointer(text, chars - k * 2 / 5), 0, out);
		if (fits(t, f, out, width, lines))
			return;
	}
	join(text, text, text + len, 0, out);
}

PangoLayout *typeset_layout(const struct typeset *t, const struct typeset_font *f, const char *text,
                            double width, int lines)
{
	if (width <= 0 || lines <= 0)
		return plain_layout(t, f, text, width, 0);
	size_t n = strlen(text) + 7;
	char *fitted = malloc(n);
	if (!fitted) /* as it is: a cell too wide rather than none */
		return plain_layout(t, f, text, width, 1);
	typeset_fit(t, f, text, width, lines, fitted, n);
	PangoLayout *l = plain_layout(t, f, fitted, width, 1);
	free(fitted);
	return l;
}

double typeset_text(const struct typeset *t, const struct typeset_font *f, const char *text,
                    double x, double y, double width, int lines, enum typeset_align a)
{
	PangoLayout *l = typeset_layout(t, f, text, width, lines);
	PangoRectangle ink, logical;
	pango_layout_set_alignment(l, a == TYPESET_LEFT     ? PANGO_ALIGN_LEFT
	                              : a == TYPESET_CENTRE ? PANGO_ALIGN_CENTER
	                                                    : PANGO_ALIGN_RIGHT);
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

double typeset_height(const struct typeset *t, const struct typeset_font *f, const char *text,
                      double width, int lines)
{
	PangoLayout *l = typeset_layout(t, f, text, width, lines);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	g_object_unref(l);
	return h / (double)PANGO_SCALE;
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

/* Draws (when draw is set) or measures a row of cells; returns its height. */
static double row(const struct typeset *t, double x, double y, const struct typeset_table *tb,
                  const char *const *cells, const struct typeset_font *f, int draw)
{
	double type = tb->type > 0 ? tb->type : 1;
	struct typeset_font body = typeset_body, sized = *f;
	body.size *= type;
	sized.size *= type;
	double h = typeset_line_height(t, &body);
	int lines = tb->lines > 0 ? tb->lines : TYPESET_CELL_LINES;
	for (int i = 0; i < tb->n; i++) {
		const char *text = cells[i] ? cells[i] : "";
		double w = tb->w[i] - 2 * t->unit, at = x + tb->x[i];
		/* A number's right edge keeps apart from a text right of it. */
		if (tb->align[i] == TYPESET_RIGHT)
			at += tb->w[i] -
			      (i + 1 < tb->n && tb->align[i + 1] == TYPESET_LEFT ? 2 * t->unit : 0);
		if (draw)
			h = fmax(h, typeset_text(t, &sized, text, at, y + 1.1 * t->unit, w, lines,
			                         tb->align[i]));
		else if (*text)
			h = fmax(h, typeset_height(t, &sized, text, w, lines));
	}
	return h + 2.2 * t->unit;
}

double typeset_row_measure(const struct typeset *t, const struct typeset_table *tb,
                           const char *const *cells, const struct typeset_font *f)
{
	return row(t, 0, 0, tb, cells, f, 0);
}

/* The space a cell keeps on each side of its text, and a hair more. */
static double cell_pad(const struct typeset *t)
{
	return 2.5 * t->unit;
}

/* The bytes of the word at p: to a space, or through a hyphen before a
 * letter, where lines break too ("Patrul-" "post", "D02-" "YOUTH-04"). */
static size_t word_length(const char *p)
{
	size_t n = 0;
	while (p[n] && p[n] != ' ') {
		n++;
		if (p[n - 1] == '-' && n > 1 && p[n] && p[n] != ' ' &&
		    !(p[n] >= '0' && p[n] <= '9'))
			break;
	}
	return n;
}

void typeset_table_measure(const struct typeset *t, struct typeset_table *tb,
                           const char *const *cells, const struct typeset_font *f)
{
	char word[256];
	int lines = tb->lines > 0 ? tb->lines : TYPESET_CELL_LINES;
	for (int i = 0; i < tb->n; i++) {
		const char *text = cells[i] ? cells[i] : "";
		double one = typeset_width(t, f, text), lo = 0, hi = one;
		tb->text[i] = fmax(tb->text[i], one);
		/* The narrowest width holding it in its lines, to a tenth of a
		 * point (none: its widest word overflows, cut). */
		while (hi - lo > 0.1 && hi > tb->fold[i]) {
			double w = (lo + hi) / 2;
			if (fits(t, f, text, w, lines))
				hi = w;
			else
				lo = w;
		}
		tb->fold[i] = fmax(tb->fold[i], hi);
		for (const char *p = text; *p;) {
			size_t n = word_length(p);
			if (n && n < sizeof word) {
				memcpy(word, p, n);
				word[n] = 0;
				tb->word[i] = fmax(tb->word[i], typeset_width(t, f, word));
			}
			p += n;
			p += *p == ' ';
		}
	}
}

/* Widens w[0..n) towards goal[0..n) by spare in all, evenly, each no
 * further than its goal (the short of want served whole first); returns
 * what is left. */
static double widen(double *w, const double *goal, int n, double spare)
{
	for (int open = n; open > 0 && spare > 1e-9;) {
		double share = spare / open, least = INFINITY;
		for (int i = 0; i < n; i++)
			if (goal[i] - w[i] > 1e-9)
				least = fmin(least, goal[i] - w[i]);
		if (least == INFINITY)
			break;
		double step = fmin(share, least);
		open = 0;
		for (int i = 0; i < n; i++)
			if (goal[i] - w[i] > 1e-9) {
				w[i] += step;
				spare -= step;
				open += goal[i] - w[i] > 1e-9;
			}
	}
	return spare;
}

void typeset_table_fit(const struct typeset *t, struct typeset_table *tb, double width)
{
	double words = 0, pad = cell_pad(t);
	for (int i = 0; i < tb->n; i++)
		words += tb->word[i];
	/* The type shrinks before words are cut; widths shrink with it. */
	double room = width - tb->n * pad, k = 1;
	if (words > room && words > 0)
		k = fmax(TYPESET_MIN_TYPE, room / words);
	tb->type = k;
	/* Three widths a column may get: its widest word; what holds each of
	 * its texts in its lines; its widest text on one line. */
	double mid[TYPESET_MAX_CELLS] = {0}, hi[TYPESET_MAX_CELLS] = {0}, need = 0, numbers = 0;
	for (int i = 0; i < tb->n; i++) {
		tb->w[i] = k * tb->word[i] + pad;
		hi[i] = fmax(tb->w[i], k * tb->text[i] + pad);
		mid[i] = fmin(hi[i], fmax(tb->w[i], k * tb->fold[i] + pad));
		need += tb->w[i];
		numbers += tb->align[i] == TYPESET_RIGHT ? tb->w[i] : 0;
	}
	if (need > width) /* texts give way, numbers (right-aligned) last */
		for (int i = 0; i < tb->n; i++)
			tb->w[i] *= numbers >= width ? width / need
			            : tb->align[i] == TYPESET_RIGHT
			                ? 1
			                : (width - numbers) / (need - numbers);
	else {
		double left = widen(tb->w, hi, tb->n, widen(tb->w, mid, tb->n, width - need)),
		       all = 0;
		for (int i = 0; i < tb->n; i++)
			all += tb->w[i];
		for (int i = 0; i < tb->n; i++)
			tb->w[i] += left * tb->w[i] / all;
	}
	for (int i = 0; i < tb->n; i++)
		tb->x[i] = i ? tb->x[i - 1] + tb->w[i - 1] : 0;
}

void typeset_row(const struct typeset *t, struct typeset_column *c, const struct typeset_table *tb,
                 const char *const *cells, const struct typeset_font *f)
{
	c->y += row(t, c->x, c->y, tb, cells, f, 1);
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
