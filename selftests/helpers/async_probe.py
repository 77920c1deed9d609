#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Asynchronous AEADs and traffic between two network namespaces for
async_crypto.sh; one process opens each socket in the namespace it
belongs to.

    async_probe.py wrap NAME...
    async_probe.py unwrap DRIVER
    async_probe.py cryptd NAME
    async_probe.py flood  --from NS --to NS --dst ADDR --count N [--size S]
    async_probe.py burst  --from NS --to NS --dst ADDR --count N [--size S]
    async_probe.py probe  --from NS --to NS --dst ADDR --uplink IF
    async_probe.py inject --from NS --to NS --dst ADDR --copies K HEX

wrap    makes pcrypt() the kernel's preferred implementation of each AEAD NAME
        (e.g. "rfc4106(gcm(aes))"): instantiates pcrypt over NAME's
        current best driver D, by D's exact name, through AF_ALG (asking
        for "pcrypt(NAME)" never finds the instance, which is named after
        D, and nests on 6.12).  pcrypt ranks 100 above D, so every later
        crypto_alloc_aead(NAME) gets it; prints "new|old pcrypt(D)" for
        each (old: the instance was there before), or "error MESSAGE"
unwrap  unregisters the instance DRIVER (NETLINK_CRYPTO, CRYPTO_MSG_DELALG)
cryptd  as wrap, with cryptd(), whose queue holds 1000 requests per CPU
        (cryptd ranks 50 above D)

burst   sends N UDP datagrams of S bytes from ns --from to ADDR:5001,
        received by a socket in ns --to; prints "sent N received M"
flood   as burst, but sends all N back to back before it reads any
probe   sends one UDP datagram to ADDR:5002 and prints, in hex, the first
        IPv4 ESP packet that interface IF of ns --to receives meanwhile
inject  sends the IPv4 packet HEX, outer header and all, K times back to
        back from ns --from (raw socket, IP_HDRINCL), while a socket in ns
        --to on ADDR:5002 counts what gets through; prints "received M"
