/*
 * areas: the painters of the districts and mahallas layers.
 *
 * Draws the boundaries of the districts or mahallas that meet a view: an
 * optional fill, then the stroke (colour, width and dash scaled by the
 * view's scale, round joins), antialiased, only at zooms inside the layer's
 * range, from the simplified band that suits the view's resolution. All
 * shapes of a layer go into one path, filled once and stroked once, so a
 * boundary two mahallas share is drawn once: no darker double edges, no
 * seams between neighbouring fills. Labels (the style's field, its size at
 * the view's zoom, halo) are added to a labels set at each shape's inscribed
 * circle; labels_draw() places and draws them after all layers.
 *
 * Threading: as cairo_t and labels: one picture on one thread; the shapes
 * and style are only read.
 */
#ifndef POSBON_AREAS_H
#define POSBON_AREAS_H

#include "labels.h"
#include "shapes.h"
#include "style.h"
#include "view.h"

#include <cairo.h>

/* Paints the layer kind (SHAPES_DISTRICTS or SHAPES_MAHALLAS) of sh as st
 * says into cr, whose user space is v's device pixels, and adds its labels
 * to lb (NULL: no labels). Draws nothing when st is NULL or v->zoom is
 * outside its range. The state of cr is kept. ERR_INVALID for another kind,
 * ERR_NOMEM. */
int areas_paint(cairo_t *cr, const struct view *v, const shapes *sh, enum shapes_kind kind,
                const struct style_area *st, labels *lb);

#endif
