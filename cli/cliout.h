/*
 * cliout: how an analysis command hands over its result: the options
 * every such command has (--format, --output, --style), and the writing of
 * its JSON or its own table to -o FILE or stdout.
 *
 * Ownership: nothing is kept; doc and ctx are borrowed for the call.
 * Threading: the main thread.
 */
#ifndef POSBON_CLIOUT_H
#define POSBON_CLIOUT_H

#include "opts.h"

#include <jansson.h>
#include <stdio.h>

/* The option rows: the format (formats: --help's words of the choices),
 * the output file and the style. */
#define CLIOUT_OPTIONS(format, formats, out, style)                                                \
	{"format", OPT_STRING, &(format), "FMT", (formats), 0, 0, 0},                              \
	    {"output", OPT_STRING, &(out), "FILE", "write here (stdout without)", 0, 0, 'o'},      \
	{                                                                                          \
		"style", OPT_STRING, &(style), "FILE", "style (for the renderer's set-up)", 0, 0,  \
		    0                                                                              \
	}

/* Writes a table of the result to f: 0, or ERR_IO. */
typedef int (*cliout_table_fn)(FILE *f, void *ctx);

/* Refuses (ERR_INVALID naming "format") a format other than table or json. */
int cliout_check_format(const char *format);

/* Writes doc as one line of JSON when format is "json", else table(f,
 * ctx), to path (NULL: stdout). ERR_IO naming the file. */
int cliout_write(const char *path, const char *format, const json_t *doc, cliout_table_fn table,
                 void *ctx);

#endif
