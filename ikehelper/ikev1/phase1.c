// SPDX-License-Identifier: GPL-2.0
/*
 * What Main Mode and Aggressive Mode share (RFC 2409 5): the phase 1
 * proposal from the tunnel's ISAKMP policies and the choice of one
 * transform, KE and nonce, SKEYID and its keys, our identity, HASH_I and
 * HASH_R, vendor IDs, and the end of phase 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ikev1.h"

/* An ISAKMP policy as a phase 1 transform (ikev1/xform.h). */
static bool v1_p1_xf(const struct policy_isakmp_policy *p, struct v1xf_ike *xf)
{
	const struct policy_v1_alg *enc = policy_v1_alg(POLICY_V1_KIND_ENC,
							 p->enc);
	const struct policy_v1_alg *hash = policy_v1_alg(POLICY_V1_KIND_HASH,
							  p->hash);
	const struct policy_v1_alg *grp = policy_v1_alg(POLICY_V1_KIND_GROUP,
							 p->group);

	memset(xf, 0, sizeof(*xf));
	if (!enc || !hash || !grp)
		return false;
	switch (enc->value) {
	case 1:
		xf->encr = IKEV2_ENCR_DES;
		break;
	case 5:
		xf->encr = IKEV2_ENCR_3DES;
		break;
	case 7:
		xf->encr = IKEV2_ENCR_AES_CBC;
		xf->encr_bits = enc->bits;
		break;
	default:
		return false;
	}
	xf->hash = hash->value;
	xf->prf = v1xf_hash_prf(xf->hash);
	xf->auth = p->auth;
	xf->group = grp->value;
	xf->life_secs = p->lifetime;
	return xf->prf != 0;
}

int v1_p1_offer(const struct ike_sa *sa, struct v1pl_sa *offer)
{
	const struct policy_v1_effective *eff = sa->v1.eff;
	struct v1pl_proposal *p = &offer->prop[0];
	struct v1xf_ike xf;

	memset(offer, 0, sizeof(*offer));
	offer->doi = IKEV1_DOI_IPSEC;
	offer->situation = IKEV1_SIT_IDENTITY_ONLY;
	offer->n_prop = 1;
	p->num = 1;
	p->proto = IKEV1_PROTO_ISAKMP;
	for (size_t i = 0; i < eff->n_policy && i < V1PL_MAX_TRANSFORMS; i++) {
		if (eff->policy[i]->auth != POLICY_V1_AUTH_PSK ||
		    !v1_p1_xf(eff->policy[i], &xf) ||
		    !crypto_dh_supported(xf.group) ||
		    !v1xf_ike_encode(&xf, (uint8_t)(offer->n_xf + 1),
				     &offer->xf[offer->n_xf]))
			continue;
		offer->n_xf++;
	}
	p->n_xf = offer->n_xf;
	return offer->n_xf ? 0 : -ENOTSUP;
}

static bool v1_p1_same(const struct v1xf_ike *a, const struct v1xf_ike *b)
{
	return a->encr == b->encr && a->encr_bits == b->encr_bits &&
	       a->hash == b->hash && a->auth == b->auth && a->group == b->group;
}

/* The lower of two lifetimes; 0 is none. */
static uint32_t v1_min_life(uint32_t a, uint32_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

/* "AES-256/SHA256/psk/group 14/86400s" for the log, or why it is not one. */
static void v1_xf_describe(const struct v1pl_transform *xf, char *buf,
			   size_t len)
{
	enum v1_err err;
	struct v1xf_ike t;
	char en[24], hn[24], an[32];

	err = v1xf_ike_decode(xf, &t);
	if (err) {
		snprintf(buf, len, "(%s)", v1err_str(err));
		return;
	}
	names_fmt(NAMES_ENCR, t.encr, en, sizeof(en));
	names_fmt(NAMES_V1_HASH, t.hash, hn, sizeof(hn));
	names_fmt(NAMES_V1_AUTH_METHOD, t.auth, an, sizeof(an));
	if ((size_t)snprintf(buf, len, "%s%s%.0u/%s/%s/group %u/%us", en,
			     t.encr_bits ? "-" : "", t.encr_bits, hn, an,
			     t.group, t.life_secs) >= len)
		buf[len - 1] = 0;
}

/*
 * One line that says what the peer offered, transform by transform, and
 * that none is one of our ISAKMP policies.
 */
static void v1_p1_refusal(struct ike_engine *e, const struct ike_sa *sa,
			  const struct v1pl_sa *offer)
{
	char line[512], one[128];
	size_t n = 0;

	line[0] = 0;
	for (unsigned int x = 0; x < offer->n_xf && n < sizeof(line); x++) {
		v1_xf_describe(&offer->xf[x], one, sizeof(one));
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s",
				      x ? ", " : "", one);
	}
	sa_log(e, LOG_NOTICE, "%s: phase 1: none of the peer's %u transforms matches an ISAKMP policy (NO-PROPOSAL-CHOSEN); it offered %s",
	       sa->tunnel, offer->n_xf, line);
}

