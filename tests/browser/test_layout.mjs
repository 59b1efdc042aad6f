// The viewer's layout in Debian's Chromium, driven by playwright-core,
// against a running daemon: every block of the panel opened (the analysis
// with Gi*, trends and a backtest, the comparison table, every layer and
// its legend, a mahalla's card; then the planning mode with its coverage,
// dosage and suggested plan) and the wall screen, in uz, ru and en, at
// 1920x1080, 1280x720 and 390x844. Fails on any element whose content
// overflows its box (text, buttons, table cells; a scroll box that would
// scroll sideways), any element with a data-i18n key left empty, and any
// swatch of a legend or list painted in no colour; on the map, any two
// labels of units (the suggested plan's, the live units') that overlap, or a
// label moved away from its place without a leader line back to it, also
// after a zoom; the mahalla's card over the legend; a status strip of more
// than one line. The wall screen at 3840x2160 must draw its header, feed
// and the map's names at least 1.8 times their size at 1920x1080.
//
//   POSBON_URL=http://127.0.0.1:PORT/ POSBON_PLANNER_TOKEN=planner \
//       node --test tests/browser/test_layout.mjs
//
// tests/integration/test_browser.sh sets these up; POSBON_SHOTS (a folder)
// keeps a screenshot of each state, language and size.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { launch } from './chromium.mjs';

const BASE = process.env.POSBON_URL ? new URL(process.env.POSBON_URL) : null;
const PLANNER = process.env.POSBON_PLANNER_TOKEN || '';
const SHOTS = process.env.POSBON_SHOTS || '';
const UI_MS = 30000;
const SIZES = [
	[1920, 1080],
	[1280, 720],
	[390, 844],
];
const LANGS = ['uz', 'ru', 'en'];

const pathIs = (r, path) => new URL(r.url()).pathname === path;

/* In the page: what is wrong with the layout under the elements of roots
 * (selectors), as short descriptions. */
function layoutFaults(roots) {
	const faults = [];
	const where = (e) => {
		const id = e.id ? `#${e.id}` : '';
		const cls = typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : '';
		const up = e.closest('[id]');
		const text = (e.textContent || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
		return `${up && up !== e ? `#${up.id} ` : ''}${e.tagName.toLowerCase()}${id}${cls} "${text}"`;
	};
	const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
	const alpha = (c) => {
		if (!c || c === 'transparent') return 0;
		const m = c.match(/rgba?\(([^)]*)\)/) || c.match(/color\(srgb ([^)]*)\)/);
		if (!m) return 1;
		const parts = m[1].split(/[\s,/]+/).filter(Boolean);
		return parts.length > 3 ? Number(parts[3]) : 1;
	};
	for (const root of roots.flatMap((s) => [...document.querySelectorAll(s)])) {
		const r = root.getBoundingClientRect();
		if (shown(root) && (r.left < -1 || r.right > window.innerWidth + 1))
			faults.push(`outside the window, ${Math.round(r.left)} to ${Math.round(r.right)} of ${window.innerWidth}: ${where(root)}`);
		/* Innermost first; a box that overflows only through a child
		 * already named is not named again. */
		const named = [];
		for (const e of [root, ...root.querySelectorAll('*')].reverse()) {
			if (!shown(e) || e.closest('svg')) continue;
			const s = getComputedStyle(e);
			if (s.display === 'inline' || s.display === 'contents') continue;
			if (named.some((n) => e.contains(n))) continue;
			let fault = null;
			/* Sideways: nothing is meant to scroll or be cut across. */
			if (e.scrollWidth > e.clientWidth + 1) fault = `overflows across ${e.scrollWidth} > ${e.clientWidth}`;
			/* Downwards: a box that cuts, rather than scrolls, its content. */
			else if (/hidden|clip/.test(s.overflowY) && e.scrollHeight > e.clientHeight + 1)
				fault = `cut at the bottom ${e.scrollHeight} > ${e.clientHeight}`;
			if (!fault) continue;
			named.push(e);
			faults.push(`${fault}: ${where(e)}`);
		}
		for (const e of root.querySelectorAll('.sw, .dot, .line, .cov-count, .cov-status')) {
			if (!shown(e)) continue;
			const s = getComputedStyle(e);
			const border = ['Top', 'Right', 'Bottom', 'Left'].some((side) => parseFloat(s[`border${side}Width`]) > 0 && alpha(s[`border${side}Color`]) > 0);
			if (alpha(s.backgroundColor) === 0 && s.backgroundImage === 'none' && !border) faults.push(`a swatch of no colour: ${where(e)}`);
		}
	}
	for (const e of document.querySelectorAll('[data-i18n]'))
		if (!e.textContent.trim()) faults.push(`empty, with data-i18n="${e.dataset.i18n}": ${where(e)}`);
	for (const e of document.querySelectorAll('[data-i18n-title]'))
		if (!e.title.trim()) faults.push(`no title, with data-i18n-title="${e.dataset.i18nTitle}": ${where(e)}`);
	return faults;
}

