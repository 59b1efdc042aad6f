// posbon viewer: the planning mode, for users whose role is planner or admin.
// A shift (start, end, the weekdays it starts on) and a training period
// choose the heatmap's filters, the shift's hotspots (GET /api/hotspots,
// numbered polygons) and the patrol zones shown (GET /api/zones, only those
// with an assignment in the shift, coloured by service). Zones are drawn,
// reshaped, cut or split and removed with Leaflet-Geoman (npm, served at
// vendor/geoman/), given assignments in a form and saved with POST, PUT and
// DELETE under If-Match; the last change can be undone; a zone that overlaps
// another service's zone in the same shift is saved only after a warning.
//
// Geoman extends a global L, so plannerLoad() puts a copy of Leaflet's ES
// module namespace there before the map exists (the map takes Geoman's init
// hook when created). Geoman works opt-in: only zone layers are editable.

import { dateField, fieldsValid } from './datefield.js';
import { geometriesOverlap, polygonsOf } from './geometry.js';
import { lang, nameOf, onLangChange, t, tn, translate } from './i18n.js';
import { labelsPlace } from './labels.js';
import {
	assignmentShift,
	clockMinutes,
	clockText,
	daysOf,
	maskOf,
	shiftHours,
	shiftsMeet,
	weekdaysText,
} from './shift.js';

const PLAN_KEY = 'posbon.plan';
const PRESETS = { day: ['08:00', '20:00'], evening: ['18:00', '02:00'], night: ['20:00', '08:00'] };
const WEEKS = [4, 8, 12, 26];
const DAY_MS = 86400e3;
/* Geoman's texts that the planner meets, from i18n.js. */
const PM_TEXTS = {
	tooltips: ['firstVertex', 'continueLine', 'finishPoly'],
	actions: ['finish', 'cancel', 'removeLastVertex'],
	buttonTitles: ['drawPolyButton', 'editButton', 'cutButton', 'deleteButton'],
};

const $ = (id) => document.getElementById(id);

let ctx = null; /* what app.js lends: L, map, api, el, meta, colourOf, ... */
const plan = {
	active: false,
	shift: { start: 480, end: 1200, mask: 127 },
	weeks: 8,
	snap: false,
	zones: [], /* GeoJSON features of /api/zones */
	hotspots: [], /* GeoJSON features of /api/hotspots */
	zoneLayers: null, /* L.LayerGroup of the zones shown */
	hotspotLayers: null,
	hotspotShapes: new Map(), /* rank -> its polygon, restyled by plan.hotspotStyle */
	hotspotStyle: null, /* rank -> a path style or null, from plannerHotspotStyle() */
	mahallaLines: null, /* snapping targets, while snapping is on */
	draft: null, /* a just drawn polygon, before its first save */
	form: null, /* { feature (stored, or null for a new zone), layer } */
	undo: [], /* changes, newest last: lists of operations that revert them */
	latest: new Map(), /* id -> version of this viewer's last write: an undo goes on from it */
	seq: 0,
	listeners: new Set(),
};

export const canPlan = (me) => me?.role === 'planner' || me?.role === 'admin';
export const planningActive = () => plan.active;
/* The hotspot of rank shown by the planning mode (a feature of GET
 * /api/hotspots), or null. */
export const plannerHotspot = (rank) => (plan.active && plan.hotspots.find((f) => f.properties?.rank === rank)) || null;

/* Whether a click on the map belongs to the planner (a Geoman mode, the
 * zone form) rather than to the mahalla card. */
export const plannerBusy = () => plan.active && (!!plan.form || plannerModeOn());

/* Loads Geoman onto a global copy of the Leaflet namespace Leaflet. */
export async function plannerLoad(Leaflet) {
	globalThis.L = { ...Leaflet };
	await import('./vendor/geoman/leaflet-geoman.min.js');
	globalThis.L.PM.setOptIn(true);
	document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: 'vendor/geoman/leaflet-geoman.css' }));
}

/* The coverage panel (GET /api/coverage, issue 7 part 4) plugs in here: fn
 * is called with { shift, weekdays, from, to, zones } whenever the planning
 * mode, the shift, the period or the zones change, and with null when the
 * planning mode ends. */
export function plannerOnChange(fn) {
	plan.listeners.add(fn);
}

