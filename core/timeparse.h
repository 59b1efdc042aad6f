/*
 * timeparse: dates and times as they come in real files, to UTC seconds.
 *
 * Owns time-zone conversion (TZif files of the system's tzdata, read once per
 * zone, no process-global TZ switching, so it is thread-safe after tz_open)
 * and the parsing of the date/time spellings found in police and open-data
 * exports: "2021-11-11" with "15:04:00" in another column, "2021-11-11T15:04",
 * "2021-11-11 15:04:00+05:00", "1/1/2010" (month first), "11.11.2021" (day
 * first), "2018-01" (month precision), "2018" (year precision). A value
 * without a UTC offset is local time in the given zone. The result is the span
 * of UTC seconds the value denotes, so a month stays a month:
 * "2018-01" in Europe/London is 2018-01-01T00:00:00Z .. 2018-01-31T23:59:59Z.
 */
#ifndef POSBON_TIMEPARSE_H
#define POSBON_TIMEPARSE_H

#include <stddef.h>
#include <stdint.h>

typedef struct tz tz;

/* Opens the IANA zone name ("Asia/Tashkent", "UTC") from $TZDIR or
 * /usr/share/zoneinfo. *out is new; free with tz_free(). ERR_INVALID with the
 * name when the zone does not exist. */
int tz_open(const char *name, tz **out);

void tz_free(tz *z);

/* The zone's name as opened; borrowed. */
const char *tz_name(const tz *z);

/* UTC seconds of a local wall-clock time given as seconds since 1970-01-01
 * 00:00 of the local calendar. A time in a gap (spring forward) is read
 * with the offset before the jump, as a clock not yet set forward would show
 * it (London 2018-03-25 01:30 -> 01:30Z, i.e. 02:30 BST); a time in an
 * overlap (fall back) is the earlier instant. */
int64_t tz_local_to_utc(const tz *z, int64_t local);

/* Offset from UTC in seconds at a UTC instant (+18000 in Tashkent). */
int tz_offset_at(const tz *z, int64_t utc);

/* The local date at a UTC instant, as days since 1970-01-01. */
int64_t tz_local_day(const tz *z, int64_t utc);

/* How precisely a time is known: a parsed value spans from..to. */
enum time_precision {
	PREC_UNKNOWN = 0,
	PREC_SECOND,
	PREC_MINUTE,
	PREC_HOUR,
	PREC_DAY,
	PREC_MONTH,
	PREC_YEAR,
	PREC_SPAN, /* known only to lie between two times */
};

/* Stable name, as stored in offences.time_precision ("minute", "month"). */
const char *time_precision_name(enum time_precision p);

/* Which of day and month comes first in slashed or dotted dates. */
enum date_order {
	DATE_ORDER_AUTO, /* slashes month first (1/31/2010), dots day first (31.01.2010);
	                    a first number over 12 decides by itself */
	DATE_ORDER_DMY,
	DATE_ORDER_MDY,
};

struct time_span {
	int64_t from, to; /* UTC seconds, inclusive; equal for an exact time */
	enum time_precision precision;
};

/* Parses date (which may also hold a time) and an optional separate time
 * (NULL or "" when absent). Surrounding spaces are ignored. Returns 0, or
 * ERR_INVALID with a message quoting the value that could not be read. */
int timeparse_parse(const tz *z, const char *date, const char *time, enum date_order order,
                    struct time_span *out);

/* Weekdays as a bitmask (bit 0 = Monday) from "mon-fri", "fri,sat,sun",
 * "1-5" (1 = Monday), Uzbek Latin ("du", "ju", "sha") and Russian
 * transliterated ("pn", "pt", "sb") names; "daily", "all", empty or NULL mean
 * every day. Ranges wrap ("fri-mon"). ERR_INVALID quoting the text. */
int timeparse_weekdays(const char *text, unsigned *mask);

/* Hours of the day as a bitmask (bit h = the hour starting at h:00) from
 * "20-08" (20:00 to 08:00, across midnight), "8-20", "22" (one hour) or a
 * comma list of those; empty or NULL mean every hour. ERR_INVALID quoting
 * the text. */
int timeparse_hours(const char *text, uint32_t *mask);

/* UTC seconds as "2026-06-30T19:00:00Z" into buf (at least 21 bytes);
 * returns buf. */
char *timeparse_utc_text(int64_t t, char *buf, size_t n);

#endif
