// SPDX-License-Identifier: GPL-2.0
/*
 * CREATE_CHILD_SA (RFC 7296 1.3): rekeying a Child SA, with PFS when the
 * child-pfs policy has a group (1.3.3), and rekeying the IKE SA (1.3.2,
 * 2.18), and making the Child SA of an IKE SA that has none left (after
 * a DELETE, or when IKE_AUTH made none).  Child SAs beyond the one per
 * tunnel are refused with NO_ADDITIONAL_SAS.
 *
 * Make-before-break into the kernel (2.8): the initiator of a Child SA
 * rekey installs the new inbound SA, then the new outbound one (the
 * kernel switches to the newest outbound SA atomically), then DELETEs
 * the old pair.  The responder installs only the new inbound SA with its
 * answer; its new outbound SA follows when the DELETE of the old one
 * arrives, so it never sends on an SA the initiator cannot yet receive.
 *
 * Collisions (2.8.1): when both ends rekey the same Child SA, each
 * answers the other, then the rekey whose lower nonce is the lowest of
 * the four is redundant and its initiator deletes the new SA it made;
 * the other initiator deletes the old one.  IKE SA rekeys collide the
 * same way (2.8.2): both new IKE SAs are made, the redundant one is
 * deleted by its initiator, and the Child SAs live on in the other.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ikev2.h"

#define V2_RETRY_MS	10000	/* a refused rekey is tried again after */

/* The group our KE carries: the first real one of list, 0 for none. */
static uint16_t v2_pfs_group(const struct policy_alg_list *l)
{
	size_t n;
	const struct policy_alg *t = policy_algs(POLICY_KIND_DH, &n);

	for (unsigned int i = 0; i < l->n; i++) {
		uint16_t g = l->idx[i] < n ? t[l->idx[i]].ikev2_id : 0;

		if (g == IKEV2_DH_NONE)
			return 0;
		if (crypto_dh_supported(g))
			return g;
	}
	return 0;
}

static bool v2_list_has(const struct policy_alg_list *l, uint16_t group)
{
	size_t n;
	const struct policy_alg *t = policy_algs(POLICY_KIND_DH, &n);

	for (unsigned int i = 0; i < l->n; i++) {
		if (l->idx[i] < n && t[l->idx[i]].ikev2_id == group)
			return true;
	}
	return false;
}

/* A fresh nonce, our KE (group 0: none) and their payloads. */
static int v2_nonce_ke(struct msg_builder *b, struct ike_req *r,
		       uint16_t group)
{
	uint8_t pub[CRYPTO_DH_PUB_MAX];
	struct pl_nonce nonce;

	secbuf_free(r->nonce);
	r->nonce = secbuf_new(IKE_NONCE_LEN);
	if (!r->nonce || crypto_random(r->nonce->data, r->nonce->len))
		return -EIO;
	nonce.data = r->nonce->data;
	nonce.len = r->nonce->len;
	pl_add_nonce(b, &nonce);
	crypto_dh_free(r->dh);
	r->dh = NULL;
	if (group) {
		struct pl_ke ke = { .group = group, .data = pub };

		r->dh = crypto_dh_new(group);
		ke.len = crypto_dh_pub_len(group);
		if (!r->dh || crypto_dh_public(r->dh, pub, ke.len))
			return -EIO;
		pl_add_ke(b, &ke);
	}
	return 0;
}

/* Rekey c, or with c NULL make a new Child SA from the policy. */
static int v2_rekey_child_send(struct ike_engine *e, struct ike_sa *sa,
			       struct child_sa *c, uint16_t group)
{
	struct ike_req *r = &sa->req;
	struct msg_builder in;
	uint8_t spi[4], old[4];
	struct pl_notify n = {
		.type = IKEV2_N_REKEY_SA,
		.proto = IKEV2_PROTO_ESP,
		.spi_size = 4,
		.spi = old,
	};
	int err;

