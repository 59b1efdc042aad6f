# A generated city (posbon sample --districts 4): four districts tiling it,
# each district's printed page counting its own offences, and the API's
# figures of every district equal to a count over the store.
. "$(dirname "$0")/common.sh"
DB="$TMP/s.sqlite"
"$POSBON" sample "$DB" --districts 4 --offences 8000 --end 2026-06-30 >"$TMP/report"
cat "$TMP/report"
check_true "the report counts the districts and their mahallas" \
	'grep -q ": 4 districts, 160 mahallas, .* 8000 offences" "$TMP/report"'
check "four districts" "$(sql "$DB" "SELECT count(*) FROM districts")" 4
check "none overlapping another" \
	"$(sql "$DB" "SELECT count(*) FROM districts a, districts b WHERE a.code < b.code
	 AND ST_Area(ST_Intersection(a.geom, b.geom)) > 0")" 0
check "each mahalla in its district" \
	"$(sql "$DB" "SELECT count(*) FROM mahallas m JOIN districts d ON d.code = m.district_code
	 WHERE ST_Area(ST_Intersection(m.geom, d.geom)) > 0.99999 * ST_Area(m.geom)")" 160
check "every offence in a district placed in it" \
	"$(sql "$DB" "SELECT count(*) FROM offences o WHERE geom IS NOT NULL AND district_code
	 IS NULL AND EXISTS (SELECT 1 FROM districts d WHERE ST_Covers(d.geom, o.geom))")" 0

# Two districts' pages: their own totals, which differ.
count() { # district
	sql "$DB" "SELECT count(*) FROM offences WHERE district_code = '$1'"
}
A=$(sql "$DB" "SELECT code FROM districts ORDER BY code LIMIT 1")
B=$(sql "$DB" "SELECT code FROM districts ORDER BY code LIMIT 1 OFFSET 1")
for d in "$A" "$B"; do
	"$POSBON" print "$DB" --district "$d" --from 2025-07-01 --to 2026-06-30 \
		-o "$TMP/$d.pdf" >/dev/null
done
check "$A's page counts $A's offences" "$(pdf_total "$TMP/$A.pdf")" "$(count "$A")"
check "$B's page counts $B's offences" "$(pdf_total "$TMP/$B.pdf")" "$(count "$B")"
check_true "and the two differ" '[ "$(pdf_total "$TMP/$A.pdf")" != "$(pdf_total "$TMP/$B.pdf")" ]'

# The API's figures of every district, against the store.
VIEWER=$("$POSBON" token add "$DB" --role viewer --name city-screen)
serve_start "$DB" --threads 2 --cache-dir none
wrong=""
for d in $(sql "$DB" "SELECT code FROM districts ORDER BY code"); do
	got=$(curl -s -H "Authorization: Bearer $VIEWER" "$URL/api/summary?district=$d" |
		python3 -c 'import json,sys; print(round(json.load(sys.stdin)["offences"]))')
	[ "$got" = "$(count "$d")" ] || wrong="$wrong $d:$got/$(count "$d")"
done
check "GET /api/summary?district= counts each district's offences" "$wrong" ""
serve_stop

set +e
err=$("$POSBON" sample "$TMP/never.sqlite" --districts 4 --ground houses 2>&1)
rc=$?
set -e
check "an unknown --ground is refused" "$rc" 2
check_true "naming the option" 'echo "$err" | grep -q -- "--ground"'
check_true "and making nothing" '[ ! -e "$TMP/never.sqlite" ]'
finish
