/*
 * routes: the HTTP API of the daemon: health, tiles and TileJSON.
 *
 * The app holds what handlers share: the renderer (thread-safe) and one
 * SQLite connection per worker thread, opened on first use.
 */
#ifndef POSBON_ROUTES_H
#define POSBON_ROUTES_H

#include "cache.h"
#include "http.h"
#include "render.h"

#include <pthread.h>

struct app {
	const char *db_path;
	renderer *r;
	tile_cache *cache;
	pthread_key_t store_key; /* per-thread store, closed when the thread ends */
};

/* The route table, ended by a NULL method. */
extern const struct http_route routes_table[];

/* Prepares the per-thread connections of app; routes_cleanup() undoes it. */
int routes_init(struct app *app);
void routes_cleanup(struct app *app);

#endif
