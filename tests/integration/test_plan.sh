# posbon plan and GET /api/plan, POST /api/plan/save on a generated sample
# district: every unit within its minutes, no cell twice, the figures adding
# up, bad parameters named, roles, and a saved plan visible as zones.
. "$(dirname "$0")/common.sh"
DB="$TMP/p.sqlite"
sample_db "$DB"

table=$("$POSBON" plan "$DB" --shift 18:00-02:00 --weekdays fri --units ppx:4:480,youth:2:360)
echo "$table"
check_true "the table names the shift" 'echo "$table" | head -1 | grep -q "shift 18:00-02:00 fri"'
check "one row per unit" "$(echo "$table" | grep -c -- '-plan-')" 6
check_true "the plan and the current zones are compared" \
	'echo "$table" | grep -q "^suggested plan: .*%" && echo "$table" | grep -q "^current zones: .*%"'

"$POSBON" plan "$DB" --shift 18-02 --weekdays fri --units ppx:4:480,youth:2:360 \
	--format geojson -o "$TMP/plan.geojson"
# Checks a plan FeatureCollection on stdin; prints "ok" or what is wrong.
CHECK_PLAN='
import json, math, sys
fc = json.load(sys.stdin)
f = fc["features"]
assert fc["type"] == "FeatureCollection" and len(f) == int(sys.argv[1]), "units %d" % len(f)
seen = set()
covered = 0
for x in f:
    p = x["properties"]
    k = p["rounds"]
    assert k == math.ceil(480 / fc["every"]), "rounds"
    assert p["minutes_used"] <= p["minutes"] + 1e-6, "%s over its minutes" % p["unit"]
    walk = p["travel_km"] * 1000 / (fc["speed_kmh"] * 1000 / 60)
    assert abs(p["minutes_used"] - k * (fc["visit"] * len(p["cells"]) + walk)) < 1e-6, "minutes"
    assert p["visits"] == k * len(p["cells"])
    assert [c["order"] for c in p["cells"]] == list(range(1, len(p["cells"]) + 1))
    for c in p["cells"]:
        key = (round(c["lon"], 9), round(c["lat"], 9))
        assert key not in seen, "a cell twice"
        seen.add(key)
        covered += c["expected_offences"]
    assert abs(sum(c["expected_offences"] for c in p["cells"]) - p["expected_offences"]) < 1e-9
    if p["cells"]:
        assert x["geometry"]["type"] == "MultiPolygon"
assert len(seen) > 10, "cells planned"
assert abs(covered - fc["covered"]) < 1e-9 and 0 < fc["share"] <= 1
assert abs(fc["expected_offences"] * fc["shifts"] - fc["offences"]) < 1e-6
assert fc["shifts"] == 8 and fc["shift"] == "18:00-02:00 fri"
assert 0 < fc["current"]["share"] <= 1 and len(fc["current"]["units"]) > 0
print("ok")
'
check "GeoJSON: within minutes, no cell twice, figures adding up" \
	"$(python3 -c "$CHECK_PLAN" 6 <"$TMP/plan.geojson")" ok
"$POSBON" plan "$DB" --shift 18-02 --weekdays fri --format geojson -o "$TMP/zones.geojson"
check "without --units: the current zones' units on duty" \
	"$(python3 -c 'import json,sys; f=json.load(sys.stdin); print(len(f["features"]) == len(f["current"]["units"]) > 0)' <"$TMP/zones.geojson")" True

bad() { # description, expected first word of the message, arguments
	desc=$1 word=$2
	shift 2
	set +e
	err=$("$POSBON" plan "$DB" --shift 18-02 --weekdays fri "$@" 2>&1)
	rc=$?
	set -e
	check "$desc: exit 2 naming $word" "$rc $(echo "$err" | sed -n "s/^posbon plan: \($word\):.*/\1/p")" "2 $word"
}
bad "negative hours" units --units ppx:2:-60
bad "more minutes than the shift" units --units ppx:2:600
bad "a malformed unit list" units --units ppx-4
bad "an empty period" from --from 2020-01-01 --to 2020-01-31 --units ppx:1:480
bad "a negative speed" --speed --speed -5 --units ppx:1:480
bad "visits longer than their interval" every --visit 30 --every 20 --units ppx:1:480
bad "an unknown category's relevance" relevance --relevance ppx:nothing=2 --units ppx:1:480
bad "an unknown forecast" forecast --forecast bogus --units ppx:1:480

VIEWER=$("$POSBON" token add "$DB" --role viewer --name wall)
PLANNER=$("$POSBON" token add "$DB" --role planner --name planner)
serve_start "$DB" --threads 2 --cache-dir "$TMP/tiles"
V="Authorization: Bearer $VIEWER"
P="Authorization: Bearer $PLANNER"
Q="shift=18:00-02:00&weekdays=fri&units=ppx:4:480,youth:2:360"
code() { curl -s -o /dev/null -w "%{http_code}" "$@"; }
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)["field"])'; }

check "the plan needs credentials" "$(code "$URL/api/plan?$Q")" 401
curl -s -H "$V" "$URL/api/plan?$Q" >"$TMP/http.geojson"
check "over HTTP: within minutes, no cell twice" "$(python3 -c "$CHECK_PLAN" 6 <"$TMP/http.geojson")" ok
check "the daemon and the command line plan the same" \
	"$(python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
