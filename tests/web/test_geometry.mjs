// web/geometry.js under node: point in polygon and the zones' overlap test.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { bboxOf, geometriesOverlap, geometryContains } from '../../web/geometry.js';

const square = (x, y, s) => ({
	type: 'Polygon',
	coordinates: [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]],
});

test('point in polygon with a hole', () => {
	const g = { type: 'Polygon', coordinates: [square(0, 0, 4).coordinates[0], square(1, 1, 2).coordinates[0]] };
	assert.equal(geometryContains(g, 0.5, 0.5), true);
	assert.equal(geometryContains(g, 2, 2), false, 'inside the hole');
	assert.equal(geometryContains(g, 5, 2), false);
	assert.deepEqual(bboxOf(g), [0, 0, 4, 4]);
});

test('crossing edges overlap', () => {
	assert.equal(geometriesOverlap(square(0, 0, 2), square(1, 1, 2)), true);
	/* a cross: no vertex of either inside the other */
	const bar = { type: 'Polygon', coordinates: [[[-1, 0.5], [3, 0.5], [3, 1.5], [-1, 1.5], [-1, 0.5]]] };
	const post = { type: 'Polygon', coordinates: [[[0.5, -1], [1.5, -1], [1.5, 3], [0.5, 3], [0.5, -1]]] };
	assert.equal(geometriesOverlap(bar, post), true);
});

test('containment and equal polygons overlap', () => {
	assert.equal(geometriesOverlap(square(0, 0, 4), square(1, 1, 1)), true);
	assert.equal(geometriesOverlap(square(1, 1, 1), square(0, 0, 4)), true);
	assert.equal(geometriesOverlap(square(0, 0, 1), square(0, 0, 1)), true);
	/* sharing the left edge, inside */
	assert.equal(geometriesOverlap(square(0, 0, 4), square(0, 1, 1)), true);
});

test('touching or apart is not overlapping', () => {
	assert.equal(geometriesOverlap(square(0, 0, 1), square(1, 0, 1)), false, 'a shared edge');
	assert.equal(geometriesOverlap(square(0, 0, 1), square(1, 1, 1)), false, 'a shared corner');
	assert.equal(geometriesOverlap(square(0, 0, 1), square(1.5, 0, 1)), false, 'apart');
	/* in the bbox of an L shape but not in it */
	const ell = { type: 'Polygon', coordinates: [[[0, 0], [3, 0], [3, 1], [1, 1], [1, 3], [0, 3], [0, 0]]] };
	assert.equal(geometriesOverlap(ell, square(1.5, 1.5, 1)), false);
	/* at district scale: two zones meeting along a snapped boundary */
	const a = { type: 'Polygon', coordinates: [[[69.25, 41.3], [69.26, 41.3], [69.26, 41.31], [69.25, 41.31], [69.25, 41.3]]] };
	const b = { type: 'Polygon', coordinates: [[[69.26, 41.3], [69.27, 41.3], [69.27, 41.31], [69.26, 41.31], [69.26, 41.3]]] };
	assert.equal(geometriesOverlap(a, b), false);
});

test('multipolygons overlap when any part does', () => {
	const m = { type: 'MultiPolygon', coordinates: [square(10, 10, 1).coordinates, square(0, 0, 1).coordinates] };
	assert.equal(geometriesOverlap(m, square(0.5, 0.5, 1)), true);
	assert.equal(geometriesOverlap(m, square(5, 5, 1)), false);
});
