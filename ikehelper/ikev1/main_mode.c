// SPDX-License-Identifier: GPL-2.0
/*
 * Main Mode with pre-shared keys (RFC 2409 5.4), both roles:
 *
 *	I -> R	MM1  HDR, SA, VID
 *	R -> I	MM2  HDR, SA, VID
 *	I -> R	MM3  HDR, KE, Ni
 *	R -> I	MM4  HDR, KE, Nr
 *	I -> R	MM5  HDR*, IDii, HASH_I [, N(INITIAL-CONTACT)]
 *	R -> I	MM6  HDR*, IDir, HASH_R
 *
 * SKEYID needs the key, and the key is chosen before the peer's ID
 * arrives in MM5 (seed 002).  IOS chooses one by the peer's address at
 * MM3 and fails when keyrings overlap.  MM4 needs no key, so the
 * responder here keeps every candidate (policy_v1_keys_by_addr(), IOS's
 * pick first) and tries each on MM5 until one decrypts it and its HASH_I
 * verifies; the ISAKMP profile is then chosen by the peer's ID.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ikev1.h"

/* A half-open SA lives as long as the initiator retransmits. */
static void v1_half_expiry(struct ike_engine *e, struct ike_sa *sa)
{
	sa->expire_ms = e->now_ms + 1000ull * (sa->pol.retransmit[0] +
		sa->pol.retransmit[1] + sa->pol.retransmit[2] +
		sa->pol.retransmit_timeout);
}

/* The SA payload's body, kept: HASH_I and HASH_R cover it. */
static int v1_keep_sai(struct ike_sa *sa, const uint8_t *body, size_t len)
{
	free(sa->v1.sai_b);
	sa->v1.sai_b = malloc(len);
	if (!sa->v1.sai_b)
		return -ENOMEM;
	memcpy(sa->v1.sai_b, body, len);
	sa->v1.sai_b_len = len;
	return 0;
}

