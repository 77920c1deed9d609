// SPDX-License-Identifier: GPL-2.0
/*
 * ikeload: an IKE PSK initiator that keeps K handshakes in flight
 * against one responder, to measure how many IKE SAs per second the
 * responder sets up (make bench-ike, selftests/ike/bench.sh).  The
 * handshakes themselves are ikeload_v2.c's (IKE_SA_INIT + IKE_AUTH) and,
 * with --ikev1, ikeload_v1.c's (Main Mode + Quick Mode); this file holds
 * the options, the sockets, the event loop (one thread, non-blocking
 * sockets, epoll) and the measurement window.
 *
 * --dh-only measures instead how fast this core does a responder's DH
 * work alone (ikeload_dh.c): the upper bound of any responder's handshake
 * rate on one core.
 *
 * Output: key=value lines on stdout, for bench.sh.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "ikeload.h"
#include "msg.h"
#include "names.h"

#define NATT_SOCK	0x10000u	/* epoll data: the port 4500 socket */
#define ID_MAX		64

struct opts o = {
	.group = IKEV2_DH_ECP256,
	.inflight = 64,
	.nsock = 16,
	.warmup_s = 2,
	.seconds = 10,
	.psk = "bench-secret",
	.id = "load",
	.peer_id = "bench",
	.rto_ms = 1000,
	.tries = 3,
	.watch_pid = -1,
	.linger_ms = 20,
};

struct counters cnt;
int socks[MAX_SOCKETS], socks_natt[MAX_SOCKETS];
struct sockaddr_in sock_addr[MAX_SOCKETS];
static const struct load_ops *ops = &load_v2;
static volatile sig_atomic_t stop_now;
static uint8_t rxbuf[MSG_MAX_LEN];

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void die(const char *what)
{
	fprintf(stderr, "ikeload: %s\n", what);
	exit(2);
}

