#!/usr/bin/env python3
"""Clients for the server sections of bench/run.sh (standard library only).
Every request goes to the URL given (127.0.0.1 in run.sh) and every loop is
bounded in count and in time.

  serve_client.py tiles  URL TOKEN LAYERS ZOOMS [--max N] [--around centre]
                         [--fill zooms] [--query Q] [--rounds R] [--district D]
                         print tile paths "/tiles/L/z/x/y.png?Q" over the
                         district (from /api/meta; of a city, district D's
                         own box), zooms interleaved in a
                         seeded shuffle; in Q, {n} is the line's number and
                         {k} the round (000, 001, ...): the whole list again
                         R times
  serve_client.py batches URL TOKEN --batches N --size K
                         POST N FeatureCollections of K new offences, one
                         after the other over one connection; prints
                         "offences seconds rate p50_ms p99_ms"
  serve_client.py singles URL TOKEN --count N
                         POST N single Features, one after the other over
                         one connection; same output
  serve_client.py live   URL TOKEN --trials N [--zoom Z] [--timeout S]
                         POST one offence, then poll the heatmap tile that
                         holds it (If-None-Match: the old ETag) until it comes
                         back 200 with a new ETag; also notes when the
                         server-sent event of the change arrives. Prints one
                         line per trial: "ack_ms event_ms tile_ms polls"
  serve_client.py probe  URL TOKEN PATH [--every S] [--seconds T]
                         GET PATH every S seconds for T seconds, each time on
                         a new connection (as a new client would); prints
                         the milliseconds of each
"""
import argparse
import http.client
import json
import math
import random
import socket
import sys
import threading
import time
import urllib.parse

CATEGORIES = ["theft", "robbery", "assault", "fraud", "hooliganism", "drugs"]
SERVICES = ["ppx", "jqb", "youth"]


def conn_of(url, timeout=60):
    u = urllib.parse.urlsplit(url)
    assert u.hostname == "127.0.0.1", "benchmarks talk to 127.0.0.1 only"
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    c.connect()
    c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return c


def request(c, method, path, token, body=None, headers=None):
    h = {"Authorization": "Bearer " + token}
    if body is not None:
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    return r.status, r.getheader("ETag"), data


def meta(url, token, district=None):
    c = conn_of(url)
    path = "/api/meta" + ("?district=" + urllib.parse.quote(district) if district else "")
    status, _, data = request(c, "GET", path, token)
    c.close()
    if status != 200:
        sys.exit("serve_client: /api/meta answered %d" % status)
    return json.loads(data)


