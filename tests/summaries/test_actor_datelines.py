"""The dateline rule: "WASHINGTON —" and "(CNN)" say where and by whom, so they name no actor.

Invented articles for the behaviour; hypothesis strings the dateline pattern itself accepts for
totality (the rule runs on every English article).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from summaries import Analyzer
from summaries.actor_datelines import DATELINE, dateline_end
from summaries.actors import ReferentOptions, find_referents, rank_actors

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
datelines = st.from_regex(DATELINE, fullmatch=True).filter(lambda s: "\n" not in s)

BODY = (
    " The Tarnow Growers Cooperative said on Monday that its apple harvest had doubled. "
    "Marta Kowalska, who chairs the cooperative, said the Tarnow Growers Cooperative would "
    "hire forty pickers. Kowalska said prices had held."
)


def names(nlp: Language, text: str, options: ReferentOptions | None = None) -> list[str]:
    return [actor.name for actor in rank_actors(find_referents(nlp(text), options))]


def test_the_dateline_place_is_no_actor_when_the_story_does_not_name_it(nlp: Language) -> None:
    found = names(nlp, "KRAKOW, Poland —" + BODY)
    assert "Marta Kowalska" in found
    assert not any("KRAKOW" in name or "Krakow" in name for name in found)
    assert any("KRAKOW" in name for name in names(nlp, "KRAKOW, Poland —" + BODY, _OFF))


def test_an_agency_credit_is_no_actor(nlp: Language) -> None:
    assert "Reuters" not in names(nlp, "WARSAW (Reuters) -" + BODY)
    assert "CNN" not in names(nlp, "(CNN)" + BODY.lstrip())


def test_a_place_the_story_names_again_keeps_its_own_mentions(nlp: Language) -> None:
    text = "KRAKOW, Poland —" + BODY + " Farmers across Krakow expect the same next year."
    actors = rank_actors(find_referents(nlp(text)))
    krakow = [actor for actor in actors if actor.name == "Krakow"]
    assert krakow and krakow[0].mentions == 1


def test_an_opening_that_only_looks_capitalised_is_no_dateline() -> None:
    for text in ("U.S.-led forces withdrew.", "NASA said - again - no.", "I - think so."):
        assert dateline_end(text) == 0
    assert dateline_end("US - troops left.") == len("US - ")


def test_the_dateline_is_kept_in_the_summary(analyzer: Analyzer) -> None:
    digest = analyzer.analyze(text="KRAKOW, Poland —" + BODY, sentences=1)
    assert digest.summary[0].startswith("KRAKOW, Poland —")


@PROPERTY
@given(datelines)
def test_any_dateline_the_pattern_accepts_ends_where_it_does(dateline: str) -> None:
    text = dateline + BODY
    assert 0 < dateline_end(text) <= len(dateline)


@PROPERTY
@given(datelines)
def test_the_actor_finder_is_total_after_any_dateline(nlp: Language, dateline: str) -> None:
    found = names(nlp, dateline + BODY)
    assert "Marta Kowalska" in found


_OFF = ReferentOptions(datelines=False)
