/*
 * store: the database of a district and its typed access.
 *
 * Nothing outside gis-data talks to a database: every read and write the
 * other layers need is a typed function below. A store is a connection to
 * one backend, chosen by the database URL given to store_open(); each
 * public function dispatches through the backend's table of operations
 * (storebackend.h). The only backend of this build is SpatiaLite (spl.c),
 * which owns the schema (numbered migrations recorded in
 * schema_migrations), the connection settings (WAL, foreign keys), and
 * keeps every statement it runs per row prepared once per connection.
 *
 * Writes: typed upserts of districts, mahallas, categories, services,
 * offences, patrol zones and patrol tracks, keyed by a stable code or
 * external id: putting the same record twice changes nothing, putting a
 * changed record updates it. Geometries arrive as WKB in EPSG:4326 (lon,
 * lat); polygons that are invalid are repaired with MakeValid or rejected
 * with the reason. Offences get their mahalla by point-in-polygon against
 * the stored mahallas (see locator.h) at insert. Credentials are kept as
 * hashes only (auth.h makes and checks them).
 *
 * Reads: walks that call a function once per record (store_*_fn), in a
 * stated order; a nonzero return from the function stops the walk and is
 * what the walk returns.
 *
 * Ownership: records handed to a walk's function, and every string, array
 * and geometry in them, are borrowed for that one call: copy what must
 * outlive it. Records given to a put are borrowed for the call only.
 *
 * Threading: a store (its connection, prepared statements and mahalla
 * locator) belongs to one thread at a time, and a walk's function must not
 * call the store it walks; open one store per thread on the same database.
 */
#ifndef POSBON_STORE_H
#define POSBON_STORE_H

#include "shift.h"
#include "timeparse.h"

#include <stddef.h>
#include <stdint.h>

typedef struct store store;

enum store_flags {
	STORE_CREATE = 1,   /* create the file and schema when missing */
	STORE_READONLY = 2, /* open without writing, even migrations */
	STORE_AS_IS = 4,    /* no migration: an older schema stays as it is (to copy
	                     * or check the file); a newer one is still refused */
};

/* With STORE_CREATE: migrate no further than schema version v (1 to the
 * latest), making the database an older posbon made, for tests of
 * upgrades. */
#define STORE_SCHEMA_UPTO(v) ((v) << 8)

/* Latest schema version this build knows. */
int store_schema_latest(void);

/* Where the store reports what it did on its own that an operator should
 * know of (the copy made before a migration): one line of text a call,
 * without a newline. NULL (the default): nowhere. Set it before any store
 * is opened; fn may be called from any thread that opens a store. */
void store_set_notice(void (*fn)(const char *line));

/* Opens (and with STORE_CREATE creates) the database that url names and
 * brings its schema to the latest version. Before a migration changes a
 * database, a copy of it is made beside it as "PATH.bak-vN", N the old
 * version (".bak-vN.2" and on when that exists; store_backup()), and
 * reported through the notice (store_set_notice()); no copy, no
 * migration. url is a plain path, or
 * "sqlite:PATH" (also "sqlite:///abs/path"), or an SQLite "file:" URI: all
 * SpatiaLite. A "file:" URI may ask for "nosync=1": commits then do not
 * wait for the disk, and a crash may lose the last ones (for scratch
 * databases, such as the fuzzers'). "postgresql://..." is ERR_UNSUPPORTED
 * (this build has no PostgreSQL backend), as is any other "scheme://". *out
 * is a new store; close with store_close(). A database newer than this
 * build is refused (ERR_UNSUPPORTED naming both versions). */
int store_open(const char *url, int flags, store **out);

/* Closes the connection and frees the store; accepts NULL. */
void store_close(store *st);

/* The backend's name ("SpatiaLite"), static. */
const char *store_backend_name(const store *st);

/* The database file, borrowed for the store's lifetime; NULL when the
 * backend has none (or the database is in memory). */
const char *store_path(store *st);

/* Schema version recorded in the database. */
int store_schema_version(store *st);

/* Flags of store_backup(). */
enum store_backup_flags {
	STORE_BACKUP_REPLACE = 1, /* dest may exist: it is replaced */
	STORE_BACKUP_IDLE = 2,    /* dest, when it exists, is a database no other
	                           * connection has open, held so until replaced */
};

/* Copies the database st is connected to into a new file at dest: the
 * database as it was when the call began, whatever other connections and
 * processes write meanwhile (SQLite's online backup, stepping a thousand
 * pages at a time inside one read transaction, which in WAL mode blocks no
 * writer). The copy is written beside dest under a temporary name, made
 * durable and only then renamed into place: a failure leaves dest as it
 * was, never half written. The copy is one file (no -wal beside it).
 * ERR_CONFLICT when dest exists without STORE_BACKUP_REPLACE, when a
 * "-wal" file lies beside dest (it would be replayed into the copy), or,
 * with STORE_BACKUP_IDLE, when another connection has dest open (a running
 * posbon serve); ERR_IO, ERR_DB. */
