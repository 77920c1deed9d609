// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for tools/sa_args.c: "ikevtictl sa" command lines, good and bad,
 * into struct kernel_sa, with the exact message for each mistake.  The
 * device is "lo", which every network namespace has.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

#include "sa_args.h"
#include "tap.h"

#define K16	"00112233445566778899aabbccddeeff"
#define K32	K16 K16
#define K20	K16 "01020304"
#define K36	K32 "01020304"

static struct sa_args a;
static char err[256];

/* Split line at blanks and parse it as "sa <op> ...". */
static int run(enum sa_op op, const char *line)
{
	char *copy = strdup(line), *argv[128], *tok, *save = NULL;
	int argc = 0, ret;

	for (tok = strtok_r(copy, " ", &save); tok && argc < 127;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	ret = sa_args_parse(op, argc, argv, &a, err, sizeof(err));
	free(copy);
	return ret;
}

/* The line must fail with -EINVAL and exactly this message. */
static void bad(enum sa_op op, const char *line, const char *msg)
{
	int ret = run(op, line);

	if (!is_int(ret, -EINVAL, "refused: %s", line))
		return;
	is_str(err, msg, "  message");
}

static void good(enum sa_op op, const char *line)
{
	int ret = run(op, line);

	if (!ok(ret == 0, "parsed: %s", line))
		printf("#   %d: %s\n", ret, err);
}

static bool bytes_are(const uint8_t *p, const char *hex, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1 || p[i] != v)
			return false;
	}
	return true;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i])
			return false;
	}
	return true;
}

static bool addr_is(const uint8_t *p, int family, const char *s)
{
	uint8_t want[16] = { 0 };

	inet_pton(family, s, want);
	return !memcmp(p, want, 16);
}