	sa_ike_reset_req(sa);
	r->offer = malloc(sizeof(*r->offer));
	r->tsi = malloc(sizeof(*r->tsi));
	r->tsr = malloc(sizeof(*r->tsr));
	r->spi = sa_new_spi(e);
	if (!r->offer || !r->tsi || !r->tsr || !r->spi)
		return -ENOMEM;
	r->child = c;
	msg_set32(spi, r->spi);
	prop_offer(&sa->pol.v, PROP_CHILD_PFS, group, spi, 4, r->offer);
	if (c) {
		msg_set32(old, c->spi_in);
		memset(r->tsi, 0, sizeof(*r->tsi));
		memset(r->tsr, 0, sizeof(*r->tsr));
		r->tsi->n = c->n_ts_l;
		memcpy(r->tsi->ts, c->ts_l, c->n_ts_l * sizeof(struct pl_ts));
		r->tsr->n = c->n_ts_r;
		memcpy(r->tsr->ts, c->ts_r, c->n_ts_r * sizeof(struct pl_ts));
	} else {
		ts_from_policy(&sa->pol.v.local_ts, r->tsi);
		ts_from_policy(&sa->pol.v.remote_ts, r->tsr);
	}

	v2_inner_init(e, &in);
	if (c)
		pl_add_notify(&in, &n);
	pl_add_sa(&in, r->offer);
	err = v2_nonce_ke(&in, r, group);
	pl_add_ts(&in, IKEV2_PL_TSI, r->tsi);
	pl_add_ts(&in, IKEV2_PL_TSR, r->tsr);
	if (!err)
		err = v2_send_request(e, sa, IKEV2_EXCH_CREATE_CHILD_SA, &in,
				      c ? TASK_CHILD_REKEY : TASK_CHILD_CREATE);
	if (err)
		return err;
	if (c) {
		c->state = CHILD_S_REKEYING;
		sa_log(e, LOG_INFO, "%s: rekeying Child SA 0x%08x%s", sa->tunnel,
		       c->spi_in, group ? " with PFS" : "");
	} else {
		sa_log(e, LOG_INFO, "%s: creating a Child SA", sa->tunnel);
	}
	return 0;
}

int v2_child_create_start(struct ike_engine *e, struct ike_sa *sa)
{
	return v2_rekey_child_send(e, sa, NULL,
				   v2_pfs_group(&sa->pol.v.child_pfs));
}

int v2_rekey_child_start(struct ike_engine *e, struct ike_sa *sa,
			 struct child_sa *c)
{
	return v2_rekey_child_send(e, sa, c, v2_pfs_group(&sa->pol.v.child_pfs));
}

static int v2_rekey_ike_send(struct ike_engine *e, struct ike_sa *sa,
			     uint16_t group)
{
	struct ike_req *r = &sa->req;
	struct msg_builder in;
	int err;

	sa_ike_reset_req(sa);
	r->offer = malloc(sizeof(*r->offer));
	if (!r->offer || crypto_random(r->ike_spi, 8))
		return -ENOMEM;
	prop_offer(&sa->pol.v, PROP_IKE, group, r->ike_spi, 8, r->offer);
	v2_inner_init(e, &in);
	pl_add_sa(&in, r->offer);
	err = v2_nonce_ke(&in, r, group);
	if (!err)
		err = v2_send_request(e, sa, IKEV2_EXCH_CREATE_CHILD_SA, &in,
				      TASK_IKE_REKEY);
	if (!err)
		sa_log(e, LOG_INFO, "%s: rekeying the IKE SA", sa->tunnel);
	return err;
}

int v2_rekey_ike_start(struct ike_engine *e, struct ike_sa *sa)
{
	return v2_rekey_ike_send(e, sa, sa->sel.dh);
}

