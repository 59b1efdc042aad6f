// The pure parts of the tasks between services and the prevention log
// (web/coopform.js, web/tasks.js, web/activities.js) under node.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { activityQuery } from '../../web/activities.js';
import { dayText, featurePlace, fieldTarget, newId, placeText, ringOffsets } from '../../web/coopform.js';
import { setLang } from '../../web/i18n.js';
import { nextStatuses, noticesOf, ownRow, taskCounts } from '../../web/tasks.js';

/* setLang() marks the page's language. */
globalThis.document = { documentElement: {} };

test('days as the viewer writes them', () => {
	assert.equal(dayText('2026-12-11'), '11.12.2026');
	assert.equal(dayText('2026-12-11T10:00:00Z'), '11.12.2026');
	assert.equal(dayText(null), '');
	assert.equal(dayText('soon'), '');
});

test('a refusal is shown at the field it names, else at its nearest parent', () => {
	const names = ['text', 'place', 'to', 'to[0].service', 'to[1].service', 'to[1].unit', 'from.service'];
	assert.equal(fieldTarget('to[1].service', names), 'to[1].service');
	assert.equal(fieldTarget('place.code', names), 'place');
	assert.equal(fieldTarget('place.lon', names), 'place');
	assert.equal(fieldTarget('to[3].service', names), 'to');
	assert.equal(fieldTarget('from.service', names), 'from.service');
	assert.equal(fieldTarget('body', names), null);
	assert.equal(fieldTarget('', names), null);
	assert.equal(fieldTarget(undefined, names), null);
	assert.equal(fieldTarget('[2].place.code', ['place']), null, 'a batch\'s index is no parent');
});

