/*
 * http: libmicrohttpd glue. The first call for a request has its headers
 * and no body yet: the route is found and the caller authorized there, and
 * a refusal (no route, no credentials, a role that may not, a body
 * announced over max_body) is answered at once. libmicrohttpd then closes
 * the connection without reading the body, so an unauthorized client
 * cannot make the server read or hold one. Bodies of admitted requests are
 * gathered into a per-request buffer capped at max_body (a chunked upload
 * that grows past it is answered 413 once it ends); the handler runs when
 * the request is complete, and the completion callback writes the access
 * line and frees the request.
 */
#include "http.h"

#include "err.h"
#include "log.h"
#include "webpolicy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <glib.h>
#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_options o;
	atomic_ulong next_id;
	pthread_mutex_t stats_lock;
	struct http_stats stats;
};

const double http_latency_bounds[HTTP_LATENCY_BUCKETS] = {5,   10,   25,   50,      100,
                                                          250, 1000, 5000, INFINITY};

void http_stats(http_server *s, struct http_stats *out)
{
	pthread_mutex_lock(&s->stats_lock);
	*out = s->stats;
	pthread_mutex_unlock(&s->stats_lock);
}

struct req_ctx {
	struct http_request rq; /* first: the reply helpers get the context back from it */
	http_server *s;
	struct timespec t0;
	const char *cors_origin;        /* the request's Origin when CORS allows it */
	const struct http_route *route; /* chosen at the headers */
	char *body;
	size_t len, cap;
	int too_big;
};

const char *http_arg(struct http_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_cookie(struct http_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

const char *http_header(struct http_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

/* Cache-Control as it goes out for rq: never "public" when the request
 * is credentialed (http.h). */
static void add_cache_control(struct http_request *rq, struct MHD_Response *r, const char *value)
{
	char private_[128] = "private";
	size_t n = strlen(value);
	if (rq->credentialed && strncmp(value, "public", 6) == 0) {
		if (n - 6 < sizeof private_ - 7)
			memcpy(private_ + 7, value + 6, n - 6 + 1);
		value = private_;
	}
	MHD_add_response_header(r, "Cache-Control", value);
}

/* Adds what every answer carries to r, queues it with status and lets it
 * go (MHD keeps it until sent). */
static enum MHD_Result send_response(struct http_request *rq, unsigned status,
                                     struct MHD_Response *r, size_t len)
{
	const struct req_ctx *c = (const struct req_ctx *)rq;
	/* An answer differs by Origin when CORS names some, and by the
	 * credentials when it needed them. */
	static const char *const vary[] = {NULL, "Origin", "Authorization, Cookie",
	                                   "Origin, Authorization, Cookie"};
	const char *v = vary[(c->s->o.n_cors_origins > 0) | (rq->credentialed ? 2 : 0)];
	if (v)
		MHD_add_response_header(r, "Vary", v);
	for (const char *const *h = c->s->o.headers; h && *h; h += 2)
		MHD_add_response_header(r, h[0], h[1]);
	if (rq->retry_after) {
		char seconds[16];
		snprintf(seconds, sizeof seconds, "%u", rq->retry_after);
		MHD_add_response_header(r, "Retry-After", seconds);
	}
	if (c->cors_origin) {
		MHD_add_response_header(r, "Access-Control-Allow-Origin", c->cors_origin);
		MHD_add_response_header(r, "Access-Control-Expose-Headers", "ETag, Retry-After");
	}
	rq->status = status;
	rq->bytes = len;
	enum MHD_Result ok = MHD_queue_response(rq->conn, status, r);
	MHD_destroy_response(r);
	return ok;
}

int http_reply_response(struct http_request *rq, unsigned status, struct MHD_Response *r)
{
	return send_response(rq, status, r, 0);
}

/* Adds the content type and the name/value pairs of ap to r, and sends
 * it. */
static int queue(struct http_request *rq, unsigned status, struct MHD_Response *r,
                 const char *content_type, size_t len, va_list ap)
{
	MHD_add_response_header(r, "Content-Type", content_type);
	for (const char *name; (name = va_arg(ap, const char *)) != NULL;) {
		const char *value = va_arg(ap, const char *);
		if (value && strcasecmp(name, "Cache-Control") == 0)
			add_cache_control(rq, r, value);
		else if (value)
			MHD_add_response_header(r, name, value);
	}
	return send_response(rq, status, r, len);
}

static enum MHD_Result find_non_utf8(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
	const char **bad = cls;
	(void)kind;
	if (g_utf8_validate(key, -1, NULL) && (!value || g_utf8_validate(value, -1, NULL)))
		return MHD_YES;
	*bad = key;
	return MHD_NO;
}

/* The path, or the first query argument, that is not UTF-8; NULL when all
 * are. Handlers repeat them in JSON, which must be UTF-8 (jansson refuses
 * anything else), so they are refused once for every route here. */
static const char *non_utf8(struct http_request *rq)
{
	const char *bad = NULL;
	if (!g_utf8_validate(rq->path, -1, NULL))
		return "path";
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, find_non_utf8, &bad);
	return bad;
}

int http_reply(struct http_request *rq, unsigned status, const char *content_type,
               unsigned char *data, size_t len, ...)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(data);
		return MHD_NO;
	}
	va_list ap;
	va_start(ap, len);
	int ok = queue(rq, status, r, content_type, len, ap);
	va_end(ap);
	return ok;
}

