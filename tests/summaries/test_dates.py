"""The rule-based date tagger: spans, ISO values at their own granularity, DCT handling."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from summaries.dates import find_dates
from summaries.model import DateMention

DCT = date(2024, 1, 5)  # a Friday, in ISO week 2024-W01


def values(nlp: Language, text: str, dct: date | None = DCT) -> dict[str, str | None]:
    return {m.text: m.value for m in find_dates(nlp(text), dct)}


def test_seed_article_dates(nlp: Language, seed_article: str) -> None:
    found = values(nlp, seed_article)
    assert found["Thursday"] == "2024-01-04"
    assert found["January 4"] == "2024-01-04"
    assert found["four years ago"] == "2020"
    assert found["January 3, 2020"] == "2020-01-03"
    assert found["October"] == "2023-10"
    assert not any(value and "decade" in text for text, value in found.items())


@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        ("An attack hit the headquarters on Thursday.", "Thursday", "2024-01-04"),
        ("Ryder defended the January 4 strike.", "January 4", "2024-01-04"),
        ("He was killed in Baghdad on January 3, 2020.", "January 3, 2020", "2020-01-03"),
        ("The US committed another act four years ago.", "four years ago", "2020"),
        ("Bases came under attack 110 times since October.", "October", "2023-10"),
        ("The minister visited Baghdad last week.", "last week", "2023-W52"),
        ("The minister is in Baghdad this week.", "this week", "2024-W01"),
        ("The minister will visit Baghdad next week.", "next week", "2024-W02"),
        ("Prices rose last month.", "last month", "2023-12"),
        ("Prices rose last year.", "last year", "2023"),
        ("Prices will rise next year.", "next year", "2025"),
        ("The talks started two weeks ago.", "two weeks ago", "2023-W51"),
        ("Officials said yesterday that talks failed.", "yesterday", "2024-01-04"),
        ("The talks resume tomorrow.", "tomorrow", "2024-01-06"),
        ("The talks are to resume on Tuesday.", "Tuesday", "2024-01-09"),
        ("The council will meet on Monday.", "Monday", "2024-01-08"),
        ("Profit fell in the third quarter.", "the third quarter", "2023-Q3"),
        ("Profit fell in Q3 2022.", "Q3 2022", "2022-Q3"),
        ("The company earned $3 million in fiscal 1998.", "fiscal 1998", "1998"),
        ("Inflation was high in the 1990s.", "the 1990s", "199"),
        ("Sales rose sharply in 2021.", "2021", "2021"),
        ("The law passed in March 1996.", "March 1996", "1996-03"),
        ("The law passed on 4 January 2022.", "4 January 2022", "2022-01-04"),
        ("The law passed on Jan. 4, 2022.", "Jan. 4, 2022", "2022-01-04"),
        ("The filing is dated 2022-03-15.", "2022-03-15", "2022-03-15"),
        ("The filing is dated 03/15/2022.", "03/15/2022", "2022-03-15"),
        ("Sales rose earlier this year.", "earlier this year", "2024"),
        ("The garden opens this spring.", "this spring", "2024-SP"),
        ("Prices are now falling.", "now", "PRESENT_REF"),
        ("Prices recently fell.", "recently", "PAST_REF"),
        ("Prices may rise in the future.", "the future", "FUTURE_REF"),
        ("The empire fell in the 11th century.", "the 11th century", "10"),
    ],
)
def test_values(nlp: Language, text: str, expression: str, value: str) -> None:
    assert values(nlp, text).get(expression) == value


def test_offsets_slice_back_to_text(nlp: Language, seed_article: str) -> None:
    doc = nlp(seed_article)
    mentions = find_dates(doc, DCT)
    assert mentions
    assert all(doc.text[m.start : m.end] == m.text for m in mentions)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


def test_without_dct_relative_values_stay_unresolved(nlp: Language) -> None:
    text = "On Thursday, four years after January 3, 2020, officials said last week's talks failed."
    found = values(nlp, text, None)
    assert found["Thursday"] is None
    assert found["last week"] is None
    assert found["January 3, 2020"] == "2020-01-03"


def test_without_dct_bare_month_and_ago_are_unresolved(nlp: Language) -> None:
    found = values(nlp, "Attacks rose since October, as they did four years ago in 2020.", None)
    assert found == {"October": None, "four years ago": None, "2020": "2020"}


def test_decade_later_gets_no_calendar_value(nlp: Language) -> None:
    mentions = find_dates(nlp("The troops remain in the country a decade later."), DCT)
    assert all(m.value is None for m in mentions if "decade" in m.text)


def test_durations_are_not_dates(nlp: Language) -> None:
    assert find_dates(nlp("The troops stayed for three years."), DCT) == []


def test_lowercase_month_words_are_not_dates(nlp: Language) -> None:
    assert find_dates(nlp("He may march to the capital."), DCT) == []


def test_counts_are_not_years(nlp: Language) -> None:
    assert find_dates(nlp("The army sent 2000 troops and $1990 in aid."), DCT) == []


def test_empty_doc(nlp: Language) -> None:
    assert find_dates(nlp(""), DCT) == []
    assert find_dates(nlp(""), None) == []


def test_returns_date_mentions(nlp: Language) -> None:
    mention = find_dates(nlp("It happened on January 3, 2020."), None)[0]
    assert mention == DateMention("January 3, 2020", "2020-01-03", 15, 30)
