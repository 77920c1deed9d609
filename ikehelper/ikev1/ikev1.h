/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKEv1 exchanges (RFC 2409), one file each, as strongSwan's tasks:
 * Main Mode (main_mode.c) and Aggressive Mode (aggressive.c) make the
 * ISAKMP SA, Quick Mode (quick_mode.c) the IPsec SAs, Informational
 * exchanges (informational.c) carry DELETE, notifies and DPD.  phase1.c
 * holds what both phase 1 modes share; child.c the IPsec SAs a Quick
 * Mode makes (keys, kernel SAs, selectors); message.c the header, sealing,
 * sending and retransmission; dispatch.c the checks every message goes
 * through before an exchange sees it (cookies, duplicates, decryption,
 * the payload rules of ikev1/rules.h), the task scheduler and the
 * engine's version table (ikev1_ops).
 *
 * The codec is ikev1/payload.h, xform.h, rules.h, crypt.h; the keys
 * keymat_v1.h; the configuration policy_ios.h.
 */
#ifndef IKEHELPER_IKEV1_IKEV1_H
#define IKEHELPER_IKEV1_IKEV1_H

#include "../keymat_v1.h"
#include "../policy_ios.h"
#include "../sa.h"
#include "crypt.h"
#include "err.h"
#include "names_v1.h"
#include "payload.h"
#include "rules.h"
#include "vid.h"
#include "xform.h"

#define V1_NONCE_LEN	32		/* ours: at least the PRF's key */
#define V1_DELETE_GRACE	5		/* s before a rekeyed IPsec SA goes */
#define V1_OUT_DELAY_MS	1500		/* a rekey's new outbound SA: after QM3 */
#define V1_COMMIT_WAIT	10		/* s for CONNECTED after the commit bit */
#define V1_QM_TIMEOUT	30		/* s a Quick Mode may take */
#define V1_DPD_RETRIES	5		/* R-U-THERE sent before a peer is dead */

/* dispatch.c */

void v1_kick(struct ike_engine *e, struct ike_sa *sa);
/* A new phase 1 to replace old (ISAKMP SA rekey). */
int v1_rekey_start(struct ike_engine *e, struct ike_sa *old);

static inline bool v1_at(const struct ike_sa *sa, uint8_t step)
{
	return sa->state == IKE_S_CONNECTING && sa->v1.step == step;
}

static inline void v1_step(struct ike_sa *sa, uint8_t step)
{
	sa->state = IKE_S_CONNECTING;
	sa->v1.step = step;
}

/*
 * One line for a message we do not take: who sent it (the tunnel of its
 * ISAKMP SA, else its address), its exchange and Message ID, what was
 * wrong, and the notify we answered with (0: none).
 */
void v1_log_bad(struct ike_engine *e, const struct ike_sa *sa,
		const struct sockaddr_storage *remote, const struct msg_hdr *h,
		uint16_t answer, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * A Message ID seen before on sa (a replay), or record it: among the
 * last few (v1_mid_add: DPD, whose RFC 3706 sequence numbers say more),
 * or for the ISAKMP SA's life (v1_mid_keep: anything that changes
 * state; when V1_MIDS_KEPT are kept, the ISAKMP SA is rekeyed).
 */
bool v1_mid_seen(const struct ike_sa *sa, uint32_t msgid);
void v1_mid_add(struct ike_sa *sa, uint32_t msgid);
void v1_mid_keep(struct ike_engine *e, struct ike_sa *sa, uint32_t msgid);

/* message.c */

/* The first payload of type in m (validated), or NULL. */
static inline const struct msg_payload *v1_pl(const struct msg *m,
					      uint8_t type)
{
	return msg_find(m, type, 0);
}

/* An ID payload's body (type, protocol, port, data) into buf; 0: no room. */
size_t v1_id_body(const struct v1pl_id *id, uint8_t *buf, size_t cap);

void v1_hdr(const struct ike_sa *sa, uint8_t exchange, uint8_t flags,
	    uint32_t msgid, struct msg_hdr *h);
int v1_send_raw(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf,
		size_t len);
/*
 * Send buf as our message that waits for an answer: kept and resent at
 * the policy's intervals (task says what the answer is for).
 */
int v1_send_request(struct ike_engine *e, struct ike_sa *sa,
		    const uint8_t *buf, size_t len, uint8_t task);
/* Send buf as the answer to the peer's last message: kept for resends. */
int v1_send_reply(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf,
		  size_t len);
int v1_retransmit(struct ike_engine *e, struct ike_sa *sa);
/* A fresh random Message ID, never 0 nor one seen on sa; keep: as v1_mid_keep. */
uint32_t v1_new_msgid(struct ike_engine *e, struct ike_sa *sa, bool keep);
/*
 * Seal b (built with the E flag set) with sa's key and iv; the message is
 * then in e->out, *len bytes, and iv's pending block confirmed.
 */
