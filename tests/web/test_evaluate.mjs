// The pure parts of "Did it help?" (web/evaluate.js), the mahalla's
// standing (web/standing.js) and a task's edit (web/taskdetail.js) under
// node.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { changePct, evaluateBand, evaluateQuery, evaluateVerdict, niceMax, weekIndex, weeksBegun } from '../../web/evaluate.js';
import { setLang } from '../../web/i18n.js';
import { riskName, STANDING_CATEGORIES, standingCounts, standingReasons } from '../../web/standing.js';
import { editBody, mayEdit } from '../../web/taskdetail.js';

test('the query names the activity, the mahalla or the circle, and keeps the filter but its period', () => {
	const filter = 'from=2026-01-01T00:00&to=2026-02-01T00:00&categories=theft,assault&hours=20-08&weekdays=fri,sat&district=D1';
	assert.equal(evaluateQuery({ activity: 'a-1', at: '2026-01-01' }, 8, filter).toString(),
		'activity=a-1&weeks=8&categories=theft%2Cassault&hours=20-08&weekdays=fri%2Csat');
	assert.equal(evaluateQuery({ mahalla: 'M03', at: '2026-10-15' }, 4, '').toString(), 'mahalla=M03&at=2026-10-15&weeks=4');
	assert.equal(evaluateQuery({ lon: 69.25, lat: 41.3, radius: 410, at: '2026-10-15' }, 12, '').toString(),
		'lon=69.25&lat=41.3&radius=410&at=2026-10-15&weeks=12');
});

test('the verdict: significant only when the interval leaves 1 out', () => {
	assert.equal(evaluateVerdict({ ratio: 0.48, low: 0.09, high: 2.49 }), 'chance');
	assert.equal(evaluateVerdict({ ratio: 0.4, low: 0.2, high: 0.8 }), 'fell');
	assert.equal(evaluateVerdict({ ratio: 2.1, low: 1.2, high: 3.6 }), 'rose');
	assert.equal(evaluateVerdict({ ratio: 1, low: 1, high: 1 }), 'chance');
	assert.equal(evaluateVerdict({ ratio: null, low: null, high: null }), 'none');
	assert.equal(evaluateVerdict(undefined), 'none');
});

test('an axis tops at 1, 2 or 5 times a power of ten', () => {
	assert.deepEqual([0, 0.5, 1, 3, 7, 10, 11, 64, 81, 480].map(niceMax), [1, 1, 1, 5, 10, 10, 20, 100, 100, 500]);
});

test('an activity falls in the week of the window its start does', () => {
	const at = '2026-10-14T19:00:00Z';
	assert.equal(weekIndex(at, 8, '2026-10-14T19:00:00Z'), 8, 'the day starts the first week after');
	assert.equal(weekIndex(at, 8, '2026-10-14T18:59:59Z'), 7);
	assert.equal(weekIndex(at, 8, '2026-08-19T19:00:00Z'), 0);
	assert.equal(weekIndex(at, 8, '2026-08-19T18:59:59Z'), -1);
	assert.equal(weekIndex(at, 8, '2026-12-09T19:00:00Z'), -1);
	assert.equal(weekIndex(at, 8, 'never'), -1);
});

test('the weeks of the window begun by now', () => {
	const at = '2026-10-14T19:00:00Z';
	const ms = (iso) => Date.parse(iso);
	assert.equal(weeksBegun(at, 8, ms('2027-01-01T00:00:00Z')), 16);
	assert.equal(weeksBegun(at, 8, ms('2026-10-14T19:00:00Z')), 9, 'the first week after has begun');
	assert.equal(weeksBegun(at, 8, ms('2026-10-14T18:59:59Z')), 8);
	assert.equal(weeksBegun(at, 8, ms('2026-10-22T00:00:00Z')), 10);
	assert.equal(weeksBegun(at, 8, ms('2020-01-01T00:00:00Z')), 0);
});

