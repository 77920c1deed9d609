// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: ESP packets of the underlay reach us first through the xfrm
 * protocol chains (ahead of the kernel's own esp4/esp6); what belongs to
 * no ikevti SA and no ikevti device goes on to XFRM untouched.
 *
 * Replay protection: checked before decryption, advanced only after the
 * ICV verified, and checked again then, since with an asynchronous cipher
 * other packets may have moved the window in between.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/xfrm.h>

#include "device.h"
#include "esp.h"
#include "receive.h"
#include "sa.h"

struct ikevti_rx_cb {
	u8 outer_dsfield;
};

static struct ikevti_rx_cb *ikevti_rx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct ikevti_rx_cb) > sizeof(skb->cb));
	return (struct ikevti_rx_cb *)skb->cb;
}

static void ikevti_rx_drop(struct ikevti_sa *sa, struct sk_buff *skb,
			   unsigned int reason)
{
	if (reason)
		ikevti_stats_inc(sa->stats, reason);
	ikevti_stats_inc(sa->ikd->stats, IKEVTI_DEV_STATS_A_RECV_ERRORS);
	DEV_STATS_INC(sa->dev, rx_errors);
	kfree_skb(skb);
}

/* An ESP packet for no SA of ours: ours to count if it came to a tunnel. */
static int ikevti_rx_unknown(struct sk_buff *skb, unsigned short family,
			     unsigned int reason)
{
	struct ikevti_device *ikd;

	if (family == AF_INET)
		ikd = ikevti_device_by_addr(dev_net(skb->dev), AF_INET,
					    &ip_hdr(skb)->daddr,
					    &ip_hdr(skb)->saddr);
	else
		ikd = ikevti_device_by_addr(dev_net(skb->dev), AF_INET6,
					    &ipv6_hdr(skb)->daddr,
					    &ipv6_hdr(skb)->saddr);
	if (!ikd)
		return -EINVAL;
	ikevti_stats_inc(ikd->stats, reason);
	ikevti_stats_inc(ikd->stats, IKEVTI_DEV_STATS_A_RECV_ERRORS);
	DEV_STATS_INC(ikd->dev, rx_errors);
	kfree_skb(skb);
	return 0;
}

static int ikevti_rcv(struct sk_buff *skb, unsigned short family)
{
	unsigned int hlen, minlen;
	struct ikevti_replay *replay;
	struct ip_esp_hdr *esph;
	struct ikevti_sa *sa;
	u64 seq;
	int err;

	rcu_read_lock();
	/*
	 * Only the SPI is needed to find the SA: a packet that names a live
	 * SA but stops short of its sequence number is that SA's truncated
	 * packet, not an unknown SPI.
	 */
	if (!pskb_may_pull(skb, sizeof(esph->spi))) {
		err = ikevti_rx_unknown(skb, family,
					IKEVTI_DEV_STATS_A_INVALID_SA);
		goto out;
	}
	esph = (struct ip_esp_hdr *)skb->data;
	sa = ikevti_sa_lookup_in(dev_net(skb->dev), esph->spi);
	if (!sa) {
		err = ikevti_rx_unknown(skb, family,
					IKEVTI_DEV_STATS_A_INVALID_SA);
		goto out;
	}
	err = 0;
	if (atomic_read(&sa->expired) == 2) {
		ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_INVALID_SA);
		goto out;
	}

	hlen = IKEVTI_ESP_HLEN + sa->ivlen;
	minlen = hlen + sa->blksize + sa->icvlen;
	if (skb->len < minlen || !pskb_may_pull(skb, hlen) ||
	    (skb->len - hlen - sa->icvlen) % sa->blksize) {
		ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_TRUNCATED);
		goto out;
	}
	esph = (struct ip_esp_hdr *)skb->data;

	replay = rcu_dereference(sa->replay);
	seq = ikevti_replay_infer_seq(replay, ntohl(esph->seq_no),
				      sa->flags & IKEVTI_SA_F_ESN);
	if (ikevti_replay_check(replay, seq)) {
		ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_REPLAY);
		goto out;
	}
	if (!(sa->dev->flags & IFF_UP) || !ikevti_sa_get(sa)) {
		ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_MISC);
		goto out;
	}
	rcu_read_unlock();

	ikevti_rx_cb(skb)->outer_dsfield = family == AF_INET ?
		ipv4_get_dsfield(ip_hdr(skb)) : ipv6_get_dsfield(ipv6_hdr(skb));
	skb_dst_drop(skb);
	ikevti_esp_input(sa, skb, seq);
	return 0;
