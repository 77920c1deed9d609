// SPDX-License-Identifier: GPL-2.0
/*
 * The ikevti net_device and its rtnl_link_ops.
 */

#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/rtnetlink.h>

#include <uapi/linux/ikevti.h>

#include "compat/compat.h"
#include "device.h"
#include "sa.h"
#include "send.h"

/*
 * Room for outer IPv6 (40), UDP for NAT-T (8), ESP header and IV (8 + 16),
 * up to 255 bytes of padding plus the trailer and a 32-byte ICV.
 */
#define IKEVTI_HEADROOM		(LL_MAX_HEADER + 40 + 8 + 8 + 16)
#define IKEVTI_TAILROOM		(255 + 2 + 32)
#define IKEVTI_DEFAULT_MTU	1400
#define IKEVTI_DEFAULT_TTL	64
#define IKEVTI_FEATURES		(NETIF_F_HW_CSUM | NETIF_F_RXCSUM | NETIF_F_SG | \
				 NETIF_F_GSO_SOFTWARE | NETIF_F_HIGHDMA)

/* Every ikevti device, for the slow paths that search by address. */
static LIST_HEAD(ikevti_devices);
static DEFINE_SPINLOCK(ikevti_devices_lock);

static struct rtnl_link_ops ikevti_link_ops;

bool ikevti_is_device(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &ikevti_link_ops;
}

/* Under RCU: the device whose tunnel runs between these underlay ends. */
struct ikevti_device *ikevti_device_by_addr(struct net *net,
					    unsigned short family,
					    const void *local,
					    const void *remote)
{
	size_t len = family == AF_INET ? 4 : 16;
	struct ikevti_device *ikd;

	list_for_each_entry_rcu(ikd, &ikevti_devices, node) {
		const struct ikevti_params *p = rcu_dereference(ikd->params);

		if (p->family != family || !net_eq(ikevti_underlay_net(ikd), net))
			continue;
		if (p->has_local && memcmp(&p->local, local, len))
			continue;
		if (p->has_remote && memcmp(&p->remote, remote, len))
			continue;
		return ikd;
	}
	return NULL;
}

/*
 * The carrier is up while an outbound SA exists (or, on demand, always,
 * so that traffic can ask for one) and, with a pinned outgoing interface,
 * that interface is up.
 */
void ikevti_device_update_carrier(struct ikevti_device *ikd)
{
	const struct ikevti_params *p;
	struct net *net;
	bool up;

	rcu_read_lock();
	p = rcu_dereference(ikd->params);
	net = ikevti_underlay_net(ikd);
	up = net && (p->mode == IKEVTI_MODE_ON_DEMAND ||
		     !list_empty(&ikd->sa_out));
	if (up && p->link) {
		struct net_device *ldev;

		ldev = dev_get_by_index_rcu(net, p->link);
		up = ldev && netif_running(ldev) && netif_carrier_ok(ldev);
	}
	rcu_read_unlock();

	if (up)
		netif_carrier_on(ikd->dev);
	else
		netif_carrier_off(ikd->dev);
}

static int ikevti_dev_init(struct net_device *dev)
{
	struct ikevti_device *ikd = netdev_priv(dev);
	int err;

	ikd->stats = ikevti_stats_alloc(GFP_KERNEL);
	if (!ikd->stats) {
		err = -ENOMEM;
		goto err;
	}
	err = gro_cells_init(&ikd->gro_cells, dev);
	if (err) {
		free_percpu(ikd->stats);
		ikd->stats = NULL;
		goto err;
	}
	return 0;
err:
	/* register_netdevice() skips the destructor when ndo_init fails. */
	kfree(rcu_dereference_protected(ikd->params, true));
	RCU_INIT_POINTER(ikd->params, NULL);
	return err;
}

static void ikevti_dev_uninit(struct net_device *dev)
{
	struct ikevti_device *ikd = netdev_priv(dev);

	spin_lock_bh(&ikevti_devices_lock);
	list_del_rcu(&ikd->node);
	spin_unlock_bh(&ikevti_devices_lock);
	mutex_lock(&ikd->sa_lock);
	ikd->dead = true;
	mutex_unlock(&ikd->sa_lock);
	ikevti_sa_flush(ikd, 0);
}

static void ikevti_dev_free(struct net_device *dev)
{
	struct ikevti_device *ikd = netdev_priv(dev);

	/*
	 * Not in ndo_uninit: a packet still in an asynchronous cipher then
	 * completes later and hands itself to gro_cells_receive().  Every
	 * such packet holds its SA, and every SA the device, so the device's
	 * destructor runs after the last of them, and the cells are unused.
	 */
	gro_cells_destroy(&ikd->gro_cells);
	free_percpu(ikd->stats);
	kfree(rcu_dereference_protected(ikd->params, true));
}