test('a band: its counts, the top of its axis and the means before and after', () => {
	const weekly = [{ area: 0, control: 64 }, { area: 3, control: 81 }, { area: 1, control: 51 }, { area: 0, control: 50 }];
	assert.deepEqual(evaluateBand(weekly, 2, 'area'), { values: [0, 3, 1, 0], max: 5, before: 1.5, after: 0.5 });
	assert.deepEqual(evaluateBand(weekly, 2, 'control'), { values: [64, 81, 51, 50], max: 100, before: 72.5, after: 50.5 });
	assert.deepEqual(evaluateBand(weekly, 2, 'control', 3), { values: [64, 81, 51, 50], max: 100, before: 72.5, after: 51 }, 'the weeks begun only');
	assert.equal(changePct(5, 2), -60);
	assert.equal(changePct(0, 2), null);
});

test('the standing\'s reasons and counts', () => {
	assert.deepEqual(standingReasons({ reasons: 'rate,change' }), ['rate', 'change']);
	assert.deepEqual(standingReasons({ reasons: '' }), []);
	assert.deepEqual(standingReasons({ reasons: null }), []);
	assert.deepEqual(standingReasons({ reasons: ['overdue_tasks', 'bogus'] }), ['overdue_tasks']);
	assert.deepEqual(STANDING_CATEGORIES, ['green', 'yellow', 'red']);
	assert.deepEqual(standingCounts([{ category: 'red' }, { category: 'green' }, { category: 'red' }, { category: 'blue' }]), { green: 1, yellow: 0, red: 2 });
});

test('a registered group is named in the language when the catalogue has it, else by its code', () => {
	globalThis.document ??= { documentElement: {} }; /* what setLang() touches */
	setLang('ru');
	assert.equal(riskName('released_from_prison'), 'Вернувшиеся из мест лишения свободы');
	setLang('uz');
	assert.equal(riskName('teenagers_registered'), 'Profilaktik hisobdagi voyaga yetmaganlar');
	assert.equal(riskName('night_shift_vendors'), 'night_shift_vendors');
	setLang('en');
});

test('an edit sends what changed; the asker or an admin may make it', () => {
	const task = { text: 'Hold a meeting', due: '2026-12-11', priority: 'high', from: { service: 'jqb' } };
	assert.deepEqual(editBody(task, { text: 'Hold a meeting', due: '2026-12-11', priority: 'high' }), {});
	assert.deepEqual(editBody(task, { text: 'Hold two meetings', due: '', priority: 'high' }), { text: 'Hold two meetings', due: '' });
	assert.deepEqual(editBody({ ...task, due: null }, { text: 'Hold a meeting', due: '', priority: 'urgent' }), { priority: 'urgent' });
	const asked = { ...task, to: [{ service: 'prevention', unit: 'INSP-M03', status: 'done' }, { service: 'youth', unit: null, status: 'new' }] };
	const same = { text: 'Hold a meeting', due: '2026-12-11', priority: 'high' };
	assert.deepEqual(editBody(asked, { ...same, to: [{ service: 'youth' }, { service: 'prevention', unit: 'INSP-M03' }] }), {}, 'the same receivers in another order');
	assert.deepEqual(editBody(asked, { ...same, to: [{ service: 'prevention', unit: 'INSP-M03' }, { service: 'ppx' }] }), { to: [{ service: 'prevention', unit: 'INSP-M03' }, { service: 'ppx' }] });
	assert.deepEqual(editBody(asked, { ...same, to: [{ service: 'prevention' }, { service: 'youth' }] }), { to: [{ service: 'prevention' }, { service: 'youth' }] }, 'a unit dropped');
	assert.equal(mayEdit(task, { role: 'officer', service: 'jqb' }), true);
	assert.equal(mayEdit(task, { role: 'officer', service: 'youth' }), false);
	assert.equal(mayEdit(task, { role: 'officer' }), false);
	assert.equal(mayEdit(task, { role: 'admin' }), true);
	assert.equal(mayEdit(task, { role: 'viewer', service: 'jqb' }), false);
});