int store_backup(store *st, const char *dest, int flags);

/* Checks the whole database file (SQLite's integrity_check): 0, or ERR_DB
 * naming the first problems found. */
int store_check_integrity(store *st);

/* Transactions. store_begin() takes the write lock at once (IMMEDIATE) so that
 * a long import never fails half-way on a busy database. */
int store_begin(store *st);
int store_commit(store *st);
int store_rollback(store *st);

/* Savepoints inside a transaction, named by a fixed identifier (not input). */
int store_savepoint(store *st, const char *name);
int store_release(store *st, const char *name);
int store_rollback_to(store *st, const char *name);

/* Bulk loading of offences, inside a transaction. SpatiaLite checks and
 * indexes a geometry through per-row triggers, which cost three quarters of
 * a large import; store_bulk_begin() drops the insert triggers of
 * offences.geom (the store builds every point itself, so the checks cannot
 * fail), and store_bulk_end() indexes the new rows in one spatially ordered
 * pass and restores the triggers. Both are part of the caller's transaction:
 * a rollback restores the triggers too. Not nestable. */
int store_bulk_begin(store *st);
int store_bulk_end(store *st);

/* Lets the connection keep up to kib KiB of database pages in memory
 * (SQLite's default is 2 MB); *was (NULL: not wanted) receives the size it
 * had, to give back. A long write whose indexes take pages all over their
 * B-trees, as a generated country's millions of offences, otherwise spills
 * pages into the log and reads them back again and again. */
int store_page_cache(store *st, long kib, long *was);

/* A box in lon/lat. */
struct store_extent {
	double minx, miny, maxx, maxy;
	int empty;
};

/* What an upsert did. */
enum store_change {
	STORE_INSERTED = 1,
	STORE_UPDATED = 2,
	STORE_UNCHANGED = 3,
};

struct store_put_info {
	enum store_change change;
	int repaired;       /* geometry was invalid and MakeValid repaired it */
	int outside;        /* offence point lies in no mahalla */
	char district[128]; /* offence, track: the district it was placed in ("" none) */
	char reason[200];   /* why the geometry was invalid, when repaired */
};

/* A district, a mahalla or a region (a city or province of districts).
 * Strings may be NULL. */
enum store_area_kind { STORE_DISTRICTS, STORE_MAHALLAS, STORE_REGIONS, STORE_AREA_KINDS };

/* "district", "mahalla" or "region". */
const char *store_area_kind_name(enum store_area_kind kind);

struct store_area {
	const char *code;
	const char *name_uz, *name_ru, *name_en;
	const char *district_code;   /* mahallas: the district it belongs to */
	const char *region_code;     /* districts, read back: the region holding a point
	                                of its surface (NULL: none) */
	long population, households; /* mahallas: < 0 when unknown */
	const char *inspector;       /* mahallas: prevention inspector */
	const char *tz;              /* districts: IANA time zone; NULL: not given */
	const unsigned char *wkb;    /* Polygon or MultiPolygon, EPSG:4326 */
	size_t wkb_len;
};

int store_put_district(store *st, const struct store_area *a, struct store_put_info *info);
int store_put_mahalla(store *st, const struct store_area *a, struct store_put_info *info);
/* Also places every district in the region holding a point of its surface. */
int store_put_region(store *st, const struct store_area *a, struct store_put_info *info);

/* The codes of the districts of regions ("A,B"), joined by "," into
 * out[n] ("" when they hold none). ERR_NOTFOUND naming "region" for a code
 * no region has; ERR_INVALID when the list does not fit. */
int store_region_districts(store *st, const char *regions, char *out, size_t n);

/* An area as read back: area.wkb holds its geometry, or geojson (then
 * area.wkb is NULL) when the walk asked for GeoJSON. population and
 * households are -1 when unknown (always for districts). */
struct store_area_record {
	struct store_area area;
	const char *geojson; /* MultiPolygon, lon/lat, 6 decimals */
	double box[4];       /* west, south, east, north */
	double area_m2;      /* districts, regions: on the ellipsoid; mahallas: -1 */
};

typedef int (*store_area_fn)(void *ctx, const struct store_area_record *a);

/* The areas of a kind by code (code NULL), or the one with this code (no
 * call when there is none); with geojson the geometry as GeoJSON, else as
 * WKB. */
int store_list_areas(store *st, enum store_area_kind kind, const char *code, int geojson,
                     store_area_fn fn, void *ctx);

