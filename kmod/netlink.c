// SPDX-License-Identifier: GPL-2.0
/*
 * The "ikevti" generic netlink family: SA configuration, counters and
 * events.  Every request names a device in the caller's namespace; keys
 * are wiped from the request once the cipher has them.
 */

#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include <uapi/linux/ikevti.h>

#include "compat/compat.h"
#include "device.h"
#include "netlink.h"
#include "sa.h"
#include "version.h"

static const struct nla_policy ikevti_lt_policy[IKEVTI_LT_A_MAX + 1] = {
	[IKEVTI_LT_A_SOFT_SECS]		= { .type = NLA_U64 },
	[IKEVTI_LT_A_HARD_SECS]		= { .type = NLA_U64 },
	[IKEVTI_LT_A_SOFT_BYTES]	= { .type = NLA_U64 },
	[IKEVTI_LT_A_HARD_BYTES]	= { .type = NLA_U64 },
	[IKEVTI_LT_A_SOFT_PACKETS]	= { .type = NLA_U64 },
	[IKEVTI_LT_A_HARD_PACKETS]	= { .type = NLA_U64 },
	[IKEVTI_LT_A_PAD]		= { .type = NLA_REJECT },
};

static const struct nla_policy ikevti_ts_policy[IKEVTI_TS_A_MAX + 1] = {
	[IKEVTI_TS_A_ADDR_START]	= NLA_POLICY_MIN_LEN(4),
	[IKEVTI_TS_A_ADDR_END]		= NLA_POLICY_MIN_LEN(4),
	[IKEVTI_TS_A_PROTO]		= { .type = NLA_U8 },
	[IKEVTI_TS_A_PORT_START]	= { .type = NLA_U16 },
	[IKEVTI_TS_A_PORT_END]		= { .type = NLA_U16 },
};

static const struct nla_policy ikevti_ts_list_policy[IKEVTI_TS_LIST_A_MAX + 1] = {
	[IKEVTI_TS_A_ENTRY]		= NLA_POLICY_NESTED(ikevti_ts_policy),
};

static struct netlink_range_validation ikevti_replay_range = {
	.max = IKEVTI_REPLAY_WINDOW_MAX,
};

static const struct nla_policy ikevti_sa_policy[IKEVTI_SA_A_MAX + 1] = {
	[IKEVTI_SA_A_DIR]	= NLA_POLICY_RANGE(NLA_U8, IKEVTI_DIR_IN,
						   IKEVTI_DIR_OUT),
	[IKEVTI_SA_A_SPI]	= { .type = NLA_U32 },
	[IKEVTI_SA_A_ENC]	= NLA_POLICY_RANGE(NLA_U16, IKEVTI_ENC_NULL,
						   IKEVTI_ENC_MAX),
	[IKEVTI_SA_A_ENC_KEY]	= { .type = NLA_BINARY, .len = 36 },
	[IKEVTI_SA_A_AUTH]	= NLA_POLICY_MAX(NLA_U16, IKEVTI_AUTH_MAX),
	[IKEVTI_SA_A_AUTH_KEY]	= { .type = NLA_BINARY, .len = 64 },
	[IKEVTI_SA_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, IKEVTI_SA_F_ESN |
						  IKEVTI_SA_F_LEGACY),
	[IKEVTI_SA_A_REPLAY_WINDOW] = NLA_POLICY_FULL_RANGE(NLA_U32,
							    &ikevti_replay_range),
	[IKEVTI_SA_A_LIFETIME]	= NLA_POLICY_NESTED(ikevti_lt_policy),
	[IKEVTI_SA_A_TS_LOCAL]	= NLA_POLICY_NESTED(ikevti_ts_list_policy),
	[IKEVTI_SA_A_TS_REMOTE]	= NLA_POLICY_NESTED(ikevti_ts_list_policy),
	[IKEVTI_SA_A_ENCAP_SPORT] = { .type = NLA_U16 },
	[IKEVTI_SA_A_ENCAP_DPORT] = { .type = NLA_U16 },
	[IKEVTI_SA_A_ORIGIN]	= NLA_POLICY_RANGE(NLA_U8, IKEVTI_ORIGIN_MANUAL,
						   IKEVTI_ORIGIN_NEGOTIATED),
	[IKEVTI_SA_A_COOKIE]	= { .type = NLA_U32 },
	[IKEVTI_SA_A_STATS]	= {
		.type = NLA_REJECT,
		.reject_message = "IKEVTI_SA_A_STATS is reply-only",
	},
	[IKEVTI_SA_A_CUR]	= {
		.type = NLA_REJECT,
		.reject_message = "IKEVTI_SA_A_CUR is reply-only",
	},
	[IKEVTI_SA_A_PAD]	= { .type = NLA_REJECT },
	[IKEVTI_SA_A_SEQ]	= { .type = NLA_U64 },
};

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
	[IKEVTI_A_IFINDEX]		= { .type = NLA_U32 },
	[IKEVTI_A_IFNAME]		= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[IKEVTI_A_SA]			= NLA_POLICY_NESTED(ikevti_sa_policy),
	[IKEVTI_A_EXPIRE_HARD]		= { .type = NLA_REJECT },
	[IKEVTI_A_PKT_SRC]		= { .type = NLA_REJECT },
	[IKEVTI_A_PKT_DST]		= { .type = NLA_REJECT },
	[IKEVTI_A_PKT_PROTO]		= { .type = NLA_REJECT },
	[IKEVTI_A_PKT_SPORT]		= { .type = NLA_REJECT },
	[IKEVTI_A_PKT_DPORT]		= { .type = NLA_REJECT },
	[IKEVTI_A_DEV_STATS]		= {
		.type = NLA_REJECT,
		.reject_message = "IKEVTI_A_DEV_STATS is reply-only",
	},
	[IKEVTI_A_PAD]			= { .type = NLA_REJECT },
};

