"""Mentions not by name (`benchmarks.actor_pronouns`) as a salience feature, measured held out.

Each setting counts a referent's mentions as its names plus `weight` times the pronouns and
definite descriptions resolved to it, inside the product's log(1 + mentions) term; everything
else in `summaries.actors.salience` stays as it is. `benchmarks.actor_ablation --coref` scores
every setting and cross-validates the choice of one (5 folds of articles, 10 shuffles).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from benchmarks.actor_pronouns import Mention, count_references
from summaries.actors import ActorOptions, Referent, Referents, salience
from summaries.model import ActorKind


@dataclass(frozen=True)
class Setting:
    """One way of counting mentions not by name."""

    label: str
    weight: float
    pronouns: bool = True
    descriptions: bool = True
    window: int = 2
    subject_first: bool = False


#: Settings scored by `--coref`; the product (weight 0) first, so ties keep it.
SETTINGS: tuple[Setting, ...] = (
    Setting("names only (product)", 0.0),
    *(Setting(f"+ both ×{w}", w) for w in (0.1, 0.25, 0.5, 1.0)),
    *(Setting(f"+ both ×{w}, subject first", w, subject_first=True) for w in (0.1, 0.25, 0.5)),
    *(Setting(f"+ pronouns ×{w}", w, descriptions=False) for w in (0.25, 0.5, 1.0)),
    *(Setting(f"+ descriptions ×{w}", w, pronouns=False) for w in (0.25, 0.5, 1.0)),
    *(Setting(f"+ both ×{w}, same sentence only", w, window=0) for w in (0.5, 1.0)),
    *(Setting(f"+ both ×{w}, 4 sentences back", w, window=4) for w in (0.5, 1.0)),
)


def references(doc: Doc, referents: Referents, setting: Setting) -> list[int]:
    """Per referent (in `referents.found` order), its mentions not by name under `setting`."""
    mentions = [
        Mention(offset, index, referent.kind)
        for index, referent in enumerate(referents.found)
        for offset in referent.offsets
    ]
    counts = count_references(
        doc,
        mentions,
        window=setting.window,
        pronouns=setting.pronouns,
        descriptions=setting.descriptions,
        subject_first=setting.subject_first,
    )
    return [counts.get(index, 0) for index in range(len(referents.found))]


def rerank(
    referents: Referents,
    extra: Sequence[int],
    weight: float,
    *,
    title: str | None,
    summary_spans: Sequence[tuple[int, int]],
    options: ActorOptions | None = None,
) -> list[Referent]:
    """Referents by salience with log(1 + names + weight × references) as the mention term."""
    options = options or ActorOptions()
    factors = {ActorKind.PERSON: options.person_factor, ActorKind.GROUP: options.group_factor}

    def score(index: int) -> float:
        referent = referents.found[index]
        names = len(referent.offsets)
        gain = math.log1p(names + weight * extra[index]) - math.log1p(names)
        base = salience(referent, referents.length, title, summary_spans, options)
        return base + factors.get(referent.kind, 1.0) * options.mention_weight * gain

    order = sorted(
        range(len(referents.found)), key=lambda i: (-score(i), min(referents.found[i].offsets))
    )
    return [referents.found[i] for i in order]
