/*
 * printframe: the frame of a printed page around what it shows: the title
 * lines of a plan's page (coverage, roster, hotspot methods), the footer
 * with the grid and page number, the scale bar and north arrow of a map,
 * and full-width table pages whose rows flow from page to page.
 *
 * Threading: as printjob.h.
 */
#ifndef POSBON_PRINTFRAME_H
#define POSBON_PRINTFRAME_H

#include "printjob.h"

/* One row of a table page: the cells of row i. */
typedef void (*printframe_cells_fn)(struct printjob *j, size_t i, char cells[][320]);

/* A document part of full-width table pages: the heading and header row on
 * every page, rows flowing from page to page. */
struct printframe_table {
	const char *title;
	const struct shapes_area *area; /* named under the title */
	struct typeset_table *t;        /* its columns fitted by printframe_table_pages() */
	const char *const *head;
	size_t rows;
	printframe_cells_fn cells;
	const char *note; /* under the last row, or NULL */
};

/* The scale bar at the frame's bottom left: a round length of about a
 * quarter of the frame, in four alternating parts, labelled at its ends and
 * middle. Its printed length is exactly length / scale. */
void printframe_scale_bar(struct printjob *j, const struct printjob_page *p);

/* The boxes (x0, y0, x1, y1, pt) the scale bar and the north arrow take on
 * the frame: labels keep out of them. */
void printframe_furniture(struct printjob *j, const struct printjob_page *p, double boxes[2][4]);

/* A north arrow at the frame's top right, turned to true north. */
void printframe_north_arrow(struct printjob *j, const struct printjob_page *p);

/* The grid and page number line at (x, y), w wide. */
void printframe_footer(struct printjob *j, double x, double y, double w);

/* Fits tp's columns to its heads and rows across the page and returns the
 * pages it takes; ERR_NOMEM. Called before printframe_table_part(). */
int printframe_table_pages(struct printjob *j, struct printframe_table *tp);

/* The title and subtitle lines of a plan's page (the area, the shift,
 * the planning date, the analysis period, the date of printing) in the
 * box at (x, y), w wide; returns their height. */
double printframe_plan_header(struct printjob *j, const char *title, const char *area, double x,
                              double y, double w);

/* Draws tp (fitted) on as many pages as its rows take, each shown,
 * counting j->page_no. ERR_NOMEM. */
int printframe_table_part(struct printjob *j, const struct printframe_table *tp);

#endif