static void test_add(void)
{
	unsigned int lo = if_nametoindex("lo");
	struct kernel_sa *sa = &a.sa;

	good(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key " K32
	     " auth hmac-sha256-128 key " K32);
	ok(!strcmp(a.ifname, "lo") && a.ifindex == lo && lo,
	   "device resolved to its ifindex (%u)", a.ifindex);
	ok(sa->dir == IKEVTI_DIR_IN && sa->spi == 0x1000 && a.has_id,
	   "dir and SPI, host order");
	ok(sa->enc == IKEVTI_ENC_AES_CBC && sa->enc_key_len == 32 &&
	   bytes_are(sa->enc_key, K32, 32), "aes-cbc with a 32-byte key");
	ok(sa->auth == IKEVTI_AUTH_HMAC_SHA256_128 && sa->auth_key_len == 32 &&
	   bytes_are(sa->auth_key, K32, 32), "hmac-sha256-128 and its key");
	ok(sa->origin == IKEVTI_ORIGIN_MANUAL && !sa->flags &&
	   !sa->has_replay_window && !sa->has_lifetime && !sa->n_ts_local &&
	   !sa->n_ts_remote && !sa->cookie,
	   "origin manual; nothing else set");

	good(SA_OP_ADD, "lo dir out spi 4096 enc aes-cbc key 0XA0B1C2D3E4F5061728394A5B6C7D8E9F"
	     " auth hmac-sha1-96 key 0xAABBCCDDEEFF00112233445566778899AABBCCDD");
	ok(sa->dir == IKEVTI_DIR_OUT && sa->spi == 4096,
	   "decimal SPI, dir out");
	ok(sa->enc_key_len == 16 &&
	   bytes_are(sa->enc_key, "a0b1c2d3e4f5061728394a5b6c7d8e9f", 16),
	   "upper-case hex with 0X");
	ok(sa->auth_key_len == 20 &&
	   bytes_are(sa->auth_key, "aabbccddeeff00112233445566778899aabbccdd",
		     20), "hex with 0x");

	good(SA_OP_ADD, "lo dir in spi 0x100 enc aes-cbc key " K16 "0011223344556677"
	     " auth hmac-sha512-256 key " K32 K32 " esn");
	ok(sa->enc_key_len == 24 && sa->auth_key_len == 64 &&
	   sa->flags == IKEVTI_SA_F_ESN, "aes-192, sha512 key, esn");

	good(SA_OP_ADD, "lo dir in spi 0x101 enc aes-gcm key " K20);
	ok(sa->enc == IKEVTI_ENC_AES_GCM_16 && sa->enc_key_len == 20 &&
	   sa->auth == IKEVTI_AUTH_NONE && !sa->auth_key_len,
	   "aes-gcm, 16-byte key and salt, no auth");
	good(SA_OP_ADD, "lo dir in spi 0x101 enc aes-gcm key " K16 "0011223344556677"
	     "01020304");
	ok(sa->enc == IKEVTI_ENC_AES_GCM_16 && sa->enc_key_len == 28,
	   "aes-gcm, 24-byte key and salt (AES-192-GCM)");
	good(SA_OP_ADD, "lo dir in spi 0x101 enc aes-gcm key " K36);
	ok(sa->enc == IKEVTI_ENC_AES_GCM_16 && sa->enc_key_len == 36 &&
	   !memcmp(sa->enc_key + 32, "\x01\x02\x03\x04", 4),
	   "aes-gcm, 32-byte key and salt, the salt last");
	good(SA_OP_ADD, "lo dir in spi 0x101 enc chacha20-poly1305 key " K36);
	ok(sa->enc == IKEVTI_ENC_CHACHA20_POLY1305 && sa->enc_key_len == 36,
	   "chacha20-poly1305 with salt");
	good(SA_OP_ADD, "lo dir in spi 0x101 enc 3des-cbc key " K16 "0011223344556677"
	     " auth hmac-md5-96 key " K16);
	ok(sa->enc == IKEVTI_ENC_3DES_CBC && sa->enc_key_len == 24 &&
	   sa->auth == IKEVTI_AUTH_HMAC_MD5_96 && sa->auth_key_len == 16,
	   "3des-cbc and hmac-md5-96");
	good(SA_OP_ADD, "lo dir in spi 0x101 enc des-cbc key 0011223344556677 legacy"
	     " auth hmac-sha384-192 key " K16 K32);
	ok(sa->enc == IKEVTI_ENC_DES_CBC && sa->flags == IKEVTI_SA_F_LEGACY &&
	   sa->auth == IKEVTI_AUTH_HMAC_SHA384_192 && sa->auth_key_len == 48,
	   "des-cbc with legacy, hmac-sha384-192");
	good(SA_OP_ADD, "lo auth hmac-sha1-96 key " K20 " enc null spi 0x102 dir out");
	ok(sa->enc == IKEVTI_ENC_NULL && !sa->enc_key_len &&
	   sa->auth == IKEVTI_AUTH_HMAC_SHA1_96 && sa->dir == IKEVTI_DIR_OUT,
	   "enc null with auth, in any order");

	good(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20
	     " replay-window 0 cookie 0xffffffff");
	ok(sa->has_replay_window && sa->replay_window == 0,
	   "replay-window 0 is kept, not 'absent'");
	is_int(sa->cookie, 0xffffffffu, "cookie in hex");
	good(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20
	     " replay-window 1048576 cookie 7");
	ok(sa->replay_window == IKEVTI_REPLAY_WINDOW_MAX && sa->cookie == 7,
	   "largest replay window, decimal cookie");

	good(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20
	     " lifetime soft secs 3000 lifetime hard secs 3600"
	     " lifetime hard bytes 1000000000 lifetime soft packets 10"
	     " lifetime hard packets 20");
	ok(sa->has_lifetime && sa->lifetime.soft_secs == 3000 &&
	   sa->lifetime.hard_secs == 3600 && !sa->lifetime.soft_bytes &&
	   sa->lifetime.hard_bytes == 1000000000 &&
	   sa->lifetime.soft_packets == 10 && sa->lifetime.hard_packets == 20,
	   "lifetimes, each in its slot");
}

