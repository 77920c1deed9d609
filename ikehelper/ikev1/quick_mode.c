// SPDX-License-Identifier: GPL-2.0
/*
 * Quick Mode (RFC 2409 5.5): the IPsec SAs, both roles, with and without
 * PFS, for a new pair of IPsec SAs or to rekey one.
 *
 *	I -> R	QM1  HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr]
 *	R -> I	QM2  HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr]
 *				[, N(RESPONDER-LIFETIME)]
 *	I -> R	QM3  HDR*, HASH(3)
 *
 * The responder installs its inbound SA when it sends QM2 (the initiator
 * may send at once) and its outbound one on QM3; it resends QM2 until
 * QM3 comes.  The initiator installs both on QM2, unless the responder
 * set the commit bit: then its outbound SA waits for CONNECTED (for
 * V1_COMMIT_WAIT seconds at most, should the notify be lost).  The
 * lower lifetime wins, as IOS does: a responder with a lower one says so
 * in RESPONDER-LIFETIME.  A rekey makes a new pair and deletes the old
 * one V1_DELETE_GRACE seconds later, so no packet in flight is lost.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "../ts.h"
#include "ikev1.h"

void v1_qm_free(struct v1_qm *qm)
{
	if (!qm)
		return;
	secbuf_free(qm->ni);
	secbuf_free(qm->nr);
	crypto_dh_free(qm->dh);
	secbuf_free(qm->gxy);
	free(qm->out);
	secbuf_wipe(qm, sizeof(*qm));
	free(qm);
}

static struct v1_qm *v1_qm_new(struct ike_sa *sa, uint32_t msgid,
			       bool initiator)
{
	struct v1_qm *qm;
	unsigned int i;

	for (i = 0; i < V1_QM_MAX && sa->v1.qm[i]; i++)
		;
	if (i == V1_QM_MAX)
		return NULL;
	qm = calloc(1, sizeof(*qm));
	if (!qm)
		return NULL;
	qm->msgid = msgid;
	qm->initiator = initiator;
	qm->next_ms = IKE_NO_TIMER;
	if (v1crypt_iv_phase2(&qm->iv, &sa->v1.key, &sa->v1.iv, msgid)) {
		free(qm);
		return NULL;
	}
	sa->v1.qm[i] = qm;
	return qm;
}

static void v1_qm_drop(struct ike_sa *sa, struct v1_qm *qm)
{
	for (unsigned int i = 0; i < V1_QM_MAX; i++)
		if (sa->v1.qm[i] == qm)
			sa->v1.qm[i] = NULL;
	v1_qm_free(qm);
}

static struct v1_qm *v1_qm_find(struct ike_sa *sa, uint32_t msgid)
{
	for (unsigned int i = 0; i < V1_QM_MAX; i++)
		if (sa->v1.qm[i] && sa->v1.qm[i]->msgid == msgid)
			return sa->v1.qm[i];
	return NULL;
}

/* Write HASH over the message after it, once b holds everything. */
static void v1_qm_fill_hash(struct msg_builder *b, size_t hlen,
			    int (*fn)(struct ike_sa *, struct v1_qm *,
				      const uint8_t *, size_t, uint8_t *),
			    struct ike_sa *sa, struct v1_qm *qm)
{
	uint8_t *hash = b->buf + MSG_HDR_LEN + MSG_GENERIC_LEN;
	size_t off = MSG_HDR_LEN + MSG_GENERIC_LEN + hlen;

	if (!b->err && b->len >= off && fn(sa, qm, b->buf + off, b->len - off,
					   hash))
		msg_build_fail(b, MSG_E_CRYPTO);
}

static int v1_hash1_fn(struct ike_sa *sa, struct v1_qm *qm, const uint8_t *rest,
		       size_t len, uint8_t *out)
{
	return keymat_v1_hash1(sa->v1.prf, sa->v1.km.skeyid_a, qm->msgid,
			       rest, len, out);
}

static int v1_hash2_fn(struct ike_sa *sa, struct v1_qm *qm, const uint8_t *rest,
		       size_t len, uint8_t *out)
{
	return keymat_v1_hash2(sa->v1.prf, sa->v1.km.skeyid_a, qm->msgid,
			       qm->ni->data, qm->ni->len, rest, len, out);
}

/* A HASH payload of the PRF's length, filled in later. */
static void v1_add_hash_room(struct msg_builder *b, size_t hlen)
{
	static const uint8_t zero[CRYPTO_PRF_MAX];
	struct v1pl_data d = { .data = zero, .len = hlen };

	v1pl_add_data(b, IKEV1_PL_HASH, &d);
}

