/* plan: the optimiser against a brute-force optimum on small instances
 * (travel ignored and with travel), its limits on larger ones (never more
 * minutes than a unit has, no place twice unless shared), determinism, and
 * bad parameters named. */
#include "testutil.h"

#include "err.h"
#include "plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SMALL 8

struct instance {
	size_t n, m, ns;
	double xy[2 * 400];
	double value[400 * 3];
	struct plan_unit units[8];
	struct plan_problem p;
};

static unsigned long long lcg(unsigned long long *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static double uniform(unsigned long long *s)
{
	return (double)lcg(s) / (double)(1ULL << 31);
}

/* n places in a 2 km square with values for ns services that differ, so
 * that which unit takes a place matters; m units of services 0, 1, ... */
static void make(struct instance *in, unsigned long long seed, size_t n, size_t m, size_t ns,
                 double minutes, double speed)
{
	memset(in, 0, sizeof *in);
	in->n = n, in->m = m, in->ns = ns;
	for (size_t c = 0; c < n; c++) {
		in->xy[2 * c] = uniform(&seed) * 2000;
		in->xy[2 * c + 1] = uniform(&seed) * 2000;
		for (size_t k = 0; k < ns; k++)
			in->value[c * ns + k] = floor(uniform(&seed) * 100) / 10;
	}
	for (size_t u = 0; u < m; u++)
		in->units[u] = (struct plan_unit){(int)(u % ns), minutes * (1 + 0.25 * (double)u),
		                                  uniform(&seed) * 2000, uniform(&seed) * 2000};
	in->p = (struct plan_problem){.n_places = n,
	                              .n_units = m,
	                              .n_services = ns,
	                              .xy = in->xy,
	                              .value = in->value,
	                              .units = in->units,
	                              .visit = 15,
	                              .rounds = 2,
	                              .speed = speed,
	                              .max_units = 1};
}

/* Shortest closed tour from unit u's start through the places of mask,
 * by dynamic programming over subsets. */
static double shortest_tour(const struct instance *in, size_t u, unsigned mask)
{
	static double dp[1 << SMALL][SMALL];
	const double *s = &in->units[u].x, sy = in->units[u].y;
	double best = mask ? INFINITY : 0;
	for (unsigned m = 1; m < 1u << in->n; m++)
		for (size_t l = 0; l < in->n; l++) {
			dp[m][l] = INFINITY;
			if (!(m >> l & 1) || (m & ~mask))
				continue;
			const double *x = &in->xy[2 * l];
			if (m == 1u << l) {
				dp[m][l] = hypot(x[0] - *s, x[1] - sy);
				continue;
			}
			for (size_t k = 0; k < in->n; k++)
				if (k != l && m >> k & 1)
					dp[m][l] =
					    fmin(dp[m][l], dp[m & ~(1u << l)][k] +
					                       hypot(x[0] - in->xy[2 * k],
					                             x[1] - in->xy[2 * k + 1]));
		}
	for (size_t l = 0; l < in->n && mask; l++)
		if (mask >> l & 1)
			best = fmin(best, dp[mask][l] +
			                      hypot(in->xy[2 * l] - *s, in->xy[2 * l + 1] - sy));
	return best;
}

/* The best total value over every way of giving two units disjoint sets
 * that fit their minutes. */
static double brute_force(const struct instance *in)
{
	double fit_value[2][1 << SMALL];
	unsigned full = (1u << in->n) - 1;
	for (size_t u = 0; u < 2; u++)
		for (unsigned mask = 0; mask <= full; mask++) {
			double len = in->p.speed > 0 ? shortest_tour(in, u, mask) : 0, v = 0;
			int n = __builtin_popcount(mask);
			double minutes = in->p.rounds * (in->p.visit * n +
			                                 (in->p.speed > 0 ? len / in->p.speed : 0));
			for (size_t c = 0; c < in->n; c++)
				if (mask >> c & 1)
					v += in->value[c * in->ns + (size_t)in->units[u].service];
			fit_value[u][mask] = minutes <= in->units[u].minutes + 1e-9 ? v : -1;
		}
	double best = 0;
	for (unsigned a = 0; a <= full; a++) {
		if (fit_value[0][a] < 0)
			continue;
		unsigned rest = full & ~a;
		for (unsigned b = rest;; b = (b - 1) & rest) {
			if (fit_value[1][b] >= 0)
				best = fmax(best, fit_value[0][a] + fit_value[1][b]);
			if (!b)
				break;
		}
	}
	return best;
}

/* Every unit within its minutes (recomputed from the order), its figures
 * as reported, and no place more often than max_units nor twice in one unit. */
static void check_plan(const struct instance *in, const struct plan_result *r)
{
	int count[400] = {0};
	double total = 0;
	for (size_t u = 0; u < in->m; u++) {
		const size_t *o = &r->order[r->first[u]];
		size_t n = r->first[u + 1] - r->first[u];
		double minutes = plan_minutes(&in->p, u, o, n), v = 0;
		assert_true(minutes <= in->units[u].minutes + 1e-6);
		assert_true(fabs(minutes - r->minutes[u]) < 1e-6);
		for (size_t i = 0; i < n; i++) {
			count[o[i]]++;
			for (size_t j = 0; j < i; j++)
				assert_true(o[j] != o[i]);
			v += in->value[o[i] * in->ns + (size_t)in->units[u].service];
		}
		assert_true(fabs(v - r->value[u]) < 1e-6);
		total += v;
	}
	for (size_t c = 0; c < in->n; c++)
		assert_true(count[c] <= in->p.max_units);
	assert_true(fabs(total - r->total) < 1e-6);
}

/* Plans 200 random instances of 8 places and 2 units and compares each
 * with the brute-force optimum; returns how many it equals. No plan may be
 * worse than 3/4 of the optimum. */
static int brute_force_runs(double speed)
{
	struct instance in;
	int exact = 0;
	for (unsigned long long seed = 1; seed <= 200; seed++) {
		struct plan_result r;
		/* 90 and 112.5 minutes: 3 visits of 2 rounds without travel, fewer
		 * with it (the square is 2 km across). */
		make(&in, seed, SMALL, 2, 2, 90, speed);
		assert_int_equal(plan_solve(&in.p, &r), 0);
		check_plan(&in, &r);
		double best = brute_force(&in);
		assert_true(best > 0 && r.total >= 0.75 * best);
		exact += fabs(r.total - best) < 1e-6;
		plan_result_free(&r);
	}
	return exact;
}

static void test_brute_force_without_travel(void **state)
{
	(void)state;
	assert_int_equal(brute_force_runs(0), 200);
}

/* With travel the tours make it a team orienteering problem, where a local
 * search can stop short: 192 of the 200 are exact (docs/planning.md). */
static void test_brute_force_with_travel(void **state)
{
	(void)state;
	struct instance in;
	struct plan_result r;
	assert_true(brute_force_runs(5000.0 / 60) >= 190);
	/* Seed 7 needs a two-for-two trade inside a unit (drop()). */
	make(&in, 7, SMALL, 2, 2, 90, 5000.0 / 60);
	assert_int_equal(plan_solve(&in.p, &r), 0);
	assert_true(fabs(r.total - brute_force(&in)) < 1e-6);
	assert_true(fabs(r.total - 22.2) < 1e-6);
	plan_result_free(&r);
}

static void test_limits(void **state)
{
	(void)state;
	static struct instance in;
	struct plan_result r;
	for (int shared = 1; shared <= 2; shared++)
		for (int travel = 0; travel <= 1; travel++) {
			make(&in, 7 + (unsigned)shared, 400, 6, 3, 300, travel ? 80 : 0);
			in.p.max_units = shared;
			assert_int_equal(plan_solve(&in.p, &r), 0);
			check_plan(&in, &r);
			size_t visits = r.first[in.m];
			/* Every unit is busy: none could take one more visit. */
			for (size_t u = 0; u < in.m; u++)
				assert_true(r.minutes[u] > in.units[u].minutes - 2 * 15 - 1e-6 ||
				            travel);
			if (shared == 2) {
				int twice = 0, seen[400] = {0};
				for (size_t i = 0; i < visits; i++)
					twice += ++seen[r.order[i]] == 2;
				assert_true(twice > 0); /* sharing was used */
			}
			plan_result_free(&r);
		}
}

static void test_deterministic(void **state)
{
	(void)state;
	static struct instance in;
	struct plan_result a, b;
	make(&in, 3, 400, 6, 3, 300, 80);
	assert_int_equal(plan_solve(&in.p, &a), 0);
	assert_int_equal(plan_solve(&in.p, &b), 0);
	assert_false(a.stopped);
	assert_memory_equal(a.first, b.first, (in.m + 1) * sizeof *a.first);
	assert_memory_equal(a.order, b.order, a.first[in.m] * sizeof *a.order);
	plan_result_free(&a);
	plan_result_free(&b);
}

static void refused(struct instance *in, const char *field)
{
	struct plan_result r;
	assert_int_equal(plan_solve(&in->p, &r), ERR_INVALID);
	if (strncmp(err_msg(), field, strlen(field)) != 0)
		fail_msg("'%s' does not name %s", err_msg(), field);
	assert_null(r.order);
}

static void test_bad_parameters(void **state)
{
	(void)state;
	struct instance in;
	make(&in, 1, SMALL, 2, 2, 90, 0);
	in.units[1].minutes = -60;
	refused(&in, "units[1].minutes:");
	make(&in, 1, SMALL, 2, 2, 90, 0);
	in.p.visit = 0;
	refused(&in, "visit:");
	make(&in, 1, SMALL, 2, 2, 90, 0);
	in.p.speed = -1;
	refused(&in, "speed:");
	make(&in, 1, SMALL, 2, 2, 90, 0);
	in.value[5] = NAN;
	refused(&in, "value[2]:");
	make(&in, 1, SMALL, 2, 2, 90, 0);
	in.p.n_units = 0;
	refused(&in, "units:");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_brute_force_without_travel),
	    cmocka_unit_test(test_brute_force_with_travel),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_bad_parameters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
