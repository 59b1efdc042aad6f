/*
 * routes: the HTTP API of the daemon: health, tiles and TileJSON.
 *
 * The app holds what handlers share: the renderer (thread-safe) and one
 * SQLite connection per worker thread, opened on first use.
 */
#ifndef POSBON_ROUTES_H
#define POSBON_ROUTES_H

#include "auth.h"
#include "cache.h"
#include "events.h"
#include "http.h"
#include "render.h"
#include "static.h"
#include "store.h"
#include "timeparse.h"

#include <pthread.h>
#include <stdatomic.h>

struct app {
	const char *db_path;
	renderer *r;
	tile_cache *cache;
	events *events;
	tz *zone;                /* the district's time zone, for local times */
	const char *basemap;     /* optional basemap URL template for the viewer */
	struct static_dirs web;  /* the viewer's files */
	http_server *server;     /* for /metrics */
	atomic_ulong ingested;   /* offences stored through the API */
	pthread_key_t store_key; /* per-thread store, closed when the thread ends */
};

/* The route table, ended by a NULL method, and who may use which. */
extern const struct http_route routes_table[];

/* The http_authorize hook: bearer tokens and session cookies. */
unsigned routes_authorize(struct http_request *rq, int need);

/* This worker thread's database connection, opened on first use; NULL
 * (logged) when the database cannot be opened. */
store *routes_store(struct app *app);

/* The number argument name into *out when given (else *out is kept):
 * 0, or 1 after answering 400 "name: 'text' is not WHAT from MIN to MAX". */
int routes_number_arg(struct http_request *rq, const char *name, double min, double max,
                      const char *what, double *out, int *reply);

/* The same for a whole number from min to max. */
int routes_whole_arg(struct http_request *rq, const char *name, long min, long max,
                     const char *what, long *out, int *reply);

/* Answers the core's last error: 400 naming the field its message starts
 * with ("share: ...") when it is bad input (ERR_INVALID), else 500. */
int routes_reply_error(struct http_request *rq);

/* Parses the filter and heatmap query arguments of rq into q. Returns 0, or
 * 1 after answering 400 naming the field (*reply is the answer's result). */
int routes_filter(struct http_request *rq, const dataset *ds, struct render_request *q, int *reply);

/* Parses the plan of the planner's layers and the zones layer into q (after
 * routes_filter()): shift (then weekdays are the days it starts on, and
 * the filter's hours and weekdays the shift's), date (for dosage, today by
 * default), share, cell, target, visits. Returns 0, or 1 after answering
 * 400 naming the field. */
int routes_plan(struct http_request *rq, const dataset *ds, struct render_request *q, int *reply);

/* Parses the trends layer's analysis into q->trends (after
 * routes_filter()): weeks (a whole number, not with from), cell, band, as
 * GET /api/trends takes them. Returns 0, or 1 after answering 400 naming
 * the field. */
int routes_trends(struct http_request *rq, struct render_request *q, int *reply);

/* Prepares the per-thread connections of app; routes_cleanup() undoes it. */
int routes_init(struct app *app);
void routes_cleanup(struct app *app);

#endif
