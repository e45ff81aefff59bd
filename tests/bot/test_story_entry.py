"""A story told by several outlets is one digest entry: every outlet's link, the best title."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain import Article, DigestKind, Heading, Story
from bot.news.clustering import terms_of
from bot.news.digests import ComposeOptions, compose_digest, story_entry
from tests.support.samples import BRIDGE_A, BRIDGE_B, CHOIR_A

WHEN = datetime(2024, 2, 5, 9, 0, tzinfo=UTC)


def article(outlet: str, title: str, text: str, story_id: int) -> Article:
    return Article(
        url=f"https://{outlet}/{story_id}",
        title=title,
        source=outlet,
        published=WHEN,
        ingested_at=WHEN,
        content_hash=outlet,
        summary=(text.split(". ")[0] + ".",),
        terms=terms_of(f"{title}\n{text}"),
        story_id=story_id,
    )


def bridge_story() -> Story:
    return Story(
        1,
        (
            # the most central text (both reports) under a title that says nothing
            article("teaser.example", "You won't believe this", f"{BRIDGE_A} {BRIDGE_B}", 1),
            article(
                "post.example", "Esker River swing bridge shut after girders crack", BRIDGE_B, 1
            ),
            article("daily.example", "Bridge closed", BRIDGE_B.replace("Monday", "Tuesday"), 1),
        ),
    )


def test_a_merged_story_is_one_entry_with_every_outlets_link() -> None:
    choir = Story(2, (article("choir.example", "Halden choir wins", CHOIR_A, 2),))
    digest = compose_digest(
        [bridge_story(), choir],
        kind=DigestKind.ON_DEMAND,
        heading=Heading(),
        since=WHEN,
        until=WHEN,
        limit=10,
    )
    assert [entry.story_id for entry in digest.entries] == [1, 2]
    bridge = digest.entries[0]
    assert bridge.covered_by == 3
    assert {link.outlet for link in bridge.sources} == {
        "teaser.example",
        "post.example",
        "daily.example",
    }


def test_the_story_is_named_by_its_most_informative_title() -> None:
    entry = story_entry(bridge_story(), ComposeOptions())
    assert entry.headline == "Esker River swing bridge shut after girders crack"


def test_a_story_without_titles_is_named_by_its_summary() -> None:
    untitled = Article(
        url="https://x.example/1",
        title=None,
        source="x.example",
        published=WHEN,
        ingested_at=WHEN,
        content_hash="x",
        summary=("The bridge is shut.",),
    )
    assert story_entry(Story(3, (untitled,)), ComposeOptions()).headline == "The bridge is shut."
