#include "ground.h"

#include "arena.h"
#include "err.h"
#include "tilemath.h"
#include "wkb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A feature in more grid cells than this is on the wide list instead. */
#define WIDE_CELLS 64

struct ground {
	struct arena arena;
	struct ground_feature *f;
	size_t n, cap;
	/* The grid: side x side cells over extent; cell c holds the features
	 * items[cell_start[c] .. cell_start[c + 1]). */
	double extent[4], cell_w, cell_h;
	size_t side;
	size_t *cell_start, *items;
	size_t *wide, n_wide;
};

/* One feature's runs while its WKB is read. */
struct reading {
	ground *g;
	double *xy;
	uint32_t *start;
	size_t n_pts, cap_pts, n_runs, cap_runs;
	int shape; /* -1 until the first run */
	int rc;
};

static int nomem(void)
{
	return err_set(ERR_NOMEM, "ground: out of memory");
}

static void *grow(void *v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return v;
	size_t c = *cap ? *cap * 2 : 64;
	if (c < need)
		c = need;
	void *p = realloc(v, c * size);
	if (p)
		*cap = c;
	return p;
}

static int take_run(void *ctx, enum wkb_run kind, const double *xy, size_t n)
{
	struct reading *R = ctx;
	int shape = kind == WKB_POINT  ? GROUND_POINT
	            : kind == WKB_LINE ? GROUND_LINES
	                               : GROUND_AREA;
	if (R->shape < 0)
		R->shape = shape;
	/* A collection of mixed members draws as its first kind. */
	if (shape != R->shape || n == 0)
		return 0;
	double *pxy = grow(R->xy, &R->cap_pts, R->n_pts + n, 2 * sizeof *pxy);
	if (pxy)
		R->xy = pxy;
	uint32_t *ps = pxy ? grow(R->start, &R->cap_runs, R->n_runs + 2, sizeof *ps) : NULL;
	if (!ps)
		return R->rc = nomem();
	R->start = ps;
	for (size_t i = 0; i < n; i++) {
		int rc = tile_lonlat_to_merc(xy[2 * i], xy[2 * i + 1], &R->xy[2 * (R->n_pts + i)],
		                             &R->xy[2 * (R->n_pts + i) + 1]);
		if (rc < 0)
			return R->rc =
			           err_set(ERR_GEOMETRY, "(%g, %g) is not a longitude and latitude",
			                   xy[2 * i], xy[2 * i + 1]);
	}
	R->start[R->n_runs++] = (uint32_t)R->n_pts;
	R->n_pts += n;
	return 0;
}

static void set_bbox(struct ground_feature *f)
{
	f->bbox[0] = f->bbox[1] = INFINITY;
	f->bbox[2] = f->bbox[3] = -INFINITY;
	for (uint32_t i = 0; i < f->run_start[f->n_runs]; i++) {
		f->bbox[0] = fmin(f->bbox[0], f->xy[2 * i]);
		f->bbox[1] = fmin(f->bbox[1], f->xy[2 * i + 1]);
		f->bbox[2] = fmax(f->bbox[2], f->xy[2 * i]);
		f->bbox[3] = fmax(f->bbox[3], f->xy[2 * i + 1]);
	}
}

