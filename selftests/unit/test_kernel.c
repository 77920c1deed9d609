// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for the genl client (lib/kernel_*.c) that need no ikevti module:
 * the request loop runs against the kernel's own "nlctrl" family, which
 * is always there and whose errors carry extack messages, so ACKs, dumps,
 * errors and extack parsing (with and without the echoed request) are
 * exercised for real.  kernel_priv.h gives the tests the client's inner
 * helpers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>

#include "kernel_priv.h"

#include "tap.h"

struct replies {
	int n;
	int fail;		/* return this from the first reply */
	bool saw_nlctrl;
};

/* Both nlctrl attributes we look at fit in the IKEVTI_A_* table. */
static const struct nla_policy ctrl_policy[IKEVTI_A_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16, .minlen = 2, .maxlen = 2 },
	[CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING, .maxlen = GENL_NAMSIZ },
};

static const struct nla_policy tight_policy[IKEVTI_A_MAX + 1] = {
	[CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING, .maxlen = 3 },
};

static int ctrl_reply(struct kernel_conn *kc, struct nlattr **tb, void *arg)
{
	struct replies *r = arg;

	(void)kc;
	if (r->n++ == 0 && r->fail)
		return r->fail;
	if (tb[CTRL_ATTR_FAMILY_NAME] && tb[CTRL_ATTR_FAMILY_ID] &&
	    !strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), "nlctrl") &&
	    nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]) == GENL_ID_CTRL)
		r->saw_nlctrl = true;
	return 0;
}

/*
 * CTRL_CMD_GETFAMILY: name NULL for a dump, bad_id for a policy error,
 * fail for a reply callback that fails.
 */
static int getfamily(struct kernel_conn *kc, const char *name, bool bad_id,
		     const struct nla_policy *policy, int fail,
		     struct replies *r)
{
	struct nl_msg *msg;

	msg = kernel_msg(kc, CTRL_CMD_GETFAMILY, name ? 0 : NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	if (name)
		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name);
	if (bad_id)
		nla_put_u8(msg, CTRL_ATTR_FAMILY_ID, 1);
	*r = (struct replies){ .fail = fail };
	return kernel_transact(kc, msg, policy, ctrl_reply, r);
}

static void test_open(void)
{
	char err[256], ver[64];
	struct kernel_conn *kc;
	uint32_t api;

	errno = 0;
	kc = kernel_open(err, sizeof(err));
	if (kc) {
		ok(kernel_get_version(kc, ver, sizeof(ver), &api) == 0 &&
		   api >= 1, "ikevti is loaded: version %s", ver);
		kernel_close(kc);
		return;
	}
	is_str(err, "ikevti module not loaded (generic netlink family 'ikevti' not found)",
	       "kernel_open() without the module says so");
	is_int(errno, ENOENT, "and sets errno to ENOENT");
}

static void test_extack(struct kernel_conn *kc, const char *how)
{
	struct replies r;
	int ret;

	ret = getfamily(kc, "nlctrl", true, ctrl_policy, 0, &r);
	ok(ret < 0 && r.n == 0, "%s: policy violation fails (%d)", how, ret);
	if (!kc->msg[0])
		skip("kernel sent no extack message");
	else
		ok(strstr(kernel_strerror(kc, ret), "policy") != NULL,
		   "%s: extack message kept: %s", how, kc->msg);
}

