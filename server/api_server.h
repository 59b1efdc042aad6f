/*
 * api_server: GET /healthz, /metrics, /api/me, /api/events and the static
 * files; POST /api/login and /api/logout (docs/api.md).
 */
#ifndef POSBON_API_SERVER_H
#define POSBON_API_SERVER_H

#include "http.h"

int api_health(struct http_request *rq);
int api_metrics(struct http_request *rq);
int api_login(struct http_request *rq);
int api_logout(struct http_request *rq);
int api_me(struct http_request *rq);
int api_events(struct http_request *rq);
int api_static(struct http_request *rq);

#endif
