#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IKEv2 PSK handshakes per second: ikehelper as responder, then charon as
# responder under the same load, for DH groups 19 and 31; then IKEv1 Main
# Mode + Quick Mode the same way, for groups 14 and 19 (make bench-ike).
# Host-native, in lib.sh's two namespaces; the load comes from ikeload
# (build/ikeload, this directory's Makefile) in $NS_L:
#
#   +-- $NS_L: ikeload (CPU 0) -------+     +-- $NS_R: responder (CPU 1) ---+
#   | lo 10.1.0.1      veth 192.0.2.1 |<--->| veth 192.0.2.2      lo 10.2.0.1 |
#   +---------------------------------+     +--------------------------------+
#
# The responder: ikehelper with the recording backend (on tmpfs: $IKE_TMP
# is made there), then charon with kernel-libipsec, as in lib.sh.  Each
# handshake is IKE_SA_INIT + IKE_AUTH with one Child SA (AES-CBC-128,
# HMAC-SHA2-256), then an INFORMATIONAL DELETE, with BENCH_INFLIGHT in
# flight, for BENCH_SECONDS after BENCH_WARMUP seconds.  Per run:
#
#   wall   handshakes completed per second of the window;
#   cpu    handshakes per second of the responder's CPU time (utime +
#          stime of all its threads, /proc/PID/stat, over the same
#          window).  This one stays fair when the generator, not the
#          responder, is what limits the wall rate, so the ratio and the
#          share of the DH-only rate use it.
#
# DH-only: ikeload --dh-only on the responder's core, a fresh key pair and
# one derivation per handshake on OpenSSL EVP (best of three 1 s runs): no
# responder can beat it.
# Memory: BENCH_SAS (two counts) IKE SAs, each with its Child SA, are set
# up and kept; bytes per IKE SA = VmRSS growth between the two counts
# divided by their difference (so start-up and the first allocations of
# OpenSSL and libc do not count).  charon is measured the same way.  Then
# the rate run again while the responder holds those IKE SAs: what a
# responder's per-SA bookkeeping costs shows there.
#
# charon runs with its defaults except: logging at level 0 for IKE/CHD
# (ikehelper logs one line per SA, as charon's default level 1 does), the
# half-open limits (block_threshold, cookie_threshold[_ip]) at ikehelper's
# own COOKIE threshold of 500 so neither demands COOKIEs at this load, and an
# IKE SA hash table of 1024 rows, as ikehelper's.
#
# IKEv1 (BENCH_IKEV1=0 skips it), DH groups 14 and 19: Main Mode with a
# pre-shared key (AES-CBC-256, SHA2-256) and Quick Mode without PFS (ESP
# AES-CBC-128, HMAC-SHA2-256), then a DELETE of the IPsec SA and one of
# the ISAKMP SA; a handshake counts once QM2 verifies and QM3 is sent.
# An IKEv1 site-to-site peer has one ISAKMP SA at a time (a second Main
# Mode from it would be a phase 1 rekey that takes over its IPsec SAs),
# so the load comes from BENCH_V1_PEERS peers, 198.18.0.1 on (RFC 2544's
# benchmark range, on $NS_L's veth), BENCH_INFLIGHT of them negotiating at
# once: ikehelper has a crypto map entry per peer, charon one connection
# for 198.18.0.0/24.  A peer waits BENCH_V1_LINGER ms after QM3 before its
# DELETEs: IKEv1 does not answer QM3, and a multi-threaded responder
# (charon) would otherwise often take the DELETEs before QM3 and never
# install the IPsec SA.  Same columns, no memory figure (BENCH_ENC is
# IKEv2's: the IKEv1 suite is the one above); each responder must have
# installed an IPsec SA (ikehelper's recording backend: an outbound "add"
# line; charon: "CHILD_SA ... established" in its log) for at least 98%
# of the handshakes ikeload counted.  Logging weighs more here than in
# IKEv2: ikehelper writes about 10 lines per handshake (each step of each
# SA), charon about 55 at lib.sh's levels (1, cfg 2; IKE and CHD 0 as
# above); with every level at 0 (some 5 lines) charon did up to 25% more
# handshakes per CPU-second in trials with group 19, a few % with group
# 14, whose MODP work dominates.
#
#   BENCH_GROUPS="19 31" BENCH_SECONDS=10 BENCH_WARMUP=2 BENCH_INFLIGHT=64
#   BENCH_SAS="2000 4000" BENCH_ENC=cbc|gcm BENCH_CHARON=0 (ikehelper only)
#   BENCH_IKEV2=0 (IKEv1 only) BENCH_IKEV1=0 BENCH_V1_GROUPS="14 19"
#   BENCH_V1_PEERS=192 BENCH_V1_LINGER=30

