// web/analysis.js, web/backtest.js, web/trends.js and web/suggest.js under node:
// the queries of Gi*, the backtest, the trends and the suggested plan, the
// backtest's rows, the trends' legend, the Gi* legend's rows, next Monday
// and the comparison of the suggested plan with the current zones.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { GISTAR_BINS, gistarQuery, gistarRows } from '../../web/analysis.js';
import { BACKTEST_MEASURES, backtestQuery, backtestRows } from '../../web/backtest.js';
import { nextMonday, planQuery, planRows } from '../../web/suggest.js';
import { TRENDS_PATTERNS, trendsColour, trendsLabel, trendsQuery, trendsRows } from '../../web/trends.js';

test('the Gi* query is the filter, with fdr=true only when asked', () => {
	const filter = new URLSearchParams({ from: '2026-10-01', to: '2026-11-25', hours: '18-02' });
	assert.equal(gistarQuery(filter, false).toString(), 'from=2026-10-01&to=2026-11-25&hours=18-02');
	assert.equal(gistarQuery(filter, true).get('fdr'), 'true');
	assert.equal(filter.has('fdr'), false, 'the filter is not changed');
});

test('the Gi* rows: hot 99% to cold 99% with the answer\'s counts and ArcGIS colours', () => {
	const rows = gistarRows({ bins: { '-3': 0, '-2': 4, '-1': 524, 0: 2837, 1: 28, 2: 46, 3: 319 } });
	assert.deepEqual(rows.map((r) => r.bin), GISTAR_BINS);
	assert.deepEqual(rows.map((r) => r.cells), [319, 46, 28, 524, 4, 0]);
	assert.deepEqual(rows.map((r) => `${r.kind}${r.confidence}`), ['hot99', 'hot95', 'hot90', 'cold90', 'cold95', 'cold99']);
	assert.equal(rows[0].colour, '#d62f27');
	assert.equal(rows[5].colour, '#4575b5');
	assert.deepEqual(gistarRows({}).map((r) => r.cells), [0, 0, 0, 0, 0, 0], 'missing bins count none');
});

test('next Monday: strictly after the day, across months and years', () => {
	assert.equal(nextMonday('2026-11-25'), '2026-11-30'); /* a Wednesday */
	assert.equal(nextMonday('2026-11-30'), '2026-12-07'); /* a Monday: the week after */
	assert.equal(nextMonday('2026-12-29'), '2027-01-04');
	assert.equal(nextMonday('2026-11-29'), '2026-11-30'); /* a Sunday */
});

test('the plan query carries the shift, its weekdays, the period and valid_from when saving', () => {
	const arg = { shift: '18:00-02:00', weekdays: 'fri', from: '2026-10-01', to: '2026-11-25' };
	assert.equal(planQuery(arg).toString(), 'shift=18%3A00-02%3A00&weekdays=fri&from=2026-10-01&to=2026-11-25');
	assert.equal(planQuery(arg, '2026-11-30').get('valid_from'), '2026-11-30');
	assert.equal(planQuery(arg, null, 'gistar').get('forecast'), 'gistar');
	assert.equal(planQuery(arg, '2026-11-30', 'gistar').toString(), 'shift=18%3A00-02%3A00&weekdays=fri&from=2026-10-01&to=2026-11-25&forecast=gistar&valid_from=2026-11-30');
});

test('the comparison joins units by service and unit and sums a unit\'s current zones', () => {
	const feature = (service, unit, share, visits) => ({ properties: { service, unit, share, minutes: 480, minutes_used: 400, visits } });
	const fc = {
		share: 0.8,
		features: [feature('ppx', 'P1', 0.5, 8), feature('youth', 'Y1', 0.3, 4)],
		current: {
			share: 0.45,
			units: [
				{ service: 'ppx', unit: 'P1', minutes: 480, share: 0.1 },
				{ service: 'ppx', unit: 'P1', minutes: 480, share: 0.15 },
				{ service: 'ypx', unit: 'R1', minutes: 120, share: 0.2 },
			],
		},
	};
	const c = planRows(fc);
	assert.equal(c.suggested, 0.8);
	assert.equal(c.current, 0.45);
	assert.deepEqual(c.rows.map((r) => [r.unit, r.suggested, r.current, r.visits]), [
		['P1', 0.5, 0.25, 8],
		['Y1', 0.3, null, 4],
		['R1', null, 0.2, null],
	]);
	assert.equal(c.rows[2].minutes, 120);
});

test('the backtest query: categories, services, the period\'s end, the planner\'s shift or the weekdays, the folds', () => {
	const filter = new URLSearchParams({ from: '2026-10-01', to: '2026-11-25T23:59', hours: '18-02', weekdays: 'fri', categories: 'theft' });
	assert.equal(backtestQuery(filter, null, '').toString(), 'categories=theft&end=2026-11-25&weekdays=fri');
	const q = backtestQuery(filter, { shift: '18:00-02:00', weekdays: 'sat' }, '12');
	assert.equal(q.toString(), 'categories=theft&end=2026-11-25&shift=18%3A00-02%3A00&weekdays=sat&folds=12');
});

test('the backtest rows: the means and sds in the table\'s order, the folds with a hit rate', () => {
	const rows = backtestRows({
		methods: [{ name: 'kde', mean: { hit_rate: 0.4, pai: 13, rri: null, pei: 0.4 }, sd: { hit_rate: 0.1, pai: 2, rri: null, pei: 0.1 }, per_fold: [{ hit_rate: 0.3 }, { hit_rate: null }, { hit_rate: 0.5 }] }],
	});
	assert.equal(rows[0].name, 'kde');
	assert.equal(rows[0].folds, 2);
	assert.deepEqual(rows[0].cells.map((c) => c.key), BACKTEST_MEASURES.map((m) => m.key));
	assert.deepEqual(rows[0].cells.map((c) => c.mean), [0.4, 13, null, 0.4]);
	assert.deepEqual(backtestRows({}), []);
});

test('the trends query drops the start: the weeks end at the period\'s end', () => {
	const filter = new URLSearchParams({ from: '2026-10-01', to: '2026-11-25', services: 'ppx' });
	assert.equal(trendsQuery(filter, '12').toString(), 'to=2026-11-25&services=ppx&weeks=12');
	assert.equal(trendsQuery(filter, '').has('weeks'), false);
});

test('the trends rows: hot then cold by pattern, counted from the features, in the legend\'s colours', () => {
	const f = (category) => ({ properties: { category } });
	const legend = {
		categories: ['hot', 'cold'].flatMap((kind, k) =>
			TRENDS_PATTERNS.map((p, i) => ({ category: `${p} ${kind} spot`, pattern: i + 1, hot: !k, colour: `#${k}${i}0000` }))),
	};
	const rows = trendsRows({ features: [f('new hot spot'), f('new hot spot'), f('persistent cold spot')] }, legend);
	assert.equal(rows.length, 2 * TRENDS_PATTERNS.length);
	assert.equal(rows[0].category, 'new hot spot');
	assert.equal(rows[0].cells, 2);
	assert.equal(rows.find((r) => r.category === 'persistent cold spot').cells, 1);
	assert.equal(rows.find((r) => r.category === 'intensifying hot spot').colour, '#020000');
	assert.equal(rows.find((r) => r.category === 'intensifying cold spot').colour, '#120000');
	assert.equal(trendsColour('no pattern', legend), null);
	assert.equal(trendsRows({ features: [] })[0].colour, null, 'no legend, no colour');
	assert.equal(trendsLabel(legend.categories[11]), 'trends.cold.persistent');
});
