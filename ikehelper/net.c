// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE sockets (see net.h).
 */
/* struct in6_pktinfo (RFC 3542) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "net.h"

static int net_parse_addr(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

int net_opts_add_listen(struct net_opts *o, const char *addr, char *err,
			size_t errlen)
{
	struct sockaddr_storage ss;

	if (net_parse_addr(addr, &ss)) {
		snprintf(err, errlen,
			 "--listen '%s': expected an IPv4 or IPv6 address",
			 addr);
		return -EINVAL;
	}
	if (o->n_listen >= NET_LISTEN_MAX) {
		snprintf(err, errlen, "--listen: at most %d addresses",
			 NET_LISTEN_MAX);
		return -E2BIG;
	}
	o->listen[o->n_listen++] = addr;
	return 0;
}

static void net_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

static uint16_t net_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

static socklen_t net_salen(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
					  sizeof(struct sockaddr_in6);
}

const char *net_addr_str(const struct sockaddr_storage *ss, char *buf,
			 size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr,
			  a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, net_port(ss));
	} else if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)ss)->sin6_addr, a,
			  sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, net_port(ss));
	} else {
		snprintf(buf, len, "-");
	}
	return buf;
}

bool net_addr_equal(const struct sockaddr_storage *a,
		    const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr,
			       sizeof(struct in6_addr));
	return false;
}

static bool net_addr_any(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
		       htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(
		&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

static int net_open_one(struct net *n, const struct sockaddr_storage *addr,
			uint16_t port, bool natt, char *err, size_t errlen)
{
	struct net_sock *s = &n->s[n->n];
	char a[NET_ADDRSTRLEN];
	int on = 1, fd, ret;

	s->bound = *addr;
	net_set_port(&s->bound, port);
	s->natt = natt;
	fd = socket(addr->ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    IPPROTO_UDP);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return ret;
	}
	if (addr->ss_family == AF_INET)
		ret = setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	else
		ret = setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
				 sizeof(on)) ||
		      setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
				 sizeof(on));
	if (ret || bind(fd, (const struct sockaddr *)&s->bound,
			net_salen(&s->bound))) {
		ret = -errno;
		snprintf(err, errlen, "cannot bind %s: %s",
			 net_addr_str(&s->bound, a, sizeof(a)),
			 strerror(errno));
		close(fd);
		return ret;
	}
	s->fd = fd;
	n->n++;
	return 0;
}

int net_open(struct net *n, const struct net_opts *o, char *err,
	     size_t errlen)
{
	uint16_t port = o->port ? o->port : NET_PORT;
	uint16_t natt_port = o->natt_port ? o->natt_port : NET_NATT_PORT;
	struct sockaddr_storage addr[NET_LISTEN_MAX + 1];
	unsigned int i, n_addr = 0;
	int ret;

	memset(n, 0, sizeof(*n));
	if (port == natt_port) {
		snprintf(err, errlen, "the IKE and NAT-T ports must differ");
		return -EINVAL;
	}
	for (i = 0; i < o->n_listen; i++)
		if (net_parse_addr(o->listen[i], &addr[n_addr++]))
			return -EINVAL;
	if (!o->n_listen) {
		memset(addr, 0, 2 * sizeof(addr[0]));
		addr[0].ss_family = AF_INET;
		addr[1].ss_family = AF_INET6;
		n_addr = 2;
	}
	for (i = 0; i < n_addr; i++) {
		ret = net_open_one(n, &addr[i], port, false, err, errlen);
		if (!ret)
			ret = net_open_one(n, &addr[i], natt_port, true, err,
					   errlen);
		/* A host without IPv6 still runs IPv4 IKE by default. */
		if (ret == -EAFNOSUPPORT && !o->n_listen &&
		    addr[i].ss_family == AF_INET6) {
			snprintf(err, errlen, "no IPv6: IKE over IPv4 only");
			continue;
		}
		if (ret) {
			net_close(n);
			return ret;
		}
	}
	return 0;
}

void net_close(struct net *n)
{
	unsigned int i;

	for (i = 0; i < n->n; i++)
		close(n->s[i].fd);
	n->n = 0;
}

/* The destination address of a datagram, from its IP_PKTINFO. */
static void net_pktinfo(struct msghdr *mh, struct sockaddr_storage *local)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			((struct sockaddr_in *)local)->sin_addr = pi.ipi_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO &&
			   c->cmsg_len >=
				   CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			((struct sockaddr_in6 *)local)->sin6_addr =
				pi.ipi6_addr;
		}
	}
}

