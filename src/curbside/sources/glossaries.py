"""Plain-language glossaries under ``<corpus>/glossaries/`` (for rewording, not citation).

Each ``*.json`` file is a list of ``{"term", "plain_alternative"}`` objects. Display names
follow ``glossaries/SOURCES.md``: the CDC Plain Language Thesaurus (stacks.cdc.gov/view/cdc/11500)
and the NCI (cancer.gov) Dictionary of Cancer Terms and Dictionary of Genetics Terms.
An unknown file name falls back to its stem, so a new glossary still loads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from curbside.domain.documents import GlossaryEntry, LoadedUnit
from curbside.sources.base import SourceFormatError, SourceUnit

FOLDER = "glossaries"
DISPLAY_NAMES = {
    "cdc_11500_DS1_glossary": "CDC Plain Language Thesaurus",
    "cancer_gov_glossary": "NCI Dictionary of Cancer Terms",
    "cancer_gov_genetics_glossary": "NCI Dictionary of Genetics Terms",
}


class GlossaryLoader:
    """Loads each glossary JSON file as one unit of GlossaryEntry rows.

    Contract: ``discover`` yields one unit per ``glossaries/*.json`` (nothing when the folder
    is absent); ``load`` returns entries with whitespace normalised, skipping rows whose term
    or plain alternative is empty, and raises SourceFormatError naming the file when the JSON
    is invalid or is not a list of objects.
    """

    name = "glossaries"

    def discover(self, corpus_dir: Path) -> Iterable[SourceUnit]:
        folder = corpus_dir / FOLDER
        if not folder.is_dir():
            return []
        return [SourceUnit(key=f"{FOLDER}/{p.name}", paths=(p,)) for p in sorted(folder.glob("*.json"))]

    def load(self, unit: SourceUnit) -> LoadedUnit:
        path = unit.paths[0]
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SourceFormatError(f"{path.name}: invalid JSON ({exc})") from exc
        if not isinstance(data, list):
            raise SourceFormatError(f"{path.name}: expected a JSON list of {{term, plain_alternative}}")
        glossary = DISPLAY_NAMES.get(path.stem, path.stem)
        entries = []
        for index, row in enumerate(data):
            if not isinstance(row, dict):
                raise SourceFormatError(f"{path.name}: item {index} is not an object")
            term, plain = _normalise(row.get("term")), _normalise(row.get("plain_alternative"))
            if term and plain:
                entries.append(GlossaryEntry(glossary=glossary, term=term, plain=plain))
        return LoadedUnit(glossary=tuple(entries))


def _normalise(value: object) -> str:
    """Collapse runs of whitespace; non-string values (null, numbers) count as empty."""
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else ""
