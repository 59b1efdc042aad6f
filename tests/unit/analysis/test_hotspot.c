/* hotspot and shift: a square district with two clusters of known sizes and
 * times and a scatter far from both, in a real SpatiaLite store. */
#include "testutil.h"

#include "dataset.h"
#include "err.h"
#include "hotspot.h"
#include "shapes.h"
#include "shift.h"
#include "store.h"
#include "tilemath.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The district: 0.024° x 0.018°, about 2 x 2 km near Tashkent. */
#define W 69.200
#define S 41.300
#define E 69.224
#define N 41.318
/* Cluster A (60 offences, theft) and B (30, robbery). */
#define A_LON     69.206
#define A_LAT     41.305
#define B_LON     69.218
#define B_LAT     41.313
#define BANDWIDTH 200.0

/* 2026-03-06, a Friday, 00:00 in Tashkent (UTC+5), in UTC seconds. */
#define FRIDAY (1772409600LL + 4 * 86400 - 5 * 3600)
#define HOUR   3600LL

struct fixture {
	char *dir;
	store *st;
	dataset *ds;
	shapes *sh;
	int n_scatter;
};

static void put(store *st, int *seq, double lon, double lat, int64_t t, const char *category)
{
	char id[32];
	snprintf(id, sizeof id, "o%d", (*seq)++);
	testutil_put_offence(st, id, lon, lat, t, t, category);
}

