"""Store contract (memory, SQLite, Postgres): a scheduler tick's reads of every destination at once.

Each batched read must answer what its per-destination read answers, destination by destination.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import Destination, DestinationSettings, DigestKind, Platform, PostState
from bot.store.port import Store
from tests.bot.test_store_contract import article

pytestmark = pytest.mark.asyncio

NOW = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)
HERE = Destination(Platform.SLACK, "T1", "C1")
THERE = Destination(Platform.DISCORD, "G1", "C9")
QUIET = Destination(Platform.SLACK, "T1", "C2")


async def _three(store: Store) -> tuple[int, int, int]:
    made = [await store.ensure_destination(d, DestinationSettings(), NOW) for d in (HERE, THERE)]
    quiet = await store.ensure_destination(QUIET, DestinationSettings(), NOW)
    return made[0].id, made[1].id, quiet.id


async def test_last_posts_at_is_last_post_at_of_every_destination(store: Store) -> None:
    here, there, quiet = await _three(store)
    assert await store.last_posts_at() == {}
    await store.reserve_post(here, "s", DigestKind.SCHEDULED, [], now=NOW, state=PostState.SKIPPED)
    sent = await store.reserve_post(here, "l1", DigestKind.LIVE, [], now=NOW + HOUR)
    await store.mark_post(sent.id, PostState.SENT, NOW + HOUR)
    failed = await store.reserve_post(here, "l2", DigestKind.LIVE, [], now=NOW + 2 * HOUR)
    await store.mark_post(failed.id, PostState.FAILED, NOW + 2 * HOUR)
    await store.reserve_post(there, "t", DigestKind.LIVE, [], now=NOW + 3 * HOUR)
    failing = await store.reserve_post(quiet, "q", DigestKind.LIVE, [], now=NOW)
    await store.mark_post(failing.id, PostState.FAILED, NOW)
    marks = await store.last_posts_at()
    assert marks == {here: NOW + HOUR, there: NOW + 3 * HOUR}  # failed posts are not counted
    for destination in (here, there, quiet):
        assert marks.get(destination) == await store.last_post_at(destination)


async def test_last_slots_is_last_slot_of_every_destination(store: Store) -> None:
    here, there, quiet = await _three(store)
    monday = datetime(2024, 4, 29, 7, 0, tzinfo=UTC)
    tuesday = monday + timedelta(days=1)
    await store.reserve_post(
        here, "d1", DigestKind.SCHEDULED, [], now=NOW, slot=tuesday, state=PostState.SKIPPED
    )
    await store.reserve_post(here, "d2", DigestKind.CATCH_UP, [], now=NOW, slot=monday)
    await store.reserve_post(there, "d3", DigestKind.SCHEDULED, [], now=NOW, slot=monday)
    await store.reserve_post(quiet, "l1", DigestKind.LIVE, [], now=NOW)  # no slot
    slots = await store.last_slots()
    assert slots == {here: tuesday, there: monday}
    for destination in (here, there, quiet):
        assert slots.get(destination) == await store.last_slot(destination)


async def test_delivered_many_is_delivered_of_each_destination(store: Store) -> None:
    here, there, quiet = await _three(store)
    one, two, three = [
        (await store.add_article(article(f"https://a.example/{n}", feed_id=None))).story_id
        for n in (1, 2, 3)
    ]
    await store.reserve_post(here, "h", DigestKind.LIVE, [one, two], now=NOW)
    await store.reserve_post(there, "t", DigestKind.LIVE, [three], now=NOW)
    failed = await store.reserve_post(quiet, "q", DigestKind.LIVE, [one], now=NOW)
    await store.mark_post(failed.id, PostState.FAILED, NOW)
    wanted = {here: [one, three], there: [one, two, three], quiet: [one]}
    found = await store.delivered_many(wanted)
    assert found == {here: {one}, there: {three}}  # only what was asked; none: left out
    for destination, stories in wanted.items():
        assert found.get(destination, set()) == await store.delivered(destination, stories)
    assert await store.delivered_many({here: [], there: []}) == {}


async def test_posts_since_reads_every_destination_when_none_is_given(store: Store) -> None:
    here, there, _ = await _three(store)
    await store.reserve_post(here, "old", DigestKind.ALERT, [], now=NOW - HOUR)
    await store.reserve_post(there, "a", DigestKind.ALERT, [], now=NOW)
    await store.reserve_post(here, "b", DigestKind.RECOVERED, [], now=NOW + HOUR)
    await store.reserve_post(here, "c", DigestKind.LIVE, [], now=NOW + HOUR)
    kinds = {DigestKind.ALERT, DigestKind.RECOVERED}
    everyone = await store.posts_since(None, NOW, kinds)
    assert [(p.destination_id, p.key) for p in everyone] == [(there, "a"), (here, "b")]
    assert [p.key for p in await store.posts_since(here, NOW, kinds)] == ["b"]
