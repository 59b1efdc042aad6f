/*
 * storebackend: the table of operations a store backend implements.
 *
 * A store is a backend's connection whose first member is struct store, so
 * that store.c dispatches every public store_* call through st->ops, as
 * SQLite's VFS dispatches through sqlite3_file.pMethods and mod_tile's
 * storage backends through struct storage_backend. store.c checks the
 * arguments that do not depend on the backend (ids, names, ranges, the
 * order of fixes) before it calls an operation; an operation checks what
 * only the database can tell, and reports errors with err_set().
 *
 * The operations take the same arguments, return the same codes and follow
 * the same ownership rules as the public functions of store.h of the same
 * name. Only gis-data includes this header: a new backend is a new file
 * there with a table of its own, listed in store.c's table of URL schemes.
 */
#ifndef POSBON_STOREBACKEND_H
#define POSBON_STOREBACKEND_H

#include "store.h"

struct store {
	const struct store_backend *ops;
};

struct store_backend {
	const char *name; /* "SpatiaLite" */

	/* target is what follows the URL scheme (a path for SpatiaLite). */
	int (*open)(const char *target, int flags, store **out);
	void (*close)(store *st);
	const char *(*path)(store *st); /* NULL: no file */
	int (*schema_version)(store *st);
	int (*backup)(store *st, const char *dest, int flags);
	int (*check_integrity)(store *st);

	int (*begin)(store *st);
	int (*commit)(store *st);
	int (*rollback)(store *st);
	int (*savepoint)(store *st, const char *name);
	int (*release)(store *st, const char *name);
	int (*rollback_to)(store *st, const char *name);
	int (*bulk_begin)(store *st);
	int (*bulk_end)(store *st);
	int (*page_cache)(store *st, long kib, long *was);

	int (*put_area)(store *st, enum store_area_kind kind, const struct store_area *a,
	                struct store_put_info *info);
	int (*list_areas)(store *st, enum store_area_kind kind, const char *code, int geojson,
	                  store_area_fn fn, void *ctx);
	int (*region_districts)(store *st, const char *regions, char *out, size_t n);
	int (*area_extent)(store *st, struct store_extent *e);
	int (*area_m2)(store *st, double *m2);
	int (*time_zone)(store *st, char *out, size_t n); /* "" when no district has one */
	int (*area_reach)(store *st, const unsigned char *wkb, size_t len, struct store_reach *out);

	int (*put_code)(store *st, enum store_code_kind kind, const struct store_code *c);
	int (*ensure_code)(store *st, enum store_code_kind kind, const char *code,
	                   const char *name);
	int (*list_codes)(store *st, enum store_code_kind kind, store_code_fn fn, void *ctx);
	int (*code_exists)(store *st, enum store_code_kind kind, const char *code);

	int (*put_offence)(store *st, const struct store_offence *o, struct store_put_info *info);
	int (*delete_offence)(store *st, const char *external_id, int64_t *id);
	int (*offence_id)(store *st, const char *external_id, int64_t *id);
	int (*get_offence)(store *st, int64_t id, const char *external_id, store_offence_fn fn,
	                   void *ctx);
	int (*scan_offences)(store *st, int64_t first_id, int64_t last_id, store_offence_fn fn,
	                     void *ctx);
	int (*each_point)(store *st, store_point_fn fn, void *ctx);
	int (*offence_count)(store *st, long *n);

	int (*put_zone)(store *st, const struct store_zone *z, const char *actor,
	                struct store_put_info *info);
	int (*zone_version)(store *st, const char *external_id, int *version);
	int (*delete_zone)(store *st, const char *external_id, const char *actor, int *version);
	int (*list_zones)(store *st, const char *active_day, const char *service, const char *id,
	                  store_zone_fn fn, void *ctx, size_t *rows);
	int (*zone_versions)(store *st, const char *external_id, store_zone_fn fn, void *ctx,
	                     size_t *rows);

	int (*task_add)(store *st, const struct store_task *t, const char *actor);
	int (*task_change)(store *st, const char *id, const struct store_task_change *c,
	                   const char *actor, int *version);
	int (*list_tasks)(store *st, const struct store_task_query *q, store_task_fn fn, void *ctx);
	int (*task_log)(store *st, const char *id, store_task_entry_fn fn, void *ctx);
	int (*put_activity)(store *st, const struct store_activity *a, const char *actor,
	                    struct store_put_info *info);
	int (*list_activities)(store *st, const struct store_activity_query *q,
	                       store_activity_fn fn, void *ctx);

	int (*put_ref_feature)(store *st, const struct store_ref_feature *f,
	                       struct store_put_info *info);
	int (*each_ref_feature)(store *st, const double box[4], store_ref_fn fn, void *ctx);

	int (*put_track)(store *st, const struct store_track *t, struct store_put_info *info);
	int (*track_fixes)(store *st, const char *external_id, struct store_fix **fixes, size_t *n);
	int (*list_tracks)(store *st, int64_t from, int64_t to, store_track_fn fn, void *ctx);
	int (*list_units)(store *st, int64_t since, store_unit_fn fn, void *ctx);

	int (*standing_record)(store *st, const struct store_standing *s, int *changed);
	int (*list_standing)(store *st, const char *mahalla, store_standing_fn fn, void *ctx);
	int (*set_officials)(store *st, const char *mahalla, const struct store_official *o,
	                     size_t n, const char *actor);
	int (*list_officials)(store *st, const char *mahalla, store_official_fn fn, void *ctx);
	int (*put_risk_count)(store *st, const struct store_risk_count *r);
	int (*list_risk_counts)(store *st, const char *mahalla, store_risk_fn fn, void *ctx);
	int (*list_changes)(store *st, int64_t since, int limit, store_feed_fn fn, void *ctx);
	int (*change_head)(store *st, int64_t *seq);
	int (*webhook_add)(store *st, const struct store_webhook *h, int64_t now);
	int (*webhook_remove)(store *st, const char *name);
	int (*list_webhooks)(store *st, store_webhook_fn fn, void *ctx);
	int (*webhook_advance)(store *st, int64_t id, int64_t from, int64_t to, int64_t now);
	int (*audit)(store *st, const char *actor, const char *action, const char *entity,
	             const char *entity_id, const char *detail);
	int (*summarize)(store *st, struct store_summary *out);

	int (*token_add)(store *st, const char *name, const char *role, const char *hash,
	                 int64_t now, int64_t expires, const char *scope, const char *service);
	int (*list_tokens)(store *st, store_token_fn fn, void *ctx);
	int (*token_revoke)(store *st, const char *name, int64_t now);
	int (*credential)(store *st, enum store_secret kind, const char *hash, int64_t now,
	                  struct store_credential *out);
	int (*session_add)(store *st, const char *hash, const char *token_name, int64_t now,
	                   int64_t expires);
	int (*session_delete)(store *st, const char *hash);
};

/* Sends a line to the notice set by store_set_notice(), if any. */
void store_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The SpatiaLite backend (spl.c). */
extern const struct store_backend spl_backend;

#endif
