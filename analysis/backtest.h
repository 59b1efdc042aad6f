/*
 * backtest: how well each way of choosing hotspots in a training period
 * would have predicted the offences of the following test period, over
 * rolling folds (docs/analysis.md, "Backtests").
 *
 * Every method marks cells of one grid, Gi*'s (gistar.h: square cells in
 * metres in the district's UTM zone, the district's cells analysed), so
 * all methods are scored on the same area units:
 *  - kde: the cells whose centre lies in a KDE hotspot (hotspot.h) of the
 *    training period at the 3% area threshold;
 *  - gistar: the Gi* hot cells at 95% (bin >= 2) of the training counts;
 *  - counts: the training period's busiest cells, up to 3% of the cells
 *    (cells without an offence never; equal counts by cell order);
 *  - zones: the cells whose centre lies in a patrol zone in play on the
 *    shift (coverage.h), the same for every fold.
 * Per fold and method: hit rate n/N, PAI = (n/N)/(a/A), RRI =
 * PAI(test)/PAI(train) on the same cells, PEI = n / n* with n* the test
 * offences of the a busiest test cells (the best any a cells could do).
 * A measure that divides by zero is NAN (JSON null) and left out of the
 * mean and standard deviation (sample, divisor k - 1) over the folds.
 *
 * Time: offences count by the middle of their span (dataset.h) and, with a
 * shift, by shift_match(). Fold f (0 = oldest) tests the test_weeks weeks
 * ending (step_weeks * (folds - 1 - f)) weeks before the end, and trains on
 * the train_weeks weeks before its test period; periods are half-open.
 *
 * Ownership: a backtest owns its arrays; free with backtest_free().
 * Threading: backtest_run() only reads the dataset and shapes (both may be
 * shared) and opens its own PROJ context.
 */
#ifndef POSBON_BACKTEST_H
#define POSBON_BACKTEST_H

#include "dataset.h"
#include "kde.h"
#include "shapes.h"
#include "shift.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define BACKTEST_MAX_FOLDS 520 /* ten years of weekly folds */
#define BACKTEST_MAX_WEEKS 104 /* a training or test period */
#define BACKTEST_CURVE_MAX 201 /* points per hit-rate curve */

enum backtest_method {
	BACKTEST_KDE,
	BACKTEST_GISTAR,
	BACKTEST_COUNTS,
	BACKTEST_ZONES,
	BACKTEST_METHODS
};

/* The measures of one method on one fold (or their mean or deviation). */
struct backtest_measure {
	double hit_rate, pai, rri, pei;
	double cells;    /* a: cells marked */
	double offences; /* n: test offences in them */
};

/* Scores the cells marked by chosen against the counts per cell of the
 * training and test periods, over the n_cells cells with mask set (mask
 * NULL: all). ERR_NOMEM. */
int backtest_measure(const double *train, const double *test, const unsigned char *mask,
                     const unsigned char *chosen, size_t n_cells, struct backtest_measure *out);

/* The hit-rate curve of a ranking: the masked cells taken by score, highest
 * first, as (area share, offence share of test) points from (0, 0) to
 * (1, 1). Cells of equal score have no order among them, so they are taken
 * together (the expected curve of taking them at random is the straight
 * line across their group); -INFINITY marks cells a method does not rank.
 * At most BACKTEST_CURVE_MAX points: a point is kept when the area has
 * grown by 1/(BACKTEST_CURVE_MAX - 1) since the last kept one. *xy is new
 * (2 *n doubles); free(). ERR_INVALID without a masked cell, ERR_NOMEM. */
int backtest_curve(const double *score, const double *test, const unsigned char *mask,
                   size_t n_cells, double **xy, size_t *n);

struct backtest_params {
	struct dataset_filter filter; /* categories and services; its period is ignored */
	const struct shift *shift;    /* NULL: every hour of every day */
	int train_weeks, test_weeks, step_weeks, folds;
	int64_t end;         /* UTC seconds, exclusive end of the last test; STORE_NO_TIME:
	                        just after the latest offence */
	double cell;         /* grid cell in metres; 0: Gi*'s rule */
	double share;        /* KDE and counts area share; 0: HOTSPOT_DEFAULT_SHARE */
	double hotspot_cell; /* KDE grid in metres; 0: HOTSPOT_DEFAULT_CELL */
	enum kde_kernel kernel;
	double bandwidth; /* KDE metres, > 0 */
	const char *date; /* zone validity "YYYY-MM-DD"; NULL: any */
};

struct backtest_fold {
	int64_t train_from, test_from, test_to; /* UTC seconds, test_to exclusive */
	double train_offences, test_offences;   /* in the district's cells */
	struct backtest_measure m[BACKTEST_METHODS];
};

struct backtest {
	struct backtest_params params; /* as used (shift and date not kept) */
	int has_shift;
	struct shift shift;
	int epsg, width, height;
	double cell, band; /* metres; band: Gi*'s, chosen once over the whole span */
	size_t cells;      /* A: the district's cells */
	size_t zones;      /* zones in play */
	struct backtest_fold *folds;
	size_t n_folds;
	struct backtest_measure mean[BACKTEST_METHODS], sd[BACKTEST_METHODS];
	double *curve[BACKTEST_METHODS]; /* of the last fold: (area, offences) pairs */
	size_t curve_n[BACKTEST_METHODS];
};

/* The parameters as text, from a command line or a query string; NULL or
 * "" is the default. */
struct backtest_text {
	const char *shift, *weekdays; /* shift_parse() */
	const char *end; /* local day "YYYY-MM-DD": the last test period ends with it */
	const char *categories, *services;
};

/* Reads t into p's filter, end and shift (*shift holds it, p->shift points
 * there when a shift or weekdays are given); p's other fields are left
 * alone. ERR_INVALID naming the field ("shift: ...", "end: ...",
 * "categories: ..."). */
int backtest_params_text(const dataset *ds, const struct backtest_text *t,
                         struct backtest_params *p, struct shift *shift);

/* Runs the rolling backtest into *out (overwritten; free with
 * backtest_free() on success). sh: the district's polygons and zones in Web
 * Mercator (the renderer's). ERR_INVALID naming the parameter
 * ("train_weeks: ...", "folds: ... reach back before the first offence",
 * "period: fold 3's test period ... holds no offence"), ERR_PROJ,
 * ERR_GEOMETRY, ERR_NOMEM. */
int backtest_run(const dataset *ds, const shapes *sh, const struct backtest_params *p,
                 struct backtest *out);

/* Frees what b points to; accepts a zeroed backtest. */
void backtest_free(struct backtest *b);

/* "kde", "gistar", "counts", "zones". */
const char *backtest_method_name(enum backtest_method m);

/* The backtest as JSON (docs/api.md, GET /api/backtest): {grid, folds:
 * [{train_from, test_from, test_to, train_offences, test_offences}],
 * methods: [{name, mean, sd, per_fold}], curve: {name: [[area, offences],
 * ...]}}. *out is a new reference. ERR_NOMEM. */
int backtest_json(const struct backtest *b, json_t **out);

#endif