void load_send(unsigned int sock, bool natt, const uint8_t *buf, size_t len)
{
	static const uint8_t marker[4];	/* RFC 3948 2.2: non-ESP */
	struct iovec iov[2] = {
		{ .iov_base = (void *)(uintptr_t)marker, .iov_len = 4 },
		{ .iov_base = (void *)(uintptr_t)buf, .iov_len = len },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	int fd = socks[sock];

	if (natt) {
		fd = socks_natt[sock];
	} else {
		mh.msg_iov = &iov[1];
		mh.msg_iovlen = 1;
	}
	if (sendmsg(fd, &mh, 0) < 0 && errno != EAGAIN && errno != ENOBUFS &&
	    errno != ECONNREFUSED)
		perror("ikeload: send");
}

/* ---- the responder's CPU time ----------------------------------------- */

/* utime + stime of the whole process, in seconds; < 0 if unknown. */
static double proc_cpu_s(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	ssize_t n;
	int fd;

	if (pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	/* Fields after "(comm)": state is 3, utime 14, stime 15. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double self_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* ---- main ------------------------------------------------------------- */

static void on_signal(int sig)
{
	(void)sig;
	stop_now = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: ikeload -t ADDR [options]        IKEv2 PSK handshakes against ADDR:500\n"
"       ikeload -1 -t ADDR -b ADDR -d ... IKEv1 Main Mode + Quick Mode instead\n"
"       ikeload --dh-only [-g G] [-T S]  a responder's DH work alone, per second\n"
"  -t, --target ADDR     the responder (IPv4)\n"
"  -p, --port N          its port (500)\n"
"  -b, --bind ADDR       our source address (IKEv1: that of slot 0)\n"
"  -1, --ikev1           IKEv1, PSK; slot i is a peer of its own, sending\n"
"                        from --bind + i (one socket each); needs --delete\n"
"  -g, --group G         DH group: IKEv2 19|31, IKEv1 14|19 (19)\n"
"  -e, --enc cbc|gcm     AES-CBC-128 + HMAC-SHA2-256-128, or AES-GCM-16-128 (cbc)\n"
"                        for the Child SA (IKEv1: cbc only)\n"
"  -k, --inflight K      handshakes in flight (64)\n"
"  -N, --peers N         IKEv1: peers, from --bind on (--inflight + 64; at\n"
"                        most 256)\n"
"  -L, --linger MS       IKEv1: from QM3 to the DELETEs (20)\n"
"  -s, --sockets N       source ports used (16; not with --ikev1)\n"
"  -w, --warmup S        seconds before the measurement window (2)\n"
"  -T, --seconds S       the measurement window (10)\n"
"  -n, --count N         instead: start N handshakes, then wait for them\n"
"  -d, --delete          delete each IKE SA once up (INFORMATIONAL; IKEv1:\n"
"                        the IPsec SA, then the ISAKMP SA)\n"
"  -P, --psk KEY         pre-shared key (bench-secret)\n"
"  -i, --id KEYID        our ID_KEY_ID (load; IKEv1: our address)\n"
"  -r, --peer-id KEYID   the responder's ID_KEY_ID, checked (bench; IKEv1:\n"
"                        its ID_IPV4_ADDR must be --target)\n"
"  -R, --rto MS          first retransmit timeout, doubling (1000)\n"
"  -x, --tries N         sends of a message before giving up (3)\n"
"  -W, --watch PID       report PID's CPU time over the window\n");
}

static void parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "target", 1, NULL, 't' }, { "port", 1, NULL, 'p' },
		{ "bind", 1, NULL, 'b' }, { "group", 1, NULL, 'g' },
		{ "enc", 1, NULL, 'e' }, { "inflight", 1, NULL, 'k' },
		{ "sockets", 1, NULL, 's' }, { "warmup", 1, NULL, 'w' },
		{ "seconds", 1, NULL, 'T' }, { "count", 1, NULL, 'n' },
		{ "delete", 0, NULL, 'd' }, { "psk", 1, NULL, 'P' },
		{ "id", 1, NULL, 'i' }, { "peer-id", 1, NULL, 'r' },
		{ "rto", 1, NULL, 'R' }, { "tries", 1, NULL, 'x' },
		{ "watch", 1, NULL, 'W' }, { "dh-only", 0, NULL, 'D' },
		{ "ikev1", 0, NULL, '1' }, { "peers", 1, NULL, 'N' },
		{ "linger", 1, NULL, 'L' },
		{ "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	bool have_target = false, have_sock = false, have_ids = false;
	bool have_v1 = false;
	int c;

	o.target.sin_family = AF_INET;
	o.target.sin_port = htons(500);
	o.bind.sin_family = AF_INET;
	o.version = 2;
	while ((c = getopt_long(argc, argv,
				"t:p:b:g:e:k:s:w:T:n:dP:i:r:R:x:W:1N:L:h",
				lo, NULL)) != -1) {
		switch (c) {
		case 't':
			if (inet_pton(AF_INET, optarg, &o.target.sin_addr) != 1)
				die("--target: an IPv4 address");
			have_target = true;
			break;
		case 'p': o.target.sin_port = htons((uint16_t)atoi(optarg)); break;
		case 'b':
			if (inet_pton(AF_INET, optarg, &o.bind.sin_addr) != 1)
				die("--bind: an IPv4 address");
			break;
		case 'g': o.group = (unsigned int)atoi(optarg); break;
		case 'e':
			if (strcmp(optarg, "cbc") && strcmp(optarg, "gcm"))
				die("--enc: cbc or gcm");
			o.gcm = !strcmp(optarg, "gcm");
			break;
		case 'k': o.inflight = (unsigned int)atoi(optarg); break;
		case 's':
			o.nsock = (unsigned int)atoi(optarg);
			have_sock = true;
			break;
		case 'w': o.warmup_s = atof(optarg); break;
		case 'T': o.seconds = atof(optarg); break;
		case 'n': o.count = strtoull(optarg, NULL, 10); break;
		case 'd': o.del = true; break;
		case 'P': o.psk = optarg; break;
		case 'i': o.id = optarg; have_ids = true; break;
		case 'r': o.peer_id = optarg; have_ids = true; break;
		case 'R': o.rto_ms = (unsigned int)atoi(optarg); break;
		case 'x': o.tries = (unsigned int)atoi(optarg); break;
		case 'W': o.watch_pid = atoi(optarg); break;
		case 'D': o.dh_only = true; break;
		case '1': o.version = 1; break;
		case 'N':
			o.nslots = (unsigned int)atoi(optarg);
			have_v1 = true;
			break;
		case 'L':
			o.linger_ms = (unsigned int)atoi(optarg);
			have_v1 = true;
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (o.dh_only) {
		if (o.group != IKEV2_DH_ECP256 &&
		    o.group != IKEV2_DH_CURVE25519 &&
		    o.group != IKEV2_DH_MODP2048)
			die("--dh-only --group: 14, 19 or 31");
		return;
	}
	if (o.version == 1) {
		if (o.group != IKEV2_DH_ECP256 && o.group != IKEV2_DH_MODP2048)
			die("--ikev1 --group: 14 or 19");
		if (o.gcm)
			die("--ikev1: --enc cbc only");
		if (have_sock)
			die("--ikev1: no --sockets, each slot has its own");
		if (have_ids)
			die("--ikev1: IDs are addresses: no --id, --peer-id");
		/*
		 * A peer's next Main Mode, its last ISAKMP SA still up, would
		 * be a phase 1 rekey to the responder, not a new peer.
		 */
		if (!o.del)
			die("--ikev1 needs --delete");
		if (!o.bind.sin_addr.s_addr)
			die("--ikev1 needs --bind, the address of slot 0");
		if (!o.nslots)
			o.nslots = o.inflight + 64;
		if (!o.inflight || o.inflight > o.nslots ||
		    o.nslots > MAX_SOCKETS)
			die("--ikev1: 1 <= --inflight <= --peers <= 256");
		o.nsock = o.nslots;
		o.addr_per_sock = true;
		ops = &load_v1;
	} else if (have_v1) {
		die("--peers and --linger are for --ikev1");
	} else if (o.group != IKEV2_DH_ECP256 &&
		   o.group != IKEV2_DH_CURVE25519) {
		die("--group: 19 or 31");
	} else {
		o.nslots = o.inflight;
	}
	if (!have_target)
		die("--target is required");
	if (!o.inflight || o.inflight > MAX_INFLIGHT)
		die("--inflight: 1 to 4096");
	if (!o.nsock || o.nsock > MAX_SOCKETS)
		die("--sockets: 1 to 256");
	if (!o.tries || o.tries > 8 || !o.rto_ms)
		die("--tries: 1 to 8, --rto above 0");
	if (strlen(o.id) > ID_MAX || !*o.id || !*o.psk)
		die("--id: 1 to 64 bytes; --psk not empty");
}

/* A non-blocking UDP socket from local (any port) to remote. */
static int udp_socket(const struct sockaddr_in *local,
		      const struct sockaddr_in *remote)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	int sz = 1 << 20;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (bind(fd, (const struct sockaddr *)local, sizeof(*local)) ||
	    connect(fd, (const struct sockaddr *)remote, sizeof(*remote)))
		die("cannot bind or connect a socket");
	return fd;
}

static void setup(void)
{
	for (unsigned int i = 0; i < o.nsock; i++) {
		struct sockaddr_in natt = o.target, local = o.bind;
		socklen_t alen = sizeof(sock_addr[i]);

		if (o.addr_per_sock)
			local.sin_addr.s_addr =
				htonl(ntohl(o.bind.sin_addr.s_addr) + i);
		socks[i] = udp_socket(&local, &o.target);
		if (getsockname(socks[i], (struct sockaddr *)&sock_addr[i],
				&alen))
			die("getsockname");
		natt.sin_port = htons(4500);
		socks_natt[i] = udp_socket(&local, &natt);
	}
}

static bool window_open, window_done;

int main(int argc, char **argv)
{
	struct counters c0 = { 0 }, c1 = { 0 };
	double t0 = 0, t1 = 0, r0 = -1, r1 = -1, g0 = 0, g1 = 0, start;
	struct epoll_event ev[64];
	uint64_t started = 0;
	int ep;

	parse_args(argc, argv);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (o.dh_only)
		return dh_only();
	setup();
	ops->setup();
	ep = epoll_create1(0);
	if (ep < 0)
		die("epoll");
	for (unsigned int i = 0; i < o.nsock; i++) {
		struct epoll_event e = { .events = EPOLLIN, .data.u32 = i };

		if (epoll_ctl(ep, EPOLL_CTL_ADD, socks[i], &e))
			die("epoll_ctl");
		e.data.u32 = i | NATT_SOCK;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, socks_natt[i], &e))
			die("epoll_ctl");
	}
	start = now_s();
	if (o.count) {
		/* Count mode: the window is the whole run. */
		window_open = true;
		t0 = start;
		r0 = proc_cpu_s(o.watch_pid);
		g0 = self_cpu_s();
	}
	while (!stop_now) {
		double t = now_s();
		unsigned int active;
		bool busy = false;
		int n;

		if (!o.count && !window_open && t - start >= o.warmup_s) {
			window_open = true;
			c0 = cnt;
			t0 = t;
			r0 = proc_cpu_s(o.watch_pid);
			g0 = self_cpu_s();
		}
		if (!o.count && window_open && !window_done &&
		    t - t0 >= o.seconds) {
			window_done = true;
			c1 = cnt;
			t1 = t;
			r1 = proc_cpu_s(o.watch_pid);
			g1 = self_cpu_s();
			break;
		}
		active = ops->active();
		for (unsigned int i = 0; i < o.nslots; i++) {
			if (ops->busy(i)) {
				busy = true;
				continue;
			}
			if (active >= o.inflight ||
			    (o.count && started >= o.count))
				continue;
			ops->start(i);
			active++;
			started++;
			busy = true;
		}
		if (o.count && !busy)
			break;
		if (o.count && t - start > o.seconds + o.warmup_s + 60)
			break;	/* a hard limit, whatever the responder does */
		n = epoll_wait(ep, ev, 64, 5);
		for (int i = 0; i < n; i++) {
			uint32_t si = ev[i].data.u32 & ~NATT_SOCK;
			bool natt = ev[i].data.u32 & NATT_SOCK;
			int fd = natt ? socks_natt[si] : socks[si];
			ssize_t len;

			while ((len = recv(fd, rxbuf, sizeof(rxbuf), 0)) > 0) {
				if (!natt)
					ops->input(rxbuf, (size_t)len);
				else if (len > 4 && !msg_get32(rxbuf))
					ops->input(rxbuf + 4, (size_t)len - 4);
			}
		}
		ops->timers(now_ms());
	}
	if (o.count) {
		c1 = cnt;
		t1 = now_s();
		r1 = proc_cpu_s(o.watch_pid);
		g1 = self_cpu_s();
	}
	if (t1 <= t0)
		t1 = t0 + 1e-9;
	{
		uint64_t done = c1.completed - c0.completed;
		double wall = t1 - t0, rcpu = r1 - r0;

		printf("ikeload ike=%u group=%u enc=%s inflight=%u sockets=%u"
		       " slots=%u linger=%u delete=%d"
		       " window=%.3f started=%llu completed=%llu failed=%llu"
		       " timeouts=%llu auth_failed=%llu no_child=%llu"
		       " refused=%llu retransmits=%llu cookies=%llu"
		       " deleted=%llu bad=%llu natt=%llu rate=%.1f"
		       " gen_cpu=%.3f all_completed=%llu all_failed=%llu\n",
		       o.version, o.group, o.gcm ? "gcm" : "cbc", o.inflight,
		       o.nsock, o.nslots, o.version == 1 ? o.linger_ms : 0,
		       o.del, wall,
		       (unsigned long long)(c1.started - c0.started),
		       (unsigned long long)done,
		       (unsigned long long)(c1.failed - c0.failed),
		       (unsigned long long)(c1.timeouts - c0.timeouts),
		       (unsigned long long)(c1.auth_failed - c0.auth_failed),
		       (unsigned long long)(c1.no_child - c0.no_child),
		       (unsigned long long)(c1.refused - c0.refused),
		       (unsigned long long)(c1.retransmits - c0.retransmits),
		       (unsigned long long)(c1.cookies - c0.cookies),
		       (unsigned long long)(c1.deleted - c0.deleted),
		       (unsigned long long)(c1.bad_msgs - c0.bad_msgs),
		       (unsigned long long)(c1.natt - c0.natt),
		       (double)done / wall, g1 - g0,
		       (unsigned long long)cnt.completed,
		       (unsigned long long)cnt.failed);
		if (r0 >= 0 && r1 >= 0)
			printf("responder pid=%d cpu=%.3f per_cpu_s=%.1f\n",
			       o.watch_pid, rcpu,
			       rcpu > 0 ? (double)done / rcpu : 0.0);
	}
	ops->cleanup();
	crypto_cleanup();
	return 0;
}
