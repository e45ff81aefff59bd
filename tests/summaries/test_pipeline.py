"""The whole pipeline on the seed article and on bad input (the core issue's "done when")."""

from __future__ import annotations

from datetime import date

import pytest

from summaries import Analyzer, ArticleDigest, InputError
from summaries.pipeline import FLAG_NO_DATE, FLAG_TOO_SHORT

BOILERPLATE = ("4 Min Read", "Read More", "Share This Article", "Leave a comment", "Black Swan")


@pytest.fixture(scope="module")
def seed_digest(analyzer: Analyzer, seed_article: str) -> ArticleDigest:
    return analyzer.analyze(text=seed_article, published=date(2024, 1, 5))


def test_summary_is_three_verbatim_sentences_in_order(
    seed_digest: ArticleDigest, seed_article: str
) -> None:
    folded = " ".join(seed_article.split())
    assert len(seed_digest.summary) == 3
    positions = [folded.index(sentence) for sentence in seed_digest.summary]
    assert positions == sorted(positions)
    assert 0 < seed_digest.compression < 0.5


def test_boilerplate_never_reaches_summary_or_actors(seed_digest: ArticleDigest) -> None:
    names = [name for actor in seed_digest.actors for name in (actor.name, *actor.aliases)]
    for furniture in BOILERPLATE:
        assert all(furniture not in sentence for sentence in seed_digest.summary)
        assert all(furniture.lower() not in name.lower() for name in names)
    assert not any("NWO" in name for name in names)


def test_title_comes_from_the_headline_line(seed_digest: ArticleDigest) -> None:
    assert seed_digest.title == "Iraq Wants to Kick Out US Troops"


def test_iraqi_prime_minister_is_one_actor(seed_digest: ArticleDigest) -> None:
    sudani = [
        a for a in seed_digest.actors if "Sudani" in a.name or any("Sudani" in x for x in a.aliases)
    ]
    assert len(sudani) == 1
    assert sudani[0].name == "Mohammed Shia Al Sudani"
    assert sudani[0].kind.value == "person"
    assert not any(
        a.name.lower() in {"iraqi prime minister", "prime minister"} for a in seed_digest.actors
    )
    assert seed_digest.actors.index(sudani[0]) < 5


def test_maj_is_no_actor(seed_digest: ArticleDigest) -> None:
    names = {
        name.rstrip(".").lower()
        for actor in seed_digest.actors
        for name in (actor.name, *actor.aliases)
    }
    assert "maj" not in names
    assert not any(name.startswith("maj") for name in names)


def test_dates_resolve_against_the_publication_date(
    seed_digest: ArticleDigest, seed_article: str
) -> None:
    values = {mention.text: mention.value for mention in seed_digest.dates}
    assert values["Thursday"] == "2024-01-04"
    assert values["January 3, 2020"] == "2020-01-03"
    for mention in seed_digest.dates:
        assert seed_article[mention.start : mention.end] == mention.text


def test_without_a_publication_date_relative_dates_stay_unresolved(
    analyzer: Analyzer, seed_article: str
) -> None:
    digest = analyzer.analyze(text=seed_article)
    values = {mention.text: mention.value for mention in digest.dates}
    assert values["Thursday"] is None
    assert values["January 3, 2020"] == "2020-01-03"
    assert FLAG_NO_DATE in digest.flags


