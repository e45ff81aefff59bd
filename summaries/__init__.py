"""newsdigest's NLP core: one news article in, an `ArticleDigest` out.

Pure and synchronous: no network, no asyncio, no chat SDKs. Load an `Analyzer` once (it holds the
spaCy pipeline) and call `Analyzer.analyze` for every article, in any of `SUPPORTED` languages.
"""

from summaries.errors import AnalysisError, InputError
from summaries.language import SUPPORTED, UnsupportedLanguageError
from summaries.model import Actor, ActorKind, ArticleDigest, DateMention
from summaries.pipeline import AnalyzeOptions, Analyzer, analyze
from summaries.ranker import RankerOptions
from summaries.summarise import ALGORITHMS, DEFAULT_ALGORITHM

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "SUPPORTED",
    "Actor",
    "ActorKind",
    "AnalysisError",
    "AnalyzeOptions",
    "Analyzer",
    "ArticleDigest",
    "DateMention",
    "InputError",
    "RankerOptions",
    "UnsupportedLanguageError",
    "analyze",
]
