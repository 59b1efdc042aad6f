// The planner's coverage panel, dosage view, live units and print links in
// Debian's Chromium, driven by playwright-core, against a running daemon: a
// planner picks Friday 18:00-02:00, draws a zone over the first hotspot that
// is a gap, gives it a joint patrol of two services and sees that hotspot
// turn "joint" and the gap count drop; an older coverage answer arriving late
// does not replace a newer one; the CSV link saves the CSV; the dosage view
// lists the hotspots of the last day with tracks; a unit posted through
// POST /api/tracks (the officer's token) appears on the map; undo gives the
// gap back; a mahalla's print link answers a PDF.
//
//   POSBON_URL=http://127.0.0.1:PORT/ POSBON_TOKEN=officer POSBON_PLANNER_TOKEN=planner \
//       node --test tests/browser/test_coverage.mjs
//
// tests/integration/test_browser.sh sets these up.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { drawPolygon, fillZone, launch, login } from './chromium.mjs';

const BASE = process.env.POSBON_URL ? new URL(process.env.POSBON_URL) : null;
const OFFICER = process.env.POSBON_TOKEN || '';
const PLANNER = process.env.POSBON_PLANNER_TOKEN || '';
const UI_MS = 30000;
const LIVE_MS = 5000;
const NAME = 'Bozor qamrovi';
const UNIT = 'BT-UNIT-1';

async function get(path, token = PLANNER) {
	const res = await fetch(new URL(path, BASE), { headers: { Authorization: `Bearer ${token}` } });
	assert.equal(res.status, 200, path);
	return res.json();
}

/* The style's colour of a coverage status, as /api/legend gives it. */
const statusColour = async (status) =>
	(await get('api/legend?layer=coverage')).statuses.find((x) => x.status === status).colour.slice(0, 7).toLowerCase();

/* Whether request q asks for the coverage of shift on Fridays as JSON. */
const asksCoverage = (q, shift) => {
	const u = new URL(q.url());
	return u.pathname === '/api/coverage' && u.searchParams.get('shift') === shift && u.searchParams.get('weekdays') === 'fri' &&
		!(q.headers().accept || '').includes('csv');
};
const isCoverage = (shift) => (r) => asksCoverage(r.request(), shift);

