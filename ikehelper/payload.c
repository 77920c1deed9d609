// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 payload bodies.  Each parser walks its body with a cursor that
 * refuses to read past the end; lengths inside the body (proposals,
 * transforms, attributes, selectors) are checked against what is left
 * before they are used.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "payload.h"

/* A bounded reader over a payload body. */
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

static struct cur cur_of(const struct msg_payload *p)
{
	struct cur c = { p->body, p->len };

	return c;
}

/* ---- SA ---------------------------------------------------------------- */

#define SA_LAST			0
#define SA_MORE_PROPOSALS	2
#define SA_MORE_TRANSFORMS	3
#define ATTR_TV			0x8000

static enum msg_err parse_attrs(const uint8_t *p, size_t len,
				struct pl_transform *xf)
{
	struct cur c = { p, len };
	const uint8_t *h, *v;

	while (c.left) {
		uint16_t type, val;

		if (!cur_take(&c, 4, &h))
			return MSG_E_SYNTAX;
		type = msg_get16(h) & 0x7fff;
		val = msg_get16(h + 2);
		if (!(msg_get16(h) & ATTR_TV)) {
			/* TLV: val is the length of what follows */
			if (!cur_take(&c, val, &v))
				return MSG_E_SYNTAX;
			xf->unknown_attr = true;
			continue;
		}
		if (type == IKEV2_ATTR_KEY_LENGTH && !xf->has_key_bits) {
			xf->key_bits = val;
			xf->has_key_bits = true;
		} else {
			xf->unknown_attr = true;
		}
	}
	return MSG_OK;
}

static enum msg_err parse_transforms(struct cur *c, unsigned int count,
				     struct pl_proposal *prop)
{
	unsigned int i;
	uint8_t last = SA_MORE_TRANSFORMS;

	for (i = 0; i < count; i++) {
		struct pl_transform *xf;
		const uint8_t *h, *attrs;
		uint16_t tlen;

		if (last != SA_MORE_TRANSFORMS || !cur_take(c, 8, &h))
			return MSG_E_SYNTAX;
		last = h[0];
		tlen = msg_get16(h + 2);
		if ((last != SA_LAST && last != SA_MORE_TRANSFORMS) ||
		    tlen < 8 || !cur_take(c, tlen - 8u, &attrs))
			return MSG_E_SYNTAX;
		if (prop->n_xf >= PL_MAX_TRANSFORMS)
			return MSG_E_TOO_MANY;
		xf = &prop->xf[prop->n_xf++];
		memset(xf, 0, sizeof(*xf));
		xf->type = h[4];
		xf->id = msg_get16(h + 6);
		if (parse_attrs(attrs, tlen - 8u, xf))
			return MSG_E_SYNTAX;
	}
	/* The count and the "more" flags must agree, and nothing may follow. */
	if ((count && last != SA_LAST) || c->left)
		return MSG_E_SYNTAX;
	return MSG_OK;
}

enum msg_err pl_sa_parse(const struct msg_payload *p, struct pl_sa *out)
{
	struct cur c = cur_of(p);
	uint8_t last = SA_MORE_PROPOSALS;
	enum msg_err err;

	out->n_prop = 0;
	while (c.left) {
		struct pl_proposal *prop;
		const uint8_t *h, *body, *spi;
		struct cur pc;
		uint16_t plen;

		if (last != SA_MORE_PROPOSALS || !cur_take(&c, 8, &h))
			return MSG_E_SYNTAX;
		last = h[0];
		plen = msg_get16(h + 2);
		if ((last != SA_LAST && last != SA_MORE_PROPOSALS) ||
		    plen < 8 || !cur_take(&c, plen - 8u, &body))
			return MSG_E_SYNTAX;
		pc.p = body;
		pc.left = plen - 8u;
		if (h[6] > PL_SPI_MAX || !cur_take(&pc, h[6], &spi))
			return MSG_E_SYNTAX;
		if (out->n_prop >= PL_MAX_PROPOSALS)
			return MSG_E_TOO_MANY;
		prop = &out->prop[out->n_prop++];
		memset(prop, 0, offsetof(struct pl_proposal, xf));
		prop->num = h[4];
		prop->proto = h[5];
		prop->spi_size = h[6];
		memcpy(prop->spi, spi, h[6]);
		err = parse_transforms(&pc, h[7], prop);
		if (err)
			return err;
	}
	if (last != SA_LAST || !out->n_prop)
		return MSG_E_SYNTAX;
	return MSG_OK;
}

