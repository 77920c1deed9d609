#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Replay the IPv4 ESP packets of pcap captures into an ikevti device and
record what it decrypts (captures.sh runs this).

    pcap_esp.py list FILE...
    pcap_esp.py replay --dev DEV --peer-ns NS --out INNER.pcap FILE...

list    prints each ESP packet as tcpdump prints the outer header:
          IP SRC > DST: ESP(spi=0xSPI,seq=0xSEQ), length LEN
replay  sends each ESP packet, outer IPv4 header and all, from a raw
        socket (IP_HDRINCL) opened in namespace NS, while a packet socket
        on DEV (in this namespace) collects the packets ikevti delivers;
        prints the 'list' line of each packet sent, then 'delivered N',
        and writes the delivered packets to INNER.pcap (link type RAW) for
        tcpdump -r to decode.

The reader takes classic pcap files (not pcapng) in either byte order,
with micro- or nanosecond timestamps, on the link types Ethernet (with
802.1Q/802.1ad tags), raw IP, BSD loopback, Linux cooked (SLL, SLL2) and
IPv4; a record shorter than its packet (snaplen) is skipped.
"""

import argparse
import ctypes
import os
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
CLONE_NEWNET = 0x40000000
LINKTYPE_RAW = 101

MAGIC = {
    b"\xd4\xc3\xb2\xa1": ("<", 1000000), b"\xa1\xb2\xc3\xd4": (">", 1000000),
    b"\x4d\x3c\xb2\xa1": ("<", 1000000000),
    b"\xa1\xb2\x3c\x4d": (">", 1000000000),
}


def link_payload(linktype, frame):
    """The network-layer packet of a frame and its EtherType (or 4/6 when
    the link type only says IP), or None."""
    if linktype == 1:                       # Ethernet
        off, etype = 14, frame[12:14]
        while etype in (b"\x81\x00", b"\x88\xa8") and len(frame) >= off + 4:
            etype, off = frame[off + 2:off + 4], off + 4
        return frame[off:], int.from_bytes(etype, "big")
    if linktype in (101, 12, 14, 228):       # raw IP (DLT_RAW), IPv4
        return frame, 0x0800 if frame and frame[0] >> 4 == 4 else None
    if linktype == 0:                       # BSD loopback: AF in host order
        af = struct.unpack("<I", frame[:4])[0]
        if af > 0xFFFF:
            af = struct.unpack(">I", frame[:4])[0]
        return frame[4:], 0x0800 if af == 2 else None
    if linktype == 113:                     # Linux cooked (SLL)
        return frame[16:], int.from_bytes(frame[14:16], "big")
    if linktype == 276:                     # Linux cooked v2 (SLL2)
        return frame[20:], int.from_bytes(frame[0:2], "big")
    return None, None


def read_pcap(path):
    """Yield (seconds, packet) for the IPv4 packets of a pcap file."""
    data = open(path, "rb").read()
    if len(data) < 24 or data[:4] not in MAGIC:
        raise ValueError("%s: not a classic pcap file" % path)
    e, frac = MAGIC[data[:4]]
    _, _, _, _, _, linktype = struct.unpack(e + "HHiIII", data[4:24])
    linktype &= 0xFFFF                      # the upper bits are FCS flags
    off = 24
    while off + 16 <= len(data):
        sec, sub, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if incl != orig or len(frame) != incl:
            continue
        pkt, etype = link_payload(linktype, frame)
        if etype != 0x0800 or len(pkt) < 20 or pkt[0] >> 4 != 4:
            continue
        yield sec + sub / frac, pkt[:int.from_bytes(pkt[2:4], "big")]


def esp_packets(paths):
    """The unfragmented IPv4 ESP packets of the files, with tcpdump's
    one-line description of their outer header."""
    out = []
    for path in paths:
        for ts, ip in read_pcap(path):
            ihl = (ip[0] & 15) * 4
            frag = int.from_bytes(ip[6:8], "big") & 0x3FFF
            if ip[9] != 50 or frag or len(ip) < ihl + 8:
                continue
            spi, seq = struct.unpack(">II", ip[ihl:ihl + 8])
            desc = "IP %s > %s: ESP(spi=0x%08x,seq=0x%x), length %d" % (
                socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20]),
                spi, seq, len(ip) - ihl)
            out.append((ts, ip, desc))
    return out


def write_pcap(path, packets):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535,
                            LINKTYPE_RAW))
        for ts, pkt in packets:
            f.write(struct.pack("<IIII", int(ts), int(ts % 1 * 1e6),
                                len(pkt), len(pkt)))
            f.write(pkt)


def setns(libc, fd):
    if libc.setns(fd, CLONE_NEWNET):
        e = ctypes.get_errno()
        raise OSError(e, "setns: " + os.strerror(e))


def replay(a, pkts):
    libc = ctypes.CDLL(None, use_errno=True)
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                       socket.htons(ETH_P_ALL))
    rx.bind((a.dev, ETH_P_ALL))
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    peer = os.open("/run/netns/" + a.peer_ns, os.O_RDONLY)
    setns(libc, peer)
    # A socket keeps the namespace it was made in.
    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    setns(libc, home)

    got = []
    for _, ip, desc in pkts:
        tx.sendto(ip, (socket.inet_ntoa(ip[16:20]), 0))
        print(desc)
    end = time.monotonic() + a.wait
    while len(got) < len(pkts):
        left = end - time.monotonic()
        if left <= 0 or not select.select([rx], [], [], left)[0]:
            break
        data, addr = rx.recvfrom(65535)
        if addr[2] != PACKET_OUTGOING:
            got.append((time.time(), data))
    print("delivered %d" % len(got))
    write_pcap(a.out, got)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=("list", "replay"))
    ap.add_argument("--dev")
    ap.add_argument("--peer-ns")
    ap.add_argument("--out")
    ap.add_argument("--wait", type=float, default=3,
                    help="seconds to wait for the delivered packets")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()

    pkts = esp_packets(a.files)
    if a.cmd == "list":
        for _, _, desc in pkts:
            print(desc)
        return 0
    if not (a.dev and a.peer_ns and a.out):
        ap.error("replay needs --dev, --peer-ns and --out")
    replay(a, pkts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
