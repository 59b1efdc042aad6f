/*
 * kde: per-point stamping of normalised kernels onto a grid of cell centres.
 *
 * Workload: a 256 x 256 tile (or a print raster of a few million cells)
 * from the tens of thousands of offences within one bandwidth of it, on
 * every cache miss, and again for every tile a newly ingested offence
 * invalidates. Each point visits the rows its disc can reach and, in each,
 * only the run of cells inside the circle (plus one guard cell each side,
 * whose value the kernel's own cut-off zeroes), so the cost is the disc
 * area in cells per point.
 *
 * Speed: the per-cell work is a handful of multiply-adds on a precomputed
 * column-centre table, with kernel profiles written without branches
 * (max(q, 0) as (q + |q|) / 2, exact) so that GCC vectorises the row loops
 * under the project's ordinary flags; per row, the disc's chord is one sqrt.
 * The tables (width + 3 x height doubles) are the only allocation, once
 * per grid. Input ranges (bandwidth, cell, scales, corner) are bounded so
 * that every squared distance a stamp computes stays finite, which the
 * branch-free profiles need.
 *
 * Exactness: the grid and kde_density_at() compute each term with the same
 * expressions in the same order (centre from the cell index, squared
 * scaled distance, kernel profile, times weight x normalisation), and add
 * terms in point order, so the two agree to the last bit at a cell centre;
 * tests rely on it only to 1e-9.
 */
#include "kde.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KDE_PI 3.14159265358979323846
/* Relative widening of kde_grid_reach(), against rounding at the rim. */
#define KDE_REACH_SLACK 1e-9
/* Accepted ranges; see kde.h. */
#define KDE_MIN_BANDWIDTH 1e-3
#define KDE_MAX_BANDWIDTH 1e6
#define KDE_MIN_CELL      1e-6
#define KDE_MAX_CELL      1e7
#define KDE_MIN_SCALE     1e-3
#define KDE_MAX_SCALE     1e3
#define KDE_MAX_COORD     1e9

static const struct {
	const char *name;
	double norm;
} kde_kernels[KDE_KERNEL_COUNT] = {
    [KDE_QUARTIC] = {"quartic", 3.0},           [KDE_TRIANGULAR] = {"triangular", 3.0},
    [KDE_UNIFORM] = {"uniform", 1.0},           [KDE_TRIWEIGHT] = {"triweight", 4.0},
    [KDE_EPANECHNIKOV] = {"epanechnikov", 2.0},
};

static int kde_kernel_valid(enum kde_kernel k)
{
	return (int)k >= 0 && (int)k < KDE_KERNEL_COUNT;
}

const char *kde_kernel_name(enum kde_kernel k)
{
	return kde_kernel_valid(k) ? kde_kernels[k].name : "?";
}

int kde_kernel_parse(const char *name, enum kde_kernel *out)
{
	if (name && strcmp(name, "biweight") == 0) {
		*out = KDE_QUARTIC;
		return 0;
	}
	for (int k = 0; name && k < KDE_KERNEL_COUNT; k++) {
		if (strcmp(name, kde_kernels[k].name) == 0) {
			*out = (enum kde_kernel)k;
			return 0;
		}
	}
	return err_set(ERR_INVALID,
	               "kde: unknown kernel \"%s\" (quartic, triangular, uniform, triweight, "
	               "epanechnikov)",
	               name ? name : "(null)");
}

double kde_kernel_norm(enum kde_kernel k)
{
	return kde_kernel_valid(k) ? kde_kernels[k].norm : 0.0;
}

/* Kernel profiles of t = u^2 = (d / r)^2 >= 0, zero for t >= 1 (t <= 1 for
 * the uniform kernel, whose rim is included as QGIS includes it). Written
 * without selects, which GCC will not if-convert under -ftrapping-math:
 * 0.5 (q + |q|) is max(q, 0) exactly (2q and halving are exact), and
 * 0.5 (1 + copysign(1, 1 - t)) is 1 for t <= 1 (1 - t = +0 at the rim)
 * and 0 beyond. t must be finite (q + |q| is NaN for q = -inf). */
static inline double kde_profile_quartic(double t)
{
	double q = 1.0 - t;
	q = 0.5 * (q + fabs(q));
	return q * q;
}

