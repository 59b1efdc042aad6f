/* fieldguess: what sampled values are, and the mapping the importer takes
 * from them, seen through import_run() on CSV files written into the test's
 * temporary folder: date-time columns found by their values, the refusal of
 * a file whose rows would mostly lose their time or place (database left as
 * it was), and the dry run that writes nothing but shows sample values. */
#include "testutil.h"

#include "err.h"
#include "fieldguess.h"
#include "import.h"
#include "store.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* UTC seconds of a civil UTC time; Tashkent (the default zone) is UTC+5. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
	y -= mo <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
	return days * 86400 + h * 3600 + mi * 60 + s;
}

static const int64_t h5 = 5 * 3600;

/* Writes text to name in the test's folder and imports it as offences with
 * the given --field mappings; returns import_run()'s code. */
static int import_csv(struct testutil_db *f, const char *name, const char *text,
                      const struct import_field *fields, size_t n_fields, int dry_run,
                      struct import_report *rep)
{
	char path[700];
	testutil_path(path, sizeof path, f->dir, name);
	testutil_write(path, text);
	struct import_options o = {.layer = IMPORT_OFFENCES,
	                           .path = path,
	                           .fields = fields,
	                           .n_fields = n_fields,
	                           .dry_run = dry_run};
	return import_run(f->st, &o, rep);
}

/* Offences of a precision, or of a category when category is set. */
struct tally {
	enum time_precision precision;
	const char *category;
	long n;
};

static int tally_offence(void *ctx, const struct store_offence_row *r)
{
	struct tally *t = ctx;
	if (t->category ? r->o.category && strcmp(r->o.category, t->category) == 0
	                : r->o.precision == t->precision)
		t->n++;
	return 0;
}

static long offences(struct testutil_db *f, enum time_precision precision, const char *category)
{
	struct tally t = {precision, category, 0};
	assert_int_equal(store_scan_offences(f->st, 0, INT64_MAX, tally_offence, &t), 0);
	return t.n;
}

static int take_offence(void *ctx, const struct store_offence_row *r)
{
	*(struct store_offence *)ctx = r->o;
	return 0;
}

/* The offence with this external id; its strings are not to be read. */
static struct store_offence offence(struct testutil_db *f, const char *id)
{
	struct store_offence o;
	assert_int_equal(store_get_offence(f->st, 0, id, take_offence, &o), 0);
	return o;
}

/* Rows of every table an import writes to. */
static long all_rows(struct testutil_db *f)
{
	struct store_summary sum;
	assert_int_equal(store_summarize(f->st, &sum), 0);
	return sum.offences + sum.categories + sum.audit;
}

static const struct fieldguess_preview *preview(const struct import_report *rep, const char *target)
{
	for (size_t i = 0; i < rep->n_previews; i++)
		if (strcmp(rep->previews[i].target, target) == 0)
			return &rep->previews[i];
	return NULL;
}

static int has_note(const struct import_report *rep, const char *needle)
{
	for (size_t i = 0; i < rep->n_reasons; i++)
		if (strstr(rep->reasons[i].text, needle))
			return 1;
	return 0;
}

static void test_value_kinds(void **state)
{
	(void)state;
	tz *z;
	assert_int_equal(tz_open("UTC", &z), 0);
	static const struct {
		const char *v;
		enum fieldguess_kind k;
	} cases[] = {
	    {"2010-01-01T06:00:00", FIELDGUESS_DATETIME},
	    {"2010/01/01 06:00:00+00", FIELDGUESS_DATETIME}, /* OGR's DateTime text */
	    {"1/2/2010 6:30 PM", FIELDGUESS_DATETIME},
	    {"01/02/2010", FIELDGUESS_DATE},
	    {"31.01.2010", FIELDGUESS_DATE},
	    {"06:00", FIELDGUESS_CLOCK},
	    {"6:30 PM", FIELDGUESS_CLOCK},
	    {"6", FIELDGUESS_HOUR},
	    {"23", FIELDGUESS_HOUR},
	    {"69.25", FIELDGUESS_NUMBER},
	    {"2018-01", FIELDGUESS_TEXT}, /* a month is no day */
	    {"theft", FIELDGUESS_TEXT},
	    {"NULL", FIELDGUESS_EMPTY},
	    {"  ", FIELDGUESS_EMPTY},
	};
	err_set(ERR_IO, "earlier");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (fieldguess_value(z, DATE_ORDER_AUTO, cases[i].v) != cases[i].k)
			fail_msg(
			    "'%s' is %s, not %s", cases[i].v,
			    fieldguess_kind_name(fieldguess_value(z, DATE_ORDER_AUTO, cases[i].v)),
			    fieldguess_kind_name(cases[i].k));
	/* Judging values leaves the last error as it was. */
	assert_string_equal(err_msg(), "earlier");
	assert_int_equal(err_last(), ERR_IO);
	tz_free(z);
}

