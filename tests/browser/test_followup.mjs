// Following work up in Debian's Chromium, driven by playwright-core,
// against a running daemon: the criminal investigation's desk opens a
// mahalla's card and sees its standing (the category's colour and reasons,
// the period, the named officials and the at-risk counts, which a viewer's
// token sees suppressed below the threshold), then "Did it help?" from an
// activity of the mahalla's timeline: the chart's weekly bars, the counts
// before and after, the activity's mark and the estimate in words are the
// API's. The Standing layer colours every mahalla and its legend has an
// entry per category with the API's counts. On a task it asked, the desk
// comments, edits what was asked and sees both in the task's log; an edit
// overtaken by someone else's change says so and reloads. The chart, the
// card and the layer in uz, ru and en at 1280x720 with screenshots, nothing
// overflowing; the chart at 390 px stays inside the window and closes.
//
//   POSBON_URL=http://127.0.0.1:PORT/ POSBON_CID_TOKEN=... POSBON_INSPECTOR_TOKEN=... \
//   POSBON_PLANNER_TOKEN=... POSBON_VIEWER_TOKEN=... node --test tests/browser/test_followup.mjs
//
// tests/integration/test_browser.sh sets these up (test_coop.mjs tells
// what each token speaks for; the viewer's is a wall screen's).
// POSBON_SHOTS (a folder, default the system's temporary one) keeps the
// screenshots.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { apiAs, insidePoint, launchUsers, login, screenOf, textFaults, usersEnv } from './chromium.mjs';

const { base: BASE, tokens: TOKENS, shots: SHOTS, skip } = usersEnv({ cid: 'POSBON_CID_TOKEN', inspector: 'POSBON_INSPECTOR_TOKEN', planner: 'POSBON_PLANNER_TOKEN', viewer: 'POSBON_VIEWER_TOKEN' });
const UI_MS = 30000;
const DAY_MS = 86400000;
const RUN = Date.now().toString(36); /* ids of this run: the test may run again on one database */

const api = (token, path, init) => apiAs(BASE, token, path, init);

/* A local day in Tashkent days ago, YYYY-MM-DD. */
function daysAgo(days) {
	const d = new Date(new Date(Date.now() - days * DAY_MS).toLocaleString('en-US', { timeZone: 'Asia/Tashkent' }));
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/* A number as the English viewer writes it. */
const en = (x, digits = 0) => new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);


