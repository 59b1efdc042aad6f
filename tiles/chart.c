/*
 * chart: axes, the random diagonal, one polyline per method and a legend,
 * sized from the box so the same drawing serves a web PNG and a page.
 */
#include "chart.h"

#include "err.h"
#include "membuf.h"
#include "msg.h"
#include "pngenc.h"
#include "typeset.h"

#include <cairo-svg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define CHART_MIN_SIZE 200
#define CHART_MAX_SIZE 4000
#define TICKS          5 /* 0, 20, .. 100% */

const double chart_colour[BACKTEST_METHODS][3] = {
    {0xe4 / 255.0, 0x1a / 255.0, 0x1c / 255.0},
    {0x37 / 255.0, 0x7e / 255.0, 0xb8 / 255.0},
    {0x4d / 255.0, 0xaf / 255.0, 0x4a / 255.0},
    {0x98 / 255.0, 0x4e / 255.0, 0xa3 / 255.0},
};

int chart_lang_known(const char *lang)
{
	return msg_lang_known(lang);
}

const char *chart_method_label(enum backtest_method m, const char *lang)
{
	return msg_text(MSG_BACKTEST_METHOD_KDE + m, msg_lang_of(lang));
}

void chart_draw(cairo_t *cr, double x, double y, double w, double h, const struct backtest *b,
                const char *lang)
{
	enum msg_lang l = msg_lang_of(lang);
	struct typeset t = {cr, w / 300};
	double line = typeset_line_height(&t, &typeset_body);
	double left = x + 3.5 * line, right = x + w - line, top = y + 2.5 * line,
	       bottom = y + h - 3 * line;
	double pw = right - left, ph = bottom - top;
	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill(cr);
	typeset_text(&t, &typeset_sub, msg_text(MSG_CHART_TITLE, l), x + w / 2, y + 0.5 * line, w,
	             1, TYPESET_CENTRE);
	/* Grid lines and tick labels. */
	cairo_set_line_width(cr, t.unit * 0.5);
	for (int k = 0; k <= TICKS; k++) {
		double f = (double)k / TICKS;
		char text[8];
		snprintf(text, sizeof text, "%d%%", k * 100 / TICKS);
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, left + f * pw, top);
		cairo_line_to(cr, left + f * pw, bottom);
		cairo_move_to(cr, left, bottom - f * ph);
		cairo_line_to(cr, right, bottom - f * ph);
		cairo_stroke(cr);
		typeset_text(&t, &typeset_small, text, left + f * pw, bottom + 0.2 * line, 0, 1,
		             TYPESET_CENTRE);
		typeset_text(&t, &typeset_small, text, left - 0.3 * line,
		             bottom - f * ph - 0.5 * line, 0, 1, TYPESET_RIGHT);
	}
	typeset_text(&t, &typeset_body, msg_text(MSG_CHART_X, l), left + pw / 2,
	             bottom + 1.4 * line, pw, 1, TYPESET_CENTRE);
	cairo_save(cr);
	cairo_translate(cr, x + 0.3 * line, top + ph / 2);
	cairo_rotate(cr, -M_PI / 2);
	typeset_text(&t, &typeset_body, msg_text(MSG_CHART_Y, l), 0, 0, ph, 1, TYPESET_CENTRE);
	cairo_restore(cr);
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	cairo_set_line_width(cr, t.unit);
	cairo_rectangle(cr, left, top, pw, ph);
	cairo_stroke(cr);
	/* The diagonal: cells taken at random. */
	double dash = 2 * t.unit;
	cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
	cairo_set_dash(cr, &dash, 1, 0);
	cairo_move_to(cr, left, bottom);
	cairo_line_to(cr, right, top);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_set_line_width(cr, 1.6 * t.unit);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	for (int m = 0; m < BACKTEST_METHODS; m++) {
		const double *xy = b->curve[m];
		cairo_set_source_rgb(cr, chart_colour[m][0], chart_colour[m][1],
		                     chart_colour[m][2]);
		for (size_t k = 0; k < b->curve_n[m]; k++) {
			double px = left + xy[2 * k] * pw, py = bottom - xy[2 * k + 1] * ph;
			if (k)
				cairo_line_to(cr, px, py);
			else
				cairo_move_to(cr, px, py);
		}
		cairo_stroke(cr);
	}
	/* The legend in the lower right, where curves above the diagonal
	 * leave room. */
	double row = 1.3 * line, lx = left + 0.45 * pw,
	       ly = bottom - (BACKTEST_METHODS + 1.4) * row;
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, lx, ly, 0.55 * pw - 0.3 * line, (BACKTEST_METHODS + 1.2) * row);
	cairo_fill(cr);
	for (int m = 0; m <= BACKTEST_METHODS; m++) {
		double ry = ly + (m + 0.6) * row;
		if (m < BACKTEST_METHODS)
			cairo_set_source_rgb(cr, chart_colour[m][0], chart_colour[m][1],
			                     chart_colour[m][2]);
		else
			cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
		cairo_move_to(cr, lx + 0.4 * line, ry);
		cairo_line_to(cr, lx + 1.8 * line, ry);
		cairo_stroke(cr);
		const char *name = m < BACKTEST_METHODS ? chart_method_label(m, lang)
		                                        : msg_text(MSG_CHART_RANDOM, l);
		typeset_text(&t, &typeset_body, name, lx + 2.2 * line, ry - line / 2,
		             0.55 * pw - 3 * line, 1, TYPESET_LEFT);
	}
	cairo_restore(cr);
}

/* A growable buffer for Cairo's SVG stream. */
int chart_render(const struct backtest *b, const char *lang, enum chart_format f, int w, int h,
                 unsigned char **out, size_t *len)
{
	struct membuf s = {0};
	int rc = 0;
	*out = NULL;
	*len = 0;
	if (w < CHART_MIN_SIZE || w > CHART_MAX_SIZE || h < CHART_MIN_SIZE || h > CHART_MAX_SIZE)
		return err_set_field(ERR_INVALID, "size",
		                     "size: %dx%d is not a chart of %d to %d on each side", w, h,
		                     CHART_MIN_SIZE, CHART_MAX_SIZE);
	cairo_surface_t *surf = f == CHART_PNG
	                            ? cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h)
	                            : cairo_svg_surface_create_for_stream(membuf_write, &s, w, h);
	cairo_t *cr = cairo_create(surf);
	chart_draw(cr, 0, 0, w, h, b, lang);
	cairo_destroy(cr);
	if (f == CHART_PNG) {
		cairo_surface_flush(surf);
		rc = cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS
		         ? pngenc_encode(surf, out, len)
		         : err_set(ERR_IO, "chart: %s",
		                   cairo_status_to_string(cairo_surface_status(surf)));
		cairo_surface_destroy(surf);
		return rc;
	}
	/* The SVG is written out when its surface finishes. */
	cairo_surface_finish(surf);
	cairo_status_t st = cairo_surface_status(surf);
	cairo_surface_destroy(surf);
	if (st != CAIRO_STATUS_SUCCESS || s.failed) {
		free(s.data);
		return err_set(s.failed || st == CAIRO_STATUS_NO_MEMORY ? ERR_NOMEM : ERR_IO,
		               "chart: %s", cairo_status_to_string(st));
	}
	*out = s.data;
	*len = s.len;
	return 0;
}
