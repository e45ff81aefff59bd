"""Articles as feature tables for `benchmarks.actor_transfer`: a row per referent, a gold column.

Each article is prepared once (the product's referents and its default 3-sentence summary) and
every referent becomes a row: the four `ActorOptions` features as `summaries.actors.salience`
computes them (log mentions, first-mention position, title, summary share), its kind, the
commentator flag, and the candidate features of `benchmarks.actor_features`. Any setting of
`ActorOptions` then scores every referent of every article at once (`option_scores`), and the
product's own salience is kept beside the rows as a check.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from spacy.language import Language

from benchmarks.actor_ablation import GRID
from benchmarks.actor_features import candidates
from benchmarks.actors_eval import GOLD_LABELS, matches, names_a_country_twice, words
from summaries import Analyzer
from summaries.actor_roles import is_commentator
from summaries.actors import ActorOptions, salience
from summaries.model import ActorKind

Array = npt.NDArray[np.float64]
#: Column order of a referent's features (the first seven are what `ActorOptions` weighs).
COLUMNS = (
    "mentions", "position", "title", "summary", "person", "group", "commentator",
    "lead", "agent", "spread", "setting", "place", "source", "quoted", "centrality",
)  # fmt: skip
_CANDIDATES = COLUMNS[7:]
COMMENTATOR = (0.0, -0.5, -1.0, -2.0)
TOP = 5
#: A sentence end run into the next sentence; the word before ends in lower case, a digit or a
#: bracket, so an initialism ("U.S.") is left whole.
_RUN_ON = re.compile(r"(?<=[a-z0-9%)])([.!?][\"'’”]?)(?=[A-Z\"“‘])")


@dataclass(frozen=True)
class Table:
    """One article as the rankers see it: a feature row and a gold match per referent.

    Attributes:
        x: Features, one row per referent (`COLUMNS`).
        first: Offset of each referent's first mention (ties go to the earlier).
        hits: Per referent and gold name, whether the referent's name matches it.
        names: Each referent's display name.
        default: The product's own salience of each referent (a check on `x`).
        counts: How often the reference names each gold name.
    """

    x: Array
    first: Array
    hits: npt.NDArray[np.bool_]
    names: tuple[str, ...]
    default: Array
    counts: npt.NDArray[np.int64]

    def repeated(self, least: int) -> Table:
        """The same article with only the gold names its reference names `least` times."""
        keep = self.counts >= least
        return Table(
            self.x, self.first, self.hits[:, keep], self.names, self.default, self.counts[keep]
        )


def counted_gold(nlp: Language, reference: str) -> dict[str, int]:
    """The gold names of `actors_eval.gold_actors`, each with how often the reference names it."""
    seen: dict[frozenset[str], str] = {}
    counts: Counter[frozenset[str]] = Counter()
    for ent in nlp(reference.replace("\n", " ")).ents:
        if ent.label_ in GOLD_LABELS and words(ent.text):
            seen.setdefault(words(ent.text), ent.text)
            counts[words(ent.text)] += 1
    return {name: counts[key] for key, name in seen.items()}


def bbc_reference(reference: str) -> str:
    """The BBC reference with a space after each sentence it runs into the next."""
    return _RUN_ON.sub(r"\1 ", reference)


def tabulate(
    analyzer: Analyzer, record: dict[str, Any], title: str | None, *, in_text: bool = False
) -> Table:
    """Prepare one article and turn its referents into a `Table`.

    Args:
        analyzer: The loaded pipeline.
        record: An evaluation record (text and reference).
        title: The headline to give `prepare`, if any.
        in_text: Keep only the gold names whose every word the article writes (BBC); CNN/DM
            keeps all, as `benchmarks.actors_eval` scores it.
    """
    article = analyzer.prepare(record["text"], title=title)
    chosen = analyzer.choose(article, 3, "newsdigest")
    spans = [(article.units[i].start, article.units[i].end) for i in chosen]
    text_words = words(record["text"])
    gold = {
        name: count
        for name, count in counted_gold(analyzer.nlp, record["reference"]).items()
        if not in_text or words(name) <= text_words
    }
    found = article.referents.found
    extra = candidates(article.doc, article.referents)
    length = article.referents.length
    rows = []
    for referent, features in zip(found, extra, strict=True):
        # Each feature at weight 1 alone gives its value: the product's own arithmetic.
        alone = [
            salience(referent, length, article.title, spans, ActorOptions(*_unit(i)))
            for i in range(4)
        ]
        kind = referent.kind
        rows.append(
            [
                alone[0],
                alone[1],
                alone[2],
                alone[3],
                float(kind is ActorKind.PERSON),
                float(kind is ActorKind.GROUP),
                float(kind is ActorKind.PERSON and is_commentator(referent.role)),
                *(float(getattr(features, name)) for name in _CANDIDATES),
            ]
        )
    default = [salience(r, length, article.title, spans, ActorOptions()) for r in found]
    return Table(
        x=np.array(rows, dtype=np.float64).reshape(len(found), len(COLUMNS)),
        first=np.array([min(r.offsets) for r in found], dtype=np.float64),
        hits=np.array([[matches(g, r.name) for g in gold] for r in found], dtype=np.bool_).reshape(
            len(found), len(gold)
        ),
        names=tuple(r.name for r in found),
        default=np.array(default, dtype=np.float64),
        counts=np.array(list(gold.values()), dtype=np.int64),
    )


def _unit(index: int) -> tuple[float, ...]:
    """`ActorOptions` fields with one of the four feature weights at 1, the others neutral."""
    return (*(float(i == index) for i in range(4)), 1.0, 1.0, 0.0)


def option_scores(table: Table, settings: Array) -> Array:
    """Salience of every referent under each `ActorOptions` setting (rows of `settings`)."""
    x = table.x
    base = settings[:, :4] @ x[:, :4].T
    factor = 1.0 + np.outer(settings[:, 4] - 1.0, x[:, 4]) + np.outer(settings[:, 5] - 1.0, x[:, 5])
    return np.asarray(base * factor + np.outer(settings[:, 6], x[:, 6]), dtype=np.float64)


def top_found(table: Table, scores: Array) -> npt.NDArray[np.int64]:
    """Gold names found in the top five under each row of scores (ties: earlier first)."""
    if not table.hits.size:
        return np.zeros(scores.shape[0], dtype=np.int64)
    first = np.broadcast_to(table.first, scores.shape)
    order = np.lexsort((first, -scores), axis=-1)[:, :TOP]
    return np.asarray(table.hits[order].any(axis=1).sum(axis=1), dtype=np.int64)


def doubled(table: Table, scores: Array) -> bool:
    """Whether the top five under these scores name one country twice."""
    order = np.lexsort((table.first, -scores))[:TOP]
    return names_a_country_twice(table.names[i] for i in order)


def settings_grid() -> Array:
    """The defaults first (ties keep them), then the `GRID` sweep times `COMMENTATOR`."""
    sweep = [(*w, c) for w in itertools.product(*GRID) for c in COMMENTATOR]
    return np.array([astuple(ActorOptions()), *sweep], dtype=np.float64)


def grid_hits(tables: Sequence[Table], settings: Array) -> npt.NDArray[np.int64]:
    """Per article (rows) and setting (columns), the gold names in the top five."""
    return np.array([top_found(t, option_scores(t, settings)) for t in tables], dtype=np.int64)