/* Ground metres between two lon/lat points near the district (flat). */
static double metres(double lon1, double lat1, double lon2, double lat2)
{
	double k = M_PI / 180 * TILE_EARTH_RADIUS;
	return hypot((lon2 - lon1) * k * cos(lat1 * M_PI / 180), (lat2 - lat1) * k);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[700];
	unsigned char wkb[128];
	struct store_put_info info;
	int seq = 0;
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "h.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	struct store_area d = {.code = "D1", .population = -1, .households = -1, .wkb = wkb};
	d.wkb_len = testutil_square_wkb(wkb, W, S, E, N);
	assert_int_equal(store_put_district(f->st, &d, &info), 0);
	assert_int_equal(store_ensure_category(f->st, "theft", "Theft"), 0);
	assert_int_equal(store_ensure_category(f->st, "robbery", "Robbery"), 0);
	assert_int_equal(store_ensure_category(f->st, "fraud", "Fraud"), 0);
	/* A: Friday evening, 10 each at 19, 20 and 21, 20 at 22, and 10 on
	 * Saturday at 01:30, which is still Friday's 18-02 shift. */
	for (int k = 0; k < 60; k++) {
		static const int hours[] = {19, 20, 21, 22, 22, 25};
		int64_t t = FRIDAY + hours[k / 10] * HOUR + 30 * 60;
		put(f->st, &seq, A_LON + (k % 8 - 3.5) * 0.00004, A_LAT + (k / 8 - 3.5) * 0.00003,
		    t, "theft");
	}
	/* B: Saturday 21:00. */
	for (int k = 0; k < 30; k++)
		put(f->st, &seq, B_LON + (k % 6 - 2.5) * 0.00004, B_LAT + (k / 6 - 2.5) * 0.00003,
		    FRIDAY + 24 * HOUR + 21 * HOUR, "robbery");
	/* The scatter: Friday 22:00, every point over 450 m from both clusters,
	 * so that no kernel of it reaches theirs. */
	for (int j = 0; j < 8; j++)
		for (int i = 0; i < 10; i++) {
			double lon = W + 0.0012 + i * 0.0024, lat = S + 0.0011 + j * 0.0022;
			if (metres(lon, lat, A_LON, A_LAT) < 450 ||
			    metres(lon, lat, B_LON, B_LAT) < 450)
				continue;
			put(f->st, &seq, lon, lat, FRIDAY + 22 * HOUR, "fraud");
			f->n_scatter++;
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

static void params(struct hotspot_params *p, const struct shift *sh)
{
	*p = (struct hotspot_params){.shift = sh, .kernel = KDE_QUARTIC, .bandwidth = BANDWIDTH};
	dataset_filter_all(&p->filter);
}

static int index_at(const struct hotspot_set *s, double lon, double lat)
{
	double x, y;
	assert_int_equal(tile_lonlat_to_merc(lon, lat, &x, &y), 0);
	return hotspot_index_at(s, x, y);
}

static void test_shift_parse(void **state)
{
	(void)state;
	struct shift s;
	assert_int_equal(shift_parse("18:00-02:00", "fri", &s), 0);
	assert_int_equal(s.start, 18 * 60);
	assert_int_equal(s.end, 2 * 60);
	assert_int_equal(s.weekdays, 1u << 4);
	assert_int_equal(shift_parse("18-02", "fri-sun", &s), 0);
	assert_int_equal(s.start, 18 * 60);
	assert_int_equal(s.end, 2 * 60);
	assert_int_equal(s.weekdays, 0x70u);
	assert_int_equal(shift_parse("08:30-24:00", NULL, &s), 0);
	assert_int_equal(s.start, 8 * 60 + 30);
	assert_int_equal(s.end, 1440);
	assert_int_equal(s.weekdays, CIVIL_ALL_WEEKDAYS);
	assert_int_equal(shift_parse(NULL, "", &s), 0);
	assert_int_equal(s.start, 0);
	assert_int_equal(s.end, 1440);
	static const char *const bad[] = {"25:00-03:00", "18",    "18-",    "-02",        "18:0-02",
	                                  "18:60-02",    "24-02", "18-02x", "18:00-24:01"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(shift_parse(bad[i], NULL, &s), ERR_INVALID);
		assert_int_equal(strncmp(err_msg(), "shift: ", 7), 0);
		assert_non_null(strstr(err_msg(), bad[i]));
	}
	assert_int_equal(shift_parse("18-02", "someday", &s), ERR_INVALID);
	assert_int_equal(strncmp(err_msg(), "weekdays: ", 10), 0);
	char buf[64];
	assert_int_equal(shift_parse("18-02", "fri,sun", &s), 0);
	shift_format(&s, buf, sizeof buf);
	assert_string_equal(buf, "18:00-02:00 fri,sun");
}

static void test_shift_match(void **state)
{
	(void)state;
	struct shift fri, sat, half;
	assert_int_equal(shift_parse("18:00-02:00", "fri", &fri), 0);
	assert_int_equal(shift_parse("18:00-02:00", "sat", &sat), 0);
	/* Saturday (5) 01:00 is the end of Friday's shift, not Saturday's. */
	assert_true(shift_match(&fri, 1, 5));
	assert_false(shift_match(&sat, 1, 5));
	assert_true(shift_match(&sat, 1, 6));
	assert_true(shift_match(&fri, 18, 4));
	assert_true(shift_match(&fri, 23, 4));
	assert_false(shift_match(&fri, 17, 4));
	assert_false(shift_match(&fri, 2, 5));
	assert_false(shift_match(&fri, 1, 4)); /* Thursday's night */
	assert_false(shift_match(&fri, 18, 5));
	assert_false(shift_match(&fri, DATASET_UNKNOWN, 4));
	assert_false(shift_match(&fri, 20, DATASET_UNKNOWN));
	assert_int_equal(shift_hours(&fri), 0xFC0003u);
	/* Half hours: the hours the shift covers at least half of. */
	assert_int_equal(shift_parse("18:30-02:30", NULL, &half), 0);
	assert_true(shift_match(&half, 18, DATASET_UNKNOWN));
	assert_true(shift_match(&half, 1, 0));
	assert_false(shift_match(&half, 2, 0));
	assert_false(shift_match(&half, 17, 0));
	assert_int_equal(shift_parse("08:31-09:29", NULL, &half), 0);
	assert_int_equal(shift_hours(&half), 0);
}

static void test_two_clusters(void **state)
{
	struct fixture *f = *state;
	struct hotspot_params p;
	struct hotspot_set s;
	params(&p, NULL);
	assert_int_equal(hotspot_find(f->ds, f->sh, &p, &s), 0);
	assert_int_equal(s.offences, 90 + f->n_scatter);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.items[0].rank, 1);
	assert_int_equal(s.items[0].offences, 60);
	assert_int_equal(s.items[1].rank, 2);
	assert_int_equal(s.items[1].offences, 30);
	assert_float_equal(s.items[0].share, 60.0 / (90 + f->n_scatter), 1e-12);
	assert_int_equal(index_at(&s, A_LON, A_LAT), 0);
	assert_int_equal(index_at(&s, B_LON, B_LAT), 1);
	assert_int_equal(index_at(&s, W + 0.001, S + 0.001), -1);
	assert_int_equal(index_at(&s, E + 1, N), -1);

	/* The district's ground area on the sphere, and 3% of it within one
	 * cell: the last cell taken crosses the share. */
	double r = TILE_EARTH_RADIUS, rad = M_PI / 180;
	double area = r * r * (E - W) * rad * (sin(N * rad) - sin(S * rad));
	assert_true(fabs(s.district_area_m2 - area) < 0.02 * area);
	double target = HOTSPOT_DEFAULT_SHARE * s.district_area_m2;
	assert_true(s.hotspot_area_m2 >= target);
	assert_true(s.hotspot_area_m2 - target < 25.0 * 25.0 * 1.001);
	assert_float_equal(s.hotspot_area_m2, s.items[0].area_m2 + s.items[1].area_m2, 1e-6);
	/* The denser cluster has the larger area and the higher peak, at its
	 * centre. */
	assert_true(s.items[0].area_m2 > s.items[1].area_m2);
	assert_true(s.items[0].peak > s.items[1].peak);
	assert_true(s.items[1].peak >= s.threshold);
	assert_true(metres(s.items[0].peak_lon, s.items[0].peak_lat, A_LON, A_LAT) < 40);
	assert_true(metres(s.items[1].peak_lon, s.items[1].peak_lat, B_LON, B_LAT) < 40);

	const dataset *ds = f->ds;
	assert_string_equal(dataset_category(ds, hotspot_top_category(&s, &s.items[0])), "theft");
	assert_string_equal(dataset_category(ds, hotspot_top_category(&s, &s.items[1])), "robbery");
	assert_int_equal(hotspot_busiest_hour(&s.items[0]), 22);
	assert_int_equal(s.items[0].hours[1], 10);
	assert_int_equal(hotspot_busiest_weekday(&s.items[0]), 4);
	assert_int_equal(s.items[0].weekdays[5], 10);
	assert_int_equal(hotspot_busiest_weekday(&s.items[1]), 5);
	hotspot_set_free(&s);
	hotspot_set_free(&s); /* a freed set is zeroed */
}

static void test_shift_hotspots(void **state)
{
	struct fixture *f = *state;
	struct hotspot_params p;
	struct hotspot_set s;
	struct shift fri, sat;
	assert_int_equal(shift_parse("18:00-02:00", "fri", &fri), 0);
	assert_int_equal(shift_parse("18:00-02:00", "sat", &sat), 0);

	/* Friday's shift holds all of A, including Saturday 01:30, and the
	 * scatter; not B. */
	params(&p, &fri);
	assert_int_equal(hotspot_find(f->ds, f->sh, &p, &s), 0);
	assert_int_equal(s.offences, 60 + f->n_scatter);
	assert_true(s.n >= 1);
	assert_int_equal(s.items[0].offences, 60);
	assert_int_equal(index_at(&s, A_LON, A_LAT), 0);
	assert_int_equal(index_at(&s, B_LON, B_LAT), -1);
	hotspot_set_free(&s);

	/* Saturday's: B only; A's Saturday 01:30 is not Saturday's shift. */
	params(&p, &sat);
	assert_int_equal(hotspot_find(f->ds, f->sh, &p, &s), 0);
	assert_int_equal(s.offences, 30);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.items[0].offences, 30);
	assert_float_equal(s.items[0].share, 1.0, 1e-12);
	assert_int_equal(index_at(&s, B_LON, B_LAT), 0);
	assert_int_equal(index_at(&s, A_LON, A_LAT), -1);
	hotspot_set_free(&s);

	/* The filter narrows the shift further: no robbery on Friday's shift. */
	params(&p, &fri);
	memset(p.filter.categories, 0, sizeof p.filter.categories);
	p.filter.categories[0] |= 1u << dataset_category_index(f->ds, "robbery");
	assert_int_equal(hotspot_find(f->ds, f->sh, &p, &s), 0);
	assert_int_equal(s.offences, 0);
	assert_int_equal(s.n, 0);
	assert_float_equal(s.threshold, 0, 0);
	hotspot_set_free(&s);
}

