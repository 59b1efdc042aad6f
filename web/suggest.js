// posbon viewer: the planning mode's suggested plan and the planner's prints.
//
// "Suggest a plan" asks GET /api/plan for the planner's shift and training
// period (docs/planning.md, "Suggested plan": the current zones' units on
// duty, their minutes), with the forecast chosen (the period's counts, or
// only the Gi* hot cells at 95%), and draws each unit's suggested zone dashed in its
// service's colour, labelled with the unit, beside the current zones; a
// table compares the suggested and the current expected share of the
// shift's offences covered, in all and per unit, with each unit's minutes
// and visits. "Save as zones" posts the same arguments to POST
// /api/plan/save with a first valid day (next Monday unless changed); the
// planner then reloads its zones, and the coverage panel follows.
//
// The prints: links to the coverage page and the roster (PDF and CSV) of
// the same shift, period and planning date, in the page's language.
//
// A change of shift, period or forecast drops the suggestion, which was
// made for the old one.

import { fieldsValid } from './datefield.js';
import { fmtNumber, lang, nameOf, onLangChange, t, tn, translate } from './i18n.js';
import { labelAdd } from './labels.js';
import { plannerOnChange, plannerReload } from './planner.js';
import { planPrintUrl } from './print.js';

const PRINTS = [['plan-print-coverage', 'coverage', 'pdf'], ['plan-print-roster', 'roster', 'pdf'], ['plan-print-csv', 'roster', 'csv']];

const $ = (id) => document.getElementById(id);

let ctx = null; /* app.js's parts: { L, map, api, el, meta, colourOf, isoDate, toast, showError } */
const sug = { arg: null, seq: 0, data: null, layer: null };

/* ---------- pure (tests/web/test_suggest.mjs) ---------- */

/* The query of /api/plan (and /api/plan/save) for the planner's arg, with
 * the forecast ("counts", the server's default, or "gistar") when given. */
export function planQuery(arg, validFrom, forecast) {
	const p = new URLSearchParams({ shift: arg.shift, weekdays: arg.weekdays, from: arg.from, to: arg.to });
	if (forecast) p.set('forecast', forecast);
	if (validFrom) p.set('valid_from', validFrom);
	return p;
}

/* The Monday after local date "YYYY-MM-DD" (a week on from a Monday). */
export function nextMonday(date) {
	const [y, m, d] = date.split('-').map(Number);
	const day = new Date(Date.UTC(y, m - 1, d));
	const ahead = 7 - ((day.getUTCDay() + 6) % 7);
	return new Date(day.getTime() + ahead * 86400e3).toISOString().slice(0, 10);
}

/* The comparison of an answer of /api/plan: { suggested, current } shares
 * of the shift's offences and per unit (the suggested units in the
 * answer's order, then current units the plan does not name) { service,
 * unit, suggested, current (the sum over the unit's current zones; null
 * without one), minutes, minutes_used, visits }. */
export function planRows(fc) {
	const key = (x) => `${x.service}\u0000${x.unit}`;
	const current = new Map();
	for (const u of fc.current?.units || []) current.set(key(u), (current.get(key(u)) ?? 0) + Number(u.share));
	const rows = (fc.features || []).map(({ properties: p }) => ({
		service: p.service,
		unit: p.unit,
		suggested: p.share,
		current: current.get(key(p)) ?? null,
		minutes: p.minutes,
		minutes_used: p.minutes_used,
		visits: p.visits,
	}));
	const named = new Set(rows.map(key));
	for (const u of fc.current?.units || []) {
		if (named.has(key(u))) continue;
		named.add(key(u));
		rows.push({ service: u.service, unit: u.unit, suggested: null, current: current.get(key(u)), minutes: u.minutes, minutes_used: null, visits: null });
	}
	return { suggested: fc.share, current: fc.current?.share ?? null, rows };
}

/* ---------- the suggestion ---------- */

