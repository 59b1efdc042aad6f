// posbon viewer: the shared prevention log (docs/api.md, "The shared
// prevention log"). "Record an activity" (from a mahalla's card, a task the
// user's service was asked, or a point of the map) opens a small form: the
// kind, start and end, the count of participants, the outcome, the task it
// answers and the place (the mahalla, or the point clicked); it is sent
// with POST /api/activities under an id made here, so that sending it
// again changes nothing. The form has no field for a person's name or an
// address, and says so next to the outcome.
//
// The mahalla's card shows the mahalla's timeline (GET
// /api/activities?mahalla=CODE, latest first), and the activities of the
// panel's period are an overlay of the map, by kind. Both follow the
// stream's `activities` events. Each activity, and the mahalla from the
// day of its latest one, opens "Did it help?" (web/evaluate.js).
//
// An answer overtaken by a later request is dropped.

import { districtQuery, featurePlace, field, markerLayer, named, newId, notice, openForm, placeOf, placeSelect, placeText, rememberedSwitch } from './coopform.js';
import { dateField } from './datefield.js';
import { openEvaluate } from './evaluate.js';
import { fmtNumber, nameOf, onLangChange, t, tn } from './i18n.js';
import { listedTasks } from './tasks.js';

export const ACTIVITY_KINDS = ['patrol', 'residents_meeting', 'youth_meeting', 'home_visit', 'venue_inspection', 'raid', 'awareness', 'other'];
export const ACTIVITY_COLOURS = {
	patrol: '#1f4e9c',
	residents_meeting: '#2e7d32',
	youth_meeting: '#8e24aa',
	home_visit: '#ef6c00',
	venue_inspection: '#00838f',
	raid: '#b71c1c',
	awareness: '#c79100',
	other: '#616161',
};
const TIMELINE_MAX = 20; /* entries a card shows, the latest */
const KEY = 'posbon.activities';
const RELOAD_MS = 250;

/* app.js's parts: { L, map, api, el, me, meta, zoned(ms), mahallas(),
 * mahallaName(code), filterParams(), legendChanged(), showError(e) } */
let ctx = null;
const acts = {
	on: false,
	layer: null,
	seq: 0,
	features: [], /* the overlay's, of the panel's period */
	card: null, /* { code, node, seq, features } */
	timer: 0,
};

/* ---------- pure (tests/web/test_coop.mjs) ---------- */

/* The days from and to of a filter's query (its date-times' days), for
 * GET /api/activities; with its district when it names one. */
export function activityQuery(filter) {
	const f = new URLSearchParams(filter);
	const q = new URLSearchParams();
	for (const k of ['from', 'to']) if (f.get(k)) q.set(k, f.get(k).slice(0, 10));
	for (const [k, v] of districtQuery(filter)) q.set(k, v);
	return q;
}

/* ---------- words ---------- */

const serviceName = (code) => nameOf(ctx.meta.services.find((s) => s.code === code) || { code });

