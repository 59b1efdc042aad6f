/*
 * store: the database URL's choice of backend, the checks every backend
 * shares, and the dispatch of each public function through the backend's
 * table (storebackend.h). What needs no database is done here once: the
 * checks of ids, names, ranges and fix order, and the merge of a live
 * track's fixes, so that a second backend implements storage only.
 */
#include "store.h"

#include "err.h"
#include "storebackend.h"
#include "tilemath.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Backends by URL scheme; a URL without a scheme is a SpatiaLite path. */
static const struct {
	const char *scheme; /* "sqlite:" takes what follows as the path */
	const struct store_backend *backend;
	int keep_scheme; /* hand the whole URL on ("file:" URIs) */
} schemes[] = {
    {"sqlite:", &spl_backend, 0},
    {"file:", &spl_backend, 1},
};

/* The length of url's "scheme://" prefix, 0 when it has none. */
static size_t scheme_length(const char *url)
{
	size_t n = 0;
	if (!isalpha((unsigned char)url[0]))
		return 0;
	while (isalnum((unsigned char)url[n]) || url[n] == '+' || url[n] == '-' || url[n] == '.')
		n++;
	return strncmp(url + n, "://", 3) == 0 ? n + 3 : 0;
}

int store_open(const char *url, int flags, store **out)
{
	*out = NULL;
	if (!url || !*url)
		return err_set(ERR_INVALID, "no database given");
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		size_t n = strlen(schemes[i].scheme);
		if (strncmp(url, schemes[i].scheme, n) != 0)
			continue;
		const char *target = url;
		if (!schemes[i].keep_scheme) {
			target = url + n;
			if (strncmp(target, "//", 2) == 0)
				target += 2; /* sqlite:///abs/path */
		}
		if (!*target)
			return err_set(ERR_INVALID, "%s: no database path", url);
		return schemes[i].backend->open(target, flags, out);
	}
	size_t n = scheme_length(url);
	if (n && (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0))
		return err_set(ERR_UNSUPPORTED,
		               "%.*s: this build has no PostgreSQL backend; give a SpatiaLite file",
		               (int)(n - 3), url);
	if (n)
		return err_set(ERR_UNSUPPORTED,
		               "%.*s:// databases are not supported; give a SpatiaLite file "
		               "(a path or sqlite:PATH)",
		               (int)(n - 3), url);
	return spl_backend.open(url, flags, out);
}

/* Set once before the stores are opened (store.h), read after. */
static void (*notice)(const char *line);

void store_set_notice(void (*fn)(const char *line))
{
	notice = fn;
}

void store_notice(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	if (!notice)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	notice(line);
}

void store_close(store *st)
{
	if (st)
		st->ops->close(st);
}

const char *store_backend_name(const store *st)
{
	return st->ops->name;
}

const char *store_path(store *st)
{
	return st->ops->path ? st->ops->path(st) : NULL;
}

int store_schema_version(store *st)
{
	return st->ops->schema_version(st);
}

int store_backup(store *st, const char *dest, int flags)
{
	if (!dest || !*dest)
		return err_set(ERR_INVALID, "no file to copy the database to");
	return st->ops->backup(st, dest, flags);
}

int store_check_integrity(store *st)
{
	return st->ops->check_integrity(st);
}

int store_begin(store *st)
{
	return st->ops->begin(st);
}

int store_commit(store *st)
{
	return st->ops->commit(st);
}

int store_rollback(store *st)
{
	return st->ops->rollback(st);
}

int store_savepoint(store *st, const char *name)
{
	return st->ops->savepoint(st, name);
}

int store_release(store *st, const char *name)
{
	return st->ops->release(st, name);
}

int store_rollback_to(store *st, const char *name)
{
	return st->ops->rollback_to(st, name);
}

int store_bulk_begin(store *st)
{
	return st->ops->bulk_begin(st);
}

int store_bulk_end(store *st)
{
	return st->ops->bulk_end(st);
}

int store_page_cache(store *st, long kib, long *was)
{
	if (kib < 1)
		return err_set_field(ERR_INVALID, "cache", "store: a page cache of %ld KiB", kib);
	return st->ops->page_cache(st, kib, was);
}

