"""Hard facts that a statement must share exactly with the passage it cites.

Contract: each ``extract_*`` function maps text to ``{canonical: surface}`` so two texts can
be compared on canonical values (1 g == 1000 mg, "q8h" == "three times daily") while reasons
quote the words a reader will recognise. ``hard_checks`` compares a statement with a passage
and returns (passed, failed) lists of one-line descriptions. Facts are extracted in a fixed
order and their spans blanked, so "95% CI" is a CI (not a percentage) and "aged 50 to 75
years" is an age (not two bare numbers).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from curbside.applicability.drug_names import DrugNames, drug_lexicon, find_drugs
from curbside.applicability.population import AGE_OPEN, AGE_RANGE, age_open_keys, age_range_keys

Facts = dict[str, str]

_NUM = r"\d+(?:\.\d+)?"
_MASS_TO_MG = {"mg": 1.0, "g": 1000.0, "mcg": 0.001}
_UNIT_ALIASES = {
    "milligram": "mg", "milligrams": "mg", "mg": "mg", "gram": "g", "grams": "g", "g": "g",
    "mcg": "mcg", "µg": "mcg", "μg": "mcg", "microgram": "mcg", "micrograms": "mcg",
    "ml": "mL", "milliliter": "mL", "milliliters": "mL", "millilitre": "mL", "millilitres": "mL",
    "unit": "units", "units": "units", "iu": "units", "international units": "units",
}  # fmt: skip
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
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "twelve": "12",
}  # fmt: skip

_FREQUENCIES: tuple[tuple[str, str], ...] = (
    (r"\b(?:four times (?:a |per |each )?day|four times daily|q\.?i\.?d\.?)\b", "4/day"),
    (r"\b(?:three times (?:a |per |each )?day|three times daily|t\.?i\.?d\.?)\b", "3/day"),
    (r"\b(?:twice[- ](?:a |per |each )?(?:day|daily)|two times (?:a |per |each )?day|b\.?i\.?d\.?)\b", "2/day"),
    (r"\b(?:once[- ](?:a |per |each )?(?:day|daily)|q\.?d\.?|every day|each day|daily|nightly|at bedtime"
     r"|(?:once )?at night|every night|each night)\b", "1/day"),
    (r"\b(?:once[- ](?:a |per |each )?week|weekly|every week)\b", "every 1 week"),
    (r"\b(?:once[- ](?:a |per |each )?month|monthly|every month)\b", "every 1 month"),
    (r"\b(?:once[- ](?:a |per |each )?year|annually|yearly|every year)\b", "every 1 year"),
)  # fmt: skip
_EVERY_N = re.compile(
    r"\b(?:every|q)\s*(?P<n>\d+)(?:\s*(?:-|–|to)\s*(?P<m>\d+))?\s*"
    r"(?P<unit>h\b|hours?|hrs?|days?|weeks?|months?|years?)",
    re.IGNORECASE,
)


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


def _constant(key: str) -> Callable[[re.Match[str]], list[str]]:
    return lambda _match: [key]


@lru_cache(maxsize=8192)
def extract_all(text: str) -> dict[str, Facts]:
    """Extract every hard fact kind from ``text``: {kind: {canonical: surface}}.

    Cached because passages are re-checked for every statement citing them; callers must
    treat the returned dicts as read-only.
    """
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # "1,000 mg" -> "1000 mg"
    out: dict[str, Facts] = {}
    out["ci"], text = _scan(text, _CI, _ci_keys)
    out["age"], text = _scan(text, AGE_RANGE, age_range_keys)
    open_ages, text = _scan(text, AGE_OPEN, age_open_keys)
    out["age"].update(open_ages)
    out["dose"], text = _scan(text, _DOSE, _dose_keys)
    out["percentage"], text = _scan(text, _PERCENT, lambda m: [f"{_fmt(float(m.group('a')))}%"])
    out["frequency"], text = _scan(text, _EVERY_N, _every_keys)
    for pattern, key in _FREQUENCIES:
        found, text = _scan(text, re.compile(pattern, re.IGNORECASE), _constant(key))
        out["frequency"].update(found)
    out["number"], _ = _scan(text, _NUMBER, lambda m: [_fmt(float(m.group(0)))])
    return out


@lru_cache(maxsize=4096)
def _passage_numbers(text: str) -> frozenset[str]:
    """Every number a passage states anywhere, including spelled-out small numbers."""
    numbers = {_fmt(float(m.group(0))) for m in re.finditer(_NUM, re.sub(r"(?<=\d),(?=\d{3}\b)", "", text))}
    words = re.findall(r"[a-z]+", text.lower())
    return frozenset(numbers | {_NUMBER_WORDS[w] for w in words if w in _NUMBER_WORDS})


_NEUTRAL_NEGATIONS = re.compile(
    r"\b(?:no more than|no less than|not only|whether or not|not to exceed|do not exceed|"
    r"should not exceed|not exceeding|if not|no later than|not all)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|cannot|can't|don't|doesn't|shouldn't|isn't|aren't|won't|avoid\w*|"
    r"contraindicat\w*|against|insufficient evidence|lack of evidence|unsafe|discourage\w*|"
    r"neither|nor|ineffective|n't)\b",
    re.IGNORECASE,
)


# Negation inside a relative or conditional clause ("people whose symptoms have not improved",
# "if laxatives have not helped") qualifies who the advice is for; it does not negate the advice.
_SUBORDINATE = re.compile(
    r"\b(?:who|whose|whom|which|if|when|unless|whether|where|after|because|although|though|until|despite)\b[^,;:]*",
    re.IGNORECASE,
)


def is_negative(text: str) -> bool:
    """True when the sentence asserts a negative ("do not", "not recommended", "avoid" …).

    Limit phrasing ("do not exceed 4 g", "no more than") is treated as neutral: it states a
    maximum, not a prohibition, and a statement giving the maximum positively agrees with it.
    Negations inside subordinate clauses are ignored (see ``_SUBORDINATE``).
    """
    main = _SUBORDINATE.sub(" ", _NEUTRAL_NEGATIONS.sub(" ", text))
    return bool(_NEGATION.search(main))


_LABELS = {"dose": "dose", "percentage": "percentage", "ci": "confidence interval", "age": "age",
           "frequency": "frequency", "number": "number"}  # fmt: skip


def hard_checks(
    statement: str,
    passage: str,
    best_sentence: str,
    drug_names: DrugNames = (),
    compare_polarity: bool = True,
) -> tuple[list[str], list[str]]:
    """Compare the statement's hard facts with the passage's; return (passed, failed) one-liners.

    A fact passes when the passage states the same canonical value anywhere (a dose may sit in
    a neighbouring sentence); polarity is compared with ``best_sentence`` only, the passage
    sentence that matches the statement best, and only when the caller found that sentence
    close enough (``compare_polarity``) — against a loose match a "not" means nothing.
    """
    passed: list[str] = []
    failed: list[str] = []
    known = drug_lexicon(drug_names)
    passage_drugs = find_drugs(passage, known)
    for drug in find_drugs(statement, known):
        if drug in passage_drugs or re.search(rf"\b{re.escape(drug)}", passage.lower()):
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
    if not compare_polarity:
        return passed, failed
    if is_negative(statement) != is_negative(best_sentence):
        side = "statement" if is_negative(statement) else "passage"
        failed.append(f"polarity differs: the {side} is negative (closest: {best_sentence[:80]!r})")
    else:
        passed.append("polarity")
    return passed, failed
