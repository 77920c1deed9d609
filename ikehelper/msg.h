/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE message codec shared by IKEv1 and IKEv2: the 28-byte header
 * (RFC 7296 3.1; RFC 2408 3.1 is the same layout), the generic payload
 * chain, the SK payload (RFC 7296 3.14, RFC 5282, RFC 7634) and a builder
 * for outgoing messages.  Typed payload bodies are in payload.h.
 *
 * Validate, then parse: msg_validate() walks the whole payload chain and
 * checks every length, the next-payload links and the critical bits before
 * anyone reads a payload body.  It keeps pointers into the caller's buffer
 * (which must outlive the struct msg) and copies nothing.
 *
 * Incoming message handling, in order:
 *	msg_validate(buf, len, &m)		header + outer chain
 *	msg_sk_decrypt(&m, keys, plain, ...)	ICV, decrypt, inner chain
 *	pl_*_parse(payload, &out)		each body, bounds-checked
 */
#ifndef IKEHELPER_MSG_H
#define IKEHELPER_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "names.h"

#define MSG_HDR_LEN		28
#define MSG_GENERIC_LEN		4	/* generic payload header */
#define MSG_MAX_LEN		65535	/* one UDP datagram */
#define MSG_MAX_PAYLOADS	64

/*
 * What can be wrong with a message.  msg_err_notify() gives the IKEv2
 * notify that answers it; 0 means drop silently.
 */
#define MSG_ERRORS(X) \
	X(MSG_OK,		"ok") \
	X(MSG_E_SHORT,		"shorter than the IKE header") \
	X(MSG_E_LENGTH,		"header length does not match the datagram") \
	X(MSG_E_MAJOR,		"unsupported major version") \
	X(MSG_E_TRUNCATED,	"payload runs past the end of the message") \
	X(MSG_E_PAYLOAD_LENGTH,	"payload length below the minimum for its type") \
	X(MSG_E_TRAILING,	"bytes after the last payload") \
	X(MSG_E_CRITICAL,	"unsupported critical payload") \
	X(MSG_E_UNKNOWN_V1,	"unknown IKEv1 payload type") \
	X(MSG_E_SK_NOT_LAST,	"SK payload is not the last payload") \
	X(MSG_E_NESTED_SK,	"SK payload inside an SK payload") \
	X(MSG_E_TOO_MANY,	"too many payloads or substructures") \
	X(MSG_E_SYNTAX,		"malformed payload body") \
	X(MSG_E_NO_SK,		"no SK payload") \
	X(MSG_E_FRAGMENT,	"IKE fragments are not supported") \
	X(MSG_E_SK_LENGTH,	"SK payload too short for IV, ICV and padding") \
	X(MSG_E_INTEGRITY,	"ICV does not verify") \
	X(MSG_E_PADDING,	"bad padding in the SK payload") \
	X(MSG_E_NOSPACE,	"message does not fit the buffer") \
	X(MSG_E_INVALID,	"invalid value to encode") \
	X(MSG_E_CRYPTO,		"cryptographic operation failed")

#define MSG_ERR_ENUM(id, str) id,
enum msg_err { MSG_ERRORS(MSG_ERR_ENUM) MSG_ERR_COUNT };
#undef MSG_ERR_ENUM

const char *msg_strerror(enum msg_err err);
uint16_t msg_err_notify(enum msg_err err);

struct msg_hdr {
	uint8_t spi_i[8];
	uint8_t spi_r[8];
	uint8_t next;		/* first payload type */
	uint8_t major;		/* 2 for IKEv2, 1 for IKEv1 */
	uint8_t minor;
	uint8_t exchange;
	uint8_t flags;		/* IKEV2_FLAG_*, IKEV1_FLAG_* */
	uint32_t msgid;
	uint32_t length;
};

/* One payload of a validated chain. */
struct msg_payload {
	uint8_t type;
	uint8_t next;		/* as on the wire; for SK: the first inner type */
	bool critical;
	uint16_t off;		/* of the generic header in the chain's buffer */
	uint16_t len;		/* of the body, after the generic header */
	const uint8_t *body;
};

/* A validated message (or the decrypted inner chain of one). */
struct msg {
	struct msg_hdr hdr;
	const uint8_t *raw;	/* the message, or the decrypted chain */
	size_t raw_len;
	uint8_t n;		/* payloads of known types, in order */
	uint8_t skipped;	/* unknown non-critical payloads skipped */
	uint8_t bad_type;	/* the offending type for MSG_E_CRITICAL */
	int8_t sk;		/* index of SK or SKF in pl[], or -1 */
	bool v1_encrypted;	/* IKEv1 E flag: the chain is not walked */
	struct msg_payload pl[MSG_MAX_PAYLOADS];
};

