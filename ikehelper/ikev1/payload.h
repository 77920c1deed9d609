/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Typed IKEv1 payload bodies (RFC 2408 3.4-3.16, RFC 2407 4.6, RFC 3947
 * 5, draft-dukes-ike-mode-cfg-02 3.2): a parser and an encoder for each.
 *
 * Validate, then parse: a parser takes a payload from a validated chain
 * (msg_validate(), or v1crypt_decrypt() for an encrypted body), checks
 * every length inside the body before it reads a field, and answers with
 * the v1_err whose notify RFC 2408 5 gives for the fault (err.h).  Parsed
 * structures point into the message buffer; only fixed-size fields are
 * copied, into bounded arrays.  Reserved fields are not checked: RFC 2408
 * asks senders to zero them and says nothing of receivers, and peers in
 * the field do not all zero them.
 *
 * Encoders append one payload to a msg_builder and take the same
 * structures; their errors stay in the builder, as with payload.h.
 */
#ifndef IKEHELPER_IKEV1_PAYLOAD_H
#define IKEHELPER_IKEV1_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../msg.h"
#include "err.h"

#define V1PL_MAX_PROPOSALS	16	/* in one SA payload */
#define V1PL_MAX_TRANSFORMS	64	/* in one SA payload, all proposals */
#define V1PL_MAX_ATTRS		16	/* per transform */
#define V1PL_SPI_MAX		16	/* ISAKMP: the two cookies */
#define V1PL_MAX_CFG_ATTRS	32
#define V1PL_NONCE_MIN		8	/* RFC 2409 5 */
#define V1PL_NONCE_MAX		256
#define V1PL_ATTR_VALUE_MAX	8	/* TLV values we read as a number */

/* Attribute Format bit of a data attribute (RFC 2408 3.3) */
#define V1PL_AF_TV		0x8000

/* ---- SA, Proposal, Transform (RFC 2408 3.4-3.6, RFC 2407 4.6.1) ------- */

/*
 * A data attribute.  A TV attribute carries its value in the header; a
 * TLV one carries len bytes at data (into the message when parsed), and
 * value holds them as a big-endian number when len <= 8.  The encoder
 * writes data when it is set, else value in len bytes.
 */
struct v1pl_attr {
	uint16_t type;		/* AF bit cleared */
	bool tlv;
	uint16_t len;		/* TLV: of the value; TV: 2 */
	uint64_t value;
	const uint8_t *data;	/* TLV only */
};

struct v1pl_transform {
	uint8_t num;		/* Transform # */
	uint8_t id;		/* KEY_IKE, ESP_*, AH_* by the proposal's protocol */
	uint8_t n_attr;
	struct v1pl_attr attr[V1PL_MAX_ATTRS];
};

/*
 * A proposal; consecutive proposals with the same number are one offer
 * (a bundle, such as AH and ESP together: RFC 2408 4.2).  Its transforms
 * are xf[first_xf .. first_xf + n_xf) of the SA, alternatives to choose
 * one from.
 */
struct v1pl_proposal {
	uint8_t num;
	uint8_t proto;		/* IKEV1_PROTO_* */
	uint8_t spi_size;
	uint8_t spi[V1PL_SPI_MAX];
	uint8_t first_xf;
	uint8_t n_xf;
};

/*
 * The SA payload of the IPsec DOI with SIT_IDENTITY_ONLY: the only
 * situation IKE uses (RFC 2407 4.2); secrecy and integrity labels are
 * refused with SITUATION-NOT-SUPPORTED.  body/body_len is SAi_b, the
 * payload without its generic header, which HASH_I and HASH_R cover.
 */
struct v1pl_sa {
	uint32_t doi;
	uint32_t situation;
	uint8_t n_prop;
	uint8_t n_xf;
	struct v1pl_proposal prop[V1PL_MAX_PROPOSALS];
	struct v1pl_transform xf[V1PL_MAX_TRANSFORMS];
	const uint8_t *body;
	size_t body_len;
};

/*
 * Checks, in order, with the answer for each (RFC 2408 5.4-5.6):
 * DOI other than IPSEC: V1_E_DOI; situation: V1_E_SITUATION; a protocol
 * outside RFC 2407 4.4.1: V1_E_PROTOCOL; an SPI size wrong for it
 * (ISAKMP: 0 or 16, ESP and AH: 4, IPCOMP: 2 or 4): V1_E_SPI; anything
 * structural (lengths, the Next Payload of proposals and transforms, the
 * transform count, a basic attribute sent as TLV, an attribute twice,
 * a Life Duration not right after its Life Type): V1_E_PROPOSAL_SYNTAX;
 * more proposals or transforms than V1PL_MAX_PROPOSALS or
 * V1PL_MAX_TRANSFORMS: V1_E_OFFER_SIZE (we choose none of them); more
 * attributes than V1PL_MAX_ATTRS: V1_E_TOO_MANY.  Unknown attribute types
 * are kept: which transforms are acceptable is xform.h's business.
 */
