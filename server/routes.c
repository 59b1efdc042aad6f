/*
 * routes: request parsing and answers. Every failure is a JSON error that
 * names the field (query argument or path part) that was wrong.
 */
#include "routes.h"

#include "api.h"
#include "api_zones.h"

#include "dosage.h"
#include "err.h"
#include "log.h"
#include "numtext.h"
#include "print.h"
#include "shift.h"
#include "store.h"
#include "tilemath.h"
#include "trends.h"
#include "wms.h"

#include <glib.h>
#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void close_store(void *p)
{
	store_close(p);
}

int routes_init(struct app *app)
{
	if (pthread_key_create(&app->store_key, close_store) != 0)
		return err_set(ERR_NOMEM, "routes: no thread key");
	return 0;
}

void routes_cleanup(struct app *app)
{
	pthread_key_delete(app->store_key);
}

/* This worker thread's connection, opened on first use. */
store *routes_store(struct app *app)
{
	store *st = pthread_getspecific(app->store_key);
	if (st)
		return st;
	if (store_open(app->db_path, 0, &st) < 0) {
		log_msg(LOG_ERROR, 0, "opening %s: %s", app->db_path, err_msg());
		return NULL;
	}
	pthread_setspecific(app->store_key, st);
	return st;
}

/* Status and schema for anyone (a load balancer's probe); the figures and
 * data_version (the viewer's catching up) only with valid credentials. */
static int get_health(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = routes_store(app);
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	json_t *o = json_pack("{s:s, s:i}", "status", "ok", "schema", store_schema_version(st));
	if (o && routes_authorize(rq, ROLE_VIEWER) == 0) {
		json_object_set_new(
		    o, "offences",
		    json_integer((json_int_t)dataset_count(renderer_dataset(app->r))));
		json_object_set_new(o, "data_version",
		                    json_integer((json_int_t)renderer_version(app->r)));
	}
	return http_reply_value(rq, 200, o, NULL, NULL);
}

/* 0 when rc is, or 1 after answering 400 naming the argument with the
 * message of the parse that failed. */
static int refused_arg(struct http_request *rq, const char *name, int rc, int *reply)
{
	if (rc == 0)
		return 0;
	*reply = http_reply_error(rq, 400, name, "%s", err_msg());
	return 1;
}

int routes_number_arg(struct http_request *rq, const char *name, double min, double max,
                      const char *what, double *out, int *reply)
{
	const char *text = http_arg(rq, name);
	return text && refused_arg(rq, name, numtext_parse(name, text, min, max, what, out), reply);
}

int routes_whole_arg(struct http_request *rq, const char *name, long min, long max,
                     const char *what, long *out, int *reply)
{
	const char *text = http_arg(rq, name);
	return text && refused_arg(rq, name, numtext_whole(name, text, min, max, what, out), reply);
}

int routes_reply_error(struct http_request *rq)
{
	const char *msg = err_msg();
	int bad = err_last() == ERR_INVALID;
	char field[32];
	snprintf(field, sizeof field, "%.*s", (int)strcspn(msg, ":"), msg);
	return http_reply_error(rq, bad ? 400 : 500, bad ? field : NULL, "%s", msg);
}

int routes_filter(struct http_request *rq, const dataset *ds, struct render_request *q, int *reply)
{
	struct dataset_filter_text t = {
	    .from = http_arg(rq, "from"),
	    .to = http_arg(rq, "to"),
	    .hours = http_arg(rq, "hours"),
	    .weekdays = http_arg(rq, "weekdays"),
	    .categories = http_arg(rq, "categories"),
	    .services = http_arg(rq, "services"),
	};
	if (dataset_filter_parse(ds, &t, &q->filter) < 0) {
		*reply = routes_reply_error(rq);
		return 1;
	}
	static const char *const metrics[] = {[STYLE_METRIC_COUNT] = "count",
	                                      [STYLE_METRIC_RATE] = "rate",
	                                      [STYLE_METRIC_CHANGE] = "change"};
	const char *metric = http_arg(rq, "metric");
	for (int m = 0; metric && m < 3; m++)
		if (strcmp(metric, metrics[m]) == 0)
			q->metric = m + 1;
	if (metric && !q->metric) {
		*reply = http_reply_error(rq, 400, "metric",
		                          "metric: '%s' is not count, rate or change", metric);
		return 1;
	}
	return routes_number_arg(rq, "bandwidth", 10, 20000, "a number of metres", &q->bandwidth,
	                         reply);
}

