"""The Slack Home tab: every channel of the workspace with its subscriptions, within view limits.

Feed URLs, topics and errors are escaped like article text; the only markup is our own channel
link (`<#C123>`), which names a channel without notifying anyone.
"""

from __future__ import annotations

import re
from typing import Any

from bot.commands.replies import SubscriptionList
from bot.delivery.timing import describe_weekdays
from bot.domain import ChannelOverview
from bot.render.blocks import LIMITS, Block, escape
from bot.render.text import render_text
from bot.texts import cut

HOME_BLOCKS = 100
_CHANNEL_ID = re.compile(r"^[A-Z0-9]{2,30}$")
_INTRO = (
    "Daily digests of the feeds and topics each channel follows: who is named, when it happens, "
    "and every outlet that reported it. In a channel, `/digest help` lists the commands and "
    "`/digest subscribe <feed-url | site | topic>` starts one; links posted where I am a member "
    "get a digest in their thread."
)


def render_home_view(channels: tuple[ChannelOverview, ...]) -> dict[str, Any]:
    """The `views.publish` view: a header, how to start, then one section per channel."""
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "newsdigest"}},
        _section(_INTRO),
    ]
    room = (HOME_BLOCKS - len(blocks) - 1) // 2
    for channel in channels[:room]:
        blocks += [{"type": "divider"}, _section(_channel_text(channel))]
    if not channels:
        blocks.append(_section("No channel follows anything yet."))
    elif len(channels) > room:
        more = len(channels) - room
        blocks.append({"type": "context", "elements": [_mrkdwn(f"…and {more} more channels")]})
    return {"type": "home", "blocks": blocks}


def _channel_text(channel: ChannelOverview) -> str:
    settings = channel.record.settings
    schedule = (
        f"digest at {settings.digest_time:%H:%M} {escape(settings.timezone)}, "
        f"{describe_weekdays(settings.weekdays)}, mode {settings.mode}"
    )
    if settings.link_replies is not None:  # the channel's own choice; else the platform's default
        schedule += f", link replies {'on' if settings.link_replies else 'off'}"
    listing = escape(render_text(SubscriptionList(channel.subscriptions)))
    return f"*{_channel_link(channel.record.destination.channel)}*: {schedule}\n{listing}"


def _channel_link(channel: str) -> str:
    return f"<#{channel}>" if _CHANNEL_ID.match(channel) else escape(channel)


def _section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(cut(text, LIMITS.section_chars))}


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}