/* The new IKE SA of a rekey; the Child SAs move over to it. */
static struct ike_sa *v2_ike_successor(struct ike_engine *e, struct ike_sa *sa,
				       bool initiator, const uint8_t spi_i[8],
				       const uint8_t *spi_r,
				       const struct prop_sel *sel,
				       const struct secbuf *gir,
				       const struct secbuf *ni,
				       const struct secbuf *nr)
{
	struct secbuf *skeyseed = NULL;
	struct ike_sa *n = sa_ike_new(e, &ikev2_ops, &sa->pol, initiator);
	int err;

	if (!n)
		return NULL;
	memcpy(n->tunnel, sa->tunnel, sizeof(n->tunnel));
	memcpy(n->spi_i, spi_i, 8);
	sa_ike_rehash(e, n);
	if (spi_r)
		memcpy(n->spi_r, spi_r, 8);
	n->local = sa->local;
	n->remote = sa->remote;
	n->natt = sa->natt;
	n->nat_detected = sa->nat_detected;
	n->local_id = sa->local_id;
	n->remote_id = sa->remote_id;
	n->sel = *sel;
	n->has_sel = true;
	err = keymat_v2_skeyseed_rekey(sa->sel.prf, sa->v2.km.sk_d, gir, ni->data,
				       ni->len, nr->data, nr->len, &skeyseed);
	if (!err)
		err = v2_init_derive(n, skeyseed, ni, nr);
	secbuf_free(skeyseed);
	if (err) {
		sa_ike_kill(e, n);
		return NULL;
	}
	n->v2.successor = true;
	memcpy(n->v2.rekey_of_i, sa->spi_i, 8);
	memcpy(n->v2.rekey_of_r, sa->spi_r, 8);
	if (v2_nonce_cmp(ni->data, ni->len, nr->data, nr->len) > 0)
		ni = nr;
	n->v2.min_nonce = malloc(ni->len);
	if (n->v2.min_nonce) {
		memcpy(n->v2.min_nonce, ni->data, ni->len);
		n->v2.min_nonce_len = ni->len;
	}
	n->state = IKE_S_ESTABLISHED;
	sa_move_children(sa, n);
	sa->state = IKE_S_REKEYED;
	sa->rekey_ms = IKE_NO_TIMER;
	ike_sa_established(e, n);
	return n;
}

/* The peer's TS payloads, narrowed: [0] TSi (its side), [1] TSr (ours). */
static uint16_t v2_ccsa_ts(const struct ike_sa *sa, const struct msg *m,
			   struct pl_ts_list *in, struct pl_ts_list *out)
{
	const struct msg_payload *pti = msg_find(m, IKEV2_PL_TSI, 0);
	const struct msg_payload *ptr = msg_find(m, IKEV2_PL_TSR, 0);

	if (!pti || !ptr || pl_ts_parse(pti, &in[0]) || pl_ts_parse(ptr, &in[1]))
		return IKEV2_N_INVALID_SYNTAX;
	if (ts_narrow(&in[0], &sa->pol.v.remote_ts, &out[0]) ||
	    ts_narrow(&in[1], &sa->pol.v.local_ts, &out[1]))
		return IKEV2_N_TS_UNACCEPTABLE;
	return 0;
}

struct v2_ccsa {
	struct pl_sa offer;
	struct pl_ts_list ts_in[2], ts_out[2];
	uint8_t pub[CRYPTO_DH_PUB_MAX];
};

/*
 * Our nonce, our KE for sel.dh and g^ir from the peer's KE.  Returns 0
 * or the notify to answer with.
 */
static uint16_t v2_ccsa_dh(const struct msg *m, uint16_t group,
			   struct secbuf **nr, uint8_t *pub,
			   struct secbuf **gir)
{
	struct crypto_dh *dh;
	struct pl_ke ke;
	int err;

	*nr = secbuf_new(IKE_NONCE_LEN);
	if (!*nr || crypto_random((*nr)->data, (*nr)->len))
		return IKEV2_N_TEMPORARY_FAILURE;
	if (!group)
		return 0;
	if (pl_ke_parse(v2_get(m, IKEV2_PL_KE), &ke))
		return IKEV2_N_INVALID_SYNTAX;
	dh = crypto_dh_new(group);
	if (!dh)
		return IKEV2_N_TEMPORARY_FAILURE;
	err = crypto_dh_public(dh, pub, crypto_dh_pub_len(group));
	if (!err)
		err = crypto_dh_derive(dh, ke.data, ke.len, gir);
	crypto_dh_free(dh);
	return err ? IKEV2_N_INVALID_SYNTAX : 0;
}

