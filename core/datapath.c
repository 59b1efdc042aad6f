#include "datapath.h"

#include "err.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Beside the executable in a build folder: one line, the source tree. */
#define SOURCE_MARKER "posbon-source-dir"

static const struct {
	const char *installed, *source, *option;
} files[] = {
    [DATAPATH_STYLE] = {"styles/default.json", "styles/default.json", "--style FILE"},
    [DATAPATH_WEB] = {"web", "web", "--web DIR"},
    [DATAPATH_LEAFLET] = {"vendor/leaflet", "node_modules/leaflet/dist", "--share-dir DIR"},
    [DATAPATH_GEOMAN] = {"vendor/geoman", "node_modules/@geoman-io/leaflet-geoman-free/dist",
                         "--share-dir DIR"},
};

/* The folder holding the executable, into dir (n bytes). */
static int exe_dir(char *dir, size_t n)
{
	ssize_t len = readlink("/proc/self/exe", dir, n - 1);
	if (len <= 0 || (size_t)len >= n - 1)
		return -1;
	dir[len] = '\0';
	char *slash = strrchr(dir, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

/* The source tree named by the marker in exe, into out; -1 without one. */
static int source_tree(const char *exe, char *out, size_t n)
{
	char marker[PATH_MAX + 32];
	snprintf(marker, sizeof marker, "%s/%s", exe, SOURCE_MARKER);
	FILE *f = fopen(marker, "r");
	if (!f)
		return -1;
	int ok = fgets(out, (int)n, f) != NULL;
	fclose(f);
	if (!ok)
		out[0] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	return out[0] == '/' ? 0 : -1;
}

/* Either layout of root that holds what, into out. */
static int in_root(enum datapath_file what, const char *root, char *out, size_t n)
{
	const char *rel[] = {files[what].installed, files[what].source};
	struct stat sb;
	for (size_t i = 0; i < 2; i++)
		if ((size_t)snprintf(out, n, "%s/%s", root, rel[i]) < n && stat(out, &sb) == 0)
			return 0;
	return -1;
}

int datapath_find(enum datapath_file what, const char *given, const char *share_dir, char *out,
                  size_t n)
{
	char exe[PATH_MAX], prefix[PATH_MAX + 32], source[PATH_MAX] = "";
	if (given) {
		if ((size_t)snprintf(out, n, "%s", given) >= n)
			return err_set(ERR_IO, "%s: the path is too long", given);
		return 0;
	}
	if (share_dir) {
		if (in_root(what, share_dir, out, n) == 0)
			return 0;
		return err_set(ERR_IO, "--share-dir %s: no %s in it", share_dir,
		               files[what].installed);
	}
	if (exe_dir(exe, sizeof exe) < 0)
		return err_set(ERR_IO, "cannot find the executable's folder for %s: give %s",
		               files[what].installed, files[what].option);
	/* PREFIX/bin/posbon: the folder above bin, written out for the log. */
	const char *up = strrchr(exe, '/');
	snprintf(prefix, sizeof prefix, "%.*s/share/posbon", up ? (int)(up - exe) : 0, exe);
	if (in_root(what, prefix, out, n) == 0)
		return 0;
	if (source_tree(exe, source, sizeof source) == 0 && in_root(what, source, out, n) == 0)
		return 0;
	return err_set(ERR_IO, "no %s in %s%s%s: give %s", files[what].installed, prefix,
	               source[0] == '/' ? " nor in the source tree " : "",
	               source[0] == '/' ? source : "", files[what].option);
}

int datapath_make_dirs(const char *path, mode_t mode)
{
	char dir[PATH_MAX];
	struct stat sb;
	if (!path[0])
		return err_set(ERR_IO, "an empty folder name");
	if ((size_t)snprintf(dir, sizeof dir, "%s", path) >= sizeof dir)
		return err_set(ERR_IO, "%s: the path is too long", path);
	/* Each parent in turn, from the top; a slash at the end is no parent. */
	for (char *p = dir + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(dir, mode) != 0 && errno != EEXIST)
			return err_set(ERR_IO, "cannot make the folder %s: %s", dir,
			               strerror(errno));
		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
			return err_set(ERR_IO, "%s is not a folder", dir);
		if (c == '\0' || p[1] == '\0')
			return 0;
		*p = c;
	}
}
