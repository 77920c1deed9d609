// SPDX-License-Identifier: GPL-2.0
/*
 * Security associations: their life cycle, lookups and lifetimes.
 *
 * An SA sits on its device's inbound or outbound list (newest first) and,
 * when inbound, in a hash keyed by (underlay netns, SPI) that the receive
 * path searches.  The lists and the hash are RCU for readers; changes take
 * the device's sa_lock, plus ikevti_sa_hash_lock for the hash.
 *
 * References: one for being linked, one per packet in the cipher, one for
 * a pending kill_work.  The last put frees the SA after a grace period,
 * in process context (the crypto transform may not be freed in softirq).
 */

#include <linux/hashtable.h>
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "esp.h"
#include "netlink.h"
#include "sa.h"

static DEFINE_HASHTABLE(ikevti_sa_hash, 10);
static DEFINE_SPINLOCK(ikevti_sa_hash_lock);
static struct workqueue_struct *ikevti_wq;

static u32 ikevti_spi_hash(const struct net *net, __be32 spi)
{
	return (__force u32)spi ^ net_hash_mix(net);
}

struct ikevti_sa *ikevti_sa_lookup_in(struct net *net, __be32 spi)
{
	struct ikevti_sa *sa;

	hash_for_each_possible_rcu(ikevti_sa_hash, sa, hnode,
				   ikevti_spi_hash(net, spi))
		if (sa->spi == spi && net_eq(sa->net, net))
			return sa;
	return NULL;
}

static bool ikevti_addr_in(unsigned short family, const void *a,
			   const union ikevti_addr *lo,
			   const union ikevti_addr *hi)
{
	size_t len = family == AF_INET ? 4 : 16;

	return memcmp(a, lo, len) >= 0 && memcmp(a, hi, len) <= 0;
}

static bool ikevti_ts_match(const struct ikevti_ts *ts, unsigned int n,
			    const struct ikevti_flow *f, const void *addr,
			    __be16 port)
{
	unsigned int i;

	if (!n)
		return true;
	for (i = 0; i < n; i++, ts++) {
		if (ts->family != f->family)
			continue;
		if (ts->proto && ts->proto != f->proto)
			continue;
		if (!ikevti_addr_in(f->family, addr, &ts->lo, &ts->hi))
			continue;
		if (ts->port_lo == 0 && ts->port_hi == 0xffff)
			return true;
		/* A narrowed port range needs ports to compare. */
		if (f->has_ports && ntohs(port) >= ts->port_lo &&
		    ntohs(port) <= ts->port_hi)
			return true;
	}
	return false;
}

bool ikevti_sa_match_flow(const struct ikevti_sa *sa,
			  const struct ikevti_flow *f, bool outbound)
{
	const struct ikevti_ts *local, *remote;
	const struct ikevti_ts_set *t;
	bool ok = true;

	rcu_read_lock();
	t = rcu_dereference(sa->ts);
	if (t) {
		local = t->ts;
		remote = t->ts + t->n_local;
		if (outbound)
			ok = ikevti_ts_match(local, t->n_local, f, &f->saddr,
					     f->sport) &&
			     ikevti_ts_match(remote, t->n_remote, f, &f->daddr,
					     f->dport);
		else
			ok = ikevti_ts_match(remote, t->n_remote, f, &f->saddr,
					     f->sport) &&
			     ikevti_ts_match(local, t->n_local, f, &f->daddr,
					     f->dport);
	}
	rcu_read_unlock();
	return ok;
}

