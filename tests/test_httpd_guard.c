/*
 * test_httpd_guard.c — the connection cap and the whole-request deadline
 * (httpd_guard.h) on a real evhttp on 127.0.0.1, driven by plain
 * sockets from this same thread.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/util.h>

#include "httpd_guard.h"
#include "tap.h"

#define MAX_CONNS 4
#define DEADLINE_S 1
#define REPLY_DELAY_MS 600	/* how long a request stays busy */

static struct event_base *base;
static struct evhttp *http;
static struct httpd_guard *guard;
static int port;

/* Runs the loop for ms milliseconds. */
static void run_for(int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static void on_reply_due(evutil_socket_t fd, short what, void *arg)
{
	struct evhttp_request *req = arg;

	(void)fd;
	(void)what;
	evbuffer_add(evhttp_request_get_output_buffer(req), "ok\n", 3);
	evhttp_send_reply(req, 200, "OK", NULL);
}

/* /slow answers after REPLY_DELAY_MS (busy meanwhile), the rest now. */
static void on_request(struct evhttp_request *req, void *arg)
{
	struct timeval tv = { 0, REPLY_DELAY_MS * 1000 };

	(void)arg;
	httpd_guard_request(req);
	if (strcmp(evhttp_request_get_uri(req), "/slow") == 0)
		event_base_once(base, -1, EV_TIMEOUT, on_reply_due, req, &tv);
	else
		on_reply_due(-1, 0, req);
}

static int client(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void say(int fd, const char *s)
{
	if (send(fd, s, strlen(s), MSG_NOSIGNAL) < 0)
		diag("send: %s", strerror(errno));
}

/* 1 if the server closed fd (EOF or reset), 0 if still open.  Reads
 * (and drops) what was sent; the first bytes go to head. */
static int server_closed(int fd, char *head, size_t headlen)
{
	char buf[4096];
	ssize_t n;
	size_t got = 0;

	if (head)
		head[0] = '\0';
	for (;;) {
		n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
		if (n > 0) {
			if (head && got + 1 < headlen) {
				size_t k = (size_t)n < headlen - 1 - got ?
					   (size_t)n : headlen - 1 - got;
				memcpy(head + got, buf, k);
				got += k;
				head[got] = '\0';
			}
			continue;
		}
		if (n == 0 || errno == ECONNRESET)
			return 1;
		return 0;	/* EAGAIN: open, nothing more */
	}
}

static int setup(void)
{
	struct evhttp_bound_socket *bs;
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;

	base = event_base_new();
	http = base ? evhttp_new(base) : NULL;
	if (!http)
		return -1;
	evhttp_set_gencb(http, on_request, NULL);
	bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	if (!bs || getsockname(evhttp_bound_socket_get_fd(bs),
			       (struct sockaddr *)&sa, &len) < 0)
		return -1;
	port = ntohs(sa.sin_port);
	guard = httpd_guard_create(http, base, MAX_CONNS, DEADLINE_S);
	return guard ? 0 : -1;
}

static void close_all(int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	run_for(100);
}

static void guard_counts_open_connections(void)
{
	int fds[3], i;

	for (i = 0; i < 3; i++)
		fds[i] = client();
	run_for(100);
	is_int(httpd_guard_count(guard), 3, "guard_counts_open_connections");
	close_all(fds, 3);
	is_int(httpd_guard_count(guard), 0,
	       "guard_counts_closed_connections_out");
}

static void guard_evicts_oldest_idle_past_cap(void)
{
	struct httpd_guard_stats st0, st1;
	int fds[MAX_CONNS + 1], i;

	httpd_guard_stats(guard, &st0);
	for (i = 0; i < MAX_CONNS; i++) {
		fds[i] = client();
		run_for(20);	/* so that fds[0] is the oldest */
	}
	fds[MAX_CONNS] = client();
	run_for(100);
	httpd_guard_stats(guard, &st1);
	is_int(httpd_guard_count(guard), MAX_CONNS, "cap_holds_the_count");
	is_int(st1.evicted - st0.evicted, 1, "cap_evicts_one");
	ok(server_closed(fds[0], NULL, 0), "cap_evicts_the_oldest_idle");
	ok(!server_closed(fds[MAX_CONNS], NULL, 0), "cap_keeps_the_newcomer");
	say(fds[MAX_CONNS], "GET /x HTTP/1.0\r\n\r\n");
	run_for(100);
	{
		char head[32];

		server_closed(fds[MAX_CONNS], head, sizeof head);
		ok(strncmp(head, "HTTP/1.0 200", 12) == 0,
		   "cap_newcomer_is_served");
		if (strncmp(head, "HTTP/1.0 200", 12) != 0)
			diag("got: %s", head);
	}
	close_all(fds, MAX_CONNS + 1);
}

static void guard_refuses_newcomer_when_all_busy(void)
{
	int fds[MAX_CONNS + 1], i;
	char head[64];

	for (i = 0; i < MAX_CONNS; i++) {
		fds[i] = client();
		say(fds[i], "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
	}
	run_for(100);	/* all four busy now */
	fds[MAX_CONNS] = client();
	run_for(100);
	ok(server_closed(fds[MAX_CONNS], head, sizeof head),
	   "all_busy_newcomer_closed");
	ok(strncmp(head, "HTTP/1.1 503", 12) == 0, "all_busy_newcomer_gets_503");
	if (strncmp(head, "HTTP/1.1 503", 12) != 0)
		diag("got: %s", head);
	run_for(REPLY_DELAY_MS);
	ok(server_closed(fds[0], head, sizeof head) == 0 &&
	   strncmp(head, "HTTP/1.1 200", 12) == 0,
	   "busy_connections_are_not_evicted_and_get_their_answer");
	close_all(fds, MAX_CONNS + 1);
}

/* A client dripping a byte every 100 ms: evhttp's own timeout would
 * restart each time; the deadline does not. */
static void guard_deadline_closes_a_drip(void)
{
	struct timespec t0, t1;
	int fd = client(), closed = 0, i;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	say(fd, "GET / HTTP/1.1\r\n");
	for (i = 0; i < 40 && !closed; i++) {	/* at most 4 s */
		say(fd, "X");
		run_for(100);
		closed = server_closed(fd, NULL, 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(closed, "deadline_closes_a_dripping_request");
	ok(secs >= DEADLINE_S - 0.1 && secs < DEADLINE_S + 1.0,
	   "deadline_closes_it_at_the_deadline");
	if (!closed || secs >= DEADLINE_S + 1.0)
		diag("closed=%d after %.2f s, want about %d s", closed, secs,
		     DEADLINE_S);
	close(fd);
	run_for(50);
}

static void guard_deadline_restarts_after_a_response(void)
{
	char head[32];
	int fd = client();

	say(fd, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
	run_for(700);
	ok(!server_closed(fd, head, sizeof head) &&
	   strncmp(head, "HTTP/1.1 200", 12) == 0, "keepalive_first_answer");
	say(fd, "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
	run_for(700);	/* 1.4 s after connecting: past one deadline */
	ok(!server_closed(fd, head, sizeof head) &&
	   strncmp(head, "HTTP/1.1 200", 12) == 0,
	   "keepalive_second_request_within_a_fresh_deadline");
	run_for(DEADLINE_S * 1000 + 300);
	ok(server_closed(fd, NULL, 0), "keepalive_idle_past_deadline_closed");
	close(fd);
	run_for(50);
}

int main(void)
{
	int open_fd;

	if (setup() < 0) {
		printf("Bail out! cannot start evhttp on 127.0.0.1\n");
		return 1;
	}
	ok(httpd_guard_max(guard) == MAX_CONNS, "guard_max_as_asked");
	ok(httpd_guard_of(http) == guard, "guard_found_from_its_evhttp");
	guard_counts_open_connections();
	guard_evicts_oldest_idle_past_cap();
	guard_refuses_newcomer_when_all_busy();
	guard_deadline_closes_a_drip();
	guard_deadline_restarts_after_a_response();
	/* Freed with a connection still open: evhttp_free must not call
	 * into the freed guard (ASan would see it). */
	open_fd = client();
	run_for(50);
	httpd_guard_free(guard);
	ok(httpd_guard_of(http) == NULL, "guard_freed_is_not_found");
	evhttp_free(http);
	event_base_free(base);
	close(open_fd);
	ok(1, "guard_freed_before_evhttp_with_open_connections");
	return done_testing();
}
