// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/ikev1/xform.h: phase 1 and ESP transforms decoded into IKEv2
 * transform IDs and back, against transforms real peers sent (Openswan's
 * lp109, a Cisco peer in tcpdump's ISAKMP_sa_setup.pcap), and refused
 * when an attribute is unknown, unsupported or missing.
 */
#include <string.h>

#include "ikev1/xform.h"
#include "tap.h"
#include "v1_vectors.h"

static struct capture cap;
static struct v1pl_sa sa;

/* The first transform of the SA of the first message of a capture. */
static const struct v1pl_transform *first_xf(const char *pcap)
{
	static struct msg m;
	const struct msg_payload *p;

	if (read_pcap(pcap, &cap) || !cap.n ||
	    msg_validate(cap.msg[0], cap.len[0], &m))
		return NULL;
	p = msg_find(&m, IKEV1_PL_SA, 0);
	if (!p || v1pl_sa_parse(p, &sa) || !sa.n_xf)
		return NULL;
	return &sa.xf[0];
}

static void test_real(void)
{
	const struct v1pl_transform *xf;
	struct v1xf_ike ike;

	xf = first_xf("openswan-unit/libpluto-ikev1-natt-lp109/v1rwnatM1.pcap");
	if (!xf) {
		skip("lp109 v1rwnatM1.pcap not found");
	} else {
		ok(!v1xf_ike_decode(xf, &ike) && ike.encr == IKEV2_ENCR_3DES &&
		   ike.encr_bits == 0 && ike.hash == IKEV1_HASH_MD5 &&
		   ike.prf == IKEV2_PRF_HMAC_MD5 &&
		   ike.auth == IKEV1_AUTH_RSA_SIG &&
		   ike.group == IKEV1_GROUP_MODP2048 && ike.life_secs == 3600 &&
		   !ike.life_kbytes,
		   "lp109 M1: 3DES, HMAC-MD5, RSA, MODP 2048, 3600 s");
	}
	xf = first_xf("tcpdump/ISAKMP_sa_setup.pcap");
	if (!xf) {
		skip("ISAKMP_sa_setup.pcap not found");
	} else {
		ok(!v1xf_ike_decode(xf, &ike) &&
		   ike.encr == IKEV2_ENCR_AES_CBC && ike.encr_bits == 128 &&
		   ike.prf == IKEV2_PRF_HMAC_SHA1 && ike.auth == IKEV1_AUTH_PSK &&
		   ike.group == IKEV1_GROUP_MODP768 && ike.life_secs == 86400,
		   "Cisco: AES-128, HMAC-SHA1, PSK, MODP 768, 86400 s (a TLV)");
	}
	xf = first_xf("tcpdump/isakmp4500.pcap");
	if (!xf) {
		skip("isakmp4500.pcap not found");
	} else {
		unsigned int n = 0;

		for (unsigned int i = 0; i < sa.n_xf; i++)
			n += !v1xf_ike_decode(&sa.xf[i], &ike);
		ok(n == 4 && sa.n_xf == 4 && ike.group == IKEV1_GROUP_MODP1024 &&
		   ike.prf == IKEV2_PRF_HMAC_MD5,
		   "isakmp4500: all 4 offered transforms decode");
	}
}

static void ike_base(struct v1pl_transform *xf)
{
	memset(xf, 0, sizeof(*xf));
	xf->id = IKEV1_KEY_IKE;
	v1pl_attr_add(xf, IKEV1_ATTR_ENCRYPTION, false, 2, IKEV1_ENCR_AES_CBC);
	v1pl_attr_add(xf, IKEV1_ATTR_HASH, false, 2, IKEV1_HASH_SHA2_256);
	v1pl_attr_add(xf, IKEV1_ATTR_AUTH_METHOD, false, 2, IKEV1_AUTH_PSK);
	v1pl_attr_add(xf, IKEV1_ATTR_GROUP_DESC, false, 2, IKEV1_GROUP_MODP2048);
}

static void test_ike(void)
{
	static const struct v1xf_ike set[] = {
		{ IKEV2_ENCR_AES_CBC, 256, IKEV1_HASH_SHA2_512,
		  IKEV2_PRF_HMAC_SHA2_512, IKEV1_AUTH_XAUTH_INIT_PSK,
		  IKEV1_GROUP_ECP384, 28800, 0 },
		{ IKEV2_ENCR_3DES, 0, IKEV1_HASH_SHA1, IKEV2_PRF_HMAC_SHA1,
		  IKEV1_AUTH_RSA_SIG, IKEV1_GROUP_MODP1024, 86400, 100000 },
		{ IKEV2_ENCR_AES_CBC, 192, IKEV1_HASH_SHA2_384,
		  IKEV2_PRF_HMAC_SHA2_384, IKEV1_AUTH_PSK, IKEV1_GROUP_MODP2048_256,
		  0, 0 },
	};
	struct v1pl_transform xf;
	struct v1xf_ike out;
	unsigned int i, bad = 0;

	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if (!v1xf_ike_encode(&set[i], (uint8_t)i, &xf) ||
		    v1xf_ike_decode(&xf, &out) ||
		    memcmp(&out, &set[i], sizeof(out)) || xf.num != i)
			bad++;
	is_int(bad, 0, "phase 1 transforms decode as they were encoded");
	ok(v1xf_ike_encode(&set[1], 1, &xf) &&
	   v1pl_attr_find(&xf, IKEV1_ATTR_LIFE_DURATION)->tlv &&
	   v1pl_attr_find(&xf, IKEV1_ATTR_LIFE_DURATION)->len == 4,
	   "a lifetime over 65535 is sent as a 4-byte TLV");

	ike_base(&xf);
	ok(!v1xf_ike_decode(&xf, &out) && out.encr_bits == 128,
	   "AES without Key Length means 128, as libreswan reads it");
	xf.id = 2;
	is_int(v1xf_ike_decode(&xf, &out), V1_E_TRANSFORM,
	       "transform ID 2 is not KEY_IKE: INVALID-TRANSFORM-ID");
	ike_base(&xf);
	v1pl_attr_add(&xf, IKEV1_ATTR_PRF, false, 2, 1);
	is_int(v1xf_ike_decode(&xf, &out), V1_E_ATTRIBUTES,
	       "the PRF attribute: ATTRIBUTES-NOT-SUPPORTED");
	ike_base(&xf);
	v1pl_attr_add(&xf, IKEV1_ATTR_KEY_LENGTH, false, 2, 100);
	is_int(v1xf_ike_decode(&xf, &out), V1_E_ATTRIBUTES, "AES-100");
	ike_base(&xf);
	xf.attr[0].value = IKEV1_ENCR_3DES_CBC;
	v1pl_attr_add(&xf, IKEV1_ATTR_KEY_LENGTH, false, 2, 128);
	is_int(v1xf_ike_decode(&xf, &out), V1_E_ATTRIBUTES,
	       "3DES with a Key Length of 128");
	ike_base(&xf);
	xf.attr[0].value = IKEV1_ENCR_BLOWFISH_CBC;
	is_int(v1xf_ike_decode(&xf, &out), V1_E_ATTRIBUTES, "Blowfish");
	ike_base(&xf);
	xf.attr[1].value = IKEV1_HASH_TIGER;
	is_int(v1xf_ike_decode(&xf, &out), V1_E_ATTRIBUTES, "Tiger");
	ike_base(&xf);
	xf.attr[2].value = 7;
	is_int(v1xf_ike_decode(&xf, &out), V1_E_ATTRIBUTES,
	       "authentication method 7");
	ike_base(&xf);
	xf.attr[3].value = 13;
	is_int(v1xf_ike_decode(&xf, &out), V1_E_ATTRIBUTES, "group 13");
	ike_base(&xf);
	xf.n_attr = 3;
	is_int(v1xf_ike_decode(&xf, &out), V1_E_ATTRIBUTES,
	       "no group (RFC 2409 A: mandatory)");
	ike_base(&xf);
	xf.attr[0].type = IKEV1_ATTR_GROUP_TYPE;
	is_int(v1xf_ike_decode(&xf, &out), V1_E_ATTRIBUTES,
	       "a private group's Group Type");
	ike_base(&xf);
	v1pl_attr_add(&xf, IKEV1_ATTR_LIFE_TYPE, false, 2, 3);
	v1pl_attr_add(&xf, IKEV1_ATTR_LIFE_DURATION, false, 2, 10);
	is_int(v1xf_ike_decode(&xf, &out), V1_E_ATTRIBUTES, "life type 3");
	ike_base(&xf);
	v1pl_attr_add(&xf, IKEV1_ATTR_LIFE_TYPE, false, 2, 1);
	v1pl_attr_add(&xf, IKEV1_ATTR_LIFE_DURATION, false, 2, 0);
	/* strongSwan sends it for a lifetime it does not limit. */
	ok(!v1xf_ike_decode(&xf, &out) && !out.life_secs && !out.life_kbytes,
	   "a lifetime of 0: as none given (strongSwan's 'no limit')");
	ike_base(&xf);
	v1pl_attr_add(&xf, IKEV1_ATTR_LIFE_TYPE, false, 2, 1);
	v1pl_attr_add(&xf, IKEV1_ATTR_LIFE_DURATION, true, 5, 1ull << 32);
	is_int(v1xf_ike_decode(&xf, &out), V1_E_ATTRIBUTES,
	       "a lifetime of 2^32 s");
	ike_base(&xf);
	v1pl_attr_add(&xf, 0x4000, false, 2, 1);
	is_int(v1xf_ike_decode(&xf, &out), V1_E_ATTRIBUTES,
	       "an unknown attribute refuses the transform");
	ok(!v1xf_ike_encode(&(struct v1xf_ike){ IKEV2_ENCR_AES_GCM_16, 128,
			    0, IKEV2_PRF_HMAC_SHA1, 1, 14, 0, 0 }, 0, &xf),
	   "no phase 1 transform for AES-GCM");
}

static void test_esp(void)
{
	static const struct v1xf_esp set[] = {
		/* lp109 QI1 as pluto logs it: ESP_3DES, MODP 2048 PFS,
		 * UDP tunnel, 1200 s, HMAC-MD5 */
		{ IKEV2_ENCR_3DES, 0, IKEV2_INTEG_HMAC_MD5_96,
		  IKEV1_ENCAP_UDP_TUNNEL, IKEV1_GROUP_MODP2048, false, 1200, 0 },
		{ IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_256_128,
		  IKEV1_ENCAP_TUNNEL, 0, true, 3600, 4608000 },
		{ IKEV2_ENCR_AES_GCM_16, 128, IKEV2_INTEG_NONE,
		  IKEV1_ENCAP_UDP_TUNNEL_DRAFT, IKEV1_GROUP_ECP256, false, 0, 0 },
		{ IKEV2_ENCR_NULL, 0, IKEV2_INTEG_HMAC_SHA1_96, 0, 0, false, 0, 0 },
	};
	struct v1pl_transform xf;
	struct v1xf_esp out;
	unsigned int i, bad = 0;

	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if (!v1xf_esp_encode(&set[i], 1, &xf) ||
		    v1xf_esp_decode(&xf, &out) ||
		    memcmp(&out, &set[i], sizeof(out)))
			bad++;
	is_int(bad, 0, "ESP transforms decode as they were encoded");
	ok(v1xf_esp_encode(&set[0], 0, &xf) && xf.id == IKEV1_ESP_3DES &&
	   xf.n_attr == 5 &&
	   v1pl_attr_find(&xf, IKEV1_ATTR_AUTH_ALG)->value == IKEV1_AUTH_HMAC_MD5,
	   "lp109's ESP transform: ESP_3DES with 5 attributes");

	v1xf_esp_encode(&set[2], 0, &xf);
	v1pl_attr_add(&xf, IKEV1_ATTR_AUTH_ALG, false, 2, IKEV1_AUTH_HMAC_SHA1);
	is_int(v1xf_esp_decode(&xf, &out), V1_E_ATTRIBUTES,
	       "AES-GCM with an Authentication Algorithm (RFC 4106 8.4)");
	v1xf_esp_encode(&set[1], 0, &xf);
	xf.attr[5].type = IKEV1_ATTR_KEY_ROUNDS;
	is_int(v1xf_esp_decode(&xf, &out), V1_E_ATTRIBUTES, "Key Rounds");
	memset(&xf, 0, sizeof(xf));
	xf.id = IKEV1_ESP_AES;
	v1pl_attr_add(&xf, IKEV1_ATTR_IPSEC_KEY_LENGTH, false, 2, 128);
	is_int(v1xf_esp_decode(&xf, &out), V1_E_ATTRIBUTES,
	       "AES-CBC without an Authentication Algorithm");
	xf.id = IKEV1_ESP_RC5;
	is_int(v1xf_esp_decode(&xf, &out), V1_E_TRANSFORM, "ESP_RC5");
	xf.id = IKEV1_ESP_NULL;
	xf.n_attr = 0;
	is_int(v1xf_esp_decode(&xf, &out), V1_E_ATTRIBUTES,
	       "ESP_NULL without authentication");
	v1pl_attr_add(&xf, IKEV1_ATTR_AUTH_ALG, false, 2, IKEV1_AUTH_DES_MAC);
	is_int(v1xf_esp_decode(&xf, &out), V1_E_ATTRIBUTES, "DES-MAC");
	xf.attr[0].value = IKEV1_AUTH_HMAC_SHA2_512;
	v1pl_attr_add(&xf, IKEV1_ATTR_ESN, false, 2, 2);
	is_int(v1xf_esp_decode(&xf, &out), V1_E_ATTRIBUTES, "ESN value 2");
	xf.attr[1].value = 1;
	ok(!v1xf_esp_decode(&xf, &out) && out.esn &&
	   out.integ == IKEV2_INTEG_HMAC_SHA2_512_256,
	   "ESN value 1 (RFC 4304) with HMAC-SHA2-512");
	v1pl_attr_add(&xf, IKEV1_ATTR_ENCAP_MODE, false, 2, 5);
	is_int(v1xf_esp_decode(&xf, &out), V1_E_ATTRIBUTES,
	       "encapsulation mode 5");
	ok(!v1xf_esp_encode(&(struct v1xf_esp){ IKEV2_ENCR_AES_CBC, 128,
			    IKEV2_INTEG_NONE, 0, 0, false, 0, 0 }, 0, &xf),
	   "no ESP transform for AES-CBC without integrity");
	is_int(v1xf_hash_prf(IKEV1_HASH_SHA2_256), IKEV2_PRF_HMAC_SHA2_256,
	       "SHA2-256's PRF is HMAC-SHA2-256");
	is_int(v1xf_hash_prf(IKEV1_HASH_TIGER), 0, "Tiger has none");
}

int main(void)
{
	test_real();
	test_ike();
	test_esp();
	return done_testing();
}
