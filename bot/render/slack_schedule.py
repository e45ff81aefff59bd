"""The Home tab's schedule modal (`views.open`): time, timezone, weekdays, maximum stories.

The modal starts from the channel's settings. Its four input blocks have fixed ids, which the
adapter reads the submission by and names when Slack should show an error under one of them
(`response_action: "errors"`). The channel travels in `private_metadata` and is checked again on
submission like any button's value. The timezone is a `static_select` of common zones with the
channel's current one first (Slack allows 100 options; these are far fewer).
"""

from __future__ import annotations

from typing import Any

from bot.delivery.timing import DAY_NAMES
from bot.domain import DestinationRecord
from bot.render.blocks import Block
from bot.texts import MAX_STORIES

SCHEDULE_CALLBACK = "newsdigest-home.schedule"
TIME_BLOCK = "time"
TIMEZONE_BLOCK = "timezone"
WEEKDAYS_BLOCK = "weekdays"
MAX_BLOCK = "max"
#: Each block's one element has this action id.
FIELD = "value"
COMMON_TIMEZONES = (
    "UTC",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Kyiv",
    "Europe/Istanbul",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/Sao_Paulo",
    "America/Mexico_City",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
)
_DAY_LABELS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def schedule_modal(record: DestinationRecord, channel_name: str) -> dict[str, Any]:
    """The modal changing `record`'s schedule, filled in with its current settings.

    Args:
        record: The channel's stored record.
        channel_name: How the title names the channel (plain text, at most 24 characters kept).
    """
    settings = record.settings
    return {
        "type": "modal",
        "callback_id": SCHEDULE_CALLBACK,
        "private_metadata": record.destination.channel,
        "title": _plain(f"Schedule {channel_name}"[:24]),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": [
            _input(TIME_BLOCK, "Digest time", _time(f"{settings.digest_time:%H:%M}")),
            _input(TIMEZONE_BLOCK, "Timezone", _zones(settings.timezone)),
            _input(WEEKDAYS_BLOCK, "Weekdays", _weekdays(settings.weekdays)),
            _input(MAX_BLOCK, "Maximum stories", _number(settings.max_stories)),
        ],
    }


def _input(block_id: str, label: str, element: Block) -> Block:
    return {"type": "input", "block_id": block_id, "label": _plain(label), "element": element}


def _time(initial: str) -> Block:
    return {"type": "timepicker", "action_id": FIELD, "initial_time": initial}


def _zones(current: str) -> Block:
    zones = [current, *(zone for zone in COMMON_TIMEZONES if zone != current)]
    options = [_option(zone, zone) for zone in zones]
    return {
        "type": "static_select",
        "action_id": FIELD,
        "options": options,
        "initial_option": options[0],
    }


def _weekdays(days: frozenset[int]) -> Block:
    options = [_option(label, name) for label, name in zip(_DAY_LABELS, DAY_NAMES, strict=True)]
    element: Block = {"type": "checkboxes", "action_id": FIELD, "options": options}
    chosen = [options[day] for day in sorted(days)]
    if chosen:  # Slack refuses an empty initial_options
        element["initial_options"] = chosen
    return element


def _number(initial: int) -> Block:
    return {
        "type": "number_input",
        "action_id": FIELD,
        "is_decimal_allowed": False,
        "min_value": "1",
        "max_value": str(MAX_STORIES),
        "initial_value": str(initial),
    }


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text), "value": value}


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}
