#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ikevti's ESP against the kernel's own crypto test vectors (crypto/
# testmgr.h, re-formatted in ../shared/vectors/linux-testmgr/): each vector
# that is, or can be read as, an ESP packet (SPI and sequence number from
# its AAD) is sent to an inbound SA with the vector's key and SPI (anti-
# replay off, as the derived packets below reuse the sequence number);
# testmgr_esp.py does the mapping, the sending and the reading back.
#
#   +--------------------------------------+  veth  +---------------------------+
#   | ns L  l0 10.99.0.1                   |--------| ns R  r0 10.99.0.2        |
#   |  ikevti0 local 10.99.0.1             |        |                           |
#   |          remote 10.99.0.2            |<-------+-- raw IPPROTO_ESP socket: |
#   |  inbound SA per vector: its key and  |        |   SPI|seq|IV|ct|ICV from  |
#   |   SPI (both from the vector)         |        |   the vector              |
#   |  packet socket on ikevti0: the       |        |                           |
#   |   decrypted inner packet             |        |                           |
#   |  172.31.0.1 peer 172.31.0.2: UDP out |------->| (ESP dropped here)        |
#   |   through an outbound SA; packet     |        |                           |
#   |   socket on l0 reads the ESP         |        |                           |
#   +--------------------------------------+        +---------------------------+
#
# testmgr's plaintexts are rarely whole inner packets, and ikevti only
# delivers IPv4/IPv6 (next header 4/41), so most vectors are checked
# through the SA's counters: every drop has its own, and the ICV is
# checked first (integrity failed), then the trailer (invalid padding),
# then the next header (unknown protocol).  What each vector proves:
#
# rfc4106_gcm_aes (AES-GCM, 16-byte ICV; AAD = SPI|seq or, with ESN,
# SPI|seq_hi|seq_lo):
#   #4 #5 #6 #19 (AES-128), #20 (AES-128, ESN, high half 0): the vector's
#     tag verifies over ikevti's AAD, and the plaintext's RFC 4303 trailer
#     (pad 1..n, next header 1) decrypts as the vector says: unknown
#     protocol.  #20 has no pad bytes, so only its last two bytes count.
#   #9 #10 (AES-128), #14 (AES-192), #15 (AES-128, ESN): as above; their
#     plaintexts are IPv4 packets (draft-mcgrew-gcm-test-01), so a derived
#     packet, next header 1 turned into 4 in the ciphertext and the tag
#     recomputed by python-cryptography, is delivered to ikevti0 byte for
#     byte as the vector's plaintext: the whole keystream is the vector's.
#   #2 #5 #6 (IV 1), outbound: the first packet of an outbound SA with
#     the vector's key has IV 1, so its ciphertext xor plaintext must be
#     the vector's keystream (16, 16, 64 bytes); its ICV is checked with
#     python-cryptography only (ikevti's AAD is not the vector's).
#   Not ESP packets: #1 #2 #3 #11 (SPI 0), and #7 #8 #12 #13 #16 #17 #18
#     #21 #22 #23 (ESN high half not 0: a new SA receives in block 0, and
#     can only move up one block per 2^32 packets).
# authenc_hmac_sha{1,256,512}_cbc_aes #5 (RFC 3602 case 5; SPI 0x4321,
#   seq 1, AES-128): the vector's HMAC, truncated to 96/128/256 bits,
#   verifies over SPI|seq|IV|ciphertext, and its padding 1..14 with next
#   header 1 decrypts right: unknown protocol.  Derived: C[n-1] replaced so
#   that, if D(C[n]) is what the vector says, the last block is a trailer
#   with next header 99 (ICV recomputed with python's hmac): unknown
#   protocol again, where anything else would be invalid padding.
#   The other cases authenticate only the IV (assoc = IV): not ESP.
# authenc_hmac_sha{1,256,384,512}_cbc_des3_ede #1 (SPI 0x4321, seq 1): the
#   vector's ICV verifies; its plaintext has no trailer, so invalid padding
#   proves the ICV but not the decryption; the derived packet (as for AES)
#   proves that the last block decrypts as the vector says.
# authenc_hmac_{md5,sha1}_null (RFC 2410 cases): the HMAC covers the
#   payload alone (empty assoc), never an ESP packet.
# Every mapped vector's packet is first sent with one ICV bit flipped:
# integrity failure, so a verifying ICV is told apart from none.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd python3
python3 -c 'import cryptography.hazmat.primitives.ciphers.aead' 2>/dev/null ||
	skip "python3-cryptography is not installed (make deps)"
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
VEC=$(find_vectors linux-testmgr)
[ -n "$VEC" ] ||
	skip "no shared/vectors/linux-testmgr beside the tree ($IKEVTI_TOP/../shared; set IKEVTI_VECTORS)"
