/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which payloads each IKEv1 message may and must carry, as one table per
 * exchange and step (RFC 2409 5, 5.5, 5.7; RFC 3706; RFC 3947;
 * draft-dukes-ike-mode-cfg-02), in the manner of strongSwan's payload
 * rules and libreswan's state microcode.  An exchange checks a message
 * with v1rules_check() before it parses a single body, so a handler only
 * ever sees a message whose payloads are allowed in its place.
 *
 * Steps are the message numbers of the exchange as RFC 2409 draws them:
 * Main Mode 1-6, Aggressive Mode 1-3, Quick Mode 1-3; Informational has
 * one step, Transaction two (request or set, then reply or ack).  Only
 * the signature and pre-shared key methods are described: the public key
 * encryption methods (RFC 2409 5.2, 5.3) carry other payloads, and
 * ikehelper does not implement them.
 */
#ifndef IKEHELPER_IKEV1_RULES_H
#define IKEHELPER_IKEV1_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "../msg.h"
#include "err.h"

#define V1RULES_MAX_PL		12
#define V1RULES_MANY		32	/* "any number" */

/* Must the message be encrypted (the E flag)? */
enum v1rules_enc { V1R_CLEAR, V1R_ENCRYPTED, V1R_EITHER };

struct v1rules_pl {
	uint8_t type;		/* IKEV1_PL_*; 0 ends the list */
	uint8_t min, max;	/* how many of it */
	bool not_one;		/* 0 or at least 2: ID pairs, NAT-D */
};

struct v1rules_step {
	uint8_t exchange;	/* IKEV1_EXCH_* */
	uint8_t step;		/* 1-based message number */
	enum v1rules_enc enc;
	uint8_t first;		/* must come first (0: any) */
	uint8_t second;		/* must come right after first (0: any) */
	/* exactly one of these two types is present (0, 0: no such rule) */
	uint8_t one_of[2];
	struct v1rules_pl pl[V1RULES_MAX_PL];
	const char *what;	/* "Main Mode message 5", for logs */
};

/*
 * The rule for step of exchange when the message is (or is not)
 * encrypted; NULL if the table has none (an unknown exchange or step).
 */
const struct v1rules_step *v1rules_find(uint8_t exchange, uint8_t step,
					bool encrypted);

/*
 * Check m, as validated (and decrypted: encrypted says whether it was)
 * against the rule for its exchange and step.  The answers:
 *	V1_E_EXCHANGE		no rule for this exchange and step
 *	V1_E_NOT_ENCRYPTED	clear where RFC 2409 says HDR*
 *	V1_E_FLAGS		encrypted where it must not be
 *	V1_E_PAYLOAD_TYPE	a payload the step does not allow
 *	V1_E_REPEATED		more of a payload than allowed; HASH and SIG
 *	V1_E_MISSING		a required payload missing, or one of a pair
 *				(client IDs, NAT-D)
 *	V1_E_ORDER		SA not first in phase 1, HASH and SA not first
 *				in Quick Mode, HASH not first in
 *				Informational and Transaction
 */
enum v1_err v1rules_check(uint8_t exchange, uint8_t step, bool encrypted,
			  const struct msg *m);

/* Every rule, for tests and documentation. */
const struct v1rules_step *v1rules_table(unsigned int *n);

#endif /* IKEHELPER_IKEV1_RULES_H */
