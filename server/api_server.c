/*
 * api_server: the daemon's own routes: health for probes, /metrics for
 * Prometheus, logging in and out with a session cookie, who the caller
 * is, the event stream and the viewer's static files.
 */
#include "api_server.h"

#include "app.h"
#include "err.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Status and schema for anyone (a load balancer's probe); the figures and
 * data_version (the viewer's catching up) only with valid credentials. */
int api_health(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = app_store(app);
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	json_t *o = json_pack("{s:s, s:i}", "status", "ok", "schema", store_schema_version(st));
	if (o && app_authorize(rq, ROLE_VIEWER) == 0) {
		json_object_set_new(
		    o, "offences",
		    json_integer((json_int_t)dataset_count(renderer_dataset(app->r))));
		json_object_set_new(o, "data_version",
		                    json_integer((json_int_t)renderer_version(app->r)));
	}
	return http_reply_value(rq, 200, o, NULL, NULL);
}

/* Answers {"name","role","service","unit"} of an identity (service
 * "CODE[/UNIT]", "" none), with the extra header pair. */
static int reply_identity(struct http_request *rq, const char *name, int role, const char *service,
                          const char *header, const char *value)
{
	size_t code = strcspn(service, "/");
	json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "name", name, "role",
	                      auth_role_name((enum auth_role)role), "service",
	                      code ? json_stringn(service, code) : json_null(), "unit",
	                      service[code] ? json_string(service + code + 1) : json_null());
	return http_reply_value(rq, 200, o, header, value);
}

/* The session cookie's header: value for max_age seconds (0: ended);
 * Secure under TLS, so that the browser never sends it in clear. */
static void session_cookie(struct http_request *rq, const char *value, int max_age, char out[256])
{
	snprintf(out, 256, "posbon_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d%s",
	         value, max_age, rq->secure ? "; Secure" : "");
}

int api_login(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = app_store(app);
	struct auth_identity who;
	char session[AUTH_SECRET_LEN], cookie[256];
	json_error_t jerr;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (app_login_allowed(rq))
		return http_reply_error(rq, 429, "token",
		                        "too many wrong tokens from %s; try again in %u s",
		                        rq->client, rq->retry_after);
	json_t *o = rq->body ? json_loadb(rq->body, rq->body_len, 0, &jerr) : NULL;
	const char *token = json_string_value(json_object_get(o, "token"));
	int rc = token ? auth_login(st, token, &who, session) : ERR_NOTFOUND;
	json_decref(o);
	if (token && rc == ERR_NOTFOUND)
		app_login_failed(rq);
	if (rc < 0)
		return http_reply_error(rq, 401, "token", "%s",
		                        who.expired ? err_msg() : "unknown or revoked token");
	session_cookie(rq, session, AUTH_SESSION_SECONDS, cookie);
	return reply_identity(rq, who.name, who.role, who.service, "Set-Cookie", cookie);
}

int api_logout(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = app_store(app);
	if (st)
		auth_logout(st, http_cookie(rq, "posbon_session"));
	char cookie[256];
	session_cookie(rq, "", 0, cookie);
	return http_reply_value(rq, 200, json_object(), "Set-Cookie", cookie);
}

int api_me(struct http_request *rq)
{
	return reply_identity(rq, rq->who, rq->role, rq->service, NULL, NULL);
}

int api_events(struct http_request *rq)
{
	struct app *app = rq->app;
	return events_subscribe(app->events, rq);
}

int api_static(struct http_request *rq)
{
	struct app *app = rq->app;
	return static_serve(rq, &app->web);
}

/* The lines of one family of the webhooks' figures (a family's lines go
 * together in Prometheus's text). */
struct hook_lines {
	char *buf;
	size_t n, cap;
	int family; /* 0: changes, 1: requests, 2: lag; -1: counting hooks */
};

static void hook_line(void *ctx, const struct webhook_stats *s)
{
	struct hook_lines *l = ctx;
	size_t room = l->n < l->cap ? l->cap - l->n : 0;
	char *at = l->buf + (l->n < l->cap ? l->n : 0);
	if (l->family == 0)
		l->n +=
		    (size_t)snprintf(at, room, "posbon_webhook_changes_total{hook=\"%s\"} %lu\n",
		                     s->name, s->delivered);
	else if (l->family == 1)
		l->n += (size_t)snprintf(
		    at, room,
		    "posbon_webhook_requests_total{hook=\"%s\",outcome=\"delivered\"} "
		    "%lu\nposbon_webhook_requests_total{hook=\"%s\",outcome=\"failed\"} "
		    "%lu\n",
		    s->name, s->batches, s->name, s->failed);
	else if (l->family == 2)
		l->n += (size_t)snprintf(at, room, "posbon_webhook_lag{hook=\"%s\"} %lld\n",
		                         s->name, s->lag);
	else
		l->n++;
}

