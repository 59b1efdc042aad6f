/*
 * api: the JSON endpoints of docs/api.md: what the viewer and other
 * systems read (meta, legends, mahallas and their figures, offence lists)
 * and the live ingest of offences with corrections.
 *
 * A write is committed before its answer; then the renderer takes the
 * change in (only tiles near it change) and open viewers hear of it.
 */
#include "api.h"

#include "backtest.h"
#include "changemap.h"
#include "chart.h"
#include "coverage.h"
#include "dosage.h"
#include "err.h"
#include "gistar.h"
#include "heatmap.h"
#include "hotspot.h"
#include "log.h"
#include "numtext.h"
#include "plan.h"
#include "suggest.h"
#include "tilemath.h"
#include "trends.h"
#include "zonecheck.h"

#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FEATURES 10000
#define PAGE_MAX     5000

/* Answers a jansson value (taken over) as JSON. */
static int reply_value(struct http_request *rq, unsigned status, json_t *v)
{
	return http_reply_value(rq, status, v, NULL, NULL);
}

static void iso_time(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *time_or_null(int64_t t)
{
	char buf[32];
	if (t == STORE_NO_TIME)
		return json_null();
	iso_time(t, buf, sizeof buf);
	return json_string(buf);
}

/* A time column: NULL (an offence whose time is unknown) stays null. */
static json_t *column_time(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL
	           ? json_null()
	           : time_or_null(sqlite3_column_int64(s, col));
}

static json_t *text_or_null(sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);
	return t ? json_string(t) : json_null();
}

static void colour_hex(const struct style_colour *c, char out[10])
{
	snprintf(out, 10, "#%02x%02x%02x%02x", (int)lround(c->r * 255), (int)lround(c->g * 255),
	         (int)lround(c->b * 255), (int)lround(c->a * 255));
}

/* Codes of a table with names in three languages and the style's colour. */
static json_t *code_list(store *st, const style *sty, int services)
{
	sqlite3_stmt *s = NULL;
	json_t *a = json_array();
	const char *sql = services ? "SELECT code, name_uz, name_ru, name_en FROM services "
	                             "ORDER BY code"
	                           : "SELECT code, name_uz, name_ru, name_en FROM categories "
	                             "ORDER BY code";
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return a;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(s, 0);
		struct style_colour c;
		char hex[10];
		if (services)
			style_service_colour(sty, code, &c);
		else
			style_category_colour(sty, code, &c);
		colour_hex(&c, hex);
		json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o, s:s}", "code", code,
		                                   "name_uz", text_or_null(s, 1), "name_ru",
		                                   text_or_null(s, 2), "name_en",
		                                   text_or_null(s, 3), "colour", hex));
	}
	sqlite3_finalize(s);
	return a;
}

int api_meta(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = routes_store(app);
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	const dataset *ds = renderer_dataset(app->r);
	const style *sty = renderer_style(app->r);
	double e[4], w, s, ea, n;
	dataset_extent(ds, e);
	tile_merc_to_lonlat(e[0], e[1], &w, &s);
	tile_merc_to_lonlat(e[2], e[3], &ea, &n);
	json_t *district = json_pack("{s:[f,f,f,f]}", "bounds", w, s, ea, n);
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(store_db(st),
	                       "SELECT code, name_uz, name_ru, name_en FROM districts ORDER BY id "
	                       "LIMIT 1",
	                       -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW) {
		json_object_set_new(district, "code", text_or_null(q, 0));
		json_object_set_new(district, "name_uz", text_or_null(q, 1));
		json_object_set_new(district, "name_ru", text_or_null(q, 2));
		json_object_set_new(district, "name_en", text_or_null(q, 3));
	}
	sqlite3_finalize(q);
	int64_t first, last;
	dataset_time_range(ds, &first, &last);
	json_t *o = json_pack(
	    "{s:o, s:o, s:o, s:{s:o, s:o}, s:[s,s,s,s,s,s,s,s,s], s:o, s:I, s:s, s:s}", "district",
	    district, "categories", code_list(st, sty, 0), "services", code_list(st, sty, 1),
	    "time_range", "first", time_or_null(first), "last", time_or_null(last), "layers",
	    "districts", "mahallas", "choropleth", "heatmap", "change", "trends", "offences",
	    "zones", "tracks", "basemap", app->basemap ? json_string(app->basemap) : json_null(),
	    "data_version", (json_int_t)renderer_version(app->r), "user", rq->who, "role",
	    auth_role_name((enum auth_role)rq->role));
	return reply_value(rq, 200, o);
}

/* Codes and colours of a layer's legend: categories or services. */
static json_t *legend_codes(const dataset *ds, const style *sty, int services)
{
	json_t *a = json_array();
	size_t n = services ? dataset_service_count(ds) : dataset_category_count(ds);
	for (size_t i = 0; i < n; i++) {
		const char *code = services ? dataset_service(ds, i) : dataset_category(ds, i);
		struct style_colour c;
		char hex[10];
		if (services)
			style_service_colour(sty, code, &c);
		else
			style_category_colour(sty, code, &c);
		colour_hex(&c, hex);
		json_array_append_new(a, json_pack("{s:s, s:s}", "code", code, "colour", hex));
	}
	return a;
}

/* The offences layer: each category's colour, and the zooms and dot radius
 * ([[zoom, px], ...], interpolated as style_zfunc_eval() does) at which the
 * dots are drawn, so that the viewer knows how far a click reaches them. */
static int offences_legend(struct http_request *rq)
{
	struct app *app = rq->app;
	const style *sty = renderer_style(app->r);
	const struct style_offences *st = style_offences(sty);
	json_t *o = json_pack("{s:s, s:o}", "layer", "offences", "categories",
	                      legend_codes(renderer_dataset(app->r), sty, 0));
	if (st) {
		json_t *radius = json_array();
		for (size_t i = 0; i < st->radius.n; i++)
			json_array_append_new(
			    radius, json_pack("[f,f]", st->radius.zoom[i], st->radius.value[i]));
		json_object_set_new(o, "minzoom", json_real(st->zoom.min));
		json_object_set_new(o, "maxzoom", json_real(st->zoom.max));
		json_object_set_new(o, "radius", radius);
	}
	return reply_value(rq, 200, o);
}

/* The planner's layers: the colour of each status, as the style gives it
 * (the viewer's panel and the printed pages take them from here and the
 * style); on the map a covered hotspot and an overlap's hatching take the
 * services' colours. */
static int hotspots_legend(struct http_request *rq, const char *layer)
{
	struct app *app = rq->app;
	const style *sty = renderer_style(app->r);
	const struct style_hotspots *hs = style_hotspots(sty);
	static const enum style_hotspot_look looks[][5] = {
	    {STYLE_HOTSPOT, STYLE_HOTSPOT_LOOKS},
	    {STYLE_HOTSPOT_GAP, STYLE_HOTSPOT_COVERED, STYLE_HOTSPOT_JOINT, STYLE_HOTSPOT_OVERLAP,
	     STYLE_HOTSPOT_LOOKS},
	    {STYLE_HOTSPOT_UNVISITED, STYLE_HOTSPOT_SHORT, STYLE_HOTSPOT_MET, STYLE_HOTSPOT_LOOKS}};
	int which = layer[0] == 'h' ? 0 : layer[0] == 'c' ? 1 : 2;
	if (!hs)
		return http_reply_error(rq, 404, "layer", "layer: the style has no hotspots layer");
	json_t *statuses = json_array();
	for (size_t i = 0; looks[which][i] != STYLE_HOTSPOT_LOOKS; i++) {
		char hex[10];
		colour_hex(&hs->colours[looks[which][i]], hex);
		json_array_append_new(statuses, json_pack("{s:s, s:s}", "status",
		                                          style_hotspot_look_name(looks[which][i]),
		                                          "colour", hex));
	}
	json_t *o = json_pack("{s:s, s:o, s:f}", "layer", layer, "statuses", statuses,
	                      "fill_opacity", hs->fill_opacity);
	if (which == 1)
		json_object_set_new(o, "services", legend_codes(renderer_dataset(app->r), sty, 1));
	return reply_value(rq, 200, o);
}

/* The trends layer: each category's colour, hot then cold, as GET
 * /api/trends names them (category, pattern, hot); no pattern is not
 * drawn. */
