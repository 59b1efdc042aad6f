/*
 * plan: greedy insertion and local improvement over the units' tours.
 *
 * Workload: up to a few thousand places and tens of units, a hundred-odd
 * places per unit. The greedy keeps, for every place and unit, the cheapest
 * insertion into the unit's tour and the edge it goes in; inserting a place
 * only invalidates the entries whose edge it split, so a step costs one
 * scan of the places x units table. The improvement moves try a change on
 * the tours themselves and undo it when it does not fit, so every accepted
 * state is one whose minutes were computed, never estimated.
 */
#include "plan.h"

#include "civil.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EPS        1e-9
#define MAX_TRIALS 64 /* free places tried per replaced place */
#define NEAR       24 /* nearest places a dropped place's minutes may go to */

struct tour {
	size_t *c; /* places in visiting order; the start point is before and after */
	size_t n;
	double len; /* metres of the closed tour */
};

struct solver {
	const struct plan_problem *p;
	size_t n, m;
	struct tour *t;
	unsigned char *in; /* in[c * m + u]: place c is visited by unit u */
	int *cnt;          /* units per place */
	double *ins;       /* ins[c * m + u]: cheapest insertion into u's tour, metres */
	size_t *pos;       /* and the edge it splits (0 .. n of u) */
	size_t **rank;     /* per service: places by value, highest first */
	double *start;     /* 2 per unit: its start point */
	size_t *near;      /* near[c * NEAR ...]: the places nearest c, nearest first */
	size_t n_near;     /* per place: min(NEAR, n - 1) */
	size_t *scratch;   /* a copy of one tour */
	size_t pool[2 * NEAR];
	double deadline;
	int stopped;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double val(const struct solver *s, size_t c, size_t u)
{
	return s->p->value[c * s->p->n_services + (size_t)s->p->units[u].service];
}

/* Coordinates of node i of u's tour: 0 and n + 1 are the start. */
static const double *node(const struct solver *s, size_t u, size_t i)
{
	const struct tour *t = &s->t[u];
	if (i == 0 || i == t->n + 1)
		return &s->start[2 * u];
	return &s->p->xy[2 * t->c[i - 1]];
}

static double dist(const double *a, const double *b)
{
	return hypot(a[0] - b[0], a[1] - b[1]);
}

/* Extra metres of putting place c on edge e (node e to node e + 1) of u. */
static double edge_cost(const struct solver *s, size_t u, size_t e, size_t c)
{
	const double *a = node(s, u, e), *b = node(s, u, e + 1), *x = &s->p->xy[2 * c];
	return dist(a, x) + dist(x, b) - dist(a, b);
}

static double best_insert(const struct solver *s, size_t u, size_t c, size_t *edge)
{
	double best = INFINITY;
	*edge = s->t[u].n;
	if (s->p->speed <= 0)
		return 0;
	for (size_t e = 0; e <= s->t[u].n; e++) {
		double d = edge_cost(s, u, e, c);
		if (d < best - EPS)
			best = d, *edge = e;
	}
	return best;
}

static double minutes_of(const struct plan_problem *p, size_t n, double len)
{
	double walk = p->speed > 0 ? len / p->speed : 0;
	return p->rounds * (p->visit * (double)n + walk);
}

static int fits(const struct solver *s, size_t u, size_t n, double len)
{
	return minutes_of(s->p, n, len) <= s->p->units[u].minutes + EPS;
}

/* Whether unit u may take place c at all. */
static int free_for(const struct solver *s, size_t c, size_t u)
{
	return !s->in[c * s->m + u] && s->cnt[c] < s->p->max_units && val(s, c, u) > 0;
}

static void put_at(struct solver *s, size_t u, size_t c, size_t e)
{
	struct tour *t = &s->t[u];
	t->len += s->p->speed > 0 ? edge_cost(s, u, e, c) : 0;
	memmove(&t->c[e + 1], &t->c[e], (t->n - e) * sizeof *t->c);
	t->c[e] = c;
	t->n++;
	s->in[c * s->m + u] = 1;
	s->cnt[c]++;
}

/* Removes the place at index i of u's tour and returns it. */
static size_t take(struct solver *s, size_t u, size_t i)
{
	struct tour *t = &s->t[u];
	size_t c = t->c[i];
	t->n--;
	memmove(&t->c[i], &t->c[i + 1], (t->n - i) * sizeof *t->c);
	if (s->p->speed > 0)
		t->len -= edge_cost(s, u, i, c);
	s->in[c * s->m + u] = 0;
	s->cnt[c]--;
	return c;
}

/* Puts c where it costs least in u when the minutes allow; 1 when done. */
static int try_put(struct solver *s, size_t u, size_t c)
{
	size_t e;
	double d = best_insert(s, u, c, &e);
	if (!fits(s, u, s->t[u].n + 1, s->t[u].len + d))
		return 0;
	put_at(s, u, c, e);
	return 1;
}

static void refresh(struct solver *s, size_t c, size_t u)
{
	s->ins[c * s->m + u] = best_insert(s, u, c, &s->pos[c * s->m + u]);
}

/* After place x went onto edge e of u: the entries that used that edge are
 * found again, the others shift and may prefer one of the two new edges. */
static void update_after_insert(struct solver *s, size_t u, size_t e)
{
	if (s->p->speed <= 0)
		return;
	for (size_t c = 0; c < s->n; c++) {
		size_t k = c * s->m + u;
		if (!free_for(s, c, u))
			continue;
		if (s->pos[k] == e) {
			refresh(s, c, u);
			continue;
		}
		if (s->pos[k] > e)
			s->pos[k]++;
		for (size_t f = e; f <= e + 1; f++) {
			double d = edge_cost(s, u, f, c);
			if (d < s->ins[k] - EPS || (d <= s->ins[k] + EPS && f < s->pos[k]))
				s->ins[k] = d, s->pos[k] = f;
		}
	}
}

/* Greedy insertion by value per marginal minute until nothing fits; returns
 * the value added. */
static double fill(struct solver *s)
{
	const struct plan_problem *p = s->p;
	double added = 0;
	for (size_t c = 0; c < s->n; c++)
		for (size_t u = 0; u < s->m; u++)
			refresh(s, c, u);
	for (;;) {
		double best = 0;
		size_t bc = 0, bu = 0;
		for (size_t u = 0; u < s->m; u++) {
			double used = minutes_of(p, s->t[u].n, s->t[u].len);
			for (size_t c = 0; c < s->n; c++) {
				if (!free_for(s, c, u))
					continue;
				double walk = p->speed > 0 ? s->ins[c * s->m + u] / p->speed : 0;
				double mm = p->rounds * (p->visit + walk);
				if (used + mm > p->units[u].minutes + EPS)
					continue;
				double ratio = val(s, c, u) / mm;
				if (ratio > best + EPS * ratio)
					best = ratio, bc = c, bu = u;
			}
		}
		if (best <= 0)
			return added;
		size_t e = s->pos[bc * s->m + bu];
		put_at(s, bu, bc, e);
		added += val(s, bc, bu);
		update_after_insert(s, bu, e);
	}
}

static double tour_length(const struct solver *s, size_t u)
{
	double len = 0;
	for (size_t i = 0; i <= s->t[u].n; i++)
		len += dist(node(s, u, i), node(s, u, i + 1));
	return len;
}

/* 2-opt of u's tour (the start fixed at both ends) until no exchange of two
 * edges shortens it. */
static void two_opt(struct solver *s, size_t u)
{
	struct tour *t = &s->t[u];
	int better = 1;
	while (better) {
		better = 0;
		for (size_t i = 0; i + 2 <= t->n; i++)
			for (size_t j = i + 2; j <= t->n; j++) {
				double d = dist(node(s, u, i), node(s, u, j)) +
				           dist(node(s, u, i + 1), node(s, u, j + 1)) -
				           dist(node(s, u, i), node(s, u, i + 1)) -
				           dist(node(s, u, j), node(s, u, j + 1));
				if (d >= -1e-7)
					continue;
				/* Nodes i + 1 .. j are places i .. j - 1. */
				for (size_t a = i, b = j - 1; a < b; a++, b--) {
					size_t x = t->c[a];
					t->c[a] = t->c[b];
					t->c[b] = x;
				}
				better = 1;
			}
	}
	t->len = tour_length(s, u);
}

static int out_of_time(struct solver *s)
{
	if (!s->stopped && now() > s->deadline)
		s->stopped = 1;
	return s->stopped;
}

/* Moves a place to a unit of a service that values it more. */
static int relocate(struct solver *s)
{
	int moved = 0;
	for (size_t u = 0; u < s->m; u++)
		for (size_t i = 0; i < s->t[u].n; i++) {
			size_t c = s->t[u].c[i];
			for (size_t w = 0; w < s->m; w++) {
				if (w == u || s->in[c * s->m + w] ||
				    val(s, c, w) <= val(s, c, u) + EPS)
					continue;
				take(s, u, i);
				if (try_put(s, w, c)) {
					moved = 1;
					break;
				}
				put_at(s, u, c, i);
			}
			if (s->t[u].n <= i || s->t[u].c[i] != c)
				i--; /* the place left: index i holds the next one */
		}
	return moved;
}

/* Exchanges a place of u with one of w when both value the other's more. */
static int swap(struct solver *s)
{
	int moved = 0;
	for (size_t u = 0; u < s->m && !out_of_time(s); u++)
		for (size_t w = u + 1; w < s->m; w++) {
			if (s->p->units[u].service == s->p->units[w].service)
				continue;
			for (size_t i = 0; i < s->t[u].n; i++)
				for (size_t j = 0; j < s->t[w].n; j++) {
					size_t a = s->t[u].c[i], b = s->t[w].c[j];
					double gain = val(s, a, w) + val(s, b, u) - val(s, a, u) -
					              val(s, b, w);
					if (gain <= EPS || s->in[a * s->m + w] ||
					    s->in[b * s->m + u])
						continue;
					take(s, u, i);
					take(s, w, j);
					if (try_put(s, u, b)) {
						if (try_put(s, w, a)) {
							moved = 1;
							i = 0,
							j = (size_t)-1; /* start the pair over */
							continue;
						}
						size_t k = 0;
						while (s->t[u].c[k] != b)
							k++;
						take(s, u, k);
					}
					put_at(s, w, b, j);
					put_at(s, u, a, i);
				}
		}
	return moved;
}

/* The best free place for u that fits once u has lost nothing more: tried
 * in value order, at most MAX_TRIALS; only values above floor count. */
static int put_best_free(struct solver *s, size_t u, double floor, size_t skip, size_t *placed)
{
	const size_t *r = s->rank[s->p->units[u].service];
	int trials = 0;
	for (size_t k = 0; k < s->n && trials < MAX_TRIALS; k++) {
		size_t c = r[k];
		if (val(s, c, u) <= floor + EPS)
			return 0;
		if (c == skip || !free_for(s, c, u))
			continue;
		trials++;
		if (try_put(s, u, c)) {
			*placed = c;
			return 1;
		}
	}
	return 0;
}

/* Replaces a place of u by a free one u values more. */
static int replace(struct solver *s)
{
	int moved = 0;
	for (size_t u = 0; u < s->m && !out_of_time(s); u++)
		for (size_t i = 0; i < s->t[u].n; i++) {
			size_t a = take(s, u, i), c;
			if (put_best_free(s, u, val(s, a, u), a, &c)) {
				moved = 1;
				continue;
			}
			put_at(s, u, a, i);
		}
	return moved;
}

/* Moves place a of u into w in place of w's place b (which goes free), and
 * refills u with the best free place that fits: a chain of three. */
static int eject(struct solver *s)
{
	int moved = 0;
	for (size_t u = 0; u < s->m && !out_of_time(s); u++)
		for (size_t i = 0; i < s->t[u].n; i++) {
			size_t a = s->t[u].c[i];
			const size_t *r = s->rank[s->p->units[u].service];
			double top = 0; /* the most a free place could bring back to u */
			for (size_t k = 0; k < s->n; k++)
				if (free_for(s, r[k], u)) {
					top = val(s, r[k], u);
					break;
				}
			int done = 0;
			for (size_t w = 0; w < s->m && !done; w++) {
				if (w == u || s->in[a * s->m + w])
					continue;
				for (size_t j = 0; j < s->t[w].n; j++) {
					size_t b = s->t[w].c[j], c;
					double net = val(s, a, w) - val(s, a, u) - val(s, b, w);
					if (net + top <= EPS)
						continue;
					take(s, u, i);
					take(s, w, j);
					if (try_put(s, w, a)) {
						if (put_best_free(s, u, -net, b, &c)) {
							moved = done = 1;
							break;
						}
						size_t k = 0;
						while (s->t[w].c[k] != a)
							k++;
						take(s, w, k);
					}
					put_at(s, w, b, j);
					put_at(s, u, a, i);
				}
			}
		}
	return moved;
}

/* Greedy insertion into u alone, by value per marginal minute, of the
 * free places among the n in list (not skip1, skip2); returns the value
 * added. */
static double refill(struct solver *s, size_t u, const size_t *list, size_t n, size_t skip1,
                     size_t skip2)
{
	const struct plan_problem *p = s->p;
	double added = 0;
	for (;;) {
		double best = 0, used = minutes_of(p, s->t[u].n, s->t[u].len);
		size_t bc = 0, be = 0;
		for (size_t k = 0; k < n; k++) {
			size_t c = list[k], e;
			if (c == skip1 || c == skip2 || !free_for(s, c, u))
				continue;
			double d = best_insert(s, u, c, &e);
			double mm = p->rounds * (p->visit + (p->speed > 0 ? d / p->speed : 0));
			double ratio = val(s, c, u) / mm;
			if (used + mm <= p->units[u].minutes + EPS && ratio > best + EPS * ratio)
				best = ratio, bc = c, be = e;
		}
		if (best <= 0)
			return added;
		put_at(s, u, bc, be);
		added += val(s, bc, u);
	}
}

/* Drops one place of u, or two visited one after the other, and spends
 * their minutes on the free places nearest them when those are worth more:
 * trades that replace() cannot see (one place for two lesser ones close
 * by, two far apart for two together). Undone from a copy of the tour. */
static int drop(struct solver *s)
{
	int moved = 0;
	for (size_t u = 0; u < s->m && !out_of_time(s); u++)
		for (size_t i = 0; i < s->t[u].n; i++)
			for (size_t len = 1; len <= 2 && i + len <= s->t[u].n; len++) {
				struct tour *t = &s->t[u], saved = *t;
				size_t k = 0, a = t->c[i], b = t->c[i + len - 1];
				double lost = 0;
				memcpy(s->scratch, t->c, t->n * sizeof *t->c);
				for (size_t j = 0; j < len; j++)
					lost += val(s, take(s, u, i), u);
				for (size_t j = 0; j < s->n_near; j++)
					s->pool[k++] = s->near[a * NEAR + j];
				for (size_t j = 0; j < s->n_near && len == 2; j++)
					s->pool[k++] = s->near[b * NEAR + j];
				if (refill(s, u, s->pool, k, a, b) > lost + EPS) {
					moved = 1;
					break;
				}
				for (size_t j = 0; j < t->n; j++)
					s->in[t->c[j] * s->m + u] = 0, s->cnt[t->c[j]]--;
				memcpy(t->c, s->scratch, saved.n * sizeof *t->c);
				t->n = saved.n, t->len = saved.len;
				for (size_t j = 0; j < t->n; j++)
					s->in[t->c[j] * s->m + u] = 1, s->cnt[t->c[j]]++;
			}
	return moved;
}

static double total_value(const struct solver *s)
{
	double v = 0;
	for (size_t u = 0; u < s->m; u++)
		for (size_t i = 0; i < s->t[u].n; i++)
			v += val(s, s->t[u].c[i], u);
	return v;
}

static void improve(struct solver *s)
{
	double before = total_value(s);
	while (!out_of_time(s)) {
		for (size_t u = 0; u < s->m && s->p->speed > 0; u++)
			two_opt(s, u);
		relocate(s);
		swap(s);
		replace(s);
		eject(s);
		drop(s);
		fill(s);
		double after = total_value(s);
		if (after <= before + EPS * (1 + fabs(before)))
			break;
		before = after;
	}
	for (size_t u = 0; u < s->m && s->p->speed > 0; u++)
		two_opt(s, u);
}

static int check(const struct plan_problem *p)
{
	if (p->n_units < 1 || p->n_units > PLAN_MAX_UNITS)
		return err_set_field(ERR_INVALID, "units",
		                     "units: %zu units; 1 to %d can be planned", p->n_units,
		                     PLAN_MAX_UNITS);
	if (p->n_places > PLAN_MAX_PLACES)
		return err_set_field(ERR_INVALID, "places",
		                     "places: %zu candidate places; at most %d", p->n_places,
		                     PLAN_MAX_PLACES);
	if (p->n_services < 1)
		return err_set_field(ERR_INVALID, "services",
		                     "services: no service to value the places for");
	if (!(p->visit > 0 && p->visit <= CIVIL_MINUTES_PER_DAY))
		return err_set_field(ERR_INVALID, "visit",
		                     "visit: %g is not a visit of more than 0 minutes", p->visit);
	if (p->rounds < 1)
		return err_set_field(ERR_INVALID, "every",
		                     "every: %d rounds; at least one visit per shift", p->rounds);
	if (!(p->speed >= 0 && isfinite(p->speed)))
		return err_set_field(ERR_INVALID, "speed", "speed: %g is not a speed of 0 or more",
		                     p->speed);
	if (p->max_units < 1)
		return err_set_field(ERR_INVALID, "shared",
		                     "shared: %d units per place; at least 1", p->max_units);
	if (!(p->seconds >= 0 && p->seconds <= 600))
		return err_set_field(ERR_INVALID, "seconds",
		                     "seconds: %g is not a time limit of 0 to 600 s", p->seconds);
	for (size_t u = 0; u < p->n_units; u++) {
		const struct plan_unit *x = &p->units[u];
		if (!(x->minutes > 0 && x->minutes <= CIVIL_MINUTES_PER_DAY))
			return err_set_field(
			    ERR_INVALID, "units[%zu].minutes",
			    "units[%zu].minutes: %g is not a number of minutes on duty "
			    "above 0 and up to 1440",
			    u, x->minutes);
		if (x->service < 0 || (size_t)x->service >= p->n_services)
			return err_set_field(ERR_INVALID, "units[%zu].service",
			                     "units[%zu].service: %d is not a service index", u,
			                     x->service);
		if (!isfinite(x->x) || !isfinite(x->y))
			return err_set_field(ERR_INVALID, "units[%zu]",
			                     "units[%zu]: the start point is not finite", u);
	}
	for (size_t c = 0; c < p->n_places; c++) {
		if (!isfinite(p->xy[2 * c]) || !isfinite(p->xy[2 * c + 1]))
			return err_set_field(ERR_INVALID, "places[%zu]",
			                     "places[%zu]: the point is not finite", c);
		for (size_t k = 0; k < p->n_services; k++) {
			double v = p->value[c * p->n_services + k];
			if (!(v >= 0 && isfinite(v)))
				return err_set_field(ERR_INVALID, "value[%zu]",
				                     "value[%zu]: %g is not a value of 0 or more",
				                     c, v);
		}
	}
	return 0;
}

struct ranked {
	double v;
	size_t c;
};

static int by_value_desc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->v != y->v)
		return x->v < y->v ? 1 : -1;
	return (x->c > y->c) - (x->c < y->c);
}

