/*
 * wkb: the point runs of a WKB geometry, as a painter or an index needs
 * them.
 *
 * Reads OGC and ISO WKB (either byte order; Z, M and ZM types, whose extra
 * ordinates are dropped) and PostGIS's EWKB flags: points, lines, polygons,
 * their multi forms and geometry collections, nested. Every run of points
 * goes to a callback: a point, a line, or a ring of a polygon (the first
 * ring of each polygon its shell, the others its holes). Every length is
 * checked against the buffer: a short or malformed WKB is an error, never a
 * read past its end.
 *
 * Ownership: the points handed to the callback are wkb_walk()'s, valid for
 * that call. Threading: no state; any thread.
 */
#ifndef POSBON_WKB_H
#define POSBON_WKB_H

#include <stddef.h>

enum wkb_run {
	WKB_POINT, /* one point */
	WKB_LINE,
	WKB_SHELL, /* the first ring of a polygon */
	WKB_HOLE,  /* a later ring of the same polygon */
};

/* n points (x, y pairs in xy); a nonzero return stops the walk. */
typedef int (*wkb_run_fn)(void *ctx, enum wkb_run kind, const double *xy, size_t n);

/* Walks the len bytes of wkb. 0, the callback's nonzero return, or
 * ERR_GEOMETRY naming the byte offset where the WKB stops making sense;
 * ERR_NOMEM. */
int wkb_walk(const unsigned char *wkb, size_t len, wkb_run_fn fn, void *ctx);

#endif
