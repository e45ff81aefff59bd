"""`newsdigest analyze URL`: the page comes through the guarded seam; refusals are one line."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.cli.main import main


def test_a_page_is_fetched_and_digested(
    threaded_site: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSDIGEST_ALLOW_HOSTS", "127.0.0.1")
    url = f"{threaded_site}/news/bridge?utm_source=chat"
    assert main(["analyze", url, "--json", "--published", "2024-01-05"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["url"] == url
    assert record["title"] == "Lindmoor bridge reopens after repairs"
    assert any("Ilse Brandt" in sentence for sentence in record["summary"])
    assert {"text": "Thursday", "value": "2024-01-04"}.items() <= record["dates"][0].items()


def test_a_page_without_a_doctype_is_still_read_as_html(
    threaded_site: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSDIGEST_ALLOW_HOSTS", "127.0.0.1")
    assert main(["analyze", f"{threaded_site}/news/bare", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["title"] == "Lindmoor bridge reopens after repairs"
    assert "<p>" not in " ".join(record["summary"]) and "<meta" not in record.get("text", "")


def test_a_private_address_is_refused_in_one_line(
    threaded_site: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NEWSDIGEST_ALLOW_HOSTS", raising=False)
    site = threaded_site
    assert main(["analyze", f"{site}/news/bridge"]) == 2
    error = capsys.readouterr().err
    assert error == (
        f"newsdigest: error: cannot read {site}/news/bridge: "
        "refused: 127.0.0.1 is a loopback address\n"
    )


def test_feed_prints_each_item_and_flags_excerpts(
    threaded_site: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSDIGEST_ALLOW_HOSTS", "127.0.0.1")
    assert main(["feed", f"{threaded_site}/feed.xml", "--json"]) == 0
    bridge, budget = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert bridge["url"] == f"{threaded_site}/news/bridge" and bridge["flags"] == []
    assert any("Ilse Brandt" in sentence for sentence in bridge["summary"])
    assert "from feed excerpt" in budget["flags"]  # its page answered 404
    assert budget["summary"][0].startswith("The town council approved")


def test_feed_refusal_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feed", "http://169.254.169.254/latest/feed"]) == 2
    assert capsys.readouterr().err == (
        "newsdigest: error: cannot read http://169.254.169.254/latest/feed: "
        "refused: 169.254.169.254 is a link-local address\n"
    )


def test_feed_goes_on_past_an_item_the_core_fails_on(
    threaded_site: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from summaries import Analyzer, ArticleDigest
    from summaries.errors import AnalysisError

    real = Analyzer.analyze

    def fails_on_the_bridge(self: Analyzer, **kwargs: Any) -> ArticleDigest:
        if "bridge" in (kwargs.get("url") or ""):
            raise AnalysisError("reading dates")
        return real(self, **kwargs)

    monkeypatch.setattr(Analyzer, "analyze", fails_on_the_bridge)
    monkeypatch.setenv("NEWSDIGEST_ALLOW_HOSTS", "127.0.0.1")
    assert main(["feed", f"{threaded_site}/feed.xml", "--json"]) == 0
    bridge, budget = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert bridge == {
        "id": None,
        "error": f"{threaded_site}/news/bridge: internal error while reading dates",
    }
    assert budget["summary"][0].startswith("The town council approved")
