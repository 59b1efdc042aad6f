// posbon viewer: the analysis panel's trends (docs/analysis.md, "Trends":
// emerging hot and cold spots from weekly Gi* and Mann-Kendall). A toggle
// draws the categorised cells of GET /api/trends, for the weeks asked
// ending at the end of the panel's period and with its other filters,
// coloured by category (hot in reds, cold in blues, as Gi*'s bins), a
// legend with the cells per category, and a popup per cell: its category,
// weeks hot and the trend's Mann-Kendall Z and p. The server's 400 message
// shows next to the toggle.
//
// Each change of the filters or the data reloads it; an answer overtaken by
// a later request is dropped.

import { fmtNumber, onLangChange, t, translate } from './i18n.js';

/* The patterns in the order of docs/analysis.md (1 new … 8 historical);
 * a category is "<pattern> hot spot" or "<pattern> cold spot". */
export const TRENDS_PATTERNS = ['new', 'consecutive', 'intensifying', 'persistent', 'diminishing', 'sporadic', 'oscillating', 'historical'];
/* Reds and blues, the lasting and growing patterns in the Gi* 99% colours. */
export const TRENDS_COLOURS = {
	hot: ['#fcbba1', '#fc9272', '#d62f27', '#ed7551', '#fab984', '#fdd49e', '#99000d', '#c9a397'],
	cold: ['#c6dbef', '#9ecae1', '#4575b5', '#849eba', '#c0ccbe', '#deebf7', '#08306b', '#a3adbd'],
};
const DEFAULT_WEEKS = 12;

const $ = (id) => document.getElementById(id);

let ctx = null; /* analysis.js's: { L, map, api, el, filterParams(), showError } */
const tr = { on: false, seq: 0, err: null, data: null, layer: null };

/* ---------- pure (tests/web/test_analysis.mjs) ---------- */

/* The query of /api/trends: the filter without its start (the weeks end
 * at its end; the server refuses weeks with from) and the weeks (a
 * string, '' for the server's default). */
export function trendsQuery(filter, weeks) {
	const p = new URLSearchParams(filter);
	p.delete('from');
	if (weeks !== '') p.set('weeks', weeks);
	return p;
}

/* The colour of a category name ("new hot spot"); null for no pattern. */
export function trendsColour(category) {
	const m = /^(\w+) (hot|cold) spot$/.exec(category || '');
	const i = m ? TRENDS_PATTERNS.indexOf(m[1]) : -1;
	return i < 0 ? null : TRENDS_COLOURS[m[2]][i];
}

/* The legend's rows of an answer: [{ category, pattern, kind, colour,
 * cells (its features) }], hot then cold, each in the patterns' order. */
export function trendsRows(fc) {
	const cells = new Map();
	for (const f of fc?.features || []) cells.set(f.properties.category, (cells.get(f.properties.category) ?? 0) + 1);
	return ['hot', 'cold'].flatMap((kind) =>
		TRENDS_PATTERNS.map((pattern) => {
			const category = `${pattern} ${kind} spot`;
			return { category, pattern, kind, colour: trendsColour(category), cells: cells.get(category) ?? 0 };
		}));
}

/* ---------- map and panel ---------- */

function popup(p) {
	const { el } = ctx;
	return el('div', { class: 'trends-popup' },
		el('strong', {}, t(`trends.${p.hot ? 'hot' : 'cold'}.${TRENDS_PATTERNS[p.pattern - 1]}`)),
		el('div', { dataset: { field: 'weeks_hot' } }, t('trends.weeks_hot', { n: fmtNumber(p.weeks_hot), weeks: fmtNumber(tr.data?.weeks) })),
		el('div', { dataset: { field: 'mk' } }, t('trends.mk', { z: fmtNumber(p.mk_z, 2), p: fmtNumber(p.mk_p, 4) })));
}

function drawMap() {
	tr.layer?.remove();
	tr.layer = null;
	if (!tr.on || !tr.data) return;
	tr.layer = ctx.L.geoJSON(tr.data, {
		pane: 'trends',
		style: (f) => ({ stroke: false, fillColor: trendsColour(f.properties.category), fillOpacity: 0.75, className: 'trends-cell' }),
		onEachFeature: (f, layer) => layer.bindPopup(() => popup(f.properties)),
	}).addTo(ctx.map);
}

/* The legend of tr.data, or why there is none (err: an ApiError). */
function render(err = tr.err) {
	const { el } = ctx;
	$('trends-body').hidden = !tr.on;
	$('trends-error').hidden = !err;
	$('trends-error').textContent = err ? (err.field === 'filter' ? t('gistar.empty') : err.message) : '';
	const d = tr.data;
	$('trends-figures').hidden = !d;
	if (!d) return;
	$('trends-rows').replaceChildren(
		...trendsRows(d).map((r) =>
			el('tr', { dataset: { category: r.category } },
				el('td', {}, el('i', { class: 'sw', style: `--c:${r.colour}` }), t(`trends.${r.kind}.${r.pattern}`)),
				el('td', { class: 'num' }, el('strong', {}, fmtNumber(r.cells))))),
	);
	$('trends-summary').textContent = t('trends.summary', {
		weeks: fmtNumber(d.weeks),
		from: String(d.from).slice(0, 10),
		to: String(d.to).slice(0, 10),
		none: fmtNumber(d.categories?.['no pattern']),
		cells: fmtNumber(d.cells),
	});
}

async function load() {
	const seq = ++tr.seq;
	if (!tr.on) return;
	let fc = null;
	let err = null;
	try {
		fc = await ctx.api(`api/trends?${trendsQuery(ctx.filterParams(), $('trends-weeks').value.trim())}`);
	} catch (e) {
		err = e;
	}
	if (seq !== tr.seq || !tr.on) return;
	tr.data = fc;
	tr.err = err;
	render(err);
	drawMap();
	if (err && err.status !== 400) ctx.showError(err);
}

function setOn(on) {
	tr.on = on;
	tr.data = tr.err = null;
	render();
	drawMap();
	load();
}

/* The panel's filters or the data changed. */
export function trendsFiltersChanged() {
	if (ctx && tr.on) load();
}

/* Starts the trends under #trends; c lends the parts (see ctx). */
export function trendsStart(c) {
	ctx = c;
	ctx.map.createPane('trends').style.zIndex = 255;
	$('trends-weeks').value = String(DEFAULT_WEEKS);
	$('trends-on').addEventListener('change', (e) => setOn(e.target.checked));
	$('trends-weeks').addEventListener('change', load);
	translate($('trends'));
	onLangChange(() => render());
	setOn($('trends-on').checked);
}
