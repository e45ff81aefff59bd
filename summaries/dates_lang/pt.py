"""Portuguese date words and rules ("3 de janeiro de 2024", "na sexta-feira", "há três anos").

Months are accepted capitalised too: the orthography before 2009 wrote "3 de Janeiro".
"""

from __future__ import annotations

from summaries.dates_lang import LanguageRules, flags, pairs, words

MONTHS = {
    "janeiro": "january", "fevereiro": "february", "março": "march", "abril": "april",
    "maio": "may", "junho": "june", "julho": "july", "agosto": "august", "setembro": "september",
    "outubro": "october", "novembro": "november", "dezembro": "december",
}  # fmt: skip
WEEKDAYS = {
    "segunda-feira": "monday", "terça-feira": "tuesday", "terca-feira": "tuesday",
    "quarta-feira": "wednesday", "quinta-feira": "thursday", "sexta-feira": "friday",
    "sábado": "saturday", "sabado": "saturday", "domingo": "sunday",
}  # fmt: skip
SHORT_WEEKDAYS = {
    "segunda": "monday", "terça": "tuesday", "quarta": "wednesday", "quinta": "thursday",
    "sexta": "friday",
}  # fmt: skip
NUMBERS = {
    "um": "1", "uma": "1", "dois": "2", "duas": "2", "três": "3", "tres": "3", "quatro": "4",
    "cinco": "5", "seis": "6", "sete": "7", "oito": "8", "nove": "9", "dez": "10", "onze": "11",
    "doze": "12", "treze": "13", "catorze": "14", "quatorze": "14", "quinze": "15",
    "dezesseis": "16", "dezasseis": "16", "dezessete": "17", "dezassete": "17", "dezoito": "18",
    "dezenove": "19", "dezanove": "19", "vinte": "20", "trinta": "30", "quarenta": "40",
    "cinquenta": "50", "sessenta": "60", "setenta": "70", "oitenta": "80", "noventa": "90",
    "cem": "100", "alguns": "several", "algumas": "several", "vários": "several",
    "várias": "several", "poucos": "several", "poucas": "several", "uns": "several",
    "umas": "several",
}  # fmt: skip
UNITS = {
    "dia": "day", "dias": "day", "semana": "week", "semanas": "week", "mês": "month",
    "meses": "month", "ano": "year", "anos": "year", "década": "decade", "décadas": "decade",
    "século": "century", "séculos": "century", "hora": "hour", "horas": "hour",
}  # fmt: skip
RELUNIT = {
    "semana passada": "last week", "próxima semana": "next week", "semana que vem": "next week",
    "esta semana": "this week", "nesta semana": "this week", "mês passado": "last month",
    "próximo mês": "next month", "mês que vem": "next month", "este mês": "this month",
    "neste mês": "this month", "ano passado": "last year", "próximo ano": "next year",
    "ano que vem": "next year", "este ano": "this year", "neste ano": "this year",
}  # fmt: skip
RDAY = {
    "hoje": "today", "o dia de hoje": "today", "ontem": "yesterday",
    "anteontem": "day before yesterday", "antes de ontem": "day before yesterday",
    "amanhã": "tomorrow", "depois de amanhã": "day after tomorrow",
}  # fmt: skip
PART = {
    "início de": "early", "inícios de": "early", "princípio de": "early",
    "princípios de": "early", "começo de": "early", "final de": "late", "finais de": "late",
    "fim de": "late", "fins de": "late", "meados de": "mid",
}  # fmt: skip
WEEKEND = {
    "fim de semana": "the", "este fim de semana": "this", "neste fim de semana": "this",
    "próximo fim de semana": "next", "fim de semana passado": "last",
    "último fim de semana": "last",
}  # fmt: skip
THE_YEAR = {
    "nesse ano": "that", "naquele ano": "that", "esse ano": "that", "aquele ano": "that",
    "no mesmo ano": "the same", "o mesmo ano": "the same", "no ano seguinte": "the following",
    "o ano seguinte": "the following", "no ano anterior": "the previous",
    "o ano anterior": "the previous",
}  # fmt: skip
DECADES = {
    "vinte": "twenties", "trinta": "thirties", "quarenta": "forties", "cinquenta": "fifties",
    "sessenta": "sixties", "setenta": "seventies", "oitenta": "eighties", "noventa": "nineties",
}  # fmt: skip
ROMAN = {"xv": "15", "xvi": "16", "xvii": "17", "xviii": "18", "xix": "19", "xx": "20", "xxi": "21"}
_NEXT, _LAST = {"próximo": "next", "próxima": "next"}, {"passado": "last", "passada": "last"}

