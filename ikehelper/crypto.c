// SPDX-License-Identifier: GPL-2.0
/*
 * OpenSSL 3 EVP implementations of the IKE primitives in crypto.h.
 *
 * HMAC goes through EVP_MAC with one template context per digest that is
 * duplicated for each use; ciphers through EVP_CIPHER with the AEAD tag
 * passed as OSSL_PARAMs; Diffie-Hellman through EVP_PKEY with one cached
 * parameter key per group.  Every OpenSSL return value is checked.
 */
#include <errno.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include "crypto.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int crypto_random(void *buf, size_t len)
{
	if (len > (size_t)INT32_MAX)
		return -EINVAL;
	if (!len)
		return 0;
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -EIO;
}

/* ---- HMAC: PRFs and integrity ------------------------------------------ */

enum { D_MD5, D_SHA1, D_SHA256, D_SHA384, D_SHA512, D_COUNT };

static const struct {
	const char *name;
	size_t len;
} digests[D_COUNT] = {
	[D_MD5]    = { "MD5", 16 },
	[D_SHA1]   = { "SHA1", 20 },
	[D_SHA256] = { "SHA2-256", 32 },
	[D_SHA384] = { "SHA2-384", 48 },
	[D_SHA512] = { "SHA2-512", 64 },
};

static const struct {
	unsigned int id;
	int digest;
} prfs[] = {
	{ IKEV2_PRF_HMAC_MD5, D_MD5 },
	{ IKEV2_PRF_HMAC_SHA1, D_SHA1 },
	{ IKEV2_PRF_HMAC_SHA2_256, D_SHA256 },
	{ IKEV2_PRF_HMAC_SHA2_384, D_SHA384 },
	{ IKEV2_PRF_HMAC_SHA2_512, D_SHA512 },
};

/* RFC 2403, 2404, 4868: the key is as long as the digest output. */
static const struct {
	unsigned int id;
	int digest;
	size_t icv_len;
} integs[] = {
	{ IKEV2_INTEG_HMAC_MD5_96, D_MD5, 12 },
	{ IKEV2_INTEG_HMAC_SHA1_96, D_SHA1, 12 },
	{ IKEV2_INTEG_HMAC_SHA2_256_128, D_SHA256, 16 },
	{ IKEV2_INTEG_HMAC_SHA2_384_192, D_SHA384, 24 },
	{ IKEV2_INTEG_HMAC_SHA2_512_256, D_SHA512, 32 },
};

static EVP_MAC *hmac_alg;
static EVP_MAC_CTX *hmac_tmpl[D_COUNT];

static EVP_MAC_CTX *hmac_new(int d)
{
	OSSL_PARAM params[2];

	if (!hmac_alg) {
		hmac_alg = EVP_MAC_fetch(NULL, "HMAC", NULL);
		if (!hmac_alg)
			return NULL;
	}
	if (!hmac_tmpl[d]) {
		EVP_MAC_CTX *t = EVP_MAC_CTX_new(hmac_alg);

		if (!t)
			return NULL;
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_MAC_PARAM_DIGEST, (char *)(uintptr_t)digests[d].name, 0);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_MAC_CTX_set_params(t, params) != 1) {
			EVP_MAC_CTX_free(t);
			return NULL;
		}
		hmac_tmpl[d] = t;
	}
	return EVP_MAC_CTX_dup(hmac_tmpl[d]);
}

/*
 * One HMAC over the iovs with ctx; out receives the full digest length.
 * rekey: set the key (keylen may be 0); otherwise ctx computes with the
 * key it was given last, without deriving the padded keys again.
 */
