// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpus for fuzz_msg: valid messages made with the
 * encoders, in the clear and sealed with the fuzzer's fixed keys, and
 * bare inner chains (first byte: the first payload type).
 *
 *	gen_corpus DIR
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_keys.h"
#include "payload.h"

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

static void add_sa(struct msg_builder *b, uint8_t proto)
{
	static struct pl_sa sa;
	struct pl_proposal *p = &sa.prop[0];

	memset(&sa, 0, sizeof(sa));
	sa.n_prop = 2;
	p->num = 1;
	p->proto = proto;
	p->spi_size = proto == IKEV2_PROTO_IKE ? 0 : 4;
	memcpy(p->spi, "\xca\xfe\xf0\x0d", 4);
	p->n_xf = 4;
	p->xf[0] = (struct pl_transform){ IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC,
					  256, true, false };
	p->xf[1] = (struct pl_transform){ proto == IKEV2_PROTO_IKE ?
		IKEV2_TRANS_PRF : IKEV2_TRANS_ESN, proto == IKEV2_PROTO_IKE ?
		IKEV2_PRF_HMAC_SHA2_256 : IKEV2_ESN_NONE, 0, 0, 0 };
	p->xf[2] = (struct pl_transform){ IKEV2_TRANS_INTEG,
		IKEV2_INTEG_HMAC_SHA2_256_128, 0, 0, 0 };
	p->xf[3] = (struct pl_transform){ IKEV2_TRANS_DH, IKEV2_DH_CURVE25519,
					  0, 0, 0 };
	sa.prop[1] = *p;
	sa.prop[1].num = 2;
	sa.prop[1].n_xf = 3;
	sa.prop[1].xf[0] = (struct pl_transform){ IKEV2_TRANS_ENCR,
		IKEV2_ENCR_AES_GCM_16, 128, true, false };
	sa.prop[1].xf[2] = (struct pl_transform){ IKEV2_TRANS_DH,
		IKEV2_DH_ECP256, 0, 0, 0 };
	pl_add_sa(b, &sa);
}

static void add_ts(struct msg_builder *b, uint8_t type)
{
	static struct pl_ts_list ts;

	memset(&ts, 0, sizeof(ts));
	ts.n = 2;
	ts.ts[0].type = IKEV2_TS_IPV4_ADDR_RANGE;
	ts.ts[0].end_port = 65535;
	memcpy(ts.ts[0].start, "\x0a\x00\x00\x00", 4);
	memcpy(ts.ts[0].end, "\x0a\x00\x00\xff", 4);
	ts.ts[1].type = IKEV2_TS_IPV6_ADDR_RANGE;
	ts.ts[1].proto = 6;
	ts.ts[1].start_port = ts.ts[1].end_port = 443;
	memset(ts.ts[1].end, 0xff, 16);
	pl_add_ts(b, type, &ts);
}

/* IKE_AUTH contents: IDi, IDr, AUTH, CP, SA, TSi, TSr, N */
static void auth_chain(struct msg_builder *in, uint8_t *buf, size_t cap)
{
	struct pl_id idi = { IKEV2_ID_KEY_ID, (const uint8_t *)"site1", 5,
			     NULL, 0 };
	struct pl_id idr = { IKEV2_ID_FQDN, (const uint8_t *)"gw.example",
			     10, NULL, 0 };
	struct pl_auth auth = { IKEV2_AUTH_PSK, pattern, 32 };
	struct pl_cp cp = { IKEV2_CFG_REQUEST, 1,
			    { { IKEV2_CP_INTERNAL_IP4_ADDRESS, 0, NULL } } };
	struct pl_notify ic = { 0, 0, IKEV2_N_INITIAL_CONTACT, NULL, NULL, 0 };

	msg_build_chain(in, buf, cap);
	pl_add_id(in, IKEV2_PL_IDI, &idi);
	pl_add_id(in, IKEV2_PL_IDR, &idr);
	pl_add_auth(in, &auth);
	pl_add_cp(in, &cp);
	add_sa(in, IKEV2_PROTO_ESP);
	add_ts(in, IKEV2_PL_TSI);
	add_ts(in, IKEV2_PL_TSR);
	pl_add_notify(in, &ic);
}

