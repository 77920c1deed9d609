// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 phase 1 and ESP transforms, decoded into IKEv2 transform IDs and
 * numbers, and encoded back.  Every attribute is looked at once: an
 * attribute this file does not handle makes the transform unacceptable.
 */
#include <string.h>

#include "xform.h"

uint16_t v1xf_hash_prf(uint16_t hash)
{
	switch (hash) {
	case IKEV1_HASH_MD5:
		return IKEV2_PRF_HMAC_MD5;
	case IKEV1_HASH_SHA1:
		return IKEV2_PRF_HMAC_SHA1;
	case IKEV1_HASH_SHA2_256:
		return IKEV2_PRF_HMAC_SHA2_256;
	case IKEV1_HASH_SHA2_384:
		return IKEV2_PRF_HMAC_SHA2_384;
	case IKEV1_HASH_SHA2_512:
		return IKEV2_PRF_HMAC_SHA2_512;
	}
	return 0;
}

/*
 * A cipher's key length: fixed ciphers take no attribute or their own
 * length; AES takes 128, 192 or 256, and 128 when the attribute is
 * missing, as libreswan assumes (RFC 3602 5.3 wants the attribute, and
 * some peers leave it out when they mean the default).
 */
static bool key_bits(uint16_t encr, const struct v1pl_attr *kl,
		     uint16_t *bits)
{
	switch (encr) {
	case IKEV2_ENCR_DES:
		*bits = 0;
		return !kl || kl->value == 64;
	case IKEV2_ENCR_3DES:
		*bits = 0;
		return !kl || kl->value == 192;
	case IKEV2_ENCR_NULL:
		*bits = 0;
		return !kl;
	case IKEV2_ENCR_AES_CBC:
	case IKEV2_ENCR_AES_GCM_8:
	case IKEV2_ENCR_AES_GCM_12:
	case IKEV2_ENCR_AES_GCM_16:
		*bits = kl ? (uint16_t)kl->value : 128;
		return *bits == 128 || *bits == 192 || *bits == 256;
	}
	return false;
}

/*
 * A Life Type / Life Duration pair at i (payload_sa.c made sure of the
 * pair in a proposal of the transform's class); false for a value we
 * cannot keep.  A Duration of 0 leaves the lifetime as not given.
 */
static bool life(const struct v1pl_transform *xf, unsigned int i,
		 uint16_t duration, uint32_t *secs, uint32_t *kbytes)
{
	const struct v1pl_attr *d;

	if (i + 1 >= xf->n_attr || i + 1 >= V1PL_MAX_ATTRS)
		return false;
	d = &xf->attr[i + 1];
	if (d->type != duration || d->value > UINT32_MAX)
		return false;
	/* strongSwan sends 0 for a lifetime it does not limit: none given. */
	if (!d->value)
		return xf->attr[i].value == IKEV1_LIFE_SECONDS ||
		       xf->attr[i].value == IKEV1_LIFE_KILOBYTES;
	switch (xf->attr[i].value) {
	case IKEV1_LIFE_SECONDS:
		*secs = (uint32_t)d->value;
		return true;
	case IKEV1_LIFE_KILOBYTES:
		*kbytes = (uint32_t)d->value;
		return true;
	}
	return false;
}

enum v1_err v1xf_ike_decode(const struct v1pl_transform *xf,
			    struct v1xf_ike *out)
{
	const struct v1pl_attr *kl = NULL;
	uint16_t encr = 0;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	if (xf->id != IKEV1_KEY_IKE)
		return V1_E_TRANSFORM;
	for (i = 0; i < xf->n_attr; i++) {
		const struct v1pl_attr *a = &xf->attr[i];

		if (a->tlv && a->type != IKEV1_ATTR_LIFE_DURATION)
			return V1_E_ATTRIBUTES;
		switch (a->type) {
		case IKEV1_ATTR_ENCRYPTION:
			encr = (uint16_t)a->value;
			break;
		case IKEV1_ATTR_HASH:
			out->hash = (uint16_t)a->value;
			out->prf = v1xf_hash_prf(out->hash);
			if (!out->prf)
				return V1_E_ATTRIBUTES;
			break;
		case IKEV1_ATTR_AUTH_METHOD:
			out->auth = (uint16_t)a->value;
			if (!names_get(NAMES_V1_AUTH_METHOD, out->auth))
				return V1_E_ATTRIBUTES;
			break;
		case IKEV1_ATTR_GROUP_DESC:
			out->group = (uint16_t)a->value;
			if (!names_get(NAMES_V1_GROUP, out->group))
				return V1_E_ATTRIBUTES;
			break;
		case IKEV1_ATTR_KEY_LENGTH:
			kl = a;
			break;
		case IKEV1_ATTR_LIFE_TYPE:
			if (!life(xf, i, IKEV1_ATTR_LIFE_DURATION,
				  &out->life_secs, &out->life_kbytes))
				return V1_E_ATTRIBUTES;
			i++;	/* its Duration */
			break;
		default:
			/* private groups, PRF, Field Size: not supported */
			return V1_E_ATTRIBUTES;
		}
	}
	switch (encr) {
	case IKEV1_ENCR_DES_CBC:
		out->encr = IKEV2_ENCR_DES;
		break;
	case IKEV1_ENCR_3DES_CBC:
		out->encr = IKEV2_ENCR_3DES;
		break;
	case IKEV1_ENCR_AES_CBC:
		out->encr = IKEV2_ENCR_AES_CBC;
		break;
	default:
		return V1_E_ATTRIBUTES;
	}
	if (!key_bits(out->encr, kl, &out->encr_bits) || !out->prf ||
	    !out->auth || !out->group)
		return V1_E_ATTRIBUTES;
	return V1_OK;
}