static int take_feature(void *ctx, const struct store_ref_feature *r)
{
	struct reading *R = ctx;
	ground *g = R->g;
	int kind = osmtags_kind_index(r->kind);
	if (kind < 0)
		return 0; /* a kind this build does not draw */
	R->n_pts = R->n_runs = 0;
	R->shape = -1;
	R->rc = 0;
	int rc = wkb_walk(r->wkb, r->wkb_len, take_run, R);
	if (rc < 0)
		return err_set(rc, "reference feature %s: %s", r->external_id, err_msg());
	if (R->n_runs == 0)
		return 0;
	R->start[R->n_runs] = (uint32_t)R->n_pts;
	struct ground_feature *f = grow(g->f, &g->cap, g->n + 1, sizeof *f);
	if (!f)
		return nomem();
	g->f = f;
	f = &g->f[g->n];
	memset(f, 0, sizeof *f);
	f->kind = (enum osmtags_kind)kind;
	f->shape = (enum ground_shape)R->shape;
	f->n_runs = R->n_runs;
	double *xy = arena_alloc(&g->arena, 2 * R->n_pts * sizeof *xy);
	uint32_t *start = arena_alloc(&g->arena, (R->n_runs + 1) * sizeof *start);
	if (!xy || !start)
		return nomem();
	memcpy(xy, R->xy, 2 * R->n_pts * sizeof *xy);
	memcpy(start, R->start, (R->n_runs + 1) * sizeof *start);
	f->xy = xy;
	f->run_start = start;
	set_bbox(f);
	const char *texts[] = {r->cls,     r->poi,     r->name,   r->name_uz,    r->name_uz_cyrl,
	                       r->name_ru, r->name_en, r->street, r->housenumber};
	const char **into[] = {&f->cls,
	                       &f->poi,
	                       &f->names[GROUND_NAME],
	                       &f->names[GROUND_UZ],
	                       &f->names[GROUND_UZ_CYRL],
	                       &f->names[GROUND_RU],
	                       &f->names[GROUND_EN],
	                       &f->street,
	                       &f->housenumber};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (texts[i] && !(*into[i] = arena_strdup(&g->arena, texts[i])))
			return nomem();
	g->n++;
	return 0;
}

/* By kind, then in the order loaded. */
struct order {
	int kind;
	size_t i;
};

