/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKEVTI_ESP_H
#define _IKEVTI_ESP_H

#include <linux/skbuff.h>

struct ikevti_sa;
struct ikevti_sa_config;
struct netlink_ext_ack;

#define IKEVTI_ESP_HLEN		8	/* SPI + sequence number */

int ikevti_esp_init_sa(struct ikevti_sa *sa, const struct ikevti_sa_config *c,
		       struct netlink_ext_ack *extack);
void ikevti_esp_free_sa(struct ikevti_sa *sa);

/*
 * Protect skb (the inner packet, nexthdr its protocol) in place.  The
 * result, ESP header to ICV, goes to ikevti_send_finish() once the cipher
 * is done: right away, or later for asynchronous implementations.
 */
void ikevti_esp_output(struct ikevti_sa *sa, struct sk_buff *skb, u8 nexthdr);

/*
 * Verify and decrypt skb, whose data starts at the ESP header, with seq the
 * full (ESN-inferred) sequence number that passed the replay pre-check.
 * Goes on in ikevti_receive_finish().
 */
void ikevti_esp_input(struct ikevti_sa *sa, struct sk_buff *skb, u64 seq);

/* Completion sides, in send.c and receive.c. */
void ikevti_send_finish(struct ikevti_sa *sa, struct sk_buff *skb, int err);
void ikevti_receive_finish(struct ikevti_sa *sa, struct sk_buff *skb,
			   u64 seq, int err);

#endif /* _IKEVTI_ESP_H */
