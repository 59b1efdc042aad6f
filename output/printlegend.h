/*
 * printlegend: legends: a map page's (what its frame shows: the ramps, the
 * analyses' classes, the services of the zones, the categories of the
 * offences, the boundaries) and a layer's alone as a picture
 * (print_legend()), from the same blocks.
 *
 * Threading: as printjob.h.
 */
#ifndef POSBON_PRINTLEGEND_H
#define POSBON_PRINTLEGEND_H

#include "printjob.h"

/* A legend row: a swatch drawn by the caller at (x, y, w, h), then text. */
int printlegend_row(struct printjob *j, struct typeset_column *c, const char *text, double *sx,
                    double *sy, double *sw, double *sh);

/* A legend row's swatch at (x, y, w, h): filled in c at alpha fill, and
 * outlined in c when outlined (as hotspots are drawn). */
void printlegend_swatch(struct printjob *j, double x, double y, double w, double h,
                        const struct style_colour *c, double fill, int outlined);

/* The legend of a map page into c: what p's frame shows. */
void printlegend_page(struct printjob *j, const struct printjob_page *p, struct typeset_column *c);

#endif
