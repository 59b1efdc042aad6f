// posbon viewer: tasks between services (docs/api.md, "Tasks between
// services"). The panel's "Tasks" block lists the tasks in scope (GET
// /api/tasks, overdue first and marked): open, overdue or all, the user's
// own service's only on demand, with the open and overdue counts; each
// with its place, asker, receivers and their statuses, due day and
// priority, and for the user's own receiver row the buttons that move its
// status (PATCH with If-Match of the task's version; a 412 reloads the
// task and says that someone changed it).
//
// A task is sent from a mahalla's card, the panel, or a point of the map
// (right-click; a hotspot of the planning mode when the point lies in one)
// through a small form (web/coopform.js). The stream's `tasks` events
// reload the list: a new task for the user's service (every new one for a
// desk of no service, the duty officer's) shows a notice at once, and the
// asker hears of each receiver's answer. The tasks are also an overlay of
// the map, coloured by status, overdue ones marked.
//
// Each task's detail (web/taskdetail.js), opened from its item, shows its
// log, takes comments and lets the asker edit what was asked.
//
// An answer overtaken by a later request is dropped.

import { dayText, districtQuery, featurePlace, field, markerLayer, named, newId, notice, openForm, placeOf, placeSelect, placeText, receiverPicker } from './coopform.js';
import { dateField } from './datefield.js';
import { openEvaluate } from './evaluate.js';
import { nameOf, onLangChange, t, tn } from './i18n.js';
import { taskDetail } from './taskdetail.js';

export const TASK_STATUSES = ['new', 'accepted', 'in_progress', 'done', 'declined'];
export const TASK_COLOURS = { new: '#1a73e8', accepted: '#b26a00', in_progress: '#8e44ad', done: '#188038', declined: '#80868b' };
export const OVERDUE_COLOUR = '#c5221f';
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const FILTERS = ['open', 'overdue', 'all'];
const KEY = 'posbon.tasks';
const RELOAD_MS = 250; /* coalesces a burst of events */

const $ = (id) => document.getElementById(id);

/* app.js's parts: { L, map, api, el, me, meta, zoned(ms), mahallas(),
 * mahallaAt(lon, lat), mahallaName(code), filterParams(), legendChanged(),
 * showError(e), record(prefill) (web/activities.js), hotspot(rank) (the
 * planning mode's hotspot feature of that rank, or null) } */
let ctx = null;
const tasks = {
	list: [], /* the features listed */
	known: new Map(), /* id -> the properties last heard of, for what changed */
	seq: 0,
	status: 'open',
	mine: false,
	on: false, /* the map's overlay */
	layer: null,
	msgs: new Map(), /* id -> { key } or { text } shown on the task */
	editing: null, /* { id, status, text }: the outcome or reason being written */
	card: null, /* { code, node }: the part of the mahalla's card */
	sent: new Set(), /* ids of the tasks this page sent: no notice of them as new */
	details: new Map(), /* id -> the detail shown (web/taskdetail.js): its log, comments, edit */
	timer: 0,
};

/* ---------- pure (tests/web/test_coop.mjs) ---------- */

/* The statuses a receiver may move its row to from status: a done row is
 * finished; a declined one may still be accepted. */
export function nextStatuses(status) {
	if (status === 'done') return [];
	return TASK_STATUSES.filter((s) => s !== 'new' && s !== status);
}

/* The receiver row of task (properties) that the user me ({service})
 * speaks for, or null. */
export function ownRow(task, me) {
	return (me?.service && (task?.to || []).find((r) => r.service === me.service)) || null;
}

/* The notices a `tasks` event d ({id, action, task}) makes for the user me
 * ({service, unit}), the task as last heard of being old (or undefined):
 * [{ kind: 'new' }] for a new task asked of the user's service (of its
 * unit, when both name one), or of anyone for a desk of no service, and
 * for the user's service when an edit adds it to the receivers;
 * [{ kind: 'status', service, status }] per receiver whose status moved,
 * for the asking service; [{ kind: 'closed', status }] when the asker
 * never saw the task and it is done or declined; else []. */
