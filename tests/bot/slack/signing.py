"""Requests as Slack signs them (HTTP mode), sent to the bot's endpoint."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp

SECRET = "signing-secret-for-tests"
RESPONSE_URL = "http://127.0.0.1:9/unused"


def signed(
    body: str, secret: str = SECRET, age: int = 0, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """Slack's signature headers for `body`, made `age` seconds ago."""
    stamp = str(int(time.time()) - age)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    content_type = (
        "application/json" if body.startswith("{") else "application/x-www-form-urlencoded"
    )
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
        "Content-Type": content_type,
        **(extra or {}),
    }


def slash_fields(text: str, response_url: str = RESPONSE_URL) -> dict[str, str]:
    """The fields of a `/digest` slash command typed in channel C1."""
    return {
        "command": "/digest",
        "text": text,
        "team_id": "T1",
        "channel_id": "C1",
        "user_id": "U1",
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }


def slash(text: str, response_url: str = RESPONSE_URL) -> str:
    """A `/digest` request body as Slack posts it in HTTP mode."""
    return urlencode(slash_fields(text, response_url))


def event_callback(event: dict[str, Any], event_id: str = "Ev1") -> dict[str, Any]:
    """An Events API `event_callback` wrapper around `event`, in workspace T1."""
    return {
        "token": "unused",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1704445200,
        "event": event,
    }


def message(text: str, ts: str = "1704445200.000100", **fields: Any) -> dict[str, Any]:
    """A person's message event in channel C1."""
    return {
        "type": "message",
        "channel": "C1",
        "channel_type": "channel",
        "user": "U1",
        "text": text,
        "ts": ts,
        **fields,
    }


def event_body(event: dict[str, Any], event_id: str = "Ev1") -> str:
    """An event request body as Slack posts it in HTTP mode."""
    return json.dumps(event_callback(event, event_id))


async def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, float]:
    """POST the body; the status and how long the answer took."""
    started = time.perf_counter()
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as r,
    ):
        await r.read()
        return r.status, time.perf_counter() - started