static inline double kde_profile_triweight(double t)
{
	double q = 1.0 - t;
	q = 0.5 * (q + fabs(q));
	return q * q * q;
}

static inline double kde_profile_epanechnikov(double t)
{
	double q = 1.0 - t;
	return 0.5 * (q + fabs(q));
}

static inline double kde_profile_uniform(double t)
{
	return 0.5 * (1.0 + copysign(1.0, 1.0 - t));
}

static inline double kde_profile_triangular(double t)
{
	double q = 1.0 - sqrt(t);
	return 0.5 * (q + fabs(q));
}

static double kde_profile(enum kde_kernel k, double t)
{
	switch (k) {
	case KDE_QUARTIC:
		return kde_profile_quartic(t);
	case KDE_TRIANGULAR:
		return kde_profile_triangular(t);
	case KDE_UNIFORM:
		return kde_profile_uniform(t);
	case KDE_TRIWEIGHT:
		return kde_profile_triweight(t);
	case KDE_EPANECHNIKOV:
		return kde_profile_epanechnikov(t);
	}
	return 0.0;
}

/* Points per km2 per unit weight at the kernel's centre scale: 1e6 c / (pi r^2). */
static double kde_norm_km2(enum kde_kernel k, double r)
{
	return KDE_M2_PER_KM2 * kde_kernel_norm(k) / (KDE_PI * r * r);
}

double kde_kernel_density(enum kde_kernel k, double r, double d)
{
	if (!kde_kernel_valid(k) || !(r > 0.0) || !(d >= 0.0) || d > r)
		return 0.0;
	double u = d / r;
	return kde_norm_km2(k, r) * kde_profile(k, u * u);
}

static int kde_check_params(const struct kde_params *p)
{
	if (!kde_kernel_valid(p->kernel))
		return err_set(ERR_INVALID, "kde: unknown kernel %d", (int)p->kernel);
	if (!(p->bandwidth >= KDE_MIN_BANDWIDTH && p->bandwidth <= KDE_MAX_BANDWIDTH))
		return err_set(ERR_INVALID, "kde: bandwidth %g m is outside %g..%g m", p->bandwidth,
		               KDE_MIN_BANDWIDTH, KDE_MAX_BANDWIDTH);
	return 0;
}

static int kde_check_scale(double s, const char *what, int index)
{
	if (!(s >= KDE_MIN_SCALE && s <= KDE_MAX_SCALE))
		return err_set(ERR_INVALID,
		               "kde: %s %d: scale %g ground metres per frame metre is outside "
		               "%g..%g",
		               what, index, s, KDE_MIN_SCALE, KDE_MAX_SCALE);
	return 0;
}

int kde_grid_check(const struct kde_params *p, const struct kde_grid *g)
{
	int rc = kde_check_params(p);
	if (rc < 0)
		return rc;
	if (!(g->cell >= KDE_MIN_CELL && g->cell <= KDE_MAX_CELL))
		return err_set(ERR_INVALID, "kde: cell size %g m is outside %g..%g m", g->cell,
		               KDE_MIN_CELL, KDE_MAX_CELL);
	if (!(fabs(g->x0) <= KDE_MAX_COORD && fabs(g->y0) <= KDE_MAX_COORD))
		return err_set(ERR_INVALID, "kde: grid corner (%g, %g) is beyond +-%g m", g->x0,
		               g->y0, KDE_MAX_COORD);
	if (g->width < 1 || g->height < 1)
		return err_set(ERR_INVALID, "kde: grid of %d x %d cells is empty", g->width,
		               g->height);
	size_t cap = p->max_cells ? p->max_cells : KDE_DEFAULT_MAX_CELLS;
	size_t cells = (size_t)g->width * (size_t)g->height;
	if (cells > cap)
		return err_set(ERR_INVALID,
		               "kde: grid of %d x %d cells (%zu) is too large: at most %zu cells; "
		               "use a larger cell size than %g m",
		               g->width, g->height, cells, cap, g->cell);
	for (int j = 0; g->row_scale && j < g->height; j++)
		if ((rc = kde_check_scale(g->row_scale[j], "row", j)) < 0)
			return rc;
	return 0;
}

static double kde_row_scale(const struct kde_grid *g, int j)
{
	return g->row_scale ? g->row_scale[j] : 1.0;
}

