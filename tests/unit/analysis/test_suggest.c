/* suggest: the two forecasts on a hand-built district in a real SpatiaLite
 * store (the gistar plan visits only the Gi* hot cells, the counts plan
 * also a cell of a few offences that is not significant), the aoristic
 * weights of an offence known only as a span, and the forecast's names. */
#include "testutil.h"

#include "dataset.h"
#include "err.h"
#include "gistar.h"
#include "shapes.h"
#include "shift.h"
#include "store.h"
#include "suggest.h"
#include "tilemath.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Monday 2026-03-02 00:00 UTC, 05:00 in Tashkent. */
#define T0 1772409600LL
/* The cell of a few offences, away from the cluster (in district D2). */
#define FEW_LON 69.240
#define FEW_LAT 41.305

struct fixture {
	char *dir;
	store *st;
	dataset *ds;
	shapes *sh;
};

static void load(struct fixture *f)
{
	assert_int_equal(dataset_load(f->st, NULL, &f->ds), 0);
	assert_int_equal(shapes_load(f->st, NULL, &f->sh), 0);
}

static struct fixture *open_store(void)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[700];
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "s.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	testutil_l_district(f->st);
	return f;
}

/* The L-shaped district: 80 thefts within 150 m of one point (a cluster
 * hot at 99%), 3 thefts at FEW_LON, FEW_LAT and 60 frauds spread evenly. */
