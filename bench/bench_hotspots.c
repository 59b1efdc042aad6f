/*
 * bench_hotspots: time of hotspot_find() for a shift, as `posbon hotspots`
 * and GET /api/hotspots compute it (one thread, the data in memory).
 *
 * Opens DB, generating the sample district there first (gis-data/sample.h,
 * --offences N, default 1,000,000, a year ending 2026-06-30) when the file
 * does not exist; loads it into a renderer with the default style (its
 * heatmap kernel and bandwidth), takes the default training period (the 8
 * weeks ending at the latest offence), and runs hotspot_find() --runs times
 * (one untimed run first). Prints the offences in the period and shift, the
 * grid, the hotspots, and the median, min and max milliseconds (wall and
 * thread CPU).
 *
 *   build/bench_hotspots DB [--offences N] [--runs R] [--shift 18:00-02:00]
 *                           [--weekdays fri-sun] [--share 0.03] [--cell 25]
 *                           [--style styles/default.json]
 */
#include "benchutil.h"
#include "err.h"
#include "hotspot.h"
#include "render.h"
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Sorts v and returns its median. */
static double median(double *v, long n)
{
	qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	const char *db = NULL, *hours = "18:00-02:00", *days = "fri-sun";
	const char *style_path = "styles/default.json";
	long offences = 1000000, runs = 15;
	double share = 0, cell = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (a[0] != '-') {
			db = a;
			continue;
		}
		if (!v) {
			fprintf(stderr, "bench_hotspots: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--offences") == 0)
			offences = strtol(v, NULL, 10);
		else if (strcmp(a, "--runs") == 0)
			runs = strtol(v, NULL, 10);
		else if (strcmp(a, "--shift") == 0)
			hours = v;
		else if (strcmp(a, "--weekdays") == 0)
			days = v;
		else if (strcmp(a, "--share") == 0)
			share = strtod(v, NULL);
		else if (strcmp(a, "--cell") == 0)
			cell = strtod(v, NULL);
		else if (strcmp(a, "--style") == 0)
			style_path = v;
		else {
			fprintf(stderr, "bench_hotspots: unknown option %s\n", a);
			return 2;
		}
	}
	if (!db || runs < 1 || runs > 1000) {
		fprintf(stderr,
		        "usage: bench_hotspots DB [--offences N] [--runs 1..1000] "
		        "[--shift H-H] [--weekdays DAYS] [--share S] [--cell M] [--style FILE]\n");
		return 2;
	}
	store *st = NULL;
	renderer *r = NULL;
	struct shift sh;
	struct hotspot_set set = {0};
	double *wall = calloc((size_t)runs, sizeof *wall), *cpu = calloc((size_t)runs, sizeof *cpu);
	int rc = wall && cpu ? 0 : ERR_NOMEM;
	if (rc == 0 && (rc = shift_parse(hours, days, &sh)) == 0)
		rc = bench_open(db, offences, style_path, &st, &r);
	if (rc < 0)
		goto out;
	const dataset *ds = renderer_dataset(r);
	const struct style_heatmap *hm = style_heatmap(renderer_style(r));
	struct hotspot_params p = {.shift = &sh,
	                           .share = share,
	                           .cell = cell,
	                           .kernel = hm ? hm->kernel : KDE_QUARTIC,
	                           .bandwidth = hm ? hm->bandwidth : 200};
	dataset_filter_all(&p.filter);
	hotspot_default_period(ds, &p.filter);
	struct held_shapes *held;
	const shapes *areas = renderer_shapes_acquire(r, &held);
	for (long i = -1; i < runs && rc == 0; i++) {
		hotspot_set_free(&set);
		double w0 = bench_clock_ms(CLOCK_MONOTONIC),
		       c0 = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID);
		rc = hotspot_find(ds, areas, &p, &set);
		if (i >= 0) {
			wall[i] = bench_clock_ms(CLOCK_MONOTONIC) - w0;
			cpu[i] = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
		}
	}
	renderer_shapes_release(r, held);
	if (rc < 0)
		goto out;
	double wall_median = median(wall, runs), cpu_median = median(cpu, runs);
	char shift_text[64];
	shift_format(&sh, shift_text, sizeof shift_text);
	printf("offences held %zu; shift %s over 8 weeks: %.1f offences; grid %dx%d cells of %g m; "
	       "bandwidth %g m\n",
	       dataset_count(ds), shift_text, set.offences, set.width, set.height, set.cell,
	       set.bandwidth);
	printf("hotspots %zu, threshold %.1f per km2, area %.0f of %.0f m2\n", set.n, set.threshold,
	       set.hotspot_area_m2, set.district_area_m2);
	printf("hotspot_find over %ld runs: median %.1f ms (min %.1f, max %.1f), median CPU %.1f "
	       "ms\n",
	       runs, wall_median, wall[0], wall[runs - 1], cpu_median);
out:
	if (rc < 0)
		fprintf(stderr, "bench_hotspots: %s\n", err_msg());
	hotspot_set_free(&set);
	renderer_free(r);
	store_close(st);
	free(wall);
	free(cpu);
	return rc < 0 ? 1 : 0;
}
