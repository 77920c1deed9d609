// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper: the IKE daemon that keys ikevti tunnels.
 *
 * Only the entry point exists so far: it reports its own version and
 * checks that it can talk to the loaded module.  There is no daemon mode
 * yet, so running it without an option is a usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/ikevti.h>

#include "kernel.h"
#include "version.h"

enum {
	OPT_KERNEL_VERSION = 256,
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ikehelper OPTION\n"
		"\n"
		"Options:\n"
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
		{ NULL, 0, NULL, 0 },
	};
	int action = 0;
	int c;

	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
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
	fprintf(stderr, "ikehelper: no option given (the daemon is not implemented yet)\n");

bad_usage:
	fprintf(stderr, "Try 'ikehelper --help'.\n");
	return 2;
}