. "$(dirname "$0")/lib.sh"

IKELOAD=${IKELOAD:-$IKE_TESTS_DIR/build/ikeload}
BENCH_GROUPS=${BENCH_GROUPS:-19 31}
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_WARMUP=${BENCH_WARMUP:-2}
BENCH_INFLIGHT=${BENCH_INFLIGHT:-64}
BENCH_SAS=${BENCH_SAS:-2000 4000}
BENCH_ENC=${BENCH_ENC:-cbc}
BENCH_CHARON=${BENCH_CHARON:-1}
BENCH_IKEV2=${BENCH_IKEV2:-1}
BENCH_IKEV1=${BENCH_IKEV1:-1}
BENCH_V1_GROUPS=${BENCH_V1_GROUPS:-14 19}
BENCH_V1_PEERS=${BENCH_V1_PEERS:-192}
BENCH_V1_LINGER=${BENCH_V1_LINGER:-30}
PSK=bench-secret-1
V1_NET=198.18.0

# Our temporary files on tmpfs: the recording backend writes a line per SA.
[ -d /dev/shm ] && export TMPDIR=/dev/shm
ike_require
[ -x "$IKEHELPER" ] || ike_skip "ikehelper not built: make all"
[ -x "$IKELOAD" ] || ike_skip "ikeload not built: make -C selftests/ike"
command -v taskset >/dev/null || ike_skip "no taskset (util-linux)"
[ "$(nproc)" -ge 2 ] || ike_skip "needs two CPUs (responder, generator)"
if [ "$BENCH_IKEV1" = 1 ] && { [ "$BENCH_V1_PEERS" -lt "$BENCH_INFLIGHT" ] ||
	[ "$BENCH_V1_PEERS" -gt 254 ]; }; then
	echo "# BENCH_V1_PEERS: from BENCH_INFLIGHT to 254" >&2
	exit $ksft_fail
fi
ike_topology || { echo "# topology failed"; exit $ksft_fail; }

RESP_PID=
IKEH=$IKE_TMP/ikeh
mkdir -p "$IKEH"
declare -A SW_GROUP=([14]=modp2048 [19]=ecp256 [31]=curve25519)
declare -A IH_GROUP=([19]=ecp256 [31]=curve25519)

ikeh_conf() {	# ikeh_conf GROUP
	local enc=aes-cbc-128 integ="  child-proposal integrity sha2-256"

	[ "$BENCH_ENC" = gcm ] && enc=aes-gcm-128 && integ=
	cat > "$IKEH/ikehelper.conf" <<-CONF
	ikev2 authentication psk id keyid load key char $PSK
	ikev2 authentication psk id keyid bench key char $PSK
	ikev2 default-profile
	  sa-proposal enc $enc
	  $([ "$BENCH_ENC" = gcm ] || echo "sa-proposal integrity sha2-256")
	  sa-proposal prf sha2-256
	  sa-proposal dh ${IH_GROUP[$1]}
	  child-proposal enc $enc
	$integ
	  no child-pfs
	  local-authentication psk id keyid bench
	  local-ts $IKE_NET_R
	  remote-ts $IKE_NET_L
	!
	interface ikevti0
	  tunnel mode ipsec-ikev2
	  ikev2 peer any authentication psk id keyid load
	  no shutdown
	CONF
	chmod 0600 "$IKEH/ikehelper.conf"
}

