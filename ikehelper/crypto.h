/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cryptography IKEv1 and IKEv2 share, on OpenSSL 3 EVP only:
 * Diffie-Hellman groups, PRFs and prf+, ciphers for the SK payload, and
 * integrity checksums.
 *
 * Algorithms are named by their IKEv2 transform IDs (names.h); IKEv1
 * callers map their attribute values onto those.  Functions return 0 or a
 * negative errno:
 *	-ENOTSUP	the algorithm is not one we support
 *	-EINVAL		a length or a peer's public value is wrong
 *	-EBADMSG	an ICV or AEAD tag does not verify
 *	-ENOMEM, -EIO	allocation or OpenSSL failed
 *
 * Algorithm objects are fetched once and cached, so the module is meant
 * for the single-threaded daemon; crypto_cleanup() drops the caches.
 */
#ifndef IKEHELPER_CRYPTO_H
#define IKEHELPER_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "names.h"
#include "secbuf.h"

#define CRYPTO_PRF_MAX		64	/* longest PRF output (SHA2-512) */
#define CRYPTO_ICV_MAX		32	/* longest ICV (HMAC-SHA2-512-256) */
#define CRYPTO_IV_MAX		16	/* longest IV on the wire (AES-CBC) */
#define CRYPTO_KEYMAT_MAX	36	/* longest encryption key + salt */
#define CRYPTO_DH_PUB_MAX	1024	/* longest KE data (MODP 8192) */

/* A piece of a scattered input, hashed in order. */
struct crypto_iov {
	const void *base;
	size_t len;
};

/* Random bytes from the OpenSSL DRBG. */
int crypto_random(void *buf, size_t len);

/* Drop the cached algorithm objects (at exit, for leak checkers). */
void crypto_cleanup(void);
/* Make single DES available (OpenSSL's legacy provider); false: cannot. */
bool crypto_load_legacy(void);

/*
 * PRF (transform type 2): HMAC-MD5 (for IKEv1), HMAC-SHA1, HMAC-SHA2-256,
 * -384, -512.  crypto_prf_len() is the output length, 0 if unsupported;
 * it is also the preferred key length (SK_d, SK_pi, SK_pr: RFC 7296 2.14).
 */
size_t crypto_prf_len(unsigned int prf);
int crypto_prf(unsigned int prf, const void *key, size_t keylen,
	       const struct crypto_iov *iov, size_t iovcnt, uint8_t *out);

/*
 * The hash function under PRF prf (MD5, SHA1, SHA2-256, -384, -512): what
 * IKEv1 takes for its IVs (RFC 2409 Appendix B) and NAT-D (RFC 3947 3).
 * out receives crypto_prf_len(prf) bytes.
 */
int crypto_hash(unsigned int prf, const struct crypto_iov *iov, size_t iovcnt,
		uint8_t *out);

/*
 * prf+ (RFC 7296 2.13): T1 | T2 | ... where Tn = prf(K, Tn-1 | S | n).
 * Writes outlen bytes; at most 255 * crypto_prf_len(prf).
 */
int crypto_prf_plus(unsigned int prf, const void *key, size_t keylen,
		    const struct crypto_iov *seed, size_t seedcnt,
		    uint8_t *out, size_t outlen);

/*
 * Integrity (transform type 3): HMAC-MD5-96, HMAC-SHA1-96,
 * HMAC-SHA2-256-128, -384-192, -512-256.  Both lengths are 0 for an
 * unsupported transform.  verify compares in constant time.
 */
size_t crypto_integ_keylen(unsigned int integ);
size_t crypto_integ_icvlen(unsigned int integ);
int crypto_integ_sign(unsigned int integ, const void *key, size_t keylen,
		      const struct crypto_iov *iov, size_t iovcnt,
		      uint8_t *icv);
int crypto_integ_verify(unsigned int integ, const void *key, size_t keylen,
			const struct crypto_iov *iov, size_t iovcnt,
			const uint8_t *icv);