export function noticesOf(d, old, me) {
	const task = d?.task;
	if (!task) return [];
	const mine = me?.service;
	const asked = (x) => (x?.to || []).some((r) => r.service === mine && (!r.unit || !me.unit || r.unit === me.unit));
	if (d.action === 'create') {
		if (!mine) return [{ kind: 'new' }];
		return asked(task) && task.from?.service !== mine ? [{ kind: 'new' }] : [];
	}
	/* the asker named the user's service anew among the receivers */
	if (mine && old && task.from?.service !== mine && asked(task) && !asked(old)) return [{ kind: 'new' }];
	if (!mine || task.from?.service !== mine) return [];
	if (!old) return task.status === 'done' || task.status === 'declined' ? [{ kind: 'closed', status: task.status }] : [];
	const before = new Map((old.to || []).map((r) => [r.service, r.status]));
	/* a receiver the asker just added has not answered */
	return (task.to || []).filter((r) => before.has(r.service) && before.get(r.service) !== r.status).map((r) => ({ kind: 'status', service: r.service, status: r.status }));
}

/* The open and overdue tasks among features. */
export function taskCounts(features) {
	const open = features.filter((f) => !['done', 'declined'].includes(f.properties?.status));
	return { open: open.length, overdue: open.filter((f) => f.properties.overdue).length };
}

/* ---------- words ---------- */

const serviceName = (code) => nameOf(ctx.meta.services.find((s) => s.code === code) || { code });
const who = (x) => [serviceName(x?.service), x?.unit].filter(Boolean).join(' · ');
const short = (text, n = 80) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
/* Tasks and activities are written by officers (and admins), not by
 * viewers or planners (server/auth.c, auth_allows()). */
const writer = () => ['officer', 'admin'].includes(ctx.me?.role);

/* The place of task f in words: an area, or a point with the mahalla it
 * lies in. */
function whereText(f) {
	const p = f.properties;
	const at = placeText(featurePlace(f), ctx.mahallaName);
	return p.place?.kind !== 'mahalla' && p.mahalla ? `${at} · ${ctx.mahallaName(p.mahalla)}` : at;
}

/* ---------- the list ---------- */

function buildPanel() {
	const { el } = ctx;
	const status = el('select', { id: 'task-status' });
	for (const s of FILTERS) status.append(el('option', { value: s, 'data-i18n': `tasks.filter.${s}` }, t(`tasks.filter.${s}`)));
	status.value = tasks.status;
	status.addEventListener('change', () => {
		tasks.status = status.value;
		remember();
		load();
	});
	const mine = el('input', { type: 'checkbox', id: 'task-mine', checked: tasks.mine });
	mine.addEventListener('change', () => {
		tasks.mine = mine.checked;
		remember();
		load();
	});
	const send = el('button', { type: 'button', class: 'btn btn-quiet', id: 'task-new', 'data-i18n': 'tasks.send' }, t('tasks.send'));
	/* The mahalla of the card open, if any, is the place to start from. */
	send.addEventListener('click', () => {
		const code = !$('card').hidden && $('card').dataset.code;
		openTaskForm(code ? { place: { kind: 'mahalla', code } } : {});
	});
	const block = $('tasks-block');
	block.replaceChildren(...[
		el('h2', { id: 'h-tasks' }, el('span', { 'data-i18n': 'tasks' }, t('tasks')), el('span', { class: 'task-counts', id: 'task-counts' })),
		el('div', { class: 'row task-filter' },
			field(el, 'tasks.show', status),
			ctx.me?.service ? el('label', { class: 'check' }, mine, el('span', { 'data-i18n': 'tasks.mine' }, t('tasks.mine'))) : null),
		writer() ? el('div', { class: 'row task-send' }, send, el('p', { class: 'cov-note', 'data-i18n': 'tasks.hint' }, t('tasks.hint'))) : null,
		el('ul', { class: 'task-list', id: 'task-list' }),
		el('p', { class: 'cov-note', id: 'task-empty', 'data-i18n': 'tasks.none', hidden: true }, t('tasks.none')),
	].filter(Boolean));
	block.hidden = false;
}

