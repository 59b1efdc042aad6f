/* gistar: the disc of a band, Gi* and Moran's I against hand figures and a
 * brute-force loop over every pair of cells, Benjamini-Hochberg on a known
 * list of p-values, and the whole run on an L-shaped district in a real
 * SpatiaLite store. */
#include "testutil.h"

#include "dataset.h"
#include "err.h"
#include "gistar.h"
#include "shapes.h"
#include "store.h"

#include <gdal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The hand grid: 27 offences on 5 x 5 cells, mean 1.08, variance (divisor
 * n) 99 / 25 - 1.08^2 = 2.7936, S = 1.6714066. */
static const double GRID[25] = {
    0, 1, 0, 2, 0, /* row 0, north */
    1, 5, 3, 0, 0, /* */
    0, 4, 6, 1, 0, /* */
    0, 0, 1, 0, 0, /* */
    2, 0, 0, 0, 1,
};

static void test_disc(void **state)
{
	(void)state;
	struct {
		double band;
		int radius;
		int half[11];
	} cases[] = {
	    {0, 0, {0}},
	    {1, 1, {0, 1, 0}},
	    {M_SQRT2, 1, {1, 1, 1}}, /* the diagonal at exactly the band */
	    {2, 2, {0, 1, 2, 1, 0}},
	    {2.5, 2, {1, 2, 2, 2, 1}},
	    {5, 5, {0, 3, 4, 4, 4, 5, 4, 4, 4, 3, 0}}, /* 3-4-5 at exactly the band */
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		int r, *half;
		assert_int_equal(gistar_disc(cases[k].band, &r, &half), 0);
		assert_int_equal(r, cases[k].radius);
		for (int i = 0; i <= 2 * r; i++)
			assert_int_equal(half[i], cases[k].half[i]);
		free(half);
	}
	int r, *half;
	assert_int_equal(gistar_disc(GISTAR_MAX_BAND + 1, &r, &half), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "band:"));
	assert_int_equal(gistar_disc(-1, &r, &half), ERR_INVALID);
}

/* Gi* of cell c straight from Getis and Ord's formula, every pair looked
 * at: neighbours at squared distance <= d2 (in cells), analysed cells only. */
static double brute_gistar(const double *x, const unsigned char *mask, int w, int h, double d2,
                           int c)
{
	double n = 0, sum = 0, sum2 = 0, wi = 0, wx = 0;
	for (int k = 0; k < w * h; k++) {
		if (mask && !mask[k])
			continue;
		n++;
		sum += x[k];
		sum2 += x[k] * x[k];
		int dx = k % w - c % w, dy = k / w - c / w;
		if (dx * dx + dy * dy <= d2) {
			wi++;
			wx += x[k];
		}
	}
	double mean = sum / n, s = sqrt(sum2 / n - mean * mean);
	return (wx - mean * wi) / (s * sqrt((n * wi - wi * wi) / (n - 1)));
}

