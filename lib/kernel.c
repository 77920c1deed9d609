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
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <openssl/crypto.h>

#include <linux/ikevti.h>

#include "kernel.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

#define KERNEL_VERSION_MAX	32	/* longest module version we accept */

struct kernel_conn {
	struct nl_sock *sk;
	struct nl_sock *ev;	/* member of the events group, or NULL */
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
static bool kernel_attrs_whole(struct nlattr *head, int len)
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
static int kernel_parse_msg(struct kernel_conn *kc, struct nlmsghdr *nlh,
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

static int kernel_valid_cb(struct nl_msg *msg, void *arg)
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
static void kernel_msg_wipe(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	OPENSSL_cleanse(nlh, nlh->nlmsg_len);
}

static void kernel_msg_free(struct nl_msg *msg)
{
	kernel_msg_wipe(msg);
	nlmsg_free(msg);
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
 * Send msg (always consumed, and wiped first) and run reply on each
 * answer, which is first checked against policy (an array of
 * IKEVTI_A_MAX + 1 entries).  Unknown attributes above IKEVTI_A_MAX are
 * ignored so that a newer module still talks to an older helper; known
 * ones must match the policy exactly.
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

/* Reply policies: every fixed-size attribute has its exact length. */
#define KERNEL_POL_U8	{ .type = NLA_U8, .minlen = 1, .maxlen = 1 }
#define KERNEL_POL_U16	{ .type = NLA_U16, .minlen = 2, .maxlen = 2 }
#define KERNEL_POL_U32	{ .type = NLA_U32, .minlen = 4, .maxlen = 4 }
#define KERNEL_POL_U64	{ .type = NLA_U64, .minlen = 8, .maxlen = 8 }
#define KERNEL_POL_ADDR	{ .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 }
#define KERNEL_POL_NEST	{ .type = NLA_NESTED }

/* The top level of SA, device and event messages. */
static const struct nla_policy kernel_policy[IKEVTI_A_MAX + 1] = {
	[IKEVTI_A_IFINDEX] = KERNEL_POL_U32,
	[IKEVTI_A_IFNAME] = { .type = NLA_STRING, .minlen = 2,
			      .maxlen = KERNEL_IFNAMSIZ },
	[IKEVTI_A_SA] = KERNEL_POL_NEST,
	[IKEVTI_A_EXPIRE_HARD] = { .type = NLA_FLAG },
	[IKEVTI_A_PKT_SRC] = KERNEL_POL_ADDR,
	[IKEVTI_A_PKT_DST] = KERNEL_POL_ADDR,
	[IKEVTI_A_PKT_PROTO] = KERNEL_POL_U8,
	[IKEVTI_A_PKT_SPORT] = KERNEL_POL_U16,
	[IKEVTI_A_PKT_DPORT] = KERNEL_POL_U16,
	[IKEVTI_A_DEV_STATS] = KERNEL_POL_NEST,
};

/* Keys are write-only: if a reply carried one, it would not be read. */
static const struct nla_policy kernel_sa_policy[IKEVTI_SA_A_MAX + 1] = {
	[IKEVTI_SA_A_DIR] = KERNEL_POL_U8,
	[IKEVTI_SA_A_SPI] = KERNEL_POL_U32,
	[IKEVTI_SA_A_ENC] = KERNEL_POL_U16,
	[IKEVTI_SA_A_AUTH] = KERNEL_POL_U16,
	[IKEVTI_SA_A_FLAGS] = KERNEL_POL_U32,
	[IKEVTI_SA_A_REPLAY_WINDOW] = KERNEL_POL_U32,
	[IKEVTI_SA_A_LIFETIME] = KERNEL_POL_NEST,
	[IKEVTI_SA_A_TS_LOCAL] = KERNEL_POL_NEST,
	[IKEVTI_SA_A_TS_REMOTE] = KERNEL_POL_NEST,
	[IKEVTI_SA_A_ORIGIN] = KERNEL_POL_U8,
	[IKEVTI_SA_A_COOKIE] = KERNEL_POL_U32,
	[IKEVTI_SA_A_STATS] = KERNEL_POL_NEST,
	[IKEVTI_SA_A_CUR] = KERNEL_POL_NEST,
};

static const struct nla_policy kernel_ts_policy[IKEVTI_TS_A_MAX + 1] = {
	[IKEVTI_TS_A_ADDR_START] = KERNEL_POL_ADDR,
	[IKEVTI_TS_A_ADDR_END] = KERNEL_POL_ADDR,
	[IKEVTI_TS_A_PROTO] = KERNEL_POL_U8,
	[IKEVTI_TS_A_PORT_START] = KERNEL_POL_U16,
	[IKEVTI_TS_A_PORT_END] = KERNEL_POL_U16,
};

static const struct nla_policy kernel_lt_policy[IKEVTI_LT_A_MAX + 1] = {
	[IKEVTI_LT_A_SOFT_SECS] = KERNEL_POL_U64,
	[IKEVTI_LT_A_HARD_SECS] = KERNEL_POL_U64,
	[IKEVTI_LT_A_SOFT_BYTES] = KERNEL_POL_U64,
	[IKEVTI_LT_A_HARD_BYTES] = KERNEL_POL_U64,
	[IKEVTI_LT_A_SOFT_PACKETS] = KERNEL_POL_U64,
	[IKEVTI_LT_A_HARD_PACKETS] = KERNEL_POL_U64,
};

static const struct nla_policy kernel_stats_policy[IKEVTI_STATS_A_MAX + 1] = {
	[IKEVTI_STATS_A_PACKETS] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_OCTETS] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_INVALID_SA] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_REPLAY] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_INTEGRITY_FAILED] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_CIPHER_FAILED] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_TRUNCATED] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_INVALID_PADDING] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_UNKNOWN_PROTO] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_NOMEM] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_TS_UNACCEPTABLE] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_MISC] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_CRYPTO_BUSY] = KERNEL_POL_U64,
};

