// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for ikehelper/control.c and control_fmt.c: requests over a real
 * unix socket, run through the event loop, against a fake engine that
 * serves one IKE SA with one Child SA, two history events and fixed
 * counters.  The fake stands in for ike.c in this test only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "control.h"
#include "tap.h"

/* ---- the fake engine ---- */

struct ike_engine {
	void (*done)(void *arg, unsigned int n);
	void *done_arg;
	char clear_peer[64];
	uint8_t version;		/* of the one IKE SA */
	struct ike_clear_filter filter;	/* of the last clear_filter */
	char children_peer[64];		/* of the last clear_children */
};

static struct ike_engine fake;

int ike_engine_foreach_ike_sa(const struct ike_engine *e,
			      int (*fn)(const struct ike_sa_info *, void *),
			      void *arg, uint64_t now_ms)
{
	struct ike_sa_info i = { .version = e->version ?: 2, .initiator = true,
				 .conn_id = 1001, .encr_id = 12,
				 .encr_bits = 256, .prf_id = 2, .dh_group = 14,
				 .auth = "psk", .cap_dpd = true,
				 .expire_in_s = 86381 };
	struct sockaddr_in *l = (struct sockaddr_in *)&i.local;
	struct sockaddr_in *r = (struct sockaddr_in *)&i.remote;

	(void)e;
	(void)now_ms;
	strcpy(i.tunnel, "ikevti0");
	i.spi_i = 0xf633bdfd0188a348ull;
	i.spi_r = 0xc35d1aa6e0ce1c67ull;
	l->sin_family = r->sin_family = AF_INET;
	l->sin_port = r->sin_port = htons(500);
	inet_pton(AF_INET, "10.1.0.1", &l->sin_addr);
	inet_pton(AF_INET, "10.2.0.1", &r->sin_addr);
	strcpy(i.state, i.version == 1 ? "QM_IDLE" : "ESTABLISHED");
	strcpy(i.local_id, "keyid site1");
	strcpy(i.remote_id, "keyid site2");
	strcpy(i.enc, "AES-CBC-256");
	strcpy(i.integ, "HMAC-SHA1-96");
	strcpy(i.prf, "HMAC-SHA1");
	strcpy(i.dh, "MODP-1536");
	i.established_s = 19;
	i.lifetime_s = 86400;
	i.rekey_in_s = 86351;
	i.n_child = 1;
	return fn(&i, arg);
}

int ike_engine_foreach_child_sa(const struct ike_engine *e,
				int (*fn)(const struct ike_child_info *,
					  void *),
				void *arg, uint64_t now_ms)
{
	struct ike_child_info c = { .spi_in = 0x1511ab8e,
				    .spi_out = 0x571a182d,
				    .version = e->version ?: 2,
				    .conn_id_in = 1002, .conn_id_out = 1003,
				    .encr_id = 12, .encr_bits = 256,
				    .integ_id = 2, .replay_window = 1024,
				    .lifetime_kb = 4608000 };
	struct sockaddr_in *l = (struct sockaddr_in *)&c.local;
	struct sockaddr_in *r = (struct sockaddr_in *)&c.remote;

	(void)now_ms;
	l->sin_family = r->sin_family = AF_INET;
	l->sin_port = r->sin_port = htons(500);
	inet_pton(AF_INET, "10.1.0.1", &l->sin_addr);
	inet_pton(AF_INET, "10.2.0.1", &r->sin_addr);
	strcpy(c.tunnel, "ikevti0");
	c.ike_spi_i = 0xf633bdfd0188a348ull;
	c.ike_spi_r = 0xc35d1aa6e0ce1c67ull;
	strcpy(c.state, "INSTALLED");
	strcpy(c.enc, "AES-CBC-256");
	strcpy(c.integ, "HMAC-SHA1-96");
	strcpy(c.pfs, "MODP-2048");
	c.established_s = 24;
	c.lifetime_s = 28800;
	c.rekey_in_s = 28716;
	c.packets_in = c.packets_out = 9;
	c.bytes_in = c.bytes_out = 756;
	c.ts_local.n = 1;
	c.ts_local.ts[0].family = AF_INET;
	memset(c.ts_local.ts[0].end, 0xff, 4);
	c.ts_local.ts[0].port_end = 65535;
	c.ts_remote = c.ts_local;
	return fn(&c, arg);
}

