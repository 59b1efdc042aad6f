#include "samplerng.h"

#include <math.h>

#define PI 3.14159265358979323846

uint64_t samplerng_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void samplerng_seed(struct samplerng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = samplerng_splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t samplerng_next(struct samplerng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double samplerng_uniform(struct samplerng *r)
{
	return (double)(samplerng_next(r) >> 11) * 0x1.0p-53;
}

double samplerng_range(struct samplerng *r, double lo, double hi)
{
	return lo + (hi - lo) * samplerng_uniform(r);
}

long samplerng_below(struct samplerng *r, long n)
{
	return (long)(samplerng_uniform(r) * (double)n);
}

int samplerng_chance(struct samplerng *r, double p)
{
	return samplerng_uniform(r) < p;
}

double samplerng_gauss(struct samplerng *r)
{
	double u = 1.0 - samplerng_uniform(r);
	return sqrt(-2.0 * log(u)) * cos(2 * PI * samplerng_uniform(r));
}

double samplerng_exponential(struct samplerng *r, double mean)
{
	return -mean * log(1.0 - samplerng_uniform(r));
}

size_t samplerng_pick(struct samplerng *r, const unsigned *w, size_t n)
{
	unsigned total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	unsigned x = (unsigned)samplerng_below(r, total);
	size_t i = 0;
	while (x >= w[i])
		x -= w[i++];
	return i;
}

void samplerng_shuffle(struct samplerng *r, long *order, size_t n)
{
	for (size_t i = 0; i < n; i++)
		order[i] = (long)i;
	for (long i = (long)n - 1; i > 0; i--) {
		long j = samplerng_below(r, i + 1), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

void samplerng_cumulate(double *w, size_t n)
{
	for (size_t i = 1; i < n; i++)
		w[i] += w[i - 1];
}

size_t samplerng_pick_cumulated(struct samplerng *r, const double *c, size_t n)
{
	double x = samplerng_uniform(r) * c[n - 1];
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}
