#!/usr/bin/env python3
"""Checks of printed maps through poppler (pdftotext -bbox, pdftoppm).

pdfcheck.py scalebar PDF PAGE   the scale bar's length against its label
pdfcheck.py overlaps PDF PAGE [WORD]  words of the panel (from the legend's heading,
                                or from WORD) that overlap
pdfcheck.py mapnames PDF PAGE NAMES [LEAST]  of the names in file NAMES (one a line), those
                                on the map above the panel (at least LEAST, 3 by default);
                                no two words of the map overlap
pdfcheck.py hotspot PDF PAGE    colour of the page around hotspot 1
pdfcheck.py vector PDF PAGE RRGGBB...  a stroked vector line of two segments or more in
                                each colour, and no raster image on the page
pdfcheck.py heatbox PDF PAGE [none]  heat on the map inside the printed area's outline (a page
                                of the heatmap layer alone) and the hotspot box: a place
                                listed wherever heat shows; with none, no heat on the map
                                and the box saying so
pdfcheck.py selection PDF PAGE NAME  the printed area's outline: on the map a line with a
                                translucent band, and a legend row naming NAME with a
                                swatch in that style, unlike the district boundary's
pdfcheck.py markers PDF PAGE NAMES  no word of the map over a hotspot marker, and every name
                                of file NAMES (one a line) on the map
pdfcheck.py cuts PDF PAGE         what tables cut to fit: no text hidden behind a glyph
                                (the PDF's ActualText longer than a ligature: an
                                ellipsis drawn over cut text), no word ending in an
                                ellipsis, no two cells (a wrapped one whole) cut alike
pdfcheck.py rampbar PDF PAGE [DPI]  the legend's density bar rendered at DPI (600): no
                                column of its inside near the paper's white, none a
                                hairline apart from its neighbours
Each prints what it measured and exits 1 when the check fails.
"""
import html
import re
import subprocess
import sys

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def words(pdf, page):
    out = subprocess.run(["pdftotext", "-bbox", "-f", page, "-l", page, pdf, "-"],
                         check=True, capture_output=True, text=True).stdout
    size = PAGE.search(out)
    ws = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in WORD.findall(out)]
    return ws, (float(size.group(1)), float(size.group(2)))


def find(ws, text):
    return [w for w in ws if w[4] == text]


def scale_words(ws):
    """The scale's label: 'Scale 1:50 000' may come as several words."""
    for i, w in enumerate(ws):
        if w[4] in ("Scale", "Masshtab", "Масштаб"):
            digits, k = "", i + 1
            while k < len(ws) and abs(ws[k][1] - w[1]) < 0.5:
                digits += ws[k][4]
                k += 1
            # grouped by a thin space (uz, ru) or a comma (en)
            m = re.match(r"1:(\d+)$", re.sub("[\u2009,]", "", digits))
            if m:
                return w, int(m.group(1))
    sys.exit("no scale label found")


def scalebar(pdf, page):
    ws, _ = words(pdf, page)
    label, denominator = scale_words(ws)
    # The numbers under the bar: the line of words below the label that
    # starts with its 0 (names on the map may lie beside the bar's box).
    below = sorted((w for w in ws if w[1] > label[3] and w[1] < label[3] + 30 and w[0] < label[0] + 400),
                   key=lambda w: (round(w[1], 1), w[0]))
    zeros = [w for w in below if w[4] == "0" and abs(w[0] - label[0]) < 10]
    line = [w for w in below if zeros and abs(w[1] - zeros[0][1]) < 0.5]
    unit = line[-1][4]
    numbers = [w for w in line if re.match(r"^[\d.]+$", w[4])]
    zero, last = numbers[0], numbers[-1]
    assert zero[4] == "0", zero
    metres = float(last[4]) * (1000 if unit in ("km", "км") else 1)
    expected = metres / denominator / 0.0254 * 72
    measured = (last[0] + last[2]) / 2 - (zero[0] + zero[2]) / 2
    print(f"1:{denominator}, {last[4]} {unit}: bar {measured:.3f} pt, expected {expected:.3f} pt")
    sys.exit(0 if abs(measured - expected) <= 0.5 else 1)


