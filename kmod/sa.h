/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKEVTI_SA_H
#define _IKEVTI_SA_H

#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <crypto/aead.h>
#include <uapi/linux/ikevti.h>

#include "device.h"
#include "replay.h"
#include "stats.h"

struct ikevti_flow;

struct ikevti_ts {
	unsigned short family;
	u8 proto;
	u16 port_lo;
	u16 port_hi;
	union ikevti_addr lo;
	union ikevti_addr hi;
};

/* An SA's selectors, replaced as a whole: the local ones, then remote. */
struct ikevti_ts_set {
	struct rcu_head rcu;
	u8 n_local;
	u8 n_remote;
	struct ikevti_ts ts[];
};

enum {
	IKEVTI_LT_SOFT_SECS,
	IKEVTI_LT_HARD_SECS,
	IKEVTI_LT_SOFT_BYTES,
	IKEVTI_LT_HARD_BYTES,
	IKEVTI_LT_SOFT_PACKETS,
	IKEVTI_LT_HARD_PACKETS,
	IKEVTI_LT_N,
};

/*
 * An SA's limits, replaced as a whole by SA_SET while the datapath reads
 * them, so that a reader never sees half of an update.  0: no limit.
 */
struct ikevti_lifetime {
	struct rcu_head rcu;
	u64 lt[IKEVTI_LT_N];
};

struct ikevti_sa {
	struct hlist_node hnode;	/* inbound: ikevti_sa_hash */
	struct list_head list;		/* ikd->sa_in or ikd->sa_out */
	struct list_head gc;		/* private list while being flushed */
	struct rcu_work free_work;
	refcount_t ref;			/* lists + in-flight crypto */
	struct ikevti_device *ikd;
	struct net_device *dev;
	struct net *net;		/* underlay */

	__be32 spi;
	u8 dir;
	u8 origin;
	u32 flags;
	u32 cookie;

	u16 enc;
	u16 auth;
	struct crypto_aead *aead;
	u8 ivlen;
	u8 icvlen;
	u8 blksize;
	u8 aadlen;			/* 8, or 12 with ESN */
	bool iv_from_seq;		/* counter modes: IV = sequence number */

	atomic64_t seq_out;		/* last number sent */

	spinlock_t replay_lock;		/* advance() and replacement */
	struct ikevti_replay __rcu *replay;

	struct ikevti_lifetime __rcu *lt;	/* NULL: no limits */
	atomic64_t cur_bytes;
	atomic64_t cur_packets;
	time64_t add_time;		/* CLOCK_REALTIME, for user space */
	time64_t add_boot;		/* CLOCK_BOOTTIME, for the limits */
	time64_t use_time;
	atomic_t expired;		/* 0, 1 soft, 2 hard */
	bool wrap_warned;
	bool linked;			/* on the lists; under ikd->sa_lock */
	struct delayed_work expire_work;
	struct work_struct kill_work;

	struct ikevti_ts_set __rcu *ts;	/* NULL: everything */

	struct ikevti_stats __percpu *stats;
};

/* Parsed form of the IKEVTI_SA_A_* request attributes. */
struct ikevti_sa_config {
	u8 dir;
	__be32 spi;
	u16 enc;
	u16 auth;
	const u8 *enc_key;
	unsigned int enc_keylen;
	const u8 *auth_key;
	unsigned int auth_keylen;
	u32 flags;
	bool has_replay_window;
	u32 replay_window;
	bool has_lifetime;
	u64 lt[IKEVTI_LT_N];
	bool has_ts;
	u8 n_ts_local;
	u8 n_ts_remote;
	struct ikevti_ts ts_local[IKEVTI_TS_MAX];
	struct ikevti_ts ts_remote[IKEVTI_TS_MAX];
	bool has_seq;
	u64 seq;			/* outbound: the last number sent */
	u8 origin;
	u32 cookie;
};

int ikevti_sa_init(void);
void ikevti_sa_uninit(void);

int ikevti_sa_add(struct ikevti_device *ikd, const struct ikevti_sa_config *c,
		  struct netlink_ext_ack *extack);
int ikevti_sa_set(struct ikevti_device *ikd, const struct ikevti_sa_config *c,
		  struct netlink_ext_ack *extack);
int ikevti_sa_del(struct ikevti_device *ikd, u8 dir, __be32 spi,
		  struct netlink_ext_ack *extack);
void ikevti_sa_flush(struct ikevti_device *ikd, u8 origin);
struct ikevti_sa *ikevti_sa_find(struct ikevti_device *ikd, u8 dir,
				 __be32 spi);

struct ikevti_sa *ikevti_sa_lookup_in(struct net *net, __be32 spi);
struct ikevti_sa *ikevti_sa_lookup_out(struct ikevti_device *ikd,
				       const struct ikevti_flow *f, bool *any);
/* The selector-relevant fields of an inner packet. */
struct ikevti_flow {
	unsigned short family;
	u8 proto;
	bool has_ports;
	__be16 sport;
	__be16 dport;
	union ikevti_addr saddr;
	union ikevti_addr daddr;
};

int ikevti_flow_from_skb(struct sk_buff *skb, struct ikevti_flow *f);
bool ikevti_sa_match_flow(const struct ikevti_sa *sa,
			  const struct ikevti_flow *f, bool outbound);

static inline bool ikevti_sa_get(struct ikevti_sa *sa)
{
	return refcount_inc_not_zero(&sa->ref);
}

static inline u64 ikevti_sa_seq_max(const struct ikevti_sa *sa)
{
	return sa->flags & IKEVTI_SA_F_ESN ? U64_MAX : U32_MAX;
}

void ikevti_sa_put(struct ikevti_sa *sa);
void ikevti_sa_account(struct ikevti_sa *sa, unsigned int bytes);
void ikevti_sa_expire_now(struct ikevti_sa *sa);

#endif /* _IKEVTI_SA_H */
