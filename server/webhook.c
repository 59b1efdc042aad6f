/*
 * webhook: the delivery thread of outgoing webhooks (webhook.h) and the
 * checks `posbon webhook add` shares with it.
 *
 * The thread's loop: read the subscriptions and the change head when due
 * (every poll_ms), start a request for each subscription that is idle,
 * not waiting out a failure and behind the head, let libcurl move the
 * requests on, settle the ones that ended (move the cursor, or schedule
 * the retry), and sleep in curl_multi_poll() until a socket is ready, a
 * retry or a poll is due, or webhooks_stop() wakes it. Only the thread
 * writes the subscriptions' state; the lock guards what webhooks_stats()
 * reads (the array, the cursors, the counters, the head), taken for each
 * write of it and never across a database call or the network, so that a
 * scrape of /metrics does not wait for a busy database.
 */
#include "webhook.h"

#include "auth.h"
#include "err.h"
#include "geojson.h"
#include "log.h"

#include <curl/curl.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Changes read for one batch: at most one page of the feed's default. */
#define BATCH 500

/* The feed's entities, and the plural a subscription may write for each. */
static const char *const kind_names[][2] = {{"offence", "offences"},
                                            {"zone", "zones"},
                                            {"task", "tasks"},
                                            {"activity", "activities"},
                                            {"standing", "standing"}};

struct hook {
	int64_t id;
	char name[STORE_WEBHOOK_NAME_MAX + 1];
	char *url, *secret_file, *scope, *kinds; /* copies of the stored row */
	char districts[STORE_SCOPE_MAX];         /* the scope's districts now */
	int scoped;                              /* districts is good: it may deliver */
	char secret[WEBHOOK_SECRET_MAX + 1];     /* read for each new batch */
	size_t secret_len;
	int64_t cursor;
	int listed; /* in the latest listing */
	unsigned failures;
	long long retry_at; /* monotonic ms */
	/* The batch, from its making until the receiver took it; a retry sends
	 * it again as it was (the same delivery id and signature). */
	char *body;
	size_t body_len;
	int64_t since, next;
	size_t count;
	char delivery[33];
	CURL *easy; /* the request in flight; NULL: none */
	struct curl_slist *headers;
	char error[CURL_ERROR_SIZE];
	unsigned long delivered, batches, failed;
};

struct webhooks {
	struct webhook_options o;
	pthread_t thread;
	pthread_mutex_t lock;
	CURLM *multi;
	atomic_int stop;
	atomic_int poll_now; /* webhooks_wake() */
	store *st;           /* the thread's */
	int64_t head;
	struct hook **hooks;
	size_t n, cap;
};

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int webhook_url_check(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int rc = 0;
	if (!u)
		return err_set(ERR_NOMEM, "out of memory");
	if (!url || strlen(url) > 2048 || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		rc = err_set_field(
		    ERR_INVALID, "url",
		    "url '%.80s': not a URL (give http://HOST[:PORT]/PATH or https://...)",
		    url ? url : "");
	else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
		rc = err_set_field(ERR_INVALID, "url",
		                   "url '%.80s': %s is not delivered to; only http and https are",
		                   url, scheme);
	else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host)
		rc = err_set_field(ERR_INVALID, "url", "url '%.80s': no host", url);
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

int webhook_kinds_parse(const char *text, char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	if (!text || !*text || strcmp(text, "all") == 0)
		return 0;
	for (const char *p = text;; p++) {
		size_t len = strcspn(p, ","), k = 0;
		while (
		    k < sizeof kind_names / sizeof *kind_names &&
		    !((strlen(kind_names[k][0]) == len && strncmp(p, kind_names[k][0], len) == 0) ||
		      (strlen(kind_names[k][1]) == len && strncmp(p, kind_names[k][1], len) == 0)))
			k++;
		if (k == sizeof kind_names / sizeof *kind_names)
			return err_set_field(
			    ERR_INVALID, "kinds",
			    "kinds: '%.*s' is none of offence, zone, task, activity, "
			    "standing",
			    (int)(len < 40 ? len : 40), p);
		const char *name = kind_names[k][0];
		int had = 0;
		for (const char *q = out; *q; q += strcspn(q, ","), q += *q == ',')
			had |= strncmp(q, name, strlen(name)) == 0 &&
			       (q[strlen(name)] == ',' || !q[strlen(name)]);
		if (!had) {
			int w = snprintf(out + used, n - used, "%s%s", used ? "," : "", name);
			if (w < 0 || (size_t)w >= n - used)
				return err_set_field(ERR_INVALID, "kinds", "kinds: too long");
			used += (size_t)w;
		}
		p += len;
		if (!*p)
			break;
	}
	return 0;
}

int webhook_secret_read(const char *path, char *out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	if (!f)
		return err_set(ERR_IO, "%s: cannot read the secret: %s", path, strerror(errno));
	n = fread(out, 1, WEBHOOK_SECRET_MAX + 2, f);
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return err_set(ERR_IO, "%s: cannot read the secret", path);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		n--;
	if (n < WEBHOOK_SECRET_MIN || n > WEBHOOK_SECRET_MAX)
		return err_set_field(ERR_INVALID, "secret-file",
		                     "%s: a secret is %d to %d bytes (e.g. openssl rand -hex 32)",
		                     path, WEBHOOK_SECRET_MIN, WEBHOOK_SECRET_MAX);
	out[n] = '\0';
	*len = n;
	return 0;
}

/* The n bytes at raw as 2n hex digits and a NUL into out[size]. */
static int hex(const unsigned char *raw, size_t n, char *out, size_t size)
{
	gnutls_datum_t d = {(unsigned char *)raw, (unsigned)n};
	if (gnutls_hex_encode(&d, out, &size) < 0)
		return err_set(ERR_INVALID, "no room for hex digits");
	return 0;
}

int webhook_sign(const void *key, size_t key_len, const void *body, size_t len,
                 char out[WEBHOOK_SIGNATURE_SIZE])
{
	unsigned char mac[32];
	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, key_len, body, len, mac) < 0)
		return err_set(ERR_IO, "HMAC-SHA256 failed");
	memcpy(out, "sha256=", 7);
	return hex(mac, sizeof mac, out + 7, WEBHOOK_SIGNATURE_SIZE - 7);
}

