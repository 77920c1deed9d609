/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the genl client of kernel.h, which is split by concern:
 *
 *	kernel_conn.c		the connection, sending a request and reading
 *				its answers to the ACK, extack messages
 *	kernel_policy.c		what a reply's attributes must look like, and
 *				where each u64 attribute lives in our structs
 *	kernel_request.c	building requests: the commands of kernel.h
 *	kernel_reply.c		checking and reading replies
 *	kernel_event.c		the events multicast group
 *
 * Only these files and their unit tests include this header; everyone
 * else uses kernel.h.  A few helpers are not static only so that the unit
 * tests can drive them with hand-made messages; they say so below.
 */
#ifndef LIB_KERNEL_PRIV_H
#define LIB_KERNEL_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/netlink.h>
#include <netlink/genl/genl.h>

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

/* kernel_conn.c */
__attribute__((format(printf, 2, 3)))
void kernel_setmsg(struct kernel_conn *kc, const char *fmt, ...);
int kernel_nlerr(int nlerr);
bool kernel_attrs_whole(struct nlattr *head, int len);
int kernel_parse_msg(struct kernel_conn *kc, struct nlmsghdr *nlh,
		     struct nlattr **tb, const struct nla_policy *policy);
void kernel_msg_free(struct nl_msg *msg);
struct nl_msg *kernel_msg(struct kernel_conn *kc, uint8_t cmd, int flags);
int kernel_transact(struct kernel_conn *kc, struct nl_msg *msg,
		    const struct nla_policy *policy,
		    kernel_reply_fn reply, void *arg);
/* For the unit tests: the reply path, the wipe, a socket of no family. */
int kernel_valid_cb(struct nl_msg *msg, void *arg);
void kernel_msg_wipe(struct nl_msg *msg);
struct kernel_conn *kernel_socket(char *err, size_t errlen);

/* kernel_policy.c: reply policies, each of its nest's MAX + 1 entries. */
extern const struct nla_policy kernel_version_policy[IKEVTI_A_MAX + 1];
/* The top level of SA, device and event messages. */
extern const struct nla_policy kernel_policy[IKEVTI_A_MAX + 1];
extern const struct nla_policy kernel_sa_policy[IKEVTI_SA_A_MAX + 1];
extern const struct nla_policy kernel_ts_policy[IKEVTI_TS_A_MAX + 1];
extern const struct nla_policy kernel_lt_policy[IKEVTI_LT_A_MAX + 1];
extern const struct nla_policy kernel_stats_policy[IKEVTI_STATS_A_MAX + 1];
extern const struct nla_policy kernel_cur_policy[IKEVTI_CUR_A_MAX + 1];
extern const struct nla_policy
kernel_dev_stats_policy[IKEVTI_DEV_STATS_A_MAX + 1];

/* Where each u64 attribute of a nest lives in our structs: one list for
 * requests and replies alike.
 */
struct kernel_u64_field {
	uint16_t attr;
	uint16_t off;
};

extern const struct kernel_u64_field kernel_lt_fields[];
extern const size_t kernel_lt_nfields;
extern const struct kernel_u64_field kernel_stats_fields[];
extern const size_t kernel_stats_nfields;
extern const struct kernel_u64_field kernel_cur_fields[];
extern const size_t kernel_cur_nfields;
extern const struct kernel_u64_field kernel_dev_fields[];
extern const size_t kernel_dev_nfields;

/* kernel_reply.c: the reply callbacks of the commands, and their state. */
struct kernel_version {
	char *modver;
	size_t len;
	uint32_t api;
	bool seen;
};

struct kernel_sa_req {
	uint32_t ifindex;
	struct kernel_sa *out;		/* doit: the one SA expected */
	uint8_t dir;
	uint32_t spi;
	kernel_sa_fn fn;		/* dumpit */
	void *arg;
	unsigned int n;
};

struct kernel_dev_req {
	uint32_t ifindex;		/* doit: the device asked for */
	struct kernel_dev_stats *out;
	kernel_dev_fn fn;
	void *arg;
	unsigned int n;
};

int kernel_version_reply(struct kernel_conn *kc, struct nlattr **tb,
			 void *arg);
int kernel_sa_reply(struct kernel_conn *kc, struct nlattr **tb, void *arg);
int kernel_dev_reply(struct kernel_conn *kc, struct nlattr **tb, void *arg);
/* IKEVTI_A_SA of a reply or an event; sa is zeroed first. */
int kernel_sa_parse(struct kernel_conn *kc, struct nlattr *nest,
		    struct kernel_sa *sa);
/* An address attribute: 4 or 16 bytes; returns its family or 0. */
uint8_t kernel_addr(const struct nlattr *nla, uint8_t *out);

/* kernel_request.c: what of an SA kernel_put_sa() sends. */
#define KERNEL_SA_ID		0x1	/* dir, spi */
#define KERNEL_SA_NEW		0x2	/* algorithms, keys, flags, ... */
#define KERNEL_SA_CHANGE	0x4	/* replay window, lifetime, selectors */

/* For the unit tests: requests built without being sent. */
int kernel_put_sa(struct nl_msg *msg, const struct kernel_sa *sa,
		  unsigned int what);
struct nl_msg *kernel_dev_msg(struct kernel_conn *kc, uint8_t cmd,
			      int flags, uint32_t ifindex);

/* kernel_event.c; for the unit tests: one event through the callback. */
struct kernel_event_req {
	struct kernel_conn *kc;
	kernel_event_fn fn;
	void *arg;
	int err;
};

int kernel_event_cb(struct nl_msg *msg, void *arg);

#endif /* LIB_KERNEL_PRIV_H */