static int put_area(store *st, enum store_area_kind kind, const struct store_area *a,
                    struct store_put_info *info)
{
	memset(info, 0, sizeof *info);
	if (!a->code || !*a->code)
		return err_set(ERR_INVALID, "%s without a code", store_area_kind_name(kind));
	return st->ops->put_area(st, kind, a, info);
}

const char *store_area_kind_name(enum store_area_kind kind)
{
	static const char *const names[STORE_AREA_KINDS] = {[STORE_DISTRICTS] = "district",
	                                                    [STORE_MAHALLAS] = "mahalla",
	                                                    [STORE_REGIONS] = "region"};
	return names[kind];
}

int store_put_district(store *st, const struct store_area *a, struct store_put_info *info)
{
	return put_area(st, STORE_DISTRICTS, a, info);
}

int store_put_mahalla(store *st, const struct store_area *a, struct store_put_info *info)
{
	return put_area(st, STORE_MAHALLAS, a, info);
}

int store_put_region(store *st, const struct store_area *a, struct store_put_info *info)
{
	return put_area(st, STORE_REGIONS, a, info);
}

int store_region_districts(store *st, const char *regions, char *out, size_t n)
{
	return st->ops->region_districts(st, regions, out, n);
}

int store_list_areas(store *st, enum store_area_kind kind, const char *code, int geojson,
                     store_area_fn fn, void *ctx)
{
	return st->ops->list_areas(st, kind, code, geojson, fn, ctx);
}

int store_area_extent(store *st, struct store_extent *e)
{
	return st->ops->area_extent(st, e);
}

static int take_area(void *ctx, const struct store_area_record *a)
{
	struct store_area_found *out = ctx;
	out->found = 1;
	memcpy(out->box, a->box, sizeof out->box);
	snprintf(out->district_code, sizeof out->district_code, "%s",
	         a->area.district_code ? a->area.district_code : "");
	snprintf(out->region_code, sizeof out->region_code, "%s",
	         a->area.region_code ? a->area.region_code : "");
	return 0;
}

int store_find_area(store *st, enum store_area_kind kind, const char *code,
                    struct store_area_found *out)
{
	memset(out, 0, sizeof *out);
	return store_list_areas(st, kind, code, 0, take_area, out);
}

int store_time_zone(store *st, char *out, size_t n)
{
	int rc = st->ops->time_zone(st, out, n);
	if (rc == 0 && !out[0])
		snprintf(out, n, "%s", STORE_DEFAULT_TZ);
	return rc;
}

int store_area_m2(store *st, double *m2)
{
	return st->ops->area_m2(st, m2);
}

int store_area_reach(store *st, const unsigned char *wkb, size_t len, struct store_reach *out)
{
	memset(out, 0, sizeof *out);
	if (!wkb || !len)
		return err_set(ERR_INVALID, "no polygon given");
	return st->ops->area_reach(st, wkb, len, out);
}

static int put_code(store *st, enum store_code_kind kind, const struct store_code *c)
{
	if (!c->code || !*c->code)
		return err_set(ERR_INVALID, "code is empty");
	return st->ops->put_code(st, kind, c);
}

int store_put_category(store *st, const struct store_code *c)
{
	return put_code(st, STORE_CATEGORIES, c);
}

int store_put_service(store *st, const struct store_code *c)
{
	return put_code(st, STORE_SERVICES, c);
}

static int ensure_code(store *st, enum store_code_kind kind, const char *code, const char *name)
{
	if (!code || !*code)
		return err_set(ERR_INVALID, "code is empty");
	return st->ops->ensure_code(st, kind, code, name);
}

int store_ensure_category(store *st, const char *code, const char *name)
{
	return ensure_code(st, STORE_CATEGORIES, code, name);
}

int store_ensure_service(store *st, const char *code, const char *name)
{
	return ensure_code(st, STORE_SERVICES, code, name);
}

int store_list_codes(store *st, enum store_code_kind kind, store_code_fn fn, void *ctx)
{
	return st->ops->list_codes(st, kind, fn, ctx);
}

int store_code_exists(store *st, enum store_code_kind kind, const char *code)
{
	return code && *code ? st->ops->code_exists(st, kind, code) : 0;
}

