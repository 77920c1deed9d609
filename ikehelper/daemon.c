// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon around the engine (see daemon.h): everything that touches
 * the outside world, so that ike.c never does.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "control.h"
#include "daemon.h"
#include "ike.h"
#include "log.h"
#include "loop.h"
#include "policy_ios.h"
#include "privdrop.h"
#include "version.h"

#define DAEMON_RX_BURST		64	/* datagrams per socket per round */
#define DAEMON_EV_BURST		64	/* kernel event reads per round */

struct daemon;

struct daemon_sock {
	struct daemon *d;
	const struct net_sock *s;
};

struct daemon {
	const struct daemon_opts *o;
	struct policy_config *cfg;
	struct backend *be;
	struct net net;
	struct daemon_sock socks[NET_SOCKS_MAX];
	struct loop *l;
	struct ike_engine *e;
	struct control *ctl;
	struct ike_env env;		/* the engine may keep a pointer */
	bool stopping;
	uint64_t stop_deadline;
	bool quit;
	uint8_t buf[NET_DGRAM_MAX];
};

/* ---- what the engine gets (struct ike_env) ---- */

/* The tunnels of either dialect: NEC IX's and Cisco IOS's devices. */
static size_t cfg_tunnels(const struct policy_config *cfg)
{
	return cfg->n_tunnel + policy_v1_count(cfg);
}

static int env_send(void *ctx, const struct sockaddr_storage *local,
		    const struct sockaddr_storage *remote, bool natt,
		    const uint8_t *buf, size_t len)
{
	struct daemon *d = ctx;
	char a[NET_ADDRSTRLEN];
	int ret;

	ret = net_send(&d->net, local, remote, natt, buf, len);
	if (ret)
		log_debug("cannot send %zu bytes to %s: %s", len,
			  net_addr_str(remote, a, sizeof(a)), strerror(-ret));
	return ret;
}

static void env_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	log_msg(level, "%s", msg);
}

static uint64_t env_wallclock_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int env_local_addr(void *ctx, const struct sockaddr_storage *remote,
			  struct sockaddr_storage *local)
{
	(void)ctx;
	return net_local_addr(remote, local);
}

/* ---- input ---- */

static void on_datagram(int fd, uint32_t events, void *arg)
{
	struct daemon_sock *ds = arg;
	struct daemon *d = ds->d;
	struct sockaddr_storage local, remote;
	ssize_t n;
	int i;

	(void)fd;
	(void)events;
	for (i = 0; i < DAEMON_RX_BURST; i++) {
		n = net_recv(ds->s, d->buf, sizeof(d->buf), &local, &remote);
		if (n == -EAGAIN)
			break;
		if (n < 0) {
			/* ICMP errors surface here; the engine retransmits. */
			log_debug("receive: %s", strerror((int)-n));
			continue;
		}
		if (n > 0)
			ike_engine_input(d->e, &local, &remote, ds->s->natt,
					 d->buf, (size_t)n, loop_now_ms());
	}
}

static int on_kernel_event(const struct kernel_event *ev, void *arg)
{
	struct daemon *d = arg;

	ike_engine_kernel_event(d->e, ev, loop_now_ms());
	return 0;
}

static void on_kernel(int fd, uint32_t events, void *arg)
{
	struct daemon *d = arg;
	int i, ret;

	(void)fd;
	(void)events;
	for (i = 0; i < DAEMON_EV_BURST; i++) {
		ret = d->be->ops->event_read(d->be, on_kernel_event, d);
		if (ret == -EAGAIN)
			break;
		if (ret == -ENOBUFS)
			log_warn("kernel events were lost (socket overrun)");
		else if (ret)
			log_err("reading kernel events: %s", strerror(-ret));
	}
}

/* ---- signals ---- */

static void log_diags(const struct cfg_diags *diags)
{
	size_t i;

	for (i = 0; i < diags->n; i++)
		log_msg(diags->d[i].warning ? LOG_WARNING :
			diags->d[i].notice ? LOG_NOTICE : LOG_ERR, "%s",
			diags->d[i].msg);
}

/* SIGHUP: a new configuration, or the old one and the reasons why. */
static void reload(struct daemon *d)
{
	struct cfg_diags diags = { 0 };
	struct policy_config *cfg;
	int ret;

	log_notice("SIGHUP: reloading %s", d->o->config);
	cfg = cfg_load_file(d->o->config, &diags);
	log_diags(&diags);
	cfg_diags_free(&diags);
	if (!cfg) {
		log_err("%s has errors: keeping the running configuration",
			d->o->config);
		return;
	}
	ret = ike_engine_reload(d->e, cfg, loop_now_ms());
	if (ret) {
		log_err("reload failed (%s): keeping the running configuration",
			strerror(-ret));
		policy_config_free(cfg);
		return;
	}
	policy_config_free(d->cfg);
	d->cfg = cfg;
	log_notice("configuration reloaded: %zu tunnels", cfg_tunnels(cfg));
}

