/*
 * samplerng: the random numbers of the sample generator (sample.h,
 * samplecity.h): xoshiro256** seeded through splitmix64, and the draws the
 * generator makes from it.
 *
 * The generated data is a function of the seed and of the order of the
 * draws, so every draw here is defined exactly (no library rand(), no
 * platform-dependent distribution code) and the same build gives the same
 * numbers on every host.
 *
 * Threading: a generator is a plain value; one thread at a time.
 */
#ifndef POSBON_SAMPLERNG_H
#define POSBON_SAMPLERNG_H

#include <stddef.h>
#include <stdint.h>

struct samplerng {
	uint64_t s[4];
};

/* splitmix64: advances *x and returns its next output (also a good hash of
 * a 64-bit key). */
uint64_t samplerng_splitmix64(uint64_t *x);

void samplerng_seed(struct samplerng *r, uint64_t seed);

/* The next 64 random bits (xoshiro256**). */
uint64_t samplerng_next(struct samplerng *r);

/* Uniform in [0, 1). */
double samplerng_uniform(struct samplerng *r);

/* Uniform in [lo, hi). */
double samplerng_range(struct samplerng *r, double lo, double hi);

/* Uniform in [0, n), n > 0. */
long samplerng_below(struct samplerng *r, long n);

/* 1 with probability p. */
int samplerng_chance(struct samplerng *r, double p);

/* Standard normal (Box-Muller, two uniforms a draw). */
double samplerng_gauss(struct samplerng *r);

double samplerng_exponential(struct samplerng *r, double mean);

/* Index drawn with the weights w[0..n), whose sum is positive. */
size_t samplerng_pick(struct samplerng *r, const unsigned *w, size_t n);

/* order[0..n) set to 0..n-1 in an order drawn at random (Fisher-Yates). */
void samplerng_shuffle(struct samplerng *r, long *order, size_t n);

/* Turns weights into running sums in place, for samplerng_pick_cumulated(). */
void samplerng_cumulate(double *w, size_t n);

/* Index drawn from running sums c[0..n) (see samplerng_cumulate()). */
size_t samplerng_pick_cumulated(struct samplerng *r, const double *c, size_t n);

#endif
