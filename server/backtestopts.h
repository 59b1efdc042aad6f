/*
 * backtestopts: the command-line options of a rolling backtest (the folds'
 * weeks, their number, the end, the grid cell and the hotspot share), with
 * their defaults, shared by the commands that run one (backtest, print
 * --backtest), so that they read them alike. The shift, weekdays,
 * categories, services and zones' date are options each command already
 * has; it points o->text at them.
 *
 * Ownership: the strings point into argv.
 */
#ifndef POSBON_BACKTESTOPTS_H
#define POSBON_BACKTESTOPTS_H

#include "backtest.h"
#include "opts.h"
#include "params.h"
#include "render.h"

struct backtestopts {
	long train, test, step, folds;
	double cell, share;
	struct backtest_text text;
};

/* The defaults (params.h): 8 weeks of training, 1 of test, a step of 1,
 * 44 folds. */
void backtestopts_defaults(struct backtestopts *o);

/* The rows of an option table (struct opt) for o's own fields. */
/* clang-format off */
#define BACKTESTOPTS_TABLE(o)                                                                  \
	OPT_PARAM(param_backtest_train, &(o)->train),                                           \
	OPT_PARAM(param_backtest_test, &(o)->test),                                             \
	OPT_PARAM(param_backtest_step, &(o)->step),                                             \
	OPT_PARAM(param_backtest_folds, &(o)->folds),                                           \
	{"end", OPT_STRING, &(o)->text.end, "DATE", "last day tested (the latest offence's)",   \
	 0, 0, 0},                                                                              \
	OPT_PARAM_HELP(param_grid_cell, &(o)->cell, "grid cell (as gistar chooses it)"),        \
	OPT_PARAM_HELP(param_hotspot_share, &(o)->share,                                        \
	               "area share of KDE hotspots and counts (0.03)")
/* clang-format on */

/* Runs the backtest o asks for on r's data, with the zones valid on date
 * (NULL: any), into *out (free with backtest_free() on success); the KDE
 * kernel and bandwidth are the style's. ERR_INVALID naming the field. */
int backtestopts_run(const struct backtestopts *o, renderer *r, const char *date,
                     struct backtest *out);

#endif