/* skb->data is the inner IP header. */
int ikevti_flow_from_skb(struct sk_buff *skb, struct ikevti_flow *f)
{
	unsigned int thoff;
	__be16 ports[2], *pp;

	memset(f, 0, sizeof(*f));
	switch (skb->protocol) {
	case htons(ETH_P_IP): {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return -EINVAL;
		iph = ip_hdr(skb);
		f->family = AF_INET;
		f->proto = iph->protocol;
		f->saddr.v4 = iph->saddr;
		f->daddr.v4 = iph->daddr;
		thoff = iph->ihl * 4;
		/* Only the first fragment has ports. */
		if (ip_is_fragment(iph) && (iph->frag_off & htons(IP_OFFSET)))
			return 0;
		break;
	}
	case htons(ETH_P_IPV6): {
		const struct ipv6hdr *ip6h;
		__be16 frag_off;
		u8 nexthdr;
		int off;

		if (!pskb_may_pull(skb, sizeof(*ip6h)))
			return -EINVAL;
		ip6h = ipv6_hdr(skb);
		f->family = AF_INET6;
		f->saddr.v6 = ip6h->saddr;
		f->daddr.v6 = ip6h->daddr;
		nexthdr = ip6h->nexthdr;
		off = ipv6_skip_exthdr(skb, sizeof(*ip6h), &nexthdr, &frag_off);
		f->proto = nexthdr;
		if (off < 0 || (frag_off & htons(~0x7)))
			return 0;
		thoff = off;
		break;
	}
	default:
		return -EPROTONOSUPPORT;
	}

	switch (f->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
		pp = skb_header_pointer(skb, skb_network_offset(skb) + thoff,
					sizeof(ports), ports);
		if (pp) {
			f->sport = pp[0];
			f->dport = pp[1];
			f->has_ports = true;
		}
		break;
	}
	return 0;
}

struct ikevti_sa *ikevti_sa_lookup_out(struct ikevti_device *ikd,
				       const struct ikevti_flow *f, bool *any)
{
	struct ikevti_sa *sa;

	*any = false;
	list_for_each_entry_rcu(sa, &ikd->sa_out, list) {
		/* One on its way out (hard expiry) is as good as none. */
		if (atomic_read(&sa->expired) == 2)
			continue;
		*any = true;
		if (ikevti_sa_match_flow(sa, f, true))
			return sa;
	}
	return NULL;
}

/* Under ikd->sa_lock. */
struct ikevti_sa *ikevti_sa_find(struct ikevti_device *ikd, u8 dir,
				 __be32 spi)
{
	struct list_head *head = dir == IKEVTI_DIR_IN ? &ikd->sa_in :
							&ikd->sa_out;
	struct ikevti_sa *sa;

	list_for_each_entry(sa, head, list)
		if (sa->spi == spi)
			return sa;
	return NULL;
}

static void ikevti_sa_free_work(struct work_struct *work)
{
	struct ikevti_sa *sa = container_of(to_rcu_work(work),
					    struct ikevti_sa, free_work);

	ikevti_esp_free_sa(sa);
	ikevti_replay_free(rcu_dereference_protected(sa->replay, true));
	free_percpu(sa->stats);
	kfree(rcu_dereference_protected(sa->ts, true));
	kfree(rcu_dereference_protected(sa->lt, true));
	dev_put(sa->dev);
	kfree_sensitive(sa);
}

void ikevti_sa_put(struct ikevti_sa *sa)
{
	if (refcount_dec_and_test(&sa->ref))
		queue_rcu_work(ikevti_wq, &sa->free_work);
}

/*
 * The longest a timer may wait.  A limit further away than this is looked
 * at again when the wait ends, so that no lifetime, up to 2^64 - 1
 * seconds, can overflow the arithmetic: it just never comes.
 */
#define IKEVTI_LT_MAX_WAIT	((u64)(MAX_JIFFY_OFFSET / HZ) - 1)

/* Seconds since the SA was added; the boot clock never steps back. */
static u64 ikevti_sa_age(const struct ikevti_sa *sa)
{
	time64_t age = ktime_get_boottime_seconds() - sa->add_boot;

	return age > 0 ? age : 0;
}

/* Arm expire_work for the next time limit to come, if any. */
static void ikevti_sa_apply_lifetimes(struct ikevti_sa *sa)
{
	const struct ikevti_lifetime *l;
	u64 limit = 0, age, wait;

	rcu_read_lock();
	l = rcu_dereference(sa->lt);
	if (l) {
		if (l->lt[IKEVTI_LT_SOFT_SECS] && atomic_read(&sa->expired) < 1)
			limit = l->lt[IKEVTI_LT_SOFT_SECS];
		else
			limit = l->lt[IKEVTI_LT_HARD_SECS];
	}
	rcu_read_unlock();
	if (!limit)
		return;

	age = ikevti_sa_age(sa);
	wait = limit > age ? min(limit - age, IKEVTI_LT_MAX_WAIT) : 0;
	mod_delayed_work(ikevti_wq, &sa->expire_work, wait * HZ);
}

