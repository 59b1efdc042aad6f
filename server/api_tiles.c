/*
 * api_tiles: GET /tiles/{layers}/{z}/{x}/{y}.png (and @2x.png), the map's
 * tiles through the tile cache, and /tiles/{layers}.json, their TileJSON.
 * The query takes the filters, the planner's plan and the trends' analysis
 * (query.h), which also key the ETag.
 */
#include "api_tiles.h"

#include "app.h"
#include "err.h"
#include "query.h"
#include "tilemath.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

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
	char base[300], url[512];
	if (app_base_url(rq, base, sizeof base) < 0)
		return app_reply_error(rq);
	snprintf(url, sizeof url, "%s/tiles/%s/{z}/{x}/{y}.png", base, layers);
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

int api_tile(struct http_request *rq)
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
	if (query_filter(rq, renderer_dataset(app->r), &q) < 0 ||
	    query_plan(rq, renderer_dataset(app->r), &q) < 0 ||
	    ((q.layers & RENDER_TRENDS) && query_trends(rq, &q) < 0) ||
	    ((q.layers & RENDER_NAMED) && query_names(rq, "lang", &q) < 0))
		return app_reply_error(rq);
	char etag[160], cache_control[APP_CACHE_CONTROL_SIZE];
	if (render_etag(app->r, &q, etag, sizeof etag) < 0)
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	app_cache_control(app, &q, cache_control);
	const char *inm = http_header(rq, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0)
		return http_reply_not_modified(rq, etag, cache_control);
	struct tile_job job = {app->r, &q};
	cache_tile *tile;
	if (cache_fetch(app->cache, etag, render_tile, &job, &tile, NULL) < 0)
		return http_reply_error(rq, 500, NULL, "rendering failed: %s", err_msg());
	size_t png_len;
	const unsigned char *png = cache_tile_data(tile, &png_len);
	return http_reply_shared(rq, 200, "image/png", png, png_len, release_tile, tile, "ETag",
	                         etag, "Cache-Control", cache_control, NULL);
}
