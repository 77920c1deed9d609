#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed requests: each SA request over the "ikevti" generic-netlink
# family, and each ikevti link request over rtnetlink, is refused with its
# own errno and extack message; none of them changes the SAs already
# there; an unprivileged caller gets EPERM.  Requests are hand-built
# (genl.py, rtnl_link.py) so that ikevtictl's and ip(8)'s own checks cannot
# hide the kernel's.
#
#   +----------------------------------------------------------+
#   | ns A                                                     |
#   |  ikv0: in 0x1000 aes-gcm (lifetime, selector),           |
#   |        out 0x1001 aes-cbc + hmac-sha256                  |
#   |  ikv1: in 0x2000 aes-gcm          (same underlay as ikv0)|
#   |  lo                               (not an ikevti device) |
#   |  genl.py --batch as root, then as nobody; rtnl_link.py   |
#   +----------------------------------------------------------+

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd python3 setpriv jq

GENL="python3 $IKEVTI_SELFTESTS_DIR/helpers/genl.py"
RTNL="python3 $IKEVTI_SELFTESTS_DIR/helpers/rtnl_link.py"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
# Commands and attributes, from uapi/linux/ikevti.h.
NEW=2 SET=3 DEL=4 GET=5
IN=1 OUT=2
GCM=5 CBC=4 DES=2 SHA256=3
K16=00112233445566778899aabbccddeeff
K20=${K16}01020304
K32=$K16$K16

kmsg_mark
setup_ns A || exit $ksft_fail
ip -n "$A" link add ikv0 type ikevti || exit $ksft_fail
ip -n "$A" link add ikv1 type ikevti || exit $ksft_fail

# JSON attribute lists for genl.py: sa_on DEV SA-ATTR..., sa SA-ATTR...
sa_on() {
	local d=$1
	shift
	local IFS=,
	printf '[[4,"str","%s"],[5,"nest",[%s]]]' "$d" "$*"
}
sa() { sa_on ikv0 "$@"; }
id() { printf '[1,"u8",%s],[2,"be32","%s"]' "$1" "$2"; }
gcm() { printf '[3,"u16",%s],[4,"bin","%s"]' $GCM "${1:-$K20}"; }
cbc() { printf '[3,"u16",%s],[4,"bin","%s"],[5,"u16",%s],[6,"bin","%s"]' \
	$CBC "${1:-$K16}" $SHA256 "${2:-$K32}"; }
lt() { printf '[9,"nest",[[%s,"u64",%s],[%s,"u64",%s]]]' "$1" "$2" "$3" "$4"; }
# ts START END [PORT-START PORT-END]: one selector entry.
ts() {
	printf '[1,"nest",[[1,"bin","%s"],[2,"bin","%s"]%s]]' "$1" "$2" \
		"${3:+,[4,\"u16\",$3],[5,\"u16\",$4]}"
}
ts_remote() { local IFS=,; printf '[11,"nest",[%s]]' "$*"; }

descs=() wants=() reqs=()
# t DESC WANT CMD ATTRS: one request and the exact answer it must get.
t() {
	descs+=("$1")
	wants+=("$2")
	reqs+=("$3 $4")
}
# Both names of errno 95 mean the same; Python picks one of them.
answers() { sed 's/^error ENOTSUP:/error EOPNOTSUPP:/'; }

EINVAL="error EINVAL: ikevti:"
RANGE="error ERANGE: integer out of range"
POLICY="error ERANGE: Attribute failed policy validation"
ENOSA="error ENOENT: ikevti: no SA with this SPI and direction on the device"
NAMED="$EINVAL an SA is named by IKEVTI_SA_A_DIR and IKEVTI_SA_A_SPI"

# The good SAs, which must come through everything below unchanged.
t "good: ikv0 in 0x1000 aes-gcm, lifetime and selector" ok $NEW \
	"$(sa "$(id $IN 0x1000)" "$(gcm)" "$(lt 1 100 2 200)" \
		"$(ts_remote "$(ts 0a000000 0a0000ff)")")"
t "good: ikv0 out 0x1001 aes-cbc + hmac-sha256" ok $NEW \
	"$(sa "$(id $OUT 0x1001)" "$(cbc)")"
t "good: ikv1 in 0x2000 aes-gcm" ok $NEW "$(sa_on ikv1 "$(id $IN 0x2000)" "$(gcm)")"

