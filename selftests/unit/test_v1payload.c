// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/ikev1/payload.h: every typed IKEv1 payload round trips
 * through its encoder and parser; every truncation of a valid body is
 * refused with the answer RFC 2408 5 gives; bad attribute encodings and
 * counts that do not fit are refused; and real messages parse: the
 * libreswan/Openswan unit test capture lp109 (IKEv1 over NAT-T), tcpdump's
 * ISAKMP_sa_setup.pcap (a Cisco peer) and isakmp4500.pcap.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "ikev1/payload.h"
#include "ikev1/vid.h"
#include "tap.h"
#include "v1_vectors.h"

static struct msg_payload mkpl(uint8_t type, const uint8_t *body, size_t len)
{
	struct msg_payload p;

	memset(&p, 0, sizeof(p));
	p.type = type;
	p.len = (uint16_t)len;
	p.body = body;
	return p;
}

/* One payload, built alone into a chain: its body and length. */
static size_t build_one(uint8_t type, const union v1pl_any *u, uint8_t *buf,
			size_t cap, enum msg_err *err)
{
	struct msg_builder b;

	msg_build_chain(&b, buf, cap);
	v1pl_add_any(&b, type, u);
	*err = b.err;
	return b.err ? 0 : b.len;
}

/* Build u as type, validate, parse back into out, build again: same bytes. */
static bool roundtrip(uint8_t type, const union v1pl_any *u,
		      union v1pl_any *out, uint8_t *enc, size_t *enclen)
{
	static uint8_t again[MSG_MAX_LEN];
	static struct msg m;
	enum msg_err err;
	size_t l2;

	*enclen = build_one(type, u, enc, MSG_MAX_LEN, &err);
	if (err || msg_validate_chain(enc, *enclen, type, 1, &m) || m.n != 1 ||
	    v1pl_parse_any(&m.pl[0], out))
		return false;
	l2 = build_one(type, out, again, sizeof(again), &err);
	return !err && l2 == *enclen && !memcmp(again, enc, l2);
}

/* ---- SA ----------------------------------------------------------------- */

static union v1pl_any u1, u2;
static uint8_t enc[MSG_MAX_LEN];

/* An SA with two ESP proposals of one transform each, and one of two. */
static void make_sa(struct v1pl_sa *sa)
{
	struct v1pl_transform *xf;

	memset(sa, 0, sizeof(*sa));
	sa->doi = IKEV1_DOI_IPSEC;
	sa->situation = IKEV1_SIT_IDENTITY_ONLY;
	sa->n_prop = 2;
	sa->n_xf = 3;
	sa->prop[0] = (struct v1pl_proposal){ 1, IKEV1_PROTO_IPSEC_ESP, 4,
		{ 0xca, 0xfe, 0xf0, 0x0d }, 0, 2 };
	sa->prop[1] = (struct v1pl_proposal){ 2, IKEV1_PROTO_IPSEC_ESP, 4,
		{ 0xca, 0xfe, 0xf0, 0x0e }, 2, 1 };
	xf = &sa->xf[0];
	xf->num = 1;
	xf->id = IKEV1_ESP_AES;
	v1pl_attr_add(xf, IKEV1_ATTR_SA_LIFE_TYPE, false, 2, IKEV1_LIFE_SECONDS);
	v1pl_attr_add(xf, IKEV1_ATTR_SA_LIFE_DURATION, true, 4, 86400);
	v1pl_attr_add(xf, IKEV1_ATTR_SA_LIFE_TYPE, false, 2,
		      IKEV1_LIFE_KILOBYTES);
	v1pl_attr_add(xf, IKEV1_ATTR_SA_LIFE_DURATION, false, 2, 4608);
	v1pl_attr_add(xf, IKEV1_ATTR_ENCAP_MODE, false, 2, IKEV1_ENCAP_TUNNEL);
	v1pl_attr_add(xf, IKEV1_ATTR_AUTH_ALG, false, 2, IKEV1_AUTH_HMAC_SHA1);
	v1pl_attr_add(xf, IKEV1_ATTR_IPSEC_KEY_LENGTH, false, 2, 256);
	xf = &sa->xf[1];
	xf->num = 2;
	xf->id = IKEV1_ESP_3DES;
	v1pl_attr_add(xf, IKEV1_ATTR_AUTH_ALG, false, 2, IKEV1_AUTH_HMAC_MD5);
	v1pl_attr_add(xf, 0x7abc, true, 3, 0x010203);	/* unknown: kept */
	xf = &sa->xf[2];
	xf->num = 1;
	xf->id = IKEV1_ESP_AES_GCM_16;
	v1pl_attr_add(xf, IKEV1_ATTR_IPSEC_KEY_LENGTH, false, 2, 128);
}

