/*
 * Command-line options and config files (opts.c) with the option tables
 * the commands share (filteropts.h, shiftopts.h, backtestopts.h), then the
 * parsers their values go to, as the commands call them.
 *
 * Input: a selector byte (bit 0: a config file instead of argv; bits 1-2:
 * the table), then lines: the words of argv ("--shift=18-02", "--cell",
 * "25") or the lines of the file ("shift = 18-02").
 *
 * opts_load_file() keeps values for the program's life in a fixed arena,
 * so after some thousand files every value is refused as "too much text":
 * long runs fuzz the file's line syntax, argv the values.
 */
#include "backtestopts.h"
#include "err.h"
#include "filteropts.h"
#include "fuzzutil.h"
#include "shiftopts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Options of every type beside the shared ones, as commands add them. */
struct extra {
	int flag;
	long folds;
	double visit;
	struct opt_list fields;
};

#define EXTRA_ROWS(e)                                                                              \
	{"flag", OPT_FLAG, &(e)->flag, NULL, "a flag", 0, 0, 'f'},                                 \
	    {"n", OPT_LONG, &(e)->folds, "N", "a whole number", 1, 1000, 'n'},                     \
	    {"visit", OPT_DOUBLE, &(e)->visit, "MIN", "minutes per visit", -1e9, 1e9, 0},          \
	    {"field", OPT_LIST, &(e)->fields, "T=S", "repeatable", 0, 0, 'F'},                     \
	{                                                                                          \
		NULL, 0, NULL, NULL, NULL, 0, 0, 0                                                 \
	}

static int parse(const struct opt *table, int from_file, char *text, char **words)
{
	const char *positional[4];
	int n_positional, argc = 0;
	if (from_file) {
		char path[700];
		FILE *f = fopen(fuzzutil_path("opts.conf", path, sizeof path), "w");
		if (!f)
			abort();
		fputs(text, f);
		fclose(f);
		return opts_load_file(path, table);
	}
	for (char *p = text; p && argc < MAX_WORDS; argc++) {
		words[argc] = p;
		if ((p = strchr(p, '\n')))
			*p++ = '\0';
	}
	return opts_parse("fuzz", "", "", table, argc, words, positional, 4, &n_positional);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	const dataset *ds = renderer_dataset(fuzzutil_app()->r);
	if (!quiet) /* --help prints to stdout */
		quiet = freopen("/dev/null", "w", stdout) != NULL;
	if (size < 1)
		return 0;
	char *text = malloc(size), *words[MAX_WORDS];
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	int from_file = data[0] & 1;
	struct extra e = {0};
	struct dataset_filter f;
	struct shift sh;
	switch ((data[0] >> 1) & 3) {
	case 0: {
		struct filter_opts fo = {0};
		const struct opt table[] = {FILTER_OPTIONS(fo), EXTRA_ROWS(&e)};
		tz *z = NULL;
		if (parse(table, from_file, text, words) == 0 &&
		    dataset_filter_parse(ds, &fo.text, &f) == 0 && fo.tz && tz_open(fo.tz, &z) == 0)
			tz_free(z);
		break;
	}
	case 1: {
		struct shiftopts o;
		shiftopts_defaults(&o);
		const struct opt table[] = {SHIFTOPTS_TABLE(&o), EXTRA_ROWS(&e)};
		if (parse(table, from_file, text, words) == 0 &&
		    shift_parse(o.hours, o.days, &sh) == 0)
			dataset_filter_parse(ds, &o.ft, &f);
		break;
	}
	default: {
		struct backtestopts o;
		const char *days = NULL, *date = NULL;
		backtestopts_defaults(&o);
		const struct opt table[] = {
		    BACKTESTOPTS_TABLE(&o),
		    {"shift", OPT_STRING, &o.text.shift, "H-H", "shift", 0, 0, 0},
		    {"weekdays", OPT_STRING, &days, "DAYS", "weekdays", 0, 0, 0},
		    {"categories", OPT_STRING, &o.text.categories, "C", "categories", 0, 0, 0},
		    {"services", OPT_STRING, &o.text.services, "S", "services", 0, 0, 0},
		    {"date", OPT_STRING, &date, "DATE", "zones' date", 0, 0, 0},
		    EXTRA_ROWS(&e)};
		struct backtest_params p = {0};
		o.text.weekdays = days;
		if (parse(table, from_file, text, words) == 0) {
			o.text.weekdays = days;
			backtest_params_text(ds, &o.text, &p, &sh);
		}
		break;
	}
	}
	free(text);
	return 0;
}
