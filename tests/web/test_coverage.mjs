// web/coverage.js under node: the queries of the coverage panel and the
// dosage view, and the status colours taken from the style's legend.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { coverageQuery, dosageQuery, lastTrackDay, statusColours, weekdayOf } from '../../web/coverage.js';

const ARG = { shift: '18:00-02:00', weekdays: 'fri,sat,sun', from: '2026-09-01', to: '2026-10-26' };

test('coverage of the planner\'s shift and period, on a date when given', () => {
	assert.equal(coverageQuery(ARG, '').toString(), 'shift=18%3A00-02%3A00&weekdays=fri%2Csat%2Csun&from=2026-09-01&to=2026-10-26');
	assert.equal(coverageQuery(ARG, '2026-11-02').get('date'), '2026-11-02');
});

test('weekdays of local dates', () => {
	assert.equal(weekdayOf('2026-11-25'), 'wed');
	assert.equal(weekdayOf('2026-11-29'), 'sun');
	assert.equal(weekdayOf('2026-11-30'), 'mon');
	assert.equal(weekdayOf('2024-02-29'), 'thu');
});

test('dosage of the shift as it started on the date', () => {
	const q = dosageQuery(ARG, '2026-11-25', 12.5);
	assert.equal(q.get('shift'), '18:00-02:00');
	assert.equal(q.get('weekdays'), 'wed', 'the day\'s own weekday, not the plan\'s');
	assert.equal(q.get('date'), '2026-11-25');
	assert.equal(q.get('target'), '12.5');
	assert.equal(dosageQuery(ARG, '2026-11-25', NaN).has('target'), false, 'an empty target: the server\'s default');
	assert.equal(dosageQuery(ARG, '2026-11-25', 0).has('target'), false);
});

test('the day of the last shift over by the last fix, in the district\'s day', () => {
	const tashkent = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tashkent' }).format(new Date(ms));
	const fc = { features: [
		{ properties: { unit: 'A', time: '2026-11-24T10:00:00Z' } },
		{ properties: { unit: 'B', time: '2026-11-24T20:30:00Z' } }, /* 01:30 on the 25th in Tashkent */
		{ properties: { unit: 'C', time: 'never' } },
	] };
	/* the last fix at 01:30 on the 25th: the night shift that began on the
	 * 24th ends at 02:00, the one of the 23rd had ended; the day shift of
	 * the 24th had too */
	assert.equal(lastTrackDay(fc, tashkent, '18:00-02:00'), '2026-11-23');
	assert.equal(lastTrackDay(fc, tashkent, '08:00-20:00'), '2026-11-24');
	assert.equal(lastTrackDay(fc, tashkent, '00:00-01:00'), '2026-11-25');
	assert.equal(lastTrackDay(fc, tashkent, '00:00-02:00'), '2026-11-24');
	assert.equal(lastTrackDay({ features: [] }, tashkent, '18:00-02:00'), null);
	assert.equal(lastTrackDay(null, tashkent, '18:00-02:00'), null);
});

test('status colours come from the legend: known statuses only, as #rrggbb', () => {
	const into = { gap: '#000000', joint: '#000000' };
	const legend = { statuses: [{ status: 'gap', colour: '#E31A1CFF' }, { status: 'joint', colour: 'blue' }, { status: 'other', colour: '#123456' }] };
	assert.deepEqual(statusColours(into, legend), { gap: '#e31a1c', joint: '#000000' });
	assert.deepEqual(statusColours(into, null), { gap: '#e31a1c', joint: '#000000' });
});
