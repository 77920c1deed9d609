// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for ikehelper/net.c over the loopback: two daemons' socket sets
 * on 127.0.0.1 and 127.0.0.2 (high ports, so no root is needed), IKE on
 * both ports, the non-ESP marker added and stripped, keepalives and
 * marker-less datagrams dropped, the local address learnt from
 * IP_PKTINFO, and the --listen checks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "tap.h"

static void mkaddr(struct sockaddr_storage *ss, const char *a, uint16_t port)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	inet_pton(AF_INET, a, &s4->sin_addr);
}

/* Wait for and read one datagram from any socket of n. */
static ssize_t recv_any(const struct net *n, uint8_t *buf, size_t len,
			struct sockaddr_storage *local,
			struct sockaddr_storage *remote, bool *natt)
{
	struct pollfd p[NET_SOCKS_MAX];
	unsigned int i;

	for (i = 0; i < n->n; i++)
		p[i] = (struct pollfd){ .fd = n->s[i].fd, .events = POLLIN };
	if (poll(p, n->n, 1000) <= 0)
		return -ETIMEDOUT;
	for (i = 0; i < n->n; i++) {
		if (p[i].revents & POLLIN) {
			*natt = n->s[i].natt;
			return net_recv(&n->s[i], buf, len, local, remote);
		}
	}
	return -EIO;
}

int main(void)
{
	struct net_opts oa = { 0 }, ob = { 0 }, bad = { 0 };
	uint16_t base = (uint16_t)(20000 + (getpid() % 20000));
	struct sockaddr_storage local, remote, to, from;
	char err[256], s[NET_ADDRSTRLEN];
	uint8_t buf[256];
	struct net a, b, c;
	bool natt;
	ssize_t r;
	int raw;

	is_int(net_opts_add_listen(&bad, "10.0.0.300", err, sizeof(err)),
	       -EINVAL, "bad --listen address: %s", err);
	net_opts_add_listen(&bad, "::1", err, sizeof(err));
	net_opts_add_listen(&bad, "::1", err, sizeof(err));
	net_opts_add_listen(&bad, "::1", err, sizeof(err));
	net_opts_add_listen(&bad, "::1", err, sizeof(err));
	is_int(net_opts_add_listen(&bad, "::1", err, sizeof(err)), -E2BIG,
	       "at most %d --listen: %s", NET_LISTEN_MAX, err);
	bad.port = bad.natt_port = 4500;
	is_int(net_open(&a, &bad, err, sizeof(err)), -EINVAL,
	       "equal ports refused: %s", err);

	net_opts_add_listen(&oa, "127.0.0.1", err, sizeof(err));
	oa.port = base;
	oa.natt_port = base + 1;
	ob.port = base + 2;
	ob.natt_port = base + 3;
	if (!ok(!net_open(&a, &oa, err, sizeof(err)), "A binds 127.0.0.1: %s",
		err))
		return done_testing();
	/* B on the wildcard: it must learn which address it was sent to. */
	if (!ok(!net_open(&b, &ob, err, sizeof(err)), "B binds the wildcards"))
		return done_testing();
	is_int(a.n, 2, "A: two sockets");
	ok(b.n == 4 || b.n == 2, "B: four sockets (two without IPv6)");
	is_int(net_open(&c, &oa, err, sizeof(err)) < 0, 1,
	       "binding A twice fails: %s", err);

	mkaddr(&local, "127.0.0.1", 0);
	mkaddr(&to, "127.0.0.2", ob.port);
	is_int(net_send(&a, &local, &to, false, (const uint8_t *)"hello", 5),
	       0, "A sends plain IKE to 127.0.0.2");
	r = recv_any(&b, buf, sizeof(buf), &local, &remote, &natt);
	ok(r == 5 && !memcmp(buf, "hello", 5) && !natt, "B gets it on port %u",
	   ob.port);
	snprintf((char *)buf, sizeof(buf), "127.0.0.2:%u", ob.port);
	is_str(net_addr_str(&local, s, sizeof(s)), (char *)buf,
	       "B learns its local address from IP_PKTINFO");
	snprintf((char *)buf, sizeof(buf), "127.0.0.1:%u", oa.port);
	is_str(net_addr_str(&remote, s, sizeof(s)), (char *)buf,
	       "from A's IKE port");

	/* B answers from the address it was reached at, over NAT-T. */
	mkaddr(&to, "127.0.0.1", oa.natt_port);
	is_int(net_send(&b, &local, &to, true, (const uint8_t *)"IKE", 3), 0,
	       "B sends over NAT-T");
	r = recv_any(&a, buf, sizeof(buf), &local, &from, &natt);
	ok(r == 3 && !memcmp(buf, "IKE", 3) && natt,
	   "A gets it with the marker stripped (len %zd)", r);
	snprintf((char *)buf, sizeof(buf), "127.0.0.2:%u", ob.natt_port);
	is_str(net_addr_str(&from, s, sizeof(s)), (char *)buf,
	       "it left from 127.0.0.2, B's NAT-T port");

	/* What arrives on the NAT-T port without the marker is not IKE. */
	raw = socket(AF_INET, SOCK_DGRAM, 0);
	mkaddr(&to, "127.0.0.1", oa.natt_port);
	sendto(raw, "\xff", 1, 0, (struct sockaddr *)&to,
	       sizeof(struct sockaddr_in));
	r = recv_any(&a, buf, sizeof(buf), &local, &from, &natt);
	is_int(r, 0, "a NAT-T keepalive is dropped");
	sendto(raw, "\x00\x00\x10\x01ESP!", 8, 0, (struct sockaddr *)&to,
	       sizeof(struct sockaddr_in));
	r = recv_any(&a, buf, sizeof(buf), &local, &from, &natt);
	is_int(r, 0, "ESP (non-zero SPI) on the NAT-T port is dropped");
	sendto(raw, "\x00\x00\x00", 3, 0, (struct sockaddr *)&to,
	       sizeof(struct sockaddr_in));
	r = recv_any(&a, buf, sizeof(buf), &local, &from, &natt);
	is_int(r, 0, "a datagram shorter than the marker is dropped");
	sendto(raw, "\x00\x00\x00\x00", 4, 0, (struct sockaddr *)&to,
	       sizeof(struct sockaddr_in));
	r = recv_any(&a, buf, sizeof(buf), &local, &from, &natt);
	is_int(r, 0, "a bare marker is an empty IKE message: nothing");
	r = net_recv(&a.s[0], buf, sizeof(buf), &local, &from);
	is_int(r, -EAGAIN, "nothing left: -EAGAIN");
	close(raw);

	/* A is bound to 127.0.0.1 only: no IPv6 socket to send from. */
	memset(&to, 0, sizeof(to));
	to.ss_family = AF_INET6;
	memset(&local, 0, sizeof(local));
	is_int(net_send(&a, &local, &to, false, buf, 1), -EAFNOSUPPORT,
	       "no socket of the family: -EAFNOSUPPORT");
	mkaddr(&to, "127.0.0.9", 500);
	is_int(net_local_addr(&to, &local), 0, "route lookup towards 127.0.0.9");
	is_str(net_addr_str(&local, s, sizeof(s)), "127.0.0.1:0",
	       "the source routing picks is 127.0.0.1 (port 0)");
	net_close(&a);
	net_close(&b);
	return done_testing();
}