# Which device.
ID=$(id $IN 0x3000)
t "no device named" "$EINVAL the request names no device (IKEVTI_A_IFINDEX or IKEVTI_A_IFNAME)" \
	$NEW "[[5,\"nest\",[$ID,$(gcm)]]]"
t "an unknown device name" "error ENODEV: ikevti: no such device in this namespace" \
	$NEW "$(sa_on nope0 "$ID" "$(gcm)")"
t "an unknown ifindex" "error ENODEV: ikevti: no such device in this namespace" \
	$NEW "[[3,\"u32\",99999],[5,\"nest\",[$ID,$(gcm)]]]"
t "a device that is not ikevti (lo)" "error EOPNOTSUPP: ikevti: the device is not an ikevti device" \
	$NEW "$(sa_on lo "$ID" "$(gcm)")"
t "a device name longer than IFNAMSIZ" "error EINVAL: Attribute failed policy validation" \
	$NEW "$(sa_on ikv0123456789abcdef "$ID" "$(gcm)")"

# Which SA.
t "no IKEVTI_A_SA" "$EINVAL the request has no IKEVTI_A_SA" $NEW '[[4,"str","ikv0"]]'
t "no direction" "$NAMED" $NEW "$(sa '[2,"be32",12288]' "$(gcm)")"
t "no SPI" "$NAMED" $NEW "$(sa '[1,"u8",1]' "$(gcm)")"
t "direction 3" "$RANGE" $NEW "$(sa "$(id 3 0x3000)" "$(gcm)")"
t "direction 0" "$RANGE" $NEW "$(sa "$(id 0 0x3000)" "$(gcm)")"
t "an SPI of 2 bytes" "error EINVAL: invalid attribute length" \
	$NEW "$(sa '[1,"u8",1],[2,"u16",12288]' "$(gcm)")"
t "SPI 0 (reserved)" "$EINVAL SPI values 0-255 are reserved" $NEW "$(sa "$(id $IN 0)" "$(gcm)")"
t "SPI 255 (reserved)" "$EINVAL SPI values 0-255 are reserved" $NEW "$(sa "$(id $IN 255)" "$(gcm)")"
t "SPI 256: the first one allowed" ok $NEW "$(sa "$(id $IN 256)" "$(gcm)")"
t "and away again" ok $DEL "$(sa "$(id $IN 256)")"

# Transforms and keys.
t "no encryption algorithm" "$EINVAL missing encryption algorithm (IKEVTI_SA_A_ENC)" \
	$NEW "$(sa "$ID")"
t "encryption algorithm 99" "$RANGE" $NEW "$(sa "$ID" "[3,\"u16\",99],[4,\"bin\",\"$K20\"]")"
t "encryption algorithm 0" "$RANGE" $NEW "$(sa "$ID" "[3,\"u16\",0],[4,\"bin\",\"$K20\"]")"
t "integrity algorithm 99" "$RANGE" \
	$NEW "$(sa "$ID" "[3,\"u16\",$CBC],[4,\"bin\",\"$K16\"],[5,\"u16\",99],[6,\"bin\",\"$K32\"]")"
t "no encryption key" "$EINVAL missing encryption key (IKEVTI_SA_A_ENC_KEY)" \
	$NEW "$(sa "$ID" "[3,\"u16\",$GCM]")"
t "aes-gcm: a key without its salt" \
	"$EINVAL aes-gcm key must be 16, 24 or 32 bytes plus a 4-byte salt" \
	$NEW "$(sa "$ID" "$(gcm $K16)")"
t "aes-cbc: a 17-byte key" "$EINVAL aes-cbc key must be 16, 24 or 32 bytes" \
	$NEW "$(sa "$ID" "$(cbc ${K16}00)")"
t "hmac-sha256: a 16-byte key" "$EINVAL hmac-sha256-128 key must be 32 bytes" \
	$NEW "$(sa "$ID" "$(cbc $K16 $K16)")"
t "an encryption key longer than any (37 bytes)" "$POLICY" \
	$NEW "$(sa "$ID" "$(gcm $K32${K16:0:10})")"
t "an integrity key longer than any (65 bytes)" "$POLICY" \
	$NEW "$(sa "$ID" "$(cbc $K16 $K32${K32}00)")"
t "aes-cbc without integrity" "$EINVAL this encryption algorithm needs an integrity algorithm" \
	$NEW "$(sa "$ID" "[3,\"u16\",$CBC],[4,\"bin\",\"$K16\"]")"
