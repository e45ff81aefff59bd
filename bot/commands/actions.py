"""The actions on a digest's stories (buttons, menus), as one platform-neutral spec and handler.

An action's value is small and names stored objects only: `why:123`, `mute:123:example.com`,
`share:1.2.3`, `undo:45`. Nothing in it is trusted: the story (or subscription) it names is
looked up for the clicker's tenant and channel, and an outlet or actor it names must be one the
stored story names. A value that does not parse, a story of another workspace and a story pruned
since the digest was posted all get the same clear answer and change nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from bot.domain import (
    Destination,
    Digest,
    DigestEntry,
    DigestKind,
    SourceLink,
    Subscription,
)
from bot.engine import DuplicateSubscriptionError, Engine, QuotaExceededError
from bot.news.actions import Explanation, NotExplained
from bot.news.digests import story_entry, without_outlets
from bot.news.topics import parse_topic

log = logging.getLogger(__name__)

#: The longest value a platform carries (Discord's custom_id and select option value).
MAX_VALUE = 100
STORY_GONE = (
    "That story is no longer stored, so nothing was changed. Example: /digest shows the latest."
)
SUBSCRIPTION_GONE = (
    "That subscription is no longer stored in this channel, so nothing was changed. "
    "Example: /subscriptions lists what it follows."
)
NOT_NAMED = "That story does not name {name} (any more), so nothing was changed."
NEEDS_MANAGE = (
    "Error: changing what this channel receives needs the same permission as /subscribe "
    "(Slack: a full member, not a guest; Discord: Manage Channels). Example: ask a moderator."
)


class ActionKind(StrEnum):
    """What a click on a story asks for."""

    WHY = "why"
    SOURCES = "sources"
    MUTE = "mute"
    FOLLOW = "follow"
    SHARE = "share"
    UNDO = "undo"


@dataclass(frozen=True)
class ActionSpec:
    """One action: its label (`{name}`: the outlet or actor) and whether it changes the channel."""

    kind: ActionKind
    label: str
    manages: bool


ACTIONS = {
    spec.kind: spec
    for spec in (
        ActionSpec(ActionKind.WHY, "Why this summary", manages=False),
        ActionSpec(ActionKind.SOURCES, "All sources", manages=False),
        ActionSpec(ActionKind.MUTE, "Mute {name}", manages=True),
        ActionSpec(ActionKind.FOLLOW, "Follow {name}", manages=True),
        ActionSpec(ActionKind.SHARE, "Share in channel", manages=False),
        ActionSpec(ActionKind.UNDO, "Undo", manages=True),
    )
}


@dataclass(frozen=True)
class StoryAction:
    """A parsed action value.

    Attributes:
        kind: What is asked.
        ids: The story ids it names (the subscription id for UNDO).
        name: The outlet (MUTE) or actor (FOLLOW) as the button named it, to be checked.
    """

    kind: ActionKind
    ids: tuple[int, ...]
    name: str | None = None

    @property
    def value(self) -> str | None:
        """The value a button or menu option carries; None when it would be too long."""
        ids = ".".join(str(i) for i in self.ids)
        text = f"{self.kind}:{ids}" + (f":{self.name}" if self.name is not None else "")
        return text if len(text) <= MAX_VALUE else None

    @property
    def label(self) -> str:
        """What the button or option says."""
        return ACTIONS[self.kind].label.format(name=self.name or "")


def parse_action(value: str) -> StoryAction | None:
    """A value back into an action; None when it is not one of ours (forged or garbled)."""
    kind, _, rest = value.partition(":")
    ids_text, _, name = rest.partition(":")
    if kind not in set(ActionKind) or len(value) > MAX_VALUE:
        return None
    parts = ids_text.split(".")
    if not parts or not all(part.isdigit() and len(part) < 19 for part in parts):
        return None
    named = ActionKind(kind) in {ActionKind.MUTE, ActionKind.FOLLOW}
    if named != bool(name):
        return None
    return StoryAction(ActionKind(kind), tuple(int(part) for part in parts), name or None)


@dataclass(frozen=True)
class ActionRequest:
    """A click: where, what (None: a value that did not parse), and whether the clicker manages."""

    destination: Destination
    action: StoryAction | None
    may_manage: bool
    user: str | None = None


@dataclass(frozen=True)
class ActionRefused:
    """Nothing was done, and why (one line, with an example where one helps)."""

    reason: str


@dataclass(frozen=True)
class WhyAnswer:
    """How a story's summary was chosen."""

    headline: str
    explanation: Explanation | NotExplained


@dataclass(frozen=True)
class SourcesAnswer:
    """Every link of a story."""

    headline: str
    sources: tuple[SourceLink, ...]


@dataclass(frozen=True)
class Changed:
    """A mute or follow made (or already there): the subscription and its undo."""

    kind: ActionKind
    subscription: Subscription
    already: bool

    @property
    def undo(self) -> StoryAction:
        """The action that removes the subscription again."""
        return StoryAction(ActionKind.UNDO, (self.subscription.id,))


@dataclass(frozen=True)
class Undone:
    """A subscription removed by an Undo button."""

    subscription: Subscription


@dataclass(frozen=True)
class Shared:
    """A digest to post in the channel for everyone."""

    digest: Digest