static int trends_legend(struct http_request *rq)
{
	struct app *app = rq->app;
	const struct style_trends *st = style_trends(renderer_style(app->r));
	if (!st)
		return http_reply_error(rq, 404, "layer", "layer: the style has no trends layer");
	json_t *categories = json_array();
	for (int sign = 1; sign >= -1; sign -= 2)
		for (int k = 1; k < TRENDS_PATTERNS; k++) {
			char hex[10];
			colour_hex(&st->colours[sign * k + TRENDS_PATTERNS - 1], hex);
			json_array_append_new(categories,
			                      json_pack("{s:s, s:i, s:b, s:s}", "category",
			                                trends_category_name(sign * k), "pattern",
			                                k, "hot", sign > 0, "colour", hex));
		}
	return reply_value(rq, 200,
	                   json_pack("{s:s, s:f, s:o}", "layer", "trends", "opacity", st->opacity,
	                             "categories", categories));
}

int api_legend(struct http_request *rq)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	const char *layer = http_arg(rq, "layer");
	struct render_request q = {0};
	int reply;
	if (!layer)
		return http_reply_error(rq, 400, "layer", "layer: which layer's legend?");
	if (routes_filter(rq, ds, &q, &reply))
		return reply;
	int change = strcmp(layer, "change") == 0;
	if (change || strcmp(layer, "heatmap") == 0) {
		struct dataset_filter now = q.filter, before = q.filter;
		style_ramp *ramp;
		if (change)
			changemap_periods(ds, &q.filter, &now, &before);
		if ((change ? renderer_change_ramp : renderer_heatmap_ramp)(app->r, &q.filter,
		                                                            &ramp) < 0)
			return http_reply_error(rq, 404, "layer", "%s", err_msg());
		json_t *stops = json_array();
		for (size_t i = 0; i < style_ramp_size(ramp); i++) {
			double v;
			struct style_colour c;
			char hex[10];
			style_ramp_stop(ramp, i, &v, &c);
			colour_hex(&c, hex);
			json_array_append_new(stops,
			                      json_pack("{s:f, s:s}", "value", v, "colour", hex));
		}
		style_ramp_free(ramp);
		json_t *o = json_pack("{s:s, s:s, s:f, s:o}", "layer", layer, "units",
		                      change ? "change in offences per km² over the period, "
		                               "against the previous period of equal length"
		                             : "offences per km² over the period",
		                      "period_days", heatmap_period_days(ds, &now), "stops", stops);
		if (change) {
			json_object_set_new(o, "from", time_or_null(now.from));
			json_object_set_new(o, "to", time_or_null(now.to));
			json_object_set_new(o, "previous_from", time_or_null(before.from));
			json_object_set_new(o, "previous_to", time_or_null(before.to));
		}
		return reply_value(rq, 200, o);
	}
	if (strcmp(layer, "choropleth") == 0) {
		struct choropleth_classes c;
		if (renderer_choropleth(app->r, &q.filter, q.metric, &c) < 0)
			return http_reply_error(rq, 404, "layer", "%s", err_msg());
		static const char *const names[] = {"count", "rate", "change"};
		json_t *classes = json_array();
		for (size_t i = 0; i < c.n_classes; i++) {
			char hex[10];
			colour_hex(&c.colours[i], hex);
			json_array_append_new(classes, json_pack("{s:f, s:f, s:s}", "from",
			                                         i ? c.breaks[i - 1] : c.min, "to",
			                                         c.breaks[i], "colour", hex));
		}
		choropleth_classes_free(&c);
		return reply_value(rq, 200,
		                   json_pack("{s:s, s:s, s:o}", "layer", "choropleth", "metric",
		                             names[c.metric], "classes", classes));
	}
	if (strcmp(layer, "offences") == 0)
		return offences_legend(rq);
	if (strcmp(layer, "zones") == 0 || strcmp(layer, "tracks") == 0) {
		return reply_value(rq, 200,
		                   json_pack("{s:s, s:o}", "layer", layer, "services",
		                             legend_codes(ds, renderer_style(app->r), 1)));
	}
	if (strcmp(layer, "trends") == 0)
		return trends_legend(rq);
	if (strcmp(layer, "hotspots") == 0 || strcmp(layer, "coverage") == 0 ||
	    strcmp(layer, "dosage") == 0)
		return hotspots_legend(rq, layer);
	return http_reply_error(rq, 404, "layer", "layer: no legend for '%s'", layer);
}

static int mahalla_list(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = routes_store(app);
	sqlite3_stmt *s = NULL;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (sqlite3_prepare_v2(store_db(st),
	                       "SELECT code, name_uz, name_ru, name_en, district_code, population, "
	                       "inspector, AsGeoJSON(geom, 6) FROM mahallas ORDER BY code",
	                       -1, &s, NULL) != SQLITE_OK)
		return http_reply_error(rq, 500, NULL, "%s", sqlite3_errmsg(store_db(st)));
	json_t *features = json_array();
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *g = (const char *)sqlite3_column_text(s, 7);
		json_t *geom = g ? json_loads(g, 0, NULL) : NULL;
		json_t *props = json_pack(
		    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "code", text_or_null(s, 0), "name_uz",
		    text_or_null(s, 1), "name_ru", text_or_null(s, 2), "name_en",
		    text_or_null(s, 3), "district", text_or_null(s, 4), "population",
		    sqlite3_column_type(s, 5) == SQLITE_NULL
		        ? json_null()
		        : json_integer(sqlite3_column_int64(s, 5)),
		    "inspector", text_or_null(s, 6));
		json_array_append_new(features,
		                      json_pack("{s:s, s:o, s:o}", "type", "Feature", "properties",
		                                props, "geometry", geom ? geom : json_null()));
	}
	sqlite3_finalize(s);
	return reply_value(
	    rq, 200, json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features));
}

/* {"code": count, ...} of the nonzero entries of counts. */
static json_t *counts_json(const dataset *ds, const double *counts, size_t n, int services)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		if (counts[i] > 0)
			json_array_append_new(a, json_pack("{s:s, s:f}", "code",
			                                   services ? dataset_service(ds, i)
			                                            : dataset_category(ds, i),
			                                   "count", counts[i]));
	return a;
}

json_t *api_mahalla_figures(store *st, const dataset *ds, const char *code,
                            const struct dataset_filter *f)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(store_db(st),
	                       "SELECT code, name_uz, name_ru, name_en, district_code, population, "
	                       "inspector FROM mahallas WHERE code = ?1",
	                       -1, &s, NULL) != SQLITE_OK) {
		err_set(ERR_DB, "%s", sqlite3_errmsg(store_db(st)));
		return NULL;
	}
	sqlite3_bind_text(s, 1, code, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		err_set(ERR_NOTFOUND, "no mahalla has the code '%s'", code);
		return NULL;
	}
	int64_t population =
	    sqlite3_column_type(s, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 5);
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "code", text_or_null(s, 0),
	                      "name_uz", text_or_null(s, 1), "name_ru", text_or_null(s, 2),
	                      "name_en", text_or_null(s, 3), "district", text_or_null(s, 4),
	                      "inspector", text_or_null(s, 6));
	sqlite3_finalize(s);
	int m = dataset_mahalla_index(ds, code);
	size_t nc = dataset_category_count(ds), ns = dataset_service_count(ds);
	double *by_cat = calloc(nc + 1, sizeof *by_cat), *by_svc = calloc(ns + 1, sizeof *by_svc);
	double total = m >= 0 ? dataset_tally(ds, f, m, by_cat, by_svc) : 0;
	json_object_set_new(o, "population",
	                    population >= 0 ? json_integer(population) : json_null());
	json_object_set_new(o, "offences", json_real(total));
	json_object_set_new(o, "rate_per_1000",
	                    population > 0 ? json_real(total * 1000.0 / (double)population)
	                                   : json_null());
	/* The period of equal length just before, when the period is bounded. */
	if (f->from != STORE_NO_TIME && f->to != STORE_NO_TIME && m >= 0) {
		struct dataset_filter prev = *f;
		int64_t len = f->to - f->from + 1;
		prev.from -= len;
		prev.to -= len;
		double before = dataset_tally(ds, &prev, m, NULL, NULL);
		json_object_set_new(o, "previous", json_real(before));
		json_object_set_new(
		    o, "change", before > 0 ? json_real((total - before) / before) : json_null());
	} else {
		json_object_set_new(o, "previous", json_null());
		json_object_set_new(o, "change", json_null());
	}
	json_object_set_new(o, "by_category", counts_json(ds, by_cat, nc, 0));
	json_object_set_new(o, "by_service", counts_json(ds, by_svc, ns, 1));
	free(by_cat);
	free(by_svc);
	return o;
}

