/*
 * points: the `offences` layer, one dot per offence coloured by category,
 * for the zooms where single offences can be told apart. Offences at one
 * address are displaced onto a ring around it (up to 8), or drawn as one
 * larger dot of their commonest category with their count on it.
 *
 * Threading: re-entrant.
 */
#ifndef POSBON_POINTS_H
#define POSBON_POINTS_H

#include "dataset.h"
#include "style.h"
#include "utm.h"
#include "view.h"

#include <cairo.h>

/* Draws the offences of ds passing f that fall in view v onto cr (user
 * space = v's pixels), as the style's offences layer says; nothing outside
 * its zoom range. frame is the view's frame when it is not Web Mercator (a
 * print's UTM zone; each point goes through PROJ), else NULL. */
int points_paint(cairo_t *cr, const struct view *v, const dataset *ds,
                 const struct dataset_filter *f, const style *s, utm *frame);

#endif
