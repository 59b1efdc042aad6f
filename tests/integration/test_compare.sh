# The comparison table on a city: the 12 Tashkent districts, a few mahallas
# in two of them, offences at exact times in known districts over 16 months.
# Every count of every district and mahalla, in every span, by category,
# equals an independent count over the store (SQL on occurred_from), through
# posbon compare's CSV and GET /api/compare's JSON; a district-scoped token
# sees its own district only; the printed page shows the districts' names
# whole and their totals.
. "$(dirname "$0")/common.sh"
need_data
DB="$TMP/city.sqlite"
"$POSBON" import "$DB" --layer districts --quiet "$DATA/tashkent/districts.geojson" >/dev/null

# Mahallas: two squares side by side on a point of Chilonzor and of
# Bektemir (where their offences gather), and a third in Chilonzor without
# offences; one of Bektemir's has no population.
sql "$DB" "SELECT code, X(ST_PointOnSurface(geom)), Y(ST_PointOnSurface(geom)) FROM districts
 WHERE code IN ('chilonzor_district', 'bektemir_district')" >"$TMP/points"
python3 - "$TMP/points" >"$TMP/mahallas.geojson" <<'EOF'
import json, sys
features = []
for line in open(sys.argv[1]):
    code, x, y = line.strip().split("|")
    x, y, d = float(x), float(y), 0.0025
    short = code.split("_")[0]
    boxes = [("west", x - d, y - d, x, y + d, 1200), ("east", x, y - d, x + d, y + d, None)]
    if short == "chilonzor":
        boxes[1] = ("east", x, y - d, x + d, y + d, 800)
        boxes.append(("south", x - d, y - 3 * d, x + d, y - 2 * d, 500))
    for name, x0, y0, x1, y1, pop in boxes:
        props = {"code": f"{short}-{name}", "name_uz": f"{short.title()} {name} mahallasi",
                 "district": code}
        if pop is not None:
            props["population"] = pop
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
print(json.dumps({"type": "FeatureCollection", "features": features}))
EOF
"$POSBON" import "$DB" --layer mahallas --quiet "$TMP/mahallas.geojson" >/dev/null
check "the mahallas lie inside their districts" \
	"$(sql "$DB" "SELECT count(*) FROM mahallas m JOIN districts d ON d.code = m.district_code
	 WHERE ST_Within(m.geom, d.geom)")" 5

# District i (by code) gets 60 + 25 i offences around its point, at exact
# local times spread over 2025-01-01 .. 2026-04-29, and Chilonzor some at
# the spans' first and last seconds.
district_offences "$DB" "60 + 25 * d.i" \
	"strftime('%Y-%m-%d %H:%M:%S', '2025-01-01', '+' || (k * 37 % 484) || ' days',
	 '+' || (k * 7 % 24) || ' hours', '+' || (k * 13 % 60) || ' minutes',
	 '+' || (k * 17 % 60) || ' seconds')" >"$TMP/offences.csv"
