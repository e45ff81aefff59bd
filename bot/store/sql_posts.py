"""The SQL store's posts: recording one with its deliveries, and the reads of posts.

The batched reads (`delivered_many`, `last_slots`, `last_posts_at`) are per-destination reads of
`SqlStore` for every destination together: a tick for 1,000 channels would otherwise make 1,000
round trips each.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import DigestKind, PostState, utc
from bot.store.tables import DeliveryRow, PostRow

_CHUNK = 500  # ids per IN (...) list; two lists per query stay far below the drivers' limits


async def mark_post(session: AsyncSession, post_id: int, state: PostState, now: datetime) -> None:
    """Move a post on; FAILED deletes its deliveries, so its stories may be posted again."""
    changed = update(PostRow).filter_by(id=post_id)
    await session.execute(changed.values(state=state.value, sent_at=now))
    if state is PostState.FAILED:
        await session.execute(delete(DeliveryRow).filter_by(post_id=post_id))


async def pending_posts(session: AsyncSession) -> list[PostRow]:
    """Rows of the posts reserved but never confirmed, oldest first."""
    query = select(PostRow).filter_by(state=PostState.PENDING.value).order_by(PostRow.id)
    return list(await session.scalars(query))


async def delivered(
    session: AsyncSession, destination_id: int, story_ids: Collection[int]
) -> set[int]:
    """Which of these stories one destination already has (or has reserved)."""
    query = (
        select(DeliveryRow.story_id)
        .filter_by(destination_id=destination_id)
        .where(DeliveryRow.story_id.in_(list(story_ids)))
    )
    return set(await session.scalars(query))


def post_row(
    destination_id: int,
    key: str,
    kind: DigestKind,
    story_ids: Sequence[int],
    now: datetime,
    slot: datetime | None,
    state: PostState,
) -> PostRow:
    """A post's row, to be inserted with its deliveries by `insert_post`."""
    return PostRow(
        destination_id=destination_id,
        key=key,
        kind=kind.value,
        state=state.value,
        story_ids=list(story_ids),
        slot=slot,
        created_at=now,
    )


async def insert_post(session: AsyncSession, row: PostRow, story_ids: Sequence[int]) -> None:
    """Insert a post and one delivery row per story (IntegrityError: a key or story taken)."""
    session.add(row)
    await session.flush()
    session.add_all(
        DeliveryRow(destination_id=row.destination_id, story_id=story, post_id=row.id)
        for story in story_ids
    )


async def latest(
    session: AsyncSession, column: Any, destination_id: int, *where: ColumnElement[bool]
) -> datetime | None:
    """The greatest value of a post timestamp `column` for one destination (None: no post)."""
    query = select(func.max(column)).where(PostRow.destination_id == destination_id, *where)
    value = await session.scalar(query)
    return None if value is None else utc(value)


async def posts_since(
    session: AsyncSession,
    destination_id: int | None,
    since: datetime,
    kinds: Collection[DigestKind],
) -> list[PostRow]:
    """A destination's (or everyone's) post rows of these kinds made at or after `since`."""
    query = select(PostRow)
    if destination_id is not None:
        query = query.filter_by(destination_id=destination_id)
    query = (
        query.where(PostRow.created_at >= since)
        .where(PostRow.kind.in_([kind.value for kind in kinds]))
        .order_by(PostRow.id)
    )
    return list(await session.scalars(query))


async def delivered_many(
    session: AsyncSession, wanted: Mapping[int, Collection[int]]
) -> dict[int, set[int]]:
    """Which of its stories each destination has, by destination (those with none left out)."""
    destinations = sorted(key for key, stories in wanted.items() if stories)
    stories = sorted({story for key in destinations for story in wanted[key]})
    pairs: set[tuple[int, int]] = set()
    for low in range(0, len(destinations), _CHUNK):
        for start in range(0, len(stories), _CHUNK):
            query = select(DeliveryRow.destination_id, DeliveryRow.story_id).where(
                DeliveryRow.destination_id.in_(destinations[low : low + _CHUNK]),
                DeliveryRow.story_id.in_(stories[start : start + _CHUNK]),
            )
            pairs.update((row[0], row[1]) for row in await session.execute(query))
    found: dict[int, set[int]] = {}
    for destination, story in pairs:  # the cross product read more than was asked: keep the asked
        if story in wanted[destination]:
            found.setdefault(destination, set()).add(story)
    return found


async def last_slots(session: AsyncSession) -> dict[int, datetime]:
    """Every destination's latest recorded slot, by id."""
    query = (
        select(PostRow.destination_id, func.max(PostRow.slot))
        .where(PostRow.slot.is_not(None))
        .group_by(PostRow.destination_id)
    )
    return {key: utc(slot) for key, slot in await session.execute(query) if slot is not None}


async def last_posts_at(session: AsyncSession) -> dict[int, datetime]:
    """Every destination's latest post that did not fail, by id."""
    query = (
        select(PostRow.destination_id, func.max(PostRow.created_at))
        .where(PostRow.state != PostState.FAILED.value)
        .group_by(PostRow.destination_id)
    )
    return {row[0]: utc(row[1]) for row in await session.execute(query)}
