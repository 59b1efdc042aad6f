/*
 * backtest: rolling folds over one Gi* grid, four ways of marking cells,
 * the measures per fold, their mean and spread, and the hit-rate curves.
 *
 * Workload: a year of weekly folds (44) over up to a million offences.
 * Offences are projected to grid cells once (the only PROJ work per
 * offence); a fold then scans the (cell, time) records for its two periods,
 * and each method costs a few passes over the grid, except the KDE
 * hotspots, whose hotspot_find() per fold is the bulk of the time.
 */
#include "backtest.h"

#include "civil.h"

#include "coverage.h"
#include "err.h"
#include "gistar.h"
#include "hotspot.h"
#include "tilemath.h"
#include "timeparse.h"
#include "utm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WEEK ((int64_t)7 * CIVIL_SECONDS_PER_DAY)

static int nomem(void)
{
	return err_set(ERR_NOMEM, "backtest: out of memory");
}

static int by_value_down(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x < y) - (x > y);
}

int backtest_measure(const double *train, const double *test, const unsigned char *mask,
                     const unsigned char *chosen, size_t n_cells, struct backtest_measure *out)
{
	double *top = malloc((n_cells ? n_cells : 1) * sizeof *top);
	if (!top)
		return nomem();
	size_t cells = 0;
	double big_n = 0, big_n_train = 0, a = 0, n = 0, n_train = 0, best = 0;
	for (size_t c = 0; c < n_cells; c++) {
		if (mask && !mask[c])
			continue;
		top[cells++] = test[c];
		big_n += test[c];
		big_n_train += train[c];
		if (chosen[c]) {
			a++;
			n += test[c];
			n_train += train[c];
		}
	}
	qsort(top, cells, sizeof *top, by_value_down);
	for (size_t k = 0; k < (size_t)a; k++)
		best += top[k];
	free(top);
	double area = cells ? a / (double)cells : NAN;
	double pai_train = a > 0 && big_n_train > 0 ? n_train / big_n_train / area : NAN;
	*out = (struct backtest_measure){.cells = a, .offences = n};
	out->hit_rate = big_n > 0 ? n / big_n : NAN;
	out->pai = a > 0 ? out->hit_rate / area : NAN;
	out->rri = pai_train > 0 ? out->pai / pai_train : NAN;
	out->pei = best > 0 ? n / best : NAN;
	return 0;
}

struct ranked {
	double score, count;
	size_t cell;
};

static int by_score_down(const void *a, const void *b)
{
	const struct ranked *p = a, *q = b;
	return (p->score < q->score) - (p->score > q->score);
}

static int by_score_then_cell(const void *a, const void *b)
{
	const struct ranked *p = a, *q = b;
	int d = by_score_down(a, b);
	return d ? d : (p->cell > q->cell) - (p->cell < q->cell);
}

int backtest_curve(const double *score, const double *test, const unsigned char *mask,
                   size_t n_cells, double **xy, size_t *n)
{
	*xy = NULL;
	*n = 0;
	struct ranked *r = malloc((n_cells ? n_cells : 1) * sizeof *r);
	double *pts = malloc(2 * BACKTEST_CURVE_MAX * sizeof *pts);
	size_t k = 0;
	double total = 0;
	if (!r || !pts) {
		free(r);
		free(pts);
		return nomem();
	}
	for (size_t c = 0; c < n_cells; c++)
		if (!mask || mask[c]) {
			r[k++] = (struct ranked){score[c], test[c], c};
			total += test[c];
		}
	if (!k) {
		free(r);
		free(pts);
		return err_set_field(ERR_INVALID, "curve", "curve: no cell to rank");
	}
	qsort(r, k, sizeof *r, by_score_down);
	const double step = 1.0 / (BACKTEST_CURVE_MAX - 1);
	size_t m = 1;
	double sum = 0;
	pts[0] = pts[1] = 0;
	for (size_t i = 0; i < k;) {
		size_t j = i;
		/* A group of equal scores ends on one point: no order inside it. */
		while (j < k && r[j].score == r[i].score)
			sum += r[j++].count;
		double x = (double)j / (double)k;
		if (j == k || x - pts[2 * (m - 1)] >= step) {
			pts[2 * m] = x;
			pts[2 * m + 1] = total > 0 ? sum / total : 0;
			m++;
		}
		i = j;
	}
	free(r);
	*xy = pts;
	*n = m;
	return 0;
}

