"""Shared fixtures: the spaCy pipeline and an Analyzer, loaded once per test session."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from spacy.language import Language

from summaries.nlp import load_pipeline

if TYPE_CHECKING:
    from summaries import Analyzer

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="session")
def analyzer(nlp: Language) -> Analyzer:
    from summaries import Analyzer

    analyzer = Analyzer(nlp)
    # The demo feed has a French item: loading French (4-5 s, most of it spaCy's French tokenizer
    # exceptions) would otherwise land in whichever chat test subscribes to it first, against
    # that test's few seconds for an answer. Loading on first use is tested on its own Pipelines.
    analyzer.pipelines.get("fr")
    return analyzer


@pytest.fixture(scope="session")
def seed_article() -> str:
    return (EXAMPLES / "iraq-us-troops.txt").read_text(encoding="utf-8")
