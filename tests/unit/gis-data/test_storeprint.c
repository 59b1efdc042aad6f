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

struct seen {
	int n, stop_at;
};

static int count_address(void *ctx, const char *address)
{
	struct seen *s = ctx;
	assert_non_null(address);
	s->n++;
	return s->n == s->stop_at;
}

/* Ten offences with an address along 69.201 .. 69.210 E at 41.31 N, and
 * one without. */
static void put_addressed(store *st)
{
	testutil_l_district(st);
	for (int i = 0; i <= 10; i++) {
		char id[16], address[64];
		snprintf(id, sizeof id, "a%d", i);
		snprintf(address, sizeof address, "Bahor MFY, Street %d, %d-uy", i, i + 1);
		struct store_put_info info;
		struct store_offence o = {.external_id = id,
		                          .occurred_from = 1767225600,
		                          .occurred_to = 1767225600,
		                          .precision = PREC_MINUTE,
		                          .reported_at = STORE_NO_TIME,
		                          .category = "theft",
		                          .address = i < 10 ? address : NULL,
		                          .has_point = 1,
		                          .lon = 69.201 + i * 0.001,
		                          .lat = 41.31};
		assert_int_equal(store_put_offence(st, &o, &info), 0);
	}
}

static void test_addresses(void **state)
{
	struct testutil_db *f = *state;
	put_addressed(f->st);
	const double all[4] = {69, 41, 70, 42}, west[4] = {69.2, 41.3, 69.2045, 41.32},
	             nowhere[4] = {0, 0, 1, 1};
	struct seen s = {0, 0};
	assert_int_equal(store_offence_addresses(f->st, all, 100, count_address, &s), 0);
	assert_int_equal(s.n, 10);
	s = (struct seen){0, 0};
	assert_int_equal(store_offence_addresses(f->st, west, 100, count_address, &s), 0);
	assert_int_equal(s.n, 4);
	s = (struct seen){0, 0};
	assert_int_equal(store_offence_addresses(f->st, all, 5, count_address, &s), 0);
	assert_int_equal(s.n, 5);
	s = (struct seen){0, 3};
	assert_int_equal(store_offence_addresses(f->st, all, 100, count_address, &s), 1);
	assert_int_equal(s.n, 3);
	s = (struct seen){0, 0};
	assert_int_equal(store_offence_addresses(f->st, nowhere, 100, count_address, &s), 0);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_names, testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_addresses, testutil_db_open, testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