static void ikevti_sa_kill_later(struct ikevti_sa *sa)
{
	if (ikevti_sa_get(sa) && !queue_work(ikevti_wq, &sa->kill_work))
		ikevti_sa_put(sa);
}

static void ikevti_sa_soft_expire(struct ikevti_sa *sa, gfp_t gfp)
{
	if (atomic_cmpxchg(&sa->expired, 0, 1) == 0)
		ikevti_nl_event_expire(sa, false, gfp);
}

static void ikevti_sa_hard_expire(struct ikevti_sa *sa)
{
	if (atomic_xchg(&sa->expired, 2) != 2)
		ikevti_sa_kill_later(sa);
}

static void ikevti_sa_expire_work(struct work_struct *work)
{
	struct ikevti_sa *sa = container_of(to_delayed_work(work),
					    struct ikevti_sa, expire_work);
	const struct ikevti_lifetime *l;
	u64 soft = 0, hard = 0, age;

	rcu_read_lock();
	l = rcu_dereference(sa->lt);
	if (l) {
		soft = l->lt[IKEVTI_LT_SOFT_SECS];
		hard = l->lt[IKEVTI_LT_HARD_SECS];
	}
	rcu_read_unlock();

	/*
	 * Both sides are unsigned and the age is the boot clock's, so a
	 * limit that is not reached yet is never mistaken for one that is,
	 * and the re-arm below always waits at least a second.
	 */
	age = ikevti_sa_age(sa);
	if (hard && age >= hard) {
		ikevti_sa_hard_expire(sa);
		return;
	}
	if (soft && age >= soft)
		ikevti_sa_soft_expire(sa, GFP_KERNEL);
	ikevti_sa_apply_lifetimes(sa);
}

/*
 * The SA can protect no further packet (its sequence numbers ran out):
 * expire it as the hard limit would, so that it goes and the daemon hears.
 */
void ikevti_sa_expire_now(struct ikevti_sa *sa)
{
	ikevti_sa_hard_expire(sa);
}

/* Under ikd->sa_lock. */
static void ikevti_sa_unlink(struct ikevti_sa *sa)
{
	sa->linked = false;
	list_del_rcu(&sa->list);
	if (sa->dir == IKEVTI_DIR_IN) {
		spin_lock_bh(&ikevti_sa_hash_lock);
		hash_del_rcu(&sa->hnode);
		spin_unlock_bh(&ikevti_sa_hash_lock);
	}
}

static void ikevti_sa_kill_work(struct work_struct *work)
{
	struct ikevti_sa *sa = container_of(work, struct ikevti_sa, kill_work);
	struct ikevti_device *ikd = sa->ikd;
	bool was_linked;

	mutex_lock(&ikd->sa_lock);
	was_linked = sa->linked;
	if (was_linked)
		ikevti_sa_unlink(sa);
	mutex_unlock(&ikd->sa_lock);

	if (was_linked) {
		cancel_delayed_work_sync(&sa->expire_work);
		ikevti_nl_event_expire(sa, true, GFP_KERNEL);
		ikevti_device_update_carrier(ikd);
		ikevti_sa_put(sa);	/* the lists' reference */
	}
	ikevti_sa_put(sa);		/* this work's reference */
}

/* After ikevti_sa_unlink(), outside sa_lock: drop the lists' reference. */
static void ikevti_sa_release(struct ikevti_sa *sa)
{
	cancel_delayed_work_sync(&sa->expire_work);
	if (cancel_work_sync(&sa->kill_work))
		ikevti_sa_put(sa);
	ikevti_sa_put(sa);
}

