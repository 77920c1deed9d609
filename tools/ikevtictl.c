// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtictl: inspect and control ikevti tunnels.
 *
 * Global options come before the command.  Each command is one entry in
 * cmds[]; it gets its own name in argv[0] and parses the rest itself.
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/signalfd.h>

#include "ike_cmds.h"
#include "json.h"
#include "kernel.h"
#include "sa_args.h"
#include "sa_show.h"
#include "version.h"

struct ctl {
	bool json;
	struct json *j;		/* the document being written, if any */
	unsigned int n;		/* items shown so far */
	bool out_failed;	/* a write to stdout failed */
	const char *socket;	/* ikehelper's control socket */
};

struct cmd {
	const char *name;
	const char *help;
	int (*run)(struct ctl *ctl, int argc, char **argv);
};

static int cmd_help(struct ctl *ctl, int argc, char **argv);
static int cmd_version(struct ctl *ctl, int argc, char **argv);
static int cmd_sa(struct ctl *ctl, int argc, char **argv);
static int cmd_link(struct ctl *ctl, int argc, char **argv);
static int cmd_monitor(struct ctl *ctl, int argc, char **argv);
static int cmd_daemon(struct ctl *ctl, int argc, char **argv);

static const struct cmd cmds[] = {
	{ "help", "list the commands", cmd_help },
	{ "version", "show the versions of ikevtictl and the loaded module",
	  cmd_version },
	{ "sa", "add, change, delete, show or flush SAs ('sa help')",
	  cmd_sa },
	{ "link", "show the counters of ikevti devices: link show [DEV]",
	  cmd_link },
	{ "monitor", "print SA events as they happen, until interrupted",
	  cmd_monitor },
	{ "show", "ask ikehelper: show ike-sa|child-sa|stats; IOS terms: show crypto isakmp sa [detail] | ipsec sa [peer A] | session",
	  cmd_daemon },
	{ "clear", "ask ikehelper to delete SAs: clear sa [PEER]; IOS terms: clear crypto isakmp [CONN-ID] | sa [peer A]",
	  cmd_daemon },
	{ "initiate", "ask ikehelper to bring a tunnel up: initiate TUNNEL",
	  cmd_daemon },
	{ "rekey", "ask ikehelper to rekey now: rekey ike-sa|child-sa TUNNEL",
	  cmd_daemon },
};

#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

