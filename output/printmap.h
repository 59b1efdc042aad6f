/*
 * printmap: a map page: the map frame at a true scale in the district's
 * UTM zone with every layer the job draws (the heatmap and change rasters
 * at the job's dpi, the hotspots numbered on top), its scale bar and north
 * arrow, and the panel beside or under it: the legend and the area's
 * tables, or the coverage's on a coverage page.
 *
 * Threading: as printjob.h.
 */
#ifndef POSBON_PRINTMAP_H
#define POSBON_PRINTMAP_H

#include "printjob.h"

/* The numbered hotspot's marker: a white disc of radius r, outlined. */
void printmap_hotspot_marker(cairo_t *cr, double x, double y, double r);

/* Outlines the current path (even-odd) as the printed area: a band of
 * width band inside it, translucent, under a black line of width line.
 * Neither the style's mahalla nor district boundary, so that the legend's
 * entry for it (printlegend.c) is its own, in colour and in grey print. */
void printmap_selection(cairo_t *cr, double line, double band);

/* Draws the map page of area (a district or a mahalla, by kind) onto
 * j->ts.cr without showing it; the page's scale into *first_scale when
 * that is 0. ERR_INVALID for a raster too large at the dpi, ERR_NOMEM,
 * ERR_PROJ, ERR_DB. */
int printmap_page(struct printjob *j, enum shapes_kind kind, const struct shapes_area *area,
                  double *first_scale);

#endif
