"""German date words and rules ("3. Januar 2024", "letzte Woche", "vor zwei Tagen").

Nouns are capitalised in German, so capitals say nothing of a month: a bare month is taken
only after a word that makes it one ("im August", "seit März"), "August" being a first name.
"morgen" is tomorrow only in lower case ("Morgen" is a morning).
"""

from __future__ import annotations

from summaries.dates_lang import LanguageRules, flags, pairs, words

MONTHS = {
    "januar": "january", "jänner": "january", "jan.": "january", "februar": "february",
    "feber": "february", "feb.": "february", "märz": "march", "april": "april", "mai": "may",
    "juni": "june", "juli": "july", "august": "august", "aug.": "august",
    "september": "september", "sept.": "september", "oktober": "october", "okt.": "october",
    "november": "november", "nov.": "november", "dezember": "december", "dez.": "december",
}  # fmt: skip
WEEKDAYS = {
    "montag": "monday", "dienstag": "tuesday", "mittwoch": "wednesday",
    "donnerstag": "thursday", "freitag": "friday", "samstag": "saturday",
    "sonnabend": "saturday", "sonntag": "sunday",
}  # fmt: skip
NUMBERS = {
    "ein": "1", "eine": "1", "einem": "1", "einer": "1", "zwei": "2", "drei": "3", "vier": "4",
    "fünf": "5", "sechs": "6", "sieben": "7", "acht": "8", "neun": "9", "zehn": "10",
    "elf": "11", "zwölf": "12", "fünfzehn": "15", "zwanzig": "20", "dreißig": "30",
    "vierzig": "40", "fünfzig": "50", "hundert": "100", "einigen": "several",
    "wenigen": "several", "mehreren": "several", "ein paar": "several",
}  # fmt: skip
UNITS = {
    "tag": "day", "tagen": "day", "woche": "week", "wochen": "week", "monat": "month",
    "monaten": "month", "jahr": "year", "jahren": "year", "jahrzehnt": "decade",
    "jahrzehnten": "decade", "jahrhundert": "century", "jahrhunderten": "century",
    "stunde": "hour", "stunden": "hour",
}  # fmt: skip
_ADJECTIVES = {
    "letzt": "last", "vergangen": "last", "vorig": "last", "nächst": "next", "kommend": "next",
    "dies": "this",
}  # fmt: skip


def _relunits() -> dict[str, str]:
    """Every declined form of "letzte Woche", "im vergangenen Jahr", "nächsten Monat"."""
    table = {"vorwoche": "last week", "vormonat": "last month", "vorjahr": "last year"}
    for stem, rel in _ADJECTIVES.items():
        for ending in ("e", "en", "er", "em", "es"):
            for noun, unit in (("woche", "week"), ("monat", "month"), ("jahr", "year")):
                table[f"{stem}{ending} {noun}"] = f"{rel} {unit}"
    return table


def _declined(suffix: str) -> dict[str, str]:
    """Every declined form of the relative adjectives before a noun ("letzten Montag")."""
    return {
        f"{stem}{e}{suffix}": rel
        for stem, rel in _ADJECTIVES.items()
        for e in ("e", "en", "es", "em")
    }


RULES = LanguageRules(
    code="de",
    tables={
        "month": words("month", MONTHS),
        "weekday": words("weekday", WEEKDAYS),
        "numw": words("num", NUMBERS),
        "unit": words("unit", UNITS),
        "part": words("part", {"anfang": "early", "ende": "late", "mitte": "mid"}),
        "rday": words(
            "rday",
            {
                "heute": "today",
                "gestern": "yesterday",
                "vorgestern": "day before yesterday",
                "übermorgen": "day after tomorrow",
            },
        ),
        "tomorrow": words("rday", {"morgen": "tomorrow"}),
        "relunit": pairs("rel", "unit", _relunits()),
        "mpre": words("rel", _declined(""))
        | flags(("im", "seit", "bis", "ab", "anfang", "ende", "mitte", "vom", "zum", "bis zum")),
        "wrel": words("wrel", _declined("")),
        "hedge": flags(("fast", "mehr als", "knapp", "rund", "etwa", "gut", "über")),
        "wkend": words("rel", {"wochenende": "the"} | _declined(" wochenende")),
        "season": words(
            "season",
            {
                "frühling": "spring",
                "frühjahr": "spring",
                "sommer": "summer",
                "herbst": "fall",
                "winter": "winter",
            },
        ),
        "srel": words("rel", _declined("")) | flags(("im",)),
        "ord": words(
            "ord", {"ersten": "first", "zweiten": "second", "dritten": "third", "vierten": "fourth"}
        ),
        "thisq": words(
            "which",
            {
                "abgelaufenen quartal": "latest",
                "laufenden quartal": "current",
                "vergangenen quartal": "latest",
            },
        ),
        "theyear": words(
            "which",
            {
                "im selben jahr": "the same",
                "im gleichen jahr": "the same",
                "im folgenden jahr": "the following",
                "im jahr darauf": "the following",
            },
        ),
        "present": flags(
            ("derzeit", "zurzeit", "jetzt", "aktuell", "gegenwärtig", "heutzutage", "momentan")
        ),
        "past": flags(("kürzlich", "vor kurzem", "jüngst", "neulich", "in den letzten jahren")),
        "future": flags(("künftig", "in zukunft", "zukünftig", "demnächst")),
    },
    templates=(
        ("dmy", r"(?:{weekday},?\s+)?(?:den\s+)?{DAY}\.\s*{month}\s+{YEAR}"),
        ("md", r"(?:{weekday},?\s+)?(?:den\s+)?{DAY}\.\s*{month}"),
        ("my", r"(?:{part}\s+)?{month}\s+{YEAR}"),
        ("month", r"{mpre}\s+{month}"),
        ("relday", r"{rday}"),
        ("relday", r"{tomorrow}"),
        ("relunit", r"{relunit}"),
        ("weekday", r"(?:{wrel}\s+)?{weekday}"),
        ("ago", r"vor\s+(?:{hedge}\s+)?(?:(?P<num>\d{1,6})|{numw})\s+{unit}"),
        ("weekend", r"{wkend}"),
        ("season", r"{srel}\s+{season}(?:\s+{YEAR})?"),
        ("season", r"{season}\s+{YEAR}"),
        ("quarter", r"{ord}\s+quartal(?:\s+{YEAR})?"),
        ("quarter", r"(?P<qnum>[1-4])\.\s*quartal(?:\s+{YEAR})?"),
        ("thisquarter", r"{thisq}"),
        ("decade", r"(?P<decade>(?:19|20)?\d0)er(?:[\s-]+jahren?)?"),
        ("century", r"(?P<cent>1\d|2[01])\.\s+jahrhunderts?"),
        ("theyear", r"{theyear}"),
        ("present", r"{present}"),
        ("past", r"{past}"),
        ("future", r"{future}"),
    ),
    lowercase=frozenset({"tomorrow"}),
    future=frozenset(
        {
            "wird",
            "werden",
            "werde",
            "wirst",
            "werdet",
            "soll",
            "sollen",
            "künftig",
            "nächste",
            "nächsten",
            "nächstes",
            "morgen",
        }
    ),
)