def overlaps(pdf, page, start=None):
    ws, _ = words(pdf, page)
    heads = [w for w in ws if w[4] in ((start,) if start else ("Legend", "Shartli", "Условные"))]
    top, left = min(w[1] for w in heads) - 1, min(w[0] for w in heads) - 1
    panel = [w for w in ws if w[1] >= top and w[0] >= left]
    bad = [(a[4], b[4]) for i, a in enumerate(panel) for b in panel[i + 1:]
           if a[0] < b[2] - 0.3 and b[0] < a[2] - 0.3 and a[1] < b[3] - 0.3 and b[1] < a[3] - 0.3]
    print(f"{len(panel)} words in the panel, {len(bad)} overlapping {bad[:5]}")
    sys.exit(1 if bad else 0)


def mapnames(pdf, page, names, least="3"):
    ws, _ = words(pdf, page)
    heads = [w for w in ws if w[4] in ("Legend", "Shartli", "Условные")]
    top = min(w[1] for w in heads) - 1
    on_map = [w for w in ws if w[3] < top]
    # A name is on the map when its words follow each other in the text.
    text = " " + " ".join(w[4] for w in on_map) + " "
    wanted = [n.strip() for n in open(names, encoding="utf-8") if n.strip()]
    shown = sorted({n for n in wanted if f" {n} " in text})
    bad = [(a[4], b[4]) for i, a in enumerate(on_map) for b in on_map[i + 1:]
           if a[0] < b[2] - 0.3 and b[0] < a[2] - 0.3 and a[1] < b[3] - 0.3 and b[1] < a[3] - 0.3]
    print(f"{len(shown)} of {len(wanted)} names on the map {shown[:6]}; "
          f"{len(on_map)} words, {len(bad)} overlapping {bad[:5]}")
    sys.exit(0 if len(shown) >= int(least) and not bad else 1)


def hotspot(pdf, page):
    """The mean colour of a ring around the marker of hotspot 1 on the map."""
    ws, (pw, ph) = words(pdf, page)
    heads = [w for w in ws if w[4] in ("Legend", "Shartli", "Условные")]
    marks = [w for w in find(ws, "1") if w[3] < min(h[1] for h in heads) - 20]
    if not marks:
        sys.exit("no hotspot marker on the map")
    m = marks[0]
    cx, cy = (m[0] + m[2]) / 2, (m[1] + m[3]) / 2
    dpi = 144
    rows = render(pdf, page, dpi)
    coloured = total = 0
    import math
    for a in range(0, 360, 10):
        for r in (14, 18, 22):  # pt from the centre, outside the marker
            x = int((cx + r * math.cos(math.radians(a))) * dpi / 72)
            y = int((cy + r * math.sin(math.radians(a))) * dpi / 72)
            pr, pg, pb = rows[y][x]
            total += 1
            coloured += max(pr, pg, pb) - min(pr, pg, pb) > 40
    print(f"{coloured} of {total} pixels around hotspot 1 are coloured")
    sys.exit(0 if coloured > total / 2 else 1)


def render_raw(pdf, page, dpi, box=None):
    """The page (or the box x0, y0, x1, y1 of it, pt) as its width, height and
    RGB bytes."""
    args = ["pdftoppm", "-r", str(dpi), "-f", page, "-l", page]
    if box:
        k = dpi / 72
        args += ["-x", str(int(box[0] * k)), "-y", str(int(box[1] * k)),
                 "-W", str(int((box[2] - box[0]) * k)), "-H", str(int((box[3] - box[1]) * k))]
    ppm = subprocess.run(args + [pdf], check=True, capture_output=True).stdout
    header = ppm.split(b"\n", 3)
    w, h = map(int, header[1].split())
    return w, h, header[3]


