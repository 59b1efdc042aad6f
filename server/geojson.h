/*
 * geojson: GeoJSON features and the JSON pieces of them that the API's
 * handlers and the WMS share: offences, a mahalla's figures, patrol
 * zones, tasks, times.
 *
 * Ownership: every json_t returned is a new reference, the caller's.
 * Threading: uses the store it is given (the calling thread's).
 */
#ifndef POSBON_GEOJSON_H
#define POSBON_GEOJSON_H

#include "dataset.h"
#include "ground.h"
#include "store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* UTC time t as "YYYY-MM-DDTHH:MM:SSZ" into buf. */
void geojson_iso_time(int64_t t, char *buf, size_t n);

/* The same as a JSON string; null for STORE_NO_TIME. */
json_t *geojson_time(int64_t t);

/* t as a JSON string, null for NULL. */
json_t *geojson_text(const char *t);

/* [{"code", "count"}, ...] of the nonzero entries of counts (n of them,
 * indexed as ds's categories, or its services when services is set). */
json_t *geojson_counts(const dataset *ds, const double *counts, size_t n, int services);

/* The figures of mahalla code under filter f (what GET /api/mahallas/{code}
 * answers): a new object, or NULL with ERR_NOTFOUND or ERR_DB set. */
json_t *geojson_mahalla_figures(store *st, const dataset *ds, const char *code,
                                const struct dataset_filter *f);

/* Where the streets of offences are looked up: the renderer's ground,
 * names in lang. */
struct geojson_streets {
	const ground *ground;
	enum ground_lang lang;
};

/* The offences of store ids as GeoJSON Features (what GET /api/offences
 * lists): a new array; ids not found are left out. Each says how its
 * point was found (located_by) and, with streets, the street its point is
 * on (street, null when none is near). */
json_t *geojson_offences(store *st, const int64_t *ids, size_t n,
                         const struct geojson_streets *streets);

/* A zone version as a GeoJSON Feature (what GET /api/zones lists); with
 * history, marked current or deleted. */
json_t *geojson_zone_feature(const struct store_zone_record *r, int history);

/* The current version of zone id as a Feature, or NULL when there is none. */
json_t *geojson_zone(store *st, const char *id);

/* A task as a GeoJSON Feature at its place's point (what GET /api/tasks
 * lists), marked overdue or not. */
json_t *geojson_task_feature(const struct store_task *t, int overdue);

/* A change of the feed as GET /api/changes lists it and webhooks deliver
 * it: seq, at, entity, id, action, version, district and href (where the
 * record is now; null after a deletion). */
json_t *geojson_change(const struct store_feed_entry *c);

#endif
