#include "membuf.h"

#include <stdlib.h>
#include <string.h>

cairo_status_t membuf_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct membuf *b = closure;
	if (b->len + length > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->len + length)
			cap *= 2;
		unsigned char *d = realloc(b->data, cap);
		if (!d) {
			b->failed = 1;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, length);
	b->len += length;
	return CAIRO_STATUS_SUCCESS;
}