void pl_add_sa(struct msg_builder *b, const struct pl_sa *sa)
{
	size_t start = msg_build_begin(b, IKEV2_PL_SA, false);
	unsigned int i, j;

	if (!sa->n_prop || sa->n_prop > PL_MAX_PROPOSALS)
		msg_build_fail(b, MSG_E_INVALID);
	for (i = 0; i < sa->n_prop && !b->err; i++) {
		const struct pl_proposal *prop = &sa->prop[i];
		size_t pstart = b->len;
		uint8_t *h;

		if (prop->spi_size > PL_SPI_MAX ||
		    prop->n_xf > PL_MAX_TRANSFORMS) {
			msg_build_fail(b, MSG_E_INVALID);
			break;
		}
		h = msg_build_reserve(b, 8);
		if (!h)
			break;
		h[0] = i + 1u == sa->n_prop ? SA_LAST : SA_MORE_PROPOSALS;
		h[1] = 0;
		h[4] = prop->num;
		h[5] = prop->proto;
		h[6] = prop->spi_size;
		h[7] = prop->n_xf;
		msg_build_put(b, prop->spi, prop->spi_size);
		for (j = 0; j < prop->n_xf; j++) {
			const struct pl_transform *xf = &prop->xf[j];
			uint8_t *t = msg_build_reserve(b, 8);

			if (!t)
				break;
			t[0] = j + 1u == prop->n_xf ? SA_LAST
						    : SA_MORE_TRANSFORMS;
			t[1] = 0;
			msg_set16(t + 2, xf->has_key_bits ? 12 : 8);
			t[4] = xf->type;
			t[5] = 0;
			msg_set16(t + 6, xf->id);
			if (xf->has_key_bits) {
				msg_build_u16(b, ATTR_TV | IKEV2_ATTR_KEY_LENGTH);
				msg_build_u16(b, xf->key_bits);
			}
		}
		if (b->err)
			break;
		if (b->len - pstart > 0xffff) {
			msg_build_fail(b, MSG_E_NOSPACE);
			break;
		}
		msg_set16(b->buf + pstart + 2, (uint16_t)(b->len - pstart));
	}
	msg_build_end(b, start);
}

/* ---- KE, Nonce, AUTH, V ------------------------------------------------ */

enum msg_err pl_ke_parse(const struct msg_payload *p, struct pl_ke *out)
{
	if (p->len < 4)
		return MSG_E_SYNTAX;
	out->group = msg_get16(p->body);
	out->data = p->body + 4;
	out->len = p->len - 4u;
	return MSG_OK;
}

void pl_add_ke(struct msg_builder *b, const struct pl_ke *ke)
{
	size_t start = msg_build_begin(b, IKEV2_PL_KE, false);

	msg_build_u16(b, ke->group);
	msg_build_u16(b, 0);
	msg_build_put(b, ke->data, ke->len);
	msg_build_end(b, start);
}

enum msg_err pl_nonce_parse(const struct msg_payload *p,
			    struct pl_nonce *out)
{
	/* RFC 7296 3.9: between 16 and 256 octets */
	if (p->len < 16 || p->len > 256)
		return MSG_E_SYNTAX;
	out->data = p->body;
	out->len = p->len;
	return MSG_OK;
}

