// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for ikehelper/daemon.c, the daemon around the engine: it runs in
 * a child process on 127.0.0.1 with high ports, a control socket and the
 * recording backend, with a fake engine that stands in for ike.c in this
 * test only.  The fake echoes each datagram back through env->send and
 * counts what the daemon tells it, which "show stats" reports:
 *
 *	rx		datagrams received
 *	tx		reloads (SIGHUP)
 *	ike_sa_created	1 once shutdown started (SIGTERM)
 *
 * Checked: UDP in and out on both ports (the non-ESP marker on 4500),
 * SIGHUP with a broken file keeps the running configuration and with a
 * good one reloads, the capabilities after the drop, SIGTERM waits for
 * the engine to go idle, then exits 0 and removes the socket.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "daemon.h"
#include "ike.h"
#include "loop.h"
#include "tap.h"

/* ---- the fake engine ---- */

struct ike_engine {
	const struct ike_env *env;
	uint64_t inputs, reloads;
	uint64_t shutdown_at;		/* 0: running */
};

struct ike_engine *ike_engine_new(const struct ike_env *env,
				  const struct policy_config *cfg,
				  uint64_t now_ms)
{
	struct ike_engine *e = calloc(1, sizeof(*e));

	(void)cfg;
	(void)now_ms;
	if (e)
		e->env = env;
	return e;
}

void ike_engine_free(struct ike_engine *e)
{
	free(e);
}

int ike_engine_reload(struct ike_engine *e, const struct policy_config *cfg,
		      uint64_t now_ms)
{
	(void)cfg;
	(void)now_ms;
	e->reloads++;
	return 0;
}

void ike_engine_input(struct ike_engine *e,
		      const struct sockaddr_storage *local,
		      const struct sockaddr_storage *remote, bool natt,
		      const uint8_t *buf, size_t len, uint64_t now_ms)
{
	uint8_t out[600];

	(void)now_ms;
	e->inputs++;
	if (len > 500)
		return;
	memcpy(out, "echo:", 5);
	memcpy(out + 5, buf, len);
	e->env->send(e->env->ctx, local, remote, natt, out, len + 5);
}

void ike_engine_kernel_event(struct ike_engine *e,
			     const struct kernel_event *ev, uint64_t now_ms)
{
	(void)e;
	(void)ev;
	(void)now_ms;
}

/* During shutdown, one timer 300 ms later ends it. */
uint64_t ike_engine_next_timer(const struct ike_engine *e)
{
	return e->shutdown_at ? e->shutdown_at + 300 : IKE_NO_TIMER;
}

void ike_engine_run_timers(struct ike_engine *e, uint64_t now_ms)
{
	(void)e;
	(void)now_ms;
}

int ike_engine_initiate(struct ike_engine *e, const char *tunnel,
			uint64_t now_ms)
{
	(void)e;
	(void)tunnel;
	(void)now_ms;
	return -ENOENT;
}

int ike_engine_rekey(struct ike_engine *e, const char *tunnel, bool ike,
		     uint64_t now_ms)
{
	(void)e;
	(void)tunnel;
	(void)ike;
	(void)now_ms;
	return -ENOENT;
}

int ike_engine_clear(struct ike_engine *e, const char *peer,
		     void (*done)(void *arg, unsigned int n), void *arg,
		     uint64_t now_ms)
{
	(void)e;
	(void)peer;
	(void)now_ms;
	done(arg, 0);
	return 0;
}

int ike_engine_clear_filter(struct ike_engine *e,
			    const struct ike_clear_filter *f,
			    void (*done)(void *arg, unsigned int n), void *arg,
			    uint64_t now_ms)
{
	(void)e;
	(void)f;
	(void)now_ms;
	done(arg, 0);
	return 0;
}

int ike_engine_clear_children(struct ike_engine *e, const char *peer,
			      uint64_t now_ms)
{
	(void)e;
	(void)peer;
	(void)now_ms;
	return 0;
}

int ike_engine_dev_stats(const struct ike_engine *e, const char *tunnel,
			 struct kernel_dev_stats *out)
{
	(void)e;
	(void)tunnel;
	(void)out;
	return -EOPNOTSUPP;
}

void ike_engine_shutdown(struct ike_engine *e, uint64_t now_ms)
{
	e->shutdown_at = now_ms;
}

bool ike_engine_idle(const struct ike_engine *e)
{
	return e->shutdown_at && loop_now_ms() >= e->shutdown_at + 300;
}

int ike_engine_foreach_ike_sa(const struct ike_engine *e,
			      int (*fn)(const struct ike_sa_info *, void *),
			      void *arg, uint64_t now_ms)
{
	(void)e;
	(void)fn;
	(void)arg;
	(void)now_ms;
	return 0;
}

int ike_engine_foreach_child_sa(const struct ike_engine *e,
				int (*fn)(const struct ike_child_info *,
					  void *),
				void *arg, uint64_t now_ms)
{
	(void)e;
	(void)fn;
	(void)arg;
	(void)now_ms;
	return 0;
}

int ike_engine_foreach_event(const struct ike_engine *e,
			     int (*fn)(const struct ike_event_info *, void *),
			     void *arg)
{
	(void)e;
	(void)fn;
	(void)arg;
	return 0;
}

