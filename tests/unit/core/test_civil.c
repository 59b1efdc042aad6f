/* civil: days and dates agree both ways, over leap years and before 1970. */
#include "testutil.h"

#include "civil.h"

static void test_known_days(void **state)
{
	(void)state;
	assert_int_equal(civil_days_from_date(1970, 1, 1), 0);
	assert_int_equal(civil_days_from_date(1969, 12, 31), -1);
	assert_int_equal(civil_days_from_date(2000, 3, 1), 11017);
	/* 2026-11-26T00:00+05:00 is 1795633200 s, 19 h into 2026-11-25 UTC */
	assert_int_equal(civil_days_from_date(2026, 11, 25), 1795633200 / CIVIL_SECONDS_PER_DAY);
	assert_int_equal(civil_days_in_month(2024, 2), 29);
	assert_int_equal(civil_days_in_month(2026, 2), 28);
	assert_int_equal(civil_days_in_month(1900, 2), 28);
	assert_int_equal(civil_days_in_month(2000, 2), 29);
	assert_int_equal(civil_days_in_month(2026, 12), 31);
}

static void test_round_trip(void **state)
{
	(void)state;
	int64_t y;
	int m, d;
	/* 1600-01-01 to about 2400, every day: each follows the last */
	int64_t first = civil_days_from_date(1600, 1, 1);
	int64_t py = 1599;
	int pm = 12, pd = 31;
	for (int64_t day = first; day < first + 800 * 366; day++) {
		civil_date_from_days(day, &y, &m, &d);
		assert_int_equal(civil_days_from_date(y, m, d), day);
		int next_month = pd == civil_days_in_month(py, pm);
		if (next_month) {
			assert_int_equal(d, 1);
			assert_int_equal(m, pm == 12 ? 1 : pm + 1);
			assert_int_equal(y, pm == 12 ? py + 1 : py);
		} else {
			assert_int_equal(d, pd + 1);
			assert_int_equal(m, pm);
			assert_int_equal(y, py);
		}
		py = y;
		pm = m;
		pd = d;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_days),
	    cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
