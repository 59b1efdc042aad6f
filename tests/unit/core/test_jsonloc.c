/* jsonloc: paths through objects and arrays, escaped keys, keys versus
 * values, lines and columns in characters, paths the text lacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "jsonloc.h"

#include <string.h>

static const char text[] = "{\"a\": {\"x\": \"}\\\"\", \"b\\u00e9\": [1, {\"c\": true}, 3]},\n"
                           " \"o\\u02bb\": \"o\\u02bbzbek\",\n"
                           " \"d\": 5}";

/* The offset of what path leads to, or -1. */
static long find(const struct jsonloc_step *path, int depth, int at_key)
{
	const char *p = jsonloc_find(text, path, depth, at_key);
	return p ? (long)(p - text) : -1;
}

static void test_paths(void **state)
{
	(void)state;
	/* Through a string holding a brace and a quote, to an escaped key. */
	const struct jsonloc_step c[] = {{"a", 0}, {"b\xc3\xa9", 0}, {NULL, 1}, {"c", 0}};
	assert_int_equal(find(c, 4, 0), strstr(text, "true") - text);
	assert_int_equal(find(c, 4, 1), strstr(text, "\"c\"") - text);
	const struct jsonloc_step third[] = {{"a", 0}, {"b\xc3\xa9", 0}, {NULL, 2}};
	assert_int_equal(find(third, 3, 0), strstr(text, "3]") - text);
	const struct jsonloc_step d[] = {{"d", 0}};
	assert_int_equal(find(d, 1, 0), strstr(text, "5}") - text);
	assert_int_equal(find(d, 0, 0), 0); /* the empty path: the whole text */
	/* Paths the text does not have. */
	const struct jsonloc_step none[] = {{"e", 0}};
	assert_int_equal(find(none, 1, 0), -1);
	const struct jsonloc_step past[] = {{"a", 0}, {"b\xc3\xa9", 0}, {NULL, 3}};
	assert_int_equal(find(past, 3, 0), -1);
	const struct jsonloc_step index_of_object[] = {{NULL, 0}};
	assert_int_equal(find(index_of_object, 1, 0), -1);
}

static void test_line_column(void **state)
{
	(void)state;
	int line, column;
	jsonloc_line_column(text, text, &line, &column);
	assert_int_equal(line, 1);
	assert_int_equal(column, 1);
	/* Line 2 holds no multibyte text before the value: escapes are ASCII. */
	const struct jsonloc_step o[] = {{"o\xca\xbb", 0}};
	jsonloc_line_column(text, jsonloc_find(text, o, 1, 0), &line, &column);
	assert_int_equal(line, 2);
	assert_int_equal(column, 13);
	/* Columns count characters: "é" is two bytes, one column. */
	static const char utf8[] = "{\"n\": \"\xc3\xa9\xc3\xa9\", \"m\": 1}";
	const struct jsonloc_step m[] = {{"m", 0}};
	jsonloc_line_column(utf8, jsonloc_find(utf8, m, 1, 0), &line, &column);
	assert_int_equal(line, 1);
	assert_int_equal(column, 18);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paths),
	    cmocka_unit_test(test_line_column),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
