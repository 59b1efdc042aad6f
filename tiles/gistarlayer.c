#include "gistarlayer.h"

#include "err.h"
#include "gistar.h"
#include "results.h"
#include "tilemath.h"
#include "utm.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct gistarlayer {
	results *cache;       /* borrowed: where the analyses are kept */
	pthread_mutex_t lock; /* u, which every painter shares */
	utm *u;               /* the UTM zone of the last result drawn */
};

#define RGB(r, g, b)                                                                               \
	{                                                                                          \
		(r) / 255.0, (g) / 255.0, (b) / 255.0, 1                                           \
	}
const struct style_colour gistarlayer_colours[7] = {
    RGB(69, 117, 181),  RGB(132, 158, 186), RGB(192, 204, 190), RGB(0, 0, 0),
    RGB(250, 185, 132), RGB(237, 117, 81),  RGB(214, 47, 39),
};
#undef RGB

int gistarlayer_new(results *cache, gistarlayer **out)
{
	gistarlayer *g = calloc(1, sizeof *g);
	*out = g;
	if (!g)
		return err_set(ERR_NOMEM, "gistar layer: out of memory");
	g->cache = cache;
	pthread_mutex_init(&g->lock, NULL);
	return 0;
}

void gistarlayer_free(gistarlayer *g)
{
	if (!g)
		return;
	utm_free(g->u);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

/* The analysis of the layer's defaults under f, held in *hold, with g->u
 * opened in its zone: the lock is taken on success. An empty filter gives
 * *out NULL and no error: the layer is then empty. */
static int acquire(gistarlayer *g, const dataset *ds, const shapes *sh,
                   const struct dataset_filter *f, unsigned long version, unsigned long generation,
                   const struct gistar_result **out, results_hold **hold)
{
	struct gistar_params p = {.filter = *f};
	struct results_state s = {ds, sh, version, generation};
	int rc = results_gistar(g->cache, &s, &p, out, hold);
	if (rc == ERR_INVALID || (rc == 0 && !(*out)->count)) {
		results_release(*hold);
		*hold = NULL;
		*out = NULL;
		return 0; /* nothing to test under this filter: an empty layer */
	}
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&g->lock);
	if (!g->u || utm_epsg(g->u) != (*out)->epsg) {
		utm_free(g->u);
		g->u = NULL;
		if ((rc = utm_open((*out)->epsg, &g->u)) < 0) {
			pthread_mutex_unlock(&g->lock);
			results_release(*hold);
			*hold = NULL;
			*out = NULL;
		}
	}
	return rc;
}

static void let_go(gistarlayer *g, results_hold *hold)
{
	if (!hold)
		return;
	pthread_mutex_unlock(&g->lock);
	results_release(hold);
}

/* Fills cell (i, j) of r: its corners from r's UTM zone u to the pixels of
 * v, whose frame is Web Mercator (frame NULL) or the UTM zone frame. */
static int fill_cell(cairo_t *cr, const struct view *v, utm *frame, utm *u,
                     const struct gistar_result *r, int i, int j)
{
	double x[4], y[4];
	for (int k = 0; k < 4; k++) {
		x[k] = r->x0 + (i + (k == 1 || k == 2)) * r->cell;
		y[k] = r->y0 - (j + (k >= 2)) * r->cell;
	}
	int rc = 0;
	if (!frame || utm_epsg(frame) != r->epsg) {
		if ((rc = utm_inverse(u, x, y, 4)) < 0)
			return rc;
		if (frame)
			rc = utm_forward(frame, x, y, 4);
		else
			for (int k = 0; k < 4; k++)
				tile_lonlat_to_merc(x[k], y[k], &x[k], &y[k]);
		if (rc < 0)
			return rc;
	}
	for (int k = 0; k < 4; k++)
		view_to_px(v, x[k], y[k], &x[k], &y[k]);
	cairo_move_to(cr, x[0], y[0]);
	cairo_line_to(cr, x[1], y[1]);
	cairo_line_to(cr, x[2], y[2]);
	cairo_line_to(cr, x[3], y[3]);
	cairo_close_path(cr);
	return 0;
}

