/*
 * legendjson: the legend of one layer as JSON (what GET /api/legend and
 * the WMS's GetLegendGraphic with FORMAT=application/json answer): a
 * ramp's stops, the choropleth's classes, the categories' or services'
 * colours, the planner's statuses, the trends' patterns, as the style and
 * the filter (the heatmap's ramp follows the period) give them.
 *
 * Threading: as the renderer.
 */
#ifndef POSBON_LEGENDJSON_H
#define POSBON_LEGENDJSON_H

#include "render.h"

#include <jansson.h>

/* The legend of layer (a layer name) under filter f, the choropleth's
 * metric and the heatmap's ramp fitted to f or not: a new object, or NULL
 * with ERR_NOTFOUND (or the renderer's error) naming the field "layer"
 * when the layer has none. */
json_t *legendjson_build(renderer *r, const char *layer, const struct dataset_filter *f, int metric,
                         int fit);

/* Colour c as "#rrggbbaa". */
void legendjson_colour(const struct style_colour *c, char out[10]);

#endif
