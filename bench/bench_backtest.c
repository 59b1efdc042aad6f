/*
 * bench_backtest: time of a year of rolling backtests (backtest_run(): 44
 * folds of 8 training weeks and 1 test week a week apart, 4 methods), as
 * `posbon backtest` and GET /api/backtest compute it (one thread, the data
 * in memory).
 *
 * Opens DB, generating the sample district there first (gis-data/sample.h,
 * --offences N, default 1,000,000, a year ending 2026-06-30) when the file
 * does not exist; loads it with the default style (its heatmap kernel and
 * bandwidth) and runs backtest_run() --runs times (one untimed run first),
 * every hour of every day unless --shift/--weekdays say otherwise. Prints
 * the grid, the mean measures per method and the median, min and max
 * seconds (wall and thread CPU).
 *
 *   build/bench_backtest DB [--offences N] [--runs R] [--folds 44]
 *                           [--shift H-H] [--weekdays DAYS]
 */
#include "backtest.h"
#include "benchutil.h"
#include "err.h"
#include "render.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	const char *db = NULL, *hours = NULL, *days = NULL;
	long offences = 1000000, runs = 5, folds = 44;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (a[0] != '-') {
			db = a;
			continue;
		}
		if (!v) {
			fprintf(stderr, "bench_backtest: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--offences") == 0)
			offences = strtol(v, NULL, 10);
		else if (strcmp(a, "--runs") == 0)
			runs = strtol(v, NULL, 10);
		else if (strcmp(a, "--folds") == 0)
			folds = strtol(v, NULL, 10);
		else if (strcmp(a, "--shift") == 0)
			hours = v;
		else if (strcmp(a, "--weekdays") == 0)
			days = v;
		else {
			fprintf(stderr, "bench_backtest: unknown option %s\n", a);
			return 2;
		}
	}
	if (!db || runs < 1 || runs > 100) {
		fprintf(stderr,
		        "usage: bench_backtest DB [--offences N] [--runs 1..100] [--folds N] "
		        "[--shift H-H] [--weekdays DAYS]\n");
		return 2;
	}
	store *st = NULL;
	renderer *r = NULL;
	struct shift sh;
	struct backtest b = {0};
	double *wall = calloc((size_t)runs, sizeof *wall), *cpu = calloc((size_t)runs, sizeof *cpu);
	int rc = wall && cpu ? 0 : ERR_NOMEM;
	if (rc == 0 && (rc = shift_parse(hours, days, &sh)) == 0)
		rc = bench_open(db, offences, "styles/default.json", &st, &r);
	if (rc < 0)
		goto out;
	const dataset *ds = renderer_dataset(r);
	const struct style_heatmap *hm = style_heatmap(renderer_style(r));
	struct backtest_params p = {.shift = hours || days ? &sh : NULL,
	                            .train_weeks = 8,
	                            .test_weeks = 1,
	                            .step_weeks = 1,
	                            .folds = (int)folds,
	                            .end = STORE_NO_TIME,
	                            .kernel = hm ? hm->kernel : KDE_QUARTIC,
	                            .bandwidth = hm ? hm->bandwidth : 200};
	dataset_filter_all(&p.filter);
	struct held_shapes *held;
	const shapes *areas = renderer_shapes_acquire(r, &held);
	for (long i = -1; i < runs && rc == 0; i++) {
		backtest_free(&b);
		double w0 = bench_clock_ms(CLOCK_MONOTONIC) / 1e3,
		       c0 = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID) / 1e3;
		rc = backtest_run(ds, areas, &p, &b);
		if (i >= 0) {
			wall[i] = bench_clock_ms(CLOCK_MONOTONIC) / 1e3 - w0;
			cpu[i] = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID) / 1e3 - c0;
		}
	}
	renderer_shapes_release(r, held);
	if (rc < 0)
		goto out;
	size_t offences_tested = 0;
	for (size_t k = 0; k < b.n_folds; k++)
		offences_tested += b.folds[k].test_offences;
	printf("offences held %zu; %zu folds, %zu test offences in all; grid %dx%d cells of %g m "
	       "(%zu in the district), Gi* band %g m, %zu zones in play\n",
	       dataset_count(ds), b.n_folds, offences_tested, b.width, b.height, b.cell, b.cells,
	       b.band, b.zones);
	for (int m = 0; m < BACKTEST_METHODS; m++)
		printf("  %-7s hit rate %.3f (sd %.3f)  PAI %.2f (%.2f)  RRI %.2f (%.2f)  PEI %.3f "
		       "(%.3f)\n",
		       backtest_method_name(m), b.mean[m].hit_rate, b.sd[m].hit_rate, b.mean[m].pai,
		       b.sd[m].pai, b.mean[m].rri, b.sd[m].rri, b.mean[m].pei, b.sd[m].pei);
	double w_sorted[100], c_sorted[100];
	memcpy(w_sorted, wall, (size_t)runs * sizeof *wall);
	memcpy(c_sorted, cpu, (size_t)runs * sizeof *cpu);
	qsort(w_sorted, (size_t)runs, sizeof *w_sorted, bench_cmp_double);
	qsort(c_sorted, (size_t)runs, sizeof *c_sorted, bench_cmp_double);
	printf(
	    "backtest_run over %ld runs: median %.2f s (min %.2f, max %.2f), median CPU %.2f s\n",
	    runs, w_sorted[runs / 2], w_sorted[0], w_sorted[runs - 1], c_sorted[runs / 2]);
out:
	if (rc < 0)
		fprintf(stderr, "bench_backtest: %s\n", err_msg());
	backtest_free(&b);
	renderer_free(r);
	store_close(st);
	free(wall);
	free(cpu);
	return rc < 0 ? 1 : 0;
}
