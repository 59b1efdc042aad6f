// The analysis panel, the suggested plan and the planner's prints in
// Debian's Chromium, driven by playwright-core, against a running daemon:
// an officer turns Gi* on and gets gistar tiles and the figures of
// GET /api/gistar (also with FDR, drawn from the answer), turns the trends
// on (a cell per feature of GET /api/trends, the counts per category, a
// popup) and runs a backtest (refused, then the table of GET
// /api/backtest's means and the SVG chart); a planner asks
// for a plan for Friday 18:00-02:00, sees the units' zones drawn dashed and
// labelled and the comparison with the current zones, saves it as zones
// (they appear in GET /api/zones and the coverage panel changes), and
// follows the coverage and roster links to a PDF and a CSV.
//
//   POSBON_URL=http://127.0.0.1:PORT/ POSBON_TOKEN=officer POSBON_PLANNER_TOKEN=planner \
//       node --test tests/browser/test_analysis.mjs
//
// tests/integration/test_browser.sh sets these up.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { launch, login } from './chromium.mjs';

const BASE = process.env.POSBON_URL ? new URL(process.env.POSBON_URL) : null;
const OFFICER = process.env.POSBON_TOKEN || '';
const PLANNER = process.env.POSBON_PLANNER_TOKEN || '';
const UI_MS = 30000;

async function get(path, token = PLANNER) {
	const res = await fetch(new URL(path, BASE), { headers: { Authorization: `Bearer ${token}` } });
	assert.equal(res.status, 200, path);
	return res.json();
}

const pathIs = (r, path) => new URL(r.url()).pathname === path;
/* "1,234" or "12.5 %" (English) as a number. */
const num = (text) => Number(String(text).replace(/[,\s%]/g, ''));
const pct = (x) => `${(100 * x).toFixed(1)} %`;

