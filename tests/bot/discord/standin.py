"""A Discord stand-in on 127.0.0.1: the REST routes the bot calls and a websocket gateway.

The real discord.py client talks to it as it would to Discord: `GET /users/@me` and the
application at login, `GET /gateway/bot` for the gateway address, command sync, interaction
callbacks and webhook follow-ups (JSON, or multipart with files, whose bytes it keeps), channel
messages and threads, and attachments on a CDN path (`attach`). The gateway sends HELLO, takes
IDENTIFY, answers with READY and a GUILD_CREATE, acks heartbeats, and then sends whatever
dispatch events a test pushes (INTERACTION_CREATE, MESSAGE_CREATE).

Each process of a multi-process test can be given a REST base of its own (`api_url_for`), so the
stand-in can tell whose call it took (`Call.via`); with `hold_posts`, a message is made at once and
its answer held back until `release_posts`, so a test can kill a process while its post is in
flight (Discord has the message, the process never hears so).

Channels have a type (`channel_types`, 0 unless told: 15 is a forum), asked with `GET
/channels/{id}`. A thread started on a message has that message's id (a second one is refused with
code 160004, as Discord does); a forum post (`POST /channels/{forum}/threads`) is a thread whose
first message has the thread's id. `shown(channel)` is what a channel or thread shows, `GET
.../messages` answers it, and `GET /guilds/{id}/threads/active` lists the threads made; `posts_left`
accepts that many more messages and refuses the rest (a crash mid-thread).

Every JSON answer carries Content-Type exactly `application/json`: discord.py parses nothing
else (aiohttp's `json_response` would add a charset).
"""

from __future__ import annotations

import asyncio
import contextlib
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
HOLD_LIMIT = 30.0  # seconds a held answer waits for `release_posts` at most


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


