/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixed SK keys fuzz_msg tries on every SK payload, shared with
 * gen_corpus so that the seed messages decrypt and the fuzzer starts out
 * past the ICV.
 */
#ifndef FUZZ_KEYS_H
#define FUZZ_KEYS_H

#include <string.h>

#include "crypto.h"
#include "msg.h"
#include "names.h"

#define FUZZ_SUITES 3

struct fuzz_suite {
	struct crypto_encr e;
	uint8_t ekey[CRYPTO_KEYMAT_MAX];
	uint8_t akey[64];
	struct msg_sk_keys k;
};

/* AES-CBC-256 + HMAC-SHA2-256-128, AES-GCM-16-128, ChaCha20-Poly1305 */
static inline void fuzz_suites_init(struct fuzz_suite s[FUZZ_SUITES])
{
	static const struct { unsigned int encr, bits, integ; } def[] = {
		{ IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_256_128 },
		{ IKEV2_ENCR_AES_GCM_16, 128, IKEV2_INTEG_NONE },
		{ IKEV2_ENCR_CHACHA20_POLY1305, 0, IKEV2_INTEG_NONE },
	};
	unsigned int i, j;

	for (i = 0; i < FUZZ_SUITES; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		crypto_encr_lookup(def[i].encr, def[i].bits, &s[i].e);
		for (j = 0; j < sizeof(s[i].ekey); j++)
			s[i].ekey[j] = (uint8_t)(0x10 * i + j);
		for (j = 0; j < sizeof(s[i].akey); j++)
			s[i].akey[j] = (uint8_t)(0xa0 + j);
		s[i].k.encr = &s[i].e;
		s[i].k.ekey = s[i].ekey;
		s[i].k.integ = def[i].integ;
		s[i].k.akey = s[i].akey;
		s[i].k.akey_len = crypto_integ_keylen(def[i].integ);
	}
}

#endif /* FUZZ_KEYS_H */
