// SPDX-License-Identifier: GPL-2.0
/*
 * Parser of the "ikevtictl sa" command lines.
 *
 * sa_opts[] lists every keyword with the commands that take it and its
 * parser.  A parser consumes its values from the cursor; a few keywords
 * only make sense right after another one ("key" after "enc ALG" or
 * "auth ALG", "proto" and "port" after a selector), which the parser
 * state's ctx records.  Whatever the user got wrong, the message names
 * the word, except for keys, which never appear in a message.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

#include <openssl/crypto.h>

#include "sa_args.h"

#define SA_KEY_TEXT_MAX	512	/* longest key text we read */

static const struct sa_alg sa_enc_algs[] = {
	{ IKEVTI_ENC_NULL, "null", "esp-null", false, { 0 }, false },
	{ IKEVTI_ENC_DES_CBC, "des-cbc", "esp-des", false, { 8 }, false },
	{ IKEVTI_ENC_3DES_CBC, "3des-cbc", "esp-3des", false, { 24 }, false },
	{ IKEVTI_ENC_AES_CBC, "aes-cbc", "esp-aes", false, { 16, 24, 32 },
	  false },
	{ IKEVTI_ENC_AES_GCM_16, "aes-gcm", "esp-gcm", true, { 20, 28, 36 },
	  true },
	{ IKEVTI_ENC_CHACHA20_POLY1305, "chacha20-poly1305",
	  "esp-chacha20-poly1305", true, { 36 }, true },
};

static const struct sa_alg sa_auth_algs[] = {
	{ IKEVTI_AUTH_HMAC_MD5_96, "hmac-md5-96", "esp-md5-hmac", false,
	  { 16 }, false },
	{ IKEVTI_AUTH_HMAC_SHA1_96, "hmac-sha1-96", "esp-sha-hmac", false,
	  { 20 }, false },
	{ IKEVTI_AUTH_HMAC_SHA256_128, "hmac-sha256-128", "esp-sha256-hmac",
	  false, { 32 }, false },
	{ IKEVTI_AUTH_HMAC_SHA384_192, "hmac-sha384-192", "esp-sha384-hmac",
	  false, { 48 }, false },
	{ IKEVTI_AUTH_HMAC_SHA512_256, "hmac-sha512-256", "esp-sha512-hmac",
	  false, { 64 }, false },
};

#define SA_N(a)	(sizeof(a) / sizeof((a)[0]))

struct sa_name {
	unsigned int value;
	const char *name;
};

static const struct sa_name sa_dirs[] = {
	{ IKEVTI_DIR_IN, "in" },
	{ IKEVTI_DIR_OUT, "out" },
};

static const struct sa_name sa_origins[] = {
	{ IKEVTI_ORIGIN_MANUAL, "manual" },
	{ IKEVTI_ORIGIN_NEGOTIATED, "negotiated" },
};

static const struct sa_name sa_protos[] = {
	{ 0, "any" },
	{ 1, "icmp" },
	{ 6, "tcp" },
	{ 17, "udp" },
	{ 47, "gre" },
	{ 50, "esp" },
	{ 51, "ah" },
	{ 58, "ipv6-icmp" },
	{ 132, "sctp" },
};

static const struct sa_alg *sa_alg_by_id(const struct sa_alg *t, size_t n,
					 uint16_t id)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].id == id)
			return &t[i];
	}
	return NULL;
}

const struct sa_alg *sa_enc_by_id(uint16_t id)
{
	return sa_alg_by_id(sa_enc_algs, SA_N(sa_enc_algs), id);
}

const struct sa_alg *sa_auth_by_id(uint16_t id)
{
	return sa_alg_by_id(sa_auth_algs, SA_N(sa_auth_algs), id);
}

static const char *sa_name_of(const struct sa_name *t, size_t n,
			      unsigned int value)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].value == value)
			return t[i].name;
	}
	return NULL;
}

const char *sa_dir_name(uint8_t dir)
{
	return sa_name_of(sa_dirs, SA_N(sa_dirs), dir);
}

const char *sa_origin_name(uint8_t origin)
{
	return sa_name_of(sa_origins, SA_N(sa_origins), origin);
}

const char *sa_proto_name(uint8_t proto)
{
	return proto ? sa_name_of(sa_protos, SA_N(sa_protos), proto) : NULL;
}

