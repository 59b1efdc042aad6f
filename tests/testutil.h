/*
 * testutil: helpers shared by the cmocka tests: temporary folders (tests
 * write nowhere else) and the location of ../shared/data.
 */
#ifndef POSBON_TESTUTIL_H
#define POSBON_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

/* A new temporary folder, removed with everything in it by testutil_rmtree().
 * Returns a malloc'd path. */
char *testutil_tmpdir(void);

/* Removes a folder made by testutil_tmpdir() and frees the path; accepts NULL. */
void testutil_rmtree(char *dir);

/* path joined under dir into buf. */
const char *testutil_path(char *buf, size_t n, const char *dir, const char *name);

/* The real datasets folder (../shared/data beside the source tree), or NULL
 * when it is absent; tests that need it skip. */
const char *testutil_shared_data(void);

/* Writes text to a file; fails the test on error. */
void testutil_write(const char *path, const char *text);

#endif
