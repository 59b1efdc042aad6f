/* geocode: addresses as offices write them placed from a real store's
 * reference layers: at the house, else on the street within the mahalla,
 * else the mahalla alone; and the store's located_by read back. */
#include "testutil.h"

#include "geocode.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Two mahallas side by side, west (W) and east (E) of 69.21 E. */
static void put_mahallas(store *st)
{
	unsigned char wkb[128];
	struct store_put_info info;
	struct store_area m = {.code = "W",
	                       .name_uz = "Navroʻz",
	                       .name_ru = "Навруз",
	                       .population = -1,
	                       .households = -1,
	                       .wkb = wkb};
	m.wkb_len = testutil_square_wkb(wkb, 69.20, 41.30, 69.21, 41.31);
	assert_int_equal(store_put_mahalla(st, &m, &info), 0);
	m = (struct store_area){
	    .code = "E", .name_uz = "Bahor", .population = -1, .households = -1, .wkb = wkb};
	m.wkb_len = testutil_square_wkb(wkb, 69.21, 41.30, 69.22, 41.31);
	assert_int_equal(store_put_mahalla(st, &m, &info), 0);
}

static void put_ref(store *st, const char *id, const char *kind, const char *name,
                    const char *name_cyrl, const char *street, const char *number, double x0,
                    double y0, double x1, double y1)
{
	unsigned char b[64];
	struct store_put_info info;
	struct store_ref_feature r = {.external_id = id,
	                              .kind = kind,
	                              .name = name,
	                              .name_uz_cyrl = name_cyrl,
	                              .street = street,
	                              .housenumber = number,
	                              .wkb = b,
	                              .wkb_len = testutil_line_wkb(b, x0, y0, x1, y1)};
	assert_int_equal(store_put_ref_feature(st, &r, &info), 0);
}

static void put_ground(store *st)
{
	put_mahallas(st);
	/* A street through both mahallas, and a short one in the west. */
	put_ref(st, "s1", "street", "Navroʻz koʻchasi", "Наврўз кўчаси", NULL, NULL, 69.201, 41.305,
	        69.219, 41.305);
	put_ref(st, "s2", "street", "Bogʻ koʻchasi", NULL, NULL, NULL, 69.202, 41.302, 69.204,
	        41.302);
	put_ref(st, "h12", "address", NULL, NULL, "Navroʻz koʻchasi", "12", 69.2052, 41.3052, NAN,
	        NAN);
	put_ref(st, "h14", "address", NULL, NULL, "Navroʻz koʻchasi", "14A", 69.2062, 41.3052, NAN,
	        NAN);
}

static void expect(const geocoder *g, const char *address, const char *mahalla,
                   enum geocode_level level, double lon, double lat)
{
	struct geocode_result r;
	geocode_find(g, address, mahalla, &r);
	if (r.level != level)
		fail_msg("'%s': %s, expected %s", address, geocode_level_name(r.level),
		         geocode_level_name(level));
	if (level == GEOCODE_HOUSE || level == GEOCODE_STREET)
		if (fabs(r.lon - lon) > 4e-4 || fabs(r.lat - lat) > 4e-4)
			fail_msg("'%s': at %f %f, expected %f %f", address, r.lon, r.lat, lon, lat);
}

