# posbon import --layer reference on an office's own files, made here with
# ogr2ogr from GeoJSON written by the test: a cadastre's buildings in a
# GeoPackage in UTM 42N (EPSG:32642) with their street and house number, a
# street register in a Shapefile (also UTM) with names in two languages and
# a class column, and a market in a CSV with WKT. Every feature must be
# stored with its fields and other columns as tags, back in longitude/
# latitude; what lies beyond the districts is left out; a second import
# changes nothing and a newer file updates in place. The base layer draws
# them (the decoded tile's pixels), and offences given only by an address
# are placed at those houses.
. "$(dirname "$0")/common.sh"
DB="$TMP/ref.sqlite"
cd "$TMP"

# A district and its mahalla: 69.23..69.26 by 41.29..41.31.
SQUARE='{"type":"Polygon","coordinates":[[[69.23,41.29],[69.26,41.29],[69.26,41.31],[69.23,41.31],[69.23,41.29]]]}'
echo '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"D1","name_uz":"Yunusobod"},"geometry":'"$SQUARE"'}]}' >district.geojson
echo '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"M1","name_uz":"Bahor","district":"D1"},"geometry":'"$SQUARE"'}]}' >mahalla.geojson
"$POSBON" import "$DB" --layer districts --quiet district.geojson >/dev/null
"$POSBON" import "$DB" --layer mahallas --quiet mahalla.geojson >/dev/null

