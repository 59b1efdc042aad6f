/* dosage: hand-built hotspot grids and tracks whose minutes and visits are
 * worked out by hand in the comments first, then computed.
 *
 * The grid: 100 m cells from x = 0, y = 1000 (Web Mercator metres), 10 x 10.
 * Hotspot 0 (rank 1) is cells i 2..3, j 2..3: x 200..400, y 600..800.
 * Hotspot 1 (rank 2) is cell (7, 7): x 700..800, y 200..300. Times are UTC
 * (zone UTC) on 2024-05-01 from T = 08:00. */
#include "testutil.h"

#include "dosage.h"
#include "err.h"
#include "hotspot.h"
#include "shapes.h"
#include "shift.h"
#include "timeparse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T   (1714521600LL + 8 * 3600) /* 2024-05-01T08:00Z */
#define IN  650.0                     /* a y inside hotspot 0 (at x 300) */
#define OUT 550.0                     /* a y below it */

struct fixture {
	tz *zone;
	struct hotspot_set set;
	struct hotspot items[2];
	int32_t label[100];
	long day;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || tz_open("UTC", &f->zone) < 0)
		return -1;
	for (int c = 0; c < 100; c++)
		f->label[c] = -1;
	for (int j = 2; j <= 3; j++)
		for (int i = 2; i <= 3; i++)
			f->label[j * 10 + i] = 0;
	f->label[7 * 10 + 7] = 1;
	f->items[0].rank = 1;
	f->items[1].rank = 2;
	f->set = (struct hotspot_set){.items = f->items,
	                              .n = 2,
	                              .x0 = 0,
	                              .y0 = 1000,
	                              .cell_merc = 100,
	                              .width = 10,
	                              .height = 10,
	                              .label = f->label};
	if (dosage_day(f->zone, "date", "2024-05-01", &f->day) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	tz_free(f->zone);
	free(f);
	return 0;
}

/* A track of unit from fixes (x, y, seconds after T). */
struct built {
	struct shapes_track t;
	double xy[64];
	int64_t times[32];
};

static void build(struct built *b, const char *unit, const double (*fix)[3], size_t n)
{
	assert_true(n <= 32);
	memset(b, 0, sizeof *b);
	for (size_t i = 0; i < n; i++) {
		b->xy[2 * i] = fix[i][0];
		b->xy[2 * i + 1] = fix[i][1];
		b->times[i] = T + (int64_t)fix[i][2];
	}
	b->t = (struct shapes_track){.external_id = unit,
	                             .unit = unit,
	                             .service = "ppx",
	                             .started = b->times[0],
	                             .ended = b->times[n - 1],
	                             .xy = b->xy,
	                             .t = b->times,
	                             .n_fixes = n};
}

static const struct dosage_hotspot *item(const struct dosage_result *r, int index)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].index == index)
			return &r->items[i];
	fail_msg("no item for hotspot %d", index);
	return NULL;
}

static void run(struct fixture *f, const struct built *b, size_t n, const struct dosage_params *p,
                struct dosage_result *r)
{
	const struct shapes_track *tracks[8];
	for (size_t i = 0; i < n; i++)
		tracks[i] = &b[i].t;
	struct dosage_params q = *p;
	q.zone = f->zone;
	if (!q.from_day && !q.to_day)
		q.from_day = q.to_day = f->day;
	if (dosage_compute(&f->set, tracks, n, &q, r) < 0)
		fail_msg("%s", err_msg());
}

/* Along y = 700 at 10 m/s with fixes every 10 s from x = 50: x 200 is reached
 * 15 s in, x 400 35 s in, so 20 s in hotspot 0, one visit, not a full one;
 * hotspot 1 is never touched. */
static void test_passing_through(void **state)
{
	struct fixture *f = *state;
	double fixes[8][3];
	for (int i = 0; i < 8; i++) {
		fixes[i][0] = 50 + 100 * i;
		fixes[i][1] = 700;
		fixes[i][2] = 10 * i;
	}
	struct built b;
	build(&b, "PPX-1", fixes, 8);
	struct dosage_result r;
	run(f, &b, 1, &(struct dosage_params){0}, &r);
	assert_int_equal(r.occurrences, 1);
	assert_int_equal(r.tracks, 1);
	const struct dosage_hotspot *h = item(&r, 0);
	assert_float_equal(h->seconds, 20, 1e-6);
	assert_int_equal(h->visits, 1);
	assert_int_equal(h->full_visits, 0);
	assert_int_equal(h->status, DOSAGE_SHORT);
	assert_int_equal(h->n_units, 1);
	assert_string_equal(h->units[0].unit, "PPX-1");
	assert_string_equal(h->units[0].service, "ppx");
	assert_float_equal(h->units[0].longest, 20, 1e-6);
	assert_int_equal(item(&r, 1)->status, DOSAGE_UNVISITED);
	/* The unvisited hotspot comes first. */
	assert_int_equal(r.items[0].index, 1);
	dosage_result_free(&r);
}

