/*
 * api_standing: the mahalla's standing (analysis/standing.h) over HTTP:
 * GET /api/standing (live categories, the recorded history, officials and
 * at-risk counts), POST /api/standing (record the categories now), PUT
 * /api/standing/{code}/officials and PUT /api/standing/{code}/risk.
 * At-risk counts below the rules' threshold are suppressed for
 * credentials outside the services (the viewer role).
 */
#ifndef POSBON_API_STANDING_H
#define POSBON_API_STANDING_H

#include "http.h"

int api_standing_get(struct http_request *rq);
int api_standing_post(struct http_request *rq);
int api_standing_put(struct http_request *rq);

#endif
