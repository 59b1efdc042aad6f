// posbon viewer: a full-window Leaflet map of the district on the daemon's
// tiles, a side panel of filters, a legend, mahalla figures on click and live
// updates over server-sent events. Plain ES module, no build step; Leaflet is
// served by the daemon from node_modules/leaflet/dist at vendor/leaflet/.
//
// Every URL is relative to the page, so the viewer also works behind a proxy
// under a prefix. The page makes no request outside its own origin, except to
// the basemap URL that /api/meta may name.

import * as L from './vendor/leaflet/leaflet-src.esm.js';
import { activitiesCard, activitiesFiltersChanged, activitiesLegend, activitiesListen, activitiesStart, recordActivity } from './activities.js';
import { analysisFiltersChanged, analysisLayers, analysisStart } from './analysis.js';
import { chosenArea, compareFiltersChanged, compareLegend, compareStart } from './compare.js';
import { coverageStart } from './coverage.js';
import { cardMahallasLoaded, cardStart, closeCard, loadCard, renderCard, selectMahalla, showOutside } from './card.js';
import { dateFields, formatDate } from './datefield.js';
import { evaluateStart } from './evaluate.js';
import { bboxOf, geometryContains } from './geometry.js';
import { identifyClick, identifyClose, identifyRelabel, identifyStart } from './identify.js';
import { canPlan, plannerBusy, plannerHotspot, plannerLoad, plannerStart, planningActive, planningFilter } from './planner.js';
import {
	LANGS,
	lang,
	nameOf,
	onLangChange,
	setLang,
	t,
	tn,
	translate,
} from './i18n.js';
import { LEGEND_LAYERS, legendEntries, legendRender } from './legend.js';
import { printUrl } from './print.js';
import { standingCard, standingFiltersChanged, standingLegend, standingListen, standingMahallasLoaded, standingStart } from './standing.js';
import { suggestStart } from './suggest.js';
import { tasksCard, tasksFiltersChanged, tasksLegend, tasksListen, tasksStart } from './tasks.js';
import { trendsLayerToggled, trendsQuery, trendsWeeks } from './trends.js';
import { unitsEvent, unitsRelabel, unitsStart } from './units.js';
import { WEEKDAY_CODES, backoffMs, queryOfView, viewFromQuery, wallAlive, wallOffences, wallRelabel, wallSessionLost, wallStart, wallTileScale } from './wall.js';

/* The daemon's tile layers, bottom to top; `data` layers depend on the
 * offences and are reloaded when they change, `filtered` ones take the
 * panel's filters. `order` is their place in the panel. */
const LAYERS = [
	{ id: 'choropleth', z: 10, data: true, filtered: true, order: 3 },
	{ id: 'heatmap', z: 20, data: true, filtered: true, order: 2 },
	{ id: 'change', z: 25, data: true, filtered: true, order: 2.5 },
	{ id: 'trends', z: 27, data: true, filtered: true, order: 2.7 },
	{ id: 'zones', z: 30, filtered: true, order: 5 },
	{ id: 'tracks', z: 40, filtered: true, order: 6 },
	{ id: 'offences', z: 50, data: true, filtered: true, order: 4 },
	{ id: 'mahallas', z: 60, order: 1 },
	{ id: 'districts', z: 70, order: 0 },
];
const LAYER = Object.fromEntries(LAYERS.map((l) => [l.id, l]));
const METRICS = ['rate', 'count', 'change'];
const VIEW_KEY = 'posbon.view';
const PANEL_KEY = 'posbon.panel';
const REFRESH_DEBOUNCE_MS = 250; /* coalesces bursts of events, well inside 2 s */
const SWAP_TIMEOUT_MS = 8000; /* show new tiles even if some never load */
const TICK_MS = 60000; /* rolling periods and a health check */
/* The wall screen (web/wall.js): the map alone, for a shift unattended. */
const WALL = new URLSearchParams(window.location.search).get('wall') === '1';

const DEFAULT_VIEW = {
	period: '30d',
	from: '',
	to: '',
	hourFrom: '',
	hourTo: '',
	weekdays: [true, true, true, true, true, true, true],
	layers: { districts: true, mahallas: true, heatmap: true },
	fit: false, /* the heatmap's scale fitted to the filter (ramp=fitted) */
	metric: 'rate',
	categories: null, /* null: all; else the list of codes shown */
	services: null,
	district: '', /* the district looked at; '': every one in reach */
};

const $ = (id) => document.getElementById(id);

const state = {
	me: null,
	meta: null,
	tz: 'Asia/Tashkent',
	view: loadView(),
	dataVersion: 0,
	map: null,
	bounds: null, /* what the view fits: the chosen district, else extent */
	extent: null, /* every district in reach: tiles and panning stay in it */
	tiles: {}, /* id -> the tile layer on the map */
	pending: {}, /* id -> its replacement, shown once loaded */
	mahallas: [], /* GeoJSON features with a bbox, for point-in-polygon */
	legendSeq: 0,
	legend: {}, /* layer -> answer of /api/legend (or an Error) */
	colours: { categories: new Map(), services: new Map() },
	events: null,
	eventFailures: 0, /* connection failures in a row, for the backoff */
	live: 'connecting',
	lastUpdate: null,
	refreshTimer: 0,
	filterKey: '',
	tileErrorCheck: 0,
	/* posbon's tiles drawn this many times larger (1, or 2 on a large wall
	 * screen: web/wall.js, wallTileScale()) */
	tileScale: WALL ? wallTileScale(window.innerWidth, window.innerHeight, window.devicePixelRatio) : 1,
};

/* ---------- small helpers ---------- */

class ApiError extends Error {
	constructor(message, status, field) {
		super(message);
		this.status = status;
		this.field = field;
	}
}

/* fetch() of a same-origin API path; JSON in and out (options.blob: the
 * body of a successful answer as a Blob). A 401 sends the user to the login
 * screen. Throws ApiError with the server's message. */
async function api(path, options = {}) {
	const init = { credentials: 'same-origin', headers: { Accept: 'application/json' }, ...options };
	if (init.json !== undefined) {
		init.method = init.method || 'POST';
		init.headers = { ...init.headers, 'Content-Type': 'application/json' };
		init.body = JSON.stringify(init.json);
		delete init.json;
	}
	let res;
	try {
		res = await fetch(path, init);
	} catch (e) {
		throw new ApiError(e.message || 'network', 0);
	}
	if (res.ok && options.blob) return res.blob();
	let body = null;
	if ((res.headers.get('Content-Type') || '').includes('json')) {
		try {
			body = await res.json();
		} catch {
			body = null;
		}
	}
	if (!res.ok) {
		const err = new ApiError(body?.error || `${res.status} ${res.statusText}`, res.status, body?.field);
		if (res.status === 401 && state.me && !options.noAuthRedirect) sessionLost();
		throw err;
	}
	return body;
}

function el(tag, attrs = {}, ...children) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs)) {
		if (v === undefined || v === null || v === false) continue;
		if (k === 'class') e.className = v;
		else if (k === 'style') e.style.cssText = v;
		else if (k === 'dataset') Object.assign(e.dataset, v);
		else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
		else if (v === true) e.setAttribute(k, '');
		else e.setAttribute(k, v);
	}
	for (const c of children.flat()) {
		if (c === null || c === undefined || c === false) continue;
		e.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return e;
}