P=$(sql "$DB" "SELECT printf('%.6f,%.6f', X(p), Y(p))
 FROM (SELECT ST_PointOnSurface(geom) AS p FROM districts WHERE code = 'chilonzor_district')")
n=0
for t in "2026-03-01 00:00:00" "2026-03-31 23:59:59" "2026-04-01 00:00:00" "2026-02-28 23:59:59" \
	"2026-01-29 00:00:00" "2026-01-28 23:59:59" "2026-01-01 00:00:00" "2025-12-31 23:59:59" \
	"2025-03-31 23:59:59" "2025-01-01 00:00:00"; do
	n=$((n + 1))
	echo "edge-$n,$P,$t,theft,chilonzor_district" >>"$TMP/offences.csv"
done
"$POSBON" import "$DB" --layer offences --quiet "$TMP/offences.csv" >/dev/null
check "every offence stored" "$(sql "$DB" "SELECT count(*) FROM offences")" \
	"$(($(wc -l <"$TMP/offences.csv") - 1))"
check_true "mahallas hold offences" \
	'[ "$(sql "$DB" "SELECT count(*) FROM offences WHERE mahalla_code IS NOT NULL")" -gt 100 ]'

# The independent counts: per district, per mahalla (district|mahalla) and
# category ("" for the total), per span, as UTC seconds of Tashkent's local
# days (UTC+5).
SPANS="offences:2026-03-01:2026-03-31 previous:2026-01-29:2026-02-28
last_year:2025-03-01:2025-03-31 ytd:2026-01-01:2026-03-31 ytd_last_year:2025-01-01:2025-03-31"
: >"$TMP/expected"
for s in $SPANS; do
	name=${s%%:*}
	rest=${s#*:}
	from=${rest%%:*}
	to=${rest#*:}
	sql "$DB" "SELECT '$name', district_code, coalesce(mahalla_code, ''), category, count(*)
	 FROM offences WHERE district_code IS NOT NULL AND occurred_from BETWEEN
	  strftime('%s', '$from') - 18000 AND strftime('%s', '$to', '+1 day') - 18000 - 1
	 GROUP BY district_code, mahalla_code, category" >>"$TMP/expected"
done
check_true "the spans hold offences" '[ "$(wc -l <"$TMP/expected")" -gt 100 ]'

# Compares a table (JSON of GET /api/compare) with the expected counts:
# prints the mismatches, "" when every row and category agrees.
cat >"$TMP/agree.py" <<'EOF'
import collections, json, sys
table = json.load(open(sys.argv[1]))
want = collections.Counter()
for line in open(sys.argv[2]):
    span, district, mahalla, category, n = line.strip().split("|")
    for key in ((district, ""), (district, category)):
        want[(span, *key)] += int(n)
    if mahalla:
        for key in ((mahalla, ""), (mahalla, category)):
            want[(span, *key)] += int(n)
spans = ["offences", "previous", "last_year", "ytd", "ytd_last_year"]
bad = []
for row in table["rows"]:
    for span in spans:
        if row[span] != want[(span, row["code"], "")]:
            bad.append(f"{row['code']} {span} {row[span]} != {want[(span, row['code'], '')]}")
        for cat, counts in row["categories"].items():
            if counts[span] != want[(span, row["code"], cat)]:
                bad.append(f"{row['code']} {cat} {span}")
print(" ".join(bad[:10]))
EOF
"$POSBON" compare "$DB" --from 2026-03-01 --to 2026-03-31 --json -o "$TMP/cli.json"
check "posbon compare: every district's counts agree with SQL" \
	"$(python3 "$TMP/agree.py" "$TMP/cli.json" "$TMP/expected")" ""
check "one row per district" \
	"$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["rows"]))' "$TMP/cli.json")" 12
for d in chilonzor bektemir; do
	"$POSBON" compare "$DB" --from 2026-03-01 --to 2026-03-31 --district "${d}_district" \
		--json -o "$TMP/$d.json"
	check "posbon compare --district ${d}_district: every mahalla's counts agree with SQL" \
		"$(python3 "$TMP/agree.py" "$TMP/$d.json" "$TMP/expected")" ""
done
check "Chilonzor's mahallas are its three" \
	"$(python3 -c 'import json,sys; print(" ".join(r["code"] for r in json.load(open(sys.argv[1]))["rows"]))' "$TMP/chilonzor.json")" \
	"chilonzor-east chilonzor-south chilonzor-west"
check "the edges count: 2026-03-01 00:00:00 and 03-31 23:59:59 in, 04-01 out" \
	"$(sql "$DB" "SELECT count(*) FROM offences WHERE external_id LIKE 'edge-%'
	 AND occurred_from BETWEEN strftime('%s', '2026-03-01') - 18000
	 AND strftime('%s', '2026-04-01') - 18001")" 2
check "rates: Chilonzor's west per 1,000 of its 1,200 residents, Bektemir unknown" \
	"$(python3 -c '
import json, sys
c = {r["code"]: r for r in json.load(open(sys.argv[1]))["rows"]}
b = json.load(open(sys.argv[2]))
w = c["chilonzor-west"]
print(abs(w["rate"] - w["offences"] / 1.2) < 1e-9, c["chilonzor-south"]["offences"], b["total"]["rate"])' \
		"$TMP/chilonzor.json" "$TMP/bektemir.json")" "True 0 None"

# CSV: a header, a row per district and the total, the JSON's figures.
"$POSBON" compare "$DB" --from 2026-03-01 --to 2026-03-31 --csv --sort -offences >"$TMP/cli.csv"
check "CSV: header, 12 districts, total" "$(wc -l <"$TMP/cli.csv")" 14
check "CSV: the header names the measures" \
	"$(head -n 1 "$TMP/cli.csv" | cut -d, -f1-9)" \
	"code,name_uz,name_ru,name_en,offences,previous,last_year,ytd,ytd_last_year"
check "CSV: sorted by offences, the JSON's counts" \
	"$(python3 -c '
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
j = {r["code"]: r for r in json.load(open(sys.argv[2]))["rows"]}
counts = [int(r["offences"]) for r in rows[:-1]]
print(counts == sorted(counts, reverse=True),
      all(int(r["ytd"]) == j[r["code"]]["ytd"] for r in rows[:-1]), rows[-1]["code"])' \
		"$TMP/cli.csv" "$TMP/cli.json")" "True True total"

# The API: the same table, CSV, and a token of Chilonzor sees Chilonzor.
VIEWER=$("$POSBON" token add "$DB" --role viewer --name city)
CV=$("$POSBON" token add "$DB" --role viewer --name chilonzor --scope district:chilonzor_district)
serve_start "$DB" --threads 2 --cache-dir none
V="Authorization: Bearer $VIEWER"
S="Authorization: Bearer $CV"
curl -s -H "$V" "$URL/api/compare?from=2026-03-01&to=2026-03-31" >"$TMP/api.json"
check "GET /api/compare: every district's counts agree with SQL" \
	"$(python3 "$TMP/agree.py" "$TMP/api.json" "$TMP/expected")" ""
curl -s -H "$V" "$URL/api/compare?from=2026-03-01&to=2026-03-31&district=bektemir_district" \
	>"$TMP/api-b.json"
check "GET /api/compare?district=: every mahalla's counts agree with SQL" \
	"$(python3 "$TMP/agree.py" "$TMP/api-b.json" "$TMP/expected")" ""
check "the API's table is the command's" \
	"$(python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
print(a == b)' "$TMP/api.json" "$TMP/cli.json")" True
curl -s -D "$TMP/headers" -H "$V" \
	"$URL/api/compare?from=2026-03-01&to=2026-03-31&format=csv&sort=-ytd" >"$TMP/api.csv"
check "CSV over HTTP" "$(sed -n 's/^Content-Type: \([a-z/]*\).*/\1/ip' "$TMP/headers" | tr -d '\r')" \
	"text/csv"
check "with its header row and the 12 districts and the total" \
	"$(head -n 1 "$TMP/api.csv" | cut -d, -f1) $(wc -l <"$TMP/api.csv")" "code 14"
check "a scoped token sees its district's row only" \
	"$(curl -s -H "$S" "$URL/api/compare?from=2026-03-01&to=2026-03-31" | python3 -c '
import json, sys
t = json.load(sys.stdin)
print(" ".join(r["code"] for r in t["rows"]), t["total"]["offences"] == t["rows"][0]["offences"])')" \
	"chilonzor_district True"
status() { curl -s -o "$TMP/body" -w "%{http_code}" "$@"; }
field() { python3 -c "import json; print(json.load(open('$TMP/body'))['field'])"; }
check "another district's mahallas are 403" \
	"$(status -H "$S" "$URL/api/compare?district=bektemir_district") $(field)" "403 district"
check "its own district's mahallas are shown" \
	"$(curl -s -H "$S" "$URL/api/compare?from=2026-03-01&to=2026-03-31&district=chilonzor_district" |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))')" 3
check "a bad sort is 400 naming it" "$(status -H "$V" "$URL/api/compare?sort=size") $(field)" \
	"400 sort"
check "hours are 400: the table counts whole days" \
	"$(status -H "$V" "$URL/api/compare?hours=20-08") $(field)" "400 hours"
check "a bad day is 400 naming it" "$(status -H "$V" "$URL/api/compare?from=2026-13-01") $(field)" \
	"400 from"

# The printed page: every district by name, whole, with its period's count.
curl -s -H "$V" -o "$TMP/compare.pdf" "$URL/print/compare.pdf?from=2026-03-01&to=2026-03-31&lang=uz"
pdftotext -layout "$TMP/compare.pdf" "$TMP/compare.txt"
check "the page shows every district's name and period count" \
	"$(python3 - "$TMP/compare.txt" "$TMP/api.json" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
table = json.load(open(sys.argv[2]))
missing = []
for r in table["rows"] + [dict(table["total"], name_uz="Jami")]:
    count = f'{r["offences"]:,}'.replace(",", "\u2009")
    if not re.search(re.escape(r["name_uz"]) + r"\s+" + re.escape(count) + r"\s", text):
        missing.append(r["name_uz"])
print(" ".join(missing))
EOF
)" ""
curl -s -H "$S" "$URL/print/compare.pdf?from=2026-03-01&to=2026-03-31" |
	pdftotext -layout - "$TMP/scoped.txt"
check "a scoped token's page shows its district only" \
	"$(grep -c "Chilonzor tumani" "$TMP/scoped.txt") $(grep -c "Bektemir" "$TMP/scoped.txt")" "2 0"
check "a page of another district's mahallas is 403" \
	"$(status -H "$S" "$URL/print/compare.pdf?district=bektemir_district")" 403
serve_stop

# No word is cut in any language or paper: each word of every name and
# column head stands whole in the text of the page.
for args in "ru" "en --paper A3 --landscape" "uz --district chilonzor_district"; do
	lang=${args%% *}
	# shellcheck disable=SC2086 # args are several options
	"$POSBON" print "$DB" --compare --from 2026-03-01 --to 2026-03-31 --lang $args \
		-o "$TMP/p.pdf" >/dev/null
	# shellcheck disable=SC2086
	"$POSBON" compare "$DB" --from 2026-03-01 --to 2026-03-31 --json \
		$(echo "$args" | grep -o -- "--district [a-z_]*") -o "$TMP/p.json"
	pdftotext -raw "$TMP/p.pdf" "$TMP/p.txt"
	check "print --compare --lang $args: names and heads whole" \
		"$(python3 - "$TMP/p.txt" "$TMP/p.json" "$lang" <<'EOF'
import json, re, sys
words = set(re.findall(r"\S+", open(sys.argv[1]).read()))
table, lang = json.load(open(sys.argv[2])), sys.argv[3]
heads = {"uz": "Davrda Oldingi Oʻzgarish Oʻtgan yil boshidan 1000 aholiga Zonalar qamragan "
               "qaynoq nuqtalar Mahalla Jami",
         "ru": "За период Предыдущий Изменение Прошлый год С начала прошлого года На 1000 "
               "жителей Очаги, охваченные зонами Район Всего",
         "en": "Period Previous Change Last year Year to date Last year to date Per 1,000 "
               "residents Hotspots covered by zones District Total"}[lang]
expected = heads.split() + [w for r in table["rows"] for w in r["name_" + lang].split()]
print(" ".join(w for w in expected if w not in words))
EOF
)" ""
done
finish
