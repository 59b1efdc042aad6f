/*
 * gistar: Getis-Ord Gi* hot and cold spots of offence counts on a square
 * grid in metres (docs/analysis.md).
 *
 * The grid lies in the district's UTM zone (utm.h), so cells are true
 * squares and centre distances are the Euclidean ones R's spdep sees. The
 * weights are binary within a fixed distance band, the cell itself included
 * (Gi*, not Gi); z-scores follow spdep::localG exactly (mean and standard
 * deviation over the n analysed cells, the deviation with divisor n), and
 * p-values are two-sided from the normal distribution. Cells are binned as
 * ArcGIS bins them: +-3 at p < 0.01, +-2 at p < 0.05, +-1 at p < 0.10, by
 * the sign of z; with the False Discovery Rate option the thresholds are
 * Benjamini-Hochberg's per level instead.
 *
 * Cost: the cells within a band form a fixed disc of offsets, one run of
 * columns per row offset; prefix sums along each grid row give a run's sum
 * in two reads, so a Gi* pass costs cells x rows of the disc (2 * band /
 * cell + 1), linear in the cells for a fixed band, whatever the number of
 * neighbours. The default band is chosen by incremental spatial
 * autocorrelation: global Moran's I over bands of 1 .. 10 cells, the same
 * run sums per band, the first peak of its z-score.
 *
 * Ownership: a gistar_result owns its arrays; free with gistar_result_free().
 * Threading: gistar_run() only reads the dataset and the shapes (both may be
 * shared) and opens its own PROJ context; the grid functions are re-entrant.
 */
#ifndef POSBON_GISTAR_H
#define POSBON_GISTAR_H

#include "dataset.h"
#include "shapes.h"
#include "utm.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define GISTAR_MAX_CELLS  ((size_t)16000000) /* refuse larger grids (0 in params) */
#define GISTAR_MAX_BAND   100                /* cells: the disc's rows bound the cost */
#define GISTAR_STEPS      10                 /* incremental bands: 1 .. 10 cells */
#define GISTAR_CELL_SHARE 50                 /* default cell: 1/50 of the shorter side */

/* Where the band came from. */
enum gistar_band_source {
	GISTAR_BAND_GIVEN,   /* the caller's */
	GISTAR_BAND_PEAK,    /* the first peak of Moran's I z-score over the steps */
	GISTAR_BAND_FALLBACK /* no peak: cell x sqrt(2), the 8 touching cells */
};

/* The rows of the disc of cells within band (in cells) of a cell: row
 * offsets -radius .. radius, and in row offset dy the column offsets
 * -half[dy + radius] .. half[dy + radius]. A neighbour at centre distance
 * exactly band is in (a relative 1e-9 absorbs rounding, so cell x sqrt(2)
 * takes the diagonal). *half is new (2 radius + 1 entries); free() it.
 * ERR_INVALID for a band below 0 or over GISTAR_MAX_BAND, ERR_NOMEM. */
int gistar_disc(double band, int *radius, int **half);

/* Gi* z-scores of the counts x on a width x height grid (row-major) with a
 * band of band cells: z[c] for every cell with mask[c] (mask NULL: every
 * cell), NAN elsewhere. Cells outside the mask neither count nor are
 * counted. A cell whose band holds every analysed cell has no variance and
 * gets 0. ERR_INVALID when fewer than 2 cells are analysed or the counts do
 * not vary (no offence: nothing to test), ERR_NOMEM. */
int gistar_zscores(const double *x, const unsigned char *mask, int width, int height, double band,
                   double *z);

/* Global Moran's I of x with binary weights within band cells (the cell
 * itself excluded), and its z-score under randomisation (Cliff and Ord, as
 * spdep::moran.test computes it: cells without a neighbour drop out of n,
 * not out of the mean). ERR_INVALID as gistar_zscores() and when no cell
 * has a neighbour. */
int gistar_moran(const double *x, const unsigned char *mask, int width, int height, double band,
                 double *moran_i, double *zscore);

/* Two-sided p-values of n z-scores, and their bins (-3 .. 3) as above; with
 * fdr, Benjamini-Hochberg per level (0.10, 0.05, 0.01) over the cells with
 * a z-score (NAN cells get p NAN and bin 0). ERR_NOMEM. */
