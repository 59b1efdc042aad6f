// posbon viewer: "Did it help?" (docs/analysis.md, "Did it help?"; GET
// /api/evaluate). Opened from an activity (the mahalla's timeline, its
// marker on the map), from a mahalla's card, and from a hotspot or any
// point of the map (right-click), a box over the map draws the weekly
// offences of the area and of the rest of its district over N weeks before
// and from the day, with the day and the activities logged in the area in
// the window marked, and says the estimate in words: the rate ratio, its
// 95 % interval and whether the area's change differs from the district's
// beyond chance. The day (an activity's is its start) and the weeks can be
// changed in the box. The panel's categories, services, hours and weekdays
// apply; its period does not: the window is the weeks around the day.
//
// The chart is an SVG drawn here at the box's width: two bands over the
// same weeks, the area's above and the district's below, each on its own
// scale (a mahalla's few offences a week would lie flat beside the
// district's hundreds), with the mean of the weeks before and of the weeks
// after as lines.
//
// An answer overtaken by a later request is dropped.

import { ACTIVITY_COLOURS } from './activities.js';
import { dayText, field } from './coopform.js';
import { dateField } from './datefield.js';
import { fmtNumber, onLangChange, t, tn } from './i18n.js';

const WEEKS = [4, 8, 12, 26, 52];
const DAY_MS = 86400000;
const AREA_COLOUR = '#1a73e8';
const CONTROL_COLOUR = '#9aa4b0';
const MEAN_COLOUR = '#c5221f';
const SVG_NS = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);

/* app.js's parts: { el, api, zoned(ms), filterParams(), mahallaName(code) } */
let ctx = null;
const ev = { ask: null, weeks: 8, at: '', seq: 0, data: null, error: null };

/* ---------- pure (tests/web/test_evaluate.mjs) ---------- */

/* The query of GET /api/evaluate for ask ({ activity } | { mahalla, at } |
 * { lon, lat, radius, at }) over weeks, with the panel's filter's
 * categories, services, hours and weekdays (its period is no part of it). */
export function evaluateQuery(ask, weeks, filter) {
	const q = new URLSearchParams();
	if (ask.activity) q.set('activity', ask.activity);
	else if (ask.mahalla) q.set('mahalla', ask.mahalla);
	else {
		q.set('lon', String(ask.lon));
		q.set('lat', String(ask.lat));
		if (ask.radius) q.set('radius', String(ask.radius));
	}
	if (!ask.activity && ask.at) q.set('at', ask.at);
	q.set('weeks', String(weeks));
	const f = new URLSearchParams(filter);
	for (const k of ['categories', 'services', 'hours', 'weekdays']) if (f.get(k)) q.set(k, f.get(k));
	return q;
}

/* What the estimate e ({ ratio, low, high }) says: 'none' without one,
 * 'chance' when its interval holds 1, else 'fell' or 'rose'. */
export function evaluateVerdict(e) {
	const [r, lo, hi] = [e?.ratio, e?.low, e?.high].map((x) => (x === null || x === undefined ? NaN : Number(x)));
	if (![r, lo, hi].every(Number.isFinite)) return 'none';
	if (lo <= 1 && hi >= 1) return 'chance';
	return hi < 1 ? 'fell' : 'rose';
}

/* The top of an axis for counts up to v: 1, 2 or 5 times a power of ten,
 * at least 1. */
export function niceMax(v) {
	if (!(v > 1)) return 1;
	const p = 10 ** Math.floor(Math.log10(v));
	return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v);
}

/* The week (0 .. 2 weeks - 1) of the window that instant iso falls in, the
 * window starting weeks before at (an instant too); -1 outside it. */
export function weekIndex(at, weeks, iso) {
	const i = weeks + Math.floor((Date.parse(iso) - Date.parse(at)) / (7 * DAY_MS));
	return Number.isFinite(i) && i >= 0 && i < 2 * weeks ? i : -1;
}

/* A band of the chart from the weekly counts of key ('area' or 'control'):
 * { values, max (of the axis), before, after (the weekly means; after's of
 * the weeks before upto, those begun by now) }. */
export function evaluateBand(weekly, weeks, key, upto = weekly.length) {
	const values = weekly.map((w) => Number(w[key]) || 0);
	const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
	return { values, max: niceMax(Math.max(...values, 0)), before: mean(values.slice(0, weeks)), after: mean(values.slice(weeks, Math.max(weeks, upto))) };
}

