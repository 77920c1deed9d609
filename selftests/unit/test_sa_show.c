// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for tools/sa_show.c: the text and JSON views of an SA, of device
 * counters and of events, byte for byte, and that no view ever shows a
 * key, even when the struct holds one.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "sa_args.h"
#include "sa_show.h"
#include "tap.h"

#define NOW	1700000100

static char *out;
static size_t outlen;

static FILE *begin(void)
{
	free(out);
	out = NULL;
	return open_memstream(&out, &outlen);
}

static void ts(struct kernel_ts *t, int family, const char *start,
	       const char *end, uint8_t proto, uint16_t lo, uint16_t hi)
{
	memset(t, 0, sizeof(*t));
	t->family = (uint8_t)family;
	inet_pton(family, start, t->start);
	inet_pton(family, end, t->end);
	t->proto = proto;
	t->port_start = lo;
	t->port_end = hi;
}

static void sample(struct kernel_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->ifindex = 5;
	sa->dir = IKEVTI_DIR_IN;
	sa->spi = 0xc0de;
	sa->enc = IKEVTI_ENC_AES_CBC;
	sa->auth = IKEVTI_AUTH_HMAC_SHA256_128;
	/* Keys never come in replies; put some here all the same. */
	memset(sa->enc_key, 0xab, sizeof(sa->enc_key));
	sa->enc_key_len = 32;
	memset(sa->auth_key, 0xcd, sizeof(sa->auth_key));
	sa->auth_key_len = 32;
	sa->flags = IKEVTI_SA_F_ESN;
	sa->has_replay_window = true;
	sa->replay_window = 1024;
	sa->has_lifetime = true;
	sa->lifetime.soft_secs = 3000;
	sa->lifetime.hard_secs = 3600;
	sa->lifetime.hard_bytes = 1000000;
	sa->n_ts_local = 2;
	ts(&sa->ts_local[0], AF_INET, "10.0.0.0", "10.0.0.255", 0, 0, 65535);
	ts(&sa->ts_local[1], AF_INET6, "2001:db8::1", "2001:db8::ff", 6, 80, 80);
	sa->n_ts_remote = 0;
	sa->origin = IKEVTI_ORIGIN_MANUAL;
	sa->cookie = 7;
	sa->has_cur = true;
	sa->cur.add_time = 1700000000;
	sa->cur.bytes = 1500;
	sa->cur.packets = 10;
	sa->cur.seq = 10;
	sa->has_stats = true;
	sa->stats.packets = 10;
	sa->stats.octets = 1500;
	sa->stats.replay = 2;
	sa->stats.misc = 1;
}

static bool no_key(const char *s)
{
	return !strstr(s, "abab") && !strstr(s, "ABAB") && !strstr(s, "cdcd") &&
	       !strstr(s, "CDCD") && !strchr(s, 0xab) && !strchr(s, 0xcd);
}