static void test_spi_dir(void)
{
	const char *spis[] = { "zz", "0xff", "255", "0x100000000", "4294967296",
			       "0x", "", "-1", "+256", " 256", "0x1g0", "1e3" };
	char line[128], msg[128];

	for (size_t i = 0; i < sizeof(spis) / sizeof(spis[0]); i++) {
		if (!spis[i][0] || spis[i][0] == ' ')
			continue;	/* blanks split words */
		snprintf(line, sizeof(line), "lo dir in spi %s enc aes-gcm key " K20,
			 spis[i]);
		snprintf(msg, sizeof(msg), "bad SPI '%s' (want 0x100..0xffffffff)",
			 spis[i]);
		bad(SA_OP_ADD, line, msg);
	}
	good(SA_OP_DEL, "lo dir in spi 256");
	is_int(a.sa.spi, 256, "SPI 256 is the lowest");
	good(SA_OP_DEL, "lo dir out spi 0xFFFFFFFF");
	is_int(a.sa.spi, 0xffffffffu, "SPI 0xffffffff is the highest");
	good(SA_OP_DEL, "lo dir out spi 0x00000100");
	bad(SA_OP_DEL, "lo dir sideways spi 0x100",
	    "bad dir 'sideways' (want in or out)");
	bad(SA_OP_DEL, "lo dir IN spi 0x100", "bad dir 'IN' (want in or out)");
}

static void test_keys(void)
{
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key 00112233445566778899aabbccddee auth hmac-sha256-128 key " K32,
	    "key for aes-cbc must be 16, 24 or 32 bytes, got 15");
	ok(!strstr(err, "0011"), "the message does not show the key");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key " K32 "00 auth hmac-sha256-128 key " K32,
	    "key for aes-cbc must be 16, 24 or 32 bytes, got 33");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key " K32 K32 K32,
	    "key for aes-cbc must be 16, 24 or 32 bytes, got 96");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K16,
	    "key for aes-gcm must be 20, 28 or 36 bytes (key and 4-byte salt), got 16");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K32,
	    "key for aes-gcm must be 20, 28 or 36 bytes (key and 4-byte salt), got 32");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K36 "05",
	    "key for aes-gcm must be 20, 28 or 36 bytes (key and 4-byte salt), got 37");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc chacha20-poly1305 key " K32,
	    "key for chacha20-poly1305 must be 36 bytes (key and 4-byte salt), got 32");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc 3des-cbc key " K16,
	    "key for 3des-cbc must be 24 bytes, got 16");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key 0x" K16 "0",
	    "odd number of hex digits in the key for aes-gcm");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K16 "0102030g",
	    "bad hex digit in the key for aes-gcm");
	ok(!strstr(err, "0102"), "the message does not show the key");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key 0x",
	    "empty key for aes-gcm");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key " K16 " auth hmac-sha256-128 key " K16,
	    "key for hmac-sha256-128 must be 32 bytes, got 16");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key " K16 " auth hmac-md5-96 key " K20,
	    "key for hmac-md5-96 must be 16 bytes, got 20");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key " K16 " auth hmac-sha1-96 key " K16,
	    "key for hmac-sha1-96 must be 20 bytes, got 16");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key " K16 " key " K16 " auth hmac-sha1-96 key " K20,
	    "'key' must follow 'enc ALG' or 'auth ALG'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 key " K16 " enc aes-cbc",
	    "'key' must follow 'enc ALG' or 'auth ALG'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc esn key " K16,
	    "'key' must follow 'enc ALG' or 'auth ALG'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc null key " K16,
	    "enc null takes no key");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key",
	    "'key' needs HEX, @FILE or -");
}

