/*
 * cliout: the result of an analysis command to a file or stdout (see
 * cliout.h).
 */
#include "cliout.h"

#include "err.h"

#include <string.h>

int cliout_check_format(const char *format)
{
	if (strcmp(format, "table") && strcmp(format, "json"))
		return err_set_field(ERR_INVALID, "format", "format: '%s' is not table or json",
		                     format);
	return 0;
}

int cliout_write(const char *path, const char *format, const json_t *doc, cliout_table_fn table,
                 void *ctx)
{
	const char *name = path ? path : "stdout";
	FILE *f = path ? fopen(path, "w") : stdout;
	int rc = 0;
	if (!f)
		return err_set(ERR_IO, "%s: cannot write", path);
	if (!strcmp(format, "json")) {
		if (json_dumpf(doc, f, JSON_COMPACT) < 0 || fputc('\n', f) == EOF)
			rc = err_set(ERR_IO, "%s: cannot write", name);
	} else {
		rc = table(f, ctx);
	}
	if (path && fclose(f) != 0 && rc == 0)
		rc = err_set(ERR_IO, "%s: write failed", path);
	return rc;
}
