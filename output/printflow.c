/*
 * printflow: a grid's cells are measured as Pango lays them out, wrapped
 * at spaces into their column's width; one flow first counts the pages
 * and then draws them.
 */
#include "printflow.h"

#include "err.h"
#include "printframe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int printflow_grid_add(struct printflow_grid *g, const char *const *cells)
{
	if (g->rows == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 16;
		char **text = realloc(g->text, cap * PRINTFLOW_COLS * sizeof *text);
		if (!text)
			return err_set(ERR_NOMEM, "print: out of memory");
		g->text = text;
		g->cap = cap;
	}
	char **row = &g->text[g->rows * PRINTFLOW_COLS];
	for (int c = 0; c < PRINTFLOW_COLS; c++)
		row[c] = NULL;
	for (int c = 0; c < g->cols; c++)
		if (!(row[c] = strdup(cells[c] ? cells[c] : ""))) {
			for (int k = 0; k < c; k++)
				free(row[k]);
			return err_set(ERR_NOMEM, "print: out of memory");
		}
	g->rows++;
	return 0;
}

void printflow_grid_free(struct printflow_grid *g)
{
	for (size_t i = 0; g->text && i < g->rows * PRINTFLOW_COLS; i++)
		free(g->text[i]);
	free(g->text);
	g->text = NULL;
	g->rows = g->cap = 0;
}

static const char *cell(const struct printflow_grid *g, size_t r, int c)
{
	return g->text[r * PRINTFLOW_COLS + c];
}

/* A layout of text in a cell of width w, wrapped between words. */
static PangoLayout *cell_layout(const struct printjob *j, const struct typeset_font *f,
                                const char *text, double w, enum typeset_align a)
{
	PangoLayout *l = typeset_layout(&j->ts, f, text, w, 0);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD);
	pango_layout_set_alignment(l, a == TYPESET_RIGHT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	return l;
}

/* The padding on each side of a cell. */
static double pad(const struct printjob *j)
{
	return 1.2 * j->ts.unit;
}

/* The height of row r of g (the head when r is (size_t)-1); draws it with
 * its top at y when draw is set. */
static double grid_row(struct printjob *j, const struct printflow_grid *g, size_t r,
                       const struct typeset_font *f, double x, double y, int draw)
{
	double h = 0, p = pad(j);
	for (int c = 0; c < g->cols; c++) {
		PangoLayout *l = cell_layout(j, f, r == (size_t)-1 ? g->head[c] : cell(g, r, c),
		                             g->w[c] - 2 * p, g->align[c]);
		int lw, lh;
		pango_layout_get_size(l, &lw, &lh);
		h = fmax(h, lh / (double)PANGO_SCALE);
		if (draw) {
			cairo_save(j->ts.cr);
			cairo_set_source_rgb(j->ts.cr, f->r, f->g, f->b);
			cairo_move_to(j->ts.cr, x + p, y + 1.1 * j->ts.unit);
			pango_cairo_show_layout(j->ts.cr, l);
			cairo_restore(j->ts.cr);
		}
		g_object_unref(l);
		x += g->w[c];
	}
	return h + 2.2 * j->ts.unit;
}

/* The widest word of text in f. */
static double widest_word(const struct printjob *j, const struct typeset_font *f, const char *text)
{
	double widest = 0;
	char *word = malloc(strlen(text) + 1);
	for (const char *p = text; word && *p;) {
		size_t n = strcspn(p, " ");
		if (n) {
			memcpy(word, p, n);
			word[n] = 0;
			widest = fmax(widest, typeset_width(&j->ts, f, word));
		}
		p += n;
		p += *p == ' ';
	}
	free(word);
	return widest;
}

/* The columns' widths in the type at scale k of the page's
 * (printflow_grid_fit()). Returns the width the widest words need in all. */
static double grid_widths(struct printjob *j, struct printflow_grid *g, double width, double k)
{
	g->body = typeset_body;
	g->bold = typeset_bold;
	g->column = typeset_column;
	g->body.size *= k;
	g->bold.size *= k;
	g->column.size *= k;
	double need = 0, extra = 2 * pad(j) + 0.5 * j->ts.unit, lack[PRINTFLOW_COLS] = {0},
	       lacking = 0;
	int numbers = 0;
	for (int c = 0; c < g->cols; c++) {
		double w = widest_word(j, &g->column, g->head[c]);
		double line = typeset_width(&j->ts, &g->column, g->head[c]);
		for (size_t r = 0; r < g->rows; r++) {
			const struct typeset_font *f =
			    g->total && r + 1 == g->rows ? &g->bold : &g->body;
			w = fmax(w, widest_word(j, f, cell(g, r, c)));
			if (g->align[c] != TYPESET_RIGHT)
				line = fmax(line, typeset_width(&j->ts, f, cell(g, r, c)));
		}
		g->w[c] = w + extra;
		need += g->w[c];
		numbers += g->align[c] == TYPESET_RIGHT;
		if (g->align[c] != TYPESET_RIGHT)
			lacking += lack[c] = fmax(line + extra - g->w[c], 0);
	}
	double spare = fmax(width - need, 0), grow = fmin(spare, lacking);
	for (int c = 0; c < g->cols && lacking > 0; c++)
		g->w[c] += grow * lack[c] / lacking;
	for (int c = 0; c < g->cols && !g->natural; c++)
		if (!numbers || g->align[c] == TYPESET_RIGHT)
			g->w[c] += (spare - grow) / (numbers ? numbers : g->cols);
	return need;
}

