"""The SQL store's destinations: their reads, settings, refusals and forgetting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Destination, DestinationSettings, Platform
from bot.store import codec
from bot.store.tables import DeliveryRow, DestinationRow, PostRow, SubscriptionRow


async def find(session: AsyncSession, destination: Destination) -> DestinationRow | None:
    """The stored row of one channel, None when it was never stored."""
    query = select(DestinationRow).filter_by(
        platform=destination.platform.value,
        workspace=destination.workspace,
        channel=destination.channel,
    )
    return (await session.scalars(query)).one_or_none()


async def destinations(
    session: AsyncSession, tenant: tuple[Platform, str] | None
) -> list[DestinationRow]:
    """Every destination's row, oldest first; only one tenant's (platform, workspace) when given."""
    query = select(DestinationRow).order_by(DestinationRow.id)
    if tenant is not None:
        query = query.filter_by(platform=tenant[0].value, workspace=tenant[1])
    return list(await session.scalars(query))


async def update_settings(
    session: AsyncSession, destination_id: int, settings: DestinationSettings, now: datetime
) -> DestinationRow:
    """Replace a destination's settings in its row, stamped `now`."""
    row = await session.get_one(DestinationRow, destination_id)
    for name, value in codec.settings_columns(settings).items():
        setattr(row, name, value)
    row.settings_changed_at = now
    return row


async def record_refusal(
    session: AsyncSession, destination_id: int, reason: str, now: datetime, pause_after: int
) -> DestinationRow:
    """Count one more post refused for good; at `pause_after` in a row, pause the destination.

    Both steps are UPDATEs computed by the database, so workers refused at once all count.
    """
    row = DestinationRow
    counted = update(row).filter_by(id=destination_id).values(refusals=row.refusals + 1)
    pause = (
        update(row)
        .filter_by(id=destination_id, paused_at=None)
        .where(row.refusals >= pause_after)
        .values(paused_at=now, paused_reason=reason)
    )
    await session.execute(counted)
    await session.execute(pause)
    return await session.get_one(row, destination_id, populate_existing=True)


async def clear_refusals(session: AsyncSession, destination_id: int) -> bool:
    """Start the refusal count again and unpause; True when the destination was paused."""
    row = DestinationRow
    was_paused = select(row.id).filter_by(id=destination_id).where(row.paused_at.is_not(None))
    clear = (
        update(row)
        .filter_by(id=destination_id)
        .where((row.refusals > 0) | row.paused_at.is_not(None))
        .values(refusals=0, paused_at=None, paused_reason=None)
    )
    paused = await session.scalar(was_paused) is not None
    await session.execute(clear)
    return paused


async def forget(session: AsyncSession, **where: str) -> int:
    """Delete the matching destinations and their rows, children first; how many destinations.

    The deletes are explicit rather than left to ON DELETE CASCADE, which SQLite applies only on
    connections that turned foreign keys on.
    """
    chosen = select(DestinationRow.id).filter_by(**where).scalar_subquery()
    for table in (DeliveryRow, PostRow, SubscriptionRow):
        await session.execute(delete(table).where(table.destination_id.in_(chosen)))
    result = await session.execute(delete(DestinationRow).filter_by(**where))
    return int(getattr(result, "rowcount", 0) or 0)
