/*
 * api_tracks: patrol units' live positions (docs/api.md, "Live tracks"):
 * POST /api/tracks stores a unit's fixes in its track of the local day,
 * GET /api/units lists each unit's last position. A stored fix reaches
 * open viewers as a "units" event.
 */
#include "api_tracks.h"

#include "app.h"
#include "dosage.h"
#include "err.h"
#include "geojson.h"
#include "query.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FIXES 10000

/* Reads fix i of a live body into *out: 0, or ERR_INVALID naming the
 * field ("fixes[3].time"). */
static int live_fix(struct http_request *rq, const json_t *v, size_t i, struct store_fix *out)
{
	struct app *app = rq->app;
	const json_t *lon = json_object_get(v, "lon"), *lat = json_object_get(v, "lat");
	const char *when = json_string_value(json_object_get(v, "time"));
	struct time_span span;
	char field[48];
	snprintf(field, sizeof field, "fixes[%zu]", i);
	if (!json_is_object(v))
		return err_set_field(ERR_INVALID, field, "%s: a fix is {lon, lat, time}", field);
	char lon_field[48], lat_field[48];
	snprintf(lon_field, sizeof lon_field, "fixes[%zu].lon", i);
	snprintf(lat_field, sizeof lat_field, "fixes[%zu].lat", i);
	/* Not a number reads as NaN, which the check refuses like any value out of range. */
	out->lon = json_is_number(lon) ? json_number_value(lon) : NAN;
	out->lat = json_is_number(lat) ? json_number_value(lat) : NAN;
	int rc = store_check_lonlat(out->lon, out->lat, lon_field, lat_field);
	if (rc < 0)
		return rc;
	if (!when || timeparse_parse(app->zone, when, NULL, DATE_ORDER_AUTO, &span) < 0 ||
	    span.precision > PREC_MINUTE) {
		snprintf(field, sizeof field, "fixes[%zu].time", i);
		return err_set_field(ERR_INVALID, field,
		                     "%s: a time to the second or minute is required, e.g. "
		                     "2026-06-30T18:05:10+05:00",
		                     field);
	}
	out->t = span.from;
	return 0;
}

static int compare_fix_time(const void *a, const void *b)
{
	const struct store_fix *x = a, *y = b;
	return (x->t > y->t) - (x->t < y->t);
}

int api_tracks_post(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = app_store(app);
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
	    (service && store_code_exists(st, STORE_SERVICES, service) != 1)) {
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
		if (live_fix(rq, json_array_get(list, i), i, &fixes[i]) < 0) {
			reply = app_reply_error(rq);
			goto out;
		}
	qsort(fixes, n, sizeof *fixes, compare_fix_time);
	if (store_begin(st) < 0) {
		reply = http_reply_error(rq, 503, NULL, "database busy: %s", err_msg());
		goto out;
	}
	/* One track per unit and local day: the day's patrol, whatever the
	 * pauses, so that a live unit's fixes always find their track. */
	int rc = 0;
	char where[STORE_SCOPE_MAX] = "";
	int everywhere = 0;
	for (size_t a = 0, b; a < n && rc == 0; a = b) {
		int64_t day = tz_local_day(app->zone, fixes[a].t);
		for (b = a + 1; b < n && tz_local_day(app->zone, fixes[b].t) == day; b++)
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
		/* Where the day's track lies: the district of its first fix. */
		if (rc == 0 && !auth_scope_has(rq->scope, info.district))
			rc = err_set_field(
			    ERR_FORBIDDEN, "fixes",
			    "fixes: unit %s's track of %s lies in %s, outside the "
			    "districts of %s",
			    unit, when, info.district[0] ? info.district : "no district", rq->who);
		everywhere |= app_where_add(where, info.district) < 0;
	}
	if (rc == ERR_FORBIDDEN) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", err_msg());
		store_rollback(st);
		reply = http_reply_error(rq, 403, "fixes", "%s", msg);
		goto out;
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
	geojson_iso_time(last->t, when, sizeof when);
	json_t *ev = json_pack("{s:s, s:s?, s:f, s:f, s:s}", "unit", unit, "service", service,
	                       "lon", last->lon, "lat", last->lat, "time", when);
	char *data = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	json_decref(ev);
	if (data)
		events_publish(app->events, "units", data, everywhere ? NULL : where);
	free(data);
	reply = http_reply_value(rq, 201,
	                         json_pack("{s:s, s:i, s:i, s:s}", "unit", unit, "fixes", (int)n,
	                                   "tracks_changed", stored, "last", when),
	                         NULL, NULL);
out:
	free(fixes);
	json_decref(doc);
	return reply;
}

struct units_walk {
	json_t *features;
	int64_t now;
	const char *scope; /* the credentials' districts; "": all */
};

static int unit_feature(void *ctx, const struct store_unit *u)
{
	struct units_walk *w = ctx;
	if (!auth_scope_has(w->scope, u->district_code))
		return 0;
	char when[32];
	geojson_iso_time(u->last.t, when, sizeof when);
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
	store *st = app_store(app);
	double within = 0;
	char now_text[32];
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (query_number(rq, "within", 1, 1e9, "seconds", &within) < 0)
		return app_reply_error(rq);
	struct units_walk w = {json_array(), (int64_t)time(NULL), rq->scope};
	geojson_iso_time(w.now, now_text, sizeof now_text);
	if (!w.features || store_list_units(st, within ? w.now - (int64_t)within : STORE_NO_TIME,
	                                    unit_feature, &w) < 0) {
		json_decref(w.features);
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	}
	return http_reply_value(rq, 200,
	                        json_pack("{s:s, s:s, s:o}", "type", "FeatureCollection", "now",
	                                  now_text, "features", w.features),
	                        NULL, NULL);
}
