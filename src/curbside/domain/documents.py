"""Source documents, their citable passages, and structured facts loaded beside them.

Every object here is frozen: loaders build them, the store persists them, and later
stages read them without being able to change provenance by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from curbside.domain.terms import UseTerms


class DocumentKind(StrEnum):
    """What sort of source a document is; drives authority ranking and citation style."""

    GUIDELINE = "guideline"
    DRUG_LABEL = "drug_label"
    PATIENT_INFORMATION = "patient_information"
    INTERACTION_LIST = "interaction_list"
    TEXTBOOK = "textbook"


@dataclass(frozen=True, slots=True)
class Passage:
    """A citable chunk of a document.

    Attributes:
        passage_id: stable id, ``"{source_id}#{ordinal}"``.
        heading_path: section headings from the document root down to this chunk,
            e.g. ``("Major Recommendations", "Grade B")``.
        text: the passage text, plain (no HTML), as the source words it.
        ordinal: position in the document, 0-based.
        grade: recommendation strength/quality grade as the source states it ("B", "Strong for").
        grade_meaning: what that grade means under the source's own rating scheme.
        question: for question–answer sources, the question this passage answers.
        question_type: for question–answer sources, the source's question-type label.
        section_number: for labels, the numbered section ("5.2").
        note_kind: for textbooks, the kind of box the passage sits in, as the source classes it
            ("safety-alert", "clinical-tip", …; client-teaching boxes are "client-education").
    """

    passage_id: str
    heading_path: tuple[str, ...]
    text: str
    ordinal: int
    grade: str | None = None
    grade_meaning: str | None = None
    question: str | None = None
    question_type: str | None = None
    section_number: str | None = None
    note_kind: str | None = None

    @property
    def section(self) -> str:
        """Human-readable section label, e.g. "Major Recommendations › Grade B"."""
        return " › ".join(self.heading_path)


@dataclass(frozen=True, slots=True)
class Document:
    """One source document with provenance and its passages.

    Attributes:
        source_id: globally unique, prefixed by the source, e.g. ``"medquad:0000051"``,
            ``"ngc:10008"``, ``"fda:01b14603-…"``.
        source: the loader that produced it (``"medquad"``, ``"ngc"``, ``"fda-nlm"``, …).
        kind: guideline | drug_label | patient_information | interaction_list | textbook.
        organization: who published it (for MedQuAD, the NIH institute of the page).
        title: the document title as the source gives it.
        year: release/publication year when known.
        url: where a reader can see the original.
        licence: licence or copyright statement of the source, as the source words it.
        drugs: lower-case drug names the document is about (label drug, generic).
        conditions: lower-case condition names the document is about (focus, disease/condition).
        population: the target population as the source words it, if stated.
        metadata: other source-specific fields (CUIs, semantic group, developer, scope …),
            JSON-serialisable.
        passages: the citable passages, in document order.
        terms: licence class and use terms derived from ``licence`` (what reuse is allowed).
    """

    source_id: str
    source: str
    kind: DocumentKind
    organization: str
    title: str
    year: int | None
    url: str
    licence: str
    drugs: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    population: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    passages: tuple[Passage, ...] = ()
    terms: UseTerms = field(default_factory=UseTerms)


@dataclass(frozen=True, slots=True)
class InteractionRecord:
    """A structured drug–drug interaction as one list or annotation states it.

    Attributes:
        list_name: the list's name, used as provenance ("ONC High-Priority", "OSCAR", …).
        source_id: the Document that represents the list (or the label it came from).
        drug_a, drug_b: names as the source gives them (drug or drug class).
        severity: the source's own severity/significance value, verbatim, if any.
        description: effect / mechanism / management text from the source, if any.
        interaction_type: the source's interaction type label, if any.
        sentence: for label annotations, the label sentence stating the interaction.
        drug_a_ids, drug_b_ids: external ids (DrugBank, ATC, RxCUI) as given.
    """

    list_name: str
    source_id: str
    drug_a: str
    drug_b: str
    severity: str | None = None
    description: str | None = None
    interaction_type: str | None = None
    sentence: str | None = None
    drug_a_ids: tuple[str, ...] = ()
    drug_b_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A technical term and its plain-language alternatives, for rewording (not citation)."""

    glossary: str
    term: str
    plain: str


@dataclass(frozen=True, slots=True)
class LoadedUnit:
    """Everything one source unit (usually one file) yields."""

    documents: tuple[Document, ...] = ()
    interactions: tuple[InteractionRecord, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class PassageRecord:
    """A passage together with its document (whose ``passages`` may be left empty)."""

    document: Document
    passage: Passage
