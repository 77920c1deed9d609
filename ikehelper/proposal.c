// SPDX-License-Identifier: GPL-2.0
/*
 * SA payload proposals: our offer from the policy, the responder's choice
 * ("the most secure" in our order of preference), and the check of the
 * answer an initiator gets back.
 */
#include <errno.h>
#include <string.h>

#include "crypto.h"
#include "proposal.h"

/* AES takes a Key Length attribute; 3DES and ChaCha20-Poly1305 do not. */
static bool prop_encr_has_bits(uint16_t id)
{
	return id == IKEV2_ENCR_AES_CBC || id == IKEV2_ENCR_AES_GCM_16;
}

static void prop_add_xf(struct pl_proposal *p, uint8_t type, uint16_t id,
			uint16_t bits)
{
	struct pl_transform *xf;

	if (p->n_xf >= PL_MAX_TRANSFORMS)
		return;
	xf = &p->xf[p->n_xf++];
	memset(xf, 0, sizeof(*xf));
	xf->type = type;
	xf->id = id;
	if (type == IKEV2_TRANS_ENCR && prop_encr_has_bits(id)) {
		xf->has_key_bits = true;
		xf->key_bits = bits;
	}
}

static const struct policy_alg *prop_alg(enum policy_alg_kind kind,
					 unsigned int idx)
{
	size_t n;
	const struct policy_alg *t = policy_algs(kind, &n);

	return idx < n ? &t[idx] : NULL;
}

static bool prop_dh_usable(uint16_t group)
{
	return group == IKEV2_DH_NONE || crypto_dh_supported(group);
}

/* The DH transforms of an offer: first_dh first, then the list. */
static void prop_add_dh(struct pl_proposal *p, const struct policy_alg_list *l,
			uint16_t first_dh, bool allow_none)
{
	bool real = false;
	unsigned int i;

	for (i = 0; i < l->n; i++) {
		const struct policy_alg *a = prop_alg(POLICY_KIND_DH, l->idx[i]);

		if (a && a->ikev2_id != IKEV2_DH_NONE)
			real = true;
	}
	if (!real)
		return;
	if (first_dh)
		prop_add_xf(p, IKEV2_TRANS_DH, first_dh, 0);
	for (i = 0; i < l->n; i++) {
		const struct policy_alg *a = prop_alg(POLICY_KIND_DH, l->idx[i]);

		if (!a || a->ikev2_id == first_dh ||
		    !prop_dh_usable(a->ikev2_id) ||
		    (a->ikev2_id == IKEV2_DH_NONE && !allow_none))
			continue;
		prop_add_xf(p, IKEV2_TRANS_DH, a->ikev2_id, 0);
	}
}

void prop_offer(const struct policy_opts *o, enum prop_kind kind,
		uint16_t first_dh, const uint8_t *spi, uint8_t spi_size,
		struct pl_sa *out)
{
	const struct policy_alg_list *enc, *integ;
	unsigned int pass, i;

	enc = kind == PROP_IKE ? &o->sa_enc : &o->child_enc;
	integ = kind == PROP_IKE ? &o->sa_integ : &o->child_integ;
	out->n_prop = 0;
	/* Pass 0: the AEADs alone; pass 1: the others with integrity. */
	for (pass = 0; pass < 2; pass++) {
		struct pl_proposal *p = &out->prop[out->n_prop];

		memset(p, 0, sizeof(*p));
		p->proto = kind == PROP_IKE ? IKEV2_PROTO_IKE : IKEV2_PROTO_ESP;
		p->spi_size = spi_size;
		if (spi_size)
			memcpy(p->spi, spi, spi_size);
		for (i = 0; i < enc->n; i++) {
			const struct policy_alg *a = prop_alg(POLICY_KIND_ENC,
							      enc->idx[i]);

			if (a && !!(a->flags & POLICY_ALG_AEAD) == !pass)
				prop_add_xf(p, IKEV2_TRANS_ENCR, a->ikev2_id,
					    a->bits);
		}
		if (!p->n_xf)
			continue;
		if (pass) {
			for (i = 0; i < integ->n; i++) {
				const struct policy_alg *a =
					prop_alg(POLICY_KIND_INTEG, integ->idx[i]);

				if (a)
					prop_add_xf(p, IKEV2_TRANS_INTEG,
						    a->ikev2_id, 0);
			}
		}
		if (kind == PROP_IKE) {
			for (i = 0; i < o->sa_prf.n; i++) {
				const struct policy_alg *a =
					prop_alg(POLICY_KIND_PRF, o->sa_prf.idx[i]);

				if (a)
					prop_add_xf(p, IKEV2_TRANS_PRF,
						    a->ikev2_id, 0);
			}
			prop_add_dh(p, &o->sa_dh, first_dh, false);
		} else {
			if (kind == PROP_CHILD_PFS)
				prop_add_dh(p, &o->child_pfs, first_dh, true);
			prop_add_xf(p, IKEV2_TRANS_ESN, IKEV2_ESN_NONE, 0);
		}
		p->num = (uint8_t)(out->n_prop + 1);
		out->n_prop++;
	}
}

