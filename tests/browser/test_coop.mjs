// Tasks between services and the prevention log in Debian's Chromium,
// driven by playwright-core, against a running daemon, as four users in
// contexts of their own at once: the criminal investigation's desk opens a
// mahalla's card and sends its prevention inspector and the youth unit a
// task due Friday (the server's refusal of an empty text shown next to the
// text first); the inspector's viewer and the duty officer's show the new
// task without a reload; the inspector accepts it, records a residents'
// meeting with 40 participants and reports it done; the youth unit's first
// answer meets a version someone else moved on (412: the viewer reloads the
// task and says so), then it accepts, records a walk from the task and one
// at a point of the map (right-click) and reports done; the desk hears each
// answer and sees the task done; the activities are on the map's overlay,
// in its legend and in the mahalla's timeline. Then the new texts in uz, ru
// and en at 1280x720: none empty, none overflowing, with screenshots.
//
//   POSBON_URL=http://127.0.0.1:PORT/ POSBON_TOKEN=duty POSBON_CID_TOKEN=... \
//   POSBON_INSPECTOR_TOKEN=... POSBON_YOUTH_TOKEN=... node --test tests/browser/test_coop.mjs
//
// tests/integration/test_browser.sh sets these up: the inspector's token
// speaks for prevention/INSP-M03, the youth unit's for youth, the desk's
// for jqb/CID-1, the duty officer's for no service. POSBON_SHOTS (a
// folder, default the system's temporary one) keeps the screenshots.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { apiAs, insidePoint, launchUsers, login, screenOf, textFaults, usersEnv } from './chromium.mjs';

const { base: BASE, tokens: TOKENS, shots: SHOTS, skip } = usersEnv({ cid: 'POSBON_CID_TOKEN', inspector: 'POSBON_INSPECTOR_TOKEN', youth: 'POSBON_YOUTH_TOKEN', duty: 'POSBON_TOKEN' });
const UI_MS = 30000;
const MAHALLA = 'M03';
const TEXT = 'Night burglaries around the bazaar: hold a residents meeting on locks and lighting; walk the streets after dark';

const api = (token, path, init) => apiAs(BASE, token, path, init);

/* The next Friday in Tashkent (today if it is one), YYYY-MM-DD. */
function friday() {
	const today = new Date(new Date().toLocaleString('en-US', { timeZone: 'Asia/Tashkent' }));
	today.setDate(today.getDate() + ((5 - today.getDay() + 7) % 7));
	const p = (n) => String(n).padStart(2, '0');
	return `${today.getFullYear()}-${p(today.getMonth() + 1)}-${p(today.getDate())}`;
}


