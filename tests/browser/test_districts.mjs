// The directorate's view in Debian's Chromium, driven by playwright-core,
// against a daemon serving a city of districts (`posbon sample --districts
// 3`): a city-wide token gets the district switcher, the comparison table
// of GET /api/compare (its rows and total as the answer has them, sorted
// by a click on a column) and the map coloured by a measure of it; a click
// on a district's row looks at that district (title, bounds, the filter of
// every tile, the table of its mahallas, the print link) and "all
// districts" goes back. The table fits the panel in uz, ru and en. A token
// scoped to one district sees no switcher, its district's name and its
// mahallas' table.
//
//   POSBON_URL=http://127.0.0.1:PORT/ POSBON_TOKEN=city POSBON_SCOPED_TOKEN=d01 \
//       node --test tests/browser/test_districts.mjs
//
// tests/integration/test_browser.sh sets these up; POSBON_SHOTS (a folder)
// keeps a screenshot per language.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { launch, login } from './chromium.mjs';

const BASE = process.env.POSBON_URL ? new URL(process.env.POSBON_URL) : null;
const CITY = process.env.POSBON_TOKEN || '';
const SCOPED = process.env.POSBON_SCOPED_TOKEN || '';
const SHOTS = process.env.POSBON_SHOTS || '';
const UI_MS = 30000;

async function get(path, token) {
	const res = await fetch(new URL(path, BASE), { headers: { Authorization: `Bearer ${token}` } });
	assert.equal(res.status, 200, path);
	return res.json();
}

const pathIs = (r, path) => new URL(r.url()).pathname === path;
/* "1,234" (English) as a number. */
const num = (text) => Number(String(text).replace(/[,\s]/g, ''));

/* The table's rows as the page shows them: [{ code, name, offences }]. */
const tableRows = (page) =>
	page.$$eval('#cmp-rows tr', (trs) =>
		trs.map((tr) => ({ code: tr.dataset.code, name: tr.querySelector('th').textContent, offences: tr.children[1].textContent })),
	);

/* The heatmap tiles on the map (those of district code, if given): their
 * zoom and the lon/lat of their middle, which is the map's centre within a
 * tile. */
async function tileView(page, code) {
	const tiles = await page.$$eval(
		'.tiles-heatmap img',
		(imgs, c) =>
			imgs
				.filter((i) => i.complete && (!c || new URL(i.src).searchParams.get('district') === c))
				.map((i) => new URL(i.src).pathname.match(/(\d+)\/(\d+)\/(\d+)(@2x)?\.png$/))
				.filter(Boolean)
				.map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]),
		code,
	);
	assert.ok(tiles.length, 'heatmap tiles on the map');
	const z = Math.max(...tiles.map((t) => t[0]));
	const at = tiles.filter((t) => t[0] === z);
	const x = (Math.min(...at.map((t) => t[1])) + Math.max(...at.map((t) => t[1])) + 1) / 2;
	const y = (Math.min(...at.map((t) => t[2])) + Math.max(...at.map((t) => t[2])) + 1) / 2;
	const lon = (x / 2 ** z) * 360 - 180;
	const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** z))) * 180) / Math.PI;
	return { z, lon, lat };
}

/* Waits until every heatmap tile on the map asks with key=value. */
const everyHeatmapTile = (page, key, value) =>
	page.waitForFunction(
		([k, v]) => {
			const imgs = [...document.querySelectorAll('.tiles-heatmap img')];
			return imgs.length && imgs.every((i) => new URL(i.src).searchParams.get(k) === v);
		},
		[key, value],
		{ timeout: UI_MS },
	);

/* Whether the comparison table fits the panel's width. */
const tableFits = (page) => page.$eval('.cmp-scroll', (e) => e.scrollWidth <= e.clientWidth + 1);