/* In hotspot 0 from T; the step from (300, IN) at 415 s to (300, OUT) at 425 s
 * crosses y = 600 at 420 s. Out until the step back, 595 s -> 605 s, crosses
 * at 600 s: 180 s away, over 2 minutes, so a second visit, which ends at
 * 1020 s the same way. Present 420 + 420 = 840 s = 14 min in 2 visits of 7
 * minutes: no full visit. With the absence 90 s instead (back at 510 s), one
 * visit of 420 + 90 + 420 = 930 s = 15.5 min: full; present still 14 min. */
static void lingering(struct built *b, const char *unit, double away)
{
	double fx[24][3];
	size_t n = 0;
	for (double t = 0; t <= 360; t += 60)
		memcpy(fx[n++], (double[3]){300, IN, t}, sizeof fx[0]);
	memcpy(fx[n++], (double[3]){300, IN, 415}, sizeof fx[0]);
	memcpy(fx[n++], (double[3]){300, OUT, 425}, sizeof fx[0]);
	double back = 420 + away;
	memcpy(fx[n++], (double[3]){300, OUT, back - 5}, sizeof fx[0]);
	for (double t = back + 5; t < back + 415; t += 60)
		memcpy(fx[n++], (double[3]){300, IN, t}, sizeof fx[0]);
	memcpy(fx[n++], (double[3]){300, IN, back + 415}, sizeof fx[0]);
	memcpy(fx[n++], (double[3]){300, OUT, back + 425}, sizeof fx[0]);
	build(b, unit, (const double(*)[3])fx, n);
}

static void test_lingering_two_visits(void **state)
{
	struct fixture *f = *state;
	struct built b[2];
	lingering(&b[0], "Y-2", 180);
	lingering(&b[1], "Y-3", 90);
	struct dosage_result r;
	run(f, b, 2, &(struct dosage_params){0}, &r);
	const struct dosage_hotspot *h = item(&r, 0);
	assert_int_equal(h->n_units, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct dosage_unit *u = &h->units[i];
		int joined = strcmp(u->unit, "Y-3") == 0;
		assert_float_equal(u->seconds, 840, 1e-6);
		assert_int_equal(u->visits, joined ? 1 : 2);
		assert_int_equal(u->full_visits, joined ? 1 : 0);
		assert_float_equal(u->longest, joined ? 930 : 420, 1e-6);
	}
	assert_float_equal(h->seconds, 1680, 1e-6);
	assert_int_equal(h->visits, 3);
	assert_int_equal(h->full_visits, 1);
	assert_int_equal(h->occurrences_met, 1);
	assert_int_equal(h->status, DOSAGE_MET);
	dosage_result_free(&r);

	/* Asking two full visits a shift leaves hotspot 0 short. */
	run(f, b, 2, &(struct dosage_params){.target_visits = 2}, &r);
	assert_int_equal(item(&r, 0)->status, DOSAGE_SHORT);
	assert_int_equal(item(&r, 0)->occurrences_met, 0);
	dosage_result_free(&r);
	/* A target of 7 minutes makes every visit full. */
	run(f, b, 2, &(struct dosage_params){.target_minutes = 7}, &r);
	assert_int_equal(item(&r, 0)->full_visits, 3);
	dosage_result_free(&r);
}

/* Standing in hotspot 1 at (750, 250) with fixes at 0, 30, then a silence
 * of 90 s (30 -> 120), then 150, 180. With the default (fixes at most 60 s
 * apart are joined) the 90 s are not present: 30 + 60 = 90 s, but the
 * absence of 90 s is under 2 minutes, so one visit of 180 s. Joining fixes
 * up to 120 s apart interpolates them: 180 s present. A silence of 5
 * minutes (30 -> 330) is never joined: 30 + 60 = 90 s in two visits. */
