#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A paced, numbered UDP flood and its counting receiver, to measure loss
through a tunnel exactly (iperf3 and ping -f only estimate it).

    udpflood.py recv --bind ADDR --port PORT [--idle SECS] [--ready FILE]
                     [--seqs]
    udpflood.py send --dst ADDR --port PORT --rate PPS [--secs SECS]
                     [--count N] [--first N] [--bind ADDR] [--sport PORT]
                     [--size BYTES] [--ready FILE]
    udpflood.py batch


The sender sends datagrams numbered --first (default 0), then one more
each (a 64-bit big-endian number first, zeros after, --size bytes of UDP
payload in all) at --rate datagrams per second, in bursts of at most 1 ms
worth, until --secs have passed or --count were sent (default: until
SIGINT or SIGTERM).  A send that fails is retried 1 ms later, never
skipped: every number sent leaves the host.  At the end it prints one
JSON line:
    {"sent": N, "secs": S, "pps": P, "late_ms": L, "errors": E}
where late_ms is the longest time it fell behind its schedule and errors
counts the failed sends (each errno is also told once on standard error).

The receiver counts what arrives until SIGINT or SIGTERM, or until --idle
seconds passed without a datagram once the first came, and prints:
    {"received": distinct numbers, "dup": duplicates, "max": highest
     number or -1, "holes": numbers below max that never came,
     "first_holes": the first 20 of them, "reordered": datagrams that came
     after a higher number}
so that lost = sent - received, and holes says where they went missing.
With --seqs it adds "seqs", every number received, in ascending order.

--ready FILE is created once the socket is ready (receiver: bound;
sender: connected), so a test need not sleep and hope.

"batch" reads one line of "send" options at a time from standard input,
sends, and answers with the JSON line, so that a test sending many small
bursts starts the interpreter once, not once a burst.
"""

import argparse
import json
import os
import shlex
import signal
import socket
import struct
import sys
import time

stop = False


def on_signal(signum, frame):
    global stop
    stop = True


def ready(path):
    if path:
        with open(path, "w") as f:
            f.write("%d\n" % os.getpid())


def recv(a):
    s = socket.socket(socket.AF_INET6 if ":" in a.bind else socket.AF_INET,
                      socket.SOCK_DGRAM)
    # Room for a few seconds of flood: a slow guest may not schedule us
    # for a while, and the socket buffer is the last queue on the path.
    for opt in (getattr(socket, "SO_RCVBUFFORCE", 33), socket.SO_RCVBUF):
        try:
            s.setsockopt(socket.SOL_SOCKET, opt, 64 << 20)
            break
        except OSError:
            continue
    s.bind((a.bind, a.port))
    s.settimeout(0.2)
    ready(a.ready)

    seen = bytearray(1 << 20)
    received = dup = reordered = 0
    top = -1
    last = None
    buf = bytearray(2048)
    while not stop:
        try:
            n = s.recv_into(buf)
        except socket.timeout:
            if last is not None and a.idle and \
               time.monotonic() - last >= a.idle:
                break
            continue
        except InterruptedError:
            continue
        if n < 8:
            continue
        last = time.monotonic()
        seq = int.from_bytes(buf[:8], "big")
        if seq >= len(seen) * 8:
            seen.extend(bytearray(max(len(seen), seq // 8 + 1 - len(seen))))
        byte, bit = seq >> 3, 1 << (seq & 7)
        if seen[byte] & bit:
            dup += 1
            continue
        seen[byte] |= bit
        received += 1
        if seq < top:
            reordered += 1
        else:
            top = seq
    holes = []
    seqs = []
    nholes = 0
    for seq in range(top + 1):
        if seen[seq >> 3] & (1 << (seq & 7)):
            if a.seqs:
                seqs.append(seq)
        else:
            nholes += 1
            if len(holes) < 20:
                holes.append(seq)
    out = {"received": received, "dup": dup, "max": top, "holes": nholes,
           "first_holes": holes, "reordered": reordered}
    if a.seqs:
        out["seqs"] = seqs
    print(json.dumps(out))
    return 0


def send(a):
    family = socket.AF_INET6 if ":" in a.dst else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    if a.bind or a.sport:
        s.bind((a.bind or "", a.sport))
    s.connect((a.dst, a.port))
    ready(a.ready)

    buf = bytearray(max(a.size, 8))
    pack_into = struct.Struct(">Q").pack_into
    sent = errors = 0
    told = set()
    late = 0.0
    start = time.monotonic()
    end = start + a.secs if a.secs else None
    while not stop:
        now = time.monotonic()
        if end is not None and now >= end:
            break
        due = int((now - start) * a.rate)
        if a.count:
            due = min(due, a.count)
        if due > sent + a.rate // 1000 + 1:
            late = max(late, (due - sent) / a.rate)
        while sent < due and not stop:
            pack_into(buf, 0, a.first + sent)
            try:
                s.send(buf)
            except InterruptedError:
                continue
            except OSError as e:
                # ENOBUFS, ECONNREFUSED (an ICMP error came back), no
                # route: the datagram did not leave; the same number goes
                # again, so none is skipped.
                errors += 1
                if e.errno not in told:
                    told.add(e.errno)
                    print("udpflood: send %d: %s" % (a.first + sent,
                                                     e.strerror),
                          file=sys.stderr)
                break
            sent += 1
        if a.count and sent >= a.count:
            break
        time.sleep(0.001)
    secs = time.monotonic() - start
    s.close()
    print(json.dumps({"sent": sent, "secs": round(secs, 3),
                      "pps": int(sent / secs) if secs else 0,
                      "late_ms": int(late * 1000), "errors": errors}),
          flush=True)
    return 0


def batch(t):
    for line in sys.stdin:
        if stop:
            break
        try:
            send(t.parse_args(shlex.split(line)))
        except (SystemExit, OSError) as e:
            print(json.dumps({"error": str(e)}), flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    sub.add_parser("batch")
    r = sub.add_parser("recv")
    r.add_argument("--bind", required=True)
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--idle", type=float, default=0)
    r.add_argument("--ready")
    r.add_argument("--seqs", action="store_true")
    t = sub.add_parser("send")
    t.add_argument("--dst", required=True)
    t.add_argument("--port", type=int, required=True)
    t.add_argument("--rate", type=int, required=True)
    t.add_argument("--secs", type=float, default=0)
    t.add_argument("--count", type=int, default=0)
    t.add_argument("--first", type=int, default=0)
    t.add_argument("--bind")
    t.add_argument("--sport", type=int, default=0)
    t.add_argument("--size", type=int, default=64)
    t.add_argument("--ready")
    a = ap.parse_args()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    if a.mode == "batch":
        return batch(t)
    return recv(a) if a.mode == "recv" else send(a)


if __name__ == "__main__":
    sys.exit(main())
