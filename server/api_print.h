/*
 * api_print: GET /print/{district|mahalla}/{code}.{pdf|png},
 * /print/coverage.{pdf|png}, /print/roster.{pdf|csv} and
 * /print/backtest.{pdf|png} of docs/api.md.
 */
#ifndef POSBON_API_PRINT_H
#define POSBON_API_PRINT_H

#include "http.h"

int api_print(struct http_request *rq);

#endif