static int make_ranks(struct solver *s)
{
	const struct plan_problem *p = s->p;
	struct ranked *tmp = malloc((s->n ? s->n : 1) * sizeof *tmp);
	s->rank = calloc(p->n_services, sizeof *s->rank);
	if (!tmp || !s->rank) {
		free(tmp);
		return err_set(ERR_NOMEM, "plan: out of memory");
	}
	for (size_t k = 0; k < p->n_services; k++) {
		s->rank[k] = malloc((s->n ? s->n : 1) * sizeof **s->rank);
		if (!s->rank[k]) {
			free(tmp);
			return err_set(ERR_NOMEM, "plan: out of memory");
		}
		for (size_t c = 0; c < s->n; c++)
			tmp[c] = (struct ranked){p->value[c * p->n_services + k], c};
		qsort(tmp, s->n, sizeof *tmp, by_value_desc);
		for (size_t c = 0; c < s->n; c++)
			s->rank[k][c] = tmp[c].c;
	}
	free(tmp);
	return 0;
}

struct by_dist {
	double d;
	size_t c;
};

static int by_dist_asc(const void *a, const void *b)
{
	const struct by_dist *x = a, *y = b;
	if (x->d != y->d)
		return x->d > y->d ? 1 : -1;
	return (x->c > y->c) - (x->c < y->c);
}

