/*
 * api_tiles: GET /tiles/{layers}/{z}/{x}/{y}.png, {y}@2x.png, or
 * /tiles/{layers}.json (TileJSON) of docs/api.md.
 */
#ifndef POSBON_API_TILES_H
#define POSBON_API_TILES_H

#include "http.h"

int api_tile(struct http_request *rq);

#endif
