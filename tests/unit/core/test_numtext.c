/* numtext: what every numeric parameter refuses (infinities, NaN, numbers
 * past double's range, text around the number) and the lists of numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "err.h"
#include "numtext.h"

#include <limits.h>
#include <string.h>

static void test_refuses_what_no_caller_can_use(void **state)
{
	static const char *const bad[] = {
	    "inf",   "-inf",   "+inf",     "Infinity", "nan",  "-nan",      "NAN(123)",
	    "1e309", "-1e309", "4.9e-324", "1e-320",   "",     " 1",        "1 ",
	    "1,",    "1e",     "e5",       "--1",      "1..2", "0x1p99999",
	};
	(void)state;
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		double v = 42;
		assert_int_equal(numtext_parse("share", bad[k], -1e308, 1e308, "a number", &v),
		                 ERR_INVALID);
		assert_true(v == 42);
		assert_non_null(strstr(err_msg(), "share: '"));
	}
	double v;
	assert_int_equal(numtext_parse("share", NULL, 0, 1, "a share", &v), ERR_INVALID);
}

static void test_bounds_and_whole_numbers(void **state)
{
	double v;
	long n;
	(void)state;
	assert_int_equal(numtext_parse("cell", "1e-300", 1, 1000, "metres", &v), ERR_INVALID);
	assert_string_equal(err_msg(), "cell: '1e-300' is not metres from 1 to 1000");
	assert_int_equal(numtext_parse("cell", "1e308", 1, 1000, "metres", &v), ERR_INVALID);
	assert_int_equal(numtext_parse("cell", "250.5", 1, 1000, "metres", &v), 0);
	assert_true(v == 250.5);
	assert_int_equal(
	    numtext_whole("limit", "99999999999999999999", 1, 10000, "a whole number", &n),
	    ERR_INVALID);
	assert_string_equal(err_msg(),
	                    "limit: '99999999999999999999' is not a whole number from 1 to 10000");
	assert_int_equal(numtext_whole("limit", "2.5", 1, 10000, "a whole number", &n),
	                 ERR_INVALID);
	assert_int_equal(numtext_whole("limit", "1e3", 1, 10000, "a whole number", &n), 0);
	assert_int_equal(n, 1000);
	/* Unbounded whole numbers stop where doubles stop holding each one. */
	assert_int_equal(numtext_whole("seed", "9223372036854775807", LONG_MIN, LONG_MAX, "n", &n),
	                 ERR_INVALID);
	assert_int_equal(numtext_whole("seed", "-9007199254740992", LONG_MIN, LONG_MAX, "n", &n),
	                 0);
	assert_true(n == -9007199254740992L);
}

static void test_lists(void **state)
{
	double b[4];
	(void)state;
	assert_int_equal(numtext_list("69.1,41.2,69.3,41.4", ',', b, 4), 0);
	assert_true(b[0] == 69.1 && b[3] == 41.4);
	assert_int_equal(numtext_list("-inf,-inf,inf,inf", ',', b, 4), ERR_INVALID);
	assert_int_equal(numtext_list("1,2,3", ',', b, 4), ERR_INVALID);
	assert_int_equal(numtext_list("1,2,3,4,", ',', b, 4), ERR_INVALID);
	assert_int_equal(numtext_list("1,2,3,4,5", ',', b, 4), ERR_INVALID);
	assert_int_equal(numtext_list("1, 2,3,4", ',', b, 4), ERR_INVALID);
	assert_int_equal(numtext_list("11-16", '-', b, 2), 0);
	assert_true(b[0] == 11 && b[1] == 16);
	assert_int_equal(numtext_list("512x256", 'x', b, 2), 0);
	assert_true(b[0] == 512 && b[1] == 256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refuses_what_no_caller_can_use),
	    cmocka_unit_test(test_bounds_and_whole_numbers),
	    cmocka_unit_test(test_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
