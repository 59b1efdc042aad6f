/*
 * posbon check-config: a configuration of posbon serve checked without
 * starting the daemon, against the same option table (serveconf.h): every
 * problem is named with the file and line, not only the first.
 */
#include "commands.h"
#include "err.h"
#include "opts.h"
#include "serveconf.h"

#include <stdio.h>
#include <string.h>

struct checking {
	struct serve_config c;
	struct opt table[SERVE_CONFIG_OPTIONS];
	int line[SERVE_CONFIG_OPTIONS]; /* where each option was set; 0: nowhere */
};

static int check_option(void *ctx, const struct opt *o, int line)
{
	struct checking *k = ctx;
	k->line[o - k->table] = line;
	return serve_config_check(&k->c, o);
}

/* The line that set the option named name, 0 when none did. */
static int line_of(const struct checking *k, const char *name)
{
	for (int i = 0; name && k->table[i].name; i++)
		if (strcmp(k->table[i].name, name) == 0)
			return k->line[i];
	return 0;
}

int cmd_check_config(int argc, char **argv)
{
	const struct opt none[] = {{0}};
	const char *pos[1];
	int npos, rc;
	rc = opts_parse("check-config", "FILE",
	                "Checks a configuration file of posbon serve (--config FILE) without "
	                "starting it: unknown options, values out of range, an address, style, "
	                "TLS files, time zone, log or cache folder that will not do; every "
	                "problem is printed with its file and line. Prints ok for a good file.",
	                none, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(
		    ERR_INVALID,
		    "check-config needs the file to check (see posbon check-config --help)");
	static struct checking k; /* the option values point into it */
	struct opt all[SERVE_CONFIG_OPTIONS];
	serve_config_table(&k.c, all);
	serve_config_file_table(all, k.table);
	int problems = opts_check_file(pos[0], k.table, check_option, &k, stderr);
	if (problems < 0)
		return problems;
	if (serve_config_check_pairs(&k.c) < 0) {
		int line = line_of(&k, k.c.tls_cert ? "tls-cert" : "tls-key");
		fprintf(stderr, "%s:%d: %s\n", pos[0], line, err_msg());
		problems++;
	}
	if (problems)
		return err_set(ERR_INVALID, "%s: %d problem%s", pos[0], problems,
		               problems == 1 ? "" : "s");
	printf("ok\n");
	return 0;
}
