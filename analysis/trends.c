/*
 * trends: the weeks of a period counted on the gistar grid, Gi* per week,
 * Mann-Kendall per cell, the categories and the GeoJSON.
 *
 * Workload: 12 weeks of a district of a few thousand cells; each week is
 * one gather of its offences and one Gi* pass (linear in the cells), the
 * tests are n^2 / 2 comparisons per cell. The per-week arrays are cells x
 * weeks, hence the grid limit divided by the weeks.
 */
#include "trends.h"

#include "err.h"
#include "store.h"
#include "timeparse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int trends_mann_kendall(const double *x, size_t n, struct trends_mk *out)
{
	*out = (struct trends_mk){.p = 1};
	if (n < 3)
		return err_set_field(ERR_INVALID, "weeks",
		                     "weeks: a trend needs 3 values at least, not %zu", n);
	double s = 0, ties = 0;
	for (size_t i = 0; i < n; i++) {
		size_t t = 1;
		int first = 1;
		for (size_t j = 0; j < n; j++) {
			if (j > i)
				s += (x[j] > x[i]) - (x[j] < x[i]);
			if (j != i && x[j] == x[i]) {
				t++;
				first &= j > i;
			}
		}
		/* Each group of ties once, from its first member. */
		if (first && t > 1)
			ties += (double)t * (t - 1) * (2 * t + 5);
	}
	double dn = (double)n;
	out->s = s;
	out->var = (dn * (dn - 1) * (2 * dn + 5) - ties) / 18;
	out->tau = s / (dn * (dn - 1) / 2);
	if (s != 0 && out->var > 0) {
		out->z = (s - (s > 0 ? 1 : -1)) / sqrt(out->var);
		out->p = erfc(fabs(out->z) / M_SQRT2);
	}
	return 0;
}

/* +1 a hot week, -1 a cold one, 0 neither. */
static int week_state(double z, double p, double alpha)
{
	return !(p <= alpha) ? 0 : z > 0 ? 1 : z < 0 ? -1 : 0;
}

int trends_classify(const double *z, const double *p, size_t n, const struct trends_mk *mk,
                    double alpha)
{
	size_t hot = 0, cold = 0, run = 0;
	int last = week_state(z[n - 1], p[n - 1], alpha);
	for (size_t k = 0; k < n; k++) {
		int st = week_state(z[k], p[k], alpha);
		hot += st > 0;
		cold += st < 0;
		/* The run of weeks like the last that ends the series. */
		run = last && st == last ? run + 1 : 0;
	}
	/* The 90% rule in whole weeks: share >= 0.9 as 10 share >= 9 n. */
	int most_hot = 10 * hot >= 9 * n, most_cold = 10 * cold >= 9 * n;
	if (!last)
		return most_hot ? TRENDS_HISTORICAL : most_cold ? -TRENDS_HISTORICAL : TRENDS_NONE;
	size_t same = last > 0 ? hot : cold, other = last > 0 ? cold : hot;
	int pattern;
	if (last > 0 ? most_hot : most_cold)
		pattern = !(mk->p <= alpha)  ? TRENDS_PERSISTENT
		          : last * mk->s > 0 ? TRENDS_INTENSIFYING
		                             : TRENDS_DIMINISHING;
	else if (other)
		pattern = TRENDS_OSCILLATING;
	else if (same == 1)
		pattern = TRENDS_NEW;
	else
		pattern = run == same ? TRENDS_CONSECUTIVE : TRENDS_SPORADIC;
	return last * pattern;
}

const char *trends_category_name(int category)
{
	static const char *const hot[] = {"no pattern",           "new hot spot",
	                                  "consecutive hot spot", "intensifying hot spot",
	                                  "persistent hot spot",  "diminishing hot spot",
	                                  "sporadic hot spot",    "oscillating hot spot",
	                                  "historical hot spot"};
	static const char *const cold[] = {"no pattern",
	                                   "new cold spot",
	                                   "consecutive cold spot",
	                                   "intensifying cold spot",
	                                   "persistent cold spot",
	                                   "diminishing cold spot",
	                                   "sporadic cold spot",
	                                   "oscillating cold spot",
	                                   "historical cold spot"};
	int k = category < 0 ? -category : category;
	if (k >= TRENDS_PATTERNS)
		return "no pattern";
	return category < 0 ? cold[k] : hot[k];
}

