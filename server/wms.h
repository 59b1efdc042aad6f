/*
 * wms: the OGC Web Map Service (1.3.0, and 1.1.1 for older clients) at
 * GET /wms, for QGIS, GDAL and other GIS clients: GetCapabilities,
 * GetMap (PNG of posbon's layers in EPSG:3857, EPSG:4326, CRS:84 or the
 * district's UTM zone, drawn through warp.h), GetFeatureInfo (GeoJSON
 * or text) and SLD's GetLegendGraphic (a layer's legend as print draws it,
 * print_legend(), or /api/legend's JSON). posbon's filters ride along as vendor parameters, parsed
 * as tiles parse them (query.h). Every error is a ServiceExceptionReport in
 * XML with HTTP 400 naming the parameter; a client without credentials gets 401 with a Basic
 * challenge, the token being the password (docs/api.md, "WMS").
 *
 * Threading: as every handler (http.h); what a request allocates dies
 * with it.
 */
#ifndef POSBON_WMS_H
#define POSBON_WMS_H

#include "http.h"

/* GET /wms. Authorizes the caller itself (a viewer at least), so that a
 * refusal carries the WWW-Authenticate challenge WMS clients need. */
int wms_get(struct http_request *rq);

#endif
