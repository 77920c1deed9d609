#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-native IKE interop tests against strongSwan.  Source it.
#
# The host kernel has no ESP, so charon runs with kernel-libipsec (ESP in
# user space over a TUN device) and ikehelper with its recording backend.
# The topology (ike_topology):
#
#   +---------------- $NS_L ----------------+   +---------------- $NS_R ----------------+
#   | lo 10.1.0.1/24                        |   | lo 10.2.0.1/24                        |
#   | veth $IKE_ADDR_L 192.0.2.1/24  <------------> veth $IKE_ADDR_R 192.0.2.2/24       |
#   |   $IKE_ADDR6_L 2001:db8::1/64         |   |   $IKE_ADDR6_R 2001:db8::2/64         |
#   +---------------------------------------+   +---------------------------------------+
#
# libipsec's selectors must hold a local address of the namespace (on lo)
# and must not cover the IKE endpoints (../../shared/notes/strongswan.md).
#
# What compares keys: ike_charon_keys LOG prints one line per Child SA
# half, in the terms of the recording backend (backend.h), from charon's
# own point of view:
#
#   dir=in|out spi=0x%08x ekey=HEX akey=HEX|-
#
# (ekey with the 4-byte salt for GCM, as the kernel takes it).  A key
# seen by one peer as "in" is the other's "out", with the same SPI.
#
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.

ksft_pass=0
ksft_fail=1
ksft_skip=4

IKE_TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IKEVTI_TOP=$(cd "$IKE_TESTS_DIR/../.." && pwd)
IKEHELPER=${IKEHELPER:-$IKEVTI_TOP/ikehelper/ikehelper}
IKEVTICTL=${IKEVTICTL:-$IKEVTI_TOP/tools/ikevtictl}
CHARON=/usr/lib/ipsec/charon

IKE_ADDR_L=192.0.2.1
IKE_ADDR_R=192.0.2.2
IKE_ADDR6_L=2001:db8::1
IKE_ADDR6_R=2001:db8::2
IKE_NET_L=10.1.0.0/24
IKE_NET_R=10.2.0.0/24

__ike_pids=()
__ike_ns=()
__ike_n=0
__ike_fail=0
IKE_TMP=

