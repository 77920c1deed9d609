// SPDX-License-Identifier: GPL-2.0
/*
 * The event loop (see loop.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "loop.h"

#define LOOP_BATCH	32

struct loop_watch {
	int fd;
	loop_fd_fn fn;
	void *arg;
	bool dead;
	struct loop_watch *next;
};

struct loop {
	int epfd;
	int sigfd;
	loop_signal_fn on_signal;
	void *sig_arg;
	struct loop_watch *watches;
	bool running;		/* inside loop_run(): free dead ones later */
};

uint64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void loop_signal_ready(int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si;
	struct loop *l = arg;

	(void)events;
	while (read(fd, &si, sizeof(si)) == sizeof(si))
		l->on_signal((int)si.ssi_signo, l->sig_arg);
}

struct loop *loop_new(loop_signal_fn on_signal, void *arg)
{
	struct loop *l = calloc(1, sizeof(*l));
	sigset_t set;
	int err;

	if (!l)
		return NULL;
	l->sigfd = -1;
	l->on_signal = on_signal;
	l->sig_arg = arg;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0)
		goto fail;
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		goto fail;
	l->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (l->sigfd < 0)
		goto fail;
	err = loop_add(l, l->sigfd, EPOLLIN, loop_signal_ready, l);
	if (err) {
		errno = -err;
		goto fail;
	}
	return l;
fail:
	err = errno;
	loop_free(l);
	errno = err;
	return NULL;
}

static void loop_reap(struct loop *l)
{
	struct loop_watch **pp = &l->watches, *w;

	while ((w = *pp)) {
		if (w->dead) {
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
}

void loop_free(struct loop *l)
{
	struct loop_watch *w;

	if (!l)
		return;
	while ((w = l->watches)) {
		l->watches = w->next;
		free(w);
	}
	if (l->sigfd >= 0)
		close(l->sigfd);
	if (l->epfd >= 0)
		close(l->epfd);
	free(l);
}

int loop_add(struct loop *l, int fd, uint32_t events, loop_fd_fn fn,
	     void *arg)
{
	struct epoll_event ev = { .events = events };
	struct loop_watch *w = calloc(1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	w->fd = fd;
	w->fn = fn;
	w->arg = arg;
	ev.data.ptr = w;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		int err = -errno;

		free(w);
		return err;
	}
	w->next = l->watches;
	l->watches = w;
	return 0;
}

static struct loop_watch *loop_find(struct loop *l, int fd)
{
	struct loop_watch *w;

	for (w = l->watches; w; w = w->next)
		if (!w->dead && w->fd == fd)
			return w;
	return NULL;
}

int loop_mod(struct loop *l, int fd, uint32_t events)
{
	struct loop_watch *w = loop_find(l, fd);
	struct epoll_event ev = { .events = events };

	if (!w)
		return -ENOENT;
	ev.data.ptr = w;
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) ? -errno : 0;
}

void loop_del(struct loop *l, int fd)
{
	struct loop_watch *w = loop_find(l, fd);

	if (!w)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	w->dead = true;
	if (!l->running)
		loop_reap(l);
}

int loop_run(struct loop *l, uint64_t deadline_ms)
{
	struct epoll_event ev[LOOP_BATCH];
	uint64_t now = loop_now_ms();
	int timeout, n, i;

	if (deadline_ms == LOOP_NO_DEADLINE)
		timeout = -1;
	else if (deadline_ms <= now)
		timeout = 0;
	else if (deadline_ms - now > 60000)
		timeout = 60000;	/* re-asked soon; no overflow */
	else
		timeout = (int)(deadline_ms - now);

	n = epoll_wait(l->epfd, ev, LOOP_BATCH, timeout);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	l->running = true;
	for (i = 0; i < n; i++) {
		struct loop_watch *w = ev[i].data.ptr;

		if (!w->dead)
			w->fn(w->fd, ev[i].events, w->arg);
	}
	l->running = false;
	loop_reap(l);
	return 0;
}
