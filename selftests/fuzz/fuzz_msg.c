// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the IKE message codec: what ikehelper does with a
 * datagram from the network, and more.
 *
 *  1. msg_validate() on the input; if it passes, every payload goes
 *     through its typed parser, and every SK payload through
 *     msg_sk_decrypt() with each of the fixed keys of fuzz_keys.h, whose
 *     inner chain is parsed the same way.
 *  2. The input as a decrypted SK body (first byte: the first payload
 *     type), as the SK path would hand it over.
 *  3. The input sealed into an SK payload with fixed keys, then opened:
 *     the plaintext must come back unchanged and validate exactly as in 2.
 *
 * Each payload that parses is re-encoded, and the re-encoding must parse
 * again and encode to the same bytes.  Any broken property aborts, which
 * libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "fuzz_keys.h"
#include "msg.h"
#include "payload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_suite suites[FUZZ_SUITES];
static bool ready;

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* Encode one parsed payload into a bare chain; 0 if it has no encoder. */
static size_t encode(uint8_t type, const void *pl, uint8_t *buf, size_t cap)
{
	struct msg_builder b;

	msg_build_chain(&b, buf, cap);
	switch (type) {
	case IKEV2_PL_SA: pl_add_sa(&b, pl); break;
	case IKEV2_PL_KE: pl_add_ke(&b, pl); break;
	case IKEV2_PL_NONCE: pl_add_nonce(&b, pl); break;
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR: pl_add_id(&b, type, pl); break;
	case IKEV2_PL_AUTH: pl_add_auth(&b, pl); break;
	case IKEV2_PL_NOTIFY: pl_add_notify(&b, pl); break;
	case IKEV2_PL_DELETE: pl_add_delete(&b, pl); break;
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR: pl_add_ts(&b, type, pl); break;
	case IKEV2_PL_VENDOR: pl_add_vendor(&b, pl); break;
	case IKEV2_PL_CP: pl_add_cp(&b, pl); break;
	default: return 0;
	}
	CHECK(b.err == MSG_OK);
	CHECK(b.first == type);
	return b.len;
}

union any_pl {
	struct pl_sa sa;
	struct pl_ke ke;
	struct pl_nonce nonce;
	struct pl_id id;
	struct pl_auth auth;
	struct pl_notify n;
	struct pl_delete d;
	struct pl_ts_list ts;
	struct pl_vendor v;
	struct pl_cp cp;
};

static enum msg_err parse(const struct msg_payload *p, union any_pl *u)
{
	switch (p->type) {
	case IKEV2_PL_SA: return pl_sa_parse(p, &u->sa);
	case IKEV2_PL_KE: return pl_ke_parse(p, &u->ke);
	case IKEV2_PL_NONCE: return pl_nonce_parse(p, &u->nonce);
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR: return pl_id_parse(p, &u->id);
	case IKEV2_PL_AUTH: return pl_auth_parse(p, &u->auth);
	case IKEV2_PL_NOTIFY: return pl_notify_parse(p, &u->n);
	case IKEV2_PL_DELETE: return pl_delete_parse(p, &u->d);
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR: return pl_ts_parse(p, &u->ts);
	case IKEV2_PL_VENDOR: return pl_vendor_parse(p, &u->v);
	case IKEV2_PL_CP: return pl_cp_parse(p, &u->cp);
	default: return MSG_E_INVALID;
	}
}

static void roundtrip(const struct msg_payload *p)
{
	static union any_pl u1, u2;
	static uint8_t e1[MSG_MAX_LEN], e2[MSG_MAX_LEN];
	static struct msg m;
	size_t l1, l2;

	if (parse(p, &u1) != MSG_OK)
		return;
	if (p->type == IKEV2_PL_IDI || p->type == IKEV2_PL_IDR) {
		char buf[128];

		pl_id_format(&u1.id, buf, sizeof(buf));
		CHECK(memchr(buf, 0, sizeof(buf)));
	}
	l1 = encode(p->type, &u1, e1, sizeof(e1));
	if (!l1)
		return;
	CHECK(msg_validate_chain(e1, l1, p->type, 2, &m) == MSG_OK);
	CHECK(m.n == 1 && parse(&m.pl[0], &u2) == MSG_OK);
	l2 = encode(p->type, &u2, e2, sizeof(e2));
	CHECK(l1 == l2 && !memcmp(e1, e2, l1));
}

static void parse_all(const struct msg *m)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		roundtrip(&m->pl[i]);
}

static void seal_open(const uint8_t *data, size_t size)
{
	static const struct msg_hdr hdr = {
		.spi_i = { 1, 2, 3, 4, 5, 6, 7, 8 },
		.spi_r = { 8, 7, 6, 5, 4, 3, 2, 1 },
		.major = 2, .exchange = IKEV2_EXCH_INFORMATIONAL, .msgid = 7,
	};
	static const uint8_t iv[CRYPTO_IV_MAX] = { 0x42 };
	static uint8_t out[MSG_MAX_LEN], plain[MSG_MAX_LEN], body[MSG_MAX_LEN];
	static struct msg m, inner, direct;
	const struct fuzz_suite *s = &suites[data[0] % FUZZ_SUITES];
	struct msg_builder b, in;
	enum msg_err e1, e2;
	size_t len;

	/* A chain builder holding the input as it is. */
	memcpy(body, data + 1, size - 1);
	msg_build_chain(&in, body, sizeof(body));
	in.len = size - 1;
	in.first = data[0];
	msg_build_init(&b, out, sizeof(out), &hdr);
	CHECK(msg_build_seal(&b, &in, &s->k, iv, &len) == MSG_OK);
	CHECK(msg_validate(out, len, &m) == MSG_OK && m.sk == 0);
	e1 = msg_sk_decrypt(&m, &s->k, plain, sizeof(plain), &inner);
	e2 = msg_validate_chain(data + 1, size - 1, data[0], 2, &direct);
	CHECK(e1 == e2);
	CHECK(!memcmp(plain, data + 1, size - 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t plain[MSG_MAX_LEN];
	static struct msg m, inner;
	unsigned int i;

	if (!ready) {
		fuzz_suites_init(suites);
		ready = true;
	}
	if (msg_validate(data, size, &m) == MSG_OK) {
		CHECK(m.raw == data && m.raw_len == size);
		parse_all(&m);
		for (i = 0; m.sk >= 0 && i < FUZZ_SUITES; i++)
			if (msg_sk_decrypt(&m, &suites[i].k, plain,
					   sizeof(plain), &inner) == MSG_OK)
				parse_all(&inner);
	}
	if (size >= 2 && size <= 4096) {
		if (msg_validate_chain(data + 1, size - 1, data[0], 2,
				       &inner) == MSG_OK)
			parse_all(&inner);
		seal_open(data, size);
	}
	return 0;
}
