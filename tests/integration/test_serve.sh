# posbon serve over loopback: health, tiles with ETag and 304, TileJSON, JSON
# errors naming the field, and a graceful stop on SIGTERM.
. "$(dirname "$0")/common.sh"
DB="$TMP/s.sqlite"
"$POSBON" sample "$DB" --offences 3000 --mahallas 10 --end 2026-06-30 >/dev/null
"$POSBON" serve "$DB" --listen 127.0.0.1:0 --threads 2 --cache-dir "$TMP/tiles" >"$TMP/access.log" 2>"$TMP/error.log" &
PID=$!
port=""
for _ in $(seq 1 100); do
	port=$(sed -n 's|.*on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$TMP/error.log")
	[ -n "$port" ] && break
	sleep 0.1
done
check_true "server announced its port" '[ -n "$port" ]'
URL="http://127.0.0.1:$port"

check "health" "$(curl -s "$URL/healthz" | sed 's/"offences":[0-9]*/"offences":N/')" \
	'{"status":"ok","schema":1,"offences":N,"data_version":1}'
# The district's centre tile at z14 and its neighbours; one of them has heat.
read -r W S E N <<EOT
$(curl -s "$URL/tiles/heatmap.json" | python3 -c 'import json,sys; print(*json.load(sys.stdin)["bounds"])')
EOT
check_true "TileJSON bounds around Tashkent" 'awk -v w="$W" -v n="$N" "BEGIN { exit !(w > 69 && w < 69.5 && n > 41 && n < 41.5) }"'
xy=$(python3 -c "
import math
lon, lat = ($W + $E) / 2, ($S + $N) / 2
n = 2 ** 14
x = int((lon + 180) / 360 * n)
y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
print(x, y)")
set -- $xy
TILE="$URL/tiles/heatmap/14/$1/$2.png"
code=$(curl -s -o "$TMP/t.png" -D "$TMP/h" -w "%{http_code}" "$TILE")
check "tile answers 200" "$code" 200
check "tile is a 256 px PNG" "$(python3 -c "
import struct,sys
d=open('$TMP/t.png','rb').read()
print(d[:4]==b'\x89PNG', struct.unpack('>II', d[16:24]))")" "True (256, 256)"
etag=$(sed -n 's/^ETag: \(.*\)\r$/\1/Ip' "$TMP/h")
check_true "tile has an ETag" '[ -n "$etag" ]'
check_true "the tile is in the disk cache" '[ "$(find "$TMP/tiles" -name "*.png" | wc -l)" -ge 1 ]'
check "a cached tile is the same tile" "$(curl -s "$TILE" | cmp - "$TMP/t.png" && echo same)" same
check "same ETag gets 304" "$(curl -s -o /dev/null -w "%{http_code}" -H "If-None-Match: $etag" "$TILE")" 304
check "@2x tile is 512 px" "$(curl -s "$URL/tiles/heatmap/14/$1/$2@2x.png" | python3 -c "
import struct,sys
d=sys.stdin.buffer.read(); print(struct.unpack('>II', d[16:24]))")" "(512, 512)"
check "a filter changes the ETag" "$(curl -s -D - -o /dev/null "$TILE?hours=20-08" | sed -n 's/^ETag: \(.*\)\r$/\1/Ip' | grep -c -F "$etag")" 0
body=$(curl -s -w " %{http_code}" "$TILE?hours=25-3")
check_true "bad filter is a 400 naming the field" 'echo "$body" | grep -q "\"field\":\"hours\".* 400$"'
body=$(curl -s -w " %{http_code}" "$URL/tiles/heatmap/30/1/1.png")
check_true "tile outside the zoom range is a 404" 'echo "$body" | grep -q " 404$"'
body=$(curl -s -w " %{http_code}" "$URL/tiles/unicorns/1/1/1.png")
check_true "unknown layer is a 404 naming it" 'echo "$body" | grep -q "unicorns.* 404$"'
check "unknown path 404" "$(curl -s -o /dev/null -w "%{http_code}" "$URL/nothing")" 404
check "wrong method 405" "$(curl -s -o /dev/null -w "%{http_code}" -X DELETE "$URL/healthz")" 405

kill -TERM "$PID"
wait "$PID"
check "SIGTERM stops it cleanly" "$?" 0
check_true "stop is logged" 'grep -q "stopped" "$TMP/error.log"'
check_true "access log has the requests" '[ "$(grep -c "GET /tiles" "$TMP/access.log")" -ge 5 ]'
finish
