/*
 * api_zones: the zone endpoints. A body is read into a store_zone that
 * borrows from the parsed JSON, checked by zonecheck_zone() (the same checks
 * as the importer's), then stored inside one IMMEDIATE transaction together
 * with the If-Match comparison, so two planners cannot both win.
 */
#include "api_zones.h"

#include "app.h"
#include "err.h"
#include "geojson.h"
#include "log.h"
#include "numtext.h"
#include "timeparse.h"
#include "zonecheck.h"

#include <jansson.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ZONES_PATH      "/api/zones"
#define MAX_ASSIGNMENTS 16

/* Answers a jansson value (taken over) as JSON with optional headers. */
static int reply_zone_json(struct http_request *rq, unsigned status, json_t *v, const char *etag,
                           const char *location)
{
	char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (!text)
		return http_reply_error(rq, 500, NULL, "out of memory");
	return http_reply(rq, status, "application/json; charset=utf-8", (unsigned char *)text,
	                  strlen(text), "Cache-Control", "no-store", "ETag", etag, "Location",
	                  location, NULL);
}

struct collect {
	json_t *features;
	int history;
	int version;                    /* of the last zone seen */
	const char *scope;              /* the credentials' districts ("": all); NULL: every zone */
	int hidden;                     /* zones seen outside scope, left out */
	char district[STORE_SCOPE_MAX]; /* of the last zone seen */
};

static int collect_zone(void *ctx, const struct store_zone_record *z)
{
	struct collect *c = ctx;
	snprintf(c->district, sizeof c->district, "%s",
	         z->zone.district_code ? z->zone.district_code : "");
	if (c->scope && !auth_scope_has(c->scope, z->zone.district_code)) {
		c->hidden++;
		return 0;
	}
	if (c->features)
		json_array_append_new(c->features, geojson_zone_feature(z, c->history));
	c->version = z->version;
	return 0;
}

static int reply_collection(struct http_request *rq, json_t *features)
{
	return reply_zone_json(
	    rq, 200, json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features),
	    NULL, NULL);
}

static void etag_of(int version, char out[24])
{
	snprintf(out, 24, "\"%d\"", version);
}

/* The zone id of a path "/api/zones/{id}[/rest]" into out; *rest points
 * past the id. 0, or 1 when there is none. */
static int path_id(const char *path, char *out, size_t n, const char **rest)
{
	const char *p = path + strlen(ZONES_PATH);
	if (*p != '/' || !p[1])
		return 1;
	p++;
	size_t len = strcspn(p, "/");
	if (len == 0 || len >= n)
		return 1;
	snprintf(out, n, "%.*s", (int)len, p);
	*rest = p + len;
	return 0;
}

static int list_zones(struct http_request *rq, store *st)
{
	const char *active = http_arg(rq, "active"), *service = http_arg(rq, "service");
	if (active && zonecheck_date(active) < 0)
		return http_reply_error(rq, 400, "active", "active: %s", err_msg());
	struct collect c = {json_array(), 0, 0, rq->scope, 0, ""};
	if (store_list_zones(st, active, service, collect_zone, &c) < 0) {
		json_decref(c.features);
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	}
	return reply_collection(rq, c.features);
}

int api_zones_get(struct http_request *rq)
{
	store *st = app_store(rq->app);
	char id[256], etag[24];
	const char *rest;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (strcmp(rq->path, ZONES_PATH) == 0)
		return list_zones(rq, st);
	if (path_id(rq->path, id, sizeof id, &rest))
		return http_reply_error(rq, 404, "id", "expected /api/zones/{id}");
	int history = strcmp(rest, "/history") == 0;
	if (*rest && !history)
		return http_reply_error(rq, 404, NULL, "expected /api/zones/{id} or its /history");
	struct collect c = {json_array(), history, 0, rq->scope, 0, ""};
	int rc = history ? store_zone_history(st, id, collect_zone, &c)
	                 : store_get_zone(st, id, collect_zone, &c);
	if (rc < 0) {
		json_decref(c.features);
		return http_reply_error(rq, rc == ERR_NOTFOUND ? 404 : 500, "id", "%s", err_msg());
	}
	if (c.hidden && !json_array_size(c.features)) {
		json_decref(c.features);
		return http_reply_error(rq, 403, "id", "id: zone %s is outside the districts of %s",
		                        id, rq->who);
	}
	if (history)
		return reply_collection(rq, c.features);
	json_t *feature = json_incref(json_array_get(c.features, 0));
	json_decref(c.features);
	etag_of(c.version, etag);
	return reply_zone_json(rq, 200, feature, etag, NULL);
}

