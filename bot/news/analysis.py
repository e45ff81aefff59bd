"""The NLP core as the bot runs it: one article in a worker thread, and what to show when it fails.

A bug in the core must cost one article's summary, not the poll and not the article: an internal
failure is logged, counted, and the article still reaches its channels with the feed's own excerpt
(as a paywalled page does). Input the core refuses (no text) is not a failure; an article in a
language not supported yet is not one either, but it too is shown with the feed's excerpt.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from bot.ports import FeedEntry, Summariser
from bot.texts import cut
from summaries import AnalysisError, ArticleDigest, InputError, UnsupportedLanguageError

log = logging.getLogger(__name__)

#: The longest excerpt shown when the core could not summarise an item.
EXCERPT_CHARS = 400
FLAG_EXCERPT_FALLBACK = "not summarised ({reason}): the feed's own excerpt is shown"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class NotDigested:
    """Why an article has no digest.

    Attributes:
        reason: In plain words ("Russian is not supported yet", "internal error while ...").
        internal: A bug in the core, not the input's fault: the excerpt fallback applies.
        excerpt: The excerpt fallback applies though the core did not fail (an article in a
            language not supported yet).
    """

    reason: str
    internal: bool
    excerpt: bool = False

    @property
    def shows_excerpt(self) -> bool:
        """Whether the feed's own excerpt stands in for the summary."""
        return self.internal or self.excerpt


def analyse_safely(
    summariser: Summariser,
    *,
    text: str | None,
    html: str | None,
    title: str | None,
    url: str,
    published: date | None,
    language: str | None = None,
) -> ArticleDigest | NotDigested:
    """The digest, or why there is none; runs in a worker thread and never raises.

    Anything the core raises is turned into a reason here: a StopIteration escaping into the
    awaiting future would otherwise break it.
    """
    try:
        return summariser.analyze(
            text=text, html=html, title=title, url=url, published=published, language=language
        )
    except UnsupportedLanguageError as error:
        # not a failure, but the reader still gets the story: the feed's excerpt, labelled
        return NotDigested(error.reason, internal=False, excerpt=True)
    except InputError as error:
        return NotDigested(error.reason, internal=False)
    except AnalysisError as error:
        log.warning("the analyzer failed on %s: %s", url, error.reason, exc_info=error)
        return NotDigested(error.reason, internal=True)
    except Exception as error:
        log.exception("the analyzer failed on %s", url)
        return NotDigested(f"internal error ({type(error).__name__})", internal=True)


def excerpt_digest(entry: FeedEntry, excerpt: str, failure: NotDigested) -> ArticleDigest | None:
    """A digest of the feed's own title and excerpt, for an item the core failed on.

    Returns:
        The excerpt's first sentences (verbatim, at most `EXCERPT_CHARS`), flagged with the
        reason; None when the feed gave no excerpt either.
    """
    shown = first_sentences(excerpt, EXCERPT_CHARS)
    if not shown:
        return None
    return ArticleDigest(
        title=entry.title,
        url=entry.url,
        published=entry.published.date() if entry.published else None,
        summary=(shown,),
        actors=(),
        dates=(),
        compression=len(shown) / len(excerpt),
        flags=(FLAG_EXCERPT_FALLBACK.format(reason=failure.reason),),
    )


def first_sentences(text: str, limit: int) -> str:
    """As many whole leading sentences as fit in `limit` characters; else the first words."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in _SENTENCE_END.split(text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or cut(text, limit)