/* What the previous keyword lets the next one refine. */
enum sa_ctx {
	SA_CTX_NONE,
	SA_CTX_ENC,		/* "enc ALG": a "key" may follow */
	SA_CTX_AUTH,		/* "auth ALG" */
	SA_CTX_TS,		/* a selector: "proto", "port" may follow */
};

struct sa_parser {
	enum sa_op op;
	struct sa_args *a;
	int argc;
	char **argv;
	int i;			/* next word */
	char *err;
	size_t errlen;
	uint32_t seen;		/* bit n: sa_opts[n] was given */
	enum sa_ctx ctx, next_ctx;
	bool has_enc, has_auth, has_enc_key, has_auth_key;
	struct kernel_ts *ts;	/* the selector "proto"/"port" refine */
	bool ts_proto, ts_port;
	unsigned int lt_seen;	/* bit per lifetime limit */
};

struct sa_opt {
	const char *name;
	unsigned int ops;	/* bit per enum sa_op */
	bool repeat;
	int nargs;
	const char *want;	/* the values, for "needs" messages */
	/* v: the nargs values; v[-1] is the keyword */
	int (*parse)(struct sa_parser *p, char **v);
};

#define OP(x)		(1U << SA_OP_##x)

__attribute__((format(printf, 3, 4)))
static int sa_fail(struct sa_parser *p, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return err;
}

static const char *sa_op_name(enum sa_op op)
{
	static const char *const names[] = {
		[SA_OP_ADD] = "add", [SA_OP_SET] = "set", [SA_OP_DEL] = "del",
		[SA_OP_SHOW] = "show", [SA_OP_FLUSH] = "flush",
	};

	return names[op];
}

/* Unsigned decimal, or hex after 0x; no sign, no blanks, no octal. */
static bool sa_number(const char *s, uint64_t max, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;

	if ((s[0] == '0') && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return false;
		if (v > (max - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

static int sa_lookup(const struct sa_name *t, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(t[i].name, s))
			return (int)t[i].value;
	}
	return -1;
}

static int sa_opt_dir(struct sa_parser *p, char **v)
{
	int dir = sa_lookup(sa_dirs, SA_N(sa_dirs), v[0]);

	if (dir < 0)
		return sa_fail(p, -EINVAL, "bad dir '%s' (want in or out)",
			       v[0]);
	p->a->sa.dir = (uint8_t)dir;
	return 0;
}

static int sa_opt_spi(struct sa_parser *p, char **v)
{
	uint64_t spi;

	if (!sa_number(v[0], UINT32_MAX, &spi) || spi < 0x100)
		return sa_fail(p, -EINVAL,
			       "bad SPI '%s' (want 0x100..0xffffffff)", v[0]);
	p->a->sa.spi = (uint32_t)spi;
	return 0;
}

/* "null, des-cbc, ..." for messages and help. */
static void sa_alg_list(char *buf, size_t len, const struct sa_alg *t,
			size_t n)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? ", " : "", t[i].name);
}

static const struct sa_alg *sa_alg_by_name(const struct sa_alg *t, size_t n,
					   const char *s)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(t[i].name, s))
			return &t[i];
	}
	return NULL;
}

static int sa_opt_enc(struct sa_parser *p, char **v)
{
	const struct sa_alg *alg;
	char list[128];

	alg = sa_alg_by_name(sa_enc_algs, SA_N(sa_enc_algs), v[0]);
	if (!alg) {
		sa_alg_list(list, sizeof(list), sa_enc_algs, SA_N(sa_enc_algs));
		return sa_fail(p, -EINVAL, "unknown enc algorithm '%s' (want %s)",
			       v[0], list);
	}
	p->a->sa.enc = alg->id;
	p->has_enc = true;
	p->next_ctx = SA_CTX_ENC;
	return 0;
}

static int sa_opt_auth(struct sa_parser *p, char **v)
{
	const struct sa_alg *alg;
	char list[128];

	alg = sa_alg_by_name(sa_auth_algs, SA_N(sa_auth_algs), v[0]);
	if (!alg) {
		sa_alg_list(list, sizeof(list), sa_auth_algs,
			    SA_N(sa_auth_algs));
		return sa_fail(p, -EINVAL,
			       "unknown auth algorithm '%s' (want %s)", v[0],
			       list);
	}
	p->a->sa.auth = alg->id;
	p->has_auth = true;
	p->next_ctx = SA_CTX_AUTH;
	return 0;
}

