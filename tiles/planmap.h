/*
 * planmap: the painters of the planner's layers, which draw one shift's
 * hotspots (analysis/hotspot.h) three ways:
 *  - hotspots: outlined and lightly filled in the style's hotspot colour;
 *  - coverage (analysis/coverage.h): a gap filled red, a hotspot covered by
 *    one service outlined in that service's colour, a joint patrol filled
 *    lightly and outlined in dashes alternating its services' colours, an
 *    overlap hatched in the colours of the services crowding it (as the
 *    zones layer hatches shared ground, anchored to world pixels) and
 *    outlined in the overlap colour;
 *  - dosage (analysis/dosage.h): filled and outlined by status, unvisited,
 *    short or met.
 * Every layer labels each hotspot with its rank at a point inside it: the
 * centre of the hotspot cell farthest from the hotspot's edge, the same for
 * every tile, so the numbers are seamless through the labels module.
 *
 * Ownership: a planmap borrows its hotspot set (keep it alive) and owns the
 * projected polygons; free it with planmap_free(). Threading: a planmap is
 * read-only once made and may be painted from any number of threads.
 */
#ifndef POSBON_PLANMAP_H
#define POSBON_PLANMAP_H

#include "coverage.h"
#include "dosage.h"
#include "hotspot.h"
#include "labels.h"
#include "style.h"
#include "view.h"

#include <cairo.h>

typedef struct planmap planmap;

enum planmap_layer {
	PLANMAP_HOTSPOTS,
	PLANMAP_COVERAGE,
	PLANMAP_DOSAGE,
};

/* What a layer draws: the hotspots, and for coverage and dosage the
 * results computed on the same set (borrowed). */
struct planmap_data {
	const planmap *pm;
	const struct coverage *coverage;  /* PLANMAP_COVERAGE */
	const struct dosage_result *dose; /* PLANMAP_DOSAGE */
};

/* The hotspots of set in Web Mercator with their label points: *out is
 * new; free with planmap_free(). ERR_PROJ for a point outside Web
 * Mercator, ERR_NOMEM. */
int planmap_new(const struct hotspot_set *set, planmap **out);

/* The bytes pm holds, for a cache's budget. */
size_t planmap_bytes(const planmap *pm);

/* Frees a planmap; accepts NULL. */
void planmap_free(planmap *pm);

/* Paints layer of d into cr (user space = v's device pixels, Web Mercator
 * frame) as s's hotspots layer says, and adds the rank numbers to lb (NULL:
 * none). Nothing when the style has no hotspots layer or v->zoom is outside
 * it. ERR_INVALID when the layer's result is missing, ERR_NOMEM. */
int planmap_paint(cairo_t *cr, const struct view *v, const style *s, enum planmap_layer layer,
                  const struct planmap_data *d, labels *lb);

#endif
