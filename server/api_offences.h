/*
 * api_offences: GET and POST /api/offences, PATCH and DELETE
 * /api/offences/{id} (docs/api.md): pages of offences under a filter and
 * a box, and the ingest of new and corrected ones.
 */
#ifndef POSBON_API_OFFENCES_H
#define POSBON_API_OFFENCES_H

#include "http.h"

int api_offences_get(struct http_request *rq);
int api_offences_post(struct http_request *rq);
int api_offence_patch(struct http_request *rq);
int api_offence_delete(struct http_request *rq);

#endif
