/*
 * api_tasks: the task endpoints. A task is created by POST, changed by
 * PATCH (a receiver's status, a comment, the asker's edits) inside one
 * IMMEDIATE transaction with its If-Match and scope checks, as zones are;
 * every committed change is an event "tasks" to the streams of its
 * district, so that the receivers' viewers hear at once.
 */
#include "api_tasks.h"

#include "app.h"
#include "civil.h"
#include "err.h"
#include "geojson.h"

#include <jansson.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TASKS_PATH "/api/tasks"

/* Whether a task is open and its due day is before today, the local day
 * of the district (today as days since 1970-01-01). */
static int task_overdue(const struct store_task *t, int64_t today)
{
	int y, m, d;
	if (!t->due || sscanf(t->due, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 0;
	if (strcmp(t->status, "done") == 0 || strcmp(t->status, "declined") == 0)
		return 0;
	return civil_days_from_date(y, m, d) < today;
}

static int64_t local_today(struct app *app)
{
	return tz_local_day(app->zone, (int64_t)time(NULL));
}

/* The service code of rq's credentials into out[n] ("" none), and its unit
 * (NULL none). */
static const char *own_service(const struct http_request *rq, char *out, size_t n)
{
	size_t code = strcspn(rq->service, "/");
	snprintf(out, n, "%.*s", (int)code, rq->service);
	return rq->service[code] ? rq->service + code + 1 : NULL;
}

/* What a walk of tasks gathers: the features in scope, overdue first, and
 * per service and mahalla the open and overdue counts. */
struct gather {
	const char *scope; /* the districts it may see (auth.h); "": all */
	int64_t today;
	int overdue_only;
	json_t *late, *rest; /* features */
	json_t *by_service, *by_mahalla;
	int hidden; /* tasks outside the scope, left out */
	int version;
	char district[STORE_SCOPE_MAX];
};

static void count(json_t *by, const char *key, int overdue)
{
	if (!key)
		return;
	json_t *o = json_object_get(by, key);
	if (!o) {
		o = json_pack("{s:i, s:i}", "open", 0, "overdue", 0);
		json_object_set_new(by, key, o);
	}
	json_object_set_new(o, "open",
	                    json_integer(json_integer_value(json_object_get(o, "open")) + 1));
	if (overdue)
		json_object_set_new(
		    o, "overdue",
		    json_integer(json_integer_value(json_object_get(o, "overdue")) + 1));
}

static int gather_task(void *ctx, const struct store_task *t)
{
	struct gather *g = ctx;
	if (!auth_scope_has(g->scope, t->district_code)) {
		g->hidden++;
		return 0;
	}
	int overdue = task_overdue(t, g->today);
	if (g->overdue_only && !overdue)
		return 0;
	json_array_append_new(overdue ? g->late : g->rest, geojson_task_feature(t, overdue));
	g->version = t->version;
	snprintf(g->district, sizeof g->district, "%s", t->district_code ? t->district_code : "");
	if (strcmp(t->status, "done") != 0 && strcmp(t->status, "declined") != 0) {
		/* a task counts once per service it is open with */
		for (size_t i = 0; i < t->n_to; i++) {
			const struct store_task_receiver *r = &t->to[i];
			int again = 0;
			for (size_t j = 0; j < i; j++)
				again |= strcmp(t->to[j].service, r->service) == 0;
			if (!again && strcmp(r->status, "done") != 0 &&
			    strcmp(r->status, "declined") != 0)
				count(g->by_service, r->service, overdue);
		}
		count(g->by_mahalla, t->mahalla_code, overdue);
	}
	return 0;
}

static void gather_free(struct gather *g)
{
	json_decref(g->late);
	json_decref(g->rest);
	json_decref(g->by_service);
	json_decref(g->by_mahalla);
}

static void gather_init(struct gather *g, struct http_request *rq)
{
	memset(g, 0, sizeof *g);
	g->scope = rq->scope;
	g->today = local_today(rq->app);
	g->late = json_array();
	g->rest = json_array();
	g->by_service = json_object();
	g->by_mahalla = json_object();
}

static int list_tasks(struct http_request *rq, store *st)
{
	const char *status = http_arg(rq, "status");
	char own[STORE_SERVICE_MAX];
	struct store_task_query q = {
	    .service = http_arg(rq, "service"),
	    .mahalla = http_arg(rq, "mahalla"),
	    .district = http_arg(rq, "district"),
	    .open = 1,
	};
	struct gather g;
	if (status && strcmp(status, "open") != 0 && strcmp(status, "overdue") != 0 &&
	    strcmp(status, "all") != 0)
		return http_reply_error(rq, 400, "status",
		                        "status: open (default), overdue or all");
	if (q.service && strcmp(q.service, "mine") == 0) {
		own_service(rq, own, sizeof own);
		if (!own[0])
			return http_reply_error(rq, 400, "service",
			                        "service: mine needs credentials of a service");
		q.service = own;
	}
	q.open = !status || strcmp(status, "all") != 0;
	gather_init(&g, rq);
	g.overdue_only = status && strcmp(status, "overdue") == 0;
	if (store_list_tasks(st, &q, gather_task, &g) < 0) {
		gather_free(&g);
		return app_reply_error(rq);
	}
	json_array_extend(g.late, g.rest);
	json_t *o = json_pack("{s:s, s:O, s:{s:O, s:O}}", "type", "FeatureCollection", "features",
	                      g.late, "counts", "service", g.by_service, "mahalla", g.by_mahalla);
	gather_free(&g);
	return http_reply_value(rq, 200, o, "Cache-Control", "no-store");
}

/* The log of a task as an array (a store_task_log() callback). */
static int gather_entry(void *ctx, const struct store_task_entry *e)
{
	json_array_append_new(
	    ctx, json_pack("{s:i, s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "version", e->version, "at",
	                   geojson_time(e->at), "actor", e->actor, "action", e->action, "service",
	                   geojson_text(e->service), "unit", geojson_text(e->unit), "status",
	                   geojson_text(e->status), "note", geojson_text(e->note)));
	return 0;
}

/* Reads task id into g, checking rq's scope: 0, or an error naming "id"
 * with *status (403, 404, 500). */
static int read_task(struct http_request *rq, store *st, const char *id, struct gather *g,
                     unsigned *status)
{
	struct store_task_query q = {.id = id};
	int rc = store_list_tasks(st, &q, gather_task, g);
	*status = 500;
	if (rc < 0)
		return rc;
	if (g->hidden) {
		*status = 403;
		return err_set_field(ERR_FORBIDDEN, "id",
		                     "id: task %s is outside the districts of %s", id, rq->who);
	}
	if (!json_array_size(g->late) && !json_array_size(g->rest)) {
		*status = 404;
		return err_set_field(ERR_NOTFOUND, "id", "id: no task has the id '%s'", id);
	}
	return 0;
}

/* Answers task id as a Feature with its log, its version as the ETag. */
static int reply_task(struct http_request *rq, store *st, const char *id, unsigned status)
{
	struct gather g;
	unsigned refused;
	gather_init(&g, rq);
	if (read_task(rq, st, id, &g, &refused) < 0) {
		gather_free(&g);
		return app_refuse(rq, refused);
	}
	json_t *f = json_incref(json_array_get(json_array_size(g.late) ? g.late : g.rest, 0));
	json_t *log = json_array();
	if (store_task_log(st, id, gather_entry, log) < 0) {
		json_decref(f);
		json_decref(log);
		gather_free(&g);
		return app_reply_error(rq);
	}
	json_object_set_new(json_object_get(f, "properties"), "log", log);
	char etag[24], location[300];
	snprintf(etag, sizeof etag, "\"%d\"", g.version);
	snprintf(location, sizeof location, TASKS_PATH "/%s", id);
	gather_free(&g);
	char *text = json_dumps(f, JSON_COMPACT);
	json_decref(f);
	if (!text)
		return http_reply_error(rq, 500, NULL, "out of memory");
	return http_reply(rq, status, "application/json; charset=utf-8", (unsigned char *)text,
	                  strlen(text), "Cache-Control", "no-store", "ETag", etag, "Location",
	                  status == 201 ? location : NULL, NULL);
}

/* The id of a path "/api/tasks/{id}" into out: 0, or 1 when there is none. */
static int path_id(const char *path, char *out, size_t n)
{
	const char *p = path + strlen(TASKS_PATH);
	if (*p != '/' || !p[1] || strchr(p + 1, '/') || strlen(p + 1) >= n)
		return 1;
	snprintf(out, n, "%s", p + 1);
	return 0;
}

int api_tasks_get(struct http_request *rq)
{
	store *st = app_store(rq->app);
	char id[256];
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (strcmp(rq->path, TASKS_PATH) == 0)
		return list_tasks(rq, st);
	if (path_id(rq->path, id, sizeof id))
		return http_reply_error(rq, 404, "id", "expected /api/tasks/{id}");
	return reply_task(rq, st, id, 200);
}

/* A string member of o (NULL when absent or null): 0, or ERR_INVALID
 * naming field when it is of another type. */
static int member_text(json_t *o, const char *name, const char *field, const char **out)
{
	json_t *v = json_object_get(o, name);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return err_set_field(ERR_INVALID, field, "%s: a string", field);
	*out = json_string_value(v);
	return 0;
}

/* A JSON body: ERR_INVALID naming "body" when there is none or it is not
 * an object. */
static int read_body(struct http_request *rq, json_t **doc)
{
	json_error_t jerr;
	*doc = NULL;
	if (!rq->body)
		return err_set_field(ERR_INVALID, "body", "a JSON object is required");
	if (!(*doc = json_loadb(rq->body, rq->body_len, 0, &jerr)))
		return err_set_field(ERR_INVALID, "body",
		                     "invalid JSON at line %d, column %d (byte %d): %s", jerr.line,
		                     jerr.column, jerr.position, jerr.text);
	if (!json_is_object(*doc))
		return err_set_field(ERR_INVALID, "body", "a JSON object is required");
	return 0;
}

/* A coordinate member of place: ERR_INVALID naming it unless finite. */
static int member_number(json_t *place, const char *name, double *out)
{
	json_t *v = json_object_get(place, name);
	char field[16];
	snprintf(field, sizeof field, "place.%s", name);
	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return err_set_field(ERR_INVALID, field, "%s: a number is required", field);
	*out = json_number_value(v);
	return 0;
}

/* The place of a task or an activity: {kind, code} or {kind: point or
 * hotspot, lon, lat, label}; borrowed from place. */
static int read_place(json_t *place, const char **kind, const char **ref, double *lon, double *lat)
{
	int rc;
	*ref = NULL;
	*lon = *lat = 0;
	if (!json_is_object(place))
		return err_set_field(ERR_INVALID, "place",
		                     "place: an object {kind, code} or {kind, lon, lat}");
	if ((rc = member_text(place, "kind", "place.kind", kind)) < 0)
		return rc;
	if (*kind && (strcmp(*kind, "point") == 0 || strcmp(*kind, "hotspot") == 0)) {
		if ((rc = member_number(place, "lon", lon)) < 0 ||
		    (rc = member_number(place, "lat", lat)) < 0 ||
		    (rc = member_text(place, "label", "place.label", ref)) < 0)
			return rc;
		return 0;
	}
	return member_text(place, "code", "place.code", ref);
}

/* The receivers of a body's `to` into to[STORE_TASK_RECEIVERS_MAX]
 * (borrowing from it) and their count into n. */
static int read_receivers(json_t *receivers, struct store_task_receiver *to, size_t *n)
{
	int rc;
	if (!json_is_array(receivers) || json_array_size(receivers) < 1 ||
	    json_array_size(receivers) > STORE_TASK_RECEIVERS_MAX)
		return err_set_field(ERR_INVALID, "to", "to: an array of 1 to %d {service, unit}",
		                     STORE_TASK_RECEIVERS_MAX);
	*n = json_array_size(receivers);
	for (size_t i = 0; i < *n; i++) {
		json_t *r = json_array_get(receivers, i);
		char field[48];
		memset(&to[i], 0, sizeof to[i]);
		snprintf(field, sizeof field, "to[%zu]", i);
		if (!json_is_object(r))
			return err_set_field(ERR_INVALID, field, "%s: an object {service, unit}",
			                     field);
		snprintf(field, sizeof field, "to[%zu].service", i);
		if ((rc = member_text(r, "service", field, &to[i].service)) < 0)
			return rc;
		snprintf(field, sizeof field, "to[%zu].unit", i);
		if ((rc = member_text(r, "unit", field, &to[i].unit)) < 0)
			return rc;
	}
	return 0;
}

/* A new task from the body: the task borrows from doc, to, rq and
 * own[STORE_SERVICE_MAX] (the credentials' service), and an id made up
 * into gen[gen_n] when the body has none. */
static int read_new_task(struct http_request *rq, json_t *doc, struct store_task *t,
                         struct store_task_receiver *to, char *own, char *gen, size_t gen_n)
{
	json_t *place = json_object_get(doc, "place"), *from = json_object_get(doc, "from");
	json_t *receivers = json_object_get(doc, "to");
	const char *own_unit = own_service(rq, own, STORE_SERVICE_MAX);
	int rc;
	memset(t, 0, sizeof *t);
	if ((rc = member_text(doc, "id", "id", &t->external_id)) < 0 ||
	    (rc = member_text(doc, "text", "text", &t->text)) < 0 ||
	    (rc = member_text(doc, "due", "due", &t->due)) < 0 ||
	    (rc = member_text(doc, "priority", "priority", &t->priority)) < 0)
		return rc;
	if ((rc = read_place(place, &t->place_kind, &t->place_ref, &t->lon, &t->lat)) < 0)
		return rc;
	if (from && !json_is_object(from))
		return err_set_field(ERR_INVALID, "from", "from: an object {service, unit}");
	if ((rc = member_text(from, "service", "from.service", &t->from_service)) < 0 ||
	    (rc = member_text(from, "unit", "from.unit", &t->from_unit)) < 0)
		return rc;
	/* What a service's credentials ask is in that service's name. */
	if (own[0]) {
		if (t->from_service && strcmp(t->from_service, own) != 0 && rq->role != ROLE_ADMIN)
			return err_set_field(ERR_FORBIDDEN, "from.service",
			                     "from.service: %s speaks for %s, not %s", rq->who, own,
			                     t->from_service);
		if (!t->from_service) {
			t->from_service = own;
			if (!t->from_unit)
				t->from_unit = own_unit;
		}
	}
	if (!t->from_service)
		return err_set_field(ERR_INVALID, "from.service",
		                     "from.service: the asking service is required (these "
		                     "credentials speak for none)");
	if ((rc = read_receivers(receivers, to, &t->n_to)) < 0)
		return rc;
	t->to = to;
	if (!t->external_id) {
		static atomic_uint counter;
		snprintf(gen, gen_n, "task-%lld-%u", (long long)time(NULL),
		         atomic_fetch_add(&counter, 1) + 1);
		t->external_id = gen;
	}
	return 0;
}

/* After a commit: the streams of the task's district hear of it. */
static void announce_task(struct http_request *rq, store *st, const char *id, const char *action)
{
	struct app *app = rq->app;
	struct gather g;
	unsigned status;
	gather_init(&g, rq);
	g.scope = ""; /* the event goes to every stream of the task's district */
	if (read_task(rq, st, id, &g, &status) == 0) {
		json_t *f = json_array_get(json_array_size(g.late) ? g.late : g.rest, 0);
		json_t *o = json_pack("{s:s, s:s, s:O}", "id", id, "action", action, "task",
		                      json_object_get(f, "properties"));
		char *data = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		if (data)
			events_publish(app->events, "tasks", data,
			               g.district[0] ? g.district : NULL);
		free(data);
	}
	gather_free(&g);
}

/* Ends a write's transaction: commits when rc is 0, else (or when the
 * commit fails) rolls back, keeping the error and its field. */
static int end_transaction(store *st, int rc)
{
	char msg[512];
	if (rc == 0 && (rc = store_commit(st)) == 0)
		return 0;
	const char *field = err_field();
	char f[64];
	snprintf(f, sizeof f, "%s", field ? field : "");
	snprintf(msg, sizeof msg, "%s", err_msg());
	store_rollback(st);
	return err_set_field(rc, f[0] ? f : NULL, "%s", msg);
}

/* Whether two texts (NULL: none) are the same. */
static int same_text(const char *a, const char *b)
{
	return (!a || !*a) ? (!b || !*b) : b && strcmp(a, b) == 0;
}

/* Whether the stored task f (a Feature) is what t asks: a task sent again
 * by another system, which changes nothing. */
static int same_task(json_t *f, const struct store_task *t)
{
	json_t *p = json_object_get(f, "properties"), *to = json_object_get(p, "to");
	json_t *xy = json_object_get(json_object_get(f, "geometry"), "coordinates");
	json_t *place = json_object_get(p, "place"), *from = json_object_get(p, "from");
#define TEXT(o, name) json_string_value(json_object_get(o, name))
	int at_point = strcmp(t->place_kind, "point") == 0 || strcmp(t->place_kind, "hotspot") == 0;
	if (!same_text(TEXT(p, "text"), t->text) ||
	    !same_text(TEXT(place, "kind"), t->place_kind) ||
	    !same_text(TEXT(place, "code"), t->place_ref) ||
	    !same_text(TEXT(from, "service"), t->from_service) ||
	    !same_text(TEXT(from, "unit"), t->from_unit) || !same_text(TEXT(p, "due"), t->due) ||
	    !same_text(TEXT(p, "priority"), t->priority ? t->priority : "normal") ||
	    json_array_size(to) != t->n_to)
		return 0;
	if (at_point && (fabs(json_number_value(json_array_get(xy, 0)) - t->lon) > 1e-9 ||
	                 fabs(json_number_value(json_array_get(xy, 1)) - t->lat) > 1e-9))
		return 0;
	for (size_t i = 0; i < t->n_to; i++) {
		json_t *r = json_array_get(to, i);
		if (!same_text(TEXT(r, "service"), t->to[i].service) ||
		    !same_text(TEXT(r, "unit"), t->to[i].unit))
			return 0;
	}
#undef TEXT
	return 1;
}

int api_tasks_post(struct http_request *rq)
{
	store *st = app_store(rq->app);
	struct store_task t;
	struct store_task_receiver to[STORE_TASK_RECEIVERS_MAX];
	char gen[64], own[STORE_SERVICE_MAX];
	json_t *doc = NULL;
	unsigned status = 400;
	int rc, reply;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (strcmp(rq->path, TASKS_PATH) != 0)
		return http_reply_error(rq, 404, NULL, "POST /api/tasks creates a task");
	if ((rc = read_body(rq, &doc)) < 0 ||
	    (rc = read_new_task(rq, doc, &t, to, own, gen, sizeof gen)) < 0) {
		reply = app_refuse(rq, rc == ERR_FORBIDDEN ? 403 : 400);
		goto out;
	}
	if ((rc = store_begin(st)) < 0) {
		reply = http_reply_error(rq, 503, NULL, "database busy: %s", err_msg());
		goto out;
	}
	rc = store_task_add(st, &t, rq->who);
	if (rc == ERR_CONFLICT) {
		/* sent again, as another system may: the stored task when it is the same */
		struct gather g;
		unsigned refused;
		char msg[512];
		snprintf(msg, sizeof msg, "%s", err_msg());
		gather_init(&g, rq);
		int same =
		    read_task(rq, st, t.external_id, &g, &refused) == 0 &&
		    same_task(json_array_get(json_array_size(g.late) ? g.late : g.rest, 0), &t);
		gather_free(&g);
		store_rollback(st);
		if (same) {
			reply = reply_task(rq, st, t.external_id, 200);
			goto out;
		}
		reply =
		    http_reply_error(rq, 409, "id", "%s with other content; PATCH changes it", msg);
		goto out;
	}
	if (rc == 0) {
		struct gather g;
		gather_init(&g, rq);
		rc = read_task(rq, st, t.external_id, &g, &status);
		if (rc == ERR_FORBIDDEN)
			rc = err_set_field(ERR_FORBIDDEN, "place",
			                   "place: outside the districts of %s", rq->who);
		gather_free(&g);
	}
	status = rc == ERR_CONFLICT    ? 409
	         : rc == ERR_FORBIDDEN ? 403
	         : rc == ERR_NOTFOUND  ? 422
	         : rc == ERR_INVALID   ? 422
	                               : 500;
	if ((rc = end_transaction(st, rc)) < 0) {
		reply = app_refuse(rq, status);
		goto out;
	}
	announce_task(rq, st, t.external_id, "create");
	reply = reply_task(rq, st, t.external_id, 201);
out:
	json_decref(doc);
	return reply;
}

/* The receiver of a status change: the body's {service, unit}, else the
 * credentials' service; matched against the task's receivers (a unit left
 * out matches the service's only receiver). 0 with c->service and
 * c->unit set, or an error naming "receiver" with *status. */
static int pick_receiver(struct http_request *rq, json_t *doc, json_t *task,
                         struct store_task_change *c, char *own, unsigned *status)
{
	json_t *named = json_object_get(doc, "receiver");
	const char *own_unit = own_service(rq, own, STORE_SERVICE_MAX);
	const char *service = NULL, *unit = NULL;
	int rc;
	*status = 400;
	if (named && !json_is_object(named))
		return err_set_field(ERR_INVALID, "receiver",
		                     "receiver: an object {service, unit}");
	if ((rc = member_text(named, "service", "receiver.service", &service)) < 0 ||
	    (rc = member_text(named, "unit", "receiver.unit", &unit)) < 0)
		return rc;
	if (!service) {
		if (!own[0])
			return err_set_field(
			    ERR_INVALID, "receiver",
			    "receiver: whose status changes ({service, unit}); these "
			    "credentials speak for no service");
		service = own;
		unit = own_unit;
	}
	if (own[0] && strcmp(service, own) != 0 && rq->role != ROLE_ADMIN) {
		*status = 403;
		return err_set_field(ERR_FORBIDDEN, "receiver",
		                     "receiver: %s speaks for %s and may change only its status",
		                     rq->who, own);
	}
	/* The one row of that service: its unit, or the named unit's row. */
	json_t *to = json_object_get(json_object_get(task, "properties"), "to"), *r;
	size_t i, found = 0;
	const char *match_unit = NULL;
	json_array_foreach(to, i, r)
	{
		const char *s = json_string_value(json_object_get(r, "service"));
		const char *u = json_string_value(json_object_get(r, "unit"));
		if (strcmp(s, service) != 0)
			continue;
		if (unit && u && strcmp(u, unit) == 0) {
			match_unit = u, found = 1;
			break;
		}
		if (!named || !unit || !u)
			match_unit = u, found++;
	}
	if (found != 1) {
		*status = found ? 400 : 404;
		return err_set_field(found ? ERR_INVALID : ERR_NOTFOUND, "receiver",
		                     found ? "receiver: %s has several units here; name the unit"
		                           : "receiver: %s is not a receiver of this task",
		                     service);
	}
	c->service = service;
	c->unit = match_unit;
	return 0;
}

int api_tasks_patch(struct http_request *rq)
{
	store *st = app_store(rq->app);
	char id[256], own[STORE_SERVICE_MAX];
	struct store_task_change c = {0};
	struct store_task_receiver to[STORE_TASK_RECEIVERS_MAX];
	struct gather g;
	json_t *doc = NULL;
	unsigned status = 400;
	int rc, reply, expected, version;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (path_id(rq->path, id, sizeof id))
		return http_reply_error(rq, 404, "id", "expected PATCH /api/tasks/{id}");
	gather_init(&g, rq);
	if ((rc = app_if_match(rq, &expected)) < 0 || (rc = read_body(rq, &doc)) < 0 ||
	    (rc = member_text(doc, "status", "status", &c.status)) < 0 ||
	    (rc = member_text(doc, "comment", "comment", &c.comment)) < 0 ||
	    (rc = member_text(doc, "text", "text", &c.text)) < 0 ||
	    (rc = member_text(doc, "due", "due", &c.due)) < 0 ||
	    (rc = member_text(doc, "priority", "priority", &c.priority)) < 0 ||
	    (rc = member_text(doc, "reason", "reason", &c.note)) < 0 ||
	    (!c.note && (rc = member_text(doc, "outcome", "outcome", &c.note)) < 0) ||
	    (json_object_get(doc, "to") &&
	     (rc = read_receivers(json_object_get(doc, "to"), to, &c.n_to)) < 0)) {
		reply = app_refuse(rq, 400);
		goto out;
	}
	if (json_object_get(doc, "to"))
		c.to = to;
	if (c.status && !store_task_status_valid(c.status)) {
		reply = http_reply_error(rq, 422, "status",
		                         "status: new, accepted, in_progress, done or declined");
		goto out;
	}
	if ((rc = store_begin(st)) < 0) {
		reply = http_reply_error(rq, 503, NULL, "database busy: %s", err_msg());
		goto out;
	}
	if ((rc = read_task(rq, st, id, &g, &status)) < 0)
		goto finish;
	json_t *task = json_array_get(json_array_size(g.late) ? g.late : g.rest, 0);
	if (expected >= 0 && expected != g.version) {
		rc =
		    err_set_field(ERR_CONFLICT, "If-Match",
		                  "task '%s' is at version %d, not %d: someone changed it; read it "
		                  "again",
		                  id, g.version, expected);
		status = 412;
		goto finish;
	}
	if (c.status && (rc = pick_receiver(rq, doc, task, &c, own, &status)) < 0)
		goto finish;
	/* Edits of what is asked are the asking service's. */
	const char *asker = json_string_value(json_object_get(
	    json_object_get(json_object_get(task, "properties"), "from"), "service"));
	char mine[STORE_SERVICE_MAX];
	own_service(rq, mine, sizeof mine);
	if ((c.text || c.due || c.priority || c.to) && mine[0] && strcmp(mine, asker) != 0 &&
	    rq->role != ROLE_ADMIN) {
		rc = err_set_field(ERR_FORBIDDEN,
		                   c.text       ? "text"
		                   : c.due      ? "due"
		                   : c.priority ? "priority"
		                                : "to",
		                   "%s asked this task; %s speaks for %s", asker, rq->who, mine);
		status = 403;
		goto finish;
	}
	rc = store_task_change(st, id, &c, rq->who, &version);
	/* An unknown receiving service is bad content, not a missing task. */
	status = rc == ERR_NOTFOUND && strncmp(err_field() ? err_field() : "", "to[", 3) != 0 ? 404
	         : rc == ERR_INVALID || rc == ERR_NOTFOUND ? 422
	                                                   : 500;
finish:
	if ((rc = end_transaction(st, rc)) < 0) {
		reply = app_refuse(rq, status);
		goto out;
	}
	announce_task(rq, st, id, "update");
	reply = reply_task(rq, st, id, 200);
out:
	gather_free(&g);
	json_decref(doc);
	return reply;
}

/* The prevention log. */

#define ACTIVITIES_PATH "/api/activities"
#define ACTIVITIES_MAX  1000 /* in one body */

/* An activity as a GeoJSON Feature at its place's point. */
static json_t *activity_feature(const struct store_activity *a)
{
	json_t *props = json_pack(
	    "{s:s, s:s, s:o, s:o, s:{s:s, s:o}, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:o}",
	    "id", a->external_id, "kind", a->kind, "start", geojson_time(a->started), "end",
	    geojson_time(a->ended), "place", "kind", a->place_kind, "code",
	    geojson_text(a->place_ref), "service", a->service, "unit", geojson_text(a->unit),
	    "participants", a->participants >= 0 ? json_integer(a->participants) : json_null(),
	    "task", geojson_text(a->task), "outcome", geojson_text(a->outcome), "mahalla",
	    geojson_text(a->mahalla_code), "district", geojson_text(a->district_code), "author",
	    geojson_text(a->author), "version", a->version, "updated", geojson_time(a->updated));
	return json_pack("{s:s, s:s, s:o, s:{s:s, s:[f, f]}}", "type", "Feature", "id",
	                 a->external_id, "properties", props, "geometry", "type", "Point",
	                 "coordinates", a->lon, a->lat);
}

/* What a walk of activities gathers: the features in scope and their
 * counts per kind and service. */
struct log_gather {
	const char *scope;
	json_t *features, *by_kind, *by_service;
	int hidden;
	char district[STORE_SCOPE_MAX]; /* of the last one seen */
};

static void bump(json_t *by, const char *key)
{
	json_object_set_new(by, key,
	                    json_integer(json_integer_value(json_object_get(by, key)) + 1));
}

static int gather_activity(void *ctx, const struct store_activity *a)
{
	struct log_gather *g = ctx;
	if (!auth_scope_has(g->scope, a->district_code)) {
		g->hidden++;
		return 0;
	}
	json_array_append_new(g->features, activity_feature(a));
	bump(g->by_kind, a->kind);
	bump(g->by_service, a->service);
	snprintf(g->district, sizeof g->district, "%s", a->district_code ? a->district_code : "");
	return 0;
}

static void log_gather_init(struct log_gather *g, const char *scope)
{
	memset(g, 0, sizeof *g);
	g->scope = scope;
	g->features = json_array();
	g->by_kind = json_object();
	g->by_service = json_object();
}

static void log_gather_free(struct log_gather *g)
{
	json_decref(g->features);
	json_decref(g->by_kind);
	json_decref(g->by_service);
}

/* A day argument "YYYY-MM-DD" as its first (end 0) or last second (end 1)
 * in the district's time zone; STORE_NO_TIME when absent. */
static int day_arg(struct http_request *rq, const char *name, int end, int64_t *out)
{
	const char *v = http_arg(rq, name);
	struct time_span span;
	struct app *app = rq->app;
	*out = STORE_NO_TIME;
	if (!v)
		return 0;
	if (timeparse_parse(app->zone, v, NULL, DATE_ORDER_AUTO, &span) < 0)
		return err_set_field(ERR_INVALID, name, "%s: %s", name, err_msg());
	*out = end ? span.to : span.from;
	return 0;
}

int api_activities_get(struct http_request *rq)
{
	store *st = app_store(rq->app);
	struct store_activity_query q = {.service = http_arg(rq, "service"),
	                                 .mahalla = http_arg(rq, "mahalla"),
	                                 .district = http_arg(rq, "district"),
	                                 .task = http_arg(rq, "task")};
	struct log_gather g;
	char id[256];
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	int one = strcmp(rq->path, ACTIVITIES_PATH) != 0;
	if (one) {
		const char *p = rq->path + strlen(ACTIVITIES_PATH);
		if (*p != '/' || !p[1] || strchr(p + 1, '/') || strlen(p + 1) >= sizeof id)
			return http_reply_error(rq, 404, "id", "expected /api/activities/{id}");
		snprintf(id, sizeof id, "%s", p + 1);
		q = (struct store_activity_query){
		    .id = id, .from = STORE_NO_TIME, .to = STORE_NO_TIME};
	} else if (day_arg(rq, "from", 0, &q.from) < 0 || day_arg(rq, "to", 1, &q.to) < 0)
		return app_refuse(rq, 400);
	log_gather_init(&g, rq->scope);
	if (store_list_activities(st, &q, gather_activity, &g) < 0) {
		log_gather_free(&g);
		return app_reply_error(rq);
	}
	json_t *o;
	if (one && !json_array_size(g.features)) {
		log_gather_free(&g);
		return g.hidden
		           ? http_reply_error(rq, 403, "id",
		                              "id: activity %s is outside the districts of %s", id,
		                              rq->who)
		           : http_reply_error(rq, 404, "id", "id: no activity has the id '%s'", id);
	}
	if (one)
		o = json_incref(json_array_get(g.features, 0));
	else
		o = json_pack("{s:s, s:O, s:{s:O, s:O}}", "type", "FeatureCollection", "features",
		              g.features, "counts", "kind", g.by_kind, "service", g.by_service);
	log_gather_free(&g);
	return http_reply_value(rq, 200, o, "Cache-Control", "no-store");
}

/* Where a home visit is kept: the centre of the grid cell of side
 * metres holding it, so that no stored point names a house; 0 metres:
 * not at a point at all. */
static int coarsen_home_visit(struct app *app, struct store_activity *a)
{
	if (!a->kind || !a->place_kind || strcmp(a->kind, "home_visit") != 0 ||
	    (strcmp(a->place_kind, "point") != 0 && strcmp(a->place_kind, "hotspot") != 0))
		return 0;
	if (app->home_visit_m <= 0)
		return err_set_field(ERR_INVALID, "place",
		                     "place: a home visit is logged by its mahalla (place.kind "
		                     "mahalla), never at a point");
	double m = (double)app->home_visit_m, lat_step = m / 111320.0;
	double lat = (floor(a->lat / lat_step) + 0.5) * lat_step;
	double lon_step = m / (111320.0 * cos(lat * M_PI / 180));
	a->lat = lat;
	a->lon = (floor(a->lon / lon_step) + 0.5) * lon_step;
	a->place_ref = NULL;
	return 0;
}

/* Reads activity object o (the body or an element of it) into a,
 * borrowing from o, rq and own[STORE_SERVICE_MAX]; fields named with
 * prefix ("" or "[i]."). */
static int read_activity(struct http_request *rq, json_t *o, struct store_activity *a, char *own,
                         const char *prefix)
{
	static const char *const members[] = {"id",    "kind",    "start", "end",
	                                      "place", "service", "unit",  "participants",
	                                      "task",  "outcome", NULL};
	const char *key, *start = NULL, *end = NULL;
	json_t *v;
	struct app *app = rq->app;
	struct time_span span;
	int rc;
	memset(a, 0, sizeof *a);
	a->participants = -1;
	a->started = a->ended = STORE_NO_TIME;
	if (!json_is_object(o))
		return err_set_field(ERR_INVALID, prefix[0] ? prefix : "body",
		                     "an activity is a JSON object");
	/* Only the log's own members: nothing else (a name, an address) is
	 * ever stored by mistake. */
	json_object_foreach(o, key, v)
	{
		const char *const *m = members;
		while (*m && strcmp(*m, key) != 0)
			m++;
		if (!*m)
			return err_set_field(
			    ERR_INVALID, key,
			    "%s: not a member of an activity (the log keeps no "
			    "personal data: no names, identity numbers or addresses)",
			    key);
	}
	const char *own_unit = own_service(rq, own, STORE_SERVICE_MAX);
	if ((rc = member_text(o, "id", "id", &a->external_id)) < 0 ||
	    (rc = member_text(o, "kind", "kind", &a->kind)) < 0 ||
	    (rc = member_text(o, "start", "start", &start)) < 0 ||
	    (rc = member_text(o, "end", "end", &end)) < 0 ||
	    (rc = member_text(o, "service", "service", &a->service)) < 0 ||
	    (rc = member_text(o, "unit", "unit", &a->unit)) < 0 ||
	    (rc = member_text(o, "task", "task", &a->task)) < 0 ||
	    (rc = member_text(o, "outcome", "outcome", &a->outcome)) < 0 ||
	    (rc = read_place(json_object_get(o, "place"), &a->place_kind, &a->place_ref, &a->lon,
	                     &a->lat)) < 0)
		return rc;
	if (!a->external_id)
		return err_set_field(ERR_INVALID, "id",
		                     "id: the sender's id of the activity is required (sending it "
		                     "again then changes nothing)");
	if (!start || timeparse_parse(app->zone, start, NULL, DATE_ORDER_AUTO, &span) < 0)
		return err_set_field(ERR_INVALID, "start", "start: %s",
		                     start ? err_msg() : "when it happened (ISO 8601) is required");
	a->started = span.from;
	if (end && timeparse_parse(app->zone, end, NULL, DATE_ORDER_AUTO, &span) < 0)
		return err_set_field(ERR_INVALID, "end", "end: %s", err_msg());
	/* an end day ends with the day; an end time is that moment */
	if (end)
		a->ended =
		    span.precision >= PREC_DAY && span.precision <= PREC_YEAR ? span.to : span.from;
	v = json_object_get(o, "participants");
	if (v && !json_is_null(v)) {
		if (!json_is_integer(v))
			return err_set_field(ERR_INVALID, "participants",
			                     "participants: a whole number of people");
		json_int_t n = json_integer_value(v);
		a->participants = n < 0 || n > 1000000 ? -2 : (long)n;
	}
	if (own[0]) {
		if (a->service && strcmp(a->service, own) != 0 && rq->role != ROLE_ADMIN)
			return err_set_field(ERR_FORBIDDEN, "service",
			                     "service: %s speaks for %s, not %s", rq->who, own,
			                     a->service);
		if (!a->service) {
			a->service = own;
			if (!a->unit)
				a->unit = own_unit;
		}
	}
	if (!a->service)
		return err_set_field(ERR_INVALID, "service",
		                     "service: who did it is required (these credentials speak for "
		                     "none)");
	return coarsen_home_visit(app, a);
}

/* The field of the last error with prefix before it, as the answer names
 * it. */
static int prefix_error(int rc, const char *prefix)
{
	if (!prefix[0])
		return rc;
	char field[96];
	const char *f = err_field();
	snprintf(field, sizeof field, "%s%s", prefix, f ? f : "");
	return err_set_field(rc, field, "%s%s", prefix, err_msg());
}

/* Stores one activity inside the open transaction, checking its place and
 * linked task against rq's scope; the district it touched is added to
 * where. */
static int store_activity(struct http_request *rq, store *st, const struct store_activity *a,
                          struct store_put_info *info, char *where)
{
	struct log_gather g;
	struct store_activity_query q = {
	    .id = a->external_id, .from = STORE_NO_TIME, .to = STORE_NO_TIME};
	int rc;
	/* Another district's activity of that id is not this sender's to change. */
	log_gather_init(&g, rq->scope);
	rc = store_list_activities(st, &q, gather_activity, &g);
	if (rc == 0 && g.hidden)
		rc = err_set_field(ERR_FORBIDDEN, "id",
		                   "id: activity %s is outside the districts of %s", a->external_id,
		                   rq->who);
	if (rc == 0 && a->task) {
		struct gather t;
		unsigned status;
		gather_init(&t, rq);
		rc = read_task(rq, st, a->task, &t, &status);
		gather_free(&t);
		if (rc < 0)
			rc = err_set_field(rc, "task", "task: %s", err_msg());
	}
	if (rc == 0)
		rc = store_put_activity(st, a, rq->who, info);
	log_gather_free(&g);
	if (rc < 0)
		return rc;
	log_gather_init(&g, "");
	if ((rc = store_list_activities(st, &q, gather_activity, &g)) == 0) {
		if (!auth_scope_has(rq->scope, g.district[0] ? g.district : NULL))
			rc = err_set_field(ERR_FORBIDDEN, "place",
			                   "place: outside the districts of %s", rq->who);
		else
			app_where_add(where, g.district);
	}
	log_gather_free(&g);
	return rc;
}

int api_activities_post(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = app_store(app);
	json_t *doc = NULL, *ids = json_array();
	char own[STORE_SERVICE_MAX], prefix[32] = "", where[STORE_SCOPE_MAX] = "";
	long counts[3] = {0, 0, 0}; /* inserted, updated, unchanged */
	int rc, reply;
	unsigned status = 400;
	if (!st) {
		json_decref(ids);
		return http_reply_error(rq, 503, NULL, "database unavailable");
	}
	if (strcmp(rq->path, ACTIVITIES_PATH) != 0) {
		json_decref(ids);
		return http_reply_error(rq, 404, NULL, "POST /api/activities logs activities");
	}
	json_error_t jerr;
	if (!rq->body || !(doc = json_loadb(rq->body, rq->body_len, 0, &jerr))) {
		reply = http_reply_error(rq, 400, "body",
		                         rq->body ? "invalid JSON at line %d, column %d: %s"
		                                  : "an activity or an array of them is required",
		                         jerr.line, jerr.column, jerr.text);
		goto out;
	}
	size_t n = json_is_array(doc) ? json_array_size(doc) : 1;
	if (n < 1 || n > ACTIVITIES_MAX) {
		reply = http_reply_error(rq, 400, "body", "1 to %d activities in one body",
		                         ACTIVITIES_MAX);
		goto out;
	}
	if ((rc = store_begin(st)) < 0) {
		reply = http_reply_error(rq, 503, NULL, "database busy: %s", err_msg());
		goto out;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct store_activity a;
		struct store_put_info info;
		if (json_is_array(doc))
			snprintf(prefix, sizeof prefix, "[%zu].", i);
		rc = read_activity(rq, json_is_array(doc) ? json_array_get(doc, i) : doc, &a, own,
		                   prefix);
		status = rc == ERR_FORBIDDEN ? 403 : 400;
		if (rc == 0 && (rc = store_activity(rq, st, &a, &info, where)) < 0)
			status = rc == ERR_FORBIDDEN                       ? 403
			         : rc == ERR_INVALID || rc == ERR_NOTFOUND ? 422
			                                                   : 500;
		if (rc < 0) {
			rc = prefix_error(rc, prefix);
			break;
		}
		counts[info.change == STORE_INSERTED ? 0 : info.change == STORE_UPDATED ? 1 : 2]++;
		json_array_append_new(ids, json_string(a.external_id));
	}
	if ((rc = end_transaction(st, rc)) < 0) {
		reply = app_refuse(rq, status);
		goto out;
	}
	if (counts[0] + counts[1]) {
		json_t *e = json_pack("{s:O, s:i, s:i}", "ids", ids, "inserted", (int)counts[0],
		                      "updated", (int)counts[1]);
		char *data = e ? json_dumps(e, JSON_COMPACT) : NULL;
		json_decref(e);
		if (data)
			events_publish(app->events, "activities", data, where[0] ? where : NULL);
		free(data);
	}
	reply = http_reply_value(rq, counts[0] ? 201 : 200,
	                         json_pack("{s:i, s:i, s:i, s:O}", "inserted", (int)counts[0],
	                                   "updated", (int)counts[1], "unchanged", (int)counts[2],
	                                   "ids", ids),
	                         NULL, NULL);
out:
	json_decref(ids);
	json_decref(doc);
	return reply;
}
