// SPDX-License-Identifier: GPL-2.0
/*
 * The IPsec SAs a Quick Mode makes (quick_mode.c holds the exchange):
 * transform sets as ESP transforms, the tunnel's selectors as client IDs
 * and back, KEYMAT into kernel SAs (RFC 2409 5.5), their lifetimes and
 * RESPONDER-LIFETIME, and make-before-break when one pair replaces
 * another.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ikev1.h"

/* A transform set as an ESP transform (ikev1/xform.h); false for SEAL. */
bool v1_tset_xf(const struct ike_sa *sa,
		const struct policy_transform_set *t,
		const struct policy_v1_effective *eff,
		struct v1xf_esp *xf)
{
	static const uint16_t integ[POLICY_ESP_AUTH_COUNT] = {
		[POLICY_ESP_AUTH_NONE] = IKEV2_INTEG_NONE,
		[POLICY_ESP_AUTH_MD5] = IKEV2_INTEG_HMAC_MD5_96,
		[POLICY_ESP_AUTH_SHA1] = IKEV2_INTEG_HMAC_SHA1_96,
		[POLICY_ESP_AUTH_SHA256] = IKEV2_INTEG_HMAC_SHA2_256_128,
		[POLICY_ESP_AUTH_SHA384] = IKEV2_INTEG_HMAC_SHA2_384_192,
		[POLICY_ESP_AUTH_SHA512] = IKEV2_INTEG_HMAC_SHA2_512_256,
	};
	const struct policy_v1_alg *g;

	memset(xf, 0, sizeof(*xf));
	switch (t->enc) {
	case POLICY_ESP_ENC_DES:
		xf->encr = IKEV2_ENCR_DES;
		break;
	case POLICY_ESP_ENC_3DES:
		xf->encr = IKEV2_ENCR_3DES;
		break;
	case POLICY_ESP_ENC_AES:
		xf->encr = IKEV2_ENCR_AES_CBC;
		xf->encr_bits = t->enc_bits ? t->enc_bits : 128;
		break;
	case POLICY_ESP_ENC_GCM:
		xf->encr = IKEV2_ENCR_AES_GCM_16;
		xf->encr_bits = t->enc_bits ? t->enc_bits : 128;
		break;
	case POLICY_ESP_ENC_NULL:
		xf->encr = IKEV2_ENCR_NULL;
		break;
	default:
		return false;	/* SEAL, or authentication only */
	}
	if (t->auth >= POLICY_ESP_AUTH_COUNT ||
	    (t->auth == POLICY_ESP_AUTH_NONE && xf->encr != IKEV2_ENCR_AES_GCM_16))
		return false;
	xf->integ = integ[t->auth];
	/* Across a NAT, ESP goes in UDP (RFC 3947 5.1, or the drafts'). */
	xf->encap = !sa->nat_detected ? IKEV1_ENCAP_TUNNEL :
		    sa->v1.natt_draft ? IKEV1_ENCAP_UDP_TUNNEL_DRAFT :
					IKEV1_ENCAP_UDP_TUNNEL;
	if (eff->pfs) {
		g = policy_v1_alg(POLICY_V1_KIND_GROUP, eff->pfs - 1u);
		if (!g)
			return false;
		xf->group = g->value;
	}
	xf->life_secs = eff->seconds;
	xf->life_kbytes = eff->kb;
	return true;
}

bool v1_esp_same(const struct v1xf_esp *a, const struct v1xf_esp *b)
{
	return a->encr == b->encr && a->encr_bits == b->encr_bits &&
	       a->integ == b->integ && a->group == b->group &&
	       (!b->encap || b->encap == a->encap);
}

