#!/usr/bin/python3
"""Mapnik's side of the base-layer benchmark (bench/run.sh basemap).

Draws the reference features of a posbon store (table ref_features) as
Mapnik tiles with the look of styles/default.json's layers.base, read from
that file: the land colour as background; land use, parks and water filled;
buildings from their minzoom, filled with a 0.5 px outline; waterways and
railways (dashed); streets by group (major, medium, minor, path, as
style_street_of() groups the classes), every casing under every street and
minor under major; the dots of places; street names along the streets
(TextSymbolizer placement="line") and place names under their dots, both in
the style's font, size, colour and halo. Widths are the style's zoom
functions evaluated at each zoom, one rule per zoom.

The tiles are those `build/bench_basemap DB --list` prints (Z/X/Y and the
EPSG:3857 bounds), 256 px. Each is rendered --repeat times: render
(mapnik.render into a new 256 x 256 image) and PNG (Image.tostring with
--format, by default RGB at zlib level 1 as posbon's encoder writes an
opaque tile). A tile's time is the median of its repeats; a zoom's row the
mean over its tiles. One untimed render first loads fonts and plugins.

--source sqlite reads the store itself through Mapnik's sqlite plugin
(SpatiaLite geometry, its R*Tree index, reprojected from EPSG:4326 on the
fly); --source shape reads shapefiles in EPSG:3857 with a shapeindex index,
one per layer, that ogr2ogr exports from the store into --work first
(untimed: Mapnik's fastest input, as a tile server would prepare it).

  /usr/bin/python3 bench/basemap_mapnik.py STYLE DB TILES [--source sqlite|shape]
      [--work DIR] [--repeat R] [--format FMT] [--out DIR] [--buffer PX]

Prints a Markdown table with bench_basemap's columns.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from xml.sax.saxutils import quoteattr

import mapnik

MERC = "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs +over"
WGS84 = "+proj=longlat +datum=WGS84 +no_defs"
# Scale denominator of zoom 0 at 256 px (Mapnik's 0.28 mm pixel).
SD0 = 2 * 20037508.342789244 / 256 / 0.00028
ZOOMS = range(0, 23)

# style_street_of(): the street group of each class (others are minor).
GROUP_SQL = ("CASE WHEN class IN ('motorway','trunk','primary','secondary') THEN 'major' "
             "WHEN class = 'tertiary' THEN 'medium' WHEN class = 'path' THEN 'path' "
             "ELSE 'minor' END")
# Drawing order of the groups: minor under major.
RANK_SQL = ("CASE WHEN class IN ('motorway','trunk','primary','secondary') THEN 3 "
            "WHEN class = 'tertiary' THEN 2 WHEN class = 'path' THEN 0 ELSE 1 END")
GROUPS = ["major", "medium", "minor", "path"]


def zfunc(f, z):
    """style_zfunc_eval(): a number, or linear between [zoom, value] stops."""
    if not isinstance(f, list):
        return float(f)
    if not z > f[0][0]:
        return float(f[0][1])
    for (z0, v0), (z1, v1) in zip(f, f[1:]):
        if z < z1:
            return v0 + (v1 - v0) * (z - z0) / (z1 - z0)
    return float(f[-1][1])


def colour(c):
    """#rrggbb[aa] to a colour Mapnik reads."""
    c = c.lstrip("#")
    r, g, b = (int(c[i:i + 2], 16) for i in (0, 2, 4))
    a = int(c[6:8], 16) / 255 if len(c) == 8 else 1
    return f"rgba({r},{g},{b},{a:.3f})"


def in_range(obj, z, default_min=0):
    return obj.get("minzoom", default_min) <= z <= obj.get("maxzoom", 22)


def scale_attrs(z):
    """The rule of zoom z: its tiles' scale denominator and no other zoom's."""
    sd = SD0 / 2**z
    return (f"<MinScaleDenominator>{sd / math.sqrt(2):.6f}</MinScaleDenominator>"
            f"<MaxScaleDenominator>{sd * math.sqrt(2):.6f}</MaxScaleDenominator>")


def rule(z, body, flt=None):
    f = f"<Filter>{flt}</Filter>" if flt else ""
    return f"<Rule>{scale_attrs(z)}{f}{body}</Rule>"


def gfilter(key, more=None):
    """The rule filter of layer key: its geometry type, and more."""
    g = LAYER_SQL[key][2]
    f = [f"[mapnik::geometry_type] = {g}"] if g else []
    return " and ".join(f + ([more] if more else [])) or None


def fill_style(name, c, zooms):
    if not c:
        return ""
    rules = "".join(rule(z, f'<PolygonSymbolizer fill="{colour(c)}" gamma="1"/>', gfilter(name))
                    for z in zooms)
    return f'<Style name="{name}">{rules}</Style>'


