/*
 * btpage: layout of the hotspot-methods page body. Sizes are for A4 and
 * grow with t->unit, as everywhere in print.
 */
#include "btpage.h"

#include "chart.h"
#include "msg.h"

#include <math.h>
#include <stdio.h>

static const char *text(const char *lang, enum msg m)
{
	return msg_text(m, msg_lang_of(lang));
}

int btpage_best(const struct backtest *b)
{
	int best = -1;
	for (int m = 0; m < BACKTEST_METHODS; m++)
		if (!isnan(b->mean[m].pai) && (best < 0 || b->mean[m].pai > b->mean[best].pai))
			best = m;
	return best;
}

/* "mean ± sd" with digits decimals, times k; "–" without a mean, the mean
 * alone without a spread (a single fold). */
static void mean_sd(double mean, double sd, double k, int digits, const char *lang, char *out,
                    size_t n)
{
	char a[32], b[32];
	typeset_decimal(k * mean, digits, msg_lang_of(lang), a, sizeof a);
	typeset_decimal(k * sd, digits, msg_lang_of(lang), b, sizeof b);
	if (isnan(mean))
		snprintf(out, n, "–");
	else if (isnan(sd))
		snprintf(out, n, "%s", a);
	else
		snprintf(out, n, "%s ± %s", a, b);
}

static size_t folds_scored(const struct backtest *b, int m)
{
	size_t n = 0;
	for (size_t f = 0; f < b->n_folds; f++)
		n += !isnan(b->folds[f].m[m].pai);
	return n;
}

static void table(const struct typeset *t, struct typeset_column *c, const struct backtest *b,
                  const char *lang)
{
	static const double widths[7] = {0.28, 0.09, 0.15, 0.13, 0.12, 0.12, 0.11};
	struct typeset_table tb = {.n = 7};
	for (int i = 0; i < 7; i++) {
		tb.x[i] = i ? tb.x[i - 1] + tb.w[i - 1] : 0;
		tb.w[i] = widths[i] * c->w;
		tb.align[i] = i ? TYPESET_RIGHT : TYPESET_LEFT;
	}
	const char *head[7] = {text(lang, MSG_BACKTEST_METHOD),
	                       text(lang, MSG_BTPAGE_AREA),
	                       text(lang, MSG_BTPAGE_HIT),
	                       "PAI",
	                       "RRI",
	                       "PEI",
	                       text(lang, MSG_BACKTEST_FOLDS_SCORED)};
	typeset_heading(t, c, text(lang, MSG_BTPAGE_TABLE));
	typeset_row(t, c, &tb, head, &typeset_column);
	typeset_rule(t, c);
	for (int m = 0; m < BACKTEST_METHODS; m++) {
		const struct backtest_measure *a = &b->mean[m], *s = &b->sd[m];
		char area[32], hit[72], pai[72], rri[72], pei[72], folds[32];
		typeset_decimal(b->cells ? 100 * a->cells / (double)b->cells : 0, 1,
		                msg_lang_of(lang), area, sizeof area);
		mean_sd(a->hit_rate, s->hit_rate, 100, 1, lang, hit, sizeof hit);
		mean_sd(a->pai, s->pai, 1, 1, lang, pai, sizeof pai);
		mean_sd(a->rri, s->rri, 1, 2, lang, rri, sizeof rri);
		mean_sd(a->pei, s->pei, 1, 2, lang, pei, sizeof pei);
		snprintf(folds, sizeof folds, "%zu", folds_scored(b, m));
		const char *cells[7] = {
		    chart_method_label(m, lang), area, hit, pai, rri, pei, folds};
		/* The method's colour ties the row to its curve. */
		cairo_set_source_rgb(t->cr, chart_colour[m][0], chart_colour[m][1],
		                     chart_colour[m][2]);
		cairo_rectangle(t->cr, c->x - 4 * t->unit, c->y + 2 * t->unit, 2.5 * t->unit,
		                typeset_row_height(t) - 4 * t->unit);
		cairo_fill(t->cr);
		typeset_row(t, c, &tb, cells, &typeset_body);
	}
	c->y += 2 * t->unit;
	c->y += typeset_text(t, &typeset_small, text(lang, MSG_BTPAGE_MEANING), c->x, c->y, c->w, 4,
	                     TYPESET_LEFT) +
	        6 * t->unit;
}

static void reading(const struct typeset *t, struct typeset_column *c, const struct backtest *b,
                    const char *lang)
{
	char line[512];
	int m = btpage_best(b);
	if (m < 0)
		snprintf(line, sizeof line, "%s", text(lang, MSG_BTPAGE_NONE));
	else {
		char pai[48], hit[48], area[48];
		enum msg_lang l = msg_lang_of(lang);
		typeset_decimal(b->mean[m].pai, 1, l, pai, sizeof pai);
		typeset_decimal(100 * b->mean[m].hit_rate, 0, l, hit, sizeof hit);
		typeset_decimal(b->cells ? 100 * b->mean[m].cells / (double)b->cells : 0, 1, l,
		                area, sizeof area);
		snprintf(line, sizeof line, text(lang, MSG_BTPAGE_BEST),
		         chart_method_label(m, lang), pai, hit, area);
	}
	c->y += typeset_text(t, &typeset_bold, line, c->x, c->y, c->w, 3, TYPESET_LEFT);
}

void btpage_draw(const struct typeset *t, double x, double y, double w, double h, int landscape,
                 const struct backtest *b, const char *lang)
{
	double u = t->unit, gap = 8 * u, bottom = y + h;
	char line[512], cells[32];
	typeset_count((double)b->cells, msg_lang_of(lang), cells, sizeof cells);
	snprintf(line, sizeof line, text(lang, MSG_BTPAGE_FOLDS), b->n_folds, b->params.train_weeks,
	         b->params.test_weeks, b->params.step_weeks, b->cell, cells, b->zones);
	y += typeset_text(t, &typeset_sub, line, x, y, w, 2, TYPESET_LEFT) + gap;
	struct typeset_column c;
	if (landscape) {
		double ch = bottom - y, cw = fmin(w * 0.55, ch / 0.72);
		ch = fmin(ch, cw * 0.8);
		chart_draw(t->cr, x, y, cw, ch, b, lang);
		c = (struct typeset_column){x + cw + gap, y, w - cw - gap, bottom};
	} else {
		double ch = fmin(w * 0.72, (bottom - y) * 0.6);
		chart_draw(t->cr, x, y, w, ch, b, lang);
		c = (struct typeset_column){x, y + ch + gap, w, bottom};
	}
	table(t, &c, b, lang);
	reading(t, &c, b, lang);
}
