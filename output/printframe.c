/*
 * printframe: page furniture in points; sizes are for A4 and grow with the
 * paper (j->ts.unit).
 */
#include "printframe.h"

#include "err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where the scale bar goes and how long it is. */
struct bar {
	double len;        /* ground metres */
	double bar;        /* pt */
	double x, y, w, h; /* its white box, pt */
	double lh, u;
};

static void bar_layout(struct printjob *j, const struct printjob_page *p, struct bar *b)
{
	static const double steps[] = {1, 2, 5};
	double pt_per_m =
	    PRINTJOB_PT_PER_INCH / PRINTJOB_M_PER_INCH / p->scale; /* printed pt per ground m */
	double want = p->fw * 0.25 / pt_per_m;
	b->len = 1;
	for (double e = 1; e <= 1e7; e *= 10)
		for (size_t i = 0; i < 3; i++)
			if (steps[i] * e <= want)
				b->len = steps[i] * e;
	b->bar = b->len * pt_per_m;
	b->u = j->ts.unit;
	b->lh = typeset_line_height(&j->ts, &typeset_body);
	b->x = p->fx + 3 * b->u;
	b->h = 4 * b->u + 2 * b->lh + 14 * b->u;
	b->w = b->bar + 40 * b->u;
	b->y = p->fy + p->fh - b->h - 6 * b->u;
}

/* The north arrow's centre and size, pt. */
static void arrow_layout(struct printjob *j, const struct printjob_page *p, double *cx, double *cy,
                         double *s)
{
	double u = j->ts.unit;
	*s = 11 * u;
	*cx = p->fx + p->fw - 16 * u;
	*cy = p->fy + 22 * u;
}

void printframe_furniture(struct printjob *j, const struct printjob_page *p, double boxes[2][4])
{
	struct bar b;
	double cx, cy, s;
	bar_layout(j, p, &b);
	arrow_layout(j, p, &cx, &cy, &s);
	double lh = typeset_line_height(&j->ts, &typeset_bold);
	double box[2][4] = {
	    {b.x, b.y, b.x + b.w, b.y + b.h},
	    {cx - s * 1.35, cy - s * 1.35 - lh - j->ts.unit, cx + s * 1.35, cy + s * 1.35}};
	memcpy(boxes, box, sizeof box);
}

/* The scale bar at the frame's bottom left: a round length of about a
 * quarter of the frame, in four alternating parts, labelled at its ends and
 * middle. Its printed length is exactly length / scale. */
void printframe_scale_bar(struct printjob *j, const struct printjob_page *p)
{
	cairo_t *cr = j->ts.cr;
	struct bar B;
	bar_layout(j, p, &B);
	double len = B.len, bar = B.bar, u = B.u, lh = B.lh;
	int km = len >= 1000;
	char ratio[64], num[32];
	typeset_count(p->scale, printjob_lang(j), num, sizeof num);
	snprintf(ratio, sizeof ratio, "%s 1:%s", printjob_text(j, MSG_PAPER_SCALE), num);
	double x = B.x + 5 * u, h = 4 * u, y = B.y;
	cairo_save(cr);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
	cairo_rectangle(cr, B.x, B.y, B.w, B.h);
	cairo_fill(cr);
	typeset_text(&j->ts, &typeset_bold, ratio, x, y + 3 * u, 0, 0, TYPESET_LEFT);
	double by = y + 5 * u + lh;
	for (int i = 0; i < 4; i++) {
		cairo_rectangle(cr, x + bar * i / 4, by, bar / 4, h);
		if (i % 2 == 0)
			cairo_set_source_rgb(cr, 0.10, 0.12, 0.16);
		else
			cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_fill(cr);
	}
	cairo_rectangle(cr, x, by, bar, h);
	cairo_set_source_rgb(cr, 0.10, 0.12, 0.16);
	cairo_set_line_width(cr, 0.5 * u);
	cairo_stroke(cr);
	const double at[3] = {0, 0.5, 1};
	for (int i = 0; i < 3; i++) {
		double value = len * at[i] / (km ? 1000 : 1);
		typeset_decimal(value,
		                value == floor(value)             ? 0
		                : value * 10 == floor(value * 10) ? 1
		                                                  : 2,
		                printjob_lang(j), num, sizeof num);
		typeset_text(&j->ts, &typeset_body, num, x + bar * at[i], by + h + 1.5 * u, 0, 0,
		             TYPESET_CENTRE);
	}
	/* The unit after the last number, apart from it so that the numbers
	 * alone are centred on their ticks. */
	double half = typeset_width(&j->ts, &typeset_body, num) / 2;
	typeset_text(&j->ts, &typeset_body, printjob_text(j, km ? MSG_PAPER_KM : MSG_PAPER_M),
	             x + bar + half + 2.5 * u, by + h + 1.5 * u, 0, 0, TYPESET_LEFT);
	cairo_restore(cr);
}

