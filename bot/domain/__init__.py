"""The bot's domain: where digests go, what is subscribed, what was read and what was posted.

Plain frozen dataclasses, free of storage and chat platforms. Times are timezone-aware UTC.
`channels` (destinations, settings, subscriptions, feeds), `news` (articles, signatures,
stories), `digests` (digests, entries, posts); everything is importable from `bot.domain`.
"""

from bot.domain.channels import (
    ALL_DAYS,
    ChannelOverview,
    Destination,
    DestinationRecord,
    DestinationSettings,
    DigestLayout,
    DigestMode,
    FeedState,
    FilterReplaced,
    Platform,
    Subscription,
    SubscriptionKind,
    SubscriptionView,
    Tenant,
    utc,
)
from bot.domain.digests import (
    Digest,
    DigestEntry,
    DigestKind,
    EntryDate,
    FeedNotice,
    Heading,
    MostNamed,
    Post,
    PostState,
    SourceLink,
)
from bot.domain.news import (
    Article,
    Signature,
    Story,
    outlet_name,
)

__all__ = [
    "ALL_DAYS",
    "Article",
    "ChannelOverview",
    "Destination",
    "DestinationRecord",
    "DestinationSettings",
    "Digest",
    "DigestEntry",
    "DigestKind",
    "DigestLayout",
    "DigestMode",
    "EntryDate",
    "FeedNotice",
    "FeedState",
    "FilterReplaced",
    "Heading",
    "MostNamed",
    "Platform",
    "Post",
    "PostState",
    "Signature",
    "SourceLink",
    "Story",
    "Subscription",
    "SubscriptionKind",
    "SubscriptionView",
    "Tenant",
    "outlet_name",
    "utc",
]