# Buildings south of Navroʻz koʻchasi, one far beyond the district:
# "cadastre number|street|number|floors|material|west|south|east|north".
cat >buildings.txt <<'TXT'
TSH-0001|Navroʻz koʻchasi|12|5|gisht|69.2403|41.2994|69.2407|41.2998
TSH-0002|Navroʻz koʻchasi|14|9|panel|69.2410|41.2994|69.2414|41.2998
TSH-0003|Navroʻz koʻchasi|16|2|gisht|69.2426|41.2994|69.2430|41.2998
TSH-0900|Olis koʻchasi|1|1|gisht|69.3500|41.3500|69.3504|41.3504
TXT
buildings_geojson() { # buildings.txt -> GeoJSON
	python3 - "$1" <<'PY'
import json, sys
features = []
for line in open(sys.argv[1], encoding="utf-8"):
    cad, street, number, floors, material, w, s, e, n = line.rstrip("\n").split("|")
    w, s, e, n = map(float, (w, s, e, n))
    features.append({"type": "Feature",
                     "properties": {"kadastr_raqami": cad, "kocha": street, "uy": number,
                                    "qavatlar": int(floors), "material": material},
                     "geometry": {"type": "Polygon",
                                  "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}})
print(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
PY
}
# Streets: "id|name_uz|name_ru|class|x0|y0|x1|y1".
cat >streets.txt <<'TXT'
S1|Navroʻz koʻchasi|улица Навруз|residential|69.2400|41.3000|69.2440|41.3000
S2|Amir Temur shoh koʻchasi|проспект Амира Темура|primary|69.2420|41.2985|69.2420|41.3015
S3|Olis koʻchasi|Дальняя улица|residential|69.3500|41.3510|69.3600|41.3510
TXT
streets_geojson() { # streets.txt -> GeoJSON
	python3 - "$1" <<'PY'
import json, sys
features = []
for line in open(sys.argv[1], encoding="utf-8"):
    sid, uz, ru, cls, x0, y0, x1, y1 = line.rstrip("\n").split("|")
    features.append({"type": "Feature",
                     "properties": {"id": sid, "name_uz": uz, "name_ru": ru, "toifa": cls,
                                    "uzunlik": 330},
                     "geometry": {"type": "LineString",
                                  "coordinates": [[float(x0), float(y0)], [float(x1), float(y1)]]}})
print(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
PY
}
make_files() {
	buildings_geojson buildings.txt >buildings.geojson
	streets_geojson streets.txt >streets.geojson
	rm -f buildings.gpkg streets.shp streets.shx streets.dbf streets.prj streets.cpg
	ogr2ogr -f GPKG -t_srs EPSG:32642 -nln buildings buildings.gpkg buildings.geojson
	ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:32642 -lco ENCODING=UTF-8 streets.shp streets.geojson
}
make_files
echo '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"poi","nomi":"Navroʻz bozori","class":"market","ochiq":"08:00-18:00"},"geometry":{"type":"Point","coordinates":[69.2435,41.3004]}}]}' >places.geojson
ogr2ogr -f CSV -t_srs EPSG:32642 -lco GEOMETRY=AS_WKT places.csv places.geojson
check_true "the cadastre is in UTM 42N" 'ogrinfo -so buildings.gpkg buildings | grep -q "UTM zone 42N"'

import_all() {
	"$POSBON" import "$DB" --layer reference --kind building --quiet buildings.gpkg >out-b.txt &&
		"$POSBON" import "$DB" --layer reference --kind street --field class=toifa --quiet \
			streets.shp >out-s.txt &&
		"$POSBON" import "$DB" --layer reference --srs EPSG:32642 --quiet places.csv >out-p.txt
}
import_all
cat out-b.txt out-s.txt out-p.txt | sed 's/^/  /'
check_true "the cadastre's report: read in UTM, 3 buildings kept, 1 beyond the districts" \
	'grep -q "coordinates in EPSG:32642" out-b.txt && grep -q "read 4, inserted 3," out-b.txt &&
	 grep -q "building 3," out-b.txt && grep -q "beyond it: 1" out-b.txt'
check_true "its columns were guessed: id, street and house number" \
	'grep -q "fields: id=kadastr_raqami, street=kocha, housenumber=uy" out-b.txt'
check_true "the street register: 2 streets kept, 1 beyond" \
	'grep -q "read 3, inserted 2," out-s.txt && grep -q "street 2," out-s.txt && grep -q "beyond it: 1" out-s.txt'
check_true "the market from the CSV's WKT is a place" \
	'grep -q "inserted 1," out-p.txt && grep -q "places of interest among them: 1" out-p.txt'

# Every building as stored: id, kind, address, tags, and its box back in
# longitude/latitude within 1e-7 degrees (1 cm) of the file's.
stored=$(sql "$DB" "SELECT external_id || '|' || source || '|' || kind || '|' || addr_street || '|' ||
	addr_housenumber || '|' || tags || '|' || printf('%.7f|%.7f|%.7f|%.7f', MbrMinX(geom),
	MbrMinY(geom), MbrMaxX(geom), MbrMaxY(geom)) FROM ref_features WHERE kind = 'building'
	ORDER BY external_id")
expected=$(head -n 3 buildings.txt | while IFS='|' read -r cad street number floors material w s e n; do
	printf '%s\n' "buildings:$cad|buildings|building|$street|$number|{\"qavatlar\":\"$floors\",\"material\":\"$material\"}|$(printf '%.7f|%.7f|%.7f|%.7f' "$w" "$s" "$e" "$n")"
done)
check "every building stored with its address, tags and place" "$stored" "$expected"
check "stored as polygons in EPSG:4326" \
	"$(sql "$DB" "SELECT DISTINCT GeometryType(geom) || ' ' || ST_SRID(geom) FROM ref_features WHERE kind = 'building'")" \
	"POLYGON 4326"
stored=$(sql "$DB" "SELECT external_id || '|' || name || '|' || name_uz || '|' || name_ru || '|' || class ||
	'|' || json_extract(tags, '$.uzunlik') || '|' || printf('%.7f|%.7f|%.7f|%.7f', ST_X(ST_StartPoint(geom)),
	ST_Y(ST_StartPoint(geom)), ST_X(ST_EndPoint(geom)), ST_Y(ST_EndPoint(geom))) FROM ref_features
	WHERE kind = 'street' ORDER BY external_id")
expected=$(head -n 2 streets.txt | while IFS='|' read -r sid uz ru cls x0 y0 x1 y1; do
	printf '%s\n' "streets:$sid|$uz|$uz|$ru|$cls|330|$(printf '%.7f|%.7f|%.7f|%.7f' "$x0" "$y0" "$x1" "$y1")"
done)
check "every street stored with both names (the Uzbek one local), class and tags" "$stored" "$expected"
check "the market: its name, place and tags (not its WKT)" \
	"$(sql "$DB" "SELECT external_id || '|' || kind || '|' || poi || '|' || name || '|' || tags || '|' ||
	printf('%.6f %.6f', ST_X(geom), ST_Y(geom)) FROM ref_features WHERE kind = 'poi'")" \
	'places:1|poi|market|Navroʻz bozori|{"ochiq":"08:00-18:00"}|69.243500 41.300400'

# The same files again: nothing changes.
before=$(sql "$DB" "SELECT count(*) || ' ' || max(updated_at) || ' ' || sum(length(tags)) FROM ref_features")
import_all
check_true "a second import leaves every feature unchanged" \
	'grep -q "read 4, inserted 0, updated 0, unchanged 3," out-b.txt &&
	 grep -q "read 3, inserted 0, updated 0, unchanged 2," out-s.txt &&
	 grep -q "read 1, inserted 0, updated 0, unchanged 1," out-p.txt'
check "the stored features are as they were" \
	"$(sql "$DB" "SELECT count(*) || ' ' || max(updated_at) || ' ' || sum(length(tags)) FROM ref_features")" "$before"

# Newer files: a building gained floors, a street's Russian name changed.
sed -i 's/^TSH-0002|Navroʻz koʻchasi|14|9|/TSH-0002|Navroʻz koʻchasi|14|10|/' buildings.txt
sed -i 's/проспект Амира Темура/улица Амира Темура/' streets.txt
make_files
import_all
check_true "newer files update in place" \
	'grep -q "inserted 0, updated 1, unchanged 2," out-b.txt && grep -q "inserted 0, updated 1, unchanged 1," out-s.txt'
check "with the new values" \
	"$(sql "$DB" "SELECT (SELECT json_extract(tags, '$.qavatlar') FROM ref_features WHERE external_id = 'buildings:TSH-0002')
	|| '|' || (SELECT name_ru FROM ref_features WHERE external_id = 'streets:S2') || '|' || count(*) FROM ref_features")" \
	"10|улица Амира Темура|6"

# A bad file names its row and field and stores nothing.
printf 'WKT,kind,name\n"POINT (520200 4572100)",poi,A\n"POINT (520300 4572100)",shop,B\n' >bad.csv
set +e
err=$("$POSBON" import "$DB" --layer reference --srs EPSG:32642 --quiet bad.csv 2>&1)
rc=$?
set -e
check_true "an unknown kind fails the file, naming its row and field" \
	'[ $rc -ne 0 ] && echo "$err" | grep -q "bad.csv:row 3: field kind: .shop. is not a kind of the reference layers (kinds: landuse, park, water, building, railway, street, poi, address)"'
check "and stores nothing" "$(sql "$DB" "SELECT count(*) FROM ref_features WHERE source = 'bad'")" 0

# The base layer draws them: the ground alone (the default style without
# names, which may lie on the pixels checked) at zoom 17.
python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))
del s['layers']['base']['label']
json.dump(s, open(sys.argv[2], 'w'))" "$POSBON_SOURCE_DIR/styles/default.json" nolabel.json
drawn() { # lon lat: the pixel there on its zoom-17 tile
	dt=$(tile_of 17 "$1" "$2")
	"$POSBON" render "$DB" --layer base --tile "$dt" --style nolabel.json -o tile.png >/dev/null
	pixel tile.png "$dt" "$1" "$2"
}
check "a building of the cadastre in the building colour" "$(drawn 69.2405 41.2996)" e4ded5
check "Navroʻz koʻchasi (residential) in the minor street colour" "$(drawn 69.2417 41.3000)" ffffff
check "Amir Temur (primary) in the major street colour" "$(drawn 69.2420 41.3010)" fbf1dc
check "the market as a place dot" "$(drawn 69.2435 41.3004)" 9a8f82
check "land between them" "$(drawn 69.2417 41.3008)" f4f2ee

# Offences given only by an address are placed at those houses: in Uzbek,
# in Russian (the street register's other name) and naming the mahalla.
cat >addr.csv <<'CSV'
id,date,category,address
a1,2026-06-01 10:00,theft,"Navroʻz koʻchasi, 12-uy"
a2,2026-06-01 11:00,theft,"ул. Навруз, д. 14"
a3,2026-06-01 12:00,theft,"Bahor MFY, Navro'z ko'chasi 16"
CSV
out=$("$POSBON" import "$DB" --layer offences --quiet addr.csv)
echo "$out" | sed 's/^/  /'
check_true "the import places all three at the house" 'echo "$out" | grep -q "placed by their address: 3 at the house, 0 on the street"'
check "each lies on its building's middle" \
	"$(sql "$DB" "SELECT group_concat(o.external_id || ':' || o.located_by || ':' ||
	(abs(ST_X(o.geom) - (MbrMinX(r.geom) + MbrMaxX(r.geom)) / 2) < 1e-7 AND
	 abs(ST_Y(o.geom) - (MbrMinY(r.geom) + MbrMaxY(r.geom)) / 2) < 1e-7), ' ')
	FROM offences o JOIN ref_features r ON r.kind = 'building' AND r.addr_housenumber =
	CASE o.external_id WHEN 'a1' THEN '12' WHEN 'a2' THEN '14' ELSE '16' END ORDER BY o.external_id")" \
	"a1:house:1 a2:house:1 a3:house:1"
finish
