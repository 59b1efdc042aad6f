/*
 * api_tasks: GET, POST and PATCH of /api/tasks, the tasks one service asks
 * of others (store.h). Territorial scope applies to every task by its
 * district; credentials that speak for a service ask in its name and
 * change only its own receivers' statuses.
 */
#ifndef POSBON_API_TASKS_H
#define POSBON_API_TASKS_H

#include "http.h"

int api_tasks_get(struct http_request *rq);
int api_tasks_post(struct http_request *rq);
int api_tasks_patch(struct http_request *rq);

#endif
