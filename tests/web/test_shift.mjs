// web/shift.js under node: shifts on the week's clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assignmentShift, clockMinutes, daysOf, maskOf, shiftHours, shiftsMeet, weekdaysText } from '../../web/shift.js';

const FRI = 1 << 4;
const SAT = 1 << 5;
const SUN = 1 << 6;
const MON = 1;

test('clock texts', () => {
	assert.equal(clockMinutes('18:30'), 1110);
	assert.equal(clockMinutes('24:00'), 1440);
	assert.ok(Number.isNaN(clockMinutes('24:30')));
	assert.ok(Number.isNaN(clockMinutes('7:00')));
	assert.ok(Number.isNaN(clockMinutes(undefined)));
});

test('weekday masks', () => {
	assert.equal(maskOf([false, false, false, false, true, true, true]), FRI | SAT | SUN);
	assert.deepEqual(daysOf(FRI | MON), [true, false, false, false, true, false, false]);
	assert.equal(weekdaysText(FRI | SAT), 'fri,sat');
});

test('shifts meet on a common minute of the week', () => {
	const friNight = { start: 1080, end: 120, mask: FRI }; /* Friday 18:00-02:00 */
	assert.ok(shiftsMeet(friNight, { start: 1200, end: 480, mask: FRI }), 'Friday 20-08');
	assert.ok(shiftsMeet(friNight, { start: 0, end: 60, mask: SAT }), 'Saturday 00-01 is Friday night');
	assert.ok(!shiftsMeet(friNight, { start: 480, end: 1080, mask: FRI | SAT }), 'day shifts ending at 18:00');
	assert.ok(!shiftsMeet(friNight, { start: 1080, end: 120, mask: MON }), 'Monday night');
	assert.ok(!shiftsMeet(friNight, { start: 120, end: 480, mask: SAT }), 'ends where it starts');
	/* Sunday night runs into Monday morning across the week's end */
	assert.ok(shiftsMeet({ start: 1320, end: 360, mask: SUN }, { start: 0, end: 60, mask: MON }));
	assert.ok(shiftsMeet({ start: 0, end: 1440, mask: SAT }, friNight), 'a whole day');
});

test('assignments of the API', () => {
	assert.deepEqual(assignmentShift({ shift_start: '18:00', shift_end: '02:00', weekdays_mask: 112 }), { start: 1080, end: 120, mask: 112 });
	assert.equal(assignmentShift({ shift_start: 'x', shift_end: '02:00' }), null);
	assert.equal(assignmentShift({ shift_start: '08:00', shift_end: '20:00' }).mask, 127, 'every day by default');
});

test('the tiles hours filter of a shift', () => {
	assert.equal(shiftHours({ start: 1080, end: 120 }), '18-02');
	assert.equal(shiftHours({ start: 510, end: 1200 }), '08-20', 'a half hour widens to the hour');
	assert.equal(shiftHours({ start: 0, end: 1440 }), '');
	assert.equal(shiftHours({ start: 1080, end: 0 }), '18-00');
});
