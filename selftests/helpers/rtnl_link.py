#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Create links over raw rtnetlink, with IFLA_INFO_DATA exactly as given,
and print what the kernel answers.  The selftests use it to reach the
kernel's own checks of link attributes, which ip(8) and its plugin would
otherwise catch first.

    rtnl_link.py [--kind KIND]

reads one request per line from standard input, "NAME DATA", where DATA
is the IFLA_INFO_DATA attributes in genl.py's JSON form, and sends each as
RTM_NEWLINK (create, exclusive).  Prints one line per request: "ok" or
"error ENAME: extack message".
"""

import argparse
import errno
import json
import os
import socket
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genl import align, attr, encode_json, parse_attrs  # noqa: E402

NETLINK_ROUTE = 0
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
RTM_NEWLINK = 16
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLMSG_ERROR = 2
NLMSGERR_ATTR_MSG = 1
IFLA_IFNAME = 3
IFLA_LINKINFO = 18
IFLA_INFO_KIND = 1
IFLA_INFO_DATA = 2
NLA_F_NESTED = 0x8000


def newlink(sock, seq, name, kind, data):
    info = attr(IFLA_INFO_KIND, kind.encode() + b"\0") + \
        attr(IFLA_INFO_DATA | NLA_F_NESTED, data)
    body = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0) + \
        attr(IFLA_IFNAME, name.encode() + b"\0") + \
        attr(IFLA_LINKINFO | NLA_F_NESTED, info)
    flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL
    sock.send(struct.pack("=IHHII", 16 + len(body), RTM_NEWLINK, flags, seq,
                          0) + body)
    while True:
        data = sock.recv(65536)
        off = 0
        while off + 16 <= len(data):
            mlen, mtype, mflags, mseq, _ = struct.unpack_from("=IHHII", data,
                                                              off)
            m = data[off + 16:off + mlen]
            off += align(mlen)
            if mseq != seq or mtype != NLMSG_ERROR:
                continue
            err = struct.unpack_from("=i", m)[0]
            ext = ""
            if mflags & NLM_F_ACK_TLVS:
                olen = struct.unpack_from("=I", m, 4)[0]
                skip = 4 + (16 if mflags & NLM_F_CAPPED else align(olen))
                for t, v in parse_attrs(m[skip:]):
                    if t == NLMSGERR_ATTR_MSG:
                        ext = v.rstrip(b"\0").decode()
            return err, ext


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kind", default="ikevti")
    a = ap.parse_args()

    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    sock.bind((0, 0))
    seq = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        name, _, data = line.strip().partition(" ")
        seq += 1
        err, ext = newlink(sock, seq, name, a.kind,
                           encode_json(json.loads(data or "[]")))
        if err:
            print("error %s: %s" % (errno.errorcode.get(-err, -err), ext))
        else:
            print("ok")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
