#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Add, read and delete ikevti SAs in several network namespaces from one
process, for tests that change SAs faster than one ikevtictl process per
change allows (under emulation each costs a tenth of a second or more).

    sabatch.py NAME=NETNS... < COMMANDS

NETNS is a name under /run/netns (or a path); NAME is what the commands
call it.  One generic-netlink socket is opened in each namespace, then
the commands run in order, one per line of standard input:

  NAME add DEV in|out SPI KEY [cookie N]   an aes-gcm SA; KEY is hex, 20
                                           or 36 bytes (key, then salt)
  NAME get DEV in|out SPI                  print the SA's counters
  NAME del DEV in|out SPI
  NAME last DEV in|out SPI                 get, then del
  sleep SECS
  drain STEADY MAX NAME DEV SPI NAME DEV SPI [NAME DEV SPI NAME DEV SPI]...
      wait until, for each pair, the first namespace's outbound SA SPI
      and the second's inbound SA SPI have counted the same number of
      packets, and no count moved for STEADY seconds (so nothing sent
      under the SAs is still on its way), but MAX seconds at most

"get" and "last" print one JSON line: {"ns": NAME, "dir": ..., "spi":
N, "stats": {packets, octets, invalid_sa, replay, ...}, "cur": {...}};
"drain" prints {"drain": [SPI...], "packets": [N...], "secs": S}, plus
"timeout": true when MAX passed first (the packets are then the out and
in counts of each pair).
Any refused request prints "error NAME LINE: ERRNO: extack message" and
ends the run with status 1; at the end, "done N requests in S s" goes to
standard error.
"""

import ctypes
import errno
import json
import os
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genl import Genl, attr, parse_attrs  # noqa: E402

CLONE_NEWNET = 0x40000000

# From uapi/linux/ikevti.h (append-only, so these never change).
CMD_SA_NEW = 2
CMD_SA_DEL = 4
CMD_SA_GET = 5
A_IFNAME = 4
A_SA = 5
SA_DIR, SA_SPI, SA_ENC, SA_ENC_KEY = 1, 2, 3, 4
SA_COOKIE, SA_STATS, SA_CUR = 15, 16, 17
DIRS = {"in": 1, "out": 2}
ENC_AES_GCM_16 = 5
STATS = ["packets", "octets", "invalid_sa", "replay", "integrity_failed",
         "cipher_failed", "truncated", "invalid_padding", "unknown_proto",
         "nomem", "ts_unacceptable", "misc"]
CUR = ["add_time", "use_time", "bytes", "packets", "seq", "expired"]


def enter(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.setns(fd, CLONE_NEWNET):
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (path, os.strerror(err)))
    finally:
        os.close(fd)


def nest(atype, payload):
    return attr(atype | 0x8000, payload)


def u64s(data, names):
    out = {}
    for t, v in parse_attrs(data):
        if 1 <= t <= len(names) and len(v) == 8:
            out[names[t - 1]] = struct.unpack("=Q", v)[0]
    return out


def sa_id(dev, d, spi):
    return (attr(A_IFNAME, dev.encode() + b"\0"),
            attr(SA_DIR, struct.pack("=B", DIRS[d])) +
            attr(SA_SPI, struct.pack(">I", int(spi, 0))))


def get(sock, dev, d, spi):
    g, fam = sock
    ifname, sa = sa_id(dev, d, spi)
    err, ext, replies = g.request(fam, CMD_SA_GET, ifname + nest(A_SA, sa))
    if err:
        raise OSError(-err, ext)
    for rep in replies:
        for t, v in parse_attrs(rep):
            if t == A_SA:
                s = dict(parse_attrs(v))
                return {"stats": u64s(s.get(SA_STATS, b""), STATS),
                        "cur": u64s(s.get(SA_CUR, b""), CUR)}
    raise OSError(errno.ENOENT, "no SA in the reply")


def drain(socks, steady, most, pairs):
    start = time.monotonic()
    last = None
    since = start
    while True:
        now = time.monotonic()
        cur = [(get(socks[o], dev_o, "out", spi_o)["stats"]["packets"],
                get(socks[i], dev_i, "in", spi_i)["stats"]["packets"])
               for o, dev_o, spi_o, i, dev_i, spi_i in pairs]
        if cur != last:
            last, since = cur, now
        elif all(o == i for o, i in cur) and now - since >= steady:
            break
        if now - start >= most:
            return {"drain": [int(p[2], 0) for p in pairs],
                    "packets": cur, "secs": round(now - start, 3),
                    "timeout": True}
        time.sleep(0.01)
    return {"drain": [int(p[2], 0) for p in pairs],
            "packets": [o for o, i in cur], "secs": round(now - start, 3)}


def main():
    socks = {}
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    for arg in sys.argv[1:]:
        name, _, ns = arg.partition("=")
        if not ns:
            sys.exit("sabatch.py: want NAME=NETNS, not '%s'" % arg)
        enter(ns if "/" in ns else "/run/netns/" + ns)
        g = Genl()
        socks[name] = (g, g.resolve("ikevti"))
        enter("/proc/self/fd/%d" % home)
    os.close(home)

    n = 0
    start = time.monotonic()
    for line in sys.stdin:
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        if w[0] == "sleep":
            time.sleep(float(w[1]))
            continue
        if w[0] == "drain":
            try:
                r = drain(socks, float(w[1]), float(w[2]),
                          [w[k:k + 6] for k in range(3, len(w), 6)])
            except OSError as e:
                print("error %s: %s: %s" % (
                    line.strip(), errno.errorcode.get(e.errno, e.errno),
                    e.strerror), flush=True)
                return 1
            print(json.dumps(r), flush=True)
            continue
        name, op, dev, d, spi = w[:5]
        g, fam = socks[name]
        ifname, sa = sa_id(dev, d, spi)
        replies = []
        if op == "add":
            sa += attr(SA_ENC, struct.pack("=H", ENC_AES_GCM_16))
            sa += attr(SA_ENC_KEY, bytes.fromhex(w[5]))
            if len(w) > 7 and w[6] == "cookie":
                sa += attr(SA_COOKIE, struct.pack("=I", int(w[7], 0)))
            reqs = [CMD_SA_NEW]
        elif op == "del":
            reqs = [CMD_SA_DEL]
        elif op == "get":
            reqs = [CMD_SA_GET]
        elif op == "last":
            reqs = [CMD_SA_GET, CMD_SA_DEL]
        else:
            sys.exit("sabatch.py: unknown command '%s'" % line.strip())
        for cmd in reqs:
            n += 1
            err, ext, rep = g.request(fam, cmd, ifname + nest(A_SA, sa))
            if err:
                print("error %s %s: %s: %s" % (
                    name, line.strip(), errno.errorcode.get(-err, -err),
                    ext), flush=True)
                return 1
            replies += rep
        for rep in replies:
            for t, v in parse_attrs(rep):
                if t != A_SA:
                    continue
                s = dict(parse_attrs(v))
                print(json.dumps({
                    "ns": name, "dir": d, "spi": int(spi, 0),
                    "stats": u64s(s.get(SA_STATS, b""), STATS),
                    "cur": u64s(s.get(SA_CUR, b""), CUR)}), flush=True)
    print("done %d requests in %.2f s" % (n, time.monotonic() - start),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
