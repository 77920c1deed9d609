// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper: the IKE daemon that keys ikevti tunnels.
 *
 * So far it reports its own version, checks that it can talk to the
 * loaded module, and checks a configuration file (-t -f CONFIG).  There is
 * no daemon yet: -f without -t reads the file, then says so and fails.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/ikevti.h>

#include "config.h"
#include "kernel.h"
#include "version.h"

enum {
	OPT_KERNEL_VERSION = 256,
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ikehelper [-t] -f CONFIG\n"
		"       ikehelper OPTION\n"
		"\n"
		"Options:\n"
		"  -f, --config=CONFIG   the configuration file\n"
		"  -t, --test            check the configuration file, then exit\n"
		"      --kernel-version  show the loaded ikevti module's version and API\n"
		"  -V, --version         show the ikehelper version\n"
		"  -h, --help            show this help\n");
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

/*
 * Read CONFIG and print its errors.  With -t that is all; without it the
 * daemon would start here, but it does not exist yet.
 */
static int load_config(const char *path, bool test_only)
{
	struct cfg_diags d = { 0 };
	struct policy_config *cfg;

	cfg = cfg_load_file(path, &d);
	cfg_diags_print(&d, stderr);
	cfg_diags_free(&d);
	if (!cfg)
		return 1;
	policy_config_free(cfg);
	if (test_only) {
		printf("configuration OK\n");
		return 0;
	}
	fprintf(stderr,
		"ikehelper: %s: configuration OK, but the daemon is not implemented yet\n",
		path);
	return 1;
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

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "kernel-version", no_argument, NULL, OPT_KERNEL_VERSION },
		{ "config", required_argument, NULL, 'f' },
		{ "test", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL;
	bool test_only = false;
	int action = 0;
	int c;

	while ((c = getopt_long(argc, argv, "hVf:t", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (config) {
				fprintf(stderr, "ikehelper: give -f only once\n");
				goto bad_usage;
			}
			config = optarg;
			break;
		case 't':
			test_only = true;
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
	if (action && (config || test_only)) {
		fprintf(stderr, "ikehelper: -f and -t do not go with other options\n");
		goto bad_usage;
	}
	if (test_only && !config) {
		fprintf(stderr, "ikehelper: -t needs -f CONFIG\n");
		goto bad_usage;
	}
	if (config)
		return finish(load_config(config, test_only));

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
	fprintf(stderr, "ikehelper: no option given (-f CONFIG starts the daemon, which is not implemented yet)\n");

bad_usage:
	fprintf(stderr, "Try 'ikehelper --help'.\n");
	return 2;
}