static const struct nla_policy kernel_cur_policy[IKEVTI_CUR_A_MAX + 1] = {
	[IKEVTI_CUR_A_ADD_TIME] = KERNEL_POL_U64,
	[IKEVTI_CUR_A_USE_TIME] = KERNEL_POL_U64,
	[IKEVTI_CUR_A_BYTES] = KERNEL_POL_U64,
	[IKEVTI_CUR_A_PACKETS] = KERNEL_POL_U64,
	[IKEVTI_CUR_A_SEQ] = KERNEL_POL_U64,
	[IKEVTI_CUR_A_EXPIRED] = KERNEL_POL_U64,
};

static const struct nla_policy
kernel_dev_stats_policy[IKEVTI_DEV_STATS_A_MAX + 1] = {
	[IKEVTI_DEV_STATS_A_ENCAPS] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_ENCRYPT] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_DIGEST] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_DECAPS] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_DECRYPT] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_VERIFY] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_SEND_ERRORS] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_RECV_ERRORS] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_NO_SA_OUT] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_TS_OUT] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_NO_ROUTE] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_SEQ_EXHAUSTED] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_INVALID_SA] = KERNEL_POL_U64,
};

/* Where each u64 attribute of a nest lives in our structs: one list for
 * requests and replies alike.
 */
struct kernel_u64_field {
	uint16_t attr;
	uint16_t off;
};

#define KERNEL_U64(attr, type, field)	{ attr, offsetof(type, field) }
#define KERNEL_NFIELDS(a)		(sizeof(a) / sizeof((a)[0]))

static const struct kernel_u64_field kernel_lt_fields[] = {
	KERNEL_U64(IKEVTI_LT_A_SOFT_SECS, struct kernel_lifetime, soft_secs),
	KERNEL_U64(IKEVTI_LT_A_HARD_SECS, struct kernel_lifetime, hard_secs),
	KERNEL_U64(IKEVTI_LT_A_SOFT_BYTES, struct kernel_lifetime, soft_bytes),
	KERNEL_U64(IKEVTI_LT_A_HARD_BYTES, struct kernel_lifetime, hard_bytes),
	KERNEL_U64(IKEVTI_LT_A_SOFT_PACKETS, struct kernel_lifetime,
		   soft_packets),
	KERNEL_U64(IKEVTI_LT_A_HARD_PACKETS, struct kernel_lifetime,
		   hard_packets),
};

static const struct kernel_u64_field kernel_stats_fields[] = {
	KERNEL_U64(IKEVTI_STATS_A_PACKETS, struct kernel_sa_stats, packets),
	KERNEL_U64(IKEVTI_STATS_A_OCTETS, struct kernel_sa_stats, octets),
	KERNEL_U64(IKEVTI_STATS_A_INVALID_SA, struct kernel_sa_stats,
		   invalid_sa),
	KERNEL_U64(IKEVTI_STATS_A_REPLAY, struct kernel_sa_stats, replay),
	KERNEL_U64(IKEVTI_STATS_A_INTEGRITY_FAILED, struct kernel_sa_stats,
		   integrity_failed),
	KERNEL_U64(IKEVTI_STATS_A_CIPHER_FAILED, struct kernel_sa_stats,
		   cipher_failed),
	KERNEL_U64(IKEVTI_STATS_A_TRUNCATED, struct kernel_sa_stats,
		   truncated),
	KERNEL_U64(IKEVTI_STATS_A_INVALID_PADDING, struct kernel_sa_stats,
		   invalid_padding),
	KERNEL_U64(IKEVTI_STATS_A_UNKNOWN_PROTO, struct kernel_sa_stats,
		   unknown_proto),
	KERNEL_U64(IKEVTI_STATS_A_NOMEM, struct kernel_sa_stats, nomem),
	KERNEL_U64(IKEVTI_STATS_A_TS_UNACCEPTABLE, struct kernel_sa_stats,
		   ts_unacceptable),
	KERNEL_U64(IKEVTI_STATS_A_MISC, struct kernel_sa_stats, misc),
	KERNEL_U64(IKEVTI_STATS_A_CRYPTO_BUSY, struct kernel_sa_stats,
		   crypto_busy),
};

