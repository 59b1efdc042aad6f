# posbon serve's headers for proxies and browsers, over loopback HTTP:
# answers that needed credentials are private and vary with them, past
# periods keep longer than live ones; CORS only for the origins named;
# security headers on every answer; wrong tokens rate-limited by address;
# X-Forwarded-* believed from trusted proxies only.
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


# ---- Security headers on every answer: a 200, errors, a static file, a 304
# secure FILE: whether the answer's headers in FILE hold all four.
secure() {
	grep -q "^Content-Security-Policy: default-src 'self'; script-src 'self'; .*frame-ancestors 'none'$" "$1" &&
		grep -qx "X-Content-Type-Options: nosniff" "$1" && grep -qx "Referrer-Policy: same-origin" "$1" &&
		grep -qx "X-Frame-Options: DENY" "$1"
}
headers -H "$V" "$URL/api/meta" >"$TMP/200.h"
check_true "a 200 has the security headers" 'grep -q "^HTTP/1.1 200" "$TMP/200.h" && secure "$TMP/200.h"'
headers "$URL/no-such-page.html" >"$TMP/404.h"
check_true "so has a 404" 'grep -q "^HTTP/1.1 404" "$TMP/404.h" && secure "$TMP/404.h"'
headers "$URL/api/meta" >"$TMP/401.h"
check_true "and a 401" 'grep -q "^HTTP/1.1 401" "$TMP/401.h" && secure "$TMP/401.h"'
headers "$URL/app.js" >"$TMP/static.h"
check_true "a static file" 'grep -q "^HTTP/1.1 200" "$TMP/static.h" && secure "$TMP/static.h"'
headers "$URL/" >"$TMP/index.h"
check_true "the viewer's page" 'grep -qi "^Content-Type: text/html" "$TMP/index.h" && secure "$TMP/index.h"'
check_true "a 304" 'secure "$TMP/304.h"'
headers "$URL/wms?SERVICE=WMS&REQUEST=GetCapabilities" >"$TMP/wms.h"
check_true "a WMS exception" 'grep -q "^HTTP/1.1 401" "$TMP/wms.h" && secure "$TMP/wms.h"'
check "images only from this server without a basemap" \
	"$(header Content-Security-Policy "$URL/" | tr ';' '\n' | sed -n 's/^ img-src //p')" "'self' data:"

# ---- X-Forwarded-* from a peer that is no trusted proxy: ignored
FWD="-H X-Forwarded-Proto:https -H X-Forwarded-Host:example.org -H X-Forwarded-For:203.0.113.9"
tiles_url() { curl -s "$@" "$URL/tiles/heatmap.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tiles"][0])'; }
# shellcheck disable=SC2086 # FWD is several arguments
check "TileJSON ignores an untrusted proxy's headers" "$(tiles_url -H "$V" $FWD)" \
	"$URL/tiles/heatmap/{z}/{x}/{y}.png"
# shellcheck disable=SC2086
check_true "so does the access log" 'status $FWD "$URL/untrusted.html" >/dev/null &&
	wait_until "grep -qF \"127.0.0.1 \\\"GET /untrusted.html\" \"\$TMP/access.log\""'

# ---- CORS: none by default
PRE="-X OPTIONS -H Access-Control-Request-Method:POST -H Access-Control-Request-Headers:authorization,content-type"
# shellcheck disable=SC2086 # PRE is several arguments
check "no origin's preflight is answered by default" \
	"$(curl -s -w " %{http_code}" $PRE -H "Origin: https://gis.example.org" "$URL/api/offences" | sed 's/.*"field":"\([a-z]*\)".* \([0-9]*\)$/\1 \2/')" "origin 403"
# shellcheck disable=SC2086
check_true "and it has no CORS header" '! headers $PRE -H "Origin: https://gis.example.org" "$URL/api/offences" | grep -qi "^Access-Control-"'
serve_stop

# refused OPTION VALUE MESSAGE: posbon serve stops at once, naming the option.
refused() {
	# shellcheck disable=SC2034 # r_message is read by check_true's eval
	r_option=--$1 r_value=$2 r_message=$3
	set +e
	"$POSBON" serve "$DB" "$r_option" "$r_value" 2>"$TMP/err"
	r_rc=$?
	set -e
	check "$r_option '$r_value' is refused" "$r_rc" 2
	check_true "naming it" 'grep -qF -- "$r_option '"'"'$r_value'"'"': $r_message" "$TMP/err"'
}
refused cors-origin "https://gis.example.org/" "expected an origin"
refused frame-ancestors "https://wall.example.org/screen" "expected an origin"
refused basemap "tiles.example.org/{z}/{x}/{y}.png" "expected a URL template"
refused trusted-proxy "proxy.example.org" "expected an address or a network"

serve_start "$DB" --threads 2 --cache-dir none --cors-origin https://gis.example.org \
	--cors-origin "http://wall.example:8080, https://b.example" \
	--frame-ancestors "https://wall.example.org, self" --basemap "https://{s}.tile.example.org/{z}/{x}/{y}.png" \
	--login-attempts 3 --login-window 600 --trusted-proxy "10.0.0.0/8, 127.0.0.1"
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