static void test_time_column_of_datetimes_alone(void **state)
{
	struct testutil_db *f = *state;
	struct import_report rep;
	assert_int_equal(import_csv(f, "alone.csv",
	                            "id,time,lon,lat\n"
	                            "A1,2010-01-01T06:00:00,69.25,41.3\n"
	                            "A2,2010-01-01T23:30:15,69.26,41.3\n"
	                            "A3,2010-01-02T00:05:00,69.27,41.3\n",
	                            NULL, 0, 0, &rep),
	                 0);
	assert_int_equal(rep.inserted, 3);
	assert_string_equal(rep.mapping, "id=id, date=time, x=lon, y=lat");
	assert_string_equal(preview(&rep, "date")->how, "its values are dates with times");
	assert_false(has_note(&rep, "no date"));
	import_report_free(&rep);
	assert_int_equal(offence(f, "A1").occurred_from, utc(2010, 1, 1, 6, 0, 0) - h5);
	assert_int_equal(offence(f, "A2").occurred_from, utc(2010, 1, 1, 23, 30, 15) - h5);
	assert_int_equal(offences(f, PREC_SECOND, NULL), 3);
}

static void test_date_time_and_hour_columns(void **state)
{
	struct testutil_db *f = *state;
	struct import_report rep;
	/* The export's date is month first and says the same day; the time
	 * column holds the whole date-time, the hour column its hour. */
	static const char file[] = "id,date,time,hour,lon,lat\n"
	                           "B1,01/02/2010,2010-01-02T06:00:00,6,69.25,41.3\n"
	                           "B2,01/02/2010,2010-01-02T07:45:00,7,69.26,41.3\n"
	                           "B3,01/03/2010,2010-01-03T23:10:00,23,69.27,41.3\n";
	assert_int_equal(import_csv(f, "three.csv", file, NULL, 0, 0, &rep), 0);
	assert_int_equal(rep.inserted, 3);
	assert_string_equal(rep.mapping, "id=id, date=time, x=lon, y=lat");
	import_report_free(&rep);
	assert_int_equal(offence(f, "B2").occurred_from, utc(2010, 1, 2, 7, 45, 0) - h5);
	assert_int_equal(offence(f, "B3").occurred_from, utc(2010, 1, 3, 23, 10, 0) - h5);
	assert_int_equal(offences(f, PREC_SECOND, NULL), 3);

	/* Without the date-time column, the hour column is the time. */
	assert_int_equal(import_csv(f, "hour.csv",
	                            "id,date,hour,lon,lat\n"
	                            "C1,01/02/2010,6,69.25,41.3\n"
	                            "C2,01/02/2010,23,69.26,41.3\n",
	                            NULL, 0, 0, &rep),
	                 0);
	assert_string_equal(rep.mapping, "id=id, date=date, time=hour, x=lon, y=lat");
	import_report_free(&rep);
	assert_int_equal(offence(f, "C2").occurred_from, utc(2010, 1, 2, 23, 0, 0) - h5);
	assert_int_equal(offence(f, "C2").precision, PREC_HOUR);

	/* --field is taken as given: the day of the date column with the
	 * hour, both named, nothing second-guessed. */
	const struct import_field given[] = {{"date", "date"}, {"time", "hour"}};
	assert_int_equal(import_csv(f, "three.csv", file, given, 2, 0, &rep), 0);
	assert_int_equal(rep.updated, 3);
	assert_string_equal(preview(&rep, "date")->how, "--field");
	import_report_free(&rep);
	assert_int_equal(offence(f, "B2").occurred_from, utc(2010, 1, 2, 7, 0, 0) - h5);
	assert_int_equal(offences(f, PREC_HOUR, NULL), 5); /* and C1, C2 */
}

