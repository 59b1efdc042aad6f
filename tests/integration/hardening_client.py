"""Raw-socket client of test_hardening.sh: what curl cannot show.

headers PORT METHOD PATH [HEADER ...]
    sends the request line and headers (a Content-Length among them) and
    not a byte of the body; prints the answer's status and JSON "field", or
    "no answer" when the server keeps waiting for the body.
per-address PORT N
    holds N connections with half a request each, then opens one more:
    prints "closed" when the server closed it without an answer, then
    whether a new connection is served once the held ones are gone.
total PORT N
    holds N connections, then sends a whole request on one more: prints
    "answered" if it was answered while the others were held (waiting a
    second, which can only make a broken limit look right, never a working
    one wrong), then whether it is served once one held connection closes.
"""
import json
import select
import socket
import sys
import time

HALF = b"GET /healthz HTTP/1.1\r\nHost: t\r\n"
WHOLE = b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"


def read_all(s, timeout):
    s.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        return None
    except ConnectionResetError:
        pass
    return data


def status_of(data):
    return data.split(b" ", 2)[1].decode() if data and data.startswith(b"HTTP/") else ""


def headers(port, method, path, extra):
    s = socket.create_connection(("127.0.0.1", port))
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"] + extra
    s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    data = read_all(s, 30)
    if data is None:
        return "no answer"
    body = data.split(b"\r\n\r\n", 1)[1]
    return f"{status_of(data)} {json.loads(body).get('field')}"


def served(port, deadline):
    while time.time() < deadline:
        try:
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(WHOLE)
            if status_of(read_all(s, 10)) == "200":
                return "served"
        except OSError:
            pass
        time.sleep(0.1)
    return "refused"


def hold(port, n):
    held = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(HALF)
        held.append(s)
    return held


def per_address(port, n):
    held = hold(port, n)
    extra = socket.create_connection(("127.0.0.1", port))
    try:
        extra.sendall(WHOLE)
        data = read_all(extra, 30)
    except OSError:
        data = b""
    first = "closed" if data == b"" else f"answered {status_of(data)}"
    for s in held:
        s.close()
    return f"{first}, then {served(port, time.time() + 20)}"


def total(port, n):
    held = hold(port, n)
    extra = socket.create_connection(("127.0.0.1", port))
    extra.sendall(WHOLE)
    ready, _, _ = select.select([extra], [], [], 1)
    first = "answered" if ready else "waits"
    held.pop().close()
    data = read_all(extra, 20)
    return f"{first}, then {'served' if status_of(data) == '200' else 'refused'}"


def main():
    cmd, port = sys.argv[1], int(sys.argv[2])
    if cmd == "headers":
        print(headers(port, sys.argv[3], sys.argv[4], sys.argv[5:]))
    elif cmd == "per-address":
        print(per_address(port, int(sys.argv[3])))
    elif cmd == "total":
        print(total(port, int(sys.argv[3])))


main()
