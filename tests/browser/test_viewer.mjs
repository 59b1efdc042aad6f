// The viewer in Debian's Chromium, driven by playwright-core, against a
// running daemon: log in with a token, tiles on the map, the language switch,
// a live offence that refreshes the heatmap, a mahalla's figures on click,
// an offence's details on a click on its dot.
//
//   POSBON_URL=http://127.0.0.1:PORT/ POSBON_TOKEN=... node --test tests/browser/
//
// tests/integration/test_browser.sh sets these up (a sample database, a token,
// the daemon on a free port). POSBON_SCREENSHOT (default /tmp/viewer.png) is
// where the final screenshot goes. No request may leave the daemon's origin.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';

import { geometryContains } from '../../web/geometry.js';
import { launch, screenOf } from './chromium.mjs';

const BASE = process.env.POSBON_URL ? new URL(process.env.POSBON_URL) : null;
const TOKEN = process.env.POSBON_TOKEN || '';
const SHOT = process.env.POSBON_SCREENSHOT || '/tmp/viewer.png';
/* Deadlines for things the viewer does itself; tile rendering (slow under
 * sanitizers) gets a separate, generous one. */
const UI_MS = 10000;
const LIVE_MS = 5000; /* the viewer promises new tile requests within 2 s */
const RENDER_MS = 60000;

/* Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes) into
 * { width, height, channels, data }. */
function decodePng(buf) {
	assert.equal(buf.subarray(1, 4).toString('latin1'), 'PNG', 'not a PNG');
	let pos = 8;
	let width = 0;
	let height = 0;
	let channels = 0;
	const idat = [];
	while (pos < buf.length) {
		const len = buf.readUInt32BE(pos);
		const type = buf.subarray(pos + 4, pos + 8).toString('latin1');
		const body = buf.subarray(pos + 8, pos + 8 + len);
		if (type === 'IHDR') {
			width = body.readUInt32BE(0);
			height = body.readUInt32BE(4);
			const [depth, colour, , , interlace] = body.subarray(8, 13);
			assert.ok(depth === 8 && (colour === 2 || colour === 6) && interlace === 0, 'unexpected PNG format');
			channels = colour === 6 ? 4 : 3;
		} else if (type === 'IDAT') idat.push(body);
		else if (type === 'IEND') break;
		pos += 12 + len;
	}
	const raw = inflateSync(Buffer.concat(idat));
	const stride = width * channels;
	const data = Buffer.alloc(stride * height);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
		const out = data.subarray(y * stride, (y + 1) * stride);
		const up = y ? data.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
		for (let i = 0; i < stride; i++) {
			const a = i >= channels ? out[i - channels] : 0;
			const b = up[i];
			const c = i >= channels ? up[i - channels] : 0;
			let v = line[i];
			if (filter === 1) v += a;
			else if (filter === 2) v += b;
			else if (filter === 3) v += (a + b) >> 1;
			else if (filter === 4) {
				const p = a + b - c;
				const pa = Math.abs(p - a);
				const pb = Math.abs(p - b);
				const pc = Math.abs(p - c);
				v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
			}
			out[i] = v & 255;
		}
	}
	return { width, height, channels, data };
}

const hex = (s) => {
	const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(s.trim());
	if (m) return [1, 2, 3].map((i) => parseInt(m[i], 16));
	const r = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(s);
	assert.ok(r, `colour ${s}`);
	return [1, 2, 3].map((i) => Number(r[i]));
};

/* The district's bounds [W, S, E, N] from /api/meta (any of the shapes the
 * viewer accepts), else from the heatmap's TileJSON. */
async function districtBounds() {
	const auth = { Authorization: `Bearer ${TOKEN}` };
	const meta = await (await fetch(new URL('api/meta', BASE), { headers: auth })).json();
	let b = meta.bounds ?? meta.district?.bounds ?? meta.bbox;
	if (b && !Array.isArray(b)) b = [b.west, b.south, b.east, b.north];
	if (!Array.isArray(b) || b.length !== 4) b = (await (await fetch(new URL('tiles/heatmap.json', BASE), { headers: auth })).json()).bounds;
	return b.map(Number);
}

