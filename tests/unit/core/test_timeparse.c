/* timeparse: TZif zones, POSIX rules, local-to-UTC, date/time spellings.
 * Expected instants were computed with python3's zoneinfo on tzdata 2025b. */
#include "testutil.h"

#include "err.h"
#include "timeparse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static tz *open_zone(const char *name)
{
	tz *z = NULL;
	if (tz_open(name, &z) < 0)
		fail_msg("%s", err_msg());
	return z;
}

/* Parses date and time and checks the span and precision. */
static void expect_span(const tz *z, const char *date, const char *time, enum date_order order,
                        int64_t from, int64_t to, enum time_precision prec)
{
	struct time_span s;
	if (timeparse_parse(z, date, time, order, &s) < 0)
		fail_msg("'%s' '%s': %s", date, time ? time : "(null)", err_msg());
	if (s.from != from || s.to != to || s.precision != prec)
		fail_msg("'%s' '%s': got %lld..%lld prec %d, want %lld..%lld prec %d", date,
		         time ? time : "(null)", (long long)s.from, (long long)s.to, s.precision,
		         (long long)from, (long long)to, prec);
}

static void expect_at(const tz *z, const char *date, const char *time, int64_t at,
                      enum time_precision prec)
{
	expect_span(z, date, time, DATE_ORDER_AUTO, at, at, prec);
}

/* Fails to parse, with a message that contains quote. */
static void expect_invalid(const tz *z, const char *date, const char *time, const char *quote)
{
	struct time_span s;
	int rc = timeparse_parse(z, date, time, DATE_ORDER_AUTO, &s);
	if (rc != ERR_INVALID)
		fail_msg("'%s' '%s': rc %d, want ERR_INVALID", date, time ? time : "(null)", rc);
	if (!strstr(err_msg(), quote))
		fail_msg("'%s': message '%s' does not quote '%s'", date, err_msg(), quote);
}

static unsigned char *put(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--)
		*p++ = (unsigned char)(v >> (8 * i));
	return p;
}

/* A TZif header and data block with tsize-byte times, one type per offset. */
static unsigned char *put_block(unsigned char *p, char version, int tsize, const int64_t *times,
                                const unsigned char *idx, uint32_t n, const int32_t *offs,
                                uint32_t ntypes)
{
	memcpy(p, "TZif", 4);
	p[4] = (unsigned char)version;
	memset(p + 5, 0, 15);
	p += 20;
	p = put(p, 0, 4); /* isutcnt */
	p = put(p, 0, 4); /* isstdcnt */
	p = put(p, 0, 4); /* leapcnt */
	p = put(p, n, 4);
	p = put(p, ntypes, 4);
	p = put(p, 4, 4); /* charcnt: "XXX\0" */
	for (uint32_t i = 0; i < n; i++)
		p = put(p, (uint64_t)times[i], tsize);
	for (uint32_t i = 0; i < n; i++)
		*p++ = idx[i];
	for (uint32_t i = 0; i < ntypes; i++) {
		p = put(p, (uint32_t)offs[i], 4);
		*p++ = 0; /* isdst */
		*p++ = 0; /* desigidx */
	}
	memcpy(p, "XXX", 4);
	return p + 4;
}