/* One area as store_find_area() finds it. */
struct store_area_found {
	int found;               /* 0: no area of the kind has the code */
	double box[4];           /* west, south, east, north */
	char district_code[128]; /* mahallas: their district ("" none) */
	char region_code[128];   /* districts: their region ("" none) */
};

/* The area of kind with code into *out (out->found 0 when there is none). */
int store_find_area(store *st, enum store_area_kind kind, const char *code,
                    struct store_area_found *out);

/* The box of every district and mahalla, lon/lat (e->empty without any). */
int store_area_extent(store *st, struct store_extent *e);

/* The time zone of the store's local times: the districts' (the first by
 * code that has one) into out[n], else the fallback (Asia/Tashkent): what
 * every command reads local times in unless told otherwise. */
int store_time_zone(store *st, char *out, size_t n);

#define STORE_DEFAULT_TZ "Asia/Tashkent"

/* The area of the districts in m² on the ellipsoid, else of the mahallas,
 * 0 without either. */
int store_area_m2(store *st, double *m2);

/* How a polygon lies against the districts, or against the mahallas when
 * there is no district. */
struct store_reach {
	long areas;                /* how many districts (or mahallas) there are */
	int meets;                 /* one of them meets the polygon (touching counts) */
	double distance_m;         /* to the nearest, on the ellipsoid; 0 when it meets */
	enum store_area_kind kind; /* which of the two was measured */
};

/* wkb: a Polygon or MultiPolygon in EPSG:4326, borrowed for the call. */
int store_area_reach(store *st, const unsigned char *wkb, size_t len, struct store_reach *out);

/* A category or service of offences. */
enum store_code_kind {
	STORE_CATEGORIES,
	STORE_SERVICES,
};

struct store_code {
	const char *code;
	const char *name_uz, *name_ru, *name_en;
	const char *colour; /* "#rrggbb" or NULL */
	double weight;      /* categories: heatmap weight, 0 means 1 */
};

int store_put_category(store *st, const struct store_code *c);
int store_put_service(store *st, const struct store_code *c);

/* Adds the code with this English name unless it exists; cheap when it does. */
int store_ensure_category(store *st, const char *code, const char *name);
int store_ensure_service(store *st, const char *code, const char *name);

/* The categories or services by code; a code read back has weight 1 when
 * none was given. */
typedef int (*store_code_fn)(void *ctx, const struct store_code *c);
int store_list_codes(store *st, enum store_code_kind kind, store_code_fn fn, void *ctx);

/* 1 when the category or service code exists, 0 when not, or an error. */
int store_code_exists(store *st, enum store_code_kind kind, const char *code);

#define STORE_NO_TIME INT64_MIN

struct store_offence {
	const char *external_id;            /* required, unique */
	int64_t occurred_from, occurred_to; /* UTC seconds, or STORE_NO_TIME */
	enum time_precision precision;
	int64_t reported_at;            /* UTC seconds, or STORE_NO_TIME */
	const char *category, *service; /* codes, must exist (see store_ensure_*) */
	const char *article, *status, *address;
	int severity;             /* 0 when unknown */
	const char *mahalla_code; /* given by the source; used when there is no point */
	/* Read back only (a put ignores it): the district the store placed the
	 * offence in, by its point, else by its mahalla; NULL for none. */
	const char *district_code;
	int has_point;
	double lon, lat;
	/* How the point was found when the source gave an address and no point:
	 * a geocoder's level, "house" or "street" (STORE_LOCATED_*). NULL: the
	 * point was given, or there is none. */
	const char *located_by;
};

#define STORE_LOCATED_HOUSE  "house"
#define STORE_LOCATED_STREET "street"

/* How o's point was found, as the API names it: its located_by, else
 * "point" with a point and "mahalla" without (static). */
const char *store_located_by(const struct store_offence *o);

/* The one test of a zone assignment's shift, for HTTP, import and the
 * store: start 00:00..23:59, end 00:00..24:00 (an end equal to the start
 * is 24 hours, as shift.h has it), weekdays a mask of 1..127. 0, or
 * ERR_INVALID naming "shift_start", "shift_end" or "weekdays"
 * (err_field()). */
int store_check_assignment_shift(const struct shift *s);

/* The one test of a point, for HTTP, import and the store: a longitude of
 * -180..180 and a latitude within the map's reach (Web Mercator's
 * +-TILE_MAX_LAT, 85.05). 0, or ERR_INVALID naming lon_field or lat_field,
 * whichever is out (the same name may be given for both). */
int store_check_lonlat(double lon, double lat, const char *lon_field, const char *lat_field);

