"""Salience features a highlight writer might use, measured beside the actor finder's own.

`benchmarks.actor_ablation` adds each feature below, one at a time, to the product's salience
(`summaries.actors.salience`) and scores the re-ranked actors like every other row; of them only
the commentator discount is in the product: the others did not raise recall@5 on the
development split held out (docs/benchmarks.md).

- lead: the share of the article's first three sentences that name the referent;
- agent: the share of its mentions that a finite verb follows (past the rest of the name), the
  nearest to a grammatical subject the pipeline can see (it loads no parser);
- spread: the share of the article's thirds that name it;
- setting: for places, the share of its mentions right after a locative preposition ("in
  London"): a place that is only where things happened;
- place: 1 for a place, 0 otherwise (people against places);
- source: the share of its mentions that only name who said something ("X said", "said X",
  "according to X"; `benchmarks.actor_signals.is_speaker`): sources are often secondary;
- quoted: the share of its mentions inside quotation marks;
- commentator: 1 for a person whose role is a commentator's ("spokesman", "professor",
  "manager"; `summaries.actor_roles.COMMENTATOR_ROLES`); in the product since issue 20
  (`ActorOptions.commentator_weight`), so a weight here adds to the product's own;
- centrality: PageRank over the referents that share sentences (the most central at 1).

`held_out` is the honest test of any weight chosen on this data: k-fold over articles, the best
setting of the training folds scored on the held-out fold.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from benchmarks.actor_signals import centrality, is_speaker, quoted_tokens
from summaries.actor_roles import is_commentator
from summaries.actors import ActorOptions, Referent, Referents, salience
from summaries.model import ActorKind

#: Finite verb tags (Penn): the word after a name that makes the name the clause's subject.
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_NAME_TAGS = frozenset({"NNP", "NNPS", "POS"})
_LOCATIVE = frozenset({"in", "at", "from", "near", "across", "around", "outside", "inside"})
#: Sentences that count as the lead.
LEAD_SENTENCES = 3


@dataclass(frozen=True)
class Candidates:
    """The candidate features of one referent, each between 0 and 1."""

    lead: float
    agent: float
    spread: float
    setting: float
    place: float
    source: float
    quoted: float
    commentator: float
    centrality: float


def candidates(doc: Doc, referents: Referents) -> list[Candidates]:
    """The candidate features of each referent, in `referents.found` order.

    Args:
        doc: The article's spaCy pass (the one the referents' offsets index).
        referents: The article's referents.

    Returns:
        One `Candidates` per referent.
    """
    page = _Page(
        [sentence.start_char for sentence in doc.sents],
        {token.idx: token.i for token in doc},
        quoted_tokens(doc),
    )
    central = centrality(doc, referents.found)
    return [
        _features(doc, page, referents.length, referent, central[index])
        for index, referent in enumerate(referents.found)
    ]


@dataclass(frozen=True)
class _Page:
    """What every referent's features read of the article: sentences, tokens, quotations."""

    starts: list[int]
    token_at: dict[int, int]
    quoted: list[bool]


def _features(doc: Doc, page: _Page, length: int, referent: Referent, central: float) -> Candidates:
    starts, token_at = page.starts, page.token_at
    sentences = {bisect.bisect_right(starts, offset) - 1 for offset in referent.offsets}
    thirds = {min(2, 3 * offset // max(length, 1)) for offset in referent.offsets}
    tokens = [token_at[offset] for offset in referent.offsets if offset in token_at]
    count = max(len(referent.offsets), 1)
    setting = sum(i > 0 and doc[i - 1].lower_ in _LOCATIVE for i in tokens)
    return Candidates(
        lead=len({s for s in sentences if s < LEAD_SENTENCES}) / LEAD_SENTENCES,
        agent=sum(_verb_follows(doc, i) for i in tokens) / count,
        spread=len(thirds) / 3,
        setting=setting / count if referent.kind is ActorKind.PLACE else 0.0,
        place=1.0 if referent.kind is ActorKind.PLACE else 0.0,
        source=sum(is_speaker(doc, i) for i in tokens) / count,
        quoted=sum(page.quoted[i] for i in tokens) / count,
        commentator=float(referent.kind is ActorKind.PERSON and is_commentator(referent.role)),
        centrality=central,
    )


def _verb_follows(doc: Doc, index: int) -> bool:
    """Whether a finite verb follows the name that starts at token `index`."""
    end = index + 1
    while end < len(doc) and doc[end].tag_ in _NAME_TAGS and end - index < 6:
        end += 1
    return end < len(doc) and doc[end].tag_ in _FINITE


def rerank(
    referents: Referents,
    features: Sequence[Candidates],
    weights: dict[str, float],
    *,
    title: str | None,
    summary_spans: Sequence[tuple[int, int]],
    options: ActorOptions | None = None,
) -> list[Referent]:
    """Referents by the product's salience plus weighted candidate features, most salient first.

    Ties fall to the earlier first mention, as in `summaries.actors.rank_actors`.
    """
    options = options or ActorOptions()

    def score(index: int) -> float:
        referent = referents.found[index]
        extra = sum(w * float(getattr(features[index], name)) for name, w in weights.items())
        return salience(referent, referents.length, title, summary_spans, options) + extra

    order = sorted(
        range(len(referents.found)),
        key=lambda i: (-score(i), min(referents.found[i].offsets)),
    )
    return [referents.found[i] for i in order]


def held_out(hits: Sequence[Sequence[int]], *, folds: int = 5, shuffles: int = 10) -> list[int]:
    """Held-out hits of choosing a setting by k-fold cross-validation over articles.

    Args:
        hits: Per article, the gold names found under each setting (same settings everywhere).
        folds: Folds per shuffle; each fold's setting is the best one on the other folds.
        shuffles: How many seeded shuffles of the articles to average over.

    Returns:
        Per shuffle, the gold names found on the held-out folds in total.
    """
    totals = []
    for seed in range(shuffles):
        order = list(range(len(hits)))
        random.Random(seed).shuffle(order)
        found = 0
        for fold in range(folds):
            test = [a for position, a in enumerate(order) if position % folds == fold]
            train = [a for position, a in enumerate(order) if position % folds != fold]
            best = max(range(len(hits[0])), key=lambda s: sum(hits[a][s] for a in train))
            found += sum(hits[a][best] for a in test)
        totals.append(found)
    return totals
