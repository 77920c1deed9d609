// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket (see control.h): accept, read one request line,
 * check who asks, run the command, write the answer, close.
 */
/* struct ucred */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "control.h"
#include "log.h"

struct control_client {
	struct control *c;
	int fd;
	char line[CONTROL_LINE_MAX + 1];
	size_t line_len;
	char *out;		/* the answer, being written */
	size_t out_len, out_off;
	bool waiting;		/* "clear sa" runs; the engine calls back */
	bool gone;		/* closed while waiting: free on callback */
	struct control_client *next;
};

struct control {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct loop *l;
	struct ike_engine *e;
	uid_t uid;
	unsigned int n_clients;
	struct control_client *clients;
};

static void client_free(struct control_client *cl)
{
	struct control *c = cl->c;
	struct control_client **pp;

	if (cl->fd >= 0) {
		loop_del(c->l, cl->fd);
		close(cl->fd);
		cl->fd = -1;
		c->n_clients--;
	}
	for (pp = &c->clients; *pp; pp = &(*pp)->next) {
		if (*pp == cl) {
			*pp = cl->next;
			break;
		}
	}
	/* The engine still holds cl for its callback: free it there. */
	if (cl->waiting) {
		cl->gone = true;
		cl->c = NULL;
		return;
	}
	free(cl->out);
	free(cl);
}

static void client_flush(struct control_client *cl)
{
	ssize_t n;

	while (cl->out_off < cl->out_len) {
		n = write(cl->fd, cl->out + cl->out_off,
			  cl->out_len - cl->out_off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			loop_mod(cl->c->l, cl->fd, EPOLLOUT);
			return;
		}
		if (n <= 0)
			break;
		cl->out_off += (size_t)n;
	}
	client_free(cl);
}

/* Start the answer: status line "ok" or "error: ...", then body. */
static FILE *client_answer(struct control_client *cl)
{
	return open_memstream(&cl->out, &cl->out_len);
}

__attribute__((format(printf, 2, 3)))
static void client_error(struct control_client *cl, const char *fmt, ...)
{
	FILE *f = client_answer(cl);
	va_list ap;

	if (!f) {
		client_free(cl);
		return;
	}
	fputs("error: ", f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
	client_flush(cl);
}

static void clear_done(void *arg, unsigned int n)
{
	struct control_client *cl = arg;
	FILE *f;

	cl->waiting = false;
	if (cl->gone) {
		free(cl->out);
		free(cl);
		return;
	}
	f = client_answer(cl);
	if (!f) {
		client_free(cl);
		return;
	}
	fprintf(f, "ok\n%u IKE SA%s deleted\n", n, n == 1 ? "" : "s");
	fclose(f);
	loop_mod(cl->c->l, cl->fd, EPOLLOUT);
}

static bool valid_peer(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 ||
	       inet_pton(AF_INET6, s, buf) == 1;
}

static bool valid_ifname(const char *s)
{
	size_t n = strlen(s);

	return n && n < POLICY_IFNAMSIZ && !strchr(s, '/');
}

#define CONTROL_WORDS	8

/* Split the line into at most 8 words; returns their number, or -1. */
static int split(char *line, char **w)
{
	char *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(line, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save)) {
		if (n == CONTROL_WORDS)
			return -1;
		w[n++] = t;
	}
	return n;
}

/*
 * show crypto isakmp sa [detail] [json]
 * show crypto ipsec sa [peer ADDR] [json]
 * show crypto session [json]
 */