out:
	rcu_read_unlock();
	return err;
}

static unsigned int ikevti_rx_err_reason(int err)
{
	switch (err) {
	case -EBADMSG:
		return IKEVTI_STATS_A_INTEGRITY_FAILED;
	case -ENOMEM:
		return IKEVTI_STATS_A_NOMEM;
	case -ENOSPC:
	case -EBUSY:
	case -EAGAIN:
		return IKEVTI_STATS_A_CRYPTO_BUSY;
	}
	return IKEVTI_STATS_A_CIPHER_FAILED;
}

/* RFC 4303 §2.4: the pad bytes are 1, 2, 3, ... */
static bool ikevti_padding_ok(struct sk_buff *skb, unsigned int off,
			      unsigned int padlen)
{
	u8 buf[255];
	unsigned int i;

	if (skb_copy_bits(skb, off, buf, padlen))
		return false;
	for (i = 0; i < padlen; i++)
		if (buf[i] != i + 1)
			return false;
	return true;
}

/* RFC 6040 §4.2: fold the outer ECN into the inner header. */
static bool ikevti_ecn_decap(struct sk_buff *skb, u8 outer)
{
	if (!INET_ECN_is_ce(outer))
		return true;
	if (skb->protocol == htons(ETH_P_IP)) {
		if (INET_ECN_is_not_ect(ipv4_get_dsfield(ip_hdr(skb))))
			return false;
		IP_ECN_set_ce(ip_hdr(skb));
	} else {
		if (INET_ECN_is_not_ect(ipv6_get_dsfield(ipv6_hdr(skb))))
			return false;
		IP6_ECN_set_ce(skb, ipv6_hdr(skb));
	}
	return true;
}

void ikevti_receive_finish(struct ikevti_sa *sa, struct sk_buff *skb,
			   u64 seq, int err)
{
	struct ikevti_device *ikd = sa->ikd;
	struct net_device *dev = sa->dev;
	unsigned int hlen = IKEVTI_ESP_HLEN + sa->ivlen;
	unsigned int plen, padlen, len;
	struct ikevti_replay *replay;
	struct ikevti_flow f;
	u8 trailer[2], outer;

	if (unlikely(err)) {
		ikevti_rx_drop(sa, skb, ikevti_rx_err_reason(err));
		goto out;
	}

	spin_lock_bh(&sa->replay_lock);
	replay = rcu_dereference_protected(sa->replay,
					   lockdep_is_held(&sa->replay_lock));
	err = ikevti_replay_advance(replay, seq);
	spin_unlock_bh(&sa->replay_lock);
	if (err) {
		ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_REPLAY);
		goto out;
	}

	plen = skb->len - hlen - sa->icvlen;
	if (skb_copy_bits(skb, hlen + plen - 2, trailer, 2)) {
		ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_TRUNCATED);
		goto out;
	}
	padlen = trailer[0];
	if (padlen + 2 > plen ||
	    !ikevti_padding_ok(skb, hlen + plen - 2 - padlen, padlen)) {
		ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_INVALID_PADDING);
		goto out;
	}
	len = plen - 2 - padlen;
	if (pskb_trim(skb, hlen + len)) {
		ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_NOMEM);
		goto out;
	}
	__skb_pull(skb, hlen);
	skb_reset_network_header(skb);

	switch (trailer[1]) {
	case IPPROTO_IPIP:
		skb->protocol = htons(ETH_P_IP);
		if (!pskb_may_pull(skb, sizeof(struct iphdr)) ||
		    ip_hdr(skb)->version != 4) {
			ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_UNKNOWN_PROTO);
			goto out;
		}
		break;
	case IPPROTO_IPV6:
		skb->protocol = htons(ETH_P_IPV6);
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)) ||
		    ipv6_hdr(skb)->version != 6) {
			ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_UNKNOWN_PROTO);
			goto out;
		}
		break;
	case IPPROTO_NONE:
		/* RFC 4303 §2.6: a dummy packet, for traffic flow confidentiality. */
		consume_skb(skb);
		goto out;
	default:
		ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_UNKNOWN_PROTO);
		goto out;
	}

	if (ikevti_flow_from_skb(skb, &f) || !ikevti_sa_match_flow(sa, &f, false)) {
		ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_TS_UNACCEPTABLE);
		goto out;
	}
	outer = ikevti_rx_cb(skb)->outer_dsfield;
	if (!ikevti_ecn_decap(skb, outer)) {
		DEV_STATS_INC(dev, rx_frame_errors);
		ikevti_rx_drop(sa, skb, IKEVTI_STATS_A_MISC);
		goto out;
	}

	ikevti_stats_inc(sa->stats, IKEVTI_STATS_A_PACKETS);
	ikevti_stats_add(sa->stats, IKEVTI_STATS_A_OCTETS, skb->len);
	ikevti_stats_inc(ikd->stats, IKEVTI_DEV_STATS_A_DECAPS);
	ikevti_stats_inc(ikd->stats, IKEVTI_DEV_STATS_A_DECRYPT);
	ikevti_stats_inc(ikd->stats, IKEVTI_DEV_STATS_A_VERIFY);
	ikevti_sa_account(sa, skb->len);

	skb_scrub_packet(skb, !net_eq(sa->net, dev_net(dev)));
	skb->dev = dev;
	skb->pkt_type = PACKET_HOST;
	skb->ip_summed = CHECKSUM_NONE;
	skb_reset_transport_header(skb);
	dev_sw_netstats_rx_add(dev, skb->len);
	gro_cells_receive(&ikd->gro_cells, skb);