/* The stored view with the filters the URL names on top; the wall screen
 * starts from the last 24 hours of the heatmap and mahallas instead, plus
 * the URL's layers, and remembers nothing. */
function loadView() {
	const url = viewFromQuery(window.location.search);
	if (WALL) {
		const view = { ...structuredClone(DEFAULT_VIEW), period: '24h', ...url };
		view.layers = { ...DEFAULT_VIEW.layers, ...(url.layers || {}) };
		return view;
	}
	return { ...storedView(), ...url };
}

function storedView() {
	try {
		const v = JSON.parse(localStorage.getItem(VIEW_KEY) || 'null');
		if (v && typeof v === 'object') {
			const view = { ...structuredClone(DEFAULT_VIEW), ...v };
			if (!Array.isArray(view.weekdays) || view.weekdays.length !== 7 || !view.weekdays.some(Boolean))
				view.weekdays = [...DEFAULT_VIEW.weekdays];
			if (!['24h', '7d', '30d', 'custom'].includes(view.period)) view.period = DEFAULT_VIEW.period;
			if (!METRICS.includes(view.metric)) view.metric = DEFAULT_VIEW.metric;
			view.layers = { ...(view.layers || {}) };
			return view;
		}
	} catch {
		/* a damaged entry: start from the defaults */
	}
	return structuredClone(DEFAULT_VIEW);
}

function saveView() {
	if (WALL) return;
	try {
		localStorage.setItem(VIEW_KEY, JSON.stringify(state.view));
	} catch {
		/* not remembered */
	}
}

/* Parts of instant ms in the district's time zone. */
function zoned(ms) {
	const f = new Intl.DateTimeFormat('en-GB', {
		timeZone: state.tz,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hourCycle: 'h23',
	});
	const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
	return p; /* year, month, day, hour, minute, second as strings */
}

const isoDate = (ms) => {
	const p = zoned(ms);
	return `${p.year}-${p.month}-${p.day}`;
};
const fmtDate = (ms) => {
	const p = zoned(ms);
	return `${p.day}.${p.month}.${p.year}`;
};
const fmtTime = (ms) => {
	const p = zoned(ms);
	return `${p.hour}:${p.minute}:${p.second}`;
};
const pad2 = (n) => String(n).padStart(2, '0');

/* A time from the API: epoch seconds, epoch ms or an ISO string. */
function toMs(v) {
	if (v === null || v === undefined || v === '') return NaN;
	if (typeof v === 'number') return v < 1e11 ? v * 1000 : v;
	const n = Date.parse(v);
	return Number.isFinite(n) ? n : NaN;
}

/* ---------- /api/meta, read leniently ---------- */

function listOf(x) {
	if (!x) return [];
	if (Array.isArray(x)) return x.map((r) => (typeof r === 'string' ? { code: r } : r));
	if (typeof x === 'object') return Object.entries(x).map(([code, r]) => ({ code, ...(r || {}) }));
	return [];
}

function boundsOf(b) {
	if (!b) return null;
	if (Array.isArray(b) && b.length === 4 && b.every((n) => Number.isFinite(Number(n)))) {
		const [w, s, e, n] = b.map(Number);
		return L.latLngBounds([s, w], [n, e]);
	}
	if (Array.isArray(b) && b.length === 2 && Array.isArray(b[0])) return L.latLngBounds(b);
	if (typeof b === 'object') {
		const w = b.west ?? b.w ?? b.minx ?? b.min_lon;
		const s = b.south ?? b.s ?? b.miny ?? b.min_lat;
		const e = b.east ?? b.e ?? b.maxx ?? b.max_lon;
		const n = b.north ?? b.n ?? b.maxy ?? b.max_lat;
		if ([w, s, e, n].every((x) => Number.isFinite(Number(x)))) return L.latLngBounds([s, w], [n, e]);
	}
	return null;
}

function normaliseMeta(m) {
	const d = (typeof m.district === 'object' && m.district) || {};
	const district = {
		code: d.code ?? m.code,
		name_uz: d.name_uz ?? m.name_uz ?? (typeof m.district === 'string' ? m.district : m.name),
		name_ru: d.name_ru ?? m.name_ru,
		name_en: d.name_en ?? m.name_en,
	};
	const range = m.time_range || m.data_range || m.period || m.times || {};
	const pick = (...xs) => xs.find((x) => x !== undefined && x !== null);
	let basemap = m.basemap || null;
	if (typeof basemap === 'string') basemap = { url: basemap };
	if (basemap && !basemap.url) basemap = null;
	let layers = Array.isArray(m.layers) ? m.layers.map((l) => (typeof l === 'string' ? l : l.id || l.name)) : null;
	layers = layers && layers.filter((id) => LAYER[id]);
	return {
		district,
		bounds: boundsOf(m.bounds ?? d.bounds ?? m.bbox ?? d.bbox ?? m.extent),
		categories: listOf(m.categories),
		services: listOf(m.services),
		first: toMs(pick(m.first, m.first_time, m.time_first, m.data_first, m.from, range.first, range.from, range.min)),
		last: toMs(pick(m.last, m.last_time, m.time_last, m.data_last, m.to, range.last, range.to, range.max)),
		layers: layers && layers.length ? layers : LAYERS.map((l) => l.id),
		basemap,
		ground: Number(m.ground) || 0,
		dataVersion: Number(m.data_version) || 0,
		districts: listOf(m.districts).map((x) => ({ ...x, bounds: boundsOf(x.bounds) })),
		regions: listOf(m.regions).map((x) => ({ ...x, bounds: boundsOf(x.bounds) })),
		timezone: m.timezone || m.tz || d.timezone || 'Asia/Tashkent',
	};
}

/* ---------- filters ---------- */

/* The query arguments of the panel's filters (docs/api.md, Filters). A
 * rolling period is the last N whole hours up to the end of the current one:
 * bounded, so the server can compare it with the period before, and moving
 * only on the hour, so tile URLs (and the tile caches) change at most hourly. */
function filterParams() {
	const v = state.view;
	const p = new URLSearchParams();
	const now = Date.now();
	if (v.period === 'custom') {
		let [from, to] = [v.from, v.to];
		if (from && to && from > to) [from, to] = [to, from];
		if (from) p.set('from', from);
		if (to) p.set('to', to);
	} else {
		const hours = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24 }[v.period];
		const a = zoned(now - (hours - 1) * 3600e3);
		const z = zoned(now);
		p.set('from', `${a.year}-${a.month}-${a.day}T${a.hour}:00`);
		p.set('to', `${z.year}-${z.month}-${z.day}T${z.hour}:59`);
	}
	if (v.hourFrom !== '' && v.hourTo !== '' && v.hourFrom !== v.hourTo)
		p.set('hours', `${pad2(v.hourFrom)}-${pad2(v.hourTo)}`);
	if (!v.weekdays.every(Boolean))
		p.set('weekdays', WEEKDAY_CODES.filter((_, i) => v.weekdays[i]).join(','));
	for (const kind of ['categories', 'services']) {
		const sel = selectedCodes(kind);
		if (sel) p.set(kind, sel.join(','));
	}
	const area = v.district && chosenArea(state.meta, v.district);
	if (area) p.set(area.kind, area.area.code);
	planningFilter(p);
	return p;
}

