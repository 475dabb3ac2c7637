#!/usr/bin/env python3
"""Generates the labelled dedupe corpus: tests/data/dedupe/items.tsv.

Deterministic (fixed seed): run it again and the file is the same.  Each
row is one item as a feed carries it; the last column is the ground truth,
the story the item belongs to.  Rows are in arrival order.  Columns:

  arrive  seconds after T0 when the item is first fetched
  feed    feed name (feeds.tsv)
  guid    the feed's id for the item (a row repeating feed+guid is an update)
  link    the item's URL as the feed gives it
  pub     published, seconds after T0 ("-" for none)
  title   plain text
  summary HTML-free lead ("" for none)
  story   ground truth: items with the same story label are one story

Stories: wire stories (English and Chinese) carried by several outlets as
exact copies, re-headlined copies, dateline/credit variants, truncated
leads, tracking-decorated links; and the traps that must stay apart:
recurring titles, very short texts, the same headline on other days about
other events, live-updated stories vs next-day follow-ups.
"""
import random

R = random.Random(20260403)
DAY = 86400

EN_FEEDS = ["xinhua-en", "reuters", "apnews", "chinadaily", "cgtn", "globaltimes",
            "scmp", "straitstimes", "bbc-world", "guardian-world", "aljazeera",
            "dw-news", "abc-au"]
ZH_FEEDS = ["xinhua-cn", "peoples-daily", "cns", "cctv-news", "china-net",
            "guangming", "thepaper", "sina-news", "sohu-news"]
AGENCY_EN = {"xinhua-en": "Xinhua", "reuters": "Reuters", "apnews": "AP"}
OUTLET = {"chinadaily": "China Daily", "cgtn": "CGTN", "globaltimes": "Global Times",
          "scmp": "SCMP", "straitstimes": "The Straits Times", "bbc-world": "BBC News",
          "guardian-world": "The Guardian", "aljazeera": "Al Jazeera",
          "dw-news": "DW", "abc-au": "ABC News", "xinhua-en": "Xinhua",
          "reuters": "Reuters", "apnews": "AP News"}
ZH_SITE = {"xinhua-cn": "新华网", "peoples-daily": "人民网", "cns": "中新网",
           "cctv-news": "央视网", "china-net": "中国网", "guangming": "光明网",
           "thepaper": "澎湃新闻", "sina-news": "新浪新闻", "sohu-news": "搜狐新闻"}
HOST = {f: f.replace("-", "") + ".example" for f in EN_FEEDS + ZH_FEEDS}

MONTHS = ["April"]

# ---- English building blocks ----
ACTORS = ["Chinese President Xi Jinping", "UN Secretary-General Antonio Guterres",
          "The European Central Bank", "Japan's Prime Minister", "The World Health Organization",
          "India's finance ministry", "Brazil's central bank", "The African Union",
          "Germany's chancellor", "Kenya's electoral commission", "The IMF",
          "Australia's defence minister", "South Korea's unification ministry",
          "Mexico's president", "The US Federal Reserve", "France's labour unions",
          "Egypt's foreign minister", "Indonesia's disaster agency", "Canada's wildfire service",
          "Pakistan's election authority", "The Philippine coast guard", "Thailand's tourism board",
          "Nigeria's oil regulator", "Turkey's statistics office", "Vietnam's trade ministry",
          "Argentina's economy minister", "Chile's copper producer Codelco",
          "The International Olympic Committee", "NASA", "The European Commission",
          "Singapore's housing board", "Russia's energy ministry", "Spain's firefighters",
          "Italy's coast guard", "Poland's farmers", "Saudi Aramco", "Norway's wealth fund",
          "The Bank of England", "Peru's mining chamber", "Malaysia's anti-graft agency"]
ACTIONS = ["announced a {n} billion dollar plan to expand {thing}",
           "warned that {thing} could fall by {n} percent this year",
           "signed an agreement on {thing} with neighbouring countries",
           "opened an investigation into {thing} after complaints from residents",
           "reported that {thing} rose {n} percent in the first quarter",
           "called for urgent talks on {thing} amid rising tensions",
           "approved new rules on {thing} that take effect next month",
           "said {n} people were evacuated as {thing} threatened coastal towns",
           "unveiled a strategy to cut emissions from {thing} by {n} percent",
           "rejected claims that {thing} had been mismanaged",
           "cut its forecast for {thing} citing weak demand",
           "launched a satellite to monitor {thing} over the next decade",
           "pledged aid worth {n} million dollars for {thing}",
           "suspended imports linked to {thing} pending safety checks",
           "held emergency meetings over {thing} late into the night"]
