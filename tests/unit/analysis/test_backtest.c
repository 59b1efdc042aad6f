/* backtest: hit rate, PAI, RRI and PEI of a hand-built case (with and
 * without a district mask, and an empty choice), and the hit-rate curve
 * with tied scores and unranked cells. */
#include "testutil.h"

#include "backtest.h"
#include "err.h"

#include <math.h>
#include <stdlib.h>

/* Ten cells of equal area; the method chose cells 0 and 1. */
static const double TRAIN[10] = {5, 3, 0, 0, 1, 0, 0, 1, 0, 0}; /* N = 10 */
static const double TEST[10] = {2, 1, 0, 4, 0, 0, 1, 0, 0, 0};  /* N = 8 */
static const unsigned char CHOSEN[10] = {1, 1};

static void test_measure_hand(void **state)
{
	(void)state;
	struct backtest_measure m;
	assert_int_equal(backtest_measure(TRAIN, TEST, NULL, CHOSEN, 10, &m), 0);
	/* n = 3 of N = 8 on a = 2 of A = 10 cells: hit 3/8, PAI 0.375 / 0.2;
	 * training: 8 of 10, PAI 0.8 / 0.2 = 4, RRI 1.875 / 4; the best two
	 * test cells hold 4 + 2, PEI 3/6. */
	assert_float_equal(m.hit_rate, 0.375, 1e-12);
	assert_float_equal(m.pai, 1.875, 1e-12);
	assert_float_equal(m.rri, 0.46875, 1e-12);
	assert_float_equal(m.pei, 0.5, 1e-12);
	assert_float_equal(m.cells, 2, 0);
	assert_float_equal(m.offences, 3, 0);

	/* Cell 3 outside the district: A = 9, N = 4, hit 3/4, PAI 0.75 x 4.5,
	 * training PAI 0.8 x 4.5, RRI 0.9375; the best two are 2 + 1: PEI 1. */
	unsigned char mask[10] = {1, 1, 1, 0, 1, 1, 1, 1, 1, 1};
	assert_int_equal(backtest_measure(TRAIN, TEST, mask, CHOSEN, 10, &m), 0);
	assert_float_equal(m.hit_rate, 0.75, 1e-12);
	assert_float_equal(m.pai, 3.375, 1e-12);
	assert_float_equal(m.rri, 0.9375, 1e-12);
	assert_float_equal(m.pei, 1, 1e-12);

	/* Nothing chosen: no area to divide by. */
	const unsigned char none[10] = {0};
	assert_int_equal(backtest_measure(TRAIN, TEST, NULL, none, 10, &m), 0);
	assert_float_equal(m.hit_rate, 0, 0);
	assert_true(isnan(m.pai) && isnan(m.rri) && isnan(m.pei));
}

static void test_curve(void **state)
{
	(void)state;
	const double score[10] = {2,         2,         1,         -INFINITY, -INFINITY,
	                          -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY};
	/* Cells 0 and 1 tie (3 of 8 offences on 20% of the area), cell 2 adds
	 * area only, the unranked rest end at (1, 1) together. */
	const double want[] = {0, 0, 0.2, 0.375, 0.3, 0.375, 1, 1};
	double *xy;
	size_t n;
	assert_int_equal(backtest_curve(score, TEST, NULL, 10, &xy, &n), 0);
	assert_int_equal(n, 4);
	for (size_t k = 0; k < 2 * n; k++)
		assert_float_equal(xy[k], want[k], 1e-12);
	free(xy);
	const unsigned char nothing[10] = {0};
	assert_int_equal(backtest_curve(score, TEST, nothing, 10, &xy, &n), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_measure_hand),
	    cmocka_unit_test(test_curve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
