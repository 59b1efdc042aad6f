/*
 * gistar: counts on a UTM grid, the district's cells, row-run sums over a
 * disc, Gi*, Moran's I per band, p-values, bins and the outputs.
 *
 * Workload: a district of tens of km² at 100 m cells is a few thousand
 * cells; the benchmark's 2,000 x 2,000 grid (4 million cells) is the upper
 * end. Everything after the counting is a few passes over the grid with
 * two row buffers: the prefix sums (one double and, with a mask, one int32
 * per cell) are the only grid-sized scratch.
 */
#include "gistar.h"

#include "err.h"
#include "hotspot.h"
#include "tilemath.h"
#include "timeparse.h"
#include "utm.h"

#include <cairo.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A band of exactly a lattice distance (cell x sqrt(2)) must take that
 * neighbour although sqrt and the squares round differently. */
#define BAND_SLACK 1e-9

int gistar_disc(double band, int *radius, int **half)
{
	*half = NULL;
	*radius = 0;
	if (!(band >= 0 && band <= GISTAR_MAX_BAND))
		return err_set_field(ERR_INVALID, "band",
		                     "band: %g cells is not a band of 0 to %d cells", band,
		                     GISTAR_MAX_BAND);
	double b2 = band * band * (1 + BAND_SLACK);
	int r = (int)floor(sqrt(b2));
	int *h = malloc((size_t)(2 * r + 1) * sizeof *h);
	if (!h)
		return err_set(ERR_NOMEM, "gistar: out of memory");
	for (int dy = -r; dy <= r; dy++) {
		int w = (int)floor(sqrt(b2 - (double)dy * dy));
		/* sqrt rounds: settle on the exact test. */
		while ((double)(w + 1) * (w + 1) + (double)dy * dy <= b2)
			w++;
		while (w > 0 && (double)w * w + (double)dy * dy > b2)
			w--;
		h[dy + r] = w;
	}
	*radius = r;
	*half = h;
	return 0;
}

/* Prefix sums along each row, for the sums over the disc of every cell. */
struct sums {
	int width, height;
	double *px;  /* px[j (w + 1) + i]: sum of x over columns < i of row j, analysed only */
	int32_t *pm; /* the same for the analysed cells; NULL when every cell is */
	int radius;
	int *half;
	size_t n;         /* analysed cells */
	double mean, var; /* of x over them, var with divisor n */
};

static void sums_free(struct sums *s)
{
	free(s->px);
	free(s->pm);
	free(s->half);
}

static int sums_make(const double *x, const unsigned char *mask, int width, int height, double band,
                     size_t min_cells, struct sums *s)
{
	*s = (struct sums){.width = width, .height = height};
	int rc = gistar_disc(band, &s->radius, &s->half);
	if (rc < 0)
		return rc;
	size_t stride = (size_t)width + 1;
	s->px = malloc(stride * height * sizeof *s->px);
	s->pm = mask ? malloc(stride * height * sizeof *s->pm) : NULL;
	if (!s->px || (mask && !s->pm)) {
		sums_free(s);
		return err_set(ERR_NOMEM, "gistar: out of memory for %dx%d cells", width, height);
	}
	double total = 0;
	for (int j = 0; j < height; j++) {
		double *p = s->px + j * stride;
		int32_t *m = s->pm ? s->pm + j * stride : NULL;
		p[0] = 0;
		if (m)
			m[0] = 0;
		for (int i = 0; i < width; i++) {
			size_t c = (size_t)j * width + i;
			int in = !mask || mask[c];
			p[i + 1] = p[i] + (in ? x[c] : 0);
			if (m)
				m[i + 1] = m[i] + in;
		}
		total += p[width];
		s->n += m ? (size_t)m[width] : (size_t)width;
	}
	if (s->n < min_cells) {
		sums_free(s);
		return err_set_field(ERR_INVALID, "cells",
		                     "cells: %zu cells to analyse, at least %zu needed", s->n,
		                     min_cells);
	}
	s->mean = total / (double)s->n;
	double ss = 0;
	for (size_t c = 0; c < (size_t)width * height; c++)
		if (!mask || mask[c])
			ss += (x[c] - s->mean) * (x[c] - s->mean);
	s->var = ss / (double)s->n;
	if (!(s->var > 0)) {
		sums_free(s);
		return err_set_field(ERR_INVALID, "counts",
		                     "counts: every one of the %zu cells holds %g: nothing to test",
		                     s->n, s->mean);
	}
	return 0;
}

