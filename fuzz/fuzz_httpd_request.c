/*
 * fuzz_httpd_request.c — a whole HTTP request, as bytes on a socket,
 * through the real endpoint: evhttp's parser, then httpd.c's routing,
 * query and header handling over a small store.
 *
 * The daemon's httpd listens on 127.0.0.1 (any free port) in this
 * process; each input is written to a new connection, which the client
 * then half-closes.  Whatever comes back must start like an HTTP
 * response, and the server must close the connection once the client
 * has finished (a half-closed request is not kept).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/poll.h>	/* not <poll.h>: src/poll.h is feedmux's poll module */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "entry.h"
#include "fuzz.h"
#include "httpd.h"
#include "log.h"
#include "store.h"

/* Far beyond anything evhttp needs on loopback; the bound on every input. */
#define CLOSE_DEADLINE_S 10

static const char test_conf[] =
	"listen = 127.0.0.1:8080\n"
	"database = :memory:\n"
	"title = Fuzz\n"
	"base_url = http://127.0.0.1/\n"
	"[section world]\ntitle = World\n"
	"[feed alpha]\nurl = http://127.0.0.1:9/alpha.xml\nsection = world\n";

static struct event_base *base;
static struct httpd *httpd;
static int port;

static void on_status(void *ctx, struct httpd_status *out)
{
	(void)ctx;
	memset(out, 0, sizeof *out);
	out->feeds_total = 1;
}

/* One stored story, so /feed.atom renders something. */
static void fill_store(struct store *st)
{
	char *sections[] = { "world" };
	struct entry e = { 0 };
	enum store_put_result res;
	int64_t id;

	e.guid = "urn:fuzz:1";
	e.link = "http://127.0.0.1/1";
	e.title = "Story <one> & \"two\"";
	e.summary = "<p>text</p>";
	e.published = 1700000000;
	e.updated = ENTRY_NO_DATE;
	if (store_feed_sync(st, "alpha", "http://127.0.0.1:9/alpha.xml", NULL,
			    sections, 1, &id) || store_begin(st) ||
	    store_put_entry(st, id, &e, 1700000000, &res) || store_commit(st))
		fuzz_fail("cannot fill the store");
}

static void setup(void)
{
	static struct config *cfg;
	static struct store *st;
	char err[256];
	const char *path;

	log_init(-1);
	path = fuzz_write_file("feedmux.conf", (const uint8_t *)test_conf,
			       sizeof test_conf - 1);
	cfg = config_load(path, stderr);
	st = store_open(":memory:", err, sizeof err);
	base = event_base_new();
	if (!cfg || !st || !base)
		fuzz_fail("cannot set up config, store and event base");
	fill_store(st);
	httpd = httpd_create(base, st, cfg, on_status, NULL);
	port = httpd ? httpd_listen(httpd, "127.0.0.1:0", err, sizeof err) : -1;
	if (port <= 0)
		fuzz_fail("cannot listen on 127.0.0.1");
}

/* The client side of one exchange. */
struct exchange {
	int fd;
	size_t got;
	char head[8];	/* the first bytes of the response */
	int closed;
};

static void on_client_read(evutil_socket_t fd, short what, void *arg)
{
	struct exchange *x = arg;
	char chunk[4096];
	ssize_t n;

	if (what & EV_TIMEOUT)
		fuzz_fail("server kept a half-closed connection open");
	n = recv(fd, chunk, sizeof chunk, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		x->closed = 1;
		event_base_loopbreak(base);
		return;
	}
	if (x->got < sizeof x->head)
		memcpy(x->head + x->got, chunk,
		       (size_t)n < sizeof x->head - x->got ?
		       (size_t)n : sizeof x->head - x->got);
	x->got += (size_t)n;
}

/*
 * wait_connected: waits (poll, 10 s at most) for FD's non-blocking connect
 * to finish.  libFuzzer's -timeout arms a SIGALRM timer, so any blocking
 * call here may return EINTR: a blocking connect() interrupted that way
 * fails although the connection goes on, hence non-blocking and EINTR
 * retried.  0 when connected, else an errno value.
 */
static int wait_connected(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int i, rc, err = 0;
	socklen_t len = sizeof err;

	for (i = 0; i < 1000; i++) {
		rc = poll(&p, 1, CLOSE_DEADLINE_S * 1000);
		if (rc > 0)
			break;
		if (rc == 0)
			return ETIMEDOUT;
		if (errno != EINTR)
			return errno;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}

/*
 * connect_local: a new connection to the endpoint.  A connect that fails
 * for want of a local port (the kernel still holding earlier ones in
 * TIME_WAIT) is retried for a while before the harness gives up.
 */
static int connect_local(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd, err = 0, tries;

	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (tries = 0; tries < 500; tries++) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fd < 0)
			break;
		if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
			return fd;
		err = errno;
		if (err == EINPROGRESS || err == EINTR)
			err = wait_connected(fd);
		if (err == 0)
			return fd;
		close(fd);
		if (err != EADDRNOTAVAIL && err != EAGAIN)
			break;
		usleep(10000);
	}
	fprintf(stderr, "fuzz: connect to 127.0.0.1:%d: %s\n", port,
		strerror(err ? err : errno));
	fuzz_fail("cannot connect to the endpoint");
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct exchange x = { 0 };
	struct timeval deadline = { CLOSE_DEADLINE_S, 0 };
	struct event *ev;
	size_t off = 0;
	ssize_t n;

	if (!httpd)
		setup();
	x.fd = connect_local();
	/* What does not fit the socket buffers is dropped: the server
	 * may well have refused the request already. */
	while (off < size) {
		n = send(x.fd, data + off, size - off, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	shutdown(x.fd, SHUT_WR);
	ev = event_new(base, x.fd, EV_READ | EV_PERSIST, on_client_read, &x);
	event_add(ev, &deadline);
	event_base_dispatch(base);
	event_free(ev);
	close(x.fd);
	if (x.got > 0 && (x.got < 5 || memcmp(x.head, "HTTP/", 5) != 0))
		fuzz_fail("the reply does not start with HTTP/");
	return 0;
}