static void test_requests(struct kernel_conn *kc)
{
	struct replies r;
	int ret;

	ret = getfamily(kc, "nlctrl", false, ctrl_policy, 0, &r);
	ok(ret == 0 && r.n == 1 && r.saw_nlctrl, "request: one reply, ACK");
	is_str(kernel_strerror(kc, 0), strerror(0), "no message after success");

	ret = getfamily(kc, "no-such-family", false, ctrl_policy, 0, &r);
	is_int(ret, -ENOENT, "error reply comes back as -errno");

	ret = getfamily(kc, NULL, false, ctrl_policy, 0, &r);
	ok(ret == 0 && r.n >= 1 && r.saw_nlctrl,
	   "dump: %d replies, NLMSG_DONE", r.n);

	ret = getfamily(kc, "nlctrl", false, tight_policy, 0, &r);
	is_int(ret, -EPROTO, "reply outside the policy is refused");
	ok(!strncmp(kc->msg, "malformed reply", 15), "with a message: %s",
	   kc->msg);

	ret = getfamily(kc, NULL, false, ctrl_policy, -EBADMSG, &r);
	ok(ret == -EBADMSG && r.n == 1,
	   "callback error stops the dump (%d, %d replies seen)", ret, r.n);
	ret = getfamily(kc, "nlctrl", false, ctrl_policy, 0, &r);
	ok(ret == 0 && r.n == 1 && r.saw_nlctrl,
	   "next request gets its own reply, nothing stale");
}

/* Feed one hand-made GET_VERSION reply to the reply path. */
static int version_reply(const char *mod, int modlen, bool api16,
			 bool extra, char *ver, uint32_t *api)
{
	struct kernel_conn kc = { .family = 0x42 };
	struct kernel_version v = { .modver = ver, .len = 16 };
	struct kernel_req req = {
		.kc = &kc, .policy = kernel_version_policy,
		.reply = kernel_version_reply, .arg = &v,
	};
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 0, kc.family, 0, 0, IKEVTI_CMD_GET_VERSION, 1);
	if (mod)
		nla_put(msg, IKEVTI_A_VERSION_MODULE, modlen, mod);
	if (api16)
		nla_put_u16(msg, IKEVTI_A_VERSION_API, 1);
	else
		nla_put_u32(msg, IKEVTI_A_VERSION_API, 3);
	if (extra)
		nla_put_u64(msg, IKEVTI_A_MAX + 1, 0);
	kernel_valid_cb(msg, &req);
	nlmsg_free(msg);
	*api = v.api;
	return req.err;
}

static void test_version_reply(void)
{
	char ver[16] = "";
	uint32_t api = 0;
	int ret;

	ret = version_reply("0.1.0", 6, false, true, ver, &api);
	ok(ret == 0 && !strcmp(ver, "0.1.0") && api == 3,
	   "version reply parsed, newer attribute ignored");
	is_int(version_reply(NULL, 0, false, false, ver, &api), -EPROTO,
	       "version reply without the module version");
	is_int(version_reply("0.1.0", 6, true, false, ver, &api), -EPROTO,
	       "version reply with a 16-bit API");
	is_int(version_reply("0.1.0", 5, false, false, ver, &api), -EPROTO,
	       "version string without a NUL");
	is_int(version_reply("0.1\0x", 6, false, false, ver, &api), -EPROTO,
	       "version string with an embedded NUL");
	is_int(version_reply("0.1\n", 5, false, false, ver, &api), -EPROTO,
	       "version string with a control character");
	is_int(version_reply("0.1.0-0123456789abcdef0123456789", 33, false,
			     false, ver, &api), -EPROTO,
	       "version string over the policy's length");
	is_int(version_reply("0.1.0-0123456789", 17, false, false, ver, &api),
	       -ENOSPC, "version string longer than the caller's buffer");
}

int main(void)
{
	struct kernel_conn *kc;
	char err[256];
	int zero = 0;

	kc = kernel_socket(err, sizeof(err));
	if (!kc) {
		printf("1..0 # SKIP no generic netlink: %s\n", err);
		return 0;
	}
	kc->family = GENL_ID_CTRL;

	test_open();
	test_version_reply();
	test_requests(kc);
	test_extack(kc, "capped ACK");
	setsockopt(nl_socket_get_fd(kc->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &zero, sizeof(zero));
	test_extack(kc, "echoed request");
	kernel_close(kc);
	return done_testing();
}