static void run_show_crypto(struct control_client *cl, char **w, int n)
{
	struct control_ios_req req = { .what = CONTROL_IOS_SESSION };
	int i = 2, ret;
	FILE *f;

	if (n > 2 && !strcmp(w[n - 1], "json")) {
		req.json = true;
		n--;
	}
	if (n >= 4 && !strcmp(w[2], "isakmp") && !strcmp(w[3], "sa")) {
		req.what = CONTROL_IOS_ISAKMP_SA;
		i = 4;
		if (i < n && !strcmp(w[i], "detail")) {
			req.detail = true;
			i++;
		}
	} else if (n >= 4 && !strcmp(w[2], "ipsec") && !strcmp(w[3], "sa")) {
		req.what = CONTROL_IOS_IPSEC_SA;
		i = 4;
		if (i + 1 < n && !strcmp(w[i], "peer") && valid_peer(w[i + 1])) {
			req.peer = w[i + 1];
			i += 2;
		}
	} else if (n >= 3 && !strcmp(w[2], "session")) {
		i = 3;
	} else {
		i = -1;
	}
	if (i != n) {
		client_error(cl, "usage: show crypto isakmp sa [detail] | ipsec sa [peer ADDRESS] | session [json]");
		return;
	}
	f = client_answer(cl);
	if (!f) {
		client_free(cl);
		return;
	}
	fputs("ok\n", f);
	ret = control_show_ios(cl->c->e, &req, f, loop_now_ms());
	fclose(f);
	if (ret) {
		free(cl->out);
		cl->out = NULL;
		client_error(cl, "show crypto: %s", strerror(-ret));
		return;
	}
	client_flush(cl);
}

/* clear crypto isakmp [CONN-ID] | clear crypto sa [peer ADDR] */
static void run_clear_crypto(struct control_client *cl, char **w, int n)
{
	struct ike_clear_filter flt = { .version = 1 };
	unsigned long id;
	char *end;
	FILE *f;
	int ret;

	if (n >= 3 && !strcmp(w[2], "sa") &&
	    (n == 3 || (n == 5 && !strcmp(w[3], "peer") && valid_peer(w[4])))) {
		ret = ike_engine_clear_children(cl->c->e, n == 5 ? w[4] : NULL,
						loop_now_ms());
		if (ret < 0) {
			client_error(cl, "clear crypto sa: %s", strerror(-ret));
			return;
		}
		log_notice("control: clear crypto sa %s", n == 5 ? w[4] : "(all)");
		f = client_answer(cl);
		if (!f) {
			client_free(cl);
			return;
		}
		fprintf(f, "ok\n%d IPsec SA pair%s being deleted\n", ret,
			ret == 1 ? "" : "s");
		fclose(f);
		client_flush(cl);
		return;
	}
	if (n < 3 || n > 4 || strcmp(w[2], "isakmp")) {
		client_error(cl, "usage: clear crypto isakmp [CONN-ID] | clear crypto sa [peer ADDRESS]");
		return;
	}
	if (n == 4) {
		errno = 0;
		id = strtoul(w[3], &end, 10);
		if (errno || *end || !id || id > UINT32_MAX) {
			client_error(cl, "clear crypto isakmp: '%s' is not a connection id",
				     w[3]);
			return;
		}
		flt.conn_id = (uint32_t)id;
	}
	log_notice("control: clear crypto isakmp %s", n == 4 ? w[3] : "(all)");
	cl->waiting = true;
	ret = ike_engine_clear_filter(cl->c->e, &flt, clear_done, cl,
				      loop_now_ms());
	if (ret == -ENOENT && n == 4) {
		/* done() ran already and answered: say it was no match. */
		return;
	}
	if (ret && ret != -ENOENT) {
		cl->waiting = false;
		client_error(cl, "clear crypto isakmp: %s", strerror(-ret));
	}
}

static void run_show(struct control_client *cl, char **w, int n)
{
	static const char *const names[] = {
		[CONTROL_SHOW_IKE_SA] = "ike-sa",
		[CONTROL_SHOW_CHILD_SA] = "child-sa",
		[CONTROL_SHOW_STATS] = "stats",
	};
	bool json = n == 3 && !strcmp(w[2], "json");
	unsigned int i;
	FILE *f;
	int ret;

	if (n >= 2 && !strcmp(w[1], "crypto")) {
		run_show_crypto(cl, w, n);
		return;
	}
	if (n < 2 || n > 3 || (n == 3 && !json)) {
		client_error(cl, "usage: show ike-sa|child-sa|stats [json]");
		return;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(w[1], names[i]))
			break;
	if (i == sizeof(names) / sizeof(names[0])) {
		client_error(cl, "show: unknown object '%s'; expected ike-sa, child-sa or stats",
			     w[1]);
		return;
	}
	f = client_answer(cl);
	if (!f) {
		client_free(cl);
		return;
	}
	fputs("ok\n", f);
	ret = control_show(cl->c->e, (enum control_show)i, json, f,
			   loop_now_ms());
	fclose(f);
	if (ret) {
		free(cl->out);
		cl->out = NULL;
		client_error(cl, "show %s: %s", w[1], strerror(-ret));
		return;
	}
	client_flush(cl);
}