out:
	ikevti_sa_put(sa);
}

static int ikevti_rcv4(struct sk_buff *skb)
{
	return ikevti_rcv(skb, AF_INET);
}

static int ikevti_rcv6(struct sk_buff *skb)
{
	return ikevti_rcv(skb, AF_INET6);
}

/* These chains also see the kernel's own XFRM traffic: let it pass. */
static int ikevti_input_pass(struct sk_buff *skb, int nexthdr, __be32 spi,
			     int encap_type)
{
	return -EINVAL;
}

static int ikevti_cb_pass(struct sk_buff *skb, int err)
{
	return 1;
}

static int ikevti_err4(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	struct net *net = dev_net(skb->dev);

	if (!ikevti_device_by_addr(net, AF_INET, &iph->saddr, &iph->daddr))
		return -ENOENT;
	if (icmp_hdr(skb)->type == ICMP_DEST_UNREACH &&
	    icmp_hdr(skb)->code == ICMP_FRAG_NEEDED)
		ipv4_update_pmtu(skb, net, info, 0, IPPROTO_ESP);
	else if (icmp_hdr(skb)->type == ICMP_REDIRECT)
		ipv4_redirect(skb, net, 0, IPPROTO_ESP);
	return 0;
}

static int ikevti_err6(struct sk_buff *skb, struct inet6_skb_parm *opt,
		       u8 type, u8 code, int offset, __be32 info)
{
	const struct ipv6hdr *ip6h = (const struct ipv6hdr *)skb->data;
	struct net *net = dev_net(skb->dev);

	if (!ikevti_device_by_addr(net, AF_INET6, &ip6h->saddr, &ip6h->daddr))
		return -ENOENT;
	if (type == ICMPV6_PKT_TOOBIG)
		ip6_update_pmtu(skb, net, info, 0, 0, sock_net_uid(net, NULL));
	else if (type == NDISC_REDIRECT)
		ip6_redirect(skb, net, 0, 0, sock_net_uid(net, NULL));
	return 0;
}

static struct xfrm4_protocol ikevti_esp4 __read_mostly = {
	.handler	= ikevti_rcv4,
	.input_handler	= ikevti_input_pass,
	.cb_handler	= ikevti_cb_pass,
	.err_handler	= ikevti_err4,
	.priority	= 200,
};

static struct xfrm6_protocol ikevti_esp6 __read_mostly = {
	.handler	= ikevti_rcv6,
	.input_handler	= ikevti_input_pass,
	.cb_handler	= ikevti_cb_pass,
	.err_handler	= ikevti_err6,
	.priority	= 200,
};

int __init ikevti_receive_init(void)
{
	int err;

	err = xfrm4_protocol_register(&ikevti_esp4, IPPROTO_ESP);
	if (err)
		return err;
	err = xfrm6_protocol_register(&ikevti_esp6, IPPROTO_ESP);
	if (err)
		xfrm4_protocol_deregister(&ikevti_esp4, IPPROTO_ESP);
	return err;
}

void ikevti_receive_uninit(void)
{
	xfrm6_protocol_deregister(&ikevti_esp6, IPPROTO_ESP);
	xfrm4_protocol_deregister(&ikevti_esp4, IPPROTO_ESP);
}
