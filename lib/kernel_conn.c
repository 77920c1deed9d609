// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink client's connection to the ikevti module (the rest
 * of the client: kernel_priv.h).
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
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <openssl/crypto.h>

#include <linux/ikevti.h>

#include "kernel_priv.h"

__attribute__((format(printf, 2, 3)))
void kernel_setmsg(struct kernel_conn *kc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kc->msg, sizeof(kc->msg), fmt, ap);
	va_end(ap);
}

/* libnl has its own error codes; map back the ones callers act on. */
int kernel_nlerr(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_AGAIN:
		return -EAGAIN;
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

/*
 * libnl's nla_parse() stops quietly at bytes it cannot walk as attributes;
 * the kernel never sends such bytes, so refuse them.  A last attribute
 * whose padding was cut off leaves rem negative, which is fine.
 */
bool kernel_attrs_whole(struct nlattr *head, int len)
{
	struct nlattr *pos;
	int rem;

	nla_for_each_attr(pos, head, len, rem) {
	}
	return rem <= 0;
}

/*
 * Check one generic netlink message of our family against policy (an
 * array of IKEVTI_A_MAX + 1 entries) and index its attributes in tb.
 */
int kernel_parse_msg(struct kernel_conn *kc, struct nlmsghdr *nlh,
		     struct nlattr **tb, const struct nla_policy *policy)
{
	int err;

	if (nlh->nlmsg_type != kc->family) {
		kernel_setmsg(kc, "unexpected netlink message type %u",
			      nlh->nlmsg_type);
		return -EPROTO;
	}
	if (!genlmsg_valid_hdr(nlh, 0) ||
	    !kernel_attrs_whole(genlmsg_attrdata(nlmsg_data(nlh), 0),
				genlmsg_attrlen(nlmsg_data(nlh), 0))) {
		kernel_setmsg(kc, "malformed reply from the ikevti module: bad length");
		return -EPROTO;
	}
	err = genlmsg_parse(nlh, 0, tb, IKEVTI_A_MAX, policy);
	if (err < 0) {
		kernel_setmsg(kc, "malformed reply from the ikevti module: %s",
			      nl_geterror(err));
		return -EPROTO;
	}
	return 0;
}

int kernel_valid_cb(struct nl_msg *msg, void *arg)
{
	struct kernel_req *req = arg;
	struct kernel_conn *kc = req->kc;
	struct nlattr *tb[IKEVTI_A_MAX + 1];
	int err;

	/* After a failure, keep reading to the ACK but ignore replies. */
	if (req->err)
		return NL_SKIP;
	err = kernel_parse_msg(kc, nlmsg_hdr(msg), tb, req->policy);
	if (err < 0) {
		req->err = err;
		return NL_SKIP;
	}
	err = req->reply(kc, tb, req->arg);
	if (err < 0)
		req->err = err;
	return NL_OK;
}

/* Requests may hold keys: wipe them before they go back to the heap. */
void kernel_msg_wipe(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	OPENSSL_cleanse(nlh, nlh->nlmsg_len);
}

void kernel_msg_free(struct nl_msg *msg)
{
	kernel_msg_wipe(msg);
	nlmsg_free(msg);
}

struct nl_msg *kernel_msg(struct kernel_conn *kc, uint8_t cmd,
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
 * Send msg (always consumed, and wiped first) and run reply on each
 * answer, which is first checked against policy (an array of
 * IKEVTI_A_MAX + 1 entries).  Unknown attributes above IKEVTI_A_MAX are
 * ignored so that a newer module still talks to an older helper; known
 * ones must match the policy exactly.
 */
int kernel_transact(struct kernel_conn *kc, struct nl_msg *msg,
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
		kernel_msg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, kernel_valid_cb, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, kernel_ack_cb, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, kernel_done_cb, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, kernel_err_cb, &req);

	ret = nl_send_auto(kc->sk, msg);
	kernel_msg_free(msg);
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
struct kernel_conn *kernel_socket(char *err, size_t errlen)
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
	nl_socket_free(kc->ev);
	nl_socket_free(kc->sk);
	free(kc);
}

const char *kernel_strerror(const struct kernel_conn *kc, int err)
{
	if (kc && kc->msg[0])
		return kc->msg;
	return strerror(err < 0 ? -err : err);
}

