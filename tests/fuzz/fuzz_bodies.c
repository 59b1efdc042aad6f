/*
 * The JSON bodies of the API's writes: offences (POST /api/offences, a
 * Feature or FeatureCollection; PATCH /api/offences/{id}), live tracks
 * (POST /api/tracks), patrol zones (POST /api/zones, PUT
 * /api/zones/{id}), tasks (POST /api/tasks, PATCH /api/tasks/{id}), the
 * prevention log (POST /api/activities), a mahalla's officials and
 * at-risk counts (PUT /api/standing/{code}/...) and login. The handlers parse them and, when valid,
 * store them in the sample district's database, as the daemon would.
 *
 * Input: a selector byte ('o' POST offences, 'p' PATCH an offence, 't'
 * tracks, 'z' POST a zone, 'u' PUT a zone, 'k' POST a task, 'q' PATCH a
 * task, 'a' activities, 'f' officials, 'r' an at-risk count, 'l' login),
 * then the body.
 */
#include "fuzzutil.h"

#include "err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first offence's store id (a store_scan_offences() callback). */
static int first_offence(void *ctx, const struct store_offence_row *r)
{
	*(int64_t *)ctx = r->id;
	return 1;
}

/* The external id of a record, as a path after prefix. */
struct path {
	const char *prefix;
	char *out;
	size_t n;
};

static int offence_path(void *ctx, const struct store_offence_row *r)
{
	struct path *p = ctx;
	snprintf(p->out, p->n, "%s%s", p->prefix, r->o.external_id);
	return 1;
}

static int zone_path(void *ctx, const struct store_zone_record *z)
{
	struct path *p = ctx;
	snprintf(p->out, p->n, "%s%s", p->prefix, z->zone.external_id);
	return 1;
}

/* The first mahalla's code into ctx (a store_list_areas() callback). */
static int first_mahalla(void *ctx, const struct store_area_record *a)
{
	snprintf(ctx, 128, "%s", a->area.code);
	return 1;
}

/* A task of the sample to change: in its first mahalla, asked of the
 * prevention inspectors; the paths of that mahalla's standing writes. */
static void make_task(store *st, char *officials_path, char *risk_path)
{
	char mahalla[128] = "";
	struct store_task_receiver to = {.service = "prevention"};
	struct store_task t = {.external_id = "fuzz-task",
	                       .place_kind = "mahalla",
	                       .place_ref = mahalla,
	                       .text = "a task to change",
	                       .from_service = "jqb",
	                       .to = &to,
	                       .n_to = 1};
	if (store_list_areas(st, STORE_MAHALLAS, NULL, 0, first_mahalla, mahalla) != 1 ||
	    store_task_add(st, &t, "fuzz") < 0) {
		fprintf(stderr, "fuzz setup: no task: %s\n", err_msg());
		abort();
	}
	snprintf(officials_path, 300, "/api/standing/%s/officials", mahalla);
	snprintf(risk_path, 300, "/api/standing/%s/risk", mahalla);
}

static http_handler handler_of(const char *method, const char *prefix)
{
	for (const struct http_route *r = routes_table; r->method; r++)
		if (strcmp(r->method, method) == 0 && strcmp(r->prefix, prefix) == 0)
			return r->handler;
	abort();
}

/* The paths of the sample's first offence and zone, and of its first
 * mahalla's officials and at-risk counts. */
static char offence[300], zone[300], officials[300], risk[300];

static const struct write {
	char selector;
	const char *method, *prefix, *path;
} writes[] = {
    {'o', "POST", "/api/offences", "/api/offences"},
    {'p', "PATCH", "/api/offences/", offence},
    {'t', "POST", "/api/tracks", "/api/tracks"},
    {'z', "POST", "/api/zones", "/api/zones"},
    {'u', "PUT", "/api/zones/", zone},
    {'k', "POST", "/api/tasks", "/api/tasks"},
    {'q', "PATCH", "/api/tasks/", "/api/tasks/fuzz-task"},
    {'a', "POST", "/api/activities", "/api/activities"},
    {'f', "PUT", "/api/standing/", officials},
    {'r', "PUT", "/api/standing/", risk},
    {'l', "POST", "/api/login", "/api/login"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct app *app = fuzzutil_app();
	if (!offence[0]) {
		store *st = fuzzutil_handler_store();
		int64_t id = 0;
		struct path o = {"/api/offences/", offence, sizeof offence},
		            z = {"/api/zones/", zone, sizeof zone};
		if (store_scan_offences(st, 0, INT64_MAX, first_offence, &id) != 1 ||
		    store_get_offence(st, id, NULL, offence_path, &o) != 1 ||
		    store_list_zones(st, NULL, NULL, zone_path, &z) != 1) {
			fprintf(stderr, "fuzz setup: no offence or zone\n");
			abort();
		}
		make_task(st, officials, risk);
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
