/*
 * printcompare: two grids (the rows and the categories) laid out by one
 * flow that first counts the pages (for "page N of M") and then draws
 * them. A grid's cells are measured as Pango lays them out, wrapped at
 * spaces into their column's width, which is never narrower than the
 * column's widest word.
 */
#include "printcompare.h"

#include "err.h"
#include "printframe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLS 11  /* name, the spans' counts and changes (8), rate, hotspots covered */
#define CELL 192 /* bytes of a cell's text */

/* A table: its column heads and the texts of its rows, the widths and
 * the type the page's width allows. */
struct grid {
	int cols;
	const char *head[COLS];
	char (*text)[COLS][CELL]; /* rows; the last one a total when total is set */
	size_t rows;
	int total;
	double w[COLS];
	struct typeset_font body, bold, column;
};

static void grid_free(struct grid *g)
{
	free(g->text);
	g->text = NULL;
}

/* A layout of text in a cell of width w, wrapped between words, aligned
 * left (column 0) or right (the numbers). */
static PangoLayout *cell_layout(const struct printjob *j, const struct typeset_font *f,
                                const char *text, double w, int col)
{
	PangoLayout *l = typeset_layout(&j->ts, f, text, w, 0);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD);
	pango_layout_set_alignment(l, col ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	return l;
}

/* The padding on each side of a cell. */
static double pad(const struct printjob *j)
{
	return 1.2 * j->ts.unit;
}

/* The height of a row of cells (the head when cells is NULL); draws it
 * with its top at y when draw is set. */
static double grid_row(struct printjob *j, const struct grid *g, const char (*cells)[CELL],
                       const struct typeset_font *f, double x, double y, int draw)
{
	double h = 0, p = pad(j);
	for (int c = 0; c < g->cols; c++) {
		PangoLayout *l =
		    cell_layout(j, f, cells ? cells[c] : g->head[c], g->w[c] - 2 * p, c);
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
	char word[CELL];
	double widest = 0;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, " ");
		if (n && n < sizeof word) {
			memcpy(word, p, n);
			word[n] = 0;
			widest = fmax(widest, typeset_width(&j->ts, f, word));
		}
		p += n;
		p += *p == ' ';
	}
	return widest;
}

/* The columns' widths in the type at scale k of the page's: each column
 * as wide as its widest word (head or cell); what width leaves widens the
 * name column up to its longest name on one line, then the others alike.
 * Returns the width the widest words need in all. */
static double grid_widths(struct printjob *j, struct grid *g, double width, double k)
{
	g->body = typeset_body;
	g->bold = typeset_bold;
	g->column = typeset_column;
	g->body.size *= k;
	g->bold.size *= k;
	g->column.size *= k;
	double need = 0, extra = 2 * pad(j) + 0.5 * j->ts.unit;
	double names = typeset_width(&j->ts, &g->column, g->head[0]);
	for (int c = 0; c < g->cols; c++) {
		double w = widest_word(j, &g->column, g->head[c]);
		for (size_t r = 0; r < g->rows; r++) {
			const struct typeset_font *f =
			    g->total && r + 1 == g->rows ? &g->bold : &g->body;
			w = fmax(w, widest_word(j, f, g->text[r][c]));
			if (c == 0)
				names = fmax(names, typeset_width(&j->ts, f, g->text[r][0]));
		}
		g->w[c] = w + extra;
		need += g->w[c];
	}
	double spare = fmax(width - need, 0), grow = fmax(fmin(spare, names + extra - g->w[0]), 0);
	g->w[0] += grow;
	for (int c = 1; c < g->cols; c++)
		g->w[c] += (spare - grow) / (g->cols - 1);
	return need;
}

/* Fits g into width: the type shrinks until the widest words fit. */
static void grid_fit(struct printjob *j, struct grid *g, double width)
{
	double k = 1;
	for (int i = 0; i < 8; i++) {
		double need = grid_widths(j, g, width, k);
		if (need <= width)
			return;
		k *= width / need * 0.98;
	}
}

/* Where the flow of pages is. */
struct flow {
	int draw;      /* else only counting */
	int pdf;       /* else a PNG: the first page is drawn, the rest only counted */
	double y, top; /* on the page, pt */
	double x, w, bottom;
};

static void page_header(struct printjob *j, struct flow *fl);

/* Ends the page and starts the next: the page shown, counted, its header
 * drawn. */