int v1_p1_choose(struct ike_engine *e, struct ike_sa *sa,
		 const struct v1pl_sa *offer, struct v1pl_sa *answer)
{
	const struct policy_v1_effective *eff = sa->v1.eff;
	struct v1xf_ike ours, theirs;

	for (size_t i = 0; i < eff->n_policy; i++) {
		if (eff->policy[i]->auth != POLICY_V1_AUTH_PSK ||
		    !v1_p1_xf(eff->policy[i], &ours) ||
		    !crypto_dh_supported(ours.group))
			continue;
		for (unsigned int pi = 0; pi < offer->n_prop; pi++) {
			const struct v1pl_proposal *p = &offer->prop[pi];

			if (p->proto != IKEV1_PROTO_ISAKMP)
				continue;
			for (unsigned int x = p->first_xf;
			     x < p->first_xf + p->n_xf; x++) {
				if (v1xf_ike_decode(&offer->xf[x], &theirs) ||
				    !v1_p1_same(&ours, &theirs))
					continue;
				/* The answer is the chosen transform, as sent. */
				memset(answer, 0, sizeof(*answer));
				answer->doi = IKEV1_DOI_IPSEC;
				answer->situation = IKEV1_SIT_IDENTITY_ONLY;
				answer->n_prop = 1;
				answer->prop[0] = *p;
				answer->prop[0].first_xf = 0;
				answer->prop[0].n_xf = 1;
				answer->n_xf = 1;
				answer->xf[0] = offer->xf[x];
				sa->v1.xf = theirs;
				/* IOS: the lower lifetime wins. */
				sa->v1.xf.life_secs = v1_min_life(ours.life_secs,
								  theirs.life_secs);
				sa->v1.prf = theirs.prf;
				return 0;
			}
		}
	}
	v1_p1_refusal(e, sa, offer);
	return -ENOENT;
}

int v1_p1_check_answer(struct ike_sa *sa, const struct v1pl_sa *answer)
{
	struct v1pl_sa offer;
	struct v1xf_ike got, ours;

	if (answer->n_prop != 1 || answer->prop[0].n_xf != 1 ||
	    answer->prop[0].proto != IKEV1_PROTO_ISAKMP ||
	    v1xf_ike_decode(&answer->xf[answer->prop[0].first_xf], &got) ||
	    v1_p1_offer(sa, &offer))
		return -EBADMSG;
	for (unsigned int i = 0; i < offer.n_xf; i++) {
		if (v1xf_ike_decode(&offer.xf[i], &ours) ||
		    !v1_p1_same(&ours, &got))
			continue;
		sa->v1.xf = got;
		sa->v1.xf.life_secs = v1_min_life(ours.life_secs, got.life_secs);
		sa->v1.prf = got.prf;
		return 0;
	}
	return -EBADMSG;
}

int v1_p1_ke_nonce(struct ike_sa *sa, bool initiator, struct v1pl_data *ke,
		   struct v1pl_data *nonce)
{
	struct secbuf **n = initiator ? &sa->v1.ni : &sa->v1.nr;
	uint8_t **mine = initiator ? &sa->v1.gxi : &sa->v1.gxr;
	size_t *mine_len = initiator ? &sa->v1.gxi_len : &sa->v1.gxr_len;
	size_t len = crypto_dh_pub_len(sa->v1.xf.group);

