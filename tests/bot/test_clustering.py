"""Story clustering: one event from two outlets joins; other events and far-apart ones don't."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.domain import Article
from bot.news.clustering import (
    _MONTH_DAY,
    _YEAR,
    ClusterOptions,
    WrittenDates,
    features,
    lead_of,
    terms_of,
    written_dates,
)
from bot.news.story_index import StoryIndex, best_story
from summaries import Actor, ActorKind, DateMention
from tests.support.samples import (
    BRIDGE_A,
    BRIDGE_B,
    CHOIR_A,
    CHOIR_B,
    FERRY_A,
    FERRY_B,
    MARKET_A,
    PATCH_EARLY,
    PATCH_EARLY_B,
    PATCH_LATER,
    QUAKE_NORTH,
    QUAKE_SOUTH,
    WEEKLY_CLAIMS_A,
    WEEKLY_CLAIMS_B,
)

WHEN = datetime(2024, 2, 5, 9, 0, tzinfo=UTC)
OPTIONS = ClusterOptions()
PERSON, PLACE, ORGANIZATION = ActorKind.PERSON, ActorKind.PLACE, ActorKind.ORGANIZATION


def article(
    text: str,
    story_id: int,
    *,
    hours: float = 0,
    title: str | None = None,
    actors: tuple[tuple[str, ActorKind], ...] = (),
    article_id: int = 0,
    outlet: str | None = None,
    dates: tuple[str, ...] = (),
) -> Article:
    # stored articles (with a story) come from one outlet, incoming ones from another, unless told
    source = outlet or ("stored.example" if story_id else "incoming.example")
    return Article(
        url=f"https://{source}/{story_id}/{hours}",
        title=title,
        source=source,
        published=WHEN + timedelta(hours=hours),
        ingested_at=WHEN + timedelta(hours=hours),
        content_hash=str(hash(text)),
        actors=tuple(Actor(name, kind, 2) for name, kind in actors),
        dates=tuple(mention(text, written, value) for written, value in _pairs(dates)),
        terms=terms_of(f"{title or ''}\n{text}"),
        lead_terms=terms_of(lead_of(title, text)),
        id=article_id,
        story_id=story_id,
    )


def _pairs(flat: tuple[str, ...]) -> list[tuple[str, str]]:
    return list(zip(flat[::2], flat[1::2], strict=True))


def mention(text: str, written: str, value: str) -> DateMention:
    """A date as the analyzer gives it: its words, its resolved value, its place in `text`."""
    start = text.find(written)
    assert start >= 0, written
    return DateMention(written, value, start, start + len(written))


def background() -> list[Article]:
    """Three unrelated stories, so that the window's word frequencies mean something."""
    return [
        article(BRIDGE_A, 1, title="Esker River bridge shut after girders crack", article_id=1),
        article(CHOIR_A, 2, title="Halden Youth Choir wins Nordvik festival", article_id=2),
        article(MARKET_A, 3, title="Coffee prices fall again", article_id=3),
    ]


def test_terms_are_content_words_with_plurals_folded() -> None:
    terms = terms_of("The girders of the bridge; a girder's crack. Bridges and boxes, 2009!")
    assert terms["girder"] == 2
    assert terms["bridge"] == 2
    assert "the" not in terms and "and" not in terms
    assert "box" in terms and "2009" in terms


def test_the_lead_is_the_title_and_the_first_words() -> None:
    assert lead_of("Bridge shut", "one two three four", words=2) == "Bridge shut\none two"


def test_same_event_from_another_outlet_joins_its_story() -> None:
    stored = [article(BRIDGE_A, 1), article(CHOIR_A, 2), article(MARKET_A, 3)]
    match = best_story(article(BRIDGE_B, 0, hours=3), stored, OPTIONS)
    assert match is not None and match[0] == 1
    choir = best_story(article(CHOIR_B, 0, hours=3), stored, OPTIONS)
    assert choir is not None and choir[0] == 2


def test_two_outlets_differently_worded_reports_of_one_event_join() -> None:
    ferry = article(
        FERRY_A,
        4,
        title="Dozens rescued as ferry hits rocks in fog off Varna Point",
        actors=(("Milo Brenner", PERSON), ("Halcyon Lines", ORGANIZATION), ("Varna Point", PLACE)),
        article_id=4,
    )
    other = article(
        FERRY_B,
        0,
        hours=2,
        title="Halcyon Lines under fire after second ship lost",
        actors=(("Halcyon Lines", ORGANIZATION), ("Petra Lund", PERSON), ("Milo Brenner", PERSON)),
    )
    match = best_story(other, [*background(), ferry], OPTIONS)
    assert match is not None and match[0] == 4