function notify() {
	const p = plan.active ? periodArgs() : null;
	const arg = p && { shift: shiftArg(), weekdays: weekdaysText(plan.shift.mask), from: p.from, to: p.to, zones: plan.zones };
	for (const fn of plan.listeners) fn(arg);
}

/* Loads the zones again after a write made elsewhere (the suggested plan
 * saved as zones); the listeners of plannerOnChange() follow. */
export async function plannerReload() {
	if (plan.active) await loadZones();
}

const HOTSPOT_STYLE = { color: '#7a0019', weight: 2, dashArray: '4 3', fillColor: '#bd0026', fillOpacity: 0.08 };

/* fn(rank) gives the path style of the hotspot of that rank drawn by the
 * planner (the coverage panel colours them by status), or null for the
 * plain one; fn itself null restores them all. */
export function plannerHotspotStyle(fn) {
	plan.hotspotStyle = fn;
	for (const [rank, layer] of plan.hotspotShapes) layer.setStyle({ ...HOTSPOT_STYLE, ...fn?.(rank) });
}

/* ---------- shift and period ---------- */

const shiftArg = () => `${clockText(plan.shift.start)}-${clockText(plan.shift.end)}`;

/* The training period: the weeks ending on the data's last day. */
function periodArgs() {
	const last = Number.isFinite(ctx.meta.last) ? ctx.meta.last : Date.now();
	return { from: ctx.isoDate(last - (7 * plan.weeks - 1) * DAY_MS), to: ctx.isoDate(last) };
}

/* The shift's filters in place of the panel's, for every filtered layer
 * (the heatmap's hours and weekdays: the weekdays are the days the shift
 * starts on, so its hours past midnight count on those days too). */
export function planningFilter(p) {
	if (!plan.active) return;
	const { from, to } = periodArgs();
	p.set('from', from);
	p.set('to', to);
	const hours = shiftHours(plan.shift);
	if (hours) p.set('hours', hours);
	else p.delete('hours');
	if (plan.shift.mask === 127) p.delete('weekdays');
	else p.set('weekdays', weekdaysText(plan.shift.mask));
}

const today = () => ctx.isoDate(Date.now());

/* The assignments of zone f that are on duty in the shift; none when the
 * zone's validity has ended. */
function onDuty(f) {
	const p = f.properties || {};
	if (p.valid_to && p.valid_to < today()) return [];
	return (p.assignments || []).filter((a) => {
		const s = assignmentShift(a);
		return s && shiftsMeet(s, plan.shift);
	});
}

/* ---------- panel ---------- */

function load() {
	try {
		const v = JSON.parse(localStorage.getItem(PLAN_KEY) || 'null');
		if (v && Number.isFinite(v.start) && Number.isFinite(v.end) && v.mask > 0 && v.mask < 128) plan.shift = { start: v.start, end: v.end, mask: v.mask };
		if (v && WEEKS.includes(v.weeks)) plan.weeks = v.weeks;
		plan.snap = !!v?.snap;
		plan.active = !!v?.active;
	} catch {
		/* defaults */
	}
}

function save() {
	try {
		localStorage.setItem(PLAN_KEY, JSON.stringify({ ...plan.shift, weeks: plan.weeks, snap: plan.snap, active: plan.active }));
	} catch {
		/* not remembered */
	}
}

function renderPanel() {
	const { el } = ctx;
	$('plan-block').hidden = false;
	$('plan-active').checked = plan.active;
	$('plan-body').hidden = !plan.active;
	document.body.classList.toggle('planning', plan.active);
	$('plan-start').value = clockText(plan.shift.start);
	$('plan-end').value = clockText(plan.shift.end % 1440);
	for (const b of document.querySelectorAll('#plan-presets [data-preset]')) {
		const [a, z] = PRESETS[b.dataset.preset];
		b.setAttribute('aria-pressed', String(clockMinutes(a) === plan.shift.start && clockMinutes(z) === plan.shift.end));
	}
	const box = $('plan-weekdays');
	box.replaceChildren();
	const short = t('weekdays.short');
	const long = t('weekdays.long');
	daysOf(plan.shift.mask).forEach((on, i) => {
		const input = el('input', { type: 'checkbox', checked: on, value: String(i) });
		input.addEventListener('change', () => {
			const days = daysOf(plan.shift.mask);
			days[i] = input.checked;
			if (!days.some(Boolean)) {
				input.checked = true;
				ctx.flash(t('none.left'));
				return;
			}
			setShift({ ...plan.shift, mask: maskOf(days) });
		});
		box.append(el('label', { class: 'wd', title: long[i] }, input, el('span', {}, short[i])));
	});
	const weeks = $('plan-weeks');
	weeks.replaceChildren(...WEEKS.map((w) => el('option', { value: String(w), selected: w === plan.weeks }, tn('plan.weeks', w))));
	$('plan-snap').checked = plan.snap;
	$('plan-undo').disabled = !plan.undo.length;
	renderCounts();
}

