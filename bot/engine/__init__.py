"""The engine: the one door from commands, adapters and the scheduler to the news and its store.

Subscriptions (with feed health), settings, feed lists in and out, a workspace's overview,
autocomplete, on-demand digests and the story selection the scheduler delivers all go through it;
nothing outside the engine, the services it composes (ingestion, delivery), the task queue and the
store itself touches a `Store` (tests/test_import_rules.py). It owns no background task itself.

`Engine` is in engine.py (its subscribing calls in subscriptions.py), its options and results in
options.py. The names below are its public surface: callers import them from `bot.engine`, which
also passes on the store's and the quotas' errors and results, since commands and adapters may
not import `bot.store` themselves.
"""

from bot.engine.engine import Engine
from bot.engine.options import (
    MAX_ASKED_WINDOW,
    EngineOptions,
    FeedsImported,
    FeedSubscribed,
    longest_window,
)
from bot.news.quotas import QuotaExceededError, Quotas, QuotaScope
from bot.store.port import DuplicateSubscriptionError, Pruned

__all__ = [
    "MAX_ASKED_WINDOW",
    "DuplicateSubscriptionError",
    "Engine",
    "EngineOptions",
    "FeedSubscribed",
    "FeedsImported",
    "Pruned",
    "QuotaExceededError",
    "QuotaScope",
    "Quotas",
    "longest_window",
]
