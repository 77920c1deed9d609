// SPDX-License-Identifier: GPL-2.0
/*
 * Aggressive Mode with pre-shared keys (RFC 2409 5.4), both roles, as
 * IOS "initiate mode aggressive" asks for it:
 *
 *	I -> R	AM1  HDR, SA, KE, Ni, IDii, VID
 *	R -> I	AM2  HDR, SA, KE, Nr, IDir, HASH_R, VID
 *	I -> R	AM3  HDR*, HASH_I
 *
 * The peer's ID comes first, so the responder picks the key by it
 * (policy_v1_keys_by_id()).  Every transform offered must use the same
 * group, since the KE is sent before one is chosen.  AM3 is the last
 * message: the responder resends AM2 until it comes, and the initiator
 * keeps AM3 to answer a resent AM2.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ikev1.h"

/* Keep only the transforms of the first one's group: one KE for all. */
static void v1_am_one_group(struct v1pl_sa *offer)
{
	struct v1xf_ike first, xf;
	uint8_t n = 0;

	if (!offer->n_xf || v1xf_ike_decode(&offer->xf[0], &first))
		return;
	for (unsigned int i = 0; i < offer->n_xf; i++) {
		if (v1xf_ike_decode(&offer->xf[i], &xf) || xf.group != first.group)
			continue;
		offer->xf[n] = offer->xf[i];
		offer->xf[n].num = (uint8_t)(n + 1);
		n++;
	}
	offer->n_xf = n;
	offer->prop[0].n_xf = n;
}

