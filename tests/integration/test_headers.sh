# posbon serve's headers for proxies and browsers, over loopback HTTP:
# answers that needed credentials are private and vary with them, past
# periods keep longer than live ones; CORS only for the origins named.
# A daemon with the defaults first, then one with the options.
. "$(dirname "$0")/common.sh"
DB="$TMP/h.sqlite"
sample_db "$DB"
VIEWER=$("$POSBON" token add "$DB" --role viewer --name wall)
OFFICER=$("$POSBON" token add "$DB" --role officer --name desk)
V="Authorization: Bearer $VIEWER"
O="Authorization: Bearer $OFFICER"
J="Content-Type: application/json"
# The headers of an answer, one a line without the CR; a header's value.
headers() { curl -s -D - -o /dev/null "$@" | tr -d '\r'; }
header() { # name, curl arguments
	h_name=$1
	shift
	headers "$@" | sed -n "s/^$h_name: //Ip" | head -n 1
}
status() { curl -s -o /dev/null -w "%{http_code}" "$@"; }

serve_start "$DB" --threads 2 --cache-dir none
TILE="$URL/tiles/heatmap/13/5769/3012.png"

# ---- Cache-Control and Vary
check "a tile fetched with a token is private" "$(header Cache-Control -H "$V" "$TILE")" "private, max-age=10"
check "and varies with the credentials" "$(header Vary -H "$V" "$TILE")" "Authorization, Cookie"
check "a period over before today keeps longer" \
	"$(header Cache-Control -H "$V" "$TILE?from=2026-06-01&to=2026-06-15")" "private, max-age=3600"
check "boundaries longer still" \
	"$(header Cache-Control -H "$V" "$URL/tiles/mahallas/13/5769/3012.png")" "private, max-age=86400"
etag=$(header ETag -H "$V" "$TILE")
headers -H "$V" -H "If-None-Match: $etag" "$TILE" >"$TMP/304.h"
check_true "a 304 says the same" 'grep -q "^HTTP/1.1 304" "$TMP/304.h" &&
	grep -qx "Cache-Control: private, max-age=10" "$TMP/304.h" && grep -qx "Vary: Authorization, Cookie" "$TMP/304.h"'
curl -s -c "$TMP/jar" -H "$J" -d "{\"token\":\"$VIEWER\"}" "$URL/api/login" >/dev/null
check "a tile fetched with the session cookie is private too" \
	"$(header Cache-Control -b "$TMP/jar" "$TILE")" "private, max-age=10"
check_true "no tile answer says public" '! headers -H "$V" "$TILE" | grep -qi "^Cache-Control: public"'
check "nor allows every origin" "$(header Access-Control-Allow-Origin -H "$V" -H "Origin: https://evil.example" "$TILE")" ""
check "the WMS map is private" "$(header Cache-Control -H "$V" \
	"$URL/wms?SERVICE=WMS&REQUEST=GetMap&VERSION=1.3.0&LAYERS=heatmap&STYLES=&CRS=EPSG:3857&BBOX=7700000,5000000,7710000,5010000&WIDTH=64&HEIGHT=64&FORMAT=image/png")" \
	"private, max-age=10"
check "JSON answers are kept by no one" "$(header Cache-Control -H "$V" "$URL/api/meta")" "no-store"
check "and vary with the credentials" "$(header Vary -H "$V" "$URL/api/meta")" "Authorization, Cookie"
check "the viewer's files without credentials do not vary" "$(header Vary "$URL/app.js")" ""


# ---- CORS: none by default
PRE="-X OPTIONS -H Access-Control-Request-Method:POST -H Access-Control-Request-Headers:authorization,content-type"
# shellcheck disable=SC2086 # PRE is several arguments
check "no origin's preflight is answered by default" \
	"$(curl -s -w " %{http_code}" $PRE -H "Origin: https://gis.example.org" "$URL/api/offences" | sed 's/.*"field":"\([a-z]*\)".* \([0-9]*\)$/\1 \2/')" "origin 403"
# shellcheck disable=SC2086
check_true "and it has no CORS header" '! headers $PRE -H "Origin: https://gis.example.org" "$URL/api/offences" | grep -qi "^Access-Control-"'
serve_stop

set +e
"$POSBON" serve "$DB" --cors-origin "https://gis.example.org/" 2>"$TMP/err"
rc=$?
set -e
check "an origin with a path is refused" "$rc" 2
check_true "naming the option" 'grep -q "cors-origin .https://gis.example.org/.: expected an origin" "$TMP/err"'

serve_start "$DB" --threads 2 --cache-dir none --cors-origin https://gis.example.org \
	--cors-origin "http://wall.example:8080, https://b.example"
TILE="$URL/tiles/heatmap/13/5769/3012.png"
GIS="Origin: https://gis.example.org"
# shellcheck disable=SC2086
headers $PRE -H "$GIS" "$URL/api/offences" >"$TMP/pre.h"
check_true "a preflight from an allowed origin is answered 204" 'grep -q "^HTTP/1.1 204" "$TMP/pre.h"'
check_true "naming the origin, not *" 'grep -qx "Access-Control-Allow-Origin: https://gis.example.org" "$TMP/pre.h"'
check_true "with the path's methods" 'grep -qx "Access-Control-Allow-Methods: GET, HEAD, POST" "$TMP/pre.h"'
check_true "the headers it may send" 'grep -qx "Access-Control-Allow-Headers: Authorization, Content-Type, If-Match" "$TMP/pre.h"'
check_true "how long to keep that" 'grep -qx "Access-Control-Max-Age: 600" "$TMP/pre.h"'
check_true "and that it varies by Origin" 'grep -qx "Vary: Origin" "$TMP/pre.h"'
# shellcheck disable=SC2086
check "an origin of a comma list too" "$(status $PRE -H "Origin: http://wall.example:8080" "$URL/api/offences")" 204
# shellcheck disable=SC2086
headers $PRE -H "Origin: https://evil.example" "$URL/api/offences" >"$TMP/evil.h"
check_true "another origin's preflight is refused 403" 'grep -q "^HTTP/1.1 403" "$TMP/evil.h"'
check_true "without CORS headers" '! grep -qi "^Access-Control-" "$TMP/evil.h"'
# shellcheck disable=SC2086
check "so is a preflight from a sibling port" "$(status $PRE -H "Origin: http://wall.example:8081" "$URL/api/offences")" 403
headers -H "$V" -H "$GIS" "$TILE" >"$TMP/cors-tile.h"
check_true "a tile for an allowed origin names it" 'grep -qx "Access-Control-Allow-Origin: https://gis.example.org" "$TMP/cors-tile.h"'
check_true "and is still private" 'grep -qx "Cache-Control: private, max-age=10" "$TMP/cors-tile.h" &&
	grep -qx "Vary: Origin, Authorization, Cookie" "$TMP/cors-tile.h"'
check "one for another origin names none" "$(header Access-Control-Allow-Origin -H "$V" -H "Origin: https://evil.example" "$TILE")" ""
check "a write with a token from an allowed origin is read" "$(status -H "$O" -H "$GIS" -H "$J" -d '{}' "$URL/api/offences")" 400
curl -s -c "$TMP/officer.jar" -H "$J" -d "{\"token\":\"$OFFICER\"}" "$URL/api/login" >/dev/null
check "a cookie write from it is still refused" \
	"$(curl -s -w " %{http_code}" -b "$TMP/officer.jar" -H "$GIS" -H "$J" -d '{}' "$URL/api/offences" | sed 's/.*"field":"\([a-z]*\)".* \([0-9]*\)$/\1 \2/')" "origin 403"
serve_stop
finish