static double kde_min_scale(const struct kde_grid *g)
{
	double s = kde_row_scale(g, 0);
	for (int j = 1; g->row_scale && j < g->height; j++)
		if (g->row_scale[j] < s)
			s = g->row_scale[j];
	return s;
}

/* Centre of column i / row j: the one expression both evaluators use. */
static inline double kde_centre_x(const struct kde_grid *g, int i)
{
	return g->x0 + ((double)i + 0.5) * g->cell;
}

static inline double kde_centre_y(const struct kde_grid *g, int j)
{
	return g->y0 - ((double)j + 0.5) * g->cell;
}

int kde_grid_reach(const struct kde_params *p, const struct kde_grid *g, double out[4])
{
	int rc = kde_grid_check(p, g);
	if (rc < 0)
		return rc;
	double r = p->bandwidth * (1.0 + KDE_REACH_SLACK);
	double side = r / kde_min_scale(g);
	double north = -INFINITY, south = INFINITY;
	for (int j = 0; j < g->height; j++) {
		double reach = r / kde_row_scale(g, j);
		double cy = kde_centre_y(g, j);
		if (cy + reach > north)
			north = cy + reach;
		if (cy - reach < south)
			south = cy - reach;
	}
	out[0] = kde_centre_x(g, 0) - side;
	out[1] = south;
	out[2] = kde_centre_x(g, g->width - 1) + side;
	out[3] = north;
	return 0;
}

static int kde_check_points(const struct kde_point *pts, const double *w, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (!isfinite(pts[k].x) || !isfinite(pts[k].y))
			return err_set(ERR_INVALID, "kde: point %zu (%g, %g) is not finite", k,
			               pts[k].x, pts[k].y);
		if (w && !isfinite(w[k]))
			return err_set(ERR_INVALID, "kde: point %zu: weight %g is not finite", k,
			               w[k]);
	}
	return 0;
}

/* Per-grid tables, computed once per kde_grid_eval(): centre x of each
 * column; centre y, a = (scale / r)^2 and 1 / a = (r / scale)^2 of each
 * row. */
struct kde_tables {
	double *cx;
	double *cy;
	double *a;
	double *reach2;
};

/* One run of cells i0..i1 of one row: row[i] += c x profile(a (dx^2 + dy2)).
 * A function per kernel keeps the profile inlined in the loop. */
#define KDE_ROW_FN(NAME, PROFILE)                                                                  \
	static void NAME(double *restrict row, const double *restrict cx, int i0, int i1,          \
	                 double px, double dy2, double a, double c)                                \
	{                                                                                          \
		for (int i = i0; i <= i1; i++) {                                                   \
			double dx = cx[i] - px;                                                    \
			double t = a * (dx * dx + dy2);                                            \
			row[i] += c * PROFILE(t);                                                  \
		}                                                                                  \
	}

KDE_ROW_FN(kde_row_quartic, kde_profile_quartic)
KDE_ROW_FN(kde_row_triangular, kde_profile_triangular)
KDE_ROW_FN(kde_row_uniform, kde_profile_uniform)
KDE_ROW_FN(kde_row_triweight, kde_profile_triweight)
KDE_ROW_FN(kde_row_epanechnikov, kde_profile_epanechnikov)

typedef void (*kde_row_fn)(double *restrict, const double *restrict, int, int, double, double,
                           double, double);

static const kde_row_fn kde_rows[KDE_KERNEL_COUNT] = {
    [KDE_QUARTIC] = kde_row_quartic,           [KDE_TRIANGULAR] = kde_row_triangular,
    [KDE_UNIFORM] = kde_row_uniform,           [KDE_TRIWEIGHT] = kde_row_triweight,
    [KDE_EPANECHNIKOV] = kde_row_epanechnikov,
};

/* Stamps one point of weight-times-normalisation c. Rows are those whose
 * centre lies within r / (smallest scale) of the point, widened by a guard
 * row; in each, the cells within the circle at that row's scale, widened by
 * a guard cell. Guard cells cost a few evaluations and make the rim exact:
 * whether a cell counts is decided by the same t test as in
 * kde_density_at(), never by the range arithmetic. */
