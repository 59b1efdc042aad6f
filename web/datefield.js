// posbon viewer: date and time fields written as the office writes them, in
// every language of the viewer: dates dd.mm.yyyy, times 24-hour HH:MM. The
// browser's own <input type=date|time> follow the browser's locale instead
// (12/06/2026 and "06:00 PM" in an English one), whatever the viewer's
// language says.
//
// A field is an <input> marked data-date or data-time (dateFields()), or
// made one by dateField(). Its `value` stays ISO (yyyy-mm-dd, HH:MM), as
// the native inputs' was, so the code that reads and sets it and the API
// calls it makes do not change. Typing is checked: a complete, valid text
// takes effect at once (a `change` event); a bad one marks the field
// invalid with a message in the viewer's language and sends no `change`,
// so no request is made with it, and `value` keeps the last good one.
// Digits alone are enough (the dots and the colon come by themselves); the
// up and down arrows step the part under the caret.
//
// The parsing and stepping at the top are pure (tests/web/test_datefield.mjs).

import { onLangChange, t } from './i18n.js';

const pad2 = (n) => String(n).padStart(2, '0');
const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/* ---------- pure ---------- */

/* The ISO date (yyyy-mm-dd) of a typed text: d.m.yyyy (also with / or -
 * between, or a two-digit year of this century), ddmmyyyy, or ISO itself;
 * '' for an empty text, null for anything else or a day the month lacks. */
export function parseDate(text) {
	const s = String(text ?? '').trim();
	if (!s) return '';
	let r = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
	let [y, m, d] = r ? [r[1], r[2], r[3]] : [];
	if (!r && (r = /^(\d{1,2})[./\- ](\d{1,2})[./\- ](\d{4}|\d{2})$/.exec(s) || /^(\d{2})(\d{2})(\d{4})$/.exec(s)))
		[d, m, y] = [r[1], r[2], r[3].length === 2 ? `20${r[3]}` : r[3]];
	if (!r) return null;
	[y, m, d] = [y, m, d].map(Number);
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return null;
	return `${y}-${pad2(m)}-${pad2(d)}`;
}

/* The HH:MM of a typed time: H, HH, H:MM, HH:MM (or a dot), HHMM; '' for
 * an empty text, null for anything else. A day has no 24:00. */
export function parseTime(text) {
	const s = String(text ?? '').trim();
	if (!s) return '';
	const r = /^(\d{1,2})(?:[:.]?(\d{2}))?$/.exec(s);
	if (!r) return null;
	const [h, m] = [Number(r[1]), Number(r[2] ?? 0)];
	return h > 23 || m > 59 ? null : `${pad2(h)}:${pad2(m)}`;
}

/* dd.mm.yyyy of an ISO date ('' when it is none). */
export function formatDate(iso) {
	const v = parseDate(iso);
	return v ? v.split('-').reverse().join('.') : '';
}

export const formatTime = (v) => parseTime(v) || '';

/* The ISO date iso moved by delta days, months or years (part 0, 1, 2: the
 * order of dd.mm.yyyy); a day the new month lacks becomes its last. */
export function stepDate(iso, part, delta) {
	let [y, m, d] = iso.split('-').map(Number);
	if (part === 0) return new Date(Date.UTC(y, m - 1, d + delta)).toISOString().slice(0, 10);
	if (part === 1) [y, m] = [y + Math.floor((m - 1 + delta) / 12), ((((m - 1 + delta) % 12) + 12) % 12) + 1];
	else y += delta;
	return `${y}-${pad2(m)}-${pad2(Math.min(d, daysIn(y, m)))}`;
}

/* HH:MM moved by delta hours (part 0) or minutes (part 1), round the clock. */
export function stepTime(v, part, delta) {
	const [h, m] = v.split(':').map(Number);
	const min = (((h * 60 + m + delta * (part === 0 ? 60 : 1)) % 1440) + 1440) % 1440;
	return `${pad2(Math.floor(min / 60))}:${pad2(min % 60)}`;
}

/* ---------- the fields ---------- */

const KINDS = {
	date: {
		parse: parseDate,
		format: formatDate,
		step: stepDate,
		/* a text worth taking as soon as it is typed */
		complete: /^(\d{2}\.\d{2}\.\d{4}|\d{4}-\d{2}-\d{2}|\d{8})$/,
		/* after these, the separator is added */
		auto: /^(\d{2}|\d{1,2}\.\d{2})$/,
		sep: '.',
		/* the part under caret position i: 0 day, 1 month, 2 year */
		part: (i) => (i <= 2 ? 0 : i <= 5 ? 1 : 2),
		size: 10,
	},
	time: {
		parse: parseTime,
		format: formatTime,
		step: stepTime,
		complete: /^(\d{2}:\d{2}|\d{4})$/,
		auto: /^\d{2}$/,
		sep: ':',
		part: (i) => (i <= 2 ? 0 : 1),
		size: 5,
	},
};