int store_check_assignment_shift(const struct shift *s)
{
	if (s->start < 0 || s->start >= CIVIL_MINUTES_PER_DAY)
		return err_set_field(ERR_INVALID, "shift_start",
		                     "a shift starts from 00:00 to 23:59");
	if (s->end < 0 || s->end > CIVIL_MINUTES_PER_DAY)
		return err_set_field(ERR_INVALID, "shift_end", "a shift ends from 00:00 to 24:00");
	if (s->weekdays < 1 || s->weekdays > CIVIL_ALL_WEEKDAYS)
		return err_set_field(ERR_INVALID, "weekdays",
		                     "weekdays are a mask from 1 to 127 (bit 0 = Monday), not %u",
		                     s->weekdays);
	return 0;
}

int store_check_lonlat(double lon, double lat, const char *lon_field, const char *lat_field)
{
	if (!(lon >= -180 && lon <= 180))
		return err_set_field(ERR_INVALID, lon_field,
		                     "%s: %g is not a longitude from -180 to 180", lon_field, lon);
	if (!(lat >= -TILE_MAX_LAT && lat <= TILE_MAX_LAT))
		return err_set_field(ERR_INVALID, lat_field,
		                     "%s: %g is not a latitude from -85.05 to 85.05, as far as "
		                     "a map reaches",
		                     lat_field, lat);
	return 0;
}

int store_check_offence(const struct store_offence *o)
{
	size_t id_len = o->external_id ? strlen(o->external_id) : 0;
	if (id_len < 1 || id_len > STORE_ID_MAX)
		return err_set_field(ERR_INVALID, "id",
		                     "id: a text of 1 to %d characters is required", STORE_ID_MAX);
	if ((o->occurred_from == STORE_NO_TIME) != (o->occurred_to == STORE_NO_TIME))
		return err_set_field(ERR_INVALID, o->occurred_from == STORE_NO_TIME ? "from" : "to",
		                     "from and to: a time span needs both ends");
	if (o->occurred_to < o->occurred_from)
		return err_set_field(ERR_INVALID, "to", "to: the time span ends before it starts");
	if (o->severity < 0 || o->severity > STORE_SEVERITY_MAX)
		return err_set_field(ERR_INVALID, "severity", "severity: %d is not from 0 to %d",
		                     o->severity, STORE_SEVERITY_MAX);
	if (o->has_point)
		return store_check_lonlat(o->lon, o->lat, "lon", "lat");
	if (!o->mahalla_code || !*o->mahalla_code)
		return err_set_field(ERR_INVALID, "point", "a point or a mahalla code is required");
	return 0;
}

int store_put_offence(store *st, const struct store_offence *o, struct store_put_info *info)
{
	memset(info, 0, sizeof *info);
	if (store_check_offence(o) < 0)
		return err_set_field(ERR_INVALID, err_field(), "offence %s: %s",
		                     o->external_id && *o->external_id ? o->external_id : "(no id)",
		                     err_msg());
	return st->ops->put_offence(st, o, info);
}

int store_delete_offence(store *st, const char *external_id, int64_t *id)
{
	return st->ops->delete_offence(st, external_id, id);
}

int store_offence_id(store *st, const char *external_id, int64_t *id)
{
	return st->ops->offence_id(st, external_id, id);
}

int store_get_offence(store *st, int64_t id, const char *external_id, store_offence_fn fn,
                      void *ctx)
{
	return st->ops->get_offence(st, id, external_id, fn, ctx);
}

int store_scan_offences(store *st, int64_t first_id, int64_t last_id, store_offence_fn fn,
                        void *ctx)
{
	return st->ops->scan_offences(st, first_id, last_id, fn, ctx);
}

int store_each_point(store *st, store_point_fn fn, void *ctx)
{
	return st->ops->each_point(st, fn, ctx);
}

int store_offence_count(store *st, long *n)
{
	return st->ops->offence_count(st, n);
}

static int valid_day(const char *d)
{
	int y, m, dd;
	char extra;
	if (!d || !*d)
		return 1;
	return sscanf(d, "%4d-%2d-%2d%c", &y, &m, &dd, &extra) == 3 && strlen(d) == 10 && m >= 1 &&
	       m <= 12 && dd >= 1 && dd <= 31;
}