static int sa_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "16, 24 or 32 bytes" */
static void sa_keylens(char *buf, size_t len, const struct sa_alg *alg)
{
	size_t n = 0, off = 0;

	while (n < sizeof(alg->keylen) && alg->keylen[n])
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%u",
					!i ? "" : i + 1 < n ? ", " : " or ",
					alg->keylen[i]);
	if (off < len)
		snprintf(buf + off, len - off, " bytes%s",
			 alg->salt ? " (key and 4-byte salt)" : "");
}

/* Decode len hex digits of s (an optional 0x first) into a key of alg. */
static int sa_key_hex(struct sa_parser *p, const struct sa_alg *alg,
		      const char *s, size_t len, uint8_t *key, size_t *keylen)
{
	char lens[64];
	size_t n, i;
	bool fits = false;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	}
	if (!len)
		return sa_fail(p, -EINVAL, "empty key for %s", alg->name);
	for (i = 0; i < len; i++) {
		if (sa_hexval(s[i]) < 0)
			return sa_fail(p, -EINVAL, "bad hex digit in the key for %s",
				       alg->name);
	}
	if (len % 2)
		return sa_fail(p, -EINVAL,
			       "odd number of hex digits in the key for %s",
			       alg->name);
	n = len / 2;
	for (i = 0; i < sizeof(alg->keylen) && alg->keylen[i]; i++)
		fits |= alg->keylen[i] == n;
	if (!fits || n > KERNEL_KEY_MAX) {
		sa_keylens(lens, sizeof(lens), alg);
		return sa_fail(p, -EINVAL, "key for %s must be %s, got %zu",
			       alg->name, lens, n);
	}
	for (i = 0; i < n; i++)
		key[i] = (uint8_t)(sa_hexval(s[2 * i]) << 4 |
				   sa_hexval(s[2 * i + 1]));
	*keylen = n;
	return 0;
}

/*
 * Read key text from fd into buf: all of it, or with line set up to the
 * first newline, one byte at a time so that nothing of the next line is
 * consumed and no stdio buffer keeps a copy.  Returns the length, or -1
 * with errno set (EFBIG when it does not fit).
 */
static ssize_t sa_read_text(int fd, char *buf, size_t len, bool line)
{
	size_t n = 0;

	for (;;) {
		ssize_t r = read(fd, buf + n, line ? 1 : len - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (!r)
			break;
		if (line && buf[n] == '\n')
			break;
		n += (size_t)r;
		if (n == len) {
			errno = EFBIG;
			return -1;
		}
	}
	return (ssize_t)n;
}

/* One line of standard input; from a terminal, prompted and not echoed. */
static ssize_t sa_read_stdin(const struct sa_alg *alg, char *buf, size_t len)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &old);
	ssize_t n;
	int err;

	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		fprintf(stderr, "key for %s (hex): ", alg->name);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	n = sa_read_text(STDIN_FILENO, buf, len, true);
	err = errno;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	errno = err;
	return n;
}

static bool sa_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int sa_opt_key(struct sa_parser *p, char **v)
{
	struct kernel_sa *sa = &p->a->sa;
	bool enc = p->ctx == SA_CTX_ENC;
	const struct sa_alg *alg;
	char text[SA_KEY_TEXT_MAX];
	const char *s = v[0];
	ssize_t len;
	int ret;

	if (p->ctx != SA_CTX_ENC && p->ctx != SA_CTX_AUTH)
		return sa_fail(p, -EINVAL,
			       "'key' must follow 'enc ALG' or 'auth ALG'");
	alg = enc ? sa_enc_by_id(sa->enc) : sa_auth_by_id(sa->auth);
	if (!alg->keylen[0])
		return sa_fail(p, -EINVAL, "enc %s takes no key", alg->name);
	if (enc ? p->has_enc_key : p->has_auth_key)
		return sa_fail(p, -EINVAL, "duplicate 'key' for %s", alg->name);

	if (s[0] != '@' && strcmp(s, "-")) {
		ret = sa_key_hex(p, alg, s, strlen(s),
				 enc ? sa->enc_key : sa->auth_key,
				 enc ? &sa->enc_key_len : &sa->auth_key_len);
		/* Shorten the time the key shows in /proc/PID/cmdline. */
		OPENSSL_cleanse(v[0], strlen(v[0]));
		goto out;
	}

	if (s[0] == '@') {
		int fd = open(s + 1, O_RDONLY | O_CLOEXEC | O_NOCTTY);

		if (fd < 0) {
			ret = errno;
			return sa_fail(p, -ret, "cannot open key file '%s': %s",
				       s + 1, strerror(ret));
		}
		len = sa_read_text(fd, text, sizeof(text), false);
		ret = errno;
		close(fd);
	} else {
		len = sa_read_stdin(alg, text, sizeof(text));
		ret = errno;
	}
	if (len < 0) {
		OPENSSL_cleanse(text, sizeof(text));
		if (ret == EFBIG)
			return sa_fail(p, -EINVAL, "key text in '%s' is too long",
				       s[0] == '@' ? s + 1 : "standard input");
		return sa_fail(p, -ret, "cannot read the key from %s%s%s: %s",
			       s[0] == '@' ? "'" : "",
			       s[0] == '@' ? s + 1 : "standard input",
			       s[0] == '@' ? "'" : "", strerror(ret));
	}
	s = text;
	while (len && sa_space(s[0])) {
		s++;
		len--;
	}
	while (len && sa_space(s[len - 1]))
		len--;
	ret = sa_key_hex(p, alg, s, (size_t)len,
			 enc ? sa->enc_key : sa->auth_key,
			 enc ? &sa->enc_key_len : &sa->auth_key_len);
	OPENSSL_cleanse(text, sizeof(text));
out:
	if (!ret && enc)
		p->has_enc_key = true;
	else if (!ret)
		p->has_auth_key = true;
	return ret;
}

