"""Articles in French, German, Spanish, Italian, Portuguese and Dutch; other languages refused.

The articles in fixtures/languages were written for these tests (the places are real, the stories
are not). Each carries a headline, a "Read more" line in its language and 8 sentences.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from summaries import Analyzer, UnsupportedLanguageError
from summaries.clean import clean_text
from summaries.language import FLAG_DECLARED, identify, language_name, normalise
from summaries.nlp import Pipelines
from summaries.summarise import stem, stop_words

FIXTURES = Path(__file__).parent / "fixtures" / "languages"
ROOT = Path(__file__).resolve().parents[2]
#: Each fixture's "Read more" line, which cleaning must drop.
READ_MORE = {
    "fr": "Lire aussi : Les transports en commun gratuits",
    "de": "Lesen Sie auch: Wie Hamburg seine Fernwärme",
    "es": "Leer más: El calentamiento del agua",
    "it": "Leggi anche: Le città italiane",
    "pt": "Leia mais: Metro de Lisboa",
    "nl": "Lees meer: Waarom Nederlanders",
}
LANGUAGES = tuple(READ_MORE)


def fixture(language: str) -> str:
    return (FIXTURES / f"{language}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_is_digested_with_its_language_set(analyzer: Analyzer, language: str) -> None:
    text = fixture(language)
    digest = analyzer.analyze(text=text, published=date(2025, 6, 2))
    assert digest.language == language
    assert digest.title == text.splitlines()[0]
    assert len(digest.summary) == 3
    assert all(sentence in " ".join(text.split()) for sentence in digest.summary)
    assert not any(READ_MORE[language] in sentence for sentence in digest.summary)
    assert digest.flags == ()


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_sentences_split_by_its_own_pipeline(
    analyzer: Analyzer, language: str
) -> None:
    article = analyzer.prepare(fixture(language))
    assert article.language == language
    # 8 sentences, one a line; the headline became the title and "Read more" was dropped
    assert len(article.units) == 8
    assert article.title is not None
    assert any(line.startswith(READ_MORE[language]) for line in article.clean.dropped)


def test_another_language_is_refused_naming_it(analyzer: Analyzer) -> None:
    with pytest.raises(UnsupportedLanguageError, match=r"^Russian is not supported yet") as error:
        analyzer.analyze(text=fixture("ru"))
    assert (error.value.language, error.value.name) == ("ru", "Russian")


def test_a_short_text_takes_the_declared_language_then_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    short = "Le maire a inauguré le pont."
    assert identify(short, "fr-FR").language == "fr"
    assert identify(short, "fr-FR").flags == (FLAG_DECLARED.format(words=6, name="French"),)
    monkeypatch.setenv("NEWSDIGEST_DEFAULT_LANGUAGE", "de")
    assert identify(short).language == "de"
    monkeypatch.delenv("NEWSDIGEST_DEFAULT_LANGUAGE")
    assert identify(short).language == "en"
    assert identify(fixture("fr"), "de").language == "fr"  # a long text tells its own


def test_a_short_text_declared_in_a_supported_language_is_digested_in_it(
    analyzer: Analyzer,
) -> None:
    digest = analyzer.analyze(
        text="La maire de Saint-Arlon a rouvert le pont vendredi matin devant les habitants.",
        language="fr",
    )
    assert digest.language == "fr"
    assert digest.summary


@pytest.mark.parametrize(
    ("declared", "code"),
    [("fr-FR", "fr"), ("pt_BR", "pt"), ("EN", "en"), (" ", None), (None, None)],
)
def test_declared_language_tags_are_normalised(declared: str | None, code: str | None) -> None:
    assert normalise(declared) == code


def test_language_names_are_english() -> None:
    assert [language_name(code) for code in ("ru", "nl", "zz")] == ["Russian", "Dutch", "zz"]


def test_pipelines_load_each_language_once_on_first_use(analyzer: Analyzer) -> None:
    pipelines = Pipelines({"en": analyzer.nlp})
    before = pipelines.loaded
    german = pipelines.get("de")
    assert pipelines.get("de") is german
    assert (before, pipelines.loaded) == (("en",), ("en", "de"))
    assert [sent.text for sent in german("Das ist gut. Der Senat tagt heute.").sents] == [
        "Das ist gut.",
        "Der Senat tagt heute.",
    ]


def test_french_runs_its_trained_pipeline(analyzer: Analyzer) -> None:
    french = analyzer.pipelines.get("fr")
    assert french.meta["name"] == "core_news_sm" and french.lang == "fr"
    assert "parser" not in french.pipe_names and "ner" in french.pipe_names


@pytest.mark.parametrize(
    ("language", "words", "stems"),
    [
        ("fr", ("gouvernements", "gouvernement"), "gouvern"),
        ("de", ("Regierungen", "Regierung"), "regier"),
        ("nl", ("verkiezingen", "verkiezing"), "verkiez"),
    ],
)
def test_ranking_stems_in_the_article_language(
    language: str, words: tuple[str, ...], stems: str
) -> None:
    assert {stem(word.lower(), language) for word in words} == {stems}


@pytest.mark.parametrize("language", [*LANGUAGES, "en"])
def test_every_language_has_stop_words(language: str) -> None:
    common = {"fr": "les", "de": "und", "es": "los", "it": "della", "pt": "não", "nl": "het"}
    assert common.get(language, "the") in stop_words(language)


def test_read_more_lines_are_furniture_only_in_their_own_language() -> None:
    text = "First sentence of the story.\n\nLeia mais: Metro de Lisboa.\n\nLast sentence here."
    assert clean_text(text, language="pt").dropped == ("Leia mais: Metro de Lisboa.",)
    assert clean_text(text, language="en").dropped == ()


@pytest.mark.slow
def test_analyze_command_gives_each_language_or_refuses_it_by_name() -> None:
    """One `analyze --jsonl` process for all seven texts: a digest each, Russian refused by name."""
    records = [
        {
            "id": language,
            "text": (FIXTURES / f"{language}.txt").read_text(encoding="utf-8"),
            "published": "2024-03-14",
        }
        for language in (*LANGUAGES, "ru")
    ]
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "analyze", "--jsonl"],
        input="".join(json.dumps(record) + "\n" for record in records),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    answers = {answer["id"]: answer for answer in map(json.loads, done.stdout.splitlines())}
    for language in LANGUAGES:
        record = answers[language]
        assert record["language"] == language and len(record["summary"]) == 3, record
        assert record["actors"] and any(d["value"] for d in record["dates"]), record
    assert answers["ru"]["error"].startswith("Russian is not supported yet")