__attribute__((format(printf, 3, 4)))
static int ctl_fail(int status, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ikevtictl: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: ikevtictl [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Options:\n"
		"  -j, --json         print JSON instead of text\n"
		"  -s, --socket PATH  ikehelper's control socket (default\n"
		"                     " IKE_CMD_SOCKET ")\n"
		"  -V, --version      show the ikevtictl version\n"
		"  -h, --help         show this help\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
}

static int cmd_help(struct ctl *ctl, int argc, char **argv)
{
	(void)ctl;
	if (argc > 1)
		return ctl_fail(2, argv[0], "unexpected argument '%s'", argv[1]);
	usage(stdout);
	return 0;
}

static int cmd_version(struct ctl *ctl, int argc, char **argv)
{
	char err[256], modver[64];
	struct kernel_conn *kc;
	struct json j;
	uint32_t api;
	int ret;

	if (argc > 1)
		return ctl_fail(2, argv[0], "unexpected argument '%s'", argv[1]);

	kc = kernel_open(err, sizeof(err));
	if (!kc)
		return ctl_fail(1, argv[0], "%s", err);
	ret = kernel_get_version(kc, modver, sizeof(modver), &api);
	if (ret == -EPERM)
		ctl_fail(1, argv[0], "permission denied (CAP_NET_ADMIN required)");
	else if (ret)
		ctl_fail(1, argv[0], "%s", kernel_strerror(kc, ret));
	kernel_close(kc);
	if (ret)
		return 1;

	if (!ctl->json) {
		printf("ikevtictl %s\nmodule %s\napi %" PRIu32 "\n",
		       IKEVTI_USER_VERSION, modver, api);
		return 0;
	}
	json_init(&j, stdout, 0);
	json_object_begin(&j);
	json_kv_str(&j, "ikevtictl", IKEVTI_USER_VERSION);
	json_kv_str(&j, "module", modver);
	json_kv_uint(&j, "api", api);
	json_object_end(&j);
	ret = json_end(&j);
	if (ret)
		return ctl_fail(1, argv[0], "cannot write JSON: %s",
				strerror(-ret));
	return 0;
}

/*
 * Report a failed request: the kernel's extack message and the errno
 * behind it, or the errno alone.
 */
static int ctl_kfail(struct kernel_conn *kc, const char *cmd, int err)
{
	const char *msg = kernel_strerror(kc, err);
	const char *sys = strerror(err < 0 ? -err : err);

	if (strcmp(msg, sys))
		return ctl_fail(1, cmd, "%s (%s)", msg, sys);
	if (err == -EPERM)
		return ctl_fail(1, cmd,
				"permission denied (CAP_NET_ADMIN required)");
	return ctl_fail(1, cmd, "%s", sys);
}

/* Connect, and check that the module speaks the API we were built for. */
static struct kernel_conn *ctl_open(const char *cmd)
{
	char err[256], modver[64];
	struct kernel_conn *kc;
	uint32_t api;
	int ret;

	kc = kernel_open(err, sizeof(err));
	if (!kc) {
		ctl_fail(1, cmd, "%s", err);
		return NULL;
	}
	ret = kernel_get_version(kc, modver, sizeof(modver), &api);
	if (ret) {
		ctl_kfail(kc, cmd, ret);
		kernel_close(kc);
		return NULL;
	}
	if (api < IKEVTI_API_VERSION) {
		ctl_fail(1, cmd,
			 "the loaded ikevti module %s has API %" PRIu32
			 ", this needs %d; load a newer module",
			 modver, api, IKEVTI_API_VERSION);
		kernel_close(kc);
		return NULL;
	}
	return kc;
}

static int ctl_json_end(struct json *j, const char *cmd)
{
	int ret = json_end(j);

	if (ret)
		return ctl_fail(1, cmd, "cannot write JSON: %s",
				strerror(-ret));
	return 0;
}

/*
 * SA_SET replaces both selector lists together.  When the command line
 * gives one side only, keep the SA's other side as it is, so that narrowing
 * one list never silently widens the other to "any".
 */
static int sa_set_keep_ts(struct kernel_conn *kc, struct sa_args *a)
{
	struct kernel_sa *sa = &a->sa;
	struct kernel_sa cur;
	int ret;

	if (!sa->n_ts_local == !sa->n_ts_remote)
		return 0;
	ret = kernel_sa_get(kc, a->ifindex, sa->dir, sa->spi, &cur);
	if (ret)
		return ret;
	if (!sa->n_ts_local) {
		sa->n_ts_local = cur.n_ts_local;
		memcpy(sa->ts_local, cur.ts_local, sizeof(cur.ts_local));
	} else {
		sa->n_ts_remote = cur.n_ts_remote;
		memcpy(sa->ts_remote, cur.ts_remote, sizeof(cur.ts_remote));
	}
	return 0;
}

/* sa add, set, del, flush: a request with nothing to print. */
static int sa_change(struct ctl *ctl, const char *cmd, enum sa_op op,
		     struct sa_args *a)
{
	struct kernel_conn *kc;
	int ret;

	(void)ctl;
	kc = ctl_open(cmd);
	if (!kc)
		return 1;
	switch (op) {
	case SA_OP_ADD:
		ret = kernel_sa_add(kc, a->ifindex, &a->sa);
		break;
	case SA_OP_SET:
		ret = sa_set_keep_ts(kc, a);
		if (!ret)
			ret = kernel_sa_set(kc, a->ifindex, &a->sa);
		break;
	case SA_OP_DEL:
		ret = kernel_sa_del(kc, a->ifindex, a->sa.dir, a->sa.spi);
		break;
	default:
		ret = kernel_sa_flush(kc, a->ifindex, a->flush_origin);
		break;
	}
	if (ret)
		ctl_kfail(kc, cmd, ret);
	kernel_close(kc);
	return ret ? 1 : 0;
}

struct sa_show_ctx {
	struct ctl *ctl;
	struct json *j;
	const char *ifname;
	time_t now;
	unsigned int n;
};

static int sa_show_one(const struct kernel_sa *sa, void *arg)
{
	struct sa_show_ctx *c = arg;

	c->n++;
	if (c->ctl->json)
		show_sa_json(c->j, sa, c->ifname);
	else
		show_sa_text(stdout, sa, c->now);
	return 0;
}

struct dev_list {
	struct kernel_dev_stats *v;
	size_t n;
};

static int dev_collect(const struct kernel_dev_stats *d, void *arg)
{
	struct dev_list *l = arg;
	struct kernel_dev_stats *v;

	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	v[l->n++] = *d;
	l->v = v;
	return 0;
}

/* The SAs of one device: all of them, or the one a names. */
static int sa_show_dev(struct kernel_conn *kc, const char *cmd,
		       struct sa_show_ctx *c, uint32_t ifindex,
		       const struct sa_args *a)
{
	struct kernel_sa sa;
	int ret;

	c->n = 0;
	if (!c->ctl->json)
		printf("interface: %s\n", c->ifname);
	if (a && a->has_id) {
		ret = kernel_sa_get(kc, ifindex, a->sa.dir, a->sa.spi, &sa);
		if (!ret)
			sa_show_one(&sa, c);
	} else {
		ret = kernel_sa_dump(kc, ifindex, sa_show_one, c);
	}
	if (ret)
		return ctl_kfail(kc, cmd, ret);
	if (!c->ctl->json && !c->n)
		printf("   no SAs\n");
	return 0;
}

static int sa_show(struct ctl *ctl, const char *cmd, struct sa_args *a)
{
	struct sa_show_ctx c = { .ctl = ctl, .now = time(NULL) };
	struct dev_list devs = { NULL, 0 };
	struct kernel_conn *kc;
	struct json j;
	int status = 0, ret;

	kc = ctl_open(cmd);
	if (!kc)
		return 1;
	if (ctl->json) {
		json_init(&j, stdout, 0);
		json_array_begin(&j);
		c.j = &j;
	}
	if (a->ifindex) {
		c.ifname = a->ifname;
		status = sa_show_dev(kc, cmd, &c, a->ifindex, a);
	} else {
		ret = kernel_dev_dump(kc, dev_collect, &devs);
		if (ret)
			status = ctl_kfail(kc, cmd, ret);
		for (size_t i = 0; !ret && i < devs.n; i++) {
			if (i && !ctl->json)
				putchar('\n');
			c.ifname = devs.v[i].ifname;
			status |= sa_show_dev(kc, cmd, &c, devs.v[i].ifindex,
					      NULL);
		}
		free(devs.v);
	}
	kernel_close(kc);
	if (ctl->json) {
		json_array_end(&j);
		status |= ctl_json_end(&j, cmd);
	}
	return status;
}

static const struct {
	const char *name;
	enum sa_op op;
} sa_cmds[] = {
	{ "add", SA_OP_ADD },
	{ "set", SA_OP_SET },
	{ "del", SA_OP_DEL },
	{ "show", SA_OP_SHOW },
	{ "flush", SA_OP_FLUSH },
};

static int cmd_sa(struct ctl *ctl, int argc, char **argv)
{
	char cmd[32], err[256];
	struct sa_args a;
	size_t i;
	int ret;

	if (argc < 2) {
		sa_args_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "help")) {
		sa_args_usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(sa_cmds) / sizeof(sa_cmds[0]); i++) {
		if (!strcmp(argv[1], sa_cmds[i].name))
			break;
	}
	if (i == sizeof(sa_cmds) / sizeof(sa_cmds[0]))
		return ctl_fail(2, "sa", "unknown command '%s'; try 'ikevtictl sa help'",
				argv[1]);
	snprintf(cmd, sizeof(cmd), "sa %s", sa_cmds[i].name);
	ret = sa_args_parse(sa_cmds[i].op, argc - 2, argv + 2, &a, err,
			    sizeof(err));
	if (ret) {
		sa_args_wipe(&a);
		return ctl_fail(ret == -EINVAL ? 2 : 1, cmd, "%s", err);
	}
	if (sa_cmds[i].op == SA_OP_SHOW)
		ret = sa_show(ctl, cmd, &a);
	else
		ret = sa_change(ctl, cmd, sa_cmds[i].op, &a);
	sa_args_wipe(&a);
	return ret;
}