static int sa_opt_esn(struct sa_parser *p, char **v)
{
	(void)v;
	p->a->sa.flags |= IKEVTI_SA_F_ESN;
	return 0;
}

static int sa_opt_legacy(struct sa_parser *p, char **v)
{
	(void)v;
	p->a->sa.flags |= IKEVTI_SA_F_LEGACY;
	return 0;
}

static int sa_opt_replay(struct sa_parser *p, char **v)
{
	uint64_t n;

	if (!sa_number(v[0], IKEVTI_REPLAY_WINDOW_MAX, &n))
		return sa_fail(p, -EINVAL, "bad replay window '%s' (want 0..%u)",
			       v[0], (unsigned int)IKEVTI_REPLAY_WINDOW_MAX);
	p->a->sa.has_replay_window = true;
	p->a->sa.replay_window = (uint32_t)n;
	return 0;
}

static int sa_opt_lifetime(struct sa_parser *p, char **v)
{
	static const char *const units[] = { "secs", "bytes", "packets" };
	struct kernel_lifetime *lt = &p->a->sa.lifetime;
	uint64_t *slot[3][2] = {
		{ &lt->soft_secs, &lt->hard_secs },
		{ &lt->soft_bytes, &lt->hard_bytes },
		{ &lt->soft_packets, &lt->hard_packets },
	};
	unsigned int hard, unit, bit;
	uint64_t n;

	if (!strcmp(v[0], "soft"))
		hard = 0;
	else if (!strcmp(v[0], "hard"))
		hard = 1;
	else
		return sa_fail(p, -EINVAL, "bad lifetime '%s' (want soft or hard)",
			       v[0]);
	for (unit = 0; unit < SA_N(units); unit++) {
		if (!strcmp(v[1], units[unit]))
			break;
	}
	if (unit == SA_N(units))
		return sa_fail(p, -EINVAL,
			       "bad lifetime unit '%s' (want secs, bytes or packets)",
			       v[1]);
	bit = 1U << (unit * 2 + hard);
	if (p->lt_seen & bit)
		return sa_fail(p, -EINVAL, "duplicate 'lifetime %s %s'", v[0],
			       v[1]);
	if (!sa_number(v[2], UINT64_MAX, &n))
		return sa_fail(p, -EINVAL, "bad lifetime value '%s' (want a number of %s)",
			       v[2], units[unit]);
	p->lt_seen |= bit;
	*slot[unit][hard] = n;
	p->a->sa.has_lifetime = true;
	return 0;
}

/* One address: its family, or 0. */
static uint8_t sa_addr(const char *s, uint8_t *out)
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, s, out) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, out) == 1)
		return AF_INET6;
	return 0;
}

/* ADDR[/PLEN] or ADDR-ADDR; ports and protocol left at "any". */
static int sa_selector(struct sa_parser *p, const char *spec,
		       struct kernel_ts *ts)
{
	char buf[2 * INET6_ADDRSTRLEN + 2], good[INET6_ADDRSTRLEN];
	char *sep, *rest = NULL;
	unsigned int alen, bits, i;
	uint8_t host = 0;
	uint64_t plen;
	bool prefix;

