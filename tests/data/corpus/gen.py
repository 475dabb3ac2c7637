#!/usr/bin/env python3
"""Writes the golden corpus: each case is a small feed and, beside it,
NAME.expected.json with the parse feedmux must produce (see
tests/test_corpus.c for the format).  The expected values are written
here by hand, from the specifications (RSS 2.0, RSS 1.0 and its modules,
RFC 4287, the Atom 0.3 draft, JSON Feed 1.1, RFC 822/3339, HTML) and the
real-world quirks of issue 3 -- never copied from feedmux's output.

Run it from this directory after changing a case: python3 gen.py
"""
import json, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = "http://example.com/feed/"
cases = []


def case(group, name, data, expected, ext="xml"):
    cases.append((group, "%s.%s" % (name, ext), data, expected))


def rss(items, channel="", ns="", version="2.0", title="T",
        link="http://example.com/", decl='<?xml version="1.0" encoding="utf-8"?>\n'):
    return ('%s<rss version="%s"%s><channel><title>%s</title><link>%s</link>%s%s'
            '</channel></rss>\n' % (decl, version, ns, title, link, channel, items))


def atom(entries, feed="", ns="", lang=""):
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom"%s%s><title>T</title>'
            '<id>urn:feed</id><updated>2024-01-01T00:00:00Z</updated>'
            '<link href="http://example.com/"/>%s%s</feed>\n'
            % (ns, lang, feed, entries))


RSS_META = {"title": "T", "link": "http://example.com/"}
ATOM_META = {"id": "urn:feed", "title": "T", "link": "http://example.com/",
             "updated": "2024-01-01T00:00:00Z"}


def exp(fmt, meta, entries, **kw):
    d = {"format": fmt, "meta": meta, "entries": entries}
    if kw.get("repaired"):
        d["repaired"] = True
    if "url" in kw:
        d["_url"] = kw["url"]
    if "charset" in kw:
        d["_charset"] = kw["charset"]
    if "note" in kw:
        d["_note"] = kw["note"]
    return d


def err(message, **kw):
    return {"error": message, "entries": []}

# ---------------------------------------------------------------- formats
F = "formats"
ITEM = ("<item><title>Hello</title><link>http://example.com/1</link>"
        "<description>Body</description></item>")
ONE = {"title": "Hello", "link": "http://example.com/1", "summary": "Body"}
case(F, "rss-0.91-userland", rss(ITEM, version="0.91"), exp("rss", RSS_META, [ONE]))
case(F, "rss-0.91-netscape",
     '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
     '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
     '<rss version="0.91"><channel><title>T</title><link>http://example.com/</link>'
     '<language>en-us</language>' + ITEM.replace("Body", "Caf&eacute;") + '</channel></rss>\n',
     exp("rss", dict(RSS_META, language="en-us"),
         [dict(ONE, summary="Caf\u00e9", language="en-us")]))
case(F, "rss-0.92", rss(ITEM, version="0.92"), exp("rss", RSS_META, [ONE]))
case(F, "rss-0.93", rss(ITEM, version="0.93"), exp("rss", RSS_META, [ONE]))
case(F, "rss-0.94", rss(ITEM, version="0.94"), exp("rss", RSS_META, [ONE]))
case(F, "rss-2.0", rss(ITEM), exp("rss", RSS_META, [ONE]))
case(F, "rss-2.0-userland-ns",
     '<?xml version="1.0"?><rss version="2.0" xmlns="http://backend.userland.com/rss2">'
     '<channel><title>T</title><link>http://example.com/</link>' + ITEM + '</channel></rss>',
     exp("rss", RSS_META, [ONE]))
case(F, "rss-0.90",
     '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
     'xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>T</title>'
     '<link>http://example.com/</link><description>D</description></channel>'
     '<item><title>Hello</title><link>http://example.com/1</link></item></rdf:RDF>',
     exp("rss", dict(RSS_META, subtitle="D"), [{"title": "Hello", "link": "http://example.com/1"}]))
RDF_NS = ('xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
          'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" '
          'xmlns:dcterms="http://purl.org/dc/terms/"')
case(F, "rss-1.0-modules",
     '<?xml version="1.0"?><rdf:RDF ' + RDF_NS + '><channel rdf:about="http://example.com/">'
     '<title>T</title><link>http://example.com/</link><description>D</description>'
     '<dc:language>fr</dc:language><dc:date>2024-01-01T00:00:00+01:00</dc:date>'
     '<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>'
     '<items><rdf:Seq><rdf:li resource="http://example.com/1"/></rdf:Seq></items></channel>'
     '<item rdf:about="http://example.com/1"><title>Hello</title><link>http://example.com/1</link>'
     '<description>Short</description><content:encoded>&lt;p&gt;Long&lt;/p&gt;</content:encoded>'
     '<dc:creator>Ann</dc:creator><dc:subject>Science</dc:subject>'
     '<dc:date>2024-01-02T10:00:00Z</dc:date><dcterms:modified>2024-01-03T10:00:00Z</dcterms:modified>'
     '</item></rdf:RDF>',
     exp("rss", {"title": "T", "link": "http://example.com/", "subtitle": "D", "language": "fr",
                 "updated": "2023-12-31T23:00:00Z"},
         [{"guid": "http://example.com/1", "title": "Hello", "link": "http://example.com/1",
           "summary": "Short", "content": "<p>Long</p>", "author": "Ann",
           "authors": [{"name": "Ann"}], "categories": ["Science"],
           "published": "2024-01-02T10:00:00Z", "updated": "2024-01-03T10:00:00Z",
           "language": "fr"}]))
case(F, "atom-1.0",
     atom('<entry><title>Hello</title><id>urn:1</id><link href="http://example.com/1"/>'
          '<updated>2024-01-02T00:00:00Z</updated><summary>Body</summary></entry>'),
     exp("atom", ATOM_META, [{"guid": "urn:1", "title": "Hello", "link": "http://example.com/1",
                              "updated": "2024-01-02T00:00:00Z", "summary": "Body"}]))
ATOM03 = ('<?xml version="1.0" encoding="utf-8"?>\n<feed version="0.3" '
          'xmlns="http://purl.org/atom/ns#"><title>T</title>'
          '<link rel="alternate" type="text/html" href="http://example.com/"/>'
          '<tagline>Sub</tagline><modified>2024-01-01T00:00:00Z</modified>'
          '<author><name>Feed Author</name></author>%s</feed>\n')
case(F, "atom-0.3",
     ATOM03 % ('<entry><title>Hello</title><link rel="alternate" type="text/html" '
               'href="http://example.com/1"/><id>tag:example.com,2024:1</id>'
               '<issued>2024-01-02T00:00:00Z</issued><modified>2024-01-03T00:00:00Z</modified>'
               '<created>2024-01-01T12:00:00Z</created>'
               '<summary type="text/plain">Plain &amp; simple</summary>'
               '<content type="text/html" mode="escaped">&lt;p&gt;Long&lt;/p&gt;</content></entry>'),
     exp("atom", {"title": "T", "link": "http://example.com/", "subtitle": "Sub",
                  "updated": "2024-01-01T00:00:00Z"},
         [{"guid": "tag:example.com,2024:1", "title": "Hello", "link": "http://example.com/1",
           "published": "2024-01-02T00:00:00Z", "updated": "2024-01-03T00:00:00Z",
           "summary": "Plain &amp; simple", "content": "<p>Long</p>", "author": "Feed Author",
           "authors": [{"name": "Feed Author"}]}]))
case(F, "atom-0.3-content-xml-mode",
     ATOM03 % ('<entry><title>X</title><id>urn:x</id>'
               '<content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml">'
               '<p>Inline <b>xhtml</b></p></div></content>'
               '<created>2024-01-01T12:00:00Z</created></entry>'),
     exp("atom", {"title": "T", "link": "http://example.com/", "subtitle": "Sub",
                  "updated": "2024-01-01T00:00:00Z"},
         [{"guid": "urn:x", "title": "X", "content": "<p>Inline <b>xhtml</b></p>",
           "published": "2024-01-01T12:00:00Z", "author": "Feed Author",
           "authors": [{"name": "Feed Author"}]}]))
