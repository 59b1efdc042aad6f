/*
 * api_offences: the offences over HTTP (docs/api.md, "Offences"): pages of
 * them under a filter for viewers, and the live ingest with corrections
 * and deletions for officers.
 *
 * A write is committed and audited before its answer; then the renderer
 * takes the change in (only tiles near it change) and open viewers hear
 * of it.
 */
#include "api_offences.h"

#include "app.h"
#include "err.h"
#include "geojson.h"
#include "log.h"
#include "numtext.h"
#include "query.h"
#include "tilemath.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FEATURES 10000
#define PAGE_MAX     5000

struct page {
	long offset, limit, seen; /* seen: every offence of the walk, so the matched count */
	int64_t *ids;
	size_t n;
};

/* Keeps the page's ids and counts on past it: a client showing one page
 * (the viewer's popup) says how many more there are. */
static int collect_page(void *ctx, const struct dataset_offence *o)
{
	struct page *p = ctx;
	if (p->seen++ >= p->offset && (long)p->n < p->limit)
		p->ids[p->n++] = o->id;
	return 0;
}

static const char *stored_district(store *st, const char *external_id, char *out);

/* GET /api/offences/{id}: the offence as stored, as a Feature. */
static int get_one(struct http_request *rq, store *st, const char *ext)
{
	struct app *app = rq->app;
	char district[STORE_SCOPE_MAX];
	int64_t id;
	struct render_request q = {0};
	if (store_offence_id(st, ext, &id) < 0)
		return http_reply_error(rq, 404, "id", "id: no offence has the id '%s'", ext);
	if (!auth_scope_has(rq->scope, stored_district(st, ext, district)))
		return http_reply_error(
		    rq, 403, "id", "id: offence %s is outside the districts of %s", ext, rq->who);
	if (query_names(rq, "lang", &q) < 0)
		return app_reply_error(rq);
	struct held_ground *held;
	struct geojson_streets streets = {renderer_ground_acquire(app->r, &held), q.names.lang};
	json_t *features = geojson_offences(st, &id, 1, &streets);
	renderer_ground_release(app->r, held);
	json_t *f = json_incref(json_array_get(features, 0));
	json_decref(features);
	if (!f)
		return http_reply_error(rq, 404, "id", "id: no offence has the id '%s'", ext);
	return http_reply_value(rq, 200, f, "Cache-Control", "no-store");
}

int api_offences_get(struct http_request *rq)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	store *st = app_store(app);
	struct render_request q = {0};
	struct page p = {.limit = 1000};
	double box[4];
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (strncmp(rq->path, "/api/offences/", 14) == 0 && rq->path[14])
		return get_one(rq, st, rq->path + 14);
	if (query_filter(rq, ds, &q) < 0 ||
	    query_whole(rq, "limit", 1, PAGE_MAX, "a whole number", &p.limit) < 0 ||
	    query_whole(rq, "offset", 0, 100000000, "a whole number", &p.offset) < 0)
		return app_reply_error(rq);
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
	/* The streets' names in lang, as the base layer's tiles take it. */
	if (query_names(rq, "lang", &q) < 0)
		return app_reply_error(rq);
	if (!(p.ids = malloc((size_t)p.limit * sizeof *p.ids)))
		return http_reply_error(rq, 503, NULL, "out of memory");
	dataset_each(ds, box, &q.filter, collect_page, &p);
	struct held_ground *held;
	struct geojson_streets streets = {renderer_ground_acquire(app->r, &held), q.names.lang};
	json_t *features = geojson_offences(st, p.ids, p.n, &streets);
	renderer_ground_release(app->r, held);
	free(p.ids);
	json_t *o = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
	json_object_set_new(o, "next_offset",
	                    p.seen > p.offset + p.limit ? json_integer(p.offset + p.limit)
	                                                : json_null());
	json_object_set_new(o, "matched", json_integer(p.seen));
	return http_reply_value(rq, 200, o, NULL, NULL);
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

