// SPDX-License-Identifier: GPL-2.0
/*
 * ikeload --dh-only: what a responder's DH work costs on this core, with
 * OpenSSL EVP directly (not ikehelper's crypto.c, whose overheads are
 * part of what the bench measures): the upper bound of any responder's
 * handshake rate on one core.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "ikeload.h"
#include "names.h"

/*
 * Domain parameters only, as crypto.c keeps them for ECP and named MODP
 * groups: type "EC" or "DH", the group's name.
 */
static EVP_PKEY *group_params(const char *type, const char *name)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	OSSL_PARAM params[2];
	EVP_PKEY *pkey = NULL;

	params[0] = OSSL_PARAM_construct_utf8_string(
		OSSL_PKEY_PARAM_GROUP_NAME, (char *)(uintptr_t)name, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEY_PARAMETERS,
			      params) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/*
 * What a responder's DH costs on this core, with OpenSSL EVP directly:
 * a fresh key pair from a cached template, its encoded public value, the
 * peer's value decoded and checked, the derivation.
 */
int dh_only(void)
{
	bool x = o.group == IKEV2_DH_CURVE25519;
	EVP_PKEY *tmpl = NULL, *peer = NULL;
	EVP_PKEY_CTX *kctx = NULL;
	uint8_t peer_pub[256], *enc = NULL;
	size_t peer_len, n = 0;
	double t0, t1;

	if (x) {
		kctx = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL);
	} else {
		tmpl = o.group == IKEV2_DH_MODP2048 ?
		       group_params("DH", "modp_2048") :
		       group_params("EC", "P-256");
		kctx = tmpl ? EVP_PKEY_CTX_new_from_pkey(NULL, tmpl, NULL)
			    : NULL;
	}
	if (!kctx || EVP_PKEY_keygen_init(kctx) != 1 ||
	    EVP_PKEY_keygen(kctx, &peer) != 1)
		die("--dh-only: no key pair");
	peer_len = EVP_PKEY_get1_encoded_public_key(peer, &enc);
	if (!peer_len || peer_len > sizeof(peer_pub))
		die("--dh-only: no public value");
	memcpy(peer_pub, enc, peer_len);
	OPENSSL_free(enc);
	t0 = now_s();
	t1 = t0;
	while (t1 - t0 < o.seconds) {
		for (int i = 0; i < 64; i++, n++) {
			EVP_PKEY *k = NULL, *pk;
			EVP_PKEY_CTX *c, *pc;
			uint8_t sec[256];
			size_t sl = sizeof(sec);
			bool ok;

			if (EVP_PKEY_keygen(kctx, &k) != 1)
				die("--dh-only: keygen");
			enc = NULL;
			ok = EVP_PKEY_get1_encoded_public_key(k, &enc) > 0;
			OPENSSL_free(enc);
			if (x) {
				pk = EVP_PKEY_new_raw_public_key_ex(NULL,
					"X25519", NULL, peer_pub, peer_len);
			} else {
				pk = EVP_PKEY_dup(tmpl);
				ok = ok && pk &&
				     EVP_PKEY_set1_encoded_public_key(pk,
						peer_pub, peer_len) == 1;
				pc = pk ? EVP_PKEY_CTX_new_from_pkey(NULL, pk,
								     NULL)
					: NULL;
				ok = ok && pc &&
				     EVP_PKEY_public_check_quick(pc) == 1;
				EVP_PKEY_CTX_free(pc);
			}
			c = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
			ok = ok && pk && c && EVP_PKEY_derive_init(c) == 1 &&
			     EVP_PKEY_derive_set_peer_ex(c, pk, 0) == 1 &&
			     EVP_PKEY_derive(c, sec, &sl) == 1;
			EVP_PKEY_CTX_free(c);
			EVP_PKEY_free(pk);
			EVP_PKEY_free(k);
			if (!ok)
				die("--dh-only: derive");
		}
		t1 = now_s();
	}
	printf("dh_only group=%u ops=%zu seconds=%.3f rate=%.1f us_per_op=%.2f\n",
	       o.group, n, t1 - t0, (double)n / (t1 - t0),
	       (t1 - t0) * 1e6 / (double)n);
	EVP_PKEY_CTX_free(kctx);
	EVP_PKEY_free(peer);
	EVP_PKEY_free(tmpl);
	return 0;
}
