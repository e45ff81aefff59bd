"""Race-free inserts for SqlStore: `INSERT ... ON CONFLICT DO NOTHING RETURNING`, chosen by dialect.

Two requests that both find no row and both insert one would trip the unique constraint in one of
them (`IntegrityError`). Inserting with ON CONFLICT DO NOTHING instead lets the database settle
the race: the loser's insert is a no-op (on Postgres it first waits for the winner to commit),
and a select that follows in the same transaction sees the winner's row (read committed on
Postgres; on SQLite the insert has taken the write lock, so the winner has committed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.store.tables import Base

Row = TypeVar("Row", bound=Base)
DialectInsert = Callable[[Any], sqlite.Insert | postgresql.Insert]

_INSERTS: dict[str, DialectInsert] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


class UnsupportedDatabaseError(Exception):
    """The store runs on SQLite or Postgres only.

    Attributes:
        dialect: The dialect the engine speaks.
    """

    def __init__(self, dialect: str) -> None:
        super().__init__(f"the store supports SQLite and Postgres, not {dialect}")
        self.dialect = dialect


class RowTakenError(Exception):
    """The row an insert would add exists already (raised to roll its transaction back).

    Attributes:
        table: The table.
        key: The row's unique key values.
    """

    def __init__(self, table: str, key: tuple[object, ...]) -> None:
        super().__init__(f"{table} already holds a row keyed {key}")
        self.table = table
        self.key = key


def dialect_insert(engine: AsyncEngine) -> DialectInsert:
    """The engine's dialect's INSERT construct (the one with `on_conflict_do_nothing`).

    Raises:
        UnsupportedDatabaseError: The engine is neither SQLite nor Postgres.
    """
    found = _INSERTS.get(engine.dialect.name)
    if found is None:
        raise UnsupportedDatabaseError(engine.dialect.name)
    return found


async def insert_new(
    session: AsyncSession,
    insert: DialectInsert,
    row_type: type[Row],
    values: Mapping[str, Any],
    unique: Sequence[str],
) -> Row | None:
    """Insert a row unless one with the same `unique` columns exists.

    Args:
        session: The transaction to insert in.
        insert: The dialect's INSERT (see `dialect_insert`).
        row_type: The table's model.
        values: The new row's columns.
        unique: The columns of the unique constraint that decides "the same row".

    Returns:
        The new row; None when the row was there already (or another transaction just
        inserted it).
    """
    statement = (
        insert(row_type)
        .values(**values)
        .on_conflict_do_nothing(index_elements=list(unique))
        .returning(row_type)
    )
    return (await session.scalars(statement)).first()


async def get_or_create(
    session: AsyncSession,
    insert: DialectInsert,
    row_type: type[Row],
    values: Mapping[str, Any],
    unique: Sequence[str],
) -> Row:
    """The row with these `unique` column values; inserted from `values` first when there is none.

    Reading first keeps the common case (the row exists) free of writes: on SQLite a write
    takes the database's one write lock.

    Args:
        session: The transaction to work in.
        insert: The dialect's INSERT (see `dialect_insert`).
        row_type: The table's model.
        values: The new row's columns.
        unique: The columns of the unique constraint that identifies the row.
    """
    query = select(row_type).filter_by(**{column: values[column] for column in unique})
    found = (await session.scalars(query)).first()
    if found is not None:
        return found
    inserted = await insert_new(session, insert, row_type, values, unique)
    return inserted if inserted is not None else (await session.scalars(query)).one()
