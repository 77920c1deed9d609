// SPDX-License-Identifier: GPL-2.0
/*
 * Secrets in buffers that are wiped on free.  OPENSSL_cleanse() is used for
 * the wipe because the compiler cannot prove it dead and drop it.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "secbuf.h"

struct secbuf *secbuf_new(size_t len)
{
	struct secbuf *sb;

	if (len > SIZE_MAX - sizeof(*sb))
		return NULL;
	sb = calloc(1, sizeof(*sb) + len);
	if (sb)
		sb->len = len;
	return sb;
}

struct secbuf *secbuf_dup(const void *p, size_t len)
{
	struct secbuf *sb = secbuf_new(len);

	if (sb && len)
		memcpy(sb->data, p, len);
	return sb;
}

void secbuf_free(struct secbuf *sb)
{
	if (!sb)
		return;
	OPENSSL_cleanse(sb->data, sb->len);
	free(sb);
}

void secbuf_clear(struct secbuf **sbp)
{
	secbuf_free(*sbp);
	*sbp = NULL;
}

bool secbuf_equal(const struct secbuf *a, const struct secbuf *b)
{
	if (!a || !b || a->len != b->len)
		return false;
	return CRYPTO_memcmp(a->data, b->data, a->len) == 0;
}

void secbuf_wipe(void *p, size_t len)
{
	if (p && len)
		OPENSSL_cleanse(p, len);
}
