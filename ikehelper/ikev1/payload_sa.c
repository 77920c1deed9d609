// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv1 SA payload: DOI, situation, Proposal and Transform payloads
 * nested inside it (RFC 2408 3.4-3.6), and the data attributes of each
 * transform (RFC 2408 3.3, RFC 2409 Appendix A, RFC 2407 4.5).
 *
 * Proposals and transforms are ISAKMP payloads of their own, with a
 * generic header whose Next Payload says whether another one follows
 * (P: 2, T: 3, last: 0); every length is checked against what is left of
 * the enclosing structure before anything inside it is read.
 */
#include <string.h>

#include "payload.h"

/* A bounded reader over a body. */
struct cur {
	const uint8_t *p;
	size_t left;
};

static bool cur_take(struct cur *c, size_t n, const uint8_t **out)
{
	if (n > c->left)
		return false;
	*out = c->p;
	c->p += n;
	c->left -= n;
	return true;
}

/*
 * How an attribute may be encoded (RFC 2409 Appendix A: "Attributes
 * described as basic MUST NOT be encoded as variable"; RFC 2407 4.5 marks
 * the same for IPsec).  Variable ones may be TV when the value fits in
 * two octets, else TLV up to max bytes.  Unknown types may be either.
 */
enum attr_class { A_UNKNOWN, A_BASIC, A_VARIABLE };

static enum attr_class attr_class(uint8_t proto, uint16_t type,
				  uint16_t *max)
{
	*max = 0xffff;
	if (proto == IKEV1_PROTO_ISAKMP) {
		switch (type) {
		case IKEV1_ATTR_ENCRYPTION:
		case IKEV1_ATTR_HASH:
		case IKEV1_ATTR_AUTH_METHOD:
		case IKEV1_ATTR_GROUP_DESC:
		case IKEV1_ATTR_GROUP_TYPE:
		case IKEV1_ATTR_LIFE_TYPE:
		case IKEV1_ATTR_PRF:
		case IKEV1_ATTR_KEY_LENGTH:
		case IKEV1_ATTR_FIELD_SIZE:
			return A_BASIC;
		case IKEV1_ATTR_LIFE_DURATION:
			*max = V1PL_ATTR_VALUE_MAX;
			return A_VARIABLE;
		case IKEV1_ATTR_GROUP_PRIME:
		case IKEV1_ATTR_GROUP_GEN_ONE:
		case IKEV1_ATTR_GROUP_GEN_TWO:
		case IKEV1_ATTR_GROUP_CURVE_A:
		case IKEV1_ATTR_GROUP_CURVE_B:
		case IKEV1_ATTR_GROUP_ORDER:
			*max = 1024;	/* a prime of MODP 8192 */
			return A_VARIABLE;
		}
		return A_UNKNOWN;
	}
	switch (type) {
	case IKEV1_ATTR_SA_LIFE_TYPE:
	case IKEV1_ATTR_PFS_GROUP:
	case IKEV1_ATTR_ENCAP_MODE:
	case IKEV1_ATTR_AUTH_ALG:
	case IKEV1_ATTR_IPSEC_KEY_LENGTH:
	case IKEV1_ATTR_KEY_ROUNDS:
	case IKEV1_ATTR_COMPRESS_DICT_SIZE:
	case IKEV1_ATTR_ECN_TUNNEL:
	case IKEV1_ATTR_ESN:
		return A_BASIC;
	case IKEV1_ATTR_SA_LIFE_DURATION:
		*max = V1PL_ATTR_VALUE_MAX;
		return A_VARIABLE;
	case IKEV1_ATTR_COMPRESS_PRIVATE_ALG:
		return A_VARIABLE;
	}
	return A_UNKNOWN;
}

/* Life Type and Life Duration have the same numbers in both classes. */
static uint16_t life_type_attr(uint8_t proto)
{
	return proto == IKEV1_PROTO_ISAKMP ? IKEV1_ATTR_LIFE_TYPE
					   : IKEV1_ATTR_SA_LIFE_TYPE;
}