/* A body read into a zone; the zone borrows from doc and the report. */
struct zone_input {
	json_t *doc;
	struct store_assignment as[MAX_ASSIGNMENTS];
	struct store_zone z;
	unsigned char *wkb;
	struct zonecheck_report rep;
	char id[64]; /* a generated id */
};

static void zone_input_free(struct zone_input *in)
{
	json_decref(in->doc);
	free(in->wkb);
	zonecheck_report_free(&in->rep);
}

/* A string property (or null when optional); 1 when it is of another type. */
static int prop_string(json_t *o, const char *name, int required, const char **out)
{
	json_t *v = json_object_get(o, name);
	*out = NULL;
	if (!v || json_is_null(v))
		return required;
	if (!json_is_string(v))
		return 1;
	*out = json_string_value(v);
	return 0;
}

/* Reads assignment i of the properties into a: 0, or ERR_INVALID naming
 * "properties.assignments[i].name". */
static int read_assignment(json_t *o, size_t i, struct store_assignment *a)
{
	const char *start, *end, *days;
	char field[96];
#define FAIL(name, ...)                                                                            \
	do {                                                                                       \
		snprintf(field, sizeof field, "properties.assignments[%zu].%s", i, name);          \
		return err_set_field(ERR_INVALID, field, __VA_ARGS__);                             \
	} while (0)
	if (!json_is_object(o))
		FAIL("service", "an assignment is an object {service, unit, shift_start, "
		                "shift_end, weekdays}");
	if (prop_string(o, "service", 1, &a->service))
		FAIL("service", "a service code (string) is required");
	if (prop_string(o, "unit", 0, &a->unit))
		FAIL("unit", "unit is a string");
	if (prop_string(o, "shift_start", 1, &start) || zonecheck_clock(start, &a->shift.start) < 0)
		FAIL("shift_start", "%s", start ? err_msg() : "a time \"HH:MM\" is required");
	if (prop_string(o, "shift_end", 1, &end) || zonecheck_clock(end, &a->shift.end) < 0)
		FAIL("shift_end", "%s", end ? err_msg() : "a time \"HH:MM\" is required");
	json_t *wd = json_object_get(o, "weekdays");
	a->shift.weekdays = CIVIL_ALL_WEEKDAYS;
	if (json_is_integer(wd)) {
		json_int_t m = json_integer_value(wd);
		a->shift.weekdays = m >= 1 && m <= CIVIL_ALL_WEEKDAYS ? (unsigned)m : 0;
	} else if (json_is_string(wd)) {
		days = json_string_value(wd);
		if (timeparse_weekdays(days, &a->shift.weekdays) < 0)
			FAIL("weekdays", "%s", err_msg());
	} else if (wd && !json_is_null(wd)) {
		FAIL("weekdays", "weekdays are text (\"mon-fri\", \"sat,sun\") or a mask 1..127");
	}
#undef FAIL
	return 0;
}

/* Reads the body of rq as a zone Feature. id_in_path is the id of a PUT
 * (NULL for a POST). 0, or ERR_INVALID naming the field, with *status 400
 * (no JSON) or 422 (not a valid zone). */
