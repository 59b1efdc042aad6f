// Plane geometry on GeoJSON longitude/latitude coordinates, enough for the
// viewer's own questions: which mahalla is under a click, and whether two
// patrol zones share some area (the planner's overlap warning). Degrees are
// treated as a plane: at district scale the answers are the same as on the
// sphere. Pure functions of their arguments; no Leaflet, so node can test them.

/* Coordinates closer than this (degrees, about 1 cm) are the same point: a
 * zone snapped to a neighbour's boundary touches it, it does not overlap. */
const EPS = 1e-7;

export function ringContains(ring, x, y) {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

export function polygonContains(rings, x, y) {
	if (!rings.length || !ringContains(rings[0], x, y)) return false;
	for (let k = 1; k < rings.length; k++) if (ringContains(rings[k], x, y)) return false;
	return true;
}

export function geometryContains(g, x, y) {
	if (!g) return false;
	if (g.type === 'Polygon') return polygonContains(g.coordinates, x, y);
	if (g.type === 'MultiPolygon') return g.coordinates.some((p) => polygonContains(p, x, y));
	if (g.type === 'GeometryCollection') return g.geometries.some((c) => geometryContains(c, x, y));
	return false;
}

/* [W, S, E, N] of a geometry. */
export function bboxOf(g) {
	const b = [Infinity, Infinity, -Infinity, -Infinity];
	const walk = (c) => {
		if (typeof c[0] === 'number') {
			b[0] = Math.min(b[0], c[0]);
			b[1] = Math.min(b[1], c[1]);
			b[2] = Math.max(b[2], c[0]);
			b[3] = Math.max(b[3], c[1]);
		} else c.forEach(walk);
	};
	if (g?.type === 'GeometryCollection') g.geometries.forEach((x) => walk(x.coordinates));
	else if (g?.coordinates) walk(g.coordinates);
	return b;
}

/* The polygons (arrays of rings) of a Polygon or MultiPolygon. */
export function polygonsOf(g) {
	if (g?.type === 'Polygon') return [g.coordinates];
	if (g?.type === 'MultiPolygon') return g.coordinates;
	return [];
}

const cross = (o, a, b) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
const side = (o, a, b) => {
	const c = cross(o, a, b);
	/* Relative to the segment's length, so the tolerance is a distance. */
	const len = Math.hypot(a[0] - o[0], a[1] - o[1]) || 1;
	return Math.abs(c) / len < EPS ? 0 : Math.sign(c);
};

/* Whether segments ab and cd cross at a point inside both (not at an end,
 * not along a shared stretch). */
function segmentsCross(a, b, c, d) {
	const d1 = side(a, b, c);
	const d2 = side(a, b, d);
	const d3 = side(c, d, a);
	const d4 = side(c, d, b);
	return d1 * d2 < 0 && d3 * d4 < 0;
}

function edges(rings, fn) {
	for (const ring of rings)
		for (let i = 0; i + 1 < ring.length; i++) if (fn(ring[i], ring[i + 1])) return true;
	return false;
}

function nearBoundary(rings, p) {
	return edges(rings, (a, b) => {
		const l2 = (b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2;
		const t = l2 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / l2)) : 0;
		return Math.hypot(p[0] - a[0] - t * (b[0] - a[0]), p[1] - a[1] - t * (b[1] - a[1])) < EPS;
	});
}

const strictlyInside = (rings, p) => polygonContains(rings, p[0], p[1]) && !nearBoundary(rings, p);

/* A point inside the polygon: the middle of the first stretch of the
 * horizontal line through its bbox centre that lies inside it. */
function interiorPoint(rings) {
	const [, s, , n] = bboxOf({ type: 'Polygon', coordinates: rings });
	const y = (s + n) / 2;
	const xs = [];
	edges(rings, (a, b) => {
		if (a[1] > y !== b[1] > y) xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
		return false;
	});
	xs.sort((p, q) => p - q);
	return xs.length >= 2 ? [(xs[0] + xs[1]) / 2, y] : null;
}

/* Points that tell whether one polygon reaches into another when no edges
 * cross: its vertices, the middles of its edges and an interior point (for
 * equal polygons, whose vertices and edges all lie on the other's boundary). */
function probes(rings) {
	const pts = [];
	edges(rings, (a, b) => {
		pts.push(a, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
		return false;
	});
	const inner = interiorPoint(rings);
	if (inner) pts.push(inner);
	return pts;
}

function polygonsOverlap(p, q) {
	if (edges(p, (a, b) => edges(q, (c, d) => segmentsCross(a, b, c, d)))) return true;
	return probes(p).some((x) => strictlyInside(q, x)) || probes(q).some((x) => strictlyInside(p, x));
}

/* Whether two Polygon/MultiPolygon geometries share some area; touching
 * along a boundary or at a corner is not sharing. */
export function geometriesOverlap(g, h) {
	const a = bboxOf(g);
	const b = bboxOf(h);
	if (a[0] > b[2] + EPS || b[0] > a[2] + EPS || a[1] > b[3] + EPS || b[1] > a[3] + EPS) return false;
	const ps = polygonsOf(g);
	const qs = polygonsOf(h);
	return ps.some((p) => qs.some((q) => polygonsOverlap(p, q)));
}
