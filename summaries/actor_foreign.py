"""Mentions of actors in an article not written in English, before the merges.

A pipeline with named entities (French) gives its entities, labels mapped by
`summaries.actor_languages.entity_kind`; a pipeline without (German, Spanish, Italian,
Portuguese, Dutch) gives the capitalised runs of `summaries.actor_capitals`. Either way the names
lose their determiners and titles, and acronyms written in brackets after a name are kept for the
acronym merge of `summaries.actors`.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span

from summaries.actor_capitals import capitalised_names
from summaries.actor_clusters import Clusters
from summaries.actor_languages import LanguageRules, clean_words, entity_kind
from summaries.actor_names import parenthesised_aliases
from summaries.doctext import text_of
from summaries.model import ActorKind

_EDGE_PUNCT = " \t\n.,;:!?\"'“”‘’«»()[]{}-–—"


def has_entities(doc: Doc) -> bool:
    """Whether the pipeline that made the document tags named entities."""
    return doc.has_annotation("ENT_IOB")


def foreign_mentions(doc: Doc, rules: LanguageRules) -> tuple[Clusters, list[tuple[str, str]]]:
    """The article's named mentions, grouped by spelling, and the acronyms given in brackets.

    Args:
        doc: The article, processed by its language's pipeline.
        rules: The article's language.

    Returns:
        The clusters and (name, acronym) pairs for `summaries.actors`' acronym merge.
    """
    clusters = Clusters()
    acronyms: list[tuple[str, str]] = []
    text = text_of(doc)
    bracket_end = 0
    for span, name, kind in _named_spans(doc, rules):
        if span.start_char < bracket_end:
            continue  # an acronym in "Parti socialiste (PS)" restates the name
        clusters.add(name, kind, span.start_char)
        aliases, end = parenthesised_aliases(text, span)
        if aliases:  # "Vera Dua (Agalev)": a bracket of names, not of acronyms, mentions them
            acronyms.extend((name, alias) for alias in aliases)
            bracket_end = end
    return clusters, acronyms


def _named_spans(doc: Doc, rules: LanguageRules) -> Iterator[tuple[Span, str, ActorKind]]:
    if not has_entities(doc):
        for found in capitalised_names(doc, rules):
            span = doc.char_span(found.start, found.end, alignment_mode="expand")
            if span is not None:
                yield span, found.name, found.kind
        return
    for entity in doc.ents:
        kind = entity_kind(entity.label_, len(entity))
        words = clean_words(entity.text.split(), rules, person=kind is ActorKind.PERSON)
        name = " ".join(words).strip(_EDGE_PUNCT)
        if kind is not None and len(name) > 1 and any(char.isupper() for char in name):
            yield entity, name, kind