/* How many weeks of the window (2 weeks from weeks before at) have begun
 * by now (ms). */
export function weeksBegun(at, weeks, now) {
	const i = weeks + Math.floor((now - Date.parse(at)) / (7 * DAY_MS)) + 1;
	return Number.isFinite(i) ? Math.max(0, Math.min(2 * weeks, i)) : 2 * weeks;
}

/* The change from before to after in %, or null when nothing was before. */
export function changePct(before, after) {
	return before > 0 ? ((after - before) / before) * 100 : null;
}

/* ---------- words ---------- */

const p3 = (p) => (p < 0.001 ? `< ${fmtNumber(0.001, 3)}` : fmtNumber(p, 3));

function pctText(x) {
	if (x === null) return '—';
	const r = Math.round(x);
	return r === 0 ? '±0 %' : `${r > 0 ? '+' : '−'}${fmtNumber(Math.abs(r))} %`;
}

/* The local day YYYY-MM-DD of instant ms in the district's time. */
function localDay(ms) {
	const p = ctx.zoned(ms);
	return `${p.year}-${p.month}-${p.day}`;
}

/* What the box looks at, in words. */
function placeWords(ask) {
	if (ask.activity) return t('evaluate.of.activity', { kind: t(`activities.kind.${ask.kind}`), day: dayText(localDay(Date.parse(ask.start))) });
	if (ask.mahalla) return t('evaluate.of.mahalla', { name: ctx.mahallaName(ask.mahalla) });
	const at = { lat: Number(ask.lat).toFixed(5), lon: Number(ask.lon).toFixed(5), radius: fmtNumber(ask.radius || 300) };
	return ask.label ? t('evaluate.of.hotspot', { label: ask.label, ...at }) : t('evaluate.of.point', at);
}

/* ---------- the box ---------- */

/* Opens the box for ask: { activity, kind, start } (an activity's id, kind
 * and start), { mahalla, at? }, or { lon, lat, radius?, label? (a
 * hotspot's), at? }; the day defaults to the one the weeks after end
 * today. */
export function openEvaluate(ask) {
	ev.ask = ask;
	ev.at = ask.at || localDay(Date.now() - ev.weeks * 7 * DAY_MS);
	ev.data = ev.error = null;
	build();
	load();
}

function closeEvaluate() {
	ev.seq++;
	ev.ask = null;
	$('eval')?.remove();
	window.removeEventListener('resize', drawChart);
}

function build() {
	const { el } = ctx;
	$('eval')?.remove();
	const day = dateField(el('input', { id: 'eval-day', 'data-field': 'at', value: ev.at }), 'date');
	day.addEventListener('change', () => {
		if (!day.value) return;
		ev.at = day.value;
		load();
	});
	const weeks = el('select', { id: 'eval-weeks', 'data-field': 'weeks' });
	for (const w of WEEKS) weeks.append(el('option', { value: String(w) }, fmtNumber(w)));
	weeks.value = String(ev.weeks);
	weeks.addEventListener('change', () => {
		ev.weeks = Number(weeks.value);
		load();
	});
	const close = el('button', { type: 'button', class: 'close', 'data-i18n-title': 'card.close', title: t('card.close'), 'aria-label': t('card.close') }, el('span', { 'aria-hidden': 'true' }, '×'));
	close.addEventListener('click', closeEvaluate);
	const box = el('section', { id: 'eval', class: 'card eval', role: 'dialog', 'aria-labelledby': 'eval-title' },
		el('header', { class: 'card-head' },
			el('div', {}, el('h2', { id: 'eval-title', 'data-i18n': 'evaluate.open' }, t('evaluate.open')), el('div', { class: 'card-meta', id: 'eval-place' })),
			close),
		el('div', { class: 'card-body' },
			el('div', { class: 'row two eval-ask' }, ev.ask.activity ? null : field(el, 'evaluate.day', day), field(el, 'evaluate.weeks', weeks)),
			el('div', { class: 'eval-out', id: 'eval-out', 'aria-live': 'polite' })));
	box.addEventListener('keydown', (e) => e.key === 'Escape' && closeEvaluate());
	document.querySelector('.map-wrap').append(box);
	window.addEventListener('resize', drawChart);
	render();
	close.focus();
}

