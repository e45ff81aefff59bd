"""The retention benchmark's rows, written straight into SQLite in the store's own format.

A day of 1,000 feeds is 20,000 articles; one Store transaction each (the ingestion path) would take
hours over 90 days, so the rows are made here, from `codec`'s columns of analysed articles, and
inserted in bulk, one transaction a day.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.domain import (
    Article,
    DestinationRecord,
    DestinationSettings,
    DigestKind,
    DigestMode,
    Platform,
    PostState,
    SubscriptionKind,
)
from bot.store import codec
from bot.store.sql import SqlStore
from summaries import Actor, ActorKind, DateMention

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "examples" / "iraq-us-troops.txt").read_text(encoding="utf-8")
START = datetime(2024, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
TEXT_CHARS = 3000
SHARED = 4  # the first articles of a day of feeds 2k and 2k+1 are one story (two outlets)


@dataclass
class Ids:
    """The next row ids: this process is the database's only writer."""

    per_day: int
    story: int = 1
    article: int = 1
    post: int = 1

    def take(self, name: str) -> int:
        """The next id of a table, used up."""
        value = int(getattr(self, name))
        setattr(self, name, value + 1)
        return value


@dataclass
class World:
    """Feeds and channels as stored, and which channels follow which feed."""

    feeds: list[int]
    channels: list[DestinationRecord]
    followers: dict[int, list[int]] = field(default_factory=dict)


def sample_article(feed_id: int, day: int, item: int, moment: datetime) -> Article:
    """An analysed article of realistic size (text cut at TEXT_CHARS, as ingestion cuts)."""
    offset = (feed_id * 131 + day * 17 + item * 7) % (len(SEED) - TEXT_CHARS)
    text = f"Report {feed_id}-{day}-{item}. " + SEED[offset : offset + TEXT_CHARS]
    words = [word.strip(".,\"'").lower() for word in text.split()[:400] if len(word) > 4]
    terms = {word: 1 + index % 4 for index, word in enumerate(words[:60])}
    url = f"https://outlet-{feed_id}.example/{day}/{item}"
    return Article(
        url=url,
        title=f"Headline {feed_id}-{day}-{item}: {text[40:110]}",
        source=f"outlet-{feed_id}.example",
        published=moment - timedelta(hours=1),
        ingested_at=moment,
        content_hash=f"{feed_id:08x}{day:08x}{item:08x}",
        summary=tuple(sentence.strip() + "." for sentence in text.split(". ")[1:4]),
        actors=(
            Actor("Robert Gates", ActorKind.PERSON, 4, ("Gates",), "defense secretary"),
            Actor("Pentagon", ActorKind.ORGANIZATION, 2, (), None),
        ),
        dates=(DateMention("Monday", "2024-01-01", 10, 16),),
        terms=terms,
        lead_terms=dict(list(terms.items())[:12]),
        text=text,
        feed_id=feed_id,
        guid=url,
    )


def templates(count: int = 32) -> list[dict[str, Any]]:
    """Analysed article rows to vary (made once: building each row anew would dominate)."""
    made = []
    for number in range(count):
        columns = codec.article_columns(sample_article(number, 0, number, START), 0)
        made.append({name: stored_value(value) for name, value in columns.items()})
    return made


def stored_value(value: Any) -> Any:
    """A column value as SQLAlchemy stores it in SQLite (naive UTC text, JSON text, 0/1)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, dict | list):
        return json.dumps(value)
    return int(value) if isinstance(value, bool) else value


def bulk(
    connection: sqlite3.Connection, table: str, rows: list[dict[str, Any]], ready: bool = False
) -> None:
    """INSERT many rows of one shape (`ready`: their values are already as stored)."""
    if not rows:
        return
    names = list(rows[0])
    statement = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    if ready:
        connection.executemany(statement, ([row[n] for n in names] for row in rows))
    else:
        connection.executemany(statement, ([stored_value(row[n]) for n in names] for row in rows))


def day_rows(
    world: World, day: int, per_day: int, ids: Ids, shapes: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[int, list[int]]]:
    """One day's story and article rows, and each feed's stories of the day."""
    stories: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    by_feed: dict[int, list[int]] = defaultdict(list)
    shared: dict[tuple[int, int], int] = {}
    for item in range(per_day):
        moment = stored_value(START + day * DAY + item * (DAY / per_day))
        published = stored_value(START + day * DAY + item * (DAY / per_day) - timedelta(hours=1))
        for index, feed_id in enumerate(world.feeds):
            pair = (index // 2, item)
            story = shared.get(pair) if item < SHARED else None
            if story is None:
                story = ids.take("story")
                stories.append({"id": story, "first_seen": moment})  # already as stored
                shared[pair] = story
            by_feed[feed_id].append(story)
            row = _article(shapes, feed_id, day, item, story, ids)
            articles.append({**row, "ingested_at": moment, "published": published})
    return stories, articles, by_feed


def _article(
    shapes: list[dict[str, Any]],
    feed_id: int,
    day: int,
    item: int,
    story: int,
    ids: Ids,
) -> dict[str, Any]:
    shape = shapes[(feed_id + day + item) % len(shapes)]
    url = f"https://outlet-{feed_id}.example/{day}/{item}"
    return {
        **shape,
        "id": ids.take("article"),
        "story_id": story,
        "feed_id": feed_id,
        "url": url,
        "guid": url,
        "title": f"Headline {feed_id}-{day}-{item}: {shape['title'][20:90]}",
        "source": f"outlet-{feed_id}.example",
        "content_hash": f"{feed_id:08x}{day:08x}{item:08x}",
        "text": f"Report {feed_id}-{day}-{item}. {shape['text']}",
    }


def post_rows(
    world: World, day: int, by_feed: dict[int, list[int]], ids: Ids
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each channel's post of its feeds' stories of the day, and its skipped daily slot."""
    end = START + (day + 1) * DAY - timedelta(minutes=1)
    slot = START + day * DAY + timedelta(hours=9)
    posts: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    for record in world.channels:
        stories = sorted({s for f in world.followers[record.id] for s in by_feed.get(f, [])})
        live = ids.take("post")
        posts.append(_post(live, record.id, f"burst:{record.id}:{day}", stories, end, None))
        skipped = _post(ids.take("post"), record.id, f"digest:{record.id}:{day}", [], slot, slot)
        posts.append({**skipped, "state": PostState.SKIPPED.value})
        deliveries += [
            {"destination_id": record.id, "story_id": s, "post_id": live} for s in stories
        ]
    return posts, deliveries


