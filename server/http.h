/*
 * http: the daemon's HTTP front on libmicrohttpd.
 *
 * Owns the listening daemon (epoll with a pool of worker threads sized to
 * the cores, connections capped in all and per address), the per-request
 * context (an id for the logs, the start time, a body buffer with a cap),
 * dispatch to the route table with authorization at the headers (refusals
 * are answered before any of the body is read), the access log,
 * graceful shutdown (stop accepting, let in-flight requests finish), and the
 * reply helpers every handler uses, so that every error is JSON naming what
 * was wrong.
 *
 * Threading: handlers run on the worker threads, several at once; the
 * http_request they get belongs to that call.
 *
 * http.c holds everything that touches libmicrohttpd; the JSON answers
 * (http_reply_json, http_reply_value, http_reply_error) are in httpjson.c,
 * written on http_reply() only, so that the fuzz targets' stand-in for
 * http.c shares them; route matching (http_route_find) is in httproute.c.
 */
#ifndef POSBON_HTTP_H
#define POSBON_HTTP_H

#include "netaddr.h"

#include <stddef.h>
#include <stdint.h>

typedef struct http_server http_server;
struct MHD_Connection;

struct http_request {
	struct MHD_Connection *conn;
	const char *method;
	const char *path; /* without the query string */
	unsigned long id;
	const char *body; /* uploaded body, NUL-terminated; NULL for none */
	size_t body_len;
	void *app;     /* what http_start() was given */
	char who[128]; /* authenticated name, "" for none */
	int role;      /* authenticated role (the app's numbering), 0 for none */
	int by_cookie; /* set by the authorize hook: the credentials were a cookie */
	/* Set by the authorize hook: the territory the credentials reach, in
	 * the app's words (auth.h's districts); "": everything. */
	char scope[1024];
	/* Set by the authorize hook: the service the credentials speak for,
	 * "CODE" or "CODE/UNIT"; "": none. */
	char service[96];
	char denial[160]; /* set by the authorize hook with a 401: what to answer ("": the usual) */
	/* The request carried credentials (an Authorization header or a
	 * cookie) or its route needs them: its answer is for this client
	 * alone (see http_reply()). */
	int credentialed;
	/* The client's address (netaddr.h): the peer's, or from a trusted
	 * proxy the last address of X-Forwarded-For that is not one; and its
	 * text, for the logs. */
	unsigned char addr[16];
	char client[NETADDR_TEXT];
	/* How the client reached the server: secure over TLS, the Host
	 * header; from a trusted proxy, what it forwarded: X-Forwarded-Proto
	 * https makes it secure, and X-Forwarded-Host is the host. host is
	 * NULL without a Host header. */
	int secure;
	const char *host;
	unsigned retry_after; /* with a 429: the seconds of its Retry-After */
	unsigned status;      /* set by the reply helpers, for the access log */
	size_t bytes;
	/* When set, http_reply_error() answers through it with the formatted
	 * message instead of JSON (the WMS answers errors in XML). */
	int (*error_reply)(struct http_request *rq, unsigned status, const char *field,
	                   const char *msg);
};

/* A handler answers with exactly one of the reply helpers below and returns
 * what that helper returned. */
typedef int (*http_handler)(struct http_request *rq);

struct http_route {
	const char *method; /* "GET"; NULL ends the table */
	const char *prefix; /* the path starts with it */
	http_handler handler;
	int need; /* role the caller must have; 0: anyone */
};

/* The route of table for method and path (HEAD is answered by GET's),
 * or NULL with *status 404 (no route has the path) or 405 (one has it,
 * for another method). The first match in table order wins. */
const struct http_route *http_route_find(const struct http_route *table, const char *method,
                                         const char *path, unsigned *status);

/* The methods table takes on path, joined by ", " ("GET, HEAD, POST"),
 * into out[n] (cut at a whole method when it is too small); "" for none. */
void http_route_methods(const struct http_route *table, const char *path, char *out, size_t n);

/* Decides whether rq may use a route that needs role need, filling rq->who,
 * rq->role and rq->by_cookie. Called when the headers are in, before any of
 * the body is read (rq->body is NULL): returns 0 to go on, or 401 (no valid
 * credentials), 403 (a role that may not) or 429 (too many wrong
 * credentials from the client's address lately; rq->retry_after set),
 * which http.c answers as a JSON error. A write (any method but GET and HEAD) authorized by a
 * cookie must then also come from the server's own pages (a same-origin Origin, or Sec-Fetch-Site:
 * same-origin without one) and carry no body but JSON, else 403 naming "origin" or "content-type":
 * a browser sends cookies with requests that other sites' pages make. */
typedef unsigned (*http_authorize)(struct http_request *rq, int need);

