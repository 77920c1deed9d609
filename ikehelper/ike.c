// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE engine: what ike.h promises the daemon, whatever the IKE
 * version.  A datagram goes to the version its header names (struct
 * ike_ops, sa.h), which checks it and runs the exchanges; this file holds
 * what every version shares: the API, the timers (retransmission,
 * rekeying, expiry, liveness checks), kernel events, reload, shutdown and
 * what "show" prints.  The queued work of each IKE SA runs one exchange
 * at a time, through its version's kick().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ike.h"
#include "policy_ios.h"
#include "sa.h"
#include "ts.h"

static uint64_t ike_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

struct ike_engine *ike_engine_new(const struct ike_env *env,
				  const struct policy_config *cfg,
				  uint64_t now_ms)
{
	struct ike_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	if (crypto_random(&e->hash_key, sizeof(e->hash_key)) ||
	    crypto_random(e->cookie_secret, sizeof(e->cookie_secret))) {
		free(e);
		return NULL;
	}
	e->env = *env;
	e->cfg = cfg;
	e->now_ms = now_ms;
	e->auto_ms = now_ms;
	e->cookie_threshold = IKE_COOKIE_THRESHOLD;
	return e;
}

void ike_engine_free(struct ike_engine *e)
{
	if (!e)
		return;
	secbuf_wipe(e->cookie_secret, sizeof(e->cookie_secret));
	/* The kernel keeps its SAs: the daemon may have closed it already. */
	e->env.be = NULL;
	while (e->sas)
		sa_ike_free(e, e->sas);
	while (e->clears) {
		struct ike_clear *c = e->clears;

		e->clears = c->next;
		free(c);
	}
	free(e->evlog);
	free(e);
}

bool ike_policy_from(const struct policy_config *cfg, const char *tunnel,
		     struct policy_effective *pol)
{
	const struct policy_tunnel *t = policy_tunnel_find(cfg, tunnel);

	if (!t)
		return false;
	policy_effective(cfg, t, pol);
	return true;
}

bool ike_cac_admit(struct ike_engine *e, bool incoming, const char *what)
{
	unsigned int all = 0, negotiating = 0;
	char why[256];
	bool ok;

	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_S_DEAD)
			continue;
		all++;
		negotiating += sa->state == IKE_S_CONNECTING;
	}
	ok = policy_cac_admit(e->cfg, all, negotiating, why, sizeof(why));
	if (incoming)
		ok ? e->stats.cac_in_accepted++ : e->stats.cac_in_rejected++;
	else
		ok ? e->stats.cac_out_accepted++ : e->stats.cac_out_rejected++;
	if (!ok)
		sa_log(e, LOG_NOTICE, "%s refused: %s", what, why);
	return ok;
}

bool ike_cac_admit_from(struct ike_engine *e,
			const struct sockaddr_storage *remote, const char *exch)
{
	char a[INET6_ADDRSTRLEN], what[INET6_ADDRSTRLEN + 64];

	snprintf(what, sizeof(what), "%s from %s", exch,
		 sa_addr_str(remote, a, sizeof(a)));
	return ike_cac_admit(e, true, what);
}

bool ike_policy(struct ike_engine *e, const char *tunnel,
		struct policy_effective *pol)
{
	return ike_policy_from(e->cfg, tunnel, pol);
}

void ike_sa_dead(struct ike_engine *e, struct ike_sa *sa, const char *why)
{
	if (sa->state < IKE_S_ESTABLISHED)
		sa_event(e, sa->tunnel, "IKE SA negotiation failed: %s", why);
	else
		sa_log(e, LOG_NOTICE, "%s: IKE SA down: %s", sa->tunnel, why);
	sa_ike_kill(e, sa);
}