/* An instant of the API in the district's time: 'DD.MM.YYYY HH:MM'. */
function when(iso) {
	const ms = Date.parse(iso);
	if (!Number.isFinite(ms)) return '';
	const p = ctx.zoned(ms);
	return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

/* The district's local day YYYY-MM-DD of an instant of the API. */
function localDay(iso) {
	const p = ctx.zoned(Date.parse(iso));
	return `${p.year}-${p.month}-${p.day}`;
}

/* Start to end: the end's time alone on the same day. */
function span(p) {
	const a = when(p.start);
	const z = p.end ? when(p.end) : '';
	if (!z) return a;
	return `${a}–${z.slice(0, 10) === a.slice(0, 10) ? z.slice(11) : z}`;
}

/* The text of the task an activity answers, or its id. */
function taskText(id) {
	const f = listedTasks().find((x) => x.properties.id === id);
	return f ? f.properties.text : id;
}

/* What an activity says, for the card's timeline and the map's popups. */
function entry(f, tag = 'li') {
	const { el } = ctx;
	const p = f.properties;
	return el(tag, { class: 'act', dataset: { id: p.id, kind: p.kind } },
		el('div', { class: 'act-head' },
			el('i', { class: 'sw act-sw', style: `--c:${ACTIVITY_COLOURS[p.kind] || ACTIVITY_COLOURS.other}` }),
			el('strong', {}, t(`activities.kind.${p.kind}`)),
			el('span', { class: 'act-when' }, span(p))),
		el('div', { class: 'task-meta' }, [serviceName(p.service), p.unit].filter(Boolean).join(' · '),
			Number.isFinite(p.participants) ? el('span', { class: 'act-people' }, ` · ${tn('activities.people', p.participants)}`) : null),
		p.place?.kind !== 'mahalla' ? el('div', { class: 'task-meta' }, placeText(featurePlace(f), ctx.mahallaName)) : null,
		p.outcome ? el('p', { class: 'task-note' }, p.outcome) : null,
		p.task ? el('div', { class: 'task-meta act-task' }, t('activities.for_task', { text: taskText(p.task) })) : null,
		evaluateButton({ activity: p.id, kind: p.kind, start: p.start }));
}

/* A link that opens "Did it help?" (web/evaluate.js) for ask. */
function evaluateButton(ask) {
	const b = ctx.el('button', { type: 'button', class: 'link act-eval' }, t('evaluate.open'));
	b.addEventListener('click', () => openEvaluate(ask));
	return b;
}

/* ---------- the form ---------- */

/* 'YYYY-MM-DDTHH:MM' of now in the district's time, for the form. */
function nowLocal() {
	const p = ctx.zoned(Date.now());
	return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/* Opens the form of an activity; prefill { place, task }. */
export function recordActivity(prefill = {}) {
	const { el, me } = ctx;
	const kind = el('select', { 'data-field': 'kind' });
	for (const k of ACTIVITY_KINDS) kind.append(el('option', { value: k, 'data-i18n': `activities.kind.${k}` }, t(`activities.kind.${k}`)));
	/* a day and a 24-hour time each, in the office's writing (datefield.js) */
	const [today, now] = nowLocal().split('T');
	const start = [dateField(el('input', { 'data-field': 'start', value: today }), 'date'), dateField(el('input', { 'data-field': 'start_time', value: now }), 'time')];
	const end = [dateField(el('input', { 'data-field': 'end' }), 'date'), dateField(el('input', { 'data-field': 'end_time' }), 'time')];
	const when = ([day, time]) => (day.value && time.value ? `${day.value}T${time.value}` : day.value);
	const people = el('input', { type: 'number', min: '0', step: '1', inputmode: 'numeric', 'data-field': 'participants' });
	const place = placeSelect(el, ctx.mahallas(), prefill);
	const task = el('select', { 'data-field': 'task' }, el('option', { value: '', 'data-i18n': 'activities.no_task' }, t('activities.no_task')));
	const listed = listedTasks().map((f) => f.properties);
	if (prefill.task && !listed.some((p) => p.id === prefill.task)) listed.unshift({ id: prefill.task, text: prefill.task });
	for (const p of listed) task.append(el('option', { value: p.id }, p.text.length > 60 ? `${p.text.slice(0, 59)}…` : p.text));
	task.value = prefill.task || '';
	const outcome = el('textarea', { rows: 3, 'data-field': 'outcome', maxlength: 4000 });
	const service = me?.service ? null : el('select', { 'data-field': 'service' });
	for (const s of service ? ctx.meta.services : []) service.append(named(el('option', { value: s.code }), 'services', s));
	const homeNote = el('p', { class: 'cov-note', 'data-i18n': 'activities.home_visit', hidden: true }, t('activities.home_visit'));
	const syncNote = () => (homeNote.hidden = !(kind.value === 'home_visit' && placeOf(place)?.kind !== 'mahalla'));
	kind.addEventListener('change', syncNote);
	place.addEventListener('change', syncNote);
	const body = [
		el('div', { class: 'row two' }, field(el, 'activities.kind', kind), field(el, 'activities.participants', people)),
		field(el, 'activities.start', el('span', { class: 'when' }, ...start)),
		field(el, 'activities.end', el('span', { class: 'when' }, ...end)),
		field(el, 'coop.place', place),
		homeNote,
		field(el, 'activities.task', task),
		field(el, 'activities.outcome', outcome),
		el('p', { class: 'cov-note', 'data-i18n': 'activities.no_names' }, t('activities.no_names')),
		service ? field(el, 'activities.service', service) : null,
	];
	const id = newId(); /* one per form: sending it again changes nothing */
	openForm(el, 'activity-form', 'activities.form', body, 'activities.submit', async () => {
		const a = { id, kind: kind.value, start: when(start), place: placeOf(place) };
		if (when(end)) a.end = when(end);
		if (people.value !== '') a.participants = Number(people.value);
		if (task.value) a.task = task.value;
		if (outcome.value.trim()) a.outcome = outcome.value.trim();
		if (service) a.service = service.value;
		await ctx.api('api/activities', { json: a });
		notice(el, () => t('activities.saved', { kind: t(`activities.kind.${a.kind}`) }), null, 'ok');
		reload();
	});
}

/* ---------- the overlay ---------- */

async function loadLayer() {
	const seq = ++acts.seq;
	if (!acts.on) {
		draw();
		ctx.legendChanged();
		return;
	}
	let fc;
	try {
		fc = await ctx.api(`api/activities?${activityQuery(ctx.filterParams())}`);
	} catch (e) {
		if (seq === acts.seq) ctx.showError(e);
		return;
	}
	if (seq !== acts.seq) return;
	acts.features = fc?.features || [];
	draw();
	ctx.legendChanged(); /* its counts by kind */
}

function draw() {
	const { L, el } = ctx;
	acts.layer = markerLayer(L, ctx.map, acts.layer, acts.on && acts.features, (f) => ({
		className: 'act-marker',
		html: el('span', { class: 'act-pin', style: `--c:${ACTIVITY_COLOURS[f.properties.kind] || ACTIVITY_COLOURS.other}` }),
		size: 16,
		title: t(`activities.kind.${f.properties.kind}`),
		popup: () => entry(f, 'div'),
		data: { id: f.properties.id, kind: f.properties.kind },
	}));
}

/* The legend's block of the overlay, or null when it is off. */
export function activitiesLegend() {
	if (!ctx || !acts.on) return null;
	const { el } = ctx;
	const counts = new Map();
	for (const f of acts.features) counts.set(f.properties.kind, (counts.get(f.properties.kind) || 0) + 1);
	const ul = el('ul', { class: 'lg-items lg-activities' });
	for (const k of ACTIVITY_KINDS)
		ul.append(el('li', { dataset: { kind: k } }, el('i', { class: 'sw act-sw', style: `--c:${ACTIVITY_COLOURS[k]}` }), t(`activities.kind.${k}`),
			counts.get(k) ? el('span', { class: 'lg-count' }, fmtNumber(counts.get(k))) : null));
	return el('div', { class: 'lg-block', dataset: { layer: 'activities' } }, el('h3', {}, t('activities.legend')), ul);
}

/* ---------- the mahalla's timeline ---------- */

/* The card's timeline of mahalla code; the same node while the same
 * mahalla is shown, filled when its answer comes. */
export function activitiesCard(code) {
	if (!ctx) return null;
	if (acts.card?.code !== code) {
		acts.card = { code, node: ctx.el('div', { class: 'breakdown act-timeline', dataset: { code } }), seq: 0, features: null };
		loadTimeline();
	}
	renderTimeline();
	return acts.card.node;
}

async function loadTimeline() {
	const card = acts.card;
	if (!card) return;
	const seq = ++card.seq;
	let fc;
	try {
		fc = await ctx.api(`api/activities?${new URLSearchParams({ mahalla: card.code })}`);
	} catch (e) {
		if (seq === card.seq) ctx.showError(e);
		return;
	}
	if (seq !== card.seq || acts.card !== card) return;
	card.features = fc?.features || [];
	renderTimeline();
}

function renderTimeline() {
	const { el } = ctx;
	const card = acts.card;
	if (!card) return;
	const list = card.features;
	/* the mahalla's "Did it help?" looks at the day of its latest activity */
	const latest = list?.[0]?.properties.start;
	const head = el('div', { class: 'act-timeline-head' }, el('h3', {}, t('activities.timeline')),
		evaluateButton({ mahalla: card.code, at: latest ? localDay(latest) : undefined }));
	if (!list) card.node.replaceChildren(head, el('div', { class: 'card-note' }, t('card.loading')));
	else if (!list.length) card.node.replaceChildren(head, el('div', { class: 'card-note' }, t('activities.none')));
	else card.node.replaceChildren(head, el('ol', { class: 'act-list' }, list.slice(0, TIMELINE_MAX).map((f) => entry(f))));
	if (list?.length > TIMELINE_MAX) card.node.append(el('div', { class: 'card-note' }, tn('activities.more', list.length - TIMELINE_MAX)));
}

/* ---------- live ---------- */

function reload() {
	clearTimeout(acts.timer);
	acts.timer = setTimeout(() => {
		loadLayer();
		loadTimeline();
	}, RELOAD_MS);
}

/* Listens to the stream es: `activities` events, and a stream opened
 * again (what it missed), reload the overlay and the timeline. */
export function activitiesListen(es) {
	es.addEventListener('activities', () => ctx && reload());
	es.addEventListener('open', () => ctx && reload());
}

/* The panel's filters changed: the overlay's period and district. */
export function activitiesFiltersChanged() {
	if (ctx) loadLayer();
}

/* Starts the overlay's switch (#activities-on); c lends app.js's parts. */
export function activitiesStart(c) {
	ctx = c;
	acts.on = rememberedSwitch('activities-on', KEY, (on) => {
		acts.on = on;
		loadLayer();
	});
	onLangChange(() => {
		draw();
		renderTimeline();
	});
	if (acts.on) loadLayer();
}
