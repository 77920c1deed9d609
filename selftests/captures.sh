#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ikevti decrypts real ESP traffic: the KLIPS (FreeS/WAN, Openswan)
# "sunrise-sunset" captures of tcpdump's test suite, in
# ../shared/vectors/tcpdump/, replayed packet for packet from the capture's
# own sender address into an ikevti tunnel between the capture's endpoints.
#
#   +----------------------------------+  veth  +------------------------------+
#   | ns L  l0 192.1.2.45 (the capture's|--------| ns R  r0 192.1.2.23          |
#   |       receiver, "sunset")        |        |       (the sender, "sunrise")|
#   |  ikevti0 local 192.1.2.45        |<-------+-- pcap_esp.py: each capture's|
#   |          remote 192.1.2.23       |        |   IPv4 ESP packet, outer     |
#   |   in 0x12345678 3des-cbc         |        |   header and all (raw,       |
#   |      + hmac-md5-96               |        |   IP_HDRINCL)                |
#   |   in 0xd1234567 aes-cbc 256      |        |                              |
#   |      + hmac-sha1-96              |        |                              |
#   |   out 0x5eed (the echo replies)  |------->| (dropped: no SA)             |
#   |  lo 192.0.1.1: the pings' target |        |                              |
#   |  route 192.0.2.0/24 dev ikevti0  |        |                              |
#   +----------------------------------+        +------------------------------+
#
# 02-sunrise-sunset-esp.pcap: 8 pings 192.0.2.1 -> 192.0.1.1 tunnelled in
#   SPI 0x12345678, 3DES-CBC; the key is the one tcpdump's esp1 test uses
#   (README.txt); tcpdump's decoded output is esp1.out.
# 08-sunrise-sunset-aes.pcap: the same pings in SPI 0xd1234567, AES-256-CBC
#   with the key of esp-secrets.txt; decoded output esp5.out.
# tcpdump's secrets name the ICV length (hmac96) but no integrity key, as
# tcpdump does not verify ICVs.  The keys are those of the Openswan KLIPS
# test scripts that made these captures (xelerance/Openswan testing/klips/,
# e.g. east-saref-pfkey-01/spi1.sh: "--esp 3des-md5-96 --authkey
# 0x8765...", 16 bytes; the 0xD1234567 scripts: "--esp aes-sha1-96
# --authkey 0x8765...", 20 bytes); ikevti verifying every ICV below shows
# they are the right ones.
#
# Checks, per capture:
#   - the ESP packets read from the pcap are the ones tcpdump listed (the
#     outer half of each .out line: SPI, sequence number, length), so the
#     reader and the replay see the capture as tcpdump does;
#   - every packet is decrypted and delivered to ikevti0, and tcpdump -r of
#     what ikevti0 received, paired with the packet sent, gives the .out
#     file line for line (inner addresses, ICMP id, sequence, length);
#   - the inbound SA counts exactly the capture's packets and inner bytes,
#     its highest sequence number is the capture's last, and no error;
#   - the device's decaps/decrypt/verify grew by the packets of both
#     captures, with no receive error;
#   - the stack accepted the decrypted pings (valid IPv4 and ICMP): its
#     echo replies left through ikevti0, one per ping;
#   - replaying the 3DES capture once more: 8 replays, nothing delivered.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd python3 tcpdump
[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
	skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"

# The shared vectors sit beside the tree: ../shared/vectors, also when
# selftests/ is reached through a symbolic link.  IKEVTI_VECTORS overrides.
find_vectors() {
	local d

	for d in ${IKEVTI_VECTORS:+"$IKEVTI_VECTORS"} "$IKEVTI_TOP/../shared/vectors" \
		 "$(cd -P "$IKEVTI_SELFTESTS_DIR/.." && pwd)/../shared/vectors"; do
		if [ -d "$d/$1" ]; then
			(cd "$d/$1" && pwd)
			return
		fi
	done
}
VEC=$(find_vectors tcpdump)
[ -n "$VEC" ] ||
	skip "no shared/vectors/tcpdump beside the tree ($IKEVTI_TOP/../shared; set IKEVTI_VECTORS)"
for f in 02-sunrise-sunset-esp.pcap esp1.out 08-sunrise-sunset-aes.pcap \
	 esp5.out esp-secrets.txt ../README.txt; do
	[ -r "$VEC/$f" ] || skip "$VEC/$f is missing"
done

# The encryption keys, where tcpdump's tests keep them.
KEY_3DES=$(sed -n 's/.*esp1 key: -E "0x12345678@192\.1\.2\.45 3des-cbc-hmac96:0x\([0-9a-f]*\)".*/\1/p' \
	"$VEC/../README.txt")
KEY_AES=$(sed -n 's/^0xd1234567@192\.1\.2\.45[[:space:]]*aes256-cbc-hmac96:0x\([0-9a-f]*\)$/\1/p' \
	"$VEC/esp-secrets.txt")
if [ ${#KEY_3DES} != 48 ] || [ ${#KEY_AES} != 64 ]; then
	skip "the esp1 key (README.txt) or the 0xd1234567 aes256-cbc-hmac96 line (esp-secrets.txt) changed"
fi
AUTH_MD5=87658765876587658765876587658765
AUTH_SHA1=8765876587658765876587658765876587658765

SCRATCH=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$SCRATCH'"
ctl() { ip netns exec "$L" "$IKEVTICTL" "$@"; }
# replay PCAP-ARGS...: pcap_esp.py replay from ns R into ikevti0 of ns L.
replay() {
	ip netns exec "$L" python3 "$IKEVTI_SELFTESTS_DIR/helpers/pcap_esp.py" replay \
		--dev ikevti0 --peer-ns "$R" "$@"
}

kmsg_mark
setup_ns L R || exit $ksft_fail
ip link add l0 netns "$L" type veth peer name r0 netns "$R"
ip -n "$L" addr add 192.1.2.45/24 dev l0
ip -n "$R" addr add 192.1.2.23/24 dev r0
ip -n "$L" link set l0 up
ip -n "$R" link set r0 up
ip -n "$L" addr add 192.0.1.1/32 dev lo
ip -n "$L" link add ikevti0 type ikevti local 192.1.2.45 remote 192.1.2.23
ip netns exec "$L" sysctl -q -w net.ipv6.conf.ikevti0.disable_ipv6=1
ip -n "$L" link set ikevti0 up
ip -n "$L" route add 192.0.2.0/24 dev ikevti0
# Resolved beforehand: a packet waiting for ARP may be overtaken by the
# next one, and the pairing below relies on the capture's order.
ip netns exec "$R" ping -q -c 1 -W 2 192.1.2.45 >/dev/null
ctl sa add ikevti0 dir in spi 0x12345678 enc 3des-cbc key "$KEY_3DES" \
	auth hmac-md5-96 key "$AUTH_MD5"
ctl sa add ikevti0 dir in spi 0xd1234567 enc aes-cbc key "$KEY_AES" \
	auth hmac-sha1-96 key "$AUTH_SHA1"
# (The transforms already loaded: a first use costs seconds under TCG.)
ctl sa add ikevti0 dir out spi 0x5eed enc aes-cbc \
	key "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" \
	auth hmac-sha1-96 key "$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')"

# counters: one line per SA, "SPI DIR packets octets seq replay errors",
# and "dev decaps decrypt verify recv_errors invalid_sa encaps".
COUNTERS='
import json, sys
for sa in json.loads(sys.argv[1]):
    st = sa["stats"]
    err = sum(n for k, n in st.items() if k not in ("packets", "octets", "replay"))
    print("0x%x %s %d %d %d %d %d" % (sa["spi"], sa["dir"], st["packets"],
          st["octets"], sa["cur"]["seq"], st["replay"], err))
d = json.loads(sys.argv[2])[0]
print("dev", " ".join(str(d[k]) for k in ("decaps", "decrypt", "verify",
                                          "recv_errors", "invalid_sa", "encaps")))
'
counters() {
	python3 -c "$COUNTERS" "$(ctl --json sa show ikevti0)" \
		"$(ctl --json link show ikevti0)"
}

# The .out lines are "  N  DATE TIME OUTER: INNER": without N, DATE, TIME.
out_lines() { sed 's/^ *[0-9]*  [0-9-]* [0-9:.]* //' "$VEC/$1"; }

# replay_capture PCAP OUT: replay one capture, compare with tcpdump's.
n_total=0
replay_capture() {
	local pcap=$1 out=$2 sent inner want n

	want=$(out_lines "$out")
	n=$(wc -l <<<"$want")
	sent=$(replay --out "$SCRATCH/$pcap" "$VEC/$pcap")
	check_eq "$pcap: the ESP packets read and sent are those tcpdump lists in $out" \
		"$(out_lines "$out" | sed 's/: IP 192\.0\.2\.1 .*//')" \
		"$(head -n -1 <<<"$sent")"
	check_eq "$pcap: all $n packets decrypted and delivered to ikevti0" \
		"delivered $n" "$(tail -n 1 <<<"$sent")"
	inner=$(tcpdump -n -t -r "$SCRATCH/$pcap" 2>/dev/null)
	check_eq "$pcap: packet sent + what ikevti0 got, as tcpdump prints them = $out" \
		"$want" "$(paste -d '\0' <(head -n -1 <<<"$sent" | sed 's/$/: /') \
			<(printf '%s\n' "$inner"))"
	n_total=$((n_total + n))
}

replay_capture 02-sunrise-sunset-esp.pcap esp1.out
replay_capture 08-sunrise-sunset-aes.pcap esp5.out

# Each decrypted ping is answered through the tunnel.
for _ in $(seq 25); do
	[ "$(dev_stat "$L" ikevti0 tx_packets)" -ge "$n_total" ] && break
	sleep 0.2
done
c=$(counters)
# 8 pings of 84 bytes in each capture, sequence numbers 1 to 8.
check_eq "SA 0x12345678: 8 packets, 672 bytes, seq 8, no replay, no error" \
	"0x12345678 in 8 672 8 0 0" "$(grep '^0x12345678 in ' <<<"$c")"
check_eq "SA 0xd1234567: 8 packets, 672 bytes, seq 8, no replay, no error" \
	"0xd1234567 in 8 672 8 0 0" "$(grep '^0xd1234567 in ' <<<"$c")"
check_eq "ikevti0: decaps, decrypt, verify $n_total, no receive error or unknown SPI" \
	"dev $n_total $n_total $n_total 0 0" "$(grep '^dev ' <<<"$c" | cut -d' ' -f1-6)"
check_eq "the stack took the $n_total pings: $n_total echo replies encapsulated" \
	"$n_total $n_total" \
	"$(grep '^dev ' <<<"$c" | cut -d' ' -f7) $(dev_stat "$L" ikevti0 tx_packets)"
check_eq "SA 0x5eed carried the $n_total replies" "0x5eed out $n_total" \
	"$(grep '^0x5eed out ' <<<"$c" | cut -d' ' -f1-3)"

sent=$(replay --wait 0.5 --out "$SCRATCH/again.pcap" "$VEC/02-sunrise-sunset-esp.pcap")
check_eq "02-sunrise-sunset-esp.pcap again: nothing delivered" "delivered 0" \
	"$(tail -n 1 <<<"$sent")"
check_eq "02-sunrise-sunset-esp.pcap again: 8 replays, SA otherwise unchanged" \
	"0x12345678 in 8 672 8 8 0" "$(counters | grep '^0x12345678 in ')"

kmsg_check "kernel log stays clean"
finish
