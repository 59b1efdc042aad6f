/*
 * typeset: text and tables on a printed page, through Pango on a Cairo
 * context whose user space is PDF points.
 *
 * Sizes are given for A4 and multiplied by the page's unit (1 on A4, √2 on
 * A3), so a layout grows with the paper. Text is one paragraph in the
 * style's families (Noto Sans, then DejaVu Sans: Uzbek ʻ and Cyrillic),
 * cut to a width with an ellipsis or wrapped to a number of lines. Tables
 * are rows of single-line cells in a column that knows its bottom, so a
 * caller can tell how many rows fit before drawing them.
 *
 * Threading: as the cairo_t: one page on one thread.
 */
#ifndef POSBON_TYPESET_H
#define POSBON_TYPESET_H

#include "msg.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stddef.h>

struct typeset {
	cairo_t *cr; /* borrowed */
	double unit; /* size multiplier: 1 on A4 */
};

struct typeset_font {
	double size; /* pt at A4 */
	int bold;
	double r, g, b;
};

/* The page's fonts: title, subtitle, block heading, body, bold body, small
 * print, table column heads. */
extern const struct typeset_font typeset_title, typeset_sub, typeset_head, typeset_body,
    typeset_bold, typeset_small, typeset_column;

enum typeset_align { TYPESET_LEFT, TYPESET_CENTRE, TYPESET_RIGHT };

/* A layout of text at most width pt wide (0: unbounded), on one line ending
 * in an ellipsis when lines is 1, else wrapped to at most lines lines (0:
 * any). A new reference: g_object_unref() it. */
PangoLayout *typeset_layout(const struct typeset *t, const struct typeset_font *f, const char *text,
                            double width, int lines);

/* Draws text with its top at y, aligned at x (left edge, centre or right
 * edge) as typeset_layout() lays it out; returns its height in pt. */
double typeset_text(const struct typeset *t, const struct typeset_font *f, const char *text,
                    double x, double y, double width, int lines, enum typeset_align a);

/* The width in pt of text on one line. */
double typeset_width(const struct typeset *t, const struct typeset_font *f, const char *text);

/* The height of one line of f. */
double typeset_line_height(const struct typeset *t, const struct typeset_font *f);

/* A column of a page: blocks stack from y down to bottom. */
struct typeset_column {
	double x, y, w, bottom;
};

/* The height of a table or legend row of body text. */
double typeset_row_height(const struct typeset *t);

/* A block heading (two lines at most) at the column's top; moves it down. */
void typeset_heading(const struct typeset *t, struct typeset_column *c, const char *text);

/* Table columns: x offsets from the column's left, widths and alignments. */
#define TYPESET_MAX_CELLS 8
struct typeset_table {
	int n;
	double x[TYPESET_MAX_CELLS], w[TYPESET_MAX_CELLS];
	enum typeset_align align[TYPESET_MAX_CELLS];
};

/* Draws a row of t->n cells (NULL is empty), each cut to its width, and
 * moves the column down by typeset_row_height(). */
void typeset_row(const struct typeset *t, struct typeset_column *c, const struct typeset_table *tb,
                 const char *const *cells, const struct typeset_font *f);

/* A thin grey rule across the column just above its current top. */
void typeset_rule(const struct typeset *t, const struct typeset_column *c);

/* How many rows of body text fit between the column's top and bottom. */
size_t typeset_rows_left(const struct typeset *t, const struct typeset_column *c);

/* A number as the page's language writes it, as the viewer does
 * (web/i18n.js fmtNumber()): in Uzbek and Russian a thin space between
 * groups of three digits and a decimal comma (12 345,7), in English a comma
 * and a decimal point (12,345.7); a minus sign (U+2212) before a negative;
 * decimals digits after the separator. */
void typeset_decimal(double v, int decimals, enum msg_lang lang, char *out, size_t n);

/* A whole number: typeset_decimal() without decimals. */
void typeset_count(double v, enum msg_lang lang, char *out, size_t n);

/* Measures: three significant digits (two below 10), grouped from 1 000. */
void typeset_value(double v, enum msg_lang lang, char *out, size_t n);

#endif