void ike_sa_established(struct ike_engine *e, struct ike_sa *sa)
{
	uint64_t life = sa->pol.v.sa_lifetime;
	uint64_t margin = sa->pol.ike_rekey_margin;
	char l[96], r[96];

	sa->was_up = true;
	sa->created_ms = e->now_ms;
	sa->last_rx_ms = e->now_ms;
	sa->expire_ms = e->now_ms + life * 1000;
	sa->rekey_ms = IKE_NO_TIMER;
	if (sa->pol.initiate_rekey && !sa->pol.v.suppress_rekey)
		sa->rekey_ms = e->now_ms +
			1000 * (life - (sa->initiator ? margin : margin / 2));
	e->stats.ike_sa_created++;
	policy_id_format(&sa->local_id, l, sizeof(l));
	policy_id_format(&sa->remote_id, r, sizeof(r));
	sa_event(e, sa->tunnel, "IKE SA established, SPI %08x%08x %08x%08x, %s <-> %s",
		 msg_get32(sa->spi_i), msg_get32(sa->spi_i + 4),
		 msg_get32(sa->spi_r), msg_get32(sa->spi_r + 4), l, r);
}

/*
 * Free the DEAD IKE SAs.  Called after every engine call, so it walks
 * the list only when sa_ike_kill() counted one: with thousands of IKE
 * SAs, a walk per datagram was most of a responder's time.  all: walk
 * anyway, as the timers do (they walk every IKE SA themselves).
 */
static void ike_reap_all(struct ike_engine *e, bool all)
{
	struct ike_sa *sa, *next;
	struct ike_clear **pp;

	for (sa = (all || e->n_dead) ? e->sas : NULL; sa; sa = next) {
		next = sa->next;
		if (sa->state == IKE_S_DEAD)
			sa_ike_free(e, sa);
	}
	for (pp = &e->clears; *pp;) {
		struct ike_clear *c = *pp;

		if (c->pending) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		if (c->done)
			c->done(c->arg, c->deleted);
		free(c);
	}
}

static void ike_reap(struct ike_engine *e)
{
	ike_reap_all(e, false);
}

/*
 * The versions this engine speaks, by the header's major version.  A
 * major version above the newest is IKEv2's to answer (RFC 7296 2.5).
 */
static const struct ike_ops *const ike_versions[] = {
	[1] = &ikev1_ops,
	[2] = &ikev2_ops,
};

#define IKE_N_VERSIONS	(sizeof(ike_versions) / sizeof(ike_versions[0]))

static const struct ike_ops *ike_version(uint8_t major)
{
	if (major >= IKE_N_VERSIONS)
		return ike_versions[IKE_N_VERSIONS - 1];
	return ike_versions[major];
}

void ike_engine_input(struct ike_engine *e,
		      const struct sockaddr_storage *local,
		      const struct sockaddr_storage *remote, bool natt,
		      const uint8_t *buf, size_t len, uint64_t now_ms)
{
	const struct ike_ops *ops;
	char a[INET6_ADDRSTRLEN];
	struct msg_hdr h;

	e->now_ms = now_ms;
	e->stats.rx++;
	if (msg_hdr_parse(buf, len, &h)) {
		/* No header: no SPIs, no version, nothing to answer. */
		e->stats.malformed++;
		sa_log(e, LOG_INFO, "%s: message dropped: %zu bytes, shorter than the IKE header",
		       sa_addr_str(remote, a, sizeof(a)), len);
		return;
	}
	ops = ike_version(h.major);
	if (!ops) {
		/* Major version 0: no such IKE, nothing to answer. */
		e->stats.malformed++;
		sa_log(e, LOG_INFO, "%s: message dropped: major version 0",
		       sa_addr_str(remote, a, sizeof(a)));
		return;
	}
	ops->input(e, local, remote, natt, buf, len, &h);
	ike_reap(e);
}

/* The IKE SA of a tunnel that is up or on its way, if any. */
static struct ike_sa *ike_sa_of(struct ike_engine *e, const char *tunnel)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state != IKE_S_DEAD && sa->state != IKE_S_REKEYED &&
		    sa->state != IKE_S_DELETING && !strcmp(sa->tunnel, tunnel))
			return sa;
	}
	return NULL;
}

