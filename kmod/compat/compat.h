/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels ikevti builds against lives here,
 * so the .c files stay free of version tests.  Supported: 6.1 and 6.12.
 */
#ifndef _IKEVTI_COMPAT_H
#define _IKEVTI_COMPAT_H

#include <linux/netdevice.h>
#include <linux/version.h>
#include <linux/crypto.h>
#include <net/genetlink.h>

/* 6.4 moved skb_gso_segment() and friends to <net/gso.h>. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#include <net/gso.h>
#endif

/* 6.12 moved the unaligned access helpers to <linux/unaligned.h>. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#include <asm/unaligned.h>
#else
#include <linux/unaligned.h>
#endif

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

/*
 * 6.3 changed crypto completion callbacks to receive the request's data
 * pointer instead of the request.  IKEVTI_CRYPTO_DONE(name, fn) defines a
 * callback `name` for either kernel that calls fn(void *data, int err).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define IKEVTI_CRYPTO_DONE(name, fn)					\
	static void name(struct crypto_async_request *areq, int err)	\
	{								\
		fn(areq->data, err);					\
	}
#else
#define IKEVTI_CRYPTO_DONE(name, fn)					\
	static void name(void *data, int err)				\
	{								\
		fn(data, err);						\
	}
#endif

/* 6.2 moved a dump's parsed attributes into an embedded genl_info. */
static inline struct nlattr **ikevti_compat_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	return genl_dumpit_info(cb)->attrs;
#else
	return genl_dumpit_info(cb)->info.attrs;
#endif
}

#endif /* _IKEVTI_COMPAT_H */
