// The duty officers' wall screen (?wall=1): the map alone, a header strip
// (district, clock, the event stream's health, today's offences against the
// same hours yesterday), each new offence pulsing where it happened for a
// minute and listed in a feed of the last ten. Unattended for a shift: the
// status says when the live stream has gone quiet, and a lost session is
// a full-screen message, not a blank map.
//
// The pure functions at the top (the view in the URL, the status by
// silence, the feed, the comparison with yesterday, the reconnection
// backoff) are tested under node (tests/web/test_wall.mjs); wallStart()
// and what follows need the page. The module owns the header, the feed and
// its pulse markers; app.js owns the map, the session and the stream.

import { fmtNumber, lang, nameOf, t } from './i18n.js';

export const WEEKDAY_CODES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const FEED_MAX = 10;
export const PULSE_MS = 60000;
export const AMBER_MS = 60000;
export const RED_MS = 5 * 60000;
const PERIODS = ['24h', '7d', '30d'];

/* ---------- pure ---------- */

/* The filters and layers the URL's query names, as fields of the viewer's
 * view (only those given): period=24h|7d|30d or from=/to= (dates), hours=20-08,
 * weekdays=mon,tue or mon-fri, categories=a,b, services=x,y, layers=zones,… */
export function viewFromQuery(search) {
	const q = new URLSearchParams(search);
	const v = {};
	if (PERIODS.includes(q.get('period'))) v.period = q.get('period');
	const date = (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s || '') ? s : '');
	if (date(q.get('from')) || date(q.get('to'))) {
		v.period = 'custom';
		v.from = date(q.get('from'));
		v.to = date(q.get('to'));
	}
	const hours = /^(\d{1,2})-(\d{1,2})$/.exec(q.get('hours') || '');
	if (hours && Number(hours[1]) < 24 && Number(hours[2]) < 24) {
		v.hourFrom = Number(hours[1]);
		v.hourTo = Number(hours[2]);
	}
	if (q.get('weekdays')) {
		const on = WEEKDAY_CODES.map(() => false);
		for (const part of q.get('weekdays').split(',')) {
			const [a, z = a] = part.split('-').map((s) => WEEKDAY_CODES.indexOf(s.trim().toLowerCase()));
			if (a < 0 || z < 0) continue;
			for (let i = a; ; i = (i + 1) % 7) {
				on[i] = true;
				if (i === z) break;
			}
		}
		if (on.some(Boolean)) v.weekdays = on;
	}
	for (const kind of ['categories', 'services']) {
		const codes = (q.get(kind) || '').split(',').filter(Boolean);
		if (codes.length) v[kind] = codes;
	}
	if (q.get('district')) v.district = q.get('district');
	if (q.get('layers') !== null)
		v.layers = Object.fromEntries(q.get('layers').split(',').filter(Boolean).map((id) => [id, true]));
	return v;
}

/* The query of a view for viewFromQuery(), wall=1 when wall; extra are
 * arguments kept as they are (lang). */
export function queryOfView(view, wall, extra = {}) {
	const q = new URLSearchParams();
	if (wall) q.set('wall', '1');
	if (view.period === 'custom') {
		if (view.from) q.set('from', view.from);
		if (view.to) q.set('to', view.to);
	} else if (view.period) q.set('period', view.period);
	if (view.hourFrom !== '' && view.hourTo !== '' && view.hourFrom !== undefined && view.hourFrom !== view.hourTo)
		q.set('hours', `${String(view.hourFrom).padStart(2, '0')}-${String(view.hourTo).padStart(2, '0')}`);
	if (view.weekdays && !view.weekdays.every(Boolean))
		q.set('weekdays', WEEKDAY_CODES.filter((_, i) => view.weekdays[i]).join(','));
	for (const kind of ['categories', 'services']) if (view[kind]?.length) q.set(kind, view[kind].join(','));
	if (view.district) q.set('district', view.district);
	const layers = Object.keys(view.layers || {}).filter((id) => view.layers[id]);
	if (layers.length) q.set('layers', layers.join(','));
	for (const [k, val] of Object.entries(extra)) if (val) q.set(k, val);
	return q.toString();
}

