/*
 * shift: a patrol shift as planners name it, and which offences fall in it.
 *
 * A shift runs from a start to an end minute of the local day on the
 * weekdays it starts on; an end at or before the start runs past midnight
 * into the next day, so "Friday 18:00-02:00" holds Saturday 01:30. The
 * fields mean what struct shapes_assignment's mean (shift_start, shift_end,
 * weekdays), so zones' assignments and shifts compare directly.
 *
 * Hour granularity: offences keep their local hour only (dataset.h), so an
 * offence of hour h (h:00 to h:59) is in a shift when the middle of its
 * hour, h:30, is: start <= h:30 < end on the shift's clock (start included,
 * end excluded). Whole-hour shifts take exactly their hours (18:00-02:00:
 * hours 18 to 01); a shift starting or ending on a half hour takes the
 * hours it covers at least half of, the hour starting at its start when
 * that is exactly half. The day is the one the shift started on: the part
 * after midnight belongs to the previous day's shift.
 *
 * Offences known only as a span count aoristically (dataset.h): a shift is
 * also a mask of the hours of the week, hour h of day d being in it when
 * shift_match(s, h, d), and an offence weighs the share of its span that
 * falls in those hours (dataset_filter_shift()). A 24-hour shift on every
 * day restricts nothing.
 *
 * The one shift type: planners' shifts, zones' assignments (store.h) and
 * the shifts zones are drawn for (shapes.h) all hold a struct shift.
 *
 * Plain values; no state, re-entrant.
 */
#ifndef POSBON_SHIFT_H
#define POSBON_SHIFT_H

#include "civil.h"

#include <stddef.h>
#include <stdint.h>

#define SHIFT_WEEK_HOURS 168
#define SHIFT_WEEK_WORDS 3 /* uint64_t words of an hours-of-week mask */

struct shift {
	int start, end;    /* minutes after midnight, 0..1439 and 0..1440; end <= start
	                      crosses midnight (end == start: 24 hours) */
	unsigned weekdays; /* days the shift starts on, bit 0 = Monday ... bit 6 = Sunday */
};

/* Around the clock on every day: what no shift given means. */
#define SHIFT_WHOLE_DAY ((struct shift){0, CIVIL_MINUTES_PER_DAY, CIVIL_ALL_WEEKDAYS})

/* How long s runs, in minutes (1..1440; end == start is 24 hours). */
int shift_minutes(const struct shift *s);

/* Parses hours ("18:00-02:00", "18-02", "08:30-20:00"; end "24:00" is the
 * end of the day) and weekdays (as timeparse_weekdays() reads them: "fri",
 * "mon-fri", "fri-sun"). hours NULL or "" is the whole day (00:00-24:00);
 * weekdays NULL or "" every day. ERR_INVALID naming the field as the first
 * word ("shift: '25:00-03:00' ...", "weekdays: ..."). */
int shift_parse(const char *hours, const char *weekdays, struct shift *out);

/* Whether an offence of local hour (0..23) on local weekday (0 = Monday)
 * falls in s, by the rule above. An unknown hour (outside 0..23) never
 * does; an unknown weekday only when s runs on every day. */
int shift_match(const struct shift *s, int hour, int weekday);

/* Hours of the day (bit h = hour h) of which some fall in s, whatever the
 * day: a cheap first filter (struct dataset_filter hours). */
uint32_t shift_hours(const struct shift *s);

/* The hours of the week in s (bit d * 24 + h, d = 0 Monday) into week. */
void shift_week(const struct shift *s, uint64_t week[SHIFT_WEEK_WORDS]);

/* "18:00-02:00 fri,sat" (no days when every day) into buf of n bytes. */
void shift_format(const struct shift *s, char *buf, size_t n);

#endif
