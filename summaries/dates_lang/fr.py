"""French date words and rules ("3 janvier 2024", "mardi dernier", "il y a trois ans")."""

from __future__ import annotations

from summaries.dates_lang import LanguageRules, elided, flags, pairs, words

MONTHS = {
    "janvier": "january", "janv.": "january", "février": "february", "fevrier": "february",
    "févr.": "february", "mars": "march", "avril": "april", "avr.": "april", "mai": "may",
    "juin": "june", "juillet": "july", "juil.": "july", "août": "august", "aout": "august",
    "septembre": "september", "sept.": "september", "octobre": "october", "oct.": "october",
    "novembre": "november", "nov.": "november", "décembre": "december", "decembre": "december",
    "déc.": "december",
}  # fmt: skip
WEEKDAYS = {
    "lundi": "monday", "mardi": "tuesday", "mercredi": "wednesday", "jeudi": "thursday",
    "vendredi": "friday", "samedi": "saturday", "dimanche": "sunday",
}  # fmt: skip
NUMBERS = {
    "un": "1", "une": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6",
    "sept": "7", "huit": "8", "neuf": "9", "dix": "10", "onze": "11", "douze": "12",
    "treize": "13", "quatorze": "14", "quinze": "15", "seize": "16", "dix-sept": "17",
    "dix-huit": "18", "dix-neuf": "19", "vingt": "20", "trente": "30", "quarante": "40",
    "cinquante": "50", "soixante": "60", "cent": "100", "quelques": "several",
    "plusieurs": "several",
}  # fmt: skip
UNITS = {
    "jour": "day", "jours": "day", "semaine": "week", "semaines": "week", "mois": "month",
    "an": "year", "ans": "year", "année": "year", "années": "year", "décennie": "decade",
    "décennies": "decade", "siècle": "century", "siècles": "century", "heure": "hour",
    "heures": "hour",
}  # fmt: skip
RELUNIT = elided({
    "la semaine dernière": "last week", "la semaine passée": "last week",
    "la semaine prochaine": "next week", "cette semaine": "this week",
    "le mois dernier": "last month", "le mois passé": "last month",
    "le mois prochain": "next month", "ce mois-ci": "this month", "l'année dernière": "last year",
    "l'an dernier": "last year", "l'année passée": "last year", "l'an passé": "last year",
    "l'année prochaine": "next year", "l'an prochain": "next year", "cette année": "this year",
})  # fmt: skip
RDAY = elided({
    "aujourd'hui": "today", "hier": "yesterday", "avant-hier": "day before yesterday",
    "demain": "tomorrow", "après-demain": "day after tomorrow",
})  # fmt: skip
WEEKEND = {
    "le week-end": "the", "le weekend": "the", "ce week-end": "this", "ce weekend": "this",
    "le week-end dernier": "last", "le weekend dernier": "last", "le week-end prochain": "next",
    "le weekend prochain": "next",
}  # fmt: skip
THE_YEAR = elided({
    "cette année-là": "that", "la même année": "the same", "l'année suivante": "the following",
    "l'année d'après": "the following", "l'année précédente": "the previous",
})  # fmt: skip
DECADES = {
    "vingt": "twenties", "trente": "thirties", "quarante": "forties", "cinquante": "fifties",
    "soixante": "sixties", "soixante-dix": "seventies", "quatre-vingt": "eighties",
    "quatre-vingts": "eighties", "quatre-vingt-dix": "nineties",
}  # fmt: skip
ROMAN = {"xv": "15", "xvi": "16", "xvii": "17", "xviii": "18", "xix": "19", "xx": "20", "xxi": "21"}
_POST = {"dernier": "last", "dernière": "last", "prochain": "next", "prochaine": "next"}

