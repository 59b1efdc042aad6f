/*
 * api_meta: GET /api/meta, /api/legend, /api/mahallas[/{code}] and
 * /api/summary (docs/api.md): the district and its codes, a layer's
 * legend, the mahallas with their figures, and the offences' counts under
 * a filter.
 */
#ifndef POSBON_API_META_H
#define POSBON_API_META_H

#include "http.h"

int api_meta(struct http_request *rq);
int api_legend(struct http_request *rq);
int api_mahallas(struct http_request *rq); /* the list, or /api/mahallas/{code} */
int api_summary(struct http_request *rq);

#endif