static const struct kernel_u64_field kernel_cur_fields[] = {
	KERNEL_U64(IKEVTI_CUR_A_ADD_TIME, struct kernel_sa_cur, add_time),
	KERNEL_U64(IKEVTI_CUR_A_USE_TIME, struct kernel_sa_cur, use_time),
	KERNEL_U64(IKEVTI_CUR_A_BYTES, struct kernel_sa_cur, bytes),
	KERNEL_U64(IKEVTI_CUR_A_PACKETS, struct kernel_sa_cur, packets),
	KERNEL_U64(IKEVTI_CUR_A_SEQ, struct kernel_sa_cur, seq),
	KERNEL_U64(IKEVTI_CUR_A_EXPIRED, struct kernel_sa_cur, expired),
};

static const struct kernel_u64_field kernel_dev_fields[] = {
	KERNEL_U64(IKEVTI_DEV_STATS_A_ENCAPS, struct kernel_dev_stats, encaps),
	KERNEL_U64(IKEVTI_DEV_STATS_A_ENCRYPT, struct kernel_dev_stats,
		   encrypt),
	KERNEL_U64(IKEVTI_DEV_STATS_A_DIGEST, struct kernel_dev_stats, digest),
	KERNEL_U64(IKEVTI_DEV_STATS_A_DECAPS, struct kernel_dev_stats, decaps),
	KERNEL_U64(IKEVTI_DEV_STATS_A_DECRYPT, struct kernel_dev_stats,
		   decrypt),
	KERNEL_U64(IKEVTI_DEV_STATS_A_VERIFY, struct kernel_dev_stats, verify),
	KERNEL_U64(IKEVTI_DEV_STATS_A_SEND_ERRORS, struct kernel_dev_stats,
		   send_errors),
	KERNEL_U64(IKEVTI_DEV_STATS_A_RECV_ERRORS, struct kernel_dev_stats,
		   recv_errors),
	KERNEL_U64(IKEVTI_DEV_STATS_A_NO_SA_OUT, struct kernel_dev_stats,
		   no_sa_out),
	KERNEL_U64(IKEVTI_DEV_STATS_A_TS_OUT, struct kernel_dev_stats, ts_out),
	KERNEL_U64(IKEVTI_DEV_STATS_A_NO_ROUTE, struct kernel_dev_stats,
		   no_route),
	KERNEL_U64(IKEVTI_DEV_STATS_A_SEQ_EXHAUSTED, struct kernel_dev_stats,
		   seq_exhausted),
	KERNEL_U64(IKEVTI_DEV_STATS_A_INVALID_SA, struct kernel_dev_stats,
		   invalid_sa),
};

void kernel_sa_wipe(struct kernel_sa *sa)
{
	OPENSSL_cleanse(sa, sizeof(*sa));
}

/* ------------------------------------------------------------------ */
/* Replies                                                             */

/* Index a nest's attributes, checked against policy (max + 1 entries). */
static int kernel_nest(struct kernel_conn *kc, struct nlattr **tb, int max,
		       struct nlattr *nest, const struct nla_policy *policy,
		       const char *what)
{
	int err;

	if (!kernel_attrs_whole(nla_data(nest), nla_len(nest))) {
		kernel_setmsg(kc, "malformed %s from the ikevti module: bad length",
			      what);
		return -EPROTO;
	}
	err = nla_parse_nested(tb, max, nest, policy);
	if (err < 0) {
		kernel_setmsg(kc, "malformed %s from the ikevti module: %s",
			      what, nl_geterror(err));
		return -EPROTO;
	}
	return 0;
}

/* Room for the largest of the nests that kernel_u64s() reads. */
#define KERNEL_U64_NEST_MAX	31
_Static_assert(KERNEL_U64_NEST_MAX >= IKEVTI_STATS_A_MAX,
	       "kernel_u64s() has room for the SA counters");