static void v2_ccsa_answer(struct ike_engine *e, struct ike_sa *sa,
			   uint32_t msgid, const struct prop_sel *sel,
			   const uint8_t *spi, uint8_t spi_size,
			   const struct secbuf *nr, const uint8_t *pub,
			   const struct pl_ts_list *ts)
{
	struct pl_nonce nonce = { .data = nr->data, .len = nr->len };
	struct msg_builder out;
	struct pl_sa *answer = malloc(sizeof(*answer));

	if (!answer)
		return;
	prop_answer(sel, spi, spi_size, answer);
	v2_inner_init(e, &out);
	pl_add_sa(&out, answer);
	pl_add_nonce(&out, &nonce);
	if (sel->dh) {
		struct pl_ke ke = {
			.group = sel->dh,
			.data = pub,
			.len = crypto_dh_pub_len(sel->dh),
		};

		pl_add_ke(&out, &ke);
	}
	if (ts) {
		pl_add_ts(&out, IKEV2_PL_TSI, &ts[0]);
		pl_add_ts(&out, IKEV2_PL_TSR, &ts[1]);
	}
	free(answer);
	v2_send_response(e, sa, IKEV2_EXCH_CREATE_CHILD_SA, msgid, &out);
}

static uint16_t v2_ke_group(const struct msg *m)
{
	struct pl_ke ke;

	if (pl_ke_parse(v2_get(m, IKEV2_PL_KE), &ke))
		return 0;
	return ke.group;
}

static void v2_invalid_ke(struct ike_engine *e, struct ike_sa *sa,
			  uint32_t msgid, uint16_t group)
{
	struct pl_notify n = { .type = IKEV2_N_INVALID_KE_PAYLOAD, .len = 2 };
	struct msg_builder out;
	uint8_t g[2];

	msg_set16(g, group);
	n.data = g;
	v2_inner_init(e, &out);
	pl_add_notify(&out, &n);
	v2_send_response(e, sa, IKEV2_EXCH_CREATE_CHILD_SA, msgid, &out);
}

/* The peer rekeys the Child SA rekey names, or with rekey NULL makes one. */
static uint16_t v2_rekey_child_request(struct ike_engine *e, struct ike_sa *sa,
				       const struct msg *m,
				       const struct pl_notify *rekey,
				       struct v2_ccsa *w)
{
	struct secbuf *nr = NULL, *gir = NULL, *ni = NULL;
	uint32_t msgid = m->hdr.msgid;
	struct child_sa *c = NULL, *h;
	struct pl_nonce pn;
	struct prop_sel sel;
	uint16_t err;
	uint8_t spi[4];

