"""The seams: every protocol a stage depends on, in one neutral, typed module.

Stages import these (and ``domain/``), never each other; ``pipeline.py`` and ``wiring.py``
join concrete implementations. Each protocol states its contract; the reusable contract
suites in :mod:`curbside.testing` check any implementation against it.

The knowledge base is split into the roles callers actually use, so a second backend can
implement small pieces and a caller states the least it needs:

====================  ======================================================  ==================
role                  methods                                                 used by
====================  ======================================================  ==================
PassageSearch         lexical_search, dense_search, passages                  retrieval, safety
DocumentCatalogue     document, documents, source_counts, related_questions,  understanding,
                      question_pairs, glossary                                safety, web, cli
InteractionLookups    interactions, interactions_in_list                      safety
IngestSink            unit_hashes, write_units, remove_units                  knowledge.ingest
BlobStore             get_blob, put_blob                                      ingest, wiring
KnowledgeReader       PassageSearch + DocumentCatalogue + InteractionLookups  safety screen
Store                 all of the above + close                                SqliteStore
====================  ======================================================  ==================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from curbside.domain.article import Article, ReviewStatus
from curbside.domain.documents import Document, GlossaryEntry, InteractionRecord, LoadedUnit, Passage, PassageRecord
from curbside.domain.evidence import EvidenceSet
from curbside.domain.knowledge_base import LicenceCount, ScoredPassage, SearchFilters, SourceCount, UnitWrite
from curbside.domain.question import UnderstoodQuestion
from curbside.domain.sources import SourceUnit
from curbside.domain.stored_articles import Relation, ReviewEvent, StoredArticle

Vectors = npt.NDArray[np.float32]
#: Reference number → the (document, passage) it cites.
CitedEvidence = Mapping[int, tuple[Document, Passage]]
#: Drug surface forms (lower-case) → canonical name, or just the names.
DrugNames = Mapping[str, str] | Iterable[str]


@runtime_checkable
class PassageSearch(Protocol):
    """Ranked passage search and passage fetch.

    - ``lexical_search`` ranks passages by BM25 for free text (the store builds a safe
      query: user text is never passed as raw query syntax); ``dense_search`` ranks by
      cosine to a normalised vector. Both honour ``SearchFilters`` and return at most
      ``limit`` results, best first, ranks 1, 2, ….
    - ``passages`` returns records for ids in the order asked (unknown ids are omitted).
    """

    def lexical_search(self, text: str, limit: int, filters: SearchFilters = ...) -> list[ScoredPassage]: ...

    def dense_search(self, vector: Vectors, limit: int, filters: SearchFilters = ...) -> list[ScoredPassage]: ...

    def passages(self, passage_ids: Sequence[str]) -> list[PassageRecord]: ...


@runtime_checkable
class DocumentCatalogue(Protocol):
    """What the knowledge base holds: documents, per-source counts, source questions, glossary."""

    def document(self, source_id: str) -> Document | None: ...

    def documents(self, kind: str | None = None) -> list[Document]: ...

    def source_counts(self) -> list[SourceCount]: ...

    def licence_counts(self) -> list[LicenceCount]:
        """Documents and passages per (source, licence class), ordered by source then class."""
        ...

    def question_pairs(self) -> list[tuple[str, str]]:
        """Every (question, question_type) the Q&A sources carry, for training the intent model."""
        ...

    def related_questions(self, topics: Sequence[str], limit: int) -> list[tuple[str, str]]:
        """Source questions (question, source_id) from documents whose condition or title is one
        of ``topics`` (case-insensitive), at most ``limit``, most specific documents first."""
        ...

    def glossary(self) -> list[GlossaryEntry]: ...


@runtime_checkable
class InteractionLookups(Protocol):
    """Structured drug–drug interaction records."""

    def interactions(self, drug_names: Iterable[str]) -> list[InteractionRecord]:
        """Records whose either side is one of ``drug_names`` (case-insensitive)."""
        ...

    def interactions_in_list(self, list_name: str) -> list[InteractionRecord]:
        """Every record of one list (by its display name), e.g. to read the list's drug codes."""
        ...


@runtime_checkable
class IngestSink(Protocol):
    """Where ingest writes: ``write_units`` replaces each unit's previous content and records
    its hash in one transaction; ``unit_hashes`` returns what is recorded; ``remove_units``
    deletes units and returns how many existed."""

    def unit_hashes(self, source: str | None = None) -> dict[str, str]: ...

    def write_units(self, writes: Sequence[UnitWrite]) -> None: ...

    def remove_units(self, keys: Iterable[str]) -> int: ...

    def save_vector_index(self) -> None:
        """Persist the dense index beside the data if writes changed it (rebuilding it when it
        does not match the stored vectors); the ingest calls it after each source."""
        ...


@runtime_checkable
class BlobStore(Protocol):
    """Small named values kept with the knowledge base (embedder name, model fingerprints)."""

    def get_blob(self, name: str) -> bytes | None: ...

    def put_blob(self, name: str, value: bytes) -> None: ...


@runtime_checkable
class KnowledgeReader(PassageSearch, DocumentCatalogue, InteractionLookups, Protocol):
    """The read-only knowledge base serving needs (search, catalogue, interactions)."""


@runtime_checkable
class Store(PassageSearch, DocumentCatalogue, InteractionLookups, IngestSink, BlobStore, Protocol):
    """A whole knowledge-base backend (SQLite, PostgreSQL): every role plus ``close``."""

    def close(self) -> None: ...


