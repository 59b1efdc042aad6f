/*
 * routes: the HTTP API of the daemon (docs/api.md) as one table of
 * {method, path prefix, handler, role}, for http_start() (http.h). What
 * the handlers share is in app.h.
 */
#ifndef POSBON_ROUTES_H
#define POSBON_ROUTES_H

#include "app.h"
#include "http.h"

/* The route table, ended by a NULL method, and who may use which. */
extern const struct http_route routes_table[];

#endif
