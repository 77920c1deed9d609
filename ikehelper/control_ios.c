// SPDX-License-Identifier: GPL-2.0
/*
 * The show commands in Cisco IOS terms, laid out as IOS prints them
 * (seed 000): "show crypto isakmp sa [detail]", "show crypto ipsec sa
 * [peer ADDR]" and "show crypto session", as text or JSON.  IOS's
 * "isakmp" is IKEv1: those lines list the IKEv1 SAs; IPsec SAs and
 * sessions are listed whatever negotiated them.  No key is in reach.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "control.h"
#include "control_snap.h"
#include "json.h"
#include "names.h"

/* IOS's names for what the engine reports in IKEv2 numbers. */
static const char *ios_encr(uint16_t id, uint16_t bits, char *buf,
			    size_t len)
{
	switch (id) {
	case IKEV2_ENCR_DES:
		return "des";
	case IKEV2_ENCR_3DES:
		return "3des";
	case IKEV2_ENCR_AES_CBC:
		if (bits && bits != 128) {
			snprintf(buf, len, "aes:%u", bits);
			return buf;
		}
		return "aes";
	case 0:
		return "-";
	}
	snprintf(buf, len, "%u", id);
	return buf;
}

static const char *ios_hash(uint16_t prf)
{
	switch (prf) {
	case IKEV2_PRF_HMAC_MD5:
		return "md5";
	case IKEV2_PRF_HMAC_SHA1:
		return "sha";
	case IKEV2_PRF_HMAC_SHA2_256:
		return "sha256";
	case IKEV2_PRF_HMAC_SHA2_384:
		return "sha384";
	case IKEV2_PRF_HMAC_SHA2_512:
		return "sha512";
	}
	return "-";
}

/* "esp-aes", "esp-256-aes", "esp-gcm 256", ... as a transform set says. */
static const char *ios_esp_encr(uint16_t id, uint16_t bits, char *buf,
				size_t len)
{
	switch (id) {
	case IKEV2_ENCR_DES:
		return "esp-des";
	case IKEV2_ENCR_3DES:
		return "esp-3des";
	case IKEV2_ENCR_NULL:
		return "esp-null";
	case IKEV2_ENCR_AES_CBC:
		if (bits == 192 || bits == 256) {
			snprintf(buf, len, "esp-%u-aes", bits);
			return buf;
		}
		return "esp-aes";
	case IKEV2_ENCR_AES_GCM_16:
		if (bits == 192 || bits == 256) {
			snprintf(buf, len, "esp-gcm %u", bits);
			return buf;
		}
		return "esp-gcm";
	case IKEV2_ENCR_CHACHA20_POLY1305:
		return "esp-chacha20-poly1305";
	}
	snprintf(buf, len, "esp-%u", id);
	return buf;
}

static const char *ios_esp_integ(uint16_t id)
{
	switch (id) {
	case IKEV2_INTEG_HMAC_MD5_96:
		return "esp-md5-hmac";
	case IKEV2_INTEG_HMAC_SHA1_96:
		return "esp-sha-hmac";
	case IKEV2_INTEG_HMAC_SHA2_256_128:
		return "esp-sha256-hmac";
	case IKEV2_INTEG_HMAC_SHA2_384_192:
		return "esp-sha384-hmac";
	case IKEV2_INTEG_HMAC_SHA2_512_256:
		return "esp-sha512-hmac";
	}
	return NULL;
}

static unsigned int ios_iv_size(uint16_t encr)
{
	switch (encr) {
	case IKEV2_ENCR_DES:
	case IKEV2_ENCR_3DES:
	case IKEV2_ENCR_AES_GCM_16:
	case IKEV2_ENCR_CHACHA20_POLY1305:
		return 8;
	case IKEV2_ENCR_AES_CBC:
		return 16;
	}
	return 0;
}

static uint16_t ios_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

/* IOS's dst is the IKE responder, src the initiator. */
static void ios_dst_src(const struct ike_sa_info *p, char *dst, char *src)
{
	snap_addr(p->initiator ? &p->remote : &p->local, dst, INET6_ADDRSTRLEN);
	snap_addr(p->initiator ? &p->local : &p->remote, src, INET6_ADDRSTRLEN);
}

