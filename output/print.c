/*
 * print: the request checked, the document chosen and the PDF, PNG or CSV
 * made. The pages are printjob's parts: printmap (a map page), printarea,
 * printcover, printbacktest, printcompare, printpack, with printframe,
 * printflow and printlegend around them.
 */
#include "print.h"

#include "err.h"
#include "membuf.h"
#include "pngenc.h"
#include "printbacktest.h"
#include "printcompare.h"
#include "printcover.h"
#include "printjob.h"
#include "printmap.h"
#include "printpack.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const lang_codes[3] = {"uz", "ru", "en"};
_Static_assert(PRINT_UZ == (int)MSG_UZ && PRINT_RU == (int)MSG_RU && PRINT_EN == (int)MSG_EN,
               "print_lang indexes the message catalogue");

static int parse_choice(const char *field, const char *text, const char *const *names, int n,
                        int *out)
{
	for (int i = 0; text && i < n; i++)
		if (strcasecmp(text, names[i]) == 0) {
			*out = i;
			return 0;
		}
	char list[64] = "";
	for (int i = 0; i < n; i++) {
		strncat(list, names[i], sizeof list - strlen(list) - 1);
		if (i + 1 < n)
			strncat(list, ", ", sizeof list - strlen(list) - 1);
	}
	return err_set_field(ERR_INVALID, field, "%s: '%s' is not one of %s", field,
	                     text ? text : "", list);
}

int print_paper_parse(const char *text, enum print_paper *out)
{
	static const char *const names[] = {"A4", "A3"};
	int i = 0, rc = parse_choice("paper", text, names, 2, &i);
	if (rc == 0)
		*out = (enum print_paper)i;
	return rc;
}

int print_lang_parse(const char *text, enum print_lang *out)
{
	int i = 0, rc = parse_choice("lang", text, lang_codes, 3, &i);
	if (rc == 0)
		*out = (enum print_lang)i;
	return rc;
}

int print_format_parse(const char *text, enum print_format *out)
{
	static const char *const names[] = {"pdf", "png", "csv"};
	int i = 0, rc = parse_choice("format", text, names, 3, &i);
	if (rc == 0)
		*out = (enum print_format)i;
	return rc;
}

static const struct shapes_area *find_area(const shapes *sh, enum shapes_kind kind,
                                           const char *code)
{
	for (size_t i = 0; i < shapes_count(sh, kind); i++)
		if (strcmp(shapes_area(sh, kind, i)->code, code) == 0)
			return shapes_area(sh, kind, i);
	return NULL;
}