	if (strlen(spec) >= sizeof(buf))
		return sa_fail(p, -EINVAL, "bad selector '%s'", spec);
	strcpy(buf, spec);
	memset(ts, 0, sizeof(*ts));
	ts->port_end = 65535;
	sep = strpbrk(buf, "/-");
	prefix = sep && *sep == '/';
	if (sep) {
		*sep = '\0';
		rest = sep + 1;
	}
	ts->family = sa_addr(buf, ts->start);
	if (!ts->family)
		return sa_fail(p, -EINVAL,
			       "bad selector '%s' (want ADDR[/PLEN] or ADDR-ADDR)",
			       spec);
	alen = ts->family == AF_INET ? 4 : 16;
	bits = alen * 8;
	if (!sep) {
		memcpy(ts->end, ts->start, alen);
		return 0;
	}
	if (!prefix) {
		uint8_t fam = sa_addr(rest, ts->end);

		if (!fam)
			return sa_fail(p, -EINVAL,
				       "bad selector '%s' (want ADDR[/PLEN] or ADDR-ADDR)",
				       spec);
		if (fam != ts->family)
			return sa_fail(p, -EINVAL,
				       "selector '%s' mixes IPv4 and IPv6", spec);
		if (memcmp(ts->start, ts->end, alen) > 0)
			return sa_fail(p, -EINVAL,
				       "selector range '%s' ends before it starts",
				       spec);
		return 0;
	}
	if (!sa_number(rest, bits, &plen) || (rest[0] == '0' && rest[1]))
		return sa_fail(p, -EINVAL,
			       "bad prefix length in selector '%s' (want 0..%u)",
			       spec, bits);
	memcpy(ts->end, ts->start, alen);
	for (i = 0; i < alen; i++) {
		unsigned int keep = plen >= 8 * (i + 1) ? 8 :
				    plen > 8 * i ? (unsigned int)plen - 8 * i : 0;
		uint8_t mask = (uint8_t)(0xff00 >> keep);

		host |= ts->start[i] & (uint8_t)~mask;
		ts->start[i] &= mask;
		ts->end[i] |= (uint8_t)~mask;
	}
	if (host) {
		inet_ntop(ts->family, ts->start, good, sizeof(good));
		return sa_fail(p, -EINVAL,
			       "selector '%s' has host bits set (did you mean %s/%u?)",
			       spec, good, (unsigned int)plen);
	}
	return 0;
}

static int sa_opt_ts(struct sa_parser *p, char **v, bool local)
{
	struct kernel_sa *sa = &p->a->sa;
	unsigned int *n = local ? &sa->n_ts_local : &sa->n_ts_remote;
	struct kernel_ts *ts = local ? sa->ts_local : sa->ts_remote;
	int ret;

	if (*n == IKEVTI_TS_MAX)
		return sa_fail(p, -EINVAL, "too many %s selectors (at most %d)",
			       local ? "ts-local" : "ts-remote", IKEVTI_TS_MAX);
	ret = sa_selector(p, v[0], &ts[*n]);
	if (ret)
		return ret;
	p->ts = &ts[(*n)++];
	p->ts_proto = false;
	p->ts_port = false;
	p->next_ctx = SA_CTX_TS;
	return 0;
}

static int sa_opt_ts_local(struct sa_parser *p, char **v)
{
	return sa_opt_ts(p, v, true);
}

static int sa_opt_ts_remote(struct sa_parser *p, char **v)
{
	return sa_opt_ts(p, v, false);
}

static int sa_opt_proto(struct sa_parser *p, char **v)
{
	uint64_t n;
	int proto;

	if (p->ctx != SA_CTX_TS)
		return sa_fail(p, -EINVAL,
			       "'proto' must follow 'ts-local SEL' or 'ts-remote SEL'");
	if (p->ts_proto)
		return sa_fail(p, -EINVAL, "duplicate 'proto' for one selector");
	proto = sa_lookup(sa_protos, SA_N(sa_protos), v[0]);
	if (proto < 0) {
		if (!sa_number(v[0], 255, &n))
			return sa_fail(p, -EINVAL,
				       "bad protocol '%s' (want 0..255, any, tcp, udp, icmp, ...)",
				       v[0]);
		proto = (int)n;
	}
	p->ts->proto = (uint8_t)proto;
	p->ts_proto = true;
	p->next_ctx = SA_CTX_TS;
	return 0;
}

