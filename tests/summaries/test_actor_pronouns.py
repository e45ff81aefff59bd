"""The actor benchmark's count of mentions not by name: pronouns and definite descriptions."""

from __future__ import annotations

from spacy.language import Language

from benchmarks.actor_coref import Setting, references, rerank
from summaries.actors import find_referents

TEXT = (
    "Sarah Jenkins joined the Tarnow Rowing Club in May. "
    "Her coach, Peter Nowak, says he is pleased. "
    "The club paid for her new boat."
)


def counted(nlp: Language, text: str, setting: Setting) -> dict[str, int]:
    doc = nlp(text)
    referents = find_referents(doc)
    found = references(doc, referents, setting)
    return {r.name: count for r, count in zip(referents.found, found, strict=True)}


def test_pronouns_go_to_the_last_person_of_their_gender(nlp: Language) -> None:
    counts = counted(nlp, TEXT, Setting("both", 1.0))
    # "Her coach", then "her boat": Nowak is "he" by then, so it skips back to Jenkins.
    assert counts["Sarah Jenkins"] == 2
    assert counts["Peter Nowak"] == 1  # "he is pleased"
    assert counts["Tarnow Rowing Club"] == 1  # "The club paid"


def test_each_kind_of_reference_can_be_left_out(nlp: Language) -> None:
    pronouns = counted(nlp, TEXT, Setting("pronouns", 1.0, descriptions=False))
    descriptions = counted(nlp, TEXT, Setting("descriptions", 1.0, pronouns=False))
    assert (pronouns["Sarah Jenkins"], pronouns["Tarnow Rowing Club"]) == (2, 0)
    assert (descriptions["Sarah Jenkins"], descriptions["Tarnow Rowing Club"]) == (0, 1)


def test_a_courtesy_title_fixes_the_gender(nlp: Language) -> None:
    text = "Mrs Alder met Thomas Brand in Leeds. He said she had agreed."
    counts = counted(nlp, text, Setting("both", 1.0))
    assert counts["Alder"] == 1  # "she": the only woman, though Brand was named last
    assert counts["Thomas Brand"] == 1


def test_a_pronoun_beyond_the_window_is_not_counted(nlp: Language) -> None:
    text = (
        "Sarah Jenkins opened the library. Visitors queued for an hour. "
        "The doors opened at nine. She thanked them."
    )
    assert counted(nlp, text, Setting("near", 1.0, window=2))["Sarah Jenkins"] == 0
    assert counted(nlp, text, Setting("far", 1.0, window=3))["Sarah Jenkins"] == 1


def test_references_raise_a_referent_by_their_weight(nlp: Language) -> None:
    text = (
        "Anna Kowalski met Peter Nowak in Tarnow. Kowalski spoke first. "
        "Nowak listened. He nodded. He smiled."
    )
    doc = nlp(text)
    referents = find_referents(doc)
    extra = references(doc, referents, Setting("both", 1.0))
    names = [r.name for r in rerank(referents, extra, 0.0, title=None, summary_spans=())]
    weighted = [r.name for r in rerank(referents, extra, 1.0, title=None, summary_spans=())]
    assert extra[[r.name for r in referents.found].index("Peter Nowak")] == 2
    assert names[:2] == ["Anna Kowalski", "Peter Nowak"]  # as often named, Kowalski earlier
    assert weighted[:2] == ["Peter Nowak", "Anna Kowalski"]  # two more mentions by "he"


def test_subject_first_takes_the_first_person_of_the_last_sentence_naming_one(
    nlp: Language,
) -> None:
    text = "Tom Reed thanked Peter Nowak in Leeds. He smiled."
    assert counted(nlp, text, Setting("last", 1.0)) == {"Tom Reed": 0, "Peter Nowak": 1, "Leeds": 0}
    first = counted(nlp, text, Setting("first", 1.0, subject_first=True))
    assert (first["Tom Reed"], first["Peter Nowak"]) == (1, 0)