int ike_engine_initiate(struct ike_engine *e, const char *tunnel,
			uint64_t now_ms)
{
	char what[POLICY_NAME_MAX + 32];
	const struct ike_ops *ops;
	int err;

	e->now_ms = now_ms;
	/* An NEC IX tunnel speaks IKEv2, a Cisco IOS one IKEv1. */
	if (policy_tunnel_find(e->cfg, tunnel))
		ops = &ikev2_ops;
	else if (policy_v1_find(e->cfg, tunnel, NULL))
		ops = &ikev1_ops;
	else
		return -ENOENT;
	if (ike_sa_of(e, tunnel))
		return -EALREADY;
	snprintf(what, sizeof(what), "%s: a new IKE SA", tunnel);
	if (!ike_cac_admit(e, false, what))
		return -EBUSY;
	err = ops->initiate(e, tunnel);
	ike_reap(e);
	return err;
}

int ike_engine_rekey(struct ike_engine *e, const char *tunnel, bool ike,
		     uint64_t now_ms)
{
	struct ike_sa *sa;
	struct child_sa *c;
	bool any = false;

	e->now_ms = now_ms;
	sa = ike_sa_of(e, tunnel);
	if (!sa)
		return -ENOENT;
	if (sa->state != IKE_S_ESTABLISHED)
		return -EAGAIN;
	if (ike) {
		if (sa->want_rekey)
			return -EAGAIN;
		sa->want_rekey = true;
	} else {
		for (c = sa->children; c; c = c->next) {
			if (c->state == CHILD_S_INSTALLED && !c->want_delete) {
				c->want_rekey = true;
				any = true;
			}
		}
		if (!any)
			return sa->children ? -EAGAIN : -ENOENT;
	}
	sa->ops->kick(e, sa);
	ike_reap(e);
	return 0;
}

/*
 * Traffic wants the tunnel (ACQUIRE, connect-type auto): bring up its
 * IKE SA, or, when that is up without a Child SA, a Child SA.
 */
#define IKE_CHILD_GRACE_MS	5000

static void ike_want_tunnel(struct ike_engine *e, const char *tunnel);

/*
 * An IOS "tunnel protection" interface is up as long as the router is,
 * as IOS brings a VTI up; a crypto map entry waits for traffic (ACQUIRE).
 */
static void ike_auto_v1(struct ike_engine *e)
{
	struct policy_v1_effective *eff;
	size_t n = policy_v1_count(e->cfg);

	if (!n)
		return;
	eff = malloc(sizeof(*eff));
	if (!eff)
		return;
	for (size_t i = 0; i < n; i++) {
		policy_v1_effective(e->cfg, i, eff);
		if (eff->kind == POLICY_V1_VTI && !eff->shutdown &&
		    eff->can_come_up)
			ike_want_tunnel(e, eff->ifname);
	}
	free(eff);
}
#define IKE_CHILD_GRACE_MS	5000

static void ike_want_tunnel(struct ike_engine *e, const char *tunnel)
{
	struct ike_sa *sa = ike_sa_of(e, tunnel);

	if (!sa) {
		ike_engine_initiate(e, tunnel, e->now_ms);
		return;
	}
	/*
	 * Up without a Child SA.  An IKEv1 responder gives the initiator,
	 * whose Quick Mode normally follows at once, a moment first (an
	 * IKEv2 one has had its chance in IKE_AUTH).
	 */
	if (sa->state == IKE_S_ESTABLISHED && !sa->children &&
	    (sa->initiator || sa->ops->version != 1 ||
	     e->now_ms >= sa->created_ms + IKE_CHILD_GRACE_MS)) {
		sa->want_child = true;
		sa->ops->kick(e, sa);
	}
}

/*
 * The Child SA a kernel SA belongs to: by device, direction and SPI.  An
 * SPI alone is not enough: the peers choose our outbound SPIs, and two
 * of them may well choose the same one for two tunnels.
 */