static int sa_opt_port(struct sa_parser *p, char **v)
{
	char buf[16], *dash;
	uint64_t lo, hi;

	if (p->ctx != SA_CTX_TS)
		return sa_fail(p, -EINVAL,
			       "'port' must follow 'ts-local SEL' or 'ts-remote SEL'");
	if (p->ts_port)
		return sa_fail(p, -EINVAL, "duplicate 'port' for one selector");
	if (strlen(v[0]) >= sizeof(buf))
		goto bad;
	strcpy(buf, v[0]);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (!sa_number(buf, 65535, &lo))
		goto bad;
	hi = lo;
	if (dash && !sa_number(dash + 1, 65535, &hi))
		goto bad;
	if (hi < lo)
		goto bad;
	p->ts->port_start = (uint16_t)lo;
	p->ts->port_end = (uint16_t)hi;
	p->ts_port = true;
	p->next_ctx = SA_CTX_TS;
	return 0;
bad:
	return sa_fail(p, -EINVAL, "bad port '%s' (want P or P-P, 0..65535)",
		       v[0]);
}

/* The module cannot encapsulate ESP in UDP yet: refused, not dropped. */
static int sa_opt_encap(struct sa_parser *p, char **v)
{
	(void)v;
	return sa_fail(p, -EINVAL,
		       "'encap' is not supported yet (UDP-encapsulated ESP is not implemented)");
}

static int sa_opt_cookie(struct sa_parser *p, char **v)
{
	uint64_t n;

	if (!sa_number(v[0], UINT32_MAX, &n))
		return sa_fail(p, -EINVAL, "bad cookie '%s' (want 0..0xffffffff)",
			       v[0]);
	p->a->sa.cookie = (uint32_t)n;
	return 0;
}

/* The last number sent; the kernel checks it against ESN and the direction. */
static int sa_opt_seq(struct sa_parser *p, char **v)
{
	uint64_t n;

	if (!sa_number(v[0], UINT64_MAX, &n))
		return sa_fail(p, -EINVAL, "bad sequence number '%s'", v[0]);
	p->a->sa.has_seq = true;
	p->a->sa.seq = n;
	return 0;
}

/* v[-1] is the keyword itself: "manual" or "negotiated". */
static int sa_opt_origin(struct sa_parser *p, char **v)
{
	if (p->a->flush_origin)
		return sa_fail(p, -EINVAL,
			       "give 'manual' or 'negotiated', not both");
	p->a->flush_origin = (uint8_t)sa_lookup(sa_origins, SA_N(sa_origins),
						v[-1]);
	return 0;
}

#define SA_CHANGE	(OP(ADD) | OP(SET))
#define SA_ID		(OP(ADD) | OP(SET) | OP(DEL) | OP(SHOW))

static const struct sa_opt sa_opts[] = {
	{ "dir", SA_ID, false, 1, "in|out", sa_opt_dir },
	{ "spi", SA_ID, false, 1, "SPI", sa_opt_spi },
	{ "enc", OP(ADD), false, 1, "ALG", sa_opt_enc },
	{ "auth", OP(ADD), false, 1, "ALG", sa_opt_auth },
	{ "key", OP(ADD), true, 1, "HEX, @FILE or -", sa_opt_key },
	{ "esn", OP(ADD), false, 0, NULL, sa_opt_esn },
	{ "legacy", OP(ADD), false, 0, NULL, sa_opt_legacy },
	{ "replay-window", SA_CHANGE, false, 1, "N", sa_opt_replay },
	{ "lifetime", SA_CHANGE, true, 3, "soft|hard secs|bytes|packets N",
	  sa_opt_lifetime },
	{ "ts-local", SA_CHANGE, true, 1, "ADDR[/PLEN] or ADDR-ADDR",
	  sa_opt_ts_local },
	{ "ts-remote", SA_CHANGE, true, 1, "ADDR[/PLEN] or ADDR-ADDR",
	  sa_opt_ts_remote },
	{ "proto", SA_CHANGE, true, 1, "N or a name", sa_opt_proto },
	{ "port", SA_CHANGE, true, 1, "P or P-P", sa_opt_port },
	{ "encap", OP(ADD), false, 0, NULL, sa_opt_encap },
	{ "cookie", OP(ADD), false, 1, "N", sa_opt_cookie },
	{ "seq", OP(ADD), false, 1, "N", sa_opt_seq },
	{ "manual", OP(FLUSH), false, 0, NULL, sa_opt_origin },
	{ "negotiated", OP(FLUSH), false, 0, NULL, sa_opt_origin },
};

