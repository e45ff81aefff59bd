"""Secrets: a canary token never shows up in a log line, an error message, stderr or a repr.

The canary is set as SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, SLACK_CLIENT_SECRET,
DISCORD_TOKEN and as the password of NEWSDIGEST_DATABASE_URL. Every log record of every logger is
captured at DEBUG (caplog, which also sees third-party loggers such as slack_sdk's and aiohttp's),
and so is everything written to stdout and stderr (capfd), while the bot: builds and prints its
settings, reports bad settings, fails to reach a database, is refused by the Slack stand-in,
cannot reach Slack at all, and gets 500s from it.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

from bot.adapters.slack.publisher import SlackClientOptions, SlackPublisher, web_client
from bot.app import Overrides, run_platforms
from bot.config import ConfigError, load_settings
from bot.domain import Destination, Digest, DigestKind, Heading, Platform
from bot.ports import PublishError
from bot.store.sql import open_store
from summaries import Analyzer
from tests.bot.slack.standin import slack_standin
from tests.reliability.conftest import loopback_site
from tests.support.loopback import free_port

CANARY = "c4n4ry-5ecret-7f3a9d"
SLACK_BOT = f"xoxb-{CANARY}"
DATABASE = f"postgresql+asyncpg://newsdigest:{CANARY}@127.0.0.1:{{port}}/newsdigest"
CHANNEL = Destination(Platform.SLACK, "T1", "C-secrets")
NOW = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)
EMPTY = Digest(DigestKind.ON_DEMAND, Heading(), NOW, NOW, ())


@pytest.fixture
def canary_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)  # no .env of the checkout is read
    for name in ("SLACK_BOT_TOKEN", "NEWSDIGEST_SLACK_BOT_TOKEN"):
        monkeypatch.setenv(name, SLACK_BOT)
    monkeypatch.setenv("SLACK_APP_TOKEN", f"xapp-{CANARY}")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", CANARY)
    monkeypatch.setenv("SLACK_CLIENT_SECRET", CANARY)
    monkeypatch.setenv("DISCORD_TOKEN", CANARY)
    yield


@pytest.fixture
def everything(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)  # the root logger: every logger, ours and third parties'
    yield caplog


def assert_no_canary(*texts: object) -> None:
    for text in texts:
        assert CANARY not in str(text), str(text)[:2000]


def printed(error: BaseException) -> str:
    """The traceback as a crash would print it.

    Not pytest's `getrepr()`: its `ast.parse` of every frame's source trips CPython 3.11's "AST
    constructor recursion depth mismatch" SystemError after deep recursion elsewhere in the same
    run, a flaky failure that says nothing about leaks.
    """
    return "".join(traceback.format_exception(error))


def assert_nothing_leaked(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    out, err = capfd.readouterr()
    assert_no_canary(out, err)
    for record in caplog.records:
        assert_no_canary(record.getMessage(), record.exc_text or "", record.args)
    assert caplog.records, "nothing was logged: the capture is not working"


def test_settings_reprs_hide_the_tokens(
    canary_env: None, capfd: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings()
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == SLACK_BOT  # the canary did arrive
    shown = settings.model_dump()
    assert_no_canary(repr(settings), str(settings), shown, settings.model_dump_json())
    print(settings)
    out, err = capfd.readouterr()
    assert_no_canary(out, err)


def test_settings_repr_hides_the_database_password(
    canary_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDIGEST_DATABASE_URL", DATABASE.format(port=5432))
    assert_no_canary(repr(load_settings()))


def test_settings_errors_hide_the_tokens(canary_env: None) -> None:
    with pytest.raises(ConfigError) as bad:
        load_settings(poll_minutes=1, http_port=0, slack_api_url=7)
    assert len(bad.value.problems) == 3
    assert_no_canary(str(bad.value), bad.value.problems, repr(bad.value))


def test_settings_errors_hide_the_database_password(canary_env: None) -> None:
    with pytest.raises(ConfigError) as bad:
        load_settings(database_url=f"mysql://newsdigest:{CANARY}@db.internal/newsdigest")
    assert_no_canary(str(bad.value))


@pytest.mark.asyncio
async def test_an_unreachable_database_does_not_tell_its_password(
    canary_env: None, everything: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    url = DATABASE.format(port=free_port())
    with pytest.raises(OSError) as failed:
        async with open_store(url):
            pass
    assert_no_canary(str(failed.value), repr(failed.value), printed(failed.value))
    logging.getLogger("test").info("database refused: %s", failed.value)
    assert_nothing_leaked(everything, capfd)


@pytest.mark.asyncio
async def test_slack_refusing_missing_or_failing_never_shows_the_token(
    canary_env: None, everything: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    reasons: list[str] = []

    async def broken(request: web.Request) -> web.Response:
        assert request.headers["Authorization"] == f"Bearer {SLACK_BOT}"  # it was sent
        return web.Response(status=500, text="Internal Server Error")

    async with (
        slack_standin() as standin,
        loopback_site({"/api/{method}": broken}, "POST") as failing,
    ):
        for api_url in (
            standin.url,  # answers invalid_auth: the canary is not its token
            f"http://127.0.0.1:{free_port()}/api/",  # nothing listens
            f"{failing}/api/",  # 500s, not even JSON
        ):
            options = SlackClientOptions(SLACK_BOT, api_url=api_url, server_error_wait=0.0)
            publisher = SlackPublisher(web_client(options))
            with pytest.raises(PublishError) as refused:
                await publisher.publish(CHANNEL, EMPTY, "k1")
            reasons.append(refused.value.reason)
            assert_no_canary(str(refused.value), repr(refused.value), printed(refused.value))
            logging.getLogger("bot.delivery.deliverer").warning(
                "post failed: %s", refused.value.reason
            )
            assert await publisher.lookup(CHANNEL, "k1") is None
    assert reasons[0] == "Slack refused the post: invalid_auth"
    assert reasons[1].startswith("Slack could not be reached (Cannot connect to host 127.0.0.1")
    assert reasons[2] == "Slack refused the post: HTTP 500"
    assert_nothing_leaked(everything, capfd)


@pytest.mark.asyncio
async def test_a_token_slack_refuses_stops_the_bot_without_showing_it(
    canary_env: None,
    analyzer: Analyzer,
    tmp_path: Path,
    everything: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SLACK_CLIENT_SECRET")  # one workspace's token: no OAuth install flow
    async with slack_standin() as standin:
        settings = load_settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path}/secrets.db",
            slack_api_url=standin.url,
            http_host="127.0.0.1",
            http_port=free_port(),
            discord_token=None,  # Slack alone: the Discord canary stays in the environment
        )
        with pytest.raises(ConfigError) as stopped:
            await run_platforms(settings, Overrides(summariser=analyzer))
    assert "invalid_auth" in str(stopped.value) or "refused" in str(stopped.value)
    assert_no_canary(str(stopped.value), repr(stopped.value), printed(stopped.value))
    assert_nothing_leaked(everything, capfd)
