// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper: the IKE daemon that keys ikevti tunnels.
 *
 * This file parses the command line only: -f CONFIG runs the daemon
 * (daemon.c), -t -f CONFIG checks the file, and the rest report
 * versions.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/ikevti.h>

#include "config.h"
#include "control.h"
#include "daemon.h"
#include "kernel.h"
#include "policy_ios.h"
#include "version.h"

enum {
	OPT_KERNEL_VERSION = 256,
	OPT_BACKEND,
	OPT_LISTEN,
	OPT_PORT,
	OPT_NATT_PORT,
	OPT_CONTROL,
	OPT_USER,
	OPT_SYSLOG,
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ikehelper [OPTIONS] -f CONFIG\n"
		"       ikehelper -t -f CONFIG\n"
		"       ikehelper OPTION\n"
		"\n"
		"Options:\n"
		"  -f, --config=CONFIG   the configuration file\n"
		"  -t, --test            check the configuration file, then exit\n"
		"      --backend=SPEC    ikevti (default), or record:FILE (tests:\n"
		"                        SAs and their keys appended to FILE)\n"
		"      --listen=ADDR     bind the IKE sockets to ADDR (repeatable;\n"
		"                        default: every IPv4 and IPv6 address)\n"
		"      --port=N          the IKE port (default 500)\n"
		"      --natt-port=N     the NAT-T port (default 4500)\n"
		"      --control=PATH    the control socket (default " CONTROL_PATH ")\n"
		"      --user=NAME       run as NAME after binding (default: stay\n"
		"                        root, with only CAP_NET_ADMIN)\n"
		"      --syslog          log to syslog instead of stderr\n"
		"  -d, --debug           log debug messages too\n"
		"      --kernel-version  show the loaded ikevti module's version and API\n"
		"  -V, --version         show the ikehelper version\n"
		"  -h, --help            show this help\n"
		"\n"
		"Signals: SIGTERM or SIGINT deletes the SAs (DELETE to each peer)\n"
		"and exits; SIGHUP re-reads CONFIG, keeping it if it has errors.\n");
}

static int show_kernel_version(void)
{
	char err[256], modver[64];
	struct kernel_conn *kc;
	uint32_t api;
	int ret;

	kc = kernel_open(err, sizeof(err));
	if (!kc) {
		fprintf(stderr, "ikehelper: %s\n", err);
		return 1;
	}
	ret = kernel_get_version(kc, modver, sizeof(modver), &api);
	if (ret == -EPERM)
		fprintf(stderr, "ikehelper: permission denied: CAP_NET_ADMIN required\n");
	else if (ret)
		fprintf(stderr, "ikehelper: cannot get the module version: %s\n",
			kernel_strerror(kc, ret));
	kernel_close(kc);
	if (ret)
		return 1;

	printf("module %s api %" PRIu32 "\n", modver, api);
	if (api < IKEVTI_API_VERSION) {
		fprintf(stderr,
			"ikehelper: module API %" PRIu32 " is older than API %d that this ikehelper needs\n",
			api, IKEVTI_API_VERSION);
		return 1;
	}
	return 0;
}

