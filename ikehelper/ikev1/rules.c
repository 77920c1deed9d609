// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv1 payload rules: one row per exchange step, read from RFC 2409
 * 5 (Main and Aggressive Mode with signatures and pre-shared keys), 5.5
 * (Quick Mode), 5.7 (Informational), RFC 3947 (NAT-D, NAT-OA), RFC 3706
 * (DPD: an Informational exchange) and draft-dukes-ike-mode-cfg-02
 * (Transaction).
 *
 * Beyond the RFC's drawings, and as libreswan and strongSwan accept them:
 * Vendor IDs in every phase 1 message, INITIAL-CONTACT and other
 * notifies with the identities (Main Mode 5 and 6, Aggressive Mode 3),
 * status notifies such as RESPONDER-LIFETIME in Quick Mode 1 and 2.
 * Where RFC 2409 draws "HDR*" for the last Aggressive Mode message but
 * peers send it in the clear (and RFC 2409 5.4 lets them), either is
 * allowed.  A lone clear notify is the Informational exchange of a
 * phase 1 that has no keys yet (NO-PROPOSAL-CHOSEN to Main Mode 1).
 */
#include <stddef.h>

#include "rules.h"

#define M	V1RULES_MANY

/* Optional payloads of the phase 1 messages that carry KE and nonces. */
#define NATD	{ IKEV1_PL_NAT_D, 0, M, true }, \
		{ IKEV1_PL_NAT_D_DRAFT, 0, M, true }
#define AUTH	{ IKEV1_PL_HASH, 0, 1, false }, \
		{ IKEV1_PL_SIG, 0, 1, false }
#define VIDS	{ IKEV1_PL_VID, 0, M, false }
#define NOTES	{ IKEV1_PL_N, 0, M, false }