static void test_sa_text(void)
{
	struct kernel_sa sa;
	FILE *f;

	sample(&sa);
	f = begin();
	show_sa_text(f, &sa, NOW);
	fclose(f);
	is_str(out,
	       "   inbound esp sa: spi 0x0000c0de (49374)\n"
	       "      transform: esp-aes esp-sha256-hmac, esn\n"
	       "      origin: manual, cookie 7\n"
	       "      replay window: 1024\n"
	       "      local selectors: 10.0.0.0/24\n"
	       "                       2001:db8::1-2001:db8::ff proto tcp port 80\n"
	       "      remote selectors: any\n"
	       "      created: 2023-11-14 22:13:20, last used: never\n"
	       "      lifetime: soft 3000 secs (2900 remaining), hard 3600 secs (3500 remaining)\n"
	       "                hard 1000000 bytes (998500 remaining)\n"
	       "      current: 1500 bytes, 10 packets, seq 10\n"
	       "      state: active\n"
	       "      packets 10, octets 1500\n"
	       "      invalid sa 0, replay detected 2, integrity failure 0, cipher failure 0\n"
	       "      packet truncated 0, invalid padding 0, unknown protocol 0, out of memory 0\n"
	       "      ts unacceptable 0, misc error 1, cipher busy 0\n",
	       "SA as text");
	ok(no_key(out), "no key in the text");

	/* Outbound AEAD, no lifetime, replay off, unknown values. */
	sa.dir = IKEVTI_DIR_OUT;
	sa.enc = IKEVTI_ENC_AES_GCM_16;
	sa.auth = IKEVTI_AUTH_NONE;
	sa.flags = IKEVTI_SA_F_LEGACY | 0x80;
	sa.has_replay_window = false;
	memset(&sa.lifetime, 0, sizeof(sa.lifetime));
	sa.origin = 9;
	sa.n_ts_local = 0;
	sa.n_ts_remote = 1;
	ts(&sa.ts_remote[0], AF_INET, "192.0.2.7", "192.0.2.7", 99, 1000, 2000);
	sa.cur.use_time = 1700000050;
	sa.cur.expired = 2;
	sa.has_stats = false;
	f = begin();
	show_sa_text(f, &sa, NOW);
	fclose(f);
	is_str(out,
	       "   outbound esp sa: spi 0x0000c0de (49374)\n"
	       "      transform: esp-gcm, legacy, flags 0x82\n"
	       "      origin: 9, cookie 7\n"
	       "      local selectors: any\n"
	       "      remote selectors: 192.0.2.7/32 proto 99 port 1000-2000\n"
	       "      created: 2023-11-14 22:13:20, last used: 2023-11-14 22:14:10\n"
	       "      lifetime: none\n"
	       "      current: 1500 bytes, 10 packets, seq 10\n"
	       "      state: hard expired\n",
	       "outbound AEAD SA as text");

	sa.enc = 200;
	sa.auth = 100;
	sa.has_cur = false;
	sa.has_replay_window = true;
	sa.replay_window = 0;
	sa.lifetime.hard_packets = 50;
	f = begin();
	show_sa_text(f, &sa, NOW);
	fclose(f);
	ok(strstr(out, "transform: esp-enc-200 esp-auth-100,") &&
	   strstr(out, "replay window: 0 (replay detection off)\n") &&
	   strstr(out, "lifetime: hard 50 packets\n") &&
	   !strstr(out, "remaining") && !strstr(out, "created"),
	   "algorithms this ikevtictl does not know, no current state");
}

static void test_sa_json(void)
{
	struct kernel_sa sa;
	struct json j;
	FILE *f;

	sample(&sa);
	f = begin();
	json_init(&j, f, 0);
	show_sa_json(&j, &sa, "ikevti0");
	is_int(json_end(&j), 0, "SA as JSON: complete document");
	fclose(f);
	is_str(out,
	       "{\"ifindex\":5,\"ifname\":\"ikevti0\",\"dir\":\"in\",\"spi\":49374,"
	       "\"enc\":\"aes-cbc\",\"auth\":\"hmac-sha256-128\",\"esn\":true,"
	       "\"legacy\":false,\"flags\":1,\"replay_window\":1024,"
	       "\"lifetime\":{\"soft_secs\":3000,\"hard_secs\":3600,"
	       "\"soft_bytes\":0,\"hard_bytes\":1000000,\"soft_packets\":0,"
	       "\"hard_packets\":0},"
	       "\"ts_local\":[{\"selector\":\"10.0.0.0/24\",\"start\":\"10.0.0.0\","
	       "\"end\":\"10.0.0.255\",\"proto\":0,\"port_start\":0,"
	       "\"port_end\":65535},{\"selector\":\"2001:db8::1-2001:db8::ff\","
	       "\"start\":\"2001:db8::1\",\"end\":\"2001:db8::ff\",\"proto\":6,"
	       "\"port_start\":80,\"port_end\":80}],\"ts_remote\":[],"
	       "\"origin\":\"manual\","
	       "\"cookie\":7,\"cur\":{\"add_time\":1700000000,\"use_time\":0,"
	       "\"bytes\":1500,\"packets\":10,\"seq\":10,\"expired\":0},"
	       "\"stats\":{\"packets\":10,\"octets\":1500,\"invalid_sa\":0,"
	       "\"replay\":2,\"integrity_failed\":0,\"cipher_failed\":0,"
	       "\"truncated\":0,\"invalid_padding\":0,\"unknown_proto\":0,"
	       "\"nomem\":0,\"ts_unacceptable\":0,\"misc\":1,\"crypto_busy\":0}}\n",
	       "SA as JSON");
	ok(no_key(out) && !strstr(out, "key"), "no key in the JSON");

	sa.enc = 200;
	sa.auth = IKEVTI_AUTH_NONE;
	sa.origin = 0;
	f = begin();
	json_init(&j, f, 0);
	show_sa_json(&j, &sa, NULL);
	json_end(&j);
	fclose(f);
	ok(strstr(out, "\"enc\":\"enc-200\",\"auth\":\"none\"") &&
	   strstr(out, "\"origin\":\"origin-0\"") && !strstr(out, "ifname"),
	   "unknown values as strings, no ifname");
}

