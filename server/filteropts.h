/*
 * filteropts: the filter options every command that draws or analyses
 * offences shares (period, hours, weekdays, categories, services,
 * districts, regions, time zone), as rows of an option table (opts.h), and
 * the filter as one line for a file's metadata.
 */
#ifndef POSBON_FILTEROPTS_H
#define POSBON_FILTEROPTS_H

#include "dataset.h"
#include "opts.h"

/* The options as parsed: the filter text and the time zone. */
struct filter_opts {
	struct dataset_filter_text text;
	const char *tz;
};

/* Their rows of an option table. */
/* clang-format off */
#define FILTER_OPTIONS(fo)                                                                  \
	{"from", OPT_STRING, &(fo).text.from, "DATE", "first day or time (local)", 0, 0, 0}, \
	{"to", OPT_STRING, &(fo).text.to, "DATE", "last day or time (local)", 0, 0, 0},      \
	{"hours", OPT_STRING, &(fo).text.hours, "H-H", "hours, e.g. 20-08", 0, 0, 0},        \
	{"weekdays", OPT_STRING, &(fo).text.weekdays, "DAYS", "e.g. mon-fri or fri,sat",     \
	 0, 0, 0},                                                                           \
	{"categories", OPT_STRING, &(fo).text.categories, "CODES", "offence categories",     \
	 0, 0, 0},                                                                           \
	{"services", OPT_STRING, &(fo).text.services, "CODES", "registering services",       \
	 0, 0, 0},                                                                           \
	{"district", OPT_STRING, &(fo).text.district, "CODES",                               \
	 "only these districts' offences (the whole store)", 0, 0, 0},                       \
	{"region", OPT_STRING, &(fo).text.region, "CODES",                                   \
	 "only these regions' districts (imported with --layer regions)", 0, 0, 0},          \
	{"tz", OPT_STRING, &(fo).tz, "ZONE", "time zone of local times (the districts' stored one, else Asia/Tashkent)",    \
	 0, 0, 0}
/* clang-format on */

/* The filter given as "from=2026-11-01 hours=20-08 ..." (only what was
 * given; "every offence" for nothing) into out[n], for a GeoTIFF's
 * metadata. -1 when it was cut to fit. */
int filteropts_text(const struct filter_opts *fo, char *out, size_t n);

#endif
