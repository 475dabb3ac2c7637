#!/bin/bash
# e2e_poll.sh — feedmux polls tests/feedserver and serves what it stored:
# the merged and section feeds, the HTTP rules of SPEC.md (HTTP endpoint),
# re-polls with conditional GET, updates in place, --once, feed errors.
. "$(dirname "$0")/lib.sh"
require_binaries

feed_titles_of() {	# feed names -> their source titles, one per line
	sed -e 's/^world$/Xinhua World/' -e 's/^china$/China Daily: China/' \
	    -e 's/^business$/Global Business Wire/'
}

copy_fixtures
start_feedserver "$FEEDS_DIR" || bail_out "feedserver did not start"
make_config "$TMP/feedmux.conf" 2s world china business
start_feedmux "$TMP/feedmux.conf" || bail_out "feedmux did not start"
wait_polled 3
ok $? "daemon_polls_every_configured_feed" || bail_out "no poll"

# ---- the merged feed ----
code=$(http_get "$FMURL/feed.atom" "$TMP/feed.atom" -D "$TMP/feed.hdr")
is "$code" 200 "merged_feed_answers_200"
is "$(header_of "$TMP/feed.hdr" Content-Type)" \
	"application/atom+xml; charset=utf-8" "merged_feed_content_type_atom_utf8"
is "$(atom_query "$TMP/feed.atom" count)" 12 "merged_feed_has_every_fixture_item"
is "$(atom_query "$TMP/feed.atom" title)" "$(expected 5)" \
	"merged_feed_titles_newest_first"
is "$(atom_query "$TMP/feed.atom" published_utc)" "$(expected 4)" \
	"merged_feed_published_dates_kept_in_utc"
is "$(atom_query "$TMP/feed.atom" id | source_ids)" "$(expected 2)" \
	"merged_feed_keeps_source_ids_or_wraps_non_iri_guids"
ids=$(atom_query "$TMP/feed.atom" id)
is "$(sort -u <<<"$ids" | grep -vc '^-\?$')" 12 "merged_feed_ids_present_and_unique"
is "$(atom_query "$TMP/feed.atom" link | mask_unknown 3)" "$(expected 3)" \
	"merged_feed_keeps_source_links"
is "$(atom_query "$TMP/feed.atom" source)" "$(expected 1 | feed_titles_of)" \
	"merged_feed_entries_name_their_source_feed"

# ---- sections, unknown paths, methods ----
code=$(http_get "$FMURL/sections/world.atom" "$TMP/world.atom")
is "$code" 200 "section_feed_answers_200"
is "$(atom_query "$TMP/world.atom" title)" "$(expected 5 world)" \
	"section_feed_has_only_its_feeds_entries"
http_get "$FMURL/sections/china.atom" "$TMP/china.atom" >/dev/null
is "$(atom_query "$TMP/china.atom" id)" "$(expected 2 china)" \
	"section_feed_china_has_the_atom_entries"
is "$(http_get "$FMURL/sections/nope.atom" /dev/null)" 404 "unknown_section_404"
is "$(http_get "$FMURL/nope" /dev/null)" 404 "unknown_path_404"
is "$(http_get "$FMURL/feed.atom" /dev/null -X POST -d x=1)" 405 "post_405"

# ---- limit ----
http_get "$FMURL/feed.atom?limit=2" "$TMP/limit2.atom" >/dev/null
is "$(atom_query "$TMP/limit2.atom" title)" "$(expected 5 | head -n 2)" \
	"limit_2_gives_the_two_newest"
is "$(http_get "$FMURL/feed.atom?limit=1000" /dev/null)" 200 "limit_1000_accepted"
for bad in 0 abc 1001 -1 2x; do
	is "$(http_get "$FMURL/feed.atom?limit=$bad" /dev/null)" 400 \
		"limit_${bad}_is_400"
done

# ---- validators, HEAD, gzip ----
etag=$(header_of "$TMP/feed.hdr" ETag)
lastmod=$(header_of "$TMP/feed.hdr" Last-Modified)
ok "$([ -n "$etag" ]; echo $?)" "feed_has_etag"
ok "$([ -n "$lastmod" ]; echo $?)" "feed_has_last_modified"
ok "$([ -n "$(header_of "$TMP/feed.hdr" Cache-Control)" ]; echo $?)" \
	"feed_has_cache_control"
