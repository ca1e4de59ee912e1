"""Glossary loader: display names, whitespace, empty rows, malformed files, corpus counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from curbside.domain.documents import GlossaryEntry
from curbside.sources.base import SourceFormatError, SourceLoader, SourceUnit
from curbside.sources.glossaries import GlossaryLoader
from tests.sample_tree import sample_tree

FIXTURES = sample_tree() / "glossaries"


def test_loads_entries_with_display_name_and_normalised_whitespace() -> None:
    loader = GlossaryLoader()
    assert isinstance(loader, SourceLoader)
    (unit,) = loader.discover(FIXTURES)
    assert unit.key == "glossaries/cdc_11500_DS1_glossary.json"
    entries = loader.load(unit).glossary
    assert entries == (
        GlossaryEntry("CDC Plain Language Thesaurus", "abdomen", "stomach, stomach area, belly"),
        GlossaryEntry("CDC Plain Language Thesaurus", "ability", "skill"),
    )


def test_discover_is_empty_without_folder(tmp_path: Path) -> None:
    assert list(GlossaryLoader().discover(tmp_path)) == []


@pytest.mark.parametrize("content", ["{not json", '{"term": "x"}', '["just a string"]'])
def test_malformed_file_names_the_file(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "broken_glossary.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(SourceFormatError, match=re.escape("broken_glossary.json")):
        GlossaryLoader().load(SourceUnit(key="glossaries/broken_glossary.json", paths=(bad,)))


@pytest.mark.corpus
def test_corpus_glossary_counts(real_corpus: Path) -> None:
    loader = GlossaryLoader()
    counts = {}
    for unit in loader.discover(real_corpus):
        entries = loader.load(unit).glossary
        counts[entries[0].glossary] = len(entries)
    assert counts == {
        "CDC Plain Language Thesaurus": 891,
        "NCI Dictionary of Cancer Terms": 9416,
        "NCI Dictionary of Genetics Terms": 242,
    }
