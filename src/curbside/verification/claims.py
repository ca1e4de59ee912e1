"""Split one statement into the claims a reviewer would check one by one.

"Never combine buspirone with an MAOI; allow 14 days between stopping one and starting the
other" is two claims: a prohibition and a waiting time. Each is checked on its own (its own
best window, its own polarity), and the statement's verdict names the claim that failed.

Splits: sentences; semicolons; a comma or "and"/"but"/"while"/"whereas" that starts a new
clause with its own verb ("…, and children receive 20 mg/kg …"). Pieces shorter than
``MIN_WORDS`` words stay with their neighbour, so lists ("dizziness, nausea and headache")
and short qualifiers are never claims of their own.
"""

from __future__ import annotations

import re

from curbside.language.sentences import split_sentences

MIN_WORDS = 4
MAX_CLAIMS = 6
_SEMICOLON = re.compile(r"\s*;\s*")
# A clause joiner followed by words that look like a new clause: a subject-ish start and a verb.
_JOINER = re.compile(r",?\s+\b(?:and|but|while|whereas)\b\s+(?!older|younger|over|above|under)"
                     r"(?=(?:\w+\s+){0,4}?(?:is|are|was|were|should|must|"
                     r"may|can|could|will|do|does|did|has|have|had|receive\w*|take\w*|increase\w*|reduce\w*|"
                     r"lower\w*|raise\w*|cause\w*|allow|wait|avoid|use|give|start|stop)\b)", re.IGNORECASE)  # fmt: skip


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _merge_short(pieces: list[str]) -> list[str]:
    """Attach pieces under ``MIN_WORDS`` words to the previous piece (or the next one)."""
    out: list[str] = []
    for piece in pieces:
        if (out and _words(piece) < MIN_WORDS) or (out and _words(out[-1]) < MIN_WORDS):
            out[-1] = f"{out[-1]}; {piece}"
        else:
            out.append(piece)
    return out


def split_claims(statement: str) -> list[str]:
    """The claims of one statement, in order; a simple statement is its own single claim."""
    text = " ".join(statement.split())
    pieces: list[str] = []
    for sentence in split_sentences(text) or [text]:
        for part in _SEMICOLON.split(sentence):
            pieces.extend(p for p in _JOINER.split(part) if p and p.strip(" ,."))
    claims = [p.strip(" ,;") for p in _merge_short(pieces) if p.strip(" ,;")]
    if len(claims) > MAX_CLAIMS:
        claims = [*claims[: MAX_CLAIMS - 1], " ".join(claims[MAX_CLAIMS - 1 :])]
    return claims or [text]
