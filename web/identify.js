// posbon viewer: what the offence dots under a click are, the way QGIS's
// identify tool or a WMS GetFeatureInfo answers. Where the offences layer
// draws dots (its style's zooms, from GET /api/legend?layer=offences), a map
// click first asks GET /api/offences for the offences within the drawn
// symbols' reach, with the panel's filters; the addresses whose symbols
// reach the click are listed in a Leaflet popup (category, local time or
// span, status, service, mahalla, id). Without any, the click is the
// mahalla card's, as before. Escape or a click elsewhere closes the popup;
// an answer for an older click is dropped.

import { fmtNumber, lang, nameOf, t, tn } from './i18n.js';

export const PAGE = 50;
const RING_MAX = 8; /* tiles/points.c: more at one address make a counted dot */
const TOLERANCE_PX = 3; /* a click a little beside a dot still means it */

let ctx = null; /* app.js's parts, see identifyStart() */
const idf = { seq: 0, popup: null, shown: null };

/* The dot radius at zoom from the legend's stops [[zoom, px], ...], as
 * style_zfunc_eval() interpolates them: linear between stops, the end
 * stops' values beyond them. 0 without stops. */
export function radiusAt(stops, zoom) {
	if (!Array.isArray(stops) || !stops.length) return 0;
	if (!(zoom > stops[0][0])) return stops[0][1];
	for (let i = 1; i < stops.length; i++) {
		const [z0, v0] = stops[i - 1];
		const [z1, v1] = stops[i];
		if (zoom < z1) return v0 + ((v1 - v0) * (zoom - z0)) / (z1 - z0);
	}
	return stops[stops.length - 1][1];
}

/* The count drawn on the dot of n offences at one address (tiles/points.c). */
export function countLabel(n) {
	return n < 1000 ? String(n) : `${(n / 1000).toFixed(n < 10000 ? 1 : 0)}k`;
}

/* How far from its address the symbols of n offences there reach, in px
 * for dot radius r, as tiles/points.c draws them: one dot; up to 8 dots on
 * a ring of radius max(2r, 2.4 r n / 2π); else one dot big enough for its
 * count. A full ring (about 4 r) reaches farthest. */
export function symbolReach(n, r) {
	if (n <= 1) return r;
	if (n <= RING_MAX) return Math.max(2 * r, (2.4 * r * n) / (2 * Math.PI)) + r;
	return r * (1.8 + 0.35 * countLabel(n).length);
}

/* The farthest any address's symbols reach, with the click's tolerance. */
export const clickReach = (r) => symbolReach(RING_MAX, r) + TOLERANCE_PX;

/* The addresses among features (GeoJSON Points of GET /api/offences) whose
 * symbols reach the click: distPx(lon, lat) is an address's distance from
 * it in px, r the dot radius. Offences share an address when they share
 * coordinates. When the page was full an address may hold more than the
 * page shows, so it reaches as far as a full ring. Returns [{ lon, lat,
 * address, street, dist, offences: [properties] }], nearest first, each one's
 * offences newest first. */
export function addressesAt(features, distPx, r, full) {
	const byPlace = new Map();
	for (const f of features || []) {
		const c = f?.geometry?.coordinates;
		if (!Array.isArray(c) || c.length < 2) continue;
		const key = `${c[0]},${c[1]}`;
		let g = byPlace.get(key);
		if (!g) byPlace.set(key, (g = { lon: c[0], lat: c[1], address: null, street: null, offences: [] }));
		g.offences.push(f.properties || {});
		g.address ??= f.properties?.address || null;
		g.street ??= f.properties?.street || null;
	}
	const hits = [];
	for (const g of byPlace.values()) {
		g.dist = distPx(g.lon, g.lat);
		const reach = (full ? symbolReach(RING_MAX, r) : symbolReach(g.offences.length, r)) + TOLERANCE_PX;
		if (!(g.dist <= reach)) continue;
		g.offences.sort((a, b) => String(b.from ?? '').localeCompare(String(a.from ?? '')));
		hits.push(g);
	}
	return hits.sort((a, b) => a.dist - b.dist);
}

/* When an offence happened, in the district's local time: zoned(ms) gives
 * its parts (app.js: year, month, day, hour, minute as strings). A time
 * known to the day, month or year shows only that; one known only as a
 * span shows "from – to" (the end's date only when it is another day).
 * null when the time is unknown. */
export function whenText(p, zoned) {
	const from = Date.parse(p?.from ?? '');
	if (!Number.isFinite(from)) return null;
	const a = zoned(from);
	const date = `${a.day}.${a.month}.${a.year}`;
	if (p.precision === 'year') return a.year;
	if (p.precision === 'month') return `${a.month}.${a.year}`;
	if (p.precision === 'day') return date;
	const to = Date.parse(p.to ?? '');
	if (p.precision !== 'span' || !Number.isFinite(to)) return `${date} ${a.hour}:${a.minute}`;
	const z = zoned(to);
	const end = z.day === a.day && z.month === a.month && z.year === a.year ? '' : `${z.day}.${z.month}.${z.year} `;
	return `${date} ${a.hour}:${a.minute} – ${end}${z.hour}:${z.minute}`;
}

/* A code's interface text, or the code itself when there is none. */
function known(key, code) {
	const s = t(key);
	return s === key ? code : s;
}