/* The NEAR nearest places of every place, kept sorted while scanning the
 * others (quadratic: instances are thousands of places). */
static int make_near(struct solver *s)
{
	struct by_dist list[NEAR];
	s->near = malloc((s->n ? s->n : 1) * NEAR * sizeof *s->near);
	s->n_near = s->n > NEAR ? NEAR : s->n ? s->n - 1 : 0;
	if (!s->near)
		return err_set(ERR_NOMEM, "plan: out of memory");
	for (size_t c = 0; c < s->n; c++) {
		size_t k = 0;
		for (size_t o = 0; o < s->n; o++) {
			struct by_dist x = {dist(&s->p->xy[2 * c], &s->p->xy[2 * o]), o};
			if (o == c || (k == s->n_near && by_dist_asc(&x, &list[k - 1]) >= 0))
				continue;
			size_t j = k < s->n_near ? k++ : k - 1;
			for (; j > 0 && by_dist_asc(&x, &list[j - 1]) < 0; j--)
				list[j] = list[j - 1];
			list[j] = x;
		}
		for (size_t j = 0; j < k; j++)
			s->near[c * NEAR + j] = list[j].c;
	}
	return 0;
}

static int write_result(const struct solver *s, struct plan_result *out)
{
	size_t total = 0;
	for (size_t u = 0; u < s->m; u++)
		total += s->t[u].n;
	out->n_units = s->m;
	out->order = malloc((total ? total : 1) * sizeof *out->order);
	out->first = malloc((s->m + 1) * sizeof *out->first);
	out->minutes = malloc(s->m * sizeof *out->minutes);
	out->travel = malloc(s->m * sizeof *out->travel);
	out->value = malloc(s->m * sizeof *out->value);
	if (!out->order || !out->first || !out->minutes || !out->travel || !out->value)
		return err_set(ERR_NOMEM, "plan: out of memory");
	out->first[0] = 0;
	out->total = 0;
	for (size_t u = 0; u < s->m; u++) {
		const struct tour *t = &s->t[u];
		memcpy(&out->order[out->first[u]], t->c, t->n * sizeof *t->c);
		out->first[u + 1] = out->first[u] + t->n;
		out->travel[u] = s->p->speed > 0 ? tour_length(s, u) : 0;
		out->minutes[u] = plan_minutes(s->p, u, t->c, t->n);
		out->value[u] = 0;
		for (size_t i = 0; i < t->n; i++)
			out->value[u] += val(s, t->c[i], u);
		out->total += out->value[u];
	}
	out->stopped = s->stopped;
	return 0;
}