static int hmac_run(EVP_MAC_CTX *ctx, int d, bool rekey, const void *key,
		    size_t keylen, const struct crypto_iov *iov,
		    size_t iovcnt, uint8_t *out)
{
	static const uint8_t empty[1];
	size_t i, outl = 0;

	/* A NULL key means "keep the previous key" to OpenSSL. */
	if (EVP_MAC_init(ctx, rekey ? (keylen ? key : empty) : NULL,
			 rekey ? keylen : 0, NULL) != 1)
		return -EIO;
	for (i = 0; i < iovcnt; i++)
		if (iov[i].len &&
		    EVP_MAC_update(ctx, iov[i].base, iov[i].len) != 1)
			return -EIO;
	if (EVP_MAC_final(ctx, out, &outl, digests[d].len) != 1 ||
	    outl != digests[d].len)
		return -EIO;
	return 0;
}

static int hmac(int d, const void *key, size_t keylen,
		const struct crypto_iov *iov, size_t iovcnt, uint8_t *out)
{
	EVP_MAC_CTX *ctx = hmac_new(d);
	int ret;

	if (!ctx)
		return -ENOMEM;
	ret = hmac_run(ctx, d, true, key, keylen, iov, iovcnt, out);
	EVP_MAC_CTX_free(ctx);
	return ret;
}

static int prf_digest(unsigned int prf)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(prfs); i++)
		if (prfs[i].id == prf)
			return prfs[i].digest;
	return -1;
}

size_t crypto_prf_len(unsigned int prf)
{
	int d = prf_digest(prf);

	return d < 0 ? 0 : digests[d].len;
}

int crypto_prf(unsigned int prf, const void *key, size_t keylen,
	       const struct crypto_iov *iov, size_t iovcnt, uint8_t *out)
{
	int d = prf_digest(prf);

	if (d < 0)
		return -ENOTSUP;
	return hmac(d, key, keylen, iov, iovcnt, out);
}

static EVP_MD *md_cache[D_COUNT];

int crypto_hash(unsigned int prf, const struct crypto_iov *iov, size_t iovcnt,
		uint8_t *out)
{
	int d = prf_digest(prf);
	unsigned int outl = 0;
	EVP_MD_CTX *ctx;
	size_t i;
	int ret = -EIO;

	if (d < 0)
		return -ENOTSUP;
	if (!md_cache[d])
		md_cache[d] = EVP_MD_fetch(NULL, digests[d].name, NULL);
	if (!md_cache[d])
		return -EIO;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (EVP_DigestInit_ex2(ctx, md_cache[d], NULL) != 1)
		goto out;
	for (i = 0; i < iovcnt; i++)
		if (iov[i].len &&
		    EVP_DigestUpdate(ctx, iov[i].base, iov[i].len) != 1)
			goto out;
	if (EVP_DigestFinal_ex(ctx, out, &outl) == 1 &&
	    outl == digests[d].len)
		ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

int crypto_prf_plus(unsigned int prf, const void *key, size_t keylen,
		    const struct crypto_iov *seed, size_t seedcnt,
		    uint8_t *out, size_t outlen)
{
	struct crypto_iov iov[8];
	uint8_t t[CRYPTO_PRF_MAX];
	size_t plen = crypto_prf_len(prf), done = 0, i;
	int d = prf_digest(prf);
	EVP_MAC_CTX *ctx;
	uint8_t n;
	int ret = 0;

	if (!plen)
		return -ENOTSUP;
	if (outlen > 255 * plen || seedcnt > ARRAY_SIZE(iov) - 2)
		return -EINVAL;
	/* Every block has the same key: set it up once. */
	ctx = hmac_new(d);
	if (!ctx)
		return -ENOMEM;
	for (i = 0; i < seedcnt; i++)
		iov[i + 1] = seed[i];
	for (n = 1; done < outlen; n++) {
		size_t take = outlen - done < plen ? outlen - done : plen;

		/* T1 has no previous block; Tn starts with Tn-1. */
		iov[0].base = t;
		iov[0].len = n == 1 ? 0 : plen;
		iov[seedcnt + 1].base = &n;
		iov[seedcnt + 1].len = 1;
		ret = hmac_run(ctx, d, n == 1, key, keylen, iov, seedcnt + 2,
			       t);
		if (ret)
			break;
		memcpy(out + done, t, take);
		done += take;
	}
	EVP_MAC_CTX_free(ctx);
	OPENSSL_cleanse(t, sizeof(t));
	if (ret)
		OPENSSL_cleanse(out, outlen);
	return ret;
}

static int integ_index(unsigned int integ)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(integs); i++)
		if (integs[i].id == integ)
			return (int)i;
	return -1;
}