/* A north arrow at the frame's top right, turned to true north. */
void printframe_north_arrow(struct printjob *j, const struct printjob_page *p)
{
	cairo_t *cr = j->ts.cr;
	double u = j->ts.unit, s, cx, cy;
	arrow_layout(j, p, &cx, &cy, &s);
	cairo_save(cr);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
	cairo_arc(cr, cx, cy, s * 1.35, 0, 2 * PRINTJOB_PI);
	cairo_fill(cr);
	cairo_translate(cr, cx, cy);
	/* Page y grows down; true north is convergence from grid north. */
	cairo_rotate(cr, -p->convergence);
	cairo_move_to(cr, 0, -s);
	cairo_line_to(cr, s * 0.45, s * 0.75);
	cairo_line_to(cr, 0, s * 0.4);
	cairo_close_path(cr);
	cairo_set_source_rgb(cr, 0.10, 0.12, 0.16);
	cairo_fill(cr);
	cairo_move_to(cr, 0, -s);
	cairo_line_to(cr, -s * 0.45, s * 0.75);
	cairo_line_to(cr, 0, s * 0.4);
	cairo_close_path(cr);
	cairo_set_line_width(cr, 0.6 * u);
	cairo_stroke(cr);
	cairo_restore(cr);
	double lh = typeset_line_height(&j->ts, &typeset_bold);
	typeset_text(&j->ts, &typeset_bold, printjob_text(j, MSG_PAPER_NORTH), cx,
	             cy - s * 1.35 - lh - 1 * u, 0, 0, TYPESET_CENTRE);
}

void printframe_footer(struct printjob *j, double x, double y, double w)
{
	char left[160], right[64];
	snprintf(left, sizeof left, "posbon · %s (UTM %d%s)", utm_crs(j->u), utm_epsg(j->u) % 100,
	         utm_epsg(j->u) / 100 == 326 ? "N" : "S");
	snprintf(right, sizeof right, printjob_text(j, MSG_PAPER_PAGE), j->page_no, j->pages);
	typeset_text(&j->ts, &typeset_small, left, x, y, w / 2, 1, TYPESET_LEFT);
	typeset_text(&j->ts, &typeset_small, right, x + w, y, w / 2, 1, TYPESET_RIGHT);
}

static double table_page_top(struct printjob *j)
{
	double m = printjob_margin(j);
	return m + typeset_line_height(&j->ts, &typeset_title) +
	       2 * typeset_line_height(&j->ts, &typeset_sub) + 10 * j->ts.unit;
}

static double table_page_bottom(struct printjob *j)
{
	double m = printjob_margin(j);
	return j->ph - m - typeset_line_height(&j->ts, &typeset_small) - 4 * j->ts.unit;
}

/* The title and subtitle lines of a table page or a coverage page. */
double printframe_plan_header(struct printjob *j, const char *title, const char *area, double x,
                              double y, double w)
{
	char line[256], shift[96], from[16], to[16], printed[16];
	printjob_date(j, j->from, from, sizeof from);
	printjob_date(j, j->to, to, sizeof to);
	printjob_date(j, j->q->printed_at, printed, sizeof printed);
	printjob_shift_text(j, &j->shift, shift, sizeof shift);
	double h = typeset_text(&j->ts, &typeset_title, title, x, y, w * 0.6, 1, TYPESET_LEFT);
	snprintf(line, sizeof line, "%s · %s: %s · %s: %s", area, printjob_text(j, MSG_PAPER_SHIFT),
	         shift, printjob_text(j, MSG_PAPER_DATE),
	         j->q->date ? j->q->date : printjob_text(j, MSG_PAPER_ANY_DATE));
	h += typeset_text(&j->ts, &typeset_sub, line, x, y + h, w * 0.6, 1, TYPESET_LEFT);
	snprintf(line, sizeof line, "%s: %s – %s", printjob_text(j, MSG_PLAN_TRAINING), from, to);
	double r = typeset_text(&j->ts, &typeset_sub, line, x + w, y + 2 * j->ts.unit, w * 0.38, 1,
	                        TYPESET_RIGHT);
	snprintf(line, sizeof line, "%s: %s", printjob_text(j, MSG_PAPER_PRINTED), printed);
	r += typeset_text(&j->ts, &typeset_sub, line, x + w, y + 2 * j->ts.unit + r, w * 0.38, 1,
	                  TYPESET_RIGHT);
	return fmax(h, r);
}

