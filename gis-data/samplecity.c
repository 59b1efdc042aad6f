#include "samplecity.h"

#include "err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI          3.14159265358979323846
#define CELL_W      7000.0 /* metres: a cell of the grid, about the sample district's area */
#define CELL_H      5500.0
#define NODE_JITTER 0.12 /* of the cell's size, each way */
#define SEGMENTS    16   /* of an edge */
/* The bends of an edge, as shares of its length: a wave of one and of two
 * periods and some roughness, all tapered to nothing at the nodes. Small
 * enough that two edges meeting at a node never cross: each leaves its
 * node within about 17 degrees of the straight line, and the grid's angles
 * stay above 50 degrees with the nodes moved. */
#define BEND1 0.06
#define BEND2 0.03
#define ROUGH 0.01

/* clang-format off */
static const char *const names[] = {
    "Bektemir", "Chilonzor", "Mirobod", "Mirzo Ulugʻbek", "Olmazor", "Sergeli",
    "Shayxontohur", "Uchtepa", "Yakkasaroy", "Yashnobod", "Yunusobod", "Yangihayot",
    "Zangiota", "Qibray", "Boʻstonliq", "Parkent", "Piskent", "Ohangaron", "Bekobod", "Boʻka",
    "Chinoz", "Oqqoʻrgʻon", "Keles", "Toshloq", "Zarbdor", "Paxtakor", "Gʻallaorol", "Baxmal",
    "Forish", "Arnasoy", "Mirzachoʻl", "Sardoba", "Guliston", "Sirdaryo", "Boyovut", "Xovos",
    "Oqoltin", "Mehnatobod", "Sayxunobod", "Urgut", "Bulungʻur", "Jomboy", "Ishtixon",
    "Kattaqoʻrgʻon", "Payariq", "Pastdargʻom", "Nurobod", "Toyloq", "Qoʻshrabot", "Narpay",
};
/* clang-format on */

#define N_NAMES (sizeof names / sizeof names[0])

static const char *const tiers[] = {"", "Yangi ", "Eski ", "Yuqori ", "Quyi "};

_Static_assert(N_NAMES *(sizeof tiers / sizeof tiers[0]) >= SAMPLECITY_MAX_DISTRICTS,
               "a name for every district");

struct xy {
	double x, y;
};

/* One edge from a to b into out[0..SEGMENTS]: bent sideways by two waves
 * and roughness, each tapered by sin(pi t) so that the edge leaves its
 * nodes within a narrow cone. */
static void edge(struct samplerng *r, struct xy a, struct xy b, struct xy *out)
{
	double dx = b.x - a.x, dy = b.y - a.y, len = hypot(dx, dy);
	double nx = -dy / len, ny = dx / len;
	double c1 = samplerng_range(r, -BEND1, BEND1), p1 = samplerng_range(r, 0, 2 * PI);
	double c2 = samplerng_range(r, -BEND2, BEND2), p2 = samplerng_range(r, 0, 2 * PI);
	out[0] = a;
	out[SEGMENTS] = b;
	for (int k = 1; k < SEGMENTS; k++) {
		double t = (double)k / SEGMENTS;
		double bend = c1 * sin(2 * PI * t + p1) + c2 * sin(4 * PI * t + p2) +
		              samplerng_range(r, -ROUGH, ROUGH);
		double off = len * sin(PI * t) * bend;
		out[k] = (struct xy){a.x + t * dx + off * nx, a.y + t * dy + off * ny};
	}
}

/* Appends the points of e (SEGMENTS + 1) but its last, forward or backward. */
static size_t append(double *ring, size_t n, const struct xy *e, int backward)
{
	for (int k = 0; k < SEGMENTS; k++) {
		const struct xy *p = &e[backward ? SEGMENTS - k : k];
		ring[2 * n] = p->x;
		ring[2 * n + 1] = p->y;
		n++;
	}
	return n;
}