/* In the page: the map's unit labels (the suggested plan's, the live
 * units' names) that overlap one another, and those moved away from their
 * anchor (the point of their marker) with no leader line from it to them. */
function labelFaults() {
	const faults = [];
	const labels = [...document.querySelectorAll('.plan-label span, .unit-marker .unit-body')].filter((e) => e.getClientRects().length > 0);
	const rects = labels.map((e) => e.getBoundingClientRect());
	const name = (i) => `"${labels[i].textContent.trim()}"`;
	const meet = (a, b, d) => a.left < b.right + d && b.left < a.right + d && a.top < b.bottom + d && b.top < a.bottom + d;
	for (let i = 0; i < rects.length; i++)
		for (let j = i + 1; j < rects.length; j++) if (meet(rects[i], rects[j], -0.5)) faults.push(`labels overlap: ${name(i)} and ${name(j)}`);
	/* the map's buttons (zoom, full screen, the drawing toolbar) stay free */
	for (const c of document.querySelectorAll('#map .leaflet-control'))
		if (c.getClientRects().length > 0)
			rects.forEach((r, i) => meet(r, c.getBoundingClientRect(), -0.5) && faults.push(`a label under a button of the map: ${name(i)}`));
	/* Nearer than this, a label is beside its place (a unit's dot). */
	const NEAR = 20;
	labels.forEach((e, i) => {
		const icon = e.closest('.leaflet-marker-icon').getBoundingClientRect();
		const [x, y] = [icon.left + icon.width / 2, icon.top + icon.height / 2];
		const r = rects[i];
		const away = Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
		if (away <= NEAR) return;
		const line = [...e.parentElement.querySelectorAll('.leader')].find((l) => l.getClientRects().length > 0)?.getBoundingClientRect();
		if (!line || !meet(line, { left: x, right: x, top: y, bottom: y }, 3) || !meet(line, r, 3))
			faults.push(`a label ${Math.round(away)} px from its place, without a leader line: ${name(i)}`);
	});
	return faults;
}

/* In the page: the mahalla card covering the legend or the planning mode's
 * drawing buttons, and a status strip on more than one line (its items side
 * by side, none wrapped inside). */
function stripFaults() {
	const faults = [];
	const shown = (e) => e.getClientRects().length > 0;
	const [card, legend, status, tools] = ['#card', '#legend', '.status', '.leaflet-pm-toolbar'].map((s) => document.querySelector(s));
	for (const [other, what] of [
		[legend, 'the legend'],
		[tools, 'the drawing buttons'],
	])
		if (shown(card) && other && shown(other)) {
			const [a, b] = [card.getBoundingClientRect(), other.getBoundingClientRect()];
			if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
				faults.push(`the card, ${Math.round(a.top)} to ${Math.round(a.bottom)} px, covers ${what} from ${Math.round(b.top)} px`);
		}
	if (!shown(status)) return faults;
	const items = [...status.children].filter(shown);
	const middle = (e) => e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2;
	const lines = items.filter((e) => Math.abs(middle(e) - middle(items[0])) > 3 || e.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(e).lineHeight));
	if (lines.length) faults.push(`the status strip takes more than one line (${Math.round(status.getBoundingClientRect().height)} px): "${status.textContent.trim().replace(/\s+/g, ' ')}"`);
	return faults;
}

/* In the page: the wall screen's sizes that grow with the screen: the
 * header's type and height, the feed's width and type, the map's names
 * (the mahallas' tiles' labelscale times the size a tile is drawn at, in
 * CSS px per 256 px tile: a 512 px @2x tile has the names twice as large
 * in its pixels) and the live units' names (the first subtest turned them
 * on, and the browser remembers). The tile is one of the zoom shown,
 * loaded (null before). */
