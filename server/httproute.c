/*
 * httproute: which route of a table answers a request (http.h). Apart
 * from http.c, which holds libmicrohttpd, so that tests and the fuzz
 * targets' stand-in for http.c match routes as the daemon does.
 */
#include "http.h"

#include <stdio.h>
#include <string.h>

/* "/api/mahallas" answers itself and "/api/mahallas/..."; a prefix ending
 * in '/' answers everything below it. */
static int route_matches(const char *prefix, const char *path)
{
	size_t n = strlen(prefix);
	if (strncmp(path, prefix, n) != 0)
		return 0;
	return prefix[n - 1] == '/' || path[n] == '\0' || path[n] == '/';
}

const struct http_route *http_route_find(const struct http_route *table, const char *method,
                                         const char *path, unsigned *status)
{
	*status = 404;
	for (const struct http_route *r = table; r->method; r++) {
		if (!route_matches(r->prefix, path))
			continue;
		*status = 405;
		if (strcmp(method, r->method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
			return r;
	}
	return NULL;
}

void http_route_methods(const struct http_route *table, const char *path, char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (const struct http_route *r = table; r->method; r++) {
		const char *m = r->method;
		int twice = 0;
		for (const struct http_route *before = table; before < r && !twice; before++)
			twice =
			    strcmp(before->method, m) == 0 && route_matches(before->prefix, path);
		if (twice || !route_matches(r->prefix, path))
			continue;
		int w = snprintf(out + used, n - used, "%s%s%s", used ? ", " : "", m,
		                 strcmp(m, "GET") == 0 ? ", HEAD" : "");
		if (w < 0 || (size_t)w >= n - used) {
			out[used] = '\0';
			return;
		}
		used += (size_t)w;
	}
}
