// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/crypto.c against published vectors:
 *   - strongSwan's test vectors (../shared/vectors/strongswan-test-vectors):
 *     HMAC PRFs and truncated integrity (RFC 2202, RFC 4868), AES-CBC and
 *     3DES-CBC, AES-GCM in RFC 4106 key||salt layout, SKEYSEED and prf+;
 *   - ChaCha20-Poly1305, RFC 7539 2.8.2 and the IKEv2 example of RFC 7634
 *     Appendix B (transcribed via strongSwan's chacha20poly1305.c);
 *   - ECDH, RFC 5903 8.1 (P-256) and 8.2 (P-384); X25519, RFC 7748 6.1;
 *   - MODP: our group's result equals an independent BN_mod_exp() over
 *     OpenSSL's RFC 2409/3526 primes, and peer values are range-checked.
 * The vector directory is $IKEVTI_VECTORS, else IKEVTI_VECTORS from the
 * Makefile ($(repo)/../shared/vectors); without it those parts skip.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>

#include "crypto.h"
#include "tap.h"

#ifndef IKEVTI_VECTORS
#define IKEVTI_VECTORS "../../../shared/vectors"
#endif

/* ---- helpers ----------------------------------------------------------- */

static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return SIZE_MAX;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= max)
			return SIZE_MAX;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? n : SIZE_MAX;
}

static const char *vectors_dir(void)
{
	const char *d = getenv("IKEVTI_VECTORS");

	return d && *d ? d : IKEVTI_VECTORS;
}

static FILE *open_vector(const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", vectors_dir(), rel);
	return fopen(path, "r");
}

/* One block of a strongSwan vector file. */
#define VF_MAX 10
#define VF_BYTES 1024

struct vfield {
	char name[24];
	uint8_t data[VF_BYTES];
	size_t len;
};

struct vblock {
	char name[64];
	char type[16];
	char alg[48];
	char prf[48];
	unsigned int nf;
	struct vfield f[VF_MAX];
};

static const struct vfield *vget(const struct vblock *v, const char *name)
{
	unsigned int i;

	for (i = 0; i < v->nf; i++)
		if (!strcmp(v->f[i].name, name))
			return &v->f[i];
	return NULL;
}

static void attr(const char *line, const char *key, char *out, size_t len)
{
	const char *p = strstr(line, key);
	size_t n = 0;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen(key);
	while (p[n] && p[n] != ' ' && p[n] != '\n' && n + 1 < len)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

/*
 * Calls fn for each block of the file; returns the number of blocks, or
 * -1 when the file is missing.
 */
static int each_block(const char *rel, void (*fn)(const struct vblock *))
{
	static struct vblock v;
	char line[4096];
	int count = 0;
	bool open_block = false;
	FILE *f = open_vector(rel);

	if (!f)
		return -1;
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);

		if (eof || line[0] == '[') {
			if (open_block) {
				fn(&v);
				count++;
			}
			if (eof)
				break;
			memset(&v, 0, sizeof(v));
			open_block = true;
			attr(line, "[", v.name, sizeof(v.name));
			attr(line, "type=", v.type, sizeof(v.type));
			attr(line, "alg=", v.alg, sizeof(v.alg));
			attr(line, "arg.prf=", v.prf, sizeof(v.prf));
			continue;
		}
		if (!open_block || line[0] == '#' || !strchr(line, '='))
			continue;
		if (v.nf < VF_MAX) {
			struct vfield *fl = &v.f[v.nf];
			char *eq = strchr(line, '=');
			size_t n = (size_t)(eq - line);

			while (n && line[n - 1] == ' ')
				n--;
			if (n >= sizeof(fl->name))
				continue;
			memcpy(fl->name, line, n);
			fl->name[n] = '\0';
			if (!strcmp(fl->name, "key_size"))
				continue;
			fl->len = unhex(eq + 1, fl->data, sizeof(fl->data));
			if (fl->len == SIZE_MAX) {
				ok(0, "%s: field %s is not hex", v.name,
				   fl->name);
				continue;
			}
			v.nf++;
		}
	}
	fclose(f);
	return count;
}

