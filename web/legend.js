// posbon viewer: the map's legend, bottom right. One block per layer shown,
// from its answer of GET /api/legend (the heatmap's and the change's ramps,
// the choropleth's classes, the emerging hot and cold spots as a table of
// patterns by hot and cold, the categories and services), the Gi* bins when
// the analysis shows them, the planning mode's hotspot statuses and the
// services of its zones, and the boundary lines. The blocks of other
// modules come first (the comparison's colouring) or last (the tasks and
// activities overlays).
//
// legendRender() rebuilds the whole legend from what app.js lends it; the
// module keeps nothing between calls.

import { GISTAR_BINS, GISTAR_COLOURS } from './analysis.js';
import { COVERAGE_COLOURS } from './coverage.js';
import { fmtRound, nameOf, t } from './i18n.js';
import { TRENDS_PATTERNS } from './trends.js';

/* The layers with a block, in the legend's order. */
export const LEGEND_LAYERS = ['heatmap', 'change', 'trends', 'choropleth', 'offences', 'zones', 'tracks'];
const COVERAGE_STATUSES = ['gap', 'covered', 'joint', 'overlap'];

/* The entries of kind (categories, services) of an answer of /api/legend,
 * as records with a code. */
export function legendEntries(r, kind, listOf) {
	const arr = Array.isArray(r) ? r : r[kind] || r.items || r.entries || r.categories || r.services || [];
	return listOf(arr);
}

/* The trends' answer as rows of the legend's table: [{ pattern (its name),
 * hot, cold (colours or null) }] for the patterns the style draws, in their
 * order. */
export function trendsTable(r) {
	const rows = TRENDS_PATTERNS.map((pattern) => ({ pattern, hot: null, cold: null }));
	for (const c of r?.categories || [])
		if (c.pattern >= 1 && c.pattern <= TRENDS_PATTERNS.length && c.colour) rows[c.pattern - 1][c.hot ? 'hot' : 'cold'] = c.colour;
	return rows.filter((x) => x.hot || x.cold);
}

/* A swatch of colour c (a custom property: the server's
 * Content-Security-Policy refuses inline style attributes, not CSSOM). */
function swatch(el, c, cls = 'sw') {
	const i = el('i', { class: cls });
	i.style.setProperty('--c', c);
	return i;
}

/* A continuous bar through the stops at equal spacing (the breaks grow
 * geometrically), labelled at every other stop when there are many. */
function ramp(el, stops) {
	const n = stops.length;
	if (n < 2) return null;
	const at = (i) => (100 * i) / (n - 1);
	const grad = stops.map((s, i) => `${s.colour} ${at(i)}%`).join(', ');
	const every = n > 5 ? 2 : 1;
	return el(
		'div',
		{ class: 'ramp-box' },
		el('div', { class: 'ramp', style: `background: linear-gradient(to right, ${grad}), #fbfbf8` }),
		el(
			'div',
			{ class: 'ramp-labels' },
			stops.map((s, i) =>
				i % every === 0 ? el('span', { style: `left:${at(i)}%`, class: i === 0 ? 'first' : '' }, fmtRound(s.value)) : null,
			),
		),
	);
}

/* The block of layer id from its answer r. c: see legendRender(). */
function layerBlock(c, id, r) {
	const { el } = c;
	const box = el('div', { class: 'lg-block', dataset: { layer: id } });
	if (r instanceof Error || !r) {
		box.append(el('h3', {}, t(`layer.${id}`)), el('div', { class: 'lg-note' }, t('legend.unavailable')));
	} else if (id === 'heatmap' || id === 'change') {
		const stops = (r.stops || []).map((s) => ({ value: Number(s.value), colour: s.colour || s.color }));
		const days = Number(r.period_days);
		box.append(
			el('h3', {}, t(id === 'change' ? 'legend.change' : 'legend.heat')),
			Number.isFinite(days) && days > 0 ? el('div', { class: 'lg-note' }, t('legend.heat.period', { days: fmtRound(days) })) : null,
			ramp(el, stops),
		);
		/* The heatmap's scale: the style's for every filter, or fitted once
		 * to this one (a narrow filter then spans the colours); the map
		 * says which it shows. */
		if (id === 'heatmap' && r.ramp) {
			const input = el('input', { type: 'checkbox', id: 'legend-fit' });
			input.checked = r.ramp === 'fitted';
			input.addEventListener('change', () => c.setFit(input.checked));
			box.append(
				el('div', { class: 'lg-note', dataset: { ramp: r.ramp } }, t(`legend.ramp.${r.ramp}`)),
				el('label', { class: 'check lg-fit' }, input, el('span', {}, t('legend.ramp.fit'))),
			);
		}
	} else if (id === 'trends') {
		/* A row per pattern, its hot and cold colours side by side: half
		 * the height of sixteen rows, and each pattern named once. */
		const rows = trendsTable(r);
		box.append(
			el('h3', {}, t('legend.trends')),
			el('table', { class: 'lg-trends' },
				el('thead', {}, el('tr', {}, el('th', {}), el('th', {}, t('legend.hot')), el('th', {}, t('legend.cold')))),
				el('tbody', {}, rows.map((x) => el('tr', { dataset: { pattern: x.pattern } },
					el('th', { scope: 'row' }, t(`trends.pattern.${x.pattern}`)),
					el('td', {}, x.hot ? swatch(el, x.hot) : null),
					el('td', {}, x.cold ? swatch(el, x.cold) : null))))),
		);
	} else if (id === 'choropleth') {
		const metric = r.metric || c.metric;
		const pct = metric === 'change';
		const f = (x) => (pct ? `${x > 0 ? '+' : ''}${fmtRound(Number(x) * 100)} %` : fmtRound(Number(x)));
		box.append(el('h3', {}, t(`legend.choropleth.${metric}`)));
		const ul = el('ul', { class: 'lg-classes' });
		for (const k of r.classes || []) ul.append(el('li', {}, swatch(el, k.colour || k.color), `${f(k.from)} – ${f(k.to)}`));
		box.append(ul);
	} else {
		const kind = id === 'offences' ? 'categories' : 'services';
		let entries = legendEntries(r, kind, c.listOf);
		if (!entries.length) entries = c.meta[kind];
		const shown = c.shown(kind);
		if (shown) entries = entries.filter((e) => shown.includes(e.code));
		box.append(el('h3', {}, t(`layer.${id}`)), codeList(c, kind, `lg-items lg-${id}`, entries));
	}
	return box;
}

