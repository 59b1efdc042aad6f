#include "opts.h"

#include "err.h"
#include "numtext.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A bound as people write it: 20000000 as "20,000,000", not "2e+07". */
static void write_number(FILE *f, double v)
{
	if (v != floor(v) || fabs(v) >= 1e15) {
		fprintf(f, "%g", v);
		return;
	}
	char digits[32];
	int n = snprintf(digits, sizeof digits, "%.0f", fabs(v));
	if (v < 0)
		fputc('-', f);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			fputc(',', f);
		fputc(digits[i], f);
	}
}

/* What the help text leaves out: the bounds, "repeatable". */
static void write_bounds(FILE *f, const struct opt *o)
{
	if ((o->type == OPT_LONG || o->type == OPT_DOUBLE) && o->min < o->max) {
		fputs(" (", f);
		write_number(f, o->min);
		fputs(" to ", f);
		write_number(f, o->max);
		fputc(')', f);
	}
	if (o->type == OPT_LIST)
		fprintf(f, " (repeatable)");
	if (o->type == OPT_COMMAS)
		fprintf(f, " (repeatable, or a comma list)");
}

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
		write_bounds(f, o);
		fputc('\n', f);
	}
	fprintf(f, "  %-26s %s\n", "--help", "show this help");
}

/* Values read from config files, and the items of comma lists, live as
 * long as the program, as argv does: they are copied into this arena. */
static char file_values[16384];
static size_t file_values_used;

/* A copy of the n bytes at value, NUL-terminated, in the arena; NULL when
 * it is full. */
static char *keep_value(const char *value, size_t n)
{
	if (file_values_used + n + 1 > sizeof file_values)
		return NULL;
	char *copy = memcpy(file_values + file_values_used, value, n);
	copy[n] = '\0';
	file_values_used += n + 1;
	return copy;
}

/* Appends value to o's list. */
static int list_add(const struct opt *o, const char *value)
{
	struct opt_list *l = o->target;
	if (l->n == OPT_LIST_MAX)
		return err_set(ERR_INVALID, "--%s: more than %d values", o->name, OPT_LIST_MAX);
	l->items[l->n++] = value;
	return 0;
}

/* Appends the items of the comma list value to o's list. */
static int list_add_commas(const struct opt *o, const char *value)
{
	int rc = 0;
	for (const char *p = value; rc == 0 && *p;) {
		size_t n = strcspn(p, ",");
		const char *start = p, *end = p + n;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > start) {
			char *item = keep_value(start, (size_t)(end - start));
			rc = item ? list_add(o, item)
			          : err_set(ERR_INVALID, "--%s: too much text in the options",
			                    o->name);
		}
		p += n + (p[n] == ',');
	}
	return rc;
}