case(F, "atom-0.3-base64-skipped",
     ATOM03 % ('<entry><title>X</title><id>urn:x</id>'
               '<content type="image/png" mode="base64">iVBORw0KGgo=</content></entry>'),
     exp("atom", {"title": "T", "link": "http://example.com/", "subtitle": "Sub",
                  "updated": "2024-01-01T00:00:00Z"},
         [{"guid": "urn:x", "title": "X", "author": "Feed Author",
           "authors": [{"name": "Feed Author"}]}]))


def jf(obj):
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


JF_META = {"title": "JT", "link": "http://example.com/"}
case(F, "jsonfeed-1.1", jf({
    "version": "https://jsonfeed.org/version/1.1", "title": "JT",
    "home_page_url": "http://example.com/", "feed_url": "http://example.com/feed.json",
    "language": "en", "authors": [{"name": "Feed A", "url": "/about"}],
    "items": [{"id": "1", "url": "http://example.com/1", "title": "Hello",
               "content_html": "<p>Hi <script>x()</script>there</p>", "summary": "S & s",
               "date_published": "2024-01-02T10:00:00+02:00",
               "date_modified": "2024-01-03T00:00:00Z", "tags": ["a", "b"],
               "attachments": [{"url": "/a.mp3", "mime_type": "audio/mpeg",
                                "size_in_bytes": 1234, "duration_in_seconds": 60,
                                "title": "Ep"}],
               "image": "http://example.com/i.png"}]}), exp("json",
    dict(JF_META, language="en"),
    [{"guid": "1", "link": "http://example.com/1", "title": "Hello",
      "content": "<p>Hi there</p>", "summary": "S &amp; s",
      "published": "2024-01-02T08:00:00Z", "updated": "2024-01-03T00:00:00Z",
      "categories": ["a", "b"], "author": "Feed A",
      "authors": [{"name": "Feed A", "uri": "http://example.com/about"}],
      "enclosures": [{"url": "http://example.com/a.mp3", "type": "audio/mpeg", "length": 1234,
                      "duration": 60, "title": "Ep"},
                     {"url": "http://example.com/i.png", "kind": "media:thumbnail"}],
      "language": "en"}]), ext="json")
case(F, "jsonfeed-1.0", jf({
    "version": "https://jsonfeed.org/version/1", "title": "JT",
    "home_page_url": "http://example.com/", "author": {"name": "Old Style"},
    "items": [{"id": 42, "content_text": "a < b", "external_url": "http://other.example/x"}]}),
    exp("json", JF_META, [{"guid": "42", "link": "http://other.example/x",
                           "content": "a &lt; b", "author": "Old Style",
                           "authors": [{"name": "Old Style"}]}]), ext="json")
case(F, "jsonfeed-leading-blanks-and-bom",
     "\ufeff \n" + jf({"version": "https://jsonfeed.org/version/1.1", "title": "JT",
                       "home_page_url": "http://example.com/", "items": []}),
     exp("json", JF_META, []), ext="json")
case(F, "json-not-a-feed", jf({"hello": "world"}),
     err("not a feed: JSON without a JSON Feed version"), ext="json")
case(F, "json-broken", '{"version": "https://jsonfeed.org/version/1.1", "items": [',
     err("not JSON: ']' expected near end of file (line 1)"), ext="json")
case(F, "html-page-advertises-rss",
     '<!DOCTYPE html><html><head><title>News</title>'
     '<link rel="alternate" type="application/rss+xml" href="/rss.xml" title="RSS">'
     '</head><body><p>Hello</body></html>',
     err("not a feed: HTML page; it advertises the feed http://example.com/rss.xml: use that URL",
         repaired=True), ext="html")
case(F, "html-page-advertises-two",
     '<html><head><link rel="alternate" type="application/atom+xml" href="atom.xml">'
     '<link rel="Alternate home" type="application/rss+xml" href="https://cdn.example.net/r.xml">'
     '</head><body></body></html>',
     err("not a feed: HTML page; it advertises the feed http://example.com/feed/atom.xml "
         "and https://cdn.example.net/r.xml: use one of those", repaired=True), ext="html")
case(F, "html-page-no-feed", '<!doctype html><html><body><h1>404 Not Found</h1></body></html>',
     err("not a feed: HTML page", repaired=True), ext="html")
case(F, "html-page-base-href",
     '<html><head><base href="http://www.example.org/news/">'
     '<link rel="alternate" type="application/rss+xml" href="feed"></head></html>',
     err("not a feed: HTML page; it advertises the feed http://www.example.org/news/feed: use that URL"),
     ext="html")
case(F, "opml-not-a-feed", '<?xml version="1.0"?><opml version="2.0"><body/></opml>',
     err("not a feed: root element <opml>"))
case(F, "plain-text", 'Service Unavailable\n', err("not XML: Document is empty (line 1)"), ext="txt")
case(F, "empty-document", '', err("not XML: empty document"), ext="txt")
case(F, "rss-no-items", rss(""), exp("rss", RSS_META, []))
case(F, "atom-no-entries", atom(""), exp("atom", ATOM_META, []))
case(F, "rss-unknown-namespace-root",
     '<?xml version="1.0"?><rss xmlns="http://example.org/not-rss"><channel/></rss>',
     err("not a feed: <rss> in an unknown namespace"))

# ---------------------------------------------------------------- fields
G = "fields"


def rss1(item, expected, name, channel="", ns="", meta=None):
    case(G, name, rss("<item>%s</item>" % item, channel=channel, ns=ns),
         exp("rss", meta or RSS_META, [expected]))


def atom1(entry, expected, name, feed="", ns="", meta=None):
    case(G, name, atom("<entry>%s</entry>" % entry, feed=feed, ns=ns),
         exp("atom", meta or ATOM_META, [expected]))


DC = ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
DCT = ' xmlns:dcterms="http://purl.org/dc/terms/"'
MEDIA = ' xmlns:media="http://search.yahoo.com/mrss/"'
ITUNES = ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
CONTENT = ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
ATOMNS = ' xmlns:atom="http://www.w3.org/2005/Atom"'
XHTML = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"'

# titles
rss1("<title>Tom &amp; Jerry</title>", {"title": "Tom & Jerry"}, "rss-title-entity")
rss1("<title><![CDATA[Tom & <b>Jerry</b>]]></title>", {"title": "Tom & <b>Jerry</b>"},
     "rss-title-cdata-is-text")
rss1("<title>  many \n\t  blanks  </title>", {"title": "many blanks"}, "rss-title-blanks-collapsed")
atom1('<title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; more</title>', {"title": "Bold & more"},
      "atom-title-html-to-text")
atom1('<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><b>X</b>html</div></title>',
      {"title": "Xhtml"}, "atom-title-xhtml-to-text")
atom1('<title type="text">a &lt; b</title>', {"title": "a < b"}, "atom-title-text-keeps-lt")
# links
rss1("<link>/relative/1</link>", {"link": "http://example.com/relative/1"}, "rss-link-relative-to-feed-url")
rss1("<link>  http://example.com/x  </link>", {"link": "http://example.com/x"}, "rss-link-trimmed")
atom1('<link rel="related" href="http://r.example/"/><link href="http://example.com/alt"/>',
      {"link": "http://example.com/alt"}, "atom-link-no-rel-is-alternate")
atom1('<link rel="self" href="http://example.com/self"/>'
      '<link rel="alternate" type="text/html" href="http://example.com/a"/>',
      {"link": "http://example.com/a"}, "atom-link-alternate-not-self")
atom1('<link rel="http://www.iana.org/assignments/relation/alternate" href="http://example.com/iana"/>',
      {"link": "http://example.com/iana"}, "atom-link-iana-uri-rel")
atom1('<link rel="enclosure" type="audio/mpeg" length="1337" href="http://example.com/a.mp3" title="Ep 1"/>',
      {"enclosures": [{"url": "http://example.com/a.mp3", "type": "audio/mpeg", "length": 1337,
                       "title": "Ep 1"}]}, "atom-link-enclosure")
atom1('<link rel="replies" type="text/html" href="http://example.com/c"/>',
      {"comments": "http://example.com/c"}, "atom-link-replies-is-comments")
# guid
rss1("<guid>http://example.com/g</guid>", {"guid": "http://example.com/g", "link": "http://example.com/g"},
     "rss-guid-permalink-default-is-link")
rss1('<guid isPermaLink="false">http://example.com/g</guid>', {"guid": "http://example.com/g"},
     "rss-guid-not-permalink-is-not-link")
rss1('<guid isPermaLink="true">abc</guid><link>http://example.com/l</link>',
     {"guid": "abc", "link": "http://example.com/l"}, "rss-guid-link-beats-guid")
