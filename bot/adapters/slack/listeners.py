"""The Slack app's listeners: `/digest`, links posted in channels, the Home tab.

Translation only: each listener turns a Slack request into a platform-neutral call (a command,
a link to digest, a workspace overview) and renders the answer. `/digest` acknowledges first,
before anything can fail (docs/design.md, "Platform notes": Bolt loses an ack when a listener
raises right after it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltRequest, AsyncRespond
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.files import SharedFileError, SlackFiles
from bot.adapters.slack.members import ChannelMemberships
from bot.adapters.slack.publisher import SlackPublisher
from bot.adapters.slack.translate import (
    RecentMessages,
    command_line,
    from_a_person,
    help_text,
    in_a_channel,
    in_a_direct_message,
    is_retry,
    links_in,
    slack_commands,
    slack_line,
    unsupported,
    wants_shared_file,
)
from bot.commands.handlers import CommandRequest, CommandResult, Commands
from bot.commands.links import LinkFailed, LinkReader
from bot.commands.replies import SPECS, CommandError, DigestReply, HelpReply, OpmlExported
from bot.domain import Destination, Digest, Platform
from bot.ports import PublishError
from bot.render.blocks import escape, render_digest_blocks
from bot.render.mentions import neutralise
from bot.render.slack_home import MEMBERSHIP_UNKNOWN, render_home_view
from bot.render.text import render_error, render_text
from bot.texts import TRY_AGAIN, cut

log = logging.getLogger(__name__)

FAILED = f"Sorry, {TRY_AGAIN}. Example: /digest help"
NOT_POSTED = (
    "Error: I could not post the digest here ({reason}); invite me with /invite @newsdigest. "
    "Example: /digest"
)
MAX_TEXT = 12_000


@dataclass(frozen=True)
class SlackServices:
    """What the listeners call: commands, the link reader, the publisher, channel memberships.

    `on_demand_private`: an asked-for `/digest` answers only its asker, with a share button
    (NEWSDIGEST_ON_DEMAND=private, the default); False posts it in the channel.
    """

    commands: Commands
    publisher: SlackPublisher
    links: LinkReader
    members: ChannelMemberships
    on_demand_private: bool = True

    @property
    def client(self) -> AsyncWebClient:
        """The Web API client every call goes through."""
        return self.publisher.client

    async def auth(self, workspace: str) -> dict[str, Any]:
        """`token=` for a call to a workspace: its installed bot token, or {} for the client's."""
        token = await self.publisher.token(workspace)
        return {"token": token} if token is not None else {}

    async def files(self, workspace: str) -> SlackFiles:
        """File uploads and shared-file downloads in a workspace, with its bot token."""
        token = await self.publisher.token(workspace)
        return SlackFiles(self.client, token, self.commands.downloads)


