/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traffic selectors (RFC 7296 2.9, 3.13): from the policy to the TS
 * payloads, narrowing by the responder, the initiator's check of the
 * answer, and the conversion to what the kernel takes.
 *
 * Narrowing: the responder answers with every non-empty intersection of
 * one of the initiator's selectors with one of its own policy, so the
 * answer is a subset of both.  An empty answer is TS_UNACCEPTABLE.
 */
#ifndef IKEHELPER_TS_H
#define IKEHELPER_TS_H

#include <stdbool.h>

#include "kernel.h"
#include "payload.h"
#include "policy.h"

/* The policy's list; an empty one is all of IPv4 and all of IPv6. */
void ts_from_policy(const struct policy_ts_list *pol, struct pl_ts_list *out);

/* offered narrowed to pol; 0, or -ENOENT when nothing is left. */
int ts_narrow(const struct pl_ts_list *offered,
	      const struct policy_ts_list *pol, struct pl_ts_list *out);

/* Every selector of sub lies within one of sup. */
bool ts_subset(const struct pl_ts_list *sub, const struct pl_ts_list *sup);

/*
 * For struct kernel_sa: *n is 0 (no list: everything) when the list is
 * all of IPv4 and IPv6, else the selectors, at most IKEVTI_TS_MAX.
 */
void ts_to_kernel(const struct pl_ts_list *l, struct kernel_ts *out,
		  unsigned int *n);

/* For "show child-sa". */
void ts_to_policy(const struct pl_ts_list *l, struct policy_ts_list *out);

#endif /* IKEHELPER_TS_H */