	if (sa_child_nat_refused(e, sa))
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	if (!rekey) {
		/* One Child SA per tunnel: its selectors are the tunnel's. */
		if (sa->children)
			return IKEV2_N_NO_ADDITIONAL_SAS;
	} else {
		if (rekey->proto != IKEV2_PROTO_ESP || rekey->spi_size != 4)
			return IKEV2_N_INVALID_SYNTAX;
		c = sa_child_by_out(sa, msg_get32(rekey->spi));
		if (!c)
			return IKEV2_N_CHILD_SA_NOT_FOUND;
		if (c->state != CHILD_S_INSTALLED &&
		    c->state != CHILD_S_REKEYING)
			return IKEV2_N_TEMPORARY_FAILURE;
	}
	if (prop_choose(&w->offer, &sa->pol.v, PROP_CHILD_PFS, v2_ke_group(m),
			&sel)) {
		e->stats.no_proposal++;
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	}
	if (sel.dh && v2_ke_group(m) != sel.dh) {
		v2_invalid_ke(e, sa, msgid, sel.dh);
		return 0;
	}
	err = v2_ccsa_ts(sa, m, w->ts_in, w->ts_out);
	if (err)
		return err;
	if (pl_nonce_parse(v2_get(m, IKEV2_PL_NONCE), &pn))
		return IKEV2_N_INVALID_SYNTAX;
	err = v2_ccsa_dh(m, sel.dh, &nr, w->pub, &gir);
	ni = secbuf_dup(pn.data, pn.len);
	h = err || !ni ? NULL : sa_child_new(e, sa);
	if (!h) {
		err = err ? err : IKEV2_N_TEMPORARY_FAILURE;
		goto out;
	}
	h->sel = sel;
	h->spi_in = sa_new_spi(e);
	h->spi_out = msg_get32(sel.spi);
	h->rekeys_spi = c ? c->spi_in : 0;
	/* A new Child SA replaces nothing: both directions at once. */
	if (!h->spi_in || v2_child_set_ts(h, &w->ts_out[1], &w->ts_out[0]) ||
	    v2_child_set_nonces(h, nr, &pn) ||
	    v2_child_install(e, sa, h, gir, ni, nr, c != NULL)) {
		sa_child_free(e, sa, h);
		err = IKEV2_N_TEMPORARY_FAILURE;
		goto out;
	}
	if (c && c->state == CHILD_S_INSTALLED)
		c->state = CHILD_S_REKEYED;
	msg_set32(spi, h->spi_in);
	v2_ccsa_answer(e, sa, msgid, &sel, spi, 4, nr, w->pub, w->ts_out);
out:
	secbuf_free(nr);
	secbuf_free(ni);
	secbuf_free(gir);
	return err;
}

static uint16_t v2_rekey_ike_request(struct ike_engine *e, struct ike_sa *sa,
				     const struct msg *m, struct v2_ccsa *w)
{
	struct secbuf *nr = NULL, *gir = NULL, *ni = NULL;
	uint32_t msgid = m->hdr.msgid;
	struct ike_sa *n = NULL;
	struct pl_nonce pn;
	struct prop_sel sel;
	uint16_t err;

	for (struct child_sa *c = sa->children; c; c = c->next) {
		if (c->state != CHILD_S_INSTALLED)
			return IKEV2_N_TEMPORARY_FAILURE;
	}
	if (prop_choose(&w->offer, &sa->pol.v, PROP_IKE, v2_ke_group(m), &sel) ||
	    sel.spi_size != 8) {
		e->stats.no_proposal++;
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	}
	if (v2_ke_group(m) != sel.dh) {
		v2_invalid_ke(e, sa, msgid, sel.dh);
		return 0;
	}
	if (pl_nonce_parse(v2_get(m, IKEV2_PL_NONCE), &pn))
		return IKEV2_N_INVALID_SYNTAX;
	err = v2_ccsa_dh(m, sel.dh, &nr, w->pub, &gir);
	ni = secbuf_dup(pn.data, pn.len);
	if (!err && ni)
		n = v2_ike_successor(e, sa, false, sel.spi, NULL, &sel, gir, ni,
				     nr);
	if (!n) {
		err = err ? err : IKEV2_N_TEMPORARY_FAILURE;
		goto out;
	}
	v2_ccsa_answer(e, sa, msgid, &sel, n->spi_r, 8, nr, w->pub, NULL);
	/* The old IKE SA waits for the initiator's DELETE, not forever. */
	sa->expire_ms = e->now_ms + 1000ull * (sa->pol.retransmit[0] +
		sa->pol.retransmit[1] + sa->pol.retransmit[2] +
		sa->pol.retransmit_timeout);
out:
	secbuf_free(nr);
	secbuf_free(ni);
	secbuf_free(gir);
	return err;
}

