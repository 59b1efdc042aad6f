/*
 * api_analysis: the analyses of docs/api.md as JSON and pictures: a
 * shift's hotspots, their dosage and coverage by patrols, a suggested
 * plan (and storing its zones), Gi* hot and cold spots, rolling backtests
 * of hotspot methods and their charts, emerging hot spot trends, and the
 * directorate's comparison table of districts or mahallas.
 *
 * Each reads its query, runs its analysis on the renderer's data and
 * shapes (held for the call) and answers; the analyses name the argument
 * they refuse (app.h's convention).
 */
#include "api_analysis.h"

#include "app.h"
#include "chart.h"
#include "compare.h"
#include "coverage.h"
#include "dosage.h"
#include "err.h"
#include "evaluate.h"
#include "geojson.h"
#include "gistar.h"
#include "hotspot.h"
#include "log.h"
#include "msg.h"
#include "plan.h"
#include "query.h"
#include "suggest.h"
#include "tilemath.h"
#include "trends.h"
#include "zonecheck.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The hotspot parameters that rq's query chooses (shift, weekdays, period,
 * filters, share, cell, bandwidth) into *p, which borrows *shift. */
static int query_hotspots(struct http_request *rq, struct shift *shift, struct hotspot_params *p)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	struct render_request q = {0};
	int rc;
	if ((rc = query_filter(rq, ds, &q)) < 0 || (rc = query_shift(rq, shift)) < 0)
		return rc;
	const char *hours = http_arg(rq, "shift"), *days = http_arg(rq, "weekdays");
	dataset_filter_any_time(&q.filter); /* the shift chooses the times */
	*p = (struct hotspot_params){.filter = q.filter, .shift = hours || days ? shift : NULL};
	renderer_kernel(app->r, &p->kernel, &p->bandwidth);
	if (q.bandwidth)
		p->bandwidth = q.bandwidth;
	if ((rc = query_param(rq, &param_hotspot_share, &p->share)) < 0 ||
	    (rc = query_param(rq, &param_hotspot_cell, &p->cell)) < 0)
		return rc;
	hotspot_default_period(ds, &p->filter);
	return 0;
}

int api_hotspots(struct http_request *rq)
{
	struct app *app = rq->app;
	struct hotspot_params p;
	struct shift shift;
	const struct hotspot_set *set;
	results_hold *hold = NULL;
	struct held_shapes *held;
	json_t *fc;
	int reply;
	renderer_shapes_acquire(app->r, &held);
	if (query_hotspots(rq, &shift, &p) < 0 ||
	    renderer_hotspots(app->r, held, &p, &set, &hold) < 0)
		reply = app_reply_error(rq);
	else if (hotspot_geojson(set, renderer_dataset(app->r), &fc) < 0)
		reply = http_reply_error(rq, 500, NULL, "%s", err_msg());
	else
		reply = http_reply_value(rq, 200, fc, NULL, NULL);
	results_release(hold);
	renderer_shapes_release(app->r, held);
	return reply;
}

