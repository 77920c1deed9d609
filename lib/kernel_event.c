// SPDX-License-Identifier: GPL-2.0
/*
 * The "events" multicast group (expire, ACQUIRE, sequence wrap), on a
 * second, non-blocking socket of the connection: only the kernel may
 * speak there, and an event is checked like a reply before it is read.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>

#include "kernel_priv.h"

int kernel_events_subscribe(struct kernel_conn *kc)
{
	struct nl_sock *ev;
	int grp, ret;

	kc->msg[0] = '\0';
	if (kc->ev)
		return 0;
	grp = genl_ctrl_resolve_grp(kc->sk, IKEVTI_GENL_NAME,
				    IKEVTI_MCGRP_EVENTS);
	if (grp < 0) {
		kernel_setmsg(kc, "cannot find the '%s' multicast group: %s",
			      IKEVTI_MCGRP_EVENTS, nl_geterror(grp));
		return kernel_nlerr(grp);
	}
	ev = nl_socket_alloc();
	if (!ev)
		return -ENOMEM;
	/* Events are not answers: they carry no sequence number of ours. */
	nl_socket_disable_seq_check(ev);
	ret = genl_connect(ev);
	if (!ret)
		ret = nl_socket_add_membership(ev, grp);
	if (!ret)
		ret = nl_socket_set_nonblocking(ev);
	if (!ret)
		ret = nl_socket_set_buffer_size(ev, 1 << 20, 0);
	if (ret < 0) {
		kernel_setmsg(kc, "cannot join the '%s' multicast group: %s",
			      IKEVTI_MCGRP_EVENTS, nl_geterror(ret));
		nl_socket_free(ev);
		return kernel_nlerr(ret);
	}
	kc->ev = ev;
	return 0;
}

int kernel_event_fd(const struct kernel_conn *kc)
{
	return kc->ev ? nl_socket_get_fd(kc->ev) : -1;
}

static int kernel_noseq_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/* Fill ev from one event message; 1 for an event we do not know. */
static int kernel_event_parse(struct kernel_conn *kc, struct nlmsghdr *nlh,
			      struct kernel_event *ev)
{
	struct nlattr *tb[IKEVTI_A_MAX + 1];
	struct kernel_sa sa;
	uint8_t cmd;
	int err;

	err = kernel_parse_msg(kc, nlh, tb, kernel_policy);
	if (err)
		return err;
	cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
	if (cmd != IKEVTI_CMD_EV_EXPIRE && cmd != IKEVTI_CMD_EV_ACQUIRE &&
	    cmd != IKEVTI_CMD_EV_SEQ_WRAP)
		return 1;
	memset(ev, 0, sizeof(*ev));
	ev->cmd = cmd;
	if (!tb[IKEVTI_A_IFINDEX]) {
		kernel_setmsg(kc, "event %u lacks the ifindex", cmd);
		return -EPROTO;
	}
	ev->ifindex = nla_get_u32(tb[IKEVTI_A_IFINDEX]);
	if (cmd == IKEVTI_CMD_EV_ACQUIRE) {
		if (!tb[IKEVTI_A_PKT_SRC] || !tb[IKEVTI_A_PKT_DST]) {
			kernel_setmsg(kc, "acquire event lacks the packet's addresses");
			return -EPROTO;
		}
		ev->family = kernel_addr(tb[IKEVTI_A_PKT_SRC], ev->src);
		if (!ev->family ||
		    ev->family != kernel_addr(tb[IKEVTI_A_PKT_DST], ev->dst)) {
			kernel_setmsg(kc, "acquire event has bad address lengths");
			return -EPROTO;
		}
		if (tb[IKEVTI_A_PKT_PROTO])
			ev->proto = nla_get_u8(tb[IKEVTI_A_PKT_PROTO]);
		if (tb[IKEVTI_A_PKT_SPORT])
			ev->sport = nla_get_u16(tb[IKEVTI_A_PKT_SPORT]);
		if (tb[IKEVTI_A_PKT_DPORT])
			ev->dport = nla_get_u16(tb[IKEVTI_A_PKT_DPORT]);
		return 0;
	}
	if (!tb[IKEVTI_A_SA]) {
		kernel_setmsg(kc, "event %u lacks the SA", cmd);
		return -EPROTO;
	}
	if (tb[IKEVTI_A_EXPIRE_HARD] && nla_len(tb[IKEVTI_A_EXPIRE_HARD])) {
		kernel_setmsg(kc, "expire event has a malformed hard flag");
		return -EPROTO;
	}
	err = kernel_sa_parse(kc, tb[IKEVTI_A_SA], &sa);
	if (err)
		return err;
	ev->dir = sa.dir;
	ev->spi = sa.spi;
	ev->cookie = sa.cookie;
	ev->has_cur = sa.has_cur;
	ev->cur = sa.cur;
	ev->hard = cmd == IKEVTI_CMD_EV_EXPIRE && tb[IKEVTI_A_EXPIRE_HARD];
	return 0;
}

int kernel_event_cb(struct nl_msg *msg, void *arg)
{
	struct kernel_event_req *r = arg;
	struct kernel_event ev;
	int ret;

	/* Only the kernel may speak on the group. */
	if (nlmsg_get_src(msg)->nl_pid != 0)
		return NL_SKIP;
	ret = kernel_event_parse(r->kc, nlmsg_hdr(msg), &ev);
	if (ret == 0)
		ret = r->fn(&ev, r->arg);
	if (ret < 0 && !r->err)
		r->err = ret;
	return ret < 0 ? NL_STOP : NL_OK;
}

int kernel_event_read(struct kernel_conn *kc, kernel_event_fn fn, void *arg)
{
	struct kernel_event_req r = { .kc = kc, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int ret;

	kc->msg[0] = '\0';
	if (!kc->ev)
		return -EBADF;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, kernel_event_cb, &r);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, kernel_noseq_cb, NULL);
	ret = nl_recvmsgs(kc->ev, cb);
	nl_cb_put(cb);
	if (r.err)
		return r.err;
	if (ret == -NLE_NOMEM) {
		/* ENOBUFS: the kernel dropped events for us. */
		kernel_setmsg(kc, "event socket overrun, events were lost");
		return -ENOBUFS;
	}
	if (ret < 0) {
		if (ret != -NLE_AGAIN)
			kernel_setmsg(kc, "netlink receive failed: %s",
				      nl_geterror(ret));
		return kernel_nlerr(ret);
	}
	return 0;
}
