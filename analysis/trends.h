/*
 * trends: emerging hot and cold spots: Getis-Ord Gi* (gistar.h) per cell in
 * each week of a period, the Mann-Kendall trend test of each cell's weekly
 * z-scores (and counts), and the categories of ArcGIS's Emerging Hot Spot
 * Analysis (new, consecutive, intensifying, persistent, diminishing,
 * sporadic, oscillating, historical; hot and cold), with the rules of
 * docs/analysis.md, "Trends".
 *
 * The weeks share one grid and one distance band: those gistar_run()
 * chooses for the whole period, so a cell is the same place with the same
 * neighbours every week and only the counts change.
 *
 * Ownership: a trends_result owns its arrays; free with trends_result_free().
 * Threading: trends_run() only reads the dataset and the shapes (both may be
 * shared); the test and the classification are pure functions.
 */
#ifndef POSBON_TRENDS_H
#define POSBON_TRENDS_H

#include "gistar.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define TRENDS_WEEKS     12       /* default number of weeks */
#define TRENDS_MIN_WEEKS 4        /* fewer cannot show a trend at any level */
#define TRENDS_MAX_WEEKS 104      /* two years */
#define TRENDS_ALPHA     0.01     /* sfdep's threshold for a week and for the trend */
#define TRENDS_SHARE     0.9      /* the 90% rule */
#define TRENDS_WEEK      604800LL /* seconds */

/* Mann-Kendall trend test of a series x_1 .. x_n against time: S = sum
 * over i < j of sign(x_j - x_i); its variance under no trend with the ties
 * correction, (n(n-1)(2n+5) - sum over tie groups of t(t-1)(2t+5)) / 18;
 * Z = (S - sign(S)) / sqrt(var) (continuity corrected, 0 when S is 0); p
 * two-sided from the normal; tau = S / (n(n-1)/2) (Kendall's tau-a). */
struct trends_mk {
	double s, var, z, p, tau;
};

/* The test of x (n values, NAN not allowed) into *out. ERR_INVALID when
 * n < 3 or every value ties (nothing to rank: var 0). */
int trends_mann_kendall(const double *x, size_t n, struct trends_mk *out);

/* The patterns; a category is +pattern for hot spots and -pattern for
 * cold ones, 0 for no pattern. */
enum trends_pattern {
	TRENDS_NONE = 0,
	TRENDS_NEW,
	TRENDS_CONSECUTIVE,
	TRENDS_INTENSIFYING,
	TRENDS_PERSISTENT,
	TRENDS_DIMINISHING,
	TRENDS_SPORADIC,
	TRENDS_OSCILLATING,
	TRENDS_HISTORICAL,
	TRENDS_PATTERNS /* count */
};

/* The category of a cell whose weekly Gi* z-scores and p-values are z and
 * p (n weeks, oldest first) and whose z-scores' trend is mk: a week is hot
 * when p <= alpha and z > 0, cold when p <= alpha and z < 0; the trend is
 * significant when mk->p <= alpha. */
int trends_classify(const double *z, const double *p, size_t n, const struct trends_mk *mk,
                    double alpha);

/* "new hot spot", "persistent cold spot", "no pattern"; never NULL. */
const char *trends_category_name(int category);

struct trends_params {
	struct dataset_filter filter; /* to: the period's end (open: the latest
	                                 offence); from: its start (open: weeks
	                                 before the end); hours .. services as
	                                 everywhere */
	int weeks;                    /* 0: from the filter's from, else TRENDS_WEEKS */
	double cell, band;            /* metres; 0 as gistar_run() chooses them */
	double alpha;                 /* 0: TRENDS_ALPHA */
	size_t max_cells;             /* 0: GISTAR_MAX_CELLS / weeks */
};

struct trends_result {
	struct gistar_result grid; /* the whole period: grid, mask, band, counts */
	int weeks;
	int64_t from, to; /* the period: weeks of 7 days ending at to */
	double alpha;
	double *z, *p;          /* cells x weeks, z[c * weeks + k]; NAN outside the mask */
	double *count;          /* cells x weeks: offences of cell c in week k */
	struct trends_mk *mk_z; /* per cell: the trend of the z-scores */
	struct trends_mk *mk_n; /* per cell: the trend of the counts */
	signed char *category;  /* per cell, 0 outside the mask */
	size_t categories[2 * TRENDS_PATTERNS - 1]; /* cells per category c, at c + 8 */
};

/* The weekly Gi* of ds under p on the district of sh (as gistar_run()),
 * the trends and categories into *out (overwritten; free with
 * trends_result_free() on success). ERR_INVALID naming the parameter
 * ("weeks: ...", "from: ...", "cell: ...", "filter: no offence ..."),
 * ERR_PROJ, ERR_NOMEM. */
int trends_run(const dataset *ds, const shapes *sh, const struct trends_params *p,
               struct trends_result *out);

/* Frees what r points to; accepts a zeroed result. */
void trends_result_free(struct trends_result *r);

/* The result as a GeoJSON FeatureCollection: one Feature per analysed
 * cell with a category (a Polygon in lon/lat; properties i, j, category,
 * pattern, hot, weeks_hot, weeks_cold, count, the Mann-Kendall statistics
 * of the z-scores (mk_s, mk_var, mk_z, mk_p, tau) and of the counts
 * (count_mk_s, count_mk_z, count_mk_p), the weekly z list), strongest
 * categories first; the grid, weeks, alpha and counts per category as
 * members. *out is a new reference. ERR_PROJ, ERR_NOMEM. */
int trends_geojson(const struct trends_result *r, json_t **out);

/* Cell c of r as one Feature of trends_geojson() (u: the grid's UTM zone),
 * a new reference in *out. ERR_PROJ, ERR_NOMEM. */
int trends_cell_feature(const struct trends_result *r, utm *u, size_t c, json_t **out);

#endif