is "$(curl -s --max-time 10 -o /dev/null -w '%{http_code} %{size_download}' \
	-H "If-None-Match: $etag" "$FMURL/feed.atom")" "304 0" \
	"if_none_match_with_etag_is_304_without_body"
is "$(http_get "$FMURL/feed.atom" /dev/null -H "If-Modified-Since: $lastmod")" \
	304 "if_modified_since_last_modified_is_304"
is "$(http_get "$FMURL/feed.atom" /dev/null -H 'If-None-Match: "other"')" \
	200 "if_none_match_other_etag_is_200"

head=$(raw_request "$PORT" $'HEAD /feed.atom HTTP/1.0\nHost: 127.0.0.1')
like "$(sed -n 2p <<<"$head")" "^HTTP/1\.[01] 200" "head_answers_200"
is "$(head -n 1 <<<"$head")" 0 "head_sends_no_body"
is "$(grep -i '^ETag:' <<<"$head" | cut -d' ' -f2-)" "$etag" "head_has_the_get_etag"

code=$(http_get "$FMURL/feed.atom" "$TMP/feed.gz" -D "$TMP/gz.hdr" \
	-H 'Accept-Encoding: gzip')
is "$code" 200 "gzip_request_answers_200"
is "$(header_of "$TMP/gz.hdr" Content-Encoding)" gzip "gzip_when_asked"
like "$(header_of "$TMP/gz.hdr" Vary)" "Accept-Encoding" "gzip_response_varies_on_accept_encoding"
gzip -dc <"$TMP/feed.gz" >"$TMP/feed.gunzip" 2>/dev/null
check "gzip_body_decodes_to_the_plain_body" cmp -s "$TMP/feed.gunzip" "$TMP/feed.atom"
http_get "$FMURL/feed.atom" "$TMP/feed.compressed" --compressed >/dev/null
check "curl_compressed_equals_plain" cmp -s "$TMP/feed.compressed" "$TMP/feed.atom"