test('coverage', { skip: (!BASE || !PLANNER || !OFFICER) && 'POSBON_URL, POSBON_TOKEN or POSBON_PLANNER_TOKEN is not set', timeout: 300000 }, async (t) => {
	const { page, refused, close } = await launch();
	const pageErrors = [];
	page.on('pageerror', (e) => pageErrors.push(String(e)));
	const count = async (key) => Number(await page.textContent(`#cov-counts [data-count="${key}"] strong`));
	const statusOf = (rank) => page.getAttribute(`#cov-hotspots tr[data-rank="${rank}"]`, 'data-status');
	let rank;
	let gaps;
	let zoneId;

	try {
		await t.test('a planner turns the planning mode on: the coverage of Friday 18:00-02:00', async () => {
			await login(page, BASE, PLANNER, UI_MS);
			await page.click('#plan-active');
			await page.locator('.leaflet-pm-toolbar .leaflet-pm-icon-polygon').waitFor({ state: 'visible', timeout: UI_MS });
			await page.click('#plan-presets [data-preset="evening"]');
			const coverage = page.waitForResponse(isCoverage('18:00-02:00'), { timeout: UI_MS });
			for (let d = 0; d < 7; d++) if (d !== 4) await page.click(`#plan-weekdays .wd:nth-child(${d + 1})`);
			const answer = await (await coverage).json();
			await page.waitForFunction(() => document.querySelector('#cov-body')?.dataset.shift === '18:00-02:00 fri', null, { timeout: UI_MS });
			/* the panel shows the server's figures */
			assert.equal(await count('gaps'), answer.gaps);
			assert.equal(await count('overlaps'), answer.overlaps);
			assert.equal(await count('joint'), answer.joint);
			assert.equal(await count('covered'), answer.covered);
			assert.equal(await page.locator('#cov-hotspots tr').count(), answer.hotspots.length);
			const gap = answer.hotspots.find((h) => h.status === 'gap');
			assert.ok(gap, 'the sample district has a gap on Friday evenings');
			rank = gap.rank;
			gaps = answer.gaps;
			assert.equal(await statusOf(rank), 'gap');
			assert.equal(await page.locator('#cov-services tr.cov-service').count(), answer.services.length);
			assert.equal(await page.locator('#cov-mahallas tr').count(), answer.mahallas.length);
			/* the gap in the style's colour for it, as the tiles and the printed page draw it */
			await page.waitForFunction(([r, c]) => document.querySelector(`path.hotspot-${r}`)?.getAttribute('stroke') === c, [rank, await statusColour('gap')], { timeout: UI_MS });
		});

		await t.test('a late answer for an older shift does not replace the newer one', async () => {
			let delayed = 0;
			await page.route('**/api/coverage?*', async (route) => {
				if (new URL(route.request().url()).searchParams.get('shift') === '08:00-20:00') {
					delayed++;
					await new Promise((r) => setTimeout(r, 2500));
				}
				await route.continue();
			});
			const day = page.waitForResponse(isCoverage('08:00-20:00'), { timeout: UI_MS });
			const evening = page.waitForResponse(isCoverage('18:00-02:00'), { timeout: UI_MS });
			/* asked for before the click: the request may go out before click() returns */
			const dayAsked = page.waitForRequest((q) => asksCoverage(q, '08:00-20:00'), { timeout: UI_MS });
			await page.click('#plan-presets [data-preset="day"]');
			const dayRequest = await dayAsked;
			const dayDone = page.waitForEvent('requestfinished', { predicate: (r) => r === dayRequest, timeout: UI_MS });
			await page.click('#plan-presets [data-preset="evening"]');
			await evening;
			await day;
			/* the late answer is in, and the page had frames to act on it */
			await dayDone;
			await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
			assert.equal(delayed, 1);
			assert.equal(await page.getAttribute('#cov-body', 'data-shift'), '18:00-02:00 fri');
			await page.unroute('**/api/coverage?*');
		});

		await t.test('a joint patrol drawn over the gap turns it joint', async () => {
			const spot = await page.locator(`path.hotspot-${rank}`).boundingBox();
			assert.ok(spot, `hotspot ${rank} is drawn`);
			const m = 14;
			const corners = [[spot.x - m, spot.y - m], [spot.x + spot.width + m, spot.y - m], [spot.x + spot.width + m, spot.y + spot.height + m], [spot.x - m, spot.y + spot.height + m], [spot.x - m, spot.y - m]];
			await drawPolygon(page, corners, UI_MS);
			await fillZone(page, NAME, [['ppx', 'PPX-BT'], ['youth', 'YOSH-BT']]);
			const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/zones' && r.request().method() === 'POST', { timeout: UI_MS });
			const after = page.waitForResponse(isCoverage('18:00-02:00'), { timeout: UI_MS });
			await page.click('#zone-save');
			const overlap = page.locator('#overlap-dialog');
			await Promise.race([created, overlap.waitFor({ state: 'visible', timeout: UI_MS })]);
			if (await overlap.isVisible()) await page.click('#overlap-save');
			assert.equal((await created).status(), 201);
			zoneId = (await (await created).json()).properties.id;
			const answer = await (await after).json();
			await page.waitForFunction((r) => document.querySelector(`#cov-hotspots tr[data-rank="${r}"]`)?.dataset.status === 'joint', rank, { timeout: UI_MS });
			assert.equal(answer.hotspots.find((h) => h.rank === rank).status, 'joint');
			assert.ok((await count('gaps')) < gaps, 'fewer gaps');
			assert.equal(await count('gaps'), answer.gaps);
			assert.match(await page.textContent(`#cov-hotspots tr[data-rank="${rank}"]`), /Patrol-post service \(PPX-BT\)/);
			assert.match(await page.textContent(`#cov-hotspots tr[data-rank="${rank}"]`), /YOSH-BT/);
			assert.ok(await page.locator('#cov-services tr.cov-unit[data-unit="YOSH-BT"]').count(), 'the new unit has its shares');
			await page.waitForFunction(([r, c]) => document.querySelector(`path.hotspot-${r}`)?.getAttribute('stroke') === c, [rank, await statusColour('joint')], { timeout: UI_MS });
		});

		await t.test('the CSV link saves the coverage as CSV', async () => {
			const csv = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/coverage' && (r.request().headers().accept || '').includes('text/csv'), { timeout: UI_MS });
			const download = page.waitForEvent('download', { timeout: UI_MS });
			await page.click('#cov-csv');
			const res = await csv;
			assert.equal(res.status(), 200);
			assert.match(res.headers()['content-type'], /^text\/csv/);
			const d = await download;
			assert.equal(d.suggestedFilename(), 'coverage-1800-0200-fri.csv');
			const lines = readFileSync(await d.path(), 'utf8').trim().split(/\r?\n/);
			assert.equal(lines[0], 'rank,status,offences,area_m2,zone,service,unit');
			const mine = lines.filter((l) => l.startsWith(`${rank},joint,`));
			assert.deepEqual(mine.map((l) => l.split(',').slice(4).join(',')).sort(), [`${zoneId},ppx,PPX-BT`, `${zoneId},youth,YOSH-BT`]);
		});

		await t.test('the dosage view lists the hotspots of the last shift with tracks', async () => {
			const units = await get('api/units');
			const last = Math.max(...units.features.map((f) => Date.parse(f.properties.time)));
			/* the last evening shift (18:00-02:00) over by then: 26 hours after its day began */
			const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tashkent' }).format(new Date(last - 26 * 3600e3));
			const dosage = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/dosage', { timeout: UI_MS });
			await page.click('#dose-on');
			const res = await dosage;
			assert.equal(res.status(), 200);
			const u = new URL(res.url());
			assert.equal(u.searchParams.get('date'), day);
			assert.equal(u.searchParams.get('shift'), '18:00-02:00');
			assert.equal(u.searchParams.get('target'), '15');
			const fc = await res.json();
			assert.ok(fc.features.length > 0, 'hotspots listed');
			assert.ok(fc.tracks > 0, 'tracks that day');
			await page.waitForFunction((n) => document.querySelectorAll('#dose-rows tr').length === n, fc.features.length, { timeout: UI_MS });
			assert.equal(await page.$eval('#dose-date', (x) => x.value), day);
			const order = ['unvisited', 'short', 'met'];
			const statuses = await page.$$eval('#dose-rows tr', (rows) => rows.map((r) => r.dataset.status));
			assert.deepEqual(statuses, fc.features.map((f) => f.properties.status));
			statuses.forEach((s, i) => assert.ok(i === 0 || order.indexOf(statuses[i - 1]) <= order.indexOf(s), 'least dosed first'));
			assert.equal(await page.locator('path.dosage-shape').count(), fc.features.length);
			assert.equal(await page.locator('.leaflet-hotspots-pane').isVisible(), false, 'the plain hotspots step aside');
			/* a target of 1 minute: the same request, the target changed */
			const again = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/dosage' && new URL(r.url()).searchParams.get('target') === '1', { timeout: UI_MS });
			await page.fill('#dose-target', '1');
			await page.press('#dose-target', 'Enter');
			assert.equal((await again).status(), 200);
			await page.click('#dose-on');
			assert.equal(await page.locator('path.dosage-shape').count(), 0);
		});

		await t.test('a unit posting its position appears on the map', async () => {
			const loaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/units', { timeout: UI_MS });
			await page.click('#units-on');
			assert.equal((await loaded).status(), 200);
			await page.waitForFunction(() => document.querySelectorAll('.unit-marker').length > 0, null, { timeout: UI_MS });
			const meta = await get('api/meta');
			const [w, s, e, n] = meta.district.bounds;
			const res = await fetch(new URL('api/tracks', BASE), {
				method: 'POST',
				headers: { Authorization: `Bearer ${OFFICER}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ unit: UNIT, service: 'ppx', fixes: [{ lon: (w + e) / 2, lat: (s + n) / 2, time: new Date().toISOString() }] }),
			});
			assert.equal(res.status, 201);
			const sel = `.unit-marker[data-unit="${UNIT}"]`;
			/* (the marker is a point at the unit's place; its label has a size) */
			await page.waitForSelector(`${sel} .unit-body`, { timeout: LIVE_MS });
			assert.match(await page.textContent(sel), new RegExp(`${UNIT}\\s*just now`));
			assert.equal(await page.getAttribute(sel, 'class').then((c) => c.includes('stale')), false);
		});

		await t.test('undo gives the gap back', async () => {
			const back = page.waitForResponse(isCoverage('18:00-02:00'), { timeout: UI_MS });
			await page.click('#plan-undo');
			const answer = await (await back).json();
			assert.equal(answer.gaps, gaps);
			await page.waitForFunction((r) => document.querySelector(`#cov-hotspots tr[data-rank="${r}"]`)?.dataset.status === 'gap', rank, { timeout: UI_MS });
			assert.equal(await count('gaps'), gaps);
		});

		await t.test('a mahalla\'s print link answers a PDF', async () => {
			const box = await page.locator('#map').boundingBox();
			await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
			await page.waitForFunction(() => document.querySelector('#card .print-link'), null, { timeout: UI_MS });
			const code = await page.getAttribute('#card', 'data-code');
			const link = page.locator('#card .print-link');
			assert.equal(await link.textContent(), 'Print map (PDF)');
			assert.equal(await link.getAttribute('target'), '_blank');
			const href = new URL(await link.getAttribute('href'), page.url());
			assert.equal(href.pathname, `/print/mahalla/${code}.pdf`);
			assert.equal(href.searchParams.get('lang'), 'en');
			assert.ok(href.searchParams.get('from') && href.searchParams.get('to'), 'the period');
			assert.equal(href.searchParams.get('hours'), '18-02', 'the shift');
			assert.match(href.searchParams.get('layers'), /heatmap/);
			assert.match(href.searchParams.get('layers'), /^base,/, 'the ground under the layers on paper too');
			const res = await page.request.get(href.href);
			assert.equal(res.status(), 200);
			assert.equal(res.headers()['content-type'], 'application/pdf');
			assert.equal((await res.body()).subarray(0, 5).toString('latin1'), '%PDF-');
			const district = new URL(await page.getAttribute('#print-district', 'href'), page.url());
			assert.equal(district.pathname, `/print/district/${(await get('api/meta')).district.code}.pdf`);
		});

		await t.test('the new texts follow the language', async () => {
			await page.click('.panel-head [data-lang="uz"]');
			assert.match(await page.textContent('#cov'), /Qamrov/);
			assert.match(await page.textContent('#cov'), /[o]\u02bb/);
			assert.match(await page.textContent(`.unit-marker[data-unit="${UNIT}"]`), /hozirgina/);
			await page.click('.panel-head [data-lang="ru"]');
			assert.match(await page.textContent('#cov'), /Охват/);
			assert.match(await page.textContent('#card .print-link'), /Печать карты/);
		});

		await t.test('no script failed', () => {
			assert.deepEqual(pageErrors, []);
			assert.deepEqual(refused, [], 'the Content-Security-Policy refused nothing');
		});
	} finally {
		await close();
	}
});