const char *backtest_method_name(enum backtest_method m)
{
	static const char *const names[] = {"kde", "gistar", "counts", "zones"};
	return names[m];
}

/* An offence of the span in the district: its cell, time and aoristic
 * weight (its share of the shift's hours). */
struct record {
	int64_t t;
	uint32_t cell;
	float w;
};

struct work {
	const dataset *ds;
	const shapes *sh;
	const struct backtest_params *p;
	struct backtest *b;
	struct gistar_result grid; /* the grid, the mask and the band */
	const unsigned char *mask; /* NULL when every cell is the district's */
	size_t n_cells;
	double *cx, *cy; /* cell centres, EPSG:3857 */
	struct record *rec;
	size_t n_rec, cap_rec;
	double *xs, *ys; /* offences being projected */
	int64_t *ts;
	float *ws;
	size_t n_pending;
	utm *u;
	double *train, *test, *z, *pv, *score[BACKTEST_METHODS];
	signed char *bin;
	unsigned char *chosen[BACKTEST_METHODS];
	struct ranked *order; /* cells by training count */
};

#define PENDING 4096 /* offences projected per PROJ call */

static int flush_pending(struct work *w)
{
	int rc = utm_forward(w->u, w->xs, w->ys, w->n_pending);
	const struct gistar_result *g = &w->grid;
	for (size_t k = 0; k < w->n_pending && rc == 0; k++) {
		double i = floor((w->xs[k] - g->x0) / g->cell),
		       j = floor((g->y0 - w->ys[k]) / g->cell);
		if (i < 0 || j < 0 || i >= g->width || j >= g->height)
			continue;
		size_t c = (size_t)j * g->width + (size_t)i;
		if (!g->mask[c])
			continue;
		if (w->n_rec == w->cap_rec) {
			size_t cap = w->cap_rec ? 2 * w->cap_rec : 65536;
			struct record *n = realloc(w->rec, cap * sizeof *n);
			if (!n)
				return nomem();
			w->rec = n;
			w->cap_rec = cap;
		}
		w->rec[w->n_rec++] = (struct record){w->ts[k], (uint32_t)c, w->ws[k]};
	}
	w->n_pending = 0;
	return rc;
}

static int take_offence(void *ctx, const struct dataset_offence *o, double weight)
{
	struct work *w = ctx;
	if (o->mid == STORE_NO_TIME)
		return 0;
	tile_merc_to_lonlat(o->x, o->y, &w->xs[w->n_pending], &w->ys[w->n_pending]);
	w->ws[w->n_pending] = (float)weight;
	w->ts[w->n_pending++] = o->mid;
	return w->n_pending == PENDING ? flush_pending(w) : 0;
}

/* The span's offences of the shift as records of the district's cells. */
static int gather(struct work *w, int64_t from, int64_t to)
{
	const struct gistar_result *g = &w->grid;
	struct dataset_filter f = w->p->filter;
	double box[4] = {g->x0, g->y0 - g->height * g->cell, g->x0 + g->width * g->cell, g->y0},
	       merc[4];
	f.from = from;
	f.to = to - 1;
	if (w->b->has_shift)
		dataset_filter_shift(&f, &w->b->shift);
	w->ws = malloc(PENDING * sizeof *w->ws);
	w->xs = malloc(PENDING * sizeof *w->xs);
	w->ys = malloc(PENDING * sizeof *w->ys);
	w->ts = malloc(PENDING * sizeof *w->ts);
	if (!w->xs || !w->ys || !w->ts || !w->ws)
		return nomem();
	int rc = utm_box_merc(w->u, box, merc);
	if (rc == 0)
		rc = dataset_each_weighted(w->ds, merc, &f, take_offence, w);
	return rc == 0 ? flush_pending(w) : rc;
}