test('analysis', { skip: (!BASE || !PLANNER || !OFFICER) && 'POSBON_URL, POSBON_TOKEN or POSBON_PLANNER_TOKEN is not set', timeout: 300000 }, async (t) => {
	const { page, refused, close } = await launch();
	const pageErrors = [];
	page.on('pageerror', (e) => pageErrors.push(String(e)));
	let plan;
	let lastCoverage = null; /* the panel's latest answer of /api/coverage */
	page.on('response', async (r) => {
		if (pathIs(r, '/api/coverage') && r.status() === 200 && !(r.request().headers().accept || '').includes('csv')) lastCoverage = await r.json();
	});

	/* The panel's bins and figures against an answer of /api/gistar. */
	const sameFigures = async (answer) => {
		for (const [bin, n] of Object.entries(answer.bins)) {
			if (bin === '0') continue;
			assert.equal(num(await page.textContent(`#gistar-bins tr[data-bin="${bin}"] strong`)), n, `bin ${bin}`);
		}
		assert.equal(num((await page.textContent('#gistar-summary [data-field="band_m"]')).match(/[\d,]+/)[0]), answer.band_m);
		assert.equal(num((await page.textContent('#gistar-summary [data-field="cell_m"]')).match(/[\d,]+/)[0]), answer.cell_m);
		assert.equal(num((await page.textContent('#gistar-summary [data-field="cells"]')).match(/[\d,]+/)[0]), answer.cells);
	};

	try {
		await t.test('Gi* for an officer: gistar tiles and the figures of /api/gistar', async () => {
			await login(page, BASE, OFFICER, UI_MS);
			assert.equal(await page.isVisible('#plan-block'), false, 'not a planner');
			const tile = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/tiles/gistar/'), { timeout: UI_MS });
			const figures = page.waitForResponse((r) => pathIs(r, '/api/gistar'), { timeout: UI_MS });
			await page.click('#gistar-on');
			const tr = await tile;
			assert.equal(tr.status(), 200);
			assert.equal(tr.headers()['content-type'], 'image/png');
			const res = await figures;
			assert.equal(res.status(), 200);
			/* the tiles and the figures take the same filters */
			const q = new URL(res.url()).searchParams;
			const tq = new URL(tr.url()).searchParams;
			for (const k of ['from', 'to']) assert.equal(tq.get(k), q.get(k), k);
			assert.equal(q.has('fdr'), false);
			const answer = await res.json();
			/* the server answers the same to anyone asking the same */
			assert.deepEqual((await get(`api/gistar?${q}`, OFFICER)).bins, answer.bins);
			assert.ok(answer.bins['3'] > 0, 'the sample district has hot cells at 99%');
			await page.waitForSelector('#gistar-figures:not([hidden])', { timeout: UI_MS });
			await sameFigures(answer);
			assert.match(await page.textContent('#gistar-bins'), /Hot, 99 %.*Cold, 99 %/s);
			assert.ok(await page.locator('.tiles-gistar img').count(), 'gistar tiles on the map');
			/* the district's printed map shows what the screen shows, Gi* too */
			await page.hover('#print-district');
			const printed = new URL(await page.getAttribute('#print-district', 'href'), page.url());
			assert.ok(printed.searchParams.get('layers').split(',').includes('gistar'), printed.href);
			const pdf = await page.request.get(printed.href);
			assert.equal(pdf.status(), 200);
			assert.equal(pdf.headers()['content-type'], 'application/pdf');
		});

		await t.test('FDR: the corrected answer, its cells drawn from it', async () => {
			const figures = page.waitForResponse((r) => pathIs(r, '/api/gistar') && new URL(r.url()).searchParams.get('fdr') === 'true', { timeout: UI_MS });
			await page.click('#gistar-fdr');
			const answer = await (await figures).json();
			assert.equal(answer.fdr, true);
			await page.waitForSelector('#gistar-figures[data-fdr="true"]', { timeout: UI_MS });
			await sameFigures(answer);
			await page.waitForFunction((n) => document.querySelectorAll('path.gistar-cell').length === n, answer.features.length, { timeout: UI_MS });
			assert.equal(await page.locator('.tiles-gistar').count(), 0, 'the tiles know no FDR: they step aside');
			await page.click('#gistar-fdr');
			await page.waitForSelector('.tiles-gistar', { state: 'attached', timeout: UI_MS });
			assert.equal(await page.locator('path.gistar-cell').count(), 0);
		});

		await t.test('trends: a cell per feature of /api/trends, counts per category, a popup', async () => {
			const asked = page.waitForResponse((r) => pathIs(r, '/api/trends'), { timeout: UI_MS });
			await page.click('#trends-on');
			const res = await asked;
			assert.equal(res.status(), 200);
			const q = new URL(res.url()).searchParams;
			assert.equal(q.get('weeks'), '12');
			assert.equal(q.has('from'), false, 'the weeks end at the period\'s end');
			const answer = await res.json();
			assert.ok(answer.features.length > 0, 'the sample district has emerging hot spots');
			await page.waitForFunction((n) => document.querySelectorAll('path.trends-cell').length === n, answer.features.length, { timeout: UI_MS });
			await page.waitForSelector('#trends-figures:not([hidden])', { timeout: UI_MS });
			for (const [category, n] of Object.entries(answer.categories)) {
				if (category === 'no pattern') continue;
				assert.equal(answer.features.filter((f) => f.properties.category === category).length, n, category);
				assert.equal(num(await page.textContent(`#trends-rows tr[data-category="${category}"] strong`)), n, category);
			}
			const first = answer.features[0].properties;
			await page.locator('path.trends-cell').first().dispatchEvent('click');
			await page.waitForSelector('.trends-popup', { timeout: UI_MS });
			const text = await page.textContent('.trends-popup');
			assert.match(text, new RegExp(first.category, 'i'));
			assert.match(text, new RegExp(`Weeks hot: ${first.weeks_hot} of ${answer.weeks}`));
			assert.match(text, new RegExp(`Z = ${first.mk_z.toFixed(2).replace('-', '-?')}`));
			await page.click('#trends-on');
			assert.equal(await page.locator('path.trends-cell').count(), 0);
		});

		await t.test('backtest: the server\'s refusal, then a row per method with /api/backtest\'s means, and the chart', async () => {
			await page.fill('#bt-folds', '600');
			let asked = page.waitForResponse((r) => pathIs(r, '/api/backtest'), { timeout: UI_MS });
			await page.click('#bt-run');
			assert.equal((await asked).status(), 400);
			await page.waitForSelector('#bt-error:not([hidden])', { timeout: UI_MS });
			assert.match(await page.textContent('#bt-error'), /folds/);
			await page.fill('#bt-folds', '12');
			asked = page.waitForResponse((r) => pathIs(r, '/api/backtest'), { timeout: 60000 });
			const chart = page.waitForResponse((r) => pathIs(r, '/api/backtest/chart.svg'), { timeout: 60000 });
			await page.click('#bt-run');
			const res = await asked;
			assert.equal(res.status(), 200);
			const q = new URL(res.url()).searchParams;
			assert.equal(q.get('folds'), '12');
			assert.match(q.get('end'), /^\d{4}-\d\d-\d\d$/, 'the period\'s end is the last day tested');
			const answer = await res.json();
			assert.equal(answer.folds.length, 12);
			await page.waitForSelector('#bt-body:not([hidden])', { timeout: UI_MS });
			assert.equal(await page.isVisible('#bt-error'), false);
			assert.deepEqual(await page.$$eval('#bt-rows tr', (rows) => rows.map((r) => r.dataset.method)), answer.methods.map((m) => m.name));
			for (const m of answer.methods) {
				const cell = (f) => page.textContent(`#bt-rows tr[data-method="${m.name}"] [data-field="${f}"] strong`);
				assert.equal(await cell('hit_rate'), pct(m.mean.hit_rate), `${m.name} hit rate`);
				for (const f of ['pai', 'rri', 'pei']) assert.equal(await cell(f), m.mean[f] === null ? '—' : m.mean[f].toFixed(2), `${m.name} ${f}`);
				const scored = m.per_fold.filter((x) => x.hit_rate !== null).length;
				assert.equal(num(await page.textContent(`#bt-rows tr[data-method="${m.name}"] [data-field="folds"]`)), scored);
			}
			const cr = await chart;
			assert.equal(cr.status(), 200);
			assert.equal(cr.headers()['content-type'], 'image/svg+xml');
			const cq = new URL(cr.url()).searchParams;
			assert.equal(cq.get('lang'), 'en');
			for (const [k, v] of q) assert.equal(cq.get(k), v, `the chart's ${k}`);
			await page.waitForFunction(() => document.querySelector('#bt-chart').complete && document.querySelector('#bt-chart').naturalWidth > 0, null, { timeout: UI_MS });
		});

		await t.test('a planner asks for a plan: drawn dashed, labelled, compared', async () => {
			await page.click('#logout');
			/* logging out reloads the page: a navigation before that one ends would be aborted by it */
			await page.locator('#login-token').waitFor({ state: 'visible', timeout: UI_MS });
			await login(page, BASE, PLANNER, UI_MS);
			await page.click('#plan-active');
			await page.click('#plan-presets [data-preset="evening"]');
			for (let d = 0; d < 7; d++) if (d !== 4) await page.click(`#plan-weekdays .wd:nth-child(${d + 1})`);
			await page.waitForFunction(() => document.querySelector('#cov-body')?.dataset.shift === '18:00-02:00 fri', null, { timeout: UI_MS });
			const asked = page.waitForResponse((r) => pathIs(r, '/api/plan'), { timeout: UI_MS });
			await page.click('#sug-run');
			const res = await asked;
			assert.equal(res.status(), 200);
			const u = new URL(res.url()).searchParams;
			assert.equal(u.get('shift'), '18:00-02:00');
			assert.equal(u.get('weekdays'), 'fri');
			assert.ok(u.get('from') && u.get('to'), 'the training period');
			assert.equal(u.get('forecast'), 'counts', 'the forecast select starts on counts');
			plan = await res.json();
			const drawn = plan.features.filter((f) => f.geometry);
			assert.ok(drawn.length > 0, 'units with suggested zones');
			await page.waitForSelector('#sug-body:not([hidden])', { timeout: UI_MS });
			assert.equal(await page.locator('path.plan-shape').count(), drawn.length, 'a path per unit');
			assert.equal(await page.getAttribute('path.plan-shape', 'stroke-dasharray'), '6 5');
			assert.deepEqual((await page.$$eval('.plan-label span', (s) => s.map((x) => x.textContent))).sort(), drawn.map((f) => f.properties.unit).sort());
			assert.equal(await page.textContent('#sug-total-suggested'), pct(plan.share));
			assert.equal(await page.textContent('#sug-total-current'), pct(plan.current.share));
			const f = drawn[0].properties;
			const row = `#sug-rows tr[data-unit="${f.unit}"]`;
			assert.equal(await page.textContent(`${row} [data-field="suggested"]`), pct(f.share));
			assert.equal(num(await page.textContent(`${row} [data-field="visits"]`)), f.visits);
			assert.equal(await page.textContent(`${row} [data-field="minutes"]`), `${Math.round(f.minutes_used)} / ${Math.round(f.minutes)}`);
			const cur = plan.current.units.filter((x) => x.unit === f.unit && x.service === f.service);
			if (cur.length) assert.equal(await page.textContent(`${row} [data-field="current"]`), pct(cur.reduce((s, x) => s + x.share, 0)));
		});

		await t.test('save as zones: one click, the zones stored and the coverage changed', async () => {
			const before = lastCoverage;
			assert.ok(before, 'the coverage panel had loaded');
			const coverageText = await page.textContent('#cov-summary');
			const validFrom = await page.$eval('#sug-valid-from', (x) => x.value);
			const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tashkent' }).format(new Date());
			const monday = new Date(`${validFrom}T00:00:00Z`);
			assert.equal(monday.getUTCDay(), 1, 'next Monday by default');
			const ahead = (monday - new Date(`${today}T00:00:00Z`)) / 86400e3;
			assert.ok(ahead >= 1 && ahead <= 7, `${validFrom} is the Monday after ${today}`);
			const saved = page.waitForResponse((r) => pathIs(r, '/api/plan/save') && r.request().method() === 'POST', { timeout: UI_MS });
			const zones = page.waitForResponse((r) => pathIs(r, '/api/zones'), { timeout: UI_MS });
			const after = page.waitForResponse((r) => pathIs(r, '/api/coverage'), { timeout: UI_MS });
			await page.click('#sug-save');
			const res = await saved;
			assert.equal(res.status(), 201);
			assert.equal(new URL(res.url()).searchParams.get('valid_from'), validFrom);
			const body = await res.json();
			assert.equal(body.zones.length, plan.features.filter((f) => f.geometry).length);
			await zones;
			const stored = await get('api/zones');
			for (const id of body.zones) {
				const z = stored.features.find((x) => x.properties.id === id);
				assert.ok(z, `${id} in GET /api/zones`);
				assert.equal(z.properties.valid_from, validFrom);
			}
			const answer = await (await after).json();
			assert.notEqual(answer.offences_in_zones, before.offences_in_zones, 'the new zones change the coverage');
			await page.waitForFunction((old) => document.querySelector('#cov-summary').textContent !== old, coverageText, { timeout: UI_MS });
			assert.equal(await page.locator(`path.zone-${body.zones[0].replace(/[^\w-]/g, '_')}`).count(), 1, 'the saved zone is drawn');
			assert.equal(await page.isVisible('#sug-body'), false, 'the suggestion is done');
			assert.equal(await page.locator('path.plan-shape').count(), 0);
		});

		await t.test('the prints of the shift answer a PDF and a CSV', async () => {
			await page.fill('#cov-date', '2026-12-07');
			await page.dispatchEvent('#cov-date', 'change');
			for (const [id, path, type] of [
				['#plan-print-coverage', '/print/coverage.pdf', 'application/pdf'],
				['#plan-print-roster', '/print/roster.pdf', 'application/pdf'],
				['#plan-print-csv', '/print/roster.csv', 'text/csv'],
			]) {
				const href = new URL(await page.getAttribute(id, 'href'), page.url());
				assert.equal(href.pathname, path);
				assert.equal(href.searchParams.get('shift'), '18:00-02:00');
				assert.equal(href.searchParams.get('weekdays'), 'fri');
				assert.equal(href.searchParams.get('date'), '2026-12-07');
				assert.equal(href.searchParams.get('lang'), 'en');
				const res = await page.request.get(href.href);
				assert.equal(res.status(), 200, path);
				assert.match(res.headers()['content-type'], new RegExp(`^${type}`));
				const bytes = await res.body();
				if (type === 'application/pdf') assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
				else assert.match(bytes.toString('utf8').split('\n')[0], /unit/);
			}
			assert.equal(await page.textContent('#plan-print-roster'), 'Roster (PDF)');
		});

		await t.test('the texts follow the language', async () => {
			await page.click('.panel-head [data-lang="uz"]');
			assert.match(await page.textContent('#analysis-block'), /Tahlil/);
			assert.match(await page.textContent('#trends'), /Paydo boʻlayotgan/);
			assert.match(await page.textContent('#bt'), /Orqaga sinov/);
			assert.match(await page.textContent('#sug'), /Reja taklif qilish/);
			assert.match(await page.textContent('#plan-prints'), /ro\u02bbyxati/);
			assert.equal(new URL(await page.getAttribute('#plan-print-csv', 'href'), page.url()).searchParams.get('lang'), 'uz');
			await page.click('.panel-head [data-lang="ru"]');
			assert.match(await page.textContent('#analysis-block'), /Анализ/);
			assert.match(await page.textContent('#gistar-bins'), /Горячие, 99/);
			assert.match(await page.textContent('#bt thead'), /Доля попаданий/);
			assert.match(await page.textContent('#sug'), /Предложить план/);
			await page.click('.panel-head [data-lang="en"]');
		});

		await t.test('no script failed', () => {
			assert.deepEqual(pageErrors, []);
			assert.deepEqual(refused, [], 'the Content-Security-Policy refused nothing');
		});
	} finally {
		await close();
	}
});