static const struct v1rules_step v1rules[] = {
	/* Main Mode (RFC 2409 5.1, 5.4): SA first (RFC 2409 5) */
	{ IKEV1_EXCH_MAIN, 1, V1R_CLEAR, IKEV1_PL_SA, 0, { 0, 0 },
	  { { IKEV1_PL_SA, 1, 1, false }, VIDS },
	  "Main Mode message 1" },
	{ IKEV1_EXCH_MAIN, 2, V1R_CLEAR, IKEV1_PL_SA, 0, { 0, 0 },
	  { { IKEV1_PL_SA, 1, 1, false }, VIDS },
	  "Main Mode message 2" },
	{ IKEV1_EXCH_MAIN, 3, V1R_CLEAR, 0, 0, { 0, 0 },
	  { { IKEV1_PL_KE, 1, 1, false }, { IKEV1_PL_NONCE, 1, 1, false },
	    { IKEV1_PL_CR, 0, M, false }, NATD, VIDS },
	  "Main Mode message 3" },
	{ IKEV1_EXCH_MAIN, 4, V1R_CLEAR, 0, 0, { 0, 0 },
	  { { IKEV1_PL_KE, 1, 1, false }, { IKEV1_PL_NONCE, 1, 1, false },
	    { IKEV1_PL_CR, 0, M, false }, NATD, VIDS },
	  "Main Mode message 4" },
	{ IKEV1_EXCH_MAIN, 5, V1R_ENCRYPTED, 0, 0,
	  { IKEV1_PL_HASH, IKEV1_PL_SIG },
	  { { IKEV1_PL_ID, 1, 1, false }, { IKEV1_PL_CERT, 0, M, false },
	    { IKEV1_PL_CR, 0, M, false }, AUTH, NOTES, VIDS },
	  "Main Mode message 5" },
	{ IKEV1_EXCH_MAIN, 6, V1R_ENCRYPTED, 0, 0,
	  { IKEV1_PL_HASH, IKEV1_PL_SIG },
	  { { IKEV1_PL_ID, 1, 1, false }, { IKEV1_PL_CERT, 0, M, false },
	    AUTH, NOTES, VIDS },
	  "Main Mode message 6" },

	/* Aggressive Mode (RFC 2409 5.1, 5.4) */
	{ IKEV1_EXCH_AGGRESSIVE, 1, V1R_CLEAR, IKEV1_PL_SA, 0, { 0, 0 },
	  { { IKEV1_PL_SA, 1, 1, false }, { IKEV1_PL_KE, 1, 1, false },
	    { IKEV1_PL_NONCE, 1, 1, false }, { IKEV1_PL_ID, 1, 1, false },
	    { IKEV1_PL_CR, 0, M, false }, VIDS },
	  "Aggressive Mode message 1" },
	{ IKEV1_EXCH_AGGRESSIVE, 2, V1R_CLEAR, IKEV1_PL_SA, 0,
	  { IKEV1_PL_HASH, IKEV1_PL_SIG },
	  { { IKEV1_PL_SA, 1, 1, false }, { IKEV1_PL_KE, 1, 1, false },
	    { IKEV1_PL_NONCE, 1, 1, false }, { IKEV1_PL_ID, 1, 1, false },
	    { IKEV1_PL_CERT, 0, M, false }, { IKEV1_PL_CR, 0, M, false },
	    AUTH, NATD, VIDS },
	  "Aggressive Mode message 2" },
	{ IKEV1_EXCH_AGGRESSIVE, 3, V1R_EITHER, 0, 0,
	  { IKEV1_PL_HASH, IKEV1_PL_SIG },
	  { { IKEV1_PL_CERT, 0, M, false }, AUTH, NATD, NOTES, VIDS },
	  "Aggressive Mode message 3" },

	/*
	 * Quick Mode (RFC 2409 5.5): "a HASH payload MUST immediately follow
	 * the ISAKMP header and a SA payload MUST immediately follow the
	 * HASH"; the client IDs come in pairs; NAT-OA: RFC 3947 5.2.
	 */
	{ IKEV1_EXCH_QUICK, 1, V1R_ENCRYPTED, IKEV1_PL_HASH, IKEV1_PL_SA,
	  { 0, 0 },
	  { { IKEV1_PL_HASH, 1, 1, false }, { IKEV1_PL_SA, 1, 1, false },
	    { IKEV1_PL_NONCE, 1, 1, false }, { IKEV1_PL_KE, 0, 1, false },
	    { IKEV1_PL_ID, 0, 2, true }, { IKEV1_PL_NAT_OA, 0, 2, false },
	    { IKEV1_PL_NAT_OA_DRAFT, 0, 2, false }, NOTES },
	  "Quick Mode message 1" },
	{ IKEV1_EXCH_QUICK, 2, V1R_ENCRYPTED, IKEV1_PL_HASH, IKEV1_PL_SA,
	  { 0, 0 },
	  { { IKEV1_PL_HASH, 1, 1, false }, { IKEV1_PL_SA, 1, 1, false },
	    { IKEV1_PL_NONCE, 1, 1, false }, { IKEV1_PL_KE, 0, 1, false },
	    { IKEV1_PL_ID, 0, 2, true }, { IKEV1_PL_NAT_OA, 0, 2, false },
	    { IKEV1_PL_NAT_OA_DRAFT, 0, 2, false }, NOTES },
	  "Quick Mode message 2" },
	{ IKEV1_EXCH_QUICK, 3, V1R_ENCRYPTED, IKEV1_PL_HASH, 0, { 0, 0 },
	  { { IKEV1_PL_HASH, 1, 1, false } },
	  "Quick Mode message 3" },

	/*
	 * Informational (RFC 2409 5.7): HASH(1) first, then notifies or
	 * deletes (DPD's R-U-THERE is one: RFC 3706 5); in the clear only a
	 * notify, before phase 1 has keys.
	 */
	{ IKEV1_EXCH_INFORMATIONAL, 1, V1R_ENCRYPTED, IKEV1_PL_HASH, 0,
	  { IKEV1_PL_N, IKEV1_PL_D },
	  { { IKEV1_PL_HASH, 1, 1, false }, { IKEV1_PL_N, 0, M, false },
	    { IKEV1_PL_D, 0, M, false } },
	  "Informational" },
	{ IKEV1_EXCH_INFORMATIONAL, 1, V1R_CLEAR, 0, 0, { 0, 0 },
	  { { IKEV1_PL_N, 1, 1, false } },
	  "unprotected Informational" },

	/* Transaction (draft-dukes-ike-mode-cfg-02 3.1): HASH, ATTR */
	{ IKEV1_EXCH_TRANSACTION, 1, V1R_ENCRYPTED, IKEV1_PL_HASH, 0, { 0, 0 },
	  { { IKEV1_PL_HASH, 1, 1, false }, { IKEV1_PL_ATTR, 1, 1, false } },
	  "Transaction request" },
	{ IKEV1_EXCH_TRANSACTION, 2, V1R_ENCRYPTED, IKEV1_PL_HASH, 0, { 0, 0 },
	  { { IKEV1_PL_HASH, 1, 1, false }, { IKEV1_PL_ATTR, 1, 1, false } },
	  "Transaction reply" },
};