static void test_sa_roundtrip(void)
{
	const struct v1pl_sa *sa = &u2.sa;
	const struct v1pl_attr *a;
	size_t len = 0;
	bool rt;

	make_sa(&u1.sa);
	rt = roundtrip(IKEV1_PL_SA, &u1, &u2, enc, &len);
	ok(rt, "SA with 2 proposals, 3 transforms round trips (%zu bytes)",
	   len);
	ok(sa->doi == IKEV1_DOI_IPSEC && sa->n_prop == 2 && sa->n_xf == 3 &&
	   sa->prop[0].n_xf == 2 && sa->prop[1].first_xf == 2 &&
	   !memcmp(sa->prop[1].spi, "\xca\xfe\xf0\x0e", 4) &&
	   sa->xf[1].id == IKEV1_ESP_3DES && sa->xf[0].n_attr == 7 &&
	   sa->body == enc + 4 && sa->body_len == len - 4,
	   "SA: proposals, SPIs, transforms and SAi_b as built");
	a = &sa->xf[0].attr[1];
	ok(a->tlv && a->len == 4 && a->value == 86400 && a->data,
	   "a 4-byte TLV Life Duration reads as its number");
	a = v1pl_attr_find(&sa->xf[1], 0x7abc);
	ok(a && a->tlv && a->len == 3 && a->value == 0x010203,
	   "an unknown attribute is kept for proposal selection to refuse");
	ok(!v1pl_attr_find(&sa->xf[2], IKEV1_ATTR_AUTH_ALG),
	   "v1pl_attr_find() of an absent attribute");
	/* Every truncation of the body is refused. */
	{
		static struct v1pl_sa scratch;
		unsigned int bad = 0, l;

		for (l = 0; l < len - 4; l++) {
			struct msg_payload p = mkpl(IKEV1_PL_SA, enc + 4, l);
			enum v1_err e = v1pl_sa_parse(&p, &scratch);

			if (e != (l < 8 ? V1_E_MALFORMED : V1_E_PROPOSAL_SYNTAX))
				bad++;
		}
		is_int(bad, 0, "all %u truncations of the SA body are refused "
		       "(MALFORMED, then BAD-PROPOSAL-SYNTAX)", l);
	}
}

/* Patch one byte of a built SA and expect err. */
static void sa_patched(size_t off, uint8_t v, enum v1_err want,
		       const char *what)
{
	static uint8_t buf[1024];
	struct msg_payload p;
	enum msg_err err;
	size_t len;

	make_sa(&u1.sa);
	len = build_one(IKEV1_PL_SA, &u1, buf, sizeof(buf), &err);
	buf[off] = v;
	p = mkpl(IKEV1_PL_SA, buf + 4, len - 4);
	is_int(v1pl_sa_parse(&p, &u2.sa), want, "SA: %s", what);
}

/* An SA of one proposal of one transform with the attributes given. */
static enum v1_err sa_with_attrs(uint8_t proto, const uint8_t *attrs,
				 size_t alen)
{
	static uint8_t buf[512];
	uint8_t spi = proto == IKEV1_PROTO_ISAKMP ? 0 : 4;
	size_t plen = 8 + spi + 8 + alen;
	struct msg_payload p;

	memset(buf, 0, sizeof(buf));
	msg_set32(buf, IKEV1_DOI_IPSEC);
	msg_set32(buf + 4, IKEV1_SIT_IDENTITY_ONLY);
	msg_set16(buf + 10, (uint16_t)plen);
	buf[12] = 1;
	buf[13] = proto;
	buf[14] = spi;
	buf[15] = 1;
	msg_set16(buf + 16 + spi + 2, (uint16_t)(8 + alen));
	buf[16 + spi + 4] = 1;
	buf[16 + spi + 5] = proto == IKEV1_PROTO_ISAKMP ? IKEV1_KEY_IKE
							 : IKEV1_ESP_AES;
	memcpy(buf + 16 + spi + 8, attrs, alen);
	p = mkpl(IKEV1_PL_SA, buf, 8 + plen);
	return v1pl_sa_parse(&p, &u2.sa);
}