uint32_t v1_life_min(uint32_t a, uint32_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

/* A selector pair of the policy as pl_ts, ours and the peer's. */
void v1_pair_ts(const struct policy_ts *t, struct pl_ts *out)
{
	memset(out, 0, sizeof(*out));
	out->type = t->family == AF_INET6 ? IKEV2_TS_IPV6_ADDR_RANGE :
					    IKEV2_TS_IPV4_ADDR_RANGE;
	out->proto = t->proto;
	out->start_port = t->port_start;
	out->end_port = t->port_end;
	memcpy(out->start, t->start, 16);
	memcpy(out->end, t->end, 16);
}

void v1_id_ts(const struct v1pl_id *id, struct pl_ts *out)
{
	memset(out, 0, sizeof(*out));
	out->type = id->family == AF_INET6 ? IKEV2_TS_IPV6_ADDR_RANGE :
					     IKEV2_TS_IPV4_ADDR_RANGE;
	out->proto = id->proto;
	out->start_port = id->port;
	out->end_port = id->port ? id->port : 0xffff;
	memcpy(out->start, id->start, 16);
	memcpy(out->end, id->end, 16);
}

int v1_ts_id(const struct pl_ts *t, struct v1pl_id *id, uint8_t *buf)
{
	uint8_t fam = t->type == IKEV2_TS_IPV6_ADDR_RANGE ? AF_INET6 : AF_INET;
	uint16_t port = t->start_port == t->end_port ? t->start_port : 0;

	return v1pl_id_from_range(id, buf, fam, t->start, t->end, t->proto,
				  port) ? -EINVAL : 0;
}

int v1_child_set_ts(struct child_sa *c, const struct pl_ts *l,
		    const struct pl_ts *r)
{
	struct pl_ts *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));

	if (!a || !b) {
		free(a);
		free(b);
		return -ENOMEM;
	}
	*a = *l;
	*b = *r;
	free(c->ts_l);
	free(c->ts_r);
	c->ts_l = a;
	c->ts_r = b;
	c->n_ts_l = c->n_ts_r = 1;
	return 0;
}

void v1_child_timers(struct ike_engine *e, struct ike_sa *sa,
		     struct child_sa *c, uint32_t life_s)
{
	uint64_t margin = sa->pol.child_rekey_margin;

	if (margin * 2 > life_s)
		margin = life_s / 4;
	c->created_ms = e->now_ms;
	c->expire_ms = e->now_ms + 1000ull * life_s;
	/*
	 * Either end may rekey; the one that made the pair goes first, the
	 * other later, so that two rekeys rarely cross.
	 */
	c->rekey_ms = e->now_ms +
		1000ull * (life_s - (c->initiated ? margin : margin / 2));
}

/*
 * The keys of c from KEYMAT and its kernel SAs: the inbound one, and the
 * outbound one unless it must wait (responder before QM3, commit bit).
 */
int v1_child_install(struct ike_engine *e, struct ike_sa *sa,
		     struct child_sa *c, struct v1_qm *qm,
		     bool out_now)
{
	struct keymat_v1_sa kin = { 0 }, kout = { 0 };
	struct kernel_sa *in = calloc(1, sizeof(*in));
	struct kernel_sa *out = calloc(1, sizeof(*out));
	struct backend *be = e->env.be;
	struct secbuf *gqm = NULL;
	uint8_t spi[4];
	int err = -ENOMEM;

	if (!in || !out)
		goto done;
	gqm = qm->group ? qm->gxy : NULL;
	msg_set32(spi, c->spi_in);
	err = keymat_v1_esp_sa(sa->v1.prf, sa->v1.km.skeyid_d, gqm, spi,
			       qm->ni->data, qm->ni->len, qm->nr->data,
			       qm->nr->len, qm->xf.encr, qm->xf.encr_bits,
			       qm->xf.integ, &kin);
	msg_set32(spi, c->spi_out);
	if (!err)
		err = keymat_v1_esp_sa(sa->v1.prf, sa->v1.km.skeyid_d, gqm, spi,
				       qm->ni->data, qm->ni->len, qm->nr->data,
				       qm->nr->len, qm->xf.encr,
				       qm->xf.encr_bits, qm->xf.integ, &kout);
	if (!err)
		err = sa_child_kernel(sa, c, qm->life_s, IKEVTI_DIR_IN, kin.encr,
				      kin.integ, in);
	if (!err)
		err = sa_child_kernel(sa, c, qm->life_s, IKEVTI_DIR_OUT,
				      kout.encr, kout.integ, out);
	if (err)
		goto done;
	if (qm->life_kb) {
		in->lifetime.hard_bytes = 1024ull * qm->life_kb;
		out->lifetime.hard_bytes = 1024ull * qm->life_kb;
	}
	in->cookie = out->cookie = c->spi_in;
	err = be ? be->ops->sa_add(be, sa->tunnel, in) : 0;
	if (err)
		goto done;
	c->in_installed = true;
	if (out_now) {
		err = be ? be->ops->sa_add(be, sa->tunnel, out) : 0;
		if (err)
			goto done;
		c->out_installed = true;
		c->state = CHILD_S_INSTALLED;
	} else {
		/* Added by sa_child_complete() when the peer confirms. */
		c->pending_out = out;
		out = NULL;
		c->state = CHILD_S_HALF;
	}
	e->stats.child_sa_created++;
	sa_event(e, sa->tunnel, "IPsec SA created, in 0x%08x out 0x%08x",
		 c->spi_in, c->spi_out);
	v1_child_timers(e, sa, c, qm->life_s);
done:
	keymat_v1_sa_free(&kin);
	keymat_v1_sa_free(&kout);
	if (in) {
		secbuf_wipe(in, sizeof(*in));
		free(in);
	}
	if (out) {
		secbuf_wipe(out, sizeof(*out));
		free(out);
	}
	return err;
}