	if (!sa->dh) {
		sa->dh = crypto_dh_new(sa->v1.xf.group);
		if (!sa->dh)
			return -ENOTSUP;
	}
	free(*mine);
	*mine_len = 0;
	*mine = malloc(len);
	if (!*mine)
		return -ENOMEM;
	if (crypto_dh_public(sa->dh, *mine, len))
		return -EINVAL;
	*mine_len = len;
	if (!*n) {
		*n = secbuf_new(V1_NONCE_LEN);
		if (!*n || crypto_random((*n)->data, (*n)->len))
			return -ENOMEM;
	}
	ke->data = *mine;
	ke->len = len;
	nonce->data = (*n)->data;
	nonce->len = (*n)->len;
	return 0;
}

int v1_p1_peer_ke(struct ike_sa *sa, const struct v1pl_data *ke,
		  const struct v1pl_data *nonce)
{
	bool peer_i = !sa->initiator;
	uint8_t **theirs = peer_i ? &sa->v1.gxi : &sa->v1.gxr;
	size_t *theirs_len = peer_i ? &sa->v1.gxi_len : &sa->v1.gxr_len;
	struct secbuf **n = peer_i ? &sa->v1.ni : &sa->v1.nr;

	if (ke->len != crypto_dh_pub_len(sa->v1.xf.group))
		return -EBADMSG;
	free(*theirs);
	*theirs = malloc(ke->len);
	if (!*theirs)
		return -ENOMEM;
	memcpy(*theirs, ke->data, ke->len);
	*theirs_len = ke->len;
	secbuf_free(*n);
	*n = secbuf_dup(nonce->data, nonce->len);
	if (!*n)
		return -ENOMEM;
	if (!sa->dh)
		return -EINVAL;
	secbuf_free(sa->v1.gxy);
	sa->v1.gxy = NULL;
	return crypto_dh_derive(sa->dh, ke->data, ke->len, &sa->v1.gxy);
}

int v1_p1_keys(struct ike_sa *sa, const uint8_t *psk, size_t psk_len)
{
	struct v1_ike *v = &sa->v1;
	struct secbuf *skeyid = NULL, *enc = NULL;
	struct crypto_encr encr;
	int err;

	keymat_v1_free(&v->km);
	v1crypt_key_free(&v->key);
	v->keys = false;
	if (crypto_encr_lookup(v->xf.encr, v->xf.encr_bits, &encr))
		return -ENOTSUP;
	err = keymat_v1_skeyid_psk(v->prf, psk, psk_len, v->ni->data,
				   v->ni->len, v->nr->data, v->nr->len,
				   &skeyid);
	if (!err)
		err = keymat_v1_derive(v->prf, skeyid, v->gxy, sa->spi_i,
				       sa->spi_r, &v->km);
	secbuf_free(skeyid);
	if (!err)
		err = keymat_v1_enc_key(v->prf, v->km.skeyid_e, encr.key_len,
					&enc);
	if (!err)
		err = v1crypt_key_init(&v->key, v->xf.encr, v->xf.encr_bits,
				       v->prf, enc);
	secbuf_free(enc);
	if (!err)
		err = v1crypt_iv_phase1(&v->iv, &v->key, v->gxi, v->gxi_len,
					v->gxr, v->gxr_len);
	if (err) {
		keymat_v1_free(&v->km);
		v1crypt_key_free(&v->key);
		return err;
	}
	v->keys = true;
	return 0;
}

void v1_p1_our_id(const struct ike_sa *sa, struct v1pl_id *id, uint8_t *buf)
{
	const struct policy_v1_effective *eff = sa->v1.eff;

	memset(id, 0, sizeof(*id));
	/* As IOS: UDP, port 500 (4500 when floated). */
	id->proto = 17;
	id->port = sa->natt ? 4500 : 500;
	if (eff->local_id != POLICY_V1_ID_ADDRESS && eff->local_fqdn.len) {
		id->type = eff->local_id == POLICY_V1_ID_USER_FQDN ?
			   IKEV1_ID_USER_FQDN : IKEV1_ID_FQDN;
		id->data = eff->local_fqdn.data;
		id->len = eff->local_fqdn.len;
		return;
	}
	if (sa->local.ss_family == AF_INET6) {
		id->type = IKEV1_ID_IPV6_ADDR;
		memcpy(buf, &((const struct sockaddr_in6 *)&sa->local)->sin6_addr,
		       16);
		id->len = 16;
	} else {
		id->type = IKEV1_ID_IPV4_ADDR;
		memcpy(buf, &((const struct sockaddr_in *)&sa->local)->sin_addr,
		       4);
		id->len = 4;
	}
	id->data = buf;
}

