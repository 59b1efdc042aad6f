/*
 * locator: which polygon contains a point, in memory.
 *
 * Holds GEOS prepared geometries of a set of coded polygons (the mahallas)
 * with their bounding boxes, so that a point is located in about a
 * microsecond instead of the ~200 µs of an SQL spatial query, also among
 * thousands of polygons (a grid of their boxes). Polygons are WKB in
 * EPSG:4326 (lon, lat). A point on a shared boundary goes to the first
 * polygon added that covers it.
 *
 * Threading: a locator owns a GEOS context and belongs to one thread.
 */
#ifndef POSBON_LOCATOR_H
#define POSBON_LOCATOR_H

#include <stddef.h>

typedef struct locator locator;

/* Returns a new, empty locator; free with locator_free(). NULL on no memory. */
locator *locator_new(void);

void locator_free(locator *loc);

/* Adds a polygon under code (copied). */
int locator_add(locator *loc, const char *code, const unsigned char *wkb, size_t wkb_len);

/* Code of the polygon covering (lon, lat), borrowed for the locator's
 * lifetime, or NULL when none does. The first find after adds may index
 * the polygons (hence not const). */
const char *locator_find(locator *loc, double lon, double lat);

#endif
