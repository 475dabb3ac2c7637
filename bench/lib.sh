# bench/lib.sh — helpers for bench/run.sh: timing, a static nginx, the
# result table.  Sourced; expects $TMP (a scratch dir the caller removes).

# measure OUT CMD...: runs CMD, writes "wall cpu peak_kib status" to OUT.
# Wall clock and CPU (user + system, children included) come from GNU time;
# peak memory is the largest resident set of the process or any one child.
measure() {
	local out=$1 rc=0

	shift
	/usr/bin/time -f "%e %U %S %M" -o "$out.raw" "$@" || rc=$?
	tail -1 "$out.raw" |
		awk -v rc=$rc '{ printf "%s %.2f %s %s\n", $1, $2 + $3, $4, rc }' >"$out"
}

# field FILE N: the Nth word of FILE's first line.
field() {
	awk -v n="$2" 'NR == 1 { print $n }' "$1"
}

# The system Python: a pyenv shim first on PATH took 3.7 s to start on
# the bench machine, a second per call site of make bench.
PY3=/usr/bin/python3
[ -x "$PY3" ] || PY3=python3

free_port() {
	"$PY3" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_http URL: until URL answers (5 s at most).
wait_http() {
	local i

	for ((i = 0; i < 50; i++)); do
		curl -s -o /dev/null --max-time 1 "$1" && return 0
		sleep 0.1
	done
	return 1
}

# nginx_start ROOT [nolog]: serves ROOT statically on 127.0.0.1 (ETag and
# Last-Modified as nginx always sends them, precompressed .gz files for
# gzip requests).  Sets NGINX_PORT, NGINX_URL and NGINX_LOG (one line per
# request: status, path, written unbuffered so it can be read at once).
# With "nolog" there is no access log: feedmux logs requests only at
# debug level, so a serving comparison must not make nginx write one.
nginx_start() {
	local root=$1 conf=$TMP/nginx/nginx.conf access

	mkdir -p "$TMP/nginx"
	NGINX_PORT=$(free_port)
	NGINX_URL=http://127.0.0.1:$NGINX_PORT
	NGINX_LOG=$TMP/nginx/access.log
	access="access_log $NGINX_LOG brief;"
	[ "${2:-}" = nolog ] && access="access_log off;"
	cat >"$conf" <<EOF
worker_processes 1;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
	include /etc/nginx/mime.types;
	types { application/rss+xml rss; application/atom+xml atom; }
	log_format brief '\$status \$uri';
	$access
	client_body_temp_path $TMP/nginx;
	proxy_temp_path $TMP/nginx;
	fastcgi_temp_path $TMP/nginx;
	uwsgi_temp_path $TMP/nginx;
	scgi_temp_path $TMP/nginx;
	sendfile on;
	tcp_nodelay on;
	keepalive_requests 100000;
	gzip_static on;
	gzip_vary on;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $root;
		location / { add_header Cache-Control "max-age=60"; }
	}
}
EOF
	nginx -c "$conf" -e "$TMP/nginx/error.log" >/dev/null 2>&1 &
	NGINX_PID=$!
	wait_http "$NGINX_URL/" || { echo "nginx did not start:" >&2;
		cat "$TMP/nginx/error.log" >&2; return 1; }
}

nginx_stop() {
	[ -n "${NGINX_PID:-}" ] || return 0
	kill "$NGINX_PID" 2>/dev/null
	wait "$NGINX_PID" 2>/dev/null
	NGINX_PID=
}

# log_mark: the access log's line count now.
log_mark() {
	wc -l <"$NGINX_LOG" 2>/dev/null || echo 0
}

# log_statuses FROM: "200:N 304:M" for the lines after line FROM.  nginx
# writes a line as it finishes a request, before the client has parsed
# the reply, so the lines of a finished run are all there.
log_statuses() {
	tail -n +"$(($1 + 1))" "$NGINX_LOG" | awk '{ n[$1]++ }
		END { for (s in n) printf "%s%s:%d", sep, s, n[s]; sep = " " }'
}

# proc_cpu_ticks PID...: user + system clock ticks the processes used so far.
proc_cpu_ticks() {
	local p t=0 f

	for p in "$@"; do
		# Fields 14 and 15 of /proc/PID/stat; the command name (field 2)
		# may hold spaces, so count from the closing parenthesis.
		read -ra f < <(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null) || continue
		[ ${#f[@]} -gt 12 ] && t=$((t + f[11] + f[12]))
	done
	echo "$t"
}

# ---- the result table ----
# row AREA WHAT FEEDMUX PEER PEER_FIGURE RATIO TARGET: one line of the
# table; RATIO is written so that above 1 means feedmux is better.
ROWS=$TMP/rows
row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$ROWS"
}

# ratio_lower A B: B/A, for figures where lower is better (A = feedmux).
ratio_lower() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "" || b == "" || a + 0 <= 0 || b + 0 <= 0) print "-";
		else printf "%.1fx\n", b / a }'
}

# ratio_higher A B: A/B, for figures where higher is better.
ratio_higher() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "" || b == "" || a + 0 <= 0 || b + 0 <= 0) print "-";
		else printf "%.2fx\n", a / b }'
}

# verdict RATIO MIN: "met" when the ratio (as printed, "12.3x") >= MIN.
verdict() {
	awk -v r="${1%x}" -v m="$2" 'BEGIN {
		if (r == "-" || r == "") print "n/a";
		else if (r + 0 >= m + 0) print "met";
		else print "NOT met" }'
}

table_print() {
	{
		printf 'area\tmeasure\tfeedmux\tpeer\tpeer figure\tfeedmux vs peer\ttarget\n'
		cat "$ROWS"
	} | awk -F'\t' '
		{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i
			if (length($i) > w[i]) w[i] = length($i) } n = NR; nf = NF }
		END { for (r = 1; r <= n; r++) {
			line = ""
			for (i = 1; i <= nf; i++)
				line = line sprintf("%-" w[i] "s", cell[r, i]) (i < nf ? " | " : "")
			print line
			if (r == 1) { line = ""
				for (i = 1; i <= nf; i++) { d = sprintf("%" w[i] "s", "")
					gsub(/ /, "-", d); line = line d (i < nf ? "-+-" : "") }
				print line } } }'
}
