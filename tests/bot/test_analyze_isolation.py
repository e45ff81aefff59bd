"""Real input never breaks `analyze`: one bad record, a decade word, short text, foreign URLs."""

from __future__ import annotations

import argparse
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.cli.analyze import digest_batch
from bot.cli.main import main
from summaries import Analyzer, ArticleDigest, UnsupportedLanguageError
from summaries.errors import AnalysisError, internal_stage

SIXTIES = (
    "The Sixties were a time of change. The band toured widely across Europe and America for "
    "many years after that."
)
STORY = (
    "The town council of Lindmoor voted on Tuesday to close the old swing bridge for repairs. "
    "Mayor Hanna Vogt said the work would take until the spring. Ferries will carry cyclists "
    "and walkers across the river while the bridge is shut. "
)


class FaultyAnalyzer(Analyzer):
    """The real analyzer, with a bug on texts that contain a marker (test-only)."""

    def analyze(self, **kwargs: Any) -> ArticleDigest:
        if "MARKER" in (kwargs.get("text") or ""):
            with internal_stage("reading dates"):
                raise StopIteration  # what the decade resolver once raised
        return super().analyze(**kwargs)


def batch_args(**overrides: Any) -> argparse.Namespace:
    fields = {"sentences": 2, "algorithm": "newsdigest", "title": None, "url": None}
    fields["language"] = None
    return argparse.Namespace(**{**fields, "published": None, "explain": False, **overrides})


def test_one_failing_record_in_a_batch_costs_only_that_record(analyzer: Analyzer) -> None:
    faulty = FaultyAnalyzer(analyzer.nlp, analyzer.options)
    records = [{"id": n, "text": STORY + ("MARKER" if n == 3 else "")} for n in range(1, 6)]
    out = io.StringIO()
    code = digest_batch(faulty, map(json.dumps, records), batch_args(), out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 1
    assert [line["id"] for line in lines] == [1, 2, 3, 4, 5]
    assert lines[2] == {"id": 3, "error": "internal error while reading dates"}
    assert all(line["summary"] for n, line in enumerate(lines) if n != 2)


def test_a_bug_outside_the_pipeline_steps_is_isolated_too(analyzer: Analyzer) -> None:
    class Exploding(Analyzer):
        def analyze(self, **kwargs: Any) -> ArticleDigest:
            if "MARKER" in (kwargs.get("text") or ""):
                raise KeyError("x")
            return super().analyze(**kwargs)

    records = [{"id": "a", "text": STORY + "MARKER"}, {"id": "b", "text": STORY}]
    out = io.StringIO()
    code = digest_batch(Exploding(analyzer.nlp), map(json.dumps, records), batch_args(), out)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert code == 1 and first == {"id": "a", "error": "internal error (KeyError)"}
    assert second["summary"]


def test_the_sixties_resolve_to_their_decade(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SIXTIES.encode())))
    code = main(["analyze", "-", "--json", "--published", "2024-01-05"])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    values = {d["text"]: d["value"] for d in json.loads(out)["dates"]}
    assert values == {"The Sixties": "196"}


def test_a_single_input_that_hits_a_bug_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Analyzer, **kwargs: Any) -> ArticleDigest:
        raise AnalysisError("finding actors")

    monkeypatch.setattr(Analyzer, "analyze", broken)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(STORY.encode())))
    code = main(["analyze", "-"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.strip().splitlines() == [
        "newsdigest: error: internal error while finding actors (a bug: please report it)"
    ]


def test_short_english_text_is_flagged_not_refused(analyzer: Analyzer) -> None:
    digest = analyzer.analyze(
        text="Trailer: Introducing Deep Space Radio, Weekly Conversations With Astronomers.",
        title="Trailer",
    )
    assert digest.summary
    assert "too short to identify its language (9 words): taken as English" in digest.flags
    assert digest.language == "en"


def test_a_long_text_in_french_is_digested_as_french(analyzer: Analyzer) -> None:
    french = (
        "Le conseil municipal a voté mardi soir la fermeture du vieux pont tournant pour des "
        "travaux qui dureront jusqu'au printemps, a déclaré la maire. Les piétons et les "
        "cyclistes pourront traverser la rivière en bac pendant toute la durée du chantier."
    )
    digest = analyzer.analyze(text=french, published=date(2024, 1, 5))
    assert digest.language == "fr"
    assert digest.summary[0].startswith("Le conseil municipal a voté mardi soir")


def test_a_long_text_in_an_unsupported_language_is_refused_by_name(analyzer: Analyzer) -> None:
    russian = (
        "Городской совет во вторник проголосовал за закрытие старого разводного моста на ремонт, "
        "который продлится до весны. Пешеходы и велосипедисты смогут пересекать реку на пароме "
        "всё время, пока идут работы, сообщила мэр города."
    )
    with pytest.raises(UnsupportedLanguageError, match=r"^Russian is not supported yet"):
        analyzer.analyze(text=russian, published=date(2024, 1, 5))


@pytest.mark.parametrize(
    ("command", "target"),
    [
        ("analyze", "file:///etc/passwd"),
        ("analyze", "gopher://example.com/1"),
        ("analyze", "FTP://example.com/a.txt"),
        ("feed", "gopher://example.com/feed"),
        ("feed", "ftp://example.com/feed.xml"),
    ],
)
def test_urls_the_bot_never_fetches_are_refused_in_its_own_words(
    command: str, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([command, target])
    _, err = capsys.readouterr()
    scheme = target.split(":", 1)[0].lower()
    assert code == 2
    assert err.strip() == (
        f"newsdigest: error: refused: only http:// and https:// URLs are fetched, not {scheme}://"
    )


def test_a_batch_file_is_streamed_and_split_at_newlines_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch.jsonl"
    records = [{"id": "sep", "text": STORY.replace(". ", ".\u2028", 1)}, {"id": "b", "text": STORY}]
    batch.write_text(
        "\ufeff" + "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
        encoding="utf-8",
    )
    assert main(["analyze", "--jsonl", str(batch)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [record["id"] for record in out] == ["sep", "b"]
