"""Names in a headline repeated as the first paragraph: cut where title case runs past them."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Span

from summaries import Analyzer
from summaries.actor_headlines import name_part, ordinary_words

BODY = (
    "Palin said the church was damaged by a fire that investigators called suspicious. "
    "Pastor Larry Kroon said no one was hurt when the fire broke out on Friday night in "
    "Wasilla. Palin has attended the church since 2002."
)


def test_a_name_stops_before_a_word_the_body_writes_in_lower_case(nlp: Language) -> None:
    doc = nlp("Colts Beat Chiefs Again\n\nThe Colts beat the Chiefs 20-13 in Kansas City.")
    ordinary = ordinary_words(doc, doc.text.index("\n\n"))
    tagged = Span(doc, 0, 3, label="ORG")  # "Colts Beat Chiefs"
    part = name_part(tagged, ordinary)
    assert part is not None and part.text == "Colts" and part.label_ == "ORG"


def test_a_span_that_starts_with_an_ordinary_word_is_no_name(nlp: Language) -> None:
    doc = nlp("Gunman Kills Deputy\n\nA gunman shot a deputy on Friday, the sheriff said.")
    ordinary = ordinary_words(doc, doc.text.index("\n\n"))
    assert name_part(Span(doc, 0, 2, label="PERSON"), ordinary) is None


def test_inflected_forms_count_as_the_same_ordinary_word(nlp: Language) -> None:
    doc = nlp("Lindsay Lohan Checks Out\n\nLohan checked into a clinic on Friday.")
    ordinary = ordinary_words(doc, doc.text.index("\n\n"))
    part = name_part(Span(doc, 0, 3, label="PERSON"), ordinary)
    assert part is not None and part.text == "Lindsay Lohan"


def test_the_repeated_headline_still_gives_the_full_name(analyzer: Analyzer) -> None:
    title = "Sarah Palin's Church Damaged In Suspicious Fire."
    digest = analyzer.analyze(text=f"{title}\n\n{BODY}", title=title)
    names = [actor.name for actor in digest.actors]
    assert "Sarah Palin" in names, names
    assert not any("Damaged" in name or "Church" in name for name in names), names
    assert all(title not in sentence for sentence in digest.summary)


def test_a_first_line_other_than_the_title_is_read_as_before(analyzer: Analyzer) -> None:
    title = "Fire at a church in Wasilla"
    digest = analyzer.analyze(text=f"Sarah Palin's church burned.\n\n{BODY}", title=title)
    assert digest.summary[0] == "Sarah Palin's church burned."