static void test_algorithms(void)
{
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-xts key " K32,
	    "unknown enc algorithm 'aes-xts' (want null, des-cbc, 3des-cbc, aes-cbc, aes-gcm, chacha20-poly1305)");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key " K16 " auth sha256 key " K32,
	    "unknown auth algorithm 'sha256' (want hmac-md5-96, hmac-sha1-96, hmac-sha256-128, hmac-sha384-192, hmac-sha512-256)");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " auth hmac-sha256-128 key " K32,
	    "aes-gcm is an AEAD and takes no 'auth'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key " K16,
	    "enc aes-cbc needs 'auth'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc null",
	    "enc null needs 'auth'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key " K16 " auth hmac-sha256-128",
	    "missing 'key' for hmac-sha256-128");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc des-cbc key 0011223344556677 auth hmac-sha1-96 key " K20,
	    "des-cbc is broken; add 'legacy' to use it anyway");
}

static void test_missing_dup(void)
{
	bad(SA_OP_ADD, "", "missing device");
	bad(SA_OP_ADD, "dir in spi 0x1000", "missing device before 'dir'");
	bad(SA_OP_ADD, "lo spi 0x1000 enc aes-gcm key " K20, "missing 'dir'");
	bad(SA_OP_ADD, "lo dir in enc aes-gcm key " K20, "missing 'spi'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000", "missing 'enc'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm", "missing 'key' for aes-gcm");
	bad(SA_OP_ADD, "lo dir in spi", "'spi' needs SPI");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc", "'enc' needs ALG");
	bad(SA_OP_ADD, "lo dir in dir out spi 0x1000", "duplicate 'dir'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 spi 0x1001", "duplicate 'spi'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " key " K20,
	    "'key' must follow 'enc ALG' or 'auth ALG'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm enc aes-gcm",
	    "duplicate 'enc'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " esn esn",
	    "duplicate 'esn'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " replay-window 1 replay-window 2",
	    "duplicate 'replay-window'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " lifetime hard secs 1 lifetime hard secs 2",
	    "duplicate 'lifetime hard secs'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " frobnicate",
	    "unknown argument 'frobnicate'");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " encap 4500 4501",
	    "'encap' is not supported yet (UDP-encapsulated ESP is not implemented)");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " lifetime hard secs",
	    "'lifetime' needs soft|hard secs|bytes|packets N");
	bad(SA_OP_ADD, "lo0123456789abcdef dir in", "bad device name 'lo0123456789abcdef'");

	is_int(run(SA_OP_ADD, "no-such-dev0 dir in spi 0x1000"), -ENODEV,
	       "a device that does not exist is not a usage error");
	is_str(err, "device 'no-such-dev0' not found", "  message");
}

static void test_numbers(void)
{
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " replay-window 1048577",
	    "bad replay window '1048577' (want 0..1048576)");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " replay-window x",
	    "bad replay window 'x' (want 0..1048576)");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " lifetime medium secs 1",
	    "bad lifetime 'medium' (want soft or hard)");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " lifetime soft hours 1",
	    "bad lifetime unit 'hours' (want secs, bytes or packets)");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " lifetime soft bytes 1k",
	    "bad lifetime value '1k' (want a number of bytes)");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " lifetime soft bytes 18446744073709551616",
	    "bad lifetime value '18446744073709551616' (want a number of bytes)");
	good(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " lifetime hard bytes 18446744073709551615");
	ok(a.sa.lifetime.hard_bytes == UINT64_MAX, "largest byte limit");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " lifetime soft secs 3601 lifetime hard secs 3600",
	    "soft lifetime 3601 secs exceeds the hard one, 3600");
	good(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " lifetime soft packets 5 lifetime hard packets 5");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key " K20 " cookie 0x100000000",
	    "bad cookie '0x100000000' (want 0..0xffffffff)");
}