_Static_assert(KERNEL_U64_NEST_MAX >= IKEVTI_DEV_STATS_A_MAX &&
	       KERNEL_U64_NEST_MAX >= IKEVTI_CUR_A_MAX &&
	       KERNEL_U64_NEST_MAX >= IKEVTI_LT_A_MAX,
	       "kernel_u64s() has room for every u64 nest");

/* A nest of u64 values (max is its IKEVTI_*_A_MAX) into the struct at base. */
static int kernel_u64s(struct kernel_conn *kc, struct nlattr *nest, int max,
		       const struct nla_policy *policy,
		       const struct kernel_u64_field *f, size_t n, void *base,
		       const char *what)
{
	struct nlattr *tb[KERNEL_U64_NEST_MAX + 1];
	size_t i;
	int err;

	err = kernel_nest(kc, tb, max, nest, policy, what);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		uint64_t v;

		if (!tb[f[i].attr])
			continue;
		v = nla_get_u64(tb[f[i].attr]);
		memcpy((char *)base + f[i].off, &v, sizeof(v));
	}
	return 0;
}

/* An address attribute: 4 or 16 bytes; returns its family or 0. */
static uint8_t kernel_addr(const struct nlattr *nla, uint8_t *out)
{
	int len = nla_len(nla);

	if (len != 4 && len != 16)
		return 0;
	memset(out, 0, 16);
	memcpy(out, nla_data(nla), (size_t)len);
	return len == 4 ? AF_INET : AF_INET6;
}

static int kernel_ts_entry(struct kernel_conn *kc, struct nlattr *nest,
			   struct kernel_ts *ts, const char *side)
{
	struct nlattr *tb[IKEVTI_TS_A_MAX + 1];
	uint8_t fam;
	int err;

	err = kernel_nest(kc, tb, IKEVTI_TS_A_MAX, nest, kernel_ts_policy,
			  "traffic selector");
	if (err)
		return err;
	if (!tb[IKEVTI_TS_A_ADDR_START] || !tb[IKEVTI_TS_A_ADDR_END]) {
		kernel_setmsg(kc, "%s traffic selector lacks an address", side);
		return -EPROTO;
	}
	memset(ts, 0, sizeof(*ts));
	fam = kernel_addr(tb[IKEVTI_TS_A_ADDR_START], ts->start);
	if (!fam || fam != kernel_addr(tb[IKEVTI_TS_A_ADDR_END], ts->end)) {
		kernel_setmsg(kc, "%s traffic selector has bad address lengths",
			      side);
		return -EPROTO;
	}
	ts->family = fam;
	ts->port_end = 65535;
	if (tb[IKEVTI_TS_A_PROTO])
		ts->proto = nla_get_u8(tb[IKEVTI_TS_A_PROTO]);
	if (tb[IKEVTI_TS_A_PORT_START])
		ts->port_start = nla_get_u16(tb[IKEVTI_TS_A_PORT_START]);
	if (tb[IKEVTI_TS_A_PORT_END])
		ts->port_end = nla_get_u16(tb[IKEVTI_TS_A_PORT_END]);
	return 0;
}

static int kernel_ts_list(struct kernel_conn *kc, struct nlattr *list,
			  struct kernel_ts *ts, unsigned int *n,
			  const char *side)
{
	struct nlattr *pos;
	int rem, err;

	*n = 0;
	if (!kernel_attrs_whole(nla_data(list), nla_len(list))) {
		kernel_setmsg(kc, "malformed %s selector list from the ikevti module",
			      side);
		return -EPROTO;
	}
	nla_for_each_nested(pos, list, rem) {
		int type = nla_type(pos);

		if (type > IKEVTI_TS_LIST_A_MAX)
			continue;
		if (type != IKEVTI_TS_A_ENTRY) {
			kernel_setmsg(kc, "unexpected attribute %d in the %s selector list",
				      type, side);
			return -EPROTO;
		}
		if (*n == IKEVTI_TS_MAX) {
			kernel_setmsg(kc, "more than %d %s traffic selectors",
				      IKEVTI_TS_MAX, side);
			return -EPROTO;
		}
		err = kernel_ts_entry(kc, pos, &ts[*n], side);
		if (err)
			return err;
		(*n)++;
	}
	return 0;
}

/* IKEVTI_A_SA of a reply or an event; sa is zeroed first. */
static int kernel_sa_parse(struct kernel_conn *kc, struct nlattr *nest,
			   struct kernel_sa *sa)
{
	struct nlattr *tb[IKEVTI_SA_A_MAX + 1];
	int err;