int api_dosage(struct http_request *rq)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	store *st = app_store(app);
	const char *hours = http_arg(rq, "shift"), *days = http_arg(rq, "weekdays");
	const char *date = http_arg(rq, "date"), *from = http_arg(rq, "from");
	const char *to = http_arg(rq, "to");
	const struct hotspot_set *set;
	const struct dosage_result *res;
	results_hold *set_hold = NULL, *hold = NULL;
	struct held_shapes *held;
	struct shift sh;
	double target = 0, interp = 0;
	long visits = 0;
	json_t *fc = NULL;
	int reply;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (query_shift(rq, &sh) < 0 ||
	    (date && (from || to) &&
	     err_set_field(ERR_INVALID, "date", "date: give either date or from and to") < 0))
		return app_reply_error(rq);
	struct dosage_params dp = {.shift = hours || days ? &sh : NULL, .zone = dataset_zone(ds)};
	struct hotspot_params hp = {.shift = dp.shift};
	renderer_kernel(app->r, &hp.kernel, &hp.bandwidth);
	if (query_param(rq, &param_dosage_target, &target) < 0 ||
	    query_param(rq, &param_dosage_visits, &visits) < 0 ||
	    query_number(rq, "interpolate", 1, 600, "seconds", &interp) < 0 ||
	    query_param(rq, &param_hotspot_share, &hp.share) < 0 ||
	    query_param(rq, &param_hotspot_cell, &hp.cell) < 0)
		return app_reply_error(rq);
	dp.target_minutes = target;
	dp.target_visits = visits;
	dp.max_interp = (long)interp;
	if (dosage_day(dp.zone, date ? "date" : "to", date ? date : to, &dp.to_day) < 0)
		return app_reply_error(rq);
	dp.from_day = dp.to_day - (date ? 0 : 6);
	if ((from && dosage_day(dp.zone, "from", from, &dp.from_day) < 0) ||
	    dataset_filter_parse(ds, &(struct dataset_filter_text){0}, &hp.filter) < 0)
		return app_reply_error(rq);
	hotspot_default_period(ds, &hp.filter);
	renderer_shapes_acquire(app->r, &held);
	int rc = renderer_hotspots(app->r, held, &hp, &set, &set_hold);
	if (rc == 0)
		rc = renderer_dosage(app->r, held, &hp, &dp, st, &res, &hold);
	if (rc == 0)
		rc = dosage_geojson(res, set, ds, &fc);
	reply = rc == 0 ? http_reply_value(rq, 200, fc, NULL, NULL) : app_reply_error(rq);
	results_release(hold);
	results_release(set_hold);
	renderer_shapes_release(app->r, held);
	return reply;
}

/* What write puts into a stream, as the CSV answer. */
static int reply_csv(struct http_request *rq, int (*write)(const void *ctx, FILE *f),
                     const void *ctx)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc = f ? write(ctx, f) : err_set(ERR_NOMEM, "out of memory for the CSV");
	if (f && fclose(f) != 0 && rc == 0)
		rc = err_set(ERR_NOMEM, "out of memory for the CSV");
	if (rc < 0) {
		free(text);
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	}
	return http_reply(rq, 200, "text/csv; charset=utf-8", (unsigned char *)text, len,
	                  "Cache-Control", "no-store", NULL);
}

static int write_coverage(const void *ctx, FILE *f)
{
	return coverage_csv(ctx, f);
}

/* Whether rq asks for CSV: format=csv or Accept: text/csv. */
static int wants_csv(struct http_request *rq)
{
	const char *accept = http_header(rq, "Accept"), *format = http_arg(rq, "format");
	return format ? strcmp(format, "csv") == 0 : accept && strstr(accept, "text/csv");
}

int api_coverage(struct http_request *rq)
{
	struct app *app = rq->app;
	struct hotspot_params p;
	struct shift shift;
	const struct coverage *cov;
	results_hold *hold = NULL;
	struct held_shapes *held;
	json_t *o;
	int reply;
	renderer_shapes_acquire(app->r, &held);
	if (query_hotspots(rq, &shift, &p) < 0 ||
	    renderer_coverage(app->r, held, &p, http_arg(rq, "date"), &cov, &hold) < 0)
		reply = app_reply_error(rq);
	else if (wants_csv(rq))
		reply = reply_csv(rq, write_coverage, cov);
	else if (coverage_json(cov, &o) < 0)
		reply = http_reply_error(rq, 500, NULL, "%s", err_msg());
	else
		reply = http_reply_value(rq, 200, o, NULL, NULL);
	results_release(hold);
	renderer_shapes_release(app->r, held);
	return reply;
}

