/*
 * rtree: Sort-Tile-Recursive packing of boxes into the nodes of an R-tree.
 *
 * An R-tree built one insert at a time costs a descent and now and then a
 * split per box; rtree_pack() instead lays out the whole tree at once from
 * the boxes, level by level from the leaves, and hands each node, each
 * box's leaf and each node's parent to a sink that stores them (the
 * SpatiaLite backend writes SQLite's R*Tree shadow tables from them, see
 * gis-data/spl_rtree.c). Boxes are kept as 32-bit floats rounded outward,
 * as SQLite's R*Tree stores them, so that the packed tree finds every box
 * an insert-built one finds.
 *
 * Ownership: the entries are borrowed for the call; the cells handed to the
 * sink are borrowed for the one callback.
 * Threading: none of its own; the sink's calls come from the caller's thread.
 */
#ifndef POSBON_RTREE_H
#define POSBON_RTREE_H

#include <stddef.h>
#include <stdint.h>

/* One box to index under id. */
struct rtree_entry {
	int64_t id;
	double minx, maxx, miny, maxy;
};

/* A cell of a node: in a leaf an entry's id, above the number of a child
 * node; its box rounded outward to floats (minx, maxx, miny, maxy). */
struct rtree_cell {
	int64_t id;
	float box[4];
};

/* Where the packed tree goes, in this order: the leaves (node(), numbered
 * 2, 3, ... or 1 when one leaf is the whole tree), then every entry's leaf
 * (leaf(), by id), then each level above: its nodes, then the parent of
 * every node of the level below (parent(), by node number). The root is
 * node 1 and the last node; its depth is the tree's height above the
 * leaves, every other node's depth is 0. A nonzero return stops the packing
 * and is what rtree_pack() returns. */
struct rtree_sink {
	int (*node)(void *ctx, int64_t no, int depth, const struct rtree_cell *cells, size_t n);
	int (*leaf)(void *ctx, int64_t id, int64_t no);
	int (*parent)(void *ctx, int64_t no, int64_t parent);
};

/* Packs entries[0..n) into nodes of at most max_cells (>= 2) cells; every
 * node but the root holds at least half of that. No entries: one empty
 * leaf, the root. ERR_INVALID for a box with NaN or min > max, or an id
 * given twice (the message names it; the sink has had the leaves by then);
 * ERR_NOMEM; or the sink's return. */
int rtree_pack(const struct rtree_entry *entries, size_t n, size_t max_cells,
               const struct rtree_sink *sink, void *ctx);

#endif
