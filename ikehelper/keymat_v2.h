/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 key derivation (RFC 7296 2.13-2.18) and the PSK AUTH value
 * (RFC 7296 2.15).  Every derived key is a secbuf, wiped on free.
 *
 * Functions return 0 or a negative errno as crypto.h describes.
 */
#ifndef IKEHELPER_KEYMAT_V2_H
#define IKEHELPER_KEYMAT_V2_H

#include <stddef.h>
#include <stdint.h>

#include "secbuf.h"

/* The negotiated transforms that decide the key lengths. */
struct keymat_v2_algs {
	uint16_t prf;		/* IKEV2_PRF_*; unused for Child SAs */
	uint16_t encr;		/* IKEV2_ENCR_* */
	uint16_t encr_bits;	/* Key Length attribute, 0 if none */
	uint16_t integ;		/* IKEV2_INTEG_*, IKEV2_INTEG_NONE with AEAD */
};

/*
 * The keys of an IKE SA.  For AEAD transforms sk_ai/sk_ar are empty and
 * sk_ei/sk_er are key | salt.
 */
struct keymat_v2_ike {
	uint16_t prf;
	struct secbuf *sk_d;
	struct secbuf *sk_ai, *sk_ar;
	struct secbuf *sk_ei, *sk_er;
	struct secbuf *sk_pi, *sk_pr;
};

/* The keys of a Child SA, initiator-to-responder first (RFC 7296 2.17). */
struct keymat_v2_child {
	struct secbuf *encr_i, *integ_i;	/* initiator to responder */
	struct secbuf *encr_r, *integ_r;	/* responder to initiator */
};

/*
 * Key lengths for algs: encryption keying material (key | salt) and
 * integrity key; 0 integ_len with AEADs.  -ENOTSUP for an unsupported or
 * inconsistent combination (an AEAD with integrity, CBC without).
 */
int keymat_v2_key_lengths(const struct keymat_v2_algs *algs,
			  size_t *encr_len, size_t *integ_len);

/* SKEYSEED = prf(Ni | Nr, g^ir) */
int keymat_v2_skeyseed(unsigned int prf, const uint8_t *ni, size_t nilen,
		       const uint8_t *nr, size_t nrlen,
		       const struct secbuf *gir, struct secbuf **skeyseed);

/*
 * IKE SA rekey (RFC 7296 2.18):
 * SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), with the old SA's PRF.
 */
int keymat_v2_skeyseed_rekey(unsigned int old_prf,
			     const struct secbuf *sk_d_old,
			     const struct secbuf *gir_new,
			     const uint8_t *ni, size_t nilen,
			     const uint8_t *nr, size_t nrlen,
			     struct secbuf **skeyseed);

/*
 * prf+(SKEYSEED, Ni | Nr | SPIi | SPIr), len bytes: the raw stream that
 * keymat_v2_ike_derive() cuts into keys.
 */
int keymat_v2_ike_stream(unsigned int prf, const struct secbuf *skeyseed,
			 const uint8_t *ni, size_t nilen,
			 const uint8_t *nr, size_t nrlen,
			 const uint8_t spi_i[8], const uint8_t spi_r[8],
			 uint8_t *out, size_t len);

/*
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} from the stream;
 * SK_d, SK_pi and SK_pr are as long as the PRF output (RFC 7296 2.14).
 * On failure out holds no keys.
 */
int keymat_v2_ike_derive(const struct keymat_v2_algs *algs,
			 const struct secbuf *skeyseed,
			 const uint8_t *ni, size_t nilen,
			 const uint8_t *nr, size_t nrlen,
			 const uint8_t spi_i[8], const uint8_t spi_r[8],
			 struct keymat_v2_ike *out);

void keymat_v2_ike_free(struct keymat_v2_ike *ike);

/*
 * Child SA KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (RFC 7296 2.17);
 * gir_new is NULL without PFS.
 */
int keymat_v2_child_stream(unsigned int prf, const struct secbuf *sk_d,
			   const struct secbuf *gir_new,
			   const uint8_t *ni, size_t nilen,
			   const uint8_t *nr, size_t nrlen,
			   uint8_t *out, size_t len);

/*
 * The Child SA keys from the stream, in the order RFC 7296 2.17 and
 * RFC 4301 give: encryption then integrity key, initiator-to-responder
 * first.  AEAD keys carry their salt (RFC 4106 8.1, RFC 7634 2).
 */
int keymat_v2_child_derive(unsigned int prf, const struct secbuf *sk_d,
			   const struct secbuf *gir_new,
			   const uint8_t *ni, size_t nilen,
			   const uint8_t *nr, size_t nrlen,
			   const struct keymat_v2_algs *child,
			   struct keymat_v2_child *out);

void keymat_v2_child_free(struct keymat_v2_child *child);

/*
 * AUTH for the shared key method (RFC 7296 2.15):
 *   prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
 *   SignedOctets = RealMessage | Nonce | prf(SK_px, ID')
 * where RealMessage is the signer's IKE_SA_INIT message, Nonce the peer's
 * nonce data, SK_px the signer's SK_pi or SK_pr, and ID' the signer's ID
 * payload body (ID Type, RESERVED, data).  out holds crypto_prf_len(prf).
 */
int keymat_v2_psk_auth(unsigned int prf, const uint8_t *psk, size_t psklen,
		       const uint8_t *real_msg, size_t msglen,
		       const uint8_t *nonce, size_t noncelen,
		       const struct secbuf *sk_p,
		       const uint8_t *id_body, size_t idlen, uint8_t *out);

/* Compute and compare in constant time: 0, or -EBADMSG on mismatch. */
int keymat_v2_psk_verify(unsigned int prf, const uint8_t *psk, size_t psklen,
			 const uint8_t *real_msg, size_t msglen,
			 const uint8_t *nonce, size_t noncelen,
			 const struct secbuf *sk_p,
			 const uint8_t *id_body, size_t idlen,
			 const uint8_t *auth, size_t authlen);

#endif /* IKEHELPER_KEYMAT_V2_H */