static int setup(void **state)
{
	struct fixture *f = open_store();
	char id[32];
	for (int k = 0; k < 80; k++) {
		snprintf(id, sizeof id, "c%d", k);
		testutil_put_offence(f->st, id, 69.210 + (k % 9 - 4) * 0.0002,
		                     41.310 + (k / 9 - 4) * 0.00015, T0 + k * 3600, T0 + k * 3600,
		                     "theft");
	}
	for (int k = 0; k < 3; k++) {
		snprintf(id, sizeof id, "f%d", k);
		testutil_put_offence(f->st, id, FEW_LON, FEW_LAT, T0 + k * 5000, T0 + k * 5000,
		                     "theft");
	}
	for (int k = 0; k < 60; k++) {
		snprintf(id, sizeof id, "s%d", k);
		testutil_put_offence(f->st, id, 69.202 + (k % 10) * 0.0045,
		                     41.301 + (k / 10) * 0.0028, T0 + k * 7200, T0 + k * 7200,
		                     "fraud");
	}
	load(f);
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

/* One unit with minutes for every candidate, travel ignored: a plan visits
 * all its candidates. */
static void whole_day(struct suggest_params *p, enum suggest_forecast forecast)
{
	suggest_defaults(p);
	p->filter.from = T0;
	p->filter.to = T0 + 14 * 86400 - 1;
	p->units = "ppx:1:1440";
	p->every = 1440;
	p->speed = 0;
	p->forecast = forecast;
}

static json_t *plan_cells(json_t *fc)
{
	return json_object_get(
	    json_object_get(json_array_get(json_object_get(fc, "features"), 0), "properties"),
	    "cells");
}

/* Whether a cell of the plan has its centre within 100 m of the few
 * offences' point. */
static int visits_few(json_t *cells)
{
	size_t k;
	json_t *c;
	json_array_foreach(cells, k, c)
	{
		double lon = json_number_value(json_object_get(c, "lon"));
		double lat = json_number_value(json_object_get(c, "lat"));
		if (fabs(lon - FEW_LON) < 0.0012 && fabs(lat - FEW_LAT) < 0.0009)
			return 1;
	}
	return 0;
}

static void test_forecasts(void **state)
{
	struct fixture *f = *state;
	struct suggest_params p;
	json_t *counts, *hot;
	whole_day(&p, SUGGEST_FORECAST_COUNTS);
	assert_int_equal(suggest_plan(f->ds, f->sh, &p, &counts), 0);
	whole_day(&p, SUGGEST_FORECAST_GISTAR);
	assert_int_equal(suggest_plan(f->ds, f->sh, &p, &hot), 0);

	/* Gi* on the same offences, the plan's cell and the default band. */
	struct gistar_params gp = {.filter = p.filter, .cell = p.cell};
	struct gistar_result g;
	assert_int_equal(gistar_run(f->ds, f->sh, &gp, &g), 0);
	size_t hot_with_offences = 0;
	for (size_t c = 0; c < (size_t)g.width * g.height; c++)
		hot_with_offences += g.bin[c] >= 2 && g.count[c] > 0;
	assert_true(hot_with_offences > 0);

	assert_string_equal(json_string_value(json_object_get(counts, "forecast")), "counts");
	assert_string_equal(json_string_value(json_object_get(hot, "forecast")), "gistar");
	assert_null(json_object_get(counts, "gistar"));
	json_t *gi = json_object_get(hot, "gistar");
	assert_string_equal(json_string_value(json_object_get(gi, "crs")), "EPSG:32642");
	assert_float_equal(json_number_value(json_object_get(gi, "band_m")), g.band, 1e-9);
	assert_int_equal(json_integer_value(json_object_get(gi, "hot_cells")),
	                 g.bins[5] + g.bins[6]);

	/* Every candidate visited: all the hot cells with offences, each hot
	 * at 95% with its Gi* count; none is the few offences' cell, which
	 * Gi* does not find significant. */
	json_t *cells = plan_cells(hot), *c;
	size_t k;
	double shifts = json_number_value(json_object_get(hot, "shifts"));
	assert_int_equal(json_integer_value(json_object_get(hot, "candidates")), hot_with_offences);
	assert_int_equal(json_array_size(cells), hot_with_offences);
	json_array_foreach(cells, k, c)
	{
		size_t cell = (size_t)json_integer_value(json_object_get(c, "j")) * g.width +
		              (size_t)json_integer_value(json_object_get(c, "i"));
		assert_true(g.bin[cell] >= 2);
		assert_float_equal(json_number_value(json_object_get(c, "expected_offences")),
		                   g.count[cell] / shifts, 1e-9);
	}
	assert_false(visits_few(cells));

	/* The counts plan visits every cell with an offence, the few
	 * offences' one too. */
	assert_true(visits_few(plan_cells(counts)));
	assert_true(json_integer_value(json_object_get(counts, "candidates")) >
	            json_integer_value(json_object_get(hot, "candidates")));
	assert_int_equal(json_array_size(plan_cells(counts)),
	                 json_integer_value(json_object_get(counts, "candidates")));
	/* Both count the same offences of the shift. */
	assert_float_equal(json_number_value(json_object_get(counts, "offences")), 143, 0);
	assert_float_equal(json_number_value(json_object_get(hot, "offences")), 143, 0);

	gistar_result_free(&g);
	json_decref(counts);
	json_decref(hot);
}

/* Ground metres between two lon/lat points (equirectangular: a district
 * is small). */
static double ground_metres(double lon1, double lat1, double lon2, double lat2)
{
	double k = M_PI / 180 * 6371008.8;
	double dx = (lon2 - lon1) * k * cos((lat1 + lat2) / 2 * M_PI / 180), dy = (lat2 - lat1) * k;
	return sqrt(dx * dx + dy * dy);
}

/* Both grids have cells of the plan's metres on the ground, and a unit's
 * tour is measured in ground metres: at least out to its farthest cell and
 * back, at most out and back to every cell in turn. */
static void test_ground_metres(void **state)
{
	struct fixture *f = *state;
	double ext[4], lon0, lat0;
	dataset_extent(f->ds, ext);
	tile_merc_to_lonlat((ext[0] + ext[2]) / 2, (ext[1] + ext[3]) / 2, &lon0, &lat0);
	for (int fc = SUGGEST_FORECAST_COUNTS; fc <= SUGGEST_FORECAST_GISTAR; fc++) {
		struct suggest_params p;
		json_t *plan, *a, *b;
		size_t k, l, pairs = 0;
		whole_day(&p, fc);
		assert_int_equal(suggest_plan(f->ds, f->sh, &p, &plan), 0);
		json_t *cells = plan_cells(plan);
		/* Cells of one row lie whole cells apart. */
		json_array_foreach(cells, k, a) json_array_foreach(cells, l, b)
		{
			if (json_integer_value(json_object_get(a, "j")) !=
			        json_integer_value(json_object_get(b, "j")) ||
			    k == l)
				continue;
			double d = ground_metres(json_number_value(json_object_get(a, "lon")),
			                         json_number_value(json_object_get(a, "lat")),
			                         json_number_value(json_object_get(b, "lon")),
			                         json_number_value(json_object_get(b, "lat")));
			double apart = labs(json_integer_value(json_object_get(a, "i")) -
			                    json_integer_value(json_object_get(b, "i")));
			assert_float_equal(d / apart, p.cell, p.cell * 0.01);
			pairs++;
		}
		assert_true(pairs > 0);
		json_decref(plan);

		/* A unit of an hour on foot, the district's centre its start. */
		p.units = "ppx:1:60";
		p.speed = 5;
		assert_int_equal(suggest_plan(f->ds, f->sh, &p, &plan), 0);
		json_t *unit = json_object_get(json_array_get(json_object_get(plan, "features"), 0),
		                               "properties");
		double far = 0, star = 0,
		       tour = json_number_value(json_object_get(unit, "travel_km"));
		json_array_foreach(json_object_get(unit, "cells"), k, a)
		{
			double d =
			    ground_metres(lon0, lat0, json_number_value(json_object_get(a, "lon")),
			                  json_number_value(json_object_get(a, "lat")));
			far = fmax(far, d);
			star += 2 * d;
		}
		assert_true(far > 0);
		assert_true(tour * 1000 >= 2 * far * 0.995);
		assert_true(tour * 1000 <= star * 1.005);
		json_decref(plan);
	}
}

/* Plans the shift hours over the first four days; *offences gets the
 * plan's weighted offences, *cell the expected offences of the cell of
 * the span (at 69.21, 41.31). Returns suggest_plan()'s code. */
static int span_plan(const struct fixture *f, const char *hours, double *offences, double *cell,
                     double *shifts)
{
	struct suggest_params p;
	json_t *fc, *c;
	size_t k;
	suggest_defaults(&p);
	assert_int_equal(shift_parse(hours, NULL, &p.shift), 0);
	p.filter.from = T0;
	p.filter.to = T0 + 4 * 86400 - 1;
	p.units = "ppx:1:480";
	p.speed = 0;
	int rc = suggest_plan(f->ds, f->sh, &p, &fc);
	if (rc < 0)
		return rc;
	*offences = json_number_value(json_object_get(fc, "offences"));
	*shifts = json_number_value(json_object_get(fc, "shifts"));
	*cell = 0;
	json_array_foreach(plan_cells(fc), k, c)
	{
		if (fabs(json_number_value(json_object_get(c, "lon")) - 69.21) < 0.0012 &&
		    fabs(json_number_value(json_object_get(c, "lat")) - 41.31) < 0.0009)
			*cell = json_number_value(json_object_get(c, "expected_offences"));
	}
	json_decref(fc);
	return 0;
}

static void test_aoristic(void **state)
{
	(void)state;
	struct fixture *f = open_store();
	/* Known only between Monday 20:00 and Tuesday 04:00 local (15:00 to
	 * 23:00 UTC), and an exact one on Wednesday at 02:00 local. */
	testutil_put_offence(f->st, "span", 69.21, 41.31, T0 + 15 * 3600, T0 + 23 * 3600, "theft");
	testutil_put_offence(f->st, "exact", 69.22, 41.305, T0 + 86400 + 21 * 3600,
	                     T0 + 86400 + 21 * 3600, "fraud");
	load(f);
	double night, night_cell, evening, evening_cell, shifts;
	/* Half of the span lies in the 00:00-08:00 shift: the cell counts 0.5. */
	assert_int_equal(span_plan(f, "00:00-08:00", &night, &night_cell, &shifts), 0);
	assert_float_equal(night, 1.5, 1e-9);
	assert_float_equal(night_cell, 0.5 / shifts, 1e-9);
	assert_true(shifts >= 4);
	assert_int_equal(span_plan(f, "16:00-24:00", &evening, &evening_cell, &shifts), 0);
	assert_float_equal(evening, 0.5, 1e-9);
	assert_float_equal(evening_cell, 0.5 / shifts, 1e-9);
	/* Nothing in between; the three shifts of the day weigh each offence
	 * once in all. */
	double day, day_cell;
	assert_int_equal(span_plan(f, "08:00-16:00", &day, &day_cell, &shifts), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "from:"));
	assert_float_equal(night + evening, 2, 1e-9);
	teardown((void **)&f);
}

static void test_forecast_names(void **state)
{
	(void)state;
	enum suggest_forecast fc;
	assert_int_equal(suggest_forecast_parse(NULL, &fc), 0);
	assert_int_equal(fc, SUGGEST_FORECAST_COUNTS);
	assert_int_equal(suggest_forecast_parse("gistar", &fc), 0);
	assert_int_equal(fc, SUGGEST_FORECAST_GISTAR);
	assert_string_equal(suggest_forecast_name(fc), "gistar");
	assert_int_equal(suggest_forecast_parse("kde", &fc), ERR_INVALID);
	assert_string_equal(err_msg(), "forecast: 'kde' is not counts or gistar");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_forecasts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ground_metres, setup, teardown),
	    cmocka_unit_test(test_aoristic),
	    cmocka_unit_test(test_forecast_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
