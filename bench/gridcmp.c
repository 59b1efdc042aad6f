/*
 * gridcmp: agreement of two density rasters on the cells they share, for
 * the QGIS comparison of bench/run.sh.
 *
 *   build/gridcmp A.tif B.tif [--scale-b F] [--shift-b DX DY] [--floor P]
 *
 * A is the reference (posbon's export), B the peer (QGIS). B's values are
 * multiplied by F (docs/heatmap.md: 1e6 / 7.25 for QGIS 3.22's scaled
 * quartic), and its georeference moved by (DX, DY) map units (for a peer run
 * in a translated frame). Both rasters must have the same square cells and
 * B's cell centres must fall on A's (to 1e-3 cell); otherwise the grids share
 * no cells and the comparison is refused. NoData counts as 0 (QGIS leaves
 * cells no point reached at NoData; posbon writes 0 and declares it NoData).
 *
 * Over the shared cells where A or B is above 0 it prints one line of
 * key=value pairs:
 *   cells        shared cells where either value is above 0
 *   peak         largest A value
 *   max_abs      largest |A - B| divided by peak
 *   rel_median, rel_p99, rel_max
 *                |A - B| / max(A, B) over the cells where max(A, B) is at
 *                least P (default 0.01) of the peak (the rim of a kernel,
 *                where both values go to 0, is left out)
 *   one_zero     cells where exactly one of A and B is 0
 *   mass         sum(B) / sum(A) over the shared cells
 *   outside      cells of A above 0 that B does not cover
 * Exit status 0 when it compared, 1 on an error.
 */
#include <cpl_conv.h>
#include <gdal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct grid {
	int w, h;
	double gt[6];
	float *v;
};

static int load(const char *path, struct grid *g)
{
	GDALDatasetH ds = GDALOpen(path, GA_ReadOnly);
	if (!ds) {
		fprintf(stderr, "gridcmp: %s: %s\n", path, CPLGetLastErrorMsg());
		return -1;
	}
	g->w = GDALGetRasterXSize(ds);
	g->h = GDALGetRasterYSize(ds);
	if (GDALGetGeoTransform(ds, g->gt) != CE_None || g->gt[2] != 0 || g->gt[4] != 0 ||
	    fabs(g->gt[1] + g->gt[5]) > 1e-9 * fabs(g->gt[1])) {
		fprintf(stderr, "gridcmp: %s: needs square north-up cells\n", path);
		GDALClose(ds);
		return -1;
	}
	GDALRasterBandH b = GDALGetRasterBand(ds, 1);
	int has_nodata = 0;
	double nodata = GDALGetRasterNoDataValue(b, &has_nodata);
	g->v = malloc((size_t)g->w * g->h * sizeof *g->v);
	if (!g->v || GDALRasterIO(b, GF_Read, 0, 0, g->w, g->h, g->v, g->w, g->h, GDT_Float32, 0,
	                          0) != CE_None) {
		fprintf(stderr, "gridcmp: %s: cannot read %dx%d cells\n", path, g->w, g->h);
		GDALClose(ds);
		return -1;
	}
	GDALClose(ds);
	for (size_t i = 0; i < (size_t)g->w * g->h; i++)
		if ((has_nodata && g->v[i] == (float)nodata) || !isfinite(g->v[i]))
			g->v[i] = 0;
	return 0;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	const char *pa = NULL, *pb = NULL;
	double scale = 1, dx = 0, dy = 0, floor_frac = 0.01;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--scale-b") && i + 1 < argc)
			scale = strtod(argv[++i], NULL);
		else if (!strcmp(argv[i], "--shift-b") && i + 2 < argc) {
			dx = strtod(argv[++i], NULL);
			dy = strtod(argv[++i], NULL);
		} else if (!strcmp(argv[i], "--floor") && i + 1 < argc)
			floor_frac = strtod(argv[++i], NULL);
		else if (!pa)
			pa = argv[i];
		else if (!pb)
			pb = argv[i];
		else
			pa = NULL, i = argc;
	}
	if (!pa || !pb) {
		fprintf(stderr, "usage: gridcmp A.tif B.tif [--scale-b F] [--shift-b DX DY] "
		                "[--floor P]\n");
		return 1;
	}
	GDALAllRegister();
	struct grid a = {0}, b = {0};
	if (load(pa, &a) < 0 || load(pb, &b) < 0)
		return 1;
	double cell = a.gt[1];
	if (fabs(b.gt[1] - cell) > 1e-9 * cell) {
		fprintf(stderr, "gridcmp: cells differ: %g and %g\n", cell, b.gt[1]);
		return 1;
	}
	/* B's column 0 is A's column ox, B's row 0 is A's row oy. */
	double fx = (b.gt[0] + dx - a.gt[0]) / cell, fy = (a.gt[3] - (b.gt[3] + dy)) / cell;
	long ox = lround(fx), oy = lround(fy);
	if (fabs(fx - (double)ox) > 1e-3 || fabs(fy - (double)oy) > 1e-3) {
		fprintf(stderr,
		        "gridcmp: the grids share no cell centres: B is offset by %.4f, %.4f "
		        "cells\n",
		        fx, fy);
		return 1;
	}
	double peak = 0, sum_a = 0, sum_b = 0, max_abs = 0;
	size_t cells = 0, one_zero = 0, outside = 0;
	for (long j = 0; j < a.h; j++)
		for (long i = 0; i < a.w; i++) {
			double va = a.v[(size_t)j * a.w + i];
			peak = fmax(peak, va);
			long bi = i - ox, bj = j - oy;
			if (bi < 0 || bj < 0 || bi >= b.w || bj >= b.h)
				outside += va > 0;
		}
	size_t nrel = 0;
	float *rel = malloc((size_t)a.w * a.h * sizeof *rel);
	if (!rel) {
		fprintf(stderr, "gridcmp: out of memory\n");
		return 1;
	}
	double floor_v = floor_frac * peak;
	for (long j = 0; j < a.h; j++) {
		long bj = j - oy;
		if (bj < 0 || bj >= b.h)
			continue;
		for (long i = 0; i < a.w; i++) {
			long bi = i - ox;
			if (bi < 0 || bi >= b.w)
				continue;
			double va = a.v[(size_t)j * a.w + i];
			double vb = b.v[(size_t)bj * b.w + bi] * scale;
			if (!(va > 0) && !(vb > 0))
				continue;
			cells++;
			sum_a += va;
			sum_b += vb;
			one_zero += (va > 0) != (vb > 0);
			double d = fabs(va - vb), m = fmax(fabs(va), fabs(vb));
			max_abs = fmax(max_abs, d);
			if (m >= floor_v && m > 0)
				rel[nrel++] = (float)(d / m);
		}
	}
	qsort(rel, nrel, sizeof *rel, cmp_float);
	double med = nrel ? rel[nrel / 2] : 0;
	double p99 = nrel ? rel[(size_t)fmin((double)nrel - 1, ceil(0.99 * (double)nrel) - 1)] : 0;
	double mx = nrel ? rel[nrel - 1] : 0;
	printf("cells=%zu peak=%.6g max_abs=%.3g rel_median=%.3g rel_p99=%.3g rel_max=%.3g "
	       "rel_cells=%zu one_zero=%zu mass=%.9f outside=%zu offset=%ld,%ld\n",
	       cells, peak, peak > 0 ? max_abs / peak : 0, med, p99, mx, nrel, one_zero,
	       sum_a > 0 ? sum_b / sum_a : 0, outside, ox, oy);
	free(rel);
	free(a.v);
	free(b.v);
	return 0;
}
