/*
 * The query arguments of the API's GET routes and tiles (query_filter(),
 * query_plan(), query_trends() and each handler's own), answered by the
 * handlers of routes_table on the sample district, without a socket.
 *
 * Input: the path, '?', the query string ("/api/plan?shift=18-02"). Paths
 * no GET route answers, the event stream (it needs a live connection) and
 * the static files are left out, and so are /print/ (its documents are
 * slow) and backtests of more than MAX_FOLDS folds (44 by default): the
 * target is after bad arguments, not after the time big analyses take.
 */
#include "fuzzutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FOLDS 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int left_out(const char *prefix)
{
	return strcmp(prefix, "/api/events") == 0 || strcmp(prefix, "/") == 0 ||
	       strcmp(prefix, "/print/") == 0 || strcmp(prefix, "/wms") == 0;
}

/* The GET route of path, as http.c matches it; NULL for none. */
static const struct http_route *route_of(const char *path)
{
	for (const struct http_route *r = routes_table; r->method; r++) {
		size_t n = strlen(r->prefix);
		if (strcmp(r->method, "GET") != 0 || strncmp(path, r->prefix, n) != 0 ||
		    !(r->prefix[n - 1] == '/' || path[n] == '\0' || path[n] == '/'))
			continue;
		return left_out(r->prefix) ? NULL : r;
	}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct app *app = fuzzutil_app();
	const uint8_t *q = memchr(data, '?', size);
	size_t path_len = q ? (size_t)(q - data) : size;
	char path[256];
	if (path_len >= sizeof path || memchr(data, '\0', path_len))
		return 0;
	memcpy(path, data, path_len);
	path[path_len] = '\0';
	const struct http_route *r = route_of(path);
	if (!r)
		return 0;
	struct fake_request f;
	const char *query = q ? (const char *)q + 1 : "";
	const char *folds;
	if (fakehttp_init(&f, app, "GET", path, query, q ? size - path_len - 1 : 0, NULL, 0) == 0 &&
	    !(strncmp(path, "/api/backtest", 13) == 0 &&
	      (!(folds = http_arg(&f.rq, "folds")) || strtol(folds, NULL, 10) > MAX_FOLDS))) {
		fakehttp_header(&f, "Authorization", fuzzutil_viewer());
		fuzzutil_call(r->handler, &f);
	}
	fakehttp_free(&f);
	return 0;
}
