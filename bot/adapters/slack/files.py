"""OPML files on Slack: an export goes to the asker's DM as a file, an import reads a shared one.

Slack slash commands carry no file, so `/digest import-opml` (without a URL) takes the asker's most
recent `.opml` file shared in the channel or in their DM with the bot (`files.list`), downloaded
from `url_private_download` with the bot token through the guarded HTTP seam (the token goes only
to that file's origin). `/digest export-opml` uploads the OPML with Slack's current upload flow
(`files_upload_v2`: files.getUploadURLExternal, the upload, files.completeUploadExternal) to the
DM (`conversations.open`), so a list of any length arrives whole, never as cut text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.translate import slack_line
from bot.commands.opml_files import MAX_OPML_BYTES
from bot.commands.replies import OpmlExported
from bot.commands.spec import SPECS
from bot.ports import Downloads, FeedError

log = logging.getLogger(__name__)

IMPORT_EXAMPLE = f"Example: {slack_line(SPECS['import-opml'].example)}"
NO_FILE = (
    "Error: I found no .opml file from you in this channel or in our direct messages; share "
    f"one here (or give its URL), then run the command again. {IMPORT_EXAMPLE}"
)
TOO_BIG = f"Error: {{name}} is larger than {MAX_OPML_BYTES:,} bytes; split it. {IMPORT_EXAMPLE}"
NOT_READ = f"Error: I could not read {{name}}: {{reason}}. {IMPORT_EXAMPLE}"
NO_LISTING = (
    "Error: Slack would not list your shared files ({reason}); the app needs the files:read "
    f"scope (reinstall it), or give the file's URL. {IMPORT_EXAMPLE}"
)
NOT_SENT = (
    "Error: I could not send you the OPML file ({reason}); the app needs the files:write and "
    f"im:write scopes (reinstall it). Example: {slack_line(SPECS['export-opml'].example)}"
)
NOTHING_TO_EXPORT = (
    "This channel follows no feeds, so there is nothing to export. "
    f"Example: {slack_line(SPECS['subscribe'].example)}"
)
SENT = "I sent you {file} with this channel's {count} feed(s) in our direct messages."
FILE_NAME = "newsdigest-{channel}.opml"
LISTED = 100  # files per listing: a person's latest .opml is near the top


class SharedFileError(Exception):
    """No OPML file could be had from Slack; `answer` says why, in one line with an example."""

    def __init__(self, answer: str) -> None:
        super().__init__(answer)
        self.answer = answer


@dataclass(frozen=True)
class SlackFiles:
    """Slack's file calls for one command: the client, the workspace's token, the downloads."""

    client: AsyncWebClient
    token: str | None
    downloads: Downloads | None

    @property
    def auth(self) -> dict[str, Any]:
        """`token=` for the workspace's calls ({}: the client's own)."""
        return {"token": self.token} if self.token is not None else {}

    async def direct_channel(self, user: str) -> str:
        """The id of the user's DM with the bot (conversations.open; needs im:write)."""
        answer = await self.client.conversations_open(users=user, **self.auth)
        return str((answer.get("channel") or {}).get("id", ""))

    async def export(self, exported: OpmlExported, user: str, channel: str) -> str:
        """Upload the OPML to the user's DM; the ephemeral line that says where it went."""
        if not exported.feeds:
            return NOTHING_TO_EXPORT
        name = FILE_NAME.format(channel=channel)
        try:
            await self.client.files_upload_v2(
                channel=await self.direct_channel(user),
                content=exported.document.encode("utf-8"),
                filename=name,
                title=f"newsdigest feeds of <#{channel}>",
                **self.auth,
            )
        except SlackClientError as error:
            log.warning("OPML export to %s not uploaded: %s", user, error)
            return NOT_SENT.format(reason=_reason(error))
        return SENT.format(file=name, count=exported.feeds)

    async def latest_opml(self, user: str, channel: str) -> bytes:
        """The user's newest .opml file shared in `channel` or in their DM with the bot.

        Raises:
            SharedFileError: None shared, Slack refusing the listing, or a download that failed.
        """
        try:
            listed = await self._listed(user, channel) + await self._listed(
                user, await self.direct_channel(user)
            )
        except SlackClientError as error:
            log.info("files of %s not listed: %s", user, error)
            raise SharedFileError(NO_LISTING.format(reason=_reason(error))) from None
        found = newest_opml(listed)
        if found is None:
            raise SharedFileError(NO_FILE)
        return await self._download(found)

    async def _listed(self, user: str, channel: str) -> list[dict[str, Any]]:
        if not channel:
            return []
        answer = await self.client.files_list(
            user=user, channel=channel, types="all", count=LISTED, **self.auth
        )
        return list(answer.get("files") or [])

    async def _download(self, file: dict[str, Any]) -> bytes:
        name = str(file.get("name") or "the file")
        if int(file.get("size") or 0) > MAX_OPML_BYTES:
            raise SharedFileError(TOO_BIG.format(name=name))
        url = str(file.get("url_private_download") or file.get("url_private") or "")
        if self.downloads is None or not url:
            raise SharedFileError(NOT_READ.format(name=name, reason="it cannot be downloaded"))
        token = self.token or self.client.token
        bearer = f"Bearer {token}" if token else None
        try:
            return await self.downloads.download(url, MAX_OPML_BYTES, authorization=bearer)
        except FeedError as error:
            raise SharedFileError(NOT_READ.format(name=name, reason=error.reason)) from None


def newest_opml(files: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The most recently created file whose name ends in `.opml`, if any."""
    opml = [f for f in files if str(f.get("name") or "").lower().endswith(".opml")]
    return max(opml, key=lambda f: int(f.get("created") or 0), default=None)


def _reason(error: SlackClientError) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or "refused")
    return type(error).__name__
