// The duty officers' wall screen (?wall=1) in Debian's Chromium against a
// running daemon: a token in the URL's fragment logs in and leaves the
// address bar; the map alone with tiles, the header (district, clock, last
// update, today's count); an offence posted through the API pulses at its
// place and heads the feed; the status turns amber, then red, when the
// connection is cut (a fake clock skips the minutes), the stream comes back
// when the network does, old pulses are removed, a stream closed by a proxy's
// 502 is opened again and catches up, and an ended session is a full-screen
// message.
//
//   POSBON_URL=http://127.0.0.1:PORT/ POSBON_TOKEN=... node --test tests/browser/test_wall.mjs
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import { test } from 'node:test';

import { launch } from './chromium.mjs';

const BASE = process.env.POSBON_URL ? new URL(process.env.POSBON_URL) : null;
const TOKEN = process.env.POSBON_TOKEN || '';
const UI_MS = 10000;
const LIVE_MS = 5000;
const RENDER_MS = 60000;

const auth = { Authorization: `Bearer ${TOKEN}` };
const get = async (path) => (await fetch(new URL(path, BASE), { headers: auth })).json();

/* Posts an offence of the patrol-post service at lon/lat, now, as a
 * dispatcher's system would; fails the test unless it is stored. */
async function postOffence(id, lon, lat, category) {
	const res = await fetch(new URL('api/offences', BASE), {
		method: 'POST',
		headers: { ...auth, 'Content-Type': 'application/json' },
		body: JSON.stringify({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [lon, lat] },
			properties: { id, time: new Date().toISOString(), category, service: 'ppx' },
		}),
	});
	assert.equal(res.status, 201, await res.text());
}

/* A TCP relay to the daemon that the page goes through, so that the test
 * can cut every connection (the event stream's too) and refuse new ones
 * for a while, as a restarted daemon or a dropped network would. */