static int mahalla_figures(struct http_request *rq)
{
	struct app *app = rq->app;
	const char *code = rq->path + strlen("/api/mahallas/");
	const dataset *ds = renderer_dataset(app->r);
	store *st = routes_store(app);
	struct render_request q = {0};
	int reply;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (routes_filter(rq, ds, &q, &reply))
		return reply;
	json_t *o = api_mahalla_figures(st, ds, code, &q.filter);
	if (!o)
		return http_reply_error(rq, err_last() == ERR_NOTFOUND ? 404 : 500, "code", "%s",
		                        err_msg());
	return reply_value(rq, 200, o);
}

int api_summary(struct http_request *rq)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	struct render_request q = {0};
	int reply;
	if (routes_filter(rq, ds, &q, &reply))
		return reply;
	size_t nc = dataset_category_count(ds), ns = dataset_service_count(ds),
	       nm = dataset_mahalla_count(ds);
	double *by_cat = calloc(nc + 1, sizeof *by_cat), *by_svc = calloc(ns + 1, sizeof *by_svc),
	       *by_m = calloc(nm + 1, sizeof *by_m);
	double total = dataset_tally(ds, &q.filter, -1, by_cat, by_svc);
	dataset_mahalla_counts(ds, &q.filter, NULL, by_m);
	json_t *mahallas = json_array();
	for (size_t i = 0; i < nm; i++)
		if (by_m[i] > 0)
			json_array_append_new(mahallas,
			                      json_pack("{s:s, s:f}", "code",
			                                dataset_mahalla(ds, i), "count", by_m[i]));
	json_t *o = json_pack("{s:f, s:o, s:o, s:o}", "offences", total, "by_category",
	                      counts_json(ds, by_cat, nc, 0), "by_service",
	                      counts_json(ds, by_svc, ns, 1), "by_mahalla", mahallas);
	free(by_cat);
	free(by_svc);
	free(by_m);
	return reply_value(rq, 200, o);
}

struct page {
	long offset, limit, seen; /* seen: every offence of the walk, so the matched count */
	int64_t *ids;
	size_t n;
};

int api_mahallas(struct http_request *rq)
{
	return strlen(rq->path) > strlen("/api/mahallas/") ? mahalla_figures(rq) : mahalla_list(rq);
}

/* Keeps the page's ids and counts on past it: a client showing one page
 * (the viewer's popup) says how many more there are. */
static int collect_page(void *ctx, const struct dataset_offence *o)
{
	struct page *p = ctx;
	if (p->seen++ >= p->offset && (long)p->n < p->limit)
		p->ids[p->n++] = o->id;
	return 0;
}

json_t *api_offence_features(store *st, const int64_t *ids, size_t n)
{
	sqlite3_stmt *s = NULL;
	json_t *features = json_array();
	if (sqlite3_prepare_v2(store_db(st),
	                       "SELECT external_id, occurred_from, occurred_to, time_precision, "
	                       "category, service, mahalla_code, status, ST_X(geom), ST_Y(geom), "
	                       "address FROM offences WHERE id = ?1",
	                       -1, &s, NULL) == SQLITE_OK) {
		for (size_t i = 0; i < n; i++) {
			sqlite3_reset(s);
			sqlite3_bind_int64(s, 1, ids[i]);
			if (sqlite3_step(s) != SQLITE_ROW)
				continue;
			json_t *props = json_pack(
			    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
			    text_or_null(s, 0), "from", column_time(s, 1), "to", column_time(s, 2),
			    "precision", text_or_null(s, 3), "category", text_or_null(s, 4),
			    "service", text_or_null(s, 5), "mahalla", text_or_null(s, 6), "status",
			    text_or_null(s, 7), "address", text_or_null(s, 10));
			json_array_append_new(
			    features, json_pack("{s:s, s:o, s:{s:s, s:[f,f]}}", "type", "Feature",
			                        "properties", props, "geometry", "type", "Point",
			                        "coordinates", sqlite3_column_double(s, 8),
			                        sqlite3_column_double(s, 9)));
		}
	}
	sqlite3_finalize(s);
	return features;
}

int api_offences_get(struct http_request *rq)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	store *st = routes_store(app);
	struct render_request q = {0};
	struct page p = {.limit = 1000};
	int reply;
	double box[4];
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (routes_filter(rq, ds, &q, &reply) ||
	    routes_whole_arg(rq, "limit", 1, PAGE_MAX, "a whole number", &p.limit, &reply) ||
	    routes_whole_arg(rq, "offset", 0, 100000000, "a whole number", &p.offset, &reply))
		return reply;
	const char *bbox = http_arg(rq, "bbox");
	if (bbox) {
		double b[4];
		if (numtext_list(bbox, ',', b, 4) < 0 || !(b[0] < b[2] && b[1] < b[3]) ||
		    tile_lonlat_to_merc(b[0], b[1], &box[0], &box[1]) < 0 ||
		    tile_lonlat_to_merc(b[2], b[3], &box[2], &box[3]) < 0)
			return http_reply_error(
			    rq, 400, "bbox", "bbox: '%s' is not west,south,east,north in degrees",
			    bbox);
	} else {
		box[0] = box[1] = -2e7;
		box[2] = box[3] = 2e7;
	}
	if (!(p.ids = malloc((size_t)p.limit * sizeof *p.ids)))
		return http_reply_error(rq, 503, NULL, "out of memory");
	dataset_each(ds, box, &q.filter, collect_page, &p);
	json_t *features = api_offence_features(st, p.ids, p.n);
	free(p.ids);
	json_t *o = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
	json_object_set_new(o, "next_offset",
	                    p.seen > p.offset + p.limit ? json_integer(p.offset + p.limit)
	                                                : json_null());
	json_object_set_new(o, "matched", json_integer(p.seen));
	return reply_value(rq, 200, o);
}

/* ---- writes -------------------------------------------------------------- */

/* A property's string, or NULL; type errors are reported by the caller. */
static const char *prop_text(json_t *props, const char *name, int *wrong)
{
	json_t *v = json_object_get(props, name);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*wrong = 1;
		return NULL;
	}
	return json_string_value(v);
}

