// posbon viewer: the planning mode's coverage panel and dosage view.
//
// Coverage: on every plannerOnChange() (shift, period, a zone saved, cut,
// removed or undone) GET /api/coverage for that shift and period: the counts
// of gaps, overlaps, joint patrols and covered hotspots, the hotspots with
// their status and services, per service and unit the shares of offences,
// zone area and PAI, the responsibility per mahalla, and the planner's
// hotspot polygons coloured by status (plannerHotspotStyle). "CSV" fetches
// the same with Accept: text/csv and saves it.
//
// Dosage: for a day (by default the day of the last shift the units were heard
// of to its end, from
// GET /api/units), GET /api/dosage for the planner's shift hours starting on
// that day's weekday: minutes, visits and full visits per hotspot against a
// target, the least dosed first, drawn as the dosage polygons in their own
// pane while the planner's hotspots step aside.
//
// Each loader counts its requests; an answer overtaken by a later request
// is dropped, so a slow old answer never replaces a newer one.

import { fmtNumber, nameOf, onLangChange, t, translate } from './i18n.js';
import { plannerHotspotStyle, plannerOnChange } from './planner.js';
import { WEEKDAY_CODES } from './shift.js';

/* The status colours: the style's, from GET /api/legend?layer=coverage and
 * ?layer=dosage (statusColours()), as the tiles and the printed pages draw
 * them; styles/default.json's until the legends arrive. */
export const COVERAGE_COLOURS = { gap: '#e31a1c', overlap: '#7b3294', joint: '#2b8cbe', covered: '#1a9641' };
export const DOSAGE_COLOURS = { unvisited: '#d7191c', short: '#f39c12', met: '#1a9641' };
const COUNTS = [['gaps', 'gap'], ['overlaps', 'overlap'], ['joint', 'joint'], ['covered', 'covered']];
const DEFAULT_TARGET = 15;

const $ = (id) => document.getElementById(id);

let ctx = null; /* app.js's parts: { L, map, api, el, meta, colourOf, isoDate, showError } */
const cov = {
	arg: null, /* the planner's last { shift, weekdays, from, to }; null outside planning */
	seq: 0,
	data: null, /* the last answer of /api/coverage */
	dosage: { on: false, seq: 0, data: null, layer: null },
};

/* ---------- queries (pure; tests/web/test_coverage.mjs) ---------- */

/* The query of /api/coverage for the planner's arg, and a planning date
 * ('' for every zone whatever its validity). */
export function coverageQuery(arg, date) {
	const p = new URLSearchParams({ shift: arg.shift, weekdays: arg.weekdays, from: arg.from, to: arg.to });
	if (date) p.set('date', date);
	return p;
}

/* The weekday code of a local date "YYYY-MM-DD" (mon..sun). */
export function weekdayOf(date) {
	const [y, m, d] = date.split('-').map(Number);
	return WEEKDAY_CODES[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7];
}

/* The query of /api/dosage: the shift's hours as they ran from date (the
 * shift starting on that day, whatever days the plan gives it). */
export function dosageQuery(arg, date, target) {
	const p = new URLSearchParams({ shift: arg.shift, weekdays: weekdayOf(date), date });
	if (Number.isFinite(target) && target > 0) p.set('target', String(target));
	return p;
}

/* The local day on which the last shift (hours "HH:MM-HH:MM") that had
 * ended by the latest fix among /api/units' features began, or null: the
 * last shift the units can have patrolled whole. The day of the latest fix
 * itself would name a shift not over yet, often not begun. */
export function lastTrackDay(units, isoDate, shift) {
	const times = (units?.features || []).map((f) => Date.parse(f.properties?.time)).filter(Number.isFinite);
	if (!times.length) return null;
	const m = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(shift || '');
	const start = m ? Number(m[1]) * 60 + Number(m[2]) : 0;
	const end = m ? Number(m[3]) * 60 + Number(m[4]) : 1440;
	const ends = start + ((end - start + 1440) % 1440 || 1440); /* minutes after its day's 00:00 */
	return isoDate(Math.max(...times) - ends * 60000);
}

/* Sets into (status -> colour) from the statuses of a /api/legend answer,
 * the ones it knows, as #rrggbb. */