@runtime_checkable
class Embedder(Protocol):
    """Contract: ``embed(texts)`` returns a float32 array of shape (len(texts), dim) whose rows
    are L2-normalised (so a dot product is a cosine), is deterministic for the same input, and
    returns shape (0, dim) for an empty list. ``name`` identifies the model so a store built
    with one embedder is never searched with another.

    Example::

        vectors = embedder.embed(["chest pain", "angina"])
        similarity = float(vectors[0] @ vectors[1])
    """

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


class ComposerUnavailableError(RuntimeError):
    """A composer could not produce an article right now (its model server is down, timed out or
    answered with something unusable). The message says what happened, never the question."""


@runtime_checkable
class Composer(Protocol):
    """Contract: ``compose`` returns an Article whose every statement cites references that
    exist in ``article.references``, each reference pointing at a passage from ``evidence``
    (the composer may not cite anything else). It abstains (``abstained=True`` with a reason)
    rather than use evidence that does not apply. Deterministic composers return the same
    article for the same input. A composer that depends on a remote model raises
    :class:`ComposerUnavailableError` when that model fails (the orchestrator may fall back).

    Example::

        article = OfflineComposer().compose(question, evidence)
    """

    name: str

    def compose(self, question: UnderstoodQuestion, evidence: EvidenceSet) -> Article: ...


@runtime_checkable
class Verifier(Protocol):
    """Checks an article against the passages it cites.

    - ``verify`` returns a copy of ``article`` with a verdict on every statement (support and
      applicability), the support summary and the publish gate set; it never adds statements.
    - ``screen_sources`` judges each (document, passage) for the question before composition:
      ``(applies, reason)`` per item, in order, ``applies`` None when it cannot tell.
    """

    def verify(
        self, article: Article, question: UnderstoodQuestion, evidence: CitedEvidence, drug_names: DrugNames = ()
    ) -> Article: ...

    def screen_sources(
        self, question: UnderstoodQuestion, sources: Sequence[tuple[Document, Passage]]
    ) -> list[tuple[bool | None, str]]: ...


@runtime_checkable
class SafetyCheck(Protocol):
    """Adds safety alerts (emergencies, interactions, dose checks) to an article.

    ``screen`` returns ``article`` with alerts and any references they cite appended; it never
    removes or rewords the composer's statements. ``mentioned_drugs`` are the question's drugs.
    """

    def screen(self, article: Article, question: UnderstoodQuestion, mentioned_drugs: tuple[str, ...]) -> Article: ...


@runtime_checkable
class SourceLoader(Protocol):
    """Contract for a source format.

    ``name`` is the short source name stored with each document. ``discover`` lists the
    units present under ``corpus_dir`` (an empty iterable when the source is absent) and
    must be cheap: no parsing. ``load`` parses one unit and raises ``SourceFormatError``
    (or ``OSError``) when it cannot; it must not return partial garbage silently.

    Example::

        loader = MedQuadLoader()
        for unit in loader.discover(Path("../shared/corpora")):
            loaded = loader.load(unit)
    """

    name: str

    def discover(self, corpus_dir: Path) -> Iterable[SourceUnit]: ...

    def load(self, unit: SourceUnit) -> LoadedUnit: ...


@runtime_checkable
class ArticleRepository(Protocol):
    """Contract for article stores (SQLite, PostgreSQL with the same schema, in-memory for tests).

    - ``create`` stores a new article under a fresh random slug, status Submitted; with no
      ``thread_id`` the article starts its own thread (thread id = its slug).
    - ``get`` returns None for unknown slugs; ``thread`` lists a thread oldest first.
    - ``change_status`` is atomic: it raises :class:`StatusConflictError` unless the article
      is currently ``expected``, and records a :class:`ReviewEvent` in the same transaction.

    Example::

        repo = SqliteArticleRepository(settings.database_path)
        stored = repo.create(answer.article, answer.question)
        repo.change_status(stored.slug, ReviewStatus.SUBMITTED, ReviewStatus.UNDER_REVIEW, "Dr A", "")
    """

    def create(
        self,
        article: Article,
        understood: UnderstoodQuestion,
        thread_id: str | None = None,
        parent_slug: str | None = None,
        relation: Relation = Relation.ROOT,
    ) -> StoredArticle: ...

    def get(self, slug: str) -> StoredArticle | None: ...

    def thread(self, thread_id: str) -> list[StoredArticle]: ...

    def find_root(self, question: str, audience: str) -> StoredArticle | None: ...

    def by_status(self, status: ReviewStatus | None = None, limit: int = 100) -> list[StoredArticle]: ...

    def change_status(
        self, slug: str, expected: ReviewStatus, to: ReviewStatus, reviewer: str, note: str
    ) -> ReviewEvent: ...

    def events(self, slug: str) -> list[ReviewEvent]: ...

    def close(self) -> None: ...


@runtime_checkable
class RateLimiter(Protocol):
    """Counts requests per key in a sliding window, in a store every app worker shares.

    - ``admit`` records one request for ``key`` and returns None when fewer than ``limit``
      were recorded for it in the last ``window_s`` seconds; otherwise it records nothing and
      returns the seconds until the oldest counted request leaves the window (> 0). Counting
      and recording are one atomic step, so two workers can never both take the last slot.
    - Keys are opaque (e.g. ``"ask:203.0.113.7"``); an implementation may store them hashed.

    Example::

        limiter = SqlRateLimiter(repository)
        wait = limiter.admit("ask:203.0.113.7", limit=30, window_s=60)
        if wait is not None:
            ...  # 429 with Retry-After: ceil(wait)
    """

    def admit(self, key: str, limit: int, window_s: float) -> float | None: ...
