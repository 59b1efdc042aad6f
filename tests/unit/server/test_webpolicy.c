/* webpolicy: origins as options name them, and the viewer's
 * Content-Security-Policy. */
#include "testutil.h"

#include "err.h"
#include "webpolicy.h"

#include <string.h>

static void test_origins_are_checked_as_browsers_write_them(void **state)
{
	(void)state;
	const char *good[] = {"https://gis.example.org", "http://127.0.0.1:8080",
	                      "https://[::1]:8443", "http://wall", "https://a-b.example:65535"};
	const char *bad[] = {"gis.example.org",
	                     "https://gis.example.org/",
	                     "https://",
	                     "ftp://gis.example.org",
	                     "https://gis..example",
	                     "https://gis.example.org:0",
	                     "https://h:65536",
	                     "https://h:80x",
	                     "https://*.example.org",
	                     "https://h:",
	                     "https://[zz]",
	                     "*"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_int_equal(webpolicy_origin_check("cors-origin", good[i], 0), 0);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(webpolicy_origin_check("cors-origin", bad[i], 0), ERR_INVALID);
		assert_string_equal(err_field(), "cors-origin");
		assert_non_null(strstr(err_msg(), "--cors-origin"));
	}
	/* frame-ancestors may name every subdomain, as CSP does */
	assert_int_equal(webpolicy_origin_check("frame-ancestors", "https://*.example.org", 1), 0);
	assert_int_equal(webpolicy_origin_check("frame-ancestors", "https://*", 1), ERR_INVALID);
}

static void test_origins_are_listed_without_case(void **state)
{
	(void)state;
	const char *list[] = {"https://gis.example.org", "http://wall:8080"};
	assert_true(webpolicy_origin_listed("https://GIS.example.org", list, 2));
	assert_true(webpolicy_origin_listed("http://wall:8080", list, 2));
	assert_false(webpolicy_origin_listed("http://wall:8081", list, 2));
	assert_false(webpolicy_origin_listed("https://gis.example.org.evil", list, 2));
	assert_false(webpolicy_origin_listed(NULL, list, 2));
	assert_false(webpolicy_origin_listed("https://gis.example.org", list, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_origins_are_checked_as_browsers_write_them),
	    cmocka_unit_test(test_origins_are_listed_without_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
