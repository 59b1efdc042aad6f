#include "benchutil.h"

#include "sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

double bench_clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int bench_parse_zooms(const char *text, int *z0, int *z1)
{
	int len = 0;
	if (sscanf(text, "%d-%d%n", z0, z1, &len) == 2 && !text[len])
		return 0;
	if (sscanf(text, "%d%n", z0, &len) != 1 || text[len])
		return -1;
	*z1 = *z0;
	return 0;
}

int bench_sample(const char *path, long offences, store **out)
{
	struct sample_options o;
	struct sample_report rep;
	int rc;
	*out = NULL;
	sample_defaults(&o);
	o.offences = offences;
	fprintf(stderr, "generating %ld offences into %s ...\n", offences, path);
	rc = sample_end_day("2026-06-30", &o.end_day);
	o.now = o.end_day; /* the period is over, whatever the clock says */
	if (rc == 0 && (rc = store_open(path, STORE_CREATE, out)) == 0)
		rc = sample_generate(*out, &o, &rep);
	if (rc < 0) {
		store_close(*out);
		*out = NULL;
	}
	return rc;
}

int bench_open(const char *path, long offences, const char *style_path, store **st, renderer **r)
{
	int rc = 0;
	*st = NULL;
	*r = NULL;
	if (access(path, F_OK) != 0) {
		store *fresh;
		rc = bench_sample(path, offences, &fresh);
		store_close(fresh);
	}
	if (rc == 0 && (rc = store_open(path, STORE_READONLY, st)) == 0 &&
	    (rc = renderer_open(*st, style_path, NULL, r)) < 0) {
		store_close(*st);
		*st = NULL;
	}
	return rc;
}
