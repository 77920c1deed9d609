/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the policy_*.c files share and the rest of ikehelper does not
 * need: array growth, and the words of the dump.
 */
#ifndef IKEHELPER_POLICY_PRIV_H
#define IKEHELPER_POLICY_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "policy.h"

#define POLICY_N(a)	(sizeof(a) / sizeof((a)[0]))

/* Grow *arrayp, of n elements of size bytes, by one; false when out of memory. */
bool policy_grow(void *arrayp, size_t n, size_t size);

/*
 * Write s as one configuration word: quoted, with \" and \\, when it
 * would not read back as itself.
 */
void policy_word(const char *s, size_t len, char *buf, size_t size);

void policy_dump_addr(FILE *f, const struct policy_addr *a);
/* "tcp" for 6, ...; NULL for a protocol without a name. */
const char *policy_proto_name(uint8_t proto);
/* A range as a prefix when it is one, else "first-last". */
void policy_dump_range(FILE *f, const struct policy_ts *ts);
/* "10.1.0.0/16 protocol tcp port 443", as the IX command takes it. */
void policy_dump_ts1(FILE *f, const struct policy_ts *ts);

#endif /* IKEHELPER_POLICY_PRIV_H */