static void test_selectors(void)
{
	const struct kernel_ts *ts = a.sa.ts_local, *tr = a.sa.ts_remote;
	char line[4096];
	size_t off;

	good(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20
	     " ts-local 10.0.0.0/24 proto tcp port 80"
	     " ts-local 192.0.2.1 port 1000-2000 proto 132"
	     " ts-remote 2001:db8::/32 ts-remote 2001:db8::1-2001:db8::ff proto ipv6-icmp"
	     " ts-remote 0.0.0.0/0 ts-remote ::/0");
	is_int(a.sa.n_ts_local, 2, "two local selectors");
	ok(ts[0].family == AF_INET && addr_is(ts[0].start, AF_INET, "10.0.0.0") &&
	   addr_is(ts[0].end, AF_INET, "10.0.0.255") && ts[0].proto == 6 &&
	   ts[0].port_start == 80 && ts[0].port_end == 80,
	   "10.0.0.0/24 proto tcp port 80");
	ok(ts[1].family == AF_INET && addr_is(ts[1].start, AF_INET, "192.0.2.1") &&
	   addr_is(ts[1].end, AF_INET, "192.0.2.1") && ts[1].proto == 132 &&
	   ts[1].port_start == 1000 && ts[1].port_end == 2000,
	   "one address, a port range, then a protocol number");
	is_int(a.sa.n_ts_remote, 4, "four remote selectors");
	ok(tr[0].family == AF_INET6 &&
	   addr_is(tr[0].start, AF_INET6, "2001:db8::") &&
	   addr_is(tr[0].end, AF_INET6, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff") &&
	   !tr[0].proto && tr[0].port_start == 0 && tr[0].port_end == 65535,
	   "IPv6 prefix, any protocol and port");
	ok(tr[1].family == AF_INET6 &&
	   addr_is(tr[1].start, AF_INET6, "2001:db8::1") &&
	   addr_is(tr[1].end, AF_INET6, "2001:db8::ff") && tr[1].proto == 58,
	   "IPv6 range, protocol by name");
	ok(addr_is(tr[2].start, AF_INET, "0.0.0.0") &&
	   addr_is(tr[2].end, AF_INET, "255.255.255.255"), "0.0.0.0/0");
	ok(addr_is(tr[3].start, AF_INET6, "::") &&
	   addr_is(tr[3].end, AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
	   "::/0");
	good(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20
	     " ts-local 2001:db8::/61 ts-local 10.1.2.128/25");
	ok(addr_is(ts[0].end, AF_INET6, "2001:db8:0:7:ffff:ffff:ffff:ffff") &&
	   addr_is(ts[1].end, AF_INET, "10.1.2.255"),
	   "prefixes that do not end on a byte");

	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.1/24",
	    "selector '10.0.0.1/24' has host bits set (did you mean 10.0.0.0/24?)");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 2001:db8::1/64",
	    "selector '2001:db8::1/64' has host bits set (did you mean 2001:db8::/64?)");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.0/33",
	    "bad prefix length in selector '10.0.0.0/33' (want 0..32)");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 2001:db8::/129",
	    "bad prefix length in selector '2001:db8::/129' (want 0..128)");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.0/024",
	    "bad prefix length in selector '10.0.0.0/024' (want 0..32)");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.0/",
	    "bad prefix length in selector '10.0.0.0/' (want 0..32)");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.256",
	    "bad selector '10.0.0.256' (want ADDR[/PLEN] or ADDR-ADDR)");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.1-2001:db8::1",
	    "selector '10.0.0.1-2001:db8::1' mixes IPv4 and IPv6");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.9-10.0.0.1",
	    "selector range '10.0.0.9-10.0.0.1' ends before it starts");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.1-",
	    "bad selector '10.0.0.1-' (want ADDR[/PLEN] or ADDR-ADDR)");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " proto tcp",
	    "'proto' must follow 'ts-local SEL' or 'ts-remote SEL'");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.1 esn port 80",
	    "'port' must follow 'ts-local SEL' or 'ts-remote SEL'");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.1 proto tcp proto udp",
	    "duplicate 'proto' for one selector");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.1 port 1 port 2",
	    "duplicate 'port' for one selector");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.1 proto 256",
	    "bad protocol '256' (want 0..255, any, tcp, udp, icmp, ...)");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.1 port 2000-1000",
	    "bad port '2000-1000' (want P or P-P, 0..65535)");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.1 port 65536",
	    "bad port '65536' (want P or P-P, 0..65535)");
	bad(SA_OP_ADD, "lo dir out spi 0x1000 enc aes-gcm key " K20 " ts-local 10.0.0.1 port 1-",
	    "bad port '1-' (want P or P-P, 0..65535)");

	off = (size_t)snprintf(line, sizeof(line),
			       "lo dir out spi 0x1000 enc aes-gcm key " K20);
	for (int i = 0; i < IKEVTI_TS_MAX; i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off,
					" ts-remote 10.0.%d.0/24", i);
	good(SA_OP_ADD, line);
	is_int(a.sa.n_ts_remote, IKEVTI_TS_MAX, "IKEVTI_TS_MAX selectors fit");
	snprintf(line + off, sizeof(line) - off, " ts-remote 10.1.0.0/24");
	bad(SA_OP_ADD, line, "too many ts-remote selectors (at most 16)");
}