# ---- /healthz ----
code=$(http_get "$FMURL/healthz" "$TMP/healthz.json")
is "$code" 200 "healthz_answers_200"
fields=$("$PY3" -c '
import json, sys
h = json.load(open(sys.argv[1]))
for k in ("status", "feeds_total", "feeds_polled", "feeds_failing", "items", "stories"):
    print("%s=%s" % (k, h.get(k)))' "$TMP/healthz.json" 2>&1)
is "$fields" "status=ok
feeds_total=3
feeds_polled=3
feeds_failing=0
items=12
stories=12" "healthz_counts_feeds_items_stories"
like "$(healthz_field last_poll)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}' \
	"healthz_last_poll_is_rfc3339"

# ---- the next poll: conditional GET, no duplicates ----
repolled_with_304() {
	local p

	for p in /world.rss /china.atom /business.rss; do
		[ "$(fs_stat "$p" 4)" -ge 1 ] || return 1
	done
}
wait_for repolled_with_304
ok $? "second_poll_sends_stored_validators_and_gets_304" ||
	diag "$(curl -s "$FSURL/_stats")"
for p in /world.rss /china.atom /business.rss; do
	ok "$([ "$(fs_stat "$p" 2)" -ge 2 ]; echo $?)" "feed_${p#/}_fetched_again"
done
http_get "$FMURL/feed.atom" "$TMP/feed2.atom" >/dev/null
is "$(atom_query "$TMP/feed2.atom" count)" 12 "repoll_adds_no_duplicates"
is "$(healthz_field items)" 12 "repoll_stores_no_duplicates"

# ---- a feed changes: one new item, one changed title ----
new_title="Volcano eruption forces evacuation of coastal villages in Indonesia"
changed="São Paulo metro expansion wins federal backing, work to start in May"
replace_feed world.rss "$FIXTURES/world-updated.rss"
merged_has_title() {
	http_get "$FMURL/feed.atom" "$TMP/feed3.atom" >/dev/null &&
		atom_query "$TMP/feed3.atom" title | grep -qxF "$1"
}
wait_for merged_has_title "$changed"
ok $? "changed_title_appears_after_next_poll"
merged_has_title "$new_title"
ok $? "new_item_appears_after_next_poll"
want=$( (echo "$new_title"; expected 5) |
	sed "s/^São Paulo metro expansion wins federal backing\$/$changed/")
is "$(atom_query "$TMP/feed3.atom" title)" "$want" \
	"changed_item_updated_in_place_and_new_item_first"
# One more poll of world.rss must not add anything either.
before=$(fs_stat /world.rss 2)
wait_for eval '[ "$(fs_stat /world.rss 2)" -gt "$before" ]'
http_get "$FMURL/feed.atom" "$TMP/feed4.atom" >/dev/null
is "$(atom_query "$TMP/feed4.atom" count)" 13 "update_then_repoll_has_exactly_one_more_entry"
is "$(healthz_field items)" 13 "update_stores_one_new_item"

stop_feedmux TERM
is "$EXIT_RC" 0 "daemon_exits_0_on_sigterm"

# ---- a failing feed in the daemon ----
replace_feed world.rss "$FIXTURES/world.rss"
FMLOG=$TMP/failing.log PORT=$(free_port) DB=$TMP/failing.db
make_config "$TMP/failing.conf" 1h world gone
start_feedmux "$TMP/failing.conf" || bail_out "feedmux (failing) did not start"
wait_polled 2
ok $? "daemon_with_a_404_feed_polls_both"
# One or two 404s are a blip being retried; failing takes 3 in a row
# (e2e_polite.sh follows a feed through the states).  Whichever it has
# reached, /healthz and the feed's state agree (one response).
is "$(curl -sf --max-time 5 "$FMURL/healthz?feeds=1" | "$PY3" -c '
import json, sys
h = json.load(sys.stdin)
g = [f for f in h["feeds"] if f["name"] == "gone"][0]
failing = g["errors"] >= 3
print(g["status"] == ("failing" if failing else "retrying"), h["feeds_failing"] == int(failing))')" \
	"True True" "healthz_counts_the_404_feed_as_failing_from_its_third_error"
is "$(healthz_field items)" 5 "the_good_feed_is_stored_anyway"
check "feed_error_logged_with_the_feed_name" \
	grep -qE "^(warning|error): .*\bgone\b" "$FMLOG"
stop_feedmux TERM

# ---- --once ----
have_sqlite=0
command -v sqlite3 >/dev/null || have_sqlite=1
FMLOG=$TMP/once.log PORT=$(free_port) DB=$TMP/once.db
make_config "$TMP/once.conf" 1h world china business
timeout 60 "$FEEDMUX" --once -c "$TMP/once.conf" -v >"$FMLOG" 2>&1 &
once=$!
served=0
for ((i = 0; i < 600; i++)); do
	kill -0 "$once" 2>/dev/null || break
	curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/healthz" && served=1
	sleep 0.1
done
wait "$once"
rc=$?
is "$rc" 0 "once_exits_0_when_every_feed_succeeds" || log_tail
is "$served" 0 "once_serves_no_http"
if [ $have_sqlite -eq 0 ]; then
	is "$(sqlite3 "$DB" 'SELECT count(*) FROM items')" 12 "once_stores_every_item"
else
	skip "once_stores_every_item" "sqlite3 CLI not installed"
fi

FMLOG=$TMP/once-failing.log DB=$TMP/once-failing.db
make_config "$TMP/once-failing.conf" 1h world failing
timeout 60 "$FEEDMUX" --once -c "$TMP/once-failing.conf" >"$FMLOG" 2>&1
is "$?" 2 "once_exits_2_when_a_feed_fails"
check "once_logs_the_failing_feed_by_name" \
	grep -qE "^(warning|error): .*\bfailing\b" "$FMLOG"
if [ $have_sqlite -eq 0 ]; then
	is "$(sqlite3 "$DB" 'SELECT count(*) FROM items')" 5 \
		"once_stores_the_good_feed_despite_the_failure"
else
	skip "once_stores_the_good_feed_despite_the_failure" "sqlite3 CLI not installed"
fi

done_testing
