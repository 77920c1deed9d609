// SPDX-License-Identifier: GPL-2.0
/*
 * ikevtictl's daemon commands (see ike_cmds.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "ike_cmds.h"

static bool ike_valid_peer(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 ||
	       inet_pton(AF_INET6, s, buf) == 1;
}

static bool ike_valid_ifname(const char *s)
{
	size_t n = strlen(s);

	return n && n < IFNAMSIZ && !strpbrk(s, "/ \t\n");
}

/*
 * "show crypto ..." and "clear crypto ..." in IOS terms, checked here so
 * that a mistake is told before the daemon is asked: the words as they
 * are, json appended.
 */
static int ike_crypto_request(int argc, char **argv, bool json, char *req,
			      size_t len, char *err, size_t errlen)
{
	bool show = !strcmp(argv[0], "show"), ok = false;
	size_t off = 0;
	char *end;

	if (show && argc >= 4 && !strcmp(argv[2], "isakmp") &&
	    !strcmp(argv[3], "sa"))
		ok = argc == 4 || (argc == 5 && !strcmp(argv[4], "detail"));
	else if (show && argc >= 4 && !strcmp(argv[2], "ipsec") &&
		 !strcmp(argv[3], "sa"))
		ok = argc == 4 || (argc == 6 && !strcmp(argv[4], "peer") &&
				   ike_valid_peer(argv[5]));
	else if (show && argc == 3 && !strcmp(argv[2], "session"))
		ok = true;
	else if (!show && argc >= 3 && !strcmp(argv[2], "isakmp"))
		ok = argc == 3 || (argc == 4 && strtoul(argv[3], &end, 10) &&
				   !*end);
	else if (!show && argc >= 3 && !strcmp(argv[2], "sa"))
		ok = argc == 3 || (argc == 5 && !strcmp(argv[3], "peer") &&
				   ike_valid_peer(argv[4]));
	if (!ok) {
		snprintf(err, errlen, show ?
			 "expected 'show crypto isakmp sa [detail]', 'show crypto ipsec sa [peer ADDRESS]' or 'show crypto session'" :
			 "expected 'clear crypto isakmp [CONN-ID]' or 'clear crypto sa [peer ADDRESS]'");
		return -EINVAL;
	}
	for (int i = 0; i < argc; i++) {
		int n = snprintf(req + off, len - off, "%s%s", i ? " " : "",
				 argv[i]);

		if (n < 0 || (size_t)n >= len - off)
			goto toolong;
		off += (size_t)n;
	}
	if (snprintf(req + off, len - off, "%s\n",
		     show && json ? " json" : "") >= (int)(len - off))
		goto toolong;
	return 0;
toolong:
	snprintf(err, errlen, "request too long");
	return -EINVAL;
}