/* The suggested plan of the request's shift into *fc (a new reference). */
static int plan_request(struct http_request *rq, struct suggest_params *sp, json_t **fc)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	struct render_request q = {0};
	long shared = 1, candidates = SUGGEST_DEFAULT_CANDIDATES;
	int rc;
	suggest_defaults(sp);
	if ((rc = query_filter(rq, ds, &q)) < 0 || (rc = query_shift(rq, &sp->shift)) < 0)
		return rc;
	/* The shift chooses the times, as for the hotspots. */
	sp->filter = q.filter;
	dataset_filter_any_time(&sp->filter);
	sp->units = http_arg(rq, "units");
	sp->relevance = http_arg(rq, "relevance");
	if ((rc = suggest_forecast_parse(http_arg(rq, "forecast"), &sp->forecast)) < 0 ||
	    (rc = query_param(rq, &param_plan_visit, &sp->visit)) < 0 ||
	    (rc = query_param(rq, &param_plan_every, &sp->every)) < 0 ||
	    (rc = query_param(rq, &param_plan_speed, &sp->speed)) < 0 ||
	    (rc = query_param(rq, &param_plan_cell, &sp->cell)) < 0 ||
	    (rc = query_whole(rq, "shared", 1, 10, "units per cell", &shared)) < 0 ||
	    (rc = query_whole(rq, "candidates", 1, PLAN_MAX_PLACES, "a number of cells",
	                      &candidates)) < 0)
		return rc;
	sp->shared = (int)shared;
	sp->candidates = (size_t)candidates;
	hotspot_default_period(ds, &sp->filter);
	struct held_shapes *held;
	rc = suggest_plan(ds, renderer_shapes_acquire(app->r, &held), sp, fc);
	renderer_shapes_release(app->r, held);
	return rc;
}

int api_plan(struct http_request *rq)
{
	struct suggest_params sp;
	json_t *fc;
	if (plan_request(rq, &sp, &fc) < 0)
		return app_reply_error(rq);
	return http_reply_value(rq, 200, fc, NULL, NULL);
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
		                             unit, *sh};
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
		/* A planner of some districts neither replaces another's
		 * zone nor saves one beyond them. */
		char district[STORE_SCOPE_MAX];
		if (rc == 0 && (rc = app_zone_in_scope(rq, st, id, "id", district)) < 0)
			snprintf(field, nf, "features[%zu].properties.unit", i);
		if (rc == 0 && (rc = store_put_zone(st, &z, rq->who, &info)) == 0 &&
		    (rc = app_zone_in_scope(rq, st, id, "geometry", district)) < 0)
			snprintf(field, nf, "features[%zu].geometry", i);
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
	store *st = app_store(app);
	struct suggest_params sp;
	json_t *fc, *ids = json_array();
	char field[128] = "";
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
	if (plan_request(rq, &sp, &fc) < 0) {
		json_decref(ids);
		return app_reply_error(rq);
	}
	if (save_plan(rq, st, fc, &sp.shift, valid_from, ids, field, sizeof field) < 0) {
		json_decref(fc);
		json_decref(ids);
		return http_reply_error(rq, err_last() == ERR_FORBIDDEN ? 403 : 422,
		                        field[0] ? field : NULL, "%s", err_msg());
	}
	if (renderer_reload_shapes(app->r, st) < 0)
		log_msg(LOG_ERROR, 0, "reloading zones: %s", err_msg());
	events_publish(app->events, "zones", "{\"action\":\"plan\"}", NULL);
	json_t *o =
	    json_pack("{s:o, s:O, s:O}", "zones", ids, "share", json_object_get(fc, "share"),
	              "current", json_object_get(json_object_get(fc, "current"), "share"));
	json_decref(fc);
	return http_reply_value(rq, 201, o, NULL, NULL);
}

/* The API's grids are smaller than the command line's: every significant
 * cell goes out as a polygon. */
#define API_GISTAR_MAX_CELLS ((size_t)250000)

int api_gistar(struct http_request *rq)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	struct render_request q = {0};
	const struct gistar_result *res;
	results_hold *hold;
	json_t *fc;
	if (query_filter(rq, ds, &q) < 0)
		return app_reply_error(rq);
	struct gistar_params p = {.filter = q.filter, .max_cells = API_GISTAR_MAX_CELLS};
	if (query_bool(rq, "fdr", &p.fdr) < 0 || query_bool(rq, "whole_grid", &p.whole_grid) < 0 ||
	    query_param(rq, &param_grid_cell, &p.cell) < 0 ||
	    query_param(rq, &param_grid_band, &p.band) < 0)
		return app_reply_error(rq);
	/* Kept for the next request of the same grid: the viewer asks again
	 * as the user pans. */
	if (renderer_gistar(app->r, &p, &res, &hold) < 0)
		return app_reply_error(rq);
	int rc = gistar_geojson(res, &fc);
	results_release(hold);
	if (rc < 0)
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	return http_reply_value(rq, 200, fc, NULL, NULL);
}