# ikeh_conf_v1 GROUP: a Cisco IOS router with a crypto map entry per
# peer (a crypto map waits for its peer, a VTI would initiate), every
# peer's key the wildcard one, lib.sh's networks in the access list.
ikeh_conf_v1() {
	local i

	{
		echo "hostname bench-r"
		echo "crypto isakmp policy 10"
		echo " encryption aes 256"
		echo " hash sha256"
		echo " authentication pre-share"
		echo " group $1"
		echo "crypto isakmp key $PSK address 0.0.0.0 0.0.0.0"
		echo "crypto ipsec transform-set TS esp-aes esp-sha256-hmac"
		echo " mode tunnel"
		echo "access-list 101 permit ip 10.2.0.0 0.0.0.255 10.1.0.0 0.0.0.255"
		for i in $(seq "$BENCH_V1_PEERS"); do
			echo "crypto map cmap $i ipsec-isakmp"
			echo " set peer $V1_NET.$i"
			echo " set transform-set TS"
			echo " match address 101"
		done
		echo "interface veth0"
		echo " ip address $IKE_ADDR_R 255.255.255.0"
		echo " crypto map cmap"
	} > "$IKEH/ikehelper.conf"
	chmod 0600 "$IKEH/ikehelper.conf"
}

ikeh_start() {	# ikeh_start GROUP: ikehelper in $NS_R on CPU 1
	if [ "$IKEV" = 1 ]; then ikeh_conf_v1 "$1"; else ikeh_conf "$1"; fi
	rm -f "$IKEH/record" "$IKEH/ctl.sock"
	install -m 0600 /dev/null "$IKEH/record"
	ip netns exec "$NS_R" taskset -c 1 "$IKEHELPER" -f "$IKEH/ikehelper.conf" \
		--backend "record:$IKEH/record" --control "$IKEH/ctl.sock" \
		2>>"$IKEH/ikehelper.log" &
	RESP_PID=$!
	__ike_pids+=("$RESP_PID")
	ike_wait 5 test -S "$IKEH/ctl.sock"
}

charon_start() {	# charon_start GROUP: charon in $NS_R on CPU 1
	local ike=aes128-sha256-${SW_GROUP[$1]} esp=aes128-sha256 v

	[ "$BENCH_ENC" = gcm ] && [ "$IKEV" = 2 ] &&
		ike=aes128gcm16-prfsha256-${SW_GROUP[$1]} && esp=aes128gcm16
	[ "$IKEV" = 1 ] && ike=aes256-sha256-${SW_GROUP[$1]}
	# The last charon's socket file would pass for the new one's.
	rm -f "$IKE_TMP/R/charon.vici"
	IKE_CHARON_LOG=0 IKE_CHARON_EXTRA="block_threshold = 500
	  cookie_threshold = 500
	  cookie_threshold_ip = 500
	  ikesa_table_size = 1024" ike_charon_start R "$NS_R" || return 1
	v=IKE_PID_R
	RESP_PID=${!v}
	# Every thread, and those it starts later, on CPU 1.
	taskset -a -p -c 1 "$RESP_PID" >/dev/null || return 1
	if [ "$IKEV" = 1 ]; then
		# Every peer of the range, each known by its address.
		ike_swanctl_conf R version=1 local="$IKE_ADDR_R" \
			remote="$V1_NET.0/24" remote_id=%any psk="$PSK" \
			ike_prop="$ike" esp_prop="$esp" \
			local_ts="$IKE_NET_R" remote_ts="$IKE_NET_L"
	else
		ike_swanctl_conf R local="$IKE_ADDR_R" remote="$IKE_ADDR_L" \
			local_id=keyid:bench remote_id=keyid:load psk="$PSK" \
			ike_prop="$ike" esp_prop="$esp" \
			local_ts="$IKE_NET_R" remote_ts="$IKE_NET_L"
	fi
	ike_wait 5 ike_swanctl_load R
}

resp_stop() {
	[ -n "$RESP_PID" ] || return 0
	kill -TERM "$RESP_PID" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$RESP_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$RESP_PID" 2>/dev/null
	wait "$RESP_PID" 2>/dev/null
	RESP_PID=
}