int store_put_zone(store *st, const struct store_zone *z, const char *actor,
                   struct store_put_info *info)
{
	char what[160];
	memset(info, 0, sizeof *info);
	if (!z->external_id || !*z->external_id)
		return err_set(ERR_INVALID, "zone without an id");
	snprintf(what, sizeof what, "zone %s", z->external_id);
	if (!z->name || !*z->name)
		return err_set(ERR_INVALID, "%s: name is empty", what);
	if (!valid_day(z->valid_from) || !valid_day(z->valid_to))
		return err_set(ERR_INVALID, "%s: validity dates must be YYYY-MM-DD", what);
	for (size_t i = 0; i < z->n_assignments; i++) {
		const struct store_assignment *a = &z->assignments[i];
		if (!a->service || !*a->service)
			return err_set(ERR_INVALID, "%s: assignment %zu has no service", what,
			               i + 1);
		if (store_check_assignment_shift(&a->shift) < 0)
			return err_set(ERR_INVALID, "%s: assignment %zu: %s", what, i + 1,
			               err_msg());
	}
	return st->ops->put_zone(st, z, actor, info);
}

int store_zone_version(store *st, const char *external_id, int *version)
{
	return st->ops->zone_version(st, external_id, version);
}

int store_delete_zone(store *st, const char *external_id, const char *actor, int *version)
{
	return st->ops->delete_zone(st, external_id, actor, version);
}

int store_list_zones(store *st, const char *active_day, const char *service, store_zone_fn fn,
                     void *ctx)
{
	size_t rows;
	return st->ops->list_zones(st, active_day, service, NULL, fn, ctx, &rows);
}

int store_get_zone(store *st, const char *external_id, store_zone_fn fn, void *ctx)
{
	size_t rows;
	int rc = st->ops->list_zones(st, NULL, NULL, external_id, fn, ctx, &rows);
	if (rc == 0 && rows == 0)
		rc = err_set(ERR_NOTFOUND, "no zone has the id '%s'", external_id);
	return rc;
}

int store_zone_history(store *st, const char *external_id, store_zone_fn fn, void *ctx)
{
	size_t current, kept;
	int rc = st->ops->list_zones(st, NULL, NULL, external_id, fn, ctx, &current);
	if (rc == 0)
		rc = st->ops->zone_versions(st, external_id, fn, ctx, &kept);
	if (rc == 0 && current + kept == 0)
		rc = err_set(ERR_NOTFOUND, "no zone has ever had the id '%s'", external_id);
	return rc;
}

/* The statuses of a receiver, from the least advanced; "declined" apart. */
static const char *const task_statuses[] = {"new", "accepted", "in_progress", "done", "declined"};
#define TASK_DECLINED 4

static int task_status_rank(const char *text)
{
	for (int i = 0; i < (int)(sizeof task_statuses / sizeof task_statuses[0]); i++)
		if (text && strcmp(text, task_statuses[i]) == 0)
			return i;
	return -1;
}

int store_task_status_valid(const char *text)
{
	return task_status_rank(text) >= 0;
}

const char *store_task_status(const struct store_task *t)
{
	int least = TASK_DECLINED;
	for (size_t i = 0; i < t->n_to; i++) {
		int r = task_status_rank(t->to[i].status);
		if (r >= 0 && r != TASK_DECLINED && r < least)
			least = r;
	}
	return task_statuses[least];
}

static int one_of(const char *text, const char *const *words)
{
	for (; text && *words; words++)
		if (strcmp(text, *words) == 0)
			return 1;
	return 0;
}

static const char *const task_priorities[] = {"low", "normal", "high", "urgent", NULL};

/* The checks of a task's text, due day and priority, shared by a new task
 * and an edit (NULL: not given). */
static int check_task_fields(const char *text, const char *due, const char *priority)
{
	if (text && (!*text || strlen(text) > 4000))
		return err_set_field(ERR_INVALID, "text", "text: 1 to 4000 bytes");
	if (due && *due && !valid_day(due))
		return err_set_field(ERR_INVALID, "due", "due: a day YYYY-MM-DD, not '%.40s'", due);
	if (priority && !one_of(priority, task_priorities))
		return err_set_field(ERR_INVALID, "priority",
		                     "priority: low, normal, high or urgent, not '%.40s'",
		                     priority);
	return 0;
}