static void ios_hms(uint64_t s, char *buf, size_t len)
{
	snprintf(buf, len, "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
		 s / 3600, s / 60 % 60, s % 60);
}

static void ios_caps(const struct ike_sa_info *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", p->cap_dpd ? "D" : "",
		 p->cap_natt ? "N" : "");
}

static void text_isakmp(FILE *f, const struct snap *s, bool detail)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	char dst[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN], e[16], t[32],
	     caps[8];

	if (detail)
		fputs("Codes: C - IKE configuration mode, D - Dead Peer Detection\n"
		      "       K - Keepalives, N - NAT-traversal\n"
		      "       X - IKE Extended Authentication\n"
		      "       psk - Preshared key, rsig - RSA signature\n"
		      "       renc - RSA encryption\n", f);
	for (size_t fi = 0; fi < 2; fi++) {
		fprintf(f, "IPv%c Crypto ISAKMP SA\n", fi ? '6' : '4');
		if (detail)
			fputs("\nC-id  Local           Remote          I-VRF  Status Encr    Hash   Auth DH Lifetime Cap.\n",
			      f);
		else
			fputs("dst             src             state          conn-id status\n",
			      f);
		for (size_t i = 0; i < s->n_ike; i++) {
			const struct ike_sa_info *p = &s->ike[i];

			if (p->version != 1 || p->remote.ss_family != fams[fi])
				continue;
			if (!detail) {
				ios_dst_src(p, dst, src);
				fprintf(f, "%-15s %-15s %-14s %7" PRIu32 " ACTIVE\n",
					dst, src, p->state, p->conn_id);
				continue;
			}
			snap_addr(&p->local, src, sizeof(src));
			snap_addr(&p->remote, dst, sizeof(dst));
			ios_hms(p->expire_in_s, t, sizeof(t));
			ios_caps(p, caps, sizeof(caps));
			fprintf(f, "%-5" PRIu32 " %-15s %-15s        ACTIVE %-7s %-6s %-4s %-2u %s %s\n",
				p->conn_id, src, dst,
				ios_encr(p->encr_id, p->encr_bits, e, sizeof(e)),
				ios_hash(p->prf_id), p->auth, p->dh_group, t,
				caps);
			fprintf(f, "      Engine-id:Conn-id =  SW:%" PRIu32 "\n",
				p->conn_id);
		}
		fputs("\n", f);
	}
}

static void json_isakmp(struct json *j, const struct snap *s, bool detail)
{
	char dst[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN], e[16], caps[8];

	json_array_begin(j);
	for (size_t i = 0; i < s->n_ike; i++) {
		const struct ike_sa_info *p = &s->ike[i];

		if (p->version != 1)
			continue;
		ios_dst_src(p, dst, src);
		json_object_begin(j);
		json_kv_str(j, "dst", dst);
		json_kv_str(j, "src", src);
		json_kv_str(j, "state", p->state);
		json_kv_uint(j, "conn_id", p->conn_id);
		json_kv_str(j, "status", "ACTIVE");
		json_kv_str(j, "interface", p->tunnel);
		if (detail) {
			ios_caps(p, caps, sizeof(caps));
			json_kv_str(j, "encr",
				    ios_encr(p->encr_id, p->encr_bits, e,
					     sizeof(e)));
			json_kv_str(j, "hash", ios_hash(p->prf_id));
			json_kv_str(j, "auth", p->auth);
			json_kv_uint(j, "dh_group", p->dh_group);
			json_kv_uint(j, "lifetime_s", p->expire_in_s);
			json_kv_str(j, "capabilities", caps);
		}
		json_object_end(j);
	}
	json_array_end(j);
}

/* "addr/mask/prot/port" of a selector list's first entry, as IOS shows it. */
static void ios_ident(const struct policy_ts_list *l, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], m[INET6_ADDRSTRLEN];
	const struct policy_ts *t = &l->ts[0];
	uint8_t mask[16];
	size_t n, i;

	if (!l->n) {
		snprintf(buf, len, "0.0.0.0/0.0.0.0/0/0");
		return;
	}
	n = t->family == AF_INET6 ? 16 : 4;
	/* A range that is a prefix shows as address and mask. */
	for (i = 0; i < n; i++)
		mask[i] = (uint8_t)~(t->start[i] ^ t->end[i]);
	inet_ntop(t->family, t->start, a, sizeof(a));
	inet_ntop(t->family, mask, m, sizeof(m));
	snprintf(buf, len, "%s/%s/%u/%u", a, m, t->proto,
		 t->port_start == t->port_end ? t->port_start : 0);
}