int http_reply_shared(struct http_request *rq, unsigned status, const char *content_type,
                      const void *data, size_t len, void (*release)(void *cls), void *cls, ...)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer_with_free_callback_cls(len, (void *)data, release, cls);
	if (!r) {
		release(cls);
		return MHD_NO;
	}
	va_list ap;
	va_start(ap, cls);
	int ok = queue(rq, status, r, content_type, len, ap);
	va_end(ap);
	return ok;
}

int http_reply_file(struct http_request *rq, const char *path, const char *content_type,
                    const char *cache_control)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return http_reply_error(rq, 404, "path", "no such file: %s", rq->path);
	}
	struct MHD_Response *r = MHD_create_response_from_fd((size_t)sb.st_size, fd);
	if (!r) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", content_type);
	add_cache_control(rq, r, cache_control);
	return send_response(rq, 200, r, (size_t)sb.st_size);
}

int http_reply_not_modified(struct http_request *rq, const char *etag, const char *cache_control)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "ETag", etag);
	add_cache_control(rq, r, cache_control);
	return send_response(rq, 304, r, 0);
}

static enum MHD_Result reply_too_big(http_server *s, struct http_request *rq)
{
	return http_reply_error(rq, 413, "body", "request body over %zu bytes (--max-body-kb)",
	                        s->o.max_body);
}

/* Whether origin ("https://host:port") is this server as the request
 * reached it: the scheme and the host (http.h). Behind a proxy that ends
 * TLS and does not say so, the daemon speaks plain HTTP to pages served
 * over HTTPS, so plain HTTP takes either scheme; a secure request takes
 * only https. */
static int same_origin(struct http_request *rq, const char *origin)
{
	const char *rest = NULL;
	if (!rq->host || !*rq->host)
		return 0;
	if (strncmp(origin, "https://", 8) == 0)
		rest = origin + 8;
	else if (!rq->secure && strncmp(origin, "http://", 7) == 0)
		rest = origin + 7;
	return rest && strcasecmp(rest, rq->host) == 0;
}

/* Refuses a write that another site's page may have made: one authorized
 * by the cookie (see http_authorize), or a browser's write to a route open
 * to anyone (the login: a cross-site form could log the victim in as the
 * attacker). Answers 403 and returns 1, or returns 0. */
