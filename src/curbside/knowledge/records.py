"""Row <-> object conversion shared by the SQL stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from curbside.domain.documents import Document, DocumentKind, InteractionRecord, Passage
from curbside.domain.terms import UseTerms

_NORMALISE = re.compile(r"[^a-z0-9]+")


def normalise_drug(name: str) -> str:
    """Lower-case, punctuation-free key for matching drug names across lists."""
    return _NORMALISE.sub(" ", name.lower()).strip()


def document_row(document: Document, unit_key: str) -> tuple[Any, ...]:
    return (
        document.source_id,
        unit_key,
        document.source,
        document.kind.value,
        document.organization,
        document.title,
        document.year,
        document.url,
        document.licence,
        json.dumps(list(document.drugs)),
        json.dumps(list(document.conditions)),
        document.population,
        json.dumps(document.metadata, default=str),
        document.terms.licence_class.value,
        json.dumps(document.terms.to_json()),
    )


def document_from_row(row: Mapping[str, Any], passages: tuple[Passage, ...] = ()) -> Document:
    return Document(
        source_id=row["source_id"],
        source=row["source"],
        kind=DocumentKind(row["kind"]),
        organization=row["organization"],
        title=row["title"],
        year=row["year"],
        url=row["url"],
        licence=row["licence"],
        drugs=tuple(json.loads(row["drugs"])),
        conditions=tuple(json.loads(row["conditions"])),
        population=row["population"],
        metadata=json.loads(row["metadata"]),
        passages=passages,
        terms=UseTerms.from_json({**json.loads(row["use_terms"]), "licence_class": row["licence_class"]}),
    )


#: The document columns ``document_from_row`` reads: equal values make an equal Document.
DOCUMENT_COLUMNS = (
    "source_id",
    "source",
    "kind",
    "organization",
    "title",
    "year",
    "url",
    "licence",
    "drugs",
    "conditions",
    "population",
    "metadata",
    "use_terms",
    "licence_class",
)


class DocumentCache:
    """Documents by the exact values of their row, so a search that fetches 40 passages of 10
    guidelines parses each guideline's JSON columns once per process, not once per passage
    (the parsing was ~10 % of a warm answer). Keyed by the row's values, not its id, so a
    re-ingested document can never be served stale. Bounded; thread-safe."""

    def __init__(self, max_entries: int = 4096) -> None:
        self._documents: OrderedDict[tuple[Any, ...], Document] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def document(self, row: Mapping[str, Any]) -> Document:
        key = tuple(row[column] for column in DOCUMENT_COLUMNS)
        with self._lock:
            found = self._documents.get(key)
            if found is not None:
                self._documents.move_to_end(key)
                return found
        document = document_from_row(row)
        with self._lock:
            self._documents[key] = document
            while len(self._documents) > self._max:
                self._documents.popitem(last=False)
        return document


def passage_row(passage: Passage, source_id: str, embedding: bytes | None) -> tuple[Any, ...]:
    return (
        passage.passage_id,
        source_id,
        passage.ordinal,
        json.dumps(list(passage.heading_path)),
        passage.text,
        passage.grade,
        passage.grade_meaning,
        passage.question,
        passage.question_type,
        passage.section_number,
        embedding,
        passage.note_kind,
    )


#: The passage columns ``passage_from_row`` reads. Reads select these instead of ``*`` so the
#: 1.5 KB embedding blob of every row is not fetched only to be dropped.
PASSAGE_COLUMNS = (
    "passage_id",
    "heading_path",
    "text",
    "ordinal",
    "grade",
    "grade_meaning",
    "question",
    "question_type",
    "section_number",
    "note_kind",
)


def passage_from_row(row: Mapping[str, Any]) -> Passage:
    return Passage(
        passage_id=row["passage_id"],
        heading_path=tuple(json.loads(row["heading_path"])),
        text=row["text"],
        ordinal=row["ordinal"],
        grade=row["grade"],
        grade_meaning=row["grade_meaning"],
        question=row["question"],
        question_type=row["question_type"],
        section_number=row["section_number"],
        note_kind=row["note_kind"],
    )


def interaction_row(record: InteractionRecord, unit_key: str) -> tuple[Any, ...]:
    return (
        unit_key,
        record.list_name,
        record.source_id,
        record.drug_a,
        record.drug_b,
        normalise_drug(record.drug_a),
        normalise_drug(record.drug_b),
        record.severity,
        record.description,
        record.interaction_type,
        record.sentence,
        json.dumps(list(record.drug_a_ids)),
        json.dumps(list(record.drug_b_ids)),
    )


def interaction_from_row(row: Mapping[str, Any]) -> InteractionRecord:
    return InteractionRecord(
        list_name=row["list_name"],
        source_id=row["source_id"],
        drug_a=row["drug_a"],
        drug_b=row["drug_b"],
        severity=row["severity"],
        description=row["description"],
        interaction_type=row["interaction_type"],
        sentence=row["sentence"],
        drug_a_ids=tuple(json.loads(row["drug_a_ids"])),
        drug_b_ids=tuple(json.loads(row["drug_b_ids"])),
    )


def search_heading(passage: Passage) -> str:
    """What the lexical index sees as the passage's heading (section path plus question)."""
    parts = list(passage.heading_path)
    if passage.question and passage.question not in parts:
        parts.append(passage.question)
    return " ".join(parts)
