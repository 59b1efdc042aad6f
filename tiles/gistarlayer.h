/*
 * gistarlayer: the `gistar` map layer: the cells of Getis-Ord Gi* (gistar.h,
 * the defaults: cell, band and the district's cells) that are significant,
 * filled red for hot and blue for cold, deeper for 95% and 99%, as ArcGIS
 * colours its Hot Spot Analysis bins.
 *
 * Every tile needs the whole grid (the mean and deviation are the
 * district's), so the analysis comes from the results cache (results.h),
 * keyed by the filter, data version and shapes generation: the tiles of one
 * view, and the API's answer for the same filter, share one computation.
 *
 * Threading: one object serves every render thread; painting holds its
 * lock (the UTM zone's PROJ context is shared).
 */
#ifndef POSBON_GISTARLAYER_H
#define POSBON_GISTARLAYER_H

#include "dataset.h"
#include "gistar.h"
#include "results.h"
#include "shapes.h"
#include "style.h"
#include "utm.h"
#include "view.h"

#include <cairo.h>

typedef struct gistarlayer gistarlayer;

/* A layer keeping its analyses in cache (borrowed; it must outlive the
 * layer). *out is new; free with gistarlayer_free(). ERR_NOMEM. */
int gistarlayer_new(results *cache, gistarlayer **out);

/* Frees g; accepts NULL. */
void gistarlayer_free(gistarlayer *g);

/* Fills the significant cells of ds under f (sh: the district's polygons
 * in Web Mercator) that the view shows into cr. version and generation
 * name the state of the data and the shapes, for the cache. An analysis
 * refused as invalid (no offence under f, a grid too large) draws nothing
 * and is no error. ERR_PROJ, ERR_NOMEM. */
int gistarlayer_paint(gistarlayer *g, cairo_t *cr, const struct view *v, const dataset *ds,
                      const shapes *sh, const struct dataset_filter *f, unsigned long version,
                      unsigned long generation);

/* One analysed cell of the layer's grid. */
struct gistarlayer_cell {
	int i, j;      /* column from the west, row from the north */
	double count;  /* offences (aoristic shares) */
	double z, p;   /* Gi* z-score and its two-sided p-value */
	int bin;       /* -3 .. 3: cold 99% .. hot 99%, 0 not significant */
	double cell_m; /* the grid's cell, metres */
};

/* The analysed cell under lon/lat of the same analysis gistarlayer_paint()
 * draws (the same arguments but the view), into *out: 1, or 0 outside the
 * analysed cells (or nothing to test). ERR_PROJ, ERR_NOMEM. */
int gistarlayer_cell_at(gistarlayer *g, const dataset *ds, const shapes *sh,
                        const struct dataset_filter *f, unsigned long version,
                        unsigned long generation, double lon, double lat,
                        struct gistarlayer_cell *out);

/* ArcGIS's Hot Spot Analysis colours, cold 99% .. hot 99% (bin + 3), and
 * the opacity the layer fills them with: for legends. */
extern const struct style_colour gistarlayer_colours[7];
#define GISTARLAYER_ALPHA 0.75

/* Fills the cells of grid g (its UTM zone opened as u) that v shows whose
 * class in cls (width x height, row 0 north) is k, for each k in lo .. hi
 * but 0, in colours[k - lo] (fully transparent ones skipped) times opacity,
 * one fill per class: the Gi* bins here, the trends categories
 * (trendslayer.h). v's frame is Web Mercator (frame NULL), or the UTM zone
 * frame (a printed page's). ERR_PROJ. */
int gistarlayer_fill_classes(cairo_t *cr, const struct view *v, utm *frame, utm *u,
                             const struct gistar_result *g, const signed char *cls, int lo, int hi,
                             const struct style_colour *colours, double opacity);

#endif
