/*
 * err: the project's one error type and its message.
 *
 * Every fallible function in posbon returns 0 on success or one of the
 * negative ERR_* codes below (or NULL for constructors), after recording a
 * human-readable message with err_set(). The message is thread-local, so a
 * caller on the same thread reads it with err_msg() right after the failure;
 * it names the file, row, field or offset that was wrong wherever one exists.
 * Where the failing code knows the field (a query argument, an option, a
 * JSON path) it records it apart with err_set_field(), so that an answer
 * can name it (the HTTP error's "field") without reading the message.
 */
#ifndef POSBON_ERR_H
#define POSBON_ERR_H

enum err_code {
	ERR_OK = 0,
	ERR_NOMEM = -1,       /* allocation failed */
	ERR_IO = -2,          /* file or socket could not be read or written */
	ERR_INVALID = -3,     /* outside input is malformed or out of range */
	ERR_NOTFOUND = -4,    /* the named object does not exist */
	ERR_DB = -5,          /* SQLite/SpatiaLite failed */
	ERR_GEOMETRY = -6,    /* a geometry is unusable and could not be repaired */
	ERR_PROJ = -7,        /* a coordinate reference system or transform failed */
	ERR_UNSUPPORTED = -8, /* valid request this build cannot serve */
	ERR_CONFLICT = -9,    /* the operation contradicts stored state */
	ERR_FORBIDDEN = -10,  /* outside the territory the caller may reach */
};

/* Short stable name of a code ("invalid", "not found"); never NULL. */
const char *err_name(int code);

/* Records the message for the calling thread and returns code, so that
 * failures read `return err_set(ERR_INVALID, "row %ld: ...", row);`. The
 * arguments may include err_msg() to add context to the previous message. */
int err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* As err_set(), naming the field that was wrong (NULL: none). The field
 * may be err_field() itself. */
int err_set_field(int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The field the calling thread's last error names: the one given to
 * err_set_field(), NULL after err_set(). Never read from the message.
 * Borrowed, valid until the next err_set*() on this thread. */
const char *err_field(void);

/* The calling thread's last message; borrowed, valid until the next err_set()
 * on this thread. Empty string when nothing failed yet. */
const char *err_msg(void);

/* The calling thread's last code (0 when nothing failed yet). */
int err_last(void);

#endif
