// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 payload bodies other than SA (payload_sa.c): KE, ID, CERT, CR,
 * HASH, SIG, NONCE, N, D, VID, NAT-D, NAT-OA and mode config's Attribute
 * payload.  Every read is preceded by a check against the body's length.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "payload.h"

/* ---- opaque data -------------------------------------------------------- */

static enum v1_err data_parse(const struct msg_payload *p, size_t min,
			      size_t max, enum v1_err err,
			      struct v1pl_data *out)
{
	out->data = p->body;
	out->len = p->len;
	return p->len < min || p->len > max ? err : V1_OK;
}

enum v1_err v1pl_ke_parse(const struct msg_payload *p, struct v1pl_data *out)
{
	return data_parse(p, 1, CRYPTO_DH_PUB_MAX, V1_E_KEY_INFO, out);
}

enum v1_err v1pl_nonce_parse(const struct msg_payload *p,
			     struct v1pl_data *out)
{
	return data_parse(p, V1PL_NONCE_MIN, V1PL_NONCE_MAX, V1_E_MALFORMED,
			  out);
}

enum v1_err v1pl_hash_parse(const struct msg_payload *p,
			    struct v1pl_data *out)
{
	return data_parse(p, 1, CRYPTO_PRF_MAX, V1_E_HASH_INFO, out);
}

enum v1_err v1pl_sig_parse(const struct msg_payload *p,
			   struct v1pl_data *out)
{
	return data_parse(p, 1, MSG_MAX_LEN, V1_E_SIGNATURE, out);
}

enum v1_err v1pl_vid_parse(const struct msg_payload *p,
			   struct v1pl_data *out)
{
	return data_parse(p, 1, MSG_MAX_LEN, V1_E_MALFORMED, out);
}

enum v1_err v1pl_natd_parse(const struct msg_payload *p,
			    struct v1pl_data *out)
{
	return data_parse(p, 1, CRYPTO_PRF_MAX, V1_E_MALFORMED, out);
}

void v1pl_add_data(struct msg_builder *b, uint8_t type,
		   const struct v1pl_data *d)
{
	size_t start = msg_build_begin(b, type, false), min = 1, max;

	switch (type) {
	case IKEV1_PL_KE:
		max = CRYPTO_DH_PUB_MAX;
		break;
	case IKEV1_PL_NONCE:
		min = V1PL_NONCE_MIN;
		max = V1PL_NONCE_MAX;
		break;
	case IKEV1_PL_HASH:
	case IKEV1_PL_NAT_D:
	case IKEV1_PL_NAT_D_DRAFT:
		max = CRYPTO_PRF_MAX;
		break;
	case IKEV1_PL_SIG:
	case IKEV1_PL_VID:
		max = MSG_MAX_LEN;
		break;
	default:
		max = 0;
		break;
	}
	if (d->len < min || d->len > max)
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_put(b, d->data, d->len);
	msg_build_end(b, start);
}

/* ---- ID ----------------------------------------------------------------- */

static size_t addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* The length of the prefix mask m, or -1 if it is not one. */
static int mask_prefix(const uint8_t *m, size_t alen)
{
	int n = 0;
	size_t i;
	bool zeros = false;

	for (i = 0; i < alen; i++) {
		for (int bit = 7; bit >= 0; bit--) {
			bool one = m[i] >> bit & 1;

			if (one && zeros)
				return -1;
			if (one)
				n++;
			else
				zeros = true;
		}
	}
	return n;
}

static void prefix_mask(uint8_t *m, size_t alen, unsigned int prefix)
{
	size_t i;

	for (i = 0; i < alen; i++) {
		unsigned int bits = prefix >= 8 * (i + 1) ? 8 :
				    prefix > 8 * i ? prefix - 8 * (unsigned int)i : 0;

		m[i] = (uint8_t)(0xff00 >> bits);
	}
}

static bool name_ok(const uint8_t *data, size_t len)
{
	/* RFC 2407 4.6.2.3, .4: a string, no terminator */
	return len > 0 && !memchr(data, 0, len);
}