t "an integrity algorithm without its key" "$EINVAL missing integrity key (IKEVTI_SA_A_AUTH_KEY)" \
	$NEW "$(sa "$ID" "[3,\"u16\",$CBC],[4,\"bin\",\"$K16\"],[5,\"u16\",$SHA256]")"
t "an AEAD with an integrity algorithm" "$EINVAL an AEAD transform takes no integrity algorithm" \
	$NEW "$(sa "$ID" "$(gcm)" "[5,\"u16\",$SHA256],[6,\"bin\",\"$K32\"]")"
t "single DES without the legacy flag" "$EINVAL single DES is broken; it needs IKEVTI_SA_F_LEGACY" \
	$NEW "$(sa "$ID" "[3,\"u16\",$DES],[4,\"bin\",\"${K16:0:16}\"],[5,\"u16\",$SHA256],[6,\"bin\",\"$K32\"]")"
t "an unknown flag bit (0x100)" "error EINVAL: reserved bit set" \
	$NEW "$(sa "$ID" "$(gcm)" '[7,"u32",256]')"

# Replay window, lifetimes, selectors.
t "a replay window above 2^20" "$RANGE" $NEW "$(sa "$ID" "$(gcm)" '[8,"u32",1048577]')"
t "soft seconds above hard" "$EINVAL a soft lifetime exceeds its hard lifetime" \
	$NEW "$(sa "$ID" "$(gcm)" "$(lt 1 20 2 10)")"
t "soft packets above hard" "$EINVAL a soft lifetime exceeds its hard lifetime" \
	$NEW "$(sa "$ID" "$(gcm)" "$(lt 5 20 6 10)")"
t "a selector of two families" "$EINVAL a selector's addresses must be of one family" \
	$NEW "$(sa "$ID" "$(gcm)" "$(ts_remote "$(ts 0a000001 fd000000000000000000000000000001)")")"
t "a selector that ends before it starts" "$EINVAL a selector range ends before it starts" \
	$NEW "$(sa "$ID" "$(gcm)" "$(ts_remote "$(ts 0a000009 0a000001)")")"
t "a port range that ends before it starts" "$EINVAL a selector range ends before it starts" \
	$NEW "$(sa "$ID" "$(gcm)" "$(ts_remote "$(ts 0a000001 0a000009 90 80)")")"
t "a selector address of 5 bytes" "$EINVAL an address is 4 or 16 bytes" \
	$NEW "$(sa "$ID" "$(gcm)" "$(ts_remote "$(ts 0a00000100 0a00000900)")")"
t "a selector without its end" "$EINVAL a traffic selector needs ADDR_START and ADDR_END" \
	$NEW "$(sa "$ID" "$(gcm)" '[11,"nest",[[1,"nest",[[1,"bin","0a000001"]]]]]')"
e=$(ts 0a000001 0a000002)
many16=$(printf "$e,%.0s" {1..16})
t "17 selectors, one more than IKEVTI_TS_MAX" "error E2BIG: ikevti: too many traffic selectors" \
	$NEW "$(sa "$ID" "$(gcm)" "[11,\"nest\",[$many16$e]]")"
t "16 selectors: allowed" ok $NEW "$(sa "$ID" "$(gcm)" "[11,\"nest\",[${many16%,}]]")"
t "and away again" ok $DEL "$(sa "$ID")"

# Attributes only replies carry: refused with their own message, or, in
# the nested shape replies give them, by the kernel's strict parser first.
t "IKEVTI_SA_A_STATS in a request" "error EINVAL: IKEVTI_SA_A_STATS is reply-only" \
	$NEW "$(sa "$ID" "$(gcm)" '[16,"u64",1]')"
t "IKEVTI_SA_A_CUR in a request" "error EINVAL: IKEVTI_SA_A_CUR is reply-only" \
	$NEW "$(sa "$ID" "$(gcm)" '[17,"u64",1]')"
t "IKEVTI_A_DEV_STATS in a request" "error EINVAL: IKEVTI_A_DEV_STATS is reply-only" \
	$GET '[[4,"str","ikv0"],[12,"u64",1]]'
t "IKEVTI_SA_A_STATS nested, as a reply has it" "error EINVAL: NLA_F_NESTED not expected" \
	$NEW "$(sa "$ID" "$(gcm)" '[16,"nest",[[1,"u64",1]]]')"

