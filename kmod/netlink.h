/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKEVTI_NETLINK_H
#define _IKEVTI_NETLINK_H

#include <linux/types.h>

struct ikevti_device;
struct ikevti_flow;
struct ikevti_sa;

int ikevti_genetlink_init(void);
void ikevti_genetlink_uninit(void);

void ikevti_nl_event_expire(struct ikevti_sa *sa, bool hard, gfp_t gfp);
void ikevti_nl_event_acquire(struct ikevti_device *ikd,
			     const struct ikevti_flow *f);
void ikevti_nl_event_seq_wrap(struct ikevti_sa *sa);

#endif /* _IKEVTI_NETLINK_H */
