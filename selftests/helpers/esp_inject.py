#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Feed ESP packets, genuine or malformed, to an ikevti device from its
peer, and say which of the device's receive counters moved.

    ip netns exec A esp_inject.py --dev DEV --peer-ns B --iface IF
                                  --src ADDR --dst ADDR --sink ADDR:PORT

It starts in the ikevti device's namespace A, where it opens its
generic-netlink socket (to read the counters) and a UDP socket on --sink
(inner packets that make it through land there), then moves to the peer's
namespace B, where the kernel's own XFRM holds the same SAs, and sends
from --src to --dst (the tunnel's outer addresses) with a raw
IPPROTO_ESP socket.  Commands come one per line on standard input; each
gets one line on standard output:

  key SPI gcm KEY              SPI's transform and keys (hex; gcm: key and
  key SPI cbc-sha256 KEY AKEY  4-byte salt), for "craft" and "barrage"
  capture NAME SPI SRC N       send N UDP datagrams from inner address SRC
                               (of B) to --sink, so that B's XFRM encrypts
                               them, and keep the N ESP packets with SPI
                               that leave on IF as NAME[0..N-1]
  send NAME I [MOD...]         NAME[I] again, changed by MODs:
                                 icv     last byte (of the ICV) flipped
                                 cut=N   only the first N bytes
                                 trim=N  N bytes fewer at the end
                                 times=N sent N times
  raw SPI LEN                  LEN bytes: SPI, then random bytes
  craft SPI SEQ KIND [nh=N] [src=ADDR]
                               an ESP packet made here with SPI's key,
                               carrying UDP from src to --sink; KIND:
                                 valid   as a real peer would send it
                                 badicv  a bit of the ICV flipped
                                 badpad  pad bytes not 1, 2, 3, ...
                                 hugepad a pad length past the payload
                                 nexthdr next header nh (default 99)
                                 dummy   next header 59 (TFC dummy)
                               needs python3-cryptography; without it the
                               answer is "skip: ..."
  flood SPI FIRST N            N valid packets numbered from FIRST, all
                               crafted, then sent back to back
  barrage N SECS SEED          N packets of random length 0..1500 and
                               random bytes, the SPI random or one of
                               the keyed ones, as fast as possible but for
                               SECS at most.  Answer: sent=, lost= (dropped
                               on IF), secs=, senderr_ERRNO= (sends that
                               failed), and per class what ikevti must make
                               of the packets sent: short= (no whole SPI),
                               unknown= (no keyed SPI), SPI.truncated= (too
                               short or misaligned for SPI's transform),
                               SPI.decrypt= (the rest: replay or integrity)

Every command but key and barrage answers with the counters that moved,
sorted: SPI.NAME+N for an inbound SA's counter (IKEVTI_STATS_A_*, octets
left out), SPI.seq=N when its highest received number changed,
dev.NAME+N for the device's receive counters, udp+N for datagrams that
reached --sink; or "none".
"""

import argparse
import ctypes
import errno
import hashlib
import hmac
import os
import random
import select
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genl import Genl, attr, parse_attrs  # noqa: E402

# From uapi/linux/ikevti.h (append-only, so these never change).
CMD_SA_GET = 5
CMD_DEV_GET = 10
A_IFNAME = 4
A_SA = 5
A_DEV_STATS = 12
SA_A_DIR = 1
SA_A_SPI = 2
SA_A_STATS = 16
SA_A_CUR = 17
CUR_A_SEQ = 5
DIR_IN = 1
SA_STATS = [None, "packets", "octets", "invalid_sa", "replay",
            "integrity_failed", "cipher_failed", "truncated",
            "invalid_padding", "unknown_proto", "nomem", "ts_unacceptable",
            "misc", None, "crypto_busy"]
DEV_STATS = [None, "encaps", "encrypt", "digest", "decaps", "decrypt",
             "verify", "send_errors", "recv_errors", "no_sa_out", "ts_out",
             "no_route", "seq_exhausted", "invalid_sa"]
DEV_RX = ("decaps", "decrypt", "verify", "recv_errors", "invalid_sa")

NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
PACKET_OUTGOING = 4
ESP_HLEN = 8
SPI_LEN = 4

# ESP geometry per transform: IV, ICV, and what payload + trailer align to
# (the cipher block, at least 4 bytes, RFC 4303 section 2.4).
XFORMS = {
    "gcm": {"iv": 8, "icv": 16, "align": 4},
    "cbc-sha256": {"iv": 16, "icv": 16, "align": 16},
}


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if hasattr(os, "setns"):
            os.setns(fd, CLONE_NEWNET)
            return
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.setns(fd, CLONE_NEWNET):
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (path, os.strerror(err)))
    finally:
        os.close(fd)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def inner_udp(src, dst, dport, payload):
    """An IPv4 UDP datagram (UDP checksum 0: none, as IPv4 allows)."""
    udp = struct.pack("!HHHH", 40000, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64,
                     socket.IPPROTO_UDP, 0, socket.inet_aton(src),
                     socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + udp


class Counters:
    """The device's receive counters and its inbound SAs', over genl."""

    def __init__(self, dev):
        self.dev = dev
        self.genl = Genl()
        self.fam = self.genl.resolve("ikevti")

    def read(self):
        out = {}
        name = attr(A_IFNAME, self.dev.encode() + b"\0")
        err, ext, replies = self.genl.request(self.fam, CMD_SA_GET, name,
                                              flags=NLM_F_REQUEST | NLM_F_DUMP)
        if err:
            raise OSError(-err, "SA_GET: " + ext)
        for rep in replies:
            for t, v in parse_attrs(rep):
                if t == A_SA:
                    self._sa(parse_attrs(v), out)
        err, ext, replies = self.genl.request(self.fam, CMD_DEV_GET, name,
                                              flags=NLM_F_REQUEST | NLM_F_ACK)
        if err:
            raise OSError(-err, "DEV_GET: " + ext)
        for rep in replies:
            for t, v in parse_attrs(rep):
                if t == A_DEV_STATS:
                    for st, sv in parse_attrs(v):
                        if st < len(DEV_STATS) and DEV_STATS[st] in DEV_RX:
                            out["dev." + DEV_STATS[st]] = \
                                struct.unpack("=Q", sv)[0]
        return out

    @staticmethod
    def _sa(attrs, out):
        a = dict(attrs)
        if a.get(SA_A_DIR) != bytes([DIR_IN]):
            return
        spi = "0x%x" % struct.unpack("!I", a[SA_A_SPI])[0]
        for t, v in parse_attrs(a.get(SA_A_STATS, b"")):
            if 0 < t < len(SA_STATS) and SA_STATS[t] not in (None, "octets"):
                out["%s.%s" % (spi, SA_STATS[t])] = struct.unpack("=Q", v)[0]
        for t, v in parse_attrs(a.get(SA_A_CUR, b"")):
            if t == CUR_A_SEQ:
                out[spi + ".seq"] = struct.unpack("=Q", v)[0]


class Injector:
    def __init__(self, a):
        self.a = a
        self.counters = Counters(a.dev)
        host, port = a.sink.rsplit(":", 1)
        self.sink_addr = (host, int(port))
        self.sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sink.bind(self.sink_addr)
        self.sink.setblocking(False)
        self.udp = 0
        setns(a.peer_ns)
        self.esp = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                                 socket.IPPROTO_ESP)
        self.esp.bind((a.src, 0))
        self.keys = {}
        self.pkts = {}
        self.aead = None

    # -- counters -------------------------------------------------------

    def drain(self):
        while True:
            try:
                self.sink.recv(65536)
            except BlockingIOError:
                return
            self.udp += 1

    def snapshot(self):
        self.drain()
        c = self.counters.read()
        c["udp"] = self.udp
        return c

    def settle(self, before, n):
        """Wait until n packets show (as an error or a delivery), or 1.5 s
        passed, and describe what moved since before."""
        deadline = time.monotonic() + 1.5
        while True:
            after = self.snapshot()
            seen = (after["dev.recv_errors"] - before["dev.recv_errors"] +
                    after["udp"] - before["udp"])
            if seen >= n or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        moved = []
        for k in sorted(after):
            d = after[k] - before.get(k, 0)
            if k.endswith(".seq"):
                if after[k] != before.get(k):
                    moved.append("%s=%d" % (k, after[k]))
            elif d:
                moved.append("%s%+d" % (k, d))
        return " ".join(moved) or "none"

    def inject(self, pkts):
        before = self.snapshot()
        for p in pkts:
            self.esp.sendto(p, (self.a.dst, 0))
        return self.settle(before, len(pkts))

    # -- commands -------------------------------------------------------

    def cmd_key(self, spi, alg, *keys):
        if alg not in XFORMS:
            return "error: unknown transform " + alg
        self.keys[int(spi, 0)] = (alg, [bytes.fromhex(k) for k in keys])
        return "ok"

    def cmd_capture(self, name, spi, src, n):
        spi, n = int(spi, 0), int(n)
        # Only ETH_P_ALL sockets see what a device sends.
        cap = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                            socket.htons(ETH_P_ALL))
        cap.bind((self.a.iface, ETH_P_ALL))
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind((src, 0))
        before = self.snapshot()
        got = []
        for i in range(n):
            udp.sendto(b"esp_inject genuine %d" % i, self.sink_addr)
        deadline = time.monotonic() + 5
        while len(got) < n and time.monotonic() < deadline:
            if not select.select([cap], [], [], 0.2)[0]:
                continue
            data, addr = cap.recvfrom(65536)
            if addr[1] != ETH_P_IP or addr[2] != PACKET_OUTGOING or \
               len(data) < 20 or data[9] != socket.IPPROTO_ESP:
                continue
            ihl = (data[0] & 0xF) * 4
            esp = data[ihl:struct.unpack("!H", data[2:4])[0]]
            if len(esp) >= ESP_HLEN and struct.unpack("!I", esp[:4])[0] == spi:
                got.append(esp)
        cap.close()
        udp.close()
        if len(got) < n:
            return "error: captured %d of %d packets" % (len(got), n)
        self.pkts[name] = got
        return self.settle(before, n)

    def cmd_send(self, name, i, *mods):
        p = self.pkts[name][int(i)]
        times = 1
        for m in mods:
            k, _, v = m.partition("=")
            if k == "icv":
                p = p[:-1] + bytes([p[-1] ^ 1])
            elif k == "cut":
                p = p[:int(v)]
            elif k == "trim":
                p = p[:len(p) - int(v)]
            elif k == "times":
                times = int(v)
            else:
                return "error: unknown change " + m
        return self.inject([p] * times)

    def cmd_raw(self, spi, length):
        n = int(length)
        return self.inject([(struct.pack("!I", int(spi, 0)) +
                             os.urandom(n))[:n]])

    def cmd_craft(self, spi, seq, kind, *opts):
        pkt = self.craft(spi, seq, kind, *opts)
        return self.inject([pkt]) if isinstance(pkt, bytes) else pkt

    def cmd_flood(self, spi, first, count):
        """count valid packets, numbered from first, crafted first and then
        sent back to back."""
        pkts = []
        for seq in range(int(first), int(first) + int(count)):
            pkt = self.craft(spi, str(seq), "valid")
            if not isinstance(pkt, bytes):
                return pkt
            pkts.append(pkt)
        return self.inject(pkts)

    def craft(self, spi, seq, kind, *opts):
        """The packet, or the answer that says why there is none."""
        if self.aead is None:
            try:
                from cryptography.hazmat.primitives.ciphers import (
                    Cipher, algorithms, modes)
                from cryptography.hazmat.primitives.ciphers.aead import AESGCM
                self.aead = (AESGCM, Cipher, algorithms, modes)
            except ImportError:
                self.aead = False
        if not self.aead:
            return "skip: python3 has no 'cryptography' module (Debian: python3-cryptography)"
        spi, seq = int(spi, 0), int(seq)
        o = dict(x.partition("=")[::2] for x in opts)
        src = o.get("src", "192.0.2.1")
        nh = {"nexthdr": int(o.get("nh", 99)), "dummy": 59}.get(kind, 4)
        alg, keys = self.keys[spi]
        x = XFORMS[alg]
        inner = inner_udp(src, self.sink_addr[0], self.sink_addr[1],
                          b"esp_inject crafted %d" % seq)
        n = -(len(inner) + 2) % x["align"]
        pad = bytes(range(1, n + 1))
        padlen = n
        if kind == "badpad":
            n = n or x["align"]
            pad = bytes([0x55] * n)
            padlen = n
        elif kind == "hugepad":
            padlen = 250
        elif kind not in ("valid", "badicv", "nexthdr", "dummy"):
            return "error: unknown kind " + kind
        plain = inner + pad + bytes([padlen, nh])
        hdr = struct.pack("!II", spi, seq)
        AESGCM, Cipher, algorithms, modes = self.aead
        if alg == "gcm":
            k, salt = keys[0][:-4], keys[0][-4:]
            iv = struct.pack("!Q", seq)
            pkt = hdr + iv + AESGCM(k).encrypt(salt + iv, plain, hdr)
        else:
            iv = os.urandom(16)
            enc = Cipher(algorithms.AES(keys[0]), modes.CBC(iv)).encryptor()
            body = hdr + iv + enc.update(plain) + enc.finalize()
            pkt = body + hmac.new(keys[1], body, hashlib.sha256).digest()[:16]
        if kind == "badicv":
            pkt = pkt[:-1] + bytes([pkt[-1] ^ 0x80])
        return pkt

    def iface_drops(self):
        """tx drops of IF, from /proc/net/dev of the namespace we are in."""
        with open("/proc/self/net/dev") as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name.strip() == self.a.iface:
                    return int(rest.split()[11])
        return 0

    def send_retry(self, pkt, dst, res):
        """Send, riding out a full queue; count what still failed."""
        for _ in range(100):
            try:
                self.esp.sendto(pkt, dst)
                return True
            except OSError as e:
                err = e.errno
                if err not in (errno.ENOBUFS, errno.EAGAIN):
                    break
                time.sleep(0.001)
        k = "senderr_" + errno.errorcode.get(err, str(err))
        res[k] = res.get(k, 0) + 1
        return False

    def cmd_barrage(self, count, secs, seed):
        count, secs = int(count), float(secs)
        rnd = random.Random(int(seed, 0))
        live = sorted(self.keys)
        blob = memoryview(os.urandom(1 << 20))
        geo = {}
        for spi in live:
            x = XFORMS[self.keys[spi][0]]
            hlen = ESP_HLEN + x["iv"]
            geo[spi] = (hlen, x["icv"], x["align"])
        res = {"short": 0, "unknown": 0}
        for spi in live:
            res["0x%x.truncated" % spi] = 0
            res["0x%x.decrypt" % spi] = 0
        dst = (self.a.dst, 0)
        drops = self.iface_drops()
        sent = 0
        start = time.monotonic()
        deadline = start + secs
        for i in range(count):
            if not i & 1023 and time.monotonic() > deadline:
                break
            r = rnd.random()
            spi = live[int(r * 4)] if r * 4 < len(live) else \
                rnd.getrandbits(32)
            n = rnd.randint(0, 1500)
            if spi in geo and rnd.random() < 0.5:
                # Half of them the right shape, to reach the cipher.
                hlen, icv, align = geo[spi]
                n = hlen + icv + align * rnd.randint(1, (1500 - hlen - icv)
                                                     // align)
            off = rnd.randrange(len(blob) - 1500)
            pkt = (struct.pack("!I", spi) + blob[off:off + n])[:n]
            if not self.send_retry(pkt, dst, res):
                continue
            sent += 1
            # What ikevti must do with it (kmod/receive.c).
            if n < SPI_LEN:
                res["short"] += 1
            elif spi not in geo:
                res["unknown"] += 1
            else:
                hlen, icv, align = geo[spi]
                if n < hlen + align + icv or (n - hlen - icv) % align:
                    res["0x%x.truncated" % spi] += 1
                else:
                    res["0x%x.decrypt" % spi] += 1
        res["secs"] = time.monotonic() - start
        time.sleep(0.5)
        res["sent"] = sent
        res["lost"] = self.iface_drops() - drops
        return " ".join("%s=%d" % kv for kv in sorted(res.items()))

    def run(self):
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            fn = getattr(self, "cmd_" + words[0], None)
            try:
                out = fn(*words[1:]) if fn else "error: unknown command"
            except (OSError, KeyError, IndexError, ValueError,
                    TypeError) as e:
                out = "error: %s: %s" % (words[0], e)
            print(out, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", required=True, help="the ikevti device")
    ap.add_argument("--peer-ns", required=True,
                    help="path of the peer's netns (/run/netns/NAME)")
    ap.add_argument("--iface", required=True,
                    help="the peer's interface toward the device")
    ap.add_argument("--src", required=True, help="outer source (the peer)")
    ap.add_argument("--dst", required=True, help="outer destination")
    ap.add_argument("--sink", required=True,
                    help="ADDR:PORT behind the device for inner UDP")
    Injector(ap.parse_args()).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
