/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Typed IKEv2 payload bodies (RFC 7296 3.3-3.15): a parser and an encoder
 * for each.  Parsers take a payload from a validated chain (msg.h), check
 * every length inside the body before reading a field, and return MSG_OK,
 * MSG_E_SYNTAX or MSG_E_TOO_MANY.  Parsed structures point into the
 * message buffer; nothing is copied except fixed-size fields.
 *
 * Encoders append one payload to a builder and take the same structures;
 * errors are kept in the builder (msg_build_finish() returns them).
 */
#ifndef IKEHELPER_PAYLOAD_H
#define IKEHELPER_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"

#define PL_MAX_PROPOSALS	16
#define PL_MAX_TRANSFORMS	64	/* per proposal */
#define PL_MAX_TS		32
#define PL_MAX_CP_ATTRS		32
#define PL_SPI_MAX		8

/* SA: proposals, transforms, attributes (RFC 7296 3.3) */
struct pl_transform {
	uint8_t type;		/* IKEV2_TRANS_* */
	uint16_t id;
	uint16_t key_bits;	/* Key Length attribute, if has_key_bits */
	bool has_key_bits;
	/*
	 * An attribute we do not know: RFC 7296 3.3.6 says to reject the
	 * transform (not the message), so selection must skip it.
	 */
	bool unknown_attr;
};

struct pl_proposal {
	uint8_t num;
	uint8_t proto;		/* IKEV2_PROTO_* */
	uint8_t spi_size;	/* 0, 4 or 8 */
	uint8_t n_xf;
	uint8_t spi[PL_SPI_MAX];
	struct pl_transform xf[PL_MAX_TRANSFORMS];
};

struct pl_sa {
	uint8_t n_prop;
	struct pl_proposal prop[PL_MAX_PROPOSALS];
};

/* KE (3.4) */
struct pl_ke {
	uint16_t group;
	const uint8_t *data;
	size_t len;
};

/* Ni, Nr (3.9): 16 to 256 bytes */
struct pl_nonce {
	const uint8_t *data;
	size_t len;
};

/* IDi, IDr (3.5) */
struct pl_id {
	uint8_t type;		/* IKEV2_ID_* */
	const uint8_t *data;
	size_t len;
	/* The whole body (ID Type .. data): ID' for the AUTH computation. */
	const uint8_t *body;
	size_t body_len;
};

/* AUTH (3.8) */
struct pl_auth {
	uint8_t method;		/* IKEV2_AUTH_* */
	const uint8_t *data;
	size_t len;
};

/* N (3.10) */
struct pl_notify {
	uint8_t proto;
	uint8_t spi_size;
	uint16_t type;		/* IKEV2_N_* */
	const uint8_t *spi;
	const uint8_t *data;
	size_t len;
};

/* D (3.11): no SPIs for the IKE SA, 4-byte SPIs for ESP and AH */
struct pl_delete {
	uint8_t proto;
	uint8_t spi_size;
	uint16_t n_spi;
	const uint8_t *spis;	/* n_spi * spi_size bytes */
};

/* TSi, TSr (3.13) */
struct pl_ts {
	uint8_t type;		/* IKEV2_TS_IPV4/6_ADDR_RANGE */
	uint8_t proto;		/* IP protocol, 0: any */
	uint16_t start_port;
	uint16_t end_port;
	uint8_t start[16];	/* 4 bytes used for IPv4 */
	uint8_t end[16];
};

struct pl_ts_list {
	uint8_t n;
	uint8_t skipped;	/* selectors of unknown types, passed over */
	struct pl_ts ts[PL_MAX_TS];
};

/* V (3.12) */
struct pl_vendor {
	const uint8_t *data;
	size_t len;
};

/* CP (3.15), minimal: the type and the raw attributes */
struct pl_cp_attr {
	uint16_t type;		/* IKEV2_CP_*, R bit cleared */
	uint16_t len;
	const uint8_t *data;
};

struct pl_cp {
	uint8_t type;		/* IKEV2_CFG_* */
	uint8_t n;
	struct pl_cp_attr attr[PL_MAX_CP_ATTRS];
};

enum msg_err pl_sa_parse(const struct msg_payload *p, struct pl_sa *out);
enum msg_err pl_ke_parse(const struct msg_payload *p, struct pl_ke *out);
enum msg_err pl_nonce_parse(const struct msg_payload *p,
			    struct pl_nonce *out);
enum msg_err pl_id_parse(const struct msg_payload *p, struct pl_id *out);
enum msg_err pl_auth_parse(const struct msg_payload *p, struct pl_auth *out);
enum msg_err pl_notify_parse(const struct msg_payload *p,
			     struct pl_notify *out);
enum msg_err pl_delete_parse(const struct msg_payload *p,
			     struct pl_delete *out);
enum msg_err pl_ts_parse(const struct msg_payload *p, struct pl_ts_list *out);
enum msg_err pl_vendor_parse(const struct msg_payload *p,
			     struct pl_vendor *out);
enum msg_err pl_cp_parse(const struct msg_payload *p, struct pl_cp *out);

void pl_add_sa(struct msg_builder *b, const struct pl_sa *sa);
void pl_add_ke(struct msg_builder *b, const struct pl_ke *ke);
void pl_add_nonce(struct msg_builder *b, const struct pl_nonce *nonce);
/* type is IKEV2_PL_IDI or IKEV2_PL_IDR */
void pl_add_id(struct msg_builder *b, uint8_t type, const struct pl_id *id);
void pl_add_auth(struct msg_builder *b, const struct pl_auth *auth);
void pl_add_notify(struct msg_builder *b, const struct pl_notify *n);
void pl_add_delete(struct msg_builder *b, const struct pl_delete *d);
/* type is IKEV2_PL_TSI or IKEV2_PL_TSR */
void pl_add_ts(struct msg_builder *b, uint8_t type,
	       const struct pl_ts_list *ts);
void pl_add_vendor(struct msg_builder *b, const struct pl_vendor *v);
void pl_add_cp(struct msg_builder *b, const struct pl_cp *cp);

/*
 * An ID for log lines: "10.0.0.1", "2001:db8::1", "fqdn:host.example",
 * "rfc822:user@example", "keyid:site1" (hex when not printable).  Always
 * NUL-terminates buf; returns buf.
 */
const char *pl_id_format(const struct pl_id *id, char *buf, size_t len);

#endif /* IKEHELPER_PAYLOAD_H */
