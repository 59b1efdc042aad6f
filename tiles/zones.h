/*
 * zones: the painter of the patrol zones layer.
 *
 * Shows the zones on duty during a shift (or all zones) in the colours of
 * their services: a zone with one service is filled in its colour at the
 * style's fill opacity and outlined in it. Where services share ground the
 * style's overlap look applies, in the colours of the services involved:
 *  - a joint patrol (several services on the zone during the shift);
 *  - the overlap of two zones (computed once at load, see shapes.h) when
 *    the two zones together have more than one service on the shift.
 * STYLE_OVERLAP_HATCH fills such areas with diagonal stripes alternating
 * the services' colours, anchored to world pixels so that they continue
 * across tile edges; STYLE_OVERLAP_OUTLINE adds no fill and outlines them
 * in dashes alternating the colours. A joint zone is outlined in such
 * dashes in both looks (the style's dash does not apply to it). A zone
 * without assignments (shown only when no shift is given) is neutral grey.
 * Zone names are added to a labels set as labels.
 *
 * Threading: as cairo_t and labels: one picture on one thread.
 */
#ifndef POSBON_ZONES_H
#define POSBON_ZONES_H

#include "labels.h"
#include "shapes.h"
#include "style.h"
#include "view.h"

#include <cairo.h>

/* The most services of one zone or overlap drawn; more are left out. */
#define ZONES_MAX_SERVICES 8

/* Paints the zones of sh in territory (shapes_territory_has(); NULL: every
 * district) on duty during shift (NULL: every zone, with every assigned
 * service) as s's zones layer says into cr (user space = v's device
 * pixels) and adds their labels to lb (NULL: none). Nothing when the style
 * has no zones layer or v->zoom is outside it. The state of cr is kept.
 * ERR_NOMEM. */
int zones_paint(cairo_t *cr, const struct view *v, const shapes *sh, const style *s,
                const struct shapes_shift *shift, const char *territory, labels *lb);

/* Fills the current path (even-odd) with diagonal stripes in the colours
 * c[0 .. n-1] in turn, spacing px apart (rounded to whole pixels) and width
 * px wide, anchored to world pixels so that they continue across tiles, and
 * clears the path. The state of cr is kept. ERR_NOMEM. */
int zones_hatch(cairo_t *cr, const struct view *v, const struct style_colour *c, size_t n,
                double spacing, double width);

/* Strokes the current path width px wide: solid in c[0] with the given dash
 * when n is 1, else in dashes alternating the n colours. Clears the path. */
void zones_stroke_services(cairo_t *cr, const struct style_colour *c, size_t n, double width,
                           const double *dash, size_t n_dash);

#endif
