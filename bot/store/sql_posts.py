"""The SQL store's reads of every destination's posts at once (a scheduler tick's, one each).

Each is a per-destination read of `SqlStore` (`delivered`, `last_slot`, `last_post_at`) for
every destination together: a tick for 1,000 channels would otherwise make 1,000 round trips each.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import PostState, utc
from bot.store.tables import DeliveryRow, PostRow

_CHUNK = 500  # ids per IN (...) list; two lists per query stay far below the drivers' limits


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
