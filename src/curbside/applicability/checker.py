"""Does a cited source apply to the question's condition, drug and population? (the verifier's test)

A statement can be word-for-word in its passage and still be wrong for the question: an
irritable-bowel guideline's antidepressant advice does not answer a question about anxiety,
and an adult dose does not answer a question about an infant. ``ApplicabilityChecker.check``
returns ``applies`` True / False / None (cannot tell) with a score and a one-line reason.

Condition: exact name/synonym token containment or UMLS CUI overlap first; otherwise MiniLM
cosine between the question's conditions and the source's topic descriptors (conditions,
focus, title), with a match and a mismatch threshold (between them: cannot tell). A drug
label (or a drug-only source) applies to any question about its drug, whatever the condition.
Population: the question's age group against age ranges and group words in the source's
target population and restrictive phrases in the cited passage ("Adults: 10 mg …"), plus
pregnancy. Sources with little metadata (audit mode) are profiled from title + opening text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from curbside.applicability.drug_names import DrugNames, find_drugs
from curbside.applicability.population import age_groups_in, population_words
from curbside.domain.documents import Document, DocumentKind
from curbside.domain.question import AgeGroup, UnderstoodQuestion


class VectorLookup(Protocol):
    """Unit vectors for texts (the verifier's batched embedding cache satisfies it)."""

    def matrix(self, texts: Sequence[str]) -> np.ndarray:
        """Stack the unit vectors of ``texts``, one row each."""
        ...


_GENERIC = frozenset(
    [
        "disease",
        "diseases",
        "disorder",
        "disorders",
        "syndrome",
        "syndromes",
        "condition",
        "conditions",
        "chronic",
        "acute",
        "treatment",
        "management",
        "screening",
        "diagnosis",
        "prevention",
        "adults",
        "adult",
        "children",
        "child",
        "patients",
        "guideline",
        "guidelines",
        "recommendation",
        "recommendations",
        "statement",
        "care",
        "clinical",
        "what",
        "is",
        "are",
        "the",
        "of",
        "in",
        "for",
        "and",
        "with",
        "to",
        "a",
        "an",
        "on",
    ]
)
# In a passage only restrictive phrasing counts ("Adults: 500 mg", "in adults aged …"); a
# passing mention ("most often diagnosed in middle-aged adults") says nothing about scope.
_RESTRICTIVE = re.compile(
    r"(?:\b(?:in|for|among|to)\s+(?:(?:healthy|nonpregnant|non-pregnant)\s+)?"
    r"(?P<a>adults?|adult patients|children|infants|adolescents|pediatric patients|older adults|neonates))\b"
    r"|\b(?P<b>adults?|children|infants|adolescents|pediatric patients|older adults)\s*(?::|\(|aged\b|≥|>=|\d)",
    re.IGNORECASE,
)
_PEDIATRIC_EXCLUDED = re.compile(
    r"not (?:for use|recommended|approved) (?:in|for) (?:children|pediatric|infants)|"
    r"(?:safety and effectiveness|efficacy) in pediatric patients (?:have|has) not been established",
    re.IGNORECASE,
)
_LABEL_TITLE = re.compile(
    r"\b(?:label|labeling|prescribing information|package insert|medication guide|monograph)\b", re.IGNORECASE
)


def _tokens(text: str) -> set[str]:
    """Content tokens prefix-stemmed to 6 characters, generic words removed."""
    return {w[:6] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _GENERIC}


@dataclass(frozen=True, slots=True)
class SourceProfile:
    """What a source is about, normalised from rich metadata or from title + text."""

    source_id: str
    title: str
    kind: str = "unknown"
    conditions: tuple[str, ...] = ()
    drugs: tuple[str, ...] = ()
    population: str | None = None
    cuis: frozenset[str] = frozenset()
    opening: str = ""

    @property
    def topic(self) -> str:
        """The short phrase a reason quotes: main condition, else title."""
        if self.conditions:
            return self.conditions[0]
        head = self.title.split(":")[0].strip()[:90]
        return head[:1].lower() + head[1:] if head[1:2].islower() else head

    def descriptors(self) -> tuple[str, ...]:
        """Texts whose meaning says what the source is about (for embedding)."""
        found = [*self.conditions, self.title]
        if not self.conditions and len(_tokens(self.title)) < 2 and self.opening:
            # An uninformative title ("Guideline"): the opening sentence is the best topic we have.
            # Otherwise it is left out — openings often name comorbidities, not the topic.
            found.append(self.opening)
        return tuple(dict.fromkeys(t for t in found if t.strip()))


def _as_tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return ()


def profile_from_document(document: Document) -> SourceProfile:
    """Profile a loaded Document from its fields and metadata (focus, cuis, target_population)."""
    meta = document.metadata
    conditions = tuple(dict.fromkeys(c.lower() for c in (*document.conditions, *_as_tuple(meta.get("focus"))) if c))
    population = document.population or next(iter(_as_tuple(meta.get("target_population"))), None)
    opening = document.passages[0].text[:300] if document.passages else ""
    return SourceProfile(
        source_id=document.source_id,
        title=document.title,
        kind=document.kind.value,
        conditions=conditions,
        drugs=tuple(d.lower() for d in document.drugs),
        population=population,
        cuis=frozenset(_as_tuple(meta.get("cuis"))),
        opening=opening.split(". ")[0],
    )


def profile_from_text(source_id: str, title: str, text: str, drug_names: DrugNames = ()) -> SourceProfile:
    """Profile a bare source (audit mode): topic from the title and opening sentence."""
    opening = " ".join(text.split())[:300].split(". ")[0]
    population = None
    match = re.search(r"target population[:\s]+([^.]{5,200})", text, re.IGNORECASE)
    if match:
        population = match.group(1)
    kind = "drug_label" if _LABEL_TITLE.search(title) else "unknown"
    drugs = tuple(find_drugs(title, drug_names)) if kind == "drug_label" else ()
    return SourceProfile(
        source_id=source_id, title=title.strip(), kind=kind, drugs=drugs, population=population, opening=opening
    )


@dataclass(frozen=True, slots=True)
class ApplicabilitySettings:
    """Cosine thresholds on the embedding path; between them the answer is "cannot tell".

    ``calibration.py`` picks mismatch ≈ 0.6 on the corpus pair set, but that set has few
    lay-vs-technical synonym pairs, and MiniLM scores such pairs low (heart attack /
    myocardial infarction 0.59, stroke / cerebrovascular accident 0.43). The shipped default is
    therefore lower: a false "misapplied" hides a correct answer, and the understanding stage's
    CUIs catch most true synonyms before the embedding path is reached.
    """

    match_threshold: float = 0.62
    mismatch_threshold: float = 0.45


@dataclass(frozen=True, slots=True)
class ApplicabilityResult:
    """``applies``: True / False / None (cannot tell); ``score`` 0–1; one-line ``reason``."""

    applies: bool | None
    score: float
    reason: str


def _age_groups_in(text: str, restrictive_only: bool) -> set[AgeGroup]:
    """Age groups a population text (or only a passage's restrictive phrases) covers."""
    if not restrictive_only:
        return set(age_groups_in(text))
    restrictive = " ".join((m.group("a") or m.group("b") or "") for m in _RESTRICTIVE.finditer(text))
    return set(age_groups_in(text, restrictive))


class ApplicabilityChecker:
    """Judges whether a source applies to an understood question (see module docstring)."""

    def __init__(self, cache: VectorLookup, settings: ApplicabilitySettings | None = None) -> None:
        self.cache = cache
        self.settings = settings or ApplicabilitySettings()

    def texts_to_embed(self, question: UnderstoodQuestion, profile: SourceProfile) -> tuple[str, ...]:
        """Texts ``check`` will embed, so a caller can batch them with everything else: none when
        the source's drug, concept code or condition words decide the condition match (most
        sources, and embedding their descriptors was most of a warm ask's screening time)."""
        if self._decided_without_embedding(question, profile) is not None:
            return ()
        return (*self._question_conditions(question), *profile.descriptors())

    @staticmethod
    def _question_conditions(question: UnderstoodQuestion) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.name.lower() for c in question.conditions))

    def check(
        self, question: UnderstoodQuestion, profile: SourceProfile, passage_text: str = ""
    ) -> ApplicabilityResult:
        """Condition/drug then population; the first dimension that fails decides."""
        condition = self._condition(question, profile)
        population = self._population(question, profile, passage_text)
        for result in (condition, population):
            if result.applies is False:
                return result
        if condition.applies or population.applies:
            score = condition.score if condition.applies is not None else population.score
            reasons = [r.reason for r in (condition, population) if r.applies]
            return ApplicabilityResult(True, score, "; ".join(reasons))
        return ApplicabilityResult(None, condition.score, condition.reason)

    def _drug_source(self, question: UnderstoodQuestion, profile: SourceProfile) -> ApplicabilityResult | None:
        """A label (or drug-only source) applies to any question about its drug."""
        if profile.kind != DocumentKind.DRUG_LABEL.value and (profile.conditions or not profile.drugs):
            return None
        asked = {n.lower() for d in question.drugs for n in (d.name, d.surface, *d.members)}
        source_drugs = set(profile.drugs) | _tokens(profile.title)
        hit = sorted(a for a in asked if a in source_drugs or a[:6] in source_drugs)
        if hit:
            return ApplicabilityResult(True, 1.0, f"drug source about {hit[0]}, which the question asks about")
        return ApplicabilityResult(None, 0.5, "drug source; question names none of its drugs")

    def _condition(self, question: UnderstoodQuestion, profile: SourceProfile) -> ApplicabilityResult:
        decided = self._decided_without_embedding(question, profile)
        if decided is not None:
            return decided
        return self._embedding_match(self._question_conditions(question), profile)

    def _decided_without_embedding(
        self, question: UnderstoodQuestion, profile: SourceProfile
    ) -> ApplicabilityResult | None:
        """The condition verdict when the drug, a shared concept code or the condition's words
        decide it; None when only topic similarity can."""
        drug = self._drug_source(question, profile)
        if drug is not None:
            return drug
        asked = self._question_conditions(question)
        if not asked:
            return ApplicabilityResult(None, 0.5, "question names no condition")
        codes = {code for c in question.conditions for code in c.codes}
        if codes & profile.cuis:
            return ApplicabilityResult(True, 1.0, f"source is about {profile.topic} (same concept)")
        own = [_tokens(c) for c in profile.conditions]
        title = _tokens(profile.title)
        for name in (*asked, *(c.surface.lower() for c in question.conditions)):
            wanted = _tokens(name)
            if wanted and (wanted <= title or any(wanted <= t or (t and t <= wanted) for t in own)):
                return ApplicabilityResult(True, 1.0, f"source is about {profile.topic}")
        return None

    def _embedding_match(self, asked: tuple[str, ...], profile: SourceProfile) -> ApplicabilityResult:
        descriptors = profile.descriptors()
        if not descriptors:
            return ApplicabilityResult(None, 0.5, "source topic unknown")
        similarity = float((self.cache.matrix(asked) @ self.cache.matrix(descriptors).T).max())
        about = f"source is about {profile.topic}; question is about {', '.join(asked)}"
        if similarity >= self.settings.match_threshold:
            return ApplicabilityResult(True, similarity, f"source is about {profile.topic} (related)")
        if similarity < self.settings.mismatch_threshold:
            return ApplicabilityResult(False, similarity, about)
        return ApplicabilityResult(None, similarity, f"cannot tell: {about}")

    def _population(
        self, question: UnderstoodQuestion, profile: SourceProfile, passage_text: str
    ) -> ApplicabilityResult:
        scope = " ".join(t for t in (profile.population, profile.title) if t)
        if question.pregnant is True and re.search(r"\bnon-?pregnant|not pregnant", scope, re.IGNORECASE):
            return ApplicabilityResult(False, 0.0, "source is about nonpregnant people; the patient is pregnant")
        pregnancy_only = re.search(r"(?<!non)(?<!non-)\bpregnan", scope, re.IGNORECASE)
        if question.pregnant is False and pregnancy_only and not re.search(r"\bnon-?pregnant", scope, re.I):
            return ApplicabilityResult(False, 0.0, "source is about pregnancy; the patient is not pregnant")
        group = question.age_group
        if group is None:
            return ApplicabilityResult(None, 0.5, "question states no age group")
        who = population_words().age_phrases[group]
        if group in (AgeGroup.INFANT, AgeGroup.CHILD) and _PEDIATRIC_EXCLUDED.search(passage_text):
            return ApplicabilityResult(False, 0.0, f"passage excludes children; question is about {who}")
        for text, restrictive, label in ((profile.population or "", False, "source population"),
                                         (passage_text, True, "cited passage")):  # fmt: skip
            covered = _age_groups_in(text, restrictive) if text else set()
            if covered and group not in covered:
                quoted = " ".join(text.split())[:80] if label == "source population" else _scope_words(covered)
                return ApplicabilityResult(False, 0.0, f"{label} is {quoted}; question is about {who}")
        if profile.population and _age_groups_in(profile.population, False):
            return ApplicabilityResult(True, 1.0, f"source population includes {who}")
        return ApplicabilityResult(None, 0.5, "source states no population")


def _scope_words(groups: set[AgeGroup]) -> str:
    names = [g.value.replace("_", " ") + "s" for g in AgeGroup if g in groups]
    return "for " + " and ".join(names) + " only"
