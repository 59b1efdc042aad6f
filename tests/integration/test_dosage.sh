# posbon dosage and the live tracks API on a generated sample district:
# units placed by hand at the peak of the day's hotspot 1 on a day without
# sample tracks (2026-07-05, Asia/Tashkent), so the minutes and visits are
# known before computing them: a GPX file through the importer (one unit
# 10 minutes, one 16 minutes), live fixes through POST /api/tracks (1
# minute), then the dosage through the CLI and over HTTP; 401/403 and 400
# naming the field.
. "$(dirname "$0")/common.sh"
DB="$TMP/d.sqlite"
sample_db "$DB"
"$POSBON" hotspots "$DB" -o "$TMP/hot.geojson" >/dev/null
PEAK=$(python3 -c 'import json,sys; p=json.load(sys.stdin)["features"][0]["properties"]["peak"]; print(p[0], p[1])' <"$TMP/hot.geojson")
set -- $PEAK
LON=$1 LAT=$2

# A GPX file: track A-1 at the peak 10:00-10:10 local, track B-2 there
# 11:00-11:16, fixes every 10 s (05:00Z is 10:00 in Tashkent).
python3 - "$LON" "$LAT" >"$TMP/patrol.gpx" <<'PY'
import sys, datetime as d
lon, lat = float(sys.argv[1]), float(sys.argv[2])
print('<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">')
for name, start, minutes in (("A-1", 5, 10), ("B-2", 6, 16)):
    t0 = d.datetime(2026, 7, 5, start, 0, tzinfo=d.timezone.utc)
    print("<trk><name>%s</name><trkseg>" % name)
    for k in range(minutes * 6 + 1):
        t = (t0 + d.timedelta(seconds=10 * k)).strftime("%Y-%m-%dT%H:%M:%SZ")
        print('<trkpt lat="%.7f" lon="%.7f"><time>%s</time></trkpt>' % (lat, lon, t))
    print("</trkseg></trk>")
print("</gpx>")
PY
"$POSBON" import "$DB" --layer tracks "$TMP/patrol.gpx" --quiet >"$TMP/import.txt"
check_true "the GPX import stored two tracks" 'grep -q "inserted 2" "$TMP/import.txt"'
check "units from the GPX track names" \
	"$(sql "$DB" "SELECT group_concat(unit || ':' || n_fixes, ' ') FROM (SELECT unit, n_fixes FROM patrol_tracks WHERE unit IN ('A-1', 'B-2') ORDER BY unit)")" \
	"A-1:61 B-2:97"

table=$("$POSBON" dosage "$DB" --date 2026-07-05)
echo "$table"
check_true "the table names the day and the target" \
	'echo "$table" | head -2 | grep -q "2026-07-05 .. 2026-07-05: 1 occurrences, 2 tracks" && echo "$table" | grep -q "1 visit(s) of 15 minutes"'
check "hotspot 1: 26 minutes, 2 visits, 1 full, met; B-2 before A-1" \
	"$(echo "$table" | awk '$1 == 1 {print $2, $3, $4, $5, $7, $8, $9, $10}')" \
	"met 26.0 2 1 B-2 16.0/1 A-1 10.0/1"
check_true "the hotspots nobody visited come first" \
	'echo "$table" | awk "NR > 3" | head -1 | grep -q unvisited && echo "$table" | tail -1 | grep -q " met "'

