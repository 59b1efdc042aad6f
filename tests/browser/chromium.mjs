// Debian's Chromium (POSBON_CHROMIUM, default /usr/bin/chromium) through
// playwright-core for the browser tests: a fresh profile in a temporary
// folder, a 1920x1080 window, nothing started in the background.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { ringContains } from '../../web/geometry.js';

const CHROMIUM = process.env.POSBON_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/* { context, page, refused, close() }: refused gathers what the server's
 * Content-Security-Policy refused (the console reports each refusal);
 * close() ends the browser and removes the profile. locale (such as
 * "en-US") runs the browser in that locale, as its user's desktop would:
 * its own date and time inputs, number formats and Accept-Language. */
export async function launch({ locale } = {}) {
	const profile = mkdtempSync(join(tmpdir(), 'posbon-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: locale ? [...ARGS, `--lang=${locale}`] : ARGS,
		...(locale && { locale, env: { ...process.env, LANG: `${locale.replace('-', '_')}.UTF-8` } }),
		viewport: { width: 1920, height: 1080 },
	});
	const page = context.pages()[0] || (await context.newPage());
	const refused = [];
	context.on('console', (m) => {
		if (m.type() === 'error' && m.text().includes('Content Security Policy')) refused.push(m.text());
	});
	return {
		context,
		page,
		refused,
		close: async () => {
			await context.close();
			rmSync(profile, { recursive: true, force: true });
		},
	};
}

/* One browser for several users at once: { page(viewport), refused,
 * close() }; page() opens a page in a context of its own (its own
 * cookies, so its own session), 1920x1080 unless viewport says otherwise;
 * refused gathers what the Content-Security-Policy refused in any. */
export async function launchUsers() {
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
	const refused = [];
	return {
		refused,
		page: async (viewport = { width: 1920, height: 1080 }) => {
			const context = await browser.newContext({ viewport });
			context.on('console', (m) => m.type() === 'error' && m.text().includes('Content Security Policy') && refused.push(m.text()));
			return context.newPage();
		},
		close: () => browser.close(),
	};
}

/* Where lon, lat is on page's screen ({ x, y, z: the tile zoom, px: CSS
 * pixels per tile pixel }, or null before a tile is in), from a tile of the
 * districts layer at the map's current zoom: Leaflet keeps the current
 * level on top. */