static void kde_stamp(const struct kde_grid *g, const struct kde_tables *tb, kde_row_fn row_fn,
                      double inv_cell, double reach_max, double px, double py, double c,
                      double *out)
{
	const int w = g->width, h = g->height;

	double jlo = floor((g->y0 - (py + reach_max)) * inv_cell - 0.5) - 1.0;
	double jhi = ceil((g->y0 - (py - reach_max)) * inv_cell - 0.5) + 1.0;
	if (!(jhi >= 0.0) || !(jlo <= (double)(h - 1)))
		return;
	int j0 = jlo < 0.0 ? 0 : (int)jlo;
	int j1 = jhi > (double)(h - 1) ? h - 1 : (int)jhi;
	double rel = (px - g->x0) * inv_cell - 0.5; /* point's column position */

	for (int j = j0; j <= j1; j++) {
		double dy = tb->cy[j] - py;
		double dy2 = dy * dy;
		double rem = tb->reach2[j] - dy2;
		double hw = rem > 0.0 ? sqrt(rem) * inv_cell : 0.0;
		double ilo = floor(rel - hw) - 1.0;
		double ihi = ceil(rel + hw) + 1.0;
		if (!(ihi >= 0.0) || !(ilo <= (double)(w - 1)))
			continue;
		int i0 = ilo < 0.0 ? 0 : (int)ilo;
		int i1 = ihi > (double)(w - 1) ? w - 1 : (int)ihi;
		row_fn(out + (size_t)j * (size_t)w, tb->cx, i0, i1, px, dy2, tb->a[j], c);
	}
}

int kde_grid_eval(const struct kde_params *p, const struct kde_grid *g, const struct kde_point *pts,
                  const double *w, size_t n, double *out)
{
	int rc = kde_grid_check(p, g);
	if (rc < 0)
		return rc;
	if ((rc = kde_check_points(pts, w, n)) < 0)
		return rc;
	size_t W = (size_t)g->width, H = (size_t)g->height;
	double *mem = malloc((W + 3 * H) * sizeof *mem);
	if (!mem)
		return err_set(ERR_NOMEM, "kde: out of memory");
	struct kde_tables tb = {mem, mem + W, mem + W + H, mem + W + 2 * H};

	const double r = p->bandwidth;
	const double inv_r2 = 1.0 / (r * r);
	for (int i = 0; i < g->width; i++)
		tb.cx[i] = kde_centre_x(g, i);
	for (int j = 0; j < g->height; j++) {
		double s = kde_row_scale(g, j);
		tb.cy[j] = kde_centre_y(g, j);
		tb.a[j] = s * s * inv_r2;
		tb.reach2[j] = 1.0 / tb.a[j];
	}
	for (size_t k = 0; k < W * H; k++)
		out[k] = 0.0;

	const double norm = kde_norm_km2(p->kernel, r);
	const double reach_max = r / kde_min_scale(g);
	const kde_row_fn row_fn = kde_rows[p->kernel];
	const double inv_cell = 1.0 / g->cell;
	for (size_t k = 0; k < n; k++) {
		double c = (w ? w[k] : 1.0) * norm;
		kde_stamp(g, &tb, row_fn, inv_cell, reach_max, pts[k].x, pts[k].y, c, out);
	}
	free(mem);
	return 0;
}

int kde_density_at(const struct kde_params *p, const struct kde_point *pts, const double *w,
                   size_t n, double x, double y, double scale, double *out)
{
	int rc = kde_check_params(p);
	if (rc < 0)
		return rc;
	if ((rc = kde_check_scale(scale, "position", 0)) < 0)
		return rc;
	if (!isfinite(x) || !isfinite(y))
		return err_set(ERR_INVALID, "kde: position (%g, %g) is not finite", x, y);
	if ((rc = kde_check_points(pts, w, n)) < 0)
		return rc;

	const double r = p->bandwidth;
	const double inv_r2 = 1.0 / (r * r);
	const double norm = kde_norm_km2(p->kernel, r);
	const double a = scale * scale * inv_r2;
	double sum = 0.0;
	for (size_t k = 0; k < n; k++) {
		double dx = x - pts[k].x;
		double dy = y - pts[k].y;
		double t = a * (dx * dx + dy * dy);
		if (t > 1.0)
			continue; /* adds exactly 0 in the grid */
		double c = (w ? w[k] : 1.0) * norm;
		sum += c * kde_profile(p->kernel, t);
	}
	*out = sum;
	return 0;
}
