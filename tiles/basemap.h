/*
 * basemap: the painter of the base layer, the ground under every thematic
 * layer: land use, parks, water, buildings, railways, streets and places
 * from the reference layers (model/ground.h), as the style's layers.base
 * says.
 *
 * Drawn from the ground up in one pass per look: area fills (land use,
 * parks, water), buildings, waterways, railways, then the streets, every
 * casing of the tile before any street so that crossings join cleanly,
 * minor streets under major ones, and last the dots of places. Names go
 * to the picture's labels, after every thematic label: a street's on its
 * straightest stretch long enough to hold it, turned along it; a place's
 * under its dot. Names are the local ones ("name").
 *
 * Threading: as cairo_t: one picture on one thread; the ground is only read.
 */
#ifndef POSBON_BASEMAP_H
#define POSBON_BASEMAP_H

#include "ground.h"
#include "labels.h"
#include "style.h"
#include "view.h"

#include <cairo.h>

/* Paints g into cr (user space = v's device pixels) as s's base layer
 * says, and adds its names to lb. Nothing when the style has no base layer
 * or v->zoom is outside it. The state of cr is kept. ERR_NOMEM. */
int basemap_paint(cairo_t *cr, const struct view *v, const ground *g, const style *s, labels *lb);

#endif