size_t crypto_integ_keylen(unsigned int integ)
{
	int i = integ_index(integ);

	return i < 0 ? 0 : digests[integs[i].digest].len;
}

size_t crypto_integ_icvlen(unsigned int integ)
{
	int i = integ_index(integ);

	return i < 0 ? 0 : integs[i].icv_len;
}

static int integ_compute(unsigned int integ, const void *key, size_t keylen,
			 const struct crypto_iov *iov, size_t iovcnt,
			 uint8_t *full, size_t *icv_len)
{
	int i = integ_index(integ);

	if (i < 0)
		return -ENOTSUP;
	if (keylen != digests[integs[i].digest].len)
		return -EINVAL;
	*icv_len = integs[i].icv_len;
	return hmac(integs[i].digest, key, keylen, iov, iovcnt, full);
}

int crypto_integ_sign(unsigned int integ, const void *key, size_t keylen,
		      const struct crypto_iov *iov, size_t iovcnt,
		      uint8_t *icv)
{
	uint8_t full[CRYPTO_PRF_MAX];
	size_t icv_len = 0;
	int ret;

	ret = integ_compute(integ, key, keylen, iov, iovcnt, full, &icv_len);
	if (!ret)
		memcpy(icv, full, icv_len);
	OPENSSL_cleanse(full, sizeof(full));
	return ret;
}

int crypto_integ_verify(unsigned int integ, const void *key, size_t keylen,
			const struct crypto_iov *iov, size_t iovcnt,
			const uint8_t *icv)
{
	uint8_t full[CRYPTO_PRF_MAX];
	size_t icv_len = 0;
	int ret;

	ret = integ_compute(integ, key, keylen, iov, iovcnt, full, &icv_len);
	if (!ret && CRYPTO_memcmp(full, icv, icv_len) != 0)
		ret = -EBADMSG;
	OPENSSL_cleanse(full, sizeof(full));
	return ret;
}

/* ---- Ciphers ----------------------------------------------------------- */

static const struct {
	uint16_t id;
	uint16_t bits;
	const char *name;
	uint8_t salt, iv, block, icv;
} ciphers[] = {
	/*
	 * Single DES only for IKEv1 with IOS peers (seed 001's default
	 * policy); OpenSSL 3 keeps it in its legacy provider.  No IKEv2
	 * proposal can name it.
	 */
	{ IKEV2_ENCR_DES, 64, "DES-CBC", 0, 8, 8, 0 },
	{ IKEV2_ENCR_3DES, 192, "DES-EDE3-CBC", 0, 8, 8, 0 },
	{ IKEV2_ENCR_AES_CBC, 128, "AES-128-CBC", 0, 16, 16, 0 },
	{ IKEV2_ENCR_AES_CBC, 192, "AES-192-CBC", 0, 16, 16, 0 },
	{ IKEV2_ENCR_AES_CBC, 256, "AES-256-CBC", 0, 16, 16, 0 },
	/* RFC 5282 3: no alignment beyond the Pad Length octet. */
	{ IKEV2_ENCR_AES_GCM_8, 128, "AES-128-GCM", 4, 8, 1, 8 },
	{ IKEV2_ENCR_AES_GCM_8, 192, "AES-192-GCM", 4, 8, 1, 8 },
	{ IKEV2_ENCR_AES_GCM_8, 256, "AES-256-GCM", 4, 8, 1, 8 },
	{ IKEV2_ENCR_AES_GCM_12, 128, "AES-128-GCM", 4, 8, 1, 12 },
	{ IKEV2_ENCR_AES_GCM_12, 192, "AES-192-GCM", 4, 8, 1, 12 },
	{ IKEV2_ENCR_AES_GCM_12, 256, "AES-256-GCM", 4, 8, 1, 12 },
	{ IKEV2_ENCR_AES_GCM_16, 128, "AES-128-GCM", 4, 8, 1, 16 },
	{ IKEV2_ENCR_AES_GCM_16, 192, "AES-192-GCM", 4, 8, 1, 16 },
	{ IKEV2_ENCR_AES_GCM_16, 256, "AES-256-GCM", 4, 8, 1, 16 },
	{ IKEV2_ENCR_CHACHA20_POLY1305, 256, "ChaCha20-Poly1305", 4, 8, 1, 16 },
};