int v1_mm_start(struct ike_engine *e, struct ike_sa *sa)
{
	struct v1pl_sa *offer = malloc(sizeof(*offer));
	struct msg_builder b;
	struct msg_hdr h;
	size_t len;
	int err;

	if (!offer)
		return -ENOMEM;
	sa->v1.exch = IKEV1_EXCH_MAIN;
	if (sa->local.ss_family == AF_UNSPEC && e->env.local_addr &&
	    e->env.local_addr(e->env.ctx, &sa->remote, &sa->local))
		sa->local.ss_family = AF_UNSPEC;
	err = v1_p1_offer(sa, offer);
	if (err) {
		free(offer);
		sa_log(e, LOG_ERR, "%s: no ISAKMP policy with pre-shared keys to offer",
		       sa->tunnel);
		return err;
	}
	v1_hdr(sa, IKEV1_EXCH_MAIN, 0, 0, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	v1pl_add_sa(&b, offer);
	v1_p1_add_vids(e, &b, sa);
	free(offer);
	if (msg_build_finish(&b, &len))
		return -EINVAL;
	/* SAi_b: the body of the SA payload, right after the header. */
	err = v1_keep_sai(sa, e->out + MSG_HDR_LEN + MSG_GENERIC_LEN,
			  msg_get16(e->out + MSG_HDR_LEN + 2) - MSG_GENERIC_LEN);
	if (err)
		return err;
	v1_step(sa, V1_MM_I1);
	sa_log(e, LOG_INFO, "%s: initiating Main Mode", sa->tunnel);
	return v1_send_request(e, sa, e->out, len, TASK_IKE_INIT);
}

void v1_mm_request1(struct ike_engine *e, const struct sockaddr_storage *local,
		    const struct sockaddr_storage *remote, bool natt,
		    const struct msg *m)
{
	struct policy_v1_effective *eff = NULL;
	struct v1pl_sa *offer = NULL, *answer = NULL;
	struct policy_effective pol;
	struct ike_sa *sa = NULL;
	struct msg_builder b;
	struct msg_hdr h;
	enum v1_err verr;
	size_t len;

	if (e->shutting_down)
		return;
	verr = v1rules_check(IKEV1_EXCH_MAIN, 1, false, m);
	if (verr) {
		e->stats.malformed++;
		v1_log_bad(e, NULL, remote, &m->hdr, v1err_notify(verr),
			   "message 1: %s", v1err_str(verr));
		v1_notify_clear(e, local, remote, natt, &m->hdr,
				v1err_notify(verr));
		return;
	}
	if (!ike_cac_admit_from(e, remote, "Main Mode"))
		return;
	eff = malloc(sizeof(*eff));
	offer = malloc(sizeof(*offer));
	answer = malloc(sizeof(*answer));
	memset(&pol, 0, sizeof(pol));
	if (!eff || !offer || !answer)
		goto out;
	sa = sa_ike_new(e, &ikev1_ops, &pol, false);
	if (!sa)
		goto out;
	memcpy(sa->spi_i, m->hdr.spi_i, 8);
	sa_ike_rehash(e, sa);
	sa->local = *local;
	sa->remote = *remote;
	sa->natt = natt;
	sa->v1.exch = IKEV1_EXCH_MAIN;
	if (!v1_find_tunnel(e, sa, eff)) {
		char a[INET6_ADDRSTRLEN];

		sa_log(e, LOG_NOTICE, "Main Mode from %s: no tunnel has that peer",
		       sa_addr_str(remote, a, sizeof(a)));
		e->stats.dropped++;
		sa_ike_free(e, sa);
		sa = NULL;
		goto out;
	}
	snprintf(sa->tunnel, sizeof(sa->tunnel), "%s", eff->ifname);
	if (v1_p1_crossed(e, sa)) {
		sa_ike_free(e, sa);
		sa = NULL;
		goto out;
	}
	verr = v1pl_sa_parse(v1_pl(m, IKEV1_PL_SA), offer);
	if (verr) {
		/* RFC 2408 5.4-5.6: each fault of the offer has its notify. */
		if (v1err_notify(verr) == IKEV1_N_NO_PROPOSAL_CHOSEN)
			e->stats.no_proposal++;
		else
			e->stats.malformed++;
		v1_log_bad(e, sa, remote, &m->hdr, v1err_notify(verr),
			   "SA payload: %s", v1err_str(verr));
		v1_notify_clear(e, local, remote, natt, &m->hdr,
				v1err_notify(verr));
		sa_ike_free(e, sa);
		sa = NULL;
		goto out;
	}
	if (v1_set_policy(sa, eff)) {
		sa_ike_free(e, sa);
		sa = NULL;
		goto out;
	}
	if (v1_p1_choose(e, sa, offer, answer)) {
		e->stats.no_proposal++;
		v1_notify_clear(e, local, remote, natt, &m->hdr,
				IKEV1_N_NO_PROPOSAL_CHOSEN);
		sa_ike_free(e, sa);
		sa = NULL;
		goto out;
	}
	if (v1_keep_sai(sa, offer->body, offer->body_len)) {
		sa_ike_free(e, sa);
		sa = NULL;
		goto out;
	}
	v1_p1_peer_vids(e, sa, m);
	v1_hdr(sa, IKEV1_EXCH_MAIN, 0, 0, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	v1pl_add_sa(&b, answer);
	v1_p1_add_vids(e, &b, sa);
	if (msg_build_finish(&b, &len) ||
	    !v1_dgram_hash(m->raw, m->raw_len, sa->v1.last_hash)) {
		sa_ike_free(e, sa);
		sa = NULL;
		goto out;
	}
	sa->v1.has_last_hash = true;
	v1_step(sa, V1_MM_R1);
	v1_half_expiry(e, sa);
	v1_send_reply(e, sa, e->out, len);
out:
	free(eff);
	free(offer);
	free(answer);
}

/* MM2 at the initiator: the chosen transform; send MM3. */
static void v1_mm_i2(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m)
{
	struct v1pl_sa *answer = malloc(sizeof(*answer));
	struct v1pl_data ke, nonce;
	struct msg_builder b;
	struct msg_hdr h;
	size_t len;

	if (!answer)
		return;
	if (v1rules_check(IKEV1_EXCH_MAIN, 2, false, m) ||
	    v1pl_sa_parse(v1_pl(m, IKEV1_PL_SA), answer) ||
	    v1_p1_check_answer(sa, answer)) {
		free(answer);
		e->stats.malformed++;
		ike_sa_dead(e, sa, "the MM2 answer is not one of our transforms");
		return;
	}
	free(answer);
	v1_p1_peer_vids(e, sa, m);
	if (v1_p1_ke_nonce(sa, true, &ke, &nonce)) {
		ike_sa_dead(e, sa, "no key exchange for the chosen group");
		return;
	}
	v1_hdr(sa, IKEV1_EXCH_MAIN, 0, 0, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	v1pl_add_data(&b, IKEV1_PL_KE, &ke);
	v1pl_add_data(&b, IKEV1_PL_NONCE, &nonce);
	v1_p1_add_natd(e, &b, sa);
	if (msg_build_finish(&b, &len)) {
		ike_sa_dead(e, sa, "cannot build MM3");
		return;
	}
	sa_ike_reset_req(sa);
	v1_step(sa, V1_MM_I2);
	v1_send_request(e, sa, e->out, len, TASK_IKE_INIT);
}

/* MM3 at the responder: KE and nonce; the key candidates; send MM4. */
static void v1_mm_r2(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m)
{
	struct v1pl_data pke, pno, ke, nonce;
	struct policy_v1_keys *keys;
	struct policy_v1_where w;
	struct policy_addr peer;
	struct msg_builder b;
	struct msg_hdr h;
	size_t len;

	if (v1rules_check(IKEV1_EXCH_MAIN, 3, false, m) ||
	    v1pl_ke_parse(v1_pl(m, IKEV1_PL_KE), &pke) ||
	    v1pl_nonce_parse(v1_pl(m, IKEV1_PL_NONCE), &pno)) {
		e->stats.malformed++;
		ike_sa_dead(e, sa, "malformed MM3");
		return;
	}
	keys = malloc(sizeof(*keys));
	if (!keys)
		return;
	v1_where(sa, &w, &peer);
	policy_v1_keys_by_addr(e->cfg, &peer, &w, NULL, keys);
	sa_log(e, LOG_INFO, "%s: %s", sa->tunnel, keys->reason);
	sa->v1.n_cand = 0;
	for (size_t i = 0; i < keys->n && i < V1_CANDIDATES; i++)
		sa->v1.cand[sa->v1.n_cand++] = keys->psk[i];
	free(keys);
	if (!sa->v1.n_cand) {
		e->stats.auth_failed++;
		ike_sa_dead(e, sa, "no pre-shared key for the peer's address");
		return;
	}
	if (v1_p1_ke_nonce(sa, false, &ke, &nonce) ||
	    v1_p1_peer_ke(sa, &pke, &pno)) {
		e->stats.malformed++;
		ike_sa_dead(e, sa, "MM3: bad key exchange data");
		return;
	}
	v1_p1_nat_check(e, sa, m);
	v1_hdr(sa, IKEV1_EXCH_MAIN, 0, 0, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	v1pl_add_data(&b, IKEV1_PL_KE, &ke);
	v1pl_add_data(&b, IKEV1_PL_NONCE, &nonce);
	v1_p1_add_natd(e, &b, sa);
	if (msg_build_finish(&b, &len)) {
		ike_sa_dead(e, sa, "cannot build MM4");
		return;
	}
	v1_step(sa, V1_MM_R2);
	v1_send_reply(e, sa, e->out, len);
}

/* Build and seal ID, HASH [, N(INITIAL-CONTACT)] with the phase 1 IV. */
static int v1_mm_auth_msg(struct ike_engine *e, struct ike_sa *sa,
			  bool responder, size_t *len)
{
	uint8_t idbuf[16], body[4 + POLICY_ID_MAX + 16], hash[CRYPTO_PRF_MAX];
	struct v1pl_data hd = { .data = hash };
	uint8_t spi[16];
	struct v1pl_notify ic = {
		.doi = IKEV1_DOI_IPSEC, .proto = IKEV1_PROTO_ISAKMP,
		.spi_size = 16, .type = IKEV1_N_INITIAL_CONTACT, .spi = spi,
	};
	struct msg_builder b;
	struct v1pl_id id;
	struct msg_hdr h;
	size_t blen;

	v1_p1_our_id(sa, &id, idbuf);
	blen = v1_id_body(&id, body, sizeof(body));
	hd.len = v1_p1_hash(sa, responder, body, blen, hash);
	if (!blen || !hd.len)
		return -EINVAL;
	v1_hdr(sa, sa->v1.exch, IKEV1_FLAG_ENCRYPTION, 0, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	v1pl_add_id(&b, &id);
	v1pl_add_data(&b, IKEV1_PL_HASH, &hd);
	if (!responder && !sa->v1.rekeys) {
		/* First contact: the peer may drop what it has of us. */
		memcpy(spi, sa->spi_i, 8);
		memcpy(spi + 8, sa->spi_r, 8);
		v1pl_add_notify(&b, &ic);
	}
	return v1_seal(e, sa, &sa->v1.iv, &b, len);
}

/* MM4 at the initiator: keys; send MM5. */
static void v1_mm_i3(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m)
{
	struct v1pl_data pke, pno;
	struct policy_v1_keys *keys;
	struct policy_v1_where w;
	struct policy_addr peer;
	size_t len;
	int err;

	if (v1rules_check(IKEV1_EXCH_MAIN, 4, false, m) ||
	    v1pl_ke_parse(v1_pl(m, IKEV1_PL_KE), &pke) ||
	    v1pl_nonce_parse(v1_pl(m, IKEV1_PL_NONCE), &pno) ||
	    v1_p1_peer_ke(sa, &pke, &pno)) {
		e->stats.malformed++;
		ike_sa_dead(e, sa, "malformed MM4");
		return;
	}
	keys = malloc(sizeof(*keys));
	if (!keys)
		return;
	v1_where(sa, &w, &peer);
	policy_v1_keys_by_addr(e->cfg, &peer, &w, sa->v1.eff->profile, keys);
	if (!keys->n) {
		free(keys);
		e->stats.auth_failed++;
		ike_sa_dead(e, sa, "no pre-shared key for the peer's address");
		return;
	}
	sa->v1.psk = keys->psk[0];
	free(keys);
	v1_p1_nat_check(e, sa, m);
	err = v1_p1_keys(sa, sa->v1.psk->key, sa->v1.psk->key_len);
	if (!err)
		err = v1_mm_auth_msg(e, sa, false, &len);
	if (err) {
		ike_sa_dead(e, sa, "cannot derive the keys or build MM5");
		return;
	}
	sa_ike_reset_req(sa);
	v1_step(sa, V1_MM_I3);
	v1_send_request(e, sa, e->out, len, TASK_IKE_AUTH);
}

/*
 * Decrypt an MM5 or MM6 with the current keys and check its HASH over
 * its ID: 0; -EBADMSG: it does not decrypt (not ours to read); -EPROTO:
 * it decrypts, but *verr is wrong with its payloads; -EACCES: its HASH
 * does not verify.
 */
static int v1_mm_check_auth(struct ike_engine *e, struct ike_sa *sa,
			    const struct msg *m, uint8_t step,
			    struct v1pl_id *peer_id, struct msg *inner,
			    enum v1_err *verr)
{
	uint8_t hash[CRYPTO_PRF_MAX];
	struct v1crypt_iv iv = sa->v1.iv;
	struct v1pl_data hd;
	size_t pad, hlen;

	if (!m->v1_encrypted) {
		*verr = V1_E_NOT_ENCRYPTED;
		return -EPROTO;
	}
	*verr = v1crypt_decrypt(&sa->v1.key, &iv, m, e->plain, sizeof(e->plain),
				inner, &pad);
	if (*verr)
		return -EBADMSG;
	*verr = v1rules_check(IKEV1_EXCH_MAIN, step, true, inner);
	if (!*verr)
		*verr = v1pl_id_parse(v1_pl(inner, IKEV1_PL_ID), peer_id);
	if (!*verr)
		*verr = v1pl_id_check_phase1(peer_id);
	if (!*verr)
		*verr = v1pl_hash_parse(v1_pl(inner, IKEV1_PL_HASH), &hd);
	if (*verr)
		return -EPROTO;
	/* The peer's hash: HASH_I from the initiator, HASH_R back. */
	hlen = v1_p1_hash(sa, sa->initiator, peer_id->body, peer_id->body_len,
			  hash);
	if (!hlen || keymat_v1_hash_equal(sa->v1.prf, hash, hd.data, hd.len))
		return -EACCES;
	sa->v1.iv = iv;
	v1crypt_iv_confirm(&sa->v1.iv);
	return 0;
}

/* An INITIAL-CONTACT notify in m, from the peer. */
static bool v1_has_initial_contact(const struct msg *m)
{
	for (unsigned int i = 0; i < m->n; i++) {
		struct v1pl_notify n;

		if (m->pl[i].type == IKEV1_PL_N &&
		    !v1pl_notify_parse(&m->pl[i], &n) &&
		    n.type == IKEV1_N_INITIAL_CONTACT)
			return true;
	}
	return false;
}

/*
 * The peer that authenticated with key is peer_id: its ISAKMP profile
 * and tunnel.  false with a log line when nothing fits.
 */
static bool v1_mm_pick(struct ike_engine *e, struct ike_sa *sa,
		       const struct v1pl_id *peer_id)
{
	struct policy_v1_pick *pick = malloc(sizeof(*pick));
	struct policy_v1_effective *eff = malloc(sizeof(*eff));
	struct policy_v1_where w;
	struct policy_addr peer;
	struct policy_id pid;
	bool ok = false;

	if (!pick || !eff || !v1_p1_policy_id(peer_id, &pid))
		goto out;
	v1_where(sa, &w, &peer);
	policy_v1_profile_by_id(e->cfg, &pid, &peer, &w, sa->v1.psk,
				POLICY_V1_RULES_IKEVTI, pick);
	sa_log(e, LOG_INFO, "%s: %s", sa->tunnel, pick->reason);
	if (!pick->ok)
		goto out;
	sa->remote_id = pid;
	/*
	 * MM1 found the tunnel for these addresses, and a reload since has
	 * either kept it for this SA or killed the SA (v1_keep): look again
	 * only if the peer floated to another address.  A look resolves
	 * every crypto map entry in full until one fits, which with a few
	 * hundred peers costs as much as the rest of MM5.
	 */
	if (v1_tunnel_holds(sa)) {
		ok = true;
		goto out;
	}
	if (v1_find_tunnel(e, sa, eff)) {
		snprintf(sa->tunnel, sizeof(sa->tunnel), "%s", eff->ifname);
		ok = !v1_set_policy(sa, eff);
	}
out:
	free(pick);
	free(eff);
	return ok;
}

/*
 * An MM5 or MM6 that does not decrypt, or whose HASH does not verify, is
 * discarded (RFC 2408 5.11) and the exchange waits where it was, as IOS
 * and strongSwan do: one forged or damaged message does not end it, and
 * the peer's retransmission may still be the genuine one.  Nothing is
 * answered: a notify in the clear would tell an eavesdropper that the
 * keys differ, and one encrypted with keys that do not match is of no use
 * to the peer.  A peer with another key fails each time, until it gives
 * up or the half-open SA times out with the fault as the reason.
 */
/*
 * sa->fault: what went wrong, and with which keys: the responder's
 * candidates, the initiator's one ("default 10.0.0.1/32 (line 7)": the
 * keyring, the address or host and the line, never the secret).
 */
static void v1_fault_keys(struct ike_sa *sa, const char *what)
{
	char *buf = sa->v1.fault, k[128];
	size_t len = sizeof(sa->v1.fault), o;
	unsigned int n = sa->initiator ? !!sa->v1.psk : sa->v1.n_cand;

	o = (size_t)snprintf(buf, len, "%s with the key%s ", what,
			     n > 1 ? "s" : "");
	for (unsigned int i = 0; i < n && o < len; i++) {
		policy_v1_psk_str(sa->initiator ? sa->v1.psk : sa->v1.cand[i],
				  k, sizeof(k));
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", k);
	}
	if (!n)
		snprintf(buf, len, "%s", what);
	sa->fault = buf;
}

static void v1_mm_discard(struct ike_engine *e, struct ike_sa *sa,
			  const struct msg *m, int err, enum v1_err verr)
{
	bool r = !sa->initiator;
	const char *fault;

	switch (err) {
	case -EACCES:
		e->stats.auth_failed++;
		fault = r ? "MM5: HASH_I does not verify (AUTHENTICATION-FAILED)" :
			    "MM6: HASH_R does not verify: the pre-shared keys differ";
		break;
	case -EPROTO:
		/* Decrypted (or in the clear): the message itself is wrong. */
		e->stats.malformed++;
		sa->fault = r ? "MM5 is malformed" : "MM6 is malformed";
		v1_log_bad(e, sa, &sa->remote, &m->hdr, 0, "MM%d: %s", r ? 5 : 6,
			   v1err_str(verr));
		return;
	default:
		e->stats.decrypt_failed++;
		fault = r ? "MM5 does not decrypt: the pre-shared keys differ" :
			    "MM6 does not decrypt: the pre-shared keys differ";
		break;
	}
	v1_fault_keys(sa, fault);
	v1_log_bad(e, sa, &sa->remote, &m->hdr, 0, "%s", sa->fault);
}

/* How far v1_mm_check_auth() got: its HASH, its payloads, decryption. */
static int v1_mm_depth(int err)
{
	return err == -EACCES ? 2 : err == -EPROTO ? 1 : 0;
}

/* MM5 at the responder: try each candidate key; send MM6. */
static bool v1_mm_r3(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m)
{
	struct msg *inner = malloc(sizeof(*inner));
	enum v1_err verr = V1_E_CRYPTO, why = V1_E_CRYPTO;
	struct v1pl_id peer_id;
	char idtxt[128];
	size_t len;
	int err = -EBADMSG, best = -EBADMSG;

	if (!inner)
		return false;
	for (unsigned int i = 0; i < sa->v1.n_cand; i++) {
		const struct policy_v1_psk *k = sa->v1.cand[i];

		if (v1_p1_keys(sa, k->key, k->key_len))
			continue;
		err = v1_mm_check_auth(e, sa, m, 5, &peer_id, inner, &verr);
		if (!err) {
			sa->v1.psk = k;
			if (i)
				sa_log(e, LOG_INFO, "%s: MM5 authenticated with candidate key %u of %u (IOS would have used the first)",
				       sa->tunnel, i + 1, sa->v1.n_cand);
			break;
		}
		/* Report how far the best key got: HASH, body, decryption. */
		if (v1_mm_depth(err) >= v1_mm_depth(best)) {
			best = err;
			why = verr;
		}
	}
	if (err) {
		free(inner);
		v1_mm_discard(e, sa, m, best, why);
		return false;
	}
	v1pl_id_format(&peer_id, idtxt, sizeof(idtxt));
	if (!v1_mm_pick(e, sa, &peer_id)) {
		free(inner);
		e->stats.auth_failed++;
		ike_sa_dead(e, sa, "MM5: no ISAKMP profile accepts the peer's ID");
		return true;
	}
	if (v1_has_initial_contact(inner))
		v1_initial_contact(e, sa);
	free(inner);
	if (v1_mm_auth_msg(e, sa, true, &len)) {
		ike_sa_dead(e, sa, "cannot build MM6");
		return true;
	}
	v1_send_reply(e, sa, e->out, len);
	sa_log(e, LOG_INFO, "%s: Main Mode done, peer ID %s", sa->tunnel, idtxt);
	v1_p1_done(e, sa);
	return true;
}

/* MM6 at the initiator. */
static bool v1_mm_i4(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m)
{
	struct msg *inner = malloc(sizeof(*inner));
	enum v1_err verr;
	struct v1pl_id peer_id;
	struct policy_id pid;
	int err;

	if (!inner)
		return false;
	err = v1_mm_check_auth(e, sa, m, 6, &peer_id, inner, &verr);
	free(inner);
	if (err) {
		/* Our MM5 is resent; the peer's MM6 with it. */
		v1_mm_discard(e, sa, m, err, verr);
		return false;
	}
	if (v1_p1_policy_id(&peer_id, &pid))
		sa->remote_id = pid;
	sa_log(e, LOG_INFO, "%s: Main Mode done", sa->tunnel);
	v1_p1_done(e, sa);
	return true;
}

bool v1_mm_input(struct ike_engine *e, struct ike_sa *sa, const struct msg *m)
{
	switch (sa->v1.step) {
	case V1_MM_I1:
		v1_mm_i2(e, sa, m);
		return true;
	case V1_MM_R1:
		v1_mm_r2(e, sa, m);
		return true;
	case V1_MM_I2:
		v1_mm_i3(e, sa, m);
		return true;
	case V1_MM_R2:
		return v1_mm_r3(e, sa, m);
	case V1_MM_I3:
		return v1_mm_i4(e, sa, m);
	}
	/* The responder's last step is done at MM5. */
	e->stats.invalid_msgid++;
	v1_log_bad(e, sa, &sa->remote, &m->hdr, 0, "out of order");
	return false;
}