print(a["features"] == b["features"] and a["current"] == b["current"])' "$TMP/plan.geojson" "$TMP/http.geojson")" True
check "negative hours are 400 naming units" \
	"$(curl -s -H "$V" "$URL/api/plan?shift=18-02&weekdays=fri&units=ppx:1:-480" | field)" units
check "a bad speed is 400 naming it" "$(curl -s -H "$V" "$URL/api/plan?$Q&speed=-1" | field)" speed
check "an empty period is 400 naming from" \
	"$(curl -s -H "$V" "$URL/api/plan?$Q&from=2020-01-01&to=2020-01-31" | field)" from
check "a bad shift is 400 naming it" "$(curl -s -H "$V" "$URL/api/plan?shift=25-03" | field)" shift
check "an unknown forecast is 400 naming it" \
	"$(curl -s -H "$V" "$URL/api/plan?$Q&forecast=bogus" | field)" forecast

# The gistar forecast against GET /api/gistar on the same offences: a day
# shift within one day is the filter hours=08-20 on the same weekdays.
PERIOD="from=2026-04-01&to=2026-06-30&categories=&services="
curl -s -H "$V" "$URL/api/plan?shift=08:00-20:00&weekdays=mon-fri&units=ppx:4:480&forecast=gistar&$PERIOD" \
	>"$TMP/gistar-plan.geojson"
curl -s -H "$V" "$URL/api/gistar?hours=08-20&weekdays=mon-fri&cell=200&$PERIOD" >"$TMP/gistar.geojson"
check "forecast=gistar: every cell planned is Gi* hot at 95%, with Gi*'s offences" \
	"$(python3 -c '
import json, sys
plan, gi = (json.load(open(p)) for p in sys.argv[1:])
assert plan["forecast"] == "gistar" and plan["cell_m"] == gi["cell_m"] == 200
hot = {(f["properties"]["i"], f["properties"]["j"]): f["properties"]["count"]
       for f in gi["features"] if f["properties"]["bin"] >= 2}
assert plan["gistar"]["hot_cells"] == len(hot) and plan["gistar"]["band_m"] == gi["band_m"]
assert plan["candidates"] == min(2000, sum(1 for n in hot.values() if n > 0))
cells = [c for f in plan["features"] for c in f["properties"]["cells"]]
assert len(cells) > 0, "no cell planned"
for c in cells:
    assert (c["i"], c["j"]) in hot, "cell %d,%d is not hot" % (c["i"], c["j"])
    assert abs(c["expected_offences"] * plan["shifts"] - hot[(c["i"], c["j"])]) < 1e-6
print("ok")' "$TMP/gistar-plan.geojson" "$TMP/gistar.geojson")" ok
"$POSBON" plan "$DB" --shift 08:00-20:00 --weekdays mon-fri --units ppx:4:480 --forecast gistar \
	--from 2026-04-01 --to 2026-06-30 --format geojson -o "$TMP/gistar-cli.geojson"
check "forecast=gistar: the daemon and the command line plan the same" \
	"$(python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
print(a["features"] == b["features"] and a["gistar"] == b["gistar"])' "$TMP/gistar-plan.geojson" "$TMP/gistar-cli.geojson")" True

S="$URL/api/plan/save?$Q&valid_from=2026-07-06"
check "a viewer may not save a plan" "$(code -X POST -H "$V" "$S")" 403
check "saving needs valid_from" \
	"$(curl -s -X POST -H "$P" "$URL/api/plan/save?$Q" | field)" valid_from
before=$(sql "$DB" "SELECT count(*) FROM patrol_zones")
curl -s -X POST -H "$P" -w '\n%{http_code}' "$S" >"$TMP/saved.txt"
check "a planner saves the plan: 201" "$(tail -1 "$TMP/saved.txt")" 201
n=$(python3 -c "$(cat <<'PY'
import json, sys
saved = json.loads(open(sys.argv[1]).read().rsplit("\n", 1)[0])
plan = json.load(open(sys.argv[2]))
print(len(saved["zones"]), sum(1 for f in plan["features"] if f["properties"]["cells"]))
PY
)" "$TMP/saved.txt" "$TMP/plan.geojson")
check "one zone per unit with cells" "$(echo "$n" | awk '{print ($1 == $2 && $1 > 0)}')" 1
check "the zones are stored" "$(sql "$DB" "SELECT count(*) - $before FROM patrol_zones")" "${n%% *}"
check "and audited" "$(sql "$DB" "SELECT count(*) FROM audit WHERE entity_id LIKE 'plan-2026-07-06-%'")" "${n%% *}"
curl -s -H "$V" "$URL/api/zones" >"$TMP/zones.json"
check "GET /api/zones shows them with their assignment" \
	"$(python3 -c '
import json, sys
z = [f for f in json.load(sys.stdin)["features"] if f["id"].startswith("plan-2026-07-06-")]
a = z[0]["properties"]["assignments"][0]
print(len(z), z[0]["properties"]["valid_from"], a["shift_start"], a["shift_end"], a["weekdays"], z[0]["properties"]["name"].startswith("Plan 18:00-02:00 fri"))' <"$TMP/zones.json")" \
	"${n%% *} 2026-07-06 18:00 02:00 fri True"

serve_stop "the daemon stops cleanly"
finish