static void test_ts(void)
{
	struct kernel_ts t;
	char buf[160];

	ts(&t, AF_INET, "0.0.0.0", "255.255.255.255", 0, 0, 65535);
	show_ts(buf, sizeof(buf), &t);
	is_str(buf, "0.0.0.0/0", "everything IPv4");
	ts(&t, AF_INET6, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 17,
	   500, 500);
	show_ts(buf, sizeof(buf), &t);
	is_str(buf, "::/0 proto udp port 500", "everything IPv6, one port");
	ts(&t, AF_INET6, "2001:db8::", "2001:db8:0:7:ffff:ffff:ffff:ffff", 0,
	   1024, 65535);
	show_ts(buf, sizeof(buf), &t);
	is_str(buf, "2001:db8::/61 port 1024-65535", "IPv6 prefix off a byte edge");
	ts(&t, AF_INET, "10.0.0.1", "10.0.0.2", 0, 0, 65535);
	show_ts(buf, sizeof(buf), &t);
	is_str(buf, "10.0.0.1-10.0.0.2", "a range that is no prefix");
	ts(&t, AF_INET, "10.0.0.0", "10.0.1.254", 0, 0, 65535);
	show_ts(buf, sizeof(buf), &t);
	is_str(buf, "10.0.0.0-10.0.1.254", "a range that almost is one");
}

static void test_dev(void)
{
	struct kernel_dev_stats d = {
		.ifindex = 5, .ifname = "ikevti0", .encaps = 1, .encrypt = 2,
		.digest = 3, .decaps = 4, .decrypt = 5, .verify = 6,
		.send_errors = 7, .recv_errors = 8, .no_sa_out = 9,
		.ts_out = 10, .no_route = 11, .seq_exhausted = 12,
		.invalid_sa = 13,
	};
	struct json j;
	FILE *f;

	f = begin();
	show_dev_text(f, &d);
	fclose(f);
	is_str(out,
	       "interface: ikevti0 (ifindex 5)\n"
	       "    #pkts encaps: 1, #pkts encrypt: 2, #pkts digest: 3\n"
	       "    #pkts decaps: 4, #pkts decrypt: 5, #pkts verify: 6\n"
	       "    #send errors 7, #recv errors 8\n"
	       "    drops: no outbound sa 9, outside selectors 10, no route 11\n"
	       "    drops: sequence exhausted 12, invalid sa 13\n",
	       "device counters as text, Cisco's words");
	f = begin();
	json_init(&j, f, 0);
	show_dev_json(&j, &d);
	json_end(&j);
	fclose(f);
	is_str(out,
	       "{\"ifindex\":5,\"ifname\":\"ikevti0\",\"encaps\":1,\"encrypt\":2,"
	       "\"digest\":3,\"decaps\":4,\"decrypt\":5,\"verify\":6,"
	       "\"send_errors\":7,\"recv_errors\":8,\"no_sa_out\":9,"
	       "\"ts_out\":10,\"no_route\":11,\"seq_exhausted\":12,"
	       "\"invalid_sa\":13}\n",
	       "device counters as JSON");
}

