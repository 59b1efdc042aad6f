// posbon viewer: labels on the map that do not cover one another. The
// suggested plan's unit labels (web/suggest.js) and the live units' names
// (web/units.js) gather where the patrols do, on the hotspots. Each label
// is placed in screen space, in order, at the first free spot of a list:
// on its anchor (or beside it, for a unit's dot), then around it, then
// further out; a label moved off its anchor gets a leader line back to it.
// A label keeps clear of the others placed before it and of what it must
// not hide (the units' dots, the hotspots' numbers, the map's buttons).
// Labels are placed again after a zoom, a pan (the buttons stay, the map
// moves under them) or a resize and whenever they come, move or change
// their text.
//
// A label is a marker of its own (a zero-size divIcon at the anchor) with
// the label's box inside; the module moves the box and draws the leader,
// and forgets a label once its marker has left the map. The placement
// itself is pure (placeLabels(), tests/web/test_labels.mjs).

/* What a label must not cover, besides the other labels: the units' dots,
 * the hotspots' numbers and the map's buttons (on a phone the zoom buttons
 * sit where the labels gather). */
const OBSTACLES = '.unit-dot, .hotspot-num, .leaflet-control';
/* Distances in rem, as the labels are sized (the wall screen's grow with
 * it): beside an anchor, the room a unit's dot takes and the gap after it;
 * the room kept between two labels; how far out a label is looked for,
 * in rings this far apart, and so many. */
const BESIDE = 2 / 3;
const GAP = 1 / 6;
const STEP = 0.8;
const RINGS = 14;
/* Directions tried on each ring, as fractions of a turn from the right:
 * sideways first (a label reads along its line), then up and down. */
const TURNS = [0, 0.5, 0.75, 0.25, 0.875, 0.625, 0.125, 0.375];

/* ---------- pure ---------- */

const overlap = (a, b, gap) =>
	Math.max(0, Math.min(a.x + a.w + gap, b.x + b.w) - Math.max(a.x - gap, b.x)) *
	Math.max(0, Math.min(a.y + a.h + gap, b.y + b.h) - Math.max(a.y - gap, b.y));

/* The boxes (top-left from the anchor) tried for a label of w by h, best
 * first: on the anchor (around) or beside it to the right, then on rings
 * ever further out, each box's near side at the ring's distance; rem in px. */
function candidates(w, h, around, rem) {
	const beside = BESIDE * rem;
	const out = [around ? { dx: -w / 2, dy: -h / 2 } : { dx: beside, dy: -h / 2 }];
	for (let k = 1; k <= RINGS; k++) {
		const d = (around ? 0 : beside) + k * STEP * rem;
		/* more directions further out, where the ring is longer */
		const turns = k < 3 ? TURNS : [...TURNS, ...TURNS.map((x) => x + 1 / 16)];
		for (const turn of turns) {
			const a = 2 * Math.PI * turn;
			const [c, s] = [Math.cos(a), Math.sin(a)];
			out.push({ dx: c * (d + w / 2) - w / 2, dy: -s * (d + h / 2) - h / 2 });
		}
	}
	return out;
}

/* Places labels greedily, in order. items: [{ x, y (the anchor, px), w, h
 * (the label's size), around (true: centred on the anchor; else beside
 * it) }]; fixed: rects { x, y, w, h } no label may cover; rem: the root
 * font size, px. Returns for each item { dx, dy (its box's top-left from
 * the anchor), moved (not at its first spot: it needs a leader) }. A label
 * with no free spot takes the one that covers the least. */
export function placeLabels(items, fixed = [], rem = 18) {
	const taken = [];
	return items.map((it) => {
		const cost = (c) => {
			const r = { x: it.x + c.dx, y: it.y + c.dy, w: it.w, h: it.h };
			return taken.reduce((s, o) => s + overlap(r, o, GAP * rem), 0) + fixed.reduce((s, o) => s + overlap(r, o, 0), 0);
		};
		const list = candidates(it.w, it.h, it.around, rem);
		let i = list.findIndex((c) => cost(c) === 0);
		if (i < 0) i = list.reduce((best, c, j) => (cost(c) < cost(list[best]) ? j : best), 0);
		const c = list[i];
		taken.push({ x: it.x + c.dx, y: it.y + c.dy, w: it.w, h: it.h });
		return { dx: c.dx, dy: c.dy, moved: i > 0 };
	});
}

/* The point of the box (dx, dy, w, h) nearest its anchor (0, 0). */
export function leaderEnd(s, w, h) {
	const clamp = (v, a, b) => Math.min(Math.max(v, a), b);
	return { x: clamp(0, s.dx, s.dx + w), y: clamp(0, s.dy, s.dy + h) };
}

/* ---------- on the map ---------- */

const state = { map: null, labels: [], frame: 0 };

function place() {
	state.frame = 0;
	const map = state.map;
	state.labels = state.labels.filter((l) => map.hasLayer(l.marker) && l.box.isConnected);
	if (!state.labels.length) return;
	const box = map.getContainer().getBoundingClientRect();
	const fixed = [...map.getContainer().querySelectorAll(OBSTACLES)]
		.map((e) => e.getBoundingClientRect())
		.filter((r) => r.width > 0)
		.map((r) => ({ x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height }));
	const sizes = state.labels.map((l) => [l.box.offsetWidth, l.box.offsetHeight]);
	const spots = placeLabels(
		state.labels.map((l, i) => {
			const p = map.latLngToContainerPoint(l.marker.getLatLng());
			return { x: p.x, y: p.y, w: sizes[i][0], h: sizes[i][1], around: l.around };
		}),
		fixed,
		parseFloat(getComputedStyle(document.documentElement).fontSize),
	);
	state.labels.forEach((l, i) => {
		const s = spots[i];
		l.box.style.transform = `translate(${s.dx}px, ${s.dy}px)`;
		l.leader.hidden = !s.moved;
		if (!s.moved) return;
		const end = leaderEnd(s, ...sizes[i]);
		l.leader.style.width = `${Math.hypot(end.x, end.y)}px`;
		l.leader.style.transform = `rotate(${Math.atan2(end.y, end.x)}rad)`;
	});
}

/* Places the labels again, once, before the next frame. */
export function labelsPlace() {
	if (state.map && !state.frame) state.frame = requestAnimationFrame(place);
}

/* Makes box (inside marker's element, a zero-size divIcon at the anchor)
 * a label of map placed with the others: centred on the anchor when
 * around, else beside it. Labels added earlier are placed first. */
export function labelAdd(map, marker, box, around) {
	if (state.map !== map) {
		state.map = map;
		map.on('zoomend viewreset resize moveend', labelsPlace);
	}
	const leader = document.createElement('i');
	leader.className = 'leader';
	leader.hidden = true;
	box.classList.add('map-label');
	box.before(leader);
	state.labels.push({ marker, box, leader, around });
	labelsPlace();
}
