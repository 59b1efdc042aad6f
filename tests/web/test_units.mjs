// web/units.js under node: the age of a unit's last fix.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ageParts } from '../../web/units.js';

test('ages in the largest whole unit', () => {
	assert.deepEqual(ageParts(0), { key: 'units.now', n: 0 });
	assert.deepEqual(ageParts(59.9), { key: 'units.now', n: 0 });
	assert.deepEqual(ageParts(60), { key: 'units.min', n: 1 });
	assert.deepEqual(ageParts(3 * 60 + 59), { key: 'units.min', n: 3 });
	assert.deepEqual(ageParts(3599), { key: 'units.min', n: 59 });
	assert.deepEqual(ageParts(3600), { key: 'units.h', n: 1 });
	assert.deepEqual(ageParts(86399), { key: 'units.h', n: 23 });
	assert.deepEqual(ageParts(2 * 86400 + 5), { key: 'units.d', n: 2 });
});

test('a fix from the future is "now"', () => {
	assert.deepEqual(ageParts(-7733), { key: 'units.now', n: 0 });
});
