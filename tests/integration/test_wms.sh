# The WMS at /wms over loopback, as QGIS and GDAL use it: capabilities that
# parse and list every layer and CRS, GetMap in each CRS (the heatmap's
# pixels equal to the XYZ tiles' where they meet), the 1.3.0 axis order of
# EPSG:4326, GetFeatureInfo on an offence, GetLegendGraphic (pictures in the
# style's colours and the language asked for, /api/legend's JSON, the
# capabilities' LegendURLs), an exception with the right code for every bad
# parameter, and Basic authentication with the token.
. "$(dirname "$0")/common.sh"
export PYTHONPATH="$POSBON_SOURCE_DIR/tests/integration"
DB="$TMP/s.sqlite"
sample_db "$DB"
VIEWER=$("$POSBON" token add "$DB" --role viewer --name qgis)
OFFICER=$("$POSBON" token add "$DB" --role officer --name desk)
serve_start "$DB" --threads 2 --cache-dir "$TMP/tiles"
W="$URL/wms"
code() { curl -s -o /dev/null -w "%{http_code}" "$@"; }
B="x:$VIEWER"
Q="from=2025-07-01&to=2026-06-30&bandwidth=60"
MAP="SERVICE=WMS&REQUEST=GetMap&STYLES=&FORMAT=image/png"

# authentication
curl -s -D "$TMP/h401" -o "$TMP/b401" "$W?SERVICE=WMS&REQUEST=GetCapabilities"
check "no credentials: 401" "$(sed -n '1s/^HTTP[^ ]* \([0-9]*\).*/\1/p' "$TMP/h401")" 401
check_true "with a Basic challenge" 'grep -qi "^WWW-Authenticate: Basic realm=\"posbon\"" "$TMP/h401"'
check_true "and an exception report" 'grep -q "<ServiceExceptionReport" "$TMP/b401"'
check "bad base64 is a 401" "$(code -H "Authorization: Basic %%%not-base64%%%" "$W?REQUEST=GetCapabilities")" 401
check "empty Basic credentials are a 401" "$(code -H "Authorization: Basic " "$W?REQUEST=GetCapabilities")" 401
check "base64 without a colon is a 401" "$(code -H "Authorization: Basic $(printf '%s' "$VIEWER" | base64 -w0)" "$W?REQUEST=GetCapabilities")" 401
check "a wrong token is a 401" "$(code -u "x:pb_nothing" "$W?REQUEST=GetCapabilities")" 401
check "the token as Basic password works" "$(code -u "$B" "$W?SERVICE=WMS&REQUEST=GetCapabilities")" 200
check "any user name goes" "$(code -u "qgis-user:$VIEWER" "$W?SERVICE=WMS&REQUEST=GetCapabilities")" 200
check "Basic works everywhere (the API)" "$(code -u "$B" "$URL/api/meta")" 200
check "and Bearer works on /wms" "$(code -H "Authorization: Bearer $VIEWER" "$W?SERVICE=WMS&REQUEST=GetCapabilities")" 200
check "Basic gives at most a viewer: no writes" "$(code -u "x:$OFFICER" -X POST -d '{}' "$URL/api/offences")" 403
check "the daemon lives on" "$(code "$URL/healthz")" 200

# capabilities, names and values in any case
curl -s -u "$B" "$W?sErViCe=WMS&ReQuEsT=GetCapabilities&version=1.3.0" >"$TMP/caps.xml"
read -r UTM WEST SOUTH EAST NORTH <<EOT
$(python3 - "$TMP/caps.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"w": "http://www.opengis.net/wms"}
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.opengis.net/wms}WMS_Capabilities" and root.get("version") == "1.3.0"
top = root.find("w:Capability/w:Layer", ns)
names = [l.findtext("w:Name", namespaces=ns) for l in top.findall("w:Layer", ns)]
want = "districts mahallas choropleth heatmap offences zones tracks gistar hotspots coverage dosage change trends base".split()
assert names == want, names
crs = [c.text for c in top.findall("w:CRS", ns)]
utm = [c for c in crs if c.startswith("EPSG:326")]
assert crs[:3] == ["EPSG:3857", "EPSG:4326", "CRS:84"] and len(utm) == 1, crs
boxes = {b.get("CRS"): b for b in top.findall("w:BoundingBox", ns)}
assert set(boxes) == set(crs), boxes
g = top.find("w:EX_GeographicBoundingBox", ns)
w, e, s, n = (float(g.findtext("w:" + k, namespaces=ns)) for k in
              ("westBoundLongitude", "eastBoundLongitude", "southBoundLatitude", "northBoundLatitude"))
b4326 = boxes["EPSG:4326"]
assert abs(float(b4326.get("minx")) - s) < 1e-6 and abs(float(b4326.get("miny")) - w) < 1e-6, "4326 is lat/lon"
assert [l.get("queryable") for l in top.findall("w:Layer", ns)] == ["1", "1", "1", "0", "1", "1", "0", "1", "0", "0", "0", "0", "1", "0"]
for op in ("GetCapabilities", "GetMap", "GetFeatureInfo"):
    assert root.find("w:Capability/w:Request/w:" + op, ns) is not None, op
