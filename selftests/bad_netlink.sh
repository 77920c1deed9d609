#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed SA requests over the "ikevti" generic-netlink family: each is
# refused with its own errno and extack message, none changes the device,
# and an unprivileged caller gets EPERM.  Requests are hand-built with
# genl.py so that ikevtictl's own checks cannot hide the kernel's.
#
#   +--------------------------------------------+
#   | ns A: ikv0, ikv1 (same underlay), lo       |
#   |   genl.py as root, and as nobody           |
#   +--------------------------------------------+

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd python3 setpriv

GENL="python3 $IKEVTI_SELFTESTS_DIR/genl.py"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
# Commands and attributes, from uapi/linux/ikevti.h.
SA_NEW=2 SA_SET=3 SA_DEL=4 SA_GET=5
K16=00112233445566778899aabbccddeeff
K20=${K16}01020304
K32=$K16$K16

kmsg_mark
setup_ns A || exit $ksft_fail
ip -n "$A" link add ikv0 type ikevti
ip -n "$A" link add ikv1 type ikevti

# expect DESC REGEX CMD JSON-ATTRS
expect() {
	local out

	out=$(ip netns exec "$A" $GENL "$3" "$4" 2>&1)
	check_match "$1" "$2" "$out"
}
# sa JSON-SA-ATTRS: the top-level attributes for device ikv0.
sa() { echo "[[4,\"str\",\"ikv0\"],[5,\"nest\",[$1]]]"; }
ID='[1,"u8",1],[2,"be32",4096]'
GCM="[3,\"u16\",5],[4,\"bin\",\"$K20\"]"

expect "a good SA is added" '^ok' $SA_NEW "$(sa "$ID,$GCM")"
expect "no device named" '^error EINVAL: .*names no device' $SA_NEW "[[5,\"nest\",[$ID,$GCM]]]"
expect "an unknown device" '^error ENODEV: .*no such device' $SA_NEW \
	"[[4,\"str\",\"nope0\"],[5,\"nest\",[$ID,$GCM]]]"
expect "a device that is not ikevti" '^error E(OPNOTSUPP|NOTSUP): .*not an ikevti device' $SA_NEW \
	"[[4,\"str\",\"lo\"],[5,\"nest\",[$ID,$GCM]]]"
expect "no IKEVTI_A_SA" '^error EINVAL: .*no IKEVTI_A_SA' $SA_NEW '[[4,"str","ikv0"]]'
expect "no direction" '^error EINVAL: .*IKEVTI_SA_A_DIR and IKEVTI_SA_A_SPI' $SA_NEW \
	"$(sa "[2,\"be32\",4097],$GCM")"
expect "a direction out of range" '^error ERANGE|^error EINVAL' $SA_NEW \
	"$(sa "[1,\"u8\",3],[2,\"be32\",4097],$GCM")"
expect "a reserved SPI" '^error EINVAL: .*0-255 are reserved' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",255],$GCM")"
expect "an SPI of the wrong size" '^error E(INVAL|RANGE)' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"u16\",4097],$GCM")"
expect "an unknown algorithm" '^error E(INVAL|RANGE)' $SA_NEW \
	"$(sa "$ID,[3,\"u16\",99],[4,\"bin\",\"$K20\"]")"