int v1_am_start(struct ike_engine *e, struct ike_sa *sa)
{
	struct v1pl_sa *offer = malloc(sizeof(*offer));
	uint8_t idbuf[16], body[4 + POLICY_ID_MAX + 16];
	struct v1pl_data ke, nonce;
	struct msg_builder b;
	struct v1pl_id id;
	struct msg_hdr h;
	size_t len, blen;
	int err;

	if (!offer)
		return -ENOMEM;
	sa->v1.exch = IKEV1_EXCH_AGGRESSIVE;
	if (sa->local.ss_family == AF_UNSPEC && e->env.local_addr &&
	    e->env.local_addr(e->env.ctx, &sa->remote, &sa->local))
		sa->local.ss_family = AF_UNSPEC;
	err = v1_p1_offer(sa, offer);
	if (!err) {
		v1_am_one_group(offer);
		err = v1xf_ike_decode(&offer->xf[0], &sa->v1.xf) ? -EINVAL : 0;
	}
	if (!err)
		err = v1_p1_ke_nonce(sa, true, &ke, &nonce);
	if (err) {
		free(offer);
		return err;
	}
	v1_p1_our_id(sa, &id, idbuf);
	blen = v1_id_body(&id, body, sizeof(body));
	sa->v1.idi_b = malloc(blen);
	if (!blen || !sa->v1.idi_b) {
		free(offer);
		return -ENOMEM;
	}
	memcpy(sa->v1.idi_b, body, blen);
	sa->v1.idi_b_len = blen;
	v1_hdr(sa, IKEV1_EXCH_AGGRESSIVE, 0, 0, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	v1pl_add_sa(&b, offer);
	free(offer);
	v1pl_add_data(&b, IKEV1_PL_KE, &ke);
	v1pl_add_data(&b, IKEV1_PL_NONCE, &nonce);
	v1pl_add_id(&b, &id);
	v1_p1_add_vids(e, &b, sa);
	if (msg_build_finish(&b, &len))
		return -EINVAL;
	sa->v1.sai_b_len = msg_get16(e->out + MSG_HDR_LEN + 2) - MSG_GENERIC_LEN;
	sa->v1.sai_b = malloc(sa->v1.sai_b_len);
	if (!sa->v1.sai_b)
		return -ENOMEM;
	memcpy(sa->v1.sai_b, e->out + MSG_HDR_LEN + MSG_GENERIC_LEN,
	       sa->v1.sai_b_len);
	v1_step(sa, V1_AM_I1);
	sa_log(e, LOG_INFO, "%s: initiating Aggressive Mode", sa->tunnel);
	return v1_send_request(e, sa, e->out, len, TASK_IKE_INIT);
}

void v1_am_request1(struct ike_engine *e, const struct sockaddr_storage *local,
		    const struct sockaddr_storage *remote, bool natt,
		    const struct msg *m)
{
	uint8_t idbuf[16], body[4 + POLICY_ID_MAX + 16], hash[CRYPTO_PRF_MAX];
	struct policy_v1_effective *eff = malloc(sizeof(*eff));
	struct v1pl_sa *offer = malloc(sizeof(*offer));
	struct v1pl_sa *answer = malloc(sizeof(*answer));
	struct policy_v1_keys *keys = malloc(sizeof(*keys));
	struct v1pl_data pke, pno, ke, nonce, hd = { .data = hash };
	struct v1pl_id peer_id, id;
	struct policy_effective pol;
	struct policy_v1_where w;
	struct policy_addr peer;
	struct policy_id pid;
	struct ike_sa *sa = NULL;
	struct msg_builder b;
	struct msg_hdr h;
	enum v1_err verr;
	size_t len, blen;

	if (!eff || !offer || !answer || !keys || e->shutting_down)
		goto out;
	verr = v1rules_check(IKEV1_EXCH_AGGRESSIVE, 1, false, m);
	if (!verr)
		verr = v1pl_sa_parse(v1_pl(m, IKEV1_PL_SA), offer);
	if (!verr)
		verr = v1pl_ke_parse(v1_pl(m, IKEV1_PL_KE), &pke);
	if (!verr)
		verr = v1pl_nonce_parse(v1_pl(m, IKEV1_PL_NONCE), &pno);
	if (!verr)
		verr = v1pl_id_parse(v1_pl(m, IKEV1_PL_ID), &peer_id);
	if (!verr)
		verr = v1pl_id_check_phase1(&peer_id);
	if (!verr && !v1_p1_policy_id(&peer_id, &pid))
		verr = V1_E_ID_INFO;
	if (verr) {
		/* RFC 2408 5.4-5.8: each fault of the offer has its notify. */
		if (v1err_notify(verr) == IKEV1_N_NO_PROPOSAL_CHOSEN)
			e->stats.no_proposal++;
		else
			e->stats.malformed++;
		v1_log_bad(e, NULL, remote, &m->hdr, v1err_notify(verr),
			   "message 1: %s", v1err_str(verr));
		v1_notify_clear(e, local, remote, natt, &m->hdr,
				v1err_notify(verr));
		goto out;
	}
	if (!ike_cac_admit_from(e, remote, "Aggressive Mode"))
		goto out;
	memset(&pol, 0, sizeof(pol));
	sa = sa_ike_new(e, &ikev1_ops, &pol, false);
	if (!sa)
		goto out;
	memcpy(sa->spi_i, m->hdr.spi_i, 8);
	sa_ike_rehash(e, sa);
	sa->local = *local;
	sa->remote = *remote;
	sa->natt = natt;
	sa->v1.exch = IKEV1_EXCH_AGGRESSIVE;
	sa->remote_id = pid;
	if (!v1_find_tunnel(e, sa, eff) || v1_set_policy(sa, eff)) {
		sa_log(e, LOG_NOTICE, "Aggressive Mode: no tunnel has that peer");
		e->stats.dropped++;
		goto fail;
	}
	snprintf(sa->tunnel, sizeof(sa->tunnel), "%s", eff->ifname);
	if (v1_p1_crossed(e, sa))
		goto fail;
	if (v1_p1_choose(e, sa, offer, answer)) {
		e->stats.no_proposal++;
		v1_notify_clear(e, local, remote, natt, &m->hdr,
				IKEV1_N_NO_PROPOSAL_CHOSEN);
		goto fail;
	}
	v1_where(sa, &w, &peer);
	policy_v1_keys_by_id(e->cfg, &pid, &peer, &w, keys);
	sa_log(e, LOG_INFO, "%s: %s", sa->tunnel, keys->reason);
	if (!keys->n) {
		e->stats.auth_failed++;
		goto fail;
	}
	sa->v1.psk = keys->psk[0];
	sa->v1.sai_b = malloc(offer->body_len);
	sa->v1.idi_b = malloc(peer_id.body_len);
	if (!sa->v1.sai_b || !sa->v1.idi_b)
		goto fail;
	memcpy(sa->v1.sai_b, offer->body, offer->body_len);
	sa->v1.sai_b_len = offer->body_len;
	memcpy(sa->v1.idi_b, peer_id.body, peer_id.body_len);
	sa->v1.idi_b_len = peer_id.body_len;
	v1_p1_peer_vids(e, sa, m);
	if (v1_p1_ke_nonce(sa, false, &ke, &nonce) ||
	    v1_p1_peer_ke(sa, &pke, &pno) ||
	    v1_p1_keys(sa, sa->v1.psk->key, sa->v1.psk->key_len)) {
		e->stats.malformed++;
		goto fail;
	}
	v1_p1_our_id(sa, &id, idbuf);
	blen = v1_id_body(&id, body, sizeof(body));
	hd.len = v1_p1_hash(sa, true, body, blen, hash);
	if (!blen || !hd.len)
		goto fail;
	v1_hdr(sa, IKEV1_EXCH_AGGRESSIVE, 0, 0, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	v1pl_add_sa(&b, answer);
	v1pl_add_data(&b, IKEV1_PL_KE, &ke);
	v1pl_add_data(&b, IKEV1_PL_NONCE, &nonce);
	v1pl_add_id(&b, &id);
	v1pl_add_data(&b, IKEV1_PL_HASH, &hd);
	v1_p1_add_vids(e, &b, sa);
	v1_p1_add_natd(e, &b, sa);
	if (msg_build_finish(&b, &len) ||
	    !v1_dgram_hash(m->raw, m->raw_len, sa->v1.last_hash))
		goto fail;
	sa->v1.has_last_hash = true;
	v1_step(sa, V1_AM_R1);
	/* Kept both ways: resent on a resent AM1, and until AM3 comes. */
	v1_send_reply(e, sa, e->out, len);
	sa->req.buf = malloc(len);
	if (sa->req.buf) {
		memcpy(sa->req.buf, e->out, len);
		sa->req.len = len;
		sa->req.task = TASK_IKE_AUTH;
		sa->req.next_ms = e->now_ms + 1000ull * sa->pol.retransmit[0];
	}
	goto out;
fail:
	sa_ike_free(e, sa);
out:
	free(eff);
	free(offer);
	free(answer);
	free(keys);
}

/* AM2 at the initiator: keys, HASH_R; send AM3, and we are up. */
static void v1_am_i2(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m)
{
	uint8_t hash[CRYPTO_PRF_MAX];
	struct v1pl_sa *answer = malloc(sizeof(*answer));
	struct policy_v1_keys *keys = malloc(sizeof(*keys));
	struct v1pl_data pke, pno, phash, hd = { .data = hash };
	struct v1pl_id peer_id;
	struct policy_v1_where w;
	struct policy_addr peer;
	struct policy_id pid;
	struct msg_builder b;
	struct msg_hdr h;
	const char *why = NULL;
	char whybuf[256], kname[128];
	size_t len, hlen;

	if (!answer || !keys)
		goto out;
	if (v1rules_check(IKEV1_EXCH_AGGRESSIVE, 2, false, m) ||
	    v1pl_sa_parse(v1_pl(m, IKEV1_PL_SA), answer) ||
	    v1_p1_check_answer(sa, answer) ||
	    v1pl_ke_parse(v1_pl(m, IKEV1_PL_KE), &pke) ||
	    v1pl_nonce_parse(v1_pl(m, IKEV1_PL_NONCE), &pno) ||
	    v1pl_id_parse(v1_pl(m, IKEV1_PL_ID), &peer_id) ||
	    v1pl_id_check_phase1(&peer_id) ||
	    v1pl_hash_parse(v1_pl(m, IKEV1_PL_HASH), &phash) ||
	    v1_p1_peer_ke(sa, &pke, &pno)) {
		e->stats.malformed++;
		why = "malformed AM2";
		goto out;
	}
	v1_p1_peer_vids(e, sa, m);
	v1_where(sa, &w, &peer);
	policy_v1_keys_by_addr(e->cfg, &peer, &w, sa->v1.eff->profile, keys);
	if (!keys->n) {
		e->stats.auth_failed++;
		why = "no pre-shared key for the peer's address";
		goto out;
	}
	sa->v1.psk = keys->psk[0];
	if (v1_p1_keys(sa, sa->v1.psk->key, sa->v1.psk->key_len)) {
		why = "key derivation failed";
		goto out;
	}
	hlen = v1_p1_hash(sa, true, peer_id.body, peer_id.body_len, hash);
	if (!hlen ||
	    keymat_v1_hash_equal(sa->v1.prf, hash, phash.data, phash.len)) {
		e->stats.auth_failed++;
		policy_v1_psk_str(sa->v1.psk, kname, sizeof(kname));
		snprintf(whybuf, sizeof(whybuf),
			 "AM2: HASH_R does not verify: the pre-shared keys differ with the key %s",
			 kname);
		why = whybuf;
		goto out;
	}
	if (v1_p1_policy_id(&peer_id, &pid))
		sa->remote_id = pid;
	v1_p1_nat_check(e, sa, m);
	hd.len = v1_p1_hash(sa, false, sa->v1.idi_b, sa->v1.idi_b_len, hash);
	v1_hdr(sa, IKEV1_EXCH_AGGRESSIVE, IKEV1_FLAG_ENCRYPTION, 0, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	v1pl_add_data(&b, IKEV1_PL_HASH, &hd);
	v1_p1_add_natd(e, &b, sa);
	if (!hd.len || v1_seal(e, sa, &sa->v1.iv, &b, &len)) {
		why = "cannot build AM3";
		goto out;
	}
	v1_send_reply(e, sa, e->out, len);
	sa_log(e, LOG_INFO, "%s: Aggressive Mode done", sa->tunnel);
	v1_p1_done(e, sa);
out:
	free(answer);
	free(keys);
	if (why)
		ike_sa_dead(e, sa, why);
}

/*
 * AM3 at the responder: HASH_I, encrypted or not.  One that does not
 * decrypt or authenticate is discarded and AM2 resent until the genuine
 * one comes, as Main Mode does with MM5 (main_mode.c).
 */
static bool v1_am_r2(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m)
{
	uint8_t hash[CRYPTO_PRF_MAX];
	struct msg *inner = malloc(sizeof(*inner));
	struct v1crypt_iv iv = sa->v1.iv;
	const struct msg *in = m;
	struct v1pl_data phash;
	enum v1_err verr;
	size_t pad, hlen;

	if (!inner)
		return false;
	if (m->v1_encrypted) {
		verr = v1crypt_decrypt(&sa->v1.key, &iv, m, e->plain,
				       sizeof(e->plain), inner, &pad);
		if (verr) {
			free(inner);
			e->stats.decrypt_failed++;
			sa->fault = "AM3 does not decrypt: the pre-shared keys differ";
			v1_log_bad(e, sa, &sa->remote, &m->hdr, 0, "%s",
				   sa->fault);
			return false;
		}
		in = inner;
	}
	verr = v1rules_check(IKEV1_EXCH_AGGRESSIVE, 3, m->v1_encrypted, in);
	if (!verr)
		verr = v1pl_hash_parse(v1_pl(in, IKEV1_PL_HASH), &phash);
	if (verr) {
		free(inner);
		e->stats.malformed++;
		sa->fault = "AM3 is malformed";
		v1_log_bad(e, sa, &sa->remote, &m->hdr, 0, "AM3: %s",
			   v1err_str(verr));
		return false;
	}
	hlen = v1_p1_hash(sa, false, sa->v1.idi_b, sa->v1.idi_b_len, hash);
	if (!hlen ||
	    keymat_v1_hash_equal(sa->v1.prf, hash, phash.data, phash.len)) {
		free(inner);
		e->stats.auth_failed++;
		sa->fault = "AM3: HASH_I does not verify (AUTHENTICATION-FAILED)";
		v1_log_bad(e, sa, &sa->remote, &m->hdr, 0, "%s", sa->fault);
		return false;
	}
	v1_p1_nat_check(e, sa, in);
	free(inner);
	if (m->v1_encrypted)
		sa->v1.iv = iv;
	sa_log(e, LOG_INFO, "%s: Aggressive Mode done", sa->tunnel);
	v1_p1_done(e, sa);
	return true;
}

bool v1_am_input(struct ike_engine *e, struct ike_sa *sa, const struct msg *m)
{
	switch (sa->v1.step) {
	case V1_AM_I1:
		v1_am_i2(e, sa, m);
		return true;
	case V1_AM_R1:
		return v1_am_r2(e, sa, m);
	}
	e->stats.invalid_msgid++;
	v1_log_bad(e, sa, &sa->remote, &m->hdr, 0, "out of order");
	return false;
}