bool v1_p1_policy_id(const struct v1pl_id *id, struct policy_id *out)
{
	memset(out, 0, sizeof(*out));
	switch (id->type) {
	case IKEV1_ID_IPV4_ADDR:
		out->type = POLICY_ID_IPV4;
		break;
	case IKEV1_ID_IPV6_ADDR:
		out->type = POLICY_ID_IPV6;
		break;
	case IKEV1_ID_FQDN:
		out->type = POLICY_ID_FQDN;
		break;
	case IKEV1_ID_USER_FQDN:
		out->type = POLICY_ID_EMAIL;
		break;
	case IKEV1_ID_KEY_ID:
		out->type = POLICY_ID_KEYID;
		break;
	default:
		return false;
	}
	if (id->len > sizeof(out->data))
		return false;
	memcpy(out->data, id->data, id->len);
	out->len = (uint8_t)id->len;
	return true;
}

size_t v1_p1_hash(const struct ike_sa *sa, bool responder, const uint8_t *id_b,
		  size_t id_len, uint8_t *out)
{
	const struct v1_ike *v = &sa->v1;
	struct keymat_v1_p1 p1 = {
		.gxi = v->gxi, .gxi_len = v->gxi_len,
		.gxr = v->gxr, .gxr_len = v->gxr_len,
		.sai_b = v->sai_b, .sai_len = v->sai_b_len,
	};

	memcpy(p1.cky_i, sa->spi_i, 8);
	memcpy(p1.cky_r, sa->spi_r, 8);
	if (keymat_v1_hash_p1(v->prf, v->km.skeyid, &p1, responder, id_b,
			      id_len, out))
		return 0;
	return crypto_prf_len(v->prf);
}

static void v1_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

/* Does this configuration allow NAT traversal (IOS's default)? */
static bool v1_natt_allowed(const struct ike_engine *e)
{
	return !e->cfg->ios || !e->cfg->ios->natt_off;
}

static void v1_add_vid(struct msg_builder *b, enum v1vid vid)
{
	const struct v1vid_info *i = v1vid_get(vid);
	struct v1pl_data d = { .data = i->data, .len = i->len };

	v1pl_add_data(b, IKEV1_PL_VID, &d);
}

void v1_p1_add_vids(struct ike_engine *e, struct msg_builder *b,
		    const struct ike_sa *sa)
{
	v1_add_vid(b, V1VID_DPD);
	if (!v1_natt_allowed(e))
		return;
	if (sa->initiator) {
		/* RFC 3947 and the drafts IOS and strongSwan understand. */
		v1_add_vid(b, V1VID_NATT_RFC3947);
		v1_add_vid(b, V1VID_NATT_DRAFT_03);
		v1_add_vid(b, V1VID_NATT_DRAFT_02N);
	} else if (sa->v1.peer_natt) {
		/* The responder names the one it will speak. */
		v1_add_vid(b, sa->v1.natt_draft ? V1VID_NATT_DRAFT_03 :
						   V1VID_NATT_RFC3947);
	}
}

bool v1_natt_on(const struct ike_engine *e, const struct ike_sa *sa)
{
	return sa->v1.peer_natt && v1_natt_allowed(e);
}

/* The NAT-D hash of (address, port) ss, for sa: 0 or -errno. */
static int v1_natd_of(const struct ike_sa *sa,
		      const struct sockaddr_storage *ss, uint8_t *out)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET)
		return keymat_v1_natd(sa->v1.prf, sa->spi_i, sa->spi_r,
				      (const uint8_t *)&in->sin_addr, 4,
				      ntohs(in->sin_port), out);
	if (ss->ss_family == AF_INET6)
		return keymat_v1_natd(sa->v1.prf, sa->spi_i, sa->spi_r,
				      (const uint8_t *)&in6->sin6_addr, 16,
				      ntohs(in6->sin6_port), out);
	return -EAFNOSUPPORT;
}

