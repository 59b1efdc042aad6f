// The viewer's planning mode in Debian's Chromium, driven by playwright-core,
// against a running daemon: a planner picks Friday 18:00-02:00, draws a zone
// with Geoman's polygon tool (mouse clicks on the map), gives it a joint
// patrol of two services in the form, saves it (the server's 422 for a
// missing name shows next to the name first), meets the overlap warning when
// a zone of another service is drawn over it, sees it hidden in a shift
// where it is not on duty, and undoes its creation. The browser runs in an
// English (US) locale, where its own date and time inputs would write
// 12/08/2026 and 06:00 PM: every date and time field must read dd.mm.yyyy
// and 24-hour HH:MM in uz, ru and en, and a date that does not exist is
// refused in the field, without a request.
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

/* Every date field and every time field of the viewer. */
const DATE_FIELDS = ['#date-from', '#date-to', '#cov-date', '#dose-date', '#sug-valid-from', '#zone-valid-from', '#zone-valid-to'];
const TIME_FIELDS = ['#plan-start', '#plan-end', '#zone-rows .as-start', '#zone-rows .as-end'];

/* In the page: [selector, input type, the text it shows] of each field of
 * sels (the text of the input itself, not the value the code reads). */
function fieldTexts(sels) {
	const text = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').get;
	return sels.flatMap((s) => [...document.querySelectorAll(s)].map((x) => [s, x.type, text.call(x)]));
}

test('planner', { skip: (!BASE || !TOKEN) && 'POSBON_URL or POSBON_PLANNER_TOKEN is not set', timeout: 300000 }, async (t) => {
	const { page, refused, close } = await launch({ locale: 'en-US' });
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

		await t.test('dates read dd.mm.yyyy and times 24-hour HH:MM in every language, in an English browser', async () => {
			assert.equal(await page.evaluate(() => navigator.language), 'en-US');
			await page.click('#dose-on');
			await page.waitForFunction(() => document.querySelector('#dose-date').value, null, { timeout: UI_MS });
			await page.fill('#cov-date', '07.12.2026');
			/* a zone's form, with its validity and its assignment's times */
			await drawSquare(box.x + box.width * 0.3, box.y + box.height * 0.3, 30);
			await page.fill('#zone-valid-to', '31.12.2026');
			const check = async (sels) => {
				for (const l of ['uz', 'ru', 'en']) {
					await page.click(`.panel-head [data-lang="${l}"]`);
					const fields = await page.evaluate(fieldTexts, sels);
					assert.equal(fields.length, sels.length, `${l}: every field is there`);
					for (const [sel, type, text] of fields) {
						assert.equal(type, 'text', `${l} ${sel}: not the browser's own input, which writes in the browser's locale`);
						assert.match(text, DATE_FIELDS.includes(sel) ? /^\d{2}\.\d{2}\.\d{4}$/ : /^([01]\d|2[0-3]):[0-5]\d$/, `${l} ${sel}`);
						assert.doesNotMatch(text, /AM|PM/i, `${l} ${sel}`);
					}
				}
			};
			await check([...DATE_FIELDS.filter((s) => !s.startsWith('#date-')), ...TIME_FIELDS]);
			await page.click('.panel-head [data-lang="ru"]');
			assert.equal(await page.textContent('#zone-form-title'), 'Новая зона', 'the open form\'s title follows the language too');
			await page.click('.panel-head [data-lang="en"]');
			/* (the page's own world: Playwright's inputValue() reads the text) */
			assert.equal(await page.$eval('#zone-valid-to', (x) => x.value), '2026-12-31', 'the code reads ISO');
			/* the panel's own period, outside the planning mode */
			await page.click('#zone-cancel');
			await page.click('#plan-active');
			await page.click('#period label:has(input[value="custom"])');
			await check(['#date-from', '#date-to']);
			assert.equal(await page.locator('input[type="date"], input[type="time"]').count(), 0);
		});

		await t.test('a date that does not exist is refused in the field, and nothing is asked with it', async () => {
			const sent = [];
			page.on('request', (r) => {
				const u = new URL(r.url());
				if (u.pathname.startsWith('/api/') || u.pathname.startsWith('/tiles/')) sent.push(`${r.method()} ${u.pathname}${u.search}`);
			});
			await page.fill('#date-from', '31.02.2026');
			await page.press('#date-from', 'Tab');
			assert.equal(await page.getAttribute('#date-from', 'aria-invalid'), 'true');
			const message = page.locator('#date-from-error');
			assert.equal(await message.textContent(), 'No such date: write it as dd.mm.yyyy');
			await page.click('.panel-head [data-lang="ru"]');
			assert.equal(await message.textContent(), 'Такой даты нет: введите в виде дд.мм.гггг');
			await page.click('.panel-head [data-lang="en"]');
			/* a good date is asked for at once; nothing was before it */
			const good = page.waitForRequest((r) => new URL(r.url()).searchParams.get('from') === '2026-02-01', { timeout: UI_MS });
			await page.fill('#date-from', '01.02.2026');
			await good;
			assert.equal(await message.count(), 0, 'the message goes with the mistake');
			assert.equal(await page.getAttribute('#date-from', 'aria-invalid'), null);
			/* (the language's switches ask for the names' tiles, with no period) */
			const first = sent.findIndex((u) => u.includes('from=2026-02-01'));
			assert.deepEqual(sent.slice(0, first).filter((u) => u.includes('from=')), [], 'no request for a period between the bad date and the good one');
			assert.ok(!sent.some((u) => u.includes('2026-02-31')), 'never a request with the bad date');

			/* a zone's form is not sent with one */
			await page.click('#plan-active');
			await drawSquare(box.x + box.width * 0.3, box.y + box.height * 0.3, 30);
			await page.fill('#zone-name', 'Bad date');
			await page.fill('#zone-valid-to', '31.02.2026');
			sent.length = 0;
			await page.click('#zone-save');
			await page.evaluate(() => fetch('api/me'));
			assert.deepEqual(sent.filter((u) => u.startsWith('POST') || u.startsWith('PUT')), [], 'no zone sent');
			assert.equal(await page.textContent('#zone-valid-to-error'), 'No such date: write it as dd.mm.yyyy');
			assert.equal(await page.evaluate(() => document.activeElement.id), 'zone-valid-to', 'the field to mend has the focus');
			await page.click('#zone-cancel');
			assert.ok(!(await zones()).some((f) => f.properties.name === 'Bad date'), 'nothing saved');
		});

		await t.test('no script failed', () => {
			assert.deepEqual(pageErrors, []);
			assert.deepEqual(refused, [], 'the Content-Security-Policy refused nothing');
		});
	} finally {
		await close();
	}
});
