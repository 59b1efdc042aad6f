// posbon viewer: the analysis panel's trends (docs/analysis.md, "Trends":
// emerging hot and cold spots from weekly Gi* and Mann-Kendall). A toggle
// shows the `trends` tile layer (the server draws each cell in its
// category's colour from the style; the same layer as in the layer list,
// kept in step with it) for the weeks asked ending at the end of the
// panel's period and with its other filters, a legend with the colours of
// GET /api/legend?layer=trends and the cells per category of GET
// /api/trends, and a popup per cell (clear shapes over the tiles): its
// category, weeks hot and the trend's Mann-Kendall Z and p. The server's
// 400 message shows next to the toggle.
//
// Each change of the filters or the data reloads it; an answer overtaken by
// a later request is dropped.

import { fmtNumber, onLangChange, t, translate } from './i18n.js';

/* The patterns in the order of docs/analysis.md (1 new … 8 historical);
 * a category is "<pattern> hot spot" or "<pattern> cold spot". */
export const TRENDS_PATTERNS = ['new', 'consecutive', 'intensifying', 'persistent', 'diminishing', 'sporadic', 'oscillating', 'historical'];
const DEFAULT_WEEKS = 12;

const $ = (id) => document.getElementById(id);

let ctx = null; /* analysis.js's: { L, map, api, el, filterParams(), showError, setLayer(id, on), layerOn(id) } */
const tr = { on: false, seq: 0, err: null, data: null, legend: null, layer: null };

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

/* The colour of a category name ("new hot spot") in a legend of GET
 * /api/legend?layer=trends; null for no pattern or without a legend. */
export function trendsColour(category, legend) {
	return legend?.categories?.find((c) => c.category === category)?.colour ?? null;
}

/* The legend's rows of an answer and a legend: [{ category, pattern, kind,
 * colour, cells (its features) }], hot then cold, each in the patterns'
 * order. */
export function trendsRows(fc, legend) {
	const cells = new Map();
	for (const f of fc?.features || []) cells.set(f.properties.category, (cells.get(f.properties.category) ?? 0) + 1);
	return ['hot', 'cold'].flatMap((kind) =>
		TRENDS_PATTERNS.map((pattern) => {
			const category = `${pattern} ${kind} spot`;
			return { category, pattern, kind, colour: trendsColour(category, legend), cells: cells.get(category) ?? 0 };
		}));
}

/* The label key of a legend entry ({ pattern 1..8, hot }). */
export function trendsLabel(entry) {
	return `trends.${entry.hot ? 'hot' : 'cold'}.${TRENDS_PATTERNS[entry.pattern - 1]}`;
}

/* The weeks asked in the panel ('' for the server's default). */
export function trendsWeeks() {
	return $('trends-weeks')?.value.trim() ?? '';
}

/* ---------- map and panel ---------- */

function popup(p) {
	const { el } = ctx;
	return el('div', { class: 'trends-popup' },
		el('strong', {}, t(trendsLabel(p))),
		el('div', { dataset: { field: 'weeks_hot' } }, t('trends.weeks_hot', { n: fmtNumber(p.weeks_hot), weeks: fmtNumber(tr.data?.weeks) })),
		el('div', { dataset: { field: 'mk' } }, t('trends.mk', { z: fmtNumber(p.mk_z, 2), p: fmtNumber(p.mk_p, 4) })));
}

function drawMap() {
	tr.layer?.remove();
	tr.layer = null;
	if (!tr.on || !tr.data) return;
	/* The colour is the tiles'; the shapes only answer clicks. */
	tr.layer = ctx.L.geoJSON(tr.data, {
		pane: 'trends',
		style: () => ({ stroke: false, fillOpacity: 0, className: 'trends-cell' }),
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
		...trendsRows(d, tr.legend).map((r) =>
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
	let legend = null;
	let err = null;
	try {
		[fc, legend] = await Promise.all([
			ctx.api(`api/trends?${trendsQuery(ctx.filterParams(), trendsWeeks())}`),
			tr.legend ?? ctx.api('api/legend?layer=trends'),
		]);
	} catch (e) {
		err = e;
	}
	if (seq !== tr.seq || !tr.on) return;
	tr.data = fc;
	tr.legend = legend ?? tr.legend;
	tr.err = err;
	render(err);
	drawMap();
	if (err && err.status !== 400) ctx.showError(err);
}

/* Shows or hides the panel's figures and cells; the tiles follow through
 * the layer list unless it asked (from 1). */
function setOn(on, fromList = false) {
	tr.on = on;
	tr.data = tr.err = null;
	$('trends-on').checked = on;
	if (!fromList) ctx.setLayer('trends', on);
	render();
	drawMap();
	load();
}

/* The layer list turned the trends tile layer on or off. */
export function trendsLayerToggled(on) {
	if (ctx && on !== tr.on) setOn(on, true);
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
	$('trends-weeks').addEventListener('change', () => {
		ctx.setLayer('trends', tr.on); /* new tiles for the weeks */
		load();
	});
	translate($('trends'));
	onLangChange(() => render());
	setOn(!!ctx.layerOn('trends'), true);
}
