#include "changes.h"

#include "err.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#define CELL_M       100.0
#define MAX_CELLS    (1u << 20)
#define OUTSIDE_KEEP 1024

struct outside {
	double x, y;
	unsigned long v;
};

struct changes {
	pthread_rwlock_t lock;
	double extent[4], cell;
	unsigned gw, gh;
	unsigned long *cells; /* 0: no change since the base */
	unsigned long base;
	struct outside out[OUTSIDE_KEEP];
	unsigned n_out, next_out;
	unsigned long outside_floor; /* versions of outside changes no longer listed */
};

int changes_new(const double extent[4], unsigned long base, changes **out)
{
	changes *c = calloc(1, sizeof *c);
	*out = NULL;
	if (!c)
		return err_set(ERR_NOMEM, "changes: out of memory");
	for (int i = 0; i < 4; i++)
		c->extent[i] = extent[i];
	c->cell = CELL_M;
	double w = fmax(extent[2] - extent[0], 1), h = fmax(extent[3] - extent[1], 1);
	while ((w / c->cell + 1) * (h / c->cell + 1) > MAX_CELLS)
		c->cell *= 2;
	c->gw = (unsigned)(w / c->cell) + 1;
	c->gh = (unsigned)(h / c->cell) + 1;
	c->base = base;
	c->cells = calloc((size_t)c->gw * c->gh, sizeof *c->cells);
	if (!c->cells) {
		free(c);
		return err_set(ERR_NOMEM, "changes: out of memory");
	}
	pthread_rwlock_init(&c->lock, NULL);
	*out = c;
	return 0;
}

void changes_free(changes *c)
{
	if (!c)
		return;
	pthread_rwlock_destroy(&c->lock);
	free(c->cells);
	free(c);
}

static int inside(const changes *c, double x, double y)
{
	return x >= c->extent[0] && x <= c->extent[2] && y >= c->extent[1] && y <= c->extent[3];
}

void changes_mark(changes *c, double x, double y, unsigned long v)
{
	if (!isfinite(x) || !isfinite(y))
		return;
	pthread_rwlock_wrlock(&c->lock);
	if (inside(c, x, y)) {
		unsigned cx = (unsigned)((x - c->extent[0]) / c->cell);
		unsigned cy = (unsigned)((y - c->extent[1]) / c->cell);
		unsigned long *cell = &c->cells[(size_t)(cy < c->gh ? cy : c->gh - 1) * c->gw +
		                                (cx < c->gw ? cx : c->gw - 1)];
		if (v > *cell)
			*cell = v;
	} else {
		/* A full list forgets its oldest entry into a floor that every box
		 * reaching outside the district then takes. */
		struct outside *o = &c->out[c->next_out];
		if (c->n_out == OUTSIDE_KEEP && o->v > c->outside_floor)
			c->outside_floor = o->v;
		*o = (struct outside){x, y, v};
		c->next_out = (c->next_out + 1) % OUTSIDE_KEEP;
		if (c->n_out < OUTSIDE_KEEP)
			c->n_out++;
	}
	pthread_rwlock_unlock(&c->lock);
}

unsigned long changes_version(changes *c, const double b[4])
{
	unsigned long v = c->base;
	pthread_rwlock_rdlock(&c->lock);
	double x0 = fmax(b[0], c->extent[0]), x1 = fmin(b[2], c->extent[2]);
	double y0 = fmax(b[1], c->extent[1]), y1 = fmin(b[3], c->extent[3]);
	if (x0 <= x1 && y0 <= y1) {
		unsigned cx0 = (unsigned)((x0 - c->extent[0]) / c->cell);
		unsigned cx1 = (unsigned)((x1 - c->extent[0]) / c->cell);
		unsigned cy0 = (unsigned)((y0 - c->extent[1]) / c->cell);
		unsigned cy1 = (unsigned)((y1 - c->extent[1]) / c->cell);
		if (cx1 >= c->gw)
			cx1 = c->gw - 1;
		if (cy1 >= c->gh)
			cy1 = c->gh - 1;
		for (unsigned cy = cy0; cy <= cy1; cy++)
			for (unsigned cx = cx0; cx <= cx1; cx++)
				if (c->cells[(size_t)cy * c->gw + cx] > v)
					v = c->cells[(size_t)cy * c->gw + cx];
	}
	int reaches_outside = b[0] < c->extent[0] || b[2] > c->extent[2] || b[1] < c->extent[1] ||
	                      b[3] > c->extent[3];
	if (reaches_outside) {
		if (c->outside_floor > v)
			v = c->outside_floor;
		for (unsigned i = 0; i < c->n_out; i++) {
			const struct outside *o = &c->out[i];
			if (o->v > v && o->x >= b[0] && o->x <= b[2] && o->y >= b[1] &&
			    o->y <= b[3])
				v = o->v;
		}
	}
	pthread_rwlock_unlock(&c->lock);
	return v;
}
