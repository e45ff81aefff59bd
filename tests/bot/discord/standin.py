"""A Discord stand-in on 127.0.0.1: the REST routes the bot calls and a websocket gateway.

The real discord.py client talks to it as it would to Discord: `GET /users/@me` and the
application at login, `GET /gateway/bot` for the gateway address, command sync, interaction
callbacks and webhook follow-ups (JSON, or multipart with files, whose bytes it keeps), channel
messages and threads, and attachments on a CDN path (`attach`). The gateway sends HELLO, takes
IDENTIFY, answers with READY and a GUILD_CREATE, acks heartbeats, and then sends whatever
dispatch events a test pushes (INTERACTION_CREATE, MESSAGE_CREATE).

Every JSON answer carries Content-Type exactly `application/json`: discord.py parses nothing
else (aiohttp's `json_response` would add a charset).
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

from tests.support.loopback import serve_on_loopback

TOKEN = "discord-test-token"
APP_ID = 700000000000000001
BOT_ID = 700000000000000002
GUILD_ID = 800000000000000001
CHANNEL_ID = 800000000000000002
PERSON_ID = 900000000000000001
EVERYONE_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 35) | (1 << 38)
MANAGE_CHANNELS = 1 << 4
TIMESTAMP = "2024-01-05T09:00:00.000000+00:00"


def as_json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON answer with Content-Type exactly application/json, as discord.py expects."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    """A user object."""
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
    }


def guild_payload() -> dict[str, Any]:
    """The test server: one text channel, the bot as a member, @everyone's permissions."""
    everyone = {
        "id": str(GUILD_ID),
        "name": "@everyone",
        "permissions": str(EVERYONE_PERMISSIONS),
        "position": 0,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
    channel = {
        "id": str(CHANNEL_ID),
        "type": 0,
        "name": "news",
        "position": 0,
        "permission_overwrites": [],
        "guild_id": str(GUILD_ID),
    }
    me = {
        "user": user(BOT_ID, "newsdigest", bot=True),
        "roles": [],
        "joined_at": TIMESTAMP,
        "flags": 0,
    }
    return {
        "id": str(GUILD_ID),
        "name": "Lindmoor readers",
        "icon": None,
        "owner_id": str(PERSON_ID),
        "roles": [everyone],
        "channels": [channel],
        "threads": [],
        "members": [me],
        "member_count": 2,
        "features": [],
        "emojis": [],
        "stickers": [],
        "unavailable": False,
        "large": False,
        "joined_at": TIMESTAMP,
        "premium_tier": 0,
        "preferred_locale": "en-US",
    }


@dataclass
class Call:
    """One REST call the stand-in accepted."""

    method: str
    path: str
    body: Any


@dataclass
class DiscordStandIn:
    """What the stand-in received, and how it should misbehave."""

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    identified: list[dict[str, Any]] = field(default_factory=list)
    shards: int = 1
    throttle_next: int = 0
    throttled: int = 0
    fail_next: int = 0
    failed: int = 0
    chaos: random.Random | None = None
    throttle_share: float = 0.0
    fail_share: float = 0.0
    fail_status: int = 500
    by_nonce: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    attachments: dict[str, bytes] = field(default_factory=dict)  # CDN path: bytes
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1_000_000_000))
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(2))

    @property
    def api_url(self) -> str:
        """The REST base to give the bot as DISCORD_API_URL."""
        return f"{self.url}/api/v10"

    def new_id(self) -> str:
        """A fresh snowflake."""
        return str(next(self._ids))

    def attach(self, name: str, content: bytes) -> dict[str, Any]:
        """A file a user attached to an interaction, served on the CDN path; its resolved data."""
        attachment_id = self.new_id()
        path = f"/attachments/{CHANNEL_ID}/{attachment_id}/{name}"
        self.attachments[path] = content
        return {
            "id": attachment_id,
            "filename": name,
            "size": len(content),
            "url": f"{self.url}{path}",
            "proxy_url": f"{self.url}{path}",
            "content_type": "application/octet-stream",
        }

    async def cdn(self, request: web.Request) -> web.Response:
        """An attachment's bytes, as Discord's CDN serves them."""
        content = self.attachments.get(request.path)
        if content is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=content, content_type="application/octet-stream")

    def made(self, method: str, path_start: str) -> list[Call]:
        """The accepted calls of one method whose path starts with `path_start`, in order."""
        return [c for c in self.calls if c.method == method and c.path.startswith(path_start)]

    def messages(self, channel_id: int | str) -> list[dict[str, Any]]:
        """The bodies of the messages shown in a channel, in order (nonce repeats dropped)."""
        shown, seen = [], set()
        for call in self.made("POST", f"/channels/{channel_id}/messages"):
            nonce = call.body.get("nonce") if call.body.get("enforce_nonce") else None
            if nonce is None or nonce not in seen:
                shown.append(call.body)
            seen.add(nonce)
        return shown

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a dispatch event to every connected gateway session."""
        frame = {"op": 0, "t": event, "s": next(self._seq), "d": data}
        for socket in self.sockets:
            if not socket.closed:
                await socket.send_str(json.dumps(frame))

    # -- REST ---------------------------------------------------------------------------------

    async def rest(self, request: web.Request) -> web.StreamResponse:
        """Every REST route: auth, throttling, then the route's answer."""
        path = "/" + request.match_info["path"]
        if not path.startswith(("/interactions/", "/webhooks/")) and (
            request.headers.get("Authorization") != f"Bot {TOKEN}"
        ):
            return as_json({"message": "401: Unauthorized", "code": 0}, status=401)
        if request.method == "POST" and path.startswith("/channels/"):
            refused = self._misbehave()
            if refused is not None:
                return refused
        body = await _read_body(request)
        self.calls.append(Call(request.method, path, body))
        return self.answer(request.method, path, body)

    def _misbehave(self) -> web.Response | None:
        roll = self.chaos.random() if self.chaos else 1.0
        if self.throttle_next > 0 or roll < self.throttle_share:
            self.throttle_next = max(0, self.throttle_next - 1)
            self.throttled += 1
            # discord.py treats a 429 without Via as a Cloudflare ban and does not retry
            headers = {"Retry-After": "0.01", "X-RateLimit-Scope": "user", "Via": "1.1 google"}
            data = {"message": "You are being rate limited.", "retry_after": 0.01, "global": False}
            return as_json(data, status=429, headers=headers)
        if self.fail_next > 0 or roll > 1.0 - self.fail_share:
            self.fail_next = max(0, self.fail_next - 1)
            self.failed += 1
            data = {"message": f"{self.fail_status}: Server Error", "code": 0}
            return as_json(data, status=self.fail_status)
        return None

    def answer(self, method: str, path: str, body: Any) -> web.Response:
        """What Discord would answer to one accepted call."""
        if path == "/users/@me":
            return as_json(user(BOT_ID, "newsdigest", bot=True))
        if path == "/oauth2/applications/@me":
            return as_json(self.application())
        if path == "/gateway/bot":
            return as_json(self.gateway())
        if path.endswith("/commands"):
            return as_json([self.command(entry) for entry in body or []])
        if path.endswith("/callback"):
            return as_json(self.callback(path, body))
        if method == "DELETE":
            return web.Response(status=204)
        if path.endswith("/threads"):
            return as_json(self.thread(path, body))
        return as_json(self.message(path, body or {}))

    def application(self) -> dict[str, Any]:
        return {
            "id": str(APP_ID),
            "name": "newsdigest",
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": user(PERSON_ID, "owner"),
            "verify_key": "0" * 64,
            "flags": 0,
        }

    def gateway(self) -> dict[str, Any]:
        limits = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return {
            "url": self.url.replace("http://", "ws://") + "/gateway",
            "shards": self.shards,
            "session_start_limit": limits,
        }

    def command(self, entry: dict[str, Any]) -> dict[str, Any]:
        return {"id": self.new_id(), "application_id": str(APP_ID), "version": "1", **entry}

    def callback(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        interaction_id = path.split("/")[2]
        flags = (body.get("data") or {}).get("flags", 0)
        interaction = {
            "id": interaction_id,
            "type": 2,
            "response_message_loading": body["type"] == 5,
            "response_message_ephemeral": bool(flags & 64),
        }
        return {"interaction": interaction}

    def thread(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        parent = path.split("/")[2]
        return {
            "id": self.new_id(),
            "type": 11,
            "guild_id": str(GUILD_ID),
            "parent_id": parent,
            "name": body.get("name", "thread"),
            "owner_id": str(BOT_ID),
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": body.get("auto_archive_duration", 1440),
                "archive_timestamp": TIMESTAMP,
                "locked": False,
            },
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
        }

    def message(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """A new message, or (as Discord does) the one already sent with the same nonce."""
        parts = path.split("/")
        channel = parts[2] if parts[1] == "channels" else str(CHANNEL_ID)
        nonce = body.get("nonce") if body.get("enforce_nonce") else None
        if nonce is not None and (channel, nonce) in self.by_nonce:
            return self.by_nonce[(channel, nonce)]
        message = self._new_message(channel, body)
        if nonce is not None:
            self.by_nonce[(channel, nonce)] = message
        return message

    def _new_message(self, channel: str, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self.new_id(),
            "channel_id": channel,
            "author": user(BOT_ID, "newsdigest", bot=True),
            "content": body.get("content") or "",
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
            "nonce": body.get("nonce"),
        }

    # -- gateway ------------------------------------------------------------------------------

    async def gateway_socket(self, request: web.Request) -> web.WebSocketResponse:
        """HELLO, IDENTIFY, READY and GUILD_CREATE, heartbeat acks, then pushed events."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for frame in socket:
            if frame.type != WSMsgType.TEXT:
                break
            message = json.loads(frame.data)
            if message["op"] == 1:
                await socket.send_str(json.dumps({"op": 11}))
            elif message["op"] == 2:
                self.identified.append(message["d"])
                await self._ready(socket, message["d"])
        return socket

    async def _ready(self, socket: web.WebSocketResponse, identify: dict[str, Any]) -> None:
        shard = identify.get("shard", [0, 1])
        ours = (GUILD_ID >> 22) % shard[1] == shard[0]  # Discord's rule for a server's shard
        ready = {
            "v": 10,
            "user": user(BOT_ID, "newsdigest", bot=True),
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}] if ours else [],
            "session_id": f"session-{len(self.identified)}",
            "resume_gateway_url": self.url.replace("http://", "ws://") + "/gateway",
            "application": {"id": str(APP_ID), "flags": 0},
        }
        if "shard" in identify:
            ready["shard"] = identify["shard"]
        await socket.send_str(json.dumps({"op": 0, "t": "READY", "s": 1, "d": ready}))
        if ours:
            create = {"op": 0, "t": "GUILD_CREATE", "s": 2, "d": guild_payload()}
            await socket.send_str(json.dumps(create))
        self.sockets.append(socket)


async def _read_body(request: web.Request) -> Any:
    """JSON, or multipart as discord.py sends files: `payload_json`, then `files[n]` parts.

    A multipart body is its payload with the files' names and bytes under `uploaded`.
    """
    if not request.can_read_body:
        return None
    if not request.content_type.startswith("multipart/"):
        return await request.json()
    body: dict[str, Any] = {"uploaded": []}
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "payload_json":
            body |= json.loads(await part.text())
        else:
            body["uploaded"].append((part.filename, bytes(await part.read())))
    return body


@asynccontextmanager
async def discord_standin() -> AsyncIterator[DiscordStandIn]:
    """A stand-in served on a free loopback port for the duration of the block."""
    standin = DiscordStandIn()
    app = web.Application()
    app.router.add_get("/gateway", standin.gateway_socket)
    app.router.add_route("*", "/api/v10/{path:.*}", standin.rest)
    app.router.add_get("/attachments/{path:.*}", standin.cdn)
    async with serve_on_loopback(app) as url:
        standin.url = url
        try:
            yield standin
        finally:
            for socket in standin.sockets:
                await socket.close()
