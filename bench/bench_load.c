/*
 * bench_load: time of loading a district from its store, as a server does
 * when it starts: dataset_load() (every offence into memory) and
 * shapes_load() (areas, zones and tracks projected), each on a store opened
 * for it, one thread.
 *
 * Opens DB, generating the sample district there first (gis-data/sample.h,
 * --offences N, default 1,000,000) when the file does not exist, and loads
 * it --runs times (one untimed run first). Prints the offences held and the
 * median, min and max thread CPU milliseconds of each load.
 *
 *   build/bench_load DB [--offences N] [--runs R]
 */
#include "benchutil.h"
#include "dataset.h"
#include "err.h"
#include "shapes.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Loads once; *ms receives the thread CPU time of the load alone. */
static int load_once(const char *db, int which, double *ms, size_t *held)
{
	store *st = NULL;
	int rc = store_open(db, STORE_READONLY, &st);
	if (rc < 0)
		return rc;
	double t0 = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID);
	if (which == 0) {
		dataset *ds = NULL;
		if ((rc = dataset_load(st, NULL, &ds)) == 0)
			*held = dataset_count(ds);
		*ms = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID) - t0;
		dataset_free(ds);
	} else {
		shapes *sh = NULL;
		rc = shapes_load(st, NULL, &sh);
		*ms = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID) - t0;
		shapes_free(sh);
	}
	store_close(st);
	return rc;
}

int main(int argc, char **argv)
{
	const char *db = NULL;
	long offences = 1000000, runs = 9;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (a[0] != '-') {
			db = a;
			continue;
		}
		if (!v || (strcmp(a, "--offences") && strcmp(a, "--runs"))) {
			fprintf(stderr, "bench_load: %s: unknown option or no value\n", a);
			return 2;
		}
		i++;
		*(strcmp(a, "--runs") ? &offences : &runs) = strtol(v, NULL, 10);
	}
	if (!db || runs < 1 || runs > 1000) {
		fprintf(stderr, "usage: bench_load DB [--offences N] [--runs 1..1000]\n");
		return 2;
	}
	int rc = 0;
	if (access(db, F_OK) != 0) {
		store *fresh = NULL;
		rc = bench_sample(db, offences, &fresh);
		store_close(fresh);
	}
	double *ms = calloc(2 * (size_t)runs, sizeof *ms);
	size_t held = 0;
	if (!ms)
		rc = ERR_NOMEM;
	/* The loads take turns, so that a busy machine slows both alike. */
	for (long i = -1; i < runs && rc == 0; i++)
		for (int which = 0; which < 2 && rc == 0; which++) {
			double t = 0;
			rc = load_once(db, which, &t, &held);
			if (i >= 0)
				ms[which * runs + i] = t;
		}
	if (rc < 0) {
		fprintf(stderr, "bench_load: %s\n", err_msg());
		free(ms);
		return 1;
	}
	printf("offences held %zu; %ld runs, thread CPU ms\n", held, runs);
	for (int which = 0; which < 2; which++) {
		double *v = ms + which * runs;
		qsort(v, (size_t)runs, sizeof *v, bench_cmp_double);
		printf("%-12s median %.1f (min %.1f, max %.1f)\n",
		       which ? "shapes_load" : "dataset_load", v[runs / 2], v[0], v[runs - 1]);
	}
	free(ms);
	return 0;
}
