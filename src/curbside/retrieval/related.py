"""Related questions: the sources' own questions on the same concept, and clinician questions the
knowledge base can answer about the article's drugs and condition.

Concepts match by UMLS CUI and by name with case, spacing and hyphenation ignored, so
"posttraumatic stress disorder" finds the MedQuAD topic "Post-Traumatic Stress Disorder". A
built question ("What is the dose of sertraline?") is offered only after a search shows a
passage that could answer it; the wording templates are product text, the drug and condition
names come from the question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from curbside.domain.question import UnderstoodQuestion
from curbside.protocols import KnowledgeReader

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOSE = re.compile(r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|µg|g|ml|units?)\b", re.I)
_MONITOR = re.compile(r"\bmonitor\w*", re.I)
_WORDS = re.compile(r"[a-z0-9]+")
_GENERIC_WORDS = frozenset({"disease", "disorder", "syndrome", "cancer", "the", "of", "and", "type"})
CHECK_HITS = 8
MAX_BUILT = 3


def concept_key(name: str) -> str:
    """Name with case, spaces, hyphens and punctuation removed: "Post-Traumatic" = "posttraumatic"."""
    return _NON_ALNUM.sub("", name.lower())


@dataclass(frozen=True, slots=True)
class BuiltQuestion:
    """A clinician question built from the article's entities, with the check that passed."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class ConceptIndex:
    """Source-question topics by concept: normalised name → titles, UMLS CUI → titles.

    Built from every patient-information document (~0.5 CPU-s on the full corpus), so the
    pipeline keeps a built one in its start-up cache (see ``wiring.build_related_concepts``)."""

    by_key: dict[str, frozenset[str]]
    by_cui: dict[str, frozenset[str]]


def build_concept_index(store: KnowledgeReader) -> ConceptIndex:
    by_key: dict[str, set[str]] = {}
    by_cui: dict[str, set[str]] = {}
    for document in store.documents("patient_information"):
        focus = document.metadata.get("focus")
        names = [document.title, *(focus if isinstance(focus, str) else "",), *document.conditions]
        for name in names:
            if name:
                by_key.setdefault(concept_key(name), set()).add(document.title)
        for cui in document.metadata.get("cuis") or ():
            by_cui.setdefault(str(cui), set()).add(document.title)
    return ConceptIndex({k: frozenset(v) for k, v in by_key.items()}, {k: frozenset(v) for k, v in by_cui.items()})


class RelatedQuestionFinder:
    """Finds related questions by concept; the concept index is built lazily from the store's
    documents (once) unless a built one is given."""

    def __init__(self, store: KnowledgeReader, concepts: ConceptIndex | None = None) -> None:
        self._store = store
        self._concepts = concepts

    def _index(self) -> ConceptIndex:
        if self._concepts is None:
            self._concepts = build_concept_index(self._store)
        return self._concepts

    def topics(self, question: UnderstoodQuestion) -> list[str]:
        """The question's condition names plus the source titles of the same concept."""
        index = self._index()
        topics: list[str] = []
        for condition in question.conditions:
            topics += [condition.name, condition.surface]
            for name in (condition.name, condition.surface):
                topics += sorted(index.by_key.get(concept_key(name), ()))
            for code in condition.codes:
                topics += sorted(index.by_cui.get(code, ()))
        if len(topics) == 2 * len(question.conditions):
            topics += self._broader(question)
        return list(dict.fromkeys(t for t in topics if t))

    def _broader(self, question: UnderstoodQuestion) -> list[str]:
        """Source topics whose every word is in the condition's name ("Depression" for "major
        depression") when no source topic names the condition itself."""
        index = self._index().by_key
        found: list[str] = []
        for condition in question.conditions[:1]:
            words = set(_WORDS.findall(condition.name.lower()))
            for titles in index.values():
                for title in titles:
                    title_words = set(_WORDS.findall(title.lower()))
                    if title_words and title_words < words and not title_words <= _GENERIC_WORDS:
                        found.append(title)
        return sorted(set(found))[:3]

    def source_questions(self, question: UnderstoodQuestion, limit: int) -> list[str]:
        return [text for text, _ in self._store.related_questions(self.topics(question), limit)]

    def built_questions(self, question: UnderstoodQuestion) -> list[BuiltQuestion]:
        """Clinician questions about the article's drugs (dose, monitoring, interactions),
        each kept only when the knowledge base holds a passage or record that answers it."""
        failed = set(question.failed_medications)
        drugs = [d for d in question.drugs if not d.is_class and d not in failed] or [
            d for d in question.drugs if not d.is_class
        ]
        condition = question.conditions[0].name if question.conditions else None
        built: list[BuiltQuestion] = []
        for drug in drugs[:2]:
            name = drug.name
            if self._has_passage(f"{name} dose", name, _DOSE.search):
                suffix = f" for {condition}" if condition else ""
                built.append(BuiltQuestion(f"What is the usual dose of {name}{suffix}, and its maximum?", "dose"))
            if self._has_passage(f"{name} monitoring", name, _MONITOR.search):
                built.append(BuiltQuestion(f"What should be monitored in a patient taking {name}?", "monitoring"))
        names = [d.name for d in question.drugs if not d.is_class]
        for a, b in _pairs(names):
            if self._has_interaction(a, b):
                built.append(BuiltQuestion(f"Can {a} be taken with {b}?", "interaction"))
        return built[:MAX_BUILT]

    def _has_passage(self, query: str, drug: str, test: Callable[[str], object]) -> bool:
        hits = self._store.lexical_search(query, CHECK_HITS)
        pattern = re.compile(rf"\b{re.escape(drug)}\b", re.I)
        return any(
            pattern.search(record.passage.text) and test(record.passage.text)
            for record in self._store.passages([h.passage_id for h in hits])
        )

    def _has_interaction(self, a: str, b: str) -> bool:
        return any(
            {r.drug_a.lower(), r.drug_b.lower()} == {a.lower(), b.lower()} for r in self._store.interactions([a])
        )


def _pairs(names: Iterable[str]) -> list[tuple[str, str]]:
    unique = list(dict.fromkeys(names))
    return [(a, b) for i, a in enumerate(unique) for b in unique[i + 1 :]]