static uint16_t ike_encr_v1(uint16_t encr)
{
	switch (encr) {
	case IKEV2_ENCR_DES:
		return IKEV1_ENCR_DES_CBC;
	case IKEV2_ENCR_3DES:
		return IKEV1_ENCR_3DES_CBC;
	case IKEV2_ENCR_AES_CBC:
		return IKEV1_ENCR_AES_CBC;
	}
	return 0;
}

static uint16_t prf_hash_v1(uint16_t prf)
{
	for (uint16_t h = IKEV1_HASH_MD5; h <= IKEV1_HASH_SHA2_512; h++)
		if (v1xf_hash_prf(h) == prf)
			return h;
	return 0;
}

static bool add_life(struct v1pl_transform *xf, uint16_t type_attr,
		     uint32_t secs, uint32_t kbytes)
{
	bool ok = true;

	/* As libreswan and Cisco send it: TV when it fits, else 4 bytes. */
	if (secs)
		ok = v1pl_attr_add(xf, type_attr, false, 2, IKEV1_LIFE_SECONDS) &&
		     v1pl_attr_add(xf, type_attr + 1, secs > 0xffff, 4, secs);
	if (ok && kbytes)
		ok = v1pl_attr_add(xf, type_attr, false, 2, IKEV1_LIFE_KILOBYTES) &&
		     v1pl_attr_add(xf, type_attr + 1, kbytes > 0xffff, 4, kbytes);
	return ok;
}

bool v1xf_ike_encode(const struct v1xf_ike *in, uint8_t num,
		     struct v1pl_transform *xf)
{
	uint16_t encr = ike_encr_v1(in->encr), hash = prf_hash_v1(in->prf);
	bool ok;

	memset(xf, 0, sizeof(*xf));
	xf->num = num;
	xf->id = IKEV1_KEY_IKE;
	if (!encr || !hash || !in->auth || !in->group)
		return false;
	ok = v1pl_attr_add(xf, IKEV1_ATTR_ENCRYPTION, false, 2, encr) &&
	     v1pl_attr_add(xf, IKEV1_ATTR_HASH, false, 2, hash) &&
	     v1pl_attr_add(xf, IKEV1_ATTR_AUTH_METHOD, false, 2, in->auth) &&
	     v1pl_attr_add(xf, IKEV1_ATTR_GROUP_DESC, false, 2, in->group);
	if (ok && in->encr_bits)
		ok = v1pl_attr_add(xf, IKEV1_ATTR_KEY_LENGTH, false, 2,
				   in->encr_bits);
	return ok && add_life(xf, IKEV1_ATTR_LIFE_TYPE, in->life_secs,
			      in->life_kbytes);
}

/* ESP transform IDs (RFC 2407 4.4.4) and the IKEv2 ciphers they are. */
static const struct {
	uint8_t v1;
	uint16_t v2;
} esp_encrs[] = {
	{ IKEV1_ESP_DES, IKEV2_ENCR_DES },
	{ IKEV1_ESP_3DES, IKEV2_ENCR_3DES },
	{ IKEV1_ESP_NULL, IKEV2_ENCR_NULL },
	{ IKEV1_ESP_AES, IKEV2_ENCR_AES_CBC },
	{ IKEV1_ESP_AES_GCM_8, IKEV2_ENCR_AES_GCM_8 },
	{ IKEV1_ESP_AES_GCM_12, IKEV2_ENCR_AES_GCM_12 },
	{ IKEV1_ESP_AES_GCM_16, IKEV2_ENCR_AES_GCM_16 },
};

