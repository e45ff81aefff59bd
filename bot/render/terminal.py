"""ArticleDigest -> a readable rich renderable for the terminal."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from summaries.model import ArticleDigest


def render_digest_terminal(digest: ArticleDigest) -> RenderableType:
    """Render a digest as a panel: summary bullets, an actors table, a dates table and flags.

    Article text is never interpreted as rich markup (it is wrapped in `Text`).
    """
    parts: list[RenderableType] = [_summary(digest)]
    if digest.actors:
        parts.append(_actors(digest))
    if digest.dates:
        parts.append(_dates(digest))
    if digest.flags:
        parts.append(Text("Note: " + "; ".join(digest.flags), style="yellow"))
    title = Text(digest.title or "Untitled article", style="bold")
    subtitle = _subtitle(digest)
    return Panel(Group(*parts), title=title, subtitle=subtitle, title_align="left")


def _summary(digest: ArticleDigest) -> RenderableType:
    text = Text()
    for index, sentence in enumerate(digest.summary):
        if index:
            text.append("\n")
        text.append("• ", style="cyan")
        text.append(sentence)
    return text


def _actors(digest: ArticleDigest) -> RenderableType:
    table = Table(title="Key actors", title_justify="left", expand=False)
    table.add_column("Actor")
    table.add_column("Role")
    table.add_column("Kind")
    table.add_column("Mentions", justify="right")
    table.add_column("Also called")
    for actor in digest.actors:
        table.add_row(
            Text(actor.name),
            Text(actor.role or ""),
            actor.kind.value,
            str(actor.mentions),
            Text(", ".join(actor.aliases)),
        )
    return table


def _dates(digest: ArticleDigest) -> RenderableType:
    table = Table(title="Dates", title_justify="left", expand=False)
    table.add_column("As written")
    table.add_column("Calendar date")
    for mention in digest.dates:
        table.add_row(Text(mention.text), mention.value or "unresolved")
    return table


def _subtitle(digest: ArticleDigest) -> Text | None:
    bits = [bit for bit in (digest.url, _published(digest)) if bit]
    return Text(" · ".join(bits), style="dim") if bits else None


def _published(digest: ArticleDigest) -> str | None:
    return f"published {digest.published.isoformat()}" if digest.published else None
