"""A Slack Web API stand-in on 127.0.0.1: the methods the bot calls, recorded, with 429 storms.

Modelled on bolt-python's tests/mock_web_api_server: a real HTTP server the real slack_sdk client
talks to, answering like Slack (`{"ok": ...}` JSON, 429 with Retry-After when told to throttle).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "xoxb-test-token"


@dataclass
class SlackStandIn:
    """What the stand-in received, and how it should misbehave."""

    url: str = ""
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    throttle_next: int = 0
    refuse_with: str | None = None

    def posts(self, method: str = "chat.postMessage") -> list[dict[str, Any]]:
        """The bodies of one method's accepted calls, in order."""
        return [body for called, body in self.calls if called == method]

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if self.throttle_next > 0:
            self.throttle_next -= 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "0"}
            )
        body = await _body(request)
        if self.refuse_with:
            return web.json_response({"ok": False, "error": self.refuse_with})
        self.calls.append((method, body))
        return web.json_response(self.answer(method, body))

    def answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT"}
        if method == "conversations.history":
            messages = [
                {"ts": str(n), "text": post["text"], "metadata": post.get("metadata")}
                for n, post in enumerate(self.posts())
                if post.get("channel") == body.get("channel")
            ]
            return {"ok": True, "messages": messages}
        return {"ok": True, "channel": body.get("channel"), "ts": f"{len(self.calls)}.000100"}


async def _body(request: web.Request) -> dict[str, Any]:
    if request.method == "GET":
        return {key: _maybe_json(value) for key, value in request.query.items()}
    if request.content_type == "application/json":
        data = await request.json()
        return dict(data)
    form = await request.post()
    return {key: _maybe_json(str(value)) for key, value in form.items()}


def _maybe_json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


@asynccontextmanager
async def slack_standin() -> AsyncIterator[SlackStandIn]:
    """Run the stand-in on a free loopback port for the duration of a test."""
    standin = SlackStandIn()
    app = web.Application()
    app.router.add_route("*", "/api/{method}", standin.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    standin.url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/"
    try:
        yield standin
    finally:
        await runner.cleanup()