static inline uint16_t msg_get16(const uint8_t *p)
{
	return (uint16_t)((unsigned int)p[0] << 8 | p[1]);
}

static inline uint32_t msg_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void msg_set16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void msg_set32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Read the header of buf only (for SPI lookup before anything else). */
enum msg_err msg_hdr_parse(const uint8_t *buf, size_t len, struct msg_hdr *h);

/*
 * Validate a whole datagram: the header's length must equal len, the
 * major version must be 1 or 2, and the payload chain must tile the rest
 * of the message exactly.  IKEv2: an unknown payload with the critical bit
 * fails with MSG_E_CRITICAL and m->bad_type set (the data for
 * UNSUPPORTED_CRITICAL_PAYLOAD); without the bit it is skipped.  An SK or
 * SKF payload must be the last one.  IKEv1 with the E flag: only the
 * header is checked (v1_encrypted); decrypt, then msg_validate_chain().
 */
enum msg_err msg_validate(const uint8_t *buf, size_t len, struct msg *m);

/*
 * Validate a bare chain (decrypted SK contents, an IKEv1 body) starting
 * with payload type first.  m->hdr is left as the caller set it.
 */
enum msg_err msg_validate_chain(const uint8_t *buf, size_t len,
				uint8_t first, uint8_t major, struct msg *m);

/* The first payload of type after index from (0 to start), or NULL. */
const struct msg_payload *msg_find(const struct msg *m, uint8_t type,
				   unsigned int from);
unsigned int msg_count(const struct msg *m, uint8_t type);

/* Keys for the SK payload in one direction. */
struct msg_sk_keys {
	const struct crypto_encr *encr;
	const uint8_t *ekey;		/* encr->keymat_len bytes */
	unsigned int integ;		/* IKEV2_INTEG_NONE with an AEAD */
	const uint8_t *akey;
	size_t akey_len;
};

/*
 * Check and decrypt m's SK payload into plain[0..plainsz) and validate the
 * inner chain into inner (whose hdr is a copy of m's).  Fails with
 * MSG_E_INTEGRITY before any decryption if the ICV is wrong (RFC 7296
 * 2.21: drop silently).  plainsz must be at least the SK body length.
 */
enum msg_err msg_sk_decrypt(const struct msg *m, const struct msg_sk_keys *k,
			    uint8_t *plain, size_t plainsz,
			    struct msg *inner);

/*
 * Building a message:
 *	msg_build_init(&b, buf, sizeof(buf), &hdr);
 *	pl_add_...(&b, ...);		 payloads in order
 *	msg_build_finish(&b, &len);	 or msg_build_seal() for SK
 * For an SK payload, build the inner chain with msg_build_chain() into a
 * second builder and pass it to msg_build_seal(), which appends the SK
 * payload, sets the length and computes the ICV.  Errors are sticky: the
 * first one is returned by finish/seal.
 */
struct msg_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	size_t np;		/* where the next payload's type goes */
	uint8_t first;		/* first payload type (chains) */
	bool has_hdr;
	enum msg_err err;
};

void msg_build_init(struct msg_builder *b, uint8_t *buf, size_t cap,
		    const struct msg_hdr *hdr);
void msg_build_chain(struct msg_builder *b, uint8_t *buf, size_t cap);

/* Start a payload: link it into the chain, write its generic header. */
size_t msg_build_begin(struct msg_builder *b, uint8_t type, bool critical);
/* Finish the payload begun at start: fill in its length. */
void msg_build_end(struct msg_builder *b, size_t start);

/* n bytes at the end, to be filled in; NULL (and err set) when full. */
uint8_t *msg_build_reserve(struct msg_builder *b, size_t n);
void msg_build_put(struct msg_builder *b, const void *p, size_t n);
void msg_build_u8(struct msg_builder *b, uint8_t v);
void msg_build_u16(struct msg_builder *b, uint16_t v);
void msg_build_u32(struct msg_builder *b, uint32_t v);
void msg_build_fail(struct msg_builder *b, enum msg_err err);

/* Set the header's length; *len is the message length. */
enum msg_err msg_build_finish(struct msg_builder *b, size_t *len);

/*
 * Append an SK payload carrying inner's chain, encrypted and integrity
 * protected with k, then finish the message.  iv is the wire IV
 * (encr->iv_len bytes), or NULL for a random one.
 */
enum msg_err msg_build_seal(struct msg_builder *b,
			    const struct msg_builder *inner,
			    const struct msg_sk_keys *k, const uint8_t *iv,
			    size_t *len);

#endif /* IKEHELPER_MSG_H */