static void test_other_ops(void)
{
	bad(SA_OP_SET, "lo dir in spi 0x1000 enc aes-cbc",
	    "'enc' is not valid with sa set");
	bad(SA_OP_SET, "lo dir in spi 0x1000 cookie 1",
	    "'cookie' is not valid with sa set");
	bad(SA_OP_SET, "lo dir in spi 0x1000",
	    "nothing to change (want replay-window, lifetime, ts-local or ts-remote)");
	good(SA_OP_SET, "lo dir in spi 0x1000 lifetime hard secs 60");
	ok(a.sa.has_lifetime && a.sa.lifetime.hard_secs == 60 &&
	   !a.sa.lifetime.soft_secs && !a.sa.has_replay_window &&
	   !a.sa.origin, "sa set: the lifetime alone, origin untouched");
	good(SA_OP_SET, "lo dir out spi 0x1000 replay-window 64 ts-remote 10.9.0.0/16");
	ok(a.sa.has_replay_window && a.sa.replay_window == 64 &&
	   !a.sa.has_lifetime && a.sa.n_ts_remote == 1 && !a.sa.n_ts_local,
	   "sa set: replay window and one selector list");

	good(SA_OP_DEL, "lo dir out spi 0x2000");
	ok(a.has_id && a.sa.dir == IKEVTI_DIR_OUT && a.sa.spi == 0x2000,
	   "sa del");
	bad(SA_OP_DEL, "lo dir out", "missing 'spi'");
	bad(SA_OP_DEL, "lo dir out spi 0x2000 replay-window 1",
	    "'replay-window' is not valid with sa del");

	good(SA_OP_SHOW, "");
	ok(!a.ifindex && !a.ifname[0] && !a.has_id, "sa show: every device");
	good(SA_OP_SHOW, "lo");
	ok(a.ifindex && !a.has_id, "sa show DEV");
	good(SA_OP_SHOW, "lo spi 0x3000 dir in");
	ok(a.has_id && a.sa.spi == 0x3000 && a.sa.dir == IKEVTI_DIR_IN,
	   "sa show DEV dir spi");
	bad(SA_OP_SHOW, "lo dir in", "'dir' needs 'spi'");
	bad(SA_OP_SHOW, "lo spi 0x3000", "'spi' needs 'dir'");
	bad(SA_OP_SHOW, "spi 0x3000", "missing device before 'spi'");

	good(SA_OP_FLUSH, "lo");
	is_int(a.flush_origin, 0, "sa flush: every SA");
	good(SA_OP_FLUSH, "lo manual");
	is_int(a.flush_origin, IKEVTI_ORIGIN_MANUAL, "sa flush manual");
	good(SA_OP_FLUSH, "lo negotiated");
	is_int(a.flush_origin, IKEVTI_ORIGIN_NEGOTIATED, "sa flush negotiated");
	bad(SA_OP_FLUSH, "lo manual negotiated",
	    "give 'manual' or 'negotiated', not both");
	bad(SA_OP_FLUSH, "lo manual manual", "duplicate 'manual'");
	bad(SA_OP_FLUSH, "lo automatic", "unknown argument 'automatic'");
	bad(SA_OP_FLUSH, "lo dir in", "'dir' is not valid with sa flush");
	bad(SA_OP_ADD, "lo manual", "'manual' is not valid with sa add");
}