void v2_ccsa_request(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m)
{
	uint32_t msgid = m->hdr.msgid;
	struct v2_ccsa *w = malloc(sizeof(*w));
	struct pl_notify rekey;
	uint16_t err;

	if (!w)
		return;
	if (sa->state != IKE_S_ESTABLISHED) {
		err = IKEV2_N_TEMPORARY_FAILURE;
	} else if (pl_sa_parse(v2_get(m, IKEV2_PL_SA), &w->offer)) {
		e->stats.malformed++;
		err = IKEV2_N_INVALID_SYNTAX;
	} else if (w->offer.prop[0].proto == IKEV2_PROTO_IKE) {
		err = v2_rekey_ike_request(e, sa, m, w);
	} else {
		bool is_rekey = v2_find_notify(m, IKEV2_N_REKEY_SA, &rekey);

		err = v2_rekey_child_request(e, sa, m, is_rekey ? &rekey : NULL,
					     w);
	}
	if (err)
		v2_send_response_notify(e, sa, IKEV2_EXCH_CREATE_CHILD_SA, msgid,
					err);
	free(w);
}

/* An error notify in a response: its type, or 0. */
static uint16_t v2_error(const struct msg *m, struct pl_notify *n)
{
	for (unsigned int i = 0; i < m->n; i++) {
		if (m->pl[i].type == IKEV2_PL_NOTIFY &&
		    !pl_notify_parse(&m->pl[i], n) && n->type < 16384)
			return n->type;
	}
	return 0;
}

/* A sibling made by the peer's rekey of the same Child SA, if any. */
static struct child_sa *v2_sibling(struct ike_sa *sa, struct child_sa *old,
				   struct child_sa *self)
{
	for (struct child_sa *c = sa->children; c; c = c->next) {
		if (c != self && c->state == CHILD_S_HALF &&
		    c->rekeys_spi == old->spi_in && !c->initiated)
			return c;
	}
	return NULL;
}

/*
 * The answer to our Child SA rekey (c set) or creation (c NULL).  True
 * when a new request replaced the one answered (INVALID_KE_PAYLOAD).
 */
