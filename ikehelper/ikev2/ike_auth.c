// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_AUTH with pre-shared keys (RFC 7296 1.2, 2.15): the IDs, the AUTH
 * payload of method 2, INITIAL_CONTACT, and the first Child SA with its
 * traffic selectors (2.9).  A responder picks the tunnel by the peer's
 * address and IDi, and verifies AUTH in constant time
 * (keymat_v2_psk_verify uses CRYPTO_memcmp).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ikev2.h"

static void v2_id_from_pl(const struct pl_id *p, struct policy_id *id)
{
	memset(id, 0, sizeof(*id));
	id->type = p->type;
	id->len = (uint8_t)(p->len > POLICY_ID_MAX ? POLICY_ID_MAX : p->len);
	memcpy(id->data, p->data, id->len);
}

static void v2_add_id(struct msg_builder *b, uint8_t type,
		      const struct policy_id *id)
{
	struct pl_id p = {
		.type = id->type,
		.data = id->data,
		.len = id->len,
	};

	pl_add_id(b, type, &p);
}

/* Our AUTH value into out (crypto_prf_len() bytes); 0 or -errno. */
static int v2_auth_sign(const struct ike_sa *sa, uint8_t *out, size_t *len)
{
	const struct policy_psk *psk = sa->pol.local_psk;
	const uint8_t *msg = sa->initiator ? sa->v2.init_i : sa->v2.init_r;
	size_t msglen = sa->initiator ? sa->v2.init_i_len : sa->v2.init_r_len;
	const struct secbuf *nonce = sa->initiator ? sa->v2.nr : sa->v2.ni;
	uint8_t body[4 + POLICY_ID_MAX];
	size_t blen = v2_id_body(&sa->local_id, body, sizeof(body));

	if (!psk || !blen)
		return -ENOKEY;
	*len = crypto_prf_len(sa->sel.prf);
	return keymat_v2_psk_auth(sa->sel.prf, psk->key, psk->key_len, msg,
				  msglen, nonce->data, nonce->len,
				  sa->initiator ? sa->v2.km.sk_pi : sa->v2.km.sk_pr,
				  body, blen, out);
}

/* The peer's AUTH over its ID payload; 0 or -EBADMSG. */
static int v2_auth_verify(const struct ike_sa *sa, const struct pl_id *id,
			  const struct pl_auth *auth)
{
	const struct policy_psk *psk = sa->pol.peer_psk;
	const uint8_t *msg = sa->initiator ? sa->v2.init_r : sa->v2.init_i;
	size_t msglen = sa->initiator ? sa->v2.init_r_len : sa->v2.init_i_len;
	const struct secbuf *nonce = sa->initiator ? sa->v2.ni : sa->v2.nr;

	if (!psk || auth->method != IKEV2_AUTH_PSK)
		return -EBADMSG;
	return keymat_v2_psk_verify(sa->sel.prf, psk->key, psk->key_len, msg,
				    msglen, nonce->data, nonce->len,
				    sa->initiator ? sa->v2.km.sk_pr : sa->v2.km.sk_pi,
				    id->body, id->body_len, auth->data,
				    auth->len);
}

/* The IKE_SA_INIT leftovers are not needed once IKE_AUTH is done. */
static void v2_auth_forget(struct ike_sa *sa)
{
	secbuf_clear(&sa->v2.ni);
	secbuf_clear(&sa->v2.nr);
	free(sa->v2.init_i);
	free(sa->v2.init_r);
	sa->v2.init_i = sa->v2.init_r = NULL;
	sa->v2.init_i_len = sa->v2.init_r_len = 0;
}

