#!/bin/bash
# e2e_abuse.sh — the HTTP endpoint under abuse (issue 9): hundreds of
# slowloris and half-open connections, oversized headers and garbage
# requests at once, while a reader keeps asking for /feed.atom.  Every
# normal request must be answered 200 in under a second, the slow
# connections must be closed by the whole-request deadline
# (httpd_guard.h: 10 s) however busily they drip, and the daemon must be
# fine afterwards.  All on 127.0.0.1; the attack lasts 16 s at most.
. "$(dirname "$0")/lib.sh"
require_binaries

SLOW=350 HALF_OPEN=250 OVERSIZED=20 GARBAGE=50
DEADLINE_S=10

copy_fixtures
start_feedserver "$FEEDS_DIR" || bail_out "feedserver did not start"
make_config "$TMP/feedmux.conf" 1h world
start_feedmux "$TMP/feedmux.conf" || bail_out "feedmux did not start"
wait_polled 1 || bail_out "no poll"

# The attacker and the reader, in one bounded Python loop.  Prints
# "key value" lines.
"$PY3" - "$PORT" "$SLOW" "$HALF_OPEN" "$OVERSIZED" "$GARBAGE" \
	"$DEADLINE_S" >"$TMP/abuse.out" 2>"$TMP/abuse.err" <<'PY'
import os, random, resource, socket, sys, time

port, n_slow, n_half, n_big, n_junk, deadline = map(int, sys.argv[1:])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
addr = ("127.0.0.1", port)
random.seed(9)

def connect():
    s = socket.create_connection(addr, timeout=2)
    s.setblocking(False)
    return s

def closed_by_server(s):
    """True once the server has closed s (EOF or reset)."""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True

def answer_of(s, wait):
    """The status line the server sent on s within wait seconds, or
    'closed' / 'none'."""
    s.setblocking(True)
    s.settimeout(wait)
    try:
        data = s.recv(4096)
    except socket.timeout:
        return "none"
    except OSError:
        return "closed"
    if not data:
        return "closed"
    return data.split(b"\r\n", 1)[0].decode("latin-1")

def normal_request():
    t = time.monotonic()
    try:
        s = socket.create_connection(addr, timeout=1.5)
        s.settimeout(1.5)
        s.sendall(b"GET /feed.atom HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Connection: close\r\n\r\n")
        data = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
        s.close()
        ok = data.startswith(b"HTTP/1.1 200") and b"</feed>" in data
    except OSError:
        ok = False
    return ok, time.monotonic() - t

start = time.monotonic()
slow, half = [], []
for i in range(n_slow):
    s = connect()
    s.send(b"GET /feed.atom HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    slow.append([s, None])      # [socket, time the server closed it]
for i in range(n_half):
    s = connect()
    if i % 2:
        s.send(b"GE")           # half a method, then nothing
    half.append([s, None])
opened = time.monotonic() - start

big_answers = []
for i in range(n_big):
    s = connect()
    hdr = b"GET /feed.atom HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 65536
    try:
        s.setblocking(True)
        s.settimeout(2)
        s.sendall(hdr + b"\r\n\r\n")
    except OSError:
        pass
    big_answers.append(answer_of(s, 2))
    s.close()

junk_answers = []
for i in range(n_junk):
    s = connect()
    junk = bytes(random.randrange(256) for _ in range(random.randrange(1, 600)))
    if i % 5 == 0:
        junk = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + junk  # TLS
    try:
        s.send(junk + b"\r\n\r\n")
    except OSError:
        pass
    junk_answers.append(answer_of(s, 2))
    s.close()

# Drip one header line per second on every slow connection, read the
# feed as a reader would every 0.2 s, until every slow and half-open
# connection is closed or deadline + 6 s have passed.
normal_ok = normal_total = 0
worst = 0.0
next_drip = time.monotonic()
while time.monotonic() - start < deadline + 6:
    now = time.monotonic()
    if now >= next_drip:
        for c in slow:
            if c[1] is None:
                try:
                    c[0].send(b"X-Drip: %d\r\n" % random.randrange(10))
                except OSError:
                    pass
        next_drip = now + 1.0
    for c in slow + half:
        if c[1] is None and closed_by_server(c[0]):
            c[1] = time.monotonic() - start
    ok, secs = normal_request()
    normal_total += 1
    normal_ok += ok
    worst = max(worst, secs)
    if all(c[1] is not None for c in slow + half):
        break
    time.sleep(0.2)

slow_closed = [c[1] for c in slow if c[1] is not None]
half_closed = [c[1] for c in half if c[1] is not None]
print("opened_s %.2f" % opened)
print("normal_total %d" % normal_total)
print("normal_ok %d" % normal_ok)
print("normal_worst_ms %d" % int(worst * 1000))
print("slow_closed %d" % len(slow_closed))
print("slow_last_closed_s %.1f" % max(slow_closed or [0]))
print("half_closed %d" % len(half_closed))
print("big_200 %d" % sum(a.startswith("HTTP/1.1 200") for a in big_answers))
print("big_answers %s" % ",".join(sorted(set(a[:12] for a in big_answers))))
print("junk_200 %d" % sum(" 200 " in a for a in junk_answers))
print("junk_answers %s" % ",".join(sorted(set(a[:12] for a in junk_answers))))
PY
ok $? "abuse_client_ran" || diag "$(cat "$TMP/abuse.err")"
val() { sed -n "s/^$1 //p" "$TMP/abuse.out"; }
diag "$(tr '\n' ' ' <"$TMP/abuse.out")"

total=$(val normal_total)
[ "${total:-0}" -ge 20 ]
ok $? "reader_kept_asking_during_the_attack" || diag "only ${total:-0} requests"
is "$(val normal_ok)" "$total" "every_normal_request_answered_200_during_abuse"
[ "$(val normal_worst_ms)" -lt 1000 ] 2>/dev/null
ok $? "every_normal_request_answered_in_under_a_second" ||
	diag "slowest: $(val normal_worst_ms) ms"
is "$(val slow_closed)" "$SLOW" "slowloris_connections_all_closed"
# Closed by the deadline (or evicted sooner), not after evhttp's 30 s.
last=$(val slow_last_closed_s)
awk -v t="$last" -v d="$DEADLINE_S" 'BEGIN { exit !(t <= d + 4) }'
ok $? "slowloris_closed_by_the_whole_request_deadline" ||
	diag "last closed after $last s, deadline $DEADLINE_S s"
is "$(val half_closed)" "$HALF_OPEN" "half_open_connections_all_closed"
is "$(val big_200)" 0 "oversized_headers_never_get_200"
like "$(val big_answers)" '^(HTTP/1.1 4[0-9][0-9]|closed)' \
	"oversized_headers_refused_or_closed"
is "$(val junk_200)" 0 "garbage_requests_never_get_200"
check "cap_reached_is_logged_once_not_per_connection" \
	test "$(grep -c 'connection cap reached' "$FMLOG")" -le 2
is "$(http_get "$FMURL/healthz" /dev/null)" 200 "daemon_healthy_after_abuse"
kill -0 "$FMPID" 2>/dev/null
ok $? "daemon_still_running_after_abuse"
stop_feedmux TERM
is "$EXIT_RC" 0 "daemon_exits_0_after_abuse"
done_testing
