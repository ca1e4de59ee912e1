"""Doses and dosing frequencies stated in a question ("buspirone 30 mg eight times a day").

Grammar only, no medical facts: a number and a unit after (or shortly before) a recognised
drug, and the frequency words that follow within a few words. Frequencies read as
administrations per day:

* counts — "once/twice/three times (a|per) day", "N times daily", "eight times a day", "x3/day";
* Latin shorthand — qd/od (1), bid (2), tid (3), qid (4), qhs (1), "q6h"/"q 6 h"/"q6-8h" (24/6;
  for a range the shorter interval, i.e. the most doses a day the wording allows);
* intervals — "every 3 hours", "every 4 to 6 hours" (24/4), "every other day" (0.5), "weekly" (1/7),
  "daily"/"every day"/"a day" (1).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from curbside.domain.question import StatedDose
from curbside.understanding.drugs import DrugSpan

_COUNT_WORDS = {
    "once": 1, "one": 1, "twice": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_NUMBER = r"(\d+(?:\.\d+)?|" + "|".join(_COUNT_WORDS) + r")"
_DOSE = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)\s*(mg|mcg|µg|g|milligrams?|grams?)(?![\w/])", re.IGNORECASE)
_FREQUENCIES: tuple[tuple[re.Pattern[str], object], ...] = (
    (re.compile(rf"\b{_NUMBER}\s*(?:times|x)\s*(?:a|per|each|/)?\s*(?:day|daily|24 ?h(?:ours)?)\b", re.I), "count"),
    (re.compile(r"\b(once|twice)\s+(?:a|per|each)?\s*(?:day|daily)\b", re.I), "count"),
    (re.compile(r"\bx\s?(\d+)\s?/\s?(?:day|d)\b", re.I), "count"),
    (re.compile(rf"\b(?:every|q)\s*{_NUMBER}\s*(?:(?:-|–|to)\s*\d+\s*)?(?:hours?|hrs?|h)\b", re.I), "interval"),
    (re.compile(r"\b(?:every|q)\s*(?:hour|hr|h)\b", re.I), 24.0),
    (re.compile(r"\bq\.?i\.?d\.?(?![a-z])|\bqid\b", re.I), 4.0),
    (re.compile(r"\bt\.?i\.?d\.?(?![a-z])|\btid\b", re.I), 3.0),
    (re.compile(r"\bb\.?i\.?d\.?(?![a-z])|\bbid\b", re.I), 2.0),
    (re.compile(r"\bevery other day\b|\bqod\b", re.I), 0.5),
    (re.compile(r"\b(?:once )?(?:a |per )?week(?:ly)?\b", re.I), 1 / 7),
    (re.compile(r"\bq\.?d\.?(?![a-z])|\bod\b|\bqhs\b|\bdaily\b|\bevery day\b|\ba day\b|\bper day\b|/day\b", re.I), 1.0),
)
FREQUENCY_WINDOW = 40
DRUG_WINDOW = 40


def _number(text: str) -> float:
    return float(_COUNT_WORDS.get(text.lower(), 0) or text)


def parse_frequency(text: str) -> tuple[float, str] | None:
    """Administrations per day stated at the start of ``text`` (within a few words), with the words."""
    best: tuple[int, float, str] | None = None
    for pattern, kind in _FREQUENCIES:
        match = pattern.search(text)
        if match is None:
            continue
        if kind == "count":
            per_day = _number(match.group(1))
        elif kind == "interval":
            hours = _number(match.group(1))
            if hours <= 0:
                continue
            per_day = 24.0 / hours
        else:
            per_day = float(kind)  # type: ignore[arg-type]
        if best is None or match.start() < best[0]:
            best = (match.start(), per_day, match.group(0))
    return (best[1], best[2]) if best else None


def _unit(word: str) -> str:
    word = word.lower()
    return {"milligram": "mg", "milligrams": "mg", "gram": "g", "grams": "g", "µg": "mcg"}.get(word, word)


def stated_doses(text: str, drugs: Sequence[DrugSpan]) -> tuple[StatedDose, ...]:
    """Each dose in ``text`` with the nearest preceding (else following) drug and its frequency."""
    named = [d for d in drugs if not d.mention.is_class]
    found = []
    for match in _DOSE.finditer(text):
        before = [d for d in named if d.end <= match.start() and match.start() - d.end <= DRUG_WINDOW]
        after = [d for d in named if d.start >= match.end() and d.start - match.end() <= 15]
        drug = before[-1] if before else after[0] if after else None
        if drug is None:
            continue
        tail = text[match.end() : match.end() + FREQUENCY_WINDOW]
        frequency = parse_frequency(tail)
        phrase = text[match.start() : match.end()] + (" " + frequency[1] if frequency else "")
        found.append(
            StatedDose(
                drug=drug.mention.name,
                amount=float(match.group(1).replace(",", ".")),
                unit=_unit(match.group(2)),
                per_day=frequency[0] if frequency else None,
                phrase=phrase,
            )
        )
    return tuple(found)