long webhook_backoff_ms(unsigned failures, unsigned random, long min_ms, long max_ms)
{
	long wait = min_ms;
	for (unsigned i = 1; i < failures && wait < max_ms; i++)
		wait = wait > max_ms / 2 ? max_ms : wait * 2;
	if (wait > max_ms)
		wait = max_ms;
	/* A random cut of up to half, so that receivers back after an outage
	 * are not met by every sender at once. */
	long cut = (long)((double)random / ((double)(unsigned)-1 + 1.0) * (double)(wait / 2));
	return wait - cut < min_ms ? min_ms : wait - cut;
}

static int kind_wanted(const char *kinds, const char *entity)
{
	size_t n = strlen(entity);
	if (!kinds || !*kinds)
		return 1;
	for (const char *p = kinds; *p; p += strcspn(p, ","), p += *p == ',')
		if (strncmp(p, entity, n) == 0 && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

static void batch_free(struct hook *h)
{
	free(h->body);
	h->body = NULL;
	h->body_len = 0;
}

/* Ends the request in flight, if any (its batch stays). */
static void request_end(struct webhooks *w, struct hook *h)
{
	if (!h->easy)
		return;
	curl_multi_remove_handle(w->multi, h->easy);
	curl_easy_cleanup(h->easy);
	curl_slist_free_all(h->headers);
	h->easy = NULL;
	h->headers = NULL;
}

static void hook_free(struct webhooks *w, struct hook *h)
{
	if (!h)
		return;
	request_end(w, h);
	batch_free(h);
	free(h->url);
	free(h->secret_file);
	free(h->scope);
	free(h->kinds);
	free(h);
}

/* A failed attempt: the batch (if made) is tried again after the wait. */
static void hook_failed(struct webhooks *w, struct hook *h, const char *why)
{
	unsigned random = 0;
	gnutls_rnd(GNUTLS_RND_NONCE, &random, sizeof random);
	h->failures++;
	pthread_mutex_lock(&w->lock);
	h->failed++;
	pthread_mutex_unlock(&w->lock);
	long wait =
	    webhook_backoff_ms(h->failures, random, w->o.backoff_min_ms, w->o.backoff_max_ms);
	h->retry_at = now_ms() + wait;
	log_msg(LOG_WARN, 0, "webhook %s: %s: %s; attempt %u failed, the next in %.1f s", h->name,
	        h->url, why, h->failures, (double)wait / 1000);
}

/* Copies a listed subscription, or refreshes the one the thread has. */
static int hook_listed(void *ctx, const struct store_webhook *s)
{
	struct webhooks *w = ctx;
	struct hook *h = NULL;
	for (size_t i = 0; i < w->n && !h; i++)
		if (w->hooks[i]->id == s->id)
			h = w->hooks[i];
	if (!h) {
		if (w->n == w->cap) {
			size_t cap = w->cap ? 2 * w->cap : 8;
			pthread_mutex_lock(&w->lock);
			struct hook **grown = realloc(w->hooks, cap * sizeof *grown);
			if (grown) {
				w->hooks = grown;
				w->cap = cap;
			}
			pthread_mutex_unlock(&w->lock);
			if (!grown)
				return err_set(ERR_NOMEM, "out of memory");
		}
		if (!(h = calloc(1, sizeof *h)))
			return err_set(ERR_NOMEM, "out of memory");
		h->id = s->id;
		snprintf(h->name, sizeof h->name, "%s", s->name);
		h->url = strdup(s->url);
		h->secret_file = strdup(s->secret_file);
		h->scope = s->scope ? strdup(s->scope) : NULL;
		h->kinds = s->kinds ? strdup(s->kinds) : NULL;
		if (!h->url || !h->secret_file || (s->scope && !h->scope) ||
		    (s->kinds && !h->kinds)) {
			hook_free(w, h);
			return err_set(ERR_NOMEM, "out of memory");
		}
		h->cursor = s->cursor;
		pthread_mutex_lock(&w->lock);
		w->hooks[w->n++] = h;
		pthread_mutex_unlock(&w->lock);
		log_msg(LOG_INFO, 0, "webhook %s: delivering the changes after %lld to %s", h->name,
		        (long long)s->cursor, h->url);
	}
	h->listed = 1;
	/* The database is the truth between batches: another node on the same
	 * database may have moved it. */
	if (!h->body && h->cursor != s->cursor) {
		pthread_mutex_lock(&w->lock);
		h->cursor = s->cursor;
		pthread_mutex_unlock(&w->lock);
	}
	return 0;
}

/* Reads the subscriptions and the head; drops the removed ones. */
static void refresh(struct webhooks *w)
{
	int64_t head;
	if (!w->st && store_open(w->o.db_path, 0, &w->st) < 0) {
		log_msg(LOG_ERROR, 0, "webhooks: %s", err_msg());
		return;
	}
	for (size_t i = 0; i < w->n; i++)
		w->hooks[i]->listed = 0;
	if (store_list_webhooks(w->st, hook_listed, w) < 0 || store_change_head(w->st, &head) < 0) {
		log_msg(LOG_ERROR, 0, "webhooks: %s", err_msg());
		return;
	}
	for (size_t i = 0; i < w->n; i++) {
		struct hook *h = w->hooks[i];
		/* A region's districts as they are now, as a token's. */
		h->scoped = h->listed && auth_scope_districts(w->st, h->scope ? h->scope : "",
		                                              h->districts) == 0;
		if (h->listed && !h->scoped)
			log_msg(LOG_ERROR, 0, "webhook %s: scope: %s", h->name, err_msg());
	}
	size_t kept = 0;
	pthread_mutex_lock(&w->lock);
	w->head = head;
	for (size_t i = 0; i < w->n; i++) {
		if (w->hooks[i]->listed) {
			w->hooks[kept++] = w->hooks[i];
			continue;
		}
		log_msg(LOG_INFO, 0, "webhook %s: removed", w->hooks[i]->name);
		hook_free(w, w->hooks[i]);
	}
	w->n = kept;
	pthread_mutex_unlock(&w->lock);
}

struct page {
	const struct hook *h;
	json_t *changes;
	int64_t last;
};

static int add_change(void *ctx, const struct store_feed_entry *c)
{
	struct page *p = ctx;
	p->last = c->seq;
	if (auth_scope_has(p->h->districts, c->district) && kind_wanted(p->h->kinds, c->entity))
		json_array_append_new(p->changes, geojson_change(c));
	return 0;
}

/* Makes h's next batch from the changes after its cursor. Changes it may
 * not see only move the cursor (no request); h->body stays NULL then. */
static int batch_make(struct webhooks *w, struct hook *h)
{
	struct page p = {h, json_array(), h->cursor};
	unsigned char raw[16];
	int rc;
	if (!p.changes)
		return err_set(ERR_NOMEM, "out of memory");
	if ((rc = store_list_changes(w->st, h->cursor, BATCH, add_change, &p)) < 0 ||
	    p.last == h->cursor)
		goto out;
	if (json_array_size(p.changes) == 0) {
		if ((rc = store_webhook_advance(w->st, h->id, h->cursor, p.last,
		                                (int64_t)time(NULL))) == 0) {
			pthread_mutex_lock(&w->lock);
			h->cursor = p.last;
			pthread_mutex_unlock(&w->lock);
		}
		goto out;
	}
	if (gnutls_rnd(GNUTLS_RND_NONCE, raw, sizeof raw) != 0 ||
	    (rc = hex(raw, sizeof raw, h->delivery, sizeof h->delivery)) < 0) {
		rc = err_set(ERR_IO, "no randomness for a delivery id");
		goto out;
	}
	h->since = h->cursor;
	h->next = p.last;
	h->count = json_array_size(p.changes);
	json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:O}", "hook", h->name, "delivery", h->delivery,
	                      "since", (json_int_t)h->since, "next", (json_int_t)h->next, "changes",
	                      p.changes);
	h->body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!h->body)
		rc = err_set(ERR_NOMEM, "out of memory");
	else
		h->body_len = strlen(h->body);
