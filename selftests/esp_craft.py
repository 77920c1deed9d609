#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Craft ESP packets (RFC 4303, AES-GCM per RFC 4106) with every field
under control, and send them over a raw IPPROTO_ESP socket.  The selftests
use it for malformed-but-authentic packets that no real peer would send.

    esp_craft.py DST KIND [options]

KIND:
  valid       an ICMP echo request from --src to --dst-inner
  badicv      as valid, one ciphertext byte flipped
  badpad      pad bytes that are not 1, 2, 3, ...
  hugepad     a pad length larger than the payload
  nexthdr     next header --nh (default 99)
  dummy       next header 59 (RFC 4303 TFC dummy packet)
  short       the SPI and 4 more bytes
  misaligned  a valid header, a payload length not a multiple of 4
  barrage     --count random packets, random SPIs (1 in 4 --spi),
              random lengths 0..1500, random bytes; prints how many went
              out, and how many of those carried --spi
"""

import argparse
import os
import random
import socket
import struct
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def icmp_echo(src, dst, seq):
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x4242, seq) + b"ikevti-craft" * 4
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), seq, 0, 64, 1,
                     0, socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + icmp


def esp_gcm(key, spi, seq, inner, nexthdr=4, pad=None, padlen=None):
    k, salt = key[:-4], key[-4:]
    n = (4 - (len(inner) + 2) % 4) % 4
    pad = bytes(range(1, n + 1)) if pad is None else pad
    padlen = len(pad) if padlen is None else padlen
    plain = inner + pad + bytes([padlen, nexthdr])
    iv = struct.pack("!Q", seq)
    hdr = struct.pack("!II", spi, seq)
    ct = AESGCM(k).encrypt(salt + iv, plain, hdr)
    return hdr + iv + ct


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dst")
    ap.add_argument("kind")
    ap.add_argument("--spi", type=lambda s: int(s, 0), default=0x2000)
    ap.add_argument("--seq", type=int, default=1)
    ap.add_argument("--key", default="")
    ap.add_argument("--src", default="172.16.0.2")
    ap.add_argument("--dst-inner", default="172.16.0.1")
    ap.add_argument("--nh", type=int, default=99)
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()

    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ESP)
    key = bytes.fromhex(a.key) if a.key else b""
    inner = icmp_echo(a.src, a.dst_inner, a.seq & 0xFFFF)

    if a.kind == "barrage":
        rnd = random.Random(0x1c3)
        live = 0
        sent = 0
        for _ in range(a.count):
            spi = a.spi if rnd.random() < 0.25 else rnd.getrandbits(32)
            n = rnd.randint(0, 1500)
            body = (struct.pack("!I", spi) + os.urandom(n))[:n]
            try:
                s.sendto(body, (a.dst, 0))
            except OSError:
                continue
            sent += 1
            if n >= 4 and spi == a.spi:
                live += 1
        print(sent, live)
        return 0

    if a.kind == "short":
        pkt = struct.pack("!I", a.spi) + b"\1\2\3\4"
    elif a.kind == "misaligned":
        pkt = esp_gcm(key, a.spi, a.seq, inner)[:-1]
    else:
        args = {}
        if a.kind == "badpad":
            n = (4 - (len(inner) + 2) % 4) % 4 or 4
            args["pad"] = bytes([7] * n)
        elif a.kind == "hugepad":
            args["padlen"] = 250
        elif a.kind == "nexthdr":
            args["nexthdr"] = a.nh
        elif a.kind == "dummy":
            args["nexthdr"] = 59
        elif a.kind not in ("valid", "badicv"):
            sys.exit("esp_craft.py: unknown kind " + a.kind)
        pkt = esp_gcm(key, a.spi, a.seq, inner, **args)
        if a.kind == "badicv":
            pkt = pkt[:20] + bytes([pkt[20] ^ 1]) + pkt[21:]
    for _ in range(a.repeat):
        s.sendto(pkt, (a.dst, 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
