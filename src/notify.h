/*
 * notify.h — the systemd notify protocol (sd_notify), when feedmux was
 * built with libsystemd; otherwise every call does nothing.
 */
#ifndef FEEDMUX_NOTIFY_H
#define FEEDMUX_NOTIFY_H

#include <stdint.h>

struct event_base;

/* Whether a service manager listens (NOTIFY_SOCKET is set). */
int notify_enabled(void);
void notify_ready(void);
void notify_reloading(void);
void notify_stopping(void);
void notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * When the service manager asked for watchdog pings (WATCHDOG_USEC),
 * starts a timer on base that sends WATCHDOG=1 at half that period.
 * Returns 0 (also when no watchdog was asked for).
 */
int notify_watchdog_start(struct event_base *base);
void notify_watchdog_stop(void);

#endif
