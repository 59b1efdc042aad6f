/* samplecity: the city's districts are simple polygons that tile it without
 * gaps or overlaps, with unique codes and names, for every size up to a
 * country's; the same generator state gives the same city. */
#include "testutil.h"

#include "err.h"
#include "samplecity.h"

#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static GEOSContextHandle_t ctx;

static GEOSGeometry *polygon_of(const struct samplecity_district *d)
{
	GEOSCoordSequence *seq =
	    GEOSCoordSeq_copyFromBuffer_r(ctx, d->ring, (unsigned)d->n_ring, 0, 0);
	assert_non_null(seq);
	GEOSGeometry *ring = GEOSGeom_createLinearRing_r(ctx, seq);
	assert_non_null(ring);
	GEOSGeometry *poly = GEOSGeom_createPolygon_r(ctx, ring, NULL, 0);
	assert_non_null(poly);
	return poly;
}

static double area(const GEOSGeometry *g)
{
	double a;
	assert_int_equal(GEOSArea_r(ctx, g, &a), 1);
	return a;
}

static void check_city(int n, uint64_t seed)
{
	struct samplerng r;
	struct samplecity_district *d;
	GEOSGeometry *polys[SAMPLECITY_MAX_DISTRICTS];
	double sum = 0;
	samplerng_seed(&r, seed);
	assert_int_equal(samplecity_layout(&r, n, &d), 0);
	for (int i = 0; i < n; i++) {
		char code[8];
		snprintf(code, sizeof code, n < 100 ? "D%02d" : "D%03d", i + 1);
		assert_string_equal(d[i].code, code);
		assert_true(strlen(d[i].name) > 3);
		for (int j = 0; j < i; j++)
			if (strcmp(d[i].name, d[j].name) == 0)
				fail_msg("%d districts: %s and %s are both %s", n, d[j].code,
				         d[i].code, d[i].name);
		assert_memory_equal(d[i].ring, d[i].ring + 2 * (d[i].n_ring - 1),
		                    2 * sizeof(double));
		polys[i] = polygon_of(&d[i]);
		if (GEOSisValid_r(ctx, polys[i]) != 1)
			fail_msg("%d districts, seed %llu: %s is not a simple polygon", n,
			         (unsigned long long)seed, d[i].code);
		/* About the sample district's size, its centre well inside. */
		double km2 = area(polys[i]) / 1e6;
		assert_true(km2 > 25 && km2 < 55);
		GEOSGeometry *c = GEOSGeom_createPointFromXY_r(ctx, d[i].cx, d[i].cy);
		assert_int_equal(GEOSContains_r(ctx, polys[i], c), 1);
		GEOSGeom_destroy_r(ctx, c);
		sum += area(polys[i]);
	}
	/* No overlaps: the union is as large as the parts; no gaps: it is one
	 * polygon without holes. */
	GEOSGeometry *all = GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, polys, (unsigned)n);
	GEOSGeometry *u = GEOSUnaryUnion_r(ctx, all);
	assert_non_null(u);
	assert_float_equal(area(u) / sum, 1.0, 1e-9);
	assert_int_equal(GEOSGeomTypeId_r(ctx, u), GEOS_POLYGON);
	assert_int_equal(GEOSGetNumInteriorRings_r(ctx, u), 0);
	GEOSGeom_destroy_r(ctx, u);
	GEOSGeom_destroy_r(ctx, all);
	samplecity_free(d, n);
}

static void test_cities_tile(void **state)
{
	(void)state;
	static const int sizes[] = {2, 3, 4, 5, 7, 12, 30};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (uint64_t seed = 1; seed <= 5; seed++)
			check_city(sizes[i], seed);
	check_city(200, 1);
	check_city(SAMPLECITY_MAX_DISTRICTS, 2);
}

static void test_same_state_same_city(void **state)
{
	(void)state;
	struct samplerng a, b;
	struct samplecity_district *x, *y;
	samplerng_seed(&a, 9);
	b = a;
	assert_int_equal(samplecity_layout(&a, 12, &x), 0);
	assert_int_equal(samplecity_layout(&b, 12, &y), 0);
	for (int i = 0; i < 12; i++) {
		assert_string_equal(x[i].name, y[i].name);
		assert_int_equal(x[i].n_ring, y[i].n_ring);
		assert_memory_equal(x[i].ring, y[i].ring, 2 * x[i].n_ring * sizeof(double));
	}
	assert_memory_equal(&a, &b, sizeof a);
	samplecity_free(x, 12);
	samplecity_free(y, 12);
}

static void test_bounds(void **state)
{
	(void)state;
	struct samplerng r;
	struct samplecity_district *d = NULL;
	samplerng_seed(&r, 1);
	assert_int_equal(samplecity_layout(&r, 0, &d), ERR_INVALID);
	assert_int_equal(samplecity_layout(&r, SAMPLECITY_MAX_DISTRICTS + 1, &d), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "districts"));
	assert_null(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cities_tile),
	    cmocka_unit_test(test_same_state_same_city),
	    cmocka_unit_test(test_bounds),
	};
	ctx = GEOS_init_r();
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	GEOS_finish_r(ctx);
	return failed;
}
