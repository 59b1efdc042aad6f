#include "classify.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

size_t classify_class(const double *breaks, size_t classes, double v)
{
	for (size_t c = 0; c + 1 < classes; c++)
		if (v <= breaks[c])
			return c;
	return classes ? classes - 1 : 0;
}

/* Jenks by dynamic programming over the sorted values: cost[c][i] is the
 * least squared deviation of values 0..i in c + 1 classes. O(k n^2). */
static int jenks(const double *v, size_t n, size_t k, double *breaks)
{
	double *cost = malloc(k * n * sizeof *cost);
	size_t *cut = malloc(k * n * sizeof *cut);
	double *sum = malloc((n + 1) * sizeof *sum), *sq = malloc((n + 1) * sizeof *sq);
	if (!cost || !cut || !sum || !sq) {
		free(cost), free(cut), free(sum), free(sq);
		return err_set(ERR_NOMEM, "classify: out of memory");
	}
	sum[0] = sq[0] = 0;
	for (size_t i = 0; i < n; i++) {
		sum[i + 1] = sum[i] + v[i];
		sq[i + 1] = sq[i] + v[i] * v[i];
	}
	/* squared deviation of v[a..b] from its mean */
#define SSD(a, b)                                                                                  \
	(sq[(b) + 1] - sq[a] - (sum[(b) + 1] - sum[a]) * (sum[(b) + 1] - sum[a]) / ((b) - (a) + 1))
	for (size_t i = 0; i < n; i++) {
		cost[i] = SSD(0, i);
		cut[i] = 0;
	}
	for (size_t c = 1; c < k; c++)
		for (size_t i = 0; i < n; i++) {
			double best = INFINITY;
			size_t at = 0;
			for (size_t j = c; j <= i; j++) {
				double t = cost[(c - 1) * n + j - 1] + SSD(j, i);
				if (t < best) {
					best = t;
					at = j;
				}
			}
			cost[c * n + i] = best;
			cut[c * n + i] = at;
		}
#undef SSD
	/* Walk the cuts back from the last value. */
	size_t end = n - 1;
	for (size_t c = k; c-- > 0;) {
		breaks[c] = v[end];
		size_t start = cut[c * n + end];
		end = start ? start - 1 : 0;
	}
	free(cost), free(cut), free(sum), free(sq);
	return 0;
}

int classify_breaks(enum classify_method m, const double *values, size_t n, size_t k,
                    double *breaks, size_t *classes)
{
	double *v = malloc((n ? n : 1) * sizeof *v);
	size_t m_n = 0, distinct = 0;
	int rc = 0;
	*classes = 0;
	if (!v)
		return err_set(ERR_NOMEM, "classify: out of memory");
	for (size_t i = 0; i < n; i++)
		if (isfinite(values[i]))
			v[m_n++] = values[i];
	if (k < 1 || m_n == 0) {
		free(v);
		return err_set_field(ERR_INVALID, "classify", "classify: %s",
		                     k < 1 ? "no classes asked" : "no values to classify");
	}
	qsort(v, m_n, sizeof *v, compare_double);
	for (size_t i = 0; i < m_n; i++)
		distinct += i == 0 || v[i] != v[i - 1];
	if (k > distinct)
		k = distinct;
	switch (m) {
	case CLASSIFY_EQUAL:
		for (size_t c = 0; c < k; c++)
			breaks[c] = v[0] + (v[m_n - 1] - v[0]) * (double)(c + 1) / (double)k;
		breaks[k - 1] = v[m_n - 1];
		break;
	case CLASSIFY_QUANTILE:
		for (size_t c = 0; c < k; c++) {
			size_t at = (size_t)ceil((double)m_n * (double)(c + 1) / (double)k);
			breaks[c] = v[(at ? at : 1) - 1];
		}
		break;
	case CLASSIFY_JENKS:
		rc = jenks(v, m_n, k, breaks);
		break;
	}
	/* Ties can repeat a break (quantiles of many equal counts): merge them. */
	size_t out = 0;
	for (size_t c = 0; rc == 0 && c < k; c++)
		if (out == 0 || breaks[c] > breaks[out - 1])
			breaks[out++] = breaks[c];
	*classes = out;
	free(v);
	return rc;
}