function remember() {
	try {
		localStorage.setItem(KEY, JSON.stringify({ status: tasks.status, mine: tasks.mine, on: tasks.on }));
	} catch {
		/* not remembered */
	}
}

function recall() {
	try {
		const v = JSON.parse(localStorage.getItem(KEY) || '{}') || {};
		if (FILTERS.includes(v.status)) tasks.status = v.status;
		tasks.mine = !!v.mine && !!ctx.me?.service;
		tasks.on = !!v.on;
	} catch {
		/* the defaults */
	}
}

async function load() {
	const seq = ++tasks.seq;
	const q = districtQuery(ctx.filterParams());
	q.set('status', tasks.status);
	if (tasks.mine) q.set('service', 'mine');
	let fc;
	try {
		fc = await ctx.api(`api/tasks?${q}`);
	} catch (e) {
		if (seq === tasks.seq) ctx.showError(e);
		return;
	}
	if (seq !== tasks.seq) return;
	tasks.list = fc?.features || [];
	for (const f of tasks.list) tasks.known.set(f.properties.id, f.properties);
	render();
}

function scheduleLoad() {
	clearTimeout(tasks.timer);
	tasks.timer = setTimeout(load, RELOAD_MS);
}

function render() {
	renderList();
	drawLayer();
	renderCardPart();
}

function renderList() {
	const { el } = ctx;
	const c = taskCounts(tasks.list);
	$('task-counts').replaceChildren(
		el('span', { class: 'task-count', dataset: { count: 'open' } }, tn('tasks.count.open', c.open)),
		el('span', { class: `task-count${c.overdue ? ' late' : ''}`, dataset: { count: 'overdue' } }, tn('tasks.count.overdue', c.overdue)),
	);
	/* A reload while an outcome is written keeps it, and the caret. */
	const typing = !!document.activeElement?.closest('.task-rcv .task-note-form');
	/* a detail's field keeps the focus: its nodes only move */
	const active = document.activeElement?.closest('.task-detail') ? document.activeElement : null;
	$('task-list').replaceChildren(...tasks.list.map(taskItem));
	$('task-empty').hidden = tasks.list.length > 0;
	if (typing) focusNote();
	if (active?.isConnected && document.activeElement !== active) active.focus();
}

function focusNote() {
	const text = $('task-list').querySelector('.task-note-form textarea');
	text?.focus();
	text?.setSelectionRange(text.value.length, text.value.length);
}

/* A status as a badge in its colour. */
function badge(status, cls = 'task-badge') {
	const { el } = ctx;
	return el('span', { class: cls, style: `--c:${TASK_COLOURS[status] || '#8a8f98'}`, dataset: { status } }, t(`tasks.status.${status}`));
}

function taskItem(f) {
	const { el } = ctx;
	const p = f.properties;
	const place = el('button', { type: 'button', class: 'link task-place' }, whereText(f));
	place.addEventListener('click', () => showOnMap(f));
	const msg = tasks.msgs.get(p.id);
	const detail = tasks.details.get(p.id);
	detail?.update(f);
	const more = el('button', { type: 'button', class: 'link task-more', 'aria-expanded': detail ? 'true' : 'false' }, t(detail ? 'tasks.detail_hide' : 'tasks.detail'));
	more.addEventListener('click', () => {
		if (tasks.details.has(p.id)) tasks.details.delete(p.id);
		else tasks.details.set(p.id, taskDetail({ ...ctx, changed: detailChanged }, f));
		renderList();
	});
	return el(
		'li',
		{ class: `task${p.overdue ? ' late' : ''}`, dataset: { id: p.id, status: p.status } },
		el('div', { class: 'task-head' },
			badge(p.status),
			el('span', { class: 'task-prio', dataset: { priority: p.priority } }, t(`tasks.priority.${p.priority}`)),
			p.due ? el('span', { class: 'task-due' }, t('tasks.due_on', { day: dayText(p.due) })) : null,
			p.overdue ? el('strong', { class: 'task-late' }, t('tasks.overdue')) : null),
		el('p', { class: 'task-text' }, p.text),
		el('div', { class: 'task-meta' }, place),
		el('div', { class: 'task-meta task-from' }, t('tasks.from', { who: who(p.from) })),
		el('ul', { class: 'task-to' }, (p.to || []).map((r) => receiverRow(f, r))),
		msg ? el('p', { class: 'task-msg', role: 'alert', dataset: { msg: msg.key || 'error' } }, msg.key ? t(msg.key) : msg.text) : null,
		more,
		detail?.node,
	);
}

