"""Italian date words and rules ("3 gennaio 2024", "la settimana scorsa", "tre anni fa")."""

from __future__ import annotations

from summaries.dates_lang import LanguageRules, elided, flags, pairs, words

MONTHS = {
    "gennaio": "january", "febbraio": "february", "marzo": "march", "aprile": "april",
    "maggio": "may", "giugno": "june", "luglio": "july", "agosto": "august",
    "settembre": "september", "ottobre": "october", "novembre": "november",
    "dicembre": "december",
}  # fmt: skip
WEEKDAYS = {
    "lunedì": "monday", "lunedi": "monday", "martedì": "tuesday", "martedi": "tuesday",
    "mercoledì": "wednesday", "mercoledi": "wednesday", "giovedì": "thursday",
    "giovedi": "thursday", "venerdì": "friday", "venerdi": "friday", "sabato": "saturday",
    "domenica": "sunday",
}  # fmt: skip
NUMBERS = {
    "un": "1", "uno": "1", "una": "1", "due": "2", "tre": "3", "quattro": "4", "cinque": "5",
    "sei": "6", "sette": "7", "otto": "8", "nove": "9", "dieci": "10", "undici": "11",
    "dodici": "12", "tredici": "13", "quattordici": "14", "quindici": "15", "sedici": "16",
    "diciassette": "17", "diciotto": "18", "diciannove": "19", "venti": "20", "trenta": "30",
    "quaranta": "40", "cinquanta": "50", "cento": "100", "alcuni": "several",
    "alcune": "several", "pochi": "several", "poche": "several", "diversi": "several",
    "diverse": "several", "qualche": "several",
}  # fmt: skip
UNITS = {
    "giorno": "day", "giorni": "day", "settimana": "week", "settimane": "week", "mese": "month",
    "mesi": "month", "anno": "year", "anni": "year", "decennio": "decade", "decenni": "decade",
    "secolo": "century", "secoli": "century", "ora": "hour", "ore": "hour",
}  # fmt: skip
RELUNIT = elided({
    "settimana scorsa": "last week", "scorsa settimana": "last week",
    "prossima settimana": "next week", "settimana prossima": "next week",
    "questa settimana": "this week", "mese scorso": "last month", "scorso mese": "last month",
    "prossimo mese": "next month", "mese prossimo": "next month", "questo mese": "this month",
    "anno scorso": "last year", "scorso anno": "last year", "anno passato": "last year",
    "prossimo anno": "next year", "anno prossimo": "next year", "quest'anno": "this year",
    "questo anno": "this year",
})  # fmt: skip
WEEKEND = {
    "fine settimana": "the", "weekend": "the", "questo fine settimana": "this",
    "questo weekend": "this", "scorso fine settimana": "last", "scorso weekend": "last",
    "prossimo fine settimana": "next", "prossimo weekend": "next",
}  # fmt: skip
THE_YEAR = elided({
    "quell'anno": "that", "stesso anno": "the same", "anno successivo": "the following",
    "anno seguente": "the following", "anno precedente": "the previous",
})  # fmt: skip
DECADES = {
    "venti": "twenties", "trenta": "thirties", "quaranta": "forties", "cinquanta": "fifties",
    "sessanta": "sixties", "settanta": "seventies", "ottanta": "eighties", "novanta": "nineties",
}  # fmt: skip
ROMAN = {"xv": "15", "xvi": "16", "xvii": "17", "xviii": "18", "xix": "19", "xx": "20", "xxi": "21"}
_POST = {"scorso": "last", "scorsa": "last", "prossimo": "next", "prossima": "next"}

