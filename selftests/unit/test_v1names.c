// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv1 constant tables (ikehelper/ikev1/names_v1.h through names.h),
 * the Vendor IDs (ikev1/vid.h) and the fault-to-notify table
 * (ikev1/err.h).
 *
 * Numbers are checked against the RFCs they come from, value by value for
 * the ones an exchange sends; every Vendor ID is recomputed as the MD5
 * of its source string with OpenSSL directly (not through crypto.c), so
 * a typo in either the bytes or the string fails.
 */
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>

#include "ikev1/err.h"
#include "ikev1/vid.h"
#include "names.h"
#include "tap.h"

/* ---- tables ------------------------------------------------------------- */

struct row {
	unsigned int value;
	const char *name;
};

#define ROW(id, val, str) { (val), (str) },
#define TABLE_ROWS(id, list) \
	static const struct row id##_rows[] = { list(ROW) };
IKEV1_NAMES_TABLES(TABLE_ROWS)
TABLE_ROWS(NAMES_EXCHANGE_V1, IKEV1_EXCHANGES)
TABLE_ROWS(NAMES_PAYLOAD_V1, IKEV1_PAYLOADS)
#undef TABLE_ROWS

/* Every row is found both ways; no value twice; no empty name. */
static void check_table(enum names_table t, const char *what,
			const struct row *rows, size_t n)
{
	size_t i, j, bad = 0;

	for (i = 0; i < n; i++) {
		const char *got = names_get(t, rows[i].value);

		if (!got || strcmp(got, rows[i].name) || !*rows[i].name ||
		    names_value(t, rows[i].name) != (long)rows[i].value)
			bad++;
		for (j = 0; j < i; j++)
			if (rows[j].value == rows[i].value ||
			    !strcmp(rows[j].name, rows[i].name))
				bad++;
	}
	ok(!bad && n > 0, "%s: %zu names, each found both ways, none twice",
	   what, n);
}

