// posbon viewer: the directorate's view. A district switcher in the panel's
// head (when the token reaches more than one district), the comparison table
// of GET /api/compare (docs/analysis.md, "Comparison table": per district, or
// per mahalla of the chosen district) and the map coloured by one of its
// measures.
//
// The table follows the panel's period, categories, services and district;
// it counts whole days, so hours and weekdays are left out and the panel
// says so. Sorting is in the page (the answer holds every row); a click on
// a district's row chooses that district, on a mahalla's opens its card.
// The coloured map is drawn in the page from GET /api/districts (or the
// mahallas the viewer holds) so every measure of the table, significance
// included, can colour it without a tile layer per measure.
//
// An answer overtaken by a later request is dropped.

import { fmtNumber, lang, nameOf, onLangChange, t } from './i18n.js';

/* The measures a map can be coloured by, and how: `seq` grows from light
 * to dark, `div` is centred on no change, `good` is a share where more is
 * better; a change is coloured only where it is significant (the row's
 * `significance` member), else it is drawn as within chance. */
export const COMPARE_MEASURES = [
	{ id: 'offences', scale: 'seq' },
	{ id: 'rate', scale: 'seq' },
	{ id: 'change_previous', scale: 'div', significance: 'significant_previous' },
	{ id: 'change_last_year', scale: 'div', significance: 'significant_last_year' },
	{ id: 'covered_share', scale: 'good' },
];
export const WITHIN_CHANCE = '#e6e6e6';
const PALETTES = {
	seq: ['#fef0d9', '#fdcc8a', '#fc8d59', '#e34a33', '#b30000'],
	div: ['#2166ac', '#92c5de', '#f7f7f7', '#f4a582', '#b2182b'],
	good: ['#edf8e9', '#bae4b3', '#74c476', '#31a354', '#006d2c'],
};
/* The table's columns: the measure, its number of decimals, percent. */
const COLUMNS = [
	{ id: 'name' },
	{ id: 'offences', digits: 0 },
	{ id: 'change_previous', change: 'previous' },
	{ id: 'change_last_year', change: 'last_year' },
	{ id: 'rate', digits: 1 },
	{ id: 'covered_share', share: true },
];
const PANE_Z = 250; /* over the tiles, under the selection (450) */
const KEY = 'posbon.compare';

const $ = (id) => document.getElementById(id);

let ctx = null; /* app.js's parts: { L, map, api, el, meta, filterParams(), district(), chooseDistrict(code), openMahalla(code), mahallas(), showError, legendChanged() } */
const cmp = { on: false, measure: '', sort: 'offences', desc: true, seq: 0, data: null, shapes: null, layer: null };

/* ---------- pure (tests/web/test_compare.mjs) ---------- */

/* The query of /api/compare for the panel's filter: whole local days, the
 * categories, services and district; hours and weekdays are not applied
 * (`partial` says whether the filter had them). */
export function compareQuery(filter) {
	const f = new URLSearchParams(filter);
	const p = new URLSearchParams();
	for (const k of ['from', 'to']) if (f.get(k)) p.set(k, f.get(k).slice(0, 10));
	for (const k of ['categories', 'services', 'district', 'region']) if (f.get(k)) p.set(k, f.get(k));
	return { query: p, partial: f.has('hours') || f.has('weekdays') };
}

/* The value of measure id in row r (a number, or null when unknown). */
export function measureOf(r, id) {
	if (id === 'name') return nameOf(r) || r.code;
	const v = r?.[id];
	return v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v);
}

/* rows sorted by column id (names in the language's order), unknown values
 * last whatever the direction. Returns a new array. */
export function compareSort(rows, id, desc, language = 'uz') {
	const collator = new Intl.Collator(language);
	return rows
		.map((r, i) => ({ r, i, v: measureOf(r, id) }))
		.sort((a, b) => {
			if (a.v === null || b.v === null) return (a.v === null) - (b.v === null) || a.i - b.i;
			const c = id === 'name' ? collator.compare(a.v, b.v) : a.v - b.v;
			return (desc ? -c : c) || a.i - b.i;
		})
		.map((x) => x.r);
}

