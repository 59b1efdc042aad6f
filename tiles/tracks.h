/*
 * tracks: the painter of the patrol tracks layer.
 *
 * Draws the GPS tracks of a time window as polylines in the colours of their
 * services, at the style's width and opacity, over an optional casing (drawn
 * under all tracks first, so a casing never cuts across another track).
 * Only the stretches between fixes inside the window are drawn, so a track
 * that runs past the end of a shift shows just the shift's part.
 *
 * Threading: as cairo_t: one picture on one thread.
 */
#ifndef POSBON_TRACKS_H
#define POSBON_TRACKS_H

#include "shapes.h"
#include "style.h"
#include "view.h"

#include <cairo.h>
#include <stdint.h>

/* Paints the tracks of sh in territory (shapes_territory_has(); NULL: every
 * district) between from and to (UTC seconds, STORE_NO_TIME for open) as
 * s's tracks layer says into cr (user space = v's device pixels). Nothing
 * when the style has no tracks layer or v->zoom is outside it. The state
 * of cr is kept. ERR_NOMEM. */
int tracks_paint(cairo_t *cr, const struct view *v, const shapes *sh, const style *s, int64_t from,
                 int64_t to, const char *territory);

#endif