	memset(sa, 0, sizeof(*sa));
	err = kernel_nest(kc, tb, IKEVTI_SA_A_MAX, nest, kernel_sa_policy,
			  "SA");
	if (err)
		return err;
	if (!tb[IKEVTI_SA_A_DIR] || !tb[IKEVTI_SA_A_SPI]) {
		kernel_setmsg(kc, "SA from the ikevti module lacks its direction or SPI");
		return -EPROTO;
	}
	sa->dir = nla_get_u8(tb[IKEVTI_SA_A_DIR]);
	if (sa->dir != IKEVTI_DIR_IN && sa->dir != IKEVTI_DIR_OUT) {
		kernel_setmsg(kc, "SA from the ikevti module has direction %u",
			      sa->dir);
		return -EPROTO;
	}
	sa->spi = ntohl(nla_get_u32(tb[IKEVTI_SA_A_SPI]));
	if (tb[IKEVTI_SA_A_ENC])
		sa->enc = nla_get_u16(tb[IKEVTI_SA_A_ENC]);
	if (tb[IKEVTI_SA_A_AUTH])
		sa->auth = nla_get_u16(tb[IKEVTI_SA_A_AUTH]);
	if (tb[IKEVTI_SA_A_FLAGS])
		sa->flags = nla_get_u32(tb[IKEVTI_SA_A_FLAGS]);
	if (tb[IKEVTI_SA_A_REPLAY_WINDOW]) {
		sa->has_replay_window = true;
		sa->replay_window = nla_get_u32(tb[IKEVTI_SA_A_REPLAY_WINDOW]);
	}
	if (tb[IKEVTI_SA_A_LIFETIME]) {
		sa->has_lifetime = true;
		err = kernel_u64s(kc, tb[IKEVTI_SA_A_LIFETIME], IKEVTI_LT_A_MAX,
				  kernel_lt_policy, kernel_lt_fields,
				  KERNEL_NFIELDS(kernel_lt_fields),
				  &sa->lifetime, "SA lifetime");
		if (err)
			return err;
	}
	if (tb[IKEVTI_SA_A_TS_LOCAL]) {
		err = kernel_ts_list(kc, tb[IKEVTI_SA_A_TS_LOCAL], sa->ts_local,
				     &sa->n_ts_local, "local");
		if (err)
			return err;
	}
	if (tb[IKEVTI_SA_A_TS_REMOTE]) {
		err = kernel_ts_list(kc, tb[IKEVTI_SA_A_TS_REMOTE],
				     sa->ts_remote, &sa->n_ts_remote, "remote");
		if (err)
			return err;
	}
	if (tb[IKEVTI_SA_A_ORIGIN])
		sa->origin = nla_get_u8(tb[IKEVTI_SA_A_ORIGIN]);
	if (tb[IKEVTI_SA_A_COOKIE])
		sa->cookie = nla_get_u32(tb[IKEVTI_SA_A_COOKIE]);
	if (tb[IKEVTI_SA_A_STATS]) {
		sa->has_stats = true;
		err = kernel_u64s(kc, tb[IKEVTI_SA_A_STATS], IKEVTI_STATS_A_MAX,
				  kernel_stats_policy, kernel_stats_fields,
				  KERNEL_NFIELDS(kernel_stats_fields),
				  &sa->stats, "SA counters");
		if (err)
			return err;
	}
	if (tb[IKEVTI_SA_A_CUR]) {
		sa->has_cur = true;
		err = kernel_u64s(kc, tb[IKEVTI_SA_A_CUR], IKEVTI_CUR_A_MAX,
				  kernel_cur_policy, kernel_cur_fields,
				  KERNEL_NFIELDS(kernel_cur_fields),
				  &sa->cur, "SA state");
		if (err)
			return err;
	}
	return 0;
}

struct kernel_sa_req {
	uint32_t ifindex;
	struct kernel_sa *out;		/* doit: the one SA expected */
	uint8_t dir;
	uint32_t spi;
	kernel_sa_fn fn;		/* dumpit */
	void *arg;
	unsigned int n;
};

static int kernel_sa_reply(struct kernel_conn *kc, struct nlattr **tb,
			   void *arg)
{
	struct kernel_sa_req *r = arg;
	struct kernel_sa tmp, *sa = r->out ? r->out : &tmp;
	uint32_t ifindex;
	int err;

	if (!tb[IKEVTI_A_IFINDEX] || !tb[IKEVTI_A_SA]) {
		kernel_setmsg(kc, "SA reply lacks a required attribute");
		return -EPROTO;
	}
	ifindex = nla_get_u32(tb[IKEVTI_A_IFINDEX]);
	if (ifindex != r->ifindex) {
		kernel_setmsg(kc, "SA reply is about ifindex %u, not %u",
			      ifindex, r->ifindex);
		return -EPROTO;
	}
	if (r->out && r->n) {
		kernel_setmsg(kc, "more than one SA in the reply");
		return -EPROTO;
	}
	r->n++;
	err = kernel_sa_parse(kc, tb[IKEVTI_A_SA], sa);
	if (err)
		return err;
	sa->ifindex = ifindex;
	if (r->out) {
		if (sa->dir != r->dir || sa->spi != r->spi) {
			kernel_setmsg(kc, "SA reply is about SPI 0x%08x, not 0x%08x",
				      sa->spi, r->spi);
			return -EPROTO;
		}
		return 0;
	}
	return r->fn(sa, r->arg);
}

