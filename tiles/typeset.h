/*
 * typeset: text and tables on a printed page, through Pango on a Cairo
 * context whose user space is PDF points.
 *
 * Sizes are given for A4 and multiplied by the page's unit (1 on A4, √2 on
 * A3), so a layout grows with the paper. Text is one paragraph in the
 * style's families (Noto Sans, then DejaVu Sans: Uzbek ʻ and Cyrillic),
 * wrapped between words to a number of lines and cut in its middle with
 * an ellipsis only when they do not hold it. Tables are rows of cells of up
 * to two lines in a column that knows its bottom, so a caller can measure
 * the rows that fit before drawing them.
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

/* Into out (n bytes, at least strlen(text) + 7, else empty) the text that
 * typeset_layout() shows of text in at most lines lines of width pt,
 * wrapped between words: text itself when it fits, else the most of its
 * start and end that fit around an ellipsis (…) in its middle, so that
 * names differing at their end stay apart ("D02-YOU…-04"). The ellipsis is
 * a character of the text, so the PDF's text says what is printed. */
void typeset_fit(const struct typeset *t, const struct typeset_font *f, const char *text,
                 double width, int lines, char *out, size_t n);

/* A layout of text at most width pt wide (0: unbounded) in at most lines
 * lines wrapped between words, cut as typeset_fit() cuts it; with lines 0
 * wrapped to any number of lines, also inside a word too long for one. A
 * new reference: g_object_unref() it. */
PangoLayout *typeset_layout(const struct typeset *t, const struct typeset_font *f, const char *text,
                            double width, int lines);

/* Draws text with its top at y, aligned at x (left edge, centre or right
 * edge; its lines alike) as typeset_layout() lays it out; returns its
 * height in pt. */
double typeset_text(const struct typeset *t, const struct typeset_font *f, const char *text,
                    double x, double y, double width, int lines, enum typeset_align a);

/* The height in pt typeset_text() gives text (width and lines as there). */
double typeset_height(const struct typeset *t, const struct typeset_font *f, const char *text,
                      double width, int lines);

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
	int lines; /* a cell's lines at most; 0: TYPESET_CELL_LINES */
	/* What typeset_table_measure() found of the texts of each column: its
	 * widest word, the width that holds each text in its lines, its widest
	 * text on one line, pt. */
	double word[TYPESET_MAX_CELLS], fold[TYPESET_MAX_CELLS], text[TYPESET_MAX_CELLS];
	double type; /* the type's size, times the fonts' (typeset_table_fit()); 0: 1 */
};

/* The smallest a table's type shrinks to fit its widest words. */
#define TYPESET_MIN_TYPE 0.8

/* The lines a table's cell takes at most unless its table says: a cell
 * wraps between words to a second line before anything is cut
 * (typeset_fit()). */
#define TYPESET_CELL_LINES 2

/* Takes a row of cells (the heads, or a row in f) into tb's measures. Words
 * are apart at spaces and after a hyphen before a letter: a number grouped
 * by thin spaces is one word. */
void typeset_table_measure(const struct typeset *t, struct typeset_table *tb,
                           const char *const *cells, const struct typeset_font *f);

/* Sets tb's columns side by side across width pt from its measures: each
 * as wide as its widest word, what is left shared out first by what each
 * needs to hold its widest text in its lines, then to hold it on one line,
 * and what is left then to all by their widths. When the widest words do not fit, the table's type
 * shrinks (to TYPESET_MIN_TYPE); when they still do not, the left-aligned columns (texts) shrink
 * and their cells are cut (typeset_fit()) before the right-aligned ones (numbers). */
void typeset_table_fit(const struct typeset *t, struct typeset_table *tb, double width);

/* The height of a row of t->n cells (NULL is empty) as typeset_row() draws
 * it: its tallest cell and the padding, typeset_row_height() for a row of
 * single lines. */
double typeset_row_measure(const struct typeset *t, const struct typeset_table *tb,
                           const char *const *cells, const struct typeset_font *f);

/* Draws a row of t->n cells (NULL is empty), each in its width in at most
 * its table's lines, and moves the column down by its height
 * (typeset_row_measure()). */
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