_Static_assert(SA_N(sa_opts) <= 32, "sa_parser.seen has a bit per option");

static const struct sa_opt *sa_opt_find(const char *name)
{
	for (size_t i = 0; i < SA_N(sa_opts); i++) {
		if (!strcmp(sa_opts[i].name, name))
			return &sa_opts[i];
	}
	return NULL;
}

static bool sa_given(const struct sa_parser *p, const char *name)
{
	return p->seen & (1U << (sa_opt_find(name) - sa_opts));
}

static int sa_device(struct sa_parser *p, const char *name)
{
	if (!name[0] || strlen(name) >= KERNEL_IFNAMSIZ || strchr(name, '/') ||
	    strpbrk(name, " \t\n"))
		return sa_fail(p, -EINVAL, "bad device name '%s'", name);
	strcpy(p->a->ifname, name);
	p->a->ifindex = if_nametoindex(name);
	if (!p->a->ifindex)
		return sa_fail(p, -ENODEV, "device '%s' not found", name);
	return 0;
}

static bool sa_lifetime_ok(struct sa_parser *p, uint64_t soft, uint64_t hard,
			   const char *unit)
{
	if (!soft || !hard || soft <= hard)
		return true;
	sa_fail(p, -EINVAL, "soft lifetime %llu %s exceeds the hard one, %llu",
		(unsigned long long)soft, unit, (unsigned long long)hard);
	return false;
}

/* The checks that need the whole command line. */
static int sa_check(struct sa_parser *p)
{
	struct kernel_sa *sa = &p->a->sa;
	const struct kernel_lifetime *lt = &sa->lifetime;
	const struct sa_alg *enc, *auth;

	if (p->op == SA_OP_FLUSH)
		return 0;
	if (p->op == SA_OP_SHOW) {
		if (sa_given(p, "dir") != sa_given(p, "spi"))
			return sa_fail(p, -EINVAL, "'%s' needs '%s'",
				       sa_given(p, "dir") ? "dir" : "spi",
				       sa_given(p, "dir") ? "spi" : "dir");
		p->a->has_id = sa_given(p, "dir");
		return 0;
	}
	if (!sa_given(p, "dir"))
		return sa_fail(p, -EINVAL, "missing 'dir'");
	if (!sa_given(p, "spi"))
		return sa_fail(p, -EINVAL, "missing 'spi'");
	p->a->has_id = true;
	if (p->op == SA_OP_SET && !sa->has_replay_window && !sa->has_lifetime &&
	    !sa->n_ts_local && !sa->n_ts_remote)
		return sa_fail(p, -EINVAL,
			       "nothing to change (want replay-window, lifetime, ts-local or ts-remote)");
	if (!sa_lifetime_ok(p, lt->soft_secs, lt->hard_secs, "secs") ||
	    !sa_lifetime_ok(p, lt->soft_bytes, lt->hard_bytes, "bytes") ||
	    !sa_lifetime_ok(p, lt->soft_packets, lt->hard_packets, "packets"))
		return -EINVAL;
	if (p->op != SA_OP_ADD)
		return 0;

	if (!p->has_enc)
		return sa_fail(p, -EINVAL, "missing 'enc'");
	enc = sa_enc_by_id(sa->enc);
	if (enc->keylen[0] && !p->has_enc_key)
		return sa_fail(p, -EINVAL, "missing 'key' for %s", enc->name);
	if (enc->aead && p->has_auth)
		return sa_fail(p, -EINVAL,
			       "%s is an AEAD and takes no 'auth'", enc->name);
	if (!enc->aead && !p->has_auth)
		return sa_fail(p, -EINVAL, "enc %s needs 'auth'", enc->name);
	if (p->has_auth) {
		auth = sa_auth_by_id(sa->auth);
		if (!p->has_auth_key)
			return sa_fail(p, -EINVAL, "missing 'key' for %s",
				       auth->name);
	}
	if (sa->enc == IKEVTI_ENC_DES_CBC && !(sa->flags & IKEVTI_SA_F_LEGACY))
		return sa_fail(p, -EINVAL,
			       "des-cbc is broken; add 'legacy' to use it anyway");
	sa->origin = IKEVTI_ORIGIN_MANUAL;
	return 0;
}

