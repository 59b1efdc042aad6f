/*
 * api_meta: GET /api/meta, /api/legend, /api/districts,
 * /api/mahallas[/{code}] and /api/summary (docs/api.md): the district and
 * its codes, a layer's legend, the districts and mahallas of the scope
 * with the mahallas' figures, and the offences' counts under a filter.
 */
#ifndef POSBON_API_META_H
#define POSBON_API_META_H

#include "http.h"

int api_meta(struct http_request *rq);
int api_legend(struct http_request *rq);
int api_mahallas(struct http_request *rq);  /* the list, or /api/mahallas/{code} */
int api_districts(struct http_request *rq); /* the scope's districts as GeoJSON */
int api_summary(struct http_request *rq);

#endif