/* A detail's answer: the task as it is now. */
function detailChanged(feature) {
	replace(feature);
	renderList();
	renderCardPart();
}

/* A receiver of task f: its service, unit, status and note; the user's
 * own row has the buttons that move it, and the form of an outcome or a
 * reason while one is written. */
function receiverRow(f, r) {
	const { el } = ctx;
	const p = f.properties;
	const own = writer() && ownRow(p, ctx.me) === r;
	const li = el('li', { class: `task-rcv${own ? ' own' : ''}`, dataset: { service: r.service, status: r.status } },
		el('div', { class: 'task-rcv-head' }, el('span', { class: 'task-rcv-name' }, who(r)), badge(r.status, 'task-badge small')),
		r.note ? el('p', { class: 'task-note' }, r.note) : null);
	if (!own) return li;
	if (tasks.editing?.id === p.id) {
		li.append(noteForm(f, tasks.editing.status));
		return li;
	}
	const actions = el('div', { class: 'task-actions' });
	for (const s of nextStatuses(r.status)) {
		const b = el('button', { type: 'button', class: 'btn btn-quiet', dataset: { to: s } }, t(`tasks.do.${s}`));
		b.addEventListener('click', () => {
			if (s === 'done' || s === 'declined') {
				tasks.editing = { id: p.id, status: s, text: '' };
				renderList();
				focusNote();
			} else patch(f, { status: s });
		});
		actions.append(b);
	}
	const record = el('button', { type: 'button', class: 'link task-record' }, t('activities.record'));
	record.addEventListener('click', () => ctx.record(recordPrefill(f)));
	actions.append(record);
	li.append(actions);
	return li;
}

/* The outcome of a done row or the reason of a declined one. */
function noteForm(f, status) {
	const { el } = ctx;
	const name = status === 'done' ? 'outcome' : 'reason';
	const text = el('textarea', { rows: 2, 'data-field': name, maxlength: 4000 });
	text.value = tasks.editing.text;
	text.addEventListener('input', () => (tasks.editing.text = text.value));
	const save = el('button', { type: 'submit', class: 'btn btn-primary' }, t(`tasks.do.${status}`));
	const cancel = el('button', { type: 'button', class: 'btn btn-quiet' }, t('coop.cancel'));
	cancel.addEventListener('click', () => {
		tasks.editing = null;
		renderList();
	});
	const form = el('form', { class: 'task-note-form' }, field(el, `tasks.${name}`, text), el('div', { class: 'row' }, save, cancel));
	form.addEventListener('submit', (e) => {
		e.preventDefault();
		patch(f, { status, [name]: text.value.trim() });
	});
	return form;
}

/* Moves the user's receiver row of f, as of f's version. */
async function patch(f, body) {
	const id = f.properties.id;
	tasks.msgs.delete(id);
	try {
		const now = await ctx.api(`api/tasks/${encodeURIComponent(id)}`, {
			method: 'PATCH',
			json: body,
			headers: { Accept: 'application/json', 'If-Match': `"${f.properties.version}"` },
		});
		tasks.editing = null;
		replace(now);
	} catch (e) {
		if (e.status === 412) {
			/* Someone moved it on meanwhile: show it as it is now. */
			tasks.editing = null;
			tasks.msgs.set(id, { key: 'tasks.changed' });
			await reloadOne(id);
		} else tasks.msgs.set(id, { text: e.message });
	}
	renderList();
	renderCardPart();
}

async function reloadOne(id) {
	try {
		replace(await ctx.api(`api/tasks/${encodeURIComponent(id)}`));
	} catch (e) {
		ctx.showError(e);
	}
}

/* The list's copy of a task the server just answered. */
function replace(feature) {
	if (!feature?.properties) return;
	delete feature.properties.log;
	tasks.known.set(feature.properties.id, feature.properties);
	const i = tasks.list.findIndex((f) => f.properties.id === feature.properties.id);
	if (i >= 0) tasks.list[i] = feature;
	drawLayer();
}

