/*
 * daemon.h — the running service: builds store, fetch, schedule, poll and
 * httpd from a configuration, runs the event loop, and handles SIGHUP
 * (reload), SIGTERM/SIGINT (stop) and the systemd notify protocol.
 */
#ifndef FEEDMUX_DAEMON_H
#define FEEDMUX_DAEMON_H

struct daemon_options {
	const char *config_path;	/* borrowed */
	int once;			/* poll every feed once, then exit */
};

/* Exit status of the process: 0 ok; with once, 2 if a feed failed; 1 on
 * a fatal error (logged). */
int daemon_run(const struct daemon_options *opts);

#endif