int sa_args_parse(enum sa_op op, int argc, char **argv, struct sa_args *a,
		  char *err, size_t errlen)
{
	struct sa_parser p = {
		.op = op, .a = a, .argc = argc, .argv = argv,
		.err = err, .errlen = errlen,
	};
	int ret;

	memset(a, 0, sizeof(*a));
	err[0] = '\0';
	if (!argc) {
		if (op == SA_OP_SHOW)
			return 0;
		return sa_fail(&p, -EINVAL, "missing device");
	}
	if (sa_opt_find(argv[0]))
		return sa_fail(&p, -EINVAL, "missing device before '%s'",
			       argv[0]);
	ret = sa_device(&p, argv[0]);
	if (ret)
		return ret;

	for (p.i = 1; p.i < argc;) {
		const char *word = argv[p.i];
		const struct sa_opt *o = sa_opt_find(word);
		uint32_t bit;

		if (!o)
			return sa_fail(&p, -EINVAL, "unknown argument '%s'", word);
		if (!(o->ops & (1U << op)))
			return sa_fail(&p, -EINVAL, "'%s' is not valid with sa %s",
				       word, sa_op_name(op));
		bit = 1U << (o - sa_opts);
		if ((p.seen & bit) && !o->repeat)
			return sa_fail(&p, -EINVAL, "duplicate '%s'", word);
		if (p.i + o->nargs >= argc)
			return sa_fail(&p, -EINVAL, "'%s' needs %s", word,
				       o->want);
		p.seen |= bit;
		p.ctx = p.next_ctx;
		p.next_ctx = SA_CTX_NONE;
		ret = o->parse(&p, argv + p.i + 1);
		p.i += 1 + o->nargs;
		if (ret)
			return ret;
	}
	return sa_check(&p);
}

void sa_args_wipe(struct sa_args *a)
{
	kernel_sa_wipe(&a->sa);
}

void sa_args_usage(FILE *f)
{
	char list[128];
	size_t i;

	fprintf(f,
		"Usage: ikevtictl [--json] sa COMMAND ...\n"
		"\n"
		"  sa add DEV dir in|out spi SPI enc ALG [key KEY] [auth ALG key KEY]\n"
		"         [esn] [legacy] [replay-window N]\n"
		"         [lifetime soft|hard secs|bytes|packets N]...\n"
		"         [ts-local SEL [proto P] [port P[-P]]]... [ts-remote SEL ...]...\n"
		"         [cookie N] [seq N]\n"
		"  sa set DEV dir in|out spi SPI [replay-window N] [lifetime ...]...\n"
		"         [ts-local SEL ...]... [ts-remote SEL ...]...\n"
		"  sa del DEV dir in|out spi SPI\n"
		"  sa show [DEV [dir in|out spi SPI]]\n"
		"  sa flush DEV [manual|negotiated]\n"
		"\n"
		"  SPI   0x100..0xffffffff (hex after 0x, or decimal)\n"
		"  SEL   ADDR[/PLEN] or ADDR-ADDR, IPv4 or IPv6; P: a number or a\n"
		"        name (any, tcp, udp, icmp, ipv6-icmp, sctp, ...)\n");
	sa_alg_list(list, sizeof(list), sa_enc_algs, SA_N(sa_enc_algs));
	fprintf(f, "  enc   %s\n", list);
	for (i = 0; i < SA_N(sa_enc_algs); i++) {
		char lens[64];

		if (!sa_enc_algs[i].keylen[0])
			continue;
		sa_keylens(lens, sizeof(lens), &sa_enc_algs[i]);
		fprintf(f, "        %-18s key of %s%s\n", sa_enc_algs[i].name,
			lens, sa_enc_algs[i].id == IKEVTI_ENC_DES_CBC ?
			", needs 'legacy'" : "");
	}
	sa_alg_list(list, sizeof(list), sa_auth_algs, SA_N(sa_auth_algs));
	fprintf(f, "  auth  %s\n", list);
	fprintf(f,
		"        (needed unless enc is an AEAD: aes-gcm, chacha20-poly1305)\n"
		"  KEY   HEX    hex digits, 0x first or not; other users can see it\n"
		"               in the process list, so prefer:\n"
		"        @FILE  read the hex from FILE\n"
		"        -      read the hex from one line of standard input\n"
		"               (each 'key -' reads the next line)\n"
		"\n"
		"Manual SAs get origin manual.  Limits of 0 mean none; when sa set\n"
		"gets any 'lifetime', the limits it does not name become none.  The\n"
		"selectors given to sa set replace that side's list; the other side\n"
		"keeps its own.  Keys are never shown.\n");
}