"""

import argparse
import ctypes
import errno
import os
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
NETLINK_CRYPTO = 21
CRYPTO_MSG_DELALG = 0x11
NLM_F_REQUEST, NLM_F_ACK = 0x1, 0x4
NLMSG_ERROR = 2
SO_RCVBUFFORCE = 33
CLONE_NEWNET = 0x40000000
LIBC = ctypes.CDLL(None, use_errno=True)


def in_ns(name, fn):
    """fn() run in network namespace name; a socket keeps the namespace it
    was made in."""
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if LIBC.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + name)
        return fn()
    finally:
        LIBC.setns(home, CLONE_NEWNET)
        os.close(fd)
        os.close(home)


def receiver(a, port):
    def make():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # Above rmem_max (needs CAP_NET_ADMIN): no datagram may be lost in
        # the socket, only in the tunnel.
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
        s.bind((a.dst, port))
        s.setblocking(False)
        return s
    return in_ns(a.to_ns, make)


def drain(s, wait=0.0):
    n = 0
    end = time.monotonic() + wait
    while True:
        left = max(end - time.monotonic(), 0)
        if not select.select([s], [], [], left)[0]:
            return n
        try:
            while True:
                s.recv(65535)
                n += 1
        except BlockingIOError:
            pass


def burst(a, every=64):
    rx = receiver(a, 5001)
    tx = in_ns(a.from_ns, lambda: socket.socket(socket.AF_INET,
                                                 socket.SOCK_DGRAM))
    payload = b"x" * a.size
    got = 0
    for i in range(a.count):
        tx.sendto(payload, (a.dst, 5001))
        if every and i % every == every - 1:
            got += drain(rx)
    end = time.monotonic() + 5
    while got < a.count and time.monotonic() < end:
        got += drain(rx, 0.2)
    print("sent %d received %d" % (a.count, got))


def probe(a):
    def sniffer():
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_ALL))
        s.bind((a.uplink, ETH_P_ALL))
        return s
    sn = in_ns(a.to_ns, sniffer)
    tx = in_ns(a.from_ns, lambda: socket.socket(socket.AF_INET,
                                                 socket.SOCK_DGRAM))
    tx.sendto(b"ikevti async probe", (a.dst, 5002))
    end = time.monotonic() + 3
    while time.monotonic() < end:
        if not select.select([sn], [], [], end - time.monotonic())[0]:
            break
        f = sn.recv(65535)
        if f[12:14] == b"\x08\x00" and f[14 + 9] == 50:
            ip = f[14:]
            print(ip[:int.from_bytes(ip[2:4], "big")].hex())
            return 0
    print("none")
    return 1


def inject(a):
    pkt = bytes.fromhex(a.args[0])
    rx = receiver(a, 5002)
    tx = in_ns(a.from_ns, lambda: socket.socket(socket.AF_INET,
                                                 socket.SOCK_RAW,
                                                 socket.IPPROTO_RAW))
    dst = socket.inet_ntoa(pkt[16:20])
    for _ in range(a.copies):
        tx.sendto(pkt, (dst, 0))
    print("received %d" % drain(rx, 1))


def proc_crypto():
    algs, cur = [], {}
    for line in open("/proc/crypto"):
        if not line.strip():
            if cur:
                algs.append(cur)
            cur = {}
            continue
        k, _, v = line.partition(":")
        cur[k.strip()] = v.strip()
    if cur:
        algs.append(cur)
    return algs


def alg_socket(name):
    s = socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0)
    s.bind(("aead", name))
    return s


def wrap(a, tmpl="pcrypt"):
    for name in a.args:
        try:
            # Instantiate the default implementation, to learn its driver.
            alg_socket(name).close()
            best = max((x for x in proc_crypto()
                        if x.get("name") == name and x.get("type") == "aead"
                        and not x["driver"].startswith(("pcrypt(", "cryptd("))),
                       key=lambda x: int(x["priority"]))
            drv = "%s(%s)" % (tmpl, best["driver"])
            old = any(x["driver"] == drv for x in proc_crypto())
            alg_socket(drv).close()
            print("old" if old else "new", drv)
        except (OSError, ValueError) as e:
            print("error", name, e)
        sys.stdout.flush()


def unwrap(a):
    """EBUSY while a user still holds the instance: the SAs just flushed
    free their transforms after an RCU grace period."""
    alg = struct.pack("64s64s64sIIII", b"", a.args[0].encode(), b"", 0, 0, 0,
                      0)
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_CRYPTO)
    end = time.monotonic() + 5
    while True:
        s.sendto(struct.pack("=IHHII", 16 + len(alg), CRYPTO_MSG_DELALG,
                             NLM_F_REQUEST | NLM_F_ACK, 1, 0) + alg, (0, 0))
        msg = s.recv(4096)
        err = 0
        if struct.unpack_from("=H", msg, 4)[0] == NLMSG_ERROR:
            err = -struct.unpack_from("=i", msg, 16)[0]
        if err != errno.EBUSY or time.monotonic() > end:
            break
        time.sleep(0.1)
    print("removed" if not err else "error %s" % errno.errorcode.get(err, err))
    return 1 if err else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=("wrap", "unwrap", "cryptd", "burst",
                                    "flood", "probe", "inject"))
    ap.add_argument("--from", dest="from_ns")
    ap.add_argument("--to", dest="to_ns")
    ap.add_argument("--dst")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--uplink")
    ap.add_argument("--copies", type=int, default=16)
    ap.add_argument("args", nargs="*", help="NAME..., DRIVER or HEX")
    a = ap.parse_intermixed_args()
    traffic = ("burst", "flood", "probe", "inject")
    if a.cmd in ("wrap", "unwrap", "cryptd", "inject") and len(a.args) < 1:
        ap.error("%s needs an argument" % a.cmd)
    if a.cmd in traffic and not (a.from_ns and a.to_ns and a.dst):
        ap.error("%s needs --from, --to and --dst" % a.cmd)
    return {"wrap": wrap, "unwrap": unwrap,
            "cryptd": lambda a: wrap(a, "cryptd"), "burst": burst,
            "flood": lambda a: burst(a, 0), "probe": probe,
            "inject": inject}[a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())