static void write_file(const char *dir, const char *name, const unsigned char *buf, size_t len)
{
	char path[700];
	FILE *f = fopen(testutil_path(path, sizeof path, dir, name), "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A v2 zone with no transitions, only the footer rule. */
static void write_slim(const char *dir, const char *name, const char *rule)
{
	unsigned char buf[512], *p = buf;
	const int32_t off = 0;
	p = put_block(p, '2', 4, NULL, NULL, 0, &off, 1);
	p = put_block(p, '2', 8, NULL, NULL, 0, &off, 1);
	*p++ = '\n';
	memcpy(p, rule, strlen(rule));
	p += strlen(rule);
	*p++ = '\n';
	write_file(dir, name, buf, (size_t)(p - buf));
}

/* The footer of a real zone file, without newlines. */
static void real_footer(const char *name, char *buf, size_t n)
{
	char path[700], line[256] = "";
	FILE *f = fopen(testutil_path(path, sizeof path, "/usr/share/zoneinfo", name), "rb");
	assert_non_null(f);
	while (fgets(line, sizeof line, f))
		;
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	snprintf(buf, n, "%s", line);
}

/* Runs with TZDIR set to a fresh folder, restored afterwards. */
struct tzdir {
	char *dir;
	char *saved;
};

static void tzdir_enter(struct tzdir *t)
{
	const char *old = getenv("TZDIR");
	t->saved = old ? strdup(old) : NULL;
	t->dir = testutil_tmpdir();
	assert_int_equal(setenv("TZDIR", t->dir, 1), 0);
}

static void tzdir_leave(struct tzdir *t)
{
	if (t->saved)
		setenv("TZDIR", t->saved, 1);
	else
		unsetenv("TZDIR");
	free(t->saved);
	testutil_rmtree(t->dir);
}

/* ---- zones ---- */

static void test_tashkent_fixed_offset(void **state)
{
	(void)state;
	tz *z = open_zone("Asia/Tashkent");
	assert_string_equal(tz_name(z), "Asia/Tashkent");
	assert_int_equal(tz_offset_at(z, 1636625040), 18000);
	/* 2021-11-11 15:04 local */
	assert_int_equal(tz_local_to_utc(z, 1636643040), 1636625040);
	/* past the last transition, from the "<+05>-5" footer: 2050-01-01 */
	assert_int_equal(tz_offset_at(z, 2524608000), 18000);
	tz_free(z);
}

static void test_london_dst(void **state)
{
	(void)state;
	tz *z = open_zone("Europe/London");
	/* 2018-07-01 12:00 BST = 11:00Z; 2018-01-15 12:00 GMT = 12:00Z */
	assert_int_equal(tz_local_to_utc(z, 1530446400), 1530442800);
	assert_int_equal(tz_local_to_utc(z, 1516017600), 1516017600);
	assert_int_equal(tz_offset_at(z, 1530442800), 3600);
	assert_int_equal(tz_offset_at(z, 1516017600), 0);
	/* Gap: 2018-03-25 01:30 does not exist; read with the offset before the jump: 01:30Z. */
	assert_int_equal(tz_local_to_utc(z, 1521941400), 1521941400);
	/* Overlap: 2018-10-28 01:30 is 00:30Z and 01:30Z; the earlier instant. */
	assert_int_equal(tz_local_to_utc(z, 1540690200), 1540686600);
	/* Past 2037 the footer rule decides: 2050-07-01 12:00 = 11:00Z, 2050-01-15 12:00Z. */
	assert_int_equal(tz_local_to_utc(z, 2540289600), 2540286000);
	assert_int_equal(tz_local_to_utc(z, 2525860800), 2525860800);
	tz_free(z);
}

static void test_new_york_and_utc(void **state)
{
	(void)state;
	tz *ny = open_zone("America/New_York");
	tz *utc = open_zone("UTC");
	/* 2021-07-04 12:00 EDT = 16:00Z; 2021-01-04 12:00 EST = 17:00Z */
	expect_at(ny, "2021-07-04 12:00:00", NULL, 1625414400, PREC_SECOND);
	expect_at(ny, "2021-01-04T12:00:00", NULL, 1609779600, PREC_SECOND);
	/* 2050-07-04 12:00 EDT, by the footer rule */
	expect_at(ny, "2050-07-04 12:00:00", NULL, 2540563200, PREC_SECOND);
	/* gap 2021-03-14 02:30 → offset before the jump (-5): 07:30Z; overlap 2021-11-07 01:30 →
	 * EDT */
	expect_at(ny, "2021-03-14 02:30:00", NULL, 1615707000, PREC_SECOND);
	expect_at(ny, "2021-11-07 01:30:00", NULL, 1636263000, PREC_SECOND);
	expect_at(utc, "2021-11-11 15:04:05", NULL, 1636643045, PREC_SECOND);
	assert_int_equal(tz_offset_at(utc, 0), 0);
	tz_free(ny);
	tz_free(utc);
}

static void test_bad_zone_names(void **state)
{
	(void)state;
	tz *z = (tz *)1;
	assert_int_equal(tz_open("Nowhere/Atlantis", &z), ERR_INVALID);
	assert_null(z);
	assert_non_null(strstr(err_msg(), "Nowhere/Atlantis"));
	assert_int_equal(tz_open("../zoneinfo/UTC", &z), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "../zoneinfo/UTC"));
	assert_int_equal(tz_open("/usr/share/zoneinfo/UTC", &z), ERR_INVALID);
	assert_int_equal(tz_open("Europe/../UTC", &z), ERR_INVALID);
	assert_int_equal(tz_open("", &z), ERR_INVALID);
	assert_int_equal(tz_open("America", &z), ERR_INVALID); /* a folder */
	assert_int_equal(tz_open("zone1970.tab", &z), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "not a valid TZif"));
	assert_null(z);
	tz_free(NULL);
}