def tile_of(lon, lat, z):
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def district_tiles(bounds, z):
    w, s, e, n = bounds
    x0, y0 = tile_of(w, n, z)
    x1, y1 = tile_of(e, s, z)
    return [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def cmd_tiles(a):
    m = meta(a.url, a.token, a.district)
    bounds = m["district"]["bounds"]
    z0, _, z1 = a.zooms.partition("-")
    zooms = range(int(z0), int(z1 or z0) + 1)
    rng = random.Random(7)
    cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    per_zoom = []
    for z in zooms:
        ts = district_tiles(bounds, z)
        if a.around == "centre":
            # nearest the district's centre first
            ts.sort(key=lambda t: (t[1] + 0.5 - tile_of(cx, cy, z)[0]) ** 2
                    + (t[2] + 0.5 - tile_of(cx, cy, z)[1]) ** 2)
        else:
            rng.shuffle(ts)
        per_zoom.append(ts)
    out = []
    if a.fill == "interleave":
        # one of each zoom in turn, as long as any zoom has tiles left
        i = 0
        while any(i < len(ts) for ts in per_zoom):
            out += [ts[i] for ts in per_zoom if i < len(ts)]
            i += 1
    else:
        # whole zooms, low to high, until --max
        for ts in per_zoom:
            out += ts
    if a.max:
        out = out[: a.max]
    q = ("?" + a.query) if a.query else ""
    n = 0
    for k in range(a.rounds):
        for z, x, y in out:
            qq = q.replace("{n}", str(n)).replace("{k}", "%03d" % k)
            print("/tiles/%s/%d/%d/%d.png%s" % (a.layers, z, x, y, qq))
            n += 1


def feature(fid, lon, lat, rng):
    return {
        "type": "Feature",
        "properties": {
            "id": fid,
            "time": "2026-11-%02dT%02d:%02d:00" % (rng.randint(1, 24), rng.randint(0, 23),
                                                  rng.randint(0, 59)),
            "category": rng.choice(CATEGORIES),
            "service": rng.choice(SERVICES),
        },
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
    }


def random_point(bounds, rng):
    w, s, e, n = bounds
    return rng.uniform(w, e), rng.uniform(s, n)


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = min(len(v) - 1, max(0, int(math.ceil(p / 100 * len(v))) - 1))
    return v[k]


def post_series(a, bodies, per_body):
    c = conn_of(a.url, timeout=a.timeout)
    times = []
    t_all = time.perf_counter()
    deadline = t_all + a.timeout
    for body in bodies:
        t0 = time.perf_counter()
        status, _, data = request(c, "POST", "/api/offences", a.token, body=body)
        times.append((time.perf_counter() - t0) * 1e3)
        if status != 201:
            sys.exit("serve_client: POST answered %d: %s" % (status, data[:200]))
        if time.perf_counter() > deadline:
            print("serve_client: stopped at the time limit", file=sys.stderr)
            break
    total = time.perf_counter() - t_all
    c.close()
    n = len(times) * per_body
    print("%d %.3f %.1f %.2f %.2f" % (n, total, n / total, pct(times, 50), pct(times, 99)))


def cmd_batches(a):
    bounds = meta(a.url, a.token)["district"]["bounds"]
    rng = random.Random(a.seed)
    bodies = []
    for b in range(a.batches):
        fs = [feature("%s-%d-%d" % (a.prefix, b, i), *random_point(bounds, rng), rng)
              for i in range(a.size)]
        bodies.append(json.dumps({"type": "FeatureCollection", "features": fs}).encode())
    post_series(a, bodies, a.size)


def cmd_singles(a):
    bounds = meta(a.url, a.token)["district"]["bounds"]
    rng = random.Random(a.seed)
    bodies = [json.dumps(feature("%s-%d" % (a.prefix, i), *random_point(bounds, rng), rng)).encode()
              for i in range(a.count)]
    post_series(a, bodies, 1)


class Events(threading.Thread):
    """Reads /api/events and keeps (arrival time, data_version) of each change."""

    def __init__(self, url, token):
        super().__init__(daemon=True)
        self.c = conn_of(url, timeout=600)
        self.c.request("GET", "/api/events", headers={"Authorization": "Bearer " + token})
        self.r = self.c.getresponse()
        self.lock = threading.Lock()
        self.seen = []  # (perf_counter, data_version)

    def run(self):
        try:
            while True:
                line = self.r.fp.readline()
                if not line:
                    return
                if line.startswith(b"data:"):
                    t = time.perf_counter()
                    try:
                        v = json.loads(line[5:]).get("data_version", 0)
                    except ValueError:
                        continue
                    with self.lock:
                        self.seen.append((t, v))
        except (OSError, ValueError):
            return

    def first_after(self, t0):
        with self.lock:
            for t, v in self.seen:
                if t >= t0:
                    return t
        return None


def cmd_live(a):
    m = meta(a.url, a.token)
    bounds = m["district"]["bounds"]
    rng = random.Random(a.seed)
    ev = Events(a.url, a.token)
    ev.start()
    c = conn_of(a.url, timeout=a.timeout)
    t_end = time.perf_counter() + a.limit
    for i in range(a.trials):
        if time.perf_counter() > t_end:
            print("serve_client: stopped at the time limit after %d trials" % i, file=sys.stderr)
            break
        # Points in the inner half of the district, where the data is.
        w, s, e, n = bounds
        lon = rng.uniform(w + (e - w) / 4, e - (e - w) / 4)
        lat = rng.uniform(s + (n - s) / 4, n - (n - s) / 4)
        x, y = tile_of(lon, lat, a.zoom)
        path = "/tiles/heatmap/%d/%d/%d.png" % (a.zoom, x, y)
        status, etag0, _ = request(c, "GET", path, a.token)
        if status != 200 or not etag0:
            sys.exit("serve_client: %s answered %d" % (path, status))
        # ... and the same again, so that the tile is warm (cached) before
        status, _, _ = request(c, "GET", path, a.token, headers={"If-None-Match": etag0})
        body = json.dumps(feature("%s-%d" % (a.prefix, i), lon, lat, rng)).encode()
        t0 = time.perf_counter()
        status, _, data = request(c, "POST", "/api/offences", a.token, body=body)
        t_ack = time.perf_counter()
        if status != 201:
            sys.exit("serve_client: POST answered %d: %s" % (status, data[:200]))
        polls = 0
        deadline = t0 + a.timeout
        while True:
            polls += 1
            status, etag, _ = request(c, "GET", path, a.token, headers={"If-None-Match": etag0})
            if status == 200 and etag and etag != etag0:
                t_tile = time.perf_counter()
                break
            if status not in (200, 304):
                sys.exit("serve_client: %s answered %d" % (path, status))
            if time.perf_counter() > deadline:
                sys.exit("serve_client: trial %d: no new tile after %.0f s" % (i, a.timeout))
            time.sleep(0.001)
        t_ev = None
        for _ in range(200):  # the event goes out before the 201; wait at most 1 s more
            t_ev = ev.first_after(t0)
            if t_ev is not None:
                break
            time.sleep(0.005)
        ev_ms = (t_ev - t0) * 1e3 if t_ev is not None else float("nan")
        print("%.3f %.3f %.3f %d" % ((t_ack - t0) * 1e3, ev_ms, (t_tile - t0) * 1e3, polls))
        sys.stdout.flush()


def cmd_probe(a):
    t_end = time.perf_counter() + a.seconds
    while time.perf_counter() < t_end:
        t0 = time.perf_counter()
        c = conn_of(a.url, timeout=120)
        status, _, _ = request(c, "GET", a.path, a.token)
        ms = (time.perf_counter() - t0) * 1e3
        c.close()
        if status != 200:
            sys.exit("serve_client: %s answered %d" % (a.path, status))
        print("%.3f" % ms)
        sys.stdout.flush()
        time.sleep(max(0.0, a.every - ms / 1e3))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tiles")
    t.add_argument("url")
    t.add_argument("token")
    t.add_argument("layers")
    t.add_argument("zooms")
    t.add_argument("--max", type=int, default=0)
    t.add_argument("--around", choices=["centre", "shuffle"], default="shuffle")
    t.add_argument("--fill", choices=["interleave", "zooms"], default="interleave")
    t.add_argument("--query", default="")
    t.add_argument("--rounds", type=int, default=1)
    t.add_argument("--district")
    pr = sub.add_parser("probe")
    pr.add_argument("url")
    pr.add_argument("token")
    pr.add_argument("path")
    pr.add_argument("--every", type=float, default=0.1)
    pr.add_argument("--seconds", type=float, default=20)
    for name in ("batches", "singles", "live"):
        s = sub.add_parser(name)
        s.add_argument("url")
        s.add_argument("token")
        s.add_argument("--seed", type=int, default=11)
        s.add_argument("--prefix", default="bench-" + name)
        s.add_argument("--timeout", type=float, default=120)
        if name == "batches":
            s.add_argument("--batches", type=int, default=50)
            s.add_argument("--size", type=int, default=1000)
        elif name == "singles":
            s.add_argument("--count", type=int, default=2000)
        else:
            s.add_argument("--trials", type=int, default=100)
            s.add_argument("--zoom", type=int, default=15)
            s.add_argument("--limit", type=float, default=180, help="seconds for all trials")
    a = p.parse_args()
    {"tiles": cmd_tiles, "batches": cmd_batches, "singles": cmd_singles, "live": cmd_live,
     "probe": cmd_probe}[a.cmd](a)


if __name__ == "__main__":
    main()