def guild_payload(
    guild_id: int = GUILD_ID, channel_id: int = CHANNEL_ID, name: str = "Lindmoor readers"
) -> dict[str, Any]:
    """A test server: one text channel, the bot as a member, @everyone's permissions."""
    everyone = {
        "id": str(guild_id),
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
        "id": str(channel_id),
        "type": 0,
        "name": "news",
        "position": 0,
        "permission_overwrites": [],
        "guild_id": str(guild_id),
    }
    me = {
        "user": user(BOT_ID, "newsdigest", bot=True),
        "roles": [],
        "joined_at": TIMESTAMP,
        "flags": 0,
    }
    return {
        "id": str(guild_id),
        "name": name,
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
    via: str = ""  # the name in the REST base the call came through ("" for `api_url`)


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
    refuse_channels: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    """Channel id: (HTTP status, Discord error code, message) its new messages are refused with."""
    refused: list[Call] = field(default_factory=list)
    hold_posts: bool = False  # hold each message's answer back (the message is made)
    holding: list[Call] = field(default_factory=list)  # message posts made, answers held back
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    guilds: dict[int, int] = field(default_factory=lambda: {GUILD_ID: CHANNEL_ID})  # its channel
    attachments: dict[str, bytes] = field(default_factory=dict)  # CDN path: bytes
    channel_types: dict[str, int] = field(default_factory=dict)  # channel id: type (else 0)
    threads: dict[str, dict[str, Any]] = field(default_factory=dict)  # thread id: thread
    created: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel: messages
    posts_left: int | None = None  # accept this many more messages, refuse the rest
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1_000_000_000))
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(2))

    @property
    def api_url(self) -> str:
        """The REST base to give the bot as DISCORD_API_URL."""
        return f"{self.url}/api/v10"

    def api_url_for(self, via: str) -> str:
        """A REST base of its own for one process; its calls are recorded with `via`."""
        return f"{self.url}/{via}/api/v10"

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
            refused = await self._refuse(request, path) or self._misbehave() or self._spent(path)
            if refused is not None:
                return refused
        body = await _read_body(request)
        call = Call(request.method, path, body, request.match_info.get("via", ""))
        self.calls.append(call)
        answer = self.answer(request.method, path, body)
        if self.hold_posts and call.method == "POST" and path.endswith("/messages"):
            await self._hold(call)
        return answer

    def release_posts(self) -> None:
        """Answer the held message posts, and hold no more."""
        self.hold_posts = False
        self._released.set()

    async def _hold(self, call: Call) -> None:
        """Keep a made message's answer back until `release_posts` (HOLD_LIMIT at most)."""
        self.holding.append(call)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._released.wait(), HOLD_LIMIT)
        finally:
            self.holding.remove(call)

    async def _refuse(self, request: web.Request, path: str) -> web.Response | None:
        """A refusal for good of a message to a channel in `refuse_channels` (else None)."""
        channel = path.removeprefix("/channels/").split("/")[0]
        if channel not in self.refuse_channels or not path.endswith("/messages"):
            return None
        status, code, message = self.refuse_channels[channel]
        self.refused.append(Call(request.method, path, await request.json()))
        return as_json({"message": message, "code": code}, status=status)

    def _spent(self, path: str) -> web.Response | None:
        """A refusal once `posts_left` messages (forum posts included) have been accepted."""
        making = path.endswith("/messages") or (
            path.endswith("/threads") and "/messages/" not in path
        )
        if self.posts_left is None or not making:
            return None
        if self.posts_left <= 0:
            return as_json({"message": "Missing Access", "code": 50001}, status=403)
        self.posts_left -= 1
        return None

    def shown(self, channel_id: int | str) -> list[dict[str, Any]]:
        """The messages a channel or thread shows, in order (a nonce repeat makes none)."""
        return self.created.get(str(channel_id), [])

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
        if method == "GET":
            return self.read(path)
        if path.endswith("/threads"):
            return self.new_thread(path, body)
        return as_json(self.message(path, body or {}))

    def read(self, path: str) -> web.Response:
        """GET: a channel, a channel's messages (newest first), a server's active threads."""
        parts = path.split("/")
        if path.endswith("/threads/active"):
            return as_json({"threads": list(self.threads.values()), "members": []})
        if path.endswith("/messages"):
            return as_json(list(reversed(self.shown(parts[2]))))
        channel = parts[2]
        if channel in self.threads:
            return as_json(self.threads[channel])
        kind = self.channel_types.get(channel, 0)
        return as_json({"id": channel, "type": kind, "guild_id": str(GUILD_ID), "name": "news"})

    def new_thread(self, path: str, body: dict[str, Any]) -> web.Response:
        """A thread on a message (its id the message's, once), or a forum post and its message."""
        parts = path.split("/")
        if "messages" in parts:
            if parts[4] in self.threads:
                data = {"message": "A thread has already been created for this message"}
                return as_json(data | {"code": 160004}, status=400)
            return as_json(self.thread(path, body, parts[4]))
        thread = self.thread(path, body)
        first = self._new_message(thread["id"], body.get("message") or {})
        first["id"] = thread["id"]
        self.created.setdefault(thread["id"], []).append(first)
        return as_json(thread | {"message": first})

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

    def thread(
        self, path: str, body: dict[str, Any], thread_id: str | None = None
    ) -> dict[str, Any]:
        """A new thread of the channel in `path` (its id `thread_id`, else a fresh one)."""
        parent = path.split("/")[2]
        made = {
            "id": thread_id or self.new_id(),
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
        self.threads[made["id"]] = made
        return made

    def message(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """A new message, or (as Discord does) the one already sent with the same nonce."""
        parts = path.split("/")
        channel = parts[2] if parts[1] == "channels" else str(CHANNEL_ID)
        nonce = body.get("nonce") if body.get("enforce_nonce") else None
        if nonce is not None and (channel, nonce) in self.by_nonce:
            return self.by_nonce[(channel, nonce)]
        message = self._new_message(channel, body)
        self.created.setdefault(channel, []).append(message)
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
        # Discord's rule for a server's shard
        ours = [guild for guild in self.guilds if (guild >> 22) % shard[1] == shard[0]]
        ready = {
            "v": 10,
            "user": user(BOT_ID, "newsdigest", bot=True),
            "guilds": [{"id": str(guild), "unavailable": True} for guild in ours],
            "session_id": f"session-{len(self.identified)}",
            "resume_gateway_url": self.url.replace("http://", "ws://") + "/gateway",
            "application": {"id": str(APP_ID), "flags": 0},
        }
        if "shard" in identify:
            ready["shard"] = identify["shard"]
        await socket.send_str(json.dumps({"op": 0, "t": "READY", "s": 1, "d": ready}))
        for number, guild in enumerate(ours, start=2):
            name = "Lindmoor readers" if guild == GUILD_ID else f"server {guild}"
            payload = guild_payload(guild, self.guilds[guild], name)
            create = {"op": 0, "t": "GUILD_CREATE", "s": number, "d": payload}
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
    app.router.add_route("*", "/{via}/api/v10/{path:.*}", standin.rest)
    app.router.add_get("/attachments/{path:.*}", standin.cdn)
    async with serve_on_loopback(app) as url:
        standin.url = url
        try:
            yield standin
        finally:
            for socket in standin.sockets:
                await socket.close()
