/*
 * printarea: the tables' columns fitted to their texts (typeset.h), and the
 * rows that do not fit summed up in a last row.
 */
#include "printarea.h"

#include "err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct category_row {
	size_t index;
	double now, before;
};

static int by_count(const void *a, const void *b)
{
	const struct category_row *x = a, *y = b;
	if (x->now != y->now)
		return (x->now < y->now) - (x->now > y->now);
	return (x->before < y->before) - (x->before > y->before);
}

static void format_change(double now, double before, enum msg_lang lang, char *out, size_t n)
{
	char num[24];
	double change = before > 0 ? 100 * (now - before) / before : now;
	typeset_decimal(change, 0, lang, num, sizeof num);
	snprintf(out, n, "%s%s%s", change > 0 ? "+" : "", num, before > 0 ? "%" : "");
}

/* A category row's texts: its name, the counts and the change. */
static void category_texts(const struct printjob *j, const char *name, double now, double before,
                           char (*out)[96])
{
	printjob_append(out[0], 96, 0, "%s", name);
	typeset_count(now, printjob_lang(j), out[1], 96);
	typeset_count(before, printjob_lang(j), out[2], 96);
	format_change(now, before, printjob_lang(j), out[3], 96);
}

/* The four cells of a row's texts. */
#define CELLS4(r) (r)[0], (r)[1], (r)[2], (r)[3]

