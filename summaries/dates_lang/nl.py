"""Dutch date words and rules ("3 januari 2024", "vorige week", "drie jaar geleden")."""

from __future__ import annotations

from summaries.dates_lang import LanguageRules, flags, pairs, words

MONTHS = {
    "januari": "january", "februari": "february", "maart": "march", "april": "april",
    "mei": "may", "juni": "june", "juli": "july", "augustus": "august",
    "september": "september", "oktober": "october", "november": "november",
    "december": "december",
}  # fmt: skip
WEEKDAYS = {
    "maandag": "monday", "dinsdag": "tuesday", "woensdag": "wednesday", "donderdag": "thursday",
    "vrijdag": "friday", "zaterdag": "saturday", "zondag": "sunday",
}  # fmt: skip
NUMBERS = {
    "een": "1", "één": "1", "twee": "2", "drie": "3", "vier": "4", "vijf": "5", "zes": "6",
    "zeven": "7", "acht": "8", "negen": "9", "tien": "10", "elf": "11", "twaalf": "12",
    "dertien": "13", "veertien": "14", "vijftien": "15", "twintig": "20", "dertig": "30",
    "veertig": "40", "vijftig": "50", "honderd": "100", "enkele": "several",
    "een paar": "several", "paar": "several", "een aantal": "several",
    "verscheidene": "several",
}  # fmt: skip
UNITS = {
    "dag": "day", "dagen": "day", "week": "week", "weken": "week", "maand": "month",
    "maanden": "month", "jaar": "year", "jaren": "year", "decennium": "decade",
    "decennia": "decade", "eeuw": "century", "eeuwen": "century", "uur": "hour",
}  # fmt: skip
RELUNIT = {
    "vorige week": "last week", "afgelopen week": "last week", "verleden week": "last week",
    "volgende week": "next week", "komende week": "next week", "deze week": "this week",
    "vorige maand": "last month", "afgelopen maand": "last month",
    "volgende maand": "next month", "komende maand": "next month", "deze maand": "this month",
    "vorig jaar": "last year", "afgelopen jaar": "last year", "verleden jaar": "last year",
    "volgend jaar": "next year", "komend jaar": "next year", "dit jaar": "this year",
}  # fmt: skip
RDAY = {
    "vandaag": "today", "vanochtend": "today", "vanmorgen": "today", "vanmiddag": "today",
    "vanavond": "today", "gisteren": "yesterday", "gisteravond": "yesterday",
    "gisterochtend": "yesterday", "gistermiddag": "yesterday",
    "eergisteren": "day before yesterday", "overmorgen": "day after tomorrow",
}  # fmt: skip
WEEKEND = {
    "weekend": "the", "dit weekend": "this", "afgelopen weekend": "last",
    "vorig weekend": "last", "volgend weekend": "next", "komend weekend": "next",
}  # fmt: skip
DECADES = {
    "twintig": "twenties", "dertig": "thirties", "veertig": "forties", "vijftig": "fifties",
    "zestig": "sixties", "zeventig": "seventies", "tachtig": "eighties",
    "negentig": "nineties",
}  # fmt: skip
_REL = {
    "vorige": "last", "afgelopen": "last", "volgende": "next", "komende": "next",
    "deze": "this",
}  # fmt: skip

RULES = LanguageRules(
    code="nl",
    tables={
        "month": words("month", MONTHS),
        "weekday": words("weekday", WEEKDAYS),
        "numw": words("num", NUMBERS),
        "unit": words("unit", UNITS),
        "part": words("part", {"begin": "early", "eind": "late", "half": "mid", "midden": "mid"}),
        "rday": words("rday", RDAY),
        "tomorrow": words("rday", {"morgen": "tomorrow"}),
        "relunit": pairs("rel", "unit", RELUNIT),
        "mpost": words("yrel", {"vorig jaar": "last", "dit jaar": "this", "volgend jaar": "next"}),
        "wrel": words("wrel", _REL),
        "hedge": flags(
            ("bijna", "ruim", "zo'n", "ongeveer", "meer dan", "minder dan", "pakweg", "circa")
        ),
        "wkend": words("rel", WEEKEND),
        "season": words(
            "season",
            {
                "lente": "spring",
                "voorjaar": "spring",
                "zomer": "summer",
                "herfst": "fall",
                "najaar": "fall",
                "winter": "winter",
            },
        ),
        "srel": words("rel", _REL),
        "ord": words(
            "ord", {"eerste": "first", "tweede": "second", "derde": "third", "vierde": "fourth"}
        ),
        "thisq": words(
            "which",
            {"afgelopen kwartaal": "latest", "dit kwartaal": "current", "vorig kwartaal": "latest"},
        ),
        "decword": words("decade", DECADES),
        "theyear": words(
            "which",
            {
                "dat jaar": "that",
                "hetzelfde jaar": "the same",
                "het jaar daarop": "the following",
                "het volgende jaar": "the following",
                "het jaar ervoor": "the previous",
            },
        ),
        "present": flags(("nu", "momenteel", "tegenwoordig", "op dit moment", "thans")),
        "past": flags(
            ("onlangs", "recent", "recentelijk", "de afgelopen jaren", "de laatste jaren")
        ),
        "future": flags(("in de toekomst", "binnenkort", "op korte termijn")),
    },
    templates=(
        ("dmy", r"(?:{weekday}\s+)?{DAY}\s+{month}\s+{YEAR}"),
        ("md", r"(?:{weekday}\s+)?{DAY}\s+{month}"),
        ("my", r"(?:{part}\s+)?{month}\s+{YEAR}"),
        ("month", r"{month}(?:\s+{mpost})?"),
        ("relday", r"{rday}"),
        ("relday", r"(?<!de\s)(?<!deze\s)(?<!die\s)(?<!van\s)(?<!'s\s){tomorrow}"),
        ("relunit", r"{relunit}"),
        ("weekday", r"(?:{wrel}\s+)?{weekday}"),
        ("ago", r"(?:{hedge}\s+)?(?:(?P<num>\d{1,6})|{numw})\s+{unit}\s+(?:geleden|eerder)"),
        ("weekend", r"{wkend}"),
        ("season", r"(?:{srel}\s+)?{season}(?:\s+(?:van\s+)?{YEAR})?"),
        ("quarter", r"{ord}\s+kwartaal(?:\s+(?:van\s+)?{YEAR})?"),
        ("thisquarter", r"{thisq}"),
        ("decade", r"jaren\s+['’]?(?P<decade>(?:19|20)?\d0)(?!\d)"),
        ("decade", r"jaren\s+{decword}"),
        ("century", r"(?P<cent>1\d|2[01])e\s+eeuw"),
        ("theyear", r"{theyear}"),
        ("present", r"{present}"),
        ("past", r"{past}"),
        ("future", r"{future}"),
    ),
    lowercase=frozenset({"month", "weekday", "season", "tomorrow"}),
    future=frozenset({"zal", "zullen", "zult", "gaat", "gaan", "volgende", "komende", "morgen"}),
)
