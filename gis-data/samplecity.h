/*
 * samplecity: the layout of a generated city, for the sample generator
 * (sample.h) when it makes more than one district.
 *
 * The districts lie side by side on a near-square grid of cells about the
 * size of the one sample district (7 × 5.5 km), filled row by row from the
 * north-west. The grid's nodes are moved at random and its edges bent by a
 * few harmonics that vanish at the nodes; each edge is drawn once and
 * shared by the two districts it separates, point for point, so that the
 * districts tile the city without gaps or overlaps (a point is placed in a
 * district by point-in-polygon). The bends are small enough that every
 * outline stays simple. Names are Uzbek place names, with "Yangi", "Eski",
 * "Yuqori" and "Quyi" before them once the list runs out.
 *
 * Coordinates are metres east and north of the city's centre, the sample's
 * frame. Every draw comes from the caller's generator, in a fixed order.
 *
 * Threading: none of its own; the caller's generator and thread.
 */
#ifndef POSBON_SAMPLECITY_H
#define POSBON_SAMPLECITY_H

#include "samplerng.h"

#include <stddef.h>

#define SAMPLECITY_MAX_DISTRICTS 250

struct samplecity_district {
	char code[8];  /* "D07"; "D007" in a city of a hundred districts or more */
	char name[64]; /* Uzbek Latin, without "tumani" */
	double cx, cy; /* a point well inside: the mean of its cell's corners */
	double *ring;  /* n_ring x, y pairs of the outline, closed (first = last) */
	size_t n_ring;
};

/* Lays out n districts (1 to SAMPLECITY_MAX_DISTRICTS) into a new array
 * *out of n, drawing from r; free it with samplecity_free(). ERR_INVALID
 * for n out of bounds, ERR_NOMEM. */
int samplecity_layout(struct samplerng *r, int n, struct samplecity_district **out);

/* Frees the array of n districts and their rings; NULL is fine. */
void samplecity_free(struct samplecity_district *d, int n);

#endif
