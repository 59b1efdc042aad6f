/*
 * warp: pictures of the map in the frames WMS clients ask for.
 *
 * The renderer draws in Web Mercator only: its shapes, densities and
 * symbols live there. A picture asked for in longitude/latitude (plate
 * carrée, EPSG:4326 / CRS:84) or in a UTM zone is drawn in Web Mercator over
 * the area the target covers, at no coarser a resolution than the target's
 * (up to a 4096 x 4096 picture), and resampled: each target pixel's centre is mapped to Mercator
 * (exactly at nodes WARP_STEP pixels apart, bilinearly between them) and read from the Mercator
 * picture bilinearly. A Mercator target with square pixels is drawn directly, as a tile is, so its
 * pixels are the tiles' pixels. docs/api.md ("WMS") states what the resampling costs in accuracy.
 *
 * Threading: re-entrant with one renderer (render.h); a UTM target opens
 * its own PROJ context for the call.
 */
#ifndef POSBON_WARP_H
#define POSBON_WARP_H

#include "render.h"

#include <stddef.h>

/* Target pixels between two exactly projected nodes. */
#define WARP_STEP 8

enum warp_frame {
	WARP_MERCATOR, /* EPSG:3857 metres */
	WARP_LONLAT,   /* degrees, x = longitude: plate carrée */
	WARP_UTM,      /* metres of a UTM zone (epsg) */
};

struct warp_target {
	enum warp_frame frame;
	int epsg;            /* WARP_UTM: the zone's EPSG code */
	double box[4];       /* minx, miny, maxx, maxy in the frame (x east) */
	int width, height;   /* pixels; pixels need not be square */
	int opaque;          /* paint background under the picture */
	unsigned background; /* 0xRRGGBB */
};

/* The most pixels a side of a target (as view.h's views). */
#define WARP_MAX_SIZE 16384

/* Whether t can be drawn: a size of 1 to WARP_MAX_SIZE pixels a side, and a
 * box of finite numbers, each minimum below its maximum by at least a
 * billionth of the coordinates' size, within the longitudes and latitudes
 * there are (WARP_LONLAT) or 1e8 metres of the origin. 0, or ERR_INVALID
 * with a message naming "bbox", "width" or "height". */
int warp_check(const struct warp_target *t);

/* Maps n target pixel positions (x right, y down from the top-left corner;
 * i + 0.5 is the centre of column i) in place to Web Mercator metres.
 * ERR_PROJ when a UTM position has no lon/lat, ERR_INVALID when t is
 * refused by warp_check() or a position lies beyond the longitudes and
 * latitudes there are. */
int warp_to_merc(const struct warp_target *t, double *x, double *y, size_t n);

enum warp_format { WARP_PNG, WARP_JPEG };

/* Draws the layers of q (its view is replaced by t's) as a picture of t's
 * size in format (JPEG: on t's background, opaque or not, as JPEG has no
 * alpha): *out is a new buffer of *len bytes; free(). ERR_INVALID for a
 * target warp_check() refuses, or a box with no extent in Web Mercator
 * (beyond its latitudes). */
int warp_picture(renderer *r, const struct render_request *q, const struct warp_target *t,
                 enum warp_format format, unsigned char **out, size_t *len);

#endif
