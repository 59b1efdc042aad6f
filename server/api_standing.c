/*
 * api_standing: the standing's endpoints (see api_standing.h). The
 * categories are computed at each request from the offences, the tasks
 * and the rules; POST records them, so that each category's period and
 * the history are the store's.
 */
#include "api_standing.h"

#include "app.h"
#include "err.h"
#include "geojson.h"
#include "query.h"
#include "standing.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

#define STANDING_PATH "/api/standing"

/* The standing of the mahallas in rq's scope (and district=). */
static int compute(struct http_request *rq, store *st, struct standing_table *t)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	struct render_request q = {0};
	struct held_shapes *held;
	int rc;
	if ((rc = query_filter(rq, ds, &q)) < 0)
		return rc;
	const shapes *sh = renderer_shapes_acquire(app->r, &held);
	rc = standing_compute(ds, sh, st, &app->standing, &q.filter, (int64_t)time(NULL), t);
	renderer_shapes_release(app->r, held);
	return rc;
}

/* What the history and the current recorded rows give a listing. */
struct recorded {
	json_t *current; /* code -> {category, since} */
	json_t *history; /* one mahalla's */
};

static int add_recorded(void *ctx, const struct store_standing *s)
{
	struct recorded *r = ctx;
	json_t *measures = s->measures ? json_loads(s->measures, 0, NULL) : NULL;
	json_t *o =
	    json_pack("{s:s, s:o, s:o, s:o, s:o}", "category", s->category, "since",
	              geojson_time(s->since), "until", geojson_time(s->until), "measures",
	              measures ? measures : json_null(), "reasons", geojson_text(s->reasons));
	if (r->history)
		json_array_append(r->history, o);
	if (s->until == STORE_NO_TIME && !json_object_get(r->current, s->mahalla))
		json_object_set(r->current, s->mahalla, o);
	json_decref(o);
	return 0;
}

static int add_official(void *ctx, const char *mahalla, const struct store_official *o)
{
	(void)mahalla;
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:o}", "role", o->role, "name", o->name,
	                                     "phone", geojson_text(o->phone)));
	return 0;
}

struct risks {
	json_t *list;
	const struct standing_rules *rules; /* small counts withheld by it; NULL: none */
};

static int add_risk(void *ctx, const struct store_risk_count *r)
{
	struct risks *k = ctx;
	int hidden = k->rules && standing_suppressed(k->rules, r->count);
	json_array_append_new(k->list,
	                      json_pack("{s:s, s:o, s:b, s:o, s:o}", "group", r->group, "count",
	                                hidden ? json_null() : json_integer(r->count), "suppressed",
	                                hidden, "service", geojson_text(r->service), "updated",
	                                geojson_time(r->updated)));
	return 0;
}

int api_standing_get(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = app_store(app);
	const char *mahalla = http_arg(rq, "mahalla");
	struct standing_table t;
	struct recorded rec = {json_object(), mahalla ? json_array() : NULL};
	json_t *rows = json_array();
	int reply;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (compute(rq, st, &t) < 0) {
		reply = app_reply_error(rq);
		goto out;
	}
	struct recorded now = {rec.current, NULL};
	if ((mahalla && store_list_standing(st, mahalla, add_recorded, &rec) < 0) ||
	    store_list_standing(st, NULL, add_recorded, &now) < 0) {
		standing_free(&t);
		reply = app_reply_error(rq);
		goto out;
	}
	json_t *one = NULL;
	for (size_t i = 0; i < t.n; i++) {
		const struct standing_row *r = &t.rows[i];
		if (mahalla && strcmp(r->code, mahalla) != 0)
			continue;
		json_t *held = json_object_get(rec.current, r->code);
		int same = held && strcmp(json_string_value(json_object_get(held, "category")),
		                          standing_category_name(r->category)) == 0;
		one = json_pack("{s:s, s:o, s:s, s:o, s:s, s:O}", "mahalla", r->code, "district",
		                geojson_text(r->district), "category",
		                standing_category_name(r->category), "measures",
		                standing_measures_json(r), "reasons", r->reasons, "since",
		                same ? json_object_get(held, "since") : json_null());
		json_array_append_new(rows, one);
	}
	if (mahalla && !one) {
		standing_free(&t);
		reply = http_reply_error(rq, rq->scope[0] ? 403 : 404, "mahalla",
		                         "mahalla: '%s' is not a mahalla %s", mahalla,
		                         rq->scope[0] ? "these credentials reach" : "of the store");
		goto out;
	}
	if (mahalla) {
		struct risks k = {json_array(), rq->role < ROLE_OFFICER ? &app->standing : NULL};
		json_t *officials = json_array();
		if (store_list_officials(st, mahalla, add_official, officials) < 0 ||
		    store_list_risk_counts(st, mahalla, add_risk, &k) < 0) {
			json_decref(officials);
			json_decref(k.list);
			standing_free(&t);
			reply = app_reply_error(rq);
			goto out;
		}
		json_object_set(one, "history", rec.history);
		json_object_set_new(one, "officials", officials);
		json_object_set_new(one, "risk_counts", k.list);
	}
	json_t *o = json_pack("{s:o, s:o, s:i, s:O}", "from", geojson_time(t.from), "to",
	                      geojson_time(t.to), "period_days", app->standing.period_days,
	                      "mahallas", rows);
	standing_free(&t);
	reply = http_reply_value(rq, 200, o, "Cache-Control", "no-store");
out:
	json_decref(rec.current);
	json_decref(rec.history);
	json_decref(rows);
	return reply;
}

