/*
 * api_analysis: the analysis endpoints of docs/api.md: hotspots, dosage,
 * coverage, the suggested plan, Gi*, backtests, trends and the comparison
 * table.
 */
#ifndef POSBON_API_ANALYSIS_H
#define POSBON_API_ANALYSIS_H

#include "http.h"

int api_hotspots(struct http_request *rq);  /* GeoJSON of a shift's hotspots */
int api_dosage(struct http_request *rq);    /* GeoJSON of the hotspots' dosage */
int api_coverage(struct http_request *rq);  /* JSON or CSV of a shift's coverage */
int api_plan(struct http_request *rq);      /* GeoJSON of a shift's suggested plan */
int api_plan_save(struct http_request *rq); /* its zones stored (planner) */
int api_gistar(struct http_request *rq);    /* Gi* hot and cold cells as GeoJSON */
/* Rolling backtests of hotspot methods, and their hit-rate curves. */
int api_backtest(struct http_request *rq);
int api_backtest_chart(struct http_request *rq);
int api_trends(struct http_request *rq);   /* emerging hot spot categories as GeoJSON */
int api_compare(struct http_request *rq);  /* the comparison table as JSON or CSV */
int api_evaluate(struct http_request *rq); /* did the activities in an area help */

#endif