def stroke_attrs(c, width, dash=None):
    a = (f'stroke="{colour(c)}" stroke-width="{width:.4f}" stroke-linecap="round" '
         f'stroke-linejoin="round"')
    if dash:
        a += f' stroke-dasharray="{",".join(f"{d:g}" for d in dash)}"'
    return a


def build_xml(base, fonts, sources, buffer_px):
    zooms = [z for z in ZOOMS if in_range(base, z)]
    styles, layers = [], []

    def layer(name, style_names, src, cache=False):
        if not style_names:
            return
        st = "".join(f"<StyleName>{s}</StyleName>" for s in style_names)
        params = "".join(f"<Parameter name={quoteattr(k)}>{xml_text(v)}</Parameter>"
                         for k, v in src["params"].items())
        c = ' cache-features="true"' if cache else ""
        layers.append(f'<Layer name="{name}" srs="{src["srs"]}"{c}>{st}'
                      f"<Datasource>{params}</Datasource></Layer>")

    # Areas: land use, parks, water.
    for kind, key in (("landuse", "landuse"), ("park", "park"), ("water_area", "water")):
        s = fill_style(kind, base.get(key), zooms)
        if s:
            styles.append(s)
            layer(kind, [kind], sources[kind])
    # Buildings: fill and a 0.5 px outline.
    b = base.get("buildings")
    if b:
        bz = [z for z in zooms if in_range(b, z)]
        body = ""
        if b.get("fill"):
            body += f'<PolygonSymbolizer fill="{colour(b["fill"])}" gamma="1"/>'
        if b.get("outline"):
            body += f'<LineSymbolizer {stroke_attrs(b["outline"], 0.5)}/>'
        rules = "".join(rule(z, body, gfilter("building")) for z in bz)
        styles.append(f'<Style name="building">{rules}</Style>')
        layer("building", ["building"], sources["building"])
    # Waterways and railways.
    for kind, key in (("waterway", "waterways"), ("railway", "railways")):
        s = base.get(key)
        if not s:
            continue
        rules = "".join(rule(z, f'<LineSymbolizer '
                                f'{stroke_attrs(s["colour"], zfunc(s["width"], z), s.get("dash"))}/>',
                             gfilter(kind)) for z in zooms)
        styles.append(f'<Style name="{kind}">{rules}</Style>')
        layer(kind, [kind], sources[kind])
    # Streets: casings of every group, then the streets, minor under major
    # (the features come ordered by group; each style is one pass).
    casing, line = [], []
    for g in GROUPS:
        s = base.get("streets", {}).get(g)
        if not s:
            continue
        flt = gfilter("street", f"[grp] = '{g}'")
        for z in zooms:
            if not in_range(s, z):
                continue
            w = zfunc(s["width"], z)
            if s.get("casing"):
                cw = w + 2 * zfunc(s["casing"]["width"], z)
                casing.append(rule(z, f'<LineSymbolizer {stroke_attrs(s["casing"]["colour"], cw)}/>', flt))
            line.append(rule(z, f'<LineSymbolizer {stroke_attrs(s["colour"], w, s.get("dash"))}/>', flt))
    names = []
    if casing:
        styles.append(f'<Style name="casing">{"".join(casing)}</Style>')
        names.append("casing")
    if line:
        styles.append(f'<Style name="street">{"".join(line)}</Style>')
        names.append("street")
    layer("streets", names, sources["street"], cache=True)
    # Places: a dot each.
    p = base.get("places")
    pz = [z for z in zooms if p and in_range(p, z)]
    if pz:
        rules = "".join(rule(z, f'<MarkersSymbolizer marker-type="ellipse" '
                                f'width="{2 * zfunc(p["radius"], z):.4f}" height="{2 * zfunc(p["radius"], z):.4f}" '
                                f'fill="{colour(p["colour"])}" stroke-width="0" allow-overlap="true" '
                                f'ignore-placement="true"/>') for z in pz)
        styles.append(f'<Style name="place">{rules}</Style>')
        layer("places", ["place"], sources["place"])
    # Names, after everything: streets' first (they rank before places').
    lab = base.get("label")
    if lab:
        halo = lab.get("halo")
        lz = [z for z in zooms if in_range(lab, z)]

        def text(z, extra):
            a = (f'fontset-name="{lab.get("font", "regular")}" size="{zfunc(lab["size"], z):.4f}" '
                 f'fill="{colour(lab.get("colour", "#000000"))}" {extra}')
            if halo:
                a += (f' halo-fill="{colour(halo["colour"])}" '
                      f'halo-radius="{zfunc(halo.get("width", 1), z):.4f}"')
            return f"<TextSymbolizer {a}>[name]</TextSymbolizer>"

        rules = "".join(rule(z, text(z, 'placement="line"'), gfilter("street_name")) for z in lz)
        styles.append(f'<Style name="street_name">{rules}</Style>')
        layer("street_names", ["street_name"], sources["street_name"])
        if pz:
            rules = []
            for z in lz:
                if z not in pz:
                    continue
                dy = zfunc(p["radius"], z) + zfunc(lab["size"], z) / 2 + 2
                rules.append(rule(z, text(z, f'placement="point" dy="{dy:.4f}" '
                                             f'vertical-alignment="middle"')))
            styles.append(f'<Style name="place_name">{"".join(rules)}</Style>')
            layer("place_names", ["place_name"], sources["place"])
        fontsets = "".join(
            f'<FontSet name="{n}">{"".join(f"<Font face-name={quoteattr(f)}/>" for f in faces)}</FontSet>'
            for n, faces in fonts.items())
    else:
        fontsets = ""
    return (f'<?xml version="1.0" encoding="utf-8"?>'
            f'<Map srs="{MERC}" background-color="{colour(base.get("land", "#00000000"))}" '
            f'buffer-size="{buffer_px}">{fontsets}{"".join(styles)}{"".join(layers)}</Map>')


