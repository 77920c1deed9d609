// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpus for fuzz_v1: IKEv1 messages made with the
 * encoders, in the clear and encrypted with the fuzzer's fixed keys, and
 * bare chains (first byte: the first payload type).
 *
 *	gen_corpus_v1 DIR
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz_keys_v1.h"
#include "ikev1/payload.h"
#include "ikev1/vid.h"
#include "ikev1/xform.h"

static const char *outdir;
static uint8_t pattern[512];

static int save(const char *name, const uint8_t *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len) {
		perror(path);
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) != 0;
}

static void data(struct msg_builder *b, uint8_t type, size_t off, size_t len)
{
	struct v1pl_data d = { pattern + off, len };

	v1pl_add_data(b, type, &d);
}

static void vid(struct msg_builder *b, enum v1vid id)
{
	const struct v1vid_info *v = v1vid_get(id);
	struct v1pl_data d = { v->data, v->len };

	v1pl_add_data(b, IKEV1_PL_VID, &d);
}

/* Main Mode 1: two phase 1 transforms. */
static void mm1(struct msg_builder *b)
{
	static struct v1pl_sa sa;
	static const struct v1xf_ike x[2] = {
		{ IKEV2_ENCR_AES_CBC, 256, IKEV1_HASH_SHA2_256,
		  IKEV2_PRF_HMAC_SHA2_256, IKEV1_AUTH_XAUTH_INIT_PSK,
		  IKEV1_GROUP_ECP256, 86400, 0 },
		{ IKEV2_ENCR_3DES, 0, IKEV1_HASH_SHA1, IKEV2_PRF_HMAC_SHA1,
		  IKEV1_AUTH_PSK, IKEV1_GROUP_MODP2048, 28800, 0 },
	};

	memset(&sa, 0, sizeof(sa));
	sa.doi = IKEV1_DOI_IPSEC;
	sa.situation = IKEV1_SIT_IDENTITY_ONLY;
	sa.n_prop = 1;
	sa.n_xf = 2;
	sa.prop[0] = (struct v1pl_proposal){ 1, IKEV1_PROTO_ISAKMP, 0, { 0 },
					     0, 2 };
	v1xf_ike_encode(&x[0], 1, &sa.xf[0]);
	v1xf_ike_encode(&x[1], 2, &sa.xf[1]);
	v1pl_add_sa(b, &sa);
	vid(b, V1VID_NATT_RFC3947);
	vid(b, V1VID_DPD);
	vid(b, V1VID_CISCO_UNITY);
}

/* Quick Mode 1: HASH, SA of two ESP proposals, NONCE, KE, IDs, NAT-OA. */
static void qm1(struct msg_builder *b)
{
	static struct v1pl_sa sa;
	static const struct v1xf_esp x[2] = {
		{ IKEV2_ENCR_AES_GCM_16, 256, IKEV2_INTEG_NONE,
		  IKEV1_ENCAP_UDP_TUNNEL, IKEV1_GROUP_ECP256, false, 3600, 0 },
		{ IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA1_96,
		  IKEV1_ENCAP_TUNNEL, 0, true, 3600, 4608000 },
	};
	uint8_t ib1[32], ib2[32];
	struct v1pl_id id;
	struct v1pl_natoa oa = { IKEV1_ID_IPV4_ADDR, { 192, 168, 1, 2 } };

	memset(&sa, 0, sizeof(sa));
	sa.doi = IKEV1_DOI_IPSEC;
	sa.situation = IKEV1_SIT_IDENTITY_ONLY;
	sa.n_prop = 2;
	sa.n_xf = 2;
	sa.prop[0] = (struct v1pl_proposal){ 1, IKEV1_PROTO_IPSEC_ESP, 4,
		{ 0xca, 0xfe, 0xf0, 0x0d }, 0, 1 };
	sa.prop[1] = (struct v1pl_proposal){ 2, IKEV1_PROTO_IPSEC_ESP, 4,
		{ 0xca, 0xfe, 0xf0, 0x0d }, 1, 1 };
	v1xf_esp_encode(&x[0], 1, &sa.xf[0]);
	v1xf_esp_encode(&x[1], 1, &sa.xf[1]);
	data(b, IKEV1_PL_HASH, 0, 20);
	v1pl_add_sa(b, &sa);
	data(b, IKEV1_PL_NONCE, 20, 32);
	data(b, IKEV1_PL_KE, 64, 64);
	v1pl_id_from_range(&id, ib1, AF_INET, (const uint8_t *)"\x0a\0\0\0",
			   (const uint8_t *)"\x0a\0\xff\xff", 0, 0);
	v1pl_add_id(b, &id);
	v1pl_id_from_range(&id, ib2, AF_INET6,
			   (const uint8_t *)"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\1",
			   (const uint8_t *)"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x09",
			   6, 443);
	v1pl_add_id(b, &id);
	v1pl_add_natoa(b, IKEV1_PL_NAT_OA, &oa);
}

