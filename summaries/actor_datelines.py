"""The dateline of a wire-style article: where it was filed and by whom, not who is in it.

"WASHINGTON —", "LIVINGSTON, N.J. —", "LONDON, England (CNN) --" and "(CNN)" open many news
articles. The place in capitals names where the reporter filed, the bracket the agency; neither is
an actor of the story ("a strike in Baghdad" in the text still is a place mention), so the
mentions inside a dateline are not counted.
"""

from __future__ import annotations

import re

#: Up to four words in capitals ("WASHINGTON", "KANSAS CITY", "ST. LOUIS", "WASHINGTON, D.C.").
_PLACE = r"[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]*){0,3}"
#: ", N.J.", ", England", ", Calif.": a state or country after the place, in any case.
_REGION = r",[ ][A-Z][\w.'’]*(?:[ ][A-Z][\w.'’]*){0,2}"
#: "(CNN)", "(AP)", "(Reuters)", "(The Hollywood Reporter)": the agency credit.
_CREDIT = r"\([A-Z][\w.'’ ]{0,40}\)"
#: A dash after the dateline; a lone hyphen only between spaces ("U.S.-led" is no dateline).
_DASH = r"(?:[ ]*(?:—|―|–|--)|[ ]+-[ ])"

DATELINE = re.compile(
    rf"""\s*(?:
        {_PLACE}(?:{_REGION})?(?:[ ]*{_CREDIT})?{_DASH}       # WASHINGTON — / LONDON (AP) -
      | {_PLACE}(?:{_REGION})?[ ]*{_CREDIT}                  # LONDON, England (CNN)
      | {_CREDIT}                                            # (CNN)
    )""",
    re.VERBOSE,
)


def dateline_end(text: str) -> int:
    """Where the dateline opening `text` ends (0 when the text opens without one).

    Args:
        text: The article's cleaned text.

    Returns:
        The offset just past the dateline, dash or credit included.
    """
    match = DATELINE.match(text)
    return 0 if match is None else match.end()
