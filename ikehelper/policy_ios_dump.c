// SPDX-License-Identifier: GPL-2.0
/*
 * An IOS file as text: the configuration in canonical IOS form, which
 * reads back as the same configuration (only the lines that were set,
 * keys as "<hidden>", which the parser refuses as a key), and one
 * ikevti device's effective IKEv1 policy with where each setting came
 * from.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "policy.h"
#include "policy_ios.h"
#include "policy_priv.h"

static void policy_mask(FILE *f, unsigned int plen, bool wildcard)
{
	uint32_t m = plen ? ~0u << (32 - plen) : 0;
	struct policy_addr a = { AF_INET, { 0 } };

	if (wildcard)
		m = ~m;
	m = htonl(m);
	memcpy(a.a, &m, 4);
	policy_dump_addr(f, &a);
}

/* "A MASK", or "A" alone for a /32 unless always. */
static void policy_prefix(FILE *f, const struct policy_addr *a,
			  unsigned int plen, bool always)
{
	policy_dump_addr(f, a);
	if (plen != 32 || always) {
		fputc(' ', f);
		policy_mask(f, plen, false);
	}
}

static void policy_local(FILE *f, const struct policy_v1_local *l)
{
	if (l->ifname[0])
		fprintf(f, "%s", l->ifname);
	else
		policy_dump_addr(f, &l->addr);
}

static void policy_dump_isakmp(FILE *f, const struct policy_isakmp_policy *p)
{
	fprintf(f, "crypto isakmp policy %u\n", p->prio);
	if (p->floc[POLICY_IP_ENC].line)
		fprintf(f, " encryption %s\n",
			policy_v1_alg(POLICY_V1_KIND_ENC, p->enc)->name);
	if (p->floc[POLICY_IP_HASH].line)
		fprintf(f, " hash %s\n",
			policy_v1_alg(POLICY_V1_KIND_HASH, p->hash)->name);
	if (p->floc[POLICY_IP_AUTH].line)
		fprintf(f, " authentication pre-share\n");
	if (p->floc[POLICY_IP_GROUP].line)
		fprintf(f, " group %s\n",
			policy_v1_alg(POLICY_V1_KIND_GROUP, p->group)->name);
	if (p->floc[POLICY_IP_LIFETIME].line)
		fprintf(f, " lifetime %u\n", p->lifetime);
	fprintf(f, "!\n");
}

static void policy_dump_psk_place(FILE *f, const struct policy_v1_psk *k)
{
	if (k->host) {
		fprintf(f, "hostname %s", k->hostname);
		return;
	}
	fprintf(f, "address ");
	policy_prefix(f, &k->addr, k->plen, !k->plen);
}

static void policy_dump_keyrings(FILE *f, const struct policy_ios *ios)
{
	const struct policy_keyring *d = &ios->default_ring;

	for (size_t i = 0; i < d->n_psk; i++) {
		fprintf(f, "crypto isakmp key <hidden> ");
		policy_dump_psk_place(f, &d->psk[i]);
		fprintf(f, "%s\n", d->psk[i].no_xauth ? " no-xauth" : "");
	}
	if (d->n_psk)
		fprintf(f, "!\n");
	for (size_t r = 0; r < ios->n_keyring; r++) {
		const struct policy_keyring *k = ios->keyring[r];

		fprintf(f, "crypto keyring %s\n", k->name);
		if (k->local_loc.line) {
			fprintf(f, " local-address ");
			policy_local(f, &k->local);
			fputc('\n', f);
		}
		for (size_t i = 0; i < k->n_psk; i++) {
			fprintf(f, " pre-shared-key ");
			policy_dump_psk_place(f, &k->psk[i]);
			fprintf(f, " key <hidden>\n");
		}
		fprintf(f, "!\n");
	}
}