rss1('<guid>urn:uuid:1</guid>', {"guid": "urn:uuid:1"}, "rss-guid-non-http-not-link")
rss1('<guid isPermaLink="true">/p/1</guid>', {"guid": "/p/1", "link": "http://example.com/p/1"},
     "rss-guid-permalink-true-relative")
atom1('<id> urn:x </id>', {"guid": "urn:x"}, "atom-id-trimmed")
# dates
rss1("<pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate><dc:date>2020-01-01T00:00:00Z</dc:date>",
     {"published": "2024-01-02T10:00:00Z"}, "rss-pubdate-beats-dc-date", ns=DC)
rss1("<dc:date>2020-01-01T00:00:00Z</dc:date>", {"published": "2020-01-01T00:00:00Z"},
     "rss-dc-date-is-published", ns=DC)
rss1("<dcterms:issued>2020-01-01</dcterms:issued><dcterms:modified>2020-02-01</dcterms:modified>",
     {"published": "2020-01-01T00:00:00Z", "updated": "2020-02-01T00:00:00Z"},
     "rss-dcterms-issued-modified", ns=DCT)
rss1("<dcterms:created>2020-01-01T05:00:00Z</dcterms:created>", {"published": "2020-01-01T05:00:00Z"},
     "rss-dcterms-created", ns=DCT)
rss1("<atom:updated>2020-03-01T00:00:00Z</atom:updated>", {"updated": "2020-03-01T00:00:00Z"},
     "rss-atom-updated", ns=ATOMNS)
atom1('<published>2020-01-01T00:00:00Z</published><updated>2020-01-02T00:00:00Z</updated>',
      {"published": "2020-01-01T00:00:00Z", "updated": "2020-01-02T00:00:00Z"}, "atom-published-updated")
# authors
rss1("<author>ann@example.com (Ann Smith)</author>",
     {"author": "Ann Smith", "authors": [{"name": "Ann Smith", "email": "ann@example.com"}]},
     "rss-author-email-name")
rss1("<author>ann@example.com</author>",
     {"author": "ann@example.com", "authors": [{"email": "ann@example.com"}]}, "rss-author-bare-email")
rss1("<author>Ann Smith &lt;ann@example.com&gt;</author>",
     {"author": "Ann Smith", "authors": [{"name": "Ann Smith", "email": "ann@example.com"}]},
     "rss-author-name-angle-email")
rss1("<author>Ann Smith</author>", {"author": "Ann Smith", "authors": [{"name": "Ann Smith"}]},
     "rss-author-just-name")
rss1("<dc:creator>Bob</dc:creator><dc:creator>Carol</dc:creator>",
     {"author": "Bob", "authors": [{"name": "Bob"}, {"name": "Carol"}]}, "rss-dc-creator-several", ns=DC)
rss1("<itunes:author>Pod Host</itunes:author>",
     {"author": "Pod Host", "authors": [{"name": "Pod Host"}]}, "rss-itunes-author", ns=ITUNES)
rss1("<author>x@example.com</author><dc:creator>Xavier</dc:creator>",
     {"author": "Xavier", "authors": [{"email": "x@example.com"}, {"name": "Xavier"}]},
     "rss-creator-name-beats-email-for-display", ns=DC)
rss1("<dc:contributor>Helper</dc:contributor>", {"contributors": [{"name": "Helper"}]},
     "rss-dc-contributor", ns=DC)
atom1('<author><name>Ann</name><email>ann@example.com</email><uri>/ann</uri></author>',
      {"author": "Ann", "authors": [{"name": "Ann", "email": "ann@example.com",
                                      "uri": "http://example.com/ann"}]}, "atom-author-name-email-uri")
atom1('<author><name>A</name></author><author><name>B</name></author>',
      {"author": "A", "authors": [{"name": "A"}, {"name": "B"}]}, "atom-two-authors")
atom1('<contributor><name>C</name><uri>http://c.example/</uri></contributor>',
      {"contributors": [{"name": "C", "uri": "http://c.example/"}]}, "atom-contributor")
atom1('<title>X</title>', {"title": "X", "author": "Feed A", "authors": [{"name": "Feed A"}]},
      "atom-entry-inherits-feed-author", feed="<author><name>Feed A</name></author>")
atom1('<author><name>Own</name></author>', {"author": "Own", "authors": [{"name": "Own"}]},
      "atom-entry-own-author-beats-feed", feed="<author><name>Feed A</name></author>")
# categories
rss1('<category>World</category><category domain="http://cats.example/">Asia</category>',
     {"categories": ["World", {"term": "Asia", "scheme": "http://cats.example/"}]},
     "rss-category-domain-is-scheme")
rss1('<category>A</category><category>A</category>', {"categories": ["A"]}, "rss-category-once")
rss1('<dc:subject>Science</dc:subject>', {"categories": ["Science"]}, "rss-dc-subject", ns=DC)
atom1('<category term="t" scheme="http://s.example/" label="Label"/><category term="u"/>',
      {"categories": [{"term": "t", "scheme": "http://s.example/", "label": "Label"}, "u"]},
      "atom-category-term-scheme-label")
# summary and content
rss1('<description>&lt;p&gt;Para&lt;/p&gt;</description>', {"summary": "<p>Para</p>"},
     "rss-description-escaped-html")
rss1('<description><![CDATA[<p>CDATA <i>html</i></p>]]></description>',
     {"summary": "<p>CDATA <i>html</i></p>"}, "rss-description-cdata-html")
rss1('<description>S</description><content:encoded><![CDATA[<p>Full</p>]]></content:encoded>',
     {"summary": "S", "content": "<p>Full</p>"}, "rss-content-encoded-is-content", ns=CONTENT)
rss1('<xhtml:body><xhtml:p>Body <xhtml:b>bold</xhtml:b></xhtml:p></xhtml:body>',
     {"content": "<p>Body <b>bold</b></p>"}, "rss-xhtml-body-is-content", ns=XHTML)
atom1('<content type="text">a &lt;b&gt; c</content>', {"content": "a &lt;b&gt; c"}, "atom-content-text")
atom1('<content type="html">&lt;p&gt;x&lt;/p&gt;</content>', {"content": "<p>x</p>"}, "atom-content-html")
atom1('<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>x &amp; y</p></div></content>',
      {"content": "<p>x &amp; y</p>"}, "atom-content-xhtml")
atom1('<content type="text/html">&lt;i&gt;mime&lt;/i&gt;</content>', {"content": "<i>mime</i>"},
      "atom-content-mime-html")
atom1('<content type="text/plain">plain &amp; text</content>', {"content": "plain &amp; text"},
      "atom-content-mime-text")
atom1('<content type="application/xhtml+xml"><div xmlns="http://www.w3.org/1999/xhtml"><em>e</em></div></content>',
      {"content": "<em>e</em>"}, "atom-content-mime-xhtml")
atom1('<content src="http://example.com/out"/><summary>S</summary>', {"summary": "S"},
      "atom-content-out-of-line-ignored")
atom1('<content type="image/png">iVBORw0KGgo=</content>', {}, "atom-content-base64-ignored")
atom1('<summary type="html">&lt;b&gt;s&lt;/b&gt;</summary><content type="html">&lt;b&gt;c&lt;/b&gt;</content>',
      {"summary": "<b>s</b>", "content": "<b>c</b>"}, "atom-summary-and-content")
# enclosures and media
rss1('<enclosure url="http://example.com/a.mp3" length="12345" type="audio/mpeg"/>',
     {"enclosures": [{"url": "http://example.com/a.mp3", "length": 12345, "type": "audio/mpeg"}]},
     "rss-enclosure")
rss1('<enclosure url="/v.mp4" length="" type="video/mp4"/>',
     {"enclosures": [{"url": "http://example.com/v.mp4", "type": "video/mp4"}]},
     "rss-enclosure-relative-no-length")
rss1('<enclosure url="http://example.com/a.mp3" length="12 MB" type="audio/mpeg"/>',
     {"enclosures": [{"url": "http://example.com/a.mp3", "type": "audio/mpeg"}]},
     "rss-enclosure-bad-length-unknown")
