/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the IKEv1 unit tests share: hex, the vectors directory
 * ($IKEVTI_VECTORS, else the one the Makefile compiles in, else
 * ../shared/vectors beside the repository) and a pcap reader that yields
 * the IKE messages of a capture.
 */
#ifndef SELFTESTS_UNIT_V1_VECTORS_H
#define SELFTESTS_UNIT_V1_VECTORS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef IKEVTI_VECTORS
#define IKEVTI_VECTORS "../../../shared/vectors"
#endif

static inline const char *vectors_dir(void)
{
	const char *d = getenv("IKEVTI_VECTORS");

	return d && *d ? d : IKEVTI_VECTORS;
}

/* Hex (spaces allowed) into out; SIZE_MAX if it is not hex or too long. */
static inline size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return SIZE_MAX;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= max)
			return SIZE_MAX;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? n : SIZE_MAX;
}

#define CAP_MAX		40
#define CAP_MSG_MAX	4096

struct capture {
	size_t n;
	size_t len[CAP_MAX];
	uint16_t dport[CAP_MAX];
	uint8_t msg[CAP_MAX][CAP_MSG_MAX];
};

static inline uint32_t cap_u32(const uint8_t *p, bool be)
{
	return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3]
		  : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
		    (uint32_t)p[1] << 8 | p[0];
}

/*
 * The IKE messages of the pcap at rel (under the vectors directory): link
 * layers BSD loopback (0) and Ethernet (1), IPv4 or IPv6, UDP to or from
 * port 500 or 4500.  On 4500 the non-ESP marker is dropped and ESP (a
 * non-zero first word) and keepalives (one byte) are skipped.  -1 if the
 * file cannot be read.
 */
static inline int read_pcap(const char *rel, struct capture *cap)
{
	static uint8_t file[1 << 16];
	char path[4096];
	size_t flen, off = 24;
	uint32_t linktype;
	bool be;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", vectors_dir(), rel);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	flen = fread(file, 1, sizeof(file), f);
	fclose(f);
	cap->n = 0;
	if (flen < 24)
		return -1;
	be = file[0] == 0xa1;
	linktype = cap_u32(file + 20, be);
	while (off + 16 <= flen && cap->n < CAP_MAX) {
		size_t incl = cap_u32(file + off + 8, be), l2, ip, udp;
		const uint8_t *p = file + off + 16;
		uint16_t sport, dport;

		off += 16;
		if (incl > flen - off)
			break;
		off += incl;
		l2 = linktype == 0 ? 4 : linktype == 1 ? 14 : 0;
		if (linktype == 1 && (incl < 14 || p[12] != 0x08 ||
				      (p[13] != 0x00 && p[13] != 0xdd)))
			continue;	/* not IPv4 or IPv6 (ARP) */
		if (incl < l2 + 20)
			continue;
		p += l2;
		incl -= l2;
		if ((p[0] >> 4) == 4 && p[9] == 17)
			ip = (size_t)(p[0] & 0x0f) * 4;
		else if ((p[0] >> 4) == 6 && p[6] == 17)
			ip = 40;
		else
			continue;
		if (incl < ip + 8)
			continue;
		udp = ip + 8;
		sport = (uint16_t)(p[ip] << 8 | p[ip + 1]);
		dport = (uint16_t)(p[ip + 2] << 8 | p[ip + 3]);
		if (sport == 4500 || dport == 4500) {
			if (incl < udp + 4 || cap_u32(p + udp, true))
				continue;	/* keepalive or ESP */
			udp += 4;
		} else if (sport != 500 && dport != 500) {
			continue;
		}
		if (incl - udp > CAP_MSG_MAX)
			continue;
		memcpy(cap->msg[cap->n], p + udp, incl - udp);
		cap->dport[cap->n] = dport;
		cap->len[cap->n++] = incl - udp;
	}
	return 0;
}

#endif /* SELFTESTS_UNIT_V1_VECTORS_H */
