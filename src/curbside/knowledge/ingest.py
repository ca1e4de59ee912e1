"""Incremental, resumable ingest of source units into a Store.

Each unit's files are hashed; a unit whose hash matches what the store recorded is
skipped. Loaded units are embedded and written in batches, each batch one transaction,
so a crash loses at most the batch in flight and the next run resumes after the last
committed one. A unit that fails to load is reported and skipped; the run goes on.
"""

from __future__ import annotations

import hashlib
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from curbside.domain.documents import LoadedUnit
from curbside.domain.sources import SourceFormatError, SourceUnit
from curbside.knowledge.embedding import Embedder
from curbside.knowledge.records import search_heading
from curbside.knowledge.shards import Shard
from curbside.knowledge.store import Store, UnitWrite
from curbside.protocols import SourceLoader

# Bump when loaders change what they produce, so every unit is re-ingested once.
INGEST_FORMAT_VERSION = "3"  # 3: documents carry licence class and use terms
BATCH_PASSAGES = 512
EMBEDDER_BLOB = "embedder.name"
EMBED_TEXT_CHARS = 1200
REMEMBER_VECTORS = 200_000


class ProgressSink(Protocol):
    """Receives progress; the CLI renders it with rich, tests pass nothing."""

    def start(self, source: str, total: int) -> None: ...

    def advance(self, source: str, amount: int = 1) -> None: ...


@dataclass
class SourceReport:
    source: str
    discovered: int = 0
    unchanged: int = 0
    loaded: int = 0
    documents: int = 0
    passages: int = 0
    interactions: int = 0
    glossary_terms: int = 0
    removed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class IngestReport:
    """What an ingest run did, per source, with every skipped unit and why."""

    sources: dict[str, SourceReport] = field(default_factory=dict)
    seconds: float = 0.0
    embedded: int = 0

    @property
    def failures(self) -> list[tuple[str, str]]:
        return [failure for report in self.sources.values() for failure in report.failures]

    @property
    def changed(self) -> bool:
        return any(r.loaded or r.removed for r in self.sources.values())


def unit_hash(loader: SourceLoader, unit: SourceUnit) -> str:
    digest = hashlib.sha256(f"{INGEST_FORMAT_VERSION}\0{loader.name}\0".encode())
    variant = getattr(loader, "terms_variant", "")  # set by a source-terms policy wrapper
    if variant:
        digest.update(f"terms={variant}\0".encode())
    # A loader's own format version: only its units are re-read when it changes what it makes.
    version = getattr(loader, "format_version", "")
    if version:
        digest.update(f"format={version}\0".encode())
    for path in unit.paths:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()


def embedding_texts(loaded: LoadedUnit) -> list[str]:
    """The text each passage is embedded as: its heading (incl. question) then its text."""
    return [
        f"{search_heading(passage)}: {passage.text}"[:EMBED_TEXT_CHARS]
        for document in loaded.documents
        for passage in document.passages
    ]


