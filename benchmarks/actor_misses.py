"""Why each gold actor that the top five miss is missed, in a few categories with counts.

A gold name (a PERSON/ORG/GPE entity of the reference highlights, `benchmarks.actors_eval`) the
article's top five actors do not match by name falls in the first of these that fits:

- not in the article: the article's text lacks one of the name's words (the highlight's own
  wording: "Man United" for Manchester United, or a capitalised word spaCy tagged in it);
- no referent: no actor's name or alias matches it (spaCy tagged no entity, or a spelling);
- another form names it: an actor matches it only by an alias (a folded country, "Britain" as
  the UK's alias; a fuller name of other words);
- top five all gold: ranked lower while each of the top five matches another gold name;
- ranked 6-10, ranked below 10: behind actors that match no gold name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from benchmarks.actors_eval import NamedActor, matches, words

CATEGORIES = (
    "not in the article",
    "no referent",
    "another form names it",
    "top five all gold",
    "ranked 6-10",
    "ranked below 10",
)


def why_missed(
    gold: str, golds: Sequence[str], text: str, ranked: Sequence[NamedActor], top: int = 5
) -> str | None:
    """The category of a missed gold name, or None when the top actors find it.

    Args:
        gold: One gold name.
        golds: All gold names of its article.
        text: The article's text.
        ranked: The article's actors, most salient first, with their aliases.
        top: How many actors count.

    Returns:
        One of `CATEGORIES`, or None for a gold name the top actors match by name.
    """
    rank = next((i for i, (name, _) in enumerate(ranked) if matches(gold, name)), None)
    if rank is not None and rank < top:
        return None
    if not words(gold) <= frozenset(re.findall(r"\w+", text.lower())):
        return CATEGORIES[0]
    if rank is None:
        aliased = any(matches(gold, alias) for _, aliases in ranked for alias in aliases)
        return CATEGORIES[2] if aliased else CATEGORIES[1]
    if all(any(matches(g, name) for g in golds) for name, _ in ranked[:top]):
        return CATEGORIES[3]
    return CATEGORIES[4] if rank < 10 else CATEGORIES[5]


def table(missed: Sequence[tuple[str, str, str]]) -> list[str]:
    """Markdown rows: each category, its count and its names (article id: name).

    Args:
        missed: (category, article id, gold name) of every missed gold name.
    """
    rows = ["| why missed | gold names | which |", "|---|---|---|"]
    for category in CATEGORIES:
        held = [f"{article[:12]}: {gold}" for why, article, gold in missed if why == category]
        rows.append(f"| {category} | {len(held)} | {'; '.join(held)} |")
    rows.append(f"\n{len(missed)} gold names missed")
    return rows
