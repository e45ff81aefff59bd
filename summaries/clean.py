"""Step 1, clean: drop boilerplate, normalise whitespace and quotes, remember where text came from.

The cleaned text is what spaCy reads. Every cleaned character keeps the offset of the source
character it came from, so that summary sentences are cut verbatim from the input and date offsets
index the input as given.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

#: Whole lines that are page furniture, never article content (matched case-insensitively).
_BOILERPLATE = re.compile(
    r"""^(?:
        \d+\s*(?:min|mins|minute|minutes)\.?\s+read
      | read\s+more\b.{0,60}
      | (?:continue|keep)\s+reading\b.{0,40}
      | share(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page))?(?:\s+on\s+\w+)?
      | (?:leave|post|add)\s+a\s+(?:comment|reply)
      | \d+\s+comments?
      | (?:view|show|see)\s+(?:all\s+)?comments?
      | advertisement | sponsored(?:\s+content)?
      | (?:sign\s+up|subscribe|register)\b.{0,80}(?:newsletter|inbox|updates)\b.{0,40}
      | (?:related|recommended|trending|most\s+read|more\s+from\s+.{1,40}|you\s+may\s+also\s+like)
        (?:\s+(?:articles|stories|posts|news|content))?
      | (?:follow\s+us|like\s+us)\s+on\b.{0,60}
      | (?:click|tap)\s+here\b.{0,80}
      | (?:photo|image|picture)\s*:.{0,80}
      | (?:tags?|topics?|filed\s+under)\s*:.{0,120}
    )[\s.:!|»›>-]*$""",
    re.IGNORECASE | re.VERBOSE,
)

#: The same furniture in the other supported languages ("Lire aussi", "Weiterlesen", ...), matched
#: only in articles of that language: an English article's lines never meet these.
_READ_ALSO = r"\b.{0,120}"  # the promoted headline after "Lire aussi"
_FURNITURE: dict[str, tuple[str, ...]] = {
    "fr": (
        r"(?:à\s+)?lire\s+(?:aussi|également|la\s+suite|plus)" + _READ_ALSO,
        r"(?:voir\s+aussi|en\s+savoir\s+plus|suivez-nous\s+sur)" + _READ_ALSO,
        r"partager(?:\s+cet\s+article)?",
        "publicité",
        "réagir",
        r"\d+\s+commentaires?",
        r"(?:photo|crédits?)\s*:.{0,80}",
        r"(?:abonnez|inscrivez)-vous\b.{0,80}",
    ),
    "de": (
        r"weiterlesen\b.{0,40}",
        r"lesen\s+sie\s+(?:auch|mehr)" + _READ_ALSO,
        r"(?:mehr\s+zum\s+thema|auch\s+interessant|folgen\s+sie\s+uns\s+auf)" + _READ_ALSO,
        r"(?:artikel\s+)?teilen",
        "anzeige",
        "werbung",
        r"\d+\s+kommentare?",
        r"foto\s*:.{0,80}",
        r"newsletter\b.{0,80}abonnieren",
    ),
    "es": (
        r"(?:leer\s+más|(?:lea|lee)\s+también|(?:también\s+)?te\s+puede\s+interesar)" + _READ_ALSO,
        r"(?:más\s+información|síguenos\s+en)" + _READ_ALSO,
        r"compartir(?:\s+(?:este\s+)?artículo)?",
        "publicidad",
        r"\d+\s+comentarios?",
        r"foto\s*:.{0,80}",
        r"suscríbe(?:te|se)\b.{0,80}",
    ),
    "it": (
        r"leggi\s+(?:anche|tutto|di\s+più|l'articolo)" + _READ_ALSO,
        r"(?:(?:ti\s+)?potrebbe\s+interessar(?:ti|e)|seguici\s+su)" + _READ_ALSO,
        r"condividi(?:\s+(?:questo\s+)?articolo)?",
        "pubblicità",
        r"\d+\s+commenti",
        r"foto\s*:.{0,80}",
        r"iscriviti\b.{0,80}",
    ),
    "pt": (
        r"(?:leia\s+(?:mais|também|a\s+seguir)|saiba\s+mais|veja\s+também)" + _READ_ALSO,
        r"siga-nos" + _READ_ALSO,
        r"(?:compartilh|partilh)(?:e|ar)(?:\s+(?:este\s+)?artigo)?",
        "publicidade",
        r"\d+\s+comentários?",
        r"foto\s*:.{0,80}",
        r"(?:assine|subscreva)\b.{0,80}newsletter.{0,40}",
    ),
    "nl": (
        r"(?:lees\s+(?:meer|ook|verder)|bekijk\s+ook|meer\s+over|volg\s+ons\s+op)" + _READ_ALSO,
        r"(?:deel|delen)(?:\s+dit\s+artikel)?",
        "advertentie",
        r"\d+\s+reacties?",
        r"foto\s*:.{0,80}",
        r"(?:schrijf\s+je\s+in|abonneer)\b.{0,80}",
    ),
}
_LANGUAGE_BOILERPLATE = {
    language: re.compile(rf"^(?:{'|'.join(lines)})[\s.:!|»›>-]*$", re.IGNORECASE)
    for language, lines in _FURNITURE.items()
}

#: Straight forms of typographic quotes; one character each way so offsets survive.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'"})
_SENTENCE_END = re.compile(r"""[.!?:;"'”’)\]…]\s*$""")
_HEADING_MAX_WORDS = 12
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Paragraph:
    """A run of source text kept as one paragraph.

    Attributes:
        start: Offset of its first character in the source.
        end: Offset just past its last character in the source.
    """

    start: int
    end: int