load() {	# load GROUP ARGS...: ikeload in $NS_L on CPU 0
	local g=$1

	shift
	if [ "$IKEV" = 1 ]; then
		ip netns exec "$NS_L" taskset -c 0 "$IKELOAD" --ikev1 \
			-t "$IKE_ADDR_R" -b "$V1_NET.1" -g "$g" -P "$PSK" \
			--peers "$BENCH_V1_PEERS" --linger "$BENCH_V1_LINGER" \
			-W "$RESP_PID" "$@"
		return
	fi
	ip netns exec "$NS_L" taskset -c 0 "$IKELOAD" -t "$IKE_ADDR_R" \
		-b "$IKE_ADDR_L" -g "$g" -e "$BENCH_ENC" -P "$PSK" \
		-i load -r bench -W "$RESP_PID" "$@"
}

# installed WHO: the IPsec SAs the responder has installed, both
# directions (IKEv1 adds the outbound one on QM3).
installed() {
	if [[ "$1" == *charon* ]]; then
		grep -c 'CHILD_SA .* established' "$IKE_TMP/R/charon.log"
	else
		grep -c '^add .* dir=out ' "$IKEH/record"
	fi
}

# installs_settled WHO: once the count stops growing (the responder may
# still be working through its queue); sets R_INST.
installs_settled() {
	local prev=-1

	for _ in $(seq 20); do
		R_INST=$(installed "$1")
		[ "$R_INST" = "$prev" ] && return 0
		prev=$R_INST
		sleep 0.5
	done
}

kv() {	# kv KEY LINE: the value of KEY=... in LINE
	sed -n "s/.*[ ^]$1=\([^ ]*\).*/\1/p" <<< " $2"
}

rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"
}

# rate WHO GROUP: one rate run against the running responder; sets
# R_WALL, R_CPU, R_LINE.
rate() {
	local out resp n_done n_failed

	out=$(load "$2" -k "$BENCH_INFLIGHT" -w "$BENCH_WARMUP" \
		-T "$BENCH_SECONDS" --delete)
	R_LINE=$(grep '^ikeload ' <<< "$out")
	resp=$(grep '^responder ' <<< "$out")
	R_WALL=$(kv rate "$R_LINE")
	R_CPU=$(kv per_cpu_s "$resp")
	echo "# $1 group $2: $R_LINE"
	echo "# $1 group $2: $resp"
	n_done=$(kv completed "$R_LINE")
	n_failed=$(kv failed "$R_LINE")
	[ "${n_done:-0}" -gt 0 ] && [ "$((${n_failed:-0} * 100))" -le "$n_done" ]
	ike_ok $? "$1 group $2: handshakes complete, under 1% fail ($n_done done, $n_failed failed)"
	[ "$IKEV" = 1 ] || return 0
	# What ikeload counted over the whole run, warm-up included.
	n_done=$(kv all_completed "$R_LINE")
	installs_settled "$1"
	[ "${n_done:-0}" -gt 0 ] && [ "$((R_INST * 100))" -ge "$((n_done * 98))" ] &&
		[ "$R_INST" -le "$((n_done + BENCH_INFLIGHT))" ]
	ike_ok $? "$1 group $2: installed an IPsec SA for each handshake ($R_INST for $n_done)"
}

# mem WHO GROUP: bytes per kept IKE SA; sets M_BYTES.
mem() {
	local n prev_n=0 rss prev_rss out line a b first_rss first_n

	prev_rss=$(rss_kb "$RESP_PID")
	a=0
	for n in $BENCH_SAS; do
		out=$(load "$2" -k "$BENCH_INFLIGHT" -n $((n - prev_n)) -T 60)
		line=$(grep '^ikeload ' <<< "$out")
		sleep 0.5
		rss=$(rss_kb "$RESP_PID")
		echo "# $1 group $2: $n IKE SAs kept: VmRSS ${rss} kB (+$((rss - prev_rss)) kB), $(kv completed "$line") set up, $(kv failed "$line") failed"
		a=$((a + $(kv completed "$line")))
		b=$rss
		[ "$prev_n" = 0 ] && first_rss=$rss && first_n=$a
		prev_n=$n
		prev_rss=$rss
	done
	if [ "$a" -gt "$first_n" ]; then
		M_BYTES=$(( (b - first_rss) * 1024 / (a - first_n) ))
	else
		M_BYTES=$(( b * 1024 / (a > 0 ? a : 1) ))
	fi
	echo "# $1 group $2: $M_BYTES bytes of VmRSS per IKE SA (from $first_n to $a)"
	M_HELD=$a
}

