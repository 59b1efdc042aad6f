/* osmtags: other_tags as GDAL writes it, malformed text refused at its
 * byte, and what streets, buildings, water, parks and places become. */
#include "testutil.h"

#include "err.h"
#include "osmtags.h"

#include <stdlib.h>
#include <string.h>

static void test_hstore(void **state)
{
	(void)state;
	osmtags *t;
	assert_int_equal(osmtags_new(&t), 0);
	assert_int_equal(osmtags_parse_hstore(t,
	                                      "\"name:ru\"=>\"Чиланзар\",\"addr:street\"=>"
	                                      "\"Bunyodkor \\\"ko'chasi\\\"\",\"a\\\\b\"=>\"x\""),
	                 0);
	assert_int_equal(osmtags_count(t), 3);
	assert_string_equal(osmtags_get(t, "name:ru"), "Чиланзар");
	assert_string_equal(osmtags_get(t, "addr:street"), "Bunyodkor \"ko'chasi\"");
	assert_string_equal(osmtags_get(t, "a\\b"), "x");
	assert_string_equal(osmtags_key(t, 1), "addr:street");
	char *json = osmtags_json(t);
	assert_string_equal(json, "{\"name:ru\":\"Чиланзар\",\"addr:street\":\"Bunyodkor "
	                          "\\\"ko'chasi\\\"\",\"a\\\\b\":\"x\"}");
	free(json);
	/* A field given after the text replaces it; empty values are not kept. */
	assert_int_equal(osmtags_add(t, "name:ru", "Chilonzor"), 0);
	assert_int_equal(osmtags_add(t, "empty", ""), 0);
	assert_int_equal(osmtags_count(t), 3);
	assert_string_equal(osmtags_get(t, "name:ru"), "Chilonzor");
	assert_null(osmtags_get(t, "empty"));
	osmtags_clear(t);
	assert_int_equal(osmtags_count(t), 0);
	assert_int_equal(osmtags_parse_hstore(t, ""), 0);
	assert_int_equal(osmtags_parse_hstore(t, " \"k\" => NULL , \"j\"=>\"v\" "), 0);
	assert_int_equal(osmtags_count(t), 1);

	static const struct {
		const char *text;
		const char *offset;
	} bad[] = {
	    {"\"k\"=>\"v", "byte 5"},    {"\"k\"=\"v\"", "byte 3"},    {"k=>\"v\"", "byte 0"},
	    {"\"k\"=>\"v\",", "byte 9"}, {"\"k\"=>\"v\" x", "byte 9"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		osmtags_clear(t);
		assert_int_equal(osmtags_parse_hstore(t, bad[i].text), ERR_INVALID);
		assert_string_equal(err_field(), "other_tags");
		assert_non_null(strstr(err_msg(), bad[i].offset));
	}
	osmtags_free(t);
}

/* The class of a feature of tags "k=v;k=v" drawn as shape, as
 * "kind/class/poi". */
static const char *classify(osmtags *t, const char *tags, enum osmtags_shape shape)
{
	static char out[200];
	char buf[300];
	osmtags_clear(t);
	snprintf(buf, sizeof buf, "%s", tags);
	for (char *p = strtok(buf, ";"); p; p = strtok(NULL, ";")) {
		char *eq = strchr(p, '=');
		*eq = '\0';
		assert_int_equal(osmtags_add(t, p, eq + 1), 0);
	}
	struct osmtags_class c;
	osmtags_classify(t, shape, &c);
	snprintf(out, sizeof out, "%s/%s/%s", c.kind ? c.kind : "-", c.cls ? c.cls : "-",
	         c.poi ? c.poi : "-");
	return out;
}

static void test_street_class(void **state)
{
	(void)state;
	assert_string_equal(osmtags_street_class("primary_link"), "primary");
	assert_string_equal(osmtags_street_class("unclassified"), "residential");
	assert_string_equal(osmtags_street_class("footway"), "path");
	assert_string_equal(osmtags_street_class("path"), "path");
	assert_null(osmtags_street_class("avenue"));
	assert_null(osmtags_street_class(NULL));
}

static void test_classify(void **state)
{
	(void)state;
	osmtags *t;
	assert_int_equal(osmtags_new(&t), 0);
	static const struct {
		const char *tags;
		enum osmtags_shape shape;
		const char *want;
	} cases[] = {
	    {"highway=primary_link;name=Amir Temur", OSMTAGS_LINE, "street/primary/-"},
	    {"highway=unclassified", OSMTAGS_LINE, "street/residential/-"},
	    {"highway=footway", OSMTAGS_LINE, "street/path/-"},
	    {"highway=bus_stop;name=Bozor", OSMTAGS_POINT, "poi/-/bus_stop"},
	    {"public_transport=platform;bus=yes", OSMTAGS_POINT, "poi/-/bus_stop"},
	    {"railway=station;station=subway", OSMTAGS_POINT, "poi/-/metro_stop"},
	    {"railway=subway", OSMTAGS_LINE, "railway/subway/-"},
	    {"building=yes;amenity=school", OSMTAGS_AREA, "building/yes/school"},
	    {"building=no;landuse=residential", OSMTAGS_AREA, "landuse/residential/-"},
	    {"amenity=place_of_worship;religion=muslim", OSMTAGS_POINT, "poi/-/mosque"},
	    {"amenity=place_of_worship;religion=christian", OSMTAGS_AREA, "poi/-/worship"},
	    {"amenity=marketplace", OSMTAGS_AREA, "poi/-/market"},
	    {"waterway=canal", OSMTAGS_LINE, "water/canal/-"},
	    {"natural=water", OSMTAGS_AREA, "water/water/-"},
	    {"leisure=park;name=Navro'z", OSMTAGS_AREA, "park/park/-"},
	    {"leisure=park", OSMTAGS_POINT, "poi/-/park"},
	    {"shop=bakery", OSMTAGS_POINT, "poi/-/shop"},
	    {"amenity=cafe", OSMTAGS_POINT, "poi/-/cafe"},
	    {"amenity=police", OSMTAGS_POINT, "poi/-/police"},
	    {"addr:street=Qatortol;addr:housenumber=12", OSMTAGS_POINT, "address/-/-"},
	    {"highway=primary", OSMTAGS_POINT, "-/-/-"},
	    {"power=line", OSMTAGS_LINE, "-/-/-"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(classify(t, cases[i].tags, cases[i].shape), cases[i].want);

	classify(t, "name=Chilonzor;name:uz-Cyrl=Чилонзор;name:ru=Чиланзар;addr:housenumber=4",
	         OSMTAGS_AREA);
	struct osmtags_class c;
	osmtags_classify(t, OSMTAGS_AREA, &c);
	assert_string_equal(c.name, "Chilonzor");
	assert_string_equal(c.name_uz_cyrl, "Чилонзор");
	assert_string_equal(c.name_ru, "Чиланзар");
	assert_null(c.name_en);
	assert_string_equal(c.housenumber, "4");
	assert_string_equal(c.kind, "address");
	osmtags_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hstore),
	    cmocka_unit_test(test_classify),
	    cmocka_unit_test(test_street_class),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
