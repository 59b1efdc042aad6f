"""Raw-socket client of test_hardening.sh: what curl cannot show.

headers PORT METHOD PATH [HEADER ...]
    sends the request line and headers (a Content-Length among them) and
    not a byte of the body; prints the answer's status and JSON "field", or
    "no answer" when the server keeps waiting for the body.
per-address PORT N
    opens N + 2 connections with half a request each: prints how many the
    server closed unanswered and how many of the others are served once
    they finish their requests, then whether a new connection is served.
total PORT N
    holds N answered keep-alive connections, then sends a whole request on
    one more: prints "waits" if it stays unaccepted while the held ones are
    answered again, then whether it is served once one held one closes.
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


def closed(s):
    """Whether the server has closed s without an answer (s has nothing
    else to read: it was only sent half a request)."""
    try:
        return s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def per_address(port, n, more=2):
    """Opens n + more connections with half a request each; the server may
    accept them in any order (several threads take from one listen socket),
    so what is counted is how many of them it closed: exactly `more`, once
    the rest finish their requests and are all served."""
    conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(n + more)]
    for s in conns:
        s.sendall(HALF)
    deadline = time.time() + 30
    while sum(map(closed, conns)) < more and time.time() < deadline:
        time.sleep(0.05)
    gone = [s for s in conns if closed(s)]
    kept = [s for s in conns if s not in gone]
    answers = []
    for s in kept:
        try:
            s.sendall(b"Connection: close\r\n\r\n")
            answers.append(status_of(read_all(s, 30)))
        except OSError:
            answers.append("")
    for s in conns:
        s.close()
    return (f"{len(gone)} closed, {answers.count('200')} served, "
            f"then {served(port, time.time() + 20)}")


def read_answer(s, deadline):
    """Reads one keep-alive answer (headers and Content-Length bytes) from
    s; returns its status, "" when the connection ended first."""
    data = b""
    while b"\r\n\r\n" not in data or len(data) < body_end(data):
        s.settimeout(max(deadline - time.time(), 0.01))
        try:
            chunk = s.recv(65536)
        except (socket.timeout, OSError):
            return ""
        if not chunk:
            return ""
        data += chunk
    return status_of(data)


def body_end(data):
    head, _ = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return len(head) + 4 + length


def answered(s):
    return bool(select.select([s], [], [], 0)[0])


def queued(port):
    """Connections waiting in the kernel's accept queue of the listen socket
    on 127.0.0.1:port (a listening socket's rx_queue in /proc/net/tcp)."""
    local = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == local and fields[3] == "0A":
                return int(fields[4].split(":")[1], 16)
    return -1


def total(port, n):
    """Holds n keep-alive connections, each answered once (so all n are
    surely accepted), then sends a whole request on one more. Working, the
    daemon leaves that one in the listen queue: the kernel shows it there,
    and it stays there, unanswered, while every held connection is answered
    again three times (rounds of the daemon's loop that would have accepted
    it); closing one held connection lets it through."""
    keep = b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
    deadline = time.time() + 60
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
    for s in held:
        s.sendall(keep)
        if read_answer(s, deadline) != "200":
            return "a held connection was not served"
    extra = socket.create_connection(("127.0.0.1", port))
    extra.sendall(WHOLE)
    while queued(port) != 1 and not answered(extra) and time.time() < deadline:
        time.sleep(0.05)
    for _ in range(3):
        for s in held:
            s.sendall(keep)
            if read_answer(s, deadline) != "200":
                return "a held connection was not served again"
    waiting = queued(port) == 1 and not answered(extra)
    first = "waits" if waiting else "answered"
    held.pop().close()
    data = read_all(extra, 30)
    for s in held:
        s.close()
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
