/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's single-threaded event loop: epoll over the sockets, the
 * kernel event socket, the control socket and its clients, and a
 * signalfd for SIGTERM, SIGINT and SIGHUP.  Timers are not kept here:
 * the caller passes the earliest deadline (the engine's next timer) to
 * each loop_run() and runs its timers after it returns.  Times are
 * CLOCK_MONOTONIC milliseconds.
 */
#ifndef IKEHELPER_LOOP_H
#define IKEHELPER_LOOP_H

#include <stdint.h>
#include <sys/epoll.h>

#define LOOP_NO_DEADLINE	UINT64_MAX

struct loop;

/* Called with the epoll events of fd (EPOLLIN, EPOLLHUP, ...). */
typedef void (*loop_fd_fn)(int fd, uint32_t events, void *arg);
/* Called with the signal number. */
typedef void (*loop_signal_fn)(int sig, void *arg);

/*
 * A loop that owns a signalfd for SIGTERM, SIGINT and SIGHUP (blocked
 * for the whole process) and ignores SIGPIPE.  NULL with errno set.
 */
struct loop *loop_new(loop_signal_fn on_signal, void *arg);
/* Closes the epoll and signal fds; the watched fds stay the caller's. */
void loop_free(struct loop *l);

/* Watch fd (events: EPOLLIN ...): 0 or a negative errno. */
int loop_add(struct loop *l, int fd, uint32_t events, loop_fd_fn fn,
	     void *arg);
/* Change the events of a watched fd. */
int loop_mod(struct loop *l, int fd, uint32_t events);
/*
 * Stop watching fd; safe from inside any callback, also for an fd whose
 * events are still pending in this round: they are not delivered.
 */
void loop_del(struct loop *l, int fd);

/*
 * Wait until an fd is ready or deadline_ms passes, then run the
 * callbacks of what is ready.  0, or a negative errno if epoll failed.
 */
int loop_run(struct loop *l, uint64_t deadline_ms);

uint64_t loop_now_ms(void);

#endif /* IKEHELPER_LOOP_H */
