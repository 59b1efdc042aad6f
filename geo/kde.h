/*
 * kde: kernel density estimation in ground metres, as crime analysts do it.
 *
 * Owns the kernels (quartic/biweight by default, triangular, uniform,
 * Epanechnikov, triweight), each normalised to integrate to 1 over the
 * plane, and the grid evaluator that turns points into a density raster.
 * The unit of every value is points (offences, or the sum of their weights)
 * per square kilometre of ground; the value at a place depends on the
 * points, the kernel and the bandwidth only, never on the zoom, the cell
 * size or how the area is cut into tiles (docs/heatmap.md).
 *
 * Frames. Points and grids are given in one planar frame whose units are
 * "frame metres": a metric frame (UTM: 1 frame metre = 1 / k ground metres,
 * k = 0.9996 .. 1.001) or Web Mercator, whose metres are cos(latitude)
 * ground metres. The
 * grid therefore carries a scale per row, ground metres per frame metre at
 * that row, and a distance is measured as frame distance x scale(row of the
 * cell). A kernel of bandwidth r ground metres reaches r / scale frame
 * metres.
 *
 * Seamless tiles. A cell's value needs every point within one bandwidth of
 * its centre, inside the grid or not. The caller passes all points inside
 * kde_grid_reach() of the grid (the tile padded by one bandwidth in frame
 * units); points farther away contribute nothing and may be passed or not.
 * Two tiles computed this way agree with one wide grid on their shared edge.
 *
 * Cost. No cell ever loops over all points. For the polynomial kernels
 * (all but the triangular) a row sweep costs O(points x rows per disc +
 * cells): within a row a point's term is a polynomial in x on one run of
 * cells, added to per-row difference arrays at the run's two ends. The
 * stamp, each point visiting every cell of its disc, costs O(points x
 * cells per disc) and serves the triangular kernel, tiny discs and few
 * points. kde_grid_eval() picks the cheaper (struct kde_params, method).
 * A z 14 tile at 200 m from 50 000 points: ~9 ms swept, ~100 ms stamped
 * (docs/heatmap.md). Memory: the sweep holds its points' data (~60 bytes
 * each) and difference arrays of ~2 x width entries for the call.
 *
 * Threading: no state; all functions are re-entrant. The sweep picks its
 * AVX2 code by the CPU (__builtin_cpu_supports), read-only.
 */
#ifndef POSBON_KDE_H
#define POSBON_KDE_H

#include <stddef.h>

/* Square metres per square kilometre: values are per km2, kernels per m2. */
#define KDE_M2_PER_KM2 1e6
/* Default cap on cells per grid (4096 x 4096); see struct kde_params. */
#define KDE_DEFAULT_MAX_CELLS ((size_t)4096 * 4096)

/* Kernel shapes, numbered as QGIS's heatmap numbers them (KERNEL=0..4).
 * With u = d / r, d the ground distance and r the bandwidth, each is
 *   K(d) = c / (pi r^2) x profile(u) for u <= 1, and 0 beyond:
 *     quartic       c = 3  (1 - u^2)^2
 *     triangular    c = 3  (1 - u)
 *     uniform       c = 1  1
 *     triweight     c = 4  (1 - u^2)^3
 *     epanechnikov  c = 2  (1 - u^2)
 * so that its integral over the plane is 1. */
enum kde_kernel {
	KDE_QUARTIC = 0,
	KDE_TRIANGULAR = 1,
	KDE_UNIFORM = 2,
	KDE_TRIWEIGHT = 3,
	KDE_EPANECHNIKOV = 4,
};

#define KDE_KERNEL_COUNT 5

/* A point in the frame. */
struct kde_point {
	double x, y;
};

/* How kde_grid_eval() computes the grid (docs/heatmap.md). Every method
 * gives kde_density_at()'s value at every cell centre; they differ in cost
 * and in the last bits. */
enum kde_method {
	/* The cheaper of the two below for this grid, bandwidth and number of
	 * points in reach, by a cost model. */
	KDE_METHOD_AUTO = 0,
	/* Every point visits every cell of its disc: O(points x disc cells).
	 * Bit for bit equal to kde_density_at(). */
	KDE_METHOD_STAMP = 1,
	/* Row sweep of the kernel's polynomial: O(points x disc rows +
	 * cells). Equal to kde_density_at() within ~1e-12 of the value (on
	 * spread points; near the rim of a dense cluster, within ~2e-11 of
	 * the grid's peak), never below 0 when no weight is; cells no disc
	 * reaches are exactly 0, and for the uniform kernel a cell counts
	 * exactly the points the brute force counts. Where it does not serve
	 * (the triangular kernel, which is not a polynomial; discs under 2
	 * cells' radius or over 1e6; grids over 65536 rows; a corner beyond
	 * 1e9 cells from the origin) the grid is stamped. */
	KDE_METHOD_SWEEP = 2,
	/* The sweep in portable code only, without the AVX2 path it takes on
	 * CPUs that have it: the same values bit for bit, slower; for tests
	 * and benchmarks. */
	KDE_METHOD_SWEEP_GENERIC = 3,
};