static uint16_t life_duration_attr(uint8_t proto)
{
	return proto == IKEV1_PROTO_ISAKMP ? IKEV1_ATTR_LIFE_DURATION
					   : IKEV1_ATTR_SA_LIFE_DURATION;
}

/*
 * The rules across a transform's attributes: no type twice, except that
 * Life Type / Life Duration pairs repeat (one per kind of limit: RFC 2409
 * Appendix A, RFC 2407 4.5), each Duration right after its Type, and a
 * life type at most once.
 */
static enum v1_err attrs_check(uint8_t proto, const struct v1pl_transform *xf)
{
	uint16_t lt = life_type_attr(proto), ld = life_duration_attr(proto);
	unsigned int i, j;

	for (i = 0; i < xf->n_attr; i++) {
		const struct v1pl_attr *a = &xf->attr[i];
		bool after_type = i > 0 && xf->attr[i - 1].type == lt;

		if (a->type == lt) {
			if (i + 1 >= xf->n_attr || xf->attr[i + 1].type != ld)
				return V1_E_PROPOSAL_SYNTAX;
		} else if (a->type == ld && !after_type) {
			return V1_E_PROPOSAL_SYNTAX;
		}
		for (j = 0; j < i; j++) {
			const struct v1pl_attr *b = &xf->attr[j];

			if (b->type != a->type)
				continue;
			if (a->type == ld)
				continue;	/* its Type was checked */
			if (a->type != lt || b->value == a->value)
				return V1_E_PROPOSAL_SYNTAX;
		}
	}
	return V1_OK;
}

static enum v1_err parse_attrs(uint8_t proto, const uint8_t *p, size_t len,
			       struct v1pl_transform *xf)
{
	struct cur c = { p, len };
	const uint8_t *h, *v;

	while (c.left) {
		struct v1pl_attr *a;
		enum attr_class cls;
		uint16_t type, val, max;
		size_t i;

		if (!cur_take(&c, 4, &h))
			return V1_E_PROPOSAL_SYNTAX;
		if (xf->n_attr >= V1PL_MAX_ATTRS)
			return V1_E_TOO_MANY;
		type = msg_get16(h) & 0x7fff;
		val = msg_get16(h + 2);
		cls = attr_class(proto, type, &max);
		a = &xf->attr[xf->n_attr++];
		memset(a, 0, sizeof(*a));
		a->type = type;
		if (msg_get16(h) & V1PL_AF_TV) {
			a->len = 2;
			a->value = val;
			continue;
		}
		/* TLV: val is the length of the value that follows */
		if (cls == A_BASIC || !val || val > max ||
		    !cur_take(&c, val, &v))
			return V1_E_PROPOSAL_SYNTAX;
		a->tlv = true;
		a->len = val;
		a->data = v;
		if (val <= V1PL_ATTR_VALUE_MAX)
			for (i = 0; i < val; i++)
				a->value = a->value << 8 | v[i];
	}
	return attrs_check(proto, xf);
}

#define V1_MORE_PROPOSALS	IKEV1_PL_P
#define V1_MORE_TRANSFORMS	IKEV1_PL_T

static enum v1_err parse_transforms(struct cur *c, unsigned int count,
				    struct v1pl_sa *sa,
				    struct v1pl_proposal *prop)
{
	uint8_t last = V1_MORE_TRANSFORMS;
	enum v1_err err;
	unsigned int i;

	/* RFC 2408 3.5: at least one transform per proposal */
	if (!count)
		return V1_E_PROPOSAL_SYNTAX;
	prop->first_xf = sa->n_xf;
	for (i = 0; i < count; i++) {
		struct v1pl_transform *xf;
		const uint8_t *h, *attrs;
		uint16_t tlen;

		if (last != V1_MORE_TRANSFORMS || !cur_take(c, 8, &h))
			return V1_E_PROPOSAL_SYNTAX;
		last = h[0];
		tlen = msg_get16(h + 2);
		if ((last != 0 && last != V1_MORE_TRANSFORMS) || tlen < 8 ||
		    !cur_take(c, tlen - 8u, &attrs))
			return V1_E_PROPOSAL_SYNTAX;
		if (sa->n_xf >= V1PL_MAX_TRANSFORMS)
			return V1_E_OFFER_SIZE;
		xf = &sa->xf[sa->n_xf++];
		prop->n_xf++;
		xf->num = h[4];
		xf->id = h[5];
		xf->n_attr = 0;
		err = parse_attrs(prop->proto, attrs, tlen - 8u, xf);
		if (err)
			return err;
	}
	/* The count and the Next Payload fields must agree; nothing after. */
	if (last != 0 || c->left)
		return V1_E_PROPOSAL_SYNTAX;
	return V1_OK;
}

