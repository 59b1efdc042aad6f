/*
 * kde: normalised kernels evaluated onto a grid of cell centres, by a row
 * sweep of their polynomials or by per-point stamping.
 *
 * Workload: a 256 x 256 tile (or a print raster of a few million cells)
 * from the tens of thousands of offences within one bandwidth of it, on
 * every cache miss, and again for every tile a newly ingested offence
 * invalidates; at z 14 with a 200 m bandwidth a disc spans ~57 rows and
 * ~2 500 cells.
 *
 * The stamp: each point visits the rows its disc can reach and, in each,
 * only the run of cells inside the circle (plus one guard cell each side,
 * whose value the kernel's own cut-off zeroes), so the cost is the disc
 * area in cells per point. The per-cell work is a handful of multiply-adds
 * on a precomputed column-centre table, with kernel profiles written
 * without branches (max(q, 0) as (q + |q|) / 2, exact) so that GCC
 * vectorises the row loops under the project's ordinary flags; per row, the
 * disc's chord is one sqrt. The grid and kde_density_at() compute each
 * term with the same expressions in the same order (centre from the cell
 * index, squared scaled distance, kernel profile, times weight x
 * normalisation) and add terms in point order, so the two agree to the last
 * bit at a cell centre.
 *
 * The sweep (below): the cost is the rows of a disc per point, plus the
 * cells, at the price of the last bits (~1e-12 of a value). It serves the
 * polynomial kernels; kde_grid_eval() takes it when a cost model expects
 * it to be faster.
 *
 * Input ranges (bandwidth, cell, scales, corner) are bounded so that every
 * squared distance either computes stays finite, which the branch-free
 * profiles need.
 */
#include "kde.h"

#include "err.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <immintrin.h>
#endif

/* No fused multiply-adds: the sweep's code paths must round alike. GCC in
 * ISO C mode (the build's -std=c11) already keeps -ffp-contract=off; Clang
 * contracts within an expression unless told. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

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
	return err_set_field(ERR_INVALID, "kde",
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
		return err_set_field(ERR_INVALID, "kde", "kde: unknown kernel %d", (int)p->kernel);
	if (!(p->bandwidth >= KDE_MIN_BANDWIDTH && p->bandwidth <= KDE_MAX_BANDWIDTH))
		return err_set_field(ERR_INVALID, "kde", "kde: bandwidth %g m is outside %g..%g m",
		                     p->bandwidth, KDE_MIN_BANDWIDTH, KDE_MAX_BANDWIDTH);
	return 0;
}

static int kde_check_scale(double s, const char *what, int index)
{
	if (!(s >= KDE_MIN_SCALE && s <= KDE_MAX_SCALE))
		return err_set_field(
		    ERR_INVALID, "kde",
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
	if ((int)p->method < KDE_METHOD_AUTO || (int)p->method > KDE_METHOD_SWEEP_GENERIC)
		return err_set_field(ERR_INVALID, "kde", "kde: unknown method %d", (int)p->method);
	if (!(g->cell >= KDE_MIN_CELL && g->cell <= KDE_MAX_CELL))
		return err_set_field(ERR_INVALID, "kde", "kde: cell size %g m is outside %g..%g m",
		                     g->cell, KDE_MIN_CELL, KDE_MAX_CELL);
	if (!(fabs(g->x0) <= KDE_MAX_COORD && fabs(g->y0) <= KDE_MAX_COORD))
		return err_set_field(ERR_INVALID, "kde",
		                     "kde: grid corner (%g, %g) is beyond +-%g m", g->x0, g->y0,
		                     KDE_MAX_COORD);
	if (g->width < 1 || g->height < 1)
		return err_set_field(ERR_INVALID, "kde", "kde: grid of %d x %d cells is empty",
		                     g->width, g->height);
	size_t cap = p->max_cells ? p->max_cells : KDE_DEFAULT_MAX_CELLS;
	size_t cells = (size_t)g->width * (size_t)g->height;
	if (cells > cap)
		return err_set_field(
		    ERR_INVALID, "kde",
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
			return err_set_field(ERR_INVALID, "kde",
			                     "kde: point %zu (%g, %g) is not finite", k, pts[k].x,
			                     pts[k].y);
		if (w && !isfinite(w[k]))
			return err_set_field(ERR_INVALID, "kde",
			                     "kde: point %zu: weight %g is not finite", k, w[k]);
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

static void kde_eval_stamp(const struct kde_params *p, const struct kde_grid *g,
                           const struct kde_tables *tb, const struct kde_point *pts,
                           const double *w, size_t n, double *out)
{
	const double norm = kde_norm_km2(p->kernel, p->bandwidth);
	const double reach_max = p->bandwidth / kde_min_scale(g);
	const kde_row_fn row_fn = kde_rows[p->kernel];
	const double inv_cell = 1.0 / g->cell;
	for (size_t k = 0; k < n; k++) {
		double c = (w ? w[k] : 1.0) * norm;
		kde_stamp(g, tb, row_fn, inv_cell, reach_max, pts[k].x, pts[k].y, c, out);
	}
}

/*
 * The row sweep. In row j a point's term is a polynomial in the column's
 * position v (frame metres from a block's middle, in units of U):
 *
 *   c (A - alpha (v - s)^2)^m,  A = 1 - a_j dy^2,  alpha = a_j U^2,
 *
 * s the point's position in the same units and m = 2 (quartic), 1
 * (Epanechnikov), 3 (triweight) or 0 (uniform), on the run of columns
 * x0..x1 where t <= 1. Each point adds its 2m + 1 coefficients to a
 * difference array at x0 and subtracts them at x1 + 1; one pass along the
 * row keeps the running sums and evaluates them at each column. A row costs
 * O(points whose disc crosses it + columns), not O(cells of their discs).
 *
 * Precision: the monomials of a term cancel (its value at the rim is 0, its
 * coefficients are not), so every term is expanded about the middle of the
 * block of B = 2E columns its point falls in (E = reach + 1 or 2 columns),
 * and each block keeps its own difference arrays over its columns and E
 * columns either side (as far as its points reach). There |v| <= 2 and
 * |s| <= 1.2 (2 in the end blocks), alpha = (E / reach)^2, so a term's
 * monomials stay within c (1 + alpha (|v| + |s|)^2)^m: ~200 c for the
 * quartic and ~2 000 c for the triweight with discs of 28 cells' radius,
 * up to ~10 times more for discs of 2 to 3 (the sweep takes none under 2).
 * A cell's rounding error is then ~1e-14 of the sum of c over the points
 * in its block's array, and a cell's value is ~c times the points on it,
 * so on spread points the error is ~1e-13 of the value. A dense cluster is the worst case: its
 * points' equal coefficients pile up in one entry (errors growing as their
 * number squared), and at the rim of its disc the value falls towards 0
 * while that error does not; docs/heatmap.md has the measurements (within
 * 2e-11 of the grid's peak). Each entry also counts the points started
 * minus the points ended; where that is 0 the running sums restart from
 * exact zeros, so a cell no disc reaches is exactly 0, and with no
 * negative weight a value's rounding below 0 is clamped to 0.
 *
 * Run ends come from a sqrt in double precision, and a row that even dx =
 * 0 would put beyond the rim (t > 1) has no run. For the uniform kernel
 * the ends are then settled by the t test of kde_density_at(), so that a
 * cell counts a point exactly when the brute force does. The other kernels
 * are 0 at the rim: a cell within rounding (~1e-13 columns) of it, counted
 * or not, changes a term by less than its rounding error.
 *
 * Speed: a row's points are taken a batch at a time. One pass computes the
 * batch's runs (with the sqrt) as offsets of their entries; a second
 * computes the coefficients, a vector of points at a time, and adds each
 * point's coefficients and count at its two entries. The arithmetic is
 * written once for two points at a time with the vector extension of GCC
 * and Clang (SSE2 on x86-64, NEON or pairs of scalars elsewhere); on x86-64
 * CPUs with AVX2 a second copy takes four points at a time, chosen at run
 * time. Both do the same IEEE operations in the same order on each point
 * (no FMA, see FP_CONTRACT above), so they agree bit for bit.
 * A z 14 tile at 200 m from 50 000 points is ~2.3 million point-rows;
 * docs/heatmap.md has the costs.
 */