/* Decode data of type into id's family/prefix/start/end; false if bad. */
static bool id_decode(struct v1pl_id *id)
{
	const uint8_t *d = id->data;
	size_t a, i;
	int prefix;

	id->family = 0;
	id->prefix = 0;
	memset(id->start, 0, sizeof(id->start));
	memset(id->end, 0, sizeof(id->end));
	switch (id->type) {
	case IKEV1_ID_IPV4_ADDR:
	case IKEV1_ID_IPV4_ADDR_SUBNET:
	case IKEV1_ID_IPV4_ADDR_RANGE:
		id->family = AF_INET;
		break;
	case IKEV1_ID_IPV6_ADDR:
	case IKEV1_ID_IPV6_ADDR_SUBNET:
	case IKEV1_ID_IPV6_ADDR_RANGE:
		id->family = AF_INET6;
		break;
	case IKEV1_ID_FQDN:
	case IKEV1_ID_USER_FQDN:
		return name_ok(d, id->len);
	case IKEV1_ID_KEY_ID:
	case IKEV1_ID_DER_ASN1_DN:
	case IKEV1_ID_DER_ASN1_GN:
		return id->len > 0;
	default:
		return false;
	}
	a = addr_len(id->family);
	switch (id->type) {
	case IKEV1_ID_IPV4_ADDR:
	case IKEV1_ID_IPV6_ADDR:
		if (id->len != a)
			return false;
		memcpy(id->start, d, a);
		memcpy(id->end, d, a);
		id->prefix = (uint8_t)(8 * a);
		return true;
	case IKEV1_ID_IPV4_ADDR_SUBNET:
	case IKEV1_ID_IPV6_ADDR_SUBNET:
		prefix = id->len == 2 * a ? mask_prefix(d + a, a) : -1;
		if (prefix < 0)
			return false;
		id->prefix = (uint8_t)prefix;
		for (i = 0; i < a; i++) {
			id->start[i] = d[i] & d[a + i];
			id->end[i] = (uint8_t)(d[i] | ~d[a + i]);
		}
		return true;
	default:
		/* ranges: start <= end, both inclusive */
		if (id->len != 2 * a || memcmp(d, d + a, a) > 0)
			return false;
		memcpy(id->start, d, a);
		memcpy(id->end, d + a, a);
		return true;
	}
}

enum v1_err v1pl_id_parse(const struct msg_payload *p, struct v1pl_id *out)
{
	memset(out, 0, sizeof(*out));
	if (p->len < 4)
		return V1_E_MALFORMED;
	out->type = p->body[0];
	out->proto = p->body[1];
	out->port = msg_get16(p->body + 2);
	out->data = p->body + 4;
	out->len = p->len - 4u;
	out->body = p->body;
	out->body_len = p->len;
	return id_decode(out) ? V1_OK : V1_E_ID_INFO;
}

void v1pl_add_id(struct msg_builder *b, const struct v1pl_id *id)
{
	size_t start = msg_build_begin(b, IKEV1_PL_ID, false);
	struct v1pl_id check = *id;

	if (!id_decode(&check))
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_u8(b, id->type);
	msg_build_u8(b, id->proto);
	msg_build_u16(b, id->port);
	msg_build_put(b, id->data, id->len);
	msg_build_end(b, start);
}

enum v1_err v1pl_id_check_phase1(const struct v1pl_id *id)
{
	switch (id->type) {
	case IKEV1_ID_IPV4_ADDR:
	case IKEV1_ID_IPV6_ADDR:
	case IKEV1_ID_FQDN:
	case IKEV1_ID_USER_FQDN:
	case IKEV1_ID_KEY_ID:
	case IKEV1_ID_DER_ASN1_DN:
		break;
	default:
		return V1_E_ID_INFO;
	}
	if (id->proto == 0 && id->port == 0)
		return V1_OK;
	if (id->proto == IPPROTO_UDP &&
	    (id->port == 0 || id->port == 500 || id->port == 4500))
		return V1_OK;
	return V1_E_ID_INFO;
}

enum v1_err v1pl_id_from_range(struct v1pl_id *id, uint8_t buf[32],
			       uint8_t family, const uint8_t *start,
			       const uint8_t *end, uint8_t proto,
			       uint16_t port)
{
	size_t a = addr_len(family), i;
	uint8_t mask[16];
	bool is_prefix = true;
	int prefix = 0;

	memset(id, 0, sizeof(*id));
	if (!a || memcmp(start, end, a) > 0)
		return V1_E_INVALID;
	/* The smallest prefix whose network is start and broadcast end. */
	for (i = 0; i < a; i++)
		mask[i] = (uint8_t)~(start[i] ^ end[i]);
	prefix = mask_prefix(mask, a);
	if (prefix < 0) {
		is_prefix = false;
	} else {
		prefix_mask(mask, a, (unsigned int)prefix);
		for (i = 0; i < a && is_prefix; i++)
			if ((start[i] & ~mask[i]) || (end[i] | mask[i]) != 0xff)
				is_prefix = false;
	}
	memcpy(buf, start, a);
	if (!memcmp(start, end, a)) {
		id->type = family == AF_INET ? IKEV1_ID_IPV4_ADDR
					     : IKEV1_ID_IPV6_ADDR;
		id->len = a;
	} else if (is_prefix) {
		id->type = family == AF_INET ? IKEV1_ID_IPV4_ADDR_SUBNET
					     : IKEV1_ID_IPV6_ADDR_SUBNET;
		memcpy(buf + a, mask, a);
		id->len = 2 * a;
	} else {
		id->type = family == AF_INET ? IKEV1_ID_IPV4_ADDR_RANGE
					     : IKEV1_ID_IPV6_ADDR_RANGE;
		memcpy(buf + a, end, a);
		id->len = 2 * a;
	}
	id->proto = proto;
	id->port = port;
	id->data = buf;
	return id_decode(id) ? V1_OK : V1_E_INVALID;
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
	for (i = 0; i < n && o + (printable ? 1 : 2) < len; i++) {
		if (printable)
			buf[o++] = (char)data[i];
		else
			o += (size_t)snprintf(buf + o, len - o, "%02x", data[i]);
	}
	if (o < len)
		buf[o] = '\0';
}

