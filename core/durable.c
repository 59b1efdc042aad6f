#include "durable.h"

#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int durable_temp_name(const char *path, char **out)
{
	/* Unique within the process too: tests write several at once. */
	static atomic_uint serial;
	size_t n = strlen(path) + 64;
	if (!(*out = malloc(n)))
		return err_set(ERR_NOMEM, "%s: out of memory", path);
	snprintf(*out, n, "%s.tmp-%ld-%u", path, (long)getpid(), atomic_fetch_add(&serial, 1));
	return 0;
}

int durable_sync(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(ERR_IO, "%s: cannot open to sync: %s", path, strerror(errno));
	int rc =
	    fsync(fd) == 0 ? 0 : err_set(ERR_IO, "%s: fsync failed: %s", path, strerror(errno));
	close(fd);
	return rc;
}

int durable_sync_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return durable_sync(".");
	if (slash == path)
		return durable_sync("/");
	char *dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return err_set(ERR_NOMEM, "%s: out of memory", path);
	int rc = durable_sync(dir);
	free(dir);
	return rc;
}

int durable_commit(const char *tmp, const char *path, int replace)
{
	int rc = durable_sync(tmp);
	if (rc < 0)
		return rc;
	if (replace) {
		if (rename(tmp, path) != 0)
			return err_set(ERR_IO, "%s: cannot rename %s over it: %s", path, tmp,
			               strerror(errno));
	} else {
		/* link(2) fails rather than replace: no window in which another
		 * writer's file at path could be lost. A file system without
		 * hard links (FAT on a USB stick) gets the test and the rename
		 * as two steps. */
		if (link(tmp, path) == 0)
			unlink(tmp);
		else if (errno == EEXIST)
			return err_set(ERR_CONFLICT, "%s exists", path);
		else if (errno != EPERM && errno != EOPNOTSUPP)
			return err_set(ERR_IO, "%s: cannot link %s to it: %s", path, tmp,
			               strerror(errno));
		else if (access(path, F_OK) == 0)
			return err_set(ERR_CONFLICT, "%s exists", path);
		else if (rename(tmp, path) != 0)
			return err_set(ERR_IO, "%s: cannot rename %s to it: %s", path, tmp,
			               strerror(errno));
	}
	return durable_sync_folder(path);
}