int routes_plan(struct http_request *rq, const dataset *ds, struct render_request *q, int *reply)
{
	struct render_plan *pl = &q->plan;
	const char *hours = http_arg(rq, "shift"), *date = http_arg(rq, "date");
	long visits = 0;
	if (hours && http_arg(rq, "hours")) {
		*reply = http_reply_error(rq, 400, "hours",
		                          "hours: give either hours or a shift, not both");
		return 1;
	}
	if (hours) {
		if (shift_parse(hours, http_arg(rq, "weekdays"), &pl->shift) < 0) {
			const char *msg = err_msg();
			*reply = http_reply_error(
			    rq, 400, strncmp(msg, "shift", 5) ? "weekdays" : "shift", "%s", msg);
			return 1;
		}
		pl->has_shift = 1;
		/* Layers filtered by the offences' own times (the heatmap) take
		 * the shift's hours on its days: the hours after midnight count on
		 * the day the shift started, an approximation of the map only. */
		q->filter.hours = shift_hours(&pl->shift);
		q->filter.weekdays = pl->shift.weekdays;
	}
	if (date || (q->layers & RENDER_DOSAGE)) {
		if (dosage_day(dataset_zone(ds), "date", date, &pl->day) < 0) {
			*reply = http_reply_error(rq, 400, "date", "%s", err_msg());
			return 1;
		}
		pl->has_day = 1;
	}
	if (routes_number_arg(rq, "share", 0.0001, 1, "a number of a share of the district's area",
	                      &pl->share, reply) ||
	    /* The trends layer reads its own cell (routes_trends()). */
	    ((q->layers & RENDER_PLANNING) &&
	     routes_number_arg(rq, "cell", 1, 1000, "a number of metres", &pl->cell, reply)) ||
	    routes_number_arg(rq, "target", 0.1, 600, "a number of minutes", &pl->target, reply) ||
	    routes_whole_arg(rq, "visits", 1, 100, "a number of visits", &visits, reply))
		return 1;
	pl->visits = (int)visits;
	if (q->layers & RENDER_DOSAGE)
		q->st = routes_store(rq->app);
	return 0;
}

int routes_trends(struct http_request *rq, struct render_request *q, int *reply)
{
	long weeks = 0;
	if (routes_whole_arg(rq, "weeks", TRENDS_MIN_WEEKS, TRENDS_MAX_WEEKS, "a number of weeks",
	                     &weeks, reply) ||
	    routes_number_arg(rq, "cell", 1, 100000, "a cell size in metres", &q->trends.cell,
	                      reply) ||
	    routes_number_arg(rq, "band", 1, 1e7, "a distance band in metres", &q->trends.band,
	                      reply))
		return 1;
	q->trends.weeks = (int)weeks;
	/* Checked here, not only by trends_run(): a tile draws a refused
	 * analysis as empty, and this one is the caller's mistake. */
	if (q->trends.weeks && q->filter.from != STORE_NO_TIME) {
		*reply = http_reply_error(rq, 400, "weeks",
		                          "weeks: give the number of weeks or the period's start "
		                          "(from), not both");
		return 1;
	}
	return 0;
}