const fields = new WeakMap(); /* input -> its check(), for fieldsValid() */
const own = new WeakSet(); /* the change events the fields send themselves */
let langHooked = false;

/* The texts of field x (placeholder, message) in the current language. */
function relabel(x) {
	x.placeholder = t(`field.${x.dataset.datefield}.placeholder`);
	const msg = document.getElementById(x.getAttribute('aria-describedby'));
	if (msg) msg.textContent = t(`field.${x.dataset.datefield}.bad`);
}

/* Marks x invalid, with its message after it, or valid. */
function mark(x, invalid) {
	let msg = document.getElementById(x.getAttribute('aria-describedby'));
	x.classList.toggle('invalid', invalid);
	if (!invalid) {
		x.removeAttribute('aria-invalid');
		msg?.remove();
		return;
	}
	x.setAttribute('aria-invalid', 'true');
	if (!msg) {
		msg = document.createElement('span');
		msg.className = 'field-error datefield-error';
		msg.setAttribute('role', 'alert');
		msg.id = `${x.id || `datefield-${Math.random().toString(36).slice(2)}`}-error`;
		x.setAttribute('aria-describedby', msg.id);
		x.after(msg);
	}
	relabel(x);
}

/* Makes input a field of kind ('date' or 'time'; else as it is marked)
 * and returns it. Its text so far (ISO or as shown) is its first value. */
export function dateField(input, kind = 'time' in input.dataset ? 'time' : 'date') {
	if (fields.has(input)) return input;
	const k = KINDS[kind];
	const native = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
	const text = (s) => (s === undefined ? native.get.call(input) : native.set.call(input, s));
	let value = k.parse(text()) || '';
	input.type = 'text';
	input.dataset.datefield = kind;
	input.classList.add('datefield');
	input.inputMode = 'numeric';
	input.autocomplete = 'off';
	input.spellcheck = false;
	input.size = k.size;
	text(k.format(value));
	Object.defineProperty(input, 'value', {
		configurable: true,
		get: () => value,
		set: (v) => {
			value = k.parse(v) || '';
			text(k.format(value));
			mark(input, false);
		},
	});
	/* The text as typed: true when it holds a value (taken, with a change
	 * event when new), false (marked invalid) when not. */
	const check = () => {
		const v = k.parse(text());
		mark(input, v === null);
		if (v === null) return false;
		if (text() !== k.format(v)) text(k.format(v));
		if (v !== value) {
			value = v;
			const e = new Event('change', { bubbles: true });
			own.add(e);
			input.dispatchEvent(e);
		}
		return true;
	};
	fields.set(input, check);
	input.addEventListener('input', (e) => {
		let s = text();
		const atEnd = input.selectionStart === s.length;
		/* a separator typed right after the one added for it */
		if (atEnd && /[.:/\- ]{2}$/.test(s)) s = s.slice(0, -1);
		else if (atEnd && e.inputType === 'insertText' && k.auto.test(s)) s += k.sep;
		if (s !== text()) text(s);
		if (k.complete.test(s)) check();
		else mark(input, false);
	});
	/* The browser's change (on leaving the field, or Enter) is checked
	 * first and goes no further: check() sends its own when the value is
	 * new. */
	input.addEventListener('change', (e) => {
		if (own.has(e)) return;
		e.stopImmediatePropagation();
		check();
	}, true);
	input.addEventListener('keydown', (e) => {
		if ((e.key !== 'ArrowUp' && e.key !== 'ArrowDown') || e.altKey || e.ctrlKey || e.metaKey) return;
		const v = k.parse(text());
		if (!v) return;
		e.preventDefault();
		const at = input.selectionStart;
		text(k.format(k.step(v, k.part(at), e.key === 'ArrowUp' ? 1 : -1)));
		input.setSelectionRange(at, at);
		check();
	});
	if (!langHooked) {
		langHooked = true;
		onLangChange(() => document.querySelectorAll('input.datefield').forEach(relabel));
	}
	relabel(input);
	return input;
}

/* Makes every input marked data-date or data-time under root a field. */
export function dateFields(root = document) {
	for (const x of root.querySelectorAll('input[data-date], input[data-time]')) dateField(x);
}

/* Whether every field under root holds what its text says; the first one
 * that does not is marked and focused. For a form about to be sent. */
export function fieldsValid(root) {
	const bad = [...root.querySelectorAll('input.datefield')].filter((x) => fields.get(x)?.() === false);
	bad[0]?.focus();
	return !bad.length;
}