int ike_engine_foreach_event(const struct ike_engine *e,
			     int (*fn)(const struct ike_event_info *, void *),
			     void *arg)
{
	struct ike_event_info ev = { .when_ms = 1700000000000ull };
	int ret;

	(void)e;
	strcpy(ev.tunnel, "ikevti0");
	strcpy(ev.what, "Create");
	ret = fn(&ev, arg);
	if (ret)
		return ret;
	ev.when_ms += 60000;
	strcpy(ev.what, "Delete : Delete IKE SA by command");
	return fn(&ev, arg);
}

void ike_engine_stats(const struct ike_engine *e, struct ike_stats *out)
{
	(void)e;
	memset(out, 0, sizeof(*out));
	out->rx = 12;
	out->tx = 13;
	out->auth_failed = 2;
}

int ike_engine_clear(struct ike_engine *e, const char *peer,
		     void (*done)(void *arg, unsigned int n), void *arg,
		     uint64_t now_ms)
{
	(void)now_ms;
	if (peer && !strcmp(peer, "192.0.2.99"))
		return -ENOENT;
	snprintf(e->clear_peer, sizeof(e->clear_peer), "%s",
		 peer ? peer : "(all)");
	e->done = done;
	e->done_arg = arg;
	return 0;
}

int ike_engine_clear_filter(struct ike_engine *e,
			    const struct ike_clear_filter *f,
			    void (*done)(void *arg, unsigned int n), void *arg,
			    uint64_t now_ms)
{
	(void)now_ms;
	e->filter = *f;
	e->filter.peer = NULL;
	done(arg, f->conn_id == 1001 ? 1 : 0);
	return f->conn_id && f->conn_id != 1001 ? -ENOENT : 0;
}

int ike_engine_clear_children(struct ike_engine *e, const char *peer,
			      uint64_t now_ms)
{
	(void)now_ms;
	snprintf(e->children_peer, sizeof(e->children_peer), "%s",
		 peer ? peer : "(all)");
	return peer && strcmp(peer, "10.2.0.1") ? 0 : 1;
}

int ike_engine_dev_stats(const struct ike_engine *e, const char *tunnel,
			 struct kernel_dev_stats *out)
{
	(void)e;
	if (strcmp(tunnel, "ikevti0"))
		return -ENODEV;
	memset(out, 0, sizeof(*out));
	out->encaps = out->encrypt = out->digest = 109;
	out->decaps = out->decrypt = out->verify = 108;
	out->send_errors = 2;
	return 0;
}

/* The Cisco IOS show and clear commands (control_ios.c), on IKEv1. */
static const char *ask(const char *req);