/* The sum of x (sx) and the number of analysed cells (wn) within the band
 * of every cell of row j: one run per row of the disc, two reads each. */
static void sums_row(const struct sums *s, int j, double *sx, double *wn)
{
	int w = s->width;
	size_t stride = (size_t)w + 1;
	memset(sx, 0, (size_t)w * sizeof *sx);
	memset(wn, 0, (size_t)w * sizeof *wn);
	for (int dy = -s->radius; dy <= s->radius; dy++) {
		int jj = j + dy;
		if (jj < 0 || jj >= s->height)
			continue;
		int h = s->half[dy + s->radius];
		const double *p = s->px + jj * stride;
		const int32_t *m = s->pm ? s->pm + jj * stride : NULL;
		for (int i = 0; i < w; i++) {
			int lo = i - h < 0 ? 0 : i - h, hi = i + h + 1 > w ? w : i + h + 1;
			sx[i] += p[hi] - p[lo];
			wn[i] += m ? m[hi] - m[lo] : hi - lo;
		}
	}
}

static int row_buffers(int width, double **sx, double **wn)
{
	*sx = malloc((size_t)width * sizeof **sx);
	*wn = malloc((size_t)width * sizeof **wn);
	if (*sx && *wn)
		return 0;
	free(*sx);
	free(*wn);
	return err_set(ERR_NOMEM, "gistar: out of memory");
}

int gistar_zscores(const double *x, const unsigned char *mask, int width, int height, double band,
                   double *z)
{
	struct sums s;
	double *sx = NULL, *wn = NULL;
	int rc = sums_make(x, mask, width, height, band, 2, &s);
	if (rc < 0)
		return rc;
	if ((rc = row_buffers(width, &sx, &wn)) < 0)
		goto out;
	double n = (double)s.n;
	for (int j = 0; j < height; j++) {
		sums_row(&s, j, sx, wn);
		for (int i = 0; i < width; i++) {
			size_t c = (size_t)j * width + i;
			/* spdep::localG with self included: (sum - mean W) /
			 * sqrt(var (n S1 - W^2) / (n - 1)), S1 = W for 0/1 weights. */
			double v = s.var * (n * wn[i] - wn[i] * wn[i]) / (n - 1);
			if (mask && !mask[c])
				z[c] = NAN;
			else
				z[c] = v > 0 ? (sx[i] - s.mean * wn[i]) / sqrt(v) : 0;
		}
	}
out:
	free(sx);
	free(wn);
	sums_free(&s);
	return rc;
}

int gistar_moran(const double *x, const unsigned char *mask, int width, int height, double band,
                 double *moran_i, double *zscore)
{
	struct sums s;
	double *sx = NULL, *wn = NULL;
	long double num = 0, m2 = 0, m4 = 0, s0 = 0, s2 = 0;
	size_t isolated = 0;
	int rc = sums_make(x, mask, width, height, band, 4, &s);
	if (rc < 0)
		return rc;
	if ((rc = row_buffers(width, &sx, &wn)) < 0)
		goto out;
	for (int j = 0; j < height; j++) {
		sums_row(&s, j, sx, wn);
		for (int i = 0; i < width; i++) {
			size_t c = (size_t)j * width + i;
			if (mask && !mask[c])
				continue;
			/* The neighbours without the cell itself. */
			long double d = x[c] - s.mean, k = wn[i] - 1;
			num += d * ((sx[i] - x[c]) - k * s.mean);
			m2 += d * d;
			m4 += d * d * d * d;
			s0 += k;
			s2 += 4 * k * k;
			isolated += k == 0;
		}
	}
	if (!(s0 > 0)) {
		rc = err_set_field(ERR_INVALID, "band",
		                   "band: no cell has a neighbour within %g cells", band);
		goto out;
	}
	/* Cliff and Ord's moments under randomisation, symmetric 0/1 weights:
	 * S1 = 2 S0, S2 = sum (2 k_i)^2. Cells without a neighbour leave n
	 * but not the mean nor the kurtosis, as spdep's moran.test (adjust.n). */
	long double n = (long double)(s.n - isolated), s1 = 2 * s0, e = -1 / (n - 1);
	long double b2 = (long double)s.n * m4 / (m2 * m2);
	long double var = (n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0 * s0) -
	                   b2 * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0 * s0)) /
	                      ((n - 1) * (n - 2) * (n - 3) * s0 * s0) -
	                  e * e;
	long double moran = n / s0 * num / m2;
	*moran_i = (double)moran;
	*zscore = var > 0 ? (double)((moran - e) / sqrtl(var)) : 0;