test('did it help, the mahalla\'s standing, a task\'s log and edits', { skip, timeout: 600000 }, async (t) => {
	const users = await launchUsers();
	const pageErrors = [];
	let page;
	let mahalla, row; /* the mahalla looked at, and its standing as the API answers it */
	let ring;
	const activity = `followup-${RUN}`;
	const taskId = `followup-task-${RUN}`;
	const openCard = async (p) => {
		await p.waitForFunction(() => document.querySelector('.tiles-districts img.leaflet-tile-loaded'), null, { timeout: UI_MS });
		const at = await screenOf(p, ...insidePoint(ring));
		await p.mouse.click(at.x, at.y);
		await p.locator(`#card[data-code="${mahalla}"] .standing .standing-badge`).waitFor({ timeout: UI_MS });
	};
	const setLang = async (p, lang) => {
		await p.click(`.panel-head [data-lang="${lang}"]`);
		await p.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: UI_MS });
	};

	try {
		await t.test('a mahalla with a standing, officials, at-risk counts, an activity and a task', async () => {
			/* the first mahalla a reason made other than green, else the first */
			const all = (await api(TOKENS.cid, 'api/standing')).body.mahallas;
			mahalla = (all.find((m) => m.reasons) || all[0]).mahalla;
			assert.equal((await api(TOKENS.planner, `api/standing/${mahalla}/officials`, { method: 'PUT', body: JSON.stringify([{ role: 'Prevention inspector', name: 'Inspector of the mahalla', phone: '+998 71 200 00 00' }, { role: 'Mahalla chair', name: 'Chair of the mahalla' }]) })).status, 200);
			for (const [group, count] of [['probation', 12], ['youth_at_risk', 3]])
				assert.equal((await api(TOKENS.inspector, `api/standing/${mahalla}/risk`, { method: 'PUT', body: JSON.stringify({ group, count }) })).status, 200);
			assert.equal((await api(TOKENS.planner, 'api/standing', { method: 'POST' })).status, 200);
			row = (await api(TOKENS.cid, `api/standing?mahalla=${mahalla}`)).body.mahallas[0];
			assert.ok(row.since, 'its period recorded');
			const posted = await api(TOKENS.inspector, 'api/activities', { method: 'POST', body: JSON.stringify({ id: activity, kind: 'residents_meeting', start: `${daysAgo(28)}T18:00`, place: { kind: 'mahalla', code: mahalla }, participants: 25 }) });
			assert.equal(posted.status, 201);
			const task = await api(TOKENS.cid, 'api/tasks', { method: 'POST', body: JSON.stringify({ id: taskId, text: 'Walk the streets after dark', place: { kind: 'mahalla', code: mahalla }, to: [{ service: 'prevention' }], due: daysAgo(-7), priority: 'normal' }) });
			assert.equal(task.status, 201);
			const fc = (await api(TOKENS.cid, 'api/mahallas')).body;
			const m = fc.features.find((f) => f.properties.code === mahalla);
			ring = m.geometry.type === 'Polygon' ? m.geometry.coordinates[0] : m.geometry.coordinates[0][0];
		});

		await t.test('the card shows the standing: colour, reasons, period, officials, counts', async () => {
			page = await users.page({ width: 1280, height: 720 });
			page.on('pageerror', (e) => pageErrors.push(`${e}`));
			await login(page, BASE, TOKENS.cid, UI_MS);
			await openCard(page);
			const part = page.locator('#card .standing');
			assert.equal(await part.locator('.standing-badge').first().getAttribute('data-category'), row.category);
			const colour = await part.locator('.standing-badge').first().evaluate((e) => getComputedStyle(e).backgroundColor);
			assert.equal(colour, { green: 'rgb(46, 157, 74)', yellow: 'rgb(240, 180, 0)', red: 'rgb(217, 48, 37)' }[row.category]);
			const reasons = await part.locator('.standing-reasons').textContent();
			const names = { rate: 'Offences per 1,000 residents', change: 'Change against the period before', repeat_places: 'Repeat places', overdue_tasks: 'Overdue tasks' };
			if (row.reasons) for (const m of row.reasons.split(',')) assert.match(reasons, new RegExp(names[m]));
			else assert.match(reasons, /No measure reached its limit/);
			assert.equal(await part.locator('dd[data-measure="offences"]').textContent(), en(row.measures.offences));
			assert.match(await part.locator('.standing-since').textContent(), /^since \d\d\.\d\d\.\d{4}$/);
			assert.match(await part.locator('.standing-officials').textContent(), /Inspector of the mahalla.*\+998 71 200 00 00.*Chair of the mahalla/);
			assert.equal(await part.locator('.standing-risk li[data-group="youth_at_risk"] strong').textContent(), '3', 'a service sees the small count');
		});

		await t.test('a viewer\'s token sees the small count suppressed', async () => {
			const wall = await users.page({ width: 1280, height: 720 });
			wall.on('pageerror', (e) => pageErrors.push(`viewer: ${e}`));
			await login(wall, BASE, TOKENS.viewer, UI_MS);
			await openCard(wall);
			const risk = wall.locator('#card .standing-risk');
			await risk.waitFor({ timeout: UI_MS });
			assert.equal(await risk.locator('li[data-group="youth_at_risk"] .standing-suppressed').textContent(), 'suppressed');
			assert.equal(await risk.locator('li[data-group="probation"] strong').textContent(), '12');
			await wall.context().close();
		});

		await t.test('"Did it help?" from the activity: the chart\'s figures are the API\'s', async () => {
			const entry = page.locator(`#card .act-timeline .act[data-id="${activity}"]`);
			await entry.waitFor({ timeout: UI_MS });
			await entry.locator('.act-eval').click();
			const box = page.locator('#eval');
			await box.locator('.eval-table').waitFor({ timeout: UI_MS });
			const src = await box.getAttribute('data-src');
			assert.match(src, new RegExp(`activity=${activity}`));
			const d = (await api(TOKENS.cid, src)).body;
			assert.match(await box.locator('#eval-place').textContent(), /Residents’ meeting, \d\d\.\d\d\.\d{4}/);
			for (const k of ['area', 'control'])
				for (const half of ['before', 'after'])
					assert.equal(await box.locator(`[data-field="${k}.${half}"]`).textContent(), en(d[k][half]), `${k} ${half}`);
			for (const k of ['area', 'control']) {
				const bars = await box.locator(`.eval-bar.${k}`).evaluateAll((xs) => xs.map((x) => [x.dataset.week, Number(x.dataset.count)]));
				assert.deepEqual(bars, d.weekly.map((w) => [w.week, w[k]]), `the ${k}'s weekly bars`);
			}
			assert.ok(d.activities.some((a) => a.id === activity), 'the API lists the activity');
			assert.equal(await box.locator(`.eval-activity[data-id="${activity}"]`).count(), 1, 'and the chart marks it');
			assert.equal(Number(await box.locator(`.eval-activity[data-id="${activity}"]`).getAttribute('data-week')), d.weeks + Math.floor((Date.parse(d.activities.find((a) => a.id === activity).start) - Date.parse(d.at)) / (7 * DAY_MS)));
			const e = d.estimate;
			const verdict = e.ratio === null ? 'none' : e.low <= 1 && e.high >= 1 ? 'chance' : e.high < 1 ? 'fell' : 'rose';
			assert.equal(await box.locator('.eval-verdict').getAttribute('data-verdict'), verdict);
			if (verdict !== 'none') {
				const ratio = await box.locator('.eval-ratio').textContent();
				assert.ok(ratio.includes(`Rate ratio ${en(e.ratio, 2)} (95\u00a0% interval ${en(e.low, 2)}–${en(e.high, 2)}, p\u00a0=`), ratio);
				assert.match(await box.locator('.eval-verdict').textContent(), verdict === 'chance' ? /within chance: not significant/ : /significant/);
			}
			/* fewer weeks: asked again, drawn again */
			const again = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/evaluate' && new URL(r.url()).searchParams.get('weeks') === '4', { timeout: UI_MS });
			await box.locator('#eval-weeks').selectOption('4');
			await again;
			await page.waitForFunction(() => document.querySelectorAll('#eval .eval-bar.area').length === 8, null, { timeout: UI_MS });
			await box.locator('#eval-weeks').selectOption('8');
			await page.waitForFunction(() => document.querySelectorAll('#eval .eval-bar.area').length === 16, null, { timeout: UI_MS });
		});

		await t.test('the chart, the card and the Standing layer in uz, ru and en at 1280x720', async () => {
			const faults = [];
			const check = async (what, roots, shot) => {
				faults.push(...(await page.evaluate(textFaults, roots)).map((f) => `${what}: ${f}`));
				await page.screenshot({ path: join(SHOTS, `followup-${shot}-1280.png`) });
			};
			const src = await page.locator('#eval').getAttribute('data-src');
			const d = (await api(TOKENS.cid, src)).body;
			const comma = (x) => x.toFixed(2).replace('.', ',');
			for (const lang of ['uz', 'ru', 'en']) {
				await setLang(page, lang);
				await check(`${lang} chart`, ['#eval'], `chart-${lang}`);
				if (d.estimate.ratio !== null)
					assert.ok((await page.locator('#eval .eval-ratio').textContent()).includes(lang === 'en' ? d.estimate.ratio.toFixed(2) : comma(d.estimate.ratio)), `the ratio in ${lang}'s writing`);
			}
			await page.click('#eval .close');
			await page.locator('#eval').waitFor({ state: 'detached', timeout: UI_MS });
			for (const lang of ['uz', 'ru', 'en']) {
				await setLang(page, lang);
				await page.locator('#card .standing').evaluate((e) => e.scrollIntoView());
				await check(`${lang} card`, ['#card'], `card-${lang}`);
			}
			await page.click('#card-close');
			await page.check('#standing-on');
			const counts = { green: 0, yellow: 0, red: 0 };
			for (const m of (await api(TOKENS.cid, 'api/standing')).body.mahallas) counts[m.category]++;
			const legend = page.locator('#legend .lg-block[data-layer="standing"]');
			await legend.waitFor({ timeout: UI_MS });
			for (const lang of ['uz', 'ru', 'en']) {
				await setLang(page, lang);
				await check(`${lang} layer`, ['#legend'], `layer-${lang}`);
			}
			assert.deepEqual(await legend.locator('li').evaluateAll((xs) => xs.map((x) => x.dataset.category)), ['green', 'yellow', 'red']);
			for (const [c, n] of Object.entries(counts)) assert.equal(await legend.locator(`li[data-category="${c}"] .lg-count`).textContent(), en(n), c);
			assert.deepEqual(await legend.locator('li').allTextContents(), [`Green${counts.green}`, `Yellow${counts.yellow}`, `Red${counts.red}`]);
			assert.equal(await page.locator('path.standing-area').count(), Object.values(counts).reduce((a, b) => a + b, 0), 'every mahalla coloured');
			const fill = await page.locator(`path.standing-${mahalla}`).getAttribute('fill');
			assert.equal(fill, { green: '#2e9d4a', yellow: '#f0b400', red: '#d93025' }[row.category]);
			t.diagnostic(`screenshots in ${SHOTS}/followup-*.png`);
			assert.deepEqual(faults, []);
		});

		await t.test('the desk comments on its task, edits it and reads both in its log', async () => {
			await page.selectOption('#task-status', 'all');
			const item = page.locator(`#task-list .task[data-id="${taskId}"]`);
			await item.waitFor({ timeout: UI_MS });
			await item.locator('.task-more').click();
			const detail = item.locator('.task-detail');
			await detail.locator('.task-log-line[data-action="create"]').waitFor({ timeout: UI_MS });
			const patched = () => page.waitForResponse((r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === `/api/tasks/${taskId}`, { timeout: UI_MS });
			await detail.locator('textarea[data-field="comment"]').fill('The lighting on the main street is out too');
			let res = patched();
			await detail.locator('.task-comment button[type="submit"]').click();
			assert.equal((await res).status(), 200);
			await detail.locator('.task-log-line[data-action="comment"]', { hasText: 'The lighting on the main street is out too' }).waitFor({ timeout: UI_MS });
			await detail.locator('.task-edit-open').click();
			await detail.locator('.task-edit textarea[data-field="text"]').fill('Walk the streets after dark, twice a week');
			await detail.locator('.task-edit [data-field="priority"]').selectOption('high');
			await detail.locator('.task-edit .task-to-row input[value="youth"]').check();
			res = patched();
			await detail.locator('.task-edit button[type="submit"]').click();
			const edit = await res;
			assert.equal(edit.status(), 200);
			assert.equal(edit.request().headers()['if-match'], '"2"', 'the edit as of the version it was filled from');
			assert.deepEqual(edit.request().postDataJSON(), { text: 'Walk the streets after dark, twice a week', priority: 'high', to: [{ service: 'prevention' }, { service: 'youth' }] });
			await detail.locator('.task-log-line[data-action="edit"]').waitFor({ timeout: UI_MS });
			assert.match(await detail.locator('.task-log-line[data-action="edit"]').textContent(), /changed: What is asked, Priority, To/);
			await item.locator('.task-to .task-rcv[data-service="youth"][data-status="new"]').waitFor({ timeout: UI_MS });
			await page.waitForFunction((id) => document.querySelector(`#task-list .task[data-id="${id}"] .task-text`)?.textContent === 'Walk the streets after dark, twice a week', taskId, { timeout: UI_MS });
			assert.deepEqual(await detail.locator('.task-log-line').evaluateAll((xs) => xs.map((x) => x.dataset.action)), ['create', 'comment', 'edit']);
		});

		await t.test('an edit overtaken by someone else\'s change says so, and reloads', async () => {
			const item = page.locator(`#task-list .task[data-id="${taskId}"]`);
			const detail = item.locator('.task-detail');
			await detail.locator('.task-edit-open').click();
			/* someone else changes the task while the form is open */
			assert.equal((await api(TOKENS.cid, `api/tasks/${taskId}`, { method: 'PATCH', body: JSON.stringify({ due: daysAgo(-10) }) })).status, 200);
			await detail.locator('.task-log-line[data-version="4"]').waitFor({ timeout: UI_MS });
			await detail.locator('.task-edit textarea[data-field="text"]').fill('Walk the streets after dark every night');
			const res = page.waitForResponse((r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === `/api/tasks/${taskId}`, { timeout: UI_MS });
			await detail.locator('.task-edit button[type="submit"]').click();
			assert.equal((await res).status(), 412);
			const msg = detail.locator('.task-msg[data-msg="tasks.edit.stale"]');
			await msg.waitFor({ timeout: UI_MS });
			assert.match(await msg.textContent(), /Someone else changed this task while you edited it\. Reload it/);
			await msg.locator('.task-reload').click();
			/* the form is refilled when the task's answer comes: wait for it */
			const missed = daysAgo(-10).split('-').reverse().join('.');
			await page.waitForFunction(([id, want]) => document.querySelector(`#task-list .task[data-id="${id}"] .task-edit [data-field="due"]`)?.value === want, [taskId, missed], { timeout: UI_MS }).catch(() => {});
			assert.equal(await detail.locator('.task-edit [data-field="due"]').inputValue(), missed, 'the form holds the change it missed');
			assert.equal(await detail.locator('.task-edit textarea[data-field="text"]').inputValue(), 'Walk the streets after dark, twice a week');
			assert.equal(await detail.locator('.task-msg').count(), 0);
			await detail.locator('.task-edit .btn-quiet').click();
		});

		await t.test('at 390 px the chart of a point of the map stays in the window and closes', async () => {
			await page.setViewportSize({ width: 390, height: 800 });
			while (await page.locator('.coop-notice').count()) await page.locator('.coop-notice .close').first().click();
			const map = await page.locator('#map').boundingBox();
			await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2, { button: 'right' });
			await page.locator('.coop-menu [data-action="evaluate.open"]').click();
			await page.locator('#eval .eval-table').waitFor({ timeout: UI_MS });
			assert.match(await page.getAttribute('#eval', 'data-src'), /lon=.*&lat=.*&radius=300&at=/);
			assert.match(await page.locator('#eval-place').textContent(), /^Within 300 m of 4\d\.\d{5}, 6\d\.\d{5}$/);
			const r = await page.locator('#eval').boundingBox();
			assert.ok(r.x >= 0 && r.x + r.width <= 390, `the box within the width: ${JSON.stringify(r)}`);
			const chart = await page.locator('#eval .eval-chart svg').boundingBox();
			assert.ok(chart.x >= r.x && chart.x + chart.width <= r.x + r.width, 'the chart within the box');
			await page.screenshot({ path: join(SHOTS, 'followup-chart-en-390.png') });
			await page.click('#eval .close');
			await page.locator('#eval').waitFor({ state: 'detached', timeout: UI_MS });
		});

		await t.test('no page error, nothing refused by the Content-Security-Policy', () => {
			assert.deepEqual(pageErrors, []);
			assert.deepEqual(users.refused, []);
		});
	} finally {
		await users.close();
	}
});