test('viewer', { skip: !BASE && 'POSBON_URL is not set', timeout: 300000 }, async (t) => {
	const { context, page, refused, close } = await launch();
	const outside = [];
	const pageErrors = [];
	const tiles = []; /* { url, status } of every tile answer */
	context.on('request', (r) => {
		const u = new URL(r.url());
		if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== BASE.origin) outside.push(r.url());
	});
	page.on('pageerror', (e) => pageErrors.push(String(e)));
	page.on('response', (r) => {
		if (new URL(r.url()).pathname.startsWith('/tiles/')) tiles.push({ url: r.url(), status: r.status() });
	});
	const heatmapVersion = (url) => Number(new URL(url).searchParams.get('v'));
	const isHeatTile = (url) => /\/tiles\/heatmap\/\d+\/\d+\/\d+(@2x)?\.png/.test(new URL(url).pathname);
	const tilesSettled = () =>
		page.waitForFunction(
			() => {
				const imgs = [...document.querySelectorAll('.tiles-heatmap img')];
				/* Leaflet fades a loaded tile in, ending at opacity 1 */
				const faded = [...document.querySelectorAll('img.leaflet-tile-loaded')].every((i) => i.style.opacity === '' || i.style.opacity === '1');
				return imgs.length > 0 && imgs.every((i) => i.complete) && imgs.some((i) => i.naturalWidth > 0) && faded;
			},
			null,
			{ timeout: RENDER_MS },
		);

	try {
		await t.test('the login screen takes the token', async () => {
			await page.goto(BASE.href);
			await page.locator('#login-token').waitFor({ state: 'visible', timeout: UI_MS });
			await page.fill('#login-token', 'not-a-token');
			await page.click('#login-submit');
			await page.locator('#login-error').waitFor({ state: 'visible', timeout: UI_MS });
			await page.fill('#login-token', TOKEN);
			await page.click('#login-submit');
			await page.waitForSelector('body[data-ready="true"]', { timeout: UI_MS });
			assert.ok(await page.locator('#app').isVisible());
			assert.match(await page.textContent('#user'), /test/);
		});

		await t.test('the map shows tiles, not an empty background', async (t) => {
			await tilesSettled();
			const ok = tiles.filter((x) => isHeatTile(x.url) && x.status === 200);
			assert.ok(ok.length >= 1, `heatmap tiles answered: ${JSON.stringify(tiles.slice(0, 5))}`);
			/* The map without the status strip (top), the controls (bottom left),
			 * the card and the legend (right). */
			const box = await page.locator('#map').boundingBox();
			const clip = { x: box.x + 70, y: box.y + 70, width: box.width - 70 - 480, height: box.height - 140 };
			/* Without the district's own fill (drawn by the viewer, not by the
			 * daemon), whatever differs from the background comes from tiles. */
			const bg = hex(await page.evaluate(() => getComputedStyle(document.querySelector('.leaflet-container')).backgroundColor));
			await page.evaluate(() => document.querySelector('.leaflet-districtFill-pane')?.style.setProperty('visibility', 'hidden'));
			const png = decodePng(await page.screenshot({ clip }));
			await page.evaluate(() => document.querySelector('.leaflet-districtFill-pane')?.style.removeProperty('visibility'));
			let drawn = 0;
			let warm = 0;
			const n = png.width * png.height;
			for (let i = 0; i < n; i++) {
				const [r, g, b] = png.data.subarray(i * png.channels, i * png.channels + 3);
				if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > 24) drawn++;
				if (r > 200 && r - b > 25 && r >= g) warm++; /* the heat ramp: pale yellow to red */
			}
			t.diagnostic(`${drawn} of ${n} pixels drawn by tiles, ${warm} in heat colours`);
			assert.ok(drawn > n * 0.002, `only ${drawn} of ${n} pixels differ from the background ${bg}`);
			assert.ok(warm > n * 0.001, `only ${warm} of ${n} pixels have heatmap colours`);
		});

		await t.test('the ground posbon draws lies under the layers', async () => {
			/* The sample district has streets, houses and places: the viewer
			 * shows the base layer, drawn by the daemon, below every other. */
			const base = tiles.filter((x) => /\/tiles\/base\/\d+\/\d+\/\d+(@2x)?\.png/.test(new URL(x.url).pathname));
			assert.ok(base.length >= 1 && base.every((x) => x.status === 200), `base tiles: ${JSON.stringify(base.slice(0, 3))}`);
			assert.ok(base.every((x) => new URL(x.url).searchParams.get('lang') === 'uz'), `names in Uzbek: ${base[0].url}`);
			const order = await page.evaluate(() => {
				const z = (cls) => Number(getComputedStyle(document.querySelector(`.${cls}`)).zIndex);
				return [z('tiles-base'), z('tiles-heatmap')];
			});
			assert.ok(order[0] < order[1], `base ${order[0]} under the heatmap ${order[1]}`);
		});

		await t.test('the change layer shows tiles and its diverging legend', async () => {
			await page.click('#layer-change');
			await page.waitForFunction(
				() => [...document.querySelectorAll('.tiles-change img')].some((i) => i.complete && i.naturalWidth > 0),
				null,
				{ timeout: RENDER_MS },
			);
			const ok = tiles.filter((x) => /\/tiles\/change\/\d+\/\d+\/\d+(@2x)?\.png/.test(new URL(x.url).pathname) && x.status === 200);
			assert.ok(ok.length >= 1, 'change tiles answered 200');
			const block = page.locator('#legend-body .lg-block[data-layer="change"]');
			await block.waitFor({ state: 'visible', timeout: UI_MS });
			const labels = await block.locator('.ramp-labels span').allTextContents();
			assert.ok(labels.some((l) => l.trim().startsWith('-') || l.trim().startsWith('−')), `negative stops in ${labels}`);
			await page.click('#layer-change');
		});

		await t.test('the language switches to Russian and is remembered', async () => {
			await page.click('.panel-head [data-lang="ru"]');
			await page.waitForFunction(() => document.documentElement.lang === 'ru', null, { timeout: UI_MS });
			const heading = await page.textContent('#h-period');
			assert.match(heading, /^[\u0400-\u04ff\s]+$/, `period heading '${heading}'`);
			const panel = await page.textContent('#panel');
			assert.match(panel, /Слои/);
			assert.match(await page.textContent('#categories'), /[\u0400-\u04ff]{3,}/, 'category names in Russian');
			assert.equal(await page.evaluate(() => localStorage.getItem('posbon.lang')), 'ru');
			/* The ground's names follow: its tiles are asked again in Russian. */
			const langs = () => page.evaluate(() => [...document.querySelectorAll('.tiles-base img')].map((i) => `${new URL(i.src).searchParams.get('lang')}:${i.complete && i.naturalWidth > 0}`));
			await page
				.waitForFunction(
					() => {
						/* The Uzbek layer goes once the Russian one's tiles are in. */
						const imgs = [...document.querySelectorAll('.tiles-base img')];
						return imgs.length > 0 && imgs.every((i) => new URL(i.src).searchParams.get('lang') === 'ru') && imgs.some((i) => i.complete && i.naturalWidth > 0);
					},
					null,
					{ timeout: RENDER_MS },
				)
				.catch(async (e) => assert.fail(`${e}: base tiles ${await langs()}; answers ${JSON.stringify(tiles.filter((x) => /tiles\/base/.test(x.url)).slice(-5))}`));
			/* and the mahallas' names */
			await page.waitForFunction(
				() => {
					const imgs = [...document.querySelectorAll('.tiles-mahallas img')];
					return imgs.length > 0 && imgs.every((i) => new URL(i.src).searchParams.get('lang') === 'ru');
				},
				null,
				{ timeout: RENDER_MS },
			);
		});

		await t.test('a new offence refreshes the heatmap', async () => {
			const before = Math.max(0, ...tiles.filter((x) => isHeatTile(x.url)).map((x) => heatmapVersion(x.url)));
			const shownBefore = await page.textContent('#last-update');
			/* The "last update" clock shows seconds: post in the next one. */
			const nextSecond = Math.floor(Date.now() / 1000) * 1000 + 1000;
			await page.waitForFunction((t) => Date.now() >= t, nextSecond, { timeout: UI_MS });
			const [w, s, e, n] = await districtBounds();
			const feature = {
				type: 'Feature',
				geometry: { type: 'Point', coordinates: [(w + e) / 2, (s + n) / 2] },
				properties: { id: `browser-test-${Date.now()}`, time: new Date().toISOString(), category: 'robbery', service: 'ppx' },
			};
			const fresh = page.waitForRequest((r) => isHeatTile(r.url()) && heatmapVersion(r.url()) > before, { timeout: LIVE_MS });
			const res = await fetch(new URL('api/offences', BASE), {
				method: 'POST',
				headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
				body: JSON.stringify(feature),
			});
			assert.equal(res.status, 201, `POST /api/offences: ${await res.text()}`);
			const req = await fresh;
			const v = heatmapVersion(req.url());
			const answer = await req.response();
			assert.ok(answer && answer.status() === 200, `new tile answered ${answer?.status()}`);
			await page.waitForFunction(
				(v) =>
					[...document.querySelectorAll('.tiles-heatmap')].some(
						(c) => getComputedStyle(c).opacity === '1' &&
							[...c.querySelectorAll('img.leaflet-tile-loaded')].some((i) => new URL(i.src).searchParams.get('v') === String(v)),
					),
				v,
				{ timeout: RENDER_MS },
			);
			const shown = await page.textContent('#last-update');
			assert.match(shown, /^\d\d:\d\d:\d\d$/);
			assert.notEqual(shown, shownBefore, 'the last update time moved');
		});

		await t.test('a click on a mahalla shows its figures', async () => {
			const box = await page.locator('#map').boundingBox();
			const figures = page.waitForResponse((r) => /\/api\/mahallas\/[^/?]+/.test(new URL(r.url()).pathname), { timeout: UI_MS });
			/* fitBounds centres the district: the middle of the map is its middle,
			 * where the offence above was placed. */
			await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
			assert.equal((await figures).status(), 200);
			await page.waitForFunction(() => {
				const c = document.querySelector('#card');
				return c && !c.hidden && c.dataset.code && !c.hasAttribute('aria-busy') && document.querySelector('#card [data-field="offences"]');
			}, null, { timeout: UI_MS });
			const offences = Number((await page.textContent('#card [data-field="offences"]')).replace(/\D/g, ''));
			assert.ok(offences >= 1, `offences ${offences}: the one just posted is in this mahalla`);
			assert.match(await page.textContent('#card [data-field="rate"]'), /\d/);
			assert.match(await page.textContent('#card-name'), /[\u0400-\u04ff]/, 'the mahalla name in Russian');
			assert.ok((await page.locator('#card .breakdown li').count()) >= 1, 'counts by category and service');
		});

		await t.test('a click on an offence lists it; Escape closes the list; empty ground is the mahalla card', async (t) => {
			const auth = { Authorization: `Bearer ${TOKEN}` };
			const get = async (path) => (await fetch(new URL(path, BASE), { headers: auth })).json();
			/* An offence of last week (inside the viewer's 30 days), known to the minute. */
			const day = (d) => new Date(Date.now() + d * 86400e3).toISOString().slice(0, 10);
			const page1 = await get(`api/offences?from=${day(-8)}&to=${day(-2)}&limit=200`);
			const known = page1.features.find((f) => f.geometry && f.properties.precision === 'minute' && f.properties.category);
			assert.ok(known, `an offence of last week among ${page1.features.length}`);
			const [lon, lat] = known.geometry.coordinates;
			const meta = await get('api/meta');
			const category = meta.categories.find((c) => c.code === known.properties.category);
			if (!(await page.isChecked('#layer-offences'))) await page.click('#layer-offences');

			const settled = () =>
				page.waitForFunction(
					() => {
						if (document.querySelector('.leaflet-zoom-anim')) return false;
						const levels = [...document.querySelectorAll('.tiles-districts .leaflet-tile-container')];
						levels.sort((a, b) => Number(b.style.zIndex) - Number(a.style.zIndex));
						return !!levels[0]?.querySelector('img.leaflet-tile-loaded');
					},
					null,
					{ timeout: RENDER_MS },
				);
			/* Zoom in around the offence with the wheel until the dots are drawn
			 * and apart (tile zoom 16 or more; the style's dots start at 14). */
			let at;
			for (let i = 0; i < 6; i++) {
				await settled();
				at = await screenOf(page, lon, lat);
				assert.ok(at, 'a districts tile on the map');
				if (at.z >= 16) break;
				await page.mouse.move(at.x, at.y);
				await page.mouse.wheel(0, -360);
				/* the wheel's zoom has begun: another level is on top */
				await page.waitForFunction(
					(z) => {
						const levels = [...document.querySelectorAll('.tiles-districts .leaflet-tile-container')];
						levels.sort((a, b) => Number(b.style.zIndex) - Number(a.style.zIndex));
						const img = levels[0]?.querySelector('img');
						const m = img && /\/(\d+)\/\d+\/\d+(?:@2x)?\.png$/.exec(new URL(img.src).pathname);
						return !!document.querySelector('.leaflet-zoom-anim') || (m && Number(m[1]) !== z);
					},
					at.z,
					{ timeout: RENDER_MS },
				);
			}
			t.diagnostic(`offence ${known.properties.id} at tile zoom ${at.z}`);
			assert.ok(at.z >= 16, `zoomed to ${at.z}`);
			await page.waitForFunction(() => [...document.querySelectorAll('.tiles-offences img')].some((i) => i.complete && i.naturalWidth > 0), null, { timeout: RENDER_MS });

			const asked = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/api/offences'), { timeout: UI_MS });
			await page.mouse.click(at.x, at.y);
			const answer = await asked;
			const q = new URL(answer.url()).searchParams;
			assert.equal(q.get('limit'), '50');
			assert.ok(q.get('from') && q.get('bbox'), 'with the filters and a bbox');
			const item = page.locator(`.idf-popup li[data-id="${known.properties.id}"]`);
			await item.waitFor({ state: 'visible', timeout: UI_MS });
			assert.equal((await item.locator('.idf-category').textContent()).trim(), category.name_ru, 'its category in Russian');
			assert.match(await item.textContent(), new RegExp(known.properties.id));
			assert.match(await item.locator('.idf-when').textContent(), /^\d\d\.\d\d\.\d{4} \d\d:\d\d$/);
			await page.keyboard.press('Escape');
			await page.locator('.idf-popup').waitFor({ state: 'detached', timeout: UI_MS });
			/* Other filters make the list stale: it closes. */
			await page.mouse.click(at.x, at.y);
			await item.waitFor({ state: 'visible', timeout: UI_MS });
			await page.click('#weekdays label:first-child');
			await page.locator('.idf-popup').waitFor({ state: 'detached', timeout: UI_MS });
			await page.click('#weekdays label:first-child');

			/* Empty ground: a point in a mahalla with no offence of the period
			 * (a day more than the viewer's 30) within 40 px. */
			const mahallas = (await get('api/mahallas')).features;
			const mahallaAt = (x, y) => mahallas.find((f) => geometryContains(f.geometry, x, y));
			const box = await page.locator('#map').boundingBox();
			const degPerPx = 360 / 2 ** at.z / 256 / at.px;
			let empty = null;
			const tries = [];
			for (const r of [120, 200, 280]) for (let k = 0; k < 12; k++) tries.push([Math.round(r * Math.cos((k * Math.PI) / 6)), Math.round(r * Math.sin((k * Math.PI) / 6))]);
			for (const [dx, dy] of tries) {
				const x = at.x + dx;
				const y = at.y + dy;
				if (x < box.x + 80 || y < box.y + 80 || y > box.y + box.height - 80) continue;
				const free = await page.evaluate(([x, y]) => {
					const e = document.elementFromPoint(x, y);
					return !!e?.closest('#map') && !e.closest('.leaflet-control, .leaflet-popup, #card, #legend');
				}, [x, y]);
				if (!free) continue;
				const plon = lon + dx * degPerPx;
				const plat = lat - dy * degPerPx * Math.cos((lat * Math.PI) / 180);
				const d = 40 * degPerPx;
				const near = await get(`api/offences?bbox=${plon - d},${plat - d},${plon + d},${plat + d}&from=${day(-31)}&limit=1`);
				const m = mahallaAt(plon, plat);
				if (near.features.length === 0 && m) {
					empty = { x, y, code: m.properties.code };
					break;
				}
			}
			assert.ok(empty, 'a point in a mahalla without offences nearby');

			/* A slow answer for the click on the offence arrives after the
			 * click on empty ground: it is dropped, the card stays. */
			/* the weekday's return redraws the map: click where the dot is once it has */
			await settled();
			at = await screenOf(page, lon, lat);
			assert.ok(at && at.z >= 16, `the dots still drawn (tile zoom ${at?.z})`);
			await page.route('**/api/offences?*', async (route) => {
				await new Promise((r) => setTimeout(r, 1500));
				await route.continue();
			});
			const slow = page.waitForRequest((r) => new URL(r.url()).pathname.endsWith('/api/offences'), { timeout: UI_MS });
			await page.mouse.click(at.x, at.y);
			const slowAsked = await slow;
			const slowDone = page.waitForEvent('requestfinished', { predicate: (r) => r === slowAsked, timeout: UI_MS });
			/* asked for only now: nothing before the second click may answer it */
			const card = page.waitForResponse((r) => /\/api\/mahallas\/[^/]+$/.test(new URL(r.url()).pathname), { timeout: UI_MS });
			await page.mouse.click(empty.x, empty.y);
			const cardAnswer = await card;
			assert.equal(cardAnswer.status(), 200);
			/* The test's own geometry (pixels to degrees) may put a point near a
			 * boundary in the neighbour: the card is the one the viewer asked for. */
			const code = decodeURIComponent(new URL(cardAnswer.url()).pathname.split('/').pop());
			if (code !== empty.code) t.diagnostic(`the click fell in ${code}; the test's geometry said ${empty.code}`);
			await page.waitForFunction((code) => document.querySelector('#card')?.dataset.code === code, code, { timeout: UI_MS });
			/* the slow answer is in, and the page had frames to act on it */
			await slowDone;
			await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
			await page.unroute('**/api/offences?*');
			assert.equal(await page.locator('.idf-popup').count(), 0, 'no popup from the older click');
		});

		await t.test('back to Uzbek, with oʻ and gʻ', async () => {
			await page.click('.panel-head [data-lang="uz"]');
			await page.waitForFunction(() => document.documentElement.lang === 'uz', null, { timeout: UI_MS });
			assert.match(await page.textContent('#categories'), /[og]\u02bb/);
			assert.doesNotMatch(await page.textContent('#card-name'), /[\u0400-\u04ff]/);
			await tilesSettled();
			writeFileSync(SHOT, await page.screenshot());
		});

		await t.test('logging out returns to the login screen', async () => {
			await page.click('#logout');
			await page.locator('#login-token').waitFor({ state: 'visible', timeout: UI_MS });
			assert.ok(!(await page.locator('#app').isVisible()));
			const me = await page.evaluate(() => fetch('api/me').then((r) => r.status));
			assert.equal(me, 401, 'the session cookie no longer works');
		});

		await t.test('nothing was fetched from outside and no script failed', () => {
			assert.deepEqual(outside, []);
			assert.deepEqual(pageErrors, []);
			assert.deepEqual(refused, [], 'the Content-Security-Policy refused nothing');
		});
	} finally {
		await close();
	}
});
