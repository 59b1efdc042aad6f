/* ground: reference features from a real store, in drawing order by kind,
 * in Web Mercator, found by box through the grid (checked against a scan),
 * names falling back to the local one, an unreadable WKB named; a page's
 * part in another frame and the street nearest a place. */
#include "testutil.h"

#include "err.h"
#include "ground.h"
#include "tilemath.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void put(store *st, const char *id, const char *kind, const char *name, const char *name_ru,
                double x0, double y0, double x1, double y1)
{
	unsigned char b[64];
	struct store_put_info info;
	struct store_ref_feature r = {.external_id = id,
	                              .kind = kind,
	                              .name = name,
	                              .name_ru = name_ru,
	                              .wkb = b,
	                              .wkb_len = testutil_line_wkb(b, x0, y0, x1, y1)};
	assert_int_equal(store_put_ref_feature(st, &r, &info), 0);
}

static void test_load_and_find(void **state)
{
	struct testutil_db *f = *state;
	put(f->st, "s1", "street", "Bunyodkor", "Бунёдкор", 69.20, 41.30, 69.21, 41.31);
	put(f->st, "p1", "poi", "Bozor", NULL, 69.205, 41.305, NAN, NAN);
	put(f->st, "l1", "landuse", NULL, NULL, 69.0, 41.0, 69.5, 41.5);
	put(f->st, "x1", "spaceport", NULL, NULL, 69.0, 41.0, 69.5, 41.5);
	/* A grid's worth of short streets, to check the index against a scan. */
	char id[32];
	srand(7);
	for (int i = 0; i < 400; i++) {
		double x = 69.0 + 0.5 * rand() / RAND_MAX, y = 41.0 + 0.5 * rand() / RAND_MAX;
		snprintf(id, sizeof id, "g%d", i);
		put(f->st, id, "street", NULL, NULL, x, y, x + 0.002, y + 0.001);
	}
	ground *g;
	assert_int_equal(ground_load(f->st, &g), 0);
	assert_int_equal(ground_count(g), 403); /* the unknown kind is left out */
	/* Drawing order: land use first, then streets, then places. */
	assert_int_equal(ground_feature(g, 0)->kind, osmtags_kind_index("landuse"));
	assert_int_equal(ground_feature(g, 402)->kind, osmtags_kind_index("poi"));
	const struct ground_feature *s = ground_feature(g, 1);
	assert_string_equal(ground_name(s, GROUND_RU), "Бунёдкор");
	assert_string_equal(ground_name(s, GROUND_EN), "Bunyodkor");
	assert_int_equal(s->shape, GROUND_LINES);
	assert_int_equal(ground_feature(g, 402)->shape, GROUND_POINT);
	double x, y;
	tile_lonlat_to_merc(69.20, 41.30, &x, &y);
	assert_true(fabs(s->xy[0] - x) < 1e-6 && fabs(s->xy[1] - y) < 1e-6);
	assert_true(fabs(s->bbox[0] - x) < 1e-6);

	struct ground_list l = {0};
	for (int q = 0; q < 50; q++) {
		double x0, y0, x1, y1;
		tile_lonlat_to_merc(69.0 + 0.45 * q / 50, 41.1, &x0, &y0);
		tile_lonlat_to_merc(69.02 + 0.45 * q / 50, 41.13, &x1, &y1);
		double box[4] = {x0, y0, x1, y1};
		assert_int_equal(ground_find(g, box, &l), 0);
		size_t k = 0;
		for (size_t i = 0; i < ground_count(g); i++) {
			const double *b = ground_feature(g, i)->bbox;
			if (b[0] <= box[2] && box[0] <= b[2] && b[1] <= box[3] && box[1] <= b[3]) {
				assert_true(k < l.n);
				assert_int_equal(l.idx[k++], i);
			}
		}
		assert_int_equal(k, l.n);
		assert_true(l.n >= 1); /* the land use covers every box */
	}
	ground_list_free(&l);
	ground_free(g);
}