expect "no encryption algorithm" '^error EINVAL: .*missing encryption algorithm' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097]")"
expect "no key" '^error EINVAL: .*missing encryption key' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],[3,\"u16\",5]")"
expect "an aes-gcm key of the wrong length" '^error EINVAL: .*aes-gcm key must be' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],[3,\"u16\",5],[4,\"bin\",\"$K16\"]")"
expect "an aes-cbc key of the wrong length" '^error EINVAL: .*aes-cbc key must be' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],[3,\"u16\",4],[4,\"bin\",\"${K16}00\"],[5,\"u16\",3],[6,\"bin\",\"$K32\"]")"
expect "an hmac-sha256 key of the wrong length" '^error EINVAL: .*hmac-sha256-128 key must be 32' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],[3,\"u16\",4],[4,\"bin\",\"$K16\"],[5,\"u16\",3],[6,\"bin\",\"$K16\"]")"
expect "a key longer than any algorithm's" '^error E(INVAL|RANGE)' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],[3,\"u16\",5],[4,\"bin\",\"$K32$K32\"]")"
expect "CBC without integrity" '^error EINVAL: .*needs an integrity algorithm' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],[3,\"u16\",4],[4,\"bin\",\"$K16\"]")"
expect "no integrity key" '^error EINVAL: .*missing integrity key' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],[3,\"u16\",4],[4,\"bin\",\"$K16\"],[5,\"u16\",3]")"
expect "an AEAD with an integrity algorithm" '^error EINVAL: .*AEAD transform takes no integrity' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],$GCM,[5,\"u16\",3],[6,\"bin\",\"$K32\"]")"
expect "single DES without the legacy flag" '^error EINVAL: .*single DES' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],[3,\"u16\",2],[4,\"bin\",\"0011223344556677\"],[5,\"u16\",2],[6,\"bin\",\"${K16}00112233\"]")"
expect "an unknown flag bit" '^error EINVAL' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],$GCM,[7,\"u32\",256]")"
expect "a replay window above the maximum" '^error ERANGE|^error EINVAL' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],$GCM,[8,\"u32\",2000000]")"
expect "a soft lifetime above the hard one" '^error EINVAL: .*soft lifetime exceeds' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],$GCM,[9,\"nest\",[[1,\"u64\",20],[2,\"u64\",10]]]")"
expect "a selector with mixed families" '^error EINVAL: .*one family' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],$GCM,[10,\"nest\",[[1,\"nest\",[[1,\"bin\",\"0a000001\"],[2,\"bin\",\"fd000000000000000000000000000001\"]]]]]")"
expect "a selector that ends before it starts" '^error EINVAL: .*ends before it starts' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],$GCM,[10,\"nest\",[[1,\"nest\",[[1,\"bin\",\"0a000009\"],[2,\"bin\",\"0a000001\"]]]]]")"
many=$(python3 -c 'print(",".join(["[1,\"nest\",[[1,\"bin\",\"0a000001\"],[2,\"bin\",\"0a000002\"]]]"] * 17))')
expect "more than 16 selectors" '^error E2BIG: .*too many traffic selectors' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],$GCM,[10,\"nest\",[$many]]")"
expect "a reply-only attribute in a request" '^error EINVAL: IKEVTI_SA_A_STATS is reply-only' $SA_NEW \
	"$(sa "[1,\"u8\",1],[2,\"be32\",4097],$GCM,[16,\"u32\",1]")"
expect "a duplicate SPI" '^error EEXIST: .*SPI and direction exists' $SA_NEW "$(sa "$ID,$GCM")"
expect "the same inbound SPI on another device of the underlay" \
	'^error EEXIST: .*another ikevti device' $SA_NEW \
	"[[4,\"str\",\"ikv1\"],[5,\"nest\",[$ID,$GCM]]]"
expect "changing the keys of an SA" '^error EINVAL: .*never change' $SA_SET "$(sa "$ID,$GCM")"
expect "changing an unknown SA" '^error ENOENT' $SA_SET "$(sa "[1,\"u8\",1],[2,\"be32\",9999]")"
expect "deleting an unknown SA" '^error ENOENT: .*no SA with this SPI' $SA_DEL \
	"$(sa "[1,\"u8\",1],[2,\"be32\",9999]")"
expect "getting an unknown SA" '^error ENOENT: .*no SA with this SPI' $SA_GET \
	"$(sa "[1,\"u8\",1],[2,\"be32\",9999]")"
out=$(ip netns exec "$A" $NOBODY $GENL $SA_NEW "$(sa "[1,\"u8\",1],[2,\"be32\",8192],$GCM")" 2>&1)
check_match "an unprivileged caller" '^error EPERM' "$out"

check_eq "after all that, ikv0 has its one good SA" 1 \
	"$(ip netns exec "$A" "$IKEVTICTL" --json sa show ikv0 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check_eq "and ikv1 none" 0 \
	"$(ip netns exec "$A" "$IKEVTICTL" --json sa show ikv1 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

# Link attributes the kernel checks itself.
check_fail "a nonexistent outgoing device" ip -n "$A" link add ikv2 type ikevti dev nope0
check_fail "tos with ECN bits" ip -n "$A" link add ikv2 type ikevti tos 0x3
check_fail "a fixed nexthop (not supported yet)" \
	ip -n "$A" link add ikv2 type ikevti local 10.0.0.1 remote 10.0.0.2 dev lo nexthop 10.0.0.254
check_eq "no device was created by any of them" "" "$(ip -n "$A" -o link show ikv2 2>/dev/null)"

kmsg_check "kernel log stays clean"
finish