function renderCounts() {
	const zones = plan.zoneLayers ? plan.zoneLayers.getLayers().length : 0;
	const spots = plan.hotspots?.length ?? 0;
	$('plan-counts').textContent = `${tn('plan.zones', zones)} · ${tn('plan.hotspots', spots)}`;
}

function setShift(s) {
	plan.shift = s;
	save();
	renderPanel();
	refresh();
}

function buildPanel() {
	$('plan-active').addEventListener('change', (e) => setActive(e.target.checked));
	for (const b of document.querySelectorAll('#plan-presets [data-preset]')) {
		b.addEventListener('click', () => {
			const [a, z] = PRESETS[b.dataset.preset];
			setShift({ ...plan.shift, start: clockMinutes(a), end: clockMinutes(z) });
		});
	}
	for (const id of ['plan-start', 'plan-end']) {
		$(id).addEventListener('change', () => {
			const start = clockMinutes($('plan-start').value);
			let end = clockMinutes($('plan-end').value);
			if (!Number.isFinite(start) || !Number.isFinite(end)) return;
			if (end === 0) end = 1440;
			setShift({ ...plan.shift, start, end: end === start ? (start ? start : 1440) : end });
		});
	}
	$('plan-weeks').addEventListener('change', (e) => {
		plan.weeks = Number(e.target.value);
		save();
		refresh();
	});
	$('plan-snap').addEventListener('change', (e) => {
		plan.snap = e.target.checked;
		save();
		syncSnapping();
	});
	$('plan-undo').addEventListener('click', undoLast);
	$('zone-form').addEventListener('submit', (e) => {
		e.preventDefault();
		saveForm();
	});
	$('zone-add-row').addEventListener('click', () => {
		const rows = readRows();
		rows.push(defaultAssignment());
		renderRows(rows);
	});
	$('zone-cancel').addEventListener('click', () => closeForm(true));
	$('zone-delete').addEventListener('click', () => {
		const f = plan.form?.feature;
		if (f) removeZone(f);
	});
}

/* ---------- map layers ---------- */

function setActive(on) {
	plan.active = on;
	save();
	const map = ctx.map;
	if (on) {
		map.pm.addControls({
			position: 'topright',
			drawMarker: false,
			drawCircleMarker: false,
			drawPolyline: false,
			drawRectangle: false,
			drawCircle: false,
			drawText: false,
			dragMode: false,
			rotateMode: false,
			drawPolygon: true,
			editMode: true,
			cutPolygon: true,
			removalMode: true,
		});
		pmLang();
		syncSnapping();
	} else {
		closeForm(true);
		map.pm.disableDraw();
		if (map.pm.globalEditModeEnabled()) map.pm.disableGlobalEditMode();
		if (map.pm.globalRemovalModeEnabled()) map.pm.disableGlobalRemovalMode();
		map.pm.removeControls();
		for (const k of ['zoneLayers', 'hotspotLayers', 'mahallaLines']) {
			plan[k]?.remove();
			plan[k] = null;
		}
		plan.hotspotShapes.clear();
	}
	renderPanel();
	ctx.filtersChanged();
	if (on) refresh();
	else notify();
}

/* Everything that follows the shift and the period. */
function refresh() {
	if (!plan.active) return;
	ctx.filtersChanged();
	loadHotspots();
	loadZones();
}