static struct child_sa *ike_child_of(struct ike_engine *e, const char *tunnel,
				     uint8_t dir, uint32_t spi,
				     struct ike_sa **owner)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (strcmp(sa->tunnel, tunnel))
			continue;
		for (struct child_sa *c = sa->children; c; c = c->next) {
			if ((dir == IKEVTI_DIR_IN && c->spi_in == spi) ||
			    (dir == IKEVTI_DIR_OUT && c->spi_out == spi)) {
				*owner = sa;
				return c;
			}
		}
	}
	return NULL;
}

/* The tunnel a kernel event is about, as the backend names its device. */
static bool ike_event_tunnel(struct ike_engine *e,
			     const struct kernel_event *ev, char *name,
			     size_t len)
{
	struct backend *be = e->env.be;

	return be && be->ops->tunnel_name &&
	       !be->ops->tunnel_name(be, ev->ifindex, name, len);
}

void ike_engine_kernel_event(struct ike_engine *e,
			     const struct kernel_event *ev, uint64_t now_ms)
{
	struct ike_sa *sa = NULL;
	struct child_sa *c;
	char name[POLICY_IFNAMSIZ];

	e->now_ms = now_ms;
	switch (ev->cmd) {
	case IKEVTI_CMD_EV_ACQUIRE:
		if (!ike_event_tunnel(e, ev, name, sizeof(name)) ||
		    e->shutting_down)
			break;
		sa_log(e, LOG_INFO, "%s: ACQUIRE: traffic needs an SA", name);
		ike_want_tunnel(e, name);
		break;
	case IKEVTI_CMD_EV_EXPIRE:
		if (!ike_event_tunnel(e, ev, name, sizeof(name)))
			break;
		c = ike_child_of(e, name, ev->dir, ev->spi, &sa);
		if (!c)
			break;
		if (ev->hard) {
			/* The kernel removed it: say so to the peer. */
			if (ev->dir == IKEVTI_DIR_IN)
				c->in_installed = false;
			else
				c->out_installed = false;
			c->want_delete = true;
		} else if (c->state == CHILD_S_INSTALLED) {
			c->want_rekey = true;
		}
		sa->ops->kick(e, sa);
		break;
	default:
		break;
	}
	ike_reap(e);
}

uint64_t ike_engine_next_timer(const struct ike_engine *e)
{
	uint64_t t = IKE_NO_TIMER;

	for (size_t i = 0; i < e->cfg->n_tunnel && !e->shutting_down; i++) {
		if (e->cfg->tunnel[i]->connect_auto &&
		    !e->cfg->tunnel[i]->shutdown)
			t = ike_min(t, e->auto_ms);
	}
	if (!e->shutting_down && policy_v1_count(e->cfg))
		t = ike_min(t, e->auto_ms);
	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->ops->next_timer)
			t = ike_min(t, sa->ops->next_timer(sa));
		t = ike_min(t, sa->req.next_ms);
		t = ike_min(t, sa->expire_ms);
		if (sa->state == IKE_S_ESTABLISHED) {
			t = ike_min(t, sa->rekey_ms);
			if (sa->pol.v.dpd_interval && !sa->req.task)
				t = ike_min(t, sa->last_rx_ms +
					    1000ull * sa->pol.v.dpd_interval);
		}
		for (const struct child_sa *c = sa->children; c; c = c->next) {
			t = ike_min(t, c->rekey_ms);
			t = ike_min(t, c->expire_ms);
			t = ike_min(t, c->half_deadline_ms);
		}
	}
	return t;
}

/*
 * RFC 7296 2.4: a liveness check is due only when nothing protected came
 * in, ESP included.  The kernel knows when an inbound SA was last used
 * (wall clock seconds); newer than our last IKE message, it counts.
 */
