/*
 * heatmap: the kernel density of the filtered offences as coloured pixels.
 *
 * For a view, the density (weighted offences per km² over the filter's
 * period, see kde.h) is evaluated at every pixel centre from the offences
 * within one bandwidth of the view, so neighbouring tiles agree on their
 * shared edges, and coloured through an absolute ramp: the same place and
 * filter get the same colour at every zoom, on every tile and on paper.
 * Below the ramp's lowest break pixels stay transparent.
 *
 * Threading: re-entrant; the scratch buffer belongs to the calling thread.
 */
#ifndef POSBON_HEATMAP_H
#define POSBON_HEATMAP_H

#include "dataset.h"
#include "style.h"
#include "view.h"

#include <cairo.h>

struct heatmap_opts {
	enum kde_kernel kernel;
	double bandwidth;       /* ground metres */
	const double *weights;  /* per dataset category index; NULL weighs 1 */
	const style_ramp *ramp; /* in the density's units: see heatmap_ramp() */
	double opacity;         /* of the layer, 0..1 */
};

/* The ramp of style h for a dataset and filter, in the density's units
 * (fixed breaks scaled to the filter's period, auto breaks to the mean
 * density of the district), computed once per dataset and filter, never
 * per tile. fit: fixed breaks also scaled by the filter's share of every
 * offence of its period and territory, so that a narrow filter (night
 * thefts) spans the ramp as every offence does; tiles stay seamless and
 * comparable across zooms. New ramp in *out; free with style_ramp_free(). */
int heatmap_ramp(const struct style_heatmap *h, const dataset *ds, const struct dataset_filter *f,
                 const double *weights, int fit, style_ramp **out);

/* Length of the filter's period in days: from..to, with open ends taken
 * from the data's first and last times (1 day at least). */
double heatmap_period_days(const dataset *ds, const struct dataset_filter *f);

/* The density at the centre of each pixel of v into out (width x height
 * doubles, row by row from the top). scratch is a reusable point buffer. */
int heatmap_density(const struct view *v, const dataset *ds, const struct dataset_filter *f,
                    const struct heatmap_opts *o, struct dataset_points *scratch, double *out);

/* The density grid (width x height values, row by row from the top)
 * coloured through ramp: a new ARGB32 image in *out; destroy it. */
int heatmap_image(const double *density, int width, int height, const style_ramp *ramp,
                  cairo_surface_t **out);

/* Paints grid (width x height values, one per pixel of cr's user space)
 * coloured through ramp over cr, at opacity. */
int heatmap_paint_grid(cairo_t *cr, const double *grid, int width, int height,
                       const style_ramp *ramp, double opacity);

/* Paints the coloured density over cr, whose user space is v's pixels. */
int heatmap_paint(cairo_t *cr, const struct view *v, const dataset *ds,
                  const struct dataset_filter *f, const struct heatmap_opts *o,
                  struct dataset_points *scratch);

#endif
