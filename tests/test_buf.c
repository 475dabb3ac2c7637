/*
 * test_buf.c — the growable buffer and entry helpers.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "entry.h"
#include "tap.h"

static void buf_append_grows_and_terminates(void)
{
	struct buf b = {0};
	int i;

	for (i = 0; i < 1000; i++)
		buf_puts(&b, "abc");
	is_int(b.len, 3000, "buf_append_grows: length is the sum of appends");
	is_int(b.data[b.len], '\0', "buf_append_grows: always NUL-terminated");
	buf_reset(&b);
	is_int(b.len, 0, "buf_reset empties");
	buf_printf(&b, "%d-%s", 42, "x");
	is_str(b.data, "42-x", "buf_printf formats");
	buf_free(&b);
	ok(b.data == NULL && b.len == 0, "buf_free leaves an empty buffer");
}

static void buf_reserve_makes_room(void)
{
	struct buf b = {0};
	char *before;

	buf_reserve(&b, 1000);
	ok(b.cap >= 1001 && b.len == 0, "buf_reserve: room for 1000 bytes and the NUL");
	before = b.data;
	buf_append(&b, "x", 1);
	buf_reserve(&b, 999);
	buf_append(&b, "y", 1);
	ok(b.data == before, "buf_reserve: appends within the room keep the allocation");
	is_str(b.data, "xy", "buf_reserve: contents kept");
	buf_free(&b);
}

static void buf_steal_hands_over(void)
{
	struct buf b = {0};
	char *s;

	s = buf_steal(&b);
	is_str(s, "", "buf_steal of an empty buffer gives an empty string");
	free(s);
	buf_puts(&b, "hello");
	s = buf_steal(&b);
	is_str(s, "hello", "buf_steal gives the contents");
	ok(b.data == NULL, "buf_steal empties the buffer");
	free(s);
}

static void entry_key_precedence(void)
{
	struct entry e;
	char *k;

	memset(&e, 0, sizeof e);
	e.guid = xstrdup("urn:x:1");
	e.link = xstrdup("http://a/1");
	e.title = xstrdup("T");
	k = entry_key(&e);
	is_str(k, "g:urn:x:1", "entry_key uses the guid first");
	free(k);
	free(e.guid);
	e.guid = NULL;
	k = entry_key(&e);
	is_str(k, "l:http://a/1", "entry_key falls back to the link");
	free(k);
	free(e.link);
	e.link = NULL;
	k = entry_key(&e);
	ok(strncmp(k, "h:", 2) == 0 && strlen(k) == 18,
	   "entry_key falls back to a 64-bit hash of title and content");
	free(k);
	entry_add_category(&e, "World");
	entry_add_category(&e, "World");
	is_int(e.n_categories, 1, "entry_add_category keeps each term once");
	entry_clear(&e);
	ok(e.title == NULL && e.published == ENTRY_NO_DATE,
	   "entry_clear frees and resets the dates to absent");
}

static void entry_key_hash_depends_on_content(void)
{
	struct entry a, b;
	char *ka, *kb;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.title = xstrdup("Same");
	b.title = xstrdup("Same");
	a.content = xstrdup("one");
	b.content = xstrdup("two");
	ka = entry_key(&a);
	kb = entry_key(&b);
	ok(strcmp(ka, kb) != 0, "entry_key hash differs when content differs");
	free(ka);
	free(kb);
	entry_clear(&a);
	entry_clear(&b);
}

int main(void)
{
	buf_append_grows_and_terminates();
	buf_reserve_makes_room();
	buf_steal_hands_over();
	entry_key_precedence();
	entry_key_hash_depends_on_content();
	return done_testing();
}