/* The stream's health at now: lastAlive is when it was last heard from
 * (opened, an event or its 15 s ping), connected whether it is open.
 * { level: 'ok' | 'amber' | 'red', reason: null | 'silent' | 'disconnected' }. */
export function liveStatus(now, lastAlive, connected) {
	const quiet = now - lastAlive;
	const level = quiet > RED_MS ? 'red' : quiet > AMBER_MS ? 'amber' : 'ok';
	return { level, reason: level === 'ok' ? null : connected ? 'silent' : 'disconnected', quietMs: quiet };
}

/* The feed with items added: one row per id (the newer copy wins), newest
 * first by time (ms), at most max rows. Returns a new array. */
export function feedMerge(feed, items, max = FEED_MAX) {
	/* Times are to the second or the minute: of equal times the one heard
	 * of last goes first (the sort is stable; the new items lead). */
	const ids = new Set(items.map((r) => r.id));
	return [...items, ...feed.filter((r) => !ids.has(r.id))].sort((a, b) => b.time - a.time).slice(0, max);
}

/* Today's count against yesterday's over the same hours: the difference,
 * the change in percent (null when yesterday had none) and the direction. */
export function compareYesterday(today, yesterday) {
	const a = Math.round(Number(today) || 0);
	const b = Math.round(Number(yesterday) || 0);
	const diff = a - b;
	return { today: a, yesterday: b, diff, pct: b > 0 ? Math.round((100 * diff) / b) : null, dir: diff > 0 ? 'up' : diff < 0 ? 'down' : 'same' };
}

/* The filter windows of today from midnight to now and of yesterday over the
 * same hours, from now's local parts ({ year, month, day, hour, minute }). */
export function dayWindows(p) {
	const y = new Date(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day) - 1));
	const today = `${p.year}-${p.month}-${p.day}`;
	const yday = y.toISOString().slice(0, 10);
	const hm = `${p.hour}:${p.minute}`;
	return { today: { from: `${today}T00:00`, to: `${today}T${hm}` }, yesterday: { from: `${yday}T00:00`, to: `${yday}T${hm}` } };
}

/* How many times larger the wall draws the map (its tiles, its pulses): 2
 * on a screen of at least 1.5 times 1920x1080 CSS pixels at one device
 * pixel to each, where it would otherwise draw a larger map of smaller
 * names; then it shows what a high-density screen does, and its names
 * read from as far as on a 1920x1080 one. Else 1. */
export function wallTileScale(width, height, dpr) {
	return dpr < 1.5 && Math.min(width / 1920, height / 1080) >= 1.5 ? 2 : 1;
}

/* The wait before reconnecting after the attempt-th failure in a row:
 * 1 s doubling up to a minute. */
export function backoffMs(attempt) {
	return Math.min(60000, 1000 * 2 ** Math.max(0, attempt));
}

/* ---------- the page ---------- */

let ctx = null;
const wall = {
	feed: [],
	seen: new Set(), /* ids already pulsed, so an overlap of windows shows nothing twice */
	since: '', /* local date-time of the newest offence seen: the next query's from */
	lastAlive: 0,
	connected: false,
	countSeq: 0,
	counts: null,
};

const $ = (id) => document.getElementById(id);

/* Builds the header strip and the feed and starts the clock. c: { L, map,
 * api, el, meta, zoned, colourOf, mahallaName, filterParams, exitUrl }. */
export function wallStart(c) {
	ctx = c;
	const now = Date.now();
	wall.lastAlive = now;
	wall.since = localMinute(now - 60000);
	const { el } = c;
	const strip = el(
		'header',
		{ class: 'wall-strip', id: 'wall-strip' },
		el('div', { class: 'wall-district', id: 'wall-district' }),
		el('div', { class: 'wall-clock', id: 'wall-clock' }),
		el('div', { class: 'wall-live', id: 'wall-live', dataset: { level: 'ok' } },
			el('span', { class: 'wall-live-dot', 'aria-hidden': 'true' }),
			el('span', { id: 'wall-updated' }),
			el('span', { class: 'wall-reason', id: 'wall-reason' })),
		el('div', { class: 'wall-count', id: 'wall-count' }),
		el('a', { class: 'wall-exit', id: 'wall-exit', href: c.exitUrl(), 'data-i18n-title': 'wall.exit' }, '×'),
	);
	const feed = el('aside', { class: 'wall-feed', id: 'wall-feed', 'aria-live': 'polite' },
		el('h2', { 'data-i18n': 'wall.feed' }, t('wall.feed')), el('ol', { id: 'wall-feed-rows' }));
	document.body.append(strip, feed);
	c.map.createPane('wallPulse').style.zIndex = 630;
	wallRelabel();
	setInterval(renderClockAndStatus, 1000);
	window.addEventListener('resize', renderFeed);
	setInterval(loadCounts, 60000);
	loadCounts();
	loadFeed(null, '', false);
}

