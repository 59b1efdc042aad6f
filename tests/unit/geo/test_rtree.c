/* rtree: the packed tree, as a sink records it, is a whole R-tree: every
 * entry in exactly one leaf, every node but the root at least half full,
 * each node's cells inside the box its parent holds for it, nodes numbered
 * level by level with the root 1, boxes rounded outward to floats; and bad
 * boxes and repeated ids are refused. */
#include "testutil.h"

#include "err.h"
#include "rtree.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NODES 512
#define M         8

/* What the sink was handed. */
struct tree {
	int64_t n_nodes, order[MAX_NODES]; /* node numbers in the order handed out */
	int depth[MAX_NODES];
	size_t count[MAX_NODES];
	struct rtree_cell cells[MAX_NODES][M];
	int64_t parent[MAX_NODES]; /* 0: none handed out */
	int64_t *leaf_of;          /* by entry id */
	int64_t last_leaf_id, last_parent;
	size_t n_leaf_calls;
	int stop_after; /* node() returns 1 at this node call; 0: never */
};

static int on_node(void *ctx, int64_t no, int depth, const struct rtree_cell *c, size_t n)
{
	struct tree *t = ctx;
	assert_true(no >= 1 && no < MAX_NODES);
	assert_true(n <= M);
	assert_int_equal(t->count[no], 0); /* each number once */
	t->order[t->n_nodes++] = no;
	t->depth[no] = depth;
	t->count[no] = n;
	memcpy(t->cells[no], c, n * sizeof *c);
	return t->stop_after && t->n_nodes == t->stop_after;
}

static int on_leaf(void *ctx, int64_t id, int64_t no)
{
	struct tree *t = ctx;
	assert_true(id > t->last_leaf_id); /* by id */
	t->last_leaf_id = id;
	t->leaf_of[id] = no;
	t->n_leaf_calls++;
	return 0;
}

static int on_parent(void *ctx, int64_t no, int64_t parent)
{
	struct tree *t = ctx;
	assert_true(no > t->last_parent); /* by number */
	t->last_parent = no;
	assert_true(no > 1 && parent >= 1);
	t->parent[no] = parent;
	return 0;
}

static const struct rtree_sink sink = {on_node, on_leaf, on_parent};

/* Entries n..1, boxes of up to size scattered over the unit square by
 * multiplicative hashing (points for size 0). */
static struct rtree_entry *make_entries(size_t n, double size)
{
	struct rtree_entry *e = calloc(n + 1, sizeof *e);
	for (size_t i = 0; i < n; i++) {
		double x = (double)(i * 7919 % 1009) / 1009, y = (double)(i * 104729 % 1013) / 1013,
		       w = size * (double)(i % 7) / 7, h = size * (double)(i % 5) / 5;
		e[i] = (struct rtree_entry){(int64_t)(n - i), x, x + w, y, y + h};
	}
	return e;
}

/* Whether box a (of floats) holds box b. */
static int holds(const float a[4], const float b[4])
{
	return a[0] <= b[0] && a[1] >= b[1] && a[2] <= b[2] && a[3] >= b[3];
}

/* The box of node no's cells. */
static void node_box(const struct tree *t, int64_t no, float box[4])
{
	box[0] = box[2] = INFINITY;
	box[1] = box[3] = -INFINITY;
	for (size_t i = 0; i < t->count[no]; i++) {
		box[0] = fminf(box[0], t->cells[no][i].box[0]);
		box[1] = fmaxf(box[1], t->cells[no][i].box[1]);
		box[2] = fminf(box[2], t->cells[no][i].box[2]);
		box[3] = fmaxf(box[3], t->cells[no][i].box[3]);
	}
}

