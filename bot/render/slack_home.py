"""The Slack Home tab: the viewer's channels with their subscriptions, within view limits.

Only channels the viewer is a member of are listed (the adapter asks Slack which ones): a private
channel's feeds and topics are as private as its messages, and a public channel the viewer has
not joined is left to its members too, as a Slack admin would expect of an app's Home tab
(guests, who cannot browse public channels, must not learn them from it either). When Slack
cannot tell which channels those are, no channel is listed and a one-line notice says why.

Feed URLs, topics and errors are escaped like article text; the only markup is our own channel
link (`<#C123>`), which names a channel without notifying anyone.

Each channel has buttons that manage it: change the schedule (a modal, see
bot/render/slack_schedule.py), switch the mode, unsubscribe from one subscription. A button's
value names the channel (and the subscription) only; the adapter (bot/adapters/slack/home.py)
checks both again on every click.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.commands.replies import SubscriptionList
from bot.delivery.timing import describe_weekdays
from bot.domain import ChannelOverview, DigestMode
from bot.render.blocks import LIMITS, Block, escape
from bot.render.text import render_text
from bot.texts import cut

HOME_BLOCKS = 100
#: Home tab action ids start with it (story actions' `newsdigest.` prefix is another listener's).
HOME_PREFIX = "newsdigest-home."
MAX_UNSUBSCRIBE_BUTTONS = 23  # an actions block holds 25 elements: schedule and mode come first
NOTHING_FOLLOWED = "No channel you are a member of follows anything yet."
MEMBERSHIP_UNKNOWN = (
    "I could not check which channels you are a member of, so none are listed; "
    "open this tab again in a minute."
)
_CHANNEL_ID = re.compile(r"^[A-Z0-9]{2,30}$")
_INTRO = (
    "Daily digests of the feeds and topics each channel follows: who is named, when it happens, "
    "and every outlet that reported it. In a channel, `/digest help` lists the commands and "
    "`/digest subscribe <feed-url | site | topic>` starts one; links posted where I am a member "
    "get a digest in their thread."
)


class HomeActionKind(StrEnum):
    """What a Home tab button asks for."""

    SCHEDULE = "schedule"
    MODE = "mode"
    UNSUBSCRIBE = "unsubscribe"


@dataclass(frozen=True)
class HomeAction:
    """A Home tab button's value: the kind, the channel id, and the mode or subscription id."""

    kind: HomeActionKind
    channel: str
    argument: str = ""

    @property
    def value(self) -> str:
        """What the button carries: `unsubscribe:C123:5`, `mode:C123:live`, `schedule:C123`."""
        return ":".join(part for part in (self.kind, self.channel, self.argument) if part)


def parse_home_action(value: str) -> HomeAction | None:
    """A button value back into an action; None when it is not one of ours (forged, garbled)."""
    kind, _, rest = value.partition(":")
    channel, _, argument = rest.partition(":")
    if kind not in set(HomeActionKind) or not _CHANNEL_ID.match(channel):
        return None
    allowed: dict[str, bool] = {
        HomeActionKind.SCHEDULE: argument == "",
        HomeActionKind.MODE: argument in set(DigestMode),
        HomeActionKind.UNSUBSCRIBE: argument.isdigit() and len(argument) < 19,
    }
    return HomeAction(HomeActionKind(kind), channel, argument) if allowed[kind] else None


def render_home_view(
    channels: tuple[ChannelOverview, ...], notice: str | None = None, said: str | None = None
) -> dict[str, Any]:
    """The `views.publish` view: a header, how to start, then one section per channel.

    Args:
        channels: The viewer's channels that follow something.
        notice: Said instead of the channels (why none can be listed), when given.
        said: The answer to the viewer's last change, as inert mrkdwn (already escaped), shown
            above the channels.
    """
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "newsdigest"}},
        _section(_INTRO),
    ]
    if notice is not None:
        return {"type": "home", "blocks": [*blocks, _section(escape(notice))]}
    if said is not None:
        blocks.append(_section(said))
    room = (HOME_BLOCKS - len(blocks) - 1) // 3
    for channel in channels[:room]:
        blocks += [{"type": "divider"}, _section(_channel_text(channel)), _buttons(channel)]
    if not channels:
        blocks.append(_section(NOTHING_FOLLOWED))
    elif len(channels) > room:
        more = len(channels) - room
        blocks.append({"type": "context", "elements": [_mrkdwn(f"…and {more} more channels")]})
    return {"type": "home", "blocks": blocks}


def _channel_text(channel: ChannelOverview) -> str:
    settings = channel.record.settings
    schedule = (
        f"digest at {settings.digest_time:%H:%M} {escape(settings.timezone)}, "
        f"{describe_weekdays(settings.weekdays)}, mode {settings.mode}, layout {settings.layout}"
    )
    if settings.link_replies is not None:  # the channel's own choice; else the platform's default
        schedule += f", link replies {'on' if settings.link_replies else 'off'}"
    record = channel.record
    listed = SubscriptionList(
        channel.subscriptions, paused_at=record.paused_at, paused_reason=record.paused_reason
    )
    listing = escape(render_text(listed))
    return f"*{_channel_link(channel.record.destination.channel)}*: {schedule}\n{listing}"


def _buttons(channel: ChannelOverview) -> Block:
    """Schedule, mode and one unsubscribe button per subscription (the first 23)."""
    where = channel.record.destination.channel
    other = (
        DigestMode.LIVE if channel.record.settings.mode is DigestMode.QUIET else DigestMode.QUIET
    )
    elements = [
        _button("Change schedule", HomeAction(HomeActionKind.SCHEDULE, where)),
        _button(f"Switch to {other}", HomeAction(HomeActionKind.MODE, where, other)),
    ]
    for view in channel.subscriptions[:MAX_UNSUBSCRIBE_BUTTONS]:
        number = str(view.subscription.id)
        action = HomeAction(HomeActionKind.UNSUBSCRIBE, where, number)
        elements.append(_button(f"Unsubscribe #{number}", action))
    return {"type": "actions", "block_id": f"manage.{where}", "elements": elements}


def _button(text: str, action: HomeAction) -> Block:
    return {
        "type": "button",
        "action_id": f"{HOME_PREFIX}{action.kind}.{action.argument}",
        "text": {"type": "plain_text", "text": text},
        "value": action.value,
    }


def _channel_link(channel: str) -> str:
    return f"<#{channel}>" if _CHANNEL_ID.match(channel) else escape(channel)


def _section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(cut(text, LIMITS.section_chars))}


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}
