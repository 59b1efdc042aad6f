# posbon serve over loopback with a real HTTP client: authentication, tiles
# with ETags, live ingest that changes only nearby tiles, server-sent
# events, figures, corrections, bad input, and a graceful stop.
. "$(dirname "$0")/common.sh"
DB="$TMP/s.sqlite"
sample_db "$DB"
VIEWER=$("$POSBON" token add "$DB" --role viewer --name wall-screen)
OFFICER=$("$POSBON" token add "$DB" --role officer --name duty-desk)
check_true "tokens are printed once" 'echo "$VIEWER" | grep -q "^pb_[0-9a-f]\{64\}$"'
check "only hashes are stored" "$(sql "$DB" "SELECT count(*) FROM tokens WHERE hash = '$VIEWER'")" 0
: >"$TMP/error.log"
"$POSBON" serve "$DB" --listen 127.0.0.1:0 --threads 2 --cache-dir "$TMP/tiles" \
	--max-body-kb 64 --timeout 2 >"$TMP/access.log" 2>"$TMP/error.log" &
PID=$!
wait_port "$TMP/error.log"
check_true "server announced its port" '[ -n "$port" ]'
URL="http://127.0.0.1:$port"
V="Authorization: Bearer $VIEWER"
O="Authorization: Bearer $OFFICER"
code() { curl -s -o /dev/null -w "%{http_code}" "$@"; }

check "health is open" "$(code "$URL/healthz")" 200
check "tiles need credentials" "$(code "$URL/tiles/heatmap/1/0/0.png")" 401
check "the API needs credentials" "$(code "$URL/api/meta")" 401
check "a wrong token is refused" "$(code -H "Authorization: Bearer pb_nothing" "$URL/api/meta")" 401
if [ -f "$POSBON_SOURCE_DIR/web/index.html" ]; then
	check "the viewer page is open (it carries no data)" "$(code "$URL/")" 200
fi
check "a viewer may not post offences" "$(code -H "$V" -X POST -d '{}' "$URL/api/offences")" 403
# login: the token once, then an HttpOnly session cookie
curl -s -c "$TMP/jar" -H "Content-Type: application/json" -d "{\"token\":\"$VIEWER\"}" "$URL/api/login" >/dev/null
check_true "session cookie is HttpOnly and SameSite=Strict" 'grep -q "#HttpOnly_127.0.0.1.*posbon_session" "$TMP/jar"'
check "the session works" "$(curl -s -b "$TMP/jar" "$URL/api/me")" '{"name":"wall-screen","role":"viewer","service":null,"unit":null}'

META=$(curl -s -H "$V" "$URL/api/meta")
check_true "meta names the district and categories" 'echo "$META" | python3 -c "import json,sys; m=json.load(sys.stdin); assert m[\"district\"][\"code\"] and len(m[\"categories\"]) >= 5"'
read -r W S E N <<EOT
$(echo "$META" | python3 -c 'import json,sys; print(*json.load(sys.stdin)["district"]["bounds"])')
EOT
tile_of() { # lon lat zoom -> "x y"
	python3 -c "
import math
lon, lat, z = $1, $2, $3
n = 2 ** z
print(int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n))"
}
# the busiest spot of the sample, where one more offence shows
set -- $(sql "$DB" "SELECT round(ST_X(geom), 3), round(ST_Y(geom), 3) FROM offences WHERE geom IS NOT NULL GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1" | tr '|' ' ')
CLON=$1 CLAT=$2
set -- $(tile_of "$CLON" "$CLAT" 15)
TX=$1 TY=$2
Q="from=2025-07-01&to=2026-06-30&bandwidth=60"
NEAR="$URL/tiles/heatmap/15/$TX/$TY.png?$Q"
FAR="$URL/tiles/heatmap/15/$((TX + 40))/$TY.png?$Q"   # about 20 km east
curl -s -H "$V" -D "$TMP/hn" -o "$TMP/near1.png" "$NEAR"
curl -s -H "$V" -D "$TMP/hf" -o /dev/null "$FAR"
etag_near=$(sed -n 's/^ETag: \(.*\)\r$/\1/Ip' "$TMP/hn")
etag_far=$(sed -n 's/^ETag: \(.*\)\r$/\1/Ip' "$TMP/hf")
check "tile is a 256 px PNG" "$(python3 -c "
import struct
d=open('$TMP/near1.png','rb').read()
print(d[:4]==b'\x89PNG', struct.unpack('>II', d[16:24]))")" "True (256, 256)"
check "same ETag gets 304" "$(code -H "$V" -H "If-None-Match: $etag_near" "$NEAR")" 304
check "@2x tile is 512 px" "$(curl -s -H "$V" "$URL/tiles/heatmap/15/$TX/$TY@2x.png" | python3 -c "
import struct,sys
d=sys.stdin.buffer.read(); print(struct.unpack('>II', d[16:24]))")" "(512, 512)"

