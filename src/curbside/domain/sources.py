"""Units of a source as they cross the loader seam, and the error a loader raises."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["SourceFormatError", "SourceUnit"]


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