static EVP_CIPHER *cipher_cache[ARRAY_SIZE(ciphers)];
static OSSL_PROVIDER *legacy_prov;

/*
 * OpenSSL's legacy provider, beside the default one, for single DES:
 * loaded when DES is first used (the daemon drops capabilities, not its
 * view of the file system, so the module can still be read then).
 */
bool crypto_load_legacy(void)
{
	if (!legacy_prov)
		legacy_prov = OSSL_PROVIDER_try_load(NULL, "legacy", 1);
	return legacy_prov != NULL;
}

int crypto_encr_lookup(unsigned int encr, unsigned int key_bits,
		       struct crypto_encr *e)
{
	size_t i;

	/* These take no Key Length attribute (RFC 7296 3.3.5, RFC 7634 2). */
	if (key_bits == 0 && encr == IKEV2_ENCR_DES)
		key_bits = 64;
	if (key_bits == 0 && (encr == IKEV2_ENCR_3DES ||
			      encr == IKEV2_ENCR_CHACHA20_POLY1305))
		key_bits = encr == IKEV2_ENCR_3DES ? 192 : 256;
	for (i = 0; i < ARRAY_SIZE(ciphers); i++) {
		if (ciphers[i].id != encr || ciphers[i].bits != key_bits)
			continue;
		memset(e, 0, sizeof(*e));
		e->id = ciphers[i].id;
		e->key_bits = ciphers[i].bits;
		e->key_len = (uint8_t)(ciphers[i].bits / 8);
		e->salt_len = ciphers[i].salt;
		e->keymat_len = (uint8_t)(e->key_len + e->salt_len);
		e->iv_len = ciphers[i].iv;
		e->block_len = ciphers[i].block;
		e->icv_len = ciphers[i].icv;
		e->aead = ciphers[i].icv != 0;
		e->idx = (uint8_t)i;
		return 0;
	}
	return -ENOTSUP;
}

static const EVP_CIPHER *cipher_get(const struct crypto_encr *e)
{
	if (e->idx >= ARRAY_SIZE(ciphers) || ciphers[e->idx].id != e->id)
		return NULL;
	if (!cipher_cache[e->idx] && e->id == IKEV2_ENCR_DES)
		crypto_load_legacy();
	if (!cipher_cache[e->idx])
		cipher_cache[e->idx] = EVP_CIPHER_fetch(NULL,
						ciphers[e->idx].name, NULL);
	return cipher_cache[e->idx];
}