static void policy_dump_profile(FILE *f, const struct policy_isakmp_profile *p)
{
	static const char *const ids[] = { "address", "fqdn", "user-fqdn" };

	fprintf(f, "crypto isakmp profile %s\n", p->name);
	for (int i = 0; i < p->n_keyring; i++)
		fprintf(f, " keyring %s\n", p->keyring_name[i]);
	for (int i = 0; i < p->n_match; i++) {
		const struct policy_v1_match *m = &p->match[i];

		fprintf(f, " match identity ");
		if (m->kind == POLICY_V1_MATCH_ADDR) {
			fprintf(f, "address ");
			policy_prefix(f, &m->addr, m->plen, true);
		} else {
			fprintf(f, "host %s%s",
				m->kind == POLICY_V1_MATCH_DOMAIN ? "domain " : "",
				m->name);
		}
		fputc('\n', f);
	}
	if (p->floc[POLICY_IPF_SELF_ID].line)
		fprintf(f, " self-identity %s%s%s\n", ids[p->self_id],
			p->self_id == POLICY_V1_ID_USER_FQDN ? " " : "",
			p->self_id == POLICY_V1_ID_USER_FQDN ? p->self_user : "");
	if (p->floc[POLICY_IPF_KEEPALIVE].line)
		fprintf(f, " keepalive %u retry %u\n", p->dpd.interval,
			p->dpd.retry);
	if (p->aggressive)
		fprintf(f, " initiate mode aggressive\n");
	if (p->floc[POLICY_IPF_LOCAL].line) {
		fprintf(f, " local-address ");
		policy_local(f, &p->local);
		fputc('\n', f);
	}
	fprintf(f, "!\n");
}

/* "esp-aes 256 esp-sha-hmac", as the transform-set line takes it. */
static void policy_dump_transforms(FILE *f,
				   const struct policy_transform_set *ts)
{
	const char *sep = "";

	if (ts->enc) {
		fprintf(f, "%s", policy_esp_enc_name(ts->enc));
		if (ts->enc_bits && ts->enc_bits != 128)
			fprintf(f, " %u", ts->enc_bits);
		sep = " ";
	}
	if (ts->auth)
		fprintf(f, "%s%s", sep, policy_esp_auth_name(ts->auth));
}

static void policy_dump_sa(FILE *f, const struct policy_v1_sa *sa)
{
	if (sa->loc[POLICY_V1_SF_TSET].line) {
		fprintf(f, " set transform-set");
		for (int i = 0; i < sa->n_tset; i++)
			fprintf(f, " %s", sa->tset_name[i]);
		fputc('\n', f);
	}
	if (sa->loc[POLICY_V1_SF_PFS].line)
		fprintf(f, " set pfs group%s\n",
			policy_v1_alg(POLICY_V1_KIND_GROUP, sa->pfs - 1u)->name);
	if (sa->loc[POLICY_V1_SF_SECONDS].line)
		fprintf(f, " set security-association lifetime seconds %u\n",
			sa->seconds);
	if (sa->loc[POLICY_V1_SF_KB].line)
		fprintf(f, " set security-association lifetime kilobytes %u\n",
			sa->kb);
	if (sa->loc[POLICY_V1_SF_PROFILE].line)
		fprintf(f, " set isakmp-profile %s\n", sa->profile_name);
}

static const char *policy_acl_proto(uint8_t proto)
{
	switch (proto) {
	case 0:
		return "ip";
	case 51:
		return "ahp";
	}
	return policy_proto_name(proto);
}

/* "any", "host A" or "A WILDCARD", then "eq P". */
static void policy_dump_acl_addr(FILE *f, const struct policy_ts *ts)
{
	static const uint8_t all[4] = { 0xff, 0xff, 0xff, 0xff };
	struct policy_addr a = { AF_INET, { 0 } };
	int plen = 0;

	memcpy(a.a, ts->start, 4);
	for (int bit = 0; bit < 32; bit++) {
		if ((ts->start[bit / 8] ^ ts->end[bit / 8]) & (0x80 >> (bit % 8)))
			break;
		plen++;
	}
	if (!plen && !memcmp(ts->end, all, 4)) {
		fprintf(f, "any");
	} else if (plen == 32) {
		fprintf(f, "host ");
		policy_dump_addr(f, &a);
	} else {
		policy_dump_addr(f, &a);
		fputc(' ', f);
		policy_mask(f, (unsigned int)plen, true);
	}
	if (ts->port_start && ts->port_start == ts->port_end)
		fprintf(f, " eq %u", ts->port_start);
}

static void policy_dump_acls(FILE *f, const struct policy_ios *ios)
{
	for (size_t i = 0; i < ios->n_acl; i++) {
		const struct policy_acl *acl = ios->acl[i];

		for (size_t k = 0; k < acl->n; k++) {
			const struct policy_acl_entry *e = &acl->e[k];
			const char *pn = policy_acl_proto(e->proto);

			fprintf(f, "access-list %u %s ", acl->number,
				e->permit ? "permit" : "deny");
			if (acl->extended) {
				if (pn)
					fprintf(f, "%s ", pn);
				else
					fprintf(f, "%u ", e->proto);
			}
			policy_dump_acl_addr(f, &e->src);
			if (acl->extended) {
				fputc(' ', f);
				policy_dump_acl_addr(f, &e->dst);
			}
			fputc('\n', f);
		}
	}
	if (ios->n_acl)
		fprintf(f, "!\n");
}