static int by_kind(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int sort_features(ground *g)
{
	struct order *o = malloc((g->n ? g->n : 1) * sizeof *o);
	struct ground_feature *f = malloc((g->n ? g->n : 1) * sizeof *f);
	if (!o || !f) {
		free(o);
		free(f);
		return nomem();
	}
	for (size_t i = 0; i < g->n; i++)
		o[i] = (struct order){g->f[i].kind, i};
	qsort(o, g->n, sizeof *o, by_kind);
	for (size_t i = 0; i < g->n; i++)
		f[i] = g->f[o[i].i];
	free(o);
	free(g->f);
	g->f = f;
	g->cap = g->n;
	return 0;
}

/* The cells of box, clamped to the grid. */
static void cells_of(const ground *g, const double box[4], size_t c[4])
{
	double v[4] = {(box[0] - g->extent[0]) / g->cell_w, (box[1] - g->extent[1]) / g->cell_h,
	               (box[2] - g->extent[0]) / g->cell_w, (box[3] - g->extent[1]) / g->cell_h};
	for (int k = 0; k < 4; k++)
		c[k] = v[k] <= 0 ? 0 : v[k] >= (double)(g->side - 1) ? g->side - 1 : (size_t)v[k];
}

static int build_grid(ground *g)
{
	g->extent[0] = g->extent[1] = INFINITY;
	g->extent[2] = g->extent[3] = -INFINITY;
	for (size_t i = 0; i < g->n; i++)
		for (int k = 0; k < 2; k++) {
			g->extent[k] = fmin(g->extent[k], g->f[i].bbox[k]);
			g->extent[k + 2] = fmax(g->extent[k + 2], g->f[i].bbox[k + 2]);
		}
	/* About four features a cell, at most 512 cells a side. */
	g->side = (size_t)ceil(sqrt((double)g->n / 4));
	g->side = g->side < 1 ? 1 : g->side > 512 ? 512 : g->side;
	g->cell_w = fmax((g->extent[2] - g->extent[0]) / (double)g->side, 1e-9);
	g->cell_h = fmax((g->extent[3] - g->extent[1]) / (double)g->side, 1e-9);
	size_t cells = g->side * g->side;
	if (!(g->cell_start = calloc(cells + 1, sizeof *g->cell_start)) ||
	    !(g->wide = malloc((g->n ? g->n : 1) * sizeof *g->wide)))
		return nomem();
	/* Two passes: count each cell's features, then place them. */
	for (int pass = 0; pass < 2; pass++) {
		g->n_wide = 0;
		for (size_t i = 0; i < g->n; i++) {
			size_t c[4];
			cells_of(g, g->f[i].bbox, c);
			if ((c[2] - c[0] + 1) * (c[3] - c[1] + 1) > WIDE_CELLS) {
				if (pass)
					g->wide[g->n_wide] = i;
				g->n_wide++;
				continue;
			}
			for (size_t y = c[1]; y <= c[3]; y++)
				for (size_t x = c[0]; x <= c[2]; x++) {
					size_t cell = y * g->side + x;
					if (pass)
						g->items[g->cell_start[cell + 1]++] = i;
					else
						g->cell_start[cell + 1]++;
				}
		}
		if (pass)
			break;
		for (size_t c = 0; c < cells; c++)
			g->cell_start[c + 1] += g->cell_start[c];
		if (!(g->items = malloc((g->cell_start[cells] ? g->cell_start[cells] : 1) *
		                        sizeof *g->items)))
			return nomem();
		/* The second pass counts up from each cell's start again. */
		memmove(g->cell_start + 1, g->cell_start, cells * sizeof *g->cell_start);
		g->cell_start[0] = 0;
	}
	return 0;
}

int ground_load(store *st, ground **out)
{
	ground *g = calloc(1, sizeof *g);
	struct reading R = {.g = g};
	int rc;
	*out = NULL;
	if (!g)
		return nomem();
	if ((rc = store_each_ref_feature(st, NULL, take_feature, &R)) < 0 ||
	    (rc = sort_features(g)) < 0 || (rc = build_grid(g)) < 0) {
		ground_free(g);
		g = NULL;
	}
	free(R.xy);
	free(R.start);
	*out = g;
	return rc;
}

int ground_reframe(const ground *g, const double box[4], ground_frame_fn to_frame, void *ctx,
                   ground **out)
{
	ground *c = calloc(1, sizeof *c);
	struct ground_list found = {0};
	double *x = NULL, *y = NULL;
	size_t cap = 0;
	int rc;
	*out = NULL;
	if (!c)
		return nomem();
	if ((rc = ground_find(g, box, &found)) < 0)
		goto out;
	if (!(c->f = malloc((found.n ? found.n : 1) * sizeof *c->f))) {
		rc = nomem();
		goto out;
	}
	c->cap = found.n;
	/* Found in drawing order, which the copy keeps. */
	for (size_t k = 0; k < found.n; k++) {
		const struct ground_feature *f = &g->f[found.idx[k]];
		size_t n = f->run_start[f->n_runs], cx = cap;
		double *nx = grow(x, &cx, n, sizeof *x);
		if (nx)
			x = nx;
		double *ny = nx ? grow(y, &cap, n, sizeof *y) : NULL;
		if (!ny) {
			rc = nomem();
			goto out;
		}
		y = ny;
		for (size_t i = 0; i < n; i++)
			tile_merc_to_lonlat(f->xy[2 * i], f->xy[2 * i + 1], &x[i], &y[i]);
		if ((rc = to_frame(ctx, x, y, n)) < 0)
			goto out;
		double *xy = arena_alloc(&c->arena, 2 * n * sizeof *xy);
		if (!xy) {
			rc = nomem();
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			xy[2 * i] = x[i];
			xy[2 * i + 1] = y[i];
		}
		c->f[c->n] = *f;
		c->f[c->n].xy = xy;
		set_bbox(&c->f[c->n]);
		c->n++;
	}
	rc = build_grid(c);
out:
	ground_list_free(&found);
	free(x);
	free(y);
	if (rc < 0)
		ground_free(c);
	else
		*out = c;
	return rc;
}

/* The squared distance from (x, y) to the segment a-b. */
static double segment_d2(double x, double y, const double *a, const double *b)
{
	double dx = b[0] - a[0], dy = b[1] - a[1], l2 = dx * dx + dy * dy;
	double t = l2 > 0 ? ((x - a[0]) * dx + (y - a[1]) * dy) / l2 : 0;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	double ex = a[0] + t * dx - x, ey = a[1] + t * dy - y;
	return ex * ex + ey * ey;
}

int ground_street_near(const ground *g, double x, double y, double radius,
                       const struct ground_feature **out)
{
	double box[4] = {x - radius, y - radius, x + radius, y + radius}, best = radius * radius;
	struct ground_list found = {0};
	int rc = ground_find(g, box, &found);
	*out = NULL;
	for (size_t k = 0; rc == 0 && k < found.n; k++) {
		const struct ground_feature *f = &g->f[found.idx[k]];
		if (f->kind != OSMTAGS_STREET || f->shape != GROUND_LINES || !f->names[GROUND_NAME])
			continue;
		for (size_t r = 0; r < f->n_runs; r++)
			for (uint32_t i = f->run_start[r]; i + 1 < f->run_start[r + 1]; i++) {
				double d2 = segment_d2(x, y, f->xy + 2 * i, f->xy + 2 * i + 2);
				if (d2 <= best) {
					best = d2;
					*out = f;
				}
			}
	}
	ground_list_free(&found);
	return rc;
}

void ground_free(ground *g)
{
	if (!g)
		return;
	arena_free(&g->arena);
	free(g->f);
	free(g->cell_start);
	free(g->items);
	free(g->wide);
	free(g);
}

size_t ground_count(const ground *g)
{
	return g->n;
}

const struct ground_feature *ground_feature(const ground *g, size_t i)
{
	return &g->f[i];
}

static int meets(const double a[4], const double b[4])
{
	return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/* Marks feature i in the bitmap seen; counts it and widens the range of
 * marked words [*lo, *hi]. */
static void mark(uint64_t *seen, size_t i, size_t *hits, size_t *lo, size_t *hi)
{
	seen[i / 64] |= (uint64_t)1 << (i % 64);
	++*hits;
	*lo = i / 64 < *lo ? i / 64 : *lo;
	*hi = i / 64 > *hi ? i / 64 : *hi;
}

int ground_find(const ground *g, const double box[4], struct ground_list *out)
{
	out->n = 0;
	if (!g->n || !meets(box, g->extent))
		return 0;
	/* A feature in several cells is met once per cell. A bitmap of the
	 * features keeps each once and gives them ascending (drawing order)
	 * by reading it word by word: a sort of the hits was most of the time
	 * of a base tile whose box held thousands of houses. */
	size_t c[4], hits = 0, lo = SIZE_MAX, hi = 0;
	uint64_t *seen = calloc((g->n + 63) / 64, sizeof *seen);
	if (!seen)
		return nomem();
	cells_of(g, box, c);
	for (size_t y = c[1]; y <= c[3]; y++)
		for (size_t x = c[0]; x <= c[2]; x++) {
			size_t cell = y * g->side + x;
			for (size_t k = g->cell_start[cell]; k < g->cell_start[cell + 1]; k++) {
				size_t i = g->items[k];
				if (!(seen[i / 64] >> (i % 64) & 1) && meets(box, g->f[i].bbox))
					mark(seen, i, &hits, &lo, &hi);
			}
		}
	for (size_t k = 0; k < g->n_wide; k++)
		if (meets(box, g->f[g->wide[k]].bbox))
			mark(seen, g->wide[k], &hits, &lo, &hi);
	size_t *v = hits ? grow(out->idx, &out->cap, hits, sizeof *v) : out->idx;
	if (hits && !v) {
		free(seen);
		return nomem();
	}
	out->idx = v;
	for (size_t w = lo; hits && w <= hi; w++)
		for (uint64_t bits = seen[w]; bits; bits &= bits - 1)
			out->idx[out->n++] = w * 64 + (size_t)__builtin_ctzll(bits);
	free(seen);
	return 0;
}

void ground_list_free(struct ground_list *l)
{
	free(l->idx);
	l->idx = NULL;
	l->n = l->cap = 0;
}

const char *ground_name(const struct ground_feature *f, enum ground_lang lang)
{
	/* A Russian reader reads the Uzbek Cyrillic name before the Latin one. */
	if (lang == GROUND_RU && !f->names[GROUND_RU])
		lang = GROUND_UZ_CYRL;
	return f->names[lang] ? f->names[lang] : f->names[GROUND_NAME];
}

int ground_lang_of(const char *code)
{
	static const struct {
		const char *code;
		enum ground_lang lang;
	} codes[] = {{"uz", GROUND_UZ},
	             {"uz-Latn", GROUND_UZ},
	             {"uz-Cyrl", GROUND_UZ_CYRL},
	             {"ru", GROUND_RU},
	             {"en", GROUND_EN}};
	for (size_t i = 0; code && i < sizeof codes / sizeof codes[0]; i++)
		if (strcasecmp(code, codes[i].code) == 0)
			return (int)codes[i].lang;
	return -1;
}