static int ikevti_open(struct net_device *dev)
{
	ikevti_device_update_carrier(netdev_priv(dev));
	return 0;
}

static const struct net_device_ops ikevti_netdev_ops = {
	.ndo_init		= ikevti_dev_init,
	.ndo_uninit		= ikevti_dev_uninit,
	.ndo_open		= ikevti_open,
	.ndo_start_xmit		= ikevti_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

static void ikevti_setup(struct net_device *dev)
{
	struct ikevti_device *ikd = netdev_priv(dev);

	dev->netdev_ops = &ikevti_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = ikevti_dev_free;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;

	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = IKEVTI_HEADROOM;
	dev->needed_tailroom = IKEVTI_TAILROOM;
	dev->mtu = IKEVTI_DEFAULT_MTU;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - IKEVTI_HEADROOM - IKEVTI_TAILROOM;
	ikevti_compat_set_lltx(dev);

	/*
	 * Take super-packets and leave checksums to us: both are done in
	 * software right before encryption (see ikevti_xmit()).
	 */
	dev->features |= IKEVTI_FEATURES;
	dev->hw_features |= IKEVTI_FEATURES;
	dev->hw_enc_features |= IKEVTI_FEATURES;

	ikd->dev = dev;
	INIT_LIST_HEAD(&ikd->sa_in);
	INIT_LIST_HEAD(&ikd->sa_out);
	INIT_LIST_HEAD(&ikd->node);
	mutex_init(&ikd->sa_lock);
}

static struct netlink_range_validation ikevti_replay_range = {
	.max = IKEVTI_REPLAY_WINDOW_MAX,
};

static const struct nla_policy ikevti_link_policy[IFLA_IKEVTI_MAX + 1] = {
	[IFLA_IKEVTI_UNSPEC]	= { .type = NLA_REJECT },
	[IFLA_IKEVTI_LOCAL]	= NLA_POLICY_MIN_LEN(4),
	[IFLA_IKEVTI_REMOTE]	= NLA_POLICY_MIN_LEN(4),
	[IFLA_IKEVTI_LINK]	= { .type = NLA_U32 },
	[IFLA_IKEVTI_NEXTHOP]	= NLA_POLICY_MIN_LEN(4),
	[IFLA_IKEVTI_FWMARK]	= { .type = NLA_U32 },
	[IFLA_IKEVTI_TTL]	= { .type = NLA_U8 },
	[IFLA_IKEVTI_TOS]	= { .type = NLA_U8 },
	[IFLA_IKEVTI_REPLAY_WINDOW] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &ikevti_replay_range),
	[IFLA_IKEVTI_MODE]	= NLA_POLICY_MAX(NLA_U8, IKEVTI_MODE_ON_DEMAND),
};

/* An address attribute: 4 or 16 bytes; returns its family or -EINVAL. */
static int ikevti_nla_addr(const struct nlattr *nla, union ikevti_addr *a,
			   struct netlink_ext_ack *extack)
{
	switch (nla_len(nla)) {
	case 4:
		a->v4 = nla_get_in_addr(nla);
		return AF_INET;
	case 16:
		a->v6 = nla_get_in6_addr(nla);
		return AF_INET6;
	}
	NL_SET_ERR_MSG_ATTR(extack, nla, "ikevti: an address is 4 or 16 bytes");
	return -EINVAL;
}

static bool ikevti_addr_any(unsigned short family, const union ikevti_addr *a)
{
	return family == AF_INET ? !a->v4 : ipv6_addr_any(&a->v6);
}

/* Fill p from data over the values it already has. */
static int ikevti_parse_params(struct net *net, struct ikevti_params *p,
			       struct nlattr *data[],
			       struct netlink_ext_ack *extack)
{
	static const int addrs[] = {
		IFLA_IKEVTI_LOCAL, IFLA_IKEVTI_REMOTE, IFLA_IKEVTI_NEXTHOP,
	};
	union ikevti_addr *dst[] = { &p->local, &p->remote, &p->nexthop };
	bool *has[] = { &p->has_local, &p->has_remote, &p->has_nexthop };
	unsigned short family = p->family;
	unsigned int i;
	int f;