static bool ike_esp_seen(struct ike_engine *e, struct ike_sa *sa)
{
	struct backend *be = e->env.be;
	uint64_t wall, newest = 0;
	struct kernel_sa *ks;

	if (!be || !be->ops->sa_get || !e->env.wallclock_ms)
		return false;
	ks = malloc(sizeof(*ks));
	if (!ks)
		return false;
	for (struct child_sa *c = sa->children; c; c = c->next) {
		if (c->in_installed &&
		    !be->ops->sa_get(be, sa->tunnel, IKEVTI_DIR_IN, c->spi_in,
				     ks) &&
		    ks->has_cur && ks->cur.use_time > newest)
			newest = ks->cur.use_time;
	}
	secbuf_wipe(ks, sizeof(*ks));
	free(ks);
	wall = e->env.wallclock_ms(e->env.ctx) / 1000;
	if (!newest || newest > wall ||
	    (wall - newest) * 1000 >= e->now_ms - sa->last_rx_ms)
		return false;
	/* Traffic came (wall - newest) s ago: count from then. */
	sa->last_rx_ms = e->now_ms - (wall - newest) * 1000;
	return true;
}

static void ike_sa_timers(struct ike_engine *e, struct ike_sa *sa)
{
	uint64_t now = e->now_ms;

	if (sa->req.task && now >= sa->req.next_ms &&
	    sa->ops->retransmit(e, sa) == -ETIMEDOUT) {
		ike_sa_dead(e, sa, sa->state != IKE_S_ESTABLISHED && sa->fault ?
			    sa->fault : "the peer did not answer");
		return;
	}
	if (now >= sa->expire_ms) {
		sa->expire_ms = IKE_NO_TIMER;
		if (sa->state != IKE_S_ESTABLISHED) {
			ike_sa_dead(e, sa, sa->fault ? sa->fault : "timed out");
			return;
		}
		sa_log(e, LOG_NOTICE, "%s: IKE SA lifetime expired", sa->tunnel);
		sa->want_delete = true;
	}
	if (sa->state == IKE_S_ESTABLISHED && now >= sa->rekey_ms) {
		sa->rekey_ms = IKE_NO_TIMER;
		sa->want_rekey = true;
	}
	if (sa->state == IKE_S_ESTABLISHED && sa->pol.v.dpd_interval &&
	    !sa->req.task &&
	    now >= sa->last_rx_ms + 1000ull * sa->pol.v.dpd_interval &&
	    !ike_esp_seen(e, sa))
		sa->want_dpd = true;
	for (struct child_sa *c = sa->children; c; c = c->next) {
		if (now >= c->rekey_ms) {
			c->rekey_ms = IKE_NO_TIMER;
			if (c->state == CHILD_S_INSTALLED)
				c->want_rekey = true;
		}
		if (now >= c->expire_ms) {
			c->expire_ms = IKE_NO_TIMER;
			c->want_delete = true;
		}
		if (now >= c->half_deadline_ms) {
			struct child_sa *old = sa_child_by_in(sa, c->rekeys_spi);

			/* The rekey's initiator never deleted the old SA. */
			sa_child_complete(e, sa, c);
			if (old && old != c && old->state == CHILD_S_REKEYED)
				old->want_delete = true;
		}
	}
	if (sa->ops->timers)
		sa->ops->timers(e, sa);
	sa->ops->kick(e, sa);
}

void ike_engine_run_timers(struct ike_engine *e, uint64_t now_ms)
{
	e->now_ms = now_ms;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state != IKE_S_DEAD)
			ike_sa_timers(e, sa);
	}
	if (now_ms >= e->auto_ms && !e->shutting_down) {
		e->auto_ms = now_ms + 1000ull * POLICY_AUTO_CHECK_INTERVAL;
		for (size_t i = 0; i < e->cfg->n_tunnel; i++) {
			const struct policy_tunnel *t = e->cfg->tunnel[i];

			if (t->connect_auto && !t->shutdown)
				ike_want_tunnel(e, t->ifname);
		}
		ike_auto_v1(e);
	}
	ike_reap_all(e, true);
}

static bool ike_parse_addr(const char *s, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		ss->ss_family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		ss->ss_family = AF_INET6;
		return true;
	}
	return false;
}

