#include "numtext.h"

#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#define WHOLE_MAX 9007199254740992.0 /* 2^53 */

int numtext_next(const char **p, double *out)
{
	char *end;
	/* strtod skips spaces: "1, 2" is not a list of numbers. */
	if (!*p || !**p || isspace((unsigned char)**p))
		return ERR_INVALID;
	errno = 0;
	double v = strtod(*p, &end);
	/* ERANGE: past double's range (±HUGE_VAL) or below its normal range,
	 * where 1e-320 keeps a few bits. */
	if (end == *p || errno == ERANGE || !isfinite(v))
		return ERR_INVALID;
	*p = end;
	*out = v;
	return 0;
}

int numtext_list(const char *text, char sep, double *out, int n)
{
	const char *p = text;
	for (int k = 0; k < n; k++)
		if ((k && *p++ != sep) || numtext_next(&p, &out[k]) < 0)
			return ERR_INVALID;
	return *p ? ERR_INVALID : 0;
}

/* The whole of text as one finite number within [min, max]. */
static int whole_text(const char *text, double min, double max, double *out)
{
	const char *p = text;
	double v;
	if (numtext_next(&p, &v) < 0 || *p || !(v >= min && v <= max))
		return ERR_INVALID;
	*out = v;
	return 0;
}

int numtext_parse(const char *name, const char *text, double min, double max, const char *what,
                  double *out)
{
	if (whole_text(text, min, max, out) < 0)
		return err_set_field(ERR_INVALID, name, "%s: '%s' is not %s from %g to %g", name,
		                     text ? text : "", what, min, max);
	return 0;
}

int numtext_whole(const char *name, const char *text, long min, long max, const char *what,
                  long *out)
{
	double v;
	/* The bounds keep the conversion below defined; doubles hold every
	 * whole number up to 2^53. */
	if (whole_text(text, fmax((double)min, -WHOLE_MAX), fmin((double)max, WHOLE_MAX), &v) < 0 ||
	    v != floor(v))
		return err_set_field(ERR_INVALID, name, "%s: '%s' is not %s from %ld to %ld", name,
		                     text ? text : "", what, min, max);
	*out = (long)v;
	return 0;
}
