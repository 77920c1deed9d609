/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 Vendor IDs that negotiate something: NAT traversal (RFC 3947 and
 * the drafts before it), DPD (RFC 3706), XAUTH, Cisco Unity.  Each is the
 * start of an MD5 hash of a string the specification or the vendor
 * chose, sometimes followed by version bytes.  The list keeps the bytes
 * and the string they come from; the unit test recomputes every hash.
 *
 * Other Vendor IDs (software versions) are logged and otherwise ignored,
 * as RFC 2408 3.16 intends: they offer nothing to accept or refuse.
 */
#ifndef IKEHELPER_IKEV1_VID_H
#define IKEHELPER_IKEV1_VID_H

#include <stddef.h>
#include <stdint.h>

/*
 * X(id, "name", "bytes", length, "hashed string", bytes of MD5 used);
 * after those come version bytes (DPD and Unity: 1.0).
 */
#define V1VID_LIST(X) \
	X(V1VID_NATT_RFC3947, "RFC 3947", \
	  "\x4a\x13\x1c\x81\x07\x03\x58\x45\x5c\x57\x28\xf2\x0e\x95\x45\x2f", \
	  16, "RFC 3947", 16) \
	X(V1VID_NATT_DRAFT_03, "draft-ietf-ipsec-nat-t-ike-03", \
	  "\x7d\x94\x19\xa6\x53\x10\xca\x6f\x2c\x17\x9d\x92\x15\x52\x9d\x56", \
	  16, "draft-ietf-ipsec-nat-t-ike-03", 16) \
	X(V1VID_NATT_DRAFT_02N, "draft-ietf-ipsec-nat-t-ike-02\\n", \
	  "\x90\xcb\x80\x91\x3e\xbb\x69\x6e\x08\x63\x81\xb5\xec\x42\x7b\x1f", \
	  16, "draft-ietf-ipsec-nat-t-ike-02\n", 16) \
	X(V1VID_NATT_DRAFT_02, "draft-ietf-ipsec-nat-t-ike-02", \
	  "\xcd\x60\x46\x43\x35\xdf\x21\xf8\x7c\xfd\xb2\xfc\x68\xb6\xa4\x48", \
	  16, "draft-ietf-ipsec-nat-t-ike-02", 16) \
	X(V1VID_DPD, "Dead Peer Detection", \
	  "\xaf\xca\xd7\x13\x68\xa1\xf1\xc9\x6b\x86\x96\xfc\x77\x57\x01\x00", \
	  16, "CISCO-DEAD-PEER-DETECTION", 14) \
	X(V1VID_XAUTH, "XAUTH", \
	  "\x09\x00\x26\x89\xdf\xd6\xb7\x12", \
	  8, "draft-ietf-ipsra-isakmp-xauth-06.txt", 8) \
	X(V1VID_CISCO_UNITY, "Cisco Unity", \
	  "\x12\xf5\xf2\x8c\x45\x71\x68\xa9\x70\x2d\x9f\xe2\x74\xcc\x01\x00", \
	  16, "CISCO-UNITY", 14)

#define V1VID_ENUM(id, name, bytes, len, src, md5len) id,
enum v1vid { V1VID_UNKNOWN, V1VID_LIST(V1VID_ENUM) V1VID_COUNT };
#undef V1VID_ENUM

struct v1vid_info {
	const char *name;
	const uint8_t *data;
	size_t len;
	const char *source;	/* the string whose MD5 starts data */
	size_t md5_len;		/* bytes of that MD5 in data */
};

/* What vid is; NULL for V1VID_UNKNOWN or out of range. */
const struct v1vid_info *v1vid_get(enum v1vid vid);

/* "RFC 3947", ...; "unknown" for V1VID_UNKNOWN. */
const char *v1vid_name(enum v1vid vid);

/* Which Vendor ID a VID payload's data is: exact match only. */
enum v1vid v1vid_lookup(const uint8_t *data, size_t len);

#endif /* IKEHELPER_IKEV1_VID_H */
