#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check ikevti's ESP against the kernel's crypto/testmgr.h vectors, as
re-formatted in shared/vectors/linux-testmgr/ (vectors.sh runs this).

    testmgr_esp.py --dev DEV --peer-ns NS --dst ADDR --inner-peer ADDR
                   --uplink IF --ikevtictl PATH FILE...

Runs in the namespace of ikevti device DEV, whose local address is ADDR;
the ESP packets come from a raw IPPROTO_ESP socket opened in namespace NS.
Each vector that maps onto an ESP packet (see map_vector()) gets a fresh
inbound SA with the vector's key and SPI (anti-replay off: the vector's
and the derived packet share its sequence number), and receives:

  bad-icv   the vector's packet with one ICV bit flipped
  vector    the vector's packet, exactly: SPI|seq|IV|ciphertext|ICV
  derived   (when possible) a packet made from the vector's ciphertext so
            that it decrypts to a known plaintext ikevti can act on (see
            derive_gcm() and derive_cbc())

and the SA's counters must show what RFC 4303 receive processing of the
vector's plaintext predicts (classify()); a delivered inner packet must
show up on DEV byte for byte.  AES-GCM vectors whose IV is a small
number N are also checked outbound, whether or not they map inbound:
ikevti's AEAD IV is the sequence number, so packet N of a new outbound SA
with the vector's key must use the vector's keystream (captured on IF).

Prints tab-separated lines for the shell:
  check<TAB>DESC<TAB>EXPECTED<TAB>ACTUAL
  note<TAB>TEXT                  a vector that is not an ESP packet, and why
  mapped<TAB>NAME, NAME...       the vectors checked inbound
  outbound<TAB>NAME, NAME...     the vectors checked outbound
