/* typeset: numbers as each page's language writes them, as the viewer's
 * fmtNumber() does (tests/web/test_i18n.mjs); texts wrapped before they
 * are cut, and cut in their middle; table columns fitted to their texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "typeset.h"

#include <string.h>

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

#define ELLIPSIS "\xe2\x80\xa6"

/* A page to measure on (A4 in points, as print's). */
static cairo_surface_t *page;
static struct typeset ts;

static int setup(void **state)
{
	(void)state;
	page = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	ts = (struct typeset){cairo_create(page), 1};
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cairo_destroy(ts.cr);
	cairo_surface_destroy(page);
	return 0;
}

static int lines_of(const char *text, double width)
{
	PangoLayout *l = typeset_layout(&ts, &typeset_body, text, width, 9);
	int n = pango_layout_get_line_count(l);
	g_object_unref(l);
	return n;
}

static void test_fit(void **state)
{
	(void)state;
	char out[256];
	/* Two lines hold it: as it is, wrapped. */
	typeset_fit(&ts, &typeset_body, "Yoshlar bilan ishlash boʻlinmasi", 60, 2, out, sizeof out);
	assert_string_equal(out, "Yoshlar bilan ishlash boʻlinmasi");
	assert_int_equal(lines_of(out, 60), 2);
	/* They do not: whole words of the start and the end around an ellipsis,
	 * in two lines; names differing at the end stay apart. */
	const char *a = "Juda uzun nomli huquqbuzarlik turi raqami 12 va yana koʻp soʻzlar 25";
	const char *b = "Juda uzun nomli huquqbuzarlik turi raqami 12 va yana koʻp soʻzlar 26";
	char other[256];
	typeset_fit(&ts, &typeset_body, a, 60, 2, out, sizeof out);
	typeset_fit(&ts, &typeset_body, b, 60, 2, other, sizeof other);
	assert_non_null(strstr(out, ELLIPSIS));
	assert_int_equal(strncmp(out, "Juda ", 5), 0);
	assert_int_equal(strcmp(out + strlen(out) - 2, "25"), 0);
	assert_string_not_equal(out, other);
	assert_true(lines_of(out, 60) <= 2);
	/* One word too long for its width: cut inside it, its end kept. */
	typeset_fit(&ts, &typeset_body, "D02-PREVENTION-15", 30, 1, out, sizeof out);
	assert_non_null(strstr(out, ELLIPSIS));
	assert_int_equal(strncmp(out, "D0", 2), 0);
	assert_int_equal(strcmp(out + strlen(out) - 1, "5"), 0);
	assert_int_equal(lines_of(out, 30), 1);
	/* A hyphen breaks a code's line before anything is cut. */
	typeset_fit(&ts, &typeset_body, "D02-YOUTH-04", 36, 2, out, sizeof out);
	assert_string_equal(out, "D02-YOUTH-04");
	assert_int_equal(lines_of(out, 36), 2);
	/* No room for the text and the ellipsis: empty, never past n. */
	typeset_fit(&ts, &typeset_body, "Hamkorlik", 10, 1, out, 5);
	assert_string_equal(out, "");
}

static void test_table(void **state)
{
	(void)state;
	struct typeset_table t = {.n = 3, .align = {TYPESET_LEFT, TYPESET_RIGHT, TYPESET_RIGHT}};
	const char *head[3] = {"Turi", "Davrda", "Oldingi"};
	const char *row[3] = {"Yoʻl harakati xavfsizligi qoidalarini buzish", "1" THIN "360",
	                      "1" THIN "126"};
	typeset_table_measure(&ts, &t, head, &typeset_column);
	typeset_table_measure(&ts, &t, row, &typeset_body);
	/* Room: every column holds its widest word, the numbers whole. */
	typeset_table_fit(&ts, &t, 150);
	assert_float_equal(t.x[2] + t.w[2], 150, 1e-6);
	for (int i = 0; i < 3; i++)
		assert_true(t.w[i] >= t.word[i]);
	assert_true(t.word[1] >= typeset_width(&ts, &typeset_body, "1" THIN "360"));
	/* The name wraps to two lines rather than being cut. */
	double one = typeset_row_height(&ts);
	assert_true(typeset_row_measure(&ts, &t, row, &typeset_body) > one + 1);
	/* Too narrow: the type shrinks, then the text column gives way first. */
	typeset_table_fit(&ts, &t, 60);
	assert_true(t.type < 1 && t.type >= TYPESET_MIN_TYPE);
	assert_float_equal(t.x[2] + t.w[2], 60, 1e-6);
	assert_true(t.w[2] >= t.type * t.word[2]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decimal),
	    cmocka_unit_test(test_count_and_value),
	    cmocka_unit_test(test_fit),
	    cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