export function statusColours(into, legend) {
	for (const st of legend?.statuses || []) {
		if (Object.hasOwn(into, st.status) && /^#[0-9a-f]{6}/i.test(st.colour || '')) into[st.status] = st.colour.slice(0, 7).toLowerCase();
	}
	return into;
}

async function loadStatusColours() {
	for (const [layer, into] of [
		['coverage', COVERAGE_COLOURS],
		['dosage', DOSAGE_COLOURS],
	]) {
		try {
			statusColours(into, await ctx.api(`api/legend?layer=${layer}`));
		} catch {
			/* the defaults stay */
		}
	}
	renderCoverage();
	renderDosage();
}

/* ---------- coverage ---------- */

async function loadCoverage() {
	const seq = ++cov.seq;
	if (!cov.arg) return;
	let data;
	try {
		data = await ctx.api(`api/coverage?${coverageQuery(cov.arg, $('cov-date').value)}`);
	} catch (e) {
		if (seq === cov.seq) ctx.showError(e);
		return;
	}
	if (seq !== cov.seq || !cov.arg) return;
	cov.data = data;
	renderCoverage();
}

const serviceName = (code) => nameOf(ctx.meta.services.find((s) => s.code === code) || { code });
const pct = (x) => (Number.isFinite(x) ? `${fmtNumber(100 * x, 1)} %` : '—');
const statusBadge = (kind, status) =>
	ctx.el('span', { class: 'cov-status', style: `--c:${(kind === 'dosage' ? DOSAGE_COLOURS : COVERAGE_COLOURS)[status] || '#8a8f98'}` }, t(`${kind}.status.${status}`));

function hotspotStyle(rank) {
	const h = cov.data?.hotspots?.find((x) => x.rank === rank);
	const c = h && COVERAGE_COLOURS[h.status];
	if (!c) return null;
	return { color: c, fillColor: c, fillOpacity: h.status === 'gap' ? 0.35 : 0.18, weight: 3, dashArray: null };
}

function renderCoverage() {
	const { el } = ctx;
	const d = cov.data;
	$('cov-body').hidden = !d;
	$('cov-body').dataset.shift = d?.shift ?? '';
	plannerHotspotStyle(d ? hotspotStyle : null);
	if (!d) return;
	$('cov-counts').replaceChildren(
		...COUNTS.map(([key, status]) =>
			el('span', { class: 'cov-count', dataset: { count: key }, style: `--c:${COVERAGE_COLOURS[status]}` }, el('strong', {}, fmtNumber(d[key])), ` ${t(`coverage.${key}`)}`)),
	);
	$('cov-summary').textContent = t('coverage.summary', { offences: fmtNumber(d.offences), zones: fmtNumber(d.offences_in_zones), share: pct(d.offences ? d.offences_in_zones / d.offences : NaN) });

	$('cov-hotspots').replaceChildren(
		...(d.hotspots || []).map((h) => {
			const who = [...new Set((h.covered_by || []).map((a) => `${serviceName(a.service)}${a.unit ? ` (${a.unit})` : ''}`))];
			return el('tr', { dataset: { rank: String(h.rank), status: h.status } },
				el('td', { class: 'num' }, String(h.rank)),
				el('td', {}, statusBadge('coverage', h.status)),
				el('td', { class: 'num' }, fmtNumber(h.offences)),
				el('td', { class: 'who' }, who.join(', ') || '—'));
		}),
	);

	/* Each service, then its units. */
	const rows = [];
	for (const s of d.services || []) {
		rows.push(shareRow(s, serviceName(s.service), 'cov-service'));
		for (const u of (d.units || []).filter((x) => x.service === s.service)) rows.push(shareRow(u, u.unit || '—', 'cov-unit'));
	}
	$('cov-services').replaceChildren(...rows);

	$('cov-mahallas').replaceChildren(
		...(d.mahallas || []).map((m) => el('tr', { dataset: { code: m.code } },
			el('td', {}, nameOf(m)),
			el('td', { class: 'who' }, (m.assignments || []).map((a) => `${serviceName(a.service)}${a.unit ? ` (${a.unit})` : ''} ${a.shift}`).join('; ') || '—'))),
	);
}

function shareRow(r, name, cls) {
	const { el } = ctx;
	return el('tr', { class: cls, dataset: { service: r.service, unit: r.unit ?? '' } },
		el('td', {}, cls === 'cov-service' ? el('i', { class: 'dot', style: `background:${ctx.colourOf('services', r.service)}` }) : null, name),
		el('td', { class: 'num' }, pct(r.offence_share)),
		el('td', { class: 'num' }, pct(r.hotspot_offence_share)),
		el('td', { class: 'num' }, fmtNumber((r.zone_area_m2 || 0) / 1e6, 2)),
		el('td', { class: 'num' }, r.pai === null || r.pai === undefined ? '—' : fmtNumber(r.pai, 1)));
}

/* Fetches the CSV of the current coverage and saves it as a file. */
async function downloadCsv() {
	if (!cov.arg) return;
	const q = coverageQuery(cov.arg, $('cov-date').value);
	let blob;
	try {
		blob = await ctx.api(`api/coverage?${q}`, { headers: { Accept: 'text/csv' }, blob: true });
	} catch (e) {
		ctx.showError(e);
		return;
	}
	const url = URL.createObjectURL(blob);
	const name = `coverage-${cov.arg.shift.replaceAll(':', '')}-${cov.arg.weekdays.replaceAll(',', '')}.csv`;
	const a = ctx.el('a', { href: url, download: name, hidden: true });
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/* ---------- dosage ---------- */

async function loadDosage() {
	const dz = cov.dosage;
	const seq = ++dz.seq;
	if (!cov.arg || !dz.on) return;
	let date = $('dose-date').value;
	if (!date) {
		try {
			date = lastTrackDay(await ctx.api('api/units'), ctx.isoDate, cov.arg.shift) || ctx.isoDate(Date.now());
		} catch (e) {
			if (seq === dz.seq) ctx.showError(e);
			return;
		}
		if (seq !== dz.seq) return;
		$('dose-date').value = date;
	}
	const target = Number($('dose-target').value);
	let fc;
	try {
		fc = await ctx.api(`api/dosage?${dosageQuery(cov.arg, date, target)}`);
	} catch (e) {
		if (seq === dz.seq) ctx.showError(e);
		return;
	}
	if (seq !== dz.seq || !cov.arg || !dz.on) return;
	dz.data = fc;
	renderDosage();
}

function renderDosage() {
	const { el, L } = ctx;
	const dz = cov.dosage;
	dz.layer?.remove();
	dz.layer = null;
	document.body.classList.toggle('dosage-view', dz.on && !!cov.arg);
	$('dose-body').hidden = !dz.on;
	if (!dz.on || !dz.data || !cov.arg) return;
	const fc = dz.data;
	$('dose-summary').textContent = t('dosage.summary', {
		shift: fc.shift,
		target: fmtNumber(fc.target_minutes, 1),
		tracks: fmtNumber(fc.tracks),
		fixes: fmtNumber(fc.fixes),
	});
	const features = fc.features || [];
	$('dose-rows').replaceChildren(
		...features.map((f) => {
			const p = f.properties;
			const units = (p.units || []).map((u) => `${u.unit} ${fmtNumber(u.minutes, 1)}′`).join(', ');
			return el('tr', { dataset: { rank: String(p.rank), status: p.status }, title: units },
				el('td', { class: 'num' }, String(p.rank)),
				el('td', {}, statusBadge('dosage', p.status)),
				el('td', { class: 'num' }, fmtNumber(p.minutes, 1)),
				el('td', { class: 'num' }, fmtNumber(p.visits)),
				el('td', { class: 'num' }, fmtNumber(p.full_visits)));
		}),
	);
	$('dose-empty').hidden = features.length > 0;
	dz.layer = L.layerGroup().addTo(ctx.map);
	for (const f of features) {
		const p = f.properties;
		const c = DOSAGE_COLOURS[p.status] || '#8a8f98';
		const shape = L.geoJSON(f, { pane: 'dosage', interactive: false, style: { color: c, fillColor: c, weight: 3, fillOpacity: 0.3, className: `dosage-shape dosage-${p.rank}` } });
		shape.addTo(dz.layer);
		L.marker(shape.getBounds().getCenter(), {
			interactive: false,
			keyboard: false,
			icon: L.divIcon({ className: 'hotspot-num dosage-num', html: String(p.rank), iconSize: [24, 24] }),
		}).addTo(dz.layer);
	}
}

function setDosage(on) {
	cov.dosage.on = on;
	cov.dosage.data = null;
	renderDosage();
	loadDosage();
}

/* ---------- start ---------- */

function onPlanChange(arg) {
	cov.arg = arg && { shift: arg.shift, weekdays: arg.weekdays, from: arg.from, to: arg.to };
	if (!arg) {
		cov.seq++;
		cov.dosage.seq++;
		cov.data = null;
		renderCoverage();
		renderDosage();
		return;
	}
	loadCoverage();
	loadDosage();
}

/* Starts the panel under #cov; c lends app.js's parts (see ctx). */
export function coverageStart(c) {
	ctx = c;
	ctx.map.createPane('dosage').style.zIndex = 395;
	$('dose-target').value = String(DEFAULT_TARGET);
	$('cov-date').addEventListener('change', loadCoverage);
	$('cov-csv').addEventListener('click', downloadCsv);
	$('dose-on').addEventListener('change', (e) => setDosage(e.target.checked));
	for (const id of ['dose-date', 'dose-target']) $(id).addEventListener('change', loadDosage);
	translate($('cov'));
	onLangChange(() => {
		renderCoverage();
		renderDosage();
	});
	plannerOnChange(onPlanChange);
	loadStatusColours();
}
