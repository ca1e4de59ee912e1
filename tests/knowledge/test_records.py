"""Row conversion: the document cache never serves a document whose row changed."""

from __future__ import annotations

import json
from typing import Any

from curbside.knowledge.records import DocumentCache, document_from_row


def _row(**changes: Any) -> dict[str, Any]:
    row = {
        "source_id": "ngc:1",
        "source": "ngc",
        "kind": "guideline",
        "organization": "Example Society",
        "title": "Example guideline",
        "year": 2020,
        "url": "https://example.org/g",
        "licence": "CC BY 4.0",
        "drugs": json.dumps(["aspirin"]),
        "conditions": json.dumps(["example syndrome"]),
        "population": "adults",
        "metadata": json.dumps({"focus": "example"}),
        "use_terms": json.dumps({}),
        "licence_class": "cc-by",
    }
    return row | changes


def test_equal_rows_share_one_parsed_document() -> None:
    cache = DocumentCache()
    first = cache.document(_row())
    assert cache.document(_row()) is first
    assert first == document_from_row(_row())


def test_a_changed_row_is_parsed_again() -> None:
    cache = DocumentCache()
    before = cache.document(_row())
    after = cache.document(_row(metadata=json.dumps({"focus": "other"}), year=2024))
    assert after.metadata == {"focus": "other"} and after.year == 2024
    assert before.metadata == {"focus": "example"}


def test_the_cache_is_bounded() -> None:
    cache = DocumentCache(max_entries=2)
    first = cache.document(_row(source_id="a"))
    cache.document(_row(source_id="b"))
    cache.document(_row(source_id="c"))
    assert cache.document(_row(source_id="a")) is not first
