"""The fixed, documented subset of the real corpus that the test session's knowledge base holds.

The full corpus (1,416 guideline summaries) takes longer to embed than CI allows alongside the
suite, so ``tests/conftest.py`` ingests the guideline summaries listed in
``tests/kb-subset-guidelines.txt`` (the file says how they were chosen) and every other source in
full. ``make eval`` and ``make bench`` run on the whole corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from curbside.domain.documents import LoadedUnit
from curbside.sources.base import SourceFormatError, SourceLoader, SourceUnit
from curbside.sources.registry import create_loaders

MANIFEST = Path(__file__).with_name("kb-subset-guidelines.txt")
SUBSET_SOURCE = "ngc"
_NAME = re.compile(r"ngc-\d+\.xml")


def subset_guidelines(manifest: Path = MANIFEST) -> tuple[str, ...]:
    """File names listed in the manifest (comments and blank lines skipped), in file order.

    Raises ValueError on a malformed line or a duplicate, naming the line.
    """
    names: list[str] = []
    for number, line in enumerate(manifest.read_text().splitlines(), 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if not _NAME.fullmatch(entry):
            raise ValueError(f"{manifest.name}:{number}: expected a file name like ngc-10000.xml, got {entry!r}")
        if entry in names:
            raise ValueError(f"{manifest.name}:{number}: {entry} is listed twice")
        names.append(entry)
    return tuple(names)


class SubsetLoader:
    """A loader that discovers only the listed units of another loader (by first file name).

    ``discover`` raises SourceFormatError when a listed file is absent, so a corpus that lost a
    file fails the session instead of silently testing less.
    """

    def __init__(self, inner: SourceLoader, names: Iterable[str]) -> None:
        self.name = inner.name
        self._inner = inner
        self._names = frozenset(names)

    def discover(self, corpus_dir: Path) -> list[SourceUnit]:
        units = [unit for unit in self._inner.discover(corpus_dir) if unit.paths[0].name in self._names]
        missing = self._names - {unit.paths[0].name for unit in units}
        if missing:
            raise SourceFormatError(f"subset files missing from the corpus: {', '.join(sorted(missing))}")
        return units

    def load(self, unit: SourceUnit) -> LoadedUnit:
        return self._inner.load(unit)


def session_loaders() -> list[SourceLoader]:
    """Every registered loader, the guideline loader restricted to the manifest."""
    names = subset_guidelines()
    return [SubsetLoader(loader, names) if loader.name == SUBSET_SOURCE else loader for loader in create_loaders()]
