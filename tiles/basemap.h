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
 * under its dot. Names are in the language asked for where the data has
 * it, else the local one ("name"), at the style's size times a factor (the
 * wall screen's are larger, for reading across a room).
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

/* How the names are shown. */
struct basemap_names {
	enum ground_lang lang;
	double scale; /* of the style's size; 0: 1 */
};

/* Paints g (in v's frame) into cr (user space = v's device pixels) as s's
 * base layer says, and adds its names to lb as names says (NULL: local
 * names at the style's size). Nothing when the style has no base layer or
 * v->zoom is outside it. The state of cr is kept. ERR_NOMEM. */
int basemap_paint(cairo_t *cr, const struct view *v, const ground *g, const style *s,
                  const struct basemap_names *names, labels *lb);

#endif
