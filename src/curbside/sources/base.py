"""The loader protocol every source format implements.

A loader discovers *units* (a file, or a small group of files that belong together,
such as an FDA label's ``.txt`` and its ``.xml`` annotation) under a corpus directory
and loads one unit at a time. Ingest hashes each unit's files to skip unchanged ones,
and a unit that fails to parse is reported and skipped — it never aborts the run.
"""

from __future__ import annotations

from curbside.domain.documents import Passage
from curbside.domain.sources import SourceFormatError, SourceUnit
from curbside.language.sentences import chunk_text
from curbside.protocols import SourceLoader

__all__ = ["SourceFormatError", "SourceLoader", "SourceUnit", "append_chunks"]


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