rss1('<enclosure length="1" type="audio/mpeg"/>', {}, "rss-enclosure-without-url-ignored")
rss1('<enclosure url="http://example.com/1.mp3" type="audio/mpeg" length="1"/>'
     '<enclosure url="http://example.com/2.mp3" type="audio/mpeg" length="2"/>',
     {"enclosures": [{"url": "http://example.com/1.mp3", "type": "audio/mpeg", "length": 1},
                     {"url": "http://example.com/2.mp3", "type": "audio/mpeg", "length": 2}]},
     "rss-two-enclosures")
rss1('<media:content url="http://example.com/p.jpg" type="image/jpeg" fileSize="999" medium="image"/>',
     {"enclosures": [{"url": "http://example.com/p.jpg", "type": "image/jpeg", "length": 999,
                      "kind": "media:content"}]}, "rss-media-content", ns=MEDIA)
rss1('<media:thumbnail url="http://example.com/t.jpg" width="75" height="50"/>',
     {"enclosures": [{"url": "http://example.com/t.jpg", "kind": "media:thumbnail"}]},
     "rss-media-thumbnail", ns=MEDIA)
rss1('<media:group><media:content url="http://example.com/a.mp4" type="video/mp4" duration="61"/>'
     '<media:content url="http://example.com/b.mp4" type="video/mp4"/></media:group>',
     {"enclosures": [{"url": "http://example.com/a.mp4", "type": "video/mp4", "duration": 61,
                      "kind": "media:content"},
                     {"url": "http://example.com/b.mp4", "type": "video/mp4", "kind": "media:content"}]},
     "rss-media-group", ns=MEDIA)
rss1('<enclosure url="http://example.com/a.mp3" length="5" type="audio/mpeg"/>'
     '<media:content url="http://example.com/a.mp3" type="audio/mpeg"/>',
     {"enclosures": [{"url": "http://example.com/a.mp3", "type": "audio/mpeg", "length": 5}]},
     "rss-media-content-same-as-enclosure-once", ns=MEDIA)
atom1('<media:thumbnail url="http://example.com/t.png"/>',
      {"enclosures": [{"url": "http://example.com/t.png", "kind": "media:thumbnail"}]},
      "atom-media-thumbnail", ns=MEDIA)
# comments
rss1('<comments>http://example.com/c/1</comments>', {"comments": "http://example.com/c/1"}, "rss-comments")
rss1('<comments>/c/2</comments>', {"comments": "http://example.com/c/2"}, "rss-comments-relative")
# language
rss1('<title>x</title>', {"title": "x", "language": "de-DE"}, "rss-channel-language-inherited",
     channel="<language>de-DE</language>", meta=dict(RSS_META, language="de-DE"))
rss1('<title>x</title><dc:language>it</dc:language>', {"title": "x", "language": "it"},
     "rss-item-dc-language-beats-channel", ns=DC, channel="<language>en</language>",
     meta=dict(RSS_META, language="en"))
case(G, "atom-xml-lang-feed-and-entry",
     atom('<entry xml:lang="fr"><title>Bonjour</title></entry><entry><title>Hi</title></entry>',
          lang=' xml:lang="en-GB"'),
     exp("atom", dict(ATOM_META, language="en-GB"),
         [{"title": "Bonjour", "language": "fr"}, {"title": "Hi", "language": "en-GB"}]))
case(G, "rss-xml-lang-on-item",
     rss('<item xml:lang="es"><title>Hola</title></item>'),
     exp("rss", RSS_META, [{"title": "Hola", "language": "es"}]))
# source
rss1('<source url="http://agency.example/wire.xml">Agency Wire</source>',
     {"source": {"title": "Agency Wire", "feed_url": "http://agency.example/wire.xml"}}, "rss-source")
atom1('<source><id>urn:src</id><title>Src</title><link href="http://src.example/"/>'
      '<link rel="self" href="http://src.example/feed"/><updated>2020-01-01T00:00:00Z</updated></source>'
      '<title>Copied</title>',
      {"title": "Copied", "source": {"id": "urn:src", "title": "Src", "link": "http://src.example/",
                                     "feed_url": "http://src.example/feed",
                                     "updated": "2020-01-01T00:00:00Z"}},
      "atom-source")
atom1('<source><title>Src</title><author><name>Not me</name></author></source><title>E</title>',
      {"title": "E", "source": {"title": "Src"}}, "atom-source-author-not-entry-author")
# feed metadata
case(G, "rss-channel-description-image",
     rss("", channel="<description>&lt;b&gt;About&lt;/b&gt; us</description>"
         "<image><url>/logo.png</url><title>T</title><link>http://example.com/</link></image>"),
     exp("rss", dict(RSS_META, subtitle="About us", icon="http://example.com/logo.png"), []))
case(G, "atom-feed-subtitle-icon-logo",
     atom("", feed='<subtitle type="html">&lt;i&gt;Sub&lt;/i&gt;</subtitle><logo>/logo.png</logo>'
                   '<icon>/favicon.ico</icon>'),
     exp("atom", dict(ATOM_META, subtitle="Sub", icon="http://example.com/favicon.ico"), []))
case(G, "rss-channel-lastbuilddate-and-pubdate",
     rss("", channel="<pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate>"
         "<lastBuildDate>Tue, 02 Jan 2024 00:00:00 GMT</lastBuildDate>"),
     exp("rss", dict(RSS_META, updated="2024-01-02T00:00:00Z"), []))
case(G, "rss-image-title-not-feed-title",
     rss("", channel="<image><title>Logo title</title><url>http://example.com/l.png</url></image>"),
     exp("rss", dict(RSS_META, icon="http://example.com/l.png"), []))
case(G, "rss-item-order-kept",
     rss("<item><title>1</title></item><item><title>2</title></item><item><title>3</title></item>"),
     exp("rss", RSS_META, [{"title": "1"}, {"title": "2"}, {"title": "3"}]))

