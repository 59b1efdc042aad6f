// web/wall.js under node: the view in the URL, the stream's status by
// silence, the feed's order and length, today against yesterday, the
// reconnection backoff, the map's scale on a large screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { backoffMs, compareYesterday, dayWindows, feedMerge, liveStatus, queryOfView, viewFromQuery, wallTileScale } from '../../web/wall.js';

test('the URL names the filters and layers, and round-trips', () => {
	const v = viewFromQuery('?wall=1&period=7d&hours=20-08&weekdays=fri-sun&categories=theft,robbery&layers=zones');
	assert.deepEqual(v, {
		period: '7d',
		hourFrom: 20,
		hourTo: 8,
		weekdays: [false, false, false, false, true, true, true],
		categories: ['theft', 'robbery'],
		layers: { zones: true },
	});
	const q = queryOfView({ ...v, hourFrom: 20, hourTo: 8 }, true, { lang: 'ru' });
	assert.equal(q, 'wall=1&period=7d&hours=20-08&weekdays=fri%2Csat%2Csun&categories=theft%2Crobbery&layers=zones&lang=ru');
	assert.deepEqual(viewFromQuery(q), v);
	assert.deepEqual(viewFromQuery('from=2026-01-01&to=2026-01-31'), { period: 'custom', from: '2026-01-01', to: '2026-01-31' });
	/* Nonsense is ignored, not guessed. */
	assert.deepEqual(viewFromQuery('period=1y&hours=25-3&weekdays=xyz&from=yesterday'), {});
	assert.equal(queryOfView({ period: '24h', hourFrom: '', hourTo: '', weekdays: Array(7).fill(true), layers: {} }, false), 'period=24h');
});

test('the status by the stream\'s silence: amber past a minute, red past five', () => {
	const t0 = 1_700_000_000_000;
	assert.deepEqual(liveStatus(t0 + 59_000, t0, true), { level: 'ok', reason: null, quietMs: 59_000 });
	assert.deepEqual(liveStatus(t0 + 60_000, t0, true), { level: 'ok', reason: null, quietMs: 60_000 });
	assert.deepEqual(liveStatus(t0 + 61_000, t0, true), { level: 'amber', reason: 'silent', quietMs: 61_000 });
	assert.deepEqual(liveStatus(t0 + 61_000, t0, false), { level: 'amber', reason: 'disconnected', quietMs: 61_000 });
	assert.equal(liveStatus(t0 + 300_000, t0, false).level, 'amber');
	assert.deepEqual(liveStatus(t0 + 300_001, t0, false), { level: 'red', reason: 'disconnected', quietMs: 300_001 });
	/* A short drop is not an alarm. */
	assert.equal(liveStatus(t0 + 5_000, t0, false).level, 'ok');
});

test('the feed: newest first, one row per offence, at most ten', () => {
	let feed = [];
	for (let i = 0; i < 12; i++) feed = feedMerge(feed, [{ id: `o${i}`, time: 1000 * i }]);
	assert.equal(feed.length, 10);
	assert.deepEqual(feed.map((r) => r.id), ['o11', 'o10', 'o9', 'o8', 'o7', 'o6', 'o5', 'o4', 'o3', 'o2']);
	/* A late report older than the whole feed stays out; one in between goes in its place. */
	feed = feedMerge(feed, [{ id: 'late', time: 500 }, { id: 'mid', time: 7500 }]);
	assert.deepEqual(feed.slice(3, 6).map((r) => r.id), ['o8', 'mid', 'o7']);
	assert.ok(!feed.some((r) => r.id === 'late'));
	/* The same offence again (changed) replaces its row. */
	feed = feedMerge(feed, [{ id: 'o11', time: 11000, category: 'theft' }]);
	assert.equal(feed.filter((r) => r.id === 'o11').length, 1);
	assert.equal(feed[0].category, 'theft');
	assert.deepEqual(feedMerge([], [], 3), []);
	/* Of two offences in the same second, the one heard of last leads. */
	feed = feedMerge(feedMerge([], [{ id: 'zz-first', time: 5000 }]), [{ id: 'aa-then', time: 5000 }]);
	assert.deepEqual(feed.map((r) => r.id), ['aa-then', 'zz-first']);
});

test('today against the same hours yesterday', () => {
	assert.deepEqual(compareYesterday(12, 8), { today: 12, yesterday: 8, diff: 4, pct: 50, dir: 'up' });
	assert.deepEqual(compareYesterday(3, 4), { today: 3, yesterday: 4, diff: -1, pct: -25, dir: 'down' });
	assert.deepEqual(compareYesterday(5, 0), { today: 5, yesterday: 0, diff: 5, pct: null, dir: 'up' });
	assert.deepEqual(compareYesterday(0, 0), { today: 0, yesterday: 0, diff: 0, pct: null, dir: 'same' });
	/* The summary's totals are numbers, possibly fractional or missing. */
	assert.deepEqual(compareYesterday(2.0000001, undefined), { today: 2, yesterday: 0, diff: 2, pct: null, dir: 'up' });
	assert.deepEqual(dayWindows({ year: '2026', month: '03', day: '01', hour: '09', minute: '05' }), {
		today: { from: '2026-03-01T00:00', to: '2026-03-01T09:05' },
		yesterday: { from: '2026-02-28T00:00', to: '2026-02-28T09:05' },
	});
	assert.equal(dayWindows({ year: '2026', month: '01', day: '01', hour: '00', minute: '00' }).yesterday.from, '2025-12-31T00:00');
});

test('reconnection waits 1 s, doubling to a minute', () => {
	assert.deepEqual([0, 1, 2, 3, 5, 6, 7, 50].map(backoffMs), [1000, 2000, 4000, 8000, 32000, 60000, 60000, 60000]);
});

test('a large screen at one device pixel a CSS pixel draws the map twice as large', () => {
	assert.equal(wallTileScale(1920, 1080, 1), 1);
	assert.equal(wallTileScale(2560, 1440, 1), 1, 'QHD: still near 1920x1080');
	assert.equal(wallTileScale(3840, 2160, 1), 2, '4K at 100 %');
	assert.equal(wallTileScale(3840, 1080, 1), 1, 'a wide strip of two screens: as tall as one');
	assert.equal(wallTileScale(3840, 2160, 2), 1, 'its own pixels are already dense');
});