const char *v1pl_id_format(const struct v1pl_id *id, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN], e[INET6_ADDRSTRLEN];

	if (!len)
		return buf;
	buf[0] = '\0';
	switch (id->type) {
	case IKEV1_ID_FQDN:
		fmt_text(buf, len, "fqdn:", id->data, id->len);
		return buf;
	case IKEV1_ID_USER_FQDN:
		fmt_text(buf, len, "user-fqdn:", id->data, id->len);
		return buf;
	case IKEV1_ID_KEY_ID:
		fmt_text(buf, len, "keyid:", id->data, id->len);
		return buf;
	}
	if (!id->family || !inet_ntop(id->family, id->start, s, sizeof(s)) ||
	    !inet_ntop(id->family, id->end, e, sizeof(e))) {
		snprintf(buf, len, "id-type-%u:%zu bytes", id->type, id->len);
		return buf;
	}
	switch (id->type) {
	case IKEV1_ID_IPV4_ADDR_SUBNET:
	case IKEV1_ID_IPV6_ADDR_SUBNET:
		snprintf(buf, len, "%s/%u", s, id->prefix);
		break;
	case IKEV1_ID_IPV4_ADDR_RANGE:
	case IKEV1_ID_IPV6_ADDR_RANGE:
		snprintf(buf, len, "%s-%s", s, e);
		break;
	default:
		snprintf(buf, len, "%s", s);
		break;
	}
	return buf;
}

/* ---- CERT, CR ----------------------------------------------------------- */

enum v1_err v1pl_cert_parse(const struct msg_payload *p,
			    struct v1pl_cert *out)
{
	if (p->len < 2)
		return V1_E_CERT_ENCODING;
	out->encoding = p->body[0];
	out->data = p->body + 1;
	out->len = p->len - 1u;
	return V1_OK;
}

enum v1_err v1pl_cr_parse(const struct msg_payload *p, struct v1pl_cert *out)
{
	if (p->len < 1)
		return V1_E_MALFORMED;
	out->encoding = p->body[0];
	out->data = p->body + 1;
	out->len = p->len - 1u;
	return V1_OK;
}

void v1pl_add_cert(struct msg_builder *b, uint8_t type,
		   const struct v1pl_cert *c)
{
	size_t start = msg_build_begin(b, type, false);

	if ((type != IKEV1_PL_CERT && type != IKEV1_PL_CR) ||
	    (type == IKEV1_PL_CERT && !c->len))
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_u8(b, c->encoding);
	msg_build_put(b, c->data, c->len);
	msg_build_end(b, start);
}

/* ---- N, D --------------------------------------------------------------- */

static bool doi_ok(uint32_t doi)
{
	return doi == IKEV1_DOI_ISAKMP || doi == IKEV1_DOI_IPSEC;
}

enum v1_err v1pl_notify_parse(const struct msg_payload *p,
			      struct v1pl_notify *out)
{
	memset(out, 0, sizeof(*out));
	if (p->len < 8)
		return V1_E_MALFORMED;
	out->doi = msg_get32(p->body);
	out->proto = p->body[4];
	out->spi_size = p->body[5];
	out->type = msg_get16(p->body + 6);
	if (!doi_ok(out->doi))
		return V1_E_DOI;
	if (out->proto > IKEV1_PROTO_IPCOMP)
		return V1_E_PROTOCOL;
	if (out->spi_size > V1PL_SPI_MAX)
		return V1_E_SPI;
	if (out->spi_size > p->len - 8u)
		return V1_E_MALFORMED;
	out->spi = p->body + 8;
	out->data = out->spi + out->spi_size;
	out->len = p->len - 8u - out->spi_size;
	return V1_OK;
}

