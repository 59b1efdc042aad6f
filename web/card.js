// posbon viewer: the mahalla card. A click in a mahalla outlines it and
// opens its figures under the panel's filters (GET /api/mahallas/{code}):
// offences, the rate per 1,000 residents, the change against the period
// before, the offences by category and by service, and a link to its
// printed map, then what other modules add (the tasks and the prevention
// log of the mahalla). A click outside every mahalla says so.
//
// An answer overtaken by a later request (another mahalla, new filters)
// is dropped.

import { fmtNumber, nameOf, plural, t } from './i18n.js';

const $ = (id) => document.getElementById(id);

let ctx = null; /* app.js's parts: { L, map, api, el, meta, filterParams(), mahallas(), colourOf(kind, code), printLink(a, kind, code), listOf(x), extras(code) (other modules' nodes under the figures) } */
const card = { code: null, layer: null, seq: 0, data: null };
const el = (...args) => ctx.el(...args);

export function cardStart(parts) {
	ctx = parts;
}

/* The mahallas' shapes arrived (again): the selected one outlined. */
export function cardMahallasLoaded() {
	if (card.code) highlight(ctx.mahallas().find((f) => f.properties?.code === card.code));
}

function highlight(f) {
	if (card.layer) ctx.map.removeLayer(card.layer);
	card.layer = null;
	if (!f) return;
	card.layer = ctx.L.geoJSON(f, {
		pane: 'selection',
		interactive: false,
		style: { color: '#0b57d0', weight: 4, opacity: 1, fill: true, fillColor: '#0b57d0', fillOpacity: 0.07 },
	}).addTo(ctx.map);
}

export function selectMahalla(f) {
	card.code = f.properties?.code ?? null;
	card.data = { ...f.properties, loading: true };
	highlight(f);
	renderCard();
	loadCard();
}

export async function loadCard() {
	const code = card.code;
	if (!code) return;
	const seq = ++card.seq;
	try {
		const data = await ctx.api(`api/mahallas/${encodeURIComponent(code)}?${ctx.filterParams()}`);
		if (seq !== card.seq || code !== card.code) return;
		const props = ctx.mahallas().find((f) => f.properties?.code === code)?.properties || {};
		card.data = { ...props, ...data, loading: false };
	} catch (e) {
		if (seq !== card.seq) return;
		card.data = { ...card.data, loading: false, error: e.message };
	}
	renderCard();
}

export function closeCard() {
	card.code = null;
	card.data = null;
	card.seq++;
	highlight(null);
	$('card').hidden = true;
}

export function showOutside() {
	card.code = null;
	highlight(null);
	card.data = { outside: true };
	renderCard();
}

function changeOf(d) {
	const now = Number(d.offences);
	const prev = Number(d.previous);
	if (Number.isFinite(now) && Number.isFinite(prev)) {
		if (prev > 0) return { pct: ((now - prev) / prev) * 100 };
		return now > 0 ? { diff: now } : { pct: 0 };
	}
	const c = Number(d.change);
	/* Without both counts, the server's relative change (a fraction). */
	return Number.isFinite(c) && d.change !== null ? { pct: c * 100 } : null;
}

export function renderCard() {
	const d = card.data;
	const box = $('card');
	if (!d) {
		box.hidden = true;
		return;
	}
	box.hidden = false;
	const body = $('card-body');
	body.replaceChildren();
	if (d.outside) {
		$('card-name').textContent = t('card.outside');
		$('card-meta').textContent = '';
		box.dataset.code = '';
		return;
	}
	box.dataset.code = d.code || '';
	$('card-name').textContent = nameOf(d);
	const metaBits = [d.code];
	if (Number.isFinite(Number(d.population)) && d.population !== null)
		metaBits.push(`${t('card.population')} ${fmtNumber(d.population)}`);
	$('card-meta').textContent = metaBits.filter(Boolean).join(' · ');
	if (d.inspector)
		body.append(el('div', { class: 'inspector' }, el('span', {}, t('card.inspector')), el('strong', {}, d.inspector)));
	if (d.loading) {
		body.append(el('div', { class: 'card-note' }, t('card.loading')));
		box.setAttribute('aria-busy', 'true');
		return;
	}
	box.removeAttribute('aria-busy');
	if (d.error) {
		body.append(el('div', { class: 'card-note error' }, d.error));
		return;
	}
	const ch = changeOf(d);
	let changeText = '—';
	let changeClass = '';
	if (ch?.diff) {
		/* Nothing before: a percentage means nothing, the count does. */
		changeText = `▲ +${fmtNumber(ch.diff)}`;
		changeClass = 'up';
	} else if (ch) {
		const r = Math.round(ch.pct);
		changeText = r === 0 ? t('card.no_change') : `${r > 0 ? '▲ +' : '▼ −'}${fmtNumber(Math.abs(r))} %`;
		changeClass = r > 0 ? 'up' : r < 0 ? 'down' : '';
	}
	body.append(
		el(
			'div',
			{ class: 'stats' },
			el('div', { class: 'stat' }, el('strong', { 'data-field': 'offences' }, fmtNumber(d.offences)), el('span', {}, plural('card.offences', Math.round(Number(d.offences) || 0)))),
			el('div', { class: 'stat' }, el('strong', { 'data-field': 'rate' }, fmtNumber(d.rate_per_1000, 1)), el('span', {}, t('card.rate'))),
			el(
				'div',
				{ class: `stat change ${changeClass}` },
				el('strong', { 'data-field': 'change' }, changeText),
				el('span', {}, Number.isFinite(Number(d.previous)) && d.previous !== null
					? t('card.previous', { n: fmtNumber(d.previous) })
					: t('card.change')),
			),
		),
	);
	body.append(breakdown(t('card.by_category'), d.by_category, 'categories'));
	body.append(breakdown(t('card.by_service'), d.by_service, 'services'));
	body.append(ctx.printLink(el('a', { class: 'print-link' }, t('print.mahalla')), 'mahalla', d.code));
	body.append(...(ctx.extras?.(d.code) || []).filter(Boolean));
}

function breakdown(title, rows, kind) {
	const list = (Array.isArray(rows) ? rows : ctx.listOf(rows))
		.map((r) => ({ code: r.code ?? null, count: Number(r.count ?? r.offences ?? 0) }))
		.filter((r) => r.count > 0)
		.sort((a, b) => b.count - a.count);
	const box = el('div', { class: 'breakdown', dataset: { kind } }, el('h3', {}, title));
	if (!list.length) {
		box.append(el('div', { class: 'card-note' }, t('card.none')));
		return box;
	}
	const max = list[0].count;
	const ul = el('ul', {});
	for (const r of list) {
		const rec = ctx.meta[kind].find((c) => c.code === r.code);
		const colour = ctx.colourOf(kind, r.code);
		ul.append(
			el(
				'li',
				{},
				el(
					'span',
					{ class: 'bd-name', title: r.code ? nameOf(rec || { code: r.code }) : t('card.without') },
					el('i', { class: 'dot', style: `background:${colour}` }),
					el('span', {}, r.code ? nameOf(rec || { code: r.code }) : t('card.without')),
				),
				el('span', { class: 'bd-bar' }, el('i', { style: `width:${Math.max(4, (100 * r.count) / max)}%;background:${colour}` })),
				el('span', { class: 'bd-count' }, fmtNumber(r.count)),
			),
		);
	}
	box.append(ul);
	return box;
}