def xml_text(v):
    return str(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Each layer's features: a WHERE on ref_features (plain SQL: Mapnik's sqlite
# plugin has no SpatiaLite functions), the columns it needs beyond the
# geometry, and the geometry type its rules draw (posbon fills areas and
# strokes lines of a kind, whatever else the kind holds).
LAYER_SQL = {
    "landuse": ("kind = 'landuse'", "", "polygon"),
    "park": ("kind = 'park'", "", "polygon"),
    "water_area": ("kind = 'water'", "", "polygon"),
    "building": ("kind = 'building'", "", "polygon"),
    "waterway": ("kind = 'water'", "", "linestring"),
    "railway": ("kind = 'railway'", "", "linestring"),
    "street": ("kind = 'street'", f", {GROUP_SQL} AS grp", "linestring"),
    "street_name": ("kind = 'street' AND name IS NOT NULL", ", name", "linestring"),
    "place": ("poi IS NOT NULL", ", name", None),
}
# Streets come ordered by group, minor first, so that each style's one pass
# draws minor under major.
ORDER = {"street": f" ORDER BY {RANK_SQL}, id"}
SHP_TYPE = {"polygon": " AND GeometryType(geom) LIKE '%POLYGON%'",
            "linestring": " AND GeometryType(geom) LIKE '%LINESTRING%'"}


def sqlite_sources(db):
    out = {}
    for key, (where, cols, _) in LAYER_SQL.items():
        table = (f"(SELECT id, geom{cols} FROM ref_features WHERE {where} "
                 f"AND !intersects!{ORDER.get(key, '')}) AS t")
        out[key] = {"srs": WGS84, "params": {
            "type": "sqlite", "file": db, "table": table, "geometry_field": "geom",
            "geometry_table": "ref_features", "key_field": "id", "wkb_format": "spatialite",
            "use_spatial_index": "true", "extent": "-180,-85,180,85"}}
    return out


def shape_sources(db, work):
    """Exports each layer once into work/KEY.shp (EPSG:3857, indexed); a
    place becomes a point at the middle of its box, as posbon draws it."""
    os.makedirs(work, exist_ok=True)
    out = {}
    for key, (where, cols, gtype) in LAYER_SQL.items():
        geom = ("MakePoint((MbrMinX(geom) + MbrMaxX(geom)) / 2, "
                "(MbrMinY(geom) + MbrMaxY(geom)) / 2, 4326)") if key == "place" else "geom"
        path = os.path.join(work, key + ".shp")
        sql = (f"SELECT id, {geom} AS geom{cols} FROM ref_features WHERE {where}"
               f"{SHP_TYPE.get(gtype, '')}{ORDER.get(key, '')}")
        subprocess.run(["ogr2ogr", "-f", "ESRI Shapefile", "-overwrite", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:3857",
                        "-lco", "ENCODING=UTF-8", "-dialect", "SQLite", "-sql", sql, path, db],
                       check=True, stdout=subprocess.DEVNULL)
        if os.path.exists(path):
            subprocess.run(["shapeindex", "--shape_files", path], check=True, stderr=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL)
            out[key] = {"srs": MERC, "params": {"type": "shape", "file": path, "encoding": "utf-8"}}
        else:  # no such features: an empty layer
            out[key] = {"srs": MERC, "params": {"type": "geojson", "inline":
                                                '{"type":"FeatureCollection","features":[]}'}}
    return out


def register_fonts(fonts):
    """The style's families as Mapnik face names ("Noto Sans Regular")."""
    for d in ("/usr/share/fonts/truetype", "/usr/share/fonts/opentype"):
        if os.path.isdir(d):
            mapnik.register_fonts(d)
    faces = set(mapnik.FontEngine.face_names())
    out = {}
    for name, f in fonts.items():
        weight = {"medium": "Medium", "bold": "Bold"}.get(f.get("weight", ""), "")
        want = []
        for fam in f.get("families", []):
            for suffix in ([weight] if weight else []) + ["Regular", "Book"]:
                if f"{fam} {suffix}" in faces:
                    want.append(f"{fam} {suffix}")
                    break
        if not want:
            sys.exit(f"basemap_mapnik: no face of {f.get('families')} in Mapnik's font list")
        out[name] = want
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("style")
    ap.add_argument("db")
    ap.add_argument("tiles")
    ap.add_argument("--source", choices=["sqlite", "shape"], default="sqlite")
    ap.add_argument("--work", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--format", default="png32:z=1:t=0")
    ap.add_argument("--out", default=None)
    ap.add_argument("--buffer", type=int, default=128)
    ap.add_argument("--xml", default=None, help="also write the map's XML here")
    a = ap.parse_args()

    with open(a.style, encoding="utf-8") as f:
        st = json.load(f)
    base = st["layers"]["base"]
    label_font = base.get("label", {}).get("font", "regular")
    fonts = register_fonts({label_font: st.get("fonts", {}).get(
        label_font, {"families": ["DejaVu Sans"]})})
    db = os.path.abspath(a.db)
    if a.source == "sqlite":
        sources = sqlite_sources(db)
    else:
        t = time.monotonic()
        sources = shape_sources(db, a.work or os.path.join(os.path.dirname(db), "mapnik-shp"))
        print(f"(untimed) ogr2ogr + shapeindex export: {time.monotonic() - t:.1f} s", file=sys.stderr)
    if a.out:
        os.makedirs(a.out, exist_ok=True)
    xml = build_xml(base, fonts, sources, a.buffer)
    if a.xml:
        with open(a.xml, "w", encoding="utf-8") as f:
            f.write(xml)
    m = mapnik.Map(256, 256)
    mapnik.load_map_from_string(m, xml, True)

    tiles = []
    with open(a.tiles) as f:
        for line in f:
            t, *b = line.split()
            tiles.append((t, [float(v) for v in b[:4]]))

    def draw(bounds):
        m.zoom_to_box(mapnik.Box2d(*bounds))
        c0, t0 = time.thread_time(), time.perf_counter()
        im = mapnik.Image(256, 256)
        mapnik.render(m, im)
        t1 = time.perf_counter()
        png = im.tostring(a.format)
        t2 = time.perf_counter()
        return (t1 - t0) * 1e3, (t2 - t1) * 1e3, (time.thread_time() - c0) * 1e3, png

    draw(tiles[0][1])  # untimed: fonts, plugins
    print(f"Mapnik {mapnik.mapnik_version() // 100000}.{mapnik.mapnik_version() // 100 % 1000}."
          f"{mapnik.mapnik_version() % 100} (python3-mapnik), source {a.source}, buffer "
          f"{a.buffer} px, PNG {a.format}, median of {a.repeat} renders per tile, one thread\n")
    print("| zoom | tiles | features per tile | render ms | PNG ms | ms per tile | median tile ms "
          "| CPU ms per tile |\n|---|---|---|---|---|---|---|---|")
    by_zoom = {}
    for t, b in tiles:
        by_zoom.setdefault(int(t.split("/")[0]), []).append((t, b))
    for z in sorted(by_zoom):
        rows = []
        for t, b in by_zoom[z]:
            runs = [draw(b) for _ in range(a.repeat)]
            if a.out:
                with open(os.path.join(a.out, t.replace("/", "-") + ".png"), "wb") as f:
                    f.write(runs[-1][3])
            rows.append((statistics.median(r[0] for r in runs),
                         statistics.median(r[1] for r in runs),
                         statistics.median(r[0] + r[1] for r in runs),
                         statistics.median(r[2] for r in runs)))
        n = len(rows)
        print(f"| {z} | {n} | - | {sum(r[0] for r in rows) / n:.2f} | {sum(r[1] for r in rows) / n:.2f} "
              f"| {sum(r[2] for r in rows) / n:.2f} | {statistics.median(r[2] for r in rows):.2f} "
              f"| {sum(r[3] for r in rows) / n:.2f} |", flush=True)


if __name__ == "__main__":
    main()