void pl_add_nonce(struct msg_builder *b, const struct pl_nonce *nonce)
{
	size_t start = msg_build_begin(b, IKEV2_PL_NONCE, false);

	if (nonce->len < 16 || nonce->len > 256)
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_put(b, nonce->data, nonce->len);
	msg_build_end(b, start);
}

enum msg_err pl_auth_parse(const struct msg_payload *p, struct pl_auth *out)
{
	if (p->len < 5)
		return MSG_E_SYNTAX;
	out->method = p->body[0];
	out->data = p->body + 4;
	out->len = p->len - 4u;
	return MSG_OK;
}

void pl_add_auth(struct msg_builder *b, const struct pl_auth *auth)
{
	size_t start = msg_build_begin(b, IKEV2_PL_AUTH, false);

	msg_build_u32(b, (uint32_t)auth->method << 24);
	msg_build_put(b, auth->data, auth->len);
	msg_build_end(b, start);
}

enum msg_err pl_vendor_parse(const struct msg_payload *p,
			     struct pl_vendor *out)
{
	out->data = p->body;
	out->len = p->len;
	return MSG_OK;
}

void pl_add_vendor(struct msg_builder *b, const struct pl_vendor *v)
{
	size_t start = msg_build_begin(b, IKEV2_PL_VENDOR, false);

	msg_build_put(b, v->data, v->len);
	msg_build_end(b, start);
}

/* ---- ID ---------------------------------------------------------------- */

static bool id_data_ok(uint8_t type, const uint8_t *data, size_t len)
{
	switch (type) {
	case IKEV2_ID_IPV4_ADDR:
		return len == 4;
	case IKEV2_ID_IPV6_ADDR:
		return len == 16;
	case IKEV2_ID_FQDN:
	case IKEV2_ID_RFC822_ADDR:
		/* RFC 7296 3.5: no terminators such as NUL */
		return len > 0 && !memchr(data, 0, len);
	case IKEV2_ID_KEY_ID:
		return len > 0;
	default:
		return true;	/* opaque to the codec */
	}
}

enum msg_err pl_id_parse(const struct msg_payload *p, struct pl_id *out)
{
	if (p->len < 4)
		return MSG_E_SYNTAX;
	out->type = p->body[0];
	out->data = p->body + 4;
	out->len = p->len - 4u;
	out->body = p->body;
	out->body_len = p->len;
	if (!id_data_ok(out->type, out->data, out->len))
		return MSG_E_SYNTAX;
	return MSG_OK;
}

void pl_add_id(struct msg_builder *b, uint8_t type, const struct pl_id *id)
{
	size_t start = msg_build_begin(b, type, false);

	if ((type != IKEV2_PL_IDI && type != IKEV2_PL_IDR) ||
	    !id_data_ok(id->type, id->data, id->len))
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_u32(b, (uint32_t)id->type << 24);
	msg_build_put(b, id->data, id->len);
	msg_build_end(b, start);
}

static void fmt_text(char *buf, size_t len, const char *prefix,
		     const uint8_t *data, size_t n)
{
	size_t i, o;
	bool printable = true;

	for (i = 0; i < n; i++)
		if (data[i] < 0x20 || data[i] > 0x7e)
			printable = false;
	o = (size_t)snprintf(buf, len, "%s%s", prefix, printable ? "" : "0x");
	/* Room for one more character (or hex pair) and the NUL. */
	for (i = 0; i < n && o + (printable ? 1 : 2) < len; i++) {
		if (printable)
			buf[o++] = (char)data[i];
		else
			o += (size_t)snprintf(buf + o, len - o, "%02x", data[i]);
	}
	if (o < len)
		buf[o] = '\0';
}

