"""The OAuth installation store on the bot's database (SQLite, and Postgres when configured), the
publisher posting with each workspace's own token, and the settings that cannot work together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio
from slack_sdk.oauth.installation_store import Installation

from bot.adapters.slack.oauth import SlackInstallations, SlackOAuthOptions, open_installations
from bot.adapters.slack.publisher import SlackClientOptions, SlackPublisher, web_client
from bot.app.platforms import slack_problem
from bot.config import load_settings
from bot.domain import Destination, Platform
from bot.ports import PublishError
from bot.store.sql_engine import create_engine
from tests.bot.conftest import Database
from tests.bot.slack.signing import SECRET
from tests.bot.slack.standin import CLIENT_ID, CLIENT_SECRET, SlackStandIn, slack_standin
from tests.support.digests import digest_of

OPTIONS = SlackOAuthOptions(CLIENT_ID, CLIENT_SECRET)


def installation(team: str, token: str, when: datetime) -> Installation:
    """A bot-only install of the app in `team`, as Bolt saves it after oauth.v2.access."""
    return Installation(
        app_id="A0NEWSDIGEST",
        team_id=team,
        team_name=f"Team {team}",
        bot_token=token,
        bot_id=f"B-{team}",
        bot_user_id=f"U-bot-{team}",
        bot_scopes="commands,chat:write",
        user_id=f"U-admin-{team}",
        installed_at=when.timestamp(),
    )


@pytest_asyncio.fixture
async def installations(database: Database) -> AsyncIterator[SlackInstallations]:
    engine = create_engine(database.url, connect_args=database.connect_args)
    try:
        await open_installations(engine, OPTIONS)  # created once ...
        yield await open_installations(engine, OPTIONS)  # ... and opening again keeps them
    finally:
        await engine.dispose()


@pytest.mark.asyncio
async def test_each_workspace_has_its_newest_bot_token(installations: SlackInstallations) -> None:
    store = installations.installations
    await store.async_save(installation("T1", "xoxb-T1-old", datetime(2024, 1, 1, tzinfo=UTC)))
    await store.async_save(installation("T1", "xoxb-T1-new", datetime(2024, 2, 1, tzinfo=UTC)))
    await store.async_save(installation("T2", "xoxb-T2", datetime(2024, 1, 1, tzinfo=UTC)))
    assert await installations.bot_token("T1") == "xoxb-T1-new"
    assert await installations.bot_token("T2") == "xoxb-T2"
    assert await installations.bot_token("T3") is None


@pytest.mark.asyncio
async def test_an_uninstall_forgets_the_token(installations: SlackInstallations) -> None:
    store = installations.installations
    await store.async_save(installation("T1", "xoxb-T1", datetime(2024, 1, 1, tzinfo=UTC)))
    await store.async_delete_installation(enterprise_id=None, team_id="T1")
    await store.async_delete_bot(enterprise_id=None, team_id="T1")
    assert await installations.bot_token("T1") is None


@pytest.mark.asyncio
async def test_the_state_store_issues_each_state_once(installations: SlackInstallations) -> None:
    state = await installations.states.async_issue()
    assert await installations.states.async_consume(state) is True
    assert await installations.states.async_consume(state) is False


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with slack_standin() as server:
        server.tokens |= {"xoxb-T1": "T1", "xoxb-T2": "T2"}
        yield server


@pytest.mark.asyncio
async def test_one_publisher_posts_to_each_workspace_with_its_token(
    installations: SlackInstallations, standin: SlackStandIn
) -> None:
    for team in ("T1", "T2"):
        saved = installation(team, f"xoxb-{team}", datetime(2024, 1, 1, tzinfo=UTC))
        await installations.installations.async_save(saved)
    client = web_client(SlackClientOptions(None, api_url=standin.url))  # no token of its own
    publisher = SlackPublisher(client, installations)
    for team in ("T1", "T2", "T1"):
        await publisher.publish(Destination(Platform.SLACK, team, f"C-{team}"), digest_of(1), team)
    sent = [(token, body["channel"]) for token, body in standin.posts_with_tokens()]
    assert sent == [("xoxb-T1", "C-T1"), ("xoxb-T2", "C-T2"), ("xoxb-T1", "C-T1")]
    assert await publisher.lookup(Destination(Platform.SLACK, "T2", "C-T2"), "T2") is True


@pytest.mark.asyncio
async def test_a_workspace_without_an_installation_gets_a_clear_publish_error(
    installations: SlackInstallations, standin: SlackStandIn
) -> None:
    publisher = SlackPublisher(web_client(SlackClientOptions(None, standin.url)), installations)
    gone = Destination(Platform.SLACK, "T7", "C1")
    with pytest.raises(PublishError) as refused:
        await publisher.publish(gone, digest_of(1), "key")
    assert refused.value.reason == (
        "the Slack app is not installed in workspace T7 (install it at /slack/install)"
    )
    assert await publisher.lookup(gone, "key") is None
    assert standin.calls == []


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        (
            {"slack_client_id": CLIENT_ID},
            "Slack's install flow needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET",
        ),
        (
            {"slack_client_secret": CLIENT_SECRET, "slack_signing_secret": SECRET},
            "Slack's install flow needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET",
        ),
        (
            {"slack_bot_token": "xoxb-1", "slack_signing_secret": SECRET},
            "set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
            "(many workspaces), not both",
        ),
        (
            {"slack_app_token": "xapp-1", "slack_signing_secret": SECRET},
            "Slack's install flow (SLACK_CLIENT_ID) runs in HTTP mode: it needs "
            "SLACK_SIGNING_SECRET and no SLACK_APP_TOKEN",
        ),
        (
            {},
            "Slack's install flow (SLACK_CLIENT_ID) runs in HTTP mode: it needs "
            "SLACK_SIGNING_SECRET and no SLACK_APP_TOKEN",
        ),
        ({"slack_signing_secret": SECRET}, None),
    ],
)
def test_settings_that_cannot_serve_many_workspaces_are_named(
    settings: dict[str, str], problem: str | None
) -> None:
    oauth = {"slack_client_id": CLIENT_ID, "slack_client_secret": CLIENT_SECRET}
    if "slack_client_id" in settings or "slack_client_secret" in settings:
        oauth = {}
    loaded = load_settings(_env_file=None, **oauth, **settings)
    assert loaded.platform_tokens
    assert slack_problem(loaded) == problem
