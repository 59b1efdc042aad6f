/*
 * rank: order statistics of arrays of numbers without sorting them.
 *
 * Threading: the functions touch only the arrays they are given.
 */
#ifndef POSBON_RANK_H
#define POSBON_RANK_H

#include <stddef.h>

/* The k-th smallest (k from 0, k < n) of v[0 .. n) in expected O(n);
 * reorders v. */
double rank_kth_smallest(double *v, size_t n, size_t k);

#endif
