// Debian's Chromium (POSBON_CHROMIUM, default /usr/bin/chromium) through
// playwright-core for the browser tests: a fresh profile in a temporary
// folder, a 1920x1080 window, nothing started in the background.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

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

/* { context, page, close() }: close() ends the browser and removes the profile. */
export async function launch() {
	const profile = mkdtempSync(join(tmpdir(), 'posbon-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: ARGS,
		viewport: { width: 1920, height: 1080 },
	});
	const page = context.pages()[0] || (await context.newPage());
	return {
		context,
		page,
		close: async () => {
			await context.close();
			rmSync(profile, { recursive: true, force: true });
		},
	};
}
