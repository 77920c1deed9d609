// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's log (see log.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

#define LOG_LINE_MAX	1024	/* longer messages are cut */

static bool log_syslog;
static int log_level = LOG_INFO;

void log_init(bool use_syslog, int level)
{
	log_syslog = use_syslog;
	log_level = level;
	if (use_syslog)
		openlog("ikehelper", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_close(void)
{
	if (log_syslog)
		closelog();
	log_syslog = false;
}

void log_msg(int prio, const char *fmt, ...)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "error", "warning", "notice",
		"info", "debug",
	};
	char stamp[32] = "", line[LOG_LINE_MAX];
	struct timespec ts;
	struct tm tm;
	size_t room, len;
	va_list ap;
	int n, m;

	if (prio > log_level)
		return;
	va_start(ap, fmt);
	if (log_syslog) {
		vsyslog(prio, fmt, ap);
		va_end(ap);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	if (localtime_r(&ts.tv_sec, &tm))
		strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	/*
	 * stderr is unbuffered: one line, one write, or a handshake costs
	 * three system calls per line (and lines of two writers interleave).
	 */
	n = snprintf(line, sizeof(line), "%s.%03ld ikehelper %s: ", stamp,
		     ts.tv_nsec / 1000000, names[prio & 7]);
	/* Room for the message and its NUL, less one byte for '\n'. */
	room = sizeof(line) - 1 - (size_t)n;
	m = vsnprintf(line + n, room, fmt, ap);
	va_end(ap);
	if (m > 0)
		len = (size_t)n + ((size_t)m < room ? (size_t)m : room - 1);
	else
		len = (size_t)n;
	line[len++] = '\n';
	fwrite(line, 1, len, stderr);
}
