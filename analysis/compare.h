/*
 * compare: the directorate's comparison table, CompStat-style: for a
 * period of local days, per district (or, for one district, per mahalla
 * of it) the offences by category and in total in the period, in the
 * previous period of equal length, in the same period a year earlier and
 * year to date (1 January of the period's last year to its last day) with
 * the year to date a year earlier; the rate per 1,000 residents; the
 * changes against the previous period, last year and last year's year to
 * date, each with a significance flag from an exact Poisson test; and the
 * share of the period's hotspots that patrol zones cover
 * (docs/analysis.md, "Comparison table").
 *
 * Counts are dataset_tally()'s under the caller's filter narrowed to each
 * row's district (and mahalla) and span, taken for every row and span in
 * one pass (dataset_tally_table()), so a filter already narrowed to a
 * token's districts gives only their rows. Periods take an offence whole by
 * the middle of its span, as every date filter does.
 *
 * Hotspots are each district's own (hotspot_find() on its offences of the
 * period, a share of its area, every hour of the week); a hotspot is
 * covered when coverage_compute() says so (covered, joint or overlap) with
 * the zones valid on the period's last day. A mahalla's hotspots are its
 * district's whose peak lies inside it.
 *
 * Ownership: a compare owns its rows and arrays; row codes are borrowed
 * from the dataset and areas from the shapes: keep both alive while the
 * table is used. Free it with compare_free(). Threading: compare_compute()
 * only reads the dataset and the shapes (both may be shared); a table,
 * once made, is read-only but for compare_sort().
 */
#ifndef POSBON_COMPARE_H
#define POSBON_COMPARE_H

#include "dataset.h"
#include "kde.h"
#include "shapes.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#define COMPARE_DEFAULT_DAYS 28   /* a period of four weeks when none is given */
#define COMPARE_MAX_DAYS     3660 /* about ten years */
#define COMPARE_ALPHA        0.05 /* a change with p below it is significant */

/* The spans counted, each of whole local days. */
enum compare_span {
	COMPARE_PERIOD,
	COMPARE_PREVIOUS,      /* the days just before, as many */
	COMPARE_LAST_YEAR,     /* the same dates a year earlier (29 February: the 28th) */
	COMPARE_YTD,           /* 1 January of the period's last year .. its last day */
	COMPARE_YTD_LAST_YEAR, /* the same a year earlier */
	COMPARE_SPANS
};

/* The changes reported: the period against the previous period and against
 * last year, the year to date against last year's. */
enum compare_against { COMPARE_VS_PREVIOUS, COMPARE_VS_LAST_YEAR, COMPARE_VS_YTD, COMPARE_CHANGES };

struct compare_change {
	double percent;  /* (now - then) / then x 100; NAN when then is 0 */
	double p;        /* two-sided exact Poisson p-value (compare_poisson_p()) */
	int significant; /* p < COMPARE_ALPHA */
};

struct compare_row {
	const char *code;               /* district or mahalla code (the dataset's) */
	const struct shapes_area *area; /* its shape for names, or NULL when not stored */
	double offences[COMPARE_SPANS];
	struct compare_change change[COMPARE_CHANGES];
	/* By dataset category index c: counts[c * COMPARE_SPANS + span] and
	 * changes[c * COMPARE_CHANGES + against]. */
	double *counts;
	struct compare_change *changes;
	long population;      /* residents (its mahallas' sum for a district); -1 unknown */
	double rate;          /* offences of the period per 1,000 residents; NAN unknown */
	size_t hotspots;      /* of the period */
	size_t covered;       /* of those, covered by zones */
	double covered_share; /* covered / hotspots; NAN without hotspots */
};

struct compare {
	long days[COMPARE_SPANS][2]; /* first and last local day, days since 1970-01-01 */
	int64_t from[COMPARE_SPANS], to[COMPARE_SPANS]; /* the same as UTC seconds, inclusive */
	int district;        /* dataset district index whose mahallas are the rows; -1: districts */
	size_t n_categories; /* dataset_category_count() when computed */
	int has_hotspots;    /* 0: no shapes or bandwidth, the hotspot fields are unknown */
	struct compare_row total; /* the territory (the filter's districts, or the district) */
	struct compare_row *rows;
	size_t n;
};

struct compare_params {
	/* Categories, services and the territory (districts) to count; its
	 * period, hours and weekdays are not used. */
	struct dataset_filter filter;
	long from_day, to_day; /* the period, local days (compare_period()) */
	int district;          /* a dataset district index: its mahallas' rows; -1: districts' */
	/* The hotspots' density: kernel and bandwidth (ground metres; 0: no
	 * hotspots), share of the district and cell (0: hotspot.h's defaults). */
	enum kde_kernel kernel;
	double bandwidth, share, cell;
};

/* The period of a filter's from and to (UTC seconds, STORE_NO_TIME open)
 * as local days: the days they fall on; an open end makes a period of
 * COMPARE_DEFAULT_DAYS with the other, and both open the one ending on the
 * day of the latest offence (today without offences). ERR_INVALID naming
 * "from" for a period over COMPARE_MAX_DAYS. */
int compare_period(const dataset *ds, const struct dataset_filter *f, long *from_day, long *to_day);

/* Computes the table of p on ds and sh (Web Mercator shapes: names,
 * populations, district areas, zones; NULL: no names, populations or
 * hotspots) into *out (overwritten; free with compare_free() on success).
 * Rows come in code order. ERR_INVALID naming "district" or "to", and the
 * hotspots' and coverage's errors; ERR_NOMEM. */
int compare_compute(const dataset *ds, const shapes *sh, const struct compare_params *p,
                    struct compare *out);

/* Frees what c points to; accepts a zeroed table. */
void compare_free(struct compare *c);

/* Two-sided exact test of n1 events in exposure t1 against n2 in t2 under
 * one Poisson rate: given n = n1 + n2, n1 is Binomial(n, t1 / (t1 + t2)),
 * and the p-value sums the probabilities of the outcomes no more likely
 * than n1 (within a relative 1e-7, as R's binom.test and poisson.test).
 * Counts are rounded to whole numbers; 1 when both are 0. */
double compare_poisson_p(double n1, double t1, double n2, double t2);

/* Orders the rows by measure: code, name (in lang "uz", "ru" or "en"),
 * offences, previous, last_year, ytd, ytd_last_year, change_previous,
 * change_last_year, change_ytd, population, rate, hotspots, covered,
 * covered_share, or a category code (its offences in the period);
 * ascending, descending with a leading '-'; unknown values last, ties by
 * code. NULL or "": by code. ERR_INVALID naming "sort". */
int compare_sort(struct compare *c, const dataset *ds, const char *measure, const char *lang);

/* The table as JSON (docs/api.md, GET /api/compare). ds names the
 * categories and districts. *out is a new reference. ERR_NOMEM. */
int compare_json(const struct compare *c, const dataset *ds, json_t **out);

/* The table as CSV with a header row: one row per district or mahalla,
 * then the total (code "total"). ERR_IO when f fails. */
int compare_csv(const struct compare *c, const dataset *ds, FILE *f);

/* A row's name in lang ("uz", "ru", "en"), else in another language, else
 * its code; borrowed. */
const char *compare_row_name(const struct compare_row *r, const char *lang);

#endif
