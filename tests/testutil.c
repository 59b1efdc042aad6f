#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *testutil_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[512];
	snprintf(tmpl, sizeof tmpl, "%s/posbon-test-XXXXXX", base && *base ? base : "/tmp");
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	return strdup(dir);
}

void testutil_rmtree(char *dir)
{
	if (!dir)
		return;
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(dir);
}

const char *testutil_path(char *buf, size_t n, const char *dir, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
	return buf;
}

const char *testutil_shared_data(void)
{
	static char path[1024];
	struct stat sb;
	const char *src = getenv("POSBON_SOURCE_DIR");
	if (!src)
		return NULL;
	snprintf(path, sizeof path, "%s/../shared/data", src);
	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return NULL;
	return path;
}

void testutil_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}