void v1_p1_add_natd(struct ike_engine *e, struct msg_builder *b,
		    const struct ike_sa *sa)
{
	uint8_t h[2][CRYPTO_PRF_MAX];
	struct v1pl_data d = { .len = crypto_prf_len(sa->v1.prf) };
	uint8_t type = sa->v1.natt_draft ? IKEV1_PL_NAT_D_DRAFT :
					   IKEV1_PL_NAT_D;

	if (!v1_natt_on(e, sa))
		return;
	/* RFC 3947 3.2: the peer's address first, then ours. */
	if (v1_natd_of(sa, &sa->remote, h[0]) || v1_natd_of(sa, &sa->local, h[1]))
		return;
	d.data = h[0];
	v1pl_add_data(b, type, &d);
	d.data = h[1];
	v1pl_add_data(b, type, &d);
}

/*
 * The peer's NAT-D payloads against the addresses we see: the first
 * must be ours, one of the others the peer's, or a NAT is between us.
 * Sets sa->nat_detected; an initiator floats to port 4500 (RFC 3947 4).
 */
void v1_p1_nat_check(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m)
{
	uint8_t mine[CRYPTO_PRF_MAX], theirs[CRYPTO_PRF_MAX];
	size_t hl = crypto_prf_len(sa->v1.prf);
	bool first = true, seen = false, me_ok = false, peer_ok = false;
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN];

	if (!v1_natt_on(e, sa) || v1_natd_of(sa, &sa->local, mine) ||
	    v1_natd_of(sa, &sa->remote, theirs))
		return;
	for (unsigned int i = 0; i < m->n; i++) {
		struct v1pl_data d;

		if ((m->pl[i].type != IKEV1_PL_NAT_D &&
		     m->pl[i].type != IKEV1_PL_NAT_D_DRAFT) ||
		    v1pl_natd_parse(&m->pl[i], &d))
			continue;
		seen = true;
		if (first)
			me_ok = d.len == hl && !memcmp(d.data, mine, hl);
		else if (d.len == hl && !memcmp(d.data, theirs, hl))
			peer_ok = true;
		first = false;
	}
	if (!seen)
		return;
	sa->nat_detected = !me_ok || !peer_ok;
	if (!sa->nat_detected)
		return;
	sa_log(e, LOG_INFO, "%s: NAT detected between %s and %s (%s)",
	       sa->tunnel, sa_addr_str(&sa->local, l, sizeof(l)),
	       sa_addr_str(&sa->remote, r, sizeof(r)),
	       !me_ok && !peer_ok ? "both sides" : !me_ok ? "in front of us" :
	       "in front of the peer");
	if (sa->initiator && !sa->natt) {
		sa->natt = true;
		v1_set_port(&sa->local, 4500);
		v1_set_port(&sa->remote, 4500);
	}
}

void v1_p1_peer_vids(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m)
{
	for (unsigned int i = 0; i < m->n; i++) {
		struct v1pl_data d;
		enum v1vid vid;

		if (m->pl[i].type != IKEV1_PL_VID ||
		    v1pl_vid_parse(&m->pl[i], &d))
			continue;
		vid = v1vid_lookup(d.data, d.len);
		switch (vid) {
		case V1VID_DPD:
			sa->v1.peer_dpd = true;
			break;
		case V1VID_CISCO_UNITY:
			sa->v1.peer_unity = true;
			break;
		case V1VID_XAUTH:
			sa->v1.peer_xauth = true;
			break;
		case V1VID_NATT_RFC3947:
			sa->v1.peer_natt = true;
			sa->v1.natt_rfc = true;
			sa->v1.natt_draft = false;
			break;
		case V1VID_NATT_DRAFT_03:
		case V1VID_NATT_DRAFT_02N:
		case V1VID_NATT_DRAFT_02:
			sa->v1.peer_natt = true;
			/* The RFC's numbers when the peer speaks them too. */
			sa->v1.natt_draft = !sa->v1.natt_rfc;
			break;
		default:
			break;
		}
		if (vid != V1VID_UNKNOWN)
			sa_log(e, LOG_DEBUG, "%s: peer vendor ID: %s",
			       sa->tunnel, v1vid_name(vid));
	}
}