static void test_most_rows_losing_their_time_refused(void **state)
{
	struct testutil_db *f = *state;
	struct import_report rep;
	assert_int_equal(import_csv(f, "good.csv",
	                            "id,date,lon,lat,category\n"
	                            "G1,2021-11-11,69.25,41.3,theft\n",
	                            NULL, 0, 0, &rep),
	                 0);
	import_report_free(&rep);
	long before = all_rows(f);

	/* Times of day and nothing that says which day. */
	assert_int_equal(import_csv(f, "notime.csv",
	                            "id,clock,lon,lat,category\n"
	                            "N1,06:00,69.25,41.3,fraud\n"
	                            "N2,07:00,69.25,41.3,fraud\n"
	                            "N3,08:00,69.25,41.3,fraud\n"
	                            "N4,09:00,69.25,41.3,fraud\n",
	                            NULL, 0, 0, &rep),
	                 ERR_INVALID);
	assert_int_equal(rep.read, 4);
	import_report_free(&rep);
	const char *m = err_msg();
	assert_non_null(strstr(m, "notime.csv: 4 of 4 rows have no date"));
	assert_non_null(strstr(m, "unknown time"));
	assert_non_null(strstr(m, "columns: id, clock, lon, lat, category"));
	assert_non_null(strstr(m, "--field date=COLUMN"));
	assert_int_equal(all_rows(f), before);
	assert_int_equal(offences(f, PREC_UNKNOWN, "fraud"), 0);

	/* Coordinates under names nobody guesses: every row without a place. */
	assert_int_equal(import_csv(f, "noplace.csv",
	                            "id,date,easting,northing\n"
	                            "P1,2021-11-11,69.25,41.3\n"
	                            "P2,2021-11-11,69.25,41.3\n"
	                            "P3,2021-11-11,69.25,41.3\n",
	                            NULL, 0, 0, &rep),
	                 ERR_INVALID);
	import_report_free(&rep);
	assert_non_null(strstr(err_msg(), "noplace.csv: 3 of 3 rows have no coordinates"));
	assert_non_null(strstr(err_msg(), "--field x=COLUMN --field y=COLUMN"));
	assert_int_equal(all_rows(f), before);

	/* A few rows without a date are a note, not a refusal. */
	assert_int_equal(import_csv(f, "some.csv",
	                            "id,date,lon,lat\n"
	                            "S1,2021-11-11,69.25,41.3\n"
	                            "S2,,69.25,41.3\n"
	                            "S3,2021-11-12,69.25,41.3\n",
	                            NULL, 0, 0, &rep),
	                 0);
	assert_int_equal(rep.inserted, 3);
	assert_true(has_note(&rep, "no date: stored with an unknown time"));
	import_report_free(&rep);
}

static void test_dry_run_writes_nothing_and_shows_samples(void **state)
{
	struct testutil_db *f = *state;
	struct import_report rep;
	long before = all_rows(f);
	assert_int_equal(import_csv(f, "dry.csv",
	                            "id,date,time,lon,lat,category\n"
	                            "D1,2021-11-11,15:04:00,69.25,41.3,theft\n"
	                            "D2,2021-11-12,,69.25,41.3,theft\n"
	                            "D3,2021-11-13,08:00,69.25,41.3,burglary\n"
	                            "D4,2021-11-14,09:00,,,burglary\n",
	                            NULL, 0, 1, &rep),
	                 0);
	/* The counts of the import it would have been. */
	assert_int_equal(rep.read, 4);
	assert_int_equal(rep.inserted, 3);
	assert_int_equal(rep.skipped, 1);
	const struct fieldguess_preview *p = preview(&rep, "date");
	assert_non_null(p);
	assert_string_equal(p->source, "date");
	assert_string_equal(p->how, "by its name");
	assert_int_equal(p->n, 3);
	assert_string_equal(p->values[0], "2021-11-11");
	assert_string_equal(p->read_as[0],
	                    "with time '15:04:00': 2021-11-11T10:04:00Z (to the second)");
	assert_string_equal(p->read_as[1],
	                    "2021-11-11T19:00:00Z .. 2021-11-12T18:59:59Z (day precision)");
	p = preview(&rep, "time");
	assert_int_equal(p->n, 3); /* the empty cell of D2 passed over */
	assert_string_equal(p->values[1], "08:00");
	assert_string_equal(p->read_as[1], "a time of day, to the minute");
	p = preview(&rep, "x");
	assert_string_equal(p->read_as[0], "69.25");
	assert_string_equal(preview(&rep, "category")->read_as[0], "as it is");
	import_report_free(&rep);
	assert_int_equal(all_rows(f), before);

	/* A dry run of a file the import refuses fails the same way. */
	assert_int_equal(
	    import_csv(f, "dry2.csv", "id,clock,lon,lat\nE1,06:00,69.25,41.3\n", NULL, 0, 1, &rep),
	    ERR_INVALID);
	assert_non_null(rep.mapping);
	import_report_free(&rep);
	assert_int_equal(all_rows(f), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_value_kinds),
	    cmocka_unit_test_setup_teardown(test_time_column_of_datetimes_alone, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_date_time_and_hour_columns, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_most_rows_losing_their_time_refused,
	                                    testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_dry_run_writes_nothing_and_shows_samples,
	                                    testutil_db_open, testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