static void policy_dump_iface(FILE *f, const struct policy_ios_if *i)
{
	fprintf(f, "interface %s\n", i->name);
	if (i->floc[POLICY_IFF_ADDR].line && i->addr.family) {
		fprintf(f, " ip address ");
		policy_prefix(f, &i->addr, i->plen, true);
		fputc('\n', f);
	} else if (i->floc[POLICY_IFF_ADDR].line) {
		fprintf(f, " no ip address\n");
	}
	if (i->floc[POLICY_IFF_SOURCE].line) {
		fprintf(f, " tunnel source ");
		policy_local(f, &i->source);
		fputc('\n', f);
	}
	if (i->floc[POLICY_IFF_DEST].line) {
		fprintf(f, " tunnel destination ");
		policy_dump_addr(f, &i->dest);
		fputc('\n', f);
	}
	if (i->floc[POLICY_IFF_MODE].line)
		fprintf(f, " tunnel mode ipsec ipv4\n");
	if (i->floc[POLICY_IFF_PROTECTION].line)
		fprintf(f, " tunnel protection ipsec profile %s\n", i->protection);
	if (i->floc[POLICY_IFF_CRYPTO_MAP].line)
		fprintf(f, " crypto map %s\n", i->crypto_map);
	if (i->floc[POLICY_IFF_SHUTDOWN].line)
		fprintf(f, " %sshutdown\n", i->shutdown ? "" : "no ");
	fprintf(f, "!\n");
}

static void policy_dump_globals(FILE *f, const struct policy_config *cfg)
{
	const struct policy_ios *ios = cfg->ios;
	const struct policy_loc *l = ios->floc;

	if (l[POLICY_IOSF_HOSTNAME].line)
		fprintf(f, "hostname %s\n", ios->hostname);
	if (l[POLICY_IOSF_DOMAIN].line)
		fprintf(f, "ip domain name %s\n", ios->domain);
	if (l[POLICY_IOSF_IDENTITY].line)
		fprintf(f, "crypto isakmp identity %s\n",
			ios->identity == POLICY_V1_ID_HOSTNAME ? "hostname" : "address");
	if (l[POLICY_IOSF_KEEPALIVE].line)
		fprintf(f, "crypto isakmp keepalive %u %u%s\n", ios->dpd.interval,
			ios->dpd.retry, ios->dpd.periodic ? " periodic" : "");
	if (l[POLICY_IOSF_NAT_KEEPALIVE].line)
		fprintf(f, "crypto isakmp nat keepalive %u\n", ios->nat_keepalive);
	if (l[POLICY_IOSF_NAT_TRANSPARENCY].line)
		fprintf(f, "no crypto ipsec nat-transparency udp-encapsulation\n");
	if (l[POLICY_IOSF_SA_SECONDS].line)
		fprintf(f, "crypto ipsec security-association lifetime seconds %u\n",
			ios->sa_seconds);
	if (l[POLICY_IOSF_SA_KB].line)
		fprintf(f, "crypto ipsec security-association lifetime kilobytes %u\n",
			ios->sa_kb);
	if (cfg->cac.sa_loc.line)
		fprintf(f, "crypto call admission limit ike sa %u\n", cfg->cac.sa_max);
	if (cfg->cac.neg_loc.line)
		fprintf(f, "crypto call admission limit ike in-negotiation-sa %u\n",
			cfg->cac.neg_max);
	for (int i = 0; i < POLICY_IOSF_COUNT; i++) {
		if (l[i].line) {
			fprintf(f, "!\n");
			return;
		}
	}
	if (cfg->cac.sa_loc.line || cfg->cac.neg_loc.line)
		fprintf(f, "!\n");
}