/* Centres of the cells in Web Mercator, for hotspot_index_at() and the
 * zones. */
static int cell_centres(struct work *w)
{
	const struct gistar_result *g = &w->grid;
	int rc = 0;
	for (size_t c = 0; c < w->n_cells; c++) {
		w->cx[c] = g->x0 + ((double)(c % (size_t)g->width) + 0.5) * g->cell;
		w->cy[c] = g->y0 - ((double)(c / (size_t)g->width) + 0.5) * g->cell;
	}
	if ((rc = utm_inverse(w->u, w->cx, w->cy, w->n_cells)) < 0)
		return rc;
	for (size_t c = 0; c < w->n_cells && rc == 0; c++)
		if (tile_lonlat_to_merc(w->cx[c], w->cy[c], &w->cx[c], &w->cy[c]) < 0)
			rc = err_set(ERR_PROJ, "backtest: cell %zu lies off the map", c);
	return rc;
}

/* Marks the cells whose centre lies in a zone in play on the shift, from
 * the coverage of set (the latest fold's hotspots). */
static int mark_zones(struct work *w, const struct hotspot_set *set)
{
	struct coverage cov = {0};
	struct coverage_params cp = {.date = w->p->date};
	int rc = coverage_compute(w->ds, w->sh, set, &cp, &cov);
	if (rc < 0)
		return rc;
	unsigned char *mark = w->chosen[BACKTEST_ZONES];
	w->b->zones = cov.zones;
	for (size_t k = 0; k < cov.n_assignments; k++) {
		const struct shapes_zone *z = cov.assignments[k].z;
		const struct shapes_rings *g = &z->geom.band[SHAPES_BANDS - 1];
		for (size_t c = 0; c < w->n_cells; c++)
			if ((!w->mask || w->mask[c]) && !mark[c] && w->cx[c] >= z->geom.bbox[0] &&
			    w->cx[c] <= z->geom.bbox[2] && w->cy[c] >= z->geom.bbox[1] &&
			    w->cy[c] <= z->geom.bbox[3])
				mark[c] =
				    (unsigned char)shapes_rings_contain(g, w->cx[c], w->cy[c]);
	}
	for (size_t c = 0; c < w->n_cells; c++)
		w->score[BACKTEST_ZONES][c] = mark[c] ? 1 : -INFINITY;
	coverage_free(&cov);
	return 0;
}

static int kde_cells(struct work *w, const struct backtest_fold *f, int latest)
{
	const struct backtest_params *p = w->p;
	struct hotspot_params hp = {.filter = p->filter,
	                            .shift = p->shift,
	                            .share = p->share,
	                            .cell = p->hotspot_cell,
	                            .kernel = p->kernel,
	                            .bandwidth = p->bandwidth};
	struct hotspot_set set = {0};
	hp.filter.from = f->train_from;
	hp.filter.to = f->test_from - 1;
	int rc = hotspot_find(w->ds, w->sh, &hp, &set);
	if (rc < 0)
		return rc;
	for (size_t c = 0; c < w->n_cells; c++) {
		int h = hotspot_index_at(&set, w->cx[c], w->cy[c]);
		w->chosen[BACKTEST_KDE][c] = h >= 0;
		/* Hotspot 1 ranks first; each hotspot's cells tie. */
		w->score[BACKTEST_KDE][c] = h >= 0 ? (double)(set.n - (size_t)h) : -INFINITY;
	}
	if (latest)
		rc = mark_zones(w, &set);
	hotspot_set_free(&set);
	return rc;
}