static void test_silences(void **state)
{
	struct fixture *f = *state;
	const double short_gap[4][3] = {
	    {750, 250, 0}, {750, 250, 30}, {750, 250, 120}, {750, 250, 180}};
	const double long_gap[5][3] = {
	    {750, 250, 0}, {750, 250, 30}, {750, 250, 330}, {750, 250, 360}, {750, 250, 390}};
	struct built b;
	struct dosage_result r;
	build(&b, "R-1", short_gap, 4);
	run(f, &b, 1, &(struct dosage_params){0}, &r);
	assert_float_equal(item(&r, 1)->seconds, 90, 1e-6);
	assert_int_equal(item(&r, 1)->visits, 1);
	assert_float_equal(item(&r, 1)->units[0].longest, 180, 1e-6);
	dosage_result_free(&r);
	run(f, &b, 1, &(struct dosage_params){.max_interp = 120}, &r);
	assert_float_equal(item(&r, 1)->seconds, 180, 1e-6);
	assert_int_equal(item(&r, 1)->visits, 1);
	dosage_result_free(&r);

	build(&b, "R-1", long_gap, 5);
	run(f, &b, 1, &(struct dosage_params){.max_interp = 120}, &r);
	assert_float_equal(item(&r, 1)->seconds, 90, 1e-6);
	assert_int_equal(item(&r, 1)->visits, 2);
	assert_float_equal(item(&r, 1)->units[0].longest, 60, 1e-6);
	dosage_result_free(&r);
}

/* A shift of 08:05-08:10 on Wednesdays cuts the standing unit of hotspot 1
 * (present 08:00-08:15 with fixes every minute) to 5 minutes; the same
 * shift on Thursdays holds nothing of that day; across two days, the
 * Wednesday shift occurs once. */
static void test_shift_clips(void **state)
{
	struct fixture *f = *state;
	double fx[16][3];
	for (int i = 0; i < 16; i++)
		memcpy(fx[i], (double[3]){750, 250, 60.0 * i}, sizeof fx[0]);
	struct built b;
	build(&b, "R-1", (const double(*)[3])fx, 16);
	struct shift wed, thu;
	assert_int_equal(shift_parse("08:05-08:10", "wed", &wed), 0);
	assert_int_equal(shift_parse("08:05-08:10", "thu", &thu), 0);
	struct dosage_result r;
	run(f, &b, 1,
	    &(struct dosage_params){.shift = &wed, .from_day = f->day, .to_day = f->day + 1}, &r);
	assert_int_equal(r.occurrences, 1);
	assert_int_equal(r.first, T + 300);
	assert_int_equal(r.last, T + 600);
	assert_float_equal(item(&r, 1)->seconds, 300, 1e-6);
	dosage_result_free(&r);
	run(f, &b, 1, &(struct dosage_params){.shift = &thu}, &r);
	assert_int_equal(r.occurrences, 0);
	assert_int_equal(r.tracks, 0);
	assert_float_equal(item(&r, 1)->seconds, 0, 0);
	dosage_result_free(&r);
}

/* A diagonal through a corner of cells: (150, 850) to (450, 550) in 30 s
 * crosses hotspot 0 (x 200..400 and y 600..800 together) from 5 s to 25 s. */
static void test_diagonal(void **state)
{
	struct fixture *f = *state;
	const double fx[2][3] = {{150, 850, 0}, {450, 550, 30}};
	struct built b;
	build(&b, "D-1", fx, 2);
	struct dosage_result r;
	run(f, &b, 1, &(struct dosage_params){0}, &r);
	assert_float_equal(item(&r, 0)->seconds, 20, 1e-6);
	assert_int_equal(item(&r, 0)->visits, 1);
	dosage_result_free(&r);
}

static void test_bad_params(void **state)
{
	struct fixture *f = *state;
	struct dosage_result r;
	const struct dosage_params bad[] = {
	    {.zone = f->zone, .from_day = 10, .to_day = 9},
	    {.zone = f->zone, .from_day = 0, .to_day = 400},
	    {.zone = f->zone, .target_minutes = -1},
	    {.zone = f->zone, .target_visits = 101},
	    {.zone = f->zone, .max_interp = 601},
	};
	const char *field[] = {"to:", "from:", "target:", "visits:", "interpolate:"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(dosage_compute(&f->set, NULL, 0, &bad[i], &r), ERR_INVALID);
		assert_true(strncmp(err_msg(), field[i], strlen(field[i])) == 0);
	}
	long day;
	assert_int_equal(dosage_day(f->zone, "from", "2024-13-01", &day), ERR_INVALID);
	assert_true(strncmp(err_msg(), "from:", 5) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_passing_through, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lingering_two_visits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_silences, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_shift_clips, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_diagonal, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_params, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