void v1_where(const struct ike_sa *sa, struct policy_v1_where *w,
	      struct policy_addr *peer)
{
	memset(w, 0, sizeof(*w));
	memset(peer, 0, sizeof(*peer));
	w->addr.family = (uint8_t)sa->local.ss_family;
	peer->family = (uint8_t)sa->remote.ss_family;
	if (sa->local.ss_family == AF_INET6)
		memcpy(w->addr.a,
		       &((const struct sockaddr_in6 *)&sa->local)->sin6_addr, 16);
	else
		memcpy(w->addr.a,
		       &((const struct sockaddr_in *)&sa->local)->sin_addr, 4);
	if (sa->remote.ss_family == AF_INET6)
		memcpy(peer->a,
		       &((const struct sockaddr_in6 *)&sa->remote)->sin6_addr, 16);
	else
		memcpy(peer->a,
		       &((const struct sockaddr_in *)&sa->remote)->sin_addr, 4);
}

static void v1_set_addr(struct sockaddr_storage *ss,
			const struct policy_addr *a, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = a->family;
	if (a->family == AF_INET6) {
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, a->a, 16);
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	} else if (a->family == AF_INET) {
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, a->a, 4);
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	}
}

int v1_set_policy(struct ike_sa *sa, const struct policy_v1_effective *eff)
{
	struct policy_effective *pol = &sa->pol;
	struct policy_v1_effective *copy = malloc(sizeof(*copy));

	if (!copy)
		return -ENOMEM;
	*copy = *eff;
	free(sa->v1.eff);
	sa->v1.eff = copy;
	if (sa->initiator && sa->remote.ss_family == AF_UNSPEC) {
		v1_set_addr(&sa->remote, &eff->peer, 500);
		if (eff->local.addr.family)
			v1_set_addr(&sa->local, &eff->local.addr, 500);
	}
	/* What the engine's version-neutral timers read (sa.h). */
	pol->tunnel = NULL;
	pol->v.sa_lifetime = eff->n_policy ? eff->policy[0]->lifetime :
					     POLICY_V1_LIFETIME;
	pol->v.child_lifetime = eff->seconds;
	pol->v.dpd_interval = eff->dpd.interval;
	pol->v.anti_replay = true;
	pol->initiate_rekey = true;
	pol->initial_contact = true;
	pol->ike_rekey_margin = POLICY_IKE_REKEY_MARGIN;
	pol->child_rekey_margin = POLICY_CHILD_REKEY_MARGIN;
	for (unsigned int i = 0; i < POLICY_RETRANSMITS; i++)
		pol->retransmit[i] = 2u << i;
	pol->retransmit_timeout = POLICY_RETRANSMIT_TIMEOUT;
	pol->auto_check_interval = POLICY_AUTO_CHECK_INTERVAL;
	return 0;
}

/* Is eff a tunnel that may come up, to peer, from w? */
static bool v1_tunnel_is_for(const struct policy_v1_effective *eff,
			     const struct policy_v1_where *w,
			     const struct policy_addr *peer)
{
	return !eff->shutdown && eff->can_come_up &&
	       policy_addr_equal(&eff->peer, peer) &&
	       (!eff->local.addr.family ||
		policy_addr_equal(&eff->local.addr, &w->addr));
}

bool v1_find_tunnel(struct ike_engine *e, const struct ike_sa *sa,
		    struct policy_v1_effective *eff)
{
	size_t n = policy_v1_count(e->cfg);
	struct policy_v1_where w;
	struct policy_addr peer;

	v1_where(sa, &w, &peer);
	for (size_t i = 0; i < n; i++) {
		policy_v1_effective(e->cfg, i, eff);
		if (v1_tunnel_is_for(eff, &w, &peer))
			return true;
	}
	return false;
}

bool v1_tunnel_holds(const struct ike_sa *sa)
{
	struct policy_v1_where w;
	struct policy_addr peer;

	if (!sa->v1.eff)
		return false;
	v1_where(sa, &w, &peer);
	return v1_tunnel_is_for(sa->v1.eff, &w, &peer);
}

/*
 * Both ends of a tunnel started a phase 1 at once (two VTIs come up
 * together): one must give way, or each ends with two ISAKMP SAs and two
 * IPsec SA pairs.  The end with the lower address gives way: it drops its
 * own negotiation and answers; the other drops the peer's first message
 * and goes on with its own.  true: drop the peer's (sa, new) first message.
 */