RULES = LanguageRules(
    code="it",
    tables={
        "month": words("month", MONTHS),
        "weekday": words("weekday", WEEKDAYS),
        "numw": words("num", NUMBERS | {"un'": "1", "un’": "1"}),
        "unit": words("unit", UNITS),
        "part": words(
            "part",
            {
                "inizio": "early",
                "inizio del": "early",
                "fine": "late",
                "fine del": "late",
                "metà": "mid",
                "metà del": "mid",
            },
        ),
        "rday": words(
            "rday",
            elided(
                {
                    "oggi": "today",
                    "ieri": "yesterday",
                    "altroieri": "day before yesterday",
                    "l'altro ieri": "day before yesterday",
                    "ieri l'altro": "day before yesterday",
                    "domani": "tomorrow",
                    "dopodomani": "day after tomorrow",
                }
            ),
        ),
        "relunit": pairs("rel", "unit", RELUNIT),
        "mpost": words("rel", _POST)
        | words(
            "yrel",
            elided(
                {"dell'anno scorso": "last", "di quest'anno": "this", "dell'anno prossimo": "next"}
            ),
        ),
        "wrel": words("wrel", _POST | {"questo": "this", "questa": "this"}),
        "wpost": words("wrel", _POST),
        "hedge": flags(("circa", "quasi", "oltre", "più di", "appena", "meno di")),
        "wkend": words("rel", WEEKEND),
        "season": words(
            "season",
            {"primavera": "spring", "estate": "summer", "autunno": "fall", "inverno": "winter"},
        ),
        "srel": words("rel", elided(_POST | {"questa": "this", "quest'": "this"})),
        "spost": words("rel", _POST),
        "ord": words(
            "ord", {"primo": "first", "secondo": "second", "terzo": "third", "quarto": "fourth"}
        ),
        "thisq": words(
            "which",
            {
                "ultimo trimestre": "latest",
                "questo trimestre": "current",
                "trimestre scorso": "latest",
            },
        ),
        "decword": words("decade", DECADES),
        "theyear": words("which", THE_YEAR),
        "roman": words("cent", ROMAN),
        "present": flags(
            ("adesso", "attualmente", "oggigiorno", "al momento", "in questo momento")
        ),
        "past": flags(("recentemente", "di recente", "ultimamente", "negli ultimi anni")),
        "future": flags(("in futuro", "prossimamente", "a breve", "nel breve termine")),
    },
    templates=(
        ("dmy", r"(?:{weekday}\s+)?{DAY}[º°]?\s+{month}\s+{YEAR}"),
        ("md", r"(?:{weekday}\s+)?{DAY}[º°]?\s+{month}"),
        ("my", r"(?:{part}\s+)?{month}\s+(?:del\s+)?{YEAR}"),
        ("year", r"{part}\s+{YEAR}"),
        ("month", r"{month}(?:\s+{mpost})?"),
        ("relday", r"{rday}"),
        ("relunit", r"{relunit}"),
        ("weekday", r"(?:{wrel}\s+)?{weekday}(?:\s+{wpost})?"),
        ("ago", r"(?:{hedge}\s+)?(?:(?P<num>\d{1,6})|{numw})\s*{unit}\s+(?:fa|prima)"),
        ("weekend", r"{wkend}"),
        ("season", r"(?:{srel}\s*)?{season}(?:\s+(?:del\s+)?{YEAR}|\s+{spost})?"),
        ("quarter", r"{ord}\s+trimestre(?:\s+(?:del\s+)?{YEAR})?"),
        ("thisquarter", r"{thisq}"),
        ("decade", r"anni\s+['’]?(?P<decade>(?:19|20)?\d0)(?!\d)"),
        ("decade", r"anni\s+{decword}"),
        ("century", r"{roman}\s+secolo"),
        ("century", r"secolo\s+{roman}"),
        ("theyear", r"{theyear}"),
        ("present", r"{present}"),
        ("past", r"{past}"),
        ("future", r"{future}"),
    ),
    lowercase=frozenset({"month", "weekday", "season"}),
    future=frozenset({"sarà", "saranno", "prossimo", "prossima", "domani"}),
    future_endings=("rà", "ranno", "remo"),
)