static void test_sa_errors(void)
{
	/* offsets in the built SA: 4 generic, 8 DOI/situation, proposal 1 */
	sa_patched(7, 2, V1_E_DOI, "DOI 2 (GDOI): DOI-NOT-SUPPORTED");
	sa_patched(11, 2, V1_E_SITUATION, "SIT_SECRECY: SITUATION-NOT-SUPPORTED");
	sa_patched(12, 3, V1_E_PROPOSAL_SYNTAX,
		   "a proposal's Next Payload other than P or 0");
	sa_patched(17, 9, V1_E_PROTOCOL, "protocol 9: INVALID-PROTOCOL-ID");
	sa_patched(18, 8, V1_E_SPI, "an 8-byte ESP SPI: INVALID-SPI");
	sa_patched(19, 3, V1_E_PROPOSAL_SYNTAX,
		   "a transform count above the transforms there");
	sa_patched(19, 1, V1_E_PROPOSAL_SYNTAX,
		   "a transform count below them");
	sa_patched(19, 0, V1_E_PROPOSAL_SYNTAX, "no transform (RFC 2408 3.5)");
	sa_patched(24, 0, V1_E_PROPOSAL_SYNTAX,
		   "a transform says it is the last, and is not");

	static const uint8_t basic_tlv[] = { 0x00, 0x01, 0x00, 0x02, 0x00, 0x07 };
	static const uint8_t zero_tlv[] = { 0x00, 0x0c, 0x00, 0x00 };
	static const uint8_t long_life[] = { 0x80, 0x0b, 0x00, 0x01,
		0x00, 0x0c, 0x00, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t twice[] = { 0x80, 0x01, 0x00, 0x07,
					 0x80, 0x01, 0x00, 0x05 };
	static const uint8_t dur_alone[] = { 0x80, 0x0c, 0x0e, 0x10 };
	static const uint8_t type_alone[] = { 0x80, 0x0b, 0x00, 0x01,
					      0x80, 0x01, 0x00, 0x07 };
	static const uint8_t type_twice[] = { 0x80, 0x0b, 0x00, 0x01,
		0x80, 0x0c, 0x0e, 0x10, 0x80, 0x0b, 0x00, 0x01,
		0x80, 0x0c, 0x0e, 0x10 };
	static const uint8_t both_lives[] = { 0x80, 0x0b, 0x00, 0x01,
		0x80, 0x0c, 0x0e, 0x10, 0x80, 0x0b, 0x00, 0x02,
		0x00, 0x0c, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00 };
	static const uint8_t overrun[] = { 0x00, 0x0c, 0x00, 0x08, 1, 2, 3 };
	static const uint8_t half[] = { 0x80, 0x01 };
	uint8_t many[4 * (V1PL_MAX_ATTRS + 1)];

	is_int(sa_with_attrs(IKEV1_PROTO_ISAKMP, basic_tlv, sizeof(basic_tlv)),
	       V1_E_PROPOSAL_SYNTAX,
	       "Encryption Algorithm (basic) as TLV (RFC 2409 A)");
	is_int(sa_with_attrs(IKEV1_PROTO_ISAKMP, zero_tlv, sizeof(zero_tlv)),
	       V1_E_PROPOSAL_SYNTAX, "a TLV attribute of length 0");
	is_int(sa_with_attrs(IKEV1_PROTO_ISAKMP, long_life, sizeof(long_life)),
	       V1_E_PROPOSAL_SYNTAX, "a 9-byte Life Duration");
	is_int(sa_with_attrs(IKEV1_PROTO_ISAKMP, twice, sizeof(twice)),
	       V1_E_PROPOSAL_SYNTAX, "an attribute twice");
	is_int(sa_with_attrs(IKEV1_PROTO_ISAKMP, dur_alone, sizeof(dur_alone)),
	       V1_E_PROPOSAL_SYNTAX, "a Life Duration without its Life Type");
	is_int(sa_with_attrs(IKEV1_PROTO_ISAKMP, type_alone,
			     sizeof(type_alone)),
	       V1_E_PROPOSAL_SYNTAX, "a Life Type without its Life Duration");
	is_int(sa_with_attrs(IKEV1_PROTO_ISAKMP, type_twice,
			     sizeof(type_twice)),
	       V1_E_PROPOSAL_SYNTAX, "the same Life Type twice");
	is_int(sa_with_attrs(IKEV1_PROTO_ISAKMP, both_lives,
			     sizeof(both_lives)), V1_OK,
	       "seconds and kilobytes: two Life pairs are fine");
	ok(u2.sa.xf[0].n_attr == 4 && u2.sa.xf[0].attr[3].value == 65536,
	   "... and the second Duration is 65536");
	is_int(sa_with_attrs(IKEV1_PROTO_ISAKMP, overrun, sizeof(overrun)),
	       V1_E_PROPOSAL_SYNTAX, "a TLV value past the transform");
	is_int(sa_with_attrs(IKEV1_PROTO_ISAKMP, half, sizeof(half)),
	       V1_E_PROPOSAL_SYNTAX, "half an attribute header");
	for (unsigned int i = 0; i <= V1PL_MAX_ATTRS; i++) {
		msg_set16(many + 4 * i, (uint16_t)(V1PL_AF_TV | (100 + i)));
		msg_set16(many + 4 * i + 2, 1);
	}
	is_int(sa_with_attrs(IKEV1_PROTO_ISAKMP, many, 4 * V1PL_MAX_ATTRS),
	       V1_OK, "%d attributes are kept", V1PL_MAX_ATTRS);
	is_int(sa_with_attrs(IKEV1_PROTO_ISAKMP, many, sizeof(many)),
	       V1_E_TOO_MANY, "%d are more than we keep", V1PL_MAX_ATTRS + 1);
	is_int(sa_with_attrs(IKEV1_PROTO_IPSEC_ESP, basic_tlv,
			     sizeof(basic_tlv)),
	       V1_E_PROPOSAL_SYNTAX, "SA Life Type (basic) as TLV (RFC 2407 4.5)");

	/* Too many transforms and proposals. */
	{
		static struct v1pl_sa big;
		struct msg_builder b;
		static uint8_t buf[8192];
		struct msg_payload p;
		unsigned int i;

		memset(&big, 0, sizeof(big));
		big.doi = IKEV1_DOI_IPSEC;
		big.situation = IKEV1_SIT_IDENTITY_ONLY;
		big.n_prop = 1;
		big.prop[0] = (struct v1pl_proposal){ 1, IKEV1_PROTO_ISAKMP, 0,
			{ 0 }, 0, V1PL_MAX_TRANSFORMS };
		big.n_xf = V1PL_MAX_TRANSFORMS;
		for (i = 0; i < V1PL_MAX_TRANSFORMS; i++)
			big.xf[i] = (struct v1pl_transform){ (uint8_t)i,
				IKEV1_KEY_IKE, 0, { { 0 } } };
		msg_build_chain(&b, buf, sizeof(buf));
		v1pl_add_sa(&b, &big);
		p = mkpl(IKEV1_PL_SA, buf + 4, b.len - 4);
		ok(!b.err && !v1pl_sa_parse(&p, &u2.sa) &&
		   u2.sa.n_xf == V1PL_MAX_TRANSFORMS,
		   "%d transforms in one proposal", V1PL_MAX_TRANSFORMS);
		/* One more: the count byte and one more transform payload. */
		buf[b.len - 8] = IKEV1_PL_T;
		memcpy(buf + b.len, buf + b.len - 8, 8);
		buf[b.len] = 0;
		buf[4 + 8 + 7]++;
		msg_set16(buf + 4 + 8 + 2, (uint16_t)(msg_get16(buf + 14) + 8));
		p = mkpl(IKEV1_PL_SA, buf + 4, b.len + 8 - 4);
		is_int(v1pl_sa_parse(&p, &u2.sa), V1_E_OFFER_SIZE,
		       "%d transforms are more than we evaluate",
		       V1PL_MAX_TRANSFORMS + 1);
	}
	/* The encoder refuses what it cannot encode. */
	{
		struct msg_builder b;
		static uint8_t buf[1024];

		make_sa(&u1.sa);
		u1.sa.prop[1].n_xf = 2;		/* past n_xf */
		msg_build_chain(&b, buf, sizeof(buf));
		v1pl_add_sa(&b, &u1.sa);
		is_int(b.err, MSG_E_INVALID, "encoder: transforms out of range");
		make_sa(&u1.sa);
		u1.sa.xf[0].attr[0].value = 0x10000;
		msg_build_chain(&b, buf, sizeof(buf));
		v1pl_add_sa(&b, &u1.sa);
		is_int(b.err, MSG_E_INVALID, "encoder: a TV value over 16 bits");
		ok(!v1pl_attr_add(&u1.sa.xf[2], 1, true, 2, 0x10000) &&
		   !v1pl_attr_add(&u1.sa.xf[2], 1, true, 9, 1) &&
		   !v1pl_attr_add(&u1.sa.xf[2], 0x8001, false, 2, 1),
		   "v1pl_attr_add() refuses values that do not fit");
	}
}

/* ---- the other payloads ------------------------------------------------- */

static void test_others(void)
{
	static const uint8_t nonce[16] = "0123456789abcdef";
	static const uint8_t spis[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t cookies[16] = { 0x80, 1, 2, 3, 4, 5, 6, 7, 0x64,
		0x0a, 6, 0x43, 0x5c, 0x7c, 0x4b, 0x31 };
	static const uint8_t seq[4] = { 0, 0, 0x12, 0x34 };
	uint8_t idbuf[32];
	size_t len;
	unsigned int l, bad;

	u1.data = (struct v1pl_data){ nonce, sizeof(nonce) };
	ok(roundtrip(IKEV1_PL_NONCE, &u1, &u2, enc, &len) &&
	   u2.data.len == 16 && !memcmp(u2.data.data, nonce, 16),
	   "NONCE round trips");
	for (l = 0, bad = 0; l <= 300; l++) {
		static uint8_t big[300];
		struct msg_payload p = mkpl(IKEV1_PL_NONCE, big, l);
		bool valid = l >= 8 && l <= 256;

		if ((v1pl_nonce_parse(&p, &u2.data) == V1_OK) != valid)
			bad++;
	}
	is_int(bad, 0, "NONCE: 8 to 256 bytes, nothing else (RFC 2409 5)");
	u1.data = (struct v1pl_data){ nonce, 7 };
	is_int(build_one(IKEV1_PL_NONCE, &u1, enc, sizeof(enc),
			 (enum msg_err[]){ 0 }), 0,
	       "the encoder refuses a 7-byte nonce");
	{
		struct msg_payload p = mkpl(IKEV1_PL_KE, nonce, 0);

		is_int(v1pl_ke_parse(&p, &u2.data), V1_E_KEY_INFO,
		       "an empty KE: INVALID-KEY-INFORMATION");
		p = mkpl(IKEV1_PL_HASH, nonce, 0);
		is_int(v1pl_hash_parse(&p, &u2.data), V1_E_HASH_INFO,
		       "an empty HASH: INVALID-HASH-INFORMATION");
		p = mkpl(IKEV1_PL_SIG, nonce, 0);
		is_int(v1pl_sig_parse(&p, &u2.data), V1_E_SIGNATURE,
		       "an empty SIG: INVALID-SIGNATURE");
		p = mkpl(IKEV1_PL_CERT, nonce, 1);
		is_int(v1pl_cert_parse(&p, &u2.cert), V1_E_CERT_ENCODING,
		       "a CERT without a certificate: INVALID-CERT-ENCODING");
		p = mkpl(IKEV1_PL_CR, nonce, 1);
		ok(!v1pl_cr_parse(&p, &u2.cert) && u2.cert.len == 0,
		   "a CR without a CA is any CA");
	}
	u1.data = (struct v1pl_data){ nonce, 16 };
	ok(roundtrip(IKEV1_PL_NAT_D_DRAFT, &u1, &u2, enc, &len) &&
	   enc[0] == 0 && len == 20, "NAT-D (draft number 130) round trips");

	/* ID */
	ok(!v1pl_id_from_range(&u1.id, idbuf, AF_INET,
			       (const uint8_t *)"\x0a\x01\x00\x00",
			       (const uint8_t *)"\x0a\x01\xff\xff", 17, 500),
	   "10.1.0.0-10.1.255.255 is a subnet ID");
	ok(roundtrip(IKEV1_PL_ID, &u1, &u2, enc, &len) &&
	   u2.id.type == IKEV1_ID_IPV4_ADDR_SUBNET && u2.id.prefix == 16 &&
	   u2.id.proto == 17 && u2.id.port == 500 && u2.id.family == AF_INET &&
	   !memcmp(u2.id.end, "\x0a\x01\xff\xff", 4) &&
	   u2.id.body == enc + 4 && u2.id.body_len == 12,
	   "ID_IPV4_ADDR_SUBNET round trips, with IDii_b");
	for (l = 0, bad = 0; l < u2.id.body_len; l++) {
		struct msg_payload p = mkpl(IKEV1_PL_ID, enc + 4, l);

		if (v1pl_id_parse(&p, &u2.id) !=
		    (l < 4 ? V1_E_MALFORMED : V1_E_ID_INFO))
			bad++;
	}
	is_int(bad, 0, "every truncation of a subnet ID is refused");
	ok(!v1pl_id_from_range(&u1.id, idbuf, AF_INET6,
			       (const uint8_t *)"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\1",
			       (const uint8_t *)"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x09",
			       0, 0) &&
	   u1.id.type == IKEV1_ID_IPV6_ADDR_RANGE &&
	   roundtrip(IKEV1_PL_ID, &u1, &u2, enc, &len) &&
	   u2.id.len == 32 && u2.id.end[15] == 9,
	   "an IPv6 range that is no prefix is ID_IPV6_ADDR_RANGE");
	ok(!v1pl_id_from_range(&u1.id, idbuf, AF_INET,
			       (const uint8_t *)"\xc0\x00\x02\x01",
			       (const uint8_t *)"\xc0\x00\x02\x01", 0, 0) &&
	   u1.id.type == IKEV1_ID_IPV4_ADDR && u1.id.len == 4,
	   "one address is ID_IPV4_ADDR");
	ok(v1pl_id_from_range(&u1.id, idbuf, AF_INET,
			      (const uint8_t *)"\xc0\x00\x02\x09",
			      (const uint8_t *)"\xc0\x00\x02\x01", 0, 0) ==
	   V1_E_INVALID, "a range ending before it starts");
	{
		static const struct {
			const char *what;
			uint8_t type;
			const char *data;
			size_t len;
			enum v1_err want;
		} ids[] = {
			{ "an IPv4 address of 5 bytes", 1, "\1\2\3\4\5", 5, V1_E_ID_INFO },
			{ "a mask that is no prefix", 4, "\x0a\0\0\0\xff\0\xff\0", 8, V1_E_ID_INFO },
			{ "a range ending before it starts", 7, "\x0a\0\0\x09\x0a\0\0\x01", 8, V1_E_ID_INFO },
			{ "an empty FQDN", 2, "", 0, V1_E_ID_INFO },
			{ "an FQDN with a NUL", 2, "a\0b", 3, V1_E_ID_INFO },
			{ "ID type 12", 12, "x", 1, V1_E_ID_INFO },
			{ "a KEY_ID", 11, "\x01\xff", 2, V1_OK },
			{ "a subnet with host bits", 4, "\x0a\x01\x00\x0a\xff\xff\0\0", 8, V1_OK },
			{ "a DER DN", 9, "\x30\x00", 2, V1_OK },
		};
		for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			uint8_t body[64] = { ids[i].type };
			struct msg_payload p;

			memcpy(body + 4, ids[i].data, ids[i].len);
			p = mkpl(IKEV1_PL_ID, body, 4 + ids[i].len);
			is_int(v1pl_id_parse(&p, &u2.id), ids[i].want, "ID: %s",
			       ids[i].what);
		}
	}
	{
		uint8_t body[12] = { IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, 0,
				     10, 1, 0, 10, 255, 255, 0, 0 };
		struct msg_payload p = mkpl(IKEV1_PL_ID, body, 12);

		ok(!v1pl_id_parse(&p, &u2.id) && u2.id.prefix == 16 &&
		   !memcmp(u2.id.start, "\x0a\x01\0\0", 4) &&
		   !memcmp(u2.id.end, "\x0a\x01\xff\xff", 4) &&
		   u2.id.data[3] == 10,
		   "a subnet with host bits covers its network; the data stays");
	}
	{
		char buf[64];
		uint8_t body[16] = { IKEV1_ID_USER_FQDN, 0, 0, 0, 'a', '@', 'b' };
		struct msg_payload p = mkpl(IKEV1_PL_ID, body, 7);

		ok(!v1pl_id_parse(&p, &u2.id) &&
		   !strcmp(v1pl_id_format(&u2.id, buf, sizeof(buf)),
			   "user-fqdn:a@b") &&
		   !v1pl_id_check_phase1(&u2.id), "a USER_FQDN phase 1 ID");
		body[1] = 17;
		msg_set16(body + 2, 4500);
		ok(!v1pl_id_parse(&p, &u2.id) && !v1pl_id_check_phase1(&u2.id),
		   "UDP/4500 is a phase 1 port (RFC 3947)");
		msg_set16(body + 2, 501);
		ok(!v1pl_id_parse(&p, &u2.id) &&
		   v1pl_id_check_phase1(&u2.id) == V1_E_ID_INFO,
		   "UDP/501 is not");
		body[0] = IKEV1_ID_IPV4_ADDR_SUBNET;
		memcpy(body + 4, "\x0a\x01\x00\x00\xff\xff\x00\x00", 8);
		p = mkpl(IKEV1_PL_ID, body, 12);
		ok(!v1pl_id_parse(&p, &u2.id) &&
		   !strcmp(v1pl_id_format(&u2.id, buf, sizeof(buf)),
			   "10.1.0.0/16") &&
		   v1pl_id_check_phase1(&u2.id) == V1_E_ID_INFO,
		   "a subnet is no phase 1 ID");
	}

	/* N: a DPD R-U-THERE (RFC 3706 5) */
	u1.n = (struct v1pl_notify){ IKEV1_DOI_IPSEC, IKEV1_PROTO_ISAKMP, 16,
		IKEV1_N_R_U_THERE, cookies, seq, 4 };
	ok(roundtrip(IKEV1_PL_N, &u1, &u2, enc, &len) && len == 32 &&
	   u2.n.type == IKEV1_N_R_U_THERE && u2.n.spi_size == 16 &&
	   !memcmp(u2.n.spi, cookies, 16) && u2.n.len == 4 &&
	   !memcmp(u2.n.data, seq, 4), "R-U-THERE with the cookies and a sequence number");
	u1.n.len = 0;
	build_one(IKEV1_PL_N, &u1, enc, sizeof(enc), (enum msg_err[]){ 0 });
	for (l = 0, bad = 0; l < 24; l++) {
		struct msg_payload p = mkpl(IKEV1_PL_N, enc + 4, l);

		if (v1pl_notify_parse(&p, &u2.n) != V1_E_MALFORMED)
			bad++;
	}
	is_int(bad, 0, "every truncation of a notify with an SPI is refused");
	{
		struct msg_payload p = mkpl(IKEV1_PL_N, enc + 4, 24);

		enc[4 + 3] = 7;
		is_int(v1pl_notify_parse(&p, &u2.n), V1_E_DOI,
		       "a notify of DOI 7: DOI-NOT-SUPPORTED");
		enc[4 + 3] = 1;
		enc[4 + 4] = 5;
		is_int(v1pl_notify_parse(&p, &u2.n), V1_E_PROTOCOL,
		       "a notify of protocol 5");
		enc[4 + 4] = 1;
		enc[4 + 5] = 17;
		is_int(v1pl_notify_parse(&p, &u2.n), V1_E_SPI,
		       "a 17-byte SPI");
	}

	/* D */
	u1.d = (struct v1pl_delete){ IKEV1_DOI_IPSEC, IKEV1_PROTO_IPSEC_ESP, 4,
		2, spis };
	ok(roundtrip(IKEV1_PL_D, &u1, &u2, enc, &len) && u2.d.n_spi == 2 &&
	   !memcmp(u2.d.spis, spis, 8), "D of two ESP SPIs round trips");
	for (l = 0, bad = 0; l < 16; l++) {
		struct msg_payload p = mkpl(IKEV1_PL_D, enc + 4, l);

		if (v1pl_delete_parse(&p, &u2.d) != V1_E_MALFORMED)
			bad++;
	}
	is_int(bad, 0, "every truncation of it is refused");
	{
		struct msg_payload p = mkpl(IKEV1_PL_D, enc + 4, 16);

		msg_set16(enc + 4 + 6, 3);
		is_int(v1pl_delete_parse(&p, &u2.d), V1_E_MALFORMED,
		       "D: 3 SPIs of 4 bytes in 8 bytes");
		msg_set16(enc + 4 + 6, 0);
		is_int(v1pl_delete_parse(&p, &u2.d), V1_E_MALFORMED,
		       "D: no SPI");
		msg_set16(enc + 4 + 6, 0x4001);
		is_int(v1pl_delete_parse(&p, &u2.d), V1_E_MALFORMED,
		       "D: a count whose product with the size overflows 16 bits");
		msg_set16(enc + 4 + 6, 2);
		enc[4 + 5] = 8;
		is_int(v1pl_delete_parse(&p, &u2.d), V1_E_SPI,
		       "D: 8-byte ESP SPIs");
		enc[4 + 4] = IKEV1_PROTO_ISAKMP;
		is_int(v1pl_delete_parse(&p, &u2.d), V1_E_SPI,
		       "D: the ISAKMP SA is named by 16 bytes of cookies");
		enc[4 + 4] = 0;
		is_int(v1pl_delete_parse(&p, &u2.d), V1_E_PROTOCOL,
		       "D: protocol 0");
	}
	u1.d = (struct v1pl_delete){ IKEV1_DOI_IPSEC, IKEV1_PROTO_ISAKMP, 16,
		1, cookies };
	ok(roundtrip(IKEV1_PL_D, &u1, &u2, enc, &len) && len == 28,
	   "D of the ISAKMP SA round trips");

	/* NAT-OA */
	u1.natoa = (struct v1pl_natoa){ IKEV1_ID_IPV4_ADDR, { 192, 168, 0, 2 } };
	ok(roundtrip(IKEV1_PL_NAT_OA, &u1, &u2, enc, &len) && len == 12 &&
	   !memcmp(u2.natoa.addr, "\xc0\xa8\x00\x02", 4),
	   "NAT-OA round trips (RFC 3947 5.2)");
	for (l = 0, bad = 0; l < 8; l++) {
		struct msg_payload p = mkpl(IKEV1_PL_NAT_OA, enc + 4, l);

		if (v1pl_natoa_parse(&p, &u2.natoa) != V1_E_MALFORMED)
			bad++;
	}
	is_int(bad, 0, "every truncation of it is refused");
	{
		struct msg_payload p = mkpl(IKEV1_PL_NAT_OA, enc + 4, 8);

		enc[4] = IKEV1_ID_FQDN;
		is_int(v1pl_natoa_parse(&p, &u2.natoa), V1_E_MALFORMED,
		       "NAT-OA of an FQDN");
	}

	/* Attribute payload: an XAUTH request */
	{
		struct v1pl_cfg *c = &u1.cfg;

		memset(c, 0, sizeof(*c));
		c->type = IKEV1_CFG_REQUEST;
		c->id = 0x1234;
		c->n = 3;
		c->attr[0] = (struct v1pl_cfg_attr){ IKEV1_CFG_XAUTH_TYPE, true,
						     0, NULL };
		c->attr[1] = (struct v1pl_cfg_attr){ IKEV1_CFG_XAUTH_USER_NAME,
						     false, 0, NULL };
		c->attr[2] = (struct v1pl_cfg_attr){ IKEV1_CFG_XAUTH_MESSAGE,
			false, 5, (const uint8_t *)"hello" };
		ok(roundtrip(IKEV1_PL_ATTR, &u1, &u2, enc, &len) &&
		   u2.cfg.n == 3 && u2.cfg.id == 0x1234 && u2.cfg.attr[0].tv &&
		   u2.cfg.attr[2].value == 5 &&
		   !memcmp(u2.cfg.attr[2].data, "hello", 5),
		   "an Attribute payload (XAUTH request) round trips");
		for (l = 0, bad = 0; l < len - 4; l++) {
			struct msg_payload p = mkpl(IKEV1_PL_ATTR, enc + 4, l);
			bool valid = l == 4 || l == 8 || l == 12;

			if ((v1pl_cfg_parse(&p, &u2.cfg) == V1_OK) != valid)
				bad++;
		}
		is_int(bad, 0, "its truncations parse only at attribute boundaries");
		enc[4] = 9;
		{
			struct msg_payload p = mkpl(IKEV1_PL_ATTR, enc + 4, len - 4);

			is_int(v1pl_cfg_parse(&p, &u2.cfg), V1_E_MALFORMED,
			       "an Attribute payload of type 9");
		}
	}
}

/* ---- real messages ------------------------------------------------------ */

static struct capture cap;

/* Validate every message; parse every payload of the clear ones. */
static void parse_capture(const char *name, size_t want_msgs,
			  size_t want_clear, size_t want_payloads)
{
	static struct msg m;
	size_t i, clear = 0, payloads = 0, bad = 0;

	if (read_pcap(name, &cap)) {
		skip("capture not found");
		return;
	}
	for (i = 0; i < cap.n; i++) {
		if (msg_validate(cap.msg[i], cap.len[i], &m) ||
		    m.hdr.major != 1) {
			ok(0, "%s message %zu does not validate", name, i + 1);
			bad++;
			continue;
		}
		if (m.v1_encrypted)
			continue;
		clear++;
		for (unsigned int j = 0; j < m.n; j++) {
			enum v1_err e;

			if (m.pl[j].type == IKEV1_PL_SAK)
				continue;	/* see test_capture_cisco() */
			e = v1pl_parse_any(&m.pl[j], &u1);
			payloads++;
			if (e) {
				ok(0, "%s message %zu payload %u (%s): %s", name,
				   i + 1, j, names_get(NAMES_PAYLOAD_V1,
						       m.pl[j].type),
				   v1err_str(e));
				bad++;
			}
		}
	}
	ok(!bad && cap.n == want_msgs && clear == want_clear &&
	   payloads == want_payloads,
	   "%s: %zu messages validate, %zu payloads of the %zu clear ones parse",
	   name, cap.n, payloads, clear);
}

static void test_capture_lp109(void)
{
	static struct msg m;
	const struct msg_payload *p;
	const struct v1pl_sa *sa = &u1.sa;
	unsigned int vids[V1VID_COUNT] = { 0 }, i;

	if (read_pcap("openswan-unit/libpluto-ikev1-natt-lp109/v1rwnatM1.pcap",
		      &cap) || cap.n != 1) {
		skip("lp109 v1rwnatM1.pcap not found");
		return;
	}
	ok(!msg_validate(cap.msg[0], cap.len[0], &m) && m.n == 8 &&
	   m.hdr.exchange == IKEV1_EXCH_MAIN && cap.len[0] == 216,
	   "lp109 M1: Main Mode, SA and 7 VIDs validate");
	p = msg_find(&m, IKEV1_PL_SA, 0);
	ok(p && !v1pl_sa_parse(p, &u1.sa) && sa->n_prop == 1 &&
	   sa->prop[0].proto == IKEV1_PROTO_ISAKMP && sa->prop[0].num == 0 &&
	   sa->n_xf == 1 && sa->xf[0].id == IKEV1_KEY_IKE &&
	   sa->xf[0].n_attr == 6,
	   "lp109 M1: one ISAKMP proposal, KEY_IKE with 6 attributes");
	ok(v1pl_attr_find(&sa->xf[0], IKEV1_ATTR_LIFE_DURATION)->value == 3600 &&
	   v1pl_attr_find(&sa->xf[0], IKEV1_ATTR_ENCRYPTION)->value ==
	   IKEV1_ENCR_3DES_CBC &&
	   v1pl_attr_find(&sa->xf[0], IKEV1_ATTR_HASH)->value == IKEV1_HASH_MD5 &&
	   v1pl_attr_find(&sa->xf[0], IKEV1_ATTR_AUTH_METHOD)->value ==
	   IKEV1_AUTH_RSA_SIG &&
	   v1pl_attr_find(&sa->xf[0], IKEV1_ATTR_GROUP_DESC)->value ==
	   IKEV1_GROUP_MODP2048,
	   "lp109 M1: 3DES, MD5, RSA signatures, MODP 2048, 3600 s (its pluto log)");
	for (i = 0; i < m.n; i++) {
		if (m.pl[i].type != IKEV1_PL_VID ||
		    v1pl_vid_parse(&m.pl[i], &u2.data))
			continue;
		vids[v1vid_lookup(u2.data.data, u2.data.len)]++;
	}
	ok(vids[V1VID_DPD] == 1 && vids[V1VID_NATT_RFC3947] == 1 &&
	   vids[V1VID_NATT_DRAFT_03] == 1 && vids[V1VID_NATT_DRAFT_02N] == 1 &&
	   vids[V1VID_NATT_DRAFT_02] == 1 && vids[V1VID_UNKNOWN] == 2,
	   "lp109 M1: the Vendor IDs pluto names: DPD, RFC 3947, drafts 03, 02\\n, 02 (and 2 others)");

	if (read_pcap("openswan-unit/libpluto-ikev1-natt-lp109/v1rwnatM2.pcap",
		      &cap) || cap.n != 1) {
		skip("lp109 v1rwnatM2.pcap not found");
		return;
	}
	ok(!msg_validate(cap.msg[0], cap.len[0], &m) && m.n == 4 &&
	   msg_count(&m, IKEV1_PL_NAT_D) == 2,
	   "lp109 M2: KE, NONCE and two RFC 3947 NAT-D");
	p = msg_find(&m, IKEV1_PL_KE, 0);
	ok(p && !v1pl_ke_parse(p, &u2.data) && u2.data.len == 256 &&
	   u2.data.data[0] == 0xbf,
	   "lp109 M2: 256 bytes of MODP 2048 KE data");
	p = msg_find(&m, IKEV1_PL_NONCE, 0);
	ok(p && !v1pl_nonce_parse(p, &u2.data) && u2.data.len == 16,
	   "lp109 M2: a 16-byte nonce");
	for (i = 0; i < 2; i++) {
		const char *f = i ? "openswan-unit/libpluto-ikev1-natt-lp109/v1rwnatQI1.pcap"
				  : "openswan-unit/libpluto-ikev1-natt-lp109/v1rwnatM3.pcap";

		ok(!read_pcap(f, &cap) && cap.n == 1 && cap.dport[0] == 4500 &&
		   !msg_validate(cap.msg[0], cap.len[0], &m) && m.v1_encrypted &&
		   m.hdr.exchange == (i ? IKEV1_EXCH_QUICK : IKEV1_EXCH_MAIN),
		   "lp109 %s: encrypted, on port 4500 after the non-ESP marker",
		   i ? "QI1" : "M3");
	}
}

/*
 * A Cisco peer of 2008 (Unity, DPD and XAUTH Vendor IDs, NAT-T
 * draft-ietf-ipsec-nat-t-ike-07) sends its NAT-D as payload 15, the
 * number GDOI later took for SAK; libreswan calls it NATD_BADDRAFTS and
 * drops it.  The codec walks it; ikev1/rules.h does not allow it.
 */
static void test_capture_cisco(void)
{
	static struct msg m;
	const struct msg_payload *p;
	unsigned int vids[V1VID_COUNT] = { 0 }, i;

	parse_capture("tcpdump/ISAKMP_sa_setup.pcap", 9, 4, 18);
	if (cap.n != 9)
		return;
	ok(!msg_validate(cap.msg[0], cap.len[0], &m) &&
	   (p = msg_find(&m, IKEV1_PL_SA, 0)) && !v1pl_sa_parse(p, &u1.sa) &&
	   u1.sa.xf[0].n_attr == 7 &&
	   v1pl_attr_find(&u1.sa.xf[0], IKEV1_ATTR_KEY_LENGTH)->value == 128 &&
	   v1pl_attr_find(&u1.sa.xf[0], IKEV1_ATTR_LIFE_DURATION)->tlv &&
	   v1pl_attr_find(&u1.sa.xf[0], IKEV1_ATTR_LIFE_DURATION)->value == 86400,
	   "Cisco message 1: AES-128, 86400 s as a 4-byte TLV (as tcpdump prints)");
	ok(!msg_validate(cap.msg[2], cap.len[2], &m) && m.n == 8 &&
	   msg_count(&m, IKEV1_PL_SAK) == 2,
	   "Cisco message 3: 2 NAT-D as payload 15 among 8");
	for (i = 0; i < m.n; i++)
		if (m.pl[i].type == IKEV1_PL_VID &&
		    !v1pl_vid_parse(&m.pl[i], &u2.data))
			vids[v1vid_lookup(u2.data.data, u2.data.len)]++;
	ok(vids[V1VID_CISCO_UNITY] == 1 && vids[V1VID_DPD] == 1 &&
	   vids[V1VID_XAUTH] == 1 && vids[V1VID_UNKNOWN] == 1,
	   "Cisco message 3: Unity, DPD, XAUTH and one more Vendor ID");
}

int main(void)
{
	test_sa_roundtrip();
	test_sa_errors();
	test_others();
	test_capture_lp109();
	test_capture_cisco();
	parse_capture("tcpdump/isakmp4500.pcap", 15, 4, 19);
	return done_testing();
}