int v1_qm_start(struct ike_engine *e, struct ike_sa *sa, struct child_sa *old)
{
	const struct policy_v1_effective *eff = sa->v1.eff;
	size_t hlen = crypto_prf_len(sa->v1.prf), len;
	struct v1pl_sa *offer = calloc(1, sizeof(*offer));
	uint8_t pub[CRYPTO_DH_PUB_MAX], idb[2][32], spi[4];
	struct v1pl_data nonce, ke;
	struct v1pl_id ids[2];
	struct pl_ts tl, tr;
	struct msg_builder b;
	struct v1_qm *qm;
	struct msg_hdr h;
	int err = -ENOMEM;

	if (!offer)
		return -ENOMEM;
	qm = v1_qm_new(sa, v1_new_msgid(e, sa, true), true);
	if (!qm)
		goto fail;
	qm->rekeys = old;
	qm->spi_in = sa_new_spi(e);
	msg_set32(spi, qm->spi_in);
	offer->doi = IKEV1_DOI_IPSEC;
	offer->situation = IKEV1_SIT_IDENTITY_ONLY;
	offer->n_prop = 1;
	offer->prop[0].num = 1;
	offer->prop[0].proto = IKEV1_PROTO_IPSEC_ESP;
	offer->prop[0].spi_size = 4;
	memcpy(offer->prop[0].spi, spi, 4);
	for (unsigned int i = 0; i < eff->n_tset; i++) {
		struct v1xf_esp xf;

		if (!v1_tset_xf(sa, eff->tset[i], eff, &xf)) {
			sa_log(e, LOG_NOTICE, "%s: transform set %s: %s is not implemented by the ikevti module yet; not offered",
			       sa->tunnel, eff->tset[i]->name,
			       policy_esp_enc_name(eff->tset[i]->enc));
			continue;
		}
		if (v1xf_esp_encode(&xf, (uint8_t)(offer->n_xf + 1),
				    &offer->xf[offer->n_xf]))
			offer->n_xf++;
		qm->group = xf.group;
		qm->life_s = xf.life_secs;
		qm->life_kb = xf.life_kbytes;
	}
	offer->prop[0].n_xf = offer->n_xf;
	if (!offer->n_xf) {
		err = -ENOTSUP;
		sa_log(e, LOG_ERR, "%s: no transform set the module can do: the IPsec SA cannot come up",
		       sa->tunnel);
		goto fail;
	}
	qm->ni = secbuf_new(V1_NONCE_LEN);
	if (!qm->ni || crypto_random(qm->ni->data, qm->ni->len))
		goto fail;
	if (qm->group) {
		qm->dh = crypto_dh_new(qm->group);
		ke.len = crypto_dh_pub_len(qm->group);
		if (!qm->dh || crypto_dh_public(qm->dh, pub, ke.len))
			goto fail;
		ke.data = pub;
	}
	/* Old pair: its selectors; new: the policy's first pair. */
	if (old && old->n_ts_l && old->n_ts_r) {
		tl = old->ts_l[0];
		tr = old->ts_r[0];
	} else {
		v1_pair_ts(&eff->ts[0].local, &tl);
		v1_pair_ts(&eff->ts[0].remote, &tr);
	}
	if (v1_ts_id(&tl, &ids[0], idb[0]) || v1_ts_id(&tr, &ids[1], idb[1])) {
		err = -EINVAL;
		goto fail;
	}
	nonce.data = qm->ni->data;
	nonce.len = qm->ni->len;
	v1_hdr(sa, IKEV1_EXCH_QUICK, IKEV1_FLAG_ENCRYPTION, qm->msgid, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	v1_add_hash_room(&b, hlen);
	v1pl_add_sa(&b, offer);
	v1pl_add_data(&b, IKEV1_PL_NONCE, &nonce);
	if (qm->group)
		v1pl_add_data(&b, IKEV1_PL_KE, &ke);
	v1pl_add_id(&b, &ids[0]);
	v1pl_add_id(&b, &ids[1]);
	v1_qm_fill_hash(&b, hlen, v1_hash1_fn, sa, qm);
	err = v1_seal(e, sa, &qm->iv, &b, &len);
	if (err)
		goto fail;
	free(offer);
	qm->expire_ms = e->now_ms + 1000ull * V1_QM_TIMEOUT;
	sa_log(e, LOG_INFO, "%s: Quick Mode %08x started%s", sa->tunnel,
	       qm->msgid, old ? " (rekey)" : "");
	if (old)
		old->state = CHILD_S_REKEYING;
	return v1_send_request(e, sa, e->out, len,
			       old ? TASK_CHILD_REKEY : TASK_CHILD_CREATE);
fail:
	free(offer);
	if (qm)
		v1_qm_drop(sa, qm);
	return err;
}

/* Decrypt m with qm's IV and check its first payload is a HASH: rest. */
static int v1_qm_open(struct ike_engine *e, struct ike_sa *sa,
		      struct v1_qm *qm, const struct msg *m, uint8_t step,
		      struct msg *inner, struct v1crypt_iv *iv,
		      struct v1pl_data *hash, const uint8_t **rest,
		      size_t *rest_len)
{
	enum v1_err verr;
	size_t pad;

	*iv = qm->iv;
	verr = v1crypt_decrypt(&sa->v1.key, iv, m, e->plain, sizeof(e->plain),
			       inner, &pad);
	if (verr) {
		e->stats.decrypt_failed++;
		v1_log_bad(e, sa, &sa->remote, &m->hdr, 0,
			   "message %u does not decrypt: %s", step,
			   v1err_str(verr));
		return -EBADMSG;
	}
	/* Not authentic before its HASH verifies: not answered. */
	verr = v1rules_check(IKEV1_EXCH_QUICK, step, true, inner);
	if (!verr)
		verr = v1pl_hash_parse(&inner->pl[0], hash);
	if (verr) {
		e->stats.malformed++;
		v1_log_bad(e, sa, &sa->remote, &m->hdr, 0, "message %u: %s",
			   step, v1err_str(verr));
		return -EBADMSG;
	}
	v1pl_after(inner, &inner->pl[0], rest, rest_len);
	return 0;
}

/*
 * A HASH(1), (2) or (3) that does not verify: the message is not
 * authentic, and is dropped unanswered (RFC 2408 5.11, RFC 2409 5.5).
 * Counted as IKEv2 counts an ICV that does not verify.
 */
static void v1_qm_not_authentic(struct ike_engine *e, struct ike_sa *sa,
				const struct msg *m, unsigned int step)
{
	e->stats.decrypt_failed++;
	v1_log_bad(e, sa, &sa->remote, &m->hdr, 0,
		   "HASH(%u) does not verify", step);
}

/* Send a protected notify about a Quick Mode we refuse. */
struct v1_qm_refusal {
	uint16_t type;
	uint8_t spi[4];
	bool has_spi;
};

static void v1_add_refusal(struct msg_builder *b, void *arg)
{
	const struct v1_qm_refusal *r = arg;
	struct v1pl_notify n = {
		.doi = IKEV1_DOI_IPSEC, .proto = IKEV1_PROTO_IPSEC_ESP,
		.spi_size = r->has_spi ? 4 : 0, .type = r->type,
		.spi = r->has_spi ? r->spi : NULL,
	};

	v1pl_add_notify(b, &n);
}

/* The QM1 of qm is authentic; we refuse it with type, protected. */
static void v1_qm_refuse(struct ike_engine *e, struct ike_sa *sa,
			 const struct v1_qm *qm, uint16_t type,
			 const char *why)
{
	struct v1_qm_refusal r = { .type = type };
	char nb[24];

	sa_log(e, LOG_NOTICE, "%s: Quick Mode %08x refused: %s; answered %s",
	       sa->tunnel, qm->msgid, why,
	       names_fmt(NAMES_V1_NOTIFY, type, nb, sizeof(nb)));
	v1_info_send(e, sa, v1_add_refusal, &r, false, 0);
}

/* QM1 at the responder: choose, install inbound, send QM2. */
static void v1_qm_r1(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m, const uint8_t hash_m[32])
{
	const struct policy_v1_effective *eff = sa->v1.eff;
	size_t hlen = crypto_prf_len(sa->v1.prf), len, rest_len;
	struct msg *inner = malloc(sizeof(*inner));
	struct v1pl_sa *offer = malloc(sizeof(*offer));
	struct v1pl_sa *answer = malloc(sizeof(*answer));
	uint8_t want[CRYPTO_PRF_MAX], pub[CRYPTO_DH_PUB_MAX], life[24];
	const struct msg_payload *pid;
	struct v1pl_data hash, pno, pke, nonce, ke;
	struct v1pl_id ids[2];
	struct pl_ts tl, tr, pl, pr;
	struct v1crypt_iv iv;
	struct child_sa *c = NULL;
	enum v1_err verr;
	struct msg_builder b;
	const uint8_t *rest;
	struct v1_qm *qm;
	struct msg_hdr h;
	bool chosen = false, has_ids;
	unsigned int i, x;
	uint32_t our_s = 0, our_kb = 0;

	qm = inner && offer && answer ? v1_qm_new(sa, m->hdr.msgid, false) : NULL;
	if (!qm)
		goto out;
	if (v1_qm_open(e, sa, qm, m, 1, inner, &iv, &hash, &rest, &rest_len)) {
		v1_qm_drop(sa, qm);
		goto out;
	}
	if (keymat_v1_hash1(sa->v1.prf, sa->v1.km.skeyid_a, qm->msgid, rest,
			    rest_len, want) ||
	    keymat_v1_hash_equal(sa->v1.prf, want, hash.data, hash.len)) {
		/* Not authentic: no answer, nothing kept. */
		v1_qm_not_authentic(e, sa, m, 1);
		v1_qm_drop(sa, qm);
		goto out;
	}
	qm->iv = iv;
	v1crypt_iv_confirm(&qm->iv);
	v1_mid_keep(e, sa, qm->msgid);
	if (sa_child_nat_refused(e, sa)) {
		e->stats.no_proposal++;
		v1_qm_refuse(e, sa, qm, IKEV1_N_NO_PROPOSAL_CHOSEN,
			     "a NAT is between the peers");
		v1_qm_drop(sa, qm);
		goto out;
	}
	memcpy(qm->last_hash, hash_m, sizeof(qm->last_hash));
	verr = v1pl_sa_parse(v1_pl(inner, IKEV1_PL_SA), offer);
	if (!verr)
		verr = v1pl_nonce_parse(v1_pl(inner, IKEV1_PL_NONCE), &pno);
	if (verr) {
		/* RFC 2408 5.4-5.6, 5.13: each fault has its notify. */
		if (v1err_notify(verr) == IKEV1_N_NO_PROPOSAL_CHOSEN)
			e->stats.no_proposal++;
		else
			e->stats.malformed++;
		v1_qm_refuse(e, sa, qm, v1err_notify(verr), v1err_str(verr));
		v1_qm_drop(sa, qm);
		goto out;
	}
	/* IDci is the peer's side, IDcr ours; none: the two hosts. */
	pid = v1_pl(inner, IKEV1_PL_ID);
	has_ids = pid != NULL;
	v1_pair_ts(&eff->ts[0].local, &tl);
	v1_pair_ts(&eff->ts[0].remote, &tr);
	if (has_ids) {
		/* RFC 2408 5.8: INVALID-ID-INFORMATION, or a short body. */
		verr = v1pl_id_parse(pid, &ids[0]);
		if (!verr)
			verr = v1pl_id_parse(msg_find(inner, IKEV1_PL_ID,
					     (unsigned int)(pid - inner->pl) + 1),
					     &ids[1]);
		if (!verr && (!ids[0].family || !ids[1].family))
			verr = V1_E_ID_INFO;
		if (verr) {
			e->stats.malformed++;
			v1_qm_refuse(e, sa, qm, v1err_notify(verr),
				     verr == V1_E_ID_INFO ?
				     "its IDs are not valid addresses" :
				     "an ID payload is too short");
			v1_qm_drop(sa, qm);
			goto out;
		}
		v1_id_ts(&ids[0], &pr);
		v1_id_ts(&ids[1], &pl);
	} else {
		pl = tl;
		pr = tr;
	}
	{
		struct pl_ts_list sub, sup;

		memset(&sub, 0, sizeof(sub));
		memset(&sup, 0, sizeof(sup));
		sub.n = sup.n = 1;
		sub.ts[0] = pl;
		sup.ts[0] = tl;
		if (!ts_subset(&sub, &sup))
			goto bad_ids;
		sub.ts[0] = pr;
		sup.ts[0] = tr;
		if (!ts_subset(&sub, &sup))
			goto bad_ids;
	}
	/* Our transform sets in order; the first the peer offered wins. */
	for (i = 0; i < eff->n_tset && !chosen; i++) {
		struct v1xf_esp ours, theirs;

		if (!v1_tset_xf(sa, eff->tset[i], eff, &ours))
			continue;
		for (unsigned int p = 0; p < offer->n_prop && !chosen; p++) {
			const struct v1pl_proposal *pp = &offer->prop[p];

			if (pp->proto != IKEV1_PROTO_IPSEC_ESP || pp->spi_size != 4)
				continue;
			for (x = pp->first_xf; x < pp->first_xf + pp->n_xf; x++) {
				if (v1xf_esp_decode(&offer->xf[x], &theirs) ||
				    !(ours.group ? v1_esp_same(&ours, &theirs) :
				      (theirs.group = 0, v1_esp_same(&ours, &theirs))))
					continue;
				v1xf_esp_decode(&offer->xf[x], &qm->xf);
				qm->group = qm->xf.group;
				qm->spi_out = msg_get32(pp->spi);
				our_s = ours.life_secs;
				our_kb = ours.life_kbytes;
				memset(answer, 0, sizeof(*answer));
				answer->doi = IKEV1_DOI_IPSEC;
				answer->situation = IKEV1_SIT_IDENTITY_ONLY;
				answer->n_prop = 1;
				answer->prop[0] = *pp;
				answer->prop[0].first_xf = 0;
				answer->prop[0].n_xf = 1;
				answer->n_xf = 1;
				answer->xf[0] = offer->xf[x];
				chosen = true;
				break;
			}
		}
	}
	if (!chosen) {
		e->stats.no_proposal++;
		v1_qm_refuse(e, sa, qm, IKEV1_N_NO_PROPOSAL_CHOSEN,
			     "none of the peer's ESP transforms matches a transform set");
		v1_qm_drop(sa, qm);
		goto out;
	}
	qm->life_s = v1_life_min(our_s, qm->xf.life_secs);
	qm->life_kb = v1_life_min(our_kb, qm->xf.life_kbytes);
	if (!qm->life_s)
		qm->life_s = POLICY_V1_SA_SECONDS;
	qm->spi_in = sa_new_spi(e);
	msg_set32(answer->prop[0].spi, qm->spi_in);
	qm->ni = secbuf_dup(pno.data, pno.len);
	qm->nr = secbuf_new(V1_NONCE_LEN);
	if (!qm->ni || !qm->nr || crypto_random(qm->nr->data, qm->nr->len))
		goto fail;
	if (qm->group) {
		if (v1pl_ke_parse(v1_pl(inner, IKEV1_PL_KE), &pke) ||
		    pke.len != crypto_dh_pub_len(qm->group)) {
			e->stats.malformed++;
			v1_qm_refuse(e, sa, qm, IKEV1_N_INVALID_KEY_INFORMATION,
				     "no KE of the PFS group");
			goto fail;
		}
		qm->dh = crypto_dh_new(qm->group);
		ke.len = crypto_dh_pub_len(qm->group);
		secbuf_free(qm->gxy);
		qm->gxy = NULL;
		if (!qm->dh || crypto_dh_public(qm->dh, pub, ke.len) ||
		    crypto_dh_derive(qm->dh, pke.data, pke.len, &qm->gxy))
			goto fail;
		ke.data = pub;
	}
	c = sa_child_new(e, sa);
	if (!c || v1_child_set_ts(c, &pl, &pr))
		goto fail;
	c->spi_in = qm->spi_in;
	c->spi_out = qm->spi_out;
	c->sel.encr = qm->xf.encr;
	c->sel.encr_bits = qm->xf.encr_bits;
	c->sel.integ = qm->xf.integ;
	c->sel.dh = qm->group;
	c->initiated = false;
	if (v1_child_install(e, sa, c, qm, false))
		goto fail;
	secbuf_free(qm->gxy);
	qm->gxy = NULL;
	qm->child = c;
	nonce.data = qm->nr->data;
	nonce.len = qm->nr->len;
	v1_hdr(sa, IKEV1_EXCH_QUICK, IKEV1_FLAG_ENCRYPTION, qm->msgid, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	v1_add_hash_room(&b, hlen);
	v1pl_add_sa(&b, answer);
	v1pl_add_data(&b, IKEV1_PL_NONCE, &nonce);
	if (qm->group)
		v1pl_add_data(&b, IKEV1_PL_KE, &ke);
	if (has_ids) {
		v1pl_add_id(&b, &ids[0]);
		v1pl_add_id(&b, &ids[1]);
	}
	if ((our_s && our_s < qm->xf.life_secs) ||
	    (our_kb && our_kb < qm->xf.life_kbytes)) {
		/* IOS: the lower lifetime wins, and the initiator is told. */
		struct v1pl_notify n = {
			.doi = IKEV1_DOI_IPSEC, .proto = IKEV1_PROTO_IPSEC_ESP,
			.spi_size = 4, .type = IKEV1_N_RESPONDER_LIFETIME,
			.spi = answer->prop[0].spi, .data = life,
		};

		n.len = v1_life_attrs(our_s < qm->xf.life_secs ? our_s : 0,
				      our_kb && our_kb < qm->xf.life_kbytes ?
				      our_kb : 0, life);
		v1pl_add_notify(&b, &n);
	}
	v1_qm_fill_hash(&b, hlen, v1_hash2_fn, sa, qm);
	if (v1_seal(e, sa, &qm->iv, &b, &len))
		goto fail;
	qm->out = malloc(len);
	if (qm->out) {
		memcpy(qm->out, e->out, len);
		qm->out_len = len;
	}
	qm->next_ms = e->now_ms + 1000ull * sa->pol.retransmit[0];
	qm->expire_ms = e->now_ms + 1000ull * V1_QM_TIMEOUT;
	v1_send_raw(e, sa, e->out, len);
	goto out;
bad_ids:
	v1_qm_refuse(e, sa, qm, IKEV1_N_INVALID_ID_INFORMATION,
		     "the peer's IDs are not within this tunnel's selectors");
	v1_qm_drop(sa, qm);
	goto out;
fail:
	if (c)
		sa_child_free(e, sa, c);
	secbuf_free(qm->gxy);
	qm->gxy = NULL;
	v1_qm_drop(sa, qm);
out:
	free(inner);
	free(offer);
	free(answer);
}

/* QM2 at the initiator: install both SAs, send QM3. */
static void v1_qm_i2(struct ike_engine *e, struct ike_sa *sa, struct v1_qm *qm,
		     const struct msg *m, const uint8_t hash_m[32])
{
	const struct policy_v1_effective *eff = sa->v1.eff;
	struct msg *inner = malloc(sizeof(*inner));
	struct v1pl_sa *answer = malloc(sizeof(*answer));
	uint8_t want[CRYPTO_PRF_MAX], h3[CRYPTO_PRF_MAX];
	struct v1pl_data hash, pno, pke, hd = { .data = h3 };
	struct child_sa *c = NULL, *old = qm->rekeys;
	struct v1xf_esp got;
	struct pl_ts tl, tr;
	struct v1crypt_iv iv;
	struct msg_builder b;
	const uint8_t *rest;
	struct msg_hdr h;
	size_t len, rest_len;
	bool ok = false, commit, replacing;

	if (!inner || !answer)
		goto out;
	if (v1_qm_open(e, sa, qm, m, 2, inner, &iv, &hash, &rest, &rest_len))
		goto out;
	qm->nr = NULL;
	if (keymat_v1_hash2(sa->v1.prf, sa->v1.km.skeyid_a, qm->msgid,
			    qm->ni->data, qm->ni->len, rest, rest_len, want) ||
	    keymat_v1_hash_equal(sa->v1.prf, want, hash.data, hash.len)) {
		v1_qm_not_authentic(e, sa, m, 2);
		goto out;
	}
	if (v1pl_nonce_parse(v1_pl(inner, IKEV1_PL_NONCE), &pno) ||
	    !(qm->nr = secbuf_dup(pno.data, pno.len))) {
		e->stats.malformed++;
		v1_log_bad(e, sa, &sa->remote, &m->hdr, 0, "message 2: %s",
			   v1err_str(V1_E_MALFORMED));
		goto out;
	}
	qm->iv = iv;
	v1crypt_iv_confirm(&qm->iv);
	if (v1pl_sa_parse(v1_pl(inner, IKEV1_PL_SA), answer) ||
	    answer->n_prop != 1 || answer->prop[0].n_xf != 1 ||
	    answer->prop[0].proto != IKEV1_PROTO_IPSEC_ESP ||
	    answer->prop[0].spi_size != 4 ||
	    v1xf_esp_decode(&answer->xf[answer->prop[0].first_xf], &got)) {
		e->stats.malformed++;
		sa_log(e, LOG_NOTICE, "%s: QM2 answer is malformed", sa->tunnel);
		goto done;
	}
	for (unsigned int i = 0; i < eff->n_tset && !ok; i++) {
		struct v1xf_esp ours;

		ok = v1_tset_xf(sa, eff->tset[i], eff, &ours) &&
		     v1_esp_same(&ours, &got);
	}
	if (!ok) {
		sa_log(e, LOG_NOTICE, "%s: QM2 answers with a transform we did not offer",
		       sa->tunnel);
		goto done;
	}
	qm->xf = got;
	qm->spi_out = msg_get32(answer->prop[0].spi);
	qm->life_s = v1_life_min(qm->life_s, got.life_secs);
	qm->life_kb = v1_life_min(qm->life_kb, got.life_kbytes);
	for (unsigned int i = 0; i < inner->n; i++) {
		struct v1pl_notify n;

		if (inner->pl[i].type == IKEV1_PL_N &&
		    !v1pl_notify_parse(&inner->pl[i], &n) &&
		    n.type == IKEV1_N_RESPONDER_LIFETIME)
			v1_read_life(&n, &qm->life_s, &qm->life_kb);
	}
	if (!qm->life_s)
		qm->life_s = POLICY_V1_SA_SECONDS;
	if (qm->group) {
		if (v1pl_ke_parse(v1_pl(inner, IKEV1_PL_KE), &pke) ||
		    pke.len != crypto_dh_pub_len(qm->group) ||
		    crypto_dh_derive(qm->dh, pke.data, pke.len, &qm->gxy)) {
			sa_log(e, LOG_NOTICE, "%s: QM2 without the PFS group's KE",
			       sa->tunnel);
			goto done;
		}
	}
	c = sa_child_new(e, sa);
	if (!c)
		goto done;
	if (old && old->n_ts_l && old->n_ts_r) {
		tl = old->ts_l[0];
		tr = old->ts_r[0];
	} else {
		v1_pair_ts(&eff->ts[0].local, &tl);
		v1_pair_ts(&eff->ts[0].remote, &tr);
	}
	commit = m->hdr.flags & IKEV1_FLAG_COMMIT;
	c->spi_in = qm->spi_in;
	c->spi_out = qm->spi_out;
	c->sel.encr = got.encr;
	c->sel.encr_bits = got.encr_bits;
	c->sel.integ = got.integ;
	c->sel.dh = qm->group;
	c->initiated = true;
	/*
	 * The responder installs its SAs when QM3 arrives: until then our
	 * new outbound SA would send into nothing.  A rekey keeps sending on
	 * the old pair a moment longer (make-before-break); a first pair
	 * has nothing to lose.  The commit bit waits for CONNECTED.
	 */
	replacing = old && old->state != CHILD_S_DELETING;
	if (v1_child_set_ts(c, &tl, &tr) ||
	    v1_child_install(e, sa, c, qm, !commit && !replacing)) {
		sa_child_free(e, sa, c);
		c = NULL;
		goto done;
	}
	if (!commit && replacing)
		c->half_deadline_ms = e->now_ms + V1_OUT_DELAY_MS;
	/* A lost CONNECTED must not leave the tunnel without a way out. */
	if (commit)
		c->half_deadline_ms = e->now_ms + 1000ull * V1_COMMIT_WAIT;
	if (replacing)
		v1_child_replaced(e, old);
	v1_hdr(sa, IKEV1_EXCH_QUICK, IKEV1_FLAG_ENCRYPTION, qm->msgid, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	hd.len = crypto_prf_len(sa->v1.prf);
	if (keymat_v1_hash3(sa->v1.prf, sa->v1.km.skeyid_a, qm->msgid,
			    qm->ni->data, qm->ni->len, qm->nr->data,
			    qm->nr->len, h3))
		msg_build_fail(&b, MSG_E_CRYPTO);
	v1pl_add_data(&b, IKEV1_PL_HASH, &hd);
	if (!v1_seal(e, sa, &qm->iv, &b, &len)) {
		/* Kept: a resent QM2 gets the same QM3. */
		qm->out = malloc(len);
		if (qm->out) {
			memcpy(qm->out, e->out, len);
			qm->out_len = len;
		}
		v1_send_raw(e, sa, e->out, len);
	}
	memcpy(qm->last_hash, hash_m, sizeof(qm->last_hash));
	qm->done = true;
	qm->child = c;
done:
	secbuf_free(qm->gxy);
	qm->gxy = NULL;
	if (!c && old && old->state == CHILD_S_REKEYING)
		old->state = CHILD_S_INSTALLED;
	sa_ike_reset_req(sa);
	sa->ops->kick(e, sa);
out:
	free(inner);
	free(answer);
}

/* QM3 at the responder: the initiator has both SAs; add our outbound. */
static void v1_qm_r3(struct ike_engine *e, struct ike_sa *sa, struct v1_qm *qm,
		     const struct msg *m)
{
	struct msg *inner = malloc(sizeof(*inner));
	uint8_t want[CRYPTO_PRF_MAX];
	struct v1pl_data hash;
	struct v1crypt_iv iv;
	const uint8_t *rest;
	size_t rest_len;

	if (!inner)
		return;
	if (v1_qm_open(e, sa, qm, m, 3, inner, &iv, &hash, &rest, &rest_len)) {
		free(inner);
		return;
	}
	if (keymat_v1_hash3(sa->v1.prf, sa->v1.km.skeyid_a, qm->msgid,
			    qm->ni->data, qm->ni->len, qm->nr->data,
			    qm->nr->len, want) ||
	    keymat_v1_hash_equal(sa->v1.prf, want, hash.data, hash.len)) {
		free(inner);
		v1_qm_not_authentic(e, sa, m, 3);
		return;
	}
	free(inner);
	if (qm->child && qm->child->state == CHILD_S_HALF) {
		sa_child_complete(e, sa, qm->child);
		v1_child_replaces_same(e, sa, qm->child);
	}
	sa_log(e, LOG_INFO, "%s: Quick Mode %08x done", sa->tunnel, qm->msgid);
	v1_qm_drop(sa, qm);
}

void v1_qm_input(struct ike_engine *e, struct ike_sa *sa, const struct msg *m,
		 const uint8_t hash[32])
{
	struct v1_qm *qm = v1_qm_find(sa, m->hdr.msgid);

	if (!qm) {
		if (v1_mid_seen(sa, m->hdr.msgid)) {
			/* RFC 2408 5.2: a replay; nothing of it is new. */
			e->stats.invalid_msgid++;
			v1_log_bad(e, sa, &sa->remote, &m->hdr, 0,
				   "its Message ID was used before: a replay");
			return;
		}
		v1_qm_r1(e, sa, m, hash);
		return;
	}
	if (!memcmp(hash, qm->last_hash, 32)) {
		/* The peer resent its last: ours again, if we have one. */
		e->stats.retransmits++;
		if (qm->out)
			v1_send_raw(e, sa, qm->out, qm->out_len);
		return;
	}
	if (qm->initiator && !qm->done) {
		v1_qm_i2(e, sa, qm, m, hash);
	} else if (!qm->initiator) {
		v1_qm_r3(e, sa, qm, m);
	} else {
		/* We sent QM3: nothing more comes in this Quick Mode. */
		e->stats.invalid_msgid++;
		v1_log_bad(e, sa, &sa->remote, &m->hdr, 0,
			   "this Quick Mode is done");
	}
}

void v1_qm_timers(struct ike_engine *e, struct ike_sa *sa)
{
	/* An ISAKMP SA our rekey replaced: its IPsec SAs have moved on. */
	if (sa->v1.delete_ms && e->now_ms >= sa->v1.delete_ms) {
		sa->v1.delete_ms = 0;
		if (sa->state == IKE_S_REKEYED)
			sa->want_delete = true;
	}
	for (unsigned int i = 0; i < V1_QM_MAX; i++) {
		struct v1_qm *qm = sa->v1.qm[i];

		if (!qm)
			continue;
		if (e->now_ms >= qm->expire_ms) {
			/*
			 * QM3 never came, but the initiator has our QM2 and
			 * sends on the new SA: our outbound one follows.
			 */
			if (!qm->initiator && qm->child &&
			    qm->child->state == CHILD_S_HALF) {
				sa_log(e, LOG_NOTICE, "%s: no QM3 for Quick Mode %08x: completing the IPsec SA",
				       sa->tunnel, qm->msgid);
				sa_child_complete(e, sa, qm->child);
			}
			v1_qm_drop(sa, qm);
			continue;
		}
		if (qm->initiator || qm->next_ms > e->now_ms || !qm->out)
			continue;
		if (qm->tries >= POLICY_RETRANSMITS) {
			qm->next_ms = IKE_NO_TIMER;
			continue;
		}
		qm->tries++;
		e->stats.retransmits++;
		qm->next_ms = e->now_ms + 1000ull * sa->pol.retransmit[qm->tries < POLICY_RETRANSMITS ? qm->tries : POLICY_RETRANSMITS - 1];
		v1_send_raw(e, sa, qm->out, qm->out_len);
	}
}

uint64_t v1_qm_next_timer(const struct ike_sa *sa)
{
	uint64_t t = sa->v1.delete_ms ? sa->v1.delete_ms : IKE_NO_TIMER;

	for (unsigned int i = 0; i < V1_QM_MAX; i++) {
		const struct v1_qm *qm = sa->v1.qm[i];

		if (!qm)
			continue;
		if (qm->next_ms < t)
			t = qm->next_ms;
		if (qm->expire_ms < t)
			t = qm->expire_ms;
	}
	return t;
}
