/*
 * geojson: the features the API and the WMS's GetFeatureInfo both answer,
 * built in one place so that the two cannot describe one thing apart.
 */
#include "geojson.h"

#include "err.h"
#include "tilemath.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void geojson_iso_time(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *geojson_time(int64_t t)
{
	char buf[32];
	if (t == STORE_NO_TIME)
		return json_null();
	geojson_iso_time(t, buf, sizeof buf);
	return json_string(buf);
}

json_t *geojson_text(const char *t)
{
	return t ? json_string(t) : json_null();
}

/* {"code": count, ...} of the nonzero entries of counts. */
json_t *geojson_counts(const dataset *ds, const double *counts, size_t n, int services)
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

/* The names and people of a mahalla (a store_list_areas() callback). */
static int mahalla_names(void *ctx, const struct store_area_record *r)
{
	const struct store_area *a = &r->area;
	json_t **o = ctx;
	*o =
	    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "code", geojson_text(a->code),
	              "name_uz", geojson_text(a->name_uz), "name_ru", geojson_text(a->name_ru),
	              "name_en", geojson_text(a->name_en), "district",
	              geojson_text(a->district_code), "inspector", geojson_text(a->inspector),
	              "population", a->population >= 0 ? json_integer(a->population) : json_null());
	return 0;
}

json_t *geojson_mahalla_figures(store *st, const dataset *ds, const char *code,
                                const struct dataset_filter *f)
{
	json_t *o = NULL;
	if (store_list_areas(st, STORE_MAHALLAS, code, 0, mahalla_names, &o) < 0)
		return NULL;
	if (!o) {
		err_set(ERR_NOTFOUND, "no mahalla has the code '%s'", code);
		return NULL;
	}
	long population = (long)json_integer_value(json_object_get(o, "population"));
	int m = dataset_mahalla_index(ds, code);
	size_t nc = dataset_category_count(ds), ns = dataset_service_count(ds);
	double *by_cat = calloc(nc + 1, sizeof *by_cat), *by_svc = calloc(ns + 1, sizeof *by_svc);
	double total = m >= 0 ? dataset_tally(ds, f, m, by_cat, by_svc) : 0;
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
	json_object_set_new(o, "by_category", geojson_counts(ds, by_cat, nc, 0));
	json_object_set_new(o, "by_service", geojson_counts(ds, by_svc, ns, 1));
	free(by_cat);
	free(by_svc);
	return o;
}

/* How far from a point its street may be, ground metres: the street the
 * house faces, not the next one. */
#define STREET_REACH 60.0

struct offence_features {
	json_t *features;
	const struct geojson_streets *streets;
};

/* The street of a point from the ground (NULL when none is near). */
static const char *street_of(const struct geojson_streets *s, double lon, double lat)
{
	const struct ground_feature *f = NULL;
	double x, y;
	if (!s || !s->ground || tile_lonlat_to_merc(lon, lat, &x, &y) < 0 ||
	    ground_street_near(s->ground, x, y, STREET_REACH / tile_scale_factor(lat), &f) < 0 ||
	    !f)
		return NULL;
	return ground_name(f, s->lang);
}

/* An offence as a Feature into an array (a store_get_offence() callback);
 * one without a point is placed at 0, 0. */
static int offence_feature(void *ctx, const struct store_offence_row *r)
{
	struct offence_features *of = ctx;
	const struct store_offence *o = &r->o;
	json_t *props = json_pack(
	    "{s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:o}", "id",
	    geojson_text(o->external_id), "from", geojson_time(o->occurred_from), "to",
	    geojson_time(o->occurred_to), "precision", time_precision_name(o->precision),
	    "category", geojson_text(o->category), "service", geojson_text(o->service), "mahalla",
	    geojson_text(o->mahalla_code), "status", geojson_text(o->status), "address",
	    geojson_text(o->address), "located_by", store_located_by(o), "street",
	    geojson_text(o->has_point ? street_of(of->streets, o->lon, o->lat) : NULL));
	json_array_append_new(of->features,
	                      json_pack("{s:s, s:o, s:{s:s, s:[f,f]}}", "type", "Feature",
	                                "properties", props, "geometry", "type", "Point",
	                                "coordinates", o->lon, o->lat));
	return 0;
}

json_t *geojson_offences(store *st, const int64_t *ids, size_t n,
                         const struct geojson_streets *streets)
{
	struct offence_features of = {json_array(), streets};
	for (size_t i = 0; i < n; i++)
		store_get_offence(st, ids[i], NULL, offence_feature, &of);
	return of.features;
}

/* Minutes 0..1440 as "HH:MM". */
static void clock_text(int minutes, char out[8])
{
	unsigned m = (unsigned)minutes % 1441;
	snprintf(out, 8, "%02u:%02u", m / 60, m % 60);
}

/* A weekday mask as timeparse_weekdays() reads it back: "mon-fri",
 * "fri-sun", "mon,wed,fri"; runs may wrap past Sunday. */
static void weekdays_text(unsigned mask, char *out, size_t n)
{
	static const char *const names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	size_t len = 0;
	int start = 0;
	out[0] = '\0';
	mask &= 127;
	if (mask == 127) {
		snprintf(out, n, "mon-sun");
		return;
	}
	/* Begin at a day that starts a run, so a run over Sunday stays whole. */
	while (start < 7 && !((mask >> start) & 1 && !((mask >> ((start + 6) % 7)) & 1)))
		start++;
	for (int i = 0; i < 7;) {
		int d = (start + i) % 7, run = 0;
		while (i + run < 7 && (mask >> ((start + i + run) % 7)) & 1)
			run++;
		if (run) {
			int w = snprintf(out + len, len < n ? n - len : 0, "%s%s%s%s",
			                 len ? "," : "", names[d], run > 1 ? "-" : "",
			                 run > 1 ? names[(d + run - 1) % 7] : "");
			len += w > 0 ? (size_t)w : 0;
		}
		i += run ? run : 1;
	}
}