test('tasks between services and the prevention log', { skip, timeout: 600000 }, async (t) => {
	const users = await launchUsers();
	const pageErrors = [];
	const pages = {};
	let taskId = null;
	const task = (page) => page.locator(`#task-list .task[data-id="${taskId}"]`);
	const own = (page) => task(page).locator('.task-rcv.own');
	const patched = (page) => page.waitForResponse((r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === `/api/tasks/${taskId}`, { timeout: UI_MS });
	const posted = (page, path) => page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path, { timeout: UI_MS });
	let ring;
	const logged = {}; /* kind -> ids of the activities posted */
	/* Records an activity in the form open on page: kind, participants, outcome. */
	const fillActivity = async (page, kind, participants, outcome) => {
		const form = page.locator('#activity-form');
		await form.waitFor({ state: 'visible', timeout: UI_MS });
		assert.equal(await form.locator('[data-field="person"], [data-field="address"], [data-field="name"]').count(), 0, 'no field for a name or an address');
		await form.locator('[data-field="kind"]').selectOption(kind);
		await form.locator('[data-field="participants"]').fill(String(participants));
		await form.locator('[data-field="outcome"]').fill(outcome);
		const sent = posted(page, '/api/activities');
		await form.locator('button[type="submit"]').click();
		const res = await sent;
		assert.equal(res.status(), 201);
		await form.waitFor({ state: 'detached', timeout: UI_MS });
		const body = res.request().postDataJSON();
		logged[kind] = [...(logged[kind] || []), body.id];
		return body;
	};
	/* Reports the user's row of the task done with outcome. */
	const reportDone = async (page, outcome) => {
		await own(page).locator('[data-to="done"]').click();
		await own(page).locator('textarea[data-field="outcome"]').fill(outcome);
		const done = patched(page);
		await own(page).locator('.task-note-form button[type="submit"]').click();
		assert.equal((await done).status(), 200);
		await page.waitForSelector(`#task-list .task[data-id="${taskId}"] .task-rcv.own[data-status="done"]`, { timeout: UI_MS });
	};

	try {
		await t.test('four users log in, each in a context of their own', async () => {
			for (const [who, viewport] of [['cid', null], ['inspector', { width: 1280, height: 720 }], ['youth', null], ['duty', null]]) {
				const page = await users.page(viewport || undefined);
				page.on('pageerror', (e) => pageErrors.push(`${who}: ${e}`));
				await login(page, BASE, TOKENS[who], UI_MS);
				await page.locator('#tasks-block').waitFor({ state: 'visible', timeout: UI_MS });
				pages[who] = page;
			}
			/* a page that reloads loses this mark */
			for (const page of Object.values(pages)) await page.evaluate(() => (window.posbonNoReload = true));
			assert.equal(await pages.cid.locator('#task-mine').count(), 1, 'a user of a service may keep to its tasks');
			assert.equal(await pages.duty.locator('#task-mine').count(), 0, 'the duty officer speaks for no service');
		});

		await t.test('the desk opens the mahalla\'s card and sends a task; a refusal names its field', async () => {
			const page = pages.cid;
			const fc = (await api(TOKENS.cid, 'api/mahallas')).body;
			const m = fc.features.find((f) => f.properties.code === MAHALLA);
			ring = m.geometry.type === 'Polygon' ? m.geometry.coordinates[0] : m.geometry.coordinates[0][0];
			const [lon, lat] = insidePoint(ring);
			await page.waitForFunction(() => document.querySelector('.tiles-districts img.leaflet-tile-loaded'), null, { timeout: UI_MS });
			const at = await screenOf(page, lon, lat);
			await page.mouse.click(at.x, at.y);
			await page.waitForSelector(`#card[data-code="${MAHALLA}"] #card-task`, { timeout: UI_MS });
			await page.click('#card-task');
			const form = page.locator('#task-form');
			await form.waitFor({ state: 'visible', timeout: UI_MS });
			assert.equal(await form.locator('[data-field="place"]').inputValue(), `m:${MAHALLA}`, 'the card\'s mahalla is the place');
			const row = (service) => form.locator('.task-to-row').filter({ has: page.locator(`input[value="${service}"]`) });
			await row('prevention').locator('input[type="checkbox"]').check();
			await row('prevention').locator('.task-unit').fill('INSP-M03');
			await row('youth').locator('input[type="checkbox"]').check();
			await form.locator('[data-field="due"]').fill(friday());
			await form.locator('[data-field="priority"]').selectOption('high');
			/* no text: the server's 422 names it, shown next to it */
			let sent = posted(page, '/api/tasks');
			await form.locator('button[type="submit"]').click();
			assert.equal((await sent).status(), 422);
			const err = form.locator('[data-error-for="text"]');
			await err.waitFor({ timeout: UI_MS });
			assert.match(await err.textContent(), /text/);
			await form.locator('[data-field="text"]').fill(TEXT);
			sent = posted(page, '/api/tasks');
			await form.locator('button[type="submit"]').click();
			const res = await sent;
			assert.equal(res.status(), 201);
			const stored = (await res.json()).properties;
			taskId = stored.id;
			assert.deepEqual([stored.from.service, stored.from.unit, stored.mahalla, stored.due, stored.priority],
				['jqb', 'CID-1', MAHALLA, friday(), 'high']);
			assert.deepEqual(stored.to.map((r) => [r.service, r.unit, r.status]), [['prevention', 'INSP-M03', 'new'], ['youth', null, 'new']]);
			await form.waitFor({ state: 'detached', timeout: UI_MS });
			await task(page).waitFor({ timeout: UI_MS });
			assert.match(await task(page).locator('.task-due').textContent(), new RegExp(friday().split('-').reverse().join('\\.')));
			assert.equal(await task(page).locator('.task-rcv.own').count(), 0, 'the desk is no receiver');
		});

		await t.test('the inspector and the duty officer see it at once, without a reload', async () => {
			for (const who of ['inspector', 'duty', 'youth']) {
				const page = pages[who];
				await page.locator('.coop-notice.task-new', { hasText: 'Night burglaries' }).waitFor({ timeout: UI_MS });
				await task(page).waitFor({ timeout: UI_MS });
				assert.equal(await page.evaluate(() => window.posbonNoReload), true, `${who}'s page was not reloaded`);
			}
			assert.match(await pages.inspector.locator('.coop-notice.task-new').first().textContent(), /Criminal investigation · CID-1/);
			assert.equal(await own(pages.duty).count(), 0, 'the duty officer answers for no service');
			assert.equal(await pages.cid.locator('.coop-notice.task-new').count(), 0, 'the asker is not told of its own task');
		});

		await t.test('the inspector accepts, records a residents\' meeting of 40 and reports it done', async () => {
			const page = pages.inspector;
			const accepted = patched(page);
			await own(page).locator('[data-to="accepted"]').click();
			const res = await accepted;
			assert.equal(res.status(), 200);
			assert.equal(res.request().headers()['if-match'], '"1"');
			await page.waitForSelector(`#task-list .task[data-id="${taskId}"] .task-rcv.own[data-status="accepted"]`, { timeout: UI_MS });
			await own(page).locator('.task-record').click();
			assert.equal(await page.inputValue('#activity-form [data-field="task"]'), taskId, 'linked to the task');
			assert.equal(await page.inputValue('#activity-form [data-field="place"]'), `m:${MAHALLA}`, 'in its mahalla');
			const body = await fillActivity(page, 'residents_meeting', 40, 'Locks and lighting discussed with the residents');
			assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'an id made in the page');
			assert.deepEqual(Object.keys(body).sort(), ['id', 'kind', 'outcome', 'participants', 'place', 'start', 'task']);
			assert.equal(body.participants, 40);
			await reportDone(page, 'Residents meeting held, 40 residents');
		});

		await t.test('the youth unit meets a task moved on meanwhile, then accepts, walks twice and reports done', async () => {
			const page = pages.youth;
			await own(page).waitFor({ timeout: UI_MS });
			/* Someone changes the task between the page's look and its answer. */
			let first = true;
			await page.route(`**/api/tasks/${taskId}`, async (route) => {
				if (first && route.request().method() === 'PATCH') {
					first = false;
					assert.equal((await api(TOKENS.cid, `api/tasks/${taskId}`, { method: 'PATCH', body: JSON.stringify({ comment: 'Thanks; we watch the figures' }) })).status, 200);
				}
				await route.continue();
			});
			let answer = patched(page);
			await own(page).locator('[data-to="accepted"]').click();
			assert.equal((await answer).status(), 412);
			await task(page).locator('.task-msg[data-msg="tasks.changed"]').waitFor({ timeout: UI_MS });
			assert.match(await task(page).locator('.task-msg').textContent(), /Someone changed this task/);
			answer = patched(page);
			await own(page).locator('[data-to="accepted"]').click();
			assert.equal((await answer).status(), 200);
			await page.waitForSelector(`#task-list .task[data-id="${taskId}"] .task-rcv.own[data-status="accepted"]`, { timeout: UI_MS });
			await own(page).locator('.task-record').click();
			await fillActivity(page, 'patrol', 3, 'First evening walk with the patrol-post unit');
			/* the second walk at a point of the map */
			const [lon, lat] = insidePoint(ring);
			const at = await screenOf(page, lon, lat);
			await page.mouse.click(at.x, at.y, { button: 'right' });
			await page.locator('.coop-menu [data-action="activities.record_here"]').click();
			assert.equal(await page.inputValue('#activity-form [data-field="place"]'), 'at', 'the point clicked is the place');
			await page.selectOption('#activity-form [data-field="task"]', taskId);
			const walk = await fillActivity(page, 'patrol', 3, 'Second evening walk');
			assert.equal(walk.place.kind, 'point');
			await reportDone(page, 'Two evening walks with the patrol-post unit');
		});

		await t.test('the desk hears every answer and sees the task done', async () => {
			const page = pages.cid;
			for (const text of ['Prevention inspectors: accepted', 'Prevention inspectors: done', 'Juvenile and youth unit: done'])
				await page.locator('.coop-notice.task-update', { hasText: text }).first().waitFor({ timeout: UI_MS });
			await page.selectOption('#task-status', 'all');
			await page.waitForSelector(`#task-list .task[data-id="${taskId}"][data-status="done"]`, { timeout: UI_MS });
			const notes = await task(page).locator('.task-note').allTextContents();
			assert.deepEqual(notes, ['Residents meeting held, 40 residents', 'Two evening walks with the patrol-post unit']);
		});

		await t.test('the activities are on the map, in the legend and in the mahalla\'s timeline', async () => {
			const page = pages.cid;
			await page.check('#activities-on');
			for (const [kind, ids] of Object.entries(logged))
				for (const id of ids) await page.locator(`.act-marker[data-kind="${kind}"][data-id="${id}"]`).waitFor({ timeout: UI_MS });
			const legend = page.locator('#legend .lg-block[data-layer="activities"]');
			await legend.waitFor({ timeout: UI_MS });
			const kinds = await legend.locator('li').evaluateAll((xs) => xs.map((x) => x.dataset.kind));
			assert.deepEqual(kinds, ['patrol', 'residents_meeting', 'youth_meeting', 'home_visit', 'venue_inspection', 'raid', 'awareness', 'other']);
			assert.ok(Number(await legend.locator('li[data-kind="patrol"] .lg-count').textContent()) >= 2, 'the walks counted');
			await page.check('#tasks-on');
			await page.locator(`.task-marker`).first().waitFor({ timeout: UI_MS });
			assert.equal(await page.locator(`#legend .lg-block[data-layer="tasks"] li`).count(), 6, 'five statuses and overdue');
			/* a live change reaches the timeline without a reload: the card is open */
			const timeline = page.locator(`#card[data-code="${MAHALLA}"] .act-timeline`);
			for (const id of Object.values(logged).flat()) await timeline.locator(`.act[data-id="${id}"]`).waitFor({ timeout: UI_MS });
			const meeting = timeline.locator(`.act[data-id="${logged.residents_meeting[0]}"]`);
			assert.match(await meeting.textContent(), /40 participants/);
			assert.match(await meeting.textContent(), /Locks and lighting/);
			assert.match(await meeting.locator('.act-task').textContent(), /Night burglaries/);
			assert.match(await timeline.locator(`.act[data-id="${logged.patrol[1]}"]`).textContent(), /Point 41\.\d{5}, 69\.\d{5}/, 'the walk at its point');
			await page.screenshot({ path: join(SHOTS, 'coop-desk-en-1920.png') });
		});

		await t.test('the texts in uz, ru and en: none empty, nothing overflows at 1280x720', async () => {
			const page = pages.inspector;
			const faults = [];
			const check = async (what, roots, shot) => {
				faults.push(...(await page.evaluate(textFaults, roots)).map((f) => `${what}: ${f}`));
				await page.screenshot({ path: join(SHOTS, `coop-${shot}-1280.png`) });
			};
			while (await page.locator('.coop-notice').count()) await page.locator('.coop-notice .close').first().click();
			const [lon, lat] = insidePoint(ring);
			const at = await screenOf(page, lon, lat);
			await page.mouse.click(at.x, at.y);
			await page.locator(`#card[data-code="${MAHALLA}"] .act-timeline .act`).first().waitFor({ timeout: UI_MS });
			await page.selectOption('#task-status', 'all');
			await page.waitForSelector(`#task-list .task[data-id="${taskId}"][data-status="done"]`, { timeout: UI_MS });
			await page.check('#activities-on');
			await page.check('#tasks-on');
			await page.evaluate(() => document.querySelector('#tasks-block').scrollIntoView());
			for (const lang of ['uz', 'ru', 'en']) {
				await page.click(`.panel-head [data-lang="${lang}"]`);
				await page.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: UI_MS });
				await check(`${lang} card`, ['#tasks-block', '#card', '#legend'], `card-${lang}`);
				await page.click('#task-new');
				await page.locator('#task-form').waitFor({ timeout: UI_MS });
				await check(`${lang} task form`, ['#task-form'], `task-form-${lang}`);
				await page.click('#task-form .btn-quiet');
				await page.click('#card-activity');
				await page.locator('#activity-form').waitFor({ timeout: UI_MS });
				await check(`${lang} activity form`, ['#activity-form'], `activity-form-${lang}`);
				await page.click('#activity-form .btn-quiet');
			}
			t.diagnostic(`screenshots in ${SHOTS}/coop-*.png`);
			assert.deepEqual(faults, []);
		});

		await t.test('no page error, nothing refused by the Content-Security-Policy', () => {
			assert.deepEqual(pageErrors, []);
			assert.deepEqual(users.refused, []);
		});
	} finally {
		await users.close();
	}
});
