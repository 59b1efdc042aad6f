// web/identify.js under node: how far the drawn offence symbols reach, the
// addresses a click hits and the local time or span of an offence.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { addressesAt, clickReach, countLabel, radiusAt, symbolReach, whenText } from '../../web/identify.js';

const STOPS = [[14, 2.5], [18, 5]]; /* styles/default.json */

test('the dot radius follows the style between and beyond its stops', () => {
	assert.equal(radiusAt(STOPS, 13), 2.5);
	assert.equal(radiusAt(STOPS, 14), 2.5);
	assert.equal(radiusAt(STOPS, 16), 3.75);
	assert.equal(radiusAt(STOPS, 18), 5);
	assert.equal(radiusAt(STOPS, 19), 5);
	assert.equal(radiusAt([[0, 4]], 17), 4);
	assert.equal(radiusAt([], 17), 0);
});

test('symbols reach as tiles/points.c draws them', () => {
	assert.equal(symbolReach(1, 4), 4);
	/* two to five dots sit on a ring of two radii */
	assert.equal(symbolReach(2, 4), 12);
	assert.equal(symbolReach(5, 4), 12);
	/* eight: a wider ring, 2.4 r 8 / 2π */
	assert.ok(Math.abs(symbolReach(8, 4) - (2.4 * 4 * 8) / (2 * Math.PI) - 4) < 1e-12);
	/* nine or more: one dot sized for its count */
	assert.ok(Math.abs(symbolReach(9, 4) - 4 * (1.8 + 0.35)) < 1e-12);
	assert.ok(Math.abs(symbolReach(120, 4) - 4 * (1.8 + 0.35 * 3)) < 1e-12);
	assert.equal(countLabel(999), '999');
	assert.equal(countLabel(1234), '1.2k');
	assert.equal(countLabel(12345), '12k');
	/* the click's reach covers every symbol, with a little tolerance */
	for (const n of [1, 2, 5, 8, 9, 99, 5000]) assert.ok(symbolReach(n, 4) < clickReach(4));
});

/* Points as GeoJSON; distances in px are 10 per 0.001° of longitude. */
const feature = (id, lon, lat, from, extra = {}) => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates: [lon, lat] },
	properties: { id, from, to: from, precision: 'minute', ...extra },
});
const dist = (lon) => Math.abs(lon - 69.25) * 1e4;

test('offences at one address are one group, nearest address first', () => {
	const fs = [
		feature('far', 69.2535, 41.3, '2026-06-01T10:00:00Z'),
		feature('a1', 69.2502, 41.3, '2026-05-01T10:00:00Z', { address: 'Navoiy 5' }),
		feature('b1', 69.2501, 41.3, '2026-05-03T10:00:00Z'),
		feature('a2', 69.2502, 41.3, '2026-06-02T10:00:00Z'),
	];
	const hits = addressesAt(fs, dist, 4, false);
	assert.deepEqual(hits.map((g) => g.offences.map((p) => p.id)), [['b1'], ['a2', 'a1']]);
	assert.equal(hits[1].address, 'Navoiy 5', 'the address of any offence there');
	assert.equal(hits[0].address, null);
});

test('an address counts only when its symbols reach the click', () => {
	/* one dot 7 px away: radius 4 + 3 px tolerance reaches it, 7.5 px does not */
	assert.equal(addressesAt([feature('x', 69.2507, 41.3, null)], dist, 4, false).length, 1);
	assert.equal(addressesAt([feature('x', 69.25075, 41.3, null)], dist, 4, false).length, 0);
	/* two there: their ring reaches 12 + 3 px */
	const two = [feature('x', 69.2514, 41.3, null), feature('y', 69.2514, 41.3, null)];
	assert.equal(addressesAt(two, dist, 4, false).length, 1);
	/* a full page may have cut an address short: it may be a full ring */
	const one = [feature('x', 69.2514, 41.3, null)];
	assert.equal(addressesAt(one, dist, 4, false).length, 0);
	assert.equal(addressesAt(one, dist, 4, true).length, 1);
	assert.deepEqual(addressesAt([], dist, 4, false), []);
	assert.deepEqual(addressesAt([{ type: 'Feature', geometry: null, properties: {} }], dist, 4, false), []);
});

/* The district's time zone, as app.js's zoned() gives it. */
function zoned(ms) {
	const f = new Intl.DateTimeFormat('en-GB', {
		timeZone: 'Asia/Tashkent', year: 'numeric', month: '2-digit', day: '2-digit',
		hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
	});
	return Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
}

test('times are local, spans are from – to', () => {
	const at = (from, to, precision) => whenText({ from, to, precision }, zoned);
	assert.equal(at('2026-06-02T17:05:00Z', '2026-06-02T17:05:00Z', 'minute'), '02.06.2026 22:05');
	assert.equal(at('2026-06-02T17:00:00Z', '2026-06-03T01:30:59Z', 'span'), '02.06.2026 22:00 – 03.06.2026 06:30');
	assert.equal(at('2026-06-02T03:00:00Z', '2026-06-02T08:15:59Z', 'span'), '02.06.2026 08:00 – 13:15');
	assert.equal(at('2026-06-01T19:00:00Z', '2026-06-02T18:59:59Z', 'day'), '02.06.2026');
	assert.equal(at('2026-05-31T19:00:00Z', '2026-06-30T18:59:59Z', 'month'), '06.2026');
	assert.equal(at('2025-12-31T19:00:00Z', '2026-12-31T18:59:59Z', 'year'), '2026');
	assert.equal(at(null, null, 'unknown'), null);
});