static void break_page(struct printjob *j, struct flow *fl)
{
	if (fl->draw && fl->pdf)
		cairo_show_page(j->ts.cr);
	fl->draw = fl->draw && fl->pdf;
	j->page_no++;
	fl->y = fl->top;
	page_header(j, fl);
}

/* The grid's rows from the flow's place on, its heads atop each page. */
static void flow_grid(struct printjob *j, struct flow *fl, const struct grid *g)
{
	double head = grid_row(j, g, NULL, &g->column, 0, 0, 0);
	for (size_t r = 0; r < g->rows; r++) {
		int total = g->total && r + 1 == g->rows;
		const struct typeset_font *f = total ? &g->bold : &g->body;
		double h = grid_row(j, g, g->text[r], f, 0, 0, 0);
		if (r == 0 || fl->y + h > fl->bottom) {
			if (r > 0 || fl->y + head + h > fl->bottom)
				break_page(j, fl);
			if (fl->draw)
				grid_row(j, g, NULL, &g->column, fl->x, fl->y, 1);
			fl->y += head;
			if (fl->draw)
				typeset_rule(&j->ts,
				             &(struct typeset_column){fl->x, fl->y, fl->w, 0});
		}
		if (fl->draw && total)
			typeset_rule(&j->ts, &(struct typeset_column){fl->x, fl->y, fl->w, 0});
		if (fl->draw)
			grid_row(j, g, g->text[r], f, fl->x, fl->y, 1);
		fl->y += h;
	}
}

/* A paragraph of small print at the flow's place. */
static void flow_note(struct printjob *j, struct flow *fl, const char *text)
{
	double h = typeset_height(&j->ts, &typeset_small, text, fl->w, 0) + 2 * j->ts.unit;
	if (fl->y + h > fl->bottom)
		break_page(j, fl);
	if (fl->draw)
		typeset_text(&j->ts, &typeset_small, text, fl->x, fl->y + 2 * j->ts.unit, fl->w, 0,
		             TYPESET_LEFT);
	fl->y += h + 6 * j->ts.unit;
}

/* A block heading, on the next page unless a few rows fit under it. */
static void flow_heading(struct printjob *j, struct flow *fl, const char *text)
{
	double h = typeset_height(&j->ts, &typeset_head, text, fl->w, 2) + 3 * j->ts.unit;
	if (fl->y + h + 3 * typeset_row_height(&j->ts) > fl->bottom)
		break_page(j, fl);
	struct typeset_column c = {fl->x, fl->y, fl->w, fl->bottom};
	if (fl->draw)
		typeset_heading(&j->ts, &c, text);
	fl->y += h;
}

const char *printcompare_place(const struct printjob *j)
{
	const struct compare *c = &j->cmp;
	if (c->district >= 0)
		return compare_row_name(&c->total, msg_lang_code((enum msg_lang)j->q->lang));
	if (c->n == 1)
		return compare_row_name(&c->rows[0], msg_lang_code((enum msg_lang)j->q->lang));
	return printjob_text(j, MSG_PAPER_ALL_DISTRICTS);
}

static void page_header(struct printjob *j, struct flow *fl)
{
	const struct compare *c = &j->cmp;
	double m = printjob_margin(j), w = j->pw - 2 * m, u = j->ts.unit;
	char line[512], printed[16], d[COMPARE_SPANS][2][16];
	for (int s = 0; s < COMPARE_SPANS; s++)
		for (int e = 0; e < 2; e++)
			printjob_date(j, e ? c->to[s] : c->from[s], d[s][e], sizeof d[s][e]);
	printjob_date(j, j->q->printed_at, printed, sizeof printed);
	const char *title = printjob_text(j, c->district >= 0 ? MSG_PAPER_COMPARE_MAHALLAS
	                                                      : MSG_PAPER_COMPARE_DISTRICTS);
	double y = m;
	if (fl->draw) {
		cairo_set_source_rgb(j->ts.cr, 1, 1, 1);
		cairo_paint(j->ts.cr);
		typeset_text(&j->ts, &typeset_title, title, m, y, w * 0.62, 0, TYPESET_LEFT);
		snprintf(line, sizeof line, "%s: %s", printjob_text(j, MSG_PAPER_PRINTED), printed);
		typeset_text(&j->ts, &typeset_sub, line, m + w, y + 2 * u, w * 0.36, 0,
		             TYPESET_RIGHT);
	}
	y += typeset_height(&j->ts, &typeset_title, title, w * 0.62, 0);
	snprintf(line, sizeof line, "%s · %s: %s – %s", printcompare_place(j),
	         printjob_text(j, MSG_PERIOD), d[COMPARE_PERIOD][0], d[COMPARE_PERIOD][1]);
	if (fl->draw)
		typeset_text(&j->ts, &typeset_sub, line, m, y, w, 0, TYPESET_LEFT);
	y += typeset_height(&j->ts, &typeset_sub, line, w, 0);
	snprintf(line, sizeof line, printjob_text(j, MSG_PAPER_SPANS), d[COMPARE_PREVIOUS][0],
	         d[COMPARE_PREVIOUS][1], d[COMPARE_LAST_YEAR][0], d[COMPARE_LAST_YEAR][1],
	         d[COMPARE_YTD][0], d[COMPARE_YTD][1], d[COMPARE_YTD_LAST_YEAR][0],
	         d[COMPARE_YTD_LAST_YEAR][1]);
	if (fl->draw) {
		typeset_text(&j->ts, &typeset_sub, line, m, y, w, 0, TYPESET_LEFT);
		printframe_footer(j, m, j->ph - m - typeset_line_height(&j->ts, &typeset_small), w);
	}
	fl->y = y + typeset_height(&j->ts, &typeset_sub, line, w, 0) + 6 * u;
}