function wallSizes() {
	const levels = [...document.querySelectorAll('.tiles-mahallas .leaflet-tile-container')];
	const shown = levels.sort((a, b) => Number(b.style.zIndex) - Number(a.style.zIndex))[0];
	const tile = shown?.querySelector('img.leaflet-tile-loaded');
	if (!tile) return null;
	const px = (sel, prop) => parseFloat(getComputedStyle(document.querySelector(sel))[prop]);
	const box = (sel) => document.querySelector(sel).getBoundingClientRect();
	return {
		header: px('#wall-strip', 'fontSize'),
		headerHeight: box('#wall-strip').height,
		feed: box('#wall-feed').width,
		feedType: px('#wall-feed', 'fontSize'),
		names: (Number(new URL(tile.src).searchParams.get('labelscale') || 1) * tile.getBoundingClientRect().width) / 256,
		units: px('.unit-marker .unit-body', 'fontSize'),
		tile: tile.src,
	};
}

test('the layout in every language and size', { skip: (!BASE || !PLANNER) && 'POSBON_URL or POSBON_PLANNER_TOKEN is not set', timeout: 300000 }, async (t) => {
	const { page, refused, close } = await launch();
	const pageErrors = [];
	page.on('pageerror', (e) => pageErrors.push(String(e)));
	/* The API requests in flight: a view has settled once none is. */
	let busy = 0;
	page.on('request', (r) => new URL(r.url()).pathname.startsWith('/api/') && r.resourceType() === 'fetch' && busy++);
	const done = (r) => new URL(r.url()).pathname.startsWith('/api/') && r.resourceType() === 'fetch' && busy--;
	page.on('requestfinished', done);
	page.on('requestfailed', done);
	const settle = async () => {
		for (let i = 0; i < 200 && busy > 0; i++) await page.waitForTimeout(50);
		/* two frames: the answers are drawn and laid out */
		await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
	};
	const faults = [];
	/* Every language and size of what is on the page now, named state;
	 * roots: the selectors of what is checked. */
	const checkAll = async (state, roots) => {
		for (const [width, height] of SIZES) {
			await page.setViewportSize({ width, height });
			for (const l of LANGS) {
				await page.evaluate((code) => document.querySelector(`.lang-switch [data-lang="${code}"]`)?.click(), l);
				await settle();
				for (const f of await page.evaluate(layoutFaults, roots)) faults.push(`${state} ${l} ${width}px: ${f}`);
				/* labels are placed a frame or two after a resize: give them 2 s */
				await page.waitForFunction(`(${labelFaults})().length === 0`, null, { timeout: 2000 }).catch(() => {});
				for (const f of await page.evaluate(labelFaults)) faults.push(`${state} ${l} ${width}px: ${f}`);
				for (const f of await page.evaluate(stripFaults)) faults.push(`${state} ${l} ${width}px: ${f}`);
				if (SHOTS) await page.screenshot({ path: join(SHOTS, `layout-${state}-${l}-${width}.png`) });
			}
		}
	};
	const PANEL = ['#panel', '#legend', '#card', '.status', '.leaflet-popup'];

	try {
		await t.test('the viewer with every block of the panel open', async () => {
			await page.goto(`${BASE.href}?lang=en#token=${PLANNER}`);
			await page.waitForSelector('body[data-ready="true"]', { timeout: UI_MS });
			for (const id of await page.$$eval('#layers input:not(:checked)', (xs) => xs.map((x) => x.id))) await page.check(`#${id}`);
			await page.check('#units-on');
			await page.check('#gistar-on');
			await page.waitForSelector('#gistar-figures:not([hidden])', { timeout: UI_MS });
			await page.check('#trends-on');
			await page.waitForSelector('#trends-figures:not([hidden])', { timeout: UI_MS });
			await page.fill('#bt-folds', '2');
			const bt = page.waitForResponse((r) => pathIs(r, '/api/backtest'), { timeout: 120000 });
			await page.click('#bt-run');
			await bt;
			await page.waitForSelector('#bt-body:not([hidden])', { timeout: UI_MS });
			await page.check('#cmp-on');
			await page.locator('#cmp-rows tr').first().waitFor({ timeout: UI_MS });
			/* a mahalla's card: a click in the middle of the map, the offences'
			 * dots (whose click lists them instead) off for it */
			await page.uncheck('#layer-offences');
			const box = await page.locator('#map').boundingBox();
			await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
			await page.waitForSelector('#card:not([hidden])', { timeout: UI_MS });
			/* and, where the dots are drawn there, their list beside it */
			await page.check('#layer-offences');
			await settle();
			await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
			await settle();
			await checkAll('viewer', PANEL);
		});

		await t.test('the planning mode: coverage, dosage and a suggested plan', async () => {
			await page.setViewportSize({ width: 1920, height: 1080 });
			await page.evaluate(() => document.querySelector('.lang-switch [data-lang="en"]').click());
			await page.check('#plan-active');
			await page.click('#plan-presets [data-preset="evening"]');
			await page.waitForSelector('#cov-body:not([hidden])', { timeout: UI_MS });
			await page.check('#dose-on');
			await page.waitForSelector('#dose-rows tr, #dose-empty:not([hidden])', { timeout: UI_MS });
			await page.click('#sug-run');
			await page.waitForSelector('#sug-body:not([hidden])', { timeout: UI_MS });
			await settle();
			assert.ok(await page.locator('.plan-label span').count() > 1, 'the plan\'s labels are on the map');
			assert.ok(await page.locator('.unit-marker .unit-body').count() > 1, 'so are the units\'');
			/* placed again after a zoom: out, where they crowd, and back */
			for (const button of ['out', 'in']) {
				const scale = await page.textContent('.leaflet-control-scale-line');
				await page.click(`.leaflet-control-zoom-${button}`);
				await page.waitForFunction((s) => document.querySelector('.leaflet-control-scale-line').textContent !== s, scale, { timeout: UI_MS });
				await settle();
				for (const f of await page.evaluate(labelFaults)) faults.push(`planning, zoomed ${button}: ${f}`);
			}
			await checkAll('planning', PANEL);
		});

		await t.test('the wall screen', async () => {
			await page.goto(`${BASE.href}?wall=1&lang=en`);
			await page.waitForSelector('body[data-ready="true"]', { timeout: UI_MS });
			await page.waitForSelector('#wall-count strong', { timeout: UI_MS });
			await checkAll('wall', ['#wall-strip', '#wall-feed']);
		});

		await t.test('the wall screen at 3840x2160: its header, feed and names twice those at 1920x1080', async () => {
			const sizes = async (width, height) => {
				await page.setViewportSize({ width, height });
				await page.goto(`${BASE.href}?wall=1&lang=uz`);
				await page.waitForSelector('body[data-ready="true"]', { timeout: UI_MS });
				await page.waitForFunction(wallSizes, null, { timeout: UI_MS });
				return page.evaluate(wallSizes);
			};
			const small = await sizes(1920, 1080);
			const large = await sizes(3840, 2160);
			if (SHOTS) await page.screenshot({ path: join(SHOTS, 'layout-wall-uz-3840.png') });
			for (const k of ['header', 'headerHeight', 'feed', 'feedType', 'names', 'units'])
				assert.ok(large[k] >= 1.8 * small[k], `${k}: ${large[k].toFixed(1)} at 3840x2160 against ${small[k].toFixed(1)} at 1920x1080 (${small.tile} and ${large.tile})`);
			/* a window resized (a kiosk going full screen) redraws at the new size's scale */
			const at2x = (on) => page.waitForFunction((x) => {
				const levels = [...document.querySelectorAll('.tiles-mahallas .leaflet-tile-container')];
				const tile = levels.sort((a, b) => Number(b.style.zIndex) - Number(a.style.zIndex))[0]?.querySelector('img.leaflet-tile-loaded');
				return tile && tile.src.includes('@2x') === x;
			}, on, { timeout: UI_MS });
			await page.setViewportSize({ width: 1920, height: 1080 });
			await at2x(false);
			await page.setViewportSize({ width: 3840, height: 2160 });
			await at2x(true);
			await page.setViewportSize({ width: 1920, height: 1080 });
		});

		await t.test('nothing overflows, nothing is left untranslated, every swatch has a colour', () => {
			assert.deepEqual([...new Set(faults)], []);
			assert.deepEqual(pageErrors, []);
			assert.deepEqual(refused, [], 'nothing refused by the Content-Security-Policy');
		});
	} finally {
		await close();
	}
});