void policy_ios_dump(const struct policy_config *cfg, FILE *f)
{
	const struct policy_ios *ios = cfg->ios;

	policy_dump_globals(f, cfg);
	for (size_t i = 0; i < ios->n_policy; i++)
		policy_dump_isakmp(f, ios->policy[i]);
	policy_dump_keyrings(f, ios);
	for (size_t i = 0; i < ios->n_profile; i++)
		policy_dump_profile(f, ios->profile[i]);
	for (size_t i = 0; i < ios->n_tset; i++) {
		const struct policy_transform_set *ts = ios->tset[i];

		fprintf(f, "crypto ipsec transform-set %s ", ts->name);
		policy_dump_transforms(f, ts);
		fprintf(f, "\n%s!\n", ts->mode_loc.line ? " mode tunnel\n" : "");
	}
	for (size_t i = 0; i < ios->n_ipsec_profile; i++) {
		fprintf(f, "crypto ipsec profile %s\n", ios->ipsec_profile[i]->name);
		policy_dump_sa(f, &ios->ipsec_profile[i]->sa);
		fprintf(f, "!\n");
	}
	for (size_t i = 0; i < ios->n_map; i++) {
		const struct policy_crypto_map *m = ios->map[i];

		fprintf(f, "crypto map %s %u ipsec-isakmp\n", m->map, m->seq);
		if (m->sa.loc[POLICY_V1_SF_PEER].line) {
			fprintf(f, " set peer ");
			policy_dump_addr(f, &m->peer);
			fputc('\n', f);
		}
		policy_dump_sa(f, &m->sa);
		if (m->sa.loc[POLICY_V1_SF_ACL].line)
			fprintf(f, " match address %u\n", m->acl_number);
		fprintf(f, "!\n");
	}
	policy_dump_acls(f, ios);
	for (size_t i = 0; i < ios->n_iface; i++)
		policy_dump_iface(f, ios->iface[i]);
	for (size_t i = 0; i < ios->n_route; i++) {
		const struct policy_route *r = &ios->route[i];

		fprintf(f, "ip route ");
		policy_prefix(f, &r->prefix, r->plen, true);
		if (r->ifname[0])
			fprintf(f, " %s", r->ifname);
		if (r->via.family) {
			fputc(' ', f);
			policy_dump_addr(f, &r->via);
		}
		fputc('\n', f);
	}
}

/* Effective policy */

static const char *policy_kernel_enc(uint16_t enc)
{
	static const char *const names[] = {
		[IKEVTI_ENC_NULL] = "null",
		[IKEVTI_ENC_DES_CBC] = "des-cbc",
		[IKEVTI_ENC_3DES_CBC] = "3des-cbc",
		[IKEVTI_ENC_AES_CBC] = "aes-cbc",
		[IKEVTI_ENC_AES_GCM_16] = "aes-gcm",
		[IKEVTI_ENC_CHACHA20_POLY1305] = "chacha20-poly1305",
	};

	return enc < POLICY_N(names) && names[enc] ? names[enc] : "?";
}

static const char *policy_kernel_auth(uint16_t auth)
{
	static const char *const names[] = {
		[IKEVTI_AUTH_NONE] = "none",
		[IKEVTI_AUTH_HMAC_MD5_96] = "hmac-md5-96",
		[IKEVTI_AUTH_HMAC_SHA1_96] = "hmac-sha1-96",
		[IKEVTI_AUTH_HMAC_SHA256_128] = "hmac-sha256-128",
		[IKEVTI_AUTH_HMAC_SHA384_192] = "hmac-sha384-192",
		[IKEVTI_AUTH_HMAC_SHA512_256] = "hmac-sha512-256",
	};

	return auth < POLICY_N(names) && names[auth] ? names[auth] : "?";
}

static void policy_v1_origin(FILE *f, const struct policy_v1_effective *e,
			     enum policy_v1_ef fl)
{
	static const char *const from[] = {
		[POLICY_V1_FROM_DEFAULT] = "IOS default",
		[POLICY_V1_FROM_GLOBAL] = "global",
		[POLICY_V1_FROM_ISAKMP_PROFILE] = "isakmp profile",
		[POLICY_V1_FROM_IPSEC_PROFILE] = "ipsec profile",
		[POLICY_V1_FROM_CRYPTO_MAP] = "crypto map",
		[POLICY_V1_FROM_TUNNEL] = "interface",
	};

	if (e->origin[fl] == POLICY_V1_FROM_DEFAULT)
		fprintf(f, "  [IOS default]\n");
	else if (fl == POLICY_V1_EF_PROFILE && e->profile_by_addr)
		fprintf(f, "  [the closest 'match identity address', line %u]\n",
			e->loc[fl].line);
	else
		fprintf(f, "  [%s, line %u]\n", from[e->origin[fl]], e->loc[fl].line);
}

static void policy_v1_dump_ts(FILE *f, const struct policy_ts *ts)
{
	policy_dump_range(f, ts);
	if (ts->proto)
		fprintf(f, " proto %u", ts->proto);
	if (ts->port_start && ts->port_start == ts->port_end)
		fprintf(f, " port %u", ts->port_start);
}