ssize_t net_recv(const struct net_sock *s, uint8_t *buf, size_t len,
		 struct sockaddr_storage *local,
		 struct sockaddr_storage *remote)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = {
		.msg_name = remote,
		.msg_namelen = sizeof(*remote),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf.buf,
		.msg_controllen = sizeof(cbuf.buf),
	};
	ssize_t r;

	memset(remote, 0, sizeof(*remote));
	r = recvmsg(s->fd, &mh, 0);
	if (r < 0)
		return errno == EINTR ? -EAGAIN : -errno;
	*local = s->bound;
	net_pktinfo(&mh, local);
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		return 0;
	if (remote->ss_family != s->bound.ss_family)
		return 0;
	if (!s->natt)
		return r;
	/* Keepalives (one 0xff byte) and ESP carry no marker. */
	if (r < NET_NON_ESP_MARKER || buf[0] || buf[1] || buf[2] || buf[3])
		return 0;
	r -= NET_NON_ESP_MARKER;
	memmove(buf, buf + NET_NON_ESP_MARKER, r);
	return r;
}

/*
 * The socket to send from: the right family and port, bound to local if
 * one is, else the wildcard one.
 */
static const struct net_sock *net_pick(const struct net *n,
				       const struct sockaddr_storage *local,
				       int family, bool natt)
{
	const struct net_sock *any = NULL;
	unsigned int i;

	for (i = 0; i < n->n; i++) {
		const struct net_sock *s = &n->s[i];

		if (s->natt != natt || s->bound.ss_family != family)
			continue;
		if (net_addr_any(&s->bound)) {
			any = any ? any : s;
			continue;
		}
		if (local->ss_family == AF_UNSPEC ||
		    net_addr_equal(&s->bound, local))
			return s;
	}
	return any;
}

int net_send(const struct net *n, const struct sockaddr_storage *local,
	     const struct sockaddr_storage *remote, bool natt,
	     const uint8_t *buf, size_t len)
{
	static const uint8_t marker[NET_NON_ESP_MARKER];
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov[2] = {
		{ .iov_base = (void *)(uintptr_t)marker, .iov_len = sizeof(marker) },
		{ .iov_base = (void *)(uintptr_t)buf, .iov_len = len },
	};
	struct msghdr mh = {
		.msg_name = (void *)(uintptr_t)remote,
		.msg_namelen = net_salen(remote),
		.msg_iov = natt ? iov : iov + 1,
		.msg_iovlen = natt ? 2 : 1,
	};
	const struct net_sock *s;
	struct cmsghdr *c;

	if (remote->ss_family != AF_INET && remote->ss_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (local->ss_family != AF_UNSPEC &&
	    local->ss_family != remote->ss_family)
		return -EAFNOSUPPORT;
	s = net_pick(n, local, remote->ss_family, natt);
	if (!s)
		return -EAFNOSUPPORT;
	/* A wildcard socket sends from the address the peer knows us by. */
	if (net_addr_any(&s->bound) && local->ss_family != AF_UNSPEC &&
	    !net_addr_any(local)) {
		memset(&cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf.buf;
		c = (struct cmsghdr *)cbuf.buf;
		if (remote->ss_family == AF_INET) {
			struct in_pktinfo pi = { 0 };

			pi.ipi_spec_dst =
				((const struct sockaddr_in *)local)->sin_addr;
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		} else {
			struct in6_pktinfo pi = { 0 };

			pi.ipi6_addr =
				((const struct sockaddr_in6 *)local)->sin6_addr;
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		}
	}
	if (sendmsg(s->fd, &mh, MSG_DONTWAIT) < 0)
		return -errno;
	return 0;
}

int net_local_addr(const struct sockaddr_storage *remote,
		   struct sockaddr_storage *local)
{
	socklen_t len = sizeof(*local);
	struct sockaddr_storage to = *remote;
	int fd, ret = 0;

	if (remote->ss_family != AF_INET && remote->ss_family != AF_INET6)
		return -EAFNOSUPPORT;
	/* connect() needs a port; which one does not change the route. */
	if (!net_port(&to))
		net_set_port(&to, NET_PORT);
	fd = socket(remote->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	memset(local, 0, sizeof(*local));
	if (connect(fd, (const struct sockaddr *)&to, net_salen(&to)) ||
	    getsockname(fd, (struct sockaddr *)local, &len))
		ret = -errno;
	else
		net_set_port(local, 0);
	close(fd);
	return ret;
}
