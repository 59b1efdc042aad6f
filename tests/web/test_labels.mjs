// web/labels.js under node: labels placed greedily around their anchors
// without covering one another or what they must not hide.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { leaderEnd, placeLabels } from '../../web/labels.js';

const box = (it, s) => ({ x: it.x + s.dx, y: it.y + s.dy, w: it.w, h: it.h });
const meet = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test('a lone label sits on its anchor, or beside a unit\'s dot', () => {
	const [on, beside] = placeLabels([
		{ x: 100, y: 100, w: 60, h: 20, around: true },
		{ x: 400, y: 100, w: 60, h: 20, around: false },
	]);
	assert.deepEqual(on, { dx: -30, dy: -10, moved: false });
	assert.deepEqual(beside, { dx: 12, dy: -10, moved: false });
});

test('labels on one hotspot are kept apart, the later ones moved', () => {
	const items = Array.from({ length: 25 }, (_, i) => ({ x: 300, y: 300, w: 50 + (i % 4) * 30, h: 22, around: i % 2 === 0 }));
	const spots = placeLabels(items);
	assert.equal(spots[0].moved, false, 'the first keeps its place');
	assert.ok(spots.slice(1).every((s) => s.moved), 'the others needed a leader');
	const boxes = items.map((it, i) => box(it, spots[i]));
	for (let i = 0; i < boxes.length; i++)
		for (let j = i + 1; j < boxes.length; j++) assert.ok(!meet(boxes[i], boxes[j]), `${i} and ${j} overlap`);
});

test('a label keeps off what it must not hide', () => {
	const dot = { x: 90, y: 90, w: 20, h: 20 };
	const [s] = placeLabels([{ x: 100, y: 100, w: 60, h: 20, around: true }], [dot]);
	assert.equal(s.moved, true);
	assert.ok(!meet(box({ x: 100, y: 100, w: 60, h: 20 }, s), dot));
});

test('the leader ends at the box\'s point nearest the anchor', () => {
	assert.deepEqual(leaderEnd({ dx: 30, dy: -10 }, 60, 20), { x: 30, y: 0 });
	assert.deepEqual(leaderEnd({ dx: -100, dy: -50 }, 60, 20), { x: -40, y: -30 });
	assert.deepEqual(leaderEnd({ dx: -30, dy: 25 }, 60, 20), { x: 0, y: 25 });
});