/* Five classes of the values of measure (see COMPARE_MEASURES): quantile
 * breaks for counts, rates and shares; for a change, breaks symmetric
 * around 0 so that the middle class is "about the same" and red is always
 * a rise. [{ from, to, colour }], empty without a known value. */
export function compareClasses(values, measure) {
	const m = COMPARE_MEASURES.find((x) => x.id === measure);
	const v = values.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
	if (!m || !v.length) return [];
	const colours = PALETTES[m.scale];
	if (m.scale === 'div') {
		const top = Math.max(Math.abs(v[0]), Math.abs(v[v.length - 1]), 10);
		const b = [-top, -top / 2, -top / 6, top / 6, top / 2, top];
		return colours.map((colour, i) => ({ from: b[i], to: b[i + 1], colour }));
	}
	const q = (p) => v[Math.min(v.length - 1, Math.floor(p * v.length))];
	const breaks = [v[0], q(0.2), q(0.4), q(0.6), q(0.8), v[v.length - 1]];
	const out = [];
	for (let i = 0; i < 5; i++) {
		const from = breaks[i], to = breaks[i + 1];
		/* Equal breaks (few distinct values) make one class, not five. */
		if (out.length && from === out[out.length - 1].from) continue;
		out.push({ from, to, colour: colours[i] });
	}
	return out;
}

/* The colour of value x among classes (null: unknown). */
export function classColour(classes, x) {
	if (x === null || !Number.isFinite(x) || !classes.length) return null;
	const c = classes.find((k) => x <= k.to) || classes[classes.length - 1];
	return c.colour;
}

/* A local day YYYY-MM-DD as the viewer writes dates: DD.MM.YYYY. */
export function dayText(day) {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || '');
	return m ? `${m[3]}.${m[2]}.${m[1]}` : day || '';
}

/* How rows colour a map by measure: { classes, colour(row) (null:
 * unknown), within (some row's change is within chance) }; the classes are
 * of the significant changes only. */
export function compareColouring(rows, measure) {
	const m = COMPARE_MEASURES.find((x) => x.id === measure);
	const shown = (r) => !m?.significance || r[m.significance] === true;
	const classes = compareClasses(rows.filter(shown).map((r) => measureOf(r, measure)), measure);
	const colour = (r) => {
		const v = measureOf(r, measure);
		if (v === null) return null;
		return shown(r) ? classColour(classes, v) : WITHIN_CHANCE;
	};
	return { classes, colour, within: rows.some((r) => measureOf(r, measure) !== null && !shown(r)) };
}

/* The area choice (the switcher's value: a district's code, "region:"
 * and a region's, or "") names in meta: { kind: 'district' | 'region',
 * area }; else the only district in reach, or null (every district). */
export function chosenArea(meta, choice) {
	if (choice?.startsWith('region:')) {
		const r = (meta.regions || []).find((x) => x.code === choice.slice(7));
		if (r) return { kind: 'region', area: r };
	}
	const d = meta.districts.find((x) => x.code === choice);
	if (d) return { kind: 'district', area: d };
	return meta.districts.length === 1 ? { kind: 'district', area: meta.districts[0] } : null;
}

/* ---------- the switcher ---------- */

