/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What can be wrong with an IKEv1 message, and the RFC 2408 notify that
 * answers each fault (RFC 2408 5, "ISAKMP Payload Processing").  The
 * typed payload parsers (payload.h), the payload rules (rules.h) and the
 * decryption (crypt.h) all answer with a v1_err; v1err_from_msg() maps
 * what the shared codec (msg.h) finds.
 *
 * Whether to send the notify is the exchange's decision, not this table's:
 * libreswan and strongSwan answer only a message that arrived in the
 * clear, since a fault inside an encrypted one usually means the keys
 * differ (a pre-shared key mismatch), and an unprotected answer to it
 * would tell an eavesdropper so.  A notify of 0 means: log, drop, answer
 * nothing, whatever the message.
 *
 * An SA payload with more proposals or transforms than the codec keeps
 * (V1PL_MAX_*) is not malformed: a peer such as strongSwan offers every
 * combination of its algorithms as a transform of its own.  We choose
 * none of them, and say so with NO-PROPOSAL-CHOSEN.
 */
#ifndef IKEHELPER_IKEV1_ERR_H
#define IKEHELPER_IKEV1_ERR_H

#include <stdint.h>

#include "../msg.h"

/* X(id, notify that answers it or 0, "what happened") */
#define V1ERR_LIST(X) \
	X(V1_OK,		0, "ok") \
	X(V1_E_SHORT,		0, "shorter than the ISAKMP header") \
	X(V1_E_LENGTH,		IKEV1_N_UNEQUAL_PAYLOAD_LENGTHS, \
	  "header length does not match the datagram") \
	X(V1_E_MAJOR,		IKEV1_N_INVALID_MAJOR_VERSION, \
	  "not ISAKMP version 1") \
	X(V1_E_MINOR,		IKEV1_N_INVALID_MINOR_VERSION, \
	  "unsupported minor version") \
	X(V1_E_EXCHANGE,	IKEV1_N_INVALID_EXCHANGE_TYPE, \
	  "unknown exchange type") \
	X(V1_E_FLAGS,		IKEV1_N_INVALID_FLAGS, "invalid header flags") \
	X(V1_E_NOT_ENCRYPTED,	IKEV1_N_INVALID_FLAGS, \
	  "message should have been encrypted") \
	X(V1_E_PAYLOAD_TYPE,	IKEV1_N_INVALID_PAYLOAD_TYPE, \
	  "unknown or unexpected payload type") \
	X(V1_E_MISSING,		IKEV1_N_PAYLOAD_MALFORMED, \
	  "a required payload is missing") \
	X(V1_E_REPEATED,	IKEV1_N_PAYLOAD_MALFORMED, \
	  "a payload appears more often than allowed") \
	X(V1_E_ORDER,		IKEV1_N_PAYLOAD_MALFORMED, \
	  "payloads out of the required order") \
	X(V1_E_MALFORMED,	IKEV1_N_PAYLOAD_MALFORMED, "malformed payload") \
	X(V1_E_TOO_MANY,	IKEV1_N_PAYLOAD_MALFORMED, \
	  "more payloads or substructures than we keep") \
	X(V1_E_OFFER_SIZE,	IKEV1_N_NO_PROPOSAL_CHOSEN, \
	  "more proposals or transforms than we evaluate") \
	X(V1_E_DOI,		IKEV1_N_DOI_NOT_SUPPORTED, \
	  "DOI not supported") \
	X(V1_E_SITUATION,	IKEV1_N_SITUATION_NOT_SUPPORTED, \
	  "situation not supported") \
	X(V1_E_PROPOSAL_SYNTAX,	IKEV1_N_BAD_PROPOSAL_SYNTAX, \
	  "malformed proposal or transform") \
	X(V1_E_PROTOCOL,	IKEV1_N_INVALID_PROTOCOL_ID, \
	  "invalid protocol ID") \
	X(V1_E_SPI,		IKEV1_N_INVALID_SPI, "invalid SPI") \
	X(V1_E_TRANSFORM,	IKEV1_N_INVALID_TRANSFORM_ID, \
	  "invalid transform ID") \
	X(V1_E_ATTRIBUTES,	IKEV1_N_ATTRIBUTES_NOT_SUPPORTED, \
	  "transform attributes not supported") \
	X(V1_E_KEY_INFO,	IKEV1_N_INVALID_KEY_INFORMATION, \
	  "invalid key exchange data") \
	X(V1_E_ID_INFO,		IKEV1_N_INVALID_ID_INFORMATION, \
	  "invalid identification") \
	X(V1_E_CERT_ENCODING,	IKEV1_N_INVALID_CERT_ENCODING, \
	  "invalid certificate encoding") \
	X(V1_E_HASH_INFO,	IKEV1_N_INVALID_HASH_INFORMATION, \
	  "invalid hash data") \
	X(V1_E_SIGNATURE,	IKEV1_N_INVALID_SIGNATURE, \
	  "invalid signature data") \
	X(V1_E_ENC_LENGTH,	0, \
	  "encrypted body is not a whole number of cipher blocks") \
	X(V1_E_PADDING,		0, \
	  "more than 255 bytes after the last encrypted payload") \
	X(V1_E_NOSPACE,		0, "message does not fit the buffer") \
	X(V1_E_INVALID,		0, "invalid value to encode or use") \
	X(V1_E_CRYPTO,		0, "cryptographic operation failed")

#define V1ERR_ENUM(id, n, str) id,
enum v1_err { V1ERR_LIST(V1ERR_ENUM) V1_ERR_COUNT };
#undef V1ERR_ENUM

const char *v1err_str(enum v1_err err);

/* The IKEV1_N_* that answers err, or 0: drop without an answer. */
uint16_t v1err_notify(enum v1_err err);

/* What the shared codec's answer means for an IKEv1 message. */
enum v1_err v1err_from_msg(enum msg_err err);

#endif /* IKEHELPER_IKEV1_ERR_H */