# ---------------------------------------------------------------- dates
D = "dates"
R = "2006-01-02T15:04:05Z"
date_cases = [
    # RFC 822 / 1123 (RSS 2.0 pubDate)
    ("rfc1123", "Mon, 02 Jan 2006 15:04:05 GMT", R),
    ("rfc822-no-weekday", "02 Jan 2006 15:04:05 GMT", R),
    ("rfc822-no-seconds", "Mon, 02 Jan 2006 15:04 GMT", "2006-01-02T15:04:00Z"),
    ("rfc822-one-digit-day", "Mon, 2 Jan 2006 15:04:05 GMT", R),
    ("rfc822-lowercase", "mon, 02 jan 2006 15:04:05 gmt", R),
    ("rfc822-full-names", "Monday, 02 January 2006 15:04:05 GMT", R),
    ("rfc822-no-zone", "Mon, 02 Jan 2006 15:04:05", R),
    ("rfc822-ut", "Mon, 02 Jan 2006 15:04:05 UT", R),
    ("rfc822-utc", "Mon, 02 Jan 2006 15:04:05 UTC", R),
    ("rfc822-est", "Mon, 02 Jan 2006 10:04:05 EST", R),
    ("rfc822-edt", "Mon, 02 Jan 2006 11:04:05 EDT", R),
    ("rfc822-cst", "Mon, 02 Jan 2006 09:04:05 CST", R),
    ("rfc822-cdt", "Mon, 02 Jan 2006 10:04:05 CDT", R),
    ("rfc822-mst", "Mon, 02 Jan 2006 08:04:05 MST", R),
    ("rfc822-mdt", "Mon, 02 Jan 2006 09:04:05 MDT", R),
    ("rfc822-pst", "Mon, 02 Jan 2006 07:04:05 PST", R),
    ("rfc822-pdt", "Mon, 02 Jan 2006 08:04:05 PDT", R),
    ("rfc822-military-z", "Mon, 02 Jan 2006 15:04:05 Z", R),
    ("rfc822-military-a-is-utc", "Mon, 02 Jan 2006 15:04:05 A", R),
    ("rfc822-military-y-is-utc", "Mon, 02 Jan 2006 15:04:05 Y", R),
    ("rfc822-plus-hhmm", "Mon, 02 Jan 2006 16:04:05 +0100", R),
    ("rfc822-minus-hhmm", "Mon, 02 Jan 2006 09:34:05 -0530", R),
    ("rfc822-plus-hh-colon-mm", "Mon, 02 Jan 2006 23:04:05 +08:00", R),
    ("rfc822-offset-and-comment", "Mon, 02 Jan 2006 07:04:05 -0800 (PST)", R),
    ("rfc822-blanks-around", "\n   Mon, 02 Jan 2006 15:04:05 GMT  \n", R),
    ("rfc822-two-digit-year-06", "Mon, 02 Jan 06 15:04:05 GMT", R),
    ("rfc822-two-digit-year-99", "Sat, 02 Jan 99 00:00:00 GMT", "1999-01-02T00:00:00Z"),
    ("rfc822-two-digit-year-49", "Sat, 02 Jan 49 00:00:00 GMT", "2049-01-02T00:00:00Z"),
    ("rfc822-leap-day", "Thu, 29 Feb 2024 12:00:00 GMT", "2024-02-29T12:00:00Z"),
    ("rfc822-cest", "Mon, 02 Jan 2006 17:04:05 CEST", R),
    ("rfc822-jst", "Tue, 03 Jan 2006 00:04:05 JST", R),
    ("rfc822-wrong-weekday-ignored", "Fri, 02 Jan 2006 15:04:05 GMT", R),
    ("rfc822-year-2038-plus", "Tue, 01 Jan 2041 00:00:00 GMT", "2041-01-01T00:00:00Z"),
    ("rfc850", "Monday, 02-Jan-06 15:04:05 GMT", R),
    ("asctime", "Mon Jan  2 15:04:05 2006", R),
    # misspellings seen in the wild
    ("misspelled-tues", "Tues, 02 Jan 2006 15:04:05 GMT", R),
    ("misspelled-thurs", "Thurs, 02 Jan 2006 15:04:05 GMT", R),
    ("misspelled-sept", "Sat, 02 Sept 2006 15:04:05 GMT", "2006-09-02T15:04:05Z"),
    ("misspelled-june-full", "Fri, 02 June 2006 15:04:05 GMT", "2006-06-02T15:04:05Z"),
    ("missing-space-after-comma", "Mon,02 Jan 2006 15:04:05 GMT", R),
    # RFC 3339 / ISO 8601 / W3C-DTF
    ("rfc3339-z", "2006-01-02T15:04:05Z", R),
    ("rfc3339-lowercase", "2006-01-02t15:04:05z", R),
    ("rfc3339-space", "2006-01-02 15:04:05Z", R),
    ("rfc3339-fraction", "2006-01-02T15:04:05.999999Z", R),
    ("rfc3339-offset", "2006-01-02T16:04:05+01:00", R),
    ("rfc3339-negative-offset", "2006-01-02T10:04:05-05:00", R),
    ("iso8601-offset-no-colon", "2006-01-02T13:34:05-0130", R),
    ("iso8601-offset-hours", "2006-01-02T17:04:05+02", R),
    ("iso8601-no-zone", "2006-01-02T15:04:05", R),
    ("w3cdtf-minutes", "2006-01-02T15:04Z", "2006-01-02T15:04:00Z"),
    ("w3cdtf-day", "2006-01-02", "2006-01-02T00:00:00Z"),
    ("w3cdtf-month", "2006-01", "2006-01-01T00:00:00Z"),
    ("w3cdtf-year", "2006", "2006-01-01T00:00:00Z"),
    ("rfc3339-leap-day", "2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"),
    ("rfc3339-epoch-is-a-real-date", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
    ("rfc3339-day-boundary", "2006-01-02T00:30:00+01:00", "2006-01-01T23:30:00Z"),
    # unparseable: absent, never the epoch or now
    ("garbage-word", "yesterday", None),
    ("garbage-empty", "", None),
    ("garbage-feb-30", "2006-02-30", None),
    ("garbage-month-13", "2006-13-01", None),
    ("garbage-hour-25", "Mon, 02 Jan 2006 25:04:05 GMT", None),
    ("garbage-zone", "Mon, 02 Jan 2006 15:04:05 FOO", None),
    ("garbage-trailing", "2006-01-02T15:04:05 junk", None),
    ("garbage-zero-date", "0000-00-00 00:00:00", None),
    ("garbage-no-year", "Mon, 02 Jan 15:04:05 GMT", None),
    ("garbage-numbers", "12", None),
    ("garbage-non-leap-feb-29", "2005-02-29", None),
    ("garbage-offset-out-of-range", "2006-01-02T15:04:05+25:00", None),
]
for name, text, want in date_cases:
    e = {"title": "d"}
    if want:
        e["published"] = want
    case(D, name, rss("<item><title>d</title><pubDate>%s</pubDate></item>" % text),
         exp("rss", RSS_META, [e]))
for name, text, want in [("atom-updated-rfc3339", "2006-01-02T16:04:05+01:00", R),
                         ("atom-updated-garbage", "not a date", None),
                         ("atom-published-w3cdtf-day", "2006-01-02", "2006-01-02T00:00:00Z")]:
    e = {"title": "d"}
    if want:
        e["updated"] = want
    case(D, name, atom("<entry><title>d</title><updated>%s</updated></entry>" % text),
         exp("atom", ATOM_META, [e]))

# ---------------------------------------------------------------- encodings
E = "encodings"


def enc_rss(title, decl_enc=None):
    decl = '<?xml version="1.0" encoding="%s"?>\n' % decl_enc if decl_enc else ""
    return rss("<item><title>%s</title></item>" % title, decl=decl)


def enc_case(name, data, title, charset=None, repaired=False):
    kw = {"repaired": repaired}
    if charset:
        kw["charset"] = charset
    case(E, name, data, exp("rss", RSS_META, [{"title": title}], **kw))


CN = "\u4e2d\u6587\u65b0\u95fb"  # 中文新闻
enc_case("utf8-declared", enc_rss("Caf\u00e9 " + CN, "UTF-8").encode("utf-8"), "Caf\u00e9 " + CN)
enc_case("utf8-undeclared", enc_rss("Caf\u00e9 " + CN).encode("utf-8"), "Caf\u00e9 " + CN)
enc_case("utf8-bom", b"\xef\xbb\xbf" + enc_rss("Caf\u00e9", "utf-8").encode("utf-8"), "Caf\u00e9")
enc_case("utf16le-bom", enc_rss("Caf\u00e9 " + CN, "UTF-16").encode("utf-16"), "Caf\u00e9 " + CN)
enc_case("utf16be-bom", b"\xfe\xff" + enc_rss("Caf\u00e9 " + CN, "UTF-16").encode("utf-16-be"),
         "Caf\u00e9 " + CN)
enc_case("utf16le-no-bom", enc_rss("Wide", "UTF-16").encode("utf-16-le"), "Wide")
enc_case("utf32le-bom", b"\xff\xfe\x00\x00" + enc_rss("Caf\u00e9", "UTF-32").encode("utf-32-le"), "Caf\u00e9")
enc_case("iso-8859-1", enc_rss("Caf\u00e9 na\u00efve", "ISO-8859-1").encode("latin-1"), "Caf\u00e9 na\u00efve")
enc_case("windows-1252-quotes", enc_rss("\u201cQuoted\u201d \u2014 \u20ac5", "windows-1252").encode("cp1252"),
         "\u201cQuoted\u201d \u2014 \u20ac5")
enc_case("iso-8859-1-label-means-windows-1252",
         enc_rss("\u201cSmart\u201d", "iso-8859-1").encode("cp1252"), "\u201cSmart\u201d")
enc_case("gb2312", enc_rss(CN, "gb2312").encode("gb2312"), CN)
enc_case("gbk", enc_rss(CN + "\u9555", "GBK").encode("gbk"), CN + "\u9555")
enc_case("gb18030", enc_rss(CN + "\U00020000", "GB18030").encode("gb18030"), CN + "\U00020000")
enc_case("big5", enc_rss("\u4e2d\u6587", "big5").encode("big5"), "\u4e2d\u6587")
enc_case("shift-jis", enc_rss("\u65e5\u672c\u8a9e", "Shift_JIS").encode("shift_jis"), "\u65e5\u672c\u8a9e")
enc_case("euc-kr", enc_rss("\ud55c\uad6d\uc5b4", "EUC-KR").encode("euc_kr"), "\ud55c\uad6d\uc5b4")
enc_case("koi8-r", enc_rss("\u041d\u043e\u0432\u043e\u0441\u0442\u0438", "KOI8-R").encode("koi8_r"),
         "\u041d\u043e\u0432\u043e\u0441\u0442\u0438")
enc_case("windows-1251", enc_rss("\u041d\u043e\u0432\u043e\u0441\u0442\u0438", "windows-1251").encode("cp1251"),
         "\u041d\u043e\u0432\u043e\u0441\u0442\u0438")
enc_case("iso-8859-15-euro", enc_rss("\u20ac 10", "ISO-8859-15").encode("iso8859_15"), "\u20ac 10")
# the real-world conflicts
enc_case("declared-utf8-actually-gb2312", enc_rss(CN + " " + CN, "UTF-8").encode("gb2312"),
         CN + " " + CN, repaired=True)
enc_case("declared-utf8-actually-gbk", enc_rss("\u65b0\u534e\u793e\u7535 " + CN, "utf-8").encode("gbk"),
         "\u65b0\u534e\u793e\u7535 " + CN, repaired=True)
enc_case("declared-utf8-actually-windows-1252", enc_rss("Caf\u00e9 \u201cx\u201d", "UTF-8").encode("cp1252"),
         "Caf\u00e9 \u201cx\u201d", repaired=True)
enc_case("declared-utf8-actually-latin1", enc_rss("Se\u00f1or Mu\u00f1oz", "utf-8").encode("latin-1"),
         "Se\u00f1or Mu\u00f1oz", repaired=True)
enc_case("undeclared-actually-latin1", enc_rss("d\u00e9j\u00e0 vu").encode("latin-1"), "d\u00e9j\u00e0 vu",
         repaired=True)
enc_case("declared-latin1-actually-utf8", enc_rss("Caf\u00e9", "ISO-8859-1").encode("utf-8"), "Caf\u00e9",
         repaired=True)
enc_case("declared-ascii-actually-utf8", enc_rss(CN, "us-ascii").encode("utf-8"), CN, repaired=True)
enc_case("declared-gb2312-actually-utf8", enc_rss(CN + "\u00e9", "gb2312").encode("utf-8"), CN + "\u00e9",
         repaired=True)
enc_case("http-charset-beats-declaration", enc_rss(CN, "utf-8").encode("gbk"), CN, charset="gb2312")
enc_case("http-latin1-default-but-utf8", enc_rss("Caf\u00e9 " + CN, "utf-8").encode("utf-8"),
         "Caf\u00e9 " + CN, charset="ISO-8859-1", repaired=True)
enc_case("bom-beats-http-charset", b"\xef\xbb\xbf" + enc_rss("Caf\u00e9").encode("utf-8"), "Caf\u00e9",
         charset="iso-8859-1")
enc_case("http-charset-windows-1252-undeclared", enc_rss("\u201cq\u201d").encode("cp1252"), "\u201cq\u201d",
         charset="windows-1252")
enc_case("utf8-with-a-few-bad-bytes",
         enc_rss("Caf\u00e9 ok").encode("utf-8").replace(b" ok", b" \xff ok"),
         "Caf\u00e9 \ufffd ok", repaired=True)
enc_case("unknown-charset-read-as-utf8", enc_rss("Caf\u00e9", "x-no-such-charset").encode("utf-8"),
         "Caf\u00e9", repaired=True)
enc_case("utf8-split-across-pushes", enc_rss(CN * 20, "UTF-8").encode("utf-8"), CN * 20)
case(E, "jsonfeed-bad-utf8",
     jf({"version": "https://jsonfeed.org/version/1.1", "title": "JT",
         "home_page_url": "http://example.com/",
         "items": [{"id": "1", "title": "Caf\u00e9 XX"}]}).encode("utf-8").replace(b"XX", b"\xff"),
     exp("json", JF_META, [{"guid": "1", "title": "Caf\u00e9 \ufffd"}], repaired=True), ext="json")

# ---------------------------------------------------------------- ill-formed XML
I = "illformed"


def ill(name, data, entries, repaired=True, meta=None, fmt="rss"):
    case(I, name, data, exp(fmt, meta or RSS_META, entries, repaired=repaired))


ill("undefined-entity-nbsp", rss("<item><title>A&nbsp;B</title></item>"), [{"title": "A\u00a0B"}])
ill("undefined-entities-html", rss("<item><title>&ldquo;Q&rdquo; &mdash; &eacute;t&eacute;</title></item>"),
    [{"title": "\u201cQ\u201d \u2014 \u00e9t\u00e9"}])
ill("unknown-entity-kept-as-text", rss("<item><title>x &bogus; y</title></item>"), [{"title": "x &bogus; y"}])
ill("bare-ampersand", rss("<item><title>AT&T earnings</title></item>"), [{"title": "AT&T earnings"}])
ill("bare-ampersand-in-link", rss("<item><link>http://example.com/?a=1&b=2</link></item>"),
    [{"link": "http://example.com/?a=1&b=2"}])
ill("bare-less-than", rss("<item><title>1 < 2 and 3 > 2</title></item>"), [{"title": "1 < 2 and 3 > 2"}])
ill("junk-after-root", rss("<item><title>ok</title></item>") + "<br>junk</p>", [{"title": "ok"}])
ill("control-characters", rss("<item><title>a\x01b\x0bc\x1fd</title></item>"), [{"title": "abcd"}])
ill("truncated-mid-item", rss("<item><title>one</title></item><item><title>two</title></item>")
    .split("<item><title>two")[0] + "<item><title>tw", [{"title": "one"}])
ill("missing-channel-and-rss-end", rss("<item><title>one</title></item>").replace("</channel></rss>", ""),
    [{"title": "one"}])
ill("unclosed-br-in-description",
    rss("<item><title>a</title><description>line<br>more</description></item>"
        "<item><title>b</title></item>"),
    [{"title": "a", "summary": "line<br/>more"}, {"title": "b"}])
ill("item-never-closed",
    rss("<item><title>a</title><item><title>b</title></item>"), [{"title": "a"}, {"title": "b"}])
ill("raw-html-in-description-well-formed",
    rss("<item><description><p>Hi <b>there</b></p></description></item>"),
    [{"summary": "<p>Hi <b>there</b></p>"}], repaired=False)
ill("declared-entity-expanded",
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY co "Acme &#38;#38; Co">]>\n'
    + rss("<item><title>&co; news</title></item>", decl=""), [{"title": "Acme & Co news"}], repaired=False)