async function relay() {
	const sockets = new Set();
	let blocked = false;
	let badGateway = false;
	let refused = 0;
	const server = createServer((c) => {
		if (blocked) return c.destroy();
		if (badGateway) {
			/* a proxy whose daemon is gone: every request a 502 */
			c.once('data', () => {
				refused++;
				c.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
			});
			c.on('error', () => {});
			return;
		}
		const u = connect(Number(BASE.port), BASE.hostname);
		const end = () => {
			c.destroy();
			u.destroy();
			sockets.delete(c);
			sockets.delete(u);
		};
		for (const x of [c, u]) {
			sockets.add(x);
			x.on('error', end);
			x.on('close', end);
		}
		c.pipe(u);
		u.pipe(c);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	return {
		url: new URL(`http://127.0.0.1:${server.address().port}/`),
		cut() {
			blocked = true;
			for (const x of sockets) x.destroy();
		},
		restore() {
			blocked = false;
			badGateway = false;
		},
		/* Cuts every connection and answers new ones with a 502. */
		badGateway() {
			badGateway = true;
			refused = 0;
			for (const x of sockets) x.destroy();
		},
		refused: () => refused,
		close: () => new Promise((r) => server.close(r)),
	};
}

/* Polls cond() every 50 ms until it holds, or fails after ms. */
async function waitUntil(cond, ms, what) {
	const end = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > end) assert.fail(`timed out waiting: ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

test('wall screen', { skip: !BASE && 'POSBON_URL is not set', timeout: 180000 }, async (t) => {
	const { page, refused, close } = await launch();
	const pageErrors = [];
	page.on('pageerror', (e) => pageErrors.push(String(e)));
	await page.clock.install();
	const meta = await get('api/meta');
	const net = await relay();
	try {
		await t.test('a token in the fragment opens the wall screen and leaves the address bar', async () => {
			await page.goto(new URL(`?wall=1&lang=en#token=${TOKEN}`, net.url).href);
			await page.waitForSelector('body[data-ready="true"]', { timeout: UI_MS });
			assert.ok(!page.url().includes(TOKEN), `the token left the address: ${page.url()}`);
			assert.ok(page.url().includes('wall=1'));
			assert.ok(await page.locator('body.wall').count());
			assert.equal(await page.locator('#panel').isVisible(), false, 'no panel');
			assert.equal(await page.locator('.leaflet-control-zoom').count(), 0, 'no zoom buttons');
			assert.equal(await page.locator('#legend').isVisible(), false, 'no legend');
		});

		await t.test('the map shows tiles and the header its figures', async () => {
			await page.waitForFunction(() => {
				const imgs = [...document.querySelectorAll('.tiles-heatmap img')];
				return imgs.length > 0 && imgs.every((i) => i.complete) && imgs.some((i) => i.naturalWidth > 0);
			}, null, { timeout: RENDER_MS });
			assert.ok(await page.locator('.tiles-mahallas img').count(), 'mahallas too');
			/* The ground under them, its names large for reading across a room. */
			const base = await page.evaluate(() => [...document.querySelectorAll('.tiles-base img')].map((i) => i.src));
			assert.ok(base.length > 0 && base.every((u) => Number(new URL(u).searchParams.get('labelscale')) > 1), `base tiles ${base[0]}`);
			assert.equal(await page.textContent('#wall-district'), meta.district.name_en);
			assert.match(await page.textContent('#wall-clock'), /^\d\d:\d\d:\d\d$/);
			assert.match(await page.textContent('#wall-updated'), /^Last update \d\d:\d\d:\d\d$/);
			assert.equal(await page.getAttribute('#wall-live', 'data-level'), 'ok');
			await page.waitForSelector('#wall-today', { timeout: UI_MS });
			assert.match(await page.textContent('#wall-today'), /^\d+$/);
			/* Readable from afar: the header's type is large on a 1080p screen. */
			const px = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('#wall-strip')).fontSize));
			assert.ok(px >= 32, `header type ${px}px`);
		});

		let posted;
		await t.test('a new offence pulses at its place and heads the feed', async () => {
			const today = Number(await page.textContent('#wall-today'));
			const [w, s, e, n] = meta.district.bounds;
			const lon = w + (e - w) * 0.4;
			const lat = s + (n - s) * 0.55;
			posted = { id: `wall-test-${Date.now()}`, lon, lat };
			await postOffence(posted.id, lon, lat, 'robbery');
			await page.waitForSelector('.wall-pulse[data-category="robbery"]', { timeout: LIVE_MS });
			await page.waitForSelector(`#wall-feed-rows li:first-child[data-id="${posted.id}"]`, { timeout: LIVE_MS });
			const robbery = meta.categories.find((c) => c.code === 'robbery');
			assert.equal(await page.textContent('#wall-feed-rows li:first-child .wall-cat'), robbery.name_en);
			assert.match(await page.textContent('#wall-feed-rows li:first-child time'), /^\d\d:\d\d$/);
			assert.equal(await page.textContent('#wall-feed h2'), 'Latest offences', 'the feed has its heading');
			/* One minus sign, not a hyphen beside it: "−1 (−17 %)". */
			assert.doesNotMatch(await page.textContent('.wall-change'), /-/);
			await page.waitForFunction((n) => Number(document.querySelector('#wall-today')?.textContent) === n, today + 1, { timeout: UI_MS });
			/* Where the heatmap's own tiles put that point: the tile holding it
			 * at the map's zoom, and the fraction within the tile. */
			const [expected, got] = await page.evaluate(({ lon, lat }) => {
				for (const img of document.querySelectorAll('.tiles-heatmap img.leaflet-tile-loaded')) {
					const m = /\/tiles\/heatmap\/(\d+)\/(\d+)\/(\d+)/.exec(img.src);
					const z = Number(m[1]);
					const fx = ((lon + 180) / 360) * 2 ** z;
					const r = (lat * Math.PI) / 180;
					const fy = ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z;
					if (Math.floor(fx) !== Number(m[2]) || Math.floor(fy) !== Number(m[3])) continue;
					const b = img.getBoundingClientRect();
					const p = document.querySelector('.wall-pulse').getBoundingClientRect();
					return [
						[b.left + (fx % 1) * b.width, b.top + (fy % 1) * b.height],
						[p.left + p.width / 2, p.top + p.height / 2],
					];
				}
				return [null, null];
			}, posted);
			assert.ok(expected, 'a heatmap tile holds the offence');
			assert.ok(Math.hypot(expected[0] - got[0], expected[1] - got[1]) < 3, `pulse at ${got}, offence at ${expected}`);
			/* It moves, unless the screen asks for no motion. */
			const animation = () => page.evaluate(() => getComputedStyle(document.querySelector('.wall-pulse span')).animationName);
			assert.equal(await animation(), 'wall-pulse');
			await page.emulateMedia({ reducedMotion: 'reduce' });
			assert.equal(await animation(), 'none');
			await page.emulateMedia({ reducedMotion: 'no-preference' });
		});

		await t.test('a cut connection turns the status amber, then red; the pulses end', async () => {
			net.cut();
			/* the stream notices */
			await page.waitForFunction(() => !document.querySelector('#live-dot')?.classList.contains('live'), null, { timeout: UI_MS });
			await page.clock.fastForward(61000);
			await page.waitForSelector('#wall-live[data-level="amber"]', { timeout: UI_MS });
			assert.match(await page.textContent('#wall-reason'), /no connection to the server/);
			assert.equal(await page.locator('.wall-pulse').count(), 0, 'pulses are removed after a minute');
			assert.equal(await page.locator('#wall-feed-rows li').first().getAttribute('data-id'), posted.id, 'the feed keeps it');
			await page.clock.fastForward(240000);
			await page.waitForSelector('#wall-live[data-level="red"]', { timeout: UI_MS });
		});

		await t.test('the stream reconnects when the network is back, with what it missed', async () => {
			const [w, s, e, n] = meta.district.bounds;
			const missed = `wall-missed-${Date.now()}`;
			await postOffence(missed, w + (e - w) * 0.6, s + (n - s) * 0.45, 'theft');
			net.restore();
			await page.waitForSelector('#wall-live[data-level="ok"]', { timeout: 20000 });
			assert.equal(await page.textContent('#wall-reason'), '');
			await page.waitForSelector(`#wall-feed-rows li:first-child[data-id="${missed}"]`, { timeout: UI_MS });
			await page.waitForSelector('.wall-pulse[data-category="theft"]', { timeout: UI_MS });
		});

		await t.test('after a proxy\'s 502 closed the stream, the stream asked again catches up', async () => {
			/* A 502 makes the browser give up on the stream (an EventSource
			 * retries a dropped connection by itself, not an HTTP error); the
			 * page asks /api/me why and opens a new stream after a backoff of a
			 * second. */
			net.badGateway();
			await waitUntil(() => net.refused() >= 2, 15000, 'the stream and /api/me met the 502');
			const [w, s, e, n] = meta.district.bounds;
			const missed = `wall-502-${Date.now()}`;
			await postOffence(missed, w + (e - w) * 0.35, s + (n - s) * 0.6, 'theft');
			net.restore();
			await page.waitForSelector(`#wall-feed-rows li:first-child[data-id="${missed}"]`, { timeout: UI_MS });
			assert.equal(await page.getAttribute('#wall-live', 'data-level'), 'ok');
		});

		await t.test('an ended session is a full-screen message', async () => {
			const r = await page.evaluate(async () => (await fetch('api/logout', { method: 'POST' })).status);
			assert.ok(r < 300, `logout ${r}`);
			await page.clock.fastForward(61000); /* the minute's count asks the server */
			await page.waitForSelector('#wall-expired', { state: 'visible', timeout: UI_MS });
			assert.match(await page.textContent('#wall-expired'), /Session expired — log in again/);
			assert.match(await page.textContent('#wall-expired'), /#token=/);
		});

		await t.test('the desk viewer has a button to the wall screen and back', async () => {
			await page.goto(new URL(`?lang=en&period=7d#token=${TOKEN}`, net.url).href);
			await page.waitForSelector('body[data-ready="true"]', { timeout: UI_MS });
			assert.equal(await page.locator('body.wall').count(), 0);
			await page.click('.wall-btn');
			await page.waitForSelector('body.wall[data-ready="true"]', { timeout: UI_MS });
			const q = new URL(page.url()).searchParams;
			assert.equal(q.get('wall'), '1');
			assert.equal(q.get('period'), '7d', 'the filters go along');
			await page.click('#wall-exit');
			await page.waitForSelector('body[data-ready="true"]:not(.wall)', { timeout: UI_MS });
		});
		assert.deepEqual(pageErrors, []);
		assert.deepEqual(refused, [], 'the Content-Security-Policy refused nothing');
	} finally {
		await close();
		await net.close();
	}
});
