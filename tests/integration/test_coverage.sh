# posbon coverage and GET /api/coverage on a generated sample district: the
# tables, JSON and CSV; every status agreeing with the services that cover
# the hotspot; PAI the ratio of the two shares; bad input named; 401
# without a token; the daemon and the command line giving the same figures.
# (The figures themselves are worked out by hand in
# tests/unit/analysis/test_coverage.c.)
. "$(dirname "$0")/common.sh"
DB="$TMP/c.sqlite"
sample_db "$DB"

table=$("$POSBON" coverage "$DB" --shift 18:00-02:00 --weekdays fri)
echo "$table" | head -12
check_true "the table names the shift and counts the statuses" \
	'echo "$table" | head -1 | grep -q "^shift 18:00-02:00 fri: [0-9.]* offences" && echo "$table" | sed -n 2p | grep -q "^hotspots: [0-9]* gaps, [0-9]* covered, [0-9]* joint, [0-9]* overlaps"'
check_true "the table has units, services and mahallas" \
	'echo "$table" | grep -q "^per unit" && echo "$table" | grep -q "^per service" && echo "$table" | grep -q "^responsibility per mahalla"'

"$POSBON" coverage "$DB" --shift 18-02 --weekdays fri --format json -o "$TMP/fri.json"
"$POSBON" coverage "$DB" --shift 18-02 --weekdays fri --format csv -o "$TMP/fri.csv"
# Checks a coverage JSON (argv[1]) and its CSV (argv[2]); prints "ok" or what is wrong.
CHECK='
import csv, json, math, sys
c = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
h = c["hotspots"]
assert len(h) >= 3, "hotspots"
assert [x["rank"] for x in h] == list(range(1, len(h) + 1)), "ranks"
names = {"gap": "gaps", "covered": "covered", "joint": "joint", "overlap": "overlaps"}
for s, k in names.items():
    assert c[k] == sum(x["status"] == s for x in h), k
for x in h:
    services = {a["service"] for a in x["covered_by"]}
    assert x["services"] == len(services)
    want = {0: "gap", 1: "covered"}.get(len(services))
    if want:
        assert x["status"] == want, x
    else:
        assert x["status"] in ("joint", "overlap"), x
        zones = {}
        for a in x["covered_by"]:
            zones.setdefault(a["zone"], set()).add(a["service"])
        assert (x["status"] == "joint") == any(v == services for v in zones.values()), x
# Offences known only as spans count by their share of the shift: fractions.
assert abs(sum(x["offences"] for x in h) - c["hotspot_offences"]) < 1e-6
assert c["hotspot_offences"] <= c["offences"] + 1e-9
for g in c["units"] + c["services"]:
    assert g["offences"] <= c["offences_in_zones"] + 1e-9 <= c["offences"] + 2e-9
    assert abs(g["offence_share"] - g["offences"] / c["offences"]) < 1e-9
    assert abs(g["area_share"] - g["zone_area_m2"] / c["district_area_m2"]) < 1e-9
    assert g["pai"] is None or abs(g["pai"] - g["offence_share"] / g["area_share"]) < 1e-6 * g["pai"]
units = {(u["service"], u["unit"]) for u in c["units"]}
for s in c["services"]:
    assert s["offences"] >= max(u["offences"] for u in c["units"] if u["service"] == s["service"]) - 1e-9
    assert s["zones"] <= sum(u["zones"] for u in c["units"] if u["service"] == s["service"])
for m in c["mahallas"]:
    assert set(m) == {"code", "name_uz", "name_ru", "name_en", "assignments"}
    assert all((a["service"], a["unit"]) in units for a in m["assignments"])
assert list(rows[0]) == ["rank", "status", "offences", "area_m2", "zone", "service", "unit"]
assert len(rows) == sum(max(1, len(x["covered_by"])) for x in h), "one row per hotspot and assignment"
want = [(x["rank"], x["status"], round(x["offences"], 6), a["zone"], a["service"], a["unit"] or "")
        for x in h for a in (x["covered_by"] or [{"zone": "", "service": "", "unit": ""}])]
