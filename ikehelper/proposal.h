/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SA payload proposals (RFC 7296 3.3): what we offer and what we accept.
 *
 * We propose everything the policy allows, most secure first, in two
 * proposals: one of AEAD ciphers (no integrity transform, RFC 5282 8)
 * and one of the others with their integrity algorithms.  As a
 * responder we take, over all of the peer's proposals, the combination
 * that ranks highest in our own order of preference (policy.h lists
 * every kind most secure first), as seed 003 asks.
 */
#ifndef IKEHELPER_PROPOSAL_H
#define IKEHELPER_PROPOSAL_H

#include <stdbool.h>
#include <stdint.h>

#include "payload.h"
#include "policy.h"

/* One negotiated suite. */
struct prop_sel {
	uint8_t num;		/* the proposal number it came from */
	uint8_t proto;		/* IKEV2_PROTO_IKE or _ESP */
	uint16_t encr;		/* IKEV2_ENCR_* */
	uint16_t encr_bits;	/* Key Length attribute, 0 if none */
	uint16_t integ;		/* IKEV2_INTEG_*, NONE with an AEAD */
	uint16_t prf;		/* IKE only */
	uint16_t dh;		/* IKEV2_DH_*, NONE: no (PFS) group */
	bool esn;		/* ESP only */
	uint8_t spi_size;
	uint8_t spi[PL_SPI_MAX];	/* the peer's SPI in that proposal */
};

/* What a proposal is for. */
enum prop_kind {
	PROP_IKE,		/* IKE_SA_INIT, IKE SA rekey: with DH */
	PROP_CHILD,		/* IKE_AUTH: no DH transform */
	PROP_CHILD_PFS,		/* CREATE_CHILD_SA: child-pfs groups */
};

/*
 * Our offer from policy o.  first_dh is the group our KE carries: it is
 * moved to the front of the DH list (0: keep the configured order).
 * spi is the SPI to announce (8 bytes for an IKE SA rekey, 4 for ESP,
 * spi_size 0 for IKE_SA_INIT).
 */
void prop_offer(const struct policy_opts *o, enum prop_kind kind,
		uint16_t first_dh, const uint8_t *spi, uint8_t spi_size,
		struct pl_sa *out);

/*
 * Responder: choose from the peer's offer.  ke_group is the group of the
 * peer's KE payload (0: none); when that group is acceptable in the
 * chosen proposal it is taken, to spare a round trip.  Returns 0,
 * -ENOENT when nothing is acceptable (NO_PROPOSAL_CHOSEN).
 */
int prop_choose(const struct pl_sa *offer, const struct policy_opts *o,
		enum prop_kind kind, uint16_t ke_group, struct prop_sel *out);

/* The SA payload of our answer: sel, with our SPI. */
void prop_answer(const struct prop_sel *sel, const uint8_t *spi,
		 uint8_t spi_size, struct pl_sa *out);

/*
 * Initiator: the responder's answer must be one proposal that picks one
 * transform of each type from the proposal of ours it names.  0 or
 * -EBADMSG.
 */
int prop_check_answer(const struct pl_sa *answer, const struct pl_sa *offer,
		      enum prop_kind kind, struct prop_sel *out);

/* "show" names of a suite's transforms; "" when not applicable. */
const char *prop_encr_name(const struct prop_sel *s);
const char *prop_integ_name(const struct prop_sel *s);
const char *prop_prf_name(const struct prop_sel *s);
const char *prop_dh_name(uint16_t group);

#endif /* IKEHELPER_PROPOSAL_H */