static bool prop_has(const struct pl_proposal *p, uint8_t type, uint16_t id,
		     bool check_bits, uint16_t bits)
{
	for (unsigned int i = 0; i < p->n_xf; i++) {
		const struct pl_transform *xf = &p->xf[i];

		if (xf->type != type || xf->id != id || xf->unknown_attr)
			continue;
		if (check_bits && (!xf->has_key_bits || xf->key_bits != bits))
			continue;
		if (!check_bits && xf->has_key_bits)
			continue;
		return true;
	}
	return false;
}

static unsigned int prop_count(const struct pl_proposal *p, uint8_t type)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < p->n_xf; i++)
		n += p->xf[i].type == type;
	return n;
}

/*
 * Our most preferred algorithm of list l that p offers: its rank, or -1.
 * aead: -1 any, 0 only non-AEAD, 1 only AEAD (for ENCR).
 */
static int prop_pick(const struct pl_proposal *p, enum policy_alg_kind kind,
		     uint8_t type, const struct policy_alg_list *l, int aead,
		     uint16_t *id, uint16_t *bits)
{
	for (unsigned int i = 0; i < l->n; i++) {
		const struct policy_alg *a = prop_alg(kind, l->idx[i]);
		bool with_bits;

		if (!a)
			continue;
		if (aead >= 0 && !!(a->flags & POLICY_ALG_AEAD) != aead)
			continue;
		if (kind == POLICY_KIND_DH && a->ikev2_id != IKEV2_DH_NONE &&
		    !crypto_dh_supported(a->ikev2_id))
			continue;
		with_bits = type == IKEV2_TRANS_ENCR &&
			    prop_encr_has_bits(a->ikev2_id);
		if (!prop_has(p, type, a->ikev2_id, with_bits, a->bits))
			continue;
		*id = a->ikev2_id;
		if (bits)
			*bits = with_bits ? a->bits : 0;
		return (int)i;
	}
	return -1;
}

static bool prop_list_has(enum policy_alg_kind kind,
			  const struct policy_alg_list *l, uint16_t id)
{
	for (unsigned int i = 0; i < l->n; i++) {
		const struct policy_alg *a = prop_alg(kind, l->idx[i]);

		if (a && a->ikev2_id == id)
			return true;
	}
	return false;
}

/* Rank one proposal; false when it is not acceptable. */
static bool prop_rank(const struct pl_proposal *p, const struct policy_opts *o,
		      enum prop_kind kind, uint16_t ke_group,
		      struct prop_sel *s, int rank[4])
{
	const struct policy_alg_list *enc, *integ;
	bool has_integ = false;
	int aead;

