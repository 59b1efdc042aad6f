/*
 * api_changes: GET /api/changes, the change feed other information systems
 * follow: every change of an offence, zone, task or activity in the order
 * committed, by a cursor that stays good across restarts (store.h).
 */
#ifndef POSBON_API_CHANGES_H
#define POSBON_API_CHANGES_H

#include "http.h"

int api_changes(struct http_request *rq);

#endif
