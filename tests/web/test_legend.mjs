// The legend's pure part (web/legend.js) under node's test runner: the
// emerging hot and cold spots of GET /api/legend?layer=trends as a table
// of patterns by hot and cold.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { trendsTable } from '../../web/legend.js';

test('trendsTable: a row per pattern drawn, hot and cold side by side, in the patterns\' order', () => {
	const legend = {
		categories: [
			{ category: 'new hot spot', pattern: 1, hot: true, colour: '#fcbba1' },
			{ category: 'persistent hot spot', pattern: 4, hot: true, colour: '#99000d' },
			{ category: 'new cold spot', pattern: 1, hot: false, colour: '#c6dbef' },
			{ category: 'historical cold spot', pattern: 8, hot: false, colour: '#08306b' },
			{ category: 'no pattern', pattern: 0, hot: false, colour: '#ffffff' },
		],
	};
	assert.deepEqual(trendsTable(legend), [
		{ pattern: 'new', hot: '#fcbba1', cold: '#c6dbef' },
		{ pattern: 'persistent', hot: '#99000d', cold: null },
		{ pattern: 'historical', hot: null, cold: '#08306b' },
	]);
	assert.deepEqual(trendsTable(null), []);
});
