/* log: text and JSON lines in a file, escaping of outside text (JSON that
 * parses whatever the bytes), and the reopen after the file was moved. */
#include "testutil.h"

#include "err.h"
#include "log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The lines of a file, one string, NUL-terminated; free(). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = calloc(1, 65536);
	size_t n = fread(buf, 1, 65535, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The JSON object of line number i (from 0) of text; json_decref(). */
static json_t *json_line(const char *text, int i)
{
	const char *p = text;
	for (; i > 0; i--) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	const char *end = strchr(p, '\n');
	assert_non_null(end);
	json_error_t e;
	json_t *v = json_loadb(p, (size_t)(end - p), 0, &e);
	if (!v)
		fail_msg("line '%.*s': %s", (int)(end - p), p, e.text);
	return v;
}

static void test_json_lines(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir(), path[600];
	testutil_path(path, sizeof path, dir, "posbon.log");
	assert_int_equal(log_open(path, LOG_JSON), 0);
	log_msg(LOG_WARN, 0, "a \"quoted\" %s\n\x01 and \xff\xfe bytes, é kept", "name");
	log_msg(LOG_DEBUG, 0, "skipped at the default level");
	log_access(42, "127.0.0.1", "GET", "/tiles/a\"b\x7f\xc3", 200, 1234, 1.25);
	log_flush();
	char *text = slurp(path);
	json_t *m = json_line(text, 0), *a = json_line(text, 1);
	assert_string_equal(json_string_value(json_object_get(m, "level")), "warn");
	assert_string_equal(json_string_value(json_object_get(m, "message")),
	                    "a \"quoted\" name\n\x01 and \xef\xbf\xbd\xef\xbf\xbd bytes, é kept");
	assert_null(json_object_get(m, "req"));
	assert_int_equal(strlen(json_string_value(json_object_get(m, "time"))), 24);
	assert_int_equal(json_integer_value(json_object_get(a, "req")), 42);
	assert_string_equal(json_string_value(json_object_get(a, "path")),
	                    "/tiles/a\"b\x7f\xef\xbf\xbd");
	assert_string_equal(json_string_value(json_object_get(a, "method")), "GET");
	assert_string_equal(json_string_value(json_object_get(a, "client")), "127.0.0.1");
	assert_int_equal(json_integer_value(json_object_get(a, "status")), 200);
	assert_int_equal(json_integer_value(json_object_get(a, "bytes")), 1234);
	assert_true(json_number_value(json_object_get(a, "ms")) == 1.3);
	assert_non_null(strstr(json_string_value(json_object_get(a, "message")), "GET /tiles/"));
	/* two lines: the debug one was skipped */
	assert_null(strchr(strchr(strchr(text, '\n') + 1, '\n') + 1, '\n'));
	json_decref(m);
	json_decref(a);
	free(text);
	assert_int_equal(log_open(NULL, LOG_TEXT), 0);
	testutil_rmtree(dir);
}

static void test_text_lines_and_reopen(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir(), path[600], moved[600];
	testutil_path(path, sizeof path, dir, "posbon.log");
	testutil_path(moved, sizeof moved, dir, "posbon.log.1");
	assert_int_equal(log_open(path, LOG_TEXT), 0);
	log_msg(LOG_ERROR, 7, "before \"x\"\nforged line");
	log_access(8, "::1", "GET", "/a b", 404, 10, 0.04);
	/* logrotate moves the file; until the reopen, lines go to it still */
	assert_int_equal(rename(path, moved), 0);
	log_msg(LOG_INFO, 0, "still the old file");
	assert_int_equal(log_reopen(), 0);
	log_msg(LOG_INFO, 0, "the new file");
	log_flush();
	char *old = slurp(moved), *now = slurp(path);
	assert_non_null(strstr(old, " error req=7 before \\\"x\\\"\\nforged line\n"));
	assert_non_null(strstr(old, " req=8 ::1 \"GET /a b\" 404 10 0.0ms\n"));
	assert_non_null(strstr(old, " info still the old file\n"));
	assert_null(strstr(old, "the new file"));
	assert_non_null(strstr(now, " info the new file\n"));
	assert_null(strstr(now, "old file"));
	free(old);
	free(now);

	/* a file that cannot be opened is refused, naming it; the log stays */
	char bad[700];
	testutil_path(bad, sizeof bad, dir, "no/such/folder.log");
	assert_int_equal(log_open(bad, LOG_TEXT), ERR_IO);
	assert_non_null(strstr(err_msg(), "no/such/folder.log"));
	assert_int_equal(log_open(NULL, LOG_TEXT), 0);
	assert_int_equal(log_reopen(), 0); /* nothing to do on stderr */
	testutil_rmtree(dir);
}

static void test_format_names(void **state)
{
	(void)state;
	enum log_format f;
	assert_int_equal(log_format_parse("json", &f), 0);
	assert_int_equal(f, LOG_JSON);
	assert_int_equal(log_format_parse("text", &f), 0);
	assert_int_equal(f, LOG_TEXT);
	assert_int_equal(log_format_parse("xml", &f), ERR_INVALID);
	assert_string_equal(err_field(), "log-format");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_lines),
	    cmocka_unit_test(test_text_lines_and_reopen),
	    cmocka_unit_test(test_format_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