static int gistar_cells(struct work *w)
{
	const struct gistar_result *g = &w->grid;
	int rc = gistar_zscores(w->train, w->mask, g->width, g->height, g->band / g->cell, w->z);
	if (rc < 0 || (rc = gistar_classify(w->z, w->n_cells, 0, w->pv, w->bin)) < 0)
		return rc;
	for (size_t c = 0; c < w->n_cells; c++) {
		w->chosen[BACKTEST_GISTAR][c] = w->bin[c] >= 2;
		w->score[BACKTEST_GISTAR][c] = isnan(w->z[c]) ? -INFINITY : w->z[c];
	}
	return 0;
}

/* The busiest training cells up to the share of the district's cells;
 * equal counts by cell order. */
static void count_cells(struct work *w)
{
	size_t k = 0;
	for (size_t c = 0; c < w->n_cells; c++) {
		w->chosen[BACKTEST_COUNTS][c] = 0;
		w->score[BACKTEST_COUNTS][c] = w->train[c];
		if (!w->mask || w->mask[c])
			w->order[k++] = (struct ranked){w->train[c], w->train[c], c};
	}
	qsort(w->order, k, sizeof *w->order, by_score_then_cell);
	size_t take = (size_t)floor(w->b->params.share * (double)k);
	for (size_t i = 0; i < take && w->order[i].score > 0; i++)
		w->chosen[BACKTEST_COUNTS][w->order[i].cell] = 1;
}

static void fold_period(char *buf, size_t n, int64_t from, int64_t to)
{
	char a[32], b[32];
	snprintf(buf, n, "%s .. %s", timeparse_utc_text(from, a, sizeof a),
	         timeparse_utc_text(to - 1, b, sizeof b));
}

static int run_fold(struct work *w, size_t k, int latest)
{
	struct backtest_fold *f = &w->b->folds[k];
	memset(w->train, 0, w->n_cells * sizeof *w->train);
	memset(w->test, 0, w->n_cells * sizeof *w->test);
	for (size_t r = 0; r < w->n_rec; r++) {
		int64_t t = w->rec[r].t;
		if (t >= f->train_from && t < f->test_from)
			w->train[w->rec[r].cell] += w->rec[r].w;
		else if (t >= f->test_from && t < f->test_to)
			w->test[w->rec[r].cell] += w->rec[r].w;
	}
	for (size_t c = 0; c < w->n_cells; c++) {
		f->train_offences += w->train[c];
		f->test_offences += w->test[c];
	}
	char period[80];
	if (!f->train_offences || !f->test_offences) {
		int train = !f->train_offences;
		fold_period(period, sizeof period, train ? f->train_from : f->test_from,
		            train ? f->test_from : f->test_to);
		return err_set_field(
		    ERR_INVALID, "period",
		    "period: the %s period of fold %zu (%s) holds no offence of the shift "
		    "in the district",
		    train ? "training" : "test", k + 1, period);
	}
	int rc = kde_cells(w, f, latest);
	if (rc < 0 || (rc = gistar_cells(w)) < 0)
		return rc;
	count_cells(w);
	for (int m = 0; m < BACKTEST_METHODS && rc == 0; m++)
		rc = backtest_measure(w->train, w->test, w->mask, w->chosen[m], w->n_cells,
		                      &f->m[m]);
	for (int m = 0; m < BACKTEST_METHODS && rc == 0 && latest; m++)
		rc = backtest_curve(w->score[m], w->test, w->mask, w->n_cells, &w->b->curve[m],
		                    &w->b->curve_n[m]);
	return rc;
}

/* Mean and sample standard deviation of each measure over the folds where
 * it is defined. */
