"""Hard facts that a statement must share exactly with the passage it cites.

Contract: each ``extract_*`` function maps text to ``{canonical: surface}`` so two texts can
be compared on canonical values (1 g == 1000 mg, "q8h" == "three times daily") while reasons
quote the words a reader will recognise. ``hard_checks`` compares a statement with a passage
and returns (passed, failed) lists of one-line descriptions. Facts are extracted in a fixed
order and their spans blanked, so "95% CI" is a CI (not a percentage) and "aged 50 to 75
years" is an age (not two bare numbers).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from curbside.applicability.drug_names import DrugNames, drug_lexicon, find_drugs
from curbside.applicability.population import AGE_OPEN, AGE_RANGE, age_groups_in, age_open_keys, age_range_keys
from curbside.verification.near_copy import copy_changes, near_copy_support
from curbside.verification.polarity import direction_conflict, negation_mismatch

Facts = dict[str, str]

_NUM = r"\d+(?:\.\d+)?"


@dataclass(frozen=True, slots=True)
class QuantityTable:
    """Units, spelled-out numbers and frequency phrases (``data/quantities.json``)."""

    number_words: Mapping[str, int]
    mass_to_mg: Mapping[str, float]
    unit_aliases: Mapping[str, str]
    duration_days: Mapping[str, int]
    frequencies: tuple[tuple[re.Pattern[str], str], ...]


def parse_quantities(raw: object) -> QuantityTable:
    """Validate the quantity table; raises ``ValueError`` naming what is malformed."""
    try:
        assert isinstance(raw, dict) and raw["provenance"]
        table = QuantityTable(
            {str(k): int(v) for k, v in raw["number_words"].items()},
            {str(k): float(v) for k, v in raw["mass_to_mg"].items()},
            {str(k): str(v) for k, v in raw["unit_aliases"].items()},
            {str(k): int(v) for k, v in raw["duration_days"].items()},
            tuple(
                (re.compile(rf"\b(?:{item['pattern']})\b", re.IGNORECASE), str(item["key"]))
                for item in raw["frequencies"]
            ),
        )
    except (AssertionError, KeyError, TypeError, ValueError, AttributeError, re.error) as error:
        raise ValueError(f"quantity table: malformed ({error!r})") from error
    if not table.frequencies or not {"mg", "g"} <= set(table.mass_to_mg):
        raise ValueError("quantity table: needs frequencies and mg/g conversions")
    return table


def load_quantities() -> QuantityTable:
    """The packaged quantity table."""
    text = resources.files("curbside.verification").joinpath("data/quantities.json").read_text("utf-8")
    return parse_quantities(json.loads(text))


_TABLE = load_quantities()
_MASS_TO_MG = _TABLE.mass_to_mg
_UNIT_ALIASES = _TABLE.unit_aliases
_NUMBER_WORDS = {k: str(v) for k, v in _TABLE.number_words.items()}
_FREQUENCIES = _TABLE.frequencies
_SPELLED_WORDS = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# Only a number word before a unit is a quantity ("two weeks"); "stopping one and starting the
# other" holds no number.
_SPELLED = re.compile(
    rf"\b({_SPELLED_WORDS})\b(?=[\s-]+(?:hours?|days?|weeks?|months?|years?|doses?|tablets?|capsules?|mg|g)\b)",
    re.IGNORECASE,
)
_PER_KG = re.compile(r"\b(mg|mcg|g)\s*(?:per|/|a)\s*(?:kg|kilogram)\b", re.IGNORECASE)
_DOSE = re.compile(
    rf"(?P<a>{_NUM})(?:\s*(?:-|–|to)\s*(?P<b>{_NUM}))?\s*"
    r"(?P<unit>mg/kg(?:/d(?:ay)?)?|mcg/kg(?:/d(?:ay)?)?|mg/m2|mg/m²|milligrams?|micrograms?|grams?"
    r"|international units|mg|mcg|µg|μg|g|millilit(?:er|re)s?|ml|units?|iu)(?![\w/])",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?P<a>{_NUM})\s*(?:%|percent\b|per cent\b)", re.IGNORECASE)
_CI = re.compile(
    rf"(?:(?:{_NUM})\s*%\s*)?(?:CI|confidence interval)\s*[,:=]?\s*(?:of\s*)?[\[(]?\s*"
    rf"(?P<lo>-?{_NUM})\s*%?\s*(?:-|–|to|,)\s*(?P<hi>-?{_NUM})\s*%?",
    re.IGNORECASE,
)
# A number glued to a word by a hyphen is part of a name (COVID-19, SARS-CoV-2, IL-6), not a value.
_NUMBER = re.compile(rf"(?<![\w.])(?<![A-Za-z]-){_NUM}(?![\w])")
_EVERY_N = re.compile(
    r"\b(?:every|q)\s*(?P<n>\d+)(?:\s*(?:-|–|to)\s*(?P<m>\d+))?\s*"
    r"(?P<unit>h\b|hours?|hrs?|days?|weeks?|months?|years?)",
    re.IGNORECASE,
)
# "14 days" and "two weeks" are one duration; compared in days. An "80-year-old" is an age, not a
# span of time: its number is compared as a bare number.
_DURATION = re.compile(
    rf"(?P<a>{_NUM})(?:\s*(?:-|–|to)\s*(?P<b>{_NUM}))?[\s-]*(?P<unit>days?|weeks?|months?|years?)\b(?![\s-]+olds?\b)",
    re.IGNORECASE,
)
# A suspended hyphen ("4- to 6-week", "55- to 80-year-olds") is the range "4 to 6-week".
_SUSPENDED_HYPHEN = re.compile(rf"({_NUM})-\s+(to|or|and|through)\s+(?={_NUM})", re.IGNORECASE)
# "At 1-week intervals" is the schedule "every 1 weeks".
_INTERVALS = re.compile(rf"\bat ({_NUM})[\s-]*(hour|day|week|month|year)s?\s+intervals?\b", re.IGNORECASE)
# A daily amount written "200 mg/day" is the dose "200 mg" per day, as in "200 mg a day".
_PER_DAY = re.compile(r"\b(mg|mcg|g|units?)\s*/\s*(?:day|d)\b", re.IGNORECASE)


def _scan(text: str, pattern: re.Pattern[str], canon: Callable[[re.Match[str]], Iterable[str]]) -> tuple[Facts, str]:
    """Collect canonical facts for every match and return the text with those spans blanked."""
    facts: Facts = {}

    def take(match: re.Match[str]) -> str:
        for key in canon(match):
            facts.setdefault(key, match.group(0).strip())
        return " " * len(match.group(0))

    return facts, pattern.sub(take, text)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _dose_keys(match: re.Match[str]) -> list[str]:
    unit = _UNIT_ALIASES.get(match.group("unit").lower(), match.group("unit").lower().replace("²", "2"))
    values = [float(match.group("a"))] + ([float(match.group("b"))] if match.group("b") else [])
    if unit in _MASS_TO_MG:
        return [f"{_fmt(v * _MASS_TO_MG[unit])} mg" for v in values]
    return [f"{_fmt(v)} {unit}" for v in values]


def _ci_keys(match: re.Match[str]) -> list[str]:
    return [f"CI {_fmt(float(match.group('lo')))}–{_fmt(float(match.group('hi')))}"]


def _duration_keys(match: re.Match[str]) -> list[str]:
    days = _TABLE.duration_days.get(match.group("unit").lower().rstrip("s"), 1)
    values = [match.group("a")] + ([match.group("b")] if match.group("b") else [])
    return [f"{_fmt(float(v) * days)} days" for v in values]


def normalise_quantities(text: str) -> str:
    """Spell numbers as digits before units ("two weeks" → "2 weeks"), write per-kg doses one way
    ("10 mg per kg" → "10 mg/kg") and daily amounts one way ("200 mg/day" → "200 mg per day"),
    close suspended hyphens ("4- to 6-week" → "4 to 6-week"); thousands separators dropped."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = _SPELLED.sub(lambda m: _NUMBER_WORDS[m.group(1).lower()], text)
    text = _SUSPENDED_HYPHEN.sub(r"\1 \2 ", text)
    text = _PER_DAY.sub(lambda m: f"{m.group(1)} per day", text)
    text = re.sub(r"/kg\s*/\s*dose\b", "/kg per dose", text, flags=re.IGNORECASE)
    text = _INTERVALS.sub(lambda m: f"every {m.group(1)} {m.group(2)}s", text)
    return _PER_KG.sub(lambda m: f"{m.group(1).lower()}/kg", text)


