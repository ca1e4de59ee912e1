"""The loader protocol every source format implements.

A loader discovers *units* (a file, or a small group of files that belong together,
such as an FDA label's ``.txt`` and its ``.xml`` annotation) under a corpus directory
and loads one unit at a time. Ingest hashes each unit's files to skip unchanged ones,
and a unit that fails to parse is reported and skipped — it never aborts the run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from curbside.domain.documents import LoadedUnit, Passage
from curbside.language.sentences import chunk_text


class SourceFormatError(ValueError):
    """A unit could not be parsed; the message says what was wrong and where."""


@dataclass(frozen=True, slots=True)
class SourceUnit:
    """One independently ingestible piece of a source.

    Attributes:
        key: stable id of the unit across runs, e.g. ``"medquad/2_GARD_QA/0000001.xml"``.
        paths: the files whose bytes define the unit (all are hashed for change detection).
    """

    key: str
    paths: tuple[Path, ...]


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


def append_chunks(
    passages: list[Passage],
    source_id: str,
    heading_path: tuple[str, ...],
    text: str,
    *,
    section_number: str | None = None,
    question: str | None = None,
    question_type: str | None = None,
) -> None:
    """Chunk ``text`` on sentence boundaries and append one passage per chunk, numbered on
    from the passages already there (ids are ``"{source_id}#{ordinal}"``)."""
    for chunk in chunk_text(text):
        ordinal = len(passages)
        passages.append(
            Passage(
                passage_id=f"{source_id}#{ordinal}",
                heading_path=heading_path,
                text=chunk,
                ordinal=ordinal,
                question=question,
                question_type=question_type,
                section_number=section_number,
            )
        )