# What the module does not do (yet) is refused, never accepted and ignored.
NOENCAP="error EOPNOTSUPP: ikevti: UDP encapsulation (NAT-T) is not supported yet"
t "a UDP encapsulation source port" "$NOENCAP" $NEW "$(sa "$ID" "$(gcm)" '[12,"u16",4500]')"
t "a UDP encapsulation destination port" "$NOENCAP" $NEW "$(sa "$ID" "$(gcm)" '[13,"u16",4500]')"
t "a starting sequence number on an inbound SA" \
	"$EINVAL a starting sequence number is for outbound SAs" $NEW "$(sa "$ID" "$(gcm)" '[19,"u64",5]')"
t "a starting sequence number beyond 32 bits without ESN" \
	"error ERANGE: ikevti: the sequence number exceeds 32 bits and the SA has no ESN" \
	$NEW "$(sa "$(id $OUT 0x3001)" "$(gcm)" '[19,"u64",4294967296]')"
t "a starting sequence number of 8 bytes: with ESN, allowed" ok \
	$NEW "$(sa "$(id $OUT 0x3001)" "$(gcm)" '[7,"u32",1]' '[19,"u64",4294967296]')"
t "and away again" ok $DEL "$(sa "$(id $OUT 0x3001)")"

# SPIs already taken.
t "the same inbound SPI again" "error EEXIST: ikevti: an SA with this SPI and direction exists on the device" \
	$NEW "$(sa "$(id $IN 0x1000)" "$(gcm)")"
t "the same outbound SPI again" "error EEXIST: ikevti: an SA with this SPI and direction exists on the device" \
	$NEW "$(sa "$(id $OUT 0x1001)" "$(gcm)")"
t "ikv0's inbound SPI on ikv1, same underlay" \
	"error EEXIST: ikevti: another ikevti device of this underlay namespace receives this SPI" \
	$NEW "$(sa_on ikv1 "$(id $IN 0x1000)" "$(gcm)")"
t "the inbound SPI outbound: allowed" ok $NEW "$(sa "$(id $OUT 0x1000)" "$(gcm)")"
t "and away again" ok $DEL "$(sa "$(id $OUT 0x1000)")"

# Changing, deleting and reading SAs.
NEVER="$EINVAL algorithms, keys, flags and sequence numbers of an SA never change; add a new SA"
t "SA_SET: new keys" "$NEVER" $SET "$(sa "$(id $IN 0x1000)" "$(gcm)")"
t "SA_SET: another algorithm" "$NEVER" $SET "$(sa "$(id $IN 0x1000)" "[3,\"u16\",$CBC]")"
t "SA_SET: new flags" "$NEVER" $SET "$(sa "$(id $IN 0x1000)" '[7,"u32",1]')"
t "SA_SET: soft above hard" "$EINVAL a soft lifetime exceeds its hard lifetime" \
	$SET "$(sa "$(id $IN 0x1000)" "$(lt 1 300 2 200)")"
t "SA_SET: a replay window above 2^20" "$RANGE" $SET "$(sa "$(id $IN 0x1000)" '[8,"u32",1048577]')"
t "SA_SET: a selector that ends before it starts" "$EINVAL a selector range ends before it starts" \
	$SET "$(sa "$(id $IN 0x1000)" "$(ts_remote "$(ts 0a000009 0a000001)")")"
t "SA_SET: a starting sequence number" "$NEVER" $SET "$(sa "$(id $OUT 0x1001)" '[19,"u64",5]')"
t "SA_SET: UDP encapsulation ports" "$NOENCAP" $SET "$(sa "$(id $IN 0x1000)" '[12,"u16",4500]')"
t "SA_SET: an unknown SPI" "$ENOSA" $SET "$(sa "$(id $IN 0x9999)" '[8,"u32",64]')"
t "SA_DEL: an unknown SPI" "$ENOSA" $DEL "$(sa "$(id $IN 0x9999)")"
t "SA_DEL: the right SPI, the wrong direction" "$ENOSA" $DEL "$(sa "$(id $OUT 0x2000)")"
t "SA_DEL: no SPI" "$NAMED" $DEL "$(sa '[1,"u8",1]')"
t "SA_GET: an unknown SPI" "$ENOSA" $GET "$(sa "$(id $IN 0x9999)")"
t "SA_GET: ikv1's SA through ikv0" "$ENOSA" $GET "$(sa "$(id $IN 0x2000)")"
t "SA_GET: the good SA is still there" ok $GET "$(sa "$(id $IN 0x1000)")"