declare -A IH_WALL IH_CPU IH_MEM IH_HELD CH_WALL CH_CPU CH_MEM CH_HELD DH
declare -A V1_IH_WALL V1_IH_CPU V1_CH_WALL V1_CH_CPU

# dh_best GROUP: the ceiling, the best of three runs (the one least
# disturbed), once per group; sets DH[GROUP].
dh_best() {
	[ -z "${DH[$1]:-}" ] || return 0
	DH[$1]=$(for _ in 1 2 3; do
		kv rate "$(taskset -c 1 "$IKELOAD" --dh-only -g "$1" -T 1)"
	done | sort -g | tail -n 1)
	echo "# DH only, group $1, CPU 1: ${DH[$1]} key pairs + derivations/s (best of 3)"
}

IKEV=2
if [ "$BENCH_IKEV2" = 1 ]; then
	for g in $BENCH_GROUPS; do
		dh_best "$g"

		ikeh_start "$g"
		ike_ok $? "ikehelper group $g: starts"
		rate ikehelper "$g"
		IH_WALL[$g]=$R_WALL IH_CPU[$g]=$R_CPU
		resp_stop
		ikeh_start "$g"
		ike_ok $? "ikehelper group $g: starts again"
		mem ikehelper "$g"
		IH_MEM[$g]=$M_BYTES
		# The same load while the responder holds those IKE SAs.
		rate "ikehelper holding $M_HELD IKE SAs," "$g"
		IH_HELD[$g]="$R_CPU with $M_HELD held"
		resp_stop

		[ "$BENCH_CHARON" = 1 ] || continue
		charon_start "$g"
		ike_ok $? "charon group $g: starts"
		rate charon "$g"
		CH_WALL[$g]=$R_WALL CH_CPU[$g]=$R_CPU
		resp_stop
		charon_start "$g"
		ike_ok $? "charon group $g: starts again"
		mem charon "$g"
		CH_MEM[$g]=$M_BYTES
		rate "charon holding $M_HELD IKE SAs," "$g"
		CH_HELD[$g]="$R_CPU with $M_HELD held"
		resp_stop
	done

	# The table, and the targets: 2x charon, 50% of DH-only, < 8 KiB per SA.
	echo "#"
	echo "# IKEv2 PSK handshakes/s, $BENCH_ENC, $BENCH_INFLIGHT in flight, ${BENCH_SECONDS}s; responder on one core"
	echo "# hs/s: per second of wall time / per second of the responder's CPU time"
	printf '# %-5s %-17s %-17s %-6s %-8s %-9s %-15s\n' group "ikehelper hs/s" \
		"charon hs/s" ratio "DH-only" "% of DH" "bytes/IKE SA"
	for g in $BENCH_GROUPS; do
		ratio=- pct=-
		[ -n "${CH_CPU[$g]:-}" ] &&
			ratio=$(awk -v a="${IH_CPU[$g]}" -v b="${CH_CPU[$g]}" \
				'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
		pct=$(awk -v a="${IH_CPU[$g]}" -v b="${DH[$g]}" \
			'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }')
		printf '# %-5s %-17s %-17s %-6s %-8s %-9s %-15s\n' "$g" \
			"$(printf '%.0f / %.0f' "${IH_WALL[$g]}" "${IH_CPU[$g]}")" \
			"$([ -n "${CH_CPU[$g]:-}" ] && printf '%.0f / %.0f' "${CH_WALL[$g]}" "${CH_CPU[$g]}" || echo -)" \
			"$ratio" "$(printf '%.0f' "${DH[$g]}")" "$pct" \
			"${IH_MEM[$g]}${CH_MEM[$g]:+ (charon ${CH_MEM[$g]})}"
		if [ -n "${CH_CPU[$g]:-}" ]; then
			echo "# group $g: ikehelper/charon $ratio (target 2): $(awk -v r="$ratio" 'BEGIN { print (r >= 2 ? "met" : "MISSED") }')"
		fi
		echo "# group $g: $pct of the DH-only rate (target 50%): $(awk -v a="${IH_CPU[$g]}" -v b="${DH[$g]}" 'BEGIN { print (2 * a >= b ? "met" : "MISSED") }')"
		echo "# group $g: ${IH_MEM[$g]} bytes per IKE SA (target < 8192): $([ "${IH_MEM[$g]}" -lt 8192 ] && echo met || echo MISSED)"
		echo "# group $g: hs per responder CPU-second while holding the kept IKE SAs: ikehelper ${IH_HELD[$g]}${CH_HELD[$g]:+, charon ${CH_HELD[$g]}}"
	done
fi

# v1_peers: BENCH_V1_PEERS addresses on $NS_L's veth from $V1_NET.1 on,
# and the way back to them from $NS_R.
v1_peers() {
	local i

	for i in $(seq "$BENCH_V1_PEERS"); do
		echo "address add $V1_NET.$i/32 dev veth0"
	done | ip -n "$NS_L" -batch - &&
		ip -n "$NS_R" route add "$V1_NET.0/24" dev veth0
}

IKEV=1
if [ "$BENCH_IKEV1" = 1 ]; then
	v1_peers
	ike_ok $? "IKEv1: $BENCH_V1_PEERS peers from $V1_NET.1"
	for g in $BENCH_V1_GROUPS; do
		dh_best "$g"
		ikeh_start "$g"
		ike_ok $? "IKEv1 ikehelper group $g: starts"
		rate "IKEv1 ikehelper" "$g"
		V1_IH_WALL[$g]=$R_WALL V1_IH_CPU[$g]=$R_CPU
		resp_stop
		[ "$BENCH_CHARON" = 1 ] || continue
		charon_start "$g"
		ike_ok $? "IKEv1 charon group $g: starts"
		rate "IKEv1 charon" "$g"
		V1_CH_WALL[$g]=$R_WALL V1_CH_CPU[$g]=$R_CPU
		resp_stop
	done

	echo "#"
	echo "# IKEv1 Main Mode + Quick Mode (PSK, AES-CBC-256/SHA2-256; ESP AES-CBC-128/SHA2-256, no PFS) handshakes/s,"
	echo "# $BENCH_INFLIGHT in flight from $BENCH_V1_PEERS peers, ${BENCH_V1_LINGER} ms to the DELETEs, ${BENCH_SECONDS}s; responder on one core"
	echo "# hs/s: per second of wall time / per second of the responder's CPU time"
	printf '# %-5s %-17s %-17s %-6s %-8s %-9s\n' group "ikehelper hs/s" \
		"charon hs/s" ratio "DH-only" "% of DH"
	for g in $BENCH_V1_GROUPS; do
		ratio=-
		[ -n "${V1_CH_CPU[$g]:-}" ] &&
			ratio=$(awk -v a="${V1_IH_CPU[$g]:-0}" -v b="${V1_CH_CPU[$g]}" \
				'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
		pct=$(awk -v a="${V1_IH_CPU[$g]:-0}" -v b="${DH[$g]:-0}" \
			'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }')
		printf '# %-5s %-17s %-17s %-6s %-8s %-9s\n' "$g" \
			"$(printf '%.0f / %.0f' "${V1_IH_WALL[$g]:-0}" "${V1_IH_CPU[$g]:-0}")" \
			"$([ -n "${V1_CH_CPU[$g]:-}" ] && printf '%.0f / %.0f' "${V1_CH_WALL[$g]:-0}" "${V1_CH_CPU[$g]}" || echo -)" \
			"$ratio" "$(printf '%.0f' "${DH[$g]:-0}")" "$pct"
		[ "$ratio" = - ] ||
			echo "# IKEv1 group $g: ikehelper/charon $ratio (target 2): $(awk -v r="$ratio" 'BEGIN { print (r >= 2 ? "met" : "MISSED") }')"
	done
fi
ike_done
