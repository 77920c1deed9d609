#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Wire compatibility of ikevti's ESP with the kernel's own XFRM ESP: ns A
# runs an ikevti tunnel, ns B the same SAs as tunnel-mode XFRM states and
# policies, for every transform both support.
#
#   +--------------------------------+          +--------------------------------+
#   | ns A  (ikevti)                 |   veth   | ns B  (kernel XFRM)            |
#   |               va 10.0.0.1      +----------+ vb 10.0.0.2                    |
#   |                  fc00::1       |          |    fc00::2                     |
#   | ikevti0 local  10.0.0.1|fc00::1|          | ip xfrm state: the same SAs    |
#   |         remote 10.0.0.2|fc00::2|          | ip xfrm policy: tunnel mode    |
#   |  192.168.1.1/24 fd00:1::1/64   |          | d0 192.168.2.1/24 fd00:2::1/64 |
#   | routes 192.168.2.0/24,         |          | routes 192.168.1.0/24,         |
#   |   fd00:2::/64 dev ikevti0      |          |   fd00:1::/64 dev vb           |
#   +--------------------------------+          +--------------------------------+
#
# Each case installs a fresh SA pair (new SPIs, random keys) on both sides:
# the XFRM states first, then ikevti's inbound and outbound SA, which takes
# over from the previous case's.  Then traffic, and the counters of both
# sides must agree:
#   - ikevti's outbound SA packets/octets == the XFRM inbound state's
#     lifetime current packets/bytes, and XFRM outbound == ikevti inbound
#     (both count the inner packets);
#   - no error on either side: every ikevti SA error counter 0, the XFRM
#     states' "replay-window 0 replay 0 failed 0", no /proc/net/xfrm_stat
#     counter moved in ns B, no ikevti device error;
#   - ikevtictl link show: encaps and decaps grew by exactly the SAs' packets.
#
# "ping" cases: 2 IPv4 pings A->B and 2 B->A (1000 bytes, so the padding
# differs), so each SA carries exactly 4 packets.  "full" cases add 2 IPv6
# pings each way and an iperf3 TCP transfer (200 KB) each way: segmentation
# offload, many packet sizes, a few hundred packets.
#
# IPv4 underlay, every transform:
#   aes-cbc 128/192/256 x hmac-md5-96, hmac-sha1-96, hmac-sha256-128,
#   hmac-sha384-192, hmac-sha512-256                ping (full for 256+sha256)
#   3des-cbc + hmac-sha1-96                         full
#   null + hmac-sha256-128                          full
#   aes-gcm 128 (full) and 256 (ping), 16-byte ICV
#   chacha20-poly1305                               full
#   esn: aes-gcm 128 (full), aes-cbc 128 + hmac-sha256-128 (ping)
# IPv6 underlay: aes-gcm 256 (full), aes-cbc 192 + hmac-sha384-192, null +
# hmac-sha256-128, chacha20-poly1305 and esn aes-cbc 256 + hmac-sha512-256
# (ping).
#
# XFRM's states get a 1024-packet replay window, ikevti's default: with two
# CPUs either implementation may put packets on the wire a few dozen
# sequence numbers out of order, beyond a 32-packet window (iproute2 also
# wants a window on an ESN outbound state).  The two sides must agree on
# ESN, the ICV length and every key: any mismatch fails the pings and shows
# as integrity failures in the counters.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd ping iperf3 python3 od
[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
	skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"

kmsg_mark
setup_ns A B || exit $ksft_fail
ip -n "$B" xfrm state list >/dev/null 2>&1 || skip "the kernel has no XFRM (CONFIG_XFRM_USER)"

ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" addr add 10.0.0.1/24 dev va
ip -n "$A" addr add fc00::1/64 dev va nodad
ip -n "$A" link set va up
ip -n "$B" addr add 10.0.0.2/24 dev vb
ip -n "$B" addr add fc00::2/64 dev vb nodad
ip -n "$B" link set vb up
ip -n "$B" link add d0 type dummy
ip -n "$B" addr add 192.168.2.1/24 dev d0
ip -n "$B" addr add fd00:2::1/64 dev d0 nodad
ip -n "$B" link set d0 up
ip -n "$B" route add 192.168.1.0/24 dev vb src 192.168.2.1
ip -n "$B" route add fd00:1::/64 dev vb src fd00:2::1

# One iperf3 server on each side for the whole test; lib.sh's cleanup kills
# every process of the namespaces.  B's server also lends its pid to read
# B's /proc/net/xfrm_stat without a process per read.
ip netns exec "$A" iperf3 -s -D >/dev/null 2>&1
ip netns exec "$B" iperf3 -s -D >/dev/null 2>&1
for _ in 1 2 3 4 5 6 7 8 9 10; do
	pidb=$(ip netns pids "$B" | head -n1)
	[ -n "$pidb" ] && break
	sleep 0.2
done
[ -r "/proc/$pidb/net/xfrm_stat" ] ||
	skip "no /proc/net/xfrm_stat in ns B (CONFIG_XFRM_STATISTICS)"

# All the key material at once: one process instead of one per key.
POOL=$(od -An -tx1 -N8192 /dev/urandom | tr -d ' \n')
pool_off=0
# key VAR BYTES: the next BYTES random bytes of the pool, in hex, into VAR.
key() {
	printf -v "$1" '%s' "${POOL:pool_off:$(($2 * 2))}"
	pool_off=$((pool_off + $2 * 2))
}

# underlay LOCAL REMOTE: (re)create ikevti0 over that underlay in ns A and
# point B's policies at it.
underlay() {
	L=$1
	R=$2
	ip -n "$A" link del ikevti0 2>/dev/null
	ip -n "$A" link add ikevti0 type ikevti local "$L" remote "$R"
	# Only the test's packets may cross: no router solicitations.
	ip netns exec "$A" sysctl -q -w net.ipv6.conf.ikevti0.router_solicitations=0
	ip -n "$A" addr add 192.168.1.1/24 dev ikevti0
	ip -n "$A" addr add fd00:1::1/64 dev ikevti0 nodad
	ip -n "$A" link set ikevti0 up
	ip -n "$A" route add 192.168.2.0/24 dev ikevti0
	ip -n "$A" route add fd00:2::/64 dev ikevti0
	ip -n "$B" xfrm state flush
	ip -n "$B" xfrm policy flush
	ip -n "$B" -batch - <<-EOF
	xfrm policy add src 192.168.2.0/24 dst 192.168.1.0/24 dir out tmpl src $R dst $L proto esp mode tunnel
	xfrm policy add src 192.168.1.0/24 dst 192.168.2.0/24 dir in tmpl src $L dst $R proto esp mode tunnel
	xfrm policy add src fd00:2::/64 dst fd00:1::/64 dir out tmpl src $R dst $L proto esp mode tunnel
	xfrm policy add src fd00:1::/64 dst fd00:2::/64 dir in tmpl src $L dst $R proto esp mode tunnel
	EOF
	prev_out=
	prev_in=
	devs0=$(ip netns exec "$A" "$IKEVTICTL" --json link show)
}

# The XFRM side, from ikevtictl's names: "xfrm-name key-bytes [icv/trunc]".
declare -A XENC=(
	[aes-cbc]="cbc(aes)" [3des-cbc]="cbc(des3_ede)" [null]="ecb(cipher_null)"
	[aes-gcm]="rfc4106(gcm(aes))" [chacha20-poly1305]="rfc7539esp(chacha20,poly1305)"
)
declare -A XAUTH=(
	[hmac-md5-96]="hmac(md5) 16 96" [hmac-sha1-96]="hmac(sha1) 20 96"
	[hmac-sha256-128]="hmac(sha256) 32 128" [hmac-sha384-192]="hmac(sha384) 48 192"
	[hmac-sha512-256]="hmac(sha512) 64 256"
)

# Reads both sides' counters and prints shell assignments (see the header
# for what is compared).  argv: out SPI, in SPI, ikevtictl --json sa show,
# ikevtictl --json link show before and after, ip -s xfrm state,
# xfrm_stat before and after.
COLLECT='
import json, re, sys

spi_o, spi_i = int(sys.argv[1], 0), int(sys.argv[2], 0)
sas, xfrm = json.loads(sys.argv[3]), sys.argv[6]
v = {}
errs = []
for tag, d, spi in (("io", "out", spi_o), ("ii", "in", spi_i)):
    sa = [s for s in sas if s["dir"] == d and s["spi"] == spi]
    st = sa[0]["stats"] if sa else {}
    v[tag + "_p"] = st.get("packets", "no-ikevti-sa")
    v[tag + "_o"] = st.get("octets", "no-ikevti-sa")
    errs += ["ikevti %s %s %d" % (d, k, n) for k, n in st.items()
             if k not in ("packets", "octets") and n]
def dev(arg):
    return [x for x in json.loads(arg) if x["ifname"] == "ikevti0"][0]
d0, d1 = dev(sys.argv[4]), dev(sys.argv[5])
v["encaps"] = d1["encaps"] - d0["encaps"]
v["decaps"] = d1["decaps"] - d0["decaps"]
errs += ["ikevti0 %s +%d" % (k, d1[k] - d0[k]) for k in
         ("send_errors", "recv_errors", "no_route", "invalid_sa", "ts_out",
          "no_sa_out", "seq_exhausted") if d1[k] != d0[k]]
for tag, spi in (("xi", spi_o), ("xo", spi_i)):
    v[tag + "_p"] = v[tag + "_b"] = "no-xfrm-state"
    for blk in re.split(r"(?m)^(?=src )", xfrm):
        m = re.search(r"spi 0x([0-9a-f]+)", blk)
        if not m or int(m.group(1), 16) != spi:
            continue
        m = re.search(r"lifetime current:\s+(\d+)\(bytes\), (\d+)\(packets\)", blk)
        v[tag + "_b"], v[tag + "_p"] = m.group(1), m.group(2)
        m = re.search(r"stats:\s+replay-window (\d+) replay (\d+) failed (\d+)", blk)
        for name, n in zip(("replay-window", "replay", "failed"), m.groups()):
            if int(n):
                errs.append("xfrm spi 0x%x %s %s" % (spi, name, n))
def stat(text):
    return dict((l.split()[0], int(l.split()[1])) for l in text.splitlines() if l.strip())
before, after = stat(sys.argv[7]), stat(sys.argv[8])
errs += ["xfrm_stat %s +%d" % (k, n - before.get(k, 0))
         for k, n in after.items() if n != before.get(k, 0)]
v["errs"] = ", ".join(errs)
for k, x in v.items():
    print("%s=%s" % (k, json.dumps(str(x))))
'

# collect OUT_SPI IN_SPI: both sides' counters into the variables COLLECT
# prints; retried briefly while a TCP teardown may still be in flight.
collect() {
	local sas devs xfrm stat

	for _ in 1 2 3 4 5; do
		sas=$(ip netns exec "$A" "$IKEVTICTL" --json sa show)
		devs=$(ip netns exec "$A" "$IKEVTICTL" --json link show)
		xfrm=$(ip -n "$B" -s xfrm state)
		stat=$(<"/proc/$pidb/net/xfrm_stat")
		# Nothing of the previous case may survive a failed parse.
		io_p=unread-a io_o=unread-a ii_p=unread-a ii_o=unread-a
		xi_p=unread-b xi_b=unread-b xo_p=unread-b xo_b=unread-b
		encaps=unread-dev decaps=unread-dev errs="no counters read"
		eval "$(python3 -c "$COLLECT" "$1" "$2" "$sas" "$devs0" "$devs" \
			"$xfrm" "$stat0" "$stat")"
		[ "$io_p" = "$xi_p" ] && [ "$xo_p" = "$ii_p" ] && break
		sleep 0.5
	done
	devs0=$devs
}

# ping_ok DESC NS ARGS...: a few pings that must all be answered.
ping_ok() {
	local desc=$1 ns=$2
	shift 2
	check_cmd "$desc" ip netns exec "$ns" ping -q -c 2 -i 0.2 -W 2 "$@"
}

# iperf_ok DESC NS SERVER: a short TCP transfer that must complete.
iperf_ok() {
	check_cmd "$1" ip netns exec "$2" iperf3 -c "$3" -n 200K --connect-timeout 3000
}

n_case=0
# run_case MODE ENC KEYBYTES AUTH [esn]: one SA pair, its traffic, its
# counters.  MODE is ping or full; AUTH is "-" with an AEAD.
run_case() {
	local mode=$1 enc=$2 klen=$3 auth=$4 esn=${5:-} name
	local spi_o spi_i ek_o ek_i ak_o ak_i xalg_o xalg_i ialg_o ialg_i
	local xauth xalen xtrunc flag=af-unspec out rc
	local -a esn_arg=()

	n_case=$((n_case + 1))
	spi_o=$(printf '0x%x' $((0x1000 + n_case)))
	spi_i=$(printf '0x%x' $((0x2000 + n_case)))
	case $enc in
	aes-cbc) name="$enc-$((klen * 8))" ;;
	aes-gcm) name="$enc-$(((klen - 4) * 8))" ;;
	*) name=$enc ;;
	esac
	[ "$auth" != - ] && name="$name $auth"
	[ -n "$esn" ] && name="$name esn" && flag="esn af-unspec" && esn_arg=(esn)
	name="$name (over $L)"

	key ek_o "$klen"
	key ek_i "$klen"
	if [ "$auth" = - ]; then
		xalg_o="aead ${XENC[$enc]} 0x$ek_o 128"
		xalg_i="aead ${XENC[$enc]} 0x$ek_i 128"
		ialg_o=(enc "$enc" key "$ek_o")
		ialg_i=(enc "$enc" key "$ek_i")
	else
		read -r xauth xalen xtrunc <<<"${XAUTH[$auth]}"
		key ak_o "$xalen"
		key ak_i "$xalen"
		if [ "$klen" = 0 ]; then
			xalg_o="enc ${XENC[$enc]} \"\""
			xalg_i=$xalg_o
			ialg_o=(enc "$enc")
			ialg_i=(enc "$enc")
		else
			xalg_o="enc ${XENC[$enc]} 0x$ek_o"
			xalg_i="enc ${XENC[$enc]} 0x$ek_i"
			ialg_o=(enc "$enc" key "$ek_o")
			ialg_i=(enc "$enc" key "$ek_i")
		fi
		xalg_o="$xalg_o auth-trunc $xauth 0x$ak_o $xtrunc"
		xalg_i="$xalg_i auth-trunc $xauth 0x$ak_i $xtrunc"
		ialg_o+=(auth "$auth" key "$ak_o")
		ialg_i+=(auth "$auth" key "$ak_i")
	fi

	# XFRM first, so that no packet of the new SPIs arrives unknown; the
	# previous case's states go, so B's policies pick the new pair.  (With
	# esn, iproute2 wants a window on the outbound state too.)
	out=$(ip -n "$B" -force -batch - 2>&1 <<-EOF
	${prev_out:+xfrm state delete src $L dst $R proto esp spi $prev_out}
	${prev_in:+xfrm state delete src $R dst $L proto esp spi $prev_in}
	xfrm state add src $L dst $R proto esp spi $spi_o mode tunnel flag $flag replay-window 1024 $xalg_o
	xfrm state add src $R dst $L proto esp spi $spi_i mode tunnel flag $flag replay-window 1024 $xalg_i
	EOF
	)
	rc=$?
	prev_out=$spi_o
	prev_in=$spi_i
	if [ $rc -ne 0 ]; then
		log_test 1 "$name: XFRM refused the SAs: $out"
		return
	fi
	stat0=$(<"/proc/$pidb/net/xfrm_stat")
	if ! ip netns exec "$A" "$IKEVTICTL" sa add ikevti0 dir in spi "$spi_i" \
			"${ialg_i[@]}" "${esn_arg[@]}" ||
	   ! ip netns exec "$A" "$IKEVTICTL" sa add ikevti0 dir out spi "$spi_o" \
			"${ialg_o[@]}" "${esn_arg[@]}"; then
		log_test 1 "$name: ikevtictl sa add failed"
		return
	fi

	ping_ok "$name: ping A->B" "$A" 192.168.2.1
	ping_ok "$name: ping B->A" "$B" -s 1000 192.168.1.1
	if [ "$mode" = full ]; then
		ping_ok "$name: ping A->B, IPv6 inner" "$A" fd00:2::1
		ping_ok "$name: ping B->A, IPv6 inner" "$B" -s 1000 fd00:1::1
		iperf_ok "$name: iperf3 TCP A->B" "$A" 192.168.2.1
		iperf_ok "$name: iperf3 TCP B->A" "$B" 192.168.1.1
	fi

	collect "$spi_o" "$spi_i"
	if [ "$mode" = ping ]; then
		check_eq "$name: A->B packets, ikevti out = XFRM in = 4" "4 4" "$io_p $xi_p"
		check_eq "$name: B->A packets, XFRM out = ikevti in = 4" "4 4" "$xo_p $ii_p"
	else
		check_eq "$name: A->B packets, ikevti out = XFRM in" "$io_p" "$xi_p"
		check_eq "$name: B->A packets, XFRM out = ikevti in" "$xo_p" "$ii_p"
		check_eq "$name: TCP made it a few hundred packets" 1 \
			"$([[ $io_p =~ ^[0-9]+$ && $ii_p =~ ^[0-9]+$ ]] &&
			   echo $((io_p > 100 && ii_p > 100)))"
	fi
	check_eq "$name: A->B octets, ikevti out = XFRM in" "$io_o" "$xi_b"
	check_eq "$name: B->A octets, XFRM out = ikevti in" "$xo_b" "$ii_o"
	check_eq "$name: no error counted on either side" "" "$errs"
	check_eq "$name: encaps/decaps grew by the SAs' packets" \
		"$io_p $ii_p" "$encaps $decaps"
}

underlay 10.0.0.1 10.0.0.2
for auth in hmac-md5-96 hmac-sha1-96 hmac-sha256-128 hmac-sha384-192 hmac-sha512-256; do
	run_case ping aes-cbc 16 "$auth"
	run_case ping aes-cbc 24 "$auth"
	[ "$auth" = hmac-sha256-128 ] && continue
	run_case ping aes-cbc 32 "$auth"
done
run_case full aes-cbc 32 hmac-sha256-128
run_case full 3des-cbc 24 hmac-sha1-96
run_case full null 0 hmac-sha256-128
run_case full aes-gcm 20 -
run_case ping aes-gcm 36 -
run_case full chacha20-poly1305 36 -
run_case full aes-gcm 20 - esn
run_case ping aes-cbc 16 hmac-sha256-128 esn

underlay fc00::1 fc00::2
run_case full aes-gcm 36 -
run_case ping aes-cbc 24 hmac-sha384-192
run_case ping null 0 hmac-sha256-128
run_case ping chacha20-poly1305 36 -
run_case ping aes-cbc 32 hmac-sha512-256 esn

kmsg_check "kernel log stays clean"
finish
