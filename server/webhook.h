/*
 * webhook: outgoing webhooks, the change feed pushed to other systems.
 *
 * Each subscription (store.h's struct store_webhook, which `posbon webhook
 * add` writes) gets the changes after its cursor, in order, as batches of
 * the items GET /api/changes lists, filtered by its scope (as a reader of
 * its districts) and its kinds, POSTed to its URL as JSON signed with its
 * secret (docs/api.md, "Webhooks"). The cursor moves, in the database, only
 * when the receiver answered 2xx: a failure is retried after a growing,
 * jittered wait and the next batch waits for it, so that changes arrive in
 * order, at least once (twice only when an answer was lost).
 *
 * One thread delivers for every subscription, through libcurl's multi
 * interface: each subscription has at most one request in flight, and a
 * slow or unreachable receiver holds up only its own. The thread reads the
 * subscriptions and the change head from its own store connection at once
 * when woken (webhooks_wake(): the daemon's own writes) and about once a
 * second anyway, so that a subscription added or removed while the daemon
 * runs, and a change written by another process, is seen without a
 * signal.
 *
 * Ownership: webhooks_start() returns a new handle that webhooks_stop()
 * ends and frees. Threading: start and stop from one thread (the daemon's
 * main thread, before and after the HTTP server); webhooks_stats() from any
 * thread; the pure functions anywhere.
 */
#ifndef POSBON_WEBHOOK_H
#define POSBON_WEBHOOK_H

#include "store.h"

#include <stddef.h>

typedef struct webhooks webhooks;

struct webhook_options {
	const char *db_path; /* borrowed until webhooks_stop() */
	long timeout_s;      /* a request's whole time, connecting included */
	long poll_ms;        /* how often the subscriptions and the change head are read */
	long backoff_min_ms, backoff_max_ms; /* the waits between failed attempts */
};

/* Starts the delivery thread. ERR_IO when libcurl or the thread cannot
 * start; a database that cannot be opened is logged and retried. */
int webhooks_start(const struct webhook_options *o, webhooks **out);

/* Stops the thread promptly (a request in flight is abandoned: its batch
 * is delivered again after a restart), waits for it and frees w; accepts
 * NULL. */
void webhooks_stop(webhooks *w);

/* Has the thread read the subscriptions and the change head at once
 * rather than at its next poll (a change was just written: an
 * events_set_listener() function); w is a webhooks *. Any thread. */
void webhooks_wake(void *w);

/* A subscription's figures since the daemon started, for /metrics. */
struct webhook_stats {
	const char *name;        /* borrowed for the call */
	unsigned long delivered; /* changes the receiver acknowledged */
	unsigned long batches;   /* requests answered 2xx */
	unsigned long failed;    /* requests that failed (no answer, not 2xx) */
	long long lag;           /* changes after its cursor (the head minus the cursor) */
};

/* Calls fn for each subscription the thread knows, by name. */
void webhooks_stats(webhooks *w, void (*fn)(void *ctx, const struct webhook_stats *s), void *ctx);

/* 0 for an http:// or https:// URL with a host, else ERR_INVALID naming
 * "url" and what is wrong (another scheme is refused by name). */
int webhook_url_check(const char *url);

/* The kinds of changes a subscription may ask for ("offence,task"): 0 when
 * text (NULL or "": all) names only entities of the feed, written without
 * spaces into out[n]; else ERR_INVALID naming "kinds" and the word. */
int webhook_kinds_parse(const char *text, char *out, size_t n);

/* The longest secret, in bytes; the shortest is WEBHOOK_SECRET_MIN. */
#define WEBHOOK_SECRET_MAX 1024
#define WEBHOOK_SECRET_MIN 16

/* Reads the secret in file path: its content without the line ends after
 * it, WEBHOOK_SECRET_MIN to WEBHOOK_SECRET_MAX bytes, into
 * out[WEBHOOK_SECRET_MAX + 1] (NUL-terminated; *len its bytes). ERR_IO
 * when it cannot be read, ERR_INVALID naming "secret-file" when it is too
 * short or long. */
int webhook_secret_read(const char *path, char *out, size_t *len);

/* "sha256=" and the 64 hex digits of the HMAC-SHA256 of body with key,
 * what the X-Posbon-Signature header carries, into out (NUL-terminated). */
#define WEBHOOK_SIGNATURE_SIZE 72
int webhook_sign(const void *key, size_t key_len, const void *body, size_t len,
                 char out[WEBHOOK_SIGNATURE_SIZE]);

/* The wait before attempt number `failures` + 1, after that many failures
 * in a row (1 up), in ms: min_ms doubled at each failure up to max_ms,
 * then a random part of it cut (random is uniform over unsigned, so the
 * wait lies between half and all of it), never below min_ms. */
long webhook_backoff_ms(unsigned failures, unsigned random, long min_ms, long max_ms);

#endif
