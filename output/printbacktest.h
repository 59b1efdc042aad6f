/*
 * printbacktest: the hotspot-methods page of a rolling backtest: the plan
 * page's frame around btpage's body, with the backtest's span and shift.
 *
 * Threading: as printjob.h.
 */
#ifndef POSBON_PRINTBACKTEST_H
#define POSBON_PRINTBACKTEST_H

#include "printjob.h"

/* The job's period becomes the backtest's span: the first training day
 * to the last tested one. */
void printbacktest_period(struct printjob *j);

/* The hotspot-methods page of q->backtest: its span and shift in the
 * header (the job's period and shift become the backtest's). */
int printbacktest_draw(struct printjob *j, const struct shapes_area *area);

#endif