THINGS = ["rural railway lines", "offshore wind farms", "grain exports", "rare earth mining",
          "public hospital capacity", "semiconductor supply chains", "river flood defences",
          "electric vehicle charging networks", "fishing quotas", "university tuition fees",
          "copper output", "migrant worker visas", "coastal mangrove forests", "dairy prices",
          "cross-border payments", "high-speed rail links", "drought relief funds",
          "housing loans for first-time buyers", "space debris tracking", "cocoa harvests",
          "port congestion", "malaria vaccine supplies", "data privacy enforcement",
          "natural gas storage", "coral reef restoration", "steel tariffs",
          "youth unemployment", "wildfire prevention", "lithium refining", "water rationing"]
PLACES = ["BEIJING", "UNITED NATIONS", "TOKYO", "NEW DELHI", "BRUSSELS", "NAIROBI",
          "WASHINGTON", "LONDON", "CANBERRA", "SEOUL", "MEXICO CITY", "CAIRO", "JAKARTA",
          "OTTAWA", "ISLAMABAD", "MANILA", "BANGKOK", "ABUJA", "ANKARA", "HANOI",
          "BUENOS AIRES", "SANTIAGO", "GENEVA", "SINGAPORE", "MOSCOW", "MADRID", "ROME",
          "WARSAW", "RIYADH", "OSLO", "LIMA", "KUALA LUMPUR", "PARIS", "BERLIN", "BRASILIA"]
SECOND = ["Officials said the measures would be reviewed after {w} months.",
          "The decision follows {w} weeks of negotiations between ministries and industry groups.",
          "Analysts expect the move to affect prices across the region well into next year.",
          "Opposition lawmakers criticised the timing and demanded a parliamentary debate.",
          "Residents interviewed by local media welcomed the announcement but asked for details.",
          "The agency said further updates would be published on its website.",
          "Markets reacted calmly, with the main index closing slightly higher.",
          "It is the {o} such step taken this year, according to official records.",
          "Environmental groups said the plan did not go far enough to protect wildlife.",
          "Trade partners were informed in advance, a spokesperson told reporters."]
ORD = ["second", "third", "fourth", "fifth"]
HEAD_VERB = {"announced": "unveils", "warned": "warns", "signed": "signs",
             "opened": "opens", "reported": "reports", "called": "calls", "approved": "approves",
             "said": "says", "unveiled": "unveils", "rejected": "rejects", "cut": "cuts",
             "launched": "launches", "pledged": "pledges", "suspended": "suspends",
             "held": "holds"}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# ---- Chinese building blocks ----
ZH_ACTORS = ["国家发展改革委", "财政部", "商务部", "教育部", "生态环境部", "交通运输部",
             "农业农村部", "国家统计局", "中国人民银行", "国家卫生健康委", "应急管理部",
             "文化和旅游部", "工业和信息化部", "水利部", "国家能源局", "海关总署",
             "国家铁路局", "中国气象局", "国家林草局", "国家医保局", "住房和城乡建设部",
             "国家知识产权局", "国家邮政局", "民航局", "国家体育总局"]
ZH_ACTIONS = ["发布通知，要求各地加快推进{t}工作", "表示，今年将安排资金{n}亿元支持{t}",
              "召开新闻发布会，介绍{t}有关情况", "公布数据显示，一季度{t}同比增长{n}%",
              "印发实施方案，明确{t}的目标任务", "部署开展{t}专项行动，为期{n}个月",
              "宣布将在{n}个省份试点{t}", "启动应急响应，全力做好{t}",
              "联合多部门出台措施，进一步规范{t}", "表示将持续加大{t}的投入力度"]