def render(pdf, page, dpi, box=None):
    """The page (or the box of it) as rows of RGB pixels."""
    w, h, data = render_raw(pdf, page, dpi, box)
    return [[tuple(data[3 * (y * w + x):3 * (y * w + x) + 3]) for x in range(w)] for y in range(h)]


def strokes(svg):
    """The stroked paths of the page's SVG (pdftocairo): dicts of their colour (rgb
    0-255), opacity, width and rings of points in pt (the end points of lines and
    curves) with their box."""
    out = []
    for attrs in re.findall(r"<path ([^>]*)/?>", svg):
        colour = re.search(r"stroke:rgb\(([\d.]+)%,([\d.]+)%,([\d.]+)%\)", attrs)
        d = re.search(r' d="([^"]*)"', attrs)
        if not colour or not d:
            continue
        t = re.search(r'transform="matrix\(([^)]*)\)"', attrs)
        a, b, c, dd, e, f = (float(v) for v in (t.group(1) if t else "1,0,0,1,0,0").split(","))
        rings = []
        for cmd, args in re.findall(r"([MLCZ])([^MLCZ]*)", d.group(1)):
            xy = [float(v) for v in args.split()]
            if cmd == "M":
                rings.append([])
            if cmd in "ML" or cmd == "C":
                x, y = xy[-2], xy[-1]
                rings[-1].append((a * x + c * y + e, b * x + dd * y + f))
        rings = [r for r in rings if len(r) > 1]
        if not rings:
            continue
        xs, ys = [x for r in rings for x, _ in r], [y for r in rings for _, y in r]
        out.append({"colour": tuple(float(v) * 2.55 for v in colour.groups()),
                    "opacity": float(re.search(r"stroke-opacity:([\d.]+)", attrs).group(1)),
                    "width": float(re.search(r"stroke-width:([\d.]+)", attrs).group(1)),
                    "filled": "fill:none" not in attrs,
                    "rings": rings, "box": (min(xs), min(ys), max(xs), max(ys))})
    return out


def same_colour(a, b):
    return all(abs(x - y) < 1.5 for x, y in zip(a, b))


def rampbar(pdf, page, dpi="600"):
    """The legend's first ramp bar: the rectangle stroked in 50% grey, its inside
    rendered at dpi."""
    bars = [s["box"] for s in strokes(page_svg(pdf, page)) if same_colour(s["colour"], (128, 128, 128))]
    if not bars:
        sys.exit("no ramp bar on the page")
    x0, y0, x1, y1 = bars[0]
    pad = 0.6  # pt past the outline and its antialiased edge
    inside = render(pdf, page, int(dpi), (x0 + pad, y0 + pad, x1 - pad, y1 - pad))
    paper = [x for x in range(len(inside[0])) if any(min(r[x]) >= 250 for r in inside)]
    # a seam: a column off the line between its neighbours four pixels away
    line = inside[len(inside) // 2]
    seams = [x for x in range(4, len(line) - 4)
             if max(abs(line[x][k] - (line[x - 4][k] + line[x + 4][k]) / 2) for k in range(3)) > 6]
    print(f"bar {x1 - x0:.1f} x {y1 - y0:.1f} pt, {len(line)} x {len(inside)} px at {dpi} dpi: "
          f"{len(paper)} columns near white {paper[:5]}, {len(seams)} seams {seams[:5]}")
    sys.exit(1 if paper or seams else 0)


NO_HOTSPOTS = ("Qaynoq nuqtalar yoʻq", "Очагов нет", "No hotspots")
HOTSPOTS = ("Eng qaynoq nuqtalar", "Очаги наибольшей плотности", "Top hotspots")
INK = (26, 31, 41)  # the page's dark ink (the map's frame, the markers)


def area_rings(svg):
    """The printed area's outline on the map (printmap_selection(): an opaque black
    line) as rings of points, pt, and the map frame's box."""
    ss = strokes(svg)
    frames = [s["box"] for s in ss if same_colour(s["colour"], INK) and not s["filled"]]
    frame = max(frames, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), default=None)
    rings = [r for s in on_map(ss, frame) if same_colour(s["colour"], (0, 0, 0)) and s["opacity"] == 1
             for r in s["rings"]]
    return rings, frame


