// web/print.js under node: links to printed maps.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { planPrintUrl, printUrl } from '../../web/print.js';

test('a mahalla with the viewer\'s language, filters and layers', () => {
	const filter = new URLSearchParams({ from: '2026-10-27T13:00', to: '2026-11-25T12:59', hours: '18-02' });
	const u = new URL(printUrl('mahalla', 'M01', filter, { lang: 'ru', layers: ['mahallas', 'heatmap', 'districts'] }), 'http://x/');
	assert.equal(u.pathname, '/print/mahalla/M01.pdf');
	assert.equal(u.searchParams.get('lang'), 'ru');
	assert.equal(u.searchParams.get('from'), '2026-10-27T13:00');
	assert.equal(u.searchParams.get('hours'), '18-02');
	assert.equal(u.searchParams.get('layers'), 'districts,mahallas,heatmap', 'in drawing order');
	for (const k of ['paper', 'landscape', 'atlas']) assert.equal(u.searchParams.has(k), false, k);
	assert.equal(filter.has('lang'), false, 'the filter is not changed');
});

test('a district on A3 landscape as an atlas; layers a page cannot draw are left out', () => {
	const u = new URL(printUrl('district', 'TSH 1/2', new URLSearchParams(), { lang: 'uz', layers: ['units', 'zones', 'trends', 'gistar'], paper: 'a3', landscape: true, atlas: true }), 'http://x/');
	assert.equal(u.pathname, '/print/district/TSH%201%2F2.pdf');
	assert.equal(u.searchParams.get('layers'), 'gistar,trends,zones');
	assert.equal(u.searchParams.get('paper'), 'a3');
	assert.equal(u.searchParams.get('landscape'), '1');
	assert.equal(u.searchParams.get('atlas'), '1');
});

test('the ground goes first, under every layer', () => {
	const u = new URL(printUrl('mahalla', 'M01', new URLSearchParams(), { layers: ['heatmap', 'base', 'mahallas'] }), 'http://x/');
	assert.equal(u.searchParams.get('layers'), 'base,mahallas,heatmap');
});

test('no layers shown: the page\'s own default', () => {
	const u = new URL(printUrl('mahalla', 'M02', new URLSearchParams(), { lang: 'en', layers: [] }), 'http://x/');
	assert.equal(u.searchParams.has('layers'), false);
});

test('the planner\'s prints: coverage and roster of the shift, period, date and language', () => {
	const arg = { shift: '18:00-02:00', weekdays: 'fri,sat', from: '2026-10-01', to: '2026-11-25' };
	const u = new URL(planPrintUrl('roster', 'csv', arg, { date: '2026-11-30', lang: 'uz' }), 'http://x/');
	assert.equal(u.pathname, '/print/roster.csv');
	assert.deepEqual(Object.fromEntries(u.searchParams), { shift: '18:00-02:00', weekdays: 'fri,sat', from: '2026-10-01', to: '2026-11-25', date: '2026-11-30', lang: 'uz' });
	const c = new URL(planPrintUrl('coverage', 'pdf', arg), 'http://x/');
	assert.equal(c.pathname, '/print/coverage.pdf');
	assert.equal(c.searchParams.has('date'), false, 'no date: every zone');
	assert.equal(c.searchParams.has('lang'), false);
});