	if (!data)
		return 0;

	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		if (!data[addrs[i]])
			continue;
		f = ikevti_nla_addr(data[addrs[i]], dst[i], extack);
		if (f < 0)
			return f;
		*has[i] = !ikevti_addr_any(f, dst[i]);
		/* Only a real address sets the family; "any" fits both. */
		if (!*has[i])
			continue;
		if (family && family != f) {
			NL_SET_ERR_MSG_ATTR(extack, data[addrs[i]],
					    "ikevti: local, remote and nexthop must be of one address family");
			return -EINVAL;
		}
		family = f;
	}
	p->family = family;

	if (data[IFLA_IKEVTI_LINK]) {
		p->link = nla_get_u32(data[IFLA_IKEVTI_LINK]);
		if (p->link && !net) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_IKEVTI_LINK],
					    "ikevti: the underlay namespace of the device is gone");
			return -ENETUNREACH;
		}
		if (p->link && !__dev_get_by_index(net, p->link)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_IKEVTI_LINK],
					    "ikevti: no such underlay device");
			return -ENODEV;
		}
	}
	if (data[IFLA_IKEVTI_FWMARK])
		p->fwmark = nla_get_u32(data[IFLA_IKEVTI_FWMARK]);
	if (data[IFLA_IKEVTI_TTL])
		p->ttl = nla_get_u8(data[IFLA_IKEVTI_TTL]);
	if (data[IFLA_IKEVTI_TOS]) {
		p->tos = nla_get_u8(data[IFLA_IKEVTI_TOS]);
		if (p->tos != IKEVTI_TOS_INHERIT && (p->tos & 0x3)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_IKEVTI_TOS],
					    "ikevti: tos must not set the ECN bits; ECN follows RFC 6040");
			return -EINVAL;
		}
	}
	if (data[IFLA_IKEVTI_REPLAY_WINDOW])
		p->replay_window = nla_get_u32(data[IFLA_IKEVTI_REPLAY_WINDOW]);
	if (data[IFLA_IKEVTI_MODE])
		p->mode = nla_get_u8(data[IFLA_IKEVTI_MODE]);
	/* Checked on the result, so that "ip link set" can't undo it. */
	if (p->has_nexthop && !p->link) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_IKEVTI_NEXTHOP] ?:
				    data[IFLA_IKEVTI_LINK],
				    "ikevti: a nexthop needs dev, the interface that reaches it");
		return -EINVAL;
	}
	return 0;
}

static int ikevti_newlink(struct net *src_net, struct net_device *dev,
			  struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	struct ikevti_device *ikd = netdev_priv(dev);
	struct ikevti_params *p;
	int ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->ttl = IKEVTI_DEFAULT_TTL;
	p->replay_window = IKEVTI_REPLAY_WINDOW_DEFAULT;
	ret = ikevti_parse_params(src_net, p, data, extack);
	if (ret) {
		kfree(p);
		return ret;
	}
	RCU_INIT_POINTER(ikd->params, p);
	RCU_INIT_POINTER(ikd->underlay, src_net);

	ret = register_netdevice(dev);
	if (ret < 0) {
		/* ndo_uninit did not run, and the destructor frees params. */
		NL_SET_ERR_MSG(extack, "ikevti: could not register the device");
		return ret;
	}
	netif_carrier_off(dev);

	spin_lock_bh(&ikevti_devices_lock);
	list_add_rcu(&ikd->node, &ikevti_devices);
	spin_unlock_bh(&ikevti_devices_lock);
	return 0;
}

static int ikevti_changelink(struct net_device *dev, struct nlattr *tb[],
			     struct nlattr *data[],
			     struct netlink_ext_ack *extack)
{
	struct ikevti_device *ikd = netdev_priv(dev);
	struct ikevti_params *old, *p;
	int ret;

	old = rtnl_dereference(ikd->params);
	p = kmemdup(old, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	ret = ikevti_parse_params(ikevti_underlay_net(ikd), p, data, extack);
	if (ret) {
		kfree(p);
		return ret;
	}
	rcu_assign_pointer(ikd->params, p);
	kfree_rcu(old, rcu);
	ikevti_device_update_carrier(ikd);
	return 0;
}

static size_t ikevti_get_size(const struct net_device *dev)
{
	return 3 * nla_total_size(16) +		/* LOCAL REMOTE NEXTHOP */
	       2 * nla_total_size(4) +		/* LINK FWMARK */
	       3 * nla_total_size(1) +		/* TTL TOS MODE */
	       nla_total_size(4);		/* REPLAY_WINDOW */
}

static int ikevti_put_addr(struct sk_buff *skb, int type, unsigned short f,
			   const union ikevti_addr *a)
{
	return f == AF_INET ? nla_put_in_addr(skb, type, a->v4) :
			      nla_put_in6_addr(skb, type, &a->v6);
}

static int ikevti_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct ikevti_device *ikd = netdev_priv(dev);
	const struct ikevti_params *p = rtnl_dereference(ikd->params);

