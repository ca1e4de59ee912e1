"""What Curbside understood a question to ask: entities, patient context and intent."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Intent(StrEnum):
    """What kind of answer the question wants; selects the article's sections."""

    TREATMENT = "treatment"
    NEXT_STEP = "next_step"
    DOSING = "dosing"
    INTERACTION = "interaction"
    ADVERSE_EFFECTS = "adverse_effects"
    CONTRAINDICATION = "contraindication"
    SCREENING = "screening"
    DIAGNOSIS = "diagnosis"
    CAUSES = "causes"
    PROGNOSIS = "prognosis"
    INFORMATION = "information"


class AgeGroup(StrEnum):
    INFANT = "infant"
    CHILD = "child"
    ADOLESCENT = "adolescent"
    ADULT = "adult"
    OLDER_ADULT = "older_adult"


@dataclass(frozen=True, slots=True)
class DrugMention:
    """A drug or drug class recognised in the question.

    Attributes:
        name: canonical lower-case name (generic for drugs, class name for classes).
        surface: the words as the question wrote them ("Zoloft").
        is_class: True for a class ("SSRIs"); ``members`` then lists canonical member names.
        drugbank_id, mesh_id: identifiers when the recogniser provides them.
        class_codes: classification codes (ATC / MeSH pharmacological action) that define a class.
    """

    name: str
    surface: str
    is_class: bool = False
    drugbank_id: str | None = None
    mesh_id: str | None = None
    members: tuple[str, ...] = ()
    class_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StatedDose:
    """A dose the question states for a drug ("buspirone 30 mg eight times a day").

    Attributes:
        drug: canonical name of the drug the dose belongs to.
        amount, unit: one dose as written ("30", "mg"); ``unit`` is lower-case.
        per_day: administrations per day read from the frequency words (None when none given).
        phrase: the words of the question that state the dose and frequency.
        adds_to_previous: the question adds this dose to the one before it for the same drug
            ("1000 mg QID plus two 500 mg tablets at bedtime"), so the daily totals add up.
    """

    drug: str
    amount: float
    unit: str
    per_day: float | None
    phrase: str
    adds_to_previous: bool = False

    @property
    def daily(self) -> float | None:
        """Total per day in ``unit`` (amount × per_day), None without a frequency."""
        return self.amount * self.per_day if self.per_day is not None else None


@dataclass(frozen=True, slots=True)
class ConditionMention:
    """A condition recognised in the question, with where the name came from.

    ``origin`` is one of "medquad-focus", "guideline", "icd10", "fhir" (a patient record); ``codes`` holds UMLS CUIs
    or ICD-10-CM codes accordingly. ``origin == "inferred"`` marks a condition the question
    did not name but its medicines imply (``inferred_from`` names them); the reader may correct it.
    """

    name: str
    surface: str
    origin: str
    codes: tuple[str, ...] = ()
    inferred_from: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SpellingCorrection:
    """A word of the question read as a known word ("rabbies" → "rabies"); shown to the reader."""

    original: str
    corrected: str


@dataclass(frozen=True, slots=True)
class UnderstoodQuestion:
    """The parsed question that retrieval, composition, verification and the UI share.

    Attributes:
        text: the question, whitespace-normalised (never logged by default).
        intent: the classified intent; ``intent_confidence`` its probability.
        drugs: every drug or class mentioned (including current and failed ones).
        current_medications: drugs the patient takes now.
        failed_medications: drugs or classes that were tried without success.
        conditions: recognised conditions, most specific first.
        age_group: stated or implied age group of the patient, if any.
        pregnant: True if the patient is pregnant, False if stated not, None if unknown.
        duration: stated duration ("for years"), verbatim.
        negations: negated findings/statements verbatim ("no improvement").
        unknown_terms: capitalised or drug-like words nothing recognised (possible
            fabricated names) — composition abstains on them.
        corrections: misspelt words read as known words; ``corrected_text`` is the question
            with them applied, which is what recognition and retrieval used.
        allergies: substances the patient's record lists as allergies or intolerances
            (from a FHIR patient context; never inferred from question text).
        doses: doses the question states for its drugs, with frequency when given.
    """

    text: str
    intent: Intent
    intent_confidence: float = 0.0
    drugs: tuple[DrugMention, ...] = ()
    current_medications: tuple[DrugMention, ...] = ()
    failed_medications: tuple[DrugMention, ...] = ()
    conditions: tuple[ConditionMention, ...] = ()
    age_group: AgeGroup | None = None
    pregnant: bool | None = None
    duration: str | None = None
    negations: tuple[str, ...] = ()
    unknown_terms: tuple[str, ...] = ()
    corrections: tuple[SpellingCorrection, ...] = ()
    corrected_text: str | None = None
    allergies: tuple[str, ...] = ()
    doses: tuple[StatedDose, ...] = ()

    @property
    def search_text(self) -> str:
        """The text to search with: the question with spelling corrections applied."""
        return self.corrected_text or self.text

    def summary(self) -> str:
        """One line for people: "condition = …; current = …; failed = …; intent = …"."""
        parts = []
        if self.corrections:
            parts.append("read " + ", ".join(f"“{c.original}” as “{c.corrected}”" for c in self.corrections))
        if self.conditions:
            parts.append("condition = " + ", ".join(_condition_label(c) for c in self.conditions))
        if self.current_medications:
            parts.append("current = " + ", ".join(d.name for d in self.current_medications))
        if self.failed_medications:
            parts.append(
                "failed = " + ", ".join(f"{d.name} (class)" if d.is_class else d.name for d in self.failed_medications)
            )
        others = [d for d in self.drugs if d not in self.current_medications + self.failed_medications]
        if others:
            parts.append("drugs = " + ", ".join(d.name for d in others))
        if self.age_group:
            parts.append(f"age group = {self.age_group.value.replace('_', ' ')}")
        if self.pregnant:
            parts.append("pregnant")
        if self.allergies:
            parts.append("allergies = " + ", ".join(self.allergies))
        if self.duration:
            parts.append(f"duration = {self.duration}")
        parts.append(f"intent = {self.intent.value.replace('_', ' ')}")
        return "; ".join(parts)


def _condition_label(condition: ConditionMention) -> str:
    if not condition.inferred_from:
        return condition.name
    return (
        f"{condition.name} (inferred from what {', '.join(condition.inferred_from)} are used for; correct it if wrong)"
    )
