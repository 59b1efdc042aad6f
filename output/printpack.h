/*
 * printpack: the mahalla meeting's pack: the mahalla's map page (printmap:
 * the map with its streets, the legend, the offences by category against
 * the previous period, the hotspots), then full-width table pages
 * (printflow) of the prevention activities since the last meeting grouped
 * by service, the open tasks touching the mahalla (overdue first), its
 * standing now with the measures behind it and its recorded history, its
 * responsible officials and the counts of its registered at-risk groups.
 *
 * The pack is printed to go outside the services: an at-risk count below
 * the standing rules' suppress_below is always printed as "<N", with a note
 * saying why (standing_suppressed()). Every empty table says so in a line.
 *
 * Threading: as printjob.h.
 */
#ifndef POSBON_PRINTPACK_H
#define POSBON_PRINTPACK_H

#include "printjob.h"

/* The pack of mahalla as a PDF onto j->ts.cr, every page shown; the map
 * page's scale into *scale. The store's errors (ERR_DB), the standing's,
 * printmap_page()'s, ERR_NOMEM. */
int printpack_draw(struct printjob *j, const struct shapes_area *mahalla, double *scale);

#endif
