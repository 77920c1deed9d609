/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an IKE SA holds because it speaks IKEv1 (RFC 2409): where its
 * phase 1 exchange is, the chosen phase 1 transform, the ISAKMP SA's keys
 * and IV chain, what HASH_I and HASH_R cover, the candidate pre-shared
 * keys a Main Mode responder tries on message 5, the peer's vendor IDs,
 * its Quick Mode exchanges and the Message IDs it has seen.  It lives in
 * struct ike_sa (sa.h), beside the IKEv2 state; only ikev1/ reads it.
 */
#ifndef IKEHELPER_IKEV1_STATE_H
#define IKEHELPER_IKEV1_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../keymat_v1.h"
#include "crypt.h"
#include "xform.h"

struct policy_v1_effective;
struct policy_v1_psk;
struct child_sa;

/* Where an IKE SA in IKE_S_CONNECTING is; IOS names in v1_step_name(). */
enum v1_step {
	V1_MM_I1,		/* initiator: MM1 sent		MM_NO_STATE */
	V1_MM_R1,		/* responder: MM2 sent		MM_SA_SETUP */
	V1_MM_I2,		/* initiator: MM3 sent		MM_SA_SETUP */
	V1_MM_R2,		/* responder: MM4 sent		MM_KEY_EXCH */
	V1_MM_I3,		/* initiator: MM5 sent		MM_KEY_EXCH */
	V1_AM_I1,		/* initiator: AM1 sent		AG_NO_STATE */
	V1_AM_R1,		/* responder: AM2 sent		AG_INIT_EXCH */
};

#define V1_CANDIDATES	16	/* pre-shared keys tried on MM5 */
#define V1_MIDS		32	/* the last Message IDs, against replays */
#define V1_MIDS_KEPT	1024	/* kept for the ISAKMP SA's life; then rekey */
#define V1_QM_MAX	4	/* Quick Modes of one IKE SA at once */

/* One Quick Mode exchange, either role. */
struct v1_qm {
	uint32_t msgid;
	bool initiator;
	bool done;			/* QM3 sent or received */
	struct v1crypt_iv iv;		/* this Message ID's chain */
	struct secbuf *ni, *nr;		/* nonce bodies */
	struct crypto_dh *dh;		/* PFS */
	struct secbuf *gxy;		/* PFS: g^xy, until KEYMAT is made */
	uint16_t group;			/* PFS group, 0: none */
	struct v1xf_esp xf;		/* the chosen ESP transform */
	uint32_t spi_in, spi_out;
	uint8_t n_pair;			/* index into the tunnel's pairs */
	struct child_sa *rekeys;	/* the Child SA this one replaces */
	struct child_sa *child;		/* responder: made at QM2 */
	uint32_t life_s, life_kb;	/* agreed (RESPONDER-LIFETIME) */
	uint8_t last_hash[32];		/* SHA-256 of the peer's last message */
	uint8_t *out;			/* responder: QM2, resent until QM3 */
	size_t out_len;
	unsigned int tries;
	uint64_t next_ms;		/* resend QM2; IKE_NO_TIMER: none */
	uint64_t expire_ms;		/* give up */
};

struct v1_ike {
	uint8_t step;			/* enum v1_step */
	uint8_t exch;			/* IKEV1_EXCH_MAIN or _AGGRESSIVE */
	struct policy_v1_effective *eff;	/* the tunnel, resolved */
	struct v1xf_ike xf;		/* the chosen phase 1 transform */
	uint16_t prf;			/* IKEV2_PRF_HMAC_* of xf.hash */
	struct keymat_v1 km;
	struct v1crypt_key key;
	struct v1crypt_iv iv;		/* phase 1 chain; its IV is then the
					 * last phase 1 CBC block */
	bool keys;			/* km and key are set */
	/* What the phase 1 hashes cover, until it is done. */
	uint8_t *gxi, *gxr;
	size_t gxi_len, gxr_len;
	struct secbuf *gxy;
	struct secbuf *ni, *nr;		/* nonce bodies */
	uint8_t *sai_b;			/* the initiator's SA payload body */
	size_t sai_b_len;
	uint8_t *idi_b;			/* the initiator's ID payload body */
	size_t idi_b_len;
	/* Main Mode responder: the keys that may serve, tried on MM5. */
	const struct policy_v1_psk *cand[V1_CANDIDATES];
	uint8_t n_cand;
	const struct policy_v1_psk *psk;	/* the one that authenticated */
	/* What the peer announced (vendor IDs). */
	bool peer_dpd, peer_natt, peer_unity, peer_xauth;
	bool natt_rfc;			/* RFC 3947, else a draft (NAT-D 130) */
	bool natt_draft;
	bool rekeys;			/* made to replace an ISAKMP SA */
	uint64_t delete_ms;		/* replaced by our rekey: DELETE then */
	char fault[320];		/* sa->fault, when it names keys */
	/* DPD (RFC 3706). */
	uint32_t dpd_seq;		/* of our last R-U-THERE */
	uint32_t peer_dpd_seq;		/* of the peer's last one */
	/* Quick Mode exchanges in flight. */
	struct v1_qm *qm[V1_QM_MAX];
	/* Message IDs seen (phase 2, informational), against replays. */
	uint32_t mids[V1_MIDS];
	unsigned int mid_head;
	/*
	 * And, sorted, every Message ID of an exchange that changes state
	 * (Quick Mode, DELETE, notifies other than DPD's), ours and the
	 * peer's: a replay of one is refused for as long as the keys live,
	 * not only while it is among the last V1_MIDS.
	 */
	uint32_t *kept;
	unsigned int n_kept, cap_kept;
	uint8_t last_hash[32];		/* SHA-256 of the last phase 1 message in */
	bool has_last_hash;
};

#endif /* IKEHELPER_IKEV1_STATE_H */
