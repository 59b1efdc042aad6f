# The planner's tile layers over HTTP on a generated sample district:
# hotspots, coverage and dosage tiles for a shift, their ETags (304 on a
# match; new after a live fix for dosage, the same for coverage), the
# shift's parameters refused by name, and their legends. (Pixels are
# checked in tests/unit/tiles/test_planmap.c.)
. "$(dirname "$0")/common.sh"
DB="$TMP/p.sqlite"
sample_db "$DB"
VIEWER=$("$POSBON" token add "$DB" --role viewer --name planner)
OFFICER=$("$POSBON" token add "$DB" --role officer --name unit)
serve_start "$DB" --threads 2 --cache-dir "$TMP/tiles"
V="Authorization: Bearer $VIEWER"
SHIFT="shift=18:00-02:00&weekdays=fri"
code() { curl -s -o /dev/null -w "%{http_code}" -H "$V" "$@"; }
field() { curl -s -H "$V" "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["field"])'; }
etag() { curl -s -o /dev/null -D - -H "$V" "$1" | sed -n 's/^ETag: *//Ip' | tr -d '\r'; }

# The tile at zoom 15 holding the top hotspot's peak.
curl -s -H "$V" "$URL/api/hotspots?$SHIFT" >"$TMP/h.json"
TILE=$(python3 -c '
import json, math, sys
lon, lat = json.load(open(sys.argv[1]))["features"][0]["properties"]["peak"]
n = 2 ** 15
x = int((lon + 180) / 360 * n)
y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
print(f"15/{x}/{y}")' "$TMP/h.json")
echo "top hotspot on tile $TILE"

# The API and the tiles share one set of hotspots: asked again, the set is
# kept; a tile of the same shift computes only its drawing of it.
results() { curl -s -H "$V" "$URL/metrics" | sed -n "s/^posbon_analysis_results_total{outcome=\"$1\"} //p"; }
computed=$(results computed) kept=$(results kept)
curl -s -H "$V" "$URL/api/hotspots?$SHIFT" >"$TMP/h-again.json"
check_true "the same hotspots asked again are kept, not found again" \
	'cmp -s "$TMP/h.json" "$TMP/h-again.json" && [ "$(results computed)" -eq "$computed" ] &&
	 [ "$(results kept)" -eq $((kept + 1)) ]'
curl -s -H "$V" -o /dev/null "$URL/tiles/hotspots/$TILE.png?$SHIFT"
check "a hotspots tile draws the API's set: one computation, its drawing" \
	"$(results computed)" $((computed + 1))
curl -s -H "$V" -o /dev/null "$URL/api/coverage?$SHIFT&date=2026-06-26"
curl -s -H "$V" -o /dev/null "$URL/tiles/coverage/$TILE.png?$SHIFT&date=2026-06-26"
check "the coverage API and tile share one coverage of that set" \
	"$(results computed)" $((computed + 2))

for layers in hotspots coverage dosage zones+coverage heatmap+hotspots; do
	curl -s -H "$V" -D "$TMP/head" -o "$TMP/t.png" "$URL/tiles/$layers/$TILE.png?$SHIFT&date=2026-06-26"
	check "$layers: a PNG" "$(head -c 4 "$TMP/t.png" | tail -c 3)$(sed -n 's/^HTTP[^ ]* \([0-9]*\).*/\1/p' "$TMP/head")" PNG200
done
EMPTY=$(curl -s -H "$V" "$URL/tiles/hotspots/15/0/0.png?$SHIFT" | wc -c)
FULL=$(curl -s -H "$V" "$URL/tiles/hotspots/$TILE.png?$SHIFT" | wc -c)
check_true "the hotspot's tile is drawn, a tile far away is empty" "[ $FULL -gt $((EMPTY + 200)) ]"

C="$URL/tiles/coverage/$TILE.png?$SHIFT&date=2026-06-26"
D="$URL/tiles/dosage/$TILE.png?$SHIFT&date=2026-06-26"
EC=$(etag "$C")
ED=$(etag "$D")
check_true "tiles have ETags" '[ -n "$EC" ] && [ -n "$ED" ]'
check "a matching ETag is 304" "$(code -H "If-None-Match: $EC" "$C")" 304
check_true "another shift, another ETag" '[ "$(etag "$URL/tiles/coverage/$TILE.png?shift=18:00-02:00&weekdays=sat&date=2026-06-26")" != "$EC" ]'
PEAK=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["features"][0]["properties"]["peak"]; print(p[0], p[1])' "$TMP/h.json")
set -- $PEAK
curl -s -o /dev/null -H "Authorization: Bearer $OFFICER" -H "Content-Type: application/json" \
	-d "{\"unit\":\"live-1\",\"fixes\":[{\"lon\":$1,\"lat\":$2,\"time\":\"2026-06-26T19:00:00+05:00\"},{\"lon\":$1,\"lat\":$2,\"time\":\"2026-06-26T19:00:50+05:00\"}]}" \
	"$URL/api/tracks"
check_true "a live fix changes the dosage tile's ETag" '[ "$(etag "$D")" != "$ED" ]'
check "and not the coverage tile's" "$(etag "$C")" "$EC"

T="$URL/tiles/coverage/$TILE.png"
check "a bad shift is 400 naming it" "$(field "$T?shift=25:00-03:00")" shift
check "bad weekdays are 400 naming them" "$(field "$T?shift=18-02&weekdays=someday")" weekdays
check "hours with a shift are 400 naming hours" "$(field "$T?shift=18-02&hours=20-23")" hours
check "a bad date is 400 naming it" "$(field "$T?shift=18-02&date=2026-02-30")" date
check "a bad share is 400 naming it" "$(field "$T?shift=18-02&share=2")" share
check "a bad target is 400 naming it" "$(field "$URL/tiles/dosage/$TILE.png?target=0")" target
check "an unknown layer is 404" "$(code "$URL/tiles/hotspot/$TILE.png")" 404

L="$URL/api/legend?layer="
check "the coverage legend names its statuses" \
	"$(curl -s -H "$V" "${L}coverage" | python3 -c 'import json,sys; o=json.load(sys.stdin); print([s["status"] for s in o["statuses"]], len(o["services"]) > 0)')" \
	"['gap', 'covered', 'joint', 'overlap'] True"
check "the dosage legend too" \
	"$(curl -s -H "$V" "${L}dosage" | python3 -c 'import json,sys; print([s["status"] for s in json.load(sys.stdin)["statuses"]])')" \
	"['unvisited', 'short', 'met']"

serve_stop "the daemon stops cleanly"
finish
