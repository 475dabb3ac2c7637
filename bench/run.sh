#!/usr/bin/env bash
# bench/run.sh SRCDIR BUILDDIR [OUT]: the benchmarks behind `make bench`.
#
# Generates synthetic feeds (bench/genfeeds.c), serves them from a local
# nginx, and measures feedmux side by side with its peers on the same
# files, in one run:
#   ingest  first poll of 1,000 and 10,000 feeds, then a re-poll where all
#           answer 304: feedmux --once (twice on one database) against
#           newsboat -x reload (8 threads) and sfeed_update (16 jobs)
#   parse   MB/s (CPU time) over a large RSS and a large Atom file:
#           feedmux --once on a file:// URL of 2,000 entries (parsing and
#           storing every one), bench/parse_bench on 5,000 (parsing
#           alone), each against sfeed on the same file
#   dedupe  cost per new item with 10k / 100k / 1M stored (bench/dedupe_bench)
#   serve   wrk on /feed.atom (200, 304, gzip) against nginx serving the
#           same bytes
#   memory  per configured feed and per stored item
# Prints the table and writes it to OUT (default BUILDDIR/bench/results.txt).
# Peers missing from the machine are installed with apt-get when run as
# root (BENCH_INSTALL=0 to skip), else their rows say "not installed".
#
# The whole run must fit in 5 minutes on a 2-core machine, so each peer
# runs once at the size its target needs: newsboat on the 1,000 feeds
# (first poll and re-poll), sfeed_update on the first BENCH_SFEED_FEEDS of
# them (it forks ~7 processes a feed), and the table says which N each
# peer figure is from.  The header gives the run time of each phase.
# BENCH_PEERS_FULL=1 runs every peer on every size as well (newsboat on
# the 10,000 feeds, sfeed_update on all 1,000 and all 10,000): the
# comparison issue 4 asks for, which takes the best part of an hour.
#
# Knobs: BENCH_FEEDS (1000), BENCH_MANY_FEEDS (10000), BENCH_BIG_ITEMS
# (5000 entries, ~6 MB, in each parse-only file), BENCH_STORE_ITEMS
# (2000, the parse+store files), BENCH_SFEED_FEEDS (100),
# BENCH_PEERS=0 to skip the peers, BENCH_PEERS_FULL=1 (above), BENCH_WRK_SECONDS (3, per wrk run;
# bench/serve.sh alternates 2 rounds), BENCH_PHASES (default "ingest parse
# dedupe serve"; serve needs ingest), BENCH_KEEP=1 to keep the scratch dir.
set -u
srcdir=$(cd "${1:?usage: run.sh SRCDIR BUILDDIR [OUT]}" && pwd)
build=$(cd "${2:?usage: run.sh SRCDIR BUILDDIR [OUT]}" && pwd)
OUT=${3:-$build/bench/results.txt}
FEEDS=${BENCH_FEEDS:-1000}
MANY=${BENCH_MANY_FEEDS:-10000}
BIG_ITEMS=${BENCH_BIG_ITEMS:-5000}
STORE_ITEMS=${BENCH_STORE_ITEMS:-2000}	# POLL_MAX_ENTRIES: one poll stores no more
PEERS=${BENCH_PEERS:-1}
PEERS_FULL=${BENCH_PEERS_FULL:-0}
SFEED_FEEDS=${BENCH_SFEED_FEEDS:-100}
WRK_SECONDS=${BENCH_WRK_SECONDS:-3}
PHASES=${BENCH_PHASES:-ingest parse dedupe serve}
FEEDMUX=$build/src/feedmux
GENFEEDS=$build/bench/genfeeds

