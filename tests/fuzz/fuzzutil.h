/*
 * fuzzutil: what the fuzz targets share: a sample district made once per
 * process in a temporary folder (removed at exit), served by an app as
 * cmd_serve.c builds it, and a viewer token for the handlers that
 * authorize themselves.
 *
 * Threading: the fuzz loop's thread only.
 */
#ifndef POSBON_FUZZUTIL_H
#define POSBON_FUZZUTIL_H

#include "fakehttp.h"
#include "routes.h"
#include "store.h"

#include <stddef.h>

/* The process's app over the sample district (FUZZUTIL_OFFENCES offences,
 * a year ending 2026-06-30), made on the first call; exits the process
 * with a message when it cannot be made. */
struct app *fuzzutil_app(void);

/* "Bearer TOKEN" of a viewer of fuzzutil_app()'s database. */
const char *fuzzutil_viewer(void);

/* A new store at path "dir/name" in the process's temporary folder with a
 * small sample district in it (mahallas for imports to find), writing
 * without fsync; exits the process on failure. Close with store_close(). */
store *fuzzutil_sample_store(const char *name);

/* name joined to the process's temporary folder into buf; returns buf. */
const char *fuzzutil_path(const char *name, char *buf, size_t n);

/* The database connection of the app's handlers on this thread,
 * writing without fsync (writes are fuzzed, not durability). */
store *fuzzutil_handler_store(void);

/* Runs handler on f's request and checks that it answered exactly once. */
void fuzzutil_call(http_handler handler, struct fake_request *f);

#define FUZZUTIL_OFFENCES 1500

#endif