enum v1_err v1pl_sa_parse(const struct msg_payload *p, struct v1pl_sa *out);
void v1pl_add_sa(struct msg_builder *b, const struct v1pl_sa *sa);

/* The first attribute of type in xf, or NULL. */
const struct v1pl_attr *v1pl_attr_find(const struct v1pl_transform *xf,
					uint16_t type);
/* Append a TV attribute (value < 65536) or a TLV one of len <= 8 bytes. */
bool v1pl_attr_add(struct v1pl_transform *xf, uint16_t type, bool tlv,
		   uint16_t len, uint64_t value);

/* ---- KE, NONCE, HASH, SIG, VID, NAT-D: opaque data ---------------------- */

/*
 * KE: 1 .. CRYPTO_DH_PUB_MAX bytes (V1_E_KEY_INFO; its exact length is
 * the group's, which the exchange checks); NONCE: 8 .. 256 bytes
 * (V1_E_MALFORMED); HASH: 1 .. CRYPTO_PRF_MAX (V1_E_HASH_INFO); SIG: at
 * least 1 (V1_E_SIGNATURE); VID: at least 1; NAT-D (20 or 130): a hash,
 * 1 .. CRYPTO_PRF_MAX (V1_E_MALFORMED).
 */
struct v1pl_data {
	const uint8_t *data;
	size_t len;
};

enum v1_err v1pl_ke_parse(const struct msg_payload *p, struct v1pl_data *out);
enum v1_err v1pl_nonce_parse(const struct msg_payload *p,
			     struct v1pl_data *out);
enum v1_err v1pl_hash_parse(const struct msg_payload *p,
			    struct v1pl_data *out);
enum v1_err v1pl_sig_parse(const struct msg_payload *p,
			   struct v1pl_data *out);
enum v1_err v1pl_vid_parse(const struct msg_payload *p,
			   struct v1pl_data *out);
enum v1_err v1pl_natd_parse(const struct msg_payload *p,
			    struct v1pl_data *out);

/* type: IKEV1_PL_KE, NONCE, HASH, SIG, VID, NAT_D or NAT_D_DRAFT. */
void v1pl_add_data(struct msg_builder *b, uint8_t type,
		   const struct v1pl_data *d);

/* ---- ID (RFC 2407 4.6.2) ------------------------------------------------ */

/*
 * An identification payload, phase 1 or 2.  Address types are decoded
 * into family and the inclusive range [start, end] they cover (a subnet's
 * host bits are not part of it); prefix is the mask length of a subnet,
 * 32 or 128 for an address, 0 for a range.  body/body_len is the payload
 * without its generic header: IDii_b / IDir_b of HASH_I and HASH_R.
 */
struct v1pl_id {
	uint8_t type;		/* IKEV1_ID_* */
	uint8_t proto;		/* IP protocol; 0: any */
	uint16_t port;		/* 0: any */
	const uint8_t *data;
	size_t len;
	const uint8_t *body;
	size_t body_len;
	uint8_t family;		/* AF_INET, AF_INET6; 0: not an address */
	uint8_t prefix;
	uint8_t start[16];
	uint8_t end[16];
};

/*
 * V1_E_ID_INFO for an unknown type, a wrong address length, a subnet
 * mask that is not a prefix, a range that ends before it starts, an
 * empty name, or a name with a NUL.
 */
enum v1_err v1pl_id_parse(const struct msg_payload *p, struct v1pl_id *out);
void v1pl_add_id(struct msg_builder *b, const struct v1pl_id *id);

/*
 * Phase 1 identities (RFC 2407 4.6.2, RFC 3947 3): an address, a name or
 * a key ID, DN; protocol and port 0, or UDP with 0, 500 or 4500.
 */
enum v1_err v1pl_id_check_phase1(const struct v1pl_id *id);

/*
 * The phase 2 ID that says [start, end] of family (AF_INET, AF_INET6),
 * with proto and port: IPVx_ADDR for one address, IPVx_ADDR_SUBNET for a
 * prefix, IPVx_ADDR_RANGE otherwise.  data points into buf (32 bytes).
 */
enum v1_err v1pl_id_from_range(struct v1pl_id *id, uint8_t buf[32],
			       uint8_t family, const uint8_t *start,
			       const uint8_t *end, uint8_t proto,
			       uint16_t port);

/* "10.0.0.1", "10.1.0.0/16", "10.0.0.1-10.0.0.9", "fqdn:host", ... */
const char *v1pl_id_format(const struct v1pl_id *id, char *buf, size_t len);

/* ---- CERT, CR (RFC 2408 3.9, 3.10) -------------------------------------- */

struct v1pl_cert {
	uint8_t encoding;	/* IKEV1_CERT_* */
	const uint8_t *data;	/* CERT: at least 1 byte; CR: the CA, may be empty */
	size_t len;
};