static void test_empty_and_unreadable(void **state)
{
	struct testutil_db *f = *state;
	ground *g;
	assert_int_equal(ground_load(f->st, &g), 0);
	assert_int_equal(ground_count(g), 0);
	struct ground_list l = {0};
	const double box[4] = {0, 0, 1, 1};
	assert_int_equal(ground_find(g, box, &l), 0);
	assert_int_equal(l.n, 0);
	ground_free(g);

	/* Features far apart, and a box between them: nothing found, by a
	 * list that never held anything. */
	put(f->st, "w", "poi", NULL, NULL, 69.0, 41.0, NAN, NAN);
	put(f->st, "e", "poi", NULL, NULL, 69.5, 41.5, NAN, NAN);
	assert_int_equal(ground_load(f->st, &g), 0);
	double x0, y0, x1, y1;
	tile_lonlat_to_merc(69.2, 41.2, &x0, &y0);
	tile_lonlat_to_merc(69.3, 41.3, &x1, &y1);
	const double between[4] = {x0, y0, x1, y1};
	assert_int_equal(ground_find(g, between, &l), 0);
	assert_int_equal(l.n, 0);
	ground_list_free(&l);
	ground_free(g);

	/* Not latitude: readable WKB, but no point of a map. */
	put(f->st, "bad", "street", NULL, NULL, 69.2, 95, 69.3, 41);
	assert_int_equal(ground_load(f->st, &g), ERR_GEOMETRY);
	assert_null(g);
	assert_non_null(strstr(err_msg(), "reference feature bad"));
}

/* A frame of lon/lat in thousandths of a degree: any transform serves. */
static int milli(void *ctx, double *x, double *y, size_t n)
{
	int *calls = ctx;
	for (size_t i = 0; i < n; i++)
		x[i] *= 1000, y[i] *= 1000;
	++*calls;
	return 0;
}

static int refuse(void *ctx, double *x, double *y, size_t n)
{
	(void)ctx, (void)x, (void)y, (void)n;
	return err_set(ERR_PROJ, "no such frame");
}

/* A page's part of the ground in its own frame, the street a place is on,
 * and the names of a language. */
static void test_reframe_and_streets(void **state)
{
	struct testutil_db *f = *state;
	put(f->st, "a", "street", "Bahor", NULL, 69.200, 41.300, 69.210, 41.300);
	put(f->st, "b", "street", "Navroʻz", NULL, 69.200, 41.302, 69.210, 41.302);
	put(f->st, "c", "street", NULL, NULL, 69.200, 41.3009, 69.210, 41.3009); /* unnamed */
	put(f->st, "far", "street", "Olmazor", NULL, 69.400, 41.400, 69.410, 41.400);
	ground *g, *page;
	assert_int_equal(ground_load(f->st, &g), 0);
	double x0, y0, x1, y1;
	tile_lonlat_to_merc(69.19, 41.29, &x0, &y0);
	tile_lonlat_to_merc(69.22, 41.31, &x1, &y1);
	const double box[4] = {x0, y0, x1, y1};
	int calls = 0;
	assert_int_equal(ground_reframe(g, box, milli, &calls, &page), 0);
	assert_int_equal(ground_count(page), 3); /* not the far one */
	assert_int_equal(calls, 3);
	const struct ground_feature *a = ground_feature(page, 0);
	assert_string_equal(ground_name(a, GROUND_UZ), "Bahor");
	assert_true(fabs(a->xy[0] - 69200) < 1e-6 && fabs(a->xy[1] - 41300) < 1e-6);
	assert_true(fabs(a->bbox[2] - 69210) < 1e-6);

	/* Nearer to the unnamed street, but the named one below is what a
	 * place is on; within reach only. */
	const struct ground_feature *on;
	assert_int_equal(ground_street_near(page, 69205, 41300.8, 5, &on), 0);
	assert_non_null(on);
	assert_string_equal(on->names[GROUND_NAME], "Bahor");
	assert_int_equal(ground_street_near(page, 69205, 41301.8, 5, &on), 0);
	assert_string_equal(on->names[GROUND_NAME], "Navroʻz");
	assert_int_equal(ground_street_near(page, 69205, 41310, 5, &on), 0);
	assert_null(on);
	ground_free(page);

	/* A frame that fails: its error, nothing made. */
	assert_int_equal(ground_reframe(g, box, refuse, NULL, &page), ERR_PROJ);
	assert_null(page);
	ground_free(g);

	assert_int_equal(ground_lang_of("uz"), GROUND_UZ);
	assert_int_equal(ground_lang_of("UZ-cyrl"), GROUND_UZ_CYRL);
	assert_int_equal(ground_lang_of("ru"), GROUND_RU);
	assert_int_equal(ground_lang_of("en"), GROUND_EN);
	assert_int_equal(ground_lang_of("de"), -1);
	assert_int_equal(ground_lang_of(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_load_and_find, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_empty_and_unreadable, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_reframe_and_streets, testutil_db_open,
	                                    testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