#define STORE_ID_MAX       200     /* characters of an external id */
#define STORE_SEVERITY_MAX 1000000 /* severity runs 0 (unknown) .. this */

/* The one test of an offence, for HTTP, import and the store: an external
 * id of 1..STORE_ID_MAX characters; a time span with both ends or
 * neither, not ending before it starts; a severity of 0..STORE_SEVERITY_MAX;
 * a point (store_check_lonlat()) or else a mahalla code. 0, or ERR_INVALID
 * naming the field at fault (err_field()): "id", "from", "to", "severity",
 * "lon", "lat" or "point" (neither a point nor a mahalla code). Codes are
 * the store's to check (categories and services must exist). */
int store_check_offence(const struct store_offence *o);

/* Upserts an offence (refused as store_check_offence() refuses); with a
 * point, its mahalla is the one containing it (info->outside when none
 * does). */
int store_put_offence(store *st, const struct store_offence *o, struct store_put_info *info);

/* Deletes the offence with this external id; *id receives its store id.
 * ERR_NOTFOUND when there is none. */
int store_delete_offence(store *st, const char *external_id, int64_t *id);

/* The store id of the offence with this external id; ERR_NOTFOUND. */
int store_offence_id(store *st, const char *external_id, int64_t *id);

/* An offence as read back, with its store id (ids grow: a new offence has
 * a larger id than every offence before it, save one deleted last). */
struct store_offence_row {
	int64_t id;
	struct store_offence o; /* precision PREC_UNKNOWN for a name this build does not know */
};

typedef int (*store_offence_fn)(void *ctx, const struct store_offence_row *r);

/* The offence with store id id (when id > 0) or else with external_id:
 * one call with every field; ERR_NOTFOUND when there is none. */
int store_get_offence(store *st, int64_t id, const char *external_id, store_offence_fn fn,
                      void *ctx);

/* The offences with first_id <= id <= last_id that have a point or a
 * mahalla code, by id: what an in-memory copy of the map needs. Only id,
 * the occurred times, precision, category, service, mahalla_code and the
 * point are read; the other fields are NULL, 0 or STORE_NO_TIME. */
int store_scan_offences(store *st, int64_t first_id, int64_t last_id, store_offence_fn fn,
                        void *ctx);

/* The point of every offence that has one, in no order. */
typedef int (*store_point_fn)(void *ctx, double lon, double lat);
int store_each_point(store *st, store_point_fn fn, void *ctx);

/* The number of offences, with a point or not. */
int store_offence_count(store *st, long *n);

/* One planned assignment of a zone: a service's unit on a shift. */
struct store_assignment {
	const char *service, *unit;
	struct shift shift; /* when the unit patrols the zone (end != start) */
};

struct store_zone {
	const char *external_id; /* required, unique */
	const char *name;
	const char *valid_from, *valid_to; /* "YYYY-MM-DD" or NULL for open */
	const char *author;
	const unsigned char *wkb; /* Polygon or MultiPolygon, EPSG:4326 */
	size_t wkb_len;
	const struct store_assignment *assignments;
	size_t n_assignments;
	/* Read back only (a put ignores it): the district holding a point of
	 * its surface; NULL for none. */
	const char *district_code;
};

/* Upserts a zone with its assignments; the replaced version is kept in
 * patrol_zone_versions and the change is audited as actor. */
int store_put_zone(store *st, const struct store_zone *z, const char *actor,
                   struct store_put_info *info);

/* The current version of the zone with this external id; ERR_NOTFOUND when
 * there is none. */
int store_zone_version(store *st, const char *external_id, int *version);

/* Deletes the zone with this external id and its assignments, keeping its
 * last version in patrol_zone_versions (marked deleted) and auditing the
 * deletion as actor; *version receives the deleted version. ERR_NOTFOUND. */
int store_delete_zone(store *st, const char *external_id, const char *actor, int *version);

/* A version of a zone as read back, its geometry both as zone.wkb and as
 * GeoJSON text. Everything is borrowed for the callback only. */
struct store_zone_record {
	struct store_zone zone;
	const char *geojson; /* MultiPolygon, lon/lat */
	int version;
	int64_t at;  /* current version: its last change; kept ones: when they ended */
	int current; /* the zone as it is now, rather than a kept version */
	int deleted; /* a kept version that a deletion ended */
};

/* Called once per zone version; a nonzero return stops the walk and is
 * returned by the walking function. */
typedef int (*store_zone_fn)(void *ctx, const struct store_zone_record *z);

/* The current zones by external id: those valid on active_day
 * ("YYYY-MM-DD", NULL: any) that have an assignment of service (NULL: any). */
int store_list_zones(store *st, const char *active_day, const char *service, store_zone_fn fn,
                     void *ctx);

