"""Whose care a statement is about: the age group its population clause names.

A recommendation reads "For children and young people with moderate depression, offer …";
a guideline's target population reads "Adults (18 years and older)". A statement for another
age group than the patient's is never the bottom line. The patient is an adult unless the
question says otherwise: an unknown age must not prefer paediatric advice. The age-group
words are a versioned data file (data/population_words.json).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from curbside.domain.documents import DocumentKind, PassageRecord
from curbside.domain.question import AgeGroup, UnderstoodQuestion

WORDS_FILE = "population_words.json"
# A population clause: "for / in / among / to [all / the / most] <group>" (restrictive), or a
# field that names the group followed by its ages ("Adults (18 years …)", "Children: …").
_CLAUSE = r"\b(?:for|in|among|to|with)\s+(?:(?:all|the|most|those|healthy|nonpregnant)\s+)?(?:{words})\b"


@dataclass(frozen=True, slots=True)
class PopulationWords:
    """Compiled age-group words: (pattern, groups covered), most specific first."""

    groups: tuple[tuple[re.Pattern[str], frozenset[AgeGroup]], ...]
    clauses: tuple[tuple[re.Pattern[str], frozenset[AgeGroup]], ...]


def parse_words(text: str) -> PopulationWords:
    """Parse the data file; a malformed file raises ValueError (never a silent empty rule)."""
    data = json.loads(text)
    if not isinstance(data, dict) or not data.get("provenance") or not isinstance(data.get("groups"), list):
        raise ValueError(f"{WORDS_FILE}: needs 'provenance' and a 'groups' list")
    groups, clauses = [], []
    for entry in data["groups"]:
        words, covers = entry.get("words"), entry.get("covers")
        if not words or not covers or not all(isinstance(w, str) and w.strip() for w in words):
            raise ValueError(f"{WORDS_FILE}: every group needs non-empty 'words' and 'covers'")
        try:
            covered = frozenset(AgeGroup(c) for c in covers)
        except ValueError as error:
            raise ValueError(f"{WORDS_FILE}: unknown age group in {covers}") from error
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        groups.append((re.compile(rf"\b(?:{alternatives})\b", re.I), covered))
        clauses.append((re.compile(_CLAUSE.format(words=alternatives), re.I), covered))
    return PopulationWords(tuple(groups), tuple(clauses))


@lru_cache(maxsize=1)
def population_words() -> PopulationWords:
    return parse_words(resources.files("curbside.composition").joinpath("data", WORDS_FILE).read_text())


def _named(text: str, patterns: tuple[tuple[re.Pattern[str], frozenset[AgeGroup]], ...]) -> set[AgeGroup]:
    covered: set[AgeGroup] = set()
    for pattern, groups in patterns:
        if pattern.search(text):
            covered |= groups
            text = pattern.sub(" ", text)  # "older adults" is not also "adults"
    return covered


def statement_groups(text: str, words: PopulationWords | None = None) -> set[AgeGroup]:
    """Age groups a statement's own population clause names ("for children and young people")."""
    return _named(text, (words or population_words()).clauses)


def document_groups(record: PassageRecord, words: PopulationWords | None = None) -> set[AgeGroup]:
    """Age groups a guideline's target population (or, without one, its title) names."""
    document = record.document
    if document.kind != DocumentKind.GUIDELINE:
        return set()
    scope = document.population or document.title
    return _named(scope, (words or population_words()).groups)


def patient_group(question: UnderstoodQuestion) -> AgeGroup:
    """The question's age group; an adult when the question does not say."""
    return question.age_group or AgeGroup.ADULT


def population_fit(record: PassageRecord, text: str, question: UnderstoodQuestion) -> int:
    """+1 when the statement (or its guideline) is for the patient's age group, -1 when it is for
    another group only, 0 when neither names one. The statement's own clause outranks the
    guideline's scope ("in adults" inside a guideline for all ages)."""
    groups = statement_groups(text) or document_groups(record)
    if not groups:
        return 0
    return 1 if patient_group(question) in groups else -1