static void pack_and_check(size_t n, double size)
{
	struct rtree_entry *e = make_entries(n, size);
	struct tree *t = calloc(1, sizeof *t);
	t->leaf_of = calloc(n + 1, sizeof *t->leaf_of);
	assert_int_equal(rtree_pack(e, n, M, &sink, t), 0);

	/* The root is 1 and comes last; the others are 2.. in the order given. */
	assert_int_equal(t->order[t->n_nodes - 1], 1);
	for (int64_t i = 0; i + 1 < t->n_nodes; i++)
		assert_int_equal(t->order[i], i + 2);
	assert_int_equal(t->n_leaf_calls, n);
	int height = t->depth[1];
	for (int64_t no = 2; no <= t->n_nodes; no++) {
		assert_int_equal(t->depth[no], 0);
		assert_true(t->count[no] >= M / 2); /* half full */
		/* The parent holds this node's number and a box around its cells. */
		int64_t p = t->parent[no];
		float box[4];
		size_t k;
		assert_true(p >= 1 && p != no);
		for (k = 0; k < t->count[p] && t->cells[p][k].id != no; k++)
			;
		assert_true(k < t->count[p]);
		node_box(t, no, box);
		assert_memory_equal(t->cells[p][k].box, box, sizeof box);
	}
	assert_int_equal(t->parent[1], 0);
	/* Every entry sits in its leaf, at the leaf's depth, its box rounded
	 * outward. */
	for (size_t i = 0; i < n; i++) {
		int64_t no = t->leaf_of[e[i].id], up = no;
		int levels = 0;
		size_t k;
		for (k = 0; k < t->count[no] && t->cells[no][k].id != e[i].id; k++)
			;
		assert_true(k < t->count[no]);
		const float *b = t->cells[no][k].box;
		assert_true(b[0] <= e[i].minx && b[1] >= e[i].maxx && b[2] <= e[i].miny &&
		            b[3] >= e[i].maxy);
		assert_true(e[i].minx - b[0] < 1e-6 && b[1] - e[i].maxx < 1e-6);
		while (up != 1) {
			float box[4];
			node_box(t, up, box);
			assert_true(holds(box, b));
			up = t->parent[up];
			levels++;
		}
		assert_int_equal(levels, height);
	}
	free(t->leaf_of);
	free(t);
	free(e);
}

static void test_empty(void **state)
{
	(void)state;
	pack_and_check(0, 0);
}

static void test_one_leaf(void **state)
{
	(void)state;
	pack_and_check(1, 0);
	pack_and_check(M, 0.1);
}

static void test_levels(void **state)
{
	(void)state;
	pack_and_check(M + 1, 0);     /* two leaves and a root */
	pack_and_check(M * M + 1, 0); /* three levels */
	pack_and_check(1000, 0.01);
}

static void test_refused(void **state)
{
	(void)state;
	struct tree *t = calloc(1, sizeof *t);
	int64_t leaf_of[4];
	t->leaf_of = leaf_of;
	struct rtree_entry bad[3] = {{1, 0, 1, 0, 1}, {2, 1, 0, 0, 1}, {3, 0, 1, 0, 1}};
	assert_int_equal(rtree_pack(bad, 3, M, &sink, t), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "id 2"));
	assert_int_equal(t->n_nodes, 0); /* a bad box is found before any node */
	bad[1] = (struct rtree_entry){2, NAN, 1, 0, 1};
	assert_int_equal(rtree_pack(bad, 3, M, &sink, t), ERR_INVALID);
	bad[1] = (struct rtree_entry){3, 0, 1, 0, 1};
	assert_int_equal(rtree_pack(bad, 3, M, &sink, t), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "given twice"));
	free(t);
}

static void test_sink_stops(void **state)
{
	(void)state;
	struct rtree_entry *e = make_entries(100, 0);
	struct tree *t = calloc(1, sizeof *t);
	t->leaf_of = calloc(101, sizeof *t->leaf_of);
	t->stop_after = 3;
	assert_int_equal(rtree_pack(e, 100, M, &sink, t), 1);
	assert_int_equal(t->n_nodes, 3);
	free(t->leaf_of);
	free(t);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),      cmocka_unit_test(test_one_leaf),
	    cmocka_unit_test(test_levels),     cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_sink_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