async function load() {
	const seq = ++ev.seq;
	const q = evaluateQuery({ ...ev.ask, at: ev.at }, ev.weeks, ctx.filterParams());
	$('eval').dataset.src = `api/evaluate?${q}`;
	$('eval-out').setAttribute('aria-busy', 'true');
	try {
		const data = await ctx.api(`api/evaluate?${q}`);
		if (seq !== ev.seq) return;
		ev.data = data;
		ev.error = null;
	} catch (e) {
		if (seq !== ev.seq) return;
		ev.data = null;
		ev.error = e.message;
	}
	render();
}

function render() {
	const box = $('eval');
	if (!box) return;
	const { el } = ctx;
	$('eval-place').textContent = placeWords(ev.ask);
	const out = $('eval-out');
	out.removeAttribute('aria-busy');
	const d = ev.data;
	if (ev.error) return out.replaceChildren(el('p', { class: 'card-note error', role: 'alert' }, ev.error));
	if (!d) return out.replaceChildren(el('p', { class: 'card-note' }, t('card.loading')));
	const weeks = Number(d.weeks);
	/* the change per week: the weeks after not begun yet count nothing */
	const after = Math.max(1, weeksBegun(d.at, weeks, Date.now()) - weeks);
	box.dataset.at = d.at || '';
	const e = d.estimate || {};
	const verdict = evaluateVerdict(e);
	const row = (key, c) => el('tr', { dataset: { row: key } },
		el('th', { scope: 'row' }, el('i', { class: 'sw', style: `--c:${c}` }), t(`evaluate.${key}`)),
		el('td', { class: 'num', 'data-field': `${key}.before` }, fmtNumber(d[key]?.before)),
		el('td', { class: 'num', 'data-field': `${key}.after` }, fmtNumber(d[key]?.after)),
		el('td', { class: 'num' }, pctText(changePct(Number(d[key]?.before) / weeks, Number(d[key]?.after) / after))));
	const acts = d.activities || [];
	const future = Date.parse(d.at) + weeks * 7 * DAY_MS > Date.now();
	out.replaceChildren(...[
		el('p', { class: 'cov-note eval-period' }, tn('evaluate.period', weeks)),
		el('div', { class: 'eval-chart', id: 'eval-chart' }),
		el('ul', { class: 'eval-key' },
			el('li', {}, el('i', { class: 'sw', style: `--c:${AREA_COLOUR}` }), t('evaluate.area')),
			el('li', {}, el('i', { class: 'sw', style: `--c:${CONTROL_COLOUR}` }), t('evaluate.control')),
			el('li', {}, el('i', { class: 'eval-mean' }), t('evaluate.mean')),
			acts.length ? el('li', {}, el('i', { class: 'sw eval-act' }), tn('evaluate.activities', acts.length)) : null),
		el('table', { class: 'cov-table eval-table' },
			el('thead', {}, el('tr', {}, el('th', {}), ...['before', 'after', 'change'].map((k) => el('th', { class: 'num' }, t(`evaluate.${k}`))))),
			el('tbody', {}, row('area', AREA_COLOUR), row('control', CONTROL_COLOUR))),
		verdict === 'none' ? null : el('p', { class: 'eval-ratio', 'data-field': 'ratio' },
			t('evaluate.ratio', { ratio: fmtNumber(e.ratio, 2), low: fmtNumber(e.low, 2), high: fmtNumber(e.high, 2), p: p3(Number(e.p)) })),
		el('p', { class: `eval-verdict ${verdict}`, dataset: { verdict } }, t(`evaluate.verdict.${verdict}`)),
		verdict === 'none' ? null : el('p', { class: 'cov-note' }, t('evaluate.expected', { expected: fmtNumber(e.expected, 1), seen: fmtNumber(d.area?.after) })),
		future ? el('p', { class: 'cov-note eval-future' }, t('evaluate.future')) : null,
		el('p', { class: 'cov-note' }, t('evaluate.caveat')),
	].filter(Boolean));
	drawChart();
}

/* ---------- the chart ---------- */

function svg(tag, attrs = {}, ...children) {
	const e = document.createElementNS(SVG_NS, tag);
	for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, String(v));
	for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
	return e;
}