ill("external-entity-never-loaded",
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    + rss("<item><title>a&x;b</title></item>", decl=""), [{"title": "ab"}])
ill("whitespace-before-declaration", "\n\n  " + rss("<item><title>ok</title></item>"), [{"title": "ok"}])
ill("two-root-elements", rss("<item><title>1</title></item>") + rss("<item><title>2</title></item>", decl=""),
    [{"title": "1"}])
ill("cdata-never-closed", rss("<item><title>a</title></item><item><title><![CDATA[b"), [{"title": "a"}])
ill("unquoted-attribute-in-raw-html",
    rss("<item><title>a</title><description><a href=http://x.example/p?q=1&r=2 class=c>link</a> text</description></item>"),
    [{"title": "a", "summary": '<a href="http://x.example/p?q=1&amp;r=2">link</a> text'}])
ill("unquoted-attribute-empty-element",
    rss("<item><title>b</title><enclosure url=http://m.example/a.mp3 length=3 type=audio/mpeg/></item>"
        "<item><title>c</title></item>"),
    [{"title": "b", "enclosures": [{"url": "http://m.example/a.mp3", "type": "audio/mpeg", "length": 3}]},
     {"title": "c"}])
ill("unquoted-attribute-with-slashes-and-blanks",
    atom('<entry><title>t</title><link rel=alternate href = /a/b/ /></entry>'),
    [{"title": "t", "link": "http://example.com/a/b/"}], meta=ATOM_META, fmt="atom")
ill("atom-bare-ampersand",
    atom("<entry><title>Q&A</title><id>urn:1</id></entry>"),
    [{"title": "Q&A", "guid": "urn:1"}], meta=ATOM_META, fmt="atom")
ill("nbsp-in-atom-content-html",
    atom('<entry><content type="html">a&nbsp;b</content></entry>'),
    [{"content": "a\u00a0b"}], meta=ATOM_META, fmt="atom")

# ---------------------------------------------------------------- URLs
U = "urls"


def urlcase(name, data, entries, meta, fmt="atom", url=None):
    kw = {}
    if url:
        kw["url"] = url
    case(U, name, data, exp(fmt, meta, entries, **kw))


def abase(entries, base_attr=""):
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"%s>'
            '<title>T</title><id>urn:feed</id>%s</feed>\n' % (base_attr, entries))


