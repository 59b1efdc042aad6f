/* msg: every text has its key and three languages, keys are unique, codes
 * name languages, and capitals are made in both scripts and cut at a
 * character. That the viewer reads the same is tests/web/test_msg.mjs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "msg.h"

#include <string.h>

static void test_rows(void **state)
{
	(void)state;
	for (int m = 0; m < MSG_COUNT; m++) {
		assert_non_null(msg_key(m));
		for (int l = 0; l < MSG_LANGS; l++) {
			assert_non_null(msg_text(m, l));
			assert_true(strlen(msg_text(m, l)) > 0);
		}
		for (int k = 0; k < m; k++)
			assert_string_not_equal(msg_key(k), msg_key(m));
	}
	assert_string_equal(msg_key(MSG_LAYER_ZONES), "layer.zones");
	assert_string_equal(msg_text(MSG_LAYER_ZONES, MSG_UZ), "Patrul zonalari");
	assert_string_equal(msg_weekday(0, MSG_RU), "Пн");
	assert_string_equal(msg_weekday(6, MSG_EN), "Su");
}

static void test_languages(void **state)
{
	(void)state;
	assert_int_equal(msg_lang_of("uz"), MSG_UZ);
	assert_int_equal(msg_lang_of("RU"), MSG_RU);
	assert_int_equal(msg_lang_of("en"), MSG_EN);
	assert_int_equal(msg_lang_of("de"), MSG_EN);
	assert_int_equal(msg_lang_of(NULL), MSG_EN);
	assert_true(msg_lang_known("Uz") && msg_lang_known("en"));
	assert_false(msg_lang_known("de") || msg_lang_known(NULL) || msg_lang_known(""));
	assert_string_equal(msg_lang_code(MSG_RU), "ru");
}

static void test_capital(void **state)
{
	(void)state;
	char b[64];
	assert_string_equal(msg_capital(MSG_COVERAGE_STATUS_GAP, MSG_UZ, b, sizeof b), "Boʻshliq");
	assert_string_equal(msg_capital(MSG_COVERAGE_STATUS_GAP, MSG_RU, b, sizeof b),
	                    "Без охвата");
	assert_string_equal(msg_capital(MSG_COVERAGE_STATUS_OVERLAP, MSG_RU, b, sizeof b),
	                    "Перекрытие");
	assert_string_equal(msg_capital(MSG_DOSAGE_STATUS_UNVISITED, MSG_RU, b, sizeof b),
	                    "Не посещён");
	assert_string_equal(msg_capital(MSG_COVERAGE_STATUS_JOINT, MSG_EN, b, sizeof b),
	                    "Joint patrol");
	assert_string_equal(msg_capital(MSG_LEGEND, MSG_RU, b, sizeof b), "Условные обозначения");
	/* "Без" is 6 bytes: 4 keep "Бе" whole, 5 too, never half of "з" */
	assert_string_equal(msg_capital(MSG_COVERAGE_STATUS_GAP, MSG_RU, b, 5), "Бе");
	assert_string_equal(msg_capital(MSG_COVERAGE_STATUS_GAP, MSG_RU, b, 6), "Бе");
	assert_string_equal(msg_capital(MSG_COVERAGE_STATUS_GAP, MSG_RU, b, 7), "Без");
	assert_string_equal(msg_capital(MSG_COVERAGE_STATUS_GAP, MSG_RU, b, 1), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows),
	    cmocka_unit_test(test_languages),
	    cmocka_unit_test(test_capital),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