int ike_engine_clear(struct ike_engine *e, const char *peer,
		     void (*done)(void *arg, unsigned int n), void *arg,
		     uint64_t now_ms)
{
	struct ike_clear_filter f = { .peer = peer };
	int err = ike_engine_clear_filter(e, &f, done, arg, now_ms);

	/* Nothing to clear is not an error here: done() already ran. */
	return err == -ENOENT ? 0 : err;
}

static bool ike_clear_match(const struct ike_sa *sa,
			    const struct ike_clear_filter *f,
			    const struct sockaddr_storage *addr)
{
	return sa->state != IKE_S_DEAD && !sa->clear &&
	       (!f->peer || sa_addr_equal(&sa->remote, addr)) &&
	       (!f->conn_id || sa->conn_id == f->conn_id) &&
	       (!f->version || sa->ops->version == f->version);
}

int ike_engine_clear_filter(struct ike_engine *e,
			    const struct ike_clear_filter *f,
			    void (*done)(void *arg, unsigned int n), void *arg,
			    uint64_t now_ms)
{
	struct sockaddr_storage addr;
	struct ike_clear *c;
	bool any = false;

	e->now_ms = now_ms;
	if (f->peer && !ike_parse_addr(f->peer, &addr))
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->done = done;
	c->arg = arg;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (!ike_clear_match(sa, f, &addr))
			continue;
		any = true;
		if (sa->state < IKE_S_ESTABLISHED) {
			sa_ike_kill(e, sa);
			continue;
		}
		sa->clear = c;
		c->pending++;
		if (sa->state != IKE_S_DELETING)
			sa->want_delete = true;
		sa->ops->kick(e, sa);
	}
	c->next = e->clears;
	e->clears = c;
	ike_reap(e);
	return any ? 0 : -ENOENT;
}

int ike_engine_clear_children(struct ike_engine *e, const char *peer,
			      uint64_t now_ms)
{
	struct sockaddr_storage addr;
	int n = 0;

	e->now_ms = now_ms;
	if (peer && !ike_parse_addr(peer, &addr))
		return -EINVAL;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state != IKE_S_ESTABLISHED ||
		    (peer && !sa_addr_equal(&sa->remote, &addr)))
			continue;
		for (struct child_sa *c = sa->children; c; c = c->next) {
			if (!c->want_delete && c->state != CHILD_S_DELETING) {
				c->want_delete = true;
				n++;
			}
		}
		sa->ops->kick(e, sa);
	}
	ike_reap(e);
	return n;
}

int ike_engine_dev_stats(const struct ike_engine *e, const char *tunnel,
			 struct kernel_dev_stats *out)
{
	struct backend *be = e->env.be;

	if (!be || !be->ops->dev_stats)
		return -EOPNOTSUPP;
	return be->ops->dev_stats(be, tunnel, out);
}

void ike_engine_shutdown(struct ike_engine *e, uint64_t now_ms)
{
	e->now_ms = now_ms;
	e->shutting_down = true;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_S_DELETING)
			continue;
		if (sa->state != IKE_S_ESTABLISHED || sa->pol.v.suppress_delete) {
			sa_ike_kill(e, sa);
			continue;
		}
		while (sa->ops->children_die_with_ike && sa->children)
			sa_child_free(e, sa, sa->children);
		sa_ike_reset_req(sa);
		sa->want_delete = true;
		sa->ops->kick(e, sa);
	}
	ike_reap(e);
}

bool ike_engine_idle(const struct ike_engine *e)
{
	return !e->sas;
}

int ike_engine_reload(struct ike_engine *e, const struct policy_config *cfg,
		      uint64_t now_ms)
{
	e->now_ms = now_ms;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state != IKE_S_DEAD && sa->ops->keep(e, sa, cfg))
			continue;
		/* Nothing may point into the old configuration. */
		sa->pol.tunnel = NULL;
		sa->pol.profile = NULL;
		sa->pol.local_psk = NULL;
		sa->pol.peer_psk = NULL;
		if (sa->state == IKE_S_ESTABLISHED) {
			sa_log(e, LOG_INFO, "%s: configuration changed, deleting the IKE SA",
			       sa->tunnel);
			sa->want_delete = true;
		} else if (sa->state != IKE_S_DELETING) {
			sa_ike_kill(e, sa);
		}
	}
	e->cfg = cfg;
	e->auto_ms = now_ms;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		sa->ops->kick(e, sa);
	ike_reap(e);
	return 0;
}

