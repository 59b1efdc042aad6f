// posbon viewer: the analysis panel, for every role that reads. Getis-Ord Gi*
// (docs/analysis.md): a toggle shows the significant hot and cold cells of the
// panel's filters on the map and the figures of GET /api/gistar with the same
// filters: cells per confidence bin (hot and cold at 90/95/99%), the band
// and its source, the cell size, the analysed cells and offences.
//
// Without the FDR option the map shows the `gistar` tile layer (the server's
// default analysis, the answer's grid). The tile layer knows no FDR, so with
// the option the map draws the cells of the FDR-corrected answer itself
// (GET /api/gistar gives them as polygons for this) in the same colours,
// and the map and the figures always tell the same analysis.
//
// Each change of the filters or the data reloads both; an answer overtaken
// by a later request is dropped.
//
// The panel also holds the trends (web/trends.js) and the backtest
// (web/backtest.js), started here with the same parts.

import { backtestStart } from './backtest.js';
import { fmtNumber, onLangChange, t, translate } from './i18n.js';
import { trendsFiltersChanged, trendsStart } from './trends.js';

/* ArcGIS's Hot Spot Analysis colours, as tiles/gistarlayer.c fills the bins. */
export const GISTAR_COLOURS = {
	3: '#d62f27',
	2: '#ed7551',
	1: '#fab984',
	'-1': '#c0ccbe',
	'-2': '#849eba',
	'-3': '#4575b5',
};
/* The bins in the legend's order: hot 99% down to cold 99%. */
export const GISTAR_BINS = [3, 2, 1, -1, -2, -3];
const CONFIDENCE = { 1: 90, 2: 95, 3: 99 };
const TILE_Z = 25; /* above the heatmap (20), under the zones (30) */
const KEY = 'posbon.gistar';

const $ = (id) => document.getElementById(id);

let ctx = null; /* app.js's parts: { L, map, api, el, bounds(), filterParams(), dataVersion(), showError, setLayer(id, on), layerOn(id), legendChanged() } */
const gi = { on: false, fdr: false, seq: 0, data: null, tiles: null, cells: null };

/* ---------- pure (tests/web/test_analysis.mjs) ---------- */

/* The query of /api/gistar (and of the tiles) for the panel's filters. */
export function gistarQuery(filter, fdr) {
	const p = new URLSearchParams(filter);
	if (fdr) p.set('fdr', 'true');
	return p;
}

/* The legend's rows of an answer of /api/gistar: [{ bin, kind (hot, cold),
 * confidence (90, 95, 99), colour, cells }] in GISTAR_BINS order. */
export function gistarRows(fc) {
	return GISTAR_BINS.map((bin) => ({
		bin,
		kind: bin > 0 ? 'hot' : 'cold',
		confidence: CONFIDENCE[Math.abs(bin)],
		colour: GISTAR_COLOURS[bin],
		cells: Number(fc?.bins?.[String(bin)] ?? 0),
	}));
}

/* ---------- map ---------- */

function clearMap() {
	gi.tiles?.remove();
	gi.cells?.remove();
	gi.tiles = gi.cells = null;
}

function tileUrl() {
	const p = gistarQuery(ctx.filterParams(), false);
	p.set('v', String(ctx.dataVersion()));
	return `tiles/gistar/{z}/{x}/{y}{r}.png?${p}`;
}

function drawMap() {
	if (!gi.on) return clearMap();
	const { L } = ctx;
	if (!gi.fdr) {
		gi.cells?.remove();
		gi.cells = null;
		const url = tileUrl();
		if (gi.tiles?._url === url) return;
		gi.tiles?.remove();
		gi.tiles = L.tileLayer(url, { zIndex: TILE_Z, maxZoom: 19, bounds: ctx.bounds().pad(0.15), className: 'tiles-gistar', opacity: 0.75 }).addTo(ctx.map);
		return;
	}
	gi.tiles?.remove();
	gi.tiles = null;
	gi.cells?.remove();
	gi.cells = null;
	if (!gi.data) return;
	gi.cells = L.geoJSON(gi.data, {
		pane: 'gistar',
		interactive: false,
		style: (f) => {
			const c = GISTAR_COLOURS[f.properties.bin];
			return { stroke: false, fillColor: c, fillOpacity: 0.75, className: 'gistar-cell' };
		},
	}).addTo(ctx.map);
}