/* Slim files (footer only) must agree with the full files up to 2037. */
static void test_footer_rules_match_full_files(void **state)
{
	(void)state;
	static const char *zones[] = {"Europe/London",    "America/New_York", "Australia/Lord_Howe",
	                              "Europe/Dublin",    "Pacific/Chatham",  "America/Nuuk",
	                              "America/Santiago", "Asia/Tashkent"};
	enum { NZONES = sizeof zones / sizeof zones[0] };
	tz *full[NZONES], *slim[NZONES];
	struct tzdir t;
	char rule[256], name[32];

	for (int i = 0; i < NZONES; i++)
		full[i] = open_zone(zones[i]);
	tzdir_enter(&t);
	for (int i = 0; i < NZONES; i++) {
		real_footer(zones[i], rule, sizeof rule);
		snprintf(name, sizeof name, "slim%d", i);
		write_slim(t.dir, name, rule);
		slim[i] = open_zone(name);
	}
	/* 2026-01-01 .. 2037-01-01 in quarter hours */
	for (int64_t at = 1767225600; at < 2114380800; at += 900)
		for (int i = 0; i < NZONES; i++)
			if (tz_offset_at(full[i], at) != tz_offset_at(slim[i], at))
				fail_msg("%s at %lld: full %d, rule %d", zones[i], (long long)at,
				         tz_offset_at(full[i], at), tz_offset_at(slim[i], at));
	for (int i = 0; i < NZONES; i++) {
		tz_free(full[i]);
		tz_free(slim[i]);
	}
	tzdir_leave(&t);
}

static void test_v1_file_and_corrupt_files(void **state)
{
	(void)state;
	unsigned char buf[512], *p;
	const int64_t times[] = {1000000000};
	const unsigned char idx[] = {1};
	const int32_t offs[] = {3600, 7200};
	struct tzdir t;
	tz *z = NULL;

	tzdir_enter(&t);
	p = put_block(buf, 0, 4, times, idx, 1, offs, 2);
	write_file(t.dir, "v1", buf, (size_t)(p - buf));
	z = open_zone("v1");
	assert_int_equal(tz_offset_at(z, 999999999), 3600);
	assert_int_equal(tz_offset_at(z, 1000000000), 7200);
	assert_int_equal(tz_offset_at(z, 2000000000), 7200);
	tz_free(z);

	write_file(t.dir, "short", buf, 50);
	assert_int_equal(tz_open("short", &z), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "short"));
	write_slim(t.dir, "julian", "EST5EDT,J60,J300");
	assert_int_equal(tz_open("julian", &z), ERR_UNSUPPORTED);
	assert_non_null(strstr(err_msg(), "J60"));
	tzdir_leave(&t);
}

/* ---- formats ---- */

static void test_iso_formats(void **state)
{
	(void)state;
	tz *z = open_zone("Asia/Tashkent");
	/* 2021-11-11 15:04 Tashkent = 10:04Z = 1636625040 */
	expect_span(z, "2021-11-11", "15:04", DATE_ORDER_AUTO, 1636625040, 1636625099, PREC_MINUTE);
	expect_at(z, "2021-11-11", "15:04:00", 1636625040, PREC_SECOND);
	expect_span(z, "2021-11-11", "3:04 PM", DATE_ORDER_AUTO, 1636625040, 1636625099,
	            PREC_MINUTE);
	expect_at(z, "2021-11-11T15:04:00", NULL, 1636625040, PREC_SECOND);
	expect_at(z, "  2021-11-11T15:04:00.123  ", "", 1636625040, PREC_SECOND);
	expect_span(z, "2021-11-11 15:04", NULL, DATE_ORDER_AUTO, 1636625040, 1636625099,
	            PREC_MINUTE);
	expect_span(z, "2021-11-11", "15", DATE_ORDER_AUTO, 1636624800, 1636628399, PREC_HOUR);
	/* offsets: no zone conversion */
	expect_at(z, "2021-11-11T15:04:00Z", NULL, 1636643040, PREC_SECOND);
	expect_at(z, "2021-11-11T15:04:00.5Z", NULL, 1636643040, PREC_SECOND);
	expect_at(z, "2021-11-11T15:04:00+05:00", NULL, 1636625040, PREC_SECOND);
	expect_at(z, "2021-11-11 15:04:00+0500", NULL, 1636625040, PREC_SECOND);
	expect_at(z, "2021-11-11", "15:04:00 +05", 1636625040, PREC_SECOND);
	expect_at(z, "2021-11-11 15:04:00-0330", NULL, 1636655640, PREC_SECOND);
	/* 12-hour clock ends */
	expect_span(z, "2021-11-11", "12:00 AM", DATE_ORDER_AUTO, 1636570800, 1636570859,
	            PREC_MINUTE);
	expect_span(z, "2021-11-11", "12:00 pm", DATE_ORDER_AUTO, 1636614000, 1636614059,
	            PREC_MINUTE);
	/* 24:00 is the end of the day */
	expect_at(z, "2021-11-11", "24:00:00", 1636657200, PREC_SECOND);
	/* a date written with midnight gives way to a separate time */
	expect_at(z, "2021-11-11T00:00:00.000", "15:04:00", 1636625040, PREC_SECOND);
	tz_free(z);
}