/* The codes of kind shown, or null when all are (no restriction). */
function selectedCodes(kind) {
	const all = state.meta[kind].map((c) => c.code);
	const chosen = state.view[kind];
	if (!chosen) return null;
	const sel = all.filter((c) => chosen.includes(c));
	return sel.length === all.length || sel.length === 0 ? null : sel;
}

function layerParams(id) {
	const def = LAYER[id];
	let p = def.filtered ? filterParams() : new URLSearchParams();
	/* The trends' weeks end at the period's end, as the panel asks them. */
	if (id === 'trends') p = trendsQuery(p, trendsWeeks());
	if (id === 'choropleth') p.set('metric', state.view.metric);
	if (id === 'heatmap' && state.view.fit) p.set('ramp', 'fitted');
	/* Area names in the viewer's language. */
	if (id === 'mahallas' || id === 'districts') {
		p.set('lang', lang());
		/* The wall screen's names are read across a room, as its base's. */
		if (WALL) p.set('labelscale', '1.6');
	}
	if (def.data) p.set('v', String(state.dataVersion));
	return p;
}

/* Turns tile layer id on or off from elsewhere than the layer list (the
 * analysis panel), the list's checkbox in step. */
function setLayer(id, on) {
	state.view.layers[id] = on;
	const input = $(`layer-${id}`);
	if (input) input.checked = on;
	saveView();
	syncLayer(id);
	loadLegend();
}

/* The tiles' suffix: {r} is "@2x" on high-density screens (the daemon
 * renders 512 px tiles with labels and lines at the same apparent size);
 * a large wall screen asks for them too, drawn twice as large. */
const tileSuffix = () => (state.tileScale > 1 ? '@2x' : '{r}');
const tileGrid = () => (state.tileScale > 1 ? { tileSize: 512, zoomOffset: -1 } : {});

function tileUrl(id) {
	const q = layerParams(id).toString();
	return `tiles/${id}/{z}/{x}/{y}${tileSuffix()}.png${q ? `?${q}` : ''}`;
}

/* ---------- map ---------- */

function initMap() {
	const meta = state.meta;
	const map = L.map('map', {
		zoomControl: false,
		attributionControl: false,
		minZoom: 8,
		maxZoom: 19,
		/* Quarter steps let the district fill the screen; tiles are drawn
		 * from the nearest whole zoom, so they stay sharp. */
		zoomSnap: 0.25,
		zoomDelta: 1,
		wheelPxPerZoomLevel: 90,
		pmIgnore: false, /* Geoman (planners only) works on this map */
	});
	state.map = map;
	/* The map's box changes without the window's (the panel folding or
	 * sliding, a phone's sheet): Leaflet, the tiles and the labels follow
	 * it as it goes. */
	new ResizeObserver(() => map.invalidateSize({ animate: false })).observe(map.getContainer());
	map.createPane('districtFill').style.zIndex = 150;
	map.createPane('selection').style.zIndex = 450;
	map.createPane('pulse').style.zIndex = 620;

	if (!WALL) addControls(map);
	const attribution = L.control.attribution({ position: 'bottomright', prefix: 'posbon · Leaflet' });
	attribution.addTo(map);

	if (meta.basemap) {
		L.tileLayer(meta.basemap.url, {
			zIndex: 0,
			maxZoom: 19,
			attribution: meta.basemap.attribution || '',
			className: 'tiles-basemap',
		}).addTo(map);
	} else if (meta.ground > 0) {
		/* The ground posbon draws itself from the reference layers: streets,
		 * houses and places under every other layer, named in the viewer's
		 * language. */
		showBase(map);
		onLangChange(() => showBase(map));
	}

	const b = meta.bounds || L.latLngBounds([41.2, 69.1], [41.4, 69.4]);
	state.extent = b;
	state.bounds = chosenArea(meta, state.view.district)?.area.bounds || b;
	map.setMaxBounds(b.pad(1.5));
	fitDistrict(false);
	map.setMinZoom(Math.max(8, map.getZoom() - 3));

	map.on('click', onMapClick);
	for (const l of LAYERS) syncLayer(l.id);
}

/* The base layer in the current language: a new layer over the last one,
 * which goes once the new tiles are in (Leaflet's setUrl() redraws at a
 * fractional zoom's tile addresses). */
function showBase(map) {
	const old = state.base;
	state.base = L.tileLayer(baseUrl(), { zIndex: 0, maxZoom: 19, className: 'tiles-base', keepBuffer: 3, ...tileGrid() }).addTo(map);
	if (old) state.base.once('load', () => map.removeLayer(old));
}

/* The base layer's tiles with names in the viewer's language; the wall
 * screen's names larger, for reading across a room. */
function baseUrl() {
	const q = new URLSearchParams({ lang: lang() });
	if (WALL) q.set('labelscale', '1.6');
	return `tiles/base/{z}/{x}/{y}${tileSuffix()}.png?${q}`;
}

/* The address of this page with the view's filters, as the wall screen
 * (wall) or the desk viewer. */
function viewUrl(wall) {
	const q = queryOfView(state.view, wall, { lang: lang() });
	return `${window.location.pathname}${q ? `?${q}` : ''}`;
}

/* A bar of icon buttons at the bottom left: fn on a click. */
function iconButton(map, key, cls, svg, fn) {
	const Ctl = L.Control.extend({
		options: { position: 'bottomleft' },
		onAdd() {
			const b = el('button', { type: 'button', class: cls, 'data-i18n-title': key, title: t(key), 'aria-label': t(key) });
			b.innerHTML = svg;
			L.DomEvent.disableClickPropagation(b);
			b.addEventListener('click', fn);
			return el('div', { class: 'leaflet-bar' }, b);
		},
	});
	new Ctl().addTo(map);
}

/* The desk viewer's zoom, fit, wall-screen and scale controls. */
function addControls(map) {
	L.control.zoom({ position: 'bottomleft', zoomInTitle: '+', zoomOutTitle: '−' }).addTo(map);
	iconButton(map, 'map.fit', 'fit-btn',
		'<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/></svg>',
		() => fitDistrict());
	iconButton(map, 'wall.enter', 'wall-btn',
		'<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="3" y="4" width="18" height="12" rx="1.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M8 20h8M12 16v4" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>',
		() => window.location.assign(viewUrl(true)));
	L.control.scale({ position: 'bottomleft', imperial: false, maxWidth: 160 }).addTo(map);
}

function fitDistrict(animate = true) {
	/* On the wall screen the feed covers the right of the map (its foot
	 * on a narrow screen). */
	const feed = WALL ? $('wall-feed') : null;
	const side = feed && feed.offsetWidth < window.innerWidth / 2;
	const right = side ? feed.offsetWidth : 0;
	const bottom = feed && !side ? feed.offsetHeight : 0;
	state.map.fitBounds(state.bounds, { paddingTopLeft: [24, 24], paddingBottomRight: [24 + right, 24 + bottom], animate });
}

