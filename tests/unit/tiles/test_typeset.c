/* typeset: numbers as each page's language writes them, as the viewer's
 * fmtNumber() does (tests/web/test_i18n.mjs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "typeset.h"

#define THIN  "\xe2\x80\x89" /* U+2009 */
#define MINUS "\xe2\x88\x92" /* U+2212 */

static void test_decimal(void **state)
{
	(void)state;
	char out[64];
	typeset_decimal(12345.67, 1, MSG_UZ, out, sizeof out);
	assert_string_equal(out, "12" THIN "345,7");
	typeset_decimal(12345.67, 1, MSG_RU, out, sizeof out);
	assert_string_equal(out, "12" THIN "345,7");
	typeset_decimal(12345.67, 1, MSG_EN, out, sizeof out);
	assert_string_equal(out, "12,345.7");
	typeset_decimal(-1234567, 0, MSG_EN, out, sizeof out);
	assert_string_equal(out, MINUS "1,234,567");
	typeset_decimal(-1234567, 0, MSG_RU, out, sizeof out);
	assert_string_equal(out, MINUS "1" THIN "234" THIN "567");
	typeset_decimal(999, 0, MSG_EN, out, sizeof out);
	assert_string_equal(out, "999");
	typeset_decimal(-0.04, 1, MSG_EN, out, sizeof out);
	assert_string_equal(out, "0.0");
	/* Cut at a whole group, never inside a character. */
	typeset_decimal(1234567, 0, MSG_UZ, out, 6);
	assert_string_equal(out, "1" THIN "2");
}

static void test_count_and_value(void **state)
{
	(void)state;
	char out[64];
	typeset_count(50000, MSG_EN, out, sizeof out);
	assert_string_equal(out, "50,000");
	typeset_count(50000, MSG_UZ, out, sizeof out);
	assert_string_equal(out, "50" THIN "000");
	typeset_value(7392.4, MSG_EN, out, sizeof out);
	assert_string_equal(out, "7,392");
	typeset_value(17.34, MSG_RU, out, sizeof out);
	assert_string_equal(out, "17,3");
	typeset_value(0.0512, MSG_EN, out, sizeof out);
	assert_string_equal(out, "0.051");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decimal),
	    cmocka_unit_test(test_count_and_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