void printflow_grid_fit(struct printjob *j, struct printflow_grid *g, double width)
{
	double k = 1;
	for (int i = 0; i < 8; i++) {
		double need = grid_widths(j, g, width, k);
		if (need <= width)
			return;
		k *= width / need * 0.98;
	}
}

void printflow_start(struct printjob *j, struct printflow *fl, int draw, int pdf,
                     void (*header)(struct printjob *, struct printflow *), const void *ctx)
{
	double m = printjob_margin(j);
	*fl = (struct printflow){.draw = draw,
	                         .pdf = pdf,
	                         .x = m,
	                         .w = j->pw - 2 * m,
	                         .top = m,
	                         .bottom = j->ph - m - typeset_line_height(&j->ts, &typeset_small) -
	                                   4 * j->ts.unit,
	                         .header = header,
	                         .ctx = ctx};
	fl->y = fl->top;
	header(j, fl);
}

void printflow_break(struct printjob *j, struct printflow *fl)
{
	if (fl->draw && fl->pdf)
		cairo_show_page(j->ts.cr);
	fl->draw = fl->draw && fl->pdf;
	j->page_no++;
	fl->y = fl->top;
	fl->header(j, fl);
}

void printflow_header(struct printjob *j, struct printflow *fl, const char *title,
                      const char *const *lines, size_t n)
{
	double m = printjob_margin(j), w = j->pw - 2 * m, u = j->ts.unit;
	char line[128], printed[16];
	printjob_date(j, j->q->printed_at, printed, sizeof printed);
	double y = m;
	if (fl->draw) {
		cairo_set_source_rgb(j->ts.cr, 1, 1, 1);
		cairo_paint(j->ts.cr);
		typeset_text(&j->ts, &typeset_title, title, m, y, w * 0.62, 0, TYPESET_LEFT);
		snprintf(line, sizeof line, "%s: %s", printjob_text(j, MSG_PAPER_PRINTED), printed);
		typeset_text(&j->ts, &typeset_sub, line, m + w, y + 2 * u, w * 0.36, 0,
		             TYPESET_RIGHT);
		printframe_footer(j, m, j->ph - m - typeset_line_height(&j->ts, &typeset_small), w);
	}
	y += typeset_height(&j->ts, &typeset_title, title, w * 0.62, 0);
	for (size_t i = 0; i < n; i++) {
		if (fl->draw)
			typeset_text(&j->ts, &typeset_sub, lines[i], m, y, w, 0, TYPESET_LEFT);
		y += typeset_height(&j->ts, &typeset_sub, lines[i], w, 0);
	}
	fl->y = y + 6 * u;
}

void printflow_rows(struct printjob *j, struct printflow *fl, const struct printflow_grid *g,
                    size_t first, size_t n, const char *caption)
{
	double head = grid_row(j, g, (size_t)-1, &g->column, 0, 0, 0), w = 0;
	for (int c = 0; c < g->cols; c++)
		w += g->w[c];
	struct typeset_column rule = {fl->x, 0, fmin(w, fl->w), 0};
	for (size_t r = first; r < first + n && r < g->rows; r++) {
		int total = g->total && r + 1 == g->rows;
		const struct typeset_font *f = total ? &g->bold : &g->body;
		double h = grid_row(j, g, r, f, 0, 0, 0);
		if (r == first || fl->y + h > fl->bottom) {
			if (r > first || fl->y + head + h > fl->bottom) {
				printflow_break(j, fl);
				if (caption && r > first) {
					if (fl->draw)
						typeset_text(&j->ts, &typeset_bold, caption, fl->x,
						             fl->y, fl->w, 2, TYPESET_LEFT);
					fl->y += typeset_height(&j->ts, &typeset_bold, caption,
					                        fl->w, 2) +
					         3 * j->ts.unit;
				}
			}
			if (fl->draw)
				grid_row(j, g, (size_t)-1, &g->column, fl->x, fl->y, 1);
			fl->y += head;
			rule.y = fl->y;
			if (fl->draw)
				typeset_rule(&j->ts, &rule);
		}
		rule.y = fl->y;
		if (fl->draw && total)
			typeset_rule(&j->ts, &rule);
		if (fl->draw)
			grid_row(j, g, r, f, fl->x, fl->y, 1);
		fl->y += h;
	}
}

void printflow_text(struct printjob *j, struct printflow *fl, const struct typeset_font *f,
                    const char *text)
{
	double h = typeset_height(&j->ts, f, text, fl->w, 0) + 2 * j->ts.unit;
	if (fl->y + h > fl->bottom)
		printflow_break(j, fl);
	if (fl->draw)
		typeset_text(&j->ts, f, text, fl->x, fl->y + 2 * j->ts.unit, fl->w, 0,
		             TYPESET_LEFT);
	fl->y += h + 6 * j->ts.unit;
}

void printflow_heading(struct printjob *j, struct printflow *fl, const struct typeset_font *f,
                       const char *text)
{
	double h = typeset_height(&j->ts, f, text, fl->w, 2) + 3 * j->ts.unit;
	if (fl->y + h + 3 * typeset_row_height(&j->ts) > fl->bottom)
		printflow_break(j, fl);
	if (fl->draw)
		typeset_text(&j->ts, f, text, fl->x, fl->y, fl->w, 2, TYPESET_LEFT);
	fl->y += h;
}