static int read_zone(struct http_request *rq, store *st, const char *id_in_path,
                     struct zone_input *in, unsigned *status)
{
	json_error_t jerr;
	memset(in, 0, sizeof *in);
	*status = 400;
	if (!rq->body)
		return err_set_field(ERR_INVALID, "body", "a GeoJSON Feature is required");
	if (!(in->doc = json_loadb(rq->body, rq->body_len, 0, &jerr)))
		return err_set_field(ERR_INVALID, "body",
		                     "invalid JSON at line %d, column %d (byte %d): %s", jerr.line,
		                     jerr.column, jerr.position, jerr.text);
	*status = 422;
	json_t *props = json_object_get(in->doc, "properties");
	json_t *geom = json_object_get(in->doc, "geometry");
	json_t *as = json_object_get(props, "assignments");
	const char *type = json_string_value(json_object_get(in->doc, "type"));
	struct store_zone *z = &in->z;
#define FAIL(name, ...) return err_set_field(ERR_INVALID, name, __VA_ARGS__)
	if (!type || strcmp(type, "Feature") != 0)
		FAIL("type", "a GeoJSON Feature is required");
	if (!json_is_object(props))
		FAIL("properties", "properties must be an object");
	if (prop_string(props, "id", 0, &z->external_id))
		FAIL("properties.id", "id is a string");
	if (id_in_path && z->external_id && strcmp(z->external_id, id_in_path) != 0)
		FAIL("properties.id", "'%s' is not the id of the path, '%s'", z->external_id,
		     id_in_path);
	if (id_in_path)
		z->external_id = id_in_path;
	if (!z->external_id) {
		static atomic_uint counter;
		snprintf(in->id, sizeof in->id, "zone-%lld-%u", (long long)time(NULL),
		         atomic_fetch_add(&counter, 1) + 1);
		z->external_id = in->id;
	}
	if (strchr(z->external_id, '/'))
		FAIL("properties.id", "an id may not contain '/'");
	if (prop_string(props, "name", 1, &z->name))
		FAIL("properties.name", "a name (string) is required");
	if (prop_string(props, "valid_from", 0, &z->valid_from))
		FAIL("properties.valid_from", "a day \"YYYY-MM-DD\" or null");
	if (prop_string(props, "valid_to", 0, &z->valid_to))
		FAIL("properties.valid_to", "a day \"YYYY-MM-DD\" or null");
	if (!json_is_array(as) || json_array_size(as) < 1 || json_array_size(as) > MAX_ASSIGNMENTS)
		FAIL("properties.assignments", "an array of 1 to %d assignments is required",
		     MAX_ASSIGNMENTS);
	for (size_t i = 0; i < json_array_size(as); i++)
		if (read_assignment(json_array_get(as, i), i, &in->as[i]) < 0)
			return ERR_INVALID;
	z->assignments = in->as;
	z->n_assignments = json_array_size(as);
	z->author = rq->who;
	if (!json_is_object(geom))
		FAIL("geometry", "a Polygon or MultiPolygon is required");
	char *geojson = json_dumps(geom, JSON_COMPACT);
	int rc = geojson ? zonecheck_geojson(geojson, &in->wkb, &z->wkb_len, &in->rep)
	                 : err_set(ERR_NOMEM, "out of memory");
	free(geojson);
	z->wkb = in->wkb;
	if (rc < 0 || zonecheck_zone(st, z, &in->rep) < 0)
		return err_set_field(ERR_INVALID, in->rep.field[0] ? in->rep.field : "geometry",
		                     "%s", err_msg());
#undef FAIL
	return 0;
}

/* After a committed change: zones are drawn anew and viewers whose
 * districts it touched (where, joined by ",") hear. */
static void announce_zone(struct app *app, store *st, const char *id, const char *action,
                          int version, const char *where)
{
	if (renderer_reload_shapes(app->r, st) < 0)
		log_msg(LOG_ERROR, 0, "reloading zones: %s", err_msg());
	json_t *o = json_pack("{s:s, s:s, s:i}", "id", id, "action", action, "version", version);
	char *data = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (data)
		events_publish(app->events, "zones", data, where);
	free(data);
}

enum write_kind { WRITE_CREATE, WRITE_REPLACE, WRITE_DELETE };

/* One write in one transaction: the existence, scope and If-Match checks,
 * then the change. 0 with *version the stored version and where the
 * districts it touched (STORE_SCOPE_MAX bytes), or a negative ERR_* naming
 * the field with the answer's *status (400 a bad If-Match, 403 outside the
 * credentials' districts, 404 no such zone, 409 it exists, 412 a stale
 * If-Match, 422 refused by the store, 503 the database). */
static int write_zone(struct http_request *rq, store *st, enum write_kind kind, const char *id,
                      struct zone_input *in, int *version, char *where, unsigned *status)
{
	char was[STORE_SCOPE_MAX] = "", now[STORE_SCOPE_MAX] = "";

