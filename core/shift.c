#include "shift.h"

#include "err.h"
#include "timeparse.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* "HH" or "HH:MM" at *p; advances *p. max is the largest minute allowed. */
static int read_clock(const char **p, int max, int *minutes)
{
	const char *s = *p;
	int h = 0, m = 0, digits = 0;
	while (isdigit((unsigned char)*s) && digits < 2)
		h = h * 10 + (*s++ - '0'), digits++;
	if (!digits)
		return -1;
	if (*s == ':') {
		s++;
		if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
			return -1;
		m = (s[0] - '0') * 10 + (s[1] - '0');
		s += 2;
	}
	if (h > 24 || m > 59 || h * 60 + m > max)
		return -1;
	*minutes = h * 60 + m;
	*p = s;
	return 0;
}

int shift_parse(const char *hours, const char *weekdays, struct shift *out)
{
	struct shift s = SHIFT_WHOLE_DAY;
	if (hours && *hours) {
		const char *p = hours;
		if (read_clock(&p, CIVIL_MINUTES_PER_DAY - 1, &s.start) < 0 || *p++ != '-' ||
		    read_clock(&p, CIVIL_MINUTES_PER_DAY, &s.end) < 0 || *p)
			return err_set_field(ERR_INVALID, "shift",
			                     "shift: '%s' is not START-END in hours of the day, "
			                     "e.g. 18:00-02:00 or 18-02 (00:00 to 24:00)",
			                     hours);
	}
	if (timeparse_weekdays(weekdays, &s.weekdays) < 0)
		return err_set_field(ERR_INVALID, "weekdays", "weekdays: %s", err_msg());
	*out = s;
	return 0;
}

/* Minutes since the start of the shift's first day at which the hour's
 * middle lies in the shift, or -1. */
static int shift_minute(const struct shift *s, int hour)
{
	int m = hour * 60 + 30;
	if (s->end > s->start)
		return m >= s->start && m < s->end ? m : -1;
	if (m >= s->start)
		return m;
	return m < s->end ? m + CIVIL_MINUTES_PER_DAY : -1;
}

int shift_match(const struct shift *s, int hour, int weekday)
{
	if (hour < 0 || hour > 23)
		return 0;
	int m = shift_minute(s, hour);
	if (m < 0)
		return 0;
	if (s->weekdays == CIVIL_ALL_WEEKDAYS)
		return 1;
	if (weekday < 0 || weekday > 6)
		return 0;
	int start_day = m >= CIVIL_MINUTES_PER_DAY ? (weekday + 6) % 7 : weekday;
	return (int)(s->weekdays >> start_day & 1);
}

uint32_t shift_hours(const struct shift *s)
{
	uint32_t mask = 0;
	for (int h = 0; h < 24; h++)
		if (shift_minute(s, h) >= 0)
			mask |= 1u << h;
	return mask;
}

void shift_week(const struct shift *s, uint64_t week[SHIFT_WEEK_WORDS])
{
	memset(week, 0, SHIFT_WEEK_WORDS * sizeof *week);
	for (int h = 0; h < SHIFT_WEEK_HOURS; h++)
		if (shift_match(s, h % 24, h / 24))
			week[h / 64] |= 1ull << (h % 64);
}

int shift_minutes(const struct shift *s)
{
	return s->end > s->start ? s->end - s->start : s->end + CIVIL_MINUTES_PER_DAY - s->start;
}

void shift_format(const struct shift *s, char *buf, size_t n)
{
	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	size_t len = (size_t)snprintf(buf, n, "%02d:%02d-%02d:%02d", s->start / 60, s->start % 60,
	                              s->end / 60, s->end % 60);
	const char *sep = " ";
	for (int d = 0; d < 7 && s->weekdays != CIVIL_ALL_WEEKDAYS; d++) {
		if (!(s->weekdays >> d & 1) || len >= n)
			continue;
		len += (size_t)snprintf(buf + len, n - len, "%s%s", sep, days[d]);
		sep = ",";
	}
}