def on_map(ss, frame):
    """The strokes reaching into the frame's box."""
    return [s for s in ss if frame and s["box"][0] < frame[2] and frame[0] < s["box"][2]
            and s["box"][1] < frame[3] and frame[1] < s["box"][3]]


SELECTED = ("Tanlangan mahalla:", "Выбранная махалля:", "Selected mahalla:",
            "Tanlangan tuman:", "Выбранный район:", "Selected district:")
DISTRICT_BOUNDARY = ("Tuman chegarasi", "Граница района", "District boundary")


def text_lines(ws):
    """The words grouped in lines (the same top, left to right): (text, box)."""
    lines = {}
    for w in ws:
        lines.setdefault(round(w[1], 1), []).append(w)
    return [(" ".join(w[4] for w in sorted(line)), (min(w[0] for w in line), min(w[1] for w in line),
             max(w[2] for w in line), max(w[3] for w in line))) for line in lines.values()]


def selection(pdf, page, name):
    ws, _ = words(pdf, page)
    svg = page_svg(pdf, page)
    ss = strokes(svg)

    def swatch(starts):
        """The strokes left of the legend row whose text starts with one of starts."""
        rows = [box for text, box in text_lines(ws) if text.startswith(starts)]
        if not rows:
            return None, []
        x0, y0, _, y1 = rows[0]
        return rows[0], [s for s in ss if s["box"][2] < x0 and y0 - 2 < s["box"][1] and s["box"][3] < y1 + 2]

    row, sel = swatch(tuple(t + " " + name for t in SELECTED))
    _, district = swatch(DISTRICT_BOUNDARY)
    rings, frame = area_rings(svg)

    def look(group):
        """The line and band: an opaque black stroke, a translucent wider one."""
        line = [s for s in group if same_colour(s["colour"], (0, 0, 0)) and s["opacity"] == 1]
        band = [s for s in group if same_colour(s["colour"], (0, 0, 0)) and s["opacity"] < 1
                and line and s["width"] > 2 * line[0]["width"]]
        return bool(line) and bool(band)

    district_black = any(same_colour(s["colour"], (0, 0, 0)) for s in district)
    print(f"legend row naming {name}: {'yes' if row else 'no'}, its swatch {'a line and band' if look(sel) else 'other'}; "
          f"on the map {'a line and band' if look(on_map(ss, frame)) else 'no such outline'} "
          f"({len(rings)} rings); the district boundary's swatch {'black' if district_black else 'not black'}")
    sys.exit(0 if row and look(sel) and look(on_map(ss, frame)) and district and not district_black else 1)


def markers(pdf, page, names):
    ws, _ = words(pdf, page)
    svg = page_svg(pdf, page)
    ss = strokes(svg)
    _, frame = area_rings(svg)
    # the numbered markers: small white discs outlined in the page's ink
    discs = [s["box"] for s in on_map(ss, frame) if s["filled"] and same_colour(s["colour"], INK)
             and s["box"][2] - s["box"][0] < 30]
    on = [w for w in ws if frame[0] <= w[0] and w[2] <= frame[2] and frame[1] <= w[1] and w[3] <= frame[3]]
    over = []
    for x0, y0, x1, y1 in discs:
        cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2
        for w in on:
            if w[4].isdigit() and abs((w[0] + w[2]) / 2 - cx) < 1 and abs((w[1] + w[3]) / 2 - cy) < 2:
                continue  # the marker's own number
            # the nearest point of the word's box within the disc
            dx = max(w[0] - cx, 0, cx - w[2])
            dy = max(w[1] - cy, 0, cy - w[3])
            if dx * dx + dy * dy < (r - 0.3) ** 2:
                over.append(w[4])
    text = " " + " ".join(w[4] for w in sorted(on, key=lambda w: (round(w[1]), w[0]))) + " "
    wanted = [n.strip() for n in open(names, encoding="utf-8") if n.strip()]
    # a name may wrap: each of its words on the map
    missing = [n for n in wanted if f" {n} " not in text and not all(f" {p} " in text for p in n.split())]
    print(f"{len(discs)} markers, words over them: {over}; {len(wanted) - len(missing)} of "
          f"{len(wanted)} names on the map, missing: {missing}")
    sys.exit(0 if discs and not over and not missing else 1)