/* The local date-time of instant ms to the minute, as the filters take it. */
function localMinute(ms) {
	const p = ctx.zoned(ms);
	return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/* The stream was heard from (connected: it is open). */
export function wallAlive(connected) {
	if (!ctx) return;
	wall.connected = connected;
	if (connected) wall.lastAlive = Date.now();
	renderClockAndStatus();
}

/* An `offences` event d: the new offences in its bbox since the newest one
 * seen pulse and join the feed; today's count follows. Without a bbox (the
 * catch-up after a dropped stream) the whole district is asked. */
export async function wallOffences(d) {
	if (!ctx) return;
	loadCounts();
	await loadFeed(d.bbox, wall.since, true);
}

/* The offences of the filters in bbox (else the district) from local time
 * from into the feed, newest first; pulse: each new one also pulses on the
 * map. The first load (from the period's start) opens the feed with the
 * latest of the period, without pulses. */
async function loadFeed(bbox, from, pulse) {
	const b = ctx.meta.bounds;
	const box = Array.isArray(bbox) && bbox.length === 4 ? bbox.map(Number) : b && [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
	if (!box || !box.every(Number.isFinite)) return;
	/* A point's bbox is empty; the API wants west < east. */
	const [w, s, e, n] = box;
	const pad = 1e-5;
	const q = ctx.filterParams();
	q.set('bbox', [w - pad, s - pad, e + pad, n + pad].join(','));
	if (from) q.set('from', from);
	if (pulse) q.delete('to');
	/* the first load keeps the latest of up to a page of the period */
	q.set('limit', pulse ? '50' : '1000');
	q.set('lang', lang());
	let fc;
	try {
		fc = await ctx.api(`api/offences?${q}`);
	} catch {
		return; /* the heatmap still shows it; the status says when the server is gone */
	}
	const fresh = [];
	for (const f of fc?.features || []) {
		const p = f.properties || {};
		if (wall.seen.has(p.id)) continue;
		wall.seen.add(p.id);
		const time = Date.parse(p.to || p.from || '') || Date.now();
		fresh.push({ id: p.id, time, category: p.category, mahalla: p.mahalla, street: p.street || null });
		if (pulse && f.geometry?.type === 'Point') pulseAt(f.geometry.coordinates, p.category);
	}
	if (!fresh.length) return;
	wall.feed = feedMerge(wall.feed, fresh);
	/* The ids worth remembering are those still in the feed or pulsing. */
	if (wall.seen.size > 500) wall.seen = new Set(wall.feed.map((r) => r.id));
	const newest = Math.max(...fresh.map((r) => r.time));
	const next = localMinute(Math.min(newest, Date.now()));
	if (next > wall.since) wall.since = next;
	renderFeed();
}

/* A ring in the category's colour at [lon, lat], removed after a minute. */
function pulseAt([lon, lat], category) {
	const { L, map } = ctx;
	/* The colour through the element's style, not a style attribute in
	 * markup: the server's Content-Security-Policy refuses inline styles. */
	const ring = document.createElement('span');
	ring.style.setProperty('--c', ctx.colourOf('categories', category));
	const size = 36 * wallTileScale(window.innerWidth, window.innerHeight, window.devicePixelRatio);
	const icon = L.divIcon({ className: 'wall-pulse', html: ring, iconSize: [size, size] });
	const m = L.marker([lat, lon], { icon, pane: 'wallPulse', interactive: false, keyboard: false }).addTo(map);
	m.getElement()?.setAttribute('data-category', category || '');
	setTimeout(() => map.removeLayer(m), PULSE_MS);
}

/* Today's offences from midnight and yesterday's over the same hours, with
 * the wall's filters but its period: two /api/summary calls (its `offences`
 * is the total of the filter over the whole district, which /api/offences'
 * `matched` gives only for a bbox). */
async function loadCounts() {
	const seq = ++wall.countSeq;
	const win = dayWindows(ctx.zoned(Date.now()));
	const ask = (w) => {
		const q = ctx.filterParams();
		q.set('from', w.from);
		q.set('to', w.to);
		return ctx.api(`api/summary?${q}`);
	};
	try {
		const [a, b] = await Promise.all([ask(win.today), ask(win.yesterday)]);
		if (seq !== wall.countSeq) return;
		wall.counts = compareYesterday(a?.offences, b?.offences);
	} catch {
		return;
	}
	renderCount();
}

function renderClockAndStatus() {
	if (!ctx) return;
	const now = Date.now();
	const p = ctx.zoned(now);
	$('wall-clock').textContent = `${p.hour}:${p.minute}:${p.second}`;
	const st = liveStatus(now, wall.lastAlive, wall.connected);
	const a = ctx.zoned(wall.lastAlive);
	const box = $('wall-live');
	box.dataset.level = st.level;
	$('wall-updated').textContent = t('wall.updated', { time: `${a.hour}:${a.minute}:${a.second}` });
	$('wall-reason').textContent = st.reason ? t(`wall.${st.reason}`, { min: Math.floor(st.quietMs / 60000) }) : '';
}

function renderCount() {
	const c = wall.counts;
	const box = $('wall-count');
	if (!c) return;
	const change = c.dir === 'same' ? t('wall.same') : `${c.dir === 'up' ? '▲ +' : '▼ −'}${fmtNumber(Math.abs(c.diff))}${c.pct === null ? '' : ` (${c.pct > 0 ? '+' : c.pct < 0 ? '−' : ''}${fmtNumber(Math.abs(c.pct))} %)`}`;
	box.dataset.dir = c.dir;
	box.replaceChildren(
		ctx.el('span', {}, t('wall.today')),
		ctx.el('strong', { id: 'wall-today' }, fmtNumber(c.today)),
		ctx.el('span', { class: 'wall-change', title: t('wall.yesterday', { n: fmtNumber(c.yesterday) }) }, change),
	);
}

function renderFeed() {
	const ol = $('wall-feed-rows');
	ol.replaceChildren(
		...wall.feed.map((r) => {
			const p = ctx.zoned(r.time);
			const cat = ctx.meta.categories.find((c) => c.code === r.category) || { code: r.category || '—' };
			return ctx.el(
				'li',
				{ dataset: { id: r.id, category: r.category || '' } },
				ctx.el('time', {}, `${p.hour}:${p.minute}`),
				ctx.el('i', { class: 'dot', style: `background:${ctx.colourOf('categories', r.category)}` }),
				ctx.el('span', { class: 'wall-cat' }, nameOf(cat)),
				ctx.el('span', { class: 'wall-mahalla' }, r.mahalla ? ctx.mahallaName(r.mahalla) : ''),
				/* Where to send a unit: the street the offence is on. */
				ctx.el('span', { class: 'wall-street' }, r.street || ''),
			);
		}),
	);
	/* Read from across a room, never scrolled: the rows that fit, the
	 * oldest left out rather than cut in half. */
	const box = $('wall-feed');
	while (ol.lastChild && box.scrollHeight > box.clientHeight) ol.lastChild.remove();
	box.dataset.empty = String(!wall.feed.length);
}

/* Texts after a change of language. */
export function wallRelabel() {
	if (!ctx) return;
	$('wall-district').textContent = nameOf(ctx.meta.district) || 'posbon';
	document.querySelector('#wall-feed h2').textContent = t('wall.feed');
	renderClockAndStatus();
	renderCount();
	renderFeed();
}

/* The full-screen message of an ended session: the wall PC cannot type, so
 * it says how to come back (a token in the URL's fragment). */
export function wallSessionLost(el) {
	if ($('wall-expired')) return;
	document.body.append(
		el('div', { class: 'wall-expired', id: 'wall-expired', role: 'alert' },
			el('h1', {}, t('wall.expired')), el('p', {}, t('wall.expired.hint'))),
	);
}