got = [(int(r["rank"]), r["status"], round(float(r["offences"]), 6), r["zone"], r["service"], r["unit"]) for r in rows]
assert got == want, "CSV rows follow the JSON"
print("ok")
'
check "JSON and CSV: statuses, shares, PAI and rows agree" "$(python3 -c "$CHECK" "$TMP/fri.json" "$TMP/fri.csv" 2>&1)" ok
LAST=$(sql "$DB" "SELECT max((occurred_from + occurred_to) / 2) FROM offences WHERE geom IS NOT NULL")
check "the JSON names the shift and the period (8 weeks to the latest offence)" \
	"$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["shift"], c["period"]["to"], c["date"])' "$TMP/fri.json")" \
	"18:00-02:00 fri $(date -u -d "@$LAST" +%Y-%m-%dT%H:%M:%SZ) None"
"$POSBON" coverage "$DB" --format json -o "$TMP/week.json"
"$POSBON" coverage "$DB" --format csv -o "$TMP/week.csv"
check "a whole week: joint patrols and overlaps, all agreeing" \
	"$(python3 -c "$CHECK" "$TMP/week.json" "$TMP/week.csv" 2>&1) $(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["joint"] > 0, c["overlaps"] > 0)' "$TMP/week.json")" \
	"ok True True"
check "a whole week puts every zone in play" \
	"$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["zones"], c["shift"])' "$TMP/week.json")" \
	"$(sql "$DB" "SELECT count(*) FROM patrol_zones") None"

set +e
err=$("$POSBON" coverage "$DB" --shift 18-02 --date 2026-02-30 2>&1)
rc=$?
set -e
check "a bad date exits 2" "$rc" 2
check_true "and says what is wrong" 'echo "$err" | grep -q "date: .2026-02-30. is not a date"'

VIEWER=$("$POSBON" token add "$DB" --role viewer --name planner)
serve_start "$DB" --threads 2 --cache-dir "$TMP/tiles"
URL="$URL/api/coverage"
V="Authorization: Bearer $VIEWER"
code() { curl -s -o /dev/null -w "%{http_code}" "$@"; }
field() { curl -s -H "$V" "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["field"])'; }

check "coverage needs credentials" "$(code "$URL?shift=18:00-02:00")" 401
check "a bad shift is 400 naming it" "$(field "$URL?shift=25:00-03:00&weekdays=fri")" shift
check "bad weekdays are 400 naming them" "$(field "$URL?shift=18-02&weekdays=someday")" weekdays
check "a bad date is 400 naming it" "$(field "$URL?shift=18-02&date=2026-13-01")" date
check "a bad share is 400 naming it" "$(field "$URL?share=2")" share
check "an unknown category is 400" "$(code -H "$V" "$URL?categories=nothing")" 400

curl -s -H "$V" "$URL?shift=18:00-02:00&weekdays=fri" >"$TMP/http.json"
curl -s -H "$V" -H "Accept: text/csv" "$URL?shift=18:00-02:00&weekdays=fri" >"$TMP/http.csv"
check "over HTTP: statuses, shares, PAI and rows agree" "$(python3 -c "$CHECK" "$TMP/http.json" "$TMP/http.csv" 2>&1)" ok
check "the daemon and the command line give the same JSON" \
	"$(python3 -c 'import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); print(a == b)' "$TMP/fri.json" "$TMP/http.json")" True
check "and the same CSV" "$(cmp -s "$TMP/fri.csv" "$TMP/http.csv" && echo same)" same
check "CSV is served as text/csv" \
	"$(curl -s -o /dev/null -w '%{content_type}' -H "$V" -H 'Accept: text/csv' "$URL?shift=18-02")" \
	"text/csv; charset=utf-8"
"$POSBON" coverage "$DB" --shift 08:00-20:00 --weekdays mon-fri --from 2026-01-01 --to 2026-03-31 \
	--categories theft,robbery --date 2026-02-02 --format json -o "$TMP/q1.json"
curl -s -H "$V" "$URL?shift=08:00-20:00&weekdays=mon-fri&from=2026-01-01&to=2026-03-31&categories=theft,robbery&date=2026-02-02" >"$TMP/q1-http.json"
check "a period, categories and a date: the same on both" \
	"$(python3 -c 'import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); print(a == b, a["date"], a["period"]["from"])' "$TMP/q1.json" "$TMP/q1-http.json")" \
	"True 2026-02-02 2025-12-31T19:00:00Z"

serve_stop "the daemon stops cleanly"
finish
