/*
 * changemap: the `change` map layer: at every pixel the kernel density of
 * the filter's period minus that of the previous period of equal length
 * (offences per km² over the period, as heatmap.h computes it), coloured
 * through a diverging ramp in absolute units: blue where offences fell,
 * transparent around no change, red where they rose.
 *
 * Each density is the heatmap's, from the offences within one bandwidth of
 * the view, so neighbouring tiles agree on their edges, and the ramp is the
 * style's change ramp (per km² per year) scaled to the period's days, so
 * one place and filter get one colour at every zoom.
 *
 * Threading: re-entrant; the scratch buffer belongs to the calling thread.
 */
#ifndef POSBON_CHANGEMAP_H
#define POSBON_CHANGEMAP_H

#include "dataset.h"
#include "heatmap.h"
#include "style.h"
#include "view.h"

#include <cairo.h>

/* Days of the open period: the 4 weeks up to the latest offence. */
#define CHANGEMAP_OPEN_DAYS 28

/* The two periods of filter f into *now and *before (f with other times):
 * now is f's period, with an open end taken as the latest offence and an
 * open start as CHANGEMAP_OPEN_DAYS before its end; before is the period
 * of equal length that ends just before now starts. With no dated offence
 * and an open period both are f. */
void changemap_periods(const dataset *ds, const struct dataset_filter *f,
                       struct dataset_filter *now, struct dataset_filter *before);

/* The change ramp of style layer c for filter f, in the density's units:
 * c's values (per km² per year) times the days of f's period (as
 * changemap_periods() completes it) / 365.25. New ramp in *out; free with
 * style_ramp_free(). */
int changemap_ramp(const struct style_heatmap *c, const dataset *ds, const struct dataset_filter *f,
                   style_ramp **out);

/* The change of density at each pixel centre of v into out (width x height
 * doubles, row by row from the top): heatmap_density() of the period now
 * minus that of the period before (changemap_periods() of f). o->ramp is
 * not used. scratch is a reusable point buffer. */
int changemap_density(const struct view *v, const dataset *ds, const struct dataset_filter *f,
                      const struct heatmap_opts *o, struct dataset_points *scratch, double *out);

/* Paints the coloured change over cr, whose user space is v's pixels;
 * o->ramp from changemap_ramp(). Falls beyond the ramp's lowest value take
 * its colour (a diverging ramp has no "below"). */
int changemap_paint(cairo_t *cr, const struct view *v, const dataset *ds,
                    const struct dataset_filter *f, const struct heatmap_opts *o,
                    struct dataset_points *scratch);

#endif