/* rekey ike-sa|child-sa TUNNEL */
static void run_rekey(struct control_client *cl, char **w, int n)
{
	bool ike;
	FILE *f;
	int ret;

	if (n != 3 || (strcmp(w[1], "ike-sa") && strcmp(w[1], "child-sa")) ||
	    !valid_ifname(w[2])) {
		client_error(cl, "usage: rekey ike-sa|child-sa TUNNEL");
		return;
	}
	ike = !strcmp(w[1], "ike-sa");
	ret = ike_engine_rekey(cl->c->e, w[2], ike, loop_now_ms());
	if (ret == -ENOENT) {
		client_error(cl, "rekey: %s: no %s to rekey", w[2],
			     ike ? "IKE SA" : "Child SA");
		return;
	}
	if (ret == -EAGAIN) {
		client_error(cl, "rekey: %s: the IKE SA is busy (negotiating, rekeying or deleting); try again",
			     w[2]);
		return;
	}
	if (ret) {
		client_error(cl, "rekey: %s: %s", w[2], strerror(-ret));
		return;
	}
	log_notice("control: rekey %s %s", w[1], w[2]);
	f = client_answer(cl);
	if (!f) {
		client_free(cl);
		return;
	}
	fprintf(f, "ok\n%s: %s rekey started\n", w[2], ike ? "IKE SA" : "Child SA");
	fclose(f);
	client_flush(cl);
}

static void run_command(struct control_client *cl)
{
	char *w[CONTROL_WORDS];
	int n = split(cl->line, w), ret;
	FILE *f;

	if (n <= 0) {
		client_error(cl, "empty or overlong request");
		return;
	}
	if (!strcmp(w[0], "show")) {
		run_show(cl, w, n);
	} else if (!strcmp(w[0], "clear") && n >= 2 &&
		   !strcmp(w[1], "crypto")) {
		run_clear_crypto(cl, w, n);
	} else if (!strcmp(w[0], "clear")) {
		if (n < 2 || n > 3 || strcmp(w[1], "sa") ||
		    (n == 3 && !valid_peer(w[2]))) {
			client_error(cl, "usage: clear sa [PEER-ADDRESS]");
			return;
		}
		log_notice("control: clear sa %s", n == 3 ? w[2] : "(all)");
		cl->waiting = true;
		ret = ike_engine_clear(cl->c->e, n == 3 ? w[2] : NULL,
				       clear_done, cl, loop_now_ms());
		if (ret) {
			cl->waiting = false;
			client_error(cl, "clear sa: %s", strerror(-ret));
		}
		/* Else clear_done() answers, maybe already has. */
	} else if (!strcmp(w[0], "rekey")) {
		run_rekey(cl, w, n);
	} else if (!strcmp(w[0], "initiate")) {
		if (n != 2 || !valid_ifname(w[1])) {
			client_error(cl, "usage: initiate TUNNEL");
			return;
		}
		ret = ike_engine_initiate(cl->c->e, w[1], loop_now_ms());
		if (ret == -ENOENT) {
			client_error(cl, "initiate: no tunnel '%s' in the configuration",
				     w[1]);
		} else if (ret == -EALREADY) {
			client_error(cl, "initiate: %s: an IKE SA is up or being negotiated",
				     w[1]);
		} else if (ret == -EBUSY) {
			client_error(cl, "initiate: %s: the call admission limit is reached",
				     w[1]);
		} else if (ret) {
			client_error(cl, "initiate: %s: %s", w[1],
				     strerror(-ret));
		} else {
			log_notice("control: initiate %s", w[1]);
			f = client_answer(cl);
			if (!f) {
				client_free(cl);
				return;
			}
			fprintf(f, "ok\n%s: negotiation started\n", w[1]);
			fclose(f);
			client_flush(cl);
		}
	} else {
		client_error(cl, "unknown command '%s'; expected show, clear, rekey or initiate",
			     w[0]);
	}
}

