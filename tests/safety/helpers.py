"""Shared builders for safety tests: a real SqliteStore filled with small fixture data."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from curbside.domain.article import Article, Reference, Section, Statement, UnderstoodView
from curbside.domain.documents import Document, DocumentKind, InteractionRecord, LoadedUnit, Passage
from curbside.domain.question import DrugMention, Intent, UnderstoodQuestion
from curbside.knowledge.embedding import HashingEmbedder
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.knowledge.store import UnitWrite

ONC = "ONC High-Priority"
NON_INT = "ONC Non-interruptive"
OSCAR = "OSCAR drugref2"
WV = "WorldVista (ANSM thesaurus, English)"
LABEL = "NLM DDI corpus (FDA label annotation)"
LABEL_ID = "fda:test-nardil"
GUIDELINE_ID = "ngc:9978"
DXM_SENTENCE = "Do not use NARDIL with dextromethorphan, which may cause brief episodes of psychosis."


class FakeResolver:
    """Brand → generic and class membership for the handful of fixture drugs."""

    canonicals: ClassVar[dict[str, str]] = {"nardil": "phenelzine", "zoloft": "sertraline", "ultram": "tramadol"}
    classes: ClassVar[dict[str, tuple[str, ...]]] = {
        "phenelzine": ("monoamine oxidase inhibitors",),
        "tramadol": ("analgesics, opioid",),
    }

    def canonical(self, name: str) -> str | None:
        key = name.lower().strip()
        return self.canonicals.get(key)

    def classes_of(self, drug: str) -> tuple[str, ...]:
        return self.classes.get(drug.lower(), ())


def passage(source_id: str, ordinal: int, heading: tuple[str, ...], text: str, **extra: str) -> Passage:
    return Passage(passage_id=f"{source_id}#{ordinal}", heading_path=heading, text=text, ordinal=ordinal, **extra)


def list_document(source_id: str, title: str) -> Document:
    return Document(
        source_id=source_id,
        source="interaction-lists",
        kind=DocumentKind.INTERACTION_LIST,
        organization=f"{title} publishers",
        title=title,
        year=2012,
        url=f"https://example.org/{source_id}",
        licence="facts",
        passages=(passage(source_id, 0, (title,), f"{title}: interaction list summary."),),
    )


def label_document() -> Document:
    texts = [
        (("4 Contraindications",), "NARDIL is contraindicated with meperidine. " + DXM_SENTENCE),
        (
            ("2 Dosage and Administration",),
            "The usual starting dose of NARDIL is 15 mg three times a day. Dosage may be increased to 90 mg per day.",
        ),
        (
            ("8 Use in Specific Populations", "8.1 Pregnancy"),
            "Safe use of phenelzine during pregnancy has not been established. "
            "Avoid use in pregnant women unless needed.",
        ),
        (
            ("8 Use in Specific Populations", "8.4 Pediatric Use"),
            "Safety and effectiveness in pediatric patients have not been established.",
        ),
        (
            ("8 Use in Specific Populations", "8.5 Geriatric Use"),
            "Elderly patients may be more sensitive to orthostatic hypotension.",
        ),
    ]
    return Document(
        source_id=LABEL_ID,
        source="fda-nlm",
        kind=DocumentKind.DRUG_LABEL,
        organization="U.S. Food and Drug Administration (DailyMed)",
        title="NARDIL (phenelzine sulfate)",
        year=None,
        url="https://dailymed.example/nardil",
        licence="public domain",
        drugs=("nardil", "phenelzine sulfate", "phenelzine"),
        passages=tuple(passage(LABEL_ID, i, h, t) for i, (h, t) in enumerate(texts)),
    )


def guideline_document() -> Document:
    rec = ("Major Recommendations", "Module B: Initial Management of Patient at Risk for Suicide")
    texts = [
        (("Target Population",), "Adults at risk for suicide."),
        (
            rec,
            "Patients at acute high risk for suicide should be maintained in a safe environment and "
            "referred for emergency evaluation; develop a safety plan.",
        ),
        (
            ("Major Recommendations", "Module C: Treatment"),
            "Consider cognitive therapy for suicide prevention, including for older adults.",
        ),
    ]
    return Document(
        source_id=GUIDELINE_ID,
        source="ngc",
        kind=DocumentKind.GUIDELINE,
        organization="Department of Defense; Department of Veterans Affairs; Veterans Health Administration",
        title="VA/DoD clinical practice guideline for assessment and management of patients at risk for suicide.",
        year=2013,
        url="https://example.org/ngc-9978",
        licence="US government work",
        conditions=("suicide",),
        passages=tuple(passage(GUIDELINE_ID, i, h, t) for i, (h, t) in enumerate(texts)),
    )


def records() -> list[InteractionRecord]:
    return [
        InteractionRecord(ONC, "list:onc-high-priority", "Tramadol", "Phenelzine"),
        InteractionRecord(
            OSCAR,
            "list:oscar",
            "TRAMADOL",
            "MAOIS",
            severity="1",
            interaction_type="A",
            description="Effect: A (Augments); significance: 1 (1 lowest – 3 highest). Serotonin syndrome reported.",
            drug_b_ids=("ATC:N06AF",),
        ),
        InteractionRecord(
            OSCAR,
            "list:oscar",
            "PHENELZINE",
            "ACETAMINOPHEN",
            severity=None,
            interaction_type="N",
            description="Effect: N (No Effect)",
        ),
        InteractionRecord(
            WV,
            "list:worldvista-ansm",
            "FLUOXETINE",
            "PHENELZINE",
            severity="Contraindication",
            description="Risk of serotonin syndrome. Observe a 5-week interval after stopping fluoxetine "
            "before starting the MAOI.",
        ),
        InteractionRecord(
            NON_INT,
            "list:onc-non-interruptive",
            "Ibuprofen",
            "Metoprolol",
            description="Class pair: NSAIDS / ß-Adrenergic blockers (publication item 28)",
        ),
        InteractionRecord(
            LABEL, LABEL_ID, "NARDIL", "dextromethorphan", interaction_type="Caution_Interaction", sentence=DXM_SENTENCE
        ),
    ]


def documents() -> list[Document]:
    return [
        list_document("list:onc-high-priority", ONC),
        list_document("list:onc-non-interruptive", NON_INT),
        list_document("list:oscar", OSCAR),
        list_document("list:worldvista-ansm", WV),
        label_document(),
        guideline_document(),
    ]


def write(store: SqliteStore, key: str, loaded: LoadedUnit) -> None:
    texts = [p.text for d in loaded.documents for p in d.passages]
    vectors = HashingEmbedder(dim=64).embed(texts)
    store.write_units([UnitWrite(key=key, source=key.split("/")[0], content_hash=key, loaded=loaded, vectors=vectors)])


def fixture_store(path: Path) -> SqliteStore:
    store = SqliteStore(path / "kb.sqlite")
    write(store, "fixture/all", LoadedUnit(documents=tuple(documents()), interactions=tuple(records())))
    return store


def mention(name: str, *, is_class: bool = False, members: Sequence[str] = ()) -> DrugMention:
    return DrugMention(name=name, surface=name, is_class=is_class, members=tuple(members))


def question(
    text: str = "What should I use for pain?",
    *,
    intent: Intent = Intent.TREATMENT,
    current: Sequence[str] = (),
    drugs: Sequence[str] = (),
    **extra: object,
) -> UnderstoodQuestion:
    current_mentions = tuple(mention(n) for n in current)
    return UnderstoodQuestion(
        text=text,
        intent=intent,
        drugs=current_mentions + tuple(mention(n) for n in drugs),
        current_medications=current_mentions,
        **extra,  # type: ignore[arg-type]
    )


def article(
    bottom: str | None = None,
    *,
    statements: Sequence[Statement] = (),
    references: Sequence[Reference] = (),
    bottom_citations: tuple[int, ...] = (),
) -> Article:
    return Article(
        question="q",
        title="t",
        understood=UnderstoodView(summary="s", intent="treatment", intent_confidence=1.0),
        bottom_line=Statement(text=bottom, citations=bottom_citations) if bottom else None,
        sections=(Section(heading="Options", kind="options", statements=tuple(statements)),) if statements else (),
        references=tuple(references),
    )


def reference_to(document: Document, passage_index: int, n: int) -> Reference:
    p = document.passages[passage_index]
    return Reference(
        n=n,
        source_id=document.source_id,
        passage_id=p.passage_id,
        organization=document.organization,
        title=document.title,
        year=document.year,
        url=document.url,
        section=p.section,
        kind=document.kind.value,
        quote=p.text,
    )
