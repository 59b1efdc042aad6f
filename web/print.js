// posbon viewer: links to printed maps (GET /print/{district|mahalla}/CODE.pdf,
// docs/print.md) in the viewer's language, with its filters (period, hours,
// weekdays, categories, services, or the planner's shift) and the tile layers
// it shows. Pure; tests/web/test_print.mjs.

/* The layers a printed page can draw (tiles/render.c's names). */
export const PRINT_LAYERS = ['base', 'districts', 'mahallas', 'choropleth', 'heatmap', 'change', 'gistar', 'trends', 'offences', 'zones', 'tracks'];

/* The path of a printed map of kind 'district' or 'mahalla' and code, with
 * the filters of URLSearchParams filter and options { lang, layers (ids
 * shown; those a page cannot draw are left out), paper ('a4', 'a3'),
 * landscape, atlas }. */
export function printUrl(kind, code, filter, { lang, layers = [], paper = '', landscape = false, atlas = false } = {}) {
	const p = new URLSearchParams(filter);
	if (lang) p.set('lang', lang);
	const drawn = PRINT_LAYERS.filter((l) => layers.includes(l));
	if (drawn.length) p.set('layers', drawn.join(','));
	if (paper) p.set('paper', paper);
	if (landscape) p.set('landscape', '1');
	if (atlas) p.set('atlas', '1');
	return `print/${kind}/${encodeURIComponent(code)}.pdf?${p}`;
}

/* The path of a planner's print: doc 'coverage' (format 'pdf') or 'roster'
 * ('pdf' or 'csv') of the planner's arg { shift, weekdays, from, to }, the
 * zones valid on date (none: every zone) and the page's language. */
export function planPrintUrl(doc, format, arg, { date = '', lang = '' } = {}) {
	const p = new URLSearchParams({ shift: arg.shift, weekdays: arg.weekdays, from: arg.from, to: arg.to });
	if (date) p.set('date', date);
	if (lang) p.set('lang', lang);
	return `print/${doc}.${format}?${p}`;
}