const pct = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${fmtNumber(100 * x, 1)} %`);
const safe = (s) => String(s).replace(/[^\w-]/g, '_');

function clear() {
	sug.seq++;
	sug.data = null;
	sug.layer?.remove();
	sug.layer = null;
	render();
}

async function suggest() {
	if (!sug.arg) return;
	const seq = ++sug.seq;
	const arg = sug.arg;
	$('sug-run').disabled = true;
	let fc;
	try {
		fc = await ctx.api(`api/plan?${planQuery(arg, null, $('sug-forecast').value)}`);
	} catch (e) {
		if (seq === sug.seq) ctx.showError(e);
		return;
	} finally {
		if (seq === sug.seq) $('sug-run').disabled = false;
	}
	if (seq !== sug.seq || sug.arg !== arg) return;
	sug.data = fc;
	draw();
	render();
}

/* Each unit's suggested zone, dashed in its service's colour, labelled. */
function draw() {
	const { L, el } = ctx;
	sug.layer?.remove();
	sug.layer = L.layerGroup().addTo(ctx.map);
	for (const f of sug.data.features || []) {
		if (!f.geometry) continue;
		const p = f.properties;
		const c = ctx.colourOf('services', p.service);
		const shape = L.geoJSON(f, {
			pane: 'suggested',
			interactive: false,
			style: { color: c, weight: 2.5, dashArray: '6 5', fillColor: c, fillOpacity: 0.08, className: `plan-shape plan-${safe(p.unit)}` },
		}).addTo(sug.layer);
		const label = el('span', { style: `--c:${c}`, dataset: { unit: p.unit } }, p.unit);
		const marker = L.marker(shape.getBounds().getCenter(), {
			interactive: false,
			keyboard: false,
			icon: L.divIcon({ className: 'plan-label', html: label, iconSize: [0, 0] }),
		}).addTo(sug.layer);
		/* several units' zones share a hotspot: their labels are kept apart */
		labelAdd(ctx.map, marker, label, true);
	}
}

function render() {
	const { el } = ctx;
	const d = sug.data;
	$('sug-body').hidden = !d;
	if (!d) return;
	const cmp = planRows(d);
	$('sug-total-suggested').textContent = pct(cmp.suggested);
	$('sug-total-current').textContent = pct(cmp.current);
	$('sug-summary').textContent = t('suggest.summary', {
		offences: fmtNumber(d.expected_offences, 2),
		covered: fmtNumber(d.covered, 2),
		units: fmtNumber((d.features || []).length),
	}) + ' · ' + t('suggest.candidates', { n: fmtNumber(d.candidates), forecast: t(`suggest.forecast.${d.forecast}`) });
	const service = (code) => nameOf(ctx.meta.services.find((s) => s.code === code) || { code });
	$('sug-rows').replaceChildren(
		...cmp.rows.map((r) =>
			el('tr', { dataset: { service: r.service, unit: r.unit } },
				el('td', { title: service(r.service) }, el('i', { class: 'dot', style: `background:${ctx.colourOf('services', r.service)}` }), r.unit),
				el('td', { class: 'num', dataset: { field: 'suggested' } }, pct(r.suggested)),
				el('td', { class: 'num', dataset: { field: 'current' } }, pct(r.current)),
				el('td', { class: 'num', dataset: { field: 'minutes' } }, r.minutes_used === null ? fmtNumber(r.minutes) : `${fmtNumber(r.minutes_used)} / ${fmtNumber(r.minutes)}`),
				el('td', { class: 'num', dataset: { field: 'visits' } }, r.visits === null ? '—' : fmtNumber(r.visits)))),
	);
}

async function saveAsZones() {
	if (!sug.data || !sug.arg || !fieldsValid($('sug'))) return;
	const validFrom = $('sug-valid-from').value;
	const btn = $('sug-save');
	btn.disabled = true;
	let res;
	try {
		res = await ctx.api(`api/plan/save?${planQuery(sug.arg, validFrom, sug.data.forecast)}`, { method: 'POST' });
	} catch (e) {
		ctx.showError(e);
		return;
	} finally {
		btn.disabled = false;
	}
	ctx.toast(() => tn('suggest.saved', res.zones.length));
	clear();
	await plannerReload();
}

/* ---------- prints ---------- */

function syncPrints() {
	for (const [id, doc, format] of PRINTS) {
		const a = $(id);
		if (sug.arg) a.href = planPrintUrl(doc, format, sug.arg, { date: $('cov-date').value, lang: lang() });
		else a.removeAttribute('href');
	}
}

/* ---------- start ---------- */

function onPlanChange(arg) {
	const same = (a, b) => a && b && a.shift === b.shift && a.weekdays === b.weekdays && a.from === b.from && a.to === b.to;
	if (!same(arg, sug.arg)) clear();
	sug.arg = arg && { shift: arg.shift, weekdays: arg.weekdays, from: arg.from, to: arg.to };
	syncPrints();
}

/* Starts the suggestion and the prints under #plan-body; c lends app.js's
 * parts (see ctx). */
export function suggestStart(c) {
	ctx = c;
	/* Under the editable zones (the overlay pane, 400): never in their way. */
	ctx.map.createPane('suggested').style.zIndex = 385;
	$('sug-valid-from').value = nextMonday(ctx.isoDate(Date.now()));
	$('sug-run').addEventListener('click', suggest);
	$('sug-forecast').addEventListener('change', clear);
	$('sug-save').addEventListener('click', saveAsZones);
	$('cov-date').addEventListener('change', syncPrints);
	for (const [id] of PRINTS) {
		$(id).addEventListener('click', syncPrints);
		$(id).addEventListener('pointerenter', syncPrints);
	}
	translate($('sug'));
	translate($('plan-prints'));
	onLangChange(() => {
		render();
		syncPrints();
	});
	plannerOnChange(onPlanChange);
}