ActionResult = ActionRefused | WhyAnswer | SourcesAnswer | Changed | Undone | Shared


class StoryActionHandler:
    """Runs clicks against the engine: look up, check, act."""

    def __init__(self, engine: Engine) -> None:
        """Act through `engine`."""
        self.engine = engine

    async def handle(self, request: ActionRequest) -> ActionResult:
        """One click's answer; refusals come back as ActionRefused, never raised."""
        action = request.action
        if action is None:
            return ActionRefused(STORY_GONE)
        if ACTIONS[action.kind].manages and not request.may_manage:
            return ActionRefused(NEEDS_MANAGE)
        if action.kind is ActionKind.SHARE:
            return await self._share(request.destination, action)
        if action.kind is ActionKind.UNDO:
            return await self._undo(request.destination, action.ids[0])
        return await self._on_story(request.destination, action)

    async def _on_story(self, where: Destination, action: StoryAction) -> ActionResult:
        actions = self.engine.actions
        story = await actions.story(where.tenant, action.ids[0])
        if story is None or len(action.ids) != 1:
            return ActionRefused(STORY_GONE)
        entry = story_entry(story, self.engine.options.compose)
        if action.kind is ActionKind.WHY:
            return WhyAnswer(
                entry.headline, await actions.explain(where.tenant, story.id) or _gone()
            )
        if action.kind is ActionKind.SOURCES:
            return SourcesAnswer(entry.headline, entry.sources)
        if action.kind is ActionKind.MUTE:
            outlets = {article.source for article in story.articles}
            return await self._mute(where, action.name or "", outlets)
        return await self._follow(where, action.name or "", set(entry.actor_names))

    async def _mute(self, where: Destination, outlet: str, outlets: set[str]) -> ActionResult:
        if outlet not in outlets:
            return ActionRefused(NOT_NAMED.format(name=outlet))
        record = await self.engine.destination(where)
        try:
            made = await self.engine.actions.mute(record, outlet)
        except DuplicateSubscriptionError:
            return Changed(ActionKind.MUTE, await self._existing(where, "mute", outlet), True)
        log.info("%s muted %s", where, outlet)
        return Changed(ActionKind.MUTE, made, already=False)

    async def _follow(self, where: Destination, actor: str, actors: set[str]) -> ActionResult:
        if actor not in actors:
            return ActionRefused(NOT_NAMED.format(name=actor))
        query = parse_topic('actor:"' + actor.replace('"', "") + '"')
        record = await self.engine.destination(where)
        try:
            made = await self.engine.subscribe_topic(record, query)
        except DuplicateSubscriptionError as error:
            existing = await self._existing(where, "topic", error.target)
            return Changed(ActionKind.FOLLOW, existing, already=True)
        except QuotaExceededError as error:
            return ActionRefused(f"Error: {error}. Example: /unsubscribe 3")
        return Changed(ActionKind.FOLLOW, made, already=False)

    async def _existing(self, where: Destination, kind: str, target: str) -> Subscription:
        record = await self.engine.destination(where)
        views = await self.engine.subscriptions(record)
        return next(
            v.subscription
            for v in views
            if (v.subscription.kind, v.subscription.target) == (kind, target)
        )

    async def _undo(self, where: Destination, subscription_id: int) -> ActionResult:
        record = await self.engine.destination(where)
        removed = await self.engine.unsubscribe(record, subscription_id)
        return Undone(removed) if removed is not None else ActionRefused(SUBSCRIPTION_GONE)

    async def _share(self, where: Destination, action: StoryAction) -> ActionResult:
        record = await self.engine.destination(where)
        found = await self.engine.actions.stories(where.tenant, action.ids)
        stories = without_outlets(found, await self.engine.actions.muted(record))
        if not stories:
            return ActionRefused(STORY_GONE)
        since = self.engine.now() - self.engine.on_demand_window
        return Shared(self.engine.stories.compose(stories, DigestKind.ON_DEMAND, since, record))


def _gone() -> NotExplained:
    return NotExplained("the story is no longer stored")


def entry_actions(entry: DigestEntry, outlets: int = 2, actors: int = 3) -> list[StoryAction]:
    """The actions offered on one story: why, sources, mute its first outlets, follow its actors.

    Actions whose value would not fit a platform's limit are left out; a link digest's story
    (id 0, never stored) has none.
    """
    if not entry.story_id:
        return []
    story = (entry.story_id,)
    named = list(dict.fromkeys(source.outlet for source in entry.sources))
    offered = [
        StoryAction(ActionKind.WHY, story),
        StoryAction(ActionKind.SOURCES, story),
        *(StoryAction(ActionKind.MUTE, story, outlet) for outlet in named[:outlets]),
        *(StoryAction(ActionKind.FOLLOW, story, actor) for actor in entry.actor_names[:actors]),
    ]
    return [action for action in offered if action.value is not None]


def share_action(digest: Digest) -> StoryAction | None:
    """The "Share in channel" action of an on-demand digest; None when it has no stories."""
    ids = tuple(entry.story_id for entry in digest.entries)
    action = StoryAction(ActionKind.SHARE, ids)
    return action if ids and action.value is not None else None