static void client_ready(int fd, uint32_t events, void *arg)
{
	struct control_client *cl = arg;
	char *nl;
	ssize_t n;

	if (cl->out) {
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			client_flush(cl);
		return;
	}
	if (cl->waiting) {
		/* A client that hangs up before the answer is dropped. */
		if (events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP))
			client_free(cl);
		else
			loop_mod(cl->c->l, fd, EPOLLRDHUP);
		return;
	}
	n = read(fd, cl->line + cl->line_len,
		 CONTROL_LINE_MAX - cl->line_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_free(cl);
		return;
	}
	cl->line_len += (size_t)n;
	cl->line[cl->line_len] = '\0';
	nl = memchr(cl->line, '\n', cl->line_len);
	if (!nl) {
		if (cl->line_len == CONTROL_LINE_MAX)
			client_error(cl, "request longer than %d bytes",
				     CONTROL_LINE_MAX);
		return;
	}
	*nl = '\0';
	if (memchr(cl->line, '\0', (size_t)(nl - cl->line)) ||
	    nl + 1 != cl->line + cl->line_len) {
		client_error(cl, "one request line per connection");
		return;
	}
	run_command(cl);
}

static void control_accept(int fd, uint32_t events, void *arg)
{
	struct control *c = arg;
	struct control_client *cl;
	struct ucred cred;
	socklen_t len;
	int cfd;

	(void)events;
	for (;;) {
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0)
			return;
		len = sizeof(cred);
		if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
		    (cred.uid != 0 && cred.uid != c->uid)) {
			log_warn("control: refused a client of uid %d",
				 (int)cred.uid);
			close(cfd);
			continue;
		}
		cl = calloc(1, sizeof(*cl));
		if (!cl || c->n_clients >= CONTROL_CLIENTS_MAX ||
		    loop_add(c->l, cfd, EPOLLIN | EPOLLRDHUP, client_ready,
			     cl)) {
			free(cl);
			close(cfd);
			continue;
		}
		cl->c = c;
		cl->fd = cfd;
		cl->next = c->clients;
		c->clients = cl;
		c->n_clients++;
	}
}

/* A socket file left by a daemon that died: remove it.  A live one: no. */
static int control_unlink_stale(const struct sockaddr_un *sun, char *err,
				size_t errlen)
{
	struct stat st;
	int fd, ret;

	if (lstat(sun->sun_path, &st))
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket",
			 sun->sun_path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (!ret) {
		snprintf(err, errlen, "%s: another ikehelper is running",
			 sun->sun_path);
		return -EADDRINUSE;
	}
	unlink(sun->sun_path);
	return 0;
}

struct control *control_open(const char *path, struct loop *l,
			     struct ike_engine *e, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct control *c;
	mode_t old;
	int ret;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: path too long for a socket", path);
		return NULL;
	}
	strcpy(sun.sun_path, path);
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->l = l;
	c->e = e;
	c->uid = geteuid();
	strcpy(c->path, path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		goto fail_errno;
	ret = control_unlink_stale(&sun, err, errlen);
	if (ret) {
		close(c->fd);
		free(c);
		return NULL;
	}
	old = umask(0177);
	ret = bind(c->fd, (const struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (ret || listen(c->fd, 8))
		goto fail_errno;
	ret = loop_add(l, c->fd, EPOLLIN, control_accept, c);
	if (ret) {
		errno = -ret;
		goto fail_errno;
	}
	return c;
fail_errno:
	snprintf(err, errlen, "control socket %s: %s", path, strerror(errno));
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return NULL;
}

void control_close(struct control *c)
{
	if (!c)
		return;
	while (c->clients)
		client_free(c->clients);
	loop_del(c->l, c->fd);
	close(c->fd);
	unlink(c->path);
	free(c);
}