#define N_RULES (sizeof(v1rules) / sizeof(v1rules[0]))

const struct v1rules_step *v1rules_table(unsigned int *n)
{
	*n = N_RULES;
	return v1rules;
}

static bool enc_matches(enum v1rules_enc enc, bool encrypted)
{
	return enc == V1R_EITHER || (enc == V1R_ENCRYPTED) == encrypted;
}

const struct v1rules_step *v1rules_find(uint8_t exchange, uint8_t step,
					bool encrypted)
{
	size_t i;

	for (i = 0; i < N_RULES; i++)
		if (v1rules[i].exchange == exchange &&
		    v1rules[i].step == step &&
		    enc_matches(v1rules[i].enc, encrypted))
			return &v1rules[i];
	return NULL;
}

static const struct v1rules_pl *pl_rule(const struct v1rules_step *r,
					uint8_t type)
{
	unsigned int i;

	for (i = 0; i < V1RULES_MAX_PL && r->pl[i].type; i++)
		if (r->pl[i].type == type)
			return &r->pl[i];
	return NULL;
}

enum v1_err v1rules_check(uint8_t exchange, uint8_t step, bool encrypted,
			  const struct msg *m)
{
	const struct v1rules_step *r = v1rules_find(exchange, step, encrypted);
	unsigned int i, a, b;

	if (!r) {
		/* A rule for the other setting of the E flag? */
		r = v1rules_find(exchange, step, !encrypted);
		if (!r)
			return V1_E_EXCHANGE;
		return encrypted ? V1_E_FLAGS : V1_E_NOT_ENCRYPTED;
	}
	for (i = 0; i < m->n; i++)
		if (!pl_rule(r, m->pl[i].type))
			return V1_E_PAYLOAD_TYPE;
	for (i = 0; i < V1RULES_MAX_PL && r->pl[i].type; i++) {
		const struct v1rules_pl *p = &r->pl[i];
		unsigned int n = msg_count(m, p->type);

		if (n > p->max)
			return V1_E_REPEATED;
		if (n < p->min || (p->not_one && n == 1))
			return V1_E_MISSING;
	}
	if (r->one_of[0]) {
		a = msg_count(m, r->one_of[0]);
		b = msg_count(m, r->one_of[1]);
		if (!a && !b)
			return V1_E_MISSING;
		if (a && b)
			return V1_E_REPEATED;
	}
	if (r->first && (!m->n || m->pl[0].type != r->first))
		return V1_E_ORDER;
	if (r->second && (m->n < 2 || m->pl[1].type != r->second))
		return V1_E_ORDER;
	return V1_OK;
}
