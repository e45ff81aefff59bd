"""The memory store's posts and deliveries: recording a post, its states, and the reads of posts."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from bot.domain import DigestKind, Post, PostState
from bot.store.port import AlreadyDeliveredError


class MemoryPostLedger:
    """The post half of `MemoryStore`: posts by id and the stories each destination has."""

    def __init__(self, ids: Iterator[int]) -> None:
        """No posts yet; new ids are drawn from `ids` (the store's one counter)."""
        self._ids = ids
        self._posts: dict[int, Post] = {}
        self._deliveries: dict[tuple[int, int], int] = {}

    async def reserve_post(
        self,
        destination_id: int,
        key: str,
        kind: DigestKind,
        story_ids: Sequence[int],
        *,
        now: datetime,
        slot: datetime | None = None,
        state: PostState = PostState.PENDING,
    ) -> Post:
        """Record a post and its story deliveries before publishing it."""
        taken = any((destination_id, story) in self._deliveries for story in story_ids)
        if taken or any(post.key == key for post in self._posts.values()):
            raise AlreadyDeliveredError(destination_id, key)
        post = Post(next(self._ids), destination_id, key, kind, tuple(story_ids), state, now, slot)
        self._posts[post.id] = post
        self._deliveries.update({(destination_id, story): post.id for story in story_ids})
        return post

    async def mark_post(self, post_id: int, state: PostState, now: datetime) -> None:
        """Move a post on; FAILED releases its stories."""
        post = self._posts.get(post_id)
        if post is None:  # its channel was forgotten while it was being published
            return
        self._posts[post_id] = replace(post, state=state, sent_at=now)
        if state is PostState.FAILED:
            for story in post.story_ids:
                self._deliveries.pop((post.destination_id, story), None)

    async def pending_posts(self) -> list[Post]:
        """Posts reserved but never confirmed, oldest first."""
        return [post for post in self._posts.values() if post.state is PostState.PENDING]

    async def delivered(self, destination_id: int, story_ids: Collection[int]) -> set[int]:
        """Which of these stories a destination already has (or has reserved)."""
        return {story for story in story_ids if (destination_id, story) in self._deliveries}

    async def delivered_many(self, wanted: Mapping[int, Collection[int]]) -> dict[int, set[int]]:
        """`delivered` for many destinations (those with none of theirs left out)."""
        found = {key: await self.delivered(key, stories) for key, stories in wanted.items()}
        return {key: stories for key, stories in found.items() if stories}

    async def last_slots(self) -> dict[int, datetime]:
        """`last_slot` of every destination that has one."""
        slots: dict[int, datetime] = {}
        for post in self._posts.values():
            if post.slot is not None:
                slots[post.destination_id] = max(
                    post.slot, slots.get(post.destination_id, post.slot)
                )
        return slots

    async def last_posts_at(self) -> dict[int, datetime]:
        """`last_post_at` of every destination that has a post that did not fail."""
        made: dict[int, datetime] = {}
        for post in self._posts.values():
            if post.state is not PostState.FAILED:
                latest = made.get(post.destination_id, post.created_at)
                made[post.destination_id] = max(post.created_at, latest)
        return made

    async def last_slot(self, destination_id: int) -> datetime | None:
        """The latest scheduled slot recorded for a destination."""
        slots = [
            post.slot
            for post in self._posts.values()
            if post.destination_id == destination_id and post.slot is not None
        ]
        return max(slots, default=None)

    async def last_post_at(self, destination_id: int) -> datetime | None:
        """When the destination's latest post that did not fail was made."""
        made = [
            post.created_at
            for post in self._posts.values()
            if post.destination_id == destination_id and post.state is not PostState.FAILED
        ]
        return max(made, default=None)

    async def posts_since(
        self, destination_id: int | None, since: datetime, kinds: Collection[DigestKind]
    ) -> list[Post]:
        """A destination's (or everyone's) posts of these kinds created at or after `since`."""
        return [
            post
            for post in self._posts.values()
            if destination_id in (None, post.destination_id)
            and post.kind in kinds
            and post.created_at >= since
        ]
