# Coverage on real jurisdictions: the NYC precincts as mahallas and the 303
# patrol sectors as zones (one unit per sector, on duty all week), with the
# shootings. Every shooting inside a sector must be counted in exactly one
# sector (the units' offences add up to the offences inside any zone, and
# to SpatiaLite's own count of shootings within a sector), and the sectors
# of a precinct must hold the shootings that lie in that precinct.
. "$(dirname "$0")/common.sh"
need_data
DB="$TMP/nyc.sqlite"
"$POSBON" import "$DB" --layer mahallas --quiet "$DATA/nyc/precincts.geojson" >/dev/null
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["features"]:
    s = f["properties"]["sector"]
    f["properties"].update(service="nypd", unit=s, shift_start="00:00", shift_end="00:00", weekdays="mon-sun")
json.dump(d, open(sys.argv[2], "w"))' "$DATA/nyc/sectors.geojson" "$TMP/sectors.geojson"
"$POSBON" import "$DB" --layer zones --quiet "$TMP/sectors.geojson" >/dev/null
"$POSBON" import "$DB" --layer offences --tz America/New_York --quiet "$DATA/nyc/shootings.csv" >/dev/null
check "303 sectors" "$(sql "$DB" "SELECT count(*) FROM patrol_zones")" 303

# The whole period, every hour: every shooting with a point counts.
"$POSBON" coverage "$DB" --from 2000-01-01 --to 2030-12-31 --cell 200 --format json -o "$TMP/c.json"
inside=$(sql "$DB" "SELECT count(*) FROM offences o WHERE EXISTS (SELECT 1 FROM patrol_zones z
	WHERE z.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'patrol_zones'
	AND search_frame = o.geom) AND ST_Within(o.geom, z.geom))")
echo "shootings within a sector (SpatiaLite): $inside"
check "every shooting inside a sector is counted in exactly one sector" \
	"$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
units = c["units"]
print(c["offences"], len(units), sum(u["offences"] for u in units) == c["offences_in_zones"], c["offences_in_zones"])' "$TMP/c.json")" \
	"27302 303 True $inside"
# A precinct's shootings (located by the importer) against its sectors' (101D is
# precinct 101). Shootings on no sector (water, parks cut out of the sectors)
# are the only ones a precinct may hold beyond its sectors.
sql "$DB" "SELECT coalesce(mahalla_code, '-'), count(*) FROM offences GROUP BY 1" | tr '|' ' ' >"$TMP/precincts.txt"
check "each precinct's sectors hold all of its shootings" "$(python3 -c '
import json, re, sys
c = json.load(open(sys.argv[1]))
by = {}
for line in open(sys.argv[2]):
    code, n = line.split()
    by[code] = int(n)
sectors = {}
for u in c["units"]:
    p = re.match(r"\d+", u["unit"]).group(0)
    sectors[p] = sectors.get(p, 0) + u["offences"]
wrong = [(p, n, by.get(p, 0)) for p, n in sectors.items() if n > by.get(p, 0)]
missing = sum(by.values()) - sum(sectors.values())
print("ok" if not wrong and missing == c["offences"] - c["offences_in_zones"] else (wrong[:5], missing))' "$TMP/c.json" "$TMP/precincts.txt")" ok
finish