static void test_events(void)
{
	struct kernel_event ev = {
		.cmd = IKEVTI_CMD_EV_EXPIRE, .ifindex = 5,
		.dir = IKEVTI_DIR_IN, .spi = 0x1234, .cookie = 7,
		.has_cur = true, .cur = { .bytes = 100, .packets = 2, .seq = 2 },
		.hard = true,
	};
	struct json j;
	FILE *f;

	f = begin();
	show_event_text(f, &ev, "ikevti0");
	ev.hard = false;
	show_event_text(f, &ev, NULL);
	ev.cmd = IKEVTI_CMD_EV_SEQ_WRAP;
	ev.dir = IKEVTI_DIR_OUT;
	ev.has_cur = false;
	show_event_text(f, &ev, "ikevti0");
	memset(&ev, 0, sizeof(ev));
	ev.cmd = IKEVTI_CMD_EV_ACQUIRE;
	ev.ifindex = 5;
	ev.family = AF_INET;
	inet_pton(AF_INET, "10.0.0.1", ev.src);
	inet_pton(AF_INET, "10.1.0.1", ev.dst);
	ev.proto = 6;
	ev.sport = 40000;
	ev.dport = 443;
	show_event_text(f, &ev, "ikevti0");
	ev.proto = 1;
	ev.sport = ev.dport = 0;
	show_event_text(f, &ev, "ikevti0");
	fclose(f);
	is_str(out,
	       "expire hard ikevti0 in spi 0x00001234 cookie 7 bytes 100 packets 2 seq 2\n"
	       "expire soft if5 in spi 0x00001234 cookie 7 bytes 100 packets 2 seq 2\n"
	       "seq-wrap ikevti0 out spi 0x00001234 cookie 7\n"
	       "acquire ikevti0 10.0.0.1 -> 10.1.0.1 proto tcp sport 40000 dport 443\n"
	       "acquire ikevti0 10.0.0.1 -> 10.1.0.1 proto icmp\n",
	       "events, one line each");

	f = begin();
	json_init(&j, f, 0);
	show_event_json(&j, &ev, "ikevti0");
	json_end(&j);
	ev = (struct kernel_event){
		.cmd = IKEVTI_CMD_EV_EXPIRE, .ifindex = 5,
		.dir = IKEVTI_DIR_OUT, .spi = 0x1234, .cookie = 7,
		.has_cur = true, .cur = { .bytes = 100 }, .hard = true,
	};
	json_init(&j, f, 0);
	show_event_json(&j, &ev, NULL);
	json_end(&j);
	fclose(f);
	is_str(out,
	       "{\"event\":\"acquire\",\"ifindex\":5,\"ifname\":\"ikevti0\","
	       "\"src\":\"10.0.0.1\",\"dst\":\"10.1.0.1\",\"proto\":1,"
	       "\"sport\":0,\"dport\":0}\n"
	       "{\"event\":\"expire\",\"ifindex\":5,\"dir\":\"out\",\"spi\":4660,"
	       "\"cookie\":7,\"hard\":true,\"cur\":{\"add_time\":0,"
	       "\"use_time\":0,\"bytes\":100,\"packets\":0,\"seq\":0,"
	       "\"expired\":0}}\n",
	       "events as JSON lines");
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_sa_text();
	test_sa_json();
	test_ts();
	test_dev();
	test_events();
	free(out);
	return done_testing();
}