struct kde_params {
	enum kde_kernel kernel; /* KDE_QUARTIC when zero-initialised */
	double bandwidth;       /* r, ground metres, 0.001 .. 1e6 */
	size_t max_cells;       /* largest grid accepted; 0 = KDE_DEFAULT_MAX_CELLS */
	enum kde_method method; /* KDE_METHOD_AUTO when zero-initialised */
};

/* A raster in the frame: width x height cells of cell x cell frame metres,
 * (x0, y0) the top-left corner of the top-left cell, rows going down (cell
 * (i, j) has its centre at x0 + (i + 0.5) cell, y0 - (j + 0.5) cell).
 * |x0|, |y0| <= 1e9 and cell 1e-6 .. 1e7 frame metres. */
struct kde_grid {
	double x0, y0;
	double cell;
	int width, height;
	/* Ground metres per frame metre for each row (height entries, each
	 * 0.001 .. 1000), e.g. tile_row_scales(); NULL means 1 for every row
	 * (a metric frame such as UTM). Borrowed for the call. */
	const double *row_scale;
};

/* Lowercase name of a kernel ("quartic"), "?" for an unknown value. */
const char *kde_kernel_name(enum kde_kernel k);

/* Kernel by name: "quartic" (also "biweight"), "triangular", "uniform",
 * "triweight", "epanechnikov". ERR_INVALID naming the text otherwise. */
int kde_kernel_parse(const char *name, enum kde_kernel *out);

/* The constant c above (3, 3, 1, 4, 2); 0 for an unknown kernel. */
double kde_kernel_norm(enum kde_kernel k);

/* Density in points per km2 that one point of weight 1 puts at ground
 * distance d (metres) with bandwidth r (metres): 1e6 x K(d). 0 for d > r. */
double kde_kernel_density(enum kde_kernel k, double r, double d);

/* Checks params and grid against the ranges above: a known kernel and
 * method, the bandwidth, cell and corner, width and height >= 1, width x height within
 * the cap (ERR_INVALID "grid ... is too large ..., use a larger cell size"
 * otherwise) and every row scale. The ranges keep every squared distance
 * the evaluator forms finite. */
int kde_grid_check(const struct kde_params *p, const struct kde_grid *g);

/* The frame-metre box (minx, miny, maxx, maxy) outside which a point cannot
 * reach any cell centre of g: the cell centres padded by r / scale (using
 * each edge row's scale north and south, and the smallest scale east and
 * west). Query points inside this box for a seamless grid. Fills
 * out[0..3]; ERR_INVALID as kde_grid_check(). */
int kde_grid_reach(const struct kde_params *p, const struct kde_grid *g, double out[4]);

/* Fills out[j * width + i] with the density (points per km2) at the centre
 * of cell (i, j) from n points (weights w[k], or 1 each when w is NULL):
 *   out = sum_k w_k x 1e6 x K(scale_j x |centre - point_k|),
 * computed by p->method (see enum kde_method). out must hold width x
 * height doubles (caller-owned; overwritten). Points outside the grid
 * contribute wherever their disc reaches it; points may lie anywhere (far
 * ones cost a bounds test each). ERR_INVALID as kde_grid_check(), or
 * naming the first point or weight that is not finite; ERR_NOMEM for the
 * per-grid tables or the sweep's arrays (~60 bytes per point in reach);
 * out is unchanged on any error. */
int kde_grid_eval(const struct kde_params *p, const struct kde_grid *g, const struct kde_point *pts,
                  const double *w, size_t n, double *out);

/* Reference evaluator: the density (points per km2) at frame position
 * (x, y) where a frame metre is `scale` ground metres, summing over all n
 * points. O(n); for tests and single-place queries ("what is the density
 * here"). Gives the same value as kde_grid_eval() at a cell centre with the
 * row's scale. ERR_INVALID for a bad kernel, bandwidth, scale, position,
 * point or weight. */
int kde_density_at(const struct kde_params *p, const struct kde_point *pts, const double *w,
                   size_t n, double x, double y, double scale, double *out);

#endif
