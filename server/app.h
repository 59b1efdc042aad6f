/*
 * app: what the daemon's handlers share, and how they answer.
 *
 * The app holds the renderer (thread-safe), the tile cache, the event
 * stream, the district's time zone and one store connection per worker
 * thread, opened on first use. Handlers find it at rq->app.
 *
 * The server's files form layers of their own: routes.c holds the one
 * route table and is the only file that includes the handler families
 * (api_*.h, wms.h); a handler family includes this header, http.h, the
 * shared parsers and builders (query.h, params.h, geojson.h, legendjson.h)
 * and lower layers, never routes.h or another family.
 *
 * The request-result convention:
 *   - A handler (http_handler) answers exactly once and returns what the
 *     reply helper it answered with returned (libmicrohttpd's MHD_YES or
 *     MHD_NO).
 *   - A helper that reads or checks part of a request (query.h, the
 *     families' own readers) does not answer: it returns 0, or a negative
 *     ERR_* code after recording the message and the field that was wrong
 *     (err_set_field(); err.h).
 *   - The handler turns that refusal into the answer with one call:
 *     app_reply_error() (the status follows the code), or app_refuse()
 *     with the status a reader gave it; the WMS answers the same record
 *     as a ServiceExceptionReport (wms.c).
 *
 * Threading: handlers run on several worker threads at once; each gets
 * its own store from app_store().
 */
#ifndef POSBON_APP_H
#define POSBON_APP_H

#include "auth.h"
#include "cache.h"
#include "events.h"
#include "http.h"
#include "ratelimit.h"
#include "render.h"
#include "standing.h"
#include "static.h"
#include "store.h"
#include "timeparse.h"
#include "webhook.h"

#include <pthread.h>
#include <stdatomic.h>

struct app {
	const char *db_path;
	renderer *r;
	tile_cache *cache;
	events *events;
	tz *zone;                       /* the district's time zone, for local times */
	long home_visit_m;              /* the grid a home visit's point is kept to; 0: none */
	struct standing_rules standing; /* the mahalla's standing: its criteria */
	const char *basemap;            /* optional basemap URL template for the viewer */
	struct static_dirs web;         /* the viewer's files */
	http_server *server;            /* for /metrics */
	webhooks *hooks;                /* outgoing webhooks, for /metrics */
	ratelimit *logins;              /* wrong tokens by address; NULL: no limit */
	atomic_ulong ingested;          /* offences stored through the API */
	pthread_key_t store_key;        /* per-thread store, closed when the thread ends */
};

/* Prepares the per-thread connections of app; app_cleanup() undoes it. */
int app_init(struct app *app);
void app_cleanup(struct app *app);

/* This worker thread's database connection, opened on first use; NULL
 * (logged) when the database cannot be opened. */
store *app_store(struct app *app);

/* The http_authorize hook: bearer tokens, Basic (a token as the password)
 * and session cookies. 0, 401, 403 or 429 (http.h): a token, not a
 * session, is refused from an address that sent too many wrong ones
 * lately (app_login_allowed()). */
unsigned app_authorize(struct http_request *rq, int need);

/* Whether rq's client may try a token now: 0, or 429 with rq->retry_after
 * set, while its address (an IPv6 one by its /64, which one host commonly
 * holds) waits out --login-window after --login-attempts wrong ones,
 * however good its token. */
unsigned app_login_allowed(struct http_request *rq);

/* Counts a wrong token from rq's client, and logs when it must now wait. */
void app_login_failed(struct http_request *rq);

/* The Cache-Control of q's picture (a tile, a WMS map or legend):
 * "public, max-age=N" for render_max_age()'s N, into buf (http.c sends it
 * as "private" to a credentialed request); returns buf. */
#define APP_CACHE_CONTROL_SIZE 32
const char *app_cache_control(struct app *app, const struct render_request *q,
                              char buf[APP_CACHE_CONTROL_SIZE]);

/* The start of the URLs the answer to rq writes (TileJSON, WMS
 * capabilities and legends), as the client asked: "https://HOST" when the
 * request is secure, else "http://HOST", the host as http.h says
 * (localhost without one), into out[n]. ERR_INVALID naming "Host" when
 * the host is not UTF-8 or too long. */
int app_base_url(const struct http_request *rq, char *out, size_t n);

/* Answers the calling thread's last error (err.h): 400 for ERR_INVALID,
 * 403 for ERR_FORBIDDEN and 404 for ERR_NOTFOUND, naming err_field(); else
 * 500. */
int app_reply_error(struct http_request *rq);

/* Answers it with status, naming err_field() when it is a 4xx: for a
 * reader whose refusals differ in status (a body's syntax 400, its
 * content 422, a stale If-Match 412), which it gives the handler through
 * an out-parameter. */
int app_refuse(struct http_request *rq, unsigned status);

/* Adds district (NULL or "": none) once to where, the districts a change
 * touched (codes joined by ",", STORE_SCOPE_MAX bytes; "" to start), for
 * events_publish(). -1 when it does not fit: the event is then for every
 * stream (where NULL). */
int app_where_add(char *where, const char *district);

/* Inside a zone write's transaction (zones and saved plans): ERR_FORBIDDEN
 * naming field when zone id's district, as stored now (none when there is
 * no such zone), lies outside rq's scope; the district goes to
 * district[STORE_SCOPE_MAX] ("" none). */
int app_zone_in_scope(struct http_request *rq, store *st, const char *id, const char *field,
                      char *district);

/* The version an If-Match header of rq names (the ETag of a zone or a
 * task, quoted or not, weak or not): -1 without one or with "*". 0, or
 * ERR_INVALID naming If-Match. */
int app_if_match(struct http_request *rq, int *version);

#endif