void v1pl_add_notify(struct msg_builder *b, const struct v1pl_notify *n)
{
	size_t start = msg_build_begin(b, IKEV1_PL_N, false);

	if (!doi_ok(n->doi) || n->proto > IKEV1_PROTO_IPCOMP ||
	    n->spi_size > V1PL_SPI_MAX)
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_u32(b, n->doi);
	msg_build_u8(b, n->proto);
	msg_build_u8(b, n->spi_size);
	msg_build_u16(b, n->type);
	msg_build_put(b, n->spi, n->spi_size);
	msg_build_put(b, n->data, n->len);
	msg_build_end(b, start);
}

static enum v1_err delete_check(uint32_t doi, uint8_t proto, uint8_t size,
				uint16_t n)
{
	if (!doi_ok(doi))
		return V1_E_DOI;
	switch (proto) {
	case IKEV1_PROTO_ISAKMP:
		if (size != 16)
			return V1_E_SPI;
		break;
	case IKEV1_PROTO_IPSEC_AH:
	case IKEV1_PROTO_IPSEC_ESP:
		if (size != 4)
			return V1_E_SPI;
		break;
	case IKEV1_PROTO_IPCOMP:
		if (size != 2 && size != 4)
			return V1_E_SPI;
		break;
	default:
		return V1_E_PROTOCOL;
	}
	return n ? V1_OK : V1_E_MALFORMED;
}

enum v1_err v1pl_delete_parse(const struct msg_payload *p,
			      struct v1pl_delete *out)
{
	enum v1_err err;

	memset(out, 0, sizeof(*out));
	if (p->len < 8)
		return V1_E_MALFORMED;
	out->doi = msg_get32(p->body);
	out->proto = p->body[4];
	out->spi_size = p->body[5];
	out->n_spi = msg_get16(p->body + 6);
	out->spis = p->body + 8;
	err = delete_check(out->doi, out->proto, out->spi_size, out->n_spi);
	if (err)
		return err;
	if ((size_t)out->spi_size * out->n_spi != p->len - 8u)
		return V1_E_MALFORMED;
	return V1_OK;
}

void v1pl_add_delete(struct msg_builder *b, const struct v1pl_delete *d)
{
	size_t start = msg_build_begin(b, IKEV1_PL_D, false);

	if (delete_check(d->doi, d->proto, d->spi_size, d->n_spi))
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_u32(b, d->doi);
	msg_build_u8(b, d->proto);
	msg_build_u8(b, d->spi_size);
	msg_build_u16(b, d->n_spi);
	msg_build_put(b, d->spis, (size_t)d->spi_size * d->n_spi);
	msg_build_end(b, start);
}

/* ---- NAT-OA ------------------------------------------------------------- */

static size_t natoa_len(uint8_t id_type)
{
	if (id_type == IKEV1_ID_IPV4_ADDR)
		return 4;
	if (id_type == IKEV1_ID_IPV6_ADDR)
		return 16;
	return 0;
}

enum v1_err v1pl_natoa_parse(const struct msg_payload *p,
			     struct v1pl_natoa *out)
{
	size_t a;

	memset(out, 0, sizeof(*out));
	if (p->len < 4)
		return V1_E_MALFORMED;
	out->id_type = p->body[0];
	a = natoa_len(out->id_type);
	if (!a || p->len - 4u != a)
		return V1_E_MALFORMED;
	memcpy(out->addr, p->body + 4, a);
	return V1_OK;
}

void v1pl_add_natoa(struct msg_builder *b, uint8_t type,
		    const struct v1pl_natoa *oa)
{
	size_t start = msg_build_begin(b, type, false);
	size_t a = natoa_len(oa->id_type);

	if (!a || (type != IKEV1_PL_NAT_OA && type != IKEV1_PL_NAT_OA_DRAFT))
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_u32(b, (uint32_t)oa->id_type << 24);
	msg_build_put(b, oa->addr, a);
	msg_build_end(b, start);
}

/* ---- Attribute payload (mode config) ------------------------------------ */

enum v1_err v1pl_cfg_parse(const struct msg_payload *p, struct v1pl_cfg *out)
{
	const uint8_t *h = p->body, *end = p->body + p->len;

