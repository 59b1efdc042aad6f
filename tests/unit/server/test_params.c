/* params: the table the API and the command line both read: sane rows,
 * one bound for both readers, the defaults, and --help written from it. */
#include "testutil.h"

#include "backtestopts.h"
#include "err.h"
#include "params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_rows_are_whole(void **state)
{
	(void)state;
	size_t n = 0;
	for (const struct param *const *p = params_all; *p; p++, n++) {
		assert_non_null((*p)->name);
		assert_non_null((*p)->option);
		assert_non_null((*p)->what);
		assert_non_null((*p)->help);
		assert_true((*p)->type == OPT_LONG || (*p)->type == OPT_DOUBLE);
		assert_true((*p)->min < (*p)->max);
		/* a default is 0 (the analysis chooses) or within the bounds */
		assert_true((*p)->def == 0 || ((*p)->def >= (*p)->min && (*p)->def <= (*p)->max));
	}
	assert_true(n >= 18);
}

/* An option made of a row refuses what the row's bounds refuse. */
static void test_option_takes_the_rows_bounds(void **state)
{
	double cell = 0, band = 0;
	const struct opt table[] = {
	    OPT_PARAM(param_grid_cell, &cell), OPT_PARAM(param_grid_band, &band), {0}};
	char a1[] = "--cell=100001", a2[] = "--cell", a3[] = "250", a4[] = "--band=0.5";
	char *bad[] = {a1}, *good[] = {a2, a3}, *bad_band[] = {a4};
	const char *pos[1];
	int npos;
	(void)state;
	assert_int_equal(opts_parse("t", "", "", table, 1, bad, pos, 1, &npos), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "from 1 to 100000"));
	assert_string_equal(err_field(), "--cell");
	assert_int_equal(opts_parse("t", "", "", table, 2, good, pos, 1, &npos), 0);
	assert_true(cell == 250);
	assert_int_equal(opts_parse("t", "", "", table, 1, bad_band, pos, 1, &npos), ERR_INVALID);
}

static void test_defaults_come_from_the_rows(void **state)
{
	struct backtestopts o;
	(void)state;
	backtestopts_defaults(&o);
	assert_int_equal(o.train, (long)param_backtest_train.def);
	assert_int_equal(o.folds, 44);
	assert_true(param_print_hotspots.def == 5);
}

static void test_help_is_written_from_the_rows(void **state)
{
	double cell = 0;
	long weeks = 0;
	char *text = NULL;
	size_t len = 0;
	const struct opt table[] = {
	    OPT_PARAM(param_grid_cell, &cell),
	    OPT_PARAM_HELP(param_trends_weeks, &weeks, "trends: weeks (12)"),
	    {0}};
	(void)state;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	opts_help(f, "t", "usage", "summary", table);
	fclose(f);
	assert_non_null(strstr(text, "--cell METRES"));
	assert_non_null(strstr(text, param_grid_cell.help));
	assert_non_null(strstr(text, "(1 to 100,000)"));
	assert_non_null(strstr(text, "trends: weeks (12)"));
	assert_non_null(strstr(text, "(4 to 104)"));
	free(text);
}

/* A comma-list option takes each item of each value, trimmed, empty ones
 * dropped, from the command line and a config file alike. */
static void test_comma_lists(void **state)
{
	struct opt_list l = {0};
	const struct opt table[] = {{"origin", OPT_COMMAS, &l, "O", "origins", 0, 0, 0}, {0}};
	char a1[] = "--origin", a2[] = " https://a.example ,https://b.example,, ",
	     a3[] = "--origin=https://c.example";
	char *argv[] = {a1, a2, a3};
	const char *pos[1];
	int npos;
	(void)state;
	assert_int_equal(opts_parse("t", "", "", table, 3, argv, pos, 1, &npos), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[0], "https://a.example");
	assert_string_equal(l.items[1], "https://b.example");
	assert_string_equal(l.items[2], "https://c.example");
	char path[] = "/tmp/posbon-test-params-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("origin = https://d.example, https://e.example # two\n", f);
	fclose(f);
	assert_int_equal(opts_load_file(path, table), 0);
	unlink(path);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.items[4], "https://e.example");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows_are_whole),
	    cmocka_unit_test(test_option_takes_the_rows_bounds),
	    cmocka_unit_test(test_defaults_come_from_the_rows),
	    cmocka_unit_test(test_help_is_written_from_the_rows),
	    cmocka_unit_test(test_comma_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