print(utm[0], w, s, e, n)
PY
)
EOT
check_true "capabilities parse, listing every layer and CRS" '[ -n "$UTM" ]'
check "the UTM zone is the district's" "$UTM" "EPSG:32642"
check_true "1.1.1 capabilities parse too, with SRS and a lon/lat box" 'curl -s -u "$B" "$W?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.1.1" | python3 -c "
import sys, xml.etree.ElementTree as ET
r = ET.fromstring(sys.stdin.buffer.read())
assert r.tag == \"WMT_MS_Capabilities\"
srs = [s.text for s in r.iter(\"SRS\")]
assert \"EPSG:4326\" in srs and \"$UTM\" in srs
assert r.find(\"Capability/Layer/LatLonBoundingBox\") is not None
"'

check "filters in the connection's URL stay in the operations' URLs" "$(curl -s -u "$B" "$W?SERVICE=WMS&REQUEST=GetCapabilities&from=2026-01-01&categories=theft,robbery&hours=20-08" | python3 -c "
import sys, xml.etree.ElementTree as ET
ns = {'w': 'http://www.opengis.net/wms', 'x': 'http://www.w3.org/1999/xlink'}
r = ET.fromstring(sys.stdin.buffer.read())
print(r.find('w:Capability/w:Request/w:GetMap/w:DCPType/w:HTTP/w:Get/w:OnlineResource', ns).get('{http://www.w3.org/1999/xlink}href'))")" \
	"$W?from=2026-01-01&hours=20-08&categories=theft,robbery&"

# the busiest spot and its z15 tile
set -- $(sql "$DB" "SELECT round(ST_X(geom), 4), round(ST_Y(geom), 4) FROM offences WHERE geom IS NOT NULL GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1" | tr '|' ' ')
CLON=$1 CLAT=$2
set -- $(sql "$DB" "SELECT ST_X(p), ST_Y(p) FROM (SELECT Transform(MakePoint($CLON, $CLAT, 4326), ${UTM#EPSG:}) AS p)" | tr '|' ' ')
CUX=$1 CUY=$2
set -- $(python3 -c "
import math
lon, lat, z = $CLON, $CLAT, 15
n = 2 ** z
x = int((lon + 180) / 360 * n); y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
R = 6378137.0; size = 2 * math.pi * R / n; o = math.pi * R
print(x, y, '%.6f,%.6f,%.6f,%.6f' % (x * size - o, o - (y + 1) * size, (x + 1) * size - o, o - y * size),
      '%.6f,%.6f,%.6f,%.6f' % (x * size - o, o - (y + 2) * size, (x + 2) * size - o, o - y * size))")
TX=$1 TY=$2 TBOX=$3 T4BOX=$4
for dx in 0 1; do for dy in 0 1; do
	curl -s -u "$B" -o "$TMP/t$dx$dy.png" "$URL/tiles/heatmap/15/$((TX + dx))/$((TY + dy)).png?$Q"
done; done
curl -s -u "$B" -o "$TMP/m1.png" "$W?$MAP&VERSION=1.3.0&LAYERS=heatmap&CRS=EPSG:3857&BBOX=$TBOX&WIDTH=256&HEIGHT=256&TRANSPARENT=TRUE&$Q"
curl -s -u "$B" -o "$TMP/m4.png" "$W?$MAP&VERSION=1.3.0&LAYERS=heatmap&CRS=EPSG:3857&BBOX=$T4BOX&WIDTH=512&HEIGHT=512&TRANSPARENT=TRUE&$Q"
check "EPSG:3857 GetMap of a tile's box: the tile's pixels" "$(python3 - "$TMP" <<'PY'
import sys
from pngread import read
d = sys.argv[1]
def px(p):
    w, h, bpp, rows = read(p)
    return w, h, [[tuple(r[i * bpp:(i + 1) * bpp]) for i in range(w)] for r in rows]
_, _, m1 = px(d + "/m1.png")
w4, h4, m4 = px(d + "/m4.png")
tiles = {(dx, dy): px("%s/t%d%d.png" % (d, dx, dy))[2] for dx in (0, 1) for dy in (0, 1)}
worst, painted = 0, 0
for y in range(256):
    for x in range(256):
        t = tiles[0, 0][y][x]
        painted += t[3] > 0
        worst = max(worst, max(abs(a - b) for a, b in zip(t, m1[y][x])))
        for (dx, dy), tile in tiles.items():
            worst = max(worst, max(abs(a - b) for a, b in zip(tile[y][x], m4[dy * 256 + y][dx * 256 + x])))
print((w4, h4), painted > 1000, worst <= 2)
PY
)" "(512, 512) True True"

# every CRS gives a PNG of WIDTH x HEIGHT, the heatmap the colour of the tile's
# at the busiest spot (within the resampling's blur)
TILEPX=$(python3 -c "
import math
from pngread import read
lon, lat, n = $CLON, $CLAT, 2 ** 15
fx = (lon + 180) / 360 * n; fy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
w, h, bpp, rows = read('$TMP/t00.png')
i, j = int((fx - $TX) * 256), int((fy - $TY) * 256)
print(*rows[j][i * 4:i * 4 + 4])")
spot() { # png, x, y (pixel centre), tolerance -> whether it is the tile's colour there
	python3 -c "
from pngread import read
w, h, bpp, rows = read('$1')
i, j = int($2), int($3)
p = rows[j][i * 4:i * 4 + 4]
t = [int(v) for v in '$TILEPX'.split()]
print(w, h, max(abs(a - b) for a, b in zip(p, t)) <= $4, t[3] > 0)"
}
D=0.004 # degrees around the spot
DU=400  # metres around the spot
for req in \
	"VERSION=1.3.0&CRS=CRS:84&BBOX=$(python3 -c "print('%.6f,%.6f,%.6f,%.6f' % ($CLON - $D, $CLAT - $D, $CLON + $D, $CLAT + $D))")" \
	"VERSION=1.3.0&CRS=EPSG:4326&BBOX=$(python3 -c "print('%.6f,%.6f,%.6f,%.6f' % ($CLAT - $D, $CLON - $D, $CLAT + $D, $CLON + $D))")" \
	"VERSION=1.3.0&CRS=$UTM&BBOX=$(python3 -c "print('%.3f,%.3f,%.3f,%.3f' % ($CUX - $DU, $CUY - $DU, $CUX + $DU, $CUY + $DU))")" \
	"VERSION=1.1.1&SRS=EPSG:4326&BBOX=$(python3 -c "print('%.6f,%.6f,%.6f,%.6f' % ($CLON - $D, $CLAT - $D, $CLON + $D, $CLAT + $D))")"; do
	curl -s -u "$B" -o "$TMP/c.png" "$W?$MAP&LAYERS=heatmap&$req&WIDTH=300&HEIGHT=200&TRANSPARENT=TRUE&$Q"
	check "GetMap $(echo "$req" | sed 's/&BBOX.*//'): 300x200, the tile's colour at the spot" "$(spot "$TMP/c.png" 150 100 12)" "300 200 True True"
done

# EPSG:4326 in 1.3.0 is latitude first: lat/lon there draws what lon/lat does
# in CRS:84; lon/lat there is another place altogether
BOX84=$(python3 -c "print('%.6f,%.6f,%.6f,%.6f' % ($WEST, $SOUTH, $EAST, $NORTH))")
BOX4326=$(python3 -c "print('%.6f,%.6f,%.6f,%.6f' % ($SOUTH, $WEST, $NORTH, $EAST))")
curl -s -u "$B" -o "$TMP/a84.png" "$W?$MAP&VERSION=1.3.0&LAYERS=mahallas,heatmap&CRS=CRS:84&BBOX=$BOX84&WIDTH=400&HEIGHT=300&TRANSPARENT=TRUE"
curl -s -u "$B" -o "$TMP/a4326.png" "$W?$MAP&VERSION=1.3.0&LAYERS=mahallas,heatmap&CRS=EPSG:4326&BBOX=$BOX4326&WIDTH=400&HEIGHT=300&TRANSPARENT=TRUE"
curl -s -u "$B" -o "$TMP/awrong.png" "$W?$MAP&VERSION=1.3.0&LAYERS=mahallas,heatmap&CRS=EPSG:4326&BBOX=$BOX84&WIDTH=400&HEIGHT=300&TRANSPARENT=TRUE"
curl -s -u "$B" -o "$TMP/a111.png" "$W?$MAP&VERSION=1.1.1&LAYERS=mahallas,heatmap&SRS=EPSG:4326&BBOX=$BOX84&WIDTH=400&HEIGHT=300&TRANSPARENT=TRUE"
painted() { python3 -c "
from pngread import read
w, h, bpp, rows = read('$1')
print(sum(r[i] > 0 for r in rows for i in range(3, len(r), 4)))"; }
P84=$(painted "$TMP/a84.png")
check_true "CRS:84 lon/lat draws the district" '[ "$P84" -gt 5000 ]'
check_true "EPSG:4326 lat/lon draws it the same" 'cmp -s "$TMP/a84.png" "$TMP/a4326.png"'
check_true "and 1.1.1 EPSG:4326 lon/lat too" 'cmp -s "$TMP/a84.png" "$TMP/a111.png"'
check "EPSG:4326 given lon/lat draws nothing there" "$(painted "$TMP/awrong.png")" 0
BOXUTM=$(python3 -c "print('%.3f,%.3f,%.3f,%.3f' % ($CUX - 5000, $CUY - 5000, $CUX + 5000, $CUY + 5000))")
curl -s -u "$B" -o "$TMP/autm.png" "$W?$MAP&VERSION=1.3.0&LAYERS=mahallas&CRS=$UTM&BBOX=$BOXUTM&WIDTH=256&HEIGHT=256&TRANSPARENT=TRUE"
check_true "the UTM frame draws the mahallas" '[ "$(painted "$TMP/autm.png")" -gt 500 ]'

# TRANSPARENT=FALSE paints BGCOLOR, white by default
corner() { python3 -c "
from pngread import read
w, h, bpp, rows = read('$1')
print(*rows[0][:bpp])"; }
curl -s -u "$B" -o "$TMP/bg.png" "$W?$MAP&VERSION=1.3.0&LAYERS=mahallas&CRS=CRS:84&BBOX=$BOX84&WIDTH=64&HEIGHT=64&TRANSPARENT=FALSE&BGCOLOR=0x102030"
check "BGCOLOR under an opaque map" "$(corner "$TMP/bg.png")" "16 32 48 255"
curl -s -u "$B" -o "$TMP/bgw.png" "$W?$MAP&VERSION=1.3.0&LAYERS=mahallas&CRS=CRS:84&BBOX=$BOX84&WIDTH=64&HEIGHT=64"
check "white by default (TRANSPARENT is FALSE by default)" "$(corner "$TMP/bgw.png")" "255 255 255 255"

# the largest map in a resampled frame stays within the density's grid limit
check "a 4096 x 4096 heatmap in CRS:84" "$(curl -s -u "$B" "$W?$MAP&VERSION=1.3.0&LAYERS=heatmap&CRS=CRS:84&BBOX=$BOX84&WIDTH=4096&HEIGHT=4096&TRANSPARENT=TRUE" | python3 -c "
import struct, sys
d = sys.stdin.buffer.read(); print(d[:4] == b'\x89PNG' and struct.unpack('>II', d[16:24]))")" "(4096, 4096)"

# GetFeatureInfo on an offence's point, through the same filter
set -- $(sql "$DB" "SELECT external_id, ST_X(geom), ST_Y(geom), category, mahalla_code FROM offences WHERE geom IS NOT NULL AND occurred_from >= strftime('%s', '2025-08-01') ORDER BY id LIMIT 1" | tr '|' ' ')
OID=$1 OLON=$2 OLAT=$3 OCAT=$4 OMAH=$5
FBOX=$(python3 -c "print('%.7f,%.7f,%.7f,%.7f' % ($OLON - 0.001, $OLAT - 0.001, $OLON + 0.001, $OLAT + 0.001))")
FI="SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&STYLES=&CRS=CRS:84&BBOX=$FBOX&WIDTH=101&HEIGHT=101&I=50&J=50"
curl -s -u "$B" "$W?$FI&LAYERS=offences,mahallas,zones&QUERY_LAYERS=offences,mahallas,zones&INFO_FORMAT=application/json&FEATURE_COUNT=100&from=2025-07-01" >"$TMP/fi.json"
check "GetFeatureInfo finds the offence and its mahalla" "$(python3 -c "
import json
fc = json.load(open('$TMP/fi.json'))
offs = [f for f in fc['features'] if f['properties']['layer'] == 'offences']
mah = [f['properties']['code'] for f in fc['features'] if f['properties']['layer'] == 'mahallas']
hit = [f for f in offs if f['properties']['id'] == '$OID']
near = all(abs(f['geometry']['coordinates'][0] - $OLON) < 0.0002 and abs(f['geometry']['coordinates'][1] - $OLAT) < 0.0002 for f in offs)
print(fc['type'], len(hit), hit[0]['properties']['category'], mah, near, all('layer' in f['properties'] for f in fc['features']))")" \
	"FeatureCollection 1 $OCAT ['$OMAH'] True True"
OTHER=$(sql "$DB" "SELECT code FROM categories WHERE code <> '$OCAT' LIMIT 1")
check "the filter applies: another category hides it" "$(curl -s -u "$B" "$W?$FI&LAYERS=offences&QUERY_LAYERS=offences&INFO_FORMAT=application/json&FEATURE_COUNT=100&categories=$OTHER" | python3 -c "
import json,sys; print(sum(f['properties']['id'] == '$OID' for f in json.load(sys.stdin)['features']))")" 0
check_true "text/plain names the layer and the offence" 'curl -s -u "$B" "$W?$FI&LAYERS=offences&QUERY_LAYERS=offences&INFO_FORMAT=text/plain&FEATURE_COUNT=100" | grep -q "^  id = $OID$"'
curl -s -u "$B" -D "$TMP/fi.h" "$W?$FI&LAYERS=offences,mahallas&QUERY_LAYERS=offences,mahallas&INFO_FORMAT=text/html&FEATURE_COUNT=100" >"$TMP/fi.html"
check_true "text/html (QGIS's default) is a page with a table per feature" \
	'grep -qi "^content-type: text/html" "$TMP/fi.h" && grep -q "<caption>mahallas</caption>" "$TMP/fi.html" &&
	 grep -q "<tr><th>id</th><td>$OID</td></tr>" "$TMP/fi.html"'
check_true "its counts are whole numbers, not 21.0" \
	'grep -qE "<tr><th>offences</th><td>[0-9]+</td></tr>" "$TMP/fi.html"'
check_true "and so are the JSON's" \
	'curl -s -u "$B" "$W?$FI&LAYERS=mahallas&QUERY_LAYERS=mahallas&INFO_FORMAT=application/json" |
	 python3 -c "import json,sys; p=json.load(sys.stdin)[\"features\"][0][\"properties\"]; sys.exit(not isinstance(p[\"offences\"], int))"'
check "capabilities offer text/html first" \
	"$(curl -s -u "$B" "$W?SERVICE=WMS&REQUEST=GetCapabilities" | grep -A2 "<GetFeatureInfo>" | grep -o "<Format>[^<]*</Format>" | head -n 1)" \
	"<Format>text/html</Format>"
check "LANGUAGE=ru titles the layers in Russian" \
	"$(curl -s -u "$B" "$W?SERVICE=WMS&REQUEST=GetCapabilities&LANGUAGE=ru" | grep -c "<Title>Зоны патрулирования</Title>")" 1
check "1.1.1 takes X and Y" "$(curl -s -u "$B" "${W}?$(echo "$FI" | sed 's/VERSION=1.3.0/VERSION=1.1.1/; s/CRS=CRS:84/SRS=EPSG:4326/; s/&I=50&J=50/\&X=50\&Y=50/')&LAYERS=mahallas&QUERY_LAYERS=mahallas" | python3 -c "
import json,sys; print([f['id'] for f in json.load(sys.stdin)['features']])")" "['$OMAH']"
check "far from everything: an empty collection" "$(curl -s -u "$B" "$W?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&STYLES=&CRS=CRS:84&BBOX=10,10,10.01,10.01&WIDTH=10&HEIGHT=10&I=5&J=5&LAYERS=offences,mahallas,gistar,trends&QUERY_LAYERS=offences,mahallas,gistar,trends")" '{"type":"FeatureCollection","features":[]}'

# GetFeatureInfo on a hot Gi* cell: the cell of GET /api/gistar (the same
# analysis as the layer draws), its z-score and bin
curl -s -u "$B" "$URL/api/gistar" >"$TMP/gi.json"
set -- $(python3 -c "
import json
fc = json.load(open('$TMP/gi.json'))
f = next(f for f in fc['features'] if f['properties']['bin'] == 3)
ring = f['geometry']['coordinates'][0][:-1]
p = f['properties']
print(sum(x for x, y in ring) / len(ring), sum(y for x, y in ring) / len(ring), p['i'], p['j'], p['z'])")
GBOX=$(python3 -c "print('%.7f,%.7f,%.7f,%.7f' % ($1 - 0.0005, $2 - 0.0005, $1 + 0.0005, $2 + 0.0005))")
check "GetFeatureInfo on a hot Gi* cell gives its grid position, bin and z-score" "$(curl -s -u "$B" "$W?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&STYLES=&CRS=CRS:84&BBOX=$GBOX&WIDTH=11&HEIGHT=11&I=5&J=5&LAYERS=gistar&QUERY_LAYERS=gistar&INFO_FORMAT=application/json" | python3 -c "
import json, sys
f = json.load(sys.stdin)['features']
p = f[0]['properties']
print(len(f), p['layer'], p['i'], p['j'], p['bin'], abs(p['z'] - $5) < 1e-9)")" "1 gistar $3 $4 3 True"

# and on the strongest trends cell of GET /api/trends: its Feature
curl -s -u "$B" "$URL/api/trends" >"$TMP/tr.json"
set -- $(python3 -c "
import json
f = json.load(open('$TMP/tr.json'))['features'][0]
ring = f['geometry']['coordinates'][0][:-1]
p = f['properties']
print(sum(x for x, y in ring) / len(ring), sum(y for x, y in ring) / len(ring), p['i'], p['j'], p['category'].replace(' ', '_'))")
TBOX=$(python3 -c "print('%.7f,%.7f,%.7f,%.7f' % ($1 - 0.0005, $2 - 0.0005, $1 + 0.0005, $2 + 0.0005))")
check "GetFeatureInfo on a trends cell gives its category, as GET /api/trends" "$(curl -s -u "$B" "$W?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&STYLES=&CRS=CRS:84&BBOX=$TBOX&WIDTH=11&HEIGHT=11&I=5&J=5&LAYERS=trends&QUERY_LAYERS=trends&INFO_FORMAT=application/json" | python3 -c "
import json, sys
f = json.load(sys.stdin)['features']
p = f[0]['properties']
print(len(f), p['layer'], p['i'], p['j'], p['category'].replace(' ', '_'), f[0]['geometry']['type'])")" "1 trends $3 $4 $5 Polygon"

# JPEG for opaque maps: on white unless BGCOLOR says otherwise
curl -s -u "$B" -D "$TMP/jh" -o "$TMP/map.jpg" "$W?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/jpeg&LAYERS=heatmap,mahallas&CRS=CRS:84&BBOX=$BOX84&WIDTH=300&HEIGHT=200"
check "FORMAT=image/jpeg is a JPEG" "$(sed -n 's/^Content-Type: \([^;[:space:]]*\).*/\1/ip' "$TMP/jh") $(head -c 3 "$TMP/map.jpg" | od -An -tx1 | tr -d ' \n')" "image/jpeg ffd8ff"
if command -v gdalinfo >/dev/null; then
	check "of the size asked, three bands" "$(gdalinfo "$TMP/map.jpg" | sed -n 's/^Size is //p') $(gdalinfo "$TMP/map.jpg" | grep -c '^Band ')" "300, 200 3"
fi
check_true "listed among GetMap's formats" 'grep -q "<Format>image/jpeg</Format>" "$TMP/caps.xml"'

# every bad parameter: HTTP 400 and an exception with its code naming it
GOOD="LAYERS=heatmap&CRS=CRS:84&BBOX=$BOX84&WIDTH=64&HEIGHT=64"
bad() { # description, code, parameter named, query
	curl -s -u "$B" -o "$TMP/ex.xml" -w "%{http_code}" "$W?$4" >"$TMP/ex.code"
	check "$1" "$(cat "$TMP/ex.code") $(python3 -c "
import xml.etree.ElementTree as ET
e = ET.parse('$TMP/ex.xml').getroot()
x = [c for c in e.iter() if c.tag.endswith('ServiceException')][0]
print(x.get('code'), '$3' in x.text)")" "400 $2 True"
}
bad "no REQUEST" MissingParameterValue REQUEST "SERVICE=WMS"
bad "an operation not served" OperationNotSupported REQUEST "SERVICE=WMS&REQUEST=DescribeLayer"
bad "another SERVICE" InvalidParameterValue SERVICE "SERVICE=WFS&REQUEST=GetCapabilities"
bad "no LAYERS" MissingParameterValue LAYERS "$MAP&VERSION=1.3.0&CRS=CRS:84&BBOX=$BOX84&WIDTH=64&HEIGHT=64"
bad "an unknown layer" LayerNotDefined unicorns "$MAP&VERSION=1.3.0&LAYERS=heatmap,unicorns&CRS=CRS:84&BBOX=$BOX84&WIDTH=64&HEIGHT=64"
bad "a style" StyleNotDefined STYLES "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&FORMAT=image/png&STYLES=fancy&$GOOD"
bad "no CRS" MissingParameterValue CRS "$MAP&VERSION=1.3.0&LAYERS=heatmap&BBOX=$BOX84&WIDTH=64&HEIGHT=64"
bad "a CRS not served" InvalidCRS EPSG:2263 "$MAP&VERSION=1.3.0&LAYERS=heatmap&CRS=EPSG:2263&BBOX=$BOX84&WIDTH=64&HEIGHT=64"
bad "1.1.1: an SRS not served" InvalidSRS SRS "$MAP&VERSION=1.1.1&LAYERS=heatmap&SRS=EPSG:2263&BBOX=$BOX84&WIDTH=64&HEIGHT=64"
bad "no BBOX" MissingParameterValue BBOX "$MAP&VERSION=1.3.0&LAYERS=heatmap&CRS=CRS:84&WIDTH=64&HEIGHT=64"
bad "a BBOX of three numbers" InvalidParameterValue BBOX "$MAP&VERSION=1.3.0&LAYERS=heatmap&CRS=CRS:84&BBOX=1,2,3&WIDTH=64&HEIGHT=64"
bad "a BBOX inside out" InvalidParameterValue BBOX "$MAP&VERSION=1.3.0&LAYERS=heatmap&CRS=CRS:84&BBOX=70,41,69,42&WIDTH=64&HEIGHT=64"
bad "latitudes beyond 90" InvalidParameterValue BBOX "$MAP&VERSION=1.3.0&LAYERS=heatmap&CRS=EPSG:4326&BBOX=41,69,91,70&WIDTH=64&HEIGHT=64"
bad "no WIDTH" MissingParameterValue WIDTH "$MAP&VERSION=1.3.0&LAYERS=heatmap&CRS=CRS:84&BBOX=$BOX84&HEIGHT=64"
bad "a WIDTH over 4096" InvalidParameterValue WIDTH "$MAP&VERSION=1.3.0&LAYERS=heatmap&CRS=CRS:84&BBOX=$BOX84&WIDTH=5000&HEIGHT=64"
bad "a HEIGHT not a number" InvalidParameterValue HEIGHT "$MAP&VERSION=1.3.0&LAYERS=heatmap&CRS=CRS:84&BBOX=$BOX84&WIDTH=64&HEIGHT=tall"
bad "no FORMAT" MissingParameterValue FORMAT "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&$GOOD"
bad "a FORMAT not served" InvalidFormat FORMAT "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/gif&$GOOD"
bad "TRANSPARENT neither TRUE nor FALSE" InvalidParameterValue TRANSPARENT "$MAP&VERSION=1.3.0&$GOOD&TRANSPARENT=maybe"
bad "a BGCOLOR not 0xRRGGBB" InvalidParameterValue BGCOLOR "$MAP&VERSION=1.3.0&$GOOD&BGCOLOR=red"
bad "EXCEPTIONS other than XML" InvalidParameterValue EXCEPTIONS "$MAP&VERSION=1.3.0&$GOOD&EXCEPTIONS=INIMAGE"
bad "a bad period (vendor from)" InvalidParameterValue from "$MAP&VERSION=1.3.0&$GOOD&from=someday"
bad "bad hours (vendor)" InvalidParameterValue hours "$MAP&VERSION=1.3.0&$GOOD&hours=25-99"
bad "an unknown category (vendor)" InvalidParameterValue categories "$MAP&VERSION=1.3.0&$GOOD&categories=unicorn"
bad "a bandwidth out of range (vendor)" InvalidParameterValue bandwidth "$MAP&VERSION=1.3.0&$GOOD&bandwidth=1"
bad "a bad shift (vendor)" InvalidParameterValue shift "$MAP&VERSION=1.3.0&$GOOD&shift=18-99"
bad "no QUERY_LAYERS" MissingParameterValue QUERY_LAYERS "$FI&LAYERS=offences"
bad "QUERY_LAYERS outside LAYERS" LayerNotDefined QUERY_LAYERS "$FI&LAYERS=offences&QUERY_LAYERS=zones"
bad "a layer that answers no query" LayerNotQueryable QUERY_LAYERS "$FI&LAYERS=heatmap&QUERY_LAYERS=heatmap"
bad "an INFO_FORMAT not served" InvalidFormat INFO_FORMAT "$FI&LAYERS=offences&QUERY_LAYERS=offences&INFO_FORMAT=application/vnd.ogc.gml"
bad "I outside the map" InvalidPoint I "$(echo "$FI" | sed 's/I=50/I=101/')&LAYERS=offences&QUERY_LAYERS=offences"
bad "no J" MissingParameterValue J "$(echo "$FI" | sed 's/&J=50//')&LAYERS=offences&QUERY_LAYERS=offences"
bad "FEATURE_COUNT of 0" InvalidParameterValue FEATURE_COUNT "$FI&LAYERS=offences&QUERY_LAYERS=offences&FEATURE_COUNT=0"

# GetLegendGraphic
LG="SERVICE=WMS&REQUEST=GetLegendGraphic&FORMAT=image/png"
# pixels PNG: the size, the pixels drawn (alpha > 0) and the corner's alpha
pixels() {
	python3 -c "
from pngread import read
w, h, bpp, rows = read('$1')
print(w, h, sum(r[i + 3] > 0 for r in rows for i in range(0, len(r), 4)), rows[0][3])"
}
# has_colour PNG #rrggbb...: a pixel drawn (alpha >= 20) in that colour, within 10 a channel
has_colour() {
	python3 -c "
from pngread import read
w, h, bpp, rows = read('$1')
c = [int('$2'[k:k + 2], 16) for k in (1, 3, 5)]
print(any(r[i + 3] >= 20 and all(abs(r[i + k] - c[k]) <= 10 for k in range(3))
          for r in rows for i in range(0, len(r), 4)))"
}
curl -s -u "$B" -D "$TMP/lh" -o "$TMP/lg_heat.png" "$W?$LG&VERSION=1.3.0&LAYER=heatmap&STYLE=&$Q"
check "a heatmap legend is a PNG" "$(sed -n 's/^Content-Type: \([^;[:space:]]*\).*/\1/ip' "$TMP/lh")" "image/png"
read -r LW LH LDRAWN LCORNER <<EOT
$(pixels "$TMP/lg_heat.png")
EOT
check_true "sized to its content, not empty ($LW x $LH, $LDRAWN pixels drawn)" '[ "$LW" -ge 150 ] && [ "$LH" -ge 40 ] && [ "$LH" -le 200 ] && [ "$LDRAWN" -gt 500 ]'
check "on a transparent background" "$LCORNER" 0
# the ramp's stops in density units over the period, as the tiles take them;
# the bar shows each stop's colour at its start (the last stop only at its end)
STOP=$(curl -s -u "$B" "$URL/api/legend?layer=heatmap&$Q" | python3 -c "
import json, sys
s = json.load(sys.stdin)['stops']
print([x['colour'] for x in s[:-1] if int(x['colour'][7:9], 16) > 128][-1][:7])")
check "the heatmap legend shows a ramp stop's colour ($STOP)" "$(has_colour "$TMP/lg_heat.png" "$STOP")" True
check "and no colour it lacks" "$(has_colour "$TMP/lg_heat.png" "#00ff00")" False
curl -s -u "$B" -o "$TMP/lg_zones.png" "$W?$LG&LAYER=zones"
SVC=$(curl -s -u "$B" "$URL/api/legend?layer=zones" | python3 -c "
import json, sys; print(json.load(sys.stdin)['services'][0]['colour'][:7])")
check "the zones legend shows a service's colour ($SVC)" "$(has_colour "$TMP/lg_zones.png" "$SVC")" True
curl -s -u "$B" -o "$TMP/lg_off.png" "$W?$LG&LAYER=offences&$Q"
CAT=$(curl -s -u "$B" "$URL/api/legend?layer=offences" | python3 -c "
import json, sys; print(json.load(sys.stdin)['categories'][0]['colour'][:7])")
read -r OW OH ODRAWN OCORNER <<EOT
$(pixels "$TMP/lg_off.png")
EOT
check_true "the offences legend decodes, not empty ($OW x $OH)" '[ "$OH" -gt "$LH" ] && [ "$ODRAWN" -gt 500 ]'
check "and shows a category's colour ($CAT)" "$(has_colour "$TMP/lg_off.png" "$CAT")" True
curl -s -u "$B" -o "$TMP/lg_gi.png" "$W?$LG&LAYER=gistar"
check "the Gi* legend shows the hot and cold bins" \
	"$(has_colour "$TMP/lg_gi.png" "#d62f27") $(has_colour "$TMP/lg_gi.png" "#4575b5")" "True True"
curl -s -u "$B" -o "$TMP/lg_cov.png" "$W?$LG&LAYER=coverage"
GAPC=$(curl -s -u "$B" "$URL/api/legend?layer=coverage" | python3 -c "
import json, sys; print(next(s['colour'][:7] for s in json.load(sys.stdin)['statuses'] if s['status'] == 'gap'))")
check "the coverage legend shows the gap's colour ($GAPC)" "$(has_colour "$TMP/lg_cov.png" "$GAPC")" True
curl -s -u "$B" -o "$TMP/lg_tr.png" "$W?$LG&LAYER=trends"
check "the trends legend shows the style's categories (oscillating hot, intensifying cold)" \
	"$(has_colour "$TMP/lg_tr.png" "#99000d") $(has_colour "$TMP/lg_tr.png" "#4575b5")" "True True"
for l in heatmap zones offences choropleth trends; do
	check "FORMAT=application/json is /api/legend's ($l)" \
		"$(curl -s -u "$B" "$W?SERVICE=WMS&REQUEST=GetLegendGraphic&LAYER=$l&FORMAT=application/json&$Q" | python3 -m json.tool --sort-keys)" \
		"$(curl -s -u "$B" "$URL/api/legend?layer=$l&$Q" | python3 -m json.tool --sort-keys)"
done
curl -s -u "$B" -o "$TMP/lg_uz.png" "$W?$LG&LAYER=heatmap&$Q&LANGUAGE=uz"
curl -s -u "$B" -o "$TMP/lg_ru.png" "$W?$LG&LAYER=heatmap&$Q&LANGUAGE=ru"
check_true "uz is the default language" 'cmp -s "$TMP/lg_uz.png" "$TMP/lg_heat.png"'
check "LANGUAGE=ru draws another picture" "$(python3 -c "
from pngread import read
print(read('$TMP/lg_uz.png')[3] != read('$TMP/lg_ru.png')[3])")" True
curl -s -u "$B" -o "$TMP/lg_fixed.png" "$W?$LG&LAYER=zones&WIDTH=120&HEIGHT=60&TRANSPARENT=FALSE&BGCOLOR=0x102030"
check "WIDTH and HEIGHT size it, TRANSPARENT=FALSE paints BGCOLOR" "$(python3 -c "
from pngread import read
w, h, bpp, rows = read('$TMP/lg_fixed.png')
print(w, h, list(rows[h - 1][-bpp:][:3]), rows[h - 1][-1] == 255)")" "120 60 [16, 32, 48] True"
curl -s -u "$B" -o "$TMP/lg_older.png" "$W?$LG&LAYER=heatmap&from=2025-07-01&to=2025-12-31&bandwidth=60"
check "the heatmap's ramp follows the period (vendor parameters)" "$(python3 -c "
from pngread import read
print(read('$TMP/lg_older.png')[3] != read('$TMP/lg_heat.png')[3])")" True
# every LegendURL of the capabilities answers a PNG of the size it gives,
# with the credentials and the vendor parameters of the capabilities
curl -s -u "$B" "$W?SERVICE=WMS&REQUEST=GetCapabilities&$Q&LANGUAGE=ru" >"$TMP/lcaps.xml"
python3 - "$TMP/lcaps.xml" >"$TMP/legends" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"w": "http://www.opengis.net/wms", "x": "http://www.w3.org/1999/xlink"}
root = ET.parse(sys.argv[1]).getroot()
op = root.find("w:Capability/w:Request/{http://www.opengis.net/sld}GetLegendGraphic", ns)
assert op is not None and "image/png" in [f.text for f in op.findall("w:Format", ns)]
for l in root.findall("w:Capability/w:Layer/w:Layer", ns):
    style = l.find("w:Style", ns)
    assert style.findtext("w:Name", namespaces=ns) == "default"
    u = style.find("w:LegendURL", ns)
    if u is not None:
        href = u.find("w:OnlineResource", ns).get("{http://www.w3.org/1999/xlink}href")
        print(l.findtext("w:Name", namespaces=ns), u.get("width"), u.get("height"), href)
PY
check "every layer has a LegendURL" "$(cut -d' ' -f1 "$TMP/legends" | tr '\n' ' ')" \
	"districts mahallas choropleth heatmap offences zones tracks gistar hotspots coverage dosage change trends "
check_true "carrying the capabilities' vendor parameters" 'grep -q "LAYER=heatmap&STYLE=default&FORMAT=image/png" "$TMP/legends" && ! grep -v "from=2025-07-01&to=2026-06-30&bandwidth=60&language=ru&" "$TMP/legends"'
while read -r name lw lh href; do
	curl -s -u "$B" -o "$TMP/lu.png" -w "%{http_code} %{content_type}" "$href" >"$TMP/lu.code"
	check "$name's LegendURL answers a PNG of its size" "$(cat "$TMP/lu.code") $(pixels "$TMP/lu.png" | cut -d' ' -f1,2)" "200 image/png $lw $lh"
done <"$TMP/legends"
curl -s -u "$B" -o "$TMP/lu.png" "$(sed -n 's/^heatmap [0-9]* [0-9]* //p' "$TMP/legends")"
check_true "its heatmap legend is the one of the period in Russian" 'cmp -s "$TMP/lu.png" "$TMP/lg_ru.png"'
check_true "1.1.1 capabilities list GetLegendGraphic" 'curl -s -u "$B" "$W?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.1.1" | python3 -c "
import sys, xml.etree.ElementTree as ET
r = ET.fromstring(sys.stdin.buffer.read())
assert r.find(\"Capability/Request/GetLegendGraphic\") is not None
assert all(l.find(\"Style/LegendURL\") is not None for l in r.findall(\"Capability/Layer/Layer\")[:7])
"'
bad "a legend of an unknown layer" LayerNotDefined unicorns "$LG&LAYER=unicorns"
bad "a legend of two layers" LayerNotDefined LAYER "$LG&LAYER=heatmap,zones"
bad "a legend without LAYER" MissingParameterValue LAYER "$LG"
bad "a legend in a FORMAT not served" InvalidFormat FORMAT "SERVICE=WMS&REQUEST=GetLegendGraphic&LAYER=heatmap&FORMAT=image/gif"
bad "a legend without FORMAT" MissingParameterValue FORMAT "SERVICE=WMS&REQUEST=GetLegendGraphic&LAYER=heatmap"
bad "a legend of another STYLE" StyleNotDefined STYLE "$LG&LAYER=heatmap&STYLE=fancy"
bad "a legend in another LANGUAGE" InvalidParameterValue LANGUAGE "$LG&LAYER=heatmap&LANGUAGE=de"
bad "a legend too wide" InvalidParameterValue WIDTH "$LG&LAYER=heatmap&WIDTH=5000"
bad "a legend's bad SCALE" InvalidParameterValue SCALE "$LG&LAYER=mahallas&SCALE=big"
bad "a legend's bad filter (vendor)" InvalidParameterValue from "$LG&LAYER=heatmap&from=yesterday"

# GDAL's own WMS client, as QGIS's data sources use it
if command -v gdalinfo >/dev/null && command -v gdal_translate >/dev/null; then
	export GDAL_HTTP_USERPWD="$B"
	gdalinfo "WMS:$W?SERVICE=WMS&REQUEST=GetCapabilities" >"$TMP/gdalcaps" 2>&1 || true
	check "gdalinfo lists every layer as a subdataset" "$(grep -c "^  SUBDATASET_[0-9]*_NAME=WMS:" "$TMP/gdalcaps")" 14
	SUB=$(sed -n 's/^  SUBDATASET_[0-9]*_NAME=\(WMS:.*LAYERS=heatmap&.*\)$/\1/p' "$TMP/gdalcaps")
	gdal_translate -q -of PNG -outsize 200 200 "$SUB&FORMAT=image/png" "$TMP/gdal.png" >/dev/null 2>&1 || true
	check "gdal_translate fetches a GetMap" "$(python3 -c "
from pngread import read
w, h, bpp, rows = read('$TMP/gdal.png'); print(w, h)" 2>&1)" "200 200"
	check_true "with the heatmap in it" '[ "$(python3 -c "
from pngread import read
w, h, bpp, rows = read(\"$TMP/gdal.png\")
print(sum(r[i + 2] < 240 for r in rows for i in range(0, len(r), bpp)))")" -gt 50 ]'
	# GDAL asks for JPEG when the URL names no format: served too, opaque
	gdal_translate -q -of GTiff -outsize 200 200 "$SUB" "$TMP/gdal-jpeg.tif" >/dev/null 2>"$TMP/gdal-jpeg.err" || true
	check "without FORMAT GDAL's JPEG GetMap works" \
		"$(gdalinfo "$TMP/gdal-jpeg.tif" 2>/dev/null | sed -n 's/^Size is //p')" "200, 200"
	unset GDAL_HTTP_USERPWD
else
	echo "# gdal-bin absent: GDAL's WMS client not tried"
fi
check "the daemon is still up" "$(code "$URL/healthz")" 200
finish