static int check_request(const struct print_request *q)
{
	unsigned unprintable = q->layers & ~(unsigned)PRINT_MAP_LAYERS, bit;
	const char *name;
	for (size_t i = 0; (name = render_layer_name(i, &bit)) != NULL; i++)
		if (unprintable & bit)
			return err_set_field(
			    ERR_INVALID, "layers",
			    "layers: '%s' is not drawn on paper (a printed map draws "
			    "base, districts, mahallas, choropleth, heatmap, change, "
			    "gistar, trends, offences, zones and tracks)",
			    name);
	if (q->kind == PRINT_AREA && !q->district == !q->mahalla)
		return err_set_field(ERR_INVALID, "print",
		                     "print: name either a district or a mahalla");
	static const char *const kinds[] = {[PRINT_COVERAGE] = "coverage",
	                                    [PRINT_ROSTER] = "roster",
	                                    [PRINT_BACKTEST] = "backtest",
	                                    [PRINT_COMPARE] = "compare"};
	if (q->kind != PRINT_AREA && (q->mahalla || q->atlas))
		return err_set_field(ERR_INVALID, kinds[q->kind],
		                     "%s: printed for a district, without an atlas",
		                     kinds[q->kind]);
	if (q->kind == PRINT_BACKTEST && !q->backtest)
		return err_set_field(ERR_INVALID, "backtest", "backtest: no backtest to print");
	if (q->kind == PRINT_AREA && q->backtest && q->format == PRINT_PNG)
		return err_set_field(ERR_INVALID, "format",
		                     "format: a map and the backtest's page make a PDF");
	if (q->format == PRINT_CSV && q->kind != PRINT_ROSTER)
		return err_set_field(ERR_INVALID, "format",
		                     "format: only a roster is written as CSV");
	if (q->format == PRINT_PNG && q->kind == PRINT_ROSTER)
		return err_set_field(ERR_INVALID, "format", "format: a roster is a PDF or a CSV");
	if (q->atlas && !q->district)
		return err_set_field(ERR_INVALID, "atlas",
		                     "atlas: an atlas is printed for a district");
	if (q->atlas && q->format == PRINT_PNG)
		return err_set_field(ERR_INVALID, "atlas",
		                     "atlas: an atlas is a PDF; use format pdf");
	if (q->pack &&
	    (!q->mahalla || q->kind != PRINT_AREA || q->format != PRINT_PDF || q->backtest))
		return err_set_field(ERR_INVALID, "pack",
		                     "pack: a mahalla's meeting pack is a PDF of its own");
	struct shapes_shift day;
	if (q->since && !q->pack)
		return err_set_field(ERR_INVALID, "since", "since: goes with a pack");
	if (q->since && shapes_shift_on(q->since, 0, CIVIL_MINUTES_PER_DAY, &day) < 0)
		return err_set_field(ERR_INVALID, "since", "since: '%s' is not a day YYYY-MM-DD",
		                     q->since);
	if (q->scale != 0 && !(q->scale >= PRINT_MIN_SCALE && q->scale <= PRINT_MAX_SCALE))
		return err_set_field(ERR_INVALID, "scale", "scale: 1:%g is outside 1:%d .. 1:%d",
		                     q->scale, PRINT_MIN_SCALE, PRINT_MAX_SCALE);
	if (q->dpi != 0 && !(q->dpi >= PRINT_MIN_DPI && q->dpi <= PRINT_MAX_DPI))
		return err_set_field(ERR_INVALID, "dpi", "dpi: %g is outside %d .. %d", q->dpi,
		                     PRINT_MIN_DPI, PRINT_MAX_DPI);
	if (q->hotspots > PRINTJOB_MAX_HOTSPOTS)
		return err_set_field(ERR_INVALID, "hotspots", "hotspots: at most %d",
		                     PRINTJOB_MAX_HOTSPOTS);
	if (q->visit != 0 && !(q->visit >= PRINT_MIN_VISIT && q->visit <= PRINT_MAX_VISIT))
		return err_set_field(ERR_INVALID, "visit", "visit: %g minutes is outside %d .. %d",
		                     q->visit, PRINT_MIN_VISIT, PRINT_MAX_VISIT);
	if (q->every != 0 && !(q->every >= PRINT_MIN_EVERY && q->every <= PRINT_MAX_EVERY))
		return err_set_field(ERR_INVALID, "every", "every: %g minutes is outside %d .. %d",
		                     q->every, PRINT_MIN_EVERY, PRINT_MAX_EVERY);
	return 0;
}

/* The pages: the area, or a district's overview and its mahallas. */
static int collect_pages(struct printjob *j, const struct shapes_area ***out,
                         enum shapes_kind *kind, size_t *n)
{
	const struct print_request *q = j->q;
	*kind = q->district || q->kind != PRINT_AREA ? SHAPES_DISTRICTS : SHAPES_MAHALLAS;
	const struct shapes_area *a =
	    q->district || q->mahalla
	        ? find_area(j->sh, *kind, q->district ? q->district : q->mahalla)
	    : shapes_count(j->sh, SHAPES_DISTRICTS) ? shapes_area(j->sh, SHAPES_DISTRICTS, 0)
	                                            : NULL;
	if (!a && !q->district && !q->mahalla)
		return err_set_field(ERR_NOTFOUND, "district",
		                     "district: the database has no district to print");
	if (!a)
		return err_set(ERR_NOTFOUND, "%s '%s' does not exist",
		               q->district ? "district" : "mahalla",
		               q->district ? q->district : q->mahalla);
	size_t cap = 1 + (q->atlas ? shapes_count(j->sh, SHAPES_MAHALLAS) : 0);
	*out = malloc(cap * sizeof **out);
	if (!*out)
		return err_set(ERR_NOMEM, "print: out of memory");
	(*out)[0] = a;
	*n = 1;
	for (size_t i = 0; q->atlas && i < shapes_count(j->sh, SHAPES_MAHALLAS); i++) {
		const struct shapes_area *m = shapes_area(j->sh, SHAPES_MAHALLAS, i);
		int in = m->district_code ? strcmp(m->district_code, a->code) == 0
		                          : shapes_rings_contain(printjob_full_rings(&a->geom),
		                                                 m->anchor.x, m->anchor.y);
		if (in)
			(*out)[(*n)++] = m;
	}
	return 0;
}

/* The document: area pages (an atlas ending with the hotspot-methods page
 * when it has a backtest), or a coverage page and its responsibility
 * table, or a roster, or the hotspot-methods page, or the comparison
 * table, onto the job's context. */
