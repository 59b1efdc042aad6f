// The viewer's planning mode in Debian's Chromium, driven by playwright-core,
// against a running daemon: a planner picks Friday 18:00-02:00, draws a zone
// with Geoman's polygon tool (mouse clicks on the map), gives it a joint
// patrol of two services in the form, saves it (the server's 422 for a
// missing name shows next to the name first), meets the overlap warning when
// a zone of another service is drawn over it, sees it hidden in a shift
// where it is not on duty, and undoes its creation.
//
//   POSBON_URL=http://127.0.0.1:PORT/ POSBON_PLANNER_TOKEN=... node --test tests/browser/test_planner.mjs
//
// tests/integration/test_browser.sh sets these up.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { drawPolygon, fillZone, launch, login } from './chromium.mjs';

const BASE = process.env.POSBON_URL ? new URL(process.env.POSBON_URL) : null;
const TOKEN = process.env.POSBON_PLANNER_TOKEN || '';
const UI_MS = 30000;
const NAME = 'Bozor kechki';

async function zones() {
	const res = await fetch(new URL('api/zones', BASE), { headers: { Authorization: `Bearer ${TOKEN}` } });
	assert.equal(res.status, 200);
	return (await res.json()).features;
}

const zoneClass = (id) => `.zone-${String(id).replace(/[^\w-]/g, '_')}`;