AM = {"id": "urn:feed", "title": "T"}
urlcase("xml-base-on-feed", abase('<entry><link href="a/1"/></entry>', ' xml:base="http://base.example/dir/"'),
        [{"link": "http://base.example/dir/a/1"}], AM)
urlcase("xml-base-on-entry", abase('<entry xml:base="http://e.example/x/"><link href="1"/></entry>',
                                    ' xml:base="http://base.example/dir/"'),
        [{"link": "http://e.example/x/1"}], AM)
urlcase("xml-base-relative-nests", abase('<entry xml:base="sub/"><link href="1"/></entry>',
                                          ' xml:base="http://base.example/dir/"'),
        [{"link": "http://base.example/dir/sub/1"}], AM)
urlcase("xml-base-on-link-element", abase('<entry><link xml:base="http://l.example/" href="p"/></entry>'),
        [{"link": "http://l.example/p"}], AM)
urlcase("xml-base-dotdot", abase('<entry xml:base="../up/"><link href="1"/></entry>',
                                  ' xml:base="http://base.example/a/b/"'),
        [{"link": "http://base.example/a/up/1"}], AM)
urlcase("feed-url-is-base", abase('<entry><link href="/abs/path"/></entry>'),
        [{"link": "http://news.example.org/abs/path"}], AM, url="http://news.example.org/feeds/all.atom")
urlcase("feed-url-base-relative-path", abase('<entry><link href="item.html"/></entry>'),
        [{"link": "http://news.example.org/feeds/item.html"}], AM, url="http://news.example.org/feeds/all.atom")
urlcase("protocol-relative", abase('<entry><link href="//cdn.example/x"/></entry>'),
        [{"link": "http://cdn.example/x"}], AM)
urlcase("fragment-only", abase('<entry><link href="#top"/></entry>'),
        [{"link": "http://example.com/feed/#top"}], AM)
urlcase("query-only", abase('<entry><link href="?p=2"/></entry>'),
        [{"link": "http://example.com/feed/?p=2"}], AM)
urlcase("absolute-untouched", abase('<entry><link href="https://other.example/a?b=c#d"/></entry>'),
        [{"link": "https://other.example/a?b=c#d"}], AM)
urlcase("content-img-src-against-content-base",
        abase('<entry><content type="html" xml:base="http://img.example/p/">'
              '&lt;img src="i.png" alt="x"&gt;</content></entry>'),
        [{"content": '<img src="http://img.example/p/i.png" alt="x"/>'}], AM)
urlcase("content-a-href-against-entry-base",
        abase('<entry xml:base="http://e.example/news/"><content type="html">'
              '&lt;a href="../more"&gt;more&lt;/a&gt;</content></entry>'),
        [{"content": '<a href="http://e.example/more">more</a>'}], AM)
urlcase("content-xhtml-relative-href",
        abase('<entry><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
              '<a href="x.html">x</a></div></content></entry>', ' xml:base="http://x.example/d/"'),
        [{"content": '<a href="http://x.example/d/x.html">x</a>'}], AM)
urlcase("rss-description-relative-img",
        rss('<item><description><![CDATA[<img src="/i/1.jpg">]]></description></item>'),
        [{"summary": '<img src="http://example.com/i/1.jpg"/>'}], RSS_META, fmt="rss")
urlcase("rss-channel-xml-base",
        rss('<item><link>p/1</link></item>').replace("<channel>", '<channel xml:base="http://b.example/r/">'),
        [{"link": "http://b.example/r/p/1"}], RSS_META, fmt="rss")
urlcase("rss-enclosure-xml-base",
        rss('<item xml:base="http://media.example/"><enclosure url="a.mp3" type="audio/mpeg" length="3"/></item>'),
        [{"enclosures": [{"url": "http://media.example/a.mp3", "type": "audio/mpeg", "length": 3}]}],
        RSS_META, fmt="rss")
urlcase("atom-author-uri-relative",
        abase('<entry><author><name>A</name><uri>/people/a</uri></author></entry>',
              ' xml:base="http://p.example/x/"'),
        [{"author": "A", "authors": [{"name": "A", "uri": "http://p.example/people/a"}]}], AM)
urlcase("atom-feed-link-and-icon-relative",
        abase('<link href="/home"/><icon>i.ico</icon>', ' xml:base="http://f.example/dir/"'),
        [], dict(AM, link="http://f.example/home", icon="http://f.example/dir/i.ico"))
urlcase("link-with-blanks-trimmed", rss('<item><link>\n   http://example.com/sp  \n</link></item>'),
        [{"link": "http://example.com/sp"}], RSS_META, fmt="rss")
urlcase("content-mailto-kept",
        rss('<item><description><![CDATA[<a href="mailto:desk@example.com">desk</a>]]></description></item>'),
        [{"summary": '<a href="mailto:desk@example.com">desk</a>'}], RSS_META, fmt="rss")
urlcase("jsonfeed-relative-against-feed-url",
        jf({"version": "https://jsonfeed.org/version/1.1", "title": "JT", "home_page_url": "/",
            "items": [{"id": "1", "url": "posts/1", "content_html": '<a href="../x">x</a>'}]}),
        [{"guid": "1", "link": "http://j.example/feeds/posts/1",
          "content": '<a href="http://j.example/x">x</a>'}],
        {"title": "JT", "link": "http://j.example/"}, fmt="json", url="http://j.example/feeds/feed.json")