/* The period of p: weeks of 7 days ending at the filter's end (or the
 * latest offence), into r. */
static int lay_weeks(const dataset *ds, const struct trends_params *p, struct trends_result *r)
{
	int64_t first, last;
	dataset_time_range(ds, &first, &last);
	const struct dataset_filter *f = &p->filter;
	r->to = f->to != STORE_NO_TIME ? f->to : last;
	if (r->to == STORE_NO_TIME)
		return err_set_field(ERR_INVALID, "filter",
		                     "filter: no offence with a time to analyse");
	r->weeks = p->weeks;
	if (f->from != STORE_NO_TIME) {
		if (p->weeks)
			return err_set_field(ERR_INVALID, "weeks",
			                     "weeks: give the number of weeks or the period's "
			                     "start (from), not both");
		if (f->from > r->to)
			return err_set_field(ERR_INVALID, "from",
			                     "from: the period starts after it ends");
		int64_t whole = (r->to - f->from + 1) / TRENDS_WEEK;
		if (whole < TRENDS_MIN_WEEKS || whole > TRENDS_MAX_WEEKS)
			return err_set_field(
			    ERR_INVALID, "from",
			    "from: the period holds %lld whole weeks; %d to %d are needed",
			    (long long)whole, TRENDS_MIN_WEEKS, TRENDS_MAX_WEEKS);
		r->weeks = (int)whole;
	} else if (!r->weeks) {
		r->weeks = TRENDS_WEEKS;
	}
	if (r->weeks < TRENDS_MIN_WEEKS || r->weeks > TRENDS_MAX_WEEKS)
		return err_set_field(ERR_INVALID, "weeks", "weeks: %d is not %d to %d weeks",
		                     r->weeks, TRENDS_MIN_WEEKS, TRENDS_MAX_WEEKS);
	r->from = r->to - r->weeks * TRENDS_WEEK + 1;
	return 0;
}

/* Gi* of every week: counts, z-scores and p-values into r's arrays. */
static int weekly_gistar(const dataset *ds, const struct trends_params *p, struct trends_result *r)
{
	const struct gistar_result *g = &r->grid;
	size_t cells = (size_t)g->width * g->height;
	const unsigned char *mask = g->cells == cells ? NULL : g->mask;
	double *x = malloc(cells * sizeof *x), *z = malloc(cells * sizeof *z),
	       *pv = malloc(cells * sizeof *pv);
	signed char *bin = malloc(cells);
	utm *u = NULL;
	int rc = 0;
	if (!x || !z || !pv || !bin) {
		rc = err_set(ERR_NOMEM, "trends: out of memory for %zu cells", cells);
		goto out;
	}
	if ((rc = utm_open(g->epsg, &u)) < 0)
		goto out;
	struct dataset_filter f = p->filter;
	for (int k = 0; k < r->weeks; k++) {
		f.from = r->from + k * TRENDS_WEEK;
		f.to = f.from + TRENDS_WEEK - 1;
		memset(x, 0, cells * sizeof *x);
		if ((rc = gistar_count(ds, u, &f, g, x)) < 0)
			goto out;
		rc = gistar_zscores(x, mask, g->width, g->height, g->band / g->cell, z);
		if (rc == ERR_INVALID) {
			/* A week without offences (or the same count everywhere):
			 * no cell stands out. */
			for (size_t c = 0; c < cells; c++)
				z[c] = g->mask[c] ? 0 : NAN;
			rc = 0;
		}
		if (rc < 0 || (rc = gistar_classify(z, cells, 0, pv, bin)) < 0)
			goto out;
		for (size_t c = 0; c < cells; c++) {
			size_t at = c * (size_t)r->weeks + (size_t)k;
			r->count[at] = x[c];
			r->z[at] = z[c];
			r->p[at] = pv[c];
		}
	}
out:
	utm_free(u);
	free(x);
	free(z);
	free(pv);
	free(bin);
	return rc;
}

