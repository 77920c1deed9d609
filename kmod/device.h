/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKEVTI_DEVICE_H
#define _IKEVTI_DEVICE_H

#include <net/net_namespace.h>
#include <linux/netdevice.h>

struct ikevti_device {
	struct net_device *dev;
	/*
	 * The namespace the link was created in.  The underlay stays there
	 * even when the device itself is moved to another namespace.
	 */
	possible_net_t creating_net;
};

int ikevti_device_init(void);
void ikevti_device_uninit(void);

#endif /* _IKEVTI_DEVICE_H */