test('planner', { skip: (!BASE || !TOKEN) && 'POSBON_URL or POSBON_PLANNER_TOKEN is not set', timeout: 300000 }, async (t) => {
	const { page, refused, close } = await launch();
	const pageErrors = [];
	page.on('pageerror', (e) => pageErrors.push(String(e)));
	let box;
	let zoneId;
	/* A square of side 2d pixels around the map's point (x, y), drawn with
	 * Geoman's polygon tool and closed on its first corner. */
	const drawSquare = (x, y, d) =>
		drawPolygon(page, [[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]], UI_MS);
	const shown = (id) => page.locator(zoneClass(id)).count();

	try {
		await t.test('a planner logs in and turns the planning mode on', async () => {
			await login(page, BASE, TOKEN, UI_MS);
			await page.locator('#plan-block').waitFor({ state: 'visible', timeout: UI_MS });
			await page.click('#plan-active');
			await page.locator('.leaflet-pm-toolbar .leaflet-pm-icon-polygon').waitFor({ state: 'visible', timeout: UI_MS });
			assert.equal(await page.getAttribute('.leaflet-pm-toolbar .button-container:has(.leaflet-pm-icon-polygon)', 'title'), 'Draw a zone');
		});

		await t.test('Friday 18:00-02:00: the shift\'s hotspots and heatmap', async () => {
			const hotspots = page.waitForResponse((r) => {
				const u = new URL(r.url());
				return u.pathname === '/api/hotspots' && u.searchParams.get('shift') === '18:00-02:00' && u.searchParams.get('weekdays') === 'fri';
			}, { timeout: UI_MS });
			const heat = page.waitForRequest((r) => {
				const u = new URL(r.url());
				return u.pathname.startsWith('/tiles/heatmap/') && u.searchParams.get('hours') === '18-02' && u.searchParams.get('weekdays') === 'fri';
			}, { timeout: UI_MS });
			await page.click('#plan-presets [data-preset="evening"]');
			/* only Friday: untick the other six days */
			for (let d = 0; d < 7; d++) if (d !== 4) await page.click(`#plan-weekdays .wd:nth-child(${d + 1})`);
			assert.equal((await hotspots).status(), 200);
			await heat;
			assert.deepEqual(await page.$$eval('#plan-weekdays input', (xs) => xs.map((x) => x.checked)), [false, false, false, false, true, false, false]);
			await page.waitForFunction(() => document.querySelectorAll('.hotspot-num').length > 0, null, { timeout: UI_MS });
			assert.equal(await page.textContent('.hotspot-num >> nth=0'), '1');
		});

		await t.test('a drawn zone with a joint patrol is saved', async () => {
			const before = await zones();
			box = await page.locator('#map').boundingBox();
			await drawSquare(box.x + box.width * 0.45, box.y + box.height * 0.5, 40);
			assert.equal(await page.textContent('#zone-form-title'), 'New zone');
			/* no name: the server's 422 names the field, shown next to it */
			await page.click('#zone-save');
			const overlap = page.locator('#overlap-dialog');
			const err = page.locator('[data-error-for="properties.name"]');
			await Promise.race([err.waitFor({ timeout: UI_MS }), overlap.waitFor({ state: 'visible', timeout: UI_MS })]);
			if (await overlap.isVisible()) await page.click('#overlap-save');
			await err.waitFor({ timeout: UI_MS });
			assert.match(await err.textContent(), /name/);
			await fillZone(page, NAME, [['ppx', 'PPX-7'], ['youth', 'YOSH-2']]);
			assert.equal(await page.inputValue('#zone-rows .as-row:nth-child(2) .as-start'), '18:00', 'the shift is the default');
			const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/zones' && r.request().method() === 'POST', { timeout: UI_MS });
			await page.click('#zone-save');
			await Promise.race([created, overlap.waitFor({ state: 'visible', timeout: UI_MS })]);
			if (await overlap.isVisible()) await page.click('#overlap-save');
			assert.equal((await created).status(), 201);
			await page.locator('#zone-form').waitFor({ state: 'hidden', timeout: UI_MS });
			const after = await zones();
			assert.equal(after.length, before.length + 1);
			const z = after.find((f) => f.properties.name === NAME);
			assert.ok(z, 'the zone is in GET /api/zones');
			zoneId = z.properties.id;
			const as = z.properties.assignments.map((a) => [a.service, a.unit, a.shift_start, a.shift_end, a.weekdays_mask]);
			assert.deepEqual(as.sort(), [['ppx', 'PPX-7', '18:00', '02:00', 16], ['youth', 'YOSH-2', '18:00', '02:00', 16]]);
			assert.equal(z.properties.joint, true, 'two services on one shift: a joint patrol');
			/* stored as a MultiPolygon of one polygon */
			const polys = z.geometry.type === 'Polygon' ? [z.geometry.coordinates] : z.geometry.coordinates;
			assert.equal(polys.length, 1);
			assert.equal(polys[0][0].length, 5, 'four corners, closed');
			await page.waitForFunction((sel) => document.querySelector(sel), zoneClass(zoneId), { timeout: UI_MS });
		});

		await t.test('a zone of another service over it is saved only after a warning', async () => {
			await drawSquare(box.x + box.width * 0.45 + 20, box.y + box.height * 0.5 + 20, 40);
			await page.fill('#zone-name', 'Overlapping');
			await page.selectOption('#zone-rows .as-row:nth-child(1) .as-service', 'jqb');
			await page.click('#zone-save');
			await page.locator('#overlap-dialog').waitFor({ state: 'visible', timeout: UI_MS });
			assert.match(await page.textContent('#overlap-list'), new RegExp(`${NAME}: Patrol-post service \\(PPX-7\\)`));
			await page.click('#overlap-back');
			await page.locator('#overlap-dialog').waitFor({ state: 'hidden', timeout: UI_MS });
			assert.ok(await page.locator('#zone-form').isVisible(), 'back to the form');
			await page.click('#zone-cancel');
			await page.locator('#zone-form').waitFor({ state: 'hidden', timeout: UI_MS });
			assert.ok(!(await zones()).some((f) => f.properties.name === 'Overlapping'), 'nothing saved');
		});

		await t.test('a shift where the zone is not on duty hides it', async () => {
			/* Friday 06:00-14:00 */
			await page.fill('#plan-start', '06:00');
			await page.fill('#plan-end', '14:00');
			await page.waitForFunction((sel) => !document.querySelector(sel), zoneClass(zoneId), { timeout: UI_MS });
			await page.click('#plan-presets [data-preset="evening"]');
			await page.waitForFunction((sel) => document.querySelector(sel), zoneClass(zoneId), { timeout: UI_MS });
			/* Friday evening runs into Saturday 01:00, not into Saturday evening */
			await page.click('#plan-weekdays .wd:nth-child(6)');
			await page.click('#plan-weekdays .wd:nth-child(5)');
			await page.waitForFunction((sel) => !document.querySelector(sel), zoneClass(zoneId), { timeout: UI_MS });
			await page.click('#plan-weekdays .wd:nth-child(5)');
			await page.click('#plan-weekdays .wd:nth-child(6)');
			await page.waitForFunction((sel) => document.querySelector(sel), zoneClass(zoneId), { timeout: UI_MS });
		});

		await t.test('undo removes the zone just created', async () => {
			assert.equal(await page.isDisabled('#plan-undo'), false);
			const gone = page.waitForResponse((r) => r.request().method() === 'DELETE' && new URL(r.url()).pathname === `/api/zones/${encodeURIComponent(zoneId)}`, { timeout: UI_MS });
			await page.click('#plan-undo');
			assert.equal((await gone).status(), 204);
			await page.waitForFunction((sel) => !document.querySelector(sel), zoneClass(zoneId), { timeout: UI_MS });
			assert.ok(!(await zones()).some((f) => f.properties.id === zoneId), 'not in GET /api/zones');
			assert.equal(await page.isDisabled('#plan-undo'), true, 'nothing more to undo');
		});

		await t.test('the planning texts follow the language', async () => {
			await page.click('.panel-head [data-lang="uz"]');
			assert.match(await page.textContent('#plan-block'), /Rejalashtirish rejimi/);
			assert.match(await page.textContent('#plan-block'), /[o]\u02bb/);
			assert.equal(await page.getAttribute('.leaflet-pm-toolbar .button-container:has(.leaflet-pm-icon-polygon)', 'title'), 'Zona chizish');
			await page.click('.panel-head [data-lang="ru"]');
			assert.match(await page.textContent('#plan-block'), /Режим планирования/);
		});

		await t.test('no script failed', () => {
			assert.deepEqual(pageErrors, []);
			assert.deepEqual(refused, [], 'the Content-Security-Policy refused nothing');
		});
	} finally {
		await close();
	}
});