def actual_texts(pdf):
    """The ActualText of the PDF's marked spans: what a text extractor reads
    instead of the glyphs drawn."""
    import zlib
    data, out = open(pdf, "rb").read(), []
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            content = zlib.decompress(data[m.end():data.find(b"endstream", m.end())])
        except zlib.error:
            continue
        for hexa in re.findall(rb"/ActualText\s*<([0-9A-Fa-f]*)>", content):
            out.append(bytes.fromhex(hexa.decode()).decode("utf-16").lstrip("\ufeff"))
    return out


def cells(ws):
    """The page's text cells: words of a line apart by less than 4 pt, with the
    line under them at the same left and one line lower (a wrapped cell: rows
    are a line and their padding apart)."""
    chunks = []
    for line in text_lines_words(ws):
        cur = [line[0]]
        for w in line[1:]:
            if w[0] - cur[-1][2] > 4:
                chunks.append(cur)
                cur = []
            cur.append(w)
        chunks.append(cur)
    out = []
    for c in sorted(chunks, key=lambda c: (c[0][1], c[0][0])):
        x0, y0, h = c[0][0], c[0][1], c[0][3] - c[0][1]
        below = [o for o in out if abs(o["x"] - x0) < 1 and 0 < y0 - o["y"] < h + 1.1]
        if below:
            below[0]["text"] += " " + " ".join(w[4] for w in c)
            below[0]["y"] = y0
        else:
            out.append({"x": x0, "y": y0, "text": " ".join(w[4] for w in c)})
    return out


def text_lines_words(ws):
    """The words in lines (the same top), each line left to right."""
    lines = {}
    for w in ws:
        lines.setdefault(round(w[1], 1), []).append(w)
    return [sorted(line) for _, line in sorted(lines.items())]


def cuts(pdf, page):
    hidden = [t for t in actual_texts(pdf) if len(t) > 3]
    ws, _ = words(pdf, page)
    ends = [w[4] for w in ws if w[4].endswith("…")]
    cut = [c["text"] for c in cells(ws) if "…" in c["text"]]
    alike = sorted({c for c in cut if cut.count(c) > 1})
    print(f"{len(hidden)} texts hidden behind glyphs {hidden[:4]}; {len(cut)} cells cut, "
          f"alike: {alike}; words ending in an ellipsis: {ends}")
    sys.exit(0 if not hidden and not alike and not ends else 1)


def inside_rings(rings, y, w, k):
    """The pixels of row y (of w, k pixels per pt) whose centres lie inside the
    rings (even-odd)."""
    py, xs = (y + 0.5) / k, []
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
            if (y0 <= py) != (y1 <= py):
                xs.append(x0 + (py - y0) * (x1 - x0) / (y1 - y0))
    xs.sort()
    row = [False] * w
    for a, b in zip(xs[::2], xs[1::2]):
        for x in range(max(0, int(a * k + 0.5)), min(w, int(b * k + 0.5))):
            row[x] = True
    return row