/* Whether a code exists in categories or services. */
static int code_exists(store *st, int services, const char *code)
{
	sqlite3_stmt *s = NULL;
	int found = 0;
	if (sqlite3_prepare_v2(store_db(st),
	                       services ? "SELECT 1 FROM services WHERE code = ?1"
	                                : "SELECT 1 FROM categories WHERE code = ?1",
	                       -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
		found = sqlite3_step(s) == SQLITE_ROW;
	}
	sqlite3_finalize(s);
	return found;
}

/* Reads feature f (number i) into o; on a problem sets field and message. */
static int feature_offence(struct app *app, store *st, json_t *f, size_t i, struct store_offence *o,
                           char *field, size_t nf, char *msg, size_t nm)
{
	json_t *props = json_object_get(f, "properties");
	json_t *geom = json_object_get(f, "geometry");
	int wrong = 0;
	memset(o, 0, sizeof *o);
	o->occurred_from = o->occurred_to = o->reported_at = STORE_NO_TIME;
#define FAIL(fieldname, ...)                                                                       \
	do {                                                                                       \
		snprintf(field, nf, "features[%zu].%s", i, fieldname);                             \
		snprintf(msg, nm, __VA_ARGS__);                                                    \
		return ERR_INVALID;                                                                \
	} while (0)
	if (!json_is_object(f) || !json_is_string(json_object_get(f, "type")) ||
	    strcmp(json_string_value(json_object_get(f, "type")), "Feature") != 0)
		FAIL("type", "not a GeoJSON Feature");
	if (!json_is_object(props))
		FAIL("properties", "properties must be an object");
	o->external_id = prop_text(props, "id", &wrong);
	if (wrong || !o->external_id || !*o->external_id || strlen(o->external_id) > 200)
		FAIL("properties.id", "id: a string of 1 to 200 characters is required");
	const char *when = prop_text(props, "time", &wrong),
	           *from = prop_text(props, "from", &wrong), *to = prop_text(props, "to", &wrong);
	if (wrong)
		FAIL("properties.time", "time, from and to must be strings");
	struct time_span a, b;
	if (when) {
		if (timeparse_parse(app->zone, when, NULL, DATE_ORDER_AUTO, &a) < 0)
			FAIL("properties.time", "%s", err_msg());
		o->occurred_from = a.from;
		o->occurred_to = a.to;
		o->precision = a.precision;
	} else if (from || to) {
		if (!from || !to)
			FAIL("properties.from", "from and to come together");
		if (timeparse_parse(app->zone, from, NULL, DATE_ORDER_AUTO, &a) < 0)
			FAIL("properties.from", "%s", err_msg());
		if (timeparse_parse(app->zone, to, NULL, DATE_ORDER_AUTO, &b) < 0)
			FAIL("properties.to", "%s", err_msg());
		if (b.to < a.from)
			FAIL("properties.to", "to is before from");
		o->occurred_from = a.from;
		o->occurred_to = b.to;
		o->precision = PREC_SPAN;
	} else {
		FAIL("properties.time", "time (or from and to) is required");
	}
	o->category = prop_text(props, "category", &wrong);
	if (wrong || (o->category && !code_exists(st, 0, o->category)))
		FAIL("properties.category", "unknown category '%s'",
		     o->category ? o->category : "");
	o->service = prop_text(props, "service", &wrong);
	if (wrong || (o->service && !code_exists(st, 1, o->service)))
		FAIL("properties.service", "unknown service '%s'", o->service ? o->service : "");
	o->article = prop_text(props, "article", &wrong);
	o->status = prop_text(props, "status", &wrong);
	o->address = prop_text(props, "address", &wrong);
	o->mahalla_code = prop_text(props, "mahalla", &wrong);
	if (wrong)
		FAIL("properties", "article, status, address and mahalla must be strings");
	if (geom && !json_is_null(geom)) {
		json_t *c = json_object_get(geom, "coordinates");
		const char *type = json_string_value(json_object_get(geom, "type"));
		if (!type || strcmp(type, "Point") != 0 || !json_is_array(c) ||
		    json_array_size(c) < 2 || !json_is_number(json_array_get(c, 0)) ||
		    !json_is_number(json_array_get(c, 1)))
			FAIL("geometry", "geometry must be a Point [longitude, latitude] or null");
		o->lon = json_number_value(json_array_get(c, 0));
		o->lat = json_number_value(json_array_get(c, 1));
		if (!(o->lon >= -180 && o->lon <= 180 && o->lat >= -85 && o->lat <= 85))
			FAIL("geometry.coordinates", "(%g, %g) is not a longitude and latitude",
			     o->lon, o->lat);
		o->has_point = 1;
	} else if (!o->mahalla_code) {
		FAIL("geometry", "a point or a mahalla code is required");
	}
#undef FAIL
	return 0;
}

/* Where a write happened, for the event (lon/lat; empty when unknown). */
struct where {
	double w, s, e, n;
	int any;
};

static void where_add(struct where *b, const struct store_offence *o)
{
	if (!o->has_point)
		return;
	if (!b->any) {
		b->w = b->e = o->lon;
		b->s = b->n = o->lat;
		b->any = 1;
		return;
	}
	b->w = fmin(b->w, o->lon);
	b->e = fmax(b->e, o->lon);
	b->s = fmin(b->s, o->lat);
	b->n = fmax(b->n, o->lat);
}

/* After a committed write: the renderer takes it in and viewers hear. */
static void announce(struct app *app, store *st, const int64_t *updated, size_t n_updated,
                     const struct where *b)
{
	size_t added = 0;
	if (renderer_sync(app->r, st, &added) < 0)
		log_msg(LOG_ERROR, 0, "renderer sync: %s", err_msg());
	for (size_t i = 0; i < n_updated; i++)
		if (renderer_reload(app->r, st, updated[i]) < 0)
			log_msg(LOG_ERROR, 0, "renderer reload: %s", err_msg());
	json_t *o =
	    json_pack("{s:I, s:I, s:I}", "data_version", (json_int_t)renderer_version(app->r),
	              "added", (json_int_t)added, "changed", (json_int_t)n_updated);
	if (o && b && b->any)
		json_object_set_new(o, "bbox", json_pack("[f,f,f,f]", b->w, b->s, b->e, b->n));
	char *data = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (data)
		events_publish(app->events, "offences", data);
	free(data);
}

static int64_t offence_id(store *st, const char *external_id)
{
	sqlite3_stmt *s = NULL;
	int64_t id = 0;
	if (sqlite3_prepare_v2(store_db(st), "SELECT id FROM offences WHERE external_id = ?1", -1,
	                       &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, external_id, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	return id;
}

int api_offences_post(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = routes_store(app);
	json_error_t jerr;
	char field[96], msg[512];
	long counts[4] = {0};
	int64_t *updated = NULL;
	struct where where = {0};
	size_t n_updated = 0;
	int reply;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (!rq->body)
		return http_reply_error(rq, 400, "body",
		                        "a GeoJSON Feature or FeatureCollection is "
		                        "required");
	json_t *doc = json_loadb(rq->body, rq->body_len, 0, &jerr);
	if (!doc)
		return http_reply_error(rq, 400, "body",
		                        "invalid JSON at line %d, column %d (byte "
		                        "%d): %s",
		                        jerr.line, jerr.column, jerr.position, jerr.text);
	json_t *features = NULL;
	const char *type = json_string_value(json_object_get(doc, "type"));
	if (type && strcmp(type, "FeatureCollection") == 0)
		features = json_incref(json_object_get(doc, "features"));
	else if (type && strcmp(type, "Feature") == 0)
		features = json_pack("[O]", doc);
	if (!json_is_array(features)) {
		json_decref(features);
		json_decref(doc);
		return http_reply_error(rq, 400, "type",
		                        "expected a Feature or a FeatureCollection");
	}
	size_t n = json_array_size(features);
	if (n == 0 || n > MAX_FEATURES) {
		reply = http_reply_error(rq, 400, "features", "1 to %d features per request",
		                         MAX_FEATURES);
		goto out;
	}
	if (!(updated = malloc(n * sizeof *updated))) {
		reply = http_reply_error(rq, 503, NULL, "out of memory");
		goto out;
	}
	json_t *ids = json_array();
	if (store_begin(st) < 0) {
		json_decref(ids);
		reply = http_reply_error(rq, 503, NULL, "database busy: %s", err_msg());
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct store_offence o;
		struct store_put_info info;
		if (feature_offence(app, st, json_array_get(features, i), i, &o, field,
		                    sizeof field, msg, sizeof msg) < 0) {
			store_rollback(st);
			json_decref(ids);
			reply = http_reply_error(rq, 422, field, "%s: %s", field, msg);
			goto out;
		}
		if (store_put_offence(st, &o, &info) < 0) {
			snprintf(msg, sizeof msg, "%s", err_msg());
			store_rollback(st);
			json_decref(ids);
			reply = http_reply_error(rq, 422, "features", "feature %zu: %s", i, msg);
			goto out;
		}
		counts[info.change]++;
		if (info.change != STORE_UNCHANGED)
			where_add(&where, &o);
		if (info.change == STORE_UPDATED)
			updated[n_updated++] = offence_id(st, o.external_id);
		json_array_append_new(ids, json_string(o.external_id));
	}
	snprintf(msg, sizeof msg, "{\"inserted\":%ld,\"updated\":%ld,\"unchanged\":%ld}",
	         counts[STORE_INSERTED], counts[STORE_UPDATED], counts[STORE_UNCHANGED]);
	/* An unchanged re-post writes nothing, so it is not audited either. */
	int wrote = counts[STORE_INSERTED] || counts[STORE_UPDATED];
	if ((wrote && store_audit(st, rq->who, "ingest", "offences", NULL, msg) < 0) ||
	    store_commit(st) < 0) {
		snprintf(msg, sizeof msg, "%s", err_msg());
		store_rollback(st);
		json_decref(ids);
		reply = http_reply_error(rq, 503, NULL, "not stored: %s", msg);
		goto out;
	}
	atomic_fetch_add(&app->ingested,
	                 (unsigned long)(counts[STORE_INSERTED] + counts[STORE_UPDATED]));
	if (counts[STORE_INSERTED] || counts[STORE_UPDATED])
		announce(app, st, updated, n_updated, &where);
	reply =
	    reply_value(rq, 201,
	                json_pack("{s:i, s:i, s:i, s:o}", "inserted", (int)counts[STORE_INSERTED],
	                          "updated", (int)counts[STORE_UPDATED], "unchanged",
	                          (int)counts[STORE_UNCHANGED], "ids", ids));
out:
	free(updated);
	json_decref(features);
	json_decref(doc);
	return reply;
}

int api_offence_delete(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = routes_store(app);
	const char *ext = rq->path + strlen("/api/offences/");
	int64_t id;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (store_begin(st) < 0)
		return http_reply_error(rq, 503, NULL, "database busy: %s", err_msg());
	int rc = store_delete_offence(st, ext, &id);
	if (rc == 0)
		rc = store_audit(st, rq->who, "delete", "offence", ext, NULL);
	if (rc == 0)
		rc = store_commit(st);
	if (rc < 0) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", err_msg());
		store_rollback(st);
		return http_reply_error(rq, rc == ERR_NOTFOUND ? 404 : 503, "id", "%s", msg);
	}
	announce(app, st, &id, 1, NULL);
	return reply_value(rq, 200, json_pack("{s:s, s:b}", "id", ext, "deleted", 1));
}

/* PATCH: the stored record with the body's properties over it. */
int api_offence_patch(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = routes_store(app);
	const char *ext = rq->path + strlen("/api/offences/");
	json_error_t jerr;
	sqlite3_stmt *s = NULL;
	int reply;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	json_t *patch = rq->body ? json_loadb(rq->body, rq->body_len, 0, &jerr) : NULL;
	if (!json_is_object(patch)) {
		json_decref(patch);
		return http_reply_error(rq, 400, "body", "a JSON object of properties is required");
	}
	if (sqlite3_prepare_v2(store_db(st),
	                       "SELECT external_id, occurred_from, occurred_to, category, service, "
	                       "article, status, address, mahalla_code, ST_X(geom), ST_Y(geom) "
	                       "FROM offences WHERE external_id = ?1",
	                       -1, &s, NULL) != SQLITE_OK ||
	    (sqlite3_bind_text(s, 1, ext, -1, SQLITE_TRANSIENT), sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_finalize(s);
		json_decref(patch);
		return http_reply_error(rq, 404, "id", "no offence has the id '%s'", ext);
	}
	/* The stored record as a Feature, with the patch over its properties. */
	char from[32], to[32];
	iso_time(sqlite3_column_int64(s, 1), from, sizeof from);
	iso_time(sqlite3_column_int64(s, 2), to, sizeof to);
	json_t *props = json_pack("{s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	                          text_or_null(s, 0), "from", from, "to", to, "category",
	                          text_or_null(s, 3), "service", text_or_null(s, 4), "article",
	                          text_or_null(s, 5), "status", text_or_null(s, 6), "address",
	                          text_or_null(s, 7), "mahalla", text_or_null(s, 8));
	json_t *geom = sqlite3_column_type(s, 9) == SQLITE_NULL
	                   ? json_null()
	                   : json_pack("{s:s, s:[f,f]}", "type", "Point", "coordinates",
	                               sqlite3_column_double(s, 9), sqlite3_column_double(s, 10));
	sqlite3_finalize(s);
	json_t *g = json_object_get(patch, "geometry");
	if (g)
		json_decref(geom), geom = json_incref(g);
	json_t *p = json_object_get(patch, "properties");
	if (json_is_object(p)) {
		if (json_object_get(p, "time"))
			json_object_del(props, "from"), json_object_del(props, "to");
		json_object_update(props, p);
		json_object_set_new(props, "id", json_string(ext));
	}
	json_t *feature =
	    json_pack("{s:s, s:o, s:o}", "type", "Feature", "properties", props, "geometry", geom);
	struct store_offence o;
	struct store_put_info info;
	char field[96], msg[512];
	if (feature_offence(app, st, feature, 0, &o, field, sizeof field, msg, sizeof msg) < 0) {
		reply = http_reply_error(rq, 422, field + strlen("features[0]."), "%s", msg);
		goto out;
	}
	if (store_begin(st) < 0) {
		reply = http_reply_error(rq, 503, NULL, "database busy: %s", err_msg());
		goto out;
	}
	int rc = store_put_offence(st, &o, &info);
	if (rc == 0)
		rc = store_audit(st, rq->who, "update", "offence", ext, rq->body);
	if (rc == 0)
		rc = store_commit(st);
	if (rc < 0) {
		snprintf(msg, sizeof msg, "%s", err_msg());
		store_rollback(st);
		reply = http_reply_error(rq, 422, "properties", "%s", msg);
		goto out;
	}
	int64_t id = offence_id(st, ext);
	struct where where = {0};
	where_add(&where, &o);
	if (info.change == STORE_UPDATED)
		announce(app, st, &id, 1, &where);
	reply = reply_value(
	    rq, 200, json_pack("{s:s, s:b}", "id", ext, "changed", info.change == STORE_UPDATED));
out:
	json_decref(feature);
	json_decref(patch);
	return reply;
}

/* The hotspots that rq's query chooses (shift, weekdays, period, filters,
 * share, cell, bandwidth) on the district of sh, into *set (free with
 * hotspot_set_free()). Returns 0, or 1 after answering 400 naming the
 * field or 500 (*reply is the answer's result). */
static int query_hotspots(struct http_request *rq, const shapes *sh, struct hotspot_set *set,
                          int *reply)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	const struct style_heatmap *hm = style_heatmap(renderer_style(app->r));
	struct render_request q = {0};
	struct shift shift;
	if (routes_filter(rq, ds, &q, reply))
		return 1;
	const char *hours = http_arg(rq, "shift"), *days = http_arg(rq, "weekdays");
	if (shift_parse(hours, days, &shift) < 0) {
		const char *msg = err_msg();
		*reply = http_reply_error(rq, 400, strncmp(msg, "shift", 5) ? "weekdays" : "shift",
		                          "%s", msg);
		return 1;
	}
	/* The shift chooses the times: the weekdays are the days it starts on,
	 * not the offences' own days. */
	q.filter.hours = 0xFFFFFF;
	q.filter.weekdays = 0x7F;
	struct hotspot_params p = {.filter = q.filter,
	                           .shift = hours || days ? &shift : NULL,
	                           .kernel = hm ? hm->kernel : KDE_QUARTIC,
	                           .bandwidth = q.bandwidth ? q.bandwidth
	                                        : hm        ? hm->bandwidth
	                                                    : 0};
	if (routes_number_arg(rq, "share", 0.0001, 1, "a share of the district's area", &p.share,
	                      reply) ||
	    routes_number_arg(rq, "cell", 1, 1000, "a cell size in metres", &p.cell, reply))
		return 1;
	hotspot_default_period(ds, &p.filter);
	if (hotspot_find(ds, sh, &p, set) < 0) {
		*reply = routes_reply_error(rq);
		return 1;
	}
	return 0;
}

int api_hotspots(struct http_request *rq)
{
	struct app *app = rq->app;
	struct hotspot_set set;
	struct held_shapes *held;
	json_t *fc;
	int reply;
	int failed = query_hotspots(rq, renderer_shapes_acquire(app->r, &held), &set, &reply);
	renderer_shapes_release(app->r, held);
	if (failed)
		return reply;
	int rc = hotspot_geojson(&set, renderer_dataset(app->r), &fc);
	hotspot_set_free(&set);
	if (rc < 0)
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	return reply_value(rq, 200, fc);
}

int api_dosage(struct http_request *rq)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	const struct style_heatmap *hm = style_heatmap(renderer_style(app->r));
	store *st = routes_store(app);
	const char *hours = http_arg(rq, "shift"), *days = http_arg(rq, "weekdays");
	const char *date = http_arg(rq, "date"), *from = http_arg(rq, "from");
	const char *to = http_arg(rq, "to");
	struct hotspot_set set = {0};
	struct dosage_result res = {0};
	struct shift sh;
	double target = 0, interp = 0;
	long visits = 0;
	json_t *fc = NULL;
	int reply;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (shift_parse(hours, days, &sh) < 0 ||
	    (date && (from || to) &&
	     err_set(ERR_INVALID, "date: give either date or from and to") < 0))
		return routes_reply_error(rq);
	struct dosage_params dp = {.shift = hours || days ? &sh : NULL, .zone = dataset_zone(ds)};
	struct hotspot_params hp = {.shift = dp.shift,
	                            .kernel = hm ? hm->kernel : KDE_QUARTIC,
	                            .bandwidth = hm ? hm->bandwidth : 0};
	if (routes_number_arg(rq, "target", 0.1, 600, "minutes", &target, &reply) ||
	    routes_whole_arg(rq, "visits", 1, 100, "a number of visits", &visits, &reply) ||
	    routes_number_arg(rq, "interpolate", 1, 600, "seconds", &interp, &reply) ||
	    routes_number_arg(rq, "share", 0.0001, 1, "a share of the district's area", &hp.share,
	                      &reply) ||
	    routes_number_arg(rq, "cell", 1, 1000, "a cell size in metres", &hp.cell, &reply))
		return reply;
	dp.target_minutes = target;
	dp.target_visits = visits;
	dp.max_interp = (long)interp;
	if (dosage_day(dp.zone, date ? "date" : "to", date ? date : to, &dp.to_day) < 0)
		return routes_reply_error(rq);
	dp.from_day = dp.to_day - (date ? 0 : 6);
	if ((from && dosage_day(dp.zone, "from", from, &dp.from_day) < 0) ||
	    dataset_filter_parse(ds, &(struct dataset_filter_text){0}, &hp.filter) < 0)
		return routes_reply_error(rq);
	hotspot_default_period(ds, &hp.filter);
	struct held_shapes *held;
	int rc = hotspot_find(ds, renderer_shapes_acquire(app->r, &held), &hp, &set);
	renderer_shapes_release(app->r, held);
	if (rc == 0)
		rc = dosage_from_store(st, &set, &dp, &res);
	if (rc == 0)
		rc = dosage_geojson(&res, &set, ds, &fc);
	reply = rc == 0 ? reply_value(rq, 200, fc) : routes_reply_error(rq);
	dosage_result_free(&res);
	hotspot_set_free(&set);
	return reply;
}

#define MAX_FIXES 10000

/* Reads fix i of a live body into *out; 1 after answering 400 naming the
 * field ("fixes[3].time"). */
static int live_fix(struct http_request *rq, const json_t *v, size_t i, struct store_fix *out,
                    int *reply)
{
	struct app *app = rq->app;
	const json_t *lon = json_object_get(v, "lon"), *lat = json_object_get(v, "lat");
	const char *when = json_string_value(json_object_get(v, "time"));
	struct time_span span;
	char field[48];
	snprintf(field, sizeof field, "fixes[%zu]", i);
	if (!json_is_object(v)) {
		*reply = http_reply_error(rq, 400, field, "%s: a fix is {lon, lat, time}", field);
		return 1;
	}
	out->lon = json_number_value(lon);
	out->lat = json_number_value(lat);
	if (!json_is_number(lon) || !(out->lon >= -180 && out->lon <= 180)) {
		snprintf(field, sizeof field, "fixes[%zu].lon", i);
		*reply = http_reply_error(rq, 400, field,
		                          "%s: a longitude is a number from -180 "
		                          "to 180",
		                          field);
		return 1;
	}
	if (!json_is_number(lat) || !(out->lat >= -90 && out->lat <= 90)) {
		snprintf(field, sizeof field, "fixes[%zu].lat", i);
		*reply = http_reply_error(rq, 400, field,
		                          "%s: a latitude is a number from -90 to "
		                          "90",
		                          field);
		return 1;
	}
	if (!when || timeparse_parse(app->zone, when, NULL, DATE_ORDER_AUTO, &span) < 0 ||
	    span.precision > PREC_MINUTE) {
		snprintf(field, sizeof field, "fixes[%zu].time", i);
		*reply = http_reply_error(rq, 400, field,
		                          "%s: a time to the second or minute is required, e.g. "
		                          "2026-06-30T18:05:10+05:00",
		                          field);
		return 1;
	}
	out->t = span.from;
	return 0;
}

static int service_known(store *st, const char *code)
{
	sqlite3_stmt *s = NULL;
	int known = 0;
	if (sqlite3_prepare_v2(store_db(st), "SELECT 1 FROM services WHERE code = ?1", -1, &s,
	                       NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
		known = sqlite3_step(s) == SQLITE_ROW;
	}
	sqlite3_finalize(s);
	return known;
}

static int compare_fix_time(const void *a, const void *b)
{
	const struct store_fix *x = a, *y = b;
	return (x->t > y->t) - (x->t < y->t);
}

/* The local day of UTC time t in the district's zone. */
static long local_day(const tz *zone, int64_t t)
{
	int64_t local = t + tz_offset_at(zone, t);
	return (long)((local - (((local % 86400) + 86400) % 86400)) / 86400);
}

int api_tracks_post(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = routes_store(app);
	struct store_fix *fixes = NULL;
	json_error_t jerr;
	int reply, stored = 0;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (!rq->body)
		return http_reply_error(rq, 400, "body",
		                        "{unit, service, fixes: [{lon, lat, time}]} "
		                        "is required");
	json_t *doc = json_loadb(rq->body, rq->body_len, 0, &jerr);
	if (!doc)
		return http_reply_error(rq, 400, "body", "invalid JSON at line %d, column %d: %s",
		                        jerr.line, jerr.column, jerr.text);
	const char *unit = json_string_value(json_object_get(doc, "unit"));
	const json_t *service_v = json_object_get(doc, "service");
	const char *service = json_string_value(service_v);
	const json_t *list = json_object_get(doc, "fixes");
	size_t n = json_array_size(list);
	if (!unit || !*unit || strlen(unit) > 64) {
		reply = http_reply_error(rq, 400, "unit", "unit: a unit name of 1 to 64 bytes");
		goto out;
	}
	if ((service_v && !json_is_null(service_v) && !service) ||
	    (service && !service_known(st, service))) {
		reply = http_reply_error(rq, 400, "service", "service: '%s' is not a known service",
		                         service ? service : "(not a string)");
		goto out;
	}
	if (!json_is_array(list) || n == 0 || n > MAX_FIXES) {
		reply = http_reply_error(rq, 400, "fixes", "fixes: 1 to %d fixes {lon, lat, time}",
		                         MAX_FIXES);
		goto out;
	}
	if (!(fixes = malloc(n * sizeof *fixes))) {
		reply = http_reply_error(rq, 503, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (live_fix(rq, json_array_get(list, i), i, &fixes[i], &reply))
			goto out;
	qsort(fixes, n, sizeof *fixes, compare_fix_time);
	if (store_begin(st) < 0) {
		reply = http_reply_error(rq, 503, NULL, "database busy: %s", err_msg());
		goto out;
	}
	/* One track per unit and local day: the day's patrol, whatever the
	 * pauses, so that a live unit's fixes always find their track. */
	int rc = 0;
	for (size_t a = 0, b; a < n && rc == 0; a = b) {
		long day = local_day(app->zone, fixes[a].t);
		for (b = a + 1; b < n && local_day(app->zone, fixes[b].t) == day; b++)
			;
		char id[128], when[16];
		struct store_put_info info;
		dosage_day_text(day, when, sizeof when);
		snprintf(id, sizeof id, "live:%s:%s", unit, when);
		struct store_track t = {.external_id = id,
		                        .unit = unit,
		                        .service = service,
		                        .fixes = fixes + a,
		                        .n_fixes = b - a};
		rc = store_append_fixes(st, &t, &info);
		stored += info.change != STORE_UNCHANGED;
	}
	if (rc < 0 || store_commit(st) < 0) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", err_msg());
		store_rollback(st);
		reply = http_reply_error(rq, 503, NULL, "not stored: %s", msg);
		goto out;
	}
	renderer_tracks_changed(app->r);
	const struct store_fix *last = &fixes[n - 1];
	char when[32];
	iso_time(last->t, when, sizeof when);
	json_t *ev = json_pack("{s:s, s:s?, s:f, s:f, s:s}", "unit", unit, "service", service,
	                       "lon", last->lon, "lat", last->lat, "time", when);
	char *data = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	json_decref(ev);
	if (data)
		events_publish(app->events, "units", data);
	free(data);
	reply = reply_value(rq, 201,
	                    json_pack("{s:s, s:i, s:i, s:s}", "unit", unit, "fixes", (int)n,
	                              "tracks_changed", stored, "last", when));
out:
	free(fixes);
	json_decref(doc);
	return reply;
}

struct units_walk {
	json_t *features;
	int64_t now;
};

static int unit_feature(void *ctx, const struct store_unit *u)
{
	struct units_walk *w = ctx;
	char when[32];
	iso_time(u->last.t, when, sizeof when);
	json_t *f = json_pack("{s:s, s:{s:s, s:[f,f]}, s:{s:s, s:s?, s:s, s:I}}", "type", "Feature",
	                      "geometry", "type", "Point", "coordinates", u->last.lon, u->last.lat,
	                      "properties", "unit", u->unit, "service", u->service, "time", when,
	                      "age_s", (json_int_t)(w->now - u->last.t));
	return f && json_array_append_new(w->features, f) == 0
	           ? 0
	           : err_set(ERR_NOMEM, "units: out of memory");
}

int api_units(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = routes_store(app);
	double within = 0;
	int reply;
	char now_text[32];
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (routes_number_arg(rq, "within", 1, 1e9, "seconds", &within, &reply))
		return reply;
	struct units_walk w = {json_array(), (int64_t)time(NULL)};
	iso_time(w.now, now_text, sizeof now_text);
	if (!w.features || store_list_units(st, within ? w.now - (int64_t)within : STORE_NO_TIME,
	                                    unit_feature, &w) < 0) {
		json_decref(w.features);
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	}
	return reply_value(rq, 200,
	                   json_pack("{s:s, s:s, s:o}", "type", "FeatureCollection", "now",
	                             now_text, "features", w.features));
}

int api_coverage(struct http_request *rq)
{
	struct app *app = rq->app;
	struct hotspot_set set;
	struct coverage cov;
	struct held_shapes *held;
	const shapes *sh = renderer_shapes_acquire(app->r, &held);
	const char *accept = http_header(rq, "Accept");
	int reply;
	if (query_hotspots(rq, sh, &set, &reply)) {
		renderer_shapes_release(app->r, held);
		return reply;
	}
	struct coverage_params p = {.date = http_arg(rq, "date")};
	if (coverage_compute(renderer_dataset(app->r), sh, &set, &p, &cov) < 0) {
		reply = routes_reply_error(rq);
	} else if (accept && strstr(accept, "text/csv")) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		int rc =
		    f ? coverage_csv(&cov, f) : err_set(ERR_NOMEM, "out of memory for the CSV");
		if (f && fclose(f) != 0 && rc == 0)
			rc = err_set(ERR_NOMEM, "out of memory for the CSV");
		if (rc < 0) {
			free(text);
			reply = http_reply_error(rq, 500, NULL, "%s", err_msg());
		} else {
			reply =
			    http_reply(rq, 200, "text/csv; charset=utf-8", (unsigned char *)text,
			               len, "Cache-Control", "no-store", NULL);
		}
	} else {
		json_t *o;
		reply = coverage_json(&cov, &o) < 0
		            ? http_reply_error(rq, 500, NULL, "%s", err_msg())
		            : reply_value(rq, 200, o);
	}
	coverage_free(&cov);
	hotspot_set_free(&set);
	renderer_shapes_release(app->r, held);
	return reply;
}

/* The suggested plan of the request's shift into *fc (a new reference).
 * Returns 0, or 1 after answering 400 naming the parameter (or 500). */
static int plan_request(struct http_request *rq, struct suggest_params *sp, json_t **fc, int *reply)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	struct render_request q = {0};
	long shared = 1, candidates = SUGGEST_DEFAULT_CANDIDATES;
	suggest_defaults(sp);
	if (routes_filter(rq, ds, &q, reply))
		return 1;
	const char *hours = http_arg(rq, "shift"), *days = http_arg(rq, "weekdays");
	if (shift_parse(hours, days, &sp->shift) < 0) {
		const char *msg = err_msg();
		*reply = http_reply_error(rq, 400, strncmp(msg, "shift", 5) ? "weekdays" : "shift",
		                          "%s", msg);
		return 1;
	}
	/* The shift chooses the times, as for the hotspots. */
	sp->filter = q.filter;
	sp->filter.hours = 0xFFFFFF;
	sp->filter.weekdays = 0x7F;
	sp->units = http_arg(rq, "units");
	sp->relevance = http_arg(rq, "relevance");
	if (suggest_forecast_parse(http_arg(rq, "forecast"), &sp->forecast) < 0) {
		*reply = routes_reply_error(rq);
		return 1;
	}
	if (routes_number_arg(rq, "visit", -1e9, 1e9, "minutes", &sp->visit, reply) ||
	    routes_number_arg(rq, "every", -1e9, 1e9, "minutes", &sp->every, reply) ||
	    routes_number_arg(rq, "speed", -1e9, 1e9, "km/h", &sp->speed, reply) ||
	    routes_number_arg(rq, "cell", -1e9, 1e9, "metres", &sp->cell, reply) ||
	    routes_whole_arg(rq, "shared", 1, 10, "units per cell", &shared, reply) ||
	    routes_whole_arg(rq, "candidates", 1, PLAN_MAX_PLACES, "a number of cells", &candidates,
	                     reply))
		return 1;
	sp->shared = (int)shared;
	sp->candidates = (size_t)candidates;
	hotspot_default_period(ds, &sp->filter);
	struct held_shapes *held;
	int rc = suggest_plan(ds, renderer_shapes_acquire(app->r, &held), sp, fc);
	renderer_shapes_release(app->r, held);
	if (rc < 0) {
		*reply = routes_reply_error(rq);
		return 1;
	}
	return 0;
}

int api_plan(struct http_request *rq)
{
	struct suggest_params sp;
	json_t *fc;
	int reply;
	if (plan_request(rq, &sp, &fc, &reply))
		return reply;
	return reply_value(rq, 200, fc);
}

/* Stores the plan's zones (units with cells) in one transaction, each
 * checked as the zones API checks it. The ids go into ids. */
static int save_plan(struct http_request *rq, store *st, json_t *fc, const struct shift *sh,
                     const char *valid_from, json_t *ids, char *field, size_t nf)
{
	char shift[64];
	shift_format(sh, shift, sizeof shift);
	size_t i;
	json_t *f;
	int rc = store_begin(st);
	json_array_foreach(json_object_get(fc, "features"), i, f)
	{
		json_t *props = json_object_get(f, "properties");
		json_t *geom = json_object_get(f, "geometry");
		if (rc < 0 || json_is_null(geom))
			continue;
		char id[128], name[160], *text = json_dumps(geom, JSON_COMPACT);
		const char *unit = json_string_value(json_object_get(props, "unit"));
		snprintf(id, sizeof id, "plan-%s-%s", valid_from, unit);
		for (char *c = id; *c; c++)
			*c = *c == '/' ? '-' : *c;
		snprintf(name, sizeof name, "Plan %s %s", shift, unit);
		struct store_assignment a = {json_string_value(json_object_get(props, "service")),
		                             unit, sh->start, sh->end, sh->weekdays};
		struct store_zone z = {.external_id = id,
		                       .name = name,
		                       .valid_from = valid_from,
		                       .author = rq->who,
		                       .assignments = &a,
		                       .n_assignments = 1};
		struct zonecheck_report rep = {0};
		unsigned char *wkb = NULL;
		struct store_put_info info;
		rc = text ? zonecheck_geojson(text, &wkb, &z.wkb_len, &rep)
		          : err_set(ERR_NOMEM, "out of memory");
		z.wkb = wkb;
		if (rc == 0 && (rc = zonecheck_zone(st, &z, &rep)) < 0)
			snprintf(field, nf, "features[%zu].%s", i, rep.field);
		if (rc == 0)
			rc = store_put_zone(st, &z, rq->who, &info);
		if (rc == 0)
			json_array_append_new(ids, json_string(id));
		zonecheck_report_free(&rep);
		free(wkb);
		free(text);
	}
	if (rc == 0)
		rc = store_commit(st);
	else
		store_rollback(st);
	return rc;
}

int api_plan_save(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = routes_store(app);
	struct suggest_params sp;
	json_t *fc, *ids = json_array();
	char field[128] = "";
	int reply;
	if (!st) {
		json_decref(ids);
		return http_reply_error(rq, 503, NULL, "database unavailable");
	}
	const char *valid_from = http_arg(rq, "valid_from");
	if (!valid_from || zonecheck_date(valid_from) < 0) {
		json_decref(ids);
		return http_reply_error(rq, 400, "valid_from",
		                        "valid_from: a day \"YYYY-MM-DD\" from which the plan's "
		                        "zones are valid is required");
	}
	if (plan_request(rq, &sp, &fc, &reply)) {
		json_decref(ids);
		return reply;
	}
	if (save_plan(rq, st, fc, &sp.shift, valid_from, ids, field, sizeof field) < 0) {
		json_decref(fc);
		json_decref(ids);
		return http_reply_error(rq, 422, field[0] ? field : NULL, "%s", err_msg());
	}
	if (renderer_reload_shapes(app->r, st) < 0)
		log_msg(LOG_ERROR, 0, "reloading zones: %s", err_msg());
	events_publish(app->events, "zones", "{\"action\":\"plan\"}");
	json_t *o =
	    json_pack("{s:o, s:O, s:O}", "zones", ids, "share", json_object_get(fc, "share"),
	              "current", json_object_get(json_object_get(fc, "current"), "share"));
	json_decref(fc);
	return reply_value(rq, 201, o);
}

/* The API's grids are smaller than the command line's: every significant
 * cell goes out as a polygon. */
#define API_GISTAR_MAX_CELLS ((size_t)250000)

/* Query argument name as true or false into *out (left alone when
 * absent). Returns 0, or 1 after answering 400 naming it. */
static int bool_arg(struct http_request *rq, const char *name, int *out, int *reply)
{
	const char *text = http_arg(rq, name);
	if (!text)
		return 0;
	if (strcmp(text, "true") && strcmp(text, "false")) {
		*reply =
		    http_reply_error(rq, 400, name, "%s: '%s' is not true or false", name, text);
		return 1;
	}
	*out = !strcmp(text, "true");
	return 0;
}

int api_gistar(struct http_request *rq)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	struct render_request q = {0};
	struct gistar_result res;
	json_t *fc;
	int reply;
	if (routes_filter(rq, ds, &q, &reply))
		return reply;
	struct gistar_params p = {.filter = q.filter, .max_cells = API_GISTAR_MAX_CELLS};
	if (bool_arg(rq, "fdr", &p.fdr, &reply) ||
	    bool_arg(rq, "whole_grid", &p.whole_grid, &reply) ||
	    routes_number_arg(rq, "cell", 1, 100000, "a cell size in metres", &p.cell, &reply) ||
	    routes_number_arg(rq, "band", 1, 1e7, "a distance band in metres", &p.band, &reply))
		return reply;
	struct held_shapes *held;
	int rc = gistar_run(ds, renderer_shapes_acquire(app->r, &held), &p, &res);
	renderer_shapes_release(app->r, held);
	if (rc < 0)
		return routes_reply_error(rq);
	rc = gistar_geojson(&res, &fc);
	gistar_result_free(&res);
	if (rc < 0)
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	return reply_value(rq, 200, fc);
}