/* "+30%" with "*" when significant; "–" without a base. */
static void change_text(const struct compare_change *ch, char *out, size_t n)
{
	if (fabs(ch->percent) < 0.5)
		snprintf(out, n, "0%%%s", ch->significant ? "*" : "");
	else if (isnan(ch->percent))
		snprintf(out, n, "–%s", ch->significant ? "*" : "");
	else
		snprintf(out, n, "%s%.0f%%%s",
		         ch->percent > 0   ? "+"
		         : ch->percent < 0 ? "−"
		                           : "",
		         fabs(ch->percent), ch->significant ? "*" : "");
}

/* The cells of a count's spans and changes, in the columns' order. */
static void count_cells(char (*cells)[CELL], const double *counts, const struct compare_change *ch,
                        enum msg_lang lang)
{
	static const int order[8] = {
	    COMPARE_PERIOD,        COMPARE_PREVIOUS,          -1 - COMPARE_VS_PREVIOUS,
	    COMPARE_LAST_YEAR,     -1 - COMPARE_VS_LAST_YEAR, COMPARE_YTD,
	    COMPARE_YTD_LAST_YEAR, -1 - COMPARE_VS_YTD};
	for (int i = 0; i < 8; i++)
		if (order[i] >= 0)
			typeset_count(counts[order[i]], lang, cells[i], CELL);
		else
			change_text(&ch[-1 - order[i]], cells[i], CELL);
}

static void row_cells(const struct printjob *j, const struct compare_row *r, const char *name,
                      char (*cells)[CELL])
{
	const struct compare *c = &j->cmp;
	snprintf(cells[0], CELL, "%s", name);
	count_cells(cells + 1, r->offences, r->change, printjob_lang(j));
	if (isnan(r->rate))
		snprintf(cells[9], CELL, "–");
	else
		typeset_decimal(r->rate, 2, printjob_lang(j), cells[9], CELL);
	if (!c->has_hotspots || !r->hotspots)
		snprintf(cells[10], CELL, "–");
	else
		snprintf(cells[10], CELL, "%zu / %zu", r->covered, r->hotspots);
}

static const enum msg count_heads[8] = {
    MSG_PAPER_THIS,   MSG_PAPER_PREVIOUS, MSG_PAPER_CHANGE,        MSG_PAPER_LAST_YEAR,
    MSG_PAPER_CHANGE, MSG_PAPER_YTD,      MSG_PAPER_YTD_LAST_YEAR, MSG_PAPER_CHANGE};

/* The rows' grid: each row, then the total. */
static int rows_grid(struct printjob *j, struct grid *g)
{
	const struct compare *c = &j->cmp;
	const char *lang = msg_lang_code((enum msg_lang)j->q->lang);
	*g = (struct grid){.cols = COLS, .rows = c->n + 1, .total = 1};
	g->head[0] = printjob_text(j, c->district >= 0 ? MSG_COVERAGE_MAHALLA : MSG_PAPER_DISTRICT);
	for (int i = 0; i < 8; i++)
		g->head[1 + i] = printjob_text(j, count_heads[i]);
	g->head[9] = printjob_text(j, MSG_PAPER_RATE);
	g->head[10] = printjob_text(j, MSG_PAPER_COVERED);
	if (!(g->text = calloc(g->rows, sizeof *g->text)))
		return err_set(ERR_NOMEM, "print: out of memory");
	for (size_t i = 0; i < c->n; i++)
		row_cells(j, &c->rows[i], compare_row_name(&c->rows[i], lang), g->text[i]);
	row_cells(j, &c->total, printjob_text(j, MSG_PAPER_TOTAL), g->text[c->n]);
	return 0;
}

