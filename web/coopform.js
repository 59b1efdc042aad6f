// posbon viewer: what the tasks between services (web/tasks.js) and the
// prevention log (web/activities.js) share: the place of a task or an
// activity (a mahalla, a point, a hotspot) and its chooser; a small form
// floating over the map whose refusals from the server show next to the
// field they name; days and times written as the viewer writes them; the
// notices that stay over the map until closed; markers of one place
// spread around it.
//
// The forms and notices are built here and dropped when closed; their
// texts carry data-i18n keys, so a language switch (translate()) relabels
// them, and the names of services and mahallas follow (named()).

import { nameOf, onLangChange, t } from './i18n.js';

const $ = (id) => document.getElementById(id);

/* ---------- pure (tests/web/test_coop.mjs) ---------- */

/* A day 'YYYY-MM-DD' as the viewer writes it, 'DD.MM.YYYY' ('' for none). */
export function dayText(day) {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day || '');
	return m ? `${m[3]}.${m[2]}.${m[1]}` : '';
}

const PARENT = /(?:\.[^.[\]]+|\[\d+\])$/;

/* The one of names that a refusal's field speaks of: the field itself, else
 * its nearest parent ('place.code' -> 'place', 'to[1].unit' -> 'to[1]' ->
 * 'to'), else null. */
export function fieldTarget(field, names) {
	let f = field || '';
	while (f) {
		if (names.includes(f)) return f;
		if (!PARENT.test(f)) return null;
		f = f.replace(PARENT, '');
	}
	return null;
}

/* A new random id, a UUID v4 from rnd(bytes) (crypto.getRandomValues,
 * which unlike crypto.randomUUID() works on a page served over plain http
 * inside an office's network). */