int trends_run(const dataset *ds, const shapes *sh, const struct trends_params *p,
               struct trends_result *out)
{
	struct trends_result r = {.alpha = p->alpha > 0 ? p->alpha : TRENDS_ALPHA};
	int rc;
	*out = (struct trends_result){0};
	if (!(r.alpha > 0 && r.alpha < 1))
		return err_set_field(ERR_INVALID, "alpha",
		                     "alpha: %g is not a significance level below 1", p->alpha);
	if ((rc = lay_weeks(ds, p, &r)) < 0)
		return rc;
	struct gistar_params gp = {.filter = p->filter,
	                           .cell = p->cell,
	                           .band = p->band,
	                           .max_cells = p->max_cells ? p->max_cells
	                                                     : GISTAR_MAX_CELLS / (size_t)r.weeks};
	gp.filter.from = r.from;
	gp.filter.to = r.to;
	if ((rc = gistar_run(ds, sh, &gp, &r.grid)) < 0)
		return rc;
	size_t cells = (size_t)r.grid.width * r.grid.height, n = (size_t)r.weeks;
	r.z = malloc(cells * n * sizeof *r.z);
	r.p = malloc(cells * n * sizeof *r.p);
	r.count = malloc(cells * n * sizeof *r.count);
	r.mk_z = calloc(cells, sizeof *r.mk_z);
	r.mk_n = calloc(cells, sizeof *r.mk_n);
	r.category = calloc(cells, 1);
	if (!r.z || !r.p || !r.count || !r.mk_z || !r.mk_n || !r.category) {
		rc =
		    err_set(ERR_NOMEM, "trends: out of memory for %zu cells x %zu weeks", cells, n);
		goto out;
	}
	if ((rc = weekly_gistar(ds, p, &r)) < 0)
		goto out;
	for (size_t c = 0; c < cells; c++) {
		if (!r.grid.mask[c])
			continue;
		const double *z = r.z + c * n, *pv = r.p + c * n;
		if ((rc = trends_mann_kendall(z, n, &r.mk_z[c])) < 0 ||
		    (rc = trends_mann_kendall(r.count + c * n, n, &r.mk_n[c])) < 0)
			goto out;
		r.category[c] = (signed char)trends_classify(z, pv, n, &r.mk_z[c], r.alpha);
		r.categories[r.category[c] + TRENDS_PATTERNS - 1]++;
	}
	*out = r;
out:
	if (rc < 0)
		trends_result_free(&r);
	return rc;
}

void trends_result_free(struct trends_result *r)
{
	gistar_result_free(&r->grid);
	free(r->z);
	free(r->p);
	free(r->count);
	free(r->mk_z);
	free(r->mk_n);
	free(r->category);
	*r = (struct trends_result){0};
}

/* Hot categories before cold, each in the order of the patterns (new
 * first: what a planner acts on), then by the z-scores' trend. */
struct ranked {
	const struct trends_result *r;
	size_t c;
};

static int by_category(const void *a, const void *b)
{
	const struct ranked *p = a, *q = b;
	int cp = p->r->category[p->c], cq = q->r->category[q->c];
	if ((cp > 0) != (cq > 0))
		return cp > 0 ? -1 : 1;
	if (abs(cp) != abs(cq))
		return abs(cp) - abs(cq);
	double zp = fabs(p->r->mk_z[p->c].z), zq = fabs(q->r->mk_z[q->c].z);
	if (zp != zq)
		return zp < zq ? 1 : -1;
	return (p->c > q->c) - (p->c < q->c);
}

static json_t *time_json(int64_t t)
{
	char buf[32];
	return json_string(timeparse_utc_text(t, buf, sizeof buf));
}