def heat_pixels(pdf, page, dpi=72):
    """Pixels of the map frame in the heatmap's warm colours (red well above blue;
    heat under the scale bar's and north arrow's white boxes is paler) inside the
    printed area's outline, and in all."""
    rings, frame = area_rings(page_svg(pdf, page))
    if not rings:
        sys.exit("no map frame or outline of the printed area on the page")
    fx0, fy0, fx1, fy1 = frame
    k = dpi / 72
    box = (fx0 + 1, fy0 + 1, fx1 - 1, fy1 - 1)
    w, h, data = render_raw(pdf, page, dpi, box)
    ox, oy = int(box[0] * k) / k, int(box[1] * k) / k
    rings = [[(x - ox, y - oy) for x, y in r] for r in rings]
    top, bottom = min(y for r in rings for _, y in r), max(y for r in rings for _, y in r)
    inside = total = 0
    for y in range(h):
        row = data[3 * w * y:3 * w * (y + 1)]
        heat = [x for x, (r, b) in enumerate(zip(row[0::3], row[2::3])) if r - b > 30]
        total += len(heat)
        if heat and top * k <= y <= bottom * k:
            within = inside_rings(rings, y, w, k)
            inside += sum(within[x] for x in heat)
    return inside, total


def heatbox(pdf, page, want=None):
    inside, total = heat_pixels(pdf, page)
    text = " ".join(subprocess.run(["pdftotext", "-f", page, "-l", page, pdf, "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    box = any(t in text for t in HOTSPOTS)
    none = any(t in text for t in NO_HOTSPOTS)
    print(f"page {page}: {inside} heat pixels inside the area, {total} on the map; "
          f"the hotspot box {'says none' if none else 'lists places' if box else 'is missing'}")
    if want == "none":
        sys.exit(0 if box and none and total == 0 else 1)
    sys.exit(0 if box and (inside < 3 or not none) else 1)


def page_svg(pdf, page):
    """One page of the PDF as SVG (pdftocairo): paths with their colours, images."""
    return subprocess.run(["pdftocairo", "-svg", "-f", page, "-l", page, pdf, "-"],
                          check=True, capture_output=True, text=True).stdout


def vector(pdf, page, *colours):
    """The page's stroked paths by colour, and its images."""
    svg = page_svg(pdf, page)
    strokes = []
    for attrs in re.findall(r"<path ([^>]*)/?>", svg):
        m = re.search(r"stroke:rgb\(([\d.]+)%,([\d.]+)%,([\d.]+)%\)", attrs)
        d = re.search(r' d="([^"]*)"', attrs)
        if m and d:
            strokes.append(([float(v) * 2.55 for v in m.groups()], d.group(1).count("L")))
    images = svg.count("<image")
    ok = images == 0
    for hexa in colours:
        want = [int(hexa[i:i + 2], 16) for i in (0, 2, 4)]
        segments = max((n for rgb, n in strokes if all(abs(a - b) < 1 for a, b in zip(rgb, want))),
                       default=0)
        print(f"#{hexa}: a stroked line of {segments} segments")
        ok = ok and segments >= 2
    print(f"{len(strokes)} stroked paths, {images} images")
    sys.exit(0 if ok else 1)


def filled(pdf, page, hexa, least):
    """The sub-paths of the page filled (as vectors) in colour hexa; at least least of them."""
    svg = page_svg(pdf, page)
    want = [int(hexa[i:i + 2], 16) for i in (0, 2, 4)]
    n = 0
    for attrs in re.findall(r"<path ([^>]*)/?>", svg):
        m = re.search(r"fill:rgb\(([\d.]+)%,([\d.]+)%,([\d.]+)%\)", attrs)
        d = re.search(r' d="([^"]*)"', attrs)
        if m and d and all(abs(float(v) * 2.55 - w) < 1 for v, w in zip(m.groups(), want)):
            n += d.group(1).count("M")
    print(f"#{hexa}: {n} filled sub-paths")
    sys.exit(0 if n >= int(least) else 1)


if __name__ == "__main__":
    {"scalebar": scalebar, "overlaps": overlaps, "hotspot": hotspot,
     "vector": vector, "filled": filled, "mapnames": mapnames,
     "rampbar": rampbar, "heatbox": heatbox, "selection": selection,
     "markers": markers, "cuts": cuts}[sys.argv[1]](*sys.argv[2:])