TMP=$(mktemp -d /tmp/feedmux-bench.XXXXXX)
chmod 755 "$TMP"	# nginx workers run as nobody
STARTED=()
cleanup() {
	local p

	for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done
	nginx_stop
	[ "${BENCH_KEEP:-0}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# shellcheck source=bench/lib.sh
. "$srcdir/bench/lib.sh"
: >"$ROWS"

say() { printf '== %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null; }

[ -x "$FEEDMUX" ] && [ -x "$GENFEEDS" ] ||
	{ echo "build first: no $FEEDMUX or $GENFEEDS" >&2; exit 1; }

install_peers() {
	local missing=() cmd pkg

	for pair in nginx:nginx-light newsboat:newsboat sfeed:sfeed wrk:wrk; do
		cmd=${pair%%:*} pkg=${pair#*:}
		have "$cmd" || missing+=("$pkg")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	if [ "$(id -u)" = 0 ] && [ "${BENCH_INSTALL:-1}" = 1 ]; then
		say "installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			"${missing[@]}" >"$TMP/apt.log" 2>&1 ||
			say "apt-get failed; rows of missing peers are skipped"
	else
		say "not installed: ${missing[*]} (apt-get install them for the peer rows)"
	fi
}

# ---- ingest ----

# feedmux_conf OUT DB N [URLBASE]: N feeds from the list, 32 in flight (all
# on one host, so per_host too: the peers fetch 8 and 16 at a time).
feedmux_conf() {
	local out=$1 db=$2 n=$3 base=$4

	{
		echo "database = $db"
		echo "listen = 127.0.0.1:${FM_PORT:-8080}"
		echo "concurrency = 32"
		echo "per_host = 32"
		echo "retention = 3650d"
		echo "[section bench]"
		head -n "$n" "$TMP/www/$n/list" |
			awk -v base="$base" '{ name = $0; gsub(/[^0-9a-z]/, "_", name)
				printf "[feed %s]\nurl = %s/%s\nsection = bench\n", name, base, $0 }'
	} >"$out"
}

# ingest_feedmux N: first poll and 304 re-poll; sets FM_<N>_* figures.
ingest_feedmux() {
	local n=$1 dir=$TMP/fm$1 mark st

	mkdir -p "$dir"
	feedmux_conf "$dir/conf" "$dir/db" "$n" "$NGINX_URL/$n"
	mark=$(log_mark)
	measure "$dir/first" "$FEEDMUX" --once -c "$dir/conf" 2>"$dir/log1"
	st=$(log_statuses "$mark")
	say "feedmux first poll of $n: $(cat "$dir/first") [nginx: $st]"
	mark=$(log_mark)
	measure "$dir/again" "$FEEDMUX" --once -c "$dir/conf" 2>"$dir/log2"
	st=$(log_statuses "$mark")
	say "feedmux re-poll of $n: $(cat "$dir/again") [nginx: $st]"
	[ "$(field "$dir/first" 4)" = 0 ] || { say "feedmux failed:"; tail -3 "$dir/log1" >&2; }
	printf -v "REPOLL_STATUS_$n" '%s' "$st"
	ITEMS[$n]=$(sqlite3 "$dir/db" 'SELECT count(*) FROM items' 2>/dev/null || echo 0)
	DBSIZE[$n]=$(stat -c %s "$dir/db")
}

# ingest_newsboat N [first]: the same with newsboat, 8 reload threads;
# "first" leaves out the re-poll (at 10,000 feeds it takes over half an
# hour and no target needs it).
ingest_newsboat() {
	local n=$1 dir=$TMP/nb$1 mark st

	mkdir -p "$dir"
	sed "s|^|$NGINX_URL/$n/|" "$TMP/www/$n/list" | head -n "$n" >"$dir/urls"
	echo "reload-threads 8" >"$dir/config"
	mark=$(log_mark)
	HOME=$dir measure "$dir/first" newsboat -x reload -u "$dir/urls" \
		-c "$dir/cache.db" -C "$dir/config" >"$dir/log1" 2>&1
	st=$(log_statuses "$mark")
	say "newsboat first poll of $n: $(cat "$dir/first") [nginx: $st]"
	[ "${2:-}" != first ] || return 0
	mark=$(log_mark)
	HOME=$dir measure "$dir/again" newsboat -x reload -u "$dir/urls" \
		-c "$dir/cache.db" -C "$dir/config" >"$dir/log2" 2>&1
	st=$(log_statuses "$mark")
	say "newsboat re-poll of $n: $(cat "$dir/again") [nginx: $st]"
}

# ingest_sfeed N SUBSET: sfeed_update with 16 jobs over the first SUBSET
# of the N feeds (it starts a shell, curl, iconv, sfeed and sorts per
# feed: 0.18 s CPU a feed on this VM, 100 feeds 44 s wall at load 10, so
# all 1,000 would take the whole time budget), and feedmux over the same
# subset (its first poll of all N when SUBSET is N).  No conditional
# requests, so only its first poll is compared.  Figures in
# $TMP/sf<N>_<SUBSET>/first and its feedmux's in .../fm.
ingest_sfeed() {
	local n=$1 sub=$2 dir=$TMP/sf$1_$2 fm=$TMP/fmsub$1_$2

	mkdir -p "$dir/feeds" "$fm"
	if [ "$sub" = "$n" ] && [ -s "$TMP/fm$n/first" ]; then
		cp "$TMP/fm$n/first" "$dir/fm"
	else
		feedmux_conf "$fm/conf" "$fm/db" "$n" "$NGINX_URL/$n"
		awk -v max="$sub" '/^\[feed / { k++ } k <= max' "$fm/conf" >"$fm/conf.sub"
		measure "$dir/fm" "$FEEDMUX" --once -c "$fm/conf.sub" 2>"$fm/log1"
	fi
	{
		echo "sfeedpath=\"$dir/feeds\""
		echo "maxjobs=16"
		echo "feeds() {"
		head -n "$sub" "$TMP/www/$n/list" |
			awk -v base="$NGINX_URL/$n" '{ name = $0; gsub(/[^0-9a-z]/, "_", name)
				printf "\tfeed \"%s\" \"%s/%s\"\n", name, base, $0 }'
		echo "}"
	} >"$dir/sfeedrc"
	HOME=$dir measure "$dir/first" sfeed_update "$dir/sfeedrc" >"$dir/log1" 2>&1
	say "sfeed_update first poll of $sub: $(cat "$dir/first"), feedmux $(cat "$dir/fm")"
}

# cells FILE: "W s wall, C s CPU, M MiB" for a measure file.
cells() {
	awk 'NR == 1 { printf "%.2f s wall, %.2f s CPU, %.1f MiB peak\n", $1, $2, $3 / 1024 }' "$1"
}

# newsboat_rows N: feedmux's first poll and re-poll of N feeds against
# newsboat's; the targets are issue 8's at the $FEEDS feeds only.
newsboat_rows() {
	local n=$1 fm=$TMP/fm$1 nb=$TMP/nb$1 r t

	[ -s "$nb/first" ] || return 1
	r=$(ratio_lower "$(field "$fm/first" 1)" "$(field "$nb/first" 1)")
	t=; [ "$n" = "$FEEDS" ] && t=">= 20x ($(verdict "$r" 20))"
	row ingest "first poll $n feeds, wall" "$(field "$fm/first" 1) s" \
		"newsboat" "$(field "$nb/first" 1) s" "$r" "$t"
	r=$(ratio_lower "$(field "$fm/first" 2)" "$(field "$nb/first" 2)")
	t=; [ "$n" = "$FEEDS" ] && t=">= 10x ($(verdict "$r" 10))"
	row ingest "first poll $n feeds, CPU" "$(field "$fm/first" 2) s" \
		"newsboat" "$(field "$nb/first" 2) s" "$r" "$t"
	r=$(ratio_lower "$(field "$fm/first" 3)" "$(field "$nb/first" 3)")
	row ingest "first poll $n feeds, peak RSS" "$(field "$fm/first" 3) KiB" \
		"newsboat" "$(field "$nb/first" 3) KiB" "$r" ""
	[ -s "$nb/again" ] || return 0
	r=$(ratio_lower "$(field "$fm/again" 1)" "$(field "$nb/again" 1)")
	t=; [ "$n" = "$FEEDS" ] && t=">= 50x ($(verdict "$r" 50))"
	row ingest "304 re-poll $n feeds, wall" "$(field "$fm/again" 1) s" \
		"newsboat" "$(field "$nb/again" 1) s" "$r" "$t"
	r=$(ratio_lower "$(field "$fm/again" 2)" "$(field "$nb/again" 2)")
	row ingest "304 re-poll $n feeds, CPU" "$(field "$fm/again" 2) s" \
		"newsboat" "$(field "$nb/again" 2) s" "$r" ""
}

# sfeed_rows DIR: the rows of one ingest_sfeed run.
sfeed_rows() {
	local dir=$1 n r what

	[ -s "$dir/first" ] || return 0
	n=${dir##*_}
	what="first poll of $n feeds"
	r=$(ratio_lower "$(field "$dir/fm" 1)" "$(field "$dir/first" 1)")
	row ingest "$what, wall" "$(field "$dir/fm" 1) s" \
		"sfeed_update" "$(field "$dir/first" 1) s" "$r" ""
	r=$(ratio_lower "$(field "$dir/fm" 2)" "$(field "$dir/first" 2)")
	row ingest "$what, CPU" "$(field "$dir/fm" 2) s" \
		"sfeed_update" "$(field "$dir/first" 2) s" "$r" ""
	r=$(ratio_lower "$(field "$dir/fm" 3)" "$(field "$dir/first" 3)")
	row ingest "$what, peak RSS" "$(field "$dir/fm" 3) KiB" \
		"sfeed_update" "$(field "$dir/first" 3) KiB" "$r" ""
}

ingest_rows() {
	local fm=$TMP/fm$FEEDS r d

	if ! newsboat_rows "$FEEDS"; then
		row ingest "first poll $FEEDS feeds" "$(cells "$fm/first")" newsboat \
			"not run" - ">= 20x wall, >= 10x CPU (n/a)"
		row ingest "304 re-poll $FEEDS feeds" "$(cells "$fm/again")" newsboat \
			"not run" - ">= 50x (n/a)"
	fi
	# smallest subset first
	for d in $(ls -d "$TMP"/sf*_* 2>/dev/null | sort -t_ -k2 -n); do sfeed_rows "$d"; done
	if [ -s "$TMP/fm$MANY/first" ]; then
		local many=$TMP/fm$MANY
		newsboat_rows "$MANY"
		r=$(awk -v a="$(field "$fm/first" 1)" -v b="$(field "$many/first" 1)" \
			'BEGIN { printf "%.1fx\n", b / a }')
		row ingest "first poll $MANY feeds, wall" "$(field "$many/first" 1) s" \
			"feedmux $FEEDS" "$(field "$fm/first" 1) s" "$r slower" \
			"< 10x ($(awk -v r="${r%x}" 'BEGIN { print (r < 10) ? "met" : "NOT met" }'))"
		r=$(awk -v a="$(field "$fm/first" 2)" -v b="$(field "$many/first" 2)" \
			'BEGIN { printf "%.1fx\n", b / a }')
		row ingest "first poll $MANY feeds, CPU" "$(field "$many/first" 2) s" \
			"feedmux $FEEDS" "$(field "$fm/first" 2) s" "$r more" ""
		row ingest "304 re-poll $MANY feeds" "$(cells "$many/again")" "" "" "" ""
		row memory "peak RSS, $MANY feeds (first poll)" \
			"$(awk '{ printf "%.1f MiB", $3 / 1024 }' "$many/first")" "" "" "" \
			"< 64 MiB ($(awk '{ print ($3 < 65536) ? "met" : "NOT met" }' "$many/first"))"
	fi
}

ingest() {
	local n

	mkdir -p "$TMP/www"
	for n in "$FEEDS" "$MANY"; do
		say "generating $n feeds"
		"$GENFEEDS" "$TMP/www/$n" "$n" || exit 1
	done
	nginx_start "$TMP/www" || exit 1
	ingest_feedmux "$FEEDS"
	ingest_feedmux "$MANY"
	[ "$PEERS" = 1 ] || { ingest_rows; return; }
	have newsboat && ingest_newsboat "$FEEDS"
	have sfeed_update && ingest_sfeed "$FEEDS" "$SFEED_FEEDS"
	if [ "$PEERS_FULL" = 1 ]; then
		have newsboat && ingest_newsboat "$MANY" first
		if have sfeed_update; then
			[ "$SFEED_FEEDS" = "$FEEDS" ] || ingest_sfeed "$FEEDS" "$FEEDS"
			ingest_sfeed "$MANY" "$MANY"
		fi
	fi
	ingest_rows
}

# ---- parse ----
#
# Every figure is CPU time (user + sys): on a shared machine wall time
# measures the neighbours too, and sfeed is single-threaded as
# feedmux --once on one feed is.  The parse+store files have
# STORE_ITEMS entries, no more than one poll stores (POLL_MAX_ENTRIES in
# src/poll.c, 2,000): the MB/s is then of bytes parsed AND stored, and
# the row says how many entries the database holds after the run.

# cpu_mbs SIZE SECONDS: MB/s, "-" without a time.
cpu_mbs() {
	awk -v s="$1" -v t="$2" 'BEGIN {
		if (t == "" || t + 0 <= 0) print "-"; else printf "%.1f\n", s / 1e6 / t }'
}

# parse_feedmux FILE: "MB/s STORED" of feedmux --once storing FILE from
# a file:// URL into a new database (start-up and the schema's creation
# included), CPU time, best of 3 runs or of those that fit in 20 s.
parse_feedmux() {
	local file=$1 dir=$TMP/parse best= t0=$SECONDS
	local i c stored

	mkdir -p "$dir"
	for i in 1 2 3; do
		[ "$i" = 1 ] || [ $((SECONDS - t0)) -lt 20 ] || break
		rm -f "$dir/db" "$dir/db-wal" "$dir/db-shm"
		printf 'database = %s\nmax_feed_size = 256M\nretention = 3650d\n[section s]\n[feed big]\nurl = file://%s\nsection = s\n' \
			"$dir/db" "$file" >"$dir/conf"
		measure "$dir/t" "$FEEDMUX" --once -c "$dir/conf" 2>"$dir/log"
		[ "$(field "$dir/t" 4)" = 0 ] || { say "feedmux --once $file failed"; tail -3 "$dir/log" >&2; return; }
		c=$(field "$dir/t" 2)
		best=$(awk -v a="$best" -v b="$c" 'BEGIN { print (a == "" || b < a) ? b : a }')
	done
	stored=$(sqlite3 "$dir/db" 'SELECT count(*) FROM items' 2>/dev/null)
	echo "$(cpu_mbs "$(stat -c %s "$file")" "$best") ${stored:-?}"
}

# parse_sfeed FILE: MB/s of sfeed reading FILE, CPU time of 10 runs in
# one measurement (one run of a 2 MB file is about the 10 ms resolution
# of time(1)), best of 3.
parse_sfeed() {
	local file=$1 best= i c

	for i in 1 2 3; do
		measure "$TMP/sfeed.t" sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sfeed <"$1" >/dev/null; done' sh "$file"
		c=$(awk '{ print $2 / 10 }' "$TMP/sfeed.t")
		best=$(awk -v a="$best" -v b="$c" 'BEGIN { print (a == "" || b < a) ? b : a }')
	done
	cpu_mbs "$(stat -c %s "$file")" "$best"
}

parse() {
	local kind file fm sf r pb stored n_store

	n_store=$((BIG_ITEMS < STORE_ITEMS ? BIG_ITEMS : STORE_ITEMS))
	say "generating the parse files ($BIG_ITEMS and $n_store entries each)"
	"$GENFEEDS" "$TMP/big" 0 "$BIG_ITEMS" || exit 1
	"$GENFEEDS" "$TMP/store" 0 "$n_store" || exit 1
	for kind in rss atom; do
		# parsing and storing everything parsed
		file=$TMP/store/big.$kind
		read -r fm stored <<<"$(parse_feedmux "$file")"
		sf=
		have sfeed && sf=$(parse_sfeed "$file")
		r=$(ratio_higher "$fm" "$sf")
		row parse "$kind $(($(stat -c %s "$file") / 1000)) kB, parse+store ($stored of $n_store entries stored), CPU" \
			"$fm MB/s" sfeed "${sf:-not installed}${sf:+ MB/s}" "$r" ">= 0.7x ($(verdict "$r" 0.7))"
		say "parse+store $kind: feedmux $fm MB/s ($stored stored), sfeed ${sf:-?} MB/s"
		# The parser alone (sfeed too only parses, writing TSV).
		[ -x "$build/bench/parse_bench" ] || continue
		file=$TMP/big/big.$kind
		sf=
		have sfeed && sf=$(parse_sfeed "$file")
		pb=$("$build/bench/parse_bench" "$file" 5 | tail -1)
		r=$(ratio_higher "${pb%% *}" "$sf")
		row parse "$kind $(($(stat -c %s "$file") / 1000000)) MB, parse only (bench/parse_bench), CPU" \
			"${pb%% (*}" sfeed "${sf:-not installed}${sf:+ MB/s}" "$r" ""
		say "parse_bench $kind: $pb; sfeed ${sf:-?} MB/s"
	done
}

# ---- dedupe ----

dedupe() {
	local n line

	if [ ! -x "$build/bench/dedupe_bench" ]; then
		row dedupe "cost per new item" "not measured (no bench/dedupe_bench yet)" "" "" "" ""
		return
	fi
	for n in 10000 100000 1000000; do
		line=$("$build/bench/dedupe_bench" "$n" 2>"$TMP/dedupe.log" | tail -1)
		row dedupe "per new item, $n stored" "${line:-failed}" "" "" "" ""
		say "dedupe $n: $line"
	done
}

# ---- serve ----

serve() {
	if ! command -v wrk >/dev/null; then
		row serve "/feed.atom" "wrk not installed" "" "" "" ""
		return
	fi
	WRK_SECONDS=$WRK_SECONDS "$srcdir/bench/serve.sh" "$build" \
		"$TMP/fm$FEEDS/db" "$ROWS" || say "bench/serve.sh failed"
}

# ---- memory ----

memory() {
	local a=$TMP/fm$FEEDS b=$TMP/fm$MANY

	[ -s "$a/again" ] && [ -s "$b/again" ] || return
	row memory "per configured feed (304 re-poll peak, $FEEDS vs $MANY)" \
		"$(awk -v x="$(field "$a/again" 3)" -v y="$(field "$b/again" 3)" \
			-v d=$((MANY - FEEDS)) 'BEGIN { printf "%.1f KiB", (y - x) / d }')" \
		"" "" "" ""
	row memory "per stored item, on disk" \
		"$(awk -v s="${DBSIZE[$MANY]}" -v n="${ITEMS[$MANY]}" \
			'BEGIN { printf "%.0f B (%d items)", n ? s / n : 0, n }')" "" "" "" ""
}

# phase NAME: runs the function NAME if BENCH_PHASES asks for it, and
# records how long it took.
phase() {
	local t0=$SECONDS

	case " $PHASES " in *" $1 "*) ;; *) return ;; esac
	say "$1"
	"$1"
	PHASE_TIMES+="${PHASE_TIMES:+, }$1 $((SECONDS - t0)) s"
}

declare -A ITEMS DBSIZE
PHASE_TIMES=
[ "$PEERS" = 1 ] && install_peers
have nginx || { echo "nginx is needed to serve the feeds (apt-get install nginx-light)" >&2; exit 1; }
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
SECONDS=0
phase ingest
phase parse
phase dedupe
phase serve
memory
total=$SECONDS
mkdir -p "$(dirname "$OUT")"
{
	echo "$("$FEEDMUX" -V 2>/dev/null | head -1) bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs"
	echo "run time $total s ($PHASE_TIMES); load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg)"
	if [ "$PEERS_FULL" = 1 ]; then
		echo "peers: newsboat -x reload (8 threads) on the $FEEDS and the $MANY feeds; sfeed_update (16 jobs) on the first $SFEED_FEEDS, all $FEEDS and all $MANY; sfeed on the parse files; nginx-light serving the same bytes"
	else
		echo "peers: newsboat -x reload (8 threads) on the $FEEDS feeds; sfeed_update (16 jobs) on the first $SFEED_FEEDS of them; sfeed on the parse files; nginx-light serving the same bytes"
	fi
	echo "(wall-clock ratios need an otherwise idle machine; CPU ratios hold under load)"
	echo
	table_print
} | tee "$OUT"
