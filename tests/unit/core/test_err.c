/* err: the message, the code and the field of the last error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "err.h"

static void test_field_given(void **state)
{
	(void)state;
	assert_int_equal(err_set_field(ERR_INVALID, "fixes[2].time", "a time is required"),
	                 ERR_INVALID);
	assert_string_equal(err_field(), "fixes[2].time");
	assert_string_equal(err_msg(), "a time is required");
	assert_int_equal(err_last(), ERR_INVALID);
	/* wrapping keeps the field when passed on */
	err_set_field(ERR_INVALID, err_field(), "feature 2: %s", err_msg());
	assert_string_equal(err_field(), "fixes[2].time");
	assert_string_equal(err_msg(), "feature 2: a time is required");
	err_set_field(ERR_DB, NULL, "no field");
	assert_null(err_field());
}

static void test_err_set_clears_it(void **state)
{
	(void)state;
	err_set_field(ERR_INVALID, "share", "share: too big");
	err_set(ERR_IO, "cannot read the file");
	assert_null(err_field());
	/* the field is never read from the message */
	err_set(ERR_INVALID, "period: no offence in it");
	assert_null(err_field());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_field_given),
	    cmocka_unit_test(test_err_set_clears_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
