/* opts: the man page section written from an option table, as roff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	    cmocka_unit_test(test_man_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