/* Informational: HASH, R-U-THERE; or HASH, D. */
static void dpd(struct msg_builder *b)
{
	struct v1pl_notify n = { IKEV1_DOI_IPSEC, IKEV1_PROTO_ISAKMP, 16,
		IKEV1_N_R_U_THERE, pattern, pattern + 16, 4 };

	data(b, IKEV1_PL_HASH, 100, 32);
	v1pl_add_notify(b, &n);
}

static void del(struct msg_builder *b)
{
	struct v1pl_delete d = { IKEV1_DOI_IPSEC, IKEV1_PROTO_IPSEC_ESP, 4, 3,
				 pattern + 200 };

	data(b, IKEV1_PL_HASH, 100, 16);
	v1pl_add_delete(b, &d);
}

/* Transaction: HASH, an XAUTH request. */
static void xauth(struct msg_builder *b)
{
	static struct v1pl_cfg c;

	memset(&c, 0, sizeof(c));
	c.type = IKEV1_CFG_REQUEST;
	c.id = 0x4242;
	c.n = 3;
	c.attr[0] = (struct v1pl_cfg_attr){ IKEV1_CFG_XAUTH_TYPE, true, 0, NULL };
	c.attr[1] = (struct v1pl_cfg_attr){ IKEV1_CFG_XAUTH_USER_NAME, false,
					    0, NULL };
	c.attr[2] = (struct v1pl_cfg_attr){ IKEV1_CFG_XAUTH_USER_PASSWORD,
					    false, 0, NULL };
	data(b, IKEV1_PL_HASH, 300, 20);
	v1pl_add_cfg(b, &c);
}

/* Main Mode 5: ID, CERT, SIG, INITIAL-CONTACT. */
static void mm5(struct msg_builder *b)
{
	struct v1pl_id id = { IKEV1_ID_FQDN, 17, 500,
			      (const uint8_t *)"gw.example", 10, NULL, 0, 0, 0,
			      { 0 }, { 0 } };
	struct v1pl_cert c = { IKEV1_CERT_X509_SIG, pattern, 200 };
	struct v1pl_notify n = { IKEV1_DOI_IPSEC, IKEV1_PROTO_ISAKMP, 16,
		IKEV1_N_INITIAL_CONTACT, pattern, NULL, 0 };

	v1pl_add_id(b, &id);
	v1pl_add_cert(b, IKEV1_PL_CERT, &c);
	data(b, IKEV1_PL_SIG, 0, 128);
	v1pl_add_notify(b, &n);
}

int main(int argc, char **argv)
{
	static struct fuzz_v1_suite s[FUZZ_V1_SUITES];
	static uint8_t buf[8192], raw[8192];
	static const struct {
		const char *name;
		uint8_t exchange;
		bool encrypted;
		void (*fill)(struct msg_builder *);
	} msgs[] = {
		{ "main-mode-1", IKEV1_EXCH_MAIN, false, mm1 },
		{ "main-mode-5", IKEV1_EXCH_MAIN, true, mm5 },
		{ "quick-mode-1", IKEV1_EXCH_QUICK, true, qm1 },
		{ "dpd", IKEV1_EXCH_INFORMATIONAL, true, dpd },
		{ "delete", IKEV1_EXCH_INFORMATIONAL, true, del },
		{ "xauth", IKEV1_EXCH_TRANSACTION, true, xauth },
	};
	struct msg_hdr h = {
		.spi_i = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 },
		.spi_r = { 0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22 },
		.major = 1,
	};
	struct msg_builder b;
	char name[64];
	size_t i, j, len;
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus_v1 DIR\n");
		return 2;
	}
	outdir = argv[1];
	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 13 + 5);
	if (fuzz_v1_init(s))
		return 1;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		h.exchange = msgs[i].exchange;
		h.msgid = msgs[i].exchange == IKEV1_EXCH_MAIN ? 0 : 0x1000 + (uint32_t)i;
		for (j = 0; j < (msgs[i].encrypted ? FUZZ_V1_SUITES : 1); j++) {
			h.flags = msgs[i].encrypted ? IKEV1_FLAG_ENCRYPTION : 0;
			msg_build_init(&b, buf, sizeof(buf), &h);
			msgs[i].fill(&b);
			if (msgs[i].encrypted) {
				err |= v1crypt_encrypt(&s[j].k, &s[j].iv, &b,
						       &len) != V1_OK;
				snprintf(name, sizeof(name), "%s-suite%zu",
					 msgs[i].name, j);
			} else {
				err |= msg_build_finish(&b, &len) != MSG_OK;
				snprintf(name, sizeof(name), "%s", msgs[i].name);
			}
			err |= save(name, buf, len);
		}
		/* The bare chain, as fuzz_v1 reads its input in step 2. */
		h.flags = 0;
		msg_build_init(&b, buf, sizeof(buf), &h);
		msgs[i].fill(&b);
		err |= msg_build_finish(&b, &len) != MSG_OK;
		raw[0] = buf[16];
		memcpy(raw + 1, buf + MSG_HDR_LEN, len - MSG_HDR_LEN);
		snprintf(name, sizeof(name), "%s-chain", msgs[i].name);
		err |= save(name, raw, len - MSG_HDR_LEN + 1);
	}
	return err;
}