static bool v2_rekey_child_response(struct ike_engine *e, struct ike_sa *sa,
				    const struct msg *m)
{
	struct ike_req *r = &sa->req;
	bool create = r->task == TASK_CHILD_CREATE;
	struct child_sa *c = r->child, *n = NULL, *sib = NULL;
	struct secbuf *gir = NULL, *nr = NULL;
	struct pl_ts_list *ts = malloc(2 * sizeof(*ts));
	struct pl_sa *answer = malloc(sizeof(*answer));
	struct pl_notify pn;
	struct pl_nonce nonce;
	struct prop_sel sel;
	uint16_t err;

	/* c is gone when the peer deleted it meanwhile: nothing to do. */
	if ((!create && !c) || !ts || !answer)
		goto out;
	err = v2_error(m, &pn);
	if (err) {
		uint16_t g = pn.len == 2 ? msg_get16(pn.data) : 0;

		if (c && c->state == CHILD_S_REKEYING)
			c->state = CHILD_S_INSTALLED;
		if (err == IKEV2_N_INVALID_KE_PAYLOAD &&
		    v2_list_has(&sa->pol.v.child_pfs, g) &&
		    crypto_dh_supported(g) &&
		    (!r->dh || crypto_dh_group(r->dh) != g)) {
			free(ts);
			free(answer);
			if (!v2_rekey_child_send(e, sa, c, g))
				return true;
			if (c)
				c->rekey_ms = e->now_ms + V2_RETRY_MS;
			return false;
		}
		if (err == IKEV2_N_NO_PROPOSAL_CHOSEN)
			e->stats.no_proposal++;
		if (c && err == IKEV2_N_CHILD_SA_NOT_FOUND)
			c->want_delete = true;
		else if (c)
			c->rekey_ms = e->now_ms + V2_RETRY_MS;
		sa_log(e, LOG_NOTICE, "%s: CREATE_CHILD_SA refused: %s",
		       sa->tunnel, names_get(NAMES_NOTIFY, err) ?: "error");
		goto out;
	}
	if (pl_sa_parse(v2_get(m, IKEV2_PL_SA), answer) ||
	    prop_check_answer(answer, r->offer, PROP_CHILD_PFS, &sel) ||
	    pl_nonce_parse(v2_get(m, IKEV2_PL_NONCE), &nonce) ||
	    pl_ts_parse(v2_get(m, IKEV2_PL_TSI), &ts[0]) ||
	    pl_ts_parse(v2_get(m, IKEV2_PL_TSR), &ts[1]) ||
	    !ts_subset(&ts[0], r->tsi) || !ts_subset(&ts[1], r->tsr) ||
	    (sel.dh && (!r->dh || crypto_dh_group(r->dh) != sel.dh))) {
		e->stats.malformed++;
		goto bad;
	}
	if (sel.dh) {
		struct pl_ke ke;

		if (pl_ke_parse(v2_get(m, IKEV2_PL_KE), &ke) ||
		    ke.group != sel.dh ||
		    crypto_dh_derive(r->dh, ke.data, ke.len, &gir)) {
			e->stats.malformed++;
			goto bad;
		}
	}
	nr = secbuf_dup(nonce.data, nonce.len);
	n = nr ? sa_child_new(e, sa) : NULL;
	if (!n)
		goto bad;
	n->sel = sel;
	n->initiated = true;
	n->spi_in = r->spi;
	n->spi_out = msg_get32(sel.spi);
	n->rekeys_spi = c ? c->spi_in : 0;
	if (v2_child_set_ts(n, &ts[0], &ts[1]) ||
	    v2_child_set_nonces(n, r->nonce, &nonce))
		goto bad;
	if (c)
		sib = v2_sibling(sa, c, n);
	if (sib && v2_nonce_cmp(n->min_nonce, n->min_nonce_len,
				sib->min_nonce, sib->min_nonce_len) < 0) {
		/* Ours is redundant: the peer's rekey replaces c. */
		sa_log(e, LOG_INFO, "%s: rekey collision on Child SA 0x%08x: ours is redundant",
		       sa->tunnel, c->spi_in);
		if (v2_child_install(e, sa, n, gir, r->nonce, nr, true))
			goto bad;
		n->want_delete = true;
		c->state = CHILD_S_REKEYED;
		c->rekey_ms = IKE_NO_TIMER;
		goto out;
	}
	if (sib)
		sa_log(e, LOG_INFO, "%s: rekey collision on Child SA 0x%08x: ours wins",
		       sa->tunnel, c->spi_in);
	if (v2_child_install(e, sa, n, gir, r->nonce, nr, false))
		goto bad;
	if (c) {
		c->state = CHILD_S_REKEYED;
		c->rekey_ms = IKE_NO_TIMER;
		c->want_delete = true;
	}
	goto out;
bad:
	if (n)
		sa_child_free(e, sa, n);
	sa_log(e, LOG_NOTICE, "%s: bad CREATE_CHILD_SA response", sa->tunnel);
	if (c) {
		c->state = CHILD_S_INSTALLED;
		c->rekey_ms = e->now_ms + V2_RETRY_MS;
	}
out:
	secbuf_free(gir);
	secbuf_free(nr);
	free(ts);
	free(answer);
	return false;
}

/*
 * Our rekey of old made n.  If the peer's rekey of old made another IKE
 * SA meanwhile, the one with the lowest nonce is redundant (2.8.2): its
 * initiator deletes it, the other's initiator deletes old, and the Child
 * SAs live in the survivor.
 */
static void v2_ike_collision(struct ike_engine *e, struct ike_sa *old,
			     struct ike_sa *n)
{
	struct ike_sa *x;

