// SPDX-License-Identifier: GPL-2.0
/*
 * The ikevti net_device and its rtnl_link_ops.
 */

#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/rtnetlink.h>

#include <uapi/linux/ikevti.h>

#include "compat/compat.h"
#include "device.h"

/*
 * Room for outer IPv6 (40), UDP for NAT-T (8), ESP header and IV (8 + 16),
 * up to 255 bytes of padding plus the trailer and a 32-byte ICV.
 */
#define IKEVTI_HEADROOM		(LL_MAX_HEADER + 40 + 8 + 8 + 16)
#define IKEVTI_TAILROOM		(255 + 2 + 32)
#define IKEVTI_DEFAULT_MTU	1400

static netdev_tx_t ikevti_xmit(struct sk_buff *skb, struct net_device *dev)
{
	/*
	 * Without an outbound SA nothing may leave in clear text; the carrier
	 * stays down, and anything the stack still hands us is dropped.
	 */
	DEV_STATS_INC(dev, tx_carrier_errors);
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static int ikevti_open(struct net_device *dev)
{
	netif_carrier_off(dev);
	return 0;
}

static const struct net_device_ops ikevti_netdev_ops = {
	.ndo_open		= ikevti_open,
	.ndo_start_xmit		= ikevti_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

static void ikevti_setup(struct net_device *dev)
{
	struct ikevti_device *ikd = netdev_priv(dev);

	dev->netdev_ops = &ikevti_netdev_ops;
	dev->needs_free_netdev = true;
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

	ikd->dev = dev;
}

static int ikevti_newlink(struct net *src_net, struct net_device *dev,
			  struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	struct ikevti_device *ikd = netdev_priv(dev);
	int ret;

	write_pnet(&ikd->creating_net, src_net);

	ret = register_netdevice(dev);
	if (ret < 0) {
		NL_SET_ERR_MSG(extack, "ikevti: could not register the device");
		return ret;
	}
	netif_carrier_off(dev);
	return 0;
}

static const struct nla_policy ikevti_link_policy[IFLA_IKEVTI_MAX + 1] = {
	[IFLA_IKEVTI_UNSPEC] = { .type = NLA_REJECT },
};

static struct rtnl_link_ops ikevti_link_ops __read_mostly = {
	.kind		= IKEVTI_LINK_KIND,
	.priv_size	= sizeof(struct ikevti_device),
	.maxtype	= IFLA_IKEVTI_MAX,
	.policy		= ikevti_link_policy,
	.setup		= ikevti_setup,
	.newlink	= ikevti_newlink,
};

int __init ikevti_device_init(void)
{
	return rtnl_link_register(&ikevti_link_ops);
}

void ikevti_device_uninit(void)
{
	/* Deletes every ikevti device, in every namespace. */
	rtnl_link_unregister(&ikevti_link_ops);
}
