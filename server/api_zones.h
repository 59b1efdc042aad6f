/*
 * api_zones: patrol zones over HTTP (docs/api.md, "Patrol zones"): GeoJSON
 * reads for viewers, validated writes for planners with optimistic locking
 * (If-Match with the zone's version), and every version kept for
 * /api/zones/{id}/history.
 *
 * A write is checked (zonecheck.h), committed and audited before its
 * answer; then the renderer reloads its shapes, so tiles with zones get new
 * ETags, and open viewers hear a "zones" event.
 */
#ifndef POSBON_API_ZONES_H
#define POSBON_API_ZONES_H

#include "http.h"

int api_zones_get(struct http_request *rq); /* the list, one zone, or its history */
int api_zones_post(struct http_request *rq);
int api_zones_put(struct http_request *rq);
int api_zones_delete(struct http_request *rq);

#endif
