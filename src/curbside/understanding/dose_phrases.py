"""Doses and dosing frequencies stated in a question ("buspirone 30 mg eight times a day").

Grammar only, no medical facts: a number and a unit after (or shortly before) a recognised
drug, and the frequency words that follow within a few words. Frequencies read as
administrations per day:

* counts — "once/twice/three times (a|per) day", "N times daily", "eight times a day", "x3/day";
* Latin shorthand — qd/od (1), bid (2), tid (3), qid (4), qhs (1), "q6h"/"q 6 h"/"q6-8h" (24/6;
  for a range the shorter interval, i.e. the most doses a day the wording allows);
* intervals — "every 3 hours", "every 4 to 6 hours" (24/4), "every other day" (0.5), "weekly" (1/7),
  "daily"/"every day"/"a day" (1);
* a counted run — "q2h x3 in one day", "x3 today" (3): the count of doses wins over the interval;
* meals and times of day — "before each of 5 meals" (5), "with meals" (3 only when a number is
  given, else not read), "at bedtime", "at lunch", "in the morning", "nightly" (1).

How much one administration is: "two 500 mg tablets" and "2 x 500 mg" are 1000 mg; "2 extra strength
tylenol (500 each)" is 2 × 500 (the unit, unwritten, is read as mg and the phrase says so). A dose
joined to the previous one for the same drug by "plus", "+", "another", "in addition" adds to it.
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
_DOSE = re.compile(
    r"(?<![\w.])(\d+(?:[.,]\d+)?)\s*(mg|mcg|µg|g|milligrams?|grams?)(?![\w/])"
    r"|\(\s*(\d+(?:\.\d+)?)\s*(mg|mcg|g)?\s*(?:each|apiece)\s*\)",
    re.IGNORECASE,
)
_UNIT_WORDS = r"(?:tablets?|tabs?|caps(?:ules)?|pills?|capsules?|caplets?|gel ?caps?|softgels?)"
#: "two 500 mg tablets", "2 x 500 mg": units per administration just before the dose.
_UNITS_BEFORE = re.compile(rf"(?:^|[^\w.])({_NUMBER})\s*(?:(x|×)\s*)?$", re.IGNORECASE)
_UNIT_WORD_AFTER = re.compile(rf"^\s*{_UNIT_WORDS}\b", re.IGNORECASE)
#: "2 extra strength tylenol (500 each)": a count a few words before the drug.
_COUNT_BEFORE_DRUG = re.compile(rf"(?:^|[^\w.])({_NUMBER})\s+(?:[a-z-]+\s+){{0,3}}$", re.IGNORECASE)
_ADDS = re.compile(r"\b(?:plus|in addition|additional|another|on top of|and also|extra)\b|\+", re.IGNORECASE)
_FREQUENCIES: tuple[tuple[re.Pattern[str], object], ...] = (
    (
        re.compile(
            rf"\b(?:(?:every|q)\s*{_NUMBER}\s*(?:hours?|hrs?|h)\s*)?(?:x|×)\s?(\d+)\s*"
            r"(?:doses?\s*)?(?:in (?:one|a|1) day|today|in 24 ?h(?:ours)?|a day|per day|/day)?",
            re.I,
        ),
        "run",
    ),
    (re.compile(rf"\b(?:before|with|after)\s+(?:each of\s+)?(?:the\s+)?{_NUMBER}\s+(?:meals|snacks)", re.I), "count"),
    (re.compile(rf"\b{_NUMBER}\s*(?:times|x)\s*(?:a|per|each|/)?\s*(?:day|daily|24 ?h(?:ours)?)\b", re.I), "count"),
    (re.compile(r"\b(once|twice)\s+(?:a|per|each)?\s*(?:day|daily)\b", re.I), "count"),
    (re.compile(r"\bx\s?(\d+)\s?/\s?(?:day|d)\b", re.I), "count"),
    (re.compile(rf"\b(?:every|q)\s*{_NUMBER}\s*(?:(?:-|–|to)\s*\d+\s*)?(?:hours?|hrs?|h)\b", re.I), "interval"),
    (re.compile(r"\b(?:every|q)\s*(?:hour|hr|h)\b", re.I), 24.0),
    (
        re.compile(
            r"\b(?:at (?:bedtime|night|lunch|noon|dinner|breakfast)|in the (?:morning|evening)|nightly"
            r"|(?:every|each) (?:morning|evening|night))\b",
            re.I,
        ),
        1.0,
    ),
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
    best: tuple[int, int, float, str] | None = None
    for pattern, kind in _FREQUENCIES:
        match = pattern.search(text)
        if match is None:
            continue
        if kind == "run":
            per_day = float(match.group(2))
        elif kind == "count":
            per_day = _number(match.group(1))
        elif kind == "interval":
            hours = _number(match.group(1))
            if hours <= 0:
                continue
            per_day = 24.0 / hours
        else:
            per_day = float(kind)  # type: ignore[arg-type]
        # The earliest wording wins; at one start the longest ("q2h x3" over "q2h").
        key = (match.start(), -len(match.group(0)))
        if best is None or key < best[:2]:
            best = (key[0], key[1], per_day, match.group(0).strip())
    return (best[2], best[3]) if best else None


def _unit(word: str) -> str:
    word = word.lower()
    return {"milligram": "mg", "milligrams": "mg", "gram": "g", "grams": "g", "µg": "mcg"}.get(word, word)


def stated_doses(text: str, drugs: Sequence[DrugSpan]) -> tuple[StatedDose, ...]:
    """Each dose in ``text`` with the nearest preceding (else following) drug and its frequency."""
    named = [d for d in drugs if not d.mention.is_class]
    found: list[StatedDose] = []
    previous_end: dict[str, int] = {}
    for match in _DOSE.finditer(text):
        before = [d for d in named if d.end <= match.start() and match.start() - d.end <= DRUG_WINDOW]
        after = [d for d in named if d.start >= match.end() and d.start - match.end() <= 15]
        drug = before[-1] if before else after[0] if after else None
        if drug is None:
            continue
        each = match.group(3) is not None
        if each and not before:
            continue  # "(500 each)" belongs to the drug it follows
        value = match.group(1) or match.group(3)
        unit = _unit(match.group(2) or match.group(4) or "mg")
        units, start = _units_per_dose(text, match, drug, each)
        tail = text[match.end() : match.end() + FREQUENCY_WINDOW]
        frequency = parse_frequency(tail)
        unit_word = _UNIT_WORD_AFTER.match(text[match.end() :])
        end = match.end() + (unit_word.end() if unit_word and not each else 0)
        words = text[start:end] + (" (mg assumed)" if each and not match.group(4) else "")
        phrase = words + (" " + frequency[1] if frequency else "")
        name = drug.mention.name
        between = text[previous_end[name] : start] if name in previous_end else ""
        found.append(
            StatedDose(
                drug=name,
                amount=float(value.replace(",", ".")) * units,
                unit=unit,
                per_day=frequency[0] if frequency else None,
                phrase=phrase.strip(),
                adds_to_previous=bool(_ADDS.search(between)),
            )
        )
        previous_end[name] = match.end() + (tail.find(frequency[1]) + len(frequency[1]) if frequency else 0)
    return tuple(found)


def _units_per_dose(text: str, match: re.Match[str], drug: DrugSpan, each: bool) -> tuple[float, int]:
    """How many tablets (or doses as written) one administration is, and where its words start."""
    if each:
        window_start = max(0, drug.start - 30)
        counted = _COUNT_BEFORE_DRUG.search(text[window_start : drug.start])
        if counted:
            return _number(counted.group(1)), window_start + counted.start(1)
        return 1.0, match.start()
    lead = text[max(0, match.start() - 12) : match.start()]
    counted = _UNITS_BEFORE.search(lead)
    # "2 x 500 mg" always counts; "two 500 mg" only when tablets (or the like) follow the dose.
    if counted and (counted.group(2) or _UNIT_WORD_AFTER.match(text[match.end() :])):
        return _number(counted.group(1)), match.start() - len(lead) + counted.start(1)
    return 1.0, match.start()