RULES = LanguageRules(
    code="fr",
    tables={
        "month": words("month", MONTHS),
        "weekday": words("weekday", WEEKDAYS),
        "numw": words("num", NUMBERS),
        "unit": words("unit", UNITS),
        "part": words("part", {"début": "early", "fin": "late", "mi": "mid"}),
        "rday": words("rday", RDAY),
        "relunit": pairs("rel", "unit", RELUNIT),
        "mpost": words("rel", _POST)
        | words(
            "yrel",
            elided(
                {
                    "de l'année dernière": "last",
                    "de l'an dernier": "last",
                    "de cette année": "this",
                    "de l'année prochaine": "next",
                }
            ),
        ),
        "wrel": words("wrel", {"ce": "this"}),
        "wpost": words("wrel", _POST),
        "hedge": flags(("près de", "plus de", "presque", "environ", "moins de", "quelque")),
        "wkend": words("rel", WEEKEND),
        "season": words("season", {"printemps": "spring", "automne": "fall", "hiver": "winter"}),
        "ete": words("season", {"été": "summer"}),
        "srel": words("rel", {"ce": "this", "cet": "this"}),
        "spost": words("rel", _POST),
        "ord": words(
            "ord",
            {
                "premier": "first",
                "deuxième": "second",
                "second": "second",
                "troisième": "third",
                "quatrième": "fourth",
            },
        ),
        "thisq": words(
            "which",
            {
                "dernier trimestre": "latest",
                "ce trimestre": "current",
                "trimestre dernier": "latest",
            },
        ),
        "decword": words("decade", DECADES),
        "theyear": words("which", THE_YEAR),
        "roman": words("cent", ROMAN),
        "present": flags(
            (
                "maintenant",
                "actuellement",
                "à présent",
                "de nos jours",
                "en ce moment",
                "aujourd'hui même",
            )
        ),
        "past": flags(("récemment", "dernièrement", "ces dernières années")),
        "future": flags(
            ("à l'avenir", "dans le futur", "prochainement", "à court terme", "bientôt")
        ),
    },
    templates=(
        ("dmy", r"(?:{weekday}\s+)?{DAY}(?:er)?\s+{month}\s+{YEAR}"),
        ("md", r"(?:{weekday}\s+)?{DAY}(?:er)?\s+{month}"),
        ("my", r"(?:{part}[\s-]+)?{month}\s+{YEAR}"),
        ("month", r"{month}(?:\s+{mpost})?"),
        ("relday", r"{rday}"),
        ("relunit", r"{relunit}"),
        ("weekday", r"(?:{wrel}\s+)?{weekday}(?:\s+{wpost})?"),
        ("ago", r"il\s+y\s+a\s+(?:{hedge}\s+)?(?:(?P<num>\d{1,6})|{numw})\s+{unit}"),
        ("ago", r"(?:(?P<num>\d{1,6})|{numw})\s+{unit}\s+plus\s+tôt"),
        ("weekend", r"{wkend}"),
        ("season", r"(?:{srel}\s+)?{season}(?:\s+{YEAR}|\s+{spost})?"),
        ("season", r"(?:cet\s+|l['’]){ete}(?:\s+{YEAR}|\s+{spost})?"),
        ("season", r"{ete}\s+{YEAR}"),
        ("quarter", r"{ord}\s+trimestre(?:\s+{YEAR})?"),
        ("thisquarter", r"{thisq}"),
        ("decade", r"années\s+(?P<decade>(?:19|20)?\d0)(?!\d)"),
        ("decade", r"années\s+{decword}"),
        ("century", r"{roman}(?:e|ème)\s+siècle"),
        ("century", r"(?P<cent>1\d|2[01])(?:e|ème)\s+siècle"),
        ("theyear", r"{theyear}"),
        ("present", r"{present}"),
        ("past", r"{past}"),
        ("future", r"{future}"),
    ),
    lowercase=frozenset({"month", "weekday", "season", "ete"}),
    future=frozenset(
        {
            "sera",
            "seront",
            "va",
            "vont",
            "aura",
            "auront",
            "fera",
            "feront",
            "pourra",
            "devra",
            "prochain",
            "prochaine",
            "demain",
        }
    ),
    future_endings=("era", "eront", "ira", "iront", "dra", "dront"),
)