	memset(s, 0, sizeof(*s));
	enc = kind == PROP_IKE ? &o->sa_enc : &o->child_enc;
	integ = kind == PROP_IKE ? &o->sa_integ : &o->child_integ;
	for (unsigned int i = 0; i < p->n_xf; i++) {
		if (p->xf[i].type == IKEV2_TRANS_INTEG &&
		    p->xf[i].id != IKEV2_INTEG_NONE)
			has_integ = true;
	}
	aead = has_integ ? 0 : 1;
	rank[0] = prop_pick(p, POLICY_KIND_ENC, IKEV2_TRANS_ENCR, enc, aead,
			    &s->encr, &s->encr_bits);
	if (rank[0] < 0)
		return false;
	rank[1] = 0;
	s->integ = IKEV2_INTEG_NONE;
	if (!aead) {
		rank[1] = prop_pick(p, POLICY_KIND_INTEG, IKEV2_TRANS_INTEG,
				    integ, -1, &s->integ, NULL);
		if (rank[1] < 0)
			return false;
	}
	rank[2] = 0;
	rank[3] = 0;
	s->dh = IKEV2_DH_NONE;
	if (kind == PROP_IKE) {
		rank[2] = prop_pick(p, POLICY_KIND_PRF, IKEV2_TRANS_PRF,
				    &o->sa_prf, -1, &s->prf, NULL);
		if (rank[2] < 0)
			return false;
		if (ke_group && prop_has(p, IKEV2_TRANS_DH, ke_group, false, 0) &&
		    prop_list_has(POLICY_KIND_DH, &o->sa_dh, ke_group) &&
		    crypto_dh_supported(ke_group))
			s->dh = ke_group;
		else if (prop_pick(p, POLICY_KIND_DH, IKEV2_TRANS_DH, &o->sa_dh,
				   -1, &s->dh, NULL) < 0 ||
			 s->dh == IKEV2_DH_NONE)
			return false;
	} else if (kind == PROP_CHILD_PFS) {
		if (!prop_count(p, IKEV2_TRANS_DH)) {
			if (!prop_list_has(POLICY_KIND_DH, &o->child_pfs,
					   IKEV2_DH_NONE) && o->child_pfs.n)
				return false;
		} else if (ke_group &&
			   prop_has(p, IKEV2_TRANS_DH, ke_group, false, 0) &&
			   prop_list_has(POLICY_KIND_DH, &o->child_pfs,
					 ke_group) &&
			   crypto_dh_supported(ke_group)) {
			s->dh = ke_group;
		} else {
			rank[3] = prop_pick(p, POLICY_KIND_DH, IKEV2_TRANS_DH,
					    &o->child_pfs, -1, &s->dh, NULL);
			if (rank[3] < 0)
				return false;
		}
	}
	if (kind != PROP_IKE) {
		if (prop_has(p, IKEV2_TRANS_ESN, IKEV2_ESN_NONE, false, 0) ||
		    !prop_count(p, IKEV2_TRANS_ESN))
			s->esn = false;
		else if (prop_has(p, IKEV2_TRANS_ESN, IKEV2_ESN_YES, false, 0))
			s->esn = true;
		else
			return false;
	}
	s->num = p->num;
	s->proto = p->proto;
	s->spi_size = p->spi_size;
	memcpy(s->spi, p->spi, p->spi_size);
	return true;
}

int prop_choose(const struct pl_sa *offer, const struct policy_opts *o,
		enum prop_kind kind, uint16_t ke_group, struct prop_sel *out)
{
	uint8_t proto = kind == PROP_IKE ? IKEV2_PROTO_IKE : IKEV2_PROTO_ESP;
	int best[4] = { 0 };
	bool found = false;

	for (unsigned int i = 0; i < offer->n_prop; i++) {
		const struct pl_proposal *p = &offer->prop[i];
		struct prop_sel s;
		int rank[4];
		int cmp = 0;

		if (p->proto != proto)
			continue;
		if (proto == IKEV2_PROTO_ESP && p->spi_size != 4)
			continue;
		if (proto == IKEV2_PROTO_IKE && p->spi_size != 0 &&
		    p->spi_size != 8)
			continue;
		if (!prop_rank(p, o, kind, ke_group, &s, rank))
			continue;
		for (int k = 0; k < 4 && !cmp; k++)
			cmp = rank[k] - best[k];
		if (!found || cmp < 0) {
			*out = s;
			memcpy(best, rank, sizeof(best));
			found = true;
		}
	}
	return found ? 0 : -ENOENT;
}

void prop_answer(const struct prop_sel *sel, const uint8_t *spi,
		 uint8_t spi_size, struct pl_sa *out)
{
	struct pl_proposal *p = &out->prop[0];

	out->n_prop = 1;
	memset(p, 0, sizeof(*p));
	p->num = sel->num;
	p->proto = sel->proto;
	p->spi_size = spi_size;
	if (spi_size)
		memcpy(p->spi, spi, spi_size);
	prop_add_xf(p, IKEV2_TRANS_ENCR, sel->encr, sel->encr_bits);
	if (sel->proto == IKEV2_PROTO_IKE)
		prop_add_xf(p, IKEV2_TRANS_PRF, sel->prf, 0);
	if (sel->integ != IKEV2_INTEG_NONE)
		prop_add_xf(p, IKEV2_TRANS_INTEG, sel->integ, 0);
	if (sel->dh != IKEV2_DH_NONE)
		prop_add_xf(p, IKEV2_TRANS_DH, sel->dh, 0);
	if (sel->proto == IKEV2_PROTO_ESP)
		prop_add_xf(p, IKEV2_TRANS_ESN,
			    sel->esn ? IKEV2_ESN_YES : IKEV2_ESN_NONE, 0);
}

