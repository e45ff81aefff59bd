"""Signals of secondary actors (issue 20): sources, quotations, commentators' roles, centrality.

The gold actors the product misses wait at ranks 6-10 behind actors the article names as much
or more but the highlights leave out: a quoted expert, a club's manager, a second driver. Each
function below reads one signal that might tell those apart, from the tags `analyze` already
has (no parser); `benchmarks.actor_features` turns them into candidate salience features.

- speaker: a mention that only names who said something ("X said", "said X", "X, the club's
  manager, said", "according to X");
- quoted: a mention inside quotation marks (someone else's words name it);
- commentator (`summaries.actor_roles.is_commentator`, in the product since issue 20 as
  `ActorOptions.commentator_weight`): a person whose role is a commentator's or a source's
  ("spokesman", "analyst", "professor", "manager");
- centrality: PageRank over the graph of referents that share a sentence.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from spacy.tokens import Doc

from summaries.actors import Referent

#: Reporting verbs whose subject (or inverted subject, "said X") is a source.
REPORTING = frozenset(
    """
    say said says saying tell told tells add added adds explain explained explains state stated
    states claim claimed claims insist insisted insists write wrote writes continue continued
    admit admitted admits reveal revealed warn warned warns note noted suggest suggested believe
    believes believed tweet tweeted comment commented confirm confirmed argue argued argues report
    reported reports
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
#: Verbs whose object after them is the hearer, not a source ("told WKYC").
_HEARER = frozenset(
    {"tell", "told", "tells", "write", "wrote", "writes", "report", "reported", "reports"}
)
_NAME_TAGS = frozenset({"NNP", "NNPS", "POS"})
_APPOSITION_STOPS = frozenset({",", ".", ";", ":"})
_DAMPING = 0.85
_ITERATIONS = 40


def name_end(doc: Doc, index: int) -> int:
    """The token after the name that starts at token `index` (at most six name tokens)."""
    end = index + 1
    while end < len(doc) and doc[end].tag_ in _NAME_TAGS and end - index < 6:
        end += 1
    return end


def is_speaker(doc: Doc, index: int) -> bool:
    """Whether the name starting at token `index` is only the source of a reporting verb.

    "Locke said", "Locke, the club's manager, said", "said Locke", "said club chairman Locke"
    and "according to Locke" are; "told Locke" is not (Locke is the hearer).
    """
    end = name_end(doc, index)
    if end < len(doc) and doc[end].lower_ in REPORTING:
        return True
    if end < len(doc) and doc[end].text == ",":  # an apposition, then the verb
        stop = end + 1
        while stop < len(doc) and stop - end < 14 and doc[stop].text not in _APPOSITION_STOPS:
            stop += 1
        if stop + 1 < len(doc) and doc[stop].text == "," and doc[stop + 1].lower_ in REPORTING:
            return True
    before = index - 1
    while before >= 0 and index - before < 4 and _modifier(doc, before):
        before -= 1  # "said [the club's chairman] Locke"
    if before >= 0 and doc[before].lower_ in REPORTING - _HEARER:
        return True
    return index >= 2 and doc[index - 2].lower_ == "according" and doc[index - 1].lower_ == "to"


def _modifier(doc: Doc, index: int) -> bool:
    token = doc[index]
    if token.lower_ in {"the", "a"}:
        return True
    lower_noun = token.tag_ in {"NN", "JJ", "NNP"} and not token.is_title
    return lower_noun and token.lower_ not in REPORTING


def quoted_tokens(doc: Doc) -> list[bool]:
    """Per token, whether it is inside quotation marks (an opening mark opens, a closing closes).

    British single quotes are read by spaCy's tags (an apostrophe in "players'" is POS, not a
    closing mark); an opening mark without its closing one runs to the next closing mark.
    """
    inside: list[bool] = []
    open_ = False
    for token in doc:
        if token.tag_ == "``" or (token.is_quote and token.text in "“‘"):
            open_ = True
        elif token.tag_ == "''" or (token.is_quote and token.text in "”’" and token.tag_ != "POS"):
            inside.append(open_)
            open_ = False
            continue
        inside.append(open_)
    return inside


def centrality(doc: Doc, referents: Sequence[Referent]) -> list[float]:
    """PageRank of each referent over the sentences it shares with others, the highest at 1.

    Args:
        doc: The article's spaCy pass.
        referents: The article's referents.

    Returns:
        One value per referent, in order, the most central at 1 (one that shares no sentence
        keeps only the damping's floor).
    """
    starts = [sentence.start_char for sentence in doc.sents]
    sentences = [
        {bisect.bisect_right(starts, offset) - 1 for offset in referent.offsets}
        for referent in referents
    ]
    count = len(referents)
    weights = [
        [len(sentences[a] & sentences[b]) if a != b else 0 for b in range(count)]
        for a in range(count)
    ]
    out = [sum(row) for row in weights]
    rank = [1.0 / max(count, 1)] * count
    for _ in range(_ITERATIONS):
        rank = [
            (1 - _DAMPING) / count
            + _DAMPING
            * sum(rank[a] * weights[a][b] / out[a] for a in range(count) if weights[a][b])
            for b in range(count)
        ]
    top = max(rank, default=0.0)
    return [value / top if top else 0.0 for value in rank]