/* The task's point on the map, and its item in the list. */
function showOnMap(f) {
	const [lon, lat] = f.geometry?.coordinates || [];
	if (Number.isFinite(lon) && Number.isFinite(lat)) ctx.map.flyTo([lat, lon], Math.max(ctx.map.getZoom(), 15), { duration: 0.6 });
	const li = document.querySelector(`.task[data-id="${CSS.escape(f.properties.id)}"]`);
	if (!li) return;
	li.scrollIntoView({ block: 'nearest' });
	li.classList.remove('flash');
	void li.offsetWidth; /* restart the animation */
	li.classList.add('flash');
}

/* The prevention log's form for what was done for task f: at its point,
 * or in its mahalla (a zone's or district's task: the mahalla of its
 * point). */
function recordPrefill(f) {
	const place = featurePlace(f);
	const p = f.properties;
	return { place: ['point', 'hotspot', 'mahalla'].includes(place.kind) ? place : { kind: 'mahalla', code: p.mahalla }, task: p.id };
}

/* The tasks the list holds (the prevention log links its activities to
 * them). */
export function listedTasks() {
	return tasks.list;
}

/* ---------- sending ---------- */

/* The form of a new task; prefill { place } (a mahalla's, a point's). */
export function openTaskForm(prefill) {
	const { el, me } = ctx;
	const place = placeSelect(el, ctx.mahallas(), prefill);
	const text = el('textarea', { rows: 3, 'data-field': 'text', maxlength: 4000 });
	const receivers = receiverPicker(el, ctx.meta.services);
	const due = dateField(el('input', { 'data-field': 'due' }), 'date');
	const priority = el('select', { 'data-field': 'priority' });
	for (const x of PRIORITIES) priority.append(el('option', { value: x, 'data-i18n': `tasks.priority.${x}` }, t(`tasks.priority.${x}`)));
	priority.value = 'normal';
	const from = me?.service ? null : el('select', { 'data-field': 'from.service' });
	for (const s of from ? ctx.meta.services : []) from.append(named(el('option', { value: s.code }), 'services', s));
	const body = [
		field(el, 'coop.place', place),
		field(el, 'tasks.text', text),
		receivers.node,
		el('div', { class: 'row two' }, field(el, 'tasks.due', due), field(el, 'tasks.priority', priority)),
		from ? field(el, 'tasks.from_service', from) : el('p', { class: 'cov-note' }, t('tasks.from', { who: who(me) })),
	];
	openForm(el, 'task-form', 'tasks.form', body, 'tasks.submit', async () => {
		const task = {
			id: newId(),
			text: text.value.trim(),
			place: placeOf(place),
			to: receivers.value(),
			priority: priority.value,
		};
		if (due.value) task.due = due.value;
		if (from) task.from = { service: from.value };
		tasks.sent.add(task.id);
		const stored = await ctx.api('api/tasks', { json: task });
		tasks.known.set(stored.properties.id, stored.properties);
		notice(el, () => t('tasks.sent', { text: short(stored.properties.text) }), null, 'ok');
		load();
	});
}

/* Right-click on the map: a task or an activity at that point, or at the
 * planning mode's hotspot under it (officers), and "Did it help?" there
 * (everyone). */