	out->n = 0;
	if (p->len < 4)
		return V1_E_MALFORMED;
	out->type = h[0];
	out->id = msg_get16(h + 2);
	if (!names_get(NAMES_V1_CFG_TYPE, out->type))
		return V1_E_MALFORMED;
	h += 4;
	while (h < end) {
		struct v1pl_cfg_attr *a;
		uint16_t t, v;

		if (end - h < 4)
			return V1_E_MALFORMED;
		t = msg_get16(h);
		v = msg_get16(h + 2);
		h += 4;
		if (!(t & V1PL_AF_TV) && v > end - h)
			return V1_E_MALFORMED;
		if (out->n >= V1PL_MAX_CFG_ATTRS)
			return V1_E_TOO_MANY;
		a = &out->attr[out->n++];
		a->type = t & 0x7fff;
		a->tv = t & V1PL_AF_TV;
		a->value = v;
		a->data = a->tv ? NULL : h;
		if (!a->tv)
			h += v;
	}
	return V1_OK;
}

void v1pl_add_cfg(struct msg_builder *b, const struct v1pl_cfg *cfg)
{
	size_t start = msg_build_begin(b, IKEV1_PL_ATTR, false);
	unsigned int i;

	if (cfg->n > V1PL_MAX_CFG_ATTRS ||
	    !names_get(NAMES_V1_CFG_TYPE, cfg->type))
		msg_build_fail(b, MSG_E_INVALID);
	msg_build_u8(b, cfg->type);
	msg_build_u8(b, 0);
	msg_build_u16(b, cfg->id);
	for (i = 0; i < cfg->n && !b->err; i++) {
		const struct v1pl_cfg_attr *a = &cfg->attr[i];

		if (a->type > 0x7fff) {
			msg_build_fail(b, MSG_E_INVALID);
			break;
		}
		msg_build_u16(b, (uint16_t)(a->type | (a->tv ? V1PL_AF_TV : 0)));
		msg_build_u16(b, a->value);
		if (!a->tv)
			msg_build_put(b, a->data, a->value);
	}
	msg_build_end(b, start);
}

/* ---- whole messages ----------------------------------------------------- */

void v1pl_after(const struct msg *m, const struct msg_payload *p,
		const uint8_t **rest, size_t *len)
{
	size_t end = (size_t)p->off + MSG_GENERIC_LEN + p->len;

	if (end > m->raw_len)
		end = m->raw_len;
	*rest = m->raw + end;
	*len = m->raw_len - end;
}

enum v1_err v1pl_parse_any(const struct msg_payload *p, union v1pl_any *u)
{
	switch (p->type) {
	case IKEV1_PL_SA: return v1pl_sa_parse(p, &u->sa);
	case IKEV1_PL_KE: return v1pl_ke_parse(p, &u->data);
	case IKEV1_PL_ID: return v1pl_id_parse(p, &u->id);
	case IKEV1_PL_CERT: return v1pl_cert_parse(p, &u->cert);
	case IKEV1_PL_CR: return v1pl_cr_parse(p, &u->cert);
	case IKEV1_PL_HASH: return v1pl_hash_parse(p, &u->data);
	case IKEV1_PL_SIG: return v1pl_sig_parse(p, &u->data);
	case IKEV1_PL_NONCE: return v1pl_nonce_parse(p, &u->data);
	case IKEV1_PL_N: return v1pl_notify_parse(p, &u->n);
	case IKEV1_PL_D: return v1pl_delete_parse(p, &u->d);
	case IKEV1_PL_VID: return v1pl_vid_parse(p, &u->data);
	case IKEV1_PL_ATTR: return v1pl_cfg_parse(p, &u->cfg);
	case IKEV1_PL_NAT_D:
	case IKEV1_PL_NAT_D_DRAFT: return v1pl_natd_parse(p, &u->data);
	case IKEV1_PL_NAT_OA:
	case IKEV1_PL_NAT_OA_DRAFT: return v1pl_natoa_parse(p, &u->natoa);
	default: return V1_E_PAYLOAD_TYPE;
	}
}

void v1pl_add_any(struct msg_builder *b, uint8_t type,
		  const union v1pl_any *u)
{
	switch (type) {
	case IKEV1_PL_SA: v1pl_add_sa(b, &u->sa); break;
	case IKEV1_PL_ID: v1pl_add_id(b, &u->id); break;
	case IKEV1_PL_CERT:
	case IKEV1_PL_CR: v1pl_add_cert(b, type, &u->cert); break;
	case IKEV1_PL_N: v1pl_add_notify(b, &u->n); break;
	case IKEV1_PL_D: v1pl_add_delete(b, &u->d); break;
	case IKEV1_PL_ATTR: v1pl_add_cfg(b, &u->cfg); break;
	case IKEV1_PL_NAT_OA:
	case IKEV1_PL_NAT_OA_DRAFT: v1pl_add_natoa(b, type, &u->natoa); break;
	default: v1pl_add_data(b, type, &u->data); break;
	}
}