static void summarise(struct backtest *b)
{
	for (int m = 0; m < BACKTEST_METHODS; m++) {
		double *mean = &b->mean[m].hit_rate, *sd = &b->sd[m].hit_rate;
		for (int q = 0; q < 6; q++) {
			double s = 0, ss = 0;
			size_t n = 0;
			for (size_t k = 0; k < b->n_folds; k++) {
				double v = (&b->folds[k].m[m].hit_rate)[q];
				if (isfinite(v)) {
					s += v;
					n++;
				}
			}
			mean[q] = n ? s / (double)n : NAN;
			for (size_t k = 0; k < b->n_folds; k++) {
				double v = (&b->folds[k].m[m].hit_rate)[q];
				if (isfinite(v))
					ss += (v - mean[q]) * (v - mean[q]);
			}
			sd[q] = n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;
		}
	}
}

int backtest_params_text(const dataset *ds, const struct backtest_text *t,
                         struct backtest_params *p, struct shift *shift)
{
	struct dataset_filter_text ft = {.categories = t->categories, .services = t->services};
	struct dataset_filter end;
	int rc = dataset_filter_parse(ds, &ft, &p->filter);
	if (rc < 0 || (rc = shift_parse(t->shift, t->weekdays, shift)) < 0)
		return rc;
	p->shift = (t->shift && *t->shift) || (t->weekdays && *t->weekdays) ? shift : NULL;
	p->end = STORE_NO_TIME;
	if (t->end && *t->end) {
		ft = (struct dataset_filter_text){.to = t->end};
		if (dataset_filter_parse(ds, &ft, &end) < 0 || end.to == STORE_NO_TIME)
			return err_set_field(ERR_INVALID, "end",
			                     "end: '%s' is not a day such as 2026-06-30", t->end);
		p->end = end.to + 1;
	}
	return 0;
}

static int check_weeks(const char *name, int v, int max)
{
	if (v >= 1 && v <= max)
		return 0;
	return err_set_field(ERR_INVALID, name, "%s: %d is not a number of weeks from 1 to %d",
	                     name, v, max);
}

static int check_params(const dataset *ds, const struct backtest_params *p, int64_t *end,
                        int64_t *span_from)
{
	int64_t first, last;
	int rc;
	if ((rc = check_weeks("train_weeks", p->train_weeks, BACKTEST_MAX_WEEKS)) < 0 ||
	    (rc = check_weeks("test_weeks", p->test_weeks, BACKTEST_MAX_WEEKS)) < 0 ||
	    (rc = check_weeks("step_weeks", p->step_weeks, BACKTEST_MAX_WEEKS)) < 0)
		return rc;
	if (p->folds < 1 || p->folds > BACKTEST_MAX_FOLDS)
		return err_set_field(ERR_INVALID, "folds",
		                     "folds: %d is not a number of folds from 1 to %d", p->folds,
		                     BACKTEST_MAX_FOLDS);
	if (!(p->share >= 0 && p->share <= 1))
		return err_set_field(ERR_INVALID, "share",
		                     "share: %g is not a share of the area in (0, 1]", p->share);
	dataset_time_range(ds, &first, &last);
	if (first == STORE_NO_TIME)
		return err_set_field(ERR_INVALID, "period", "period: no offence has a time");
	*end = p->end != STORE_NO_TIME ? p->end : last + 1;
	*span_from =
	    *end -
	    ((int64_t)(p->folds - 1) * p->step_weeks + p->test_weeks + p->train_weeks) * WEEK;
	if (*span_from < first) {
		char a[32], b[32];
		return err_set_field(
		    ERR_INVALID, "folds",
		    "folds: %d folds of %d + %d weeks a %d-week step apart reach back to "
		    "%s, before the first offence (%s)",
		    p->folds, p->train_weeks, p->test_weeks, p->step_weeks,
		    timeparse_utc_text(*span_from, a, sizeof a),
		    timeparse_utc_text(first, b, sizeof b));
	}
	return 0;
}

static void work_free(struct work *w)
{
	gistar_result_free(&w->grid);
	utm_free(w->u);
	free(w->cx);
	free(w->cy);
	free(w->rec);
	free(w->ws);
	free(w->xs);
	free(w->ys);
	free(w->ts);
	free(w->train);
	free(w->test);
	free(w->z);
	free(w->pv);
	free(w->bin);
	free(w->order);
	for (int m = 0; m < BACKTEST_METHODS; m++) {
		free(w->score[m]);
		free(w->chosen[m]);
	}
}