	int expected, current = 0, rc;
	const char *field = NULL;
	struct store_put_info info;
	*status = 400;
	if ((rc = app_if_match(rq, &expected)) < 0)
		return rc;
	*status = 503;
	if ((rc = store_begin(st)) < 0)
		return err_set(rc, "database busy: %s", err_msg());
	rc = store_zone_version(st, id, &current);
	if (rc == ERR_NOTFOUND && kind != WRITE_CREATE) {
		*status = 404, field = "id";
		goto fail;
	}
	if (rc == 0 && kind == WRITE_CREATE) {
		rc = err_set(ERR_CONFLICT,
		             "zone '%s' exists (version %d); PUT /api/zones/%s replaces it", id,
		             current, id);
		*status = 409, field = "properties.id";
		goto fail;
	}
	if (rc < 0 && rc != ERR_NOTFOUND)
		goto fail;
	if ((rc = app_zone_in_scope(rq, st, id, "id", was)) < 0) {
		*status = 403, field = "id";
		goto fail;
	}
	if (expected >= 0 && expected != current) {
		rc =
		    err_set(ERR_CONFLICT,
		            "zone '%s' is at version %d, not %d: someone changed it; read it again",
		            id, current, expected);
		*status = 412, field = "If-Match";
		goto fail;
	}
	if (kind == WRITE_DELETE)
		rc = store_delete_zone(st, id, rq->who, version);
	else if ((rc = store_put_zone(st, &in->z, rq->who, &info)) == 0 &&
	         (rc = app_zone_in_scope(rq, st, id, "geometry", now)) == 0)
		rc = store_zone_version(st, id, version);
	if (rc == ERR_FORBIDDEN) {
		*status = 403, field = "geometry";
		goto fail;
	}
	if (rc == 0)
		rc = store_commit(st);
	if (rc == 0) {
		/* Two district codes: they fit. */
		where[0] = '\0';
		app_where_add(where, was);
		if (kind != WRITE_DELETE)
			app_where_add(where, now);
		return 0;
	}
	if (rc == ERR_INVALID || rc == ERR_GEOMETRY)
		*status = 422, field = "geometry";
fail:;
	char msg[512];
	snprintf(msg, sizeof msg, "%s", err_msg());
	store_rollback(st);
	return err_set_field(rc, field, "%s", msg);
}

/* POST and PUT: store the body's zone and answer it as stored. */
static int put_zone(struct http_request *rq, enum write_kind kind, const char *id_in_path)
{
	struct app *app = rq->app;
	store *st = app_store(app);
	struct zone_input in;
	unsigned status;
	int reply, version;
	char where[STORE_SCOPE_MAX];
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (read_zone(rq, st, id_in_path, &in, &status) < 0 ||
	    write_zone(rq, st, kind, in.z.external_id, &in, &version, where, &status) < 0) {
		reply = app_refuse(rq, status);
		goto out;
	}
	announce_zone(app, st, in.z.external_id, kind == WRITE_CREATE ? "create" : "update",
	              version, where);
	struct collect c = {json_array(), 0, 0, NULL, 0, ""};
	if (store_get_zone(st, in.z.external_id, collect_zone, &c) < 0) {
		json_decref(c.features);
		reply = http_reply_error(rq, 500, NULL, "%s", err_msg());
		goto out;
	}
	json_t *feature = json_incref(json_array_get(c.features, 0));
	json_decref(c.features);
	if (in.rep.repaired)
		json_object_set_new(json_object_get(feature, "properties"), "repaired",
		                    json_string(in.rep.reason));
	char etag[24], location[300];
	etag_of(version, etag);
	snprintf(location, sizeof location, ZONES_PATH "/%s", in.z.external_id);
	reply = reply_zone_json(rq, kind == WRITE_CREATE ? 201 : 200, feature, etag,
	                        kind == WRITE_CREATE ? location : NULL);
out:
	zone_input_free(&in);
	return reply;
}

int api_zones_post(struct http_request *rq)
{
	if (strcmp(rq->path, ZONES_PATH) != 0)
		return http_reply_error(rq, 404, NULL, "POST /api/zones creates a zone");
	return put_zone(rq, WRITE_CREATE, NULL);
}

int api_zones_put(struct http_request *rq)
{
	char id[256];
	const char *rest;
	if (path_id(rq->path, id, sizeof id, &rest) || *rest)
		return http_reply_error(rq, 404, "id", "expected PUT /api/zones/{id}");
	return put_zone(rq, WRITE_REPLACE, id);
}

int api_zones_delete(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = app_store(app);
	char id[256];
	const char *rest;
	unsigned status;
	int version;
	char where[STORE_SCOPE_MAX];
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (path_id(rq->path, id, sizeof id, &rest) || *rest)
		return http_reply_error(rq, 404, "id", "expected DELETE /api/zones/{id}");
	if (write_zone(rq, st, WRITE_DELETE, id, NULL, &version, where, &status) < 0)
		return app_refuse(rq, status);
	announce_zone(app, st, id, "delete", version, where);
	return http_reply(rq, 204, "application/json", NULL, 0, NULL);
}