OFFICER=$("$POSBON" token add "$DB" --role officer --name car-7)
VIEWER=$("$POSBON" token add "$DB" --role viewer --name wall)
serve_start "$DB" --threads 2 --cache-dir "$TMP/tiles"
O="Authorization: Bearer $OFFICER"
V="Authorization: Bearer $VIEWER"
code() { curl -s -o /dev/null -w "%{http_code}" "$@"; }
field() { curl -s "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("field"))'; }
fix() { printf '{"lon":%s,"lat":%s,"time":"%s"}' "$LON" "$LAT" "$1"; }
BODY="{\"unit\":\"L-3\",\"service\":\"ppx\",\"fixes\":[$(fix 2026-07-05T12:00:00+05:00),$(fix 2026-07-05T12:00:30+05:00)]}"

check "live fixes need credentials" "$(code -X POST -d "$BODY" "$URL/api/tracks")" 401
check "a viewer may not post fixes" "$(code -X POST -H "$V" -d "$BODY" "$URL/api/tracks")" 403
check "a fix without a unit is 400 naming unit" \
	"$(field -X POST -H "$O" -d '{"fixes":[]}' "$URL/api/tracks")" unit
check "an unknown service is 400 naming it" \
	"$(field -X POST -H "$O" -d '{"unit":"X","service":"nope","fixes":[]}' "$URL/api/tracks")" service
check "a bad time is 400 naming the fix" \
	"$(field -X POST -H "$O" -d "{\"unit\":\"X\",\"fixes\":[$(fix 2026-07-05T12:00:00),$(fix yesterday)]}" "$URL/api/tracks")" \
	"fixes[1].time"
check "a latitude out of range is 400 naming it" \
	"$(field -X POST -H "$O" -d '{"unit":"X","fixes":[{"lon":69,"lat":91,"time":"2026-07-05T12:00"}]}' "$URL/api/tracks")" \
	"fixes[0].lat"
check "live fixes are stored" "$(code -X POST -H "$O" -d "$BODY" "$URL/api/tracks")" 201
check "one more fix extends the unit's track of the day" \
	"$(code -X POST -H "$O" -d "{\"unit\":\"L-3\",\"service\":\"ppx\",\"fixes\":[$(fix 2026-07-05T12:01:00+05:00)]}" "$URL/api/tracks")" \
	201
check "one track of 3 fixes" \
	"$(sql "$DB" "SELECT external_id || ' ' || n_fixes FROM patrol_tracks WHERE unit = 'L-3'")" \
	"live:L-3:2026-07-05 3"
check "units need credentials" "$(code "$URL/api/units")" 401
check "GET /api/units: L-3's last position and time" \
	"$(curl -s -H "$V" "$URL/api/units" | python3 -c '
import json, sys
fc = json.load(sys.stdin)
u = {f["properties"]["unit"]: f for f in fc["features"]}["L-3"]
print(u["properties"]["time"], u["properties"]["service"], u["properties"]["age_s"] > 0, u["geometry"]["type"])')" \
	"2026-07-05T07:01:00Z ppx True Point"

check "dosage needs credentials" "$(code "$URL/api/dosage?date=2026-07-05")" 401
check "a bad date is 400 naming it" "$(field -H "$V" "$URL/api/dosage?date=2026-07-45")" date
check "a bad first day is 400 naming it" "$(field -H "$V" "$URL/api/dosage?from=x&to=2026-07-05")" from
check "a target of 0 is 400 naming it" "$(field -H "$V" "$URL/api/dosage?date=2026-07-05&target=0")" target
check "a bad shift is 400 naming it" "$(field -H "$V" "$URL/api/dosage?shift=25-02")" shift
curl -s -H "$V" "$URL/api/dosage?date=2026-07-05" >"$TMP/dosage.json"
check "over HTTP: hotspot 1 has 27 minutes in 3 visits, 1 full, by three units" \
	"$(python3 -c '
import json, sys
fc = json.load(sys.stdin)
f = {x["properties"]["rank"]: x for x in fc["features"]}
p = f[1]["properties"]
units = " ".join("%s:%.1f/%d" % (u["unit"], u["minutes"], u["visits"]) for u in p["units"])
print(fc["type"], fc["from"], fc["to"], fc["occurrences"], fc["target_minutes"], f[1]["geometry"]["type"] in ("Polygon", "MultiPolygon"))
print(p["status"], round(p["minutes"], 3), p["visits"], p["full_visits"], p["occurrences_met"], units)
st = [x["properties"]["status"] for x in fc["features"]]
order = {"unvisited": 0, "short": 1, "met": 2}
print([order[s] for s in st] == sorted(order[s] for s in st))' <"$TMP/dosage.json")" \
	"FeatureCollection 2026-07-05 2026-07-05 1 15.0 True
met 27.0 3 1 1 B-2:16.0/1 A-1:10.0/1 L-3:1.0/1
True"
# A shift of 10:05-11:10 has hotspots of its own; wherever the peak lies,
# A-1 is in it 10:05-10:10 and B-2 11:00-11:10: 15 minutes, two visits,
# both full at a 5-minute target, but short of 3 full visits.
curl -s -H "$V" "$URL/api/dosage?date=2026-07-05&target=5&visits=3&shift=10:05-11:10" >"$TMP/morning.json"
check "a 10:05-11:10 shift and 3 visits of 5 minutes: 15 minutes, 2 full visits, short" \
	"$(python3 -c '
import json, sys
fc = json.load(sys.stdin)
held = [x["properties"] for x in fc["features"] if x["properties"]["minutes"] > 0]
p = held[0]
print(fc["shift"], len(held), p["status"], round(p["minutes"], 3), p["visits"], p["full_visits"])' <"$TMP/morning.json")" \
	"10:05-11:10 1 short 15.0 2 2"

serve_stop "the daemon stops cleanly"
finish