/* Make-before-break: old, replaced, goes a little later (by DELETE). */
void v1_child_replaced(struct ike_engine *e, struct child_sa *old)
{
	old->state = CHILD_S_REKEYED;
	old->want_rekey = false;
	old->rekey_ms = IKE_NO_TIMER;
	old->expire_ms = e->now_ms + 1000ull * V1_DELETE_GRACE;
}

/*
 * IKEv1 does not say which IPsec SA a Quick Mode replaces: as a
 * responder, a new pair replaces the installed ones of the same
 * selectors (IOS and strongSwan rekey so), which then go after the grace.
 */
void v1_child_replaces_same(struct ike_engine *e, struct ike_sa *sa,
			    const struct child_sa *c)
{
	for (struct child_sa *o = sa->children; o; o = o->next) {
		if (o == c || o->state != CHILD_S_INSTALLED ||
		    o->n_ts_l != 1 || o->n_ts_r != 1 || c->n_ts_l != 1 ||
		    c->n_ts_r != 1 ||
		    memcmp(o->ts_l, c->ts_l, sizeof(*c->ts_l)) ||
		    memcmp(o->ts_r, c->ts_r, sizeof(*c->ts_r)))
			continue;
		sa_log(e, LOG_INFO, "%s: IPsec SA in 0x%08x out 0x%08x is replaced by in 0x%08x out 0x%08x",
		       sa->tunnel, o->spi_in, o->spi_out, c->spi_in, c->spi_out);
		v1_child_replaced(e, o);
	}
}

/* The RESPONDER-LIFETIME data: life type and duration attributes. */
size_t v1_life_attrs(uint32_t secs, uint32_t kb, uint8_t *buf)
{
	size_t n = 0;

	if (secs) {
		msg_set16(buf + n, 0x8000 | IKEV1_ATTR_SA_LIFE_TYPE);
		msg_set16(buf + n + 2, IKEV1_LIFE_SECONDS);
		msg_set16(buf + n + 4, IKEV1_ATTR_SA_LIFE_DURATION);
		msg_set16(buf + n + 6, 4);
		msg_set32(buf + n + 8, secs);
		n += 12;
	}
	if (kb) {
		msg_set16(buf + n, 0x8000 | IKEV1_ATTR_SA_LIFE_TYPE);
		msg_set16(buf + n + 2, IKEV1_LIFE_KILOBYTES);
		msg_set16(buf + n + 4, IKEV1_ATTR_SA_LIFE_DURATION);
		msg_set16(buf + n + 6, 4);
		msg_set32(buf + n + 8, kb);
		n += 12;
	}
	return n;
}

/* Read what a RESPONDER-LIFETIME says; each attribute checked in bounds. */
void v1_read_life(const struct v1pl_notify *n, uint32_t *secs,
		  uint32_t *kb)
{
	const uint8_t *p = n->data, *end = n->data + n->len;
	uint16_t type = 0;

	while (end - p >= 4) {
		uint16_t t = msg_get16(p), v = msg_get16(p + 2);
		uint64_t val = v;

		if (t & 0x8000) {
			p += 4;
		} else {
			if ((size_t)(end - p) < 4u + v || v > 8)
				return;
			val = 0;
			for (unsigned int i = 0; i < v; i++)
				val = val << 8 | p[4 + i];
			p += 4 + v;
		}
		t &= 0x7fff;
		if (t == IKEV1_ATTR_SA_LIFE_TYPE)
			type = (uint16_t)val;
		else if (t == IKEV1_ATTR_SA_LIFE_DURATION && val <= UINT32_MAX) {
			if (type == IKEV1_LIFE_SECONDS)
				*secs = v1_life_min(*secs, (uint32_t)val);
			else if (type == IKEV1_LIFE_KILOBYTES)
				*kb = v1_life_min(*kb, (uint32_t)val);
		}
	}
}
