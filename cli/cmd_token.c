/*
 * posbon token: API and viewer credentials. The token is printed once;
 * the database keeps only its hash.
 */
#include "auth.h"
#include "commands.h"
#include "err.h"
#include "opts.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

int cmd_token(int argc, char **argv)
{
	const char *role_text = NULL, *name = NULL;
	const struct opt table[] = {
	    {"role", OPT_STRING, &role_text, "ROLE", "viewer, officer, planner or admin (add)", 0,
	     0, 0},
	    {"name", OPT_STRING, &name, "NAME", "who holds the token (a person or a system)", 0, 0,
	     0},
	    {0},
	};
	const char *pos[2];
	int npos, rc;
	store *st = NULL;
	rc = opts_parse("token", "add|revoke DB --name NAME [--role ROLE]",
	                "add: makes a token and prints it once (only its hash is stored).\n"
	                "revoke: ends a token and its sessions.",
	                table, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 2 || (strcmp(pos[0], "add") != 0 && strcmp(pos[0], "revoke") != 0))
		return err_set_field(ERR_INVALID, "usage",
		                     "usage: posbon token add|revoke DB --name NAME "
		                     "[--role ROLE]");
	if (!name)
		return err_set(ERR_INVALID, "--name is required");
	enum auth_role role = ROLE_NONE;
	if (strcmp(pos[0], "add") == 0 && (rc = auth_role_parse(role_text, &role)) < 0)
		return rc;
	if ((rc = store_open(pos[1], 0, &st)) < 0)
		return rc;
	if (strcmp(pos[0], "add") == 0) {
		char token[AUTH_SECRET_LEN];
		if ((rc = auth_token_add(st, name, role, token)) == 0)
			printf("%s\n", token);
	} else {
		rc = auth_token_revoke(st, name);
	}
	store_close(st);
	return rc;
}
