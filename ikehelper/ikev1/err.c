// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv1 fault table, expanded from V1ERR_LIST, and the mapping of the
 * shared codec's faults onto it.
 */
#include "err.h"

#define V1ERR_ROW(id, n, str) [id] = { n, str },
static const struct {
	uint16_t notify;
	const char *str;
} v1err_tab[V1_ERR_COUNT] = {
	V1ERR_LIST(V1ERR_ROW)
};
#undef V1ERR_ROW

const char *v1err_str(enum v1_err err)
{
	if ((unsigned int)err >= V1_ERR_COUNT)
		return "unknown error";
	return v1err_tab[err].str;
}

uint16_t v1err_notify(enum v1_err err)
{
	if ((unsigned int)err >= V1_ERR_COUNT)
		return 0;
	return v1err_tab[err].notify;
}

enum v1_err v1err_from_msg(enum msg_err err)
{
	switch (err) {
	case MSG_OK:
		return V1_OK;
	case MSG_E_SHORT:
		return V1_E_SHORT;
	case MSG_E_LENGTH:
		return V1_E_LENGTH;
	case MSG_E_MAJOR:
		return V1_E_MAJOR;
	/* RFC 2408 5.2: a Next Payload value we do not know */
	case MSG_E_UNKNOWN_V1:
	case MSG_E_CRITICAL:
		return V1_E_PAYLOAD_TYPE;
	case MSG_E_TOO_MANY:
		return V1_E_TOO_MANY;
	case MSG_E_NOSPACE:
		return V1_E_NOSPACE;
	case MSG_E_INVALID:
		return V1_E_INVALID;
	case MSG_E_CRYPTO:
		return V1_E_CRYPTO;
	/* lengths that do not tile the message, bad bodies */
	default:
		return V1_E_MALFORMED;
	}
}