function offenceItem(p) {
	const { el, meta, colourOf, mahallaName, zoned } = ctx;
	const cat = meta.categories.find((c) => c.code === p.category);
	const svc = meta.services.find((c) => c.code === p.service);
	const when = whenText(p, zoned);
	const row = (key, value) => (value ? [el('dt', {}, t(key)), el('dd', {}, value)] : []);
	return el(
		'li',
		{ dataset: { id: p.id ?? '', category: p.category ?? '' } },
		el(
			'div',
			{ class: 'idf-title' },
			el('i', { class: 'dot', style: `background:${colourOf('categories', p.category)}` }),
			el('strong', { class: 'idf-category' }, p.category ? nameOf(cat || { code: p.category }) : t('card.without')),
		),
		el('div', { class: `idf-when${p.precision === 'span' ? ' span' : ''}` }, when ?? t('identify.time_unknown')),
		el(
			'dl',
			{},
			row('identify.status', p.status && known(`identify.status.${p.status}`, p.status)),
			row('identify.service', p.service && nameOf(svc || { code: p.service })),
			row('identify.mahalla', p.mahalla && mahallaName(p.mahalla)),
			row('identify.located', ['house', 'street'].includes(p.located_by) && t(`identify.located.${p.located_by}`)),
			row('identify.id', p.id),
		),
	);
}

/* The popup's content for the addresses found and the offences left out. */
function content(shown) {
	const { el } = ctx;
	const count = shown.addresses.reduce((n, g) => n + g.offences.length, 0);
	const box = el('div', { class: 'idf', dataset: { count: String(count) } }, el('div', { class: 'idf-head' }, tn('identify.count', count)));
	for (const g of shown.addresses) {
		/* The address written, else the street the ground puts the point on. */
		const where = g.address || g.street || `${g.lat.toFixed(5)}, ${g.lon.toFixed(5)}`;
		box.append(
			el(
				'section',
				{ class: 'idf-address' },
				el('h4', {}, where, g.offences.length > 1 ? el('span', { class: 'idf-n' }, fmtNumber(g.offences.length)) : null),
				el('ul', {}, g.offences.map(offenceItem)),
			),
		);
	}
	if (shown.more > 0) box.append(el('div', { class: 'idf-more' }, tn('identify.more', shown.more)));
	return box;
}

/* The dot radius on screen at the map's zoom, or 0 where no dots are
 * drawn: tiles come from the nearest whole zoom and are scaled. */
function screenRadius() {
	const legend = ctx.legend();
	if (!ctx.layerOn() || !legend || legend instanceof Error || !Array.isArray(legend.radius)) return 0;
	const zoom = ctx.map.getZoom();
	const tileZoom = Math.round(zoom);
	if (!(tileZoom >= legend.minzoom && tileZoom <= (legend.maxzoom ?? Infinity))) return 0;
	return radiusAt(legend.radius, tileZoom) * 2 ** (zoom - tileZoom);
}

/* Settles map click e: true when it found offences and opened the popup,
 * false when the click is the mahalla card's (no dots drawn there, none
 * within reach, or no answer), null when a later click took over. */
export async function identifyClick(e) {
	const seq = ++idf.seq;
	const r = screenRadius();
	if (!r) return false;
	const { map, api, L } = ctx;
	const R = clickReach(r);
	const p = e.containerPoint;
	const sw = map.containerPointToLatLng([p.x - R, p.y + R]);
	const ne = map.containerPointToLatLng([p.x + R, p.y - R]);
	const q = ctx.filterParams();
	q.set('bbox', [sw.lng, sw.lat, ne.lng, ne.lat].join(','));
	q.set('limit', String(PAGE));
	q.set('lang', lang());
	let page;
	try {
		page = await api(`api/offences?${q}`);
	} catch {
		return seq === idf.seq ? false : null;
	}
	if (seq !== idf.seq) return null;
	const features = page?.features || [];
	const full = page?.next_offset !== null && page?.next_offset !== undefined;
	const addresses = addressesAt(features, (lon, lat) => map.latLngToContainerPoint([lat, lon]).distanceTo(p), r, full);
	if (!addresses.length) return false;
	idf.shown = { addresses, more: full ? Math.max(0, Number(page.matched) - features.length) : 0 };
	idf.popup = L.popup({ className: 'idf-popup', maxWidth: 380, minWidth: 240, autoPanPadding: [24, 24] })
		.setLatLng(e.latlng)
		.setContent(content(idf.shown))
		.openOn(map);
	return true;
}

/* The open popup in the current language. */
export function identifyRelabel() {
	if (idf.popup && idf.shown) idf.popup.setContent(content(idf.shown));
}

/* Closes the popup: its list was of other filters. */
export function identifyClose() {
	idf.seq++;
	if (idf.popup) ctx.map.closePopup(idf.popup);
}

/* Escape closes the popup, before anything else it would close (the card). */
function onKey(ev) {
	if (ev.key !== 'Escape' || !idf.popup) return;
	ctx.map.closePopup(idf.popup);
	ev.stopPropagation();
}

/* c: { L, map, api, el, meta, colourOf, zoned, filterParams,
 *      layerOn: () => whether the offences layer is shown,
 *      legend: () => the answer of /api/legend?layer=offences (or an Error),
 *      mahallaName: code => the mahalla's name } */
export function identifyStart(c) {
	ctx = c;
	document.addEventListener('keydown', onKey, true);
	ctx.map.on('popupclose', (ev) => {
		if (ev.popup !== idf.popup) return;
		idf.popup = null;
		idf.shown = null;
	});
}
