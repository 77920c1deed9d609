/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 key derivation and the hashes that authenticate its messages
 * (RFC 2409 5, 5.5, 5.7, Appendix B).  The PRF is always the HMAC of the
 * negotiated hash (RFC 2409 4: no PRF attribute is defined), named by its
 * IKEV2_PRF_HMAC_* number (ikev1/xform.h: v1xf_hash_prf()).
 *
 * Every key is a secbuf, wiped on free; stack copies are wiped too.
 * Hashes are compared in constant time (keymat_v1_hash_equal()).
 * Functions return 0 or a negative errno as crypto.h describes.
 */
#ifndef IKEHELPER_KEYMAT_V1_H
#define IKEHELPER_KEYMAT_V1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "secbuf.h"

/* The keys of an ISAKMP SA. */
struct keymat_v1 {
	uint16_t prf;
	struct secbuf *skeyid;
	struct secbuf *skeyid_d;	/* phase 2 KEYMAT */
	struct secbuf *skeyid_a;	/* HASH of phase 2 and Informational */
	struct secbuf *skeyid_e;	/* the encryption key is cut from it */
};

/* SKEYID = prf(pre-shared-key, Ni_b | Nr_b) (RFC 2409 5) */
int keymat_v1_skeyid_psk(unsigned int prf, const uint8_t *psk, size_t psklen,
			 const uint8_t *ni, size_t nilen,
			 const uint8_t *nr, size_t nrlen,
			 struct secbuf **skeyid);

/* SKEYID = prf(Ni_b | Nr_b, g^xy), for signatures (RFC 2409 5) */
int keymat_v1_skeyid_sig(unsigned int prf, const uint8_t *ni, size_t nilen,
			 const uint8_t *nr, size_t nrlen,
			 const struct secbuf *gxy, struct secbuf **skeyid);

/*
 * From SKEYID (copied into out):
 *   SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 *   SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 *   SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
 * On failure out holds no keys.
 */
int keymat_v1_derive(unsigned int prf, const struct secbuf *skeyid,
		     const struct secbuf *gxy, const uint8_t cky_i[8],
		     const uint8_t cky_r[8], struct keymat_v1 *out);

void keymat_v1_free(struct keymat_v1 *k);

/*
 * The phase 1 encryption key of len bytes (RFC 2409 Appendix B): the
 * first len bytes of SKEYID_e when it is long enough, else of
 * Ka = K1 | K2 | ... with K1 = prf(SKEYID_e, 0) and Kn = prf(SKEYID_e,
 * Kn-1), where 0 is one zero octet.
 */
int keymat_v1_enc_key(unsigned int prf, const struct secbuf *skeyid_e,
		      size_t len, struct secbuf **key);

/* What a phase 1 exchange has seen, for HASH_I and HASH_R. */
struct keymat_v1_p1 {
	const uint8_t *gxi;	/* the initiator's KE data */
	size_t gxi_len;
	const uint8_t *gxr;	/* the responder's */
	size_t gxr_len;
	uint8_t cky_i[8];
	uint8_t cky_r[8];
	const uint8_t *sai_b;	/* the initiator's SA payload body */
	size_t sai_len;
};

/*
 * HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 * HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 * (RFC 2409 5; responder picks HASH_R), id_b being the ID payload body of
 * the side the hash is for.  out holds crypto_prf_len(prf) bytes.
 */
int keymat_v1_hash_p1(unsigned int prf, const struct secbuf *skeyid,
		      const struct keymat_v1_p1 *p1, bool responder,
		      const uint8_t *id_b, size_t idlen, uint8_t *out);

/*
 * HASH(1) = prf(SKEYID_a, M-ID | rest), where rest is the message after
 * the HASH payload (ikev1/payload.h: v1pl_after()): Quick Mode message 1
 * (RFC 2409 5.5), Informational (5.7), Transaction
 * (draft-dukes-ike-mode-cfg-02 3.5).  M-ID in network order.
 */
int keymat_v1_hash1(unsigned int prf, const struct secbuf *skeyid_a,
		    uint32_t msgid, const uint8_t *rest, size_t restlen,
		    uint8_t *out);

/* HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest) (RFC 2409 5.5) */
int keymat_v1_hash2(unsigned int prf, const struct secbuf *skeyid_a,
		    uint32_t msgid, const uint8_t *ni, size_t nilen,
		    const uint8_t *rest, size_t restlen, uint8_t *out);

/* HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) (RFC 2409 5.5) */
int keymat_v1_hash3(unsigned int prf, const struct secbuf *skeyid_a,
		    uint32_t msgid, const uint8_t *ni, size_t nilen,
		    const uint8_t *nr, size_t nrlen, uint8_t *out);

/*
 * A received HASH against the one computed: the length must be the
 * PRF's, the bytes are compared in constant time.  0 or -EBADMSG.
 */
int keymat_v1_hash_equal(unsigned int prf, const uint8_t *computed,
			 const uint8_t *received, size_t received_len);

/*
 * NAT-D (RFC 3947 3.2): HASH(CKY-I | CKY-R | IP | Port) with the
 * negotiated hash (not its HMAC); addr is 4 or 16 bytes in network
 * order.  out holds crypto_prf_len(prf) bytes.
 */
int keymat_v1_natd(unsigned int prf, const uint8_t cky_i[8],
		   const uint8_t cky_r[8], const uint8_t *addr, size_t alen,
		   uint16_t port, uint8_t *out);

/*
 * KEYMAT (RFC 2409 5.5): K1 | K2 | ..., len bytes, with
 *   K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b)
 *   Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b)
 * gqm is NULL without PFS; spi is the SA's, as its receiver chose it.
 */
int keymat_v1_keymat(unsigned int prf, const struct secbuf *skeyid_d,
		     const struct secbuf *gqm, uint8_t protocol,
		     const uint8_t spi[4], const uint8_t *ni, size_t nilen,
		     const uint8_t *nr, size_t nrlen, uint8_t *out,
		     size_t len);

/*
 * Key lengths of an ESP SA: encryption (with the 4-byte salt of AES-GCM,
 * RFC 4106 8.1, which the kernel takes as part of the key; 0 for NULL;
 * 8 for DES) and integrity (0 with an AEAD).  encr and integ are IKEv2
 * transform IDs (ikev1/xform.h).  -ENOTSUP for an unknown or
 * inconsistent combination.
 */
int keymat_v1_esp_lengths(unsigned int encr, unsigned int encr_bits,
			  unsigned int integ, size_t *encr_len,
			  size_t *integ_len);

/* The keys of one ESP SA (one direction). */
struct keymat_v1_sa {
	struct secbuf *encr;
	struct secbuf *integ;
};

/*
 * The keys of the ESP SA whose SPI is spi: KEYMAT cut into the
 * encryption key first, then the integrity key, as racoon, libreswan and
 * strongSwan do.  Call it for the inbound SA with our SPI and for the
 * outbound SA with the peer's.  On failure out holds no keys.
 */
int keymat_v1_esp_sa(unsigned int prf, const struct secbuf *skeyid_d,
		     const struct secbuf *gqm, const uint8_t spi[4],
		     const uint8_t *ni, size_t nilen,
		     const uint8_t *nr, size_t nrlen,
		     unsigned int encr, unsigned int encr_bits,
		     unsigned int integ, struct keymat_v1_sa *out);

void keymat_v1_sa_free(struct keymat_v1_sa *sa);

#endif /* IKEHELPER_KEYMAT_V1_H */