static int cross_site(struct http_request *rq, int need, enum MHD_Result *reply)
{
	const char *origin = http_header(rq, "Origin");
	const char *fetch_site = http_header(rq, "Sec-Fetch-Site");
	int browser_anonymous = need == 0 && (origin || fetch_site);
	if (!(rq->by_cookie || browser_anonymous) || strcmp(rq->method, "GET") == 0 ||
	    strcmp(rq->method, "HEAD") == 0)
		return 0;
	if (origin ? !same_origin(rq, origin)
	           : !(fetch_site && strcmp(fetch_site, "same-origin") == 0)) {
		*reply = http_reply_error(rq, 403, "origin",
		                          "a write with the session cookie must come from this "
		                          "server's pages (Origin %s)",
		                          origin ? origin : "absent");
		return 1;
	}
	/* Forms send text/plain, urlencoded or multipart bodies without asking;
	 * JSON takes a CORS preflight, which only the origins of --cors-origin
	 * pass, and their writes with the cookie are refused above. */
	const char *type = http_header(rq, "Content-Type");
	const char *length = http_header(rq, "Content-Length");
	int has_body = (length && strtoull(length, NULL, 10) > 0) ||
	               http_header(rq, "Transfer-Encoding") != NULL;
	if ((type || has_body) && !(type && strncasecmp(type, "application/json", 16) == 0 &&
	                            (type[16] == '\0' || type[16] == ';' || type[16] == ' '))) {
		*reply = http_reply_error(rq, 403, "content-type",
		                          "a write with the session cookie must send "
		                          "Content-Type: application/json (not %s)",
		                          type ? type : "none");
		return 1;
	}
	return 0;
}

/* The last item of the comma list from list to end, without the blanks
 * around it: its start, its length into *len, and into *rest where the
 * list before it ends (its comma), NULL when it is the first. */
static const char *last_item(const char *list, const char *end, size_t *len, const char **rest)
{
	const char *start = end;
	while (start > list && start[-1] != ',')
		start--;
	*rest = start > list ? start - 1 : NULL;
	while (start < end && (*start == ' ' || *start == '\t'))
		start++;
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*len = (size_t)(end - start);
	return start;
}

/* The last item of the header name's comma list, into *len; NULL when
 * there is no such header. */
static const char *last_of(struct http_request *rq, const char *name, size_t *len)
{
	const char *list = http_header(rq, name), *rest;
	return list ? last_item(list, list + strlen(list), len, &rest) : NULL;
}

/* Takes what a trusted proxy forwarded into rq (http.h). */
static void forwarded(http_server *s, struct http_request *rq)
{
	const struct netaddr_net *nets = s->o.trusted_proxies;
	size_t n_nets = s->o.n_trusted_proxies, n;
	if (!n_nets || !netaddr_net_match(nets, n_nets, rq->addr))
		return;
	/* Each proxy appends its peer: from the right, the first address
	 * that is not a trusted proxy is the client. */
	const char *xff = http_header(rq, "X-Forwarded-For");
	unsigned char addr[16];
	for (const char *end = xff ? xff + strlen(xff) : NULL; end;) {
		const char *item = last_item(xff, end, &n, &end);
		if (netaddr_parse(item, n, addr) < 0)
			break;
		memcpy(rq->addr, addr, 16);
		if (!netaddr_net_match(nets, n_nets, addr))
			break;
	}
	netaddr_text(rq->addr, rq->client);
	const char *proto = last_of(rq, "X-Forwarded-Proto", &n);
	if (proto)
		rq->secure = n == 5 && strncasecmp(proto, "https", 5) == 0;
	const char *host = last_of(rq, "X-Forwarded-Host", &n);
	/* a host name or address and a port: it goes into the URLs written */
	if (host && n && n < 256 && !host[n] &&
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
	        n)
		rq->host = host;
}

/* Answers OPTIONS: a CORS preflight from an origin of --cors-origin gets
 * 204 with what its page may send (the answers then name the origin, never
 * "*"); any other 403 naming "origin", without CORS headers. */