static int draw_document(struct printjob *j, const struct shapes_area **areas, size_t n,
                         enum shapes_kind kind, struct print_result *out)
{
	const struct print_request *q = j->q;
	int pdf = q->format == PRINT_PDF, rc = 0;
	if (q->kind == PRINT_COMPARE)
		return printcompare_draw(j, pdf);
	if (q->kind == PRINT_ROSTER)
		return printcover_roster(j, areas[0]);
	if (q->pack)
		return printpack_draw(j, areas[0], &out->scale);
	if (q->kind == PRINT_COVERAGE)
		return printcover_document(j, kind, areas[0], pdf, &out->scale);
	size_t maps = q->kind == PRINT_BACKTEST ? 0 : n;
	j->pages = (int)maps + (q->backtest ? 1 : 0);
	for (size_t i = 0; i < maps && rc == 0; i++) {
		j->page_no = (int)i + 1;
		rc = printmap_page(j, i == 0 ? kind : SHAPES_MAHALLAS, areas[i], &out->scale);
		if (rc == 0 && pdf)
			cairo_show_page(j->ts.cr);
	}
	if (rc == 0 && q->backtest) {
		j->page_no = j->pages;
		if ((rc = printbacktest_draw(j, areas[0])) == 0 && pdf)
			cairo_show_page(j->ts.cr);
	}
	return rc;
}

int print_make(renderer *r, store *st, const struct print_request *q, struct print_result *out)
{
	struct printjob j = {.r = r, .st = st, .q = q};
	struct membuf buf = {0};
	const struct shapes_area **areas = NULL;
	cairo_surface_t *surface = NULL;
	enum shapes_kind kind = SHAPES_DISTRICTS;
	size_t n = 0;
	int rc;
	*out = (struct print_result){0};
	/* The comparison of every district is of no one area. */
	int arealess = q->kind == PRINT_COMPARE && !q->district;
	if ((rc = check_request(q)) < 0 || (rc = printjob_open(&j)) < 0 ||
	    (!arealess && (rc = collect_pages(&j, &areas, &kind, &n)) < 0) ||
	    ((q->kind == PRINT_COVERAGE || q->kind == PRINT_ROSTER) &&
	     (rc = printcover_open(&j)) < 0) ||
	    (q->kind == PRINT_COMPARE && (rc = printcompare_open(&j)) < 0))
		goto out;
	if (q->kind == PRINT_BACKTEST)
		printbacktest_period(&j);
	out->epsg = utm_epsg(j.u);
	out->from = j.from;
	out->to = j.to;
	char from[16], to[16];
	printjob_date(&j, j.from, from, sizeof from);
	printjob_date(&j, j.to, to, sizeof to);
	snprintf(out->dates, sizeof out->dates, "%s_%s", from, to);
	printjob_append(out->place, sizeof out->place, 0, "%s",
	                q->kind == PRINT_COMPARE ? printcompare_place(&j)
	                : n                      ? printjob_area_name(&j, areas[0])
	                                         : "");
	if (q->format == PRINT_CSV) {
		rc = printcover_csv(&j, &out->data, &out->len);
		goto out;
	}
	if (q->format == PRINT_PDF) {
		surface = cairo_pdf_surface_create_for_stream(membuf_write, &buf, j.pw, j.ph);
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, out->place);
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "posbon");
	} else {
		int w = (int)ceil(j.pw / PRINTJOB_PT_PER_INCH * j.dpi),
		    h = (int)ceil(j.ph / PRINTJOB_PT_PER_INCH * j.dpi);
		surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
	}
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		rc = err_set(ERR_NOMEM, "print: no %s surface: %s",
		             q->format == PRINT_PDF ? "PDF" : "PNG",
		             cairo_status_to_string(cairo_surface_status(surface)));
		goto out;
	}
	j.ts.cr = cairo_create(surface);
	if (q->format == PRINT_PNG)
		cairo_scale(j.ts.cr, j.dpi / PRINTJOB_PT_PER_INCH, j.dpi / PRINTJOB_PT_PER_INCH);
	rc = draw_document(&j, areas, n, kind, out);
	cairo_destroy(j.ts.cr);
	if (rc < 0)
		goto out;
	if (q->format == PRINT_PDF) {
		cairo_surface_finish(surface);
		if (buf.failed || cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
			rc = err_set(ERR_NOMEM, "print: writing the PDF failed");
			goto out;
		}
		out->data = buf.data;
		out->len = buf.len;
		buf.data = NULL;
	} else if ((rc = pngenc_encode(surface, &out->data, &out->len)) < 0) {
		goto out;
	}
	out->pages = q->format == PRINT_PDF ? j.pages : 1;
out:
	if (surface)
		cairo_surface_destroy(surface);
	free(buf.data);
	free(areas);
	printjob_close(&j);
	return rc;
}
