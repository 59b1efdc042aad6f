/*
 * Dates, times, weekdays, hours and shifts as files and requests spell
 * them. Input: a selector byte (zone and date order), then up to three
 * lines: date, time, and the text of the weekday, hour and shift parsers.
 */
#include "dosage.h"
#include "shift.h"
#include "timeparse.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const zones[] = {"Asia/Tashkent", "UTC", "Europe/London", "America/New_York"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tz *tzs[4];
	if (!tzs[0])
		for (int i = 0; i < 4; i++)
			if (tz_open(zones[i], &tzs[i]) < 0)
				abort();
	if (size < 1)
		return 0;
	const tz *z = tzs[data[0] & 3];
	enum date_order order = (enum date_order)((data[0] >> 2) % 3);
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	char *date = text, *time = NULL, *other = NULL;
	char *nl = strchr(date, '\n');
	if (nl) {
		*nl = '\0';
		time = nl + 1;
		if ((nl = strchr(time, '\n'))) {
			*nl = '\0';
			other = nl + 1;
		}
	}

	struct time_span span;
	if (timeparse_parse(z, date, time, order, &span) == 0) {
		assert(span.from <= span.to);
		char buf[21];
		timeparse_utc_text(span.from, buf, sizeof buf);
		timeparse_utc_text(span.to, buf, sizeof buf);
		tz_offset_at(z, span.from);
	}
	const char *words = other ? other : date;
	unsigned days;
	uint32_t hours;
	struct shift sh;
	long day;
	if (timeparse_weekdays(words, &days) == 0)
		assert(days < 1u << 7);
	timeparse_hours(words, &hours);
	shift_parse(words, time, &sh);
	dosage_day(z, "date", words, &day);
	free(text);
	return 0;
}
