"""Maximum daily doses as sources write them — grammar only, the numbers come from the passage.

A dosing row reads "Lurasidone (Latuda) — Routes and Dosage Ranges: Adults and adolescents
(13–17 years): Initial dose: 20 mg/day orally. Maximum dose for adults: 120 mg/day. Maximum dose
for adolescents: 80 mg/day." A label reads "The maximum recommended daily dose is 60 mg". Both
forms, and these, are read as a maximum per day:

* a cue — "maximum (recommended) (daily) dose (for <group>) (is|of|:)", "not to exceed", "do not
  exceed", "should not exceed", "up to / to a maximum (dose) of", "no more than" — then an amount
  ("80 mg", "800–1200 mg": a range counts by its upper end) and a per-day term ("/day", "daily",
  "per day", "in 24 hours", "in a 24-hour period"); the per-day term may instead stand in the cue
  ("maximum daily dose should not exceed 80 mg");
* "400 mg maximum daily dose";
* a tablet count — "One 10 mg tablet orally daily, not to exceed more than 1 tablet in a 24-hour
  period" is 10 mg/day; "do not take more than 2 tablets in 24 hours" after "One 120 mg tablet" is 240.

Never read: per-dose, per-kg, per-hour or per-m² limits ("maximum dose: 90 mg/dose",
"2.5 mg/kg"), and a maximum tied to a frequency ("a maximum of 8 mg 3 times daily"), which would
need the frequency parsed to be a daily figure — better no maximum than a wrong one.

The population is the group the cue names ("for adolescents"), else the last group label before
it in the row ("Older adults (>60 years): …; maximum dose: 40 mg/day").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_PER_DAY = (
    r"(?:/\s*day\b|/\s*d\b|per day|a day|daily|/\s*24 ?h(?:ours?|rs?)?|(?:in|per|over) (?:a |any |each )?24(?:-| )?"
    r"h(?:ours?|rs?|r)?(?: period)?)"
)
_UNIT = r"(?P<unit>mg|mcg|micrograms?|g|grams?)"
_NOT_PER_DAY_UNIT = r"(?!\s*/\s*(?:kg|h\b|hr|hour|m2|m²|min|dose)|\s*per (?:kg|dose|hour))"
_CUE = (
    r"(?P<cue>maximum(?: recommended)?(?: total)?(?P<cue_daily> daily| 24-hour)?(?: maintenance)?(?: dose| dosage)?"
    r"(?: for (?P<group>[A-Za-z][A-Za-z ]{2,40}?))?(?: is| of| should not exceed| should be)?\s*:?"
    r"|(?:(?:do|should|must) )?not (?:to )?exceed(?:ing)?(?: more than)?(?: a total of)?"
    r"|(?:up )?to a maximum(?: dose)? of|up to a maximum of|up to the maximum dose of|no more than)"
)
_FORWARD = re.compile(
    rf"{_CUE}\s*(?:(?P<low>{_NUMBER})\s*(?:–|-|to)\s*)?(?P<n>{_NUMBER})\s*{_UNIT}{_NOT_PER_DAY_UNIT}"
    rf"(?P<per>\s*{_PER_DAY})?",
    re.IGNORECASE,
)
_BACKWARD = re.compile(
    rf"(?P<n>{_NUMBER})\s*{_UNIT}\s+(?:as the )?maximum (?:total )?daily dos(?:e|age)", re.IGNORECASE
)
_TABLET_WORDS = r"(?:tablets?|tabs?|capsules?|caps?|caplets?|pills?)"
_TABLET_LIMIT = re.compile(
    rf"(?:not (?:to )?exceed|do not take|no) more than (?P<count>\d+|one|two|three|four|five|six) {_TABLET_WORDS}"
    rf"\s*{_PER_DAY}|not (?:to )?exceed (?P<count2>\d+|one|two|three|four|five|six) {_TABLET_WORDS}\s*{_PER_DAY}",
    re.IGNORECASE,
)
_STRENGTH = re.compile(rf"\b(?:one|1|a single) (?P<n>{_NUMBER})\s*{_UNIT} {_TABLET_WORDS}", re.IGNORECASE)
_GROUP_LABEL = re.compile(
    r"\b(?P<label>(?:older |elderly |geriatric )?(?:adults?|adolescents?|children|child|pediatric|infants?|"
    r"neonates?|older adults?|elderly|geriatric)(?: and [a-z]+)?(?: \([^)]{0,30}\))?)[^.:;]{0,30}:",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_WORD_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_TO_MG = {"mg": 1.0, "mcg": 0.001, "microgram": 0.001, "micrograms": 0.001, "g": 1000.0, "gram": 1000.0}


@dataclass(frozen=True, slots=True)
class MaximumMention:
    """One maximum daily dose a passage states: mg per day, the sentence, the group it is for, and
    where the sentence starts in the passage (to tell which drug of a multi-drug row it is about)."""

    mg_per_day: float
    sentence: str
    population: str
    start: int


def _mg(value: str, unit: str) -> float:
    key = unit.lower()
    return float(value.replace(",", "")) * _TO_MG.get(key, _TO_MG.get(key.rstrip("s"), 1.0))


def _sentence_at(text: str, position: int) -> tuple[int, str]:
    start = 0
    for piece in _SENTENCE.split(text):
        end = start + len(piece)
        if position <= end:
            return start, piece.strip()
        start = end + 1
        while start < len(text) and text[start].isspace():
            start += 1
    return start, text[start:].strip()


def _population(text: str, position: int, group: str | None) -> str:
    if group:
        return group
    labels = list(_GROUP_LABEL.finditer(text[:position]))
    return labels[-1]["label"] if labels else ""


def stated_maxima(text: str) -> Iterator[MaximumMention]:
    """Every maximum daily dose ``text`` states, in text order."""
    for match in _FORWARD.finditer(text):
        if not (match["per"] or match["cue_daily"]):
            continue
        start, sentence = _sentence_at(text, match.start())
        yield MaximumMention(
            _mg(match["n"], match["unit"]), sentence, _population(text, match.start(), match["group"]), start
        )
    for match in _BACKWARD.finditer(text):
        start, sentence = _sentence_at(text, match.start())
        yield MaximumMention(_mg(match["n"], match["unit"]), sentence, _population(text, match.start(), None), start)
    for match in _TABLET_LIMIT.finditer(text):
        start, sentence = _sentence_at(text, match.start())
        strengths = list(_STRENGTH.finditer(text[start : match.start()]))
        if not strengths:
            continue
        count_word = (match["count"] or match["count2"]).lower()
        count = _WORD_COUNTS.get(count_word) or float(count_word)
        strength = strengths[-1]
        yield MaximumMention(
            count * _mg(strength["n"], strength["unit"]), sentence, _population(text, match.start(), None), start
        )