"""

import argparse
import ctypes
import hmac
import json
import os
import re
import select
import socket
import struct
import subprocess
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SO_NO_CHECK = 11
CLONE_NEWNET = 0x40000000

# ikevtictl's names; ICV length in bytes.
AUTHS = {
    "md5": ("hmac-md5-96", 12), "sha1": ("hmac-sha1-96", 12),
    "sha256": ("hmac-sha256-128", 16), "sha384": ("hmac-sha384-192", 24),
    "sha512": ("hmac-sha512-256", 32),
}
# ikevtictl name, IV length, block size (ikevti aligns the payload to the
# cipher block and to 4 bytes, RFC 4303 §2.4).
CIPHERS = {
    "cbc(aes)": ("aes-cbc", 16, 16), "cbc(des3_ede)": ("3des-cbc", 8, 8),
    "ecb(cipher_null)": ("null", 0, 4),
}
GCM = "rfc4106(gcm(aes))"

# uapi/linux/ikevti.h, for the SAs ikevtictl cannot add (see add_sa()).
CMD_SA_NEW = 2
A_IFNAME, A_SA = 4, 5
SA_DIR, SA_SPI, SA_ENC, SA_ENC_KEY, SA_AUTH = 1, 2, 3, 4, 5
SA_REPLAY_WINDOW = 8
DIR_IN, DIR_OUT = 1, 2
ENC_AES_GCM_16 = 5


class Unmappable(Exception):
    pass


def xor(*bufs):
    out = bytearray(len(bufs[0]))
    for b in bufs:
        for i in range(len(out)):
            out[i] ^= b[i]
    return bytes(out)


def parse_vectors(path):
    """The algorithm name and the list of vectors of one file."""
    alg = None
    vecs = []
    for line in open(path):
        m = re.match(r"# Kernel algorithm name: (\S+)", line)
        if m:
            alg = m.group(1)
            continue
        m = re.match(r"\[(\d+)\]\s*(?:#\s*(.*))?$", line)
        if m:
            vecs.append({"n": int(m.group(1)), "title": m.group(2) or ""})
            continue
        m = re.match(r"\s*([a-z_]+)(?:\([^)]*\))? = ([0-9a-fA-F]*)\s*$", line)
        if m and vecs:
            vecs[-1][m.group(1)] = bytes.fromhex(m.group(2))
    return alg, vecs


def map_vector(alg, v):
    """The ESP SA and packet a vector stands for, or Unmappable(why)."""
    c = {"pt": v["plaintext"], "iv": v.get("iv", b"")}
    assoc = v.get("assoc", b"")
    if alg == GCM:
        # The kernel's rfc4106 takes AAD || IV as its associated data.
        if not assoc.endswith(c["iv"]):
            raise Unmappable("assoc does not end in the IV")
        aad = assoc[:-len(c["iv"])]
        if len(aad) == 8:
            spi, lo = struct.unpack(">II", aad)
            hi, esn = 0, False
        elif len(aad) == 12:
            spi, hi, lo = struct.unpack(">III", aad)
            esn = True
        else:
            raise Unmappable("AAD of %d bytes is not SPI|seq[|ESN]" % len(aad))
        key = v["key"]
        c.update(enc="aes-gcm", key=key, auth=None, akey=b"", blk=4,
                 ct=v["ciphertext_with_icv"][:-16],
                 icv=v["ciphertext_with_icv"][-16:], aad=aad,
                 aes_bits=(len(key) - 4) * 8)
    else:
        m = re.fullmatch(r"authenc\(hmac\((\w+)\),(.+)\)", alg or "")
        if not m or m.group(1) not in AUTHS or m.group(2) not in CIPHERS:
            raise Unmappable("transform %s is not one of ikevti's" % alg)
        auth, icvlen = AUTHS[m.group(1)]
        enc, ivlen, blk = CIPHERS[m.group(2)]
        # ESP authenticates SPI|seq|IV|ciphertext; the vector's MAC covers
        # assoc|ciphertext, so assoc must be exactly SPI|seq|IV.
        if len(assoc) != 8 + ivlen or not assoc.endswith(c["iv"]):
            raise Unmappable("its MAC covers %d bytes of assoc, not SPI|seq|IV"
                             % len(assoc))
        spi, lo = struct.unpack(">II", assoc[:8])
        hi, esn = 0, False
        c.update(enc=enc, key=v.get("enc_key", b""), auth=auth,
                 akey=v["auth_key"], blk=blk, ct=v["ciphertext"],
                 icv=v["icv_full"][:icvlen], aad=assoc[:8],
                 hash=m.group(1))
    if spi < 256:
        raise Unmappable("SPI %d is reserved (RFC 4303 §2.1)" % spi)
    if hi:
        raise Unmappable("ESN high half 0x%x: a new SA receives in block 0 "
                         "and moves up one block per 2^32 packets" % hi)
    if not lo:
        raise Unmappable("sequence number 0 is never sent")
    if len(c["ct"]) % c["blk"]:
        raise Unmappable("ciphertext not a multiple of %d bytes" % c["blk"])
    c.update(spi=spi, seq=hi << 32 | lo, esn=esn)
    return c


def classify(pt):
    """What an RFC 4303 receiver does with a decrypted payload: the ikevti
    counter it lands in, and the inner packet when it is delivered."""
    padlen, nh = pt[-2], pt[-1]
    if padlen + 2 > len(pt) or \
       pt[len(pt) - 2 - padlen:-2] != bytes(range(1, padlen + 1)):
        return "invalid_padding", None
    inner = pt[:len(pt) - 2 - padlen]
    if nh == 59:
        return "none", None
    if (nh == 4 and len(inner) >= 20 and inner[0] >> 4 == 4) or \
       (nh == 41 and len(inner) >= 40 and inner[0] >> 4 == 6):
        return "packets", inner
    return "unknown_proto", None


def packet(c, iv=None, ct=None, icv=None):
    return (struct.pack(">II", c["spi"], c["seq"] & 0xFFFFFFFF) +
            (c["iv"] if iv is None else iv) + (c["ct"] if ct is None else ct) +
            (c["icv"] if icv is None else icv))


def derive_gcm(c):
    """GCM is a counter mode: flipping a ciphertext bit flips the same
    plaintext bit.  Turn a vector whose plaintext is an IPv4 packet with
    next header 1 into one with next header 4 (IPv4), which ikevti delivers,
    and recompute the tag.  Only the tag comes from python-cryptography;
    every other byte is the vector's, so the delivered packet shows that
    ikevti's keystream is the vector's."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    pt = c["pt"][:-1] + b"\x04"
    if classify(pt)[0] != "packets":
        return None
    out = AESGCM(c["key"][:-4]).encrypt(c["key"][-4:] + c["iv"], pt, c["aad"])
    ct, icv = out[:-16], out[-16:]
    if ct[:-1] != c["ct"][:-1]:
        return "python-cryptography disagrees with the vector"
    return packet(c, ct=ct, icv=icv), classify(pt)[1]