static struct genl_family ikevti_genl_family;

enum { IKEVTI_MCGRP_EVENTS_ID };

/*
 * Events name SPIs and, with ACQUIRE, the addresses and ports of traffic:
 * only an admin of the namespace may listen, as only one may configure.
 */
static const struct genl_multicast_group ikevti_mcgrps[] = {
	[IKEVTI_MCGRP_EVENTS_ID] = {
		.name = IKEVTI_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/* The ikevti device a request names, with a reference, or NULL. */
static struct net_device *ikevti_nl_dev(struct net *net, struct nlattr **attrs,
					struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;

	if (attrs[IKEVTI_A_IFINDEX]) {
		dev = dev_get_by_index(net, nla_get_u32(attrs[IKEVTI_A_IFINDEX]));
	} else if (attrs[IKEVTI_A_IFNAME]) {
		dev = dev_get_by_name(net, nla_data(attrs[IKEVTI_A_IFNAME]));
	} else {
		NL_SET_ERR_MSG(extack,
			       "ikevti: the request names no device (IKEVTI_A_IFINDEX or IKEVTI_A_IFNAME)");
		return ERR_PTR(-EINVAL);
	}
	if (!dev) {
		NL_SET_ERR_MSG(extack, "ikevti: no such device in this namespace");
		return ERR_PTR(-ENODEV);
	}
	if (!ikevti_is_device(dev)) {
		dev_put(dev);
		NL_SET_ERR_MSG(extack, "ikevti: the device is not an ikevti device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return dev;
}

static int ikevti_parse_addr(const struct nlattr *nla, union ikevti_addr *a,
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

static int ikevti_parse_ts_list(const struct nlattr *list, struct ikevti_ts *ts,
				u8 *n, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[IKEVTI_TS_A_MAX + 1];
	const struct nlattr *e;
	int rem, f, err;

	*n = 0;
	nla_for_each_nested(e, list, rem) {
		if (nla_type(e) != IKEVTI_TS_A_ENTRY)
			continue;
		if (*n == IKEVTI_TS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, e, "ikevti: too many traffic selectors");
			return -E2BIG;
		}
		err = nla_parse_nested(tb, IKEVTI_TS_A_MAX, e, ikevti_ts_policy,
				       extack);
		if (err)
			return err;
		if (!tb[IKEVTI_TS_A_ADDR_START] || !tb[IKEVTI_TS_A_ADDR_END]) {
			NL_SET_ERR_MSG_ATTR(extack, e,
					    "ikevti: a traffic selector needs ADDR_START and ADDR_END");
			return -EINVAL;
		}
		f = ikevti_parse_addr(tb[IKEVTI_TS_A_ADDR_START], &ts->lo, extack);
		if (f < 0)
			return f;
		if (ikevti_parse_addr(tb[IKEVTI_TS_A_ADDR_END], &ts->hi, extack) != f) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IKEVTI_TS_A_ADDR_END],
					    "ikevti: a selector's addresses must be of one family");
			return -EINVAL;
		}
		ts->family = f;
		ts->proto = tb[IKEVTI_TS_A_PROTO] ?
			    nla_get_u8(tb[IKEVTI_TS_A_PROTO]) : 0;
		ts->port_lo = tb[IKEVTI_TS_A_PORT_START] ?
			      nla_get_u16(tb[IKEVTI_TS_A_PORT_START]) : 0;
		ts->port_hi = tb[IKEVTI_TS_A_PORT_END] ?
			      nla_get_u16(tb[IKEVTI_TS_A_PORT_END]) : 0xffff;
		if (memcmp(&ts->lo, &ts->hi, f == AF_INET ? 4 : 16) > 0 ||
		    ts->port_lo > ts->port_hi) {
			NL_SET_ERR_MSG_ATTR(extack, e,
					    "ikevti: a selector range ends before it starts");
			return -EINVAL;
		}
		ts++;
		(*n)++;
	}
	return 0;
}

/* IKEVTI_SA_A_SEQ: where an outbound SA's numbers start. */
static int ikevti_parse_seq(const struct nlattr *nla, struct ikevti_sa_config *c,
			    struct netlink_ext_ack *extack)
{
	u64 max = c->flags & IKEVTI_SA_F_ESN ? U64_MAX : U32_MAX;

	if (c->dir != IKEVTI_DIR_OUT) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "ikevti: a starting sequence number is for outbound SAs");
		return -EINVAL;
	}
	c->seq = nla_get_u64(nla);
	if (c->seq > max) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "ikevti: the sequence number exceeds 32 bits and the SA has no ESN");
		return -ERANGE;
	}
	c->has_seq = true;
	return 0;
}