@dataclass(frozen=True)
class CleanText:
    """Cleaned article text and the way back to the source.

    Attributes:
        text: The cleaned text: paragraphs separated by blank lines, whitespace folded.
        origin: For each character of `text`, the offset of the source character it came from.
        title: A leading headline line, when the input started with one and no title was given.
        dropped: Source lines removed as boilerplate, headings or trailing promotions.
        headline_end: Where the given title, repeated as the first paragraph, ends in `text`
            (0: no such paragraph). Pages and feed bodies often open with their headline again.
    """

    text: str
    origin: array[int]
    title: str | None
    dropped: tuple[str, ...]
    headline_end: int = 0

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the cleaned text to the matching span of the source."""
        if start >= end:
            position = self.origin[start] if start < len(self.origin) else self._source_end()
            return position, position
        return self.origin[start], self.origin[end - 1] + 1

    def _source_end(self) -> int:
        return self.origin[-1] + 1 if self.origin else 0


def clean_text(
    source: str, *, find_title: bool = True, given_title: str | None = None, language: str = "en"
) -> CleanText:
    """Clean an article's plain text for segmentation.

    Steps: split into paragraphs (blank-line blocks, or lines when the text has no blank lines),
    mark a first paragraph that repeats the given title, or else take a leading headline as the
    title, drop boilerplate lines and short unpunctuated lines (headings, promotions), then fold
    whitespace and straighten quotes inside what is kept.

    Args:
        source: The article text as given.
        find_title: Whether a short unpunctuated first line is taken as the title.
        given_title: The title the article came with (a feed item's), if any.
        language: The article's ISO 639-1 code: its own "Read more" lines are furniture too.

    Returns:
        The cleaned text with its offset map, the title found and the lines dropped.
    """
    paragraphs = _split_paragraphs(source)
    title: str | None = None
    repeated = bool(given_title) and _repeats(source, paragraphs[:1], given_title or "")
    if not repeated and find_title and paragraphs and _is_heading(source, paragraphs[0]):
        title = _fold(source[paragraphs[0].start : paragraphs[0].end])
        paragraphs = paragraphs[1:]
    kept, dropped = _keep_content(source, paragraphs, language)
    if not kept:
        # Nothing but short lines (a one-line post, a list of headlines): keep them rather than
        # report an empty article; the digest's flags will say it is too short.
        kept, dropped = [p for p in paragraphs if not _is_boilerplate(source, p, language)], []
    text, origin = _assemble(source, kept)
    # The headline repeated: kept, for the names it spells out in full ("Sarah Palin" where the
    # body says "Palin"), but marked, since it is no sentence of the body.
    headline = repeated and len(kept) > 1 and kept[0] == paragraphs[0]
    headline_end = text.index("\n\n") if headline else 0
    return CleanText(text, origin, title, tuple(dropped), headline_end)


def _split_paragraphs(source: str) -> list[Paragraph]:
    """Blank-line separated blocks when there are any, otherwise one paragraph per line."""
    separator = r"\n[ \t\r\f\v]*\n" if re.search(r"\n[ \t\r\f\v]*\n", source) else r"\n"
    paragraphs = []
    position = 0
    for match in [*re.finditer(separator, source), None]:
        end = match.start() if match else len(source)
        paragraph = _trimmed(source, position, end)
        if paragraph is not None:
            paragraphs.append(paragraph)
        position = match.end() if match else end
    return paragraphs


def _trimmed(source: str, start: int, end: int) -> Paragraph | None:
    while start < end and source[start].isspace():
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    return Paragraph(start, end) if start < end else None


def _keep_content(
    source: str, paragraphs: list[Paragraph], language: str
) -> tuple[list[Paragraph], list[str]]:
    kept: list[Paragraph] = []
    dropped: list[str] = []
    for paragraph in paragraphs:
        if _is_boilerplate(source, paragraph, language) or _is_heading(source, paragraph):
            dropped.append(_fold(source[paragraph.start : paragraph.end]))
        else:
            kept.append(paragraph)
    return kept, dropped


def _is_boilerplate(source: str, paragraph: Paragraph, language: str) -> bool:
    line = _fold(source[paragraph.start : paragraph.end])
    if _BOILERPLATE.match(line) is not None:
        return True
    own = _LANGUAGE_BOILERPLATE.get(language)
    return own is not None and own.match(line) is not None


def _repeats(source: str, first: list[Paragraph], title: str) -> bool:
    """Whether the first paragraph is the title again (same words; case, punctuation aside)."""
    return any(_words(source[p.start : p.end]) == _words(title) != [] for p in first)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _is_heading(source: str, paragraph: Paragraph) -> bool:
    """A short line that does not end like a sentence: a headline, section heading or promo."""
    line = _fold(source[paragraph.start : paragraph.end])
    return len(line.split()) <= _HEADING_MAX_WORDS and not _SENTENCE_END.search(line)


def _fold(text: str) -> str:
    return " ".join(text.split())


def _assemble(source: str, kept: list[Paragraph]) -> tuple[str, array[int]]:
    """Join kept paragraphs with blank lines, folding whitespace runs, keeping the offset map."""
    chars: list[str] = []
    origin: array[int] = array("q")
    for index, paragraph in enumerate(kept):
        if index:
            chars.append("\n\n")
            origin.extend((paragraph.start, paragraph.start))
        _append_folded(source, paragraph, chars, origin)
    return "".join(chars).translate(_QUOTES), origin


def _append_folded(source: str, paragraph: Paragraph, chars: list[str], origin: array[int]) -> None:
    """Append one paragraph, every whitespace run becoming one space (hard-wrapped lines join)."""
    for match in re.finditer(r"\S+", source[paragraph.start : paragraph.end]):
        if match.start():
            chars.append(" ")
            origin.append(paragraph.start + match.start() - 1)
        chars.append(match.group())
        origin.extend(range(paragraph.start + match.start(), paragraph.start + match.end()))
