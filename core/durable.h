/*
 * durable: files written whole and in place only when complete.
 *
 * A file that must never be seen half written (an export, a backup, a
 * restored database) is written under a temporary name beside its target
 * ("PATH.tmp-PID-N": the same folder, so the rename cannot cross file
 * systems), made durable (fsync), then renamed or linked over the target,
 * and the folder made durable too, so that the new name survives a power
 * cut.
 *
 * Ownership: names returned are malloc'd for the caller. Threading: any
 * thread; temporary names are unique within the process.
 */
#ifndef POSBON_DURABLE_H
#define POSBON_DURABLE_H

/* A temporary name beside path into *out (free()). ERR_NOMEM. */
int durable_temp_name(const char *path, char **out);

/* fsync of the file or folder at path. ERR_IO naming it. */
int durable_sync(const char *path);

/* fsync of the folder holding path ("." for a bare name). */
int durable_sync_folder(const char *path);

/* Makes tmp durable and puts it at path: over whatever is there when
 * replace, else only when path does not exist (ERR_CONFLICT, tmp left as
 * it was; atomic where the file system has hard links). The folder is made
 * durable after. ERR_IO naming path. */
int durable_commit(const char *tmp, const char *path, int replace);

#endif
