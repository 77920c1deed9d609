// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink client for the ikevti module.
 *
 * Every command goes through kernel_transact(): it sends one request,
 * hands each reply (already checked against the command's policy) to a
 * callback, and reads until the ACK or NLMSG_DONE, so that no stale reply
 * is left on the socket for the next request.  A failure's errno and the
 * kernel's extack message are kept apart: callers test the errno and show
 * the message.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <linux/ikevti.h>

#include "kernel.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

#define KERNEL_VERSION_MAX	32	/* longest module version we accept */

struct kernel_conn {
	struct nl_sock *sk;
	int family;
	char msg[256];		/* why the last request failed, or "" */
};

/* Called once per reply message; tb[] is indexed by IKEVTI_A_*. */
typedef int (*kernel_reply_fn)(struct kernel_conn *kc, struct nlattr **tb,
			       void *arg);

struct kernel_req {
	struct kernel_conn *kc;
	const struct nla_policy *policy;
	kernel_reply_fn reply;
	void *arg;
	int err;		/* first failure, negative errno */
	bool done;		/* ACK, error or NLMSG_DONE seen */
};

__attribute__((format(printf, 2, 3)))
static void kernel_setmsg(struct kernel_conn *kc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kc->msg, sizeof(kc->msg), fmt, ap);
	va_end(ap);
}

/* libnl has its own error codes; map back the ones callers act on. */
static int kernel_nlerr(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	default:
		return -EIO;
	}
}

/*
 * Keep NLMSGERR_ATTR_MSG from an NLMSG_ERROR or NLMSG_DONE message whose
 * TLVs start hdrlen bytes into the payload.  nlmsg_parse() checks that
 * hdrlen and every attribute lie within the message.
 */
static void kernel_extack(struct kernel_conn *kc, struct nlmsghdr *nlh,
			  size_t hdrlen)
{
	static const struct nla_policy policy[NLMSGERR_ATTR_MSG + 1] = {
		[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING, .minlen = 1 },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MSG + 1];

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || hdrlen > nlh->nlmsg_len)
		return;
	if (nlmsg_parse(nlh, (int)hdrlen, tb, NLMSGERR_ATTR_MSG, policy) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		kernel_setmsg(kc, "%s", nla_get_string(tb[NLMSGERR_ATTR_MSG]));
}