static int get_tilejson(struct http_request *rq, const char *layers)
{
	struct app *app = rq->app;
	unsigned mask;
	if (render_layers_parse(layers, &mask) < 0)
		return http_reply_error(rq, 404, "layers", "%s", err_msg());
	double e[4], w, s, ea, n;
	dataset_extent(renderer_dataset(app->r), e);
	tile_merc_to_lonlat(e[0], e[1], &w, &s);
	tile_merc_to_lonlat(e[2], e[3], &ea, &n);
	const char *host = http_header(rq, "Host");
	char url[512];
	/* It goes into JSON, which must be UTF-8. */
	if (host && !g_utf8_validate(host, -1, NULL))
		return http_reply_error(rq, 400, "Host", "Host: not UTF-8 text");
	const char *query = "";
	snprintf(url, sizeof url, "http://%s/tiles/%s/{z}/{x}/{y}.png%s", host ? host : "localhost",
	         layers, query);
	json_t *o = json_pack("{s:s, s:s, s:[s], s:i, s:i, s:[f,f,f,f], s:[f,f,i], s:s}",
	                      "tilejson", "3.0.0", "name", layers, "tiles", url, "minzoom", 0,
	                      "maxzoom", 22, "bounds", w, s, ea, n, "center", (w + ea) / 2,
	                      (s + n) / 2, 13, "attribution", "posbon");
	return http_reply_value(rq, 200, o, NULL, NULL);
}

struct tile_job {
	renderer *r;
	const struct render_request *q;
};

static int render_tile(void *ctx, unsigned char **data, size_t *len)
{
	struct tile_job *job = ctx;
	return render_png(job->r, job->q, data, len);
}

/* The answer's hold on a cached tile, let go once it is sent. */
static void release_tile(void *tile)
{
	cache_tile_release(tile);
}

/* GET /tiles/{layers}/{z}/{x}/{y}.png, {y}@2x.png, or /tiles/{layers}.json */
static int get_tile(struct http_request *rq)
{
	struct app *app = rq->app;
	const char *rest = rq->path + strlen("/tiles/");
	char layers[128], zxy[64];
	int z;
	long x, y;
	size_t n = strcspn(rest, "/");
	if (n == 0 || n >= sizeof layers)
		return http_reply_error(rq, 404, "layers", "no layers in %s", rq->path);
	if (!rest[n]) {
		size_t l = strlen(rest);
		if (l > 5 && strcmp(rest + l - 5, ".json") == 0 && l - 5 < sizeof layers) {
			snprintf(layers, sizeof layers, "%.*s", (int)(l - 5), rest);
			return get_tilejson(rq, layers);
		}
		return http_reply_error(rq, 404, NULL, "expected /tiles/LAYERS/Z/X/Y.png");
	}
	/* Copied by hand: with libquadmath's printf hooks loaded, every
	 * printf-family call takes glibc's slow path, and this is the hot one. */
	memcpy(layers, rest, n);
	layers[n] = '\0';
	/* Z/X/Y, then the format */
	const char *tail = rest + n + 1 + strcspn(rest + n + 1, ".@");
	size_t zn = (size_t)(tail - rest - n - 1);
	if (zn >= sizeof zxy)
		return http_reply_error(rq, 404, "z/x/y", "expected /tiles/%s/Z/X/Y.png", layers);
	memcpy(zxy, rest + n + 1, zn);
	zxy[zn] = '\0';
	int scale = strcmp(tail, "@2x.png") == 0 ? 2 : strcmp(tail, ".png") == 0 ? 1 : 0;
	if (!scale)
		return http_reply_error(rq, 404, "format", "tiles are .png or @2x.png, not '%.63s'",
		                        tail);
	struct render_request q = {0};
	if (render_layers_parse(layers, &q.layers) < 0)
		return http_reply_error(rq, 404, "layers", "%s", err_msg());
	if (tile_parse(zxy, &z, &x, &y) < 0 || view_for_tile(z, x, y, 256 * scale, &q.view) < 0)
		return http_reply_error(rq, 404, "z/x/y", "%s", err_msg());
	int reply;
	if (routes_filter(rq, renderer_dataset(app->r), &q, &reply) ||
	    routes_plan(rq, renderer_dataset(app->r), &q, &reply) ||
	    ((q.layers & RENDER_TRENDS) && routes_trends(rq, &q, &reply)))
		return reply;
	char etag[160];
	if (render_etag(app->r, &q, etag, sizeof etag) < 0)
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	const char *inm = http_header(rq, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0)
		return http_reply_not_modified(rq, etag);
	struct tile_job job = {app->r, &q};
	cache_tile *tile;
	if (cache_fetch(app->cache, etag, render_tile, &job, &tile, NULL) < 0)
		return http_reply_error(rq, 500, NULL, "rendering failed: %s", err_msg());
	size_t png_len;
	const unsigned char *png = cache_tile_data(tile, &png_len);
	/* Layers of offences change with every report, zones with every plan;
	 * boundaries hardly. */
	int live =
	    (q.layers & (RENDER_HEATMAP | RENDER_OFFENCES | RENDER_CHOROPLETH | RENDER_ZONES |
	                 RENDER_GISTAR | RENDER_PLANNING | RENDER_CHANGE | RENDER_TRENDS)) != 0;
	return http_reply_shared(rq, 200, "image/png", png, png_len, release_tile, tile, "ETag",
	                         etag, "Cache-Control",
	                         live ? "public, max-age=10" : "public, max-age=86400",
	                         "Access-Control-Allow-Origin", "*", NULL);
}