/* -t: read CONFIG and print its errors. */
static const char *addr_str(const struct policy_addr *a, char *buf,
			    size_t len)
{
	if (!a->family || !inet_ntop(a->family, a->a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/*
 * ikehelper does not make devices or routes: for each ikevti device of
 * a Cisco IOS file, the ip(8) commands that give the system what the
 * file describes (its tunnel, address and routes).
 */
static void print_ios_devices(const struct policy_config *cfg)
{
	size_t n = policy_v1_count(cfg);
	struct policy_v1_effective *e = n ? malloc(sizeof(*e)) : NULL;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (!e)
		return;
	for (size_t i = 0; i < n; i++) {
		policy_v1_effective(cfg, i, e);
		printf("\n# %s: IKEv1 to %s%s%s\n", e->ifname,
		       addr_str(&e->peer, a, sizeof(a)),
		       e->can_come_up ? "" : "; cannot come up: ",
		       e->can_come_up ? "" : e->why_not);
		printf("ip link add %s type ikevti", e->ifname);
		if (e->local.addr.family)
			printf(" local %s", addr_str(&e->local.addr, a, sizeof(a)));
		else if (e->local.ifname[0])
			printf(" local ADDRESS-OF-%s", e->local.ifname);
		printf(" remote %s", addr_str(&e->peer, a, sizeof(a)));
		if (e->underlay[0])
			printf(" dev %s", e->underlay);
		printf("\n");
		if (e->iface && e->iface->addr.family)
			printf("ip addr add %s/%u dev %s\n",
			       addr_str(&e->iface->addr, a, sizeof(a)),
			       e->iface->plen, e->ifname);
		printf("ip link set %s up\n", e->ifname);
		for (unsigned int r = 0; r < e->n_routes; r++) {
			printf("ip route add %s/%u", addr_str(&e->routes[r].prefix,
							     a, sizeof(a)),
			       e->routes[r].plen);
			if (e->routes[r].via.family)
				printf(" via %s", addr_str(&e->routes[r].via, b,
							   sizeof(b)));
			printf(" dev %s\n", e->ifname);
		}
	}
	free(e);
}

static int check_config(const char *path)
{
	struct cfg_diags d = { 0 };
	struct policy_config *cfg;

	cfg = cfg_load_file(path, &d);
	cfg_diags_print(&d, stderr);
	cfg_diags_free(&d);
	if (!cfg)
		return 1;
	printf("configuration OK\n");
	print_ios_devices(cfg);
	policy_config_free(cfg);
	return 0;
}

/* A failed write to stdout (a full disk, a closed pipe) is a failure. */
static int finish(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		perror("ikehelper: stdout");
		return 1;
	}
	return status;
}

static bool parse_port(const char *opt, const char *s, uint16_t *port)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 65535) {
		fprintf(stderr, "ikehelper: --%s '%s': expected a port, 1 to 65535\n",
			opt, s);
		return false;
	}
	*port = (uint16_t)v;
	return true;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "kernel-version", no_argument, NULL, OPT_KERNEL_VERSION },
		{ "config", required_argument, NULL, 'f' },
		{ "test", no_argument, NULL, 't' },
		{ "debug", no_argument, NULL, 'd' },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "natt-port", required_argument, NULL, OPT_NATT_PORT },
		{ "control", required_argument, NULL, OPT_CONTROL },
		{ "user", required_argument, NULL, OPT_USER },
		{ "syslog", no_argument, NULL, OPT_SYSLOG },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon_opts o = {
		.backend = "ikevti",
		.control = CONTROL_PATH,
	};
	bool test_only = false, daemon_opt = false;
	char err[256];
	int action = 0;
	int c;

	while ((c = getopt_long(argc, argv, "hVf:td", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (o.config) {
				fprintf(stderr, "ikehelper: give -f only once\n");
				goto bad_usage;
			}
			o.config = optarg;
			break;
		case 't':
			test_only = true;
			break;
		case 'd':
			o.debug = true;
			daemon_opt = true;
			break;
		case OPT_BACKEND:
			o.backend = optarg;
			daemon_opt = true;
			break;
		case OPT_LISTEN:
			if (net_opts_add_listen(&o.net, optarg, err,
						sizeof(err))) {
				fprintf(stderr, "ikehelper: %s\n", err);
				goto bad_usage;
			}
			daemon_opt = true;
			break;
		case OPT_PORT:
			if (!parse_port("port", optarg, &o.net.port))
				goto bad_usage;
			daemon_opt = true;
			break;
		case OPT_NATT_PORT:
			if (!parse_port("natt-port", optarg, &o.net.natt_port))
				goto bad_usage;
			daemon_opt = true;
			break;
		case OPT_CONTROL:
			o.control = optarg;
			daemon_opt = true;
			break;
		case OPT_USER:
			o.user = optarg;
			daemon_opt = true;
			break;
		case OPT_SYSLOG:
			o.syslog = true;
			daemon_opt = true;
			break;
		case 'h':
		case 'V':
		case OPT_KERNEL_VERSION:
			if (action && action != c) {
				fprintf(stderr, "ikehelper: give only one option\n");
				goto bad_usage;
			}
			action = c;
			break;
		default:
			goto bad_usage;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ikehelper: unexpected argument '%s'\n",
			argv[optind]);
		goto bad_usage;
	}
	if (action && (o.config || test_only || daemon_opt)) {
		fprintf(stderr, "ikehelper: -f and -t do not go with other options\n");
		goto bad_usage;
	}
	if (test_only && !o.config) {
		fprintf(stderr, "ikehelper: -t needs -f CONFIG\n");
		goto bad_usage;
	}
	if (test_only && daemon_opt) {
		fprintf(stderr, "ikehelper: -t takes no daemon options\n");
		goto bad_usage;
	}
	if (daemon_opt && !o.config) {
		fprintf(stderr, "ikehelper: the daemon needs -f CONFIG\n");
		goto bad_usage;
	}
	if (test_only)
		return finish(check_config(o.config));
	if (o.config)
		return daemon_run(&o);

	switch (action) {
	case 'h':
		usage(stdout);
		return finish(0);
	case 'V':
		printf("ikehelper %s\n", IKEVTI_USER_VERSION);
		return finish(0);
	case OPT_KERNEL_VERSION:
		return finish(show_kernel_version());
	}
	fprintf(stderr, "ikehelper: no option given (-f CONFIG starts the daemon)\n");

bad_usage:
	fprintf(stderr, "Try 'ikehelper --help'.\n");
	return 2;
}
