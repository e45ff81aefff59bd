"""What a reader's click on a digest story reads and changes: the story, its explanation, mutes.

Every lookup is scoped to the clicker's tenant in the store query (`Store.stories`): a story id
from another workspace, or one pruned since the digest was posted, is simply not found. Names a
click carries (an outlet, an actor) are trusted only when the stored story names them too.

"Why this summary" is recomputed on demand from the lead article's stored text, in the analyzer's
worker thread (one analysis at a time, as feeds are): clicks are rare, and storing every
sentence's scores for every article at ingest would cost rows that are almost never read. The
stored text may have been cut; when the recomputed choice differs from what the digest showed,
the explanation says so rather than pretend.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from bot.clock import Clock
from bot.domain import Article, DestinationRecord, Story, Subscription, SubscriptionKind, Tenant
from bot.news.digests import ComposeOptions, lead_article, muted_outlets, story_entry
from bot.news.ingest import Ingestor
from bot.ports import Explainer, Summariser
from bot.store.port import Store
from summaries import InputError
from summaries.explain import SentenceExplanation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Explanation:
    """How the summary sentences of a story's lead article were chosen.

    Attributes:
        outlet: The lead article's outlet.
        sentences: Every competing sentence's score components, in document order.
        shown: The sentences the digest showed (verbatim, as stored).
        same_choice: Whether the recomputed choice is what the digest showed (the stored text
            may have been cut since).
    """

    outlet: str
    sentences: tuple[SentenceExplanation, ...]
    shown: tuple[str, ...]
    same_choice: bool


@dataclass(frozen=True)
class NotExplained:
    """Why no explanation can be given, in plain words."""

    reason: str


class StoryActions:
    """The stories a click names, looked up for the clicker's tenant, and what clicks change."""

    def __init__(
        self, store: Store, ingestor: Ingestor, clock: Clock, compose: ComposeOptions
    ) -> None:
        """Wire the store, the analyzer (through the ingestor), the clock and entry composing."""
        self.store = store
        self.clock = clock
        self.ingestor = ingestor
        self.compose = compose

    async def stories(self, tenant: Tenant, story_ids: Collection[int]) -> list[Story]:
        """The stories among `story_ids` the tenant may see, oldest first (others left out)."""
        return await self.store.stories(tenant, story_ids)

    async def story(self, tenant: Tenant, story_id: int) -> Story | None:
        """One story as the tenant sees it; None when it is gone or not the tenant's."""
        found = await self.store.stories(tenant, [story_id])
        return found[0] if found else None

    def actors(self, story: Story) -> tuple[str, ...]:
        """The plain names of the actors a digest entry of the story shows."""
        return story_entry(story, self.compose).actor_names

    async def muted(self, record: DestinationRecord) -> frozenset[str]:
        """The outlets a destination muted."""
        return muted_outlets(await self.store.subscriptions(record.id))

    async def mute(self, record: DestinationRecord, outlet: str) -> Subscription:
        """Mute an outlet in a destination: a `mute` subscription, listed and removable.

        Raises:
            DuplicateSubscriptionError: The destination has muted it already.
        """
        now = self.clock.now()
        return await self.store.add_subscription(
            record.id, SubscriptionKind.MUTE, outlet, None, now
        )

    async def explain(self, tenant: Tenant, story_id: int) -> Explanation | NotExplained | None:
        """How the story's summary was chosen; None when the tenant has no such story."""
        found = await self.store.stories(tenant, [story_id], with_text=True)
        if not found:
            return None
        lead = lead_article(found[0])
        if lead.excerpt_only or not lead.text.strip():
            return NotExplained(
                f"the digest shows {lead.source}'s own feed excerpt: its page could not be "
                "read, so no sentences were scored"
            )
        return await self.ingestor.in_worker(lambda summariser: _explain(summariser, lead))


def _explain(summariser: Summariser, article: Article) -> Explanation | NotExplained:
    """The explanation of one stored article (in the worker thread; never raises)."""
    if not isinstance(summariser, Explainer):
        return NotExplained("this bot's summariser cannot explain its choices")
    published: date | None = article.published.date() if article.published else None
    try:
        _, scored = summariser.explain(
            text=article.text, title=article.title, url=article.url, published=published
        )
    except InputError as error:
        return NotExplained(f"the stored text cannot be analysed again ({error.reason})")
    except Exception:
        log.exception("explaining story %s failed", article.story_id)
        return NotExplained("the analyzer failed on the stored text")
    chosen = tuple(item.text for item in scored if item.chosen)
    same = {_folded(text) for text in chosen} >= {_folded(text) for text in article.summary}
    return Explanation(article.source, scored, article.summary, same)


def _folded(text: str) -> str:
    return " ".join(text.split()).lower()