static bool kernel_printable(const char *s)
{
	for (; *s; s++) {
		if (*s < 0x21 || *s > 0x7e)
			return false;
	}
	return true;
}

struct kernel_dev_req {
	uint32_t ifindex;		/* doit: the device asked for */
	struct kernel_dev_stats *out;
	kernel_dev_fn fn;
	void *arg;
	unsigned int n;
};

static int kernel_dev_reply(struct kernel_conn *kc, struct nlattr **tb,
			    void *arg)
{
	struct kernel_dev_req *r = arg;
	struct kernel_dev_stats tmp, *d = r->out ? r->out : &tmp;
	struct nlattr *name = tb[IKEVTI_A_IFNAME];
	int err;

	if (!tb[IKEVTI_A_IFINDEX] || !name) {
		kernel_setmsg(kc, "device reply lacks a required attribute");
		return -EPROTO;
	}
	if (r->out && r->n) {
		kernel_setmsg(kc, "more than one device in the reply");
		return -EPROTO;
	}
	r->n++;
	memset(d, 0, sizeof(*d));
	d->ifindex = nla_get_u32(tb[IKEVTI_A_IFINDEX]);
	if (r->out && d->ifindex != r->ifindex) {
		kernel_setmsg(kc, "device reply is about ifindex %u, not %u",
			      d->ifindex, r->ifindex);
		return -EPROTO;
	}
	/* The policy checked the NUL and the length; no control bytes. */
	if (strlen(nla_get_string(name)) + 1 != (size_t)nla_len(name) ||
	    !kernel_printable(nla_get_string(name))) {
		kernel_setmsg(kc, "device reply has a malformed name");
		return -EPROTO;
	}
	memcpy(d->ifname, nla_data(name), (size_t)nla_len(name));
	if (tb[IKEVTI_A_DEV_STATS]) {
		err = kernel_u64s(kc, tb[IKEVTI_A_DEV_STATS],
				  IKEVTI_DEV_STATS_A_MAX,
				  kernel_dev_stats_policy, kernel_dev_fields,
				  KERNEL_NFIELDS(kernel_dev_fields), d,
				  "device counters");
		if (err)
			return err;
	}
	return r->out ? 0 : r->fn(d, r->arg);
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */

#define KERNEL_SA_ID		0x1	/* dir, spi */
#define KERNEL_SA_NEW		0x2	/* algorithms, keys, flags, ... */
#define KERNEL_SA_CHANGE	0x4	/* replay window, lifetime, selectors */

static int kernel_put_ts(struct nl_msg *msg, int attr,
			 const struct kernel_ts *ts, unsigned int n)
{
	struct nlattr *list, *entry;
	unsigned int i;

	list = nla_nest_start(msg, attr);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		int alen = ts[i].family == AF_INET ? 4 : 16;

		entry = nla_nest_start(msg, IKEVTI_TS_A_ENTRY);
		if (!entry ||
		    nla_put(msg, IKEVTI_TS_A_ADDR_START, alen, ts[i].start) ||
		    nla_put(msg, IKEVTI_TS_A_ADDR_END, alen, ts[i].end) ||
		    nla_put_u8(msg, IKEVTI_TS_A_PROTO, ts[i].proto) ||
		    nla_put_u16(msg, IKEVTI_TS_A_PORT_START,
				ts[i].port_start) ||
		    nla_put_u16(msg, IKEVTI_TS_A_PORT_END, ts[i].port_end) ||
		    nla_nest_end(msg, entry))
			return -EMSGSIZE;
	}
	return nla_nest_end(msg, list) ? -EMSGSIZE : 0;
}

static int kernel_put_lifetime(struct nl_msg *msg,
			       const struct kernel_lifetime *lt)
{
	struct nlattr *nest;
	size_t i;

	nest = nla_nest_start(msg, IKEVTI_SA_A_LIFETIME);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < KERNEL_NFIELDS(kernel_lt_fields); i++) {
		uint64_t v;

		memcpy(&v, (const char *)lt + kernel_lt_fields[i].off,
		       sizeof(v));
		if (nla_put_u64(msg, kernel_lt_fields[i].attr, v))
			return -EMSGSIZE;
	}
	return nla_nest_end(msg, nest) ? -EMSGSIZE : 0;
}