test('the directorate\'s view', { skip: (!BASE || !CITY || !SCOPED) && 'POSBON_URL, POSBON_TOKEN or POSBON_SCOPED_TOKEN is not set', timeout: 300000 }, async (t) => {
	const { page, refused, close } = await launch();
	const pageErrors = [];
	page.on('pageerror', (e) => pageErrors.push(String(e)));
	/* The viewer's latest question to /api/compare, asked again from here
	 * with the token the page logged in with: the browser may have let a
	 * body go (a newer question, a navigation) before it could be read. */
	let question = null;
	let token = CITY;
	page.on('response', (r) => {
		if (pathIs(r, '/api/compare') && r.status() === 200 && !new URL(r.url()).searchParams.has('format')) question = r.url();
	});
	const answer = () => get(question, token);
	const meta = await get('api/meta', CITY);
	const districts = meta.districts;
	assert.equal(districts.length, 3, 'the sample is a city of 3 districts');

	/* The table shown is of the answer: same rows, counts and total. */
	const sameTable = async () => {
		await page.waitForFunction(() => !document.querySelector('#cmp-body').hasAttribute('aria-busy'), null, { timeout: UI_MS });
		const rows = await tableRows(page);
		const a = await answer();
		assert.deepEqual(rows.map((r) => r.code).sort(), a.rows.map((r) => r.code).sort());
		for (const r of rows) assert.equal(num(r.offences), a.rows.find((x) => x.code === r.code).offences, r.code);
		assert.equal(num(await page.textContent('#cmp-total td')), a.total.offences, 'the total');
	};

	let cityZoom = 0;
	try {
		await t.test('a city-wide token: the switcher, all districts, no map to print yet', async () => {
			await login(page, BASE, CITY, UI_MS);
			assert.equal(await page.isVisible('#district-select'), true);
			assert.equal(await page.isVisible('#panel-title'), false, 'the switcher names the view');
			const options = await page.$$eval('#district-select option', (os) => os.map((o) => [o.value, o.textContent]));
			assert.deepEqual(options[0], ['', 'All districts']);
			assert.deepEqual(options.slice(1).map((o) => o[0]).sort(), [...districts.map((d) => d.code), 'region:west'].sort());
			/* The region groups its districts under its name, the whole of it first. */
			const groups = await page.$$eval('#district-select optgroup', (gs) => gs.map((g) => [g.label, [...g.children].map((o) => o.value)]));
			assert.deepEqual(
				groups.map(([label, [first, ...rest]]) => [label, first, rest.sort()]),
				[
					['West region', 'region:west', ['D01', 'D02']],
					['Other districts', 'D03', []],
				],
			);
			assert.equal(await page.title(), 'All districts · posbon');
			assert.equal(await page.isVisible('#print-choose'), true, 'a printed map is of one district');
			assert.equal(await page.getAttribute('#print-district', 'aria-disabled'), 'true');
			await page.locator('.tiles-heatmap img').first().waitFor({ timeout: UI_MS });
			cityZoom = (await tileView(page)).z;
		});

		await t.test('the comparison table: a row per district, as /api/compare counts them', async () => {
			const asked = page.waitForResponse((r) => pathIs(r, '/api/compare'), { timeout: UI_MS });
			await page.check('#cmp-on');
			const q = new URL((await asked).url()).searchParams;
			assert.equal(q.has('hours') || q.has('weekdays') || q.has('district'), false, 'whole days of every district');
			assert.match(q.get('from'), /^\d{4}-\d{2}-\d{2}$/);
			await page.locator('#cmp-rows tr').first().waitFor({ timeout: UI_MS });
			assert.equal((await answer()).level, 'district');
			await sameTable();
			assert.equal(await page.textContent('#cmp-title'), 'Districts');
			assert.equal(await tableFits(page), true);
		});

		await t.test('a click on a column sorts the table', async () => {
			await page.click('#cmp-head th[data-sort="name"] button');
			let names = (await tableRows(page)).map((r) => r.name);
			assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'en')), 'by name, A to Z');
			assert.equal(await page.getAttribute('#cmp-head th[data-sort="name"]', 'aria-sort'), 'ascending');
			await page.click('#cmp-head th[data-sort="offences"] button');
			const counts = (await tableRows(page)).map((r) => num(r.offences));
			assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'by offences, most first');
			assert.match(await page.getAttribute('#cmp-csv', 'href'), /^api\/compare\?.*format=csv.*sort=-offences/);
			assert.match(await page.getAttribute('#cmp-print', 'href'), /^print\/compare\.pdf\?.*lang=en/);
		});

		await t.test('the map coloured by offences: the most darkest, the fewest lightest', async () => {
			await page.selectOption('#cmp-measure', 'offences');
			await page.locator('.leaflet-compare-pane path').nth(2).waitFor({ timeout: UI_MS });
			assert.equal(await page.locator('.leaflet-compare-pane path').count(), 3);
			const fills = await page.$$eval('.leaflet-compare-pane path', (ps) => ps.map((p) => p.getAttribute('fill')));
			assert.ok(fills.includes('#b30000') && fills.includes('#fef0d9'), fills.join(' '));
			assert.equal(await page.isVisible('#legend [data-layer="compare"]'), true);
			assert.equal(await page.textContent('#legend [data-layer="compare"] h3'), 'Offences');
		});

		const chosen = districts[1];
		await t.test('a click on a district\'s row looks at that district', async () => {
			const asked = page.waitForResponse((r) => pathIs(r, '/api/compare') && new URL(r.url()).searchParams.get('district') === chosen.code, { timeout: UI_MS });
			await page.click(`#cmp-rows tr[data-code="${chosen.code}"]`);
			await asked;
			assert.equal(await page.inputValue('#district-select'), chosen.code);
			assert.equal(await page.title(), `${chosen.name_en || chosen.name_uz} · posbon`);
			await page.waitForFunction(() => document.querySelector('#cmp-title').textContent === 'Mahallas of the district', null, { timeout: UI_MS });
			const a = await answer();
			assert.equal(a.level, 'mahalla');
			assert.equal(a.district, chosen.code);
			await sameTable();
			/* Every filtered tile asks for the district alone. */
			await everyHeatmapTile(page, 'district', chosen.code);
			/* The map looks at the district: closer than the city, its centre
			 * inside the district's box. */
			const view = await tileView(page, chosen.code);
			assert.ok(view.z > cityZoom, `zoom ${view.z} over the city's ${cityZoom}`);
			const [w, s, e, n] = chosen.bounds;
			assert.ok(view.lon > w && view.lon < e && view.lat > s && view.lat < n, `centre ${view.lon},${view.lat} in ${chosen.bounds}`);
			await page.hover('#print-district');
			const href = await page.getAttribute('#print-district', 'href');
			assert.match(href, new RegExp(`^print/district/${chosen.code}\\.pdf\\?`));
			assert.equal(new URL(href, BASE).searchParams.get('district'), chosen.code);
			assert.equal(await page.isVisible('#print-choose'), false);
		});

		await t.test('"all districts" goes back to the city', async () => {
			await page.click('#cmp-back');
			await page.waitForFunction(() => document.querySelector('#cmp-title').textContent === 'Districts', null, { timeout: UI_MS });
			assert.equal(await page.inputValue('#district-select'), '');
			await sameTable();
		});

		await t.test('a region: its name, its districts\' rows, region= on every tile', async () => {
			await page.selectOption('#district-select', 'region:west');
			await page.waitForFunction(() => document.querySelectorAll('#cmp-rows tr').length === 2, null, { timeout: UI_MS });
			assert.equal(await page.title(), 'West region · posbon');
			const a = await answer();
			assert.equal(a.level, 'district');
			assert.deepEqual(a.rows.map((r) => r.code).sort(), ['D01', 'D02']);
			await sameTable();
			await everyHeatmapTile(page, 'region', 'west');
			assert.equal(await page.getAttribute('#print-district', 'aria-disabled'), 'true', 'a region prints no map');
			await page.selectOption('#district-select', '');
			await page.waitForFunction(() => document.querySelectorAll('#cmp-rows tr').length === 3, null, { timeout: UI_MS });
		});

		await t.test('the switcher and the table in uz and ru; the table fits', async () => {
			for (const [code, all, title] of [
				['uz', 'Barcha tumanlar', 'Tumanlar'],
				['ru', 'Все районы', 'Районы'],
				['en', 'All districts', 'Districts'],
			]) {
				await page.click(`.panel-head [data-lang="${code}"]`);
				assert.equal(await page.textContent('#district-select option[value=""]'), all);
				assert.equal(await page.textContent('#cmp-title'), title);
				assert.equal(await tableFits(page), true, code);
				if (SHOTS) await page.screenshot({ path: join(SHOTS, `districts-${code}.png`) });
			}
		});

		await t.test('the heatmap\'s scale fitted to the filter, said in the legend', async () => {
			await page.locator('#legend-fit').waitFor({ timeout: UI_MS });
			assert.equal(await page.getAttribute('#legend [data-ramp]', 'data-ramp'), 'absolute');
			await page.check('#legend-fit');
			await page.waitForFunction(() => document.querySelector('#legend [data-ramp]')?.dataset.ramp === 'fitted', null, { timeout: UI_MS });
			await everyHeatmapTile(page, 'ramp', 'fitted');
			await page.uncheck('#legend-fit');
			await page.waitForFunction(() => document.querySelector('#legend [data-ramp]')?.dataset.ramp === 'absolute', null, { timeout: UI_MS });
		});

		await t.test('a period in the future, or before the data, says why the map is empty', async () => {
			assert.equal(await page.isVisible('#period-note'), false);
			await page.check('input[name=period][value=custom]');
			const year = new Date().getFullYear();
			await page.fill('#date-from', `${year + 1}-01-01`);
			await page.fill('#date-to', `${year + 1}-01-31`);
			await page.dispatchEvent('#date-to', 'change');
			await page.locator('#period-note').waitFor({ state: 'visible', timeout: UI_MS });
			assert.match(await page.textContent('#period-note'), /future/);
			await page.fill('#date-from', '2001-01-01');
			await page.dispatchEvent('#date-from', 'change');
			await page.fill('#date-to', '2001-01-31');
			await page.dispatchEvent('#date-to', 'change');
			await page.waitForFunction(() => /data begin on/.test(document.querySelector('#period-note').textContent), null, { timeout: UI_MS });
			await page.check('input[name=period][value="30d"]');
			await page.locator('#period-note').waitFor({ state: 'hidden', timeout: UI_MS });
		});

		await t.test('a token of one district: its name, no switcher, its mahallas', async () => {
			const own = await get('api/meta', SCOPED);
			assert.equal(own.districts.length, 1);
			await page.click('#logout');
			/* the logout reloads the page: a navigation before it ends is aborted */
			await page.locator('#login-token').waitFor({ state: 'visible', timeout: UI_MS });
			token = SCOPED;
			await login(page, BASE, SCOPED, UI_MS);
			assert.equal(await page.isVisible('#district-select'), false);
			assert.equal(await page.textContent('#panel-title'), own.districts[0].name_en || own.districts[0].name_uz);
			/* The table stays on from before the login. */
			assert.equal(await page.isChecked('#cmp-on'), true);
			await page.waitForFunction(() => document.querySelector('#cmp-title').textContent === 'Mahallas of the district', null, { timeout: UI_MS });
			const a = await answer();
			assert.equal(a.district, own.districts[0].code);
			assert.equal(await page.isVisible('#cmp-back'), false, 'no city to go back to');
			assert.equal(a.level, 'mahalla');
			await sameTable();
		});

		assert.deepEqual(pageErrors, []);
		assert.deepEqual(refused, []);
	} finally {
		await close();
	}
});