/* Most coefficients of a row polynomial (triweight, degree 6). */
#define KDE_SWEEP_MAX_NC 7
/* Points per batch: a batch's entry offsets stay in L1 between passes. */
#define KDE_SWEEP_BATCH 128
/* Buckets per row when ordering points by row. */
#define KDE_SWEEP_SUBROWS 8

/* The sweep of one grid: block arrays and points, in one allocation. */
struct kde_sweep {
	int w;       /* columns */
	int ext;     /* E: columns a disc reaches beyond its point, + 1 */
	int block;   /* B: columns per block */
	int nblocks; /* ceil(w / B) */
	int len;     /* entries per block array: its most columns + 1 */
	int stride;  /* doubles per entry: the coefficients, then the count */
	int off;     /* a power of two above |run end| + 1: floor(x) = (int)(x + off) - off */
	int nonneg;  /* no weight is negative, so neither is any value */
	double *v;   /* nblocks x len: v of each entry's column */
	double *acc; /* nblocks x len entries: the row's difference arrays */
	int *first;  /* nblocks: column of each block array's entry 0 */
	int *ncols;  /* nblocks: columns of each block array */
	/* The points that can reach the grid, ordered by row (stably). */
	double *px, *py, *rho, *s, *c;
	int *ebase; /* offset in acc of column 0 in the point's block array (may be < 0) */
};

/* The constants of one row. */
struct kde_sweep_row {
	double cy;       /* centre y */
	double a;        /* (scale / r)^2 */
	double reach2;   /* 1 / a */
	double alpha;    /* a U^2 */
	double inv_cell; /* 1 / cell */
	const double *cx;
};

/* Two doubles, one per point of a pair: GCC's and Clang's vector extension,
 * so that the arithmetic is written once and compiles to SSE2 on x86-64 (to
 * NEON, or pairs of scalars, elsewhere) with each point getting exactly what
 * scalar code would. */
typedef double kde_v2 __attribute__((vector_size(16), may_alias));
typedef long long kde_m2 __attribute__((vector_size(16)));