static bool kernel_lifetime_set(const struct kernel_lifetime *lt)
{
	return lt->soft_secs || lt->hard_secs || lt->soft_bytes ||
	       lt->hard_bytes || lt->soft_packets || lt->hard_packets;
}

static int kernel_put_sa(struct nl_msg *msg, const struct kernel_sa *sa,
			 unsigned int what)
{
	struct nlattr *nest;
	int err = 0;

	if (sa->enc_key_len > sizeof(sa->enc_key) ||
	    sa->auth_key_len > sizeof(sa->auth_key) ||
	    sa->n_ts_local > IKEVTI_TS_MAX || sa->n_ts_remote > IKEVTI_TS_MAX)
		return -EINVAL;
	nest = nla_nest_start(msg, IKEVTI_A_SA);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, IKEVTI_SA_A_DIR, sa->dir) ||
	    nla_put_u32(msg, IKEVTI_SA_A_SPI, htonl(sa->spi)))
		return -EMSGSIZE;
	if (what & KERNEL_SA_NEW) {
		if (nla_put_u16(msg, IKEVTI_SA_A_ENC, sa->enc) ||
		    (sa->enc_key_len &&
		     nla_put(msg, IKEVTI_SA_A_ENC_KEY, (int)sa->enc_key_len,
			     sa->enc_key)) ||
		    nla_put_u16(msg, IKEVTI_SA_A_AUTH, sa->auth) ||
		    (sa->auth_key_len &&
		     nla_put(msg, IKEVTI_SA_A_AUTH_KEY, (int)sa->auth_key_len,
			     sa->auth_key)) ||
		    nla_put_u32(msg, IKEVTI_SA_A_FLAGS, sa->flags) ||
		    nla_put_u32(msg, IKEVTI_SA_A_COOKIE, sa->cookie))
			return -EMSGSIZE;
		if (sa->origin && nla_put_u8(msg, IKEVTI_SA_A_ORIGIN, sa->origin))
			return -EMSGSIZE;
		if (sa->has_seq && nla_put_u64(msg, IKEVTI_SA_A_SEQ, sa->seq))
			return -EMSGSIZE;
	}
	if (what & KERNEL_SA_CHANGE) {
		if (sa->has_replay_window &&
		    nla_put_u32(msg, IKEVTI_SA_A_REPLAY_WINDOW,
				sa->replay_window))
			return -EMSGSIZE;
		if (sa->has_lifetime ||
		    ((what & KERNEL_SA_NEW) && kernel_lifetime_set(&sa->lifetime)))
			err = kernel_put_lifetime(msg, &sa->lifetime);
		if (!err && sa->n_ts_local)
			err = kernel_put_ts(msg, IKEVTI_SA_A_TS_LOCAL,
					    sa->ts_local, sa->n_ts_local);
		if (!err && sa->n_ts_remote)
			err = kernel_put_ts(msg, IKEVTI_SA_A_TS_REMOTE,
					    sa->ts_remote, sa->n_ts_remote);
		if (err)
			return err;
	}
	return nla_nest_end(msg, nest) ? -EMSGSIZE : 0;
}

/* A request naming the device by ifindex; NULL only without memory. */
static struct nl_msg *kernel_dev_msg(struct kernel_conn *kc, uint8_t cmd,
				     int flags, uint32_t ifindex)
{
	struct nl_msg *msg = kernel_msg(kc, cmd, flags);

	if (msg && nla_put_u32(msg, IKEVTI_A_IFINDEX, ifindex)) {
		kernel_msg_free(msg);
		return NULL;
	}
	return msg;
}

/* For commands answered by an ACK alone. */
static int kernel_no_reply(struct kernel_conn *kc, struct nlattr **tb,
			   void *arg)
{
	(void)tb;
	(void)arg;
	kernel_setmsg(kc, "unexpected reply from the ikevti module");
	return -EPROTO;
}

/* Build an SA request and send it; the request is wiped either way. */
static int kernel_sa_request(struct kernel_conn *kc, uint8_t cmd,
			     uint32_t ifindex, const struct kernel_sa *sa,
			     unsigned int what)
{
	struct nl_msg *msg;
	int err;

	kc->msg[0] = '\0';
	msg = kernel_dev_msg(kc, cmd, 0, ifindex);
	if (!msg)
		return -ENOMEM;
	err = kernel_put_sa(msg, sa, what);
	if (err) {
		kernel_setmsg(kc, "SA does not fit in a netlink message");
		kernel_msg_free(msg);
		return err;
	}
	return kernel_transact(kc, msg, kernel_policy, kernel_no_reply, NULL);
}