int plan_solve(const struct plan_problem *p, struct plan_result *out)
{
	struct solver s = {.p = p, .n = p->n_places, .m = p->n_units};
	int rc;
	*out = (struct plan_result){0};
	if ((rc = check(p)) < 0)
		return rc;
	size_t nm = (s.n ? s.n : 1) * s.m;
	s.deadline = now() + (p->seconds > 0 ? p->seconds : PLAN_DEFAULT_SECONDS);
	s.t = calloc(s.m, sizeof *s.t);
	s.in = calloc(nm, 1);
	s.cnt = calloc(s.n ? s.n : 1, sizeof *s.cnt);
	s.ins = malloc(nm * sizeof *s.ins);
	s.pos = malloc(nm * sizeof *s.pos);
	s.start = malloc(2 * s.m * sizeof *s.start);
	s.scratch = malloc((s.n + 1) * sizeof *s.scratch);
	if (!s.t || !s.in || !s.cnt || !s.ins || !s.pos || !s.start || !s.scratch) {
		rc = err_set(ERR_NOMEM, "plan: out of memory for %zu places", s.n);
		goto out;
	}
	for (size_t u = 0; u < s.m; u++) {
		s.start[2 * u] = p->units[u].x;
		s.start[2 * u + 1] = p->units[u].y;
		/* No tour can hold more places than the visits its minutes allow. */
		double most = floor(p->units[u].minutes / (p->rounds * p->visit)) + 1;
		size_t cap = most < (double)s.n ? (size_t)most : s.n;
		s.t[u].c = malloc((cap + 1) * sizeof *s.t[u].c);
		if (!s.t[u].c) {
			rc = err_set(ERR_NOMEM, "plan: out of memory");
			goto out;
		}
	}
	if ((rc = make_ranks(&s)) < 0 || (rc = make_near(&s)) < 0)
		goto out;
	fill(&s);
	improve(&s);
	rc = write_result(&s, out);
out:
	if (rc < 0)
		plan_result_free(out);
	for (size_t u = 0; s.t && u < s.m; u++)
		free(s.t[u].c);
	for (size_t k = 0; s.rank && k < p->n_services; k++)
		free(s.rank[k]);
	free(s.rank);
	free(s.t);
	free(s.in);
	free(s.cnt);
	free(s.ins);
	free(s.pos);
	free(s.start);
	free(s.scratch);
	free(s.near);
	return rc;
}

double plan_minutes(const struct plan_problem *p, size_t u, const size_t *places, size_t n)
{
	if (!n)
		return 0;
	const double start[2] = {p->units[u].x, p->units[u].y};
	const double *prev = start;
	double len = 0;
	for (size_t i = 0; i <= n; i++) {
		const double *next = i < n ? &p->xy[2 * places[i]] : start;
		len += dist(prev, next);
		prev = next;
	}
	return minutes_of(p, n, len);
}

void plan_result_free(struct plan_result *r)
{
	free(r->order);
	free(r->first);
	free(r->minutes);
	free(r->travel);
	free(r->value);
	*r = (struct plan_result){0};
}
