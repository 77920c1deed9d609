/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 message encryption (RFC 2408 3.1 "E" flag, RFC 2409 Appendix B):
 * everything after the ISAKMP header is CBC-encrypted with the phase 1
 * cipher (3DES, AES-128/192/256; DES is refused by crypto.c), with no IV
 * on the wire.  The IV is kept by both ends instead:
 *
 *   phase 1:  IV = hash(g^xi | g^xr), cut to the block size, for the
 *             first encrypted message; then the last ciphertext block of
 *             the previous phase 1 message, sent or received.
 *   phase 2, Informational, Transaction (per Message ID):
 *             IV = hash(last phase 1 CBC block | M-ID), then the last
 *             ciphertext block of the previous message of that exchange.
 *
 * "hash" is the negotiated hash itself, not its HMAC.  A struct v1crypt_iv
 * is one such chain.  Encrypting or decrypting leaves the message's last
 * ciphertext block pending; v1crypt_iv_confirm() makes it the IV of the
 * next message once the exchange has accepted the message (its HASH or
 * signature verified) or sent it, as strongSwan's keymat_v1 does, so a
 * forged or garbled message cannot derail the chain.
 *
 * Padding: RFC 2408 only says the header's length covers it.  We pad
 * with zeros to the block size, none when the payloads fill the last
 * block (as libreswan and Cisco IOS do).  On receipt, whatever follows
 * the last payload's end (Next Payload 0) is padding, of any content:
 * zeros (libreswan, Cisco, strongSwan), or a final pad-length byte
 * (racoon); strongSwan and libreswan accept any amount, we accept up to
 * 255 bytes, the range RFC 2406 gives a pad.
 */
#ifndef IKEHELPER_IKEV1_CRYPT_H
#define IKEHELPER_IKEV1_CRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../crypto.h"
#include "../msg.h"
#include "err.h"

#define V1CRYPT_PAD_MAX		255

/* The phase 1 cipher and key, and the hash for the IVs. */
struct v1crypt_key {
	struct crypto_encr encr;	/* a CBC cipher */
	struct secbuf *key;		/* encr.key_len bytes */
	unsigned int prf;		/* IKEV2_PRF_HMAC_*: its hash */
};

/*
 * Set up k for encr (IKEV2_ENCR_3DES or _AES_CBC with encr_bits) with a
 * copy of key (keymat_v1_enc_key() of encr's key length) and prf's
 * hash.  -ENOTSUP for an AEAD or unsupported cipher, -EINVAL for a key
 * of the wrong length.
 */
int v1crypt_key_init(struct v1crypt_key *k, unsigned int encr,
		     unsigned int encr_bits, unsigned int prf,
		     const struct secbuf *key);
void v1crypt_key_free(struct v1crypt_key *k);

/* One IV chain: phase 1's, or one Message ID's. */
struct v1crypt_iv {
	uint32_t msgid;
	uint8_t len;			/* the cipher's block size */
	bool pending_set;
	uint8_t iv[CRYPTO_IV_MAX];	/* for the next message */
	uint8_t pending[CRYPTO_IV_MAX];	/* after the last one, unconfirmed */
};

/* Phase 1: hash(g^xi | g^xr), truncated to the block size. */
int v1crypt_iv_phase1(struct v1crypt_iv *iv, const struct v1crypt_key *k,
		      const uint8_t *gxi, size_t gxi_len,
		      const uint8_t *gxr, size_t gxr_len);

/*
 * Quick Mode, Informational, Transaction: hash(p1's IV | M-ID).  p1 must
 * be the phase 1 chain once phase 1 is over: its IV is then the last
 * phase 1 CBC block.
 */
int v1crypt_iv_phase2(struct v1crypt_iv *iv, const struct v1crypt_key *k,
		      const struct v1crypt_iv *p1, uint32_t msgid);

/* The pending block becomes the IV of the next message. */
void v1crypt_iv_confirm(struct v1crypt_iv *iv);

/*
 * Decrypt m (validated with the E flag: m->v1_encrypted) with iv, into
 * plain[0 .. plainsz), and validate the payload chain into inner (whose
 * hdr is m's).  inner->raw_len is the chain without padding, *pad_len the
 * padding.  The answers:
 *	V1_E_ENC_LENGTH	no body, or not a whole number of blocks
 *	V1_E_NOSPACE	plainsz too small
 *	V1_E_MALFORMED	the decrypted chain does not fit the body, as when
 *			the key is wrong (libreswan: "probable
 *			authentication failure (mismatch of preshared
 *			secrets?)")
 *	V1_E_PADDING	more than V1CRYPT_PAD_MAX bytes after the chain
 *	others		as v1err_from_msg() maps msg_validate_chain()
 * iv->pending is set on success only.
 */
enum v1_err v1crypt_decrypt(const struct v1crypt_key *k, struct v1crypt_iv *iv,
			    const struct msg *m, uint8_t *plain,
			    size_t plainsz, struct msg *inner,
			    size_t *pad_len);

/*
 * Pad and encrypt the message b holds (the header with the E flag set,
 * then the payloads, as msg_build_init() and the v1pl_add_*() built it),
 * set its length, and give it in *len.  iv->pending is set.
 */
enum v1_err v1crypt_encrypt(const struct v1crypt_key *k, struct v1crypt_iv *iv,
			    struct msg_builder *b, size_t *len);

#endif /* IKEHELPER_IKEV1_CRYPT_H */