function makeTileLayer(id, url) {
	const layer = L.tileLayer(url, {
		zIndex: LAYER[id].z,
		maxZoom: 19,
		bounds: state.extent.pad(0.15),
		className: `tiles-${id}`,
		keepBuffer: 3,
		updateWhenZooming: false,
		...tileGrid(),
	});
	layer.on('tileerror', onTileError);
	return layer;
}

/* Puts layer id on the map, off it, or onto its current URL. A layer that
 * only changes URL is replaced without a blank moment: the new one loads
 * invisibly above the old one and takes its place once its tiles are in. */
function syncLayer(id) {
	const map = state.map;
	/* The planning mode draws the zones itself, editable. */
	const want = !!state.view.layers[id] && state.meta.layers.includes(id) && !(id === 'zones' && planningActive());
	const cur = state.tiles[id];
	const pend = state.pending[id];
	if (!want) {
		if (pend) map.removeLayer(pend);
		if (cur) map.removeLayer(cur);
		state.tiles[id] = state.pending[id] = null;
		return;
	}
	const url = tileUrl(id);
	if (!cur) {
		state.tiles[id] = makeTileLayer(id, url).addTo(map);
		return;
	}
	if ((pend || cur)._url === url) return;
	if (pend) map.removeLayer(pend);
	const next = makeTileLayer(id, url);
	next.setOpacity(0);
	state.pending[id] = next;
	let done = false;
	const swap = () => {
		if (done || state.pending[id] !== next) return;
		done = true;
		state.pending[id] = null;
		next.setOpacity(1);
		if (state.tiles[id]) map.removeLayer(state.tiles[id]);
		state.tiles[id] = next;
	};
	next.once('load', swap);
	setTimeout(swap, SWAP_TIMEOUT_MS);
	next.addTo(map);
}

/* The wall screen resized past wallTileScale()'s threshold: every tile
 * layer anew, at the new scale. */
function rescaleTiles() {
	const scale = wallTileScale(window.innerWidth, window.innerHeight, window.devicePixelRatio);
	if (scale === state.tileScale) return;
	state.tileScale = scale;
	for (const { id } of LAYERS) {
		for (const layer of [state.tiles[id], state.pending[id]]) if (layer) state.map.removeLayer(layer);
		state.tiles[id] = state.pending[id] = null;
		syncLayer(id);
	}
	if (state.base) showBase(state.map);
}

function onTileError() {
	/* A tile cannot say why it failed; when the session has ended, /api/me
	 * says so (and api() shows the login screen). */
	const now = Date.now();
	if (now - state.tileErrorCheck < 15000) return;
	state.tileErrorCheck = now;
	api('api/me').catch(() => {});
}

/* ---------- mahallas: fill, point-in-polygon, selection ---------- */

/* The mahalla feature under lon, lat, or null. */
function mahallaAt(lon, lat) {
	for (const f of state.mahallas) {
		const b = f.bbox;
		if (lon < b[0] || lat < b[1] || lon > b[2] || lat > b[3]) continue;
		if (geometryContains(f.geometry, lon, lat)) return f;
	}
	return null;
}

async function loadMahallas() {
	let fc;
	try {
		fc = await api('api/mahallas');
	} catch (e) {
		showError(e);
		return;
	}
	const features = (fc?.features || []).filter((f) => f?.geometry);
	for (const f of features) f.bbox = bboxOf(f.geometry);
	state.mahallas = features;
	if (!state.meta.basemap && !(state.meta.ground > 0) && features.length) {
		/* The district as a sheet of paper on a calm background. */
		L.geoJSON(
			{ type: 'FeatureCollection', features },
			{
				pane: 'districtFill',
				interactive: false,
				style: { stroke: true, color: '#fbfbf8', weight: 1, fill: true, fillColor: '#fbfbf8', fillOpacity: 1 },
			},
		).addTo(state.map);
	}
	if (!state.meta.bounds && features.length) {
		const b = features.reduce((a, f) => [Math.min(a[0], f.bbox[0]), Math.min(a[1], f.bbox[1]),
			Math.max(a[2], f.bbox[2]), Math.max(a[3], f.bbox[3])], [Infinity, Infinity, -Infinity, -Infinity]);
		state.bounds = state.extent = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
		fitDistrict(false);
	}
	cardMahallasLoaded();
	standingMahallasLoaded();
	/* the wall's feed names its mahallas once their names are known */
	if (WALL) wallRelabel();
}

async function onMapClick(e) {
	if (plannerBusy()) return;
	/* The offence dots under the click first, where they are drawn. */
	if ((await identifyClick(e)) !== false) return;
	const f = mahallaAt(e.latlng.lng, e.latlng.lat);
	if (!f) {
		if (state.mahallas.length) showOutside();
		return;
	}
	selectMahalla(f);
}

/* The name of mahalla code in the interface language, else the code. */
function mahallaName(code) {
	return nameOf(state.mahallas.find((f) => f.properties?.code === code)?.properties || { code });
}

/* ---------- printed maps ---------- */

/* The path of the printed map of an area in the viewer's language, with its
 * filters, its layers and the panel's paper (the atlas for a district). */
function printPath(kind, code) {
	return printUrl(kind, code, filterParams(), {
		lang: lang(),
		/* The ground posbon draws reaches paper; an outside basemap does not. */
		layers: [
			...(state.meta.ground > 0 ? ['base'] : []),
			...LAYERS.filter((l) => state.view.layers[l.id] && state.meta.layers.includes(l.id)).map((l) => l.id),
			...analysisLayers(),
		],
		paper: $('print-paper').value,
		landscape: $('print-landscape').value === '1',
		atlas: kind === 'district' && $('print-atlas').checked,
	});
}

/* Makes anchor a a link to the printed map of kind and code (a string, or
 * a function of the moment of the click), in a new tab, brought up to date
 * just before it is followed (rolling periods move, layers change). */
function printLink(a, kind, code) {
	const sync = () => (a.href = printPath(kind, typeof code === 'function' ? code() : code));
	a.target = '_blank';
	a.rel = 'noopener';
	a.addEventListener('click', sync);
	a.addEventListener('pointerenter', sync);
	sync();
	return a;
}

/* ---------- colours ---------- */

function colourOf(kind, code) {
	const c = state.colours[kind].get(code) || state.meta[kind].find((r) => r.code === code)?.colour;
	return c || (state.meta[kind].find((r) => r.code === code)?.color) || '#8a8f98';
}

/* Colours of the map itself (from the style, through /api/legend) win over
 * the database's, so the panel matches what the tiles show. */
function learnColours(kind, entries) {
	for (const e of entries) if (e.code && (e.colour || e.color)) state.colours[kind].set(e.code, e.colour || e.color);
}

/* ---------- legend ---------- */

async function loadLegend() {
	const seq = ++state.legendSeq;
	const ids = LEGEND_LAYERS.filter(
		(id) => state.view.layers[id] && state.meta.layers.includes(id),
	);
	const results = await Promise.all(
		ids.map((id) => {
			/* The legend of what the layer's tiles draw. */
			const p = layerParams(id);
			p.set('layer', id);
			return api(`api/legend?${p}`).catch((e) => e);
		}),
	);
	if (seq !== state.legendSeq) return;
	state.legend = Object.fromEntries(ids.map((id, i) => [id, results[i]]));
	let coloursChanged = false;
	for (const [id, kind] of [['offences', 'categories'], ['zones', 'services'], ['tracks', 'services']]) {
		const r = state.legend[id];
		if (r && !(r instanceof Error)) {
			learnColours(kind, legendEntries(r, kind, listOf));
			coloursChanged = true;
		}
	}
	if (coloursChanged) renderCodeLists();
	renderLegend();
}