struct http_options {
	const char *host; /* "127.0.0.1" */
	int port;
	int threads;        /* worker threads; 0: the number of cores */
	size_t max_body;    /* largest request body accepted */
	unsigned timeout_s; /* idle seconds before a connection is closed */
	/* Connections open at once, in all (0: 512; at least the threads,
	 * each of which takes its share), and from one address (0: no
	 * limit). Past them a new connection waits in the listen queue (in
	 * all) or is closed at once (one address). */
	unsigned max_connections, max_per_address;
	const char *tls_cert, *tls_key; /* PEM text; both NULL: plain HTTP */
	const struct http_route *routes;
	http_authorize authorize; /* NULL: every route is open */
	/* Origins whose pages may read the answers (CORS): a request with one
	 * of them as its Origin gets Access-Control-Allow-Origin naming it,
	 * and an OPTIONS preflight 204; another origin's preflight 403. None:
	 * browsers keep to same-origin pages. Borrowed. */
	const char *const *cors_origins;
	size_t n_cors_origins;
	/* Headers every answer carries, errors and files too (the security
	 * headers, webpolicy.h): name, value, ..., NULL; NULL for none.
	 * Borrowed. */
	const char *const *headers;
	/* Proxies whose X-Forwarded-For, -Proto and -Host are believed (see
	 * http_request); from any other peer they are ignored. Borrowed. */
	const struct netaddr_net *trusted_proxies;
	size_t n_trusted_proxies;
	void *app;
};

/* Starts listening. *out is new; stop with http_stop(). ERR_IO when the
 * address cannot be bound. */
int http_start(const struct http_options *o, http_server **out);

/* The port actually bound (useful with port 0). */
int http_port(const http_server *s);

/* Stops accepting, waits up to grace_ms for in-flight requests, then closes
 * everything and frees the server; accepts NULL. */
void http_stop(http_server *s, int grace_ms);

#define HTTP_LATENCY_BUCKETS 9

/* Counters for /metrics. */
struct http_stats {
	unsigned long requests;
	unsigned long by_class[6];                   /* [2] = 2xx ... [5] = 5xx */
	unsigned long latency[HTTP_LATENCY_BUCKETS]; /* cumulative, see http_latency_bounds */
	double latency_sum_ms;
};

/* Upper bounds in milliseconds of the latency buckets (the last is +Inf). */
extern const double http_latency_bounds[HTTP_LATENCY_BUCKETS];

void http_stats(http_server *s, struct http_stats *out);

/* A query-string argument, or NULL. Borrowed for the request. */
const char *http_arg(struct http_request *rq, const char *name);

/* A cookie of the request, or NULL. */
const char *http_cookie(struct http_request *rq, const char *name);

/* A request header, or NULL. */
const char *http_header(struct http_request *rq, const char *name);

/* Replies with data (taken over: freed with free() after sending) and the
 * content type; extra headers as name/value pairs ending with NULL (a
 * NULL value skips its pair).
 *
 * Every answer of the helpers below is sent with what a shared cache
 * must know: a Cache-Control given as "public, ..." goes out as
 * "private, ..." when the request is credentialed, with
 * "Vary: Authorization, Cookie", so that no proxy hands one client's
 * answer to another. Handlers therefore say "public" for what an answer
 * may be cached at all. */
int http_reply(struct http_request *rq, unsigned status, const char *content_type,
               unsigned char *data, size_t len, ...);

/* Replies with len bytes at data without copying them: they must stay
 * valid until release(cls), which is called exactly once, when the answer
 * has been sent or dropped (or at once if it cannot be made), possibly on
 * another thread. Content type and extra headers as http_reply(). */
int http_reply_shared(struct http_request *rq, unsigned status, const char *content_type,
                      const void *data, size_t len, void (*release)(void *cls), void *cls, ...);

/* Replies with a JSON text (copied). */
int http_reply_json(struct http_request *rq, unsigned status, const char *json);

/* Replies with a jansson value (taken over: released here) as JSON, with
 * the header pair given (both NULL: none); 500 when it is NULL or cannot
 * be written. */
typedef struct json_t json_t;
int http_reply_value(struct http_request *rq, unsigned status, json_t *v, const char *header,
                     const char *value);

/* Replies {"error": message, "field": field} with a 4xx/5xx status; field
 * may be NULL. The message is formatted. */
int http_reply_error(struct http_request *rq, unsigned status, const char *field, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));

/* Replies with the file at path (opened here; sent with sendfile) and the
 * content type; 404 JSON when it cannot be opened. */
int http_reply_file(struct http_request *rq, const char *path, const char *content_type,
                    const char *cache_control);

/* Replies 304 Not Modified with the ETag and the Cache-Control the full
 * answer would have had. */
int http_reply_not_modified(struct http_request *rq, const char *etag, const char *cache_control);

/* Queues r, a libmicrohttpd response the caller made (a stream), with the
 * status and the headers every answer carries; takes r over. */
struct MHD_Response;
int http_reply_response(struct http_request *rq, unsigned status, struct MHD_Response *r);

#endif
