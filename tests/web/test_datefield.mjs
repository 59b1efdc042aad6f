// web/datefield.js under node: dates and times as typed, read the office's
// way (dd.mm.yyyy, 24-hour HH:MM) whatever the browser's locale.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatDate, formatTime, parseDate, parseTime, stepDate, stepTime } from '../../web/datefield.js';

test('dates: dd.mm.yyyy, its short forms and ISO', () => {
	assert.equal(parseDate('07.12.2026'), '2026-12-07');
	assert.equal(parseDate('7.2.2026'), '2026-02-07');
	assert.equal(parseDate(' 07/12/2026 '), '2026-12-07');
	assert.equal(parseDate('07-12-26'), '2026-12-07', 'a two-digit year is of this century');
	assert.equal(parseDate('07122026'), '2026-12-07', 'digits alone');
	assert.equal(parseDate('2026-12-07'), '2026-12-07', 'ISO, as pasted');
	assert.equal(parseDate(''), '', 'empty is no date, not a bad one');
	assert.equal(parseDate('29.02.2028'), '2028-02-29', 'a leap year');
});

test('dates that do not exist are refused', () => {
	for (const s of ['31.02.2026', '29.02.2026', '31.04.2026', '00.01.2026', '01.13.2026', '12/06/2026x', '2026-02-30', 'tomorrow', '1.1.1850', '12.06'])
		assert.equal(parseDate(s), null, s);
});

test('times: 24-hour HH:MM and its short forms', () => {
	assert.equal(parseTime('18:30'), '18:30');
	assert.equal(parseTime('6:05'), '06:05');
	assert.equal(parseTime('1830'), '18:30');
	assert.equal(parseTime('830'), '08:30');
	assert.equal(parseTime('18'), '18:00');
	assert.equal(parseTime('18.30'), '18:30');
	assert.equal(parseTime(''), '');
	for (const s of ['24:00', '18:60', '6 PM', '06:00 PM', '1:2', 'x']) assert.equal(parseTime(s), null, s);
});

test('shown as dd.mm.yyyy and HH:MM', () => {
	assert.equal(formatDate('2026-12-07'), '07.12.2026');
	assert.equal(formatDate(''), '');
	assert.equal(formatTime('6:00'), '06:00');
	assert.equal(formatTime(''), '');
});

test('the arrows step the part under the caret', () => {
	assert.equal(stepDate('2026-01-31', 0, 1), '2026-02-01', 'a day on, into the next month');
	assert.equal(stepDate('2026-01-31', 1, 1), '2026-02-28', 'a month on: its last day');
	assert.equal(stepDate('2026-01-15', 1, -1), '2025-12-15', 'a month back, into the year before');
	assert.equal(stepDate('2028-02-29', 2, 1), '2029-02-28');
	assert.equal(stepTime('23:30', 0, 1), '00:30', 'round the clock');
	assert.equal(stepTime('00:00', 1, -1), '23:59');
});
