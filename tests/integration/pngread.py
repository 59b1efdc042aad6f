"""A PNG reader for the integration tests (8-bit grey, grey + alpha, RGB or
RGBA, no interlace: what posbon, Cairo and GDAL write), in the standard
library only. Every picture comes back as RGBA.

    from pngread import read
    w, h, bpp, rows = read("t.png")   # rows: one bytearray per row, bpp (4) bytes a pixel

Import it with PYTHONPATH="$POSBON_SOURCE_DIR/tests/integration".
"""
import struct
import zlib


def read(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and ctype in CHANNELS, "8-bit grey, grey + alpha, RGB or RGBA"
    bpp = CHANNELS[ctype]
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(rgba(line, ctype))
        prev = line
    return w, h, 4, rows


# colour type: bytes a pixel
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def rgba(line, ctype):
    """One unfiltered row of the colour type as RGBA bytes."""
    if ctype == 6:
        return line
    out = bytearray()
    n = CHANNELS[ctype]
    for i in range(0, len(line), n):
        px = line[i:i + n]
        if ctype in (0, 4):
            out += bytes((px[0], px[0], px[0], px[1] if ctype == 4 else 255))
        else:
            out += px + b"\xff"
    return out
