/*
 * printcompare: the comparison table's pages (compare.h): the districts
 * (or a district's mahallas) with their offences in the period, the
 * previous period, last year and year to date, the changes with their
 * significance, the rate per 1,000 residents and the hotspots covered by
 * zones; the total; a note on the measures; then the territory's offences
 * by category.
 *
 * No word is cut: names and column heads wrap between words, and when the
 * columns' widest words do not fit the page's width the whole table's type
 * is made smaller until they do. Rows flow from page to page, the column
 * heads repeated on each.
 *
 * Threading: as printjob.h.
 */
#ifndef POSBON_PRINTCOMPARE_H
#define POSBON_PRINTCOMPARE_H

#include "printjob.h"

/* Computes the table of the request (its filter, district and order) on
 * the renderer's data and shapes into j->cmp; the job's period becomes the
 * table's. ERR_NOTFOUND naming an unknown district; compare_compute()'s and
 * compare_sort()'s errors. */
int printcompare_open(struct printjob *j);

/* The place compared, in the page's language: the district (of the
 * mahallas' table, or the one district compared), else "all districts";
 * borrowed from the job. */
const char *printcompare_place(const struct printjob *j);

/* The table's pages, each shown (cairo_show_page()) but a PNG's only
 * page. ERR_NOMEM. */
int printcompare_draw(struct printjob *j, int pdf);

#endif