static bool spi_size_ok(uint8_t proto, uint8_t size)
{
	switch (proto) {
	case IKEV1_PROTO_ISAKMP:
		/* RFC 2408 2.4: none, or the cookies (which are ignored) */
		return size == 0 || size == 16;
	case IKEV1_PROTO_IPSEC_AH:
	case IKEV1_PROTO_IPSEC_ESP:
		return size == 4;
	case IKEV1_PROTO_IPCOMP:
		/* RFC 2393 4.1: a 2-byte CPI, or 4 with the CPI last */
		return size == 2 || size == 4;
	}
	return false;
}

enum v1_err v1pl_sa_parse(const struct msg_payload *p, struct v1pl_sa *out)
{
	struct cur c = { p->body, p->len };
	uint8_t last = V1_MORE_PROPOSALS;
	const uint8_t *h;
	enum v1_err err;

	out->n_prop = 0;
	out->n_xf = 0;
	out->body = p->body;
	out->body_len = p->len;
	if (!cur_take(&c, 8, &h))
		return V1_E_MALFORMED;
	out->doi = msg_get32(h);
	out->situation = msg_get32(h + 4);
	if (out->doi != IKEV1_DOI_IPSEC)
		return V1_E_DOI;
	if (out->situation != IKEV1_SIT_IDENTITY_ONLY)
		return V1_E_SITUATION;
	while (c.left) {
		struct v1pl_proposal *prop;
		const uint8_t *body, *spi;
		struct cur pc;
		uint16_t plen;

		if (last != V1_MORE_PROPOSALS || !cur_take(&c, 8, &h))
			return V1_E_PROPOSAL_SYNTAX;
		last = h[0];
		plen = msg_get16(h + 2);
		if ((last != 0 && last != V1_MORE_PROPOSALS) || plen < 8 ||
		    !cur_take(&c, plen - 8u, &body))
			return V1_E_PROPOSAL_SYNTAX;
		if (out->n_prop >= V1PL_MAX_PROPOSALS)
			return V1_E_OFFER_SIZE;
		prop = &out->prop[out->n_prop++];
		memset(prop, 0, sizeof(*prop));
		prop->num = h[4];
		prop->proto = h[5];
		prop->spi_size = h[6];
		if (!names_get(NAMES_V1_PROTOCOL, prop->proto))
			return V1_E_PROTOCOL;
		if (!spi_size_ok(prop->proto, prop->spi_size))
			return V1_E_SPI;
		pc.p = body;
		pc.left = plen - 8u;
		if (!cur_take(&pc, prop->spi_size, &spi))
			return V1_E_PROPOSAL_SYNTAX;
		memcpy(prop->spi, spi, prop->spi_size);
		err = parse_transforms(&pc, h[7], out, prop);
		if (err)
			return err;
	}
	/* At least one proposal, and the last one says so. */
	if (last != 0 || !out->n_prop)
		return V1_E_PROPOSAL_SYNTAX;
	return V1_OK;
}

const struct v1pl_attr *v1pl_attr_find(const struct v1pl_transform *xf,
				       uint16_t type)
{
	unsigned int i;

	for (i = 0; i < xf->n_attr && i < V1PL_MAX_ATTRS; i++)
		if (xf->attr[i].type == type)
			return &xf->attr[i];
	return NULL;
}