static int kernel_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e,
			 void *arg)
{
	struct kernel_req *req = arg;
	/* libnl hands us the payload of the NLMSG_ERROR message. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	size_t hdrlen = sizeof(*e);

	(void)nla;
	/* Without NETLINK_CAP_ACK the request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN ||
		    e->msg.nlmsg_len > nlh->nlmsg_len)
			hdrlen = SIZE_MAX;
		else
			hdrlen += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	if (!req->err) {
		req->err = e->error < 0 ? e->error : -EPROTO;
		kernel_extack(req->kc, nlh, hdrlen);
	}
	req->done = true;
	return NL_STOP;
}

static int kernel_ack_cb(struct nl_msg *msg, void *arg)
{
	struct kernel_req *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

/* End of a dump: the payload is an int error, then optional TLVs. */
static int kernel_done_cb(struct nl_msg *msg, void *arg)
{
	struct kernel_req *req = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err = 0;

	if (nlmsg_datalen(nlh) >= (int)sizeof(err))
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
	if (err < 0 && !req->err) {
		req->err = err;
		kernel_extack(req->kc, nlh, sizeof(err));
	}
	req->done = true;
	return NL_STOP;
}

static int kernel_valid_cb(struct nl_msg *msg, void *arg)
{
	struct kernel_req *req = arg;
	struct kernel_conn *kc = req->kc;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[IKEVTI_A_MAX + 1];
	int err;

	/* After a failure, keep reading to the ACK but ignore replies. */
	if (req->err)
		return NL_SKIP;
	if (nlh->nlmsg_type != kc->family) {
		kernel_setmsg(kc, "unexpected netlink message type %u",
			      nlh->nlmsg_type);
		req->err = -EPROTO;
		return NL_SKIP;
	}
	err = genlmsg_parse(nlh, 0, tb, IKEVTI_A_MAX, req->policy);
	if (err < 0) {
		kernel_setmsg(kc, "malformed reply from the ikevti module: %s",
			      nl_geterror(err));
		req->err = -EPROTO;
		return NL_SKIP;
	}
	err = req->reply(kc, tb, req->arg);
	if (err < 0)
		req->err = err;
	return NL_OK;
}

static struct nl_msg *kernel_msg(struct kernel_conn *kc, uint8_t cmd,
				 int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, kc->family, 0,
			 NLM_F_REQUEST | NLM_F_ACK | flags, cmd,
			 IKEVTI_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * Send msg (always consumed) and run reply on each answer, which is first
 * checked against policy (an array of IKEVTI_A_MAX + 1 entries).  Unknown
 * attributes above IKEVTI_A_MAX are ignored so that a newer module still
 * talks to an older helper; known ones must match the policy exactly.
 */
static int kernel_transact(struct kernel_conn *kc, struct nl_msg *msg,
			   const struct nla_policy *policy,
			   kernel_reply_fn reply, void *arg)
{
	struct kernel_req req = {
		.kc = kc, .policy = policy, .reply = reply, .arg = arg,
	};
	struct nl_cb *cb;
	int ret;

	kc->msg[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, kernel_valid_cb, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, kernel_ack_cb, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, kernel_done_cb, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, kernel_err_cb, &req);

	ret = nl_send_auto(kc->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		kernel_setmsg(kc, "netlink send failed: %s", nl_geterror(ret));
		req.err = kernel_nlerr(ret);
		req.done = true;
	}
	while (!req.done) {
		ret = nl_recvmsgs(kc->sk, cb);
		if (ret < 0 && !req.done) {
			kernel_setmsg(kc, "netlink receive failed: %s",
				      nl_geterror(ret));
			req.err = kernel_nlerr(ret);
			break;
		}
	}
	nl_cb_put(cb);
	return req.err;
}

/* A generic netlink socket, not yet bound to a family. */
static struct kernel_conn *kernel_socket(char *err, size_t errlen)
{
	struct kernel_conn *kc;
	int one = 1;
	int ret, fd;

	kc = calloc(1, sizeof(*kc));
	if (kc)
		kc->sk = nl_socket_alloc();
	if (!kc || !kc->sk) {
		snprintf(err, errlen, "out of memory");
		free(kc);
		errno = ENOMEM;
		return NULL;
	}
	ret = genl_connect(kc->sk);
	if (ret < 0) {
		snprintf(err, errlen, "cannot open generic netlink socket: %s",
			 nl_geterror(ret));
		kernel_close(kc);
		errno = -kernel_nlerr(ret);
		return NULL;
	}
	/*
	 * Ask for the kernel's error strings, without the echoed request.
	 * Kernels before 4.12 lack both options and send bare errnos.
	 */
	fd = nl_socket_get_fd(kc->sk);
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return kc;
}

struct kernel_conn *kernel_open(char *err, size_t errlen)
{
	struct kernel_conn *kc;
	int ret;

	kc = kernel_socket(err, errlen);
	if (!kc)
		return NULL;
	ret = genl_ctrl_resolve(kc->sk, IKEVTI_GENL_NAME);
	if (ret < 0) {
		if (ret == -NLE_OBJ_NOTFOUND)
			snprintf(err, errlen,
				 "ikevti module not loaded (generic netlink family '%s' not found)",
				 IKEVTI_GENL_NAME);
		else
			snprintf(err, errlen,
				 "cannot resolve generic netlink family '%s': %s",
				 IKEVTI_GENL_NAME, nl_geterror(ret));
		kernel_close(kc);
		errno = -kernel_nlerr(ret);
		return NULL;
	}
	kc->family = ret;
	return kc;
}

void kernel_close(struct kernel_conn *kc)
{
	if (!kc)
		return;
	nl_socket_free(kc->sk);
	free(kc);
}

const char *kernel_strerror(const struct kernel_conn *kc, int err)
{
	if (kc && kc->msg[0])
		return kc->msg;
	return strerror(err < 0 ? -err : err);
}

struct kernel_version {
	char *modver;
	size_t len;
	uint32_t api;
	bool seen;
};

static const struct nla_policy kernel_version_policy[IKEVTI_A_MAX + 1] = {
	[IKEVTI_A_VERSION_MODULE] = { .type = NLA_STRING, .minlen = 2,
				      .maxlen = KERNEL_VERSION_MAX },
	[IKEVTI_A_VERSION_API] = { .type = NLA_U32, .minlen = sizeof(uint32_t),
				   .maxlen = sizeof(uint32_t) },
};

static int kernel_version_reply(struct kernel_conn *kc, struct nlattr **tb,
				void *arg)
{
	struct kernel_version *v = arg;
	struct nlattr *mod = tb[IKEVTI_A_VERSION_MODULE];
	const char *s;
	size_t n;

	if (!mod || !tb[IKEVTI_A_VERSION_API]) {
		kernel_setmsg(kc, "version reply lacks a required attribute");
		return -EPROTO;
	}
	s = nla_get_string(mod);
	n = strlen(s);
	if (n + 1 != (size_t)nla_len(mod)) {
		kernel_setmsg(kc, "version reply has an embedded NUL");
		return -EPROTO;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x21 || s[i] > 0x7e) {
			kernel_setmsg(kc, "version reply is not printable");
			return -EPROTO;
		}
	}
	if (n >= v->len) {
		kernel_setmsg(kc, "module version '%s' is too long", s);
		return -ENOSPC;
	}
	memcpy(v->modver, s, n + 1);
	v->api = nla_get_u32(tb[IKEVTI_A_VERSION_API]);
	v->seen = true;
	return 0;
}

int kernel_get_version(struct kernel_conn *kc, char *modver, size_t len,
		       uint32_t *api)
{
	struct kernel_version v = { .modver = modver, .len = len };
	struct nl_msg *msg;
	int err;

	msg = kernel_msg(kc, IKEVTI_CMD_GET_VERSION, 0);
	if (!msg)
		return -ENOMEM;
	err = kernel_transact(kc, msg, kernel_version_policy,
			      kernel_version_reply, &v);
	if (err)
		return err;
	if (!v.seen) {
		kernel_setmsg(kc, "the ikevti module sent no version reply");
		return -EPROTO;
	}
	*api = v.api;
	return 0;
}