def test_two_different_earthquakes_on_the_same_day_stay_apart() -> None:
    north = article(
        QUAKE_NORTH,
        4,
        title="Earthquake kills nine in Kessar province",
        actors=(("Kessar", PLACE), ("Orvell", PLACE), ("Anja Fells", PERSON)),
        article_id=4,
    )
    south = article(
        QUAKE_SOUTH,
        0,
        hours=1,
        title="Earthquake kills four in Salvet",
        actors=(("Salvet", PLACE), ("Caldra", PLACE), ("Tomas Reyl", PERSON)),
    )
    assert best_story(south, [*background(), north], OPTIONS) is None


def test_a_different_event_starts_a_new_story() -> None:
    stored = [article(BRIDGE_A, 1), article(CHOIR_A, 2)]
    assert best_story(article(MARKET_A, 0, hours=1), stored, OPTIONS) is None
    assert best_story(article(BRIDGE_A, 0), [], OPTIONS) is None


def test_articles_published_days_apart_never_join() -> None:
    stored = [article(BRIDGE_A, 1)]
    assert best_story(article(BRIDGE_B, 0, hours=24 * 4), stored, OPTIONS) is None
    assert best_story(article(BRIDGE_B, 0, hours=24 * 2), stored, OPTIONS) is not None


def test_shared_named_actors_raise_the_score() -> None:
    plain = best_story(article(BRIDGE_B, 0, hours=1), [article(BRIDGE_A, 1)], OPTIONS)
    vogt = (("Hanna Vogt", PERSON), ("Lindmoor", PLACE))
    rich = best_story(
        article(BRIDGE_B, 0, hours=1, actors=vogt), [article(BRIDGE_A, 1, actors=vogt)], OPTIONS
    )
    assert plain is not None and rich is not None and rich[1] > plain[1]


def test_groups_are_not_named_actors() -> None:
    actors = (Actor("Republicans", ActorKind.GROUP, 4), Actor("Hanna Vogt", PERSON, 2, ("Vogt",)))
    named = features(replace(article("x", 1), actors=actors), OPTIONS)
    assert {key for key in named if key.startswith("E:")} == {"E:hanna vogt", "E:vogt"}


def test_a_story_is_joined_as_a_whole_not_through_one_look_alike() -> None:
    # story 1: the bridge closure and a choir report that a wrong join once put beside it
    story = [article(BRIDGE_A, 1, article_id=1), article(CHOIR_A, 1, article_id=2)]
    incoming = article(CHOIR_B, 0, hours=1)
    average = best_story(incoming, [*story, article(MARKET_A, 3, article_id=3)], OPTIONS)
    single = best_story(incoming, story, replace(OPTIONS, linkage="single"))
    assert single is not None and single[0] == 1
    assert average is None or average[1] < single[1]


def test_the_index_follows_the_window_incrementally() -> None:
    index = StoryIndex(OPTIONS)
    stored = background()
    index.sync(stored)
    incoming = article(BRIDGE_B, 0, hours=1)
    assert index.best_story(incoming) == best_story(incoming, stored, OPTIONS)
    index.sync(stored[1:])  # the bridge story left the window
    assert len(index) == 2 and index.best_story(incoming) is None


def test_many_unrelated_stories_do_not_hide_the_right_one() -> None:
    filler = [
        article(f"{MARKET_A} Lot {n} of crate {n * 7} shipped.", 100 + n, article_id=100 + n)
        for n in range(300)
    ]
    stored = [*filler, article(BRIDGE_A, 1, article_id=1)]
    match = best_story(article(BRIDGE_B, 0, hours=1), stored, OPTIONS)
    assert match is not None and match[0] == 1


def test_the_settings_default_threshold_is_the_clustering_default() -> None:
    assert Settings.model_fields["cluster_threshold"].default == ClusterOptions().threshold


def test_one_outlets_next_report_on_a_subject_stays_apart_another_outlets_joins() -> None:
    # two weeks' jobless figures are told in the same words; only the numbers differ
    first = article(
        WEEKLY_CLAIMS_A,
        4,
        title="Norland jobless claims fall to lowest level since spring",
        outlet="wire.example",
        article_id=4,
    )
    stored = [*background(), first]
    title = "Norland jobless claims rise for first time in a month"
    later = article(WEEKLY_CLAIMS_B, 0, hours=2, title=title, outlet="wire.example")
    elsewhere = replace(later, source="daily.example", url="https://daily.example/claims")
    assert best_story(later, stored, OPTIONS) is None
    assert best_story(elsewhere, stored, OPTIONS) is not None


def test_the_same_outlet_discount_scales_the_score() -> None:
    stored = [*background()[1:], article(BRIDGE_A, 1, outlet="wire.example", article_id=1)]
    other = best_story(article(BRIDGE_B, 0, hours=1), stored, OPTIONS)
    own = best_story(article(BRIDGE_B, 0, hours=1, outlet="wire.example"), stored, OPTIONS)
    assert other is not None and own is not None
    assert abs(own[1] - other[1] * (1 - OPTIONS.same_outlet)) < 1e-9


