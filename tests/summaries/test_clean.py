from __future__ import annotations

import re

from summaries.clean import clean_text

STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def test_seed_article_boilerplate_is_dropped(seed_article: str) -> None:
    clean = clean_text(seed_article)
    assert clean.title == "Iraq Wants to Kick Out US Troops"
    for furniture in (
        "4 Min Read",
        "Read More",
        "Share This Article",
        "Leave a comment",
        "Black Swan",
    ):
        assert furniture not in clean.text
    assert "Iraqi Prime Minister Mohammed Shia Al Sudani" in clean.text
    assert clean.text.rstrip().endswith("played no role in the bombings.")


def test_every_cleaned_word_maps_back_to_the_same_source_word(seed_article: str) -> None:
    clean = clean_text(seed_article)
    for match in re.finditer(r"\S+", clean.text):
        start, end = clean.source_span(match.start(), match.end())
        assert seed_article[start:end].translate(STRAIGHT) == match.group()


def test_hard_wrapped_paragraphs_are_joined() -> None:
    source = "The council met on\nMonday and voted to\nclose the bridge.\n\nIt reopens in May.\n"
    clean = clean_text(source)
    assert (
        clean.text
        == "The council met on Monday and voted to close the bridge.\n\nIt reopens in May."
    )
    start, end = clean.source_span(0, len(clean.text))
    assert source[start:end] == source.strip()


def test_quotes_are_straightened_one_for_one() -> None:
    clean = clean_text("“We will win,” she said. It’s over.")
    assert clean.text == '"We will win," she said. It\'s over.'
    assert len(clean.origin) == len(clean.text)


def test_given_title_keeps_the_first_line() -> None:
    source = "Short first line\nA real sentence follows here, with a full stop."
    assert clean_text(source, find_title=False).text.startswith("A real sentence")
    assert clean_text(source).title == "Short first line"


def test_only_short_lines_are_kept_rather_than_emptied() -> None:
    clean = clean_text("Markets rally\nShares up")
    assert clean.text == "Shares up"
    assert clean.title == "Markets rally"


def test_newsletter_and_related_lines_are_dropped() -> None:
    source = (
        "The mayor resigned on Tuesday after a long inquiry into the city budget.\n"
        "Sign up for our daily newsletter\n"
        "Related Articles\n"
        "Advertisement\n"
        "She had served two terms and led the council since 2016.\n"
    )
    clean = clean_text(source, find_title=False)
    assert "newsletter" not in clean.text
    assert "Related" not in clean.text
    assert "Advertisement" not in clean.text
    assert clean.text.count("\n\n") == 1


def test_empty_source_gives_empty_text() -> None:
    clean = clean_text("  \n\n ")
    assert clean.text == ""
    assert clean.source_span(0, 0) == (0, 0)


HEADLINE = "Lindsay Lohan Checks Out Of Rehab.. . To Check Into Different Rehab Centre."
BODY = "The actress has left the Betty Ford Centre and gone to a resort in Malibu."


def test_a_first_paragraph_repeating_the_given_title_is_marked_as_the_headline() -> None:
    clean = clean_text(f"{HEADLINE}\n\n{BODY}", find_title=False, given_title=HEADLINE.upper())
    assert clean.text == f"{HEADLINE}\n\n{BODY}"
    assert clean.text[: clean.headline_end] == HEADLINE


def test_a_first_paragraph_saying_more_than_the_title_is_no_headline() -> None:
    lead = "Lindsay Lohan checks out of rehab, her publicist said on Friday."
    clean = clean_text(f"{lead}\n\n{BODY}", find_title=False, given_title="Lindsay Lohan")
    assert clean.headline_end == 0


def test_a_text_that_is_only_its_title_has_no_headline_apart() -> None:
    clean = clean_text(HEADLINE, find_title=False, given_title=HEADLINE)
    assert clean.text == HEADLINE
    assert clean.headline_end == 0