static int set_value(const struct opt *o, const char *value)
{
	char name[64];
	snprintf(name, sizeof name, "--%s", o->name);
	switch (o->type) {
	case OPT_FLAG:
		*(int *)o->target = 1;
		return 0;
	case OPT_STRING:
		*(const char **)o->target = value;
		return 0;
	case OPT_LONG: {
		long v;
		if (numtext_whole(name, value, o->min < o->max ? (long)o->min : LONG_MIN,
		                  o->min < o->max ? (long)o->max : LONG_MAX, "a whole number",
		                  &v) < 0)
			return ERR_INVALID;
		*(long *)o->target = v;
		return 0;
	}
	case OPT_DOUBLE: {
		double v;
		if (numtext_parse(name, value, o->min < o->max ? o->min : -DBL_MAX,
		                  o->min < o->max ? o->max : DBL_MAX, "a number", &v) < 0)
			return ERR_INVALID;
		*(double *)o->target = v;
		return 0;
	}
	case OPT_LIST:
		return list_add(o, value);
	case OPT_COMMAS:
		return list_add_commas(o, value);
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
		if (len == 8 && strncmp(name, "help-man", 8) == 0) {
			opts_write_man(stdout, command, usage, summary, table);
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

/* Reads one "name = value" line (cut at '#') into its option: 0 for a set
 * or empty line, or an error naming "path:line". *set is the option set. */
static int load_line(const char *path, int lineno, char *line, const struct opt *table,
                     const struct opt **set)
{
	char *p = line, *hash = strchr(line, '#');
	*set = NULL;
	if (hash)
		*hash = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	size_t len = strlen(p);
	while (len && strchr(" \t\r\n", p[len - 1]))
		p[--len] = '\0';
	if (!*p)
		return 0;
	char *eq = strchr(p, '=');
	if (!eq)
		return err_set(ERR_INVALID, "%s:%d: expected name = value", path, lineno);
	char *name_end = eq;
	while (name_end > p && (name_end[-1] == ' ' || name_end[-1] == '\t'))
		name_end--;
	*name_end = '\0';
	char *value = eq + 1;
	while (*value == ' ' || *value == '\t')
		value++;
	const struct opt *o = table;
	while (o->name && strcmp(o->name, p) != 0)
		o++;
	if (!o->name)
		return err_set(ERR_INVALID, "%s:%d: unknown option '%s'", path, lineno, p);

	if (o->type == OPT_FLAG) {
		if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
			return err_set(ERR_INVALID, "%s:%d: %s takes true or false", path, lineno,
			               o->name);
		*(int *)o->target = strcmp(value, "true") == 0;
		*set = o;
		return 0;
	}
	char *copy = keep_value(value, strlen(value));
	if (!copy)
		return err_set(ERR_INVALID, "%s:%d: the config file holds too much text", path,
		               lineno);
	if (set_value(o, copy) < 0)
		return err_set(ERR_INVALID, "%s:%d: %s", path, lineno, err_msg());
	*set = o;
	return 0;
}

/* Reads the file: stops at the first problem without a report, else
 * writes each to it and counts them. */
static int load(const char *path, const struct opt *table, opts_file_check check, void *ctx,
                FILE *report)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0, problems = 0;
	if (!f)
		return err_set(ERR_IO, "%s: cannot read the config file", path);
	while (fgets(line, sizeof line, f)) {
		const struct opt *o;
		int rc = load_line(path, ++lineno, line, table, &o);
		if (rc == 0 && o && check && (rc = check(ctx, o, lineno)) < 0)
			rc = err_set(rc, "%s:%d: %s", path, lineno, err_msg());
		if (rc < 0 && !report) {
			fclose(f);
			return rc;
		}
		if (rc < 0) {
			fprintf(report, "%s\n", err_msg());
			problems++;
		}
	}
	fclose(f);
	return problems;
}

int opts_load_file(const char *path, const struct opt *table)
{
	int rc = load(path, table, NULL, NULL, NULL);
	return rc < 0 ? rc : 0;
}

int opts_check_file(const char *path, const struct opt *table, opts_file_check check, void *ctx,
                    FILE *report)
{
	return load(path, table, check, ctx, report);
}

void opts_write_config(FILE *f, const char *command, const struct opt *table)
{
	fprintf(f,
	        "# posbon %s configuration: one \"name = value\" a line; the command\n"
	        "# line overrides the file. Remove the '#' of a line to set it.\n",
	        command);
	for (const struct opt *o = table; o->name; o++) {
		fprintf(f, "\n# %s", o->help);
		write_bounds(f, o);
		fputc('\n', f);
		switch (o->type) {
		case OPT_FLAG:
			fprintf(f, "#%s = %s\n", o->name, *(int *)o->target ? "true" : "false");
			break;
		case OPT_STRING: {
			const char *v = *(const char **)o->target;
			fprintf(f, "#%s = %s\n", o->name, v ? v : "");
			break;
		}
		case OPT_LONG:
			fprintf(f, "#%s = %ld\n", o->name, *(long *)o->target);
			break;
		case OPT_DOUBLE:
			fprintf(f, "#%s = %g\n", o->name, *(double *)o->target);
			break;
		case OPT_LIST:
		case OPT_COMMAS:
			fprintf(f, "#%s = \n", o->name);
			break;
		}
	}
}

/* Text as roff: '-' a minus sign (options are typed), '\\' escaped, a line
 * break kept, and no line taken for a request by its first character. */
static void man_text(FILE *f, const char *s)
{
	int line_start = 1;
	for (; *s; s++) {
		if (line_start && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		line_start = 0;
		if (*s == '-')
			fputs("\\-", f);
		else if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '\n') {
			fputs("\n.br\n", f);
			line_start = 1;
		} else
			fputc(*s, f);
	}
}

void opts_write_man(FILE *f, const char *command, const char *usage, const char *summary,
                    const struct opt *table)
{
	fputs(".SS \"", f);
	man_text(f, command);
	fputs("\"\n.B posbon ", f);
	man_text(f, command);
	fputc(' ', f);
	man_text(f, usage);
	fputs("\n.PP\n", f);
	man_text(f, summary);
	fputc('\n', f);
	for (const struct opt *o = table; o && o->name; o++) {
		fputs(".TP\n", f);
		if (o->short_name)
			fprintf(f, "\\fB\\-%c\\fR, ", o->short_name);
		fputs("\\fB\\-\\-", f);
		man_text(f, o->name);
		fputs("\\fR", f);
		if (o->metavar) {
			fputs(" \\fI", f);
			man_text(f, o->metavar);
			fputs("\\fR", f);
		}
		fputc('\n', f);
		man_text(f, o->help);
		write_bounds(f, o);
		fputc('\n', f);
	}
}
