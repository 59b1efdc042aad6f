/*
 * api: the JSON endpoints of docs/api.md. Each handler answers one route of
 * routes_table; the app (routes.h) gives them the renderer, the per-thread
 * store, the time zone and the event stream.
 */
#ifndef POSBON_API_H
#define POSBON_API_H

#include "backtest.h"
#include "http.h"
#include "routes.h"

#include <jansson.h>

int api_meta(struct http_request *rq);
int api_legend(struct http_request *rq);
int api_mahallas(struct http_request *rq); /* the list, or /api/mahallas/{code} */
int api_summary(struct http_request *rq);
int api_offences_get(struct http_request *rq);
int api_offences_post(struct http_request *rq);
int api_offence_patch(struct http_request *rq);
int api_offence_delete(struct http_request *rq);
int api_hotspots(struct http_request *rq);    /* GeoJSON of a shift's hotspots */
int api_dosage(struct http_request *rq);      /* GeoJSON of the hotspots' dosage */
int api_tracks_post(struct http_request *rq); /* live fixes of a unit */
int api_units(struct http_request *rq);       /* each unit's last position */
int api_hotspots(struct http_request *rq);    /* GeoJSON of a shift's hotspots */
int api_coverage(struct http_request *rq);    /* JSON or CSV of a shift's coverage */
int api_hotspots(struct http_request *rq);    /* GeoJSON of a shift's hotspots */
int api_plan(struct http_request *rq);        /* GeoJSON of a shift's suggested plan */
int api_plan_save(struct http_request *rq);   /* its zones stored (planner) */
int api_gistar(struct http_request *rq);      /* Gi* hot and cold cells as GeoJSON */
/* Rolling backtests of hotspot methods, and their hit-rate curves. */
int api_backtest(struct http_request *rq);
int api_backtest_chart(struct http_request *rq);
/* Runs the backtest rq's query asks for (shift, weekdays, train_weeks,
 * test_weeks, step_weeks, folds, end, categories, services, cell, share,
 * date) into *b (free with backtest_free()), for the API and the printed
 * page. Returns 0, or 1 after answering 400 naming the field or 500 into
 * *reply. */
int api_backtest_query(struct http_request *rq, struct backtest *b, int *reply);
/* The figures of mahalla code under filter f (what GET /api/mahallas/{code}
 * answers): a new object, or NULL with ERR_NOTFOUND or ERR_DB set. */
json_t *api_mahalla_figures(store *st, const dataset *ds, const char *code,
                            const struct dataset_filter *f);
/* The offences of store ids as GeoJSON Features (what GET /api/offences
 * lists): a new array; ids not found are left out. */
json_t *api_offence_features(store *st, const int64_t *ids, size_t n);
int api_trends(struct http_request *rq); /* emerging hot spot categories as GeoJSON */

#endif
