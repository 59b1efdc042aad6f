// posbon viewer: the mahalla's standing (docs/api.md, "The mahalla's
// standing"; GET /api/standing). A mahalla's card shows its category
// (green, yellow, red) with the reasons (the measures that reached their
// limits, with every measure of the period), since when it has held, its
// earlier periods, the named responsible officials and the counts of
// registered at-risk groups (a count the server suppresses says so). The
// layer list's "Standing" colours every mahalla by its category, with a
// legend entry per category and the count of mahallas in it. The stream's
// `standing` events (a recording) reload both.
//
// An answer overtaken by a later request is dropped.

import { dayText, districtQuery, rememberedSwitch } from './coopform.js';
import { fmtNumber, nameOf, onLangChange, t, tn } from './i18n.js';

export const STANDING_CATEGORIES = ['green', 'yellow', 'red'];
export const STANDING_COLOURS = { green: '#2e9d4a', yellow: '#f0b400', red: '#d93025' };
const MEASURES = ['offences', 'rate', 'change', 'repeat_places', 'overdue_tasks'];
const PANE_Z = 240; /* over the tiles, under the comparison's colours (250) */
const KEY = 'posbon.standing';
const HISTORY_MAX = 5;

/* app.js's parts: { L, map, api, el, meta, zoned(ms), filterParams(),
 * mahallas(), legendChanged(), showError(e) } */
let ctx = null;
/* rows: the layer's answer's mahallas; card: { code, node, seq, data, error } */
const st = { on: false, layer: null, seq: 0, rows: null, card: null };

/* ---------- pure (tests/web/test_evaluate.mjs) ---------- */

/* The measures a row's reasons name ("rate,change", or a list). */
export function standingReasons(row) {
	const r = row?.reasons;
	const list = Array.isArray(r) ? r : String(r || '').split(',');
	return list.map((x) => x.trim()).filter((x) => MEASURES.includes(x));
}

/* The mahallas of rows in each category: { green, yellow, red }. */
export function standingCounts(rows) {
	const n = Object.fromEntries(STANDING_CATEGORIES.map((c) => [c, 0]));
	for (const r of rows || []) if (r.category in n) n[r.category]++;
	return n;
}

/* ---------- words ---------- */