/* Draws the weekly counts into #eval-chart at its width. */
function drawChart() {
	const box = $('eval-chart');
	const d = ev.data;
	if (!box || !d) return;
	const weeks = Number(d.weeks);
	const weekly = d.weekly || [];
	const n = weekly.length;
	if (!n) return box.replaceChildren();
	const W = Math.max(280, Math.round(box.clientWidth || 480));
	const [left, right] = [34, 8];
	const H = 228;
	const bw = (W - left - right) / n;
	const x = (i) => left + i * bw;
	const bands = [
		{ key: 'area', colour: AREA_COLOUR, label: 36, top: 42, h: 84 },
		{ key: 'control', colour: CONTROL_COLOUR, label: 146, top: 152, h: 52 },
	];
	const g = [];
	/* the weeks after the day begun by now, shaded (the means leave the
	 * others out), and the day */
	const begun = Math.min(n, weeksBegun(d.at, weeks, Date.now()));
	g.push(svg('rect', { x: x(weeks), y: 20, width: Math.max(0, x(begun) - x(weeks)), height: 186, fill: '#eef3fb' }));
	for (const b of bands) {
		const band = evaluateBand(weekly, weeks, b.key, begun);
		const y = (v) => b.top + b.h - (v / band.max) * b.h;
		g.push(svg('text', { x: left, y: b.label, class: 'eval-band' }, t(`evaluate.${b.key}`)));
		g.push(svg('text', { x: left - 5, y: b.top + 4, 'text-anchor': 'end', class: 'eval-tick' }, fmtNumber(band.max)));
		g.push(svg('text', { x: left - 5, y: b.top + b.h + 4, 'text-anchor': 'end', class: 'eval-tick' }, '0'));
		g.push(svg('line', { x1: left, x2: x(n), y1: b.top + b.h, y2: b.top + b.h, stroke: '#8a8f98', 'stroke-width': 1 }));
		g.push(svg('line', { x1: left, x2: x(n), y1: b.top, y2: b.top, stroke: '#e3e7eb', 'stroke-width': 1 }));
		band.values.forEach((v, i) => {
			const bar = svg('rect', { x: x(i) + bw * 0.15, y: y(v), width: bw * 0.7, height: b.top + b.h - y(v), fill: b.colour, class: `eval-bar ${b.key}`, 'data-week': weekly[i].week, 'data-count': v },
				svg('title', {}, `${t('evaluate.week', { day: dayText(weekly[i].week) })}: ${fmtNumber(v)}`));
			g.push(bar);
		});
		for (const [from, to, mean, half] of [[0, weeks, band.before, 'before'], [weeks, begun, band.after, 'after']])
			if (to > from) g.push(svg('line', { x1: x(from), x2: x(to), y1: y(mean), y2: y(mean), stroke: MEAN_COLOUR, 'stroke-width': 2, 'stroke-dasharray': '6 3', class: `eval-mean-line ${b.key} ${half}`, 'data-mean': mean },
				svg('title', {}, `${t('evaluate.mean')}: ${fmtNumber(mean, 1)}`)));
	}
	g.push(svg('line', { x1: x(weeks), x2: x(weeks), y1: 16, y2: 208, stroke: '#37424d', 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }));
	/* the activities in the window at their weeks, side by side in one */
	const inWeek = new Map(); /* week -> its activities */
	for (const a of d.activities || []) {
		const i = weekIndex(d.at, weeks, a.start);
		if (i >= 0) inWeek.set(i, [...(inWeek.get(i) || []), a]);
	}
	for (const [i, list] of inWeek)
		list.forEach((a, k) => g.push(svg('circle', { cx: x(i) + bw / 2 + (k - (list.length - 1) / 2) * 11, cy: 11, r: 5, fill: ACTIVITY_COLOURS[a.kind] || ACTIVITY_COLOURS.other, stroke: '#fff', 'stroke-width': 1.5, class: 'eval-activity', 'data-id': a.id, 'data-week': i },
			svg('title', {}, `${t(`activities.kind.${a.kind}`)} · ${dayText(localDay(Date.parse(a.start)))}`))));
	/* the first week's day, the day and the last week's end */
	const end = localDay(Date.parse(d.at) + weeks * 7 * DAY_MS - DAY_MS);
	g.push(svg('text', { x: left, y: H - 4, class: 'eval-tick' }, dayText(weekly[0].week)));
	g.push(svg('text', { x: x(weeks), y: H - 4, 'text-anchor': 'middle', class: 'eval-tick eval-day' }, dayText(localDay(Date.parse(d.at)))));
	g.push(svg('text', { x: x(n), y: H - 4, 'text-anchor': 'end', class: 'eval-tick' }, dayText(end)));
	box.replaceChildren(svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${t('evaluate.area')}, ${t('evaluate.control')}` }, g));
}

/* Starts the module; c lends app.js's parts. */
export function evaluateStart(c) {
	ctx = c;
	onLangChange(render);
}