out:
	free(sx);
	free(wn);
	sums_free(&s);
	return rc;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int gistar_classify(const double *z, size_t n, int fdr, double *p, signed char *bin)
{
	/* Critical p-values of bins 1, 2, 3: ArcGIS's 90/95/99% levels, or
	 * Benjamini-Hochberg's largest p(k) <= alpha k / m per level. */
	static const double alpha[3] = {0.10, 0.05, 0.01};
	double crit[3] = {alpha[0], alpha[1], alpha[2]};
	size_t m = 0, low = 0;
	for (size_t c = 0; c < n; c++) {
		p[c] = isnan(z[c]) ? NAN : erfc(fabs(z[c]) / M_SQRT2);
		m += !isnan(p[c]);
		low += p[c] <= alpha[0];
	}
	if (fdr) {
		/* Only p-values up to the widest level can pass any. */
		double *q = malloc((low ? low : 1) * sizeof *q);
		if (!q)
			return err_set(ERR_NOMEM, "gistar: out of memory for %zu p-values", low);
		size_t k = 0;
		for (size_t c = 0; c < n; c++)
			if (p[c] <= alpha[0])
				q[k++] = p[c];
		qsort(q, low, sizeof *q, by_value);
		for (int l = 0; l < 3; l++) {
			crit[l] = -1;
			for (size_t r = low; r > 0; r--)
				if (q[r - 1] <= alpha[l] * (double)r / (double)m) {
					crit[l] = q[r - 1];
					break;
				}
		}
		free(q);
	}
	for (size_t c = 0; c < n; c++) {
		int level = 0;
		for (int l = 0; l < 3; l++)
			if (fdr ? p[c] <= crit[l] : p[c] < crit[l])
				level = l + 1;
		bin[c] = (signed char)(z[c] > 0 ? level : z[c] < 0 ? -level : 0);
	}
	return 0;
}

const char *gistar_band_source_name(enum gistar_band_source s)
{
	static const char *const names[] = {"given", "peak", "fallback"};
	return names[s];
}

/* Adds one ring of Web Mercator points to cr's path in grid cells. */
static int ring_path(cairo_t *cr, utm *u, const struct gistar_result *r, const double *xy, size_t n,
                     double *buf)
{
	double *x = buf, *y = buf + n;
	for (size_t k = 0; k < n; k++)
		tile_merc_to_lonlat(xy[2 * k], xy[2 * k + 1], &x[k], &y[k]);
	int rc = utm_forward(u, x, y, n);
	for (size_t k = 0; k < n && rc == 0; k++) {
		double px = (x[k] - r->x0) / r->cell, py = (r->y0 - y[k]) / r->cell;
		if (k)
			cairo_line_to(cr, px, py);
		else
			cairo_move_to(cr, px, py);
	}
	cairo_close_path(cr);
	return rc;
}

/* Marks the cells whose centres lie inside the districts (else the
 * mahallas) of sh; with neither, or whole_grid, every cell. */