/* A row's cells for tp->cells(): a new buffer (free()) with ptrs at its
 * cells, or NULL. */
static char (*cell_buffer(const char **ptrs))[320]
{
	char(*cells)[320] = calloc(TYPESET_MAX_CELLS, sizeof *cells);
	for (int i = 0; cells && i < TYPESET_MAX_CELLS; i++)
		ptrs[i] = cells[i];
	return cells;
}

/* The cells of tp's row into cells, the unused ones empty. */
static void fill_row(struct printjob *j, const struct printframe_table *tp, size_t row,
                     char (*cells)[320])
{
	for (int i = 0; i < TYPESET_MAX_CELLS; i++)
		cells[i][0] = 0;
	tp->cells(j, row, cells);
}

/* Lays tp's rows out from page to page onto j->ts.cr, each page under the
 * heading and the column heads, its rows kept above room for the note;
 * shows each page when show is set. Returns the pages it took, ERR_NOMEM. */
static int table_flow(struct printjob *j, const struct printframe_table *tp, int show)
{
	double m = printjob_margin(j), w = j->pw - 2 * m;
	double note = 2 * typeset_line_height(&j->ts, &typeset_small) + 2 * j->ts.unit;
	size_t row = 0;
	int pages = 0;
	const char *ptrs[TYPESET_MAX_CELLS];
	char(*cells)[320] = cell_buffer(ptrs);
	if (!cells)
		return err_set(ERR_NOMEM, "print: out of memory");
	do {
		cairo_set_source_rgb(j->ts.cr, 1, 1, 1);
		cairo_paint(j->ts.cr);
		printframe_plan_header(j, tp->title, printjob_area_name(j, tp->area), m, m, w);
		printframe_footer(j, m, j->ph - m - typeset_line_height(&j->ts, &typeset_small), w);
		struct typeset_column c = {m, table_page_top(j), w, table_page_bottom(j) - note};
		typeset_heading(&j->ts, &c, tp->title);
		typeset_row(&j->ts, &c, tp->t, tp->head, &typeset_column);
		typeset_rule(&j->ts, &c);
		for (size_t on_page = 0; row < tp->rows; row++, on_page++) {
			fill_row(j, tp, row, cells);
			/* A page holds a row however tall, so that the flow ends. */
			if (on_page &&
			    c.y + typeset_row_measure(&j->ts, tp->t, ptrs, &typeset_body) >
			        c.bottom)
				break;
			typeset_row(&j->ts, &c, tp->t, ptrs, &typeset_body);
		}
		if (row == tp->rows && tp->note)
			typeset_text(&j->ts, &typeset_small, tp->note, c.x, c.y + 2 * j->ts.unit,
			             c.w, 2, TYPESET_LEFT);
		if (show)
			cairo_show_page(j->ts.cr);
		j->page_no++;
		pages++;
	} while (row < tp->rows);
	free(cells);
	if (cairo_status(j->ts.cr) != CAIRO_STATUS_SUCCESS)
		return err_set(ERR_NOMEM, "print: %s",
		               cairo_status_to_string(cairo_status(j->ts.cr)));
	return pages;
}

int printframe_table_pages(struct printjob *j, struct printframe_table *tp)
{
	double w = j->pw - 2 * printjob_margin(j);
	const char *ptrs[TYPESET_MAX_CELLS];
	char(*cells)[320] = cell_buffer(ptrs);
	if (!cells)
		return err_set(ERR_NOMEM, "print: out of memory");
	typeset_table_measure(&j->ts, tp->t, tp->head, &typeset_column);
	for (size_t row = 0; row < tp->rows; row++) {
		fill_row(j, tp, row, cells);
		typeset_table_measure(&j->ts, tp->t, ptrs, &typeset_body);
	}
	free(cells);
	typeset_table_fit(&j->ts, tp->t, w);
	/* Laid out once unseen, on a recording, to count the pages. */
	cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	cairo_t *page = j->ts.cr;
	int page_no = j->page_no;
	j->ts.cr = cairo_create(rec);
	int pages = table_flow(j, tp, 0);
	cairo_destroy(j->ts.cr);
	cairo_surface_destroy(rec);
	j->ts.cr = page;
	j->page_no = page_no;
	return pages;
}

int printframe_table_part(struct printjob *j, const struct printframe_table *tp)
{
	int rc = table_flow(j, tp, 1);
	return rc < 0 ? rc : 0;
}