def register_digest_command(app: AsyncApp, services: SlackServices) -> None:
    """`/digest [subcommand] ...`: a digest goes to the channel, anything else to the asker."""

    @app.command("/digest")
    async def digest(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()  # first, before anything can fail: Slack must see the ack within 3 s
        try:
            await _answer(services, command, respond)
        except Exception:
            log.exception("/digest failed in %s", command.get("channel_id"))
            await _tell(services, command, respond, FAILED)


async def _answer(services: SlackServices, command: dict[str, Any], respond: AsyncRespond) -> None:
    text = command.get("text") or ""
    refusal = unsupported(text)
    if refusal is not None:
        await _tell(services, command, respond, refusal)
        return
    destination = Destination(Platform.SLACK, command["team_id"], command["channel_id"])
    line = command_line(text)
    if in_a_direct_message(command):
        await _personal(services, command, destination)
    allowed = in_a_direct_message(command) or await may_manage(services, command, line)
    user = str(command.get("user_id") or "") or None
    try:
        shared = await _shared_file(services, command, line) if allowed else None
    except SharedFileError as error:
        await _tell(services, command, respond, error.answer)
        return
    request = CommandRequest(destination, line, shared, may_manage=allowed, user=user)
    result = await services.commands.handle(request)
    await _deliver(services, command, respond, result)


async def _personal(
    services: SlackServices, command: dict[str, Any], destination: Destination
) -> None:
    """A person's own destination (their direct message with the bot), in their timezone.

    The timezone of their Slack profile is taken once, when the destination is first seen; a
    timezone they set with `/digest schedule` stays theirs, and Slack is asked only then.
    """
    engine = services.commands.engine
    if await engine.known(destination):
        return  # the profile's timezone was taken when the destination was first seen
    timezone = await profile_timezone(services, destination.workspace, str(command["user_id"]))
    await engine.destination(destination, engine.personal_defaults(timezone))


async def profile_timezone(services: SlackServices, team: str, user: str) -> str | None:
    """The IANA timezone of a person's Slack profile (`user.tz`); None when Slack cannot say."""
    try:
        answer = await services.client.users_info(user=user, **await services.auth(team))
    except SlackClientError as error:
        log.info("no profile timezone for %s (%s): the default is kept", user, error)
        return None
    timezone = (answer.get("user") or {}).get("tz")
    return str(timezone) if timezone else None


async def _deliver(
    services: SlackServices, command: dict[str, Any], respond: AsyncRespond, result: CommandResult
) -> None:
    """A digest to the channel, an export as a file to the asker's DM, anything else to them."""
    destination = Destination(Platform.SLACK, command["team_id"], command["channel_id"])
    if isinstance(result, OpmlExported):
        files = await services.files(destination.workspace)
        answer = await files.export(result, str(command["user_id"]), destination.channel)
        await _tell(services, command, respond, answer)
    elif isinstance(result, DigestReply) and result.digest.entries and services.on_demand_private:
        await _tell_digest(services, command, respond, result.digest)
    elif isinstance(result, DigestReply) and result.digest.entries:
        try:
            await services.publisher.post(destination, result.digest)
        except PublishError as error:
            await _tell(services, command, respond, NOT_POSTED.format(reason=escape(error.reason)))
            return
        # the bot can post here again: a channel paused for refused posts resumes
        engine = services.commands.engine
        await engine.resume(await engine.destination(destination))
    else:
        await _tell(services, command, respond, reply_text(result))


async def _shared_file(services: SlackServices, command: dict[str, Any], line: str) -> bytes | None:
    """For `import-opml` without a URL, the asker's latest shared .opml file (else None)."""
    if not wants_shared_file(line):
        return None
    files = await services.files(str(command.get("team_id", "")))
    return await files.latest_opml(str(command["user_id"]), str(command["channel_id"]))


async def may_manage(services: SlackServices, command: dict[str, Any], line: str) -> bool:
    """Whether the asker may change what the channel receives: members yes, guests no.

    Slack has no per-channel "manage" right that a slash command carries, so the line is drawn
    where Slack draws it for channels: single- and multi-channel guests (`is_restricted`,
    `is_ultra_restricted`) may read digests but not change subscriptions or schedules. Only
    commands that change something cost a `users.info` call; when it fails (the `users:read`
    scope missing, say) the change is refused, never let through.
    """
    spec = SPECS.get(line.removeprefix("/").split(" ", 1)[0].lower())
    if spec is None or not spec.manages:
        return True
    return await is_full_member(services, str(command.get("team_id", "")), command["user_id"])


async def is_full_member(services: SlackServices, team: str, user: str) -> bool:
    """Whether a person is a full member of the workspace (not a guest): who may change things.

    Fails closed: when Slack cannot say, the answer is no.
    """
    try:
        answer = await services.client.users_info(user=user, **await services.auth(team))
    except SlackClientError as error:
        log.warning(
            "cannot tell whether %s is a guest (%s); refusing the change; does the "
            "app have the users:read scope?",
            user,
            error,
        )
        return False
    person = answer.get("user") or {}
    return not (person.get("is_restricted") or person.get("is_ultra_restricted"))


def reply_text(result: CommandResult) -> str:
    """A command's answer as inert Slack text, naming the commands as Slack users type them."""
    return cut(slack_commands(escape(_plain_text(result))), MAX_TEXT)


def _plain_text(result: CommandResult) -> str:
    if isinstance(result, HelpReply):
        return neutralise(help_text(result.specs))
    if isinstance(result, CommandError):
        return render_error(result, slack_line(result.example))
    return render_text(result)


async def _tell(
    services: SlackServices, command: dict[str, Any], respond: AsyncRespond, text: str
) -> None:
    """An answer only the asker sees; through the response URL where the bot may not post."""
    try:
        await services.client.chat_postEphemeral(
            channel=command["channel_id"],
            user=command["user_id"],
            text=text,
            **await services.auth(str(command.get("team_id", ""))),
        )
    except SlackApiError as error:
        log.info("ephemeral answer refused (%s); using the response URL", error.response["error"])
        await respond(text=text, response_type="ephemeral")


async def _tell_digest(
    services: SlackServices, command: dict[str, Any], respond: AsyncRespond, digest: Digest
) -> None:
    """An asked-for digest only the asker sees, with a "Share in channel" button at its end."""
    team = str(command.get("team_id", ""))
    for payload in render_digest_blocks(digest, shareable=True):
        try:
            await services.client.chat_postEphemeral(
                channel=command["channel_id"],
                user=command["user_id"],
                **payload,
                **await services.auth(team),
            )
        except SlackApiError as error:
            log.info(
                "ephemeral digest refused (%s); using the response URL", error.response["error"]
            )
            await respond(**payload, response_type="ephemeral", replace_original=False)


def register_link_replies(app: AsyncApp, services: SlackServices) -> None:
    """A person's message with links, in a channel the bot is in: a digest in its thread.

    Not in channels that said `links off` (nor, when Slack's configured default is off, in those
    that never said `links on`).
    """
    recent = RecentMessages()

    @app.event("message")
    async def message(
        event: dict[str, Any], body: dict[str, Any], request: AsyncBoltRequest
    ) -> None:
        if is_retry(request.headers) or not (from_a_person(event) and in_a_channel(event)):
            return
        if not recent.first_time(event["channel"], event["ts"]):
            return
        try:
            await _reply_to_links(services, str(body.get("team_id", "")), event)
        except Exception:
            log.exception("link reply failed in %s", event.get("channel"))


async def _reply_to_links(services: SlackServices, team: str, event: dict[str, Any]) -> None:
    destination = Destination(Platform.SLACK, team, event["channel"])
    urls = links_in(event.get("text") or "")
    if not urls or not await services.links.wanted(destination):  # `links off` in the channel
        return
    thread = event.get("thread_ts") or event["ts"]
    for url in urls:
        result = await services.links.digest(url)
        if isinstance(result, LinkFailed):
            note = f"I could not digest {escape(url)}: {escape(result.reason)}"
            await _whisper(services, team, event, thread, note)
        else:
            await _reply(services.publisher, destination, result, thread)


async def _reply(
    publisher: SlackPublisher, destination: Destination, digest: Digest, thread: str
) -> None:
    try:
        await publisher.post(destination, digest, thread_ts=thread)
    except PublishError as error:
        log.warning("link digest not posted in %s: %s", destination, error.reason)


async def _whisper(
    services: SlackServices, team: str, event: dict[str, Any], thread: str, text: str
) -> None:
    try:
        await services.client.chat_postEphemeral(
            channel=event["channel"],
            user=event["user"],
            text=text,
            thread_ts=thread,
            **await services.auth(team),
        )
    except SlackClientError as error:
        log.info("could not tell %s about a link: %s", event["user"], error)


def register_home_tab(app: AsyncApp, services: SlackServices) -> None:
    """The Home tab: the viewer's channels (those they are a member of) with their subscriptions."""

    @app.event("app_home_opened")
    async def home(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab") != "home":
            return
        team, user = str(body.get("team_id", "")), str(event["user"])
        try:
            await services.client.views_publish(
                user_id=user,
                view=await home_view(services, team, user),
                **await services.auth(team),
            )
        except SlackClientError as error:
            log.warning("Home tab not published for %s: %s", user, error)


async def home_view(
    services: SlackServices, team: str, user: str, said: str | None = None
) -> dict[str, Any]:
    """The Home tab of `user`: only channels they are a member of; none when Slack cannot tell.

    `said`: the answer to the viewer's last change on the tab (inert mrkdwn), shown at its top.
    """
    members = await services.members.channels(team, user)
    if members is None:  # fail closed: nothing listed rather than everything
        return render_home_view((), notice=MEMBERSHIP_UNKNOWN)
    overview = await services.commands.engine.overview(Platform.SLACK, team, members)
    return render_home_view(overview, said=said)