static enum MHD_Result preflight(http_server *s, struct req_ctx *c)
{
	struct http_request *rq = &c->rq;
	char methods[128];
	http_route_methods(s->o.routes, rq->path, methods, sizeof methods);
	if (!*methods)
		return http_reply_error(rq, 404, NULL, "no such resource: %s", rq->path);
	if (!c->cors_origin) {
		const char *origin = http_header(rq, "Origin");
		return http_reply_error(rq, 403, "origin",
		                        "OPTIONS answers the CORS preflights of the origins this "
		                        "server names (--cors-origin); Origin %s is not one",
		                        origin ? origin : "absent");
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Access-Control-Allow-Methods", methods);
	MHD_add_response_header(r, "Access-Control-Allow-Headers",
	                        "Authorization, Content-Type, If-Match");
	MHD_add_response_header(r, "Access-Control-Max-Age", "600");
	return send_response(rq, 204, r, 0);
}

/* The first call of a request, with its headers and none of its body:
 * answers every refusal now, or returns MHD_YES to go on reading. */
static enum MHD_Result on_headers(http_server *s, struct req_ctx *c)
{
	struct http_request *rq = &c->rq;
	unsigned status;
	rq->credentialed = http_header(rq, "Authorization") || http_header(rq, "Cookie");
	rq->host = http_header(rq, "Host");
	forwarded(s, rq);
	if (s->o.n_cors_origins) {
		const char *origin = http_header(rq, "Origin");
		if (webpolicy_origin_listed(origin, s->o.cors_origins, s->o.n_cors_origins))
			c->cors_origin = origin;
	}
	if (strcmp(rq->method, "OPTIONS") == 0)
		return preflight(s, c);
	if (!(c->route = http_route_find(s->o.routes, rq->method, rq->path, &status)))
		return status == 405
		           ? http_reply_error(rq, 405, NULL, "%s is not allowed on %s", rq->method,
		                              rq->path)
		           : http_reply_error(rq, 404, NULL, "no such resource: %s", rq->path);
	rq->credentialed |= c->route->need != 0;
	unsigned denied = s->o.authorize ? s->o.authorize(rq, c->route->need) : 0;
	if (denied == 401)
		return http_reply_error(
		    rq, 401, "authorization", "%s",
		    rq->denial[0] ? rq->denial : "log in, or send Authorization: Bearer TOKEN");
	if (denied == 429)
		return http_reply_error(rq, 429, "authorization",
		                        "too many wrong tokens from %s; try again in %u s",
		                        rq->client, rq->retry_after);
	if (denied)
		return http_reply_error(rq, 403, "authorization", "%s may not %s %s", rq->who,
		                        rq->method, rq->path);
	enum MHD_Result reply;
	if (cross_site(rq, c->route->need, &reply))
		return reply;
	const char *length = http_header(rq, "Content-Length");
	if (length && strtoull(length, NULL, 10) > s->o.max_body)
		return reply_too_big(s, rq);
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	http_server *s = cls;
	struct req_ctx *c = *con_cls;
	(void)version;
	if (!c) {
		if (!(c = calloc(1, sizeof *c)))
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &c->t0);
		c->s = s;
		c->rq.conn = conn;
		c->rq.method = method;
		c->rq.path = url;
		c->rq.app = s->o.app;
		c->rq.secure = s->o.tls_cert != NULL;
		c->rq.id = atomic_fetch_add(&s->next_id, 1) + 1;
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && netaddr_from_sockaddr(ci->client_addr, c->rq.addr) == 0)
			netaddr_text(c->rq.addr, c->rq.client);
		else
			strcpy(c->rq.client, "-");
		*con_cls = c;
		return on_headers(s, c);
	}
	if (*upload_size) {
		if (c->len + *upload_size > s->o.max_body) {
			c->too_big = 1;
		} else {
			if (c->len + *upload_size + 1 > c->cap) {
				size_t cap = (c->len + *upload_size + 1) * 2;
				char *b = realloc(c->body, cap);
				if (!b)
					return MHD_NO;
				c->body = b;
				c->cap = cap;
			}
			memcpy(c->body + c->len, upload_data, *upload_size);
			c->len += *upload_size;
			c->body[c->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (c->too_big)
		return reply_too_big(s, &c->rq);
	c->rq.body = c->body;
	c->rq.body_len = c->len;
	const char *bad = non_utf8(&c->rq);
	if (bad)
		return http_reply_error(&c->rq, 400, bad, "%s: not UTF-8 text", bad);
	return c->route->handler(&c->rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct req_ctx *c = *con_cls;
	(void)conn;
	(void)toe;
	if (!c)
		return;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms =
	    (double)(t1.tv_sec - c->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - c->t0.tv_nsec) / 1e6;
	log_access(c->rq.id, c->rq.client, c->rq.method, c->rq.path, c->rq.status, c->rq.bytes, ms);
	http_server *s = cls;
	pthread_mutex_lock(&s->stats_lock);
	s->stats.requests++;
	if (c->rq.status >= 200 && c->rq.status < 600)
		s->stats.by_class[c->rq.status / 100]++;
	for (int b = 0; b < HTTP_LATENCY_BUCKETS; b++)
		if (ms <= http_latency_bounds[b])
			s->stats.latency[b]++;
	s->stats.latency_sum_ms += ms;
	pthread_mutex_unlock(&s->stats_lock);
	free(c->body);
	free(c);
	*con_cls = NULL;
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	(void)cls;
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_msg(LOG_WARN, 0, "http: %s", msg);
}

int http_start(const struct http_options *o, http_server **out)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
	*out = NULL;
	if (inet_pton(AF_INET, o->host, &addr.sin_addr) != 1)
		return err_set_field(ERR_INVALID, "listen", "listen: '%s' is not an IPv4 address",
		                     o->host);
	http_server *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(ERR_NOMEM, "http: out of memory");
	s->o = *o;
	pthread_mutex_init(&s->stats_lock, NULL);
	unsigned threads =
	    o->threads > 0 ? (unsigned)o->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	threads = threads ? threads : 1u;
	/* Each worker takes an equal share of the connections. */
	unsigned max_conns = o->max_connections ? o->max_connections : 512u;
	if (max_conns < threads)
		max_conns = threads;
	/* The logger goes first, or MHD logs the options before it by itself. */
	unsigned flags =
	    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (o->tls_cert)
		flags |= MHD_USE_TLS;
	s->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT,
	    o->timeout_s ? o->timeout_s : 60u, MHD_OPTION_CONNECTION_LIMIT, max_conns,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->max_per_address,
	    /* 16 KiB of headers a connection (libmicrohttpd's default is 32):
	     * the pool is zeroed for every request, a cached tile's largest
	     * cost of its own */
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
	    /* the TLS pair last: without TLS this ends the list early */
	    o->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, o->tls_cert,
	    MHD_OPTION_HTTPS_MEM_KEY, o->tls_key, MHD_OPTION_END);
	if (!s->daemon) {
		free(s);
		return err_set(ERR_IO,
		               "cannot listen on %s:%d (in use, or not this host's address)",
		               o->host, o->port);
	}
	*out = s;
	return 0;
}

int http_port(const http_server *s)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	return i ? i->port : -1;
}

void http_stop(http_server *s, int grace_ms)
{
	if (!s)
		return;
	MHD_socket fd = MHD_quiesce_daemon(s->daemon);
	for (int waited = 0; waited < grace_ms; waited += 20) {
		const union MHD_DaemonInfo *i =
		    MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!i || i->num_connections == 0)
			break;
		struct timespec ts = {0, 20 * 1000000L};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	pthread_mutex_destroy(&s->stats_lock);
	free(s);
}
