"""Feed polls with the real analyzer: backfill, dedupe, conditional GET, failures, page reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.fakes import MemoryFeedSource
from bot.news.ingest import Ingestor
from bot.observability.metrics import Metrics, TimedSummariser
from bot.ports import ArticleBody, FeedEntry, FeedError
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.support.samples import BRIDGE_A, BRIDGE_B, CHOIR_A, entry, later

pytestmark = pytest.mark.asyncio

FEED = "https://lindmoor-post.example/feed.xml"


@pytest.fixture
def ingestor(source: MemoryFeedSource, analyzer: Analyzer, clock: FakeClock) -> Ingestor:
    return Ingestor(MemoryStore(), source, analyzer, clock)


async def test_first_poll_is_backfill_later_ones_are_news(
    ingestor: Ingestor, source: MemoryFeedSource, clock: FakeClock
) -> None:
    bridge = entry("bridge-closed", BRIDGE_A, clock.now())
    source.put(FEED, [bridge], title="Lindmoor Post")
    feed = await ingestor.store.ensure_feed(FEED, timedelta(minutes=15), clock.now())
    first = await ingestor.poll(feed)
    assert [a.backfill for a in first.articles] == [True]
    stored = first.articles[0]
    assert stored.summary and stored.summary[0].startswith("The old swing bridge")
    assert "Hanna Vogt" in {actor.name for actor in stored.actors}
    assert stored.source == "lindmoor-post.example"
    assert first.feed.title == "Lindmoor Post" and first.feed.last_success_at == clock.now()
    clock.advance(timedelta(minutes=20))
    choir = entry("choir-wins", CHOIR_A, clock.now())
    source.put(FEED, [bridge, choir])
    second = await ingestor.poll(first.feed)
    assert [(a.url, a.backfill) for a in second.articles] == [(choir.url, False)]
    assert second.feed.articles == 2


async def test_unchanged_feed_answers_not_modified_and_stores_nothing(
    ingestor: Ingestor, source: MemoryFeedSource, clock: FakeClock
) -> None:
    source.put(FEED, [entry("bridge-closed", BRIDGE_A, clock.now())])
    feed = await ingestor.store.ensure_feed(FEED, timedelta(minutes=15), clock.now())
    first = await ingestor.poll(feed)
    again = await ingestor.poll(first.feed)
    assert again.articles == () and again.error is None
    assert again.feed.etag == first.feed.etag


async def test_same_item_under_a_new_link_or_guid_is_not_stored_twice(
    ingestor: Ingestor, source: MemoryFeedSource, clock: FakeClock
) -> None:
    original = entry("bridge-closed", BRIDGE_A, clock.now())
    source.put(FEED, [original])
    feed = (
        await ingestor.poll(await ingestor.store.ensure_feed(FEED, timedelta(0), clock.now()))
    ).feed
    moved = replace(original, url=original.url + "?utm_source=x", guid="other-guid")
    same_guid = replace(original, url="https://lindmoor-post.example/renamed", content=BRIDGE_B)
    source.put(FEED, [moved, same_guid])
    assert (await ingestor.poll(feed)).articles == ()


async def test_a_failing_feed_records_its_health_and_backs_off(
    ingestor: Ingestor, source: MemoryFeedSource, clock: FakeClock
) -> None:
    source.failures[FEED] = FeedError(FEED, "HTTP 503")
    feed = await ingestor.store.ensure_feed(FEED, timedelta(minutes=15), clock.now())
    first = await ingestor.poll(feed)
    second = await ingestor.poll(first.feed)
    assert first.error == "HTTP 503" and not first.permanent
    assert second.feed.errors == 2 and second.feed.last_error == "HTTP 503"
    assert second.feed.next_poll_at == clock.now() + timedelta(minutes=60)
    del source.failures[FEED]
    source.put(FEED, [entry("bridge-closed", BRIDGE_A, clock.now())])
    healed = await ingestor.poll(second.feed)
    assert healed.feed.errors == 0 and healed.feed.last_error is None


async def test_retry_after_is_honoured_when_longer_than_the_backoff(
    ingestor: Ingestor, source: MemoryFeedSource, clock: FakeClock
) -> None:
    source.failures[FEED] = FeedError(FEED, "HTTP 429; retry after 7200 s", retry_after=7200)
    feed = await ingestor.store.ensure_feed(FEED, timedelta(minutes=15), clock.now())
    throttled = await ingestor.poll(feed)
    assert throttled.feed.next_poll_at == clock.now() + timedelta(hours=2)
    source.failures[FEED] = FeedError(FEED, "HTTP 503; retry after 1 s", retry_after=1)
    again = await ingestor.poll(throttled.feed)
    assert again.feed.next_poll_at == clock.now() + timedelta(minutes=60)  # backoff is longer


async def test_a_short_item_is_read_from_its_page_and_a_bad_page_falls_back(
    ingestor: Ingestor, source: MemoryFeedSource, clock: FakeClock
) -> None:
    teaser = FeedEntry(
        url="https://lindmoor-post.example/bridge",
        title="Bridge closed",
        published=clock.now(),
        summary="<p>Cracks found in girders.</p>",
    )
    unreadable = replace(teaser, url="https://lindmoor-post.example/gone", guid="gone")
    page = f"<html><body><article><h1>Bridge closed</h1><p>{BRIDGE_A}</p></article></body></html>"
    source.pages[teaser.url] = ArticleBody(html=page)
    source.put(FEED, [teaser, unreadable])
    feed = await ingestor.store.ensure_feed(FEED, timedelta(0), clock.now())
    articles = {a.url: a for a in (await ingestor.poll(feed)).articles}
    assert "Esker River" in articles[teaser.url].text
    assert articles[teaser.url].summary
    assert articles[unreadable.url].text == "Cracks found in girders."
    assert articles[unreadable.url].excerpt_only and not articles[teaser.url].excerpt_only


async def test_a_page_that_says_less_than_the_feed_loses_to_the_excerpt(
    ingestor: Ingestor, source: MemoryFeedSource, clock: FakeClock
) -> None:
    excerpt = (
        "<p>The town council closed the Esker River bridge on Monday after engineers found cracks "
        "in two of its steel girders, and said repairs would take at least six weeks.</p>"
    )
    item = FeedEntry(
        url="https://lindmoor-post.example/paywalled",
        title="Bridge closed",
        published=clock.now(),
        summary=excerpt,
    )
    wall = "<html><body><article><h1>Bridge closed</h1><p>Subscribe to read on.</p></article>"
    source.pages[item.url] = ArticleBody(html=wall)
    source.put(FEED, [item])
    feed = await ingestor.store.ensure_feed(FEED, timedelta(0), clock.now())
    (article,) = (await ingestor.poll(feed)).articles
    assert article.text.startswith("The town council closed the Esker River bridge")
    assert article.excerpt_only and "Subscribe" not in article.text


async def test_the_page_canonical_url_names_the_article_and_dedupes_it(
    ingestor: Ingestor, source: MemoryFeedSource, clock: FakeClock
) -> None:
    amp = FeedEntry(url="https://lindmoor-post.example/amp/bridge", title="Bridge closed")
    page = f"<html><body><article><h1>Bridge closed</h1><p>{BRIDGE_A}</p></article></body></html>"
    canonical = "https://lindmoor-post.example/news/bridge"
    source.pages[amp.url] = ArticleBody(html=page, canonical_url=canonical)
    source.put(FEED, [amp])
    feed = await ingestor.store.ensure_feed(FEED, timedelta(0), clock.now())
    (article,) = (await ingestor.poll(feed)).articles
    assert article.url == canonical
    mobile = replace(amp, url="https://m.lindmoor-post.example/bridge", guid="m-bridge")
    source.pages[mobile.url] = ArticleBody(html=page + " ", canonical_url=canonical)
    source.put(FEED, [amp, mobile])
    again = await ingestor.poll((await ingestor.store.feed(feed.id)) or feed)
    assert again.articles == ()  # the same article under another link is not news twice


async def test_two_outlets_reporting_one_event_make_one_story(
    ingestor: Ingestor, source: MemoryFeedSource, clock: FakeClock
) -> None:
    other = "https://harbour-times.example/rss"
    source.put(FEED, [entry("bridge-closed", BRIDGE_A, clock.now())])
    source.put(
        other, [entry("bridge", BRIDGE_B, later(clock.now(), 2), host="harbour-times.example")]
    )
    source.put(FEED + "?2", [entry("choir", CHOIR_A, clock.now())])
    story_ids = []
    for url in (FEED, other, FEED + "?2"):
        feed = await ingestor.store.ensure_feed(url, timedelta(0), clock.now())
        story_ids += [a.story_id for a in (await ingestor.poll(feed)).articles]
    assert story_ids[0] == story_ids[1] != story_ids[2]


class BrokenAnalyzer:
    """An NLP core with a bug on one article (like a StopIteration deep inside)."""

    def __init__(self, real: Analyzer) -> None:
        self.real = real

    def analyze(self, **kwargs: object) -> object:
        if "Halden" in str(kwargs.get("text")):
            raise StopIteration
        return self.real.analyze(**kwargs)  # type: ignore[arg-type]


async def test_an_analyzer_bug_costs_one_summary_not_the_poll(
    source: MemoryFeedSource, analyzer: Analyzer, clock: FakeClock
) -> None:
    metrics = Metrics()
    broken = TimedSummariser(BrokenAnalyzer(analyzer), metrics)  # type: ignore[arg-type]
    ingestor = Ingestor(MemoryStore(), source, broken, clock)
    source.put(FEED, [entry("choir", CHOIR_A, clock.now()), entry("bridge", BRIDGE_A, clock.now())])
    feed = await ingestor.store.ensure_feed(FEED, timedelta(0), clock.now())
    result = await ingestor.poll(feed)
    articles = {a.url.rsplit("/", 1)[1]: a for a in result.articles}
    assert result.error is None and articles["bridge"].summary
    # the broken one still reaches its channels: the feed's own words, never headline-only
    choir = articles["choir"]
    assert choir.summary and choir.summary[0].startswith("The Halden Youth Choir won")
    assert all(sentence in CHOIR_A for sentence in choir.summary) and choir.excerpt_only
    assert choir.title == "Choir" and choir.actors == ()
    assert metrics.articles_analysed.labels(outcome="error")._value.get() == 1
    assert metrics.articles_analysed.labels(outcome="ok")._value.get() == 1


async def test_an_unsupported_language_shows_the_feed_excerpt_and_is_no_error(
    source: MemoryFeedSource, analyzer: Analyzer, clock: FakeClock
) -> None:
    metrics = Metrics()
    ingestor = Ingestor(MemoryStore(), source, TimedSummariser(analyzer, metrics), clock)
    russian = "Городской совет во вторник проголосовал за закрытие старого моста на ремонт. " * 6
    source.put(FEED, [entry("most", russian, clock.now())])
    feed = await ingestor.store.ensure_feed(FEED, timedelta(0), clock.now())
    (article,) = (await ingestor.poll(feed)).articles
    assert article.excerpt_only and article.summary
    assert article.summary[0].startswith("Городской совет во вторник")
    assert metrics.articles_analysed.labels(outcome="refused")._value.get() == 1
    assert metrics.articles_analysed.labels(outcome="error")._value.get() == 0


async def test_a_french_article_is_summarised_like_any_other(
    ingestor: Ingestor, source: MemoryFeedSource, clock: FakeClock
) -> None:
    french = (
        "Le conseil municipal a voté mardi soir la fermeture du vieux pont pour des travaux. "
        "Les piétons traverseront la rivière en bac pendant toute la durée du chantier. "
        "La maire a promis que le pont rouvrirait avant l'été, après le remplacement des câbles. "
        "Les commerçants du quartier craignent une baisse de leur clientèle pendant les travaux. "
        "Une réunion publique est prévue jeudi à la mairie pour présenter le calendrier."
    )
    source.put(FEED, [entry("pont", french, clock.now())])
    feed = await ingestor.store.ensure_feed(FEED, timedelta(0), clock.now())
    (article,) = (await ingestor.poll(feed)).articles
    assert not article.excerpt_only
    assert article.summary[0].startswith("Le conseil municipal a voté mardi soir")


async def test_a_short_item_takes_its_feed_declared_language(
    ingestor: Ingestor, source: MemoryFeedSource, clock: FakeClock
) -> None:
    short = "Le pont rouvre samedi après deux ans de travaux."  # too short to tell its language
    item = replace(entry("pont", short, clock.now()), language="fr-FR")
    digest = await ingestor.digest_article(item, ArticleBody(text=short))
    assert digest is not None and digest.language == "fr"
    english = await ingestor.digest_article(entry("x", short, clock.now()), ArticleBody(text=short))
    assert english is not None and english.language == "en"
