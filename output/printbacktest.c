/*
 * printbacktest: the job's period and shift become the backtest's before
 * the header is drawn.
 */
#include "printbacktest.h"

#include "btpage.h"
#include "err.h"
#include "printframe.h"

/* The job's period becomes the backtest's span: the first training day
 * to the last tested one. */
void printbacktest_period(struct printjob *j)
{
	const struct backtest *b = j->q->backtest;
	j->from = b->folds[0].train_from;
	j->to = b->folds[b->n_folds - 1].test_to - 1;
}

/* The hotspot-methods page of q->backtest: its span and shift in the
 * header (the job's period and shift become the backtest's). */
int printbacktest_draw(struct printjob *j, const struct shapes_area *area)
{
	const struct backtest *b = j->q->backtest;
	double u = j->ts.unit, m = printjob_margin(j), w = j->pw - 2 * m;
	printbacktest_period(j);
	j->shift = b->has_shift ? b->shift : SHIFT_WHOLE_DAY;
	cairo_set_source_rgb(j->ts.cr, 1, 1, 1);
	cairo_paint(j->ts.cr);
	double top = m +
	             printframe_plan_header(j, printjob_text(j, MSG_PAPER_METHODS),
	                                    printjob_area_name(j, area), m, m, w) +
	             6 * u;
	double foot = typeset_line_height(&j->ts, &typeset_small);
	printframe_footer(j, m, j->ph - m - foot, w);
	btpage_draw(&j->ts, m, top, w, j->ph - m - foot - 4 * u - top, j->q->landscape, b,
	            msg_lang_code((enum msg_lang)j->q->lang));
	return cairo_status(j->ts.cr) == CAIRO_STATUS_SUCCESS
	           ? 0
	           : err_set(ERR_NOMEM, "print: %s",
	                     cairo_status_to_string(cairo_status(j->ts.cr)));
}
