"""The resolvers of `summaries.dates`: one date rule's match to its ISO 8601 value.

One resolver per kind of `summaries.dates_rules` match (`RESOLVERS`), each reading the match's
named groups, the document creation time (DCT), the tense of the sentence and what the article
mentioned before (`DateMemory`). Absolute expressions ("4 January 2024", "the 1990s") need
nothing else; calendar-relative ones ("Thursday", "last week", "four years ago") need the DCT
and resolve to None without it; anaphoric ones ("the following year", "a year ago" after a
quarter) read the memory. `resolve` is the one entry point: it builds the context and calls the
resolver.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from summaries import dates_rules as rules
from summaries.dates_rules import Candidate, Tense

_REFS = {"present": "PRESENT_REF", "past": "PAST_REF", "future": "FUTURE_REF"}
_QUARTER_REACH = 600
_SANE_YEARS = (1000, 9000)


@dataclass
class DateMemory:
    """What the article mentioned last, for anaphoric expressions ("that year", "a year ago")."""

    year: int | None = None
    quarter: tuple[int, int] | None = None
    quarter_at: int = -(10**9)


@dataclass(frozen=True)
class _Context:
    """Everything a resolver may read about one candidate."""

    candidate: Candidate
    dct: date | None
    tense: Tense
    memory: DateMemory = field(default_factory=DateMemory)

    def group(self, name: str) -> str:
        """The lowercased named group of the match, or "" when it did not take part."""
        return self.candidate.groups.get(name, "")

    def recent_quarter(self) -> tuple[int, int] | None:
        """The quarter mentioned shortly before this candidate, if any."""
        near = self.candidate.start - self.memory.quarter_at <= _QUARTER_REACH
        return self.memory.quarter if near else None


def resolve(
    candidate: Candidate, published: date | None, tense: Tense, memory: DateMemory | None = None
) -> str | None:
    """The calendar value of one rule match, or None when it cannot be resolved.

    Args:
        candidate: A match of one of `summaries.dates_rules.RULES`.
        published: The document creation time; None leaves relative expressions unresolved.
        tense: The tense of the sentence around the match.
        memory: What the article mentioned before the match (a fresh one when None).

    Returns:
        An ISO 8601 value at the expression's granularity, a TimeML reference, or None. Every
        resolver is total over the strings its rule accepts (property-tested).
    """
    if published is not None and not _SANE_YEARS[0] <= published.year <= _SANE_YEARS[1]:
        published = None  # a feed's "0001-01-01" is no publication date; arithmetic would overflow
    context = _Context(candidate, published, tense, memory or DateMemory())
    return RESOLVERS[candidate.kind](context)


# --- absolute expressions -------------------------------------------------------------------


def _year_of(ctx: _Context) -> int:
    return rules.parse_year(ctx.group("year") or ctx.group("spelled"))


def _month(ctx: _Context) -> int:
    return (
        rules.MONTHS[ctx.group("month").rstrip(".")]
        if ctx.group("month")
        else int(ctx.group("mnum"))
    )


def _full_date(ctx: _Context) -> str | None:
    year, month, day = _year_of(ctx), _month(ctx), int(ctx.group("day"))
    if year < 100:  # "03/15/22", "15.03.22": only numeric dates have two-digit years
        year += 2000 if year < 50 else 1900
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_year(ctx: _Context) -> str:
    return f"{_year_of(ctx):04d}-{_month(ctx):02d}"


def _year(ctx: _Context) -> str:
    return f"{_year_of(ctx):04d}"


_DECADE_STEMS = ("twen", "thir", "for", "fif", "six", "seven", "eigh", "nine")


def _decade(ctx: _Context) -> str | None:
    # Only the plural ending goes: str.strip("'s") would also eat the "s" of "sixties".
    text = ctx.group("decade").lstrip("'").removesuffix("s").removesuffix("'")
    if text.isdigit():
        if len(text) == 4:
            return text[:3]
        # "the '00s" is this century's first decade; "'60s" and the rest are the 1900s.
        return f"20{text[0]}" if text[0] == "0" else f"19{text[0]}"
    tens = next((i + 2 for i, stem in enumerate(_DECADE_STEMS) if text.startswith(stem)), None)
    return None if tens is None else f"19{tens}"


def _century(ctx: _Context) -> str:
    return f"{int(ctx.group('cent')) - 1:02d}"


# --- calendar-relative expressions ----------------------------------------------------------


def _month_day(ctx: _Context) -> str | None:
    if ctx.dct is None:
        return None
    month, day = _month(ctx), int(ctx.group("day"))
    year = rules.closest_year(ctx.dct, month, day, ctx.tense)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _bare_month(ctx: _Context) -> str | None:
    if ctx.dct is None:
        return None
    month, rel, yrel = _month(ctx), ctx.group("rel"), ctx.group("yrel")
    if yrel:
        year = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[yrel]
    elif rel in ("last", "this past", "the past", "past"):
        year = ctx.dct.year if month < ctx.dct.month else ctx.dct.year - 1
    elif rel in ("next", "this coming", "the coming", "coming"):
        year = ctx.dct.year if month > ctx.dct.month else ctx.dct.year + 1
    elif rel == "this":
        year = ctx.dct.year
    else:
        year = rules.closest_year(
            ctx.dct, month, 15 if month != ctx.dct.month else ctx.dct.day, ctx.tense
        )
    return f"{year:04d}-{month:02d}"


def _weekday(ctx: _Context) -> str | None:
    if ctx.dct is None:
        return None
    return rules.weekday_date(
        ctx.dct, ctx.group("weekday"), ctx.group("wrel"), ctx.tense
    ).isoformat()


def _relday(ctx: _Context) -> str | None:
    offsets = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
    offsets |= {"day before yesterday": -2, "day after tomorrow": 2}  # other languages' one word
    if ctx.dct is None:
        return None
    return (ctx.dct + timedelta(days=offsets[ctx.group("rday")])).isoformat()


_STEP = {"last": -1, "this past": -1, "the past": -1, "this": 0, "next": 1, "the coming": 1}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _relunit(ctx: _Context) -> str | None:
    if ctx.dct is None:
        return None
    step, unit = _STEP.get(ctx.group("rel"), 0), ctx.group("unit")
    if unit == "week":
        return rules.iso_week(ctx.dct + timedelta(weeks=step))
    if unit == "month":
        return rules.add_months(ctx.dct, step)[:7]
    return f"{ctx.dct.year + step:04d}"


def _weekend(ctx: _Context) -> str | None:
    if ctx.dct is None:
        return None
    return rules.weekend(ctx.dct, ctx.group("rel"), ctx.tense)


def _ago(ctx: _Context) -> str | None:
    amount = rules.number(ctx.group("num")) if ctx.group("num") else 1
    unit = ctx.group("unit") or "year"
    if unit == "hour":  # "hace unas horas" (other languages): the publication day
        return ctx.dct.isoformat() if ctx.dct else None
    if amount is None:
        return "PAST_REF"
    quarter = ctx.recent_quarter()
    if quarter is not None and unit == "year" and amount == 1:
        return rules.shift_quarter(quarter, -4)
    if ctx.dct is None:
        return None
    return _units_before(ctx.dct, amount, unit)


def _units_before(dct: date, amount: int, unit: str) -> str | None:
    try:
        return _calendar_units_before(dct, amount, unit)
    except (OverflowError, ValueError):  # "200,000 years ago" is before the calendar's year 1
        return None


def _calendar_units_before(dct: date, amount: int, unit: str) -> str:
    if unit == "day":
        return (dct - timedelta(days=amount)).isoformat()
    if unit == "week":
        return rules.iso_week(dct - timedelta(weeks=amount))
    if unit == "month":
        return rules.add_months(dct, -amount)[:7]
    year = dct.year - amount * {"year": 1, "decade": 10, "century": 100}[unit]
    if year < 1:
        raise ValueError(year)
    return f"{year:04d}"


def _season(ctx: _Context) -> str | None:
    name = ctx.group("season") or ctx.group("season2")
    code = rules.SEASONS[name]
    if ctx.group("year") or ctx.group("spelled"):
        return f"{_year_of(ctx):04d}-{code}"
    if ctx.dct is None:
        return None
    rel, started = ctx.group("rel"), (ctx.dct.month - _SEASON_START[code]) % 12 < 3
    if rel in ("this past", "past", "the past"):
        return f"{ctx.dct.year - (_SEASON_START[code] > ctx.dct.month):04d}-{code}"
    return f"{ctx.dct.year + _STEP.get(rel, 0) - (rel == 'last' and started):04d}-{code}"


def _holiday(ctx: _Context) -> str | None:
    if ctx.dct is None:
        return None
    return rules.holiday(ctx.group("holiday"), ctx.dct, ctx.tense)


def _the_year(ctx: _Context) -> str | None:
    which = ctx.group("which")
    if which in ("the", "the current", "the full"):
        return f"{ctx.dct.year:04d}" if ctx.dct else None
    base = ctx.memory.year
    if base is None:
        return None
    step = {"the following": 1, "the next": 1, "the previous": -1}.get(which, 0)
    return f"{base + step:04d}"


# --- quarters, halves and fiscal years --------------------------------------------------------

_ORDINAL = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
_OWNER = {"last year's": -1, "this year's": 0, "next year's": 1}


def _quarter(ctx: _Context) -> str | None:
    q = _ORDINAL.get(ctx.group("ord")) or int(ctx.group("qnum") or ctx.group("qnum2"))
    if ctx.group("year"):
        return f"{_year_of(ctx):04d}-Q{q}"
    if ctx.dct is None:
        return None
    if ctx.group("owner"):
        return f"{ctx.dct.year + _OWNER[ctx.group('owner')]:04d}-Q{q}"
    current = rules.quarter_of(ctx.dct)
    late = q > current and ctx.tense == "past"
    return f"{ctx.dct.year - late:04d}-Q{q}"


def _this_quarter(ctx: _Context) -> str | None:
    quarter = ctx.recent_quarter()
    if quarter is not None:
        return rules.shift_quarter(quarter, 0)
    if ctx.dct is None:
        return None
    step = 0 if ctx.group("which") == "current" else -1
    return rules.shift_quarter((ctx.dct.year, rules.quarter_of(ctx.dct)), step)


def _ago_quarter(ctx: _Context) -> str | None:
    quarter = ctx.recent_quarter() or ctx.memory.quarter
    if quarter is None and ctx.dct is not None:
        quarter = (
            (ctx.dct.year, rules.quarter_of(ctx.dct) - 1) if rules.quarter_of(ctx.dct) > 1 else None
        )
    return rules.shift_quarter(quarter, -4) if quarter else None


def _year_quarter(ctx: _Context) -> str:
    quarter = ctx.recent_quarter()
    year = _year_of(ctx)
    return f"{year:04d}-Q{quarter[1]}" if quarter else f"{year:04d}"


def _half(ctx: _Context) -> str | None:
    half = 1 if ctx.group("half") == "first" else 2
    if ctx.group("year"):
        return f"{_year_of(ctx):04d}-H{half}"
    return f"{ctx.dct.year:04d}-H{half}" if ctx.dct else None


def _fiscal_relative(ctx: _Context) -> str | None:
    if ctx.dct is None:
        return None
    step = {"past": -1, "last": -1, "previous": -1, "next": 1}.get(ctx.group("which"), 0)
    return f"{ctx.dct.year + step:04d}"


def _reference(kind: str) -> Callable[[_Context], str | None]:
    return lambda ctx: _REFS[kind]


RESOLVERS: dict[str, Callable[[_Context], str | None]] = {
    "iso": _full_date,
    "us": _full_date,
    "mdy": _full_date,
    "dmy": _full_date,
    "md": _month_day,
    "my": _month_year,
    "month": _bare_month,
    "decade": _decade,
    "century": _century,
    "quarter": _quarter,
    "half": _half,
    "thisquarter": _this_quarter,
    "agoquarter": _ago_quarter,
    "yearquarter": _year_quarter,
    "fiscal": _year,
    "fiscalrel": _fiscal_relative,
    "year": _year,
    "season": _season,
    "relday": _relday,
    "weekday": _weekday,
    "weekend": _weekend,
    "relunit": _relunit,
    "theyear": _the_year,
    "yearend": _relunit,
    "ago": _ago,
    "present": _reference("present"),
    "past": _reference("past"),
    "future": _reference("future"),
    "holiday": _holiday,
}