async function loadHotspots() {
	const seq = ++plan.seq;
	const p = new URLSearchParams({ shift: shiftArg(), weekdays: weekdaysText(plan.shift.mask), ...periodArgs() });
	let fc;
	try {
		fc = await ctx.api(`api/hotspots?${p}`);
	} catch (e) {
		ctx.showError(e);
		return;
	}
	if (seq !== plan.seq || !plan.active) return;
	const { L } = ctx;
	plan.hotspotLayers?.remove();
	plan.hotspots = fc?.features || [];
	plan.hotspotLayers = L.layerGroup().addTo(ctx.map);
	plan.hotspotShapes.clear();
	for (const f of plan.hotspots) {
		const p = f.properties || {};
		const style = { ...HOTSPOT_STYLE, ...plan.hotspotStyle?.(p.rank), className: `hotspot-shape hotspot-${p.rank}` };
		plan.hotspotShapes.set(p.rank, L.geoJSON(f, { pane: 'hotspots', interactive: false, style }).addTo(plan.hotspotLayers));
		const at = Array.isArray(p.peak) ? [p.peak[1], p.peak[0]] : L.geoJSON(f).getBounds().getCenter();
		L.marker(at, {
			interactive: false,
			keyboard: false,
			icon: L.divIcon({ className: 'hotspot-num', html: String(p.rank), iconSize: [24, 24] }),
		}).addTo(plan.hotspotLayers);
	}
	/* the map's labels keep off the new numbers */
	labelsPlace();
	renderCounts();
}

async function loadZones() {
	let fc;
	try {
		fc = await ctx.api('api/zones');
	} catch (e) {
		ctx.showError(e);
		return;
	}
	if (!plan.active) return;
	plan.zones = fc?.features || [];
	drawZones();
	notify();
}

/* The zones on duty in the shift, as editable polygons. */
function drawZones() {
	const { L } = ctx;
	plan.zoneLayers?.remove();
	plan.zoneLayers = L.layerGroup().addTo(ctx.map);
	for (const f of plan.zones) {
		const duty = onDuty(f);
		if (!duty.length || !polygonsOf(f.geometry).length) continue;
		const services = [...new Set(duty.map((a) => a.service))];
		const colour = ctx.colourOf('services', services[0]);
		const depth = f.geometry.type === 'Polygon' ? 1 : 2;
		const layer = L.polygon(L.GeoJSON.coordsToLatLngs(f.geometry.coordinates, depth), {
			pmIgnore: false,
			zoneId: f.properties.id,
			color: colour,
			weight: 3,
			dashArray: services.length > 1 ? '10 5' : null,
			fillColor: colour,
			fillOpacity: 0.18,
			className: `zone-shape zone-${String(f.properties.id).replace(/[^\w-]/g, '_')}`,
		});
		const who = duty.map((a) => `${nameOf(serviceOf(a.service))}${a.unit ? ` (${a.unit})` : ''}`).join(', ');
		layer.bindTooltip(`${f.properties.name} — ${who}`, { sticky: true });
		/* Before the map's click, which then sees the form open (plannerBusy). */
		layer.on('click', () => {
			if (!plannerModeOn()) openForm(f, layer);
		});
		layer.on('pm:edit', () => {
			if (ctx.map.hasLayer(layer) && plan.form?.feature !== f) openForm(f, layer);
		});
		layer.addTo(plan.zoneLayers);
	}
	renderCounts();
}

function plannerModeOn() {
	const pm = ctx.map.pm;
	return pm.globalDrawModeEnabled() || pm.globalEditModeEnabled() || pm.globalCutModeEnabled() || pm.globalRemovalModeEnabled();
}

const serviceOf = (code) => ctx.meta.services.find((s) => s.code === code) || { code };

/* Mahalla boundaries as Geoman's snapping targets while the box is ticked. */
function syncSnapping() {
	const map = ctx.map;
	map.pm.setGlobalOptions({ snappable: plan.snap, snapDistance: 18, allowSelfIntersection: false });
	plan.mahallaLines?.remove();
	plan.mahallaLines = null;
	if (!plan.snap) return;
	plan.mahallaLines = ctx.L.geoJSON(
		{ type: 'FeatureCollection', features: ctx.mahallas() },
		{ interactive: false, snapIgnore: false, style: { color: '#5b6470', weight: 1.5, opacity: 0.7, fill: false, dashArray: '2 3' } },
	).addTo(map);
}

function pmLang() {
	const texts = {};
	for (const [group, keys] of Object.entries(PM_TEXTS))
		texts[group] = Object.fromEntries(keys.map((k) => [k, t(`pm.${k}`)]));
	ctx.map.pm.setLang(`posbon-${lang()}`, texts, 'en');
}

/* ---------- Geoman's events ---------- */

