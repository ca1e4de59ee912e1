"""Citation bookkeeping for alerts: add references to an article, reusing existing numbers.

Safety alerts cite sources the composer may not have cited yet. ``ReferenceBook`` starts
from the article's references and hands out a number per cited passage (or, when no
passage holds the quoted text, per document + quote) — the same passage is never listed
twice, so an alert citing a passage the answer already cites reuses that number.
"""

from __future__ import annotations

import re
from functools import lru_cache

from curbside.domain.article import Reference
from curbside.domain.documents import Document, Passage
from curbside.protocols import DocumentCatalogue

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Whitespace-collapsed lower-case text, for containment tests between sources.

    Cached: the same label passages are searched for annotation sentences on every screen.
    """
    return _SPACE.sub(" ", text).strip().lower()


class DocumentCache:
    """``store.document`` memoised for one screening run (labels are read by several checks)."""

    def __init__(self, store: DocumentCatalogue) -> None:
        self._store = store
        self._documents: dict[str, Document | None] = {}

    def get(self, source_id: str) -> Document | None:
        if source_id not in self._documents:
            self._documents[source_id] = self._store.document(source_id)
        return self._documents[source_id]


class ReferenceBook:
    """Reference numbers for an article, growing as alerts cite new sources.

    Contract: numbers are 1-based and contiguous; existing references keep their numbers;
    ``cite_*`` returns the number of an existing reference with the same passage id (or the
    same document + quote for passage-less citations) instead of adding a duplicate.
    """

    def __init__(self, existing: tuple[Reference, ...] = ()) -> None:
        self._references = list(existing)
        self._by_key: dict[tuple[str, str], int] = {}
        for ref in existing:
            self._by_key.setdefault(("passage", ref.passage_id), ref.n)
            self._by_key.setdefault(("quote", f"{ref.source_id}|{squash(ref.quote)}"), ref.n)

    @property
    def references(self) -> tuple[Reference, ...]:
        return tuple(self._references)

    def cite_passage(self, document: Document, passage: Passage) -> int:
        """Number for ``passage`` of ``document``; quotes the whole passage."""
        key = ("passage", passage.passage_id)
        if key not in self._by_key:
            self._add(key, document, passage.passage_id, passage.section, passage.text, passage)
        return self._by_key[key]

    def cite_quote(self, document: Document, quote: str) -> int:
        """Number for a quote from ``document`` that no stored passage contains verbatim."""
        key = ("quote", f"{document.source_id}|{squash(quote)}")
        if key not in self._by_key:
            self._add(key, document, document.source_id, "", quote, None)
        return self._by_key[key]

    def cite_containing(self, document: Document, sentence: str) -> int:
        """Cite the passage containing ``sentence`` (whitespace/case-insensitive), else the quote."""
        passage = find_passage(document, sentence)
        return self.cite_passage(document, passage) if passage else self.cite_quote(document, sentence)

    def _add(
        self,
        key: tuple[str, str],
        document: Document,
        passage_id: str,
        section: str,
        quote: str,
        passage: Passage | None,
    ) -> None:
        n = len(self._references) + 1
        self._references.append(
            Reference.to_passage(n, document, passage, passage_id=passage_id, section=section, quote=quote)
        )
        self._by_key[key] = n


def find_passage(document: Document, sentence: str) -> Passage | None:
    """The passage whose text contains ``sentence``; chunk boundaries may cut a sentence, so a
    passage containing its first 80 characters also counts."""
    target = squash(sentence)
    if not target:
        return None
    head = target[:80]
    fallback = None
    for passage in document.passages:
        text = squash(passage.text)
        if target in text:
            return passage
        if fallback is None and head in text:
            fallback = passage
    return fallback
