// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: pick the outbound SA for a packet, protect it, and send it in
 * an outer IPv4 or IPv6 header through the underlay namespace.
 */

#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/addrconf.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/neighbour.h>
#include <net/route.h>

#include "compat/compat.h"
#include "device.h"
#include "esp.h"
#include "netlink.h"
#include "sa.h"
#include "send.h"

/* What the outer header needs from the inner one, read before encryption. */
struct ikevti_tx_cb {
	unsigned int len;
	u8 dsfield;
	u8 ttl;
	bool df;
};

static struct ikevti_tx_cb *ikevti_tx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct ikevti_tx_cb) > sizeof(skb->cb));
	return (struct ikevti_tx_cb *)skb->cb;
}

static void ikevti_tx_drop(struct ikevti_device *ikd, struct sk_buff *skb,
			   unsigned int reason)
{
	ikevti_stats_inc(ikd->stats, reason);
	DEV_STATS_INC(ikd->dev, tx_dropped);
	kfree_skb(skb);
}

static void ikevti_maybe_acquire(struct ikevti_device *ikd,
				 const struct ikevti_flow *f)
{
	unsigned long next = READ_ONCE(ikd->acquire_next);

	if (time_before(jiffies, next))
		return;
	if (cmpxchg(&ikd->acquire_next, next, jiffies + HZ) != next)
		return;
	ikevti_nl_event_acquire(ikd, f);
}

/* One packet of at most the MTU, its SA chosen and referenced. */
static void ikevti_xmit_one(struct ikevti_device *ikd, struct ikevti_sa *sa,
			    struct sk_buff *skb, unsigned short family)
{
	struct ikevti_tx_cb *cb = ikevti_tx_cb(skb);

	/* The checksum must be in place before the payload is encrypted. */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		ikevti_sa_put(sa);
		ikevti_tx_drop(ikd, skb, IKEVTI_DEV_STATS_A_SEND_ERRORS);
		return;
	}

	cb->len = skb->len;
	if (family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		cb->dsfield = ipv4_get_dsfield(iph);
		cb->ttl = iph->ttl;
		cb->df = iph->frag_off & htons(IP_DF);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		cb->dsfield = ipv6_get_dsfield(ip6h);
		cb->ttl = ip6h->hop_limit;
		cb->df = false;
	}
	ikevti_esp_output(sa, skb, family == AF_INET ? IPPROTO_IPIP :
						       IPPROTO_IPV6);
}

netdev_tx_t ikevti_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ikevti_device *ikd = netdev_priv(dev);
	struct sk_buff *segs, *next;
	struct ikevti_flow f;
	struct ikevti_sa *sa;
	bool any;

	if (ikevti_flow_from_skb(skb, &f)) {
		ikevti_tx_drop(ikd, skb, IKEVTI_DEV_STATS_A_SEND_ERRORS);
		return NETDEV_TX_OK;
	}

	sa = ikevti_sa_lookup_out(ikd, &f, &any);
	if (!sa) {
		if (any) {
			ikevti_tx_drop(ikd, skb, IKEVTI_DEV_STATS_A_TS_OUT);
		} else {
			ikevti_maybe_acquire(ikd, &f);
			ikevti_tx_drop(ikd, skb, IKEVTI_DEV_STATS_A_NO_SA_OUT);
		}
		return NETDEV_TX_OK;
	}

	skb_dst_drop(skb);
	nf_reset_ct(skb);

	/*
	 * The stack hands us whole TCP/UDP super-packets (the device
	 * advertises GSO) so it walks them once; they are cut to the MTU
	 * here, every segment of one flow under the same SA.
	 */
	if (!skb_is_gso(skb)) {
		if (!ikevti_sa_get(sa)) {
			ikevti_tx_drop(ikd, skb, IKEVTI_DEV_STATS_A_NO_SA_OUT);
			return NETDEV_TX_OK;
		}
		ikevti_xmit_one(ikd, sa, skb, f.family);
		return NETDEV_TX_OK;
	}

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		ikevti_tx_drop(ikd, skb, IKEVTI_DEV_STATS_A_SEND_ERRORS);
		return NETDEV_TX_OK;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		if (!ikevti_sa_get(sa)) {
			ikevti_tx_drop(ikd, skb, IKEVTI_DEV_STATS_A_NO_SA_OUT);
			continue;
		}
		ikevti_xmit_one(ikd, sa, skb, f.family);
	}
	return NETDEV_TX_OK;
}

/* RFC 6040 normal mode: ECN copied; DSCP configured or inherited. */
static u8 ikevti_outer_dsfield(const struct ikevti_params *p, u8 inner)
{
	u8 dscp = p->tos == IKEVTI_TOS_INHERIT ? inner : p->tos;

	return (dscp & ~INET_ECN_MASK) | (inner & INET_ECN_MASK);
}