/* Whether two services share one shift: the same hours on a common day. */
static int is_joint(const struct store_zone *z)
{
	for (size_t i = 0; i < z->n_assignments; i++)
		for (size_t j = i + 1; j < z->n_assignments; j++) {
			const struct store_assignment *a = &z->assignments[i],
			                              *b = &z->assignments[j];
			if (a->shift.start == b->shift.start && a->shift.end == b->shift.end &&
			    (a->shift.weekdays & b->shift.weekdays) &&
			    strcmp(a->service, b->service) != 0)
				return 1;
		}
	return 0;
}

json_t *geojson_zone_feature(const struct store_zone_record *r, int history)
{
	const struct store_zone *z = &r->zone;
	json_t *as = json_array();
	for (size_t i = 0; i < z->n_assignments; i++) {
		const struct store_assignment *a = &z->assignments[i];
		char start[8], end[8], days[64];
		clock_text(a->shift.start, start);
		clock_text(a->shift.end, end);
		weekdays_text(a->shift.weekdays, days, sizeof days);
		json_array_append_new(
		    as, json_pack("{s:s, s:o, s:s, s:s, s:s, s:i}", "service", a->service, "unit",
		                  geojson_text(a->unit), "shift_start", start, "shift_end", end,
		                  "weekdays", days, "weekdays_mask", (int)a->shift.weekdays));
	}
	json_t *props =
	    json_pack("{s:s, s:o, s:o, s:o, s:i, s:o, s:o, s:b}", "id", z->external_id, "name",
	              geojson_text(z->name), "valid_from", geojson_text(z->valid_from), "valid_to",
	              geojson_text(z->valid_to), "version", r->version, "author",
	              geojson_text(z->author), "assignments", as, "joint", is_joint(z));
	json_object_set_new(props, r->current ? "updated_at" : "replaced_at", geojson_time(r->at));
	if (history) {
		json_object_set_new(props, "current", json_boolean(r->current));
		json_object_set_new(props, "deleted", json_boolean(r->deleted));
	}
	json_t *geom = r->geojson ? json_loads(r->geojson, 0, NULL) : NULL;
	return json_pack("{s:s, s:s, s:o, s:o}", "type", "Feature", "id", z->external_id,
	                 "properties", props, "geometry", geom ? geom : json_null());
}

/* The zone's versions into an array (a store_list_zones() callback). */
static int collect_version(void *ctx, const struct store_zone_record *z)
{
	json_array_append_new(ctx, geojson_zone_feature(z, 0));
	return 0;
}

json_t *geojson_zone(store *st, const char *id)
{
	json_t *found = json_array(), *feature = NULL;
	if (store_get_zone(st, id, collect_version, found) == 0)
		feature = json_incref(json_array_get(found, 0));
	json_decref(found);
	return feature;
}

json_t *geojson_task_feature(const struct store_task *t, int overdue)
{
	json_t *to = json_array();
	for (size_t i = 0; i < t->n_to; i++) {
		const struct store_task_receiver *r = &t->to[i];
		json_array_append_new(to, json_pack("{s:s, s:o, s:o, s:o}", "service", r->service,
		                                    "unit", geojson_text(r->unit), "status",
		                                    geojson_text(r->status), "note",
		                                    geojson_text(r->note)));
	}
	json_t *place =
	    json_pack("{s:s, s:o}", "kind", t->place_kind, "code", geojson_text(t->place_ref));
	json_t *props = json_pack(
	    "{s:s, s:s, s:o, s:{s:s, s:o}, s:o, s:o, s:o, s:s, s:b, s:o, s:o, s:o, s:i, s:o, s:o}",
	    "id", t->external_id, "text", t->text, "place", place, "from", "service",
	    t->from_service, "unit", geojson_text(t->from_unit), "to", to, "due",
	    geojson_text(t->due), "priority", geojson_text(t->priority), "status", t->status,
	    "overdue", overdue, "mahalla", geojson_text(t->mahalla_code), "district",
	    geojson_text(t->district_code), "author", geojson_text(t->author), "version",
	    t->version, "created", geojson_time(t->created), "updated", geojson_time(t->updated));
	return json_pack("{s:s, s:s, s:o, s:{s:s, s:[f, f]}}", "type", "Feature", "id",
	                 t->external_id, "properties", props, "geometry", "type", "Point",
	                 "coordinates", t->lon, t->lat);
}

/* Where a reader finds the record now. */
static json_t *href(const struct store_feed_entry *c)
{
	static const struct {
		const char *entity, *path;
	} paths[] = {{"zone", "/api/zones/"},
	             {"task", "/api/tasks/"},
	             {"activity", "/api/activities/"},
	             {"offence", "/api/offences/"}};
	char text[512];
	if (strcmp(c->action, "delete") == 0)
		return json_null();
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (strcmp(c->entity, paths[i].entity) == 0) {
			snprintf(text, sizeof text, "%s%s", paths[i].path, c->id);
			return json_string(text);
		}
	return json_null();
}

json_t *geojson_change(const struct store_feed_entry *c)
{
	return json_pack("{s:I, s:o, s:s, s:s, s:s, s:o, s:o, s:o}", "seq", (json_int_t)c->seq,
	                 "at", geojson_time(c->at), "entity", c->entity, "id", c->id, "action",
	                 c->action, "version", c->version ? json_integer(c->version) : json_null(),
	                 "district", geojson_text(c->district), "href", href(c));
}