/* The categories' grid: the territory's offences by category with any
 * offence in one of the spans. */
static int categories_grid(struct printjob *j, struct grid *g)
{
	const struct compare *c = &j->cmp;
	const struct compare_row *t = &c->total;
	*g = (struct grid){.cols = 9};
	g->head[0] = printjob_text(j, MSG_PAPER_CATEGORY);
	for (int i = 0; i < 8; i++)
		g->head[1 + i] = printjob_text(j, count_heads[i]);
	if (!(g->text = calloc(c->n_categories ? c->n_categories : 1, sizeof *g->text)))
		return err_set(ERR_NOMEM, "print: out of memory");
	for (size_t k = 0; k < c->n_categories; k++) {
		const double *counts = &t->counts[k * COMPARE_SPANS];
		double any = 0;
		for (int s = 0; s < COMPARE_SPANS; s++)
			any += counts[s];
		if (!any)
			continue;
		char(*cells)[CELL] = g->text[g->rows++];
		snprintf(cells[0], CELL, "%s",
		         storeprint_name(&j->categories, dataset_category(j->ds, k)));
		count_cells(cells + 1, counts, &t->changes[k * COMPARE_CHANGES], printjob_lang(j));
	}
	return 0;
}

/* The pages: counted (draw 0) or drawn. */
static void flow_pages(struct printjob *j, struct grid *rows, struct grid *cats, int draw, int pdf)
{
	double m = printjob_margin(j);
	struct flow fl = {.draw = draw,
	                  .pdf = pdf,
	                  .x = m,
	                  .w = j->pw - 2 * m,
	                  .top = m,
	                  .bottom = j->ph - m - typeset_line_height(&j->ts, &typeset_small) -
	                            4 * j->ts.unit};
	j->page_no = 1;
	page_header(j, &fl);
	flow_grid(j, &fl, rows);
	flow_note(j, &fl, printjob_text(j, MSG_PAPER_COMPARE_NOTE));
	if (cats->rows) {
		flow_heading(j, &fl, printjob_text(j, MSG_PAPER_BY_CATEGORY));
		flow_grid(j, &fl, cats);
	}
}

int printcompare_draw(struct printjob *j, int pdf)
{
	struct grid rows = {0}, cats = {0};
	double w = j->pw - 2 * printjob_margin(j);
	int rc;
	if ((rc = rows_grid(j, &rows)) < 0 || (rc = categories_grid(j, &cats)) < 0)
		goto out;
	grid_fit(j, &rows, w);
	grid_fit(j, &cats, w);
	flow_pages(j, &rows, &cats, 0, pdf);
	j->pages = pdf ? j->page_no : 1;
	flow_pages(j, &rows, &cats, 1, pdf);
	if (pdf)
		cairo_show_page(j->ts.cr);
	rc = cairo_status(j->ts.cr) == CAIRO_STATUS_SUCCESS
	         ? 0
	         : err_set(ERR_NOMEM, "print: %s", cairo_status_to_string(cairo_status(j->ts.cr)));
out:
	grid_free(&rows);
	grid_free(&cats);
	return rc;
}

int printcompare_open(struct printjob *j)
{
	const struct print_request *q = j->q;
	const struct style_heatmap *hm = j->hm;
	struct compare_params p = {.filter = q->filter,
	                           .district = -1,
	                           .kernel = hm ? hm->kernel : KDE_QUARTIC,
	                           .bandwidth = j->bandwidth};
	int rc;
	if (q->district && (p.district = dataset_district_index(j->ds, q->district)) < 0)
		return err_set_field(ERR_NOTFOUND, "district", "district '%s' does not exist",
		                     q->district);
	if ((rc = compare_period(j->ds, &q->filter, &p.from_day, &p.to_day)) < 0 ||
	    (rc = compare_compute(j->ds, printjob_merc_shapes(j), &p, &j->cmp)) < 0)
		return rc;
	j->has_cmp = 1;
	if ((rc = compare_sort(&j->cmp, j->ds, q->sort, msg_lang_code((enum msg_lang)q->lang))) < 0)
		return rc;
	j->from = j->cmp.from[COMPARE_PERIOD];
	j->to = j->cmp.to[COMPARE_PERIOD];
	return 0;
}
