/*
 * bench_gistar: time of Gi* (gistar_zscores) and of the p-values and bins
 * (gistar_classify, plain and with the False Discovery Rate) on a square
 * grid of counts, one thread.
 *
 * The counts are synthetic and seeded: 2 million offences, 70% around 300
 * cluster centres (normal, sigma 5 cells) and 30% anywhere, counted on a
 * --size x --size grid (default 2,000: 4 million cells). The band is in
 * cells (default sqrt(2): the 8 touching cells and the cell itself, what
 * spdep's cell2nb(type = "queen") gives R). --write FILE stores the counts
 * and the z-scores (2 x cells doubles, row-major, little-endian) for R's
 * localG on the same grid (bench/run.sh, section gistar).
 *
 *   build/bench_gistar [--size N] [--band CELLS] [--runs R] [--write FILE]
 */
#include "benchutil.h"
#include "err.h"
#include "gistar.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OFFENCES 2000000
#define CLUSTERS 300

/* xorshift64*: a uniform in [0, 1). */
static double uniform(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (double)((*s * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static void synthetic_counts(double *x, int size)
{
	uint64_t s = 20260630;
	double cx[CLUSTERS], cy[CLUSTERS];
	for (int k = 0; k < CLUSTERS; k++) {
		cx[k] = uniform(&s) * size;
		cy[k] = uniform(&s) * size;
	}
	memset(x, 0, (size_t)size * size * sizeof *x);
	for (long n = 0; n < OFFENCES; n++) {
		double px, py;
		if (uniform(&s) < 0.7) {
			int k = (int)(uniform(&s) * CLUSTERS);
			/* Box-Muller */
			double r = 5 * sqrt(-2 * log(1 - uniform(&s))), a = 2 * M_PI * uniform(&s);
			px = cx[k] + r * cos(a);
			py = cy[k] + r * sin(a);
		} else {
			px = uniform(&s) * size;
			py = uniform(&s) * size;
		}
		if (px >= 0 && py >= 0 && px < size && py < size)
			x[(size_t)py * size + (size_t)px]++;
	}
}

int main(int argc, char **argv)
{
	long size = 2000, runs = 11;
	double band = M_SQRT2;
	const char *write = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--size"))
			size = strtol(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--band"))
			band = strtod(argv[i + 1], NULL);
		else if (!strcmp(argv[i], "--runs"))
			runs = strtol(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--write"))
			write = argv[i + 1];
		else
			argc = -1;
	}
	if (argc < 0 || argc % 2 == 0 || size < 2 || size > 20000 || runs < 1 || runs > 1000) {
		fprintf(stderr, "usage: bench_gistar [--size N] [--band CELLS] [--runs R] "
		                "[--write FILE]\n");
		return 2;
	}
	size_t cells = (size_t)size * size;
	double *x = malloc(cells * sizeof *x), *z = malloc(cells * sizeof *z);
	double *p = malloc(cells * sizeof *p), *wall = calloc(3 * (size_t)runs, sizeof *wall);
	double *cpu = calloc(3 * (size_t)runs, sizeof *cpu);
	signed char *bin = malloc(cells);
	int rc = x && z && p && wall && cpu && bin ? 0 : ERR_NOMEM;
	if (rc < 0)
		goto out;
	synthetic_counts(x, (int)size);
	/* Three steps timed: z-scores, plain bins, FDR bins; one untimed run. */
	for (long r = -1; r < runs && rc == 0; r++)
		for (int step = 0; step < 3 && rc == 0; step++) {
			double w0 = bench_clock_ms(CLOCK_MONOTONIC),
			       c0 = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID);
			rc = step == 0 ? gistar_zscores(x, NULL, (int)size, (int)size, band, z)
			               : gistar_classify(z, cells, step == 2, p, bin);
			if (r >= 0) {
				wall[step * runs + r] = bench_clock_ms(CLOCK_MONOTONIC) - w0;
				cpu[step * runs + r] = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
			}
		}
	if (rc < 0)
		goto out;
	size_t hot = 0, cold = 0;
	for (size_t c = 0; c < cells; c++) {
		hot += bin[c] > 0;
		cold += bin[c] < 0;
	}
	printf("grid %ldx%ld (%zu cells), band %.6g cells; FDR bins: %zu hot, %zu cold\n", size,
	       size, cells, band, hot, cold);
	static const char *const names[] = {"gistar_zscores", "gistar_classify",
	                                    "gistar_classify --fdr"};
	for (int step = 0; step < 3; step++) {
		double *w = wall + step * runs, *c = cpu + step * runs;
		qsort(w, (size_t)runs, sizeof *w, bench_cmp_double);
		qsort(c, (size_t)runs, sizeof *c, bench_cmp_double);
		printf(
		    "%s over %ld runs: median %.1f ms (min %.1f, max %.1f), median CPU %.1f ms\n",
		    names[step], runs, w[runs / 2], w[0], w[runs - 1], c[runs / 2]);
	}
	if (write) {
		/* The z-scores of the plain run are still in z. */
		FILE *f = fopen(write, "wb");
		if (!f || fwrite(x, sizeof *x, cells, f) != cells ||
		    fwrite(z, sizeof *z, cells, f) != cells)
			rc = err_set(ERR_IO, "%s: cannot write", write);
		if (f && fclose(f) != 0 && rc == 0)
			rc = err_set(ERR_IO, "%s: write failed", write);
	}
out:
	if (rc < 0)
		fprintf(stderr, "bench_gistar: %s\n", err_msg());
	free(x);
	free(z);
	free(p);
	free(wall);
	free(cpu);
	free(bin);
	return rc < 0 ? 1 : 0;
}