out:
	json_decref(p.changes);
	return rc;
}

static size_t discard(char *data, size_t size, size_t n, void *ctx)
{
	(void)data;
	(void)ctx;
	return size * n;
}

/* Starts the request of h's batch. */
static int request_start(struct webhooks *w, struct hook *h)
{
	char signature[WEBHOOK_SIGNATURE_SIZE], line[160];
	int rc;
	if ((rc = webhook_sign(h->secret, h->secret_len, h->body, h->body_len, signature)) < 0)
		return rc;
	const char *fixed[] = {"Content-Type: application/json", "Expect:"};
	struct curl_slist *list = NULL;
	for (size_t i = 0; i < 2; i++)
		list = curl_slist_append(list, fixed[i]);
#define HEADER(...) (snprintf(line, sizeof line, __VA_ARGS__), list = curl_slist_append(list, line))
	HEADER("X-Posbon-Hook: %s", h->name);
	HEADER("X-Posbon-Delivery: %s", h->delivery);
	HEADER("X-Posbon-Since: %lld", (long long)h->since);
	HEADER("X-Posbon-Next: %lld", (long long)h->next);
	HEADER("X-Posbon-Signature: %s", signature);
#undef HEADER
	CURL *e = curl_easy_init();
	if (!e || !list) {
		curl_easy_cleanup(e);
		curl_slist_free_all(list);
		return err_set(ERR_NOMEM, "out of memory");
	}
	h->error[0] = '\0';
	curl_easy_setopt(e, CURLOPT_URL, h->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, h->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)h->body_len);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "posbon");
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, w->o.timeout_s * 1000);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->error);
	curl_easy_setopt(e, CURLOPT_PRIVATE, h);
	if (curl_multi_add_handle(w->multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		curl_slist_free_all(list);
		return err_set(ERR_IO, "libcurl refused the request");
	}
	h->easy = e;
	h->headers = list;
	return 0;
}