int prop_check_answer(const struct pl_sa *answer, const struct pl_sa *offer,
		      enum prop_kind kind, struct prop_sel *out)
{
	const struct pl_proposal *a, *ours = NULL;
	unsigned int seen[6] = { 0 };

	if (answer->n_prop != 1)
		return -EBADMSG;
	a = &answer->prop[0];
	for (unsigned int i = 0; i < offer->n_prop; i++) {
		if (offer->prop[i].num == a->num &&
		    offer->prop[i].proto == a->proto)
			ours = &offer->prop[i];
	}
	if (!ours)
		return -EBADMSG;
	if ((a->proto == IKEV2_PROTO_ESP && a->spi_size != 4) ||
	    (a->proto == IKEV2_PROTO_IKE && a->spi_size != ours->spi_size))
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	out->integ = IKEV2_INTEG_NONE;
	out->dh = IKEV2_DH_NONE;
	for (unsigned int i = 0; i < a->n_xf; i++) {
		const struct pl_transform *xf = &a->xf[i];

		if (xf->type < IKEV2_TRANS_ENCR || xf->type > IKEV2_TRANS_ESN ||
		    seen[xf->type]++ ||
		    !prop_has(ours, xf->type, xf->id, xf->has_key_bits,
			      xf->key_bits))
			return -EBADMSG;
		switch (xf->type) {
		case IKEV2_TRANS_ENCR:
			out->encr = xf->id;
			out->encr_bits = xf->has_key_bits ? xf->key_bits : 0;
			break;
		case IKEV2_TRANS_PRF:
			out->prf = xf->id;
			break;
		case IKEV2_TRANS_INTEG:
			out->integ = xf->id;
			break;
		case IKEV2_TRANS_DH:
			out->dh = xf->id;
			break;
		case IKEV2_TRANS_ESN:
			out->esn = xf->id == IKEV2_ESN_YES;
			break;
		}
	}
	if (!seen[IKEV2_TRANS_ENCR])
		return -EBADMSG;
	if (kind == PROP_IKE && (!seen[IKEV2_TRANS_PRF] ||
				 out->dh == IKEV2_DH_NONE))
		return -EBADMSG;
	if (kind == PROP_CHILD && out->dh != IKEV2_DH_NONE)
		return -EBADMSG;
	{
		struct crypto_encr e;

		if (crypto_encr_lookup(out->encr, out->encr_bits, &e) ||
		    e.aead != (out->integ == IKEV2_INTEG_NONE))
			return -EBADMSG;
	}
	out->num = a->num;
	out->proto = a->proto;
	out->spi_size = a->spi_size;
	memcpy(out->spi, a->spi, a->spi_size);
	return 0;
}

static const char *prop_display(enum policy_alg_kind kind, uint16_t id,
				uint16_t bits)
{
	size_t n;
	const struct policy_alg *t = policy_algs(kind, &n);

	for (size_t i = 0; i < n; i++) {
		if (t[i].ikev2_id != id)
			continue;
		if (kind == POLICY_KIND_ENC && prop_encr_has_bits(id) &&
		    t[i].bits != bits)
			continue;
		return t[i].display;
	}
	return "";
}

const char *prop_encr_name(const struct prop_sel *s)
{
	return prop_display(POLICY_KIND_ENC, s->encr, s->encr_bits);
}

const char *prop_integ_name(const struct prop_sel *s)
{
	if (s->integ == IKEV2_INTEG_NONE)
		return "";
	return prop_display(POLICY_KIND_INTEG, s->integ, 0);
}

const char *prop_prf_name(const struct prop_sel *s)
{
	return prop_display(POLICY_KIND_PRF, s->prf, 0);
}

const char *prop_dh_name(uint16_t group)
{
	return prop_display(POLICY_KIND_DH, group, 0);
}