int gistar_classify(const double *z, size_t n, int fdr, double *p, signed char *bin);

struct gistar_params {
	struct dataset_filter filter; /* period, hours, weekdays, categories, services */
	double cell;                  /* metres; 0: from the district's extent */
	double band;                  /* metres; 0: incremental spatial autocorrelation */
	int fdr;                      /* bins by Benjamini-Hochberg */
	int whole_grid;               /* every cell of the rectangle, not the district's */
	size_t max_cells;             /* 0: GISTAR_MAX_CELLS */
};

struct gistar_result {
	struct dataset_filter filter; /* as given */
	int epsg;                     /* the UTM zone's */
	double x0, y0;                /* UTM metres of the grid's north-west corner */
	double cell;                  /* metres */
	int width, height;            /* cell (i, j): x0 + i cell .. , y0 - j cell .. */
	double band;                  /* metres */
	enum gistar_band_source band_source;
	int fdr;
	int whole_grid; /* every cell analysed: asked for, or no district polygons */
	/* Incremental spatial autocorrelation, when the band was not given:
	 * n_steps bands (metres) with Moran's I and its z-score. */
	size_t n_steps;
	double step_band[GISTAR_STEPS], step_i[GISTAR_STEPS], step_z[GISTAR_STEPS];
	size_t cells;        /* analysed (in the district, or all) */
	double offences;     /* counted in the analysed cells (aoristic shares) */
	double mean, sd;     /* of the counts over the analysed cells (sd: divisor n) */
	size_t bins[7];      /* analysed cells per bin, bins[b + 3] for bin b */
	double *count;       /* width x height, row 0 north: offences per cell (aoristic) */
	unsigned char *mask; /* 1: analysed */
	double *z, *p;       /* NAN outside the mask */
	signed char *bin;    /* -3 .. 3, 0 outside the mask */
};

/* Counts the offences of ds passing p->filter on the grid, chooses the cell
 * and band when not given, and computes Gi*, p-values and bins into *out
 * (overwritten; free with gistar_result_free() on success). sh holds the
 * district's polygons in Web Mercator (the renderer's): the analysed cells
 * are those whose centres lie inside its districts (else its mahallas;
 * with neither, or with whole_grid, every cell). ERR_INVALID naming the
 * parameter ("cell: a grid of ... is too large", "band: ...", "filter: no
 * offence ..."), ERR_PROJ, ERR_NOMEM. */
int gistar_run(const dataset *ds, const shapes *sh, const struct gistar_params *p,
               struct gistar_result *out);

/* Frees what r points to; accepts a zeroed result. */
void gistar_result_free(struct gistar_result *r);

const char *gistar_band_source_name(enum gistar_band_source s);

/* The result as a GeoJSON FeatureCollection: one Feature per significant
 * cell (bin != 0; a Polygon in lon/lat; properties i, j, count, z, p, bin),
 * hot cells first by z, then cold; the grid and its figures as members
 * (crs, origin, cell_m, width, height, band_m, band_source, steps, fdr,
 * cells, offences, mean, sd, bins {"-3".."3"}, from, to). *out is a new
 * reference. ERR_PROJ, ERR_NOMEM. */
int gistar_geojson(const struct gistar_result *r, json_t **out);

/* Adds the offences of ds passing f to count (r's width x height cells)
 * on r's grid (u: r's UTM zone), as gistar_run() counts them. ERR_PROJ,
 * ERR_NOMEM. */
int gistar_count(const dataset *ds, utm *u, const struct dataset_filter *f,
                 const struct gistar_result *r, double *count);

/* Cell c of r's grid as a GeoJSON Polygon in lon/lat (u: r's UTM zone),
 * a new reference in *out. ERR_PROJ, ERR_NOMEM. */
int gistar_cell_polygon(const struct gistar_result *r, utm *u, size_t c, json_t **out);

/* Writes the grid as a GeoTIFF in its UTM zone: band 1 z-score, band 2 bin,
 * band 3 count (Float32; NaN outside the analysed cells), with the band,
 * cell and filter text (may be NULL) in the metadata. ERR_IO,
 * ERR_UNSUPPORTED, ERR_PROJ. */
int gistar_write_tiff(const struct gistar_result *r, const char *path, const char *filter_text);

#endif