/* Offences by category in the period against the previous one. */
int printarea_figures(struct printjob *j, const struct printjob_page *p, struct typeset_column *c)
{
	size_t n = dataset_category_count(j->ds);
	int mahalla = p->kind == SHAPES_MAHALLAS ? dataset_mahalla_index(j->ds, p->area->code) : -1;
	double *now = calloc(n + 1, sizeof *now), *before = calloc(n + 1, sizeof *before);
	struct category_row *rows = calloc(n + 1, sizeof *rows);
	if (!now || !before || !rows) {
		free(now);
		free(before);
		free(rows);
		return err_set(ERR_NOMEM, "print: out of memory");
	}
	double total = 0, total_before = 0;
	if (p->kind != SHAPES_MAHALLAS || mahalla >= 0) {
		total = dataset_tally(j->ds, &j->filter, mahalla, now, NULL);
		total_before = dataset_tally(j->ds, &j->previous, mahalla, before, NULL);
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (now[i] > 0 || before[i] > 0)
			rows[k++] = (struct category_row){i, now[i], before[i]};
	/* Offences without a category are the rest of the totals. */
	double sum_now = 0, sum_before = 0;
	for (size_t i = 0; i < k; i++) {
		sum_now += rows[i].now;
		sum_before += rows[i].before;
	}
	if (total - sum_now > 0.5 || total_before - sum_before > 0.5)
		rows[k++] = (struct category_row){n, total - sum_now, total_before - sum_before};
	qsort(rows, k, sizeof *rows, by_count);

	/* The rows' texts: the categories, the sum of those that do not fit
	 * (measured as if it held them all), the total; or "no offences". */
	char(*text)[4][96] = calloc(k + 2, sizeof *text);
	if (!text) {
		free(now);
		free(before);
		free(rows);
		return err_set(ERR_NOMEM, "print: out of memory");
	}
	double on = 0, ob = 0;
	for (size_t i = 0; i < k; i++) {
		category_texts(
		    j,
		    rows[i].index < n
		        ? storeprint_name(&j->categories, dataset_category(j->ds, rows[i].index))
		        : printjob_text(j, MSG_PAPER_NO_CATEGORY),
		    rows[i].now, rows[i].before, text[i]);
		on += rows[i].now;
		ob += rows[i].before;
	}
	char other[96];
	snprintf(other, sizeof other, printjob_text(j, MSG_PAPER_OTHER), k);
	category_texts(j, k ? other : printjob_text(j, MSG_PAPER_NO_OFFENCES), on, ob, text[k]);
	category_texts(j, printjob_text(j, MSG_PAPER_TOTAL), total, total_before, text[k + 1]);
	if (!k)
		text[k][1][0] = text[k][2][0] = text[k][3][0] = 0;

	double u = j->ts.unit;
	typeset_heading(&j->ts, c, printjob_text(j, MSG_PAPER_BY_CATEGORY));
	struct typeset_table t = {
	    .n = 4, .align = {TYPESET_LEFT, TYPESET_RIGHT, TYPESET_RIGHT, TYPESET_RIGHT}};
	const char *head[4] = {
	    printjob_text(j, MSG_PAPER_CATEGORY), printjob_text(j, MSG_PAPER_THIS),
	    printjob_text(j, MSG_PAPER_PREVIOUS), printjob_text(j, MSG_PAPER_CHANGE)};
	typeset_table_measure(&j->ts, &t, head, &typeset_column);
	for (size_t i = 0; i < k + 2; i++)
		typeset_table_measure(&j->ts, &t, (const char *[4]){CELLS4(text[i])},
		                      i == k + 1 ? &typeset_bold : &typeset_body);
	typeset_table_fit(&j->ts, &t, c->w);
	typeset_row(&j->ts, c, &t, head, &typeset_column);
	typeset_rule(&j->ts, c);
	/* Rows that fit, keeping room for the total, and for the sum of the
	 * rest when they do not all fit. */
	double room = c->bottom - c->y -
	              typeset_row_measure(&j->ts, &t, (const char *[4]){CELLS4(text[k + 1])},
	                                  &typeset_bold),
	       all = 0, used = 0;
	for (size_t i = 0; i < k; i++)
		all += typeset_row_measure(&j->ts, &t, (const char *[4]){CELLS4(text[i])},
		                           &typeset_body);
	size_t shown = 0;
	if (all <= room + 0.01) {
		shown = k;
	} else {
		double rest = typeset_row_measure(&j->ts, &t, (const char *[4]){CELLS4(text[k])},
		                                  &typeset_body);
		for (; shown < k; shown++) {
			double h = typeset_row_measure(
			    &j->ts, &t, (const char *[4]){CELLS4(text[shown])}, &typeset_body);
			if (used + h + rest > room + 0.01)
				break;
			used += h;
		}
	}
	for (size_t i = 0; i < shown; i++)
		typeset_row(&j->ts, c, &t, (const char *[4]){CELLS4(text[i])}, &typeset_body);
	if (shown < k || k == 0) {
		/* The rest summed, or "no offences". */
		double rn = 0, rb = 0;
		for (size_t i = shown; i < k; i++) {
			rn += rows[i].now;
			rb += rows[i].before;
		}
		snprintf(other, sizeof other, printjob_text(j, MSG_PAPER_OTHER), k - shown);
		if (k)
			category_texts(j, other, rn, rb, text[k]);
		if (c->y + typeset_row_measure(&j->ts, &t, (const char *[4]){CELLS4(text[k])},
		                               &typeset_body) <=
		    c->bottom + 0.01)
			typeset_row(&j->ts, c, &t, (const char *[4]){CELLS4(text[k])},
			            &typeset_body);
	}
	if (c->y + typeset_row_height(&j->ts) <= c->bottom + 0.01) {
		typeset_rule(&j->ts, c);
		typeset_row(&j->ts, c, &t, (const char *[4]){CELLS4(text[k + 1])}, &typeset_bold);
	}
	c->y += 6 * u;
	free(text);
	free(now);
	free(before);
	free(rows);
	return 0;
}

void printarea_hotspots(struct printjob *j, const struct printjob_page *p, struct typeset_column *c)
{
	double u = j->ts.unit;
	char within[128];
	if (j->n_hotspots == 0)
		return; /* none asked for: "no hotspots" would deny the heat */
	typeset_heading(&j->ts, c, printjob_text(j, MSG_PAPER_HOTSPOTS));
	if (p->n_hot == 0) {
		typeset_text(&j->ts, &typeset_body, printjob_text(j, MSG_PAPER_NO_HOTSPOTS), c->x,
		             c->y, c->w, 1, TYPESET_LEFT);
		c->y += typeset_row_height(&j->ts);
		return;
	}
	struct typeset_table t = {
	    .n = 4, .align = {TYPESET_RIGHT, TYPESET_LEFT, TYPESET_RIGHT, TYPESET_RIGHT}};
	const char *head[4] = {"№", printjob_text(j, MSG_PAPER_PLACE),
	                       printjob_text(j, MSG_PAPER_OFFENCES),
	                       printjob_text(j, MSG_PAPER_PEAK)};
	char(*text)[4][32] = calloc(p->n_hot, sizeof *text);
	if (!text) /* the heading alone: the hotspots are numbered on the map */
		return;
	typeset_table_measure(&j->ts, &t, head, &typeset_column);
	for (size_t i = 0; i < p->n_hot; i++) {
		snprintf(text[i][0], sizeof text[i][0], "%zu", i + 1);
		typeset_count(p->hot[i].offences, printjob_lang(j), text[i][2], sizeof text[i][2]);
		typeset_value(p->hot[i].density, printjob_lang(j), text[i][3], sizeof text[i][3]);
		typeset_table_measure(
		    &j->ts, &t,
		    (const char *[4]){text[i][0], p->hot[i].place, text[i][2], text[i][3]},
		    &typeset_body);
	}
	typeset_table_fit(&j->ts, &t, c->w);
	typeset_row(&j->ts, c, &t, head, &typeset_column);
	typeset_rule(&j->ts, c);
	double small = typeset_line_height(&j->ts, &typeset_small);
	for (size_t i = 0; i < p->n_hot; i++) {
		const char *cells[4] = {text[i][0], p->hot[i].place, text[i][2], text[i][3]};
		if (c->y + typeset_row_measure(&j->ts, &t, cells, &typeset_body) + small >
		    c->bottom) {
			snprintf(within, sizeof within, printjob_text(j, MSG_PAPER_MORE),
			         p->n_hot - i);
			typeset_row(&j->ts, c, &t, (const char *[4]){"", within, "", ""},
			            &typeset_body);
			break;
		}
		typeset_row(&j->ts, c, &t, cells, &typeset_body);
	}
	free(text);
	snprintf(within, sizeof within, printjob_text(j, MSG_PAPER_WITHIN), j->bandwidth);
	c->y += typeset_text(&j->ts, &typeset_small, within, c->x, c->y + 1 * u, c->w, 2,
	                     TYPESET_LEFT) +
	        2 * u;
}

double printarea_header(struct printjob *j, const struct printjob_page *p, double x, double y,
                        double w)
{
	double u = j->ts.unit;
	char line[512], from[16], to[16], printed[16];
	printjob_date(j, j->from, from, sizeof from);
	printjob_date(j, j->to, to, sizeof to);
	printjob_date(j, j->q->printed_at, printed, sizeof printed);
	double right_w = w * 0.38;
	double h = typeset_text(&j->ts, &typeset_title, printjob_area_name(j, p->area), x, y,
	                        w - right_w - 6 * u, 2, TYPESET_LEFT);
	const struct shapes_area *district = NULL;
	if (p->kind == SHAPES_MAHALLAS && p->area->district_code)
		for (size_t i = 0; i < shapes_count(j->sh, SHAPES_DISTRICTS); i++)
			if (strcmp(shapes_area(j->sh, SHAPES_DISTRICTS, i)->code,
			           p->area->district_code) == 0)
				district = shapes_area(j->sh, SHAPES_DISTRICTS, i);
	if (p->kind == SHAPES_MAHALLAS)
		snprintf(line, sizeof line, "%s%s%s", printjob_text(j, MSG_COVERAGE_MAHALLA),
		         district ? " · " : "", district ? printjob_area_name(j, district) : "");
	else
		snprintf(line, sizeof line, "%s%s%s", printjob_text(j, MSG_PAPER_DISTRICT),
		         j->pages > 1 ? " · " : "",
		         j->pages > 1 ? printjob_text(j, MSG_PAPER_OVERVIEW) : "");
	h += 1 * u + typeset_text(&j->ts, &typeset_sub, line, x, y + h + 1 * u, w - right_w - 6 * u,
	                          1, TYPESET_LEFT);
	if (p->kind == SHAPES_MAHALLAS && p->area->inspector && *p->area->inspector) {
		snprintf(line, sizeof line, "%s: %s", printjob_text(j, MSG_CARD_INSPECTOR),
		         p->area->inspector);
		h += typeset_text(&j->ts, &typeset_sub, line, x, y + h, w - right_w - 6 * u, 1,
		                  TYPESET_LEFT);
	}
	snprintf(line, sizeof line, "%s: %s – %s", printjob_text(j, MSG_PERIOD), from, to);
	double rh =
	    typeset_text(&j->ts, &typeset_sub, line, x + w, y + 2 * u, right_w, 1, TYPESET_RIGHT);
	snprintf(line, sizeof line, "%s: %s", printjob_text(j, MSG_PAPER_PRINTED), printed);
	rh += typeset_text(&j->ts, &typeset_sub, line, x + w, y + 2 * u + rh, right_w, 1,
	                   TYPESET_RIGHT);
	return fmax(h, rh + 2 * u);
}
