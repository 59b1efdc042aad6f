/*
 * printcover: the documents of a shift's plan: the coverage of its
 * hotspots by the services' zones (a map page with the hotspots by status,
 * their table and the units', then the mahallas' responsibility table) and
 * the roster of the units on duty, as PDF pages or CSV.
 *
 * Threading: as printjob.h.
 */
#ifndef POSBON_PRINTCOVER_H
#define POSBON_PRINTCOVER_H

#include "printjob.h"

/* The shift's hotspots filled by coverage status, under the labels. */
int printcover_paint(struct printjob *j, const struct view *v, cairo_t *cr);

/* The page positions of the coverage's hotspots (their peaks). */
int printcover_marks(struct printjob *j, struct printjob_page *p);

/* The legend rows of the statuses with their counts. */
void printcover_legend(struct printjob *j, struct typeset_column *c);

/* The table of the shift's hotspots: rank, status, covering services,
 * offences. */
void printcover_hotspot_table(struct printjob *j, struct typeset_column *c);

/* The table of the units: shares of offences and of hotspot offences in
 * their zones, the zones' area and PAI. */
void printcover_unit_table(struct printjob *j, struct typeset_column *c);

/* The roster of area on table pages, counted from page 1. ERR_NOMEM. */
int printcover_roster(struct printjob *j, const struct shapes_area *area);

/* The roster as CSV: one row per unit on duty in the shift (an assignment
 * of a zone in play), with the codes rather than the names. */
int printcover_csv(struct printjob *j, unsigned char **out, size_t *len); /* *out: free() */

/* Hotspots and coverage of the request's shift, on the renderer's shapes;
 * the job's period becomes the hotspots'. The analyses' errors. */
int printcover_open(struct printjob *j);

/* A coverage document of area: the map page, and with pdf the mahallas'
 * responsibility table on the pages after; the map's scale into *scale
 * when it is 0. */
int printcover_document(struct printjob *j, enum shapes_kind kind, const struct shapes_area *area,
                        int pdf, double *scale);

#endif
