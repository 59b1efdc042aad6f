/*
 * numtext: numbers read from outside text (query arguments, options, config
 * files, lists such as a bounding box) for every caller, so that one place
 * refuses what no caller can use: infinities, NaN, numbers beyond double's
 * range or below its normal range, and text around the number. Whatever a
 * caller then converts to an integer has passed its bounds here.
 *
 * Stateless and thread-safe; messages go through err_set() (per thread).
 */
#ifndef POSBON_NUMTEXT_H
#define POSBON_NUMTEXT_H

/* Reads one finite number at *p in C's strtod syntax, without leading
 * spaces, and moves *p past it. ERR_INVALID without a message (the caller
 * names the list it reads) when there is none. */
int numtext_next(const char **p, double *out);

/* Reads text, the whole of it, as exactly n finite numbers separated by
 * sep ("minx,miny,maxx,maxy" with ',') into out[0..n). ERR_INVALID without
 * a message when it is not. */
int numtext_list(const char *text, char sep, double *out, int n);

/* Reads text, the whole of it, as one finite number from min to max into
 * *out. ERR_INVALID with the message "NAME: 'TEXT' is not WHAT from MIN to
 * MAX" (what: "a number of metres"), NULL text included. */
int numtext_parse(const char *name, const char *text, double min, double max, const char *what,
                  double *out);

/* The same for a whole number from min to max (at most 2^53 either way). */
int numtext_whole(const char *name, const char *text, long min, long max, const char *what,
                  long *out);

#endif
