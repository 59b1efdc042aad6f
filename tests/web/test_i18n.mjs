// web/i18n.js under node: numbers written as paper writes them.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { fmtNumber, setLang } from '../../web/i18n.js';

/* setLang() marks the page's language. */
globalThis.document = { documentElement: {} };

test('numbers follow the language, as on paper', () => {
	setLang('uz');
	assert.equal(fmtNumber(12345.67, 1), '12\u2009345,7', 'a thin space and a decimal comma');
	assert.equal(fmtNumber(-3.5, 1), '\u22123,5', 'a minus sign');
	setLang('ru');
	assert.equal(fmtNumber(1234567), '1\u2009234\u2009567');
	setLang('en');
	assert.equal(fmtNumber(12345.67, 1), '12,345.7');
	assert.equal(fmtNumber(-2), '\u22122');
	assert.equal(fmtNumber(null), '—');
});
