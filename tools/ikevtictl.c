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
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "kernel.h"
#include "version.h"

struct ctl {
	bool json;
};

struct cmd {
	const char *name;
	const char *help;
	int (*run)(struct ctl *ctl, int argc, char **argv);
};

static int cmd_help(struct ctl *ctl, int argc, char **argv);
static int cmd_version(struct ctl *ctl, int argc, char **argv);

static const struct cmd cmds[] = {
	{ "help", "list the commands", cmd_help },
	{ "version", "show the versions of ikevtictl and the loaded module",
	  cmd_version },
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
		"  -j, --json     print JSON instead of text\n"
		"  -V, --version  show the ikevtictl version\n"
		"  -h, --help     show this help\n"
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
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl ctl = { .json = false };
	size_t i;
	int c;

	/* '+': stop at the command, whose options are its own. */
	while ((c = getopt_long(argc, argv, "+jVh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			ctl.json = true;
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