/* Starts what each idle subscription has to send; 1 when one has more
 * ready at once (changes it only passed over). */
static int start_due(struct webhooks *w, long long now)
{
	int more = 0;
	for (size_t i = 0; i < w->n; i++) {
		struct hook *h = w->hooks[i];
		if (h->easy || !h->scoped || now < h->retry_at ||
		    (!h->body && h->cursor >= w->head))
			continue;
		/* Read again for each new batch, so that a changed secret file
		 * holds from the next batch on (a retry keeps the old one). */
		if (!h->body &&
		    webhook_secret_read(h->secret_file, h->secret, &h->secret_len) < 0) {
			hook_failed(w, h, err_msg());
			continue;
		}
		if (!h->body) {
			int64_t was = h->cursor;
			if (batch_make(w, h) < 0) {
				hook_failed(w, h, err_msg());
				continue;
			}
			if (!h->body) {
				more |= h->cursor != was && h->cursor < w->head;
				continue;
			}
		}
		if (request_start(w, h) < 0)
			hook_failed(w, h, err_msg());
	}
	return more;
}

/* Settles the requests that ended. */
static int settle(struct webhooks *w)
{
	CURLMsg *m;
	int left, ended = 0;
	while ((m = curl_multi_info_read(w->multi, &left))) {
		struct hook *h = NULL;
		long status = 0;
		char why[CURL_ERROR_SIZE + 64];
		if (m->msg != CURLMSG_DONE)
			continue;
		CURLcode result = m->data.result;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&h);
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
		request_end(w, h);
		ended = 1;
		if (result != CURLE_OK) {
			snprintf(why, sizeof why, "%s",
			         h->error[0] ? h->error : curl_easy_strerror(result));
			hook_failed(w, h, why);
			continue;
		}
		if (status < 200 || status > 299) {
			snprintf(why, sizeof why, "answered %ld", status);
			hook_failed(w, h, why);
			continue;
		}
		/* Taken: the cursor moves. If that fails, the batch is made
		 * again from the cursor the database holds at the next poll (at
		 * least once: the receiver drops what it has by seq). */
		if (store_webhook_advance(w->st, h->id, h->since, h->next, (int64_t)time(NULL)) <
		    0) {
			batch_free(h);
			hook_failed(w, h, err_msg());
			continue;
		}
		log_msg(LOG_DEBUG, 0, "webhook %s: changes %lld..%lld (%zu) delivered, %ld",
		        h->name, (long long)h->since + 1, (long long)h->next, h->count, status);
		pthread_mutex_lock(&w->lock);
		h->cursor = h->next;
		h->delivered += h->count;
		h->batches++;
		pthread_mutex_unlock(&w->lock);
		h->failures = 0;
		h->retry_at = 0;
		batch_free(h);
	}
	return ended;
}

