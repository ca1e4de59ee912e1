"""After a re-ingest: send reviewed articles whose cited source text changed back to the board.

Lives beside ``pipeline.py`` because it joins two stages (the knowledge store and the review
database); each keeps its own contract: the store answers "what does this passage say now",
review's :meth:`ReviewBoard.sources_changed` takes the changed document ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from curbside.knowledge.store import Store
from curbside.review.board import ReviewBoard
from curbside.review.database import open_review_database, review_database_exists
from curbside.settings import Settings

_SPACE = re.compile(r"\s+")
# Chunking may cut a quoted sentence at a passage boundary; its head still identifies it.
QUOTE_HEAD_CHARS = 80


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def changed_sources(store: Store, cited: Iterable[tuple[str, str, str]]) -> set[str]:
    """Document ids among ``cited`` (source id, passage id, quote) whose stored text no longer
    contains the quote (or that are gone)."""
    cited = list(cited)
    records = {r.passage.passage_id: r.passage.text for r in store.passages(sorted({p for _, p, _ in cited}))}
    changed: set[str] = set()
    for source_id, passage_id, quote in cited:
        text = records.get(passage_id)
        if text is None:
            # A quote cited at document level (or a passage re-chunked away): search the document.
            document = store.document(source_id)
            if document is None:
                changed.add(source_id)
                continue
            text = " ".join(p.text for p in document.passages)
        if _squash(quote)[:QUOTE_HEAD_CHARS] not in _squash(text):
            changed.add(source_id)
    return changed


def send_back_for_review(settings: Settings, store: Store) -> list[str]:
    """Run after ingest: slugs of approved articles sent back because a cited source changed."""
    if not review_database_exists(settings):
        return []
    repository = open_review_database(settings)
    try:
        board = ReviewBoard(repository)
        return board.sources_changed(changed_sources(store, board.cited_passages()))
    finally:
        repository.close()