int api_backtest(struct http_request *rq)
{
	struct backtest b;
	json_t *o;
	/* The route also answers the paths below it: only the charts are. */
	if (strcmp(rq->path, "/api/backtest"))
		return http_reply_error(rq, 404, "path", "no such resource: %s", rq->path);
	if (query_backtest(rq, &b) < 0)
		return app_reply_error(rq);
	int rc = backtest_json(&b, &o);
	backtest_free(&b);
	if (rc < 0)
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	return http_reply_value(rq, 200, o, NULL, NULL);
}

#define API_CHART_W 900
#define API_CHART_H 640

int api_backtest_chart(struct http_request *rq)
{
	const char *lang = http_arg(rq, "lang");
	int svg = strstr(rq->path, ".svg") != NULL;
	struct backtest b;
	unsigned char *data;
	size_t len;
	if (lang && !chart_lang_known(lang))
		return http_reply_error(rq, 400, "lang", "lang: '%s' is not uz, ru or en", lang);
	if (query_backtest(rq, &b) < 0)
		return app_reply_error(rq);
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
	const struct trends_result *res;
	results_hold *hold;
	json_t *fc;
	struct trends_params p = {.max_cells = API_GISTAR_MAX_CELLS / TRENDS_WEEKS};
	if (query_filter(rq, ds, &q) < 0 || query_trends(rq, &q) < 0 ||
	    query_param(rq, &param_trends_alpha, &p.alpha) < 0)
		return app_reply_error(rq);
	p.filter = q.filter;
	p.weeks = q.trends.weeks;
	p.cell = q.trends.cell;
	p.band = q.trends.band;
	if (renderer_trends(app->r, &p, &res, &hold) < 0)
		return app_reply_error(rq);
	int rc = trends_geojson(res, &fc);
	results_release(hold);
	if (rc < 0)
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	return http_reply_value(rq, 200, fc, NULL, NULL);
}

struct compare_csv_ctx {
	const struct compare *c;
	const dataset *ds;
};

static int write_compare(const void *ctx, FILE *f)
{
	const struct compare_csv_ctx *x = ctx;
	return compare_csv(x->c, x->ds, f);
}

/* The comparison table's parameters of rq into *p: the filter (scoped),
 * the period, the district whose mahallas are the rows, the hotspots'. */
static int query_compare(struct http_request *rq, struct compare_params *p)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	struct render_request q = {0};
	const char *district = http_arg(rq, "district"), *lang = http_arg(rq, "lang");
	const char *format = http_arg(rq, "format");
	int rc;
	if ((rc = query_whole_days(rq)) < 0)
		return rc;
	if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return err_set_field(ERR_INVALID, "format", "format: '%s' is not json or csv",
		                     format);
	if (lang && !msg_lang_known(lang))
		return err_set_field(ERR_INVALID, "lang", "lang: '%s' is not uz, ru or en", lang);
	*p = (struct compare_params){.district = -1};
	if ((rc = query_filter(rq, ds, &q)) < 0 ||
	    (rc = compare_period(ds, &q.filter, &p->from_day, &p->to_day)) < 0 ||
	    (rc = query_param(rq, &param_hotspot_share, &p->share)) < 0 ||
	    (rc = query_param(rq, &param_hotspot_cell, &p->cell)) < 0)
		return rc;
	p->filter = q.filter;
	/* One district: its mahallas are the rows. */
	if (district && !strchr(district, ','))
		p->district = dataset_district_index(ds, district);
	renderer_kernel(app->r, &p->kernel, &p->bandwidth);
	if (q.bandwidth)
		p->bandwidth = q.bandwidth;
	return 0;
}

int api_compare(struct http_request *rq)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	struct compare_params p;
	struct compare c = {0};
	struct held_shapes *held;
	json_t *o;
	int reply;
	if (query_compare(rq, &p) < 0)
		return app_reply_error(rq);
	const shapes *sh = renderer_shapes_acquire(app->r, &held);
	if (compare_compute(ds, sh, &p, &c) < 0 ||
	    compare_sort(&c, ds, http_arg(rq, "sort"), http_arg(rq, "lang")) < 0)
		reply = app_reply_error(rq);
	else if (wants_csv(rq))
		reply = reply_csv(rq, write_compare, &(struct compare_csv_ctx){&c, ds});
	else if (compare_json(&c, ds, &o) < 0)
		reply = http_reply_error(rq, 500, NULL, "%s", err_msg());
	else
		reply = http_reply_value(rq, 200, o, NULL, NULL);
	compare_free(&c);
	renderer_shapes_release(app->r, held);
	return reply;
}