int v1_seal(struct ike_engine *e, struct ike_sa *sa, struct v1crypt_iv *iv,
	    struct msg_builder *b, size_t *len);
/* SHA-256 of a datagram, to recognise a retransmission. */
bool v1_dgram_hash(const uint8_t *buf, size_t len, uint8_t out[32]);
/*
 * Answer an unprotected phase 1 message we cannot accept with the notify
 * RFC 2408 gives (its cookies as SPI); nothing is kept.
 */
void v1_notify_clear(struct ike_engine *e, const struct sockaddr_storage *local,
		     const struct sockaddr_storage *remote, bool natt,
		     const struct msg_hdr *req, uint16_t type);

/* phase1.c */

/* Our phase 1 offer: every ISAKMP policy of the tunnel, in order. */
int v1_p1_offer(const struct ike_sa *sa, struct v1pl_sa *offer);
/*
 * The responder's choice: the first of our policies (in priority order)
 * that one of the offer's transforms matches, as IOS picks; its lifetime
 * is the lower one.  Fills sa->v1.xf and the answer to send.  -ENOENT
 * with a log line when none matches.
 */
int v1_p1_choose(struct ike_engine *e, struct ike_sa *sa,
		 const struct v1pl_sa *offer, struct v1pl_sa *answer);
/* The initiator checks the answer is one transform of its offer. */
int v1_p1_check_answer(struct ike_sa *sa, const struct v1pl_sa *answer);
/* Our KE and nonce for sa->v1.xf.group (sa->dh, sa->v1.ni or nr). */
int v1_p1_ke_nonce(struct ike_sa *sa, bool initiator, struct v1pl_data *ke,
		   struct v1pl_data *nonce);
/* Keep the peer's KE and nonce; derive g^xy. */
int v1_p1_peer_ke(struct ike_sa *sa, const struct v1pl_data *ke,
		  const struct v1pl_data *nonce);
/* SKEYID and its keys from psk, the encryption key and the phase 1 IV. */
int v1_p1_keys(struct ike_sa *sa, const uint8_t *psk, size_t psk_len);
/* Our phase 1 ID (IOS "crypto isakmp identity", profile self-identity). */
void v1_p1_our_id(const struct ike_sa *sa, struct v1pl_id *id, uint8_t *buf);
/* The peer's phase 1 ID as a policy ID (address, FQDN, user FQDN, key ID). */
bool v1_p1_policy_id(const struct v1pl_id *id, struct policy_id *out);
/* HASH_I or HASH_R over id_b into out; its length. */
size_t v1_p1_hash(const struct ike_sa *sa, bool responder, const uint8_t *id_b,
		  size_t id_len, uint8_t *out);
/* Our vendor IDs (DPD; the others are recognised, not claimed). */
void v1_p1_add_vids(struct ike_engine *e, struct msg_builder *b,
		    const struct ike_sa *sa);
/*
 * NAT traversal (RFC 3947 and its drafts): both sides said so, and the
 * configuration allows it ("no crypto ipsec nat-transparency
 * udp-encapsulation" does not).  The NAT-D payloads of MM3/MM4, AM2/AM3,
 * and their check (an initiator floats to port 4500 on a NAT).
 */
bool v1_natt_on(const struct ike_engine *e, const struct ike_sa *sa);
void v1_p1_add_natd(struct ike_engine *e, struct msg_builder *b,
		    const struct ike_sa *sa);
void v1_p1_nat_check(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m);
/* Note the peer's vendor IDs. */
void v1_p1_peer_vids(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m);
/* The phase 1 exchange is over: free what only it needed, go up. */
void v1_p1_done(struct ike_engine *e, struct ike_sa *sa);
/* Phase 1s crossed on one tunnel: true, drop the peer's (see phase1.c). */
bool v1_p1_crossed(struct ike_engine *e, const struct ike_sa *sa);
/* The local address as the policy sees it. */
void v1_where(const struct ike_sa *sa, struct policy_v1_where *w,
	      struct policy_addr *peer);
/* Load the tunnel's resolved policy into sa (v1.eff and sa->pol). */
int v1_set_policy(struct ike_sa *sa, const struct policy_v1_effective *eff);
/* The device of a peer that just authenticated as responder, or NULL. */
bool v1_find_tunnel(struct ike_engine *e, const struct ike_sa *sa,
		    struct policy_v1_effective *eff);
/*
 * Is the tunnel sa has (v1.eff) still one v1_find_tunnel() takes for
 * sa's addresses?  It is unless the peer floated to another address.
 */
bool v1_tunnel_holds(const struct ike_sa *sa);