void policy_v1_effective_dump(const struct policy_config *cfg,
			      const struct policy_v1_effective *e, FILE *f)
{
	static const char *const ids[] = { "address", "hostname", "user-fqdn" };
	char id[2 * POLICY_ID_MAX + 16];
	struct policy_esp_kernel k;

	(void)cfg;
	fprintf(f, "interface %s (%s)%s\n", e->ifname,
		e->kind == POLICY_V1_VTI ? "tunnel protection" : "crypto map",
		e->shutdown ? " (shutdown)" : "");
	fprintf(f, "  peer ");
	policy_dump_addr(f, &e->peer);
	fprintf(f, ", local ");
	if (e->local.addr.family)
		policy_dump_addr(f, &e->local.addr);
	else
		fprintf(f, "not fixed");
	fprintf(f, ", underlay %s\n", e->underlay[0] ? e->underlay : "not fixed");
	fprintf(f, "  isakmp profile %s", e->profile ? e->profile->name : "none");
	policy_v1_origin(f, e, POLICY_V1_EF_PROFILE);
	for (size_t i = 0; i < e->n_policy; i++) {
		const struct policy_isakmp_policy *p = e->policy[i];

		fprintf(f, "  isakmp policy %u: %s %s pre-share group %s %u s  [line %u]\n",
			p->prio, policy_v1_alg(POLICY_V1_KIND_ENC, p->enc)->display,
			policy_v1_alg(POLICY_V1_KIND_HASH, p->hash)->display,
			policy_v1_alg(POLICY_V1_KIND_GROUP, p->group)->name,
			p->lifetime, p->loc.line);
	}
	fprintf(f, "  local id %s", ids[e->local_id]);
	if (e->local_fqdn.type) {
		policy_id_format(&e->local_fqdn, id, sizeof(id));
		fprintf(f, " (%s)", id);
	}
	policy_v1_origin(f, e, POLICY_V1_EF_LOCAL_ID);
	if (e->dpd.interval)
		fprintf(f, "  dpd %u s, retry %u s, %s", e->dpd.interval,
			e->dpd.retry, e->dpd.periodic ? "periodic" : "on demand");
	else
		fprintf(f, "  dpd off");
	policy_v1_origin(f, e, POLICY_V1_EF_DPD);
	fprintf(f, "  %s mode", e->aggressive ? "aggressive" : "main");
	policy_v1_origin(f, e, POLICY_V1_EF_MODE);
	for (int i = 0; i < e->n_tset; i++) {
		fprintf(f, "  transform set %s: ", e->tset[i]->name);
		policy_dump_transforms(f, e->tset[i]);
		if (policy_esp_kernel(e->tset[i], &k))
			fprintf(f, " (module: %s %u-bit, %s%s)",
				policy_kernel_enc(k.enc), k.enc_key_len * 8u,
				policy_kernel_auth(k.auth),
				k.flags & IKEVTI_SA_F_LEGACY ? ", legacy" : "");
		else
			fprintf(f, " (not in the module)");
		policy_v1_origin(f, e, POLICY_V1_EF_TSET);
	}
	if (e->pfs)
		fprintf(f, "  pfs group%s",
			policy_v1_alg(POLICY_V1_KIND_GROUP, e->pfs - 1u)->name);
	else
		fprintf(f, "  pfs none");
	policy_v1_origin(f, e, POLICY_V1_EF_PFS);
	fprintf(f, "  lifetime %u s", e->seconds);
	policy_v1_origin(f, e, POLICY_V1_EF_SECONDS);
	fprintf(f, "  lifetime %u KB", e->kb);
	policy_v1_origin(f, e, POLICY_V1_EF_KB);
	for (int i = 0; i < e->n_ts; i++) {
		fprintf(f, "  selectors ");
		policy_v1_dump_ts(f, &e->ts[i].local);
		fprintf(f, " <-> ");
		policy_v1_dump_ts(f, &e->ts[i].remote);
		fprintf(f, "  [line %u]\n", e->ts[i].loc.line);
	}
	for (int i = 0; i < e->n_routes; i++) {
		const struct policy_v1_route *r = &e->routes[i];

		fprintf(f, "  route ");
		policy_dump_addr(f, &r->prefix);
		fprintf(f, "/%u", r->plen);
		if (r->via.family) {
			fprintf(f, " via ");
			policy_dump_addr(f, &r->via);
		}
		fprintf(f, " dev %s  [line %u]\n", e->ifname, r->loc.line);
	}
	if (!e->can_come_up)
		fprintf(f, "  cannot come up: %s\n", e->why_not);
}