/* Prometheus text exposition of the server's counters. */
int api_metrics(struct http_request *rq)
{
	struct app *app = rq->app;
	struct http_stats hs;
	struct cache_stats cs;
	struct hook_lines hooks = {NULL, 0, 0, -1};
	/* (Hook names are at most 64 bytes: four lines take under 512.) */
	webhooks_stats(app->hooks, hook_line, &hooks);
	size_t nhooks = hooks.n, n = 0, cap = 8192 + 512 * nhooks;
	char *buf = malloc(cap);
	if (!buf)
		return http_reply_error(rq, 503, NULL, "out of memory");
	http_stats(app->server, &hs);
	cache_stats(app->cache, &cs);
#define OUT(...) n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__)
	OUT("# HELP posbon_http_requests_total HTTP requests answered, by status class.\n"
	    "# TYPE posbon_http_requests_total counter\n");
	for (int c = 2; c <= 5; c++)
		OUT("posbon_http_requests_total{class=\"%dxx\"} %lu\n", c, hs.by_class[c]);
	OUT("# HELP posbon_http_request_duration_ms Time to answer a request.\n"
	    "# TYPE posbon_http_request_duration_ms histogram\n");
	for (int b = 0; b < HTTP_LATENCY_BUCKETS; b++) {
		if (isinf(http_latency_bounds[b]))
			OUT("posbon_http_request_duration_ms_bucket{le=\"+Inf\"} %lu\n",
			    hs.latency[b]);
		else
			OUT("posbon_http_request_duration_ms_bucket{le=\"%g\"} %lu\n",
			    http_latency_bounds[b], hs.latency[b]);
	}
	OUT("posbon_http_request_duration_ms_sum %.3f\nposbon_http_request_duration_ms_count "
	    "%lu\n",
	    hs.latency_sum_ms, hs.requests);
	OUT("# TYPE posbon_tile_cache_hits_total counter\n"
	    "posbon_tile_cache_hits_total{tier=\"memory\"} %lu\n"
	    "posbon_tile_cache_hits_total{tier=\"disk\"} %lu\n"
	    "# TYPE posbon_tiles_rendered_total counter\nposbon_tiles_rendered_total %lu\n"
	    "# HELP posbon_tile_cache_bytes Bytes the tile cache holds, by tier (disk: in 4 KiB "
	    "blocks).\n"
	    "# TYPE posbon_tile_cache_bytes gauge\nposbon_tile_cache_bytes{tier=\"memory\"} %zu\n"
	    "posbon_tile_cache_bytes{tier=\"disk\"} %zu\n"
	    "# TYPE posbon_tile_cache_tiles gauge\nposbon_tile_cache_tiles{tier=\"memory\"} %zu\n"
	    "posbon_tile_cache_tiles{tier=\"disk\"} %zu\n"
	    "# TYPE posbon_tile_cache_evictions_total counter\n"
	    "posbon_tile_cache_evictions_total{tier=\"memory\"} %lu\n"
	    "posbon_tile_cache_evictions_total{tier=\"disk\"} %lu\n"
	    "# TYPE posbon_offences gauge\nposbon_offences %zu\n"
	    "# TYPE posbon_data_version gauge\nposbon_data_version %lu\n"
	    "# TYPE posbon_event_subscribers gauge\nposbon_event_subscribers %u\n",
	    cs.memory_hits, cs.disk_hits, cs.renders, cs.memory_bytes, cs.disk_bytes,
	    cs.memory_entries, cs.disk_files, cs.evictions, cs.disk_evictions,
	    dataset_count(renderer_dataset(app->r)), renderer_version(app->r),
	    events_subscribers(app->events));
	OUT("# TYPE posbon_ingested_total counter\nposbon_ingested_total %lu\n",
	    atomic_load(&app->ingested));
	struct results_stats rs;
	renderer_results_stats(app->r, &rs);
	OUT("# HELP posbon_analysis_results_total Analyses (Gi*, trends, a shift's hotspots, their "
	    "drawing, coverage and dosage) asked for by tiles, "
	    "the API and print: computed, or found kept.\n"
	    "# TYPE posbon_analysis_results_total counter\n"
	    "posbon_analysis_results_total{outcome=\"computed\"} %lu\n"
	    "posbon_analysis_results_total{outcome=\"kept\"} %lu\n"
	    "# TYPE posbon_analysis_results_bytes gauge\nposbon_analysis_results_bytes %zu\n",
	    rs.computed + rs.failed, rs.hits, rs.bytes);
	static const char *const families[] = {
	    "# HELP posbon_webhook_changes_total Changes a webhook's receiver acknowledged.\n"
	    "# TYPE posbon_webhook_changes_total counter\n",
	    "# HELP posbon_webhook_requests_total A webhook's requests, by outcome (failed: no "
	    "answer, or not 2xx).\n# TYPE posbon_webhook_requests_total counter\n",
	    "# HELP posbon_webhook_lag Changes after a webhook's cursor, not yet delivered.\n"
	    "# TYPE posbon_webhook_lag gauge\n"};
	for (int f = 0; nhooks && f < 3; f++) {
		OUT("%s", families[f]);
		hooks = (struct hook_lines){buf, n, cap, f};
		webhooks_stats(app->hooks, hook_line, &hooks);
		n = hooks.n;
	}
#undef OUT
	if (n >= cap) {
		free(buf);
		return http_reply_error(rq, 500, NULL, "metrics overflow");
	}
	return http_reply(rq, 200, "text/plain; version=0.0.4", (unsigned char *)buf, n, NULL);
}