static void text_esp(FILE *f, const struct ike_child_info *c, bool in)
{
	char e[24];
	const char *integ = ios_esp_integ(c->integ_id);
	uint32_t spi = in ? c->spi_in : c->spi_out;
	uint64_t used_kb = (in ? c->bytes_in : c->bytes_out) / 1024;
	uint64_t left_kb = c->lifetime_kb > used_kb ? c->lifetime_kb - used_kb : 0;

	fprintf(f, "      spi: 0x%08" PRIX32 "(%" PRIu32 ")\n", spi, spi);
	fprintf(f, "        transform: %s%s%s ,\n",
		ios_esp_encr(c->encr_id, c->encr_bits, e, sizeof(e)),
		integ ? " " : "", integ ? integ : "");
	fprintf(f, "        in use settings ={Tunnel%s, }\n",
		c->udp_encap ? " UDP-Encaps" : "");
	fprintf(f, "        conn id: %" PRIu32 ", crypto map: %s\n",
		in ? c->conn_id_in : c->conn_id_out, c->tunnel);
	fprintf(f, "        sa timing: remaining key lifetime (k/sec): (%" PRIu64 "/%" PRIu64 ")\n",
		left_kb, snap_remain(c->lifetime_s, c->established_s));
	fprintf(f, "        IV size: %u bytes\n", ios_iv_size(c->encr_id));
	fprintf(f, "        replay detection support: %s\n",
		c->replay_window ? "Y" : "N");
	fprintf(f, "        Status: ACTIVE\n\n");
}

static bool peer_is(const struct ike_child_info *c, const char *peer)
{
	char r[INET6_ADDRSTRLEN];

	return !peer || !strcmp(snap_addr(&c->remote, r, sizeof(r)), peer);
}

/* The first Child SA of each tunnel heads its block. */
static bool first_of_tunnel(const struct snap *s, size_t k, const char *peer)
{
	for (size_t i = 0; i < k; i++)
		if (!strcmp(s->child[i].tunnel, s->child[k].tunnel) &&
		    peer_is(&s->child[i], peer))
			return false;
	return true;
}

static void text_ipsec(FILE *f, const struct ike_engine *eng,
		       const struct snap *s, const char *peer)
{
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN], li[128], ri[128];

	for (size_t k = 0; k < s->n_child; k++) {
		const struct ike_child_info *c = &s->child[k];
		struct kernel_dev_stats d;

		if (!peer_is(c, peer) || !first_of_tunnel(s, k, peer))
			continue;
		memset(&d, 0, sizeof(d));
		ike_engine_dev_stats(eng, c->tunnel, &d);
		snap_addr(&c->local, l, sizeof(l));
		snap_addr(&c->remote, r, sizeof(r));
		ios_ident(&c->ts_local, li, sizeof(li));
		ios_ident(&c->ts_remote, ri, sizeof(ri));
		fprintf(f, "interface: %s\n", c->tunnel);
		fprintf(f, "    Crypto map tag: %s, local addr %s\n\n", c->tunnel, l);
		fprintf(f, "   local  ident (addr/mask/prot/port): (%s)\n", li);
		fprintf(f, "   remote ident (addr/mask/prot/port): (%s)\n", ri);
		fprintf(f, "   current_peer %s port %u\n", r, ios_port(&c->remote));
		fprintf(f, "     PERMIT, flags={origin_is_acl,}\n");
		fprintf(f, "    #pkts encaps: %" PRIu64 ", #pkts encrypt: %" PRIu64 ", #pkts digest: %" PRIu64 "\n",
			d.encaps, d.encrypt, d.digest);
		fprintf(f, "    #pkts decaps: %" PRIu64 ", #pkts decrypt: %" PRIu64 ", #pkts verify: %" PRIu64 "\n",
			d.decaps, d.decrypt, d.verify);
		fprintf(f, "    #send errors %" PRIu64 ", #recv errors %" PRIu64 "\n\n",
			d.send_errors, d.recv_errors);
		fprintf(f, "     local crypto endpt.: %s, remote crypto endpt.: %s\n",
			l, r);
		fprintf(f, "     current outbound spi: 0x%" PRIX32 "(%" PRIu32 ")\n",
			c->spi_out, c->spi_out);
		fprintf(f, "     PFS (Y/N): %s, DH group: %s\n",
			c->pfs_group ? "Y" : "N", c->pfs_group ? c->pfs : "none");
		fprintf(f, "\n     inbound esp sas:\n");
		for (size_t i = k; i < s->n_child; i++)
			if (!strcmp(s->child[i].tunnel, c->tunnel) &&
			    peer_is(&s->child[i], peer))
				text_esp(f, &s->child[i], true);
		fprintf(f, "     outbound esp sas:\n");
		for (size_t i = k; i < s->n_child; i++)
			if (!strcmp(s->child[i].tunnel, c->tunnel) &&
			    peer_is(&s->child[i], peer))
				text_esp(f, &s->child[i], false);
	}
}

