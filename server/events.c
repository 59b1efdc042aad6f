/*
 * events: a ring of the last events and a list of subscribers. Each
 * subscriber remembers the sequence number of the next event it must send;
 * the content reader writes what is due, or suspends the connection and
 * returns 0 (libmicrohttpd's documented pattern for "no data yet").
 */
#include "events.h"

#include "auth.h"
#include "err.h"

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

enum {
	RING = 256,
	KEEPALIVE_S = 15,
};

struct event {
	unsigned long seq;
	char *text;  /* "event: ...\ndata: ...\n\n" */
	char *where; /* the districts it touches; NULL: everywhere */
};

struct subscriber {
	events *ev;
	struct MHD_Connection *conn;
	unsigned long next; /* sequence number of the next event to send */
	char scope[sizeof((struct http_request *)0)->scope]; /* the credentials' */
	int suspended;
	int closed;
	int gone; /* the client closed; its connection is ending */
	time_t last_sent;
	struct subscriber *prev, *next_sub;
};

struct events {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct event ring[RING];
	unsigned long seq; /* sequence number of the next event published */
	struct subscriber *subs;
	unsigned n_subs, max_subs;
	pthread_t ticker;
	int stopping;
	void (*listener)(void *ctx); /* events_set_listener() */
	void *listener_ctx;
};

/* Resumes a suspended subscriber (under lock). */
static void resume(struct subscriber *s)
{
	if (s->suspended && !s->closed) {
		s->suspended = 0;
		MHD_resume_connection(s->conn);
	}
}

static void resume_all(events *ev)
{
	for (struct subscriber *s = ev->subs; s; s = s->next_sub)
		resume(s);
}

/* Whether the client of a stream has closed its end. A stream's client
 * sends nothing after its request, so end of file (or an error) on the
 * socket means it is gone; libmicrohttpd would only notice at a failed
 * write, which for a quiet stream is two keep-alives later. */