static int cipher_run(const struct crypto_encr *e, int enc,
		      const uint8_t *keymat, const uint8_t *iv,
		      const uint8_t *aad, size_t aadlen, const uint8_t *in,
		      size_t len, uint8_t *out, uint8_t *icv)
{
	const EVP_CIPHER *cipher = cipher_get(e);
	uint8_t nonce[12];
	const uint8_t *civ = iv;
	EVP_CIPHER_CTX *ctx;
	OSSL_PARAM params[2];
	int outl = 0, finl = 0, ret = -EIO;

	if (!cipher)
		return -ENOTSUP;
	if (len > INT32_MAX || aadlen > INT32_MAX)
		return -EINVAL;
	if (e->aead) {
		if (!icv)
			return -EINVAL;
		/* RFC 5282 4, RFC 7634 2: nonce = salt | IV */
		memcpy(nonce, keymat + e->key_len, 4);
		memcpy(nonce + 4, iv, 8);
		civ = nonce;
	} else if (len % e->block_len || aadlen || icv) {
		return -EINVAL;
	}
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (EVP_CipherInit_ex2(ctx, cipher, keymat, civ, enc, NULL) != 1)
		goto out;
	if (!e->aead && EVP_CIPHER_CTX_set_padding(ctx, 0) != 1)
		goto out;
	if (e->aead && !enc) {
		params[0] = OSSL_PARAM_construct_octet_string(
			OSSL_CIPHER_PARAM_AEAD_TAG, (void *)(uintptr_t)icv,
			e->icv_len);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_CIPHER_CTX_set_params(ctx, params) != 1)
			goto out;
	}
	if (aadlen && EVP_CipherUpdate(ctx, NULL, &outl, aad, (int)aadlen) != 1)
		goto out;
	outl = 0;
	if (len && EVP_CipherUpdate(ctx, out, &outl, in, (int)len) != 1)
		goto out;
	if (EVP_CipherFinal_ex(ctx, out + outl, &finl) != 1) {
		if (e->aead && !enc)
			ret = -EBADMSG;
		goto out;
	}
	if ((size_t)outl + (size_t)finl != len)
		goto out;
	if (e->aead && enc) {
		params[0] = OSSL_PARAM_construct_octet_string(
			OSSL_CIPHER_PARAM_AEAD_TAG, icv, e->icv_len);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_CIPHER_CTX_get_params(ctx, params) != 1)
			goto out;
	}
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(nonce, sizeof(nonce));
	if (ret && len)
		OPENSSL_cleanse(out, len);
	return ret;
}

int crypto_encrypt(const struct crypto_encr *e, const uint8_t *keymat,
		   const uint8_t *iv, const uint8_t *aad, size_t aadlen,
		   const uint8_t *in, size_t len, uint8_t *out, uint8_t *icv)
{
	return cipher_run(e, 1, keymat, iv, aad, aadlen, in, len, out, icv);
}

int crypto_decrypt(const struct crypto_encr *e, const uint8_t *keymat,
		   const uint8_t *iv, const uint8_t *aad, size_t aadlen,
		   const uint8_t *in, size_t len, uint8_t *out,
		   const uint8_t *icv)
{
	return cipher_run(e, 0, keymat, iv, aad, aadlen, in, len, out,
			  (uint8_t *)(uintptr_t)icv);
}

/* ---- Diffie-Hellman ---------------------------------------------------- */

enum dh_kind { DH_MODP_NAMED, DH_MODP_PRIME, DH_ECP, DH_X25519 };

/*
 * RFC 2409 6.1 and 6.2 (repeated in RFC 7296 Appendix B), generator 2.
 * The RFC 3526 groups are OpenSSL's built-in named groups.
 */