void ikevti_sa_account(struct ikevti_sa *sa, unsigned int bytes)
{
	u64 b = atomic64_add_return(bytes, &sa->cur_bytes);
	u64 p = atomic64_inc_return(&sa->cur_packets);
	const struct ikevti_lifetime *l;
	bool hard, soft;

	WRITE_ONCE(sa->use_time, ktime_get_real_seconds());
	rcu_read_lock();
	l = rcu_dereference(sa->lt);
	if (!l) {
		rcu_read_unlock();
		return;
	}
	hard = (l->lt[IKEVTI_LT_HARD_BYTES] && b >= l->lt[IKEVTI_LT_HARD_BYTES]) ||
	       (l->lt[IKEVTI_LT_HARD_PACKETS] &&
		p >= l->lt[IKEVTI_LT_HARD_PACKETS]);
	soft = (l->lt[IKEVTI_LT_SOFT_BYTES] && b >= l->lt[IKEVTI_LT_SOFT_BYTES]) ||
	       (l->lt[IKEVTI_LT_SOFT_PACKETS] &&
		p >= l->lt[IKEVTI_LT_SOFT_PACKETS]);
	rcu_read_unlock();

	if (hard)
		ikevti_sa_hard_expire(sa);
	else if (soft)
		ikevti_sa_soft_expire(sa, GFP_ATOMIC);
}

/* The limits of c as a new set, NULL when it has none, or an ERR_PTR. */
static struct ikevti_lifetime *ikevti_lifetime_new(const struct ikevti_sa_config *c)
{
	struct ikevti_lifetime *l;

	if (!memchr_inv(c->lt, 0, sizeof(c->lt)))
		return NULL;
	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return ERR_PTR(-ENOMEM);
	memcpy(l->lt, c->lt, sizeof(l->lt));
	return l;
}

/* The selectors of c; NULL when it has none, or an ERR_PTR. */
static struct ikevti_ts_set *ikevti_ts_set_new(const struct ikevti_sa_config *c)
{
	unsigned int n = c->n_ts_local + c->n_ts_remote;
	struct ikevti_ts_set *t;

	if (!n)
		return NULL;
	t = kmalloc(struct_size(t, ts, n), GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	t->n_local = c->n_ts_local;
	t->n_remote = c->n_ts_remote;
	memcpy(t->ts, c->ts_local, c->n_ts_local * sizeof(*t->ts));
	memcpy(t->ts + c->n_ts_local, c->ts_remote,
	       c->n_ts_remote * sizeof(*t->ts));
	return t;
}

static bool ikevti_lifetimes_ok(const u64 *lt, struct netlink_ext_ack *extack)
{
	unsigned int i;

	for (i = 0; i < IKEVTI_LT_N; i += 2) {
		if (lt[i] && lt[i + 1] && lt[i] > lt[i + 1]) {
			NL_SET_ERR_MSG(extack, "ikevti: a soft lifetime exceeds its hard lifetime");
			return false;
		}
	}
	return true;
}

int ikevti_sa_add(struct ikevti_device *ikd, const struct ikevti_sa_config *c,
		  struct netlink_ext_ack *extack)
{
	const struct ikevti_params *p;
	struct ikevti_lifetime *lt;
	struct net *net;
	struct ikevti_ts_set *ts;
	struct ikevti_sa *sa;
	u32 window;
	int err;

	if (c->has_lifetime && !ikevti_lifetimes_ok(c->lt, extack))
		return -EINVAL;

	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return -ENOMEM;
	sa->ikd = ikd;
	sa->dev = ikd->dev;
	sa->spi = c->spi;
	sa->dir = c->dir;
	sa->origin = c->origin ?: IKEVTI_ORIGIN_MANUAL;
	sa->flags = c->flags;
	sa->cookie = c->cookie;
	sa->enc = c->enc;
	sa->auth = c->auth;
	sa->add_time = ktime_get_real_seconds();
	sa->add_boot = ktime_get_boottime_seconds();
	refcount_set(&sa->ref, 1);
	spin_lock_init(&sa->replay_lock);
	atomic64_set(&sa->seq_out, c->seq);
	INIT_RCU_WORK(&sa->free_work, ikevti_sa_free_work);
	INIT_DELAYED_WORK(&sa->expire_work, ikevti_sa_expire_work);
	INIT_WORK(&sa->kill_work, ikevti_sa_kill_work);

