/*
 * btpage: the body of the printed "hotspot methods" page (print.h): a
 * rolling backtest (backtest.h) as the reader of a briefing needs it. A
 * line on the folds and the grid, the hit-rate curves drawn by chart_draw()
 * (vector on a PDF), a table of each method's mean ± spread of hit rate,
 * PAI, RRI and PEI over the folds with the folds that scored it, what the
 * measures mean, and a reading line naming the method that captured the
 * most offences per area (the highest mean PAI).
 *
 * The page's frame (title, district, period, footer) is printbacktest.c's; this
 * module fills the box it leaves.
 *
 * Threading: as typeset.h: one page on one thread; the backtest is only
 * read.
 */
#ifndef POSBON_BTPAGE_H
#define POSBON_BTPAGE_H

#include "backtest.h"
#include "typeset.h"

/* Draws b into the box (x, y, w, h) of t's page in points: the chart above
 * the table on a portrait box (landscape 0), beside it on a landscape one.
 * Texts in lang ("uz", "ru", "en"; anything else: English). */
void btpage_draw(const struct typeset *t, double x, double y, double w, double h, int landscape,
                 const struct backtest *b, const char *lang);

/* The method with the highest mean PAI, or -1 when no method marked a
 * cell in any fold. */
int btpage_best(const struct backtest *b);

#endif