	if ((p->has_local &&
	     ikevti_put_addr(skb, IFLA_IKEVTI_LOCAL, p->family, &p->local)) ||
	    (p->has_remote &&
	     ikevti_put_addr(skb, IFLA_IKEVTI_REMOTE, p->family, &p->remote)) ||
	    (p->has_nexthop &&
	     ikevti_put_addr(skb, IFLA_IKEVTI_NEXTHOP, p->family, &p->nexthop)) ||
	    (p->link && nla_put_u32(skb, IFLA_IKEVTI_LINK, p->link)) ||
	    (p->fwmark && nla_put_u32(skb, IFLA_IKEVTI_FWMARK, p->fwmark)) ||
	    nla_put_u8(skb, IFLA_IKEVTI_TTL, p->ttl) ||
	    nla_put_u8(skb, IFLA_IKEVTI_TOS, p->tos) ||
	    nla_put_u8(skb, IFLA_IKEVTI_MODE, p->mode) ||
	    nla_put_u32(skb, IFLA_IKEVTI_REPLAY_WINDOW, p->replay_window))
		return -EMSGSIZE;
	return 0;
}

static struct net *ikevti_get_link_net(const struct net_device *dev)
{
	struct ikevti_device *ikd = netdev_priv(dev);

	/* With its underlay gone, the device is where it lives. */
	return ikevti_underlay_net(ikd) ?: dev_net(dev);
}

static struct rtnl_link_ops ikevti_link_ops __read_mostly = {
	.kind		= IKEVTI_LINK_KIND,
	.priv_size	= sizeof(struct ikevti_device),
	.maxtype	= IFLA_IKEVTI_MAX,
	.policy		= ikevti_link_policy,
	.setup		= ikevti_setup,
	.newlink	= ikevti_newlink,
	.changelink	= ikevti_changelink,
	.get_size	= ikevti_get_size,
	.fill_info	= ikevti_fill_info,
	.get_link_net	= ikevti_get_link_net,
};

/* An outgoing interface going down or away takes the carrier with it. */
static int ikevti_netdev_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct net_device *ldev = netdev_notifier_info_to_dev(ptr);
	struct ikevti_device *ikd;

	if (event != NETDEV_UP && event != NETDEV_DOWN &&
	    event != NETDEV_CHANGE && event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;

	rcu_read_lock();
	list_for_each_entry_rcu(ikd, &ikevti_devices, node) {
		const struct ikevti_params *p = rcu_dereference(ikd->params);

		if (p->link == ldev->ifindex &&
		    net_eq(ikevti_underlay_net(ikd), dev_net(ldev)))
			ikevti_device_update_carrier(ikd);
	}
	rcu_read_unlock();
	return NOTIFY_DONE;
}

static struct notifier_block ikevti_notifier = {
	.notifier_call = ikevti_netdev_event,
};

/*
 * A namespace is going away: the devices whose underlay it is lose it,
 * as WireGuard's do.  Their carrier goes, their SAs are flushed, and no
 * lookup touches the namespace again.  The namespace core waits for an
 * RCU grace period between pre_exit and freeing it, so datapath readers
 * that still hold the old pointer finish first.
 */
static void __net_exit ikevti_net_pre_exit(struct net *net)
{
	struct ikevti_device *ikd;

	rtnl_lock();
	/* The list changes only under RTNL (newlink, ndo_uninit). */
	list_for_each_entry(ikd, &ikevti_devices, node) {
		if (rcu_access_pointer(ikd->underlay) != net)
			continue;
		mutex_lock(&ikd->sa_lock);
		rcu_assign_pointer(ikd->underlay, NULL);
		mutex_unlock(&ikd->sa_lock);
		netif_carrier_off(ikd->dev);
		ikevti_sa_flush(ikd, 0);
		netdev_info(ikd->dev, "the underlay namespace is gone; the SAs are flushed\n");
	}
	rtnl_unlock();
}

static struct pernet_operations ikevti_net_ops = {
	.pre_exit = ikevti_net_pre_exit,
};

int __init ikevti_device_init(void)
{
	int ret;

	ret = register_pernet_device(&ikevti_net_ops);
	if (ret)
		return ret;
	ret = register_netdevice_notifier(&ikevti_notifier);
	if (ret)
		goto err_pernet;
	ret = rtnl_link_register(&ikevti_link_ops);
	if (ret)
		goto err_notifier;
	return 0;

err_notifier:
	unregister_netdevice_notifier(&ikevti_notifier);
err_pernet:
	unregister_pernet_device(&ikevti_net_ops);
	return ret;
}

void ikevti_device_uninit(void)
{
	/* Deletes every ikevti device, in every namespace. */
	rtnl_link_unregister(&ikevti_link_ops);
	unregister_netdevice_notifier(&ikevti_notifier);
	unregister_pernet_device(&ikevti_net_ops);
}