/* Measure m's value v as the card writes it. */
function measureText(m, v) {
	if (v === null || v === undefined || !Number.isFinite(Number(v))) return '—';
	const x = Number(v);
	if (m === 'change') return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${fmtNumber(Math.abs(x))} %`;
	return fmtNumber(x, m === 'rate' ? 1 : 0);
}

/* The local day of an instant of the API, as the viewer writes it. */
function day(iso) {
	const ms = Date.parse(iso);
	if (!Number.isFinite(ms)) return '';
	const p = ctx.zoned(ms);
	return dayText(`${p.year}-${p.month}-${p.day}`);
}

function badge(category) {
	const known = category in STANDING_COLOURS;
	return ctx.el('span', { class: 'standing-badge', dataset: { category: known ? category : 'unknown' }, style: `--c:${STANDING_COLOURS[category] || '#8a8f98'}` }, t(known ? `standing.${category}` : 'standing.unknown'));
}

const serviceName = (code) => nameOf(ctx.meta.services.find((s) => s.code === code) || { code });
/* A registered group the catalogue names (risk.CODE), else its code. */
export function riskName(group) {
	const key = `risk.${group}`;
	const name = t(key);
	return name === key ? group : name;
}

/* ---------- the layer ---------- */

function loadLayer() {
	const seq = ++st.seq;
	if (!st.on) return draw();
	ctx.api(`api/standing?${districtQuery(ctx.filterParams())}`).then(
		(data) => {
			if (seq !== st.seq) return;
			st.rows = data?.mahallas || [];
			draw();
		},
		(e) => seq === st.seq && ctx.showError(e),
	);
}

function draw() {
	st.layer?.remove();
	st.layer = null;
	if (st.on && st.rows) {
		const rows = new Map(st.rows.map((r) => [r.mahalla, r]));
		st.layer = ctx.L.geoJSON(
			ctx.mahallas().filter((f) => rows.has(f.properties?.code)),
			{
				pane: 'standing',
				interactive: false, /* a click still opens the mahalla's card */
				style: (f) => {
					const c = STANDING_COLOURS[rows.get(f.properties.code).category] || '#bfc5cc';
					return { color: '#ffffff', weight: 1.2, opacity: 0.9, fillColor: c, fillOpacity: 0.45, className: `standing-area standing-${f.properties.code}` };
				},
			},
		).addTo(ctx.map);
	}
	ctx.legendChanged();
}

/* The legend's block of the layer, or null when it is off. */
export function standingLegend() {
	if (!ctx || !st.on || !st.rows) return null;
	const { el } = ctx;
	const n = standingCounts(st.rows);
	const ul = el('ul', { class: 'lg-items lg-standing' });
	for (const c of STANDING_CATEGORIES)
		ul.append(el('li', { dataset: { category: c } }, el('i', { class: 'sw', style: `--c:${STANDING_COLOURS[c]}` }), t(`standing.${c}`), el('span', { class: 'lg-count' }, fmtNumber(n[c]))));
	return el('div', { class: 'lg-block', dataset: { layer: 'standing' } }, el('h3', {}, t('standing.legend')), ul);
}

/* The mahallas' shapes arrived (again): the layer drawn with them. */
export function standingMahallasLoaded() {
	if (ctx && st.on) draw();
}

/* The panel's filters changed (the district looked at). */
export function standingFiltersChanged() {
	if (ctx && st.on) loadLayer();
}

/* ---------- the mahalla's card ---------- */

/* The card's part of mahalla code; the same node while the same mahalla
 * is shown, filled when its answer comes. */
export function standingCard(code) {
	if (ctx && st.card?.code !== code) {
		st.card = { code, node: ctx.el('div', { class: 'breakdown standing', dataset: { code } }), seq: 0, data: null, error: null };
		loadCard();
	}
	renderCard();
	return st.card?.node || null;
}

function loadCard() {
	const card = st.card;
	if (!card) return;
	const seq = ++card.seq;
	const answer = (fn) => (x) => {
		if (seq !== card.seq || st.card !== card) return;
		fn(x);
		renderCard();
	};
	ctx.api(`api/standing?${new URLSearchParams({ mahalla: card.code })}`).then(
		answer((data) => {
			card.data = { ...data, row: (data?.mahallas || [])[0] || null };
			card.error = null;
		}),
		answer((e) => (card.error = e.message)),
	);
}

function renderCard() {
	const card = st.card;
	if (!card) return;
	const { el } = ctx;
	const head = el('h3', {}, t('standing.title'));
	if (card.error) return card.node.replaceChildren(head, el('div', { class: 'card-note error' }, card.error));
	if (!card.data) return card.node.replaceChildren(head, el('div', { class: 'card-note' }, t('card.loading')));
	const r = card.data.row;
	if (!r) return card.node.replaceChildren(head, el('div', { class: 'card-note' }, t('standing.unknown')));
	card.node.dataset.category = r.category;
	const reasons = standingReasons(r);
	const earlier = (r.history || []).filter((h) => h.until).slice(0, HISTORY_MAX);
	card.node.replaceChildren(...[
		head,
		el('div', { class: 'standing-head' },
			badge(r.category),
			el('span', { class: 'standing-since' }, r.since ? t('standing.since', { day: day(r.since) }) : t('standing.since_none')),
			el('span', { class: 'standing-period' }, tn('standing.period', Number(card.data.period_days) || 0))),
		el('div', { class: 'standing-reasons' },
			reasons.length
				? [el('strong', {}, `${t('standing.reasons')}: `), reasons.map((m) => `${t(`standing.m.${m}`)} ${measureText(m, r.measures?.[m])}`).join('; ')]
				: t('standing.no_reasons')),
		el('dl', { class: 'standing-measures' }, MEASURES.flatMap((m) => [
			el('dt', { class: reasons.includes(m) ? 'hit' : '' }, t(`standing.m.${m}`)),
			el('dd', { class: reasons.includes(m) ? 'hit' : '', dataset: { measure: m } }, measureText(m, r.measures?.[m])),
		])),
		earlier.length
			? el('div', { class: 'standing-history' }, el('h4', {}, t('standing.history')),
				el('ul', {}, earlier.map((h) => el('li', {}, badge(h.category), ` ${day(h.since)}–${day(h.until)}`))))
			: null,
		el('h4', {}, t('standing.officials')),
		(r.officials || []).length
			? el('ul', { class: 'standing-officials' }, r.officials.map((o) => el('li', {}, el('span', { class: 'standing-role' }, o.role), ' ', el('strong', {}, o.name), o.phone ? el('span', { class: 'standing-phone' }, `· ${o.phone}`) : null)))
			: el('div', { class: 'card-note' }, t('standing.no_officials')),
		el('h4', {}, t('standing.risk')),
		(r.risk_counts || []).length
			? el('ul', { class: 'standing-risk' }, r.risk_counts.map((x) => el('li', { dataset: { group: x.group } },
				el('span', {}, riskName(x.group)),
				x.suppressed || x.count === null
					? el('em', { class: 'standing-suppressed', title: t('standing.suppressed_hint') }, t('standing.suppressed'))
					: el('strong', {}, fmtNumber(x.count)),
				el('span', { class: 'task-meta' }, [serviceName(x.service), day(x.updated)].filter(Boolean).join(' · ')))))
			: el('div', { class: 'card-note' }, t('standing.no_risk')),
	].filter(Boolean));
}

/* ---------- live and start ---------- */

/* Listens to the stream es: a recorded standing reloads the layer and the
 * card. */
export function standingListen(es) {
	es.addEventListener('standing', () => {
		if (!ctx) return;
		loadLayer();
		loadCard();
	});
}

/* Starts the layer's switch (#standing-on); c lends app.js's parts. */
export function standingStart(c) {
	ctx = c;
	ctx.map.createPane('standing').style.zIndex = PANE_Z;
	st.on = rememberedSwitch('standing-on', KEY, (on) => {
		st.on = on;
		loadLayer();
	});
	onLangChange(() => renderCard());
	if (st.on) loadLayer();
}