/* Where in a Feature the field store_check_offence() names is. */
static const char *feature_field(const char *field)
{
	static const char *const where[][2] = {
	    {"id", "properties.id"},         {"from", "properties.from"},
	    {"to", "properties.to"},         {"severity", "properties.severity"},
	    {"lon", "geometry.coordinates"}, {"lat", "geometry.coordinates"},
	};
	for (size_t i = 0; field && i < sizeof where / sizeof where[0]; i++)
		if (strcmp(field, where[i][0]) == 0)
			return where[i][1];
	return "geometry";
}

/* Reads feature f (number i) into o: 0, or ERR_INVALID naming the field
 * ("features[i].properties.time"). */
static int feature_offence(struct app *app, store *st, json_t *f, size_t i, struct store_offence *o)
{
	char field[96];
	json_t *props = json_object_get(f, "properties");
	json_t *geom = json_object_get(f, "geometry");
	int wrong = 0;
	memset(o, 0, sizeof *o);
	o->occurred_from = o->occurred_to = o->reported_at = STORE_NO_TIME;
#define FAIL(fieldname, ...)                                                                       \
	do {                                                                                       \
		snprintf(field, sizeof field, "features[%zu].%s", i, fieldname);                   \
		return err_set_field(ERR_INVALID, field, __VA_ARGS__);                             \
	} while (0)
	if (!json_is_object(f) || !json_is_string(json_object_get(f, "type")) ||
	    strcmp(json_string_value(json_object_get(f, "type")), "Feature") != 0)
		FAIL("type", "not a GeoJSON Feature");
	if (!json_is_object(props))
		FAIL("properties", "properties must be an object");
	o->external_id = prop_text(props, "id", &wrong);
	if (wrong || !o->external_id)
		FAIL("properties.id", "id: a string of 1 to %d characters is required",
		     STORE_ID_MAX);
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
		o->occurred_from = a.from;
		o->occurred_to = b.to;
		o->precision = PREC_SPAN;
	} else {
		FAIL("properties.time", "time (or from and to) is required");
	}
	o->category = prop_text(props, "category", &wrong);
	if (wrong || (o->category && store_code_exists(st, STORE_CATEGORIES, o->category) != 1))
		FAIL("properties.category", "unknown category '%s'",
		     o->category ? o->category : "");
	o->service = prop_text(props, "service", &wrong);
	if (wrong || (o->service && store_code_exists(st, STORE_SERVICES, o->service) != 1))
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
		o->has_point = 1;
	}
	if (store_check_offence(o) < 0)
		FAIL(feature_field(err_field()), "%s", err_msg());
#undef FAIL
	return 0;
}

/* Where a write happened, for the event: lon/lat (empty when unknown) and
 * the districts it touched, whose streams hear of it. */
struct where {
	double w, s, e, n;
	int any;
	char districts[STORE_SCOPE_MAX];
	int everywhere; /* too many districts to name: every stream hears */
};

/* Adds district (NULL or "": none) to the districts b touched. */
static void where_district(struct where *b, const char *district)
{
	if (app_where_add(b->districts, district) < 0)
		b->everywhere = 1;
}

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
		events_publish(app->events, "offences", data,
		               b && !b->everywhere ? b->districts : NULL);
	free(data);
}

static int copy_district(void *ctx, const struct store_offence_row *r)
{
	snprintf(ctx, STORE_SCOPE_MAX, "%s", r->o.district_code ? r->o.district_code : "");
	return 0;
}

/* The district of the stored offence external_id into out[STORE_SCOPE_MAX]
 * ("" for none); NULL when there is no such offence. */
static const char *stored_district(store *st, const char *external_id, char *out)
{
	out[0] = '\0';
	return store_get_offence(st, 0, external_id, copy_district, out) == 0 ? out : NULL;
}