static void json_esp(struct json *j, const struct ike_child_info *c, bool in)
{
	char e[24];
	const char *integ = ios_esp_integ(c->integ_id);
	uint64_t used_kb = (in ? c->bytes_in : c->bytes_out) / 1024;

	json_object_begin(j);
	json_kv_uint(j, "spi", in ? c->spi_in : c->spi_out);
	json_kv_str(j, "transform",
		    ios_esp_encr(c->encr_id, c->encr_bits, e, sizeof(e)));
	json_kv_str(j, "integrity", integ ? integ : "");
	json_kv_uint(j, "conn_id", in ? c->conn_id_in : c->conn_id_out);
	json_kv_uint(j, "remaining_kb",
		     c->lifetime_kb > used_kb ? c->lifetime_kb - used_kb : 0);
	json_kv_uint(j, "remaining_s",
		     snap_remain(c->lifetime_s, c->established_s));
	json_kv_uint(j, "iv_size", ios_iv_size(c->encr_id));
	json_kv_bool(j, "replay_detection", c->replay_window != 0);
	json_kv_uint(j, "packets", in ? c->packets_in : c->packets_out);
	json_kv_uint(j, "bytes", in ? c->bytes_in : c->bytes_out);
	json_object_end(j);
}

static void json_ipsec(struct json *j, const struct ike_engine *eng,
		       const struct snap *s, const char *peer)
{
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN], li[128], ri[128];

	json_array_begin(j);
	for (size_t k = 0; k < s->n_child; k++) {
		const struct ike_child_info *c = &s->child[k];
		struct kernel_dev_stats d;

		if (!peer_is(c, peer) || !first_of_tunnel(s, k, peer))
			continue;
		memset(&d, 0, sizeof(d));
		ike_engine_dev_stats(eng, c->tunnel, &d);
		ios_ident(&c->ts_local, li, sizeof(li));
		ios_ident(&c->ts_remote, ri, sizeof(ri));
		json_object_begin(j);
		json_kv_str(j, "interface", c->tunnel);
		json_kv_str(j, "local", snap_addr(&c->local, l, sizeof(l)));
		json_kv_str(j, "peer", snap_addr(&c->remote, r, sizeof(r)));
		json_kv_str(j, "local_ident", li);
		json_kv_str(j, "remote_ident", ri);
		json_kv_uint(j, "pkts_encaps", d.encaps);
		json_kv_uint(j, "pkts_encrypt", d.encrypt);
		json_kv_uint(j, "pkts_digest", d.digest);
		json_kv_uint(j, "pkts_decaps", d.decaps);
		json_kv_uint(j, "pkts_decrypt", d.decrypt);
		json_kv_uint(j, "pkts_verify", d.verify);
		json_kv_uint(j, "send_errors", d.send_errors);
		json_kv_uint(j, "recv_errors", d.recv_errors);
		json_kv_uint(j, "current_outbound_spi", c->spi_out);
		for (int in = 1; in >= 0; in--) {
			json_key(j, in ? "inbound_esp_sas" : "outbound_esp_sas");
			json_array_begin(j);
			for (size_t i = k; i < s->n_child; i++)
				if (!strcmp(s->child[i].tunnel, c->tunnel) &&
				    peer_is(&s->child[i], peer))
					json_esp(j, &s->child[i], in);
			json_array_end(j);
		}
		json_object_end(j);
	}
	json_array_end(j);
}

