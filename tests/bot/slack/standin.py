"""A Slack stand-in on 127.0.0.1: the Web API methods the bot calls, Socket Mode, response URLs.

Modelled on bolt-python's tests/mock_web_api_server: a real HTTP server the real slack_sdk client
talks to, answering like Slack (`{"ok": ...}` JSON, 429 with Retry-After when told to throttle).
`apps.connections.open` hands out a websocket on the same server that speaks the Socket Mode
envelope protocol: `hello` first, then the envelopes a test pushes, whose acks it records.
Each bot token belongs to one workspace (`tokens`); `oauth.v2.access` checks the app's client id
and secret (HTTP Basic, as slack_sdk sends them), trades a code from `grant` for a new workspace's
bot token and answers as Slack does. Channel membership (`join`, `private`, `memberships`) answers
`users.conversations` (paged), `conversations.members` and `conversations.info`.
Messages keep the `ts` `chat.postMessage` answered with: `conversations.history` lists a channel's
top-level messages (newest first, as Slack does), `conversations.replies` a thread (its parent
first); `posts_left` accepts that many more posts and refuses the rest (a crash mid-thread).

Files, as Slack's current upload flow has them: `files.getUploadURLExternal` hands out an upload URL
on this server, the POST to it stores the bytes, `files.completeUploadExternal` shares the file in
a channel; `views.open` and `views.publish` answer with the view; `conversations.open` names
a user's DM with the bot; `files.list` filters by user and channel, newest first;
`url_private_download` serves a file only with a bot token (else, as Slack does, a login page).
"""

from __future__ import annotations

import base64
import itertools
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.support.loopback import serve_on_loopback
from tests.support.waiting import wait_until

TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-for-tests"


