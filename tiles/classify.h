/*
 * classify: class breaks for choropleth maps.
 *
 * Quantiles (equal counts per class), equal intervals, and natural breaks
 * (Jenks: the classes that minimise the sum of squared deviations from the
 * class means, found exactly by dynamic programming, as QGIS and ArcGIS
 * compute them for small sets like the mahallas of a district).
 *
 * Breaks are the upper bounds of the classes: breaks[k-1] is the maximum.
 * A value v is in the first class whose break is >= v.
 *
 * Threading: re-entrant.
 */
#ifndef POSBON_CLASSIFY_H
#define POSBON_CLASSIFY_H

#include <stddef.h>

enum classify_method {
	CLASSIFY_QUANTILE,
	CLASSIFY_EQUAL,
	CLASSIFY_JENKS,
};

/* Computes up to k class breaks of n values (NaN values ignored) into
 * breaks[0..k-1]; *classes receives how many classes there are (fewer than
 * k when there are fewer distinct values). ERR_INVALID for k < 1 or no
 * finite value; ERR_NOMEM. */
int classify_breaks(enum classify_method m, const double *values, size_t n, size_t k,
                    double *breaks, size_t *classes);

/* The class (0-based) of v under breaks[0..classes-1]. */
size_t classify_class(const double *breaks, size_t classes, double v);

#endif