int kernel_sa_add(struct kernel_conn *kc, uint32_t ifindex,
		  const struct kernel_sa *sa)
{
	return kernel_sa_request(kc, IKEVTI_CMD_SA_NEW, ifindex, sa,
				 KERNEL_SA_ID | KERNEL_SA_NEW |
				 KERNEL_SA_CHANGE);
}

int kernel_sa_set(struct kernel_conn *kc, uint32_t ifindex,
		  const struct kernel_sa *sa)
{
	return kernel_sa_request(kc, IKEVTI_CMD_SA_SET, ifindex, sa,
				 KERNEL_SA_ID | KERNEL_SA_CHANGE);
}

int kernel_sa_del(struct kernel_conn *kc, uint32_t ifindex, uint8_t dir,
		  uint32_t spi)
{
	struct kernel_sa sa = { .dir = dir, .spi = spi };

	return kernel_sa_request(kc, IKEVTI_CMD_SA_DEL, ifindex, &sa,
				 KERNEL_SA_ID);
}

int kernel_sa_get(struct kernel_conn *kc, uint32_t ifindex, uint8_t dir,
		  uint32_t spi, struct kernel_sa *out)
{
	struct kernel_sa_req r = {
		.ifindex = ifindex, .out = out, .dir = dir, .spi = spi,
	};
	struct kernel_sa id = { .dir = dir, .spi = spi };
	struct nl_msg *msg;
	int err;

	memset(out, 0, sizeof(*out));
	msg = kernel_dev_msg(kc, IKEVTI_CMD_SA_GET, 0, ifindex);
	if (!msg)
		return -ENOMEM;
	if (kernel_put_sa(msg, &id, KERNEL_SA_ID)) {
		kernel_msg_free(msg);
		return -ENOMEM;
	}
	err = kernel_transact(kc, msg, kernel_policy, kernel_sa_reply, &r);
	if (!err && !r.n) {
		kernel_setmsg(kc, "the ikevti module sent no SA");
		err = -EPROTO;
	}
	return err;
}

int kernel_sa_dump(struct kernel_conn *kc, uint32_t ifindex,
		   kernel_sa_fn fn, void *arg)
{
	struct kernel_sa_req r = { .ifindex = ifindex, .fn = fn, .arg = arg };
	struct nl_msg *msg;

	msg = kernel_dev_msg(kc, IKEVTI_CMD_SA_GET, NLM_F_DUMP, ifindex);
	if (!msg)
		return -ENOMEM;
	return kernel_transact(kc, msg, kernel_policy, kernel_sa_reply, &r);
}

int kernel_sa_flush(struct kernel_conn *kc, uint32_t ifindex, uint8_t origin)
{
	struct nl_msg *msg;
	struct nlattr *nest;

	msg = kernel_dev_msg(kc, IKEVTI_CMD_SA_FLUSH, 0, ifindex);
	if (!msg)
		return -ENOMEM;
	if (origin) {
		nest = nla_nest_start(msg, IKEVTI_A_SA);
		if (!nest || nla_put_u8(msg, IKEVTI_SA_A_ORIGIN, origin) ||
		    nla_nest_end(msg, nest)) {
			kernel_msg_free(msg);
			return -ENOMEM;
		}
	}
	return kernel_transact(kc, msg, kernel_policy, kernel_no_reply, NULL);
}

int kernel_dev_get(struct kernel_conn *kc, uint32_t ifindex,
		   struct kernel_dev_stats *out)
{
	struct kernel_dev_req r = { .ifindex = ifindex, .out = out };
	struct nl_msg *msg;
	int err;

	memset(out, 0, sizeof(*out));
	msg = kernel_dev_msg(kc, IKEVTI_CMD_DEV_GET, 0, ifindex);
	if (!msg)
		return -ENOMEM;
	err = kernel_transact(kc, msg, kernel_policy, kernel_dev_reply, &r);
	if (!err && !r.n) {
		kernel_setmsg(kc, "the ikevti module sent no device");
		err = -EPROTO;
	}
	return err;
}

int kernel_dev_dump(struct kernel_conn *kc, kernel_dev_fn fn, void *arg)
{
	struct kernel_dev_req r = { .fn = fn, .arg = arg };
	struct nl_msg *msg;

	msg = kernel_msg(kc, IKEVTI_CMD_DEV_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	return kernel_transact(kc, msg, kernel_policy, kernel_dev_reply, &r);
}

/* ------------------------------------------------------------------ */
/* Events                                                              */

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

struct kernel_event_req {
	struct kernel_conn *kc;
	kernel_event_fn fn;
	void *arg;
	int err;
};

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

static int kernel_event_cb(struct nl_msg *msg, void *arg)
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