/* Whether a yes/no argument is set: "1", "true", "yes" or present empty. */
static int arg_flag(struct http_request *rq, const char *name)
{
	const char *v = http_arg(rq, name);
	return v && (!*v || strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0);
}

/* GET /print/{district|mahalla}/{code}.{pdf|png}?paper=&landscape=&scale=
 * &lang=&layers=&atlas=&dpi=&hotspots=&from=&to=..., and
 * /print/coverage.{pdf|png} and /print/roster.{pdf|csv} with shift=&weekdays=
 * (the days the shift starts on)&date=&district=&visit=&every=, and
 * /print/backtest.{pdf|png} with the arguments of /api/backtest (an atlas's
 * last page with backtest=1) */
static int get_print(struct http_request *rq)
{
	struct app *app = rq->app;
	const char *rest = rq->path + strlen("/print/");
	const char *slash = strchr(rest, '/'), *dot = strrchr(rest, '.');
	char code[160];
	struct print_request q = {.printed_at = (int64_t)time(NULL)};
	struct render_request rr = {0};
	struct print_result res;
	struct backtest bt = {0};
	struct shift shift;
	double scale = 0, dpi = 0, visit = 0, every = 0;
	long hotspots = 5;
	int reply, rc;
	size_t stem = dot ? (size_t)(dot - rest) : 0;
	if (dot && !slash && stem == strlen("coverage") && strncmp(rest, "coverage", stem) == 0) {
		q.kind = PRINT_COVERAGE;
	} else if (dot && !slash && stem == strlen("roster") &&
	           strncmp(rest, "roster", stem) == 0) {
		q.kind = PRINT_ROSTER;
	} else if (dot && !slash && stem == strlen("backtest") &&
	           strncmp(rest, "backtest", stem) == 0) {
		q.kind = PRINT_BACKTEST;
	} else if (!slash || !dot || dot < slash || dot == slash + 1 ||
	           (size_t)(dot - slash - 1) >= sizeof code) {
		return http_reply_error(
		    rq, 404, NULL,
		    "expected /print/district/CODE.pdf, /print/mahalla/CODE.pdf, "
		    "/print/coverage.pdf, /print/roster.pdf or /print/backtest.pdf");
	} else if ((size_t)(slash - rest) == strlen("district") &&
	           strncmp(rest, "district", 8) == 0) {
		snprintf(code, sizeof code, "%.*s", (int)(dot - slash - 1), slash + 1);
		q.district = code;
	} else if ((size_t)(slash - rest) == strlen("mahalla") &&
	           strncmp(rest, "mahalla", 7) == 0) {
		snprintf(code, sizeof code, "%.*s", (int)(dot - slash - 1), slash + 1);
		q.mahalla = code;
	} else {
		return http_reply_error(rq, 404, "kind",
		                        "print a district or a mahalla, not '%.*s'",
		                        (int)(slash - rest), rest);
	}
	if (q.kind != PRINT_AREA) {
		/* The district is an argument; the weekdays are the shift's. */
		q.district = http_arg(rq, "district");
		snprintf(code, sizeof code, "%.*s", (int)stem, rest);
		if (shift_parse(http_arg(rq, "shift"), http_arg(rq, "weekdays"), &shift) < 0)
			return routes_reply_error(rq);
		q.shift = &shift;
		q.date = http_arg(rq, "date");
	}
	const char *paper = http_arg(rq, "paper"), *lang = http_arg(rq, "lang");
	const char *layers = http_arg(rq, "layers");
	if (print_format_parse(dot + 1, &q.format) < 0)
		return http_reply_error(rq, 404, "format",
		                        "prints are .pdf, .png or .csv, not '%s'", dot);
	if ((paper && print_paper_parse(paper, &q.paper) < 0) ||
	    (lang && print_lang_parse(lang, &q.lang) < 0) ||
	    (layers && render_layers_parse(layers, &q.layers) < 0))
		return routes_reply_error(rq);
	if (routes_number_arg(rq, "scale", PRINT_MIN_SCALE, PRINT_MAX_SCALE,
	                      "a number of the scale's denominator", &scale, &reply) ||
	    routes_number_arg(rq, "dpi", PRINT_MIN_DPI, PRINT_MAX_DPI, "a number of dots per inch",
	                      &dpi, &reply) ||
	    routes_whole_arg(rq, "hotspots", 0, 20, "a number of hotspots", &hotspots, &reply) ||
	    routes_number_arg(rq, "visit", PRINT_MIN_VISIT, PRINT_MAX_VISIT, "a number of minutes",
	                      &visit, &reply) ||
	    routes_number_arg(rq, "every", PRINT_MIN_EVERY, PRINT_MAX_EVERY, "a number of minutes",
	                      &every, &reply) ||
	    routes_filter(rq, renderer_dataset(app->r), &rr, &reply))
		return reply;
	if (q.kind != PRINT_AREA) {
		rr.filter.hours = 0xFFFFFF;
		rr.filter.weekdays = 0x7F;
	}
	q.landscape = arg_flag(rq, "landscape");
	q.atlas = arg_flag(rq, "atlas");
	q.scale = scale;
	q.dpi = dpi;
	q.visit = visit;
	q.every = every;
	q.hotspots = hotspots >= 1 ? (int)hotspots : -1;
	q.filter = rr.filter;
	q.bandwidth = rr.bandwidth;
	static const char *const not_backtest[] = {"from", "to", "hours"};
	for (int i = 0; q.kind == PRINT_BACKTEST && i < 3; i++)
		if (http_arg(rq, not_backtest[i]))
			return http_reply_error(rq, 400, not_backtest[i],
			                        "%s: a backtest spans folds of weeks up to end, "
			                        "with a shift",
			                        not_backtest[i]);
	store *st = routes_store(app);
	if (!st)
		return http_reply_error(rq, 503, NULL, "the database is not available");
	/* The backtest runs last, once every other argument is known good. */
	if (q.kind == PRINT_BACKTEST || (q.atlas && arg_flag(rq, "backtest"))) {
		if (api_backtest_query(rq, &bt, &reply))
			return reply;
		q.backtest = &bt;
	}
	rc = print_make(app->r, st, &q, &res);
	backtest_free(&bt);
	if (rc < 0)
		return rc == ERR_NOTFOUND
		           ? http_reply_error(rq, 404, q.kind == PRINT_AREA ? "code" : "district",
		                              "%s", err_msg())
		       : rc == ERR_INVALID ? routes_reply_error(rq)
		                           : http_reply_error(rq, 500, NULL, "%s", err_msg());
	static const char *const types[] = {[PRINT_PDF] = "application/pdf",
	                                    [PRINT_PNG] = "image/png",
	                                    [PRINT_CSV] = "text/csv; charset=utf-8"};
	static const char *const extensions[] = {
	    [PRINT_PDF] = "pdf", [PRINT_PNG] = "png", [PRINT_CSV] = "csv"};
	char disposition[200];
	snprintf(disposition, sizeof disposition, "%s; filename=\"%s%s.%s\"",
	         q.format == PRINT_CSV ? "attachment" : "inline", code, q.atlas ? "-atlas" : "",
	         extensions[q.format]);
	/* The reply takes the document over. */
	return http_reply(rq, 200, types[q.format], res.data, res.len, "Content-Disposition",
	                  disposition, "Cache-Control", "no-store", NULL);
}