RULES = LanguageRules(
    code="pt",
    tables={
        "month": words("month", MONTHS),
        "weekday": words("weekday", WEEKDAYS),
        "wshort": words("weekday", SHORT_WEEKDAYS),
        "numw": words("num", NUMBERS),
        "unit": words("unit", UNITS),
        "part": words("part", PART),
        "rday": words("rday", RDAY),
        "relunit": pairs("rel", "unit", RELUNIT),
        "mpost": words("rel", _NEXT | _LAST)
        | words(
            "yrel",
            {
                "do ano passado": "last",
                "deste ano": "this",
                "do próximo ano": "next",
                "do ano que vem": "next",
            },
        ),
        "wrel": words("wrel", _NEXT | {"última": "last", "último": "last", "esta": "this"}),
        "wpost": words("wrel", _NEXT | _LAST),
        "hedge": flags(("mais de", "quase", "cerca de", "perto de", "apenas", "menos de")),
        "wkend": words("rel", WEEKEND),
        "season": words(
            "season",
            {
                "primavera": "spring",
                "verão": "summer",
                "verao": "summer",
                "outono": "fall",
                "inverno": "winter",
            },
        ),
        "srel": words("rel", _NEXT | {"este": "this", "neste": "this"}),
        "spost": words("rel", _NEXT | _LAST),
        "ord": words(
            "ord",
            {"primeiro": "first", "segundo": "second", "terceiro": "third", "quarto": "fourth"},
        ),
        "thisq": words(
            "which",
            {
                "último trimestre": "latest",
                "este trimestre": "current",
                "trimestre passado": "latest",
            },
        ),
        "decword": words("decade", DECADES),
        "theyear": words("which", THE_YEAR),
        "roman": words("cent", ROMAN),
        "present": flags(
            ("agora", "atualmente", "actualmente", "hoje em dia", "neste momento", "no momento")
        ),
        "past": flags(("recentemente", "ultimamente", "nos últimos anos", "últimos anos")),
        "future": flags(("no futuro", "em breve", "brevemente", "a curto prazo", "curto prazo")),
    },
    templates=(
        ("dmy", r"(?:{weekday},?\s+)?{DAY}º?\s+de\s+{month}\s+(?:de\s+)?{YEAR}"),
        ("md", r"(?:{weekday},?\s+)?{DAY}º?\s+de\s+{month}"),
        ("my", r"(?:{part}\s+)?{month}\s+(?:de\s+)?{YEAR}"),
        ("month", r"{month}(?:\s+{mpost})?"),
        ("relday", r"{rday}"),
        ("relunit", r"{relunit}"),
        ("weekday", r"(?:{wrel}\s+)?{weekday}(?:\s+{wpost})?"),
        ("weekday", r"(?:n?esta|na|desta|da)\s+(?:{wrel}\s+)?{wshort}(?:\s+{wpost})?"),
        ("ago", r"(?:há|faz)\s+(?:{hedge}\s+)?(?:(?P<num>\d{1,6})|{numw})\s+{unit}"),
        ("ago", r"(?:(?P<num>\d{1,6})|{numw})\s+{unit}\s+(?:atrás|antes)"),
        ("weekend", r"{wkend}"),
        ("season", r"(?:{srel}\s+)?{season}(?:\s+de\s+{YEAR}|\s+{spost})?"),
        ("quarter", r"{ord}\s+trimestre(?:\s+de\s+{YEAR})?"),
        ("thisquarter", r"{thisq}"),
        ("decade", r"(?:os|nos|dos|aos)\s+anos\s+(?P<decade>(?:19|20)?\d0)(?!\d)"),
        ("decade", r"década\s+de\s+(?P<decade>(?:19|20)?\d0)(?!\d)"),
        ("decade", r"(?:os|nos|dos|aos)\s+anos\s+{decword}"),
        ("century", r"século\s+{roman}"),
        ("theyear", r"{theyear}"),
        ("present", r"{present}"),
        ("past", r"{past}"),
        ("future", r"{future}"),
    ),
    lowercase=frozenset({"weekday", "season"}),
    future=frozenset({"será", "serão", "vai", "vão", "próximo", "próxima", "amanhã"}),
    future_endings=("rá", "rão", "remos"),
)
