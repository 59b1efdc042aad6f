/*
 * routes: request parsing and answers. Every failure is a JSON error that
 * names the field (query argument or path part) that was wrong.
 */
#include "routes.h"

#include "err.h"
#include "log.h"
#include "store.h"
#include "tilemath.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static store *thread_store(struct app *app)
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

static int get_health(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = thread_store(app);
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	char body[256];
	snprintf(body, sizeof body,
	         "{\"status\":\"ok\",\"schema\":%d,\"offences\":%zu,\"data_version\":%lu}",
	         store_schema_version(st), dataset_count(renderer_dataset(app->r)),
	         renderer_version(app->r));
	return http_reply_json(rq, 200, body);
}

/* The filter and heatmap options of the query string. */
static int parse_filter(struct http_request *rq, const dataset *ds, struct render_request *q)
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
		char field[32];
		const char *msg = err_msg();
		size_t n = strcspn(msg, ":");
		snprintf(field, sizeof field, "%.*s", (int)n, msg);
		return http_reply_error(rq, 400, field, "%s", msg);
	}
	const char *bw = http_arg(rq, "bandwidth");
	if (bw) {
		char *end;
		q->bandwidth = strtod(bw, &end);
		if (end == bw || *end || !(q->bandwidth >= 10 && q->bandwidth <= 20000))
			return http_reply_error(rq, 400, "bandwidth",
			                        "bandwidth: '%s' is not a number of metres from 10 "
			                        "to 20000",
			                        bw);
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
	const char *query = "";
	snprintf(url, sizeof url, "http://%s/tiles/%s/{z}/{x}/{y}.png%s", host ? host : "localhost",
	         layers, query);
	json_t *o = json_pack("{s:s, s:s, s:[s], s:i, s:i, s:[f,f,f,f], s:[f,f,i], s:s}",
	                      "tilejson", "3.0.0", "name", layers, "tiles", url, "minzoom", 0,
	                      "maxzoom", 22, "bounds", w, s, ea, n, "center", (w + ea) / 2,
	                      (s + n) / 2, 13, "attribution", "posbon");
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text)
		return http_reply_error(rq, 500, NULL, "out of memory");
	int rc = http_reply_json(rq, 200, text);
	free(text);
	return rc;
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

/* GET /tiles/{layers}/{z}/{x}/{y}.png, {y}@2x.png, or /tiles/{layers}.json */
static int get_tile(struct http_request *rq)
{
	struct app *app = rq->app;
	const char *rest = rq->path + strlen("/tiles/");
	char layers[128], tail[64];
	int z, len = 0;
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
	snprintf(layers, sizeof layers, "%.*s", (int)n, rest);
	if (sscanf(rest + n, "/%d/%ld/%ld%n", &z, &x, &y, &len) != 3)
		return http_reply_error(rq, 404, "z/x/y", "expected /tiles/%s/Z/X/Y.png", layers);
	snprintf(tail, sizeof tail, "%s", rest + n + len);
	int scale = strcmp(tail, "@2x.png") == 0 ? 2 : strcmp(tail, ".png") == 0 ? 1 : 0;
	if (!scale)
		return http_reply_error(rq, 404, "format", "tiles are .png or @2x.png, not '%s'",
		                        tail);
	struct render_request q = {0};
	if (render_layers_parse(layers, &q.layers) < 0)
		return http_reply_error(rq, 404, "layers", "%s", err_msg());
	if (view_for_tile(z, x, y, 256 * scale, &q.view) < 0)
		return http_reply_error(rq, 404, "z/x/y", "%s", err_msg());
	int rc = parse_filter(rq, renderer_dataset(app->r), &q);
	if (rc)
		return rc;
	char etag[160];
	if (render_etag(app->r, &q, etag, sizeof etag) < 0)
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	const char *inm = http_header(rq, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0)
		return http_reply_not_modified(rq, etag);
	struct tile_job job = {app->r, &q};
	unsigned char *png;
	size_t png_len;
	if (cache_fetch(app->cache, etag, render_tile, &job, &png, &png_len, NULL) < 0)
		return http_reply_error(rq, 500, NULL, "rendering failed: %s", err_msg());
	/* Layers of offences change with every report; boundaries hardly. */
	int live = (q.layers & (RENDER_HEATMAP | RENDER_OFFENCES | RENDER_CHOROPLETH)) != 0;
	return http_reply(rq, 200, "image/png", png, png_len, "ETag", etag, "Cache-Control",
	                  live ? "public, max-age=10" : "public, max-age=86400",
	                  "Access-Control-Allow-Origin", "*", NULL);
}

const struct http_route routes_table[] = {
    {"GET", "/healthz", get_health},
    {"GET", "/tiles/", get_tile},
    {NULL, NULL, NULL},
};
