#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Wire compatibility with the kernel's own ESP: ns A runs ikevti, ns B runs
# Linux XFRM (tunnel-mode states and policies) with the same keys.  For
# every transform both support, traffic crosses both ways and the packet
# counters of the two implementations agree SA by SA.
#
#   +---------------------------+   veth, IPv4 and IPv6   +------------------------+
#   | ns A                      |  10.0.0.1 <-> 10.0.0.2  | ns B                   |
#   |  ikv0 192.168.1.1         |  fc00::1  <-> fc00::2   |  lo 192.168.2.1        |
#   |       fd00:1::1           |                         |     fd00:2::1          |
#   |  ikevtictl SAs            |  ESP                    |  ip xfrm state/policy  |
#   +---------------------------+                         +------------------------+
#
# The XFRM states carry flag af-unspec: one state serves both inner
# families, as one ikevti SA does.
#
# Every transform: ping A->B and B->A, then the counters.  aes-gcm-128,
# aes-cbc-128+sha256, chacha20-poly1305 and the ESN cases also carry an
# iperf3 TCP transfer each way.  Inner IPv6 rides on the IPv4 underlay for
# aes-gcm; one pass runs over an IPv6 underlay.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd ping python3 iperf3
[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
	skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"

kmsg_mark
setup_ns A B || exit $ksft_fail
ip link add a0 netns "$A" type veth peer name b0 netns "$B"
ip -n "$A" addr add 10.0.0.1/24 dev a0
ip -n "$B" addr add 10.0.0.2/24 dev b0
ip -n "$A" addr add fc00::1/64 dev a0 nodad
ip -n "$B" addr add fc00::2/64 dev b0 nodad
ip -n "$A" link set a0 up
ip -n "$B" link set b0 up
ip -n "$B" addr add 192.168.2.1/32 dev lo
ip -n "$B" addr add fd00:2::1/128 dev lo
ip -n "$B" route add 192.168.1.0/24 via 10.0.0.1
ip -n "$B" route add fd00:1::/64 via fc00::1

key() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# The XFRM side: policies for both inner families over underlay $1/$2.
xfrm_policies() {
	local me=$1 peer=$2

	ip -n "$B" xfrm policy flush
	ip -n "$B" xfrm policy add dir out src 192.168.2.0/24 dst 192.168.1.0/24 \
		tmpl src "$me" dst "$peer" proto esp mode tunnel
	ip -n "$B" xfrm policy add dir in src 192.168.1.0/24 dst 192.168.2.0/24 \
		tmpl src "$peer" dst "$me" proto esp mode tunnel
	ip -n "$B" xfrm policy add dir out src fd00:2::/64 dst fd00:1::/64 \
		tmpl src "$me" dst "$peer" proto esp mode tunnel
	ip -n "$B" xfrm policy add dir in src fd00:1::/64 dst fd00:2::/64 \
		tmpl src "$peer" dst "$me" proto esp mode tunnel
}

# The ikevti side: a fresh device between underlay addresses $1 and $2.
ikevti_dev() {
	ip -n "$A" link del ikv0 2>/dev/null
	ip -n "$A" link add ikv0 type ikevti local "$1" remote "$2" || return 1
	ip -n "$A" addr add 192.168.1.1/32 dev ikv0
	ip -n "$A" addr add fd00:1::1/128 dev ikv0 nodad
	ip -n "$A" link set ikv0 up
	ip -n "$A" route add 192.168.2.0/24 dev ikv0 src 192.168.1.1
	ip -n "$A" route add fd00:2::/64 dev ikv0 src fd00:1::1
}

# ikevti SA counter: sa_stat DIR SPI FIELD
sa_stat() {
	ip netns exec "$A" "$IKEVTICTL" --json sa show ikv0 | python3 -c '
import json, sys
for sa in json.load(sys.stdin):
    if sa["dir"] == sys.argv[1] and sa["spi"] == int(sys.argv[2], 0):
        print(sa["stats"][sys.argv[3]])
' "$1" "$2" "$3"
}

# XFRM state packet counter: xfrm_packets SRC DST SPI
xfrm_packets() {
	ip -n "$B" -s xfrm state get src "$1" dst "$2" proto esp spi "$3" |
		sed -n 's/.*(bytes), \([0-9]*\)(packets).*/\1/p'
}

xfrm_failed() {
	ip -n "$B" -s xfrm state | sed -n 's/.*replay \([0-9]*\) failed \([0-9]*\).*/\1 \2/p' |
		awk '{ s += $1 + $2 } END { print s + 0 }'
}

iperf_both() {
	ip netns exec "$B" iperf3 -s -D -1 -B "$1" >/dev/null 2>&1
	ip netns exec "$A" iperf3 -s -D -1 -B "$2" >/dev/null 2>&1
	sleep 0.3
	ip netns exec "$A" iperf3 -c "$1" -B "$2" -n 256K >/dev/null 2>&1 &&
		ip netns exec "$B" iperf3 -c "$2" -B "$1" -n 256K >/dev/null 2>&1
}

n=0
# case NAME IKEVTI-ALGS XFRM-ALGS LOCAL REMOTE [esn] [iperf] [v6]
#   IKEVTI-ALGS has KEY_OUT/KEY_IN/AKEY_OUT/AKEY_IN placeholders, as does
#   XFRM-ALGS for the same keys.
run_case() {
	local name=$1 ialg=$2 xalg=$3 me=$4 peer=$5
	shift 5
	local esn= xesn="flag af-unspec" iperf= v6= o i ko ki ak ai io ii xo xi ok

	for f in "$@"; do
		case $f in
		esn) esn=esn; xesn="flag esn af-unspec replay-window 128" ;;
		iperf) iperf=1 ;;
		v6) v6=1 ;;
		esac
	done
	n=$((n + 1))
	o=$(printf '0x%x' $((0x10000 + n * 2)))
	i=$(printf '0x%x' $((0x10001 + n * 2)))
	ko=$(key 36); ki=$(key 36); ak=$(key 64); ai=$(key 64)

	# Same placeholders, one key set per direction, cut to each length.
	fill() {
		local s=$1 k
		for k in KO:$ko KI:$ki AO:$ak AI:$ai; do
			local tag=${k%%:*} val=${k#*:} len
			while [[ $s =~ ${tag}([0-9]+) ]]; do
				len=${BASH_REMATCH[1]}
				s=${s/${tag}${len}/${val:0:$((len * 2))}}
			done
		done
		echo "$s"
	}
	io=$(fill "$ialg")
	ii=$(fill "$(echo "$ialg" | sed 's/KO/KI/g; s/AO/AI/g')")
	xo=$(fill "$xalg")
	xi=$(fill "$(echo "$xalg" | sed 's/KO/KI/g; s/AO/AI/g')")

	# The peer's states first: the carrier comes up with ikevti's
	# outbound SA, and the first packets (IPv6 router solicitations among
	# them) must find a state to be counted on.
	ip netns exec "$A" "$IKEVTICTL" sa flush ikv0
	ip -n "$B" xfrm state flush
	# shellcheck disable=SC2086
	ok=$(
		eval ip -n "$B" xfrm state add src "$me" dst "$peer" proto esp spi "$o" mode tunnel $xo $xesn &&
		eval ip -n "$B" xfrm state add src "$peer" dst "$me" proto esp spi "$i" mode tunnel $xi $xesn &&
		ip netns exec "$A" "$IKEVTICTL" sa add ikv0 dir in spi "$i" $ii $esn &&
		ip netns exec "$A" "$IKEVTICTL" sa add ikv0 dir out spi "$o" $io $esn &&
		echo yes)
	if [ "$ok" != yes ]; then
		log_test 1 "$name: SAs installed on both sides"
		return
	fi

	check_cmd "$name: ping ikevti -> xfrm" ip netns exec "$A" ping -c 2 -i 0.2 -W 2 192.168.2.1
	check_cmd "$name: ping xfrm -> ikevti" ip netns exec "$B" ping -c 2 -i 0.2 -W 2 -I 192.168.2.1 192.168.1.1
	if [ -n "$v6" ]; then
		check_cmd "$name: IPv6 inner, ping both ways" sh -c "
			ip netns exec $A ping -6 -c 2 -i 0.2 -W 2 fd00:2::1 &&
			ip netns exec $B ping -6 -c 2 -i 0.2 -W 2 -I fd00:2::1 fd00:1::1"
	fi
	if [ -n "$iperf" ]; then
		check_cmd "$name: iperf3 TCP both ways" iperf_both 192.168.2.1 192.168.1.1
	fi
	check_eq "$name: ikevti out packets = xfrm in packets" \
		"$(xfrm_packets "$me" "$peer" "$o")" "$(sa_stat out "$o" packets)"
	check_eq "$name: xfrm out packets = ikevti in packets" \
		"$(xfrm_packets "$peer" "$me" "$i")" "$(sa_stat in "$i" packets)"
	check_eq "$name: no integrity, replay or padding errors on ikevti" 0 \
		"$(( $(sa_stat in "$i" integrity_failed) + $(sa_stat in "$i" replay) + \
		     $(sa_stat in "$i" invalid_padding) ))"
	check_eq "$name: no replay or integrity failures on xfrm" 0 "$(xfrm_failed)"
}