static void test_ios(void)
{
	const char *r;

	fake.version = 1;
	r = ask("show crypto isakmp sa\n");
	is_str(r, "ok\nIPv4 Crypto ISAKMP SA\n"
	       "dst             src             state          conn-id status\n"
	       "10.2.0.1        10.1.0.1        QM_IDLE           1001 ACTIVE\n\n"
	       "IPv6 Crypto ISAKMP SA\n"
	       "dst             src             state          conn-id status\n\n",
	       "show crypto isakmp sa, as IOS prints it");
	r = ask("show crypto isakmp sa detail\n");
	ok(r && strstr(r, "Codes: C - IKE configuration mode, D - Dead Peer Detection\n") &&
	   strstr(r, "\n1001  10.1.0.1        10.2.0.1               ACTIVE aes:256 sha    psk  14 23:59:41 D\n"
		  "      Engine-id:Conn-id =  SW:1001\n"),
	   "show crypto isakmp sa detail: cipher, hash, auth, group, lifetime, DPD");
	r = ask("show crypto isakmp sa detail json\n");
	ok(r && strstr(r, "\"conn_id\": 1001") && strstr(r, "\"state\": \"QM_IDLE\"") &&
	   strstr(r, "\"encr\": \"aes:256\"") && strstr(r, "\"capabilities\": \"D\""),
	   "show crypto isakmp sa detail as JSON");
	r = ask("show crypto ipsec sa\n");
	ok(r && strstr(r, "interface: ikevti0\n") &&
	   strstr(r, "    #pkts encaps: 109, #pkts encrypt: 109, #pkts digest: 109\n"
		  "    #pkts decaps: 108, #pkts decrypt: 108, #pkts verify: 108\n"
		  "    #send errors 2, #recv errors 0\n") &&
	   strstr(r, "     inbound esp sas:\n      spi: 0x1511AB8E(353479566)\n"
		  "        transform: esp-256-aes esp-sha-hmac ,\n"
		  "        in use settings ={Tunnel, }\n"
		  "        conn id: 1002, crypto map: ikevti0\n"
		  "        sa timing: remaining key lifetime (k/sec): (4608000/28776)\n"
		  "        IV size: 16 bytes\n"
		  "        replay detection support: Y\n") &&
	   strstr(r, "     outbound esp sas:\n      spi: 0x571A182D(1461327917)\n"),
	   "show crypto ipsec sa: counters, both ESP SAs, lifetimes, IV, replay");
	r = ask("show crypto ipsec sa peer 10.2.0.1 json\n");
	ok(r && strstr(r, "\"pkts_encaps\": 109") &&
	   strstr(r, "\"current_outbound_spi\": 1461327917") &&
	   strstr(r, "\"inbound_esp_sas\": ["),
	   "show crypto ipsec sa peer 10.2.0.1 as JSON");
	r = ask("show crypto ipsec sa peer 10.9.9.9\n");
	is_str(r, "ok\n", "show crypto ipsec sa of another peer: nothing");
	r = ask("show crypto session\n");
	ok(r && strstr(r, "Interface: ikevti0\nSession status: UP-ACTIVE\nPeer: 10.2.0.1 port 500\n"
		       "  IKEv1 SA: local 10.1.0.1/500 remote 10.2.0.1/500 Active\n"),
	   "show crypto session");
	r = ask("show crypto isakmp policy\n");
	is_str(r, "error: usage: show crypto isakmp sa [detail] | ipsec sa [peer ADDRESS] | session [json]\n",
	       "an unknown show crypto object");
	r = ask("clear crypto isakmp 1001\n");
	is_str(r, "ok\n1 IKE SA deleted\n", "clear crypto isakmp 1001");
	ok(fake.filter.version == 1 && fake.filter.conn_id == 1001,
	   "clear crypto isakmp: IKEv1 SAs, that connection id");
	r = ask("clear crypto isakmp 77\n");
	is_str(r, "ok\n0 IKE SAs deleted\n", "clear crypto isakmp of an unknown id");
	r = ask("clear crypto isakmp x1\n");
	is_str(r, "error: clear crypto isakmp: 'x1' is not a connection id\n",
	       "clear crypto isakmp with a bad id");
	r = ask("clear crypto sa peer 10.2.0.1\n");
	is_str(r, "ok\n1 IPsec SA pair being deleted\n", "clear crypto sa peer");
	ok(!strcmp(fake.children_peer, "10.2.0.1"), "clear crypto sa: that peer");
	r = ask("clear crypto sa\n");
	ok(r && !strcmp(fake.children_peer, "(all)"), "clear crypto sa: every peer");
	r = ask("clear crypto sa peer nope\n");
	is_str(r, "error: usage: clear crypto isakmp [CONN-ID] | clear crypto sa [peer ADDRESS]\n",
	       "clear crypto sa with a bad address");
	fake.version = 2;
	r = ask("show crypto isakmp sa\n");
	ok(r && !strstr(r, "1001"), "an IKEv2 SA is not an ISAKMP SA");
}

int ike_engine_initiate(struct ike_engine *e, const char *tunnel,
			uint64_t now_ms)
{
	(void)e;
	(void)now_ms;
	if (!strcmp(tunnel, "ikevti0"))
		return 0;
	if (!strcmp(tunnel, "busy0"))
		return -EALREADY;
	return -ENOENT;
}

int ike_engine_rekey(struct ike_engine *e, const char *tunnel, bool ike,
		     uint64_t now_ms)
{
	(void)e;
	(void)now_ms;
	if (!strcmp(tunnel, "ikevti0"))
		return 0;
	if (!strcmp(tunnel, "busy0") && !ike)
		return -EAGAIN;
	return -ENOENT;
}

#define IKE_SA_HEAD \
	"ok\nInterface ikevti0\n" \
	"  SPI (I)0xf633bdfd0188a348  (R)0xc35d1aa6e0ce1c67\n" \
	"    Remain lifetime[sec] : 86381\n"

/* ---- a client ---- */

static char path[108];
static struct loop *l;