ZH_THINGS = ["高标准农田建设", "新能源汽车下乡", "城市地下管网改造", "义务教育减负",
             "长江流域生态保护", "农村公路养护", "夏粮收购", "跨境电商发展",
             "中小企业融资", "老旧小区改造", "防汛抗旱", "森林草原防火", "文旅消费",
             "数字乡村建设", "5G网络覆盖", "冷链物流", "职业技能培训", "医保异地结算",
             "快递包装绿色转型", "航班正常率提升", "全民健身设施", "专利转化运用",
             "城乡供水一体化", "风电光伏基地", "铁路货运增量"]
ZH_CITIES = ["北京", "上海", "广州", "武汉", "成都", "西安", "南京", "杭州", "重庆", "天津",
             "长沙", "郑州", "济南", "沈阳", "昆明", "兰州", "福州", "合肥", "南宁", "拉萨"]
ZH_SECOND = ["有关负责人表示，下一步将加强督促指导，确保各项措施落到实处。",
             "据介绍，相关工作将在{n}月底前全面完成。",
             "专家认为，这一举措有利于稳定市场预期，促进经济持续回升向好。",
             "记者了解到，目前已有{n}个地区出台了配套政策。",
             "该负责人强调，要坚持问题导向，切实解决群众急难愁盼问题。",
             "业内人士指出，相关政策将为行业发展注入新动力。"]

rows = []          # (arrive, feed, guid, link, pub, title, summary, story)
guid_n = [0]


def new_guid(feed):
    guid_n[0] += 1
    return "%s-%05d" % (feed, guid_n[0])


def add(arrive, feed, guid, link, pub, title, summary, story):
    rows.append((int(arrive), feed, guid, link, pub if pub is None else int(pub),
                 title, summary, story))


def en_story(k):
    actor = R.choice(ACTORS)
    action = R.choice(ACTIONS).format(n=R.randint(2, 90), thing=R.choice(THINGS))
    day = R.choice(DAYS)
    second = R.choice(SECOND).format(w=R.randint(2, 9), o=R.choice(ORD))
    lead = "%s on %s %s. %s" % (actor, day, action, second)
    verb = action.split()[0]
    rest = " ".join(action.split()[1:])
    short_actor = actor.replace("The ", "").replace("'s", "")
    title = "%s %s %s" % (short_actor, HEAD_VERB.get(verb, verb), rest)
    title = title[0].upper() + title[1:]
    words = title.split()
    if len(words) > 12:
        title = " ".join(words[:12])
    alt = "%s: %s %s" % (R.choice(["Focus", "In brief", "World"]), rest.capitalize(),
                         "in focus as %s acts" % short_actor.split()[0])
    place = R.choice(PLACES)
    return title, lead, alt, place


def zh_story(k):
    actor = R.choice(ZH_ACTORS)
    thing = R.choice(ZH_THINGS)
    action = R.choice(ZH_ACTIONS).format(n=R.randint(2, 60), t=thing)
    second = R.choice(ZH_SECOND).format(n=R.randint(3, 12))
    lead = "%s%s%s。%s" % (actor, R.choice(["近日", "日前", "今天", "3日"]), action, second)
    title = "%s：%s" % (actor, action.split("，")[-1][:18])
    alt = "%s迎来新进展 %s出手" % (thing, actor[:4])
    city = R.choice(ZH_CITIES)
    return title, lead, alt, city


def en_dated(lead, place, agency, day):
    return "%s, April %d (%s) -- %s (%s)" % (place, 3 + day, agency, lead, agency)


def zh_dated(lead, city, day):
    return "新华社%s4月%d日电（记者 %s）%s（完）" % (city, 3 + day, R.choice(["王磊", "李娜", "张伟", "刘洋"]), lead)


def truncate(lead, zh):
    if zh:
        n = max(24, int(len(lead) * R.uniform(0.55, 0.8)))
        return lead[:n] + "……"
    w = lead.split()
    n = max(18, int(len(w) * R.uniform(0.55, 0.8)))
    return " ".join(w[:n]) + " ..."


def link_for(feed, slug, decorate=False):
    url = "https://www.%s/%s.html" % (HOST[feed], slug)
    if decorate:
        url += R.choice(["?utm_source=rss&utm_medium=feed", "?spm=a1.b2.c3&from=timeline",
                         "#comments", "?fbclid=IwAR0abc"])
    return url