int api_backtest_query(struct http_request *rq, struct backtest *b, int *reply)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	const struct style_heatmap *hm = style_heatmap(renderer_style(app->r));
	struct backtest_text t = {http_arg(rq, "shift"), http_arg(rq, "weekdays"),
	                          http_arg(rq, "end"), http_arg(rq, "categories"),
	                          http_arg(rq, "services")};
	struct backtest_params p = {.kernel = hm ? hm->kernel : KDE_QUARTIC,
	                            .bandwidth = hm ? hm->bandwidth : 0,
	                            .date = http_arg(rq, "date")};
	long train = 8, test = 1, step = 1, folds = 44;
	struct shift shift;
	/* The core names the bounds; these only keep the numbers ints. */
	if (routes_whole_arg(rq, "train_weeks", -1000000, 1000000, "a number of weeks", &train,
	                     reply) ||
	    routes_whole_arg(rq, "test_weeks", -1000000, 1000000, "a number of weeks", &test,
	                     reply) ||
	    routes_whole_arg(rq, "step_weeks", -1000000, 1000000, "a number of weeks", &step,
	                     reply) ||
	    routes_whole_arg(rq, "folds", -1000000, 1000000, "a number of folds", &folds, reply) ||
	    routes_number_arg(rq, "cell", 1, 100000, "a cell size in metres", &p.cell, reply) ||
	    routes_number_arg(rq, "share", 0.0001, 1, "a share of the district's area", &p.share,
	                      reply))
		return 1;
	p.train_weeks = (int)train;
	p.test_weeks = (int)test;
	p.step_weeks = (int)step;
	p.folds = (int)folds;
	if (p.date && zonecheck_date(p.date) < 0) {
		*reply =
		    http_reply_error(rq, 400, "date", "date: '%s' is not a day YYYY-MM-DD", p.date);
		return 1;
	}
	int rc = backtest_params_text(ds, &t, &p, &shift);
	if (rc == 0) {
		struct held_shapes *held;
		rc = backtest_run(ds, renderer_shapes_acquire(app->r, &held), &p, b);
		renderer_shapes_release(app->r, held);
	}
	if (rc < 0) {
		*reply = routes_reply_error(rq);
		return 1;
	}
	return 0;
}