# an open viewer listening for events
events_open "$V"
FEATURE="{\"type\":\"Feature\",\"properties\":{\"id\":\"live-1\",\"time\":\"2026-06-01T21:30:00\",\"category\":\"theft\",\"service\":\"ppx\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[$CLON,$CLAT]}}"
body=$(curl -s -w " %{http_code}" -H "$O" -H "Content-Type: application/json" -d "$FEATURE" "$URL/api/offences")
check "posting an offence answers 201" "$body" '{"inserted":1,"updated":0,"unchanged":0,"ids":["live-1"]} 201'
check "it is stored" "$(sql "$DB" "SELECT category || ' ' || (mahalla_code IS NOT NULL) FROM offences WHERE external_id = 'live-1'")" "theft 1"
check "and audited with who" "$(sql "$DB" "SELECT actor FROM audit WHERE action = 'ingest'")" "duty-desk"
curl -s -H "$V" -D "$TMP/hn2" -o "$TMP/near2.png" "$NEAR"
etag_near2=$(sed -n 's/^ETag: \(.*\)\r$/\1/Ip' "$TMP/hn2")
check_true "the tile that holds it has a new ETag" '[ "$etag_near2" != "$etag_near" ]'
check_true "and other pixels" '! cmp -s "$TMP/near1.png" "$TMP/near2.png"'
check "a tile 20 km away keeps its ETag" "$(code -H "$V" -H "If-None-Match: $etag_far" "$FAR")" 304
body=$(curl -s -H "$O" -d "$FEATURE" "$URL/api/offences")
check "re-posting is idempotent" "$body" '{"inserted":0,"updated":0,"unchanged":1,"ids":["live-1"]}'
check_true "the event stream told the viewer where" 'wait_file "\"added\":1,\"changed\":0,\"bbox\":[" "$TMP/events" && grep -q "^event: offences" "$TMP/events"'
kill "$SSE" 2>/dev/null || true

# corrections
check "PATCH corrects" "$(curl -s -H "$O" -X PATCH -d '{"properties":{"category":"robbery"}}' "$URL/api/offences/live-1")" '{"id":"live-1","changed":true}'
check "the correction is stored" "$(sql "$DB" "SELECT category FROM offences WHERE external_id = 'live-1'")" robbery
check "DELETE removes" "$(code -H "$O" -X DELETE "$URL/api/offences/live-1")" 200
check "deleting again is a 404" "$(code -H "$O" -X DELETE "$URL/api/offences/live-1")" 404
check "every write is audited" "$(sql "$DB" "SELECT group_concat(action) FROM (SELECT action FROM audit WHERE actor = 'duty-desk' ORDER BY id)")" "ingest,update,delete"

# figures
check "mahallas as GeoJSON" "$(curl -s -H "$V" "$URL/api/mahallas" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['features']))")" "$(sql "$DB" "SELECT count(*) FROM mahallas")"
FIG=$(curl -s -H "$V" "$URL/api/mahallas/M01?$Q")
check_true "a mahalla's figures" 'echo "$FIG" | python3 -c "import json,sys; f=json.load(sys.stdin); assert f[\"offences\"] > 0 and f[\"rate_per_1000\"] > 0 and f[\"by_category\"] and \"previous\" in f"'
check "unknown mahalla 404" "$(code -H "$V" "$URL/api/mahallas/M99")" 404
check "offence pages are capped" "$(code -H "$V" "$URL/api/offences?limit=100000")" 400
check "an offence page" "$(curl -s -H "$V" "$URL/api/offences?limit=7&bbox=$W,$S,$E,$N" | python3 -c "import json,sys; d=json.load(sys.stdin); print(len(d['features']), d['next_offset'])")" "7 7"
# what the viewer's popup shows of the offences under a click: the span of
# one known only as a span, its address, and how many the page left out
SPAN="{\"type\":\"Feature\",\"properties\":{\"id\":\"span-1\",\"from\":\"2026-06-02T22:00\",\"to\":\"2026-06-03T06:30\",\"category\":\"burglary\",\"service\":\"prevention\",\"status\":\"registered\",\"address\":\"Navoiy koʻchasi, 5-uy\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[$CLON,$CLAT]}}"
check "an offence known as a span is posted" "$(code -H "$O" -d "$SPAN" "$URL/api/offences")" 201
NEARBOX=$(python3 -c "print(f'{$CLON - 1e-4},{$CLAT - 1e-4},{$CLON + 1e-4},{$CLAT + 1e-4}')")
check "its page has the span, the address and the status" "$(curl -s -H "$V" "$URL/api/offences?bbox=$NEARBOX&from=2026-06-02&to=2026-06-03&limit=50" | python3 -c "
import json,sys
d=json.load(sys.stdin); p=[f['properties'] for f in d['features'] if f['properties']['id'] == 'span-1'][0]
print(p['from'], p['to'], p['precision'], p['address'], p['status'], d['matched'] == len(d['features']), d['next_offset'])")" \
	"2026-06-02T17:00:00Z 2026-06-03T01:30:59Z span Navoiy koʻchasi, 5-uy registered True None"