const char *pl_id_format(const struct pl_id *id, char *buf, size_t len)
{
	if (!len)
		return buf;
	buf[0] = '\0';
	switch (id->type) {
	case IKEV2_ID_IPV4_ADDR:
		if (id->len != 4 || !inet_ntop(AF_INET, id->data, buf,
					       (socklen_t)len))
			snprintf(buf, len, "ipv4:?");
		break;
	case IKEV2_ID_IPV6_ADDR:
		if (id->len != 16 || !inet_ntop(AF_INET6, id->data, buf,
						(socklen_t)len))
			snprintf(buf, len, "ipv6:?");
		break;
	case IKEV2_ID_FQDN:
		fmt_text(buf, len, "fqdn:", id->data, id->len);
		break;
	case IKEV2_ID_RFC822_ADDR:
		fmt_text(buf, len, "rfc822:", id->data, id->len);
		break;
	case IKEV2_ID_KEY_ID:
		fmt_text(buf, len, "keyid:", id->data, id->len);
		break;
	default:
		snprintf(buf, len, "id-type-%u:%zu bytes", id->type, id->len);
		break;
	}
	return buf;
}

/* ---- N, D -------------------------------------------------------------- */

enum msg_err pl_notify_parse(const struct msg_payload *p,
			     struct pl_notify *out)
{
	struct cur c = cur_of(p);
	const uint8_t *h;

	if (!cur_take(&c, 4, &h))
		return MSG_E_SYNTAX;
	out->proto = h[0];
	out->spi_size = h[1];
	out->type = msg_get16(h + 2);
	if (out->spi_size > PL_SPI_MAX ||
	    !cur_take(&c, out->spi_size, &out->spi))
		return MSG_E_SYNTAX;
	out->data = c.p;
	out->len = c.left;
	return MSG_OK;
}

void pl_add_notify(struct msg_builder *b, const struct pl_notify *n)
{
	size_t start = msg_build_begin(b, IKEV2_PL_NOTIFY, false);

	if (n->spi_size > PL_SPI_MAX)
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_u8(b, n->proto);
	msg_build_u8(b, n->spi_size);
	msg_build_u16(b, n->type);
	msg_build_put(b, n->spi, n->spi_size);
	msg_build_put(b, n->data, n->len);
	msg_build_end(b, start);
}

static bool delete_ok(uint8_t proto, uint8_t spi_size, uint16_t n)
{
	/* RFC 7296 3.11 */
	if (proto == IKEV2_PROTO_IKE)
		return spi_size == 0 && n == 0;
	if (proto == IKEV2_PROTO_ESP || proto == IKEV2_PROTO_AH)
		return spi_size == 4;
	return false;
}

enum msg_err pl_delete_parse(const struct msg_payload *p,
			     struct pl_delete *out)
{
	if (p->len < 4)
		return MSG_E_SYNTAX;
	out->proto = p->body[0];
	out->spi_size = p->body[1];
	out->n_spi = msg_get16(p->body + 2);
	out->spis = p->body + 4;
	if (!delete_ok(out->proto, out->spi_size, out->n_spi) ||
	    (size_t)out->spi_size * out->n_spi != p->len - 4u)
		return MSG_E_SYNTAX;
	return MSG_OK;
}

void pl_add_delete(struct msg_builder *b, const struct pl_delete *d)
{
	size_t start = msg_build_begin(b, IKEV2_PL_DELETE, false);

	if (!delete_ok(d->proto, d->spi_size, d->n_spi))
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_u8(b, d->proto);
	msg_build_u8(b, d->spi_size);
	msg_build_u16(b, d->n_spi);
	msg_build_put(b, d->spis, (size_t)d->spi_size * d->n_spi);
	msg_build_end(b, start);
}

/* ---- TS ---------------------------------------------------------------- */

static size_t ts_addr_len(uint8_t type)
{
	if (type == IKEV2_TS_IPV4_ADDR_RANGE)
		return 4;
	if (type == IKEV2_TS_IPV6_ADDR_RANGE)
		return 16;
	return 0;
}

enum msg_err pl_ts_parse(const struct msg_payload *p, struct pl_ts_list *out)
{
	struct cur c = cur_of(p);
	const uint8_t *h, *sel;
	unsigned int i, count;