	ts = ikevti_ts_set_new(c);
	if (IS_ERR(ts)) {
		err = PTR_ERR(ts);
		goto err_free;
	}
	RCU_INIT_POINTER(sa->ts, ts);
	lt = ikevti_lifetime_new(c);
	if (IS_ERR(lt)) {
		err = PTR_ERR(lt);
		goto err_free;
	}
	RCU_INIT_POINTER(sa->lt, lt);
	sa->stats = ikevti_stats_alloc(GFP_KERNEL);
	if (!sa->stats) {
		err = -ENOMEM;
		goto err_free;
	}
	err = ikevti_esp_init_sa(sa, c, extack);
	if (err)
		goto err_stats;

	rcu_read_lock();
	p = rcu_dereference(ikd->params);
	window = c->has_replay_window ? c->replay_window : p->replay_window;
	rcu_read_unlock();
	if (sa->dir == IKEVTI_DIR_IN) {
		struct ikevti_replay *r = ikevti_replay_alloc(window, GFP_KERNEL);

		if (!r) {
			err = -ENOMEM;
			goto err_esp;
		}
		RCU_INIT_POINTER(sa->replay, r);
	}
	dev_hold(sa->dev);

	mutex_lock(&ikd->sa_lock);
	if (ikd->dead) {
		NL_SET_ERR_MSG(extack, "ikevti: the device is going away");
		err = -ENODEV;
		goto err_unlock;
	}
	/* Read under sa_lock: the namespace's pre_exit clears it so. */
	net = ikevti_underlay_net(ikd);
	if (!net) {
		NL_SET_ERR_MSG(extack, "ikevti: the underlay namespace of the device is gone");
		err = -ENETUNREACH;
		goto err_unlock;
	}
	sa->net = net;
	if (ikevti_sa_find(ikd, sa->dir, sa->spi)) {
		NL_SET_ERR_MSG(extack,
			       "ikevti: an SA with this SPI and direction exists on the device");
		err = -EEXIST;
		goto err_unlock;
	}
	if (sa->dir == IKEVTI_DIR_IN) {
		spin_lock_bh(&ikevti_sa_hash_lock);
		if (ikevti_sa_lookup_in(net, sa->spi)) {
			spin_unlock_bh(&ikevti_sa_hash_lock);
			NL_SET_ERR_MSG(extack,
				       "ikevti: another ikevti device of this underlay namespace receives this SPI");
			err = -EEXIST;
			goto err_unlock;
		}
		hash_add_rcu(ikevti_sa_hash, &sa->hnode,
			     ikevti_spi_hash(net, sa->spi));
		spin_unlock_bh(&ikevti_sa_hash_lock);
		list_add_rcu(&sa->list, &ikd->sa_in);
	} else {
		/* Newest first: this is the switch to the new SA. */
		list_add_rcu(&sa->list, &ikd->sa_out);
	}
	sa->linked = true;
	ikevti_sa_apply_lifetimes(sa);
	mutex_unlock(&ikd->sa_lock);

	ikevti_device_update_carrier(ikd);
	return 0;

err_unlock:
	mutex_unlock(&ikd->sa_lock);
	dev_put(sa->dev);
	ikevti_replay_free(rcu_dereference_protected(sa->replay, true));
err_esp:
	ikevti_esp_free_sa(sa);
err_stats:
	free_percpu(sa->stats);
err_free:
	kfree(rcu_dereference_protected(sa->ts, true));
	kfree(rcu_dereference_protected(sa->lt, true));
	kfree_sensitive(sa);
	return err;
}

int ikevti_sa_set(struct ikevti_device *ikd, const struct ikevti_sa_config *c,
		  struct netlink_ext_ack *extack)
{
	struct ikevti_replay *old = NULL, *nr = NULL;
	struct ikevti_lifetime *lt = NULL;
	struct ikevti_ts_set *ts;
	struct ikevti_sa *sa;
	int err = 0;

