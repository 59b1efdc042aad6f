/*
 * api_tracks: POST /api/tracks (live fixes of a unit) and GET /api/units
 * (each unit's last position) of docs/api.md.
 */
#ifndef POSBON_API_TRACKS_H
#define POSBON_API_TRACKS_H

#include "http.h"

int api_tracks_post(struct http_request *rq);
int api_units(struct http_request *rq);

#endif
