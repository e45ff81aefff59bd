"""The answers to clicks on a digest's stories, in plain words, for any platform.

Each platform passes its own `escape` (article text made inert: no mention, no markup) and `link`
(a safe link token), so the wording lives here once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch

from bot.commands.actions import (
    ActionKind,
    ActionRefused,
    ActionResult,
    Changed,
    Shared,
    SourcesAnswer,
    Undone,
    WhyAnswer,
)
from bot.news.actions import Explanation, NotExplained
from summaries.explain import SentenceExplanation

Escape = Callable[[str], str]
Link = Callable[[str, str], str]
#: Sentences shown that the summary did not keep, best first.
CLOSE_CALLS = 2
HOW = (
    "Each sentence of {outlet}'s article was scored on its position (leads matter most), "
    "how central it is to the article, how much of the title it covers and how many of the "
    "key actors it names; questions and quotes lose points. The best ones became the summary."
)
SHORTENED = (
    "Note: the article's stored text was shortened, so today's scoring differs from what "
    "the digest shows."
)
SHARED = "Shared in the channel."


def action_text(result: ActionResult, escape: Escape, link: Link) -> str:
    """The answer to one click, only for the clicker to see."""
    return _text(result, escape, link)


@singledispatch
def _text(result: object, escape: Escape, link: Link) -> str:
    raise TypeError(f"no wording for {type(result).__name__}")


@_text.register
def _(result: ActionRefused, escape: Escape, link: Link) -> str:
    return escape(result.reason)


@_text.register
def _(result: WhyAnswer, escape: Escape, link: Link) -> str:
    head = f"Why this summary of “{escape(result.headline)}”"
    explained = result.explanation
    if isinstance(explained, NotExplained):
        return f"{head}: I cannot say: {escape(explained.reason)}."
    return "\n".join([f"{head}:", *_explanation(explained, escape)])


def _explanation(explained: Explanation, escape: Escape) -> list[str]:
    chosen = [item for item in explained.sentences if item.chosen]
    close = sorted(
        (item for item in explained.sentences if not item.chosen),
        key=lambda item: item.total,
        reverse=True,
    )[:CLOSE_CALLS]
    lines = [escape(HOW.format(outlet=explained.outlet)), "Chosen:"]
    lines += [_scored(item, escape) for item in chosen]
    if close:
        lines += ["Came close:", *(_scored(item, escape) for item in close)]
    if not explained.same_choice:
        lines.append(SHORTENED)
    return lines


def _scored(item: SentenceExplanation, escape: Escape) -> str:
    parts = (
        f"position {item.position:.2f}, centrality {item.centrality:.2f}, "
        f"title {item.title:.2f}, actors {item.actors:.2f}"
    )
    penalty = f", penalty −{item.penalty:.2f}" if item.penalty else ""
    score = f"sentence {item.index + 1}, score {item.total:.2f} ({parts}{penalty})"
    return f"• {score}: “{escape(item.text)}”"


@_text.register
def _(result: SourcesAnswer, escape: Escape, link: Link) -> str:
    lines = [f"All sources of “{escape(result.headline)}”:"]
    lines += [
        f"• {link(source.url, source.title or source.outlet)} ({escape(source.outlet)})"
        for source in result.sources
    ]
    return "\n".join(lines)


@_text.register
def _(result: Changed, escape: Escape, link: Link) -> str:
    sub = result.subscription
    target = escape(sub.target)
    if result.kind is ActionKind.MUTE:
        done = f"{target} is already muted here" if result.already else f"Muted {target} here"
        effect = "its articles are no longer delivered to this channel"
    else:
        done = f"Already following {target}" if result.already else f"Now following {target}"
        effect = "stories naming them come in this channel's digests"
    return f"{done} (#{sub.id}): {effect}. /unsubscribe {sub.id} undoes it."


@_text.register
def _(result: Undone, escape: Escape, link: Link) -> str:
    sub = result.subscription
    return f"Removed #{sub.id} ({escape(sub.target)})."


@_text.register
def _(result: Shared, escape: Escape, link: Link) -> str:
    return SHARED
