// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for ikehelper/privdrop.c: after the drop, /proc/self/status shows
 * CAP_NET_ADMIN alone in every capability set, NoNewPrivs, and with
 * --user the new uid and gid.  Each case runs in a child process, which
 * needs root to start with; without root the test is skipped.
 */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "privdrop.h"
#include "tap.h"

#define NET_ADMIN_ONLY	"0000000000001000"	/* 1 << CAP_NET_ADMIN (12) */

/* The value of "Key:" in /proc/self/status, first word. */
static void status(const char *key, char *out, size_t len)
{
	char line[256];
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");

	snprintf(out, len, "?");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			sscanf(line + klen + 1, "%63s", out);
			break;
		}
	}
	fclose(f);
}

/* Runs in the child: 0 if everything is as expected, else a bitmask. */
static int child(const char *user, const char *uid)
{
	static const char *const sets[] = { "CapEff", "CapPrm", "CapBnd" };
	char err[256], v[64];
	int bad = 0;
	size_t i;

	if (privdrop_apply(user, err, sizeof(err))) {
		fprintf(stderr, "# %s\n", err);
		return 1;
	}
	for (i = 0; i < 3; i++) {
		status(sets[i], v, sizeof(v));
		if (strcmp(v, NET_ADMIN_ONLY)) {
			fprintf(stderr, "# %s %s\n", sets[i], v);
			bad |= 2 << i;
		}
	}
	status("CapInh", v, sizeof(v));
	bad |= strcmp(v, "0000000000000000") ? 16 : 0;
	status("CapAmb", v, sizeof(v));
	bad |= strcmp(v, "0000000000000000") ? 32 : 0;
	status("NoNewPrivs", v, sizeof(v));
	bad |= strcmp(v, "1") ? 64 : 0;
	status("Uid", v, sizeof(v));
	bad |= strcmp(v, uid) ? 128 : 0;
	/* What a dropped daemon must not do any more. */
	if (!setuid(0) && user)
		bad |= 256;
	return bad;
}

static int run(const char *user, const char *uid)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		fflush(stdout);
		_exit(child(user, uid));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int main(void)
{
	struct passwd *pw;
	char uid[16], err[256];

	if (geteuid()) {
		skip("privilege drop needs root");
		return done_testing();
	}
	is_int(run(NULL, "0"), 0,
	       "as root: CAP_NET_ADMIN only (eff, prm, bnd), no inh/amb, NoNewPrivs");
	pw = getpwnam("nobody");
	if (pw) {
		snprintf(uid, sizeof(uid), "%u", (unsigned int)pw->pw_uid);
		is_int(run("nobody", uid), 0,
		       "--user nobody: uid %s, CAP_NET_ADMIN kept, no way back",
		       uid);
	}
	is_int(privdrop_apply("no-such-user-ikevti", err, sizeof(err)),
	       -ENOENT, "unknown user: %s", err);
	return done_testing();
}