static int link_show_one(const struct kernel_dev_stats *d, void *arg)
{
	struct ctl *ctl = arg;

	if (ctl->json)
		return show_dev_json(ctl->j, d);
	if (ctl->n++)
		putchar('\n');
	show_dev_text(stdout, d);
	return 0;
}

static int cmd_link(struct ctl *ctl, int argc, char **argv)
{
	const char *cmd = "link show";
	struct kernel_dev_stats d;
	struct kernel_conn *kc;
	uint32_t ifindex = 0;
	struct json j;
	int ret, status = 0;

	if (argc > 1 && strcmp(argv[1], "show") && strcmp(argv[1], "help"))
		return ctl_fail(2, "link", "unknown command '%s'; want 'link show [DEV]'",
				argv[1]);
	if (argc > 1 && !strcmp(argv[1], "help")) {
		printf("Usage: ikevtictl [--json] link show [DEV]\n");
		return 0;
	}
	if (argc > 3)
		return ctl_fail(2, cmd, "unexpected argument '%s'", argv[3]);
	if (argc == 3) {
		if (strlen(argv[2]) >= KERNEL_IFNAMSIZ)
			return ctl_fail(2, cmd, "bad device name '%s'", argv[2]);
		ifindex = if_nametoindex(argv[2]);
		if (!ifindex)
			return ctl_fail(1, cmd, "device '%s' not found",
					argv[2]);
	}
	kc = ctl_open(cmd);
	if (!kc)
		return 1;
	if (ctl->json) {
		json_init(&j, stdout, 0);
		json_array_begin(&j);
		ctl->j = &j;
	}
	if (ifindex) {
		ret = kernel_dev_get(kc, ifindex, &d);
		if (!ret)
			link_show_one(&d, ctl);
	} else {
		ret = kernel_dev_dump(kc, link_show_one, ctl);
	}
	if (ret)
		status = ctl_kfail(kc, cmd, ret);
	kernel_close(kc);
	if (ctl->json) {
		json_array_end(&j);
		status |= ctl_json_end(&j, cmd);
	}
	return status;
}

