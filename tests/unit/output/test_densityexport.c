/* densityexport: GeoTIFF read back through GDAL, values against brute force
 * over the stored points projected independently. */
#include "testutil.h"

#include "densityexport.h"
#include "err.h"
#include "store.h"

#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
	char *dir;
	store *st;
	dataset *ds;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->dir = testutil_tmpdir();
	if (testutil_sample_store(f->dir, 3000, 8, &f->st) < 0 ||
	    dataset_load(f->st, NULL, &f->ds) < 0) {
		fprintf(stderr, "setup: %s\n", err_msg());
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	dataset_free(f->ds);
	store_close(f->st);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

/* The stored points in UTM 42N, projected by a PROJ transform of the
 * test's own. */
struct utm_points {
	PJ *norm;
	struct kde_point *out;
	size_t n, cap;
};

static int take_point(void *ctx, double lon, double lat)
{
	struct utm_points *u = ctx;
	if (u->n == u->cap)
		return 1;
	PJ_COORD c = proj_trans(u->norm, PJ_FWD, proj_coord(lon, lat, 0, 0));
	u->out[u->n++] = (struct kde_point){c.xy.x, c.xy.y};
	return 0;
}

static size_t utm_points(store *st, struct kde_point *out, size_t cap)
{
	PJ_CONTEXT *ctx = proj_context_create();
	PJ *p = proj_create_crs_to_crs(ctx, "EPSG:4326", "EPSG:32642", NULL);
	struct utm_points u = {proj_normalize_for_visualization(ctx, p), out, 0, cap};
	assert_true(store_each_point(st, take_point, &u) >= 0);
	proj_destroy(u.norm);
	proj_destroy(p);
	proj_context_destroy(ctx);
	return u.n;
}

static void test_geotiff_holds_the_true_density(void **state)
{
	struct fixture *f = *state;
	char path[700];
	struct dataset_filter all;
	struct density_result res;
	testutil_path(path, sizeof path, f->dir, "kde.tif");
	dataset_filter_all(&all);
	struct density_export e = {
	    .path = path, .cell = 25, .kernel = KDE_QUARTIC, .bandwidth = 300};
	assert_int_equal(density_export_write(f->ds, &all, &e, &res), 0);
	assert_int_equal(res.epsg, 32642);
	assert_true(res.offences > 2900);
	assert_true(res.places > 0 && (double)res.places <= res.offences);

	GDALAllRegister();
	GDALDatasetH ds = GDALOpen(path, GA_ReadOnly);
	assert_non_null(ds);
	assert_int_equal(GDALGetRasterXSize(ds), res.width);
	assert_int_equal(GDALGetRasterYSize(ds), res.height);
	double gt[6];
	assert_int_equal(GDALGetGeoTransform(ds, gt), CE_None);
	assert_float_equal(gt[1], 25.0, 1e-9);
	assert_float_equal(gt[5], -25.0, 1e-9);
	OGRSpatialReferenceH srs = OSRNewSpatialReference(GDALGetProjectionRef(ds));
	assert_string_equal(OSRGetAuthorityCode(srs, NULL), "32642");
	OSRDestroySpatialReference(srs);
	/* The sample district is about 6.5 km across: at 25 m, plus the radius. */
	assert_true(res.width > 200 && res.width < 400);

	static struct kde_point pts[5000];
	size_t n = utm_points(f->st, pts, 5000);
	GDALRasterBandH band = GDALGetRasterBand(ds, 1);
	struct kde_params p = {.kernel = KDE_QUARTIC, .bandwidth = 300};
	int nonzero = 0;
	for (int k = 0; k < 60; k++) {
		int i = (k * 97 + 11) % res.width, j = (k * 61 + 7) % res.height;
		float v;
		assert_int_equal(
		    GDALRasterIO(band, GF_Read, i, j, 1, 1, &v, 1, 1, GDT_Float32, 0, 0), CE_None);
		double want;
		assert_int_equal(kde_density_at(&p, pts, NULL, n, gt[0] + (i + 0.5) * 25,
		                                gt[3] - (j + 0.5) * 25, 1.0, &want),
		                 0);
		/* Float32 storage and two PROJ paths: agree to 1e-5 relative. */
		assert_true(fabs(v - want) <= 1e-5 * fmax(want, 1.0));
		nonzero += want > 0;
	}
	assert_true(nonzero > 10);
	/* What gdalinfo shows: NoData, the kernel, the period and the offences. */
	int has = 0;
	assert_true(GDALGetRasterNoDataValue(band, &has) == 0 && has);
	assert_string_equal(GDALGetMetadataItem(ds, "POSBON_KERNEL", NULL), "quartic");
	assert_string_equal(GDALGetMetadataItem(ds, "POSBON_FILTER", NULL), "every offence");
	const char *period = GDALGetMetadataItem(ds, "POSBON_PERIOD", NULL);
	assert_non_null(period);
	assert_non_null(strchr(period, '/'));
	assert_float_equal(atof(GDALGetMetadataItem(ds, "POSBON_OFFENCES", NULL)), res.offences,
	                   1e-6 * res.offences);
	GDALClose(ds);
}

static void test_too_large_grid_is_refused(void **state)
{
	struct fixture *f = *state;
	char path[700];
	struct dataset_filter all;
	struct density_result res;
	testutil_path(path, sizeof path, f->dir, "big.tif");
	dataset_filter_all(&all);
	const double box[4] = {60.0, 37.0, 75.0, 45.0};
	struct density_export e = {.path = path, .cell = 10, .bandwidth = 300, .bbox = box};
	assert_int_equal(density_export_write(f->ds, &all, &e, &res), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "--bbox"));
	assert_non_null(strstr(err_msg(), "--cell"));
	FILE *fp = fopen(path, "rb");
	assert_null(fp);
	const double bad[4] = {69.3, 41.2, 69.2, 41.3};
	e.bbox = bad;
	assert_int_equal(density_export_write(f->ds, &all, &e, &res), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_geotiff_holds_the_true_density),
	    cmocka_unit_test(test_too_large_grid_is_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
