#!/bin/bash
# e2e_http2.sh — HTTP/2 multiplexing where the server offers it (issue 4
# bullet 5): four feeds on one HTTPS host, served by nginx with http2 and
# a certificate of a CA made here (trusted through ca_file), are fetched
# as four streams of one connection.  nginx's access log names the
# protocol and connection serial number of every request.  Skipped when
# nginx or openssl is not installed.
. "$(dirname "$0")/lib.sh"
require_binaries

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$NGINX" ] || ! command -v openssl >/dev/null; then
	echo "1..0 # SKIP nginx or openssl not installed"
	exit 0
fi

copy_fixtures
WWW=$TMP/www
mkdir -p "$WWW" "$TMP/nginx"
# nginx started as root reads the files as its worker user (nobody).
chmod a+rx "$TMP" "$WWW"
for i in 1 2 3 4; do
	sed "s/<guid>/<guid>h2-$i-/" "$FEEDS_DIR/world.rss" >"$WWW/feed$i.rss"
done
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=feedmux test CA" \
	-keyout "$TMP/ca.key" -out "$TMP/ca.pem" 2>/dev/null &&
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
	-keyout "$TMP/server.key" -out "$TMP/server.csr" 2>/dev/null &&
printf 'subjectAltName=IP:127.0.0.1\n' >"$TMP/san.ext" &&
openssl x509 -req -in "$TMP/server.csr" -CA "$TMP/ca.pem" -CAkey "$TMP/ca.key" \
	-CAcreateserial -days 1 -extfile "$TMP/san.ext" -out "$TMP/server.pem" 2>/dev/null ||
	bail_out "openssl could not make the test certificates"

H2PORT=$(free_port)
cat >"$TMP/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $TMP/nginx/body;
	proxy_temp_path $TMP/nginx/proxy;
	fastcgi_temp_path $TMP/nginx/fastcgi;
	uwsgi_temp_path $TMP/nginx/uwsgi;
	scgi_temp_path $TMP/nginx/scgi;
	log_format h2 '\$server_protocol \$connection \$request_uri';
	types { application/rss+xml rss; }
	server {
		listen 127.0.0.1:$H2PORT ssl http2;
		ssl_certificate $TMP/server.pem;
		ssl_certificate_key $TMP/server.key;
		access_log $TMP/nginx/access.log h2;
		root $WWW;
	}
}
EOF
"$NGINX" -c "$TMP/nginx.conf" -p "$TMP/nginx" 2>>"$TMP/nginx/stderr" &
STARTED_PIDS+=("$!")
# A curl of its own asks for /ready (404), so it is no feed line in the log.
up() { curl -s -o /dev/null --cacert "$TMP/ca.pem" "https://127.0.0.1:$H2PORT/ready"; }
wait_for up || bail_out "nginx did not start: $(cat "$TMP/nginx/stderr" "$TMP/nginx/error.log" 2>/dev/null)"

PORT=$(free_port)
{
	printf 'listen = 127.0.0.1:%s\ndatabase = %s\ninterval = 1h\n' "$PORT" "$TMP/h2.db"
	printf 'ca_file = %s\nconcurrency = 8\nper_host = 4\n\n[section s]\n' "$TMP/ca.pem"
	for i in 1 2 3 4; do
		printf '[feed h2_%s]\nurl = https://127.0.0.1:%s/feed%s.rss\nsection = s\n' "$i" "$H2PORT" "$i"
	done
} >"$TMP/h2.conf"
start_feedmux "$TMP/h2.conf" || bail_out "feedmux did not start"
wait_polled 4
ok $? "four_https_feeds_polled"
items_20() { [ "$(healthz_field items)" = 20 ]; }
wait_for items_20
ok $? "four_feeds_over_https_stored_with_the_test_ca" || diag "$(curl -s "$FMURL/healthz?feeds=1")"
log_has_4() { [ "$(grep -c '/feed[0-9]' "$TMP/nginx/access.log")" -ge 4 ]; }
wait_for log_has_4
diag "$(cat "$TMP/nginx/access.log")"
is "$(awk '/\/feed[0-9]/ { print $1 }' "$TMP/nginx/access.log" | sort -u)" "HTTP/2.0" \
	"every_feed_fetched_over_http2"
is "$(awk '/\/feed[0-9]/ { print $2 }' "$TMP/nginx/access.log" | sort -u | wc -l)" 1 \
	"four_feeds_of_one_host_share_one_connection"
stop_feedmux TERM
is "$EXIT_RC" 0 "daemon_exits_0"
done_testing