# ---------------------------------------------------------------- sanitizer
S = "sanitize"
san = [
    ("script-dropped", '<p>a</p><script>alert(1)</script><p>b</p>', '<p>a</p><p>b</p>'),
    ("script-uppercase", '<SCRIPT>alert(1)</SCRIPT>ok', 'ok'),
    ("script-with-src", '<script src="http://evil.example/x.js"></script>ok', 'ok'),
    ("script-in-attribute-context", '<p title="</p><script>x</script>">t</p>',
     '<p title="&lt;/p&gt;&lt;script&gt;x&lt;/script&gt;">t</p>'),
    ("style-element-dropped", '<style>body{display:none}</style><p>x</p>', '<p>x</p>'),
    ("style-attribute-dropped", '<p style="color:red">x</p>', '<p>x</p>'),
    ("css-expression-dropped", '<div style="width: expression(alert(1))">x</div>', '<div>x</div>'),
    ("css-url-javascript-dropped", '<div style="background:url(javascript:alert(1))">x</div>', '<div>x</div>'),
    ("iframe-dropped", '<iframe src="http://evil.example/"></iframe><p>x</p>', '<p>x</p>'),
    ("iframe-content-dropped", '<iframe>inner text</iframe>after', 'after'),
    ("object-dropped", '<object data="x.swf"><param name="a" value="b"></object>ok', 'ok'),
    ("embed-dropped", '<embed src="x.swf">ok', 'ok'),
    ("applet-dropped", '<applet code="X.class">no</applet>ok', 'ok'),
    ("form-dropped", '<form action="http://evil.example/"><input name="pw"><button>Go</button></form>ok', 'ok'),
    ("textarea-select-dropped", '<select><option>a</option></select><textarea>t</textarea>ok', 'ok'),
    ("meta-refresh-dropped", '<meta http-equiv="refresh" content="0;url=http://evil.example/">ok', 'ok'),
    ("link-stylesheet-dropped", '<link rel="stylesheet" href="http://evil.example/x.css">ok', 'ok'),
    ("base-dropped", '<base href="http://evil.example/"><a href="/x">x</a>',
     '<a href="http://example.com/x">x</a>'),
    ("svg-dropped", '<svg onload="alert(1)"><circle r="1"/></svg>ok', 'ok'),
    ("math-dropped", '<math><mi>x</mi></math>ok', 'ok'),
    ("noscript-dropped", '<noscript><p>enable js</p></noscript>ok', 'ok'),
    ("template-dropped", '<template><p>t</p></template>ok', 'ok'),
    ("onclick-dropped", '<a href="http://example.com/" onclick="alert(1)">x</a>',
     '<a href="http://example.com/">x</a>'),
    ("onerror-dropped", '<img src="http://example.com/i.png" onerror="alert(1)">',
     '<img src="http://example.com/i.png"/>'),
    ("onload-uppercase-dropped", '<body ONLOAD="alert(1)"><p>x</p></body>', '<p>x</p>'),
    ("onmouseover-dropped", '<p onmouseover="x()">p</p>', '<p>p</p>'),
    ("javascript-href-dropped", '<a href="javascript:alert(1)">x</a>', '<a>x</a>'),
    ("javascript-href-uppercase", '<a href="JAVASCRIPT:alert(1)">x</a>', '<a>x</a>'),
    ("javascript-href-leading-space", '<a href="  javascript:alert(1)">x</a>', '<a>x</a>'),
    ("javascript-href-tab-inside", '<a href="java\tscript:alert(1)">x</a>', '<a>x</a>'),
    ("javascript-href-entity-encoded", '<a href="&#106;avascript:alert(1)">x</a>', '<a>x</a>'),
    ("javascript-href-newline-entity", '<a href="java&#10;script:alert(1)">x</a>', '<a>x</a>'),
    ("vbscript-href-dropped", '<a href="vbscript:msgbox(1)">x</a>', '<a>x</a>'),
    ("data-href-dropped", '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', '<a>x</a>'),
    ("data-img-png-kept", '<img src="data:image/png;base64,iVBORw0KGgo=">',
     '<img src="data:image/png;base64,iVBORw0KGgo="/>'),
    ("data-img-svg-dropped", '<img src="data:image/svg+xml;base64,PHN2Zz4=">', '<img/>'),
    ("data-img-html-dropped", '<img src="data:text/html,<script>x</script>">', '<img/>'),
    ("javascript-img-src-dropped", '<img src="javascript:alert(1)" alt="a">', '<img alt="a"/>'),
    ("file-url-dropped", '<a href="file:///etc/passwd">x</a>', '<a>x</a>'),
    ("https-kept", '<a href="https://example.org/a?b=1&amp;c=2">x</a>',
     '<a href="https://example.org/a?b=1&amp;c=2">x</a>'),
    ("ftp-kept", '<a href="ftp://example.org/f">f</a>', '<a href="ftp://example.org/f">f</a>'),
    ("relative-href-made-absolute", '<a href="/path">p</a>', '<a href="http://example.com/path">p</a>'),
    ("relative-img-made-absolute", '<img src="img/a.png">', '<img src="http://example.com/feed/img/a.png"/>'),
    ("blockquote-cite-absolute", '<blockquote cite="/src">q</blockquote>',
     '<blockquote cite="http://example.com/src">q</blockquote>'),
    ("video-poster-absolute", '<video src="v.mp4" poster="p.jpg" controls></video>',
     '<video src="http://example.com/feed/v.mp4" poster="http://example.com/feed/p.jpg" controls=""></video>'),
    ("class-id-dropped", '<p class="x" id="y">p</p>', '<p>p</p>'),
    ("target-dropped", '<a href="http://example.com/" target="_blank">x</a>', '<a href="http://example.com/">x</a>'),
    ("unknown-element-unwrapped", '<font color="red">red</font> <blink>b</blink>', 'red b'),
    ("custom-element-unwrapped", '<my-widget data-x="1"><p>in</p></my-widget>', '<p>in</p>'),
    ("allowed-inline-kept", '<b>b</b><i>i</i><em>e</em><strong>s</strong><code>c</code>',
     '<b>b</b><i>i</i><em>e</em><strong>s</strong><code>c</code>'),
    ("lists-kept", '<ul><li>a</li><li>b</li></ul><ol start="3"><li>c</li></ol>',
     '<ul><li>a</li><li>b</li></ul><ol start="3"><li>c</li></ol>'),
    ("table-kept", '<table><tr><th colspan="2">h</th></tr><tr><td>1</td><td>2</td></tr></table>',
     '<table><tr><th colspan="2">h</th></tr><tr><td>1</td><td>2</td></tr></table>'),
    ("headings-kept", '<h1>1</h1><h2>2</h2><h6>6</h6>', '<h1>1</h1><h2>2</h2><h6>6</h6>'),
    ("pre-whitespace-kept", '<pre>a\n  b</pre>', '<pre>a\n  b</pre>'),
    ("unclosed-tags-closed", '<p>one<p>two', '<p>one</p><p>two</p>'),
    ("unclosed-b-closed", '<b>bold', '<b>bold</b>'),
    ("stray-end-tag-dropped", 'a</div>b', 'ab'),
    ("br-void-well-formed", 'a<br>b<hr>c', 'a<br/>b<hr/>c'),
    ("bare-ampersand-escaped", 'Q&A < 3', 'Q&amp;A &lt; 3'),
    ("entities-decoded-and-reescaped", '&eacute;&nbsp;&amp;&lt;', '\u00e9\u00a0&amp;&lt;'),
    ("comment-dropped", 'a<!-- secret -->b', 'ab'),
    ("conditional-comment-dropped", '<!--[if IE]><script>x</script><![endif]-->ok', 'ok'),
    ("attribute-quotes-escaped", '<img alt=\'say "hi"\' src="http://example.com/i">',
     '<img alt="say &quot;hi&quot;" src="http://example.com/i"/>'),
    ("nested-script-in-allowed", '<div><p>x<script>y</script></p></div>', '<div><p>x</p></div>'),
    ("script-split-tag", '<scr<script>ipt>alert(1)</script>', 'ipt&gt;alert(1)'),
    ("img-dimensions-kept", '<img src="http://example.com/a.png" width="10" height="20" alt="a">',
     '<img src="http://example.com/a.png" width="10" height="20" alt="a"/>'),
    ("figure-figcaption-kept", '<figure><img src="http://example.com/f.jpg"><figcaption>c</figcaption></figure>',
     '<figure><img src="http://example.com/f.jpg"/><figcaption>c</figcaption></figure>'),
    ("title-lang-dir-kept", '<span title="t" lang="fr" dir="ltr">s</span>', '<span title="t" lang="fr" dir="ltr">s</span>'),
    ("html-body-wrapper-unwrapped", '<html><head><title>x</title></head><body><p>b</p></body></html>', '<p>b</p>'),
    ("empty-after-sanitizing", '<script>only</script>', None),
    ("srcset-dropped", '<img src="http://example.com/a.png" srcset="javascript:x 1x">',
     '<img src="http://example.com/a.png"/>'),
    ("formaction-dropped", '<button formaction="javascript:x">b</button>ok', 'ok'),
    ("xlink-href-svg-dropped", '<svg><a xlink:href="javascript:x">x</a></svg>ok', 'ok'),
]
for name, html, want in san:
    e = {"title": name}
    if want is not None:
        e["summary"] = want
    case(S, name, rss('<item><title>%s</title><description><![CDATA[%s]]></description></item>'
                      % (name, html)), exp("rss", RSS_META, [e]))
# the sanitizer runs on every format's HTML
case(S, "atom-html-content-sanitized",
     atom('<entry><content type="html">&lt;p onclick="x()"&gt;a&lt;/p&gt;&lt;script&gt;b&lt;/script&gt;</content></entry>'),
     exp("atom", ATOM_META, [{"content": "<p>a</p>"}]))
case(S, "atom-xhtml-content-sanitized",
     atom('<entry><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
          '<p onclick="x()">a</p><script>b</script><a href="javascript:c">c</a></div></content></entry>'),
     exp("atom", ATOM_META, [{"content": "<p>a</p><a>c</a>"}]))
case(S, "rss-content-encoded-sanitized",
     rss('<item><content:encoded><![CDATA[<iframe src="x"></iframe><p>ok</p>]]></content:encoded></item>',
         ns=CONTENT), exp("rss", RSS_META, [{"content": "<p>ok</p>"}]))
case(S, "jsonfeed-content-html-sanitized",
     jf({"version": "https://jsonfeed.org/version/1.1", "title": "JT", "home_page_url": "http://example.com/",
         "items": [{"id": "1", "content_html": '<img src="x.png" onerror="y()"><object></object>'}]}),
     exp("json", JF_META, [{"guid": "1", "content": '<img src="http://example.com/feed/x.png"/>'}]), ext="json")

# ---------------------------------------------------------------- write
if __name__ == "__main__":
    for group in set(c[0] for c in cases):
        d = os.path.join(HERE, group)
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    names = set()
    for group, fname, data, expected in cases:
        path = os.path.join(HERE, group, fname)
        assert path not in names, path
        names.add(path)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        with open(path + ".expected.json", "w", encoding="utf-8") as f:
            json.dump(expected, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write("\n")
    counts = {}
    for c in cases:
        counts[c[0]] = counts.get(c[0], 0) + 1
    print(len(cases), "cases:", ", ".join("%s %d" % kv for kv in sorted(counts.items())))
