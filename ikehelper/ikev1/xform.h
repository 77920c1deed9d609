/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 transforms in the terms the rest of ikehelper speaks: IKEv2
 * transform IDs for ciphers, PRFs and integrity (names.h says those are
 * canonical), lifetimes as numbers.  One decoder and one encoder for the
 * phase 1 transform (KEY_IKE, RFC 2409 Appendix A) and for the ESP
 * transform of Quick Mode (RFC 2407 4.4.4, 4.5).
 *
 * A decoder reads every attribute of the transform and refuses the
 * transform, with the notify RFC 2408 5.6 gives, when one is unknown, has
 * a value we cannot honour, or a required one is missing: "never accept
 * and ignore".  Proposal selection skips refused transforms and answers
 * NO-PROPOSAL-CHOSEN when none is left.
 */
#ifndef IKEHELPER_IKEV1_XFORM_H
#define IKEHELPER_IKEV1_XFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "payload.h"

/* A phase 1 transform. */
struct v1xf_ike {
	uint16_t encr;		/* IKEV2_ENCR_DES, _3DES, _AES_CBC */
	uint16_t encr_bits;	/* AES: 128, 192, 256; 0: the cipher's own */
	uint16_t hash;		/* IKEV1_HASH_* as negotiated */
	uint16_t prf;		/* IKEV2_PRF_HMAC_* of that hash (RFC 2409 4) */
	uint16_t auth;		/* IKEV1_AUTH_* */
	uint16_t group;		/* IKEV1_GROUP_* = IKEV2_DH_* for MODP, ECP */
	uint32_t life_secs;	/* 0: not given */
	uint32_t life_kbytes;	/* 0: not given */
};

/*
 * xf (of a PROTO_ISAKMP proposal) into out.  V1_E_TRANSFORM unless its
 * ID is KEY_IKE; V1_E_ATTRIBUTES when an attribute is unknown or
 * unsupported (a private group, the PRF attribute, which no RFC defines
 * a value for, a cipher other than DES, 3DES and AES-CBC, AES without
 * Key Length: RFC 3602 5.3), or when encryption, hash, authentication
 * method or group is missing (RFC 2409 Appendix A).  Lifetimes that do
 * not fit 32 bits are refused too.
 */
enum v1_err v1xf_ike_decode(const struct v1pl_transform *xf,
			    struct v1xf_ike *out);

/* The transform for in, numbered num; false if in cannot be encoded. */
bool v1xf_ike_encode(const struct v1xf_ike *in, uint8_t num,
		     struct v1pl_transform *xf);

/* An ESP transform of Quick Mode. */
struct v1xf_esp {
	uint16_t encr;		/* IKEV2_ENCR_* */
	uint16_t encr_bits;	/* the Key Length attribute; 0: none */
	uint16_t integ;		/* IKEV2_INTEG_*; IKEV2_INTEG_NONE with AEAD */
	uint16_t encap;		/* IKEV1_ENCAP_*; 0: not given */
	uint16_t group;		/* PFS group; 0: no PFS */
	bool esn;
	uint32_t life_secs;	/* 0: not given */
	uint32_t life_kbytes;	/* 0: not given */
};

/*
 * xf (of a PROTO_IPSEC_ESP proposal) into out.  V1_E_TRANSFORM for a
 * transform ID we have no cipher for; V1_E_ATTRIBUTES for an unknown or
 * unsupported attribute or value, AES or AES-GCM without Key Length
 * (RFC 3602 5.3, RFC 4106 8.4), an authentication algorithm with an
 * AEAD (RFC 4106 8.4) or none without one.
 */
enum v1_err v1xf_esp_decode(const struct v1pl_transform *xf,
			    struct v1xf_esp *out);

bool v1xf_esp_encode(const struct v1xf_esp *in, uint8_t num,
		     struct v1pl_transform *xf);

/* The IKEV2_PRF_HMAC_* of an IKEv1 hash, or 0 if none. */
uint16_t v1xf_hash_prf(uint16_t hash);

#endif /* IKEHELPER_IKEV1_XFORM_H */
