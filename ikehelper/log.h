/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's log: stderr (the default, with a time stamp) or syslog
 * (facility daemon).  Messages say what happened to whom: tunnel, peer,
 * SPI.  A key, a PSK or any other secret never goes into a message.
 */
#ifndef IKEHELPER_LOG_H
#define IKEHELPER_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* Messages above level (LOG_ERR ... LOG_DEBUG) are dropped. */
void log_init(bool use_syslog, int level);
void log_close(void);

__attribute__((format(printf, 2, 3)))
void log_msg(int prio, const char *fmt, ...);

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif /* IKEHELPER_LOG_H */