export function newId(rnd = (b) => crypto.getRandomValues(b)) {
	const b = rnd(new Uint8Array(16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/* Pixel offsets [dx, dy] for n markers at one place: none for one, else a
 * ring of radius r around it, the first at the top. */
export function ringOffsets(n, r = 14) {
	if (n < 2) return [[0, 0]];
	return Array.from({ length: n }, (_, i) => {
		const a = (2 * Math.PI * i) / n - Math.PI / 2;
		return [Math.round(r * Math.cos(a)), Math.round(r * Math.sin(a))];
	});
}

/* Replaces the layer old (or null) on map by one of a marker per feature
 * with a point, those of one place spread on a ring (none without
 * features: returns null). make(f) gives { className, html, size (px,
 * square), title, popup() (its content), data (for the marker's
 * dataset) }. */
export function markerLayer(L, map, old, features, make) {
	old?.remove();
	if (!features) return null;
	const layer = L.layerGroup().addTo(map);
	const at = new Map(); /* "lon,lat" -> the features there */
	for (const f of features) {
		const c = f.geometry?.coordinates;
		if (!Array.isArray(c) || !c.every(Number.isFinite)) continue;
		const k = c.join(',');
		at.set(k, [...(at.get(k) || []), f]);
	}
	for (const group of at.values())
		group.forEach((f, i) => {
			const o = make(f);
			const [dx, dy] = ringOffsets(group.length, Math.round(o.size * 0.75))[i];
			const icon = L.divIcon({ className: o.className, html: o.html, iconSize: [o.size, o.size], iconAnchor: [o.size / 2 - dx, o.size / 2 - dy] });
			const [lon, lat] = f.geometry.coordinates;
			const m = L.marker([lat, lon], { icon, keyboard: false, title: o.title }).bindPopup(o.popup, { className: 'coop-popup' }).addTo(layer);
			Object.assign(m.getElement().dataset, o.data);
		});
	return layer;
}

/* The place of a task's or an activity's feature f as the API takes it:
 * the answers give a point's place as its geometry, a hotspot's label as
 * the place's code. */
export function featurePlace(f) {
	const p = f?.properties?.place || {};
	if (p.kind !== 'point' && p.kind !== 'hotspot') return p;
	const [lon, lat] = f.geometry?.coordinates || [];
	const label = p.label || p.code;
	return { kind: p.kind, lon, lat, ...(p.kind === 'hotspot' && label ? { label } : {}) };
}

/* A place of the API ({kind, code} or {kind, lon, lat, label}) in words;
 * mahalla(code) names a mahalla. */
export function placeText(place, mahalla) {
	const p = place || {};
	if (p.kind === 'mahalla') return mahalla(p.code);
	if (p.kind === 'zone' || p.kind === 'district') return t(`coop.place.${p.kind}`, { code: p.code });
	const at = { lat: Number(p.lat).toFixed(5), lon: Number(p.lon).toFixed(5) };
	if (p.kind === 'hotspot') return t('coop.place.hotspot', { label: p.label || '', ...at });
	return t('coop.place.point', at);
}

/* The query of the one district a filter's query names (none for several
 * or none), as the lists of tasks, activities and standings take it. */
export function districtQuery(filter) {
	const district = new URLSearchParams(filter).get('district');
	return new URLSearchParams(district && !district.includes(',') ? { district } : {});
}

/* ---------- an overlay's switch ---------- */

/* The checkbox #id of an overlay, on as last left (localStorage key);
 * toggled(on) follows each change. Returns whether it starts on. */
export function rememberedSwitch(id, key, toggled) {
	const box = $(id);
	try {
		box.checked = localStorage.getItem(key) === 'on';
	} catch {
		box.checked = false;
	}
	box.addEventListener('change', () => {
		try {
			localStorage.setItem(key, box.checked ? 'on' : 'off');
		} catch {
			/* not remembered */
		}
		toggled(box.checked);
	});
	return box.checked;
}

/* ---------- the place chooser ---------- */

/* The place of a form: a select of the mahallas (by name), headed by the
 * point or hotspot given, if any; prefill { place, mahalla }. Its value
 * is read back by placeOf(). */
export function placeSelect(el, mahallas, prefill) {
	const sel = el('select', { 'data-field': 'place', class: 'coop-place' });
	const p = prefill?.place;
	if (p && (p.kind === 'point' || p.kind === 'hotspot')) {
		const o = el('option', { value: 'at' }, placeText(p, () => ''));
		o.place = p;
		sel.append(o);
	}
	const sorted = [...mahallas].map((f) => f.properties || {}).sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
	for (const m of sorted) sel.append(named(el('option', { value: `m:${m.code}` }), 'mahallas', m));
	const code = p?.kind === 'mahalla' ? p.code : null;
	sel.value = p && !code ? 'at' : code ? `m:${code}` : sel.options[0]?.value || '';
	return sel;
}

/* The API's place of a chooser made by placeSelect(). */
export function placeOf(sel) {
	const o = sel.selectedOptions[0];
	if (!o) return null;
	return o.place || { kind: 'mahalla', code: o.value.slice(2) };
}

/* Element e named after rec, a service or (kind 'mahallas') a mahalla, in
 * the current language now and after a switch. */
export function named(e, kind, rec) {
	e.dataset.nameKind = kind;
	e.rec = rec;
	e.textContent = nameLabel(kind, rec);
	return e;
}

const nameLabel = (kind, rec) => (kind === 'mahallas' ? `${nameOf(rec)} (${rec.code})` : nameOf(rec));

/* ---------- the receivers' chooser ---------- */

/* A checkbox per service of services with the unit beside it, those of to
 * ([{service, unit}], one a service) ticked; onChange() follows every
 * change. { node, value() }: value() gives the receivers ticked as the API
 * takes them, and names their inputs after their place in `to`, so that a
 * refusal shows next to the one it names. */
export function receiverPicker(el, services, to = [], onChange = () => {}) {
	const rows = services.map((s) => {
		const was = to.find((r) => r.service === s.code);
		const box = el('input', { type: 'checkbox', value: s.code, checked: !!was });
		const unit = el('input', { class: 'task-unit', autocomplete: 'off', spellcheck: 'false', 'data-i18n-placeholder': 'tasks.unit', placeholder: t('tasks.unit'), hidden: !was, value: was?.unit || '' });
		box.addEventListener('change', () => {
			unit.hidden = !box.checked;
			onChange();
		});
		unit.addEventListener('input', onChange);
		return { box, unit, node: el('div', { class: 'coop-row task-to-row' }, el('label', { class: 'check' }, box, named(el('span'), 'services', s)), unit) };
	});
	const value = () => {
		const chosen = rows.filter((r) => r.box.checked);
		for (const r of rows) r.box.dataset.field = r.unit.dataset.field = '';
		chosen.forEach((r, i) => {
			r.box.dataset.field = `to[${i}].service`;
			r.unit.dataset.field = `to[${i}].unit`;
		});
		return chosen.map((r) => ({ service: r.box.value, ...(r.unit.value.trim() ? { unit: r.unit.value.trim() } : {}) }));
	};
	const node = el('fieldset', { class: 'task-to-pick', 'data-field': 'to' }, el('legend', { 'data-i18n': 'tasks.receivers' }, t('tasks.receivers')), rows.map((r) => r.node));
	return { node, value };
}

/* ---------- the floating form ---------- */

/* A label with the text of key around input. */
export function field(el, key, input, cls = 'field') {
	return el('label', { class: cls }, el('span', { 'data-i18n': key }, t(key)), input);
}

/* Opens the form id over the map (one of each at a time; an older one is
 * dropped): a title, the body's nodes, a submit button and a cancel one.
 * submit(form) sends it; a refusal it throws (an ApiError with a field)
 * shows next to the field named, else above the buttons. Returns the form. */
export function openForm(el, id, titleKey, body, submitKey, submit) {
	listen();
	$(id)?.remove();
	const error = el('p', { class: 'login-error coop-form-error', role: 'alert', hidden: true });
	const send = el('button', { type: 'submit', class: 'btn btn-primary', 'data-i18n': submitKey }, t(submitKey));
	const cancel = el('button', { type: 'button', class: 'btn btn-quiet', 'data-i18n': 'coop.cancel' }, t('coop.cancel'));
	const close = el('button', { type: 'button', class: 'close', 'data-i18n-title': 'card.close', title: t('card.close'), 'aria-label': t('card.close') }, el('span', { 'aria-hidden': 'true' }, '×'));
	const form = el(
		'form',
		{ id, class: 'card coop-form', novalidate: true, 'aria-labelledby': `${id}-title` },
		el('header', { class: 'card-head' }, el('h2', { id: `${id}-title`, 'data-i18n': titleKey }, t(titleKey)), close),
		el('div', { class: 'card-body' }, ...body, error, el('div', { class: 'row coop-buttons' }, send, cancel)),
	);
	const dismiss = () => form.remove();
	close.addEventListener('click', dismiss);
	cancel.addEventListener('click', dismiss);
	form.addEventListener('keydown', (e) => e.key === 'Escape' && dismiss());
	form.addEventListener('submit', async (e) => {
		e.preventDefault();
		clearRefusal(form);
		send.disabled = true;
		try {
			await submit(form);
			dismiss();
		} catch (err) {
			showRefusal(el, form, err);
		} finally {
			send.disabled = false;
		}
	});
	document.querySelector('.map-wrap').append(form);
	form.querySelector('input, select, textarea')?.focus();
	return form;
}

function clearRefusal(form) {
	for (const e of form.querySelectorAll('.field-error')) e.remove();
	for (const e of form.querySelectorAll('.invalid')) e.classList.remove('invalid');
	form.querySelector('.coop-form-error').hidden = true;
}

/* The server's message next to the input its field names, else above the
 * buttons with the field. */
function showRefusal(el, form, e) {
	const inputs = [...form.querySelectorAll('[data-field]')].filter((x) => x.dataset.field);
	const name = fieldTarget(e.field, inputs.map((x) => x.dataset.field));
	const input = inputs.find((x) => x.dataset.field === name);
	if (input) {
		input.classList.add('invalid');
		(input.closest('.field, .coop-row, fieldset') || input).after(el('div', { class: 'field-error', role: 'alert', 'data-error-for': e.field }, e.message));
		input.focus?.();
		return;
	}
	const box = form.querySelector('.coop-form-error');
	box.textContent = e.message;
	box.dataset.errorFor = e.field || '';
	box.hidden = false;
}

/* ---------- notices ---------- */

const MAX_NOTICES = 4;
const notices = []; /* { node, text() } */

/* A notice over the map until closed (the oldest goes past MAX_NOTICES):
 * text() its words (again after a language switch), action { key, fn } a
 * button that also closes it; cls a modifier class. */
export function notice(el, text, action, cls = '') {
	listen();
	let box = $('coop-notices');
	if (!box) {
		box = el('div', { id: 'coop-notices', class: 'coop-notices', role: 'status', 'aria-live': 'polite' });
		document.querySelector('.map-wrap').append(box);
	}
	const words = el('p', {}, text());
	const rec = { text, words };
	const close = () => {
		rec.node.remove();
		notices.splice(notices.indexOf(rec), 1);
	};
	const buttons = el('div', { class: 'coop-notice-buttons' });
	if (action) {
		const b = el('button', { type: 'button', class: 'link', 'data-i18n': action.key }, t(action.key));
		b.addEventListener('click', () => {
			close();
			action.fn();
		});
		buttons.append(b);
	}
	const x = el('button', { type: 'button', class: 'close', 'data-i18n-title': 'card.close', title: t('card.close'), 'aria-label': t('card.close') }, el('span', { 'aria-hidden': 'true' }, '×'));
	x.addEventListener('click', close);
	rec.node = el('div', { class: `coop-notice ${cls}` }, words, buttons, x);
	box.append(rec.node);
	notices.push(rec);
	if (notices.length > MAX_NOTICES) notices.shift().node.remove();
}

/* The notices and open forms in the current language (translate() has
 * done their data-i18n texts). */
function relabel() {
	for (const n of notices) n.words.textContent = n.text();
	for (const e of document.querySelectorAll('.coop-form [data-name-kind]')) e.textContent = nameLabel(e.dataset.nameKind, e.rec);
	for (const o of document.querySelectorAll('.coop-form option')) if (o.place) o.textContent = placeText(o.place, () => '');
}

let listening = false;
function listen() {
	if (!listening) onLangChange(relabel);
	listening = true;
}