static int work_alloc(struct work *w)
{
	size_t n = w->n_cells;
	w->cx = malloc(n * sizeof *w->cx);
	w->cy = malloc(n * sizeof *w->cy);
	w->train = malloc(n * sizeof *w->train);
	w->test = malloc(n * sizeof *w->test);
	w->z = malloc(n * sizeof *w->z);
	w->pv = malloc(n * sizeof *w->pv);
	w->bin = malloc(n);
	w->order = malloc(n * sizeof *w->order);
	int ok = w->cx && w->cy && w->train && w->test && w->z && w->pv && w->bin && w->order;
	for (int m = 0; m < BACKTEST_METHODS; m++) {
		w->score[m] = malloc(n * sizeof *w->score[m]);
		w->chosen[m] = calloc(n, 1);
		ok = ok && w->score[m] && w->chosen[m];
	}
	return ok ? 0 : nomem();
}

int backtest_run(const dataset *ds, const shapes *sh, const struct backtest_params *p,
                 struct backtest *out)
{
	struct backtest b = {.params = *p};
	struct work w = {.ds = ds, .sh = sh, .p = p, .b = &b};
	int64_t end = 0, span_from = 0;
	int rc;
	*out = (struct backtest){0};
	if (!b.params.share)
		b.params.share = HOTSPOT_DEFAULT_SHARE;
	if ((rc = check_params(ds, p, &end, &span_from)) < 0)
		return rc;
	b.params.end = end;
	b.params.shift = NULL;
	b.params.date = NULL;
	if ((b.has_shift = p->shift != NULL))
		b.shift = *p->shift;
	/* The grid, the district's cells and one band for every fold, chosen
	 * by incremental spatial autocorrelation over the whole span, so that
	 * the folds differ by their data only. */
	struct gistar_params gp = {.filter = p->filter, .cell = p->cell};
	gp.filter.from = span_from;
	gp.filter.to = end - 1;
	if (p->shift)
		gp.filter.hours = shift_hours(p->shift);
	if ((rc = gistar_run(ds, sh, &gp, &w.grid)) < 0) {
		char a[32], z[32];
		if (rc == ERR_INVALID && !strncmp(err_msg(), "filter:", 7))
			rc = err_set_field(ERR_INVALID, "period",
			                   "period: %s .. %s holds no offence of the shift in "
			                   "the district",
			                   timeparse_utc_text(span_from, a, sizeof a),
			                   timeparse_utc_text(end - 1, z, sizeof z));
		goto out;
	}
	w.n_cells = (size_t)w.grid.width * w.grid.height;
	w.mask = w.grid.cells == w.n_cells ? NULL : w.grid.mask;
	b.epsg = w.grid.epsg;
	b.width = w.grid.width;
	b.height = w.grid.height;
	b.cell = w.grid.cell;
	b.band = w.grid.band;
	b.cells = w.grid.cells;
	b.n_folds = (size_t)p->folds;
	if (!(b.folds = calloc(b.n_folds, sizeof *b.folds))) {
		rc = nomem();
		goto out;
	}
	for (size_t k = 0; k < b.n_folds; k++) {
		struct backtest_fold *f = &b.folds[k];
		f->test_to = end - (int64_t)(b.n_folds - 1 - k) * p->step_weeks * WEEK;
		f->test_from = f->test_to - (int64_t)p->test_weeks * WEEK;
		f->train_from = f->test_from - (int64_t)p->train_weeks * WEEK;
	}
	if ((rc = work_alloc(&w)) < 0 || (rc = utm_open(b.epsg, &w.u)) < 0 ||
	    (rc = gather(&w, span_from, end)) < 0 || (rc = cell_centres(&w)) < 0)
		goto out;
	/* The latest fold first: its hotspots choose the zones in play, which
	 * every fold then scores. */
	for (size_t k = b.n_folds; k-- > 0 && rc == 0;)
		rc = run_fold(&w, k, k == b.n_folds - 1);
	if (rc < 0)
		goto out;
	summarise(&b);
	*out = b;
out:
	if (rc < 0)
		backtest_free(&b);
	work_free(&w);
	return rc;
}

