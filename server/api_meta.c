/*
 * api_meta: what a viewer reads first and beside the map: the district,
 * codes and layers (meta), a layer's legend, the districts and mahallas
 * of the scope, the mahallas' figures, and a summary of the offences under
 * a filter.
 */
#include "api_meta.h"

#include "app.h"
#include "err.h"
#include "geojson.h"
#include "legendjson.h"
#include "query.h"
#include "tilemath.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Codes with names in three languages and the style's colour. */
struct code_list {
	const style *sty;
	int services;
	json_t *a;
};

static int code_item(void *ctx, const struct store_code *c)
{
	struct code_list *l = ctx;
	struct style_colour colour;
	char hex[10];
	if (l->services)
		style_service_colour(l->sty, c->code, &colour);
	else
		style_category_colour(l->sty, c->code, &colour);
	legendjson_colour(&colour, hex);
	json_array_append_new(l->a, json_pack("{s:s, s:o, s:o, s:o, s:s}", "code", c->code,
	                                      "name_uz", geojson_text(c->name_uz), "name_ru",
	                                      geojson_text(c->name_ru), "name_en",
	                                      geojson_text(c->name_en), "colour", hex));
	return 0;
}

static json_t *code_list(store *st, const style *sty, int services)
{
	struct code_list l = {sty, services, json_array()};
	store_list_codes(st, services ? STORE_SERVICES : STORE_CATEGORIES, code_item, &l);
	return l.a;
}

/* The districts a request may see, and the one it looks at. */
struct district_list {
	struct http_request *rq;
	const char *chosen; /* district=, NULL: the first the request may see */
	json_t *all;        /* every district in scope: code, names, bounds */
	json_t *district;   /* the chosen one, borrowed from all; NULL: none yet */
};

/* A district's code, names and bounds into the list when in scope (a
 * store_list_areas() callback). */
static int district_item(void *ctx, const struct store_area_record *r)
{
	struct district_list *l = ctx;
	if (!auth_scope_has(l->rq->scope, r->area.code))
		return 0;
	json_t *d = json_pack("{s:o, s:o, s:o, s:o, s:[f,f,f,f], s:o}", "code",
	                      geojson_text(r->area.code), "name_uz", geojson_text(r->area.name_uz),
	                      "name_ru", geojson_text(r->area.name_ru), "name_en",
	                      geojson_text(r->area.name_en), "bounds", r->box[0], r->box[1],
	                      r->box[2], r->box[3], "region", geojson_text(r->area.region_code));
	if (!l->district && (!l->chosen || strcmp(l->chosen, r->area.code) == 0))
		l->district = d;
	json_array_append_new(l->all, d);
	return 0;
}

/* A region into the list when it holds a district of districts (a
 * store_list_areas() callback). */
struct region_list {
	json_t *districts, *all;
};

static int region_item(void *ctx, const struct store_area_record *r)
{
	struct region_list *l = ctx;
	for (size_t i = 0; i < json_array_size(l->districts); i++) {
		const char *region =
		    json_string_value(json_object_get(json_array_get(l->districts, i), "region"));
		if (region && strcmp(region, r->area.code) == 0) {
			json_array_append_new(
			    l->all, json_pack("{s:o, s:o, s:o, s:o, s:[f,f,f,f]}", "code",
			                      geojson_text(r->area.code), "name_uz",
			                      geojson_text(r->area.name_uz), "name_ru",
			                      geojson_text(r->area.name_ru), "name_en",
			                      geojson_text(r->area.name_en), "bounds", r->box[0],
			                      r->box[1], r->box[2], r->box[3]));
			break;
		}
	}
	return 0;
}

int api_meta(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = app_store(app);
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	const dataset *ds = renderer_dataset(app->r);
	double e[4], w, s, ea, n;
	struct district_list l = {rq, http_arg(rq, "district"), json_array(), NULL};
	if (store_list_areas(st, STORE_DISTRICTS, NULL, 0, district_item, &l) < 0) {
		json_decref(l.all);
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	}
	struct region_list regions = {l.all, json_array()};
	if (store_list_areas(st, STORE_REGIONS, NULL, 0, region_item, &regions) < 0) {
		json_decref(l.all);
		json_decref(regions.all);
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	}
	if (l.chosen && !l.district) {
		json_decref(l.all);
		json_decref(regions.all);
		return http_reply_error(rq, rq->scope[0] ? 403 : 400, "district",
		                        "district: '%.60s' is not a district %s", l.chosen,
		                        rq->scope[0] ? "these credentials reach" : "of the store");
	}
	/* What the view looks at: the district chosen, or a scope's only one,
	 * by its own box; a store of one district (or of none) by the extent of
	 * its data; several districts as a whole (no code, no names), by the
	 * box of them all. */
	size_t reach = json_array_size(l.all);
	json_t *district = NULL;
	if (l.district && (l.chosen || (rq->scope[0] && reach == 1))) {
		district = json_deep_copy(l.district);
	} else if (reach > 1) {
		double b[4] = {0};
		for (size_t i = 0; i < reach; i++)
			for (int k = 0; k < 4; k++) {
				double v = json_real_value(json_array_get(
				    json_object_get(json_array_get(l.all, i), "bounds"),
				    (size_t)k));
				b[k] = i == 0 ? v : k < 2 ? fmin(b[k], v) : fmax(b[k], v);
			}
		district =
		    json_pack("{s:n, s:[f,f,f,f]}", "code", "bounds", b[0], b[1], b[2], b[3]);
	} else {
		dataset_extent(ds, e);
		tile_merc_to_lonlat(e[0], e[1], &w, &s);
		tile_merc_to_lonlat(e[2], e[3], &ea, &n);
		district = l.district ? json_deep_copy(l.district) : json_object();
		json_object_set_new(district, "bounds", json_pack("[f,f,f,f]", w, s, ea, n));
	}
	int64_t first, last;
	dataset_time_range(ds, &first, &last);
	struct held_style *held;
	const style *sty = renderer_style_acquire(app->r, &held);
	json_t *o = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o}, s:[s,s,s,s,s,s,s,s,s], s:o, s:I, s:I, s:s, "
	    "s:s, s:o, s:s}",
	    "district", district, "districts", l.all, "regions", regions.all, "categories",
	    code_list(st, sty, 0), "services", code_list(st, sty, 1), "time_range", "first",
	    geojson_time(first), "last", geojson_time(last), "layers", "districts", "mahallas",
	    "choropleth", "heatmap", "change", "trends", "offences", "zones", "tracks", "basemap",
	    app->basemap ? json_string(app->basemap) : json_null(), "ground",
	    (json_int_t)renderer_ground_count(app->r), "data_version",
	    (json_int_t)renderer_version(app->r), "user", rq->who, "role",
	    auth_role_name((enum auth_role)rq->role), "scope",
	    rq->scope[0] ? json_string(rq->scope) : json_null(), "timezone", tz_name(app->zone));
	renderer_style_release(app->r, held);
	return http_reply_value(rq, 200, o, NULL, NULL);
}

