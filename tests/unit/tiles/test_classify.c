/* classify: known breaks, ties, and Jenks against exhaustive search. */
#include "testutil.h"

#include "classify.h"
#include "err.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static void test_known_breaks(void **state)
{
	(void)state;
	double b[9];
	size_t k;
	const double clusters[] = {22, 1, 11, 2, 3, 10, 12, 20, 21, NAN};
	assert_int_equal(classify_breaks(CLASSIFY_JENKS, clusters, 10, 3, b, &k), 0);
	assert_int_equal(k, 3);
	assert_float_equal(b[0], 3, 0);
	assert_float_equal(b[1], 12, 0);
	assert_float_equal(b[2], 22, 0);
	const double one_to_ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	assert_int_equal(classify_breaks(CLASSIFY_QUANTILE, one_to_ten, 10, 5, b, &k), 0);
	assert_int_equal(k, 5);
	for (int c = 0; c < 5; c++)
		assert_float_equal(b[c], 2 * (c + 1), 0);
	const double span[] = {0, 100, 30};
	assert_int_equal(classify_breaks(CLASSIFY_EQUAL, span, 3, 4, b, &k), 0);
	assert_int_equal(k, 3); /* three distinct values at most three classes */
	assert_int_equal(classify_breaks(CLASSIFY_EQUAL, one_to_ten, 10, 3, b, &k), 0);
	assert_float_equal(b[0], 4, 1e-12);
	assert_float_equal(b[1], 7, 1e-12);
	assert_float_equal(b[2], 10, 0);
	assert_int_equal(classify_class(b, k, 1), 0);
	assert_int_equal(classify_class(b, k, 4), 0);
	assert_int_equal(classify_class(b, k, 4.5), 1);
	assert_int_equal(classify_class(b, k, 99), 2);
	const double ties[] = {0, 0, 0, 0, 0, 0, 5, 9};
	assert_int_equal(classify_breaks(CLASSIFY_QUANTILE, ties, 8, 4, b, &k), 0);
	assert_int_equal(k, 2);
	assert_float_equal(b[0], 0, 0);
	assert_float_equal(b[1], 9, 0);
	assert_int_equal(classify_breaks(CLASSIFY_JENKS, ties, 0, 4, b, &k), ERR_INVALID);
	assert_int_equal(classify_breaks(CLASSIFY_JENKS, ties, 8, 0, b, &k), ERR_INVALID);
}

static double ssd(const double *v, size_t a, size_t b)
{
	double mean = 0, s = 0;
	for (size_t i = a; i <= b; i++)
		mean += v[i];
	mean /= (double)(b - a + 1);
	for (size_t i = a; i <= b; i++)
		s += (v[i] - mean) * (v[i] - mean);
	return s;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void test_jenks_is_optimal(void **state)
{
	(void)state;
	uint64_t seed = 7;
	for (int round = 0; round < 50; round++) {
		double v[10];
		for (int i = 0; i < 10; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			v[i] = (double)(seed >> 40) / 1000.0;
		}
		qsort(v, 10, sizeof v[0], cmp);
		/* every split of 10 sorted values into 3 runs */
		double best = INFINITY;
		for (size_t i = 0; i < 8; i++)
			for (size_t j = i + 1; j < 9; j++) {
				double t = ssd(v, 0, i) + ssd(v, i + 1, j) + ssd(v, j + 1, 9);
				best = fmin(best, t);
			}
		double b[3];
		size_t k;
		assert_int_equal(classify_breaks(CLASSIFY_JENKS, v, 10, 3, b, &k), 0);
		assert_int_equal(k, 3);
		size_t i = 0, j;
		while (v[i] <= b[0])
			i++;
		j = i;
		while (v[j] <= b[1])
			j++;
		double got = ssd(v, 0, i - 1) + ssd(v, i, j - 1) + ssd(v, j, 9);
		assert_true(got <= best * (1 + 1e-12) + 1e-12);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_breaks),
	    cmocka_unit_test(test_jenks_is_optimal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