/* Parse IKEVTI_A_SA; need_keys for SA_NEW. */
static int ikevti_parse_sa(struct nlattr *nest, struct ikevti_sa_config *c,
			   bool full, struct netlink_ext_ack *extack)
{
	static const u8 lt_attr[IKEVTI_LT_N] = {
		IKEVTI_LT_A_SOFT_SECS, IKEVTI_LT_A_HARD_SECS,
		IKEVTI_LT_A_SOFT_BYTES, IKEVTI_LT_A_HARD_BYTES,
		IKEVTI_LT_A_SOFT_PACKETS, IKEVTI_LT_A_HARD_PACKETS,
	};
	struct nlattr *tb[IKEVTI_SA_A_MAX + 1];
	unsigned int i;
	int err;

	memset(c, 0, sizeof(*c));
	if (!nest) {
		NL_SET_ERR_MSG(extack, "ikevti: the request has no IKEVTI_A_SA");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, IKEVTI_SA_A_MAX, nest, ikevti_sa_policy,
			       extack);
	if (err)
		return err;

	if (!tb[IKEVTI_SA_A_DIR] || !tb[IKEVTI_SA_A_SPI]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "ikevti: an SA is named by IKEVTI_SA_A_DIR and IKEVTI_SA_A_SPI");
		return -EINVAL;
	}
	/*
	 * The module sends plain ESP only: an SA that asked for UDP
	 * encapsulation would look configured and lose every packet.
	 */
	for (i = IKEVTI_SA_A_ENCAP_SPORT; i <= IKEVTI_SA_A_ENCAP_DPORT; i++) {
		if (tb[i]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "ikevti: UDP encapsulation (NAT-T) is not supported yet");
			return -EOPNOTSUPP;
		}
	}
	c->dir = nla_get_u8(tb[IKEVTI_SA_A_DIR]);
	c->spi = nla_get_be32(tb[IKEVTI_SA_A_SPI]);
	if (ntohl(c->spi) < 256) {
		/* RFC 4303 §2.1: 1-255 are reserved, 0 means none. */
		NL_SET_ERR_MSG_ATTR(extack, tb[IKEVTI_SA_A_SPI],
				    "ikevti: SPI values 0-255 are reserved");
		return -EINVAL;
	}

	if (full) {
		if (!tb[IKEVTI_SA_A_ENC]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "ikevti: missing encryption algorithm (IKEVTI_SA_A_ENC)");
			return -EINVAL;
		}
		c->enc = nla_get_u16(tb[IKEVTI_SA_A_ENC]);
		if (!tb[IKEVTI_SA_A_ENC_KEY] && c->enc != IKEVTI_ENC_NULL) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "ikevti: missing encryption key (IKEVTI_SA_A_ENC_KEY)");
			return -EINVAL;
		}
		if (tb[IKEVTI_SA_A_ENC_KEY]) {
			c->enc_key = nla_data(tb[IKEVTI_SA_A_ENC_KEY]);
			c->enc_keylen = nla_len(tb[IKEVTI_SA_A_ENC_KEY]);
		}
		if (tb[IKEVTI_SA_A_AUTH])
			c->auth = nla_get_u16(tb[IKEVTI_SA_A_AUTH]);
		if (c->auth != IKEVTI_AUTH_NONE && !tb[IKEVTI_SA_A_AUTH_KEY]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "ikevti: missing integrity key (IKEVTI_SA_A_AUTH_KEY)");
			return -EINVAL;
		}
		if (tb[IKEVTI_SA_A_AUTH_KEY]) {
			c->auth_key = nla_data(tb[IKEVTI_SA_A_AUTH_KEY]);
			c->auth_keylen = nla_len(tb[IKEVTI_SA_A_AUTH_KEY]);
		}
		if (tb[IKEVTI_SA_A_FLAGS])
			c->flags = nla_get_u32(tb[IKEVTI_SA_A_FLAGS]);
		if (tb[IKEVTI_SA_A_SEQ]) {
			err = ikevti_parse_seq(tb[IKEVTI_SA_A_SEQ], c, extack);
			if (err)
				return err;
		}
		if (tb[IKEVTI_SA_A_ORIGIN])
			c->origin = nla_get_u8(tb[IKEVTI_SA_A_ORIGIN]);
		if (tb[IKEVTI_SA_A_COOKIE])
			c->cookie = nla_get_u32(tb[IKEVTI_SA_A_COOKIE]);
	} else {
		static const int fixed[] = {
			IKEVTI_SA_A_ENC, IKEVTI_SA_A_ENC_KEY, IKEVTI_SA_A_AUTH,
			IKEVTI_SA_A_AUTH_KEY, IKEVTI_SA_A_FLAGS, IKEVTI_SA_A_SEQ,
		};

		for (i = 0; i < ARRAY_SIZE(fixed); i++) {
			if (tb[fixed[i]]) {
				NL_SET_ERR_MSG_ATTR(extack, tb[fixed[i]],
						    "ikevti: algorithms, keys, flags and sequence numbers of an SA never change; add a new SA");
				return -EINVAL;
			}
		}
	}

	if (tb[IKEVTI_SA_A_REPLAY_WINDOW]) {
		c->has_replay_window = true;
		c->replay_window = nla_get_u32(tb[IKEVTI_SA_A_REPLAY_WINDOW]);
	}
	if (tb[IKEVTI_SA_A_LIFETIME]) {
		struct nlattr *lt[IKEVTI_LT_A_MAX + 1];

		err = nla_parse_nested(lt, IKEVTI_LT_A_MAX,
				       tb[IKEVTI_SA_A_LIFETIME],
				       ikevti_lt_policy, extack);
		if (err)
			return err;
		c->has_lifetime = true;
		for (i = 0; i < IKEVTI_LT_N; i++)
			if (lt[lt_attr[i]])
				c->lt[i] = nla_get_u64(lt[lt_attr[i]]);
	}
	if (tb[IKEVTI_SA_A_TS_LOCAL] || tb[IKEVTI_SA_A_TS_REMOTE]) {
		c->has_ts = true;
		if (tb[IKEVTI_SA_A_TS_LOCAL]) {
			err = ikevti_parse_ts_list(tb[IKEVTI_SA_A_TS_LOCAL],
						   c->ts_local, &c->n_ts_local,
						   extack);
			if (err)
				return err;
		}
		if (tb[IKEVTI_SA_A_TS_REMOTE]) {
			err = ikevti_parse_ts_list(tb[IKEVTI_SA_A_TS_REMOTE],
						   c->ts_remote,
						   &c->n_ts_remote, extack);
			if (err)
				return err;
		}
	}
	return 0;
}

