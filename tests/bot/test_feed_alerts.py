"""Feed failure alerts on a fake clock: after 24 hours, at most once a day, one recovery line."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.app import Overrides, open_bot
from bot.clock import FakeClock
from bot.config import load_settings
from bot.delivery.alerts import AlertOptions
from bot.delivery.scheduler import Scheduler, SchedulerOptions
from bot.domain import DestinationRecord, DigestKind
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.ports import FeedError
from bot.render.blocks import render_digest_blocks
from bot.render.embeds import render_digest_embeds
from bot.render.text import render_digest
from bot.render.titles import error_words
from bot.store.port import Store
from summaries import Analyzer
from tests.support.samples import MARKET_A, entry
from tests.support.stack import Stack, build

FEED = "https://lindmoor-post.example/feed.xml"
STEP = timedelta(minutes=30)


@pytest.fixture
def stack(
    store: Store,
    analyzer: Analyzer,
    source: MemoryFeedSource,
    clock: FakeClock,
    publisher: FakePublisher,
) -> Stack:
    """The bot on each store (memory, SQLite, and Postgres when configured)."""
    return build(store, source, analyzer, clock, publisher)


async def failing_feed(stack: Stack, source: MemoryFeedSource) -> tuple[DestinationRecord, int]:
    """A channel following a feed that worked once (now) and fails from here on."""
    source.put(FEED, [entry("old-news", MARKET_A, stack.engine.now())])
    record = await stack.channel()
    subscribed = await stack.engine.subscribe_feed(record, FEED)
    source.failures[FEED] = FeedError(FEED, "HTTP 503")
    return record, subscribed.subscription.id


async def notices_until(
    scheduler: Scheduler, clock: FakeClock, until: datetime, step: timedelta = STEP
) -> list[str]:
    """Tick every `step` up to `until` (inclusive); the keys of the notices posted."""
    keys: list[str] = []
    while clock.now() + step <= until:
        clock.advance(step)
        report = await scheduler.tick()
        kinds = {DigestKind.ALERT, DigestKind.RECOVERED}
        keys += [post.key for post in report.posts if post.kind in kinds]
    return keys


@pytest.mark.asyncio
async def test_a_day_of_failure_alerts_once_a_day_then_one_line_on_recovery(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    start = clock.now()
    record, sub_id = await failing_feed(stack, source)
    feed_id = (await stack.engine.subscriptions(record))[0].feed.id  # type: ignore[union-attr]
    # 1. 23 hours of failure: nothing yet
    assert await notices_until(stack.scheduler, clock, start + timedelta(hours=23)) == []
    # 2. 24 hours: one alert, naming the subscription in its /unsubscribe hint
    day1 = f"alert:{record.id}:{feed_id}:{start + timedelta(hours=24):%Y-%m-%d}"
    assert await notices_until(stack.scheduler, clock, start + timedelta(hours=24)) == [day1]
    text = render_digest(publisher.posts[day1][1])
    assert text == (
        f"Feed {FEED} has failed for 24 hours (HTTP 503: the site answered with a server error)."
        f" It will keep trying; /unsubscribe {sub_id} stops it."
    )
    # 3. the rest of that day (and the next morning, under 24 hours since): nothing more
    assert await notices_until(stack.scheduler, clock, start + timedelta(hours=47)) == []
    # 4. the next day: one more
    day2 = f"alert:{record.id}:{feed_id}:{start + timedelta(hours=48):%Y-%m-%d}"
    assert await notices_until(stack.scheduler, clock, start + timedelta(hours=60)) == [day2]
    assert "has failed for 48 hours" in render_digest(publisher.posts[day2][1])
    # 5. it works again: one line once its next poll succeeds, then silence
    del source.failures[FEED]
    later = start + timedelta(hours=80)
    assert await notices_until(stack.scheduler, clock, later) == [f"recovered:{day2}"]
    assert render_digest(publisher.posts[f"recovered:{day2}"][1]) == f"Feed {FEED} works again."


@pytest.mark.asyncio
async def test_switched_off_no_alert_and_no_recovery_line(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    start = clock.now()
    await failing_feed(stack, source)
    quiet = SchedulerOptions(alerts=AlertOptions(enabled=False))
    scheduler = Scheduler(stack.engine, stack.deliverer, clock, quiet)
    assert await notices_until(scheduler, clock, start + timedelta(hours=72)) == []
    del source.failures[FEED]
    assert await notices_until(scheduler, clock, start + timedelta(hours=80)) == []
    assert not [key for key in publisher.posts if key.startswith(("alert:", "recovered:"))]


@pytest.mark.asyncio
async def test_a_restarted_scheduler_does_not_alert_twice_the_same_day(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    start = clock.now()
    await failing_feed(stack, source)
    assert len(await notices_until(stack.scheduler, clock, start + timedelta(hours=25))) == 1
    restarted = Scheduler(stack.engine, stack.deliverer, clock, stack.scheduler.options)
    assert await notices_until(restarted, clock, start + timedelta(hours=30)) == []
    assert len([key for key in publisher.attempts if key.startswith("alert:")]) == 1


@pytest.mark.asyncio
async def test_a_pending_alert_left_by_a_crash_is_rebuilt_and_posted(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    start = clock.now()
    record, sub_id = await failing_feed(stack, source)
    await notices_until(stack.scheduler, clock, start + timedelta(hours=23))
    clock.set(start + timedelta(hours=24))
    feed_id = (await stack.engine.subscriptions(record))[0].feed.id  # type: ignore[union-attr]
    key = f"alert:{record.id}:{feed_id}:{clock.now():%Y-%m-%d}"
    await stack.store.reserve_post(record.id, key, DigestKind.ALERT, (), now=clock.now())
    restarted = Scheduler(stack.engine, stack.deliverer, clock, stack.scheduler.options)
    report = await restarted.tick()
    assert [post.key for post in report.republished] == [key]
    assert f"/unsubscribe {sub_id} stops it" in render_digest(publisher.posts[key][1])
    assert not [post for post in report.posts if post.kind is DigestKind.ALERT]


@pytest.mark.asyncio
async def test_the_scaled_delivery_task_posts_alerts_too(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    start = clock.now()
    record, _ = await failing_feed(stack, source)
    await notices_until(stack.scheduler, clock, start + timedelta(hours=23))
    clock.set(start + timedelta(hours=24))
    posts = await stack.scheduler.deliver(record)
    assert [post.kind for post in posts] == [DigestKind.ALERT]
    assert await stack.scheduler.deliver(record) == []


@pytest.mark.asyncio
async def test_one_failed_poll_after_a_long_silence_does_not_alert_at_once(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    start = clock.now()
    await failing_feed(stack, source)
    clock.set(start + timedelta(hours=30))  # the bot was down; its first poll back fails
    report = await stack.scheduler.tick()
    assert [post for post in report.posts if post.kind is DigestKind.ALERT] == []
    assert len(await notices_until(stack.scheduler, clock, start + timedelta(hours=40))) == 1


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("HTTP 503", "HTTP 503: the site answered with a server error"),
        ("HTTP 503; retry after 60 s", "HTTP 503: the site answered with a server error"),
        ("HTTP 404", "HTTP 404: the site says there is no feed at that address"),
        ("HTTP 418", "HTTP 418: the site refused"),
        ("timed out", "timed out"),
        (None, "no reason given"),
    ],
)
def test_error_reasons_in_plain_words(reason: str | None, words: str) -> None:
    assert error_words(reason) == words


@pytest.mark.asyncio
async def test_an_alert_is_one_short_message_on_slack_and_discord(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    start = clock.now()
    await failing_feed(stack, source)
    [key] = await notices_until(stack.scheduler, clock, start + timedelta(hours=24))
    digest = publisher.posts[key][1]
    [slack] = render_digest_blocks(digest)
    assert len(slack["blocks"]) == 1
    assert "/unsubscribe" in slack["blocks"][0]["text"]["text"]
    [discord] = render_digest_embeds(digest)
    assert discord["embeds"] == []
    assert "has failed for 24 hours" in discord["content"]


@pytest.mark.asyncio
@pytest.mark.parametrize(("value", "enabled"), [("false", False), ("true", True)])
async def test_newsdigest_feed_alerts_reaches_the_scheduler(
    tmp_path: Path,
    analyzer: Analyzer,
    monkeypatch: pytest.MonkeyPatch,
    value: str,
    enabled: bool,
) -> None:
    monkeypatch.setenv("NEWSDIGEST_FEED_ALERTS", value)
    monkeypatch.setenv("NEWSDIGEST_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    publisher = FakePublisher()
    async with open_bot(load_settings(), publisher, Overrides(summariser=analyzer)) as bot:
        assert bot.scheduler.options.alerts.enabled is enabled