void backtest_free(struct backtest *b)
{
	free(b->folds);
	for (int m = 0; m < BACKTEST_METHODS; m++)
		free(b->curve[m]);
	*b = (struct backtest){0};
}

static json_t *number(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *measure_json(const struct backtest_measure *m)
{
	/* Every figure may be undefined: a deviation over one fold is. */
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "hit_rate", number(m->hit_rate), "pai",
	                 number(m->pai), "rri", number(m->rri), "pei", number(m->pei), "cells",
	                 number(m->cells), "offences", number(m->offences));
}

static json_t *time_json(int64_t t)
{
	char buf[32];
	return json_string(timeparse_utc_text(t, buf, sizeof buf));
}

int backtest_json(const struct backtest *b, json_t **out)
{
	json_t *folds = json_array(), *methods = json_array(), *curve = json_object();
	int ok = folds && methods && curve;
	for (size_t k = 0; ok && k < b->n_folds; k++) {
		const struct backtest_fold *f = &b->folds[k];
		ok = json_array_append_new(
		         folds, json_pack("{s:o, s:o, s:o, s:o, s:o}", "train_from",
		                          time_json(f->train_from), "test_from",
		                          time_json(f->test_from), "test_to", time_json(f->test_to),
		                          "train_offences", hotspot_count_json(f->train_offences),
		                          "test_offences", hotspot_count_json(f->test_offences))) ==
		     0;
	}
	for (int m = 0; ok && m < BACKTEST_METHODS; m++) {
		json_t *per = json_array(), *pts = json_array();
		for (size_t k = 0; per && k < b->n_folds; k++)
			json_array_append_new(per, measure_json(&b->folds[k].m[m]));
		for (size_t k = 0; pts && k < b->curve_n[m]; k++)
			json_array_append_new(
			    pts, json_pack("[f,f]", b->curve[m][2 * k], b->curve[m][2 * k + 1]));
		/* Both calls take their value over even when they fail. */
		ok = json_array_append_new(
		         methods, json_pack("{s:s, s:o, s:o, s:o}", "name", backtest_method_name(m),
		                            "mean", measure_json(&b->mean[m]), "sd",
		                            measure_json(&b->sd[m]), "per_fold", per)) == 0;
		ok = json_object_set_new(curve, backtest_method_name(m), pts) == 0 && ok;
	}
	char crs[24], shift[64] = "";
	snprintf(crs, sizeof crs, "EPSG:%d", b->epsg);
	if (b->has_shift)
		shift_format(&b->shift, shift, sizeof shift);
	*out =
	    ok ? json_pack("{s:{s:s, s:f, s:i, s:i, s:I, s:f}, s:i, s:i, s:i, s:f, s:s?, s:I, "
	                   "s:o, s:o, s:o}",
	                   "grid", "crs", crs, "cell_m", b->cell, "width", b->width, "height",
	                   b->height, "cells", (json_int_t)b->cells, "band_m", b->band,
	                   "train_weeks", b->params.train_weeks, "test_weeks", b->params.test_weeks,
	                   "step_weeks", b->params.step_weeks, "share", b->params.share, "shift",
	                   b->has_shift ? shift : NULL, "zones", (json_int_t)b->zones, "folds",
	                   folds, "methods", methods, "curve", curve)
	       : NULL;
	if (!*out) {
		if (!ok) {
			json_decref(folds);
			json_decref(methods);
			json_decref(curve);
		}
		return nomem();
	}
	return 0;
}
