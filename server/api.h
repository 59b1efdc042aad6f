/*
 * api: the JSON endpoints of docs/api.md. Each handler answers one route of
 * routes_table; the app (routes.h) gives them the renderer, the per-thread
 * store, the time zone and the event stream.
 */
#ifndef POSBON_API_H
#define POSBON_API_H

#include "http.h"
#include "routes.h"

int api_meta(struct http_request *rq);
int api_legend(struct http_request *rq);
int api_mahallas(struct http_request *rq); /* the list, or /api/mahallas/{code} */
int api_summary(struct http_request *rq);
int api_offences_get(struct http_request *rq);
int api_offences_post(struct http_request *rq);
int api_offence_patch(struct http_request *rq);
int api_offence_delete(struct http_request *rq);
int api_hotspots(struct http_request *rq); /* GeoJSON of a shift's hotspots */
int api_gistar(struct http_request *rq);   /* Gi* hot and cold cells as GeoJSON */

#endif
