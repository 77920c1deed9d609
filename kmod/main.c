// SPDX-License-Identifier: GPL-2.0
/*
 * ikevti: route-based IPsec tunnel device.
 */

#include <linux/module.h>
#include <linux/init.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include <uapi/linux/ikevti.h>

#include "version.h"
#include "device.h"
#include "netlink.h"
#include "receive.h"
#include "replay.h"
#include "sa.h"

#ifdef IKEVTI_SELFTEST
/* Test builds check themselves at load; selftest=0 skips it (reload loops). */
static bool selftest = true;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "Run the built-in self-tests at load (test builds only)");
#else
static const bool selftest;
#endif

static int __init ikevti_mod_init(void)
{
	int ret;

	if (selftest) {
		ret = ikevti_replay_selftest();
		if (ret < 0)
			return ret;
	}

	ret = ikevti_sa_init();
	if (ret < 0)
		return ret;
	ret = ikevti_device_init();
	if (ret < 0)
		goto err_sa;
	ret = ikevti_receive_init();
	if (ret < 0)
		goto err_device;
	ret = ikevti_genetlink_init();
	if (ret < 0)
		goto err_receive;

	pr_info("ikevti " IKEVTI_VERSION " loaded, API %d\n", IKEVTI_API_VERSION);
	return 0;

err_receive:
	ikevti_receive_uninit();
err_device:
	ikevti_device_uninit();
err_sa:
	ikevti_sa_uninit();
	return ret;
}

static void __exit ikevti_mod_exit(void)
{
	/* Stop new configuration first, then take the devices down. */
	ikevti_genetlink_uninit();
	ikevti_receive_uninit();
	ikevti_device_uninit();
	ikevti_sa_uninit();
}

module_init(ikevti_mod_init);
module_exit(ikevti_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Route-based IPsec tunnel device with its own ESP");
MODULE_AUTHOR("The ikevti authors");
MODULE_VERSION(IKEVTI_VERSION);
MODULE_ALIAS_RTNL_LINK(IKEVTI_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(IKEVTI_GENL_NAME);
