/*
 * rtree: Sort-Tile-Recursive packing (Leutenegger, Lopez and Edgington,
 * 1997): for P = ceil(n / M) nodes of at most M cells, sort the cells by the
 * x of their centres, cut them into ceil(sqrt(P)) vertical slices, sort each
 * slice by y and cut it into nodes; then do the same one level up with the
 * boxes of the nodes, until one node is left: the root. The cells are spread
 * evenly over the P nodes (sizes differ by at most one), so every node but
 * the root is at least half full, and later inserts and deletes work on an
 * ordinary tree. The root is node 1; the others are numbered from 2 up,
 * level by level from the leaves, so that a sink storing nodes by number
 * writes in key order.
 *
 * Expected workload: a whole spatial index of up to millions of points at
 * once. Memory: 24 bytes per entry; time: two sorts of the entries.
 */
#include "rtree.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rounding of a double coordinate to a float that does not shrink the box:
 * the constants and steps of rtree.c's rtreeValueDown()/rtreeValueUp(), so
 * that a loaded entry is bit for bit what an INSERT would have stored. */
#define RND_TOWARDS (1.0 - 1.0 / 8388608.0)
#define RND_AWAY    (1.0 + 1.0 / 8388608.0)

static float round_down(double d)
{
	float f = (float)d;
	if (f > d)
		f = (float)(d * (d < 0 ? RND_AWAY : RND_TOWARDS));
	return f;
}

static float round_up(double d)
{
	float f = (float)d;
	if (f < d)
		f = (float)(d * (d < 0 ? RND_TOWARDS : RND_AWAY));
	return f;
}

/* Twice the centre of a cell on an axis (0 = x, 1 = y); never NaN, so that
 * the sorts below see a total order even for a box from -inf to +inf. */
static double centre(const struct rtree_cell *c, int axis)
{
	double v = (double)c->box[2 * axis] + (double)c->box[2 * axis + 1];
	return isnan(v) ? 0 : v;
}

