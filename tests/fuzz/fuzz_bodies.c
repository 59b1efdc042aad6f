/*
 * The JSON bodies of the API's writes: offences (POST /api/offences, a
 * Feature or FeatureCollection; PATCH /api/offences/{id}), live tracks
 * (POST /api/tracks), patrol zones (POST /api/zones, PUT
 * /api/zones/{id}) and login. The handlers parse them and, when valid,
 * store them in the sample district's database, as the daemon would.
 *
 * Input: a selector byte ('o' POST offences, 'p' PATCH an offence, 't'
 * tracks, 'z' POST a zone, 'u' PUT a zone, 'l' login), then the body.
 */
#include "fuzzutil.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first external id of table in the app's database, as a path. */
static void first_id(store *st, const char *table, const char *prefix, char *out, size_t n)
{
	char sql[128];
	sqlite3_stmt *s = NULL;
	snprintf(sql, sizeof sql, "SELECT external_id FROM %s ORDER BY id LIMIT 1", table);
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		fprintf(stderr, "fuzz setup: no %s\n", table);
		abort();
	}
	snprintf(out, n, "%s%s", prefix, (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

static http_handler handler_of(const char *method, const char *prefix)
{
	for (const struct http_route *r = routes_table; r->method; r++)
		if (strcmp(r->method, method) == 0 && strcmp(r->prefix, prefix) == 0)
			return r->handler;
	abort();
}

/* The paths of the sample's first offence and zone. */
static char offence[300], zone[300];

static const struct write {
	char selector;
	const char *method, *prefix, *path;
} writes[] = {
    {'o', "POST", "/api/offences", "/api/offences"},
    {'p', "PATCH", "/api/offences/", offence},
    {'t', "POST", "/api/tracks", "/api/tracks"},
    {'z', "POST", "/api/zones", "/api/zones"},
    {'u', "PUT", "/api/zones/", zone},
    {'l', "POST", "/api/login", "/api/login"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct app *app = fuzzutil_app();
	if (!offence[0]) {
		store *st = fuzzutil_handler_store();
		first_id(st, "offences", "/api/offences/", offence, sizeof offence);
		first_id(st, "patrol_zones", "/api/zones/", zone, sizeof zone);
	}
	const struct write *w = writes;
	while (size && w < writes + sizeof writes / sizeof *writes && w->selector != data[0])
		w++;
	if (!size || w == writes + sizeof writes / sizeof *writes)
		return 0;
	struct fake_request f;
	if (fakehttp_init(&f, app, w->method, w->path, "", 0, (const char *)data + 1, size - 1) ==
	    0) {
		fakehttp_header(&f, "If-Match", "*");
		fuzzutil_call(handler_of(w->method, w->prefix), &f);
	}
	fakehttp_free(&f);
	return 0;
}
