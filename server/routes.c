/*
 * routes: the daemon's one route table: which handler answers which method
 * and path, and the role it needs. The only file that knows every handler
 * family.
 */
#include "routes.h"

#include "api_analysis.h"
#include "api_changes.h"
#include "api_meta.h"
#include "api_offences.h"
#include "api_print.h"
#include "api_server.h"
#include "api_standing.h"
#include "api_tasks.h"
#include "api_tiles.h"
#include "api_tracks.h"
#include "api_zones.h"
#include "auth.h"
#include "wms.h"

#include <stddef.h>

const struct http_route routes_table[] = {
    {"GET", "/healthz", api_health, ROLE_NONE},
    {"POST", "/api/login", api_login, ROLE_NONE},
    {"POST", "/api/logout", api_logout, ROLE_NONE},
    {"GET", "/api/me", api_me, ROLE_VIEWER},
    {"GET", "/api/meta", api_meta, ROLE_VIEWER},
    {"GET", "/api/legend", api_legend, ROLE_VIEWER},
    {"GET", "/api/districts", api_districts, ROLE_VIEWER},
    {"GET", "/api/mahallas", api_mahallas, ROLE_VIEWER},
    {"GET", "/api/summary", api_summary, ROLE_VIEWER},
    {"GET", "/api/offences", api_offences_get, ROLE_VIEWER},
    {"POST", "/api/offences", api_offences_post, ROLE_OFFICER},
    {"PATCH", "/api/offences/", api_offence_patch, ROLE_OFFICER},
    {"DELETE", "/api/offences/", api_offence_delete, ROLE_OFFICER},
    {"GET", "/api/zones", api_zones_get, ROLE_VIEWER},
    {"POST", "/api/zones", api_zones_post, ROLE_PLANNER},
    {"PUT", "/api/zones/", api_zones_put, ROLE_PLANNER},
    {"DELETE", "/api/zones/", api_zones_delete, ROLE_PLANNER},
    {"GET", "/api/tasks", api_tasks_get, ROLE_VIEWER},
    {"POST", "/api/tasks", api_tasks_post, ROLE_OFFICER},
    {"PATCH", "/api/tasks/", api_tasks_patch, ROLE_OFFICER},
    {"GET", "/api/activities", api_activities_get, ROLE_VIEWER},
    {"GET", "/api/changes", api_changes, ROLE_VIEWER},
    {"GET", "/api/standing", api_standing_get, ROLE_VIEWER},
    {"POST", "/api/standing", api_standing_post, ROLE_PLANNER},
    {"PUT", "/api/standing/", api_standing_put, ROLE_VIEWER}, /* its role checked within */
    {"POST", "/api/activities", api_activities_post, ROLE_OFFICER},
    {"GET", "/api/hotspots", api_hotspots, ROLE_VIEWER},
    {"GET", "/api/dosage", api_dosage, ROLE_VIEWER},
    {"POST", "/api/tracks", api_tracks_post, ROLE_OFFICER},
    {"GET", "/api/units", api_units, ROLE_VIEWER},
    {"GET", "/api/coverage", api_coverage, ROLE_VIEWER},
    {"GET", "/api/plan", api_plan, ROLE_VIEWER},
    {"POST", "/api/plan/save", api_plan_save, ROLE_PLANNER},
    {"GET", "/api/gistar", api_gistar, ROLE_VIEWER},
    {"GET", "/api/backtest/chart.png", api_backtest_chart, ROLE_VIEWER},
    {"GET", "/api/backtest/chart.svg", api_backtest_chart, ROLE_VIEWER},
    {"GET", "/api/backtest", api_backtest, ROLE_VIEWER},
    {"GET", "/api/trends", api_trends, ROLE_VIEWER},
    {"GET", "/api/compare", api_compare, ROLE_VIEWER},
    {"GET", "/api/evaluate", api_evaluate, ROLE_VIEWER},
    {"GET", "/api/events", api_events, ROLE_VIEWER},
    {"GET", "/metrics", api_metrics, ROLE_VIEWER},
    {"GET", "/tiles/", api_tile, ROLE_VIEWER},
    {"GET", "/print/", api_print, ROLE_VIEWER},
    /* The handler authorizes, to send WMS clients a Basic challenge. */
    {"GET", "/wms", wms_get, ROLE_NONE},
    {"GET", "/", api_static, ROLE_NONE},
    {NULL, NULL, NULL, 0},
};