static inline kde_v2 kde_load2(const double *p)
{
	kde_v2 v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* Points i and i + 1 of p, or point i twice when it is the last of n. */
static inline kde_v2 kde_pair(const double *p, int i, int n)
{
	return i + 1 < n ? kde_load2(p + i) : (kde_v2){p[i], p[i]};
}

/* max(x, 0), lane by lane. */
static inline kde_v2 kde_pos2(kde_v2 x)
{
	return (kde_v2)((kde_m2)x & (x > 0.0));
}

/* sqrt, lane by lane (x >= 0). sqrt() does not vectorise, as it may set
 * errno; both round correctly, so the results are the same. */
static inline kde_v2 kde_sqrt2(kde_v2 x)
{
#if defined(__SSE2__)
	return (kde_v2)_mm_sqrt_pd((__m128d)x);
#else
	return (kde_v2){sqrt(x[0]), sqrt(x[1])};
#endif
}

/* Settles the run lo..hi (candidates within a column of the truth, clamped
 * to 0..w and -1..w-1) by the t test of kde_density_at(). The cells with
 * t <= 1 form one run: t grows with |cx - px|, and rounding keeps that
 * order. */
static void kde_sweep_exact_run(const double *cx, int w, double px, double dy2, double a, int *lo,
                                int *hi)
{
	int i0 = *lo, i1 = *hi;
#define KDE_T(i) (a * ((cx[i] - px) * (cx[i] - px) + dy2))
	while (i0 > 0 && KDE_T(i0 - 1) <= 1.0)
		i0--;
	while (i0 <= i1 && KDE_T(i0) > 1.0)
		i0++;
	while (i1 < w - 1 && KDE_T(i1 + 1) <= 1.0)
		i1++;
	while (i1 >= i0 && KDE_T(i1) > 1.0)
		i1--;
#undef KDE_T
	*lo = i0;
	*hi = i1;
}

/* The entries of points k0 .. k0 + n - 1 in a row, two at a time: e0[i]
 * the offset in acc where point k0 + i's run starts (-1 when the run is
 * empty), e1[i] past its end. The run is ceil(lo) .. floor(hi), taken as
 * off - (int)(off - lo) and (int)(hi + off) - off (truncations of positive
 * numbers, as the AVX2 code does them), clamped to the grid without
 * branches. exact: settle the ends by the t test. */
static void kde_sweep_runs(const struct kde_sweep *sw, size_t k0, int n,
                           const struct kde_sweep_row *rw, int exact, int *restrict e0,
                           int *restrict e1)
{
	const int off = sw->off, w = sw->w, stride = sw->stride;
	const double offd = (double)off;
	const double cy = rw->cy, a = rw->a, reach2 = rw->reach2, inv_cell = rw->inv_cell;
	const double *restrict py = sw->py + k0, *restrict rho = sw->rho + k0;
	const int *restrict ebase = sw->ebase + k0;
	for (int i = 0; i < n; i += 2) {
		kde_v2 dy = cy - kde_pair(py, i, n);
		kde_v2 dy2 = dy * dy;
		kde_v2 hw = kde_sqrt2(kde_pos2(reach2 - dy2)) * inv_cell;
		kde_v2 r = kde_pair(rho, i, n);
		kde_v2 lo = offd - (r - hw), hi = (r + hw) + offd;
		/* No cell of the row when even dx = 0 gives t > 1 (else a point
		 * on a column's centre would keep that cell). */
		kde_m2 beyond = a * dy2 > 1.0;
		for (int l = 0; l < 2 && i + l < n; l++) {
			int x0 = off - (int)lo[l], x1 = (int)hi[l] - off;
			x0 &= ~(x0 >> 31);                                  /* max(x0, 0) */
			x1 = w - 1 + ((x1 - w + 1) & ((x1 - w + 1) >> 31)); /* min(x1, w - 1) */
			if (exact) {
				x0 = x0 > w ? w : x0;
				x1 = x1 < -1 ? -1 : x1;
				kde_sweep_exact_run(rw->cx, w, sw->px[k0 + (size_t)(i + l)], dy2[l],
				                    rw->a, &x0, &x1);
			}
			int eb = ebase[i + l];
			/* -1 if x0 > x1 or beyond */
			e0[i + l] = (eb + x0 * stride) | ((x1 - x0) >> 31) | (int)beyond[l];
			e1[i + l] = eb + (x1 + 1) * stride;
		}
	}
}

/* Coefficients f[0..2m] of c (A - alpha (v - s)^2)^m in powers of v, for a
 * vector of points: with e = v - s the term is h0 + h1 e^2 + h2 e^4 +
 * h3 e^6, and the powers of e are expanded by the binomial theorem.
 * Instantiated for each vector type. */
#define KDE_COEF_FNS(SFX, T, ATTR)                                                                 \
	ATTR static inline void kde_coef_uniform##SFX(T *f, T c, T A, double alpha, T s)           \
	{                                                                                          \
		(void)A;                                                                           \
		(void)alpha;                                                                       \
		(void)s;                                                                           \
		f[0] = c;                                                                          \
	}                                                                                          \
                                                                                                   \
	ATTR static inline void kde_coef_epanechnikov##SFX(T *f, T c, T A, double alpha, T s)      \
	{                                                                                          \
		T h0 = c * A, h1 = -alpha * c;                                                     \
		f[2] = h1;                                                                         \
		f[1] = -2.0 * s * h1;                                                              \
		f[0] = h0 + s * s * h1;                                                            \
	}                                                                                          \
                                                                                                   \
	ATTR static inline void kde_coef_quartic##SFX(T *f, T c, T A, double alpha, T s)           \
	{                                                                                          \
		T cA = c * A;                                                                      \
		T h0 = cA * A, h1 = -2.0 * alpha * cA, h2 = alpha * alpha * c;                     \
		T s2 = s * s;                                                                      \
		f[4] = h2;                                                                         \
		f[3] = -4.0 * s * h2;                                                              \
		f[2] = h1 + 6.0 * s2 * h2;                                                         \
		f[1] = -2.0 * s * (h1 + 2.0 * s2 * h2);                                            \
		f[0] = h0 + s2 * (h1 + s2 * h2);                                                   \
	}                                                                                          \
                                                                                                   \
	ATTR static inline void kde_coef_triweight##SFX(T *f, T c, T A, double alpha, T s)         \
	{                                                                                          \
		T cA = c * A, ca = alpha * c;                                                      \
		T h0 = cA * A * A, h1 = -3.0 * alpha * (cA * A), h2 = 3.0 * alpha * alpha * cA;    \
		T h3 = -alpha * alpha * ca;                                                        \
		T s2 = s * s, s4 = s2 * s2;                                                        \
		f[6] = h3;                                                                         \
		f[5] = -6.0 * s * h3;                                                              \
		f[4] = h2 + 15.0 * s2 * h3;                                                        \
		f[3] = -s * (4.0 * h2 + 20.0 * s2 * h3);                                           \
		f[2] = h1 + 6.0 * s2 * h2 + 15.0 * s4 * h3;                                        \
		f[1] = -s * (2.0 * h1 + 4.0 * s2 * h2 + 6.0 * s4 * h3);                            \
		f[0] = h0 + s2 * h1 + s4 * h2 + s4 * s2 * h3;                                      \
	}

KDE_COEF_FNS(, kde_v2, )

/* Per kernel: kde_sweep_add_K() adds the terms of points k0 .. k1 - 1 to
 * a row's difference arrays (at each run's first entry, and subtracted past
 * its end, each with a count); kde_sweep_eval_K() turns the arrays into the
 * row's values and clears them. NC is the coefficient count (NC + 1, the
 * stride, is even); EXACT settles every run by the t test. */
#define KDE_SWEEP_FNS(KERNEL, NC, EXACT)                                                           \
	static void kde_sweep_add_##KERNEL(struct kde_sweep *restrict sw, size_t k0, size_t k1,    \
	                                   const struct kde_sweep_row *rw)                         \
	{                                                                                          \
		int e0[KDE_SWEEP_BATCH], e1[KDE_SWEEP_BATCH];                                      \
		for (size_t kb = k0; kb < k1; kb += KDE_SWEEP_BATCH) {                             \
			int n = k1 - kb < KDE_SWEEP_BATCH ? (int)(k1 - kb) : KDE_SWEEP_BATCH;      \
			kde_sweep_runs(sw, kb, n, rw, EXACT, e0, e1);                              \
			for (int i = 0; i < n; i += 2) {                                           \
				kde_v2 dy = rw->cy - kde_pair(sw->py + kb, i, n);                  \
				kde_v2 f[NC + 1];                                                  \
				kde_coef_##KERNEL(f, kde_pair(sw->c + kb, i, n),                   \
				                  1.0 - rw->a * (dy * dy), rw->alpha,              \
				                  kde_pair(sw->s + kb, i, n));                     \
				f[NC] = (kde_v2){1.0, 1.0};                                        \
				for (int l = 0; l < 2 && i + l < n; l++) {                         \
					if (e0[i + l] < 0)                                         \
						continue;                                          \
					kde_v2 *p0 = (kde_v2 *)(sw->acc + e0[i + l]);              \
					kde_v2 *p1 = (kde_v2 *)(sw->acc + e1[i + l]);              \
					kde_v2 t[(NC + 1) / 2];                                    \
					for (int q = 0; q < (NC + 1) / 2; q++)                     \
						t[q] = (kde_v2){f[2 * q][l], f[2 * q + 1][l]};     \
					for (int q = 0; q < (NC + 1) / 2; q++)                     \
						p0[q] += t[q];                                     \
					for (int q = 0; q < (NC + 1) / 2; q++)                     \
						p1[q] -= t[q];                                     \
				}                                                                  \
			}                                                                          \
		}                                                                                  \
	}                                                                                          \
                                                                                                   \
	static void kde_sweep_eval_##KERNEL(const struct kde_sweep *sw, double *restrict row)      \
	{                                                                                          \
		for (int i = 0; i < sw->w; i++)                                                    \
			row[i] = 0.0;                                                              \
		for (int b = 0; b < sw->nblocks; b++) {                                            \
			double *restrict e = sw->acc + (size_t)b * (size_t)sw->len * (NC + 1);     \
			const double *restrict v = sw->v + (size_t)b * (size_t)sw->len;            \
			double *restrict out = row + sw->first[b];                                 \
			double sum[NC + 1] = {0};                                                  \
			const int n = sw->ncols[b];                                                \
			for (int i = 0; i < n; i++, e += NC + 1) {                                 \
				for (int q = 0; q <= NC; q++) {                                    \
					sum[q] += e[q];                                            \
					e[q] = 0.0;                                                \
				}                                                                  \
				if (sum[NC] == 0.0) {                                              \
					for (int q = 0; q < NC; q++)                               \
						sum[q] = 0.0;                                      \
					continue;                                                  \
				}                                                                  \
				double y = sum[NC - 1];                                            \
				for (int q = NC - 2; q >= 0; q--)                                  \
					y = y * v[i] + sum[q];                                     \
				out[i] += y;                                                       \
			}                                                                          \
			for (int q = 0; q <= NC; q++) /* the entry past the last column */         \
				e[q] = 0.0;                                                        \
		}                                                                                  \
		for (int i = 0; sw->nonneg && i < sw->w; i++) /* rounding below 0 */               \
			row[i] = row[i] > 0.0 ? row[i] : 0.0;                                      \
	}