function renderLegend() {
	legendRender({
		el,
		listOf,
		meta: state.meta,
		legend: state.legend,
		layers: state.view.layers,
		metric: state.view.metric,
		shown: selectedCodes,
		colourOf,
		gistar: analysisLayers().includes('gistar'),
		planning: planningActive(),
		first: [compareLegend()],
		last: [standingLegend(), tasksLegend(), activitiesLegend()],
		setFit: (on) => {
			state.view.fit = on;
			saveView();
			syncLayer('heatmap');
			loadLegend();
		},
	});
}

/* ---------- panel ---------- */

function buildPanel() {
	/* Period */
	for (const r of document.querySelectorAll('input[name=period]')) {
		r.checked = r.value === state.view.period;
		r.addEventListener('change', () => {
			state.view.period = r.value;
			if (r.value === 'custom' && !state.view.from) {
				state.view.from = isoDate(Date.now() - 30 * 86400e3);
				state.view.to = isoDate(Date.now());
			}
			syncPeriodInputs();
			filtersChanged();
		});
	}
	for (const [id, key] of [['date-from', 'from'], ['date-to', 'to']]) {
		$(id).addEventListener('change', (e) => {
			state.view[key] = e.target.value;
			filtersChanged();
		});
	}
	syncPeriodInputs();

	/* Shift hours */
	for (const id of ['hour-from', 'hour-to']) {
		const s = $(id);
		s.append(el('option', { value: '' }, t('hours.any')));
		for (let h = 0; h < 24; h++) s.append(el('option', { value: String(h) }, `${pad2(h)}:00`));
		s.addEventListener('change', () => {
			state.view[id === 'hour-from' ? 'hourFrom' : 'hourTo'] = s.value === '' ? '' : Number(s.value);
			syncHours();
			filtersChanged();
		});
	}
	for (const b of document.querySelectorAll('#hour-presets [data-hours]')) {
		b.addEventListener('click', () => {
			const [a, z] = b.dataset.hours ? b.dataset.hours.split('-').map(Number) : ['', ''];
			state.view.hourFrom = a;
			state.view.hourTo = z;
			syncHours();
			filtersChanged();
		});
	}
	syncHours();

	/* Weekdays, layers, codes */
	renderWeekdays();
	renderLayerList();
	renderCodeLists();
	for (const b of document.querySelectorAll('[data-all]')) {
		b.addEventListener('click', () => {
			state.view[b.dataset.all] = null;
			renderCodeLists();
			filtersChanged();
		});
	}

	$('panel-toggle').addEventListener('click', () => setPanel(!document.body.classList.contains('panel-collapsed')));
	$('logout').addEventListener('click', logout);
	$('card-close').addEventListener('click', closeCard);
	printLink($('print-district'), 'district', () => chosenDistrict()?.code ?? state.meta.district.code ?? '');
	document.addEventListener('keydown', (e) => {
		if (e.key === 'Escape' && !$('card').hidden) closeCard();
	});
}

function syncPeriodInputs() {
	const custom = state.view.period === 'custom';
	$('custom-dates').hidden = !custom;
	$('date-from').value = state.view.from || '';
	$('date-to').value = state.view.to || '';
}

function syncHours() {
	const v = state.view;
	$('hour-from').value = v.hourFrom === '' ? '' : String(v.hourFrom);
	$('hour-to').value = v.hourTo === '' ? '' : String(v.hourTo);
	const cur = v.hourFrom !== '' && v.hourTo !== '' && v.hourFrom !== v.hourTo ? `${pad2(v.hourFrom)}-${pad2(v.hourTo)}` : '';
	for (const b of document.querySelectorAll('#hour-presets [data-hours]'))
		b.setAttribute('aria-pressed', String(b.dataset.hours === cur));
}

function renderWeekdays() {
	const box = $('weekdays');
	box.replaceChildren();
	const short = t('weekdays.short');
	const long = t('weekdays.long');
	state.view.weekdays.forEach((on, i) => {
		const input = el('input', { type: 'checkbox', checked: on, value: WEEKDAY_CODES[i] });
		input.addEventListener('change', () => {
			state.view.weekdays[i] = input.checked;
			if (!state.view.weekdays.some(Boolean)) {
				state.view.weekdays[i] = input.checked = true;
				flash(t('none.left'));
				return;
			}
			filtersChanged();
		});
		box.append(el('label', { class: 'wd', title: long[i] }, input, el('span', {}, short[i])));
	});
}

const LAYER_ICONS = {
	districts: '<svg viewBox="0 0 28 20"><path d="M3 15 L8 4 L20 3 L25 12 L16 17 Z" fill="none" stroke="#4a4a4a" stroke-width="2.4"/></svg>',
	mahallas: '<svg viewBox="0 0 28 20"><path d="M3 17 L3 3 L25 3 L25 17 Z M14 3 L14 17 M3 10 L25 10" fill="none" stroke="#8c8c8c" stroke-width="1.4"/></svg>',
	heatmap: '<svg viewBox="0 0 28 20"><defs><radialGradient id="hg"><stop offset="0" stop-color="#bd0026"/><stop offset=".45" stop-color="#fd8d3c"/><stop offset=".8" stop-color="#fed976"/><stop offset="1" stop-color="#ffffb2" stop-opacity="0"/></radialGradient></defs><ellipse cx="14" cy="10" rx="13" ry="9" fill="url(#hg)"/></svg>',
	trends: '<svg viewBox="0 0 28 20"><path d="M2 3h8v7H2z" fill="#fcbba1"/><path d="M10 3h8v7h-8z" fill="#d62f27"/><path d="M18 3h8v7h-8z" fill="#99000d"/><path d="M2 10h8v7H2z" fill="#c6dbef"/><path d="M10 10h8v7h-8z" fill="#4575b5"/><path d="M18 10h8v7h-8z" fill-opacity="0"/></svg>',
	change: '<svg viewBox="0 0 28 20"><ellipse cx="9" cy="10" rx="8" ry="7" fill="#2166ac" fill-opacity=".75"/><ellipse cx="19" cy="10" rx="8" ry="7" fill="#b2182b" fill-opacity=".75"/></svg>',
	choropleth: '<svg viewBox="0 0 28 20"><path d="M2 2h12v8H2z" fill="#fecc5c"/><path d="M14 2h12v8H14z" fill="#f03b20"/><path d="M2 10h12v8H2z" fill="#fd8d3c"/><path d="M14 10h12v8H14z" fill="#ffffb2"/><path d="M2 2h24v16H2z M14 2v16 M2 10h24" fill="none" stroke="#fff" stroke-width="1"/></svg>',
	offences: '<svg viewBox="0 0 28 20"><circle cx="7" cy="12" r="3.4" fill="#4e79a7" stroke="#fff"/><circle cx="15" cy="6" r="3.4" fill="#e15759" stroke="#fff"/><circle cx="21" cy="13" r="3.4" fill="#f28e2b" stroke="#fff"/></svg>',
	zones: '<svg viewBox="0 0 28 20"><path d="M3 4h15v12H3z" fill="#009e73" fill-opacity=".15" stroke="#009e73" stroke-width="2"/><path d="M11 7h14v10H11z" fill="#0072b2" fill-opacity=".15" stroke="#0072b2" stroke-width="2"/></svg>',
	tracks: '<svg viewBox="0 0 28 20"><path d="M2 16 C8 2, 13 18, 19 7 S 25 5, 26 4" fill="none" stroke="#fff" stroke-width="4.5" stroke-linecap="round"/><path d="M2 16 C8 2, 13 18, 19 7 S 25 5, 26 4" fill="none" stroke="#0072b2" stroke-width="2.4" stroke-linecap="round"/></svg>',
};

