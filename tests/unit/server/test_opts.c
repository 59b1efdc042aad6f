/* opts: config files read for the daemon (the first problem stops it) and
 * checked by check-config (every problem, with its line, and the caller's
 * checks of the values), and the man page section written from a table, as
 * roff. */
#include "testutil.h"

#include "err.h"
#include "opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct values {
	const char *name;
	long count;
	int flag;
};

/* Refuses the name "bad", recording the lines it was called for. */
static int check_value(void *ctx, const struct opt *o, int line)
{
	int *lines = ctx;
	lines[line] = 1;
	if (strcmp(o->name, "name") == 0 && strcmp(*(const char **)o->target, "bad") == 0)
		return err_set(ERR_INVALID, "name: 'bad' will not do");
	return 0;
}

static void test_config_file_problems(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir(), path[600], report_path[600];
	struct values v = {0};
	const struct opt table[] = {
	    {"name", OPT_STRING, &v.name, "NAME", "a name", 0, 0, 0},
	    {"count", OPT_LONG, &v.count, "N", "a count", 1, 10, 0},
	    {"flag", OPT_FLAG, &v.flag, NULL, "a flag", 0, 0, 0},
	    {0},
	};
	testutil_path(path, sizeof path, dir, "t.conf");
	testutil_write(path, "# a comment\n"
	                     "name = good   # trailing\n"
	                     "count = 11\n"
	                     "nmae = x\n"
	                     "flag = yes\n"
	                     "no equals sign\n"
	                     "name = bad\n"
	                     "flag = true\n");
	/* the daemon stops at the first */
	assert_int_equal(opts_load_file(path, table), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "t.conf:3: --count: '11' is not a whole number"));
	assert_string_equal(v.name, "good");

	int lines[16] = {0};
	testutil_path(report_path, sizeof report_path, dir, "report");
	FILE *report = fopen(report_path, "w");
	assert_int_equal(opts_check_file(path, table, check_value, lines, report), 5);
	fclose(report);
	char text[2048] = "";
	FILE *f = fopen(report_path, "r");
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	char want[4096];
	snprintf(want, sizeof want,
	         "%s:3: --count: '11' is not a whole number from 1 to 10\n"
	         "%s:4: unknown option 'nmae'\n"
	         "%s:5: flag takes true or false\n"
	         "%s:6: expected name = value\n"
	         "%s:7: name: 'bad' will not do\n",
	         path, path, path, path, path);
	assert_string_equal(text, want);
	/* the check saw each option set, on its line */
	assert_true(lines[2] && lines[7] && lines[8]);
	assert_false(lines[1] || lines[3] || lines[4]);
	assert_int_equal(v.flag, 1);

	assert_int_equal(opts_check_file("/no/such/file.conf", table, NULL, NULL, stderr), ERR_IO);
	testutil_rmtree(dir);
}

static void test_man_section(void **state)
{
	(void)state;
	long n = 4;
	const char *file = NULL;
	int flag = 0;
	const struct opt table[] = {
	    {"max-things", OPT_LONG, &n, "N", "things at once", 1, 64, 0},
	    {"config", OPT_STRING, &file, "FILE", "read FILE\\n.first", 0, 0, 'c'},
	    {"dry-run", OPT_FLAG, &flag, NULL, "change nothing", 0, 0, 0},
	    {0},
	};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	opts_write_man(f, "serve", "DB [--listen HOST:PORT]", "Serves DB.\n.Then stops.", table);
	fclose(f);
	assert_non_null(
	    strstr(text, ".SS \"serve\"\n.B posbon serve DB [\\-\\-listen HOST:PORT]\n"));
	/* A summary line that starts with a dot is text, not a request. */
	assert_non_null(strstr(text, "Serves DB.\n.br\n\\&.Then stops.\n"));
	assert_non_null(
	    strstr(text, ".TP\n\\fB\\-\\-max\\-things\\fR \\fIN\\fR\nthings at once (1 to 64)\n"));
	assert_non_null(strstr(
	    text, ".TP\n\\fB\\-c\\fR, \\fB\\-\\-config\\fR \\fIFILE\\fR\nread FILE\\en.first\n"));
	assert_non_null(strstr(text, ".TP\n\\fB\\-\\-dry\\-run\\fR\nchange nothing\n"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config_file_problems),
	    cmocka_unit_test(test_man_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
