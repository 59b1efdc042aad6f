/*
 * benchutil: what every benchmark program needs: clocks, sorting of
 * timings, and the generated sample district of a given size.
 */
#ifndef POSBON_BENCHUTIL_H
#define POSBON_BENCHUTIL_H

#include "store.h"

#include <time.h>

/* Milliseconds on the clock id (CLOCK_MONOTONIC, CLOCK_THREAD_CPUTIME_ID). */
double bench_clock_ms(clockid_t id);

/* qsort() order of doubles, ascending. */
int bench_cmp_double(const void *a, const void *b);

/* Generates the sample district with this many offences, ending on
 * 2026-06-30, into a new database at path, saying so on stderr; *out is
 * the open store (close it with store_close()). */
int bench_sample(const char *path, long offences, store **out);

#endif
