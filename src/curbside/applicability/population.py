"""Who a text is about: age groups, population words and age phrases, in one place.

Both the ranking test (``curbside.applicability.ranking``) and the verifier's checker
(``curbside.applicability.checker``) read population scope through this module; the word
lists live in ``data/population_words.json`` (versioned, with provenance) and are validated
when loaded, so a malformed table fails at start, not mid-answer.

Age facts ("aged 50 to 75 years", "65 years and older", "under 12 years") are parsed here too:
the verifier's hard checks compare them as facts, and the checker maps them to age groups.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from curbside.domain.question import AgeGroup

_AGE_UNIT = r"(?P<unit>years?|yrs?|months?|weeks?|days?)"
AGE_RANGE = re.compile(
    rf"\b(?:aged?|ages)\s+(?:between\s+)?(?P<lo>\d+)\s*(?:-|–|to|through|and)\s*(?P<hi>\d+)(?:\s*{_AGE_UNIT})?"
    rf"|\b(?P<lo2>\d+)\s*(?:-|–|to|through)\s*(?P<hi2>\d+)[\s-]*(?P<unit2>years?|months?)[\s-]*(?:of age|old)",
    re.IGNORECASE,
)
AGE_OPEN = re.compile(
    rf"\b(?:aged?\s+)?(?P<n>\d+)\s*{_AGE_UNIT}?\s*(?:of age\s*)?(?:and|or)\s+(?P<dir>older|over|above|younger|under)"
    rf"|\b(?P<dir2>older|younger)\s+than\s+(?P<n2>\d+)(?:\s*(?P<unit2>years?|months?))?"
    rf"|\b(?P<dir3>under|over|below|above)\s+(?:the\s+)?(?:age\s+(?:of\s+)?)?(?P<n3>\d+)\s*(?P<unit3>years?|months?)"
    rf"|\b(?P<dir4>under|over|below|above)\s+(?:the\s+)?age\s+(?:of\s+)?(?P<n4>\d+)"
    rf"|(?P<dir5>≥|>=|≤|<=)\s*(?P<n5>\d+)\s*(?P<unit5>years?|months?)",
    re.IGNORECASE,
)


def age_range_keys(match: re.Match[str]) -> list[str]:
    """Canonical key of an age range match: "age 50–75 years"."""
    lo = match.group("lo") or match.group("lo2")
    hi = match.group("hi") or match.group("hi2")
    unit = (match.group("unit") or match.group("unit2") or "years").lower().rstrip("s")
    return [f"age {int(lo)}–{int(hi)} {unit.replace('yr', 'year')}s"]


def age_open_keys(match: re.Match[str]) -> list[str]:
    """Canonical key of an open-ended age match: "age ≥65 years", "age <12 years"."""
    groups = match.groupdict()
    number = next(groups[k] for k in ("n", "n2", "n3", "n4", "n5") if groups[k])
    direction = next(groups[k] for k in ("dir", "dir2", "dir3", "dir4", "dir5") if groups[k]).lower()
    unit = next((groups[k] for k in ("unit", "unit2", "unit3", "unit5") if groups[k]), "years")
    sign = "≥" if direction in ("older", "over", "above", "≥", ">=") else "<"
    return [f"age {sign}{int(number)} {unit.lower().rstrip('s').replace('yr', 'year')}s"]


def age_keys(text: str) -> list[str]:
    """Every canonical age fact in ``text`` (ranges first, so "aged 50 to 75" is one fact)."""
    keys: list[str] = []

    def take(match: re.Match[str]) -> str:
        keys.extend(age_range_keys(match))
        return " " * len(match.group(0))

    rest = AGE_RANGE.sub(take, text)
    keys.extend(key for match in AGE_OPEN.finditer(rest) for key in age_open_keys(match))
    return keys


@dataclass(frozen=True, slots=True)
class PopulationWords:
    """The validated population table (see ``data/population_words.json``)."""

    age_bands: Mapping[AgeGroup, tuple[float, float]]
    group_words: tuple[tuple[re.Pattern[str], tuple[AgeGroup, ...]], ...]
    young: re.Pattern[str]
    adult: re.Pattern[str]
    pregnancy: re.Pattern[str]
    age_phrases: Mapping[AgeGroup, str]


def parse_population_words(raw: object) -> PopulationWords:
    """Validate the JSON table; raises ``ValueError`` naming what is malformed."""
    if not isinstance(raw, dict):
        raise ValueError("population words: top level must be an object")
    try:
        bands = {AgeGroup(k): (float(v[0]), float(v[1])) for k, v in raw["age_bands_years"].items()}
        groups = tuple(
            (re.compile(rf"\b(?:{item['pattern']})\b", re.IGNORECASE), tuple(AgeGroup(g) for g in item["groups"]))
            for item in raw["group_words"]
        )
        words = {k: re.compile(rf"\b(?:{raw[k]})\b", re.IGNORECASE) for k in ("young_words", "adult_words")}
        pregnancy = re.compile(rf"\b(?:{raw['pregnancy_words']})", re.IGNORECASE)
        phrases = {AgeGroup(k): str(v) for k, v in raw["age_phrases"].items()}
    except (KeyError, TypeError, IndexError, ValueError, re.error) as error:
        raise ValueError(f"population words: malformed table ({error!r})") from error
    missing = [g.value for g in AgeGroup if g not in bands or g not in phrases]
    if missing or not groups or not raw.get("provenance"):
        raise ValueError(f"population words: every age group needs a band and a phrase, and provenance: {missing}")
    return PopulationWords(bands, groups, words["young_words"], words["adult_words"], pregnancy, phrases)


def load_population_words(path: Path | None = None) -> PopulationWords:
    """Load a population table (default: the packaged one)."""
    if path is None:
        text = resources.files("curbside.applicability").joinpath("data/population_words.json").read_text("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return parse_population_words(json.loads(text))


@cache
def population_words() -> PopulationWords:
    """The packaged table, loaded once per process."""
    return load_population_words()


@lru_cache(maxsize=4096)
def groups_for_age_key(key: str) -> frozenset[AgeGroup]:
    """Map a canonical age fact ("age 50–75 years", "age ≥18 years") to the groups it overlaps."""
    match = re.match(r"age (?:(?P<lo>\d+)–(?P<hi>\d+)|(?P<sign>[≥<])(?P<n>\d+)) (?P<unit>\w+)", key)
    if not match:
        return frozenset()
    scale = {"years": 1.0, "months": 1 / 12, "weeks": 1 / 52, "days": 1 / 365}.get(match.group("unit"), 1.0)
    if match.group("lo"):
        low, high = float(match.group("lo")) * scale, float(match.group("hi")) * scale
    elif match.group("sign") == "≥":
        low, high = float(match.group("n")) * scale, 130.0
    else:
        low, high = 0.0, float(match.group("n")) * scale
    bands = population_words().age_bands
    return frozenset(g for g, (a, b) in bands.items() if min(b, high) - max(a, low) > 1e-9)


@lru_cache(maxsize=8192)
def age_groups_in(text: str, words: str | None = None) -> frozenset[AgeGroup]:
    """Age groups a text covers: its age facts, plus group words found in ``words``
    (default: the whole text; callers pass only restrictive phrases of a passage)."""
    groups: set[AgeGroup] = set()
    for key in age_keys(text):
        groups |= groups_for_age_key(key)
    remaining = text if words is None else words
    for pattern, covered in population_words().group_words:
        if pattern.search(remaining):
            groups.update(covered)
            remaining = pattern.sub(" ", remaining)
    return frozenset(groups)