static int district_mask(const shapes *sh, utm *u, struct gistar_result *r)
{
	size_t cells = (size_t)r->width * r->height;
	enum shapes_kind kind =
	    sh && shapes_count(sh, SHAPES_DISTRICTS) ? SHAPES_DISTRICTS : SHAPES_MAHALLAS;
	if (r->whole_grid || !sh || !shapes_count(sh, kind)) {
		memset(r->mask, 1, cells);
		r->whole_grid = 1;
		return 0;
	}
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_A8, r->width, r->height);
	cairo_t *cr = cairo_create(img);
	double *buf = NULL;
	size_t cap = 0;
	int rc = 0;
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		rc = err_set_field(ERR_INVALID, "cell",
		                   "cell: no raster of %dx%d cells for the district", r->width,
		                   r->height);
		goto out;
	}
	/* Without antialiasing a cell is filled exactly when its centre is
	 * inside. */
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	for (size_t a = 0; a < shapes_count(sh, kind) && rc == 0; a++) {
		const struct shapes_rings *g =
		    &shapes_area(sh, kind, a)->geom.band[SHAPES_BANDS - 1];
		for (size_t k = 0; k < g->n_rings && rc == 0; k++) {
			size_t n = g->ring_start[k + 1] - g->ring_start[k];
			if (n > cap) {
				free(buf);
				cap = n;
				if (!(buf = malloc(2 * n * sizeof *buf))) {
					rc = err_set(ERR_NOMEM, "gistar: out of memory");
					break;
				}
			}
			rc = ring_path(cr, u, r, g->xy + 2 * g->ring_start[k], n, buf);
		}
		cairo_fill(cr);
	}
	cairo_surface_flush(img);
	const unsigned char *data = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	for (int j = 0; j < r->height && rc == 0; j++)
		for (int i = 0; i < r->width; i++)
			r->mask[(size_t)j * r->width + i] = data[(size_t)j * stride + i] > 127;
out:
	free(buf);
	cairo_destroy(cr);
	cairo_surface_destroy(img);
	return rc;
}

/* The grid over the district's extent in UTM, its cell (sfhotspot's rule:
 * 1/50 of the shorter side, down to whole 100 m when that leaves at least
 * 100 m, else to whole metres) and the checks on the sizes. */
static int lay_grid(const dataset *ds, const struct gistar_params *p, utm **u,
                    struct gistar_result *r)
{
	double merc[4], ext[4], lon, lat;
	dataset_extent(ds, merc);
	tile_merc_to_lonlat((merc[0] + merc[2]) / 2, (merc[1] + merc[3]) / 2, &lon, &lat);
	int rc = utm_open(utm_zone_epsg(lon, lat), u);
	if (rc < 0 || (rc = utm_box_from_merc(*u, merc, ext)) < 0)
		return rc;
	r->epsg = utm_epsg(*u);
	double side = fmin(ext[2] - ext[0], ext[3] - ext[1]) / GISTAR_CELL_SHARE;
	r->cell = p->cell                 ? p->cell
	          : floor(side / 100) > 0 ? floor(side / 100) * 100
	                                  : fmax(1, round(side));
	if (!(r->cell >= 1 && r->cell <= 100000))
		return err_set_field(ERR_INVALID, "cell",
		                     "cell: %g is not a cell size of 1 to 100000 metres", r->cell);
	double w = fmax(1, ceil((ext[2] - ext[0]) / r->cell));
	double h = fmax(1, ceil((ext[3] - ext[1]) / r->cell));
	size_t max = p->max_cells ? p->max_cells : GISTAR_MAX_CELLS;
	if (w * h > (double)max)
		return err_set_field(
		    ERR_INVALID, "cell",
		    "cell: a grid of %.0f x %.0f cells of %g m is too large (limit %zu "
		    "cells): use a cell of at least %.0f m",
		    w, h, r->cell, max, ceil(r->cell * sqrt(w * h / (double)max)));
	if (p->band && !(p->band >= r->cell && p->band <= GISTAR_MAX_BAND * r->cell))
		return err_set_field(ERR_INVALID, "band",
		                     "band: %g m is not a distance band of 1 to %d cells of %g m",
		                     p->band, GISTAR_MAX_BAND, r->cell);
	r->width = (int)w;
	r->height = (int)h;
	r->x0 = ext[0];
	r->y0 = ext[1] + r->height * r->cell;
	return 0;
}

int gistar_count(const dataset *ds, utm *u, const struct dataset_filter *f,
                 const struct gistar_result *r, double *count)
{
	struct dataset_points pts = {0};
	const double box[4] = {r->x0, r->y0 - r->height * r->cell, r->x0 + r->width * r->cell,
	                       r->y0};
	int rc = dataset_gather_utm(ds, u, box, f, NULL, &pts);
	for (size_t k = 0; k < pts.n && rc == 0; k++) {
		/* The east and south edges belong to the last cells. */
		int i = (int)floor((pts.pts[k].x - r->x0) / r->cell);
		int j = (int)floor((r->y0 - pts.pts[k].y) / r->cell);
		i = i < 0 ? 0 : i >= r->width ? r->width - 1 : i;
		j = j < 0 ? 0 : j >= r->height ? r->height - 1 : j;
		/* Weights are the offences' aoristic shares of the hours filtered. */
		count[(size_t)j * r->width + i] += pts.w ? pts.w[k] : 1;
	}
	dataset_points_free(&pts);
	return rc;
}

