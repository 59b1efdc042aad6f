/*
 * printarea: the texts of an area's map page (a district, its overview in
 * an atlas, a mahalla): the title lines, the offences by category against
 * the previous period, and the table of the top hotspots.
 *
 * Threading: as printjob.h.
 */
#ifndef POSBON_PRINTAREA_H
#define POSBON_PRINTAREA_H

#include "printjob.h"

/* Offences by category in the period against the previous one. */
int printarea_figures(struct printjob *j, const struct printjob_page *p, struct typeset_column *c);

/* The table of p's numbered hotspots, or the line that it has none (no
 * heat on the map inside the area); nothing when the job numbers none. */
void printarea_hotspots(struct printjob *j, const struct printjob_page *p,
                        struct typeset_column *c);

/* The title lines of p (name, kind, district, inspector, period, date of
 * printing) in the box at (x, y), w wide; returns their height. */
double printarea_header(struct printjob *j, const struct printjob_page *p, double x, double y,
                        double w);

#endif