/* Burglaries known only between Friday 22:00 and Saturday 06:00 at A and
 * exact thefts on Friday 20:30 at B: Friday's 18-02 shift holds half of
 * each span (22-24 and 00-02 of its 8 hours). */
static void test_span_hotspots(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir(), path[700], id[32];
	unsigned char wkb[128];
	struct store_put_info info;
	store *st;
	dataset *ds;
	shapes *sh;
	testutil_path(path, sizeof path, dir, "spans.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &st), 0);
	struct store_area d = {.code = "D1", .population = -1, .households = -1, .wkb = wkb};
	d.wkb_len = testutil_square_wkb(wkb, W, S, E, N);
	assert_int_equal(store_put_district(st, &d, &info), 0);
	assert_int_equal(store_ensure_category(st, "burglary", "Burglary"), 0);
	assert_int_equal(store_ensure_category(st, "theft", "Theft"), 0);
	for (int k = 0; k < 40; k++) {
		snprintf(id, sizeof id, "b%d", k);
		testutil_put_offence(st, id, A_LON + (k % 8 - 3.5) * 0.00004,
		                     A_LAT + (k / 8 - 2) * 0.00003, FRIDAY + 22 * HOUR,
		                     FRIDAY + 30 * HOUR, "burglary");
	}
	for (int k = 0; k < 12; k++) {
		snprintf(id, sizeof id, "t%d", k);
		testutil_put_offence(st, id, B_LON + (k % 4 - 1.5) * 0.00004,
		                     B_LAT + (k / 4 - 1) * 0.00003, FRIDAY + 20 * HOUR + 1800,
		                     FRIDAY + 20 * HOUR + 1800, "theft");
	}
	assert_int_equal(dataset_load(st, NULL, &ds), 0);
	assert_int_equal(shapes_load(st, NULL, &sh), 0);

	struct shift fri, morning;
	struct hotspot_params p;
	struct hotspot_set s;
	assert_int_equal(shift_parse("18:00-02:00", "fri", &fri), 0);
	params(&p, &fri);
	assert_int_equal(hotspot_find(ds, sh, &p, &s), 0);
	assert_float_equal(s.offences, 40 * 0.5 + 12, 1e-9);
	assert_true(s.n >= 2);
	/* Ranked by offences inside: A's 20 halves before B's 12. */
	assert_int_equal(index_at(&s, A_LON, A_LAT), 0);
	assert_int_equal(index_at(&s, B_LON, B_LAT), 1);
	assert_float_equal(s.items[0].offences, 20, 1e-9);
	assert_float_equal(s.items[0].share, 20 / 32.0, 1e-9);
	assert_float_equal(s.items[1].offences, 12, 1e-9);
	assert_float_equal(s.items[0].categories[dataset_category_index(ds, "burglary")], 20, 1e-9);
	assert_int_equal(hotspot_top_category(&s, &s.items[0]),
	                 dataset_category_index(ds, "burglary"));
	json_t *fc;
	assert_int_equal(hotspot_geojson(&s, ds, &fc), 0);
	assert_float_equal(json_number_value(json_object_get(fc, "offences")), 32, 1e-9);
	json_decref(fc);
	hotspot_set_free(&s);

	/* Saturday 02:00-08:00 holds the other 4 of each span's hours. */
	assert_int_equal(shift_parse("02:00-08:00", "sat", &morning), 0);
	params(&p, &morning);
	assert_int_equal(hotspot_find(ds, sh, &p, &s), 0);
	assert_float_equal(s.offences, 20, 1e-9);
	assert_int_equal(s.n, 1);
	assert_float_equal(s.items[0].offences, 20, 1e-9);
	hotspot_set_free(&s);

	shapes_free(sh);
	dataset_free(ds);
	store_close(st);
	testutil_rmtree(dir);
}

static int first_record(void *ctx, const struct dataset_offence *o)
{
	*(struct dataset_offence *)ctx = *o;
	return 1;
}

static void test_shift_weight(void **state)
{
	struct fixture *f = *state;
	struct dataset_offence o;
	struct dataset_filter all;
	struct shift fri, sat;
	double x, y;
	dataset_filter_all(&all);
	assert_int_equal(tile_lonlat_to_merc(B_LON, B_LAT, &x, &y), 0);
	const double box[4] = {x - 50, y - 50, x + 50, y + 50};
	assert_int_equal(dataset_each(f->ds, box, &all, first_record, &o), 1);
	assert_int_equal(shift_parse("18:00-02:00", "fri", &fri), 0);
	assert_int_equal(shift_parse("18:00-02:00", "sat", &sat), 0);
	/* B is exact, Saturday 21:00: 1 or 0 as shift_match() says. */
	assert_float_equal(dataset_shift_weight(&o, &sat, DATASET_SPAN_LIMIT), 1, 0);
	assert_float_equal(dataset_shift_weight(&o, &fri, DATASET_SPAN_LIMIT), 0, 0);
	/* The same as a span from Friday 23:00 (Saturday 21:00 less 22 h). */
	o.week_minute = (uint16_t)(4 * 1440 + 23 * 60);
	o.span = 22 * 60;
	assert_float_equal(dataset_shift_weight(&o, &fri, DATASET_SPAN_LIMIT), 3.0 / 22, 1e-12);
	/* Friday's shift has 23:00-02:00 of it, Saturday's 18:00-21:00. */
	assert_float_equal(dataset_shift_weight(&o, &sat, DATASET_SPAN_LIMIT), 3.0 / 22, 1e-12);
	assert_float_equal(dataset_shift_weight(&o, &fri, 21 * 60), 0, 0);
}

static void test_geojson(void **state)
{
	struct fixture *f = *state;
	struct hotspot_params p;
	struct hotspot_set s;
	json_t *fc;
	params(&p, NULL);
	assert_int_equal(hotspot_find(f->ds, f->sh, &p, &s), 0);
	assert_int_equal(hotspot_geojson(&s, f->ds, &fc), 0);
	assert_string_equal(json_string_value(json_object_get(fc, "type")), "FeatureCollection");
	json_t *features = json_object_get(fc, "features");
	assert_int_equal(json_array_size(features), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *props = json_object_get(json_array_get(features, i), "properties");
		json_t *geom = json_object_get(json_array_get(features, i), "geometry");
		assert_int_equal(json_integer_value(json_object_get(props, "rank")), i + 1);
		assert_int_equal(json_integer_value(json_object_get(props, "offences")),
		                 i ? 30 : 60);
		json_t *top = json_array_get(json_object_get(props, "top_categories"), 0);
		assert_string_equal(json_string_value(json_object_get(top, "code")),
		                    i ? "robbery" : "theft");
		assert_int_equal(json_array_size(json_object_get(props, "hours")), 24);
		assert_int_equal(json_array_size(json_object_get(props, "weekdays")), 7);
		/* A blob of cells: one polygon whose shell is closed, runs
		 * anticlockwise and holds the peak. */
		assert_string_equal(json_string_value(json_object_get(geom, "type")), "Polygon");
		json_t *shell = json_array_get(json_object_get(geom, "coordinates"), 0);
		size_t n = json_array_size(shell);
		assert_true(n >= 5);
		double area2 = 0, minx = 1e9, maxx = -1e9, miny = 1e9, maxy = -1e9;
		for (size_t k = 0; k + 1 < n; k++) {
			json_t *a = json_array_get(shell, k), *b = json_array_get(shell, k + 1);
			double ax = json_real_value(json_array_get(a, 0));
			double ay = json_real_value(json_array_get(a, 1));
			double bx = json_real_value(json_array_get(b, 0));
			double by = json_real_value(json_array_get(b, 1));
			area2 += ax * by - bx * ay;
			minx = fmin(minx, ax), maxx = fmax(maxx, ax);
			miny = fmin(miny, ay), maxy = fmax(maxy, ay);
		}
		assert_true(json_equal(json_array_get(shell, 0), json_array_get(shell, n - 1)));
		assert_true(area2 > 0);
		const struct hotspot *h = &s.items[i];
		assert_true(h->peak_lon > minx && h->peak_lon < maxx);
		assert_true(h->peak_lat > miny && h->peak_lat < maxy);
		/* The polygon's own area (degrees to ground metres near the
		 * district) is the cells' area. */
		double k = M_PI / 180 * TILE_EARTH_RADIUS;
		double m2 = area2 / 2 * k * k * cos(h->peak_lat * M_PI / 180);
		assert_true(fabs(m2 - h->area_m2) < 0.01 * h->area_m2);
	}
	assert_float_equal(json_real_value(json_object_get(fc, "share")), 0.03, 1e-12);
	assert_int_equal(json_integer_value(json_object_get(fc, "offences")), 90 + f->n_scatter);
	json_decref(fc);
	hotspot_set_free(&s);
}

static void test_bad_params(void **state)
{
	struct fixture *f = *state;
	struct hotspot_params p;
	struct hotspot_set s;
	static const struct {
		double share, cell, bandwidth;
		const char *field;
	} bad[] = {
	    {1.5, 0, BANDWIDTH, "share: "},
	    {0, 0.5, BANDWIDTH, "cell: "},
	    {0, 0, 0, "bandwidth: "},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		params(&p, NULL);
		p.share = bad[i].share;
		p.cell = bad[i].cell;
		p.bandwidth = bad[i].bandwidth;
		assert_int_equal(hotspot_find(f->ds, f->sh, &p, &s), ERR_INVALID);
		assert_int_equal(strncmp(err_msg(), bad[i].field, strlen(bad[i].field)), 0);
	}
	/* A larger share takes more area; a larger cell fewer cells. */
	params(&p, NULL);
	p.share = 0.06;
	p.cell = 50;
	assert_int_equal(hotspot_find(f->ds, f->sh, &p, &s), 0);
	assert_true(s.hotspot_area_m2 >= 0.06 * s.district_area_m2);
	assert_true(s.hotspot_area_m2 - 0.06 * s.district_area_m2 < 50.0 * 50.0 * 1.001);
	assert_int_equal(s.items[0].offences, 60);
	hotspot_set_free(&s);
}

static void test_default_period(void **state)
{
	struct fixture *f = *state;
	struct dataset_filter d;
	int64_t first, last;
	dataset_time_range(f->ds, &first, &last);
	dataset_filter_all(&d);
	hotspot_default_period(f->ds, &d);
	assert_true(d.to == last);
	assert_true(d.from == last - 8 * 7 * 86400 + 1);
	dataset_filter_all(&d);
	d.to = FRIDAY;
	hotspot_default_period(f->ds, &d);
	assert_true(d.from == FRIDAY - 8 * 7 * 86400 + 1);
	dataset_filter_all(&d);
	d.from = FRIDAY;
	hotspot_default_period(f->ds, &d);
	assert_true(d.from == FRIDAY && d.to == STORE_NO_TIME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shift_parse),
	    cmocka_unit_test(test_shift_match),
	    cmocka_unit_test(test_span_hotspots),
	    cmocka_unit_test_setup_teardown(test_shift_weight, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_two_clusters, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_shift_hotspots, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_geojson, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_params, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_default_period, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