int v2_auth_start(struct ike_engine *e, struct ike_sa *sa)
{
	uint8_t auth[CRYPTO_PRF_MAX];
	struct msg_builder in;
	struct pl_auth pa;
	struct ike_req *r = &sa->req;
	size_t alen;
	int err;

	err = v2_auth_sign(sa, auth, &alen);
	if (err)
		return err;
	r->offer = malloc(sizeof(*r->offer));
	r->tsi = malloc(sizeof(*r->tsi));
	r->tsr = malloc(sizeof(*r->tsr));
	r->spi = sa_new_spi(e);
	if (!r->offer || !r->tsi || !r->tsr || !r->spi) {
		secbuf_wipe(auth, sizeof(auth));
		return -ENOMEM;
	}
	{
		uint8_t spi[4];

		msg_set32(spi, r->spi);
		prop_offer(&sa->pol.v, PROP_CHILD, 0, spi, 4, r->offer);
	}
	ts_from_policy(&sa->pol.v.local_ts, r->tsi);
	ts_from_policy(&sa->pol.v.remote_ts, r->tsr);

	v2_inner_init(e, &in);
	v2_add_id(&in, IKEV2_PL_IDI, &sa->local_id);
	if (sa->pol.initial_contact) {
		struct pl_notify n = { .type = IKEV2_N_INITIAL_CONTACT };

		pl_add_notify(&in, &n);
	}
	pa.method = IKEV2_AUTH_PSK;
	pa.data = auth;
	pa.len = alen;
	pl_add_auth(&in, &pa);
	pl_add_sa(&in, r->offer);
	pl_add_ts(&in, IKEV2_PL_TSI, r->tsi);
	pl_add_ts(&in, IKEV2_PL_TSR, r->tsr);
	err = v2_send_request(e, sa, IKEV2_EXCH_IKE_AUTH, &in, TASK_IKE_AUTH);
	secbuf_wipe(auth, sizeof(auth));
	secbuf_wipe(e->inner, in.len);
	if (!err)
		v2_step(sa, V2_AUTH_SENT);
	return err;
}

/* The tunnel whose peer is remote (or any) and whose peer ID is id. */
static bool v2_auth_policy(struct ike_engine *e, const struct ike_sa *sa,
			   const struct policy_id *id,
			   struct policy_effective *pol)
{
	const struct policy_tunnel *any = NULL;

	for (size_t i = 0; i < e->cfg->n_tunnel; i++) {
		const struct policy_tunnel *t = e->cfg->tunnel[i];
		struct policy_effective p;

		if (t->shutdown)
			continue;
		policy_effective(e->cfg, t, &p);
		if (!policy_id_equal(&p.peer_id, id))
			continue;
		if (t->peer.kind == POLICY_PEER_ADDR) {
			if (!sa_addr_is(&sa->remote, &t->peer.addr))
				continue;
			*pol = p;
			return true;
		}
		if (!any)
			any = t;
	}
	if (!any)
		return false;
	policy_effective(e->cfg, any, pol);
	return true;
}

/* INITIAL_CONTACT (RFC 7296 3.10.1): the peer lost its other IKE SAs. */
static void v2_initial_contact(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa *o, *next;

	for (o = e->sas; o; o = next) {
		next = o->next;
		if (o == sa || strcmp(o->tunnel, sa->tunnel) ||
		    !policy_id_equal(&o->remote_id, &sa->remote_id) ||
		    o->state < IKE_S_ESTABLISHED)
			continue;
		sa_log(e, LOG_INFO, "%s: INITIAL_CONTACT: dropping the old IKE SA",
		       sa->tunnel);
		sa_ike_kill(e, o);
	}
}

/*
 * Responder: the first Child SA.  Adds SA, TSi, TSr to out, or the notify
 * that says why not; the IKE SA is up either way (RFC 7296 2.21.3).
 */