/* Authentication Algorithm (RFC 2407 4.5) and the IKEv2 integrity. */
static const struct {
	uint16_t v1;
	uint16_t v2;
} esp_integs[] = {
	{ IKEV1_AUTH_HMAC_MD5, IKEV2_INTEG_HMAC_MD5_96 },
	{ IKEV1_AUTH_HMAC_SHA1, IKEV2_INTEG_HMAC_SHA1_96 },
	{ IKEV1_AUTH_HMAC_SHA2_256, IKEV2_INTEG_HMAC_SHA2_256_128 },
	{ IKEV1_AUTH_HMAC_SHA2_384, IKEV2_INTEG_HMAC_SHA2_384_192 },
	{ IKEV1_AUTH_HMAC_SHA2_512, IKEV2_INTEG_HMAC_SHA2_512_256 },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool esp_aead(uint16_t encr)
{
	return encr == IKEV2_ENCR_AES_GCM_8 || encr == IKEV2_ENCR_AES_GCM_12 ||
	       encr == IKEV2_ENCR_AES_GCM_16;
}

static enum v1_err esp_attr(const struct v1pl_transform *xf, unsigned int *i,
			    struct v1xf_esp *out, const struct v1pl_attr **kl,
			    bool *has_integ)
{
	const struct v1pl_attr *a = &xf->attr[*i];
	size_t k;

	if (a->tlv && a->type != IKEV1_ATTR_SA_LIFE_DURATION)
		return V1_E_ATTRIBUTES;
	switch (a->type) {
	case IKEV1_ATTR_SA_LIFE_TYPE:
		if (!life(xf, *i, IKEV1_ATTR_SA_LIFE_DURATION, &out->life_secs,
			  &out->life_kbytes))
			return V1_E_ATTRIBUTES;
		(*i)++;
		return V1_OK;
	case IKEV1_ATTR_PFS_GROUP:
		out->group = (uint16_t)a->value;
		return names_get(NAMES_V1_GROUP, out->group) ? V1_OK
							     : V1_E_ATTRIBUTES;
	case IKEV1_ATTR_ENCAP_MODE:
		out->encap = (uint16_t)a->value;
		return names_get(NAMES_V1_ENCAP, out->encap) ? V1_OK
							     : V1_E_ATTRIBUTES;
	case IKEV1_ATTR_AUTH_ALG:
		for (k = 0; k < ARRAY_SIZE(esp_integs); k++)
			if (esp_integs[k].v1 == a->value)
				break;
		if (k == ARRAY_SIZE(esp_integs))
			return V1_E_ATTRIBUTES;
		out->integ = esp_integs[k].v2;
		*has_integ = true;
		return V1_OK;
	case IKEV1_ATTR_IPSEC_KEY_LENGTH:
		*kl = a;
		return V1_OK;
	case IKEV1_ATTR_ESN:
		/* RFC 4304 2: 1 is the only value */
		out->esn = true;
		return a->value == 1 ? V1_OK : V1_E_ATTRIBUTES;
	}
	/* key rounds, compression, ECN tunnel, unknown: not supported */
	return V1_E_ATTRIBUTES;
}

enum v1_err v1xf_esp_decode(const struct v1pl_transform *xf,
			    struct v1xf_esp *out)
{
	const struct v1pl_attr *kl = NULL;
	bool has_integ = false;
	enum v1_err err;
	unsigned int i;
	size_t k;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < ARRAY_SIZE(esp_encrs); k++)
		if (esp_encrs[k].v1 == xf->id)
			break;
	if (k == ARRAY_SIZE(esp_encrs))
		return V1_E_TRANSFORM;
	out->encr = esp_encrs[k].v2;
	out->integ = IKEV2_INTEG_NONE;
	for (i = 0; i < xf->n_attr; i++) {
		err = esp_attr(xf, &i, out, &kl, &has_integ);
		if (err)
			return err;
	}
	if (!key_bits(out->encr, kl, &out->encr_bits))
		return V1_E_ATTRIBUTES;
	/* RFC 4106 8.4: no Authentication Algorithm with an AEAD */
	if (esp_aead(out->encr) == has_integ)
		return V1_E_ATTRIBUTES;
	return V1_OK;
}

bool v1xf_esp_encode(const struct v1xf_esp *in, uint8_t num,
		     struct v1pl_transform *xf)
{
	size_t k, j;
	bool ok = true;

	memset(xf, 0, sizeof(*xf));
	xf->num = num;
	for (k = 0; k < ARRAY_SIZE(esp_encrs); k++)
		if (esp_encrs[k].v2 == in->encr)
			break;
	for (j = 0; j < ARRAY_SIZE(esp_integs); j++)
		if (esp_integs[j].v2 == in->integ)
			break;
	if (k == ARRAY_SIZE(esp_encrs) ||
	    esp_aead(in->encr) != (j == ARRAY_SIZE(esp_integs)) ||
	    (!esp_aead(in->encr) && in->integ == IKEV2_INTEG_NONE))
		return false;
	xf->id = esp_encrs[k].v1;
	if (in->life_secs || in->life_kbytes)
		ok = add_life(xf, IKEV1_ATTR_SA_LIFE_TYPE, in->life_secs,
			      in->life_kbytes);
	if (ok && in->group)
		ok = v1pl_attr_add(xf, IKEV1_ATTR_PFS_GROUP, false, 2, in->group);
	if (ok && in->encap)
		ok = v1pl_attr_add(xf, IKEV1_ATTR_ENCAP_MODE, false, 2, in->encap);
	if (ok && j < ARRAY_SIZE(esp_integs))
		ok = v1pl_attr_add(xf, IKEV1_ATTR_AUTH_ALG, false, 2,
				   esp_integs[j].v1);
	if (ok && in->encr_bits)
		ok = v1pl_attr_add(xf, IKEV1_ATTR_IPSEC_KEY_LENGTH, false, 2,
				   in->encr_bits);
	if (ok && in->esn)
		ok = v1pl_attr_add(xf, IKEV1_ATTR_ESN, false, 2, 1);
	return ok;
}
