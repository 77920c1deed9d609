/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKEVTI_DEVICE_H
#define _IKEVTI_DEVICE_H

#include <linux/in6.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/gro_cells.h>
#include <net/net_namespace.h>

#include "stats.h"

union ikevti_addr {
	__be32 v4;
	struct in6_addr v6;
};

/*
 * What `ip link add/set ... type ikevti` configures.  Replaced as a whole
 * under RTNL and read under RCU by the datapath.
 */
struct ikevti_params {
	union ikevti_addr local;
	union ikevti_addr remote;
	union ikevti_addr nexthop;
	unsigned short family;		/* of the underlay: AF_INET(6), or 0 */
	bool has_local;
	bool has_remote;
	bool has_nexthop;
	u32 link;
	u32 fwmark;
	u32 replay_window;
	u8 ttl;
	u8 tos;
	u8 mode;			/* enum ikevti_mode */
	struct rcu_head rcu;
};

struct ikevti_device {
	struct net_device *dev;
	/*
	 * The namespace the link was created in: the underlay stays there
	 * even when the device itself is moved to another namespace.  It
	 * holds no reference; when that namespace goes away its pre_exit
	 * hook sets this to NULL and the device has no underlay from then
	 * on.  Written under RTNL and sa_lock; read under RCU, RTNL or
	 * sa_lock.
	 */
	struct net __rcu *underlay;
	struct ikevti_params __rcu *params;

	/* SAs; RCU for the datapath, sa_lock for changes.  Newest first. */
	struct list_head sa_out;
	struct list_head sa_in;
	struct mutex sa_lock;		/* SA lists and dead */
	bool dead;			/* unregistering: no new SAs */

	struct gro_cells gro_cells;
	struct ikevti_stats __percpu *stats;
	unsigned long acquire_next;	/* jiffies: ACQUIRE rate limit */
	struct list_head node;		/* ikevti_devices */
};

/* The underlay namespace, or NULL when it is gone. */
static inline struct net *ikevti_underlay_net(const struct ikevti_device *ikd)
{
	return rcu_dereference_check(ikd->underlay,
				     rcu_read_lock_bh_held() ||
				     lockdep_rtnl_is_held() ||
				     lockdep_is_held(&ikd->sa_lock));
}

int ikevti_device_init(void);
void ikevti_device_uninit(void);
bool ikevti_is_device(const struct net_device *dev);
void ikevti_device_update_carrier(struct ikevti_device *ikd);
struct ikevti_device *ikevti_device_by_addr(struct net *net,
					    unsigned short family,
					    const void *saddr,
					    const void *daddr);

#endif /* _IKEVTI_DEVICE_H */