def canonical_durations(text: str) -> str:
    """Durations written one way, in days ("two weeks" → "14 days", "1 month" → "30 days"), so
    word overlap meets a source that counts the same time in another unit."""
    return _DURATION.sub(lambda m: " to ".join(_duration_keys(m)), normalise_quantities(text))


def _every_keys(match: re.Match[str]) -> list[str]:
    unit = match.group("unit").lower()
    unit = "hour" if unit.startswith("h") else unit.rstrip("s")
    keys = []
    for raw in (match.group("n"), match.group("m")):
        if raw is None:
            continue
        n = int(raw)
        if unit == "hour" and n and 24 % n == 0:
            keys.append(f"{24 // n}/day")  # q8h and "three times daily" are the same schedule
        else:
            keys.append(f"every {n} {unit}")
    return keys


def _every_in_days(key: str) -> str:
    """ "every 1 week" and "every 7 day" are one schedule; "every 1 day" is "1/day"."""
    match = re.fullmatch(r"every (\d+) (day|week|month|year)", key)
    if not match:
        return key
    days = int(match.group(1)) * _TABLE.duration_days[match.group(2)]
    return "1/day" if days == 1 else f"every {days} day"


def _constant(key: str) -> Callable[[re.Match[str]], list[str]]:
    return lambda _match: [key]