def test_html_input_is_extracted_and_offsets_index_the_extracted_text(analyzer: Analyzer) -> None:
    paragraphs = "".join(
        f"<p>{text}</p>"
        for text in (
            "The city council approved a new budget for the public library on Monday.",
            "The budget adds money for longer opening hours, new books and two librarians.",
            "Mayor Jane Porter said the plan would help students and families across the city.",
            "The library closed for repairs on March 3, 2023 and reopened last spring.",
        )
    )
    html = (
        "<html><head><title>Library budget approved</title>"
        '<meta property="article:published_time" content="2024-05-08"></head>'
        f"<body><nav>Home | News</nav><article><h1>Library budget approved</h1>{paragraphs}"
        "</article><footer>Copyright</footer></body></html>"
    )
    digest = analyzer.analyze(html=html)
    assert digest.title == "Library budget approved"
    assert digest.published == date(2024, 5, 8)
    assert digest.text is not None and "Home | News" not in digest.text
    march = next(m for m in digest.dates if m.value == "2023-03-03")
    assert digest.text[march.start : march.end] == march.text


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"text": ""}, "empty"),
        ({"text": "  \n\t "}, "empty"),
        ({"text": "\x00\x01\x02\x03" * 50 + "abc"}, "binary"),
        ({"html": "<html><body><nav>Home</nav></body></html>"}, "no article"),
        (
            {
                "text": "Государственная дума в четверг приняла новый закон о поддержке "
                "возобновляемой энергетики, который вступит в силу в следующем году. "
                "Оппозиция раскритиковала закон за то, что регионы получат слишком мало "
                "денег на его исполнение, а сроки слишком короткие для всех участников."
            },  # 30 words at least: a shorter text takes the declared or default language
            "Russian is not supported yet",
        ),
        ({"text": "One sentence.", "sentences": 0}, "at least 1"),
        ({"text": "One sentence.", "algorithm": "gpt"}, "unknown algorithm"),
    ],
)
def test_bad_input_gets_a_one_line_reason(
    analyzer: Analyzer, kwargs: dict[str, object], reason: str
) -> None:
    with pytest.raises(InputError, match=reason) as caught:
        analyzer.analyze(**kwargs)  # type: ignore[arg-type]
    assert "\n" not in caught.value.reason


def test_a_single_sentence_is_flagged_not_refused(analyzer: Analyzer) -> None:
    digest = analyzer.analyze(
        text="The central bank raised interest rates by half a point on Tuesday."
    )
    assert digest.summary == ("The central bank raised interest rates by half a point on Tuesday.",)
    assert FLAG_TOO_SHORT in digest.flags


@pytest.mark.slow
def test_huge_input_is_cut_and_flagged(analyzer: Analyzer, seed_article: str) -> None:
    huge = (seed_article + "\n\n") * (20_000_000 // len(seed_article))
    assert len(huge) > 19_000_000
    digest = analyzer.analyze(text=huge, published=date(2024, 1, 5))
    assert any(flag.startswith("truncated") for flag in digest.flags)
    assert len(digest.summary) == 3


@pytest.mark.parametrize(
    "algorithm",
    ["lead", "lexrank", "textrank", "lsa", "luhn", "kl", "sumbasic", "reduction", "random"],
)
def test_every_algorithm_gives_verbatim_sentences(
    analyzer: Analyzer, seed_article: str, algorithm: str
) -> None:
    digest = analyzer.analyze(text=seed_article, algorithm=algorithm, sentences=2)
    folded = " ".join(seed_article.split())
    assert len(digest.summary) == 2
    assert all(sentence in folded for sentence in digest.summary)


def test_explain_gives_the_same_digest_and_marks_the_kept_sentences(
    analyzer: Analyzer, seed_article: str
) -> None:
    digest, explained = analyzer.explain(text=seed_article, sentences=3)
    assert digest == analyzer.analyze(text=seed_article, sentences=3)
    kept = [item for item in explained if item.chosen]
    assert len(kept) == 3
    assert [item.index for item in explained] == sorted(item.index for item in explained)
    lead_digest, lead_explained = analyzer.explain(text=seed_article, sentences=3, algorithm="lead")
    assert [item.index for item in lead_explained if item.chosen] == [0, 1, 2]
    assert (
        lead_digest.summary
        == analyzer.analyze(text=seed_article, sentences=3, algorithm="lead").summary
    )


def test_a_body_repeating_its_title_case_headline_yields_no_headline_actors(
    analyzer: Analyzer,
) -> None:
    # As in ECB+ and many feed bodies: the headline again, in title case, as the first line.
    title = "Pierre Thomas Placed on Injured Reserve by New Orleans Saints."
    body = (
        "Pierre Thomas was placed on injured reserve by the New Orleans Saints on Wednesday, "
        "meaning he will miss the playoffs. The Saints lost Chris Ivory on Tuesday. "
        "Coach Sean Payton said the team would sign a running back from its practice squad."
    )
    digest = analyzer.analyze(text=f"{title}\n\n{body}", title=title)
    names = [actor.name for actor in digest.actors]
    assert "Pierre Thomas" in names
    assert not any("Placed" in name for name in names), names
    assert title not in digest.summary