/* The current version of one zone; ERR_NOTFOUND when there is none. */
int store_get_zone(store *st, const char *external_id, store_zone_fn fn, void *ctx);

/* Every version of a zone, newest first: the current one (when the zone
 * exists), then the kept ones, a deleted zone's included. ERR_NOTFOUND when
 * the id never named a zone. */
int store_zone_history(store *st, const char *external_id, store_zone_fn fn, void *ctx);

/* Tasks that one service asks of others. A task has a place (a point, a
 * hotspot, a mahalla, a zone or a district), the asking service and unit,
 * one or more receivers, each with its own status, a due day and a
 * priority. It is never deleted; each change raises its version (for
 * If-Match), is written to its log and audited. */

#define STORE_TASK_RECEIVERS_MAX 16

/* A receiver and where it stands. */
struct store_task_receiver {
	const char *service; /* a service code */
	const char *unit;    /* NULL: the service as a whole */
	const char *status;  /* read back: "new", "accepted", "in_progress", "done", "declined" */
	const char *note;    /* read back: a decline's reason or the outcome */
};

struct store_task {
	const char *external_id; /* required, unique, no '/' */
	const char *place_kind;  /* "point", "hotspot", "mahalla", "zone" or "district" */
	const char *place_ref;   /* a mahalla, zone or district code; a hotspot's label */
	double lon, lat;         /* a point's or hotspot's place; read back: every task's */
	const char *text;        /* what is asked */
	const char *from_service, *from_unit;
	const char *due;      /* "YYYY-MM-DD" or NULL */
	const char *priority; /* "low", "normal", "high" or "urgent" */
	const struct store_task_receiver *to;
	size_t n_to;
	/* Read back only: the mahalla and district of the place (NULL: none),
	 * the status of the whole (store_task_status()), who made it, its
	 * version and times (UTC seconds). */
	const char *mahalla_code, *district_code, *status, *author;
	int version;
	int64_t created, updated;
};

/* The status of a task as a whole: "declined" when every receiver
 * declined, else the least advanced of the others' ("new" until all have
 * accepted, "done" when all are done). */
const char *store_task_status(const struct store_task *t);

/* Whether text is a receiver's status ("new" ... "declined"). */
int store_task_status_valid(const char *text);

/* Stores a new task as actor (version 1), its place resolved to a point,
 * a mahalla and a district. ERR_CONFLICT when the id is taken, ERR_NOTFOUND
 * naming "place" when its code names nothing, ERR_INVALID naming the field
 * of what is missing or malformed. */
int store_task_add(store *st, const struct store_task *t, const char *actor);

/* One change of a task: a receiver's new status (with the reason of a
 * decline or the outcome), a comment, or the asker's new text, due day,
 * priority or receivers. Fields left NULL are not changed. */
struct store_task_change {
	const char *service, *unit; /* the receiver whose status changes */
	const char *status;
	const char *note;
	const char *comment;
	const char *text, *due, *priority;
	/* The receivers anew (NULL: kept): one named before keeps its status
	 * and note, a new one starts "new", one left out is dropped. */
	const struct store_task_receiver *to;
	size_t n_to;
};

/* Applies c to task id as actor, logging each part, and gives the new
 * version. ERR_NOTFOUND naming "id" (no task), "receiver" (not one of
 * its receivers) or "to[i].service" (no such service); ERR_INVALID naming
 * the field. */
int store_task_change(store *st, const char *id, const struct store_task_change *c,
                      const char *actor, int *version);

/* Which tasks a list gives; NULL fields do not narrow it. */
struct store_task_query {
	const char *id;
	const char *service; /* asked by or of this service */
	const char *mahalla, *district;
	int open; /* only tasks whose status is neither done nor declined */
};

/* Called once per task; everything borrowed for the call. */
typedef int (*store_task_fn)(void *ctx, const struct store_task *t);

/* The tasks q selects, by due day (those without one last), then id. */
int store_list_tasks(store *st, const struct store_task_query *q, store_task_fn fn, void *ctx);

/* One entry of a task's log. */
struct store_task_entry {
	int version;
	int64_t at;
	const char *actor;
	const char *action;         /* "create", "status", "comment" or "edit" */
	const char *service, *unit; /* a status change's receiver */
	const char *status;
	const char *note; /* a reason, an outcome, a comment, or what was edited */
};

typedef int (*store_task_entry_fn)(void *ctx, const struct store_task_entry *e);

/* The log of task id, oldest first. ERR_NOTFOUND when there is no task. */
int store_task_log(store *st, const char *id, store_task_entry_fn fn, void *ctx);