static void v2_auth_child(struct ike_engine *e, struct ike_sa *sa,
			  const struct msg *m, struct msg_builder *out)
{
	const struct msg_payload *psa = msg_find(m, IKEV2_PL_SA, 0);
	const struct msg_payload *pti = msg_find(m, IKEV2_PL_TSI, 0);
	const struct msg_payload *ptr = msg_find(m, IKEV2_PL_TSR, 0);
	struct pl_ts_list *ts = malloc(4 * sizeof(*ts));
	struct pl_sa *offer = malloc(sizeof(*offer));
	struct pl_notify n = { 0 };
	struct prop_sel sel;
	struct child_sa *c;

	if (!ts || !offer)
		goto out;
	if (!psa || !pti || !ptr || pl_sa_parse(psa, offer) ||
	    pl_ts_parse(pti, &ts[0]) || pl_ts_parse(ptr, &ts[1])) {
		if (psa || pti || ptr) {
			e->stats.malformed++;
			n.type = IKEV2_N_INVALID_SYNTAX;
		}
		goto out;
	}
	/* None of the peer's proposals can work through the NAT. */
	if (sa_child_nat_refused(e, sa)) {
		n.type = IKEV2_N_NO_PROPOSAL_CHOSEN;
		goto out;
	}
	if (prop_choose(offer, &sa->pol.v, PROP_CHILD, 0, &sel)) {
		e->stats.no_proposal++;
		n.type = IKEV2_N_NO_PROPOSAL_CHOSEN;
		goto out;
	}
	/* TSi is the peer's side: our remote-ts; TSr ours. */
	if (ts_narrow(&ts[0], &sa->pol.v.remote_ts, &ts[2]) ||
	    ts_narrow(&ts[1], &sa->pol.v.local_ts, &ts[3])) {
		n.type = IKEV2_N_TS_UNACCEPTABLE;
		goto out;
	}
	c = sa_child_new(e, sa);
	if (!c)
		goto out;
	c->sel = sel;
	c->spi_in = sa_new_spi(e);
	c->spi_out = msg_get32(sel.spi);
	if (!c->spi_in || v2_child_set_ts(c, &ts[3], &ts[2]) ||
	    v2_child_install(e, sa, c, NULL, sa->v2.ni, sa->v2.nr, false)) {
		sa_child_free(e, sa, c);
		n.type = IKEV2_N_TEMPORARY_FAILURE;
		goto out;
	}
	{
		struct pl_sa answer;
		uint8_t spi[4];

		msg_set32(spi, c->spi_in);
		prop_answer(&sel, spi, 4, &answer);
		pl_add_sa(out, &answer);
		pl_add_ts(out, IKEV2_PL_TSI, &ts[2]);
		pl_add_ts(out, IKEV2_PL_TSR, &ts[3]);
	}
out:
	if (n.type)
		pl_add_notify(out, &n);
	free(ts);
	free(offer);
}

void v2_auth_request(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m)
{
	uint32_t msgid = m->hdr.msgid;
	struct policy_effective pol;
	uint8_t auth[CRYPTO_PRF_MAX];
	struct msg_builder out;
	struct policy_id idi;
	struct pl_auth pa;
	struct pl_id id;
	size_t alen;

	if (!v2_at(sa, V2_INIT_DONE)) {
		v2_send_response_notify(e, sa, IKEV2_EXCH_IKE_AUTH, msgid,
					IKEV2_N_INVALID_SYNTAX);
		return;
	}
	if (pl_id_parse(v2_get(m, IKEV2_PL_IDI), &id) ||
	    pl_auth_parse(v2_get(m, IKEV2_PL_AUTH), &pa)) {
		e->stats.malformed++;
		v2_send_response_notify(e, sa, IKEV2_EXCH_IKE_AUTH, msgid,
					IKEV2_N_INVALID_SYNTAX);
		sa_ike_kill(e, sa);
		return;
	}
	v2_id_from_pl(&id, &idi);
	if (!v2_auth_policy(e, sa, &idi, &pol)) {
		char buf[128];

		pl_id_format(&id, buf, sizeof(buf));
		sa_log(e, LOG_NOTICE, "no tunnel for IKE peer ID %s", buf);
		goto fail;
	}
	sa->pol = pol;
	snprintf(sa->tunnel, sizeof(sa->tunnel), "%s", pol.tunnel->ifname);
	sa->remote_id = idi;
	sa->local_id = pol.v.local_id;
	if (v2_auth_verify(sa, &id, &pa)) {
		sa_log(e, LOG_NOTICE, "%s: AUTH of the peer does not verify",
		       sa->tunnel);
		goto fail;
	}
	if (v2_auth_sign(sa, auth, &alen))
		goto fail;
	sa->initial_contact = v2_find_notify(m, IKEV2_N_INITIAL_CONTACT,
					     &(struct pl_notify){ 0 });
	v2_inner_init(e, &out);
	v2_add_id(&out, IKEV2_PL_IDR, &sa->local_id);
	pa.method = IKEV2_AUTH_PSK;
	pa.data = auth;
	pa.len = alen;
	pl_add_auth(&out, &pa);
	sa->state = IKE_S_ESTABLISHED;
	sa_half_done(e, sa);
	if (sa->initial_contact)
		v2_initial_contact(e, sa);
	v2_auth_child(e, sa, m, &out);
	v2_send_response(e, sa, IKEV2_EXCH_IKE_AUTH, msgid, &out);
	secbuf_wipe(auth, sizeof(auth));
	v2_auth_forget(sa);
	ike_sa_established(e, sa);
	return;
fail:
	e->stats.auth_failed++;
	v2_send_response_notify(e, sa, IKEV2_EXCH_IKE_AUTH, msgid,
				IKEV2_N_AUTHENTICATION_FAILED);
	sa_ike_kill(e, sa);
}