KDE_SWEEP_FNS(uniform, 1, 1)
KDE_SWEEP_FNS(epanechnikov, 3, 0)
KDE_SWEEP_FNS(quartic, 5, 0)
KDE_SWEEP_FNS(triweight, 7, 0)

typedef void (*kde_sweep_add_fn)(struct kde_sweep *restrict, size_t, size_t,
                                 const struct kde_sweep_row *);
typedef void (*kde_sweep_eval_fn)(const struct kde_sweep *, double *restrict);

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
/*
 * The same on AVX2, four points at a time: runs (as entry offsets) and
 * coefficients as above, then each point's coefficients gathered from the
 * four-point vectors by a 4 x 4 transpose and added with 256-bit stores.
 * Selected at run time (__builtin_cpu_supports), so the build stays
 * baseline x86-64. Not the uniform kernel, whose runs are settled one by
 * one anyway.
 */
#define KDE_SWEEP_AVX2 1
#define KDE_AVX2       __attribute__((target("avx2")))

KDE_COEF_FNS(_avx2, __m256d, KDE_AVX2 __attribute__((unused))) /* not the uniform one */

KDE_AVX2 static void kde_sweep_runs_avx2(const struct kde_sweep *sw, size_t k, int nq,
                                         const struct kde_sweep_row *rw, int *e0, int *e1)
{
	const __m256d offd = _mm256_set1_pd((double)sw->off);
	const __m128i off = _mm_set1_epi32(sw->off), wm1 = _mm_set1_epi32(sw->w - 1);
	const __m128i stride = _mm_set1_epi32(sw->stride);
	const double *py = sw->py, *rhos = sw->rho;
	const int *ebase = sw->ebase;
	const double cy = rw->cy, a = rw->a, reach2 = rw->reach2, inv_cell = rw->inv_cell;
	for (int q = 0; q < nq; q++, k += 4) {
		__m256d dy = _mm256_set1_pd(cy) - _mm256_loadu_pd(py + k);
		__m256d dy2 = dy * dy;
		__m256d rem = _mm256_max_pd(reach2 - dy2, _mm256_setzero_pd());
		__m256d hw = _mm256_sqrt_pd(rem) * inv_cell;
		__m256d rho = _mm256_loadu_pd(rhos + k);
		__m128i x0 = _mm_sub_epi32(off, _mm256_cvttpd_epi32(offd - (rho - hw)));
		__m128i x1 = _mm_sub_epi32(_mm256_cvttpd_epi32((rho + hw) + offd), off);
		x0 = _mm_max_epi32(x0, _mm_setzero_si128());
		x1 = _mm_min_epi32(x1, wm1);
		__m256d beyond = _mm256_cmp_pd(a * dy2, _mm256_set1_pd(1.0), _CMP_GT_OQ);
		__m128i empty =
		    _mm_or_si128(_mm_cmpgt_epi32(x0, x1),
		                 _mm256_cvttpd_epi32(_mm256_and_pd(beyond, _mm256_set1_pd(-1.0))));
		__m128i eb = _mm_loadu_si128((const __m128i *)(ebase + k));
		__m128i a0 = _mm_add_epi32(eb, _mm_mullo_epi32(x0, stride));
		__m128i a1 = _mm_add_epi32(
		    eb, _mm_mullo_epi32(_mm_add_epi32(x1, _mm_set1_epi32(1)), stride));
		_mm_storeu_si128((__m128i *)(e0 + 4 * q), _mm_or_si128(a0, empty));
		_mm_storeu_si128((__m128i *)(e1 + 4 * q), a1);
	}
}

