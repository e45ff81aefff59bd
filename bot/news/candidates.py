"""Clustering candidates for scaled-mode analysis: recent articles' signatures, kept between jobs.

A worker clusters each new article against every article of the clustering window. Reading the
whole window (with texts and digests) for every article made each analysis job's reads grow with
the window; this cache reads the window's ids (one small query) and fetches the clustering
features of only the articles it has not seen yet. An article never changes story once stored,
so a held signature stays true; articles that left the window are dropped.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain import Signature
from bot.store.port import Store


class SignatureCache:
    """The clustering signatures of the articles in the window, refreshed per call."""

    def __init__(self, store: Store) -> None:
        """Read from `store`."""
        self.store = store
        self._held: dict[int, Signature] = {}

    async def since(self, since: datetime) -> list[Signature]:
        """Signatures of every article ingested at or after `since`, in id order (as stored now)."""
        ids = await self.store.recent_article_ids(since)
        missing = [article_id for article_id in ids if article_id not in self._held]
        if missing:
            for signature in await self.store.signatures(missing):
                self._held[signature.id] = signature
        self._forget_all_but(ids)
        return [self._held[article_id] for article_id in ids if article_id in self._held]

    def __len__(self) -> int:
        """How many signatures are held."""
        return len(self._held)

    def _forget_all_but(self, ids: list[int]) -> None:
        if len(self._held) <= len(ids):
            return
        live = set(ids)
        for article_id in [held for held in self._held if held not in live]:
            del self._held[article_id]