def _post(
    post_id: int, destination: int, key: str, stories: list[int], at: datetime, slot: Any
) -> dict[str, Any]:
    return dict(
        id=post_id,
        destination_id=destination,
        key=key,
        kind=DigestKind.BURST.value,
        state=PostState.SENT.value,
        story_ids=stories,
        slot=slot,
        created_at=at,
        sent_at=at,
    )


async def setup(path: Path, store: SqlStore, feeds: int, channels: int, follows: int) -> World:
    """The feeds, and live-mode channels each following `follows` neighbouring feeds."""
    live = codec.settings_columns(DestinationSettings(mode=DigestMode.LIVE))
    feed_rows = [_feed(number) for number in range(1, feeds + 1)]
    places, subscriptions, followers = [], [], {}
    for number in range(1, channels + 1):
        where = dict(
            platform=Platform.SLACK.value, workspace=f"T{number // 10}", channel=f"C{number}"
        )
        places.append(
            {**where, **live, "id": number, "created_at": START, "settings_changed_at": START}
        )
        followers[number] = [1 + (number * 7 + k) % feeds for k in range(min(follows, feeds))]
        subscriptions += [_subscription(number, feed_rows[f - 1]) for f in followers[number]]
    with closing(sqlite3.connect(path)) as connection, connection:
        bulk(connection, "feeds", feed_rows)
        bulk(connection, "destinations", places)
        bulk(connection, "subscriptions", subscriptions)
    return World([row["id"] for row in feed_rows], await store.destinations(), followers)


def _feed(number: int) -> dict[str, Any]:
    return dict(
        id=number,
        url=f"https://outlet-{number}.example/feed",
        interval_s=900,
        next_poll_at=START,
        errors=0,
        articles=0,
    )


def _subscription(destination: int, feed: dict[str, Any]) -> dict[str, Any]:
    return dict(
        destination_id=destination,
        kind=SubscriptionKind.FEED.value,
        target=feed["url"],
        feed_id=feed["id"],
        created_at=START,
    )


def insert_day(
    path: Path, world: World, day: int, ids: Ids, shapes: list[dict[str, Any]], final: bool
) -> None:
    """One simulated day's rows in one transaction.

    On the final day each feed's last story is not delivered yet: the live tick finds it.
    """
    stories, articles, by_feed = day_rows(world, day, ids.per_day, ids, shapes)
    if final:
        by_feed = {feed: found[:-1] for feed, found in by_feed.items()}
    connection = sqlite3.connect(path)
    try:
        # a bigger page cache than the default 2 MB for this bulk writer alone: the unique link
        # index takes a day's links in feed-interleaved order
        connection.execute("PRAGMA cache_size=-262144")
        with connection:
            bulk(connection, "stories", stories, ready=True)
            bulk(connection, "articles", articles, ready=True)
            posts, deliveries = post_rows(world, day, by_feed, ids)
            bulk(connection, "posts", posts)
            bulk(connection, "deliveries", deliveries, ready=True)
    finally:
        connection.close()


def file_figures(path: Path) -> tuple[int, int, int]:
    """The file's size, page count and free pages."""
    with closing(sqlite3.connect(path)) as connection, connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        free = connection.execute("PRAGMA freelist_count").fetchone()[0]
    return path.stat().st_size, int(pages), int(free)


def row_counts(path: Path) -> list[int]:
    """Articles, stories, posts and deliveries stored."""
    with closing(sqlite3.connect(path)) as connection, connection:
        tables = ("articles", "stories", "posts", "deliveries")
        return [connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]
