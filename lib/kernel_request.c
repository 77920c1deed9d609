// SPDX-License-Identifier: GPL-2.0
/*
 * The commands of kernel.h: each builds its request, hands it to
 * kernel_transact() with the reply callback of kernel_reply.c, and checks
 * that a doit got its one answer.  Requests that carry keys are wiped
 * before they are freed, and kernel_sa_wipe() wipes the caller's copy.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <openssl/crypto.h>

#include "kernel_priv.h"

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

void kernel_sa_wipe(struct kernel_sa *sa)
{
	OPENSSL_cleanse(sa, sizeof(*sa));
}

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
	for (i = 0; i < kernel_lt_nfields; i++) {
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

int kernel_put_sa(struct nl_msg *msg, const struct kernel_sa *sa,
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
struct nl_msg *kernel_dev_msg(struct kernel_conn *kc, uint8_t cmd,
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