/* Refuses (ERR_FORBIDDEN naming field) a write to an offence in district
 * ("": none), what it was or what the write makes it, outside the
 * districts rq's credentials reach; NULL (a new offence) passes. */
static int check_scope(struct http_request *rq, const char *external_id, const char *district,
                       const char *field)
{
	if (!district || auth_scope_has(rq->scope, district))
		return 0;
	return err_set_field(ERR_FORBIDDEN, field,
	                     "%s: offence %s would touch %s, outside the districts of %s", field,
	                     external_id, district[0] ? district : "no district", rq->who);
}

/* The store id of an offence, 0 when there is none. */
static int64_t offence_id(store *st, const char *external_id)
{
	int64_t id = 0;
	return store_offence_id(st, external_id, &id) < 0 ? 0 : id;
}

int api_offences_post(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = app_store(app);
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
		if (feature_offence(app, st, json_array_get(features, i), i, &o) < 0) {
			snprintf(field, sizeof field, "%s", err_field());
			snprintf(msg, sizeof msg, "%s", err_msg());
			store_rollback(st);
			json_decref(ids);
			reply = http_reply_error(rq, 422, field, "%s: %s", field, msg);
			goto out;
		}
		snprintf(field, sizeof field, "features[%zu].%s", i,
		         o.has_point ? "geometry" : "properties.mahalla");
		char was[STORE_SCOPE_MAX];
		int rc =
		    check_scope(rq, o.external_id, stored_district(st, o.external_id, was), field);
		if (rc == 0 && (rc = store_put_offence(st, &o, &info)) == 0)
			rc = check_scope(rq, o.external_id, info.district, field);
		if (rc < 0) {
			snprintf(msg, sizeof msg, "%s", err_msg());
			store_rollback(st);
			json_decref(ids);
			reply = rc == ERR_FORBIDDEN ? http_reply_error(rq, 403, field, "%s", msg)
			                            : http_reply_error(rq, 422, "features",
			                                               "feature %zu: %s", i, msg);
			goto out;
		}
		counts[info.change]++;
		if (info.change != STORE_UNCHANGED) {
			where_add(&where, &o);
			where_district(&where, was);
			where_district(&where, info.district);
		}
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
	reply = http_reply_value(rq, 201,
	                         json_pack("{s:i, s:i, s:i, s:o}", "inserted",
	                                   (int)counts[STORE_INSERTED], "updated",
	                                   (int)counts[STORE_UPDATED], "unchanged",
	                                   (int)counts[STORE_UNCHANGED], "ids", ids),
	                         NULL, NULL);
out:
	free(updated);
	json_decref(features);
	json_decref(doc);
	return reply;
}

int api_offence_delete(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = app_store(app);
	const char *ext = rq->path + strlen("/api/offences/");
	int64_t id;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (store_begin(st) < 0)
		return http_reply_error(rq, 503, NULL, "database busy: %s", err_msg());
	struct where where = {0};
	char was[STORE_SCOPE_MAX];
	int rc = check_scope(rq, ext, stored_district(st, ext, was), "id");
	where_district(&where, was);
	if (rc == 0)
		rc = store_delete_offence(st, ext, &id);
	if (rc == 0)
		rc = store_audit(st, rq->who, "delete", "offence", ext, NULL);
	if (rc == 0)
		rc = store_commit(st);
	if (rc < 0) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", err_msg());
		store_rollback(st);
		return http_reply_error(rq,
		                        rc == ERR_FORBIDDEN  ? 403
		                        : rc == ERR_NOTFOUND ? 404
		                                             : 503,
		                        "id", "%s", msg);
	}
	announce(app, st, &id, 1, &where);
	return http_reply_value(rq, 200, json_pack("{s:s, s:b}", "id", ext, "deleted", 1), NULL,
	                        NULL);
}