	for (x = e->sas; x; x = x->next) {
		if (x != n && x->v2.successor && !x->initiator &&
		    x->state == IKE_S_ESTABLISHED &&
		    !memcmp(x->v2.rekey_of_i, old->spi_i, 8) &&
		    !memcmp(x->v2.rekey_of_r, old->spi_r, 8))
			break;
	}
	if (!x) {
		old->want_delete = !old->peer_deleted;
		return;
	}
	if (v2_nonce_cmp(n->v2.min_nonce, n->v2.min_nonce_len, x->v2.min_nonce,
			 x->v2.min_nonce_len) < 0) {
		sa_log(e, LOG_INFO, "%s: IKE SA rekey collision: ours is redundant",
		       n->tunnel);
		sa_move_children(n, x);
		n->want_delete = true;
		v2_kick(e, n);
		return;
	}
	sa_log(e, LOG_INFO, "%s: IKE SA rekey collision: ours wins", n->tunnel);
	sa_move_children(x, n);
	/* Its initiator deletes it; if not, it goes in time. */
	x->expire_ms = e->now_ms + 1000ull * (x->pol.retransmit[0] +
		x->pol.retransmit[1] + x->pol.retransmit[2] +
		x->pol.retransmit_timeout);
	x->rekey_ms = IKE_NO_TIMER;
	old->want_delete = !old->peer_deleted;
}

static bool v2_rekey_ike_response(struct ike_engine *e, struct ike_sa *sa,
				  const struct msg *m)
{
	struct ike_req *r = &sa->req;
	struct secbuf *gir = NULL, *nr = NULL;
	struct pl_sa *answer = malloc(sizeof(*answer));
	struct pl_nonce nonce;
	struct pl_notify pn;
	struct prop_sel sel;
	struct ike_sa *n = NULL;
	struct pl_ke ke;
	uint16_t err;

	if (!answer)
		return false;
	err = v2_error(m, &pn);
	if (err) {
		if (sa->state != IKE_S_ESTABLISHED)
			goto out;	/* the peer's own rekey won */
		if (err == IKEV2_N_INVALID_KE_PAYLOAD && pn.len == 2 &&
		    v2_list_has(&sa->pol.v.sa_dh, msg_get16(pn.data)) &&
		    crypto_dh_supported(msg_get16(pn.data)) &&
		    msg_get16(pn.data) != sa->sel.dh) {
			uint16_t g = msg_get16(pn.data);

			free(answer);
			if (!v2_rekey_ike_send(e, sa, g))
				return true;
			sa->rekey_ms = e->now_ms + V2_RETRY_MS;
			return false;
		}
		if (err == IKEV2_N_NO_PROPOSAL_CHOSEN)
			e->stats.no_proposal++;
		sa->rekey_ms = e->now_ms + V2_RETRY_MS;
		goto out;
	}
	if (pl_sa_parse(v2_get(m, IKEV2_PL_SA), answer) ||
	    prop_check_answer(answer, r->offer, PROP_IKE, &sel) ||
	    sel.spi_size != 8 || !r->dh || sel.dh != crypto_dh_group(r->dh) ||
	    pl_nonce_parse(v2_get(m, IKEV2_PL_NONCE), &nonce) ||
	    pl_ke_parse(v2_get(m, IKEV2_PL_KE), &ke) || ke.group != sel.dh ||
	    crypto_dh_derive(r->dh, ke.data, ke.len, &gir) ||
	    !(nr = secbuf_dup(nonce.data, nonce.len))) {
		e->stats.malformed++;
		sa->rekey_ms = e->now_ms + V2_RETRY_MS;
		goto out;
	}
	n = v2_ike_successor(e, sa, true, r->ike_spi, sel.spi, &sel, gir,
			     r->nonce, nr);
	if (!n) {
		sa->rekey_ms = e->now_ms + V2_RETRY_MS;
		goto out;
	}
	v2_ike_collision(e, sa, n);
out:
	secbuf_free(gir);
	secbuf_free(nr);
	free(answer);
	return false;
}

void v2_ccsa_response(struct ike_engine *e, struct ike_sa *sa,
		      const struct msg *m)
{
	bool again = false;

	if (sa->req.task == TASK_CHILD_REKEY ||
	    sa->req.task == TASK_CHILD_CREATE)
		again = v2_rekey_child_response(e, sa, m);
	else if (sa->req.task == TASK_IKE_REKEY)
		again = v2_rekey_ike_response(e, sa, m);
	if (again)
		return;
	sa_ike_reset_req(sa);
	if (sa->peer_deleted) {
		sa_ike_kill(e, sa);
		return;
	}
	v2_kick(e, sa);
}
