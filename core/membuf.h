/*
 * membuf: a growable byte buffer in memory that Cairo's stream surfaces
 * (PDF, SVG) write into, for documents answered over HTTP or written to a
 * file in one go.
 *
 * Ownership: data belongs to the buffer until the caller takes it (and then
 * frees it with free()). Threading: one buffer, one thread.
 */
#ifndef POSBON_MEMBUF_H
#define POSBON_MEMBUF_H

#include <cairo.h>
#include <stddef.h>

struct membuf {
	unsigned char *data;
	size_t len, cap;
	int failed; /* a write ran out of memory */
};

/* A cairo_write_func_t appending to the struct membuf closure. */
cairo_status_t membuf_write(void *closure, const unsigned char *data, unsigned int length);

#endif