static const char modp768_hex[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
	"E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF";
static const char modp1024_hex[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
	"FFFFFFFFFFFFFFFF";

static const struct {
	uint16_t id;
	uint8_t kind;
	const char *name;	/* OpenSSL group name, or the prime in hex */
	uint16_t pub_len;
	uint16_t shared_len;
} groups[] = {
	{ IKEV2_DH_MODP768, DH_MODP_PRIME, modp768_hex, 96, 96 },
	{ IKEV2_DH_MODP1024, DH_MODP_PRIME, modp1024_hex, 128, 128 },
	{ IKEV2_DH_MODP1536, DH_MODP_NAMED, "modp_1536", 192, 192 },
	{ IKEV2_DH_MODP2048, DH_MODP_NAMED, "modp_2048", 256, 256 },
	{ IKEV2_DH_MODP3072, DH_MODP_NAMED, "modp_3072", 384, 384 },
	{ IKEV2_DH_MODP4096, DH_MODP_NAMED, "modp_4096", 512, 512 },
	/* RFC 5114 2.3, IKEv1 only (IOS "group 24"). */
	{ IKEV2_DH_MODP2048_256, DH_MODP_NAMED, "dh_2048_256", 256, 256 },
	{ IKEV2_DH_ECP256, DH_ECP, "P-256", 64, 32 },
	{ IKEV2_DH_ECP384, DH_ECP, "P-384", 96, 48 },
	{ IKEV2_DH_CURVE25519, DH_X25519, "X25519", 32, 32 },
};

/* Domain parameters per group, made once. */
static EVP_PKEY *group_params[ARRAY_SIZE(groups)];
/*
 * A key generation context per group, set up once: making one per key
 * pair costs a provider lookup by name each time, a good part of what an
 * ECDH key pair costs besides the scalar multiplication.
 */
static EVP_PKEY_CTX *keygen_ctx[ARRAY_SIZE(groups)];

struct crypto_dh {
	unsigned int group;
	int gi;
	EVP_PKEY *key;
};

static int group_index(unsigned int group)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(groups); i++)
		if (groups[i].id == group)
			return (int)i;
	return -1;
}

bool crypto_dh_supported(unsigned int group)
{
	return group_index(group) >= 0;
}

size_t crypto_dh_pub_len(unsigned int group)
{
	int gi = group_index(group);

	return gi < 0 ? 0 : groups[gi].pub_len;
}

size_t crypto_dh_shared_len(unsigned int group)
{
	int gi = group_index(group);

	return gi < 0 ? 0 : groups[gi].shared_len;
}

unsigned int crypto_dh_group(const struct crypto_dh *dh)
{
	return dh->group;
}

static EVP_PKEY *params_fromdata(const char *type, int selection,
				 const OSSL_PARAM *params)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *pkey = NULL;

	if (!ctx)
		return NULL;
	if (EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, selection,
			      (OSSL_PARAM *)(uintptr_t)params) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

static EVP_PKEY *modp_prime_params(const char *hex)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	BIGNUM *p = NULL, *g = NULL;
	EVP_PKEY *pkey = NULL;

	if (!BN_hex2bn(&p, hex) || !(g = BN_new()) || !BN_set_word(g, 2))
		goto out;
	bld = OSSL_PARAM_BLD_new();
	if (!bld ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, g))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (params)
		pkey = params_fromdata("DH", EVP_PKEY_KEY_PARAMETERS, params);
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(p);
	BN_free(g);
	return pkey;
}

static EVP_PKEY *group_get_params(int gi)
{
	OSSL_PARAM params[2];

	if (group_params[gi])
		return group_params[gi];
	params[0] = OSSL_PARAM_construct_utf8_string(
		OSSL_PKEY_PARAM_GROUP_NAME,
		(char *)(uintptr_t)groups[gi].name, 0);
	params[1] = OSSL_PARAM_construct_end();
	switch (groups[gi].kind) {
	case DH_MODP_NAMED:
		group_params[gi] = params_fromdata("DH",
					EVP_PKEY_KEY_PARAMETERS, params);
		break;
	case DH_MODP_PRIME:
		group_params[gi] = modp_prime_params(groups[gi].name);
		break;
	case DH_ECP:
		group_params[gi] = params_fromdata("EC",
					EVP_PKEY_KEY_PARAMETERS, params);
		break;
	default:
		break;
	}
	return group_params[gi];
}

struct crypto_dh *crypto_dh_new(unsigned int group)
{
	int gi = group_index(group);
	struct crypto_dh *dh;
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *tmpl;

