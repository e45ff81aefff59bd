"""Persistence: the Store port, an in-memory store and the SQLAlchemy store (SQLite, Postgres)."""

from bot.store.port import AlreadyDeliveredError, DuplicateSubscriptionError, Store, StoreError

__all__ = ["AlreadyDeliveredError", "DuplicateSubscriptionError", "Store", "StoreError"]
