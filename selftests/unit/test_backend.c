// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for ikehelper/backend.c's recording backend: the exact line
 * format of backend.h that the strongSwan tests parse, the file mode
 * (it holds keys), and the refusals.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "backend.h"
#include "tap.h"

static char path[128];

static char *slurp(const char *p)
{
	static char buf[4096];
	int fd = open(p, O_RDONLY);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

static void gcm_sa(struct kernel_sa *sa)
{
	size_t i;

	memset(sa, 0, sizeof(*sa));
	sa->dir = IKEVTI_DIR_IN;
	sa->spi = 0xc1a2b3d4;
	sa->enc = IKEVTI_ENC_AES_GCM_16;
	sa->auth = IKEVTI_AUTH_NONE;
	sa->enc_key_len = 20;
	for (i = 0; i < sa->enc_key_len; i++)
		sa->enc_key[i] = (uint8_t)i;
	sa->origin = IKEVTI_ORIGIN_NEGOTIATED;
	sa->n_ts_local = 1;
	sa->ts_local[0].family = AF_INET;
	inet_pton(AF_INET, "10.1.0.0", sa->ts_local[0].start);
	inet_pton(AF_INET, "10.1.0.255", sa->ts_local[0].end);
	sa->ts_local[0].port_end = 65535;
	sa->n_ts_remote = 2;
	sa->ts_remote[0].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::", sa->ts_remote[0].start);
	inet_pton(AF_INET6, "2001:db8::ffff", sa->ts_remote[0].end);
	sa->ts_remote[0].proto = 17;
	sa->ts_remote[0].port_start = 500;
	sa->ts_remote[0].port_end = 500;
	sa->ts_remote[1].family = AF_INET;
	inet_pton(AF_INET, "192.0.2.7", sa->ts_remote[1].start);
	inet_pton(AF_INET, "192.0.2.7", sa->ts_remote[1].end);
	sa->ts_remote[1].port_end = 65535;
}

int main(void)
{
	char err[256], spec[160];
	struct backend *be;
	struct kernel_sa sa;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "build/record-%d.txt", (int)getpid());
	unlink(path);

	be = backend_open("record:", err, sizeof(err));
	ok(!be && strstr(err, "file name"), "record: without a file: %s", err);
	be = backend_open("netlink", err, sizeof(err));
	ok(!be && strstr(err, "unknown backend 'netlink'"), "unknown backend: %s",
	   err);

	snprintf(spec, sizeof(spec), "record:%s", path);
	be = backend_open(spec, err, sizeof(err));
	if (!ok(be != NULL, "record backend opens"))
		return done_testing();
	ok(!stat(path, &st) && (st.st_mode & 0777) == 0600,
	   "the record file is created 0600");
	is_int(be->ops->event_fd(be), -1, "no kernel events");
	is_int(be->ops->event_read(be, NULL, NULL), -EAGAIN,
	       "event_read has nothing");
	ok(be->ops->sa_get == NULL, "no sa_get: the engine must cope");

	gcm_sa(&sa);
	is_int(be->ops->sa_add(be, "ikevti0", &sa), 0, "add a GCM SA");
	is_str(slurp(path),
	       "add ikevti0 dir=in spi=0xc1a2b3d4 enc=aes-gcm "
	       "ekey=000102030405060708090a0b0c0d0e0f10111213 integ=none akey=- "
	       "origin=negotiated ts_local=10.1.0.0-10.1.0.255:0:0-65535 "
	       "ts_remote=2001:db8::-2001:db8::ffff:17:500-500,"
	       "192.0.2.7-192.0.2.7:0:0-65535\n",
	       "GCM line: salt in ekey, no akey, both selector lists");

	memset(&sa, 0, sizeof(sa));
	sa.dir = IKEVTI_DIR_OUT;
	sa.spi = 7;
	sa.enc = IKEVTI_ENC_AES_CBC;
	sa.auth = IKEVTI_AUTH_HMAC_SHA256_128;
	sa.enc_key_len = 16;
	memset(sa.enc_key, 0xab, 16);
	sa.auth_key_len = 32;
	memset(sa.auth_key, 0x01, 32);
	sa.origin = IKEVTI_ORIGIN_MANUAL;
	ok(!truncate(path, 0), "start the file afresh");
	is_int(be->ops->sa_add(be, "t1", &sa), 0, "add a CBC SA");
	is_int(be->ops->sa_del(be, "t1", IKEVTI_DIR_OUT, 7), 0, "del it");
	is_str(slurp(path),
	       "add t1 dir=out spi=0x00000007 enc=aes-cbc "
	       "ekey=abababababababababababababababab integ=hmac-sha256-128 "
	       "akey=0101010101010101010101010101010101010101010101010101010101010101 "
	       "origin=manual ts_local=any ts_remote=any\n"
	       "del t1 dir=out spi=0x00000007\n",
	       "CBC line with akey, then the del line, each flushed");

	sa.enc = 99;
	is_int(be->ops->sa_add(be, "t1", &sa), -EINVAL, "unknown enc refused");
	sa.enc = IKEVTI_ENC_AES_CBC;
	sa.n_ts_local = IKEVTI_TS_MAX + 1;
	is_int(be->ops->sa_add(be, "t1", &sa), -EINVAL,
	       "too many selectors refused");
	is_int(be->ops->sa_del(be, "t1", 3, 7), -EINVAL, "bad dir refused");
	be->ops->close(be);

	/* A file others can read must not receive keys. */
	chmod(path, 0644);
	snprintf(spec, sizeof(spec), "record:%s", path);
	be = backend_open(spec, err, sizeof(err));
	ok(!be && strstr(err, "mode 0600"), "a 0644 file is refused: %s", err);
	unlink(path);
	fd = symlink("/dev/null", path);
	snprintf(spec, sizeof(spec), "record:%s", path);
	be = backend_open(spec, err, sizeof(err));
	ok(!fd && !be, "a symlink is refused: %s", err);
	unlink(path);
	return done_testing();
}