	if (gi < 0) {
		errno = ENOTSUP;
		return NULL;
	}
	dh = OPENSSL_zalloc(sizeof(*dh));
	if (!dh) {
		errno = ENOMEM;
		return NULL;
	}
	dh->group = group;
	dh->gi = gi;
	ctx = keygen_ctx[gi];
	if (!ctx) {
		if (groups[gi].kind == DH_X25519) {
			ctx = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL);
		} else {
			tmpl = group_get_params(gi);
			ctx = tmpl ? EVP_PKEY_CTX_new_from_pkey(NULL, tmpl, NULL)
				   : NULL;
		}
		if (ctx && EVP_PKEY_keygen_init(ctx) != 1) {
			EVP_PKEY_CTX_free(ctx);
			ctx = NULL;
		}
		keygen_ctx[gi] = ctx;
	}
	if (!ctx || EVP_PKEY_keygen(ctx, &dh->key) != 1) {
		OPENSSL_free(dh);
		errno = EIO;
		return NULL;
	}
	return dh;
}

static EVP_PKEY *ecp_keypair(int gi, const uint8_t *priv, size_t privlen,
			     const uint8_t *pub, size_t publen)
{
	uint8_t point[1 + 2 * 66];
	OSSL_PARAM_BLD *bld;
	OSSL_PARAM *params = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *d;

	if (publen != groups[gi].pub_len || publen + 1 > sizeof(point))
		return NULL;
	point[0] = 0x04;	/* SEC 1 uncompressed */
	memcpy(point + 1, pub, publen);
	d = BN_bin2bn(priv, (int)privlen, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (d && bld &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    groups[gi].name, 0) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					     point, publen + 1))
		params = OSSL_PARAM_BLD_to_param(bld);
	if (params)
		pkey = params_fromdata("EC", EVP_PKEY_KEYPAIR, params);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(d);
	return pkey;
}

struct crypto_dh *crypto_dh_new_keypair(unsigned int group,
					const uint8_t *priv, size_t privlen,
					const uint8_t *pub, size_t publen)
{
	int gi = group_index(group);
	struct crypto_dh *dh;

	if (gi < 0 || privlen > 66 ||
	    (groups[gi].kind != DH_ECP && groups[gi].kind != DH_X25519)) {
		errno = ENOTSUP;
		return NULL;
	}
	dh = OPENSSL_zalloc(sizeof(*dh));
	if (!dh) {
		errno = ENOMEM;
		return NULL;
	}
	dh->group = group;
	dh->gi = gi;
	if (groups[gi].kind == DH_X25519)
		dh->key = privlen == 32 ? EVP_PKEY_new_raw_private_key_ex(
				NULL, "X25519", NULL, priv, privlen) : NULL;
	else if (pub)
		dh->key = ecp_keypair(gi, priv, privlen, pub, publen);
	if (!dh->key) {
		OPENSSL_free(dh);
		errno = EINVAL;
		return NULL;
	}
	if (groups[gi].kind == DH_X25519 && pub) {
		uint8_t mine[32];

		if (crypto_dh_public(dh, mine, sizeof(mine)) ||
		    publen != 32 || memcmp(mine, pub, 32)) {
			crypto_dh_free(dh);
			errno = EINVAL;
			return NULL;
		}
	}
	return dh;
}

int crypto_dh_public(const struct crypto_dh *dh, uint8_t *out, size_t len)
{
	size_t want = groups[dh->gi].pub_len, skip, n;
	unsigned char *enc = NULL;
	int ret = -EIO;

	if (len != want)
		return -EINVAL;
	/* DH: y padded to the prime; EC: 0x04 | x | y; X25519: raw */
	n = EVP_PKEY_get1_encoded_public_key(dh->key, &enc);
	skip = groups[dh->gi].kind == DH_ECP ? 1 : 0;
	if (n == want + skip && (!skip || enc[0] == 0x04)) {
		memcpy(out, enc + skip, want);
		ret = 0;
	}
	OPENSSL_free(enc);
	return ret;
}

