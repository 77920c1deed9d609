// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_SA_INIT (RFC 7296 1.2): SA, KE, Nonce and the NAT detection
 * notifies (2.23).  The initiator retries with the group an
 * INVALID_KE_PAYLOAD names (1.2) and echoes a COOKIE (2.6); the responder
 * answers INVALID_KE_PAYLOAD and NO_PROPOSAL_CHOSEN without keeping
 * state.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ikev2.h"

#define V2_NATD_LEN	20	/* SHA-1 */

/* SHA1(SPIi | SPIr | IP | Port), RFC 7296 2.23; false if no address. */
static bool v2_natd_hash(const uint8_t spi_i[8], const uint8_t spi_r[8],
			 const struct sockaddr_storage *ss, uint8_t out[20])
{
	uint8_t buf[16 + 16 + 2];
	size_t n = 16;
	unsigned int olen = 0;

	memcpy(buf, spi_i, 8);
	memcpy(buf + 8, spi_r, 8);
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)ss;

		memcpy(buf + n, &s->sin_addr, 4);
		memcpy(buf + n + 4, &s->sin_port, 2);
		n += 6;
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;

		memcpy(buf + n, &s->sin6_addr, 16);
		memcpy(buf + n + 16, &s->sin6_port, 2);
		n += 18;
	} else {
		return false;
	}
	return EVP_Digest(buf, n, out, &olen, EVP_sha1(), NULL) == 1 &&
	       olen == V2_NATD_LEN;
}

static void v2_add_natd(struct msg_builder *b, const struct ike_sa *sa)
{
	uint8_t src[V2_NATD_LEN], dst[V2_NATD_LEN];
	struct pl_notify n = { .len = V2_NATD_LEN };

	if (!v2_natd_hash(sa->spi_i, sa->spi_r, &sa->local, src) ||
	    !v2_natd_hash(sa->spi_i, sa->spi_r, &sa->remote, dst))
		return;
	n.type = IKEV2_N_NAT_DETECTION_SOURCE_IP;
	n.data = src;
	pl_add_notify(b, &n);
	n.type = IKEV2_N_NAT_DETECTION_DESTINATION_IP;
	n.data = dst;
	pl_add_notify(b, &n);
}

/*
 * Does m's NAT detection show a NAT?  The source hash must match the
 * peer's address as we see it (any of them may), the destination hash
 * ours.  No NAT detection payloads: no NAT.
 */
static bool v2_nat_seen(const struct ike_sa *sa, const struct msg *m)
{
	static const uint8_t zero[8];
	/* The request's hashes were made before SPIr existed. */
	const uint8_t *spi_r = sa->initiator ? sa->spi_r : zero;
	uint8_t want_src[V2_NATD_LEN], want_dst[V2_NATD_LEN];
	bool any = false, src_ok = false, dst_ok = true;

	if (!v2_natd_hash(sa->spi_i, spi_r, &sa->remote, want_src) ||
	    !v2_natd_hash(sa->spi_i, spi_r, &sa->local, want_dst))
		return false;
	for (unsigned int i = 0; i < m->n; i++) {
		struct pl_notify n;

		if (m->pl[i].type != IKEV2_PL_NOTIFY ||
		    pl_notify_parse(&m->pl[i], &n))
			continue;
		if (n.type == IKEV2_N_NAT_DETECTION_SOURCE_IP) {
			any = true;
			if (n.len == V2_NATD_LEN &&
			    !memcmp(n.data, want_src, V2_NATD_LEN))
				src_ok = true;
		} else if (n.type == IKEV2_N_NAT_DETECTION_DESTINATION_IP) {
			any = true;
			if (n.len != V2_NATD_LEN ||
			    memcmp(n.data, want_dst, V2_NATD_LEN))
				dst_ok = false;
		}
	}
	return any && !(src_ok && dst_ok);
}

static void v2_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

