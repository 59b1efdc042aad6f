/*
 * printcover: the statuses in the style's hotspots colours, as the tiles
 * and the viewer's panel show them; tables flow over pages through
 * printframe.
 */
#include "printcover.h"

#include "csv.h"
#include "err.h"
#include "printframe.h"
#include "printlegend.h"
#include "printmap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The colour of a coverage status: the style's hotspots colours, which the
 * tiles and the viewer's panel use too; these only for a style without a
 * hotspots layer. */
static const struct style_colour *status_colour(const struct printjob *j, int status)
{
	static const enum style_hotspot_look looks[4] = {
	    [COVERAGE_GAP] = STYLE_HOTSPOT_GAP,
	    [COVERAGE_COVERED] = STYLE_HOTSPOT_COVERED,
	    [COVERAGE_JOINT] = STYLE_HOTSPOT_JOINT,
	    [COVERAGE_OVERLAP] = STYLE_HOTSPOT_OVERLAP,
	};
	/* styles/default.json's */
	static const struct style_colour unstyled[4] = {
	    [COVERAGE_GAP] = {0xe3 / 255.0, 0x1a / 255.0, 0x1c / 255.0, 1},
	    [COVERAGE_COVERED] = {0x1a / 255.0, 0x96 / 255.0, 0x41 / 255.0, 1},
	    [COVERAGE_JOINT] = {0x2b / 255.0, 0x8c / 255.0, 0xbe / 255.0, 1},
	    [COVERAGE_OVERLAP] = {0x7b / 255.0, 0x32 / 255.0, 0x94 / 255.0, 1},
	};
	const struct style_hotspots *hs = style_hotspots(j->sty);
	return hs ? &hs->colours[looks[status]] : &unstyled[status];
}

static const enum msg status_names[4] = {
    [COVERAGE_GAP] = MSG_COVERAGE_STATUS_GAP,
    [COVERAGE_COVERED] = MSG_COVERAGE_STATUS_COVERED,
    [COVERAGE_JOINT] = MSG_COVERAGE_STATUS_JOINT,
    [COVERAGE_OVERLAP] = MSG_COVERAGE_STATUS_OVERLAP,
};

