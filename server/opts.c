#include "opts.h"

#include "err.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void opts_help(FILE *f, const char *command, const char *usage, const char *summary,
               const struct opt *table)
{
	fprintf(f, "usage: posbon %s %s\n\n%s\n", command, usage, summary);
	if (table && table[0].name)
		fprintf(f, "\noptions:\n");
	for (const struct opt *o = table; o && o->name; o++) {
		char left[64];
		if (o->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name,
			         o->metavar ? " " : "", o->metavar ? o->metavar : "");
		else
			snprintf(left, sizeof left, "--%s%s%s", o->name, o->metavar ? " " : "",
			         o->metavar ? o->metavar : "");
		fprintf(f, "  %-26s %s", left, o->help);
		if ((o->type == OPT_LONG || o->type == OPT_DOUBLE) && o->min < o->max)
			fprintf(f, " (%g to %g)", o->min, o->max);
		if (o->type == OPT_LIST)
			fprintf(f, " (repeatable)");
		fputc('\n', f);
	}
	fprintf(f, "  %-26s %s\n", "--help", "show this help");
}

static int set_value(const struct opt *o, const char *value)
{
	char *end;
	switch (o->type) {
	case OPT_FLAG:
		*(int *)o->target = 1;
		return 0;
	case OPT_STRING:
		*(const char **)o->target = value;
		return 0;
	case OPT_LONG: {
		errno = 0;
		long v = strtol(value, &end, 10);
		if (errno || end == value || *end)
			return err_set(ERR_INVALID, "--%s: '%s' is not a whole number", o->name,
			               value);
		if (o->min < o->max && (v < o->min || v > o->max))
			return err_set(ERR_INVALID, "--%s: %ld is outside %g to %g", o->name, v,
			               o->min, o->max);
		*(long *)o->target = v;
		return 0;
	}
	case OPT_DOUBLE: {
		errno = 0;
		double v = strtod(value, &end);
		if (errno || end == value || *end || !isfinite(v))
			return err_set(ERR_INVALID, "--%s: '%s' is not a number", o->name, value);
		if (o->min < o->max && (v < o->min || v > o->max))
			return err_set(ERR_INVALID, "--%s: %g is outside %g to %g", o->name, v,
			               o->min, o->max);
		*(double *)o->target = v;
		return 0;
	}
	case OPT_LIST: {
		struct opt_list *l = o->target;
		if (l->n == OPT_LIST_MAX)
			return err_set(ERR_INVALID, "--%s: more than %d values", o->name,
			               OPT_LIST_MAX);
		l->items[l->n++] = value;
		return 0;
	}
	}
	return err_set(ERR_INVALID, "--%s: unknown option type", o->name);
}

int opts_parse(const char *command, const char *usage, const char *summary, const struct opt *table,
               int argc, char **argv, const char **positional, int max_positional,
               int *n_positional)
{
	int only_positional = 0;
	*n_positional = 0;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const struct opt *short_opt = NULL;
		if (!only_positional && arg[0] == '-' && arg[1] && arg[1] != '-' && !arg[2])
			for (const struct opt *o = table; o && o->name && !short_opt; o++)
				if (o->short_name == arg[1])
					short_opt = o;
		if (short_opt) {
			if (short_opt->type != OPT_FLAG && i + 1 >= argc)
				return err_set(ERR_INVALID, "-%c needs a value (%s)", arg[1],
				               short_opt->metavar ? short_opt->metavar : "value");
			int rc =
			    set_value(short_opt, short_opt->type == OPT_FLAG ? NULL : argv[++i]);
			if (rc < 0)
				return rc;
			continue;
		}
		if (only_positional || arg[0] != '-' || arg[1] != '-' || !arg[2]) {
			if (!only_positional && strcmp(arg, "--") == 0) {
				only_positional = 1;
				continue;
			}
			if (*n_positional == max_positional)
				return err_set(ERR_INVALID,
				               "unexpected argument '%s' (see posbon %s --help)",
				               arg, command);
			positional[(*n_positional)++] = arg;
			continue;
		}
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		if (len == 4 && strncmp(name, "help", 4) == 0) {
			opts_help(stdout, command, usage, summary, table);
			return 1;
		}
		const struct opt *o = table;
		while (o && o->name &&
		       !(strlen(o->name) == len && strncmp(o->name, name, len) == 0))
			o++;
		if (!o || !o->name)
			return err_set(ERR_INVALID, "unknown option --%.*s (see posbon %s --help)",
			               (int)len, name, command);
		const char *value = NULL;
		if (o->type != OPT_FLAG) {
			if (eq)
				value = eq + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else
				return err_set(ERR_INVALID, "--%s needs a value (%s)", o->name,
				               o->metavar ? o->metavar : "value");
		} else if (eq) {
			return err_set(ERR_INVALID, "--%s takes no value", o->name);
		}
		int rc = set_value(o, value);
		if (rc < 0)
			return rc;
	}
	return 0;
}