static EVP_PKEY *peer_key(const struct crypto_dh *dh, const uint8_t *peer,
			  size_t len)
{
	uint8_t point[1 + 2 * 66];
	EVP_PKEY *tmpl, *pkey;
	EVP_PKEY_CTX *ctx;
	const uint8_t *enc = peer;
	size_t enclen = len;
	int ok;

	if (groups[dh->gi].kind == DH_X25519)
		return EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL,
						      peer, len);
	if (groups[dh->gi].kind == DH_ECP) {
		if (len + 1 > sizeof(point))
			return NULL;
		point[0] = 0x04;
		memcpy(point + 1, peer, len);
		enc = point;
		enclen = len + 1;
	}
	tmpl = group_get_params(dh->gi);
	pkey = tmpl ? EVP_PKEY_dup(tmpl) : NULL;
	if (!pkey)
		return NULL;
	/* EC: the point must be on the curve; DH: 1 < y < p - 1. */
	if (EVP_PKEY_set1_encoded_public_key(pkey, enc, enclen) != 1) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	ok = ctx && EVP_PKEY_public_check_quick(ctx) == 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	return pkey;
}

int crypto_dh_derive(const struct crypto_dh *dh, const uint8_t *peer,
		     size_t len, struct secbuf **shared)
{
	size_t want = groups[dh->gi].shared_len, outl = 0, i;
	uint8_t buf[CRYPTO_DH_PUB_MAX];
	struct secbuf *sb = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey;
	uint8_t acc = 0;
	int ret = -EIO;

	*shared = NULL;
	if (len != groups[dh->gi].pub_len)
		return -EINVAL;
	pkey = peer_key(dh, peer, len);
	if (!pkey)
		return -EINVAL;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) != 1)
		goto out;
	/* g^ir keeps the prime's length (RFC 7296 2.14). */
	if (groups[dh->gi].kind <= DH_MODP_PRIME) {
		unsigned int pad = 1;
		OSSL_PARAM params[2];

		params[0] = OSSL_PARAM_construct_uint(OSSL_EXCHANGE_PARAM_PAD,
						      &pad);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_PKEY_CTX_set_params(ctx, params) != 1)
			goto out;
	}
	/* The peer was checked above; a full check would redo a DH op. */
	if (EVP_PKEY_derive_set_peer_ex(ctx, pkey, 0) != 1)
		goto out;
	outl = sizeof(buf);
	if (EVP_PKEY_derive(ctx, buf, &outl) != 1) {
		/* X25519 fails here on an all-zero result. */
		ret = groups[dh->gi].kind == DH_X25519 ? -EINVAL : -EIO;
		goto out;
	}
	if (outl == 0 || outl > want)
		goto out;
	sb = secbuf_new(want);
	if (!sb) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(sb->data + (want - outl), buf, outl);
	for (i = 0; i < want; i++)
		acc |= sb->data[i];
	if (!acc) {		/* RFC 8031 2.3 */
		ret = -EINVAL;
		goto out;
	}
	*shared = sb;
	sb = NULL;
	ret = 0;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	secbuf_free(sb);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return ret;
}

void crypto_dh_free(struct crypto_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	OPENSSL_free(dh);
}

void crypto_cleanup(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(group_params); i++) {
		EVP_PKEY_CTX_free(keygen_ctx[i]);
		keygen_ctx[i] = NULL;
		EVP_PKEY_free(group_params[i]);
		group_params[i] = NULL;
	}
	for (i = 0; i < ARRAY_SIZE(cipher_cache); i++) {
		EVP_CIPHER_free(cipher_cache[i]);
		cipher_cache[i] = NULL;
	}
	if (legacy_prov) {
		OSSL_PROVIDER_unload(legacy_prov);
		legacy_prov = NULL;
	}
	for (i = 0; i < D_COUNT; i++) {
		EVP_MAC_CTX_free(hmac_tmpl[i]);
		hmac_tmpl[i] = NULL;
		EVP_MD_free(md_cache[i]);
		md_cache[i] = NULL;
	}
	EVP_MAC_free(hmac_alg);
	hmac_alg = NULL;
}