/* The box of r's UTM zone u (minx, miny, maxx, maxy) that holds what v
 * shows (frame as in fill_cell()). */
static int grid_box(const struct view *v, utm *frame, utm *u, const struct gistar_result *r,
                    double box[4])
{
	double fb[4], merc[4];
	view_frame_box(v, 1, fb);
	if (frame && utm_epsg(frame) == r->epsg) {
		memcpy(box, fb, sizeof fb);
		return 0;
	}
	if (!frame)
		return utm_box_from_merc(u, fb, box);
	int rc = utm_box_merc(frame, fb, merc);
	return rc < 0 ? rc : utm_box_from_merc(u, merc, box);
}

int gistarlayer_fill_classes(cairo_t *cr, const struct view *v, utm *frame, utm *u,
                             const struct gistar_result *g, const signed char *cls, int lo, int hi,
                             const struct style_colour *colours, double opacity)
{
	double box[4];
	int rc = grid_box(v, frame, u, g, box);
	if (rc < 0)
		return rc;
	/* The cells the view may touch, each class filled in one go. */
	int i0 = (int)fmax(0, floor((box[0] - g->x0) / g->cell));
	int i1 = (int)fmin(g->width - 1, floor((box[2] - g->x0) / g->cell));
	int j0 = (int)fmax(0, floor((g->y0 - box[3]) / g->cell));
	int j1 = (int)fmin(g->height - 1, floor((g->y0 - box[1]) / g->cell));
	cairo_save(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
	for (int k = lo; k <= hi && rc == 0; k++) {
		const struct style_colour *c = &colours[k - lo];
		if (!k || c->a <= 0)
			continue;
		for (int j = j0; j <= j1 && rc == 0; j++)
			for (int i = i0; i <= i1 && rc == 0; i++)
				if (cls[(size_t)j * g->width + i] == k)
					rc = fill_cell(cr, v, frame, u, g, i, j);
		cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a * opacity);
		cairo_fill(cr);
	}
	cairo_restore(cr);
	return rc;
}

int gistarlayer_paint(gistarlayer *g, cairo_t *cr, const struct view *v, const dataset *ds,
                      const shapes *sh, const struct dataset_filter *f, unsigned long version,
                      unsigned long generation)
{
	const struct gistar_result *res;
	results_hold *hold;
	int rc = acquire(g, ds, sh, f, version, generation, &res, &hold);
	if (rc == 0 && res)
		rc = gistarlayer_fill_classes(cr, v, NULL, g->u, res, res->bin, -3, 3,
		                              gistarlayer_colours, GISTARLAYER_ALPHA);
	let_go(g, hold);
	return rc;
}

int gistarlayer_cell_at(gistarlayer *g, const dataset *ds, const shapes *sh,
                        const struct dataset_filter *f, unsigned long version,
                        unsigned long generation, double lon, double lat,
                        struct gistarlayer_cell *out)
{
	const struct gistar_result *r;
	results_hold *hold;
	int rc = acquire(g, ds, sh, f, version, generation, &r, &hold), found = 0;
	double x = lon, y = lat;
	if (rc == 0 && r && (rc = utm_forward(g->u, &x, &y, 1)) == 0) {
		double fi = floor((x - r->x0) / r->cell), fj = floor((r->y0 - y) / r->cell);
		if (fi >= 0 && fi < r->width && fj >= 0 && fj < r->height) {
			size_t c = (size_t)fj * r->width + (size_t)fi;
			if ((found = r->mask[c] != 0))
				*out = (struct gistarlayer_cell){(int)fi, (int)fj, r->count[c],
				                                 r->z[c], r->p[c], r->bin[c],
				                                 r->cell};
		}
	}
	let_go(g, hold);
	return rc < 0 ? rc : found;
}
