// SPDX-License-Identifier: GPL-2.0
/*
 * Child SAs: keys from KEYMAT (RFC 7296 2.17), the kernel SAs handed to
 * the backend, and the rekey and expiry timers.
 *
 * KEYMAT is cut initiator-to-responder first: encryption key (with the
 * 4-byte salt of an AEAD, which the kernel takes as part of the key),
 * then integrity key; then the same for responder-to-initiator.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ikev2.h"

int v2_child_install(struct ike_engine *e, struct ike_sa *sa,
		     struct child_sa *c, const struct secbuf *gir,
		     const struct secbuf *ni, const struct secbuf *nr,
		     bool defer_out)
{
	struct keymat_v2_algs algs = {
		.encr = c->sel.encr,
		.encr_bits = c->sel.encr_bits,
		.integ = c->sel.integ,
	};
	struct backend *be = e->env.be;
	struct kernel_sa *in = NULL, *out = NULL;
	struct keymat_v2_child k;
	int err;

	memset(&k, 0, sizeof(k));
	err = keymat_v2_child_derive(sa->sel.prf, sa->v2.km.sk_d, gir, ni->data,
				     ni->len, nr->data, nr->len, &algs, &k);
	if (err)
		return err;
	in = malloc(sizeof(*in));
	out = malloc(sizeof(*out));
	err = -ENOMEM;
	if (!in || !out)
		goto done;
	/* The initiator of this exchange sends with the _i keys. */
	err = sa_child_kernel(sa, c, sa->pol.v.child_lifetime, IKEVTI_DIR_IN,
			   c->initiated ? k.encr_r : k.encr_i,
			   c->initiated ? k.integ_r : k.integ_i, in);
	if (!err)
		err = sa_child_kernel(sa, c, sa->pol.v.child_lifetime, IKEVTI_DIR_OUT,
				   c->initiated ? k.encr_i : k.encr_r,
				   c->initiated ? k.integ_i : k.integ_r, out);
	if (err)
		goto done;
	/* Inbound first: the peer may use the new SA as soon as it has it. */
	err = be ? be->ops->sa_add(be, sa->tunnel, in) : 0;
	if (err) {
		sa_log(e, LOG_ERR, "%s: inbound SA 0x%08x not installed: %s",
		       sa->tunnel, c->spi_in, strerror(-err));
		goto done;
	}
	c->in_installed = true;
	if (defer_out) {
		c->pending_out = out;
		out = NULL;
		c->state = CHILD_S_HALF;
		c->half_deadline_ms = e->now_ms + 1000ull *
			(sa->pol.retransmit[0] + sa->pol.retransmit[1] +
			 sa->pol.retransmit[2] + sa->pol.retransmit_timeout);
	} else {
		err = be ? be->ops->sa_add(be, sa->tunnel, out) : 0;
		if (err) {
			sa_log(e, LOG_ERR, "%s: outbound SA 0x%08x not installed: %s",
			       sa->tunnel, c->spi_out, strerror(-err));
			goto done;
		}
		c->out_installed = true;
		c->state = CHILD_S_INSTALLED;
	}
	e->stats.child_sa_created++;
	sa_event(e, sa->tunnel, "Child SA created, in 0x%08x out 0x%08x %s%s%s",
		 c->spi_in, c->spi_out, prop_encr_name(&c->sel),
		 c->sel.integ ? " " : "", prop_integ_name(&c->sel));
	v2_child_timers(e, sa, c);
done:
	if (in) {
		secbuf_wipe(in, sizeof(*in));
		free(in);
	}
	if (out) {
		secbuf_wipe(out, sizeof(*out));
		free(out);
	}
	keymat_v2_child_free(&k);
	return err;
}

static int v2_ts_copy(struct pl_ts **dst, uint8_t *n,
		      const struct pl_ts_list *src)
{
	struct pl_ts *p = malloc(src->n * sizeof(*p) + 1);

	if (!p)
		return -ENOMEM;
	memcpy(p, src->ts, src->n * sizeof(*p));
	free(*dst);
	*dst = p;
	*n = src->n;
	return 0;
}

int v2_child_set_ts(struct child_sa *c, const struct pl_ts_list *local,
		    const struct pl_ts_list *remote)
{
	if (v2_ts_copy(&c->ts_l, &c->n_ts_l, local) ||
	    v2_ts_copy(&c->ts_r, &c->n_ts_r, remote))
		return -ENOMEM;
	return 0;
}

int v2_nonce_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);

	if (r)
		return r;
	return alen < blen ? -1 : alen > blen;
}

int v2_child_set_nonces(struct child_sa *c, const struct secbuf *n1,
			const struct pl_nonce *n2)
{
	const uint8_t *lo = n1->data;
	size_t len = n1->len;

	if (v2_nonce_cmp(n2->data, n2->len, n1->data, n1->len) < 0) {
		lo = n2->data;
		len = n2->len;
	}
	free(c->min_nonce);
	c->min_nonce = malloc(len);
	if (!c->min_nonce)
		return -ENOMEM;
	memcpy(c->min_nonce, lo, len);
	c->min_nonce_len = len;
	return 0;
}

void v2_child_timers(struct ike_engine *e, struct ike_sa *sa,
		     struct child_sa *c)
{
	uint64_t life = sa->pol.v.child_lifetime;
	uint64_t margin = sa->pol.child_rekey_margin;

	c->created_ms = e->now_ms;
	c->expire_ms = e->now_ms + life * 1000;
	c->rekey_ms = IKE_NO_TIMER;
	if (!sa->pol.initiate_rekey || sa->pol.v.suppress_rekey)
		return;
	/*
	 * The end that made the Child SA rekeys it; the other end only
	 * steps in half a margin later, if that has not happened, so the
	 * two rarely collide.
	 */
	c->rekey_ms = e->now_ms + 1000 * (life - (c->initiated ? margin
								: margin / 2));
}