static bool v2_group_allowed(const struct ike_sa *sa, uint16_t group)
{
	size_t n;
	const struct policy_alg *t = policy_algs(POLICY_KIND_DH, &n);
	const struct policy_alg_list *l = &sa->pol.v.sa_dh;

	for (unsigned int i = 0; i < l->n; i++) {
		if (l->idx[i] < n && t[l->idx[i]].ikev2_id == group &&
		    group != IKEV2_DH_NONE)
			return crypto_dh_supported(group);
	}
	return false;
}

static uint16_t v2_first_group(const struct ike_sa *sa)
{
	size_t n;
	const struct policy_alg *t = policy_algs(POLICY_KIND_DH, &n);
	const struct policy_alg_list *l = &sa->pol.v.sa_dh;

	for (unsigned int i = 0; i < l->n; i++) {
		if (l->idx[i] < n && v2_group_allowed(sa, t[l->idx[i]].ikev2_id))
			return t[l->idx[i]].ikev2_id;
	}
	return 0;
}

static int v2_init_send(struct ike_engine *e, struct ike_sa *sa, uint16_t group)
{
	uint8_t pub[CRYPTO_DH_PUB_MAX];
	struct pl_sa *offer = malloc(sizeof(*offer));
	struct pl_nonce nonce;
	struct msg_builder b;
	struct msg_hdr h;
	struct pl_ke ke;
	size_t len;
	int err;

	if (!offer)
		return -ENOMEM;
	crypto_dh_free(sa->dh);
	sa->dh = crypto_dh_new(group);
	if (!sa->dh ||
	    crypto_dh_public(sa->dh, pub, crypto_dh_pub_len(group))) {
		free(offer);
		return -EIO;
	}
	if (!sa->v2.ni) {
		sa->v2.ni = secbuf_new(IKE_NONCE_LEN);
		if (!sa->v2.ni || crypto_random(sa->v2.ni->data, sa->v2.ni->len)) {
			free(offer);
			return -EIO;
		}
	}
	prop_offer(&sa->pol.v, PROP_IKE, group, NULL, 0, offer);
	v2_hdr(sa, IKEV2_EXCH_IKE_SA_INIT, false, 0, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	if (sa->v2.cookie) {
		struct pl_notify n = {
			.type = IKEV2_N_COOKIE,
			.data = sa->v2.cookie,
			.len = sa->v2.cookie_len,
		};

		pl_add_notify(&b, &n);
	}
	pl_add_sa(&b, offer);
	ke.group = group;
	ke.data = pub;
	ke.len = crypto_dh_pub_len(group);
	pl_add_ke(&b, &ke);
	nonce.data = sa->v2.ni->data;
	nonce.len = sa->v2.ni->len;
	pl_add_nonce(&b, &nonce);
	v2_add_natd(&b, sa);
	if (msg_build_finish(&b, &len)) {
		free(offer);
		return -EINVAL;
	}
	free(sa->v2.init_i);
	sa->v2.init_i = malloc(len);
	if (!sa->v2.init_i) {
		free(offer);
		return -ENOMEM;
	}
	memcpy(sa->v2.init_i, e->out, len);
	sa->v2.init_i_len = len;
	err = v2_send_request_raw(e, sa, e->out, len, TASK_IKE_INIT);
	free(sa->req.offer);
	sa->req.offer = offer;
	return err;
}

int v2_init_start(struct ike_engine *e, const struct policy_effective *pol)
{
	const struct policy_peer *peer = &pol->tunnel->peer;
	struct ike_sa *sa;
	uint16_t group;
	int err;

	if (peer->kind != POLICY_PEER_ADDR)
		return -EDESTADDRREQ;
	sa = sa_ike_new(e, &ikev2_ops, pol, true);
	if (!sa)
		return -ENOMEM;
	sa->remote.ss_family = peer->addr.family;
	if (peer->addr.family == AF_INET)
		memcpy(&((struct sockaddr_in *)&sa->remote)->sin_addr,
		       peer->addr.a, 4);
	else
		memcpy(&((struct sockaddr_in6 *)&sa->remote)->sin6_addr,
		       peer->addr.a, 16);
	v2_set_port(&sa->remote, 500);
	sa->local.ss_family = AF_UNSPEC;
	if (pol->v.source.family == peer->addr.family) {
		sa->local.ss_family = pol->v.source.family;
		if (pol->v.source.family == AF_INET)
			memcpy(&((struct sockaddr_in *)&sa->local)->sin_addr,
			       pol->v.source.a, 4);
		else
			memcpy(&((struct sockaddr_in6 *)&sa->local)->sin6_addr,
			       pol->v.source.a, 16);
	} else if (e->env.local_addr &&
		   e->env.local_addr(e->env.ctx, &sa->remote, &sa->local)) {
		sa->local.ss_family = AF_UNSPEC;
	}
	v2_set_port(&sa->local, 500);
	v2_step(sa, V2_INIT_SENT);
	group = v2_first_group(sa);
	err = group ? v2_init_send(e, sa, group) : -ENOTSUP;
	if (err) {
		sa_log(e, LOG_ERR, "%s: cannot start IKE_SA_INIT: %s",
		       sa->tunnel, strerror(-err));
		sa_ike_free(e, sa);
		return err;
	}
	sa_log(e, LOG_INFO, "%s: initiating IKE SA, DH group %u", sa->tunnel,
	       group);
	return 0;
}

int v2_init_derive(struct ike_sa *sa, const struct secbuf *skeyseed,
		   const struct secbuf *ni, const struct secbuf *nr)
{
	struct keymat_v2_algs algs = {
		.prf = sa->sel.prf,
		.encr = sa->sel.encr,
		.encr_bits = sa->sel.encr_bits,
		.integ = sa->sel.integ,
	};

	if (crypto_encr_lookup(sa->sel.encr, sa->sel.encr_bits, &sa->encr))
		return -ENOTSUP;
	keymat_v2_ike_free(&sa->v2.km);
	return keymat_v2_ike_derive(&algs, skeyseed, ni->data, ni->len,
				    nr->data, nr->len, sa->spi_i, sa->spi_r,
				    &sa->v2.km);
}

/* g^ir, SKEYSEED and the keys, once both nonces and the KE are known. */
static int v2_init_keys(struct ike_sa *sa, const struct pl_ke *ke)
{
	struct secbuf *gir = NULL, *skeyseed = NULL;
	int err;

	err = crypto_dh_derive(sa->dh, ke->data, ke->len, &gir);
	if (!err)
		err = keymat_v2_skeyseed(sa->sel.prf, sa->v2.ni->data, sa->v2.ni->len,
					 sa->v2.nr->data, sa->v2.nr->len, gir,
					 &skeyseed);
	if (!err)
		err = v2_init_derive(sa, skeyseed, sa->v2.ni, sa->v2.nr);
	secbuf_free(gir);
	secbuf_free(skeyseed);
	crypto_dh_free(sa->dh);
	sa->dh = NULL;
	return err;
}

/* The tunnel a new IKE SA from remote is for: by address, else "any". */
static bool v2_policy_for(struct ike_engine *e,
			  const struct sockaddr_storage *remote,
			  struct policy_effective *pol)
{
	const struct policy_tunnel *any = NULL;

	for (size_t i = 0; i < e->cfg->n_tunnel; i++) {
		const struct policy_tunnel *t = e->cfg->tunnel[i];
		const struct policy_peer *p = &t->peer;

		if (t->shutdown)
			continue;
		if (p->kind == POLICY_PEER_ADDR && sa_addr_is(remote, &p->addr)) {
			policy_effective(e->cfg, t, pol);
			return true;
		}
		if (!any && (p->kind == POLICY_PEER_ANY ||
			     p->kind == POLICY_PEER_FQDN))
			any = t;
	}
	if (!any)
		return false;
	policy_effective(e->cfg, any, pol);
	return true;
}

/*
 * RFC 7296 2.6: COOKIE = version | SHA-256(Ni | IPi | SPIi | secret); it
 * costs us nothing to check, and the initiator must prove it can
 * receive at its address before we spend a DH computation.
 */
#define V2_COOKIE_LEN	33

static bool v2_cookie(const struct ike_engine *e, const struct msg *m,
		      const struct sockaddr_storage *remote,
		      uint8_t out[V2_COOKIE_LEN])
{
	const struct msg_payload *pno = msg_find(m, IKEV2_PL_NONCE, 0);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 0;
	bool good;

	if (!ctx || !pno) {
		EVP_MD_CTX_free(ctx);
		return false;
	}
	out[0] = 0;	/* version of the secret: there is one */
	good = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	       EVP_DigestUpdate(ctx, pno->body, pno->len) == 1 &&
	       EVP_DigestUpdate(ctx, remote->ss_family == AF_INET ?
				(const void *)&((const struct sockaddr_in *)remote)->sin_addr :
				(const void *)&((const struct sockaddr_in6 *)remote)->sin6_addr,
				remote->ss_family == AF_INET ? 4 : 16) == 1 &&
	       EVP_DigestUpdate(ctx, m->hdr.spi_i, 8) == 1 &&
	       EVP_DigestUpdate(ctx, e->cookie_secret,
				sizeof(e->cookie_secret)) == 1 &&
	       EVP_DigestFinal_ex(ctx, out + 1, &n) == 1 && n == 32;
	EVP_MD_CTX_free(ctx);
	return good;
}

/* Under load, a request without the right COOKIE gets one, nothing else. */
static bool v2_cookie_needed(struct ike_engine *e,
			     const struct sockaddr_storage *local,
			     const struct sockaddr_storage *remote, bool natt,
			     const struct msg *m)
{
	uint8_t want[V2_COOKIE_LEN];
	struct pl_notify n;

	if (e->n_half < e->cookie_threshold)
		return false;
	if (!v2_cookie(e, m, remote, want))
		return true;
	if (v2_find_notify(m, IKEV2_N_COOKIE, &n) && n.len == V2_COOKIE_LEN &&
	    !CRYPTO_memcmp(n.data, want, V2_COOKIE_LEN))
		return false;
	v2_send_init_notify(e, local, remote, natt, &m->hdr, IKEV2_N_COOKIE,
			    want, V2_COOKIE_LEN);
	return true;
}

void v2_init_request(struct ike_engine *e, const struct sockaddr_storage *local,
		     const struct sockaddr_storage *remote, bool natt,
		     const struct msg *m)
{
	const struct msg_payload *psa, *pke, *pno;
	uint8_t pub[CRYPTO_DH_PUB_MAX];
	struct policy_effective pol;
	struct pl_sa *offer;
	struct pl_nonce ni, nonce;
	struct pl_sa answer;
	struct prop_sel sel;
	struct msg_builder b;
	struct pl_ke ke, our_ke;
	struct ike_sa *sa;
	struct msg_hdr h;
	uint16_t bad;
	size_t len;
	int err;

	sa = sa_ike_find_half(e, m->hdr.spi_i, remote, false);
	if (sa) {
		/* A retransmitted IKE_SA_INIT: the same answer again. */
		if (sa->has_resp && v2_at(sa, V2_INIT_DONE))
			v2_send_raw(e, sa, sa->resp, sa->resp_len);
		return;
	}
	if (e->shutting_down || !v2_policy_for(e, remote, &pol)) {
		e->stats.dropped++;
		return;
	}
	if (v2_cookie_needed(e, local, remote, natt, m))
		return;
	/* Past the call admission limit a new IKE SA gets no answer. */
	if (!ike_cac_admit_from(e, remote, "IKE_SA_INIT"))
		return;
	bad = v2_rules_check(IKEV2_EXCH_IKE_SA_INIT, false, m);
	psa = msg_find(m, IKEV2_PL_SA, 0);
	pke = msg_find(m, IKEV2_PL_KE, 0);
	pno = msg_find(m, IKEV2_PL_NONCE, 0);
	offer = malloc(sizeof(*offer));
	if (!offer)
		return;
	if (bad || pl_sa_parse(psa, offer) || pl_ke_parse(pke, &ke) ||
	    pl_nonce_parse(pno, &ni)) {
		e->stats.malformed++;
		free(offer);
		v2_send_init_notify(e, local, remote, natt, &m->hdr,
				    IKEV2_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	err = prop_choose(offer, &pol.v, PROP_IKE, ke.group, &sel);
	free(offer);
	if (err) {
		e->stats.no_proposal++;
		sa_log(e, LOG_NOTICE, "%s: no acceptable IKE proposal",
		       pol.tunnel->ifname);
		v2_send_init_notify(e, local, remote, natt, &m->hdr,
				    IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (sel.dh != ke.group) {
		uint8_t g[2];

		msg_set16(g, sel.dh);
		v2_send_init_notify(e, local, remote, natt, &m->hdr,
				    IKEV2_N_INVALID_KE_PAYLOAD, g, 2);
		return;
	}
	if (ke.len != crypto_dh_pub_len(ke.group)) {
		e->stats.malformed++;
		v2_send_init_notify(e, local, remote, natt, &m->hdr,
				    IKEV2_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	sa = sa_ike_new(e, &ikev2_ops, &pol, false);
	if (!sa)
		return;
	memcpy(sa->spi_i, m->hdr.spi_i, 8);
	sa_ike_rehash(e, sa);
	sa->local = *local;
	sa->remote = *remote;
	sa->natt = natt;
	sa->sel = sel;
	sa->has_sel = true;
	v2_step(sa, V2_INIT_DONE);
	sa->half_open = true;
	e->n_half++;
	sa->msgid_in = 1;
	sa->dh = crypto_dh_new(sel.dh);
	sa->v2.ni = secbuf_dup(ni.data, ni.len);
	sa->v2.nr = secbuf_new(IKE_NONCE_LEN);
	sa->v2.init_i = malloc(m->raw_len);
	if (!sa->dh || !sa->v2.ni || !sa->v2.nr || !sa->v2.init_i ||
	    crypto_random(sa->v2.nr->data, sa->v2.nr->len) ||
	    crypto_dh_public(sa->dh, pub, crypto_dh_pub_len(sel.dh)) ||
	    v2_init_keys(sa, &ke)) {
		/* A bad public value, most likely. */
		e->stats.malformed++;
		sa_ike_kill(e, sa);
		sa_ike_free(e, sa);
		v2_send_init_notify(e, local, remote, natt, &m->hdr,
				    IKEV2_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	memcpy(sa->v2.init_i, m->raw, m->raw_len);
	sa->v2.init_i_len = m->raw_len;
	sa->nat_detected = v2_nat_seen(sa, m);

	v2_hdr(sa, IKEV2_EXCH_IKE_SA_INIT, true, 0, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	prop_answer(&sel, NULL, 0, &answer);
	pl_add_sa(&b, &answer);
	our_ke.group = sel.dh;
	our_ke.data = pub;
	our_ke.len = crypto_dh_pub_len(sel.dh);
	pl_add_ke(&b, &our_ke);
	nonce.data = sa->v2.nr->data;
	nonce.len = sa->v2.nr->len;
	pl_add_nonce(&b, &nonce);
	v2_add_natd(&b, sa);
	sa->v2.init_r = NULL;
	if (msg_build_finish(&b, &len) || !(sa->v2.init_r = malloc(len)) ||
	    !(sa->resp = malloc(len))) {
		sa_ike_free(e, sa);
		return;
	}
	memcpy(sa->v2.init_r, e->out, len);
	sa->v2.init_r_len = len;
	memcpy(sa->resp, e->out, len);
	sa->resp_len = len;
	sa->has_resp = true;
	/* A half-open SA lives as long as an initiator retransmits. */
	sa->expire_ms = e->now_ms + 1000ull * (sa->pol.retransmit[0] +
		sa->pol.retransmit[1] + sa->pol.retransmit[2] +
		sa->pol.retransmit_timeout);
	v2_send_raw(e, sa, e->out, len);
}

static int v2_init_retry(struct ike_engine *e, struct ike_sa *sa,
			 uint16_t group)
{
	sa->msgid_out = 0;
	return v2_init_send(e, sa, group);
}

void v2_init_response(struct ike_engine *e, struct ike_sa *sa,
		      const struct msg *m)
{
	const struct msg_payload *psa, *pke, *pno;
	struct pl_sa *answer;
	struct pl_nonce nr;
	struct pl_notify n;
	struct pl_ke ke;
	int err;

	if (v2_find_notify(m, IKEV2_N_COOKIE, &n)) {
		if (n.len < 1 || n.len > 64 || sa->v2.cookie) {
			ike_sa_dead(e, sa, "COOKIE refused");
			return;
		}
		sa->v2.cookie = malloc(n.len);
		if (!sa->v2.cookie)
			return;
		memcpy(sa->v2.cookie, n.data, n.len);
		sa->v2.cookie_len = n.len;
		if (v2_init_retry(e, sa, crypto_dh_group(sa->dh)))
			ike_sa_dead(e, sa, "cannot resend IKE_SA_INIT");
		return;
	}
	if (v2_find_notify(m, IKEV2_N_INVALID_KE_PAYLOAD, &n)) {
		uint16_t group = n.len == 2 ? msg_get16(n.data) : 0;

		if (!v2_group_allowed(sa, group) ||
		    group == crypto_dh_group(sa->dh)) {
			e->stats.no_proposal++;
			ike_sa_dead(e, sa, "INVALID_KE_PAYLOAD names a group we do not allow");
			return;
		}
		sa_log(e, LOG_INFO, "%s: peer wants DH group %u, retrying",
		       sa->tunnel, group);
		if (v2_init_retry(e, sa, group))
			ike_sa_dead(e, sa, "cannot resend IKE_SA_INIT");
		return;
	}
	if (v2_find_notify(m, IKEV2_N_NO_PROPOSAL_CHOSEN, &n)) {
		e->stats.no_proposal++;
		ike_sa_dead(e, sa, "peer: NO_PROPOSAL_CHOSEN");
		return;
	}
	psa = msg_find(m, IKEV2_PL_SA, 0);
	pke = msg_find(m, IKEV2_PL_KE, 0);
	pno = msg_find(m, IKEV2_PL_NONCE, 0);
	answer = malloc(sizeof(*answer));
	if (!answer)
		return;
	if (!psa || !pke || !pno || pl_sa_parse(psa, answer) ||
	    pl_ke_parse(pke, &ke) || pl_nonce_parse(pno, &nr) ||
	    !memcmp(m->hdr.spi_r, "\0\0\0\0\0\0\0\0", 8) ||
	    prop_check_answer(answer, sa->req.offer, PROP_IKE, &sa->sel) ||
	    sa->sel.dh != crypto_dh_group(sa->dh) || ke.group != sa->sel.dh) {
		free(answer);
		e->stats.malformed++;
		ike_sa_dead(e, sa, "malformed IKE_SA_INIT response");
		return;
	}
	free(answer);
	sa->has_sel = true;
	memcpy(sa->spi_r, m->hdr.spi_r, 8);
	sa->v2.nr = secbuf_dup(nr.data, nr.len);
	sa->v2.init_r = malloc(m->raw_len);
	if (!sa->v2.nr || !sa->v2.init_r) {
		ike_sa_dead(e, sa, "out of memory");
		return;
	}
	memcpy(sa->v2.init_r, m->raw, m->raw_len);
	sa->v2.init_r_len = m->raw_len;
	err = v2_init_keys(sa, &ke);
	if (err) {
		e->stats.malformed++;
		ike_sa_dead(e, sa, "key derivation failed");
		return;
	}
	sa->nat_detected = v2_nat_seen(sa, m);
	if (sa->nat_detected && !sa->natt) {
		/* RFC 7296 2.23: float to port 4500 from IKE_AUTH on. */
		sa->natt = true;
		v2_set_port(&sa->local, 4500);
		v2_set_port(&sa->remote, 4500);
	}
	sa->msgid_in = 0;
	sa_ike_reset_req(sa);
	if (v2_auth_start(e, sa))
		ike_sa_dead(e, sa, "cannot build IKE_AUTH");
}