def test_an_outlets_update_of_its_own_report_still_joins() -> None:
    update = f"{BRIDGE_A} Engineers said on Tuesday that repairs would take six weeks."
    stored = [*background()[1:], article(BRIDGE_A, 1, outlet="wire.example", article_id=1)]
    match = best_story(article(update, 0, hours=20, outlet="wire.example"), stored, OPTIONS)
    assert match is not None and match[0] == 1


def _patch(text: str, story_id: int, dates: tuple[str, ...], hours: float = 0) -> Article:
    corvel = (("Corvel Systems", ORGANIZATION), ("Halvard Labs", ORGANIZATION))
    title = (
        "Corvel rushes out Lumo fix after password thefts"
        if text == PATCH_LATER
        else "Corvel issues emergency fix for Lumo browser"
    )
    article_id = story_id
    return article(
        text, story_id, hours=hours, title=title, actors=corvel, dates=dates, article_id=article_id
    )


EARLY_DATES = ("March 3, 2019", "2019-03-03")
LATER_DATES = ("October 19, 2023", "2023-10-19")


def test_reports_of_two_dated_events_told_alike_stay_apart() -> None:
    # two emergency fixes years apart: the same words, people and outlets; only the dates differ
    stored = [*background(), _patch(PATCH_EARLY, 4, EARLY_DATES)]
    later = _patch(PATCH_LATER, 0, LATER_DATES, hours=2)
    undated = replace(later, dates=())
    assert best_story(undated, stored, OPTIONS) is not None
    assert best_story(later, stored, OPTIONS) is None


def test_a_report_without_written_dates_still_joins() -> None:
    stored = [*background(), _patch(PATCH_EARLY, 4, EARLY_DATES)]
    relative = _patch(PATCH_EARLY_B, 0, ("Tuesday", "2024-02-06"), hours=2)
    match = best_story(relative, stored, OPTIONS)
    assert match is not None and match[0] == 4


def test_the_written_dates_discount_scales_the_score() -> None:
    stored = [*background(), _patch(PATCH_EARLY, 4, EARLY_DATES)]
    later = _patch(PATCH_LATER, 0, LATER_DATES, hours=2)
    free = replace(OPTIONS, disjoint_written_dates=0.0, threshold=0.0)
    kept = replace(free, disjoint_written_dates=OPTIONS.disjoint_written_dates)
    plain, discounted = best_story(later, stored, free), best_story(later, stored, kept)
    assert plain is not None and discounted is not None and plain[0] == discounted[0] == 4
    assert abs(discounted[1] - plain[1] * (1 - OPTIONS.disjoint_written_dates)) < 1e-9


def test_only_dates_written_out_in_full_count() -> None:
    text = "On Tuesday, March 3, 2019, last week, October 19 and 2008; " + "x " * 300 + "May 1"
    dates = (
        mention(text, "Tuesday", "2024-02-06"),
        mention(text, "March 3, 2019", "2019-03-03"),
        mention(text, "last week", "2024-W05"),
        mention(text, "October 19", "2024-10-19"),
        mention(text, "2008", "2008"),
        mention(text, "May 1", "2024-05-01"),  # past the lead
    )
    found = written_dates(dates)
    assert found == WrittenDates(frozenset({"2019", "2008"}), frozenset({"03-03", "10-19"}))
    assert "05-01" in written_dates(dates, chars=0).month_days


def test_written_dates_compare_years_when_both_write_them_else_days() -> None:
    def dates(years: set[str], days: set[str]) -> WrittenDates:
        return WrittenDates(frozenset(years), frozenset(days))

    assert dates({"2019"}, {"03-03"}).disjoint(dates({"2023"}, {"03-03"}))
    assert not dates({"2019"}, {"03-03"}).disjoint(dates({"2019"}, {"10-19"}))
    assert not dates({"2019"}, {"03-03"}).disjoint(dates(set(), {"03-03"}))
    assert dates(set(), {"03-03"}).disjoint(dates(set(), {"10-19"}))
    assert not dates({"2019"}, set()).disjoint(dates(set(), {"10-19"}))
    assert not dates(set(), set()).disjoint(dates({"2019"}, {"03-03"}))


@settings(max_examples=80, deadline=None)
@given(st.from_regex(_MONTH_DAY, fullmatch=True).filter(lambda s: "\n" not in s))
def test_any_month_and_day_the_pattern_accepts_counts_as_written(written: str) -> None:
    found = written_dates((DateMention(written, "2024-03-03", 0, len(written)),))
    assert found == WrittenDates(frozenset(), frozenset({"03-03"}))


@settings(max_examples=80, deadline=None)
@given(st.from_regex(_YEAR, fullmatch=True))
def test_any_year_the_pattern_accepts_counts_as_written(written: str) -> None:
    found = written_dates((DateMention(written, written, 0, len(written)),))
    assert found.years == {written}
    assert found.disjoint(WrittenDates(frozenset({"1066"})))


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["Tuesday", "yesterday", "last week", "this month", "today"]))
def test_a_relative_date_never_counts_as_written(written: str) -> None:
    assert written_dates((DateMention(written, "2024-03-03", 0, len(written)),)) == WrittenDates()
