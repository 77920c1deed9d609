/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Buffers for secrets: shared DH values, SKEYSEED, SK_*, Child SA keys,
 * pre-shared keys.  secbuf_free() wipes the bytes before it releases them,
 * so a key does not outlive its owner in freed heap memory.
 *
 * A secbuf is immutable in length once allocated; data[] may be written.
 */
#ifndef IKEHELPER_SECBUF_H
#define IKEHELPER_SECBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct secbuf {
	size_t len;
	uint8_t data[];
};

/* A zero-filled buffer of len bytes (len may be 0); NULL when out of memory. */
struct secbuf *secbuf_new(size_t len);

/* A copy of p[0..len). */
struct secbuf *secbuf_dup(const void *p, size_t len);

/* Wipe and free; NULL is allowed. */
void secbuf_free(struct secbuf *sb);

/* Wipe and free *sbp, then set it to NULL. */
void secbuf_clear(struct secbuf **sbp);

/* Equal lengths and equal bytes, compared in constant time for the bytes. */
bool secbuf_equal(const struct secbuf *a, const struct secbuf *b);

/* Wipe any memory (for stack copies of key material). */
void secbuf_wipe(void *p, size_t len);

#endif /* IKEHELPER_SECBUF_H */
