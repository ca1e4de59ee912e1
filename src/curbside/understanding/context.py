"""Patient context from question text: age group, pregnancy, current/failed drugs, duration, negations.

Rule-based on purpose: these are grammatical patterns, not medical facts. The pattern set:

* **Age** — numeric ages ("3-year-old", "72 yo", "aged 40", "6 months old", "2 weeks old")
  mapped by :func:`age_group_for_years` (<1 infant, <12 child, <18 adolescent, <65 adult,
  else older adult); otherwise group words (:data:`AGE_WORDS`). Numeric ages win over words.
* **Pregnancy** — a negated mention ("not pregnant", "isn't pregnant", "non-pregnant") → False;
  "pregnant/pregnancy/trimester/expecting a baby" → True; else None. Breastfeeding is reported
  separately (:attr:`PatientContext.breastfeeding`).
* **Medications** — the text is cut into clauses at ``, ; : . ! ?`` and "but"; a clause that
  only lists drugs joins the next one ("sertraline, citalopram and fluoxetine failed"). A drug
  in a clause with a failure cue (:data:`FAILURE_CUE`) is *failed*; otherwise a drug preceded
  closely by a current-use cue (:data:`CURRENT_CUE`) or followed by "for years/months" is *current*.
* **Duration** — "for years", "for the past 3 months", "since 2019" (:data:`DURATION`).
* **Negations** — a trigger (:data:`NEGATION`) plus up to two following words, verbatim.
* **Doses** — a dose and its frequency after a drug (:mod:`curbside.understanding.dose_phrases`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from curbside.domain.question import AgeGroup, DrugMention, StatedDose
from curbside.understanding.dose_phrases import stated_doses
from curbside.understanding.drugs import DrugSpan

_NUMBER_WORDS = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many|a few|few)"
_UNIT = r"(?:days?|weeks?|months?|years?|yrs?|decades?)"

AGE_NUMERIC = re.compile(
    r"\b(?P<n>\d{1,3})\s*(?:-|\s)?\s*(?P<unit>years?|yrs?|y|months?|mos?|weeks?|wks?|days?)"
    r"\s*(?:-|\s)?\s*(?:old|o)\b"
    r"|\b(?P<n2>\d{1,3})\s*(?:yo|y/o|y\.o\.?)(?!\w)"
    r"|\b(?:aged?|age of)\s+(?P<n3>\d{1,3})\b",
    re.I,
)
AGE_WORDS: tuple[tuple[AgeGroup, re.Pattern[str]], ...] = (
    (AgeGroup.INFANT, re.compile(r"\b(?:infants?|newborns?|neonat\w*|bab(?:y|ies))\b", re.I)),
    (AgeGroup.ADOLESCENT, re.compile(r"\b(?:teens?|teenagers?|adolescen\w*)\b", re.I)),
    (AgeGroup.CHILD, re.compile(r"\b(?:child|children|kids?|toddlers?|p(?:a)?ediatric)\b", re.I)),
    (
        AgeGroup.OLDER_ADULT,
        re.compile(r"\b(?:elderly|older (?:adults?|patients?|people)|geriatric|seniors?)\b", re.I),
    ),
    (AgeGroup.ADULT, re.compile(r"\badults?\b", re.I)),
)
PREGNANCY_NEGATED = re.compile(
    r"\b(?:not|isn't|is not|never been|non-?)\s*(?:currently\s+)?pregnan\w*|\bno pregnancy\b", re.I
)
PREGNANCY = re.compile(r"\bpregnan\w*|\btrimester\b|\bexpecting a baby\b", re.I)
BREASTFEEDING = re.compile(r"\bbreast[- ]?feed\w*|\bnursing\b|\blactat\w*", re.I)
FAILURE_CUE = re.compile(
    r"\btried\b|\bfailed\b|\bfailure\b|\bdid(?:n't| not) (?:work|help)\b|\bno (?:improvement|response|relief|benefit)\b"
    r"|\bwithout (?:improvement|success|relief|benefit|response)\b|\bineffective\b|\bnot (?:helped|working|effective)\b"
    r"|\bstopped working\b|\bno longer work\w*|\bnon-?respon\w*|\brefractory\b|\bunsuccessful\w*"
    # Stopped for intolerance is a failed trial too: what next must not offer it again.
    r"|\b(?:stopped|discontinued|quit|came off|switched off)\b[^.;]{0,40}\b(?:because of|due to|for|after)\b[^.;]{0,30}"
    r"\b(?:side effects?|adverse effects?|intoleran\w*|reactions?|rash|nausea|weight gain|sexual)"
    r"|\bcould(?:n't| not) tolerate\b|\bintoleran(?:t|ce)\b",
    re.I,
)
CURRENT_CUE = re.compile(r"\b(?:on|taking|takes|currently|using|uses|prescribed|started|maintained on)\s*$", re.I)
CURRENT_AFTER = re.compile(
    rf"^\s*(?:for (?:the )?(?:past |last )?{_NUMBER_WORDS}?\s*{_UNIT}|daily\b|every day\b)", re.I
)
DURATION = re.compile(
    rf"\bfor (?:the )?(?:past |last )?{_NUMBER_WORDS}\s+{_UNIT}\b|\bfor (?:years|months|weeks|decades|ages)\b"
    r"|\bsince \d{4}\b",
    re.I,
)
NEGATION = re.compile(
    r"\b(?:no|not|denies|denied|without|never|didn't|did not|doesn't|does not|isn't|is not|none)\b"
    r"(?:\s+(?!and\b|but\b|or\b)[A-Za-z][\w'-]*){1,2}",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[,;:.!?]|\bbut\b", re.I)
_LIST_FILLER = re.compile(r"^(?:\s|and|or|then|also|both|several|multiple|other)*$", re.I)


@dataclass(frozen=True, slots=True)
class PatientContext:
    """Everything :func:`extract_context` found; tuples keep text order."""

    age_group: AgeGroup | None = None
    pregnant: bool | None = None
    breastfeeding: bool = False
    current_medications: tuple[DrugMention, ...] = ()
    failed_medications: tuple[DrugMention, ...] = ()
    duration: str | None = None
    negations: tuple[str, ...] = ()
    doses: tuple[StatedDose, ...] = ()


def age_group_for_years(years: float) -> AgeGroup:
    """Age in years → group (<1 infant, <12 child, <18 adolescent, <65 adult, else older adult)."""
    if years < 1:
        return AgeGroup.INFANT
    if years < 12:
        return AgeGroup.CHILD
    if years < 18:
        return AgeGroup.ADOLESCENT
    return AgeGroup.ADULT if years < 65 else AgeGroup.OLDER_ADULT


def find_age_group(text: str) -> AgeGroup | None:
    """Numeric age first, then age-group words; None when the text states neither."""
    match = AGE_NUMERIC.search(text)
    if match:
        n = int(match.group("n") or match.group("n2") or match.group("n3"))
        unit = (match.group("unit") or "y").lower()
        per_year = 12 if unit.startswith("mo") else 52 if unit.startswith("w") else 365 if unit.startswith("d") else 1
        return age_group_for_years(n / per_year)
    for group, pattern in AGE_WORDS:
        if pattern.search(text):
            return group
    return None


def find_pregnancy(text: str) -> bool | None:
    """False if pregnancy is negated, True if mentioned, else None."""
    if PREGNANCY_NEGATED.search(text):
        return False
    return True if PREGNANCY.search(text) else None


def _clauses(text: str, drugs: Sequence[DrugSpan]) -> list[tuple[int, int]]:
    """Clause spans; a clause holding only drug names (a list) joins the following clause."""
    bounds = [0, *[m.end() for m in _CLAUSE_BREAK.finditer(text)], len(text)]
    raw = [(a, b) for a, b in itertools.pairwise(bounds) if b > a]
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for start, end in raw:
        start = pending if pending is not None else start
        inside = [d for d in drugs if start <= d.start < end]
        rest = text[start:end]
        for d in sorted(inside, key=lambda s: -s.start):
            rest = rest[: d.start - start] + rest[d.end - start :]
        is_list = bool(inside) and bool(_LIST_FILLER.match(_CLAUSE_BREAK.sub(" ", rest)))
        pending = start if is_list else None
        if not is_list:
            merged.append((start, end))
    if pending is not None:
        merged.append((pending, len(text)))
    return merged


def split_medications(text: str, drugs: Sequence[DrugSpan]) -> tuple[list[DrugMention], list[DrugMention]]:
    """(current, failed) drug mentions, each canonical name once; failed wins over current."""
    current: dict[str, DrugMention] = {}
    failed: dict[str, DrugMention] = {}
    for start, end in _clauses(text, drugs):
        clause_fails = bool(FAILURE_CUE.search(text[start:end]))
        for span in (d for d in drugs if start <= d.start < end):
            name = span.mention.name
            if clause_fails:
                failed.setdefault(name, span.mention)
            elif CURRENT_CUE.search(text[max(start, span.start - 25) : span.start]) or CURRENT_AFTER.match(
                text[span.end : span.end + 40]
            ):
                current.setdefault(name, span.mention)
    return [m for n, m in current.items() if n not in failed], list(failed.values())


def extract_context(text: str, drugs: Sequence[DrugSpan] = ()) -> PatientContext:
    """All patient context in ``text``; ``drugs`` are the recogniser's spans in the same text."""
    current, failed = split_medications(text, drugs)
    duration = DURATION.search(text)
    return PatientContext(
        age_group=find_age_group(text),
        pregnant=find_pregnancy(text),
        breastfeeding=bool(BREASTFEEDING.search(text)),
        current_medications=tuple(current),
        failed_medications=tuple(failed),
        duration=duration.group() if duration else None,
        negations=tuple(dict.fromkeys(m.group() for m in NEGATION.finditer(text))),
        doses=stated_doses(text, drugs),
    )
