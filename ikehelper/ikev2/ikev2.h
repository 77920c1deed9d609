/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKEv2 exchanges (RFC 7296), one file each, as strongSwan's tasks:
 * a start function builds our request, a *_request function processes
 * the peer's request and builds our response, a *_response function
 * processes the answer to our request.  The engine (ike.c) checks the
 * header, the SPIs, the Message ID and the payload rules of v2_rules
 * before it calls them, so an exchange only sees a message that is
 * allowed in its place.
 */
#ifndef IKEHELPER_IKEV2_H
#define IKEHELPER_IKEV2_H

#include "../sa.h"
#include "../ts.h"

/* message.c: payload rules, sealing, sending, retransmission */

/*
 * The payloads a message may and must carry, per exchange and direction
 * (bits: 1 << (type - 32)).  Returns 0 or the notify that answers a
 * breach (INVALID_SYNTAX).
 */
uint16_t v2_rules_check(uint8_t exchange, bool response, const struct msg *m);

void v2_sk_keys(const struct ike_sa *sa, bool outbound, struct msg_sk_keys *k);
void v2_hdr(const struct ike_sa *sa, uint8_t exchange, bool response,
	    uint32_t msgid, struct msg_hdr *h);
/* A builder over the engine's scratch buffer for an SK payload's chain. */
void v2_inner_init(struct ike_engine *e, struct msg_builder *b);

/*
 * Seal inner as our next request on sa and send it; the retransmit timer
 * starts.  task says what the response is for.
 */
int v2_send_request(struct ike_engine *e, struct ike_sa *sa, uint8_t exchange,
		    struct msg_builder *inner, uint8_t task);
/* The same for a message already built (IKE_SA_INIT). */
int v2_send_request_raw(struct ike_engine *e, struct ike_sa *sa,
			const uint8_t *buf, size_t len, uint8_t task);
/* Seal inner as the response to the peer's request msgid; kept for resends. */
int v2_send_response(struct ike_engine *e, struct ike_sa *sa, uint8_t exchange,
		     uint32_t msgid, struct msg_builder *inner);
/* An encrypted response carrying one notify (an error). */
int v2_send_response_notify(struct ike_engine *e, struct ike_sa *sa,
			    uint8_t exchange, uint32_t msgid, uint16_t type);
int v2_send_raw(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf,
		size_t len);
/* An unprotected IKE_SA_INIT response with one notify (no state kept). */
void v2_send_init_notify(struct ike_engine *e,
			 const struct sockaddr_storage *local,
			 const struct sockaddr_storage *remote, bool natt,
			 const struct msg_hdr *req, uint16_t type,
			 const uint8_t *data, size_t len);
/* The retransmit timer of sa fired: resend, or give up (0 / -ETIMEDOUT). */
int v2_retransmit(struct ike_engine *e, struct ike_sa *sa);

/*
 * The first payload of type in m, or an empty one that every payload
 * parser refuses, so that a missing payload is a syntax error.
 */
const struct msg_payload *v2_get(const struct msg *m, uint8_t type);
/* The first notify of type in m, parsed; false if none. */
bool v2_find_notify(const struct msg *m, uint16_t type, struct pl_notify *n);
/* The ID payload body (ID Type, RESERVED, data) of id into buf. */
size_t v2_id_body(const struct policy_id *id, uint8_t *buf, size_t len);

/* dispatch.c: input, the task scheduler, the version table */

/* Start the next queued task of sa when nothing is in flight. */
void v2_kick(struct ike_engine *e, struct ike_sa *sa);

/* sa is negotiating, at step (enum v2_step). */
static inline bool v2_at(const struct ike_sa *sa, uint8_t step)
{
	return sa->state == IKE_S_CONNECTING && sa->v2.step == step;
}

/* sa moves on to step of the negotiation. */
static inline void v2_step(struct ike_sa *sa, uint8_t step)
{
	sa->state = IKE_S_CONNECTING;
	sa->v2.step = step;
}

/* ike_sa_init.c */
int v2_init_start(struct ike_engine *e, const struct policy_effective *pol);
void v2_init_request(struct ike_engine *e, const struct sockaddr_storage *local,
		     const struct sockaddr_storage *remote, bool natt,
		     const struct msg *m);
void v2_init_response(struct ike_engine *e, struct ike_sa *sa,
		      const struct msg *m);
/* sa's IKE SA keys (sa->sel) from SKEYSEED and the exchange's nonces. */
int v2_init_derive(struct ike_sa *sa, const struct secbuf *skeyseed,
		   const struct secbuf *ni, const struct secbuf *nr);

/* ike_auth.c */
int v2_auth_start(struct ike_engine *e, struct ike_sa *sa);
void v2_auth_request(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m);
void v2_auth_response(struct ike_engine *e, struct ike_sa *sa,
		      const struct msg *m);

/* child.c: Child SA keys, kernel SAs, timers */

/*
 * Set c's selectors (ours first) and derive its keys from sa's SK_d with
 * the nonces of the exchange (ni, nr), and gir with PFS.  Installs the
 * inbound SA, and the outbound one unless defer_out (then it waits in
 * pending_out: a rekey responder, RFC 7296 2.8 make-before-break).
 */
int v2_child_install(struct ike_engine *e, struct ike_sa *sa,
		     struct child_sa *c, const struct secbuf *gir,
		     const struct secbuf *ni, const struct secbuf *nr,
		     bool defer_out);
int v2_child_set_ts(struct child_sa *c, const struct pl_ts_list *local,
		    const struct pl_ts_list *remote);
/* The lower of the two nonces, kept for collision checks. */
int v2_child_set_nonces(struct child_sa *c, const struct secbuf *n1,
			const struct pl_nonce *n2);
void v2_child_timers(struct ike_engine *e, struct ike_sa *sa,
		     struct child_sa *c);
/* < 0 when a's lower nonce is lower than b's (RFC 7296 2.8.1). */
int v2_nonce_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* create_child_sa.c */
int v2_rekey_child_start(struct ike_engine *e, struct ike_sa *sa,
			 struct child_sa *c);
int v2_rekey_ike_start(struct ike_engine *e, struct ike_sa *sa);
/* A new Child SA on an IKE SA that has none. */
int v2_child_create_start(struct ike_engine *e, struct ike_sa *sa);
void v2_ccsa_request(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m);
void v2_ccsa_response(struct ike_engine *e, struct ike_sa *sa,
		      const struct msg *m);

/* informational.c */
int v2_delete_child_start(struct ike_engine *e, struct ike_sa *sa,
			  struct child_sa *c);
int v2_delete_ike_start(struct ike_engine *e, struct ike_sa *sa);
int v2_dpd_start(struct ike_engine *e, struct ike_sa *sa);
void v2_info_request(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m);
void v2_info_response(struct ike_engine *e, struct ike_sa *sa,
		      const struct msg *m);

#endif /* IKEHELPER_IKEV2_H */
