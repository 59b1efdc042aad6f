/* durable: temporary names beside a target, and putting a finished file in
 * place, over the target or only where there is none. */
#include "testutil.h"

#include "durable.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void read_back(const char *path, const char *want)
{
	char text[64] = "";
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(text, sizeof text, f));
	fclose(f);
	assert_string_equal(text, want);
}

static void test_commit(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir(), path[600];
	char *a = NULL, *b = NULL;
	testutil_path(path, sizeof path, dir, "out.bin");
	assert_int_equal(durable_temp_name(path, &a), 0);
	assert_int_equal(durable_temp_name(path, &b), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(strncmp(a, path, strlen(path)), 0); /* beside it */

	testutil_write(a, "first");
	assert_int_equal(durable_commit(a, path, 0), 0);
	assert_int_equal(access(a, F_OK), -1);
	read_back(path, "first");

	/* not over an existing file, which stays as it was, nor the temporary */
	testutil_write(b, "second");
	assert_int_equal(durable_commit(b, path, 0), ERR_CONFLICT);
	read_back(path, "first");
	read_back(b, "second");
	/* over it when asked */
	assert_int_equal(durable_commit(b, path, 1), 0);
	read_back(path, "second");
	assert_int_equal(access(b, F_OK), -1);

	assert_int_equal(durable_commit(b, path, 1), ERR_IO); /* gone */
	assert_int_equal(durable_sync(dir), 0);
	assert_int_equal(durable_sync_folder(path), 0);
	free(a);
	free(b);
	testutil_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_commit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
