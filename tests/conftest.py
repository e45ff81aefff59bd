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

    return Analyzer(nlp)


@pytest.fixture(scope="session")
def seed_article() -> str:
    return (EXAMPLES / "iraq-us-troops.txt").read_text(encoding="utf-8")
