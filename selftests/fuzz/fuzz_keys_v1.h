/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixed phase 1 keys and IVs fuzz_v1 tries on every encrypted IKEv1
 * message, shared with gen_corpus_v1 so that the seed messages decrypt
 * and the fuzzer starts out inside the payload chain.
 */
#ifndef FUZZ_KEYS_V1_H
#define FUZZ_KEYS_V1_H

#include <string.h>

#include "ikev1/crypt.h"

#define FUZZ_V1_SUITES 2

struct fuzz_v1_suite {
	struct v1crypt_key k;
	struct v1crypt_iv iv;
};

/* 3DES with HMAC-MD5's hash for IVs, AES-128 with SHA-1's. */
static inline int fuzz_v1_init(struct fuzz_v1_suite s[FUZZ_V1_SUITES])
{
	static const struct { unsigned int encr, bits, prf; size_t len; } def[] = {
		{ IKEV2_ENCR_3DES, 0, IKEV2_PRF_HMAC_MD5, 24 },
		{ IKEV2_ENCR_AES_CBC, 128, IKEV2_PRF_HMAC_SHA1, 16 },
	};
	static const uint8_t gxi[] = "fuzz g^xi", gxr[] = "fuzz g^xr";
	unsigned int i, j;
	int ret = 0;

	for (i = 0; i < FUZZ_V1_SUITES; i++) {
		struct secbuf *key = secbuf_new(def[i].len);

		if (!key)
			return -1;
		for (j = 0; j < key->len; j++)
			key->data[j] = (uint8_t)(0x20 * (i + 1) + j);
		ret |= v1crypt_key_init(&s[i].k, def[i].encr, def[i].bits,
					def[i].prf, key);
		ret |= v1crypt_iv_phase1(&s[i].iv, &s[i].k, gxi, sizeof(gxi),
					 gxr, sizeof(gxr));
		secbuf_free(key);
	}
	return ret;
}

#endif /* FUZZ_KEYS_V1_H */