HERE=$(sql "$DB" "SELECT count(*) FROM offences WHERE ST_X(geom) BETWEEN $CLON - 1e-4 AND $CLON + 1e-4 AND ST_Y(geom) BETWEEN $CLAT - 1e-4 AND $CLAT + 1e-4")
check "a full page counts what it left out" "$(curl -s -H "$V" "$URL/api/offences?bbox=$NEARBOX&limit=2" | python3 -c "
import json,sys; d=json.load(sys.stdin); print(len(d['features']), d['next_offset'], d['matched'])")" "2 2 $HERE"
check_true "the busiest address holds more than a page of 2" '[ "$HERE" -gt 2 ]'
check "the offences legend says where the dots are drawn and how big" "$(curl -s -H "$V" "$URL/api/legend?layer=offences" | python3 -c "
import json,sys; d=json.load(sys.stdin); print(d['minzoom'], d['radius'], len(d['categories']) >= 5)")" "14.0 [[14.0, 2.5], [18.0, 5.0]] True"
check_true "legend of the heatmap" 'curl -s -H "$V" "$URL/api/legend?layer=heatmap&$Q" | grep -q "\"stops\":\[{\"value\""'
# A ramp fitted to a narrow filter: the style's times its share of every
# offence of the period, said in the legend; its tiles have their own ETag.
N="$Q&hours=20-08&categories=theft"
first_stop() { curl -s -H "$V" "$URL/api/legend?layer=heatmap&$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["stops"][0]["value"], d["ramp"])'; }
ABS=$(first_stop "$N")
FIT=$(first_stop "$N&ramp=fitted")
check "the absolute ramp is the default and says so" "${ABS#* }" absolute
check "the fitted one says so" "${FIT#* }" fitted
ABS=${ABS% *} FIT=${FIT% *}
check_true "and starts lower ($FIT against $ABS)" 'python3 -c "import sys; sys.exit(not 0 < $FIT < $ABS)"'
etag() { curl -s -o /dev/null -D - -H "$V" "$URL/tiles/heatmap/15/$TX/$TY.png?$1" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p'; }
check_true "a fitted tile has its own ETag" '[ "$(etag "$N")" != "$(etag "$N&ramp=fitted")" ]'
check "an unknown ramp is 400 naming it" \
	"$(curl -s -H "$V" "$URL/tiles/heatmap/15/$TX/$TY.png?ramp=loud" | python3 -c 'import json,sys; print(json.load(sys.stdin)["field"])')" ramp
# the change layer: this period's density minus the previous one's
curl -s -H "$V" -o "$TMP/change.png" "$URL/tiles/change/15/$TX/$TY.png?from=2026-05-01&to=2026-06-30"
check "a change tile is a 256 px PNG" "$(python3 -c "
import struct
d=open('$TMP/change.png','rb').read()
print(d[:4]==b'\x89PNG', struct.unpack('>II', d[16:24]))")" "True (256, 256)"
check "the change legend has falls and rises in the period's units" "$(curl -s -H "$V" "$URL/api/legend?layer=change&from=2026-05-01&to=2026-06-30" | python3 -c "
import json,sys
d=json.load(sys.stdin); v=[s['value'] for s in d['stops']]
print(d['layer'], round(d['period_days']), v[0] < 0 < v[-1], abs(v[-1] - 8000 * 61 / 365.25) < 1e-6, d['previous_to'] < d['from'])")" "change 61 True True True"
check "an open period's change legend takes the last 4 weeks" "$(curl -s -H "$V" "$URL/api/legend?layer=change" | python3 -c "
import json,sys; print(round(json.load(sys.stdin)['period_days']))")" 28
check_true "metrics in Prometheus text" 'curl -s -H "$V" "$URL/metrics" | grep -q "^posbon_tiles_rendered_total [1-9]"'

# bad input: each a 4xx naming what was wrong, and the daemon goes on
body=$(curl -s -w " %{http_code}" -H "$O" -d '{"type":"Feature", "properties": {' "$URL/api/offences")
check_true "malformed JSON is a 400 with the position" 'echo "$body" | grep -q "line 1, column .* 400$"'
body=$(curl -s -w " %{http_code}" -H "$O" -d '{"type":"Feature","properties":{"id":"x","time":"2026-06-01T10:00","category":"unicorn"},"geometry":{"type":"Point","coordinates":[69.25,41.3]}}' "$URL/api/offences")
check_true "unknown category is a 422 naming the field" 'echo "$body" | grep -q "\"field\":\"features\[0\].properties.category\".* 422$"'
body=$(curl -s -w " %{http_code}" -H "$O" -d '{"type":"Feature","properties":{"id":"x","time":"2026-06-01T10:00"},"geometry":{"type":"Point","coordinates":[269.25,41.3]}}' "$URL/api/offences")
check_true "coordinates out of range are a 422" 'echo "$body" | grep -q "coordinates.* 422$"'
body=$(curl -s -w " %{http_code}" -H "$O" -d '{"type":"Feature","properties":{"id":"x","time":"yesterday"},"geometry":null,"mahalla":"M01"}' "$URL/api/offences")
check_true "an unreadable time is a 422 naming it" 'echo "$body" | grep -q "properties.time.* 422$"'
long_id=$(head -c 201 /dev/zero | tr '\0' 'i')
body=$(curl -s -w " %{http_code}" -H "$O" -d '{"type":"Feature","properties":{"id":"'"$long_id"'","time":"2026-06-01T10:00"},"geometry":{"type":"Point","coordinates":[69.25,41.3]}}' "$URL/api/offences")
check_true "an id over 200 characters is a 422 naming it" 'echo "$body" | grep -q "\"field\":\"features\[0\].properties.id\".* 422$"'
body=$(curl -s -w " %{http_code}" -H "$O" -d '{"type":"Feature","properties":{"id":"x","from":"2026-06-02T10:00","to":"2026-06-01T10:00"},"geometry":{"type":"Point","coordinates":[69.25,41.3]}}' "$URL/api/offences")
check_true "a span ending before it starts is a 422 naming its end" 'echo "$body" | grep -q "\"field\":\"features\[0\].properties.to\".* 422$"'
head -c 100000 /dev/zero | tr '\0' 'x' >"$TMP/big"
check "an oversized body is a 413" "$(code -H "$O" --data-binary @"$TMP/big" "$URL/api/offences")" 413
check "path traversal finds nothing" "$(code --path-as-is "$URL/../../etc/passwd")" 404
check "hidden files are not served" "$(code "$URL/.git/config")" 404
check "a tile outside the pyramid is a 404" "$(code -H "$V" "$URL/tiles/heatmap/30/1/1.png")" 404
body=$(curl -s -w " %{http_code}" -H "$V" "$URL/tiles/heatmap/15/$TX/$TY.png?hours=25-3")
check_true "a bad filter is a 400 naming the field" 'echo "$body" | grep -q "\"field\":\"hours\".* 400$"'
check "an absurd bandwidth is a 400" "$(code -H "$V" "$URL/tiles/heatmap/15/$TX/$TY.png?bandwidth=1e9")" 400
check "unknown path 404" "$(code -H "$V" "$URL/api/nothing")" 404
check "wrong method 405" "$(code -X DELETE "$URL/healthz")" 405
# a slow client that sends half a request and then nothing is cut off
check "a stalled client is disconnected" "$(python3 -c "
import socket, time
s = socket.create_connection(('127.0.0.1', $port))
s.sendall(b'GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n')
s.settimeout(10)
t = time.time()
print('closed' if s.recv(100) == b'' and time.time() - t < 8 else 'open')")" closed
check "still serving" "$(code "$URL/healthz")" 200
check "nothing half-written" "$(sql "$DB" "SELECT count(*) FROM offences WHERE external_id = 'x'")" 0

kill -TERM "$PID"
wait "$PID"
check "SIGTERM stops it cleanly" "$?" 0
check_true "stop is logged" 'grep -q "stopped" "$TMP/error.log"'
check_true "access log has the requests" '[ "$(grep -c "GET /tiles" "$TMP/access.log")" -ge 5 ]'
finish