mapfile -t got < <(printf '%s\n' "${reqs[@]}" | ip netns exec "$A" $GENL --batch 2>&1 | answers)
for i in "${!reqs[@]}"; do
	check_eq "${descs[i]}" "${wants[i]}" "${got[i]}"
done

# Without CAP_NET_ADMIN nothing goes, not even reading.
mapfile -t got < <(printf '%s\n' "$NEW $(sa "$(id $IN 0x4000)" "$(gcm)")" \
	"$DEL $(sa "$(id $IN 0x1000)")" "$GET $(sa "$(id $IN 0x1000)")" |
	ip netns exec "$A" $NOBODY $GENL --batch 2>&1)
check_match "unprivileged SA_NEW" '^error EPERM' "${got[0]}"
check_match "unprivileged SA_DEL" '^error EPERM' "${got[1]}"
check_match "unprivileged SA_GET" '^error EPERM' "${got[2]}"

# summary DEV: the SAs of DEV as "dir spi enc auth window soft/hard selectors".
summary() {
	ip netns exec "$A" "$IKEVTICTL" --json sa show "$1" | jq -r '[.[] |
		"\(.dir) \(.spi) \(.enc) \(.auth) \(.replay_window // "-")" +
		" \(.lifetime.soft_secs)/\(.lifetime.hard_secs)" +
		" \(.ts_remote | length)"] | join(", ")'
}
check_eq "after all that, ikv0 has its two good SAs, unchanged" \
	"out 4097 aes-cbc hmac-sha256-128 - 0/0 0, in 4096 aes-gcm none 1024 100/200 1" \
	"$(summary ikv0)"
check_eq "and ikv1 its one" "in 8192 aes-gcm none 1024 0/0 0" "$(summary ikv1)"

# Link attributes, straight to the kernel (IFLA_IKEVTI_*).
V4A='[1,"bin","0a000001"]'
V4B='[2,"bin","0a000002"]'
descs=() wants=() reqs=()
l() { descs+=("$1"); wants+=("$2"); reqs+=("$3"); }
l "link: local IPv4, remote IPv6" \
	"$EINVAL local, remote and nexthop must be of one address family" \
	"bad0 [$V4A,[2,\"bin\",\"fc000000000000000000000000000002\"]]"
l "link: an address of 5 bytes" "$EINVAL an address is 4 or 16 bytes" \
	"bad0 [[1,\"bin\",\"0a00000100\"]]"
l "link: tos with ECN bits" \
	"$EINVAL tos must not set the ECN bits; ECN follows RFC 6040" "bad0 [$V4A,$V4B,[7,\"u8\",3]]"
l "link: an underlay device that does not exist" \
	"error ENODEV: ikevti: no such underlay device" "bad0 [$V4A,$V4B,[3,\"u32\",99999]]"
l "link: a next hop without dev" \
	"$EINVAL a nexthop needs dev, the interface that reaches it" \
	"bad0 [$V4A,$V4B,[4,\"bin\",\"0a0000fe\"]]"
l "link: a replay window above 2^20" "$RANGE" "bad0 [$V4A,$V4B,[8,\"u32\",1048577]]"
l "link: mode 2" "$RANGE" "bad0 [$V4A,$V4B,[9,\"u8\",2]]"
l "link: the same, well formed, is created" ok "good0 [$V4A,$V4B,[7,\"u8\",4]]"
mapfile -t got < <(printf '%s\n' "${reqs[@]}" | ip netns exec "$A" $RTNL 2>&1 | answers)
for i in "${!reqs[@]}"; do
	check_eq "${descs[i]}" "${wants[i]}" "${got[i]}"
done
check_eq "no link came of the bad ones" "good0 ikv0 ikv1" \
	"$(ip -n "$A" -j link show type ikevti | jq -r '[.[].ifname] | sort | join(" ")')"

# The ip(8) plugin catches these before the kernel sees them.
check_fail "ip link: the plugin refuses local and remote of two families" \
	ip -n "$A" link add bad1 type ikevti local 10.0.0.1 remote fc00::2
check_fail "ip link: the plugin refuses tos with ECN bits" \
	ip -n "$A" link add bad1 type ikevti tos 0x3

kmsg_check "kernel log stays clean"
finish