function renderLayerList() {
	const ul = $('layers');
	ul.replaceChildren();
	const ids = LAYERS.filter((l) => state.meta.layers.includes(l.id))
		.sort((a, b) => a.order - b.order)
		.map((l) => l.id);
	for (const id of ids) {
		let metric = null;
		const input = el('input', { type: 'checkbox', checked: !!state.view.layers[id], value: id, id: `layer-${id}` });
		input.addEventListener('change', () => {
			state.view.layers[id] = input.checked;
			saveView();
			syncLayer(id);
			if (metric) metric.disabled = !input.checked;
			if (id === 'trends') trendsLayerToggled(input.checked);
			loadLegend();
			renderLegend();
		});
		const icon = el('span', { class: 'layer-icon', 'aria-hidden': 'true' });
		icon.innerHTML = LAYER_ICONS[id] || '';
		const li = el('li', { dataset: { layer: id } }, el('label', { for: `layer-${id}` }, input, icon, el('span', { class: 'name' }, t(`layer.${id}`))));
		if (id === 'choropleth') {
			metric = el('select', { class: 'metric', 'aria-label': t('layer.choropleth'), disabled: !state.view.layers[id] });
			for (const m of METRICS) metric.append(el('option', { value: m, selected: m === state.view.metric }, t(`metric.${m}`)));
			metric.addEventListener('change', () => {
				state.view.metric = metric.value;
				saveView();
				syncLayer('choropleth');
				loadLegend();
			});
			li.append(metric);
		}
		ul.append(li);
	}
}

function renderCodeLists() {
	for (const kind of ['categories', 'services']) {
		const ul = $(kind);
		ul.replaceChildren();
		const chosen = state.view[kind];
		const byName = [...state.meta[kind]].sort((a, b) => nameOf(a).localeCompare(nameOf(b), lang()));
		for (const rec of byName) {
			const input = el('input', { type: 'checkbox', value: rec.code, checked: !chosen || chosen.includes(rec.code) });
			input.addEventListener('change', () => {
				const all = state.meta[kind].map((c) => c.code);
				let sel = state.view[kind] ? all.filter((c) => state.view[kind].includes(c)) : [...all];
				sel = input.checked ? [...new Set([...sel, rec.code])] : sel.filter((c) => c !== rec.code);
				if (!sel.length) {
					input.checked = true;
					flash(t('none.left'));
					return;
				}
				state.view[kind] = sel.length === all.length ? null : sel;
				filtersChanged();
			});
			ul.append(
				el('li', {}, el('label', {}, input, el('i', { class: 'dot', style: `background:${colourOf(kind, rec.code)}` }), el('span', { class: 'name' }, nameOf(rec)))),
			);
		}
	}
}

function setPanel(collapsed) {
	document.body.classList.toggle('panel-collapsed', collapsed);
	const b = $('panel-toggle');
	b.setAttribute('aria-expanded', String(!collapsed));
	b.dataset.i18nTitle = collapsed ? 'panel.show' : 'panel.hide';
	b.title = t(b.dataset.i18nTitle);
	b.setAttribute('aria-label', b.title);
	try {
		localStorage.setItem(PANEL_KEY, collapsed ? 'collapsed' : 'open');
	} catch {
		/* not remembered */
	}
}

function renderLangSwitches() {
	for (const box of document.querySelectorAll('.lang-switch')) {
		box.replaceChildren();
		for (const l of LANGS) {
			const b = el('button', { type: 'button', 'data-lang': l.code, 'aria-pressed': String(l.code === lang()), title: l.label, lang: l.code }, l.short);
			b.addEventListener('click', () => setLang(l.code));
			box.append(b);
		}
	}
}

function periodText() {
	const v = state.view;
	if (v.period === 'custom') {
		return `${formatDate(v.from) || '…'} – ${formatDate(v.to) || '…'}`;
	}
	/* as the panel's button names it: short, for the status strip */
	return t(`period.${v.period}`);
}

/* Why a chosen period shows nothing, or null: it lies after today, or
 * ends before the first offence held. */
function periodNote() {
	const v = state.view;
	if (v.period !== 'custom') return null;
	const [from, to] = [v.from, v.to].filter(Boolean).sort();
	if (from && from > isoDate(Date.now())) return t('period.future');
	const first = state.meta.first;
	if (to && Number.isFinite(first) && to < isoDate(first)) return t('period.before_data', { first: fmtDate(first) });
	return null;
}

function renderSummary() {
	const note = periodNote();
	$('period-note').hidden = !note;
	$('period-note').textContent = note || '';
	const v = state.view;
	const bits = [periodText()];
	if (v.hourFrom !== '' && v.hourTo !== '' && v.hourFrom !== v.hourTo) bits.push(`${pad2(v.hourFrom)}–${pad2(v.hourTo)}`);
	if (!v.weekdays.every(Boolean)) {
		const short = t('weekdays.short');
		bits.push(short.filter((_, i) => v.weekdays[i]).join(' '));
	}
	for (const kind of ['categories', 'services']) {
		const sel = selectedCodes(kind);
		if (sel) bits.push(`${t(kind)}: ${sel.length}/${state.meta[kind].length}`);
	}
	/* whole in its title, where the status strip ends it in "…" */
	$('filter-summary').textContent = $('filter-summary').title = bits.join(' · ');
}

function renderStatus() {
	const dot = $('live-dot');
	dot.className = `live-dot ${state.live}`;
	$('live-text').textContent = t(`status.${state.live}`);
	$('last-update').textContent = state.lastUpdate ? fmtTime(state.lastUpdate) : '—';
	$('last-update').title = state.lastUpdate ? `${t('status.updated')} ${fmtDate(state.lastUpdate)} ${fmtTime(state.lastUpdate)} (${state.tz})` : '';
}

function renderFooter() {
	const m = state.meta;
	$('data-range').textContent =
		Number.isFinite(m.first) && Number.isFinite(m.last) ? `${t('data.range')}: ${fmtDate(m.first)} – ${fmtDate(m.last)}` : '';
	const me = state.me || {};
	$('user').textContent = [me.name, me.role ? t(`role.${me.role}`) : ''].filter(Boolean).join(' · ');
}

