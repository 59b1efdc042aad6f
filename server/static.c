#include "static.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".map", "application/json"},
};

static const char *content_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

/* A path of plain segments only. */
static int safe_path(const char *p)
{
	if (!*p || strchr(p, '\\') || strstr(p, "//"))
		return 0;
	for (const char *seg = p; seg && *seg; seg = strchr(seg, '/') ? strchr(seg, '/') + 1 : NULL)
		if (seg[0] == '.')
			return 0; /* "..", ".hidden" */
	return 1;
}

int static_serve(struct http_request *rq, const struct static_dirs *dirs)
{
	const char *path = rq->path, *root = dirs->web, *rel = path + 1;
	char full[PATH_MAX], real[PATH_MAX], real_root[PATH_MAX];
	const struct {
		const char *prefix, *root;
	} vendors[] = {{"/vendor/leaflet/", dirs->leaflet}, {"/vendor/geoman/", dirs->geoman}};
	if (strcmp(path, "/") == 0)
		rel = "index.html";
	for (size_t i = 0; i < sizeof vendors / sizeof vendors[0]; i++) {
		size_t n = strlen(vendors[i].prefix);
		if (strncmp(path, vendors[i].prefix, n) == 0) {
			root = vendors[i].root;
			rel = path + n;
		}
	}
	const char *type = content_type(rel);
	if (!safe_path(rel) || !type)
		return http_reply_error(rq, 404, "path", "no such file: %s", path);
	if (snprintf(full, sizeof full, "%s/%s", root, rel) >= (int)sizeof full ||
	    !realpath(full, real) || !realpath(root, real_root) ||
	    strncmp(real, real_root, strlen(real_root)) != 0 || real[strlen(real_root)] != '/')
		return http_reply_error(rq, 404, "path", "no such file: %s", path);
	/* The viewer changes with the build; the npm packages only with their versions. */
	return http_reply_file(rq, real, type,
	                       root == dirs->web ? "no-cache" : "public, max-age=86400");
}