@dataclass
class SlackStandIn:
    """What the stand-in received, and how it should misbehave."""

    url: str = ""
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    callers: list[str] = field(default_factory=list)  # each call's token (client id for OAuth)
    tokens: dict[str, str] = field(default_factory=lambda: {TOKEN: "T1"})  # bot token: team
    codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # OAuth code: team, name
    throttle_next: int = 0
    throttled: int = 0
    refuse_with: str | None = None
    refuse: dict[str, str] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)
    acks: list[dict[str, Any]] = field(default_factory=list)
    guests: set[str] = field(default_factory=set)
    timezones: dict[str, str] = field(default_factory=dict)  # user: their profile's `tz`
    memberships: dict[str, list[str]] = field(default_factory=dict)  # user: channel ids
    page_size: int = 2  # users.conversations pages hold at most this many (to page in tests)
    refuse_channels: dict[str, str] = field(default_factory=dict)  # channel: chat.postMessage error
    refused: list[dict[str, Any]] = field(default_factory=list)  # posts refused that way
    members: dict[str, set[str]] = field(default_factory=dict)  # channel: its members
    private: set[str] = field(default_factory=set)  # private channels (Slack's old "groups")
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    files: dict[str, SharedFile] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)  # file id: bytes sent, not shared yet
    downloads: list[tuple[str, str]] = field(default_factory=list)  # file id, Authorization
    posted: list[dict[str, Any]] = field(default_factory=list)  # messages with their ts
    posts_left: int | None = None  # accept this many more chat.postMessage calls, refuse the rest
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def share(self, user: str, channel: str, name: str, content: bytes) -> SharedFile:
        """A file `user` shared in `channel` (the newest so far)."""
        file = SharedFile(f"F{next(self._ids):05d}", name, user, channel, content, len(self.files))
        self.files[file.id] = file
        return file

    def file_url(self, file: SharedFile) -> str:
        """Where `url_private_download` points for a file."""
        return self.url.replace("/api/", f"/files-pri/{file.id}/{file.name}")

    def posts(self, method: str = "chat.postMessage") -> list[dict[str, Any]]:
        """The bodies of one method's accepted calls, in order."""
        return [body for called, body in self.calls if called == method]

    def posts_with_tokens(
        self, method: str = "chat.postMessage"
    ) -> list[tuple[str, dict[str, Any]]]:
        """One method's accepted calls as (token, body), in order."""
        pairs = zip(self.calls, self.callers, strict=True)
        return [(token, body) for (called, body), token in pairs if called == method]

    def grant(self, code: str, team: str, name: str) -> None:
        """Let `code` be traded (once) for a bot token of workspace `team` (an approved install)."""
        self.codes[code] = (team, name)

    def join(self, channel: str, *users: str, private: bool = False) -> None:
        """Make `users` members of `channel` (a private channel with `private`)."""
        self.members.setdefault(channel, set()).update(users)
        for user in users:
            self.memberships.setdefault(user, []).append(channel)
        if private:
            self.private.add(channel)

    @property
    def response_url(self) -> str:
        """A slash command's response URL on this stand-in."""
        return self.url.replace("/api/", "/respond/1")

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "oauth.v2.access":
            return web.json_response(await self.oauth_access(request))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        known = token == APP_TOKEN if method == "apps.connections.open" else token in self.tokens
        if not known:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if self.throttle_next > 0:
            self.throttle_next -= 1
            self.throttled += 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "0"}
            )
        body = await _body(request)
        if method == "chat.postMessage" and str(body.get("channel")) in self.refuse_channels:
            self.refused.append(body)
            return web.json_response({"ok": False, "error": self.refuse_channels[body["channel"]]})
        if method == "chat.postMessage" and self.posts_left is not None:
            if self.posts_left <= 0:
                return web.json_response({"ok": False, "error": "fatal_error"})
            self.posts_left -= 1
        refusal = self.refuse.get(method) or self.refuse_with
        if refusal:
            return web.json_response({"ok": False, "error": refusal})
        self.calls.append((method, body))
        self.callers.append(token)
        return web.json_response(self.answer(method, body, token))

    def answer(self, method: str, body: dict[str, Any], token: str = TOKEN) -> dict[str, Any]:
        if method == "auth.test":
            team = self.tokens.get(token, "T1")
            bot = "BBOT" if token == TOKEN else f"B-{team}"
            return {"ok": True, "team_id": team, "user_id": "UBOT", "bot_id": bot}
        if method == "apps.connections.open":
            return {
                "ok": True,
                "url": self.url.replace("http://", "ws://").replace("/api/", "/socket"),
            }
        if method == "users.info":
            user = str(body.get("user"))
            person = {"id": user, "is_restricted": user in self.guests}
            if user in self.timezones:
                person["tz"] = self.timezones[user]
            return {"ok": True, "user": person}
        if method == "users.conversations":
            return self.conversations(body)
        if method in MEMBERSHIP:
            return MEMBERSHIP[method](self, body)
        if method.startswith(("files.", "conversations.open")):
            return self.file_answer(method, body, token)
        if method in ("conversations.history", "conversations.replies"):
            return {"ok": True, "messages": self.history(body)}
        if method in ("views.open", "views.publish"):  # the view as Slack stores it
            return {"ok": True, "view": {**body.get("view", {}), "id": f"V{len(self.calls)}"}}
        ts = f"{len(self.calls)}.000100"
        if method == "chat.postMessage":
            self.posted.append({**body, "ts": ts})
        return {"ok": True, "channel": body.get("channel"), "ts": ts}

    def history(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        """A channel's top-level messages, newest first; or a thread's, its parent first."""
        here = [m for m in self.posted if m.get("channel") == body.get("channel")]
        if "ts" in body:  # conversations.replies
            thread = _ts(body["ts"])  # a form value that looks like a number arrives as one
            shown = [m for m in here if thread in (m["ts"], _ts(m.get("thread_ts")))]
        else:
            shown = [m for m in reversed(here) if "thread_ts" not in m]
        keys = ("ts", "text", "metadata", "thread_ts")
        return [{key: m[key] for key in keys if key in m} for m in shown]

    def thread(self, parent_ts: str) -> list[dict[str, Any]]:
        """The replies in a thread, in order."""
        return [m for m in self.posted if _ts(m.get("thread_ts")) == parent_ts]

    def conversations(self, body: dict[str, Any]) -> dict[str, Any]:
        """users.conversations: one page of the user's channels; the cursor is an offset."""
        assert body.get("types") == "public_channel,private_channel", body
        channels = self.memberships.get(str(body.get("user")), [])
        start = int(body.get("cursor") or 0)
        end = start + min(self.page_size, int(body.get("limit") or 100))
        page = [{"id": channel} for channel in channels[start:end]]
        more = str(end) if end < len(channels) else ""
        return {"ok": True, "channels": page, "response_metadata": {"next_cursor": more}}

    def file_answer(self, method: str, body: dict[str, Any], token: str) -> dict[str, Any]:
        """files.getUploadURLExternal, files.completeUploadExternal, files.list, DMs."""
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": f"D-{body.get('users')}"}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids):05d}"
            self.uploads[file_id] = b""
            upload_url = self.url.replace("/api/", f"/upload/{file_id}")
            return {"ok": True, "upload_url": upload_url, "file_id": file_id}
        if method == "files.completeUploadExternal":
            return self.complete_upload(body, token)
        if method == "files.list":
            return {"ok": True, "files": self.listed(body)}
        return {"ok": False, "error": "unknown_method"}

    def complete_upload(self, body: dict[str, Any], token: str) -> dict[str, Any]:
        """Share each uploaded file in `channel_id`, as the bot."""
        shared = []
        for item in body.get("files") or []:
            content = self.uploads.pop(item["id"])
            file = SharedFile(
                item["id"], item.get("title") or item["id"], "UBOT", str(body.get("channel_id")),
                content, len(self.files),
            )  # fmt: skip
            self.files[file.id] = file
            shared.append({"id": file.id, "title": file.name})
        return {"ok": True, "files": shared}

    def listed(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        """files.list: the files of `user` in `channel`, newest first, `count` at most."""
        wanted = [
            file
            for file in self.files.values()
            if file.user == body.get("user") and file.channel == body.get("channel")
        ]
        newest = sorted(wanted, key=lambda file: file.created, reverse=True)
        return [file.listing(self.file_url(file)) for file in newest[: int(body.get("count", 100))]]

    async def upload(self, request: web.Request) -> web.Response:
        """The POST to an upload URL from files.getUploadURLExternal: the file's bytes."""
        file_id = request.match_info["file_id"]
        if file_id not in self.uploads:
            return web.Response(status=404, text="no such upload")
        self.uploads[file_id] = await request.read()
        self.calls.append(("upload", {"file_id": file_id}))
        self.callers.append("")
        return web.Response(text=f"OK - {len(self.uploads[file_id])}")

    async def download(self, request: web.Request) -> web.Response:
        """`url_private_download`: the file for a bot token, else Slack's login page."""
        file = self.files.get(request.match_info["file_id"])
        header = request.headers.get("Authorization", "")
        self.downloads.append((request.match_info["file_id"], header))
        if file is None:
            return web.Response(status=404, text="file_not_found")
        if header.removeprefix("Bearer ") not in self.tokens:
            return web.Response(text="<html><body>Sign in to Slack</body></html>")
        return web.Response(body=file.content, content_type="application/octet-stream")

    async def oauth_access(self, request: web.Request) -> dict[str, Any]:
        """oauth.v2.access: the app's credentials and a granted code give a new bot token."""
        client = _basic_auth(request.headers.get("Authorization", ""))
        body = await _body(request)
        if client != f"{CLIENT_ID}:{CLIENT_SECRET}":
            return {"ok": False, "error": "invalid_client_id"}
        if str(body.get("code")) not in self.codes:
            return {"ok": False, "error": "invalid_code"}
        team, name = self.codes.pop(str(body["code"]))
        token = f"xoxb-{team}-installed"
        self.tokens[token] = team
        self.calls.append(("oauth.v2.access", body))
        self.callers.append(client)
        return _installed(token, team, name)

    async def respond(self, request: web.Request) -> web.Response:
        """A post to a slash command's response URL."""
        self.responses.append(await request.json())
        return web.Response(text="ok")

    async def socket(self, request: web.Request) -> web.WebSocketResponse:
        """A Socket Mode connection: hello, then acks recorded until the client leaves."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1})
        async for message in socket:
            if message.type is WSMsgType.TEXT:
                self.acks.append(json.loads(message.data))
        return socket

    async def push(self, kind: str, payload: dict[str, Any], retry_attempt: int = 0) -> str:
        """Send an envelope (`slash_commands`, `events_api`, `interactive`); its envelope id."""
        await self._connected()
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind in ("slash_commands", "interactive"),
        }
        if kind == "events_api":
            envelope |= {"retry_attempt": retry_attempt, "retry_reason": ""}
        await self.sockets[-1].send_json(envelope)
        return envelope_id

    async def acked(self, envelope_id: str) -> dict[str, Any]:
        """The client's ack of an envelope (bounded wait)."""

        def ack() -> dict[str, Any] | None:
            return next((a for a in self.acks if a.get("envelope_id") == envelope_id), None)

        await wait_until(ack, lambda: f"the ack of envelope {envelope_id}: {self.acks}")
        found = ack()
        assert found is not None
        return found

    async def called(self, method: str, count: int = 1) -> None:
        """Wait (bounded) until `method` has been called `count` times."""
        await wait_until(
            lambda: len(self.posts(method)) >= count,
            lambda: f"{method} called {count} time(s): {self.calls}",
        )

    async def _connected(self) -> None:
        await wait_until(
            lambda: self.sockets and not self.sockets[-1].closed, "a Socket Mode client"
        )


def _channel(standin: SlackStandIn, channel: str) -> dict[str, Any]:
    private = channel in standin.private
    return {"id": channel, "is_channel": not private, "is_group": private, "is_private": private}


def _conversations_members(standin: SlackStandIn, body: dict[str, Any]) -> dict[str, Any]:
    people = sorted(standin.members.get(str(body.get("channel")), set()))
    return {"ok": True, "members": people, "response_metadata": {"next_cursor": ""}}


def _conversations_info(standin: SlackStandIn, body: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "channel": _channel(standin, str(body.get("channel")))}


MEMBERSHIP = {
    "conversations.members": _conversations_members,
    "conversations.info": _conversations_info,
}


@dataclass
class SharedFile:
    """A file shared in a channel (or a DM); `created` orders them, as Slack's timestamps do."""

    id: str
    name: str
    user: str
    channel: str
    content: bytes
    created: int

    def listing(self, url: str) -> dict[str, Any]:
        """The file as files.list shows it."""
        return {
            "id": self.id,
            "name": self.name,
            "title": self.name,
            "user": self.user,
            "channels": [self.channel],
            "created": 1_700_000_000 + self.created,
            "size": len(self.content),
            "url_private": url,
            "url_private_download": url,
        }


async def _body(request: web.Request) -> dict[str, Any]:
    """A call's arguments: its query string (slack_sdk sends `params=` there), then its body."""
    query = {key: _maybe_json(value) for key, value in request.query.items()}
    if request.method == "GET":
        return query
    if request.content_type == "application/json":
        data = await request.json()
        return query | dict(data)
    form = await request.post()
    return query | {key: _maybe_json(str(value)) for key, value in form.items()}


def _ts(value: object) -> str | None:
    """A message ts as chat.postMessage answers it ("6.000100"), however the form carried it."""
    return None if value is None else f"{float(str(value)):.6f}"


def _basic_auth(header: str) -> str:
    """`id:secret` from an HTTP Basic Authorization header ("" if it is not one)."""
    if not header.startswith("Basic "):
        return ""
    return base64.b64decode(header.removeprefix("Basic ")).decode()


def _installed(token: str, team: str, name: str) -> dict[str, Any]:
    """oauth.v2.access's answer for a bot-only install, shaped as Slack documents it."""
    return {
        "ok": True,
        "app_id": "A0NEWSDIGEST",
        "authed_user": {"id": f"U-admin-{team}"},
        "scope": "commands,chat:write,channels:history,groups:history",
        "token_type": "bot",
        "access_token": token,
        "bot_user_id": f"U-bot-{team}",
        "team": {"id": team, "name": name},
        "enterprise": None,
        "is_enterprise_install": False,
    }


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
    app.router.add_get("/socket", standin.socket)
    app.router.add_post("/respond/{id}", standin.respond)
    app.router.add_post("/upload/{file_id}", standin.upload)
    app.router.add_get("/files-pri/{file_id}/{name}", standin.download)
    async with serve_on_loopback(app) as url:
        standin.url = f"{url}/api/"
        try:
            yield standin
        finally:
            for socket in standin.sockets:
                await socket.close()
