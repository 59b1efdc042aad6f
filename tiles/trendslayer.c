#include "trendslayer.h"

#include "err.h"
#include "gistarlayer.h"
#include "results.h"
#include "utm.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct trendslayer {
	results *cache;       /* borrowed: where the analyses are kept */
	pthread_mutex_t lock; /* u, which every painter shares */
	utm *u;               /* the UTM zone of the last result drawn */
};

int trendslayer_new(results *cache, trendslayer **out)
{
	trendslayer *t = calloc(1, sizeof *t);
	*out = t;
	if (!t)
		return err_set(ERR_NOMEM, "trends layer: out of memory");
	t->cache = cache;
	pthread_mutex_init(&t->lock, NULL);
	return 0;
}

void trendslayer_free(trendslayer *t)
{
	if (!t)
		return;
	utm_free(t->u);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

/* The classification of p, held in *hold, with t->u opened in its zone:
 * the lock is taken on success. An analysis refused as invalid gives *out
 * NULL and no error: the layer is then empty. */
static int acquire(trendslayer *t, const dataset *ds, const shapes *sh,
                   const struct trends_params *p, unsigned long version, unsigned long generation,
                   const struct trends_result **out, results_hold **hold)
{
	struct trends_params q = {
	    .filter = p->filter, .weeks = p->weeks, .cell = p->cell, .band = p->band};
	struct results_state s = {ds, sh, version, generation};
	int rc = results_trends(t->cache, &s, &q, out, hold);
	if (rc == ERR_INVALID) {
		*out = NULL;
		*hold = NULL;
		return 0; /* nothing to classify under these parameters */
	}
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&t->lock);
	if (!t->u || utm_epsg(t->u) != (*out)->grid.epsg) {
		utm_free(t->u);
		t->u = NULL;
		if ((rc = utm_open((*out)->grid.epsg, &t->u)) < 0) {
			pthread_mutex_unlock(&t->lock);
			results_release(*hold);
			*hold = NULL;
			*out = NULL;
		}
	}
	return rc;
}

static void let_go(trendslayer *t, results_hold *hold)
{
	if (!hold)
		return;
	pthread_mutex_unlock(&t->lock);
	results_release(hold);
}

int trendslayer_paint(trendslayer *t, cairo_t *cr, const struct view *v, const dataset *ds,
                      const shapes *sh, const struct trends_params *p, const struct style_trends *s,
                      unsigned long version, unsigned long generation)
{
	const struct trends_result *res;
	results_hold *hold;
	int rc = acquire(t, ds, sh, p, version, generation, &res, &hold);
	if (rc == 0 && res)
		rc = gistarlayer_fill_classes(cr, v, NULL, t->u, &res->grid, res->category,
		                              1 - TRENDS_PATTERNS, TRENDS_PATTERNS - 1, s->colours,
		                              s->opacity);
	let_go(t, hold);
	return rc;
}

int trendslayer_feature_at(trendslayer *t, const dataset *ds, const shapes *sh,
                           const struct trends_params *p, unsigned long version,
                           unsigned long generation, double lon, double lat, json_t **out)
{
	*out = NULL;
	const struct trends_result *res;
	results_hold *hold;
	int rc = acquire(t, ds, sh, p, version, generation, &res, &hold), found = 0;
	double x = lon, y = lat;
	if (rc == 0 && res && (rc = utm_forward(t->u, &x, &y, 1)) == 0) {
		const struct gistar_result *g = &res->grid;
		double fi = floor((x - g->x0) / g->cell), fj = floor((g->y0 - y) / g->cell);
		if (fi >= 0 && fi < g->width && fj >= 0 && fj < g->height) {
			size_t c = (size_t)fj * (size_t)g->width + (size_t)fi;
			if (g->mask[c] && (rc = trends_cell_feature(res, t->u, c, out)) == 0)
				found = 1;
		}
	}
	let_go(t, hold);
	return rc < 0 ? rc : found;
}