/* A list of the records entries of kind, each with its colour. */
function codeList(c, kind, cls, entries) {
	const { el } = c;
	const ul = el('ul', { class: cls });
	for (const e of entries) {
		const rec = c.meta[kind].find((x) => x.code === e.code) || e;
		ul.append(el('li', {}, swatch(el, e.colour || e.color || c.colourOf(kind, e.code)), nameOf(rec)));
	}
	return ul;
}

/* The Gi* bins, hot 99 % down to cold 99 %. */
function gistarBlock(el) {
	const ul = el('ul', { class: 'lg-items lg-gistar' });
	for (const bin of GISTAR_BINS)
		ul.append(el('li', { dataset: { bin } }, swatch(el, GISTAR_COLOURS[bin]), t(bin > 0 ? 'gistar.hot' : 'gistar.cold', { p: { 1: 90, 2: 95, 3: 99 }[Math.abs(bin)] })));
	return el('div', { class: 'lg-block', dataset: { layer: 'gistar' } }, el('h3', {}, t('gistar.layer')), ul);
}

/* The planning mode's hotspots by status and its zones by service. */
function planningBlocks(c) {
	const { el } = c;
	const ul = el('ul', { class: 'lg-items lg-coverage' });
	for (const st of COVERAGE_STATUSES) ul.append(el('li', { dataset: { status: st } }, swatch(el, COVERAGE_COLOURS[st]), t(`coverage.status.${st}`)));
	return [
		el('div', { class: 'lg-block', dataset: { layer: 'coverage' } }, el('h3', {}, t('legend.hotspots')), ul),
		el('div', { class: 'lg-block', dataset: { layer: 'plan-zones' } }, el('h3', {}, t('layer.zones')), codeList(c, 'services', 'lg-items lg-zones', c.meta.services)),
	];
}

/* Rebuilds #legend-body. c: { el, listOf, meta, legend (layer -> answer
 * of /api/legend or an Error), layers (id -> shown), metric, shown(kind)
 * (the codes shown or null), colourOf(kind, code), gistar (shown),
 * planning (the planning mode is on), first and last (blocks to put
 * first or after the layers', or nulls) }. */
export function legendRender(c) {
	const { el } = c;
	const body = document.getElementById('legend-body');
	body.replaceChildren(...c.first.filter(Boolean));
	if (c.planning) body.append(...planningBlocks(c));
	if (c.gistar) body.append(gistarBlock(el));
	for (const id of LEGEND_LAYERS) {
		/* The planning mode draws its zones itself (above). */
		if (!(id in c.legend) || !c.layers[id] || (id === 'zones' && c.planning)) continue;
		body.append(layerBlock(c, id, c.legend[id]));
	}
	body.append(...(c.last || []).filter(Boolean));
	const lines = el('div', { class: 'lg-block lg-lines' });
	if (c.layers.districts) lines.append(el('div', {}, el('i', { class: 'line district' }), t('legend.boundary.district')));
	if (c.layers.mahallas) lines.append(el('div', {}, el('i', { class: 'line mahalla' }), t('legend.boundary.mahalla')));
	if (lines.childElementCount) body.append(lines);
	document.getElementById('legend').hidden = !body.childElementCount;
}
