/*
 * csv: fields of CSV files as RFC 4180 writes them, for the exports
 * (coverage, the roster, the comparison table) that spreadsheets open.
 *
 * Threading: writes to the caller's FILE only.
 */
#ifndef POSBON_CSV_H
#define POSBON_CSV_H

#include <stdio.h>

/* Writes text as one field to f, then end (a separator: ",", "\r\n"; NULL
 * for none): the text as it is, or in double quotes (quotes doubled) when
 * it holds a comma, a quote or a line break; NULL text is an empty field. */
void csv_field(FILE *f, const char *text, const char *end);

#endif
