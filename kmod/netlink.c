// SPDX-License-Identifier: GPL-2.0
/*
 * The "ikevti" generic netlink family.
 */

#include <linux/module.h>
#include <net/genetlink.h>

#include <uapi/linux/ikevti.h>

#include "netlink.h"
#include "version.h"

static const struct nla_policy ikevti_genl_policy[IKEVTI_A_MAX + 1] = {
	[IKEVTI_A_UNSPEC]		= { .type = NLA_REJECT },
	[IKEVTI_A_VERSION_MODULE]	= {
		.type = NLA_REJECT,
		.reject_message = "IKEVTI_A_VERSION_MODULE is reply-only",
	},
	[IKEVTI_A_VERSION_API]		= {
		.type = NLA_REJECT,
		.reject_message = "IKEVTI_A_VERSION_API is reply-only",
	},
};

static struct genl_family ikevti_genl_family;

static int ikevti_get_version(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(nla_total_size(sizeof(IKEVTI_VERSION)) +
			  nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &ikevti_genl_family, 0,
				IKEVTI_CMD_GET_VERSION);
	if (!hdr)
		goto nospace;

	if (nla_put_string(msg, IKEVTI_A_VERSION_MODULE, IKEVTI_VERSION) ||
	    nla_put_u32(msg, IKEVTI_A_VERSION_API, IKEVTI_API_VERSION))
		goto nospace;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_ops ikevti_genl_ops[] = {
	{
		.cmd	= IKEVTI_CMD_GET_VERSION,
		.doit	= ikevti_get_version,
		/* CAP_NET_ADMIN in the user namespace owning the netns. */
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family ikevti_genl_family __ro_after_init = {
	.name		= IKEVTI_GENL_NAME,
	.version	= IKEVTI_GENL_VERSION,
	.maxattr	= IKEVTI_A_MAX,
	.policy		= ikevti_genl_policy,
	.ops		= ikevti_genl_ops,
	.n_ops		= ARRAY_SIZE(ikevti_genl_ops),
	/* Every command gets strict validation: reserved header fields,
	 * unknown attributes and trailing data are all rejected.
	 */
	.resv_start_op	= IKEVTI_CMD_GET_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
};

int __init ikevti_genetlink_init(void)
{
	return genl_register_family(&ikevti_genl_family);
}

void ikevti_genetlink_uninit(void)
{
	genl_unregister_family(&ikevti_genl_family);
}