/* Counts the offences of the filter per cell. */
static int count_offences(const dataset *ds, utm *u, struct gistar_result *r)
{
	int rc = gistar_count(ds, u, &r->filter, r, r->count);
	for (size_t c = 0; c < (size_t)r->width * r->height; c++)
		if (r->mask[c])
			r->offences += r->count[c];
	return rc;
}

/* Incremental spatial autocorrelation: Moran's I over bands of 1 ..
 * GISTAR_STEPS cells (those shorter than the grid), the band of the first
 * peak of its z-score, else cell x sqrt(2). */
static int choose_band(struct gistar_result *r, const unsigned char *mask)
{
	int longest = r->width > r->height ? r->width : r->height;
	for (int k = 1; k <= GISTAR_STEPS && k < longest; k++) {
		size_t s = r->n_steps;
		int rc = gistar_moran(r->count, mask, r->width, r->height, k, &r->step_i[s],
		                      &r->step_z[s]);
		if (rc < 0)
			return rc;
		r->step_band[s] = k * r->cell;
		r->n_steps++;
	}
	for (size_t s = 1; s + 1 < r->n_steps; s++)
		if (r->step_z[s] > r->step_z[s - 1] && r->step_z[s] > r->step_z[s + 1]) {
			r->band = r->step_band[s];
			r->band_source = GISTAR_BAND_PEAK;
			return 0;
		}
	r->band = r->cell * M_SQRT2;
	r->band_source = GISTAR_BAND_FALLBACK;
	return 0;
}

int gistar_run(const dataset *ds, const shapes *sh, const struct gistar_params *p,
               struct gistar_result *out)
{
	struct gistar_result r = {.filter = p->filter, .fdr = p->fdr, .whole_grid = p->whole_grid};
	utm *u = NULL;
	int rc;
	*out = (struct gistar_result){0};
	if ((rc = lay_grid(ds, p, &u, &r)) < 0)
		goto out;
	size_t cells = (size_t)r.width * r.height;
	r.count = calloc(cells, sizeof *r.count);
	r.mask = malloc(cells);
	r.z = malloc(cells * sizeof *r.z);
	r.p = malloc(cells * sizeof *r.p);
	r.bin = malloc(cells);
	if (!r.count || !r.mask || !r.z || !r.p || !r.bin) {
		rc = err_set(ERR_NOMEM, "gistar: out of memory for %zu cells", cells);
		goto out;
	}
	if ((rc = district_mask(sh, u, &r)) < 0 || (rc = count_offences(ds, u, &r)) < 0)
		goto out;
	for (size_t c = 0; c < cells; c++)
		r.cells += r.mask[c];
	if (!r.offences) {
		rc = err_set_field(
		    ERR_INVALID, "filter",
		    "filter: no offence passes the filter in the %zu cells of the district",
		    r.cells);
		goto out;
	}
	/* Without a mask the sums skip the mask's prefix sums. */
	const unsigned char *mask = r.cells == cells ? NULL : r.mask;
	r.band = p->band;
	r.band_source = GISTAR_BAND_GIVEN;
	if ((!p->band && (rc = choose_band(&r, mask)) < 0) ||
	    (rc = gistar_zscores(r.count, mask, r.width, r.height, r.band / r.cell, r.z)) < 0 ||
	    (rc = gistar_classify(r.z, cells, r.fdr, r.p, r.bin)) < 0)
		goto out;
	double ss = 0;
	r.mean = (double)r.offences / (double)r.cells;
	for (size_t c = 0; c < cells; c++)
		if (r.mask[c]) {
			ss += (r.count[c] - r.mean) * (r.count[c] - r.mean);
			r.bins[r.bin[c] + 3]++;
		}
	r.sd = sqrt(ss / (double)r.cells);
	*out = r;
out:
	if (rc < 0)
		gistar_result_free(&r);
	utm_free(u);
	return rc;
}

void gistar_result_free(struct gistar_result *r)
{
	free(r->count);
	free(r->mask);
	free(r->z);
	free(r->p);
	free(r->bin);
	*r = (struct gistar_result){0};
}

