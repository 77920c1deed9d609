/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKEVTI_SEND_H
#define _IKEVTI_SEND_H

#include <linux/netdevice.h>

netdev_tx_t ikevti_xmit(struct sk_buff *skb, struct net_device *dev);

#endif /* _IKEVTI_SEND_H */
