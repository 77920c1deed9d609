// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the IKEv1 codec (ikehelper/ikev1/): what
 * ikehelper does with an IKEv1 datagram, and more.
 *
 *  1. msg_validate() on the input; in the clear, every payload goes
 *     through its typed parser and the payload rules of every exchange
 *     step; with the E flag, v1crypt_decrypt() with each fixed key of
 *     fuzz_keys_v1.h, and the inner chain the same way.
 *  2. The input as a decrypted body (first byte: the first payload type).
 *  3. The input's body put into a message, encrypted, and decrypted: the
 *     plaintext must come back, and a chain that validates on its own
 *     must decrypt to the same payloads, its padding set apart.
 *
 * Each payload that parses is re-encoded, and the re-encoding must parse
 * again and encode to the same bytes; each transform that decodes is
 * encoded, and must decode to the same.  Any broken property aborts,
 * which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_keys_v1.h"
#include "ikev1/payload.h"
#include "ikev1/rules.h"
#include "ikev1/xform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_v1_suite suites[FUZZ_V1_SUITES];
static bool ready;

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static size_t encode(uint8_t type, const union v1pl_any *u, uint8_t *buf,
		     size_t cap)
{
	struct msg_builder b;

	msg_build_chain(&b, buf, cap);
	v1pl_add_any(&b, type, u);
	CHECK(b.err == MSG_OK);
	CHECK(b.first == type);
	return b.len;
}

/* Decoded transforms encode into transforms that decode the same. */
static void transforms(const struct v1pl_sa *sa)
{
	static struct v1pl_transform xf;
	unsigned int i, j;

	for (i = 0; i < sa->n_prop; i++) {
		const struct v1pl_proposal *p = &sa->prop[i];

		CHECK((size_t)p->first_xf + p->n_xf <= sa->n_xf);
		for (j = p->first_xf; j < p->first_xf + p->n_xf; j++) {
			struct v1xf_ike ike, ike2;
			struct v1xf_esp esp, esp2;

			if (!v1xf_ike_decode(&sa->xf[j], &ike)) {
				CHECK(v1xf_ike_encode(&ike, 1, &xf));
				CHECK(!v1xf_ike_decode(&xf, &ike2));
				CHECK(!memcmp(&ike, &ike2, sizeof(ike)));
			}
			if (!v1xf_esp_decode(&sa->xf[j], &esp)) {
				CHECK(v1xf_esp_encode(&esp, 1, &xf));
				CHECK(!v1xf_esp_decode(&xf, &esp2));
				CHECK(esp.encr == esp2.encr &&
				      esp.encr_bits == esp2.encr_bits &&
				      esp.integ == esp2.integ &&
				      esp.encap == esp2.encap &&
				      esp.group == esp2.group &&
				      esp.esn == esp2.esn &&
				      esp.life_secs == esp2.life_secs &&
				      esp.life_kbytes == esp2.life_kbytes);
			}
		}
	}
}

static void roundtrip(const struct msg_payload *p)
{
	static union v1pl_any u1, u2;
	static uint8_t e1[MSG_MAX_LEN], e2[MSG_MAX_LEN];
	static struct msg m;
	size_t l1, l2;

	if (v1pl_parse_any(p, &u1) != V1_OK)
		return;
	if (p->type == IKEV1_PL_ID) {
		char buf[128];

		v1pl_id_format(&u1.id, buf, sizeof(buf));
		CHECK(memchr(buf, 0, sizeof(buf)));
		v1pl_id_check_phase1(&u1.id);
	}
	if (p->type == IKEV1_PL_SA)
		transforms(&u1.sa);
	l1 = encode(p->type, &u1, e1, sizeof(e1));
	CHECK(msg_validate_chain(e1, l1, p->type, 1, &m) == MSG_OK);
	CHECK(m.n == 1 && v1pl_parse_any(&m.pl[0], &u2) == V1_OK);
	l2 = encode(p->type, &u2, e2, sizeof(e2));
	CHECK(l1 == l2 && !memcmp(e1, e2, l1));
}

static void parse_all(const struct msg *m, bool encrypted)
{
	unsigned int n, i;
	const struct v1rules_step *r = v1rules_table(&n);
	const uint8_t *rest;
	size_t len;

	for (i = 0; i < m->n; i++) {
		roundtrip(&m->pl[i]);
		v1pl_after(m, &m->pl[i], &rest, &len);
		CHECK(rest + len == m->raw + m->raw_len);
	}
	for (i = 0; i < n; i++)
		v1rules_check(r[i].exchange, r[i].step, encrypted, m);
}

static void seal_open(const uint8_t *data, size_t size)
{
	static const struct msg_hdr hdr = {
		.spi_i = { 1, 2, 3, 4, 5, 6, 7, 8 },
		.spi_r = { 8, 7, 6, 5, 4, 3, 2, 1 },
		.major = 1, .exchange = IKEV1_EXCH_QUICK,
		.flags = IKEV1_FLAG_ENCRYPTION, .msgid = 7,
	};
	static uint8_t out[MSG_MAX_LEN], plain[MSG_MAX_LEN];
	static struct msg m, inner, direct;
	struct fuzz_v1_suite *s = &suites[data[0] % FUZZ_V1_SUITES];
	struct msg_builder b;
	enum msg_err e2;
	enum v1_err e1;
	size_t len, pad;

	msg_build_init(&b, out, sizeof(out), &hdr);
	out[16] = data[0];
	msg_build_put(&b, data + 1, size - 1);
	CHECK(v1crypt_encrypt(&s->k, &s->iv, &b, &len) == V1_OK);
	CHECK(len % s->k.encr.block_len == MSG_HDR_LEN % s->k.encr.block_len);
	CHECK(msg_validate(out, len, &m) == MSG_OK && m.v1_encrypted);
	e1 = v1crypt_decrypt(&s->k, &s->iv, &m, plain, sizeof(plain), &inner,
			     &pad);
	e2 = msg_validate_chain(data + 1, size - 1, data[0], 1, &direct);
	if (e1 == V1_OK) {
		/* The chain may end in our zero padding, never past it. */
		size_t n = inner.raw_len < size - 1 ? inner.raw_len : size - 1;

		CHECK(!memcmp(plain, data + 1, n));
		for (; n < inner.raw_len; n++)
			CHECK(plain[n] == 0);
		CHECK(inner.raw_len + pad == len - MSG_HDR_LEN);
	}
	if (e2 == MSG_OK) {
		CHECK(e1 == V1_OK && inner.raw_len == size - 1 &&
		      inner.n == direct.n);
		CHECK(pad < s->k.encr.block_len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t plain[MSG_MAX_LEN];
	static struct msg m, inner;
	unsigned int i;
	size_t pad;

	if (!ready) {
		CHECK(!fuzz_v1_init(suites));
		ready = true;
	}
	if (msg_validate(data, size, &m) == MSG_OK && m.hdr.major == 1) {
		if (!m.v1_encrypted)
			parse_all(&m, false);
		for (i = 0; m.v1_encrypted && i < FUZZ_V1_SUITES; i++)
			if (v1crypt_decrypt(&suites[i].k, &suites[i].iv, &m,
					    plain, sizeof(plain), &inner,
					    &pad) == V1_OK)
				parse_all(&inner, true);
	}
	if (size >= 2 && size <= 4096) {
		if (msg_validate_chain(data + 1, size - 1, data[0], 1,
				       &inner) == MSG_OK)
			parse_all(&inner, false);
		seal_open(data, size);
	}
	return 0;
}
