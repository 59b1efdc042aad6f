/*
 * printcompare: two grids (the rows and the categories) laid out by one
 * flow (printflow.h) that first counts the pages (for "page N of M") and
 * then draws them.
 */
#include "printcompare.h"

#include "err.h"
#include "printflow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLS 11  /* name, the spans' counts and changes (8), rate, hotspots covered */
#define CELL 192 /* bytes of a cell's text */

const char *printcompare_place(const struct printjob *j)
{
	const struct compare *c = &j->cmp;
	if (c->district >= 0)
		return compare_row_name(&c->total, msg_lang_code((enum msg_lang)j->q->lang));
	if (c->n == 1)
		return compare_row_name(&c->rows[0], msg_lang_code((enum msg_lang)j->q->lang));
	return printjob_text(j, MSG_PAPER_ALL_DISTRICTS);
}

static void page_header(struct printjob *j, struct printflow *fl)
{
	const struct compare *c = &j->cmp;
	char place[512], spans[512], d[COMPARE_SPANS][2][16];
	for (int s = 0; s < COMPARE_SPANS; s++)
		for (int e = 0; e < 2; e++)
			printjob_date(j, e ? c->to[s] : c->from[s], d[s][e], sizeof d[s][e]);
	snprintf(place, sizeof place, "%s · %s: %s – %s", printcompare_place(j),
	         printjob_text(j, MSG_PERIOD), d[COMPARE_PERIOD][0], d[COMPARE_PERIOD][1]);
	snprintf(spans, sizeof spans, printjob_text(j, MSG_PAPER_SPANS), d[COMPARE_PREVIOUS][0],
	         d[COMPARE_PREVIOUS][1], d[COMPARE_LAST_YEAR][0], d[COMPARE_LAST_YEAR][1],
	         d[COMPARE_YTD][0], d[COMPARE_YTD][1], d[COMPARE_YTD_LAST_YEAR][0],
	         d[COMPARE_YTD_LAST_YEAR][1]);
	printflow_header(j, fl,
	                 printjob_text(j, c->district >= 0 ? MSG_PAPER_COMPARE_MAHALLAS
	                                                   : MSG_PAPER_COMPARE_DISTRICTS),
	                 (const char *const[]){place, spans}, 2);
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

/* Appends a row of cells to g. */
static int add_row(struct printflow_grid *g, char (*cells)[CELL])
{
	const char *ptrs[COLS];
	for (int c = 0; c < COLS; c++)
		ptrs[c] = cells[c];
	return printflow_grid_add(g, ptrs);
}

/* The rows' grid: each row, then the total; its names left, the numbers
 * right. */
static int rows_grid(struct printjob *j, struct printflow_grid *g)
{
	const struct compare *c = &j->cmp;
	const char *lang = msg_lang_code((enum msg_lang)j->q->lang);
	char cells[COLS][CELL];
	int rc = 0;
	*g = (struct printflow_grid){.cols = COLS, .total = 1};
	g->head[0] = printjob_text(j, c->district >= 0 ? MSG_COVERAGE_MAHALLA : MSG_PAPER_DISTRICT);
	for (int i = 0; i < 8; i++)
		g->head[1 + i] = printjob_text(j, count_heads[i]);
	g->head[9] = printjob_text(j, MSG_PAPER_RATE);
	g->head[10] = printjob_text(j, MSG_PAPER_COVERED);
	for (int i = 1; i < COLS; i++)
		g->align[i] = TYPESET_RIGHT;
	for (size_t i = 0; rc == 0 && i < c->n; i++) {
		row_cells(j, &c->rows[i], compare_row_name(&c->rows[i], lang), cells);
		rc = add_row(g, cells);
	}
	if (rc == 0) {
		row_cells(j, &c->total, printjob_text(j, MSG_PAPER_TOTAL), cells);
		rc = add_row(g, cells);
	}
	return rc;
}

/* The categories' grid: the territory's offences by category with any
 * offence in one of the spans. */
static int categories_grid(struct printjob *j, struct printflow_grid *g)
{
	const struct compare *c = &j->cmp;
	const struct compare_row *t = &c->total;
	char cells[COLS][CELL] = {{0}};
	int rc = 0;
	*g = (struct printflow_grid){.cols = 9};
	g->head[0] = printjob_text(j, MSG_PAPER_CATEGORY);
	for (int i = 0; i < 8; i++) {
		g->head[1 + i] = printjob_text(j, count_heads[i]);
		g->align[1 + i] = TYPESET_RIGHT;
	}
	for (size_t k = 0; rc == 0 && k < c->n_categories; k++) {
		const double *counts = &t->counts[k * COMPARE_SPANS];
		double any = 0;
		for (int s = 0; s < COMPARE_SPANS; s++)
			any += counts[s];
		if (!any)
			continue;
		snprintf(cells[0], CELL, "%s",
		         storeprint_name(&j->categories, dataset_category(j->ds, k)));
		count_cells(cells + 1, counts, &t->changes[k * COMPARE_CHANGES], printjob_lang(j));
		rc = add_row(g, cells);
	}
	return rc;
}

/* The pages: counted (draw 0) or drawn. */
static void flow_pages(struct printjob *j, struct printflow_grid *rows, struct printflow_grid *cats,
                       int draw, int pdf)
{
	struct printflow fl;
	j->page_no = 1;
	printflow_start(j, &fl, draw, pdf, page_header, NULL);
	printflow_rows(j, &fl, rows, 0, rows->rows, NULL);
	printflow_text(j, &fl, &typeset_small, printjob_text(j, MSG_PAPER_COMPARE_NOTE));
	if (cats->rows) {
		printflow_heading(j, &fl, &typeset_head, printjob_text(j, MSG_PAPER_BY_CATEGORY));
		printflow_rows(j, &fl, cats, 0, cats->rows, NULL);
	}
}

int printcompare_draw(struct printjob *j, int pdf)
{
	struct printflow_grid rows = {0}, cats = {0};
	double w = j->pw - 2 * printjob_margin(j);
	int rc;
	if ((rc = rows_grid(j, &rows)) < 0 || (rc = categories_grid(j, &cats)) < 0)
		goto out;
	printflow_grid_fit(j, &rows, w);
	printflow_grid_fit(j, &cats, w);
	flow_pages(j, &rows, &cats, 0, pdf);
	j->pages = pdf ? j->page_no : 1;
	flow_pages(j, &rows, &cats, 1, pdf);
	if (pdf)
		cairo_show_page(j->ts.cr);
	rc = cairo_status(j->ts.cr) == CAIRO_STATUS_SUCCESS
	         ? 0
	         : err_set(ERR_NOMEM, "print: %s", cairo_status_to_string(cairo_status(j->ts.cr)));
out:
	printflow_grid_free(&rows);
	printflow_grid_free(&cats);
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