static void informational_chain(struct msg_builder *in, uint8_t *buf,
				size_t cap)
{
	struct pl_delete d = { IKEV2_PROTO_ESP, 4, 2,
			       (const uint8_t *)"\x01\x02\x03\x04\xaa\xbb\xcc\xdd" };
	struct pl_delete dike = { IKEV2_PROTO_IKE, 0, 0, NULL };
	struct pl_vendor v = { (const uint8_t *)"ikevti", 6 };

	msg_build_chain(in, buf, cap);
	pl_add_delete(in, &d);
	pl_add_delete(in, &dike);
	pl_add_vendor(in, &v);
}

static void child_chain(struct msg_builder *in, uint8_t *buf, size_t cap)
{
	struct pl_notify rekey = { IKEV2_PROTO_ESP, 4, IKEV2_N_REKEY_SA,
				   (const uint8_t *)"\x01\x02\x03\x04", NULL, 0 };
	struct pl_nonce n = { pattern + 64, 32 };
	struct pl_ke ke = { IKEV2_DH_CURVE25519, pattern + 128, 32 };

	msg_build_chain(in, buf, cap);
	pl_add_notify(in, &rekey);
	add_sa(in, IKEV2_PROTO_ESP);
	pl_add_nonce(in, &n);
	pl_add_ke(in, &ke);
	add_ts(in, IKEV2_PL_TSI);
	add_ts(in, IKEV2_PL_TSR);
}

int main(int argc, char **argv)
{
	static struct fuzz_suite s[FUZZ_SUITES];
	static uint8_t buf[8192], ibuf[4096], raw[4096];
	struct msg_hdr h = {
		.spi_i = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 },
		.major = 2, .exchange = IKEV2_EXCH_IKE_SA_INIT,
		.flags = IKEV2_FLAG_INITIATOR,
	};
	struct pl_ke ke = { IKEV2_DH_ECP256, pattern, 64 };
	struct pl_nonce n = { pattern + 64, 32 };
	struct pl_notify nat = { 0, 0, IKEV2_N_NAT_DETECTION_SOURCE_IP, NULL,
				 pattern + 96, 20 };
	struct pl_vendor v = { (const uint8_t *)"ikevti-seed", 11 };
	void (*chains[3])(struct msg_builder *, uint8_t *, size_t) = {
		auth_chain, informational_chain, child_chain };
	static const char *const chain_names[3] = { "ike-auth",
		"informational", "create-child-sa" };
	static const uint8_t exch[3] = { IKEV2_EXCH_IKE_AUTH,
		IKEV2_EXCH_INFORMATIONAL, IKEV2_EXCH_CREATE_CHILD_SA };
	struct msg_builder b, in;
	char name[64];
	size_t i, j, len;
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	outdir = argv[1];
	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 13 + 5);
	fuzz_suites_init(s);

	msg_build_init(&b, buf, sizeof(buf), &h);
	add_sa(&b, IKEV2_PROTO_IKE);
	pl_add_ke(&b, &ke);
	pl_add_nonce(&b, &n);
	pl_add_notify(&b, &nat);
	nat.type = IKEV2_N_NAT_DETECTION_DESTINATION_IP;
	pl_add_notify(&b, &nat);
	pl_add_vendor(&b, &v);
	err |= msg_build_finish(&b, &len) != MSG_OK;
	err |= save("ike-sa-init", buf, len);

	memcpy(h.spi_r, "\x99\x88\x77\x66\x55\x44\x33\x22", 8);
	for (i = 0; i < 3; i++) {
		h.exchange = exch[i];
		h.msgid = (uint32_t)i + 1;
		for (j = 0; j < FUZZ_SUITES; j++) {
			chains[i](&in, ibuf, sizeof(ibuf));
			msg_build_init(&b, buf, sizeof(buf), &h);
			/* A fixed IV keeps the corpus reproducible. */
			err |= msg_build_seal(&b, &in, &s[j].k, pattern, &len) !=
			       MSG_OK;
			snprintf(name, sizeof(name), "%s-suite%zu",
				 chain_names[i], j);
			err |= save(name, buf, len);
		}
		/* The bare chain, as fuzz_msg reads its input in step 2. */
		chains[i](&in, ibuf, sizeof(ibuf));
		raw[0] = in.first;
		memcpy(raw + 1, ibuf, in.len);
		snprintf(name, sizeof(name), "%s-chain", chain_names[i]);
		err |= save(name, raw, in.len + 1);
	}
	crypto_cleanup();
	return err;
}