FILES=(rfc4106_gcm_aes.txt authenc_hmac_sha1_cbc_aes.txt
       authenc_hmac_sha256_cbc_aes.txt authenc_hmac_sha512_cbc_aes.txt
       authenc_hmac_sha1_cbc_des3_ede.txt authenc_hmac_sha256_cbc_des3_ede.txt
       authenc_hmac_sha384_cbc_des3_ede.txt authenc_hmac_sha512_cbc_des3_ede.txt
       authenc_hmac_md5_null.txt authenc_hmac_sha1_null.txt)
for f in "${FILES[@]}"; do
	[ -r "$VEC/$f" ] || skip "$VEC/$f is missing"
done

kmsg_mark
setup_ns L R || exit $ksft_fail
ip link add l0 netns "$L" type veth peer name r0 netns "$R"
ip -n "$L" addr add 10.99.0.1/24 dev l0
ip -n "$R" addr add 10.99.0.2/24 dev r0
ip -n "$L" link set l0 up
ip -n "$R" link set r0 up
ip -n "$L" link add ikevti0 type ikevti local 10.99.0.1 remote 10.99.0.2
ip -n "$L" addr add 172.31.0.1/32 peer 172.31.0.2/32 dev ikevti0
# Nothing but the test's own packets may use an outbound SA.
ip netns exec "$L" sysctl -q -w net.ipv6.conf.ikevti0.disable_ipv6=1
ip -n "$L" link set ikevti0 up
ip netns exec "$L" ping -q -c 1 -W 2 10.99.0.2 >/dev/null

rx0=$(dev_stat "$L" ikevti0 rx_packets)
err0=$(dev_stat "$L" ikevti0 rx_errors)

out=$(ip netns exec "$L" python3 "$IKEVTI_SELFTESTS_DIR/helpers/testmgr_esp.py" \
	--dev ikevti0 --peer-ns "$R" --dst 10.99.0.1 --inner-peer 172.31.0.2 \
	--uplink l0 --ikevtictl "$IKEVTICTL" "${FILES[@]/#/$VEC/}" 2>&1)
rc=$?
check_eq "testmgr_esp.py ran to the end" "0" "$rc"

mapped=
outbound=
while IFS=$'\t' read -r kind desc want got; do
	case $kind in
	check) check_eq "$desc" "$want" "$got" ;;
	note) echo "# $desc" ;;
	mapped) mapped=$desc ;;
	outbound) outbound=$desc ;;
	*) echo "# $kind $desc $want $got" ;;
	esac
done <<<"$out"

# The header promises exactly these; a changed vector file must show.
check_eq "the vectors checked inbound are the ones this header describes" \
	"rfc4106_gcm_aes #4, rfc4106_gcm_aes #5, rfc4106_gcm_aes #6, rfc4106_gcm_aes #9, rfc4106_gcm_aes #10, rfc4106_gcm_aes #14, rfc4106_gcm_aes #15, rfc4106_gcm_aes #19, rfc4106_gcm_aes #20, authenc_hmac_sha1_cbc_aes #5, authenc_hmac_sha256_cbc_aes #5, authenc_hmac_sha512_cbc_aes #5, authenc_hmac_sha1_cbc_des3_ede #1, authenc_hmac_sha256_cbc_des3_ede #1, authenc_hmac_sha384_cbc_des3_ede #1, authenc_hmac_sha512_cbc_des3_ede #1" \
	"$mapped"
check_eq "the vectors checked outbound are the ones this header describes" \
	"rfc4106_gcm_aes #2, rfc4106_gcm_aes #5, rfc4106_gcm_aes #6" "$outbound"

# 16 vectors: 16 bad ICVs and 16 vector packets dropped, 7 derived CBC
# packets dropped (unknown protocol), 4 derived GCM packets delivered.
check_eq "ikevti0 received the 4 derived GCM packets" 4 \
	$(($(dev_stat "$L" ikevti0 rx_packets) - rx0))
check_eq "ikevti0 counted the 39 others as receive errors" 39 \
	$(($(dev_stat "$L" ikevti0 rx_errors) - err0))

kmsg_check "kernel log stays clean"
finish