/* An activity in a list of the evaluated window and area (a
 * store_list_activities() callback). */
struct window_activities {
	json_t *list;
	const struct evaluate_area *area;
	const dataset *ds;
};

static int window_activity(void *ctx, const struct store_activity *a)
{
	struct window_activities *w = ctx;
	double x, y;
	if (w->area->mahalla < 0) {
		if (tile_lonlat_to_merc(a->lon, a->lat, &x, &y) < 0 ||
		    hypot(x - w->area->x, y - w->area->y) > w->area->radius)
			return 0;
	} else if (!a->mahalla_code ||
	           strcmp(a->mahalla_code, dataset_mahalla(w->ds, (size_t)w->area->mahalla)) != 0) {
		return 0;
	}
	json_array_append_new(w->list, json_pack("{s:s, s:s, s:o, s:s}", "id", a->external_id,
	                                         "kind", a->kind, "start", geojson_time(a->started),
	                                         "service", a->service));
	return 0;
}

int api_evaluate(struct http_request *rq)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	store *st = app_store(app);
	struct render_request q = {0};
	struct evaluate_ask ask = {.activity = http_arg(rq, "activity"),
	                           .mahalla = http_arg(rq, "mahalla"),
	                           .lon = http_arg(rq, "lon"),
	                           .lat = http_arg(rq, "lat"),
	                           .at = http_arg(rq, "at"),
	                           .radius = param_evaluate_radius.def};
	struct evaluate_area area;
	struct evaluate_params p = {0};
	struct evaluate_result r;
	char district[128];
	long weeks = (long)param_evaluate_weeks.def;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (http_arg(rq, "from") || http_arg(rq, "to"))
		return http_reply_error(rq, 400, http_arg(rq, "from") ? "from" : "to",
		                        "the window is the weeks before and from at; give at and "
		                        "weeks, not from or to");
	if (query_filter(rq, ds, &q) < 0 || query_param(rq, &param_evaluate_weeks, &weeks) < 0 ||
	    query_param(rq, &param_evaluate_radius, &ask.radius) < 0)
		return app_reply_error(rq);
	p.filter = q.filter;
	p.weeks = (int)weeks;
	if (evaluate_resolve(st, ds, &ask, &area, &p, district, sizeof district) < 0)
		return app_reply_error(rq);
	if (district[0] && !auth_scope_has(rq->scope, district))
		return http_reply_error(rq, 403, ask.activity ? "activity" : "mahalla",
		                        "%s is in %s, outside the districts of %s",
		                        ask.activity ? ask.activity : ask.mahalla, district,
		                        rq->who);
	if (evaluate_run(ds, &area, &p, &r) < 0)
		return app_reply_error(rq);
	json_t *o = evaluate_json(ds, &r);
	json_t *where = area.mahalla >= 0 ? json_pack("{s:s}", "mahalla",
	                                              dataset_mahalla(ds, (size_t)area.mahalla))
	                                  : json_pack("{s:f}", "radius", area.radius);
	json_object_set_new(o, "place", where);
	json_object_set_new(o, "at", geojson_time(r.at));
	/* What was done there in the window, for the chart */
	struct window_activities w = {json_array(), &area, ds};
	struct store_activity_query aq = {
	    .district = r.district >= 0 ? dataset_district(ds, (size_t)r.district) : NULL,
	    .from = r.at - (int64_t)r.weeks * 7 * 86400,
	    .to = r.at + (int64_t)r.weeks * 7 * 86400 - 1};
	if (r.district >= 0 && store_list_activities(st, &aq, window_activity, &w) < 0) {
		json_decref(w.list);
		json_decref(o);
		return app_reply_error(rq);
	}
	json_object_set_new(o, "activities", w.list);
	return http_reply_value(rq, 200, o, "Cache-Control", "no-store");
}