static json_t *time_json(int64_t t)
{
	char buf[32];
	return t == STORE_NO_TIME ? json_null()
	                          : json_string(timeparse_utc_text(t, buf, sizeof buf));
}

struct sig_cell {
	double z;
	size_t c;
};

/* Hot cells first, then cold, each by |z| down, then by cell. */
static int by_strength(const void *a, const void *b)
{
	const struct sig_cell *p = a, *q = b;
	if ((p->z > 0) != (q->z > 0))
		return p->z > 0 ? -1 : 1;
	if (fabs(p->z) != fabs(q->z))
		return fabs(p->z) < fabs(q->z) ? 1 : -1;
	return (p->c > q->c) - (p->c < q->c);
}

int gistar_cell_polygon(const struct gistar_result *r, utm *u, size_t c, json_t **out)
{
	int i = (int)(c % (size_t)r->width), j = (int)(c / (size_t)r->width);
	double x[5], y[5];
	*out = NULL;
	for (int k = 0; k < 5; k++) {
		/* Anticlockwise from the south-west corner, as GeoJSON asks. */
		int di = k == 1 || k == 2, dj = k == 2 || k == 3;
		x[k] = r->x0 + (i + di) * r->cell;
		y[k] = r->y0 - (j + 1 - dj) * r->cell;
	}
	int rc = utm_inverse(u, x, y, 5);
	if (rc < 0)
		return rc;
	json_t *ring = json_array();
	for (int k = 0; ring && k < 5; k++)
		json_array_append_new(ring, json_pack("[f,f]", x[k], y[k]));
	*out = json_pack("{s:s, s:[o]}", "type", "Polygon", "coordinates", ring);
	return *out ? 0 : err_set(ERR_NOMEM, "gistar: out of memory for a cell");
}

/* Cell c as a GeoJSON Feature with a lon/lat polygon. */
static json_t *cell_feature(const struct gistar_result *r, utm *u, size_t c, int *rc)
{
	json_t *geometry;
	if ((*rc = gistar_cell_polygon(r, u, c, &geometry)) < 0)
		return NULL;
	return json_pack("{s:s, s:{s:i, s:i, s:o, s:f, s:f, s:i}, s:o}", "type", "Feature",
	                 "properties", "i", (int)(c % (size_t)r->width), "j",
	                 (int)(c / (size_t)r->width), "count", hotspot_count_json(r->count[c]), "z",
	                 r->z[c], "p", r->p[c], "bin", r->bin[c], "geometry", geometry);
}

static json_t *steps_json(const struct gistar_result *r)
{
	json_t *a = json_array();
	for (size_t s = 0; a && s < r->n_steps; s++)
		json_array_append_new(a, json_pack("{s:f, s:f, s:f}", "band_m", r->step_band[s],
		                                   "moran_i", r->step_i[s], "z", r->step_z[s]));
	return a;
}

int gistar_geojson(const struct gistar_result *r, json_t **out)
{
	size_t cells = (size_t)r->width * r->height, n = 0;
	struct sig_cell *sig = malloc(((r->cells - r->bins[3]) + 1) * sizeof *sig);
	json_t *features = json_array();
	utm *u = NULL;
	int rc = 0;
	*out = NULL;
	if (!sig || !features) {
		rc = err_set(ERR_NOMEM, "gistar: out of memory for the GeoJSON");
		goto out;
	}
	if ((rc = utm_open(r->epsg, &u)) < 0)
		goto out;
	for (size_t c = 0; c < cells; c++)
		if (r->bin[c])
			sig[n++] = (struct sig_cell){r->z[c], c};
	qsort(sig, n, sizeof *sig, by_strength);
	for (size_t k = 0; k < n && rc == 0; k++) {
		json_t *f = cell_feature(r, u, sig[k].c, &rc);
		if (rc == 0 && json_array_append_new(features, f) < 0)
			rc = err_set(ERR_NOMEM, "gistar: out of memory for the GeoJSON");
	}
	if (rc < 0)
		goto out;
	char crs[24];
	snprintf(crs, sizeof crs, "EPSG:%d", r->epsg);
	*out = json_pack("{s:s, s:o, s:s, s:[f,f], s:f, s:i, s:i, s:f, s:s, s:o, s:b, s:b, s:I, "
	                 "s:o, s:f, s:f, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o}",
	                 "type", "FeatureCollection", "features", features, "crs", crs, "origin",
	                 r->x0, r->y0, "cell_m", r->cell, "width", r->width, "height", r->height,
	                 "band_m", r->band, "band_source", gistar_band_source_name(r->band_source),
	                 "steps", steps_json(r), "fdr", r->fdr, "whole_grid", r->whole_grid,
	                 "cells", (json_int_t)r->cells, "offences", hotspot_count_json(r->offences),
	                 "mean", r->mean, "sd", r->sd, "bins", "-3", (json_int_t)r->bins[0], "-2",
	                 (json_int_t)r->bins[1], "-1", (json_int_t)r->bins[2], "0",
	                 (json_int_t)r->bins[3], "1", (json_int_t)r->bins[4], "2",
	                 (json_int_t)r->bins[5], "3", (json_int_t)r->bins[6], "from",
	                 time_json(r->filter.from), "to", time_json(r->filter.to));
	features = NULL; /* the collection holds it, or json_pack freed it */
	if (!*out)
		rc = err_set(ERR_NOMEM, "gistar: out of memory for the GeoJSON");
out:
	json_decref(features);
	free(sig);
	utm_free(u);
	return rc;
}