function renderSwitcher() {
	const s = $('district-select');
	const list = ctx.meta.districts;
	s.hidden = list.length < 2;
	if (s.hidden) return;
	const collator = new Intl.Collator(lang());
	const byName = (a, b) => collator.compare(nameOf(a), nameOf(b));
	const options = (ds) => [...ds].sort(byName).map((d) => ctx.el('option', { value: d.code }, nameOf(d)));
	const regions = [...(ctx.meta.regions || [])].sort(byName);
	/* With regions, each is a group: the whole region first, then its
	 * districts. */
	const groups = regions.map((r) => {
		const g = ctx.el('optgroup', { label: nameOf(r) }, ctx.el('option', { value: `region:${r.code}` }, t('districts.region_all', { name: nameOf(r) })));
		g.append(...options(list.filter((d) => d.region === r.code)));
		return g;
	});
	const rest = list.filter((d) => !regions.some((r) => r.code === d.region));
	s.replaceChildren(
		ctx.el('option', { value: '' }, t('districts.all')),
		...groups,
		...(groups.length && rest.length ? [ctx.el('optgroup', { label: t('districts.no_region') }, ...options(rest))] : options(rest)),
	);
	s.value = ctx.district();
	s.title = t('districts.choose');
	s.setAttribute('aria-label', t('districts.choose'));
}

/* ---------- the table ---------- */

