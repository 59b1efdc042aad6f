// posbon viewer: the analysis panel's backtest (docs/analysis.md,
// "Backtests"). "Backtest" asks GET /api/backtest with the panel's
// categories and services, the end of its period as the last day tested,
// and, in the planning mode, the planner's shift and its weekdays (outside
// it, the panel's weekdays): a row per method with the mean ± sd over the
// folds of hit rate, PAI, RRI and PEI and the folds scored, and the chart
// of the latest fold's hit-rate curves (GET /api/backtest/chart.svg, the
// same arguments and the page's language). The server's 400 message shows
// next to the button.
//
// A backtest runs for seconds, so it runs on demand, never on each change
// of the filters; an answer overtaken by a later request is dropped.

import { fmtNumber, lang, onLangChange, t, translate } from './i18n.js';
import { plannerOnChange } from './planner.js';

/* The measures in the table's order, with the digits shown. */
export const BACKTEST_MEASURES = [
	{ key: 'hit_rate', percent: true, digits: 1 },
	{ key: 'pai', digits: 2 },
	{ key: 'rri', digits: 2 },
	{ key: 'pei', digits: 2 },
];
const DEFAULT_FOLDS = 44;

const $ = (id) => document.getElementById(id);

let ctx = null; /* analysis.js's: { api, el, filterParams(), showError } */
const bt = { seq: 0, err: null, data: null, query: null, shift: null };

/* ---------- pure (tests/web/test_analysis.mjs) ---------- */

/* The query of /api/backtest for the panel's filter (URLSearchParams),
 * the planner's { shift, weekdays } (null outside planning) and the folds
 * (a string, '' for the server's default). */
export function backtestQuery(filter, shift, folds) {
	const p = new URLSearchParams();
	for (const k of ['categories', 'services']) if (filter.has(k)) p.set(k, filter.get(k));
	if (filter.get('to')) p.set('end', filter.get('to').slice(0, 10));
	if (shift) {
		p.set('shift', shift.shift);
		if (shift.weekdays) p.set('weekdays', shift.weekdays);
	} else if (filter.has('weekdays')) p.set('weekdays', filter.get('weekdays'));
	if (folds !== '') p.set('folds', folds);
	return p;
}

/* The table's rows of an answer: [{ name, folds (those with a hit rate),
 * cells: [{ key, mean, sd }] in BACKTEST_MEASURES order }]; a measure the
 * folds never defined has null. */
export function backtestRows(answer) {
	return (answer?.methods || []).map((m) => ({
		name: m.name,
		folds: (m.per_fold || []).filter((f) => f.hit_rate !== null).length,
		cells: BACKTEST_MEASURES.map(({ key }) => ({ key, mean: m.mean?.[key] ?? null, sd: m.sd?.[key] ?? null })),
	}));
}

/* ---------- panel ---------- */

function chartUrl() {
	const p = new URLSearchParams(bt.query);
	p.set('lang', lang());
	return `api/backtest/chart.svg?${p}`;
}

async function run() {
	const seq = ++bt.seq;
	const query = backtestQuery(ctx.filterParams(), bt.shift, $('bt-folds').value.trim());
	$('bt-run').disabled = true;
	$('bt-error').hidden = true;
	let answer = null;
	let err = null;
	try {
		answer = await ctx.api(`api/backtest?${query}`);
	} catch (e) {
		err = e;
	}
	if (seq !== bt.seq) return;
	$('bt-run').disabled = false;
	bt.data = answer;
	bt.query = answer ? query : null;
	bt.err = err;
	render(err);
	if (err && err.status !== 400) ctx.showError(err);
}

/* The table and chart of bt.data, or the server's refusal (err). */
function render(err = bt.err) {
	const { el } = ctx;
	$('bt-error').hidden = !err;
	$('bt-error').textContent = err ? err.message : '';
	const d = bt.data;
	$('bt-body').hidden = !d;
	if (!d) {
		$('bt-chart').removeAttribute('src');
		return;
	}
	const value = (x, m) => (x === null ? '—' : m.percent ? `${fmtNumber(100 * x, m.digits)} %` : fmtNumber(x, m.digits));
	$('bt-rows').replaceChildren(
		...backtestRows(d).map((r) =>
			el('tr', { dataset: { method: r.name } },
				el('td', {}, t(`backtest.method.${r.name}`)),
				...r.cells.map((c, i) =>
					el('td', { class: 'num', dataset: { field: c.key } },
						el('strong', {}, value(c.mean, BACKTEST_MEASURES[i])),
						el('small', {}, ` ± ${value(c.sd, BACKTEST_MEASURES[i])}`))),
				el('td', { class: 'num', dataset: { field: 'folds' } }, fmtNumber(r.folds)))),
	);
	const f = d.folds || [];
	$('bt-summary').textContent = t('backtest.summary', {
		folds: fmtNumber(f.length),
		train: fmtNumber(d.train_weeks),
		test: fmtNumber(d.test_weeks),
		from: f[0]?.train_from?.slice(0, 10) ?? '—',
		to: f[f.length - 1]?.test_to?.slice(0, 10) ?? '—',
		shift: d.shift ?? t('backtest.all_day'),
	});
	$('bt-chart').alt = t('backtest.chart');
	const url = chartUrl();
	if ($('bt-chart').getAttribute('src') !== url) $('bt-chart').src = url;
}

/* Starts the backtest under #bt; c lends the parts (see ctx). */
export function backtestStart(c) {
	ctx = c;
	$('bt-folds').value = String(DEFAULT_FOLDS);
	$('bt-run').addEventListener('click', run);
	plannerOnChange((arg) => {
		bt.shift = arg && { shift: arg.shift, weekdays: arg.weekdays };
	});
	translate($('bt'));
	onLangChange(() => render());
}