static void test_date_only_spans(void **state)
{
	(void)state;
	tz *z = open_zone("Asia/Tashkent");
	tz *lon = open_zone("Europe/London");
	/* 2021-11-11 in Tashkent: 2021-11-10T19:00Z .. 2021-11-11T18:59:59Z */
	expect_span(z, "2021-11-11", NULL, DATE_ORDER_AUTO, 1636570800, 1636657199, PREC_DAY);
	expect_span(z, "2021-11-11", "  ", DATE_ORDER_AUTO, 1636570800, 1636657199, PREC_DAY);
	/* 2020-02 (leap) in Tashkent */
	expect_span(z, "2020-02", NULL, DATE_ORDER_AUTO, 1580497200, 1583002799, PREC_MONTH);
	/* London: a month, a summer month, a year, a 25-hour and a 23-hour day */
	expect_span(lon, "2018-01", NULL, DATE_ORDER_AUTO, 1514764800, 1517443199, PREC_MONTH);
	expect_span(lon, "2018-07", NULL, DATE_ORDER_AUTO, 1530399600, 1533077999, PREC_MONTH);
	expect_span(lon, "2018", NULL, DATE_ORDER_AUTO, 1514764800, 1546300799, PREC_YEAR);
	expect_span(lon, "2018-10-28", NULL, DATE_ORDER_AUTO, 1540681200, 1540771199, PREC_DAY);
	expect_span(lon, "2018-03-25", NULL, DATE_ORDER_AUTO, 1521936000, 1522018799, PREC_DAY);
	tz_free(z);
	tz_free(lon);
}

static void test_slashed_and_dotted(void **state)
{
	(void)state;
	tz *z = open_zone("Asia/Tashkent");
	expect_span(z, "1/1/2010", NULL, DATE_ORDER_AUTO, 1262286000, 1262372399, PREC_DAY);
	expect_at(z, "01/31/2010 11:30:00 PM", NULL, 1264962600, PREC_SECOND);
	expect_span(z, "31.01.2010", NULL, DATE_ORDER_AUTO, 1264878000, 1264964399, PREC_DAY);
	expect_span(z, "31.01.2010 23:30", NULL, DATE_ORDER_AUTO, 1264962600, 1264962659,
	            PREC_MINUTE);
	expect_span(z, "2010/01/31", NULL, DATE_ORDER_AUTO, 1264878000, 1264964399, PREC_DAY);
	/* a first number over 12 is the day even with slashes */
	expect_span(z, "31/01/2010", NULL, DATE_ORDER_AUTO, 1264878000, 1264964399, PREC_DAY);
	/* 03/04/2010: March 4th by default, April 3rd as DMY; dots the other way round */
	expect_span(z, "03/04/2010", NULL, DATE_ORDER_AUTO, 1267642800, 1267729199, PREC_DAY);
	expect_span(z, "03/04/2010", NULL, DATE_ORDER_MDY, 1267642800, 1267729199, PREC_DAY);
	expect_span(z, "03/04/2010", NULL, DATE_ORDER_DMY, 1270234800, 1270321199, PREC_DAY);
	expect_span(z, "04.03.2010", NULL, DATE_ORDER_AUTO, 1267642800, 1267729199, PREC_DAY);
	expect_span(z, "03.04.2010", NULL, DATE_ORDER_MDY, 1267642800, 1267729199, PREC_DAY);
	/* an explicit order is not second-guessed */
	struct time_span s;
	assert_int_equal(timeparse_parse(z, "31/01/2010", NULL, DATE_ORDER_MDY, &s), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "month 31 out of range"));
	tz_free(z);
}