function hookMap() {
	const map = ctx.map;
	map.on('pm:create', (e) => {
		if (plan.draft) plan.draft.remove();
		plan.draft = e.layer;
		map.pm.disableDraw();
		openForm(null, e.layer);
	});
	map.on('pm:remove', (e) => {
		const f = zoneOfLayer(e.layer);
		if (f) removeZone(f);
		else if (e.layer === plan.draft) closeForm(true);
	});
	map.on('pm:cut', (e) => {
		const f = zoneOfLayer(e.originalLayer);
		e.layer.remove();
		if (f) cutZone(f, geometryOfLayer(e.layer));
	});
}

const zoneOfLayer = (layer) => plan.zones.find((f) => f.properties.id === layer?.options?.zoneId) || null;

/* The Polygon or MultiPolygon of a layer (a polygon or a group of them). */
function geometryOfLayer(layer) {
	const g = layer.toGeoJSON();
	const feats = g.type === 'FeatureCollection' ? g.features : [g];
	const polys = feats.flatMap((x) => polygonsOf(x.geometry));
	return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

/* ---------- writes and undo ---------- */

/* The writable part of a stored zone. */
function body(f, geometry = f.geometry) {
	const p = f.properties;
	return {
		type: 'Feature',
		geometry,
		properties: {
			id: p.id,
			name: p.name,
			valid_from: p.valid_from ?? null,
			valid_to: p.valid_to ?? null,
			assignments: (p.assignments || []).map((a) => ({
				service: a.service,
				unit: a.unit ?? '',
				shift_start: a.shift_start,
				shift_end: a.shift_end,
				weekdays: a.weekdays_mask ?? a.weekdays,
			})),
		},
	};
}

/* POST (no id), PUT or DELETE of a zone; the stored Feature (or null). */
function write(method, feature, version, id = feature?.properties?.id) {
	const path = method === 'POST' ? 'api/zones' : `api/zones/${encodeURIComponent(id)}`;
	const headers = { Accept: 'application/json' };
	if (version !== undefined) headers['If-Match'] = `"${version}"`;
	return ctx.api(path, { method, headers, ...(feature ? { json: feature } : {}) });
}

/* Does op (of the kinds written by the functions below) and returns the op
 * that reverts it. A version this viewer wrote since op was recorded (by
 * undoing a later change) stands for op's; anyone else's gives a 412. */
async function apply(op) {
	const id = op.id ?? op.feature?.properties?.id;
	const version = plan.latest.get(id) ?? op.version;
	if (op.kind === 'delete') {
		await write('DELETE', null, version, id);
		return { kind: 'create', feature: body(op.feature) };
	}
	const stored = op.kind === 'create' ? await write('POST', op.feature) : await write('PUT', op.feature, version);
	const p = stored.properties;
	plan.latest.set(p.id, p.version);
	if (op.kind === 'create') return { kind: 'delete', id: p.id, version: p.version, feature: stored };
	return { kind: 'update', feature: body(op.before), version: p.version, before: stored };
}

/* Runs the operations of one change, remembering how to revert them. */
async function change(ops) {
	const revert = [];
	try {
		for (const op of ops) revert.unshift(await apply(op));
	} finally {
		if (revert.length) plan.undo.push(revert);
		$('plan-undo').disabled = !plan.undo.length;
	}
}

async function undoLast() {
	const ops = plan.undo.pop();
	$('plan-undo').disabled = !plan.undo.length;
	if (!ops) return;
	closeForm(true);
	try {
		for (const op of ops) await apply(op);
		ctx.toast(() => t('plan.undone'));
	} catch (e) {
		ctx.showError(e);
	}
	await loadZones();
}

async function removeZone(f) {
	closeForm(false);
	try {
		await change([{ kind: 'delete', id: f.properties.id, version: f.properties.version, feature: f }]);
		ctx.toast(() => t('zone.deleted'));
	} catch (e) {
		ctx.showError(e);
	}
	await loadZones();
}

/* A cut that leaves several parts splits the zone: the largest keeps the
 * zone, each other part becomes a new zone with the same assignments. */
async function cutZone(f, geometry) {
	const parts = polygonsOf(geometry);
	const size = (p) => Math.abs(p[0].reduce((s, a, i, r) => s + (i ? r[i - 1][0] * a[1] - a[0] * r[i - 1][1] : 0), 0));
	parts.sort((a, b) => size(b) - size(a));
	const before = body(f);
	const ops = [{ kind: 'update', feature: body(f, { type: 'Polygon', coordinates: parts[0] }), version: f.properties.version, before: f }];
	for (let i = 1; i < parts.length; i++) {
		const nf = body(f, { type: 'Polygon', coordinates: parts[i] });
		delete nf.properties.id;
		nf.properties.name = `${before.properties.name} — ${i + 1}`;
		ops.push({ kind: 'create', feature: nf });
	}
	try {
		await change(ops);
		ctx.toast(() => (parts.length > 1 ? tn('zone.split', parts.length) : t('zone.saved')));
	} catch (e) {
		ctx.showError(e);
	}
	await loadZones();
}

/* ---------- the zone form ---------- */

function defaultAssignment() {
	return {
		service: ctx.meta.services[0]?.code || '',
		unit: '',
		shift_start: clockText(plan.shift.start),
		shift_end: clockText(plan.shift.end % 1440),
		weekdays_mask: plan.shift.mask,
	};
}

function openForm(feature, layer) {
	if (plan.form && plan.form.layer !== layer) closeForm(true);
	plan.form = { feature, layer };
	const p = feature?.properties || {};
	renderFormTitle();
	$('zone-name').value = p.name || '';
	$('zone-valid-from').value = p.valid_from || (feature ? '' : today());
	$('zone-valid-to').value = p.valid_to || '';
	$('zone-delete').hidden = !feature;
	renderRows(feature ? structuredClone(p.assignments || []) : [defaultAssignment()]);
	clearErrors();
	$('zone-form').hidden = false;
	$('zone-name').focus();
}

function renderFormTitle() {
	const f = plan.form.feature;
	$('zone-form-title').textContent = f ? `${t('zone.title')} ${f.properties.id}` : t('zone.new');
}

/* Closes the form; discard drops a drawn zone never saved and puts a
 * reshaped one back as stored. */
function closeForm(discard) {
	if (!plan.form) return;
	const { feature } = plan.form;
	plan.form = null;
	$('zone-form').hidden = true;
	if (discard && plan.draft) {
		plan.draft.remove();
		plan.draft = null;
	}
	if (discard && feature) drawZones();
}

function renderRows(rows) {
	const { el } = ctx;
	const box = $('zone-rows');
	box.replaceChildren();
	const short = t('weekdays.short');
	rows.forEach((a, i) => {
		const f = (name) => `properties.assignments[${i}].${name}`;
		const service = el('select', { class: 'as-service', 'data-field': f('service'), 'aria-label': t('zone.service') });
		for (const s of ctx.meta.services) service.append(el('option', { value: s.code, selected: s.code === a.service }, nameOf(s)));
		const days = el('div', { class: 'weekdays as-weekdays', 'data-field': f('weekdays'), role: 'group', 'aria-label': t('zone.weekdays') });
		daysOf(a.weekdays_mask ?? 127).forEach((on, d) =>
			days.append(el('label', { class: 'wd' }, el('input', { type: 'checkbox', checked: on, value: String(d) }), el('span', {}, short[d]))));
		const remove = el('button', { type: 'button', class: 'link as-remove', title: t('zone.remove_row') }, '×');
		remove.addEventListener('click', () => {
			const now = readRows();
			now.splice(i, 1);
			renderRows(now.length ? now : [defaultAssignment()]);
		});
		box.append(
			el(
				'fieldset',
				{ class: 'as-row', dataset: { row: String(i) } },
				el('div', { class: 'row two' },
					el('label', { class: 'field' }, el('span', {}, t('zone.service')), service),
					el('label', { class: 'field' }, el('span', {}, t('zone.unit')), el('input', { class: 'as-unit', 'data-field': f('unit'), value: a.unit || '' }))),
				el('div', { class: 'row two' },
					el('label', { class: 'field' }, el('span', {}, t('zone.start')), dateField(el('input', { class: 'as-start', 'data-field': f('shift_start'), value: a.shift_start || '' }), 'time')),
					el('label', { class: 'field' }, el('span', {}, t('zone.end')), dateField(el('input', { class: 'as-end', 'data-field': f('shift_end'), value: a.shift_end || '' }), 'time'))),
				days,
				remove,
			),
		);
	});
}

function readRows() {
	return [...document.querySelectorAll('#zone-rows .as-row')].map((row) => ({
		service: row.querySelector('.as-service').value,
		unit: row.querySelector('.as-unit').value.trim(),
		shift_start: row.querySelector('.as-start').value,
		shift_end: row.querySelector('.as-end').value,
		weekdays_mask: maskOf([...row.querySelectorAll('.as-weekdays input')].map((x) => x.checked)),
	}));
}

function clearErrors() {
	for (const e of document.querySelectorAll('#zone-form .field-error')) e.remove();
	for (const e of document.querySelectorAll('#zone-form .invalid')) e.classList.remove('invalid');
	$('zone-form-error').hidden = true;
}

/* The server's message next to the input it names, else above the buttons. */
function showFieldError(e) {
	clearErrors();
	const input = e.field && [...document.querySelectorAll('#zone-form [data-field]')].find((x) => x.dataset.field === e.field);
	if (input) {
		input.classList.add('invalid');
		input.closest('.field, .as-weekdays').after(ctx.el('div', { class: 'field-error', role: 'alert', 'data-error-for': e.field }, e.message));
		input.focus?.();
		return;
	}
	const box = $('zone-form-error');
	box.textContent = e.field ? `${e.field}: ${e.message}` : e.message;
	box.dataset.errorFor = e.field || '';
	box.hidden = false;
}

/* Zones of other services on duty in the same shift that the candidate
 * overlaps: [{ zone, service, unit }]. */
function overlaps(candidate) {
	const mine = onDuty(candidate);
	const found = [];
	for (const o of plan.zones) {
		if (o.properties.id === candidate.properties.id) continue;
		const theirs = onDuty(o).filter((b) => mine.some((a) => a.service !== b.service && shiftsMeet(assignmentShift(a), assignmentShift(b))));
		if (theirs.length && geometriesOverlap(candidate.geometry, o.geometry))
			for (const b of theirs) found.push({ zone: o.properties.name, service: b.service, unit: b.unit });
	}
	return found;
}

/* The warning dialog; true when the planner saves anyway. */
function confirmOverlaps(list) {
	const d = $('overlap-dialog');
	$('overlap-list').replaceChildren(
		...list.map((x) => ctx.el('li', {}, `${x.zone}: ${nameOf(serviceOf(x.service))}${x.unit ? ` (${x.unit})` : ''}`)),
	);
	d.returnValue = '';
	d.showModal();
	return new Promise((resolve) => d.addEventListener('close', () => resolve(d.returnValue === 'save'), { once: true }));
}

async function saveForm() {
	const form = plan.form;
	if (!form || !fieldsValid($('zone-form'))) return;
	const stored = form.feature;
	const rows = readRows();
	const feature = {
		type: 'Feature',
		geometry: geometryOfLayer(form.layer),
		properties: {
			...(stored ? { id: stored.properties.id } : {}),
			name: $('zone-name').value.trim(),
			valid_from: $('zone-valid-from').value || null,
			valid_to: $('zone-valid-to').value || null,
			assignments: rows.map((a) => ({ ...a, weekdays: a.weekdays_mask })),
		},
	};
	const found = overlaps(feature);
	if (found.length && !(await confirmOverlaps(found))) return;
	for (const a of feature.properties.assignments) delete a.weekdays_mask;
	const btn = $('zone-save');
	btn.disabled = true;
	try {
		await change([stored ? { kind: 'update', feature, version: stored.properties.version, before: stored } : { kind: 'create', feature }]);
	} catch (e) {
		if (e.status >= 400 && e.status < 500) showFieldError(e);
		else ctx.showError(e);
		if (e.status === 412) await loadZones();
		return;
	} finally {
		btn.disabled = false;
	}
	if (!stored && plan.draft) {
		plan.draft.remove();
		plan.draft = null;
	}
	closeForm(false);
	ctx.toast(() => t('zone.saved'));
	await loadZones();
}

/* ---------- start ---------- */

/* Starts the planning mode's panel and map hooks; c lends app.js's parts:
 * { L, map, api, el, meta, colourOf, mahallas(), isoDate, flash, toast,
 * showError, filtersChanged }. */
export function plannerStart(c) {
	ctx = c;
	load();
	ctx.map.createPane('hotspots').style.zIndex = 390;
	buildPanel();
	hookMap();
	translate($('plan-block'));
	onLangChange(() => {
		renderPanel();
		if (plan.active) pmLang();
		if (plan.form) {
			renderFormTitle();
			renderRows(readRows());
		}
	});
	renderPanel();
	if (plan.active) setActive(true);
}