unsigned routes_authorize(struct http_request *rq, int need)
{
	struct app *app = rq->app;
	struct auth_identity who;
	const char *auth = http_header(rq, "Authorization");
	const char *session = http_cookie(rq, "posbon_session");
	if (need == ROLE_NONE)
		return 0;
	store *st = routes_store(app);
	if (!st)
		return 401;
	int rc = ERR_NOTFOUND;
	if (auth && strncmp(auth, "Bearer ", 7) == 0)
		rc = auth_check_token(st, auth + 7, &who);
	else if (auth && strncmp(auth, "Basic ", 6) == 0)
		rc = auth_check_basic(st, auth + 6, &who);
	else if (session && (rc = auth_check_session(st, session, &who)) == 0)
		rq->by_cookie = 1;
	if (rc < 0)
		return 401;
	/* not snprintf: it is slow here (see log_access()), and this runs for
	 * every request */
	size_t wn = strnlen(who.name, sizeof rq->who - 1);
	memcpy(rq->who, who.name, wn);
	rq->who[wn] = '\0';
	rq->role = who.role;
	return auth_allows(who.role, (enum auth_role)need) ? 0 : 403;
}

/* Answers {"name","role"} of an identity, with the extra header pair. */
static int reply_identity(struct http_request *rq, const char *name, int role, const char *header,
                          const char *value)
{
	return http_reply_value(
	    rq, 200,
	    json_pack("{s:s, s:s}", "name", name, "role", auth_role_name((enum auth_role)role)),
	    header, value);
}