class Ingestor:
    """Runs loaders into a store. ``run`` returns an IngestReport and never raises for bad units."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        progress: ProgressSink | None = None,
        reembed: bool = False,
        shard: Shard = Shard(),
    ) -> None:
        self._shard = shard
        self._store = store
        self._embedder = embedder
        self._progress = progress
        self._reembed = reembed
        self._force = False
        self._pending: list[tuple[SourceLoader, SourceUnit, str, LoadedUnit]] = []
        self._pending_passages = 0
        self._remembered: dict[bytes, np.ndarray] = {}

    def run(self, loaders: Sequence[SourceLoader], corpus_dir: Path, prune: bool = True) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        recorded = self._store.get_blob(EMBEDDER_BLOB)
        # Vectors from another model are meaningless to this one: re-embed everything.
        self._force = self._reembed or (recorded is not None and recorded.decode() != self._embedder.name)
        for loader in loaders:
            report.sources[loader.name] = self._run_loader(loader, corpus_dir, prune, report)
            # Per source, so an interrupted run keeps the index of every finished source.
            self._store.save_vector_index()
        self._store.put_blob(EMBEDDER_BLOB, self._embedder.name.encode())
        report.seconds = time.perf_counter() - started
        return report

    def _run_loader(self, loader: SourceLoader, corpus_dir: Path, prune: bool, report: IngestReport) -> SourceReport:
        source_report = SourceReport(loader.name)
        try:
            units = [unit for unit in loader.discover(corpus_dir) if self._shard.owns(unit.key)]
        except (OSError, SourceFormatError) as error:
            source_report.failures.append((loader.name, f"cannot list source: {error}"))
            return source_report
        source_report.discovered = len(units)
        known = {k: v for k, v in self._store.unit_hashes(loader.name).items() if self._shard.owns(k)}
        recorded = {} if self._force else known
        if self._progress:
            self._progress.start(loader.name, len(units))
        for unit in units:
            self._ingest_unit(loader, unit, recorded, source_report, report)
            if self._progress:
                self._progress.advance(loader.name)
        self._flush(report)
        if prune and units:
            gone = set(known) - {unit.key for unit in units}
            source_report.removed = self._store.remove_units(sorted(gone)) if gone else 0
        return source_report

    def _ingest_unit(
        self,
        loader: SourceLoader,
        unit: SourceUnit,
        known: dict[str, str],
        source_report: SourceReport,
        report: IngestReport,
    ) -> None:
        try:
            content_hash = unit_hash(loader, unit)
            if known.get(unit.key) == content_hash:
                source_report.unchanged += 1
                return
            loaded = loader.load(unit)
        except (SourceFormatError, OSError, UnicodeError, ValueError, ET.ParseError, KeyError) as error:
            source_report.failures.append((unit.key, f"{type(error).__name__}: {error}"))
            return
        source_report.loaded += 1
        source_report.documents += len(loaded.documents)
        source_report.passages += sum(len(d.passages) for d in loaded.documents)
        source_report.interactions += len(loaded.interactions)
        source_report.glossary_terms += len(loaded.glossary)
        self._pending.append((loader, unit, content_hash, loaded))
        # A running count: re-deriving every pending unit's texts per unit was quadratic.
        self._pending_passages += sum(len(d.passages) for d in loaded.documents)
        if self._pending_passages >= BATCH_PASSAGES:
            self._flush(report)

    def _embed_distinct(self, texts: list[str], report: IngestReport) -> np.ndarray:
        """Vectors for ``texts``, embedding each distinct text once per run.

        Sources repeat themselves (11 % of the full corpus's passages embed to a vector another
        passage has: guideline boilerplate, one answer under several questions); embedders are
        deterministic, so a remembered vector is the vector. At most ``REMEMBER_VECTORS`` are kept
        (≈ 310 MB at 384 dims) to bound memory.
        """
        digests = [_digest(text) for text in texts]
        todo = list(dict.fromkeys(d for d in digests if d not in self._remembered))
        first_text = dict(zip(digests, texts, strict=True))
        fresh = self._embedder.embed([first_text[d] for d in todo]) if todo else None
        report.embedded += len(todo)
        new = dict(zip(todo, fresh, strict=True)) if fresh is not None else {}
        if len(self._remembered) < REMEMBER_VECTORS:
            self._remembered.update(new)
        if not texts:
            return np.zeros((0, self._embedder.dim), np.float32)
        return np.vstack([new[d] if d in new else self._remembered[d] for d in digests]).astype(np.float32)

    def _flush(self, report: IngestReport) -> None:
        if not self._pending:
            return
        texts_per_unit = [embedding_texts(item[3]) for item in self._pending]
        all_texts = [text for texts in texts_per_unit for text in texts]
        vectors = self._embed_distinct(all_texts, report)
        writes, offset = [], 0
        for (loader, unit, content_hash, loaded), texts in zip(self._pending, texts_per_unit, strict=True):
            writes.append(UnitWrite(unit.key, loader.name, content_hash, loaded, vectors[offset : offset + len(texts)]))
            offset += len(texts)
        self._store.write_units(writes)
        self._pending.clear()
        self._pending_passages = 0


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def ingest(
    store: Store,
    embedder: Embedder,
    loaders: Iterable[SourceLoader],
    corpus_dir: Path,
    progress: ProgressSink | None = None,
    prune: bool = True,
    reembed: bool = False,
    shard: Shard = Shard(),
) -> IngestReport:
    """Ingest every unit the loaders discover under ``corpus_dir``; see Ingestor. ``reembed``
    rewrites every unit (new vectors) even when its content is unchanged; ``shard`` limits the
    run to the units that shard owns (see :mod:`curbside.knowledge.shards`)."""
    return Ingestor(store, embedder, progress, reembed, shard).run(list(loaders), corpus_dir, prune)