/* IOS's session status: UP-ACTIVE, UP-IDLE, UP-NO-IKE, DOWN-NEGOTIATING. */
static const char *ios_session(const struct snap *s,
			       const struct ike_sa_info *p, unsigned int *n)
{
	*n = 0;
	for (size_t k = 0; k < s->n_child; k++)
		if (snap_child_of(&s->child[k], p))
			*n += 2;
	if (strcmp(p->state, "QM_IDLE") && strcmp(p->state, "ESTABLISHED"))
		return "DOWN-NEGOTIATING";
	return *n ? "UP-ACTIVE" : "UP-IDLE";
}

static void text_session(FILE *f, const struct snap *s)
{
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN], li[128], ri[128];

	fputs("Crypto session current status\n\n", f);
	for (size_t i = 0; i < s->n_ike; i++) {
		const struct ike_sa_info *p = &s->ike[i];
		unsigned int n;
		const char *st = ios_session(s, p, &n);

		snap_addr(&p->local, l, sizeof(l));
		snap_addr(&p->remote, r, sizeof(r));
		fprintf(f, "Interface: %s\n", p->tunnel);
		fprintf(f, "Session status: %s\n", st);
		fprintf(f, "Peer: %s port %u\n", r, ios_port(&p->remote));
		fprintf(f, "  IKEv%u SA: local %s/%u remote %s/%u %s\n",
			p->version, l, ios_port(&p->local), r,
			ios_port(&p->remote),
			strcmp(st, "DOWN-NEGOTIATING") ? "Active" : "Inactive");
		for (size_t k = 0; k < s->n_child; k++) {
			if (!snap_child_of(&s->child[k], p))
				continue;
			ios_ident(&s->child[k].ts_local, li, sizeof(li));
			ios_ident(&s->child[k].ts_remote, ri, sizeof(ri));
			fprintf(f, "  IPSEC FLOW: permit %s %s\n", li, ri);
			fprintf(f, "        Active SAs: 2, origin: %s\n",
				p->version == 1 ? "crypto map" : "crypto profile");
		}
		fputs("\n", f);
	}
}

static void json_session(struct json *j, const struct snap *s)
{
	char r[INET6_ADDRSTRLEN];

	json_array_begin(j);
	for (size_t i = 0; i < s->n_ike; i++) {
		const struct ike_sa_info *p = &s->ike[i];
		unsigned int n;

		json_object_begin(j);
		json_kv_str(j, "interface", p->tunnel);
		json_kv_str(j, "status", ios_session(s, p, &n));
		json_kv_str(j, "peer", snap_addr(&p->remote, r, sizeof(r)));
		json_kv_uint(j, "ike_version", p->version);
		json_kv_uint(j, "active_sas", n);
		json_object_end(j);
	}
	json_array_end(j);
}

int control_show_ios(const struct ike_engine *e,
		     const struct control_ios_req *req, FILE *out,
		     uint64_t now_ms)
{
	struct snap s = { 0 };
	struct json j;
	int ret = snap_take(e, &s, now_ms);

	if (ret)
		goto out;
	if (!req->json) {
		if (req->what == CONTROL_IOS_ISAKMP_SA)
			text_isakmp(out, &s, req->detail);
		else if (req->what == CONTROL_IOS_IPSEC_SA)
			text_ipsec(out, e, &s, req->peer);
		else
			text_session(out, &s);
		ret = ferror(out) ? -EIO : 0;
		goto out;
	}
	json_init(&j, out, JSON_PRETTY);
	if (req->what == CONTROL_IOS_ISAKMP_SA)
		json_isakmp(&j, &s, req->detail);
	else if (req->what == CONTROL_IOS_IPSEC_SA)
		json_ipsec(&j, e, &s, req->peer);
	else
		json_session(&j, &s);
	ret = json_end(&j);
out:
	snap_free(&s);
	return ret;
}