static int cmp_axis(const void *pa, const void *pb, int axis)
{
	const struct rtree_cell *a = pa, *b = pb;
	double ca = centre(a, axis), cb = centre(b, axis);
	if (ca != cb)
		return ca < cb ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

static int cmp_x(const void *a, const void *b)
{
	return cmp_axis(a, b, 0);
}

static int cmp_y(const void *a, const void *b)
{
	return cmp_axis(a, b, 1);
}

static int cmp_id(const void *pa, const void *pb)
{
	const struct rtree_cell *a = pa, *b = pb;
	return (a->id > b->id) - (a->id < b->id);
}

/* Index of the first of the cells of node i when n cells are spread evenly
 * over nodes nodes: the first n % nodes nodes take one cell more. */
static size_t node_start(size_t i, size_t n, size_t nodes)
{
	return i * (n / nodes) + (i < n % nodes ? i : n % nodes);
}

/* Orders c[0..n) by Sort-Tile-Recursive so that node i of nodes takes the
 * cells from node_start(i) to node_start(i + 1). */
static void str_order(struct rtree_cell *c, size_t n, size_t nodes)
{
	size_t slices = (size_t)ceil(sqrt((double)nodes));
	size_t node = 0;
	qsort(c, n, sizeof *c, cmp_x);
	for (size_t s = 0; s < slices; s++) {
		size_t k = nodes / slices + (s < nodes % slices);
		size_t from = node_start(node, n, nodes), to = node_start(node + k, n, nodes);
		qsort(c + from, to - from, sizeof *c, cmp_y);
		node += k;
	}
}

/* A leaf cell, once its leaf is handed out, keeps the leaf's number in
 * place of its box, so that the entries' leaves need no array of their own. */
static void set_node(struct rtree_cell *c, int64_t no)
{
	memcpy(c->box, &no, sizeof no);
}

static int64_t node_of(const struct rtree_cell *c)
{
	int64_t no;
	memcpy(&no, c->box, sizeof no);
	return no;
}

/* Hands out node no holding c[0..count), and returns the box of its cells
 * in box. */
static int put_node(const struct rtree_sink *sink, void *ctx, int64_t no, int depth,
                    const struct rtree_cell *c, size_t count, float box[4])
{
	box[0] = box[2] = INFINITY;
	box[1] = box[3] = -INFINITY;
	for (size_t i = 0; i < count; i++) {
		box[0] = fminf(box[0], c[i].box[0]);
		box[1] = fmaxf(box[1], c[i].box[1]);
		box[2] = fminf(box[2], c[i].box[2]);
		box[3] = fmaxf(box[3], c[i].box[3]);
	}
	return sink->node(ctx, no, depth, c, count);
}

/* Hands out the leaves of cells[0..n), which are in STR order, as nodes 2..
 * (node 1 when one leaf is all), their boxes into up[], then every entry's
 * leaf. Leaves cells sorted by id. *next_no is the next free number. */
static int pack_leaves(const struct rtree_sink *sink, void *ctx, struct rtree_cell *cells, size_t n,
                       size_t leaves, struct rtree_cell *up, int64_t *next_no)
{
	int rc;
	for (size_t i = 0; i < leaves; i++) {
		size_t from = node_start(i, n, leaves), to = node_start(i + 1, n, leaves);
		int64_t no = leaves == 1 ? 1 : (*next_no)++;
		if ((rc = put_node(sink, ctx, no, 0, cells + from, to - from, up[i].box)) != 0)
			return rc;
		up[i].id = no;
		for (size_t j = from; j < to; j++)
			set_node(&cells[j], no);
	}
	qsort(cells, n, sizeof *cells, cmp_id);
	for (size_t j = 0; j < n; j++) {
		if (j && cells[j].id == cells[j - 1].id)
			return err_set_field(ERR_INVALID, "rtree", "rtree: id %lld is given twice",
			                     (long long)cells[j].id);
		if ((rc = sink->leaf(ctx, cells[j].id, node_of(&cells[j]))) != 0)
			return rc;
	}
	return 0;
}

/* Builds and hands out the levels above the leaves: level[0..count) are the
 * boxes of the nodes below, numbered *next_no - count.. upwards; spare has
 * room for ceil(count / m) cells and parent for count numbers. */
static int pack_upper(const struct rtree_sink *sink, void *ctx, struct rtree_cell *level,
                      size_t count, struct rtree_cell *spare, int64_t *parent, size_t m,
                      int64_t *next_no)
{
	int rc, depth = 0;
	while (count > 1) {
		size_t nodes = (count + m - 1) / m;
		int64_t first_child = *next_no - (int64_t)count;
		depth++;
		if (nodes > 1)
			str_order(level, count, nodes);
		for (size_t i = 0; i < nodes; i++) {
			size_t from = node_start(i, count, nodes),
			       to = node_start(i + 1, count, nodes);
			int64_t no = nodes == 1 ? 1 : (*next_no)++;
			rc = put_node(sink, ctx, no, nodes == 1 ? depth : 0, level + from,
			              to - from, spare[i].box);
			if (rc != 0)
				return rc;
			spare[i].id = no;
			for (size_t j = from; j < to; j++)
				parent[level[j].id - first_child] = no;
		}
		for (size_t j = 0; j < count; j++)
			if ((rc = sink->parent(ctx, first_child + (int64_t)j, parent[j])) != 0)
				return rc;
		struct rtree_cell *t = level;
		level = spare;
		spare = t;
		count = nodes;
	}
	return 0;
}

int rtree_pack(const struct rtree_entry *entries, size_t n, size_t m, const struct rtree_sink *sink,
               void *ctx)
{
	struct rtree_cell *cells = NULL, *up = NULL;
	int64_t *parent = NULL;
	int rc = 0;
	if (m < 2)
		return err_set_field(ERR_INVALID, "rtree", "rtree: nodes of %zu cells", m);
	size_t leaves = n ? (n + m - 1) / m : 1;
	if (n > SIZE_MAX / sizeof *cells)
		return err_set(ERR_NOMEM, "rtree: %zu entries are too many", n);
	cells = malloc((n ? n : 1) * sizeof *cells);
	up = malloc(leaves * sizeof *up);
	parent = malloc(leaves * sizeof *parent);
	if (!cells || !up || !parent) {
		rc = err_set(ERR_NOMEM, "rtree: out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct rtree_entry *e = &entries[i];
		if (!(e->minx <= e->maxx && e->miny <= e->maxy)) {
			rc = err_set_field(
			    ERR_INVALID, "rtree",
			    "rtree: entry %zu (id %lld): box (%g %g, %g %g) is empty or not "
			    "a number",
			    i, (long long)e->id, e->minx, e->miny, e->maxx, e->maxy);
			goto out;
		}
		cells[i].id = e->id;
		cells[i].box[0] = round_down(e->minx);
		cells[i].box[1] = round_up(e->maxx);
		cells[i].box[2] = round_down(e->miny);
		cells[i].box[3] = round_up(e->maxy);
	}
	if (leaves > 1)
		str_order(cells, n, leaves);
	int64_t next_no = 2;
	if ((rc = pack_leaves(sink, ctx, cells, n, leaves, up, &next_no)) == 0)
		rc = pack_upper(sink, ctx, up, leaves, cells, parent, m, &next_no);
out:
	free(cells);
	free(up);
	free(parent);
	return rc;
}