static void test_gistar_hand(void **state)
{
	(void)state;
	double z[25];
	assert_int_equal(gistar_zscores(GRID, NULL, 5, 5, M_SQRT2, z), 0);
	/* Centre: its 9 cells hold 5+3+0+4+6+1+0+1+0 = 20, W = 9:
	 * (20 - 1.08 x 9) / (1.6714066 sqrt((25 x 9 - 81) / 24)) = 2.5109345. */
	assert_float_equal(z[12], 2.510934468541019, 1e-12);
	/* North-west corner: 0+1+1+5 = 7 over W = 4:
	 * (7 - 4.32) / (1.6714066 sqrt((100 - 16) / 24)) = 0.8570747. */
	assert_float_equal(z[0], 0.8570746713728922, 1e-12);
	const double bands[] = {1, M_SQRT2, 2, 2.5, 3};
	const double d2[] = {1, 2, 4, 6.25, 9};
	for (size_t b = 0; b < sizeof bands / sizeof *bands; b++) {
		assert_int_equal(gistar_zscores(GRID, NULL, 5, 5, bands[b], z), 0);
		for (int c = 0; c < 25; c++)
			assert_float_equal(z[c], brute_gistar(GRID, NULL, 5, 5, d2[b], c), 1e-12);
	}
	/* A mask: the cells outside neither count nor are counted. */
	unsigned char mask[25];
	for (int c = 0; c < 25; c++)
		mask[c] = c % 5 + c / 5 < 7; /* the south-east corner is out */
	assert_int_equal(gistar_zscores(GRID, mask, 5, 5, 2, z), 0);
	for (int c = 0; c < 25; c++)
		if (mask[c])
			assert_float_equal(z[c], brute_gistar(GRID, mask, 5, 5, 4, c), 1e-12);
		else
			assert_true(isnan(z[c]));
	/* A 7 x 3 grid: rows and columns are not swapped. */
	assert_int_equal(gistar_zscores(GRID, NULL, 7, 3, 2.5, z), 0);
	for (int c = 0; c < 21; c++)
		assert_float_equal(z[c], brute_gistar(GRID, NULL, 7, 3, 6.25, c), 1e-12);

	const double flat[4] = {2, 2, 2, 2};
	assert_int_equal(gistar_zscores(flat, NULL, 2, 2, 1, z), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "counts:"));
}

static void test_moran(void **state)
{
	(void)state;
	/* Moran's I under randomisation, every pair, as in Cliff and Ord. */
	for (double d2 = 1; d2 <= 9; d2 += 1) {
		double n = 25, mean = 27 / 25.0, num = 0, m2 = 0, m4 = 0, s0 = 0, s1 = 0, s2 = 0;
		for (int i = 0; i < 25; i++) {
			double di = GRID[i] - mean, row = 0;
			m2 += di * di;
			m4 += di * di * di * di;
			for (int j = 0; j < 25; j++) {
				int dx = i % 5 - j % 5, dy = i / 5 - j / 5;
				double wij = i != j && dx * dx + dy * dy <= d2;
				num += wij * di * (GRID[j] - mean);
				s0 += wij;
				s1 += 0.5 * (2 * wij) * (2 * wij);
				row += wij;
			}
			s2 += (2 * row) * (2 * row);
		}
		double want_i = n / s0 * num / m2, e = -1 / (n - 1), b2 = n * m4 / (m2 * m2);
		double var = (n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0 * s0) -
		              b2 * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0 * s0)) /
		                 ((n - 1) * (n - 2) * (n - 3) * s0 * s0) -
		             e * e;
		double got_i, got_z;
		assert_int_equal(gistar_moran(GRID, NULL, 5, 5, sqrt(d2), &got_i, &got_z), 0);
		assert_float_equal(got_i, want_i, 1e-12);
		assert_float_equal(got_z, (want_i - e) / sqrt(var), 1e-9);
	}
}