/* Initiator: the first Child SA from the response. */
static void v2_auth_child_done(struct ike_engine *e, struct ike_sa *sa,
			       const struct msg *m)
{
	const struct msg_payload *psa = msg_find(m, IKEV2_PL_SA, 0);
	const struct msg_payload *pti = msg_find(m, IKEV2_PL_TSI, 0);
	const struct msg_payload *ptr = msg_find(m, IKEV2_PL_TSR, 0);
	struct pl_ts_list *ts = malloc(2 * sizeof(*ts));
	struct pl_sa *answer = malloc(sizeof(*answer));
	struct ike_req *r = &sa->req;
	struct prop_sel sel;
	struct child_sa *c;
	struct pl_notify n;

	/*
	 * Whatever the responder said: deleting the IKE SA also deletes a
	 * Child SA it made (RFC 7296 1.4.1), and no other can be made on
	 * this IKE SA while the NAT is there.
	 */
	if (sa_child_nat_refused(e, sa)) {
		sa->want_delete = true;
		goto out;
	}
	if (!ts || !answer)
		goto out;
	if (!psa) {
		for (unsigned int i = 0; i < m->n; i++) {
			if (m->pl[i].type == IKEV2_PL_NOTIFY &&
			    !pl_notify_parse(&m->pl[i], &n) && n.type < 16384) {
				if (n.type == IKEV2_N_NO_PROPOSAL_CHOSEN)
					e->stats.no_proposal++;
				sa_log(e, LOG_NOTICE, "%s: no Child SA: peer says %s",
				       sa->tunnel,
				       names_get(NAMES_NOTIFY, n.type) ?: "error");
			}
		}
		goto out;
	}
	if (!pti || !ptr || pl_sa_parse(psa, answer) ||
	    pl_ts_parse(pti, &ts[0]) || pl_ts_parse(ptr, &ts[1]) ||
	    prop_check_answer(answer, r->offer, PROP_CHILD, &sel) ||
	    !ts_subset(&ts[0], r->tsi) || !ts_subset(&ts[1], r->tsr)) {
		e->stats.malformed++;
		sa_log(e, LOG_NOTICE, "%s: the Child SA in IKE_AUTH is unacceptable",
		       sa->tunnel);
		goto out;
	}
	c = sa_child_new(e, sa);
	if (!c)
		goto out;
	c->sel = sel;
	c->initiated = true;
	c->spi_in = r->spi;
	c->spi_out = msg_get32(sel.spi);
	if (v2_child_set_ts(c, &ts[0], &ts[1]) ||
	    v2_child_install(e, sa, c, NULL, sa->v2.ni, sa->v2.nr, false))
		sa_child_free(e, sa, c);
out:
	free(ts);
	free(answer);
}

void v2_auth_response(struct ike_engine *e, struct ike_sa *sa,
		      const struct msg *m)
{
	struct pl_notify n;
	struct policy_id idr;
	struct pl_auth pa;
	struct pl_id id;

	if (v2_find_notify(m, IKEV2_N_AUTHENTICATION_FAILED, &n)) {
		e->stats.auth_failed++;
		ike_sa_dead(e, sa, "peer: AUTHENTICATION_FAILED");
		return;
	}
	if (pl_id_parse(v2_get(m, IKEV2_PL_IDR), &id) ||
	    pl_auth_parse(v2_get(m, IKEV2_PL_AUTH), &pa)) {
		e->stats.malformed++;
		ike_sa_dead(e, sa, "IKE_AUTH response without IDr or AUTH");
		return;
	}
	v2_id_from_pl(&id, &idr);
	if ((sa->remote_id.type && !policy_id_equal(&idr, &sa->remote_id)) ||
	    v2_auth_verify(sa, &id, &pa)) {
		e->stats.auth_failed++;
		ike_sa_dead(e, sa, "the peer's IDr or AUTH does not verify");
		return;
	}
	sa->remote_id = idr;
	sa->state = IKE_S_ESTABLISHED;
	v2_auth_child_done(e, sa, m);
	v2_auth_forget(sa);
	sa_ike_reset_req(sa);
	ike_sa_established(e, sa);
	v2_kick(e, sa);
}