int gistar_write_tiff(const struct gistar_result *r, const char *path, const char *filter_text)
{
	size_t cells = (size_t)r->width * r->height;
	double *v = malloc(cells * sizeof *v);
	char **options = NULL, *wkt = NULL, value[64];
	OGRSpatialReferenceH srs = NULL;
	GDALDatasetH out = NULL;
	int rc = 0;
	if (!v)
		return err_set(ERR_NOMEM, "gistar: out of memory for %zu cells", cells);
	GDALAllRegister();
	GDALDriverH drv = GDALGetDriverByName("GTiff");
	if (!drv) {
		rc = err_set(ERR_UNSUPPORTED, "GDAL has no GeoTIFF driver");
		goto out;
	}
	options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
	options = CSLSetNameValue(options, "INTERLEAVE", "BAND");
	out = GDALCreate(drv, path, r->width, r->height, 3, GDT_Float32, options);
	if (!out) {
		rc = err_set(ERR_IO, "%s: cannot create: %s", path, CPLGetLastErrorMsg());
		goto out;
	}
	srs = OSRNewSpatialReference(NULL);
	if (OSRImportFromEPSG(srs, r->epsg) != OGRERR_NONE ||
	    OSRExportToWkt(srs, &wkt) != OGRERR_NONE) {
		rc = err_set(ERR_PROJ, "EPSG:%d unknown to GDAL", r->epsg);
		goto out;
	}
	double gt[6] = {r->x0, r->cell, 0, r->y0, 0, -r->cell};
	GDALSetGeoTransform(out, gt);
	GDALSetProjection(out, wkt);
	snprintf(value, sizeof value, "%.17g", r->band);
	GDALSetMetadataItem(out, "POSBON_BAND_M", value, NULL);
	GDALSetMetadataItem(out, "POSBON_BAND_SOURCE", gistar_band_source_name(r->band_source),
	                    NULL);
	GDALSetMetadataItem(out, "POSBON_FDR", r->fdr ? "yes" : "no", NULL);
	if (filter_text)
		GDALSetMetadataItem(out, "POSBON_FILTER", filter_text, NULL);
	static const char *const names[] = {"Gi* z-score", "bin (-3..3, 99/95/90%)",
	                                    "offences per cell"};
	for (int b = 0; b < 3 && rc == 0; b++) {
		for (size_t c = 0; c < cells; c++)
			v[c] = !r->mask[c] ? NAN
			       : b == 0    ? r->z[c]
			       : b == 1    ? r->bin[c]
			                   : r->count[c];
		GDALRasterBandH band = GDALGetRasterBand(out, b + 1);
		GDALSetDescription(band, names[b]);
		GDALSetRasterNoDataValue(band, NAN);
		if (GDALRasterIO(band, GF_Write, 0, 0, r->width, r->height, v, r->width, r->height,
		                 GDT_Float64, 0, 0) != CE_None)
			rc = err_set(ERR_IO, "%s: write failed: %s", path, CPLGetLastErrorMsg());
	}
out:
	if (out)
		GDALClose(out);
	CPLFree(wkt);
	OSRDestroySpatialReference(srs);
	CSLDestroy(options);
	free(v);
	return rc;
}