static void test_invalid_inputs(void **state)
{
	(void)state;
	tz *z = open_zone("Asia/Tashkent");
	expect_invalid(z, "2021-13-01", NULL, "'2021-13-01': month 13 out of range");
	expect_invalid(z, "2021-02-30", NULL, "'2021-02-30': day 30 out of range");
	expect_invalid(z, "2019-02-29", NULL, "2019-02 has 28 days");
	expect_invalid(z, "31/31/2010", NULL,
	               "date '31/31/2010': day 31 and month 31 cannot both be valid");
	expect_invalid(z, "garbage", NULL, "date 'garbage': not a date");
	expect_invalid(z, "", NULL, "date '': no date");
	expect_invalid(z, NULL, NULL, "no date");
	expect_invalid(z, "1899-12-31", NULL, "year 1899 out of range");
	expect_invalid(z, "2101", NULL, "year 2101 out of range");
	expect_invalid(z, "1/1/10", NULL, "four digits");
	expect_invalid(z, "2021-11-11", "25:00", "time '25:00': hour 25 out of range");
	expect_invalid(z, "2021-11-11", "24:30", "hour 24 out of range");
	expect_invalid(z, "2021-11-11", "15:60", "minute 60 out of range");
	expect_invalid(z, "2021-11-11", "15:04:61", "second 61 out of range");
	expect_invalid(z, "2021-11-11", "13:00 PM", "hour 13 out of range for PM");
	expect_invalid(z, "2021-11-11", "noon", "time 'noon': not a time");
	expect_invalid(z, "2021-11-11", "15:4", "minutes must have two digits");
	expect_invalid(z, "2021-11-11", "15:04 xyz", "unexpected 'x'");
	expect_invalid(z, "2021-11-11", "15:04+25:00", "UTC offset +25:00 out of range");
	expect_invalid(z, "2021-11-11T25:00", NULL, "'2021-11-11T25:00': hour 25");
	expect_invalid(z, "2021-11-11T", NULL, "not a time");
	expect_invalid(z, "2021-11-11x", NULL, "not a date");
	expect_invalid(z, "2018-01", "15:04", "needs a date with a day");
	expect_invalid(z, "2018-01 15:04", NULL, "needs a date with a day");
	expect_invalid(z, "2021-11-11 15:04", "16:00", "already holds a time");
	tz_free(z);
}

static void test_weekdays_and_hours(void **state)
{
	(void)state;
	unsigned days;
	uint32_t hours;
	assert_int_equal(timeparse_weekdays("mon-fri", &days), 0);
	assert_int_equal(days, 0x1f);
	assert_int_equal(timeparse_weekdays("fri,sat, sun", &days), 0);
	assert_int_equal(days, 0x70);
	assert_int_equal(timeparse_weekdays("fri-mon", &days), 0);
	assert_int_equal(days, 0x71);
	assert_int_equal(timeparse_weekdays("Ju-Ya", &days), 0);
	assert_int_equal(days, 0x70);
	assert_int_equal(timeparse_weekdays("cht", &days), 0);
	assert_int_equal(days, 0x08);
	assert_int_equal(timeparse_weekdays("", &days), 0);
	assert_int_equal(days, 0x7f);
	assert_int_equal(timeparse_weekdays("funday", &days), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "funday"));

	assert_int_equal(timeparse_hours("20-08", &hours), 0);
	assert_int_equal(hours, 0xF000FFu | 0u);
	assert_int_equal(timeparse_hours("8-20", &hours), 0);
	assert_int_equal(hours, 0x0FFF00u);
	assert_int_equal(timeparse_hours("22", &hours), 0);
	assert_int_equal(hours, 1u << 22);
	assert_int_equal(timeparse_hours("0-24", &hours), 0);
	assert_int_equal(hours, 0xFFFFFFu);
	assert_int_equal(timeparse_hours("20-02, 12-14", &hours), 0);
	assert_int_equal(hours, 0xF00003u | (3u << 12));
	assert_int_equal(timeparse_hours(NULL, &hours), 0);
	assert_int_equal(hours, 0xFFFFFFu);
	assert_int_equal(timeparse_hours("25-3", &hours), ERR_INVALID);
	assert_int_equal(timeparse_hours("8-8", &hours), ERR_INVALID);
	assert_int_equal(timeparse_hours("8:00-9", &hours), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "8:00-9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tashkent_fixed_offset),
	    cmocka_unit_test(test_london_dst),
	    cmocka_unit_test(test_new_york_and_utc),
	    cmocka_unit_test(test_bad_zone_names),
	    cmocka_unit_test(test_footer_rules_match_full_files),
	    cmocka_unit_test(test_v1_file_and_corrupt_files),
	    cmocka_unit_test(test_iso_formats),
	    cmocka_unit_test(test_date_only_spans),
	    cmocka_unit_test(test_slashed_and_dotted),
	    cmocka_unit_test(test_invalid_inputs),
	    cmocka_unit_test(test_weekdays_and_hours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
