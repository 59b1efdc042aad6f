/*
 * api_tasks: the services' cooperation: GET, POST and PATCH of /api/tasks,
 * the tasks one service asks of others, and the prevention log (store.h). Territorial scope applies
 * to every task by its district; credentials that speak for a service ask in its name and change
 * only its own receivers' statuses; what they log is in its name.
 */
#ifndef POSBON_API_TASKS_H
#define POSBON_API_TASKS_H

#include "http.h"

int api_tasks_get(struct http_request *rq);
int api_tasks_post(struct http_request *rq);
int api_tasks_patch(struct http_request *rq);

/* GET and POST of /api/activities, the shared prevention log: what any
 * service did in a place, visible to every service in scope. */
int api_activities_get(struct http_request *rq);
int api_activities_post(struct http_request *rq);

#endif
