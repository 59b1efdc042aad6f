// web/compare.js under node: the comparison table's query, sorting and the
// classes of the coloured map.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { WITHIN_CHANCE, classColour, compareClasses, compareColouring, compareQuery, compareSort, dayText } from '../../web/compare.js';

test('the table counts whole days: hours and weekdays are left out and said so', () => {
	const f = new URLSearchParams({ from: '2026-11-08T01:00', to: '2026-12-08T00:59', hours: '20-08', weekdays: 'fri', categories: 'theft', district: 'D02' });
	const { query, partial } = compareQuery(f);
	assert.equal(query.toString(), 'from=2026-11-08&to=2026-12-08&categories=theft&district=D02');
	assert.equal(partial, true);
	assert.equal(compareQuery(new URLSearchParams({ from: '2026-11-08' })).partial, false);
	assert.equal(compareQuery(new URLSearchParams()).query.toString(), '', 'the server\'s default period');
});

test('sorting: by a measure either way, unknown values last, by name in the language', () => {
	const rows = [
		{ code: 'a', name_en: 'Bektemir', offences: 5, rate: null },
		{ code: 'b', name_en: 'Almazar', offences: 9, rate: 2 },
		{ code: 'c', name_en: 'Chilonzor', offences: 5, rate: 1 },
	];
	assert.deepEqual(compareSort(rows, 'offences', true).map((r) => r.code), ['b', 'a', 'c'], 'ties keep their order');
	assert.deepEqual(compareSort(rows, 'offences', false).map((r) => r.code), ['a', 'c', 'b']);
	assert.deepEqual(compareSort(rows, 'rate', true).map((r) => r.code), ['b', 'c', 'a']);
	assert.deepEqual(compareSort(rows, 'rate', false).map((r) => r.code), ['c', 'b', 'a'], 'unknown last both ways');
	assert.deepEqual(compareSort(rows, 'name', false, 'en').map((r) => r.code), ['b', 'a', 'c']);
	assert.deepEqual(rows.map((r) => r.code), ['a', 'b', 'c'], 'the rows are not changed');
});

test('counts in quantile classes, light to dark; equal values make one class', () => {
	const c = compareClasses([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 'offences');
	assert.equal(c.length, 5);
	assert.equal(c[0].from, 10);
	assert.equal(c[4].to, 100);
	assert.equal(classColour(c, 10), '#fef0d9');
	assert.equal(classColour(c, 100), '#b30000');
	assert.ok(c.every((k, i) => i === 0 || k.from >= c[i - 1].from));
	assert.equal(compareClasses([4, 4, 4], 'rate').length, 1);
	assert.deepEqual(compareClasses([null, NaN], 'rate'), []);
	assert.equal(classColour(c, null), null);
});

test('a change is centred on none: a rise is red and a fall blue, whatever the spread', () => {
	const c = compareClasses([-5, 40], 'change_previous');
	assert.equal(c.length, 5);
	assert.equal(c[0].from, -40);
	assert.equal(c[4].to, 40);
	assert.equal(classColour(c, 40), '#b2182b');
	assert.equal(classColour(c, -40), '#2166ac');
	assert.equal(classColour(c, 0), '#f7f7f7');
	assert.equal(classColour(c, -5), '#f7f7f7', 'a small fall is about the same');
});

test('only significant changes are coloured; the rest are within chance', () => {
	const rows = [
		{ code: 'a', change_previous: 100, significant_previous: false },
		{ code: 'b', change_previous: -60, significant_previous: true },
		{ code: 'c', change_previous: null, significant_previous: false },
	];
	const m = compareColouring(rows, 'change_previous');
	assert.equal(m.colour(rows[0]), WITHIN_CHANCE, '2 to 4 is not shouted as +100 %');
	assert.equal(m.colour(rows[1]), '#2166ac');
	assert.equal(m.colour(rows[2]), null, 'no base: unknown');
	assert.equal(m.within, true);
	assert.equal(m.classes[0].from, -60, 'classes of the significant changes');
	const counts = compareColouring(rows.map((r, i) => ({ ...r, offences: i })), 'offences');
	assert.equal(counts.within, false, 'counts have no chance to be within');
	assert.equal(counts.colour({ offences: 2 }), '#b30000');
});

test('dates as the viewer writes them', () => {
	assert.equal(dayText('2026-12-07'), '07.12.2026');
	assert.equal(dayText(''), '');
	assert.equal(dayText('bad'), 'bad');
});