static void ike_ms_s(uint64_t now, uint64_t then, uint64_t *out)
{
	*out = then == IKE_NO_TIMER ? 0 :
	       now >= then ? (now - then) / 1000 : (then - now) / 1000;
}

static const char *ike_child_state_name(uint8_t s)
{
	static const char *const names[] = {
		[CHILD_S_INSTALLED] = "INSTALLED",
		[CHILD_S_REKEYING] = "REKEYING",
		[CHILD_S_REKEYED] = "REKEYED",
		[CHILD_S_HALF] = "INBOUND ONLY",
		[CHILD_S_DELETING] = "DELETING",
	};

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static uint64_t ike_spi64(const uint8_t *p)
{
	return (uint64_t)msg_get32(p) << 32 | msg_get32(p + 4);
}

int ike_engine_foreach_ike_sa(const struct ike_engine *e,
			      int (*fn)(const struct ike_sa_info *, void *),
			      void *arg, uint64_t now_ms)
{
	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		struct ike_sa_info i;
		int err;

		memset(&i, 0, sizeof(i));
		snprintf(i.tunnel, sizeof(i.tunnel), "%s", sa->tunnel);
		i.version = sa->ops->version;
		i.initiator = sa->initiator;
		i.spi_i = ike_spi64(sa->spi_i);
		i.spi_r = ike_spi64(sa->spi_r);
		i.conn_id = sa->conn_id;
		i.local = sa->local;
		i.remote = sa->remote;
		i.natt = sa->natt;
		if (sa->has_sel) {
			i.encr_id = sa->sel.encr;
			i.encr_bits = sa->sel.encr_bits;
			i.prf_id = sa->sel.prf;
			i.dh_group = sa->sel.dh;
		}
		/* Pre-shared keys are all there is until certificates. */
		snprintf(i.auth, sizeof(i.auth), "psk");
		i.cap_dpd = sa->ops->dpd_on && sa->ops->dpd_on(sa);
		i.cap_natt = sa->natt;
		if (sa->expire_ms != IKE_NO_TIMER && sa->expire_ms > now_ms)
			i.expire_in_s = (sa->expire_ms - now_ms) / 1000;
		snprintf(i.state, sizeof(i.state), "%s", sa->ops->state_name(sa));
		policy_id_format(&sa->local_id, i.local_id, sizeof(i.local_id));
		policy_id_format(&sa->remote_id, i.remote_id, sizeof(i.remote_id));
		if (sa->has_sel) {
			snprintf(i.enc, sizeof(i.enc), "%s", prop_encr_name(&sa->sel));
			snprintf(i.integ, sizeof(i.integ), "%s",
				 prop_integ_name(&sa->sel));
			snprintf(i.prf, sizeof(i.prf), "%s", prop_prf_name(&sa->sel));
			snprintf(i.dh, sizeof(i.dh), "%s", prop_dh_name(sa->sel.dh));
		}
		ike_ms_s(now_ms, sa->created_ms, &i.established_s);
		i.lifetime_s = sa->pol.v.sa_lifetime;
		ike_ms_s(now_ms, sa->rekey_ms, &i.rekey_in_s);
		i.dpd_interval_s = sa->pol.v.dpd_interval;
		ike_ms_s(now_ms, sa->last_rx_ms, &i.last_seen_s);
		for (const struct child_sa *c = sa->children; c; c = c->next)
			i.n_child++;
		err = fn(&i, arg);
		if (err)
			return err;
	}
	return 0;
}

