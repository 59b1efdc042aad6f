/*
 * fakehttp: the request side keeps what libmicrohttpd would have parsed;
 * the reply side checks what http.c's callers promise (one answer, a
 * status, data the reply takes over, JSON that is JSON) and frees it.
 * The JSON answers and errors are server/httpjson.c's own, on top of these.
 */
#include "fakehttp.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const double http_latency_bounds[HTTP_LATENCY_BUCKETS] = {5,   10,   25,   50,      100,
                                                          250, 1000, 5000, INFINITY};

static int hex(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* Decodes s in place ('+' is a space, %XX a byte; a malformed % stays). */
static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == '+') {
			*w++ = ' ';
		} else if (*r == '%' && hex(r[1]) >= 0 && hex(r[2]) >= 0) {
			*w++ = (char)(hex(r[1]) * 16 + hex(r[2]));
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

int fakehttp_init(struct fake_request *f, void *app, const char *method, const char *path,
                  const char *query, size_t query_len, const char *body, size_t body_len)
{
	memset(f, 0, sizeof *f);
	f->rq.method = method;
	f->rq.path = path;
	f->rq.app = app;
	f->rq.id = 1;
	snprintf(f->rq.who, sizeof f->rq.who, "fuzz");
	f->rq.role = 4; /* ROLE_ADMIN: the handlers' own checks, not auth's */
	if (!(f->query = malloc(query_len + 1)))
		return -1;
	memcpy(f->query, query, query_len);
	f->query[query_len] = '\0';
	for (char *p = f->query, *next; *p && f->n_args < FAKEHTTP_MAX_ARGS; p = next) {
		size_t n = strcspn(p, "&");
		next = p + n + (p[n] == '&');
		p[n] = '\0';
		char *eq = strchr(p, '=');
		if (eq)
			*eq = '\0';
		unescape(p);
		if (eq)
			unescape(eq + 1);
		f->args[f->n_args++] = (struct fake_pair){p, eq ? eq + 1 : NULL};
	}
	if (body) {
		char *copy = malloc(body_len + 1);
		if (!copy)
			return -1;
		memcpy(copy, body, body_len);
		copy[body_len] = '\0';
		f->rq.body = copy;
		f->rq.body_len = body_len;
	}
	return 0;
}

void fakehttp_header(struct fake_request *f, const char *name, const char *value)
{
	assert(f->n_headers < FAKEHTTP_MAX_HEADERS);
	f->headers[f->n_headers++] = (struct fake_pair){name, value};
}

void fakehttp_free(struct fake_request *f)
{
	free(f->query);
	free((char *)f->rq.body);
}

static const char *lookup(const struct fake_pair *pairs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(pairs[i].name, name) == 0)
			return pairs[i].value;
	return NULL;
}

const char *http_arg(struct http_request *rq, const char *name)
{
	struct fake_request *f = (struct fake_request *)rq;
	return lookup(f->args, f->n_args, name);
}

const char *http_header(struct http_request *rq, const char *name)
{
	struct fake_request *f = (struct fake_request *)rq;
	return lookup(f->headers, f->n_headers, name);
}

const char *http_cookie(struct http_request *rq, const char *name)
{
	(void)rq;
	(void)name;
	return NULL;
}

/* Every answer passes here: exactly one per handler call. */
static int answered(struct http_request *rq, unsigned status, size_t len)
{
	assert(rq->status == 0 && "a handler answered twice");
	assert(status >= 100 && status < 600);
	rq->status = status;
	rq->bytes = len;
	return 1; /* MHD_YES */
}

/* Aborts with what was wrong: an assert would not print the text. */
static void refuse(const char *what, const unsigned char *text, size_t len)
{
	fprintf(stderr, "fakehttp: %s: %.*s\n", what, (int)len, (const char *)text);
	abort();
}

/* The JSON answers (server/httpjson.c) come here too: what says it is JSON
 * must parse. */
static void check_body(const char *content_type, const unsigned char *data, size_t len)
{
	assert(content_type);
	assert(data || len == 0);
	if (strncmp(content_type, "application/json", 16) != 0)
		return;
	json_error_t e;
	json_t *v = json_loadb((const char *)data, len, JSON_DECODE_ANY, &e);
	if (!v)
		refuse("the answer is not JSON", data, len);
	json_decref(v);
}

int http_reply(struct http_request *rq, unsigned status, const char *content_type,
               unsigned char *data, size_t len, ...)
{
	check_body(content_type, data, len);
	free(data);
	return answered(rq, status, len);
}

int http_reply_shared(struct http_request *rq, unsigned status, const char *content_type,
                      const void *data, size_t len, void (*release)(void *cls), void *cls, ...)
{
	check_body(content_type, data, len);
	release(cls);
	return answered(rq, status, len);
}

int http_reply_file(struct http_request *rq, const char *path, const char *content_type,
                    const char *cache_control)
{
	(void)path;
	(void)content_type;
	(void)cache_control;
	return answered(rq, 200, 0);
}

int http_reply_not_modified(struct http_request *rq, const char *etag, const char *cache_control)
{
	(void)etag;
	(void)cache_control;
	return answered(rq, 304, 0);
}

int http_reply_response(struct http_request *rq, unsigned status, struct MHD_Response *r)
{
	(void)r; /* only the event stream makes one, which no target opens */
	return answered(rq, status, 0);
}

void http_stats(http_server *s, struct http_stats *out)
{
	(void)s;
	memset(out, 0, sizeof *out);
}