function onContextMenu(e) {
	const { el, L } = ctx;
	const at = { lon: Number(e.latlng.lng.toFixed(6)), lat: Number(e.latlng.lat.toFixed(6)) };
	const rank = hotspotAt(e.originalEvent);
	const place = rank ? { kind: 'hotspot', ...at, label: `#${rank}` } : { kind: 'point', ...at };
	/* a hotspot is judged around its peak, over a circle of its area */
	const spot = rank ? ctx.hotspot(Number(rank))?.properties : null;
	const judged = spot?.peak
		? { lon: spot.peak[0], lat: spot.peak[1], radius: Math.min(5000, Math.max(25, Math.round(Math.sqrt(spot.area_m2 / Math.PI) / 10) * 10)), label: `#${rank}` }
		: { ...at, radius: 300 };
	const m = ctx.mahallaAt(at.lon, at.lat);
	const popup = L.popup({ className: 'coop-menu' });
	const button = (key, fn) => {
		const b = el('button', { type: 'button', class: 'btn btn-quiet', dataset: { action: key } }, t(key));
		b.addEventListener('click', () => {
			ctx.map.closePopup(popup);
			fn();
		});
		return b;
	};
	const node = el('div', { class: 'coop-menu-body' },
		el('div', { class: 'coop-menu-place' }, [placeText(place, ctx.mahallaName), m ? nameOf(m.properties) : null].filter(Boolean).join(' · ')),
		writer() ? button('tasks.send_here', () => openTaskForm({ place })) : null,
		writer() ? button('activities.record_here', () => ctx.record({ place })) : null,
		button('evaluate.open', () => openEvaluate(judged)));
	popup.setLatLng(e.latlng).setContent(node).openOn(ctx.map);
}

/* The rank of the planning mode's hotspot (web/planner.js draws each as a
 * path of class "hotspot-shape hotspot-RANK") under a mouse event, or
 * null. The shapes take no pointer events, so their fill is asked. */
function hotspotAt(ev) {
	for (const path of document.querySelectorAll('path.hotspot-shape')) {
		const m = path.getScreenCTM();
		if (!m) continue;
		const pt = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
		if (path.isPointInFill(pt)) return /\bhotspot-(\d+)\b/.exec(path.getAttribute('class'))?.[1] || null;
	}
	return null;
}

/* ---------- live ---------- */

/* Listens to the stream es: each `tasks` event may make notices and
 * reloads the list; a stream opened again reloads what it missed. */
export function tasksListen(es) {
	es.addEventListener('tasks', (ev) => {
		if (!ctx) return;
		let d = null;
		try {
			d = JSON.parse(ev.data);
		} catch {
			/* the reload shows it */
		}
		if (d?.task) {
			const notices = d.action === 'create' && tasks.sent.has(d.task.id) ? [] : noticesOf(d, tasks.known.get(d.task.id), ctx.me);
			for (const n of notices) noticeOfTask(d.task, n);
			tasks.known.set(d.task.id, d.task);
		}
		scheduleLoad();
	});
	es.addEventListener('open', () => ctx && scheduleLoad());
}

function noticeOfTask(task, n) {
	const text = short(task.text || '');
	const words = {
		new: () => t('tasks.notice.new', { from: who(task.from), text, due: task.due ? t('tasks.due_on', { day: dayText(task.due) }) : '' }).trim(),
		status: () => t('tasks.notice.status', { who: serviceName(n.service), status: t(`tasks.status.${n.status}`), text }),
		closed: () => t('tasks.notice.status', { who: t('tasks'), status: t(`tasks.status.${n.status}`), text }),
	}[n.kind];
	const show = () => {
		if (n.kind !== 'new' && tasks.status === 'open' && ['done', 'declined'].includes(task.status)) {
			tasks.status = 'all';
			$('task-status').value = 'all';
			remember();
		}
		load().then(() => {
			const f = tasks.list.find((x) => x.properties.id === task.id);
			if (f) showOnMap(f);
		});
	};
	notice(ctx.el, words, { key: 'tasks.notice.show', fn: show }, n.kind === 'new' ? 'task-new' : 'task-update');
}

/* The panel's filters changed (the district looked at). */
export function tasksFiltersChanged() {
	if (ctx) load();
}

/* ---------- the map's overlay ---------- */

function drawLayer() {
	const { L, el } = ctx;
	tasks.layer = markerLayer(L, ctx.map, tasks.layer, tasks.on && tasks.list, (f) => ({
		className: `task-marker${f.properties.overdue ? ' late' : ''}`,
		html: el('span', { class: 'task-pin', style: `--c:${TASK_COLOURS[f.properties.status]}` }, f.properties.overdue ? el('b', {}, '!') : null),
		size: 22,
		title: f.properties.text,
		popup: () => popupOf(f),
		data: { id: f.properties.id, status: f.properties.status },
	}));
}

