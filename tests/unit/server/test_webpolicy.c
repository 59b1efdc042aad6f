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

/* The value of header name in p, or NULL. */
static const char *header(const struct webpolicy *p, const char *name)
{
	for (const char *const *h = p->headers; *h; h += 2)
		if (strcmp(h[0], name) == 0)
			return h[1];
	return NULL;
}

static void test_headers_without_options(void **state)
{
	struct webpolicy p;
	(void)state;
	assert_int_equal(webpolicy_make(NULL, NULL, 0, &p), 0);
	assert_string_equal(header(&p, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(header(&p, "Referrer-Policy"), "same-origin");
	assert_string_equal(header(&p, "X-Frame-Options"), "DENY");
	const char *csp = header(&p, "Content-Security-Policy");
	assert_non_null(strstr(csp, "default-src 'self';"));
	assert_non_null(strstr(csp, "script-src 'self';"));
	assert_non_null(strstr(csp, "img-src 'self' data:;"));
	assert_non_null(strstr(csp, "object-src 'none';"));
	assert_non_null(strstr(csp, "frame-ancestors 'none'"));
	assert_null(strstr(csp, "unsafe-eval"));
	webpolicy_free(&p);
}

/* The basemap's origin joins img-src, its {s} subdomains as a wildcard;
 * a path of this server adds nothing. */
static void test_basemap_images_are_allowed(void **state)
{
	struct webpolicy p;
	(void)state;
	const char *cases[][2] = {
	    {"https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
	     "img-src 'self' data: https://*.tile.openstreetmap.org;"},
	    {"http://tiles.example.org:8081/osm/{z}/{x}/{y}.png?key=1",
	     "img-src 'self' data: http://tiles.example.org:8081;"},
	    {"https://tiles.example.org", "img-src 'self' data: https://tiles.example.org;"},
	    {"/basemap/{z}/{x}/{y}.png", "img-src 'self' data:;"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(webpolicy_make(cases[i][0], NULL, 0, &p), 0);
		assert_non_null(strstr(header(&p, "Content-Security-Policy"), cases[i][1]));
		webpolicy_free(&p);
	}
	const char *bad[] = {"tiles.example.org/{z}/{x}/{y}.png", "//cdn.example/{z}.png",
	                     "ftp://tiles.example.org/{z}", "https://{s}/{z}.png",
	                     "https://a b/{z}.png"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(webpolicy_make(bad[i], NULL, 0, &p), ERR_INVALID);
		assert_string_equal(err_field(), "basemap");
	}
}

/* Named frame ancestors replace X-Frame-Options with CSP's list. */
static void test_frame_ancestors(void **state)
{
	struct webpolicy p;
	(void)state;
	const char *wall[] = {"https://wall.example.org", "self", "https://*.example.net"};
	assert_int_equal(webpolicy_make(NULL, wall, 3, &p), 0);
	assert_null(header(&p, "X-Frame-Options"));
	assert_non_null(strstr(header(&p, "Content-Security-Policy"),
	                       "; frame-ancestors https://wall.example.org 'self' "
	                       "https://*.example.net"));
	webpolicy_free(&p);
	const char *bad[] = {"https://wall.example.org/screen"};
	assert_int_equal(webpolicy_make(NULL, bad, 1, &p), ERR_INVALID);
	assert_string_equal(err_field(), "frame-ancestors");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_origins_are_checked_as_browsers_write_them),
	    cmocka_unit_test(test_origins_are_listed_without_case),
	    cmocka_unit_test(test_headers_without_options),
	    cmocka_unit_test(test_basemap_images_are_allowed),
	    cmocka_unit_test(test_frame_ancestors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