static unsigned int alg_prf(const char *alg)
{
	static const struct { const char *s; unsigned int id; } t[] = {
		{ "PRF_HMAC_MD5", IKEV2_PRF_HMAC_MD5 },
		{ "PRF_HMAC_SHA1", IKEV2_PRF_HMAC_SHA1 },
		{ "PRF_HMAC_SHA2_256", IKEV2_PRF_HMAC_SHA2_256 },
		{ "PRF_HMAC_SHA2_384", IKEV2_PRF_HMAC_SHA2_384 },
		{ "PRF_HMAC_SHA2_512", IKEV2_PRF_HMAC_SHA2_512 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(alg, t[i].s))
			return t[i].id;
	return 0;
}

static unsigned int alg_integ(const char *alg)
{
	static const struct { const char *s; unsigned int id; } t[] = {
		{ "AUTH_HMAC_MD5_96", IKEV2_INTEG_HMAC_MD5_96 },
		{ "AUTH_HMAC_SHA1_96", IKEV2_INTEG_HMAC_SHA1_96 },
		{ "AUTH_HMAC_SHA2_256_128", IKEV2_INTEG_HMAC_SHA2_256_128 },
		{ "AUTH_HMAC_SHA2_384_192", IKEV2_INTEG_HMAC_SHA2_384_192 },
		{ "AUTH_HMAC_SHA2_512_256", IKEV2_INTEG_HMAC_SHA2_512_256 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(alg, t[i].s))
			return t[i].id;
	return 0;
}

static int vec_run, vec_skipped;

static bool fields(const struct vblock *v, const char *a, const char *b,
		   const char *c)
{
	if ((a && !vget(v, a)) || (b && !vget(v, b)) || (c && !vget(v, c))) {
		ok(0, "%s: missing fields", v->name);
		return false;
	}
	return true;
}

/* ---- strongSwan vector handlers ---------------------------------------- */

static void do_prf(const struct vblock *v)
{
	unsigned int prf = alg_prf(v->alg);
	const struct vfield *key, *seed, *out;
	uint8_t got[CRYPTO_PRF_MAX];
	struct crypto_iov iov;

	if (!fields(v, "key", "seed", "out"))
		return;
	key = vget(v, "key");
	seed = vget(v, "seed");
	out = vget(v, "out");
	iov.base = seed->data;
	iov.len = seed->len;
	vec_run++;
	ok(prf && crypto_prf_len(prf) == out->len &&
	   !crypto_prf(prf, key->data, key->len, &iov, 1, got) &&
	   !memcmp(got, out->data, out->len), "%s: %s", v->name, v->alg);
}

static void do_signer(const struct vblock *v)
{
	unsigned int integ = alg_integ(v->alg);
	const struct vfield *key, *data, *mac;
	uint8_t icv[CRYPTO_ICV_MAX];
	struct crypto_iov iov;

	if (!integ) {		/* _128/_160 variants: not IKE transforms */
		vec_skipped++;
		return;
	}
	if (!fields(v, "key", "data", "mac"))
		return;
	key = vget(v, "key");
	data = vget(v, "data");
	mac = vget(v, "mac");
	if (key->len != crypto_integ_keylen(integ)) {
		/* IKE keys are digest-sized; other lengths are PRF cases */
		vec_skipped++;
		return;
	}
	iov.base = data->data;
	iov.len = data->len;
	vec_run++;
	ok(crypto_integ_icvlen(integ) == mac->len &&
	   !crypto_integ_sign(integ, key->data, key->len, &iov, 1, icv) &&
	   !memcmp(icv, mac->data, mac->len) &&
	   !crypto_integ_verify(integ, key->data, key->len, &iov, 1, icv),
	   "%s: %s", v->name, v->alg);
	icv[mac->len - 1] ^= 1;
	is_int(crypto_integ_verify(integ, key->data, key->len, &iov, 1, icv),
	       -EBADMSG, "%s: a flipped ICV bit is refused", v->name);
}

static void do_crypter(const struct vblock *v)
{
	unsigned int encr = strcmp(v->alg, "ENCR_3DES") ? IKEV2_ENCR_AES_CBC
							: IKEV2_ENCR_3DES;
	const struct vfield *key, *iv, *plain, *cipher;
	static uint8_t out[VF_BYTES];
	struct crypto_encr e;

	if (!fields(v, "key", "iv", "plain") || !fields(v, "cipher", 0, 0))
		return;
	key = vget(v, "key");
	iv = vget(v, "iv");
	plain = vget(v, "plain");
	cipher = vget(v, "cipher");
	vec_run++;
	if (!ok(!crypto_encr_lookup(encr, encr == IKEV2_ENCR_3DES ? 0 :
				    (unsigned int)key->len * 8, &e) &&
		e.key_len == key->len && e.iv_len == iv->len,
		"%s: %s lookup", v->name, v->alg))
		return;
	ok(!crypto_encrypt(&e, key->data, iv->data, NULL, 0, plain->data,
			   plain->len, out, NULL) &&
	   !memcmp(out, cipher->data, cipher->len), "%s: encrypt", v->name);
	ok(!crypto_decrypt(&e, key->data, iv->data, NULL, 0, cipher->data,
			   cipher->len, out, NULL) &&
	   !memcmp(out, plain->data, plain->len), "%s: decrypt", v->name);
}

static void do_aead(const struct vblock *v)
{
	const struct vfield *key, *iv, *ad, *plain, *ct;
	static uint8_t out[VF_BYTES];
	uint8_t icv[16];
	struct crypto_encr e;
	unsigned int encr;
	size_t n;

	if (strstr(v->alg, "ICV8"))
		encr = IKEV2_ENCR_AES_GCM_8;
	else if (strstr(v->alg, "ICV12"))
		encr = IKEV2_ENCR_AES_GCM_12;
	else
		encr = IKEV2_ENCR_AES_GCM_16;
	if (!fields(v, "key", "iv", "plain") ||
	    !fields(v, "cipher_with_icv", 0, 0))
		return;
	key = vget(v, "key");
	iv = vget(v, "iv");
	ad = vget(v, "adata");
	plain = vget(v, "plain");
	ct = vget(v, "cipher_with_icv");
	vec_run++;
	if (!ok(!crypto_encr_lookup(encr, (unsigned int)(key->len - 4) * 8,
				    &e) && e.keymat_len == key->len &&
		e.iv_len == iv->len && ct->len == plain->len + e.icv_len,
		"%s: %s lookup", v->name, v->alg))
		return;
	n = plain->len;
	ok(!crypto_encrypt(&e, key->data, iv->data, ad ? ad->data : NULL,
			   ad ? ad->len : 0, plain->data, n, out, icv) &&
	   !memcmp(out, ct->data, n) && !memcmp(icv, ct->data + n, e.icv_len),
	   "%s: seal", v->name);
	ok(!crypto_decrypt(&e, key->data, iv->data, ad ? ad->data : NULL,
			   ad ? ad->len : 0, ct->data, n, out, ct->data + n) &&
	   !memcmp(out, plain->data, n), "%s: open", v->name);
	memcpy(icv, ct->data + n, e.icv_len);
	icv[0] ^= 0x80;
	is_int(crypto_decrypt(&e, key->data, iv->data, ad ? ad->data : NULL,
			      ad ? ad->len : 0, ct->data, n, out, icv),
	       -EBADMSG, "%s: a bad tag is refused", v->name);
}

static void do_kdf(const struct vblock *v)
{
	unsigned int prf = alg_prf(v->prf);
	const struct vfield *key, *salt, *out;
	static uint8_t got[VF_BYTES];
	struct crypto_iov iov;

	if (!fields(v, "key", "salt", "out"))
		return;
	key = vget(v, "key");
	salt = vget(v, "salt");
	out = vget(v, "out");
	vec_run++;
	if (!strcmp(v->alg, "KDF_PRF")) {
		/* SKEYSEED = prf(Ni | Nr, g^ir): salt is the key here */
		iov.base = key->data;
		iov.len = key->len;
		ok(!crypto_prf(prf, salt->data, salt->len, &iov, 1, got) &&
		   out->len == crypto_prf_len(prf) &&
		   !memcmp(got, out->data, out->len), "%s: %s SKEYSEED",
		   v->name, v->prf);
	} else {
		iov.base = salt->data;
		iov.len = salt->len;
		ok(!crypto_prf_plus(prf, key->data, key->len, &iov, 1, got,
				    out->len) &&
		   !memcmp(got, out->data, out->len), "%s: %s prf+ %zu bytes",
		   v->name, v->prf, out->len);
	}
}

static void do_block(const struct vblock *v)
{
	if (!strcmp(v->type, "prf"))
		do_prf(v);
	else if (!strcmp(v->type, "signer"))
		do_signer(v);
	else if (!strcmp(v->type, "crypter"))
		do_crypter(v);
	else if (!strcmp(v->type, "aead"))
		do_aead(v);
	else if (!strcmp(v->type, "kdf"))
		do_kdf(v);
	else
		ok(0, "%s: unknown vector type %s", v->name, v->type);
}

static void test_strongswan_vectors(void)
{
	static const char *const files[] = {
		"md5_hmac.txt", "sha1_hmac.txt", "sha2_hmac_rfc4868.txt",
		"aes_cbc.txt", "3des_cbc.txt", "aes_gcm.txt",
		"kdf_prf_ikev2_skeyseed.txt", "kdf_prf_plus_ikev2.txt",
	};
	char rel[128];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int n;

		snprintf(rel, sizeof(rel), "strongswan-test-vectors/%s",
			 files[i]);
		n = each_block(rel, do_block);
		if (n < 0) {
			printf("# %s/%s not found\n", vectors_dir(), rel);
			skip("strongSwan vectors not found");
			continue;
		}
		ok(n > 0, "%s: %d vectors read", files[i], n);
	}
	printf("# strongSwan vectors: %d run, %d skipped (non-IKE signer "
	       "variants or key sizes)\n", vec_run, vec_skipped);
}

/* ---- ChaCha20-Poly1305 ------------------------------------------------- */

static void test_chacha(void)
{
	/* RFC 7539 2.8.2, key || salt with the 4-byte constant as salt */
	static const char *key_hex =
		"808182838485868788898a8b8c8d8e8f"
		"909192939495969798999a9b9c9d9e9f" "07000000";
	static const char *plain_txt =
		"Ladies and Gentlemen of the class of '99: If I could offer "
		"you only one tip for the future, sunscreen would be it.";
	static const char *ct_hex =
		"d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
		"3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
		"92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
		"3ff4def08e4b7a9de576d26586cec64b6116"
		"1ae10b594f09e26a7e902ecbd0600691";
	/* RFC 7634 Appendix B: IKEv2 example, AAD = IKE + SK headers */
	static const char *ike_key_hex =
		"808182838485868788898a8b8c8d8e8f"
		"909192939495969798999a9b9c9d9e9f" "a0a1a2a3";
	static const char *ike_aad_hex =
		"c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d7"
		"2e202500000000090000004529000029";
	static const char *ike_plain_hex = "0000000c000040010000000a00";
	static const char *ike_ct_hex =
		"610394701f8d017f7c129248896b71bfe25236efd7cdc67066906315b2";
	uint8_t key[36], iv[8], aad[32], ct[160], out[160], icv[16];
	struct crypto_encr e;
	size_t n = strlen(plain_txt), ctlen;

	ok(!crypto_encr_lookup(IKEV2_ENCR_CHACHA20_POLY1305, 0, &e) &&
	   e.keymat_len == 36 && e.iv_len == 8 && e.icv_len == 16 && e.aead,
	   "ChaCha20-Poly1305: 32-byte key + 4-byte salt, 8-byte IV, 16 ICV");
	ok(crypto_encr_lookup(IKEV2_ENCR_CHACHA20_POLY1305, 128, &e) ==
	   -ENOTSUP, "ChaCha20-Poly1305 takes no other key length");
	crypto_encr_lookup(IKEV2_ENCR_CHACHA20_POLY1305, 0, &e);
	unhex(key_hex, key, sizeof(key));
	unhex("4041424344454647", iv, sizeof(iv));
	unhex("50515253c0c1c2c3c4c5c6c7", aad, sizeof(aad));
	ctlen = unhex(ct_hex, ct, sizeof(ct));
	ok(ctlen == n + 16 &&
	   !crypto_encrypt(&e, key, iv, aad, 12, (const uint8_t *)plain_txt,
			   n, out, icv) &&
	   !memcmp(out, ct, n) && !memcmp(icv, ct + n, 16),
	   "RFC 7539 2.8.2 AEAD seal");
	ok(!crypto_decrypt(&e, key, iv, aad, 12, ct, n, out, ct + n) &&
	   !memcmp(out, plain_txt, n), "RFC 7539 2.8.2 AEAD open");
	aad[0] ^= 1;
	is_int(crypto_decrypt(&e, key, iv, aad, 12, ct, n, out, ct + n),
	       -EBADMSG, "RFC 7539 2.8.2 with changed AAD is refused");

	unhex(ike_key_hex, key, sizeof(key));
	unhex("1011121314151617", iv, sizeof(iv));
	unhex(ike_aad_hex, aad, sizeof(aad));
	n = unhex(ike_plain_hex, out, sizeof(out));
	ctlen = unhex(ike_ct_hex, ct, sizeof(ct));
	ok(ctlen == n + 16 &&
	   !crypto_encrypt(&e, key, iv, aad, 32, out, n, out, icv) &&
	   !memcmp(out, ct, n) && !memcmp(icv, ct + n, 16),
	   "RFC 7634 Appendix B IKEv2 example seals to the published bytes");
}

/* ---- Diffie-Hellman ---------------------------------------------------- */

static const unsigned int all_groups[] = {
	IKEV2_DH_MODP768, IKEV2_DH_MODP1024, IKEV2_DH_MODP1536,
	IKEV2_DH_MODP2048, IKEV2_DH_MODP3072, IKEV2_DH_MODP4096,
	IKEV2_DH_ECP256, IKEV2_DH_ECP384, IKEV2_DH_CURVE25519,
	IKEV2_DH_MODP2048_256,
};

static void test_dh_roundtrip(unsigned int group)
{
	uint8_t pa[CRYPTO_DH_PUB_MAX], pb[CRYPTO_DH_PUB_MAX];
	struct secbuf *sa = NULL, *sb = NULL;
	size_t len = crypto_dh_pub_len(group);
	struct crypto_dh *a, *b;
	char nb[24];
	const char *name = names_fmt(NAMES_DH, group, nb, sizeof(nb));

	a = crypto_dh_new(group);
	b = crypto_dh_new(group);
	if (!ok(a && b, "%s: two key pairs", name))
		goto out;
	ok(!crypto_dh_public(a, pa, len) && !crypto_dh_public(b, pb, len) &&
	   memcmp(pa, pb, len), "%s: %zu-byte public values", name, len);
	ok(crypto_dh_public(a, pa, len - 1) == -EINVAL,
	   "%s: a short export buffer is refused", name);
	ok(!crypto_dh_derive(a, pb, len, &sa) &&
	   !crypto_dh_derive(b, pa, len, &sb) && sa && sb &&
	   sa->len == crypto_dh_shared_len(group) && secbuf_equal(sa, sb),
	   "%s: both sides derive the same %zu-byte g^ir", name,
	   crypto_dh_shared_len(group));
	secbuf_clear(&sb);
	ok(crypto_dh_derive(a, pb, len - 1, &sb) == -EINVAL && !sb &&
	   crypto_dh_derive(a, pb, len + 1, &sb) == -EINVAL && !sb,
	   "%s: KE data of the wrong length is refused", name);
	memset(pb, 0, len);
	ok(crypto_dh_derive(a, pb, len, &sb) == -EINVAL && !sb,
	   "%s: an all-zero public value is refused", name);
out:
	secbuf_free(sa);
	secbuf_free(sb);
	crypto_dh_free(a);
	crypto_dh_free(b);
}

/*
 * The MODP prime is right: with a peer whose private exponent we chose,
 * g^ir must equal BN_mod_exp(y_ours, x_peer, p) over OpenSSL's copy of
 * the RFC prime.  Running x_peer upwards also reaches a g^ir with a
 * leading zero byte, which must stay left-padded (RFC 7296 2.14).
 */
static void test_modp_prime(unsigned int group, BIGNUM *(*rfc)(BIGNUM *))
{
	uint8_t ours[CRYPTO_DH_PUB_MAX], peer[CRYPTO_DH_PUB_MAX];
	uint8_t want[CRYPTO_DH_PUB_MAX];
	size_t len = crypto_dh_pub_len(group);
	BN_CTX *bnctx = BN_CTX_new();
	BIGNUM *p = rfc(NULL), *y = NULL, *x = BN_new(), *r = BN_new();
	BIGNUM *g = BN_new();
	struct crypto_dh *dh = crypto_dh_new(group);
	struct secbuf *s = NULL;
	bool same = true, padded = false;
	unsigned long k;
	char nb[24];
	const char *name = names_fmt(NAMES_DH, group, nb, sizeof(nb));

	if (!ok(dh && p && x && r && g && bnctx &&
		!crypto_dh_public(dh, ours, len) &&
		(size_t)BN_num_bytes(p) == len, "%s: setup", name))
		goto out;
	y = BN_bin2bn(ours, (int)len, NULL);
	BN_set_word(g, 2);
	for (k = 2; k < 2000 && same; k++) {
		/* The leading-zero hunt costs ~256 DH ops: small groups only. */
		if (k >= 8 && (padded || len > 256))
			break;
		BN_set_word(x, k);
		BN_mod_exp(r, g, x, p, bnctx);
		BN_bn2binpad(r, peer, (int)len);
		BN_mod_exp(r, y, x, p, bnctx);
		BN_bn2binpad(r, want, (int)len);
		secbuf_clear(&s);
		if (crypto_dh_derive(dh, peer, len, &s) || s->len != len ||
		    memcmp(s->data, want, len))
			same = false;
		padded |= want[0] == 0;
	}
	ok(same, "%s: g^ir equals BN_mod_exp over the RFC prime (%lu peers)",
	   name, k - 2);
	if (len <= 256)
		ok(padded, "%s: a g^ir with a leading zero byte kept its "
		   "length", name);
	/* 1 < y < p - 1: y = 1 and y = p - 1 are refused. */
	memset(peer, 0, len);
	peer[len - 1] = 1;
	secbuf_clear(&s);
	ok(crypto_dh_derive(dh, peer, len, &s) == -EINVAL,
	   "%s: peer value 1 is refused", name);
	BN_sub_word(p, 1);
	BN_bn2binpad(p, peer, (int)len);
	ok(crypto_dh_derive(dh, peer, len, &s) == -EINVAL,
	   "%s: peer value p - 1 is refused", name);
	memset(peer, 0xff, len);
	ok(crypto_dh_derive(dh, peer, len, &s) == -EINVAL,
	   "%s: peer value above p is refused", name);
out:
	secbuf_free(s);
	crypto_dh_free(dh);
	BN_free(p);
	BN_free(y);
	BN_free(x);
	BN_free(r);
	BN_free(g);
	BN_CTX_free(bnctx);
}

struct dh_kat {
	const char *what;
	unsigned int group;
	const char *i, *gi, *r, *gr, *shared;
};

static const struct dh_kat dh_kats[] = {
	{
		"RFC 5903 8.1 (256-bit random ECP group)", IKEV2_DH_ECP256,
		"C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
		"DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
		"5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
		"C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
		"D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
		"56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
		"D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE",
	},
	{
		"RFC 5903 8.2 (384-bit random ECP group)", IKEV2_DH_ECP384,
		"099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655"
		"E35B538041E649EE3FAEF896783AB194",
		"667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6"
		"DE3AC808ACB4BDB4C88732AEE95F41AA"
		"9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38E"
		"EB9FCFF3C2C947DAE69B4C634573A81C",
		"41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942"
		"E0308312916B8ED2960E4BD55A7448FC",
		"E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D"
		"0D1AC43A0336DEF96FDA41D0774A3571"
		"DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FF"
		"F83FA40142209DFF5EAAD96DB9E6386C",
		"11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4"
		"D603135569B9E9D09CF5D4A270F59746",
	},
	{
		"RFC 7748 6.1 (X25519)", IKEV2_DH_CURVE25519,
		"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
		"8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
		"5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
		"de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
		"4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
	},
};

static void test_dh_kat(const struct dh_kat *t)
{
	uint8_t i[66], gi[132], r[66], gr[132], shared[66], pub[132];
	size_t il = unhex(t->i, i, sizeof(i)), gil = unhex(t->gi, gi, sizeof(gi));
	size_t rl = unhex(t->r, r, sizeof(r)), grl = unhex(t->gr, gr, sizeof(gr));
	size_t sl = unhex(t->shared, shared, sizeof(shared));
	bool x25519 = t->group == IKEV2_DH_CURVE25519;
	struct crypto_dh *a, *b;
	struct secbuf *s1 = NULL, *s2 = NULL;

	/* X25519 derives the public key itself, so give it none. */
	a = crypto_dh_new_keypair(t->group, i, il, x25519 ? NULL : gi, gil);
	b = crypto_dh_new_keypair(t->group, r, rl, x25519 ? NULL : gr, grl);
	if (!ok(a && b, "%s: key pairs imported", t->what))
		goto out;
	ok(!crypto_dh_public(a, pub, gil) && !memcmp(pub, gi, gil) &&
	   !crypto_dh_public(b, pub, grl) && !memcmp(pub, gr, grl),
	   "%s: public values %s", t->what,
	   x25519 ? "derived from the private keys" : "exported as x | y");
	ok(!crypto_dh_derive(a, gr, grl, &s1) && s1->len == sl &&
	   !memcmp(s1->data, shared, sl), "%s: initiator's shared secret",
	   t->what);
	ok(!crypto_dh_derive(b, gi, gil, &s2) && secbuf_equal(s1, s2),
	   "%s: responder's shared secret", t->what);
	if (!x25519) {
		/* Change y: the point leaves the curve. */
		secbuf_clear(&s2);
		gr[grl - 1] ^= 1;
		ok(crypto_dh_derive(a, gr, grl, &s2) == -EINVAL && !s2,
		   "%s: a point off the curve is refused", t->what);
	}
out:
	secbuf_free(s1);
	secbuf_free(s2);
	crypto_dh_free(a);
	crypto_dh_free(b);
}

static void test_dh_misc(void)
{
	/* RFC 7748 5: u = 1 is a low-order point; X25519 gives 0. */
	uint8_t low[32] = { 1 };
	struct crypto_dh *dh = crypto_dh_new(IKEV2_DH_CURVE25519);
	struct secbuf *s = NULL;

	ok(dh && crypto_dh_derive(dh, low, 32, &s) == -EINVAL && !s,
	   "X25519: a low-order peer point (all-zero result) is refused");
	crypto_dh_free(dh);
	errno = 0;
	ok(!crypto_dh_new(IKEV2_DH_MODP8192) && errno == ENOTSUP &&
	   !crypto_dh_supported(IKEV2_DH_ECP521) &&
	   !crypto_dh_pub_len(IKEV2_DH_CURVE448),
	   "unsupported groups are refused");
}

/* ---- lookups ----------------------------------------------------------- */

static void test_lookups(void)
{
	struct crypto_encr e;

	ok(!crypto_encr_lookup(IKEV2_ENCR_AES_CBC, 256, &e) &&
	   e.keymat_len == 32 && e.iv_len == 16 && e.block_len == 16 &&
	   !e.aead, "AES-CBC-256 lengths");
	ok(crypto_encr_lookup(IKEV2_ENCR_AES_CBC, 0, &e) == -ENOTSUP &&
	   crypto_encr_lookup(IKEV2_ENCR_AES_CBC, 100, &e) == -ENOTSUP,
	   "AES-CBC needs a valid Key Length");
	ok(!crypto_encr_lookup(IKEV2_ENCR_AES_GCM_16, 128, &e) &&
	   e.keymat_len == 20 && e.iv_len == 8 && e.icv_len == 16 && e.aead,
	   "AES-GCM-16-128: key + salt, 8-byte IV, 16-byte ICV");
	ok(!crypto_encr_lookup(IKEV2_ENCR_3DES, 0, &e) && e.keymat_len == 24 &&
	   e.block_len == 8, "3DES lengths");
	ok(!crypto_encr_lookup(IKEV2_ENCR_DES, 0, &e) && e.keymat_len == 8 &&
	   e.block_len == 8 && e.iv_len == 8,
	   "DES lengths (IKEv1 only: OpenSSL's legacy provider)");
	ok(crypto_prf_len(IKEV2_PRF_HMAC_SHA2_384) == 48 &&
	   crypto_prf_len(IKEV2_PRF_AES128_XCBC) == 0, "PRF lengths");
	ok(crypto_integ_keylen(IKEV2_INTEG_HMAC_SHA2_512_256) == 64 &&
	   crypto_integ_icvlen(IKEV2_INTEG_HMAC_SHA2_512_256) == 32 &&
	   crypto_integ_icvlen(IKEV2_INTEG_HMAC_SHA1_96) == 12 &&
	   crypto_integ_keylen(IKEV2_INTEG_AES_XCBC_96) == 0,
	   "integrity key and ICV lengths");
}

/*
 * Single DES in CBC mode, the worked example of FIPS 81 Appendix C
 * (Table C1): key 0123456789abcdef, IV 1234567890abcdef, "Now is the
 * time for all ".
 */
static void test_des(void)
{
	static const uint8_t key[8] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	static const uint8_t iv[8] = {
		0x12, 0x34, 0x56, 0x78, 0x90, 0xab, 0xcd, 0xef };
	static const char pt[] = "Now is the time for all ";
	static const uint8_t ct[24] = {
		0xe5, 0xc7, 0xcd, 0xde, 0x87, 0x2b, 0xf2, 0x7c,
		0x43, 0xe9, 0x34, 0x00, 0x8c, 0x38, 0x9c, 0x0f,
		0x68, 0x37, 0x88, 0x49, 0x9a, 0x7c, 0x05, 0xf6 };
	struct crypto_encr e;
	uint8_t out[24], back[24];

	if (!ok(!crypto_encr_lookup(IKEV2_ENCR_DES, 64, &e), "DES-CBC: known"))
		return;
	ok(!crypto_encrypt(&e, key, iv, NULL, 0, (const uint8_t *)pt, 24, out,
			   NULL) && !memcmp(out, ct, 24),
	   "DES-CBC: FIPS 81 Table C1 ciphertext");
	ok(!crypto_decrypt(&e, key, iv, NULL, 0, ct, 24, back, NULL) &&
	   !memcmp(back, pt, 24), "DES-CBC: and back");
}

static void test_prf_plus_limits(void)
{
	uint8_t key[20] = { 0 }, out[64];
	static uint8_t big[255 * 20 + 1];
	struct crypto_iov iov = { "seed", 4 };

	ok(!crypto_prf_plus(IKEV2_PRF_HMAC_SHA1, key, 20, &iov, 1, big,
			    255 * 20), "prf+ gives 255 blocks");
	ok(crypto_prf_plus(IKEV2_PRF_HMAC_SHA1, key, 20, &iov, 1, big,
			   255 * 20 + 1) == -EINVAL,
	   "prf+ refuses a 256th block (RFC 7296 2.13)");
	ok(crypto_prf_plus(IKEV2_PRF_AES128_XCBC, key, 16, &iov, 1, out,
			   16) == -ENOTSUP, "prf+ with an unsupported PRF");
}

int main(void)
{
	size_t i;

	test_lookups();
	test_des();
	test_strongswan_vectors();
	test_prf_plus_limits();
	test_chacha();
	for (i = 0; i < sizeof(all_groups) / sizeof(all_groups[0]); i++)
		test_dh_roundtrip(all_groups[i]);
	for (i = 0; i < sizeof(dh_kats) / sizeof(dh_kats[0]); i++)
		test_dh_kat(&dh_kats[i]);
	test_modp_prime(IKEV2_DH_MODP768, BN_get_rfc2409_prime_768);
	test_modp_prime(IKEV2_DH_MODP1024, BN_get_rfc2409_prime_1024);
	test_modp_prime(IKEV2_DH_MODP1536, BN_get_rfc3526_prime_1536);
	test_modp_prime(IKEV2_DH_MODP2048, BN_get_rfc3526_prime_2048);
	test_modp_prime(IKEV2_DH_MODP3072, BN_get_rfc3526_prime_3072);
	test_modp_prime(IKEV2_DH_MODP4096, BN_get_rfc3526_prime_4096);
	test_dh_misc();
	crypto_cleanup();
	return done_testing();
}
