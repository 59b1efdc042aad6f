// The viewer's catalogue (web/i18n.js) and the C one of printed pages and
// charts (tiles/msg.c) under node: each has the same keys in Uzbek, Russian
// and English, and a key both have reads the same on screen and on paper.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

import { STRINGS } from '../../web/i18n.js';

const LANGS = ['uz', 'ru', 'en'];
const here = new URL('.', import.meta.url);

/* The rows of tiles/msg.c: [MSG_X] = {"key", {"uz", "ru", "en"}}, string
 * literals side by side joined as C joins them. */
function cRows(source) {
	const rows = new Map();
	const start = /^\s*\[(MSG_\w+)\]\s*=\s*\{/gm;
	let m;
	while ((m = start.exec(source))) {
		const parts = [];
		let depth = 1, i = start.lastIndex, joining = false;
		while (depth > 0) {
			const c = source[i];
			if (c === '"') {
				let j = i + 1, text = '';
				while (source[j] !== '"') {
					if (source[j] === '\\') j++;
					text += source[j++];
				}
				if (joining) parts[parts.length - 1] += text;
				else parts.push(text);
				joining = true;
				i = j + 1;
				continue;
			}
			if (c === '{') depth++;
			else if (c === '}') depth--;
			if (!/\s/.test(c)) joining = false;
			i++;
		}
		assert.equal(parts.length, 4, `${m[1]}: a key and three texts`);
		const [key, uz, ru, en] = parts;
		assert.ok(!rows.has(key), `${key} twice in tiles/msg.c`);
		rows.set(key, { uz, ru, en });
	}
	return rows;
}

function cWeekdays(source) {
	const block = source.slice(source.indexOf('weekdays[MSG_LANGS][7]'));
	const lines = block.split('\n').slice(1, 4);
	return Object.fromEntries(LANGS.map((l, i) => [l, [...lines[i].matchAll(/"([^"]*)"/g)].map((x) => x[1])]));
}

const source = fs.readFileSync(new URL('../../tiles/msg.c', here), 'utf8');
const c = cRows(source);

test('the viewer has the same keys in the three languages', () => {
	const keys = Object.keys(STRINGS.uz).sort();
	for (const l of LANGS) assert.deepEqual(Object.keys(STRINGS[l]).sort(), keys, l);
});

test('the C catalogue has every row, each with three texts', () => {
	const header = fs.readFileSync(new URL('../../tiles/msg.h', here), 'utf8');
	const list = header.slice(header.indexOf('enum msg {'), header.indexOf('MSG_COUNT'));
	const ids = [...list.matchAll(/^\tMSG_\w+/gm)];
	assert.ok(ids.length > 100);
	assert.equal(c.size, ids.length, 'a row for every enum msg');
	for (const [key, t] of c) for (const l of LANGS) assert.ok(t[l].length > 0, `${key} ${l}`);
});

test('a key of both reads the same on screen and on paper', () => {
	let shared = 0;
	for (const [key, t] of c) {
		if (!(key in STRINGS.uz)) {
			assert.match(key, /^(paper|chart|btpage|wms)\./, `${key}: not the viewer's, so the paper's own`);
			continue;
		}
		shared++;
		for (const l of LANGS) assert.equal(t[l], STRINGS[l][key], `${key} in ${l}`);
	}
	assert.ok(shared >= 50, `${shared} shared keys`);
});

test('the weekdays are the viewer\'s short ones', () => {
	const days = cWeekdays(source);
	for (const l of LANGS) assert.deepEqual(days[l], STRINGS[l]['weekdays.short'], l);
});
