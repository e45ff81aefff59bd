"""Personal digests on Slack: `/digest` in the bot's Messages tab (a direct message, `D...`).

A person subscribes themselves there, with no guest check (the destination is their own), and
the destination takes the timezone of their Slack profile (`users.info` -> `user.tz`) when it is
first seen, so `/digest schedule 07:30` means 07:30 where they live. The real Bolt app in HTTP
mode, the Slack publisher and the Slack stand-in; time is a fake clock the test moves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
import pytest_asyncio

from bot.adapters.slack.app import SlackAppOptions, build_slack_app, slack_http_routes
from bot.adapters.slack.publisher import SlackClientOptions, SlackPublisher, web_client
from bot.clock import FakeClock
from bot.domain import Destination, Platform
from bot.fakes import MemoryFeedSource
from bot.ports import FeedEntry
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.slack.signing import SECRET, post, signed, slash_fields
from tests.bot.slack.standin import TOKEN, SlackStandIn, slack_standin
from tests.bot.slack.test_manifest import MANIFEST, items_under
from tests.support.loopback import serve_on_loopback
from tests.support.samples import BRIDGE_A, CHOIR_A, entry
from tests.support.stack import Stack, build

FEED = "https://lindmoor-post.example/feed.xml"
NOW = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
DM = "D0PERSONAL"
PERSON = "U1"


@dataclass
class Personal:
    url: str
    standin: SlackStandIn
    source: MemoryFeedSource
    stack: Stack
    clock: FakeClock
    items: list[FeedEntry]

    async def ask(self, text: str, user: str = PERSON, channel: str = DM) -> str:
        """`/digest <text>` typed by `user` in `channel`: the ephemeral answer's text."""
        before = len(self.standin.posts("chat.postEphemeral"))
        fields = {**slash_fields(text), "channel_id": channel, "user_id": user}
        fields["channel_name"] = "directmessage" if channel.startswith("D") else "news"
        body = urlencode(fields)
        status, _ = await post(self.url, body, signed(body))
        assert status == 200
        await self.standin.called("chat.postEphemeral", before + 1)
        return str(self.standin.posts("chat.postEphemeral")[before]["text"])

    def publish(self, slug: str, text: str) -> None:
        self.items.append(entry(slug, text, self.clock.now()))
        self.source.put(FEED, list(self.items))

    async def tick_at(self, moment: datetime) -> list[str]:
        """The keys of what the scheduler posted at `moment`."""
        self.clock.set(moment)
        return [post.key for post in (await self.stack.scheduler.tick()).posts]


@pytest_asyncio.fixture
async def personal(analyzer: Analyzer) -> AsyncIterator[Personal]:
    source, clock = MemoryFeedSource(), FakeClock(NOW)
    items = [entry("old-news", CHOIR_A, NOW)]
    source.put(FEED, items)
    async with slack_standin() as standin:
        standin.timezones[PERSON] = "Europe/Berlin"
        client = web_client(SlackClientOptions(TOKEN, api_url=standin.url))
        publisher = SlackPublisher(client)
        stack = build(MemoryStore(), source, analyzer, clock, publisher)
        options = SlackAppOptions(signing_secret=SECRET)
        app = build_slack_app(stack.commands, client, options, publisher)
        async with serve_on_loopback(slack_http_routes(app, options)) as url:
            yield Personal(f"{url}/slack/events", standin, source, stack, clock, items)


@pytest.mark.asyncio
async def test_a_personal_digest_arrives_in_the_dm_at_0730_in_the_persons_timezone(
    personal: Personal,
) -> None:
    assert "Subscribed (#" in await personal.ask(f"subscribe {FEED}")
    assert "07:30" in await personal.ask("schedule 07:30")
    record = await personal.stack.engine.destination(Destination(Platform.SLACK, "T1", DM))
    assert record.settings.timezone == "Europe/Berlin"
    personal.publish("bridge", BRIDGE_A)
    # 07:30 in Berlin in January is 06:30 UTC: nothing a minute before, the digest at it
    assert await personal.tick_at(datetime(2024, 1, 6, 6, 29, tzinfo=UTC)) == []
    slot = f"digest:{record.id}:2024-01-06T06:30Z"
    assert await personal.tick_at(datetime(2024, 1, 6, 6, 30, tzinfo=UTC)) == [slot]
    posted = personal.standin.posts()
    assert posted and {body["channel"] for body in posted} == {DM}
    assert "Daily digest, Sat 6 Jan 2024" in str(posted[0])


@pytest.mark.asyncio
async def test_a_guest_may_manage_their_own_dm_but_not_a_channel(personal: Personal) -> None:
    personal.standin.guests.add("UGUEST")
    refused = await personal.ask(f"subscribe {FEED}", user="UGUEST", channel="C1")
    assert "only people who may manage" in refused
    assert "Subscribed (#" in await personal.ask(f"subscribe {FEED}", user="UGUEST", channel="DG")


@pytest.mark.asyncio
async def test_the_profile_timezone_is_taken_once_and_a_chosen_one_stays(
    personal: Personal,
) -> None:
    await personal.ask("schedule 07:30 America/New_York")
    personal.standin.timezones[PERSON] = "Asia/Tokyo"
    await personal.ask("subscriptions")
    record = await personal.stack.engine.destination(Destination(Platform.SLACK, "T1", DM))
    assert record.settings.timezone == "America/New_York"


@pytest.mark.asyncio
async def test_without_a_profile_timezone_the_default_is_kept(personal: Personal) -> None:
    await personal.ask("subscriptions", user="UNOTZ", channel="D0OTHER")
    record = await personal.stack.engine.destination(Destination(Platform.SLACK, "T1", "D0OTHER"))
    assert record.settings.timezone == "UTC"


@pytest.mark.asyncio
async def test_a_channel_never_takes_the_askers_timezone(personal: Personal) -> None:
    await personal.ask("subscriptions", channel="C1")
    record = await personal.stack.engine.destination(Destination(Platform.SLACK, "T1", "C1"))
    assert record.settings.timezone == "UTC"


def test_the_manifest_opens_the_messages_tab_for_commands() -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    assert "messages_tab_enabled: true" in text
    assert "messages_tab_read_only_enabled: false" in text
    assert "message.im" not in items_under("bot_events"), "no typed commands: no message.im"
