/*
 * events: server-sent events to open viewers.
 *
 * GET /api/events answers text/event-stream and keeps the connection; each
 * published event is written to every subscriber. A subscriber's
 * connection is suspended while it has nothing to send (so it holds no
 * worker thread) and resumed when an event arrives or every 15 seconds for
 * a keep-alive "ping" event. Events are kept in a short ring, so a subscriber
 * that was slow gets what it missed, in order, or a "reset" when the ring
 * moved past it. Streams are capped; a stream whose client closed is ended
 * at its next wake-up, or at once when the cap is reached. An event may
 * name the districts it touches: a stream whose credentials reach only some
 * districts (auth.h's scope) gets only the events touching them.
 *
 * Threading: publish from any thread.
 */
#ifndef POSBON_EVENTS_H
#define POSBON_EVENTS_H

#include "http.h"

typedef struct events events;

/* *out is new, for at most max_subscribers streams at once (each holds a
 * connection); events_shutdown() before the HTTP server stops, then
 * events_free() after it stopped. */
int events_new(unsigned max_subscribers, events **out);

/* Ends every stream (they were suspended connections, which the server
 * could not otherwise close) and waits up to grace_ms until libmicrohttpd
 * has let go of them all: it aborts the process if it is stopped while a
 * connection is still suspended. */
void events_shutdown(events *ev, int grace_ms);

void events_free(events *ev);

/* Sends `event: name` with data (one line of JSON) to every subscriber
 * whose scope meets where (district codes joined by ","; NULL: every
 * subscriber). */
void events_publish(events *ev, const char *name, const char *data, const char *where);

/* Calls fn(ctx) after each event published, on the publishing thread (the
 * webhooks' wake-up: a change was just written); fn must be quick and
 * thread-safe, and ctx must outlive the publishers. NULL: none. */
void events_set_listener(events *ev, void (*fn)(void *ctx), void *ctx);

/* Answers GET /api/events for rq (the daemon needs MHD_ALLOW_SUSPEND_RESUME),
 * or 503 naming the limit when max_subscribers streams are open. */
int events_subscribe(events *ev, struct http_request *rq);

/* The sequence number the next published event will have: where a new
 * stream starts reading. */
unsigned long events_next(events *ev);

/* What a stream at *next with scope (auth.h's; "": everything) reads: the
 * events from *next on that meet its scope, whole, in order, up to max
 * bytes of buf (no NUL added); a "reset" event first when the ring has
 * moved past *next (the stream missed events it can no longer get).
 * Advances *next past what it copied or skipped; returns the bytes copied. */
size_t events_read(events *ev, unsigned long *next, const char *scope, char *buf, size_t max);

/* Subscribers now open, for /metrics. */
unsigned events_subscribers(events *ev);

#endif