/* How long the thread may sleep: until the next poll or retry. */
static long sleep_ms(const struct webhooks *w, long long now, long long next_poll)
{
	long long until = next_poll;
	for (size_t i = 0; i < w->n; i++)
		if (!w->hooks[i]->easy && w->hooks[i]->retry_at > now &&
		    w->hooks[i]->retry_at < until &&
		    (w->hooks[i]->body || w->hooks[i]->cursor < w->head))
			until = w->hooks[i]->retry_at;
	return until > now ? (long)(until - now) : 0;
}

static void *run(void *arg)
{
	struct webhooks *w = arg;
	long long next_poll = 0;
	while (!atomic_load(&w->stop)) {
		long long now = now_ms();
		int running = 0, busy;
		if (now >= next_poll || atomic_exchange(&w->poll_now, 0)) {
			refresh(w);
			next_poll = now + w->o.poll_ms;
		}
		busy = w->st ? start_due(w, now) : 0;
		curl_multi_perform(w->multi, &running);
		busy |= settle(w);
		long wait = busy ? 0 : sleep_ms(w, now_ms(), next_poll);
		if (wait > 0)
			curl_multi_poll(w->multi, NULL, 0, (int)wait, NULL);
	}
	pthread_mutex_lock(&w->lock);
	for (size_t i = 0; i < w->n; i++)
		hook_free(w, w->hooks[i]);
	w->n = 0;
	store_close(w->st);
	w->st = NULL;
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int webhooks_start(const struct webhook_options *o, webhooks **out)
{
	struct webhooks *w = calloc(1, sizeof *w);
	*out = NULL;
	if (!w)
		return err_set(ERR_NOMEM, "out of memory");
	w->o = *o;
	atomic_init(&w->stop, 0);
	atomic_init(&w->poll_now, 0);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(w);
		return err_set(ERR_IO, "webhooks: libcurl does not start");
	}
	pthread_mutex_init(&w->lock, NULL);
	if (!(w->multi = curl_multi_init()) || pthread_create(&w->thread, NULL, run, w) != 0) {
		curl_multi_cleanup(w->multi);
		pthread_mutex_destroy(&w->lock);
		curl_global_cleanup();
		free(w);
		return err_set(ERR_IO, "webhooks: the delivery thread does not start");
	}
	*out = w;
	return 0;
}

void webhooks_stop(webhooks *w)
{
	if (!w)
		return;
	atomic_store(&w->stop, 1);
	curl_multi_wakeup(w->multi);
	pthread_join(w->thread, NULL);
	curl_multi_cleanup(w->multi);
	pthread_mutex_destroy(&w->lock);
	free(w->hooks);
	free(w);
	curl_global_cleanup();
}

void webhooks_wake(void *arg)
{
	struct webhooks *w = arg;
	atomic_store(&w->poll_now, 1);
	curl_multi_wakeup(w->multi);
}

void webhooks_stats(webhooks *w, void (*fn)(void *ctx, const struct webhook_stats *s), void *ctx)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	for (size_t i = 0; i < w->n; i++) {
		const struct hook *h = w->hooks[i];
		struct webhook_stats s = {
		    h->name, h->delivered, h->batches, h->failed,
		    (long long)(w->head > h->cursor ? w->head - h->cursor : 0)};
		fn(ctx, &s);
	}
	pthread_mutex_unlock(&w->lock);
}