test('an id made in the page is a UUID v4', () => {
	const id = newId((b) => b.fill(0xff));
	assert.equal(id, 'ffffffff-ffff-4fff-bfff-ffffffffffff');
	assert.match(newId(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	assert.notEqual(newId(), newId());
});

test('markers of one place are spread on a ring, the first at the top', () => {
	assert.deepEqual(ringOffsets(1), [[0, 0]]);
	assert.deepEqual(ringOffsets(4, 10), [[0, -10], [10, 0], [0, 10], [-10, 0]]);
});

test('places in words', () => {
	setLang('en');
	const mahalla = (code) => `Chorsu (${code})`;
	assert.equal(placeText({ kind: 'mahalla', code: 'M03' }, mahalla), 'Chorsu (M03)');
	assert.equal(placeText({ kind: 'point', lon: 69.245246, lat: 41.330075 }, mahalla), 'Point 41.33008, 69.24525');
	assert.equal(placeText({ kind: 'hotspot', lon: 69.2, lat: 41.3, label: '#2' }, mahalla), 'Hotspot #2');
	assert.equal(placeText({ kind: 'zone', code: 'Z-01' }, mahalla), 'Zone Z-01');
	setLang('ru');
	assert.equal(placeText({ kind: 'district', code: 'D01' }, mahalla), 'Район D01');
});

test('a point\'s place is its feature\'s geometry, a hotspot\'s label its code', () => {
	const at = { type: 'Point', coordinates: [69.245, 41.33] };
	assert.deepEqual(featurePlace({ properties: { place: { kind: 'point', code: null } }, geometry: at }), { kind: 'point', lon: 69.245, lat: 41.33 });
	assert.deepEqual(featurePlace({ properties: { place: { kind: 'hotspot', code: '#2' } }, geometry: at }), { kind: 'hotspot', lon: 69.245, lat: 41.33, label: '#2' });
	assert.deepEqual(featurePlace({ properties: { place: { kind: 'mahalla', code: 'M03' } }, geometry: at }), { kind: 'mahalla', code: 'M03' });
});

test('a receiver moves its own row on; a done row is finished', () => {
	assert.deepEqual(nextStatuses('new'), ['accepted', 'in_progress', 'done', 'declined']);
	assert.deepEqual(nextStatuses('accepted'), ['in_progress', 'done', 'declined']);
	assert.deepEqual(nextStatuses('in_progress'), ['accepted', 'done', 'declined']);
	assert.deepEqual(nextStatuses('declined'), ['accepted', 'in_progress', 'done']);
	assert.deepEqual(nextStatuses('done'), []);
	const task = { to: [{ service: 'prevention', unit: 'INSP-M03' }, { service: 'youth', unit: null }] };
	assert.equal(ownRow(task, { service: 'youth' }), task.to[1]);
	assert.equal(ownRow(task, { service: 'jqb', unit: 'CID-1' }), null);
	assert.equal(ownRow(task, { service: null }), null);
});

test('who hears what of a task', () => {
	const task = {
		id: 't1',
		text: 'Night burglaries',
		from: { service: 'jqb', unit: 'CID-1' },
		to: [{ service: 'prevention', unit: 'INSP-M03', status: 'new' }, { service: 'youth', unit: null, status: 'new' }],
		status: 'new',
	};
	const created = { id: 't1', action: 'create', task };
	assert.deepEqual(noticesOf(created, undefined, { service: 'prevention', unit: 'INSP-M03' }), [{ kind: 'new' }], 'its inspector');
	assert.deepEqual(noticesOf(created, undefined, { service: 'prevention', unit: 'INSP-M07' }), [], 'another mahalla\'s inspector');
	assert.deepEqual(noticesOf(created, undefined, { service: 'youth', unit: 'YOSH-2' }), [{ kind: 'new' }], 'a unit of a service asked as a whole');
	assert.deepEqual(noticesOf(created, undefined, { service: null }), [{ kind: 'new' }], 'the duty desk, of no service');
	assert.deepEqual(noticesOf(created, undefined, { service: 'jqb', unit: 'CID-1' }), [], 'not its asker');
	assert.deepEqual(noticesOf(created, undefined, { service: 'ppx' }), [], 'nor a service not asked');

	const accepted = { ...task, to: [{ ...task.to[0], status: 'accepted' }, task.to[1]] };
	const update = { id: 't1', action: 'update', task: accepted };
	assert.deepEqual(noticesOf(update, task, { service: 'jqb', unit: 'CID-1' }), [{ kind: 'status', service: 'prevention', status: 'accepted' }], 'the asker hears the answer');
	assert.deepEqual(noticesOf(update, accepted, { service: 'jqb' }), [], 'a comment moves no status');
	assert.deepEqual(noticesOf(update, task, { service: 'youth' }), [], 'another receiver does not');
	assert.deepEqual(noticesOf(update, task, { service: null }), [], 'nor the duty desk');
	const done = { id: 't1', action: 'update', task: { ...task, status: 'done' } };
	assert.deepEqual(noticesOf(done, undefined, { service: 'jqb' }), [{ kind: 'closed', status: 'done' }], 'a task never seen, closed');
	assert.deepEqual(noticesOf(update, undefined, { service: 'jqb' }), [], 'one never seen, still open');
	assert.deepEqual(noticesOf({ action: 'create' }, undefined, { service: null }), [], 'an event without its task');
	const widened = { id: 't1', action: 'update', task: { ...task, to: [...task.to, { service: 'ppx', unit: null, status: 'new' }] } };
	assert.deepEqual(noticesOf(widened, task, { service: 'ppx', unit: 'PPX-7' }), [{ kind: 'new' }], 'a service the asker adds hears of it as new');
	assert.deepEqual(noticesOf(widened, widened.task, { service: 'ppx' }), [], 'once');
	assert.deepEqual(noticesOf(widened, task, { service: 'youth' }), [], 'not one asked before');
	assert.deepEqual(noticesOf(widened, task, { service: 'jqb' }), [], 'nor the asker that added it');
});

test('open and overdue tasks are counted', () => {
	const f = (status, overdue) => ({ properties: { status, overdue } });
	assert.deepEqual(taskCounts([f('new', true), f('accepted', false), f('done', false), f('declined', true), f('in_progress', true)]), { open: 3, overdue: 2 });
	assert.deepEqual(taskCounts([]), { open: 0, overdue: 0 });
});

test('the overlay of activities asks for the days of the panel\'s period', () => {
	const q = activityQuery('from=2026-11-08T05:00&to=2026-12-08T04:59&hours=20-08&district=D01&categories=theft');
	assert.equal(q.toString(), 'from=2026-11-08&to=2026-12-08&district=D01');
	assert.equal(activityQuery('from=2026-11-01&district=D01,D02').toString(), 'from=2026-11-01', 'several districts: the scope\'s');
	assert.equal(activityQuery('region=west').toString(), '');
});
