/* datapath: the option first, then --share-dir alone, then the build
 * folder's source tree; folders made with their parents. */
#include "testutil.h"

#include "datapath.h"
#include "err.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void test_given_wins(void **state)
{
	(void)state;
	char out[PATH_MAX];
	assert_int_equal(datapath_find(DATAPATH_STYLE, "mine.json", "/nowhere", out, sizeof out),
	                 0);
	assert_string_equal(out, "mine.json");
}

/* This test runs from a build folder, whose posbon-source-dir names the
 * checkout: every file is found there. */
static void test_build_folder_finds_the_source_tree(void **state)
{
	(void)state;
	char out[PATH_MAX], want[PATH_MAX], real_out[PATH_MAX], real_want[PATH_MAX];
	const char *src = getenv("POSBON_SOURCE_DIR");
	assert_non_null(src);
	const struct {
		enum datapath_file what;
		const char *rel;
	} cases[] = {{DATAPATH_STYLE, "styles/default.json"},
	             {DATAPATH_WEB, "web"},
	             {DATAPATH_LEAFLET, "node_modules/leaflet/dist"},
	             {DATAPATH_GEOMAN, "node_modules/@geoman-io/leaflet-geoman-free/dist"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(datapath_find(cases[i].what, NULL, NULL, out, sizeof out), 0);
		snprintf(want, sizeof want, "%s/%s", src, cases[i].rel);
		assert_non_null(realpath(out, real_out));
		assert_non_null(realpath(want, real_want));
		assert_string_equal(real_out, real_want);
	}
}

static void test_share_dir_either_layout_and_nothing_else(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir();
	char out[PATH_MAX], path[PATH_MAX];
	/* Installed layout for Leaflet, the source tree's for Geoman. */
	assert_int_equal(
	    datapath_make_dirs(testutil_path(path, sizeof path, dir, "vendor/leaflet"), 0750), 0);
	assert_int_equal(
	    datapath_make_dirs(testutil_path(path, sizeof path, dir,
	                                     "node_modules/@geoman-io/leaflet-geoman-free/dist"),
	                       0750),
	    0);
	assert_int_equal(datapath_find(DATAPATH_LEAFLET, NULL, dir, out, sizeof out), 0);
	assert_string_equal(out, testutil_path(path, sizeof path, dir, "vendor/leaflet"));
	assert_int_equal(datapath_find(DATAPATH_GEOMAN, NULL, dir, out, sizeof out), 0);
	assert_string_equal(out, testutil_path(path, sizeof path, dir,
	                                       "node_modules/@geoman-io/leaflet-geoman-free/dist"));
	/* Not in the share folder: not looked for in the source tree. */
	assert_int_equal(datapath_find(DATAPATH_STYLE, NULL, dir, out, sizeof out), ERR_IO);
	assert_non_null(strstr(err_msg(), "--share-dir"));
	assert_non_null(strstr(err_msg(), "styles/default.json"));
	testutil_rmtree(dir);
}

static void test_make_dirs(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir();
	char path[PATH_MAX + 16], file[PATH_MAX];
	struct stat sb;
	testutil_path(path, sizeof path, dir, "cache/tiles/");
	assert_int_equal(datapath_make_dirs(path, 0750), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777 & ~0750, 0);
	assert_int_equal(stat(testutil_path(path, sizeof path, dir, "cache"), &sb), 0);
	assert_int_equal(sb.st_mode & 0777 & ~0750, 0);
	/* Again: what exists is kept. */
	assert_int_equal(datapath_make_dirs(path, 0750), 0);
	/* A file in the way is named. */
	testutil_write(testutil_path(file, sizeof file, dir, "plain"), "x");
	snprintf(path, sizeof path, "%s/under", file);
	assert_int_equal(datapath_make_dirs(path, 0750), ERR_IO);
	assert_non_null(strstr(err_msg(), file));
	assert_int_equal(datapath_make_dirs("", 0750), ERR_IO);
	testutil_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_given_wins),
	    cmocka_unit_test(test_build_folder_finds_the_source_tree),
	    cmocka_unit_test(test_share_dir_either_layout_and_nothing_else),
	    cmocka_unit_test(test_make_dirs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