int api_standing_post(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = app_store(app);
	struct standing_table t;
	json_t *changed = json_array();
	char where[STORE_SCOPE_MAX] = "";
	int reply;
	if (!st) {
		json_decref(changed);
		return http_reply_error(rq, 503, NULL, "database unavailable");
	}
	if (compute(rq, st, &t) < 0) {
		json_decref(changed);
		return app_reply_error(rq);
	}
	if (standing_record(st, &t, (int64_t)time(NULL), changed, where) < 0) {
		reply = http_reply_error(rq, 500, NULL, "%s", err_msg());
	} else {
		if (json_array_size(changed)) {
			char *data = json_dumps(changed, JSON_COMPACT);
			if (data)
				events_publish(app->events, "standing", data,
				               where[0] ? where : NULL);
			free(data);
		}
		reply = http_reply_value(
		    rq, 200, json_pack("{s:i, s:O}", "recorded", (int)t.n, "changed", changed),
		    NULL, NULL);
	}
	standing_free(&t);
	json_decref(changed);
	return reply;
}

/* A mahalla of the path /api/standing/{code}/{what} in rq's scope. */
static int path_mahalla(struct http_request *rq, store *st, char *code, size_t n, const char **what)
{
	const char *p = rq->path + strlen(STANDING_PATH);
	struct store_area_found m;
	size_t len = *p == '/' ? strcspn(p + 1, "/") : 0;
	if (!len || len >= n || p[1 + len] != '/')
		return err_set_field(ERR_NOTFOUND, "path",
		                     "expected /api/standing/{code}/officials or /risk");
	snprintf(code, n, "%.*s", (int)len, p + 1);
	*what = p + 2 + len;
	if (store_find_area(st, STORE_MAHALLAS, code, &m) < 0)
		return ERR_DB;
	if (!m.found)
		return err_set_field(ERR_NOTFOUND, "mahalla",
		                     "mahalla: no mahalla has the code '%s'", code);
	if (!auth_scope_has(rq->scope, m.district_code))
		return err_set_field(ERR_FORBIDDEN, "mahalla",
		                     "mahalla: %s is outside the districts of %s", code, rq->who);
	return 0;
}

static int put_officials(struct http_request *rq, store *st, const char *code, json_t *doc)
{
	struct store_official o[16];
	size_t i;
	json_t *v;
	if (!json_is_array(doc) || json_array_size(doc) > 16)
		return err_set_field(ERR_INVALID, "body",
		                     "an array of up to 16 {role, name, phone} is required");
	json_array_foreach(doc, i, v)
	{
		o[i] = (struct store_official){json_string_value(json_object_get(v, "role")),
		                               json_string_value(json_object_get(v, "name")),
		                               json_string_value(json_object_get(v, "phone"))};
	}
	return store_set_officials(st, code, o, json_array_size(doc), rq->who);
}

static int put_risk(struct http_request *rq, store *st, const char *code, json_t *doc)
{
	json_t *count = json_object_get(doc, "count");
	char own[STORE_SERVICE_MAX];
	snprintf(own, sizeof own, "%.*s", (int)strcspn(rq->service, "/"), rq->service);
	if (!json_is_integer(count))
		return err_set_field(ERR_INVALID, "count", "count: a whole number of people");
	struct store_risk_count r = {code,
	                             json_string_value(json_object_get(doc, "group")),
	                             (long)json_integer_value(count),
	                             own[0] ? own : NULL,
	                             0,
	                             rq->who};
	if (json_integer_value(count) < 0 || json_integer_value(count) > 1000000)
		r.count = -1;
	return store_put_risk_count(st, &r);
}

int api_standing_put(struct http_request *rq)
{
	store *st = app_store(rq->app);
	char code[128];
	const char *what = "";
	json_t *doc = NULL;
	json_error_t jerr;
	int rc;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if ((rc = path_mahalla(rq, st, code, sizeof code, &what)) < 0)
		return app_reply_error(rq);
	int officials = strcmp(what, "officials") == 0;
	if (!officials && strcmp(what, "risk") != 0)
		return http_reply_error(rq, 404, "path",
		                        "expected /api/standing/{code}/officials or /risk");
	/* Officials are the planners' to name; counts the services' officers'. */
	if (!auth_allows((enum auth_role)rq->role, officials ? ROLE_PLANNER : ROLE_OFFICER))
		return http_reply_error(rq, 403, "role", "%s",
		                        officials ? "the officials are named by a planner"
		                                  : "the counts are entered by an officer");
	if (!rq->body || !(doc = json_loadb(rq->body, rq->body_len, 0, &jerr)))
		return http_reply_error(rq, 400, "body", "a JSON body is required");
	rc = officials ? put_officials(rq, st, code, doc) : put_risk(rq, st, code, doc);
	json_decref(doc);
	if (rc < 0)
		return app_refuse(rq, rc == ERR_INVALID ? 422 : 500);
	return http_reply_value(rq, 200, json_pack("{s:s, s:s}", "mahalla", code, "updated", what),
	                        NULL, NULL);
}