bool v1pl_attr_add(struct v1pl_transform *xf, uint16_t type, bool tlv,
		   uint16_t len, uint64_t value)
{
	struct v1pl_attr *a;

	if (xf->n_attr >= V1PL_MAX_ATTRS || type > 0x7fff ||
	    (!tlv && value > 0xffff) ||
	    (tlv && (!len || len > V1PL_ATTR_VALUE_MAX ||
		     (len < 8 && value >> (8 * len)))))
		return false;
	a = &xf->attr[xf->n_attr++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->tlv = tlv;
	a->len = tlv ? len : 2;
	a->value = value;
	return true;
}

static void add_attr(struct msg_builder *b, const struct v1pl_attr *a)
{
	uint8_t *v;
	unsigned int i;

	if (a->type > 0x7fff) {
		msg_build_fail(b, MSG_E_INVALID);
		return;
	}
	if (!a->tlv) {
		if (a->value > 0xffff)
			msg_build_fail(b, MSG_E_INVALID);
		msg_build_u16(b, V1PL_AF_TV | a->type);
		msg_build_u16(b, (uint16_t)a->value);
		return;
	}
	if (!a->len || (!a->data && a->len > V1PL_ATTR_VALUE_MAX)) {
		msg_build_fail(b, MSG_E_INVALID);
		return;
	}
	msg_build_u16(b, a->type);
	msg_build_u16(b, a->len);
	if (a->data) {
		msg_build_put(b, a->data, a->len);
		return;
	}
	v = msg_build_reserve(b, a->len);
	for (i = 0; v && i < a->len; i++)
		v[i] = (uint8_t)(a->value >> (8 * (a->len - 1u - i)));
}

/* Fill in the length of the substructure begun at start. */
static void set_len(struct msg_builder *b, size_t start)
{
	if (b->err)
		return;
	if (b->len - start > 0xffff) {
		msg_build_fail(b, MSG_E_NOSPACE);
		return;
	}
	msg_set16(b->buf + start + 2, (uint16_t)(b->len - start));
}

static void add_transforms(struct msg_builder *b, const struct v1pl_sa *sa,
			   const struct v1pl_proposal *prop)
{
	unsigned int j, k;

	for (j = 0; j < prop->n_xf && !b->err; j++) {
		const struct v1pl_transform *xf = &sa->xf[prop->first_xf + j];
		size_t tstart = b->len;
		uint8_t *t = msg_build_reserve(b, 8);

		if (!t)
			return;
		if (xf->n_attr > V1PL_MAX_ATTRS) {
			msg_build_fail(b, MSG_E_INVALID);
			return;
		}
		t[0] = j + 1u == prop->n_xf ? 0 : V1_MORE_TRANSFORMS;
		t[1] = 0;
		t[4] = xf->num;
		t[5] = xf->id;
		t[6] = t[7] = 0;
		for (k = 0; k < xf->n_attr; k++)
			add_attr(b, &xf->attr[k]);
		set_len(b, tstart);
	}
}

void v1pl_add_sa(struct msg_builder *b, const struct v1pl_sa *sa)
{
	size_t start = msg_build_begin(b, IKEV1_PL_SA, false);
	unsigned int i;

	if (!sa->n_prop || sa->n_prop > V1PL_MAX_PROPOSALS ||
	    sa->n_xf > V1PL_MAX_TRANSFORMS)
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_u32(b, sa->doi);
	msg_build_u32(b, sa->situation);
	for (i = 0; i < sa->n_prop && !b->err; i++) {
		const struct v1pl_proposal *prop = &sa->prop[i];
		size_t pstart = b->len;
		uint8_t *h;

		if (prop->spi_size > V1PL_SPI_MAX || !prop->n_xf ||
		    (size_t)prop->first_xf + prop->n_xf > sa->n_xf) {
			msg_build_fail(b, MSG_E_INVALID);
			break;
		}
		h = msg_build_reserve(b, 8);
		if (!h)
			break;
		h[0] = i + 1u == sa->n_prop ? 0 : V1_MORE_PROPOSALS;
		h[1] = 0;
		h[4] = prop->num;
		h[5] = prop->proto;
		h[6] = prop->spi_size;
		h[7] = prop->n_xf;
		msg_build_put(b, prop->spi, prop->spi_size);
		add_transforms(b, sa, prop);
		set_len(b, pstart);
	}
	msg_build_end(b, start);
}
