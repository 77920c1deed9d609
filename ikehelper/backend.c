// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel backends behind backend.h: "ikevti" over kernel.h, and
 * "record:FILE" for tests.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "log.h"

/* ---- ikevti: the module's generic netlink family ---- */

struct backend_ikevti {
	struct backend be;
	struct kernel_conn *kc;
};

#define to_ikevti(b)	((struct backend_ikevti *)(b))

/* Looked up on every call: the device may have been re-created. */
static int ikevti_ifindex(const char *tunnel, uint32_t *ifindex)
{
	unsigned int i = if_nametoindex(tunnel);

	if (!i)
		return -ENODEV;
	*ifindex = i;
	return 0;
}

static int ikevti_sa_add(struct backend *be, const char *tunnel,
			 const struct kernel_sa *sa)
{
	struct backend_ikevti *b = to_ikevti(be);
	uint32_t ifindex;
	int ret;

	ret = ikevti_ifindex(tunnel, &ifindex);
	if (!ret)
		ret = kernel_sa_add(b->kc, ifindex, sa);
	if (ret)
		log_err("%s: cannot install SA %s spi 0x%08x: %s", tunnel,
			sa->dir == IKEVTI_DIR_IN ? "in" : "out", sa->spi,
			ret == -ENODEV ? "no such device" :
					 kernel_strerror(b->kc, ret));
	return ret;
}

static int ikevti_sa_del(struct backend *be, const char *tunnel,
			 uint8_t dir, uint32_t spi)
{
	struct backend_ikevti *b = to_ikevti(be);
	uint32_t ifindex;
	int ret;

	ret = ikevti_ifindex(tunnel, &ifindex);
	if (!ret)
		ret = kernel_sa_del(b->kc, ifindex, dir, spi);
	/* Gone already (hard expiry, device deleted): nothing to do. */
	if (ret && ret != -ENOENT && ret != -ENODEV)
		log_err("%s: cannot remove SA %s spi 0x%08x: %s", tunnel,
			dir == IKEVTI_DIR_IN ? "in" : "out", spi,
			kernel_strerror(b->kc, ret));
	return ret;
}

static int ikevti_sa_get(struct backend *be, const char *tunnel,
			 uint8_t dir, uint32_t spi, struct kernel_sa *out)
{
	struct backend_ikevti *b = to_ikevti(be);
	uint32_t ifindex;
	int ret;

	ret = ikevti_ifindex(tunnel, &ifindex);
	if (ret)
		return ret;
	return kernel_sa_get(b->kc, ifindex, dir, spi, out);
}

static int ikevti_dev_stats(struct backend *be, const char *tunnel,
			    struct kernel_dev_stats *out)
{
	struct backend_ikevti *b = to_ikevti(be);
	uint32_t ifindex;
	int ret;

	ret = ikevti_ifindex(tunnel, &ifindex);
	if (ret)
		return ret;
	return kernel_dev_get(b->kc, ifindex, out);
}

static int ikevti_event_fd(struct backend *be)
{
	return kernel_event_fd(to_ikevti(be)->kc);
}

static int ikevti_event_read(struct backend *be, kernel_event_fn fn,
			     void *arg)
{
	return kernel_event_read(to_ikevti(be)->kc, fn, arg);
}

static int ikevti_tunnel_name(struct backend *be, uint32_t ifindex,
			      char *name, size_t len)
{
	char buf[IF_NAMESIZE];

	(void)be;
	if (!if_indextoname(ifindex, buf) || strlen(buf) >= len)
		return -ENODEV;
	strcpy(name, buf);
	return 0;
}

static void ikevti_close(struct backend *be)
{
	struct backend_ikevti *b = to_ikevti(be);

	kernel_close(b->kc);
	free(b);
}

static const struct backend_ops ikevti_ops = {
	.sa_add = ikevti_sa_add,
	.sa_del = ikevti_sa_del,
	.sa_get = ikevti_sa_get,
	.event_fd = ikevti_event_fd,
	.event_read = ikevti_event_read,
	.tunnel_name = ikevti_tunnel_name,
	.dev_stats = ikevti_dev_stats,
	.close = ikevti_close,
};

static struct backend *ikevti_open(char *err, size_t errlen)
{
	struct backend_ikevti *b = calloc(1, sizeof(*b));
	int ret;

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->be.ops = &ikevti_ops;
	b->kc = kernel_open(err, errlen);
	if (!b->kc) {
		free(b);
		return NULL;
	}
	ret = kernel_events_subscribe(b->kc);
	if (ret) {
		snprintf(err, errlen, "cannot join the ikevti events group: %s",
			 kernel_strerror(b->kc, ret));
		kernel_close(b->kc);
		free(b);
		return NULL;
	}
	return &b->be;
}

/* ---- record:FILE, for tests ---- */

struct backend_record {
	struct backend be;
	FILE *f;
};

#define to_record(b)	((struct backend_record *)(b))

static const char *record_enc_name(uint16_t enc)
{
	switch (enc) {
	case IKEVTI_ENC_NULL:
		return "null";
	case IKEVTI_ENC_DES_CBC:
		return "des-cbc";
	case IKEVTI_ENC_3DES_CBC:
		return "3des-cbc";
	case IKEVTI_ENC_AES_CBC:
		return "aes-cbc";
	case IKEVTI_ENC_AES_GCM_16:
		return "aes-gcm";
	case IKEVTI_ENC_CHACHA20_POLY1305:
		return "chacha20-poly1305";
	}
	return NULL;
}

