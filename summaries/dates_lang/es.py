"""Spanish date words and rules ("3 de enero de 2024", "el lunes pasado", "hace tres años")."""

from __future__ import annotations

from summaries.dates_lang import LanguageRules, flags, pairs, words

MONTHS = {
    "enero": "january", "febrero": "february", "marzo": "march", "abril": "april", "mayo": "may",
    "junio": "june", "julio": "july", "agosto": "august", "septiembre": "september",
    "setiembre": "september", "octubre": "october", "noviembre": "november",
    "diciembre": "december",
}  # fmt: skip
WEEKDAYS = {
    "lunes": "monday", "martes": "tuesday", "miércoles": "wednesday", "miercoles": "wednesday",
    "jueves": "thursday", "viernes": "friday", "sábado": "saturday", "sabado": "saturday",
    "domingo": "sunday",
}  # fmt: skip
NUMBERS = {
    "un": "1", "una": "1", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
    "seis": "6", "siete": "7", "ocho": "8", "nueve": "9", "diez": "10", "once": "11",
    "doce": "12", "trece": "13", "catorce": "14", "quince": "15", "dieciséis": "16",
    "diecisiete": "17", "dieciocho": "18", "diecinueve": "19", "veinte": "20", "treinta": "30",
    "cuarenta": "40", "cincuenta": "50", "sesenta": "60", "setenta": "70", "ochenta": "80",
    "noventa": "90", "cien": "100", "unos": "several", "unas": "several", "varios": "several",
    "varias": "several", "algunos": "several", "algunas": "several", "pocos": "several",
    "pocas": "several",
}  # fmt: skip
UNITS = {
    "día": "day", "días": "day", "dia": "day", "dias": "day", "semana": "week",
    "semanas": "week", "mes": "month", "meses": "month", "año": "year", "años": "year",
    "década": "decade", "décadas": "decade", "siglo": "century", "siglos": "century",
    "hora": "hour", "horas": "hour",
}  # fmt: skip
RELUNIT = {
    "semana pasada": "last week", "pasada semana": "last week", "próxima semana": "next week",
    "semana próxima": "next week", "semana que viene": "next week", "esta semana": "this week",
    "mes pasado": "last month", "pasado mes": "last month", "próximo mes": "next month",
    "mes próximo": "next month", "mes que viene": "next month", "este mes": "this month",
    "año pasado": "last year", "pasado año": "last year", "próximo año": "next year",
    "año próximo": "next year", "año que viene": "next year", "este año": "this year",
    "presente año": "this year",
}  # fmt: skip
_NEXT, _LAST = {"próximo": "next", "próxima": "next"}, {"pasado": "last", "pasada": "last"}