function renderAll() {
	translate();
	renderLangSwitches();
	renderTitle();
	renderWeekdays();
	renderLayerList();
	renderCodeLists();
	const sel = $('hour-from').options[0];
	if (sel) sel.textContent = t('hours.any');
	if ($('hour-to').options[0]) $('hour-to').options[0].textContent = t('hours.any');
	renderSummary();
	renderStatus();
	renderFooter();
	renderLegend();
	renderCard();
	unitsRelabel();
	identifyRelabel();
	if (toastText && !$('toast').hidden) $('toast').textContent = toastText();
}

/* The district the view looks at: the one chosen, else the only one in
 * reach (null: several, none or a region chosen). */
function chosenDistrict() {
	const a = chosenArea(state.meta, state.view.district);
	return a?.kind === 'district' ? a.area : null;
}

/* The title of the panel and page: the district's name, or "all districts"
 * of a city; a store without districts has its one name in meta. */
function renderTitle() {
	const d = chosenDistrict();
	const several = state.meta.districts.length > 1;
	const area = chosenArea(state.meta, state.view.district)?.area;
	const name = area ? nameOf(area) : several ? t('districts.all') : nameOf(state.meta.district);
	$('panel-title').textContent = name || 'posbon';
	/* The switcher names the district itself. */
	$('panel-title').hidden = several;
	document.title = `${name || ''} · posbon`.replace(/^ · /, '');
	/* A printed map is of one district. */
	const print = $('print-district');
	const off = several && !d;
	print.classList.toggle('disabled', off);
	print.setAttribute('aria-disabled', String(off));
	$('print-choose').hidden = !off;
}

/* Looks at choice (a district's code, "region:" and a region's, '':
 * every district in reach): the filters, the title and the map's bounds
 * follow. */
function chooseDistrict(choice) {
	const area = choice ? chosenArea(state.meta, choice) : null;
	state.view.district = area ? choice : '';
	state.bounds = area?.area.bounds || state.extent;
	renderTitle();
	fitDistrict();
	filtersChanged();
}

/* Something in the filters changed: tiles, legend, card and summary follow. */
function filtersChanged() {
	saveView();
	state.filterKey = filterParams().toString();
	for (const l of LAYERS) if (l.filtered) syncLayer(l.id);
	identifyClose();
	renderSummary();
	loadLegend();
	loadCard();
	analysisFiltersChanged();
	compareFiltersChanged();
	tasksFiltersChanged();
	activitiesFiltersChanged();
	standingFiltersChanged();
}

/* ---------- status line ---------- */

let flashTimer = 0;
function flash(text, cls = '') {
	const e = $('status-error');
	e.textContent = text;
	e.className = `status-error ${cls}`;
	e.hidden = false;
	clearTimeout(flashTimer);
	flashTimer = setTimeout(() => (e.hidden = true), 8000);
}

function showError(e) {
	if (e?.status === 401) return;
	flash(`${t('status.error')}: ${e?.message || e}`);
}

let toastTimer = 0;
let toastText = null; /* a function, so that a language switch retranslates it */
function toast(text) {
	const e = $('toast');
	toastText = text;
	e.textContent = text();
	e.hidden = false;
	e.classList.remove('show');
	void e.offsetWidth; /* restart the animation */
	e.classList.add('show');
	clearTimeout(toastTimer);
	toastTimer = setTimeout(() => {
		e.hidden = true;
		toastText = null;
	}, 6000);
}

/* ---------- live updates ---------- */

/* afterDrop: a stream that replaces one the browser gave up on, which
 * missed what happened meanwhile. */
function startEvents(afterDrop = false) {
	if (state.events) state.events.close();
	const es = new EventSource('api/events');
	state.events = es;
	let dropped = afterDrop;
	es.onopen = () => {
		state.live = 'live';
		state.eventFailures = 0;
		wallAlive(true);
		renderStatus();
		if (dropped) catchUp();
		dropped = false;
	};
	es.onerror = () => {
		dropped = true;
		state.live = es.readyState === EventSource.CLOSED ? 'offline' : 'connecting';
		wallAlive(false);
		renderStatus();
		if (es.readyState === EventSource.CLOSED) {
			/* The browser gave up (an HTTP error such as 401 or a proxy's
			 * 502): ask why, then retry, waiting longer after each failure. */
			const retry = () => setTimeout(() => state.events === es && startEvents(true), backoffMs(state.eventFailures++));
			api('api/me').then(retry, (e) => e.status !== 401 && retry());
		}
	};
	/* The server's ping every 15 s of quiet: the stream is alive. */
	es.addEventListener('ping', () => wallAlive(true));
	/* The server's ring of events moved past this viewer: ask for the state. */
	es.addEventListener('reset', () => {
		wallAlive(true);
		catchUp();
	});
	es.addEventListener('units', (ev) => {
		wallAlive(true);
		try {
			unitsEvent(JSON.parse(ev.data));
		} catch {
			/* the next reload of the units shows it */
		}
	});
	es.addEventListener('offences', (ev) => {
		wallAlive(true);
		let d = {};
		try {
			d = JSON.parse(ev.data) || {};
		} catch {
			/* an event without data still means "reload" */
		}
		onOffences(d);
	});
	/* Tasks between services and the prevention log (web/tasks.js, web/activities.js). */
	tasksListen(es);
	activitiesListen(es);
	standingListen(es);
}

/* Data changed on the server: new tiles for the offence layers (a new v= in
 * their URL), the legend and the card, within REFRESH_DEBOUNCE_MS. */
function onOffences(d) {
	const v = Number(d.data_version);
	if (Number.isFinite(v) && v <= state.dataVersion && d.data_version !== undefined) return;
	state.dataVersion = Number.isFinite(v) ? v : state.dataVersion + 1;
	const added = Number(d.added);
	if (WALL) wallOffences(d);
	else {
		if (added > 0) toast(() => tn('status.new', added));
		if (Array.isArray(d.bbox) && d.bbox.length === 4) pulse(d.bbox);
	}
	clearTimeout(state.refreshTimer);
	state.refreshTimer = setTimeout(refreshData, REFRESH_DEBOUNCE_MS);
}

function refreshData() {
	for (const l of LAYERS) if (l.data) syncLayer(l.id);
	state.lastUpdate = Date.now();
	renderStatus();
	loadLegend();
	loadCard();
	analysisFiltersChanged();
	compareFiltersChanged();
}

/* A ring where the change happened, for a minute. */
function pulse(bbox) {
	const [w, s, e, n] = bbox.map(Number);
	if (![w, s, e, n].every(Number.isFinite)) return;
	const icon = L.divIcon({ className: 'pulse', html: '<span></span><span></span>', iconSize: [44, 44] });
	const m = L.marker([(s + n) / 2, (w + e) / 2], { icon, pane: 'pulse', interactive: false, keyboard: false }).addTo(state.map);
	setTimeout(() => state.map.removeLayer(m), 60000);
}

/* After a dropped connection, or once a minute: the server's data_version
 * (and rolling periods, which move on the hour). */
async function catchUp() {
	try {
		const h = await api('healthz');
		const v = Number(h?.data_version);
		if (v > state.dataVersion) onOffences({ data_version: v });
	} catch {
		/* the event stream reports the state of the connection */
	}
}

function tick() {
	const key = filterParams().toString();
	if (key !== state.filterKey) filtersChanged();
	if (state.live !== 'live') catchUp();
}

/* ---------- session ---------- */