/* Keys never outlive the request that carried them. */
static void ikevti_wipe_keys(struct nlattr **attrs)
{
	struct nlattr *nest = attrs[IKEVTI_A_SA];
	struct nlattr *a;
	int rem;

	if (!nest)
		return;
	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == IKEVTI_SA_A_ENC_KEY ||
		    nla_type(a) == IKEVTI_SA_A_AUTH_KEY)
			memzero_explicit(nla_data(a), nla_len(a));
}

static int ikevti_sa_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ikevti_sa_config *c;
	struct net_device *dev;
	int err;

	dev = ikevti_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto wipe;
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		err = -ENOMEM;
		goto put;
	}
	err = ikevti_parse_sa(info->attrs[IKEVTI_A_SA], c, true, info->extack);
	if (!err)
		err = ikevti_sa_add(netdev_priv(dev), c, info->extack);
	kfree(c);
put:
	dev_put(dev);
wipe:
	ikevti_wipe_keys(info->attrs);
	return err;
}

static int ikevti_sa_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ikevti_sa_config *c;
	struct net_device *dev;
	int err;

	dev = ikevti_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		err = -ENOMEM;
		goto put;
	}
	err = ikevti_parse_sa(info->attrs[IKEVTI_A_SA], c, false, info->extack);
	if (!err)
		err = ikevti_sa_set(netdev_priv(dev), c, info->extack);
	kfree(c);
