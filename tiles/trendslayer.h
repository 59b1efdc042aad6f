/*
 * trendslayer: the `trends` map layer: the emerging hot and cold spot
 * category of each cell (trends.h: weekly Gi* and the Mann-Kendall trend,
 * ArcGIS's categories) filled in the style's colour for it (style.h,
 * struct style_trends); cells of no pattern stay transparent.
 *
 * The categories come from the whole district's weeks, never from a tile's
 * offences, so neighbouring tiles agree. The analysis comes from the
 * results cache (results.h), keyed by the parameters (filter, weeks, cell,
 * band), data version and shapes generation: the tiles of one view, and the
 * API's answer for the same parameters, share one analysis.
 *
 * Threading: one object serves every render thread; painting holds its
 * lock (the UTM zone's PROJ context is shared).
 */
#ifndef POSBON_TRENDSLAYER_H
#define POSBON_TRENDSLAYER_H

#include "dataset.h"
#include "results.h"
#include "shapes.h"
#include "style.h"
#include "trends.h"
#include "view.h"

#include <cairo.h>
#include <jansson.h>

typedef struct trendslayer trendslayer;

/* A layer keeping its analyses in cache (borrowed; it must outlive the
 * layer). *out is new; free with trendslayer_free(). ERR_NOMEM. */
int trendslayer_new(results *cache, trendslayer **out);

/* Frees t; accepts NULL. */
void trendslayer_free(trendslayer *t);

/* Fills the categorised cells of ds under p (its filter, weeks, cell and
 * band; alpha and max_cells as trends_run() defaults them) that the view
 * shows into cr in the colours of s. sh: the district's polygons in Web
 * Mercator; version and generation name the state of the data and the
 * shapes, for the cache. An analysis refused as invalid (no offence under
 * the filter, a grid too large, a period of too few weeks) draws nothing
 * and is no error. ERR_PROJ, ERR_NOMEM. */
int trendslayer_paint(trendslayer *t, cairo_t *cr, const struct view *v, const dataset *ds,
                      const shapes *sh, const struct trends_params *p, const struct style_trends *s,
                      unsigned long version, unsigned long generation);

/* The analysed cell under lon/lat of the analysis trendslayer_paint()
 * draws (the same arguments but the view and colours) as a Feature of
 * trends_geojson() ("no pattern" included), a new reference in *out: 1, or
 * 0 outside the analysed cells (or nothing to analyse). ERR_PROJ,
 * ERR_NOMEM. */
int trendslayer_feature_at(trendslayer *t, const dataset *ds, const shapes *sh,
                           const struct trends_params *p, unsigned long version,
                           unsigned long generation, double lon, double lat, json_t **out);

#endif