void ike_engine_stats(const struct ike_engine *e, struct ike_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->rx = e->inputs;
	out->tx = e->reloads;
	out->ike_sa_created = e->shutdown_at != 0;
}

/* ---- the test ---- */

static char conf[64], sock[64], rec[64];

static const char good_conf[] =
	"ikev2 authentication psk id keyid site1 key char secret1\n"
	"ikev2 authentication psk id keyid site2 key char secret2\n"
	"ikev2 default-profile\n"
	"  local-authentication psk id keyid site1\n"
	"!\n"
	"interface ikevti0\n"
	"  ikev2 peer 127.0.0.2 authentication psk id keyid site2\n";

static void write_conf(const char *text)
{
	int fd = open(conf, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		perror("write config");
	close(fd);
}

/* "show stats" over the control socket, or "" when it fails. */
static const char *ask(const char *req)
{
	static char buf[4096];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	size_t len = 0;
	ssize_t n;

	buf[0] = '\0';
	strcpy(sun.sun_path, sock);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return buf;
	}
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(fd);
	return buf;
}

static unsigned long counter(const char *name)
{
	const char *s = strstr(ask("show stats\n"), name);

	return s ? strtoul(s + strlen(name), NULL, 10) : 999;
}

/* Send buf to 127.0.0.1:port and wait for the answer. */
static ssize_t udp_ask(uint16_t port, const void *buf, size_t len,
		       uint8_t *ans, size_t anslen)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n = -1;

	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) ==
		    (ssize_t)len &&
	    poll(&p, 1, 2000) == 1)
		n = recv(fd, ans, anslen, 0);
	close(fd);
	return n;
}

static bool cap_eff_is(pid_t pid, const char *want)
{
	char path[64], line[256];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:\t", 8))
			found = !strncmp(line + 8, want, strlen(want));
	if (f)
		fclose(f);
	return found;
}

int main(void)
{
	uint16_t port = (uint16_t)(30000 + getpid() % 20000);
	struct daemon_opts o = { 0 };
	char err[128], spec[80];
	uint8_t ans[600];
	struct stat st;
	int i, status;
	uint64_t t0;
	ssize_t n;
	pid_t pid;

	snprintf(conf, sizeof(conf), "build/daemon-%d.conf", (int)getpid());
	snprintf(sock, sizeof(sock), "build/daemon-%d.sock", (int)getpid());
	snprintf(rec, sizeof(rec), "build/daemon-%d.rec", (int)getpid());
	snprintf(spec, sizeof(spec), "record:%s", rec);
	write_conf(good_conf);
	o.config = conf;
	o.backend = spec;
	o.control = sock;
	o.net.port = port;
	o.net.natt_port = port + 1;
	net_opts_add_listen(&o.net, "127.0.0.1", err, sizeof(err));

	pid = fork();
	if (pid == 0) {
		/* Quiet: the log goes to a file the test does not need. */
		if (!freopen("/dev/null", "w", stderr))
			_exit(3);
		_exit(daemon_run(&o));
	}
	for (i = 0; i < 100 && stat(sock, &st); i++)
		usleep(20000);
	if (!ok(!stat(sock, &st), "the daemon is up (control socket)"))
		goto out;

	n = udp_ask(port, "hello", 5, ans, sizeof(ans));
	ok(n == 10 && !memcmp(ans, "echo:hello", 10),
	   "IKE port: a datagram in, the engine's answer out");
	n = udp_ask(port + 1, "\0\0\0\0hi", 6, ans, sizeof(ans));
	ok(n == 11 && !memcmp(ans, "\0\0\0\0echo:hi", 11),
	   "NAT-T port: marker stripped on input, added on output");
	is_int(counter("received"), 2, "the engine saw two datagrams");

	if (geteuid() == 0)
		ok(cap_eff_is(pid, "0000000000001000"),
		   "the running daemon holds CAP_NET_ADMIN only");
	else
		skip("not root: no privileges to drop");

	write_conf("ikev2 no-such-command\n");
	kill(pid, SIGHUP);
	usleep(200000);
	is_int(counter("sent"), 0,
	       "SIGHUP with a broken file: running configuration kept");
	write_conf(good_conf);
	kill(pid, SIGHUP);
	usleep(200000);
	is_int(counter("sent"), 1, "SIGHUP with a good file: reloaded");

	t0 = loop_now_ms();
	kill(pid, SIGTERM);
	usleep(100000);
	is_int(counter("IKE SA created"), 1,
	       "SIGTERM: shutdown started, the daemon still answers");
	ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	   WEXITSTATUS(status) == 0, "then it exits 0");
	ok(loop_now_ms() - t0 >= 300 && loop_now_ms() - t0 < 3000,
	   "after the engine went idle, not before (%llu ms)",
	   (unsigned long long)(loop_now_ms() - t0));
	ok(stat(sock, &st) && errno == ENOENT, "the control socket is gone");
	ok(!stat(rec, &st) && (st.st_mode & 0777) == 0600,
	   "the record file exists, mode 0600");
	pid = 0;
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	unlink(conf);
	unlink(rec);
	unlink(sock);
	return done_testing();
}
