"""Every date rule's resolver is total over the strings its own pattern accepts.

The strings come from the rule's regular expression itself (hypothesis' `from_regex`, case
insensitive as the rules are), then in upper, lower, title and swapped case, and with
non-breaking spaces: a resolver must answer a value or None for each, never raise. Found this way:
"the Sixties" once ended `analyze` in a StopIteration.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summaries.dates_resolvers import RESOLVERS, DateMemory, resolve
from summaries.dates_rules import RULES, Tense, scan, to_candidate

TENSES: tuple[Tense, ...] = ("past", "present", "future")
CASES = (str, str.upper, str.lower, str.title, str.swapcase)
dcts = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
memories = st.builds(
    DateMemory,
    year=st.one_of(st.none(), st.integers(min_value=1, max_value=9999)),
    quarter=st.one_of(st.none(), st.tuples(st.integers(1, 9999), st.integers(1, 4))),
    quarter_at=st.integers(min_value=-(10**9), max_value=10**6),
)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def _value_ok(value: str | None) -> bool:
    return value is None or (isinstance(value, str) and value != "")


@pytest.mark.slow  # 1 to 4 s per rule
@pytest.mark.parametrize(
    ("index", "kind", "pattern"), [(i, kind, p) for i, (kind, p) in enumerate(RULES)]
)
def test_every_rule_resolves_what_its_pattern_accepts(
    index: int, kind: str, pattern: re.Pattern[str]
) -> None:
    @PROPERTY
    @given(st.from_regex(pattern, fullmatch=True), dcts, st.sampled_from(TENSES), memories)
    def check(text: str, dct: date | None, tense: Tense, memory: DateMemory) -> None:
        for variant in {case(text) for case in CASES} | {text.replace(" ", "\u00a0")}:
            match = pattern.search(variant)
            if match is None:  # a case change can make a look-around refuse the string
                continue
            value = resolve(to_candidate(kind, match), dct, tense, memory)
            assert _value_ok(value), (index, kind, variant, value)

    check()


def test_every_resolver_has_a_rule_and_every_rule_a_resolver() -> None:
    assert {kind for kind, _ in RULES} == set(RESOLVERS)


@pytest.mark.slow
@PROPERTY
@given(
    st.lists(st.sampled_from([p for _, p in RULES]), min_size=1, max_size=4).flatmap(
        lambda patterns: st.tuples(*(st.from_regex(p, fullmatch=True) for p in patterns))
    ),
    dcts,
    st.sampled_from(TENSES),
)
def test_scanned_sentences_resolve(parts: tuple[str, ...], dct: date | None, tense: Tense) -> None:
    """Whole sentences built of several rules' strings go through scan and resolve too."""
    text = "It happened " + " and then ".join(parts) + "."
    memory = DateMemory()
    for candidate in scan(text):
        assert _value_ok(resolve(candidate, dct, tense, memory))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the sixties", "196"),
        ("the Sixties", "196"),
        ("the SIXTIES", "196"),
        ("the '60s", "196"),
        ("the 1960s", "196"),
        ("the 1960's", "196"),
        ("the early Seventies", "197"),
        ("the late seventies", "197"),
        ("the mid-Twenties", "192"),
        ("the Thirties", "193"),
        ("the forties", "194"),
        ("the Fifties", "195"),
        ("the Eighties", "198"),
        ("the nineties", "199"),
        ("the 2000s", "200"),
        ("the '00s", "200"),
        ("the 2010s", "201"),
    ],
)
def test_decades_in_every_case_and_form(text: str, value: str) -> None:
    sentence = f"The band toured widely in {text}."
    candidates = [c for c in scan(sentence) if c.kind == "decade"]
    assert len(candidates) == 1, candidates
    assert resolve(candidates[0], date(2024, 1, 5), "past") == value