/* The rings of a lon/lat hotspot polygon as a path in v's pixels. */
static int hotspot_path(struct printjob *j, cairo_t *cr, const struct view *v,
                        const struct hotspot_polygon *poly)
{
	for (size_t r = 0; r < poly->n_rings; r++) {
		uint32_t a = poly->ring_start[r], b = poly->ring_start[r + 1];
		size_t n = b - a;
		double *x = malloc((n ? n : 1) * sizeof *x), *y = malloc((n ? n : 1) * sizeof *y);
		int rc = x && y ? 0 : err_set(ERR_NOMEM, "print: out of memory");
		for (size_t i = 0; rc == 0 && i < n; i++) {
			x[i] = poly->xy[2 * (a + i)];
			y[i] = poly->xy[2 * (a + i) + 1];
		}
		if (rc == 0 && (rc = utm_forward(j->u, x, y, n)) == 0) {
			for (size_t i = 0; i < n; i++) {
				double px, py;
				view_to_px(v, x[i], y[i], &px, &py);
				if (i == 0)
					cairo_move_to(cr, px, py);
				else
					cairo_line_to(cr, px, py);
			}
			cairo_close_path(cr);
		}
		free(x);
		free(y);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The shift's hotspots filled by coverage status, under the labels. */
int printcover_paint(struct printjob *j, const struct view *v, cairo_t *cr)
{
	int rc = 0;
	cairo_save(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	for (size_t i = 0; rc == 0 && i < j->cov.n_hotspots; i++) {
		const struct coverage_hotspot *h = &j->cov.hotspots[i];
		const struct style_colour *c = status_colour(j, h->status);
		cairo_new_path(cr);
		if ((rc = hotspot_path(j, cr, v, &h->h->poly)) < 0)
			break;
		printjob_colour(cr, c, h->status == COVERAGE_GAP ? 0.55 : 0.35);
		cairo_fill_preserve(cr);
		printjob_colour(cr, c, 1);
		cairo_set_line_width(cr, 2);
		cairo_stroke(cr);
	}
	cairo_restore(cr);
	return rc;
}

/* The page positions of the coverage's hotspots (their peaks). */
int printcover_marks(struct printjob *j, struct printjob_page *p)
{
	for (size_t i = 0; i < j->cov.n_hotspots && p->n_hot < PRINTJOB_MAX_HOTSPOTS; i++) {
		const struct hotspot *h = j->cov.hotspots[i].h;
		double x = h->peak_lon, y = h->peak_lat;
		int rc = utm_forward(j->u, &x, &y, 1);
		if (rc < 0)
			return rc;
		p->hot[p->n_hot++] =
		    (struct printjob_peak){.x = x, .y = y, .offences = (double)h->offences};
	}
	return 0;
}

/* The services of a hotspot's covering assignments, by name. */
static void covering_services(const struct printjob *j, const struct coverage_hotspot *h, char *out,
                              size_t n)
{
	size_t len = 0;
	*out = 0;
	for (size_t k = 0; k < h->n_covered_by; k++) {
		const char *svc = j->cov.assignments[h->covered_by[k]].a->service;
		int seen = 0;
		for (size_t m = 0; m < k && !seen; m++)
			seen = strcmp(j->cov.assignments[h->covered_by[m]].a->service, svc) == 0;
		if (!seen)
			len = printjob_append(out, n, len, "%s%s", len ? ", " : "",
			                      storeprint_name(&j->services, svc));
	}
	if (!len)
		printjob_append(out, n, 0, "%s", printjob_text(j, MSG_PAPER_NOBODY));
}

void printcover_legend(struct printjob *j, struct typeset_column *c)
{
	double x, y, w, h;
	for (int st = 0; st < 4; st++) {
		char label[96], name[64];
		snprintf(
		    label, sizeof label, "%s (%zu)",
		    msg_capital(status_names[st], (enum msg_lang)j->q->lang, name, sizeof name),
		    j->cov.counts[st]);
		if (!printlegend_row(j, c, label, &x, &y, &w, &h))
			return;
		printlegend_swatch(j, x, y, w, h, status_colour(j, st),
		                   st == COVERAGE_GAP ? 0.55 : 0.35, 1);
	}
}

#define COVER_CELLS 6 /* the widest of the page's tables */
/* The lines of a cell of the panel's tables: six columns in a third of A4
 * hold a service's name ("Патрульно-/постовая/служба") in three. */
#define COVER_LINES 3

/* Rows of cells that fit in c, with room kept for "N more" when they do not
 * all. */
static size_t rows_shown(const struct printjob *j, const struct typeset_column *c,
                         const struct typeset_table *t, const char *(*cells)[COVER_CELLS],
                         size_t rows)
{
	double room = c->bottom - c->y, used = 0, more = typeset_row_height(&j->ts);
	size_t i = 0;
	for (; i < rows; i++) {
		double h = typeset_row_measure(&j->ts, t, cells[i], &typeset_body);
		if (used + h + (i + 1 < rows ? more : 0) > room)
			break;
		used += h;
	}
	return i;
}

static void more_row(struct printjob *j, struct typeset_column *c, size_t more)
{
	char text[64];
	if (!more || typeset_rows_left(&j->ts, c) == 0)
		return;
	snprintf(text, sizeof text, printjob_text(j, MSG_PAPER_MORE), more);
	typeset_text(&j->ts, &typeset_small, text, c->x, c->y + 1.1 * j->ts.unit, c->w, 1,
	             TYPESET_LEFT);
	c->y += typeset_row_height(&j->ts);
}

/* A panel's table in c: its columns fitted to its heads and rows, the rows
 * that fit and "N more" for the rest. */
static void panel_table(struct printjob *j, struct typeset_column *c, struct typeset_table *t,
                        const char **head, const char *(*cells)[COVER_CELLS], size_t rows)
{
	typeset_table_measure(&j->ts, t, head, &typeset_column);
	for (size_t i = 0; i < rows; i++)
		typeset_table_measure(&j->ts, t, cells[i], &typeset_body);
	typeset_table_fit(&j->ts, t, c->w);
	typeset_row(&j->ts, c, t, head, &typeset_column);
	typeset_rule(&j->ts, c);
	size_t shown = rows_shown(j, c, t, cells, rows);
	for (size_t i = 0; i < shown; i++)
		typeset_row(&j->ts, c, t, cells[i], &typeset_body);
	more_row(j, c, rows - shown);
}

void printcover_hotspot_table(struct printjob *j, struct typeset_column *c)
{
	double u = j->ts.unit;
	size_t n = j->cov.n_hotspots;
	typeset_heading(&j->ts, c, printjob_text(j, MSG_PAPER_SHIFT_HOTSPOTS));
	struct typeset_table t = {
	    .n = 4,
	    .align = {TYPESET_RIGHT, TYPESET_LEFT, TYPESET_LEFT, TYPESET_RIGHT},
	    .lines = COVER_LINES};
	const char *head[4] = {"№", printjob_text(j, MSG_COVERAGE_STATUS),
	                       printjob_text(j, MSG_SERVICES),
	                       printjob_text(j, MSG_PAPER_OFFENCES)};
	struct row {
		char num[24], services[256], count[32], status[64];
	} *text = calloc(n ? n : 1, sizeof *text);
	const char *(*cells)[COVER_CELLS] = calloc(n ? n : 1, sizeof *cells);
	for (size_t i = 0; text && cells && i < n; i++) {
		const struct coverage_hotspot *h = &j->cov.hotspots[i];
		snprintf(text[i].num, sizeof text[i].num, "%d", h->h->rank);
		covering_services(j, h, text[i].services, sizeof text[i].services);
		typeset_count((double)h->h->offences, printjob_lang(j), text[i].count,
		              sizeof text[i].count);
		msg_capital(status_names[h->status], (enum msg_lang)j->q->lang, text[i].status,
		            sizeof text[i].status);
		const char *row[COVER_CELLS] = {text[i].num, text[i].status, text[i].services,
		                                text[i].count};
		memcpy(cells[i], row, sizeof row);
	}
	if (text && cells)
		panel_table(j, c, &t, head, cells, n);
	c->y += 5 * u;
	free(text);
	free(cells);
}

void printcover_unit_table(struct printjob *j, struct typeset_column *c)
{
	size_t n = j->cov.n_units;
	typeset_heading(&j->ts, c, printjob_text(j, MSG_PAPER_BY_UNIT));
	struct typeset_table t = {.n = 6,
	                          .align = {TYPESET_LEFT, TYPESET_LEFT, TYPESET_RIGHT,
	                                    TYPESET_RIGHT, TYPESET_RIGHT, TYPESET_RIGHT},
	                          .lines = COVER_LINES};
	const char *head[6] = {printjob_text(j, MSG_ZONE_UNIT),
	                       printjob_text(j, MSG_ZONE_SERVICE),
	                       printjob_text(j, MSG_PAPER_SHARE_OFFENCES),
	                       printjob_text(j, MSG_PAPER_SHARE_HOTSPOTS),
	                       printjob_text(j, MSG_PAPER_AREA),
	                       "PAI"};
	struct row {
		char a[32], b[32], area[32], pai[32];
	} *text = calloc(n ? n : 1, sizeof *text);
	const char *(*cells)[COVER_CELLS] = calloc(n ? n : 1, sizeof *cells);
	for (size_t i = 0; text && cells && i < n; i++) {
		const struct coverage_group *g = &j->cov.units[i];
		struct row *r = &text[i];
		typeset_decimal(100 * g->offence_share, 1, printjob_lang(j), r->a, sizeof r->a);
		typeset_decimal(100 * g->hotspot_offence_share, 1, printjob_lang(j), r->b,
		                sizeof r->b);
		typeset_value(g->zone_area_m2 / 1e6, printjob_lang(j), r->area, sizeof r->area);
		if (isnan(g->pai))
			snprintf(r->pai, sizeof r->pai, "–");
		else
			typeset_decimal(g->pai, 1, printjob_lang(j), r->pai, sizeof r->pai);
		const char *row[COVER_CELLS] = {g->unit ? g->unit : "–",
		                                storeprint_name(&j->services, g->service),
		                                r->a,
		                                r->b,
		                                r->area,
		                                r->pai};
		memcpy(cells[i], row, sizeof row);
	}
	if (text && cells)
		panel_table(j, c, &t, head, cells, n);
	free(text);
	free(cells);
}

static void responsibility_cells(struct printjob *j, size_t i, char cells[][320])
{
	const struct coverage_mahalla *mh = &j->cov.mahallas[i];
	size_t len = 0;
	snprintf(cells[0], 320, "%s", printjob_area_name(j, mh->area));
	for (size_t k = 0; k < mh->n; k++) {
		const struct coverage_assignment *a = &j->cov.assignments[mh->assignments[k]];
		len = printjob_append(cells[1], 320, len, "%s%s (%s, %s)", len ? "; " : "",
		                      a->a->unit ? a->a->unit : "–",
		                      storeprint_name(&j->services, a->a->service),
		                      a->z->name ? a->z->name : a->z->external_id);
	}
	if (!len)
		snprintf(cells[1], 320, "%s", printjob_text(j, MSG_PAPER_NOBODY));
}

/* Visits a hotspot is to get in a shift of these minutes: one every
 * q->every minutes, whichever unit's hours the shift spans. */
static int visits_per_shift(const struct printjob *j, int minutes)
{
	double every = j->q->every > 0 ? j->q->every : 120;
	return (int)fmax(1, ceil(minutes / every));
}

static double visit_minutes(const struct printjob *j)
{
	return j->q->visit > 0 ? j->q->visit : 15;
}

/* The ranks of the hotspots assignment k covers into out; returns how many. */
static size_t roster_hotspots(const struct printjob *j, size_t k, char *out, size_t n)
{
	size_t count = 0, len = 0;
	*out = 0;
	for (size_t i = 0; i < j->cov.n_hotspots; i++) {
		const struct coverage_hotspot *h = &j->cov.hotspots[i];
		for (size_t m = 0; m < h->n_covered_by; m++)
			if (h->covered_by[m] == k) {
				len = printjob_append(out, n, len, "%s%d", len ? ", " : "",
				                      h->h->rank);
				count++;
				break;
			}
	}
	return count;
}

static void roster_cells(struct printjob *j, size_t i, char cells[][320])
{
	const struct coverage_assignment *a = &j->cov.assignments[i];
	int minutes = shift_minutes(&j->shift);
	snprintf(cells[0], 320, "%s", a->a->unit ? a->a->unit : "–");
	snprintf(cells[1], 320, "%s", storeprint_name(&j->services, a->a->service));
	snprintf(cells[2], 320, "%s", a->z->name ? a->z->name : a->z->external_id);
	printjob_shift_text(j, &a->a->shift, cells[3], 320);
	size_t n = roster_hotspots(j, i, cells[4], 320);
	if (!n)
		snprintf(cells[4], 320, "–");
	typeset_count(n * visits_per_shift(j, minutes) * visit_minutes(j), printjob_lang(j),
	              cells[5], 320);
}

int printcover_roster(struct printjob *j, const struct shapes_area *area)
{
	struct typeset_table t = {.n = 6,
	                          .align = {TYPESET_LEFT, TYPESET_LEFT, TYPESET_LEFT, TYPESET_LEFT,
	                                    TYPESET_LEFT, TYPESET_RIGHT}};
	const char *head[6] = {
	    printjob_text(j, MSG_ZONE_UNIT),          printjob_text(j, MSG_ZONE_SERVICE),
	    printjob_text(j, MSG_ZONE_TITLE),         printjob_text(j, MSG_PAPER_HOURS),
	    printjob_text(j, MSG_PAPER_HOTSPOT_LIST), printjob_text(j, MSG_DOSAGE_TARGET)};
	char note[160];
	int minutes = shift_minutes(&j->shift);
	snprintf(note, sizeof note, printjob_text(j, MSG_PAPER_VISITS),
	         visits_per_shift(j, minutes), visit_minutes(j));
	struct printframe_table tp = {printjob_text(j, MSG_PAPER_ROSTER),
	                              area,
	                              &t,
	                              head,
	                              j->cov.n_assignments,
	                              roster_cells,
	                              note};
	if ((j->pages = printframe_table_pages(j, &tp)) < 0)
		return j->pages;
	j->page_no = 1;
	return printframe_table_part(j, &tp);
}

/* The roster as CSV: one row per unit on duty in the shift (an assignment
 * of a zone in play), with the codes rather than the names. */
int printcover_csv(struct printjob *j, unsigned char **out, size_t *len)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	if (!f)
		return err_set(ERR_NOMEM, "print: out of memory for the CSV");
	fputs("unit,service,zone,zone_name,weekdays,start,end,hotspots,visits_per_hotspot,"
	      "visit_minutes,target_minutes\n",
	      f);
	for (size_t i = 0; i < j->cov.n_assignments; i++) {
		const struct coverage_assignment *a = &j->cov.assignments[i];
		struct shift s = a->a->shift;
		char days[64], hot[320], num[64];
		int visits = visits_per_shift(j, shift_minutes(&j->shift));
		size_t n = roster_hotspots(j, i, hot, sizeof hot);
		static const char *const codes[7] = {"mon", "tue", "wed", "thu",
		                                     "fri", "sat", "sun"};
		size_t dl = 0;
		days[0] = 0;
		for (int d = 0; d < 7; d++)
			if (s.weekdays >> d & 1)
				dl = printjob_append(days, sizeof days, dl, "%s%s", dl ? "," : "",
				                     codes[d]);
		csv_field(f, a->a->unit ? a->a->unit : "", ",");
		csv_field(f, a->a->service, ",");
		csv_field(f, a->z->external_id, ",");
		csv_field(f, a->z->name ? a->z->name : "", ",");
		csv_field(f, days, ",");
		snprintf(num, sizeof num, "%02d:%02d", s.start / 60, s.start % 60);
		csv_field(f, num, ",");
		snprintf(num, sizeof num, "%02d:%02d", s.end / 60, s.end % 60);
		csv_field(f, num, ",");
		csv_field(f, hot, ",");
		fprintf(f, "%d,%g,%g\n", visits, visit_minutes(j), n * visits * visit_minutes(j));
	}
	if (fclose(f) != 0) {
		free(text);
		return err_set(ERR_NOMEM, "print: out of memory for the CSV");
	}
	*out = (unsigned char *)text;
	*len = size;
	return 0;
}

/* Hotspots and coverage of the request's shift, on the renderer's shapes. */
int printcover_open(struct printjob *j)
{
	const struct print_request *q = j->q;
	const struct style_heatmap *hm = j->hm;
	j->shift = q->shift ? *q->shift : SHIFT_WHOLE_DAY;
	struct hotspot_params hp = {.filter = q->filter,
	                            .shift = &j->shift,
	                            .kernel = hm ? hm->kernel : KDE_QUARTIC,
	                            .bandwidth = j->bandwidth};
	hotspot_default_period(j->ds, &hp.filter);
	const shapes *sh = printjob_merc_shapes(j);
	struct coverage_params cp = {.date = q->date};
	int rc = hotspot_find(j->ds, sh, &hp, &j->set);
	if (rc < 0)
		return rc;
	j->has_set = 1;
	if ((rc = coverage_compute(j->ds, sh, &j->set, &cp, &j->cov)) < 0)
		return rc;
	j->has_cov = 1;
	j->from = j->filter.from = hp.filter.from;
	j->to = j->filter.to = hp.filter.to;
	return 0;
}

int printcover_document(struct printjob *j, enum shapes_kind kind, const struct shapes_area *area,
                        int pdf, double *scale)
{
	const char *head[2] = {printjob_text(j, MSG_COVERAGE_MAHALLA),
	                       printjob_text(j, MSG_SERVICES)};
	/* A mahalla's units and zones run to lines more than a name's two. */
	struct typeset_table t = {.n = 2, .align = {TYPESET_LEFT, TYPESET_LEFT}, .lines = 8};
	struct printframe_table tp = {printjob_text(j, MSG_COVERAGE_MAHALLAS),
	                              area,
	                              &t,
	                              head,
	                              j->cov.n_mahallas,
	                              responsibility_cells,
	                              NULL};
	int rc = pdf ? printframe_table_pages(j, &tp) : 0;
	if (rc < 0)
		return rc;
	j->pages = 1 + rc;
	j->page_no = 1;
	if ((rc = printmap_page(j, kind, area, scale)) < 0 || !pdf)
		return rc;
	cairo_show_page(j->ts.cr);
	j->page_no = 2;
	return printframe_table_part(j, &tp);
}