put:
	dev_put(dev);
	return err;
}

/* DIR and SPI of the request's SA, for del and get. */
static int ikevti_parse_sa_id(struct genl_info *info, u8 *dir, __be32 *spi)
{
	struct nlattr *tb[IKEVTI_SA_A_MAX + 1];
	struct nlattr *nest = info->attrs[IKEVTI_A_SA];
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(info->extack, "ikevti: the request has no IKEVTI_A_SA");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, IKEVTI_SA_A_MAX, nest, ikevti_sa_policy,
			       info->extack);
	if (err)
		return err;
	if (!tb[IKEVTI_SA_A_DIR] || !tb[IKEVTI_SA_A_SPI]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "ikevti: an SA is named by IKEVTI_SA_A_DIR and IKEVTI_SA_A_SPI");
		return -EINVAL;
	}
	*dir = nla_get_u8(tb[IKEVTI_SA_A_DIR]);
	*spi = nla_get_be32(tb[IKEVTI_SA_A_SPI]);
	return 0;
}

static int ikevti_sa_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	__be32 spi;
	int err;
	u8 dir;

	dev = ikevti_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	err = ikevti_parse_sa_id(info, &dir, &spi);
	if (!err)
		err = ikevti_sa_del(netdev_priv(dev), dir, spi, info->extack);
	dev_put(dev);
	return err;
}

static int ikevti_sa_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[IKEVTI_SA_A_MAX + 1];
	struct net_device *dev;
	u8 origin = 0;
	int err;

	if (info->attrs[IKEVTI_A_SA]) {
		err = nla_parse_nested(tb, IKEVTI_SA_A_MAX,
				       info->attrs[IKEVTI_A_SA],
				       ikevti_sa_policy, info->extack);
		if (err)
			return err;
		if (tb[IKEVTI_SA_A_ORIGIN])
			origin = nla_get_u8(tb[IKEVTI_SA_A_ORIGIN]);
	}
	dev = ikevti_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	ikevti_sa_flush(netdev_priv(dev), origin);
	dev_put(dev);
	return 0;
}

static int ikevti_put_ts(struct sk_buff *msg, int type,
			 const struct ikevti_ts *ts, unsigned int n)
{
	struct nlattr *list, *e;
	unsigned int i, len;

	list = nla_nest_start(msg, type);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < n; i++, ts++) {
		len = ts->family == AF_INET ? 4 : 16;
		e = nla_nest_start(msg, IKEVTI_TS_A_ENTRY);
		if (!e ||
		    nla_put(msg, IKEVTI_TS_A_ADDR_START, len, &ts->lo) ||
		    nla_put(msg, IKEVTI_TS_A_ADDR_END, len, &ts->hi) ||
		    nla_put_u8(msg, IKEVTI_TS_A_PROTO, ts->proto) ||
		    nla_put_u16(msg, IKEVTI_TS_A_PORT_START, ts->port_lo) ||
		    nla_put_u16(msg, IKEVTI_TS_A_PORT_END, ts->port_hi))
			return -EMSGSIZE;
		nla_nest_end(msg, e);
	}
	nla_nest_end(msg, list);
	return 0;
}