/* The session cookie's header: value for max_age seconds (0: ended);
 * Secure under TLS, so that the browser never sends it in clear. */
static void session_cookie(struct http_request *rq, const char *value, int max_age, char out[256])
{
	snprintf(out, 256, "posbon_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d%s",
	         value, max_age, rq->secure ? "; Secure" : "");
}

static int post_login(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = routes_store(app);
	struct auth_identity who;
	char session[AUTH_SECRET_LEN], cookie[256];
	json_error_t jerr;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	json_t *o = rq->body ? json_loadb(rq->body, rq->body_len, 0, &jerr) : NULL;
	const char *token = json_string_value(json_object_get(o, "token"));
	int rc = token ? auth_login(st, token, &who, session) : ERR_NOTFOUND;
	json_decref(o);
	if (rc < 0)
		return http_reply_error(rq, 401, "token", "unknown or revoked token");
	session_cookie(rq, session, AUTH_SESSION_SECONDS, cookie);
	return reply_identity(rq, who.name, who.role, "Set-Cookie", cookie);
}

static int post_logout(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = routes_store(app);
	if (st)
		auth_logout(st, http_cookie(rq, "posbon_session"));
	char cookie[256];
	session_cookie(rq, "", 0, cookie);
	return http_reply_value(rq, 200, json_object(), "Set-Cookie", cookie);
}