static void test_levels(void **state)
{
	struct testutil_db *f = *state;
	put_ground(f->st);
	geocoder *g;
	assert_int_equal(geocode_open(f->st, &g), 0);
	assert_true(geocode_has_ground(g));
	/* The house, however the address is written. */
	expect(g, "Navroʻz MFY, Navroʻz koʻchasi, 12-uy", NULL, GEOCODE_HOUSE, 69.2052, 41.3052);
	expect(g, "navro'z ko`chasi 12", NULL, GEOCODE_HOUSE, 69.2052, 41.3052);
	expect(g, "Navro’z ko‘chasi, uy 14a", "W", GEOCODE_HOUSE, 69.2062, 41.3052);
	/* In Cyrillic, as Russian spells it: the street's other name. */
	expect(g, "ул. Навруз, д. 12", NULL, GEOCODE_HOUSE, 69.2052, 41.3052);
	/* No such house: the street, its part within the mahalla given (or
	 * named in the address), near that part's middle. */
	expect(g, "Navroʻz koʻchasi, 99-uy", "E", GEOCODE_STREET, 69.2145, 41.305);
	expect(g, "Bahor MFY, Navroʻz koʻchasi", NULL, GEOCODE_STREET, 69.2145, 41.305);
	expect(g, "Navroʻz koʻchasi", "W", GEOCODE_STREET, 69.2055, 41.305);
	/* A short street needs no mahalla; one that does not reach the
	 * mahalla given is not placed there. */
	expect(g, "Bogʻ koʻchasi", NULL, GEOCODE_STREET, 69.203, 41.302);
	expect(g, "Bogʻ koʻchasi, 3", "E", GEOCODE_MAHALLA, 0, 0);
	/* Unknown streets: the mahalla alone, or nothing. */
	expect(g, "Nomaʼlum koʻchasi, 5-uy", "E", GEOCODE_MAHALLA, 0, 0);
	expect(g, "Bahor MFY, Nomaʼlum koʻchasi", NULL, GEOCODE_MAHALLA, 0, 0);
	expect(g, "Nomaʼlum koʻchasi, 5-uy", NULL, GEOCODE_NONE, 0, 0);
	expect(g, "", NULL, GEOCODE_NONE, 0, 0);
	expect(g, ",,, ,", NULL, GEOCODE_NONE, 0, 0);
	struct geocode_result r;
	geocode_find(g, "Bahor MFY, Nomaʼlum koʻchasi", NULL, &r);
	assert_string_equal(r.mahalla, "E");
	geocode_free(g);
}

/* A street longer than a district is no place without a mahalla. */
static void test_long_street_needs_a_mahalla(void **state)
{
	struct testutil_db *f = *state;
	put_mahallas(f->st);
	put_ref(f->st, "long", "street", "Amir Temur shoh koʻchasi", NULL, NULL, NULL, 69.20,
	        41.305, 69.30, 41.305);
	geocoder *g;
	assert_int_equal(geocode_open(f->st, &g), 0);
	expect(g, "Amir Temur shoh koʻchasi", NULL, GEOCODE_NONE, 0, 0);
	expect(g, "Amir Temur shoh koʻchasi", "W", GEOCODE_STREET, 69.205, 41.305);
	geocode_free(g);
}

/* Without reference layers nothing is placed, and nothing fails. */
static void test_no_ground(void **state)
{
	struct testutil_db *f = *state;
	put_mahallas(f->st);
	geocoder *g;
	assert_int_equal(geocode_open(f->st, &g), 0);
	assert_false(geocode_has_ground(g));
	expect(g, "Navroʻz koʻchasi, 12-uy", "W", GEOCODE_MAHALLA, 0, 0);
	expect(g, "Navroʻz koʻchasi, 12-uy", NULL, GEOCODE_NONE, 0, 0);
	geocode_free(g);
}

static int read_located(void *ctx, const struct store_offence_row *r)
{
	snprintf(ctx, 16, "%s", store_located_by(&r->o));
	return 0;
}

/* The store keeps how a point was found. */
static void test_stored(void **state)
{
	struct testutil_db *f = *state;
	put_mahallas(f->st);
	assert_int_equal(store_ensure_category(f->st, "theft", "Theft"), 0);
	struct store_put_info info;
	struct store_offence o = {.external_id = "a",
	                          .occurred_from = STORE_NO_TIME,
	                          .occurred_to = STORE_NO_TIME,
	                          .reported_at = STORE_NO_TIME,
	                          .category = "theft",
	                          .has_point = 1,
	                          .lon = 69.205,
	                          .lat = 41.305,
	                          .located_by = STORE_LOCATED_STREET};
	char got[16];
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	assert_int_equal(store_get_offence(f->st, 0, "a", read_located, got), 0);
	assert_string_equal(got, "street");
	o.located_by = NULL;
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	assert_int_equal(info.change, STORE_UPDATED);
	assert_int_equal(store_get_offence(f->st, 0, "a", read_located, got), 0);
	assert_string_equal(got, "point");
	o = (struct store_offence){.external_id = "b",
	                           .occurred_from = STORE_NO_TIME,
	                           .occurred_to = STORE_NO_TIME,
	                           .reported_at = STORE_NO_TIME,
	                           .category = "theft",
	                           .mahalla_code = "W"};
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	assert_int_equal(store_get_offence(f->st, 0, "b", read_located, got), 0);
	assert_string_equal(got, "mahalla");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_levels, testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_long_street_needs_a_mahalla, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_no_ground, testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_stored, testutil_db_open, testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
