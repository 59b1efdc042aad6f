/*
 * changes: where and when the data changed, so that a tile's version moves
 * only when something within its reach changed.
 *
 * A grid of ~100 m cells over the district (Web Mercator metres) holds the
 * latest version at which an offence appeared, moved or vanished in each
 * cell; changes outside the district are kept in a short list. A tile asks
 * for the latest version inside its bounds padded by the heatmap bandwidth:
 * tiles far from every new offence keep their version, their cache entries
 * and their ETags.
 *
 * Threading: marks and queries may come from any thread.
 */
#ifndef POSBON_CHANGES_H
#define POSBON_CHANGES_H

typedef struct changes changes;

/* A grid over extent (minx, miny, maxx, maxy) whose versions start at base.
 * *out is new; free with changes_free(). */
int changes_new(const double extent[4], unsigned long base, changes **out);

void changes_free(changes *c);

/* Records a change at (x, y) at version v (versions only grow). */
void changes_mark(changes *c, double x, double y, unsigned long v);

/* The latest version of a change inside box (minx, miny, maxx, maxy), or
 * the base version when there was none. */
unsigned long changes_version(changes *c, const double box[4]);

#endif