function sessionLost() {
	/* Start again from a clean page: the login screen, then everything;
	 * the wall screen, which nobody types on, says so and waits. */
	if (!WALL) return window.location.reload();
	state.events?.close();
	wallSessionLost(el);
}

async function logout() {
	try {
		await api('api/logout', { method: 'POST', noAuthRedirect: true });
	} catch {
		/* logged out either way */
	}
	state.events?.close();
	window.location.reload();
}

function showLogin(message) {
	$('boot').hidden = true;
	$('app').hidden = true;
	$('login').hidden = false;
	const err = $('login-error');
	err.hidden = !message;
	err.textContent = message || '';
	$('login-token').focus();
}

async function submitLogin(e) {
	e.preventDefault();
	const token = $('login-token').value.trim();
	if (!token) return;
	const btn = $('login-submit');
	btn.disabled = true;
	btn.textContent = t('login.busy');
	try {
		const me = await api('api/login', { json: { token }, noAuthRedirect: true });
		$('login-token').value = '';
		$('login').hidden = true;
		await start(me || {});
	} catch (err) {
		const key = err.status === 401 ? 'login.bad' : err.status === 403 ? 'login.forbidden' : err.status ? null : 'login.offline';
		showLogin(key ? t(key) : err.message);
	} finally {
		btn.disabled = false;
		btn.textContent = t('login.submit');
	}
}

/* The map and everything on it, once the session is known. */
async function start(me) {
	state.me = me;
	const meta = normaliseMeta((await api('api/meta')) || {});
	state.meta = meta;
	try {
		new Intl.DateTimeFormat('en', { timeZone: meta.timezone });
		state.tz = meta.timezone;
	} catch {
		state.tz = 'Asia/Tashkent';
	}
	state.dataVersion = meta.dataVersion;
	for (const kind of ['categories', 'services']) {
		const kept = (state.view[kind] || []).filter((c) => meta[kind].some((r) => r.code === c));
		state.view[kind] = kept.length ? kept : null;
	}
	if (!state.view.district || !chosenArea(meta, state.view.district) || meta.districts.length < 2) state.view.district = '';

	$('boot').hidden = true;
	$('app').hidden = false;
	try {
		if (localStorage.getItem(PANEL_KEY) === 'collapsed') setPanel(true);
	} catch {
		/* storage disabled: the panel starts open */
	}
	/* Dates and times as the viewer's languages write them, not the browser's. */
	dateFields();
	buildPanel();
	if (WALL) document.body.classList.add('wall');
	let planner = canPlan(me) && !WALL;
	if (planner) {
		try {
			await plannerLoad(L);
		} catch (e) {
			planner = false;
			showError(e);
		}
	}
	initMap();
	state.filterKey = filterParams().toString();
	state.lastUpdate = Date.now();
	renderAll();
	onLangChange(() => {
		renderAll();
		/* The area layers' names follow (a new URL replaces the layer). */
		syncLayer('mahallas');
		syncLayer('districts');
	});
	if (WALL) {
		wallStart({ L, map: state.map, api, el, meta: state.meta, zoned, colourOf, mahallaName, filterParams, exitUrl: () => viewUrl(false) });
		onLangChange(() => wallRelabel());
		state.map.invalidateSize({ animate: false });
		fitDistrict(false);
		/* Nobody pans the wall: a new window size fits the district again,
		 * its tiles drawn at the scale of the new size. */
		state.map.on('resize', () => {
			rescaleTiles();
			fitDistrict(false);
		});
	}
	cardStart({ L, map: state.map, api, el, meta: state.meta, filterParams, mahallas: () => state.mahallas, colourOf, printLink, listOf,
		extras: (code) => [standingCard(code), tasksCard(code), activitiesCard(code)] });
	loadLegend();
	loadMahallas();
	unitsStart({ L, map: state.map, api, el, colourOf, showError });
	identifyStart({
		L,
		map: state.map,
		api,
		el,
		meta: state.meta,
		colourOf,
		zoned,
		filterParams,
		layerOn: () => !!state.view.layers.offences && state.meta.layers.includes('offences'),
		legend: () => state.legend.offences,
		mahallaName,
	});
	analysisStart({ L, map: state.map, api, el, bounds: () => state.extent, filterParams, dataVersion: () => state.dataVersion, showError, setLayer, layerOn: (id) => !!state.view.layers[id], legendChanged: renderLegend });
	compareStart({
		L,
		map: state.map,
		api,
		el,
		meta: state.meta,
		filterParams,
		district: () => state.view.district,
		chooseDistrict,
		openMahalla: (code) => {
			const f = state.mahallas.find((x) => x.properties?.code === code);
			if (f) selectMahalla(f);
		},
		mahallas: () => state.mahallas,
		showError,
		legendChanged: renderLegend,
	});
	if (!WALL) {
		const coop = { L, map: state.map, api, el, me, meta: state.meta, zoned, mahallas: () => state.mahallas, mahallaAt, mahallaName, filterParams, legendChanged: renderLegend, showError };
		evaluateStart(coop);
		standingStart(coop);
		activitiesStart(coop);
		tasksStart({ ...coop, record: recordActivity, hotspot: plannerHotspot });
	}
	startEvents();
	if (planner) {
		coverageStart({ L: globalThis.L, map: state.map, api, el, meta: state.meta, colourOf, isoDate, showError });
		suggestStart({ L: globalThis.L, map: state.map, api, el, meta: state.meta, colourOf, isoDate, toast, showError });
		plannerStart({
			L: globalThis.L,
			map: state.map,
			api,
			el,
			meta: state.meta,
			colourOf,
			mahallas: () => state.mahallas,
			isoDate,
			flash,
			toast,
			showError,
			filtersChanged,
		});
	}
	setInterval(tick, TICK_MS);
	document.body.dataset.ready = 'true';
}

/* A token in the URL's fragment (#token=pb_…, for a wall PC's kiosk
 * browser) logs in once; it leaves the address bar (and the history)
 * before it is even tried. The fragment never reaches the server's logs. */
async function fragmentLogin() {
	const frag = new URLSearchParams(window.location.hash.slice(1));
	const token = frag.get('token');
	if (!token) return;
	frag.delete('token');
	const rest = frag.toString();
	window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`);
	await api('api/login', { json: { token }, noAuthRedirect: true });
}

async function boot() {
	setLang(new URLSearchParams(window.location.search).get('lang') || lang());
	document.documentElement.lang = lang();
	translate();
	renderLangSwitches();
	onLangChange(() => {
		if (!state.meta) {
			translate();
			renderLangSwitches();
		}
	});
	$('login-form').addEventListener('submit', submitLogin);
	let me;
	try {
		await fragmentLogin();
		me = await api('api/me', { noAuthRedirect: true });
	} catch (e) {
		if (WALL && e.status === 401) return wallSessionLost(el);
		if (e.status === 401 || e.status === 403) return showLogin();
		$('boot').textContent = `${t('login.offline')} (${e.message})`;
		setTimeout(() => window.location.reload(), 15000);
		return;
	}
	try {
		await start(me || {});
	} catch (e) {
		if (e.status === 401) return showLogin();
		$('boot').hidden = false;
		$('boot').textContent = `${t('status.error')}: ${e.message}`;
	}
}

boot();