ike_cleanup() {
	local p ns

	for p in "${__ike_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${__ike_pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	for ns in "${__ike_ns[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "$IKE_TMP" ] && [ -z "${IKE_KEEP:-}" ]; then
		rm -rf "$IKE_TMP"
	elif [ -n "$IKE_TMP" ]; then
		echo "# kept $IKE_TMP"
	fi
}
trap ike_cleanup EXIT

# TAP for the checks of one script.
ike_ok() {	# ike_ok STATUS DESCRIPTION
	__ike_n=$((__ike_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $__ike_n - $2"
	else
		echo "not ok $__ike_n - $2"
		__ike_fail=1
	fi
}

ike_skip() {	# ike_skip REASON: skip the whole script
	echo "1..0 # SKIP $1"
	exit $ksft_skip
}

ike_done() {
	echo "1..$__ike_n"
	[ "$__ike_fail" = 0 ] && exit $ksft_pass
	exit $ksft_fail
}

# What every test needs: root, charon and swanctl, network namespaces.
ike_require() {
	[ "$(id -u)" = 0 ] || ike_skip "needs root (network namespaces)"
	[ -x "$CHARON" ] || ike_skip "no $CHARON: run tools/install-deps"
	command -v swanctl >/dev/null || ike_skip "no swanctl: run tools/install-deps"
	[ -c /dev/net/tun ] || ike_skip "no /dev/net/tun for kernel-libipsec"
	ip netns add "ike-probe-$$" 2>/dev/null ||
		ike_skip "cannot create network namespaces"
	ip netns del "ike-probe-$$"
	IKE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ike-test.XXXXXX")
	chmod 0700 "$IKE_TMP"
}

# Two namespaces joined by a veth, with random names in NS_L and NS_R.
ike_topology() {
	local sfx

	sfx=$(mktemp -u XXXXXX)
	NS_L=ikeL-$sfx
	NS_R=ikeR-$sfx
	ip netns add "$NS_L" || return 1
	__ike_ns+=("$NS_L")
	ip netns add "$NS_R" || return 1
	__ike_ns+=("$NS_R")
	ip -n "$NS_L" link add veth0 type veth peer name veth0 netns "$NS_R" ||
		return 1
	ip -n "$NS_L" addr add "$IKE_ADDR_L/24" dev veth0
	ip -n "$NS_R" addr add "$IKE_ADDR_R/24" dev veth0
	ip -n "$NS_L" addr add "$IKE_ADDR6_L/64" dev veth0 nodad
	ip -n "$NS_R" addr add "$IKE_ADDR6_R/64" dev veth0 nodad
	ip -n "$NS_L" addr add 10.1.0.1/24 dev lo
	ip -n "$NS_R" addr add 10.2.0.1/24 dev lo
	ip -n "$NS_L" link set lo up
	ip -n "$NS_R" link set lo up
	ip -n "$NS_L" link set veth0 up
	ip -n "$NS_R" link set veth0 up
	ip netns exec "$NS_L" ping -c1 -W2 "$IKE_ADDR_R" >/dev/null
}

# ike_charon_start NAME NS: charon in NS, with its own /run, its config
# in $IKE_TMP/NAME (strongswan.conf, swanctl/), vici socket
# $IKE_TMP/NAME/charon.vici, log $IKE_TMP/NAME/charon.log.
# IKE_CHARON_LOG sets the IKE and CHD log levels (4: keys, what the key
# comparisons read); IKE_CHARON_EXTRA holds more charon { } settings,
# one per line.  IKE_CHARON_KERNEL=netlink (in a VM, whose kernel has
# ESP) leaves kernel-libipsec out: charon's SAs go into the kernel's XFRM.
ike_charon_start() {
	local name=$1 ns=$2 dir=$IKE_TMP/$1 i kernel=kernel-libipsec
	local log=${IKE_CHARON_LOG:-4}

	if [ "${IKE_CHARON_KERNEL:-libipsec}" = netlink ]; then kernel=; fi
	mkdir -p "$dir/run" "$dir/swanctl/conf.d" \
		"$dir"/swanctl/{x509,x509ca,x509ocsp,x509aa,x509ac,x509crl} \
		"$dir"/swanctl/{pubkey,private,rsa,ecdsa,bliss,pkcs8,pkcs12}
	cat > "$dir/strongswan.conf" <<-CONF
	charon {
	  load = random nonce openssl pem pkcs1 x509 pubkey curve25519 gmp sha1 sha2 hmac aes gcm kdf $kernel kernel-netlink socket-default vici
	  install_routes = no
	  install_virtual_ip = no
	  retransmit_tries = 3
	  retransmit_timeout = 1
	  ${IKE_CHARON_EXTRA:-}
	  plugins {
	    vici {
	      socket = unix://$dir/charon.vici
	    }
	    kernel-libipsec {
	      allow_peer_ts = yes
	    }
	  }
	  filelog {
	    main {
	      path = $dir/charon.log
	      default = 1
	      ike = $log
	      chd = $log
	      cfg = 2
	      knl = 1
	      flush_line = yes
	      time_format = %T
	    }
	  }
	  syslog {
	    daemon {
	      default = -1
	    }
	  }
	}
	CONF
	: > "$dir/charon.log"
	ip netns exec "$ns" unshare -m sh -c \
		"mount -t tmpfs tmpfs /run && mount --bind '$dir/swanctl' /etc/swanctl &&
		 STRONGSWAN_CONF='$dir/strongswan.conf' exec $CHARON" \
		>"$dir/charon.out" 2>&1 &
	__ike_pids+=($!)
	eval "IKE_PID_$name=$!"
	for i in $(seq 50); do
		[ -S "$dir/charon.vici" ] && return 0
		sleep 0.1
	done
	echo "# charon $name did not start:" >&2
	sed 's/^/#   /' "$dir/charon.out" "$dir/charon.log" >&2
	return 1
}

# swanctl against the charon NAME: ike_swanctl NAME --load-all ...
ike_swanctl() {
	local name=$1

	shift
	swanctl "$@" --uri "unix://$IKE_TMP/$name/charon.vici"
}

# ike_swanctl_conf NAME KEY=VALUE...: write $IKE_TMP/NAME/swanctl/
# swanctl.conf with one connection "t" and one child "c".  Keys:
#   local remote                 IKE addresses
#   local_id remote_id           strongSwan identities ("keyid:site1")
#   psk                          the pre-shared key (both IDs use it)
#   ike_prop esp_prop            "aes256-sha256-modp2048", ...
#   local_ts remote_ts           "10.1.0.0/24"
#   start                        none | start | trap (start_action)
#   rekey_time life_time         child rekey/lifetime, e.g. 0 (none)
#   ike_rekey                    IKE SA rekey_time, e.g. 0
#   if_id                        the Child SA's XFRM interface ID (route-
#                                based, with an xfrm interface), or none
#   version                      2 (default) or 1 (IKEv1)
#   aggressive                   no (default) or yes (IKEv1 Aggressive Mode)
#   dpd_delay                    0 (default: none), seconds
ike_swanctl_conf() {
	local name=$1 kv
	local local=$IKE_ADDR_L remote=$IKE_ADDR_R local_id= remote_id= psk=
	local ike_prop=aes256-sha256-modp2048 esp_prop=aes256-sha256
	local local_ts=$IKE_NET_L remote_ts=$IKE_NET_R start=none
	local rekey_time=0 life_time=0 ike_rekey=0 if_id= if_id_lines=
	local version=2 aggressive=no dpd_delay=0

	shift
	for kv in "$@"; do
		case ${kv%%=*} in
		local|remote|local_id|remote_id|psk|ike_prop|esp_prop|local_ts|\
		remote_ts|start|rekey_time|life_time|ike_rekey|if_id|version|\
		aggressive|dpd_delay)
			printf -v "${kv%%=*}" '%s' "${kv#*=}" ;;
		*) echo "ike_swanctl_conf: unknown key '${kv%%=*}'" >&2
		   return 2 ;;
		esac
	done
	[ -n "$local_id" ] || local_id=$local
	[ -n "$remote_id" ] || remote_id=$remote
	[ -z "$if_id" ] ||
		printf -v if_id_lines '\n        if_id_in = %s\n        if_id_out = %s' \
			"$if_id" "$if_id"
	# One setting per line: swanctl.conf refuses two on one line.
	cat > "$IKE_TMP/$name/swanctl/swanctl.conf" <<-CONF
	connections {
	  t {
	    version = $version
	    aggressive = $aggressive
	    local_addrs = $local
	    remote_addrs = $remote
	    proposals = $ike_prop
	    rekey_time = $ike_rekey
	    dpd_delay = $dpd_delay
	    mobike = no
	    local {
	      auth = psk
	      id = $local_id
	    }
	    remote {
	      auth = psk
	      id = $remote_id
	    }
	    children {
	      c {
	        mode = tunnel
	        esp_proposals = $esp_prop
	        local_ts = $local_ts
	        remote_ts = $remote_ts
	        rekey_time = $rekey_time
	        life_time = $life_time
	        start_action = $start$if_id_lines
	      }
	    }
	  }
	}
	secrets {
	  ike-1 {
	    id-1 = $local_id
	    id-2 = $remote_id
	    secret = "$psk"
	  }
	}
	CONF
	chmod 0600 "$IKE_TMP/$name/swanctl/swanctl.conf"
}

# ike_swanctl_load NAME: (re)load NAME's swanctl.conf into its charon
# (swanctl runs in the host's mount namespace: give it the file).
ike_swanctl_load() {
	ike_swanctl "$1" --load-all --noprompt \
		--file "$IKE_TMP/$1/swanctl/swanctl.conf" >/dev/null
}

# ike_spi NAME: the initiator SPI of charon NAME's established IKE SA;
# ike_spi_changed NAME OLD: it is there and no longer OLD.
ike_spi() {
	ike_swanctl "$1" --list-sas 2>/dev/null |
		sed -n 's/.*ESTABLISHED, IKEv[12], \([0-9a-f]*\)_i.*/\1/p' | head -n1
}

ike_spi_changed() {
	local now

	now=$(ike_spi "$1")
	[ -n "$now" ] && [ "$now" != "$2" ]
}

# ike_wait TIMEOUT CMD...: retry CMD every 0.2 s until it succeeds.
ike_wait() {
	local t=$1 i

	shift
	for i in $(seq $((t * 5))); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}

# ike_charon_established NAME [N]: charon NAME holds at least N (1)
# installed Child SAs.
ike_charon_established() {
	local n=${2:-1}

	[ "$(ike_swanctl "$1" --list-sas 2>/dev/null | grep -c 'INSTALLED, TUNNEL')" -ge "$n" ]
}

# ike_charon_keys LOG: the Child SA keys charon logged (chd = 4), one line
# per SA in the order charon installed them:
#   dir=in|out spi=0x%08x ekey=HEX akey=HEX|-
# Per Child SA, charon logs four keys as hex dumps ("encryption initiator
# key => N bytes", ... "integrity responder key"), then "adding inbound
# ESP SA" and "adding outbound ESP SA" (or "registering ..."), each
# followed by "SPI 0x...".
# The initiator keys protect what the initiator of the exchange sends
# (RFC 7296, 2.17); the worker thread that installs the SA is the one
# that parsed the IKE_AUTH or CREATE_CHILD_SA message before, a request
# when charon is the responder and a response when it is the initiator.
# Lines of different threads interleave, so everything is kept per
# thread (the number before "[CHD]").
ike_charon_keys() {
	awk '
	{
		if (!match($0, /[0-9]+\[[A-Z]+\] /)) next
		t = substr($0, RSTART, RLENGTH)
		sub(/\[.*/, "", t)
		msg = substr($0, RSTART + RLENGTH)
	}
	# A hex dump line: "  16: 12 34 ... ab  ascii".
	cur[t] != "" && msg ~ /^ *[0-9]+: [0-9A-F][0-9A-F] / {
		line = msg
		sub(/^ *[0-9]+: /, "", line)
		n = split(line, w, " ")
		for (i = 1; i <= n && i <= 16; i++) {
			if (w[i] !~ /^[0-9A-F][0-9A-F]$/) break
			key[t, cur[t]] = key[t, cur[t]] tolower(w[i])
		}
		next
	}
	{ cur[t] = "" }
	msg ~ /^parsed (IKE_AUTH|CREATE_CHILD_SA|QUICK_MODE) request/ { role[t] = "r" }
	msg ~ /^parsed (IKE_AUTH|CREATE_CHILD_SA|QUICK_MODE) response/ { role[t] = "i" }
	msg ~ /^(encryption|integrity) (initiator|responder) key =>/ {
		split(msg, kw, " ")
		cur[t] = kw[1] "_" kw[2]
		key[t, cur[t]] = ""
		next
	}
	# A rekey responder registers its outbound SA and adds it once the
	# old one is deleted (make-before-break): the first mention counts.
	msg ~ /^(adding|registering) (inbound|outbound) ESP SA/ {
		split(msg, kw, " ")
		dir[t] = kw[2] == "inbound" ? "in" : "out"
		next
	}
	msg ~ /^ *SPI 0x[0-9a-f]+, src/ && dir[t] != "" {
		spi = msg
		sub(/^ *SPI /, "", spi)
		sub(/,.*/, "", spi)
		# Our inbound SA carries what the other side sends.
		if ((dir[t], spi) in seen) {
			dir[t] = ""
			next
		}
		seen[dir[t], spi] = 1
		who = (dir[t] == "in") == (role[t] == "i") ? "responder" : "initiator"
		ek = key[t, "encryption_" who]
		ak = key[t, "integrity_" who]
		printf "dir=%s spi=%s ekey=%s akey=%s\n", dir[t], spi, \
			ek == "" ? "-" : ek, ak == "" ? "-" : ak
		dir[t] = ""
	}
	' "$1"
}

# ike_record_keys FILE: the recording backend's add lines in the same
# form as ike_charon_keys.
ike_record_keys() {
	sed -n 's/^add [^ ]* \(dir=[a-z]*\) \(spi=0x[0-9a-f]*\) enc=[^ ]* \(ekey=[0-9a-f-]*\) integ=[^ ]* \(akey=[0-9a-f-]*\) .*/\1 \2 \3 \4/p' "$1"
}

# ike_mirror: read "dir=.. spi=.. ekey=.. akey=.." lines and swap in/out,
# sorted: what the peer must have recorded.
ike_mirror() {
	sed 's/^dir=in /dir=X /; s/^dir=out /dir=in /; s/^dir=X /dir=out /' | sort
}

# ---- ikehelper with the recording backend, in $NS_L ----------------------
#
# IKEH (a directory) holds ikehelper.conf, the record, the control socket
# and the log; IKEH_PID the daemon.

# ikeh_start: in $IKEH_NS ($NS_L), with the recording backend unless
# IKEH_RECORD=0 (then the module's), up within IKEH_START_WAIT s (5).
ikeh_start() {
	local be=()

	rm -f "$IKEH/ctl.sock"
	if [ "${IKEH_RECORD:-1}" = 1 ]; then
		rm -f "$IKEH/record"
		install -m 0600 /dev/null "$IKEH/record"
		be=(--backend "record:$IKEH/record")
	fi
	ip netns exec "${IKEH_NS:-$NS_L}" "$IKEHELPER" -f "$IKEH/ikehelper.conf" \
		"${be[@]}" --control "$IKEH/ctl.sock" \
		--debug 2>>"$IKEH/ikehelper.log" &
	IKEH_PID=$!
	__ike_pids+=("$IKEH_PID")
	ike_wait "${IKEH_START_WAIT:-5}" test -S "$IKEH/ctl.sock"
}

ikeh_stop() {
	[ -n "$IKEH_PID" ] || return 0
	kill -TERM "$IKEH_PID" 2>/dev/null
	wait "$IKEH_PID" 2>/dev/null
	IKEH_PID=
}

ikectl() {
	"$IKEVTICTL" --socket "$IKEH/ctl.sock" "$@"
}

# keys_match WHAT N: ikehelper recorded N SAs, the mirror of charon's.
keys_match() {
	local mine theirs

	mine=$(ike_record_keys "$IKEH/record" | sort)
	theirs=$(ike_charon_keys "$IKE_TMP/R/charon.log" | ike_mirror)
	if [ "$(echo "$mine" | grep -c .)" != "$2" ] || [ "$mine" != "$theirs" ]; then
		echo "# ikehelper recorded:"; echo "$mine" | sed 's/^/#   /'
		echo "# charon derived (mirrored):"; echo "$theirs" | sed 's/^/#   /'
		ike_ok 1 "$1: $2 SAs, ikehelper's keys == charon's"
		return 1
	fi
	ike_ok 0 "$1: $2 SAs, ikehelper's keys == charon's"
}

# sa_balance: every SA ikehelper added was deleted again.
sa_balance() {
	local added deleted

	added=$(sed -n 's/^add \([^ ]*\) \(dir=[a-z]*\) \(spi=0x[0-9a-f]*\) .*/\1 \2 \3/p' "$IKEH/record" | sort)
	deleted=$(sed -n 's/^del \([^ ]*\) \(dir=[a-z]*\) \(spi=0x[0-9a-f]*\)$/\1 \2 \3/p' "$IKEH/record" | sort)
	[ -n "$added" ] && [ "$added" = "$deleted" ]
}

charon_no_sa() {
	! ike_swanctl R --list-sas 2>/dev/null | grep -q ESTABLISHED
}
