"""The console adapter and `newsdigest chat` / `newsdigest run`, in process and as real commands."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.app import Overrides, console_chat
from bot.cli.main import main
from bot.config import load_settings
from summaries import Analyzer
from tests.conftest import EXAMPLES
from tests.support.loopback import free_port

ROOT = EXAMPLES.parent
WORLD = EXAMPLES / "feeds" / "world.xml"


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDIGEST_")}
    env["NEWSDIGEST_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path}/data/newsdigest.db"
    return {**env, **extra}


def newsdigest(
    args: list[str], env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.asyncio
async def test_the_console_answers_commands_in_order(tmp_path: Path, analyzer: Analyzer) -> None:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db", local_feed_dirs=str(EXAMPLES)
    )
    out = io.StringIO()
    script = [
        "# comments and blank lines are skipped",
        "",
        "hello",
        f"/subscribe {WORLD}",
        "/digest place:Baghdad",
        "/quit",
        "/help",
    ]
    await console_chat(settings, script, out, overrides=Overrides(summariser=analyzer))
    text = out.getvalue()
    assert "Commands start with /" in text
    assert "Subscribed (#1)" in text and "7 article(s) read now" in text
    assert "Iraq Wants to Kick Out US Troops" in text
    assert "Valmora" not in text  # the topic filtered the digest
    assert "/schedule" not in text  # nothing after /quit


@pytest.mark.asyncio
async def test_the_console_subscribes_to_a_feed_with_a_filter(
    tmp_path: Path, analyzer: Analyzer
) -> None:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db", local_feed_dirs=str(EXAMPLES)
    )
    out = io.StringIO()
    script = [f"/subscribe {WORLD} only:Valmora", "/subscriptions", "/digest", "/links on"]
    await console_chat(settings, script, out, overrides=Overrides(summariser=analyzer))
    text = out.getvalue()
    assert "only items matching Valmora" in text and f"{WORLD} only: Valmora (" in text
    assert "Valmora" in text.split("Link replies: off")[1]  # the digest after the listing
    assert "Iraq Wants to Kick Out US Troops" not in text and "comet" not in text
    assert "link replies on" in text


@pytest.mark.asyncio
async def test_the_console_is_one_user_under_the_command_limit(
    tmp_path: Path, analyzer: Analyzer
) -> None:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db", commands_per_minute=2
    )
    out = io.StringIO()
    await console_chat(
        settings,
        ["/help", "/subscriptions", "/help"],
        out,
        overrides=Overrides(summariser=analyzer),
    )
    answers = out.getvalue().strip().split("\n\n")
    assert answers[-1].startswith("Error: too many commands: 2 a minute at most; try again in")
    assert answers[0].startswith("/digest")


@pytest.mark.slow
def test_chat_script_shows_a_clustered_digest(tmp_path: Path) -> None:
    done = newsdigest(
        ["chat", "--script", "/subscribe examples/feeds/world.xml", "/digest"],
        environment(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert "Subscribed (#1) to examples/feeds/world.xml" in done.stdout
    assert "Covered by 2 sources:" in done.stdout
    assert "harbourgazette.example" in done.stdout and "northernledger.example" in done.stdout
    assert (tmp_path / "data" / "newsdigest.db").is_file()


@pytest.mark.slow
def test_run_subscribes_the_demo_feed_and_reads_stdin_until_it_ends(tmp_path: Path) -> None:
    done = newsdigest(["run"], environment(tmp_path), stdin="/subscriptions\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.index("Digest: last 24 hours") < done.stdout.index("Subscriptions:")
    assert "#1 feed: examples/feeds/world.xml (ok, 7 articles" in done.stdout


def test_every_bad_setting_is_reported_at_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSDIGEST_TIMEZONE", "Mars/Base")
    monkeypatch.setenv("NEWSDIGEST_POLL_MINUTES", "1")
    monkeypatch.setenv("NEWSDIGEST_DATABASE_URL", "sqlite:///no-async-driver.db")
    assert main(["chat", "--script", "/help"]) == 2
    err = capsys.readouterr().err
    for name in ("NEWSDIGEST_TIMEZONE", "NEWSDIGEST_POLL_MINUTES", "NEWSDIGEST_DATABASE_URL"):
        assert name in err
    assert "Traceback" not in err


def test_run_refuses_platform_settings_it_cannot_use(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSDIGEST_DISCORD_TOKEN", "x")
    monkeypatch.setenv("DISCORD_API_URL", f"http://127.0.0.1:{free_port()}/api/v10")
    assert main(["run", "--script", "/help"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsdigest: error: Discord cannot be reached at http://127.0.0.1:")
    assert "Traceback" not in err and err.count("\n") == 1
    monkeypatch.delenv("NEWSDIGEST_DISCORD_TOKEN")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert main(["run", "--script", "/help"]) == 2
    assert "Slack needs SLACK_BOT_TOKEN (xoxb-...)" in capsys.readouterr().err
    monkeypatch.delenv("SLACK_APP_TOKEN")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["run", "--script", "/help"]) == 2
    assert capsys.readouterr().err == (
        "newsdigest: error: Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET "
        "(HTTP mode) as well as SLACK_BOT_TOKEN\n"
    )


KILLER = """
import asyncio, os, sys
from datetime import timedelta
from bot.adapters.console import ConsolePublisher
from bot.app import Overrides, open_bot
from bot.clock import FakeClock, SystemClock
from bot.commands.handlers import CommandRequest
from bot.adapters.console import CONSOLE
from bot.config import load_settings