/* The shared prevention log: what a service did in a place (a patrol, a
 * meeting, a visit, an inspection), visible to every service. No field
 * holds a person: no name, no identity number, no address; the API keeps
 * a home visit's point no finer than a street. An activity is upserted by
 * its external id, as offences are, so another system may send it again. */
struct store_activity {
	const char *external_id; /* required, unique, no '/' */
	/* "patrol", "residents_meeting", "youth_meeting", "home_visit",
	 * "venue_inspection", "raid", "awareness" or "other" */
	const char *kind;
	int64_t started, ended;             /* UTC seconds; ended STORE_NO_TIME: a moment */
	const char *place_kind, *place_ref; /* as a task's */
	double lon, lat;                    /* a point's; read back: every activity's */
	const char *service, *unit;         /* who did it */
	long participants;                  /* people reached; -1: not counted */
	const char *task;                   /* the task it answers (its id); NULL: none */
	const char *outcome;                /* what came of it, the office's words */
	/* Read back only: the place's mahalla and district (NULL: none), who
	 * wrote it, its version and last change (UTC seconds). */
	const char *mahalla_code, *district_code, *author;
	int version;
	int64_t updated;
};

/* Whether text is a kind of activity. */
int store_activity_kind_valid(const char *text);

/* Upserts an activity as actor (audited); an unchanged one is left as it
 * is. ERR_INVALID naming the field, ERR_NOTFOUND naming "place.code",
 * "service" or "task" for a code or task that names nothing. */
int store_put_activity(store *st, const struct store_activity *a, const char *actor,
                       struct store_put_info *info);

/* Which activities a list gives; NULL fields and STORE_NO_TIME do not
 * narrow it. from..to keeps those that meet the span (UTC seconds). */
struct store_activity_query {
	const char *id, *service, *mahalla, *district, *task;
	int64_t from, to;
};

typedef int (*store_activity_fn)(void *ctx, const struct store_activity *a);

/* The activities q selects, the latest first. */
int store_list_activities(store *st, const struct store_activity_query *q, store_activity_fn fn,
                          void *ctx);

/* A GPS fix of a patrol track. */
struct store_fix {
	double lon, lat;
	int64_t t; /* UTC seconds */
};

struct store_track {
	const char *external_id; /* required, unique */
	const char *unit, *service;
	const struct store_fix *fixes; /* at least 2, in time order */
	size_t n_fixes;
	const char *district_code; /* read back only: the district of its first fix */
};

int store_put_track(store *st, const struct store_track *t, struct store_put_info *info);

/* Adds the fixes of t (any order) to the stored track with t's external id,
 * creating it with t's unit and service when there is none: a live unit's
 * track of the day. A fix at a time the track already holds replaces it. A
 * track of one fix is stored as that fix twice (a line needs two points).
 * Errors as store_put_track(), ERR_GEOMETRY for an unreadable stored track. */
int store_append_fixes(store *st, const struct store_track *t, struct store_put_info *info);

/* A stored track: track.fixes in time order. */
typedef int (*store_track_fn)(void *ctx, const struct store_track *t);

/* The tracks that end at or after from and start at or before to (either
 * STORE_NO_TIME: open), by start and id. ERR_GEOMETRY for an unreadable
 * stored track. */
int store_list_tracks(store *st, int64_t from, int64_t to, store_track_fn fn, void *ctx);

/* A unit's last known position: the last fix of its latest track. Strings
 * are borrowed for the callback only; service may be NULL. */
struct store_unit {
	const char *unit, *service;
	struct store_fix last;
	const char *district_code; /* of its latest track */
};

/* Called once per unit; a nonzero return stops the walk and is returned. */
typedef int (*store_unit_fn)(void *ctx, const struct store_unit *u);

/* Every unit whose latest track ends at or after since (STORE_NO_TIME: all),
 * by unit. */
int store_list_units(store *st, int64_t since, store_unit_fn fn, void *ctx);

/* Reference layers: the ground under the thematic layers (streets,
 * railways, water, parks, buildings, land use, places and addresses), from
 * OpenStreetMap or an office's own files. kind, cls and poi are the terms of
 * osmtags_classify() (osmtags.h). Strings may be NULL but external_id and
 * kind. */
struct store_ref_feature {
	const char *external_id; /* the source and its id ("osm:w123"), unique */
	const char *source;      /* "osm", or the reference file's name */
	const char *kind, *cls, *poi;
	const char *name, *name_uz, *name_uz_cyrl, *name_ru, *name_en;
	const char *street, *housenumber; /* the address it carries */
	const char *tags;                 /* every tag as a JSON object */
	const unsigned char *wkb;         /* any geometry, EPSG:4326 */
	size_t wkb_len;
};