def derive_cbc(c):
    """In CBC the last plaintext block is D(C[n]) xor C[n-1], and the vector
    says D(C[n]) = P[n] xor C[n-1].  Replace C[n-1] (the IV for a one-block
    vector) so that the last block decrypts to a valid ESP trailer with
    next header 99, and recompute the ICV with the vector's HMAC key
    (python's hmac): ikevti must then count an unknown protocol, where
    any other last block would be invalid padding."""
    b = c["blk"]
    want = bytes(range(1, b - 1)) + bytes([b - 2, 99])
    n = len(c["ct"]) // b
    prev = c["iv"] if n == 1 else c["ct"][-2 * b:-b]
    prev = xor(prev, c["pt"][-b:], want)
    if n == 1:
        iv, ct = prev, c["ct"]
    else:
        iv, ct = c["iv"], c["ct"][:-2 * b] + prev + c["ct"][-b:]
    body = struct.pack(">II", c["spi"], c["seq"]) + iv + ct
    icv = hmac.new(c["akey"], body, c["hash"]).digest()[:len(c["icv"])]
    return body + icv


class Tester:
    def __init__(self, a):
        self.a = a
        self.libc = ctypes.CDLL(None, use_errno=True)
        home = os.open("/proc/self/ns/net", os.O_RDONLY)
        peer = os.open("/run/netns/" + a.peer_ns, os.O_RDONLY)
        self.rx = self.sniffer(a.dev)
        # A socket keeps the namespace it was made in.
        self.setns(peer)
        self.tx = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                                socket.IPPROTO_ESP)
        self.setns(home)
        os.close(home)
        os.close(peer)

    def setns(self, fd):
        if self.libc.setns(fd, CLONE_NEWNET):
            e = ctypes.get_errno()
            raise OSError(e, "setns: " + os.strerror(e))

    @staticmethod
    def sniffer(dev):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_ALL))
        s.bind((dev, ETH_P_ALL))
        return s

    @staticmethod
    def drain(s, wait, want=lambda data, addr: True, count=None):
        """The packets (those want() likes) that s receives within wait
        seconds, or until count of them arrived."""
        got = []
        end = time.monotonic() + wait
        while count is None or len(got) < count:
            left = end - time.monotonic()
            if not select.select([s], [], [], max(left, 0))[0]:
                break
            data, addr = s.recvfrom(65535)
            if want(data, addr):
                got.append(data)
        return got

    def ctl(self, *args):
        return subprocess.run([self.a.ikevtictl] + [str(x) for x in args],
                              capture_output=True, text=True)

    def add_sa(self, c, direction="in"):
        if c["enc"] == "aes-gcm" and c["aes_bits"] == 192:
            # ikevtictl takes only 20- or 36-byte aes-gcm keys although
            # the kernel takes AES-192 too: raw genl for this one.
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            sys.dont_write_bytecode = True
            import genl
            g = genl.Genl()
            req = genl.encode_json([
                [A_IFNAME, "str", self.a.dev],
                [A_SA, "nest", [[SA_DIR, "u8", DIR_IN if direction == "in"
                                 else DIR_OUT],
                                [SA_SPI, "be32", str(c["spi"])],
                                [SA_ENC, "u16", str(ENC_AES_GCM_16)],
                                [SA_ENC_KEY, "bin", c["key"].hex()],
                                [SA_AUTH, "u16", "0"]] +
                 ([[SA_REPLAY_WINDOW, "u32", "0"]] if direction == "in"
                  else [])]])
            err, ext, _ = g.request(g.resolve("ikevti"), CMD_SA_NEW, req)
            return "" if not err else "genl SA_NEW: %s %s" % (
                os.strerror(-err), ext)
        args = ["sa", "add", self.a.dev, "dir", direction, "spi",
                "0x%x" % c["spi"], "enc", c["enc"]]
        if c["key"]:
            args += ["key", c["key"].hex()]
        if c["auth"]:
            args += ["auth", c["auth"], "key", c["akey"].hex()]
        if c["esn"]:
            args.append("esn")
        if direction == "in":
            args += ["replay-window", "0"]
        r = self.ctl(*args)
        return "" if not r.returncode else "ikevtictl: " + r.stderr.strip()

    def del_sa(self, c, direction="in"):
        self.ctl("sa", "del", self.a.dev, "dir", direction, "spi",
                 "0x%x" % c["spi"])

    def stats(self, c):
        r = self.ctl("--json", "sa", "show", self.a.dev)
        for sa in json.loads(r.stdout or "[]"):
            if sa["dir"] == "in" and sa["spi"] == c["spi"]:
                return sa["stats"]
        return None

    def inject(self, c, pkts, moves, deliver, before):
        """Send pkts to the SA and wait until its counters (but octets)
        grew by moves.  Returns the counters that moved, as 'name=N ...',
        the counters now, and the packets DEV received meanwhile (waiting
        for one when deliver: a drop is counted when the packet is freed,
        a delivery just before it is passed on)."""
        self.drain(self.rx, 0)
        for p in pkts:
            self.tx.sendto(p, (self.a.dst, 0))
        end = time.monotonic() + 3
        while True:
            st = self.stats(c)
            if st is None:
                return "no SA", before, []
            grew = sum(n - before.get(k, 0) for k, n in st.items()
                       if k != "octets")
            if grew >= moves or time.monotonic() > end:
                break
            time.sleep(0.02)
        rx = self.drain(self.rx, 1 if deliver else 0,
                        lambda d, a: a[2] != PACKET_OUTGOING,
                        1 if deliver else None)
        moved = " ".join("%s=%d" % (k, n - before.get(k, 0))
                         for k, n in sorted(st.items()) if n != before.get(k, 0))
        return moved, st, rx

    def inbound(self, name, c, out):
        kind, inner = classify(c["pt"])
        err = self.add_sa(c)
        if err:
            out.append(("check", name + ": SA added", "ok", err))
            return
        bad = c["icv"][:-1] + bytes([c["icv"][-1] ^ 1])
        want = ["integrity_failed=1"]
        if kind == "packets":
            want += ["octets=%d" % len(inner), "packets=1"]
        elif kind != "none":
            want.append("%s=1" % kind)
        moved, st, rx = self.inject(c, [packet(c, icv=bad), packet(c)],
                                    len(want) - (kind == "packets"),
                                    inner is not None, {})
        out.append(("check", "%s: bad ICV, then the vector's packet: "
                    "counted as integrity failure, then %s" % (name, kind),
                    " ".join(sorted(want)), moved))
        out.append(("check", "%s: inner packet on %s" % (name, self.a.dev),
                    inner.hex() if inner else "-",
                    " ".join(d.hex() for d in rx) or "-"))

        if c["enc"] == "aes-gcm":
            d = derive_gcm(c)
            if isinstance(d, str):
                out.append(("check", name + ": derived packet", "ok", d))
                d = None
        elif c["enc"] != "null":
            d = derive_cbc(c), None
        else:
            d = None
        if d:
            pkt, inner = d
            if inner:
                desc = "next header 1 -> 4 in the ciphertext"
                want = "octets=%d packets=1" % len(inner)
            else:
                desc = "C[n-1] chosen so P[n] is a trailer with next header 99"
                want = "unknown_proto=1"
            moved, st, rx = self.inject(c, [pkt], 1, inner is not None, st)
            out.append(("check", "%s, derived (%s): counters" % (name, desc),
                        want, moved))
            out.append(("check", "%s, derived: inner packet on %s = the "
                        "vector's plaintext without its trailer" %
                        (name, self.a.dev), inner.hex() if inner else "-",
                        " ".join(d.hex() for d in rx) or "-"))
        self.del_sa(c)

    def outbound(self, name, v, out):
        """ikevti's IV for an AEAD is the packet's 64-bit sequence number,
        so packet number N of a new SA uses the keystream of a vector whose
        key and salt it has and whose IV is N, whatever its SPI and AAD:
        ciphertext xor plaintext must be the vector's.  The ICV cannot be
        the vector's (the AAD differs); it must verify under the vector's
        key with python-cryptography."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key, nth = v["key"], int.from_bytes(v["iv"], "big")
        spi = struct.unpack(">I", v["assoc"][:4])[0]
        c = {"spi": spi if spi >= 256 else 0x7e57, "enc": "aes-gcm",
             "key": key, "aes_bits": (len(key) - 4) * 8, "auth": None,
             "esn": False}
        wire = self.sniffer(self.a.uplink)
        tun = self.sniffer(self.a.dev)
        err = self.add_sa(c, "out")
        if err:
            out.append(("check", name + " outbound: SA added", "ok", err))
            return
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # No checksum offload: what the packet socket on DEV reads is then
        # exactly what ikevti encrypts.
        u.setsockopt(socket.SOL_SOCKET, SO_NO_CHECK, 1)
        for _ in range(nth):
            u.sendto(b"ikevti outbound vector " * 4, (self.a.inner_peer, 9))
        u.close()
        esp = [f[14 + (f[14] & 15) * 4:] for f in self.drain(
            wire, 2, lambda d, a: a[2] == PACKET_OUTGOING and
            d[12:14] == b"\x08\x00" and d[23] == 50, nth)]
        inner = self.drain(tun, 0.2, lambda d, a: a[2] == PACKET_OUTGOING)
        self.del_sa(c, "out")
        wire.close()
        tun.close()
        out.append(("check", name + " outbound: %d ESP packets for %d inner "
                    "packets" % (nth, nth), "%d %d" % (nth, nth),
                    "%d %d" % (len(esp), len(inner))))
        if len(esp) != nth or len(inner) != nth:
            return
        esp, inner = esp[-1], inner[-1]
        out.append(("check", name + " outbound: SPI|seq|IV of packet %d on "
                    "the wire" % nth,
                    struct.pack(">II", c["spi"], nth).hex() + v["iv"].hex(),
                    esp[:16].hex()))
        ct, icv = esp[16:-16], esp[-16:]
        padlen = (-(len(inner) + 2)) % 4
        pt = inner + bytes(range(1, padlen + 1)) + bytes([padlen, 4])
        vct = v["ciphertext_with_icv"][:-16]
        n = min(len(v["plaintext"]), len(pt), len(ct))
        out.append(("check", "%s outbound: keystream (ciphertext xor "
                    "plaintext, %d bytes) = the vector's" % (name, n),
                    xor(vct[:n], v["plaintext"][:n]).hex(),
                    xor(ct[:n], pt[:n]).hex()))
        try:
            got = AESGCM(key[:-4]).decrypt(key[-4:] + esp[8:16], ct + icv,
                                           esp[:8]).hex()
        except Exception as e:      # InvalidTag
            got = "the tag does not verify (%s)" % type(e).__name__
        out.append(("check", name + " outbound: the ICV verifies under the "
                    "vector's key (python-cryptography), plaintext = inner "
                    "packet + RFC 4303 trailer", pt.hex(), got))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", required=True)
    ap.add_argument("--peer-ns", required=True)
    ap.add_argument("--dst", required=True)
    ap.add_argument("--inner-peer", required=True)
    ap.add_argument("--uplink", required=True)
    ap.add_argument("--ikevtictl", required=True)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()

    t = Tester(a)
    mapped, outbound = [], []
    for path in a.files:
        alg, vecs = parse_vectors(path)
        base = os.path.basename(path).rsplit(".", 1)[0]
        for v in vecs:
            name = "%s #%d" % (base, v["n"])
            try:
                c = map_vector(alg, v)
            except Unmappable as e:
                print("note\t%s: not an ESP packet: %s" % (name, e))
                c = None
            except KeyError as e:
                print("note\t%s: no field %s" % (name, e))
                continue
            out = []
            if c:
                mapped.append(name)
                t.inbound(name, c, out)
            if alg == GCM and 1 <= int.from_bytes(v["iv"], "big") <= 8:
                outbound.append(name)
                t.outbound(name, v, out)
            for line in out:
                print("\t".join(x or "-" for x in line))
            sys.stdout.flush()
    print("mapped\t%s" % ", ".join(mapped))
    print("outbound\t%s" % ", ".join(outbound))
    return 0


if __name__ == "__main__":
    sys.exit(main())