def wire_story(k, zh, day):
    story = "S%03d" % k
    if zh:
        title, lead, alt, place = zh_story(k)
        origin, pool = "xinhua-cn", ZH_FEEDS[1:]
    else:
        title, lead, alt, place = en_story(k)
        origin = R.choice(list(AGENCY_EN))
        pool = [f for f in EN_FEEDS if f != origin]
    t0 = day * DAY + R.randint(0, DAY - 1)
    slug = "%d/%s" % (day, story.lower())
    agency = "新华社" if zh else AGENCY_EN[origin]
    first_lead = zh_dated(lead, place, day) if zh else en_dated(lead, place, agency, day)
    add(t0 + 300, origin, new_guid(origin), link_for(origin, slug), t0, title, first_lead, story)
    for feed in R.sample(pool, R.randint(1, 5)):
        kind = R.choice(["exact", "reheadline", "dateline", "truncate", "credit", "url",
                         "exact", "truncate"])
        delay = R.choice([600, 1800, 3600, 4 * 3600, 9 * 3600])
        g = new_guid(feed)
        link = link_for(feed, "%s-%s" % (slug, feed))
        t, l = title, lead
        if kind == "exact":
            l = first_lead
        elif kind == "reheadline":
            t = alt
        elif kind == "dateline":
            l = zh_dated(lead, place, day) if zh else en_dated(lead, place, agency, day)
        elif kind == "truncate":
            l = truncate(lead, zh)
        elif kind == "credit":
            t = (title + "_" + ZH_SITE[feed]) if zh else ("UPDATE 1-" + title + " - " + OUTLET[feed])
        elif kind == "url":
            # An aggregator: the agency's own link, decorated, no lead.
            link = link_for(origin, slug, decorate=True)
            t, l = (title + " | " + (ZH_SITE[feed] if zh else OUTLET[feed])), ""
        add(t0 + delay, feed, g, link, t0 + R.choice([0, 0, 60, delay // 2]), t, l, story)


def recurring(k0):
    """Recurring titles: every day, different content; never one story."""
    k = k0
    en = [("News summary", "Top stories today: {x}."), ("Weather forecast", "Weather for {c}: {x}."),
          ("Today in history", "On this day: {x}."), ("Markets wrap", "Markets today: {x}.")]
    zh = [("新闻联播摘要", "今日要闻：{x}。"), ("天气预报", "{c}天气：{x}。"), ("历史上的今天", "历史上的今天：{x}。")]
    for day in range(7):
        for feed in ["xinhua-en", "chinadaily", "cgtn"]:
            for title, tpl in en:
                _, lead, _, place = en_story(k)
                story = "R%03d" % k
                k += 1
                t = day * DAY + R.randint(0, DAY - 3600)
                add(t + 120, feed, new_guid(feed), link_for(feed, "daily/%d/%s" % (day, story.lower())), t,
                    title, tpl.format(x=lead, c=place.title()), story)
        for feed in ["xinhua-cn", "cns"]:
            for title, tpl in zh:
                _, lead, _, city = zh_story(k)
                story = "R%03d" % k
                k += 1
                t = day * DAY + R.randint(0, DAY - 3600)
                add(t + 120, feed, new_guid(feed), link_for(feed, "daily/%d/%s" % (day, story.lower())), t,
                    title, tpl.format(x=lead, c=city), story)
    return k


def short_texts(k0):
    """Very short texts with the same words in many feeds: never merged."""
    k = k0
    titles = ["Photos", "In pictures", "Video", "Quote of the day", "Live updates",
              "图片", "视频", "快讯", "Editorial", "Opinion"]
    for day in range(0, 7, 2):
        for title in titles:
            for feed in R.sample(EN_FEEDS + ZH_FEEDS, 2):
                story = "T%03d" % k
                k += 1
                t = day * DAY + R.randint(0, DAY - 1)
                add(t + 60, feed, new_guid(feed), link_for(feed, "short/%s" % story.lower()), t,
                    title, R.choice(["", title, "Watch", "点击查看"]), story)
    return k


def same_headline(k0):
    """The same headline on other days about other events."""
    k = k0
    for title in ["Strong earthquake strikes off Indonesian coast",
                  "Stocks close higher as investors weigh inflation data",
                  "Heavy rain triggers floods in southern provinces",
                  "Government announces new measures to boost consumption",
                  "国务院常务会议部署重点工作", "多地发布暴雨预警"]:
        for day in (0, 2, 4, 6):
            zh = title[0] > "\u3000"
            _, lead, _, place = zh_story(k) if zh else en_story(k)
            story = "H%03d" % k
            k += 1
            t = day * DAY + R.randint(0, DAY // 2)
            feeds = R.sample(ZH_FEEDS if zh else EN_FEEDS, 2)
            for i, feed in enumerate(feeds):  # two outlets carry each day's event
                add(t + 600 * (i + 1), feed, new_guid(feed),
                    link_for(feed, "%d/%s-%s" % (day, story.lower(), feed)), t,
                    title, lead, story)
    return k


def live_updates(k0):
    """A live-updated story (same guid, growing lead; copies of the update
    join it) and the next day's follow-up (a new story)."""
    k = k0
    for i in range(12):
        zh = i % 3 == 2
        title, lead, alt, place = zh_story(k) if zh else en_story(k)
        story = "L%03d" % k
        k += 1
        day = i % 6
        t = day * DAY + R.randint(0, DAY // 2)
        feed = "xinhua-cn" if zh else "reuters"
        g = new_guid(feed)
        link = link_for(feed, "live/%s" % story.lower())
        add(t + 60, feed, g, link, t, title, lead, story)
        more = ("最新消息：伤亡人数上升，救援工作仍在进行。" if zh else
                " Update: officials later said the figure had been revised and more details were expected.")
        upd_title = ("更新：" + title) if zh else ("UPDATE 2-" + title)
        add(t + 3 * 3600, feed, g, link, t, upd_title, lead + more, story)
        other = R.choice(ZH_FEEDS[1:] if zh else EN_FEEDS[3:])
        add(t + 4 * 3600, other, new_guid(other), link_for(other, "live/%s-%s" % (story.lower(), other)),
            t + 3 * 3600, upd_title, lead + more, story)
        # next day's follow-up: same subject, new lead, similar headline
        _, lead2, _, _ = zh_story(k) if zh else en_story(k)
        story2 = "F%03d" % k
        k += 1
        follow = ("%s：后续报道" % title[:10]) if zh else ("Follow-up: " + title)
        lead2 = ("一天后，" + lead2) if zh else ("A day after the announcement, " + lead2)
        add(t + DAY + 7200, feed, new_guid(feed), link_for(feed, "live/%s" % story2.lower()),
            t + DAY + 3600, follow, lead2, story2)
        add(t + DAY + 9000, other, new_guid(other), link_for(other, "live/%s" % story2.lower()),
            t + DAY + 3600, follow, lead2, story2)
    return k


k = 1
for day in range(7):
    for j in range(34):
        wire_story(k, j % 3 == 0, day)
        k += 1
k = recurring(1000)
k = short_texts(2000)
k = same_headline(3000)
k = live_updates(4000)

rows.sort(key=lambda r: (r[0], r[1], r[2]))
with open(__file__.rsplit("/", 1)[0] + "/items.tsv", "w", encoding="utf-8") as out:
    out.write("# arrive\tfeed\tguid\tlink\tpub\ttitle\tsummary\tstory\n")
    for r in rows:
        cells = [str(r[0]), r[1], r[2], r[3], "-" if r[4] is None else str(r[4]),
                 r[5], r[6], r[7]]
        assert not any("\t" in c or "\n" in c for c in cells)
        out.write("\t".join(cells) + "\n")
with open(__file__.rsplit("/", 1)[0] + "/feeds.tsv", "w", encoding="utf-8") as out:
    out.write("# feed\ttitle\tlanguage\tpriority\n")
    for f in EN_FEEDS:
        out.write("%s\t%s\ten\t%d\n" % (f, OUTLET[f], 10 if f in AGENCY_EN else 0))
    for f in ZH_FEEDS:
        out.write("%s\t%s\tzh\t%d\n" % (f, ZH_SITE[f], 10 if f == "xinhua-cn" else 0))