/*
 * NEC IX "outgoing-interface IF NEXTHOP": the routing table is not
 * consulted at all; the packet leaves through the pinned interface to the
 * next hop's link-layer address, resolved by the neighbour table.  The
 * source is the local address, or the interface's own.  The outer header
 * is written here, so the packet needs room for it and the link header.
 */
static int ikevti_xmit_nexthop(struct ikevti_device *ikd, struct net *net,
			       const struct ikevti_params *p,
			       struct sk_buff *skb, u8 dsfield, u8 ttl,
			       bool df)
{
	bool xnet = !net_eq(net, dev_net(ikd->dev));
	struct net_device *ldev;
	unsigned int len, hlen;
	int err;

	ldev = dev_get_by_index_rcu(net, p->link);
	if (!ldev || !netif_running(ldev) || !netif_carrier_ok(ldev))
		return -ENETDOWN;
	hlen = p->family == AF_INET ? sizeof(struct iphdr) :
				      sizeof(struct ipv6hdr);
	/*
	 * Nothing on this path fragments the outer packet (that comes with
	 * the fragmentation modes); the link MTU normally leaves room.
	 */
	if (skb->len + hlen > ldev->mtu)
		return -EMSGSIZE;
	if (skb_cow_head(skb, LL_RESERVED_SPACE(ldev) + hlen))
		return -ENOMEM;

	skb_scrub_packet(skb, xnet);
	skb->mark = p->fwmark;
	skb->dev = ldev;
	skb_push(skb, hlen);
	skb_reset_network_header(skb);

	if (p->family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);
		__be32 saddr = p->has_local ? p->local.v4 :
			inet_select_addr(ldev, p->nexthop.v4, RT_SCOPE_UNIVERSE);

		if (!saddr)
			return -EADDRNOTAVAIL;
		iph->version = 4;
		iph->ihl = sizeof(*iph) >> 2;
		iph->tos = dsfield;
		iph->tot_len = htons(skb->len);
		iph->frag_off = df ? htons(IP_DF) : 0;
		iph->ttl = ttl;
		iph->protocol = IPPROTO_ESP;
		iph->saddr = saddr;
		iph->daddr = p->remote.v4;
		skb->protocol = htons(ETH_P_IP);
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		ip_select_ident(net, skb, NULL);
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		if (p->has_local)
			ip6h->saddr = p->local.v6;
		else if (ipv6_dev_get_saddr(net, ldev, &p->remote.v6, 0,
					    &ip6h->saddr))
			return -EADDRNOTAVAIL;
		ip6_flow_hdr(ip6h, dsfield, 0);
		ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
		ip6h->nexthdr = IPPROTO_ESP;
		ip6h->hop_limit = ttl;
		ip6h->daddr = p->remote.v6;
		skb->protocol = htons(ETH_P_IPV6);
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	}

	len = skb->len;
	err = neigh_xmit(p->family == AF_INET ? NEIGH_ARP_TABLE :
						NEIGH_ND_TABLE,
			 ldev, &p->nexthop, skb);
	if (net_xmit_eval(err) == 0)
		dev_sw_netstats_tx_add(ikd->dev, 1, len);
	else
		DEV_STATS_INC(ikd->dev, tx_errors);
	return 0;
}

static int ikevti_xmit4(struct ikevti_device *ikd, struct net *net,
			const struct ikevti_params *p, struct sk_buff *skb,
			const struct ikevti_tx_cb *cb)
{
	u8 dsfield = ikevti_outer_dsfield(p, cb->dsfield);
	/*
	 * A pinned interface does not steer the lookup (with an oif the
	 * kernel would call any destination on-link there): the route
	 * must choose it by itself, as with NEC IX "outgoing-interface auto".
	 */
	struct flowi4 fl4 = {
		.daddr = p->remote.v4,
		.saddr = p->has_local ? p->local.v4 : 0,
		.flowi4_mark = p->fwmark,
		.flowi4_proto = IPPROTO_ESP,
		.flowi4_tos = RT_TOS(dsfield),
	};
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return -EHOSTUNREACH;
	/* outgoing-interface "auto": the route must leave through it. */
	if (rt->dst.dev == ikd->dev ||
	    (p->link && rt->dst.dev->ifindex != p->link)) {
		ip_rt_put(rt);
		return -EHOSTUNREACH;
	}

	skb->mark = p->fwmark;
	iptunnel_xmit(NULL, rt, skb, fl4.saddr, fl4.daddr, IPPROTO_ESP,
		      dsfield, p->ttl ?: cb->ttl, cb->df ? htons(IP_DF) : 0,
		      !net_eq(net, dev_net(ikd->dev)));
	return 0;
}