static int client_gone(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	char b;
	if (!ci)
		return 0;
	ssize_t n = recv(ci->connect_fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

/* Streams open and not gone (under lock); those found gone are resumed,
 * so that their reader ends them. */
static unsigned live_subscribers(events *ev)
{
	unsigned live = 0;
	for (struct subscriber *s = ev->subs; s; s = s->next_sub) {
		if (!s->gone && !s->closed && client_gone(s->conn)) {
			s->gone = 1;
			resume(s);
		}
		live += !s->gone;
	}
	return live;
}

/* Wakes subscribers now and then so that they send a keep-alive comment. */
static void *tick(void *arg)
{
	events *ev = arg;
	pthread_mutex_lock(&ev->lock);
	while (!ev->stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += KEEPALIVE_S;
		pthread_cond_timedwait(&ev->wake, &ev->lock, &ts);
		if (!ev->stopping)
			resume_all(ev);
	}
	pthread_mutex_unlock(&ev->lock);
	return NULL;
}

int events_new(unsigned max_subscribers, events **out)
{
	events *ev = calloc(1, sizeof *ev);
	*out = NULL;
	if (!ev)
		return err_set(ERR_NOMEM, "events: out of memory");
	ev->max_subs = max_subscribers;
	pthread_mutex_init(&ev->lock, NULL);
	pthread_cond_init(&ev->wake, NULL);
	if (pthread_create(&ev->ticker, NULL, tick, ev) != 0) {
		free(ev);
		return err_set(ERR_NOMEM, "events: no thread");
	}
	*out = ev;
	return 0;
}

void events_shutdown(events *ev, int grace_ms)
{
	if (!ev)
		return;
	/* Resumed again and again, not once: a resume that meets a reader
	 * suspending its connection at that moment can be lost (in normal
	 * running the ticker makes up for it; here the ticker stops). */
	for (int waited = 0;; waited += 20) {
		pthread_mutex_lock(&ev->lock);
		ev->stopping = 1;
		resume_all(ev);
		pthread_cond_broadcast(&ev->wake);
		unsigned left = ev->n_subs;
		pthread_mutex_unlock(&ev->lock);
		if (!left || waited >= grace_ms)
			break;
		struct timespec ts = {0, 20 * 1000000L};
		nanosleep(&ts, NULL);
	}
}

void events_free(events *ev)
{
	if (!ev)
		return;
	events_shutdown(ev, 0);
	pthread_join(ev->ticker, NULL);
	for (int i = 0; i < RING; i++) {
		free(ev->ring[i].text);
		free(ev->ring[i].where);
	}
	pthread_cond_destroy(&ev->wake);
	pthread_mutex_destroy(&ev->lock);
	free(ev);
}

void events_publish(events *ev, const char *name, const char *data, const char *where)
{
	size_t n = strlen(name) + strlen(data) + 32;
	char *text = malloc(n), *at = where ? strdup(where) : NULL;
	if (!text || (where && !at)) {
		free(text);
		free(at);
		return;
	}
	pthread_mutex_lock(&ev->lock);
	snprintf(text, n, "id: %lu\nevent: %s\ndata: %s\n\n", ev->seq, name, data);
	struct event *slot = &ev->ring[ev->seq % RING];
	free(slot->text);
	free(slot->where);
	slot->text = text;
	slot->where = at;
	slot->seq = ev->seq++;
	resume_all(ev);
	void (*listener)(void *) = ev->listener;
	void *ctx = ev->listener_ctx;
	pthread_mutex_unlock(&ev->lock);
	if (listener)
		listener(ctx);
}

void events_set_listener(events *ev, void (*fn)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&ev->lock);
	ev->listener = fn;
	ev->listener_ctx = ctx;
	pthread_mutex_unlock(&ev->lock);
}

unsigned events_subscribers(events *ev)
{
	pthread_mutex_lock(&ev->lock);
	unsigned n = ev->n_subs;
	pthread_mutex_unlock(&ev->lock);
	return n;
}

/* Whether an event touching where reaches a stream with scope. */
static int meets(const char *scope, const char *where)
{
	if (!where || !scope[0])
		return 1;
	for (const char *p = where; *p;) {
		char code[128];
		size_t len = strcspn(p, ",");
		snprintf(code, sizeof code, "%.*s", (int)len, p);
		if (auth_scope_has(scope, code))
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

/* Under lock: what events_read() says. */
static size_t ring_read(events *ev, unsigned long *next, const char *scope, char *buf, size_t max)
{
	size_t used = 0;
	if (ev->seq > *next + RING) {
		used = (size_t)snprintf(buf, max, "event: reset\ndata: {}\n\n");
		*next = ev->seq;
	}
	while (*next < ev->seq) {
		const struct event *e = &ev->ring[*next % RING];
		if (!meets(scope, e->where)) {
			++*next;
			continue;
		}
		const char *text = e->text;
		size_t len = strlen(text);
		if (used + len > max)
			break;
		memcpy(buf + used, text, len);
		used += len;
		++*next;
	}
	return used;
}

size_t events_read(events *ev, unsigned long *next, const char *scope, char *buf, size_t max)
{
	pthread_mutex_lock(&ev->lock);
	size_t used = ring_read(ev, next, scope, buf, max);
	pthread_mutex_unlock(&ev->lock);
	return used;
}

unsigned long events_next(events *ev)
{
	pthread_mutex_lock(&ev->lock);
	unsigned long seq = ev->seq;
	pthread_mutex_unlock(&ev->lock);
	return seq;
}

static ssize_t read_events(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct subscriber *s = cls;
	events *ev = s->ev;
	size_t used = 0;
	(void)pos;
	pthread_mutex_lock(&ev->lock);
	if (ev->stopping) {
		pthread_mutex_unlock(&ev->lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	/* The end of the stream, not an error: nobody is left to tell. */
	if (s->gone || client_gone(s->conn)) {
		pthread_mutex_unlock(&ev->lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	used = ring_read(ev, &s->next, s->scope, buf, max);
	time_t now = time(NULL);
	/* A named event rather than a comment: browsers hide comments, and a
	 * wall screen tells a quiet district from a dead stream by these. */
	if (!used && now - s->last_sent >= KEEPALIVE_S && max > 32)
		used = (size_t)snprintf(buf, max, "event: ping\ndata: {}\n\n");
	if (used) {
		s->last_sent = now;
	} else {
		s->suspended = 1;
		MHD_suspend_connection(s->conn);
	}
	pthread_mutex_unlock(&ev->lock);
	return (ssize_t)used;
}

static void close_subscriber(void *cls)
{
	struct subscriber *s = cls;
	events *ev = s->ev;
	pthread_mutex_lock(&ev->lock);
	s->closed = 1;
	if (s->prev)
		s->prev->next_sub = s->next_sub;
	else
		ev->subs = s->next_sub;
	if (s->next_sub)
		s->next_sub->prev = s->prev;
	ev->n_subs--;
	pthread_mutex_unlock(&ev->lock);
	free(s);
}

int events_subscribe(events *ev, struct http_request *rq)
{
	struct subscriber *s = calloc(1, sizeof *s);
	if (!s)
		return http_reply_error(rq, 503, NULL, "out of memory");
	s->ev = ev;
	s->conn = rq->conn;
	s->last_sent = time(NULL);
	memcpy(s->scope, rq->scope, sizeof s->scope);
	/* The retry hint and a first comment open the stream at once. */
	pthread_mutex_lock(&ev->lock);
	if (ev->n_subs >= ev->max_subs && live_subscribers(ev) >= ev->max_subs) {
		unsigned max = ev->max_subs;
		pthread_mutex_unlock(&ev->lock);
		free(s);
		return http_reply_error(rq, 503, "events",
		                        "%u event streams are open, the most this server takes "
		                        "(--max-event-streams); try again later",
		                        max);
	}
	s->next = ev->seq;
	s->next_sub = ev->subs;
	if (ev->subs)
		ev->subs->prev = s;
	ev->subs = s;
	ev->n_subs++;
	pthread_mutex_unlock(&ev->lock);
	struct MHD_Response *r = MHD_create_response_from_callback(
	    MHD_SIZE_UNKNOWN, 4096, read_events, s, close_subscriber);
	if (!r) {
		close_subscriber(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Accel-Buffering", "no");
	return http_reply_response(rq, 200, r);
}
