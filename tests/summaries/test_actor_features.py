"""The actor benchmark's candidate salience features, cross-validation and miss categories."""

from __future__ import annotations

from spacy.language import Language

from benchmarks.actor_features import candidates, held_out, rerank
from benchmarks.actor_misses import CATEGORIES, why_missed
from benchmarks.actor_signals import is_speaker
from summaries.actors import find_referents

TEXT = (
    "Anna Kowalski opened the new library on Monday. "
    "The building stands in Tarnow, near the river. "
    "Visitors queued for an hour before the doors opened. "
    "The council paid for most of the work. "
    "Kowalski said the shelves would be full by spring. "
    "Tarnow children read the first books aloud."
)


def test_each_candidate_feature_reads_the_article(nlp: Language) -> None:
    doc = nlp(TEXT)
    referents = find_referents(doc)
    features = dict(zip((r.name for r in referents.found), candidates(doc, referents), strict=True))
    kowalski, tarnow = features["Anna Kowalski"], features["Tarnow"]
    assert kowalski.lead == 1 / 3  # named in the first of the three lead sentences only
    assert kowalski.agent == 1.0  # "Anna Kowalski opened", "Kowalski said": verbs follow
    assert kowalski.spread == 2 / 3  # first and middle thirds, not the last
    assert (kowalski.setting, kowalski.place) == (0.0, 0.0)  # a person is never a setting
    assert tarnow.setting == 0.5  # "in Tarnow", then "Tarnow children": one of two
    assert tarnow.place == 1.0


def test_a_weighted_feature_reorders_the_referents(nlp: Language) -> None:
    doc = nlp(TEXT)
    referents = find_referents(doc)
    features = candidates(doc, referents)
    plain = rerank(referents, features, {}, title=None, summary_spans=())
    settings_down = rerank(referents, features, {"place": -5.0}, title=None, summary_spans=())
    assert plain[0].name == "Anna Kowalski"
    assert settings_down[-1].name == "Tarnow"


def test_held_out_scores_each_fold_by_the_setting_its_other_folds_chose() -> None:
    steady = [[1, 2]] * 10  # setting 1 finds two names on every article
    assert held_out(steady, folds=5, shuffles=3) == [20, 20, 20]
    # Setting 1 wins on one article only: the fold holding that article chose setting 0 on
    # the other folds, so held out it scores what setting 0 does there.
    lucky = [[1, 1]] * 9 + [[0, 5]]
    assert held_out(lucky, folds=5, shuffles=2) == [9, 9]


def test_a_missed_name_falls_in_the_first_category_that_fits() -> None:
    text = "Gary Locke met Ana Ruiz in Paris. Locke and the UK envoy spoke of Britain and Leeds."
    ranked = [
        ("Gary Locke", ()),
        ("Ana Ruiz", ()),
        ("UK", ("Britain",)),
        ("Paris", ()),
        ("Mars", ()),
        ("Leeds", ()),
    ]
    golds = ["Locke", "Britain", "Leeds", "Lima", "Envoy Corps", "Ana Ruiz"]
    found = {gold: why_missed(gold, golds, text, ranked) for gold in golds}
    assert found == {
        "Locke": None,
        "Ana Ruiz": None,
        "Britain": CATEGORIES[2],  # only the UK's alias matches it
        "Leeds": CATEGORIES[4],  # sixth, behind "Mars", which matches no gold name
        "Lima": CATEGORIES[0],  # the article never writes it
        "Envoy Corps": CATEGORIES[0],
    }
    assert why_missed("Spoke", golds, text, ranked) == CATEGORIES[1]  # written, but no actor
    crowded = ["Gary Locke", "Ana Ruiz", "UK", "Paris", "Leeds", "Mars"]
    assert why_missed("Leeds", crowded, text, ranked) == CATEGORIES[3]  # five gold names above it


def test_sources_quotations_and_centrality(nlp: Language) -> None:
    doc = nlp("'Brandt acted quickly,' said Varga. Varga left. Ruiz flew to Paris.")
    referents = find_referents(doc)
    features = dict(zip((r.name for r in referents.found), candidates(doc, referents), strict=True))
    brandt, varga = features["Brandt"], features["Varga"]
    assert (brandt.quoted, varga.quoted) == (1.0, 0.0)  # Brandt is named inside the quotation
    assert (brandt.source, varga.source) == (0.0, 0.5)  # "said Varga", then "Varga left"
    assert brandt.centrality == varga.centrality == 1.0  # they share the first sentence
    assert features["Paris"].centrality < 1.0  # it shares a sentence with Ruiz only


def test_a_speaker_is_the_subject_of_a_reporting_verb_not_its_hearer(nlp: Language) -> None:
    doc = nlp("Varga, the club's manager, said so. Lane told Ruiz. According to Kim, it rained.")
    first = {token.text: token.i for token in doc if token.text[:1].isupper()}
    assert is_speaker(doc, first["Varga"])  # an apposition between the name and the verb
    assert not is_speaker(doc, first["Ruiz"])  # "told Ruiz": the hearer
    assert is_speaker(doc, first["Kim"])
