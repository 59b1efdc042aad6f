/*
 * samplenames: the names the sample generator (sample.h) gives, and their
 * Uzbek Cyrillic spelling: mahallas (whose names also name the ground's
 * streets and places, sampleground.h) and people, the mahallas' prevention
 * inspectors. Names are Uzbek Latin, oʻ and gʻ written with U+02BB.
 *
 * Threading: constant tables; any thread (a person's draws are the
 * caller's generator's).
 */
#ifndef POSBON_SAMPLENAMES_H
#define POSBON_SAMPLENAMES_H

#include "samplerng.h"

#include <stddef.h>

#define SAMPLENAMES_PLACES 52

/* Names of mahallas, and of the streets and places named after them. */
extern const char *const samplenames_places[SAMPLENAMES_PLACES];

/* A person's name drawn from r into out (n bytes): "Surname Firstname", a
 * woman (surname in -a) one time in four. */
void samplenames_person(struct samplerng *r, char *out, size_t n);

/* The Uzbek Cyrillic spelling of a Latin name into out (cap bytes,
 * truncated at a whole letter); other characters are copied. */
void samplenames_cyrillic(const char *latin, char *out, size_t cap);

#endif
