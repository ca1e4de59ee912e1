"""A simple content-word overlap judge for independently written must-contain / must-not facts.

A fact is covered by a text when one sentence of the text holds at least ``COVER`` of the
fact's content-word stems (five letters: "augment" ~ "augmentation"). A must-not fact is
flagged when one sentence holds at least ``FLAG`` of its stems and carries no negation; flags
are candidates for a human reader, not verdicts (a warning "do not combine with an MAOI"
shares the words of "combine with an MAOI").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_NEGATION = re.compile(r"\b(?:not|no|never|avoid|contraindicated|should not|do not)\b", re.I)
STEM = 5
COVER = 0.6
FLAG = 0.7


def fact_stems(text: str) -> set[str]:
    return {
        w[:STEM] for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in ENGLISH_STOP_WORDS and not w.isdigit()
    } | {w for w in _WORD.findall(text.lower()) if w.isdigit()}


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def overlap(fact: str, sentence: str) -> float:
    wanted = fact_stems(fact)
    return len(wanted & fact_stems(sentence)) / len(wanted) if wanted else 0.0


def best_overlap(fact: str, text: str) -> float:
    return max((overlap(fact, s) for s in sentences(text)), default=0.0)


@dataclass(frozen=True, slots=True)
class Judged:
    covered: tuple[bool, ...]
    flagged: tuple[str, ...]


def judge_text(must_contain: Iterable[str], must_not: Iterable[str], text: str) -> Judged:
    covered = tuple(best_overlap(fact, text) >= COVER for fact in must_contain)
    flagged = tuple(
        fact for fact in must_not if any(overlap(fact, s) >= FLAG and not _NEGATION.search(s) for s in sentences(text))
    )
    return Judged(covered, flagged)
