"""`newsdigest analyze URL`: the page comes through the guarded seam; refusals are one line."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator

import pytest
from aiohttp import web

from bot.cli import main
from tests.bot.feeds.test_bot_web_feeds import PAGE


@pytest.fixture
def site() -> Iterator[str]:
    """A loopback page server on its own event loop in a thread (the CLI runs its own loop)."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict[str, object] = {}

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html")

    async def start() -> None:
        app = web.Application()
        app.router.add_get("/news/bridge", page)
        runner = web.AppRunner(app, shutdown_timeout=0.1)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        holder["runner"], holder["port"] = runner, runner.addresses[0][1]

    def serve() -> None:
        loop.run_until_complete(start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(10)
    yield f"http://127.0.0.1:{holder['port']}"
    runner = holder["runner"]
    assert isinstance(runner, web.AppRunner)
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def test_a_page_is_fetched_and_digested(
    site: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSDIGEST_ALLOW_HOSTS", "127.0.0.1")
    url = f"{site}/news/bridge?utm_source=chat"
    assert main(["analyze", url, "--json", "--published", "2024-01-05"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["url"] == url
    assert record["title"] == "Lindmoor bridge reopens after repairs"
    assert any("Ilse Brandt" in sentence for sentence in record["summary"])
    assert {"text": "Thursday", "value": "2024-01-04"}.items() <= record["dates"][0].items()


def test_a_private_address_is_refused_in_one_line(
    site: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NEWSDIGEST_ALLOW_HOSTS", raising=False)
    assert main(["analyze", f"{site}/news/bridge"]) == 2
    error = capsys.readouterr().err
    assert error == (
        f"newsdigest: error: cannot read {site}/news/bridge: "
        "refused: 127.0.0.1 is a loopback address\n"
    )