int ike_cmd_request(int argc, char **argv, bool json, char *req,
		    size_t len, char *err, size_t errlen)
{
	const char *cmd = argv[0];
	int n;

	if ((!strcmp(cmd, "show") || !strcmp(cmd, "clear")) && argc >= 2 &&
	    !strcmp(argv[1], "crypto"))
		return ike_crypto_request(argc, argv, json, req, len, err,
					  errlen);
	if (!strcmp(cmd, "show")) {
		if (argc != 2 || (strcmp(argv[1], "ike-sa") &&
				  strcmp(argv[1], "child-sa") &&
				  strcmp(argv[1], "stats"))) {
			snprintf(err, errlen,
				 argc < 2 ? "expected ike-sa, child-sa or stats" :
				 argc > 2 ? "unexpected argument '%s'" :
					    "unknown object '%s'; expected ike-sa, child-sa or stats",
				 argv[argc > 2 ? 2 : 1]);
			return -EINVAL;
		}
		n = snprintf(req, len, "show %s%s\n", argv[1],
			     json ? " json" : "");
	} else if (!strcmp(cmd, "clear")) {
		if (argc < 2 || strcmp(argv[1], "sa")) {
			snprintf(err, errlen, "expected 'clear sa [PEER]'");
			return -EINVAL;
		}
		if (argc > 3) {
			snprintf(err, errlen, "unexpected argument '%s'",
				 argv[3]);
			return -EINVAL;
		}
		if (argc == 3 && !ike_valid_peer(argv[2])) {
			snprintf(err, errlen,
				 "'%s' is not an IPv4 or IPv6 address", argv[2]);
			return -EINVAL;
		}
		n = snprintf(req, len, "clear sa%s%s\n", argc == 3 ? " " : "",
			     argc == 3 ? argv[2] : "");
	} else if (!strcmp(cmd, "rekey")) {
		if (argc != 3) {
			snprintf(err, errlen,
				 argc > 3 ? "unexpected argument '%s'" :
					    "expected 'rekey ike-sa|child-sa TUNNEL'",
				 argv[argc > 3 ? 3 : 0]);
			return -EINVAL;
		}
		if (strcmp(argv[1], "ike-sa") && strcmp(argv[1], "child-sa")) {
			snprintf(err, errlen,
				 "unknown object '%s'; expected ike-sa or child-sa",
				 argv[1]);
			return -EINVAL;
		}
		if (!ike_valid_ifname(argv[2])) {
			snprintf(err, errlen, "'%s' is not a device name",
				 argv[2]);
			return -EINVAL;
		}
		n = snprintf(req, len, "rekey %s %s\n", argv[1], argv[2]);
	} else if (!strcmp(cmd, "initiate")) {
		if (argc != 2) {
			snprintf(err, errlen,
				 argc < 2 ? "expected a tunnel name" :
					    "unexpected argument '%s'",
				 argv[argc < 2 ? 0 : 2]);
			return -EINVAL;
		}
		if (!ike_valid_ifname(argv[1])) {
			snprintf(err, errlen, "'%s' is not a device name",
				 argv[1]);
			return -EINVAL;
		}
		n = snprintf(req, len, "initiate %s\n", argv[1]);
	} else {
		snprintf(err, errlen, "not a daemon command");
		return -EINVAL;
	}
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "request too long");
		return -EINVAL;
	}
	return 0;
}

static int ike_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, ret;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return ret;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		ret = -errno;
		snprintf(err, errlen, "cannot reach ikehelper at %s: %s%s", path,
			 strerror(errno),
			 errno == ENOENT || errno == ECONNREFUSED ?
				 " (is it running? --socket PATH)" : "");
		close(fd);
		return ret;
	}
	return fd;
}

static uint64_t ike_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Read the whole answer (until EOF) into a malloc'd string. */
static int ike_read_all(int fd, char **out, size_t *outlen, char *err,
			size_t errlen)
{
	uint64_t end = ike_now_ms() + IKE_CMD_TIMEOUT_MS, now;
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *nb;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		now = ike_now_ms();
		if (now >= end || poll(&p, 1, (int)(end - now)) == 0) {
			snprintf(err, errlen, "no answer from ikehelper in %d s",
				 IKE_CMD_TIMEOUT_MS / 1000);
			free(buf);
			return -ETIMEDOUT;
		}
		if (len + 1 >= cap) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			snprintf(err, errlen, "read: %s", strerror(errno));
			free(buf);
			return (int)n;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

int ike_cmd_run(const char *path, const char *req, FILE *out, char *err,
		size_t errlen)
{
	size_t len = 0, reqlen = strlen(req);
	char *ans = NULL, *body;
	int fd, ret;

	fd = ike_connect(path, err, errlen);
	if (fd < 0)
		return fd;
	if (write(fd, req, reqlen) != (ssize_t)reqlen) {
		ret = -errno;
		snprintf(err, errlen, "write: %s", strerror(errno));
		close(fd);
		return ret ? ret : -EIO;
	}
	ret = ike_read_all(fd, &ans, &len, err, errlen);
	close(fd);
	if (ret)
		return ret;
	body = memchr(ans, '\n', len);
	if (!body) {
		snprintf(err, errlen, "ikehelper sent no status line");
		ret = -EPROTO;
	} else if (!strncmp(ans, "ok\n", 3)) {
		body++;
		fwrite(body, 1, len - (size_t)(body - ans), out);
		ret = 0;
	} else if (!strncmp(ans, "error: ", 7)) {
		*body = '\0';
		snprintf(err, errlen, "%s", ans + 7);
		ret = 1;
	} else {
		snprintf(err, errlen, "ikehelper sent a bad status line");
		ret = -EPROTO;
	}
	free(ans);
	return ret;
}