static int ikevti_xmit6(struct ikevti_device *ikd, struct net *net,
			const struct ikevti_params *p, struct sk_buff *skb,
			const struct ikevti_tx_cb *cb)
{
	u8 dsfield = ikevti_outer_dsfield(p, cb->dsfield);
	struct flowi6 fl6 = {
		.daddr = p->remote.v6,
		.flowi6_mark = p->fwmark,
		.flowi6_proto = IPPROTO_ESP,
		.flowlabel = ip6_make_flowinfo(dsfield, 0),
	};
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	unsigned int len;
	int err;

	if (p->has_local)
		fl6.saddr = p->local.v6;
	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst))
		return -EHOSTUNREACH;
	if (dst->dev == ikd->dev || (p->link && dst->dev->ifindex != p->link)) {
		dst_release(dst);
		return -EHOSTUNREACH;
	}

	skb_scrub_packet(skb, !net_eq(net, dev_net(ikd->dev)));
	skb->mark = p->fwmark;
	skb_dst_set(skb, dst);

	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, dsfield, 0);
	ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
	ip6h->nexthdr = IPPROTO_ESP;
	ip6h->hop_limit = p->ttl ?: cb->ttl;
	ip6h->saddr = fl6.saddr;
	ip6h->daddr = fl6.daddr;
	skb->protocol = htons(ETH_P_IPV6);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));

	len = skb->len;
	err = ip6_local_out(net, NULL, skb);
	if (net_xmit_eval(err) == 0)
		dev_sw_netstats_tx_add(ikd->dev, 1, len);
	else
		DEV_STATS_INC(ikd->dev, tx_errors);
	return 0;
}

void ikevti_send_finish(struct ikevti_sa *sa, struct sk_buff *skb, int err)
{
	struct ikevti_device *ikd = sa->ikd;
	struct ikevti_tx_cb cb = *ikevti_tx_cb(skb);
	const struct ikevti_params *p;
	struct net *net;
	u64 seq;

	if (unlikely(err)) {
		switch (err) {
		case -EOVERFLOW:
			ikevti_stats_inc(ikd->stats,
					 IKEVTI_DEV_STATS_A_SEQ_EXHAUSTED);
			ikevti_stats_inc(sa->stats, IKEVTI_STATS_A_MISC);
			break;
		case -ENOMEM:
			ikevti_stats_inc(sa->stats, IKEVTI_STATS_A_NOMEM);
			break;
		case -ENOSPC:
		case -EBUSY:
		case -EAGAIN:
			ikevti_stats_inc(sa->stats, IKEVTI_STATS_A_CRYPTO_BUSY);
			break;
		default:
			ikevti_stats_inc(sa->stats, IKEVTI_STATS_A_CIPHER_FAILED);
		}
		ikevti_tx_drop(ikd, skb, IKEVTI_DEV_STATS_A_SEND_ERRORS);
		goto out;
	}

	ikevti_stats_inc(ikd->stats, IKEVTI_DEV_STATS_A_ENCAPS);
	ikevti_stats_inc(ikd->stats, IKEVTI_DEV_STATS_A_ENCRYPT);
	ikevti_stats_inc(ikd->stats, IKEVTI_DEV_STATS_A_DIGEST);
	ikevti_stats_inc(sa->stats, IKEVTI_STATS_A_PACKETS);
	ikevti_stats_add(sa->stats, IKEVTI_STATS_A_OCTETS, cb.len);
	ikevti_sa_account(sa, cb.len);

	seq = atomic64_read(&sa->seq_out);
	if (unlikely(!READ_ONCE(sa->wrap_warned) &&
		     seq >= ikevti_sa_seq_max(sa) -
			    (ikevti_sa_seq_max(sa) >> IKEVTI_SEQ_WRAP_WARN_SHIFT))) {
		WRITE_ONCE(sa->wrap_warned, true);
		ikevti_nl_event_seq_wrap(sa);
	}

	rcu_read_lock_bh();
	p = rcu_dereference_bh(ikd->params);
	/* NULL once the underlay namespace is gone (see device.c). */
	net = ikevti_underlay_net(ikd);
	if (!net)
		err = -ENETUNREACH;
	else if (p->has_nexthop)
		err = ikevti_xmit_nexthop(ikd, net, p, skb,
					  ikevti_outer_dsfield(p, cb.dsfield),
					  p->ttl ?: cb.ttl, cb.df);
	else if (p->family == AF_INET)
		err = ikevti_xmit4(ikd, net, p, skb, &cb);
	else if (p->family == AF_INET6)
		err = ikevti_xmit6(ikd, net, p, skb, &cb);
	else
		err = -EDESTADDRREQ;
	rcu_read_unlock_bh();
	if (err == -EMSGSIZE || err == -ENOMEM) {
		ikevti_tx_drop(ikd, skb, IKEVTI_DEV_STATS_A_SEND_ERRORS);
	} else if (err) {
		DEV_STATS_INC(ikd->dev, tx_carrier_errors);
		ikevti_tx_drop(ikd, skb, IKEVTI_DEV_STATS_A_NO_ROUTE);
	}
out:
	ikevti_sa_put(sa);
}
