// posbon viewer: the live "Units" overlay, for every role. Each patrol
// unit's last known position (GET /api/units) as a labelled marker in its
// service's colour with the age of the fix ("3 min ago"), moved by the
// server's `units` events (a unit's newest fix, from POST /api/tracks) and
// reloaded every 30 s; a unit not heard of for 15 minutes is greyed.
// Markers, not tiles: positions change every few seconds and ages every
// minute (docs/api.md, GET /api/units). Ages count on the server's clock:
// the skew between it and the browser's is taken from each answer's `now`.

import { t, tn } from './i18n.js';
import { labelAdd, labelsPlace } from './labels.js';

export const STALE_S = 15 * 60;
const RELOAD_MS = 30000;
const AGE_TICK_MS = 10000;
const KEY = 'posbon.units';

const $ = (id) => document.getElementById(id);

let ctx = null; /* app.js's parts: { L, map, api, el, colourOf } */
const units = {
	on: false,
	seq: 0,
	skew: 0, /* server's clock minus the browser's, ms */
	markers: new Map(), /* unit -> { marker, label, fix: { service, lon, lat, t } } */
	layer: null,
	timers: [],
};

/* How long ago, as { key, n } for tn() (pure; tests/web/test_units.mjs):
 * under a minute is "now", then minutes, hours, days. A fix from the
 * future (clocks apart) is "now". */
export function ageParts(seconds) {
	const s = Math.max(0, Math.floor(seconds));
	if (s < 60) return { key: 'units.now', n: 0 };
	if (s < 3600) return { key: 'units.min', n: Math.floor(s / 60) };
	if (s < 86400) return { key: 'units.h', n: Math.floor(s / 3600) };
	return { key: 'units.d', n: Math.floor(s / 86400) };
}

const ageText = (seconds) => {
	const a = ageParts(seconds);
	return a.key === 'units.now' ? t(a.key) : tn(a.key, a.n);
};

const ageOf = (fix) => (Date.now() + units.skew - fix.t) / 1000;

/* Puts unit's marker at fix (made on its first fix), if fix is newer. */
function place(unit, fix) {
	const { L, el } = ctx;
	let m = units.markers.get(unit);
	if (m && m.fix.t > fix.t) return;
	if (!m) {
		const label = el('span', { class: 'unit-age' });
		const body = el('span', { class: 'unit-body' }, el('b', { class: 'unit-name' }, unit), label);
		const marker = L.marker([fix.lat, fix.lon], {
			keyboard: false,
			interactive: false,
			icon: L.divIcon({ className: 'unit-marker', html: el('span', { class: 'unit-pin' }, el('i', { class: 'unit-dot' }), body), iconSize: [0, 0] }),
		});
		m = { marker, label, fix };
		units.markers.set(unit, m);
		marker.addTo(units.layer);
		marker.getElement().dataset.unit = unit;
		/* units on one hotspot: their names beside their dots, kept apart */
		labelAdd(ctx.map, marker, body, false);
	}
	m.fix = fix;
	m.marker.setLatLng([fix.lat, fix.lon]);
	m.marker.getElement().style.setProperty('--c', ctx.colourOf('services', fix.service));
	age(m);
}

/* The age of m's fix; the labels are placed again for its new text. */
function age(m) {
	const s = ageOf(m.fix);
	m.label.textContent = ageText(s);
	m.marker.getElement().classList.toggle('stale', s > STALE_S);
	labelsPlace();
}

async function reload() {
	const seq = ++units.seq;
	let fc;
	try {
		fc = await ctx.api('api/units');
	} catch (e) {
		if (seq === units.seq) ctx.showError(e);
		return;
	}
	if (seq !== units.seq || !units.on) return;
	const now = Date.parse(fc?.now);
	if (Number.isFinite(now)) units.skew = now - Date.now();
	for (const f of fc?.features || []) {
		const p = f.properties || {};
		const [lon, lat] = f.geometry?.coordinates || [];
		const time = Date.parse(p.time);
		if (p.unit && Number.isFinite(lon) && Number.isFinite(lat) && Number.isFinite(time))
			place(p.unit, { service: p.service, lon, lat, t: time });
	}
}

/* A `units` event of the server: { unit, service, lon, lat, time }. */
export function unitsEvent(d) {
	if (!units.on || !d?.unit) return;
	const time = Date.parse(d.time);
	if (Number.isFinite(d.lon) && Number.isFinite(d.lat) && Number.isFinite(time))
		place(d.unit, { service: d.service, lon: d.lon, lat: d.lat, t: time });
}

function setOn(on) {
	units.on = on;
	try {
		localStorage.setItem(KEY, on ? 'on' : 'off');
	} catch {
		/* not remembered */
	}
	for (const id of units.timers) clearInterval(id);
	units.timers = [];
	units.layer?.remove();
	units.layer = null;
	units.markers.clear();
	units.seq++;
	if (!on) return;
	units.layer = ctx.L.layerGroup().addTo(ctx.map);
	reload();
	units.timers.push(setInterval(reload, RELOAD_MS), setInterval(() => units.markers.forEach(age), AGE_TICK_MS));
}

/* Starts the overlay's switch (#units-on); c lends app.js's parts. */
export function unitsStart(c) {
	ctx = c;
	let on = false;
	try {
		on = localStorage.getItem(KEY) === 'on';
	} catch {
		/* off */
	}
	const box = $('units-on');
	box.checked = on;
	box.addEventListener('change', () => setOn(box.checked));
	if (on) setOn(true);
}

/* The ages in the current language, after a switch. */
export function unitsRelabel() {
	units.markers.forEach(age);
}
