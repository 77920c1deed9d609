// SPDX-License-Identifier: GPL-2.0
/*
 * Privilege drop (see privdrop.h), through the raw capget/capset system
 * calls so that the daemon needs no libcap.
 */
/* setresuid(), setresgid() */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "privdrop.h"

#define PRIVDROP_KEEP	CAP_NET_ADMIN

static int privdrop_last_cap(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int last = CAP_LAST_CAP;

	if (f) {
		if (fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	return last;
}

static int privdrop_caps(char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	uint32_t bit = 1u << (PRIVDROP_KEEP % 32);
	unsigned int word = PRIVDROP_KEEP / 32;
	bool have;

	if (syscall(SYS_capget, &hdr, data)) {
		snprintf(err, errlen, "capget: %s", strerror(errno));
		return -errno;
	}
	have = data[word].permitted & bit;
	memset(data, 0, sizeof(data));
	if (have) {
		data[word].effective = bit;
		data[word].permitted = bit;
	}
	if (syscall(SYS_capset, &hdr, data)) {
		snprintf(err, errlen, "capset: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static int privdrop_user(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errlen, "--user %s: %s", user,
			 errno ? strerror(errno) : "no such user");
		return errno ? -errno : -ENOENT;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	/* Keep the permitted set across the uid change; trimmed below. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
	    setgroups(1, &gid) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid)) {
		snprintf(err, errlen, "cannot become %s: %s", user,
			 strerror(errno));
		return -errno;
	}
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0)) {
		snprintf(err, errlen, "PR_SET_KEEPCAPS: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

int privdrop_apply(const char *user, char *err, size_t errlen)
{
	int cap, last = privdrop_last_cap();
	int ret;

	/* The bounding set first: that needs CAP_SETPCAP, dropped below. */
	for (cap = 0; cap <= last; cap++) {
		if (cap == PRIVDROP_KEEP)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL &&
		    errno != EPERM) {
			snprintf(err, errlen, "PR_CAPBSET_DROP: %s",
				 strerror(errno));
			return -errno;
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) &&
	    errno != EINVAL) {
		snprintf(err, errlen, "PR_CAP_AMBIENT: %s", strerror(errno));
		return -errno;
	}
	if (user) {
		ret = privdrop_user(user, err, errlen);
		if (ret)
			return ret;
	}
	ret = privdrop_caps(err, errlen);
	if (ret)
		return ret;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
			 strerror(errno));
		return -errno;
	}
	return 0;
}
