/*
 * chart: the hit-rate curves of a backtest (backtest.h) as a chart, share
 * of the test period's offences against share of the district's area,
 * one line per method over the diagonal of cells taken at random, with
 * axes, a title and a legend in Uzbek, Russian or English.
 *
 * chart_draw() paints on any Cairo context (the print module's page);
 * chart_render() makes a PNG or SVG in memory for the viewer and the
 * command line.
 *
 * Threading: re-entrant; a cairo_t belongs to one thread.
 */
#ifndef POSBON_CHART_H
#define POSBON_CHART_H

#include "backtest.h"

#include <cairo.h>
#include <stddef.h>

enum chart_format { CHART_PNG, CHART_SVG };

/* The line colour of each method (0..1 RGB), by enum backtest_method:
 * kde #e41a1c, gistar #377eb8, counts #4daf4a, zones #984ea3. */
extern const double chart_colour[BACKTEST_METHODS][3];

/* Whether lang is one of "uz", "ru", "en". */
int chart_lang_known(const char *lang);

/* The name of method m in lang as the chart's legend gives it ("KDE
 * hotspots"); anything but "uz" or "ru" is English. Static text. */
const char *chart_method_label(enum backtest_method m, const char *lang);

/* Draws the curves of b into the box (x, y, w, h) of cr, in user units,
 * with labels in lang ("uz", "ru", "en"; anything else: English). */
void chart_draw(cairo_t *cr, double x, double y, double w, double h, const struct backtest *b,
                const char *lang);

/* The chart as a PNG (w x h pixels) or an SVG (w x h points). *out is a
 * new buffer of *len bytes; free(). ERR_INVALID for a size outside 200 ..
 * 4000, ERR_NOMEM, ERR_IO when Cairo fails. */
int chart_render(const struct backtest *b, const char *lang, enum chart_format f, int w, int h,
                 unsigned char **out, size_t *len);

#endif