/* A service code that exists, else ERR_NOTFOUND naming field. */
static int check_service(store *st, const char *field, const char *code)
{
	int rc;
	if (!code || !*code)
		return err_set_field(ERR_INVALID, field, "%s: a service code is required", field);
	if ((rc = store_code_exists(st, STORE_SERVICES, code)) < 0)
		return rc;
	return rc ? 0
	          : err_set_field(ERR_NOTFOUND, field, "%s: no service has the code '%.60s'", field,
	                          code);
}

static const char *const activity_kinds[] = {
    "patrol", "residents_meeting", "youth_meeting", "home_visit", "venue_inspection",
    "raid",   "awareness",         "other",         NULL};

int store_activity_kind_valid(const char *text)
{
	return one_of(text, activity_kinds);
}

/* The checks of a place shared by tasks and activities. */
static int check_place(const char *kind, const char *ref, double lon, double lat)
{
	static const char *const kinds[] = {"point", "hotspot",  "mahalla",
	                                    "zone",  "district", NULL};
	if (!one_of(kind, kinds))
		return err_set_field(ERR_INVALID, "place.kind",
		                     "place.kind: point, hotspot, mahalla, zone or district");
	int at_point = strcmp(kind, "point") == 0 || strcmp(kind, "hotspot") == 0;
	if (at_point && !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
		return err_set_field(ERR_INVALID, "place.lon",
		                     "place: lon -180..180 and lat -90..90 are required");
	if (!at_point && (!ref || !*ref))
		return err_set_field(ERR_INVALID, "place.code",
		                     "place.code: the %s's code is required", kind);
	return 0;
}

/* An external id of a task or an activity. */
/* The receivers of a task: 1 to STORE_TASK_RECEIVERS_MAX known services,
 * none named twice (with the same unit); the refusal names to[i].service. */
static int check_receivers(store *st, const struct store_task_receiver *to, size_t n)
{
	int rc;
	if (n < 1 || n > STORE_TASK_RECEIVERS_MAX)
		return err_set_field(ERR_INVALID, "to", "to: 1 to %d receivers",
		                     STORE_TASK_RECEIVERS_MAX);
	for (size_t i = 0; i < n; i++) {
		char field[48];
		snprintf(field, sizeof field, "to[%zu].service", i);
		if ((rc = check_service(st, field, to[i].service)) < 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(to[i].service, to[j].service) == 0 &&
			    strcmp(to[i].unit ? to[i].unit : "", to[j].unit ? to[j].unit : "") == 0)
				return err_set_field(ERR_INVALID, field, "%s: '%s' is named twice",
				                     field, to[i].service);
	}
	return 0;
}

static int check_id(const char *id)
{
	size_t len = id ? strlen(id) : 0;
	if (len < 1 || len > STORE_ID_MAX || strchr(id, '/'))
		return err_set_field(ERR_INVALID, "id", "id: 1 to %d characters without '/'",
		                     STORE_ID_MAX);
	return 0;
}

int store_task_add(store *st, const struct store_task *t, const char *actor)
{
	int rc;
	if ((rc = check_id(t->external_id)) < 0 ||
	    (rc = check_place(t->place_kind, t->place_ref, t->lon, t->lat)) < 0)
		return rc;
	if (!t->text)
		return err_set_field(ERR_INVALID, "text", "text: what is asked is required");
	if ((rc = check_task_fields(t->text, t->due, t->priority ? t->priority : "normal")) < 0 ||
	    (rc = check_service(st, "from.service", t->from_service)) < 0)
		return rc;
	if ((rc = check_receivers(st, t->to, t->n_to)) < 0)
		return rc;
	return st->ops->task_add(st, t, actor);
}

int store_task_change(store *st, const char *id, const struct store_task_change *c,
                      const char *actor, int *version)
{
	int rc;
	if (c->status && !store_task_status_valid(c->status))
		return err_set_field(ERR_INVALID, "status",
		                     "status: new, accepted, in_progress, done or declined");
	if (c->status && strcmp(c->status, "declined") == 0 && (!c->note || !*c->note))
		return err_set_field(ERR_INVALID, "reason", "reason: a decline says why");
	if (c->status && !c->service)
		return err_set_field(ERR_INVALID, "receiver", "receiver: whose status changes");
	if ((c->note && strlen(c->note) > 4000) || (c->comment && strlen(c->comment) > 4000))
		return err_set_field(ERR_INVALID, c->comment ? "comment" : "outcome",
		                     "at most 4000 bytes");
	if (c->comment && !*c->comment)
		return err_set_field(ERR_INVALID, "comment", "comment: empty");
	if ((rc = check_task_fields(c->text, c->due, c->priority)) < 0 ||
	    (c->to && (rc = check_receivers(st, c->to, c->n_to)) < 0))
		return rc;
	if (!c->status && !c->comment && !c->text && !c->due && !c->priority && !c->to)
		return err_set_field(
		    ERR_INVALID, "body",
		    "nothing to change: status, comment, text, due, priority or to");
	return st->ops->task_change(st, id, c, actor, version);
}

int store_list_tasks(store *st, const struct store_task_query *q, store_task_fn fn, void *ctx)
{
	return st->ops->list_tasks(st, q, fn, ctx);
}

int store_task_log(store *st, const char *id, store_task_entry_fn fn, void *ctx)
{
	return st->ops->task_log(st, id, fn, ctx);
}

int store_put_activity(store *st, const struct store_activity *a, const char *actor,
                       struct store_put_info *info)
{
	int rc;
	memset(info, 0, sizeof *info);
	if ((rc = check_id(a->external_id)) < 0)
		return rc;
	if (!store_activity_kind_valid(a->kind))
		return err_set_field(ERR_INVALID, "kind",
		                     "kind: patrol, residents_meeting, youth_meeting, home_visit, "
		                     "venue_inspection, raid, awareness or other");
	if (a->started == STORE_NO_TIME)
		return err_set_field(ERR_INVALID, "start", "start: when it happened is required");
	if (a->ended != STORE_NO_TIME && a->ended < a->started)
		return err_set_field(ERR_INVALID, "end", "end: before the start");
	if ((rc = check_place(a->place_kind, a->place_ref, a->lon, a->lat)) < 0 ||
	    (rc = check_service(st, "service", a->service)) < 0)
		return rc;
	if (a->participants < -1 || a->participants > 1000000)
		return err_set_field(ERR_INVALID, "participants", "participants: 0 to 1000000");
	if (a->outcome && strlen(a->outcome) > 4000)
		return err_set_field(ERR_INVALID, "outcome", "outcome: at most 4000 bytes");
	return st->ops->put_activity(st, a, actor, info);
}

int store_list_activities(store *st, const struct store_activity_query *q, store_activity_fn fn,
                          void *ctx)
{
	return st->ops->list_activities(st, q, fn, ctx);
}

int store_standing_record(store *st, const struct store_standing *s, int *changed)
{
	static const char *const categories[] = {"green", "yellow", "red", NULL};
	*changed = 0;
	if (!s->mahalla || !*s->mahalla)
		return err_set_field(ERR_INVALID, "mahalla", "mahalla: a code is required");
	if (!one_of(s->category, categories))
		return err_set_field(ERR_INVALID, "category", "category: green, yellow or red");
	return st->ops->standing_record(st, s, changed);
}

int store_list_standing(store *st, const char *mahalla, store_standing_fn fn, void *ctx)
{
	return st->ops->list_standing(st, mahalla, fn, ctx);
}

/* Text an official or a count names: 1 to max bytes. */
static int check_text(const char *field, const char *text, size_t max)
{
	if (!text || !*text || strlen(text) > max)
		return err_set_field(ERR_INVALID, field, "%s: 1 to %zu bytes", field, max);
	return 0;
}

int store_set_officials(store *st, const char *mahalla, const struct store_official *o, size_t n,
                        const char *actor)
{
	int rc;
	if (n > 16)
		return err_set_field(ERR_INVALID, "officials", "officials: at most 16");
	for (size_t i = 0; i < n; i++) {
		char field[40];
		snprintf(field, sizeof field, "officials[%zu].role", i);
		if ((rc = check_text(field, o[i].role, 200)) < 0)
			return rc;
		snprintf(field, sizeof field, "officials[%zu].name", i);
		if ((rc = check_text(field, o[i].name, 200)) < 0)
			return rc;
		snprintf(field, sizeof field, "officials[%zu].phone", i);
		if (o[i].phone && (rc = check_text(field, o[i].phone, 40)) < 0)
			return rc;
	}
	return st->ops->set_officials(st, mahalla, o, n, actor);
}

int store_list_officials(store *st, const char *mahalla, store_official_fn fn, void *ctx)
{
	return st->ops->list_officials(st, mahalla, fn, ctx);
}

int store_put_risk_count(store *st, const struct store_risk_count *r)
{
	int rc;
	if ((rc = check_text("group", r->group, 100)) < 0)
		return rc;
	if (r->count < 0 || r->count > 1000000)
		return err_set_field(ERR_INVALID, "count", "count: 0 to 1000000");
	return st->ops->put_risk_count(st, r);
}

int store_list_risk_counts(store *st, const char *mahalla, store_risk_fn fn, void *ctx)
{
	return st->ops->list_risk_counts(st, mahalla, fn, ctx);
}

int store_list_changes(store *st, int64_t since, int limit, store_feed_fn fn, void *ctx)
{
	return st->ops->list_changes(st, since, limit, fn, ctx);
}

int store_change_head(store *st, int64_t *seq)
{
	return st->ops->change_head(st, seq);
}

int store_put_ref_feature(store *st, const struct store_ref_feature *f, struct store_put_info *info)
{
	memset(info, 0, sizeof *info);
	size_t id_len = f->external_id ? strlen(f->external_id) : 0;
	if (id_len < 1 || id_len > STORE_ID_MAX)
		return err_set_field(ERR_INVALID, "id",
		                     "reference feature: an id of 1 to %d characters is required",
		                     STORE_ID_MAX);
	if (!f->kind || !*f->kind)
		return err_set_field(ERR_INVALID, "kind", "reference feature %s: no kind",
		                     f->external_id);
	if (!f->wkb || !f->wkb_len)
		return err_set_field(ERR_INVALID, "geometry", "reference feature %s: no geometry",
		                     f->external_id);
	return st->ops->put_ref_feature(st, f, info);
}

int store_each_ref_feature(store *st, const double box[4], store_ref_fn fn, void *ctx)
{
	return st->ops->each_ref_feature(st, box, fn, ctx);
}

int store_put_track(store *st, const struct store_track *t, struct store_put_info *info)
{
	memset(info, 0, sizeof *info);
	if (!t->external_id || !*t->external_id)
		return err_set(ERR_INVALID, "track without an id");
	if (!t->unit || !*t->unit)
		return err_set(ERR_INVALID, "track %s has no unit", t->external_id);
	if (t->n_fixes < 2)
		return err_set(ERR_INVALID, "track %s has %zu fixes; at least 2 are needed",
		               t->external_id, t->n_fixes);
	for (size_t i = 0; i < t->n_fixes; i++) {
		const struct store_fix *f = &t->fixes[i];
		if (store_check_lonlat(f->lon, f->lat, "lon", "lat") < 0)
			return err_set(ERR_INVALID, "track %s: fix %zu: %s", t->external_id, i + 1,
			               err_msg());
		if (i && f->t < t->fixes[i - 1].t)
			return err_set(ERR_INVALID, "track %s: fix %zu is earlier than fix %zu",
			               t->external_id, i + 1, i);
	}
	return st->ops->put_track(st, t, info);
}

/* Fixes with their order of arrival, so that a later fix of the same time
 * wins. */
struct fix_order {
	struct store_fix fix;
	size_t seq;
};

static int compare_fix_order(const void *a, const void *b)
{
	const struct fix_order *x = a, *y = b;
	if (x->fix.t != y->fix.t)
		return x->fix.t < y->fix.t ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

int store_append_fixes(store *st, const struct store_track *t, struct store_put_info *info)
{
	struct store_fix *old = NULL, *merged = NULL;
	struct fix_order *order = NULL;
	size_t n_old = 0, n = 0;
	int rc;
	memset(info, 0, sizeof *info);
	if (!t->external_id || !*t->external_id)
		return err_set(ERR_INVALID, "track without an id");
	if ((rc = st->ops->track_fixes(st, t->external_id, &old, &n_old)) < 0)
		goto out;
	size_t total = n_old + t->n_fixes;
	if (!(order = malloc((total + 1) * sizeof *order)) ||
	    !(merged = malloc((total + 1) * sizeof *merged))) {
		rc = err_set(ERR_NOMEM, "store: out of memory");
		goto out;
	}
	for (size_t i = 0; i < total; i++)
		order[i] = (struct fix_order){i < n_old ? old[i] : t->fixes[i - n_old], i};
	qsort(order, total, sizeof *order, compare_fix_order);
	for (size_t i = 0; i < total; i++) {
		if (n && merged[n - 1].t == order[i].fix.t)
			n--;
		merged[n++] = order[i].fix;
	}
	/* A line needs two points: a lone fix is kept as itself twice. */
	if (n == 1)
		merged[n++] = merged[0];
	struct store_track whole = *t;
	whole.fixes = merged;
	whole.n_fixes = n;
	rc = store_put_track(st, &whole, info);
out:
	free(order);
	free(merged);
	free(old);
	return rc;
}

int store_list_tracks(store *st, int64_t from, int64_t to, store_track_fn fn, void *ctx)
{
	return st->ops->list_tracks(st, from, to, fn, ctx);
}

int store_list_units(store *st, int64_t since, store_unit_fn fn, void *ctx)
{
	return st->ops->list_units(st, since, fn, ctx);
}

int store_webhook_add(store *st, const struct store_webhook *h, int64_t now)
{
	size_t n = h->name ? strlen(h->name) : 0;
	/* It goes into a header of each delivery: a plain word. */
	if (n == 0 || n > STORE_WEBHOOK_NAME_MAX ||
	    strspn(h->name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
	        n)
		return err_set_field(ERR_INVALID, "name",
		                     "name: 1 to %d letters, digits, dots, dashes or underscores",
		                     STORE_WEBHOOK_NAME_MAX);
	if (!h->url || !*h->url)
		return err_set_field(ERR_INVALID, "url", "url: missing");
	if (!h->secret_file || h->secret_file[0] != '/')
		return err_set_field(ERR_INVALID, "secret-file", "secret-file: an absolute path");
	return st->ops->webhook_add(st, h, now);
}

int store_webhook_remove(store *st, const char *name)
{
	return st->ops->webhook_remove(st, name);
}

int store_list_webhooks(store *st, store_webhook_fn fn, void *ctx)
{
	return st->ops->list_webhooks(st, fn, ctx);
}

int store_webhook_advance(store *st, int64_t id, int64_t from, int64_t to, int64_t now)
{
	return st->ops->webhook_advance(st, id, from, to, now);
}

int store_audit(store *st, const char *actor, const char *action, const char *entity,
                const char *entity_id, const char *detail)
{
	return st->ops->audit(st, actor, action, entity, entity_id, detail);
}

int store_summarize(store *st, struct store_summary *out)
{
	return st->ops->summarize(st, out);
}

int store_token_add(store *st, const char *name, const char *role, const char *hash, int64_t now,
                    int64_t expires, const char *scope, const char *service)
{
	if (service && strlen(service) >= STORE_SERVICE_MAX)
		return err_set_field(ERR_INVALID, "service", "service: at most %d bytes",
		                     STORE_SERVICE_MAX - 1);
	return st->ops->token_add(st, name, role, hash, now, expires, scope, service);
}

int store_list_tokens(store *st, store_token_fn fn, void *ctx)
{
	return st->ops->list_tokens(st, fn, ctx);
}

int store_token_revoke(store *st, const char *name, int64_t now)
{
	return st->ops->token_revoke(st, name, now);
}

int store_credential(store *st, enum store_secret kind, const char *hash, int64_t now,
                     struct store_credential *out)
{
	memset(out, 0, sizeof *out);
	out->expires = STORE_NO_TIME;
	return st->ops->credential(st, kind, hash, now, out);
}

int store_session_add(store *st, const char *hash, const char *token_name, int64_t now,
                      int64_t expires)
{
	return st->ops->session_add(st, hash, token_name, now, expires);
}

int store_session_delete(store *st, const char *hash)
{
	return st->ops->session_delete(st, hash);
}

const char *store_located_by(const struct store_offence *o)
{
	if (!o->has_point)
		return "mahalla";
	return o->located_by ? o->located_by : "point";
}