static void test_key_sources(void)
{
	char path[] = "/tmp/test_sa_args.XXXXXX", line[256];
	int fd, pipefd[2], saved;
	FILE *f;

	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		ok(0, "temporary key file");
		return;
	}
	fprintf(f, "  0x%s\n\n", K20);
	fclose(f);
	snprintf(line, sizeof(line), "lo dir in spi 0x1000 enc aes-gcm key @%s", path);
	good(SA_OP_ADD, line);
	ok(a.sa.enc_key_len == 20 && bytes_are(a.sa.enc_key, K20, 20),
	   "key from a file, blanks and 0x around it");

	f = fopen(path, "w");
	for (int i = 0; f && i < 600; i++)
		fputc('a', f);
	if (f)
		fclose(f);
	ok(run(SA_OP_ADD, line) == -EINVAL && strstr(err, "is too long"),
	   "an oversized key file: %s", err);
	unlink(path);

	ok(run(SA_OP_ADD, line) == -ENOENT && strstr(err, path) &&
	   strstr(err, strerror(ENOENT)),
	   "a missing key file is a runtime error naming the file: %s", err);

	/* Two keys from standard input, one line each. */
	saved = dup(STDIN_FILENO);
	if (pipe(pipefd)) {
		ok(0, "pipe");
		return;
	}
	dprintf(pipefd[1], "%s\n 0X%s \n", K16, K32);
	close(pipefd[1]);
	dup2(pipefd[0], STDIN_FILENO);
	close(pipefd[0]);
	good(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key - auth hmac-sha256-128 key -");
	ok(a.sa.enc_key_len == 16 && bytes_are(a.sa.enc_key, K16, 16) &&
	   a.sa.auth_key_len == 32 && bytes_are(a.sa.auth_key, K32, 32),
	   "each 'key -' reads its own line of standard input");
	bad(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-gcm key -",
	    "empty key for aes-gcm");
	dup2(saved, STDIN_FILENO);
	close(saved);
}

static void test_argv_wiped(void)
{
	char dev[] = "lo", dir[] = "dir", in[] = "in", spi[] = "spi";
	char spiv[] = "0x1000", enc[] = "enc", alg[] = "aes-gcm", key[] = "key";
	char hex[] = K20;
	char *argv[] = { dev, dir, in, spi, spiv, enc, alg, key, hex, NULL };

	is_int(sa_args_parse(SA_OP_ADD, 9, argv, &a, err, sizeof(err)), 0,
	       "key given in argv");
	ok(a.sa.enc_key_len == 20 && all_zero(hex, sizeof(hex)),
	   "the key's argv word is wiped once decoded");
	ok(!strcmp(spiv, "0x1000") && !strcmp(alg, "aes-gcm"),
	   "other words are left alone");
}

static void test_wipe(void)
{
	static const uint8_t zero[sizeof(struct kernel_sa)];

	good(SA_OP_ADD, "lo dir in spi 0x1000 enc aes-cbc key " K32
	     " auth hmac-sha256-128 key " K32);
	ok(a.sa.enc_key_len && a.sa.enc_key[1] == 0x11, "keys are there");
	sa_args_wipe(&a);
	ok(!memcmp(&a.sa, zero, sizeof(zero)),
	   "kernel_sa_wipe() zeroes the keys and everything else");
}

int main(void)
{
	test_add();
	test_spi_dir();
	test_keys();
	test_algorithms();
	test_missing_dup();
	test_numbers();
	test_selectors();
	test_other_ops();
	test_key_sources();
	test_argv_wiped();
	test_wipe();
	return done_testing();
}
