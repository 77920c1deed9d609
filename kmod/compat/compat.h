/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels ikevti builds against lives here,
 * so the .c files stay free of version tests.  Supported: 6.1 and 6.12.
 */
#ifndef _IKEVTI_COMPAT_H
#define _IKEVTI_COMPAT_H

#include <linux/netdevice.h>

/*
 * 6.12 turned NETIF_F_LLTX into the private flag dev->lltx and dropped the
 * feature bit, so the presence of the macro tells which one to set.
 */
static inline void ikevti_compat_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

#endif /* _IKEVTI_COMPAT_H */
