"""Clicks on a digest's buttons and menus (`block_actions`), answered only to the clicker.

Bolt verifies each interaction as it does commands (the signing secret in HTTP mode; the socket
itself in Socket Mode). Translation only: the clicked value becomes a neutral `ActionRequest`
(bot/commands/actions.py), which looks up what it names for this workspace and channel; the
answer goes back ephemeral. "Share in channel" posts the digest for everyone and replaces the
asker's private copy with a short note.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackClientError

from bot.adapters.slack.listeners import FAILED, NOT_POSTED, SlackServices, is_full_member
from bot.adapters.slack.translate import slack_commands
from bot.commands.actions import (
    ACTIONS,
    ActionRequest,
    ActionResult,
    Changed,
    Shared,
    StoryActionHandler,
    parse_action,
)
from bot.domain import Destination, Platform
from bot.ports import PublishError
from bot.render.actions import action_text
from bot.render.blocks import ACTION_PREFIX, button, escape, link
from bot.texts import cut

log = logging.getLogger(__name__)

MAX_TEXT = 3000  # one section block


def register_story_actions(app: AsyncApp, services: SlackServices) -> None:
    """Every `newsdigest.*` button and menu of the bot's messages."""
    handler = StoryActionHandler(services.commands.engine)

    @app.action(re.compile("^" + re.escape(ACTION_PREFIX)))
    async def act(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()  # first: Slack must see the ack within 3 s
        try:
            await _act(services, handler, body, respond)
        except Exception:
            log.exception("a story action failed in %s", (body.get("channel") or {}).get("id"))
            await respond(text=FAILED, response_type="ephemeral", replace_original=False)


def clicked_value(body: dict[str, Any]) -> str:
    """The value of the clicked button or of the chosen overflow option ("" when none)."""
    action = (body.get("actions") or [{}])[0]
    chosen = action.get("selected_option") or {}
    return str(chosen.get("value") or action.get("value") or "")


async def _act(
    services: SlackServices,
    handler: StoryActionHandler,
    body: dict[str, Any],
    respond: AsyncRespond,
) -> None:
    team = str((body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", ""))
    channel = str((body.get("channel") or {}).get("id") or "")
    user = str((body.get("user") or {}).get("id") or "")
    action = parse_action(clicked_value(body))
    manages = action is not None and ACTIONS[action.kind].manages
    allowed = await is_full_member(services, team, user) if manages else True
    where = Destination(Platform.SLACK, team, channel)
    result = await handler.handle(ActionRequest(where, action, allowed, user or None))
    if isinstance(result, Shared):
        await _share(services, where, result, respond)
        return
    await respond(**answer_payload(result), response_type="ephemeral", replace_original=False)


def answer_payload(result: ActionResult) -> dict[str, Any]:
    """The ephemeral answer to a click: inert text, and an Undo button after a mute or follow."""
    text = cut(slack_commands(action_text(result, escape, link)), MAX_TEXT)
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    if isinstance(result, Changed) and not result.already:
        blocks.append({"type": "actions", "block_id": "undo", "elements": [button(result.undo)]})
    return {"text": text, "blocks": blocks}


async def _share(
    services: SlackServices, where: Destination, shared: Shared, respond: AsyncRespond
) -> None:
    try:
        await services.publisher.post(where, shared.digest)
    except (PublishError, SlackClientError) as error:
        reason = getattr(error, "reason", str(error))
        text = NOT_POSTED.format(reason=escape(reason))
        await respond(text=text, response_type="ephemeral", replace_original=False)
        return
    note = action_text(shared, escape, link)
    await respond(text=note, response_type="ephemeral", replace_original=True)