/* The districts or mahallas a request may see, as Features. */
struct area_list {
	struct http_request *rq;
	enum store_area_kind kind;
	json_t *features;
};

/* An area as a Feature into the list when it is (a district) or lies in
 * (a mahalla) a district of the request's scope (a store_list_areas()
 * callback). */
static int area_feature(void *ctx, const struct store_area_record *r)
{
	struct area_list *l = ctx;
	const struct store_area *a = &r->area;
	int district = l->kind == STORE_DISTRICTS;
	if (!auth_scope_has(l->rq->scope, district ? a->code : a->district_code))
		return 0;
	json_t *geom = r->geojson ? json_loads(r->geojson, 0, NULL) : NULL;
	json_t *props = json_pack("{s:o, s:o, s:o, s:o}", "code", geojson_text(a->code), "name_uz",
	                          geojson_text(a->name_uz), "name_ru", geojson_text(a->name_ru),
	                          "name_en", geojson_text(a->name_en));
	if (district)
		json_object_set_new(props, "area_km2", json_real(r->area_m2 / 1e6));
	else
		json_object_update_new(
		    props, json_pack("{s:o, s:o, s:o}", "district", geojson_text(a->district_code),
		                     "population",
		                     a->population >= 0 ? json_integer(a->population) : json_null(),
		                     "inspector", geojson_text(a->inspector)));
	json_array_append_new(l->features,
	                      json_pack("{s:s, s:o, s:o}", "type", "Feature", "properties", props,
	                                "geometry", geom ? geom : json_null()));
	return 0;
}

static int area_list(struct http_request *rq, enum store_area_kind kind)
{
	struct app *app = rq->app;
	store *st = app_store(app);
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	struct area_list l = {rq, kind, json_array()};
	if (store_list_areas(st, kind, NULL, 1, area_feature, &l) < 0) {
		json_decref(l.features);
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	}
	return http_reply_value(
	    rq, 200, json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", l.features),
	    NULL, NULL);
}

static int mahalla_figures(struct http_request *rq)
{
	struct app *app = rq->app;
	const char *code = rq->path + strlen("/api/mahallas/");
	const dataset *ds = renderer_dataset(app->r);
	store *st = app_store(app);
	struct render_request q = {0};
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (query_filter(rq, ds, &q) < 0)
		return app_reply_error(rq);
	struct store_area_found m;
	if (rq->scope[0] && store_find_area(st, STORE_MAHALLAS, code, &m) == 0 && m.found &&
	    !auth_scope_has(rq->scope, m.district_code))
		return http_reply_error(rq, 403, "code",
		                        "code: mahalla %s is outside the districts of %s", code,
		                        rq->who);
	json_t *o = geojson_mahalla_figures(st, ds, code, &q.filter);
	if (!o)
		return http_reply_error(rq, err_last() == ERR_NOTFOUND ? 404 : 500, "code", "%s",
		                        err_msg());
	return http_reply_value(rq, 200, o, NULL, NULL);
}

int api_summary(struct http_request *rq)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	struct render_request q = {0};
	if (query_filter(rq, ds, &q) < 0)
		return app_reply_error(rq);
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
	                      geojson_counts(ds, by_cat, nc, 0), "by_service",
	                      geojson_counts(ds, by_svc, ns, 1), "by_mahalla", mahallas);
	free(by_cat);
	free(by_svc);
	free(by_m);
	return http_reply_value(rq, 200, o, NULL, NULL);
}

int api_mahallas(struct http_request *rq)
{
	return strlen(rq->path) > strlen("/api/mahallas/") ? mahalla_figures(rq)
	                                                   : area_list(rq, STORE_MAHALLAS);
}

int api_districts(struct http_request *rq)
{
	return area_list(rq, STORE_DISTRICTS);
}

int api_legend(struct http_request *rq)
{
	struct app *app = rq->app;
	const char *layer = http_arg(rq, "layer");
	struct render_request q = {0};
	if (!layer)
		return http_reply_error(rq, 400, "layer", "layer: which layer's legend?");
	if (query_filter(rq, renderer_dataset(app->r), &q) < 0)
		return app_reply_error(rq);
	json_t *o = legendjson_build(app->r, layer, &q.filter, q.metric, q.fit);
	return o ? http_reply_value(rq, 200, o, NULL, NULL) : app_refuse(rq, 404);
}