/* z of a two-sided p-value, by bisection on erfc. */
static double z_of(double p)
{
	double lo = 0, hi = 40;
	for (int k = 0; k < 200; k++) {
		double mid = (lo + hi) / 2;
		if (erfc(mid / M_SQRT2) > p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

static void test_classify_fdr(void **state)
{
	(void)state;
	/* 25 p-values (McDonald's Handbook of Biological Statistics example,
	 * 0.008 moved to 0.0079 off a tie) and two cells without a z-score. */
	const double ps[25] = {0.001, 0.0079, 0.039, 0.041, 0.042, 0.06,  0.074, 0.205, 0.212,
	                       0.216, 0.222,  0.251, 0.269, 0.275, 0.34,  0.341, 0.384, 0.569,
	                       0.594, 0.696,  0.762, 0.94,  0.942, 0.975, 0.986};
	double z[27], p[27];
	signed char bin[27];
	for (int k = 0; k < 25; k++)
		z[k] = (k == 0 ? -1 : 1) * z_of(ps[k]);
	z[25] = z[26] = NAN;
	assert_int_equal(gistar_classify(z, 27, 0, p, bin), 0);
	const signed char plain[27] = {-3, 3, 2, 2, 2, 1, 1};
	for (int k = 0; k < 27; k++) {
		assert_int_equal(bin[k], plain[k]);
		if (k < 25)
			assert_float_equal(p[k], ps[k], 1e-12);
	}
	assert_true(isnan(p[25]));
	/* Benjamini-Hochberg over m = 25: at 0.10 the largest p(k) <= 0.1 k / 25
	 * is p(2) = 0.0079 <= 0.008; at 0.05 p(1) = 0.001 <= 0.002 (p(2) >
	 * 0.004); at 0.01 none (p(1) > 0.0004). */
	assert_int_equal(gistar_classify(z, 27, 1, p, bin), 0);
	const signed char fdr[27] = {-2, 1};
	for (int k = 0; k < 27; k++)
		assert_int_equal(bin[k], fdr[k]);
}

/* An L-shaped district near Tashkent (two squares, about 4 x 4 km with the
 * north-east quarter missing) with a dense cluster and a scatter. */
#define W 69.20 /* its south-west corner */
#define S 41.30

struct fixture {
	char *dir;
	store *st;
	dataset *ds;
	shapes *sh;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[700], id[32];
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "g.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	testutil_l_district(f->st);
	const int64_t t0 = 1772409600LL;
	/* 80 thefts within 150 m of one point, 60 frauds spread evenly. */
	for (int k = 0; k < 80; k++) {
		snprintf(id, sizeof id, "c%d", k);
		testutil_put_offence(f->st, id, 69.210 + (k % 9 - 4) * 0.0002,
		                     41.310 + (k / 9 - 4) * 0.00015, t0 + k * 3600, t0 + k * 3600,
		                     "theft");
	}
	for (int k = 0; k < 60; k++) {
		snprintf(id, sizeof id, "s%d", k);
		testutil_put_offence(f->st, id, W + 0.002 + (k % 10) * 0.0045,
		                     S + 0.001 + (k / 10) * 0.0028, t0 + k * 7200, t0 + k * 7200,
		                     "fraud");
	}
	assert_int_equal(dataset_load(f->st, NULL, &f->ds), 0);
	assert_int_equal(shapes_load(f->st, NULL, &f->sh), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	shapes_free(f->sh);
	dataset_free(f->ds);
	store_close(f->st);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

static void test_run(void **state)
{
	struct fixture *f = *state;
	struct gistar_params p = {0};
	struct gistar_result r;
	dataset_filter_all(&p.filter);
	assert_int_equal(gistar_run(f->ds, f->sh, &p, &r), 0);
	/* About 4 km on the shorter side: 1/50 is 80 m, under 100 m, kept whole. */
	assert_true(r.cell >= 75 && r.cell <= 85 && r.cell == floor(r.cell));
	assert_int_equal(r.epsg, 32642);
	size_t cells = (size_t)r.width * r.height, in = 0, ne = 0;
	double total = 0;
	for (size_t c = 0; c < cells; c++) {
		in += r.mask[c];
		total += r.count[c];
		/* The north-east quarter is outside the district. */
		ne += r.mask[c] && c % r.width > (size_t)r.width * 6 / 10 &&
		      c / r.width < (size_t)r.height * 4 / 10;
		assert_true(r.mask[c] ? !isnan(r.z[c]) : isnan(r.z[c]) && r.bin[c] == 0);
	}
	assert_int_equal(ne, 0);
	assert_true(in > cells * 7 / 10 && in < cells * 8 / 10);
	assert_int_equal(in, r.cells);
	assert_float_equal(total, 140, 0);
	assert_int_equal(r.offences, 140);
	size_t binned = 0;
	for (int b = 0; b < 7; b++)
		binned += r.bins[b];
	assert_int_equal(binned, r.cells);
	assert_true(r.bins[6] > 0); /* the cluster is hot at 99% */
	/* The band from incremental spatial autocorrelation. */
	assert_int_equal(r.n_steps, GISTAR_STEPS);
	assert_true(r.band_source == GISTAR_BAND_PEAK || r.band_source == GISTAR_BAND_FALLBACK);
	/* The cell with most offences is the hottest. */
	size_t top = 0;
	for (size_t c = 0; c < cells; c++)
		if (r.count[c] > r.count[top])
			top = c;
	assert_int_equal(r.bin[top], 3);

	json_t *fc;
	assert_int_equal(gistar_geojson(&r, &fc), 0);
	json_t *feat = json_object_get(fc, "features");
	assert_int_equal(json_array_size(feat), r.cells - r.bins[3]);
	json_t *first = json_object_get(json_array_get(feat, 0), "properties");
	assert_int_equal(json_integer_value(json_object_get(first, "bin")), 3);
	assert_string_equal(json_string_value(json_object_get(fc, "crs")), "EPSG:32642");
	json_decref(fc);

	char path[700];
	testutil_path(path, sizeof path, f->dir, "z.tif");
	assert_int_equal(gistar_write_tiff(&r, path, "all"), 0);
	GDALAllRegister();
	GDALDatasetH tif = GDALOpen(path, GA_ReadOnly);
	assert_non_null(tif);
	assert_int_equal(GDALGetRasterCount(tif), 3);
	double gt[6];
	assert_int_equal(GDALGetGeoTransform(tif, gt), CE_None);
	assert_float_equal(gt[0], r.x0, 1e-6);
	assert_float_equal(gt[3], r.y0, 1e-6);
	assert_float_equal(gt[1], r.cell, 0);
	assert_string_equal(GDALGetMetadataItem(tif, "POSBON_FILTER", NULL), "all");
	/* The hottest cell's z, bin and count, and a cell outside: NaN. */
	size_t outside = 0;
	while (r.mask[outside])
		outside++;
	const size_t at[2] = {top, outside};
	for (int k = 0; k < 2; k++)
		for (int b = 1; b <= 3; b++) {
			float v;
			int i = (int)(at[k] % r.width), j = (int)(at[k] / r.width);
			assert_int_equal(GDALRasterIO(GDALGetRasterBand(tif, b), GF_Read, i, j, 1,
			                              1, &v, 1, 1, GDT_Float32, 0, 0),
			                 CE_None);
			double want = b == 1 ? r.z[top] : b == 2 ? r.bin[top] : r.count[top];
			if (k)
				assert_true(isnan(v));
			else
				assert_float_equal(v, want, 1e-5 * fabs(want));
		}
	GDALClose(tif);
	gistar_result_free(&r);

	/* A given band and the whole rectangle. */
	p.cell = 200;
	p.band = 500;
	p.whole_grid = 1;
	assert_int_equal(gistar_run(f->ds, f->sh, &p, &r), 0);
	assert_int_equal(r.band_source, GISTAR_BAND_GIVEN);
	assert_int_equal(r.cells, (size_t)r.width * r.height);
	assert_int_equal(r.n_steps, 0);
	gistar_result_free(&r);
}

static void test_bad_params(void **state)
{
	struct fixture *f = *state;
	struct gistar_params p = {.cell = 0.1};
	struct gistar_result r;
	dataset_filter_all(&p.filter);
	assert_int_equal(gistar_run(f->ds, f->sh, &p, &r), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "cell: 0.1 is not"));
	/* 1 m cells over 4 km, against a limit of a million cells: the
	 * message names the grid and a cell that fits. */
	p.cell = 1;
	p.max_cells = 1000000;
	assert_int_equal(gistar_run(f->ds, f->sh, &p, &r), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "cell: a grid of "));
	assert_non_null(strstr(err_msg(), "is too large"));
	p.max_cells = 0;
	p.cell = 100;
	p.band = 50;
	assert_int_equal(gistar_run(f->ds, f->sh, &p, &r), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "band: 50 m is not"));
	p.band = 0;
	p.filter.from = 0;
	p.filter.to = 1; /* 1970: nothing */
	assert_int_equal(gistar_run(f->ds, f->sh, &p, &r), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "filter: no offence"));
	assert_null(r.count);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_disc),
	    cmocka_unit_test(test_gistar_hand),
	    cmocka_unit_test(test_moran),
	    cmocka_unit_test(test_classify_fdr),
	    cmocka_unit_test_setup_teardown(test_run, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_params, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