	if (c->has_lifetime) {
		if (!ikevti_lifetimes_ok(c->lt, extack))
			return -EINVAL;
		lt = ikevti_lifetime_new(c);
		if (IS_ERR(lt))
			return PTR_ERR(lt);
	}
	if (c->has_replay_window && c->dir == IKEVTI_DIR_IN) {
		nr = ikevti_replay_alloc(c->replay_window, GFP_KERNEL);
		if (!nr) {
			kfree(lt);
			return -ENOMEM;
		}
	}

	mutex_lock(&ikd->sa_lock);
	sa = ikevti_sa_find(ikd, c->dir, c->spi);
	if (!sa) {
		NL_SET_ERR_MSG(extack, "ikevti: no SA with this SPI and direction on the device");
		err = -ENOENT;
		goto out;
	}
	if (c->has_lifetime) {
		/* Readers see the old limits or the new ones, never a mix. */
		lt = rcu_replace_pointer(sa->lt, lt,
					 lockdep_is_held(&ikd->sa_lock));
		ikevti_sa_apply_lifetimes(sa);
		if (lt)
			kfree_rcu(lt, rcu);
		lt = NULL;
	}
	if (c->has_ts) {
		ts = ikevti_ts_set_new(c);
		if (IS_ERR(ts)) {
			err = PTR_ERR(ts);
			goto out;
		}
		ts = rcu_replace_pointer(sa->ts, ts,
					 lockdep_is_held(&ikd->sa_lock));
		if (ts)
			kfree_rcu(ts, rcu);
	}
	if (nr) {
		/* A new window starts where the old one was. */
		spin_lock_bh(&sa->replay_lock);
		old = rcu_dereference_protected(sa->replay,
						lockdep_is_held(&sa->replay_lock));
		if (ikevti_replay_top(old))
			ikevti_replay_advance(nr, ikevti_replay_top(old));
		rcu_assign_pointer(sa->replay, nr);
		spin_unlock_bh(&sa->replay_lock);
		nr = NULL;
	}
out:
	mutex_unlock(&ikd->sa_lock);
	if (old) {
		synchronize_net();
		ikevti_replay_free(old);
	}
	ikevti_replay_free(nr);
	kfree(lt);
	return err;
}

int ikevti_sa_del(struct ikevti_device *ikd, u8 dir, __be32 spi,
		  struct netlink_ext_ack *extack)
{
	struct ikevti_sa *sa;

	mutex_lock(&ikd->sa_lock);
	sa = ikevti_sa_find(ikd, dir, spi);
	if (!sa) {
		mutex_unlock(&ikd->sa_lock);
		NL_SET_ERR_MSG(extack, "ikevti: no SA with this SPI and direction on the device");
		return -ENOENT;
	}
	ikevti_sa_unlink(sa);
	mutex_unlock(&ikd->sa_lock);

	ikevti_sa_release(sa);
	ikevti_device_update_carrier(ikd);
	return 0;
}

void ikevti_sa_flush(struct ikevti_device *ikd, u8 origin)
{
	struct ikevti_sa *sa, *tmp;
	LIST_HEAD(dead);

	mutex_lock(&ikd->sa_lock);
	list_for_each_entry_safe(sa, tmp, &ikd->sa_in, list)
		if (!origin || sa->origin == origin) {
			ikevti_sa_unlink(sa);
			list_add(&sa->gc, &dead);
		}
	list_for_each_entry_safe(sa, tmp, &ikd->sa_out, list)
		if (!origin || sa->origin == origin) {
			ikevti_sa_unlink(sa);
			list_add(&sa->gc, &dead);
		}
	mutex_unlock(&ikd->sa_lock);

	list_for_each_entry_safe(sa, tmp, &dead, gc)
		ikevti_sa_release(sa);
	ikevti_device_update_carrier(ikd);
}

int __init ikevti_sa_init(void)
{
	ikevti_wq = alloc_workqueue("ikevti", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return ikevti_wq ? 0 : -ENOMEM;
}

void ikevti_sa_uninit(void)
{
	/* Frees queued by call_rcu-like rcu_work must run before we go. */
	rcu_barrier();
	destroy_workqueue(ikevti_wq);
}