static int get_me(struct http_request *rq)
{
	return reply_identity(rq, rq->who, rq->role, NULL, NULL);
}

static int get_events(struct http_request *rq)
{
	struct app *app = rq->app;
	return events_subscribe(app->events, rq);
}

static int get_static(struct http_request *rq)
{
	struct app *app = rq->app;
	return static_serve(rq, &app->web);
}

/* Prometheus text exposition of the server's counters. */
static int get_metrics(struct http_request *rq)
{
	struct app *app = rq->app;
	struct http_stats hs;
	struct cache_stats cs;
	char *buf = malloc(8192);
	size_t n = 0, cap = 8192;
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
#undef OUT
	if (n >= cap) {
		free(buf);
		return http_reply_error(rq, 500, NULL, "metrics overflow");
	}
	return http_reply(rq, 200, "text/plain; version=0.0.4", (unsigned char *)buf, n, NULL);
}

const struct http_route routes_table[] = {
    {"GET", "/healthz", get_health, ROLE_NONE},
    {"POST", "/api/login", post_login, ROLE_NONE},
    {"POST", "/api/logout", post_logout, ROLE_NONE},
    {"GET", "/api/me", get_me, ROLE_VIEWER},
    {"GET", "/api/meta", api_meta, ROLE_VIEWER},
    {"GET", "/api/legend", api_legend, ROLE_VIEWER},
    {"GET", "/api/mahallas", api_mahallas, ROLE_VIEWER},
    {"GET", "/api/summary", api_summary, ROLE_VIEWER},
    {"GET", "/api/offences", api_offences_get, ROLE_VIEWER},
    {"POST", "/api/offences", api_offences_post, ROLE_OFFICER},
    {"PATCH", "/api/offences/", api_offence_patch, ROLE_OFFICER},
    {"DELETE", "/api/offences/", api_offence_delete, ROLE_OFFICER},
    {"GET", "/api/zones", api_zones_get, ROLE_VIEWER},
    {"POST", "/api/zones", api_zones_post, ROLE_PLANNER},
    {"PUT", "/api/zones/", api_zones_put, ROLE_PLANNER},
    {"DELETE", "/api/zones/", api_zones_delete, ROLE_PLANNER},
    {"GET", "/api/hotspots", api_hotspots, ROLE_VIEWER},
    {"GET", "/api/dosage", api_dosage, ROLE_VIEWER},
    {"POST", "/api/tracks", api_tracks_post, ROLE_OFFICER},
    {"GET", "/api/units", api_units, ROLE_VIEWER},
    {"GET", "/api/coverage", api_coverage, ROLE_VIEWER},
    {"GET", "/api/plan", api_plan, ROLE_VIEWER},
    {"POST", "/api/plan/save", api_plan_save, ROLE_PLANNER},
    {"GET", "/api/gistar", api_gistar, ROLE_VIEWER},
    {"GET", "/api/backtest/chart.png", api_backtest_chart, ROLE_VIEWER},
    {"GET", "/api/backtest/chart.svg", api_backtest_chart, ROLE_VIEWER},
    {"GET", "/api/backtest", api_backtest, ROLE_VIEWER},
    {"GET", "/api/trends", api_trends, ROLE_VIEWER},
    {"GET", "/api/events", get_events, ROLE_VIEWER},
    {"GET", "/metrics", get_metrics, ROLE_VIEWER},
    {"GET", "/tiles/", get_tile, ROLE_VIEWER},
    {"GET", "/print/", get_print, ROLE_VIEWER},
    /* The handler authorizes, to send WMS clients a Basic challenge. */
    {"GET", "/wms", wms_get, ROLE_NONE},
    {"GET", "/", get_static, ROLE_NONE},
    {NULL, NULL, NULL, 0},
};
