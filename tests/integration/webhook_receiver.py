"""A webhook receiver for test_webhooks.sh, standard library only.

Listens on a loopback port (written to --port-file once listening) and
appends one JSON line per request to --log: the answer given, whether the
X-Posbon-Signature header is the HMAC-SHA256 of the body with the secret
in --secret-file then (verified as docs/api.md tells receivers to), the headers of
the delivery and the changes as "seq entity id action district". While the
file --fail-file holds a number N > 0, a request is answered 500 and N goes
down by one. With --silent every request is read and never answered (a
receiver that hangs).
"""
import argparse
import hashlib
import hmac
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--secret-file", required=True)
ap.add_argument("--fail-file")
ap.add_argument("--silent", action="store_true")
args = ap.parse_args()
LOCK = threading.Lock()


def take_failure():
    if not args.fail_file:
        return False
    try:
        n = int(open(args.fail_file).read().strip() or 0)
    except FileNotFoundError:
        return False
    if n <= 0:
        return False
    with open(args.fail_file, "w") as f:
        f.write(str(n - 1))
    return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if args.silent:
            time.sleep(3600)
            return
        with LOCK:
            status = 500 if take_failure() else 200
            secret = open(args.secret_file, "rb").read().rstrip(b"\r\n")
            expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
            got = self.headers.get("X-Posbon-Signature", "")
            d = json.loads(body)
            record = {
                "status": status,
                "verified": hmac.compare_digest(expected, got),
                "path": self.path,
                "type": self.headers.get("Content-Type"),
                "hook": self.headers.get("X-Posbon-Hook"),
                "delivery": self.headers.get("X-Posbon-Delivery"),
                "since": self.headers.get("X-Posbon-Since"),
                "next": self.headers.get("X-Posbon-Next"),
                "body": {k: d[k] for k in ("hook", "delivery", "since", "next")},
                "changes": ["%d %s %s %s %s" % (c["seq"], c["entity"], c["id"], c["action"],
                                                c["district"]) for c in d["changes"]],
            }
            with open(args.log, "a") as f:
                f.write(json.dumps(record) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(args.port_file + ".tmp", args.port_file)
server.serve_forever()