int trends_cell_feature(const struct trends_result *r, utm *u, size_t c, json_t **out)
{
	size_t n = (size_t)r->weeks, hot = 0, cold = 0;
	double total = 0;
	json_t *geometry, *zs = json_array();
	for (size_t k = 0; zs && k < n; k++) {
		int st = week_state(r->z[c * n + k], r->p[c * n + k], r->alpha);
		hot += st > 0;
		cold += st < 0;
		total += r->count[c * n + k];
		json_array_append_new(zs, json_real(r->z[c * n + k]));
	}
	int rc = gistar_cell_polygon(&r->grid, u, c, &geometry);
	*out = NULL;
	if (rc < 0) {
		json_decref(zs);
		return rc;
	}
	int cat = r->category[c];
	const struct trends_mk *m = &r->mk_z[c], *cm = &r->mk_n[c];
	*out = json_pack("{s:s, s:{s:i, s:i, s:s, s:i, s:b, s:I, s:I, s:I, s:f, s:f, s:f, s:f, "
	                 "s:f, s:f, s:f, s:f, s:o}, s:o}",
	                 "type", "Feature", "properties", "i", (int)(c % (size_t)r->grid.width),
	                 "j", (int)(c / (size_t)r->grid.width), "category",
	                 trends_category_name(cat), "pattern", abs(cat), "hot", cat > 0,
	                 "weeks_hot", (json_int_t)hot, "weeks_cold", (json_int_t)cold, "count",
	                 (json_int_t)total, "mk_s", m->s, "mk_var", m->var, "mk_z", m->z, "mk_p",
	                 m->p, "tau", m->tau, "count_mk_s", cm->s, "count_mk_z", cm->z,
	                 "count_mk_p", cm->p, "z", zs, "geometry", geometry);
	return *out ? 0 : err_set(ERR_NOMEM, "trends: out of memory for a cell");
}

int trends_geojson(const struct trends_result *r, json_t **out)
{
	const struct gistar_result *g = &r->grid;
	size_t cells = (size_t)g->width * g->height, n = 0;
	struct ranked *rk = malloc((g->cells + 1) * sizeof *rk);
	json_t *features = json_array(), *counts = json_object();
	utm *u = NULL;
	int rc = 0;
	*out = NULL;
	if (!rk || !features || !counts) {
		rc = err_set(ERR_NOMEM, "trends: out of memory for the GeoJSON");
		goto out;
	}
	if ((rc = utm_open(g->epsg, &u)) < 0)
		goto out;
	for (size_t c = 0; c < cells; c++)
		if (r->category[c])
			rk[n++] = (struct ranked){r, c};
	qsort(rk, n, sizeof *rk, by_category);
	for (size_t k = 0; k < n && rc == 0; k++) {
		json_t *f;
		rc = trends_cell_feature(r, u, rk[k].c, &f);
		if (rc == 0 && json_array_append_new(features, f) < 0)
			rc = err_set(ERR_NOMEM, "trends: out of memory for the GeoJSON");
	}
	for (int cat = 1 - TRENDS_PATTERNS; rc == 0 && cat < TRENDS_PATTERNS; cat++)
		if (json_object_set_new(
		        counts, trends_category_name(cat),
		        json_integer((json_int_t)r->categories[cat + TRENDS_PATTERNS - 1])) < 0)
			rc = err_set(ERR_NOMEM, "trends: out of memory for the GeoJSON");
	if (rc < 0)
		goto out;
	char crs[24];
	snprintf(crs, sizeof crs, "EPSG:%d", g->epsg);
	*out = json_pack("{s:s, s:o, s:s, s:[f,f], s:f, s:i, s:i, s:f, s:s, s:b, s:I, s:I, s:i, "
	                 "s:o, s:o, s:f, s:f, s:o}",
	                 "type", "FeatureCollection", "features", features, "crs", crs, "origin",
	                 g->x0, g->y0, "cell_m", g->cell, "width", g->width, "height", g->height,
	                 "band_m", g->band, "band_source", gistar_band_source_name(g->band_source),
	                 "whole_grid", g->whole_grid, "cells", (json_int_t)g->cells, "offences",
	                 (json_int_t)g->offences, "weeks", r->weeks, "from", time_json(r->from),
	                 "to", time_json(r->to), "alpha", r->alpha, "share", TRENDS_SHARE,
	                 "categories", counts);
	features = counts = NULL; /* the collection holds them, or json_pack freed them */
	if (!*out)
		rc = err_set(ERR_NOMEM, "trends: out of memory for the GeoJSON");
out:
	json_decref(features);
	json_decref(counts);
	free(rk);
	utm_free(u);
	return rc;
}