static const char *record_auth_name(uint16_t auth)
{
	switch (auth) {
	case IKEVTI_AUTH_NONE:
		return "none";
	case IKEVTI_AUTH_HMAC_MD5_96:
		return "hmac-md5-96";
	case IKEVTI_AUTH_HMAC_SHA1_96:
		return "hmac-sha1-96";
	case IKEVTI_AUTH_HMAC_SHA256_128:
		return "hmac-sha256-128";
	case IKEVTI_AUTH_HMAC_SHA384_192:
		return "hmac-sha384-192";
	case IKEVTI_AUTH_HMAC_SHA512_256:
		return "hmac-sha512-256";
	}
	return NULL;
}

static const char *record_dir_name(uint8_t dir)
{
	if (dir == IKEVTI_DIR_IN)
		return "in";
	if (dir == IKEVTI_DIR_OUT)
		return "out";
	return NULL;
}

static void record_hex(FILE *f, const uint8_t *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char buf[64];
	size_t i, n = 0;

	if (!len) {
		fputc('-', f);
		return;
	}
	/* A key in one go: a printf per byte is most of this backend's time. */
	for (i = 0; i < len; i++) {
		buf[n++] = hex[p[i] >> 4];
		buf[n++] = hex[p[i] & 15];
		if (n == sizeof(buf) || i + 1 == len) {
			fwrite(buf, 1, n, f);
			n = 0;
		}
	}
	explicit_bzero(buf, sizeof(buf));
}

static void record_ts(FILE *f, const struct kernel_ts *ts, unsigned int n)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	unsigned int i;

	if (!n) {
		fputs("any", f);
		return;
	}
	for (i = 0; i < n; i++) {
		inet_ntop(ts[i].family, ts[i].start, a, sizeof(a));
		inet_ntop(ts[i].family, ts[i].end, b, sizeof(b));
		fprintf(f, "%s%s-%s:%u:%u-%u", i ? "," : "", a, b,
			ts[i].proto, ts[i].port_start, ts[i].port_end);
	}
}

static int record_flush(struct backend_record *b)
{
	if (fflush(b->f) || ferror(b->f)) {
		clearerr(b->f);
		return -EIO;
	}
	return 0;
}

static int record_sa_add(struct backend *be, const char *tunnel,
			 const struct kernel_sa *sa)
{
	const char *enc = record_enc_name(sa->enc);
	const char *auth = record_auth_name(sa->auth);
	const char *dir = record_dir_name(sa->dir);
	struct backend_record *b = to_record(be);

	if (!enc || !auth || !dir ||
	    sa->enc_key_len > sizeof(sa->enc_key) ||
	    sa->auth_key_len > sizeof(sa->auth_key) ||
	    sa->n_ts_local > IKEVTI_TS_MAX || sa->n_ts_remote > IKEVTI_TS_MAX)
		return -EINVAL;
	fprintf(b->f, "add %s dir=%s spi=0x%08x enc=%s ekey=", tunnel, dir,
		sa->spi, enc);
	record_hex(b->f, sa->enc_key, sa->enc_key_len);
	fprintf(b->f, " integ=%s akey=", auth);
	record_hex(b->f, sa->auth_key, sa->auth_key_len);
	fprintf(b->f, " origin=%s ts_local=",
		sa->origin == IKEVTI_ORIGIN_MANUAL ? "manual" : "negotiated");
	record_ts(b->f, sa->ts_local, sa->n_ts_local);
	fputs(" ts_remote=", b->f);
	record_ts(b->f, sa->ts_remote, sa->n_ts_remote);
	fputc('\n', b->f);
	return record_flush(b);
}

static int record_sa_del(struct backend *be, const char *tunnel,
			 uint8_t dir, uint32_t spi)
{
	struct backend_record *b = to_record(be);
	const char *d = record_dir_name(dir);

	if (!d)
		return -EINVAL;
	fprintf(b->f, "del %s dir=%s spi=0x%08x\n", tunnel, d, spi);
	return record_flush(b);
}

static int record_event_fd(struct backend *be)
{
	(void)be;
	return -1;
}

static int record_event_read(struct backend *be, kernel_event_fn fn,
			     void *arg)
{
	(void)be;
	(void)fn;
	(void)arg;
	return -EAGAIN;
}

static void record_close(struct backend *be)
{
	struct backend_record *b = to_record(be);

	fclose(b->f);
	free(b);
}

static const struct backend_ops record_ops = {
	.sa_add = record_sa_add,
	.sa_del = record_sa_del,
	.sa_get = NULL,
	.event_fd = record_event_fd,
	.event_read = record_event_read,
	.close = record_close,
	.udp_encap = true,
};

/* The file holds keys: created 0600, and refused if others can read it. */
static struct backend *record_open(const char *path, char *err,
				   size_t errlen)
{
	struct backend_record *b;
	struct stat st;
	int fd;

	if (!*path) {
		snprintf(err, errlen, "record: needs a file name");
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0) {
		snprintf(err, errlen, "record: %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (st.st_mode & (S_IRWXG | S_IRWXO))) {
		snprintf(err, errlen,
			 "record: %s: not a regular file of mode 0600", path);
		close(fd);
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (b)
		b->f = fdopen(fd, "a");
	if (!b || !b->f) {
		snprintf(err, errlen, "out of memory");
		free(b);
		close(fd);
		return NULL;
	}
	b->be.ops = &record_ops;
	return &b->be;
}

struct backend *backend_open(const char *spec, char *err, size_t errlen)
{
	if (!strcmp(spec, "ikevti"))
		return ikevti_open(err, errlen);
	if (!strncmp(spec, "record:", 7))
		return record_open(spec + 7, err, errlen);
	snprintf(err, errlen,
		 "unknown backend '%s'; expected 'ikevti' or 'record:FILE'",
		 spec);
	return NULL;
}