/* out[l] = (a[l], b[l], c[l], d[l]) for the four points l. */
KDE_AVX2 static inline void kde_transpose4(__m256d a, __m256d b, __m256d c, __m256d d,
                                           __m256d out[4])
{
	__m256d t0 = _mm256_unpacklo_pd(a, b), t1 = _mm256_unpackhi_pd(a, b);
	__m256d t2 = _mm256_unpacklo_pd(c, d), t3 = _mm256_unpackhi_pd(c, d);
	out[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
	out[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
	out[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
	out[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

/* NC + 1 = 4, 6 or 8 doubles per entry: one 256-bit group, then none, a
 * 128-bit half (f4, count) or a second group. */
#define KDE_SWEEP_AVX2_FNS(KERNEL, NC)                                                             \
	KDE_AVX2 static void kde_sweep_add_##KERNEL##_avx2(                                        \
	    struct kde_sweep *restrict sw, size_t k0, size_t k1, const struct kde_sweep_row *rw)   \
	{                                                                                          \
		int e0[KDE_SWEEP_BATCH], e1[KDE_SWEEP_BATCH];                                      \
		const __m256d one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd();               \
		const double cy = rw->cy, a = rw->a, alpha = rw->alpha;                            \
		const double *py = sw->py, *cs = sw->c, *ss = sw->s;                               \
		double *acc = sw->acc;                                                             \
		size_t k = k0;                                                                     \
		while (k + 4 <= k1) {                                                              \
			size_t quads = (k1 - k) / 4;                                               \
			int nq = quads < KDE_SWEEP_BATCH / 4 ? (int)quads : KDE_SWEEP_BATCH / 4;   \
			kde_sweep_runs_avx2(sw, k, nq, rw, e0, e1);                                \
			for (int q = 0; q < nq; q++, k += 4) {                                     \
				__m256d dy = _mm256_set1_pd(cy) - _mm256_loadu_pd(py + k);         \
				__m256d f[8];                                                      \
				kde_coef_##KERNEL##_avx2(f, _mm256_loadu_pd(cs + k),               \
				                         1.0 - a * (dy * dy), alpha,               \
				                         _mm256_loadu_pd(ss + k));                 \
				f[NC] = one;                                                       \
				for (int r = NC + 1; r < 8; r++)                                   \
					f[r] = zero;                                               \
				__m256d g0[4], g1[4];                                              \
				__m128d h[4];                                                      \
				kde_transpose4(f[0], f[1], f[2], f[3], g0);                        \
				if (NC + 1 == 8)                                                   \
					kde_transpose4(f[4], f[5], f[6], f[7], g1);                \
				if (NC + 1 == 6) {                                                 \
					__m256d u0 = _mm256_unpacklo_pd(f[4], f[5]);               \
					__m256d u1 = _mm256_unpackhi_pd(f[4], f[5]);               \
					h[0] = _mm256_castpd256_pd128(u0);                         \
					h[1] = _mm256_castpd256_pd128(u1);                         \
					h[2] = _mm256_extractf128_pd(u0, 1);                       \
					h[3] = _mm256_extractf128_pd(u1, 1);                       \
				}                                                                  \
				for (int l = 0; l < 4; l++) {                                      \
					if (e0[4 * q + l] < 0)                                     \
						continue;                                          \
					double *p0 = acc + e0[4 * q + l];                          \
					double *p1 = acc + e1[4 * q + l];                          \
					_mm256_storeu_pd(p0, _mm256_loadu_pd(p0) + g0[l]);         \
					_mm256_storeu_pd(p1, _mm256_loadu_pd(p1) - g0[l]);         \
					if (NC + 1 == 8) {                                         \
						_mm256_storeu_pd(p0 + 4,                           \
						                 _mm256_loadu_pd(p0 + 4) + g1[l]); \
						_mm256_storeu_pd(p1 + 4,                           \
						                 _mm256_loadu_pd(p1 + 4) - g1[l]); \
					}                                                          \
					if (NC + 1 == 6) {                                         \
						_mm_storeu_pd(p0 + 4,                              \
						              _mm_loadu_pd(p0 + 4) + h[l]);        \
						_mm_storeu_pd(p1 + 4,                              \
						              _mm_loadu_pd(p1 + 4) - h[l]);        \
					}                                                          \
				}                                                                  \
			}                                                                          \
		}                                                                                  \
		if (k < k1) /* the last one to three points */                                     \
			kde_sweep_add_##KERNEL(sw, k, k1, rw);                                     \
	}

KDE_SWEEP_AVX2_FNS(epanechnikov, 3)
KDE_SWEEP_AVX2_FNS(quartic, 5)
KDE_SWEEP_AVX2_FNS(triweight, 7)
#endif

/* Coefficients per kernel; 0 for the triangular kernel, never swept. */
static const int kde_sweep_nc[KDE_KERNEL_COUNT] = {
    [KDE_QUARTIC] = 5,   [KDE_TRIANGULAR] = 0,   [KDE_UNIFORM] = 1,
    [KDE_TRIWEIGHT] = 7, [KDE_EPANECHNIKOV] = 3,
};

static const kde_sweep_add_fn kde_sweep_adds[KDE_KERNEL_COUNT] = {
    [KDE_QUARTIC] = kde_sweep_add_quartic,
    [KDE_UNIFORM] = kde_sweep_add_uniform,
    [KDE_TRIWEIGHT] = kde_sweep_add_triweight,
    [KDE_EPANECHNIKOV] = kde_sweep_add_epanechnikov,
};

#if KDE_SWEEP_AVX2
static const kde_sweep_add_fn kde_sweep_adds_avx2[KDE_KERNEL_COUNT] = {
    [KDE_QUARTIC] = kde_sweep_add_quartic_avx2,
    [KDE_TRIWEIGHT] = kde_sweep_add_triweight_avx2,
    [KDE_EPANECHNIKOV] = kde_sweep_add_epanechnikov_avx2,
};
#endif

static const kde_sweep_eval_fn kde_sweep_evals[KDE_KERNEL_COUNT] = {
    [KDE_QUARTIC] = kde_sweep_eval_quartic,
    [KDE_UNIFORM] = kde_sweep_eval_uniform,
    [KDE_TRIWEIGHT] = kde_sweep_eval_triweight,
    [KDE_EPANECHNIKOV] = kde_sweep_eval_epanechnikov,
};

/* The add function for a kernel: AVX2 when the CPU has it and the caller
 * did not ask for the generic code. */
static kde_sweep_add_fn kde_sweep_add_for(const struct kde_params *p)
{
#if KDE_SWEEP_AVX2
	if (p->method != KDE_METHOD_SWEEP_GENERIC && kde_sweep_adds_avx2[p->kernel] &&
	    __builtin_cpu_supports("avx2"))
		return kde_sweep_adds_avx2[p->kernel];
#endif
	return kde_sweep_adds[p->kernel];
}

static int kde_in_box(const struct kde_point *pt, const double box[4])
{
	return pt->x >= box[0] && pt->x <= box[2] && pt->y >= box[1] && pt->y <= box[3];
}

/* Reach of the kernel in columns at the smallest row scale. */
static double kde_reach_cells(const struct kde_params *p, const struct kde_grid *g)
{
	return p->bandwidth / kde_min_scale(g) / g->cell;
}

/* Whether the sweep serves this grid: a polynomial kernel; discs of 2 to
 * 1e6 columns' radius (in narrower ones a term's monomials, expanded over
 * a block of at least 8 columns, would reach 1e4 times its value and
 * more, while the stamp costs a dozen cells); at most 65536 rows (bounding
 * its row buckets); a corner within 1e9 cells of the frame's origin (so
 * that cell positions are exact to ~1e-7 cells). */
static int kde_sweep_fits(const struct kde_params *p, const struct kde_grid *g)
{
	double reach = kde_reach_cells(p, g);
	return kde_sweep_nc[p->kernel] > 0 && reach >= 2.0 && reach < 1e6 && g->height <= 65536 &&
	       (fabs(g->x0) + fabs(g->y0)) / g->cell < 1e9;
}

/* Whether the sweep should be faster than stamping n_in points onto g: a
 * cost model, in ns, fitted to timings of both on x86-64 (docs/heatmap.md).
 * A stamp costs ~0.6 per cell of a disc and ~20 per row it visits; the
 * sweep ~3.5 per row a disc crosses with AVX2 (~8 without), ~12 per point
 * and ~3.5 per cell of the grid. */
static int kde_sweep_pays(const struct kde_params *p, const struct kde_grid *g, size_t n_in,
                          int avx2)
{
	double reach = kde_reach_cells(p, g), n = (double)n_in;
	double cells = (double)g->width * (double)g->height;
	double disc = KDE_PI * reach * reach, rows = 2.0 * reach + 1.0;
	disc = disc < cells ? disc : cells;
	rows = rows < (double)g->height ? rows : (double)g->height;
	double stamp = n * (0.6 * disc + 20.0 * (rows + 2.0));
	double sweep = n * ((avx2 ? 3.5 : 8.0) * rows + 12.0) + 3.5 * cells;
	return sweep < stamp;
}

/* Sub-row bucket of frame y, counted from lo and clamped to 0 .. hi - lo. */
static size_t kde_sweep_bucket(double y0, double y, double inv_cell, long lo, long hi)
{
	double q = (y0 - y) * inv_cell * KDE_SWEEP_SUBROWS - (double)lo;
	q = q < 0.0 ? 0.0 : q > (double)(hi - lo) ? (double)(hi - lo) : q;
	return (size_t)q; /* floor, as q >= 0 */
}

/* Offset of n objects of size sz in an arena of *used bytes, 64-aligned. */
static size_t kde_carve(size_t *used, size_t n, size_t sz)
{
	size_t at = (*used + 63) / 64 * 64;
	*used = at + n * sz;
	return at;
}

/* Sweeps the points of pts within kde_grid_reach() of g onto g, overwriting
 * out. With pick set, first asks kde_sweep_pays() and returns 1, out
 * untouched, when the stamp should be faster. ERR_NOMEM, out untouched. */
static int kde_eval_sweep(const struct kde_params *p, const struct kde_grid *g,
                          const struct kde_tables *tb, const struct kde_point *pts, const double *w,
                          size_t n, int pick, double *out)
{
	const int W = g->width, H = g->height;
	const int nc = kde_sweep_nc[p->kernel];
	const double cell = g->cell, inv_cell = 1.0 / cell;
	const double norm = kde_norm_km2(p->kernel, p->bandwidth);
	const double reach_cells = kde_reach_cells(p, g);
	struct kde_sweep sw = {0};
	int rc = 0;
	double box[4];
	kde_grid_reach(p, g, box);

	/* The points inside the reach, counted by sub-row: buckets
	 * KDE_SWEEP_SUBROWS x (-K .. H + K), where K rows hold every point
	 * that can reach the grid (or, for discs taller than the grid, the
	 * end buckets collect the farther points, which every row visits). */
	const long K = reach_cells < (double)H ? (long)ceil(reach_cells) + 2 : (long)H + 2;
	const long blo = -KDE_SWEEP_SUBROWS * K, bhi = KDE_SWEEP_SUBROWS * (H + K) - 1;
	const size_t nbuckets = (size_t)(bhi - blo + 1);
	size_t *start = calloc(nbuckets + 1, sizeof *start);
	uint32_t *bucket = malloc((n ? n : 1) * sizeof *bucket);
	char *mem = NULL;
	if (!start || !bucket)
		goto nomem;
	size_t n_in = 0;
	for (size_t k = 0; k < n; k++) {
		if (!kde_in_box(&pts[k], box)) {
			bucket[k] = UINT32_MAX;
			continue;
		}
		bucket[k] = (uint32_t)kde_sweep_bucket(g->y0, pts[k].y, inv_cell, blo, bhi);
		start[bucket[k] + 1]++;
		n_in++;
	}
	const kde_sweep_add_fn add = kde_sweep_add_for(p);
	if (pick && !kde_sweep_pays(p, g, n_in, add != kde_sweep_adds[p->kernel])) {
		rc = 1;
		goto out;
	}

	/* Blocks of B = 2E columns, E >= reach + 1 (no more than the grid
	 * needs); each block array spans E more columns either side. */
	sw.w = W;
	sw.ext = reach_cells < (double)W ? (int)ceil(reach_cells) + 1 : W + 1;
	sw.block = 2 * sw.ext < 8 ? 8 : 2 * sw.ext;
	sw.nblocks = (W - 1) / sw.block + 1;
	sw.stride = nc + 1;
	sw.off = 1;
	while ((double)sw.off < (double)W + 2.0 * reach_cells + 4.0)
		sw.off *= 2;
	for (int b = 0; b < sw.nblocks; b++) {
		long o = (long)b * sw.block, hi = o + sw.block - 1 + sw.ext;
		long cols = (hi > W - 1 ? W - 1 : hi) - (o - sw.ext < 0 ? 0 : o - sw.ext) + 1;
		sw.len = cols + 1 > sw.len ? (int)cols + 1 : sw.len;
	}
	const double unit = cell * (double)sw.ext, inv_unit = 1.0 / unit;

	/* One allocation for the rest. */
	size_t entries = (size_t)sw.nblocks * (size_t)sw.len, used = 0;
	size_t at_acc = kde_carve(&used, entries * (size_t)sw.stride, sizeof(double));
	size_t at_v = kde_carve(&used, entries, sizeof(double));
	size_t at_mid = kde_carve(&used, (size_t)sw.nblocks, sizeof(double));
	size_t at_pts = kde_carve(&used, 5 * n_in, sizeof(double));
	size_t at_order = kde_carve(&used, n_in, sizeof(size_t));
	size_t at_ebase = kde_carve(&used, n_in, sizeof(int));
	size_t at_first = kde_carve(&used, 2 * (size_t)sw.nblocks, sizeof(int));
	size_t at_blocks = kde_carve(&used, (size_t)W, sizeof(int));
	mem = malloc(used);
	if (!mem)
		goto nomem;
	sw.acc = (double *)(mem + at_acc);
	sw.v = (double *)(mem + at_v);
	double *middle = (double *)(mem + at_mid);
	sw.px = (double *)(mem + at_pts);
	sw.py = sw.px + n_in;
	sw.rho = sw.py + n_in;
	sw.s = sw.rho + n_in;
	sw.c = sw.s + n_in;
	size_t *order = (size_t *)(mem + at_order);
	sw.ebase = (int *)(mem + at_ebase);
	sw.first = (int *)(mem + at_first);
	sw.ncols = sw.first + sw.nblocks;
	int *blocks = (int *)(mem + at_blocks); /* the block of each column */
	memset(sw.acc, 0, entries * (size_t)sw.stride * sizeof(double));
	for (int i = 0; i < W; i++)
		blocks[i] = i / sw.block;

	/* A block's middle is a column centre near it, so that every
	 * v = (cx - middle) / U and s = (px - middle) / U is a difference of
	 * nearby numbers, formed exactly. */
	for (int b = 0; b < sw.nblocks; b++) {
		long o = (long)b * sw.block, m = o + sw.block / 2;
		long first = o - sw.ext < 0 ? 0 : o - sw.ext, hi = o + sw.block - 1 + sw.ext;
		sw.first[b] = (int)first;
		sw.ncols[b] = (int)((hi > W - 1 ? W - 1 : hi) - first + 1);
		middle[b] = tb->cx[m > W - 1 ? W - 1 : m];
		for (int i = 0; i < sw.len; i++) {
			int col = sw.first[b] + (i < sw.ncols[b] ? i : sw.ncols[b] - 1);
			sw.v[(size_t)b * (size_t)sw.len + (size_t)i] =
			    (tb->cx[col] - middle[b]) * inv_unit;
		}
	}

	/* The counting sort (stable), then the point data gathered in its
	 * order. */
	for (size_t b = 0; b < nbuckets; b++)
		start[b + 1] += start[b];
	for (size_t k = 0; k < n; k++)
		if (bucket[k] != UINT32_MAX)
			order[start[bucket[k]]++] = k;
	for (size_t b = nbuckets; b > 0; b--) /* ends of buckets to starts */
		start[b] = start[b - 1];
	start[0] = 0;
	sw.nonneg = 1;
	for (size_t i = 0; i < n_in; i++) {
		size_t k = order[i];
		double px = pts[k].x;
		double rho = (px - tb->cx[0]) * inv_cell;
		int home = rho < 0.0 ? 0 : rho > (double)(W - 1) ? W - 1 : (int)(rho + 0.5);
		int b = blocks[home];
		sw.px[i] = px;
		sw.py[i] = pts[k].y;
		sw.rho[i] = rho;
		sw.s[i] = (px - middle[b]) * inv_unit;
		sw.c[i] = (w ? w[k] : 1.0) * norm;
		sw.nonneg &= sw.c[i] >= 0.0;
		sw.ebase[i] = (b * sw.len - sw.first[b]) * sw.stride;
	}

	/* Row j needs the points with |cy - y| <= r / scale: those whose
	 * (y0 - y) / cell lies within reach_cells of j + 1/2, widened by a
	 * sub-row for rounding. */
	const kde_sweep_eval_fn eval = kde_sweep_evals[p->kernel];
	const double span = reach_cells * (1.0 + 1e-9);
	for (int j = 0; j < H; j++) {
		struct kde_sweep_row rw = {
		    tb->cy[j], tb->a[j], tb->reach2[j], tb->a[j] * unit * unit, inv_cell, tb->cx};
		long q0 = (long)floor(((double)j + 0.5 - span) * KDE_SWEEP_SUBROWS) - 1;
		long q1 = (long)floor(((double)j + 0.5 + span) * KDE_SWEEP_SUBROWS) + 1;
		q0 = q0 < blo ? blo : q0;
		q1 = q1 > bhi ? bhi : q1;
		add(&sw, start[q0 - blo], start[q1 - blo + 1], &rw);
		eval(&sw, out + (size_t)j * (size_t)W);
	}
	goto out;
nomem:
	rc = err_set(ERR_NOMEM, "kde: out of memory");
out:
	free(mem);
	free(bucket);
	free(start);
	return rc;
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

	/* The sweep when it serves the grid and was asked for, or (auto) when
	 * the cost model expects it to be faster; otherwise the stamp. */
	rc = 1;
	if (p->method != KDE_METHOD_STAMP && kde_sweep_fits(p, g))
		rc = kde_eval_sweep(p, g, &tb, pts, w, n, p->method == KDE_METHOD_AUTO, out);
	if (rc == 1) {
		for (size_t k = 0; k < W * H; k++)
			out[k] = 0.0;
		kde_eval_stamp(p, g, &tb, pts, w, n, out);
		rc = 0;
	}
	free(mem);
	return rc;
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
		return err_set_field(ERR_INVALID, "kde",
		                     "kde: position (%g, %g) is "
		                     "not finite",
		                     x, y);
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
			continue; /* adds exactly
			             0 in the
			             grid */
		double c = (w ? w[k] : 1.0) * norm;
		sum += c * kde_profile(p->kernel, t);
	}
	*out = sum;
	return 0;
}