bool v1_p1_crossed(struct ike_engine *e, const struct ike_sa *sa)
{
	int cmp = 0;

	if (sa->local.ss_family == AF_INET)
		cmp = memcmp(&((const struct sockaddr_in *)&sa->local)->sin_addr,
			     &((const struct sockaddr_in *)&sa->remote)->sin_addr,
			     4);
	else if (sa->local.ss_family == AF_INET6)
		cmp = memcmp(&((const struct sockaddr_in6 *)&sa->local)->sin6_addr,
			     &((const struct sockaddr_in6 *)&sa->remote)->sin6_addr,
			     16);
	for (struct ike_sa *o = e->sas; o; o = o->next) {
		if (o == sa || o->ops != &ikev1_ops || !o->initiator ||
		    o->state != IKE_S_CONNECTING || o->v1.rekeys ||
		    strcmp(o->tunnel, sa->tunnel))
			continue;
		if (cmp > 0) {
			sa_log(e, LOG_INFO, "%s: the peer started a phase 1 while ours runs: ours goes on (the higher address)",
			       sa->tunnel);
			return true;
		}
		sa_log(e, LOG_INFO, "%s: the peer started a phase 1 while ours runs: ours gives way (the lower address)",
		       sa->tunnel);
		sa_ike_kill(e, o);
	}
	return false;
}

void v1_p1_done(struct ike_engine *e, struct ike_sa *sa)
{
	struct v1_ike *v = &sa->v1;

	v1crypt_iv_confirm(&v->iv);
	sa->pol.v.sa_lifetime = v->xf.life_secs ? v->xf.life_secs :
						  POLICY_V1_LIFETIME;
	sa->has_sel = true;
	sa->sel.encr = v->xf.encr;
	sa->sel.encr_bits = v->xf.encr_bits;
	sa->sel.prf = v->prf;
	sa->sel.dh = v->xf.group;
	secbuf_free(v->gxy);
	v->gxy = NULL;
	crypto_dh_free(sa->dh);
	sa->dh = NULL;
	sa_ike_reset_req(sa);
	if (v->eff) {
		struct v1pl_id id;
		uint8_t buf[16];

		v1_p1_our_id(sa, &id, buf);
		v1_p1_policy_id(&id, &sa->local_id);
	}
	sa->state = IKE_S_ESTABLISHED;
	ike_sa_established(e, sa);
	/*
	 * A phase 1 with a peer we already have one with, for the same
	 * tunnel: a rekey (ours or the peer's).  The new one takes the IPsec
	 * SAs; the old one goes (by our DELETE if we made this one, else by
	 * the peer's, or its lifetime).
	 *
	 * A peer such as strongSwan deletes the IPsec SAs of an ISAKMP SA
	 * with it, so after our own rekey the IPsec SAs are rekeyed over the
	 * new one first, and the old ISAKMP SA is deleted once they are.
	 */
	for (struct ike_sa *o = e->sas; o; o = o->next) {
		if (o == sa || o->ops != &ikev1_ops ||
		    o->state != IKE_S_ESTABLISHED || strcmp(o->tunnel, sa->tunnel))
			continue;
		sa_move_children(o, sa);
		o->state = IKE_S_REKEYED;
		if (v->rekeys)
			o->v1.delete_ms = e->now_ms + 2000ull * V1_DELETE_GRACE;
		o->ops->kick(e, o);
	}
	for (struct child_sa *c = sa->children; v->rekeys && c; c = c->next)
		if (c->state == CHILD_S_INSTALLED)
			c->want_rekey = true;
	/*
	 * The initiator's Quick Mode follows; a responder waits for it (and
	 * makes one itself if none comes: ike.c's tunnel check).
	 */
	/*
	 * As IKEv2 does: no IPsec SA can cross the NAT, so no ISAKMP SA
	 * (either side deletes it: each may have started one).
	 */
	if (!sa->children && sa_child_nat_refused(e, sa))
		sa->want_delete = true;
	else if (!sa->children && sa->initiator)
		sa->want_child = true;
	sa->ops->kick(e, sa);
}