/* Upserts a reference feature by its external id. ERR_INVALID without an
 * id (1..STORE_ID_MAX characters), a kind or a geometry; ERR_GEOMETRY for a
 * WKB SpatiaLite cannot read. */
int store_put_ref_feature(store *st, const struct store_ref_feature *f,
                          struct store_put_info *info);

/* A stored reference feature, everything borrowed for the call. */
typedef int (*store_ref_fn)(void *ctx, const struct store_ref_feature *f);

/* Every reference feature whose bounding box meets box (lon/lat west,
 * south, east, north; NULL: all), by id. */
int store_each_ref_feature(store *st, const double box[4], store_ref_fn fn, void *ctx);

/* The mahalla's standing: its category (green, yellow, red) over time, as
 * analysis/standing.h computes it, its named responsible officials and
 * the counts of registered at-risk groups (counts only: never a person). */
struct store_standing {
	const char *mahalla;
	const char *category; /* "green", "yellow" or "red" */
	int64_t since, until; /* UTC seconds; until STORE_NO_TIME: the current one */
	const char *measures; /* JSON object of the measures it was computed from */
	const char *reasons;  /* which limits it reached; NULL none */
};

/* Records mahalla's category computed at `at`: a category other than the
 * current one ends that (until = at) and starts a new one; the same one
 * only takes the new measures. *changed is set when a new one started. */
int store_standing_record(store *st, const struct store_standing *s, int *changed);

typedef int (*store_standing_fn)(void *ctx, const struct store_standing *s);

/* The recorded categories of mahalla (NULL: every mahalla's current one
 * only), newest first. */
int store_list_standing(store *st, const char *mahalla, store_standing_fn fn, void *ctx);

/* A responsible official of a mahalla: an office's holder, by position. */
struct store_official {
	const char *role, *name, *phone; /* phone NULL: not given */
};

/* Replaces mahalla's officials by o[0..n) (n at most 16), audited as actor. */
int store_set_officials(store *st, const char *mahalla, const struct store_official *o, size_t n,
                        const char *actor);

typedef int (*store_official_fn)(void *ctx, const char *mahalla, const struct store_official *o);

/* The officials of mahalla (NULL: of every mahalla), by mahalla and position. */
int store_list_officials(store *st, const char *mahalla, store_official_fn fn, void *ctx);

/* A count of a registered at-risk group of a mahalla. */
struct store_risk_count {
	const char *mahalla, *group;
	long count;
	const char *service; /* who entered it; NULL none */
	int64_t updated;
	const char *author;
};

/* Sets the count of group in mahalla (audited as r->author). */
int store_put_risk_count(store *st, const struct store_risk_count *r);

typedef int (*store_risk_fn)(void *ctx, const struct store_risk_count *r);

/* The counts of mahalla (NULL: every one), by mahalla and group. */
int store_list_risk_counts(store *st, const char *mahalla, store_risk_fn fn, void *ctx);

/* The change feed: every change of an offence, zone, task or activity, in
 * the order committed, numbered by a sequence that never repeats. */
struct store_feed_entry {
	int64_t seq, at;      /* at: UTC seconds */
	const char *entity;   /* "offence", "zone", "task", "activity" or "standing" */
	const char *id;       /* its external id */
	const char *action;   /* "create", "update" or "delete" */
	int version;          /* a zone's, task's or activity's; 0 for an offence */
	const char *district; /* where it was (a deletion: where it had been); NULL none */
};

typedef int (*store_feed_fn)(void *ctx, const struct store_feed_entry *c);

/* The changes after seq since, at most limit of them, in order. */
int store_list_changes(store *st, int64_t since, int limit, store_feed_fn fn, void *ctx);

/* The latest change's seq (0 without one): where a new reader starts. */
int store_change_head(store *st, int64_t *seq);

/* A webhook: a subscription of another system to the change feed, which
 * the daemon delivers to url (server/webhook.h). Its cursor is the last
 * change delivered (or passed over: another district's, another kind's),
 * kept here so that delivery resumes after a restart. The secret itself is
 * not in the database (nor in its backups): only the file holding it. */
struct store_webhook {
	int64_t id;
	const char *name;           /* 1..STORE_WEBHOOK_NAME_MAX of A-Z a-z 0-9 . _ -, unique */
	const char *url;            /* http:// or https:// */
	const char *secret_file;    /* absolute path of the file holding the secret */
	const char *scope;          /* as a token's (auth.h); NULL: every district */
	const char *kinds;          /* entities joined by ","; NULL: every kind */
	int64_t cursor;             /* the last change delivered or passed over */
	int64_t created, delivered; /* UTC seconds; delivered STORE_NO_TIME: never */
};

#define STORE_WEBHOOK_NAME_MAX 64

