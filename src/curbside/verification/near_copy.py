"""A statement that copies its source sentence nearly word for word must copy its meaning too.

Two failure modes of the plain polarity check, both seen on corpus perturbations:

* The "best sentence" of a passage is often several sentences run together (label items and
  guideline bullets without full stops), so a neighbour's "do not …" decides the polarity.
  ``aligned_span`` cuts the sentence down to the stretch the statement actually copies.
* In a near copy, one flipped word is the whole change: "increased" for "decreased", a "not"
  inside a qualifying clause, "children" for "women aged 21 to 24". Against a loose paraphrase
  such words may legitimately differ; against a near copy (≥ ``NEAR_COPY_SHARE`` of the longer
  text's words shared) they may not, so ``copy_changes`` compares them exactly.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from curbside.applicability.population import age_groups_in
from curbside.verification.polarity import change_words, negation_words

NEAR_COPY_SHARE = 0.8
_MARGIN = 2
_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[a-z]{3,}")


def _norm(token: str) -> str:
    return re.sub(r"[^a-z0-9]", "", token.lower())


def aligned_span(statement: str, sentence: str) -> str:
    """The part of ``sentence`` from the first to the last run of ≥ 2 words the statement copies,
    widened by as many words as the statement has before / after those runs plus ``_MARGIN``
    ("Always give X" against "Do not give X": the "Do not" is part of the copy). The whole
    sentence when no such run exists."""
    ours = [_norm(t) for t in _TOKEN.findall(statement)]
    tokens = _TOKEN.findall(sentence)
    theirs = [_norm(t) for t in tokens]
    blocks = [b for b in SequenceMatcher(None, ours, theirs, autojunk=False).get_matching_blocks() if b.size >= 2]
    if not blocks:
        return sentence
    first, last = blocks[0], blocks[-1]
    start = max(0, first.b - first.a - _MARGIN)
    end = min(len(tokens), last.b + last.size + (len(ours) - last.a - last.size) + _MARGIN)
    return " ".join(tokens[start:end])


def word_share(statement: str, support: str) -> float:
    """Share of the longer text's distinct words (≥ 3 letters) that both texts hold."""
    ours, theirs = set(_WORD.findall(statement.lower())), set(_WORD.findall(support.lower()))
    return len(ours & theirs) / max(1, len(ours), len(theirs))


def near_copy_support(statement: str, sentence: str) -> str | None:
    """The copied span of ``sentence`` when the statement is a near copy of it, else None."""
    span = aligned_span(statement, sentence)
    return span if word_share(statement, span) >= NEAR_COPY_SHARE else None


def copy_changes(statement: str, span: str) -> list[str]:
    """What a near copy changed that a faithful copy may not: negations, directions, populations."""
    failed = []
    if negation_words(statement) != negation_words(span):
        failed.append(f"negation differs from the sentence it copies ({span[:80]!r})")
    if change_words(statement) != change_words(span):
        failed.append(f"direction differs from the sentence it copies ({span[:80]!r})")
    added = age_groups_in(statement) - age_groups_in(span)
    if added:
        names = ", ".join(sorted(g.value.replace("_", " ") for g in added))
        failed.append(f"population {names} not in the sentence it copies ({span[:80]!r})")
    return failed
