/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an IKE SA holds only while, or because, it speaks IKEv2: its
 * negotiation step, the IKEv2 key material, the IKE_SA_INIT messages and
 * nonces the AUTH payloads sign, and the rekey bookkeeping of RFC 7296
 * 2.8.  It lives in struct ike_sa (sa.h), beside the IKEv1 state, and
 * only the engine's ikev2/ files read it.
 */
#ifndef IKEHELPER_IKEV2_STATE_H
#define IKEHELPER_IKEV2_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../keymat_v2.h"
#include "../secbuf.h"

/* Where an IKE SA in IKE_S_CONNECTING is. */
enum v2_step {
	V2_INIT_SENT,		/* initiator: IKE_SA_INIT sent */
	V2_INIT_DONE,		/* responder: IKE_SA_INIT answered */
	V2_AUTH_SENT,		/* initiator: IKE_AUTH sent */
};

struct v2_ike {
	uint8_t step;			/* enum v2_step */
	struct keymat_v2_ike km;
	struct secbuf *ni, *nr;		/* until IKE_AUTH is done */
	uint8_t *init_i, *init_r;	/* the IKE_SA_INIT messages, likewise */
	size_t init_i_len, init_r_len;
	uint8_t *cookie;		/* the responder's COOKIE, to resend */
	size_t cookie_len;
	/* Made by an IKE SA rekey: of which IKE SA, and its lower nonce. */
	bool successor;
	uint8_t rekey_of_i[8], rekey_of_r[8];
	uint8_t *min_nonce;
	size_t min_nonce_len;
};

#endif /* IKEHELPER_IKEV2_STATE_H */