class DiesAfterPosting(ConsolePublisher):
    async def publish(self, destination, digest, key):
        await super().publish(destination, digest, key)
        os._exit(9)  # killed after the post, before it is recorded as sent

async def main():
    clock = FakeClock(SystemClock().now())
    publisher = DiesAfterPosting(sys.stdout)
    async with open_bot(load_settings(), publisher, Overrides(clock=clock)) as bot:
        for line in ("/mode live 5", f"/subscribe {sys.argv[1]}"):
            await bot.commands.handle(CommandRequest(CONSOLE, line))
        with open(sys.argv[1], "w", encoding="utf-8") as feed:
            feed.write(sys.argv[2])
        clock.advance(timedelta(minutes=20))
        await bot.scheduler.tick()
    print("NOT KILLED")

asyncio.run(main())
"""

ITEM = """<item><title>{title}</title><link>https://demo.example/{slug}</link>
<pubDate>Mon, 03 Jun 2024 08:00:00 GMT</pubDate>
<description><![CDATA[{text}]]></description></item>"""


def feed_xml(*items: tuple[str, str, str]) -> str:
    body = "".join(ITEM.format(slug=s, title=t, text=x) for s, t, x in items)
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'
    )


@pytest.mark.slow
def test_a_process_killed_between_posting_and_recording_never_posts_twice(tmp_path: Path) -> None:
    from tests.support.samples import BRIDGE_A, CHOIR_A

    feed = tmp_path / "feeds" / "local.xml"
    feed.parent.mkdir()
    old = ("choir", "Choir wins", CHOIR_A)
    feed.write_text(feed_xml(old), encoding="utf-8")
    env = environment(tmp_path, NEWSDIGEST_LOCAL_FEED_DIRS=str(feed.parent))
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(KILLER),
            str(feed),
            feed_xml(old, ("bridge", "Bridge closed", BRIDGE_A)),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert killed.returncode == 9, killed.stderr
    assert killed.stdout.count("New: Bridge closed") == 1 and "NOT KILLED" not in killed.stdout
    restarted = newsdigest(["chat", "--script", "/digest"], env)
    assert restarted.returncode == 0, restarted.stderr
    posted_again = restarted.stdout.split("Digest: last 24 hours")[0]
    assert "Bridge closed" not in posted_again  # the restart settled it without posting
    assert "Bridge closed" in restarted.stdout  # /digest on demand still shows it
    with sqlite3.connect(tmp_path / "data" / "newsdigest.db") as db:
        states = db.execute("select kind, state from posts").fetchall()
    assert states == [("live", "unconfirmed")]


def test_a_database_that_cannot_be_opened_is_one_line_without_its_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql+asyncpg://bot:hunter2@127.0.0.1:{free_port()}/news"
    monkeypatch.setenv("NEWSDIGEST_DATABASE_URL", url)
    assert main(["chat", "--script", "/help"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsdigest: error: the database postgresql+asyncpg://bot:***@127.0.0.1:")
    assert "hunter2" not in err and "Traceback" not in err and err.count("\n") == 1


@pytest.mark.slow
def test_an_unreachable_slack_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSDIGEST_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{free_port()}/api/")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsdigest: error: Slack cannot be reached: Cannot connect to host")
    assert "Traceback" not in err and err.count("\n") == 1