GCM128="enc aes-gcm key KO20"
GCM256="enc aes-gcm key KO36"
XGCM128="aead 'rfc4106(gcm(aes))' 0xKO20 128"
XGCM256="aead 'rfc4106(gcm(aes))' 0xKO36 128"

ikevti_dev 10.0.0.1 10.0.0.2
xfrm_policies 10.0.0.2 10.0.0.1
U="10.0.0.1 10.0.0.2"

# shellcheck disable=SC2086
{
run_case aes-gcm-128 "$GCM128" "$XGCM128" $U iperf v6
run_case aes-gcm-256 "$GCM256" "$XGCM256" $U
run_case chacha20-poly1305 "enc chacha20-poly1305 key KO36" \
	"aead 'rfc7539esp(chacha20,poly1305)' 0xKO36 128" $U iperf
for bits in 128 192 256; do
	b=$((bits / 8))
	run_case "aes-cbc-$bits+sha256" "enc aes-cbc key KO$b auth hmac-sha256-128 key AO32" \
		"enc 'cbc(aes)' 0xKO$b auth-trunc 'hmac(sha256)' 0xAO32 128" $U \
		$([ $bits = 128 ] && echo iperf)
done
run_case aes-cbc-256+sha1 "enc aes-cbc key KO32 auth hmac-sha1-96 key AO20" \
	"enc 'cbc(aes)' 0xKO32 auth-trunc 'hmac(sha1)' 0xAO20 96" $U
run_case aes-cbc-256+sha384 "enc aes-cbc key KO32 auth hmac-sha384-192 key AO48" \
	"enc 'cbc(aes)' 0xKO32 auth-trunc 'hmac(sha384)' 0xAO48 192" $U
run_case aes-cbc-256+sha512 "enc aes-cbc key KO32 auth hmac-sha512-256 key AO64" \
	"enc 'cbc(aes)' 0xKO32 auth-trunc 'hmac(sha512)' 0xAO64 256" $U
run_case aes-cbc-128+md5 "enc aes-cbc key KO16 auth hmac-md5-96 key AO16" \
	"enc 'cbc(aes)' 0xKO16 auth-trunc 'hmac(md5)' 0xAO16 96" $U
run_case 3des-cbc+sha1 "enc 3des-cbc key KO24 auth hmac-sha1-96 key AO20" \
	"enc 'cbc(des3_ede)' 0xKO24 auth-trunc 'hmac(sha1)' 0xAO20 96" $U
run_case null+sha256 "enc null auth hmac-sha256-128 key AO32" \
	"enc 'ecb(cipher_null)' '' auth-trunc 'hmac(sha256)' 0xAO32 128" $U
run_case esn-aes-cbc+sha256 "enc aes-cbc key KO16 auth hmac-sha256-128 key AO32" \
	"enc 'cbc(aes)' 0xKO16 auth-trunc 'hmac(sha256)' 0xAO32 128" $U esn iperf
run_case esn-aes-gcm-128 "$GCM128" "$XGCM128" $U esn iperf

# The same over an IPv6 underlay.
ikevti_dev fc00::1 fc00::2
xfrm_policies fc00::2 fc00::1
run_case v6-underlay-aes-gcm-128 "$GCM128" "$XGCM128" fc00::1 fc00::2 v6
run_case v6-underlay-aes-cbc+sha256 "enc aes-cbc key KO16 auth hmac-sha256-128 key AO32" \
	"enc 'cbc(aes)' 0xKO16 auth-trunc 'hmac(sha256)' 0xAO32 128" fc00::1 fc00::2
}

kmsg_check "kernel log stays clean"
finish