@lru_cache(maxsize=8192)
def extract_all(text: str) -> dict[str, Facts]:
    """Extract every hard fact kind from ``text``: {kind: {canonical: surface}}.

    Cached because passages are re-checked for every statement citing them; callers must
    treat the returned dicts as read-only.
    """
    text = normalise_quantities(text)
    out: dict[str, Facts] = {}
    out["ci"], text = _scan(text, _CI, _ci_keys)
    out["age"], text = _scan(text, AGE_RANGE, age_range_keys)
    open_ages, text = _scan(text, AGE_OPEN, age_open_keys)
    out["age"].update(open_ages)
    out["dose"], text = _scan(text, _DOSE, _dose_keys)
    out["percentage"], text = _scan(text, _PERCENT, lambda m: [f"{_fmt(float(m.group('a')))}%"])
    out["frequency"], text = _scan(text, _EVERY_N, _every_keys)
    for pattern, key in _FREQUENCIES:
        found, text = _scan(text, pattern, _constant(key))
        out["frequency"].update(found)
    out["frequency"] = {_every_in_days(key): surface for key, surface in out["frequency"].items()}
    out["duration"], text = _scan(text, _DURATION, _duration_keys)
    out["number"], _ = _scan(text, _NUMBER, lambda m: [_fmt(float(m.group(0)))])
    return out


@lru_cache(maxsize=4096)
def _passage_numbers(text: str) -> frozenset[str]:
    """Every number a passage states anywhere, including spelled-out small numbers."""
    numbers = {_fmt(float(m.group(0))) for m in re.finditer(_NUM, re.sub(r"(?<=\d),(?=\d{3}\b)", "", text))}
    words = re.findall(r"[a-z]+", text.lower())
    return frozenset(numbers | {_NUMBER_WORDS[w] for w in words if w in _NUMBER_WORDS})


_LABELS = {"dose": "dose", "percentage": "percentage", "ci": "confidence interval", "age": "age",
           "frequency": "frequency", "duration": "duration", "number": "number"}  # fmt: skip


def hard_checks(
    statement: str,
    passage: str,
    best_sentence: str,
    drug_names: DrugNames = (),
    compare_polarity: bool = True,
    heading: str = "",
) -> tuple[list[str], list[str]]:
    """Compare the statement's hard facts with the passage's; return (passed, failed) one-liners.

    A fact passes when the passage states the same canonical value anywhere (a dose may sit in
    a neighbouring sentence); polarity is compared with ``best_sentence`` only, the passage
    sentence that matches the statement best, and only when the caller found that sentence
    close enough (``compare_polarity``) — against a loose match a "not" means nothing. A drug
    may be named in the passage's ``heading`` (document title, section) instead of its text.
    """
    passed: list[str] = []
    failed: list[str] = []
    known = drug_lexicon(drug_names)
    named = f"{heading}\n{passage}" if heading else passage
    passage_drugs = find_drugs(named, known)
    for drug in find_drugs(statement, known):
        # A class named in the plural ("diuretics") is present when the passage says "diuretic".
        if drug in passage_drugs or re.search(rf"\b{re.escape(drug.removesuffix('s'))}", named.lower()):
            passed.append(f"drug {drug}")
        else:
            failed.append(f"drug {drug} not in cited passage")
    ours, theirs = extract_all(statement), extract_all(passage)
    nearby = extract_all(best_sentence)
    numbers = _passage_numbers(passage)
    for kind, facts in ours.items():
        for key, surface in facts.items():
            label = _LABELS[kind]
            if key in theirs[kind] or (kind == "number" and key in numbers):
                passed.append(f"{label} {surface}")
                continue
            alternatives = list(nearby[kind].values()) or list(theirs[kind].values())
            says = f" (passage says {', '.join(alternatives[:3])})" if alternatives else ""
            failed.append(f"{label} {surface} not in cited passage{says}")
    population_changed = _population_change(statement, passage)
    (failed if population_changed else passed).append(population_changed or "population")
    if not compare_polarity:
        return passed, failed
    # Against a run-together sentence, judge polarity on the stretch the statement copies.
    copied = near_copy_support(statement, best_sentence)
    best_sentence = copied or best_sentence
    mismatch = negation_mismatch(statement, best_sentence)
    if mismatch == "qualifier":
        failed.append(f"negation differs in a qualifying clause (closest: {best_sentence[:80]!r})")
    elif mismatch:
        failed.append(f"polarity differs: the {mismatch} is negative (closest: {best_sentence[:80]!r})")
    elif direction_conflict(statement, best_sentence):
        failed.append(f"direction differs (closest: {best_sentence[:80]!r})")
    elif copied is not None and (changes := copy_changes(statement, copied)):
        failed.extend(changes)
    else:
        passed.append("polarity")
    return passed, failed


def _population_change(statement: str, passage: str) -> str | None:
    """The statement's age groups must all be among the passage's when both name some: "infants"
    against a passage about adults is a changed population, not a paraphrase, and so is "adults and
    adolescents" against "children and adolescents" (sharing one group is not enough)."""
    ours, theirs = age_groups_in(statement), age_groups_in(passage)
    if not ours or not theirs or ours <= theirs:
        return None
    names = ", ".join(sorted(g.value.replace("_", " ") for g in ours))
    said = ", ".join(sorted(g.value.replace("_", " ") for g in theirs))
    return f"population {names} not in cited passage (passage is about {said})"