#define CHECK_TABLE(id, list) \
	check_table(id, #list, id##_rows, sizeof(id##_rows) / sizeof(id##_rows[0]));

static void test_tables(void)
{
	char buf[32];

	IKEV1_NAMES_TABLES(CHECK_TABLE)
	CHECK_TABLE(NAMES_EXCHANGE_V1, IKEV1_EXCHANGES)
	CHECK_TABLE(NAMES_PAYLOAD_V1, IKEV1_PAYLOADS)

	/* The numbers exchanges send, from the RFCs (not from the lists). */
	ok(IKEV1_EXCH_MAIN == 2 && IKEV1_EXCH_AGGRESSIVE == 4 &&
	   IKEV1_EXCH_INFORMATIONAL == 5 && IKEV1_EXCH_TRANSACTION == 6 &&
	   IKEV1_EXCH_QUICK == 32, "exchange types: RFC 2409 9, mode config");
	ok(IKEV1_PL_SA == 1 && IKEV1_PL_KE == 4 && IKEV1_PL_ID == 5 &&
	   IKEV1_PL_HASH == 8 && IKEV1_PL_NONCE == 10 && IKEV1_PL_N == 11 &&
	   IKEV1_PL_D == 12 && IKEV1_PL_VID == 13 && IKEV1_PL_ATTR == 14 &&
	   IKEV1_PL_NAT_D == 20 && IKEV1_PL_NAT_OA == 21 &&
	   IKEV1_PL_NAT_D_DRAFT == 130 && IKEV1_PL_NAT_OA_DRAFT == 131,
	   "payload types: RFC 2408 3.1, RFC 3947 3.2, 5.2, the drafts' 130/131");
	for (unsigned int t = 1; t <= 21; t++)
		if (!names_get(NAMES_PAYLOAD_V1, t))
			ok(0, "payload type %u has no name", t);
	ok(IKEV1_FLAG_ENCRYPTION == 1 && IKEV1_FLAG_COMMIT == 2 &&
	   IKEV1_FLAG_AUTH_ONLY == 4, "header flags E, C, A (RFC 2408 3.1)");
	ok(IKEV1_DOI_IPSEC == 1 && IKEV1_SIT_IDENTITY_ONLY == 1 &&
	   IKEV1_PROTO_ISAKMP == 1 && IKEV1_PROTO_IPSEC_ESP == 3 &&
	   IKEV1_KEY_IKE == 1, "DOI, situation, protocols, KEY_IKE (RFC 2407)");
	ok(IKEV1_ENCR_DES_CBC == 1 && IKEV1_ENCR_3DES_CBC == 5 &&
	   IKEV1_ENCR_AES_CBC == 7 && IKEV1_HASH_MD5 == 1 &&
	   IKEV1_HASH_SHA1 == 2 && IKEV1_HASH_SHA2_256 == 4 &&
	   IKEV1_HASH_SHA2_512 == 6 && IKEV1_AUTH_PSK == 1 &&
	   IKEV1_AUTH_RSA_SIG == 3 && IKEV1_AUTH_XAUTH_INIT_PSK == 65001 &&
	   IKEV1_AUTH_XAUTH_RESP_RSA == 65006 &&
	   IKEV1_ATTR_LIFE_TYPE == 11 && IKEV1_ATTR_LIFE_DURATION == 12 &&
	   IKEV1_ATTR_KEY_LENGTH == 14, "phase 1 attributes (RFC 2409 A)");
	ok(IKEV1_GROUP_MODP768 == 1 && IKEV1_GROUP_MODP1024 == 2 &&
	   IKEV1_GROUP_MODP1536 == 5 && IKEV1_GROUP_MODP2048 == 14 &&
	   IKEV1_GROUP_MODP3072 == 15 && IKEV1_GROUP_MODP4096 == 16 &&
	   IKEV1_GROUP_ECP256 == 19 && IKEV1_GROUP_ECP384 == 20 &&
	   IKEV1_GROUP_MODP2048_256 == 24 &&
	   (int)IKEV1_GROUP_MODP2048 == (int)IKEV2_DH_MODP2048 &&
	   (int)IKEV1_GROUP_ECP384 == (int)IKEV2_DH_ECP384,
	   "groups: RFC 2409 6, RFC 3526, 5114, 5903; same numbers as IKEv2");
	ok(IKEV1_ESP_DES == 2 && IKEV1_ESP_3DES == 3 && IKEV1_ESP_NULL == 11 &&
	   IKEV1_ESP_AES == 12 && IKEV1_ESP_AES_GCM_16 == 20 &&
	   IKEV1_ATTR_SA_LIFE_TYPE == 1 && IKEV1_ATTR_ENCAP_MODE == 4 &&
	   IKEV1_ATTR_AUTH_ALG == 5 && IKEV1_ATTR_IPSEC_KEY_LENGTH == 6 &&
	   IKEV1_ENCAP_TUNNEL == 1 && IKEV1_ENCAP_UDP_TUNNEL == 3 &&
	   IKEV1_ENCAP_UDP_TUNNEL_DRAFT == 61443 &&
	   IKEV1_AUTH_HMAC_SHA1 == 2 && IKEV1_AUTH_HMAC_SHA2_512 == 7,
	   "IPsec transforms and attributes (RFC 2407 4.4.4, 4.5, RFC 3947 5)");
	ok(IKEV1_ID_IPV4_ADDR == 1 && IKEV1_ID_USER_FQDN == 3 &&
	   IKEV1_ID_IPV4_ADDR_SUBNET == 4 && IKEV1_ID_IPV6_ADDR_RANGE == 8 &&
	   IKEV1_ID_KEY_ID == 11, "ID types (RFC 2407 4.6.2.1)");
	ok(IKEV1_N_INVALID_PAYLOAD_TYPE == 1 && IKEV1_N_PAYLOAD_MALFORMED == 16 &&
	   IKEV1_N_UNEQUAL_PAYLOAD_LENGTHS == 30 &&
	   IKEV1_N_RESPONDER_LIFETIME == 24576 &&
	   IKEV1_N_REPLAY_STATUS == 24577 && IKEV1_N_INITIAL_CONTACT == 24578 &&
	   IKEV1_N_R_U_THERE == 36136 && IKEV1_N_R_U_THERE_ACK == 36137,
	   "notify types (RFC 2408 3.14.1, RFC 2407 4.6.3, RFC 3706 5)");
	for (unsigned int t = 1; t <= 30; t++)
		if (!names_get(NAMES_V1_NOTIFY, t))
			ok(0, "notify %u has no name", t);
	is_str(names_fmt(NAMES_V1_NOTIFY, 24578, buf, sizeof(buf)),
	       "INITIAL-CONTACT", "names_fmt() of an IKEv1 notify");
	is_str(names_fmt(NAMES_V1_NOTIFY, 31, buf, sizeof(buf)), "UNKNOWN(31)",
	       "names_fmt() of an unassigned one");
	/* The IKEv2 tables are where they were. */
	is_str(names_get(NAMES_NOTIFY, 16384), "INITIAL_CONTACT",
	       "the IKEv2 notify table is unchanged");
}

/* ---- Vendor IDs --------------------------------------------------------- */

static void test_vids(void)
{
	unsigned int i, bad = 0;
	size_t n = 0;

	for (i = V1VID_UNKNOWN + 1; i < V1VID_COUNT; i++) {
		const struct v1vid_info *v = v1vid_get((enum v1vid)i);
		uint8_t md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;

		n++;
		if (!v || EVP_Digest(v->source, strlen(v->source), md, &mdlen,
				     EVP_md5(), NULL) != 1 ||
		    v->md5_len > mdlen || v->md5_len > v->len ||
		    memcmp(md, v->data, v->md5_len) ||
		    v1vid_lookup(v->data, v->len) != (enum v1vid)i) {
			ok(0, "Vendor ID %s is not MD5(\"%s\")",
			   v ? v->name : "?", v ? v->source : "?");
			bad++;
		}
	}
	ok(!bad && n == 7, "%zu Vendor IDs, each the MD5 of its string", n);
	{
		const struct v1vid_info *dpd = v1vid_get(V1VID_DPD);
		const struct v1vid_info *unity = v1vid_get(V1VID_CISCO_UNITY);
		const struct v1vid_info *xauth = v1vid_get(V1VID_XAUTH);

		ok(dpd->len == 16 && !memcmp(dpd->data + 14, "\x01\x00", 2) &&
		   unity->len == 16 && !memcmp(unity->data + 14, "\x01\x00", 2),
		   "DPD (RFC 3706 3) and Unity end in version 1.0");
		ok(xauth->len == 8, "XAUTH is the first 8 bytes");
		ok(v1vid_lookup(dpd->data, 15) == V1VID_UNKNOWN &&
		   v1vid_lookup(NULL, 0) == V1VID_UNKNOWN,
		   "a prefix of a Vendor ID is not that Vendor ID");
	}
	is_str(v1vid_name(V1VID_NATT_DRAFT_02N), "draft-ietf-ipsec-nat-t-ike-02\\n",
	       "the 02\\n draft is named as peers log it");
	is_str(v1vid_name(V1VID_UNKNOWN), "unknown", "unknown Vendor ID");
	ok(!v1vid_get(V1VID_COUNT), "out of range");
}

/* ---- faults ------------------------------------------------------------- */

static void test_err(void)
{
	unsigned int i, bad = 0;

	for (i = 0; i < V1_ERR_COUNT; i++) {
		uint16_t n = v1err_notify((enum v1_err)i);

		if (!v1err_str((enum v1_err)i)[0] ||
		    (n && !names_get(NAMES_V1_NOTIFY, n)) || (n && n > 30))
			bad++;
	}
	ok(!bad, "every fault has a text and answers with an RFC 2408 error notify or none");
	is_int(v1err_notify(V1_OK), 0, "ok: nothing to answer");
	is_int(v1err_notify(V1_E_PAYLOAD_TYPE), IKEV1_N_INVALID_PAYLOAD_TYPE,
	       "unknown payload: INVALID-PAYLOAD-TYPE (RFC 2408 5.2)");
	is_int(v1err_notify(V1_E_MALFORMED), IKEV1_N_PAYLOAD_MALFORMED,
	       "malformed: PAYLOAD-MALFORMED");
	is_int(v1err_notify(V1_E_DOI), IKEV1_N_DOI_NOT_SUPPORTED,
	       "DOI: DOI-NOT-SUPPORTED (5.4)");
	is_int(v1err_notify(V1_E_SITUATION), IKEV1_N_SITUATION_NOT_SUPPORTED,
	       "situation: SITUATION-NOT-SUPPORTED (5.4)");
	is_int(v1err_notify(V1_E_PROPOSAL_SYNTAX), IKEV1_N_BAD_PROPOSAL_SYNTAX,
	       "proposal: BAD-PROPOSAL-SYNTAX (5.5)");
	is_int(v1err_notify(V1_E_SPI), IKEV1_N_INVALID_SPI, "SPI: INVALID-SPI");
	is_int(v1err_notify(V1_E_ATTRIBUTES), IKEV1_N_ATTRIBUTES_NOT_SUPPORTED,
	       "attributes: ATTRIBUTES-NOT-SUPPORTED (5.6)");
	is_int(v1err_notify(V1_E_KEY_INFO), IKEV1_N_INVALID_KEY_INFORMATION,
	       "KE: INVALID-KEY-INFORMATION (5.7)");
	is_int(v1err_notify(V1_E_ID_INFO), IKEV1_N_INVALID_ID_INFORMATION,
	       "ID: INVALID-ID-INFORMATION (5.8)");
	is_int(v1err_notify(V1_E_HASH_INFO), IKEV1_N_INVALID_HASH_INFORMATION,
	       "HASH: INVALID-HASH-INFORMATION (5.11)");
	is_int(v1err_notify(V1_E_NOT_ENCRYPTED), IKEV1_N_INVALID_FLAGS,
	       "clear where encryption is due: INVALID-FLAGS");
	is_int(v1err_notify(V1_E_LENGTH), IKEV1_N_UNEQUAL_PAYLOAD_LENGTHS,
	       "header length: UNEQUAL-PAYLOAD-LENGTHS");
	is_int(v1err_notify(V1_E_OFFER_SIZE), IKEV1_N_NO_PROPOSAL_CHOSEN,
	       "more transforms than we evaluate: none chosen, NO-PROPOSAL-CHOSEN");
	is_int(v1err_notify(V1_E_PADDING), 0,
	       "a fault inside an encrypted body is not answered");
	is_int(v1err_notify(V1_ERR_COUNT), 0, "out of range: nothing");
	is_int(v1err_from_msg(MSG_E_UNKNOWN_V1), V1_E_PAYLOAD_TYPE,
	       "codec: unknown IKEv1 payload type");
	is_int(v1err_from_msg(MSG_E_TRUNCATED), V1_E_MALFORMED,
	       "codec: truncated payload");
	is_int(v1err_from_msg(MSG_E_TRAILING), V1_E_MALFORMED,
	       "codec: bytes after the last payload");
	is_int(v1err_from_msg(MSG_E_LENGTH), V1_E_LENGTH, "codec: length");
	is_int(v1err_from_msg(MSG_E_MAJOR), V1_E_MAJOR, "codec: major version");
	is_int(v1err_from_msg(MSG_E_SHORT), V1_E_SHORT, "codec: short");
	is_int(v1err_from_msg(MSG_OK), V1_OK, "codec: ok");
}

int main(void)
{
	test_tables();
	test_vids();
	test_err();
	return done_testing();
}