int samplecity_layout(struct samplerng *r, int n, struct samplecity_district **out)
{
	if (n < 1 || n > SAMPLECITY_MAX_DISTRICTS)
		return err_set_field(ERR_INVALID, "districts",
		                     "sample: %d districts is outside 1 to %d", n,
		                     SAMPLECITY_MAX_DISTRICTS);
	int cols = (int)ceil(sqrt(n * CELL_H / CELL_W)), rows = (n + cols - 1) / cols;
	size_t n_nodes = (size_t)(cols + 1) * (size_t)(rows + 1), per = SEGMENTS + 1;
	struct xy *node = calloc(n_nodes, sizeof *node);
	/* Edges running east from node (i, j), then south from it. */
	struct xy *east = calloc(n_nodes * per, sizeof *east);
	struct xy *south = calloc(n_nodes * per, sizeof *south);
	struct samplecity_district *d = calloc((size_t)n, sizeof *d);
	long order[N_NAMES];
	int rc = 0;
	if (!node || !east || !south || !d) {
		rc = err_set(ERR_NOMEM, "sample: out of memory for the city");
		goto out;
	}
#define NODE(i, j) ((size_t)(j) * (size_t)(cols + 1) + (size_t)(i))
	for (int j = 0; j <= rows; j++)
		for (int i = 0; i <= cols; i++)
			node[NODE(i, j)] = (struct xy){
			    (i - cols / 2.0 + samplerng_range(r, -NODE_JITTER, NODE_JITTER)) *
			        CELL_W,
			    (rows / 2.0 - j + samplerng_range(r, -NODE_JITTER, NODE_JITTER)) *
			        CELL_H};
	for (int j = 0; j <= rows; j++)
		for (int i = 0; i <= cols; i++) {
			if (i < cols)
				edge(r, node[NODE(i, j)], node[NODE(i + 1, j)],
				     east + NODE(i, j) * per);
			if (j < rows)
				edge(r, node[NODE(i, j)], node[NODE(i, j + 1)],
				     south + NODE(i, j) * per);
		}
	samplerng_shuffle(r, order, N_NAMES);
	for (int k = 0; k < n; k++) {
		int i = k % cols, j = k / cols;
		struct samplecity_district *c = &d[k];
		snprintf(c->code, sizeof c->code, n < 100 ? "D%02d" : "D%03d", k + 1);
		snprintf(c->name, sizeof c->name, "%s%s", tiers[(size_t)k / N_NAMES],
		         names[order[(size_t)k % N_NAMES]]);
		c->cx = (node[NODE(i, j)].x + node[NODE(i + 1, j)].x + node[NODE(i, j + 1)].x +
		         node[NODE(i + 1, j + 1)].x) /
		        4;
		c->cy = (node[NODE(i, j)].y + node[NODE(i + 1, j)].y + node[NODE(i, j + 1)].y +
		         node[NODE(i + 1, j + 1)].y) /
		        4;
		if (!(c->ring = malloc((4 * SEGMENTS + 1) * 2 * sizeof *c->ring))) {
			rc = err_set(ERR_NOMEM, "sample: out of memory for the city");
			goto out;
		}
		/* Clockwise: the north edge east, the east edge south, the south
		 * edge west, the west edge north. */
		size_t m = append(c->ring, 0, east + NODE(i, j) * per, 0);
		m = append(c->ring, m, south + NODE(i + 1, j) * per, 0);
		m = append(c->ring, m, east + NODE(i, j + 1) * per, 1);
		m = append(c->ring, m, south + NODE(i, j) * per, 1);
		c->ring[2 * m] = c->ring[0];
		c->ring[2 * m + 1] = c->ring[1];
		c->n_ring = m + 1;
	}
#undef NODE
	*out = d;
	d = NULL;
out:
	samplecity_free(d, n);
	free(node);
	free(east);
	free(south);
	return rc;
}

void samplecity_free(struct samplecity_district *d, int n)
{
	if (!d)
		return;
	for (int k = 0; k < n; k++)
		free(d[k].ring);
	free(d);
}
