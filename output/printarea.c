/*
 * printarea: the tables cut their cells to the column with an ellipsis and
 * sum up the rows that do not fit in a last row.
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

	double u = j->ts.unit;
	typeset_heading(&j->ts, c, printjob_text(j, MSG_PAPER_BY_CATEGORY));
	struct typeset_table t = {
	    4, {0}, {0}, {TYPESET_LEFT, TYPESET_RIGHT, TYPESET_RIGHT, TYPESET_RIGHT}};
	double num_w = 36 * u;
	t.w[0] = c->w - 3 * num_w;
	for (int i = 1; i < 4; i++) {
		t.x[i] = t.w[0] + (i - 1) * num_w;
		t.w[i] = num_w;
	}
	const char *head[4] = {
	    printjob_text(j, MSG_PAPER_CATEGORY), printjob_text(j, MSG_PAPER_THIS),
	    printjob_text(j, MSG_PAPER_PREVIOUS), printjob_text(j, MSG_PAPER_CHANGE)};
	typeset_row(&j->ts, c, &t, head, &typeset_column);
	typeset_rule(&j->ts, c);
	double rh = typeset_row_height(&j->ts);
	/* Rows that fit, keeping one for the total; the rest are summed. */
	size_t fit = (size_t)fmax(0, floor((c->bottom - c->y) / rh) - 1);
	size_t shown = k <= fit ? k : (fit > 0 ? fit - 1 : 0);
	char a[32], b[32], d[32], other[96];
	if (k == 0 && fit > 0) {
		const char *cells[4] = {printjob_text(j, MSG_PAPER_NO_OFFENCES), "", "", ""};
		typeset_row(&j->ts, c, &t, cells, &typeset_body);
	}
	for (size_t i = 0; i < shown; i++) {
		const char *name =
		    rows[i].index < n
		        ? storeprint_name(&j->categories, dataset_category(j->ds, rows[i].index))
		        : printjob_text(j, MSG_PAPER_NO_CATEGORY);
		typeset_count(rows[i].now, printjob_lang(j), a, sizeof a);
		typeset_count(rows[i].before, printjob_lang(j), b, sizeof b);
		format_change(rows[i].now, rows[i].before, printjob_lang(j), d, sizeof d);
		const char *cells[4] = {name, a, b, d};
		typeset_row(&j->ts, c, &t, cells, &typeset_body);
	}
	if (shown < k && fit > 0) {
		double on = 0, ob = 0;
		for (size_t i = shown; i < k; i++) {
			on += rows[i].now;
			ob += rows[i].before;
		}
		snprintf(other, sizeof other, printjob_text(j, MSG_PAPER_OTHER), k - shown);
		typeset_count(on, printjob_lang(j), a, sizeof a);
		typeset_count(ob, printjob_lang(j), b, sizeof b);
		format_change(on, ob, printjob_lang(j), d, sizeof d);
		const char *cells[4] = {other, a, b, d};
		typeset_row(&j->ts, c, &t, cells, &typeset_body);
	}
	if (c->y + rh <= c->bottom + 0.01) {
		typeset_rule(&j->ts, c);
		typeset_count(total, printjob_lang(j), a, sizeof a);
		typeset_count(total_before, printjob_lang(j), b, sizeof b);
		format_change(total, total_before, printjob_lang(j), d, sizeof d);
		const char *cells[4] = {printjob_text(j, MSG_PAPER_TOTAL), a, b, d};
		typeset_row(&j->ts, c, &t, cells, &typeset_bold);
	}
	c->y += 6 * u;
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
	    4, {0}, {0}, {TYPESET_RIGHT, TYPESET_LEFT, TYPESET_RIGHT, TYPESET_RIGHT}};
	double num_w = 36 * u;
	t.w[0] = 10 * u;
	t.x[1] = 14 * u;
	t.w[1] = c->w - t.x[1] - 2 * num_w;
	t.x[2] = c->w - 2 * num_w;
	t.w[2] = num_w;
	t.x[3] = c->w - num_w;
	t.w[3] = num_w;
	const char *head[4] = {"№", printjob_text(j, MSG_PAPER_PLACE),
	                       printjob_text(j, MSG_PAPER_OFFENCES),
	                       printjob_text(j, MSG_PAPER_PEAK)};
	typeset_row(&j->ts, c, &t, head, &typeset_column);
	typeset_rule(&j->ts, c);
	double rh = typeset_row_height(&j->ts), small = typeset_line_height(&j->ts, &typeset_small);
	for (size_t i = 0; i < p->n_hot; i++) {
		if (c->y + rh + small > c->bottom) {
			snprintf(within, sizeof within, printjob_text(j, MSG_PAPER_MORE),
			         p->n_hot - i);
			const char *cells[4] = {"", within, "", ""};
			typeset_row(&j->ts, c, &t, cells, &typeset_body);
			break;
		}
		char num[24], count[32], peak[32];
		snprintf(num, sizeof num, "%zu", i + 1);
		typeset_count(p->hot[i].offences, printjob_lang(j), count, sizeof count);
		typeset_value(p->hot[i].density, printjob_lang(j), peak, sizeof peak);
		const char *cells[4] = {num, p->hot[i].place, count, peak};
		typeset_row(&j->ts, c, &t, cells, &typeset_body);
	}
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