static int monitor_event(const struct kernel_event *ev, void *arg)
{
	struct ctl *ctl = arg;
	char name[IF_NAMESIZE];
	const char *ifname = if_indextoname(ev->ifindex, name);
	struct json j;

	if (ctl->json) {
		json_init(&j, stdout, 0);
		show_event_json(&j, ev, ifname);
		ctl->out_failed = json_end(&j) != 0;
	} else {
		show_event_text(stdout, ev, ifname);
		ctl->out_failed = fflush(stdout) || ferror(stdout);
	}
	return ctl->out_failed ? -EIO : 0;
}

static int cmd_monitor(struct ctl *ctl, int argc, char **argv)
{
	const char *cmd = argv[0];
	struct kernel_conn *kc;
	struct pollfd pfd[2];
	sigset_t sigs;
	int ret, status = 0;

	if (argc > 1)
		return ctl_fail(2, cmd, "unexpected argument '%s'", argv[1]);
	kc = ctl_open(cmd);
	if (!kc)
		return 1;
	ret = kernel_events_subscribe(kc);
	if (ret) {
		ctl_kfail(kc, cmd, ret);
		kernel_close(kc);
		return 1;
	}
	/* SIGINT and SIGTERM arrive as input, so the loop ends cleanly. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pfd[1].fd = -1;
	if (!sigprocmask(SIG_BLOCK, &sigs, NULL))
		pfd[1].fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (pfd[1].fd < 0) {
		ctl_fail(1, cmd, "cannot watch for signals: %s",
			 strerror(errno));
		kernel_close(kc);
		return 1;
	}
	pfd[0].fd = kernel_event_fd(kc);
	pfd[0].events = POLLIN;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			status = ctl_fail(1, cmd, "poll: %s", strerror(errno));
			break;
		}
		if (pfd[1].revents)
			break;
		if (!pfd[0].revents)
			continue;
		ret = kernel_event_read(kc, monitor_event, ctl);
		if (!ret || ret == -EAGAIN)
			continue;
		if (ctl->out_failed) {
			status = 1;	/* finish() reports it */
			break;
		}
		if (ret == -ENOBUFS || ret == -EPROTO) {
			/* Lost or malformed events: say so, keep going. */
			fprintf(stderr, "ikevtictl: %s: %s\n", cmd,
				kernel_strerror(kc, ret));
			continue;
		}
		status = ctl_kfail(kc, cmd, ret);
		break;
	}
	close(pfd[1].fd);
	kernel_close(kc);
	return status;
}

/* show, clear, rekey, initiate: the daemon does the work. */
static int cmd_daemon(struct ctl *ctl, int argc, char **argv)
{
	char req[IKE_CMD_LINE_MAX], err[512];
	int ret;

	if (ike_cmd_request(argc, argv, ctl->json, req, sizeof(req), err,
			    sizeof(err)))
		return ctl_fail(2, argv[0], "%s", err);
	ret = ike_cmd_run(ctl->socket ? ctl->socket : IKE_CMD_SOCKET, req,
			  stdout, err, sizeof(err));
	/* The daemon's messages name the command already. */
	if (ret == 1) {
		fprintf(stderr, "ikevtictl: %s\n", err);
		return 1;
	}
	if (ret)
		return ctl_fail(1, argv[0], "%s", err);
	return 0;
}

/* A failed write to stdout (a full disk, a closed pipe) is a failure. */
static int finish(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		perror("ikevtictl: stdout");
		return status ? status : 1;
	}
	return status;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl ctl = { .json = false };
	size_t i;
	int c;

	/* '+': stop at the command, whose options are its own. */
	while ((c = getopt_long(argc, argv, "+js:Vh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			ctl.json = true;
			break;
		case 's':
			ctl.socket = optarg;
			break;
		case 'V':
			printf("ikevtictl %s\n", IKEVTI_USER_VERSION);
			return finish(0);
		case 'h':
			usage(stdout);
			return finish(0);
		default:
			fprintf(stderr, "Try 'ikevtictl help'.\n");
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < NCMDS; i++) {
		if (!strcmp(argv[optind], cmds[i].name))
			return finish(cmds[i].run(&ctl, argc - optind,
						  argv + optind));
	}
	fprintf(stderr, "ikevtictl: unknown command '%s'; try 'ikevtictl help'\n",
		argv[optind]);
	return 2;
}
