# posbon serve's headers for proxies and browsers, over loopback HTTP:
# answers that needed credentials are private and vary with them, past
# periods keep longer than live ones.
. "$(dirname "$0")/common.sh"
DB="$TMP/h.sqlite"
sample_db "$DB"
VIEWER=$("$POSBON" token add "$DB" --role viewer --name wall)
V="Authorization: Bearer $VIEWER"
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

serve_stop
finish
