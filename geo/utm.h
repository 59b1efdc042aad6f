/*
 * utm: a district's local metric frame, the UTM zone it lies in, through
 * PROJ: lon/lat to and from UTM metres (always east, north), the point scale
 * factor k (UTM metres per ground metre, 0.9996 on the central meridian),
 * and the boxes that carry a frame's extent to Web Mercator and back.
 *
 * Prints are drawn in this frame at a true scale, and the density export
 * writes its grid in it.
 *
 * Threading: a utm object owns its PROJ context; it belongs to one thread.
 */
#ifndef POSBON_UTM_H
#define POSBON_UTM_H

#include <stddef.h>

typedef struct utm utm;

/* EPSG code of the UTM zone of a lon/lat (32601..32660 north, 327nn south). */
int utm_zone_epsg(double lon, double lat);

/* Opens the frame of EPSG code epsg (a UTM zone, or any projected CRS PROJ
 * knows). *out is new; free with utm_free(). ERR_PROJ, ERR_NOMEM. */
int utm_open(int epsg, utm **out);

/* Frees u; accepts NULL. */
void utm_free(utm *u);

int utm_epsg(const utm *u);

/* "EPSG:326nn", for shapes_load() and messages. */
const char *utm_crs(const utm *u);

/* Lon/lat (degrees, arrays x = lon, y = lat) to frame metres in place, and
 * back. ERR_PROJ when PROJ fails on a point. */
int utm_forward(utm *u, double *x, double *y, size_t n);
int utm_inverse(utm *u, double *x, double *y, size_t n);

/* The point scale factor k at lon/lat: frame metres per ground metre. */
double utm_point_scale(utm *u, double lon, double lat);

/* The lon/lat box (west, south, east, north) holding the frame box (minx,
 * miny, maxx, maxy): its corners and edge points, widened by a hair. */
int utm_box_lonlat(utm *u, const double box[4], double out[4]);

/* The Web Mercator box (metres) holding the frame box, for dataset queries. */
int utm_box_merc(utm *u, const double box[4], double out[4]);

/* The frame box (minx, miny, maxx, maxy) holding the Web Mercator box
 * merc (metres): a grid in the frame over what a Mercator extent covers. */
int utm_box_from_merc(utm *u, const double merc[4], double out[4]);

#endif