int api_backtest(struct http_request *rq)
{
	struct backtest b;
	json_t *o;
	int reply;
	/* The route also answers the paths below it: only the charts are. */
	if (strcmp(rq->path, "/api/backtest"))
		return http_reply_error(rq, 404, "path", "no such resource: %s", rq->path);
	if (api_backtest_query(rq, &b, &reply))
		return reply;
	int rc = backtest_json(&b, &o);
	backtest_free(&b);
	if (rc < 0)
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	return reply_value(rq, 200, o);
}

#define API_CHART_W 900
#define API_CHART_H 640

int api_backtest_chart(struct http_request *rq)
{
	const char *lang = http_arg(rq, "lang");
	int svg = strstr(rq->path, ".svg") != NULL, reply;
	struct backtest b;
	unsigned char *data;
	size_t len;
	if (lang && !chart_lang_known(lang))
		return http_reply_error(rq, 400, "lang", "lang: '%s' is not uz, ru or en", lang);
	if (api_backtest_query(rq, &b, &reply))
		return reply;
	int rc = chart_render(&b, lang, svg ? CHART_SVG : CHART_PNG, API_CHART_W, API_CHART_H,
	                      &data, &len);
	backtest_free(&b);
	if (rc < 0)
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	return http_reply(rq, 200, svg ? "image/svg+xml" : "image/png", data, len, NULL);
}

int api_trends(struct http_request *rq)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	struct render_request q = {0};
	struct trends_result res;
	json_t *fc;
	int reply;
	if (routes_filter(rq, ds, &q, &reply))
		return reply;
	struct trends_params p = {.max_cells = API_GISTAR_MAX_CELLS / TRENDS_WEEKS};
	if (routes_trends(rq, &q, &reply) ||
	    routes_number_arg(rq, "alpha", 1e-9, 0.5, "a significance level", &p.alpha, &reply))
		return reply;
	p.filter = q.filter;
	p.weeks = q.trends.weeks;
	p.cell = q.trends.cell;
	p.band = q.trends.band;
	struct held_shapes *held;
	int rc = trends_run(ds, renderer_shapes_acquire(app->r, &held), &p, &res);
	renderer_shapes_release(app->r, held);
	if (rc < 0)
		return routes_reply_error(rq);
	rc = trends_geojson(&res, &fc);
	trends_result_free(&res);
	if (rc < 0)
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	return reply_value(rq, 200, fc);
}