function popupOf(f) {
	const { el } = ctx;
	const p = f.properties;
	const open = el('button', { type: 'button', class: 'link' }, t('tasks.in_list'));
	open.addEventListener('click', () => showOnMap(f));
	return el('div', { class: 'coop-pop task-pop' },
		el('div', { class: 'task-head' }, badge(p.status), p.due ? el('span', { class: 'task-due' }, t('tasks.due_on', { day: dayText(p.due) })) : null,
			p.overdue ? el('strong', { class: 'task-late' }, t('tasks.overdue')) : null),
		el('p', { class: 'task-text' }, p.text),
		el('div', { class: 'task-meta' }, whereText(f)),
		el('div', { class: 'task-meta' }, t('tasks.from', { who: who(p.from) })),
		el('ul', { class: 'task-to' }, (p.to || []).map((r) => el('li', { class: 'task-rcv-head' }, el('span', {}, who(r)), badge(r.status, 'task-badge small')))),
		open);
}

/* The legend's block of the overlay, or null when it is off. */
export function tasksLegend() {
	if (!ctx || !tasks.on) return null;
	const { el } = ctx;
	const ul = el('ul', { class: 'lg-items lg-tasks' });
	for (const s of TASK_STATUSES) ul.append(el('li', { dataset: { status: s } }, el('i', { class: 'sw task-sw', style: `--c:${TASK_COLOURS[s]}` }), t(`tasks.status.${s}`)));
	ul.append(el('li', { dataset: { status: 'overdue' } }, el('i', { class: 'sw task-sw late', style: `--c:${OVERDUE_COLOUR}` }), t('tasks.overdue')));
	return el('div', { class: 'lg-block', dataset: { layer: 'tasks' } }, el('h3', {}, t('tasks.legend')), ul);
}

/* ---------- the mahalla's card ---------- */

/* The card's part for mahalla code: the buttons that send a task or record
 * an activity there, and its tasks in the list. The same node while the
 * same mahalla is shown. */
export function tasksCard(code) {
	if (!ctx) return null;
	if (tasks.card?.code !== code) tasks.card = { code, node: ctx.el('div', { class: 'coop-card' }) };
	renderCardPart();
	return tasks.card.node;
}

function renderCardPart() {
	if (!tasks.card) return;
	const { el } = ctx;
	const { code, node } = tasks.card;
	const here = tasks.list.filter((f) => f.properties.mahalla === code);
	const buttons = [];
	if (writer()) {
		const send = el('button', { type: 'button', class: 'btn btn-quiet', id: 'card-task' }, t('tasks.send'));
		send.addEventListener('click', () => openTaskForm({ place: { kind: 'mahalla', code } }));
		const record = el('button', { type: 'button', class: 'btn btn-quiet', id: 'card-activity' }, t('activities.record'));
		record.addEventListener('click', () => ctx.record({ place: { kind: 'mahalla', code } }));
		buttons.push(el('div', { class: 'row coop-card-buttons' }, send, record));
	}
	node.replaceChildren(...buttons);
	if (!here.length) return;
	node.append(el('div', { class: 'breakdown coop-card-tasks' },
		el('h3', {}, tn('tasks.here', here.length)),
		el('ul', { class: 'task-to' }, here.map((f) => {
			const b = el('button', { type: 'button', class: 'link' }, short(f.properties.text, 60));
			b.addEventListener('click', () => showOnMap(f));
			return el('li', { class: 'task-rcv-head', dataset: { id: f.properties.id } }, b, badge(f.properties.status, 'task-badge small'));
		}))));
}

/* ---------- start ---------- */

/* Starts the panel's block, the overlay's switch (#tasks-on), the map's
 * right-click and the list; c lends app.js's parts. */
export function tasksStart(c) {
	ctx = c;
	recall();
	buildPanel();
	const box = $('tasks-on');
	box.checked = tasks.on;
	box.addEventListener('change', () => {
		tasks.on = box.checked;
		remember();
		drawLayer();
		ctx.legendChanged();
	});
	ctx.map.on('contextmenu', onContextMenu);
	onLangChange(() => {
		for (const d of tasks.details.values()) d.relabel();
		render();
	});
	load();
}
