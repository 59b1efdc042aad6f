/*
 * opts: command-line options from one table per command.
 *
 * Each command describes its options as an array of struct opt (name, type,
 * target, bounds, help); the same table drives parsing, validation and the
 * --help text, so they cannot disagree. Values are written into the targets;
 * strings point into argv (borrowed for the program's lifetime).
 */
#ifndef POSBON_OPTS_H
#define POSBON_OPTS_H

#include <stdio.h>

enum opt_type {
	OPT_FLAG,   /* int target set to 1 */
	OPT_STRING, /* const char * target */
	OPT_LONG,   /* long target, within [min, max] */
	OPT_DOUBLE, /* double target, within [min, max] */
	OPT_LIST,   /* struct opt_list target: repeatable string */
	OPT_COMMAS, /* struct opt_list target: repeatable, each value also a
	               comma list; blanks around the items dropped */
};

#define OPT_LIST_MAX 64

struct opt_list {
	const char *items[OPT_LIST_MAX];
	int n;
};

struct opt {
	const char *name; /* long name without the dashes; NULL ends the table */
	enum opt_type type;
	void *target;
	const char *metavar; /* shown in --help: "FILE", "N" */
	const char *help;
	double min, max; /* bounds of OPT_LONG and OPT_DOUBLE, when min < max */
	char short_name; /* "-o" for 'o'; 0 for none */
};

/* Parses argv[0..argc) (the words after the command name). Positional words
 * go to positional[] (at most max_positional, count in *n_positional). Returns
 * 0, ERR_INVALID with a message naming the option, or 1 when --help or
 * --help-man was asked (the help or the man page section is then already
 * printed to stdout). */
int opts_parse(const char *command, const char *usage, const char *summary, const struct opt *table,
               int argc, char **argv, const char **positional, int max_positional,
               int *n_positional);

/* Reads options from a config file into the table's targets: one
 * "name = value" a line (the long option names; flags take true/false),
 * '#' starts a comment. Values are kept for the program's lifetime.
 * ERR_IO when unreadable; ERR_INVALID naming "file:line" otherwise. */
int opts_load_file(const char *path, const struct opt *table);

/* Called for each option a config file sets, on line, once its value is
 * stored: 0, or an error whose message says what is wrong with the value. */
typedef int (*opts_file_check)(void *ctx, const struct opt *o, int line);

/* Reads a config file as opts_load_file() does, going on past the
 * problems: each, and each refusal of check (NULL: none), is written to
 * report as "path:line: message". Returns how many there were (0: a good
 * file), or ERR_IO when the file cannot be read. */
int opts_check_file(const char *path, const struct opt *table, opts_file_check check, void *ctx,
                    FILE *report);

/* Writes an annotated config file of the table's options with their
 * current values (the defaults before parsing), ready to edit. */
void opts_write_config(FILE *f, const char *command, const struct opt *table);

/* Writes the command's section of posbon(1) in roff (man(7)): a .SS
 * heading, the usage line, the summary and the options with their bounds.
 * `posbon man` gathers the sections of every command. */
void opts_write_man(FILE *f, const char *command, const char *usage, const char *summary,
                    const struct opt *table);

/* Prints the usage line, summary and the option table. */
void opts_help(FILE *f, const char *command, const char *usage, const char *summary,
               const struct opt *table);

#endif
