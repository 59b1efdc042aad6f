# posbon hotspots and GET /api/hotspots on a generated sample district: the
# table, GeoJSON ranked by offences, the densest 3% of the district, a
# Friday night shift that keeps Saturday 00:00-01:59 and nothing else of
# Saturday, bad input named, and the CLI and the daemon agreeing.
. "$(dirname "$0")/common.sh"
DB="$TMP/h.sqlite"
sample_db "$DB"

table=$("$POSBON" hotspots "$DB" --shift 18:00-02:00 --weekdays fri)
echo "$table"
check_true "the table names the shift and the share" \
	'echo "$table" | head -2 | grep -q "shift 18:00-02:00 fri" && echo "$table" | grep -q "the densest 3% of"'
check "the table's ranks run 1, 2, 3" "$(echo "$table" | awk 'NR > 3 && NR <= 6 {printf "%s ", $1}')" "1 2 3 "
check_true "the table is ranked by offences" \
	'echo "$table" | awk "NR > 3 { if (NR > 4 && \$2 > prev) exit 1; prev = \$2 }"'

"$POSBON" hotspots "$DB" --shift 18-02 --weekdays fri -o "$TMP/fri.geojson" >/dev/null
# Checks a FeatureCollection of hotspots on stdin; prints "ok" or what is wrong.
CHECK_FC='
import json, sys
fc = json.load(sys.stdin)
f = fc["features"]
assert fc["type"] == "FeatureCollection" and len(f) >= 2, "at least two hotspots"
assert [x["properties"]["rank"] for x in f] == list(range(1, len(f) + 1)), "ranks"
n = [x["properties"]["offences"] for x in f]
assert n == sorted(n, reverse=True), "ranked by offences: %s" % n
assert sum(n) <= fc["offences"], "inside <= all"
area = sum(x["properties"]["area_m2"] for x in f)
target = fc["share"] * fc["district_area_m2"]
assert target <= area < target + 1.01 * fc["cell_m"] ** 2, "area %g for %g" % (area, target)
for x in f:
    p = x["properties"]
    assert x["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert p["peak_density"] >= fc["threshold"]
    assert sum(p["hours"]) == p["offences"] == sum(p["weekdays"])
    if len(sys.argv) > 1:  # a Friday 18-02 shift
        assert all(p["hours"][h] == 0 for h in range(2, 18)), "hours %s" % p["hours"]
        w = p["weekdays"]
        assert w[4] + w[5] == p["offences"], "only Friday and Saturday: %s" % w
        assert w[5] == p["hours"][0] + p["hours"][1], "Saturday is after midnight"
print("ok")
'
check "GeoJSON: ranked, 3% of the area, Friday 18-02 only" \
	"$(python3 -c "$CHECK_FC" fri <"$TMP/fri.geojson")" ok
LAST=$(sql "$DB" "SELECT max((occurred_from + occurred_to) / 2) FROM offences WHERE geom IS NOT NULL")
check "the default period is the 8 weeks to the latest offence" \
	"$(python3 -c 'import json,sys; f=json.load(sys.stdin); print(f["from"], f["to"], f["shift"])' <"$TMP/fri.geojson")" \
	"$(python3 -c "
import datetime as d
t = lambda s: d.datetime.fromtimestamp(s, d.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
print(t($LAST - 8 * 7 * 86400 + 1), t($LAST), '18:00-02:00 fri')")"
"$POSBON" hotspots "$DB" --share 0.05 --cell 50 --top 2 -o "$TMP/all.geojson" >/dev/null
check "--top, --share and --cell" \
	"$(python3 -c 'import json,sys; f=json.load(sys.stdin); print(len(f["features"]), f["share"], f["cell_m"], f["shift"])' <"$TMP/all.geojson")" \
	"2 0.05 50.0 None"

set +e
err=$("$POSBON" hotspots "$DB" --shift 25:00-03:00 2>&1)
rc=$?
set -e
check "a bad shift exits 2" "$rc" 2
check_true "and says what is wrong" 'echo "$err" | grep -q "shift: .25:00-03:00. is not"'

VIEWER=$("$POSBON" token add "$DB" --role viewer --name planner-screen)
serve_start "$DB" --threads 2 --cache-dir "$TMP/tiles"
URL="$URL/api/hotspots"
V="Authorization: Bearer $VIEWER"
code() { curl -s -o /dev/null -w "%{http_code}" "$@"; }

check "hotspots need credentials" "$(code "$URL?shift=18:00-02:00")" 401
check "a bad shift is 400 naming it" \
	"$(curl -s -w ' %{http_code}' -H "$V" "$URL?shift=25:00-03:00&weekdays=fri" | python3 -c 'import sys; t=sys.stdin.read(); import json; b, c = t.rsplit(" ", 1); print(json.loads(b)["field"], c)')" \
	"shift 400"
check "bad weekdays are 400 naming them" \
	"$(curl -s -H "$V" "$URL?shift=18-02&weekdays=someday" | python3 -c 'import json,sys; print(json.load(sys.stdin)["field"])')" \
	weekdays
check "a share over 1 is 400 naming it" \
	"$(curl -s -H "$V" "$URL?share=2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["field"])')" share
check "a cell under 1 m is 400 naming it" "$(code -H "$V" "$URL?cell=0.5")" 400
check "an unknown category is 400" "$(code -H "$V" "$URL?categories=nothing")" 400

curl -s -H "$V" "$URL?shift=18:00-02:00&weekdays=fri" >"$TMP/http.geojson"
check "over HTTP: ranked, 3% of the area, Friday 18-02 only" \
	"$(python3 -c "$CHECK_FC" fri <"$TMP/http.geojson")" ok
check "the daemon and the command line find the same hotspots" \
	"$(python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
print(a["features"] == b["features"] and a["threshold"] == b["threshold"])' "$TMP/fri.geojson" "$TMP/http.geojson")" True
"$POSBON" hotspots "$DB" --from 2026-01-01 --to 2026-03-31 --categories theft,robbery \
	-o "$TMP/q1.geojson" >/dev/null
curl -s -H "$V" "$URL?from=2026-01-01&to=2026-03-31&categories=theft,robbery" >"$TMP/q1-http.geojson"
check "a period and categories: the same on both" \
	"$(python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
n = [x["properties"]["offences"] for x in a["features"]]
codes = {c["code"] for x in a["features"] for c in x["properties"]["top_categories"]}
print(a["features"] == b["features"], a["from"], len(n) > 0, codes <= {"theft", "robbery"})' "$TMP/q1.geojson" "$TMP/q1-http.geojson")" \
	"True 2025-12-31T19:00:00Z True True"

serve_stop "the daemon stops cleanly"
finish
