/*
 * fakehttp: http.h without libmicrohttpd, for the fuzz targets. A request
 * is made from a method, a path, a query string (decoded as
 * libmicrohttpd decodes it: '+' and %XX, names compared without case, the
 * first of a repeated name wins, a name without '=' has no value), headers
 * and a body; a handler's answer is kept only as its status and freed.
 *
 * The targets link fakehttp.o before the posbon_server library, so that
 * the library's http.o (and with it the daemon) is never pulled in; a new
 * http.h function that a handler calls must be added here too, or linking
 * fails with duplicate symbols.
 */
#ifndef POSBON_FAKEHTTP_H
#define POSBON_FAKEHTTP_H

#include "http.h"

#include <stddef.h>

#define FAKEHTTP_MAX_ARGS    64
#define FAKEHTTP_MAX_HEADERS 8

struct fake_request {
	struct http_request rq; /* first: handlers get &rq, http_arg() gets it back */
	char *query;            /* the decoded pairs, owned */
	struct fake_pair {
		const char *name, *value;
	} args[FAKEHTTP_MAX_ARGS], headers[FAKEHTTP_MAX_HEADERS];
	size_t n_args, n_headers;
};

/* Prepares f for app from the query (len bytes, not NUL-terminated; may
 * be empty) and body (NULL or len bytes; copied NUL-terminated as http.c
 * keeps it). Returns 0, or -1 when out of memory. Free with
 * fakehttp_free(). */
int fakehttp_init(struct fake_request *f, void *app, const char *method, const char *path,
                  const char *query, size_t query_len, const char *body, size_t body_len);

/* Adds a request header (both strings borrowed for f's life); at most
 * FAKEHTTP_MAX_HEADERS. */
void fakehttp_header(struct fake_request *f, const char *name, const char *value);

void fakehttp_free(struct fake_request *f);

#endif
