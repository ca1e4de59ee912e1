"""Builders for small verification test documents and questions (imported by the tests)."""

from __future__ import annotations

from curbside.domain.documents import Document, DocumentKind, Passage
from curbside.domain.question import AgeGroup, ConditionMention, DrugMention, Intent, UnderstoodQuestion


def make_document(
    source_id: str,
    title: str,
    texts: list[str],
    *,
    kind: DocumentKind = DocumentKind.GUIDELINE,
    conditions: tuple[str, ...] = (),
    drugs: tuple[str, ...] = (),
    population: str | None = None,
    metadata: dict[str, object] | None = None,
) -> Document:
    passages = tuple(Passage(f"{source_id}#{i}", ("Recommendations",), t, i) for i, t in enumerate(texts))
    return Document(
        source_id=source_id, source="test", kind=kind, organization="Test Org", title=title, year=2020,
        url="https://example.org", licence="test", drugs=drugs, conditions=conditions,
        population=population, metadata=metadata or {}, passages=passages,
    )  # fmt: skip


def make_question(
    text: str,
    conditions: tuple[str, ...] = (),
    drugs: tuple[str, ...] = (),
    age: AgeGroup | None = None,
    pregnant: bool | None = None,
    intent: Intent = Intent.TREATMENT,
) -> UnderstoodQuestion:
    return UnderstoodQuestion(
        text=text,
        intent=intent,
        conditions=tuple(ConditionMention(c, c, "guideline") for c in conditions),
        drugs=tuple(DrugMention(d, d) for d in drugs),
        age_group=age,
        pregnant=pregnant,
    )
