/*
 * static: the viewer's files. `/` is web/index.html, `/vendor/leaflet/...`
 * and `/vendor/geoman/...` (the planners' drawing plugin) come from the npm
 * packages in node_modules, every other path from web/.
 * Paths are checked before any file is opened: no "..", no hidden files, no
 * backslashes, nothing outside those folders even through a symlink.
 * These files carry no data, so the login screen can load without
 * credentials.
 */
#ifndef POSBON_STATIC_H
#define POSBON_STATIC_H

#include "http.h"

struct static_dirs {
	const char *web;     /* the viewer's folder */
	const char *leaflet; /* node_modules/leaflet/dist */
	const char *geoman;  /* node_modules/@geoman-io/leaflet-geoman-free/dist */
};

/* Answers GET of a viewer file under dirs. */
int static_serve(struct http_request *rq, const struct static_dirs *dirs);

#endif