static int ikevti_put_cur(struct sk_buff *msg, struct ikevti_sa *sa)
{
	struct ikevti_replay *r;
	struct nlattr *cur;
	u64 seq;

	if (sa->dir == IKEVTI_DIR_OUT) {
		seq = atomic64_read(&sa->seq_out);
	} else {
		rcu_read_lock();
		r = rcu_dereference(sa->replay);
		seq = ikevti_replay_top(r);
		rcu_read_unlock();
	}
	cur = nla_nest_start(msg, IKEVTI_SA_A_CUR);
	if (!cur ||
	    nla_put_u64_64bit(msg, IKEVTI_CUR_A_ADD_TIME, sa->add_time,
			      IKEVTI_CUR_A_PAD) ||
	    nla_put_u64_64bit(msg, IKEVTI_CUR_A_USE_TIME,
			      READ_ONCE(sa->use_time), IKEVTI_CUR_A_PAD) ||
	    nla_put_u64_64bit(msg, IKEVTI_CUR_A_BYTES,
			      atomic64_read(&sa->cur_bytes), IKEVTI_CUR_A_PAD) ||
	    nla_put_u64_64bit(msg, IKEVTI_CUR_A_PACKETS,
			      atomic64_read(&sa->cur_packets),
			      IKEVTI_CUR_A_PAD) ||
	    nla_put_u64_64bit(msg, IKEVTI_CUR_A_SEQ, seq, IKEVTI_CUR_A_PAD) ||
	    nla_put_u64_64bit(msg, IKEVTI_CUR_A_EXPIRED,
			      atomic_read(&sa->expired), IKEVTI_CUR_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, cur);
	return 0;
}

static int ikevti_put_u64s(struct sk_buff *msg, int type, const u64 *v,
			   unsigned int first, unsigned int last, int pad)
{
	struct nlattr *nest = nla_nest_start(msg, type);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	/* Counters added later come after the pad attribute. */
	for (i = first; i <= last; i++)
		if (i != pad && nla_put_u64_64bit(msg, i, v[i], pad))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* The SA as IKEVTI_A_SA; brief: only its identity and CUR, for events. */
static int ikevti_put_sa(struct sk_buff *msg, struct ikevti_sa *sa, bool brief)
{
	static const u8 lt_attr[IKEVTI_LT_N] = {
		IKEVTI_LT_A_SOFT_SECS, IKEVTI_LT_A_HARD_SECS,
		IKEVTI_LT_A_SOFT_BYTES, IKEVTI_LT_A_HARD_BYTES,
		IKEVTI_LT_A_SOFT_PACKETS, IKEVTI_LT_A_HARD_PACKETS,
	};
	const struct ikevti_lifetime *limits;
	const struct ikevti_ts_set *ts;
	struct ikevti_replay *r;
	struct nlattr *nest, *lt;
	u64 stats[IKEVTI_NSTATS];
	u64 lts[IKEVTI_LT_N];
	unsigned int i;
	u32 window;
	int err;

	nest = nla_nest_start(msg, IKEVTI_A_SA);
	if (!nest ||
	    nla_put_u8(msg, IKEVTI_SA_A_DIR, sa->dir) ||
	    nla_put_be32(msg, IKEVTI_SA_A_SPI, sa->spi) ||
	    nla_put_u32(msg, IKEVTI_SA_A_COOKIE, sa->cookie) ||
	    ikevti_put_cur(msg, sa))
		return -EMSGSIZE;
	if (brief)
		goto end;

	if (nla_put_u16(msg, IKEVTI_SA_A_ENC, sa->enc) ||
	    nla_put_u16(msg, IKEVTI_SA_A_AUTH, sa->auth) ||
	    nla_put_u32(msg, IKEVTI_SA_A_FLAGS, sa->flags) ||
	    nla_put_u8(msg, IKEVTI_SA_A_ORIGIN, sa->origin))
		return -EMSGSIZE;
	if (sa->dir == IKEVTI_DIR_IN) {
		rcu_read_lock();
		r = rcu_dereference(sa->replay);
		window = ikevti_replay_window(r);
		rcu_read_unlock();
		if (nla_put_u32(msg, IKEVTI_SA_A_REPLAY_WINDOW, window))
			return -EMSGSIZE;
	}
	rcu_read_lock();
	limits = rcu_dereference(sa->lt);
	if (limits)
		memcpy(lts, limits->lt, sizeof(lts));
	else
		memset(lts, 0, sizeof(lts));
	rcu_read_unlock();
	lt = nla_nest_start(msg, IKEVTI_SA_A_LIFETIME);
	if (!lt)
		return -EMSGSIZE;
	for (i = 0; i < IKEVTI_LT_N; i++)
		if (nla_put_u64_64bit(msg, lt_attr[i], lts[i], IKEVTI_LT_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, lt);

	rcu_read_lock();
	ts = rcu_dereference(sa->ts);
	err = ikevti_put_ts(msg, IKEVTI_SA_A_TS_LOCAL, ts ? ts->ts : NULL,
			    ts ? ts->n_local : 0) ||
	      ikevti_put_ts(msg, IKEVTI_SA_A_TS_REMOTE,
			    ts ? ts->ts + ts->n_local : NULL,
			    ts ? ts->n_remote : 0);
	rcu_read_unlock();
	if (err)
		return -EMSGSIZE;

	ikevti_stats_sum(sa->stats, stats, IKEVTI_STATS_A_MAX + 1);
	if (ikevti_put_u64s(msg, IKEVTI_SA_A_STATS, stats,
			    IKEVTI_STATS_A_PACKETS, IKEVTI_STATS_A_MAX,
			    IKEVTI_STATS_A_PAD))
		return -EMSGSIZE;
end:
	nla_nest_end(msg, nest);
	return 0;
}

static int ikevti_fill_sa(struct sk_buff *msg, struct ikevti_sa *sa, u32 portid,
			  u32 seq, int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &ikevti_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(msg, IKEVTI_A_IFINDEX, sa->dev->ifindex) ||
	    ikevti_put_sa(msg, sa, false)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

static int ikevti_sa_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ikevti_device *ikd;
	struct net_device *dev;
	struct ikevti_sa *sa;
	struct sk_buff *msg;
	__be32 spi;
	int err;
	u8 dir;

	dev = ikevti_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	ikd = netdev_priv(dev);
	err = ikevti_parse_sa_id(info, &dir, &spi);
	if (err)
		goto put;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto put;
	}
	mutex_lock(&ikd->sa_lock);
	sa = ikevti_sa_find(ikd, dir, spi);
	if (sa)
		err = ikevti_fill_sa(msg, sa, info->snd_portid, info->snd_seq,
				     0, IKEVTI_CMD_SA_GET);
	else
		err = -ENOENT;
	mutex_unlock(&ikd->sa_lock);
	if (err) {
		if (err == -ENOENT)
			NL_SET_ERR_MSG(info->extack,
				       "ikevti: no SA with this SPI and direction on the device");
		nlmsg_free(msg);
		goto put;
	}
	err = genlmsg_reply(msg, info);
put:
	dev_put(dev);
	return err;
}

/* cb->args[0]: ifindex, [1]: SAs already sent. */
static int ikevti_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = ikevti_compat_dump_attrs(cb);
	struct list_head *heads[2];
	struct ikevti_device *ikd;
	struct net_device *dev;
	struct ikevti_sa *sa;
	long idx = 0, skip = cb->args[1];
	unsigned int h;
	int err = 0;

	dev = ikevti_nl_dev(sock_net(skb->sk), attrs, cb->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	ikd = netdev_priv(dev);
	heads[0] = &ikd->sa_out;
	heads[1] = &ikd->sa_in;

	mutex_lock(&ikd->sa_lock);
	for (h = 0; h < ARRAY_SIZE(heads); h++) {
		list_for_each_entry(sa, heads[h], list) {
			if (idx++ < skip)
				continue;
			err = ikevti_fill_sa(skb, sa,
					     NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI,
					     IKEVTI_CMD_SA_GET);
			if (err)
				goto out;
			cb->args[1] = idx;
		}
	}
out:
	mutex_unlock(&ikd->sa_lock);
	dev_put(dev);
	/* A full skb ends this part of the dump; the rest comes next call. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static int ikevti_fill_dev(struct sk_buff *msg, struct net_device *dev,
			   u32 portid, u32 seq, int flags)
{
	struct ikevti_device *ikd = netdev_priv(dev);
	u64 stats[IKEVTI_NSTATS];
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &ikevti_genl_family, flags,
			  IKEVTI_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	ikevti_stats_sum(ikd->stats, stats, IKEVTI_DEV_STATS_A_MAX + 1);
	if (nla_put_u32(msg, IKEVTI_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(msg, IKEVTI_A_IFNAME, dev->name) ||
	    ikevti_put_u64s(msg, IKEVTI_A_DEV_STATS, stats,
			    IKEVTI_DEV_STATS_A_ENCAPS,
			    IKEVTI_DEV_STATS_A_MAX, IKEVTI_DEV_STATS_A_PAD)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

static int ikevti_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	dev = ikevti_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		dev_put(dev);
		return -ENOMEM;
	}
	err = ikevti_fill_dev(msg, dev, info->snd_portid, info->snd_seq, 0);
	dev_put(dev);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: devices already sent. */
static int ikevti_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net_device *dev;
	long idx = 0;
	int err = 0;

	rcu_read_lock();
	for_each_netdev_rcu(sock_net(skb->sk), dev) {
		if (!ikevti_is_device(dev))
			continue;
		if (idx++ < cb->args[0])
			continue;
		err = ikevti_fill_dev(skb, dev, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err)
			break;
		cb->args[0] = idx;
	}
	rcu_read_unlock();
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

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

static void ikevti_nl_multicast(struct net_device *dev, struct sk_buff *msg,
				gfp_t gfp)
{
	genlmsg_multicast_netns(&ikevti_genl_family, dev_net(dev), msg, 0,
				IKEVTI_MCGRP_EVENTS_ID, gfp);
}

static void ikevti_nl_event_sa(struct ikevti_sa *sa, u8 cmd, bool hard,
			       gfp_t gfp)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &ikevti_genl_family, 0, cmd);
	if (!hdr ||
	    nla_put_u32(msg, IKEVTI_A_IFINDEX, sa->dev->ifindex) ||
	    ikevti_put_sa(msg, sa, true) ||
	    (hard && nla_put_flag(msg, IKEVTI_A_EXPIRE_HARD))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	ikevti_nl_multicast(sa->dev, msg, gfp);
}

void ikevti_nl_event_expire(struct ikevti_sa *sa, bool hard, gfp_t gfp)
{
	ikevti_nl_event_sa(sa, IKEVTI_CMD_EV_EXPIRE, hard, gfp);
}

void ikevti_nl_event_seq_wrap(struct ikevti_sa *sa)
{
	ikevti_nl_event_sa(sa, IKEVTI_CMD_EV_SEQ_WRAP, false, GFP_ATOMIC);
}

void ikevti_nl_event_acquire(struct ikevti_device *ikd,
			     const struct ikevti_flow *f)
{
	unsigned int len = f->family == AF_INET ? 4 : 16;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &ikevti_genl_family, 0,
			  IKEVTI_CMD_EV_ACQUIRE);
	if (!hdr ||
	    nla_put_u32(msg, IKEVTI_A_IFINDEX, ikd->dev->ifindex) ||
	    nla_put(msg, IKEVTI_A_PKT_SRC, len, &f->saddr) ||
	    nla_put(msg, IKEVTI_A_PKT_DST, len, &f->daddr) ||
	    nla_put_u8(msg, IKEVTI_A_PKT_PROTO, f->proto) ||
	    (f->has_ports &&
	     (nla_put_u16(msg, IKEVTI_A_PKT_SPORT, ntohs(f->sport)) ||
	      nla_put_u16(msg, IKEVTI_A_PKT_DPORT, ntohs(f->dport))))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	ikevti_nl_multicast(ikd->dev, msg, GFP_ATOMIC);
}

static const struct genl_ops ikevti_genl_ops[] = {
	{
		.cmd	= IKEVTI_CMD_GET_VERSION,
		.doit	= ikevti_get_version,
		/* CAP_NET_ADMIN in the user namespace owning the netns. */
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= IKEVTI_CMD_SA_NEW,
		.doit	= ikevti_sa_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= IKEVTI_CMD_SA_SET,
		.doit	= ikevti_sa_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= IKEVTI_CMD_SA_DEL,
		.doit	= ikevti_sa_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= IKEVTI_CMD_SA_GET,
		.doit	= ikevti_sa_get_doit,
		.dumpit	= ikevti_sa_get_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= IKEVTI_CMD_SA_FLUSH,
		.doit	= ikevti_sa_flush_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= IKEVTI_CMD_DEV_GET,
		.doit	= ikevti_dev_get_doit,
		.dumpit	= ikevti_dev_get_dumpit,
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
	.mcgrps		= ikevti_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ikevti_mcgrps),
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
