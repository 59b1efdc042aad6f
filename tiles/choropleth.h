/*
 * choropleth: mahallas coloured by a figure of the filtered offences.
 *
 * The figure is the count of offences in the period, the rate per 1,000
 * residents, or the relative change against the previous period of equal
 * length (which needs a bounded period). Offences stored without a point
 * but with a mahalla code count too. Class breaks come from classify.h
 * over the mahallas' values, computed once per request for the whole
 * district (never per tile), and are the legend callers show.
 *
 * Threading: re-entrant.
 */
#ifndef POSBON_CHOROPLETH_H
#define POSBON_CHOROPLETH_H

#include "dataset.h"
#include "shapes.h"
#include "style.h"
#include "view.h"

#include <cairo.h>

struct choropleth_classes {
	enum style_metric metric;
	size_t n_classes;                               /* 0: nothing to classify */
	double min;                                     /* the lowest value */
	double breaks[STYLE_CLASSES_MAX];               /* upper bound of each class */
	struct style_colour colours[STYLE_CLASSES_MAX]; /* of each class */
	double *values; /* per mahalla of the shapes, NaN without a value */
	size_t n_values;
};

/* Classifies the district's mahallas for filter f by metric (the style's
 * when metric < 0). Fills *out; free with choropleth_classes_free(). */
int choropleth_classify(const dataset *ds, const shapes *sh, const struct style_choropleth *st,
                        int metric, const struct dataset_filter *f, struct choropleth_classes *out);

void choropleth_classes_free(struct choropleth_classes *c);

/* Fills the mahallas in view v with their class colours (and the style's
 * outline) onto cr, whose user space is v's pixels. */
int choropleth_paint(cairo_t *cr, const struct view *v, const shapes *sh,
                     const struct style_choropleth *st, const struct choropleth_classes *c);

#endif
