// SPDX-License-Identifier: GPL-2.0
/*
 * The sending half of udpflood.py, in C: numbered UDP datagrams at a
 * steady rate.  Under TCG the Python interpreter costs as much per
 * datagram as the kernel's whole ESP path, so rekey.sh takes this one when
 * it is built.  Same options and the same one-line JSON answer:
 *
 *   udpflood_send --dst ADDR --port N --rate PPS [--secs S] [--size N]
 *                 [--first N] [--ready FILE]
 *
 *   {"sent": N, "secs": S, "pps": N, "late_ms": N, "errors": N}
 *
 * Each datagram carries its number, big-endian, in its first 8 bytes;
 * numbers run from --first on, and one that could not be sent (ENOBUFS,
 * an ICMP error) goes again, so the receiver sees no gap the sender made.
 * The datagrams due are sent in batches with sendmmsg(); SIGTERM or SIGINT
 * ends the run.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH	64
#define MAXSIZE	1472

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void put_be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = v & 0xff;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: udpflood_send --dst ADDR --port N --rate PPS [--secs S]\n"
		"                     [--size N] [--first N] [--ready FILE]\n");
	exit(2);
}

static unsigned long num(const char *opt, const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max) {
		fprintf(stderr, "udpflood_send: %s: '%s' is not a number up to %lu\n",
			opt, s, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long port = 0, rate = 0, size = 8;
	double secs = 0, start, end, now, late = 0;
	const char *dst = NULL, *ready = NULL;
	static unsigned char bufs[BATCH][MAXSIZE];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage ss;
	socklen_t sslen;
	uint64_t first = 0, sent = 0, errors = 0, due;
	struct sigaction sa;
	int fd, i;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (i + 1 >= argc)
			usage();
		if (!strcmp(o, "--dst"))
			dst = argv[++i];
		else if (!strcmp(o, "--port"))
			port = num(o, argv[++i], 65535);
		else if (!strcmp(o, "--rate"))
			rate = num(o, argv[++i], 10000000);
		else if (!strcmp(o, "--secs"))
			secs = num(o, argv[++i], 86400);
		else if (!strcmp(o, "--size"))
			size = num(o, argv[++i], MAXSIZE);
		else if (!strcmp(o, "--first"))
			first = num(o, argv[++i], (unsigned long)-1 >> 1);
		else if (!strcmp(o, "--ready"))
			ready = argv[++i];
		else
			usage();
	}
	if (!dst || !port || !rate)
		usage();
	if (size < 8)
		size = 8;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, dst, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
		sslen = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, dst,
			     &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		sslen = sizeof(struct sockaddr_in6);
	} else {
		fprintf(stderr, "udpflood_send: --dst: '%s' is not an address\n", dst);
		return 2;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sslen)) {
		perror("udpflood_send: socket");
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = size;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	if (ready) {
		int rfd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			       0644);

		if (rfd >= 0)
			close(rfd);
	}

	start = now_s();
	end = secs ? start + secs : 0;
	while (!stop) {
		struct timespec ms = { 0, 1000000 };
		int n, r;

		now = now_s();
		if (end && now >= end)
			break;
		due = (uint64_t)((now - start) * rate);
		if (due > sent + rate / 1000 + 1 &&
		    (double)(due - sent) / rate > late)
			late = (double)(due - sent) / rate;
		while (sent < due && !stop) {
			n = due - sent > BATCH ? BATCH : (int)(due - sent);
			for (i = 0; i < n; i++)
				put_be64(bufs[i], first + sent + i);
			r = sendmmsg(fd, msgs, n, 0);
			if (r < 0) {
				if (errno == EINTR)
					continue;
				if (!errors)
					fprintf(stderr, "udpflood_send: send %llu: %s\n",
						(unsigned long long)(first + sent),
						strerror(errno));
				errors++;
				break;
			}
			sent += r;
			if (r < n)
				break;
		}
		nanosleep(&ms, NULL);
	}
	now = now_s() - start;
	close(fd);
	printf("{\"sent\": %llu, \"secs\": %.3f, \"pps\": %llu, \"late_ms\": %llu, \"errors\": %llu}\n",
	       (unsigned long long)sent, now,
	       (unsigned long long)(now > 0 ? sent / now : 0),
	       (unsigned long long)(late * 1000),
	       (unsigned long long)errors);
	return 0;
}