static void on_signal(int sig, void *arg)
{
	struct daemon *d = arg;
	uint64_t now = loop_now_ms();

	if (sig == SIGHUP) {
		if (!d->stopping)
			reload(d);
		return;
	}
	if (d->stopping) {
		log_notice("second signal: exiting now");
		d->quit = true;
		return;
	}
	log_notice("%s: deleting the SAs, then exiting",
		   sig == SIGTERM ? "SIGTERM" : "SIGINT");
	d->stopping = true;
	d->stop_deadline = now + DAEMON_STOP_WAIT_MS;
	ike_engine_shutdown(d->e, now);
}

/* ---- setup and teardown ---- */

static int daemon_setup(struct daemon *d, const struct daemon_opts *o)
{
	struct cfg_diags diags = { 0 };
	char err[256] = "";
	unsigned int i;
	int ret, fd;

	d->o = o;
	d->cfg = cfg_load_file(o->config, &diags);
	log_diags(&diags);
	cfg_diags_free(&diags);
	if (!d->cfg)
		return -EINVAL;
	d->be = backend_open(o->backend, err, sizeof(err));
	if (!d->be) {
		log_err("backend %s: %s", o->backend, err);
		return -EINVAL;
	}
	ret = net_open(&d->net, &o->net, err, sizeof(err));
	if (ret) {
		log_err("%s", err);
		return ret;
	}
	if (*err)
		log_warn("%s", err);
	d->l = loop_new(on_signal, d);
	if (!d->l) {
		log_err("event loop: %s", strerror(errno));
		return -errno;
	}
	d->env = (struct ike_env){
		.ctx = d,
		.send = env_send,
		.be = d->be,
		.log = env_log,
		.wallclock_ms = env_wallclock_ms,
		.local_addr = env_local_addr,
	};
	d->e = ike_engine_new(&d->env, d->cfg, loop_now_ms());
	if (!d->e) {
		log_err("cannot start the IKE engine");
		return -ENOMEM;
	}
	d->ctl = control_open(o->control, d->l, d->e, err, sizeof(err));
	if (!d->ctl) {
		log_err("%s", err);
		return -EINVAL;
	}
	for (i = 0; i < d->net.n; i++) {
		d->socks[i] = (struct daemon_sock){ d, &d->net.s[i] };
		ret = loop_add(d->l, d->net.s[i].fd, EPOLLIN, on_datagram,
			       &d->socks[i]);
		if (ret)
			return ret;
	}
	fd = d->be->ops->event_fd(d->be);
	if (fd >= 0) {
		ret = loop_add(d->l, fd, EPOLLIN, on_kernel, d);
		if (ret)
			return ret;
	}
	/* Nothing below needs more than CAP_NET_ADMIN. */
	ret = privdrop_apply(o->user, err, sizeof(err));
	if (ret) {
		log_err("cannot drop privileges: %s", err);
		return ret;
	}
	return 0;
}

static void daemon_teardown(struct daemon *d)
{
	control_close(d->ctl);
	ike_engine_free(d->e);
	loop_free(d->l);
	net_close(&d->net);
	if (d->be)
		d->be->ops->close(d->be);
	policy_config_free(d->cfg);
}

int daemon_run(const struct daemon_opts *o)
{
	struct daemon *d = calloc(1, sizeof(*d));
	char a[NET_ADDRSTRLEN];
	uint64_t next, now;
	unsigned int i;
	int ret = 1, err;

	if (!d)
		return 1;
	log_init(o->syslog, o->debug ? LOG_DEBUG : LOG_INFO);
	if (daemon_setup(d, o))
		goto out;
	for (i = 0; i < d->net.n; i++)
		log_info("listening on %s%s",
			 net_addr_str(&d->net.s[i].bound, a, sizeof(a)),
			 d->net.s[i].natt ? " (NAT-T)" : "");
	log_notice("ikehelper %s started: %zu tunnels, backend %s, control %s",
		   IKEVTI_USER_VERSION, cfg_tunnels(d->cfg), o->backend,
		   o->control);

	while (!d->quit) {
		next = ike_engine_next_timer(d->e);
		if (d->stopping && d->stop_deadline < next)
			next = d->stop_deadline;
		err = loop_run(d->l, next == IKE_NO_TIMER ? LOOP_NO_DEADLINE :
							     next);
		if (err) {
			log_err("event loop: %s", strerror(-err));
			goto out;
		}
		now = loop_now_ms();
		if (ike_engine_next_timer(d->e) <= now)
			ike_engine_run_timers(d->e, now);
		if (d->stopping && ike_engine_idle(d->e))
			break;
		if (d->stopping && now >= d->stop_deadline) {
			log_warn("peers did not answer every DELETE in %d ms",
				 DAEMON_STOP_WAIT_MS);
			break;
		}
	}
	ret = 0;
	log_notice("ikehelper stopped");
out:
	daemon_teardown(d);
	log_close();
	free(d);
	return ret;
}