/* ---------- panel ---------- */

async function load() {
	const seq = ++gi.seq;
	if (!gi.on) return;
	let fc;
	try {
		fc = await ctx.api(`api/gistar?${gistarQuery(ctx.filterParams(), gi.fdr)}`);
	} catch (e) {
		if (seq !== gi.seq) return;
		gi.data = null;
		render(e);
		drawMap();
		if (e.field !== 'filter') ctx.showError(e);
		return;
	}
	if (seq !== gi.seq || !gi.on) return;
	gi.data = fc;
	render();
	drawMap();
}

/* The figures of gi.data, or why there are none (err: an ApiError). */
function render(err) {
	const { el } = ctx;
	$('gistar-body').hidden = !gi.on;
	$('gistar-fdr').checked = gi.fdr;
	const d = gi.data;
	$('gistar-error').hidden = !err;
	$('gistar-error').textContent = err ? (err.field === 'filter' ? t('gistar.empty') : err.message) : '';
	$('gistar-figures').hidden = !d;
	if (!d) return;
	$('gistar-figures').dataset.fdr = String(!!d.fdr);
	$('gistar-bins').replaceChildren(
		...gistarRows(d).map((r) =>
			el('tr', { dataset: { bin: String(r.bin) } },
				el('td', {}, el('i', { class: 'sw', style: `--c:${r.colour}` }), t(`gistar.${r.kind}`, { p: r.confidence })),
				el('td', { class: 'num' }, el('strong', {}, fmtNumber(r.cells))))),
	);
	const figure = (field, text) => el('span', { dataset: { field } }, text);
	$('gistar-summary').replaceChildren(
		figure('cell_m', t('gistar.cell', { m: fmtNumber(d.cell_m) })), ' · ',
		figure('band_m', t('gistar.band', { m: fmtNumber(d.band_m), source: t(`gistar.source.${d.band_source}`) })), ' · ',
		figure('cells', t('gistar.cells', { n: fmtNumber(d.cells), offences: fmtNumber(d.offences) })),
	);
}

function setOn(on) {
	gi.on = on;
	gi.data = null;
	save();
	render();
	drawMap();
	load();
	ctx.legendChanged();
}

function save() {
	try {
		localStorage.setItem(KEY, JSON.stringify({ on: gi.on, fdr: gi.fdr }));
	} catch {
		/* not remembered */
	}
}

/* The panel's filters or the data changed: new tiles and figures. */
/* The analysis layers on the map, by their tile layer names (for prints). */
export function analysisLayers() {
	return gi.on ? ['gistar'] : [];
}

export function analysisFiltersChanged() {
	trendsFiltersChanged();
	if (!ctx || !gi.on) return;
	drawMap();
	load();
}

/* Starts the panel under #analysis-block; c lends app.js's parts (see ctx). */
export function analysisStart(c) {
	ctx = c;
	ctx.map.createPane('gistar').style.zIndex = 250;
	try {
		const v = JSON.parse(localStorage.getItem(KEY) || 'null');
		gi.fdr = !!v?.fdr;
		gi.on = !!v?.on;
	} catch {
		/* defaults */
	}
	$('gistar-on').checked = gi.on;
	$('gistar-on').addEventListener('change', (e) => setOn(e.target.checked));
	$('gistar-fdr').addEventListener('change', (e) => {
		gi.fdr = e.target.checked;
		save();
		drawMap();
		load();
	});
	translate($('analysis-block'));
	onLangChange(() => render());
	setOn(gi.on);
	backtestStart(ctx);
	trendsStart(ctx);
}