	out->n = 0;
	out->skipped = 0;
	if (!cur_take(&c, 4, &h))
		return MSG_E_SYNTAX;
	count = h[0];
	for (i = 0; i < count; i++) {
		struct pl_ts *ts;
		uint16_t slen;
		size_t alen;

		if (!cur_take(&c, 4, &sel))
			return MSG_E_SYNTAX;
		slen = msg_get16(sel + 2);
		alen = ts_addr_len(sel[0]);
		if (slen < 4 || !cur_take(&c, slen - 4u, &h))
			return MSG_E_SYNTAX;
		if (!alen) {
			/* Selector Length lets us step over unknown types. */
			out->skipped++;
			continue;
		}
		if (slen != 8 + 2 * alen)
			return MSG_E_SYNTAX;
		if (out->n >= PL_MAX_TS)
			return MSG_E_TOO_MANY;
		ts = &out->ts[out->n++];
		memset(ts, 0, sizeof(*ts));
		ts->type = sel[0];
		ts->proto = sel[1];
		ts->start_port = msg_get16(h);
		ts->end_port = msg_get16(h + 2);
		memcpy(ts->start, h + 4, alen);
		memcpy(ts->end, h + 4 + alen, alen);
	}
	return c.left ? MSG_E_SYNTAX : MSG_OK;
}

void pl_add_ts(struct msg_builder *b, uint8_t type,
	       const struct pl_ts_list *ts)
{
	size_t start = msg_build_begin(b, type, false);
	unsigned int i;

	if ((type != IKEV2_PL_TSI && type != IKEV2_PL_TSR) ||
	    ts->n > PL_MAX_TS)
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_u32(b, (uint32_t)ts->n << 24);
	for (i = 0; i < ts->n && !b->err; i++) {
		const struct pl_ts *t = &ts->ts[i];
		size_t alen = ts_addr_len(t->type);

		if (!alen) {
			msg_build_fail(b, MSG_E_INVALID);
			break;
		}
		msg_build_u8(b, t->type);
		msg_build_u8(b, t->proto);
		msg_build_u16(b, (uint16_t)(8 + 2 * alen));
		msg_build_u16(b, t->start_port);
		msg_build_u16(b, t->end_port);
		msg_build_put(b, t->start, alen);
		msg_build_put(b, t->end, alen);
	}
	msg_build_end(b, start);
}

/* ---- CP ---------------------------------------------------------------- */

enum msg_err pl_cp_parse(const struct msg_payload *p, struct pl_cp *out)
{
	struct cur c = cur_of(p);
	const uint8_t *h;

	out->n = 0;
	if (!cur_take(&c, 4, &h))
		return MSG_E_SYNTAX;
	out->type = h[0];
	while (c.left) {
		struct pl_cp_attr *a;
		const uint8_t *v;
		uint16_t alen;

		if (!cur_take(&c, 4, &h))
			return MSG_E_SYNTAX;
		alen = msg_get16(h + 2);
		if (!cur_take(&c, alen, &v))
			return MSG_E_SYNTAX;
		if (out->n >= PL_MAX_CP_ATTRS)
			return MSG_E_TOO_MANY;
		a = &out->attr[out->n++];
		a->type = msg_get16(h) & 0x7fff;
		a->len = alen;
		a->data = v;
	}
	return MSG_OK;
}

void pl_add_cp(struct msg_builder *b, const struct pl_cp *cp)
{
	size_t start = msg_build_begin(b, IKEV2_PL_CP, false);
	unsigned int i;

	if (cp->n > PL_MAX_CP_ATTRS)
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_u32(b, (uint32_t)cp->type << 24);
	for (i = 0; i < cp->n && !b->err; i++) {
		msg_build_u16(b, cp->attr[i].type & 0x7fff);
		msg_build_u16(b, cp->attr[i].len);
		msg_build_put(b, cp->attr[i].data, cp->attr[i].len);
	}
	msg_build_end(b, start);
}