/* A stored record's properties and geometry, for a patch to go over. */
struct stored {
	json_t *props, *geom;
	char district[STORE_SCOPE_MAX]; /* "": none */
};

/* A store_get_offence() callback; a record without a time reads as the
 * epoch, as the patch has always seen it. */
static int stored_feature(void *ctx, const struct store_offence_row *r)
{
	struct stored *out = ctx;
	const struct store_offence *o = &r->o;
	char from[32], to[32];
	geojson_iso_time(o->occurred_from == STORE_NO_TIME ? 0 : o->occurred_from, from,
	                 sizeof from);
	geojson_iso_time(o->occurred_to == STORE_NO_TIME ? 0 : o->occurred_to, to, sizeof to);
	out->props =
	    json_pack("{s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	              geojson_text(o->external_id), "from", from, "to", to, "category",
	              geojson_text(o->category), "service", geojson_text(o->service), "article",
	              geojson_text(o->article), "status", geojson_text(o->status), "address",
	              geojson_text(o->address), "mahalla", geojson_text(o->mahalla_code));
	snprintf(out->district, sizeof out->district, "%s",
	         o->district_code ? o->district_code : "");
	out->geom = o->has_point ? json_pack("{s:s, s:[f,f]}", "type", "Point", "coordinates",
	                                     o->lon, o->lat)
	                         : json_null();
	return 0;
}

/* PATCH: the stored record with the body's properties over it. */
int api_offence_patch(struct http_request *rq)
{
	struct app *app = rq->app;
	store *st = app_store(app);
	const char *ext = rq->path + strlen("/api/offences/");
	json_error_t jerr;
	int reply;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	json_t *patch = rq->body ? json_loadb(rq->body, rq->body_len, 0, &jerr) : NULL;
	if (!json_is_object(patch)) {
		json_decref(patch);
		return http_reply_error(rq, 400, "body", "a JSON object of properties is required");
	}
	struct stored was = {NULL, NULL, ""};
	if (store_get_offence(st, 0, ext, stored_feature, &was) < 0) {
		json_decref(patch);
		return http_reply_error(rq, 404, "id", "no offence has the id '%s'", ext);
	}
	json_t *props = was.props, *geom = was.geom;
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
	char msg[512];
	if (feature_offence(app, st, feature, 0, &o) < 0) {
		reply = http_reply_error(rq, 422, err_field() + strlen("features[0]."), "%s",
		                         err_msg());
		goto out;
	}
	if (store_begin(st) < 0) {
		reply = http_reply_error(rq, 503, NULL, "database busy: %s", err_msg());
		goto out;
	}
	const char *field = o.has_point ? "geometry" : "properties.mahalla";
	int rc = check_scope(rq, ext, was.district, "id");
	if (rc == 0 && (rc = store_put_offence(st, &o, &info)) == 0)
		rc = check_scope(rq, ext, info.district, field);
	if (rc == 0)
		rc = store_audit(st, rq->who, "update", "offence", ext, rq->body);
	if (rc == 0)
		rc = store_commit(st);
	if (rc < 0) {
		char efield[96];
		snprintf(msg, sizeof msg, "%s", err_msg());
		snprintf(efield, sizeof efield, "%s", err_field());
		store_rollback(st);
		reply = rc == ERR_FORBIDDEN ? http_reply_error(rq, 403, efield, "%s", msg)
		                            : http_reply_error(rq, 422, "properties", "%s", msg);
		goto out;
	}
	int64_t id = offence_id(st, ext);
	struct where where = {0};
	where_add(&where, &o);
	where_district(&where, was.district);
	where_district(&where, info.district);
	if (info.change == STORE_UPDATED)
		announce(app, st, &id, 1, &where);
	reply = http_reply_value(
	    rq, 200, json_pack("{s:s, s:b}", "id", ext, "changed", info.change == STORE_UPDATED),
	    NULL, NULL);
out:
	json_decref(feature);
	json_decref(patch);
	return reply;
}