export function screenOf(page, lon, lat) {
	return page.evaluate(([lon, lat]) => {
		const levels = [...document.querySelectorAll('.tiles-districts .leaflet-tile-container')];
		levels.sort((a, b) => Number(b.style.zIndex) - Number(a.style.zIndex));
		const img = [...(levels[0]?.querySelectorAll('img.leaflet-tile-loaded') || [])][0];
		if (!img) return null;
		const [z, x, y] = /\/(\d+)\/(\d+)\/(\d+)(?:@2x)?\.png$/.exec(new URL(img.src).pathname).slice(1).map(Number);
		const n = 2 ** z;
		const tx = ((lon + 180) / 360) * n;
		const ty = ((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * n;
		const r = img.getBoundingClientRect();
		return { x: r.left + (tx - x) * r.width, y: r.top + (ty - y) * r.height, z, px: r.width / 256 };
	}, [lon, lat]);
}

/* Opens the viewer at base, logs in with token in English and waits until
 * the viewer is ready. */
export async function login(page, base, token, timeout) {
	await page.goto(base.href);
	await page.locator('#login-token').waitFor({ state: 'visible', timeout });
	await page.click('.login [data-lang="en"]');
	await page.fill('#login-token', token);
	await page.click('#login-submit');
	await page.waitForSelector('body[data-ready="true"]', { timeout });
}

/* Draws a polygon through the page points corners ([x, y], the last one
 * the first again, which closes it) with Geoman's polygon tool, and waits
 * for the zone form. */
export async function drawPolygon(page, corners, timeout) {
	await page.click('.leaflet-pm-toolbar .leaflet-pm-icon-polygon');
	/* Geoman's markers of the vertices placed so far (not its cursor's) */
	const VERTICES = '.leaflet-marker-pane .marker-icon:not(.cursor-marker)';
	for (const [i, [x, y]] of corners.entries()) {
		const before = await page.locator(VERTICES).count();
		await page.mouse.move(x, y);
		await page.mouse.click(x, y);
		/* the click was taken: a vertex more (the last one closes the ring instead) */
		if (i < corners.length - 1)
			await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length > n, [VERTICES, before], { timeout });
	}
	await page.locator('#zone-form').waitFor({ state: 'visible', timeout });
}

/* Fills the zone form's name and one assignment row per [service, unit]. */
export async function fillZone(page, name, rows) {
	await page.fill('#zone-name', name);
	for (const [i, [service, unit]] of rows.entries()) {
		if (i) await page.click('#zone-add-row');
		await page.selectOption(`#zone-rows .as-row:nth-child(${i + 1}) .as-service`, service);
		await page.fill(`#zone-rows .as-row:nth-child(${i + 1}) .as-unit`, unit);
	}
}

/* A point well inside polygon ring (lon/lat pairs): of a grid over its box,
 * the inside point farthest from the ring's edges. */
export function insidePoint(ring) {
	const xs = ring.map((p) => p[0]);
	const ys = ring.map((p) => p[1]);
	const [w, e, s, n] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
	let best = null;
	for (let i = 1; i < 20; i++)
		for (let j = 1; j < 20; j++) {
			const x = w + ((e - w) * i) / 20;
			const y = s + ((n - s) * j) / 20;
			if (!ringContains(ring, x, y)) continue;
			const d = Math.min(...ring.slice(1).map((q, k) => edgeDistance([x, y], ring[k], q)));
			if (!best || d > best.d) best = { x, y, d };
		}
	return [best.x, best.y];
}

/* The distance of point p from the segment a-b (in degrees: only compared). */
function edgeDistance([x, y], [ax, ay], [bx, by]) {
	const l = (bx - ax) ** 2 + (by - ay) ** 2;
	const u = l ? Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / l)) : 0;
	return Math.hypot(x - ax - u * (bx - ax), y - ay - u * (by - ay));
}

/* In the page: what is wrong with the new texts under roots (selectors):
 * an element whose content overflows across, a value missing (NaN,
 * undefined, null), and any data-i18n left empty in the page. */
export function textFaults(roots) {
	const faults = [];
	const shown = (e) => e.getClientRects().length > 0;
	for (const root of roots.flatMap((s) => [...document.querySelectorAll(s)]))
		for (const e of [root, ...root.querySelectorAll('*')])
			if (shown(e) && !e.closest('svg') && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).display !== 'inline')
				faults.push(`${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 40)}" ${e.scrollWidth} > ${e.clientWidth}`);
	for (const root of roots.flatMap((s) => [...document.querySelectorAll(s)]))
		if (/\b(NaN|undefined|null)\b/.test(root.textContent)) faults.push(`a value missing in ${root.id || root.className}: ${root.textContent.match(/.{0,30}\b(NaN|undefined|null)\b/)[0]}`);
	for (const e of document.querySelectorAll('[data-i18n]')) if (!e.textContent.trim()) faults.push(`empty data-i18n="${e.dataset.i18n}"`);
	return faults;
}

/* What a test of several users needs from its environment: the daemon's
 * URL (POSBON_URL), the tokens of the variables named in vars (who ->
 * variable), the screenshots' folder (POSBON_SHOTS, default the system's
 * temporary one) and why the test is skipped (false when it runs). */
export function usersEnv(vars) {
	const base = process.env.POSBON_URL ? new URL(process.env.POSBON_URL) : null;
	const tokens = Object.fromEntries(Object.entries(vars).map(([who, name]) => [who, process.env[name] || '']));
	const missing = Object.keys(tokens).filter((who) => !tokens[who]);
	return { base, tokens, shots: process.env.POSBON_SHOTS || tmpdir(), skip: !base || missing.length > 0 ? `POSBON_URL or the tokens of ${missing} are not set` : false };
}

/* An API call to base as token, JSON in and out: { status, body }. */
export async function apiAs(base, token, path, init = {}) {
	const res = await fetch(new URL(path, base), {
		...init,
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers || {}) },
	});
	return { status: res.status, body: await res.json() };
}
