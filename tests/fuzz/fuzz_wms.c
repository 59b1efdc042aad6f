/*
 * WMS requests (wms.c): the OGC parameters, posbon's vendor filters and
 * the answers they lead to (capabilities, maps, feature info, legends) on
 * the sample district, as a viewer with a Bearer token.
 *
 * Input: the query string. Maps over 256 pixels a side are left out: the
 * target is after bad parameters, not after the time big pictures take.
 */
#include "fuzzutil.h"
#include "wms.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIDE 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int too_big(struct http_request *rq, const char *name)
{
	const char *v = http_arg(rq, name);
	return v && strtol(v, NULL, 10) > MAX_SIDE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_request f;
	if (fakehttp_init(&f, fuzzutil_app(), "GET", "/wms", (const char *)data, size, NULL, 0) ==
	        0 &&
	    !too_big(&f.rq, "WIDTH") && !too_big(&f.rq, "HEIGHT")) {
		fakehttp_header(&f, "Authorization", fuzzutil_viewer());
		fuzzutil_call(wms_get, &f);
	}
	fakehttp_free(&f);
	return 0;
}