/* main_mode.c */
int v1_mm_start(struct ike_engine *e, struct ike_sa *sa);
void v1_mm_request1(struct ike_engine *e, const struct sockaddr_storage *local,
		    const struct sockaddr_storage *remote, bool natt,
		    const struct msg *m);
/*
 * The next Main Mode message of sa: false when it was discarded and sa is
 * where it was (a message that does not decrypt or authenticate), so
 * that the genuine one may still come.
 */
bool v1_mm_input(struct ike_engine *e, struct ike_sa *sa, const struct msg *m);

/* aggressive.c */
int v1_am_start(struct ike_engine *e, struct ike_sa *sa);
void v1_am_request1(struct ike_engine *e, const struct sockaddr_storage *local,
		    const struct sockaddr_storage *remote, bool natt,
		    const struct msg *m);
/* The next Aggressive Mode message of sa: false as v1_mm_input(). */
bool v1_am_input(struct ike_engine *e, struct ike_sa *sa, const struct msg *m);

/* quick_mode.c */
/* A Quick Mode for a new Child SA, or to rekey c. */
int v1_qm_start(struct ike_engine *e, struct ike_sa *sa, struct child_sa *c);
/* m, whose datagram's v1_dgram_hash() is hash. */
void v1_qm_input(struct ike_engine *e, struct ike_sa *sa, const struct msg *m,
		 const uint8_t hash[32]);
/* Resend a responder's QM2, or give it up. */
void v1_qm_timers(struct ike_engine *e, struct ike_sa *sa);
uint64_t v1_qm_next_timer(const struct ike_sa *sa);
void v1_qm_free(struct v1_qm *qm);

/* child.c: the IPsec SAs of a Quick Mode */
/* A transform set as an ESP transform (ikev1/xform.h); false for SEAL. */
bool v1_tset_xf(const struct ike_sa *sa, const struct policy_transform_set *t,
		const struct policy_v1_effective *eff, struct v1xf_esp *xf);
/* The same transform; b's encapsulation, if it names one, a's. */
bool v1_esp_same(const struct v1xf_esp *a, const struct v1xf_esp *b);
/* The lower of two lifetimes; 0 is none. */
uint32_t v1_life_min(uint32_t a, uint32_t b);
/* A selector of the policy, or a client ID, as a pl_ts; and back. */
void v1_pair_ts(const struct policy_ts *t, struct pl_ts *out);
void v1_id_ts(const struct v1pl_id *id, struct pl_ts *out);
int v1_ts_id(const struct pl_ts *t, struct v1pl_id *id, uint8_t *buf);
/* c's selectors: l ours, r the peer's. */
int v1_child_set_ts(struct child_sa *c, const struct pl_ts *l,
		    const struct pl_ts *r);
void v1_child_timers(struct ike_engine *e, struct ike_sa *sa,
		     struct child_sa *c, uint32_t life_s);
/*
 * c's keys from KEYMAT and its kernel SAs: the inbound one, and the
 * outbound one when out_now (else once the peer confirms).
 */
int v1_child_install(struct ike_engine *e, struct ike_sa *sa,
		     struct child_sa *c, struct v1_qm *qm, bool out_now);
/* old is replaced: it goes V1_DELETE_GRACE seconds later. */
void v1_child_replaced(struct ike_engine *e, struct child_sa *old);
/* A responder's new pair c replaces the installed ones of its selectors. */
void v1_child_replaces_same(struct ike_engine *e, struct ike_sa *sa,
			    const struct child_sa *c);
/* RESPONDER-LIFETIME: its data for secs and kb; what one says. */
size_t v1_life_attrs(uint32_t secs, uint32_t kb, uint8_t *buf);
void v1_read_life(const struct v1pl_notify *n, uint32_t *secs, uint32_t *kb);

/* informational.c */
/* DELETE of c's IPsec SAs, or of the ISAKMP SA; a notify. */
int v1_delete_child_start(struct ike_engine *e, struct ike_sa *sa,
			  struct child_sa *c);
int v1_delete_ike_start(struct ike_engine *e, struct ike_sa *sa);
int v1_dpd_start(struct ike_engine *e, struct ike_sa *sa);
/* Send one protected Informational with payloads the builder adds. */
int v1_info_send(struct ike_engine *e, struct ike_sa *sa,
		 void (*add)(struct msg_builder *b, void *arg), void *arg,
		 bool request, uint8_t task);
void v1_info_input(struct ike_engine *e, struct ike_sa *sa,
		   const struct msg *m);
/* INITIAL-CONTACT from the peer: drop our other SAs with it. */
void v1_initial_contact(struct ike_engine *e, struct ike_sa *sa);

extern const struct ike_ops ikev1_ops;

#endif /* IKEHELPER_IKEV1_IKEV1_H */