static int client_send(const char *req, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(sun.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    write(fd, req, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Run the loop until fd has its whole answer (EOF); max rounds. */
static char *client_read(int fd, int rounds)
{
	static char buf[16384];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t len = 0;
	ssize_t n;

	buf[0] = '\0';
	while (rounds-- > 0) {
		loop_run(l, loop_now_ms() + 20);
		while (poll(&p, 1, 0) == 1) {
			n = read(fd, buf + len, sizeof(buf) - 1 - len);
			if (n <= 0) {
				buf[len] = '\0';
				close(fd);
				return buf;
			}
			len += (size_t)n;
		}
	}
	buf[len] = '\0';
	return NULL;	/* no EOF yet: fd stays open */
}

static const char *ask(const char *req)
{
	int fd = client_send(req, strlen(req));
	char *r;

	if (fd < 0)
		return "connect failed";
	r = client_read(fd, 50);
	if (!r) {
		close(fd);
		return "no answer";
	}
	return r;
}

static void on_signal(int sig, void *arg)
{
	(void)sig;
	(void)arg;
}

int main(void)
{
	struct control *c, *c2;
	char err[256];
	const char *r;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "build/ctl-%d.sock", (int)getpid());
	l = loop_new(on_signal, NULL);
	if (!ok(l != NULL, "loop"))
		return done_testing();
	c = control_open(path, l, &fake, err, sizeof(err));
	if (!ok(c != NULL, "control socket opens: %s", c ? path : err))
		return done_testing();
	ok(!stat(path, &st) && (st.st_mode & 0777) == 0600,
	   "the socket is mode 0600");
	c2 = control_open(path, l, &fake, err, sizeof(err));
	ok(!c2 && strstr(err, "another ikehelper is running"),
	   "a second daemon is refused: %s", err);

	r = ask("show ike-sa\n");
	ok(!strncmp(r, IKE_SA_HEAD, strlen(IKE_SA_HEAD)),
	   "show ike-sa: NEC IX layout");
	ok(strstr(r, "    Local Addr  : 10.1.0.1:500\n"
		     "    Remote Addr : 10.2.0.1:500\n") != NULL,
	   "  with the addresses and ports");
	ok(strstr(r, "    Peer ID  : keyid site2\n") &&
	   strstr(r, "    DH group : MODP-1536\n") &&
	   strstr(r, "    DPD : disable\n"),
	   "  with the IDs, algorithms and DPD");
	ok(strstr(r, "      ESP  0x1511ab8e 0x571a182d 28776\n") != NULL,
	   "  and its Child SA row (SPI in, out, remaining lifetime)");
	ok(!strstr(r, "key :") && !strstr(r, "Enckey") && !strstr(r, "Authkey"),
	   "  and no key anywhere");

	r = ask("show child-sa\n");
	ok(strstr(r, "  IKE Peer ID : keyid site2\n"
		     "    IKE SPI (I)0xf633bdfd0188a348  (R)0xc35d1aa6e0ce1c67\n") &&
	   strstr(r, "      Direction is outbound\n"
		     "        SPI : 0x571a182d\n"
		     "        9 packets, 756 octets\n") &&
	   strstr(r, "      Local TS:\n      TS type : IPV4-ADDR-RANGE\n"
		     "        Protocol 0\n"
		     "        Address Range 0.0.0.0 to 255.255.255.255\n"
		     "        Port Range 0 to 65535\n") &&
	   strstr(r, "      PFS : MODP-2048\n") &&
	   strstr(r, "      Local Addr : 10.1.0.1\n"
		     "      Peer Addr  : 10.2.0.1\n"),
	   "show child-sa: SPIs, counters, selectors, PFS, addresses");

	r = ask("show child-sa json\n");
	ok(!strncmp(r, "ok\n[", 4) &&
	   strstr(r, "\"spi_in\": \"0x1511ab8e\"") &&
	   strstr(r, "\"peer_id\": \"keyid site2\"") &&
	   strstr(r, "\"end\": \"255.255.255.255\""),
	   "show child-sa json");
	r = ask("show ike-sa json\n");
	ok(strstr(r, "\"spi_i\": \"0xf633bdfd0188a348\"") &&
	   strstr(r, "\"remain_s\": 86381") && strstr(r, "\"child\": ["),
	   "show ike-sa json");

	r = ask("show stats\n");
	ok(strstr(r, "  received               12\n") &&
	   strstr(r, "  authentication failed  2\n") &&
	   strstr(r, "Interface ikevti0\n  History\n") &&
	   strstr(r, " Delete : Delete IKE SA by command\n"),
	   "show stats: counters and the history per tunnel");
	r = ask("show stats json\n");
	ok(strstr(r, "\"authentication_failed\": 2") &&
	   strstr(r, "\"time_ms\": 1700000060000"), "show stats json");

	r = ask("initiate ikevti0\n");
	is_str(r, "ok\nikevti0: negotiation started\n", "initiate");
	r = ask("initiate nope0\n");
	is_str(r, "error: initiate: no tunnel 'nope0' in the configuration\n",
	       "initiate an unknown tunnel");
	r = ask("initiate busy0\n");
	is_str(r, "error: initiate: busy0: an IKE SA is up or being negotiated\n",
	       "initiate a tunnel that is up");

	r = ask("rekey child-sa ikevti0\n");
	is_str(r, "ok\nikevti0: Child SA rekey started\n", "rekey child-sa");
	r = ask("rekey ike-sa ikevti0\n");
	is_str(r, "ok\nikevti0: IKE SA rekey started\n", "rekey ike-sa");
	r = ask("rekey ike-sa nope0\n");
	is_str(r, "error: rekey: nope0: no IKE SA to rekey\n",
	       "rekey a tunnel without an IKE SA");
	r = ask("rekey child-sa busy0\n");
	is_str(r, "error: rekey: busy0: the IKE SA is busy (negotiating, rekeying or deleting); try again\n",
	       "rekey while busy");
	r = ask("rekey sa ikevti0\n");
	is_str(r, "error: usage: rekey ike-sa|child-sa TUNNEL\n",
	       "rekey of an unknown object");
	r = ask("rekey ike-sa\n");
	is_str(r, "error: usage: rekey ike-sa|child-sa TUNNEL\n",
	       "rekey without a tunnel");

	/* clear sa answers only after the engine's callback. */
	fd = client_send("clear sa 10.2.0.1\n", 18);
	r = client_read(fd, 5);
	ok(!r && fake.done && !strcmp(fake.clear_peer, "10.2.0.1"),
	   "clear sa 10.2.0.1: no answer until the DELETEs are answered");
	fake.done(fake.done_arg, 1);
	fake.done = NULL;
	r = client_read(fd, 20);
	is_str(r ? r : "none", "ok\n1 IKE SA deleted\n",
	       "clear sa: answered after the callback");
	/* A client that leaves before the callback: no crash, no leak. */
	fd = client_send("clear sa\n", 9);
	client_read(fd, 3);
	close(fd);
	client_read(-1, 3);
	ok(fake.done != NULL && !strcmp(fake.clear_peer, "(all)"),
	   "clear sa (all), client gone before the answer");
	fake.done(fake.done_arg, 0);
	r = ask("clear sa 192.0.2.99\n");
	is_str(r, "error: clear sa: No such file or directory\n",
	       "clear sa of an unknown peer: the engine's error");

	test_ios();
	r = ask("clear sa not-an-address\n");
	is_str(r, "error: usage: clear sa [PEER-ADDRESS]\n", "bad peer");
	r = ask("show keys\n");
	is_str(r, "error: show: unknown object 'keys'; expected ike-sa, child-sa or stats\n",
	       "unknown show object");
	r = ask("show ike-sa xml\n");
	is_str(r, "error: usage: show ike-sa|child-sa|stats [json]\n",
	       "bad show option");
	r = ask("reboot\n");
	is_str(r, "error: unknown command 'reboot'; expected show, clear, rekey or initiate\n",
	       "unknown command");
	r = ask("\n");
	is_str(r, "error: empty or overlong request\n", "empty line");
	r = ask("show ike-sa\nshow stats\n");
	is_str(r, "error: one request line per connection\n",
	       "two requests on one connection");
	fd = client_send("show\0ike-sa\n", 12);
	r = fd < 0 ? NULL : client_read(fd, 20);
	is_str(r ? r : "none", "error: one request line per connection\n",
	       "a NUL byte in the request");
	{
		char big[400];

		memset(big, 'a', sizeof(big));
		fd = client_send(big, sizeof(big));
		r = fd < 0 ? NULL : client_read(fd, 20);
		is_str(r ? r : "none", "error: request longer than 256 bytes\n",
		       "overlong request");
	}

	control_close(c);
	ok(stat(path, &st) && errno == ENOENT, "the socket file is removed");
	loop_free(l);
	return done_testing();
}