/*
 * Encryption (transform type 1) as it is used for the SK payload:
 *   AES-CBC 128/192/256 and 3DES-CBC: IV of one block, no padding added
 *	here (the caller pads to block_len);
 *   AES-GCM with 8/12/16-byte ICV, 128/192/256 (RFC 5282) and
 *   ChaCha20-Poly1305 (RFC 7634): keying material is key || 4-byte salt,
 *	the nonce is salt || the 8-byte IV from the wire.
 */
struct crypto_encr {
	uint16_t id;		/* IKEV2_ENCR_* */
	uint16_t key_bits;	/* of the cipher key, without the salt */
	uint8_t key_len;	/* cipher key, bytes */
	uint8_t salt_len;	/* 4 for the AEADs, else 0 */
	uint8_t keymat_len;	/* key_len + salt_len: what keymat takes */
	uint8_t iv_len;		/* IV on the wire */
	uint8_t block_len;	/* plaintext | padding | pad length aligns */
	uint8_t icv_len;	/* AEAD tag; 0 for CBC (integrity separate) */
	bool aead;
	uint8_t idx;		/* private to crypto.c */
};

/*
 * Look up encr with the Key Length attribute key_bits (0 when the proposal
 * has none: required for 3DES and ChaCha20-Poly1305, which take no
 * attribute; AES needs 128, 192 or 256).
 */
int crypto_encr_lookup(unsigned int encr, unsigned int key_bits,
		       struct crypto_encr *e);

/*
 * Encrypt or decrypt len bytes (a multiple of block_len for CBC).  in and
 * out may be the same buffer.  For AEADs, aad is authenticated and icv
 * holds icv_len bytes; for CBC both must be NULL/0.  Decryption checks the
 * tag (-EBADMSG, with out wiped) before it returns plaintext.
 */
int crypto_encrypt(const struct crypto_encr *e, const uint8_t *keymat,
		   const uint8_t *iv, const uint8_t *aad, size_t aadlen,
		   const uint8_t *in, size_t len, uint8_t *out, uint8_t *icv);
int crypto_decrypt(const struct crypto_encr *e, const uint8_t *keymat,
		   const uint8_t *iv, const uint8_t *aad, size_t aadlen,
		   const uint8_t *in, size_t len, uint8_t *out,
		   const uint8_t *icv);

/*
 * Diffie-Hellman (transform type 4): MODP groups 1, 2 (RFC 2409), 5, 14,
 * 15, 16 (RFC 3526); ECP groups 19, 20 (RFC 5903: the KE data is x | y,
 * the shared secret is x); 31, Curve25519 (RFC 8031).
 *
 * crypto_dh_pub_len() is the exact length of the KE data and
 * crypto_dh_shared_len() that of g^ir (MODP: left-padded to the prime's
 * length); both are 0 for an unsupported group.
 */
struct crypto_dh;

bool crypto_dh_supported(unsigned int group);
size_t crypto_dh_pub_len(unsigned int group);
size_t crypto_dh_shared_len(unsigned int group);

/* A fresh key pair; NULL with errno set (ENOTSUP, ENOMEM, EIO). */
struct crypto_dh *crypto_dh_new(unsigned int group);

/*
 * A known key pair, for known-answer tests: priv is the big-endian scalar
 * (ECP, MODP) or the 32-byte X25519 private key.  pub is the KE data; it
 * is required for ECP (OpenSSL does not derive it on import) and optional
 * (NULL) for X25519.  MODP groups are not supported here.
 */
struct crypto_dh *crypto_dh_new_keypair(unsigned int group,
					const uint8_t *priv, size_t privlen,
					const uint8_t *pub, size_t publen);

unsigned int crypto_dh_group(const struct crypto_dh *dh);

/* Our KE data: exactly crypto_dh_pub_len() bytes into out. */
int crypto_dh_public(const struct crypto_dh *dh, uint8_t *out, size_t len);

/*
 * g^ir from the peer's KE data.  The value is checked: its length, the
 * range 1 < y < p-1 (MODP), the point on the curve (ECP), a non-zero
 * result (X25519, RFC 8031 2.3).  Bad values give -EINVAL.
 */
int crypto_dh_derive(const struct crypto_dh *dh, const uint8_t *peer,
		     size_t len, struct secbuf **shared);

void crypto_dh_free(struct crypto_dh *dh);

#endif /* IKEHELPER_CRYPTO_H */
