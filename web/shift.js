// Patrol shifts as the zones API writes them ("18:00"-"02:00" on a weekday
// mask, bit 0 = Monday, an end at or before the start running past midnight
// into the next day, as model/shift.h defines them), and whether two of
// them share some minute of the week. Pure functions; node tests them.

export const WEEKDAY_CODES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY = 1440;
const WEEK = 7 * DAY;

/* "18:30" -> 1110, "24:00" -> 1440; NaN for anything else. */
export function clockMinutes(text) {
	const m = /^(\d\d):(\d\d)$/.exec(String(text ?? ''));
	if (!m) return NaN;
	const v = Number(m[1]) * 60 + Number(m[2]);
	return Number(m[2]) < 60 && v <= DAY ? v : NaN;
}

export const clockText = (min) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

/* 7 booleans -> mask, and back. */
export const maskOf = (days) => days.reduce((m, on, i) => (on ? m | (1 << i) : m), 0);
export const daysOf = (mask) => WEEKDAY_CODES.map((_, i) => !!(mask & (1 << i)));

/* "fri,sat" for the API's weekdays text. */
export const weekdaysText = (mask) => WEEKDAY_CODES.filter((_, i) => mask & (1 << i)).join(',');

/* The minutes of the week a shift {start, end, mask} (start and end in
 * minutes) covers, as [from, to) spans inside 0..WEEK. */
export function shiftSpans({ start, end, mask }) {
	const len = end > start ? end - start : end + DAY - start;
	const spans = [];
	for (let d = 0; d < 7; d++) {
		if (!(mask & (1 << d))) continue;
		const a = d * DAY + start;
		const b = a + len;
		if (b <= WEEK) spans.push([a, b]);
		else spans.push([a, WEEK], [0, b - WEEK]);
	}
	return spans;
}

/* Whether shifts s and u share a minute of the week. */
export function shiftsMeet(s, u) {
	const a = shiftSpans(s);
	const b = shiftSpans(u);
	return a.some(([p, q]) => b.some(([r, z]) => p < z && r < q));
}

/* A zone assignment of the API as a shift; null when its times are unreadable. */
export function assignmentShift(a) {
	const start = clockMinutes(a?.shift_start);
	const end = clockMinutes(a?.shift_end);
	const mask = Number.isInteger(a?.weekdays_mask) ? a.weekdays_mask : 127;
	return Number.isFinite(start) && Number.isFinite(end) ? { start, end, mask } : null;
}

/* The hours filter of the tile API for a shift: the hours of which it covers
 * some minute ("18-02", hour granularity like the offences' times). */
export function shiftHours({ start, end }) {
	const from = Math.floor(start / 60) % 24;
	const to = Math.ceil((end === 0 ? DAY : end) / 60) % 24;
	if (from === to) return '';
	return `${String(from).padStart(2, '0')}-${String(to).padStart(2, '0')}`;
}