static void ike_child_use(const struct ike_engine *e, const struct ike_sa *sa,
			  const struct child_sa *c, struct ike_child_info *i)
{
	struct backend *be = e->env.be;
	struct kernel_sa *ks;

	if (!be || !be->ops->sa_get)
		return;
	ks = malloc(sizeof(*ks));
	if (!ks)
		return;
	if (c->in_installed &&
	    !be->ops->sa_get(be, sa->tunnel, IKEVTI_DIR_IN, c->spi_in, ks)) {
		if (ks->has_cur) {
			i->bytes_in = ks->cur.bytes;
			i->packets_in = ks->cur.packets;
		}
		if (ks->has_replay_window)
			i->replay_window = ks->replay_window;
		i->lifetime_kb = ks->lifetime.hard_bytes / 1024;
	}
	if (c->out_installed &&
	    !be->ops->sa_get(be, sa->tunnel, IKEVTI_DIR_OUT, c->spi_out, ks) &&
	    ks->has_cur) {
		i->bytes_out = ks->cur.bytes;
		i->packets_out = ks->cur.packets;
	}
	secbuf_wipe(ks, sizeof(*ks));
	free(ks);
}

int ike_engine_foreach_child_sa(const struct ike_engine *e,
				int (*fn)(const struct ike_child_info *,
					  void *),
				void *arg, uint64_t now_ms)
{
	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		for (const struct child_sa *c = sa->children; c; c = c->next) {
			struct ike_child_info i;
			struct pl_ts_list l;
			int err;

			memset(&i, 0, sizeof(i));
			snprintf(i.tunnel, sizeof(i.tunnel), "%s", sa->tunnel);
			i.ike_spi_i = ike_spi64(sa->spi_i);
			i.ike_spi_r = ike_spi64(sa->spi_r);
			i.version = sa->ops->version;
			i.conn_id_in = c->conn_id;
			i.conn_id_out = c->conn_id + 1;
			i.local = sa->local;
			i.remote = sa->remote;
			/* The module has no ESP in UDP yet (see child.c). */
			i.udp_encap = false;
			i.encr_id = c->sel.encr;
			i.encr_bits = c->sel.encr_bits;
			i.integ_id = c->sel.integ;
			i.pfs_group = c->sel.dh;
			i.spi_in = c->spi_in;
			i.spi_out = c->spi_out;
			snprintf(i.state, sizeof(i.state), "%s",
				 ike_child_state_name(c->state));
			snprintf(i.enc, sizeof(i.enc), "%s", prop_encr_name(&c->sel));
			snprintf(i.integ, sizeof(i.integ), "%s",
				 prop_integ_name(&c->sel));
			snprintf(i.pfs, sizeof(i.pfs), "%s", prop_dh_name(c->sel.dh));
			memset(&l, 0, sizeof(l));
			l.n = c->n_ts_l;
			memcpy(l.ts, c->ts_l, l.n * sizeof(l.ts[0]));
			ts_to_policy(&l, &i.ts_local);
			l.n = c->n_ts_r;
			memcpy(l.ts, c->ts_r, l.n * sizeof(l.ts[0]));
			ts_to_policy(&l, &i.ts_remote);
			ike_ms_s(now_ms, c->created_ms, &i.established_s);
			i.lifetime_s = sa->pol.v.child_lifetime;
			ike_ms_s(now_ms, c->rekey_ms, &i.rekey_in_s);
			ike_child_use(e, sa, c, &i);
			err = fn(&i, arg);
			if (err)
				return err;
		}
	}
	return 0;
}

int ike_engine_foreach_event(const struct ike_engine *e,
			     int (*fn)(const struct ike_event_info *, void *),
			     void *arg)
{
	for (size_t t = 0; t < e->n_evlog; t++) {
		const struct ike_evlog *l = &e->evlog[t];

		for (unsigned int i = 0; i < l->n; i++) {
			int err = fn(&l->ev[(l->head + i) % IKE_EVENTS_PER_TUNNEL],
				     arg);

			if (err)
				return err;
		}
	}
	return 0;
}

void ike_engine_stats(const struct ike_engine *e, struct ike_stats *out)
{
	*out = e->stats;
}
