// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for tools/ike_cmds.c: ikevtictl's show / clear / initiate
 * arguments into request lines, each mistake with its message, and the
 * answer handling against a scripted daemon on a unix socket.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "ike_cmds.h"
#include "tap.h"

static char req[IKE_CMD_LINE_MAX], err[512];

/* Split line at blanks and build its request. */
static int build(const char *line, bool json)
{
	char *copy = strdup(line), *argv[16], *tok, *save = NULL;
	int argc = 0, ret;

	for (tok = strtok_r(copy, " ", &save); tok && argc < 15;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	req[0] = err[0] = '\0';
	ret = ike_cmd_request(argc, argv, json, req, sizeof(req), err,
			      sizeof(err));
	free(copy);
	return ret;
}

/* A daemon that reads one request and answers with ans, then exits. */
static pid_t daemon_answering(const char *path, const char *ans)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0), fd;
	char buf[512];
	pid_t pid;

	strcpy(sun.sun_path, path);
	unlink(path);
	if (bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) || listen(lfd, 1))
		return -1;
	pid = fork();
	if (pid)
		return close(lfd), pid;
	fd = accept(lfd, NULL, NULL);
	if (fd >= 0 && read(fd, buf, sizeof(buf)) > 0 &&
	    write(fd, ans, strlen(ans)) >= 0)
		close(fd);
	_exit(0);
}

static int ask(const char *path, const char *ans, char *out, size_t len)
{
	FILE *f = fmemopen(out, len, "w");
	pid_t pid = daemon_answering(path, ans);
	int ret;

	ret = ike_cmd_run(path, "show ike-sa\n", f, err, sizeof(err));
	fclose(f);
	waitpid(pid, NULL, 0);
	return ret;
}

int main(void)
{
	char path[64], out[256];

	is_int(build("show ike-sa", false), 0, "show ike-sa");
	is_str(req, "show ike-sa\n", "  request");
	is_int(build("show child-sa", true), 0, "--json show child-sa");
	is_str(req, "show child-sa json\n", "  request");
	is_int(build("show stats", false), 0, "show stats");
	is_str(req, "show stats\n", "  request");
	is_int(build("show crypto isakmp sa detail", true), 0,
	       "--json show crypto isakmp sa detail");
	is_str(req, "show crypto isakmp sa detail json\n", "  request");
	is_int(build("show crypto ipsec sa peer 192.0.2.2", false), 0,
	       "show crypto ipsec sa peer 192.0.2.2");
	is_str(req, "show crypto ipsec sa peer 192.0.2.2\n", "  request");
	is_int(build("show crypto session", false), 0, "show crypto session");
	is_int(build("show crypto ipsec sa peer nowhere", false), -EINVAL,
	       "show crypto ipsec sa peer with a name");
	is_str(err, "expected 'show crypto isakmp sa [detail]', 'show crypto ipsec sa [peer ADDRESS]' or 'show crypto session'",
	       "  message");
	is_int(build("clear crypto isakmp 1001", true), 0, "clear crypto isakmp 1001");
	is_str(req, "clear crypto isakmp 1001\n", "  request, no json");
	is_int(build("clear crypto isakmp one", false), -EINVAL,
	       "clear crypto isakmp with a word");
	is_str(err, "expected 'clear crypto isakmp [CONN-ID]' or 'clear crypto sa [peer ADDRESS]'",
	       "  message");
	is_int(build("clear crypto sa peer 2001:db8::2", false), 0,
	       "clear crypto sa peer 2001:db8::2");
	is_int(build("show", false), -EINVAL, "show alone");
	is_str(err, "expected ike-sa, child-sa or stats", "  message");
	is_int(build("show sa", false), -EINVAL, "show sa");
	is_str(err, "unknown object 'sa'; expected ike-sa, child-sa or stats",
	       "  message");
	is_int(build("show stats now", false), -EINVAL, "show stats now");
	is_str(err, "unexpected argument 'now'", "  message");

	is_int(build("clear sa", false), 0, "clear sa");
	is_str(req, "clear sa\n", "  request");
	is_int(build("clear sa 2001:db8::1", false), 0, "clear sa IPv6 peer");
	is_str(req, "clear sa 2001:db8::1\n", "  request");
	is_int(build("clear sa peer.example", false), -EINVAL,
	       "clear sa with a name");
	is_str(err, "'peer.example' is not an IPv4 or IPv6 address",
	       "  message");
	is_int(build("clear ike", false), -EINVAL, "clear ike");
	is_str(err, "expected 'clear sa [PEER]'", "  message");
	is_int(build("clear sa 10.0.0.1 10.0.0.2", false), -EINVAL,
	       "clear sa with two peers");
	is_str(err, "unexpected argument '10.0.0.2'", "  message");

	is_int(build("initiate ikevti0", false), 0, "initiate ikevti0");
	is_str(req, "initiate ikevti0\n", "  request");
	is_int(build("initiate", false), -EINVAL, "initiate alone");
	is_str(err, "expected a tunnel name", "  message");
	is_int(build("initiate averyveryverylongname0", false), -EINVAL,
	       "initiate a name longer than IFNAMSIZ");
	is_int(build("initiate a b", false), -EINVAL, "initiate two");
	is_int(build("rekey child-sa ikevti0", false), 0, "rekey child-sa");
	is_str(req, "rekey child-sa ikevti0\n", "  request");
	is_int(build("rekey ike-sa ikevti0", false), 0, "rekey ike-sa");
	is_str(req, "rekey ike-sa ikevti0\n", "  request");
	is_int(build("rekey sa ikevti0", false), -EINVAL, "rekey sa");
	is_int(build("rekey ike-sa", false), -EINVAL, "rekey without a tunnel");
	is_int(build("rekey ike-sa a b", false), -EINVAL, "rekey two tunnels");
	is_str(err, "unexpected argument 'b'", "  message");

	snprintf(path, sizeof(path), "build/ike-cmds-%d.sock", (int)getpid());
	is_int(ask(path, "ok\nInterface ikevti0\n", out, sizeof(out)), 0,
	       "daemon says ok");
	is_str(out, "Interface ikevti0\n", "  the body, without the status");
	is_int(ask(path, "error: initiate: no tunnel 'x'\n", out, sizeof(out)),
	       1, "daemon refuses");
	is_str(err, "initiate: no tunnel 'x'", "  its message");
	is_int(ask(path, "what?\n", out, sizeof(out)), -EPROTO,
	       "a bad status line");
	is_int(ask(path, "", out, sizeof(out)), -EPROTO, "no answer at all");
	unlink(path);
	is_int(ike_cmd_run(path, "show stats\n", stdout, err, sizeof(err)),
	       -ENOENT, "no daemon");
	ok(strstr(err, "is it running?") != NULL, "  says so: %s", err);
	return done_testing();
}
