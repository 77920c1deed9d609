#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send raw, possibly malformed, generic-netlink requests to a family and
print what the kernel answers.  The selftests use it to check that bad
input gets the right errno and extack message.

    genl.py [--family NAME] [--version N] [--reserved N] [--flags N]
            CMD [TYPE:FORMAT:VALUE ...] [--tail HEX]

FORMAT is u8, u16, u32, u64, be32, str (NUL-terminated), bin (hex), flag,
or raw (hex bytes appended as they are, to build broken attributes).

An argument that starts with '[' is a JSON list of attributes instead,
each [TYPE, FORMAT, VALUE], where FORMAT may also be "nest" with a list of
attributes as its VALUE:  '[[3, "u32", 5], [5, "nest", [[1, "u8", 1]]]]'

Prints "ok" and one "attr TYPE HEX" line per reply attribute and exits 0,
or prints "error ENAME: extack message" and exits 1.

    genl.py [--family NAME] --join GROUP

joins the family's multicast group GROUP and prints "joined", or "error
ENAME: ..." and exits 1 when the kernel refuses.

    genl.py [--family NAME] --batch

reads one request per line from standard input, "CMD ATTRIBUTES" as
above, sends each in turn, and prints one line per request: "ok" or
"error ENAME: extack message" (reply attributes are not shown).  It exits
0 when every request was sent, whatever their answers.
"""

import argparse
import errno
import json
import os
import shlex
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLMSG_ERROR = 2
NLMSG_DONE = 3
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2
NETLINK_ADD_MEMBERSHIP = 1
NLMSGERR_ATTR_MSG = 1


def align(n):
    return (n + 3) & ~3


def attr(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * (align(len(payload)) - len(payload))


def parse_attrs(data):
    out = []
    off = 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("=HH", data, off)
        if alen < 4 or off + alen > len(data):
            break
        out.append((atype & 0x3FFF, data[off + 4:off + alen]))
        off += align(alen)
    return out


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 1

    def request(self, family, cmd, payload, version=1, reserved=0,
                flags=NLM_F_REQUEST | NLM_F_ACK):
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, reserved) + payload
        msg = struct.pack("=IHHII", 16 + len(body), family, flags,
                          self.seq, 0) + body
        self.sock.send(msg)
        replies = []
        while True:
            data = self.sock.recv(65536)
            off = 0
            while off + 16 <= len(data):
                mlen, mtype, mflags, seq, _ = struct.unpack_from("=IHHII",
                                                                 data, off)
                if mlen < 16:
                    raise RuntimeError("bad netlink length")
                m = data[off + 16:off + mlen]
                off += align(mlen)
                if seq != self.seq:
                    continue
                if mtype == NLMSG_ERROR:
                    err = struct.unpack_from("=i", m)[0]
                    ext = ""
                    if mflags & NLM_F_ACK_TLVS:
                        olen = struct.unpack_from("=I", m, 4)[0]
                        skip = 4 + (16 if mflags & NLM_F_CAPPED
                                    else align(olen))
                        for t, v in parse_attrs(m[skip:]):
                            if t == NLMSGERR_ATTR_MSG:
                                ext = v.rstrip(b"\0").decode()
                    return err, ext, replies
                if mtype == NLMSG_DONE:
                    return 0, "", replies
                replies.append(m[4:])

    def resolve(self, name, group=None):
        """The family's id, or with group the id of that multicast group."""
        err, ext, replies = self.request(
            GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
            attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"), version=2)
        if err:
            raise OSError(-err, "family %s: %s" % (name, ext or
                                                   os.strerror(-err)))
        for rep in replies:
            for t, v in parse_attrs(rep):
                if t == CTRL_ATTR_FAMILY_ID and group is None:
                    return struct.unpack("=H", v[:2])[0]
                if t == CTRL_ATTR_MCAST_GROUPS and group is not None:
                    for _, grp in parse_attrs(v):
                        g = dict(parse_attrs(grp))
                        gname = g.get(CTRL_ATTR_MCAST_GRP_NAME, b"")
                        if gname.rstrip(b"\0").decode() == group:
                            return struct.unpack(
                                "=I", g[CTRL_ATTR_MCAST_GRP_ID][:4])[0]
        raise OSError(errno.ENOENT, "family %s%s not found" % (
            name, "" if group is None else " group " + group))


def encode_json(items):
    out = b""
    for atype, fmt, value in items:
        if fmt == "nest":
            out += attr(atype | 0x8000, encode_json(value))
        else:
            out += encode("%d:%s:%s" % (atype, fmt, value))
    return out


def encode(spec):
    if spec.startswith("["):
        return encode_json(json.loads(spec))
    try:
        atype, fmt, value = spec.split(":", 2)
        atype = int(atype, 0)
    except ValueError:
        sys.exit("genl.py: bad attribute '%s' (want TYPE:FORMAT:VALUE)" % spec)
    if fmt == "raw":
        return bytes.fromhex(value)
    packers = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q",
               "be32": ">I"}
    if fmt == "flag":
        return attr(atype, b"")
    if fmt in packers:
        return attr(atype, struct.pack(packers[fmt], int(value, 0)))
    if fmt == "str":
        return attr(atype, value.encode() + b"\0")
    if fmt == "bin":
        return attr(atype, bytes.fromhex(value))
    sys.exit("genl.py: unknown format '%s'" % fmt)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--family", default="ikevti")
    ap.add_argument("--version", type=int, default=1)
    ap.add_argument("--reserved", type=int, default=0)
    ap.add_argument("--tail", default="", help="hex bytes after the attributes")
    ap.add_argument("--join", metavar="GROUP",
                    help="join the multicast group GROUP")
    ap.add_argument("--batch", action="store_true",
                    help="requests from standard input, one per line")
    ap.add_argument("cmd", type=lambda s: int(s, 0), nargs="?")
    ap.add_argument("attrs", nargs="*")
    a = ap.parse_args()
    if a.cmd is None and not a.batch and not a.join:
        ap.error("CMD is required")

    g = Genl()
    if a.join:
        try:
            gid = g.resolve(a.family, a.join)
            g.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, gid)
        except OSError as e:
            print("error %s: %s" % (errno.errorcode.get(e.errno, e.errno),
                                    e.strerror))
            return 1
        print("joined")
        return 0
    try:
        fam = g.resolve(a.family)
    except OSError as e:
        print("error %s: %s" % (errno.errorcode.get(e.errno, e.errno),
                                e.strerror))
        return 1
    if a.batch:
        for line in sys.stdin:
            if not line.strip():
                continue
            cmd, _, rest = line.strip().partition(" ")
            rest = rest.strip()
            specs = [rest] if rest.startswith("[") else shlex.split(rest)
            err, ext, _ = g.request(fam, int(cmd, 0),
                                    b"".join(encode(s) for s in specs),
                                    version=a.version, reserved=a.reserved)
            if err:
                print("error %s: %s" % (errno.errorcode.get(-err, -err), ext))
            else:
                print("ok")
            sys.stdout.flush()
        return 0
    payload = b"".join(encode(s) for s in a.attrs) + bytes.fromhex(a.tail)
    err, ext, replies = g.request(fam, a.cmd, payload, version=a.version,
                                  reserved=a.reserved)
    if err:
        print("error %s: %s" % (errno.errorcode.get(-err, -err), ext))
        return 1
    print("ok")
    for rep in replies:
        for t, v in parse_attrs(rep):
            print("attr %d %s" % (t, v.hex()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
