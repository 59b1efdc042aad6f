/*
 * params: the numeric parameters that both the HTTP API and the command
 * line read, one row each: the query argument's name, the option's name,
 * the type, the bounds, the default, and the words of a refusal and of
 * --help. The API reads a row with query_param() (query.h), a command
 * makes an option of it with OPT_PARAM() (opts.h), so that a bound is
 * written once and the two cannot drift apart.
 *
 * A default of 0 means that the analysis chooses (the Gi* cell from the
 * district's size, the style's bandwidth); --help says which.
 */
#ifndef POSBON_PARAMS_H
#define POSBON_PARAMS_H

#include "opts.h"

struct param {
	const char *name;    /* the query argument: "train_weeks" */
	const char *option;  /* the command-line option: "train-weeks" */
	enum opt_type type;  /* OPT_LONG or OPT_DOUBLE */
	double min, max;     /* inclusive bounds */
	double def;          /* the value when absent; 0: the analysis chooses */
	const char *metavar; /* "METRES" */
	const char *what;    /* a refusal's words: "'x' is not WHAT from MIN to MAX" */
	const char *help;    /* --help's words */
};

/* An option row (struct opt) of p writing to target (a long for OPT_LONG,
 * else a double), with p's help or the command's own words for it. */
#define OPT_PARAM(p, target)                                                                       \
	{                                                                                          \
		(p).option, (p).type, (target), (p).metavar, (p).help, (p).min, (p).max, 0         \
	}
#define OPT_PARAM_HELP(p, target, words)                                                           \
	{                                                                                          \
		(p).option, (p).type, (target), (p).metavar, (words), (p).min, (p).max, 0          \
	}

/* Gi* (and the trends' and backtests' grids): the cell and distance band. */
extern const struct param param_grid_cell, param_grid_band;
/* Emerging hot spots: the weeks and the significance level. */
extern const struct param param_trends_weeks, param_trends_alpha;
/* A shift's hotspots: the area share, the KDE cell and bandwidth. */
extern const struct param param_hotspot_share, param_hotspot_cell, param_bandwidth;
/* Dosage: the minutes of a full visit and the visits a shift. */
extern const struct param param_dosage_target, param_dosage_visits;
/* Rolling backtests: the weeks of training, test and step, the folds. */
extern const struct param param_backtest_train, param_backtest_test, param_backtest_step,
    param_backtest_folds;
/* Printed pages: scale, resolution, hotspots numbered, a roster's visits. */
extern const struct param param_print_scale, param_print_dpi, param_print_hotspots,
    param_print_visit, param_print_every;

/* The suggested plan: a visit, the interval between visits to a cell, the
 * walking speed (0: travel ignored) and the forecast's cell; the plan
 * checks what depends on the shift. */
extern const struct param param_plan_visit, param_plan_every, param_plan_speed, param_plan_cell;

/* Did it help: the weeks before and after, a point's area. */
extern const struct param param_evaluate_weeks, param_evaluate_radius;

/* The base layer: the size of its names. */
extern const struct param param_label_scale;

/* The rows above, ended by a NULL name (for tests and documentation). */
extern const struct param *const params_all[];

#endif