/* Adds h (its id, created and delivered are ignored). ERR_CONFLICT when a
 * webhook of that name exists, ERR_INVALID naming "name" or "url". */
int store_webhook_add(store *st, const struct store_webhook *h, int64_t now);

/* Removes the webhook called name. ERR_NOTFOUND when there is none. */
int store_webhook_remove(store *st, const char *name);

typedef int (*store_webhook_fn)(void *ctx, const struct store_webhook *h);

/* Every webhook, by name. */
int store_list_webhooks(store *st, store_webhook_fn fn, void *ctx);

/* Moves webhook id's cursor from `from` to `to`, delivered at now:
 * ERR_CONFLICT when its cursor is no longer `from` or it is gone (removed
 * meanwhile), and nothing changes. */
int store_webhook_advance(store *st, int64_t id, int64_t from, int64_t to, int64_t now);

/* Appends an audit row. */
int store_audit(store *st, const char *actor, const char *action, const char *entity,
                const char *entity_id, const char *detail);

/* Credentials: tokens and sessions kept as the SHA-256 of their secret
 * (64 hex digits; auth.h makes and hashes the secrets). */
enum store_secret {
	STORE_TOKEN = 1,
	STORE_SESSION = 2,
};

/* The longest service a token speaks for ("CODE/UNIT"), with its NUL. */
#define STORE_SERVICE_MAX 96

/* The longest scope a token keeps ("district:A,B,..."), with its NUL. */
#define STORE_SCOPE_MAX 1024

/* Stores a token's hash for name with role ("viewer" ... "admin"), made at
 * now, valid until expires (UTC seconds; STORE_NO_TIME: no end), reaching
 * scope (NULL or "": everything; else as auth_scope_parse() writes it),
 * speaking for service ("CODE" or "CODE/UNIT"; NULL: none); a revoked
 * token of that name goes, with its sessions. ERR_CONFLICT when
 * name has a token that is not revoked. */
int store_token_add(store *st, const char *name, const char *role, const char *hash, int64_t now,
                    int64_t expires, const char *scope, const char *service);

/* A token as listed: never its secret nor its hash. Times in UTC seconds,
 * STORE_NO_TIME when there is none (never used, no expiry, not revoked). */
struct store_token {
	const char *name, *role;
	const char *scope;   /* NULL: everything */
	const char *service; /* "CODE" or "CODE/UNIT"; NULL: none */
	int64_t created, last_used, expires, revoked;
};

typedef int (*store_token_fn)(void *ctx, const struct store_token *t);

/* Every token by name, revoked ones too (until their name is given
 * again). */
int store_list_tokens(store *st, store_token_fn fn, void *ctx);

/* Revokes name's token at now. ERR_NOTFOUND when it has none active. */
int store_token_revoke(store *st, const char *name, int64_t now);

/* Who holds a secret. */
struct store_credential {
	char name[128];
	char role[16];
	int64_t expires;                 /* when it ends (a session: its end or its token's,
	                                  * the earlier); STORE_NO_TIME: never */
	char scope[STORE_SCOPE_MAX];     /* the token's; "": everything */
	char service[STORE_SERVICE_MAX]; /* the token's "CODE[/UNIT]"; "": none */
};

/* How often at most a token's last use is written: the credential checks
 * of its requests in between write nothing. */
#define STORE_LAST_USE_SECONDS 60

/* The holder of the token or session with this hash, valid at now (not
 * revoked, not expired); ERR_NOTFOUND when none. A token past its expiry
 * is ERR_NOTFOUND too, with out->name and out->expires filled and the
 * message saying when it expired. A valid one's last use becomes now when
 * the one recorded is STORE_LAST_USE_SECONDS old or more (a session counts
 * as its token's use): a write that does not wait for a busy database (the
 * next check records it) and whose failure refuses nothing. */
int store_credential(store *st, enum store_secret kind, const char *hash, int64_t now,
                     struct store_credential *out);

/* Opens a session with this hash for token_name's token, from now until
 * expires. ERR_NOTFOUND when the name has no active token. */
int store_session_add(store *st, const char *hash, const char *token_name, int64_t now,
                      int64_t expires);

/* Ends the session with this hash (no error when there is none). */
int store_session_delete(store *st, const char *hash);

/* Figures of the whole database for `posbon info`. */

struct store_summary {
	int schema_version;
	long districts, mahallas, categories, services;
	long offences, offences_located, offences_outside, offences_no_point;
	long zones, assignments, tracks, audit;
	struct store_extent areas_extent, offences_extent;
	int64_t first_offence, last_offence; /* UTC seconds or STORE_NO_TIME */
	int srid;
};

int store_summarize(store *st, struct store_summary *out);

#endif