/* CERT: an empty certificate is V1_E_CERT_ENCODING. */
enum v1_err v1pl_cert_parse(const struct msg_payload *p,
			    struct v1pl_cert *out);
enum v1_err v1pl_cr_parse(const struct msg_payload *p, struct v1pl_cert *out);
/* type: IKEV1_PL_CERT or IKEV1_PL_CR */
void v1pl_add_cert(struct msg_builder *b, uint8_t type,
		   const struct v1pl_cert *c);

/* ---- N, D (RFC 2408 3.14, 3.15) ----------------------------------------- */

/*
 * A notification.  DOI is ISAKMP (0) or IPSEC (1), else V1_E_DOI; the
 * protocol 0 .. 4 (0: none, as some peers send with no SPI), else
 * V1_E_PROTOCOL; the SPI at most 16 bytes (DPD and INITIAL-CONTACT carry
 * the cookie pair), else V1_E_SPI.
 */
struct v1pl_notify {
	uint32_t doi;
	uint8_t proto;
	uint8_t spi_size;
	uint16_t type;		/* IKEV1_N_* */
	const uint8_t *spi;
	const uint8_t *data;
	size_t len;
};

enum v1_err v1pl_notify_parse(const struct msg_payload *p,
			      struct v1pl_notify *out);
void v1pl_add_notify(struct msg_builder *b, const struct v1pl_notify *n);

/*
 * A delete: DOI ISAKMP or IPSEC (V1_E_DOI); the SPI size must be the
 * protocol's (ISAKMP: 16, ESP and AH: 4, IPCOMP: 2 or 4; V1_E_SPI or
 * V1_E_PROTOCOL); at least one SPI, and count * size must be the rest of
 * the body exactly (V1_E_MALFORMED).
 */
struct v1pl_delete {
	uint32_t doi;
	uint8_t proto;
	uint8_t spi_size;
	uint16_t n_spi;
	const uint8_t *spis;	/* n_spi * spi_size bytes */
};

enum v1_err v1pl_delete_parse(const struct msg_payload *p,
			      struct v1pl_delete *out);
void v1pl_add_delete(struct msg_builder *b, const struct v1pl_delete *d);

/* ---- NAT-OA (RFC 3947 5.2; 131: the drafts' number) -------------------- */

struct v1pl_natoa {
	uint8_t id_type;	/* IKEV1_ID_IPV4_ADDR or IKEV1_ID_IPV6_ADDR */
	uint8_t addr[16];	/* 4 bytes used for IPv4 */
};

enum v1_err v1pl_natoa_parse(const struct msg_payload *p,
			     struct v1pl_natoa *out);
/* type: IKEV1_PL_NAT_OA or IKEV1_PL_NAT_OA_DRAFT */
void v1pl_add_natoa(struct msg_builder *b, uint8_t type,
		    const struct v1pl_natoa *oa);

/* ---- Attribute payload, mode config (draft-dukes-ike-mode-cfg-02 3.2) -- */

struct v1pl_cfg_attr {
	uint16_t type;		/* IKEV1_CFG_*, AF bit cleared */
	bool tv;		/* value in the header */
	uint16_t value;		/* TV: the value; TLV: the length */
	const uint8_t *data;	/* TLV: value bytes */
};

struct v1pl_cfg {
	uint8_t type;		/* IKEV1_CFG_REQUEST .. ACK, else V1_E_MALFORMED */
	uint16_t id;		/* Identifier */
	uint8_t n;
	struct v1pl_cfg_attr attr[V1PL_MAX_CFG_ATTRS];
};

enum v1_err v1pl_cfg_parse(const struct msg_payload *p, struct v1pl_cfg *out);
void v1pl_add_cfg(struct msg_builder *b, const struct v1pl_cfg *cfg);

/* ---- Whole messages ----------------------------------------------------- */

/*
 * The bytes of m after payload p up to the end of the chain (padding
 * excluded): what HASH(1) and HASH(2) of Quick Mode, Informational and
 * Transaction exchanges cover (RFC 2409 5.5, 5.7).
 */
void v1pl_after(const struct msg *m, const struct msg_payload *p,
		const uint8_t **rest, size_t *len);

/*
 * Parse payload p of m with the parser of its type, for the fuzzer and
 * for logs: out must be a union v1pl_any.  V1_E_PAYLOAD_TYPE for types
 * without a parser (P, T, GDOI).
 */
union v1pl_any {
	struct v1pl_sa sa;
	struct v1pl_data data;
	struct v1pl_id id;
	struct v1pl_cert cert;
	struct v1pl_notify n;
	struct v1pl_delete d;
	struct v1pl_natoa natoa;
	struct v1pl_cfg cfg;
};

enum v1_err v1pl_parse_any(const struct msg_payload *p, union v1pl_any *out);
/* Encode what v1pl_parse_any() produced for a payload of type. */
void v1pl_add_any(struct msg_builder *b, uint8_t type,
		  const union v1pl_any *u);

#endif /* IKEHELPER_IKEV1_PAYLOAD_H */