function fmtChange(x) {
	if (x === null) return '—';
	if (x === 0) return '±0\u202f%';
	/* A narrow no-break space keeps the sign, number and % one word. */
	return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${fmtNumber(Math.abs(x), Math.abs(x) < 10 ? 1 : 0)}\u202f%`;
}

function shareText(x) {
	return x === null ? '—' : `${fmtNumber(x * 100)}\u202f%`;
}

function cell(r, col) {
	const { el } = ctx;
	const v = measureOf(r, col.id);
	if (col.id === 'name') return el('th', { scope: 'row' }, v);
	if (col.change) {
		const sig = r[`significant_${col.change}`] === true;
		const p = r[`p_${col.change}`];
		const td = el('td', { class: `num chg${sig ? ` sig ${v > 0 ? 'up' : 'down'}` : ''}` }, fmtChange(v));
		if (v !== null && Number.isFinite(Number(p)))
			td.title = t(sig ? 'compare.significant' : 'compare.not_significant', { p: fmtNumber(Number(p), 3) });
		return td;
	}
	if (col.share) return el('td', { class: 'num' }, shareText(v));
	return el('td', { class: 'num' }, fmtNumber(v, v !== null && col.digits ? col.digits : 0));
}

function renderTable() {
	const { el } = ctx;
	const d = cmp.data;
	const head = $('cmp-head');
	const body = $('cmp-rows');
	const mahallas = d?.level === 'mahalla';
	$('cmp-title').textContent = t(mahallas ? 'compare.title.mahallas' : 'compare.title');
	$('cmp-back').hidden = !(mahallas && ctx.meta.districts.length > 1);
	head.replaceChildren(
		...COLUMNS.map((c) => {
			const th = el('th', { scope: 'col', class: c.id === 'name' ? '' : 'num', dataset: { sort: c.id } });
			const b = el('button', { type: 'button', class: 'sort' }, t(`compare.col.${c.id}`));
			b.title = t(`compare.col.${c.id}.hint`);
			b.addEventListener('click', () => {
				cmp.desc = cmp.sort === c.id ? !cmp.desc : c.id !== 'name';
				cmp.sort = c.id;
				save();
				renderTable();
			});
			if (cmp.sort === c.id) th.setAttribute('aria-sort', cmp.desc ? 'descending' : 'ascending');
			th.append(b);
			return th;
		}),
	);
	if (!d) return body.replaceChildren();
	const rows = compareSort(d.rows || [], cmp.sort, cmp.desc, lang());
	body.replaceChildren(
		...rows.map((r) => {
			const tr = el('tr', { class: 'pick', dataset: { code: r.code } }, ...COLUMNS.map((c) => cell(r, c)));
			tr.tabIndex = 0;
			const open = () => (mahallas ? ctx.openMahalla(r.code) : ctx.chooseDistrict(r.code));
			tr.addEventListener('click', open);
			tr.addEventListener('keydown', (e) => e.key === 'Enter' && open());
			return tr;
		}),
	);
	const total = { ...d.total, name_uz: t('compare.total'), name_ru: t('compare.total'), name_en: t('compare.total') };
	$('cmp-total').replaceChildren(el('tr', {}, ...COLUMNS.map((c) => cell(total, c))));
	const s = d.spans || {};
	$('cmp-note').textContent = t('compare.note', {
		from: dayText(s.period?.from ?? d.from),
		to: dayText(s.period?.to ?? d.to),
		days: fmtNumber(s.period?.days),
	});
}

/* The query of the table: the panel's, and the only district in reach
 * named, so that its table is of its mahallas. */
function tableQuery() {
	const q = compareQuery(ctx.filterParams());
	const list = ctx.meta.districts;
	if (!q.query.has('district') && list.length === 1) q.query.set('district', list[0].code);
	return q;
}

function links() {
	const { query } = tableQuery();
	const csv = new URLSearchParams(query);
	csv.set('format', 'csv');
	csv.set('sort', `${cmp.desc ? '-' : ''}${cmp.sort}`);
	csv.set('lang', lang());
	$('cmp-csv').href = `api/compare?${csv}`;
	const pdf = new URLSearchParams(csv);
	pdf.delete('format');
	pdf.set('paper', $('print-paper')?.value || 'a4');
	if ($('print-landscape')?.value === '1') pdf.set('landscape', '1');
	$('cmp-print').href = `print/compare.pdf?${pdf}`;
}

async function load() {
	const seq = ++cmp.seq;
	const { query, partial } = tableQuery();
	$('cmp-partial').hidden = !partial;
	$('cmp-error').hidden = true;
	$('cmp-body').setAttribute('aria-busy', 'true');
	try {
		const data = await ctx.api(`api/compare?${query}`);
		if (seq !== cmp.seq) return;
		cmp.data = data;
		$('cmp-body').hidden = false;
		renderTable();
		await drawMap();
	} catch (e) {
		if (seq !== cmp.seq) return;
		cmp.data = null;
		$('cmp-body').hidden = true;
		$('cmp-error').textContent = e.message;
		$('cmp-error').hidden = false;
		clearMap();
	} finally {
		if (seq === cmp.seq) $('cmp-body').removeAttribute('aria-busy');
	}
}

/* ---------- the coloured map ---------- */

function clearMap() {
	cmp.layer?.remove();
	cmp.layer = null;
	ctx.legendChanged();
}

/* The areas of the table's level as GeoJSON Features. */
async function shapes(level) {
	if (level === 'mahalla') return ctx.mahallas();
	if (!cmp.shapes) cmp.shapes = (await ctx.api('api/districts'))?.features || [];
	return cmp.shapes;
}

async function drawMap() {
	if (!cmp.on || !cmp.measure || !cmp.data) return clearMap();
	const { L } = ctx;
	const seq = cmp.seq;
	const features = await shapes(cmp.data.level);
	if (seq !== cmp.seq) return;
	const rows = new Map((cmp.data.rows || []).map((r) => [r.code, r]));
	const colouring = compareColouring([...rows.values()], cmp.measure);
	cmp.colouring = colouring;
	cmp.layer?.remove();
	cmp.layer = L.geoJSON(
		features.filter((f) => rows.has(f.properties?.code)),
		{
			pane: 'compare',
			style: (f) => {
				const colour = colouring.colour(rows.get(f.properties.code));
				return { color: '#37424d', weight: 1.2, opacity: 0.9, fillColor: colour || '#bfc5cc', fillOpacity: colour ? 0.55 : 0.2 };
			},
			onEachFeature: (f, layer) => {
				const r = rows.get(f.properties.code);
				layer.bindTooltip(() => `${nameOf(r) || r.code}: ${valueText(r)}`, { sticky: true });
				layer.on('click', () => (cmp.data.level === 'mahalla' ? ctx.openMahalla(r.code) : ctx.chooseDistrict(r.code)));
			},
		},
	).addTo(ctx.map);
	ctx.legendChanged();
}

function valueText(r) {
	const col = COLUMNS.find((c) => c.id === cmp.measure);
	const v = measureOf(r, cmp.measure);
	if (col.change) return fmtChange(v);
	if (col.share) return shareText(v);
	return fmtNumber(v, col.digits || 0);
}

/* The map legend's block of the coloured map, or null when none is shown. */
export function compareLegend() {
	const c = cmp.colouring;
	if (!cmp.layer || !c || (!c.classes.length && !c.within)) return null;
	const { el } = ctx;
	const col = COLUMNS.find((c) => c.id === cmp.measure);
	const f = (x) => (col.change ? fmtChange(x) : col.share ? shareText(x) : fmtNumber(x, col.digits || 0));
	const ul = el('ul', { class: 'lg-classes' });
	for (const k of c.classes)
		ul.append(el('li', {}, el('i', { class: 'sw', style: `background:${k.colour}` }), f(k.from) === f(k.to) ? f(k.from) : `${f(k.from)} – ${f(k.to)}`));
	if (c.within) ul.append(el('li', {}, el('i', { class: 'sw', style: `background:${WITHIN_CHANCE}` }), t('compare.map.within')));
	return el(
		'div',
		{ class: 'lg-block', dataset: { layer: 'compare' } },
		el('h3', {}, t(`compare.m.${cmp.measure}`)),
		el('div', { class: 'lg-note' }, t(cmp.data?.level === 'mahalla' ? 'compare.map.mahallas' : 'compare.map.districts')),
		ul,
	);
}

/* ---------- wiring ---------- */

function renderMeasures() {
	const s = $('cmp-measure');
	s.replaceChildren(
		ctx.el('option', { value: '' }, t('compare.map.none')),
		...COMPARE_MEASURES.map((m) => ctx.el('option', { value: m.id }, t(`compare.m.${m.id}`))),
	);
	s.value = cmp.measure;
}

function save() {
	try {
		localStorage.setItem(KEY, JSON.stringify({ on: cmp.on, measure: cmp.measure, sort: cmp.sort, desc: cmp.desc }));
	} catch {
		/* storage disabled: the choice lasts this page */
	}
}

/* The table's part of the panel, and the panel's width for it. */
function showPanel() {
	$('cmp-panel').hidden = !cmp.on;
	document.body.classList.toggle('comparing', cmp.on);
	ctx.map.invalidateSize({ animate: false });
}

/* Something in the panel's filters or the data changed. */
export function compareFiltersChanged() {
	if (cmp.on) load();
	if (ctx) links();
	if (ctx) renderSwitcher();
}

export function compareStart(parts) {
	ctx = parts;
	try {
		Object.assign(cmp, JSON.parse(localStorage.getItem(KEY) || '{}'));
	} catch {
		/* a bad saved value: the defaults */
	}
	if (!COLUMNS.some((c) => c.id === cmp.sort)) cmp.sort = 'offences';
	if (!COMPARE_MEASURES.some((m) => m.id === cmp.measure)) cmp.measure = '';
	ctx.map.createPane('compare').style.zIndex = PANE_Z;
	const on = $('cmp-on');
	on.checked = cmp.on;
	showPanel();
	on.addEventListener('change', () => {
		cmp.on = on.checked;
		showPanel();
		save();
		if (cmp.on) load();
		else {
			cmp.seq++;
			clearMap();
		}
	});
	$('district-select').addEventListener('change', (e) => ctx.chooseDistrict(e.target.value));
	$('cmp-back').addEventListener('click', () => ctx.chooseDistrict(''));
	$('cmp-measure').addEventListener('change', (e) => {
		cmp.measure = e.target.value;
		save();
		drawMap();
	});
	for (const id of ['cmp-csv', 'cmp-print']) $(id).addEventListener('pointerenter', links);
	$('cmp-csv').addEventListener('click', links);
	$('cmp-print').addEventListener('click', links);
	renderSwitcher();
	renderMeasures();
	links();
	onLangChange(() => {
		renderSwitcher();
		renderMeasures();
		renderTable();
		links();
		ctx.legendChanged();
	});
	if (cmp.on) load();
}