RULES = LanguageRules(
    code="es",
    tables={
        "month": words("month", MONTHS),
        "weekday": words("weekday", WEEKDAYS),
        "numw": words("num", NUMBERS),
        "unit": words("unit", UNITS),
        "part": words(
            "part",
            {
                "principios de": "early",
                "comienzos de": "early",
                "inicios de": "early",
                "finales de": "late",
                "fines de": "late",
                "mediados de": "mid",
            },
        ),
        "rday": words(
            "rday",
            {
                "hoy": "today",
                "el día de hoy": "today",
                "ayer": "yesterday",
                "el día de ayer": "yesterday",
                "anteayer": "day before yesterday",
                "antier": "day before yesterday",
                "antes de ayer": "day before yesterday",
                "pasado mañana": "day after tomorrow",
            },
        ),
        "tomorrow": words("rday", {"mañana": "tomorrow"}),
        "relunit": pairs("rel", "unit", RELUNIT),
        "mrel": words("rel", _NEXT | _LAST),
        "mpost": words("rel", _NEXT | _LAST)
        | words(
            "yrel",
            {
                "del año pasado": "last",
                "de este año": "this",
                "del próximo año": "next",
                "del año que viene": "next",
            },
        ),
        "wrel": words("wrel", _NEXT | _LAST | {"este": "this"}),
        "wpost": words("wrel", _NEXT | _LAST | {"que viene": "next"}),
        "hedge": flags(
            (
                "más de",
                "casi",
                "cerca de",
                "alrededor de",
                "apenas",
                "sólo",
                "solo",
                "menos de",
                "poco más de",
            )
        ),
        "wkend": words(
            "rel",
            {
                "fin de semana": "the",
                "este fin de semana": "this",
                "próximo fin de semana": "next",
                "pasado fin de semana": "last",
                "fin de semana pasado": "last",
                "fin de semana que viene": "next",
            },
        ),
        "season": words(
            "season",
            {"primavera": "spring", "verano": "summer", "otoño": "fall", "invierno": "winter"},
        ),
        "srel": words("rel", _NEXT | _LAST | {"este": "this"}),
        "spost": words("rel", _NEXT | _LAST),
        "ord": words(
            "ord",
            {
                "primer": "first",
                "primero": "first",
                "segundo": "second",
                "tercer": "third",
                "tercero": "third",
                "cuarto": "fourth",
            },
        ),
        "qowner": words(
            "owner",
            {
                "de este año": "this year's",
                "del año pasado": "last year's",
                "del próximo año": "next year's",
            },
        ),
        "thisq": words(
            "which",
            {
                "último trimestre": "latest",
                "este trimestre": "current",
                "trimestre pasado": "latest",
            },
        ),
        "decword": words(
            "decade",
            {
                "veinte": "twenties",
                "treinta": "thirties",
                "cuarenta": "forties",
                "cincuenta": "fifties",
                "sesenta": "sixties",
                "setenta": "seventies",
                "ochenta": "eighties",
                "noventa": "nineties",
            },
        ),
        "theyear": words(
            "which",
            {
                "ese año": "that",
                "aquel año": "that",
                "ese mismo año": "the same",
                "el mismo año": "the same",
                "al año siguiente": "the following",
                "el año siguiente": "the following",
                "el año anterior": "the previous",
                "principios de año": "the",
                "comienzos de año": "the",
                "mediados de año": "the",
                "finales de año": "the",
                "fin de año": "the",
            },
        ),
        "roman": words(
            "cent",
            {
                "xv": "15",
                "xvi": "16",
                "xvii": "17",
                "xviii": "18",
                "xix": "19",
                "xx": "20",
                "xxi": "21",
            },
        ),
        "present": flags(
            (
                "ahora",
                "actualmente",
                "en la actualidad",
                "hoy en día",
                "hoy día",
                "en estos momentos",
                "en este momento",
            )
        ),
        "past": flags(("recientemente", "últimamente", "los últimos años", "últimos años")),
        "future": flags(("en el futuro", "próximamente", "a corto plazo", "corto plazo")),
    },
    templates=(
        ("dmy", r"(?:{weekday},?\s+)?{DAY}º?\s+de\s+{month}\s+(?:de\s+|del\s+)?{YEAR}"),
        ("md", r"(?:{weekday},?\s+)?{DAY}º?\s+de\s+{month}"),
        ("my", r"(?:{part}\s+)?{month}\s+(?:de\s+|del\s+)?{YEAR}"),
        ("month", r"(?:{mrel}\s+(?:mes\s+de\s+)?)?{month}(?:\s+{mpost})?"),
        ("relday", r"{rday}"),
        ("relday", r"(?<!la\s)(?<!esta\s)(?<!una\s)(?<!cada\s)(?<!por\s)(?<!de\s){tomorrow}"),
        ("relunit", r"{relunit}"),
        ("weekday", r"(?:{wrel}\s+)?{weekday}(?:\s+{wpost})?"),
        ("ago", r"hace\s+(?:{hedge}\s+)?(?:(?P<num>\d{1,6})|{numw})\s+{unit}"),
        ("ago", r"(?:(?P<num>\d{1,6})|{numw})\s+{unit}\s+(?:atrás|antes)"),
        ("weekend", r"{wkend}"),
        ("season", r"(?:{srel}\s+)?{season}(?:\s+(?:de\s+|del\s+){YEAR}|\s+{spost})?"),
        ("quarter", r"{ord}\s+trimestre(?:\s+(?:de\s+|del\s+){YEAR}|\s+{qowner})?"),
        ("thisquarter", r"{thisq}"),
        ("decade", r"los\s+años\s+(?P<decade>(?:19|20)?\d0)(?!\d)"),
        ("decade", r"la\s+década\s+de(?:\s+los)?\s+(?P<decade>(?:19|20)?\d0)(?!\d)"),
        ("decade", r"(?:los\s+)?años\s+{decword}"),
        ("century", r"(?:el\s+)?siglo\s+{roman}"),
        ("theyear", r"{theyear}"),
        ("present", r"{present}"),
        ("past", r"{past}"),
        ("future", r"{future}"),
    ),
    lowercase=frozenset({"month", "weekday", "season"}),
    future=frozenset({"será", "serán", "va", "van", "vamos", "próximo", "próxima", "mañana"}),
    future_endings=("rá", "rán", "remos"),
)