# ---- Framing by the wall screen's dashboard, and the basemap's images
headers "$URL/" >"$TMP/framed.h"
check_true "with frame ancestors named, no X-Frame-Options" '! grep -qi "^X-Frame-Options" "$TMP/framed.h"'
check "CSP lists them" "$(sed -n 's/^Content-Security-Policy: .*; frame-ancestors //p' "$TMP/framed.h")" \
	"https://wall.example.org 'self'"
check "and allows the basemap's images" \
	"$(tr ';' '\n' <"$TMP/framed.h" | sed -n 's/^ img-src //p')" "'self' data: https://*.tile.example.org"
# ---- Behind a trusted proxy: the URLs written are the client's
# shellcheck disable=SC2086
check "TileJSON takes a trusted proxy's scheme and host" "$(tiles_url -H "$V" $FWD)" \
	"https://example.org/tiles/heatmap/{z}/{x}/{y}.png"
# shellcheck disable=SC2086
curl -s -H "$V" $FWD "$URL/wms?SERVICE=WMS&REQUEST=GetCapabilities" >"$TMP/caps.xml"
check_true "so do the WMS capabilities, operations and legends" \
	'grep -q "<OnlineResource xlink:type=\"simple\" xlink:href=\"https://example.org/wms\"/>" "$TMP/caps.xml" &&
	 grep -q "xlink:href=\"https://example.org/wms?.*GetLegendGraphic" "$TMP/caps.xml" &&
	 ! grep -q "http://127.0.0.1" "$TMP/caps.xml"'
check "without X-Forwarded-Host, the Host header" \
	"$(tiles_url -H "$V" -H "X-Forwarded-Proto: https" -H "Host: gis.example.net")" \
	"https://gis.example.net/tiles/heatmap/{z}/{x}/{y}.png"
check "a host that is no host name is not taken" \
	"$(tiles_url -H "$V" -H "X-Forwarded-Host: a b<c>")" "$URL/tiles/heatmap/{z}/{x}/{y}.png"
headers -H "$J" $FWD -d "{\"token\":\"$OFFICER\"}" "$URL/api/login" >"$TMP/tls-login.h"
check_true "the session cookie is Secure when the proxy says https" \
	'grep -qi "^Set-Cookie: posbon_session=.*; Secure" "$TMP/tls-login.h"'
check "a cookie write from the page as the proxy serves it" \
	"$(status -b "$TMP/officer.jar" $FWD -H "Origin: https://example.org" -H "$J" -d '{}' "$URL/api/offences")" 400
check "not from its plain-HTTP twin" \
	"$(status -b "$TMP/officer.jar" $FWD -H "Origin: http://example.org" -H "$J" -d '{}' "$URL/api/offences")" 403
status -H "X-Forwarded-For: 192.0.2.1, 198.51.100.7, 10.1.2.3" "$URL/chain.html" >/dev/null
check_true "the client is the last address before the trusted proxies" \
	'wait_until "grep -qF \"198.51.100.7 \\\"GET /chain.html\" \"\$TMP/access.log\""'

# ---- Wrong tokens from one address: 429 after --login-attempts (last here:
# the address then waits out its window)
WRONG="Authorization: Bearer pb_0000000000000000000000000000000000000000000000000000000000000000"
check "wrong tokens are 401 up to the limit" \
	"$(status -H "$WRONG" "$URL/api/meta") $(status -H "$WRONG" "$TILE") $(status -H "$WRONG" "$URL/api/meta")" "401 401 401"
headers -H "$WRONG" "$URL/api/meta" >"$TMP/429.h"
check_true "then 429" 'grep -q "^HTTP/1.1 429" "$TMP/429.h"'
check_true "with Retry-After: the rest of the window" \
	'[ "$(sed -n "s/^Retry-After: //p" "$TMP/429.h")" -gt 0 ] && [ "$(sed -n "s/^Retry-After: //p" "$TMP/429.h")" -le 600 ]'
check_true "and the security headers" 'grep -q "^Content-Security-Policy: " "$TMP/429.h"'
check "a JSON body naming the field" \
	"$(curl -s -H "$WRONG" "$URL/api/meta" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["status"], e["field"])')" \
	"429 authorization"
check "a good token from that address waits too" "$(status -H "$V" "$URL/api/meta")" 429
check "as does a login" "$(curl -s -w " %{http_code}" -H "$J" -d "{\"token\":\"$VIEWER\"}" "$URL/api/login" | sed 's/.*"field":"\([a-z]*\)".* \([0-9]*\)$/\1 \2/')" "token 429"
check "and WMS's Basic" "$(status -u "x:$VIEWER" "$URL/wms?SERVICE=WMS&REQUEST=GetCapabilities")" 429
check "an open session goes on" "$(status -b "$TMP/jar" "$URL/api/meta")" 200
check_true "the daemon logs the address" 'grep -q "too many wrong tokens from 127.0.0.1; refused for" "$TMP/error.log"'
check "a client behind the trusted proxy is another address" \
	"$(status -H "$V" -H "X-Forwarded-For: 203.0.113.9" "$URL/api/meta")" 200
check "with wrong tokens of its own" \
	"$(for _ in 1 2 3 4; do printf '%s ' "$(status -H "$WRONG" -H "X-Forwarded-For: 203.0.113.9" "$URL/api/meta")"; done)" \
	"401 401 401 429 "
serve_stop
finish
